/* The primary intake workflow (docs/domain.md §1): one school's list walked through
 * every step, and every step the workflow refuses. */
#include "workspace/workspace.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static char dir[512];
static char id1[19], id2[19], id3[19], id4[19], id6[19], id7[19], idx[19], idj[19];

static void make_registry(const char *path)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P001", "张伟", "1", "2018-03-01", "1", id1);
    fixture_registry_line(fp, "P002", "李娜", "2", "2018-05-02", "1", id2);
    fixture_registry_line(fp, "P003", "王芳", "2", "2018-07-07", "1", id3);
    fixture_registry_line(fp, "P004", "王芳", "2", "2018-07-07", "1", id4);
    fixture_registry_line(fp, "P005", "陈晨", "1", "2018-02-02", "A", "E12345678");
    fixture_registry_line(fp, "P006", "赵敏", "2", "2018-09-09", "1", id6);
    fixture_registry_line(fp, "P007", "周杰", "1", "2018-04-04", "1", id7);
    fclose(fp);
}

static int setup(void **state)
{
    (void)state;
    fixture_dir(dir, sizeof dir);
    fixture_id(id1, 110101, 2018, 3, 1, 11);
    fixture_id(id2, 110101, 2018, 5, 2, 22);
    fixture_id(id3, 110101, 2018, 7, 7, 32);
    fixture_id(id4, 110102, 2018, 7, 7, 34);
    fixture_id(id6, 110101, 2018, 9, 9, 62);
    fixture_id(id7, 110101, 2018, 4, 4, 71);
    fixture_id(idx, 110105, 2018, 1, 1, 91);
    fixture_id(idj, 110105, 2018, 6, 6, 93);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_cleanup(dir);
    return 0;
}

/* A workspace with the registry loaded. */
static xjl_workspace *open_loaded(const char *name)
{
    char db[600], reg[600];
    fixture_path(db, sizeof db, dir, name);
    fixture_path(reg, sizeof reg, dir, "registry.csv");
    make_registry(reg);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    assert_int_equal(xjl_workspace_set_operator(ws, "school-admin-1"), XJL_OK);
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, 7);
    assert_int_equal(xjl_school_set(ws, "S1", "第一小学", 0, NULL), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "S2", "第二小学", 0, NULL), XJL_OK);
    return ws;
}

/* Row id of the row with this name in the school's list. */
static int64_t row_of(xjl_workspace *ws, const char *school, const char *name)
{
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_list(ws, school, XJL_ROW_ANY, &t), XJL_OK);
    int64_t id = 0;
    for (size_t i = 0; i < xjl_listing_rows(t); i++)
        if (strcmp(xjl_listing_value(t, i, "name"), name) == 0)
            id = xjl_listing_int(t, i, "id");
    xjl_listing_free(t);
    return id;
}

static xjl_row_status status_of(xjl_workspace *ws, int64_t row)
{
    xjl_row_status st = XJL_ROW_ERROR;
    assert_int_equal(xjl_intake_status(ws, row, &st), XJL_OK);
    return st;
}

static const char *row_value(xjl_workspace *ws, int64_t row, const char *col, char *buf, size_t cap)
{
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_row(ws, row, &t), XJL_OK);
    snprintf(buf, cap, "%s", xjl_listing_value(t, 0, col));
    xjl_listing_free(t);
    return buf;
}

static bool history_has(xjl_workspace *ws, int64_t row, const char *action)
{
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_history(ws, row, &t), XJL_OK);
    bool found = false;
    for (size_t i = 0; i < xjl_listing_rows(t); i++)
        if (strcmp(xjl_listing_value(t, i, "action"), action) == 0)
            found = true;
    xjl_listing_free(t);
    return found;
}

static void import_roster(xjl_workspace *ws, const char *school, const char *text,
                          xjl_load_report *rep)
{
    char path[600];
    fixture_path(path, sizeof path, dir, "roster.csv");
    fixture_write(path, text);
    assert_int_equal(xjl_intake_import(ws, school, path, XJL_ENC_AUTO, NULL, NULL, rep), XJL_OK);
}

/* The same list imported twice: every row without a citizen number was
 * added again.  Now each is reported as already on the list, by row. */
static void test_reimport_without_id(void **state)
{
    (void)state;
    xjl_workspace *ws = open_loaded("reimport.db");
    char roster[1024];
    snprintf(roster, sizeof roster,
             FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "王芳,女,2018-07-07,其他,\n"
                                   "刘洋,男,2018-01-01,,\n",
             id1);
    xjl_load_report rep;
    import_roster(ws, "S1", roster, &rep);
    assert_int_equal(rep.inserted, 3);
    assert_int_equal(rep.bad_rows, 0);
    char path[600];
    fixture_path(path, sizeof path, dir, "roster.csv");
    struct fixture_diag d = {0};
    assert_int_equal(xjl_intake_import(ws, "S1", path, XJL_ENC_AUTO, fixture_diag_fn, &d, &rep),
                     XJL_OK);
    assert_int_equal(rep.rows, 3);
    assert_int_equal(rep.inserted, 0);
    assert_int_equal(rep.bad_rows, 3);
    assert_int_equal(d.count, 3);
    assert_int_equal(d.last_line, 4);
    assert_non_null(strstr(d.last_message, "刘洋"));
    assert_non_null(strstr(d.last_message, "already on school S1's list as row"));
    assert_int_equal(fixture_rows(ws, "S1", -1), 3);
    /* another school may list the same child; a changed field is another row */
    import_roster(ws, "S2", roster, &rep);
    assert_int_equal(rep.inserted, 3);
    fixture_write(path, FIXTURE_ROSTER_HEADER "刘洋,男,2018-01-02,,\n");
    assert_int_equal(xjl_intake_import(ws, "S1", path, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, 1);
    xjl_workspace_close(ws);
}

static void test_scenario(void **state)
{
    (void)state;
    xjl_workspace *ws = open_loaded("scenario.db");
    char roster[4096], buf[256];
    snprintf(roster, sizeof roster,
             FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "李娜,女,20180502,身份证,%s\n"
                                   "王芳,女,2018-07-07,其他,\n"
                                   "刘洋,男,2018-01-01,居民身份证,%s\n"
                                   "陈晨,男,2018-02-02,护照,E12345678\n"
                                   "测试,男,2018-06-06,居民身份证,%s\n"
                                   "赵明,女,2018-09-09,居民身份证,%s\n",
             id1, id2, idx, idj, id6);
    xjl_load_report rep;
    import_roster(ws, "S1", roster, &rep);
    assert_int_equal(rep.rows, 7);
    assert_int_equal(rep.inserted, 7);
    assert_int_equal(rep.bad_rows, 0);
    assert_int_equal(rep.matched, 3);
    assert_int_equal(rep.pending, 2);
    assert_int_equal(rep.not_found, 2);

    int64_t r1 = row_of(ws, "S1", "张伟"), r2 = row_of(ws, "S1", "李娜");
    int64_t r3 = row_of(ws, "S1", "王芳"), r4 = row_of(ws, "S1", "刘洋");
    int64_t r5 = row_of(ws, "S1", "陈晨"), r6 = row_of(ws, "S1", "测试");
    int64_t r7 = row_of(ws, "S1", "赵明");
    assert_int_equal(status_of(ws, r1), XJL_ROW_MATCHED);
    assert_int_equal(status_of(ws, r2), XJL_ROW_MATCHED);
    assert_int_equal(status_of(ws, r5), XJL_ROW_MATCHED);
    assert_int_equal(status_of(ws, r3), XJL_ROW_PENDING);
    assert_int_equal(status_of(ws, r7), XJL_ROW_PENDING);
    assert_int_equal(status_of(ws, r4), XJL_ROW_NOT_FOUND);
    assert_int_equal(status_of(ws, r6), XJL_ROW_NOT_FOUND);
    assert_string_equal(row_value(ws, r1, "record_id", buf, sizeof buf), "P001");
    assert_string_equal(row_value(ws, r1, "status_zh", buf, sizeof buf), "已匹配学前学籍");

    /* (3) list by status, and a row's candidates with their reasons. */
    assert_int_equal(fixture_rows(ws, "S1", XJL_ROW_PENDING), 2);
    assert_int_equal(fixture_rows(ws, "S1", XJL_ROW_NOT_FOUND), 2);
    assert_int_equal(fixture_rows(ws, "S1", -1), 7);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_candidates(ws, r3, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(xjl_listing_value(t, i, "name"), "王芳");
        assert_non_null(strstr(xjl_listing_value(t, i, "reasons"), "name=exact"));
        assert_int_equal(xjl_listing_int(t, i, "rank"), (int64_t)i + 1);
    }
    xjl_listing_free(t);

    /* (5) confirm one candidate of a pending row. */
    assert_int_equal(xjl_intake_confirm(ws, r3, "P004"), XJL_OK);
    assert_int_equal(status_of(ws, r3), XJL_ROW_CONFIRMED);
    assert_string_equal(row_value(ws, r3, "record_id", buf, sizeof buf), "P004");

    /* (5) a wrong "none" is undone by editing: 赵明 is really 赵敏. */
    assert_int_equal(xjl_intake_declare_none(ws, r7), XJL_OK);
    assert_int_equal(status_of(ws, r7), XJL_ROW_NOT_FOUND);
    xjl_row_status st;
    xjl_record fix = {.name = "赵敏"};
    assert_int_equal(xjl_intake_edit(ws, r7, &fix, &st), XJL_OK);
    assert_int_equal(st, XJL_ROW_MATCHED);
    assert_string_equal(row_value(ws, r7, "record_id", buf, sizeof buf), "P006");
    assert_string_equal(row_value(ws, r7, "id_number", buf, sizeof buf), id6);

    /* (6) delete a junk row: gone from the list, kept in the audit. */
    assert_int_equal(xjl_intake_delete(ws, r6, "test entry"), XJL_OK);
    assert_int_equal(fixture_rows(ws, "S1", -1), 6);
    assert_string_equal(row_value(ws, r6, "deleted", buf, sizeof buf), "1");
    assert_int_equal(xjl_workspace_audit(ws, "row", r6, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    assert_string_equal(xjl_listing_value(t, 0, "action"), "delete");
    assert_string_equal(xjl_listing_value(t, 0, "operator"), "school-admin-1");
    assert_non_null(strstr(xjl_listing_value(t, 0, "detail"), "测试"));
    assert_non_null(strstr(xjl_listing_value(t, 0, "detail"), "test entry"));
    xjl_listing_free(t);

    /* (7) supplement: the 17 fields come from the preschool record. */
    assert_int_equal(xjl_intake_supplement(ws, r1, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "name"), "张伟");
    assert_string_equal(xjl_listing_value(t, 0, "id_number"), id1);
    assert_string_equal(xjl_listing_value(t, 0, "ethnicity"), "01");
    assert_string_equal(xjl_listing_value(t, 0, "state"), "none");
    xjl_listing_free(t);
    assert_int_equal(xjl_intake_supplement_set(ws, r1, XJL_SF_ADDRESS, "北京市东城区新街2号"),
                     XJL_OK);
    assert_int_equal(xjl_intake_supplement_set(ws, r1, XJL_SF_ETHNICITY, "满族"), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, r1), XJL_OK);
    assert_int_equal(xjl_intake_supplement(ws, r1, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "address"), "北京市东城区新街2号");
    assert_string_equal(xjl_listing_value(t, 0, "ethnicity"), "11");
    assert_string_equal(xjl_listing_value(t, 0, "birthplace"), "110101");
    assert_string_equal(xjl_listing_value(t, 0, "state"), "done");
    xjl_listing_free(t);
    assert_int_equal(xjl_intake_supplement_save(ws, r2), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, r3), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, r5), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, r7), XJL_OK);

    /* (8) export the not-found rows as the registration template. */
    char out[600];
    fixture_path(out, sizeof out, dir, "not_found.csv");
    size_t n = 0;
    /* never over the workspace itself (it once replaced it, exit 0) */
    char self[600], wsfile[600];
    fixture_path(wsfile, sizeof wsfile, dir, "scenario.db");
    fixture_path(self, sizeof self, dir, "self-link.db");
    assert_int_equal(symlink(wsfile, self), 0);
    assert_int_equal(xjl_intake_export_not_found(ws, "S1", wsfile, &n), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "same file"));
    assert_int_equal(xjl_intake_export_not_found(ws, "S1", self, &n), XJL_EINVAL);
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    assert_int_equal(xjl_intake_export_not_found(ws, "S1", out, &n), XJL_OK);
    assert_int_equal(n, 1);
    xjl_csv *csv = NULL;
    assert_int_equal(xjl_csv_open(&csv, out, XJL_ENC_AUTO), XJL_OK);
    assert_int_equal(xjl_csv_column(csv, "行号"), 0);
    assert_true(xjl_csv_column(csv, "民族码") > 0);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_string_equal(xjl_csv_field(csv, (size_t)xjl_csv_column(csv, "姓名"), NULL), "刘洋");
    assert_string_equal(xjl_csv_field(csv, (size_t)xjl_csv_column(csv, "身份证件号"), NULL), idx);
    assert_int_equal(strtoll(xjl_csv_field(csv, 0, NULL), NULL, 10), r4);
    assert_int_equal(xjl_csv_next(csv), 0);
    xjl_csv_close(csv);

    /* The not-found pupil is registered as a new record: the school fills in
     * what the template asks. */
    assert_int_equal(xjl_intake_supplement_save(ws, r4), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "民族码"));
    assert_int_equal(xjl_intake_supplement_set(ws, r4, XJL_SF_ETHNICITY, "01"), XJL_OK);
    assert_int_equal(xjl_intake_supplement_set(ws, r4, XJL_SF_NATIONALITY, "CHN"), XJL_OK);
    assert_int_equal(xjl_intake_supplement_set(ws, r4, XJL_SF_HMT, "否"), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, r4), XJL_OK);

    /* (9) school review and submission, then the authority's approval. */
    size_t count = 0;
    assert_int_equal(xjl_intake_submit(ws, "S1", &count), XJL_OK);
    assert_int_equal(count, 6);
    assert_string_equal(row_value(ws, r1, "review", buf, sizeof buf), "submitted");
    size_t approved = 0, returned = 0;
    assert_int_equal(xjl_intake_approve(ws, "S1", &approved, &returned, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "region"));
    assert_int_equal(xjl_school_set(ws, "S1", "第一小学", 110101, "2111000001"), XJL_OK);
    assert_int_equal(xjl_intake_approve(ws, "S1", &approved, &returned, NULL), XJL_OK);
    assert_int_equal(approved, 6);
    assert_int_equal(returned, 0);
    char g1[32];
    snprintf(g1, sizeof g1, "G%s", id1);
    assert_string_equal(row_value(ws, r1, "student_number", buf, sizeof buf), g1);
    row_value(ws, r5, "student_number", buf, sizeof buf);
    assert_int_equal(strlen(buf), 19);
    assert_memory_equal(buf, "L11010120180202", 15);
    for (int i = 15; i < 19; i++)
        assert_true(buf[i] >= '0' && buf[i] <= '9');

    /* A G record cannot be deleted, an L one can. */
    assert_int_equal(xjl_intake_delete(ws, r1, "x"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), g1));
    assert_int_equal(xjl_intake_delete(ws, r5, "moved away"), XJL_OK);

    /* Every step is in the row's history. */
    const char *steps[] = {"import", "confirm", "supplement-done", "submit", "approve"};
    for (size_t i = 0; i < 5; i++)
        assert_true(history_has(ws, r3, steps[i]));
    assert_true(history_has(ws, r7, "none"));
    assert_true(history_has(ws, r7, "edit"));
    assert_int_equal(xjl_workspace_check(ws), XJL_OK);
    xjl_workspace_close(ws);
}

/* One school list with a row in each state, for the refusal tests. */
struct states {
    xjl_workspace *ws;
    int64_t matched, pending, not_found;
};

static void states_open(struct states *s, const char *name)
{
    s->ws = open_loaded(name);
    char roster[2048];
    snprintf(roster, sizeof roster,
             FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "王芳,女,2018-07-07,其他,\n"
                                   "刘洋,男,2018-01-01,居民身份证,%s\n",
             id1, idx);
    xjl_load_report rep;
    import_roster(s->ws, "S1", roster, &rep);
    s->matched = row_of(s->ws, "S1", "张伟");
    s->pending = row_of(s->ws, "S1", "王芳");
    s->not_found = row_of(s->ws, "S1", "刘洋");
    assert_int_equal(status_of(s->ws, s->pending), XJL_ROW_PENDING);
}

static void test_refuse_empty_registry(void **state)
{
    (void)state;
    char db[600], roster[600];
    fixture_path(db, sizeof db, dir, "empty.db");
    fixture_path(roster, sizeof roster, dir, "r_empty.csv");
    fixture_write(roster, FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,,\n");
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    /* An unknown school is refused before anything is read. */
    assert_int_equal(xjl_intake_import(ws, "S1", roster, XJL_ENC_AUTO, NULL, NULL, NULL),
                     XJL_ENOTFOUND);
    assert_non_null(strstr(xjl_errmsg(), "school S1 is not known"));
    assert_int_equal(xjl_school_set(ws, "S1", "第一小学", 0, NULL), XJL_OK);
    assert_int_equal(xjl_intake_import(ws, "S1", roster, XJL_ENC_AUTO, NULL, NULL, NULL),
                     XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "registry is empty"));
    assert_int_equal(fixture_rows(ws, "S1", -1), 0);
    xjl_workspace_close(ws);
}

static void test_refuse_edit_matched(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "edit.db");
    xjl_record rec = {.name = "张三"};
    assert_int_equal(xjl_intake_edit(s.ws, s.matched, &rec, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "已匹配学前学籍"));
    assert_int_equal(xjl_intake_confirm(s.ws, s.pending, "P003"), XJL_OK);
    assert_int_equal(xjl_intake_edit(s.ws, s.pending, &rec, NULL), XJL_ESTATE);
    /* Nothing changed. */
    char buf[64];
    assert_string_equal(row_value(s.ws, s.matched, "name", buf, sizeof buf), "张伟");
    /* Editing into a number already on the list is refused too. */
    xjl_record dup = {.id_number = id1};
    assert_int_equal(xjl_intake_edit(s.ws, s.not_found, &dup, NULL), XJL_EDUPLICATE);
    assert_int_equal(xjl_intake_edit(s.ws, 99999, &rec, NULL), XJL_ENOTFOUND);
    xjl_workspace_close(s.ws);
}

/* Refusals are in the thread's language; the audit trail is stored in
 * neither and reads in the reader's language, whoever wrote it. */
static void test_refusals_and_audit_in_both_languages(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "lang.db");
    xjl_record rec = {.name = "张三"};
    assert_int_equal(xjl_set_lang(XJL_LANG_ZH), XJL_OK);
    assert_int_equal(xjl_intake_edit(s.ws, s.matched, &rec, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "不能修改（名单行"));
    assert_null(strstr(xjl_errmsg(), "cannot"));
    assert_int_equal(xjl_intake_import(s.ws, "S9", "none.csv", XJL_ENC_AUTO, NULL, NULL, NULL),
                     XJL_ENOTFOUND);
    assert_non_null(strstr(xjl_errmsg(), "学校 S9 不存在"));
    /* written under Chinese ... */
    assert_int_equal(xjl_intake_confirm(s.ws, s.pending, "P003"), XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_workspace_audit(s.ws, "row", s.pending, &t), XJL_OK);
    const char *zh = xjl_listing_value(t, xjl_listing_rows(t) - 1, "detail");
    assert_string_equal(zh, "已确认学前学籍 P003（确认补录）");
    xjl_listing_free(t);
    /* ... read under English */
    assert_int_equal(xjl_set_lang(XJL_LANG_EN), XJL_OK);
    assert_int_equal(xjl_workspace_audit(s.ws, "row", s.pending, &t), XJL_OK);
    const char *en = xjl_listing_value(t, xjl_listing_rows(t) - 1, "detail");
    assert_string_equal(en, "confirmed preschool record P003 (确认补录)");
    xjl_listing_free(t);
    assert_int_equal(xjl_intake_edit(s.ws, s.matched, &rec, NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "cannot edit row"));
    xjl_workspace_close(s.ws);
}

static void test_refuse_confirm_and_none(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "confirm.db");
    assert_int_equal(xjl_intake_confirm(s.ws, s.matched, "P001"), XJL_ESTATE);
    assert_int_equal(xjl_intake_confirm(s.ws, s.not_found, "P001"), XJL_ESTATE);
    assert_int_equal(xjl_intake_confirm(s.ws, s.pending, "P001"), XJL_ENOTFOUND);
    assert_non_null(strstr(xjl_errmsg(), "not a candidate"));
    assert_int_equal(xjl_intake_declare_none(s.ws, s.matched), XJL_ESTATE);
    assert_int_equal(xjl_intake_declare_none(s.ws, s.not_found), XJL_ESTATE);
    assert_int_equal(xjl_intake_declare_none(s.ws, s.pending), XJL_OK);
    assert_int_equal(xjl_intake_declare_none(s.ws, s.pending), XJL_ESTATE);
    assert_int_equal(xjl_intake_confirm(s.ws, s.pending, "P003"), XJL_ESTATE);
    xjl_workspace_close(s.ws);
}

static void test_refuse_delete(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "delete.db");
    /* A matched row may be deleted before its supplement is done... */
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_OK);
    /* ...never after. */
    assert_int_equal(xjl_intake_delete(s.ws, s.matched, "junk"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "supplement is done"));
    assert_int_equal(xjl_intake_delete(s.ws, s.not_found, "junk"), XJL_OK);
    assert_int_equal(xjl_intake_delete(s.ws, s.not_found, "again"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "deleted"));
    /* A deleted row takes no step any more. */
    xjl_record rec = {.name = "刘阳"};
    assert_int_equal(xjl_intake_edit(s.ws, s.not_found, &rec, NULL), XJL_ESTATE);
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.not_found, XJL_SF_ETHNICITY, "01"),
                     XJL_ESTATE);
    xjl_workspace_close(s.ws);
}

static void test_refuse_supplement(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "suppl.db");
    static const xjl_sfield keys[] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE, XJL_SF_ID_TYPE,
                                      XJL_SF_ID_NUMBER};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(xjl_intake_supplement_set(s.ws, s.matched, keys[i], "1"), XJL_ESTATE);
        assert_non_null(strstr(xjl_errmsg(), "key"));
    }
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.matched, XJL_SF_NATIONALITY, "XYZ"),
                     XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "XYZ"));
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.matched, XJL_SF_ETHNICITY, "99"),
                     XJL_EINVAL);
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.pending, XJL_SF_ETHNICITY, "01"),
                     XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "pending"));
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.pending), XJL_ESTATE);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_supplement(s.ws, s.pending, &t), XJL_ESTATE);
    /* The refused steps changed nothing: the supplement was never started. */
    assert_int_equal(xjl_intake_supplement(s.ws, s.matched, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "state"), "none");
    assert_string_equal(xjl_listing_value(t, 0, "nationality"), "CHN");
    xjl_listing_free(t);
    xjl_workspace_close(s.ws);
}

static void test_refuse_review_steps(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "review.db");
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "nothing to submit"));
    assert_int_equal(xjl_intake_approve(s.ws, "S1", NULL, NULL, NULL), XJL_ESTATE);
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_OK);
    size_t n = 0;
    assert_int_equal(xjl_intake_submit(s.ws, "S1", &n), XJL_OK);
    assert_int_equal(n, 1);
    /* Under review: the school's steps wait. */
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.matched, XJL_SF_ADDRESS, "x"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "submitted"));
    assert_int_equal(xjl_intake_delete(s.ws, s.matched, "x"), XJL_ESTATE);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", &n), XJL_ESTATE);
    /* The authority returns it; the school fixes and submits again. */
    assert_int_equal(xjl_intake_return(s.ws, s.matched, "地址不全"), XJL_OK);
    assert_int_equal(xjl_intake_return(s.ws, s.matched, "again"), XJL_ESTATE);
    char buf[128];
    assert_string_equal(row_value(s.ws, s.matched, "note", buf, sizeof buf), "地址不全");
    assert_int_equal(
        xjl_intake_supplement_set(s.ws, s.matched, XJL_SF_ADDRESS, "北京市东城区某街3号"), XJL_OK);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", &n), XJL_OK);
    size_t ok = 0, back = 0;
    assert_int_equal(xjl_intake_approve(s.ws, "S1", &ok, &back, NULL), XJL_OK);
    assert_int_equal(ok, 1);
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.matched, XJL_SF_ADDRESS, "x"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "approved"));
    xjl_workspace_close(s.ws);
}

/* Supplements the three fields a not-found row lacks and saves it. */
static void supplement_done(xjl_workspace *ws, int64_t row)
{
    const xjl_sfield f[3] = {XJL_SF_ETHNICITY, XJL_SF_NATIONALITY, XJL_SF_HMT};
    const char *v[3] = {"01", "CHN", "00"};
    assert_int_equal(xjl_intake_supplement_update(ws, row, f, v, 3), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, row), XJL_OK);
}

/* A school whose rows are not found (the registry does not know them),
 * submitted; returns the workspace. */
static xjl_workspace *submitted(const char *name, const char *roster)
{
    xjl_workspace *ws = open_loaded(name);
    assert_int_equal(xjl_school_set(ws, "S9", "第九小学", 110101, NULL), XJL_OK);
    xjl_load_report rep;
    import_roster(ws, "S9", roster, &rep);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_list(ws, "S9", XJL_ROW_ANY, &t), XJL_OK);
    for (size_t i = 0; i < xjl_listing_rows(t); i++)
        supplement_done(ws, xjl_listing_int(t, i, "id"));
    xjl_listing_free(t);
    assert_int_equal(xjl_intake_submit(ws, "S9", NULL), XJL_OK);
    return ws;
}

/* An ID number that contradicts the row: its findings travel with the row,
 * and no formal number is issued until the authority overrides them. */
static const struct {
    const char *what, *gender, *date, *finding;
    const char *held; /* the finding the approval holds the row for */
    int seq, year;
    bool bad_check, fifteen;
} contradicting[] = {
    {"ID says female, row 男", "男", "2018-06-01", "record:gender_mismatch",
     "record:gender_mismatch", 2, 2018, false, false},
    {"birth dates differ", "男", "2018-06-02", "record:dob_mismatch", "record:dob_mismatch", 1,
     2018, false, false},
    {"wrong check character", "男", "2018-06-01", "id_number:id_check", "id_number:id_check", 1,
     2018, true, false},
    {"15 digits, born 2019", "男", "2019-06-01", "id_number:id_converted15",
     /* the supplement keeps the converted number: its 1919 birth date is
      * what contradicts the row */
     "record:dob_mismatch", 151, 2019, false, true},
};

static void test_findings_hold_the_number(void **state)
{
    (void)state;
    for (size_t i = 0; i < XJL_ARRAY_LEN(contradicting); i++) {
        char id[19], roster[512], name[32];
        fixture_id(id, 110103, contradicting[i].year, 6, 1, contradicting[i].seq);
        if (contradicting[i].bad_check)
            id[17] = id[17] == '0' ? '1' : '0';
        if (contradicting[i].fifteen) /* 6 region + YYMMDD + 3 sequence */
            snprintf(id, sizeof id, "110103%.6s%03d", "190601", contradicting[i].seq);
        snprintf(roster, sizeof roster, FIXTURE_ROSTER_HEADER "王刚,%s,%s,居民身份证,%s\n",
                 contradicting[i].gender, contradicting[i].date, id);
        snprintf(name, sizeof name, "held%zu.db", i);
        xjl_workspace *ws = submitted(name, roster);
        int64_t row = row_of(ws, "S9", "王刚");
        char buf[1024];
        /* The import's findings are on the row. */
        assert_non_null(
            strstr(row_value(ws, row, "findings", buf, sizeof buf), contradicting[i].finding));
        size_t ok = 9, back = 9, held = 9;
        assert_int_equal(xjl_intake_approve(ws, "S9", &ok, &back, &held), XJL_OK);
        assert_int_equal(ok, 0);
        assert_int_equal(held, 1);
        assert_string_equal(row_value(ws, row, "student_number", buf, sizeof buf), "");
        assert_string_equal(row_value(ws, row, "review", buf, sizeof buf), "submitted");
        row_value(ws, row, "note", buf, sizeof buf);
        if (!strstr(buf, contradicting[i].held))
            fail_msg("%s: note '%s'", contradicting[i].what, buf);
        assert_true(history_has(ws, row, "hold"));
        /* The authority overrides, with a reason only. */
        assert_int_equal(xjl_intake_override(ws, row, ""), XJL_EINVAL);
        assert_int_equal(xjl_intake_override(ws, row, "户籍证明已核"), XJL_OK);
        assert_int_equal(xjl_intake_approve(ws, "S9", &ok, &back, &held), XJL_OK);
        assert_int_equal(ok, 1);
        row_value(ws, row, "student_number", buf, sizeof buf);
        if (contradicting[i].bad_check)
            assert_int_equal(buf[0], 'L'); /* no valid citizen number: temporary, on record */
        else
            assert_int_equal(buf[0], 'G');
        xjl_listing *t = NULL;
        assert_int_equal(xjl_workspace_audit(ws, "row", row, &t), XJL_OK);
        bool reason = false;
        for (size_t r = 0; r < xjl_listing_rows(t); r++)
            reason = reason || strstr(xjl_listing_value(t, r, "detail"), "户籍证明已核");
        assert_true(reason);
        xjl_listing_free(t);
        xjl_workspace_close(ws);
    }
}

/* Two rows with one passport number on one list are one pupil. */
static void test_same_passport_twice(void **state)
{
    (void)state;
    xjl_workspace *ws = open_loaded("passport.db");
    char path[600];
    fixture_path(path, sizeof path, dir, "passport.csv");
    fixture_write(path, FIXTURE_ROSTER_HEADER "陈晨,男,2018-02-02,护照,E12345678\n"
                                              "陈辰,男,2018-02-02,护照,e 1234 5678\n");
    xjl_load_report rep;
    assert_int_equal(xjl_intake_import(ws, "S1", path, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, 1);
    assert_int_equal(rep.bad_rows, 1);
    xjl_workspace_close(ws);
}

/* A pupil who holds a G number at another school is not a silent match. */
static void test_number_held_elsewhere(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "held.db");
    assert_int_equal(xjl_school_set(s.ws, "S1", NULL, 110101, NULL), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_OK);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_OK);
    assert_int_equal(xjl_intake_approve(s.ws, "S1", NULL, NULL, NULL), XJL_OK);
    char roster[512];
    snprintf(roster, sizeof roster, FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n",
             id1);
    struct fixture_diag diag = {0};
    char path[600];
    fixture_path(path, sizeof path, dir, "held.csv");
    fixture_write(path, roster);
    xjl_load_report rep;
    assert_int_equal(
        xjl_intake_import(s.ws, "S2", path, XJL_ENC_AUTO, fixture_diag_fn, &diag, &rep), XJL_OK);
    assert_int_equal(rep.warnings, 1);
    assert_int_equal(diag.count, 1);
    int64_t other = row_of(s.ws, "S2", "张伟");
    char buf[512];
    assert_non_null(
        strstr(row_value(s.ws, other, "findings", buf, sizeof buf), "id_number:number_held"));
    assert_non_null(strstr(row_value(s.ws, other, "note", buf, sizeof buf), "school S1"));
    xjl_workspace_close(s.ws);
}

/* A returned row goes back only after a change; a return needs a reason. */
static void test_return_needs_a_change(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "returned.db");
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_OK);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_OK);
    assert_int_equal(xjl_intake_return(s.ws, s.matched, NULL), XJL_EINVAL);
    assert_int_equal(xjl_intake_return(s.ws, s.matched, ""), XJL_EINVAL);
    assert_int_equal(xjl_intake_return(s.ws, s.matched, "地址不全"), XJL_OK);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "1 returned"));
    assert_int_equal(xjl_intake_supplement_set(s.ws, s.matched, XJL_SF_ADDRESS, "某街3号"), XJL_OK);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_OK);
    xjl_workspace_close(s.ws);
}

/* A refused multi-field supplement keeps none of its fields. */
static void test_supplement_is_one_step(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "onestep.db");
    const xjl_sfield f[3] = {XJL_SF_ETHNICITY, XJL_SF_ADDRESS, XJL_SF_NATIONALITY};
    const char *v[3] = {"11", "某街9号", "XXX"};
    assert_int_equal(xjl_intake_supplement_update(s.ws, s.matched, f, v, 3), XJL_EINVAL);
    const xjl_sfield g[2] = {XJL_SF_ADDRESS, XJL_SF_NAME};
    const char *w[2] = {"某街9号", "张三"};
    assert_int_equal(xjl_intake_supplement_update(s.ws, s.matched, g, w, 2), XJL_ESTATE);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_supplement(s.ws, s.matched, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "state"), "none");
    assert_string_not_equal(xjl_listing_value(t, 0, "address"), "某街9号");
    xjl_listing_free(t);
    xjl_workspace_close(s.ws);
}

/* Only one record may hold a citizen number's G number. */
static void test_duplicate_formal_number(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "dupg.db");
    char roster[512];
    snprintf(roster, sizeof roster, FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n",
             id1);
    xjl_load_report rep;
    import_roster(s.ws, "S2", roster, &rep);
    /* S1 pulled (调档) the preschool record: it is locked for S2, the note
     * names the holder, and confirming it is refused. */
    assert_int_equal(rep.pending, 1);
    int64_t other = row_of(s.ws, "S2", "张伟");
    char note[256];
    assert_non_null(strstr(row_value(s.ws, other, "note", note, sizeof note), "school S1"));
    assert_int_equal(xjl_intake_confirm(s.ws, other, "P001"), XJL_ESTATE);
    assert_non_null(strstr(xjl_errmsg(), "pulled (调档) by school S1"));
    /* Registered as a new record, it reaches the authority as a duplicate. */
    assert_int_equal(xjl_intake_declare_none(s.ws, other), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_OK);
    supplement_done(s.ws, other);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_OK);
    assert_int_equal(xjl_intake_submit(s.ws, "S2", NULL), XJL_OK);
    size_t ok = 0, back = 0;
    assert_int_equal(xjl_intake_approve(s.ws, "S1", &ok, &back, NULL), XJL_OK);
    assert_int_equal(ok, 1);
    assert_int_equal(xjl_intake_approve(s.ws, "S2", &ok, &back, NULL), XJL_OK);
    assert_int_equal(ok, 0);
    assert_int_equal(back, 1);
    char buf[256];
    assert_string_equal(row_value(s.ws, other, "review", buf, sizeof buf), "returned");
    assert_non_null(strstr(row_value(s.ws, other, "note", buf, sizeof buf), "duplicate"));
    assert_string_equal(row_value(s.ws, other, "student_number", buf, sizeof buf), "");
    xjl_workspace_close(s.ws);
}

struct policy {
    int open;
    int feature_on;
    int32_t asked_date;
    char asked[32];
};

static bool window_hook(void *user, const char *process, int32_t date)
{
    struct policy *p = user;
    p->asked_date = date;
    snprintf(p->asked, sizeof p->asked, "%s", process);
    return p->open;
}

static bool feature_hook(void *user, const char *feature)
{
    struct policy *p = user;
    (void)feature;
    return p->feature_on;
}

static void test_policy_hooks(void **state)
{
    (void)state;
    struct states s;
    states_open(&s, "policy.db");
    struct policy p = {.open = 0, .feature_on = 1};
    xjl_workspace_set_window_hook(s.ws, window_hook, &p);
    xjl_workspace_set_feature_hook(s.ws, feature_hook, &p);
    int32_t day = xjl_date_from_ymd(2024, 9, 1);
    assert_int_equal(xjl_workspace_set_date(s.ws, day), XJL_OK);
    xjl_record rec = {.name = "刘阳"};
    assert_int_equal(xjl_intake_edit(s.ws, s.not_found, &rec, NULL), XJL_EPOLICY);
    assert_non_null(strstr(xjl_errmsg(), "2024-09-01"));
    assert_string_equal(p.asked, "intake");
    assert_int_equal(p.asked_date, day);
    assert_int_equal(xjl_intake_delete(s.ws, s.not_found, NULL), XJL_EPOLICY);
    assert_int_equal(xjl_intake_submit(s.ws, "S1", NULL), XJL_EPOLICY);
    p.open = 1;
    p.feature_on = 0;
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_EPOLICY);
    assert_non_null(strstr(xjl_errmsg(), "switched off"));
    p.feature_on = 1;
    assert_int_equal(xjl_intake_supplement_save(s.ws, s.matched), XJL_OK);
    /* Without hooks everything is open. */
    xjl_workspace_set_window_hook(s.ws, NULL, NULL);
    xjl_workspace_set_feature_hook(s.ws, NULL, NULL);
    p.open = 0;
    assert_int_equal(xjl_intake_edit(s.ws, s.not_found, &rec, NULL), XJL_OK);
    xjl_workspace_close(s.ws);
}

static void test_registry_bad_values(void **state)
{
    (void)state;
    char db[600], reg[600];
    fixture_path(db, sizeof db, dir, "badreg.db");
    fixture_path(reg, sizeof reg, dir, "badreg.csv");
    char bad_check[19];
    snprintf(bad_check, sizeof bad_check, "%s", id2);
    bad_check[17] = bad_check[17] == '0' ? '1' : '0';
    FILE *fp = fopen(reg, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P001", "张伟", "1", "2018-03-01", "1", id1); /* line 2 ok */
    fprintf(fp, "P002,李娜,2,2018-05-02,110101,60,CHN,1,%s,00,2,110101,地址,0,1,0,0,0\n", id2);
    fprintf(fp, "P003,王芳,2,2018-07-07,110101,01,XYZ,1,%s,00,2,110101,地址,0,1,0,0,0\n", id3);
    fprintf(fp, "P004,王芳,x,2018-07-07,110101,01,CHN,1,%s,00,2,110101,地址,0,1,0,0,0\n", id4);
    fixture_registry_line(fp, "P005", "李娜", "2", "2018-05-02", "1", bad_check); /* warning */
    fputs("P006,短行,1\n", fp);
    fprintf(fp, "P007,周杰,1,2018-04-04,990101,01,CHN,1,%s,00,2,110101,地址,0,1,0,0,0\n", id7);
    fprintf(fp, "P008,周杰,1,2018-02-30,110101,01,CHN,1,%s,00,2,110101,地址,0,1,0,0,0\n", id7);
    fprintf(fp, ",无号,1,2018-02-03,110101,01,CHN,1,%s,00,2,110101,地址,0,1,0,0,0\n", id7);
    fclose(fp);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    struct fixture_diag d = {0};
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, fixture_diag_fn, &d, &rep),
                     XJL_OK);
    assert_int_equal(rep.rows, 9);
    assert_int_equal(rep.inserted, 2);
    assert_int_equal(rep.bad_rows, 7);
    assert_int_equal(d.count, 8); /* 7 bad rows and 1 warning */
    assert_int_equal(d.last_line, 10);
    size_t n = 0;
    assert_int_equal(xjl_intake_registry_count(ws, &n), XJL_OK);
    assert_int_equal(n, 2);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_registry_record(ws, "P005", &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "id_number"), bad_check);
    xjl_listing_free(t);
    assert_int_equal(xjl_intake_registry_record(ws, "P002", &t), XJL_ENOTFOUND);

    /* Each report names the line, the column and the value. */
    fixture_write(reg, FIXTURE_REGISTRY_HEADER
                  "P009,某某,1,2018-01-01,110101,57,CHN,1,,00,2,110101,地址,0,1,0,0,0\n");
    memset(&d, 0, sizeof d);
    assert_int_equal(xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, fixture_diag_fn, &d, &rep),
                     XJL_OK);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.last_line, 2);
    assert_string_equal(d.last_column, "民族码");
    assert_string_equal(d.last_value, "57");
    assert_non_null(strstr(d.last_message, "GB/T 3304"));

    /* No id column: nothing loads. */
    fixture_write(reg, "姓名,性别码,出生日期,身份证件类型码,身份证件号\n张伟,1,2018-03-01,1,\n");
    assert_int_equal(xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, NULL, NULL, &rep),
                     XJL_EFORMAT);
    /* the message lists every name the readers look for, as `index
     * update` does (it said "学前学籍ID, 学籍ID or id": record_id, ID and
     * 学前学籍id are taken too) */
    assert_non_null(strstr(xjl_errmsg(), "(学前学籍ID, 学前学籍id, 学籍ID, record_id, id, ID)"));
    assert_int_equal(xjl_intake_registry_count(ws, &n), XJL_OK);
    assert_int_equal(n, 2);
    xjl_workspace_close(ws);
}

static void test_registry_refresh(void **state)
{
    (void)state;
    xjl_workspace *ws = open_loaded("refresh.db");
    char reg[600];
    fixture_path(reg, sizeof reg, dir, "refresh.csv");
    FILE *fp = fopen(reg, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P001", "张伟", "1", "2018-03-01", "1", id1);
    fixture_registry_line(fp, "P002", "李娜", "2", "2018-05-02", "1", id2);
    fixture_registry_line(fp, "P003", "王芳", "2", "2018-07-08", "1", id3); /* date corrected */
    fixture_registry_line(fp, "P010", "新生", "1", "2018-08-08", "1", idx);
    fclose(fp);
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, reg, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.inserted, 1);
    size_t n = 0;
    assert_int_equal(xjl_intake_registry_count(ws, &n), XJL_OK);
    assert_int_equal(n, 8);
    /* The handle's index follows the refresh: 新生 is found now. */
    char roster[512];
    snprintf(roster, sizeof roster, FIXTURE_ROSTER_HEADER "新生,男,2018-08-08,居民身份证,%s\n",
             idx);
    assert_int_equal(xjl_school_set(ws, "S9", NULL, 0, NULL), XJL_OK);
    import_roster(ws, "S9", roster, &rep);
    assert_int_equal(rep.matched, 1);
    xjl_workspace_close(ws);
}

/* Rows a school types badly: never a crash, never a silent skip. */
static void test_bad_rows(void **state)
{
    (void)state;
    xjl_workspace *ws = open_loaded("badrows.db");
    char *roster = malloc(20000);
    char *longname = malloc(10001);
    memset(longname, 'X', 10000);
    longname[10000] = '\0';
    snprintf(roster, 20000,
             FIXTURE_ROSTER_HEADER "%s,男,2018-03-01,居民身份证,\n"
                                   "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "张伟,男,2018-03-01,户口簿,%s\n"
                                   "短行,男\n"
                                   ",女,2018-07-07,,\n",
             longname, id1, id1);
    xjl_load_report rep;
    struct fixture_diag d = {0};
    char path[600];
    fixture_path(path, sizeof path, dir, "badrows.csv");
    fixture_write(path, roster);
    assert_int_equal(xjl_intake_import(ws, "S1", path, XJL_ENC_UTF8, fixture_diag_fn, &d, &rep),
                     XJL_OK);
    assert_int_equal(rep.rows, 5);
    assert_int_equal(rep.bad_rows, 2); /* the short row, the second 张伟 (same citizen number) */
    assert_int_equal(d.count, 2);
    assert_int_equal(rep.inserted, 3);
    assert_int_equal(rep.matched, 1);
    assert_true(rep.errors >= 2);
    int64_t bad = row_of(ws, "S1", "");
    assert_true(bad > 0);
    assert_int_equal(status_of(ws, bad), XJL_ROW_ERROR);
    assert_int_equal(xjl_intake_supplement_save(ws, bad), XJL_ESTATE);
    xjl_record fix = {.name = "王芳",
                      .gender = "女",
                      .birth_date = "2018-07-07",
                      .id_type = "1",
                      .id_number = id3};
    xjl_row_status st;
    assert_int_equal(xjl_intake_edit(ws, bad, &fix, &st), XJL_OK);
    assert_int_equal(st, XJL_ROW_MATCHED);
    /* One row added through the API. */
    int64_t added = 0;
    xjl_record rec = {.name = "李娜",
                      .gender = "2",
                      .birth_date = "2018-05-02",
                      .id_type = "1",
                      .id_number = id2};
    assert_int_equal(xjl_intake_add(ws, "S1", &rec, &added, &st), XJL_OK);
    assert_int_equal(st, XJL_ROW_MATCHED);
    assert_int_equal(xjl_intake_add(ws, "S1", &rec, &added, &st), XJL_EDUPLICATE);
    /* Invalid UTF-8 through the API: an error row, kept. */
    xjl_record broken = {.name = "\xff\xfe", .gender = "1", .birth_date = "2018-01-01"};
    assert_int_equal(xjl_intake_add(ws, "S1", &broken, &added, &st), XJL_OK);
    assert_int_equal(st, XJL_ROW_ERROR);
    free(longname);
    free(roster);
    xjl_workspace_close(ws);
}

static void test_status_names(void **state)
{
    (void)state;
    for (int s = 0; s <= XJL_ROW_CONFIRMED; s++) {
        xjl_row_status out;
        assert_int_equal(xjl_row_status_parse(xjl_row_status_name(s), &out), XJL_OK);
        assert_int_equal(out, s);
        assert_int_equal(xjl_row_status_parse(xjl_row_status_label_zh(s), &out), XJL_OK);
        assert_int_equal(out, s);
    }
    xjl_row_status out;
    assert_int_equal(xjl_row_status_parse("bogus", &out), XJL_EINVAL);
    assert_string_equal(xjl_row_status_name(42), "unknown");
}

/* The database work (thousands of VM instructions) of importing a list of
 * three registered children into a workspace whose other school has
 * `others` rows already. */
static uint64_t matched_import_work(size_t others)
{
    char name[64];
    snprintf(name, sizeof name, "holders%zu.db", others);
    xjl_workspace *ws = open_loaded(name);
    size_t cap = others * 128 + 256, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text, cap, FIXTURE_ROSTER_HEADER);
    for (size_t i = 0; i < others; i++) {
        int m = 1 + (int)(i % 12), d = 1 + (int)(i / 12 % 28), seq = (int)(i / 336);
        char id[19];
        fixture_id(id, 110105, 2016, m, d, seq);
        len += (size_t)snprintf(text + len, cap - len, "孙丽,%s,2016-%02d-%02d,居民身份证,%s\n",
                                seq % 2 ? "男" : "女", m, d, id);
        assert_true(len < cap);
    }
    xjl_load_report rep;
    import_roster(ws, "S2", text, &rep);
    assert_int_equal(rep.inserted, others);
    free(text);
    char roster[1024];
    snprintf(roster, sizeof roster,
             FIXTURE_ROSTER_HEADER "张伟,男,2018-03-01,居民身份证,%s\n"
                                   "李娜,女,2018-05-02,居民身份证,%s\n"
                                   "赵敏,女,2018-09-09,居民身份证,%s\n",
             id1, id2, id6);
    uint64_t before = xjl__store_work(xjl__ws_store(ws));
    import_roster(ws, "S1", roster, &rep);
    uint64_t work = xjl__store_work(xjl__ws_store(ws)) - before;
    assert_int_equal(rep.matched, 3);
    xjl_workspace_close(ws);
    return work;
}

/* Whether another school holds a matched record was answered by reading
 * every intake row of the workspace, for every matched row: an import cost
 * what the whole intake holds.  Importing three matched children next to
 * 3,000 rows may cost at most 1.5 times what it costs next to 300. */
static void test_import_cost_follows_the_list(void **state)
{
    (void)state;
    uint64_t small = matched_import_work(300), large = matched_import_work(3000);
    if (large * 2 > small * 3)
        fail_msg("importing 3 rows: %llu thousand instructions next to 300 rows, %llu next "
                 "to 3,000",
                 (unsigned long long)small, (unsigned long long)large);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reimport_without_id),
        cmocka_unit_test(test_scenario),
        cmocka_unit_test(test_refuse_empty_registry),
        cmocka_unit_test(test_refuse_edit_matched),
        cmocka_unit_test(test_refuse_confirm_and_none),
        cmocka_unit_test(test_refuse_delete),
        cmocka_unit_test(test_refuse_supplement),
        cmocka_unit_test(test_refuse_review_steps),
        cmocka_unit_test(test_duplicate_formal_number),
        cmocka_unit_test(test_findings_hold_the_number),
        cmocka_unit_test(test_same_passport_twice),
        cmocka_unit_test(test_number_held_elsewhere),
        cmocka_unit_test(test_return_needs_a_change),
        cmocka_unit_test(test_supplement_is_one_step),
        cmocka_unit_test(test_policy_hooks),
        cmocka_unit_test(test_registry_bad_values),
        cmocka_unit_test(test_registry_refresh),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_refusals_and_audit_in_both_languages),
        cmocka_unit_test(test_import_cost_follows_the_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
