/*
 * keychange.c: key-data changes (关键数据变更).  After registration the five
 * key fields of a pupil change only through a request that names the old
 * and the new value and the reason; the authority approves or rejects it.
 * An approval changes the registered record and the row's own key field,
 * checks the new values (their findings; a citizen number another row or
 * graduate holds already, or a twin on the school's list: a duplicate is
 * refused), matches the record against the preschool registry again, and
 * writes all of it into the row's history and the audit trail.  The row's
 * student number is kept: it is the pupil's for life, and the pupil is
 * found by the new number from then on (xjl__store_number_owner).
 */
#include "workspace/workspace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Undoes the step and fails with catalogue entry id (its arguments follow). */
static int refuse_kc(struct xjl_store *st, struct xjl_row *row, int code, const char *id, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, id);
    vsnprintf(msg, sizeof msg, xjl__msg(id), ap);
    va_end(ap);
    xjl__store_rollback(st);
    xjl__row_clear(row);
    return xjl__fail(code, "%s", msg);
}

static int finish_kc(struct xjl_store *st, struct xjl_row *row, int rc, const char *action,
                     int64_t request, const char *detail)
{
    if (rc == XJL_OK)
        rc = xjl__store_history_add(st, row->id, action, row->status, row->status, detail);
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, action, "key_change", request, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK)
        xjl__store_rollback(st);
    xjl__row_clear(row);
    return rc;
}

XJL_API int xjl_intake_request_key_change(xjl_workspace *ws, int64_t row_id, xjl_sfield f,
                                          const char *value, const char *reason, int64_t *request)
{
    if (!ws || !value)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_request_key_change");
    if ((unsigned)f >= XJL_SF_COUNT || !xjl_sfield_is_key(f))
        return xjl__failm(XJL_EINVAL, "ws.keychange.five_only");
    if (!reason || !*reason)
        return xjl__failm(XJL_EINVAL, "ws.keychange.reason", (long long)row_id);
    char canon[700];
    int rc = xjl_sfield_check(f, value, canon, sizeof canon, NULL);
    if (rc != XJL_OK)
        return rc;
    struct xjl_store *st = xjl__ws_store(ws);
    struct xjl_row row;
    if ((rc = xjl__ws_policy(ws, "key-change")) != XJL_OK || (rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    if ((rc = xjl__store_row_get(st, row_id, &row)) != XJL_OK) {
        xjl__store_rollback(st);
        return rc;
    }
    if ((rc = xjl__ws_allow(ws, row.school, false,
                            xjl__msg("ws.what.requesting_a_key_data_change"))) != XJL_OK)
        return refuse_kc(st, &row, rc, "ws.as_is", xjl_errmsg());
    if ((rc = xjl__step_check(XJL__FLOW_ROW, row.deleted ? XJL__ROW_DELETED : row.review,
                              row.status, "key-change", "row", row_id, NULL)) != XJL_OK)
        return refuse_kc(st, &row, rc, "ws.keychange.before_registration", xjl_errmsg());
    int64_t open = 0;
    struct xjl_srec s;
    bool exists = false;
    if ((rc = xjl__store_kc_open(st, row_id, &open)) != XJL_OK ||
        (rc = xjl__store_suppl_get(st, row_id, &s, &exists)) != XJL_OK)
        return refuse_kc(st, &row, rc, "ws.as_is", xjl_errmsg());
    if (open || !exists) {
        xjl__srec_clear(&s);
        if (!open)
            return refuse_kc(st, &row, XJL_ESTATE, "ws.keychange.not_registered",
                             (long long)row_id);
        return refuse_kc(st, &row, XJL_ESTATE, "ws.keychange.open", (long long)row_id,
                         (long long)open);
    }
    if (s.v[f] && strcmp(s.v[f], canon) == 0) {
        xjl__srec_clear(&s);
        return refuse_kc(st, &row, XJL_ESTATE, "ws.keychange.same", (long long)row_id,
                         xjl_sfield_label_zh(f), canon);
    }
    int64_t id = 0;
    rc = xjl__store_kc_add(st, row_id, (int)f, s.v[f], canon, reason, &id);
    char detail[1600];
    xjl__stored(detail, sizeof detail, "ws.audit.kc_requested", (long long)id,
                xjl_sfield_label_zh(f), s.v[f] ? s.v[f] : "", canon, reason);
    xjl__srec_clear(&s);
    rc = finish_kc(st, &row, rc, "key-change-request", id, detail);
    if (rc == XJL_OK && request)
        *request = id;
    return rc;
}

/* The new record's findings and the holder of its citizen number elsewhere. */
static int check_new(xjl_workspace *ws, const struct xjl_row *row, const struct xjl_srec *s,
                     char *found, size_t cap, struct xjl__holder *holder)
{
    const char *v[5] = {s->v[XJL_SF_NAME], s->v[XJL_SF_GENDER], s->v[XJL_SF_BIRTH_DATE],
                        s->v[XJL_SF_ID_TYPE], s->v[XJL_SF_ID_NUMBER]};
    for (int i = 0; i < 5; i++)
        v[i] = v[i] ? v[i] : "";
    xjl_record rec = {v[0], v[1], v[2], v[3], v[4]};
    xjl_parsed p;
    found[0] = '\0';
    *holder = (struct xjl__holder){XJL__HELD_BY_NONE, 0};
    int rc = xjl_record_parse(&rec, &p);
    if (rc != XJL_OK)
        return rc;
    xjl_parsed_describe(&p, found, cap, NULL);
    if (p.id.kind != XJL_IDKIND_CITIZEN)
        return XJL_OK;
    char number[XJL_ID_MAX + 2];
    snprintf(number, sizeof number, "G%s", p.id.normalized);
    struct xjl__holder owner;
    if ((rc = xjl__store_number_owner(xjl__ws_store(ws), number, &owner)) != XJL_OK)
        return rc;
    if (owner.kind && !(owner.kind == XJL__HELD_BY_ROW && owner.id == row->id))
        *holder = owner;
    return XJL_OK;
}

/* The row's key field f set to the approved value, and its id_key made
 * again from its five fields. */
static int follow_change(struct xjl_row *row, xjl_sfield f, const char *value)
{
    static const xjl_sfield keys[5] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE,
                                       XJL_SF_ID_TYPE, XJL_SF_ID_NUMBER};
    for (int i = 0; i < 5; i++) {
        if (keys[i] != f)
            continue;
        char *copy = value && *value ? strdup(value) : NULL;
        if (value && *value && !copy)
            return xjl__failm(XJL_ENOMEM, "ws.out_of_memory");
        free(row->key[i]);
        row->key[i] = copy;
    }
    const char *v[5];
    for (int i = 0; i < 5; i++)
        v[i] = row->key[i] ? row->key[i] : "";
    xjl_record rec = {v[0], v[1], v[2], v[3], v[4]};
    xjl_parsed p;
    int rc = xjl_record_parse(&rec, &p);
    if (rc != XJL_OK)
        return rc;
    free(row->id_key);
    row->id_key = xjl__row_id_key(&p);
    return XJL_OK;
}

XJL_API int xjl_intake_decide_key_change(xjl_workspace *ws, int64_t request, bool approve,
                                         const char *note)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_intake_decide_key_change");
    struct xjl_store *st = xjl__ws_store(ws);
    int rc = xjl__ws_policy(ws, "key-change");
    if (rc != XJL_OK || (rc = xjl__store_begin(st)) != XJL_OK)
        return rc;
    int64_t row_id = 0;
    int field = 0;
    char *value = NULL, state[16] = "";
    struct xjl_row row = {0};
    if ((rc = xjl__store_kc_get(st, request, &row_id, &field, &value, state)) != XJL_OK ||
        (rc = xjl__store_row_get(st, row_id, &row)) != XJL_OK) {
        free(value);
        return refuse_kc(st, &row, rc, "ws.as_is", xjl_errmsg());
    }
    if ((rc = xjl__ws_allow(ws, row.school, true,
                            xjl__msg("ws.what.deciding_a_key_data_change"))) != XJL_OK) {
        free(value);
        return refuse_kc(st, &row, rc, "ws.as_is", xjl_errmsg());
    }
    if ((rc = xjl__step_check(XJL__FLOW_KEY_CHANGE, xjl__state_parse(XJL__FLOW_KEY_CHANGE, state),
                              -1, approve ? "approve" : "reject", "key-data change", request,
                              NULL)) != XJL_OK) {
        free(value);
        return refuse_kc(st, &row, rc, "ws.as_is", xjl_errmsg());
    }
    char detail[2400];
    if (!approve) {
        free(value);
        xjl__stored(detail, sizeof detail, "ws.audit.kc_rejected", (long long)request,
                    note && *note ? note : XJL_STORED_WORD "ws.audit.no_reason");
        rc = xjl__store_kc_decide(st, request, "rejected", note);
        return finish_kc(st, &row, rc, "key-change-reject", request, detail);
    }
    struct xjl_srec s;
    bool exists = false;
    if ((rc = xjl__store_suppl_get(st, row_id, &s, &exists)) != XJL_OK) {
        free(value);
        return refuse_kc(st, &row, rc, "ws.as_is", xjl_errmsg());
    }
    char *old = s.v[field];
    s.v[field] = value;
    char found[1024];
    struct xjl__holder holder;
    if ((rc = check_new(ws, &row, &s, found, sizeof found, &holder)) == XJL_OK && holder.kind) {
        free(old);
        xjl__srec_clear(&s);
        return refuse_kc(st, &row, XJL_EDUPLICATE, "ws.keychange.held", (long long)request,
                         xjl__msg(xjl__holder_word(holder.kind, false)), (long long)holder.id);
    }
    /* The row shows the pupil's key data as approved and is found by them
     * (its id_key follows); a change that makes it the twin of another row
     * of its school's list is refused, as an edit would be.  Its student
     * number stays what it is: a national student number is for life. */
    int64_t twin = 0;
    if (rc == XJL_OK && (rc = follow_change(&row, (xjl_sfield)field, s.v[field])) == XJL_OK &&
        (rc = xjl__store_row_find_twin(st, &row, &twin)) == XJL_OK && twin) {
        free(old);
        xjl__srec_clear(&s);
        return refuse_kc(st, &row, XJL_EDUPLICATE, "ws.keychange.on_list", (long long)request,
                         row.school, (long long)twin);
    }
    /* The changed record matched against the preschool registry again. */
    char status[64] = "";
    size_t nc = 0;
    struct xjl_ixcache *reg = &ws->registry;
    if (rc == XJL_OK &&
        (rc = xjl__ixcache_ensure(reg, st, "registry", xjl__store_registry_scan)) == XJL_OK &&
        xjl_index_count(reg->ix)) {
        xjl_record rec = {s.v[XJL_SF_NAME], s.v[XJL_SF_GENDER], s.v[XJL_SF_BIRTH_DATE],
                          s.v[XJL_SF_ID_TYPE], s.v[XJL_SF_ID_NUMBER]};
        xjl_result *res = NULL;
        if ((rc = xjl_matcher_match(reg->m, &rec, &res)) == XJL_OK) {
            nc = xjl_result_candidate_count(res);
            xjl__stored_word(status, sizeof status, "value.",
                             xjl_status_name(xjl_result_status(res)));
        }
        xjl_result_free(res);
    }
    free(row.findings);
    row.findings = found[0] ? strdup(found) : NULL;
    const char *fl = found[0] ? found : XJL_STORED_WORD "ws.states.none";
    if (status[0])
        xjl__stored(detail, sizeof detail, "ws.audit.kc_approved", (long long)request,
                    xjl_sfield_label_zh((xjl_sfield)field), old ? old : "", s.v[field], fl, status,
                    nc, XJL_PLURAL(nc), note && *note ? "; " : "", note ? note : "");
    else
        xjl__stored(detail, sizeof detail, "ws.audit.kc_approved_noreg", (long long)request,
                    xjl_sfield_label_zh((xjl_sfield)field), old ? old : "", s.v[field], fl,
                    note && *note ? "; " : "", note ? note : "");
    free(old);
    if (rc == XJL_OK && (rc = xjl__store_suppl_put(st, row_id, s.v)) == XJL_OK &&
        (rc = xjl__store_row_update(st, &row)) == XJL_OK)
        rc = xjl__store_kc_decide(st, request, "approved", detail);
    xjl__srec_clear(&s);
    return finish_kc(st, &row, rc, "key-change-approve", request, detail);
}

XJL_API int xjl_intake_key_changes(xjl_workspace *ws, const char *school, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_intake_key_changes");
    int rc = school ? xjl__ws_allow(ws, school, false, xjl__msg("ws.what.listing_key_data_changes"))
                    : XJL_OK;
    if (rc == XJL_OK)
        rc = xjl__store_kc_table(xjl__ws_store(ws), school, out);
    if (rc == XJL_OK)
        xjl__ws_scope_listing(ws, *out, "school");
    return rc;
}
