/*
 * workspace.c: the workspace handle (one SQLite store, the host's policy
 * hooks, the date it works on) and what every workflow step shares:
 *
 * - an in-memory index per workspace table (the preschool registry, the
 *   graduate pool), rebuilt only when the table's generation (bumped by
 *   every load that changed something) differs from the one it was built
 *   from, so a handle that imports list after list builds the index once;
 * - the driver that loads a CSV file into a table in one transaction.
 */
#include "workspace/workspace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the handle ------------------------------------------------------------ */

XJL_API int xjl_workspace_open(xjl_workspace **out, const char *path)
{
    if (!out || !path)
        return xjl__fail(XJL_EINVAL, "xjl_workspace_open: NULL argument");
    *out = NULL;
    xjl_workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return xjl__fail(XJL_ENOMEM, "out of memory opening workspace %s", path);
    ws->today = XJL_DATE_NONE;
    ws->registry.gen = ws->pool.gen = -1;
    int rc = xjl__store_open(&ws->st, path);
    if (rc != XJL_OK) {
        free(ws);
        return rc;
    }
    *out = ws;
    return XJL_OK;
}

XJL_API void xjl_workspace_close(xjl_workspace *ws)
{
    if (!ws)
        return;
    xjl__ixcache_drop(&ws->registry);
    xjl__ixcache_drop(&ws->pool);
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
        return xjl__fail(XJL_EINVAL, "xjl_workspace_set_operator: NULL workspace");
    return xjl__store_set_operator(ws->st, operator_id);
}

XJL_API int xjl_workspace_set_busy_timeout(xjl_workspace *ws, int ms)
{
    if (!ws)
        return xjl__fail(XJL_EINVAL, "xjl_workspace_set_busy_timeout: NULL workspace");
    return xjl__store_set_busy_timeout(ws->st, ms);
}

XJL_API int xjl_workspace_set_date(xjl_workspace *ws, int32_t day)
{
    if (!ws)
        return xjl__fail(XJL_EINVAL, "xjl_workspace_set_date: NULL workspace");
    int y, m, d;
    if (day != XJL_DATE_NONE && xjl_date_to_ymd(day, &y, &m, &d) != XJL_OK)
        return xjl__fail(XJL_EINVAL, "day number %ld is not a date", (long)day);
    ws->today = day;
    return XJL_OK;
}

XJL_API int xjl_workspace_check(xjl_workspace *ws)
{
    if (!ws)
        return xjl__fail(XJL_EINVAL, "xjl_workspace_check: NULL workspace");
    return xjl__store_check(ws->st);
}

XJL_API int xjl_workspace_audit(xjl_workspace *ws, const char *object, int64_t object_id,
                                xjl_listing **out)
{
    if (!ws || !out)
        return xjl__fail(XJL_EINVAL, "xjl_workspace_audit: NULL argument");
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

int xjl__ws_policy(xjl_workspace *ws, const char *process)
{
    if (ws->feature && !ws->feature(ws->feature_user, process))
        return xjl__fail(XJL_EPOLICY, "the feature '%s' is switched off by the host's policy", process);
    int32_t today = xjl__ws_today(ws);
    if (ws->window && !ws->window(ws->window_user, process, today)) {
        char date[16] = "";
        xjl_date_format(today, date, sizeof date);
        return xjl__fail(XJL_EPOLICY, "'%s' is closed on %s: outside the date window the host set",
                         process, date);
    }
    return XJL_OK;
}

int xjl__random_digits(char buf[5])
{
    unsigned char bytes[8];
    if (getentropy(bytes, sizeof bytes) != 0)
        return xjl__fail(XJL_EIO, "no random bytes from the system for a temporary number");
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof bytes; i++)
        v = (v << 8) | bytes[i];
    snprintf(buf, 5, "%04u", (unsigned)(v % 10000u));
    return XJL_OK;
}

/* ---- the registry index ----------------------------------------------------- */

void xjl__ixcache_drop(struct xjl_ixcache *c)
{
    xjl_matcher_free(c->m);
    xjl_index_free(c->ix);
    free(c->pos_id);
    memset(c, 0, sizeof *c);
    c->gen = -1;
}

static int ixcache_add(void *user, int64_t id, const char *record_id, const xjl_record *rec)
{
    struct xjl_ixcache *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        int64_t *p = realloc(c->pos_id, cap * sizeof *p);
        if (!p)
            return xjl__fail(XJL_ENOMEM, "out of memory indexing the workspace");
        c->pos_id = p;
        c->cap = cap;
    }
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
    c->ix = xjl_index_new();
    if (!c->ix)
        return xjl__fail(XJL_ENOMEM, "out of memory for an index");
    if ((rc = scan(st, ixcache_add, c)) != XJL_OK || (rc = xjl_index_build(c->ix, 0)) != XJL_OK) {
        xjl__ixcache_drop(c);
        return rc;
    }
    c->m = xjl_matcher_new(c->ix);
    if (!c->m) {
        xjl__ixcache_drop(c);
        return xjl__fail(XJL_ENOMEM, "out of memory for the matcher");
    }
    c->gen = gen;
    return XJL_OK;
}

int64_t xjl__ixcache_id(const struct xjl_ixcache *c, size_t pos)
{
    return pos < c->n ? c->pos_id[pos] : 0;
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
    struct xjl_row_layout width = {.key = {-1, -1, -1, -1, -1}, .id = -1,
                                   .ncols = xjl_csv_column_count(csv)};
    return xjl__row_loads(csv, &width, diag, user);
}

int xjl__load_csv(struct xjl_store *st, xjl_csv *csv, const struct xjl_loader *loader,
                  void *ctx, xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    xjl_load_report r = {0};
    const char *path = xjl_csv_path(csv);
    int rc = xjl__store_begin(st), more = 0;
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
    char detail[768];
    snprintf(detail, sizeof detail, "%s: %zu rows, %zu inserted, %zu updated, %zu unchanged, "
                                    "%zu bad, %zu warnings",
             path, r.rows, r.inserted, r.updated, r.unchanged, r.bad_rows, r.warnings);
    if (rc == XJL_OK && (r.inserted || r.updated))
        rc = xjl__store_generation_bump(st, loader->gen_key);
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
