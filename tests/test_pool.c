/* The worker pool (lib/util/pool.c): ranges and jobs, the thread budget,
 * and the first error arriving on the caller's thread with its code and
 * message.  Linked with -Wl,--wrap=pthread_create (thread_count.h). */
#include "util/util.h"

#include "thread_count.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void nap_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* ---- the pool's threads carry its name; the caller keeps its own -------- */

struct names {
    char caller[16];
    atomic_uint helper_slices, misnamed;
};

static int name_slice(void *ctx, size_t from, size_t to, unsigned worker)
{
    (void)from;
    (void)to;
    struct names *n = ctx;
    char name[16] = "";
    pthread_getname_np(pthread_self(), name, sizeof name);
    if (worker) {
        atomic_fetch_add(&n->helper_slices, 1);
        if (strcmp(name, "xjl-pool") != 0)
            atomic_fetch_add(&n->misnamed, 1);
    } else {
        if (strcmp(name, n->caller) != 0)
            atomic_fetch_add(&n->misnamed, 1);
        /* the caller leaves slices to the pool, however loaded the machine */
        for (int waited = 0; waited < 10000 && !atomic_load(&n->helper_slices); waited++)
            nap_ms(1);
    }
    return XJL_OK;
}

static void test_thread_names(void **state)
{
    (void)state;
    struct names n;
    atomic_init(&n.helper_slices, 0);
    atomic_init(&n.misnamed, 0);
    assert_int_equal(pthread_getname_np(pthread_self(), n.caller, sizeof n.caller), 0);
    xjl__pool *p;
    assert_int_equal(xjl__pool_new(&p, 2), XJL_OK);
    assert_int_equal(xjl__pool_for(p, 64, 1, name_slice, &n), XJL_OK);
    xjl__pool_free(p);
    assert_true(atomic_load(&n.helper_slices) > 0);
    assert_int_equal(atomic_load(&n.misnamed), 0);
}

/* ---- ranges: every index once, on workers the pool has ---------------- */

struct cover {
    atomic_uint *seen;
    unsigned workers; /* ids must stay below this */
    atomic_bool bad_worker;
};

static int cover_slice(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct cover *c = ctx;
    if (worker >= c->workers)
        atomic_store(&c->bad_worker, true);
    for (size_t i = from; i < to; i++)
        atomic_fetch_add(&c->seen[i], 1);
    return XJL_OK;
}

static void test_range_covers(void **state)
{
    (void)state;
    static const struct {
        unsigned threads;
        size_t n, grain;
    } cases[] = {
        {1, 0, 1},     {1, 1, 1},     {1, 1000, 7},    {2, 1, 256},   {2, 255, 256},
        {2, 257, 256}, {3, 10000, 1}, {4, 10000, 256}, {8, 100, 100}, {8, 100000, 13},
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        xjl__pool *p;
        assert_int_equal(xjl__pool_new(&p, cases[k].threads - 1), XJL_OK);
        struct cover c = {.seen = calloc(cases[k].n + 1, sizeof *c.seen),
                          .workers = xjl__pool_workers(p)};
        assert_non_null(c.seen);
        assert_true(c.workers <= cases[k].threads);
        atomic_init(&c.bad_worker, false);
        assert_int_equal(xjl__pool_for(p, cases[k].n, cases[k].grain, cover_slice, &c), XJL_OK);
        for (size_t i = 0; i < cases[k].n; i++)
            if (atomic_load(&c.seen[i]) != 1)
                fail_msg("case %zu: index %zu seen %u times", k, i, atomic_load(&c.seen[i]));
        assert_false(atomic_load(&c.bad_worker));
        /* the same pool again: nothing of the first run is left over */
        assert_int_equal(xjl__pool_for(p, cases[k].n, cases[k].grain, cover_slice, &c), XJL_OK);
        for (size_t i = 0; i < cases[k].n; i++)
            assert_int_equal(atomic_load(&c.seen[i]), 2);
        free(c.seen);
        xjl__pool_free(p);
    }
}

/* ---- ranges: the first error ------------------------------------------- */

struct failing {
    size_t late, early; /* slices that fail: `late` slowly, `early` at once */
    atomic_size_t ran;  /* slices that ran */
};

static int failing_slice(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct failing *f = ctx;
    (void)to, (void)worker;
    atomic_fetch_add(&f->ran, 1);
    if (from == f->late) {
        nap_ms(50); /* the later slice fails first in time */
        return xjl__fail(XJL_EFORMAT, "slice at %zu: a bad row", from);
    }
    if (from == f->early)
        return xjl__fail(XJL_EIO, "slice at %zu: cannot read", from);
    /* A slice after the early failure takes a while: the slices after it
     * stop only once a thread sees the failure, and the thread that failed
     * may be held off the CPU for a moment (a shared machine); slow slices
     * keep what runs meanwhile to a few, so that the count below tells a
     * range that stops from one that runs on. */
    if (from > f->early)
        nap_ms(1);
    return XJL_OK;
}

static void test_range_first_error(void **state)
{
    (void)state;
    static const unsigned budgets[] = {1, 2, 4};
    for (size_t k = 0; k < XJL_ARRAY_LEN(budgets); k++) {
        struct failing f = {.late = 3000, .early = 7000};
        atomic_init(&f.ran, 0);
        xjl_error_clear();
        int rc = xjl__pool_run_for(budgets[k], 10000, 10, failing_slice, &f);
        /* the failure nearest 0 wins, whichever thread hit its error first */
        assert_int_equal(rc, XJL_EFORMAT);
        assert_int_equal(xjl_errcode(), XJL_EFORMAT);
        assert_string_equal(xjl_errmsg(), "slice at 3000: a bad row");
        /* and it stops the slices after it: on one thread, exactly */
        if (budgets[k] == 1)
            assert_int_equal(atomic_load(&f.ran), 301);
        else
            assert_true(atomic_load(&f.ran) < 1000);
    }
}

/* ---- jobs ------------------------------------------------------------- */

struct job_arg {
    int id, fail_code;
    long nap;
    bool ran;
    pthread_t ran_on;
};

static int job_fn(void *arg, unsigned worker)
{
    struct job_arg *j = arg;
    (void)worker;
    j->ran = true;
    j->ran_on = pthread_self();
    if (j->nap)
        nap_ms(j->nap);
    if (j->fail_code == XJL_EIO)
        return XJL_EIO; /* a code without a message */
    if (j->fail_code)
        return xjl__fail(j->fail_code, "job %d: line %d of registry.csv: bad 出生日期 '2019-02-30'",
                         j->id, j->id * 10);
    return XJL_OK;
}

static void test_jobs_first_error_to_caller(void **state)
{
    (void)state;
    xjl__pool *p;
    assert_int_equal(xjl__pool_new(&p, 2), XJL_OK);
    assert_int_equal(xjl__pool_workers(p), 3);
    enum { N = 6 };
    struct xjl__job jobs[N];
    struct job_arg args[N] = {{.id = 0},
                              {.id = 1},
                              {.id = 2, .fail_code = XJL_EFORMAT, .nap = 50},
                              {.id = 3},
                              {.id = 4, .fail_code = XJL_EENCODING},
                              {.id = 5}};
    for (int i = 0; i < N; i++)
        xjl__pool_submit(p, &jobs[i], job_fn, &args[i]);
    xjl_error_clear();
    assert_int_equal(xjl__pool_wait(p, &jobs[0]), XJL_OK);
    assert_int_equal(xjl__pool_wait(p, &jobs[1]), XJL_OK);
    assert_int_equal(xjl_errcode(), XJL_OK);
    /* job 2 failed on a pool thread: its code and message arrive here */
    assert_int_equal(xjl__pool_wait(p, &jobs[2]), XJL_EFORMAT);
    assert_true(args[2].ran);
    assert_false(pthread_equal(args[2].ran_on, pthread_self()));
    assert_int_equal(xjl_errcode(), XJL_EFORMAT);
    assert_string_equal(xjl_errmsg(), "job 2: line 20 of registry.csv: bad 出生日期 '2019-02-30'");
    /* the jobs after it report the same first error (job 4's came earlier in time) */
    for (int i = 3; i < N; i++) {
        xjl_error_clear();
        assert_int_equal(xjl__pool_wait(p, &jobs[i]), XJL_EFORMAT);
        assert_string_equal(xjl_errmsg(),
                            "job 2: line 20 of registry.csv: bad 出生日期 '2019-02-30'");
    }
    assert_int_equal(xjl__pool_error(p), XJL_EFORMAT);
    xjl__pool_free(p);
}

static void test_jobs_code_without_message(void **state)
{
    (void)state;
    xjl__pool *p;
    assert_int_equal(xjl__pool_new(&p, 1), XJL_OK);
    struct xjl__job job;
    struct job_arg arg = {.fail_code = XJL_EIO};
    xjl__pool_submit(p, &job, job_fn, &arg);
    assert_int_equal(xjl__pool_wait(p, &job), XJL_EIO);
    assert_int_equal(xjl_errcode(), XJL_EIO);
    assert_string_equal(xjl_errmsg(), xjl_strerror(XJL_EIO));
    xjl__pool_free(p);
}

/* A pool of no thread: nothing is started, the jobs run on the caller in
 * order as they are waited for, and those after a failure never run. */
static void test_jobs_without_threads(void **state)
{
    (void)state;
    size_t started = atomic_load(&threads_started), alive = threads_alive();
    xjl__pool *p;
    assert_int_equal(xjl__pool_new(&p, 0), XJL_OK);
    assert_int_equal(xjl__pool_workers(p), 1);
    enum { N = 4 };
    struct xjl__job jobs[N];
    struct job_arg args[N] = {{.id = 0}, {.id = 1, .fail_code = XJL_EINVAL}, {.id = 2}, {.id = 3}};
    for (int i = 0; i < N; i++)
        xjl__pool_submit(p, &jobs[i], job_fn, &args[i]);
    /* none started (a thread an earlier test joined may still have been
     * listed when `alive` was counted: at most) */
    assert_true(threads_alive() <= alive);
    assert_false(args[0].ran);
    assert_int_equal(xjl__pool_wait(p, &jobs[0]), XJL_OK);
    assert_true(args[0].ran);
    assert_true(pthread_equal(args[0].ran_on, pthread_self()));
    assert_false(args[1].ran);
    assert_int_equal(xjl__pool_wait(p, &jobs[3]), XJL_EINVAL);
    assert_string_equal(xjl_errmsg(), "job 1: line 10 of registry.csv: bad 出生日期 '2019-02-30'");
    assert_false(args[2].ran);
    assert_false(args[3].ran);
    assert_int_equal(xjl__pool_wait(p, &jobs[2]), XJL_EINVAL);
    xjl__pool_free(p);
    assert_int_equal(atomic_load(&threads_started), started);
}

/* ---- the budget -------------------------------------------------------- */

struct alive {
    atomic_size_t most;
};

static int alive_slice(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct alive *a = ctx;
    (void)from, (void)to, (void)worker;
    size_t n = threads_alive();
    size_t m = atomic_load(&a->most);
    while (n > m && !atomic_compare_exchange_weak(&a->most, &m, n))
        ;
    nap_ms(1);
    return XJL_OK;
}

static void test_budget(void **state)
{
    (void)state;
    static const struct {
        unsigned budget;
        size_t n;
        size_t extra; /* threads the pool may start */
    } cases[] = {
        {1, 100, 0}, {2, 100, 1}, {4, 100, 3}, {4, 2, 1}, /* no more threads than slices */
        {3, 0, 0},
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        /* (a sanitizer's runtime may keep a thread of its own: count from here) */
        size_t alive = threads_alive(), started = atomic_load(&threads_started);
        struct alive a;
        atomic_init(&a.most, 0);
        assert_int_equal(xjl__pool_run_for(cases[k].budget, cases[k].n, 1, alive_slice, &a),
                         XJL_OK);
        assert_int_equal(atomic_load(&threads_started) - started, cases[k].extra);
        if (cases[k].n)
            assert_true(atomic_load(&a.most) <= alive + cases[k].extra);
        if (cases[k].extra == 0 && cases[k].n)
            assert_int_equal(atomic_load(&a.most), alive);
    }
    assert_int_equal(xjl__threads(1), 1);
    assert_int_equal(xjl__threads(1000), 256);
    assert_true(xjl__threads(0) >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_names),
        cmocka_unit_test(test_range_covers),
        cmocka_unit_test(test_range_first_error),
        cmocka_unit_test(test_jobs_first_error_to_caller),
        cmocka_unit_test(test_jobs_code_without_message),
        cmocka_unit_test(test_jobs_without_threads),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
