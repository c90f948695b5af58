/*
 * The matcher alone, without file I/O: builds an index from a registry CSV
 * (timed against scanning the same CSV without reading its fields),
 * reads a roster into memory, then times
 *   baseline   reading the five fields of every roster row (xjl_record_parse),
 *   match      xjl_matcher_match_many on 1 thread and on all cores,
 * and prints rows/s, the ratio of matching to reading the fields (how much
 * the search and scoring add to the unavoidable work), the index's bytes per
 * registry record and the peak RSS.
 *
 *   bench_match REGISTRY.csv ROSTER.csv
 *
 * Without arguments it generates a registry and roster of its own (seeded)
 * so that `meson test --benchmark` runs it anywhere.
 */
#include "xjlink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static unsigned long long rng_state = 42;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

static void make_id(char out[19], int region, int y, int m, int d, int seq)
{
    snprintf(out, 19, "%06d%04d%02d%02d%03d", region, y, m, d, seq);
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[s % 11];
    out[18] = '\0';
}

/* A registry of n children and a roster of m rows (most of them registry
 * children with the odd typo), written as CSV to the given paths. */
static void generate(const char *reg_path, const char *roster_path, int n, int m)
{
    static const char *sur[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
    static const char *giv[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳",
                                "勇", "军", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
                                "刚", "桂", "梓", "涵", "宇", "轩", "欣", "怡", "浩", "然"};
    FILE *r = fopen(reg_path, "w"), *q = fopen(roster_path, "w");
    if (!r || !q) {
        perror("bench_match: cannot write the generated files");
        exit(2);
    }
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", r);
    fputs("row_id,姓名,性别,出生日期,身份证件类型,身份证件号\n", q);
    for (int i = 0; i < n; i++) {
        char name[32], id[19];
        snprintf(name, sizeof name, "%s%s%s", sur[rnd(20)], giv[rnd(30)],
                 rnd(3) ? giv[rnd(30)] : "");
        int y = 2018 + (int)rnd(3), mo = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
        int seq = (int)rnd(999) + 1;
        make_id(id, 110101 + (int)rnd(50), y, mo, d, seq);
        const char *g = (seq & 1) ? "男" : "女";
        fprintf(r, "P%08d,%s,%s,%04d-%02d-%02d,居民身份证,%s\n", i + 1, name, g, y, mo, d, id);
        if (i < m) {
            if (rnd(100) < 2)
                id[10] = id[10] == '9' ? '0' : (char)(id[10] + 1); /* an ID typo */
            fprintf(q, "R%08d,%s,%s,%04d/%d/%d,1,%s\n", i + 1, name, g, y, mo, d, id);
        }
    }
    fclose(r);
    fclose(q);
}

struct roster {
    char **cells; /* 5 per row */
    xjl_record *recs;
    size_t n;
};

static int read_roster(const char *path, struct roster *out)
{
    xjl_csv *csv;
    int cols[5];
    if (xjl_csv_open(&csv, path, XJL_ENC_AUTO) || xjl_csv_key_columns(csv, cols)) {
        fprintf(stderr, "bench_match: %s\n", xjl_errmsg());
        return -1;
    }
    size_t cap = 1024;
    out->cells = malloc(cap * 5 * sizeof *out->cells);
    out->n = 0;
    while (xjl_csv_next(csv) == 1) {
        if (out->n == cap) {
            cap *= 2;
            out->cells = realloc(out->cells, cap * 5 * sizeof *out->cells);
        }
        for (int f = 0; f < 5; f++)
            out->cells[out->n * 5 + (size_t)f] = strdup(xjl_csv_field(csv, (size_t)cols[f], NULL));
        out->n++;
    }
    xjl_csv_close(csv);
    out->recs = malloc(out->n * sizeof *out->recs);
    for (size_t i = 0; i < out->n; i++) {
        char **c = &out->cells[i * 5];
        out->recs[i] = (xjl_record){c[0], c[1], c[2], c[3], c[4]};
    }
    return 0;
}

static double time_match(const xjl_matcher *m, const struct roster *ro, unsigned threads,
                         size_t counts[4])
{
    xjl_result **res = malloc(ro->n * sizeof *res);
    double t0 = now();
    if (xjl_matcher_match_many(m, ro->recs, ro->n, threads, res) != XJL_OK) {
        fprintf(stderr, "bench_match: %s\n", xjl_errmsg());
        exit(1);
    }
    double t = now() - t0;
    memset(counts, 0, 4 * sizeof counts[0]);
    for (size_t i = 0; i < ro->n; i++) {
        counts[xjl_result_status(res[i])]++;
        xjl_result_free(res[i]);
    }
    free(res);
    return t;
}

int main(int argc, char **argv)
{
    const char *reg = argc > 2 ? argv[1] : "bench_match_registry.csv";
    const char *ros = argc > 2 ? argv[2] : "bench_match_roster.csv";
    if (argc <= 2) {
        const char *n_env = getenv("XJL_BENCH_REGISTRY");
        int n = n_env ? atoi(n_env) : 1000000;
        generate(reg, ros, n, n / 5);
    }
    /* Baseline of the loading: scanning the registry's rows and fields with
     * the CSV reader, one core, nothing parsed (its file now in the page
     * cache for both). */
    double t0 = now();
    xjl_csv *csv = NULL;
    size_t scanned = 0;
    if (xjl_csv_open(&csv, reg, XJL_ENC_AUTO)) {
        fprintf(stderr, "bench_match: %s\n", xjl_errmsg());
        return 1;
    }
    while (xjl_csv_next(csv) == 1)
        scanned += xjl_csv_field_count(csv) > 0;
    xjl_csv_close(csv);
    double t_scan = now() - t0;

    xjl_index *ix = NULL;
    t0 = now();
    size_t bad = 0;
    if (xjl_index_new(&ix) || xjl_index_add_csv(ix, reg, XJL_ENC_AUTO, NULL, NULL, NULL, &bad)) {
        fprintf(stderr, "bench_match: %s\n", xjl_errmsg());
        return 1;
    }
    double t_load = now() - t0;
    if (xjl_index_build(ix, 0)) {
        fprintf(stderr, "bench_match: %s\n", xjl_errmsg());
        return 1;
    }
    double t_index = now() - t0;
    struct roster ro;
    if (read_roster(ros, &ro))
        return 1;
    xjl_matcher *m = NULL;
    if (xjl_matcher_new(&m, ix)) {
        fprintf(stderr, "bench_match: %s\n", xjl_errmsg());
        return 1;
    }

    /* Baseline: reading the five fields of every row, one core. */
    t0 = now();
    xjl_parsed p;
    for (size_t i = 0; i < ro.n; i++)
        xjl_record_parse(&ro.recs[i], &p);
    double t_parse = now() - t0;

    size_t c1[4], cn[4];
    double t1 = time_match(m, &ro, 1, c1);
    double tn = time_match(m, &ro, 0, cn);
    for (int s = 0; s < 4; s++)
        if (c1[s] != cn[s]) {
            fprintf(stderr, "bench_match: results differ between 1 and all threads\n");
            return 1;
        }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    size_t nreg = xjl_index_count(ix);
    printf("registry %zu records: read and indexed in %.2f s (%.0f records/s), index %.1f "
           "bytes/record\n",
           nreg, t_index, (double)nreg / t_index, (double)xjl_index_memory(ix) / (double)nreg);
    printf("  baseline (scan the CSV's %zu rows, 1 core, no field read): %.2f s\n", scanned,
           t_scan);
    printf("  read, checked and packed on all cores: %.2f s, %.2fx the baseline's time; "
           "tables built: %.2f s\n",
           t_load, t_load / t_scan, t_index - t_load);
    printf("roster %zu rows: matched %zu, pending %zu, not_found %zu, error %zu\n", ro.n, c1[0],
           c1[1], c1[2], c1[3]);
    printf("baseline (read the fields, 1 core): %.0f rows/s, %.2f us/row\n", (double)ro.n / t_parse,
           t_parse * 1e6 / (double)ro.n);
    printf("match, 1 thread:     %.0f rows/s, %.2f us/row, %.2fx the baseline's time\n",
           (double)ro.n / t1, t1 * 1e6 / (double)ro.n, t1 / t_parse);
    printf("match, all cores:    %.0f rows/s, %.2f us/row, speed-up %.2fx over 1 thread\n",
           (double)ro.n / tn, tn * 1e6 / (double)ro.n, t1 / tn);
    printf("peak RSS %.0f MiB\n", (double)ru.ru_maxrss / 1024.0);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    return 0;
}
