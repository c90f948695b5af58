/*
 * The matcher: index, candidates, levels, scores and the three-way
 * classification, on a small registry whose every record is there to test
 * one rule.  Check characters are computed here with the standard's formula,
 * independently of the library.
 */
#include "match/matching.h"

#include "thread_count.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>

#include "citizen_ids.h"

struct reg_row {
    const char *id, *name, *gender, *dob, *type;
    const char *region, *ymd;
    int seq; /* 0: no ID number */
};

/* The registry.  Sequence parity is the gender (odd = male). */
static const struct reg_row registry[] = {
    {"P01", "王小明", "1", "2019-03-15", "1", "110101", "20190315", 11},
    {"P02", "李涵", "2", "2019-05-20", "1", "320102", "20190520", 22},
    {"P03", "阿依古丽·买买提", "2", "2019-07-01", "1", "650102", "20190701", 44},
    {"P04", "陈建国", "1", "2019-02-03", "1", "440305", "20190203", 15},
    /* twins: same birth date and surname, homophone given names */
    {"P05", "张涵", "2", "2019-08-08", "1", "510104", "20190808", 102},
    {"P06", "张含", "2", "2019-08-08", "1", "510104", "20190808", 104},
    /* a child registered twice: same number */
    {"P07", "赵宇", "1", "2019-01-09", "1", "370102", "20190109", 31},
    {"P08", "赵宇", "1", "2019-01-09", "B", "370102", "20190109", 31},
    /* a child without ID number */
    {"P09", "周雨", "2", "2019-11-30", "Z", NULL, NULL, 0},
    /* a common name: a namesake of some new pupils */
    {"P10", "张伟", "1", "2019-06-06", "1", "130102", "20190606", 13},
    {"P11", "刘洋", "1", "2019-04-07", "1", "210102", "20190407", 17},
    {"P12", "DAVID WANG", "1", "2019-09-09", "A", NULL, NULL, 0},
};

struct query_row {
    const char *what;
    const char *name, *gender, *dob, *type;
    const char *region, *ymd;
    int seq;
    const char *id_mode; /* NULL, "fullwidth" or "typo": how the school typed the number */
    xjl_match_status status;
    const char *first; /* best candidate, or NULL */
    int name_level, dob_level, id_level;
};

static const struct query_row queries[] = {
    {"clean", "王小明", "1", "2019-03-15", "1", "110101", "20190315", 11, NULL, XJL_MATCHED, "P01",
     XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_ID_EXACT},
    {"formatting only", "王 小明", "男", "2019年3月15日", "居民身份证", "110101", "20190315", 11,
     "fullwidth", XJL_MATCHED, "P01", XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_ID_EXACT},
    {"dot variant", "阿依古丽•买买提", "女", "20190701", "1", "650102", "20190701", 44, NULL,
     XJL_MATCHED, "P03", XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_ID_EXACT},
    {"dot left out", "阿依古丽买买提", "2", "2019/7/1", "1", "650102", "20190701", 44, NULL,
     XJL_MATCHED, "P03", XJL_LV_NAME_NOSEP, XJL_LV_DATE_EXACT, XJL_LV_ID_EXACT},
    {"traditional characters: a candidate, never a match", "陳建國", "1", "2019-02-03", "1",
     "440305", "20190203", 15, NULL, XJL_PENDING, "P04", XJL_LV_NAME_VARIANT, XJL_LV_DATE_EXACT,
     XJL_LV_ID_EXACT},
    {"homophone, no ID", "李含", "2", "2019-05-20", "Z", NULL, NULL, 0, NULL, XJL_PENDING, "P02",
     XJL_LV_NAME_PINYIN, XJL_LV_DATE_EXACT, XJL_LV_MISSING},
    {"day and month swapped, no ID", "刘洋", "1", "2019-07-04", "1", NULL, NULL, 0, NULL,
     XJL_PENDING, "P11", XJL_LV_NAME_EXACT, XJL_LV_DATE_SWAP, XJL_LV_MISSING},
    {"one day off, no ID", "王小明", "1", "2019-03-16", "Z", NULL, NULL, 0, NULL, XJL_PENDING,
     "P01", XJL_LV_NAME_EXACT, XJL_LV_DATE_ONE_DAY, XJL_LV_MISSING},
    {"ID with one digit wrong", "陈建国", "1", "2019-02-03", "1", "440305", "20190203", 15, "typo",
     XJL_PENDING, "P04", XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_ID_TYPO},
    {"wrong gender", "王小明", "2", "2019-03-15", "1", "110101", "20190315", 11, NULL, XJL_PENDING,
     "P01", XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_ID_EXACT},
    {"twin: her own number matches her own record only", "张涵", "2", "2019-08-08", "1", "510104",
     "20190808", 102, NULL, XJL_MATCHED, "P05", XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT,
     XJL_LV_ID_EXACT},
    {"registered twice: both offered", "赵宇", "1", "2019-01-09", "1", "370102", "20190109", 31,
     NULL, XJL_PENDING, NULL, XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_ID_EXACT},
    {"namesake new pupil with another valid number", "张伟", "1", "2019-06-06", "1", "130102",
     "20190606", 53, NULL, XJL_NOT_FOUND, NULL, 0, 0, 0},
    {"record without ID: pending, never matched", "周雨", "2", "2019-11-30", "Z", NULL, NULL, 0,
     NULL, XJL_PENDING, "P09", XJL_LV_NAME_EXACT, XJL_LV_DATE_EXACT, XJL_LV_MISSING},
    {"Latin name in another order", "wang david", "M", "2019-09-09", "A", NULL, NULL, 0, NULL,
     XJL_PENDING, "P12", XJL_LV_NAME_SWAPPED, XJL_LV_DATE_EXACT, XJL_LV_MISSING},
    {"nobody", "欧阳娜娜", "2", "2019-12-12", "1", "110101", "20191212", 24, NULL, XJL_NOT_FOUND,
     NULL, 0, 0, 0},
    {"unreadable date is an error row", "王小明", "1", "2019-13-45", "1", "110101", "20190315", 11,
     NULL, XJL_ERROR, NULL, 0, 0, 0},
    {"empty name is an error row", "", "1", "2019-03-15", "1", "110101", "20190315", 11, NULL,
     XJL_ERROR, NULL, 0, 0, 0},
};

struct fixture {
    xjl_index *ix;
    xjl_matcher *m;
};

static void fill_record(xjl_record *rec, char idbuf[64], const char *name, const char *gender,
                        const char *dob, const char *type, const char *region, const char *ymd,
                        int seq, const char *id_mode)
{
    idbuf[0] = '\0';
    if (seq)
        make_id(idbuf, region, ymd, seq);
    if (id_mode && strcmp(id_mode, "typo") == 0) {
        idbuf[14] = idbuf[14] == '9' ? '0' : (char)(idbuf[14] + 1);
    } else if (id_mode && strcmp(id_mode, "fullwidth") == 0) {
        /* U+FF10..U+FF19 are EF BC 90..99 in UTF-8 */
        char fw[64];
        size_t n = 0;
        for (size_t i = 0; idbuf[i]; i++) {
            fw[n++] = (char)0xEF;
            fw[n++] = (char)0xBC;
            fw[n++] = (char)(0x90 + (idbuf[i] - '0'));
        }
        fw[n] = '\0';
        memcpy(idbuf, fw, n + 1);
    }
    rec->name = name;
    rec->gender = gender;
    rec->birth_date = dob;
    rec->id_type = type;
    rec->id_number = idbuf;
}

/* n records: the queries of the table, over and over. */
static void fill_queries(xjl_record *recs, char (*ids)[64], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct query_row *q = &queries[i % XJL_ARRAY_LEN(queries)];
        fill_record(&recs[i], ids[i], q->name, q->gender, q->dob, q->type, q->region, q->ymd,
                    q->seq, q->id_mode);
    }
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_int_equal(xjl_index_new(&f->ix), XJL_OK);
    for (size_t i = 0; i < XJL_ARRAY_LEN(registry); i++) {
        const struct reg_row *r = &registry[i];
        xjl_record rec;
        char id[64];
        fill_record(&rec, id, r->name, r->gender, r->dob, r->type, r->region, r->ymd, r->seq, NULL);
        assert_int_equal(xjl_index_add(f->ix, r->id, &rec), XJL_OK);
    }
    assert_int_equal(xjl_index_build(f->ix, 2), XJL_OK);
    assert_int_equal(xjl_matcher_new(&f->m, f->ix), XJL_OK);
    assert_non_null(f->m);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    xjl_matcher_free(f->m);
    xjl_index_free(f->ix);
    free(f);
    return 0;
}

/* The result of matching query row q against the fixture's registry. */
static xjl_result *match_query(const xjl_matcher *m, const struct query_row *q)
{
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, q->name, q->gender, q->dob, q->type, q->region, q->ymd, q->seq,
                q->id_mode);
    xjl_result *r = NULL;
    assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
    return r;
}

static void test_classification_table(void **state)
{
    struct fixture *f = *state;
    for (size_t i = 0; i < XJL_ARRAY_LEN(queries); i++) {
        const struct query_row *q = &queries[i];
        xjl_result *r = match_query(f->m, q);
        if (xjl_result_status(r) != q->status ||
            (q->first && (!xjl_result_candidate_count(r) ||
                          strcmp(xjl_result_candidate_id(r, 0), q->first) != 0)))
            fail_msg("%s: got %s, first candidate %s (%s), expected %s %s", q->what,
                     xjl_status_name(xjl_result_status(r)),
                     xjl_result_candidate_count(r) ? xjl_result_candidate_id(r, 0) : "-",
                     xjl_result_reasons(r), xjl_status_name(q->status), q->first ? q->first : "-");
        if (q->first) {
            assert_int_equal(xjl_result_candidate_level(r, 0, XJL_FIELD_NAME), q->name_level);
            assert_int_equal(xjl_result_candidate_level(r, 0, XJL_FIELD_BIRTH_DATE), q->dob_level);
            assert_int_equal(xjl_result_candidate_level(r, 0, XJL_FIELD_ID_NUMBER), q->id_level);
        }
        if (q->status == XJL_MATCHED)
            assert_string_equal(xjl_result_match_id(r), q->first);
        else
            assert_null(xjl_result_match_id(r));
        if (q->status == XJL_NOT_FOUND || q->status == XJL_ERROR)
            assert_int_equal(xjl_result_candidate_count(r), 0);
        if (q->status == XJL_ERROR)
            assert_true(strlen(xjl_result_reasons(r)) > 0);
        xjl_result_free(r);
    }
}

static void test_registered_twice_offers_both(void **state)
{
    struct fixture *f = *state;
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, "赵宇", "1", "2019-01-09", "1", "370102", "20190109", 31, NULL);
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_PENDING);
    assert_int_equal(xjl_result_candidate_count(r), 2);
    const char *a = xjl_result_candidate_id(r, 0), *b = xjl_result_candidate_id(r, 1);
    assert_true((strcmp(a, "P07") == 0 && strcmp(b, "P08") == 0) ||
                (strcmp(a, "P08") == 0 && strcmp(b, "P07") == 0));
    xjl_result_free(r);
}

static void test_twin_never_matched_to_twin(void **state)
{
    struct fixture *f = *state;
    /* The other twin, with her own number: matched to herself, and her sister
     * is no candidate (different valid numbers outweigh name and date). */
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, "张含", "2", "2019-08-08", "1", "510104", "20190808", 104, NULL);
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_MATCHED);
    assert_string_equal(xjl_result_match_id(r), "P06");
    assert_int_equal(xjl_result_candidate_count(r), 1);
    xjl_result_free(r);
}

/* A placeholder for a rare character never counts as a difference, whichever
 * placeholder the school typed (the finding and the grading share one list). */
static void test_placeholders_grade_as_one_char(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {"陈??", "陈□■", "陈〓〓", "陈\xEE\x80\x80*"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(names); i++) {
        xjl_record rec;
        char id[64];
        fill_record(&rec, id, names[i], "1", "2019-02-03", "1", "440305", "20190203", 15, NULL);
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
        assert_int_equal(xjl_result_status(r), XJL_PENDING);
        assert_string_equal(xjl_result_candidate_id(r, 0), "P04");
        assert_int_equal(xjl_result_candidate_level(r, 0, XJL_FIELD_NAME), XJL_LV_NAME_ONE_CHAR);
        xjl_result_free(r);
    }
}

static void test_reasons_text(void **state)
{
    struct fixture *f = *state;
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, "李含", "2", "2019-05-20", "Z", NULL, NULL, 0, NULL);
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_string_equal(xjl_result_candidate_reasons(r, 0),
                        "id=missing name=pinyin dob=exact gender=exact type=different");
    assert_string_equal(xjl_result_reasons(r), xjl_result_candidate_reasons(r, 0));
    assert_true(xjl_result_score(r) >= 6.0);
    xjl_result_free(r);
}

/* What every accessor of a result gives, checked against what it is made
 * of: the ids are the index's record ids at the candidates' positions, the
 * reasons spell the levels, and the row's reasons are the best candidate's
 * or, for an error row, the query's findings. */
static void check_result(const xjl_index *ix, const xjl_result *r)
{
    size_t n = xjl_result_candidate_count(r);
    for (size_t k = 0; k < n; k++) {
        size_t pos = xjl_result_candidate_pos(r, k);
        assert_string_equal(xjl_result_candidate_id(r, k), xjl_index_record_id(ix, pos));
        char want[128];
        snprintf(want, sizeof want, "id=%s name=%s dob=%s gender=%s type=%s",
                 xjl_level_name(xjl_result_candidate_level(r, k, XJL_FIELD_ID_NUMBER)),
                 xjl_level_name(xjl_result_candidate_level(r, k, XJL_FIELD_NAME)),
                 xjl_level_name(xjl_result_candidate_level(r, k, XJL_FIELD_BIRTH_DATE)),
                 xjl_level_name(xjl_result_candidate_level(r, k, XJL_FIELD_GENDER)),
                 xjl_level_name(xjl_result_candidate_level(r, k, XJL_FIELD_ID_TYPE)));
        assert_string_equal(xjl_result_candidate_reasons(r, k), want);
        assert_true(k == 0 ||
                    xjl_result_candidate_score(r, k) <= xjl_result_candidate_score(r, k - 1));
    }
    assert_null(xjl_result_candidate_id(r, n));
    assert_string_equal(xjl_result_candidate_reasons(r, n), "");
    assert_true(xjl_result_score(r) == (n ? xjl_result_candidate_score(r, 0) : 0.0));
    if (xjl_result_status(r) == XJL_MATCHED)
        assert_string_equal(xjl_result_match_id(r), xjl_result_candidate_id(r, 0));
    else
        assert_null(xjl_result_match_id(r));
    if (xjl_result_status(r) == XJL_ERROR) {
        char findings[1024];
        size_t len;
        assert_int_equal(xjl_parsed_describe(xjl_result_query(r), findings, sizeof findings, &len),
                         XJL_OK);
        assert_true(len > 0);
        assert_string_equal(xjl_result_reasons(r), findings);
    } else {
        assert_string_equal(xjl_result_reasons(r), n ? xjl_result_candidate_reasons(r, 0) : "");
    }
}

static void test_result_accessors(void **state)
{
    struct fixture *f = *state;
    enum { N = XJL_ARRAY_LEN(queries) };
    xjl_record recs[N];
    char ids[N][64];
    fill_queries(recs, ids, N);
    xjl_result *many[N];
    assert_int_equal(xjl_matcher_match_many(f->m, recs, N, 2, many), XJL_OK);
    size_t statuses = 0;
    for (size_t i = 0; i < N; i++) {
        xjl_result *one;
        assert_int_equal(xjl_matcher_match(f->m, &recs[i], &one), XJL_OK);
        check_result(f->ix, one);
        check_result(f->ix, many[i]);
        assert_string_equal(xjl_result_reasons(one), xjl_result_reasons(many[i]));
        statuses |= 1u << xjl_result_status(one);
        xjl_result_free(one);
        xjl_result_free(many[i]);
    }
    assert_int_equal(statuses, 0xF); /* matched, pending, not found and error rows were checked */
    /* the longest record id is copied whole; one byte more is refused */
    char long_id[XJL_RECORD_ID_MAX + 2];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_add(ix, long_id, &recs[0]), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "257 bytes"));
    long_id[XJL_RECORD_ID_MAX] = '\0';
    assert_int_equal(xjl_index_add(ix, long_id, &recs[0]), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(m, &recs[0], &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_MATCHED);
    assert_string_equal(xjl_result_match_id(r), long_id);
    check_result(ix, r);
    xjl_result_free(r);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

static void test_params(void **state)
{
    struct fixture *f = *state;
    double v;
    assert_int_equal(xjl_matcher_get_param(f->m, XJL_PARAM_MAX_CANDIDATES, &v), XJL_OK);
    assert_true(v == 10);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_COUNT, 1), XJL_EINVAL);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MAX_CANDIDATES, 0), XJL_EINVAL);
    /* Non-finite or out of the documented range: refused, the value kept. */
    static const struct {
        xjl_param p;
        double v;
    } bad[] = {
        {XJL_PARAM_REVIEW_THRESHOLD, INFINITY}, {XJL_PARAM_REVIEW_THRESHOLD, -INFINITY},
        {XJL_PARAM_REVIEW_THRESHOLD, NAN},      {XJL_PARAM_REVIEW_THRESHOLD, 1e300},
        {XJL_PARAM_W_ID_EXACT, -1e300},         {XJL_PARAM_W_NAME_PINYIN, INFINITY},
        {XJL_PARAM_W_GENDER_DIFFERENT, 1001},   {XJL_PARAM_MAX_CANDIDATES, INFINITY},
        {XJL_PARAM_BLOCK_LIMIT, INFINITY},      {XJL_PARAM_MATCH_PRIOR, -INFINITY},
        {XJL_PARAM_MATCH_WITHOUT_ID, 0.5},      {XJL_PARAM_MATCH_WITHOUT_ID, INFINITY},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double before, after;
        assert_int_equal(xjl_matcher_get_param(f->m, bad[i].p, &before), XJL_OK);
        if (xjl_matcher_set_param(f->m, bad[i].p, bad[i].v) != XJL_EINVAL)
            fail_msg("parameter %d = %g accepted", (int)bad[i].p, bad[i].v);
        assert_non_null(strstr(xjl_errmsg(), "parameter"));
        assert_int_equal(xjl_matcher_get_param(f->m, bad[i].p, &after), XJL_OK);
        assert_true(before == after);
    }
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_W_ID_EXACT, -XJL_WEIGHT_MAX), XJL_OK);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_W_ID_EXACT, 14), XJL_OK);
    /* With one candidate at most, a child registered twice is still pending,
     * and offered with both records: the cap never cuts the second. */
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MAX_CANDIDATES, 1), XJL_OK);
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, "赵宇", "1", "2019-01-09", "1", "370102", "20190109", 31, NULL);
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_PENDING);
    assert_int_equal(xjl_result_candidate_count(r), 2);
    xjl_result_free(r);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MAX_CANDIDATES, 10), XJL_OK);
}

/* XJL_PARAM_MATCH_WITHOUT_ID: a unique name without ID number on either side
 * may be matched; a record with a number, or a namesake, never. */
static void test_match_without_id_policy(void **state)
{
    struct fixture *f = *state;
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, "周雨", "2", "2019-11-30", "Z", NULL, NULL, 0, NULL);
    xjl_result *r;
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MATCH_WITHOUT_ID, 1), XJL_OK);
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_MATCHED);
    assert_string_equal(xjl_result_match_id(r), "P09");
    xjl_result_free(r);
    /* the query has no number, the record has one: still pending */
    fill_record(&rec, id, "王小明", "1", "2019-03-15", "Z", NULL, NULL, 0, NULL);
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_PENDING);
    xjl_result_free(r);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MATCH_WITHOUT_ID, 0), XJL_OK);
    fill_record(&rec, id, "周雨", "2", "2019-11-30", "Z", NULL, NULL, 0, NULL);
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_PENDING);
    xjl_result_free(r);
}

static void test_index_api(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(xjl_index_count(f->ix), XJL_ARRAY_LEN(registry));
    assert_true(xjl_index_memory(f->ix) > 0);
    assert_int_equal(xjl_index_find_id(f->ix, "P04"), 3);
    assert_int_equal(xjl_index_find_id(f->ix, "nope"), (size_t)-1);
    assert_string_equal(xjl_index_record_id(f->ix, 3), "P04");
    assert_null(xjl_index_record_id(f->ix, 999));
    xjl_parsed p;
    assert_int_equal(xjl_index_record(f->ix, 3, &p), XJL_OK);
    assert_string_equal(p.name, "陈建国");
    char id[19];
    make_id(id, "440305", "20190203", 15);
    assert_string_equal(p.id.normalized, id);
    assert_int_equal(xjl_index_record(f->ix, 999, &p), XJL_ENOTFOUND);
    xjl_record rec = {"x", "1", "2019-01-01", "1", ""};
    /* on a built index, add is a change: of a new id only */
    assert_int_equal(xjl_index_add(f->ix, "P04", &rec), XJL_EDUPLICATE);
    assert_int_equal(xjl_index_add(f->ix, NULL, &rec), XJL_EINVAL);
    assert_int_equal(xjl_index_update(f->ix, "nope", &rec), XJL_ENOTFOUND);
    assert_int_equal(xjl_index_remove(f->ix, "nope"), XJL_ENOTFOUND);
    assert_int_equal(xjl_index_changes(f->ix), 0);
    assert_int_equal(xjl_index_build(f->ix, 1), XJL_ESTATE);
    xjl_index *empty = NULL;
    assert_int_equal(xjl_index_new(&empty), XJL_OK);
    xjl_matcher *none = NULL;
    assert_int_equal(xjl_matcher_new(&none, empty), XJL_ESTATE); /* not built */
    assert_null(none);
    xjl_index_free(empty);
    xjl_index_free(NULL);
    xjl_matcher_free(NULL);
    xjl_result_free(NULL);
}

/* Results must not depend on the number of threads. */
static void test_batch_same_whatever_threads(void **state)
{
    struct fixture *f = *state;
    enum { N = 3000 };
    xjl_record *recs = calloc(N, sizeof *recs);
    char(*ids)[64] = calloc(N, 64);
    fill_queries(recs, ids, N);
    xjl_result **one = calloc(N, sizeof *one), **many = calloc(N, sizeof *many);
    assert_int_equal(xjl_matcher_match_many(f->m, recs, N, 1, one), XJL_OK);
    assert_int_equal(xjl_matcher_match_many(f->m, recs, N, 7, many), XJL_OK);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(xjl_result_status(one[i]), xjl_result_status(many[i]));
        assert_int_equal(xjl_result_candidate_count(one[i]), xjl_result_candidate_count(many[i]));
        for (size_t k = 0; k < xjl_result_candidate_count(one[i]); k++)
            assert_string_equal(xjl_result_candidate_id(one[i], k),
                                xjl_result_candidate_id(many[i], k));
        xjl_result_free(one[i]);
        xjl_result_free(many[i]);
    }
    free(one);
    free(many);
    free(recs);
    free(ids);
}

/* Results of a batch share blocks of memory: each stays whole until freed,
 * whatever others of the batch are freed before it, and from whichever
 * thread (run under ASan, a block freed too early shows here). */
struct free_job {
    xjl_result **res;
    size_t from, n, step;
};

static void *free_some(void *arg)
{
    struct free_job *j = arg;
    for (size_t i = j->from; i < j->n; i += j->step) {
        xjl_result_free(j->res[i]);
        j->res[i] = NULL;
    }
    return NULL;
}

static void test_batch_results_freed_in_any_order(void **state)
{
    struct fixture *f = *state;
    enum { N = 5000 };
    xjl_record *recs = calloc(N, sizeof *recs);
    char(*ids)[64] = calloc(N, 64);
    fill_queries(recs, ids, N);
    xjl_result **res = calloc(N, sizeof *res);
    assert_int_equal(xjl_matcher_match_many(f->m, recs, N, 3, res), XJL_OK);
    /* every third freed first; the others still read as a single match does */
    struct free_job first = {res, 0, N, 3};
    free_some(&first);
    for (size_t i = 0; i < N; i++) {
        if (!res[i])
            continue;
        xjl_result *one;
        assert_int_equal(xjl_matcher_match(f->m, &recs[i], &one), XJL_OK);
        check_result(f->ix, res[i]);
        assert_int_equal(xjl_result_status(res[i]), xjl_result_status(one));
        assert_string_equal(xjl_result_reasons(res[i]), xjl_result_reasons(one));
        assert_int_equal(xjl_result_candidate_count(res[i]), xjl_result_candidate_count(one));
        for (size_t k = 0; k < xjl_result_candidate_count(one); k++)
            assert_string_equal(xjl_result_candidate_id(res[i], k),
                                xjl_result_candidate_id(one, k));
        assert_string_equal(xjl_result_query(res[i])->name, xjl_result_query(one)->name);
        assert_memory_equal(xjl_result_query(res[i])->findings, xjl_result_query(one)->findings,
                            sizeof xjl_result_query(one)->findings);
        xjl_result_free(one);
    }
    /* the rest from two threads at once, interleaved */
    struct free_job a = {res, 1, N, 3}, b = {res, 2, N, 3};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, free_some, &a), 0);
    free_some(&b);
    pthread_join(t, NULL);
    free(res);
    free(recs);
    free(ids);
}

/* A block of 100,000 namesakes born the same day: bounded work per query,
 * so this finishes in seconds, not minutes (a quadratic blow-up would not). */
static void test_namesake_block_is_bounded(void **state)
{
    (void)state;
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    char id[64];
    for (int i = 0; i < 100000; i++) {
        xjl_record rec;
        char rid[16], region[16];
        snprintf(rid, sizeof rid, "N%d", i);
        snprintf(region, sizeof region, "%06d", 110000 + i / 499);
        fill_record(&rec, id, "张伟", "1", "2019-06-06", "1", region, "20190606", (i % 499) * 2 + 1,
                    NULL);
        assert_int_equal(xjl_index_add(ix, rid, &rec), XJL_OK);
    }
    assert_int_equal(xjl_index_build(ix, 0), XJL_OK);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    clock_t t0 = clock();
    for (int i = 0; i < 200; i++) {
        xjl_record rec = {"张伟", "1", "2019-06-06", "Z", ""};
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        assert_int_equal(xjl_result_status(r), XJL_PENDING);
        assert_int_equal(xjl_result_candidate_count(r), 10);
        xjl_result_free(r);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 20.0);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* An index of rows (the fixture's format) built on one thread. */
static xjl_index *index_of(const struct reg_row *rows, size_t n)
{
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    for (size_t i = 0; i < n; i++) {
        xjl_record rec;
        char id[64];
        fill_record(&rec, id, rows[i].name, rows[i].gender, rows[i].dob, rows[i].type,
                    rows[i].region, rows[i].ymd, rows[i].seq, NULL);
        assert_int_equal(xjl_index_add(ix, rows[i].id, &rec), XJL_OK);
    }
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    return ix;
}

/* Each candidate's parts of the score: they sum to the score, the text
 * names each level with its part, and the probability follows the score and
 * the prior. */
static void test_weights_and_probability(void **state)
{
    struct fixture *f = *state;
    for (size_t qi = 0; qi < XJL_ARRAY_LEN(queries); qi++) {
        xjl_result *r = match_query(f->m, &queries[qi]);
        for (size_t i = 0; i < xjl_result_candidate_count(r); i++) {
            double sum = 0;
            for (int fld = 0; fld < 5; fld++)
                sum += xjl_result_candidate_weight(r, i, (xjl_field)fld);
            assert_float_equal(sum, xjl_result_candidate_score(r, i), 1e-3);
            assert_float_equal(xjl_result_candidate_weight(r, i, XJL_FIELD_ID_TYPE), 0.0, 0.0);
            char text[200];
            size_t len = xjl_result_candidate_weights(r, i, text, sizeof text);
            assert_int_equal(len, strlen(text));
            assert_int_equal(xjl_result_candidate_weights(r, i, NULL, 0), len);
            assert_non_null(strstr(text, "name="));
            double p = xjl_result_candidate_probability(r, i);
            double s = xjl_result_candidate_score(r, i);
            /* the default prior: one record of the 12 in the index */
            assert_float_equal(p, 1.0 / (1.0 + 11.0 * exp2(-s)), 1e-6);
        }
        xjl_result_free(r);
    }
    /* the homophone without ID number, field by field */
    xjl_record rec = {"李含", "女", "2019-05-20", "其他", ""};
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    char text[200];
    xjl_result_candidate_weights(r, 0, text, sizeof text);
    assert_string_equal(text, "name=pinyin(+6.0) dob=exact(+10.0) gender=exact(+1.0) "
                              "type=different(0) id=missing(0)");
    char cut[10];
    assert_int_equal(xjl_result_candidate_weights(r, 0, cut, sizeof cut), strlen(text));
    assert_string_equal(cut, "name=piny");
    assert_int_equal(xjl_result_candidate_weights(r, 5, cut, sizeof cut), 0);
    assert_string_equal(cut, "");
    memset(cut, 'x', sizeof cut);
    assert_int_equal(xjl_result_candidate_weights_lang(NULL, 0, XJL_LANG_ZH, cut, sizeof cut), 0);
    assert_string_equal(cut, "");
    assert_float_equal(xjl_result_candidate_weight(r, 0, XJL_FIELD_RECORD), 0.0, 0.0);
    assert_float_equal(xjl_result_candidate_probability(r, 1), 0.0, 0.0);
    xjl_result_free(r);
    /* a stated prior of one half: the probability is the score's odds */
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MATCH_PRIOR, 1.0), XJL_EINVAL);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MATCH_PRIOR, 0.5), XJL_OK);
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_float_equal(xjl_result_candidate_probability(r, 0), 1.0 / (1.0 + exp2(-17.0)), 1e-9);
    xjl_result_free(r);
    assert_int_equal(xjl_matcher_set_param(f->m, XJL_PARAM_MATCH_PRIOR, 0), XJL_OK);
}

/* n records like `like` (ids N00, N01, …), each with its own number: the
 * sequence numbers step by two from like's, keeping its gender. */
static void namesakes(struct reg_row *rows, char (*ids)[8], int n, const struct reg_row *like)
{
    for (int i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "N%02d", i);
        rows[i] = *like;
        rows[i].id = ids[i];
        rows[i].seq = like->seq + 2 * i;
    }
}

/* 20 namesakes born the same day with citizen numbers come before, in the
 * registry, a child registered twice without any number.  Every candidate
 * scores the same on name, date and gender; the child's two records agree
 * also on the document type and on having no number, and must be offered
 * first, whatever the cap. */
static void test_cap_keeps_the_most_agreeing(void **state)
{
    (void)state;
    struct reg_row rows[22];
    char ids[22][8];
    namesakes(rows, ids, 20,
              &(struct reg_row){NULL, "杨涵", "2", "2019-05-14", "1", "110101", "20190514", 2});
    rows[20] = (struct reg_row){"T1", "杨涵", "2", "2019-05-14", "Z", NULL, NULL, 0};
    rows[21] = (struct reg_row){"T2", "杨涵", "2", "2019-05-14", "Z", NULL, NULL, 0};
    xjl_index *ix = index_of(rows, 22);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    xjl_record rec = {"杨涵", "女", "2019-05-14", "其他", ""};
    for (double cap = 1; cap <= 10; cap += 9) {
        assert_int_equal(xjl_matcher_set_param(m, XJL_PARAM_MAX_CANDIDATES, cap), XJL_OK);
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        assert_int_equal(xjl_result_status(r), XJL_PENDING);
        assert_int_equal(xjl_result_candidate_count(r), cap < 2 ? 2 : cap);
        assert_string_equal(xjl_result_candidate_id(r, 0), "T1");
        assert_string_equal(xjl_result_candidate_id(r, 1), "T2");
        xjl_result_free(r);
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* A row 张伟 without number matched with a block limit against 31 namesakes
 * on its birth date: 30 with numbers, then its own record C, last. */
static xjl_result *match_in_block(double limit)
{
    struct reg_row rows[31];
    char ids[31][8];
    namesakes(rows, ids, 30,
              &(struct reg_row){NULL, "张伟", "1", "2019-06-06", "1", "130102", "20190606", 1});
    rows[30] = (struct reg_row){"C", "张伟", "1", "2019-06-06", "Z", NULL, NULL, 0};
    xjl_index *ix = index_of(rows, 31);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    assert_int_equal(xjl_matcher_set_param(m, XJL_PARAM_BLOCK_LIMIT, limit), XJL_OK);
    xjl_record rec = {"张伟", "男", "2019-06-06", "其他", ""};
    xjl_result *r;
    assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_PENDING);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    return r;
}

/* A block larger than the limit gives up its least agreeing records: the
 * child's own record, last in the registry, is still found. */
static void test_block_limit_drops_least_agreeing(void **state)
{
    (void)state;
    xjl_result *r = match_in_block(5);
    assert_int_equal(xjl_result_candidate_count(r), 5);
    assert_string_equal(xjl_result_candidate_id(r, 0), "C");
    xjl_result_free(r);
}

/* A search the block limit cuts says so: its reasons end with the finding
 * block_limit=N (N records of the search key's block not compared), in
 * English and Chinese; a search within the limit reports nothing and its
 * reasons are the best candidate's, unchanged.  31 namesakes on one day:
 * a limit of 2 reads 16 of them (eight times the limit) and keeps 2. */
static void test_block_limit_reported(void **state)
{
    (void)state;
    static const struct {
        double limit;
        size_t unread; /* 0: no finding */
    } cases[] = {{2000, 0}, {31, 0}, {30, 1}, {5, 26}, {2, 29}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        xjl_result *r = match_in_block(cases[c].limit);
        const char *best = xjl_result_candidate_reasons(r, 0);
        char want[512], zh[512], zh_best[256];
        xjl_result_candidate_reasons_lang(r, 0, XJL_LANG_ZH, zh_best, sizeof zh_best);
        size_t zl = xjl_result_reasons_lang(r, XJL_LANG_ZH, zh, sizeof zh);
        assert_int_equal(zl, strlen(zh));
        if (!cases[c].unread) {
            assert_string_equal(xjl_result_reasons(r), best);
            assert_string_equal(zh, zh_best);
        } else {
            snprintf(want, sizeof want, "%s block_limit=%zu", best, cases[c].unread);
            assert_string_equal(xjl_result_reasons(r), want);
            snprintf(want, sizeof want, "%s；同一检索键的记录超出上限，%zu条记录未比对", zh_best,
                     cases[c].unread);
            assert_string_equal(zh, want);
        }
        xjl_result_free(r);
    }
}

/* A record without ID number that is off on two or more of name, date and
 * gender is not offered for a query with a valid number (so it does not make
 * a five-field match a review); one that is off on one field is (it may be
 * the same child), unless a record agrees on all five with the number.  When
 * a record agrees on the number, records with another number are not
 * offered.  For a query whose valid number carries a birth date, a record
 * without a number born on neither the query's date nor the number's is not
 * offered either. */
static void test_unlikely_candidates_left_out(void **state)
{
    (void)state;
    static const struct reg_row rows[] = {
        {"A", "高一诺", "2", "2019-12-03", "1", "152971", "20191203", 14},
        {"W", "高毅诺", "1", "2019-03-12", "Z", NULL, NULL, 0},
        {"C", "高一诺", "2", "2019-12-03", "1", "152971", "20191203", 24},
        {"B", "林小雨", "2", "2019-04-05", "1", "110101", "20190405", 22},
        {"S", "林小雨", "2", "2019-04-05", "Z", NULL, NULL, 0},
        {"T", "林晓雨", "2", "2019-04-05", "Z", NULL, NULL, 0},
        {"H", "陈紫辰", "1", "2020-05-09", "Z", NULL, NULL, 0}, /* 子/紫: both zi */
        {"F", "陈致晨", "1", "2020-05-09", "Z", NULL, NULL, 0}, /* zhi chen: fuzzy */
        {"Y", "沈宇轩", "1", "2018-07-31", "Z", NULL, NULL, 0}, /* 沈 shěn, also chén */
        /* namesakes without a number born a day apart */
        {"D", "孙明杰", "1", "2019-06-10", "Z", NULL, NULL, 0},
        {"E", "孙明杰", "1", "2019-06-11", "Z", NULL, NULL, 0},
        {"G", "孙明杰", "1", "2019-06-09", "Z", NULL, NULL, 0},
    };
    static const struct {
        const char *name, *gender, *dob, *region, *ymd;
        int seq;
        const char *id_mode;
        xjl_match_status status;
        const char *cands;
    } cases[] = {
        /* W: pinyin, day and month swapped, other gender, no number: weak */
        {"高一诺", "2", "2019-12-03", "152971", "20191203", 14, NULL, XJL_MATCHED, "A"},
        /* a new pupil with a valid number of her own: W is not offered */
        {"高一诺", "2", "2019-12-03", "152971", "20191203", 34, NULL, XJL_NOT_FOUND, ""},
        /* S agrees on name, date and gender: it could be the same child
         * registered again without a number; T also differs in the name: it
         * would take that and a typo, while B agrees on all five */
        {"林小雨", "2", "2019-04-05", "110101", "20190405", 22, NULL, XJL_PENDING, "B S"},
        /* with another child's number, S and T are offered (by score: in a
         * registry of six, the name's weight is below a homophone's) */
        {"林小雨", "2", "2019-04-05", "110101", "20190405", 24, NULL, XJL_PENDING, "T S"},
        /* no number on the query: S is its twin, T its twin but for the name;
         * both are never cut, in score order */
        {"林小雨", "2", "2019-04-05", NULL, NULL, 0, NULL, XJL_PENDING, "T S B"},
        /* no number on the query: nothing tells the child from W and C */
        {"高一诺", "2", "2019-12-03", NULL, NULL, 0, NULL, XJL_PENDING, "A C W"},
        /* a typo in A's number: A agrees on it, C (another number) is left
         * out; the typed number is not valid, so W stays */
        {"高一诺", "2", "2019-12-03", "152971", "20191203", 14, "typo", XJL_PENDING, "A W"},
        /* a valid number of his own: H, a homophone without a number, is off
         * on one field and offered; F, a near-homophone, is off by a looser
         * relation, which counts two: weak */
        {"陈子辰", "1", "2020-05-09", "522730", "20200509", 12, NULL, XJL_PENDING, "H"},
        /* no number on the query: nothing else tells the child, both offered */
        {"陈子辰", "1", "2020-05-09", NULL, NULL, 0, NULL, XJL_PENDING, "H F"},
        /* 陈宇轩 sounds like Y only by 沈's other reading chén: loose, like a
         * near-homophone, so weak for a row with a number of its own ... */
        {"陈宇轩", "1", "2018-07-31", "110101", "20180731", 16, NULL, XJL_NOT_FOUND, ""},
        /* ... and offered to a row without one */
        {"陈宇轩", "1", "2018-07-31", NULL, NULL, 0, NULL, XJL_PENDING, "Y"},
        /* a valid number names the birth date: with the row's date agreeing,
         * E and G (a day off, no number) would need the child registered
         * without its number and with a wrong date; only D is offered */
        {"孙明杰", "1", "2019-06-10", "110101", "20190610", 33, NULL, XJL_PENDING, "D"},
        /* the date typed a day late: E is on the row's date, D on the
         * number's; one of the two is the typo */
        {"孙明杰", "1", "2019-06-11", "110101", "20190610", 33, NULL, XJL_PENDING, "E D"},
        /* two days late: D on the number's date; E is on neither */
        {"孙明杰", "1", "2019-06-12", "110101", "20190610", 33, NULL, XJL_PENDING, "D"},
        /* without a number, or with one that fails its check (a typo), the
         * row's date is all there is: every namesake a day either side */
        {"孙明杰", "1", "2019-06-10", NULL, NULL, 0, NULL, XJL_PENDING, "D E G"},
        {"孙明杰", "1", "2019-06-10", "110101", "20190610", 33, "typo", XJL_PENDING, "D E G"},
    };
    xjl_index *ix = index_of(rows, XJL_ARRAY_LEN(rows));
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    for (size_t i = 0; i < XJL_ARRAY_LEN(cases); i++) {
        xjl_record rec;
        char id[64], got[64] = "";
        fill_record(&rec, id, cases[i].name, cases[i].gender, cases[i].dob,
                    cases[i].seq ? "1" : "Z", cases[i].region, cases[i].ymd, cases[i].seq,
                    cases[i].id_mode);
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        for (size_t k = 0; k < xjl_result_candidate_count(r); k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? " " : "",
                     xjl_result_candidate_id(r, k));
        if (xjl_result_status(r) != cases[i].status || strcmp(got, cases[i].cands) != 0)
            fail_msg("case %zu: %s offering '%s' (%s), expected %s offering '%s'", i,
                     xjl_status_name(xjl_result_status(r)), got, xjl_result_reasons(r),
                     xjl_status_name(cases[i].status), cases[i].cands);
        xjl_result_free(r);
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* The mirror image for a query without any ID number: a record with a number
 * that is off on two or more of name, date and gender is not offered (the
 * number left out and two errors besides); one off on one field is, unless a
 * record without a number agrees on all five (the query's twin).  Records
 * without a number are offered as before: nothing tells them apart. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of a result's first 8 candidates as a set: sorted, joined by spaces. */
static void sorted_ids(const xjl_result *r, char *got, size_t cap)
{
    size_t n = xjl_result_candidate_count(r);
    const char *ids[8];
    for (size_t k = 0; k < n && k < 8; k++)
        ids[k] = xjl_result_candidate_id(r, k);
    qsort(ids, n < 8 ? n : 8, sizeof ids[0], cmp_str);
    got[0] = '\0';
    for (size_t k = 0; k < n && k < 8; k++)
        snprintf(got + strlen(got), cap - strlen(got), "%s%s", k ? " " : "", ids[k]);
}

static void test_numbered_candidates_of_query_without_number(void **state)
{
    (void)state;
    static const struct reg_row rows[] = {
        {"N", "李安琪", "2", "2019-07-08", "Z", NULL, NULL, 0},
        {"P", "李安琪", "2", "2019-07-09", "1", "110101", "20190709", 12},
        {"Q", "李安棋", "2", "2019-07-09", "1", "110101", "20190709", 22},
        {"R", "李安琪", "1", "2019-07-08", "1", "110101", "20190708", 31},
        {"S", "李安棋", "1", "2019-07-08", "1", "110101", "20190708", 41},
    };
    static const struct {
        const char *name, *gender, *dob;
        const char *cands; /* as a set: the order is the scores' */
    } cases[] = {
        /* N is the twin: P and R (off on one) and Q and S (off on two) go */
        {"李安琪", "2", "2019-07-08", "N"},
        /* no twin: P agrees on name, date and gender, N and Q are off on one,
         * R on two (date and gender), S on three */
        {"李安琪", "2", "2019-07-09", "N P Q"},
        /* a boy: R agrees, S is off on the name, N and P on two or more (N,
         * without a number, stays: nothing tells it from the child) */
        {"李安琪", "1", "2019-07-08", "N R S"},
    };
    xjl_index *ix = index_of(rows, XJL_ARRAY_LEN(rows));
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    for (size_t i = 0; i < XJL_ARRAY_LEN(cases); i++) {
        xjl_record rec;
        char id[64], got[64] = "";
        fill_record(&rec, id, cases[i].name, cases[i].gender, cases[i].dob, "Z", NULL, NULL, 0,
                    NULL);
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        sorted_ids(r, got, sizeof got);
        if (xjl_result_status(r) != XJL_PENDING || strcmp(got, cases[i].cands) != 0)
            fail_msg("case %zu: %s offering '%s', expected pending offering '%s'", i,
                     xjl_status_name(xjl_result_status(r)), got, cases[i].cands);
        xjl_result_free(r);
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* A name rare in the registry but common on one birth date proves less on
 * that date: its weight there comes from its frequency among the records
 * born that day. */
static void test_name_weight_on_crowded_date(void **state)
{
    (void)state;
    enum { DAYS = 100, PER_DAY = 10, CROWD = 50 };
    static const char *const given[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    static struct reg_row rows[DAYS * PER_DAY + CROWD + 1];
    static char ids[DAYS * PER_DAY + CROWD + 1][8], names[DAYS * PER_DAY][16], dobs[DAYS][16];
    size_t n = 0;
    for (int d = 0; d < DAYS; d++) {
        snprintf(dobs[d], sizeof dobs[d], "2019-%02d-%02d", 1 + d / 28, 1 + d % 28);
        for (int k = 0; k < PER_DAY; k++, n++) {
            /* names 王一一 … 王十十: each once */
            snprintf(names[n], sizeof names[n], "王%s%s", given[n / 10 % 10], given[n % 10]);
            if (n >= 100)
                snprintf(names[n], sizeof names[n], "赵%s%s%s", given[n / 100 % 10],
                         given[n / 10 % 10], given[n % 10]);
            snprintf(ids[n], sizeof ids[n], "R%zu", n);
            rows[n] = (struct reg_row){ids[n], names[n], "1", dobs[d], "Z", NULL, NULL, 0};
        }
    }
    for (int k = 0; k < CROWD; k++, n++) {
        snprintf(ids[n], sizeof ids[n], "X%d", k);
        rows[n] = (struct reg_row){ids[n], "李想", "1", dobs[0], "Z", NULL, NULL, 0};
    }
    rows[n++] = (struct reg_row){"L", "李想", "1", dobs[50], "Z", NULL, NULL, 0};
    xjl_index *ix = index_of(rows, n);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    assert_int_equal(xjl_matcher_set_param(m, XJL_PARAM_MAX_CANDIDATES, 100), XJL_OK);
    double score[2];
    for (int i = 0; i < 2; i++) {
        xjl_record rec = {"李想", "男", i ? dobs[50] : dobs[0], "其他", ""};
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        assert_int_equal(xjl_result_candidate_count(r), i ? 1 : CROWD);
        score[i] = xjl_result_candidate_score(r, 0);
        xjl_result_free(r);
    }
    if (!(score[0] < score[1] - 0.5))
        fail_msg("李想 scores %.2f on its crowded date and %.2f on a quiet one", score[0],
                 score[1]);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* A namesake with another child's valid number is graded without its name
 * when no name could lift it to the threshold (the matcher's shortcut at
 * scale): with the default weights 張三 (a Traditional form of the row's
 * 张三) with another number is not offered; with a variant name weighing 30
 * it reaches the threshold and is.  The shortcut must follow the weights
 * set, not the defaults. */
static void test_name_weight_decides_other_number(void **state)
{
    (void)state;
    static const struct reg_row rows[] = {
        {"T1", "張三", "1", "2019-01-02", "1", "110101", "20190102", 11},
        {"T2", "李四", "1", "2019-01-02", "1", "110101", "20190102", 13},
    };
    xjl_index *ix = index_of(rows, 2);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    xjl_record rec;
    char id[64];
    fill_record(&rec, id, "张三", "1", "2019-01-02", "1", "110101", "20190102", 15, NULL);
    for (int heavy = 0; heavy < 2; heavy++) {
        if (heavy)
            assert_int_equal(xjl_matcher_set_param(m, XJL_PARAM_W_NAME_VARIANT, 30), XJL_OK);
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        if (!heavy) {
            assert_int_equal(xjl_result_status(r), XJL_NOT_FOUND);
        } else {
            assert_int_equal(xjl_result_status(r), XJL_PENDING);
            assert_int_equal(xjl_result_candidate_count(r), 1);
            assert_string_equal(xjl_result_candidate_id(r, 0), "T1");
        }
        xjl_result_free(r);
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* A loose name agreement (near-homophone, look-alike) without an ID number
 * to back it is offered only while chance agreements of that kind are
 * unlikely among the records sharing the row's birth date and gender: in a
 * block of a dozen records it is, in a block of ten thousand it is not.  A
 * record that shares the row's number (a second registration with a
 * near-homophone) is offered whatever the block. */
static void test_loose_name_offered_by_block_size(void **state)
{
    (void)state;
    enum { BIG = 10000 };
    static const char *const given[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    static const struct reg_row fixed[] = {
        {"F", "陈致晨", "1", "2020-05-09", "1", "110101", "20200509", 13}, /* zhi chen: fuzzy */
        {"K", "王末", "1", "2020-05-09", "1", "110101", "20200509", 15},   /* 末 looks like 未 */
        {"T1", "王小明", "1", "2020-05-09", "1", "110101", "20200509", 31},
        {"T2", "王小民", "1", "2020-05-09", "1", "110101", "20200509", 31}, /* twice, min/ming */
    };
    static const struct {
        size_t fill; /* other records born that day, half of them boys */
        const char *name;
        int seq; /* the row's number (110101, 2020-05-09), 0: none */
        const char *cands;
    } cases[] = {
        {10, "陈子辰", 0, "F"},       {10, "王未", 0, "K"}, {10, "王小明", 31, "T1 T2"},
        {BIG, "陈子辰", 0, ""},       {BIG, "王未", 0, ""}, {BIG, "王小明", 31, "T1 T2"},
        {BIG, "王小民", 31, "T1 T2"},
    };
    static struct reg_row rows[BIG + XJL_ARRAY_LEN(fixed)];
    static char names[1000][16];
    for (size_t k = 0; k < 1000; k++)
        snprintf(names[k], sizeof names[k], "赵%s%s%s", given[k / 100], given[k / 10 % 10],
                 given[k % 10]);
    for (size_t i = 0; i < XJL_ARRAY_LEN(cases); i++) {
        size_t n = 0;
        for (size_t k = 0; k < XJL_ARRAY_LEN(fixed); k++)
            rows[n++] = fixed[k];
        for (size_t k = 0; k < cases[i].fill; k++)
            rows[n++] = (struct reg_row){
                "Z", names[k % 1000], k % 2 ? "1" : "2", "2020-05-09", "Z", NULL, NULL, 0};
        xjl_index *ix = index_of(rows, n);
        xjl_matcher *m = NULL;
        assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
        xjl_record rec;
        char id[64], got[64] = "";
        fill_record(&rec, id, cases[i].name, "1", "2020-05-09", cases[i].seq ? "1" : "Z",
                    cases[i].seq ? "110101" : NULL, cases[i].seq ? "20200509" : NULL, cases[i].seq,
                    NULL);
        xjl_result *r;
        assert_int_equal(xjl_matcher_match(m, &rec, &r), XJL_OK);
        sorted_ids(r, got, sizeof got);
        if (strcmp(got, cases[i].cands) != 0)
            fail_msg("case %zu (%zu records that day): %s offered '%s', expected '%s'", i,
                     cases[i].fill, cases[i].name, got, cases[i].cands);
        xjl_result_free(r);
        xjl_matcher_free(m);
        xjl_index_free(ix);
    }
}

struct diag_log {
    int n;
    long lines[8];
    char messages[8][160];
};

static void log_diag(void *user, const char *file, long line, const char *column, const char *value,
                     const char *message)
{
    struct diag_log *d = user;
    (void)file;
    (void)column;
    (void)value;
    if (d->n < 8) {
        d->lines[d->n] = line;
        snprintf(d->messages[d->n], sizeof d->messages[0], "%s", message);
    }
    d->n++;
}

/* A registry file with bad rows: each is reported with its line, the rest loads. */
static void test_registry_csv_bad_rows(void **state)
{
    (void)state;
    char path[] = "/tmp/xjl_test_registry_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    char a[19], b[19];
    make_id(a, "110101", "20190315", 11);
    make_id(b, "320102", "20190520", 22);
    fprintf(f, "id,姓名,性别,出生日期,身份证件类型,身份证件号\n");
    fprintf(f, "A1,王小明,男,2019-03-15,居民身份证,%s\n", a);
    fprintf(f, "A2,李涵,女,2019-05-20\n"); /* too few fields: line 3 */
    fprintf(f, "A3,李");
    fputc('\0', f);
    fprintf(f, "涵,女,2019-05-20,居民身份证,%s\n", b); /* a NUL byte: line 4 */
    fprintf(f, "A4,李涵,女,2019-05-20,居民身份证,%s\n", b);
    fclose(f);
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    struct diag_log d = {0};
    size_t bad = 0;
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, log_diag, &d, &bad), XJL_OK);
    assert_int_equal(bad, 2);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.lines[0], 3);
    assert_int_equal(d.lines[1], 4);
    assert_non_null(strstr(d.messages[1], "NUL"));
    assert_int_equal(xjl_index_count(ix), 2);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    assert_int_equal(xjl_index_find_id(ix, "A4"), 1);
    xjl_index_free(ix);
    /* a file without the key columns is refused, naming what is missing */
    f = fopen(path, "wb");
    fprintf(f, "id,name\nA1,x\n");
    fclose(f);
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, NULL, NULL, &bad),
                     XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), path));
    assert_int_equal(
        xjl_index_add_csv(ix, "/nonexistent/registry.csv", XJL_ENC_AUTO, NULL, NULL, NULL, &bad),
        XJL_EIO);
    xjl_index_free(ix);
    unlink(path);
}

/* A registry file of one record (A1, 王小明, ID number a) written to reg and
 * indexed: its matcher, the index in *ix. */
static xjl_matcher *one_record_matcher(const char *reg, char a[19], xjl_index **ix)
{
    make_id(a, "110101", "20190315", 11);
    FILE *f = fopen(reg, "wb");
    assert_non_null(f);
    fprintf(
        f, "id,姓名,性别,出生日期,身份证件类型,身份证件号\nA1,王小明,男,2019-03-15,居民身份证,%s\n",
        a);
    fclose(f);
    assert_int_equal(xjl_index_new(ix), XJL_OK);
    assert_int_equal(xjl_index_add_csv(*ix, reg, XJL_ENC_AUTO, NULL, NULL, NULL, NULL), XJL_OK);
    assert_int_equal(xjl_index_build(*ix, 1), XJL_OK);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, *ix), XJL_OK);
    return m;
}

/* xjl_match_csv_write over a file the index was read from (through a link
 * too) once replaced the registry with the result: refused, the registry
 * intact. */
static void test_match_csv_write_not_over_source(void **state)
{
    (void)state;
    char dir[] = "/tmp/xjl_test_source_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char reg[128], link_path[128], roster[128], out[128];
    snprintf(reg, sizeof reg, "%s/registry.csv", dir);
    snprintf(link_path, sizeof link_path, "%s/link.csv", dir);
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    char a[19];
    xjl_index *ix = NULL;
    xjl_matcher *m = one_record_matcher(reg, a, &ix);
    FILE *f = fopen(roster, "wb");
    fprintf(f, "姓名,性别,出生日期,身份证件类型,身份证件号\n王小明,男,2019-03-15,居民身份证,%s\n",
            a);
    fclose(f);
    assert_int_equal(link(reg, link_path), 0);
    struct stat before;
    assert_int_equal(stat(reg, &before), 0);
    const char *targets[] = {reg, link_path};
    for (size_t i = 0; i < 2; i++) {
        xjl_csv *csv = NULL;
        assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
        assert_int_equal(xjl_match_csv_write(m, csv, targets[i], NULL, NULL), XJL_EINVAL);
        assert_non_null(strstr(xjl_errmsg(), targets[i]));
        assert_non_null(strstr(xjl_errmsg(), "input"));
        xjl_csv_close(csv);
        struct stat now;
        assert_int_equal(stat(reg, &now), 0);
        assert_int_equal(now.st_size, before.st_size);
    }
    xjl_csv *csv = NULL;
    assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
    xjl_match_totals t;
    assert_int_equal(xjl_match_csv_write(m, csv, out, NULL, &t), XJL_OK);
    assert_int_equal(t.matched, 1);
    xjl_csv_close(csv);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    unlink(reg);
    unlink(link_path);
    unlink(roster);
    unlink(out);
    rmdir(dir);
}

/* A roster without its key columns once replaced the output file with an
 * empty one: refused before the output is touched. */
static void test_match_csv_write_bad_header_keeps_out(void **state)
{
    (void)state;
    char dir[] = "/tmp/xjl_test_badhead_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char reg[128], roster[128], out[128];
    snprintf(reg, sizeof reg, "%s/registry.csv", dir);
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    char a[19];
    xjl_index *ix = NULL;
    xjl_matcher *m = one_record_matcher(reg, a, &ix);
    FILE *f = fopen(roster, "wb");
    fprintf(f, "学生名称,性别\n王小明,男\n");
    fclose(f);
    f = fopen(out, "wb");
    fprintf(f, "the results of yesterday\n");
    fclose(f);
    xjl_csv *csv = NULL;
    assert_int_equal(xjl_csv_open(&csv, roster, XJL_ENC_AUTO), XJL_OK);
    assert_int_equal(xjl_match_csv_write(m, csv, out, NULL, NULL), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "姓名"));
    xjl_csv_close(csv);
    char kept[64] = "";
    f = fopen(out, "rb");
    assert_non_null(f);
    assert_non_null(fgets(kept, sizeof kept, f));
    fclose(f);
    assert_string_equal(kept, "the results of yesterday\n");
    xjl_matcher_free(m);
    xjl_index_free(ix);
    unlink(reg);
    unlink(roster);
    unlink(out);
    rmdir(dir);
}

/* Every report of a load, as one string. */
struct diag_text {
    char *s;
    size_t n, cap;
};

static void text_diag(void *user, const char *file, long line, const char *column,
                      const char *value, const char *message)
{
    struct diag_text *d = user;
    (void)file;
    char one[512];
    int k = snprintf(one, sizeof one, "%ld|%s|%s|%s\n", line, column ? column : "",
                     value ? value : "", message);
    while (d->n + (size_t)k + 1 > d->cap)
        d->s = realloc(d->s, d->cap = d->cap ? d->cap * 2 : 4096);
    memcpy(d->s + d->n, one, (size_t)k + 1);
    d->n += (size_t)k;
}

/* The registry file read row by row and added one record at a time: what
 * xjl_index_add_csv() must equal. */
static xjl_index *load_one_by_one(const char *path, struct diag_text *d, size_t *bad)
{
    xjl_csv *csv = NULL;
    struct xjl_row_layout l;
    assert_int_equal(xjl__registry_open(path, XJL_ENC_AUTO, NULL, NULL, &csv, &l), XJL_OK);
    const int *cols = l.key;
    int idcol = l.id;
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    size_t rowno = 0;
    *bad = 0;
    while (xjl_csv_next(csv) == 1) {
        rowno++;
        if (!xjl__registry_row_loads(csv, &l, path, text_diag, d)) {
            (*bad)++;
            continue;
        }
        xjl_record rec = {
            xjl_csv_field(csv, (size_t)cols[0], NULL), xjl_csv_field(csv, (size_t)cols[1], NULL),
            xjl_csv_field(csv, (size_t)cols[2], NULL), xjl_csv_field(csv, (size_t)cols[3], NULL),
            xjl_csv_field(csv, (size_t)cols[4], NULL)};
        char num[24];
        snprintf(num, sizeof num, "%zu", rowno);
        assert_int_equal(
            xjl_index_add(ix, idcol >= 0 ? xjl_csv_field(csv, (size_t)idcol, NULL) : num, &rec),
            XJL_OK);
    }
    xjl_csv_close(csv);
    return ix;
}

/* A registry of many blocks, read on all cores, is the same index as the
 * same rows added one by one: entries (offsets included), strings, bad-row
 * reports in file order, with and without an id column. */
/* Threads of this process now. */
static size_t threads_now(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char buf[256];
    size_t n = 0;
    while (f && fgets(buf, sizeof buf, f))
        if (sscanf(buf, "Threads: %zu", &n) == 1)
            break;
    if (f)
        fclose(f);
    return n;
}

/* A diag callback that notes the most threads the process had when called. */
static void count_threads(void *user, const char *file, long line, const char *column,
                          const char *value, const char *message)
{
    (void)file, (void)line, (void)column, (void)value, (void)message;
    size_t n = threads_now(), *most = user;
    if (n > *most)
        *most = n;
}

static void test_registry_csv_blocks(void **state)
{
    (void)state;
    char path[] = "/tmp/xjl_test_blocks_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char *const names[] = {"王小明", "李涵",       "欧阳娜娜",      "阿依古丽·买买提",
                                        "张 伟",  "JOHN SMITH", "\xEF\xBC\xA1李"};
    for (int with_id = 1; with_id >= 0; with_id--) {
        FILE *f = fopen(path, "wb");
        fprintf(f, "%s姓名,性别,出生日期,身份证件类型,身份证件号,备注\n", with_id ? "学籍ID," : "");
        size_t rows = 120000;
        for (size_t i = 0; i < rows; i++) {
            char id[19], ymd[9];
            snprintf(ymd, sizeof ymd, "2019%02zu%02zu", 1 + i % 12, 1 + i % 28);
            make_id(id, "110101", ymd, (int)(i % 1000));
            if (with_id)
                fprintf(f, "R%zu,", i);
            if (i % 9973 == 5)
                fprintf(f, "%s,男\n", names[i % 7]); /* too few fields */
            else if (i % 7919 == 3)
                fprintf(f, "\"%s\",女,2019-%02zu-%02zu,护照,E%08zu,\"多行\n备注\"\n", names[i % 7],
                        1 + i % 12, 1 + i % 28, i); /* passport: kept as text */
            else if (i % 5003 == 1)
                fprintf(f, "\n");     /* a blank line (no row) */
            else if (i % 6007 == 2) { /* a NUL byte in the name: reported, not loaded */
                fprintf(f, "李");
                fputc('\0', f);
                fprintf(f, "涵,女,2019-05-20,居民身份证,%s,x\n", id);
            } else
                fprintf(f, "%s,%s,%.4s-%.2s-%.2s,居民身份证,%s,x\n", names[i % 7],
                        i % 2 ? "男" : "女", ymd, ymd + 4, ymd + 6, id);
        }
        fclose(f);

        struct diag_text want_d = {0}, got_d = {0};
        size_t want_bad = 0, got_bad = 0;
        xjl_index *want = load_one_by_one(path, &want_d, &want_bad);
        xjl_index *got = NULL;
        assert_int_equal(xjl_index_new(&got), XJL_OK);
        assert_int_equal(
            xjl_index_add_csv(got, path, XJL_ENC_AUTO, NULL, text_diag, &got_d, &got_bad), XJL_OK);
        assert_true(want_bad > 10);
        assert_int_equal(got_bad, want_bad);
        assert_non_null(want_d.s);
        assert_non_null(got_d.s);
        assert_string_equal(got_d.s, want_d.s);
        size_t n_want, n_got;
        const struct xjl_entry *ew = xjl__index_entries(want, &n_want);
        const struct xjl_entry *eg = xjl__index_entries(got, &n_got);
        assert_int_equal(n_got, n_want);
        assert_true(n_want > rows * 9 / 10);
        for (size_t i = 0; i < n_want; i++) {
            if (memcmp(&ew[i], &eg[i], sizeof *ew) != 0)
                fail_msg("with_id=%d: entry %zu differs", with_id, i);
            assert_string_equal(xjl_index_record_id(got, i), xjl_index_record_id(want, i));
            assert_string_equal(xjl__index_str(got, eg[i].name_off),
                                xjl__index_str(want, ew[i].name_off));
            if (eg[i].id64 & XJL_ID_IN_ARENA)
                assert_string_equal(xjl__index_str(got, (uint32_t)eg[i].id64),
                                    xjl__index_str(want, (uint32_t)ew[i].id64));
        }
        /* without an id column, the id counts rows, not lines: blank lines are no rows */
        size_t blanks = 0;
        for (size_t i = 0; i < rows; i++)
            blanks += i % 5003 == 1 && i % 9973 != 5 && i % 7919 != 3;
        char last[24];
        snprintf(last, sizeof last, with_id ? "R%zu" : "%zu", with_id ? rows - 1 : rows - blanks);
        assert_string_equal(xjl_index_record_id(got, n_got - 1), last);
        /* A budget of one thread: the same index, read on the calling thread
         * alone (the diag callback sees one thread in the process). */
        xjl_index *one = NULL;
        assert_int_equal(xjl_index_new(&one), XJL_OK);
        assert_int_equal(xjl_index_set_threads(one, 1), XJL_OK);
        /* (a sanitizer's runtime may keep a thread of its own: count from here) */
        size_t before = threads_now(), most = 0;
        assert_int_equal(
            xjl_index_add_csv(one, path, XJL_ENC_AUTO, NULL, count_threads, &most, NULL), XJL_OK);
        assert_int_equal(most, before);
        size_t n_one;
        const struct xjl_entry *eo = xjl__index_entries(one, &n_one);
        assert_int_equal(n_one, n_want);
        assert_memory_equal(eo, ew, n_want * sizeof *ew);
        xjl_index_free(one);
        free(want_d.s);
        free(got_d.s);
        xjl_index_free(want);
        xjl_index_free(got);
    }
    /* A file that goes bad far from its start (past the first blocks): the
     * error names the file and the line, as reading row by row does. */
    FILE *f = fopen(path, "wb");
    fprintf(f, "id,姓名,性别,出生日期,身份证件类型,身份证件号\n");
    for (int i = 0; i < 100000; i++)
        fprintf(f, "R%d,李涵,女,2019-05-20,居民身份证,\n", i);
    fprintf(f, "R,\"never closed,女,2019-05-20,居民身份证,\n");
    for (int i = 0; i < 1000; i++)
        fprintf(f, "S%d,李涵,女,2019-05-20,居民身份证,\n", i);
    fclose(f);
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, NULL, NULL, NULL),
                     XJL_EFORMAT);
    /* raised on a worker of the pool, it arrives here with its code */
    assert_int_equal(xjl_errcode(), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "unterminated quote"));
    assert_non_null(strstr(xjl_errmsg(), "starting on line 100002"));
    assert_non_null(strstr(xjl_errmsg(), path));
    xjl_index_free(ix);
    unlink(path);
}

/* A GB18030 registry (what Excel writes in China) of many blocks loads as
 * the same records as its UTF-8 twin: the blocks are cut in converted text. */
static void test_registry_csv_gb18030_blocks(void **state)
{
    (void)state;
    size_t rows = 60000, cap = rows * 96 + 256, n = 0;
    char *utf8 = malloc(cap);
    n += (size_t)snprintf(utf8, cap, "学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号\n");
    static const char *const names[] = {"王小明", "李涵", "欧阳娜娜", "阿依古丽·买买提", "張偉"};
    for (size_t i = 0; i < rows; i++) {
        char id[19], ymd[9];
        snprintf(ymd, sizeof ymd, "2019%02zu%02zu", 1 + i % 12, 1 + i % 28);
        make_id(id, "110101", ymd, (int)(i % 1000));
        n += (size_t)snprintf(utf8 + n, cap - n,
                              "R%zu,\"%s\",%s,%.4s年%.2s月%.2s日,居民身份证,%s\r\n", i,
                              names[i % 5], i % 2 ? "男" : "女", ymd, ymd + 4, ymd + 6, id);
    }
    UErrorCode err = U_ZERO_ERROR;
    size_t gcap = n * 2 + 16;
    char *gb = malloc(gcap);
    int32_t glen = ucnv_convert("gb18030", "UTF-8", gb, (int32_t)gcap, utf8, (int32_t)n, &err);
    assert_true(U_SUCCESS(err));
    char upath[] = "/tmp/xjl_test_utf8_XXXXXX", gpath[] = "/tmp/xjl_test_gb_XXXXXX";
    int ufd = mkstemp(upath), gfd = mkstemp(gpath);
    assert_true(ufd >= 0 && gfd >= 0);
    assert_int_equal(write(ufd, utf8, n), (ssize_t)n);
    assert_int_equal(write(gfd, gb, (size_t)glen), (ssize_t)glen);
    close(ufd);
    close(gfd);
    assert_true((size_t)glen > ((size_t)2 << 20)); /* several blocks, several reads */

    xjl_index *u = NULL, *g = NULL;
    assert_int_equal(xjl_index_new(&u), XJL_OK);
    assert_int_equal(xjl_index_new(&g), XJL_OK);
    size_t ubad = 9, gbad = 9;
    assert_int_equal(xjl_index_add_csv(u, upath, XJL_ENC_AUTO, NULL, NULL, NULL, &ubad), XJL_OK);
    assert_int_equal(xjl_index_add_csv(g, gpath, XJL_ENC_AUTO, NULL, NULL, NULL, &gbad), XJL_OK);
    assert_int_equal(ubad, 0);
    assert_int_equal(gbad, 0);
    size_t nu, ng;
    const struct xjl_entry *eu = xjl__index_entries(u, &nu), *eg = xjl__index_entries(g, &ng);
    assert_int_equal(nu, rows);
    assert_int_equal(ng, rows);
    for (size_t i = 0; i < rows; i++)
        if (memcmp(&eu[i], &eg[i], sizeof *eu) != 0)
            fail_msg("record %zu (%s) differs between the UTF-8 and the GB18030 file", i,
                     xjl_index_record_id(u, i));
    xjl_index_free(u);
    xjl_index_free(g);
    unlink(upath);
    unlink(gpath);
    free(utf8);
    free(gb);
}

/* Numbers of the citizen form are packed into 64 bits (eight digits at a
 * time): every digit at every position comes back as it went in, and a
 * number that is not of that form keeps its text. */
/* The weights texts of every candidate of every query, English and
 * Chinese, as one thread makes them: each asked for twice, the second
 * time from the thread's memo of texts (match.c), which must give the text
 * made anew. */
struct weights_texts {
    xjl_result **res;
    size_t nres;
    char (*text)[2][400]; /* [candidate of all results][lang] */
    bool reverse;         /* visit the candidates last to first */
    int mismatches;
};

static void *make_weights_texts(void *arg)
{
    struct weights_texts *w = arg;
    size_t total = 0;
    for (size_t r = 0; r < w->nres; r++)
        total += xjl_result_candidate_count(w->res[r]);
    for (size_t k = 0; k < total; k++) {
        size_t at = w->reverse ? total - 1 - k : k, r = 0, i = at;
        while (i >= xjl_result_candidate_count(w->res[r]))
            i -= xjl_result_candidate_count(w->res[r++]);
        for (int lang = 0; lang < 2; lang++) {
            char first[400], again[400];
            xjl_result_candidate_weights_lang(w->res[r], i, (xjl_lang)lang, first, sizeof first);
            xjl_result_candidate_weights_lang(w->res[r], i, (xjl_lang)lang, again, sizeof again);
            w->mismatches += strcmp(first, again) != 0;
            if (w->reverse)
                w->mismatches += strcmp(first, w->text[at][lang]) != 0;
            else
                snprintf(w->text[at][lang], sizeof w->text[at][lang], "%s", first);
        }
    }
    return NULL;
}

static void test_weights_texts_from_memo(void **state)
{
    struct fixture *f = *state;
    xjl_result *res[XJL_ARRAY_LEN(queries)];
    size_t total = 0;
    for (size_t qi = 0; qi < XJL_ARRAY_LEN(queries); qi++) {
        res[qi] = match_query(f->m, &queries[qi]);
        total += xjl_result_candidate_count(res[qi]);
    }
    assert_true(total > 10);
    struct weights_texts w = {res, XJL_ARRAY_LEN(queries), calloc(total, sizeof *w.text), false, 0};
    assert_non_null(w.text);
    make_weights_texts(&w); /* this thread: made, then mostly from its memo */
    /* another thread, with a memo of its own filled in the other order */
    w.reverse = true;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, make_weights_texts, &w), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w.mismatches, 0);
    /* the texts differ where the candidates' levels or weights do */
    size_t distinct = 0;
    for (size_t k = 0; k < total; k++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(w.text[j][0], w.text[k][0]) == 0;
        distinct += !seen;
        assert_true(strstr(w.text[k][0], "name=") != NULL);
        assert_true(strstr(w.text[k][1], "name=") == NULL); /* the Chinese words */
    }
    assert_true(distinct > 3);
    free(w.text);
    for (size_t qi = 0; qi < XJL_ARRAY_LEN(queries); qi++)
        xjl_result_free(res[qi]);
}

static void test_id_packing_round_trip(void **state)
{
    (void)state;
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    char ids[17 * 10 + 4][24];
    size_t n = 0;
    for (int pos = 0; pos < 17; pos++)
        for (int d = 0; d < 10; d++) {
            char first17[18] = "11010120190315123";
            first17[pos] = (char)('0' + d);
            snprintf(ids[n], sizeof ids[n], "%s%c", first17, xjl_id_check_char(first17));
            n++;
        }
    snprintf(ids[n++], sizeof ids[0], "%s", "99999999999999999X");
    snprintf(ids[n++], sizeof ids[0], "%s", "00000000000000000X"); /* all zeros */
    snprintf(ids[n++], sizeof ids[0], "%s", "E12345678");          /* a passport */
    snprintf(ids[n++], sizeof ids[0], "%s", "11010120190315123:"); /* ':' follows '9' */
    for (size_t i = 0; i < n; i++) {
        xjl_record rec = {"王小明", "男", "2019-03-15", i + 2 == n ? "护照" : "", ids[i]};
        assert_int_equal(xjl_index_add(ix, NULL, &rec), XJL_OK);
    }
    size_t count;
    const struct xjl_entry *e = xjl__index_entries(ix, &count);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        xjl_parsed p;
        assert_int_equal(xjl_index_record(ix, i, &p), XJL_OK);
        const char *want = ids[i];
        if (strcmp(p.id.normalized, want) != 0)
            fail_msg("record %zu: '%s' came back as '%s'", i, want, p.id.normalized);
        bool citizen_form = strlen(want) == 18 && strspn(want, "0123456789") >= 17 &&
                            (isdigit((unsigned char)want[17]) || want[17] == 'X');
        if (citizen_form != !(e[i].id64 & XJL_ID_IN_ARENA))
            fail_msg("record %zu '%s': packed %d", i, want, !(e[i].id64 & XJL_ID_IN_ARENA));
    }
    xjl_index_free(ix);
}

static void test_bad_arguments(void **state)
{
    struct fixture *f = *state;
    xjl_result *r = NULL;
    assert_int_equal(xjl_matcher_match(NULL, NULL, &r), XJL_EINVAL);
    assert_int_equal(xjl_matcher_match(f->m, NULL, &r), XJL_EINVAL);
    assert_int_equal(xjl_index_add(NULL, "x", NULL), XJL_EINVAL);
    assert_int_equal(xjl_matcher_match_many(f->m, NULL, 0, 1, NULL), XJL_OK);
    /* NULL fields are empty fields */
    xjl_record rec = {NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(xjl_matcher_match(f->m, &rec, &r), XJL_OK);
    assert_int_equal(xjl_result_status(r), XJL_ERROR);
    xjl_result_free(r);
}

/* Each parallel stage on a budget of one thread starts no thread (a Dask
 * worker caps the library at 1); on a budget of two, each does start one,
 * so that the count can tell. */
static int sink_row(void *user, const xjl_roster_row *row)
{
    (void)row;
    ++*(size_t *)user;
    return 0;
}

/* The name of the thread the sink was last called on (one thread calls it). */
static char sink_seen_name[16];

static int sink_row_named(void *user, const xjl_roster_row *row)
{
    pthread_getname_np(pthread_self(), sink_seen_name, sizeof sink_seen_name);
    return sink_row(user, row);
}

static void test_thread_budget(void **state)
{
    (void)state;
    char path[] = "/tmp/xjl_test_budget_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    FILE *f = fopen(path, "wb");
    fprintf(f, "id,姓名,性别,出生日期,身份证件类型,身份证件号\n");
    enum { ROWS = 3000 };
    for (int i = 0; i < ROWS; i++) {
        char id[19], ymd[9];
        snprintf(ymd, sizeof ymd, "2019%02d%02d", 1 + i % 12, 1 + i % 28);
        make_id(id, "110101", ymd, i % 1000);
        fprintf(f, "R%d,王小明,%s,%.4s-%.2s-%.2s,居民身份证,%s\n", i, i % 2 ? "男" : "女", ymd,
                ymd + 4, ymd + 6, id);
    }
    fclose(f);
    for (unsigned budget = 1; budget <= 2; budget++) {
        size_t started[6], alive = threads_alive();
        started[0] = atomic_load(&threads_started);
        xjl_index *ix = NULL;
        assert_int_equal(xjl_index_new(&ix), XJL_OK);
        assert_int_equal(xjl_index_set_threads(ix, budget), XJL_OK);
        assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, NULL, NULL, NULL), XJL_OK);
        started[1] = atomic_load(&threads_started);
        assert_int_equal(xjl_index_build(ix, budget), XJL_OK);
        started[2] = atomic_load(&threads_started);
        xjl_matcher *m = NULL;
        assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
        xjl_record *recs = calloc(ROWS, sizeof *recs);
        xjl_result **res = calloc(ROWS, sizeof *res);
        xjl_csv *csv;
        assert_int_equal(xjl_csv_open(&csv, path, XJL_ENC_AUTO), XJL_OK);
        for (size_t i = 0; i < ROWS && xjl_csv_next(csv) == 1; i++)
            recs[i] = (xjl_record){
                strdup(xjl_csv_field(csv, 1, NULL)), strdup(xjl_csv_field(csv, 2, NULL)),
                strdup(xjl_csv_field(csv, 3, NULL)), strdup(xjl_csv_field(csv, 4, NULL)),
                strdup(xjl_csv_field(csv, 5, NULL))};
        xjl_csv_close(csv);
        started[3] = atomic_load(&threads_started);
        assert_int_equal(xjl_matcher_match_many(m, recs, ROWS, budget, res), XJL_OK);
        started[4] = atomic_load(&threads_started);
        for (size_t i = 0; i < ROWS; i++)
            assert_int_equal(xjl_result_status(res[i]), XJL_MATCHED);
        assert_int_equal(xjl_csv_open(&csv, path, XJL_ENC_AUTO), XJL_OK);
        size_t seen = 0;
        xjl_roster_sink sink = {NULL, sink_row_named, &seen};
        xjl_match_csv_options o = XJL_MATCH_CSV_OPTIONS_INIT;
        o.threads = budget;
        o.chunk_bytes = 4096; /* many chunks */
        char own[16];
        assert_int_equal(pthread_getname_np(pthread_self(), own, sizeof own), 0);
        assert_int_equal(xjl_match_csv(m, csv, &o, &sink, NULL), XJL_OK);
        /* rows are handed on by the writer thread, named for `top -H` and
         * `perf`; on a budget of one, by the caller, whose name is its own */
        assert_string_equal(sink_seen_name, budget == 1 ? own : "xjl-write");
        xjl_csv_close(csv);
        started[5] = atomic_load(&threads_started);
        assert_int_equal(seen, ROWS);
        static const char *const stage[] = {"xjl_index_add_csv", "xjl_index_build",
                                            "xjl_matcher_match_many", "xjl_match_csv"};
        const size_t from[] = {0, 1, 3, 4}, to[] = {1, 2, 4, 5};
        for (int k = 0; k < 4; k++) {
            size_t n = started[to[k]] - started[from[k]];
            if (budget == 1 && n != 0)
                fail_msg("%s on a budget of 1 started %zu threads", stage[k], n);
            if (budget == 2 && n == 0)
                fail_msg("%s on a budget of 2 started no thread", stage[k]);
        }
        /* none is left running (at most: a thread joined before `alive` was
         * counted may have been listed then and be gone now) */
        assert_true(threads_alive_after_join(alive) <= alive);
        for (size_t i = 0; i < ROWS; i++) {
            xjl_result_free(res[i]);
            free((char *)recs[i].name);
            free((char *)recs[i].gender);
            free((char *)recs[i].birth_date);
            free((char *)recs[i].id_type);
            free((char *)recs[i].id_number);
        }
        free(res);
        free(recs);
        xjl_matcher_free(m);
        xjl_index_free(ix);
    }
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classification_table),
        cmocka_unit_test(test_registered_twice_offers_both),
        cmocka_unit_test(test_twin_never_matched_to_twin),
        cmocka_unit_test(test_placeholders_grade_as_one_char),
        cmocka_unit_test(test_reasons_text),
        cmocka_unit_test(test_result_accessors),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_match_without_id_policy),
        cmocka_unit_test(test_index_api),
        cmocka_unit_test(test_batch_same_whatever_threads),
        cmocka_unit_test(test_batch_results_freed_in_any_order),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_registry_csv_bad_rows),
        cmocka_unit_test(test_match_csv_write_not_over_source),
        cmocka_unit_test(test_match_csv_write_bad_header_keeps_out),
        cmocka_unit_test(test_registry_csv_blocks),
        cmocka_unit_test(test_id_packing_round_trip),
        cmocka_unit_test(test_registry_csv_gb18030_blocks),
        cmocka_unit_test(test_namesake_block_is_bounded),
        cmocka_unit_test(test_cap_keeps_the_most_agreeing),
        cmocka_unit_test(test_block_limit_drops_least_agreeing),
        cmocka_unit_test(test_block_limit_reported),
        cmocka_unit_test(test_unlikely_candidates_left_out),
        cmocka_unit_test(test_numbered_candidates_of_query_without_number),
        cmocka_unit_test(test_name_weight_on_crowded_date),
        cmocka_unit_test(test_loose_name_offered_by_block_size),
        cmocka_unit_test(test_name_weight_decides_other_number),
        cmocka_unit_test(test_weights_and_probability),
        cmocka_unit_test(test_weights_texts_from_memo),
        cmocka_unit_test(test_thread_budget),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
