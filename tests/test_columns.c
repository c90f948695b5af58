/* Key columns of a header (lib/io/columns.c): names, the standard's codes,
 * user mappings, and the errors a mapping or a header can give. */
#include "io/io.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

/* The national data standard's element codes, in any case, with the marks
 * templates add. */
static void test_standard_codes(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int field;
    } cases[] = {
        {"XM", XJL_FIELD_NAME},
        {"xm", XJL_FIELD_NAME},
        {"*XM", XJL_FIELD_NAME},
        {"XBM", XJL_FIELD_GENDER},
        {"性别码", XJL_FIELD_GENDER},
        {"CSRQ", XJL_FIELD_BIRTH_DATE},
        {"CSRQ（YYYYMMDD）", XJL_FIELD_BIRTH_DATE},
        {"SFZJLXM", XJL_FIELD_ID_TYPE},
        {"SFZJ_LXM", XJL_FIELD_ID_TYPE},
        {"SFZJH", XJL_FIELD_ID_NUMBER},
        {"sfzjh", XJL_FIELD_ID_NUMBER},
        {"XMPY", -1}, /* 姓名拼音: not the name */
        {"MZM", -1},  /* 民族码: not a key field */
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++)
        if (xjl_csv_key_field(cases[k].name) != cases[k].field)
            fail_msg("'%s': field %d, want %d", cases[k].name, xjl_csv_key_field(cases[k].name),
                     cases[k].field);
}

/* A header and a mapping → the five columns, or an error with words in its
 * message. */
static void test_mappings(void **state)
{
    (void)state;
    static const char *const header[] = {"学生名称", "XBM", " 生日 ", "ZJLX", "ZJHM", "姓名"};
    static const struct {
        const char *mapping;
        int rc;
        int cols[5];
        const char *msg[3];
    } cases[] = {
        /* 姓名 is found by name; the document columns have no known name */
        {NULL, XJL_EFORMAT, {0}, {"R.xlsx line 2", "身份证件类型 (id_type)", "'ZJHM'"}},
        {"身份证件类型=ZJLX,身份证件号=ZJHM", XJL_OK, {5, 1, 2, 3, 4}, {0}},
        /* the mapping wins over a column found by name; full-width comma; spaces */
        {" 姓名 = 学生名称 ，id_type=ZJLX,SFZJH=ZJHM,", XJL_OK, {0, 1, 2, 3, 4}, {0}},
        /* FIELD may be any of its names; COLUMN is trimmed like the header */
        {"name=学生名称,证件类型=ZJLX,idnumber=ZJHM,出生日期=生日", XJL_OK, {0, 1, 2, 3, 4}, {0}},
        {"身份证件类型=ZJLX,身份证件号=身份证",
         XJL_EFORMAT,
         {0},
         {"R.xlsx line 2", "no column named '身份证'", "'ZJHM'"}},
        {"身份证件类型", XJL_EINVAL, {0}, {"'身份证件类型'", "FIELD=COLUMN"}},
        {"民族=MZ", XJL_EINVAL, {0}, {"'民族=MZ'", "FIELD=COLUMN"}},
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        int cols[5];
        int rc = xjl_key_columns(header, XJL_ARRAY_LEN(header), cases[k].mapping,
                                 "file R.xlsx line 2", cols);
        if (rc != cases[k].rc)
            fail_msg("case %zu: rc %d, want %d (%s)", k, rc, cases[k].rc, xjl_errmsg());
        if (rc == XJL_OK) {
            for (int f = 0; f < 5; f++)
                if (cols[f] != cases[k].cols[f])
                    fail_msg("case %zu: field %d in column %d, want %d", k, f, cols[f],
                             cases[k].cols[f]);
            continue;
        }
        for (int m = 0; m < 3 && cases[k].msg[m]; m++)
            if (!strstr(xjl_errmsg(), cases[k].msg[m]))
                fail_msg("case %zu: message '%s' lacks '%s'", k, xjl_errmsg(), cases[k].msg[m]);
    }
}

static void test_edges(void **state)
{
    (void)state;
    int cols[5];
    static const char *const codes[] = {"XM", "XBM", "CSRQ", "SFZJLXM", "SFZJH", NULL};
    assert_int_equal(xjl_key_columns(codes, 6, NULL, NULL, cols), XJL_OK);
    for (int f = 0; f < 5; f++)
        assert_int_equal(cols[f], f);
    assert_int_equal(xjl_key_columns(NULL, 0, NULL, NULL, cols), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "the header: missing column 姓名 (name)"));
    assert_non_null(strstr(xjl_errmsg(), "no columns"));
    assert_int_equal(xjl_key_columns(NULL, 3, NULL, NULL, cols), XJL_EINVAL);
    assert_int_equal(xjl_key_columns(codes, 5, NULL, NULL, NULL), XJL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_codes),
        cmocka_unit_test(test_mappings),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
