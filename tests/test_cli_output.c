/*
 * What the xjlink program writes (cli/output.c): CSV fields quoted as
 * xjl_csv_quote() quotes them, and scores written as printf's "%.2f".
 */
#include "cli.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void expect_fixed2(double v)
{
    char got[CLI_FIXED2_CAP], want[CLI_FIXED2_CAP];
    size_t n = cli_fixed2(v, got);
    snprintf(want, sizeof want, "%.2f", v);
    if (strcmp(got, want) != 0)
        fail_msg("cli_fixed2(%a): '%s', printf: '%s'", v, got, want);
    assert_int_equal(n, strlen(want));
}

/* Values where rounding is decided: exact ties (ties to even), the float
 * nearest a decimal tie, signs of values that round to zero, the extremes,
 * and doubles that are no float's value (printf's own). */
static void test_fixed2_edges(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } table[] = {
        {0.0, "0.00"},      {-0.0, "-0.00"},     {0.125, "0.12"},     {0.375, "0.38"},
        {-0.125, "-0.12"},  {2.5, "2.50"},       {0.005f, "0.00"},    {1.005f, "1.00"},
        {-0.001f, "-0.00"}, {-0.005f, "-0.00"},  {99.995f, "100.00"}, {6.0, "6.00"},
        {-20.0, "-20.00"},  {37.25f, "37.25"},   {12.345f, "12.35"},  {1e10f, "10000000000.00"},
        {0.1f, "0.10"},     {-39.99f, "-39.99"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char got[CLI_FIXED2_CAP];
        cli_fixed2(table[i].v, got);
        assert_string_equal(got, table[i].want);
        expect_fixed2(table[i].v);
    }
    static const double others[] = {FLT_MAX,       -FLT_MAX, FLT_MIN,           FLT_TRUE_MIN,
                                    -FLT_TRUE_MIN, 1e15,     9.99999e14f,       0.125000001,
                                    1e300,         -DBL_MAX, DBL_TRUE_MIN,      INFINITY,
                                    -INFINITY,     NAN,      4503599627370495.5};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        expect_fixed2(others[i]);
}

/* Every float is checked by a separate exhaustive run; here a spread of them
 * (a fixed stride through all bit patterns) and every float of two small
 * ranges around a tie, against printf. */
static void test_fixed2_against_printf(void **state)
{
    (void)state;
    for (uint64_t bits = 0; bits <= UINT32_MAX; bits += 4093) {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, sizeof f);
        expect_fixed2(f);
    }
    for (float f = 5.99f; f < 6.01f; f = nextafterf(f, INFINITY))
        expect_fixed2(f);
    for (float f = 0.00499f; f < 0.00501f; f = nextafterf(f, INFINITY)) {
        expect_fixed2(f);
        expect_fixed2(-f);
    }
}

/* Writes fields through cli_out into a file and returns what it holds. */
static char *written(const char *const *fields, const size_t *lens, size_t n, size_t *size)
{
    char path[] = "/tmp/test_cli_output_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct cli_out *o = cli_out_open("test", path, 0);
    assert_non_null(o);
    for (size_t i = 0; i < n; i++)
        cli_out_field(o, fields[i], lens[i]);
    cli_out_end_row(o);
    assert_int_equal(cli_out_close(o), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    unlink(path);
    *size = (size_t)len;
    return buf;
}

/* What the row must be: each field as xjl_csv_quote() writes it. */
static char *expected(const char *const *fields, const size_t *lens, size_t n, size_t *size)
{
    size_t cap = 64;
    for (size_t i = 0; i < n; i++)
        cap += 2 * (lens[i] == XJL_NTS ? strlen(fields[i] ? fields[i] : "") : lens[i]) + 3;
    char *buf = malloc(cap);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf[len++] = ',';
        size_t w;
        assert_int_equal(
            xjl_csv_quote(fields[i] ? fields[i] : "", lens[i], buf + len, cap - len, &w), XJL_OK);
        len += w;
    }
    buf[len++] = '\n';
    *size = len;
    return buf;
}

static void expect_row(const char *const *fields, const size_t *lens, size_t n)
{
    size_t got_len, want_len;
    char *got = written(fields, lens, n, &got_len);
    char *want = expected(fields, lens, n, &want_len);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
    free(got);
    free(want);
}

static void test_field_quoting(void **state)
{
    (void)state;
    static const char *const fields[] = {
        "",
        "plain",
        "a,b",
        "say \"hi\"",
        "two\nlines",
        "cr\r",
        "张伟",
        "阿依古丽·买买提",
        "12345678",
        "1234567,",
        ",2345678",
        "123456789\"",
        NULL,
        "\"",
        ",,,,,,,,,",
        "no specials at all in here",
        "nul\0inside,",
    };
    size_t lens[sizeof fields / sizeof fields[0]];
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        lens[i] = XJL_NTS;
    lens[16] = 12; /* with the NUL: written as it is, quoted for the comma */
    expect_row(fields, lens, sizeof fields / sizeof fields[0]);

    /* each special byte at every position of fields of 1 to 24 bytes, a row per length */
    static const char specials[] = {',', '"', '\r', '\n', 'a'};
    enum { MAXLEN = 24, NSPEC = sizeof specials };
    static char text[MAXLEN * NSPEC][MAXLEN + 1];
    const char *row[MAXLEN * NSPEC];
    size_t row_lens[MAXLEN * NSPEC];
    for (size_t len = 1; len <= MAXLEN; len++) {
        size_t n = 0;
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < NSPEC; k++, n++) {
                memset(text[n], 'x', len);
                text[n][at] = specials[k];
                text[n][len] = '\0';
                row[n] = text[n];
                row_lens[n] = len;
            }
        expect_row(row, row_lens, n);
    }
}

/* A 10,000-character field, and fields larger than the output buffer. */
static void test_long_fields(void **state)
{
    (void)state;
    size_t sizes[] = {10000, (1u << 20) - 1, (1u << 20) + 3, 3u << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int quoted = 0; quoted < 2; quoted++) {
            char *f = malloc(sizes[i] + 1);
            memset(f, 'y', sizes[i]);
            f[sizes[i]] = '\0';
            if (quoted)
                f[sizes[i] / 2] = '"';
            const char *row[3] = {"before", f, "after"};
            size_t lens[3] = {XJL_NTS, sizes[i], XJL_NTS};
            expect_row(row, lens, 3);
            free(f);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed2_edges),
        cmocka_unit_test(test_fixed2_against_printf),
        cmocka_unit_test(test_field_quoting),
        cmocka_unit_test(test_long_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
