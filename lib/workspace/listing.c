/*
 * listing.c: the result of a query, a grid of text with named columns.
 *
 * One small container serves every listing of the workflow (rows,
 * candidates, history, audit, admissions, statistics): bindings and the CLI
 * need only these few functions, and a listing can gain a column without an
 * ABI change.  Cells are copied in, so a table outlives the statement that
 * filled it.
 */
#include "workspace/workspace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct xjl_listing {
    size_t ncols, nrows, cap_rows;
    char **names; /* ncols column names */
    char **cells; /* nrows * ncols values, NULL for empty */
};

xjl_listing *xjl__listing_new(size_t ncols, const char *const *names)
{
    xjl_listing *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ncols = ncols;
    t->names = calloc(ncols ? ncols : 1, sizeof *t->names);
    if (!t->names) {
        free(t);
        return NULL;
    }
    for (size_t c = 0; c < ncols; c++) {
        t->names[c] = strdup(names[c] ? names[c] : "");
        if (!t->names[c]) {
            xjl_listing_free(t);
            return NULL;
        }
    }
    return t;
}

long xjl__listing_add_row(xjl_listing *t)
{
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        char **cells = realloc(t->cells, cap * (t->ncols ? t->ncols : 1) * sizeof *cells);
        if (!cells)
            return -1;
        t->cells = cells;
        t->cap_rows = cap;
    }
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
    return (long)t->nrows++;
}

int xjl__listing_set(xjl_listing *t, size_t r, size_t c, const char *s, size_t len)
{
    if (r >= t->nrows || c >= t->ncols)
        return xjl__failm(XJL_EINVAL, "ws.listing.outside", r, c, t->nrows, t->ncols);
    char **cell = &t->cells[r * t->ncols + c];
    free(*cell);
    *cell = NULL;
    if (!s)
        return XJL_OK;
    if (len == XJL_NTS)
        len = strlen(s);
    *cell = malloc(len + 1);
    if (!*cell)
        return xjl__failm(XJL_ENOMEM, "ws.listing.out_of_memory", len);
    memcpy(*cell, s, len);
    (*cell)[len] = '\0';
    return XJL_OK;
}

XJL_API void xjl_listing_free(xjl_listing *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    if (t->names)
        for (size_t c = 0; c < t->ncols; c++)
            free(t->names[c]);
    free(t->names);
    free(t);
}

XJL_API size_t xjl_listing_rows(const xjl_listing *t)
{
    return t ? t->nrows : 0;
}

XJL_API size_t xjl_listing_cols(const xjl_listing *t)
{
    return t ? t->ncols : 0;
}

XJL_API const char *xjl_listing_col_name(const xjl_listing *t, size_t c)
{
    return (t && c < t->ncols) ? t->names[c] : NULL;
}

XJL_API int xjl_listing_col(const xjl_listing *t, const char *name)
{
    if (!t || !name)
        return -1;
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->names[c], name) == 0)
            return (int)c;
    return -1;
}

XJL_API const char *xjl_listing_get(const xjl_listing *t, size_t r, size_t c)
{
    if (!t || r >= t->nrows || c >= t->ncols)
        return "";
    const char *v = t->cells[r * t->ncols + c];
    return v ? v : "";
}

XJL_API const char *xjl_listing_value(const xjl_listing *t, size_t r, const char *col)
{
    int c = xjl_listing_col(t, col);
    return c < 0 ? "" : xjl_listing_get(t, r, (size_t)c);
}

XJL_API int64_t xjl_listing_int(const xjl_listing *t, size_t r, const char *col)
{
    const char *v = xjl_listing_value(t, r, col);
    char *end = NULL;
    if (!*v)
        return 0;
    long long n = strtoll(v, &end, 10);
    return (end && *end == '\0') ? (int64_t)n : 0;
}

void xjl__listing_keep(xjl_listing *t, bool (*keep)(void *user, const xjl_listing *t, size_t r),
                       void *user)
{
    size_t w = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        char **row = t->cells + r * t->ncols;
        if (keep(user, t, r)) {
            if (w != r)
                memmove(t->cells + w * t->ncols, row, t->ncols * sizeof *row);
            w++;
        } else {
            for (size_t c = 0; c < t->ncols; c++)
                free(row[c]);
        }
    }
    t->nrows = w;
}
