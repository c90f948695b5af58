/*
 * workspace.c: the workspace handle (one SQLite store, the host's policy
 * hooks, the date it works on) and what every workflow step shares:
 *
 * - an index per workspace table (the preschool registry, the graduate
 *   pool), kept in a file beside the workspace (WS.registry.xjx,
 *   WS.pool.xjx) stamped with the table's generation (bumped by every load
 *   that changed something).  A step opens the file (milliseconds, whatever
 *   the registry's size); the index is rebuilt from the table only when the
 *   stamp is not the generation, and then written again;
 * - the driver that loads a CSV file into a table in one transaction.
 */
#include "workspace/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the handle ------------------------------------------------------------ */

/* WS.db -> WS.db.registry.xjx: beside the workspace, on the same file system,
 * so that its atomic rename works. */
static char *index_file_name(const char *ws_path, const char *table)
{
    size_t n = strlen(ws_path) + strlen(table) + 8;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s.%s.xjx", ws_path, table);
    return p;
}

static int open_with(xjl_workspace **out, const char *path,
                     int (*store_open)(struct xjl_store **, const char *))
{
    *out = NULL;
    xjl_workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_open", path);
    ws->today = XJL_DATE_NONE;
    ws->registry.gen = ws->pool.gen = -1;
    ws->registry.file_gen = ws->pool.file_gen = -1;
    ws->registry.logged = true;
    ws->registry.pending_max = ws->pool.pending_max = XJL_WS_PENDING_MAX;
    int rc = store_open(&ws->st, path);
    if (rc == XJL_OK && path[0] && path[0] != ':' && /* not a workspace in memory */
        (!(ws->registry.file = index_file_name(path, "registry")) ||
         !(ws->pool.file = index_file_name(path, "pool"))))
        rc = xjl__failm(XJL_ENOMEM, "ws.store.out_of_memory_open", path);
    if (rc != XJL_OK) {
        xjl__store_close(ws->st);
        free(ws->registry.file);
        free(ws);
        return rc;
    }
    *out = ws;
    return XJL_OK;
}

XJL_API int xjl_workspace_open(xjl_workspace **out, const char *path)
{
    if (!out || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_workspace_open");
    return open_with(out, path, xjl__store_open);
}

XJL_API int xjl_workspace_open_read(xjl_workspace **out, const char *path)
{
    if (!out || !path)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_workspace_open_read");
    return open_with(out, path, xjl__store_open_read);
}

XJL_API int xjl_workspace_set_columns(xjl_workspace *ws, const char *mapping)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_workspace_set_columns");
    char *copy = mapping && *mapping ? strdup(mapping) : NULL;
    if (mapping && *mapping && !copy)
        return xjl__failm(XJL_ENOMEM, "ws.out_of_memory");
    free(ws->columns);
    ws->columns = copy;
    return XJL_OK;
}

int xjl__ws_csv_open(xjl_workspace *ws, xjl_csv **out, const char *path, xjl_encoding enc)
{
    int rc = xjl_csv_open(out, path, enc);
    if (rc == XJL_OK && ws->columns && (rc = xjl_csv_set_columns(*out, ws->columns)) != XJL_OK) {
        xjl_csv_close(*out);
        *out = NULL;
    }
    return rc;
}

XJL_API void xjl_workspace_close(xjl_workspace *ws)
{
    if (!ws)
        return;
    free(ws->columns);
    xjl__ixcache_drop(&ws->registry);
    xjl__ixcache_drop(&ws->pool);
    free(ws->registry.file);
    free(ws->pool.file);
    xjl__store_close(ws->st);
    free(ws);
}

XJL_API int xjl_workspace_schema_version(const xjl_workspace *ws)
{
    return ws ? xjl__store_version(ws->st) : 0;
}

XJL_API int xjl_workspace_set_operator(xjl_workspace *ws, const char *operator_id)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_workspace_set_operator");
    return xjl__store_set_operator(ws->st, operator_id);
}

XJL_API int xjl_workspace_set_busy_timeout(xjl_workspace *ws, int ms)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_workspace_set_busy_timeout");
    return xjl__store_set_busy_timeout(ws->st, ms);
}

XJL_API int xjl_workspace_set_date(xjl_workspace *ws, int32_t day)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_workspace_set_date");
    int y, m, d;
    if (day != XJL_DATE_NONE && xjl_date_to_ymd(day, &y, &m, &d) != XJL_OK)
        return xjl__failm(XJL_EINVAL, "ws.workspace.not_date", (long)day);
    ws->today = day;
    return XJL_OK;
}

XJL_API int xjl_workspace_check(xjl_workspace *ws)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_workspace_check");
    return xjl__store_check(ws->st);
}

XJL_API int xjl_workspace_audit(xjl_workspace *ws, const char *object, int64_t object_id,
                                xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_workspace_audit");
    return xjl__store_audit_table(ws->st, object, object_id, out);
}

XJL_API void xjl_workspace_set_window_hook(xjl_workspace *ws, xjl_window_fn fn, void *user)
{
    if (ws) {
        ws->window = fn;
        ws->window_user = user;
    }
}

XJL_API void xjl_workspace_set_feature_hook(xjl_workspace *ws, xjl_feature_fn fn, void *user)
{
    if (ws) {
        ws->feature = fn;
        ws->feature_user = user;
    }
}

struct xjl_store *xjl__ws_store(xjl_workspace *ws)
{
    return ws->st;
}

int32_t xjl__ws_today(const xjl_workspace *ws)
{
    if (ws->today != XJL_DATE_NONE)
        return ws->today;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return xjl_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const char *const processes[] = {"intake",          "intake-authority", "enrol",
                                        "enrol-authority", "key-change",       "registration"};

XJL_API int xjl_workspace_set_policy(xjl_workspace *ws, const char *process, bool enabled,
                                     int32_t open_from, int32_t open_to)
{
    if (!ws || !process)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_workspace_set_policy");
    bool known = false;
    for (size_t i = 0; i < XJL_ARRAY_LEN(processes); i++)
        known = known || strcmp(process, processes[i]) == 0;
    if (!known)
        return xjl__failm(XJL_EINVAL, "ws.workspace.not_process", process);
    int y, m, d;
    if ((open_from != XJL_DATE_NONE && xjl_date_to_ymd(open_from, &y, &m, &d) != XJL_OK) ||
        (open_to != XJL_DATE_NONE && xjl_date_to_ymd(open_to, &y, &m, &d) != XJL_OK))
        return xjl__failm(XJL_EINVAL, "ws.workspace.window_dates", process);
    if (open_from != XJL_DATE_NONE && open_to != XJL_DATE_NONE && open_to < open_from)
        return xjl__failm(XJL_EINVAL, "ws.workspace.window_order", process);
    int rc = xjl__ws_allow(ws, NULL, true, xjl__msg("ws.what.setting_the_policy"));
    if (rc != XJL_OK || (rc = xjl__store_begin(ws->st)) != XJL_OK)
        return rc;
    char detail[160], a[16] = "", b[16] = "";
    xjl_date_format(open_from, a, sizeof a);
    xjl_date_format(open_to, b, sizeof b);
    xjl__stored(detail, sizeof detail, "ws.audit.policy", process,
                enabled ? XJL_STORED_WORD "ws.audit.on" : XJL_STORED_WORD "ws.audit.off",
                a[0] ? a : XJL_STORED_WORD "ws.workspace.any",
                b[0] ? b : XJL_STORED_WORD "ws.workspace.any");
    if ((rc = xjl__store_policy_set(ws->st, process, enabled != 0, open_from, open_to)) != XJL_OK ||
        (rc = xjl__store_audit(ws->st, "policy", "policy", 0, detail)) != XJL_OK ||
        (rc = xjl__store_commit(ws->st)) != XJL_OK)
        xjl__store_rollback(ws->st);
    return rc;
}

XJL_API int xjl_workspace_policy(xjl_workspace *ws, xjl_listing **out)
{
    if (!ws || !out)
        return xjl__failm(XJL_EINVAL, "ws.null_argument", "xjl_workspace_policy");
    return xjl__store_policy_table(ws->st, out);
}

int xjl__ws_policy(xjl_workspace *ws, const char *process)
{
    struct xjl_policy p;
    int rc = xjl__store_policy_get(ws->st, process, &p);
    if (rc != XJL_OK)
        return rc;
    if (!p.enabled)
        return xjl__failm(XJL_EPOLICY, "ws.workspace.switched_off", process,
                          /* the operator, or the word for none given */
                          strcmp(p.by, "unknown") == 0 ? xjl__value_label(p.by) : p.by);
    int32_t now = xjl__ws_today(ws);
    if ((p.from != XJL_DATE_NONE && now < p.from) || (p.to != XJL_DATE_NONE && now > p.to)) {
        char a[16] = "", b[16] = "", t[16] = "";
        xjl_date_format(p.from, a, sizeof a);
        xjl_date_format(p.to, b, sizeof b);
        xjl_date_format(now, t, sizeof t);
        return xjl__failm(XJL_EPOLICY, "ws.workspace.closed", process, t,
                          a[0] ? a : xjl__msg("ws.workspace.any"),
                          b[0] ? b : xjl__msg("ws.workspace.any"));
    }
    if (ws->feature && !ws->feature(ws->feature_user, process))
        return xjl__failm(XJL_EPOLICY, "ws.workspace.host_off", process);
    int32_t today = xjl__ws_today(ws);
    if (ws->window && !ws->window(ws->window_user, process, today)) {
        char date[16] = "";
        xjl_date_format(today, date, sizeof date);
        return xjl__failm(XJL_EPOLICY, "ws.workspace.host_closed", process, date);
    }
    return XJL_OK;
}

/* ---- roles and scope ---------------------------------------------------------- */

/* A role as a refusal names it, in this thread's language. */
static const char *role_label(xjl_role role)
{
    char id[32];
    snprintf(id, sizeof id, "ws.role.%s", xjl_role_name(role));
    return xjl_message_exists(id) ? xjl__msg(id) : xjl_role_name(role);
}

XJL_API int xjl_workspace_set_role(xjl_workspace *ws, xjl_role role, const char *scope)
{
    if (!ws)
        return xjl__failm(XJL_EINVAL, "ws.null_workspace", "xjl_workspace_set_role");
    if (role < XJL_ROLE_NONE || role > XJL_ROLE_PROVINCE)
        return xjl__failm(XJL_EINVAL, "ws.workspace.not_role_number", (int)role);
    scope = scope ? scope : "";
    size_t n = strlen(scope);
    bool digits = n == 6;
    for (size_t i = 0; i < n && digits; i++)
        digits = scope[i] >= '0' && scope[i] <= '9';
    if (role == XJL_ROLE_SCHOOL && (n == 0 || n >= sizeof ws->scope))
        return xjl__failm(XJL_EINVAL, "ws.workspace.school_scope");
    if (role > XJL_ROLE_SCHOOL && !digits)
        return xjl__failm(XJL_EINVAL, "ws.workspace.region_scope", role_label(role), scope);
    ws->role = role;
    snprintf(ws->scope, sizeof ws->scope, "%s", role == XJL_ROLE_NONE ? "" : scope);
    return XJL_OK;
}

/* How many leading digits of a region code a role's scope fixes. */
static int scope_digits(int role)
{
    return role == XJL_ROLE_COUNTY ? 6 : role == XJL_ROLE_CITY ? 4 : 2;
}

bool xjl__ws_in_scope(xjl_workspace *ws, const char *school)
{
    if (ws->role == XJL_ROLE_NONE)
        return true;
    if (!school)
        return false;
    if (ws->role == XJL_ROLE_SCHOOL)
        return strcmp(school, ws->scope) == 0;
    int32_t region = 0;
    if (xjl__store_school_region(ws->st, school, &region) != XJL_OK || region <= 0)
        return false;
    char code[16];
    snprintf(code, sizeof code, "%06ld", (long)region);
    return strncmp(code, ws->scope, (size_t)scope_digits(ws->role)) == 0;
}

int xjl__ws_allow(xjl_workspace *ws, const char *school, bool authority, const char *what)
{
    if (ws->role == XJL_ROLE_NONE)
        return XJL_OK;
    if (authority && ws->role == XJL_ROLE_SCHOOL)
        return xjl__failm(XJL_EPOLICY, "ws.workspace.authority_step", what, ws->scope);
    if (school && !xjl__ws_in_scope(ws, school))
        return xjl__failm(XJL_EPOLICY, "ws.workspace.school_outside", what, school,
                          role_label(ws->role), ws->scope);
    return XJL_OK;
}

int xjl__ws_allow_region(xjl_workspace *ws, int32_t region, const char *what)
{
    if (ws->role <= XJL_ROLE_SCHOOL)
        return XJL_OK;
    char code[16];
    snprintf(code, sizeof code, "%06ld", (long)region);
    if (strncmp(code, ws->scope, (size_t)scope_digits(ws->role)) != 0)
        return xjl__failm(XJL_EPOLICY, "ws.workspace.region_outside", what, code,
                          role_label(ws->role), ws->scope);
    return XJL_OK;
}

struct scope_filter {
    xjl_workspace *ws;
    const char *col;
};

static bool scope_keep(void *user, const xjl_listing *t, size_t r)
{
    const struct scope_filter *f = user;
    return xjl__ws_in_scope(f->ws, xjl_listing_value(t, r, f->col));
}

void xjl__ws_scope_listing(xjl_workspace *ws, xjl_listing *t, const char *col)
{
    if (ws->role == XJL_ROLE_NONE || !t)
        return;
    struct scope_filter f = {ws, col};
    xjl__listing_keep(t, scope_keep, &f);
}

XJL_API const char *xjl_role_name(xjl_role role)
{
    static const char *const names[] = {"none", "school", "county", "city", "province"};
    int r = (int)role;
    return r >= 0 && r < 5 ? names[r] : "unknown";
}

XJL_API int xjl_role_parse(const char *s, xjl_role *out)
{
    static const char *const zh[] = {"", "学校", "区县", "地市", "省"};
    for (int r = 0; s && out && r < 5; r++)
        if (strcmp(s, xjl_role_name(r)) == 0 || (r && strcmp(s, zh[r]) == 0)) {
            *out = (xjl_role)r;
            return XJL_OK;
        }
    return xjl__failm(XJL_EINVAL, "ws.workspace.not_role", s ? s : "(null)");
}

int xjl__put_field(FILE *fp, const char *v, bool last)
{
    char buf[1600];
    size_t n = 0;
    if (xjl_csv_quote(v ? v : "", XJL_NTS, buf, sizeof buf, &n) != XJL_OK)
        return XJL_ERANGE;
    return (fputs(buf, fp) < 0 || fputs(last ? "\r\n" : ",", fp) < 0) ? XJL_EIO : XJL_OK;
}

int xjl__random_digits(char buf[5])
{
    unsigned char bytes[8];
    if (getentropy(bytes, sizeof bytes) != 0)
        return xjl__failm(XJL_EIO, "ws.workspace.no_random");
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof bytes; i++)
        v = (v << 8) | bytes[i];
    snprintf(buf, 5, "%04u", (unsigned)(v % 10000u));
    return XJL_OK;
}

/* ---- the registry index ----------------------------------------------------- */

void xjl__ixcache_drop(struct xjl_ixcache *c)
{
    /* the handle's, kept */
    char *file = c->file;
    bool logged = c->logged;
    size_t pending_max = c->pending_max;
    xjl_matcher_free(c->m);
    xjl_index_free(c->ix);
    free(c->pos_id);
    memset(c, 0, sizeof *c);
    c->gen = c->file_gen = -1;
    c->file = file;
    c->logged = logged;
    c->pending_max = pending_max;
}

/* Writes c's index to its file, stamped gen (set on the index), and notes
 * what the file now holds.  A file that cannot be written (a read-only
 * directory) costs the next process a rebuild, nothing else: the index in
 * memory is right. */
static void write_file(struct xjl_ixcache *c)
{
    if (!c->file)
        return;
    if (xjl__index_save_tags(c->ix, c->file) == XJL_OK) {
        c->file_gen = (int64_t)xjl_index_stamp(c->ix);
        c->pending = 0;
        c->file_tables = xjl__index_table_mask(c->ix);
    } else {
        c->file_gen = -1;
    }
}

/* Whether the index is to be written to its file rather than left to the
 * change log: a table whose changes are not logged; more changes than a
 * step should apply on opening; a search table built here (by record id,
 * by name: built on first use) that the file lacks and every later step
 * would build again; a file that is not there. */
static bool worth_writing(const struct xjl_ixcache *c)
{
    return !c->logged || c->file_gen < 0 || c->pending > c->pending_max ||
           (xjl__index_table_mask(c->ix) & ~c->file_tables) != 0;
}

/* Changes pile up in the index's delta (memory, and the file written again
 * whole at every step) until they are folded into a new base: when the
 * records of the delta pass an eighth of the base's.  A compaction costs
 * what a build of the registry costs, once per base/8 records changed. */
enum { COMPACT_SHARE = 8 };

/* Compacts c's index when its changes pile up; *compacted says if it did. */
static int compact_if_due(struct xjl_ixcache *c, bool *compacted)
{
    if (xjl__index_delta_records(c->ix) <= c->ix->n / COMPACT_SHARE)
        return XJL_OK;
    *compacted = true;
    return xjl_index_compact(c->ix, 0);
}

/* ---- changes held as text (workspace.h) ------------------------------------ */

int xjl__changes_add(struct xjl__changes *b, xjl_change_op op, int64_t id, const char *record_id,
                     const xjl_record *rec)
{
    const char *val[6] = {record_id,       rec->name,    rec->gender,
                          rec->birth_date, rec->id_type, rec->id_number};
    size_t need = 0;
    for (int k = 0; k < 6; k++)
        need += val[k] ? strlen(val[k]) + 1 : 0;
    if (XJL_GROW(b->c, b->cap, b->n + 1, 1024) ||
        XJL_GROW(b->text, b->text_cap, b->len + need, 1 << 16))
        return xjl__failm(XJL_ENOMEM, "ws.workspace.out_of_memory_index");
    struct xjl__change_text *c = &b->c[b->n++];
    c->op = op;
    c->id = id;
    for (int k = 0; k < 6; k++) {
        c->off[k] = val[k] ? b->len : SIZE_MAX;
        if (val[k]) {
            size_t len = strlen(val[k]) + 1;
            memcpy(b->text + b->len, val[k], len);
            b->len += len;
        }
    }
    return XJL_OK;
}

int xjl__changes_view(const struct xjl__changes *b, xjl_index_change **ch, int64_t **ids)
{
    *ch = malloc((b->n ? b->n : 1) * sizeof **ch);
    *ids = malloc((b->n ? b->n : 1) * sizeof **ids);
    if (!*ch || !*ids) {
        free(*ch);
        free(*ids);
        *ch = NULL;
        *ids = NULL;
        return xjl__failm(XJL_ENOMEM, "ws.workspace.out_of_memory_index");
    }
    for (size_t i = 0; i < b->n; i++) {
        const struct xjl__change_text *c = &b->c[i];
        const char *v[6];
        for (int k = 0; k < 6; k++)
            v[k] = c->off[k] == SIZE_MAX ? NULL : b->text + c->off[k];
        (*ch)[i] = (xjl_index_change){c->op, v[0], {v[1], v[2], v[3], v[4], v[5]}};
        (*ids)[i] = c->id;
    }
    return XJL_OK;
}

void xjl__changes_free(struct xjl__changes *b)
{
    free(b->c);
    free(b->text);
    memset(b, 0, sizeof *b);
}

/* ---- catching up from the change log ----------------------------------------
 *
 * The file of generation from, opened, is brought to generation to by the
 * changes each refresh since logged (store.c, schema 6), generation by
 * generation, each in the order the refresh applied it, and compacted where
 * the refresh compacted: the same calls on the same index, so the same
 * positions (which order equal candidates) as the index of the handle that
 * made the refreshes.  The values are the records' as they are now: a
 * record added and then updated is added with its values of now, and then
 * updated to the same. */

enum { CATCH_UP_GENS = 1024 };

static int gather_change(void *user, int64_t id, const char *record_id, const xjl_record *rec,
                         bool added)
{
    return xjl__changes_add(user, added ? XJL_CHANGE_ADD : XJL_CHANGE_UPDATE, id, record_id, rec);
}

/* Applies the generations of the log from the one after c->file_gen to to;
 * XJL_ENOTFOUND when the log does not lead there (or holds more changes
 * than a rebuild costs), an error of the apply otherwise.  *applied: the
 * changes; *compacted: whether they were compacted. */
static int catch_up(struct xjl_ixcache *c, struct xjl_store *st, int64_t to, size_t *applied,
                    bool *compacted)
{
    int64_t gens[CATCH_UP_GENS];
    size_t ngens = 0;
    /* past an eighth of the records, a refresh would have compacted: a
     * build from the table costs about as much as applying them */
    size_t most =
        c->ix->n / COMPACT_SHARE > c->pending_max ? c->ix->n / COMPACT_SHARE : c->pending_max;
    int rc = xjl__store_registry_log_chain(st, c->file_gen, to, most, gens, CATCH_UP_GENS, &ngens);
    struct xjl__changes g = {0};
    for (size_t i = 0; i < ngens && rc == XJL_OK; i++) {
        g.n = g.len = 0;
        xjl_index_change *ch = NULL;
        int64_t *ids = NULL;
        if ((rc = xjl__store_registry_changes(st, gens[i], gather_change, &g)) == XJL_OK &&
            (rc = xjl__changes_view(&g, &ch, &ids)) == XJL_OK &&
            (rc = xjl__index_apply_tagged(c->ix, ch, g.n, NULL, ids)) == XJL_OK)
            rc = compact_if_due(c, compacted);
        free(ch);
        free(ids);
        *applied += g.n;
    }
    xjl__changes_free(&g);
    return rc;
}

int xjl__ixcache_add(void *user, int64_t id, const char *record_id, const xjl_record *rec)
{
    struct xjl_ixcache *c = user;
    if (XJL_GROW(c->pos_id, c->cap, c->n + 1, 1024))
        return xjl__failm(XJL_ENOMEM, "ws.workspace.out_of_memory_index");
    int rc = xjl_index_add(c->ix, record_id, rec);
    if (rc != XJL_OK)
        return rc;
    c->pos_id[c->n++] = id;
    return XJL_OK;
}

int xjl__ixcache_ensure(struct xjl_ixcache *c, struct xjl_store *st, const char *gen_key,
                        xjl__scan_fn scan)
{
    int64_t gen = 0;
    int rc = xjl__store_generation(st, gen_key, &gen);
    if (rc != XJL_OK)
        return rc;
    if (c->m && gen == c->gen)
        return XJL_OK;
    xjl__ixcache_drop(c);
    /* The file, if it is of this generation and has the row ids, or of a
     * generation the change log leads from.  Any other file (stale,
     * damaged, of another library) is rebuilt below. */
    if (c->file && xjl_index_open(&c->ix, c->file, 0) == XJL_OK) {
        c->file_gen = (int64_t)xjl_index_stamp(c->ix);
        c->file_tables = xjl__index_table_mask(c->ix);
        size_t applied = 0;
        bool compacted = false;
        bool usable = xjl__index_tags(c->ix) != NULL &&
                      (c->file_gen == gen ||
                       (c->logged && catch_up(c, st, gen, &applied, &compacted) == XJL_OK));
        if (!usable) {
            xjl_index_free(c->ix);
            c->ix = NULL;
            c->file_gen = -1;
        } else if (c->file_gen != gen) {
            xjl_index_set_stamp(c->ix, (uint64_t)gen);
            c->pending = applied;
            c->caught_up = applied;
            /* a compaction is a build: kept, as the refresh that made it would */
            if (compacted || worth_writing(c))
                write_file(c);
        }
    }
    if (!c->ix) {
        if ((rc = xjl_index_new(&c->ix)) != XJL_OK ||
            (rc = scan(st, xjl__ixcache_add, c)) != XJL_OK) {
            xjl__ixcache_drop(c);
            return rc;
        }
        xjl_index *ix = c->ix;
        int64_t *ids = c->pos_id;
        c->ix = NULL;
        c->pos_id = NULL;
        return xjl__ixcache_install(c, ix, ids, gen);
    }
    if ((rc = xjl_matcher_new(&c->m, c->ix)) != XJL_OK) {
        xjl__ixcache_drop(c);
        return rc;
    }
    c->gen = gen;
    return XJL_OK;
}

int xjl__ixcache_install(struct xjl_ixcache *c, xjl_index *ix, int64_t *ids, int64_t gen)
{
    int rc = xjl_index_build(ix, 0);
    if (rc == XJL_OK)
        rc = xjl__index_set_tags(ix, ids); /* ids taken, even on failure */
    else
        free(ids);
    if (rc != XJL_OK) {
        xjl_index_free(ix);
        xjl__ixcache_drop(c);
        return rc;
    }
    xjl_index_set_stamp(ix, (uint64_t)gen);
    /* a file not written (a read-only directory) costs a later step a write */
    bool written = c->file && xjl__index_save_tags(ix, c->file) == XJL_OK;
    return xjl__ixcache_adopt(c, ix, gen, written);
}

int xjl__ixcache_adopt(struct xjl_ixcache *c, xjl_index *ix, int64_t gen, bool written)
{
    xjl__ixcache_drop(c);
    c->ix = ix;
    int rc = xjl_matcher_new(&c->m, ix);
    if (rc != XJL_OK) {
        xjl__ixcache_drop(c);
        return rc;
    }
    c->gen = gen;
    /* the file, when written, is stamped gen and has the tables ix has */
    c->file_gen = written ? gen : -1;
    c->file_tables = written ? xjl__index_table_mask(ix) : 0;
    return XJL_OK;
}

int64_t xjl__ixcache_id(const struct xjl_ixcache *c, size_t pos)
{
    return c->ix && pos < xjl__index_positions(c->ix) ? xjl__index_tag(c->ix, pos) : 0;
}

int xjl__ixcache_apply(struct xjl_ixcache *c, const xjl_index_change *ch, const int64_t *ids,
                       size_t n, int64_t gen)
{
    if (!c->ix || !c->m) { /* no index to change: the next step builds it */
        xjl__ixcache_drop(c);
        return XJL_OK;
    }
    /* (a change refused fails the whole: its code per change is not needed) */
    int rc = xjl__index_apply_tagged(c->ix, ch, n, NULL, ids);
    bool compacted = false;
    if (rc == XJL_OK)
        rc = compact_if_due(c, &compacted);
    if (rc != XJL_OK) {
        xjl__ixcache_drop(c);
        return rc;
    }
    xjl_index_set_stamp(c->ix, (uint64_t)gen);
    c->gen = gen;
    c->pending += n;
    /* the changes are logged with the load (regload.c): the file of a
     * generation before is caught up by the next step, unless it is due */
    if (compacted || worth_writing(c))
        write_file(c);
    return XJL_OK;
}

int xjl__ixcache_refresh(struct xjl_ixcache *c, struct xjl_store *st, const char *gen_key,
                         xjl__scan_fn scan)
{
    int rc = xjl__store_begin_read(st);
    if (rc != XJL_OK)
        return rc;
    rc = xjl__ixcache_ensure(c, st, gen_key, scan);
    xjl__store_rollback(st);
    return rc;
}

struct xjl_ixcache *xjl__ws_pool(xjl_workspace *ws)
{
    return &ws->pool;
}

/* ---- reading the registry CSV ------------------------------------------------- */

void xjl__diag_row(xjl_diag_fn diag, void *user, const xjl_csv *csv, const char *column,
                   const char *value, const char *message)
{
    if (diag)
        diag(user, xjl_csv_path(csv), xjl_csv_line(csv), column, value, message);
}

bool xjl__row_width_ok(const xjl_csv *csv, xjl_diag_fn diag, void *user)
{
    /* The one row rule of lib/io, on the row's width alone: the loaders
     * check each of their own fields, NUL bytes included. */
    struct xjl_row_layout width = {
        .key = {-1, -1, -1, -1, -1}, .id = -1, .ncols = xjl_csv_column_count(csv)};
    return xjl__row_loads(csv, &width, diag, user);
}

int xjl__load_csv(struct xjl_store *st, xjl_csv *csv, const struct xjl_loader *loader, void *ctx,
                  xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    xjl_load_report r = {0};
    const char *path = xjl_csv_path(csv);
    char step[600];
    snprintf(step, sizeof step, "%s %s", loader->action, path);
    int rc = xjl__store_begin_as(st, step), more = 0;
    while (rc == XJL_OK && (more = xjl_csv_next(csv)) > 0) {
        r.rows++;
        int outcome = 0, row_rc = 1;
        if (xjl__row_width_ok(csv, diag, user))
            row_rc = loader->row(ctx, st, csv, diag, user, &r, &outcome);
        if (row_rc < 0)
            rc = row_rc;
        else if (row_rc > 0)
            r.bad_rows++;
        else if (outcome == 0)
            r.inserted++;
        else if (outcome == 1)
            r.updated++;
        else
            r.unchanged++;
    }
    if (rc == XJL_OK && more < 0)
        rc = more;
    return xjl__load_finish(st, csv, loader, ctx, rc, &r, rep);
}

int xjl__load_finish(struct xjl_store *st, xjl_csv *csv, const struct xjl_loader *loader, void *ctx,
                     int rc, const xjl_load_report *counts, xjl_load_report *rep)
{
    xjl_load_report r = *counts;
    const char *path = xjl_csv_path(csv);
    char detail[768];
    xjl__stored(detail, sizeof detail, "ws.audit.loaded", path, r.rows, XJL_PLURAL(r.rows),
                r.inserted, r.updated, r.unchanged, r.bad_rows, r.warnings, XJL_PLURAL(r.warnings));
    if (rc == XJL_OK && (r.inserted || r.updated))
        rc = xjl__store_generation_bump(st, loader->gen_key);
    if (rc == XJL_OK && loader->before_commit)
        rc = loader->before_commit(ctx, st);
    if (rc == XJL_OK)
        rc = xjl__store_batch_add(st, loader->kind, NULL, path, r.rows, &r.batch);
    if (rc == XJL_OK)
        rc = xjl__store_audit(st, loader->action, "batch", r.batch, detail);
    if (rc == XJL_OK)
        rc = xjl__store_commit(st);
    if (rc != XJL_OK)
        xjl__store_rollback(st);
    xjl_csv_close(csv);
    if (rep)
        *rep = r;
    return rc;
}
