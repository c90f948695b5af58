/* Errors, findings table and version. */
#include "util/util.h"

#include <pthread.h>
#include <stdint.h>

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
    assert_true(XJL_F_COUNT <= 32);       /* findings are a 32-bit set */
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

/* The code travels with the message, per thread. */
static void *fail_in_thread(void *arg)
{
    (void)arg;
    xjl__fail(XJL_EIO, "in a thread");
    return (void *)(intptr_t)xjl_errcode();
}

static void test_errcode(void **state)
{
    (void)state;
    xjl_error_clear();
    assert_int_equal(xjl_errcode(), XJL_OK);
    assert_string_equal(xjl_errmsg(), "");
    assert_int_equal(xjl_csv_open(NULL, "x", XJL_ENC_AUTO), XJL_EINVAL);
    assert_int_equal(xjl_errcode(), XJL_EINVAL);
    pthread_t t;
    void *got;
    assert_int_equal(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
    assert_int_equal(pthread_join(t, &got), 0);
    assert_int_equal((int)(intptr_t)got, XJL_EIO);
    assert_int_equal(xjl_errcode(), XJL_EINVAL); /* this thread's own */
    assert_int_equal(xjl__fail(XJL_ENOTFOUND, "x"), XJL_ENOTFOUND);
    assert_int_equal(xjl_errcode(), XJL_ENOTFOUND);
    xjl_error_clear();
    assert_int_equal(xjl_errcode(), XJL_OK);
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
    static const struct {
        const char *s;
        size_t len;
        size_t bad;
    } rows[] = {
        {"abc", 3, (size_t)-1},
        {"张伟", 6, (size_t)-1},
        {"\xF0\xA0\x80\x80", 4, (size_t)-1}, /* U+20000, Ext B */
        {"a\x80", 2, 1},                     /* lone continuation */
        {"\xC0\xAF", 2, 0},                  /* overlong */
        {"\xED\xA0\x80", 3, 0},              /* surrogate */
        {"\xE5\xBC", 2, 0},                  /* truncated */
        {"ab\xF5\x80\x80\x80", 6, 2},        /* above U+10FFFF */
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

/* The inline decoder must agree with xjl__utf8_next on everything: value and
 * position, for every lead byte followed by boundary continuation bytes, whole
 * and cut short (overlong, surrogate, truncated and stray bytes included). */
static void test_utf8_fast_path(void **state)
{
    (void)state;
    static const unsigned char follow[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
                                           0x9F, 0xA0, 0xBF, 0xC0, 0xE0, 0xFF};
    char buf[4];
    for (unsigned lead = 0; lead < 256; lead++)
        for (size_t a = 0; a < sizeof follow; a++)
            for (size_t b = 0; b < sizeof follow; b++)
                for (size_t len = 1; len <= 4; len++) {
                    buf[0] = (char)lead;
                    buf[1] = (char)follow[a];
                    buf[2] = (char)follow[b];
                    buf[3] = (char)0x80;
                    size_t slow_pos = 0, fast_pos = 0;
                    int32_t slow = xjl__utf8_next(buf, len, &slow_pos);
                    int32_t fast = xjl__utf8_next_fast(buf, len, &fast_pos);
                    if (slow != fast || slow_pos != fast_pos)
                        fail_msg("%02X %02X %02X (len %zu): fast %d at %zu, slow %d at %zu", lead,
                                 follow[a], follow[b], len, fast, fast_pos, slow, slow_pos);
                }
    /* A 3-byte sequence later in the string, and one cut by len. */
    const char *s = "a\xE5\xBC\xA0";
    size_t pos = 1;
    assert_int_equal(xjl__utf8_next_fast(s, 4, &pos), 0x5F20);
    assert_int_equal(pos, 4);
    pos = 1;
    assert_int_equal(xjl__utf8_next_fast(s, 3, &pos), -1);
    assert_int_equal(pos, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_findings_table),
        cmocka_unit_test(test_strerror_and_message),
        cmocka_unit_test(test_errcode),
        cmocka_unit_test(test_copy_out),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf8_fast_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
