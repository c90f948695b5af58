/*
 * How fast the key fields parse: one million ID numbers and one million
 * dates, as a province's re-match of its new pupils would feed them, on one
 * core.  The baseline is the least any parser must do with the same buffer:
 * copy each field out and convert its digits with strtol/strtoll.  The ratio
 * says what the checks (UTF-8, full-width fold, calendar, MOD 11-2, region
 * table) cost on top of that.
 */
#include "fields/fields.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECORDS 1000000
#define SLOT 32 /* bytes per field in the buffer, NUL-terminated */
#define ROUNDS 5

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct fields {
    char *buf;    /* RECORDS slots of SLOT bytes */
    uint8_t *len; /* length of each field */
};

static const int32_t regions[] = {110101, 110105, 310104, 360426, 440308, 510107, 650102, 110223};

/* Citizen numbers as rosters hold them: mostly clean 18-digit numbers, some
 * with a lower-case x or spaces, some old 15-digit ones, some typos. */
static void make_ids(struct fields *f, uint64_t *rng)
{
    for (size_t i = 0; i < RECORDS; i++) {
        char *s = f->buf + i * SLOT;
        int y = 2010 + (int)(rng_next(rng) % 10), m = 1 + (int)(rng_next(rng) % 12);
        int d = 1 + (int)(rng_next(rng) % 28), seq = (int)(rng_next(rng) % 1000);
        int32_t region = regions[rng_next(rng) % XJL_ARRAY_LEN(regions)];
        unsigned kind = (unsigned)(rng_next(rng) % 100);
        int n;
        if (kind < 3) { /* old 15-digit */
            n = snprintf(s, SLOT, "%06d%02d%02d%02d%03d", (int)region, y % 100, m, d, seq);
        } else {
            n = snprintf(s, SLOT, "%06d%04d%02d%02d%03d", (int)region, y, m, d, seq);
            s[17] = xjl_id_check_char(s);
            s[18] = '\0';
            n = 18;
            if (kind < 6)
                s[17] = (char)('0' + (s[17] == '0')); /* a wrong check */
            else if (s[17] == 'X' && kind < 50)
                s[17] = 'x';
            else if (kind >= 97) { /* typed in groups */
                char plain[19];
                memcpy(plain, s, sizeof plain);
                n = snprintf(s, SLOT, "%.6s %.8s %.4s", plain, plain + 6, plain + 14);
            }
        }
        f->len[i] = (uint8_t)n;
    }
}

/* Dates in the spellings rosters use, Excel serials among them. */
static void make_dates(struct fields *f, uint64_t *rng)
{
    for (size_t i = 0; i < RECORDS; i++) {
        char *s = f->buf + i * SLOT;
        int y = 2010 + (int)(rng_next(rng) % 10), m = 1 + (int)(rng_next(rng) % 12);
        int d = 1 + (int)(rng_next(rng) % 28);
        int n;
        switch (rng_next(rng) % 6) {
        case 0:
            n = snprintf(s, SLOT, "%04d-%02d-%02d", y, m, d);
            break;
        case 1:
            n = snprintf(s, SLOT, "%04d/%d/%d", y, m, d);
            break;
        case 2:
            n = snprintf(s, SLOT, "%04d%02d%02d", y, m, d);
            break;
        case 3:
            n = snprintf(s, SLOT, "%04d年%d月%d日", y, m, d);
            break;
        case 4:
            n = snprintf(s, SLOT, "%04d/%d/%d 0:00:00", y, m, d);
            break;
        default: /* Excel serial of the same day */
            n = snprintf(s, SLOT, "%ld", (long)(xjl_date_from_ymd(y, m, d) + 25569));
            break;
        }
        f->len[i] = (uint8_t)n;
    }
}

static volatile unsigned long long sink;

static long long run_id_parse(const struct fields *f)
{
    long long ok = 0;
    xjl_id_info info;
    for (size_t i = 0; i < RECORDS; i++)
        ok += xjl_id_parse(f->buf + i * SLOT, f->len[i], XJL_IDTYPE_NONE, &info) == XJL_OK;
    return ok;
}

static long long run_id_baseline(const struct fields *f)
{
    unsigned long long sum = 0; /* wraps: only there to keep the work */
    char tmp[SLOT];
    for (size_t i = 0; i < RECORDS; i++) {
        memcpy(tmp, f->buf + i * SLOT, f->len[i]);
        tmp[f->len[i] < 17 ? f->len[i] : 17] = '\0';
        sum += (unsigned long long)strtoll(tmp, NULL, 10);
    }
    return (long long)(sum & 0x7FFFFFFF);
}

static long long run_date_parse(const struct fields *f)
{
    long long ok = 0;
    int32_t days;
    for (size_t i = 0; i < RECORDS; i++)
        ok += xjl_date_parse(f->buf + i * SLOT, f->len[i], &days, NULL) == XJL_OK;
    return ok;
}

static long long run_date_baseline(const struct fields *f)
{
    long long sum = 0;
    char tmp[SLOT];
    for (size_t i = 0; i < RECORDS; i++) {
        memcpy(tmp, f->buf + i * SLOT, f->len[i]);
        tmp[f->len[i]] = '\0';
        char *end;
        long y = strtol(tmp, &end, 10);
        long m = *end ? strtol(end + 1, &end, 10) : 0;
        long d = *end ? strtol(end + 1, &end, 10) : 0;
        sum += y * 10000 + m * 100 + d;
    }
    return sum;
}

/* Best of ROUNDS: the least disturbed run. */
static double best_seconds(long long (*fn)(const struct fields *), const struct fields *f,
                           long long *result)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now();
        long long v = fn(f);
        double t = now() - t0;
        sink += (unsigned long long)v;
        *result = v;
        if (t < best)
            best = t;
    }
    return best;
}

static void report(const char *what, const struct fields *f,
                   long long (*parse)(const struct fields *),
                   long long (*baseline)(const struct fields *))
{
    long long ok, base;
    double tp = best_seconds(parse, f, &ok);
    double tb = best_seconds(baseline, f, &base);
    printf("%-10s %9.0f records/s  %6.1f ns/record  baseline %9.0f records/s  ratio %.2fx  (%lld "
           "of %d usable)\n",
           what, RECORDS / tp, tp * 1e9 / RECORDS, RECORDS / tb, tp / tb, ok, RECORDS);
}

int main(void)
{
    /* One core: stay on the CPU we started on. */
    int cpu = sched_getcpu();
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof set, &set);
    }
    struct fields f = {malloc((size_t)RECORDS * SLOT), malloc(RECORDS)};
    if (!f.buf || !f.len) {
        fprintf(stderr, "bench_fields: out of memory\n");
        return 1;
    }
    uint64_t rng = 20190901;
    printf("bench_fields: %d records per field, one core, best of %d runs; ratio = parse time / "
           "baseline time\n",
           RECORDS, ROUNDS);
    make_ids(&f, &rng);
    report("id_parse", &f, run_id_parse, run_id_baseline);
    make_dates(&f, &rng);
    report("date_parse", &f, run_date_parse, run_date_baseline);
    free(f.buf);
    free(f.len);
    return 0;
}
