/* Faults injected into the library: every allocation of a scenario fails
 * once (each run fails the first call of an allocation site no run failed
 * before, until a run meets no new site).  Each run ends with XJL_OK or an error that
 * says what failed, never a crash (nor a leak, under ASan), and a
 * workspace stays consistent: all of a step or none of it.
 *
 * Linked with -Wl,--wrap=malloc,... so that the library's own allocation
 * sites (the static library's objects) call the wrappers below; SQLite's
 * and ICU's allocations are theirs to handle and are left alone. */
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

/* Each run fails the first call from one allocation site (the wrapper's
 * return address) that no earlier run failed; the scenario is run again
 * until a run meets no new site.  Threads allocate too: a lock. */
#define MAX_SITES 8192
static void *tried[MAX_SITES];
static size_t ntried;
static int armed, failed;
static pthread_mutex_t sites_lock = PTHREAD_MUTEX_INITIALIZER;

static int should_fail(void *site)
{
    if (!armed)
        return 0;
    int fail = 0;
    pthread_mutex_lock(&sites_lock);
    if (!failed && ntried < MAX_SITES) {
        fail = 1;
        for (size_t i = 0; i < ntried && fail; i++)
            fail = tried[i] != site;
        if (fail) {
            tried[ntried++] = site;
            failed = 1;
        }
    }
    pthread_mutex_unlock(&sites_lock);
    return fail;
}

#define SITE __builtin_return_address(0)

void *__wrap_malloc(size_t n)
{
    return should_fail(SITE) ? (errno = ENOMEM, NULL) : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail(SITE) ? (errno = ENOMEM, NULL) : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail(SITE) ? (errno = ENOMEM, NULL) : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail(SITE) ? (errno = ENOMEM, NULL) : __real_strdup(s);
}

#define dir fixture_group_dir()

/* Arms the injection for one run (on: fail one new site), or disarms it. */
static void arm(bool on)
{
    pthread_mutex_lock(&sites_lock);
    failed = 0;
    armed = on;
    pthread_mutex_unlock(&sites_lock);
}

static void forget_sites(void)
{
    ntried = 0;
}

/* A failed call: a negative code and a message that says something. */
static void assert_clear_error(int rc, long n, const char *what)
{
    if (rc >= 0)
        return;
    if (!*xjl_errmsg())
        fail_msg("%s: run %ld (a failed allocation): error %d without a message", what, n, rc);
}

/* ---- the matching scenario --------------------------------------------- */

static void write_files(char *reg, char *roster, size_t cap)
{
    char id1[19], id2[19];
    fixture_id(id1, 110101, 2018, 3, 1, 11);
    fixture_id(id2, 110105, 2018, 1, 1, 9);
    fixture_path(reg, cap, dir, "reg.csv");
    fixture_path(roster, cap, dir, "roster.csv");
    char text[2048];
    snprintf(text, sizeof text,
             "学前学籍ID,姓名,性别码,出生日期,身份证件类型码,身份证件号\n"
             "P001,张伟,1,2018-03-01,1,%s\nP002,李娜,2,2018-05-02,1,\n"
             "P003,王芳,2,2018-07-07,1,\nP004,张玮,1,2018-03-01,1,\n",
             id1);
    fixture_write(reg, text);
    char ixreg[600];
    fixture_path(ixreg, sizeof ixreg, dir, "index.csv");
    snprintf(text, sizeof text,
             "id," FIXTURE_ROSTER_HEADER
             "P001,张伟,男,2018-03-01,1,%s\nP002,李娜,女,2018-05-02,1,\n"
             "P003,王芳,女,2018-07-07,1,\nP004,张玮,男,2018-03-01,1,\n",
             id1);
    fixture_write(ixreg, text);
    snprintf(text, sizeof text,
             FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "刘洋,男,2018-01-01,居民身份证,%s\n李娜,女,2018-05-02,,\n",
             id1, id2);
    fixture_write(roster, text);
}

/* Load, build, match; returns 0 when it ran to its end. */
static int match_scenario(const char *reg, long n)
{
    xjl_index *ix = NULL;
    int rc = xjl_index_new(&ix);
    assert_clear_error(rc, n, "xjl_index_new");
    if (rc)
        return rc;
    rc = xjl_index_add_csv(ix, reg, XJL_ENC_AUTO, NULL, NULL, NULL, NULL);
    assert_clear_error(rc, n, "xjl_index_add_csv");
    if (rc == XJL_OK)
        assert_clear_error(rc = xjl_index_build(ix, 2), n, "xjl_index_build");
    xjl_matcher *m = NULL;
    if (rc == XJL_OK)
        assert_clear_error(rc = xjl_matcher_new(&m, ix), n, "xjl_matcher_new");
    if (m) {
        xjl_record q = {"张伟", "男", "2018-03-01", NULL, NULL};
        xjl_result *res = NULL;
        rc = xjl_matcher_match(m, &q, &res);
        assert_clear_error(rc, n, "xjl_matcher_match");
        if (rc == XJL_OK) {
            assert_true(xjl_result_candidate_count(res) >= 1);
            xjl_result_free(res);
        }
        xjl_matcher_free(m);
    }
    xjl_index_free(ix);
    return rc;
}

static void test_allocation_failures_match(void **state)
{
    (void)state;
    char reg[600], roster[600];
    write_files(reg, roster, sizeof reg);
    fixture_path(reg, sizeof reg, dir, "index.csv");
    forget_sites();
    long n = 1;
    for (; n < MAX_SITES; n++) {
        arm(true);
        int rc = match_scenario(reg, n);
        int hit = failed;
        arm(false);
        if (!hit) {
            assert_int_equal(rc, XJL_OK);
            break;
        }
    }
    print_message("matching: %ld allocation sites failed one at a time\n", n - 1);
    assert_true(n > 10);
}

/* ---- the workspace scenario --------------------------------------------- */

static size_t rows_of(const char *db)
{
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_list(ws, "S1", XJL_ROW_ANY, &t), XJL_OK);
    size_t n = xjl_listing_rows(t);
    xjl_listing_free(t);
    xjl_workspace_close(ws);
    return n;
}

static void test_allocation_failures_workspace(void **state)
{
    (void)state;
    char reg[600], roster[600], db[600];
    write_files(reg, roster, sizeof reg);
    fixture_path(db, sizeof db, dir, "faults.db");
    {
        xjl_workspace *ws = NULL;
        assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
        xjl_load_report rep;
        assert_int_equal(xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
        /* lists go to known schools only */
        assert_int_equal(xjl_school_set(ws, "S1", "S1", 110101, NULL), XJL_OK);
        xjl_workspace_close(ws);
    }
    forget_sites();
    long n = 1;
    for (; n < MAX_SITES; n++) {
        size_t before = rows_of(db);
        arm(true);
        xjl_workspace *ws = NULL;
        xjl_load_report rep = {0};
        int rc = xjl_workspace_open(&ws, db);
        assert_clear_error(rc, n, "xjl_workspace_open");
        if (rc == XJL_OK) {
            rc = xjl_intake_import(ws, "S1", roster, XJL_ENC_AUTO, NULL, NULL, &rep);
            assert_clear_error(rc, n, "xjl_intake_import");
            xjl_listing *t = NULL;
            int lrc = xjl_intake_list(ws, "S1", XJL_ROW_ANY, &t);
            assert_clear_error(lrc, n, "xjl_intake_list");
            xjl_listing_free(t);
            xjl_workspace_close(ws);
        }
        int hit = failed;
        arm(false);
        size_t after = rows_of(db);
        /* all of the import or none of it */
        if (rc == XJL_OK)
            assert_int_equal(after, before + rep.inserted);
        else
            assert_int_equal(after, before);
        if (!hit)
            break;
    }
    print_message("workspace: %ld allocation sites failed one at a time\n", n - 1);
    assert_true(n > 10);
}

/* A first load of a registry, each allocation failing once: the load is
 * committed exactly when it says so (its index, built after the commit on
 * a thread of its own, may fail and is then built again from the table),
 * and a later step finds the registry's children. */
static void test_allocation_failures_first_load(void **state)
{
    (void)state;
    char reg[600], roster[600], db[600], aside[640];
    write_files(reg, roster, sizeof reg);
    fixture_path(db, sizeof db, dir, "first.db");
    forget_sites();
    long n = 1;
    for (; n < MAX_SITES; n++) {
        static const char *const parts[] = {"", "-wal", "-shm", ".registry.xjx", ".pool.xjx"};
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            snprintf(aside, sizeof aside, "%s%s", db, parts[k]);
            unlink(aside);
        }
        arm(true);
        xjl_workspace *ws = NULL;
        xjl_load_report rep = {0};
        int rc = xjl_workspace_open(&ws, db);
        assert_clear_error(rc, n, "xjl_workspace_open");
        if (rc == XJL_OK) {
            rc = xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, NULL, NULL, &rep);
            assert_clear_error(rc, n, "xjl_intake_load_registry");
            xjl_workspace_close(ws);
        }
        int hit = failed;
        arm(false);
        /* all of the load or none of it, as it said */
        ws = NULL;
        size_t records = 0;
        assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
        assert_int_equal(xjl_intake_registry_count(ws, &records), XJL_OK);
        if (records != (rc == XJL_OK ? 4u : 0u))
            fail_msg("run %ld: the load said %d, the registry holds %zu records", n, rc, records);
        if (rc == XJL_OK) {
            assert_int_equal(xjl_school_set(ws, "S1", "S1", 110101, NULL), XJL_OK);
            assert_int_equal(xjl_intake_import(ws, "S1", roster, XJL_ENC_AUTO, NULL, NULL, &rep),
                             XJL_OK);
            assert_true(rep.matched >= 1);
        }
        xjl_workspace_close(ws);
        if (!hit)
            break;
    }
    print_message("first load: %ld allocation sites failed one at a time\n", n - 1);
    assert_true(n > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allocation_failures_match),
        cmocka_unit_test(test_allocation_failures_workspace),
        cmocka_unit_test(test_allocation_failures_first_load),
    };
    return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
