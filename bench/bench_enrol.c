/*
 * bench_enrol: `enrol import-assigned` (xjl_enrol_import_assigned) of a list
 * of assigned pupils, 10,000, 20,000 and 100,000 rows (XJL_BENCH_ASSIGNED
 * for the largest), each into a fresh workspace holding a pool of as many
 * graduates.  Only the import is timed (one transaction: the write lock is
 * held for its whole length).
 *
 * Two bounds on CPU time, measured in this one run so that the machine's
 * speed cancels in the first: 20,000 rows take under 3 times as long as
 * 10,000 (linear is 2; counting the school's places again for every row once
 * made it 4), and 100,000 rows under a second.  A bound missed exits 1.
 */
#include "xjlink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define YEAR 2026

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct took {
    double cpu, wall;
};

/* A citizen number: region 110101, the birth date, a sequence, its check. */
static void citizen(char out[19], int y, int m, int d, int seq)
{
    char first17[32];
    snprintf(first17, sizeof first17, "110101%04d%02d%02d%03d", y, m, d, seq % 1000);
    memcpy(out, first17, 17);
    out[17] = xjl_id_check_char(first17);
    out[18] = '\0';
}

static void die(const char *what)
{
    fprintf(stderr, "bench_enrol: %s: %s\n", what, xjl_errmsg());
    exit(2);
}

/* Seconds to import an assigned list of n rows into a fresh workspace. */
static struct took import_seconds(const char *dir, long n)
{
    char db[512], pool[512], list[512];
    snprintf(db, sizeof db, "%s/enrol-%ld.db", dir, n);
    snprintf(pool, sizeof pool, "%s/pool-%ld.csv", dir, n);
    snprintf(list, sizeof list, "%s/assigned-%ld.csv", dir, n);
    FILE *g = fopen(pool, "wb"), *a = fopen(list, "wb");
    if (!g || !a) {
        perror(dir);
        exit(2);
    }
    fputs("学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,是否毕业,是否注销\n",
          g);
    fputs("学籍号\n", a);
    for (long i = 0; i < n; i++) {
        char id[19];
        int y = 2008 + (int)(i / 25000 % 4), m = 1 + (int)(i % 12), d = 1 + (int)(i / 12 % 28);
        citizen(id, y, m, d, (int)(i / 12 / 28));
        fprintf(g, "G%s,张伟,男,%04d-%02d-%02d,居民身份证,%s,某中学,110101,初中,1,0\n", id, y, m, d,
                id);
        fprintf(a, "G%s\n", id);
    }
    if (fclose(g) != 0 || fclose(a) != 0) {
        perror(dir);
        exit(2);
    }
    xjl_workspace *ws = NULL;
    xjl_load_report rep;
    if (xjl_workspace_open(&ws, db) != XJL_OK)
        die("open");
    if (xjl_enrol_load_graduates(ws, pool, XJL_ENC_AUTO, NULL, NULL, &rep) != XJL_OK)
        die("load-graduates");
    if (rep.inserted != (size_t)n) {
        fprintf(stderr, "bench_enrol: %zu of %ld graduates loaded\n", rep.inserted, n);
        exit(2);
    }
    if (xjl_school_set(ws, "H1", "第一高中", 110101, NULL) != XJL_OK ||
        xjl_school_set_kind(ws, "H1", XJL_SCHOOL_SENIOR) != XJL_OK ||
        xjl_enrol_set_quota(ws, "H1", YEAR, (size_t)n) != XJL_OK)
        die("school");
    struct took t = {clock_s(CLOCK_PROCESS_CPUTIME_ID), clock_s(CLOCK_MONOTONIC)};
    if (xjl_enrol_import_assigned(ws, "H1", YEAR, list, XJL_ENC_AUTO, NULL, NULL, &rep) != XJL_OK)
        die("import-assigned");
    t.cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - t.cpu;
    t.wall = clock_s(CLOCK_MONOTONIC) - t.wall;
    if (rep.inserted != (size_t)n) {
        fprintf(stderr, "bench_enrol: %zu of %ld rows admitted\n", rep.inserted, n);
        exit(2);
    }
    xjl_workspace_close(ws);
    unlink(pool);
    unlink(list);
    char p[600];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    return t;
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/xjl_bench_enrol_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    const char *env = getenv("XJL_BENCH_ASSIGNED");
    long big = env ? atol(env) : 100000;
    if (big < 20000)
        big = 20000;
    struct took t10 = import_seconds(dir, 10000), t20 = import_seconds(dir, 20000),
                tbig = import_seconds(dir, big);
    rmdir(dir);
    /* CPU seconds bound it: on a shared machine the wall clock also counts
     * the time spent waiting for a core (both are printed). */
    double ratio = t20.cpu / t10.cpu;
    printf("enrol import-assigned (one transaction, a pool of as many graduates):\n");
    printf("  %7s %9s %9s %10s\n", "rows", "CPU s", "wall s", "rows/CPU s");
    printf("  %7d %9.3f %9.3f %10.0f\n", 10000, t10.cpu, t10.wall, 10000 / t10.cpu);
    printf("  %7d %9.3f %9.3f %10.0f  CPU ratio to 10,000 rows: %.2f (bound 3; linear 2)\n", 20000,
           t20.cpu, t20.wall, 20000 / t20.cpu, ratio);
    printf("  %7ld %9.3f %9.3f %10.0f  (bound: 1 CPU second for 100,000)\n", big, tbig.cpu,
           tbig.wall, (double)big / tbig.cpu);
    int status = 0;
    if (ratio >= 3) {
        printf("FAILED: 20,000 rows took %.2f times the CPU time of 10,000: not linear\n", ratio);
        status = 1;
    }
    if (big == 100000 && tbig.cpu >= 1.0) {
        printf("FAILED: 100,000 rows took %.3f CPU seconds, the bound is 1\n", tbig.cpu);
        status = 1;
    }
    return status;
}
