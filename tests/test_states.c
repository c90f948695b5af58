/* The workflows' state machines (lib/workspace/states.c): the table in the
 * docs is the table in the code, and the steps do what the table says.  A
 * walk takes every (state, action) pair of an intake row and of an admission
 * flow through the public API: the allowed ones succeed and reach the
 * table's state, all others are refused with XJL_ESTATE and a message that
 * names the state.  The smaller flows are walked on the table itself.
 *
 * `test_states --render` prints the docs' tables as the code has them. */
#include "workspace/workspace.h"
#include "workflow_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define YEAR 2025

static char dir[512];
static int serial; /* a fresh school or file per case */

/* ---- the docs' tables ------------------------------------------------------------- */

static const char *const by_names[] = {"", "school", "authority"};

/* The markdown table of one flow, between its markers. */
static void render(enum xjl__flow flow, char *out, size_t cap)
{
    size_t n = 0, used = 0;
    const struct xjl__step *steps = xjl__steps(&n);
    bool row = flow == XJL__FLOW_ROW;
    used += (size_t)snprintf(out + used, cap - used,
                             "<!-- state table %s: generated from lib/workspace/states.c, "
                             "checked by tests/test_states.c -->\n"
                             "| From | Action | To | By |%s When |\n|---|---|---|---|%s---|\n",
                             xjl__flow_name(flow), row ? " Match status |" : "", row ? "---|" : "");
    for (size_t i = 0; i < n && used < cap; i++) {
        const struct xjl__step *s = &steps[i];
        if (s->flow != flow)
            continue;
        const struct xjl__action *a = xjl__action_find(flow, s->action);
        assert_non_null(a);
        char statuses[160] = "";
        size_t su = 0;
        if (row && !s->statuses)
            snprintf(statuses, sizeof statuses, "any");
        for (int st = 0; row && s->statuses && st <= XJL_ROW_CONFIRMED; st++)
            if (s->statuses & (1u << st))
                su += (size_t)snprintf(statuses + su, sizeof statuses - su, "%s%s", su ? ", " : "",
                                       xjl_row_status_name(st));
        used += (size_t)snprintf(
            out + used, cap - used, "| %s | %s | %s | %s |%s%s%s %s |\n",
            xjl__state_name(flow, s->from), s->action,
            s->to == XJL__STATE_STAYS ? "(stays)" : xjl__state_name(flow, s->to), by_names[a->by],
            row ? " " : "", statuses, row ? " |" : "", s->when ? s->when : "—");
    }
    snprintf(out + used, cap - used, "<!-- end of state table %s -->\n", xjl__flow_name(flow));
}

static char *read_doc(void)
{
    const char *root = getenv("XJL_SOURCE_ROOT");
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/workflows.md", root && *root ? root : ".");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot read %s", path);
    static char text[200000];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    return text;
}

static void test_docs_show_the_table(void **state)
{
    (void)state;
    const char *doc = read_doc();
    for (int f = 0; f < XJL__FLOW_COUNT; f++) {
        static char want[20000];
        render((enum xjl__flow)f, want, sizeof want);
        if (!strstr(doc, want))
            fail_msg("docs/workflows.md does not show the %s table as the code has it; "
                     "replace its table by:\n%s",
                     xjl__flow_name((enum xjl__flow)f), want);
    }
}

/* ---- the table on its own ---------------------------------------------------------- */

/* The pairs each flow allows, written out here apart from the code's table:
 * a change of either is a change of the workflow, made in both. */
static const struct {
    enum xjl__flow flow;
    const char *allowed; /* "state:action" separated by spaces */
} expected[] = {
    {XJL__FLOW_KEY_CHANGE, "open:approve open:reject"},
    {XJL__FLOW_REGISTRATION, "proof:proof proof:decide queued:export-check checking:import-check"},
    {XJL__FLOW_QUOTA, "open:approve open:reject"},
    {XJL__FLOW_GRADUATE, "archived:restore in_pool:delete archived:delete"},
};

static void test_small_flows(void **state)
{
    (void)state;
    size_t na = 0;
    const struct xjl__action *actions = xjl__actions(&na);
    for (size_t e = 0; e < XJL_ARRAY_LEN(expected); e++) {
        enum xjl__flow flow = expected[e].flow;
        for (int s = 0; strcmp(xjl__state_name(flow, s), "unknown") != 0; s++) {
            assert_int_equal(xjl__state_parse(flow, xjl__state_name(flow, s)), s);
            for (size_t a = 0; a < na; a++) {
                if (actions[a].flow != flow)
                    continue;
                char pair[96];
                snprintf(pair, sizeof pair, "%s:%s", xjl__state_name(flow, s), actions[a].name);
                const char *hit = strstr(expected[e].allowed, pair);
                size_t len = strlen(pair);
                bool allowed = hit && (hit[len] == ' ' || hit[len] == '\0') &&
                               (hit == expected[e].allowed || hit[-1] == ' ');
                int rc = xjl__step_check(flow, s, -1, actions[a].name, "request", 7, NULL);
                if (allowed) {
                    assert_int_equal(rc, XJL_OK);
                } else {
                    if (rc != XJL_ESTATE)
                        fail_msg("%s %s: %d", xjl__flow_name(flow), pair, rc);
                    assert_non_null(strstr(xjl_errmsg(), "request 7"));
                    assert_non_null(strstr(xjl_errmsg(), xjl__state_name(flow, s)));
                }
            }
        }
    }
    /* A state the table does not know is refused, never taken for another. */
    assert_int_equal(xjl__step_check(XJL__FLOW_QUOTA, -1, -1, "approve", "quota request", 3, NULL),
                     XJL_ESTATE);
    assert_int_equal(xjl__state_parse(XJL__FLOW_QUOTA, "opened"), -1);
    assert_int_equal(xjl__step_check(XJL__FLOW_QUOTA, 0, -1, "fly", "quota request", 3, NULL),
                     XJL_EINVAL);
}

/* One (state, action) pair walked: an allowed step succeeded and reached a
 * state the table lists for the pair; any other was refused with
 * XJL_ESTATE, changed nothing, and its message names the state (or, when
 * also is given, that word; NULL: the message is the whole list's). */
static void check_outcome(enum xjl__flow flow, const char *before, const char *action,
                          const char *after, int rc, bool allowed, const char *also)
{
    if (allowed) {
        if (rc != XJL_OK)
            fail_msg("%s %s, %s: refused: %s", before, xjl__flow_name(flow), action, xjl_errmsg());
        size_t n = 0;
        const struct xjl__step *steps = xjl__steps(&n);
        bool listed = false;
        for (size_t i = 0; i < n; i++)
            if (steps[i].flow == flow &&
                strcmp(xjl__state_name(flow, steps[i].from), before) == 0 &&
                strcmp(steps[i].action, action) == 0)
                listed |=
                    strcmp(steps[i].to == XJL__STATE_STAYS ? before
                                                           : xjl__state_name(flow, steps[i].to),
                           after) == 0;
        if (!listed)
            fail_msg("%s %s, %s: reached %s, which the table does not list", before,
                     xjl__flow_name(flow), action, after);
        return;
    }
    if (rc != XJL_ESTATE)
        fail_msg("%s %s, %s: %d (%s), not refused", before, xjl__flow_name(flow), action, rc,
                 xjl_errmsg());
    if (also && !strstr(xjl_errmsg(), before) && !(*also && strstr(xjl_errmsg(), also)))
        fail_msg("%s %s, %s: the refusal does not name the state: %s", before, xjl__flow_name(flow),
                 action, xjl_errmsg());
    assert_string_equal(after, before);
}

/* ---- an intake row, walked ----------------------------------------------------------- */

static const char *const row_actions[] = {
    "edit",   "confirm",    "none",   "supplement", "supplement-done", "delete",
    "submit", "key-change", "return", "override",   "approve"};

/* What each state of a not-found row takes (the pupil has no citizen
 * number: approval gives an L number, which may be deleted). */
static const struct {
    const char *state;
    const char *allowed;
} row_expected[] = {
    {"open", " edit supplement supplement-done delete submit "},
    {"submitted", " return override approve "},
    {"returned", " edit supplement supplement-done delete "},
    {"approved", " delete key-change "},
    {"deleted", " "},
};

struct rowcase {
    xjl_workspace *ws;
    char school[16];
    int64_t row;
};

static void row_supplement_done(xjl_workspace *ws, int64_t row)
{
    const xjl_sfield f[3] = {XJL_SF_ETHNICITY, XJL_SF_NATIONALITY, XJL_SF_HMT};
    const char *v[3] = {"01", "CHN", "00"};
    assert_int_equal(xjl_intake_supplement_update(ws, row, f, v, 3), XJL_OK);
    assert_int_equal(xjl_intake_supplement_save(ws, row), XJL_OK);
}

/* A workspace with a small registry and a school whose one row is in the
 * state asked for (supplemented: its supplement done first). */
static void row_in(struct rowcase *c, const char *state, const char *roster_line, bool supplemented)
{
    char db[600], reg[600], roster[600];
    snprintf(db, sizeof db, "%s/row%d.db", dir, ++serial);
    fixture_path(reg, sizeof reg, dir, "registry.csv");
    fixture_path(roster, sizeof roster, dir, "roster.csv");
    char id1[19];
    fixture_id(id1, 110101, 2018, 3, 1, 11);
    FILE *fp = fopen(reg, "wb");
    assert_non_null(fp);
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P001", "张伟", "1", "2018-03-01", "1", id1);
    fixture_registry_line(fp, "P003", "王芳", "2", "2018-07-07", "1", "");
    fixture_registry_line(fp, "P004", "王芳", "2", "2018-07-07", "1", "");
    fclose(fp);
    assert_int_equal(xjl_workspace_open(&c->ws, db), XJL_OK);
    assert_int_equal(xjl_intake_load_registry(c->ws, reg, XJL_ENC_AUTO, NULL, NULL, NULL), XJL_OK);
    snprintf(c->school, sizeof c->school, "W%d", serial);
    assert_int_equal(xjl_school_set(c->ws, c->school, "走查小学", 110101, NULL), XJL_OK);
    char text[512];
    snprintf(text, sizeof text, FIXTURE_ROSTER_HEADER "%s\n", roster_line);
    fixture_write(roster, text);
    assert_int_equal(xjl_intake_import(c->ws, c->school, roster, XJL_ENC_AUTO, NULL, NULL, NULL),
                     XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_list(c->ws, c->school, -1, &t), XJL_OK);
    assert_int_equal(xjl_listing_rows(t), 1);
    c->row = xjl_listing_int(t, 0, "id");
    xjl_listing_free(t);
    if (supplemented)
        row_supplement_done(c->ws, c->row);
    if (strcmp(state, "open") == 0)
        return;
    if (strcmp(state, "deleted") == 0) {
        assert_int_equal(xjl_intake_delete(c->ws, c->row, "walk"), XJL_OK);
        return;
    }
    assert_int_equal(xjl_intake_submit(c->ws, c->school, NULL), XJL_OK);
    if (strcmp(state, "returned") == 0)
        assert_int_equal(xjl_intake_return(c->ws, c->row, "walk"), XJL_OK);
    if (strcmp(state, "approved") == 0) {
        size_t ok = 0;
        assert_int_equal(xjl_intake_approve(c->ws, c->school, &ok, NULL, NULL), XJL_OK);
        assert_int_equal(ok, 1);
    }
}

static int row_act(struct rowcase *c, const char *action)
{
    xjl_record rec = {.name = "孙悟饭"};
    size_t n = 0;
    if (strcmp(action, "edit") == 0)
        return xjl_intake_edit(c->ws, c->row, &rec, NULL);
    if (strcmp(action, "confirm") == 0)
        return xjl_intake_confirm(c->ws, c->row, "P003");
    if (strcmp(action, "none") == 0)
        return xjl_intake_declare_none(c->ws, c->row);
    if (strcmp(action, "supplement") == 0)
        return xjl_intake_supplement_set(c->ws, c->row, XJL_SF_ADDRESS, "北京市东城区某街9号");
    if (strcmp(action, "supplement-done") == 0)
        return xjl_intake_supplement_save(c->ws, c->row);
    if (strcmp(action, "delete") == 0)
        return xjl_intake_delete(c->ws, c->row, "walk");
    if (strcmp(action, "submit") == 0) {
        int rc = xjl_intake_submit(c->ws, c->school, &n);
        assert_true(rc != XJL_OK || n == 1);
        return rc;
    }
    if (strcmp(action, "key-change") == 0)
        return xjl_intake_request_key_change(c->ws, c->row, XJL_SF_NAME, "孙悟饭", "改名", NULL);
    if (strcmp(action, "return") == 0)
        return xjl_intake_return(c->ws, c->row, "walk");
    if (strcmp(action, "override") == 0)
        return xjl_intake_override(c->ws, c->row, "walk");
    if (strcmp(action, "approve") == 0)
        return xjl_intake_approve(c->ws, c->school, &n, NULL, NULL);
    fail_msg("no such action %s", action);
    return XJL_EINVAL;
}

/* The row's review stage as a listing shows it ("deleted" once deleted). */
static void row_review(struct rowcase *c, char *out, size_t cap)
{
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_list(c->ws, c->school, -1, &t), XJL_OK);
    snprintf(out, cap, "%s", xjl_listing_rows(t) ? xjl_listing_value(t, 0, "review") : "deleted");
    xjl_listing_free(t);
}

static void test_row_walk(void **state)
{
    (void)state;
    for (size_t s = 0; s < XJL_ARRAY_LEN(row_expected); s++) {
        for (size_t a = 0; a < XJL_ARRAY_LEN(row_actions); a++) {
            struct rowcase c;
            row_in(&c, row_expected[s].state, "孙悟空,男,2018-08-08,护照,E99999999", true);
            char before[32], after[32], word[40];
            row_review(&c, before, sizeof before);
            assert_string_equal(before, row_expected[s].state);
            snprintf(word, sizeof word, " %s ", row_actions[a]);
            bool allowed = strstr(row_expected[s].allowed, word) != NULL;
            int rc = row_act(&c, row_actions[a]);
            row_review(&c, after, sizeof after);
            /* A refused submit or approve names the school's rows, not this one's state. */
            bool whole_school =
                strcmp(row_actions[a], "submit") == 0 || strcmp(row_actions[a], "approve") == 0;
            check_outcome(XJL__FLOW_ROW, before, row_actions[a], after, rc, allowed,
                          whole_school ? NULL : "not_found");
            xjl_workspace_close(c.ws);
        }
    }
}

/* The match status decides too: an open row of each status, each step that
 * looks at the status. */
static void test_row_status_walk(void **state)
{
    (void)state;
    static const struct {
        const char *line; /* the pupil */
        xjl_row_status status;
        const char *allowed;
    } cases[] = {
        {"张伟,男,2018-03-01,居民身份证,%s", XJL_ROW_MATCHED, " supplement "},
        {"王芳,女,2018-07-07,其他,", XJL_ROW_PENDING, " edit confirm none "},
        {"孙悟空,男,2018-08-08,护照,E99999999", XJL_ROW_NOT_FOUND, " edit supplement "},
    };
    static const char *const acts[] = {"edit", "confirm", "none", "supplement"};
    char id1[19];
    fixture_id(id1, 110101, 2018, 3, 1, 11);
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        for (size_t a = 0; a < XJL_ARRAY_LEN(acts); a++) {
            struct rowcase c;
            char line[256];
            snprintf(line, sizeof line, cases[k].line, id1);
            row_in(&c, "open", line, false);
            xjl_row_status st = XJL_ROW_ERROR;
            assert_int_equal(xjl_intake_status(c.ws, c.row, &st), XJL_OK);
            assert_int_equal(st, cases[k].status);
            char word[40];
            snprintf(word, sizeof word, " %s ", acts[a]);
            int rc = row_act(&c, acts[a]);
            if (strstr(cases[k].allowed, word)) {
                if (rc != XJL_OK)
                    fail_msg("%s row, %s: %s", xjl_row_status_name(st), acts[a], xjl_errmsg());
            } else {
                if (rc != XJL_ESTATE)
                    fail_msg("%s row, %s: %d, not refused", xjl_row_status_name(st), acts[a], rc);
                assert_non_null(strstr(xjl_errmsg(), xjl_row_status_name(st)));
            }
            xjl_workspace_close(c.ws);
        }
    }
}

/* ---- an admission flow, walked ----------------------------------------------------------- */

static const char *const adm_actions[] = {"continue",         "cancel",          "delete",
                                          "transfer-archive", "school-transfer", "resolve-keep",
                                          "resolve-cancel",   "review-approve",  "review-reject"};

static const struct {
    const char *state;
    const char *allowed;
} adm_expected[] = {
    {"pending", " continue cancel resolve-keep resolve-cancel "},
    {"admitted",
     " cancel transfer-archive resolve-keep resolve-cancel review-approve review-reject "},
    {"cancelled", " delete "},
    {"done", " school-transfer resolve-keep review-approve "},
    {"moved", " "},
    {"deleted", " "},
};

struct admcase {
    xjl_workspace *ws;
    char number[24];
    int64_t flow, other; /* the flow walked; a live flow of the same pupil at V1, or 0 */
};

static void admit(struct admcase *c, const char *school, int64_t *flow)
{
    int64_t conflict = 0;
    assert_int_equal(xjl_enrol_assign(c->ws, school, YEAR, c->number), XJL_OK);
    assert_int_equal(
        xjl_enrol_admit(c->ws, school, YEAR, c->number, XJL_ROUTE_UNIFIED, flow, &conflict),
        XJL_OK);
}

static void adm_in(struct admcase *c, const char *state, bool with_other)
{
    char db[600], csv[600], id[19];
    snprintf(db, sizeof db, "%s/adm%d.db", dir, ++serial);
    fixture_path(csv, sizeof csv, dir, "graduates.csv");
    fixture_id(id, 110101, 2010, 2, 2, 81);
    snprintf(c->number, sizeof c->number, "G%s", id);
    char text[512];
    snprintf(text, sizeof text,
             "学籍号,姓名,性别,出生日期,身份证件类型,身份证件号,学校,区县码,学段,"
             "是否毕业,是否注销\n%s,陈晨,男,2010-02-02,居民身份证,%s,某中学,110101,初中,1,0\n",
             c->number, id);
    fixture_write(csv, text);
    c->ws = NULL;
    assert_int_equal(xjl_workspace_open(&c->ws, db), XJL_OK);
    assert_int_equal(xjl_enrol_load_graduates(c->ws, csv, XJL_ENC_AUTO, NULL, NULL, NULL), XJL_OK);
    static const struct {
        const char *code;
        xjl_school_kind kind;
    } schools[] = {
        {"H1", XJL_SCHOOL_SENIOR}, {"H2", XJL_SCHOOL_SENIOR}, {"V1", XJL_SCHOOL_VOCATIONAL}};
    for (size_t i = 0; i < XJL_ARRAY_LEN(schools); i++) {
        assert_int_equal(xjl_school_set(c->ws, schools[i].code, schools[i].code, 110101, NULL),
                         XJL_OK);
        assert_int_equal(xjl_school_set_kind(c->ws, schools[i].code, schools[i].kind), XJL_OK);
        assert_int_equal(xjl_enrol_set_quota(c->ws, schools[i].code, YEAR, 5), XJL_OK);
    }
    c->other = 0;
    if (strcmp(state, "pending") == 0) {
        admit(c, "V1", &c->other);
        admit(c, "H1", &c->flow);
        return;
    }
    admit(c, "H1", &c->flow);
    if (strcmp(state, "cancelled") == 0 || strcmp(state, "deleted") == 0)
        assert_int_equal(xjl_enrol_cancel(c->ws, c->flow, "walk"), XJL_OK);
    if (strcmp(state, "deleted") == 0)
        assert_int_equal(xjl_enrol_delete(c->ws, c->flow), XJL_OK);
    if (strcmp(state, "done") == 0 || strcmp(state, "moved") == 0)
        assert_int_equal(xjl_enrol_transfer_archive(c->ws, c->flow), XJL_OK);
    int64_t moved = 0;
    if (strcmp(state, "moved") == 0)
        assert_int_equal(xjl_enrol_school_transfer(c->ws, c->flow, "H2", &moved), XJL_OK);
    if (with_other)
        admit(c, "V1", &c->other);
}

static int adm_act(struct admcase *c, const char *action)
{
    int64_t moved = 0;
    if (strcmp(action, "continue") == 0)
        return xjl_enrol_continue(c->ws, c->flow);
    if (strcmp(action, "cancel") == 0)
        return xjl_enrol_cancel(c->ws, c->flow, "walk");
    if (strcmp(action, "delete") == 0)
        return xjl_enrol_delete(c->ws, c->flow);
    if (strcmp(action, "transfer-archive") == 0)
        return xjl_enrol_transfer_archive(c->ws, c->flow);
    if (strcmp(action, "school-transfer") == 0)
        return xjl_enrol_school_transfer(c->ws, c->flow, "H2", &moved);
    if (strcmp(action, "resolve-keep") == 0)
        return xjl_enrol_resolve_double(c->ws, c->flow, c->other, "walk");
    if (strcmp(action, "resolve-cancel") == 0)
        return xjl_enrol_resolve_double(c->ws, c->other, c->flow, "walk");
    if (strcmp(action, "review-approve") == 0)
        return xjl_enrol_review(c->ws, c->flow, XJL_SCHOOL_SENIOR, 1, NULL);
    if (strcmp(action, "review-reject") == 0)
        return xjl_enrol_review(c->ws, c->flow, XJL_SCHOOL_SENIOR, 0, "walk");
    fail_msg("no such action %s", action);
    return XJL_EINVAL;
}

static void adm_state(struct admcase *c, char *out, size_t cap)
{
    xjl_listing *t = NULL;
    assert_int_equal(xjl_enrol_admission(c->ws, c->flow, &t), XJL_OK);
    bool deleted = strcmp(xjl_listing_value(t, 0, "deleted"), "1") == 0;
    snprintf(out, cap, "%s", deleted ? "deleted" : xjl_listing_value(t, 0, "state"));
    xjl_listing_free(t);
}

static void test_admission_walk(void **state)
{
    (void)state;
    for (size_t s = 0; s < XJL_ARRAY_LEN(adm_expected); s++) {
        for (size_t a = 0; a < XJL_ARRAY_LEN(adm_actions); a++) {
            struct admcase c;
            bool resolve = strncmp(adm_actions[a], "resolve", 7) == 0;
            adm_in(&c, adm_expected[s].state, resolve);
            char before[32], after[32], word[40];
            adm_state(&c, before, sizeof before);
            assert_string_equal(before, adm_expected[s].state);
            snprintf(word, sizeof word, " %s ", adm_actions[a]);
            bool allowed = strstr(adm_expected[s].allowed, word) != NULL;
            int rc = adm_act(&c, adm_actions[a]);
            adm_state(&c, after, sizeof after);
            check_outcome(XJL__FLOW_ADMISSION, before, adm_actions[a], after, rc, allowed, "");
            xjl_workspace_close(c.ws);
        }
    }
}

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

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--render") == 0) {
        for (int f = 0; f < XJL__FLOW_COUNT; f++) {
            static char text[20000];
            render((enum xjl__flow)f, text, sizeof text);
            printf("%s\n", text);
        }
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_show_the_table),
        cmocka_unit_test(test_small_flows),
        cmocka_unit_test(test_row_walk),
        cmocka_unit_test(test_row_status_walk),
        cmocka_unit_test(test_admission_walk),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
