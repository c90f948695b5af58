/* The parallel registry loader against reading the same file row by row
 * (differentially): the same records, ids and fields in the same order,
 * the same rows refused, the same outcome.  Built with tiny block sizes
 * (-Dregistry_block_bytes, -Dcsv_block_bytes) every few rows cross a block
 * edge. */
#include "fuzz.h"
#include "match/matching.h"

static const char header[] = "id,姓名,性别,出生日期,身份证件类型,身份证件号\n";

/* Reads the file as xjl_index_add_csv() would, one row at a time. */
static int load_rows(const char *path, xjl_index *ix, size_t *bad)
{
    xjl_csv *csv = NULL;
    struct xjl_row_layout l;
    int rc = xjl__registry_open(path, XJL_ENC_AUTO, "id", NULL, &csv, &l);
    if (rc)
        return rc;
    const int *cols = l.key;
    int idcol = l.id;
    while ((rc = xjl_csv_next(csv)) == 1) {
        if (!xjl__registry_row_loads(csv, &l, path, NULL, NULL)) {
            ++*bad;
            continue;
        }
        xjl_record rec = {
            xjl_csv_field(csv, (size_t)cols[0], NULL), xjl_csv_field(csv, (size_t)cols[1], NULL),
            xjl_csv_field(csv, (size_t)cols[2], NULL), xjl_csv_field(csv, (size_t)cols[3], NULL),
            xjl_csv_field(csv, (size_t)cols[4], NULL)};
        if ((rc = xjl_index_add(ix, xjl_csv_field(csv, (size_t)idcol, NULL), &rec)) != XJL_OK)
            break;
    }
    xjl_csv_close(csv);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *text = malloc(sizeof header - 1 + size);
    FUZZ_CHECK(text != NULL, "out of memory");
    memcpy(text, header, sizeof header - 1);
    memcpy(text + sizeof header - 1, data, size);
    int fd;
    char path[64];
    fuzz_file(text, sizeof header - 1 + size, &fd, path);
    free(text);
    xjl_index *par = NULL, *seq = NULL;
    FUZZ_CHECK(xjl_index_new(&par) == XJL_OK && xjl_index_new(&seq) == XJL_OK, "index: %s",
               xjl_errmsg());
    size_t bad_par = 0, bad_seq = 0;
    int rc_par = xjl_index_add_csv(par, path, XJL_ENC_AUTO, "id", NULL, NULL, &bad_par);
    int rc_seq = load_rows(path, seq, &bad_seq);
    FUZZ_CHECK((rc_par == XJL_OK) == (rc_seq == XJL_OK), "parallel rc %d, row by row rc %d", rc_par,
               rc_seq);
    if (rc_par == XJL_OK) {
        FUZZ_CHECK(bad_par == bad_seq, "rows refused: %zu parallel, %zu row by row", bad_par,
                   bad_seq);
        size_t n = xjl_index_count(par);
        FUZZ_CHECK(n == xjl_index_count(seq), "records: %zu parallel, %zu row by row", n,
                   xjl_index_count(seq));
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(strcmp(xjl_index_record_id(par, i), xjl_index_record_id(seq, i)) == 0,
                       "record %zu: id '%s' / '%s'", i, xjl_index_record_id(par, i),
                       xjl_index_record_id(seq, i));
            xjl_parsed a, b;
            FUZZ_CHECK(xjl_index_record(par, i, &a) == XJL_OK &&
                           xjl_index_record(seq, i, &b) == XJL_OK,
                       "record %zu", i);
            FUZZ_CHECK(strcmp(a.name, b.name) == 0 && a.gender == b.gender &&
                           a.birth_date == b.birth_date && a.id_type == b.id_type &&
                           strcmp(a.id.normalized, b.id.normalized) == 0 &&
                           memcmp(a.findings, b.findings, sizeof a.findings) == 0,
                       "record %zu ('%s') differs", i, xjl_index_record_id(par, i));
        }
    }
    xjl_index_free(par);
    xjl_index_free(seq);
    fuzz_file_close(fd);
    return 0;
}
