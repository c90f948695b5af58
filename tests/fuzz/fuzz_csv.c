/* The CSV reader, in UTF-8, GB18030 and judged (the input's first byte
 * picks the encoding): every row ends, every field has the length it says
 * and is valid UTF-8 (what a GB18030 file decodes to too), and the reader
 * stops at the end or at a clear error. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const xjl_encoding encs[] = {XJL_ENC_UTF8, XJL_ENC_GB18030, XJL_ENC_AUTO};
    xjl_encoding enc = encs[data[0] % 3];
    int fd;
    char path[64];
    fuzz_file(data + 1, size - 1, &fd, path);
    xjl_csv *csv = NULL;
    int rc = xjl_csv_open(&csv, path, enc);
    FUZZ_CHECK(rc == XJL_OK || rc < 0, "open: rc %d", rc);
    if (rc == XJL_OK) {
        for (size_t c = 0; c < xjl_csv_column_count(csv); c++)
            FUZZ_CHECK(xjl_csv_column_name(csv, c) != NULL, "column %zu has no name", c);
        int cols[5];
        (void)xjl_csv_key_columns(csv, cols);
        long rows = 0, last_line = xjl_csv_line(csv);
        while ((rc = xjl_csv_next(csv)) == 1) {
            rows++;
            FUZZ_CHECK(xjl_csv_line(csv) > last_line, "line %ld after %ld", xjl_csv_line(csv),
                       last_line);
            last_line = xjl_csv_line(csv);
            for (size_t i = 0; i < xjl_csv_field_count(csv); i++) {
                size_t len = 0;
                const char *f = xjl_csv_field(csv, i, &len);
                FUZZ_CHECK(f != NULL, "row %ld field %zu is NULL", rows, i);
                FUZZ_CHECK(f[len] == '\0', "row %ld field %zu: no NUL after %zu bytes", rows, i,
                           len);
                xjl_parsed p;
                xjl_record rec = {f, NULL, NULL, NULL, NULL};
                FUZZ_CHECK(xjl_record_parse(&rec, &p) == XJL_OK, "row %ld field %zu", rows, i);
            }
        }
        FUZZ_CHECK(rc == 0 || rc < 0, "next: rc %d", rc);
        FUZZ_CHECK(rc == 0 || *xjl_errmsg(), "an error without a message");
        xjl_csv_close(csv);
    } else {
        FUZZ_CHECK(*xjl_errmsg(), "open refused without a message");
    }
    fuzz_file_close(fd);
    return 0;
}
