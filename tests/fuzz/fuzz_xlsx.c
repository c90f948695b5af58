/* Workbooks as schools upload them.  The input is a workbook's shared
 * strings and first sheet (XML), split at its first NUL byte (no NUL: a
 * sheet without shared strings), zipped with a fixed workbook part around
 * them; its first byte chosen odd, the input is the whole .xlsx file
 * instead.  Read by the workbook reader and by the CSV reader's view of a
 * workbook (what every roster and registry loader reads):
 *  - each refuses it with a message, or reads it;
 *  - the rows the workbook reader gives have rising sheet row numbers and
 *    fields of valid UTF-8;
 *  - when both read it, the CSV view gives the same rows: the same fields,
 *    as wide as the header, at the row numbers Excel shows. */
#include "fuzz.h"
#include "io/io.h"
#include "util/util.h"

#include <minizip/zip.h>

static const char workbook[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Target=\"sharedStrings.xml\"/></Relationships>";

static void add_part(zipFile z, const char *name, const void *data, size_t len)
{
    zip_fileinfo info = {0};
    FUZZ_CHECK(zipOpenNewFileInZip64(z, name, &info, NULL, 0, NULL, 0, NULL, 0, 0, 1) == ZIP_OK,
               "zip %s", name);
    FUZZ_CHECK(zipWriteInFileInZip(z, data, (unsigned)len) == ZIP_OK, "zip %s", name);
    FUZZ_CHECK(zipCloseFileInZip(z) == ZIP_OK, "zip %s", name);
}

/* The parts zipped, stored without compression (the reader inflates either). */
static void zip_parts(const char *path, const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    zipFile z = zipOpen64(path, APPEND_STATUS_CREATE);
    FUZZ_CHECK(z != NULL, "zip %s", path);
    add_part(z, "xl/workbook.xml", workbook, sizeof workbook - 1);
    add_part(z, "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1);
    if (nul) {
        add_part(z, "xl/sharedStrings.xml", data, (size_t)(nul - data));
        add_part(z, "xl/worksheets/sheet1.xml", nul + 1, size - (size_t)(nul - data) - 1);
    } else {
        add_part(z, "xl/worksheets/sheet1.xml", data, size);
    }
    FUZZ_CHECK(zipClose(z, NULL) == ZIP_OK, "zip %s", path);
}

/* The fields the CSV view gives a row: as wide as the header, and wider
 * only up to its last non-empty cell. */
static size_t csv_width(const xjl_xlsx *x)
{
    size_t n = xjl_xlsx_field_count(x), width = xjl_xlsx_column_count(x);
    while (n > width && !*xjl_xlsx_field(x, n - 1, NULL))
        n--;
    return n < width ? width : n;
}

static void compare(const char *path)
{
    xjl_xlsx *x = NULL;
    int rc = xjl_xlsx_open(&x, path);
    FUZZ_CHECK(rc == XJL_OK || (rc < 0 && *xjl_errmsg()), "xlsx: rc %d without a message", rc);
    xjl_csv *c = NULL;
    int crc = xjl_csv_open(&c, path, XJL_ENC_AUTO);
    FUZZ_CHECK(crc == XJL_OK || (crc < 0 && *xjl_errmsg()), "csv: rc %d without a message", crc);
    if (rc != XJL_OK) { /* a file that is no zip is read as CSV text, rightly */
        FUZZ_CHECK(crc != XJL_OK || !xjl_xlsx_is_workbook(path),
                   "the CSV view read a workbook the reader refused");
        xjl_csv_close(c);
        return;
    }
    for (size_t i = 0; i < xjl_xlsx_column_count(x); i++)
        FUZZ_CHECK(xjl_xlsx_column_name(x, i) != NULL, "column %zu", i);
    FUZZ_CHECK(crc == XJL_OK, "the CSV view refused a workbook the reader read: %s", xjl_errmsg());
    if (c)
        FUZZ_CHECK(xjl_csv_column_count(c) == csv_width(x), "header: %zu columns, sheet %zu",
                   xjl_csv_column_count(c), csv_width(x));
    long last = xjl_xlsx_row(x);
    while ((rc = xjl_xlsx_next(x)) == 1) {
        long row = xjl_xlsx_row(x);
        FUZZ_CHECK(row > last, "row %ld after row %ld", row, last);
        last = row;
        size_t n = xjl_xlsx_field_count(x);
        for (size_t i = 0; i <= n; i++) {
            size_t len;
            const char *f = xjl_xlsx_field(x, i, &len);
            FUZZ_CHECK(f != NULL && strlen(f) == len, "row %ld field %zu", row, i);
            FUZZ_CHECK(xjl__utf8_invalid_at(f, len) == (size_t)-1, "row %ld field %zu: not UTF-8",
                       row, i);
        }
        if (!c)
            continue;
        size_t width = csv_width(x);
        bool any = false;
        for (size_t i = 0; i < width; i++)
            any |= *xjl_xlsx_field(x, i, NULL) != '\0';
        if (!any) /* the CSV view has a blank line there, which its reader skips */
            continue;
        int next = xjl_csv_next(c);
        FUZZ_CHECK(next == 1, "csv: no row for sheet row %ld (%d: %s)", row, next, xjl_errmsg());
        FUZZ_CHECK(xjl_csv_line(c) == row, "csv: line %ld for sheet row %ld", xjl_csv_line(c), row);
        FUZZ_CHECK(xjl_csv_field_count(c) == width, "row %ld: %zu fields, sheet %zu", row,
                   xjl_csv_field_count(c), width);
        for (size_t i = 0; i < width; i++) {
            size_t a, b;
            const char *fa = xjl_xlsx_field(x, i, &a), *fb = xjl_csv_field(c, i, &b);
            FUZZ_CHECK(a == b && memcmp(fa, fb, a) == 0, "row %ld field %zu differs", row, i);
        }
    }
    FUZZ_CHECK(rc == 0, "xlsx next: %d", rc);
    if (c)
        FUZZ_CHECK(xjl_csv_next(c) == 0, "csv: a row after the sheet's last");
    xjl_csv_close(c);
    xjl_xlsx_close(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd;
    char path[64];
    if (size > 0 && (data[0] & 1)) {
        fuzz_file(data + 1, size - 1, &fd, path);
    } else {
        fuzz_file(NULL, 0, &fd, path);
        zip_parts(path, size ? data + 1 : data, size ? size - 1 : 0);
    }
    compare(path);
    fuzz_file_close(fd);
    return 0;
}
