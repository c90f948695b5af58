/* GB/T 2260 region codes 1980-2019: the generated table against its source. */
#include "fields/fields.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_examples(void **state)
{
    (void)state;
    static const struct {
        int32_t code;
        const char *name; /* NULL: never in the standard */
    } rows[] = {
        {110000, "北京市"}, {110101, "东城区"}, {110103, "崇文区"}, /* merged into 东城区 in 2010 */
        {110223, "通县"},   /* became 通州区 in 1997: last in the 1996 revision */
        {130122, "获鹿县"}, /* abolished in 1994 */
        {360426, "德安县"}, {440308, "盐田区"}, {810000, "香港特别行政区"},
        {999999, NULL},     {110199, NULL},     {0, NULL},
        {-110101, NULL},    {1110101, NULL},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        const char *name = xjl_region_name(rows[i].code);
        assert_int_equal(xjl__region_known(rows[i].code), rows[i].name != NULL);
        if (rows[i].name)
            assert_string_equal(name, rows[i].name);
        else
            assert_null(name);
    }
}

/* Every 6-digit code: known exactly when the source table lists it, with
 * the source's name. */
static void test_whole_table(void **state)
{
    (void)state;
    const char *root = getenv("XJL_SOURCE_ROOT");
    if (!root)
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/data/gb2260_region_codes.tsv", root);
    FILE *f = fopen(path, "r");
    assert_non_null(f);

    static char *names[1000000];
    char line[512];
    size_t rows = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        long code = strtol(line, NULL, 10);
        assert_true(code >= 100000 && code <= 999999);
        char *end = strchr(tab + 1, '\t');
        assert_non_null(end);
        *end = '\0';
        names[code] = strdup(tab + 1);
        rows++;
    }
    fclose(f);
    assert_true(rows > 7000);

    size_t known = 0;
    for (int32_t code = 0; code < 1000000; code++) {
        bool k = xjl__region_known(code);
        if (k != (names[code] != NULL))
            fail_msg("code %06d: known %d, in the table %d", (int)code, k, names[code] != NULL);
        if (names[code]) {
            assert_string_equal(xjl_region_name(code), names[code]);
            free(names[code]);
            names[code] = NULL;
            known++;
        }
    }
    assert_int_equal(known, rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_whole_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
