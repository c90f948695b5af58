/*
 * 出生日期: day numbers (days since 1970-01-01, proleptic Gregorian) and the
 * spellings rosters use.  Every row of a multi-million-row file passes
 * through xjl_date_parse(), so it is a hand-written scanner: no sscanf, no
 * strtol (both locale-aware and slower), no allocation.
 */
#include "fields/fields.h"

#include <string.h>

/* Years the day-number functions accept: four-digit years, so that
 * xjl_date_format() always writes YYYY-MM-DD and nothing overflows. */
#define YEAR_MIN 1
#define YEAR_MAX 9999
#define DAYS_FIRST (-719162) /* 0001-01-01 (test_date checks both) */
#define DAYS_LAST 2932896    /* 9999-12-31 */

/* A plausible birth date of a pupil or of anyone in a registry. */
#define PLAUSIBLE_FIRST_YEAR 1900
#define PLAUSIBLE_LAST_YEAR 2099

/* Excel's 1900 date system: serial 1 is 1900-01-01 and Excel counts a
 * 1900-02-29 that never was (serial 60), copied from Lotus 1-2-3.  Serials
 * after it are one too high.  73050 is 2099-12-31. */
#define EXCEL_FAKE_LEAP_DAY 60
#define EXCEL_SERIAL_MAX 73050
#define DAYS_1899_12_31 (-25568)

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : dim[m - 1];
}

int xjl__date_check(int year, int month, int day)
{
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return XJL_F_DATE_INVALID;
    if (year < PLAUSIBLE_FIRST_YEAR || year > PLAUSIBLE_LAST_YEAR)
        return XJL_F_DATE_RANGE;
    return XJL_F_NONE;
}

/*
 * Days from civil and back count in 400-year eras (146097 days each) of
 * years that start on 1 March, so that the leap day is the last day of its
 * year and the month lengths from March on follow the fixed pattern
 * (153 * m + 2) / 5.  No table, no loop, exact for every Gregorian date.
 */
static int32_t days_from_civil(int year, int month, int day)
{
    int y = month <= 2 ? year - 1 : year;       /* the year begins in March */
    int era = y / 400;                          /* y >= 0 here */
    int yoe = y - era * 400;                    /* 0..399 */
    int mp = month > 2 ? month - 3 : month + 9; /* March = 0 */
    int doy = (153 * mp + 2) / 5 + day - 1;     /* 0..365 */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    /* 719468: days from 0000-03-01 to 1970-01-01. */
    return (int32_t)(era * 146097 + doe - 719468);
}

XJL_API int32_t xjl_date_from_ymd(int year, int month, int day)
{
    if (year < YEAR_MIN || year > YEAR_MAX || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return XJL_DATE_NONE;
    return days_from_civil(year, month, day);
}

/* A date that passes xjl__date_check passes the test of xjl_date_from_ymd
 * (its years are a part of YEAR_MIN..YEAR_MAX). */
int xjl__date_read(int year, int month, int day, int32_t *days)
{
    int finding = xjl__date_check(year, month, day);
    if (finding == XJL_F_NONE)
        *days = days_from_civil(year, month, day);
    return finding;
}

XJL_API int xjl_date_to_ymd(int32_t days, int *year, int *month, int *day)
{
    if (days < DAYS_FIRST || days > DAYS_LAST)
        return xjl__fail(XJL_EINVAL, "day number %ld is not a date of the years %d..%d", (long)days,
                         YEAR_MIN, YEAR_MAX);
    int z = (int)days + 719468; /* days since 0000-03-01, >= 0 here */
    int era = z / 146097;
    int doe = z - era * 146097;                                      /* 0..146096 */
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
    int mp = (5 * doy + 2) / 153;                                    /* March = 0 */
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    int y = yoe + era * 400 + (m <= 2);
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (day)
        *day = d;
    return XJL_OK;
}

XJL_API int xjl_date_format(int32_t days, char *buf, size_t cap)
{
    int y, m, d;
    if (!buf || cap < 11)
        return xjl__fail(XJL_ERANGE, "xjl_date_format: buffer of %zu bytes, 11 needed", cap);
    buf[0] = '\0';
    int rc = xjl_date_to_ymd(days, &y, &m, &d);
    if (rc != XJL_OK)
        return rc;
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
    return XJL_OK;
}

/* ---- the scanner ------------------------------------------------------- */

struct scan {
    const char *s;
    size_t pos, len;
};

/* Reads 1..max digits; returns how many (0: none), the value in *val.  A
 * longer run of digits is left for the caller to reject. */
static int scan_digits(struct scan *sc, int max, int *val)
{
    int n = 0, v = 0;
    while (n < max && sc->pos < sc->len) {
        unsigned d = (unsigned char)sc->s[sc->pos] - '0';
        if (d > 9)
            break;
        v = v * 10 + (int)d;
        sc->pos++;
        n++;
    }
    *val = v;
    return n;
}

static bool scan_digit_next(const struct scan *sc)
{
    return sc->pos < sc->len && (unsigned)((unsigned char)sc->s[sc->pos] - '0') <= 9;
}

/* Consumes the literal word (ASCII or UTF-8) if it comes next. */
static bool scan_word(struct scan *sc, const char *word, size_t n)
{
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
        return false;
    sc->pos += n;
    return true;
}

/* The time Excel appends to a date cell ("2019/9/1 0:00:00", also
 * "2019-09-01T00:00:00.000"): accepted if it is a time of day, then ignored. */
static bool scan_time(struct scan *sc)
{
    if (sc->s[sc->pos] == 'T') {
        sc->pos++;
    } else {
        size_t p = sc->pos;
        while (sc->pos < sc->len && sc->s[sc->pos] == ' ')
            sc->pos++;
        if (sc->pos == p)
            return false;
    }
    int h, m, s = 0;
    if (scan_digits(sc, 2, &h) == 0 || h > 23 || !scan_word(sc, ":", 1) ||
        scan_digits(sc, 2, &m) != 2 || m > 59)
        return false;
    if (scan_word(sc, ":", 1)) {
        if (scan_digits(sc, 2, &s) != 2 || s > 59)
            return false;
        if (scan_word(sc, ".", 1) && !scan_digit_next(sc))
            return false;
        while (scan_digit_next(sc))
            sc->pos++;
    }
    return sc->pos == sc->len;
}

static int parse_text(const char *s, size_t len, int32_t *out)
{
    struct scan sc = {s, 0, len};
    int y = 0, m = 0, d = 0;
    int n = scan_digits(&sc, 9, &y);
    if (n == 0 || scan_digit_next(&sc))
        return XJL_F_DATE_SYNTAX;

    if (sc.pos == len && n <= 5) { /* an Excel serial day number */
        if (y == 0 || y == EXCEL_FAKE_LEAP_DAY)
            return XJL_F_DATE_INVALID;
        if (y > EXCEL_SERIAL_MAX)
            return XJL_F_DATE_RANGE;
        *out = DAYS_1899_12_31 + y - (y > EXCEL_FAKE_LEAP_DAY);
        return XJL_F_NONE;
    }
    if (n == 8) { /* YYYYMMDD */
        d = y % 100;
        m = y / 100 % 100;
        y /= 10000;
    } else if (n == 4 && sc.pos < len) {
        char sep = s[sc.pos];
        if (sep == '-' || sep == '/' || sep == '.') {
            sc.pos++;
            if (scan_digits(&sc, 2, &m) == 0 || scan_digit_next(&sc) || !scan_word(&sc, &sep, 1) ||
                scan_digits(&sc, 2, &d) == 0 || scan_digit_next(&sc))
                return XJL_F_DATE_SYNTAX;
        } else if (scan_word(&sc, "年", 3)) {
            if (scan_digits(&sc, 2, &m) == 0 || scan_digit_next(&sc) || !scan_word(&sc, "月", 3) ||
                scan_digits(&sc, 2, &d) == 0 || scan_digit_next(&sc))
                return XJL_F_DATE_SYNTAX;
            scan_word(&sc, "日", 3); /* often left out */
        } else {
            return XJL_F_DATE_SYNTAX;
        }
    } else {
        return XJL_F_DATE_SYNTAX;
    }
    if (sc.pos < len && !scan_time(&sc))
        return XJL_F_DATE_SYNTAX;

    return xjl__date_read(y, m, d, out);
}

/* Two ASCII digits at p as a number, or -1. */
static inline int two_digits(const char *p)
{
    unsigned a = (unsigned char)p[0] - '0';
    if (a > 9)
        return -1; /* p[1] is not read after a NUL */
    unsigned b = (unsigned char)p[1] - '0';
    return b <= 9 ? (int)(a * 10 + b) : -1;
}

/*
 * Fast path: YYYY-MM-DD alone, the spelling of nearly every registry row,
 * read straight from s when it is a valid date.  parse_text() reads those ten
 * bytes the same way (four digits, '-', two digits, '-', two digits, end);
 * anything else, an invalid date included, goes the generic way.
 */
static bool iso_date(const char *s, size_t len, int32_t *out)
{
    if (len != XJL_NTS && len != 10)
        return false;
    /* left to right, each test before the next byte is read: no byte after
     * a NUL is read */
    int c = two_digits(s), y = c < 0 ? -1 : two_digits(s + 2);
    if (y < 0 || s[4] != '-')
        return false;
    int m = two_digits(s + 5);
    if (m < 0 || s[7] != '-')
        return false;
    int d = two_digits(s + 8);
    if (d < 0 || (len == XJL_NTS && s[10] != '\0'))
        return false;
    return xjl__date_read(c * 100 + y, m, d, out) == XJL_F_NONE;
}

XJL_API int xjl_date_parse(const char *s, size_t len, int32_t *out, xjl_finding *finding)
{
    int32_t days = XJL_DATE_NONE;
    if (XJL_LIKELY(s && !xjl__fast_paths_off) && iso_date(s, len, &days)) {
        if (out)
            *out = days;
        if (finding)
            *finding = XJL_F_NONE;
        return XJL_OK;
    }

    struct xjl_field_text t;
    const char *text;
    size_t n;
    int f = xjl__field_view(s, len, XJL_FIELD_MAX_BYTES, &t, &text, &n);
    if (f == XJL_F_NONE)
        f = parse_text(text, n, &days);
    if (f != XJL_F_NONE)
        days = XJL_DATE_NONE;
    if (out)
        *out = days;
    if (finding)
        *finding = (xjl_finding)f;
    if (f != XJL_F_NONE) {
        if (text != t.text) /* read in place: the message wants the value itself */
            xjl__field_text(s, len, XJL_FIELD_MAX_BYTES, &t);
        return xjl__field_fail("birth_date", &t, f);
    }
    return XJL_OK;
}
