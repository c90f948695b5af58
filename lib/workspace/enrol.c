/*
 * enrol.c: secondary enrolment (高中招生学籍接续, docs/domain.md §2) over the
 * workspace: the pool of graduates of the previous stage, quotas and their
 * change requests, admission flows with the double-admission warning, the
 * irreversible archive transfer (调档), school transfers, statistics, and
 * the cross-system double-admission check with the full matcher.
 *
 * An admission flow is a row of its own that refers to the graduate record
 * it continues; its states:
 *   pending   (double admission warned, waiting for 是/否; holds a place)
 *   admitted  (录取)
 *   cancelled (否, or cancelled later; must be deleted before a new flow)
 *   done      (调档 done: final, only a school transfer moves the pupil)
 *   moved     (left by a school transfer)
 */
#include "workspace/workspace.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

static bool live(int state)
{
    return state == XJL__ADM_PENDING || state == XJL__ADM_ADMITTED || state == XJL__ADM_DONE;
}

static int check_year(int year)
{
    if (year < 2000 || year > 2100)
        return xjl__failm(XJL_EINVAL, "ws.enrol.year_range", year);
    return XJL_OK;
}

static int need(const char *s, const char *what)
{
    if (!s || !*s)
        return xjl__failm(XJL_EINVAL, "ws.enrol.required", what);
    return XJL_OK;
}

/* Runs the tail of a step: audit, commit, or rollback on failure. */
static int finish(struct xjl_store *st, int rc, const char *action, const char *object, int64_t id,
                  const char *detail)
{
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, action, object, id, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK)
        xjl__store_rollback(st);
    return rc;
}

/* ---- schools ---------------------------------------------------------------- */

XJL_API int xjl_school_set_kind(xjl_workspace *ws, const char *school, xjl_school_kind kind)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_school_set_kind");
    int rc = need(school, xjl__msg("ws.enrol.need.school"));
    if (rc != XJL_OK)
        return rc;
    if (kind < XJL_SCHOOL_PRIMARY || kind > XJL_SCHOOL_VOCATIONAL)
        return xjl__failm(XJL_EINVAL, "ws.enrol.not_kind", school, (int)kind);
    /* in scope as a quota or an assigned list of the same school is */
    if ((rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.setting_a_school_s_kind"))) !=
            XJL_OK ||
        (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    /* Changing the kind of a school that holds admissions would move them
     * out of (or into) the senior/中职 pair the double-admission check reads. */
    int32_t region = 0;
    int old = 0;
    bool exists = false;
    int64_t held = 0;
    if ((rc = xjl__store_school_info(st, school, &region, &old, &exists)) == XJL_OK && exists &&
        old != (int)kind && (rc = xjl__store_school_live(st, school, &held)) == XJL_OK && held)
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.kind_held", school, xjl__kind_label(old),
                        (long long)held, xjl__kind_label(kind));
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.school_kind", school,
                xjl__stored_word((char[64]){0}, 64, "value.", xjl_school_kind_name(kind)));
    if (rc == XJL_OK)
        rc = xjl__store_school_kind_set(st, school, kind);
    return finish(st, rc, "school-kind", "school", 0, detail);
}

/* ---- the graduate pool -------------------------------------------------------- */

static const char *const number_cols[] = {"学籍号", "全国学籍号", "全国学籍号码", "number",
                                          "student_number"};
static const char *const school_cols[] = {"学校", "毕业学校", "学校名称", "school"};
static const char *const region_cols[] = {"区县码", "区县", "所在区县码", "region"};
static const char *const stage_cols[] = {"学段", "毕业学段", "stage"};
static const char *const graduated_cols[] = {"是否毕业", "毕业", "graduated"};
static const char *const archived_cols[] = {"是否注销", "注销", "archived"};

static int column_of(const xjl_csv *csv, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = xjl_csv_column(csv, names[i]);
        if (c >= 0)
            return c;
    }
    return -1;
}

#define COLUMN(csv, names) column_of((csv), (names), XJL_ARRAY_LEN(names))

/* 0/1 and what people write for them; -1 if it is neither. */
static int flag_of(const char *v)
{
    static const char *const yes[] = {"1", "是", "y", "Y", "yes", "true", "已毕业", "已注销"};
    static const char *const no[] = {"0", "否", "n", "N", "no", "false", "", "未毕业", "未注销"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(yes); i++)
        if (strcmp(v, yes[i]) == 0)
            return 1;
    for (size_t i = 0; i < XJL_ARRAY_LEN(no); i++)
        if (strcmp(v, no[i]) == 0)
            return 0;
    return -1;
}

/* The numbers a load has read, with their lines: a number twice in one
 * pool file is two rows for one record, and the second would overwrite the
 * first unseen (often another pupil's, from a typing slip), so it is
 * refused.  Open addressing on XXH3 of the number; the numbers are 19
 * characters (graduate_row() checks it before asking). */
struct seen_numbers {
    struct seen {
        char number[20];
        long line;
    } * slot;
    size_t cap, n; /* cap a power of two, or 0 */
};

/* The line number already holds, or 0 after adding it with line; -1 out
 * of memory. */
static long seen_before(struct seen_numbers *t, const char *number, long line)
{
    if (2 * (t->n + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        struct seen *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i].number[0])
                continue;
            size_t k = (size_t)XXH3_64bits(t->slot[i].number, 19) & (cap - 1);
            while (slot[k].number[0])
                k = (k + 1) & (cap - 1);
            slot[k] = t->slot[i];
        }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t k = (size_t)XXH3_64bits(number, 19) & (t->cap - 1);
    for (; t->slot[k].number[0]; k = (k + 1) & (t->cap - 1))
        if (memcmp(t->slot[k].number, number, 19) == 0)
            return t->slot[k].line;
    memcpy(t->slot[k].number, number, 19);
    t->slot[k].line = line;
    t->n++;
    return 0;
}

struct grad_cols {
    int number, key[5], school, region, stage, graduated, archived;
    struct seen_numbers seen;
};

/* Reads one graduate row; false (after reporting) if it must not load. */
static bool graduate_row(const xjl_csv *csv, const struct grad_cols *c, struct xjl_grad *g,
                         xjl_diag_fn diag, void *user)
{
    memset(g, 0, sizeof *g);
    size_t nlen = 0;
    const char *number = xjl_csv_field(csv, (size_t)c->number, &nlen);
    if (nlen != strlen(number)) {
        xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)c->number), number,
                      xjl__msg("ws.diag.nul"));
        return false;
    }
    /* G, J or L and 18 digits (the last may be X: a citizen number's check) */
    bool chars = nlen == 19 && strspn(number + 1, "0123456789") >= 17 &&
                 (isdigit((unsigned char)number[18]) || number[18] == 'X');
    if (!chars || (number[0] != 'G' && number[0] != 'J' && number[0] != 'L')) {
        xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)c->number), number,
                      xjl__msg("ws.diag.not_number"));
        return false;
    }
    g->number = strdup(number);
    static const xjl_sfield map[5] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE, XJL_SF_ID_TYPE,
                                      XJL_SF_ID_NUMBER};
    for (int i = 0; i < 5; i++) {
        size_t len = 0;
        const char *raw = xjl_csv_field(csv, (size_t)c->key[i], &len);
        char canon[700];
        if (len != strlen(raw) ||
            xjl_sfield_check(map[i], raw, canon, sizeof canon, NULL) != XJL_OK) {
            xjl__diag_row(diag, user, csv, xjl_sfield_label_zh(map[i]), raw,
                          len != strlen(raw) ? xjl__msg("ws.diag.nul") : xjl_errmsg());
            return false;
        }
        g->key[i] = canon[0] ? strdup(canon) : NULL;
    }
    if (c->school >= 0) {
        const char *v = xjl_csv_field(csv, (size_t)c->school, NULL);
        g->school = *v ? strdup(v) : NULL;
    }
    if (c->region >= 0) {
        const char *v = xjl_csv_field(csv, (size_t)c->region, NULL);
        char canon[32];
        if (*v && (xjl_sfield_check(XJL_SF_BIRTHPLACE, v, canon, sizeof canon, NULL) != XJL_OK ||
                   strlen(canon) != 6)) {
            xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)c->region), v,
                          xjl__msg("ws.diag.not_county"));
            return false;
        }
        g->region = *v ? (int32_t)strtol(canon, NULL, 10) : 0;
    }
    const char *stage = xjl_csv_field(csv, (size_t)c->stage, NULL);
    xjl_school_kind k;
    if (xjl_school_kind_parse(stage, &k) != XJL_OK ||
        (k != XJL_SCHOOL_PRIMARY && k != XJL_SCHOOL_JUNIOR)) {
        xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)c->stage), stage,
                      xjl__msg("ws.diag.not_stage"));
        return false;
    }
    g->stage = k;
    const int cols[2] = {c->graduated, c->archived};
    for (int i = 0; i < 2; i++) {
        const char *v = cols[i] >= 0 ? xjl_csv_field(csv, (size_t)cols[i], NULL) : "";
        int f = flag_of(v);
        if (f < 0) {
            xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)cols[i]), v,
                          xjl__msg("ws.diag.not_01"));
            return false;
        }
        if (i == 0)
            g->graduated = f;
        else
            g->archived = f;
    }
    return true;
}

static int graduate_load_row(void *ctx, struct xjl_store *st, const xjl_csv *csv, xjl_diag_fn diag,
                             void *user, xjl_load_report *r, int *outcome)
{
    (void)r;
    struct grad_cols *c = ctx;
    struct xjl_grad g;
    int rc = 1;
    if (graduate_row(csv, c, &g, diag, user)) {
        long first = seen_before(&c->seen, g.number, xjl_csv_line(csv));
        if (first < 0) {
            rc = xjl__failm(XJL_ENOMEM, "ws.out_of_memory");
        } else if (first > 0) {
            char msg[160];
            snprintf(msg, sizeof msg, xjl__msg("ws.diag.number_twice"), first);
            xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)c->number), g.number,
                          msg);
        } else {
            rc = xjl__store_grad_put(st, &g, xjl_csv_path(csv), xjl_csv_line(csv), outcome);
        }
    }
    xjl__grad_clear(&g);
    return rc;
}

/* After a load: the pupils it gave a second number (an L number's G one). */
static int graduates_loaded(void *ctx, struct xjl_store *st)
{
    (void)ctx;
    return xjl__store_grad_mark_shared(st);
}

XJL_API int xjl_enrol_load_graduates(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                     xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_load_graduates");
    int rc = xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.loading_the_graduate_pool"));
    if (rc != XJL_OK || (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK)
        return rc;
    xjl_csv *csv = NULL;
    rc = xjl_csv_open(&csv, path, enc);
    if (rc != XJL_OK)
        return rc;
    struct grad_cols c;
    c.number = COLUMN(csv, number_cols);
    c.school = COLUMN(csv, school_cols);
    c.region = COLUMN(csv, region_cols);
    c.stage = COLUMN(csv, stage_cols);
    c.graduated = COLUMN(csv, graduated_cols);
    c.archived = COLUMN(csv, archived_cols);
    if ((rc = xjl_csv_key_columns(csv, c.key)) != XJL_OK || c.number < 0 || c.stage < 0 ||
        c.graduated < 0) {
        if (rc == XJL_OK)
            rc = xjl__failm(XJL_EFORMAT, "ws.enrol.graduate_columns", path);
        xjl_csv_close(csv);
        return rc;
    }
    static const struct xjl_loader loader = {"graduates", "load-graduates", "pool",
                                             graduate_load_row, graduates_loaded};
    c.seen = (struct seen_numbers){0};
    rc = xjl__load_csv(xjl__ws_store(ws), csv, &loader, &c, diag, user, rep);
    free(c.seen.slot);
    return rc;
}

XJL_API int xjl_enrol_graduate(xjl_workspace *ws, const char *number, xjl_listing **out)
{
    if (!ws || !number || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_graduate");
    int rc = xjl__store_grad_table(xjl__ws_store(ws), number, out);
    if (rc == XJL_OK && xjl_listing_rows(*out) == 0) {
        xjl_listing_free(*out);
        *out = NULL;
        return xjl__failm(XJL_ENOTFOUND, "ws.no_graduate_number", number);
    }
    return rc;
}

/* Opens an authority step on one graduate. */
static int begin_graduate(xjl_workspace *ws, const char *number, struct xjl_grad *g)
{
    struct xjl_store *st = xjl__ws_store(ws);
    int rc = xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.changing_a_graduate_record"));
    if (rc != XJL_OK || (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK)
        return rc;
    char step[96];
    snprintf(step, sizeof step, "changing graduate record %s", number);
    rc = xjl__store_begin_as(st, step);
    if (rc != XJL_OK)
        return rc;
    if ((rc = xjl__store_grad_find(st, number, g)) != XJL_OK) {
        xjl__store_rollback(st);
        return rc;
    }
    /* in an authority's scope by the county of the graduate's school; one
     * without a county only in a province's (or with no role set) */
    if (g->region > 0 || ws->role != XJL_ROLE_PROVINCE)
        rc = xjl__ws_allow_region(ws, g->region, xjl__msg("ws.what.changing_a_graduate_record"));
    if (rc != XJL_OK) {
        xjl__store_rollback(st);
        xjl__grad_clear(g);
    }
    return rc;
}

/* The state table's word on (the graduate's state, action). */
static int graduate_step(const struct xjl_grad *g, const char *action)
{
    int state = g->deleted    ? XJL__GRAD_DELETED
                : g->archived ? XJL__GRAD_ARCHIVED
                              : XJL__GRAD_IN_POOL;
    return xjl__step_check(XJL__FLOW_GRADUATE, state, -1, action, "graduate", g->id, NULL);
}

/* msg NULL: the message set already (the state table's), copied first. */
static int refuse_graduate(xjl_workspace *ws, struct xjl_grad *g, int code, const char *msg)
{
    char set[600];
    snprintf(set, sizeof set, "%s", msg ? msg : xjl_errmsg());
    xjl__store_rollback(xjl__ws_store(ws));
    int rc =
        xjl__failm(code, "ws.enrol.graduate_refused", g->number, g->key[0] ? g->key[0] : "", set);
    xjl__grad_clear(g);
    return rc;
}

XJL_API int xjl_enrol_restore(xjl_workspace *ws, const char *number, const char *reason)
{
    if (!ws || !number)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_restore");
    struct xjl_grad g;
    int rc = begin_graduate(ws, number, &g);
    if (rc != XJL_OK)
        return rc;
    if ((rc = graduate_step(&g, "restore")) != XJL_OK)
        return refuse_graduate(ws, &g, rc, NULL);
    struct xjl_store *st = xjl__ws_store(ws);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.restored", g.number, reason ? reason : "");
    rc = xjl__store_grad_set_archived(st, g.id, false);
    rc = finish(st, rc, "restore", "graduate", g.id, detail);
    xjl__grad_clear(&g);
    return rc;
}

XJL_API int xjl_enrol_delete_graduate(xjl_workspace *ws, const char *number, const char *reason)
{
    if (!ws || !number)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_delete_graduate");
    struct xjl_grad g;
    int rc = begin_graduate(ws, number, &g);
    if (rc != XJL_OK)
        return rc;
    if ((rc = graduate_step(&g, "delete")) != XJL_OK)
        return refuse_graduate(ws, &g, rc, NULL);
    /* docs/domain.md §5: G and J numbers are formal (J: given after the
     * national check to a pupil without an ID number); only L is temporary */
    if (g.number[0] != 'L') {
        char msg[256];
        snprintf(msg, sizeof msg, xjl__msg("ws.enrol.graduate_formal"), g.number[0]);
        return refuse_graduate(ws, &g, XJL_ESTATE, msg);
    }
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_adm *adm = NULL;
    size_t n = 0;
    if ((rc = xjl__store_adm_of_grad(st, g.id, &adm, &n)) != XJL_OK) {
        xjl__store_rollback(st);
        xjl__grad_clear(&g);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (live(adm[i].state)) {
            char msg[256];
            snprintf(msg, sizeof msg, xjl__msg("ws.enrol.graduate_admitted"), adm[i].school,
                     (long long)adm[i].id);
            xjl__adm_free_list(adm, n);
            return refuse_graduate(ws, &g, XJL_ESTATE, msg);
        }
    xjl__adm_free_list(adm, n);
    char detail[700];
    xjl__stored(detail, sizeof detail, "ws.audit.graduate_deleted", reason ? reason : "", g.number,
                g.key[0] ? g.key[0] : "", g.key[2] ? g.key[2] : "", g.key[4] ? g.key[4] : "",
                g.school ? g.school : "");
    if ((rc = xjl__store_grad_delete(st, g.id)) == XJL_OK)
        rc = xjl__store_generation_bump(st, "pool");
    rc = finish(st, rc, "delete", "graduate", g.id, detail);
    xjl__grad_clear(&g);
    return rc;
}

/* ---- quotas --------------------------------------------------------------------- */

XJL_API int xjl_enrol_set_quota(xjl_workspace *ws, const char *school, int year, size_t quota)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_set_quota");
    int rc = need(school, xjl__msg("ws.enrol.need.school"));
    if (rc != XJL_OK || (rc = check_year(year)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.setting_a_quota"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    int64_t used = 0;
    if ((rc = xjl__store_school_ensure(st, school)) == XJL_OK &&
        (rc = xjl__store_quota_used(st, school, year, &used)) == XJL_OK && (int64_t)quota < used) {
        xjl__store_rollback(st);
        return xjl__failm(XJL_ESTATE, "ws.enrol.quota_too_small", school, (long long)used, year,
                          quota);
    }
    if (rc == XJL_OK)
        rc = xjl__store_quota_set(st, school, year, (int64_t)quota);
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.quota_set", school, year, quota);
    return finish(st, rc, "set-quota", "quota", year, detail);
}

XJL_API int xjl_enrol_quota(xjl_workspace *ws, const char *school, int year, size_t *quota,
                            size_t *used)
{
    if (!ws || !school)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_quota");
    struct xjl_store *st = xjl__ws_store(ws);
    int64_t q = 0, u = 0;
    bool exists = false;
    int rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.reading_a_quota"));
    if (rc == XJL_OK)
        rc = xjl__store_quota_get(st, school, year, &q, &exists);
    if (rc == XJL_OK && !exists)
        return xjl__failm(XJL_ENOTFOUND, "ws.enrol.no_quota", school, year);
    if (rc == XJL_OK)
        rc = xjl__store_quota_used(st, school, year, &u);
    if (rc == XJL_OK) {
        if (quota)
            *quota = (size_t)q;
        if (used)
            *used = (size_t)u;
    }
    return rc;
}

XJL_API int xjl_enrol_request_quota(xjl_workspace *ws, const char *school, int year,
                                    size_t new_quota, const char *reason, int64_t *request)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_request_quota");
    int rc = need(school, xjl__msg("ws.enrol.need.school"));
    if (rc != XJL_OK || (rc = check_year(year)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.requesting_a_quota"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "enrol")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    int64_t q = 0, open = 0, id = 0;
    bool exists = false;
    if ((rc = xjl__store_quota_get(st, school, year, &q, &exists)) == XJL_OK &&
        (rc = xjl__store_qreq_open(st, school, year, &open)) == XJL_OK) {
        if (!exists)
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.request_no_quota", school, year);
        else if ((int64_t)new_quota <= q)
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.request_not_larger", school, new_quota,
                            (long long)q);
        else if (open)
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.request_open", school, (long long)open, year);
    }
    if (rc == XJL_OK)
        rc = xjl__store_qreq_add(st, school, year, q, (int64_t)new_quota, reason, &id);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.quota_requested", school, year, (long long)q,
                new_quota, reason ? reason : "");
    rc = finish(st, rc, "request-quota", "quota_request", id, detail);
    if (rc == XJL_OK && request)
        *request = id;
    return rc;
}

XJL_API int xjl_enrol_decide_quota(xjl_workspace *ws, int64_t request, bool approve)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_decide_quota");
    struct xjl_store *st = xjl__ws_store(ws);
    int rc = xjl__store_begin(st);
    if (rc != XJL_OK)
        return rc;
    char *school = NULL, state[16] = "";
    int year = 0;
    int64_t requested = 0;
    if ((rc = xjl__store_qreq_get(st, request, &school, &year, &requested, state)) == XJL_OK) {
        int64_t now = 0;
        bool exists = false;
        if ((rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.deciding_a_quota_request"))) !=
                XJL_OK ||
            (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK)
            ;
        else if ((rc = xjl__step_check(XJL__FLOW_QUOTA, xjl__state_parse(XJL__FLOW_QUOTA, state),
                                       -1, approve ? "approve" : "reject", "quota request", request,
                                       NULL)) != XJL_OK)
            ; /* the table's message */
        else if (approve &&
                 (rc = xjl__store_quota_get(st, school, year, &now, &exists)) == XJL_OK && exists &&
                 now >= requested)
            /* The authority raised the quota since: approving the old request
             * would lower it. */
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.request_stale", (long long)request,
                            (long long)requested, school, year, (long long)now);
        else if (rc == XJL_OK &&
                 (rc = xjl__store_qreq_decide(st, request, approve ? "approved" : "rejected")) ==
                     XJL_OK &&
                 approve)
            rc = xjl__store_quota_set(st, school, year, requested);
    }
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.quota_decided", school ? school : "", year,
                (long long)requested,
                approve ? XJL_STORED_WORD "value.approved" : XJL_STORED_WORD "value.rejected");
    free(school);
    return finish(st, rc, approve ? "approve-quota" : "reject-quota", "quota_request", request,
                  detail);
}

XJL_API int xjl_enrol_quota_requests(xjl_workspace *ws, const char *school, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_quota_requests");
    int rc = xjl__store_qreq_table(xjl__ws_store(ws), school, out);
    if (rc == XJL_OK)
        xjl__ws_scope_listing(ws, *out, "school");
    return rc;
}

/* ---- admitting ------------------------------------------------------------------- */

/* What an admission reads of its school and year besides the graduate: the
 * same for every row of an assigned list, whose import holds the write lock
 * from its first row to its last, so it reads them once.  One step on one
 * flow starts from an empty one. */
struct admit_ctx {
    bool school_read, quota_read;
    int32_t region; /* the school's county */
    int kind;       /* the school's kind */
    bool quota_set;
    int64_t quota;
    int64_t used; /* places taken, -1 until counted */
    /* The assigned list being imported, or 0: its flows carry it, and its
     * one audit entry stands for them (an entry a row was a fifth of the
     * import's work). */
    int64_t batch;
};

#define ADMIT_CTX_INIT                                                                             \
    {                                                                                              \
        .used = -1                                                                                 \
    }

/* Whether the school has room for one more admission in year.  c (when not
 * NULL) keeps the quota and the count of places taken across the rows of
 * one transaction: counting them again for every row of an assigned list
 * made its import quadratic. */
static int quota_place(struct xjl_store *st, const char *school, int year, struct admit_ctx *c)
{
    struct admit_ctx once = ADMIT_CTX_INIT;
    if (!c)
        c = &once;
    int rc = XJL_OK;
    if (!c->quota_read &&
        (rc = xjl__store_quota_get(st, school, year, &c->quota, &c->quota_set)) == XJL_OK)
        c->quota_read = true;
    if (rc == XJL_OK && !c->quota_set)
        return xjl__failm(XJL_ESTATE, "ws.enrol.no_quota_enrol", school, year);
    if (rc == XJL_OK && c->used < 0)
        rc = xjl__store_quota_used(st, school, year, &c->used);
    if (rc == XJL_OK && c->used >= c->quota)
        return xjl__failm(XJL_EQUOTA, "ws.enrol.quota_full", school, (long long)c->quota, year,
                          (long long)c->used);
    return rc;
}

static bool conflicting(int a, int b)
{
    return (a == XJL_SCHOOL_SENIOR && b == XJL_SCHOOL_VOCATIONAL) ||
           (a == XJL_SCHOOL_VOCATIONAL && b == XJL_SCHOOL_SENIOR);
}

/* Whether the pool has graduate g admissible: not deleted, a graduate,
 * not archived (注销); XJL_ESTATE with the message why not. */
static int pool_admits(const struct xjl_grad *g)
{
    const char *who = g->key[0] ? g->key[0] : "";
    if (g->deleted)
        return xjl__failm(XJL_ESTATE, "ws.enrol.grad_deleted", g->number, who);
    if (!g->graduated)
        return xjl__failm(XJL_ESTATE, "ws.enrol.not_graduate", g->number, who);
    if (g->archived)
        return xjl__failm(XJL_ESTATE, "ws.enrol.archived", g->number, who);
    return XJL_OK;
}

/* The checks and the write of one admission of graduate g, inside the
 * caller's transaction.  `assigned`: the caller puts g on the school's
 * assigned list for the year once it is admitted, so the list is not read.  `known`
 * (when not NULL): the flows of g's pupil (xjl__store_grad_brief), read with
 * g (nknown of them), not read again. */
static int admit_grad(struct xjl_store *st, const char *school, int year, const struct xjl_grad *g,
                      xjl_enrol_route route, bool assigned, struct admit_ctx *c,
                      const struct xjl_adm *const *known, size_t nknown, int64_t *admission,
                      int64_t *conflict)
{
    const char *number = g->number;
    const char *who = g->key[0] ? g->key[0] : "";
    bool exists = false;
    int rc = XJL_OK;
    if (!c->school_read &&
        (rc = xjl__store_school_info(st, school, &c->region, &c->kind, &exists)) != XJL_OK)
        return rc;
    exists = assigned;
    c->school_read = true;
    int32_t region = c->region;
    int kind = c->kind;
    if ((rc = pool_admits(g)) != XJL_OK) {
        /* its message */
    } else if (kind != XJL_SCHOOL_JUNIOR && kind != XJL_SCHOOL_SENIOR &&
               kind != XJL_SCHOOL_VOCATIONAL) {
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.no_kind", school);
    } else if ((kind == XJL_SCHOOL_JUNIOR) != (g->stage == XJL_SCHOOL_PRIMARY)) {
        rc = xjl__failm(
            XJL_ESTATE, "ws.enrol.wrong_stage", number, who, xjl__kind_label(g->stage),
            xjl__kind_label(kind),
            xjl__kind_label(kind == XJL_SCHOOL_JUNIOR ? XJL_SCHOOL_PRIMARY : XJL_SCHOOL_JUNIOR));
    } else if (route == XJL_ROUTE_UNIFIED && !assigned &&
               (rc = xjl__store_assign_has(st, school, year, g->id, &exists)) == XJL_OK &&
               !exists) {
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.not_assigned", number, who, school, year);
    } else if (rc == XJL_OK && route == XJL_ROUTE_SELF && region <= 0) {
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.self_no_school_region", number, who, school);
    } else if (rc == XJL_OK && route == XJL_ROUTE_SELF && g->region <= 0) {
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.self_no_grad_region", number, who);
    } else if (rc == XJL_OK && route == XJL_ROUTE_SELF &&
               (region / 10000 != g->region / 10000 || region == g->region)) {
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.self_same_county", number, who, (long)g->region,
                        (long)region);
    }
    struct xjl_adm *read = NULL;
    size_t n = nknown;
    if (rc != XJL_OK || (!known && (rc = xjl__store_adm_of_grad(st, g->id, &read, &n)) != XJL_OK))
        return rc;
    const struct xjl_adm *adm = known ? *known : read;
    int64_t other = 0;
    char warning[512] = "";
    for (size_t i = 0; i < n && rc == XJL_OK; i++) {
        const struct xjl_adm *a = &adm[i];
        bool same = strcmp(a->school, school) == 0;
        if (same && a->state == XJL__ADM_CANCELLED)
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.cancelled_flow", number, who, (long long)a->id,
                            school);
        else if (same && live(a->state))
            rc = xjl__failm(XJL_EDUPLICATE, "ws.enrol.admitted_here", number, who, school,
                            (long long)a->id, xjl__state_label(XJL__FLOW_ADMISSION, a->state));
        else if (live(a->state) && a->kind == kind)
            rc = xjl__failm(XJL_EDUPLICATE, "ws.enrol.admitted_elsewhere", number, who,
                            xjl__kind_label(kind), a->school, (long long)a->id,
                            xjl__state_label(XJL__FLOW_ADMISSION, a->state));
        else if (live(a->state) && conflicting(kind, a->kind) && !other) {
            other = a->id;
            xjl__stored(
                warning, sizeof warning, "ws.audit.double_admission", number, who,
                xjl__stored_word((char[64]){0}, 64, "value.", xjl_school_kind_name(a->kind)),
                a->school, (long long)a->id,
                xjl__stored_word((char[64]){0}, 64, "value.", xjl__admission_state_name(a->state)),
                a->year);
        }
    }
    xjl__adm_free_list(read, known ? 0 : n);
    if (rc != XJL_OK || (rc = quota_place(st, school, year, c)) != XJL_OK)
        return rc;
    struct xjl_adm a = {.graduate_id = g->id,
                        .school = (char *)school,
                        .year = year,
                        .route = route,
                        .state = other ? XJL__ADM_PENDING : XJL__ADM_ADMITTED,
                        .conflict = other,
                        .note = warning[0] ? warning : NULL,
                        .batch = c->batch};
    if ((rc = xjl__store_adm_insert(st, &a)) == XJL_OK)
        c->used++; /* pending and admitted both take a place */
    if (rc == XJL_OK && !c->batch) {
        char detail[800];
        snprintf(detail, sizeof detail, "school %s, %d, %s: %s %s%s%s", school, year,
                 xjl_enrol_route_name(route), number, who, warning[0] ? "; " : "", warning);
        rc = xjl__store_audit(st, "admit", "admission", a.id, detail);
    }
    if (rc == XJL_OK) {
        if (admission)
            *admission = a.id;
        if (conflict)
            *conflict = other;
    }
    return rc;
}

/* The checks and the write of one admission, inside the caller's transaction. */
static int admit_in(xjl_workspace *ws, const char *school, int year, const char *number,
                    xjl_enrol_route route, int64_t *admission, int64_t *conflict)
{
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_grad g;
    struct admit_ctx c = ADMIT_CTX_INIT;
    struct xjl_adm *flows = NULL;
    size_t n = 0;
    /* the pupil's flows under any of its numbers (an L and a G one) */
    int rc = xjl__store_grad_brief(st, number, &g, &flows, &n);
    if (rc == XJL_OK)
        rc = admit_grad(st, school, year, &g, route, false, &c,
                        (const struct xjl_adm *const *)&flows, n, admission, conflict);
    xjl__adm_free_list(flows, n);
    xjl__grad_clear(&g);
    return rc;
}

XJL_API int xjl_enrol_admit(xjl_workspace *ws, const char *school, int year, const char *number,
                            xjl_enrol_route route, int64_t *admission, int64_t *conflict)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_admit");
    int rc = need(school, xjl__msg("ws.enrol.need.school"));
    if (rc != XJL_OK || (rc = need(number, xjl__msg("ws.enrol.need.number"))) != XJL_OK ||
        (rc = check_year(year)) != XJL_OK)
        return rc;
    if (route != XJL_ROUTE_UNIFIED && route != XJL_ROUTE_SELF)
        return xjl__failm(XJL_EINVAL, "ws.enrol.route", "xjl_enrol_school_transfer");
    if ((rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.admitting"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "enrol")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    rc = admit_in(ws, school, year, number, route, admission, conflict);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK)
        xjl__store_rollback(st);
    return rc;
}

/* Puts a graduate on the list the authority assigned to a school. */
static int assign_in(struct xjl_store *st, const char *school, int year, const char *number)
{
    struct xjl_grad g;
    int rc = xjl__store_grad_find(st, number, &g);
    if (rc == XJL_ENOTFOUND)
        rc = xjl__failm(XJL_ENOTFOUND, "ws.no_graduate_number", number);
    if (rc == XJL_OK)
        rc = xjl__store_assign_add(st, school, year, g.id, 0);
    xjl__grad_clear(&g);
    return rc;
}

XJL_API int xjl_enrol_assign(xjl_workspace *ws, const char *school, int year, const char *number)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_assign");
    int rc = need(school, xjl__msg("ws.enrol.need.school"));
    if (rc != XJL_OK || (rc = need(number, xjl__msg("ws.enrol.need.number"))) != XJL_OK ||
        (rc = check_year(year)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.assigning_a_graduate"))) !=
            XJL_OK ||
        (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.assigned", school, year, number);
    return finish(st, assign_in(st, school, year, number), "assign", "school", 0, detail);
}

/* The graduate a row of an assigned list stands for: by number, or the
 * unambiguous match of its key fields in the pool. */
static int assigned_number(xjl_workspace *ws, const xjl_csv *csv, int number_col, const int key[5],
                           bool have_keys, char *out, size_t cap)
{
    size_t nlen = 0;
    const char *number = number_col >= 0 ? xjl_csv_field(csv, (size_t)number_col, &nlen) : "";
    if (nlen != strlen(number))
        return xjl__failm(XJL_EINVAL, "ws.enrol.number_nul");
    if (*number)
        return xjl__copy_out(number, XJL_NTS, out, cap, NULL);
    if (!have_keys)
        return xjl__failm(XJL_EINVAL, "ws.enrol.no_number_no_keys");
    for (int f = 0; f < 5; f++) {
        size_t len = 0;
        const char *v = xjl_csv_field(csv, (size_t)key[f], &len);
        if (len != strlen(v))
            return xjl__failm(XJL_EINVAL, "ws.enrol.column_nul",
                              xjl_csv_column_name(csv, (size_t)key[f]));
    }
    struct xjl_ixcache *pool = xjl__ws_pool(ws);
    int rc = xjl__ixcache_ensure(pool, xjl__ws_store(ws), "pool", xjl__store_grad_scan);
    if (rc != XJL_OK)
        return rc;
    xjl_record rec = {
        xjl_csv_field(csv, (size_t)key[0], NULL), xjl_csv_field(csv, (size_t)key[1], NULL),
        xjl_csv_field(csv, (size_t)key[2], NULL), xjl_csv_field(csv, (size_t)key[3], NULL),
        xjl_csv_field(csv, (size_t)key[4], NULL)};
    xjl_result *res = NULL;
    if ((rc = xjl_matcher_match(pool->m, &rec, &res)) != XJL_OK)
        return rc;
    if (xjl_result_status(res) == XJL_MATCHED)
        rc = xjl__copy_out(xjl_result_match_id(res), XJL_NTS, out, cap, NULL);
    else
        rc = xjl__failm(XJL_ENOTFOUND, "ws.enrol.ambiguous",
                        xjl_status_label(xjl_result_status(res), xjl_get_lang()),
                        xjl_result_candidate_count(res),
                        XJL_PLURAL(xjl_result_candidate_count(res)));
    xjl_result_free(res);
    return rc;
}

/* The key fields of a row of an assigned list, for the report of a row
 * refused after it was looked up by them: their columns' names as the
 * header has them and their values as read, each joined by ',' like the
 * file's lines.  Both malloc'd; false (neither) when out of memory. */
static bool key_fields_text(const xjl_csv *csv, const int key[5], char **names, char **values)
{
    const char *name[5], *value[5];
    size_t nlen = 0, vlen = 0;
    for (int f = 0; f < 5; f++) {
        name[f] = xjl_csv_column_name(csv, (size_t)key[f]);
        value[f] = xjl_csv_field(csv, (size_t)key[f], NULL);
        nlen += strlen(name[f]) + 1;
        vlen += strlen(value[f]) + 1;
    }
    *names = malloc(nlen);
    *values = malloc(vlen);
    if (!*names || !*values) {
        free(*names);
        free(*values);
        *names = *values = NULL;
        return false;
    }
    char *n = *names, *v = *values;
    for (int f = 0; f < 5; f++) {
        size_t a = strlen(name[f]), b = strlen(value[f]);
        memcpy(n, name[f], a);
        memcpy(v, value[f], b);
        n[a] = v[b] = f < 4 ? ',' : '\0';
        n += a + 1;
        v += b + 1;
    }
    return true;
}

/* Reports a row of an assigned list as it was looked up: by its number,
 * under the name its column has in the header (学籍号, 全国学籍号 …), or,
 * when the row gives none, by its key fields, which are then named. */
static void diag_assigned_row(xjl_diag_fn diag, void *user, const xjl_csv *csv, int number_col,
                              const int key[5], bool have_keys, const char *msg)
{
    const char *given = number_col >= 0 ? xjl_csv_field(csv, (size_t)number_col, NULL) : "";
    char *names = NULL, *values = NULL;
    if (*given)
        xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)number_col), given, msg);
    else if (have_keys && key_fields_text(csv, key, &names, &values))
        xjl__diag_row(diag, user, csv, names, values, msg);
    else /* no key columns, or no memory for their text: the number's column */
        xjl__diag_row(diag, user, csv,
                      number_col >= 0 ? xjl_csv_column_name(csv, (size_t)number_col) : "学籍号",
                      given, msg);
    free(names);
    free(values);
}

XJL_API int xjl_enrol_import_assigned(xjl_workspace *ws, const char *school, int year,
                                      const char *path, xjl_encoding enc, xjl_diag_fn diag,
                                      void *user, xjl_load_report *rep)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_import_assigned");
    int rc = need(school, xjl__msg("ws.enrol.need.school"));
    if (rc != XJL_OK || (rc = check_year(year)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.importing_an_assigned_list"))) !=
            XJL_OK ||
        /* the authority assigns (as `assign`), and the school's places are
         * taken (as `admit`): both processes must be open */
        (rc = xjl__ws_policy(ws, "enrol-authority")) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "enrol")) != XJL_OK)
        return rc;
    xjl_load_report r = {0};
    xjl_csv *csv = NULL;
    if ((rc = xjl_csv_open(&csv, path, enc)) != XJL_OK)
        return rc;
    int number_col = COLUMN(csv, number_cols), key[5];
    bool have_keys = xjl_csv_key_columns(csv, key) == XJL_OK;
    if (number_col < 0 && !have_keys) {
        xjl_csv_close(csv);
        return xjl__failm(XJL_EFORMAT, "ws.enrol.list_columns", path);
    }
    xjl__clear_error();
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK) {
        xjl_csv_close(csv);
        return rc;
    }
    int more = 0;
    /* the school and its places, read once: the list holds the write lock */
    struct admit_ctx c = ADMIT_CTX_INIT;
    /* the batch first, so that its list rows and flows name it; its count
     * of rows is written when they are read */
    rc = xjl__store_batch_add(st, "assigned", school, path, 0, &r.batch);
    c.batch = r.batch;
    while (rc == XJL_OK && (more = xjl_csv_next(csv)) > 0) {
        r.rows++;
        char number[64];
        int64_t adm = 0, conflict = 0;
        struct xjl_grad g = {0};
        struct xjl_adm *flows = NULL;
        size_t nflows = 0;
        /* one look-up of the graduate and its flows per row, for the list
         * and the flow; the list row only after the flow is admitted: every
         * refusal of admit_grad() comes before its writes, so a refused
         * row leaves neither (an assigned row is not checked against the
         * list it is being added to) */
        int row_rc = assigned_number(ws, csv, number_col, key, have_keys, number, sizeof number);
        if (row_rc == XJL_OK &&
            (row_rc = xjl__store_grad_brief(st, number, &g, &flows, &nflows)) == XJL_OK &&
            (row_rc = admit_grad(st, school, year, &g, XJL_ROUTE_UNIFIED, true, &c,
                                 (const struct xjl_adm *const *)&flows, nflows, &adm, &conflict)) ==
                XJL_OK)
            row_rc = xjl__store_assign_add(st, school, year, g.id, r.batch);
        xjl__adm_free_list(flows, nflows);
        xjl__grad_clear(&g);
        if (row_rc == XJL_EDB || row_rc == XJL_EBUSY || row_rc == XJL_ENOMEM) {
            rc = row_rc;
        } else if (row_rc != XJL_OK) {
            diag_assigned_row(diag, user, csv, number_col, key, have_keys, xjl_errmsg());
            r.bad_rows++;
        } else {
            r.inserted++;
            if (conflict) {
                char msg[256];
                snprintf(msg, sizeof msg, xjl__msg("ws.diag.double_waits"), (long long)adm,
                         (long long)conflict);
                diag_assigned_row(diag, user, csv, number_col, key, have_keys, msg);
                r.pending++;
            }
        }
    }
    if (rc == XJL_OK && more < 0)
        rc = more;
    xjl_csv_close(csv);
    if (rc == XJL_OK)
        rc = xjl__store_batch_rows(st, r.batch, r.rows);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.assigned_imported", school, year, path, r.rows,
                XJL_PLURAL(r.rows), r.inserted, r.pending, r.bad_rows);
    rc = finish(st, rc, "import-assigned", "batch", r.batch, detail);
    if (rep)
        *rep = r;
    return rc;
}

/* Opens a school's step on one flow. */
/* A flow's state in the state table: its state, or deleted. */
static int flow_state(const struct xjl_adm *a)
{
    return a->deleted ? XJL__ADM_DELETED : a->state;
}

/* The state table's word on (the flow's state, action). */
static int flow_step(const struct xjl_adm *a, const char *action)
{
    return xjl__step_check(XJL__FLOW_ADMISSION, flow_state(a), -1, action, "admission flow", a->id,
                           NULL);
}

/* Opens a school's step on one flow: policy, transaction, the flow, the
 * operator's scope, the state table. */
static int begin_flow(xjl_workspace *ws, int64_t id, const char *action, struct xjl_adm *a)
{
    memset(a, 0, sizeof *a);
    int rc = xjl__ws_policy(ws, "enrol");
    struct xjl_store *st = xjl__ws_store(ws);
    char step[96];
    snprintf(step, sizeof step, "changing admission flow %lld", (long long)id);
    if (rc != XJL_OK || (rc = xjl__store_begin_as(st, step)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_adm_get(st, id, a)) == XJL_OK)
        rc = xjl__ws_allow(ws, a->school, false, xjl__msg("ws.what.changing_an_admission_flow"));
    if (rc == XJL_OK)
        rc = flow_step(a, action);
    if (rc != XJL_OK) {
        xjl__store_rollback(st);
        xjl__adm_clear(a);
    }
    return rc;
}

static int refuse_flow(xjl_workspace *ws, struct xjl_adm *a, const char *what, const char *why)
{
    xjl__store_rollback(xjl__ws_store(ws));
    int rc = xjl__failm(XJL_ESTATE, "ws.enrol.refuse_flow", what, (long long)a->id, a->school,
                        xjl__state_label(XJL__FLOW_ADMISSION, a->state), why);
    xjl__adm_clear(a);
    return rc;
}

static int change_flow(xjl_workspace *ws, struct xjl_adm *a, int state, const char *action,
                       const char *detail)
{
    struct xjl_store *st = xjl__ws_store(ws);
    a->state = state;
    int rc = finish(st, xjl__store_adm_update(st, a), action, "admission", a->id, detail);
    xjl__adm_clear(a);
    return rc;
}

/* Whether the flow's graduate may still be admitted as the pool says now:
 * a reload since the flow was made may have deleted it, archived it as a
 * problem record (注销) or said it did not graduate.  A step that lets a
 * flow go on (continue, the kept side of 重复招生处理, 调档) asks, as an
 * admission does; the message (admit_grad()'s) is set when not. */
static int still_admissible(struct xjl_store *st, const struct xjl_adm *a)
{
    struct xjl_grad g;
    int rc = xjl__store_grad_get(st, a->graduate_id, &g);
    if (rc != XJL_OK)
        return rc;
    rc = pool_admits(&g);
    xjl__grad_clear(&g);
    return rc;
}

/* begin_flow() for a step that lets the flow go on (verb: its words in a
 * refusal), refused when the pool no longer has the graduate admissible. */
static int begin_going_flow(xjl_workspace *ws, int64_t id, const char *action, const char *verb,
                            struct xjl_adm *a)
{
    int rc = begin_flow(ws, id, action, a);
    if (rc != XJL_OK)
        return rc;
    if ((rc = still_admissible(xjl__ws_store(ws), a)) == XJL_ESTATE) {
        char why[512];
        snprintf(why, sizeof why, "%s", xjl_errmsg());
        return refuse_flow(ws, a, verb, why);
    }
    if (rc != XJL_OK) {
        xjl__store_rollback(xjl__ws_store(ws));
        xjl__adm_clear(a);
    }
    return rc;
}

XJL_API int xjl_enrol_continue(xjl_workspace *ws, int64_t admission)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_continue");
    struct xjl_adm a;
    int rc = begin_going_flow(ws, admission, "continue", xjl__msg("ws.enrol.verb.continue"), &a);
    if (rc != XJL_OK)
        return rc;
    return change_flow(ws, &a, XJL__ADM_ADMITTED, "continue", XJL_STORED("ws.audit.continued"));
}

XJL_API int xjl_enrol_cancel(xjl_workspace *ws, int64_t admission, const char *reason)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_cancel");
    struct xjl_adm a;
    int rc = begin_flow(ws, admission, "cancel", &a);
    if (rc != XJL_OK)
        return rc;
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.cancelled",
                reason && *reason ? reason : XJL_STORED_WORD "ws.audit.no_reason");
    return change_flow(ws, &a, XJL__ADM_CANCELLED, "cancel", detail);
}

XJL_API int xjl_enrol_delete(xjl_workspace *ws, int64_t admission)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_delete");
    struct xjl_adm a;
    int rc = begin_flow(ws, admission, "delete", &a);
    if (rc != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.flow_deleted", a.school, a.year,
                (long long)a.graduate_id);
    rc = finish(st, xjl__store_adm_delete(st, a.id), "delete", "admission", a.id, detail);
    xjl__adm_clear(&a);
    return rc;
}

XJL_API int xjl_enrol_transfer_archive(xjl_workspace *ws, int64_t admission)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_transfer_archive");
    struct xjl_adm a;
    int rc = begin_going_flow(ws, admission, "transfer-archive",
                              xjl__msg("ws.enrol.verb.transfer_archive"), &a);
    if (rc != XJL_OK)
        return rc;
    return change_flow(ws, &a, XJL__ADM_DONE, "transfer-archive",
                       XJL_STORED("ws.audit.archive_transferred"));
}

XJL_API int xjl_enrol_school_transfer(xjl_workspace *ws, int64_t admission, const char *to_school,
                                      int64_t *moved)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_school_transfer");
    int rc = need(to_school, xjl__msg("ws.enrol.need.to_school"));
    if (rc != XJL_OK)
        return rc;
    struct xjl_adm a;
    if ((rc = begin_flow(ws, admission, "school-transfer", &a)) != XJL_OK)
        return rc;
    /* An authority moves pupils only into schools of its scope (it takes
     * their places); a school hands its pupil over to any school. */
    if (ws->role > XJL_ROLE_SCHOOL &&
        (rc = xjl__ws_allow(ws, to_school, false, xjl__msg("ws.what.transferring_into"))) !=
            XJL_OK) {
        xjl__store_rollback(xjl__ws_store(ws));
        xjl__adm_clear(&a);
        return rc;
    }
    if (strcmp(a.school, to_school) == 0)
        return refuse_flow(ws, &a, xjl__msg("ws.enrol.verb.transfer_pupil"),
                           xjl__msg("ws.enrol.why.same_school"));
    struct xjl_store *st = xjl__ws_store(ws);
    int32_t region = 0;
    int kind = 0;
    bool exists = false;
    if ((rc = xjl__store_school_info(st, to_school, &region, &kind, &exists)) == XJL_OK &&
        kind != a.kind)
        rc = xjl__failm(XJL_ESTATE, "ws.enrol.transfer_kind", to_school, xjl__kind_label(kind),
                        xjl__kind_label(a.kind), a.school);
    if (rc == XJL_OK)
        rc = quota_place(st, to_school, a.year, NULL);
    struct xjl_adm b = {.graduate_id = a.graduate_id,
                        .school = (char *)to_school,
                        .year = a.year,
                        .route = XJL_ROUTE_TRANSFER,
                        .state = XJL__ADM_DONE,
                        .from = a.id};
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.transfer", a.school, (long long)a.id, to_school);
    if (rc == XJL_OK && (rc = xjl__store_adm_insert(st, &b)) == XJL_OK) {
        a.state = XJL__ADM_MOVED;
        free(a.note);
        a.note = strdup(detail);
        rc = xjl__store_adm_update(st, &a);
    }
    /* under both flows: the audit of either shows the move */
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, "school-transfer", "admission", a.id, detail);
    rc = finish(st, rc, "school-transfer", "admission", b.id, detail);
    if (rc == XJL_OK && moved)
        *moved = b.id;
    xjl__adm_clear(&a);
    return rc;
}

/* 重复招生处理: after a double admission is found (the warning, the double
 * listing, a cross-check of two systems), the authority keeps one flow and
 * cancels the other in one step.  A flow whose 调档 is done cannot be the
 * cancelled one: only a school transfer moves that pupil. */
XJL_API int xjl_enrol_resolve_double(xjl_workspace *ws, int64_t keep, int64_t cancel,
                                     const char *reason)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_resolve_double");
    if (!reason || !*reason)
        return xjl__failm(XJL_EINVAL, "ws.enrol.resolve_reason");
    if (keep == cancel)
        return xjl__failm(XJL_EINVAL, "ws.enrol.keep_and_cancel", (long long)keep);
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_adm k = {0}, c = {0};
    bool same = false;
    int rc = xjl__ws_policy(ws, "enrol-authority");
    if (rc != XJL_OK || (rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_adm_get(st, keep, &k)) == XJL_OK &&
        (rc = xjl__store_adm_get(st, cancel, &c)) == XJL_OK &&
        (rc = xjl__ws_allow(ws, k.school, true,
                            xjl__msg("ws.what.resolving_a_double_admission"))) == XJL_OK &&
        (rc = xjl__ws_allow(ws, c.school, true,
                            xjl__msg("ws.what.resolving_a_double_admission"))) == XJL_OK) {
        if ((rc = flow_step(&k, "resolve-keep")) != XJL_OK ||
            (rc = flow_step(&c, "resolve-cancel")) != XJL_OK)
            ; /* the table's message names the flow and its state */
        else if ((rc = xjl__store_same_pupil(st, k.graduate_id, c.graduate_id, &same)) == XJL_OK &&
                 !same)
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.not_double", (long long)keep, (long long)cancel);
        else if (rc == XJL_OK && k.state != XJL__ADM_DONE && /* a flow that goes on */
                 (rc = still_admissible(st, &k)) == XJL_ESTATE) {
            char why[512];
            snprintf(why, sizeof why, "%s", xjl_errmsg());
            rc = xjl__failm(XJL_ESTATE, "ws.enrol.refuse_flow", xjl__msg("ws.enrol.verb.keep"),
                            (long long)k.id, k.school,
                            xjl__state_label(XJL__FLOW_ADMISSION, k.state), why);
        }
    }
    char detail[700];
    xjl__stored(detail, sizeof detail, "ws.audit.resolved", (long long)keep,
                k.school ? k.school : "", (long long)cancel, c.school ? c.school : "", reason);
    if (rc == XJL_OK) {
        c.state = XJL__ADM_CANCELLED;
        free(c.note);
        c.note = strdup(detail);
        if (k.state == XJL__ADM_PENDING)
            k.state = XJL__ADM_ADMITTED;
        k.conflict = 0;
        if ((rc = xjl__store_adm_update(st, &c)) == XJL_OK)
            rc = xjl__store_adm_update(st, &k);
        if (rc == XJL_OK)
            rc = xjl__store_audit(st, "resolve-double", "admission", cancel, detail);
    }
    rc = finish(st, rc, "resolve-double", "admission", keep, detail);
    xjl__adm_clear(&k);
    xjl__adm_clear(&c);
    return rc;
}

/* The authority's review of an admission (招生录取审核).  The reviewer
 * selects the education stage (教育阶段) the admission is for: a stage other
 * than the school's kind is refused, so that a 中职 admission is never
 * approved as a senior high one (or the other way round), which would hide
 * it from the double-admission check. */
XJL_API int xjl_enrol_review(xjl_workspace *ws, int64_t admission, xjl_school_kind stage,
                             bool approve, const char *note)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_enrol_review");
    if (!approve && (!note || !*note))
        return xjl__failm(XJL_EINVAL, "ws.enrol.reject_reason", (long long)admission);
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_adm a = {0};
    int rc = xjl__ws_policy(ws, "enrol-authority");
    if (rc != XJL_OK || (rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_adm_get(st, admission, &a)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, a.school, true, xjl__msg("ws.what.reviewing_an_admission"))) !=
            XJL_OK) {
        xjl__store_rollback(st);
        xjl__adm_clear(&a);
        return rc;
    }
    if ((rc = flow_step(&a, approve ? "review-approve" : "review-reject")) != XJL_OK) {
        xjl__store_rollback(st);
        xjl__adm_clear(&a);
        return rc;
    }
    if ((int)stage != a.kind) {
        char why[256];
        snprintf(why, sizeof why, xjl__msg("ws.enrol.why.stage"), xjl__kind_label(stage), a.school,
                 xjl__kind_label(a.kind));
        return refuse_flow(ws, &a, xjl__msg("ws.enrol.verb.review"), why);
    }
    char review[512], detail[700];
    const char *verdict =
        approve ? XJL_STORED_WORD "value.approved" : XJL_STORED_WORD "value.rejected";
    char stage_word[64];
    xjl__stored_word(stage_word, sizeof stage_word, "value.", xjl_school_kind_name(stage));
    xjl__stored(review, sizeof review, "ws.audit.review", verdict, stage_word,
                note && *note ? ", " : "", note ? note : "");
    xjl__stored(detail, sizeof detail, "ws.audit.reviewed", a.school, verdict, stage_word,
                note && *note ? ", " : "", note ? note : "");
    rc = xjl__store_adm_review(st, a.id, review);
    if (rc == XJL_OK && !approve) {
        a.state = XJL__ADM_CANCELLED;
        free(a.note);
        a.note = strdup(detail);
        rc = xjl__store_adm_update(st, &a);
    }
    rc = finish(st, rc, approve ? "review-approve" : "review-reject", "admission", a.id, detail);
    xjl__adm_clear(&a);
    return rc;
}

/* ---- queries ---------------------------------------------------------------------- */

XJL_API int xjl_enrol_admissions(xjl_workspace *ws, const char *school, int year, xjl_listing **out)
{
    if (!ws || !school || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_admissions");
    int rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.listing_admissions"));
    if (rc != XJL_OK)
        return rc;
    return xjl__store_adm_table(xjl__ws_store(ws), school, year, 0, out);
}

XJL_API int xjl_enrol_admission(xjl_workspace *ws, int64_t admission, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_admission");
    int rc = xjl__store_adm_table(xjl__ws_store(ws), NULL, 0, admission, out);
    if (rc == XJL_OK && xjl_listing_rows(*out) == 0) {
        xjl_listing_free(*out);
        *out = NULL;
        return xjl__failm(XJL_ENOTFOUND, "ws.no_admission", (long long)admission);
    }
    if (rc == XJL_OK && (rc = xjl__ws_allow(ws, xjl_listing_value(*out, 0, "school"), false,
                                            xjl__msg("ws.what.reading_a_flow"))) != XJL_OK) {
        xjl_listing_free(*out);
        *out = NULL;
    }
    return rc;
}

struct both {
    xjl_workspace *ws;
};

/* A double admission concerns both schools: either may see it. */
static bool either_in_scope(void *user, const xjl_listing *t, size_t r)
{
    xjl_workspace *ws = ((struct both *)user)->ws;
    return xjl__ws_in_scope(ws, xjl_listing_value(t, r, "senior_school")) ||
           xjl__ws_in_scope(ws, xjl_listing_value(t, r, "vocational_school"));
}

XJL_API int xjl_enrol_double_admissions(xjl_workspace *ws, int year, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_double_admissions");
    int rc = xjl__store_double_table(xjl__ws_store(ws), year, out);
    if (rc == XJL_OK) {
        struct both b = {ws};
        xjl__listing_keep(*out, either_in_scope, &b);
    }
    return rc;
}

XJL_API int xjl_enrol_statistics(xjl_workspace *ws, int year, xjl_listing **out, size_t *schools)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_statistics");
    int rc = xjl__store_stats_table(xjl__ws_store(ws), year, out);
    if (rc == XJL_OK)
        xjl__ws_scope_listing(ws, *out, "school");
    if (rc == XJL_OK && schools) {
        *schools = 0;
        for (size_t r = 0; r < xjl_listing_rows(*out); r++)
            *schools += xjl_listing_int(*out, r, "counted") == 1;
    }
    return rc;
}

/* ---- two lists from two systems ------------------------------------------------- */

/* A list in memory: per row its line, school and five key fields. */
struct side {
    char **text; /* 6 strings per row: school, then the key fields */
    long *lines;
    size_t n, cap;
};

static void side_free(struct side *s)
{
    for (size_t i = 0; i < s->n * 6; i++)
        free(s->text[i]);
    free(s->text);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

static int side_read(struct side *s, const char *path, xjl_encoding enc, xjl_diag_fn diag,
                     void *user)
{
    xjl_csv *csv = NULL;
    int rc = xjl_csv_open(&csv, path, enc);
    if (rc != XJL_OK)
        return rc;
    struct xjl_row_layout l;
    if ((rc = xjl__row_layout(csv, NULL, &l)) != XJL_OK) {
        xjl_csv_close(csv);
        return rc;
    }
    /* The school is what identifies a row of an admission list: the row
     * rule holds it to what it holds a record id to (no NUL byte). */
    int school = l.id = COLUMN(csv, school_cols);
    int more;
    while ((more = xjl_csv_next(csv)) > 0) {
        if (!xjl__row_loads(csv, &l, diag, user))
            continue;
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 256;
            char **t = realloc(s->text, cap * 6 * sizeof *t);
            if (t)
                s->text = t;
            long *l = realloc(s->lines, cap * sizeof *l);
            if (l)
                s->lines = l;
            if (!t || !l) {
                xjl_csv_close(csv);
                return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_reading", path);
            }
            s->cap = cap;
        }
        char **t = s->text + s->n * 6;
        t[0] = strdup(school >= 0 ? xjl_csv_field(csv, (size_t)school, NULL) : "");
        for (int f = 0; f < 5; f++) {
            size_t len = 0;
            const char *v = xjl_csv_field(csv, (size_t)l.key[f], &len);
            t[1 + f] = strndup(v, len); /* the row rule let no NUL byte through */
        }
        s->lines[s->n++] = xjl_csv_line(csv);
    }
    xjl_csv_close(csv);
    return more < 0 ? more : XJL_OK;
}

static xjl_record side_record(const struct side *s, size_t i)
{
    char *const *t = s->text + i * 6;
    return (xjl_record){t[1], t[2], t[3], t[4], t[5]};
}

XJL_API int xjl_enrol_cross_check(const char *senior_csv, const char *vocational_csv,
                                  xjl_encoding enc, xjl_diag_fn diag, void *user, xjl_listing **out)
{
    if (!senior_csv || !vocational_csv || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_enrol_cross_check");
    struct side sen = {0}, voc = {0};
    int rc = side_read(&voc, vocational_csv, enc, diag, user);
    if (rc == XJL_OK)
        rc = side_read(&sen, senior_csv, enc, diag, user);
    xjl_index *ix = NULL;
    if (rc == XJL_OK)
        rc = xjl_index_new(&ix);
    for (size_t i = 0; rc == XJL_OK && i < voc.n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%zu", i);
        xjl_record rec = side_record(&voc, i);
        rc = xjl_index_add(ix, id, &rec);
    }
    if (rc == XJL_OK)
        rc = xjl_index_build(ix, 0);
    xjl_matcher *m = NULL;
    if (rc == XJL_OK)
        rc = xjl_matcher_new(&m, ix);
    xjl_record *recs = rc == XJL_OK ? calloc(sen.n ? sen.n : 1, sizeof *recs) : NULL;
    xjl_result **res = rc == XJL_OK ? calloc(sen.n ? sen.n : 1, sizeof *res) : NULL;
    if (rc == XJL_OK && (!recs || !res))
        rc = xjl__failm(XJL_ENOMEM, "ws.out_of_memory_matching", senior_csv);
    for (size_t i = 0; rc == XJL_OK && i < sen.n; i++)
        recs[i] = side_record(&sen, i);
    if (rc == XJL_OK)
        rc = xjl_matcher_match_many(m, recs, sen.n, 0, res);
    static const char *const names[] = {"status",
                                        "score",
                                        "reasons",
                                        "senior_line",
                                        "senior_school",
                                        "senior_name",
                                        "senior_gender",
                                        "senior_birth_date",
                                        "senior_id_number",
                                        "vocational_line",
                                        "vocational_school",
                                        "vocational_name",
                                        "vocational_gender",
                                        "vocational_birth_date",
                                        "vocational_id_number"};
    xjl_listing *t = rc == XJL_OK ? xjl__listing_new(XJL_ARRAY_LEN(names), names) : NULL;
    if (rc == XJL_OK && !t)
        rc = xjl__failm(XJL_ENOMEM, "ws.out_of_memory_result");
    /* A matched or pending senior row is a double admission with each of
     * its candidates (every one the matcher keeps reaches the review
     * threshold or agrees on all five fields): a pupil on the vocational
     * list twice is a row with each, best first. */
    for (size_t i = 0; rc == XJL_OK && i < sen.n; i++) {
        xjl_match_status ms = xjl_result_status(res[i]);
        if (ms != XJL_MATCHED && ms != XJL_PENDING)
            continue;
        for (size_t k = 0; rc == XJL_OK && k < xjl_result_candidate_count(res[i]); k++) {
            size_t v = xjl_result_candidate_pos(res[i], k);
            if (v >= voc.n)
                continue;
            long r = xjl__listing_add_row(t);
            if (r < 0) {
                rc = xjl__failm(XJL_ENOMEM, "ws.out_of_memory_result");
                break;
            }
            char num[3][32];
            snprintf(num[0], sizeof num[0], "%.2f", xjl_result_candidate_score(res[i], k));
            snprintf(num[1], sizeof num[1], "%ld", sen.lines[i]);
            snprintf(num[2], sizeof num[2], "%ld", voc.lines[v]);
            char *const *a = sen.text + i * 6, *const *b = voc.text + v * 6;
            const char *gcode; /* both lists' genders shown as every listing shows them */
            const char *cells[] = {xjl_status_name(ms),
                                   num[0],
                                   xjl_result_candidate_reasons(res[i], k),
                                   num[1],
                                   a[0],
                                   a[1],
                                   xjl__gender_display(a[2], &gcode),
                                   a[3],
                                   a[5],
                                   num[2],
                                   b[0],
                                   b[1],
                                   xjl__gender_display(b[2], &gcode),
                                   b[3],
                                   b[5]};
            for (size_t c = 0; rc == XJL_OK && c < XJL_ARRAY_LEN(cells); c++)
                rc = xjl__listing_set(t, (size_t)r, c, cells[c], XJL_NTS);
        }
    }
    for (size_t i = 0; res && i < sen.n; i++)
        xjl_result_free(res[i]);
    free(res);
    free(recs);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    side_free(&sen);
    side_free(&voc);
    if (rc != XJL_OK) {
        xjl_listing_free(t);
        return rc;
    }
    *out = t;
    return XJL_OK;
}
