/*
 * Fixtures shared by the workflow tests (test_store, test_intake,
 * test_enrol, test_crash): a scratch directory, valid citizen numbers, and
 * registry and roster CSV files written on the fly.
 */
#ifndef XJL_WORKFLOW_FIXTURES_H
#define XJL_WORKFLOW_FIXTURES_H

#include "xjlink.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh scratch directory under $TMPDIR (or /tmp); removed by the caller's
 * fixture_cleanup(). */
static inline void fixture_dir(char *out, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(out, cap, "%s/xjl_wf_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        abort();
    }
}

/* A cmocka group's scratch directory: fixture_group_setup and
 * fixture_group_teardown as the group's setup and teardown. */
static inline char *fixture_group_dir(void)
{
    static char dir[512];
    return dir;
}

static inline int fixture_group_setup(void **state)
{
    (void)state;
    fixture_dir(fixture_group_dir(), 512);
    return 0;
}

static inline void fixture_cleanup(const char *dir);

static inline int fixture_group_teardown(void **state)
{
    (void)state;
    fixture_cleanup(fixture_group_dir());
    return 0;
}

static inline void fixture_path(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static inline void fixture_cleanup(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* A valid 18-character citizen number: region, birth date, sequence (odd
 * last digit for a boy), check character. */
static inline void fixture_id(char out[19], int region, int y, int m, int d, int seq)
{
    char first17[64];
    snprintf(first17, sizeof first17, "%06d%04d%02d%02d%03d", region % 1000000, y % 10000, m % 100,
             d % 100, seq % 1000);
    first17[17] = '\0';
    memcpy(out, first17, 17);
    out[17] = xjl_id_check_char(first17);
    out[18] = '\0';
}

static inline void fixture_write(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0) {
        perror(path);
        abort();
    }
}

/* Copies a file byte for byte (a workspace saved before a step, restored). */
static inline void fixture_copy(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    if (!a || !b) {
        perror(a ? to : from);
        abort();
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, n, b) != n) {
            perror(to);
            abort();
        }
    fclose(a);
    if (fclose(b) != 0) {
        perror(to);
        abort();
    }
}

#define FIXTURE_REGISTRY_HEADER                                                                                                   \
    "学前学籍ID,姓名,性别码,出生日期,出生地码,民族码,国籍/地区码,身份证件类型码,身份证件号," \
    "港澳台侨外码,户口性质,户口所在地码,现住址,残疾类型码,是否独生子女,是否留守儿童,"         \
    "是否进城务工人员子女,是否孤儿\n"

#define FIXTURE_ROSTER_HEADER "姓名,性别,出生日期,身份证件类型,身份证件号\n"

/* Appends one registry line with ordinary values for the 12 other fields. */
static inline void fixture_registry_line(FILE *fp, const char *rid, const char *name,
                                         const char *gender, const char *date, const char *type,
                                         const char *number)
{
    fprintf(fp, "%s,%s,%s,%s,110101,01,CHN,%s,%s,00,2,110101,北京市东城区某街1号,0,1,0,0,0\n", rid,
            name, gender, date, type, number);
}

/* Counts of a diag callback, and the last report. */
struct fixture_diag {
    int count;
    long last_line;
    char last_column[64];
    char last_value[128];
    char last_message[512];
};

static inline void fixture_diag_fn(void *user, const char *file, long line, const char *column,
                                   const char *value, const char *message)
{
    struct fixture_diag *d = user;
    (void)file;
    d->count++;
    d->last_line = line;
    snprintf(d->last_column, sizeof d->last_column, "%s", column ? column : "");
    snprintf(d->last_value, sizeof d->last_value, "%s", value ? value : "");
    snprintf(d->last_message, sizeof d->last_message, "%s", message ? message : "");
}

#if XJL_WITH_WORKSPACE
/* Number of live rows of a school, or -1. */
static inline long fixture_rows(xjl_workspace *ws, const char *school, int status)
{
    xjl_listing *t = NULL;
    if (xjl_intake_list(ws, school, status, &t) != XJL_OK)
        return -1;
    long n = (long)xjl_listing_rows(t);
    xjl_listing_free(t);
    return n;
}
#endif /* XJL_WITH_WORKSPACE */

#endif
