/*
 * The C side of the binding benchmark (bench_python.py runs it on the same
 * files and prints the ratios): how long one xjl_matcher_match() takes when
 * called from C, and how many rows per second xjl_matcher_match_many() does,
 * against a registry CSV and a roster CSV.
 *
 *   bench_binding REGISTRY.csv ROSTER.csv SINGLE_CALLS
 *
 * Prints key=value lines: load_s, rows, single_us, batch_rows_per_s,
 * batch1_rows_per_s (one thread); each the best of ROUNDS.
 */
#include "xjlink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS 3

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int die(const char *what, int rc)
{
    fprintf(stderr, "bench_binding: %s: %s\n", what, rc ? xjl_errmsg() : "out of memory");
    return 1;
}

static void *grow(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "bench_binding: out of memory\n");
        exit(1);
    }
    return q;
}

/* The roster's rows as records; the strings live in one block. */
struct roster {
    xjl_record *recs;
    char *text;
    size_t n;
};

static int read_roster(const char *path, struct roster *r)
{
    xjl_csv *csv;
    int cols[5], rc = xjl_csv_open(&csv, path, XJL_ENC_AUTO);
    if (rc || (rc = xjl_csv_key_columns(csv, cols)))
        return rc;
    size_t cap = 1024, tcap = 1 << 20, tlen = 0;
    r->recs = grow(NULL, cap * sizeof *r->recs);
    r->text = grow(NULL, tcap);
    r->n = 0;
    size_t(*offs)[5] = grow(NULL, cap * sizeof *offs);
    while ((rc = xjl_csv_next(csv)) == 1) {
        if (r->n == cap) {
            cap *= 2;
            r->recs = grow(r->recs, cap * sizeof *r->recs);
            offs = grow(offs, cap * sizeof *offs);
        }
        for (int f = 0; f < 5; f++) {
            size_t len;
            const char *s = xjl_csv_field(csv, (size_t)cols[f], &len);
            while (tlen + len + 1 > tcap)
                r->text = grow(r->text, tcap *= 2);
            memcpy(r->text + tlen, s, len + 1);
            offs[r->n][f] = tlen;
            tlen += len + 1;
        }
        r->n++;
    }
    xjl_csv_close(csv);
    for (size_t i = 0; i < r->n; i++) {
        const char **f[5] = {&r->recs[i].name, &r->recs[i].gender, &r->recs[i].birth_date,
                             &r->recs[i].id_type, &r->recs[i].id_number};
        for (int k = 0; k < 5; k++)
            *f[k] = r->text + offs[i][k];
    }
    free(offs);
    return rc < 0 ? rc : XJL_OK;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_binding REGISTRY.csv ROSTER.csv SINGLE_CALLS\n");
        return 2;
    }
    long calls = atol(argv[3]);
    double t = now();
    xjl_index *ix = NULL;
    int rc;
    if ((rc = xjl_index_new(&ix)))
        return die("index", rc);
    if ((rc = xjl_index_add_csv(ix, argv[1], XJL_ENC_AUTO, NULL, NULL, NULL, NULL)) ||
        (rc = xjl_index_build(ix, 0)))
        return die(argv[1], rc);
    printf("load_s=%.3f\n", now() - t);
    xjl_matcher *m = NULL;
    struct roster ro;
    if ((rc = xjl_matcher_new(&m, ix)))
        return die("matcher", rc);
    if ((rc = read_roster(argv[2], &ro)))
        return die(argv[2], rc);
    printf("rows=%zu\n", ro.n);

    /* Single calls, as a service matching one row at a time would make them;
     * reading the status keeps the result from being a dead store. */
    unsigned statuses = 0;
    xjl_result *res;
    for (size_t i = 0; i < ro.n && i < 2000; i++) { /* warm: name tables, caches */
        if ((rc = xjl_matcher_match(m, &ro.recs[i], &res)))
            return die("match", rc);
        xjl_result_free(res);
    }
    /* Best of ROUNDS: the machine may be busy with other work. */
    double best = 1e30;
    for (int round = 0; round < ROUNDS; round++) {
        t = now();
        for (long i = 0; i < calls; i++) {
            if ((rc = xjl_matcher_match(m, &ro.recs[(size_t)i % ro.n], &res)))
                return die("match", rc);
            statuses += (unsigned)xjl_result_status(res);
            xjl_result_free(res);
        }
        double dt = now() - t;
        best = dt < best ? dt : best;
    }
    printf("single_us=%.3f\n", best / (double)calls * 1e6);

    xjl_result **out = grow(NULL, ro.n * sizeof *out);
    for (unsigned threads = 0; threads <= 1; threads++) {
        best = 1e30;
        for (int round = 0; round < ROUNDS; round++) {
            t = now();
            if ((rc = xjl_matcher_match_many(m, ro.recs, ro.n, threads, out)))
                return die("match_many", rc);
            double dt = now() - t;
            best = dt < best ? dt : best;
            for (size_t i = 0; i < ro.n; i++) {
                statuses += (unsigned)xjl_result_status(out[i]);
                xjl_result_free(out[i]);
            }
        }
        printf("%s=%.0f\n", threads ? "batch1_rows_per_s" : "batch_rows_per_s",
               (double)ro.n / best);
    }
    fprintf(stderr, "(status checksum %u)\n", statuses);
    free(out);
    free(ro.recs);
    free(ro.text);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    return 0;
}
