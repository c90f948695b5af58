/* Faults injected under the workspace: an SQLite VFS shim, registered as the
 * default over the real one, makes the Nth write or the Nth fsync fail
 * (SQLITE_IOERR_WRITE, SQLITE_FULL, SQLITE_IOERR_FSYNC), and every one after
 * it until the workspace is closed, as a full disk stays full.  For every N
 * that a step of the workflow reaches (open, registry load, school, import,
 * edit, confirm, none, delete, supplement, submit, approve), the step either
 * happens whole or not at all: the workspace reopens, passes PRAGMA
 * integrity_check, and holds what it held before the step or what a clean
 * run of the step leaves.  A failed step says what failed, in a message
 * that names the workspace step and the disk error. */
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "vfs_shim.h"

/* ---- the faults ---------------------------------------------------------- */

enum fault_kind { WRITE_IOERR, WRITE_FULL, SYNC_IOERR, SYNC_FULL, FAULT_KINDS };

static const struct {
    const char *name;
    bool on_sync; /* the fault hits xSync, else xWrite */
    int code;
} kinds[FAULT_KINDS] = {
    [WRITE_IOERR] = {"write: SQLITE_IOERR_WRITE", false, SQLITE_IOERR_WRITE},
    [WRITE_FULL] = {"write: SQLITE_FULL", false, SQLITE_FULL},
    [SYNC_IOERR] = {"fsync: SQLITE_IOERR_FSYNC", true, SQLITE_IOERR_FSYNC},
    [SYNC_FULL] = {"fsync: SQLITE_FULL", true, SQLITE_FULL},
};

static enum fault_kind kind;
static long countdown; /* calls left before the fault; 0: disarmed */
static bool fired;     /* the fault happened; every later call fails too */

/* Whether this call of the kind the fault is on fails. */
static bool fault_now(bool sync)
{
    if (kinds[kind].on_sync != sync || (!countdown && !fired))
        return false;
    if (fired || --countdown == 0) {
        fired = true;
        countdown = 0;
        return true;
    }
    return false;
}

static int fault_hook(bool sync)
{
    return fault_now(sync) ? kinds[kind].code : SQLITE_OK;
}

static void arm(enum fault_kind k, long n)
{
    kind = k;
    countdown = n;
    fired = false;
}

static void disarm(void)
{
    countdown = 0;
    fired = false;
}

/* ---- the workspace's content --------------------------------------------- */

#define dir fixture_group_dir()

/* What the workspace holds, as text: every row of every table, in order,
 * without the columns of time stamps (a second run of a step writes another
 * time).  Read with a connection of our own, through the shim, disarmed. */
static char *content(const char *db)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "ORDER BY name",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[256];
        /* generations are stamped with random bits: whether one moved is
         * seen from the rows the step changed */
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" %s ORDER BY 1", name,
                 strcmp(name, "meta") == 0 ? "WHERE key NOT LIKE '%generation'" : "");
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const char *col = sqlite3_column_name(s, c);
                size_t cn = strlen(col);
                if (strcmp(col, "at") == 0 || (cn > 3 && strcmp(col + cn - 3, "_at") == 0))
                    continue;
                const unsigned char *v = sqlite3_column_text(s, c);
                size_t need = len + strlen(col) + (v ? strlen((const char *)v) : 4) + 8;
                if (need > cap) {
                    cap = need * 2;
                    out = realloc(out, cap);
                    assert_non_null(out);
                }
                len += (size_t)sprintf(out + len, "%s=%s|", col, v ? (const char *)v : "NULL");
            }
            out[len++] = '\n';
            out[len] = '\0';
        }
        sqlite3_finalize(s);
    }
    sqlite3_finalize(tables);
    sqlite3_close(h);
    return out;
}

static void remove_db(const char *db)
{
    char p[700];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

/* ---- the scenario -------------------------------------------------------- */

static char id1[19], id2[19], id3[19], id4[19], id5[19], id6[19], idx[19], reg_path[600],
    roster_path[600];

static void write_inputs(void)
{
    fixture_id(id1, 110101, 2018, 3, 1, 11);
    fixture_id(id2, 110101, 2018, 5, 2, 22);
    fixture_id(id3, 110101, 2018, 7, 7, 32);
    fixture_id(id4, 110102, 2018, 7, 7, 34);
    fixture_id(id5, 110101, 2018, 9, 9, 52);
    fixture_id(id6, 110102, 2018, 9, 9, 62);
    fixture_id(idx, 110105, 2018, 1, 1, 91);
    fixture_path(reg_path, sizeof reg_path, dir, "registry.csv");
    FILE *fp = fopen(reg_path, "wb");
    assert_non_null(fp);
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P001", "张伟", "1", "2018-03-01", "1", id1);
    fixture_registry_line(fp, "P002", "李娜", "2", "2018-05-02", "1", id2);
    fixture_registry_line(fp, "P003", "王芳", "2", "2018-07-07", "1", id3);
    fixture_registry_line(fp, "P004", "王芳", "2", "2018-07-07", "1", id4);
    fixture_registry_line(fp, "P005", "赵敏", "2", "2018-09-09", "1", id5);
    fixture_registry_line(fp, "P006", "赵敏", "2", "2018-09-09", "1", id6);
    assert_int_equal(fclose(fp), 0);
    fixture_path(roster_path, sizeof roster_path, dir, "roster.csv");
    char text[2048];
    snprintf(text, sizeof text,
             FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "李娤,女,2018-05-02,居民身份证,%s\n"
                                   "王芳,女,2018-07-07,其他,\n"
                                   "赵敏,女,2018-09-09,其他,\n"
                                   "刘洋,男,2018-01-01,居民身份证,%s\n"
                                   "测试,男,2018-06-06,其他,\n",
             id1, id2, idx);
    fixture_write(roster_path, text);
}

static int64_t row_named(xjl_workspace *ws, const char *name)
{
    xjl_listing *t = NULL;
    int rc = xjl_intake_list(ws, "S1", -1, &t);
    if (rc < 0)
        return rc;
    int64_t id = 0;
    for (size_t i = 0; i < xjl_listing_rows(t); i++)
        if (strcmp(xjl_listing_value(t, i, "name"), name) == 0)
            id = xjl_listing_int(t, i, "id");
    xjl_listing_free(t);
    assert_true(id > 0);
    return id;
}

static int step_load(xjl_workspace *ws)
{
    xjl_load_report rep;
    return xjl_intake_load_registry(ws, reg_path, XJL_ENC_AUTO, NULL, NULL, &rep);
}

static int step_school(xjl_workspace *ws)
{
    return xjl_school_set(ws, "S1", "第一小学", 110101, "2111000001");
}

static int step_import(xjl_workspace *ws)
{
    xjl_load_report rep;
    return xjl_intake_import(ws, "S1", roster_path, XJL_ENC_AUTO, NULL, NULL, &rep);
}

static int step_edit(xjl_workspace *ws)
{
    xjl_record fix = {.name = "李娜"};
    xjl_row_status st;
    return xjl_intake_edit(ws, row_named(ws, "李娤"), &fix, &st);
}

static int step_confirm(xjl_workspace *ws)
{
    return xjl_intake_confirm(ws, row_named(ws, "王芳"), "P004");
}

static int step_none(xjl_workspace *ws)
{
    return xjl_intake_declare_none(ws, row_named(ws, "赵敏"));
}

static int step_delete(xjl_workspace *ws)
{
    return xjl_intake_delete(ws, row_named(ws, "测试"), "test entry");
}

static int step_supplement(xjl_workspace *ws)
{
    return xjl_intake_supplement_set(ws, row_named(ws, "张伟"), XJL_SF_ADDRESS,
                                     "北京市东城区新街2号");
}

static int step_save(xjl_workspace *ws)
{
    return xjl_intake_supplement_save(ws, row_named(ws, "张伟"));
}

static int step_submit(xjl_workspace *ws)
{
    size_t n;
    return xjl_intake_submit(ws, "S1", &n);
}

static int step_approve(xjl_workspace *ws)
{
    size_t approved, returned, held;
    return xjl_intake_approve(ws, "S1", &approved, &returned, &held);
}

static const struct {
    const char *name;
    int (*run)(xjl_workspace *ws);
    const char *says; /* a failure's message names the step so */
} steps[] = {
    {"open", NULL, "faulty.db"}, /* a new workspace: its schema made */
    {"load registry", step_load, "load-registry"},
    {"school", step_school, "school set"},
    {"import", step_import, "intake import"},
    {"edit", step_edit, "edit row"},
    {"confirm", step_confirm, "confirm a candidate of row"},
    {"none", step_none, "declare none for row"},
    {"delete", step_delete, "delete row"},
    {"supplement", step_supplement, "supplement row"},
    {"save supplement", step_save, "save the supplement of row"},
    {"submit", step_submit, "intake submit"},
    {"approve", step_approve, "intake approve"},
};
#define NSTEPS (sizeof steps / sizeof steps[0])

/* Runs step k on the workspace db (step 0 opens it anew); the fault, if
 * armed, stays until the workspace is closed. */
static int run_step(size_t k, const char *db)
{
    xjl_workspace *ws = NULL;
    if (k == 0) {
        int rc = xjl_workspace_open(&ws, db);
        if (rc == XJL_OK)
            xjl_workspace_close(ws);
        return rc;
    }
    bool armed = countdown > 0;
    long n = countdown;
    countdown = 0; /* opening an existing workspace is not the step */
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    assert_int_equal(xjl_workspace_set_operator(ws, "op-1"), XJL_OK);
    if (armed)
        countdown = n;
    int rc = steps[k].run(ws);
    xjl_workspace_close(ws);
    return rc;
}

static char *snap_path(size_t k, char *out, size_t cap)
{
    char name[64];
    snprintf(name, sizeof name, "snap-%zu.db", k);
    fixture_path(out, cap, dir, name);
    return out;
}

static void test_io_faults(void **state)
{
    (void)state;
    shim_register();
    shim_hook = fault_hook;
    write_inputs();
    /* A clean run: the workspace after each step, and its content. */
    char *after[NSTEPS];
    char db[600], snap[600];
    fixture_path(db, sizeof db, dir, "clean.db");
    remove_db(db);
    for (size_t k = 0; k < NSTEPS; k++) {
        disarm();
        int rc = run_step(k, db);
        if (rc != XJL_OK)
            fail_msg("clean run, step %s: %d %s", steps[k].name, rc, xjl_errmsg());
        fixture_copy(db, snap_path(k, snap, sizeof snap));
        after[k] = content(db);
    }

    fixture_path(db, sizeof db, dir, "faulty.db");
    long runs = 0, failures = 0;
    for (size_t k = 0; k < NSTEPS; k++) {
        for (int fk = 0; fk < FAULT_KINDS; fk++) {
            for (long n = 1;; n++) {
                remove_db(db);
                if (k > 0)
                    fixture_copy(snap_path(k - 1, snap, sizeof snap), db);
                arm((enum fault_kind)fk, n);
                int rc = run_step(k, db);
                bool hit = fired;
                disarm();
                runs++;
                char msg[1024];
                snprintf(msg, sizeof msg, "%s", xjl_errmsg());
                if (rc < 0) {
                    failures++;
                    if (!hit)
                        fail_msg("step %s, %s #%ld: failed without the fault: %s", steps[k].name,
                                 kinds[fk].name, n, msg);
                    /* what failed and why: the disk's error, in a sentence */
                    if (!strstr(msg, "workspace") || !strstr(msg, steps[k].says) ||
                        !(strstr(msg, "I/O error") || strstr(msg, "disk is full") ||
                          strstr(msg, "database or disk is full")))
                        fail_msg("step %s, %s #%ld: unclear error %d: %s", steps[k].name,
                                 kinds[fk].name, n, rc, msg);
                }
                /* reopens consistent, with all of the step or none of it */
                xjl_workspace *ws = NULL;
                if (xjl_workspace_open(&ws, db) != XJL_OK)
                    fail_msg("step %s, %s #%ld: does not reopen: %s", steps[k].name, kinds[fk].name,
                             n, xjl_errmsg());
                if (xjl_workspace_check(ws) != XJL_OK)
                    fail_msg("step %s, %s #%ld: integrity: %s", steps[k].name, kinds[fk].name, n,
                             xjl_errmsg());
                xjl_workspace_close(ws);
                char *now = content(db);
                bool whole = strcmp(now, after[k]) == 0;
                bool none = k == 0 || strcmp(now, after[k - 1]) == 0;
                if (k == 0 && rc < 0)
                    whole = true; /* a new workspace reopened is the schema made */
                if (!(whole || (rc < 0 && none)))
                    fail_msg("step %s, %s #%ld (rc %d): the workspace holds part of the step",
                             steps[k].name, kinds[fk].name, n, rc);
                if (rc == XJL_OK && !whole)
                    fail_msg("step %s, %s #%ld: succeeded but its change is missing", steps[k].name,
                             kinds[fk].name, n);
                free(now);
                if (!hit)
                    break; /* N is past the step's last write or fsync */
            }
        }
    }
    for (size_t k = 0; k < NSTEPS; k++)
        free(after[k]);
    print_message("I/O faults: %ld runs, %ld failed steps, each consistent after\n", runs,
                  failures);
    assert_true(failures > 4 * (long)NSTEPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_faults),
    };
    return cmocka_run_group_tests(tests, fixture_group_setup, fixture_group_teardown);
}
