/* The report of a run (lib/match/report.c, report_html.c): values as shown
 * (cut, made valid UTF-8), escaping, the cap on rows shown, what each kind
 * of report accepts, and the roster run that feeds one (xjl_match_csv with
 * options of version 1 and 2). */
#include "match/matching.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#define dir fixture_group_dir()

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Whether the page holds each of texts (NULL-terminated); names the first missing. */
static void has_all(const char *page, const char *const *texts)
{
    for (; *texts; texts++)
        if (!strstr(page, *texts))
            fail_msg("the page lacks %s", *texts);
}

/* Writes the report to a file of the fixture folder, frees it, and returns
 * the page's text (malloc'd). */
static char *written(xjl_report *rep, const char *name)
{
    char path[600];
    fixture_path(path, sizeof path, dir, name);
    assert_int_equal(xjl_report_write(rep, path, NULL, 0), XJL_OK);
    xjl_report_free(rep);
    return slurp(path);
}

/* ---- a value as shown ---------------------------------------------------- */

static const struct {
    const char *in;
    const char *shown;
} values[] = {
    {"", ""},
    {"王小明", "王小明"},
    {"<script>", "<script>"}, /* cut and cleaned here, escaped when written */
    {"a\x01"
     "b",
     "a\xef\xbf\xbd"
     "b"}, /* a control character: U+FFFD */
    {"a\xff"
     "b",
     "a\xef\xbf\xbd"
     "b"},                                    /* not UTF-8: U+FFFD, the rest kept */
    {"\xe4\xb8", "\xef\xbf\xbd\xef\xbf\xbd"}, /* a cut sequence: one U+FFFD per byte */
    {"x\xc2\x85y", "x\xef\xbf\xbdy"},         /* C1 control (NEL) */
    {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"}, /* 4 bytes: kept */
};

static void test_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < XJL_ARRAY_LEN(values); i++) {
        char *v = xjl__report_value(values[i].in, XJL_NTS);
        assert_non_null(v);
        assert_string_equal(v, values[i].shown);
        free(v);
    }
    /* XJL_REPORT_VALUE_CHARS code points, then "…": never cut inside a character */
    char long_name[3 * 100 + 1] = "";
    for (int i = 0; i < 100; i++)
        strcat(long_name, "中");
    char *v = xjl__report_value(long_name, XJL_NTS);
    assert_int_equal(strlen(v), 3 * XJL_REPORT_VALUE_CHARS + 3);
    assert_string_equal(v + 3 * XJL_REPORT_VALUE_CHARS, "\xe2\x80\xa6");
    free(v);
    /* exactly the limit: no mark */
    long_name[3 * XJL_REPORT_VALUE_CHARS] = '\0';
    v = xjl__report_value(long_name, XJL_NTS);
    assert_string_equal(v, long_name);
    free(v);
}

/* ---- what each kind accepts ---------------------------------------------- */

static void test_kinds_and_arguments(void **state)
{
    (void)state;
    xjl_report *rep = (xjl_report *)&rep;
    assert_int_equal(xjl_report_new(&rep, (xjl_report_kind)7, XJL_LANG_EN), XJL_EINVAL);
    assert_null(rep);
    rep = (xjl_report *)&rep;
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_MATCH, (xjl_lang)2), XJL_EINVAL);
    assert_null(rep);
    assert_int_equal(xjl_report_new(NULL, XJL_REPORT_MATCH, XJL_LANG_EN), XJL_EINVAL);

    xjl_parsed p;
    xjl_record rec = {"王小明", "男", "2018-03-01", "居民身份证", NULL};
    assert_int_equal(xjl_record_parse(&rec, &p), XJL_OK);
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_MATCH, XJL_LANG_EN), XJL_OK);
    assert_int_equal(xjl_report_add_parsed(rep, 2, &rec, &p, NULL), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "not a check report"));
    assert_int_equal(xjl_report_set_max_rows(rep, 100001), XJL_EINVAL);
    assert_int_equal(xjl_report_add_result(rep, 2, NULL, NULL), XJL_EINVAL);
    for (int i = 0; i < XJL_REPORT_INPUTS; i++)
        assert_int_equal(xjl_report_add_input(rep, "x", "y"), XJL_OK);
    assert_int_equal(xjl_report_add_input(rep, "x", "y"), XJL_EINVAL);
    xjl_report_free(rep);

    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_DEDUP, XJL_LANG_EN), XJL_OK);
    assert_int_equal(xjl_report_add_unreadable(rep, 2, "why"), XJL_EINVAL);
    xjl_dedup *d;
    xjl_index *ix;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_report_add_dedup(rep, d, ix), XJL_ESTATE);
    xjl_index_free(ix);
    xjl_dedup_free(d);
    xjl_report_free(rep);
    xjl_report_free(NULL);
}

/* ---- escaping ------------------------------------------------------------ */

static void test_check_page_escapes_values(void **state)
{
    (void)state;
    xjl_report *rep;
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_CHECK, XJL_LANG_EN), XJL_OK);
    assert_int_equal(xjl_report_add_input(rep, "roster", "<i onclick='x'>r.csv"), XJL_OK);
    xjl_record bad = {"<script>alert(1)</script>", "<img src=x onerror=y>", "2018-03-01",
                      "\"居民身份证'", "1&2"};
    xjl_record good = {"王小明", "男", "2018-03-01", NULL, NULL};
    xjl_parsed p;
    assert_int_equal(xjl_record_parse(&bad, &p), XJL_OK);
    assert_true(p.errors > 0);
    assert_int_equal(xjl_report_add_parsed(rep, 2, &bad, &p, NULL), XJL_OK);
    assert_int_equal(xjl_record_parse(&good, &p), XJL_OK);
    assert_int_equal(xjl_report_add_parsed(rep, 3, &good, &p, NULL), XJL_OK);
    assert_int_equal(xjl_report_add_parsed(rep, 4, &good, &p, "row has 3 fields, the header 5"),
                     XJL_OK);
    char *page = written(rep, "check.html");
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<img"));
    assert_null(strstr(page, "<i "));
    has_all(page,
            (const char *const[]){
                "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=y&gt;",
                "&quot;居民身份证&#39;", "1&amp;2", "&lt;i onclick=&#39;x&#39;&gt;r.csv",
                /* one clean row, two with errors (the bad fields, the bad width) */
                "rows read: 3", "Rows with errors (2)", "row has 3 fields, the header 5", NULL});
    free(page);
}

/* ---- a match run: pending rows, the cap, the roster pipeline ------------- */

static xjl_index *small_index(char id[19])
{
    fixture_id(id, 110101, 2018, 3, 1, 1);
    xjl_index *ix;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    xjl_record r = {"王小明", "男", "2018-03-01", "居民身份证", id};
    assert_int_equal(xjl_index_add(ix, "<b>R1</b>", &r), XJL_OK);
    char other[19];
    fixture_id(other, 110101, 2018, 5, 2, 2);
    xjl_record r2 = {"李四", "女", "2018-05-02", "居民身份证", other};
    assert_int_equal(xjl_index_add(ix, "R2", &r2), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    return ix;
}

static void test_pending_rows_capped(void **state)
{
    (void)state;
    char id[19];
    xjl_index *ix = small_index(id);
    xjl_matcher *m;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    assert_int_equal(xjl_matcher_set_param(m, XJL_PARAM_REVIEW_THRESHOLD, 7.5), XJL_OK);
    xjl_report *rep;
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_MATCH, XJL_LANG_EN), XJL_OK);
    assert_int_equal(xjl_report_set_matcher(rep, m), XJL_OK);
    assert_int_equal(xjl_report_set_max_rows(rep, 2), XJL_OK);
    /* 王晓明 sounds as 王小明: pending, five times */
    xjl_record q = {"王晓明", "男", "2018-03-01", "居民身份证", id};
    for (int i = 0; i < 5; i++) {
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &q, &r), XJL_OK);
        assert_int_equal(xjl_result_status(r), XJL_PENDING);
        assert_int_equal(xjl_report_add_result(rep, 2 + i, &q, r), XJL_OK);
        xjl_result_free(r); /* the report keeps copies */
    }
    assert_int_equal(xjl_report_add_unreadable(rep, 9, "row has 9 fields"), XJL_OK);
    char *page = written(rep, "match.html");
    assert_int_equal(count(page, "<section class=\"r\">"), 2);
    has_all(page, (const char *const[]){
                      "Shown: the first 2 of 5", "review threshold 7.50", "&lt;b&gt;R1&lt;/b&gt;",
                      "pinyin +6.00", "rows that could not be read: 1", "line 9: row has 9 fields",
                      ">5 (83.3%)<", /* pending: 5 of 6 rows */
                      NULL});
    free(page);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* The roster pipeline feeds the report of options of version 2; version 1
 * (a program built before the field existed) is not read past its end. */
static void test_match_csv_feeds_the_report(void **state)
{
    (void)state;
    char id[19];
    xjl_index *ix = small_index(id);
    xjl_matcher *m;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    char roster[600], out[600];
    fixture_path(roster, sizeof roster, dir, "roster.csv");
    fixture_path(out, sizeof out, dir, "out.csv");
    FILE *f = fopen(roster, "w");
    fprintf(f,
            "姓名,性别,出生日期,身份证件类型,身份证件号\n"
            "王晓明,男,2018-03-01,居民身份证,%s\n"
            "王小明,男,2018-03-01,居民身份证,%s\n"
            "only,two\n",
            id, id);
    fclose(f);

    xjl_report *rep;
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_MATCH, XJL_LANG_EN), XJL_OK);
    xjl_match_csv_options o = XJL_MATCH_CSV_OPTIONS_INIT;
    o.report = rep;
    xjl_csv *csv;
    assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
    xjl_match_totals t;
    assert_int_equal(xjl_match_csv_write(m, csv, out, &o, &t), XJL_OK);
    xjl_csv_close(csv);
    assert_int_equal(t.rows, 3);
    char *page = written(rep, "run.html");
    assert_int_equal(count(page, "<section class=\"r\">"), 1);
    has_all(page, (const char *const[]){"rows read: 3", "roster line 2", "review threshold 6.00",
                                        "rows that could not be read: 1", NULL});
    free(page);

    /* version 1: the report field is not read (here it points nowhere) */
    o.version = 1;
    o.report = (xjl_report *)(uintptr_t)1;
    assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
    assert_int_equal(xjl_match_csv_write(m, csv, out, &o, &t), XJL_OK);
    xjl_csv_close(csv);
    assert_int_equal(t.rows, 3);
    /* a later version than the library knows is refused */
    o.version = XJL_MATCH_CSV_OPTIONS_VERSION + 1;
    assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
    assert_int_equal(xjl_match_csv_write(m, csv, out, &o, &t), XJL_EINVAL);
    xjl_csv_close(csv);
    /* a report of another kind is refused before anything is read */
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_CHECK, XJL_LANG_EN), XJL_OK);
    o.version = XJL_MATCH_CSV_OPTIONS_VERSION;
    o.report = rep;
    assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
    assert_int_equal(xjl_match_csv_write(m, csv, out, &o, &t), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "not a match report"));
    xjl_csv_close(csv);
    xjl_report_free(rep);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* ---- a duplicate check ---------------------------------------------------- */

static void test_dedup_page(void **state)
{
    (void)state;
    char id[19];
    fixture_id(id, 110101, 2018, 3, 1, 1);
    xjl_index *ix;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    xjl_record r = {"王小明", "男", "2018-03-01", "居民身份证", id};
    assert_int_equal(xjl_index_add(ix, "A1", &r), XJL_OK);
    assert_int_equal(xjl_index_add(ix, "A2", &r), XJL_OK); /* the same child twice */
    xjl_record bad = {"李四", "女", "2018-05-02", "居民身份证", "110101201805020000"};
    assert_int_equal(xjl_index_add(ix, "B1", &bad), XJL_OK);
    /* registered again before the number was known: a one_id cluster */
    char id2[19];
    fixture_id(id2, 110101, 2018, 7, 7, 3);
    xjl_record known = {"赵六", "男", "2018-07-07", "居民身份证", id2};
    xjl_record unknown = {"赵六", "男", "2018-07-07", "", ""};
    assert_int_equal(xjl_index_add(ix, "C1", &known), XJL_OK);
    assert_int_equal(xjl_index_add(ix, "C 2", &unknown), XJL_OK);
    xjl_dedup *d;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_run(d, ix, 1), XJL_OK);
    xjl_report *rep;
    assert_int_equal(xjl_report_new(&rep, XJL_REPORT_DEDUP, XJL_LANG_ZH), XJL_OK);
    assert_int_equal(xjl_report_add_dedup(rep, d, ix), XJL_OK);
    char *page = written(rep, "dedup.html");
    assert_int_equal(count(page, "<section class=\"r\">"), 2);
    has_all(page, (const char *const[]){"<html lang=\"zh-CN\">", "重复组 (2)", ">A1<", ">A2<",
                                        "身份证件号重复",
                                        "id_check", /* the bad number's finding, by field */
                                        /* every class counted, one_id too */
                                        "一方无身份证件号重复</text>", ">1 (",
                                        /* the reasons in the page's language (a
                                         * cluster's first is its id first in byte
                                         * order: "C 2" before "C1") */
                                        "与A1相连，得分", "与C 2相连，得分", NULL});
    free(page);
    xjl_dedup_free(d);
    xjl_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_kinds_and_arguments),
        cmocka_unit_test(test_check_page_escapes_values),
        cmocka_unit_test(test_pending_rows_capped),
        cmocka_unit_test(test_match_csv_feeds_the_report),
        cmocka_unit_test(test_dedup_page),
    };
    return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
