/* Errors, findings table and version. */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

int xjl__finding_table_code(int i);

static void test_version(void **state)
{
    (void)state;
    assert_int_equal(xjl_version_number(), XJL_VERSION_NUMBER);
    assert_string_equal(xjl_version(), XJL_VERSION_STRING);
}

static void test_findings_table(void **state)
{
    (void)state;
    for (int i = 0; i < XJL_F_COUNT; i++) {
        assert_int_equal(xjl__finding_table_code(i), i);
        assert_true(strlen(xjl_finding_name(i)) > 0);
        assert_true(strlen(xjl_finding_message(i, 0)) > 0);
        assert_true(strlen(xjl_finding_message(i, 1)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(xjl_finding_name(i), xjl_finding_name(j));
    }
    assert_true(XJL_F_COUNT <= 32); /* findings are a 32-bit set */
    for (int i = 0; i < XJL_F_COUNT; i++) /* the hot paths' mask is the table's */
        assert_int_equal(xjl_finding_is_error(i), (XJL_ERROR_FINDINGS & XJL_FINDING_BIT(i)) != 0);
    assert_string_equal(xjl_finding_name(XJL_F_COUNT), "unknown");
    assert_string_equal(xjl_finding_name(-1), "unknown");
    assert_true(xjl_finding_is_error(XJL_F_ID_CHECK));
    assert_false(xjl_finding_is_error(XJL_F_ID_REGION));
}

static void test_strerror_and_message(void **state)
{
    (void)state;
    for (int c = 0; c >= XJL_EDUPLICATE; c--)
        assert_string_not_equal(xjl_strerror(c), "unknown error");
    assert_string_equal(xjl_strerror(-999), "unknown error");
    assert_int_equal(xjl__fail(XJL_EINVAL, "field %s: value '%s'", "gender", "x"), XJL_EINVAL);
    assert_string_equal(xjl_errmsg(), "field gender: value 'x'");
    xjl__clear_error();
    assert_string_equal(xjl_errmsg(), "");
}

static void test_copy_out(void **state)
{
    (void)state;
    char buf[4];
    size_t n = 0;
    assert_int_equal(xjl__copy_out("abc", XJL_NTS, buf, sizeof buf, &n), XJL_OK);
    assert_string_equal(buf, "abc");
    assert_int_equal(xjl__copy_out("abcd", XJL_NTS, buf, sizeof buf, &n), XJL_ERANGE);
    assert_int_equal(n, 4);
}

static void test_utf8(void **state)
{
    (void)state;
    static const struct { const char *s; size_t len; size_t bad; } rows[] = {
        {"abc", 3, (size_t)-1},
        {"张伟", 6, (size_t)-1},
        {"\xF0\xA0\x80\x80", 4, (size_t)-1}, /* U+20000, Ext B */
        {"a\x80", 2, 1},                      /* lone continuation */
        {"\xC0\xAF", 2, 0},                   /* overlong */
        {"\xED\xA0\x80", 3, 0},               /* surrogate */
        {"\xE5\xBC", 2, 0},                   /* truncated */
        {"ab\xF5\x80\x80\x80", 6, 2},         /* above U+10FFFF */
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++)
        assert_int_equal(xjl__utf8_invalid_at(rows[i].s, rows[i].len), rows[i].bad);
    char buf[4];
    uint32_t cps[] = {0x41, 0xB7, 0x5F20, 0x20000};
    for (size_t i = 0; i < 4; i++) {
        size_t n = xjl__utf8_put(buf, cps[i]), pos = 0;
        assert_int_equal(xjl__utf8_next(buf, n, &pos), (int32_t)cps[i]);
        assert_int_equal(pos, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_findings_table),
        cmocka_unit_test(test_strerror_and_message),
        cmocka_unit_test(test_copy_out),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
