/*
 * roster.c: the one rule by which every reader of the library takes a row
 * of a roster or a registry file: `xjlink match`, `xjlink dedup`, the
 * registry loader, and the workspace's imports and loads all call it, so
 * that one CSV file loads the same rows with the same record ids wherever
 * it goes.
 *
 * - The key columns are found by xjl_csv_key_columns(): each exactly once.
 * - The record id is the column the caller names, else the first of one
 *   list of usual names (most specific first: a file with both 学前学籍ID and
 *   a generic id column is a registry export whose own id is the former).
 * - A row loads when it has as many fields as the header, or more if every
 *   extra one is empty (Excel writes such cells after the last column),
 *   when no key field and not the id holds a NUL byte (from here on fields
 *   are C strings, and a NUL would silently cut one), and when its id is at
 *   most XJL_RECORD_ID_MAX bytes (every result naming it copies it).
 * - No key field and not the id holds a line break: none of them has one,
 *   so a quoted one that does is a stray quote that read the next lines of
 *   the file into this row; the message names those lines, which would
 *   otherwise vanish inside one bad row.
 */
#include "io/io.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const char *const id_columns[] = {"学前学籍ID", "学前学籍id", "学籍ID",
                                         "record_id",  "id",         "ID"};

XJL_API const char *xjl_record_id_column_name(size_t i)
{
    return i < XJL_ARRAY_LEN(id_columns) ? id_columns[i] : NULL;
}

/* Joined once, from the table above, so that no message keeps a copy of
 * the list that could drift from it. */
static char id_column_list[128];
static pthread_once_t id_column_list_once = PTHREAD_ONCE_INIT;

static void join_id_columns(void)
{
    size_t at = 0;
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_columns); i++)
        at += (size_t)snprintf(id_column_list + at, sizeof id_column_list - at, "%s%s",
                               i ? ", " : "", id_columns[i]);
}

XJL_API const char *xjl_record_id_column_list(void)
{
    pthread_once(&id_column_list_once, join_id_columns);
    return id_column_list;
}

XJL_API int xjl_csv_id_column(const xjl_csv *csv, const char *id_column)
{
    if (!csv)
        return -1;
    if (id_column)
        return xjl_csv_column(csv, id_column);
    int col = -1;
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_columns) && col < 0; i++)
        col = xjl_csv_column(csv, id_columns[i]);
    return col;
}

int xjl__row_layout(const xjl_csv *csv, const char *id_column, struct xjl_row_layout *out)
{
    int rc = xjl_csv_key_columns(csv, out->key);
    if (rc != XJL_OK)
        return rc;
    out->ncols = xjl_csv_column_count(csv);
    out->id = xjl_csv_id_column(csv, id_column);
    if (id_column && out->id < 0)
        return xjl__fail(XJL_EFORMAT, "%s:1: no id column named '%s'", xjl_csv_path(csv),
                         id_column);
    return XJL_OK;
}

/* Whether a cell spanning lines holds a whole line with as many commas as
 * a row of the file has: rows of the file read into one cell. */
static bool holds_rows(const char *s, size_t len, size_t ncols)
{
    const char *end = s + len, *p = s;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        size_t commas = 0;
        for (p++; p < end && *p != '\n'; p++)
            commas += *p == ',';
        if (ncols > 1 && commas + 1 >= ncols)
            return true;
    }
    return false;
}

/* The column of a cell that spans lines because of a stray quote, or -1:
 * a quote opened in a cell and not closed where the writer meant reads the
 * next lines into that cell up to some later quote, and the rows in between
 * would vanish into it.  Such a cell (in any column: key columns are
 * refused for any line break already) has text after the quote that closes
 * it ("...,"转学"" closes before 转学), or holds whole rows. */
static long stray_quote_column(const xjl_csv *csv, size_t have, size_t ncols)
{
    long col = xjl__csv_stray_quote(csv);
    if (col >= 0 && (size_t)col < have) {
        size_t len = 0;
        const char *s = xjl_csv_field(csv, (size_t)col, &len);
        if (memchr(s, '\n', len) || memchr(s, '\r', len))
            return col;
    }
    for (size_t i = 0; i < have; i++) {
        size_t len = 0;
        const char *s = xjl_csv_field(csv, i, &len);
        if (holds_rows(s, len, ncols))
            return (long)i;
    }
    return -1;
}

/* Why the current row, which spans lines, is not loaded: catalogue entry
 * id (row.key_line_break or row.stray_quote) for column col, with the lines
 * the row took. */
static void spans_lines(const xjl_csv *csv, size_t col, const char *id, int lang, char *why,
                        size_t cap)
{
    long first = xjl_csv_line(csv), last = first + xjl__csv_row_lines(csv) - 1;
    snprintf(why, cap, xjl_message(id, lang ? XJL_LANG_ZH : XJL_LANG_EN),
             xjl_csv_column_name(csv, col), first, last, first + 1, last);
}

/* The stray-quote fault of the current row (stray_quote_column()) into
 * why; false if none. */
static bool stray_quote_fault(const xjl_csv *csv, size_t have, size_t ncols, int lang, char *why,
                              size_t cap)
{
    long lines = xjl__csv_row_lines(csv);
    long col =
        lines > 1 && !xjl__csv_from_workbook(csv) ? stray_quote_column(csv, have, ncols) : -1;
    if (col < 0)
        return false;
    spans_lines(csv, (size_t)col, "row.stray_quote", lang, why, cap);
    return true;
}

XJL_API int xjl_csv_row_check(const xjl_csv *csv)
{
    if (!csv)
        return xjl__fail(XJL_EINVAL, "xjl_csv_row_check: NULL reader");
    char why[256];
    if (!stray_quote_fault(csv, xjl_csv_field_count(csv), xjl_csv_column_count(csv), xjl_get_lang(),
                           why, sizeof why))
        return XJL_OK;
    return xjl__fail(XJL_EFORMAT, "%s", why);
}

bool xjl__row_fault(const xjl_csv *csv, const struct xjl_row_layout *l, bool nul_possible, int lang,
                    char *why, size_t cap)
{
    size_t have = xjl_csv_field_count(csv), want = l->ncols;
    bool count_ok = have == want;
    for (size_t i = want; have > want && i < have; i++) {
        size_t len;
        xjl_csv_field(csv, i, &len);
        count_ok = len == 0;
        if (!count_ok)
            break;
    }
    if (!count_ok) {
        snprintf(why, cap, xjl_message("row.field_count", lang ? XJL_LANG_ZH : XJL_LANG_EN), have,
                 want);
        return true;
    }
    if (l->id >= 0 && (size_t)l->id < have) {
        size_t len = 0;
        xjl_csv_field(csv, (size_t)l->id, &len);
        if (len > XJL_RECORD_ID_MAX) {
            snprintf(why, cap, xjl_message("row.id_too_long", lang ? XJL_LANG_ZH : XJL_LANG_EN),
                     len, XJL_RECORD_ID_MAX);
            return true;
        }
    }
    for (int f = 0; f < 6 && nul_possible; f++) {
        int col = f < 5 ? l->key[f] : l->id;
        if (col < 0 || (size_t)col >= have)
            continue;
        size_t len = 0;
        const char *s = xjl_csv_field(csv, (size_t)col, &len);
        if (memchr(s, '\0', len)) {
            snprintf(why, cap, xjl_message("row.nul", lang ? XJL_LANG_ZH : XJL_LANG_EN),
                     xjl_csv_column_name(csv, (size_t)col));
            return true;
        }
    }
    long lines = xjl__csv_row_lines(csv);
    for (int f = 0; f < 6 && lines > 1; f++) {
        int col = f < 5 ? l->key[f] : l->id;
        if (col < 0 || (size_t)col >= have)
            continue;
        size_t len = 0;
        const char *s = xjl_csv_field(csv, (size_t)col, &len);
        if (memchr(s, '\n', len) || memchr(s, '\r', len)) {
            spans_lines(csv, (size_t)col, "row.key_line_break", lang, why, cap);
            return true;
        }
    }
    if (stray_quote_fault(csv, have, want, lang, why, cap))
        return true;
    if (cap)
        why[0] = '\0';
    return false;
}

bool xjl__row_loads(const xjl_csv *csv, const struct xjl_row_layout *l, xjl_diag_fn diag,
                    void *user)
{
    char why[256];
    if (!xjl__row_fault(csv, l, true, xjl_get_lang(), why, sizeof why))
        return true;
    if (diag) { /* the row shown by its first field, as the registry's loader shows it */
        size_t len0 = 0;
        const char *first = xjl_csv_field_count(csv) ? xjl_csv_field(csv, 0, &len0) : "";
        diag(user, xjl_csv_path(csv), xjl_csv_line(csv), NULL,
             memchr(first, '\0', len0) ? "" : first, why);
    }
    return false;
}
