/* The workspace file: schema, migrations, refusal of foreign files, the
 * append-only audit, soft deletes, tables, and the supplement code lists. */
#include "workspace/workspace.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[512];

static int setup(void **state)
{
    (void)state;
    fixture_dir(dir, sizeof dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_cleanup(dir);
    return 0;
}

static void test_open_creates_schema(void **state)
{
    (void)state;
    char path[600];
    fixture_path(path, sizeof path, dir, "new.db");
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_int_equal(xjl_workspace_schema_version(ws), XJL_WORKSPACE_SCHEMA_VERSION);
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    /* Each migration is in the audit trail, in order. */
    xjl_listing *t = NULL;
    assert_int_equal(xjl_workspace_audit(ws, "workspace", 0, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), XJL_WORKSPACE_SCHEMA_VERSION);
    for (size_t i = 0; i < xjl_listing_rows(t); i++) {
        assert_string_equal(xjl_listing_value(t, i, "action"), "migrate");
        assert_int_equal(xjl_listing_int(t, i, "object_id"), (int64_t)i + 1);
    }
    xjl_listing_free(t);
    xjl_workspace_close(ws);

    /* Reopening migrates nothing more. */
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_int_equal(xjl_workspace_audit(ws, "workspace", 0, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), XJL_WORKSPACE_SCHEMA_VERSION);
    xjl_listing_free(t);
    xjl_workspace_close(ws);
    xjl_workspace_close(NULL);
}

static void sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, text, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int sql_rc(const char *path, const char *text, char *msg, size_t cap)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, text, NULL, NULL, &err);
    snprintf(msg, cap, "%s", err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
    return rc;
}

static void test_refuses_foreign_files(void **state)
{
    (void)state;
    char path[600];
    xjl_workspace *ws = NULL;

    /* Another application's database is never altered. */
    fixture_path(path, sizeof path, dir, "other.db");
    sql(path, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_EFORMAT);
    assert_null(ws);
    assert_non_null(strstr(xjl_errmsg(), "not a workspace"));

    /* Not SQLite at all. */
    fixture_path(path, sizeof path, dir, "text.db");
    fixture_write(path,
                  "姓名,性别\n这不是数据库,男\n"
                  "padding padding padding padding padding padding padding padding padding\n");
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_EFORMAT);
    assert_null(ws);

    /* A workspace from a newer library. */
    fixture_path(path, sizeof path, dir, "newer.db");
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    xjl_workspace_close(ws);
    sql(path, "PRAGMA user_version = 99");
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_EDB);
    assert_non_null(strstr(xjl_errmsg(), "newer"));

    assert_int_equal(xjl_workspace_open(NULL, path), XJL_EINVAL);
    assert_int_equal(xjl_workspace_open(&ws, NULL), XJL_EINVAL);
}

/* A workspace of schema 4 (made by the first four migrations) with a
 * graduate on a school's list and admitted there opens at the current
 * version: its list and flow kept, the list in its own key (WITHOUT ROWID:
 * no rowid to select), the flows carrying a batch (none for an old one),
 * every migration in the audit trail. */
static void test_upgrade_from_4(void **state)
{
    (void)state;
    char path[600], msg[256];
    fixture_path(path, sizeof path, dir, "v4.db");
    struct xjl_store *st = NULL;
    assert_int_equal(xjl__store_open_at(&st, path, 4), XJL_OK);
    xjl__store_close(st);
    sql(path, "INSERT INTO graduate(number, name, stage, graduated, archived, updated_at)"
              " VALUES('G110101200801010011', '张伟', 2, 1, 0, 'x');"
              "INSERT INTO assignment VALUES('H1', 2026, 1, NULL, 'op', 'x');"
              "INSERT INTO admission(graduate_id, school, year, route, state, created_at,"
              " updated_at) VALUES(1, 'H1', 2026, 0, 1, 'x', 'x');");
    assert_int_not_equal(sql_rc(path, "SELECT batch FROM admission", msg, sizeof msg), SQLITE_OK);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_int_equal(xjl_workspace_schema_version(ws), XJL_WORKSPACE_SCHEMA_VERSION);
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_workspace_audit(ws, "workspace", 0, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), XJL_WORKSPACE_SCHEMA_VERSION);
    xjl_listing_free(t);
    assert_int_equal(xjl_enrol_admissions(ws, "H1", 2026, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "name"), "张伟");
    xjl_listing_free(t);
    xjl_workspace_close(ws);
    assert_int_equal(sql_rc(path,
                            "SELECT 1 WHERE (SELECT count(*) FROM assignment WHERE school = 'H1'"
                            " AND year = 2026 AND graduate_id = 1) = 1"
                            " AND (SELECT batch FROM admission WHERE id = 1) IS NULL",
                            msg, sizeof msg),
                     SQLITE_OK);
    assert_int_not_equal(sql_rc(path, "SELECT rowid FROM assignment", msg, sizeof msg), SQLITE_OK);
}

static size_t read_all(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* A foreign database in rollback-journal mode is refused with every byte of
 * it as it was: WAL mode (which rewrites the header) is not set first. */
static void test_foreign_file_unaltered(void **state)
{
    (void)state;
    char path[600], side[620];
    static unsigned char before[1 << 16], after[1 << 16];
    fixture_path(path, sizeof path, dir, "rollback.db");
    sql(path, "PRAGMA journal_mode = DELETE; CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    size_t n = read_all(path, before, sizeof before);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_EFORMAT);
    assert_null(ws);
    assert_int_equal(read_all(path, after, sizeof after), n);
    assert_memory_equal(before, after, n);
    assert_non_null(strstr(xjl_errmsg(), path));
    snprintf(side, sizeof side, "%s-wal", path);
    assert_int_equal(access(side, F_OK), -1);
}

/* The schema version is four bytes of the file's header (offset 60).  A
 * value no workspace has (negative, or 0 with tables) is refused: it once
 * indexed the migration table out of bounds. */
static void test_damaged_version_refused(void **state)
{
    (void)state;
    static const int32_t versions[] = {-1, -2, INT32_MIN, -1000000, 0};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        char path[600], name[64];
        snprintf(name, sizeof name, "version%zu.db", i);
        fixture_path(path, sizeof path, dir, name);
        xjl_workspace *ws = NULL;
        assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
        xjl_workspace_close(ws);
        FILE *f = fopen(path, "r+b");
        assert_non_null(f);
        uint32_t v = (uint32_t)versions[i];
        unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                               (unsigned char)(v >> 8), (unsigned char)v};
        assert_int_equal(fseek(f, 60, SEEK_SET), 0);
        assert_int_equal(fwrite(be, 1, 4, f), 4);
        fclose(f);
        ws = NULL;
        assert_int_equal(xjl_workspace_open(&ws, path), XJL_EFORMAT);
        assert_null(ws);
        assert_non_null(strstr(xjl_errmsg(), "schema version"));
    }
}

static void test_audit_is_append_only(void **state)
{
    (void)state;
    char path[600], msg[256];
    fixture_path(path, sizeof path, dir, "audit.db");
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_int_equal(xjl_workspace_set_operator(ws, "op-7"), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "S1", "第一小学", 110101, "2111000001"), XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_workspace_audit(ws, NULL, 0, &t), XJL_OK);
    size_t last = xjl_listing_rows(t) - 1;
    assert_string_equal(xjl_listing_value(t, last, "operator"), "op-7");
    assert_string_equal(xjl_listing_value(t, last, "action"), "school-set");
    assert_non_null(strstr(xjl_listing_value(t, last, "detail"), "第一小学"));
    assert_true(strlen(xjl_listing_value(t, last, "at")) >= 20);
    xjl_listing_free(t);
    xjl_workspace_close(ws);

    assert_int_not_equal(sql_rc(path, "UPDATE audit SET operator = 'x'", msg, sizeof msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "append-only"));
    assert_int_not_equal(sql_rc(path, "DELETE FROM audit", msg, sizeof msg), SQLITE_OK);
}

static void test_rows_never_hard_deleted(void **state)
{
    (void)state;
    char path[600], msg[256];
    fixture_path(path, sizeof path, dir, "soft.db");
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    xjl_workspace_close(ws);
    sql(path,
        "INSERT INTO intake_row(school, status, created_at, updated_at) VALUES('S', 2, 'x', 'x')");
    assert_int_not_equal(sql_rc(path, "DELETE FROM intake_row", msg, sizeof msg), SQLITE_OK);
    assert_non_null(strstr(msg, "softly"));
    sql(path, "INSERT INTO registry(record_id, updated_at) VALUES('R', 'x')");
    assert_int_not_equal(sql_rc(path, "DELETE FROM registry", msg, sizeof msg), SQLITE_OK);
}

static void test_schools(void **state)
{
    (void)state;
    char path[600];
    fixture_path(path, sizeof path, dir, "schools.db");
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "S1", "一小", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "S1", "第一小学", 110102, "2111000001"), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "", "x", 0, NULL), XJL_EINVAL);
    assert_int_equal(xjl_school_set(ws, "S2", "x", 12345, NULL), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "12345"));
    assert_int_equal(xjl_school_set(ws, "S2", "x", 0, "12AB"), XJL_EINVAL);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_school_list(ws, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "name"), "第一小学");
    assert_int_equal(xjl_listing_int(t, 0, "region"), 110102);
    assert_string_equal(xjl_listing_value(t, 0, "identifier"), "2111000001");
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

static void test_table_api(void **state)
{
    (void)state;
    const char *names[] = {"a", "b"};
    xjl_listing *t = xjl__listing_new(2, names);
    assert_non_null(t);
    assert_int_equal(xjl__listing_add_row(t), 0);
    assert_int_equal(xjl__listing_set(t, 0, 0, "12", XJL_NTS), XJL_OK);
    assert_int_equal(xjl__listing_set(t, 0, 1, "x\0y", 3), XJL_OK);
    assert_int_equal(xjl__listing_set(t, 1, 0, "no", XJL_NTS), XJL_EINVAL);
    for (int i = 0; i < 100; i++)
        assert_true(xjl__listing_add_row(t) > 0);
    assert_int_equal(xjl_listing_rows(t), 101);
    assert_int_equal(xjl_listing_cols(t), 2);
    assert_string_equal(xjl_listing_col_name(t, 1), "b");
    assert_null(xjl_listing_col_name(t, 2));
    assert_int_equal(xjl_listing_col(t, "b"), 1);
    assert_int_equal(xjl_listing_col(t, "zz"), -1);
    assert_int_equal(xjl_listing_int(t, 0, "a"), 12);
    assert_int_equal(xjl_listing_int(t, 0, "b"), 0);
    assert_string_equal(xjl_listing_get(t, 5, 0), "");
    assert_string_equal(xjl_listing_get(t, 500, 0), "");
    assert_string_equal(xjl_listing_value(t, 0, "nope"), "");
    xjl_listing_free(t);
    xjl_listing_free(NULL);
    assert_int_equal(xjl_listing_rows(NULL), 0);
}

/* The non-key fields: each a national code list (table-driven). */
static void test_sfield_codes(void **state)
{
    (void)state;
    static const struct {
        xjl_sfield f;
        const char *in;
        const char *out; /* NULL: refused */
    } cases[] = {
        {XJL_SF_ETHNICITY, "01", "01"},
        {XJL_SF_ETHNICITY, "1", "01"},
        {XJL_SF_ETHNICITY, "汉族", "01"},
        {XJL_SF_ETHNICITY, "维吾尔族", "05"},
        {XJL_SF_ETHNICITY, "基诺族", "56"},
        {XJL_SF_ETHNICITY, "崩龙族", "46"},
        {XJL_SF_ETHNICITY, "９７", "97"},
        {XJL_SF_ETHNICITY, "98", "98"},
        {XJL_SF_ETHNICITY, "57", NULL},
        {XJL_SF_ETHNICITY, "00", NULL},
        {XJL_SF_ETHNICITY, "火星族", NULL},
        {XJL_SF_ETHNICITY, "", ""},
        {XJL_SF_NATIONALITY, "CHN", "CHN"},
        {XJL_SF_NATIONALITY, " chn ", "CHN"},
        {XJL_SF_NATIONALITY, "ＨＫＧ", "HKG"},
        {XJL_SF_NATIONALITY, "中国", "CHN"},
        {XJL_SF_NATIONALITY, "台湾", "TWN"},
        {XJL_SF_NATIONALITY, "ZWE", "ZWE"},
        {XJL_SF_NATIONALITY, "XYZ", NULL},
        {XJL_SF_NATIONALITY, "CN", NULL},
        {XJL_SF_HMT, "00", "00"},
        {XJL_SF_HMT, "0", "00"},
        {XJL_SF_HMT, "否", "00"},
        {XJL_SF_HMT, "香港同胞", "01"},
        {XJL_SF_HMT, "06", "06"},
        {XJL_SF_HMT, "归侨子女", "14"},
        {XJL_SF_HMT, "21", "21"},
        {XJL_SF_HMT, "外籍华裔人", "41"},
        {XJL_SF_HMT, "外籍非华裔人", "51"},
        {XJL_SF_HMT, "99", "99"},
        {XJL_SF_HMT, "07", NULL},
        {XJL_SF_HMT, "15", NULL},
        {XJL_SF_HUKOU_TYPE, "1", "1"},
        {XJL_SF_HUKOU_TYPE, "非农业户口", "2"},
        {XJL_SF_HUKOU_TYPE, "农业", "1"},
        {XJL_SF_HUKOU_TYPE, "3", NULL},
        {XJL_SF_BIRTHPLACE, "110101", "110101"},
        {XJL_SF_BIRTHPLACE, "440308001001", "440308001001"},
        {XJL_SF_BIRTHPLACE, "990101", NULL},
        {XJL_SF_BIRTHPLACE, "11010", NULL},
        {XJL_SF_BIRTHPLACE, "11010A", NULL},
        {XJL_SF_HUKOU_REGION, "４４０３０８", "440308"},
        {XJL_SF_DISABILITY, "0", "0"},
        {XJL_SF_DISABILITY, "听力残疾", "2"},
        {XJL_SF_DISABILITY, "9", "9"},
        {XJL_SF_DISABILITY, "8", NULL},
        {XJL_SF_ONLY_CHILD, "是", "1"},
        {XJL_SF_ONLY_CHILD, "0", "0"},
        {XJL_SF_ONLY_CHILD, "2", NULL},
        {XJL_SF_ORPHAN, "否", "0"},
        {XJL_SF_MIGRANT_CHILD, "1", "1"},
        {XJL_SF_LEFT_BEHIND, "2", "2"},
        {XJL_SF_LEFT_BEHIND, "单亲留守儿童", "1"},
        {XJL_SF_LEFT_BEHIND, "3", NULL},
        {XJL_SF_ADDRESS, "  北京市东城区某街1号 ", "北京市东城区某街1号"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[700];
        size_t n = 0;
        int rc = xjl_sfield_check(cases[i].f, cases[i].in, buf, sizeof buf, &n);
        if (cases[i].out) {
            if (rc != XJL_OK)
                fail_msg("%s '%s': %s", xjl_sfield_name(cases[i].f), cases[i].in, xjl_errmsg());
            assert_string_equal(buf, cases[i].out);
            assert_int_equal(n, strlen(cases[i].out));
        } else {
            if (rc != XJL_EINVAL)
                fail_msg("%s '%s' accepted as '%s'", xjl_sfield_name(cases[i].f), cases[i].in, buf);
            /* The message names the field and the value. */
            assert_non_null(strstr(xjl_errmsg(), xjl_sfield_label_zh(cases[i].f)));
            assert_non_null(strstr(xjl_errmsg(), cases[i].in));
        }
    }
}

static void test_sfield_bad_input(void **state)
{
    (void)state;
    char buf[700];
    assert_int_equal(xjl_sfield_check(XJL_SF_ADDRESS, "\xff\xfe", buf, sizeof buf, NULL),
                     XJL_EENCODING);
    char *longv = malloc(10001);
    memset(longv, 'a', 10000);
    longv[10000] = '\0';
    assert_int_equal(xjl_sfield_check(XJL_SF_ADDRESS, longv, buf, sizeof buf, NULL), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "longer"));
    free(longv);
    assert_int_equal(xjl_sfield_check(XJL_SF_ETHNICITY, "01", buf, 2, NULL), XJL_ERANGE);
    assert_int_equal(xjl_sfield_check(XJL_SF_COUNT, "01", buf, sizeof buf, NULL), XJL_EINVAL);
    assert_int_equal(xjl_sfield_check(XJL_SF_ETHNICITY, NULL, buf, sizeof buf, NULL), XJL_OK);
    assert_string_equal(buf, "");
}

static void test_sfield_names(void **state)
{
    (void)state;
    for (int f = 0; f < XJL_SF_COUNT; f++) {
        xjl_sfield g;
        assert_int_equal(xjl_sfield_parse(xjl_sfield_name((xjl_sfield)f), &g), XJL_OK);
        assert_int_equal(g, f);
        assert_int_equal(xjl_sfield_parse(xjl_sfield_label_zh((xjl_sfield)f), &g), XJL_OK);
        assert_int_equal(g, f);
    }
    xjl_sfield g;
    assert_int_equal(xjl_sfield_parse("民族", &g), XJL_OK);
    assert_int_equal(g, XJL_SF_ETHNICITY);
    assert_int_equal(xjl_sfield_parse("国籍", &g), XJL_OK);
    assert_int_equal(g, XJL_SF_NATIONALITY);
    assert_int_equal(xjl_sfield_parse("身份证号", &g), XJL_OK);
    assert_int_equal(g, XJL_SF_ID_NUMBER);
    assert_int_equal(xjl_sfield_parse("血型", &g), XJL_EINVAL);
    int keys = 0;
    for (int f = 0; f < XJL_SF_COUNT; f++)
        keys += xjl_sfield_is_key((xjl_sfield)f);
    assert_int_equal(keys, 5);
    assert_string_equal(xjl_sfield_name(XJL_SF_COUNT), "unknown");
    assert_true(xjl__alpha3_known("CHN"));
    assert_false(xjl__alpha3_known("chn"));
}

/* Whether WS.db-wal or WS.db-shm is beside the workspace. */
static bool side_files(const char *path)
{
    char p[700];
    int n = snprintf(p, sizeof p, "%s-wal", path);
    assert_true(n > 0 && (size_t)n < sizeof p); /* a cut name would test another file */
    bool wal = access(p, F_OK) == 0;
    n = snprintf(p, sizeof p, "%s-shm", path);
    assert_true(n > 0 && (size_t)n < sizeof p);
    return wal || access(p, F_OK) == 0;
}

/* A listing of a workspace opened for reading: the audit trail and a
 * quota; a write step refused naming the file; 0 if all held. */
static int list_for_reading(const char *path)
{
    xjl_workspace *ws = NULL;
    if (xjl_workspace_open_read(&ws, path) != XJL_OK) {
        fprintf(stderr, "open_read %s: %s\n", path, xjl_errmsg());
        return 1;
    }
    xjl_listing *t = NULL;
    size_t quota = 0, used = 1;
    int bad = xjl_workspace_audit(ws, NULL, 0, &t) != XJL_OK || xjl_listing_rows(t) == 0 ||
              xjl_enrol_quota(ws, "H1", 2026, &quota, &used) != XJL_OK || quota != 7 || used != 0;
    xjl_listing_free(t);
    if (xjl_school_set(ws, "H2", "二中", 110101, NULL) != XJL_EINVAL ||
        !strstr(xjl_errmsg(), path)) {
        fprintf(stderr, "a write step on a reader: %s\n", xjl_errmsg());
        bad = 1;
    }
    xjl_workspace_close(ws);
    if (side_files(path)) {
        fprintf(stderr, "a reader left -wal/-shm beside %s\n", path);
        bad = 1;
    }
    return bad;
}

/* Runs the listing as a user who may not write (nobody, when the tests
 * run as root, who may write anything); also checks that a write open is
 * refused naming the file.  0 if all held. */
static int list_as_other_user(const char *path, bool may_not_write)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        int bad = list_for_reading(path);
        xjl_workspace *ws = NULL;
        if (may_not_write && (xjl_workspace_open(&ws, path) != XJL_EIO ||
                              !strstr(xjl_errmsg(), path) || !strstr(xjl_errmsg(), "read-only"))) {
            fprintf(stderr, "a write open of a read-only workspace: %s\n", xjl_errmsg());
            bad = 1;
        }
        xjl_workspace_close(ws);
        _exit(bad);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* A workspace can be listed by whoever may read it: of mode 0444, in a
 * read-only folder, of another user, while a writer works; the reader
 * changes nothing and leaves no -wal/-shm (it failed on a read-only file,
 * and a reader that could not write left them, owned by it). */
static void test_read_only_workspace_listed(void **state)
{
    (void)state;
    char sub[600], path[700];
    fixture_path(sub, sizeof sub, dir, "ro");
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(chmod(dir, 0755), 0); /* the other user walks in */
    fixture_path(path, sizeof path, sub, "ws.db");
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_int_equal(xjl_enrol_set_quota(ws, "H1", 2026, 7), XJL_OK);
    xjl_workspace_close(ws);
    assert_false(side_files(path));

    /* this user, nobody writing */
    assert_int_equal(list_for_reading(path), 0);
    /* a writer holds it open: its WAL is read and left to it */
    assert_int_equal(xjl_workspace_open(&ws, path), XJL_OK);
    assert_true(side_files(path));
    xjl_workspace *r = NULL;
    assert_int_equal(xjl_workspace_open_read(&r, path), XJL_OK);
    size_t quota = 0, used = 0;
    assert_int_equal(xjl_enrol_quota(r, "H1", 2026, &quota, &used), XJL_OK);
    assert_int_equal(quota, 7);
    xjl_workspace_close(r);
    assert_true(side_files(path));
    xjl_workspace_close(ws);
    assert_false(side_files(path));
    /* another user, who may not write the file: the folder writable */
    assert_int_equal(chmod(sub, 0777), 0);
    assert_int_equal(list_as_other_user(path, true), 0);
    /* mode 0444 in a read-only folder, another user and this one */
    assert_int_equal(chmod(path, 0444), 0);
    assert_int_equal(chmod(sub, 0555), 0);
    assert_int_equal(list_as_other_user(path, true), 0);
    assert_int_equal(list_for_reading(path), 0);
    assert_int_equal(chmod(sub, 0755), 0);
    assert_int_equal(chmod(path, 0644), 0);
    /* a workspace that does not exist is not made */
    char missing[700];
    fixture_path(missing, sizeof missing, sub, "missing.db");
    assert_int_equal(xjl_workspace_open_read(&r, missing), XJL_EIO);
    assert_non_null(strstr(xjl_errmsg(), missing));
    assert_int_equal(access(missing, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_schema),
        cmocka_unit_test(test_refuses_foreign_files),
        cmocka_unit_test(test_upgrade_from_4),
        cmocka_unit_test(test_foreign_file_unaltered),
        cmocka_unit_test(test_damaged_version_refused),
        cmocka_unit_test(test_audit_is_append_only),
        cmocka_unit_test(test_rows_never_hard_deleted),
        cmocka_unit_test(test_schools),
        cmocka_unit_test(test_table_api),
        cmocka_unit_test(test_sfield_codes),
        cmocka_unit_test(test_sfield_bad_input),
        cmocka_unit_test(test_sfield_names),
        cmocka_unit_test(test_read_only_workspace_listed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
