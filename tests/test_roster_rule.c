/*
 * One roster file, every reader of the library: `xjlink match`'s streaming
 * path, the registry index, the duplicate check's splitter, the workspace's
 * registry load and list import, and the cross-system admission check must
 * take the same rows, refuse the same rows (reporting their lines), and
 * give the registry's records the same ids.  The file has every kind of row
 * the rule decides on.
 */
#include "io/io.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "citizen_ids.h"

#define MAX_LINES 32

/* Lines reported as bad by a reader's diag callback. */
struct lines {
    long line[MAX_LINES];
    size_t n;
};

static void note_line(void *user, const char *file, long line, const char *column,
                      const char *value, const char *message)
{
    (void)file, (void)column, (void)value, (void)message;
    struct lines *l = user;
    if (l->n < MAX_LINES && (l->n == 0 || l->line[l->n - 1] != line))
        l->line[l->n++] = line;
}

static const long bad_lines[] = {3, 5, 6};       /* short, long with text past the header, NUL in a key */
static const long good_lines[] = {2, 4, 7, 8, 10}; /* one spans lines 8-9 */
static const char *const good_ids[] = {"P2", "P4", "P7", "P8", "P10"};

static void assert_bad_lines(const struct lines *l, const char *who)
{
    if (l->n != 3 || l->line[0] != bad_lines[0] || l->line[1] != bad_lines[1] ||
        l->line[2] != bad_lines[2])
        fail_msg("%s reported %zu bad lines (%ld %ld %ld ...), want 3 5 6", who, l->n,
                 l->n > 0 ? l->line[0] : 0, l->n > 1 ? l->line[1] : 0, l->n > 2 ? l->line[2] : 0);
}

static char dir[64], path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/xjl_rowrule_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/list.csv", dir);
    char id[12][19];
    for (int i = 0; i < 12; i++)
        make_id(id[i], "110101", "20180305", 10 + 2 * i);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    /* The id columns: the registry's own (学前学籍ID) wins over a generic id. */
    fprintf(f, "学前学籍ID,id,姓名,性别,出生日期,身份证件类型,身份证件号,学校,备注\n");
    fprintf(f, "P2,x2,张一,男,2018-03-05,居民身份证,%s,S1,ok\n", id[2]);
    fprintf(f, "P3,x3,张二,男,2018-03-05,居民身份证\n"); /* short */
    fprintf(f, "P4,x4,张三,男,2018-03-05,居民身份证,%s,S1,excel,,\n", id[4]);
    fprintf(f, "P5,x5,张四,男,2018-03-05,居民身份证,%s,S1,note,more\n", id[5]);
    fprintf(f, "P6,x6,张%c五,男,2018-03-05,居民身份证,%s,S1,nul in a key\n", 0, id[6]);
    fprintf(f, "P7,x7,张六,男,2018-03-05,居民身份证,%s,S1,nul%cin a note\n", id[7], 0);
    fprintf(f, "P8,x8,张七,男,2018-03-05,居民身份证,%s,S1,\"two\nlines\"\n", id[8]);
    fprintf(f, "P10,x10,张八,男,2018-03-05,居民身份证,%s,S1,crlf\r\n", id[10]);
    return fclose(f) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_index(void **state)
{
    (void)state;
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    struct lines l = {0};
    size_t bad = 0;
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, note_line, &l, &bad), XJL_OK);
    assert_bad_lines(&l, "xjl_index_add_csv");
    assert_int_equal(bad, 3);
    assert_int_equal(xjl_index_count(ix), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(xjl_index_record_id(ix, i), good_ids[i]);
    xjl_index_free(ix);
}

struct seen {
    long line[MAX_LINES];
    bool readable[MAX_LINES];
    size_t n;
};

static int seen_row(void *user, const xjl_roster_row *row)
{
    struct seen *s = user;
    assert_true(s->n < MAX_LINES);
    assert_true((row->result == NULL) == (row->error != NULL));
    s->line[s->n] = row->line;
    s->readable[s->n++] = row->result != NULL;
    return 0;
}

static void test_match_csv(void **state)
{
    (void)state;
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, NULL, NULL, NULL), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    xjl_csv *csv;
    assert_int_equal(xjl_csv_open(&csv, path, XJL_ENC_AUTO), XJL_OK);
    struct seen s = {0};
    xjl_roster_sink sink = {NULL, seen_row, &s};
    xjl_match_totals t;
    assert_int_equal(xjl_match_csv(m, csv, NULL, &sink, &t), XJL_OK);
    assert_int_equal(t.rows, 8); /* no row dropped */
    assert_int_equal(t.unreadable, 3);
    struct lines bad = {0};
    size_t good = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (!s.readable[i])
            bad.line[bad.n++] = s.line[i];
        else
            assert_int_equal(s.line[i], good_lines[good++]);
    }
    assert_bad_lines(&bad, "xjl_match_csv");
    assert_int_equal(good, 5);
    xjl_csv_close(csv);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

static void test_dedup_split(void **state)
{
    (void)state;
    char out[128], blocks[160];
    snprintf(out, sizeof out, "%s/blocks", dir);
    assert_int_equal(mkdir(out, 0700), 0);
    struct lines l = {0};
    size_t bad = 0;
    assert_int_equal(xjl_dedup_split(path, XJL_ENC_AUTO, NULL, out, note_line, &l, &bad), XJL_OK);
    assert_bad_lines(&l, "xjl_dedup_split");
    /* Every record of every block, "POS:ID", must be one of the index's. */
    snprintf(blocks, sizeof blocks, "%s/blocks.csv", out);
    xjl_csv *b;
    assert_int_equal(xjl_csv_open(&b, blocks, XJL_ENC_UTF8), XJL_OK);
    size_t records = 0;
    while (xjl_csv_next(b) == 1) {
        char file[256];
        snprintf(file, sizeof file, "%s/%s", out, xjl_csv_field(b, 1, NULL));
        xjl_csv *blk;
        assert_int_equal(xjl_csv_open(&blk, file, XJL_ENC_UTF8), XJL_OK);
        while (xjl_csv_next(blk) == 1) {
            const char *rec = xjl_csv_field(blk, 0, NULL);
            unsigned pos = (unsigned)atoi(rec);
            assert_true(pos < 5);
            assert_string_equal(strchr(rec, ':') + 1, good_ids[pos]);
            records++;
        }
        xjl_csv_close(blk);
    }
    xjl_csv_close(b);
    assert_int_equal(records, 5);
}

#if XJL_WITH_WORKSPACE
static void test_workspace(void **state)
{
    (void)state;
    char db[160];
    snprintf(db, sizeof db, "%s/ws.db", dir);
    xjl_workspace *ws;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    struct lines l = {0};
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, path, XJL_ENC_AUTO, note_line, &l, &rep), XJL_OK);
    assert_bad_lines(&l, "xjl_intake_load_registry");
    size_t n = 0;
    assert_int_equal(xjl_intake_registry_count(ws, &n), XJL_OK);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < 5; i++) {
        xjl_listing *t = NULL;
        if (xjl_intake_registry_record(ws, good_ids[i], &t) != XJL_OK)
            fail_msg("registry record %s: %s", good_ids[i], xjl_errmsg());
        xjl_listing_free(t);
    }
    struct lines li = {0};
    assert_int_equal(xjl_school_set(ws, "S1", NULL, 0, NULL), XJL_OK);
    assert_int_equal(xjl_intake_import(ws, "S1", path, XJL_ENC_AUTO, note_line, &li, &rep), XJL_OK);
    assert_bad_lines(&li, "xjl_intake_import");
    assert_int_equal(rep.rows, 8);
    assert_int_equal(rep.bad_rows, 3);
    xjl_workspace_close(ws);

    /* The admission check of two systems' lists, the same file on both sides. */
    struct lines lc = {0};
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_cross_check(path, path, XJL_ENC_AUTO, note_line, &lc, &t), XJL_OK);
    /* both sides report their bad lines: 3 5 6, then 3 5 6 again */
    assert_int_equal(lc.n, 6);
    struct lines first = lc;
    first.n = 3;
    assert_bad_lines(&first, "xjl_enrol_cross_check");
    assert_int_equal(xjl_listing_rows(t), 5); /* each readable row matches itself */
    xjl_listing_free(t);
}

#endif /* XJL_WITH_WORKSPACE */

static void test_layout(void **state)
{
    (void)state;
    xjl_csv *csv;
    assert_int_equal(xjl_csv_open(&csv, path, XJL_ENC_AUTO), XJL_OK);
    struct xjl_row_layout l;
    assert_int_equal(xjl__row_layout(csv, NULL, &l), XJL_OK);
    assert_int_equal(l.id, 0);
    assert_int_equal(l.key[XJL_FIELD_NAME], 2);
    assert_int_equal(xjl__row_layout(csv, "id", &l), XJL_OK);
    assert_int_equal(l.id, 1);
    assert_int_equal(xjl__row_layout(csv, "编号", &l), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "编号"));
    xjl_csv_close(csv);
}

/* ---- memory bounded by bytes ---------------------------------------------
 * Run in a child under an address-space limit (RLIMIT_AS, as `ulimit -v`):
 * a roster of very wide rows, and one of very long fields, must stream
 * through in a few MiB whatever their width and length.  Skipped under
 * AddressSanitizer, which reserves terabytes of address space. */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifndef UNDER_ASAN
static int count_row(void *user, const xjl_roster_row *row)
{
    (void)row;
    ++*(size_t *)user;
    return 0;
}
#endif

/* Matches roster in a child limited to limit_mib of address space; the
 * child's exit status is 0 when every row came through. */
static void match_limited(const char *roster, size_t rows, size_t limit_mib)
{
#ifdef UNDER_ASAN
    (void)roster, (void)rows, (void)limit_mib;
    skip();
#else
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, NULL, NULL, NULL), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {limit_mib << 20, limit_mib << 20};
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(90);
        xjl_csv *csv;
        if (xjl_csv_open(&csv, roster, XJL_ENC_AUTO) != XJL_OK)
            _exit(91);
        size_t seen = 0;
        xjl_roster_sink sink = {NULL, count_row, &seen};
        xjl_match_csv_options o = XJL_MATCH_CSV_OPTIONS_INIT;
        o.threads = 1;
        o.chunk_bytes = 1u << 20;
        int rc = xjl_match_csv(m, csv, &o, &sink, NULL);
        if (rc != XJL_OK)
            fprintf(stderr, "xjl_match_csv: %s\n", xjl_errmsg());
        _exit(rc != XJL_OK ? 92 : seen == rows ? 0 : 93);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("%s under a %zu MiB limit: %s %d", roster, limit_mib,
                 WIFEXITED(status) ? "exit" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    xjl_matcher_free(m);
    xjl_index_free(ix);
#endif
}

/* 100,000 columns: the reader once reserved 768 KiB per column (78 GB). */
static void test_wide_rows(void **state)
{
    (void)state;
    char wide[160];
    snprintf(wide, sizeof wide, "%s/wide.csv", dir);
    FILE *f = fopen(wide, "wb");
    assert_non_null(f);
    fputs("姓名,性别,出生日期,身份证件类型,身份证件号", f);
    for (int i = 0; i < 100000; i++)
        fprintf(f, ",c%d", i);
    fputc('\n', f);
    for (int r = 0; r < 3; r++) {
        fputs("张三,男,2018-03-05,居民身份证,", f);
        for (int i = 0; i < 100000; i++)
            fputs(",", f);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    match_limited(wide, 3, 256);
}

/* 24 rows of 16 MiB each (384 MiB): the chunks were bounded by rows (16,384
 * of them), so the whole file was held at once, three times over. */
static void test_long_rows(void **state)
{
    (void)state;
    char big[160];
    snprintf(big, sizeof big, "%s/long.csv", dir);
    FILE *f = fopen(big, "wb");
    assert_non_null(f);
    fputs("姓名,性别,出生日期,身份证件类型,身份证件号,备注\n", f);
    char *note = malloc(16u << 20);
    assert_non_null(note);
    memset(note, 'x', 16u << 20);
    for (int r = 0; r < 24; r++) {
        fputs("张三,男,2018-03-05,居民身份证,,", f);
        fwrite(note, 1, 16u << 20, f);
        fputc('\n', f);
    }
    free(note);
    assert_int_equal(fclose(f), 0);
    match_limited(big, 24, 512);
    unlink(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_index),
        cmocka_unit_test(test_match_csv),
        cmocka_unit_test(test_dedup_split),
#if XJL_WITH_WORKSPACE
        cmocka_unit_test(test_workspace),
#endif
        cmocka_unit_test(test_wide_rows),
        cmocka_unit_test(test_long_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
