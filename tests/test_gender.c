/* 性别 (GB/T 2261.1): codes and the words rosters write. */
#include "fields/fields.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static void test_accepted(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        xjl_gender want;
    } rows[] = {
        {"0", XJL_GENDER_UNKNOWN},
        {"1", XJL_GENDER_MALE},
        {"2", XJL_GENDER_FEMALE},
        {"9", XJL_GENDER_UNSPECIFIED},
        {"１", XJL_GENDER_MALE}, /* full-width digits */
        {"２", XJL_GENDER_FEMALE},
        {"９", XJL_GENDER_UNSPECIFIED},
        {"男", XJL_GENDER_MALE},
        {"女", XJL_GENDER_FEMALE},
        {"男性", XJL_GENDER_MALE},
        {"女性", XJL_GENDER_FEMALE},
        {"男生", XJL_GENDER_MALE},
        {"女生", XJL_GENDER_FEMALE},
        {"未知的性别", XJL_GENDER_UNKNOWN},
        {"未说明的性别", XJL_GENDER_UNSPECIFIED},
        {"M", XJL_GENDER_MALE},
        {"m", XJL_GENDER_MALE},
        {"F", XJL_GENDER_FEMALE},
        {"f", XJL_GENDER_FEMALE},
        {"Male", XJL_GENDER_MALE},
        {"MALE", XJL_GENDER_MALE},
        {"female", XJL_GENDER_FEMALE},
        {"FeMaLe", XJL_GENDER_FEMALE},
        {"Ｍ", XJL_GENDER_MALE}, /* full-width letters */
        {"ｆｅｍａｌｅ", XJL_GENDER_FEMALE},
        {" 男 ", XJL_GENDER_MALE}, /* surrounding spaces of every kind */
        {"\t女\r\n", XJL_GENDER_FEMALE},
        {"\xE3\x80\x80"
         "男\xE3\x80\x80",
         XJL_GENDER_MALE}, /* U+3000 */
        {"\xC2\xA0"
         "2",
         XJL_GENDER_FEMALE}, /* NBSP */
        {"\xEF\xBB\xBF"
         "1",
         XJL_GENDER_MALE}, /* BOM */
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        xjl_gender g = (xjl_gender)-1;
        int rc = xjl_gender_parse(rows[i].s, XJL_NTS, &g);
        if (rc != XJL_OK || g != rows[i].want)
            fail_msg("row %zu '%s': rc %d gender %d, want %d", i, rows[i].s, rc, (int)g,
                     (int)rows[i].want);
        /* The explicit length reads the same. */
        g = (xjl_gender)-1;
        assert_int_equal(xjl_gender_parse(rows[i].s, strlen(rows[i].s), &g), XJL_OK);
        assert_int_equal(g, rows[i].want);
    }
}

static void test_rejected(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "3",     "8",   "10",    "01",  "x",   "ma", "mal",      "males", "男女",
        "男 性", "man", "woman", "boy", "1.0", "+1", "女孩子的", "?",     "\xE5\xA5\xB3?", /* 女? */
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        xjl_gender g = XJL_GENDER_MALE;
        xjl__clear_error();
        int rc = xjl_gender_parse(rows[i], XJL_NTS, &g);
        if (rc != XJL_EINVAL)
            fail_msg("row %zu '%s' accepted as %d", i, rows[i], (int)g);
        assert_int_equal(g, XJL_GENDER_UNKNOWN);
        assert_non_null(strstr(xjl_errmsg(), "gender"));
        assert_non_null(strstr(xjl_errmsg(), rows[i]));
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    xjl_gender g = XJL_GENDER_MALE;

    assert_int_equal(xjl_gender_parse("", XJL_NTS, &g), XJL_EINVAL);
    assert_int_equal(g, XJL_GENDER_UNKNOWN);
    assert_non_null(strstr(xjl_errmsg(), "empty"));
    assert_int_equal(xjl_gender_parse(NULL, XJL_NTS, &g), XJL_EINVAL);
    assert_int_equal(xjl_gender_parse("   ", XJL_NTS, &g), XJL_EINVAL);

    assert_int_equal(xjl_gender_parse("\xE7\x94", XJL_NTS, &g), XJL_EINVAL); /* truncated 男 */
    assert_non_null(strstr(xjl_errmsg(), "UTF-8"));
    assert_int_equal(xjl_gender_parse("\xFF", XJL_NTS, &g), XJL_EINVAL);

    assert_int_equal(xjl_gender_parse("1\0"
                                      "2",
                                      3, &g),
                     XJL_EINVAL); /* embedded NUL */
    assert_non_null(strstr(xjl_errmsg(), "NUL"));
    assert_int_equal(g, XJL_GENDER_UNKNOWN);

    static char big[10001]; /* a 10,000-character field */
    memset(big, '1', 10000);
    big[10000] = '\0';
    assert_int_equal(xjl_gender_parse(big, XJL_NTS, &g), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "too long"));
    /* 10,000 spaces around a code are only padding. */
    memset(big, ' ', 10000);
    big[5000] = '2';
    assert_int_equal(xjl_gender_parse(big, 10000, &g), XJL_OK);
    assert_int_equal(g, XJL_GENDER_FEMALE);

    assert_int_equal(xjl_gender_parse("1", XJL_NTS, NULL), XJL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
