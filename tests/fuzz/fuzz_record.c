/* Records: five lines of input as the five key fields.  Reading never
 * fails; the error and warning counts agree with the findings; a record
 * without error findings can be described and indexed and found again. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *f[5];
    char *copy = fuzz_split(data, size, f, 5);
    xjl_record rec = {f[0], f[1], f[2], f[3], f[4]};
    xjl_parsed p;
    FUZZ_CHECK(xjl_record_parse(&rec, &p) == XJL_OK, "a record is always read");
    size_t errors = 0, warnings = 0;
    for (int field = 0; field < XJL_FIELD_COUNT; field++)
        for (int code = 0; code < 32; code++)
            if (p.findings[field] & (1u << code))
                xjl_finding_is_error((xjl_finding)code) ? errors++ : warnings++;
    FUZZ_CHECK(errors == p.errors && warnings == p.warnings, "counted %zu/%zu, said %zu/%zu",
               errors, warnings, p.errors, p.warnings);
    char text[2048];
    size_t len = 0;
    FUZZ_CHECK(xjl_parsed_describe(&p, text, sizeof text, &len) == XJL_OK, "describe");
    xjl_index *ix = NULL;
    FUZZ_CHECK(xjl_index_new(&ix) == XJL_OK, "index: %s", xjl_errmsg());
    int rc = xjl_index_add(ix, "r1", &rec);
    FUZZ_CHECK(rc == XJL_OK || rc == XJL_EINVAL, "index_add rc %d", rc);
    if (rc == XJL_OK && xjl_index_build(ix, 1) == XJL_OK) {
        FUZZ_CHECK(xjl_index_find_id(ix, "r1") == 0, "the record is not found by its id");
        xjl_matcher *m = NULL;
        FUZZ_CHECK(xjl_matcher_new(&m, ix) == XJL_OK, "matcher of a built index: %s", xjl_errmsg());
        xjl_result *res = NULL;
        FUZZ_CHECK(xjl_matcher_match(m, &rec, &res) == XJL_OK, "match");
        xjl_result_free(res);
        xjl_matcher_free(m);
    }
    xjl_index_free(ix);
    free(copy);
    return 0;
}
