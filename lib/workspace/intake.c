/*
 * intake.c: primary new-student intake (小学新生学籍接续), the rules of
 * docs/domain.md §1 over the matcher and the workspace store.

 * The registry's index is the workspace handle's (workspace.c).
 *
 * Every step is: ask the policy hooks, open one write transaction, read the
 * row, refuse (XJL_ESTATE, saying why) or change it, write the row's history
 * and the audit trail, commit.  Any failure rolls the whole step back.
 */
#include "workspace/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- schools ---------------------------------------------------------------- */

static bool digits_only(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

XJL_API int xjl_school_set(xjl_workspace *ws, const char *school, const char *name, int32_t region,
                           const char *identifier)
{
    if (!ws || !school || !*school)
        return xjl__failm(XJL_EINVAL, "ws.intake.school_required_fn", "xjl_school_set");
    if (region != 0 && (region < 110000 || region > 999999))
        return xjl__failm(XJL_EINVAL, "ws.intake.bad_region", school, (long)region);
    if (identifier && *identifier && !digits_only(identifier, 10))
        return xjl__failm(XJL_EINVAL, "ws.intake.bad_identifier", school, identifier);
    struct xjl_store *st = ws->st;
    int rc = xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.setting_a_school"));
    if (rc != XJL_OK)
        return rc;
    int32_t stored = 0;
    if ((rc = xjl__store_school_region(st, school, &stored)) != XJL_OK)
        return rc;
    if ((stored &&
         (rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.setting_a_school"))) != XJL_OK) ||
        (region &&
         (rc = xjl__ws_allow_region(ws, region, xjl__msg("ws.what.setting_a_school"))) != XJL_OK))
        return rc;
    rc = xjl__store_begin(st);
    if (rc != XJL_OK)
        return rc;
    /* What is not given keeps its stored value: naming a school must not
     * wipe the county code its temporary numbers are made from. */
    char detail[512], reg[16] = "";
    if (region)
        snprintf(reg, sizeof reg, "%06ld", (long)region);
    xjl__stored(detail, sizeof detail, "ws.audit.school_set", school,
                name && *name ? XJL_STORED_WORD "ws.audit.school_name" : "", name ? name : "",
                *reg ? XJL_STORED_WORD "ws.audit.school_region" : "", reg,
                identifier && *identifier ? XJL_STORED_WORD "ws.audit.school_identifier" : "",
                identifier && *identifier ? identifier : "");
    if ((rc = xjl__store_school_set(st, school, name, region, identifier)) != XJL_OK ||
        (rc = xjl__store_audit(st, "school-set", "school", 0, detail)) != XJL_OK ||
        (rc = xjl__store_commit(st)) != XJL_OK)
        xjl__store_rollback(st);
    return rc;
}

XJL_API int xjl_school_list(xjl_workspace *ws, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_school_list");
    int rc = xjl__store_school_table(ws->st, out);
    if (rc == XJL_OK)
        xjl__ws_scope_listing(ws, *out, "school");
    return rc;
}

/* The registry index built and not empty, or XJL_ESTATE. */
static int need_registry(xjl_workspace *ws)
{
    int rc = xjl__ixcache_ensure(&ws->registry, ws->st, "registry", xjl__store_registry_scan);
    if (rc == XJL_OK && xjl_index_count(ws->registry.ix) == 0)
        return xjl__failm(XJL_ESTATE, "ws.intake.registry_empty");
    return rc;
}

/* ---- matching a row ---------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return (s && *s) ? strdup(s) : NULL;
}

/* Sets the row's status, registry record, score, reasons and id_key from a
 * match result, and writes its candidates. */
static int apply_result(xjl_workspace *ws, struct xjl_row *row, const xjl_result *res)
{
    xjl_match_status ms = xjl_result_status(res);
    row->status = ms == XJL_MATCHED     ? XJL_ROW_MATCHED
                  : ms == XJL_PENDING   ? XJL_ROW_PENDING
                  : ms == XJL_NOT_FOUND ? XJL_ROW_NOT_FOUND
                                        : XJL_ROW_ERROR;
    row->registry_id = 0;
    /* The matched record is the first candidate: its position, not a lookup
     * of its record id (whose table would be built over the whole registry). */
    if (ms == XJL_MATCHED)
        row->registry_id = xjl__ixcache_id(&ws->registry, xjl_result_candidate_pos(res, 0));
    row->score = xjl_result_score(res);
    free(row->reasons);
    row->reasons = dup_or_null(xjl_result_reasons(res));
    free(row->id_key);
    row->id_key = xjl__row_id_key(xjl_result_query(res));
    char f[1024];
    size_t n = 0;
    free(row->findings);
    row->findings = NULL;
    if (xjl_parsed_describe(xjl_result_query(res), f, sizeof f, &n) == XJL_OK && n)
        row->findings = strdup(f);
    return XJL_OK;
}

static int write_candidates(xjl_workspace *ws, int64_t row_id, const xjl_result *res)
{
    size_t n = xjl_result_candidate_count(res);
    struct xjl_row_cand c[64];
    if (n > XJL_ARRAY_LEN(c))
        n = XJL_ARRAY_LEN(c);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        c[k].registry_id = xjl__ixcache_id(&ws->registry, xjl_result_candidate_pos(res, i));
        if (!c[k].registry_id)
            continue;
        c[k].score = xjl_result_candidate_score(res, i);
        c[k].reasons = xjl_result_candidate_reasons(res, i);
        k++;
    }
    return xjl__store_candidates_set(ws->st, row_id, c, k);
}

static void row_detail(const struct xjl_row *r, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "school=%s name=%s gender=%s birth_date=%s id_type=%s id_number=%s "
             "status=%s supplement=%s review=%s number=%s",
             r->school ? r->school : "", r->key[0] ? r->key[0] : "", r->key[1] ? r->key[1] : "",
             r->key[2] ? r->key[2] : "", r->key[3] ? r->key[3] : "", r->key[4] ? r->key[4] : "",
             xjl_row_status_name(r->status), xjl__supplement_name(r->supplement),
             xjl__review_name(r->review), r->number ? r->number : "");
}

/* A preschool record pulled (调档) by one school is locked for the others: a
 * row that matches it becomes pending, its note naming the holder. */
static int locked_elsewhere(xjl_workspace *ws, struct xjl_row *row)
{
    if (row->status != XJL_ROW_MATCHED || !row->registry_id)
        return XJL_OK;
    int64_t other = 0;
    char holder[128];
    int rc = xjl__store_registry_holder(ws->st, row->registry_id, row->school, &other, holder);
    if (rc != XJL_OK || !other)
        return rc;
    char note[256];
    xjl__stored(note, sizeof note, "ws.note.pulled", holder, (long long)other);
    row->status = XJL_ROW_PENDING;
    row->registry_id = 0;
    free(row->note);
    row->note = strdup(note);
    return XJL_OK;
}

/* A pupil who holds a formal number already (approved at another school, or
 * a graduate of the pool) is not a new pupil: the row says so in its findings
 * and note, and the import warns. */
static int held_elsewhere(xjl_workspace *ws, struct xjl_row *row)
{
    if (strchr(row->id_key, ':'))
        return XJL_OK;
    char number[XJL_ID_MAX + 2];
    snprintf(number, sizeof number, "G%s", row->id_key);
    struct xjl__holder owner;
    int rc = xjl__store_number_owner(ws->st, number, &owner);
    if (rc != XJL_OK || !owner.kind || (owner.kind == XJL__HELD_BY_ROW && owner.id == row->id))
        return rc;
    char note[256];
    if (owner.kind == XJL__HELD_BY_ROW) {
        struct xjl_row other;
        if ((rc = xjl__store_row_get(ws->st, owner.id, &other)) != XJL_OK)
            return rc;
        /* the other row may hold G + an older number of the pupil's */
        if (other.number && strcmp(other.number, number) != 0)
            xjl__stored(note, sizeof note, "ws.note.held_by_row_as", row->id_key,
                        (long long)owner.id, other.school ? other.school : "", other.number);
        else
            xjl__stored(note, sizeof note, "ws.note.held_by_row", number, (long long)owner.id,
                        other.school ? other.school : "");
        xjl__row_clear(&other);
    } else {
        xjl__stored(note, sizeof note,
                    owner.kind == XJL__HELD_BY_GRADUATE ? "ws.note.held_by_graduate"
                                                        : "ws.note.held_by_registration",
                    number, (long long)owner.id);
    }
    size_t n = row->findings ? strlen(row->findings) : 0;
    char *f = malloc(n + 32);
    if (!f)
        return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_findings");
    snprintf(f, n + 32, "%s%sid_number:number_held", n ? row->findings : "", n ? " " : "");
    free(row->findings);
    row->findings = f;
    free(row->note);
    row->note = strdup(note);
    return XJL_OK;
}

/* Inserts one matched row of a school (inside a transaction).  Returns
 * XJL_EDUPLICATE (message set) when the school has the citizen number
 * already, or, for a row without one, a row with the same five fields (the
 * same list imported twice once doubled every such row). */
static int insert_row(xjl_workspace *ws, const char *school, int64_t batch, long line,
                      const xjl_record *rec, const xjl_result *res, struct xjl_row *row,
                      const char *source)
{
    memset(row, 0, sizeof *row);
    row->school = strdup(school);
    row->batch = batch;
    row->line = line;
    const char *keys[5] = {rec->name, rec->gender, rec->birth_date, rec->id_type, rec->id_number};
    for (int i = 0; i < 5; i++)
        row->key[i] = dup_or_null(keys[i]);
    int rc = apply_result(ws, row, res);
    if (rc != XJL_OK || (rc = locked_elsewhere(ws, row)) != XJL_OK)
        return rc;
    if (row->id_key) {
        int64_t other = 0;
        if ((rc = xjl__store_row_find_idkey(ws->st, school, row->id_key, 0, &other)) != XJL_OK)
            return rc;
        if (other)
            return xjl__failm(XJL_EDUPLICATE, "ws.intake.id_on_list", row->id_key, school,
                              (long long)other);
        if ((rc = held_elsewhere(ws, row)) != XJL_OK)
            return rc;
    } else {
        int64_t other = 0;
        if ((rc = xjl__store_row_find_same(ws->st, school, (const char *const *)row->key, 0,
                                           &other)) != XJL_OK)
            return rc;
        if (other)
            return xjl__failm(XJL_EDUPLICATE, "ws.intake.five_on_list", keys[0] ? keys[0] : "",
                              keys[1] ? keys[1] : "", keys[2] ? keys[2] : "",
                              keys[3] ? keys[3] : "", keys[4] ? keys[4] : "", school,
                              (long long)other);
    }
    if ((rc = xjl__store_row_insert(ws->st, row)) != XJL_OK ||
        (rc = write_candidates(ws, row->id, res)) != XJL_OK)
        return rc;
    char detail[512];
    size_t nc = xjl_result_candidate_count(res);
    xjl__stored(detail, sizeof detail, "ws.audit.row_matched", source, line,
                xjl__stored_word((char[64]){0}, 64, "value.", xjl_row_status_name(row->status)),
                row->score, nc, XJL_PLURAL(nc), row->reasons ? "; " : "",
                row->reasons ? row->reasons : "");
    return xjl__store_history_add(ws->st, row->id, "import", -1, row->status, detail);
}

XJL_API int xjl_intake_load_registry(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                     xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_load_registry");
    int rc = xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.loading_the_preschool_registry"));
    if (rc != XJL_OK || (rc = xjl__ws_policy(ws, "intake-authority")) != XJL_OK)
        return rc;
    xjl_csv *csv = NULL;
    rc = xjl__ws_csv_open(ws, &csv, path, enc);
    if (rc != XJL_OK)
        return rc;
    int cols[XJL_SF_COUNT];
    xjl__sfield_columns(csv, cols);
    struct xjl_row_layout layout;
    if ((rc = xjl__row_layout(csv, NULL, &layout)) != XJL_OK) {
        xjl_csv_close(csv);
        return rc;
    }
    /* the key fields where the layout found them: a mapping may name them */
    static const xjl_sfield keys[] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE, XJL_SF_ID_TYPE,
                                      XJL_SF_ID_NUMBER};
    for (size_t i = 0; i < XJL_ARRAY_LEN(keys); i++)
        cols[keys[i]] = layout.key[i];
    int id_col = layout.id;
    if (id_col < 0) {
        xjl_csv_close(csv);
        return xjl__failm(XJL_EFORMAT, "columns.no_record_id", path, xjl_record_id_column_list());
    }
    static const xjl_sfield key_fields[] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE,
                                            XJL_SF_ID_TYPE, XJL_SF_ID_NUMBER};
    for (size_t i = 0; i < XJL_ARRAY_LEN(key_fields); i++)
        if (cols[key_fields[i]] < 0) {
            xjl_csv_close(csv);
            return xjl__failm(XJL_EFORMAT, "ws.intake.no_column", path,
                              xjl_sfield_label_zh(key_fields[i]), xjl_sfield_name(key_fields[i]));
        }
    return xjl__registry_fill(ws, csv, cols, id_col, diag, user, rep);
}

XJL_API int xjl_intake_registry_count(xjl_workspace *ws, size_t *out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_registry_count");
    int64_t n = 0;
    int rc = xjl__store_registry_count(ws->st, &n);
    *out = (size_t)n;
    return rc;
}

XJL_API int xjl_intake_registry_record(xjl_workspace *ws, const char *record_id, xjl_listing **out)
{
    if (!ws || !record_id || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_registry_record");
    int rc = xjl__store_registry_table(ws->st, record_id, out);
    if (rc == XJL_OK && xjl_listing_rows(*out) == 0) {
        xjl_listing_free(*out);
        *out = NULL;
        return xjl__failm(XJL_ENOTFOUND, "ws.intake.no_record", record_id);
    }
    return rc;
}

/* ---- importing a school's list ------------------------------------------------- */

struct roster {
    xjl_record *recs;
    long *lines;
    char **text; /* 5 strings per row */
    size_t n, cap;
};

static void roster_free(struct roster *r)
{
    for (size_t i = 0; i < r->n * 5; i++)
        free(r->text[i]);
    free(r->text);
    free(r->recs);
    free(r->lines);
    memset(r, 0, sizeof *r);
}

static int roster_read(struct roster *ro, xjl_csv *csv, const struct xjl_row_layout *l,
                       xjl_diag_fn diag, void *user, size_t *rows, size_t *bad)
{
    int more;
    while ((more = xjl_csv_next(csv)) > 0) {
        (*rows)++;
        if (!xjl__row_loads(csv, l, diag, user)) {
            (*bad)++;
            continue;
        }
        if (ro->n == ro->cap) {
            size_t cap = ro->cap ? ro->cap * 2 : 256;
            xjl_record *recs = realloc(ro->recs, cap * sizeof *recs);
            if (recs)
                ro->recs = recs;
            long *lines = realloc(ro->lines, cap * sizeof *lines);
            if (lines)
                ro->lines = lines;
            char **text = realloc(ro->text, cap * 5 * sizeof *text);
            if (text)
                ro->text = text;
            if (!recs || !lines || !text)
                return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_reading", xjl_csv_path(csv));
            ro->cap = cap;
        }
        char **t = ro->text + ro->n * 5;
        for (int f = 0; f < 5; f++) {
            size_t len = 0;
            const char *v = xjl_csv_field(csv, (size_t)l->key[f], &len);
            t[f] = strndup(v, len); /* the row rule let no NUL byte through */
            if (!t[f])
                return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_reading", xjl_csv_path(csv));
        }
        ro->recs[ro->n] = (xjl_record){t[0], t[1], t[2], t[3], t[4]};
        ro->lines[ro->n] = xjl_csv_line(csv);
        ro->n++;
    }
    return more < 0 ? more : XJL_OK;
}

static void count_status(xjl_load_report *r, int status)
{
    switch (status) {
    case XJL_ROW_MATCHED:
        r->matched++;
        break;
    case XJL_ROW_PENDING:
        r->pending++;
        break;
    case XJL_ROW_NOT_FOUND:
        r->not_found++;
        break;
    default:
        r->errors++;
        break;
    }
}

static void free_results(xjl_result **res, size_t n)
{
    if (!res)
        return;
    for (size_t i = 0; i < n; i++)
        xjl_result_free(res[i]);
}

static int check_school(const char *school)
{
    if (!school || !*school)
        return xjl__failm(XJL_EINVAL, "ws.intake.school_required");
    return XJL_OK;
}

/* A list comes from a school the authority set up: a mistyped code must not
 * open a new school of its own. */
static int known_school(xjl_workspace *ws, const char *school)
{
    int32_t region = 0;
    int kind = 0;
    bool exists = false;
    int rc = xjl__store_school_info(ws->st, school, &region, &kind, &exists);
    if (rc == XJL_OK && !exists)
        rc = xjl__failm(XJL_ENOTFOUND, "ws.intake.unknown_school", school, school);
    return rc;
}

XJL_API int xjl_intake_import(xjl_workspace *ws, const char *school, const char *path,
                              xjl_encoding enc, xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_import");
    int rc = check_school(school);
    if (rc != XJL_OK || (rc = known_school(ws, school)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.importing_a_list"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "intake")) != XJL_OK)
        return rc;
    xjl_load_report r = {0};
    struct roster ro = {0};
    xjl_csv *csv = NULL;
    if ((rc = xjl__ws_csv_open(ws, &csv, path, enc)) != XJL_OK)
        return rc;
    struct xjl_row_layout layout;
    if ((rc = xjl__row_layout(csv, NULL, &layout)) == XJL_OK)
        rc = roster_read(&ro, csv, &layout, diag, user, &r.rows, &r.bad_rows);
    xjl_csv_close(csv);
    if (rc != XJL_OK) {
        roster_free(&ro);
        return rc;
    }
    struct xjl_store *st = ws->st;
    xjl_result **res = calloc(ro.n ? ro.n : 1, sizeof *res);
    if (!res) {
        roster_free(&ro);
        return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_matching", path);
    }
    /* Match under a read snapshot first: the write lock is then held only
     * while the rows are written.  If the registry changed in between, the
     * index is rebuilt and the list matched again inside the write lock. */
    int64_t matched_gen = -1;
    if ((rc = xjl__store_begin_read(st)) == XJL_OK) {
        rc = need_registry(ws);
        matched_gen = ws->registry.gen;
        xjl__store_rollback(st);
    }
    if (rc == XJL_OK)
        rc = xjl_matcher_match_many(ws->registry.m, ro.recs, ro.n, 0, res);
    if (rc == XJL_OK && (rc = xjl__store_begin(st)) == XJL_OK) {
        if ((rc = need_registry(ws)) == XJL_OK && ws->registry.gen != matched_gen) {
            free_results(res, ro.n);
            memset(res, 0, ro.n * sizeof *res);
            rc = xjl_matcher_match_many(ws->registry.m, ro.recs, ro.n, 0, res);
        }
        if (rc == XJL_OK)
            rc = xjl__store_batch_add(st, "intake", school, path, ro.n, &r.batch);
        for (size_t i = 0; i < ro.n && rc == XJL_OK; i++) {
            struct xjl_row row;
            rc = insert_row(ws, school, r.batch, ro.lines[i], &ro.recs[i], res[i], &row, path);
            if (rc == XJL_EDUPLICATE) {
                if (diag)
                    diag(user, path, ro.lines[i], xjl_field_label_zh(XJL_FIELD_ID_NUMBER),
                         ro.recs[i].id_number ? ro.recs[i].id_number : "", xjl_errmsg());
                r.bad_rows++;
                rc = XJL_OK;
            } else if (rc == XJL_OK) {
                r.inserted++;
                count_status(&r, row.status);
                if (row.note && diag) {
                    /* the note is stored text: the message in the reader's language */
                    char shown[512];
                    xjl__stored_render(row.note, xjl_get_lang(), shown, sizeof shown);
                    diag(user, path, ro.lines[i], xjl_field_label_zh(XJL_FIELD_ID_NUMBER),
                         ro.recs[i].id_number ? ro.recs[i].id_number : "", shown);
                    r.warnings++;
                }
            }
            xjl__row_clear(&row);
        }
        char detail[512];
        xjl__stored(detail, sizeof detail, "ws.audit.imported", school, path, r.rows,
                    XJL_PLURAL(r.rows), r.inserted, r.matched, r.pending, r.not_found, r.errors,
                    r.bad_rows);
        if (rc == XJL_OK)
            rc = xjl__store_audit(st, "import", "batch", r.batch, detail);
        if (rc == XJL_OK)
            rc = xjl__store_commit(st);
        if (rc != XJL_OK)
            xjl__store_rollback(st);
    }
    free_results(res, ro.n);
    free(res);
    roster_free(&ro);
    if (rep)
        *rep = r;
    return rc;
}

XJL_API int xjl_intake_add(xjl_workspace *ws, const char *school, const xjl_record *rec,
                           int64_t *row_id, xjl_row_status *status)
{
    if (!ws || !rec)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_add");
    int rc = check_school(school);
    if (rc != XJL_OK || (rc = known_school(ws, school)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.adding_a_row"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "intake")) != XJL_OK)
        return rc;
    struct xjl_store *st = ws->st;
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    xjl_result *res = NULL;
    struct xjl_row row = {0};
    int64_t batch = 0;
    if ((rc = need_registry(ws)) == XJL_OK &&
        (rc = xjl_matcher_match(ws->registry.m, rec, &res)) == XJL_OK &&
        (rc = xjl__store_batch_add(st, "intake-add", school, NULL, 1, &batch)) == XJL_OK &&
        (rc = insert_row(ws, school, batch, 0, rec, res, &row, "added")) == XJL_OK) {
        char detail[1024];
        row_detail(&row, detail, sizeof detail);
        rc = xjl__store_audit(st, "add", "row", row.id, detail);
    }
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK) {
        xjl__store_rollback(st);
    } else {
        if (row_id)
            *row_id = row.id;
        if (status)
            *status = (xjl_row_status)row.status;
    }
    xjl__row_clear(&row);
    xjl_result_free(res);
    return rc;
}

/* ---- queries ----------------------------------------------------------------- */

XJL_API int xjl_intake_list(xjl_workspace *ws, const char *school, xjl_row_status status,
                            xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_list");
    int rc = check_school(school);
    if (rc == XJL_OK)
        rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.listing_a_school_s_rows"));
    return rc != XJL_OK ? rc
                        : xjl__store_rows_table(ws->st, school, status < 0 ? -1 : status, 0, out);
}

XJL_API int xjl_intake_row(xjl_workspace *ws, int64_t row_id, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_row");
    int rc = xjl__store_rows_table(ws->st, NULL, -1, row_id, out);
    if (rc == XJL_OK && xjl_listing_rows(*out) == 0) {
        xjl_listing_free(*out);
        *out = NULL;
        return xjl__failm(XJL_ENOTFOUND, "ws.no_intake_row", (long long)row_id);
    }
    if (rc == XJL_OK && (rc = xjl__ws_allow(ws, xjl_listing_value(*out, 0, "school"), false,
                                            xjl__msg("ws.what.reading_a_row"))) != XJL_OK) {
        xjl_listing_free(*out);
        *out = NULL;
    }
    return rc;
}

XJL_API int xjl_intake_status(xjl_workspace *ws, int64_t row_id, xjl_row_status *out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_status");
    struct xjl_row row;
    int rc = xjl__store_row_get(ws->st, row_id, &row);
    if (rc == XJL_OK &&
        (rc = xjl__ws_allow(ws, row.school, false, xjl__msg("ws.what.reading_a_row"))) == XJL_OK)
        *out = (xjl_row_status)row.status;
    xjl__row_clear(&row);
    return rc;
}

XJL_API int xjl_intake_candidates(xjl_workspace *ws, int64_t row_id, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_candidates");
    struct xjl_row row;
    int rc = xjl__store_row_get(ws->st, row_id, &row);
    if (rc == XJL_OK)
        rc = xjl__ws_allow(ws, row.school, false, xjl__msg("ws.what.reading_a_row"));
    xjl__row_clear(&row);
    return rc != XJL_OK ? rc : xjl__store_candidates_table(ws->st, row_id, out);
}

XJL_API int xjl_intake_history(xjl_workspace *ws, int64_t row_id, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_history");
    struct xjl_row row;
    int rc = xjl__store_row_get(ws->st, row_id, &row);
    if (rc == XJL_OK)
        rc = xjl__ws_allow(ws, row.school, false, xjl__msg("ws.what.reading_a_row"));
    xjl__row_clear(&row);
    return rc != XJL_OK ? rc : xjl__store_history_table(ws->st, row_id, out);
}

/* ---- the school's steps on one row ---------------------------------------------- */

/* A row's state in the state table: its review stage, or deleted. */
static int row_state(const struct xjl_row *row)
{
    return row->deleted ? XJL__ROW_DELETED : row->review;
}

/* Opens a step on one row: a write transaction, the row, the operator's role
 * and scope for the action's taker (school or authority), the policy of its
 * process, and the state table's word on (the row's state and match status,
 * action).  On failure nothing is held (rolled back, row cleared). */
static int begin_step(xjl_workspace *ws, int64_t row_id, const char *action, struct xjl_row *row)
{
    memset(row, 0, sizeof *row);
    const struct xjl__action *a = xjl__action_find(XJL__FLOW_ROW, action);
    bool authority = a && a->by == XJL__BY_AUTHORITY;
    char step[96]; /* a failure to commit names the step it undid */
    snprintf(step, sizeof step, "%s row %lld", a ? a->verb : action, (long long)row_id);
    int rc = xjl__store_begin_as(ws->st, step);
    if (rc != XJL_OK)
        return rc;
    if ((rc = xjl__store_row_get(ws->st, row_id, row)) != XJL_OK ||
        (rc = xjl__ws_allow(ws, row->school, authority, a ? xjl__action_verb(a) : action)) !=
            XJL_OK ||
        (rc = xjl__ws_policy(ws, authority ? "intake-authority" : "intake")) != XJL_OK ||
        (rc = xjl__step_check(XJL__FLOW_ROW, row_state(row), row->status, action, "row", row_id,
                              NULL)) != XJL_OK) {
        xjl__store_rollback(ws->st);
        xjl__row_clear(row);
    }
    return rc;
}

/* Closes the step: history, audit, commit (or rollback on any failure). */
static int end_step(xjl_workspace *ws, struct xjl_row *row, int rc, const char *action, int from,
                    const char *detail)
{
    if (rc == XJL_OK)
        rc = xjl__store_history_add(ws->st, row->id, action, from, row->status, detail);
    if (rc == XJL_OK)
        rc = xjl__store_audit(ws->st, action, "row", row->id, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(ws->st);
    if (rc != XJL_OK)
        xjl__store_rollback(ws->st);
    xjl__row_clear(row);
    return rc;
}

/* Undoes the step and fails with catalogue entry id (its arguments follow). */
static int refuse(xjl_workspace *ws, struct xjl_row *row, int code, const char *id, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, id);
    vsnprintf(msg, sizeof msg, xjl__msg(id), ap);
    va_end(ap);
    xjl__store_rollback(ws->st);
    xjl__row_clear(row);
    return xjl__fail(code, "%s", msg);
}

static bool is_matched(int status)
{
    return status == XJL_ROW_MATCHED || status == XJL_ROW_CONFIRMED;
}

XJL_API int xjl_intake_edit(xjl_workspace *ws, int64_t row_id, const xjl_record *rec,
                            xjl_row_status *status)
{
    if (!ws || !rec)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_edit");
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "edit", &row);
    if (rc != XJL_OK)
        return rc;
    const char *given[5] = {rec->name, rec->gender, rec->birth_date, rec->id_type, rec->id_number};
    char before[1024];
    row_detail(&row, before, sizeof before);
    for (int i = 0; i < 5; i++) {
        if (!given[i])
            continue;
        free(row.key[i]);
        row.key[i] = dup_or_null(given[i]);
    }
    xjl_record now = {row.key[0], row.key[1], row.key[2], row.key[3], row.key[4]};
    xjl_result *res = NULL;
    int from = row.status;
    int64_t other = 0;
    if ((rc = need_registry(ws)) == XJL_OK &&
        (rc = xjl_matcher_match(ws->registry.m, &now, &res)) == XJL_OK &&
        (rc = apply_result(ws, &row, res)) == XJL_OK)
        rc = xjl__store_row_find_twin(ws->st, &row, &other);
    if (rc == XJL_OK && other) { /* the list has the edited pupil already: as import refuses */
        xjl_result_free(res);
        if (row.id_key)
            return refuse(ws, &row, XJL_EDUPLICATE, "ws.intake.edit_duplicate", (long long)row_id,
                          row.id_key, row.school, (long long)other);
        const char *k[5];
        for (int i = 0; i < 5; i++)
            k[i] = row.key[i] ? row.key[i] : "";
        return refuse(ws, &row, XJL_EDUPLICATE, "ws.intake.edit_same", (long long)row_id, k[0],
                      k[1], k[2], k[3], k[4], row.school, (long long)other);
    }
    /* A supplement was for the old values: the school starts it again. */
    row.supplement = XJL__SUPPL_NONE;
    row.review = XJL__REVIEW_OPEN;
    free(row.note);
    row.note = NULL;
    free(row.override);
    row.override = NULL;
    /* as an import of the new values would: a preschool record another
     * school has pulled stays locked (pending, the note naming it), and a
     * formal number held elsewhere is said */
    if (rc == XJL_OK && (rc = locked_elsewhere(ws, &row)) == XJL_OK && row.id_key)
        rc = held_elsewhere(ws, &row);
    if (rc == XJL_OK && (rc = xjl__store_row_update(ws->st, &row)) == XJL_OK)
        rc = write_candidates(ws, row.id, res);
    char detail[2300];
    xjl__stored(detail, sizeof detail, "ws.audit.edited",
                xjl__stored_word((char[64]){0}, 64, "value.", xjl_row_status_name(row.status)),
                row.score, row.reasons ? "; " : "", row.reasons ? row.reasons : "", before);
    xjl_result_free(res);
    if (rc == XJL_OK && status)
        *status = (xjl_row_status)row.status;
    return end_step(ws, &row, rc, "edit", from, detail);
}

XJL_API int xjl_intake_confirm(xjl_workspace *ws, int64_t row_id, const char *record_id)
{
    if (!ws || !record_id)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_confirm");
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "confirm", &row);
    if (rc != XJL_OK)
        return rc;
    int64_t reg = 0;
    if ((rc = xjl__store_candidate_find(ws->st, row_id, record_id, &reg)) != XJL_OK) {
        xjl__store_rollback(ws->st);
        xjl__row_clear(&row);
        return rc;
    }
    int64_t other = 0;
    char holder[128];
    if ((rc = xjl__store_registry_holder(ws->st, reg, row.school, &other, holder)) != XJL_OK)
        return refuse(ws, &row, rc, "ws.as_is", xjl_errmsg());
    if (other)
        return refuse(ws, &row, XJL_ESTATE, "ws.intake.confirm_pulled", record_id,
                      (long long)row_id, holder, (long long)other);
    row.registry_id = reg;
    row.status = XJL_ROW_CONFIRMED;
    rc = xjl__store_row_update(ws->st, &row);
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.confirmed", record_id);
    return end_step(ws, &row, rc, "confirm", XJL_ROW_PENDING, detail);
}

XJL_API int xjl_intake_declare_none(xjl_workspace *ws, int64_t row_id)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_declare_none");
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "none", &row);
    if (rc != XJL_OK)
        return rc;
    row.status = XJL_ROW_NOT_FOUND;
    row.registry_id = 0;
    free(row.note);
    row.note =
        strdup("declared none of the candidates (确认都不匹配); edit the row to match again");
    rc = xjl__store_row_update(ws->st, &row);
    return end_step(ws, &row, rc, "none", XJL_ROW_PENDING,
                    "declared none of the candidates (确认都不匹配)");
}

XJL_API int xjl_intake_delete(xjl_workspace *ws, int64_t row_id, const char *reason)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_delete");
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "delete", &row);
    if (rc != XJL_OK)
        return rc;
    if (row.review == XJL__REVIEW_APPROVED) {
        /* Once numbered, docs/domain.md §3 decides: a formal number is permanent. */
        if (row.number && row.number[0] == 'G')
            return refuse(ws, &row, XJL_ESTATE, "ws.intake.delete_formal", (long long)row_id,
                          row.number);
    } else if (is_matched(row.status) && row.supplement == XJL__SUPPL_DONE) {
        return refuse(ws, &row, XJL_ESTATE, "ws.intake.delete_done", (long long)row_id,
                      xjl__row_status_text(row.status));
    }
    char detail[1400];
    char values[1024];
    row_detail(&row, values, sizeof values);
    xjl__stored(detail, sizeof detail, "ws.audit.row_deleted",
                reason && *reason ? reason : XJL_STORED_WORD "ws.audit.no_reason", values);
    rc = xjl__store_row_delete(ws->st, row_id);
    return end_step(ws, &row, rc, "delete", row.status, detail);
}

/* ---- supplement ----------------------------------------------------------------- */

/* The values a supplement starts from: the preschool record's, or for a
 * not-found row (registered as new) its own key fields. */
static int suppl_initial(xjl_workspace *ws, const struct xjl_row *row, struct xjl_srec *out)
{
    memset(out, 0, sizeof *out);
    if (is_matched(row->status))
        return xjl__store_registry_get(ws->st, row->registry_id, out);
    static const xjl_sfield map[5] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE, XJL_SF_ID_TYPE,
                                      XJL_SF_ID_NUMBER};
    for (int i = 0; i < 5; i++) {
        char canon[700];
        const char *v = row->key[i] ? row->key[i] : "";
        if (xjl_sfield_check(map[i], v, canon, sizeof canon, NULL) != XJL_OK)
            snprintf(canon, sizeof canon, "%s", v);
        out->v[map[i]] = dup_or_null(canon);
    }
    xjl__clear_error();
    return XJL_OK;
}

/* The supplement as it stands (or would start). */
static int suppl_current(xjl_workspace *ws, const struct xjl_row *row, struct xjl_srec *out)
{
    bool exists = false;
    if (row->supplement != XJL__SUPPL_NONE) {
        int rc = xjl__store_suppl_get(ws->st, row->id, out, &exists);
        if (rc != XJL_OK || exists)
            return rc;
    }
    return suppl_initial(ws, row, out);
}

/* The required fields of a supplement that are empty, listed into missing
 * (cap bytes; "" when none).  An ID number is not required of a pupil
 * without one (type Z). */
static void suppl_missing(const struct xjl_srec *s, char *missing, size_t cap)
{
    static const xjl_sfield required[] = {XJL_SF_NAME,      XJL_SF_GENDER,      XJL_SF_BIRTH_DATE,
                                          XJL_SF_ETHNICITY, XJL_SF_NATIONALITY, XJL_SF_ID_TYPE,
                                          XJL_SF_ID_NUMBER, XJL_SF_HMT};
    size_t used = 0;
    missing[0] = '\0';
    for (size_t i = 0; i < XJL_ARRAY_LEN(required); i++) {
        xjl_sfield f = required[i];
        if (f == XJL_SF_ID_NUMBER && s->v[XJL_SF_ID_TYPE] && strcmp(s->v[XJL_SF_ID_TYPE], "Z") == 0)
            continue;
        if (!s->v[f] && used < cap)
            used += (size_t)snprintf(missing + used, cap - used, "%s%s",
                                     used ? xjl__msg("ws.states.list_sep") : "",
                                     xjl_sfield_label_zh(f));
    }
}

XJL_API int xjl_intake_supplement_update(xjl_workspace *ws, int64_t row_id,
                                         const xjl_sfield *fields, const char *const *values,
                                         size_t n)
{
    if (!ws || (n && (!fields || !values)))
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_supplement_update");
    for (size_t i = 0; i < n; i++)
        if ((unsigned)fields[i] >= XJL_SF_COUNT)
            return xjl__failm(XJL_EINVAL, "ws.codes.not_field_number", (int)fields[i]);
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "supplement", &row);
    if (rc != XJL_OK)
        return rc;
    struct xjl_srec s;
    if ((rc = suppl_current(ws, &row, &s)) != XJL_OK) {
        xjl__store_rollback(ws->st);
        xjl__row_clear(&row);
        return rc;
    }
    /* Every value is checked before any is kept: one command, one change. */
    char detail[4000];
    size_t used = 0;
    detail[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        xjl_sfield f = fields[i];
        char canon[700];
        if (xjl_sfield_is_key(f)) {
            xjl__srec_clear(&s);
            return refuse(ws, &row, XJL_ESTATE, "ws.intake.supplement_key", xjl_sfield_label_zh(f),
                          xjl_sfield_name(f), (long long)row_id);
        }
        if ((rc = xjl_sfield_check(f, values[i], canon, sizeof canon, NULL)) != XJL_OK) {
            char msg[768];
            snprintf(msg, sizeof msg, "%s", xjl_errmsg());
            xjl__srec_clear(&s);
            return refuse(ws, &row, rc, "ws.intake.supplement_bad", (long long)row_id, msg);
        }
        if (used < sizeof detail)
            used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s: '%s' -> '%s'",
                                     i ? "; " : "", xjl_sfield_label_zh(f), s.v[f] ? s.v[f] : "",
                                     canon);
        free(s.v[f]);
        s.v[f] = dup_or_null(canon);
    }
    /* A saved supplement stays saved while its required fields are all
     * there; one emptied makes it a draft again, which is not submitted
     * until it is saved (xjl_intake_supplement_save()) once more. */
    char missing[512];
    suppl_missing(&s, missing, sizeof missing);
    if (row.supplement == XJL__SUPPL_NONE || (row.supplement == XJL__SUPPL_DONE && missing[0]))
        row.supplement = XJL__SUPPL_DRAFT;
    if (row.review == XJL__REVIEW_RETURNED)
        row.review = XJL__REVIEW_OPEN;
    if ((rc = xjl__store_suppl_put(ws->st, row_id, s.v)) == XJL_OK)
        rc = xjl__store_row_update(ws->st, &row);
    xjl__srec_clear(&s);
    return end_step(ws, &row, rc, "supplement", row.status, detail);
}

XJL_API int xjl_intake_supplement_set(xjl_workspace *ws, int64_t row_id, xjl_sfield f,
                                      const char *value)
{
    return xjl_intake_supplement_update(ws, row_id, &f, &value, 1);
}

XJL_API int xjl_intake_supplement_save(xjl_workspace *ws, int64_t row_id)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_supplement_save");
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "supplement-done", &row);
    if (rc != XJL_OK)
        return rc;
    struct xjl_srec s;
    if ((rc = suppl_current(ws, &row, &s)) != XJL_OK) {
        xjl__store_rollback(ws->st);
        xjl__row_clear(&row);
        return rc;
    }
    char missing[512];
    suppl_missing(&s, missing, sizeof missing);
    if (missing[0]) {
        xjl__srec_clear(&s);
        return refuse(ws, &row, XJL_ESTATE, "ws.intake.supplement_missing", (long long)row_id,
                      missing,
                      is_matched(row.status) ? "" : xjl__msg("ws.intake.supplement_missing_keys"));
    }
    row.supplement = XJL__SUPPL_DONE;
    if (row.review == XJL__REVIEW_RETURNED) {
        row.review = XJL__REVIEW_OPEN;
        free(row.note);
        row.note = NULL;
    }
    if ((rc = xjl__store_suppl_put(ws->st, row_id, s.v)) == XJL_OK)
        rc = xjl__store_row_update(ws->st, &row);
    xjl__srec_clear(&s);
    return end_step(ws, &row, rc, "supplement-done", row.status,
                    XJL_STORED("ws.audit.supplement_saved"));
}

XJL_API int xjl_intake_supplement(xjl_workspace *ws, int64_t row_id, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_supplement");
    struct xjl_row row;
    int rc = xjl__store_row_get(ws->st, row_id, &row);
    if (rc == XJL_OK && (rc = xjl__ws_allow(ws, row.school, false,
                                            xjl__msg("ws.what.reading_a_supplement"))) != XJL_OK)
        xjl__row_clear(&row);
    if (rc != XJL_OK)
        return rc;
    if (row.status == XJL_ROW_PENDING || row.status == XJL_ROW_ERROR) {
        rc = xjl__failm(XJL_ESTATE, "ws.intake.no_supplement", (long long)row_id,
                        xjl__row_status_text(row.status));
        xjl__row_clear(&row);
        return rc;
    }
    struct xjl_srec s;
    if ((rc = suppl_current(ws, &row, &s)) == XJL_OK) {
        /* the fields in order, gender and ID type shown as in every listing,
         * each followed by its code */
        const char *names[XJL_SF_COUNT + 3], *cells[XJL_SF_COUNT + 3], *gcode = NULL;
        char tcode[2];
        size_t nc = 0;
        for (int f = 0; f < XJL_SF_COUNT; f++) {
            names[nc] = xjl_sfield_name((xjl_sfield)f);
            cells[nc++] = f == XJL_SF_GENDER    ? xjl__gender_display(s.v[f], &gcode)
                          : f == XJL_SF_ID_TYPE ? xjl__id_type_display(s.v[f], tcode)
                                                : s.v[f];
            if (f == XJL_SF_GENDER || f == XJL_SF_ID_TYPE) {
                names[nc] = f == XJL_SF_GENDER ? "gender_code" : "id_type_code";
                cells[nc++] = f == XJL_SF_GENDER ? gcode : tcode;
            }
        }
        names[nc] = "state";
        cells[nc++] = xjl__supplement_name(row.supplement);
        xjl_listing *t = xjl__listing_new(nc, names);
        if (!t || xjl__listing_add_row(t) < 0) {
            xjl_listing_free(t);
            rc = xjl__failm(XJL_ENOMEM, "ws.intake.out_of_memory_supplement");
        } else {
            for (size_t c = 0; c < nc && rc == XJL_OK; c++)
                rc = xjl__listing_set(t, 0, c, cells[c], XJL_NTS);
            if (rc == XJL_OK)
                *out = t;
            else
                xjl_listing_free(t);
        }
        xjl__srec_clear(&s);
    }
    xjl__row_clear(&row);
    return rc;
}

/* ---- export of the not-found rows ------------------------------------------------ */

XJL_API int xjl_intake_export_not_found(xjl_workspace *ws, const char *school, const char *path,
                                        size_t *count)
{
    if (!ws || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_export_not_found");
    int rc = check_school(school);
    if (rc != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.exporting_not_found_rows"))) !=
            XJL_OK)
        return rc;
    int64_t *ids = NULL;
    size_t n = 0, written = 0;
    /* the workspace itself is never the output (lib/util/outfile.c) */
    const char *ws_file = xjl__store_path(ws->st);
    xjl_output *out;
    if ((rc = xjl__output_open(&out, path, NULL, 0, &ws_file, 1)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_begin_read(ws->st)) != XJL_OK ||
        (rc = xjl__store_row_ids(ws->st, school, &ids, &n)) != XJL_OK) {
        xjl__store_rollback(ws->st);
        xjl__output_abort(out);
        return rc;
    }
    FILE *fp = xjl__output_stream(out);
    /* A BOM: Excel opens UTF-8 CSV correctly only with it. */
    fputs("\xEF\xBB\xBF", fp);
    /* The headers are ones xjl_csv_key_columns() reads (性别, not the code
     * list's 性别码): the filled template goes back through import and check.
     * Gender and ID type are written as every listing shows them, by the
     * standard's name, which both read. */
    rc = xjl__put_field(fp, "行号", false);
    for (int f = 0; f < XJL_SF_COUNT && rc == XJL_OK; f++)
        rc = xjl__put_field(fp,
                            f == XJL_SF_GENDER    ? "性别"
                            : f == XJL_SF_ID_TYPE ? "身份证件类型"
                                                  : xjl_sfield_label_zh((xjl_sfield)f),
                            false);
    if (rc == XJL_OK)
        rc = xjl__put_field(fp, "findings", true);
    for (size_t i = 0; i < n && rc == XJL_OK; i++) {
        struct xjl_row row;
        if ((rc = xjl__store_row_get(ws->st, ids[i], &row)) != XJL_OK)
            break;
        if (row.status == XJL_ROW_NOT_FOUND) {
            struct xjl_srec s;
            if ((rc = suppl_current(ws, &row, &s)) == XJL_OK) {
                char id[32];
                snprintf(id, sizeof id, "%lld", (long long)row.id);
                rc = xjl__put_field(fp, id, false);
                const char *gcode;
                char tcode[2];
                for (int f = 0; f < XJL_SF_COUNT && rc == XJL_OK; f++)
                    rc = xjl__put_field(fp,
                                        f == XJL_SF_GENDER    ? xjl__gender_display(s.v[f], &gcode)
                                        : f == XJL_SF_ID_TYPE ? xjl__id_type_display(s.v[f], tcode)
                                                              : s.v[f],
                                        false);
                if (rc == XJL_OK)
                    rc = xjl__put_field(fp, row.findings, true);
                xjl__srec_clear(&s);
                written++;
            }
        }
        xjl__row_clear(&row);
    }
    free(ids);
    xjl__store_rollback(ws->st);
    if (rc == XJL_EIO || rc == XJL_ERANGE)
        rc = xjl__failm(XJL_EIO, "ws.cannot_write", path);
    if (rc != XJL_OK) {
        xjl__output_abort(out);
        return rc;
    }
    if ((rc = xjl__output_commit(out)) != XJL_OK)
        return rc;
    char detail[512];
    xjl__stored(detail, sizeof detail, "ws.audit.not_found_exported", school, written, path);
    if ((rc = xjl__store_begin(ws->st)) == XJL_OK) {
        if ((rc = xjl__store_audit(ws->st, "export-not-found", "school", 0, detail)) == XJL_OK)
            rc = xjl__store_commit(ws->st);
        if (rc != XJL_OK)
            xjl__store_rollback(ws->st);
    }
    if (count)
        *count = written;
    return rc;
}

/* ---- review, submission and approval ----------------------------------------------- */

XJL_API int xjl_intake_submit(xjl_workspace *ws, const char *school, size_t *count)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_submit");
    int rc = check_school(school);
    if (rc != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, false, xjl__msg("ws.what.submitting"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "intake")) != XJL_OK)
        return rc;
    struct xjl_store *st = ws->st;
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    int64_t *ids = NULL;
    size_t n = 0, ready = 0, pending = 0, unsupplemented = 0, returned = 0;
    if ((rc = xjl__store_row_ids(st, school, &ids, &n)) != XJL_OK) {
        xjl__store_rollback(st);
        return rc;
    }
    for (size_t i = 0; i < n && rc == XJL_OK; i++) {
        struct xjl_row row;
        if ((rc = xjl__store_row_get(st, ids[i], &row)) != XJL_OK)
            break;
        /* A returned row goes back only after a change (edit or supplement
         * reopens it): resubmitting it unchanged would return it again. */
        bool open = row.review == XJL__REVIEW_OPEN;
        bool allowed = xjl__step_check(XJL__FLOW_ROW, row_state(&row), row.status, "submit", "row",
                                       row.id, NULL) == XJL_OK;
        if (row.review == XJL__REVIEW_RETURNED) {
            returned++;
        } else if (open && !allowed) {
            pending++;
        } else if (open && row.supplement != XJL__SUPPL_DONE) {
            unsupplemented++;
        } else if (allowed) {
            int from = row.status;
            row.review = XJL__REVIEW_SUBMITTED;
            if ((rc = xjl__store_row_update(st, &row)) == XJL_OK)
                rc = xjl__store_history_add(st, row.id, "submit", from, row.status,
                                            XJL_STORED("ws.audit.row_submitted"));
            ready++;
        }
        xjl__row_clear(&row);
    }
    free(ids);
    if (rc == XJL_OK)
        xjl__clear_error(); /* the table's refusals of the rows left behind */
    if (rc == XJL_OK && ready == 0) {
        xjl__store_rollback(st);
        return xjl__failm(XJL_ESTATE, "ws.intake.nothing_to_submit", school, pending,
                          XJL_PLURAL(pending), pending == 1 ? "s" : "", unsupplemented, returned,
                          XJL_PLURAL(returned));
    }
    char detail[320];
    xjl__stored(detail, sizeof detail, "ws.audit.submitted", school, ready, XJL_PLURAL(ready),
                pending, pending == 1 ? "s" : "", unsupplemented, returned, XJL_PLURAL(returned));
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, "submit", "school", 0, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK)
        xjl__store_rollback(st);
    else if (count)
        *count = ready;
    return rc;
}

XJL_API int xjl_intake_return(xjl_workspace *ws, int64_t row_id, const char *reason)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_return");
    if (!reason || !*reason)
        return xjl__failm(XJL_EINVAL, "ws.intake.return_reason", (long long)row_id);
    struct xjl_store *st = ws->st;
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "return", &row);
    if (rc != XJL_OK)
        return rc;
    row.review = XJL__REVIEW_RETURNED;
    free(row.note);
    row.note = strdup(reason);
    char detail[600];
    xjl__stored(detail, sizeof detail, "ws.audit.returned", row.note);
    rc = xjl__store_row_update(st, &row);
    return end_step(ws, &row, rc, "return", row.status, detail);
}

/* The national student number for a supplemented row: G + citizen number,
 * or a temporary L number unique in the workspace. */
static int make_number(xjl_workspace *ws, const struct xjl_srec *s, int32_t region,
                       const char *school, char out[XJL_ID_MAX + 2], bool *formal)
{
    const char *type = s->v[XJL_SF_ID_TYPE] ? s->v[XJL_SF_ID_TYPE] : "";
    const char *number = s->v[XJL_SF_ID_NUMBER] ? s->v[XJL_SF_ID_NUMBER] : "";
    xjl_id_type t = XJL_IDTYPE_NONE;
    xjl_id_info info;
    if (xjl_id_type_parse(type, XJL_NTS, &t) == XJL_OK && xjl_id_type_is_citizen(t) &&
        xjl_id_parse(number, XJL_NTS, t, &info) == XJL_OK && info.kind == XJL_IDKIND_CITIZEN) {
        snprintf(out, XJL_ID_MAX + 2, "G%s", info.normalized);
        *formal = true;
        return XJL_OK;
    }
    xjl__clear_error();
    *formal = false;
    if (region <= 0)
        return xjl__failm(XJL_ESTATE, "ws.intake.school_no_region", school, "xjl_school_set");
    int32_t day = XJL_DATE_NONE;
    int y = 0, m = 0, d = 0;
    if (xjl_date_parse(s->v[XJL_SF_BIRTH_DATE] ? s->v[XJL_SF_BIRTH_DATE] : "", XJL_NTS, &day,
                       NULL) != XJL_OK ||
        xjl_date_to_ymd(day, &y, &m, &d) != XJL_OK)
        return xjl__failm(XJL_ESTATE, "ws.intake.no_birth_date", (long long)s->id);
    for (int attempt = 0; attempt < 20000; attempt++) {
        char digits[5];
        int rc = xjl__random_digits(digits);
        if (rc != XJL_OK)
            return rc;
        snprintf(out, XJL_ID_MAX + 2, "L%06ld%04d%02d%02d%s", (long)region, y, m, d, digits);
        struct xjl__holder owner;
        if ((rc = xjl__store_number_owner(ws->st, out, &owner)) != XJL_OK)
            return rc;
        if (!owner.kind)
            return XJL_OK;
    }
    return xjl__failm(XJL_ESTATE, "ws.intake.no_free_number", (long)region, y, m, d);
}

/* Findings of the values a number is made from that make a formal number
 * wrong: an ID number that is no valid citizen number of its type, or one
 * that contradicts the row's birth date or gender.  Returns true and their
 * "field:finding" text when there are any. */
static bool number_findings(const struct xjl_srec *s, char *buf, size_t cap)
{
    static const uint32_t blocking =
        XJL_FINDING_BIT(XJL_F_ID_LENGTH) | XJL_FINDING_BIT(XJL_F_ID_CHARS) |
        XJL_FINDING_BIT(XJL_F_ID_DATE) | XJL_FINDING_BIT(XJL_F_ID_CHECK) |
        XJL_FINDING_BIT(XJL_F_ID_CONVERTED15) | XJL_FINDING_BIT(XJL_F_ID_TYPE_MISMATCH) |
        XJL_FINDING_BIT(XJL_F_DOB_MISMATCH) | XJL_FINDING_BIT(XJL_F_GENDER_MISMATCH);
    const char *v[5] = {s->v[XJL_SF_NAME], s->v[XJL_SF_GENDER], s->v[XJL_SF_BIRTH_DATE],
                        s->v[XJL_SF_ID_TYPE], s->v[XJL_SF_ID_NUMBER]};
    for (int i = 0; i < 5; i++)
        v[i] = v[i] ? v[i] : "";
    xjl_record rec = {v[0], v[1], v[2], v[3], v[4]};
    xjl_parsed p;
    buf[0] = '\0';
    if (xjl_record_parse(&rec, &p) != XJL_OK)
        return false;
    bool any = false;
    for (int f = 0; f < XJL_FIELD_COUNT; f++) {
        p.findings[f] &= blocking;
        any = any || p.findings[f];
    }
    if (any)
        xjl_parsed_describe(&p, buf, cap, NULL);
    return any;
}

/* Adds the words of more to the row's findings that it does not hold yet. */
static int merge_findings(struct xjl_row *row, const char *more)
{
    size_t n = row->findings ? strlen(row->findings) : 0, cap = n + strlen(more) + 2;
    char *f = malloc(cap);
    if (!f)
        return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_findings");
    snprintf(f, cap, "%s", n ? row->findings : "");
    char word[128];
    for (const char *p = more; *p;) {
        size_t len = strcspn(p, " ");
        if (len && len < sizeof word) {
            snprintf(word, sizeof word, "%.*s", (int)len, p);
            bool have = false;
            for (const char *q = f; (q = strstr(q, word)) != NULL; q += len)
                if ((q == f || q[-1] == ' ') && (q[len] == ' ' || q[len] == '\0'))
                    have = true;
            if (!have)
                snprintf(f + strlen(f), cap - strlen(f), "%s%s", f[0] ? " " : "", word);
        }
        p += len;
        p += *p == ' ';
    }
    free(row->findings);
    row->findings = f;
    return XJL_OK;
}

XJL_API int xjl_intake_override(xjl_workspace *ws, int64_t row_id, const char *reason)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_override");
    if (!reason || !*reason)
        return xjl__failm(XJL_EINVAL, "ws.intake.override_reason", (long long)row_id);
    struct xjl_store *st = ws->st;
    struct xjl_row row;
    int rc = begin_step(ws, row_id, "override", &row);
    if (rc != XJL_OK)
        return rc;
    free(row.override);
    row.override = strdup(reason);
    char detail[1400];
    xjl__stored(detail, sizeof detail, "ws.audit.overridden",
                row.findings ? row.findings : XJL_STORED_WORD "ws.states.none", reason);
    rc = xjl__store_row_update(st, &row);
    return end_step(ws, &row, rc, "override", row.status, detail);
}

/* One submitted row at approval: numbered, returned as a duplicate, or held
 * for its findings.  *outcome: 0 approved, 1 returned, 2 held. */
static int approve_row(xjl_workspace *ws, struct xjl_row *row, int32_t region, const char *school,
                       int *outcome)
{
    struct xjl_store *st = ws->st;
    struct xjl_srec s;
    bool exists = false, formal = false;
    char number[XJL_ID_MAX + 2], found[1024], detail[1600];
    int rc = xjl__store_suppl_get(st, row->id, &s, &exists);
    if (rc == XJL_OK && !exists)
        rc = suppl_initial(ws, row, &s);
    if (rc != XJL_OK)
        return rc;
    s.id = row->id;
    bool blocked = number_findings(&s, found, sizeof found);
    if (blocked && (rc = merge_findings(row, found)) != XJL_OK) {
        xjl__srec_clear(&s);
        return rc;
    }
    if (blocked && !row->override) {
        /* Stays submitted: the authority overrides with a reason, or returns
         * it; a wrong formal number is worse than a late one. */
        *outcome = 2;
        xjl__stored(detail, sizeof detail, "ws.note.held", found);
        free(row->note);
        row->note = strdup(detail);
        if ((rc = xjl__store_row_update(st, row)) == XJL_OK &&
            (rc = xjl__store_history_add(st, row->id, "hold", row->status, row->status, detail)) ==
                XJL_OK)
            rc = xjl__store_audit(st, "hold", "row", row->id, detail);
        xjl__srec_clear(&s);
        return rc;
    }
    rc = make_number(ws, &s, region, school, number, &formal);
    xjl__srec_clear(&s);
    struct xjl__holder owner = {XJL__HELD_BY_NONE, 0};
    if (rc == XJL_OK && formal)
        rc = xjl__store_number_owner(st, number, &owner);
    if (rc != XJL_OK)
        return rc;
    if (owner.kind) {
        *outcome = 1;
        row->review = XJL__REVIEW_RETURNED;
        free(row->note);
        xjl__stored(detail, sizeof detail, "ws.note.duplicate", number,
                    xjl__holder_word(owner.kind, true), (long long)owner.id);
        row->note = strdup(detail);
        if ((rc = xjl__store_row_update(st, row)) == XJL_OK)
            rc = xjl__store_history_add(st, row->id, "return", row->status, row->status, detail);
        if (rc == XJL_OK) /* as the row's approval or hold would be */
            rc = xjl__store_audit(st, "return", "row", row->id, detail);
        return rc;
    }
    *outcome = 0;
    row->review = XJL__REVIEW_APPROVED;
    free(row->number);
    row->number = strdup(number);
    free(row->note);
    row->note = NULL;
    const char *kind =
        formal ? XJL_STORED_WORD "ws.audit.formal" : XJL_STORED_WORD "ws.audit.temporary";
    if (blocked)
        xjl__stored(detail, sizeof detail, "ws.audit.approved_overridden", kind, number, found,
                    row->override);
    else
        xjl__stored(detail, sizeof detail, "ws.audit.approved", kind, number);
    if ((rc = xjl__store_row_update(st, row)) == XJL_OK &&
        (rc = xjl__store_history_add(st, row->id, "approve", row->status, row->status, detail)) ==
            XJL_OK)
        rc = xjl__store_audit(st, "approve", "row", row->id, detail);
    return rc;
}

XJL_API int xjl_intake_approve(xjl_workspace *ws, const char *school, size_t *approved,
                               size_t *returned, size_t *held)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_approve");
    int rc = check_school(school);
    if (rc != XJL_OK ||
        (rc = xjl__ws_allow(ws, school, true, xjl__msg("ws.what.approving"))) != XJL_OK ||
        (rc = xjl__ws_policy(ws, "intake-authority")) != XJL_OK)
        return rc;
    struct xjl_store *st = ws->st;
    if ((rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    int64_t *ids = NULL;
    size_t n = 0, count[3] = {0, 0, 0};
    int32_t region = 0;
    if ((rc = xjl__store_school_region(st, school, &region)) != XJL_OK ||
        (rc = xjl__store_row_ids(st, school, &ids, &n)) != XJL_OK) {
        xjl__store_rollback(st);
        return rc;
    }
    for (size_t i = 0; i < n && rc == XJL_OK; i++) {
        struct xjl_row row;
        if ((rc = xjl__store_row_get(st, ids[i], &row)) != XJL_OK)
            break;
        int outcome = 0;
        if (xjl__step_check(XJL__FLOW_ROW, row_state(&row), row.status, "approve", "row", row.id,
                            NULL) == XJL_OK &&
            (rc = approve_row(ws, &row, region, school, &outcome)) == XJL_OK)
            count[outcome]++;
        xjl__row_clear(&row);
    }
    free(ids);
    if (rc == XJL_OK)
        xjl__clear_error(); /* the table's refusals of the rows left behind */
    if (rc == XJL_OK && count[0] + count[1] + count[2] == 0) {
        xjl__store_rollback(st);
        return xjl__failm(XJL_ESTATE, "ws.intake.nothing_to_approve", school);
    }
    char detail[256];
    xjl__stored(detail, sizeof detail, "ws.audit.approved_school", school, count[0], count[1],
                count[2]);
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, "approve-school", "school", 0, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK) {
        xjl__store_rollback(st);
        return rc;
    }
    if (approved)
        *approved = count[0];
    if (returned)
        *returned = count[1];
    if (held)
        *held = count[2];
    return XJL_OK;
}
