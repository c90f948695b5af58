/* Partial results of the duplicate check (xjl_dedup_save's files), as
 * another machine might hand them over: loaded or refused with a message;
 * a loaded one finishes into rows that name their records. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd;
    char path[64];
    fuzz_file(data, size, &fd, path);
    xjl_dedup *d = NULL;
    FUZZ_CHECK(xjl_dedup_new(&d) == XJL_OK, "dedup: %s", xjl_errmsg());
    int rc = xjl_dedup_load(d, path);
    FUZZ_CHECK(rc == XJL_OK || (rc < 0 && *xjl_errmsg()), "load: rc %d without a message", rc);
    if (rc == XJL_OK && (rc = xjl_dedup_finish(d)) == XJL_OK) {
        for (size_t i = 0; i < xjl_dedup_row_count(d); i++) {
            xjl_dup_row row;
            FUZZ_CHECK(xjl_dedup_row(d, i, &row) == XJL_OK, "row %zu", i);
            FUZZ_CHECK(row.record_id != NULL && row.reasons != NULL, "row %zu", i);
        }
    }
    FUZZ_CHECK(rc == XJL_OK || *xjl_errmsg(), "finish: rc %d without a message", rc);
    xjl_dedup_free(d);
    fuzz_file_close(fd);
    return 0;
}
