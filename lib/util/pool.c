/*
 * pool.c: the one worker pool of the library.  Every parallel stage (the
 * registry loader, the index build, match_many, dedup, the roster stream)
 * runs on it, so that each honours the caller's thread budget the same way
 * and reports its first error the same way.
 *
 * A pool has a fixed number of threads, started when it is made; none when
 * asked for none, so that a budget of one thread runs everything on the
 * caller.  Work comes in two shapes:
 *
 *   jobs      the caller submits jobs it owns and waits for each, in any
 *             order (the registry loader waits in file order); a pool with
 *             no thread runs a job on the caller when it is waited for;
 *   ranges    xjl__pool_for() cuts [0, n) into slices that the threads and
 *             the caller take in increasing order.
 *
 * The first error is the one of the earliest job (in submission order) or
 * slice (in index order) that failed, whatever the order the threads ran
 * them in: a file with two bad rows always reports the first.  It stops the
 * jobs submitted after it and the slices after it; its code and message are
 * taken from the worker's per-thread error (error.c) and set again on the
 * caller's thread, which then reads them from xjl_errcode() and xjl_errmsg().
 */
#include "util/util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

enum { POOL_MAX_THREADS = 256 };

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct xjl__pool {
    pthread_mutex_t mu;
    pthread_cond_t work;          /* a job was queued, or the pool closes */
    pthread_cond_t done;          /* a job finished */
    struct xjl__job *head, *tail; /* queued, in submission order */
    uint64_t next_seq;
    bool closing;
    /* the first error: the lowest order key that failed */
    uint64_t fail_at;
    int fail_code;
    char fail_msg[1024];
    unsigned nthreads;
    pthread_t tid[];
};

unsigned xjl__threads(unsigned requested)
{
    if (requested)
        return requested > POOL_MAX_THREADS ? POOL_MAX_THREADS : requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > POOL_MAX_THREADS ? POOL_MAX_THREADS : (unsigned)n);
}

void xjl__thread_name(const char *name)
{
#if defined(__GLIBC__) || defined(__linux__)
    (void)pthread_setname_np(pthread_self(), name);
#else
    (void)name;
#endif
}

/* Keeps the error of the work at order key `at` if it is the earliest so
 * far; the message is this thread's.  Called with the lock held. */
static void note_error(xjl__pool *p, uint64_t at, int rc)
{
    if (at >= p->fail_at)
        return;
    p->fail_at = at;
    p->fail_code = rc;
    const char *msg = xjl_errmsg();
    /* a job that returned a code without setting a message still says what */
    snprintf(p->fail_msg, sizeof p->fail_msg, "%s",
             xjl_errcode() == rc && msg[0] ? msg : xjl_strerror(rc));
}

/* Runs a job taken off the queue (lock held on entry and on return). */
static void run_job(xjl__pool *p, struct xjl__job *j, unsigned worker)
{
    j->state = JOB_RUNNING;
    pthread_mutex_unlock(&p->mu);
    xjl__clear_error();
    int rc = j->fn(j->arg, worker);
    pthread_mutex_lock(&p->mu);
    j->rc = rc;
    if (rc != 0)
        note_error(p, j->seq, rc);
    j->state = JOB_DONE;
    pthread_cond_broadcast(&p->done);
}

/* Takes the first queued job off the queue; those after the first error
 * are finished without running.  Lock held. */
static struct xjl__job *take(xjl__pool *p)
{
    while (p->head) {
        struct xjl__job *j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        if (j->seq < p->fail_at)
            return j;
        j->state = JOB_DONE;
        j->rc = p->fail_code;
        pthread_cond_broadcast(&p->done);
    }
    return NULL;
}

struct thread_arg {
    xjl__pool *p;
    unsigned worker;
};

static void *pool_thread(void *arg)
{
    struct thread_arg a = *(struct thread_arg *)arg;
    free(arg);
    xjl__thread_name("xjl-pool");
    xjl__pool *p = a.p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct xjl__job *j = take(p);
        if (j) {
            run_job(p, j, a.worker);
            continue;
        }
        if (p->closing)
            break;
        pthread_cond_wait(&p->work, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int xjl__pool_new(xjl__pool **out, unsigned nthreads)
{
    *out = NULL;
    if (nthreads > POOL_MAX_THREADS)
        nthreads = POOL_MAX_THREADS;
    xjl__pool *p = calloc(1, sizeof *p + nthreads * sizeof(pthread_t));
    if (!p)
        return xjl__fail(XJL_ENOMEM, "out of memory for a pool of %u threads", nthreads);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->fail_at = UINT64_MAX;
    /* Fewer threads than asked when the system refuses more: the work is
     * the same, the caller's share is larger. */
    while (p->nthreads < nthreads) {
        struct thread_arg *a = malloc(sizeof *a);
        if (!a)
            break;
        a->p = p;
        a->worker = p->nthreads + 1; /* 0 is the caller */
        if (pthread_create(&p->tid[p->nthreads], NULL, pool_thread, a) != 0) {
            free(a);
            break;
        }
        p->nthreads++;
    }
    *out = p;
    return XJL_OK;
}

unsigned xjl__pool_workers(const xjl__pool *p)
{
    return p->nthreads + 1;
}

void xjl__pool_free(xjl__pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned t = 0; t < p->nthreads; t++)
        pthread_join(p->tid[t], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

void xjl__pool_submit(xjl__pool *p, struct xjl__job *j, xjl__job_fn fn, void *arg)
{
    j->fn = fn;
    j->arg = arg;
    j->next = NULL;
    j->rc = 0;
    pthread_mutex_lock(&p->mu);
    j->seq = p->next_seq++;
    j->state = JOB_QUEUED;
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

/* The pool's first error on the caller's thread. */
static int raise_error(xjl__pool *p)
{
    return xjl__fail(p->fail_code, "%s", p->fail_msg);
}

int xjl__pool_wait(xjl__pool *p, struct xjl__job *j)
{
    pthread_mutex_lock(&p->mu);
    while (j->state != JOB_DONE) {
        /* No thread: the caller runs the queue, in order, up to this job. */
        struct xjl__job *next = p->nthreads ? NULL : take(p);
        if (next)
            run_job(p, next, 0);
        else if (j->state != JOB_DONE)
            pthread_cond_wait(&p->done, &p->mu);
    }
    int rc = j->seq >= p->fail_at ? raise_error(p) : XJL_OK;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

int xjl__pool_error(xjl__pool *p)
{
    pthread_mutex_lock(&p->mu);
    int rc = p->fail_at != UINT64_MAX ? raise_error(p) : XJL_OK;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* ---- ranges ------------------------------------------------------------- */

struct range {
    xjl__pool *p;
    size_t n, grain;
    xjl__range_fn fn;
    void *ctx;
    atomic_size_t next;
    atomic_bool failed; /* read without the lock to stop taking slices */
};

/* Takes slices in increasing order until none is left or one failed: the
 * slices before a failed one were all taken before it, so the earliest
 * failure is always among those that ran. */
static int range_loop(void *arg, unsigned worker)
{
    struct range *r = arg;
    while (!atomic_load_explicit(&r->failed, memory_order_relaxed)) {
        size_t from = atomic_fetch_add(&r->next, r->grain);
        if (from >= r->n)
            break;
        size_t to = r->n - from < r->grain ? r->n : from + r->grain;
        xjl__clear_error();
        int rc = r->fn(r->ctx, from, to, worker);
        if (rc != 0) {
            pthread_mutex_lock(&r->p->mu);
            note_error(r->p, from, rc);
            pthread_mutex_unlock(&r->p->mu);
            atomic_store(&r->failed, true);
            break;
        }
    }
    return 0;
}

int xjl__pool_for(xjl__pool *p, size_t n, size_t grain, xjl__range_fn fn, void *ctx)
{
    struct range r = {.p = p, .n = n, .grain = grain ? grain : 1, .fn = fn, .ctx = ctx};
    atomic_init(&r.next, 0);
    atomic_init(&r.failed, false);
    pthread_mutex_lock(&p->mu);
    p->fail_at = UINT64_MAX; /* a range reports its own error only */
    pthread_mutex_unlock(&p->mu);
    /* one job per thread that has a slice to take; the caller is one more */
    size_t slices = (n + r.grain - 1) / r.grain;
    unsigned helpers =
        slices > 1 ? (unsigned)(slices - 1 < p->nthreads ? slices - 1 : p->nthreads) : 0;
    struct xjl__job jobs[POOL_MAX_THREADS];
    for (unsigned t = 0; t < helpers; t++)
        xjl__pool_submit(p, &jobs[t], range_loop, &r);
    range_loop(&r, 0);
    for (unsigned t = 0; t < helpers; t++)
        xjl__pool_wait(p, &jobs[t]); /* range_loop itself never fails */
    return xjl__pool_error(p);
}

int xjl__pool_for_budget(xjl__pool **out, unsigned threads, size_t n, size_t grain)
{
    size_t slices = (n + (grain ? grain : 1) - 1) / (grain ? grain : 1);
    threads = xjl__threads(threads);
    if (threads > slices)
        threads = slices ? (unsigned)slices : 1;
    return xjl__pool_new(out, threads - 1);
}

int xjl__pool_run_for(unsigned threads, size_t n, size_t grain, xjl__range_fn fn, void *ctx)
{
    xjl__pool *p;
    int rc = xjl__pool_for_budget(&p, threads, n, grain);
    if (rc)
        return rc;
    rc = xjl__pool_for(p, n, grain, fn, ctx);
    xjl__pool_free(p);
    return rc;
}
