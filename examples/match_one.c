/*
 * match_one: embed xjlink in a C program.  Builds a small registry index,
 * matches one roster row against it and prints why the row got its status:
 * per candidate, how each of the five key fields agreed.
 *
 *   ./match_one
 *
 * Exits 0 when the row is offered for review with the right record first,
 * as the comments below expect; any failing call prints its message.
 */
#include <stdio.h>
#include <stdlib.h>

#include "xjlink.h"

static int fail(const char *what, int rc)
{
    fprintf(stderr, "match_one: %s: %s (%s)\n", what, xjl_strerror(rc), xjl_errmsg());
    return EXIT_FAILURE;
}

int main(void)
{
    /* A registry as a preschool system holds it: id and the five key fields
     * (姓名, 性别, 出生日期, 身份证件类型, 身份证件号). */
    static const struct {
        const char *id;
        xjl_record rec;
    } registry[] = {
        {"XQ11010800001", {"张子涵", "女", "2019-04-12", "居民身份证", "110108201904127446"}},
        {"XQ11010800002", {"张梓涵", "女", "2019-04-12", "居民身份证", "110108201904127403"}},
        {"XQ65010200003",
         {"阿依古丽·买买提", "女", "2018-04-17", "居民身份证", "650102201804174824"}},
        {"XQ37020200004", {"陈思远", "男", "2019-01-04", "户口簿", "370202201901046013"}},
    };

    xjl_index *ix = NULL;
    int rc = xjl_index_new(&ix);
    if (rc)
        return fail("xjl_index_new", rc);
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
        rc = xjl_index_add(ix, registry[i].id, &registry[i].rec);
        if (rc)
            return fail("xjl_index_add", rc);
    }
    rc = xjl_index_build(ix, 1);
    if (rc)
        return fail("xjl_index_build", rc);
    xjl_matcher *m = NULL;
    rc = xjl_matcher_new(&m, ix);
    if (rc)
        return fail("xjl_matcher_new", rc);

    /* What a school typed: a homophone (子 for 梓), the day and month of the
     * birth date swapped, gender as a code, the ID type left empty. */
    xjl_record row = {"张子涵", "2", "2019-12-04", "", "110108201904127403"};
    xjl_result *res = NULL;
    if ((rc = xjl_matcher_match(m, &row, &res)))
        return fail("xjl_matcher_match", rc);

    xjl_match_status st = xjl_result_status(res);
    printf("row: %s %s %s %s\n", row.name, row.gender, row.birth_date, row.id_number);
    printf("status: %s (%s), score %.1f\n", xjl_status_name(st), xjl_status_label_zh(st),
           xjl_result_score(res));
    char findings[256];
    size_t len;
    if (xjl_parsed_describe(xjl_result_query(res), findings, sizeof findings, &len) == XJL_OK)
        printf("findings: %s\n", len ? findings : "(none)");
    for (size_t i = 0; i < xjl_result_candidate_count(res); i++) {
        printf("  %zu. %s  score %.1f\n", i + 1, xjl_result_candidate_id(res, i),
               xjl_result_candidate_score(res, i));
        for (int f = XJL_FIELD_NAME; f <= XJL_FIELD_ID_NUMBER; f++)
            printf("       %-6s %s\n", xjl_field_label_zh((xjl_field)f),
                   xjl_level_name(xjl_result_candidate_level(res, i, (xjl_field)f)));
    }

    /* A day/month swap is never matched automatically: the school confirms. */
    int ok = st == XJL_PENDING && xjl_result_candidate_count(res) > 0 &&
             xjl_result_candidate_level(res, 0, XJL_FIELD_BIRTH_DATE) == XJL_LV_DATE_SWAP;

    xjl_result_free(res);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
