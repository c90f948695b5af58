/*
 * CSV reader throughput on a generated registry of about 120 MB, against a
 * baseline measured in the same run on the same file: read() in 1 MiB blocks
 * plus memchr('\n') to count lines, which is about the least any reader has
 * to do.  A GB18030 copy of a smaller file shows the cost of conversion,
 * against the same baseline on that file.
 *
 * Usage: bench_csv [MB]   (default 120)
 */
#include "xjlink.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unicode/ucnv.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈",   "杨",
                                       "黄", "赵", "吴", "周", "欧阳", "阿依古丽·"};
static const char *const given[] = {"子涵", "雨轩", "浩然",   "欣怡", "梓萱",
                                    "宇",   "一诺", "买买提", "思远", "晨"};
static const char *const types[] = {"居民身份证", "1", "户口簿", "护照"};

/* A registry row as provinces export them: id, the five fields, an address
 * that sometimes needs quotes. */
static int make_row(char *buf, size_t cap, unsigned long i)
{
    unsigned long h = i * 2654435761u;
    return snprintf(buf, cap,
                    "P%09lu,%s%s,%s,%04lu-%02lu-%02lu,%s,%06lu%04lu%02lu%02lu%03lu%c,%s\n", i,
                    surnames[h % 12], given[(h >> 8) % 10], (h & 1) ? "男" : "女",
                    2014 + (h >> 4) % 6, 1 + (h >> 9) % 12, 1 + (h >> 13) % 28, types[(h >> 3) % 4],
                    110101 + (h >> 7) % 500000, 2014 + (h >> 4) % 6, 1 + (h >> 9) % 12,
                    1 + (h >> 13) % 28, (h >> 17) % 1000, "0123456789X"[(h >> 5) % 11],
                    (h % 5 == 0) ? "\"北京市海淀区中关村大街1号,3单元\"" : "广东省深圳市南山区");
}

static char *make_file(const char *dir, const char *name, size_t bytes, size_t *rows)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs("学前学籍ID,姓名,性别,出生日期,身份证件类型,身份证件号,现住址\n", f);
    size_t written = 0;
    char row[512];
    for (*rows = 0; written < bytes; (*rows)++) {
        int n = make_row(row, sizeof row, *rows);
        fwrite(row, 1, (size_t)n, f);
        written += (size_t)n;
    }
    fclose(f);
    return path;
}

static char *make_gb_copy(const char *dir, const char *utf8_path)
{
    FILE *in = fopen(utf8_path, "rb");
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    rewind(in);
    char *text = malloc((size_t)n);
    if (fread(text, 1, (size_t)n, in) != (size_t)n)
        exit(1);
    fclose(in);
    int32_t cap = (int32_t)n * 2;
    char *gb = malloc((size_t)cap);
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = ucnv_convert("gb18030", "UTF-8", gb, cap, text, (int32_t)n, &err);
    if (U_FAILURE(err)) {
        fprintf(stderr, "conversion failed: %s\n", u_errorName(err));
        exit(1);
    }
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/gb.csv", dir);
    FILE *out = fopen(path, "wb");
    fwrite(gb, 1, (size_t)len, out);
    fclose(out);
    free(text);
    free(gb);
    return path;
}

static size_t file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return (size_t)n;
}

/* Baseline: read() in 1 MiB blocks and count the newlines. */
static double baseline(const char *path, size_t *lines)
{
    static char block[1 << 20];
    double t0 = now();
    int fd = open(path, O_RDONLY);
    ssize_t n;
    *lines = 0;
    while ((n = read(fd, block, sizeof block)) > 0)
        for (const char *p = block; (p = memchr(p, '\n', (size_t)(block + n - p))) != NULL; p++)
            (*lines)++;
    close(fd);
    return now() - t0;
}

/* The reader: every row, every field touched (its length summed). */
static double reader(const char *path, size_t *rows, size_t *bytes_seen)
{
    double t0 = now();
    xjl_csv *csv;
    if (xjl_csv_open(&csv, path, XJL_ENC_AUTO) != XJL_OK) {
        fprintf(stderr, "%s\n", xjl_errmsg());
        exit(1);
    }
    int rc;
    *rows = 0;
    *bytes_seen = 0;
    while ((rc = xjl_csv_next(csv)) == 1) {
        size_t nf = xjl_csv_field_count(csv);
        for (size_t i = 0; i < nf; i++) {
            size_t len;
            xjl_csv_field(csv, i, &len);
            *bytes_seen += len;
        }
        (*rows)++;
    }
    if (rc < 0) {
        fprintf(stderr, "%s\n", xjl_errmsg());
        exit(1);
    }
    xjl_csv_close(csv);
    return now() - t0;
}

static void compare(const char *what, const char *path, size_t want_rows)
{
    size_t size = file_size(path), lines = 0, rows = 0, seen = 0;
    double tb = 1e9, tr = 1e9;
    for (int rep = 0; rep < 3; rep++) { /* best of three: the file is in the page cache */
        double t = baseline(path, &lines);
        tb = t < tb ? t : tb;
        t = reader(path, &rows, &seen);
        tr = t < tr ? t : tr;
    }
    if (rows != want_rows || lines != want_rows + 1) {
        fprintf(stderr, "%s: read %zu rows and %zu lines, want %zu rows\n", what, rows, lines,
                want_rows);
        exit(1);
    }
    double mb = (double)size / 1e6;
    printf("%-8s %7.1f MB %9zu rows | baseline read+memchr %7.0f MB/s | xjl_csv %6.0f MB/s "
           "%5.2f M rows/s | reader/baseline %.2f\n",
           what, mb, rows, mb / tb, mb / tr, (double)rows / tr / 1e6, tb / tr);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 120;
    const char *base = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/xjl_bench_XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    size_t rows, gb_rows;
    char *path = make_file(dir, "registry.csv", mb * 1000000, &rows);
    compare("UTF-8", path, rows);

    char *small = make_file(dir, "small.csv", mb * 1000000 / 4, &gb_rows);
    char *gb = make_gb_copy(dir, small);
    compare("GB18030", gb, gb_rows);

    unlink(path);
    unlink(small);
    unlink(gb);
    rmdir(dir);
    free(path);
    free(small);
    free(gb);
    return 0;
}
