/* 出生日期: day numbers, the spellings rosters use, Excel serials, bad input. */
#include "fields/fields.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* 2019-09-01: 49 years of 365 days since 1970, 12 leap days (1972..2016),
 * and 243 days of January..August. */
#define D_2019_09_01 (49 * 365 + 12 + 243)

static void test_known_day_numbers(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        int32_t days;
    } rows[] = {
        {1970, 1, 1, 0},         {1969, 12, 31, -1},         {1970, 3, 1, 59},
        {2000, 3, 1, 11017},     {2019, 9, 1, D_2019_09_01}, {1900, 1, 1, -25567},
        {1900, 3, 1, -25508},    {2099, 12, 31, 47481},      {1, 1, 1, -719162},
        {9999, 12, 31, 2932896},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        assert_int_equal(xjl_date_from_ymd(rows[i].y, rows[i].m, rows[i].d), rows[i].days);
        int y, m, d;
        assert_int_equal(xjl_date_to_ymd(rows[i].days, &y, &m, &d), XJL_OK);
        assert_int_equal(y, rows[i].y);
        assert_int_equal(m, rows[i].m);
        assert_int_equal(d, rows[i].d);
    }
    assert_int_equal(xjl_date_to_ymd(-719163, NULL, NULL, NULL), XJL_EINVAL);
    assert_int_equal(xjl_date_to_ymd(2932897, NULL, NULL, NULL), XJL_EINVAL);
    assert_int_equal(xjl_date_to_ymd(XJL_DATE_NONE, NULL, NULL, NULL), XJL_EINVAL);
    assert_int_equal(xjl_date_from_ymd(0, 1, 1), XJL_DATE_NONE);
    assert_int_equal(xjl_date_from_ymd(10000, 1, 1), XJL_DATE_NONE);
}

/* Walks 1600-01-01 .. 2400-12-31 one day at a time with a plain calendar
 * counter: every day number must follow the one before and round-trip. */
static void test_every_day_round_trips(void **state)
{
    (void)state;
    static const int month_len[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int32_t expect = xjl_date_from_ymd(1600, 1, 1);
    assert_int_not_equal(expect, XJL_DATE_NONE);
    for (int y = 1600; y <= 2400; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int len = month_len[m] + (m == 2 && leap);
            for (int d = 1; d <= len; d++, expect++) {
                int32_t got = xjl_date_from_ymd(y, m, d);
                if (got != expect)
                    fail_msg("%04d-%02d-%02d: %ld, want %ld", y, m, d, (long)got, (long)expect);
                int yy, mm, dd;
                assert_int_equal(xjl_date_to_ymd(got, &yy, &mm, &dd), XJL_OK);
                if (yy != y || mm != m || dd != d)
                    fail_msg("%ld back to %04d-%02d-%02d", (long)got, yy, mm, dd);
            }
            assert_int_equal(xjl_date_from_ymd(y, m, len + 1), XJL_DATE_NONE);
        }
        assert_int_equal(xjl_date_from_ymd(y, 13, 1), XJL_DATE_NONE);
        assert_int_equal(xjl_date_from_ymd(y, 0, 1), XJL_DATE_NONE);
        assert_int_equal(xjl_date_from_ymd(y, 1, 0), XJL_DATE_NONE);
    }
}

static void test_leap_years(void **state)
{
    (void)state;
    static const struct {
        int year;
        bool leap;
    } rows[] = {
        {1900, false}, {1904, true},  {1996, true}, {2000, true}, {2019, false},
        {2020, true},  {2023, false}, {2024, true}, {2096, true}, {2100, false},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        int32_t d = xjl_date_from_ymd(rows[i].year, 2, 29);
        assert_int_equal(d != XJL_DATE_NONE, rows[i].leap);
        assert_int_equal(xjl__date_check(rows[i].year, 2, 29),
                         rows[i].leap ? XJL_F_NONE : XJL_F_DATE_INVALID);
    }
    /* A real date outside the plausible years is out of range, not invalid. */
    assert_int_equal(xjl__date_check(1896, 2, 29), XJL_F_DATE_RANGE);
    assert_int_equal(xjl__date_check(2104, 2, 29), XJL_F_DATE_RANGE);
}

static void test_format(void **state)
{
    (void)state;
    char buf[11];
    assert_int_equal(xjl_date_format(D_2019_09_01, buf, sizeof buf), XJL_OK);
    assert_string_equal(buf, "2019-09-01");
    assert_int_equal(xjl_date_format(-719162, buf, sizeof buf), XJL_OK);
    assert_string_equal(buf, "0001-01-01");
    assert_int_equal(xjl_date_format(2932896, buf, sizeof buf), XJL_OK);
    assert_string_equal(buf, "9999-12-31");
    assert_int_equal(xjl_date_format(0, buf, 10), XJL_ERANGE);
    assert_int_equal(xjl_date_format(0, NULL, 11), XJL_ERANGE);
    assert_int_equal(xjl_date_format(XJL_DATE_NONE, buf, sizeof buf), XJL_EINVAL);
    assert_string_equal(buf, "");
}

/* Every spelling of 2019-09-01 we accept. */
static void test_spellings(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "2019-09-01",
        "2019-9-1",
        "2019-09-1",
        "2019-9-01",
        "2019/09/01",
        "2019/9/1",
        "2019.09.01",
        "2019.9.1",
        "20190901",
        "2019年9月1日",
        "2019年09月01日",
        "2019年9月1",
        /* full-width digits and separators */
        "２０１９－０９－０１",
        "２０１９／９／１",
        "２０１９．０９．０１",
        "２０１９０９０１",
        "２０１９年９月１日",
        /* surrounding white space */
        " 2019-09-01 ",
        "\t2019/9/1\r\n",
        "\xE3\x80\x80"
        "2019.9.1"
        "\xE3\x80\x80",
        "\xEF\xBB\xBF"
        "2019-09-01",
        /* the time Excel appends */
        "2019/9/1 0:00:00",
        "2019/9/1 0:00",
        "2019-09-01 00:00:00",
        "2019-09-01T00:00:00",
        "2019-09-01 00:00:00.000",
        "2019/9/1 23:59:59",
        "20190901 00:00:00",
        "2019年9月1日 0:00:00",
        "２０１９/９/１ ０:００:００",
        /* Excel serial day numbers */
        "43709",
        "４３７０９",
        " 43709 ",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        int32_t d = 0;
        xjl_finding f = XJL_F_COUNT;
        int rc = xjl_date_parse(rows[i], XJL_NTS, &d, &f);
        if (rc != XJL_OK || d != D_2019_09_01 || f != XJL_F_NONE)
            fail_msg("row %zu '%s': rc %d day %ld finding %d (%s)", i, rows[i], rc, (long)d, (int)f,
                     xjl_errmsg());
        d = 0;
        assert_int_equal(xjl_date_parse(rows[i], strlen(rows[i]), &d, NULL), XJL_OK);
        assert_int_equal(d, D_2019_09_01);
    }
}

static void test_findings(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        xjl_finding finding;
        int y, m, d; /* the date when finding is XJL_F_NONE */
    } rows[] = {
        /* Excel serials, with Lotus' 1900-02-29 */
        {"1", XJL_F_NONE, 1900, 1, 1},
        {"59", XJL_F_NONE, 1900, 2, 28},
        {"60", XJL_F_DATE_INVALID, 0, 0, 0},
        {"61", XJL_F_NONE, 1900, 3, 1},
        {"36526", XJL_F_NONE, 2000, 1, 1},
        {"73050", XJL_F_NONE, 2099, 12, 31},
        {"73051", XJL_F_DATE_RANGE, 0, 0, 0},
        {"99999", XJL_F_DATE_RANGE, 0, 0, 0},
        {"0", XJL_F_DATE_INVALID, 0, 0, 0},
        {"00000", XJL_F_DATE_INVALID, 0, 0, 0},
        /* calendar */
        {"2000-02-29", XJL_F_NONE, 2000, 2, 29},
        {"2024/2/29", XJL_F_NONE, 2024, 2, 29},
        {"2019-02-29", XJL_F_DATE_INVALID, 0, 0, 0},
        {"1900-02-29", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2100-02-29", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2019-02-30", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2019-04-31", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2019-13-01", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2019-00-10", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2019-01-00", XJL_F_DATE_INVALID, 0, 0, 0},
        {"20190230", XJL_F_DATE_INVALID, 0, 0, 0},
        {"00000000", XJL_F_DATE_INVALID, 0, 0, 0},
        {"2019年2月30日", XJL_F_DATE_INVALID, 0, 0, 0},
        /* plausible range */
        {"1900-01-01", XJL_F_NONE, 1900, 1, 1},
        {"2099-12-31", XJL_F_NONE, 2099, 12, 31},
        {"1899-12-31", XJL_F_DATE_RANGE, 0, 0, 0},
        {"2100-01-01", XJL_F_DATE_RANGE, 0, 0, 0},
        {"0019-09-01", XJL_F_DATE_RANGE, 0, 0, 0},
        {"99991231", XJL_F_DATE_RANGE, 0, 0, 0},
        /* spellings we do not know */
        {"2019-09/01", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/09-01", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"19-9-1", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"019-9-1", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019-9", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019-009-01", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019-09-001", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019--09-01", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019 09 01", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019年9月", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019年9-1", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019-09-01x", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019-09-01 ", XJL_F_NONE, 2019, 9, 1},
        {"2019-09-01 x", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/1 24:00:00", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/1 0:60", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/1 0:0", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/1 0:00:60", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/1 0:00:00.", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/1 0", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019/9/10:00", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"201909", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019090", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"201909011", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"1234567890123", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"43709.5", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"-1", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"+43709", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"abc", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"九月一日", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019年", XJL_F_DATE_SYNTAX, 0, 0, 0},
        {"2019\xE5\xB9", XJL_F_ENCODING, 0, 0, 0}, /* 年 cut short */
        {"", XJL_F_EMPTY, 0, 0, 0},
        {" \t\xE3\x80\x80 ", XJL_F_EMPTY, 0, 0, 0},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        int32_t d = 12345;
        xjl_finding f = XJL_F_COUNT;
        xjl__clear_error();
        int rc = xjl_date_parse(rows[i].s, XJL_NTS, &d, &f);
        int32_t want = rows[i].finding == XJL_F_NONE
                           ? xjl_date_from_ymd(rows[i].y, rows[i].m, rows[i].d)
                           : XJL_DATE_NONE;
        if (f != rows[i].finding || d != want ||
            rc != (rows[i].finding == XJL_F_NONE ? XJL_OK : XJL_EINVAL))
            fail_msg("row %zu '%s': rc %d day %ld finding %s, want %s", i, rows[i].s, rc, (long)d,
                     xjl_finding_name(f), xjl_finding_name(rows[i].finding));
        if (rc != XJL_OK)
            assert_non_null(strstr(xjl_errmsg(), "birth_date"));
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    int32_t d = 0;
    xjl_finding f = XJL_F_COUNT;

    assert_int_equal(xjl_date_parse(NULL, XJL_NTS, &d, &f), XJL_EINVAL);
    assert_int_equal(f, XJL_F_EMPTY);
    assert_int_equal(d, XJL_DATE_NONE);

    assert_int_equal(xjl_date_parse("2019-09-01\0"
                                    "99",
                                    13, &d, &f),
                     XJL_EINVAL);
    assert_int_equal(f, XJL_F_NUL);
    assert_non_null(strstr(xjl_errmsg(), "offset 10"));
    /* The same bytes up to the NUL are fine. */
    assert_int_equal(xjl_date_parse("2019-09-01\0"
                                    "99",
                                    10, &d, &f),
                     XJL_OK);

    static const char *const bad_utf8[] = {
        "\xFF"
        "2019-09-01",
        "2019-09-01\x80",
        "\xC0\xB2"
        "019-09-01",
        "2019\xED\xA0\x80",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(bad_utf8); i++) {
        assert_int_equal(xjl_date_parse(bad_utf8[i], XJL_NTS, &d, &f), XJL_EINVAL);
        assert_int_equal(f, XJL_F_ENCODING);
        assert_int_equal(d, XJL_DATE_NONE);
    }

    static char big[10001]; /* a 10,000-character field */
    memset(big, '2', 10000);
    big[10000] = '\0';
    assert_int_equal(xjl_date_parse(big, XJL_NTS, &d, &f), XJL_EINVAL);
    assert_int_equal(f, XJL_F_TOO_LONG);
    assert_non_null(strstr(xjl_errmsg(), "10000 bytes"));
    /* Padding is trimmed before the length counts. */
    memset(big, ' ', 10000);
    memcpy(big + 4000, "2019-09-01", 10);
    assert_int_equal(xjl_date_parse(big, XJL_NTS, &d, &f), XJL_OK);
    assert_int_equal(d, D_2019_09_01);
    /* 65 bytes is one too many, 64 is fine (to the limit, then syntax). */
    memset(big, '1', 65);
    assert_int_equal(xjl_date_parse(big, 65, &d, &f), XJL_EINVAL);
    assert_int_equal(f, XJL_F_TOO_LONG);
    assert_int_equal(xjl_date_parse(big, 64, &d, &f), XJL_EINVAL);
    assert_int_equal(f, XJL_F_DATE_SYNTAX);

    /* Out-parameters may be NULL. */
    assert_int_equal(xjl_date_parse("2019-09-01", XJL_NTS, NULL, NULL), XJL_OK);
    assert_int_equal(xjl_date_parse("x", XJL_NTS, NULL, NULL), XJL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_day_numbers), cmocka_unit_test(test_every_day_round_trips),
        cmocka_unit_test(test_leap_years),        cmocka_unit_test(test_format),
        cmocka_unit_test(test_spellings),         cmocka_unit_test(test_findings),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
