/*
 * Changes to a built index (lib/match/delta.c): random sequences of add,
 * update and remove, on an index built in memory and on one saved and opened
 * again, must match every roster row exactly as an index built from the
 * final registry does (status, candidates, scores, reasons, weights); and so
 * must the index compacted, and saved and opened.  Then matching threads
 * while another thread changes the index (run under ThreadSanitizer by CI).
 */
#include "citizen_ids.h"

#include <xjlink.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* A small world, so that namesakes, shared dates and shared numbers are
 * common: the name counts and the counts per date move with every change. */
static const char *const names[] = {"张伟", "王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊",
                                    "赵敏", "黄勇", "周杰", "吴刚", "徐丽", "孙浩", "马超",
                                    "朱琳", "胡歌", "郭靖", "何欢", "林峰", "高翔"};
static const char *const genders[] = {"1", "2", "男", "女", ""};
static const char *const types[] = {"居民身份证", "1", "护照", "港澳台居民居住证", ""};

struct rec {
    char id[32];
    char name[32], gender[8], dob[16], type[32], number[24];
};

struct world {
    struct rec *r; /* the registry in its order: see xjlink.h, "Changing a built index" */
    size_t n, cap;
    unsigned seq; /* next record id */
    unsigned seed;
};

static unsigned rnd(struct world *w, unsigned n)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return (w->seed >> 8) % n;
}

static void random_rec(struct world *w, struct rec *r)
{
    snprintf(r->name, sizeof r->name, "%s", names[rnd(w, sizeof names / sizeof names[0])]);
    snprintf(r->gender, sizeof r->gender, "%s", genders[rnd(w, 5)]);
    int day = 1 + (int)rnd(w, 6), month = 1 + (int)rnd(w, 2);
    char ymd[9];
    snprintf(ymd, sizeof ymd, "2019%02d%02d", month, day);
    if (rnd(w, 10) == 0)
        r->dob[0] = '\0'; /* no birth date */
    else
        snprintf(r->dob, sizeof r->dob, "2019-%02d-%02d", month, day);
    snprintf(r->type, sizeof r->type, "%s", types[rnd(w, 5)]);
    unsigned kind = rnd(w, 6);
    if (kind == 0)
        r->number[0] = '\0';
    else if (kind == 1)
        snprintf(r->number, sizeof r->number, "H%07u", rnd(w, 50)); /* kept as text */
    else
        make_id(r->number, "110105", ymd, (int)rnd(w, 8));
}

/* A record much like r: one field changed, as a correction is. */
static void nearby_rec(struct world *w, const struct rec *r, struct rec *out)
{
    struct rec other;
    random_rec(w, &other);
    *out = *r;
    switch (rnd(w, 5)) {
    case 0:
        memcpy(out->name, other.name, sizeof out->name);
        break;
    case 1:
        memcpy(out->gender, other.gender, sizeof out->gender);
        break;
    case 2:
        memcpy(out->dob, other.dob, sizeof out->dob);
        break;
    case 3:
        memcpy(out->type, other.type, sizeof out->type);
        break;
    default:
        memcpy(out->number, other.number, sizeof out->number);
        break;
    }
}

static xjl_record as_record(const struct rec *r)
{
    xjl_record x = {r->name, r->gender, r->dob, r->type, r->number};
    return x;
}

static void world_push(struct world *w, const struct rec *r)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->r = realloc(w->r, w->cap * sizeof *w->r);
        assert_non_null(w->r);
    }
    w->r[w->n++] = *r;
}

static void world_take(struct world *w, size_t i)
{
    memmove(&w->r[i], &w->r[i + 1], (w->n - i - 1) * sizeof *w->r);
    w->n--;
}

static xjl_index *build_from(const struct world *w)
{
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    for (size_t i = 0; i < w->n; i++) {
        xjl_record x = as_record(&w->r[i]);
        assert_int_equal(xjl_index_add(ix, w->r[i].id, &x), XJL_OK);
    }
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    return ix;
}

static void make_world(struct world *w, unsigned seed, size_t n)
{
    memset(w, 0, sizeof *w);
    w->seed = seed;
    for (size_t i = 0; i < n; i++) {
        struct rec r;
        random_rec(w, &r);
        snprintf(r.id, sizeof r.id, "R%u", w->seq++);
        world_push(w, &r);
    }
}

/* One random change to ix and to the world's registry alike. */
static void random_change(struct world *w, xjl_index *ix)
{
    unsigned op = w->n ? rnd(w, 3) : 0;
    if (op == 0) {
        struct rec r;
        if (w->n && rnd(w, 2))
            nearby_rec(w, &w->r[rnd(w, (unsigned)w->n)], &r); /* a near twin */
        else
            random_rec(w, &r);
        snprintf(r.id, sizeof r.id, "R%u", w->seq++);
        xjl_record x = as_record(&r);
        assert_int_equal(xjl_index_add(ix, r.id, &x), XJL_OK);
        world_push(w, &r);
    } else if (op == 1) {
        size_t i = rnd(w, (unsigned)w->n);
        struct rec r;
        nearby_rec(w, &w->r[i], &r);
        xjl_record x = as_record(&r);
        assert_int_equal(xjl_index_update(ix, r.id, &x), XJL_OK);
        world_take(w, i); /* an updated record moves to the end */
        world_push(w, &r);
    } else {
        size_t i = rnd(w, (unsigned)w->n);
        assert_int_equal(xjl_index_remove(ix, w->r[i].id), XJL_OK);
        world_take(w, i);
    }
}

/* The roster: every registry record, a near twin of each, and random rows. */
static size_t make_roster(struct world *w, struct rec **out)
{
    size_t n = w->n * 2 + 40, k = 0;
    struct rec *q = calloc(n, sizeof *q);
    assert_non_null(q);
    for (size_t i = 0; i < w->n; i++) {
        q[k++] = w->r[i];
        nearby_rec(w, &w->r[i], &q[k++]);
    }
    while (k < n)
        random_rec(w, &q[k++]);
    *out = q;
    return n;
}

static void assert_same_result(const xjl_result *a, const xjl_result *b, size_t row)
{
    if (xjl_result_status(a) != xjl_result_status(b) ||
        xjl_result_candidate_count(a) != xjl_result_candidate_count(b))
        fail_msg("row %zu: %s with %zu candidates, rebuilt: %s with %zu", row,
                 xjl_status_name(xjl_result_status(a)), xjl_result_candidate_count(a),
                 xjl_status_name(xjl_result_status(b)), xjl_result_candidate_count(b));
    assert_string_equal(xjl_result_reasons(a), xjl_result_reasons(b));
    assert_true(xjl_result_score(a) == xjl_result_score(b));
    for (size_t i = 0; i < xjl_result_candidate_count(a); i++) {
        assert_string_equal(xjl_result_candidate_id(a, i), xjl_result_candidate_id(b, i));
        if (xjl_result_candidate_score(a, i) != xjl_result_candidate_score(b, i))
            fail_msg("row %zu candidate %s: score %.6f, rebuilt %.6f", row,
                     xjl_result_candidate_id(a, i), xjl_result_candidate_score(a, i),
                     xjl_result_candidate_score(b, i));
        assert_string_equal(xjl_result_candidate_reasons(a, i), xjl_result_candidate_reasons(b, i));
        char wa[200], wb[200];
        xjl_result_candidate_weights(a, i, wa, sizeof wa);
        xjl_result_candidate_weights(b, i, wb, sizeof wb);
        assert_string_equal(wa, wb);
        assert_true(xjl_result_candidate_probability(a, i) ==
                    xjl_result_candidate_probability(b, i));
    }
}

/* Every roster row matched on ix as on an index built from w's registry;
 * returns how many rows found a candidate (so that the test knows it tested
 * something). */
static size_t assert_matches_rebuild(struct world *w, const xjl_index *ix, bool without_id)
{
    assert_int_equal(xjl_index_count(ix), w->n);
    xjl_index *want = build_from(w);
    xjl_matcher *mg = NULL, *mw = NULL;
    assert_int_equal(xjl_matcher_new(&mg, ix), XJL_OK);
    assert_int_equal(xjl_matcher_new(&mw, want), XJL_OK);
    if (without_id) {
        assert_int_equal(xjl_matcher_set_param(mg, XJL_PARAM_MATCH_WITHOUT_ID, 1), XJL_OK);
        assert_int_equal(xjl_matcher_set_param(mw, XJL_PARAM_MATCH_WITHOUT_ID, 1), XJL_OK);
    }
    struct rec *q;
    size_t n = make_roster(w, &q), found = 0;
    xjl_record *recs = calloc(n, sizeof *recs);
    xjl_result **rg = calloc(n, sizeof *rg), **rw = calloc(n, sizeof *rw);
    assert_non_null(recs);
    for (size_t i = 0; i < n; i++)
        recs[i] = as_record(&q[i]);
    assert_int_equal(xjl_matcher_match_many(mg, recs, n, 2, rg), XJL_OK);
    assert_int_equal(xjl_matcher_match_many(mw, recs, n, 1, rw), XJL_OK);
    for (size_t i = 0; i < n; i++) {
        assert_same_result(rg[i], rw[i], i);
        found += xjl_result_candidate_count(rg[i]) > 0;
        xjl_result *one;
        assert_int_equal(xjl_matcher_match(mg, &recs[i], &one), XJL_OK);
        assert_same_result(one, rw[i], i);
        xjl_result_free(one);
        xjl_result_free(rg[i]);
        xjl_result_free(rw[i]);
    }
    for (size_t i = 0; i < w->n; i++) { /* every live record by its id */
        size_t pos = xjl_index_find_id(ix, w->r[i].id);
        assert_int_not_equal(pos, (size_t)-1);
        assert_string_equal(xjl_index_record_id(ix, pos), w->r[i].id);
    }
    free(recs);
    free(rg);
    free(rw);
    free(q);
    xjl_matcher_free(mg);
    xjl_matcher_free(mw);
    xjl_index_free(want);
    return found;
}

static void temp_path(char *buf, size_t cap, const char *what)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/xjl_delta_%ld_%s.xjx", dir ? dir : "/tmp", (long)getpid(), what);
}

/* Random changes on a built index, checked against a rebuild every few
 * changes; then compacted, then saved (folded) and opened. */
static void run_sequence(unsigned seed, bool from_file)
{
    struct world w;
    make_world(&w, seed, 60);
    xjl_index *ix = build_from(&w);
    char path[256];
    temp_path(path, sizeof path, "seq");
    if (from_file) {
        assert_int_equal(xjl_index_save(ix, path), XJL_OK);
        xjl_index_free(ix);
        assert_int_equal(xjl_index_open(&ix, path, XJL_INDEX_VERIFY), XJL_OK);
    }
    size_t found = 0;
    xjl_index *opened2 = NULL;
    for (int round = 0; round < 6; round++) {
        size_t k = 1 + rnd(&w, 25);
        for (size_t i = 0; i < k; i++)
            random_change(&w, ix);
        found += assert_matches_rebuild(&w, ix, round % 2 == 1);
    }
    assert_true(found > 0);
    assert_true(xjl_index_changes(ix) > 0);
    assert_true(xjl_index_positions(ix) > xjl_index_count(ix));

    /* a record removed is gone from every lookup */
    bool r0 = false;
    for (size_t i = 0; i < w.n; i++)
        r0 |= strcmp(w.r[i].id, "R0") == 0;
    assert_int_equal(xjl_index_find_id(ix, "R0") != (size_t)-1, r0);

    /* saved with its changes, opened again: the same */
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    xjl_index *opened = NULL;
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_changes(opened), xjl_index_changes(ix));
    assert_int_equal(xjl_index_positions(opened), xjl_index_positions(ix));
    assert_matches_rebuild(&w, opened, false);
    assert_int_equal(xjl_index_open(&opened2, path, 0), XJL_OK);
    assert_matches_rebuild(&w, opened2, true);
    xjl_index_free(opened2);
    /* ... and changed again after opening */
    for (int i = 0; i < 20; i++)
        random_change(&w, opened);
    assert_matches_rebuild(&w, opened, true);
    /* saved again, with the changes of both: then compacted into a file */
    assert_int_equal(xjl_index_save(opened, path), XJL_OK);
    xjl_index_free(opened);
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_matches_rebuild(&w, opened, false);
    assert_int_equal(xjl_index_compact(opened, 1), XJL_OK);
    assert_int_equal(xjl_index_changes(opened), 0);
    assert_int_equal(xjl_index_positions(opened), w.n);
    assert_int_equal(xjl_index_save(opened, path), XJL_OK);
    xjl_index_free(opened);
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_changes(opened), 0);
    assert_matches_rebuild(&w, opened, true);
    xjl_index_free(opened);
    xjl_index_free(ix);
    unlink(path);
    free(w.r);
}

static void test_random_changes_built(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 12; seed++)
        run_sequence(seed, false);
}

static void test_random_changes_opened(void **state)
{
    (void)state;
    for (unsigned seed = 101; seed <= 108; seed++)
        run_sequence(seed, true);
}

/* Compaction keeps the matching and numbers the records from 0. */
static void test_compact(void **state)
{
    (void)state;
    struct world w;
    make_world(&w, 7, 80);
    xjl_index *ix = build_from(&w);
    for (int i = 0; i < 60; i++)
        random_change(&w, ix);
    assert_matches_rebuild(&w, ix, false);
    assert_int_equal(xjl_index_compact(ix, 2), XJL_OK);
    assert_int_equal(xjl_index_changes(ix), 0);
    assert_int_equal(xjl_index_positions(ix), w.n);
    for (size_t i = 0; i < w.n; i++)
        assert_string_equal(xjl_index_record_id(ix, i), w.r[i].id);
    assert_matches_rebuild(&w, ix, false);
    /* and changed again */
    for (int i = 0; i < 30; i++)
        random_change(&w, ix);
    assert_matches_rebuild(&w, ix, true);
    xjl_index_free(ix);
    free(w.r);
}

/* The first record of a name, removed, and the name's count falls to 0;
 * added again, the weight is that of a unique name (the counts are exact). */
static void test_name_count_follows(void **state)
{
    (void)state;
    struct world w;
    memset(&w, 0, sizeof w);
    struct rec a = {"A", "欧阳娜娜", "2", "2019-02-03", "1", ""}, b = a, c = a;
    make_id(a.number, "110105", "20190203", 1);
    snprintf(b.id, sizeof b.id, "B");
    make_id(b.number, "110105", "20190203", 2);
    snprintf(c.id, sizeof c.id, "C");
    snprintf(c.name, sizeof c.name, "王芳");
    world_push(&w, &a);
    world_push(&w, &b);
    world_push(&w, &c);
    xjl_index *ix = build_from(&w);
    assert_int_equal(xjl_index_remove(ix, "B"), XJL_OK);
    world_take(&w, 1);
    assert_matches_rebuild(&w, ix, true);
    assert_int_equal(
        xjl_index_update(ix, "C", &(xjl_record){"欧阳娜娜", "2", "2019-02-04", "1", ""}), XJL_OK);
    snprintf(w.r[1].name, sizeof w.r[1].name, "欧阳娜娜");
    snprintf(w.r[1].dob, sizeof w.r[1].dob, "2019-02-04");
    assert_matches_rebuild(&w, ix, true);
    assert_int_equal(xjl_index_remove(ix, "A"), XJL_OK);
    world_take(&w, 0);
    assert_matches_rebuild(&w, ix, true);
    assert_int_equal(xjl_index_remove(ix, "A"), XJL_ENOTFOUND);
    assert_int_equal(xjl_index_add(ix, "C", &(xjl_record){"x", "1", "", "1", ""}), XJL_EDUPLICATE);
    assert_int_equal(xjl_index_count(ix), 1);
    xjl_index_free(ix);
    free(w.r);
}

/* ---- a batch of changes ------------------------------------------------------ */

/* k random changes to the world, and the same as one batch: a change may
 * name a record an earlier change of the batch added or updated, and every
 * fourth batch holds two changes that must be refused (an id that is there,
 * an id that is not) between the others.  The results say which. */
static void random_batch(struct world *w, xjl_index *ix, size_t k)
{
    struct rec *keep = calloc(k + 2, sizeof *keep); /* the records the batch borrows */
    xjl_index_change *ch = calloc(k + 2, sizeof *ch);
    int *want = calloc(k + 2, sizeof *want), *got = calloc(k + 2, sizeof *got);
    assert_true(keep && ch && want && got);
    size_t n = 0;
    bool refusals = rnd(w, 4) == 0 && w->n > 0;
    for (size_t i = 0; i < k; i++) {
        if (refusals && i == k / 2) { /* an add of a live id, a remove of one never seen */
            keep[n] = w->r[rnd(w, (unsigned)w->n)];
            ch[n] = (xjl_index_change){XJL_CHANGE_ADD, keep[n].id, as_record(&keep[n])};
            want[n++] = XJL_EDUPLICATE;
            snprintf(keep[n].id, sizeof keep[n].id, "NOPE%zu", i);
            ch[n] = (xjl_index_change){XJL_CHANGE_REMOVE, keep[n].id, {0}};
            want[n++] = XJL_ENOTFOUND;
        }
        unsigned op = w->n ? rnd(w, 3) : 0;
        struct rec *r = &keep[n];
        if (op == 0) {
            if (w->n && rnd(w, 2))
                nearby_rec(w, &w->r[rnd(w, (unsigned)w->n)], r);
            else
                random_rec(w, r);
            snprintf(r->id, sizeof r->id, "R%u", w->seq++);
            world_push(w, r);
            ch[n] = (xjl_index_change){XJL_CHANGE_ADD, r->id, as_record(r)};
        } else if (op == 1) {
            size_t j = rnd(w, (unsigned)w->n);
            nearby_rec(w, &w->r[j], r);
            world_take(w, j);
            world_push(w, r);
            ch[n] = (xjl_index_change){XJL_CHANGE_UPDATE, r->id, as_record(r)};
        } else {
            size_t j = rnd(w, (unsigned)w->n);
            *r = w->r[j];
            world_take(w, j);
            ch[n] = (xjl_index_change){XJL_CHANGE_REMOVE, r->id, {0}};
        }
        want[n++] = XJL_OK;
    }
    size_t before = xjl_index_changes(ix);
    int rc = xjl_index_apply(ix, ch, n, got);
    assert_int_equal(rc, refusals ? XJL_EDUPLICATE : XJL_OK);
    if (refusals) /* the message is the first refusal's */
        assert_non_null(strstr(xjl_errmsg(), ch[k / 2].record_id));
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("change %zu of %zu (%s): %d, expected %d", i, n, ch[i].record_id, got[i],
                     want[i]);
    assert_int_equal(xjl_index_changes(ix), before + k);
    free(keep);
    free(ch);
    free(want);
    free(got);
}

/* Batches of every size (one past the slice of reading on the pool among
 * them) give the index a rebuild from the registry gives, on a built and an
 * opened index. */
static void test_apply_batches(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "batch");
    for (unsigned seed = 201; seed <= 206; seed++) {
        struct world w;
        make_world(&w, seed, 50);
        xjl_index *ix = build_from(&w);
        assert_int_equal(xjl_index_set_threads(ix, 2), XJL_OK);
        if (seed % 2) {
            assert_int_equal(xjl_index_save(ix, path), XJL_OK);
            xjl_index_free(ix);
            assert_int_equal(xjl_index_open(&ix, path, 0), XJL_OK);
            assert_int_equal(xjl_index_set_threads(ix, 2), XJL_OK);
        }
        static const size_t sizes[] = {1, 7, 40, 3};
        for (size_t b = 0; b < sizeof sizes / sizeof sizes[0]; b++) {
            random_batch(&w, ix, sizes[b]);
            assert_matches_rebuild(&w, ix, b % 2 == 1);
        }
        if (seed == 201) { /* a batch the pool reads: 1,100 additions or more */
            random_batch(&w, ix, 3600);
            assert_matches_rebuild(&w, ix, false);
        }
        xjl_index_free(ix);
        free(w.r);
    }
    unlink(path);
}

/* What a batch refuses as a whole, and what it refuses change by change. */
static void test_apply_refusals(void **state)
{
    (void)state;
    struct world w;
    make_world(&w, 9, 10);
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    xjl_index_change one = {XJL_CHANGE_REMOVE, "R1", {0}};
    assert_int_equal(xjl_index_apply(ix, &one, 1, NULL), XJL_ESTATE); /* not built */
    xjl_index_free(ix);
    ix = build_from(&w);
    assert_int_equal(xjl_index_apply(NULL, &one, 1, NULL), XJL_EINVAL);
    assert_int_equal(xjl_index_apply(ix, NULL, 1, NULL), XJL_EINVAL);
    assert_int_equal(xjl_index_apply(ix, NULL, 0, NULL), XJL_OK);
    char long_id[XJL_RECORD_ID_MAX + 2];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    xjl_index_change ch[5] = {
        {(xjl_change_op)7, "R2", {0}},
        {XJL_CHANGE_ADD, NULL, {"张伟", "1", "2019-01-01", "1", ""}},
        {XJL_CHANGE_ADD, long_id, {"张伟", "1", "2019-01-01", "1", ""}},
        {XJL_CHANGE_REMOVE, "R2", {0}},
        {XJL_CHANGE_UPDATE, "R2", {"张伟", "1", "2019-01-01", "1", ""}},
    };
    int got[5];
    assert_int_equal(xjl_index_apply(ix, ch, 5, got), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "unknown change 7"));
    const int want[5] = {XJL_EINVAL, XJL_EINVAL, XJL_EINVAL, XJL_OK, XJL_ENOTFOUND};
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i], want[i]);
    assert_int_equal(xjl_index_count(ix), w.n - 1);
    assert_int_equal(xjl_index_changes(ix), 1);
    xjl_index_free(ix);
    free(w.r);
}

/* ---- matching while another thread changes the index ---------------------- */

struct race {
    xjl_index *ix;
    xjl_matcher *m;
    struct rec *roster;
    size_t n;
    int stop;
    pthread_mutex_t mu;
    size_t matched, rounds;
};

static void *race_matcher(void *arg)
{
    struct race *r = arg;
    xjl_record *recs = calloc(r->n, sizeof *recs);
    xjl_result **res = calloc(r->n, sizeof *res);
    for (size_t i = 0; i < r->n; i++)
        recs[i] = as_record(&r->roster[i]);
    for (;;) {
        pthread_mutex_lock(&r->mu);
        int stop = r->stop;
        pthread_mutex_unlock(&r->mu);
        if (stop)
            break;
        size_t found = 0;
        if (xjl_matcher_match_many(r->m, recs, r->n, 1, res) == XJL_OK)
            for (size_t i = 0; i < r->n; i++) {
                found += xjl_result_candidate_count(res[i]) > 0;
                xjl_result_free(res[i]);
            }
        for (size_t i = 0; i < 5; i++) { /* single rows and lookups too */
            xjl_result *one = NULL;
            if (xjl_matcher_match(r->m, &recs[i], &one) == XJL_OK)
                found += xjl_result_candidate_count(one) > 0;
            xjl_result_free(one);
            size_t pos = xjl_index_find_id(r->ix, r->roster[i].id);
            const char *id = xjl_index_record_id(r->ix, pos);
            if (id)
                found += strcmp(id, r->roster[i].id) == 0;
        }
        /* what the index says of itself, while a compaction may replace it */
        xjl_index_info_t in;
        if (xjl_index_info(r->ix, &in) == XJL_OK)
            found += in.records > 0 && in.entry_bytes > 0;
        pthread_mutex_lock(&r->mu);
        r->matched += found;
        r->rounds++;
        pthread_mutex_unlock(&r->mu);
    }
    free(recs);
    free(res);
    return NULL;
}

static void test_matching_while_changing(void **state)
{
    (void)state;
    struct world w;
    make_world(&w, 99, 200);
    xjl_index *ix = build_from(&w);
    struct race r = {.ix = ix};
    assert_int_equal(xjl_matcher_new(&r.m, ix), XJL_OK);
    pthread_mutex_init(&r.mu, NULL);
    r.n = make_roster(&w, &r.roster);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, race_matcher, &r), 0);
    /* changes until the matching threads have gone round a few times, and
     * compactions among them */
    for (size_t i = 0, rounds = 0; i < 300 || (rounds < 6 && i < 100000); i++) {
        random_change(&w, ix);
        if (i % 100 == 99)
            assert_int_equal(xjl_index_compact(ix, 1), XJL_OK);
        pthread_mutex_lock(&r.mu);
        rounds = r.rounds;
        pthread_mutex_unlock(&r.mu);
    }
    pthread_mutex_lock(&r.mu);
    r.stop = 1;
    pthread_mutex_unlock(&r.mu);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_true(r.matched > 0);
    /* what the threads raced with ends as a rebuild would */
    assert_matches_rebuild(&w, ix, false);
    xjl_matcher_free(r.m);
    xjl_index_free(ix);
    pthread_mutex_destroy(&r.mu);
    free(r.roster);
    free(w.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_count_follows),      cmocka_unit_test(test_random_changes_built),
        cmocka_unit_test(test_random_changes_opened),   cmocka_unit_test(test_compact),
        cmocka_unit_test(test_matching_while_changing), cmocka_unit_test(test_apply_batches),
        cmocka_unit_test(test_apply_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
