/*
 * register.c: registering a pupil outside grade 1 of primary school
 * (非小学一年级学籍注册) and the province's monthly national duplicate check
 * (全国查重).  A school's request waits in a queue; a pupil without a
 * citizen ID number first waits for the proof of attendance
 * (无身份证号在校就读证明) and is then decided by hand by the authority,
 * who gives a J number.  Once a month the authority exports the queue for
 * the national centre and imports the centre's result: a passed request is
 * registered (G + citizen number), a duplicate refused with the centre's
 * words.  The same export carries the temporary L numbers whose ID number
 * is now a valid citizen number, and a passed result turns them into G.
 */
#include "workspace/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int finish_reg(struct xjl_store *st, int rc, const char *action, int64_t id,
                      const char *detail)
{
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, action, "registration", id, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK)
        xjl__store_rollback(st);
    return rc;
}

XJL_API int xjl_reg_request(xjl_workspace *ws, const char *school, const xjl_record *rec, int grade,
                            int64_t *id)
{
    if (!ws || !rec || !school || !*school)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_reg_request");
    if (grade < 2 || grade > 12)
        return xjl__failm(XJL_EINVAL, "ws.register.grade", grade);
    xjl_parsed p;
    int rc = xjl_record_parse(rec, &p);
    if (rc != XJL_OK)
        return rc;
    if (p.errors) {
        char f[512] = "";
        xjl_parsed_describe(&p, f, sizeof f, NULL);
        return xjl__failm(XJL_EINVAL, "ws.register.key_errors", f);
    }
    if ((rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.requesting_a_registration"))) !=
            XJL_OK ||
        (rc = xjl__ws_policy(ws, "registration")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_regq q = {.school = (char *)school, .grade = grade};
    q.key[0] = p.name;
    char gender[2] = {p.gender == XJL_GENDER_MALE     ? '1'
                      : p.gender == XJL_GENDER_FEMALE ? '2'
                                                      : '0',
                      0};
    char date[16] = "", type[2] = {(char)p.id_type, 0};
    xjl_date_format(p.birth_date, date, sizeof date);
    q.key[1] = gender;
    q.key[2] = date;
    q.key[3] = type;
    q.key[4] = p.id.normalized;
    /* Without a citizen number the national check cannot find the pupil:
     * the proof of attendance comes first. */
    snprintf(q.state, sizeof q.state, "%s", p.id.kind == XJL_IDKIND_CITIZEN ? "queued" : "proof");
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    rc = xjl__store_regq_add(st, &q);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.reg_requested", school, grade, q.key[0], date,
                p.id.normalized,
                strcmp(q.state, "queued") == 0 ? XJL_STORED_WORD "ws.audit.reg_queued"
                                               : XJL_STORED_WORD "ws.audit.reg_proof");
    rc = finish_reg(st, rc, "registration-request", q.id, detail);
    if (rc == XJL_OK && id)
        *id = q.id;
    return rc;
}

/* Opens a step on one request. */
static int begin_regq(xjl_workspace *ws, int64_t id, bool authority, const char *what,
                      struct xjl_regq *q)
{
    struct xjl_store *st = xjl__ws_store(ws);
    int rc = xjl__ws_policy(ws, "registration");
    char step[128];
    snprintf(step, sizeof step, "%s %lld", what, (long long)id);
    if (rc != XJL_OK || (rc = xjl__store_begin_as(st, step)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_regq_get(st, id, q)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, q->school, authority, what)) != XJL_OK) {
        xjl__store_rollback(st);
        xjl__regq_clear(q);
    }
    return rc;
}

static int refuse_regq(xjl_workspace *ws, struct xjl_regq *q, const char *why)
{
    xjl__store_rollback(xjl__ws_store(ws));
    int rc = xjl__failm(XJL_ESTATE, "ws.register.refused", (long long)q->id,
                        xjl__value_label(q->state), why);
    xjl__regq_clear(q);
    return rc;
}

/* Ends a refused step with the message already set. */
static int drop_regq(xjl_workspace *ws, struct xjl_regq *q, int rc)
{
    xjl__store_rollback(xjl__ws_store(ws));
    xjl__regq_clear(q);
    return rc;
}

/* The state table's word on the request's state and the action. */
static int regq_step(const struct xjl_regq *q, const char *action)
{
    return xjl__step_check(XJL__FLOW_REGISTRATION,
                           xjl__state_parse(XJL__FLOW_REGISTRATION, q->state), -1, action,
                           "registration request", q->id, NULL);
}

XJL_API int xjl_reg_proof(xjl_workspace *ws, int64_t id, const char *proof)
{
    if (!ws || !proof || !*proof)
        return xjl__failm(XJL_EINVAL, "ws.register.proof_required", "xjl_reg_proof");
    struct xjl_regq q;
    int rc = begin_regq(ws, id, false, xjl__msg("ws.what.recording_a_proof_of_attendance"), &q);
    if (rc != XJL_OK)
        return rc;
    if ((rc = regq_step(&q, "proof")) != XJL_OK)
        return drop_regq(ws, &q, rc);
    free(q.proof);
    q.proof = strdup(proof);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.proof", proof);
    rc = finish_reg(xjl__ws_store(ws), xjl__store_regq_set(xjl__ws_store(ws), &q),
                    "registration-proof", id, detail);
    xjl__regq_clear(&q);
    return rc;
}

/* A J number: J + the school's region + birth date + a sequence + the
 * MOD 11-2 check character over those 17 digits, unique in the workspace. */
static int make_j(xjl_workspace *ws, const struct xjl_regq *q, char out[24])
{
    struct xjl_store *st = xjl__ws_store(ws);
    int32_t region = 0;
    int rc = xjl__store_school_region(st, q->school, &region);
    if (rc != XJL_OK)
        return rc;
    if (region <= 0)
        return xjl__failm(XJL_ESTATE, "ws.register.no_region", q->school);
    int32_t day = XJL_DATE_NONE;
    int y, m, d;
    if (xjl_date_parse(q->key[2] ? q->key[2] : "", XJL_NTS, &day, NULL) != XJL_OK ||
        xjl_date_to_ymd(day, &y, &m, &d) != XJL_OK)
        return xjl__failm(XJL_ESTATE, "ws.register.no_birth_date", (long long)q->id);
    for (int seq = 1; seq < 1000; seq++) {
        char first17[64];
        snprintf(first17, sizeof first17, "%06ld%04d%02d%02d%03d", (long)region % 1000000,
                 y % 10000, m % 100, d % 100, seq);
        first17[17] = '\0';
        snprintf(out, 24, "J%.17s%c", first17, xjl_id_check_char(first17));
        struct xjl__holder owner;
        if ((rc = xjl__store_number_owner(st, out, &owner)) != XJL_OK)
            return rc;
        if (!owner.kind)
            return XJL_OK;
    }
    return xjl__failm(XJL_ESTATE, "ws.register.no_free_number", (long)region, y, m, d);
}

XJL_API int xjl_reg_decide(xjl_workspace *ws, int64_t id, bool approve, const char *note)
{
    if (!ws || !note || !*note)
        return xjl__failm(XJL_EINVAL, "ws.register.note_required", "xjl_reg_decide");
    struct xjl_regq q;
    int rc = begin_regq(ws, id, true, xjl__msg("ws.what.deciding_a_registration_by_hand"), &q);
    if (rc != XJL_OK)
        return rc;
    if ((rc = regq_step(&q, "decide")) != XJL_OK)
        return drop_regq(ws, &q, rc);
    if (!q.proof)
        return refuse_regq(ws, &q, xjl__msg("ws.register.no_proof"));
    char number[24] = "";
    if (approve && (rc = make_j(ws, &q, number)) != XJL_OK) {
        xjl__store_rollback(xjl__ws_store(ws));
        xjl__regq_clear(&q);
        return rc;
    }
    snprintf(q.state, sizeof q.state, "%s", approve ? "registered" : "refused");
    free(q.result);
    q.result = strdup(note);
    free(q.number);
    q.number = approve ? strdup(number) : NULL;
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.decided",
                xjl__stored_word((char[64]){0}, 64, "value.", q.state),
                approve ? XJL_STORED_WORD "ws.audit.as" : "", number, note);
    rc = finish_reg(xjl__ws_store(ws), xjl__store_regq_set(xjl__ws_store(ws), &q),
                    "registration-decide", id, detail);
    xjl__regq_clear(&q);
    return rc;
}

XJL_API int xjl_reg_list(xjl_workspace *ws, const char *school, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_reg_list");
    int rc = school ? xjl__ws_allow(ws, school, false, xjl__msg("ws.what.listing_registrations"))
                    : XJL_OK;
    if (rc == XJL_OK)
        rc = xjl__store_regq_table(xjl__ws_store(ws), school, out);
    if (rc == XJL_OK)
        xjl__ws_scope_listing(ws, *out, "school");
    return rc;
}

/* ---- the monthly national duplicate check ------------------------------------- */

static int put_line(FILE *fp, const char *const *v, size_t n)
{
    int rc = XJL_OK;
    for (size_t i = 0; i < n && rc == XJL_OK; i++)
        rc = xjl__put_field(fp, v[i], i + 1 == n);
    return rc;
}

/* Temporary numbers whose supplement now holds a valid citizen number. */
static int l_rows(struct xjl_store *st, FILE *fp, size_t *n)
{
    int64_t *ids = NULL;
    size_t count = 0;
    int rc = xjl__store_row_ids_numbered(st, "L", &ids, &count);
    for (size_t i = 0; i < count && rc == XJL_OK; i++) {
        struct xjl_row row;
        struct xjl_srec s;
        bool exists = false;
        if ((rc = xjl__store_row_get(st, ids[i], &row)) != XJL_OK)
            break;
        if ((rc = xjl__store_suppl_get(st, row.id, &s, &exists)) == XJL_OK && exists) {
            xjl_id_info info;
            xjl_id_type t = XJL_IDTYPE_NONE;
            const char *type = s.v[XJL_SF_ID_TYPE] ? s.v[XJL_SF_ID_TYPE] : "";
            const char *num = s.v[XJL_SF_ID_NUMBER] ? s.v[XJL_SF_ID_NUMBER] : "";
            if (xjl_id_type_parse(type, XJL_NTS, &t) == XJL_OK && xjl_id_type_is_citizen(t) &&
                xjl_id_parse(num, XJL_NTS, t, &info) == XJL_OK && info.kind == XJL_IDKIND_CITIZEN) {
                const char *gcode;
                char tcode[2];
                const char *v[] = {"",
                                   row.number,
                                   row.school,
                                   "1",
                                   s.v[XJL_SF_NAME],
                                   xjl__gender_display(s.v[XJL_SF_GENDER], &gcode),
                                   s.v[XJL_SF_BIRTH_DATE],
                                   xjl__id_type_display(type, tcode),
                                   info.normalized};
                rc = put_line(fp, v, XJL_ARRAY_LEN(v));
                (*n)++;
            }
            xjl__clear_error();
        }
        if (exists)
            xjl__srec_clear(&s);
        xjl__row_clear(&row);
    }
    free(ids);
    return rc;
}

XJL_API int xjl_reg_export_check(xjl_workspace *ws, const char *path, size_t *count)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_reg_export_check");
    int rc =
        xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.exporting_the_national_duplicate_check"));
    if (rc != XJL_OK || (rc = xjl__ws_policy(ws, "registration")) != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    /* Written as every output is (lib/util/outfile.c): never over the
     * workspace itself, and replaced whole or not at all. */
    const char *ws_file = xjl__store_path(st);
    xjl_output *out;
    if ((rc = xjl__output_open(&out, path, NULL, 0, &ws_file, 1)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_begin(st)) != XJL_OK) {
        xjl__output_abort(out);
        return rc;
    }
    int64_t batch = 0, *ids = NULL;
    size_t n = 0, written = 0;
    if ((rc = xjl__store_batch_add(st, "national-check", NULL, path, 0, &batch)) != XJL_OK ||
        (rc = xjl__store_regq_ids(st, "queued", &ids, &n)) != XJL_OK) {
        xjl__store_rollback(st);
        xjl__output_abort(out);
        return rc;
    }
    FILE *fp = xjl__output_stream(out);
    fputs("\xEF\xBB\xBF", fp);
    static const char *const head[] = {"申请号", "学籍号",   "学校",         "年级",      "姓名",
                                       "性别",   "出生日期", "身份证件类型", "身份证件号"};
    rc = put_line(fp, head, XJL_ARRAY_LEN(head));
    for (size_t i = 0; i < n && rc == XJL_OK; i++) {
        struct xjl_regq q;
        if ((rc = xjl__store_regq_get(st, ids[i], &q)) != XJL_OK)
            break;
        char req[24], grade[8];
        snprintf(req, sizeof req, "%lld", (long long)q.id);
        snprintf(grade, sizeof grade, "%d", q.grade);
        const char *gcode;
        char tcode[2];
        const char *v[] = {req,      "",
                           q.school, grade,
                           q.key[0], xjl__gender_display(q.key[1], &gcode),
                           q.key[2], xjl__id_type_display(q.key[3], tcode),
                           q.key[4]};
        if ((rc = put_line(fp, v, XJL_ARRAY_LEN(v))) == XJL_OK) {
            snprintf(q.state, sizeof q.state, "checking");
            q.batch = batch;
            rc = xjl__store_regq_set(st, &q);
            written++;
        }
        xjl__regq_clear(&q);
    }
    free(ids);
    if (rc == XJL_OK)
        rc = l_rows(st, fp, &written);
    if (rc == XJL_EIO || rc == XJL_ERANGE)
        rc = xjl__failm(XJL_EIO, "ws.cannot_write", path);
    /* The file before the requests' new state: should the commit below
     * fail, the file stands and its requests stay queued (the next export
     * sends them again), where the other order could leave requests
     * "checking" that no file ever sent. */
    if (rc != XJL_OK)
        xjl__output_abort(out);
    else
        rc = xjl__output_commit(out);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.check_exported", (long long)batch, written, path);
    rc = finish_reg(st, rc, "national-check-export", batch, detail);
    if (rc == XJL_OK && count)
        *count = written;
    return rc;
}

/* 1 passed, 0 refused (duplicate or not passed), -1 unknown. */
static int verdict(const char *v)
{
    static const char *const pass[] = {"通过", "pass", "passed", "ok", "无重复"};
    static const char *const fail[] = {"重复", "duplicate", "不通过", "refused", "fail"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(pass); i++)
        if (strcmp(v, pass[i]) == 0)
            return 1;
    for (size_t i = 0; i < XJL_ARRAY_LEN(fail); i++)
        if (strcmp(v, fail[i]) == 0)
            return 0;
    return -1;
}

/* The G number for a passed citizen number, or why there is none (any
 * holder but intake row self_row: a request, another row, a graduate). */
static int formal_for(struct xjl_store *st, const char *id_number, char out[24], int64_t self_row)
{
    /* a citizen number (18 characters, 15 in the old form): the bound only
     * tells the compiler what fits */
    snprintf(out, 24, "G%.22s", id_number);
    struct xjl__holder owner;
    int rc = xjl__store_number_owner(st, out, &owner);
    if (rc == XJL_OK && owner.kind && !(owner.kind == XJL__HELD_BY_ROW && owner.id == self_row))
        rc = xjl__failm(XJL_EDUPLICATE, "ws.register.held", out,
                        xjl__msg(xjl__holder_word(owner.kind, false)), (long long)owner.id);
    return rc;
}

static int result_row(xjl_workspace *ws, const xjl_csv *csv, int c_req, int c_num, int c_res,
                      int c_note, int64_t batch, xjl_load_report *r)
{
    struct xjl_store *st = xjl__ws_store(ws);
    const char *req = c_req >= 0 ? xjl_csv_field(csv, (size_t)c_req, NULL) : "";
    const char *num = c_num >= 0 ? xjl_csv_field(csv, (size_t)c_num, NULL) : "";
    const char *note = c_note >= 0 ? xjl_csv_field(csv, (size_t)c_note, NULL) : "";
    int v = verdict(xjl_csv_field(csv, (size_t)c_res, NULL));
    if (v < 0)
        return xjl__failm(XJL_EINVAL, "ws.register.bad_result",
                          xjl_csv_field(csv, (size_t)c_res, NULL));
    char number[24], detail[512];
    int rc = XJL_OK;
    if (*req) {
        char *end = NULL;
        long long id = strtoll(req, &end, 10);
        struct xjl_regq q;
        if (*end || id <= 0)
            return xjl__failm(XJL_EINVAL, "ws.register.bad_request", req);
        if ((rc = xjl__store_regq_get(st, id, &q)) != XJL_OK)
            return rc;
        if ((rc = xjl__step_check(XJL__FLOW_REGISTRATION,
                                  xjl__state_parse(XJL__FLOW_REGISTRATION, q.state), -1,
                                  "import-check", "registration request", id, NULL)) != XJL_OK) {
            /* the table's message */
        } else if (q.batch != batch) {
            rc = xjl__failm(XJL_ESTATE, "ws.register.other_batch", id, (long long)q.batch,
                            (long long)batch);
        } else if (v == 1 && (rc = formal_for(st, q.key[4], number, 0)) == XJL_OK) {
            snprintf(q.state, sizeof q.state, "registered");
            q.number = strdup(number);
        } else if (v == 0 || rc == XJL_EDUPLICATE) {
            /* kept for readers of both languages: the centre's note as
             * written, or the library's reason as an entry */
            char why[128];
            if (v != 0)
                xjl__stored(why, sizeof why, "ws.register.result_held", number);
            snprintf(q.state, sizeof q.state, "refused");
            q.result = strdup(v != 0  ? why
                              : *note ? note
                                      : XJL_STORED("ws.register.result_duplicate"));
            rc = XJL_OK;
        }
        if (rc == XJL_OK && (rc = xjl__store_regq_set(st, &q)) == XJL_OK) {
            if (q.number)
                xjl__stored(detail, sizeof detail, "ws.audit.check_registered", q.number);
            else if (v != 0)
                xjl__stored(detail, sizeof detail, "ws.audit.check_refused_held", number);
            else
                xjl__stored(detail, sizeof detail, "ws.audit.check_refused",
                            *note ? note : XJL_STORED_WORD "ws.register.result_duplicate");
            rc = xjl__store_audit(st, "national-check-result", "registration", id, detail);
            r->matched += v == 1 && q.number;
            r->not_found += !q.number;
        }
        xjl__regq_clear(&q);
        return rc;
    }
    /* L → G: a temporary number the centre confirms becomes formal. */
    struct xjl__holder holder = {XJL__HELD_BY_NONE, 0};
    if (num[0] != 'L' || (rc = xjl__store_number_owner(st, num, &holder)) != XJL_OK ||
        holder.kind != XJL__HELD_BY_ROW)
        return rc != XJL_OK ? rc
               : num[0] == 'L' && !holder.kind
                   ? xjl__failm(XJL_ENOTFOUND, "ws.register.no_row_number", num)
                   : xjl__failm(XJL_EINVAL, "ws.register.need_request");
    int64_t owner = holder.id;
    struct xjl_row row;
    struct xjl_srec s;
    bool exists = false;
    if ((rc = xjl__store_row_get(st, owner, &row)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_suppl_get(st, owner, &s, &exists)) == XJL_OK && exists && v == 1) {
        xjl_id_info info;
        if (xjl_id_parse(s.v[XJL_SF_ID_NUMBER] ? s.v[XJL_SF_ID_NUMBER] : "", XJL_NTS,
                         XJL_IDTYPE_RESIDENT, &info) != XJL_OK ||
            info.kind != XJL_IDKIND_CITIZEN)
            rc = xjl__failm(XJL_ESTATE, "ws.register.no_citizen", (long long)owner, num);
        else if ((rc = formal_for(st, info.normalized, number, owner)) == XJL_OK) {
            xjl__stored(detail, sizeof detail, "ws.audit.l_to_g", num, number);
            free(row.number);
            row.number = strdup(number);
            if ((rc = xjl__store_row_update(st, &row)) == XJL_OK &&
                (rc = xjl__store_history_add(st, row.id, "formal-number", row.status, row.status,
                                             detail)) == XJL_OK)
                rc = xjl__store_audit(st, "formal-number", "row", row.id, detail);
            r->updated += rc == XJL_OK;
        }
    } else if (rc == XJL_OK && v == 0) {
        xjl__stored(detail, sizeof detail, "ws.audit.kept_temporary", num,
                    *note ? note : XJL_STORED_WORD "ws.audit.duplicate");
        rc = xjl__store_history_add(st, row.id, "national-check", row.status, row.status, detail);
        r->unchanged += rc == XJL_OK;
    }
    if (exists)
        xjl__srec_clear(&s);
    xjl__row_clear(&row);
    return rc;
}

XJL_API int xjl_reg_import_result(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                  xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_reg_import_result");
    int rc =
        xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.importing_the_national_duplicate_check"));
    if (rc != XJL_OK || (rc = xjl__ws_policy(ws, "registration")) != XJL_OK)
        return rc;
    xjl_csv *csv = NULL;
    if ((rc = xjl_csv_open(&csv, path, enc)) != XJL_OK)
        return rc;
    int c_req = xjl_csv_column(csv, "申请号"), c_num = xjl_csv_column(csv, "学籍号");
    int c_res = xjl_csv_column(csv, "结果"), c_note = xjl_csv_column(csv, "说明");
    int c_batch = xjl_csv_column(csv, "批次");
    if (c_res < 0 || (c_req < 0 && c_num < 0)) {
        xjl_csv_close(csv);
        return xjl__failm(XJL_EFORMAT, "ws.register.result_columns", path);
    }
    struct xjl_store *st = xjl__ws_store(ws);
    if ((rc = xjl__store_begin(st)) != XJL_OK) {
        xjl_csv_close(csv);
        return rc;
    }
    xjl_load_report r = {0};
    int more;
    while (rc == XJL_OK && (more = xjl_csv_next(csv)) > 0) {
        r.rows++;
        int64_t batch = 0;
        if (c_batch >= 0)
            batch = strtoll(xjl_csv_field(csv, (size_t)c_batch, NULL), NULL, 10);
        else {
            /* Without a batch column: the request's own batch. */
            struct xjl_regq q;
            const char *req = c_req >= 0 ? xjl_csv_field(csv, (size_t)c_req, NULL) : "";
            if (*req && xjl__store_regq_get(st, strtoll(req, NULL, 10), &q) == XJL_OK) {
                batch = q.batch;
                xjl__regq_clear(&q);
            }
            xjl__clear_error();
        }
        int row_rc = xjl__row_width_ok(csv, diag, user)
                         ? result_row(ws, csv, c_req, c_num, c_res, c_note, batch, &r)
                         : XJL_EFORMAT;
        if (row_rc == XJL_EDB || row_rc == XJL_EBUSY || row_rc == XJL_ENOMEM) {
            rc = row_rc;
        } else if (row_rc != XJL_OK) {
            if (row_rc != XJL_EFORMAT)
                xjl__diag_row(diag, user, csv, c_req >= 0 ? "申请号" : "学籍号",
                              xjl_csv_field(csv, (size_t)(c_req >= 0 ? c_req : c_num), NULL),
                              xjl_errmsg());
            r.bad_rows++;
        }
    }
    if (rc == XJL_OK && more < 0)
        rc = more;
    xjl_csv_close(csv);
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.check_imported", path, r.rows, XJL_PLURAL(r.rows),
                r.matched, r.not_found, r.updated, r.unchanged, r.bad_rows);
    rc = finish_reg(st, rc, "national-check-import", 0, detail);
    if (rep)
        *rep = r;
    return rc;
}
