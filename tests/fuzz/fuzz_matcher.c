/* The matcher: records from the input (five lines each, the first
 * records the registry, the last ones the queries) give the same results
 * on one thread and on four. */
#include "fuzz.h"

#define MAX_RECS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *f[5 * MAX_RECS];
    char *copy = fuzz_split(data, size, f, 5 * MAX_RECS);
    xjl_record recs[MAX_RECS];
    for (int i = 0; i < MAX_RECS; i++)
        recs[i] = (xjl_record){f[5 * i], f[5 * i + 1], f[5 * i + 2], f[5 * i + 3], f[5 * i + 4]};
    xjl_index *ix = NULL;
    FUZZ_CHECK(xjl_index_new(&ix) == XJL_OK, "index: %s", xjl_errmsg());
    for (int i = 0; i < MAX_RECS / 2; i++) {
        char id[16];
        snprintf(id, sizeof id, "r%d", i);
        (void)xjl_index_add(ix, id, &recs[i]);
    }
    FUZZ_CHECK(xjl_index_build(ix, 2) == XJL_OK, "build");
    xjl_matcher *m = NULL;
    FUZZ_CHECK(xjl_matcher_new(&m, ix) == XJL_OK, "matcher: %s", xjl_errmsg());
    xjl_result *one[MAX_RECS] = {0}, *four[MAX_RECS] = {0};
    FUZZ_CHECK(xjl_matcher_match_many(m, recs, MAX_RECS, 1, one) == XJL_OK, "one thread");
    FUZZ_CHECK(xjl_matcher_match_many(m, recs, MAX_RECS, 4, four) == XJL_OK, "four threads");
    for (int i = 0; i < MAX_RECS; i++) {
        FUZZ_CHECK(xjl_result_status(one[i]) == xjl_result_status(four[i]), "record %d status", i);
        size_t n = xjl_result_candidate_count(one[i]);
        FUZZ_CHECK(n == xjl_result_candidate_count(four[i]), "record %d candidates", i);
        for (size_t c = 0; c < n; c++) {
            FUZZ_CHECK(xjl_result_candidate_pos(one[i], c) == xjl_result_candidate_pos(four[i], c),
                       "record %d candidate %zu", i, c);
            FUZZ_CHECK(xjl_result_candidate_score(one[i], c) ==
                           xjl_result_candidate_score(four[i], c),
                       "record %d candidate %zu score", i, c);
        }
        xjl_result_free(one[i]);
        xjl_result_free(four[i]);
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
    free(copy);
    return 0;
}
