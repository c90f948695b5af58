/*
 * Reading the first sheet of an .xlsx workbook (Office Open XML, ECMA-376)
 * as rows of text, the way the CSV reader gives them: a header row, then
 * data rows with their fields and the row number a user sees in Excel.
 *
 * A workbook is a zip (minizip) of XML parts (expat): xl/workbook.xml names
 * the sheets in order, xl/_rels/workbook.xml.rels says which part each is,
 * xl/sharedStrings.xml holds the text cells' strings, and the sheet part
 * holds <row r="N"><c r="B2" t="s"><v>3</v></c>...</row>.  A cell's text is
 * what the file stores: a shared or inline string, or the number as written
 * (an ID number that Excel turned into 5.10104201802146E+17 stays so, and the
 * field check reports it).  The whole sheet is read at open: a roster has at
 * most Excel's 1,048,576 rows, and rows are short.
 *
 * The parsing works on bytes in memory (xjl__xlsx_from_parts) so that a test
 * can feed it any bytes; the zip side only extracts parts, each at most
 * XLSX_PART_MAX bytes uncompressed (a zip bomb is refused, not inflated).
 */
#include "io/io.h"

#include <expat.h>
#include <minizip/unzip.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define XLSX_PART_MAX ((size_t)1 << 30)
/* Rows searched for the header: a title or a note may stand above it. */
#define XLSX_HEADER_SEARCH 30

struct xjl_xlsx {
    char *path;
    /* every cell's text, NUL-terminated, one after the other */
    char *text;
    size_t text_len, text_cap;
    /* rows: row i has cells cell_start[row_start[i]] .. [row_start[i+1]) */
    size_t *cell_off; /* offset of each cell's text in text, (size_t)-1: empty */
    size_t ncells, cells_cap;
    size_t *row_start; /* nrows + 1 entries */
    long *row_num;     /* the sheet's row number of each row */
    size_t nrows, rows_cap, nums_cap;
    size_t header; /* index of the header row */
    size_t cur;    /* current row (> header once next() has run) */
    bool started;
};

/* ---- growing arrays --------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    return xjl__grow_to(p, cap, need, size, 64) ? -1 : 0;
}

/* Appends s[0..n) and a NUL to the text; its offset in *off. */
static int add_text(xjl_xlsx *x, const char *s, size_t n, size_t *off)
{
    if (grow((void **)&x->text, &x->text_cap, x->text_len + n + 1, 1))
        return -1;
    memcpy(x->text + x->text_len, s, n);
    x->text[x->text_len + n] = '\0';
    *off = x->text_len;
    x->text_len += n + 1;
    return 0;
}

/* ---- XML helpers ------------------------------------------------------------ */

/* An element's name without a namespace prefix ("x:row" → "row"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* A growing buffer of character data. */
struct buf {
    char *s;
    size_t len, cap;
    bool oom;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->oom || grow((void **)&b->s, &b->cap, b->len + n + 1, 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Runs expat over xml[0..n); fails naming the part and the parser's line. */
static int parse_xml(const char *path, const char *part, const char *xml, size_t n, void *ud,
                     XML_StartElementHandler start, XML_EndElementHandler end,
                     XML_CharacterDataHandler chars, bool *oom)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory for an XML parser", path);
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, chars);
    int rc = XJL_OK;
    /* expat takes int lengths: feed large parts in pieces */
    for (size_t off = 0; rc == XJL_OK;) {
        size_t piece = n - off > (1u << 30) ? (1u << 30) : n - off;
        bool last = off + piece == n;
        if (XML_Parse(p, xml + off, (int)piece, last) != XML_STATUS_OK)
            rc = xjl__fail(XJL_EFORMAT, "file %s: %s line %lu: %s (not a valid .xlsx workbook?)",
                           path, part, (unsigned long)XML_GetCurrentLineNumber(p),
                           XML_ErrorString(XML_GetErrorCode(p)));
        else if (*oom)
            rc = xjl__fail(XJL_ENOMEM, "file %s: out of memory reading %s", path, part);
        off += piece;
        if (last)
            break;
    }
    XML_ParserFree(p);
    return rc;
}

/* ---- xl/sharedStrings.xml --------------------------------------------------- */

struct strings {
    struct buf all; /* the strings, NUL-separated */
    size_t *off;    /* offset of string i in all.s */
    size_t n, cap;
    int in_t, in_rph; /* inside <t>; inside <rPh> (a phonetic reading, not text) */
    bool oom;
};

static void XMLCALL ss_start(void *ud, const char *name, const char **atts)
{
    (void)atts;
    struct strings *s = ud;
    name = local(name);
    if (strcmp(name, "si") == 0) {
        if (grow((void **)&s->off, &s->cap, s->n + 1, sizeof *s->off)) {
            s->oom = true;
            return;
        }
        buf_add(&s->all, "", 0);
        s->off[s->n++] = s->all.len;
    } else if (strcmp(name, "t") == 0) {
        s->in_t++;
    } else if (strcmp(name, "rPh") == 0) {
        s->in_rph++;
    }
}

static void XMLCALL ss_end(void *ud, const char *name)
{
    struct strings *s = ud;
    name = local(name);
    if (strcmp(name, "si") == 0) {
        buf_add(&s->all, "", 1); /* the string's NUL */
    } else if (strcmp(name, "t") == 0 && s->in_t) {
        s->in_t--;
    } else if (strcmp(name, "rPh") == 0 && s->in_rph) {
        s->in_rph--;
    }
    s->oom |= s->all.oom;
}

static void XMLCALL ss_chars(void *ud, const char *text, int len)
{
    struct strings *s = ud;
    if (s->in_t && !s->in_rph && s->n)
        buf_add(&s->all, text, (size_t)len);
}

/* ---- the sheet -------------------------------------------------------------- */

struct sheet {
    xjl_xlsx *x;
    const struct strings *ss;
    struct buf v;    /* the current cell's <v> or inline <t> text */
    long row;        /* the current row's number */
    long next_row;   /* number of a row without r */
    size_t col;      /* the current cell's column */
    size_t next_col; /* column of a cell without r */
    char type[16];   /* the current cell's t */
    int in_v, in_is_t, in_rph;
    bool in_cell, in_row;
    bool oom, bad;
    char bad_msg[160];
};

/* Column index of a reference such as "AB12" (0-based), or -1.  Excel
 * writes the letters upper case; one in lower case ("ab12", from another
 * writer) names the same column rather than refusing the workbook. */
static long ref_col(const char *r)
{
    long c = 0;
    size_t i = 0;
    for (; (r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= 'a' && r[i] <= 'z'); i++) {
        c = c * 26 + ((r[i] & ~0x20) - 'A' + 1);
        if (c > 16384) /* Excel's XFD */
            return -1;
    }
    return i ? c - 1 : -1;
}

static void sheet_bad(struct sheet *s, const char *fmt, const char *what)
{
    if (!s->bad)
        snprintf(s->bad_msg, sizeof s->bad_msg, fmt, what);
    s->bad = true;
}

/* Ends a row: its cells are x->cell_off[row_start[nrows] .. ncells). */
static void end_row(struct sheet *s)
{
    xjl_xlsx *x = s->x;
    if (grow((void **)&x->row_start, &x->rows_cap, x->nrows + 2, sizeof *x->row_start) ||
        grow((void **)&x->row_num, &x->nums_cap, x->nrows + 2, sizeof *x->row_num)) {
        s->oom = true;
        return;
    }
    x->row_num[x->nrows] = s->row;
    x->row_start[++x->nrows] = x->ncells;
}

static void XMLCALL sh_start(void *ud, const char *name, const char **atts)
{
    struct sheet *s = ud;
    xjl_xlsx *x = s->x;
    name = local(name);
    if (strcmp(name, "row") == 0) {
        const char *r = attr(atts, "r");
        long n = r ? strtol(r, NULL, 10) : s->next_row;
        if (n < s->next_row || n > 1048576)
            sheet_bad(s, "row number '%s' out of order", r ? r : "?");
        s->row = n;
        s->next_row = n + 1;
        s->next_col = 0;
        s->in_row = true;
        if (grow((void **)&x->row_start, &x->rows_cap, x->nrows + 2, sizeof *x->row_start)) {
            s->oom = true;
            return;
        }
        x->row_start[x->nrows] = x->ncells;
    } else if (strcmp(name, "c") == 0 && s->in_row) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long c = r ? ref_col(r) : (long)s->next_col;
        if (c < (long)s->next_col) {
            sheet_bad(s, "cell '%s' out of order", r ? r : "?");
            return; /* the open fails: the cell is not stored */
        }
        s->col = (size_t)c;
        s->next_col = s->col + 1;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->v.len = 0;
        s->in_cell = true;
    } else if (s->in_cell && strcmp(name, "v") == 0) {
        s->in_v++;
    } else if (s->in_cell && strcmp(name, "t") == 0) {
        s->in_is_t++;
    } else if (s->in_cell && strcmp(name, "rPh") == 0) {
        s->in_rph++;
    }
}

/* The reference of a cell ("AB12") into buf, from its 0-based column. */
static void cell_ref(size_t col, long row, char buf[32])
{
    char letters[8];
    size_t n = 0;
    for (size_t c = col + 1; c && n < sizeof letters; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t w = 0;
    while (n)
        buf[w++] = letters[--n];
    snprintf(buf + w, 32 - w, "%ld", row);
}

/* Stores the finished cell at its column, empty cells before it. */
static void end_cell(struct sheet *s)
{
    xjl_xlsx *x = s->x;
    const char *text = s->v.s ? s->v.s : "";
    size_t len = s->v.len;
    if (strcmp(s->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(text, &end, 10);
        if (end == text || *end || i >= s->ss->n) {
            /* the open fails (the text is lost): the cell is named, so that
             * it can be mended or the sheet saved again */
            char ref[32], what[120];
            cell_ref(s->col, s->row, ref);
            snprintf(what, sizeof what,
                     "%s with shared string '%.24s', which the workbook does not "
                     "have (it has %zu)",
                     ref, text, s->ss->n);
            sheet_bad(s, "cell %s", what);
            return;
        }
        text = s->ss->all.s + s->ss->off[i];
        len = strlen(text);
    }
    size_t first = x->row_start[x->nrows];
    size_t need = first + s->col + 1;
    if (grow((void **)&x->cell_off, &x->cells_cap, need, sizeof *x->cell_off)) {
        s->oom = true;
        return;
    }
    while (x->ncells < need - 1)
        x->cell_off[x->ncells++] = (size_t)-1;
    size_t off = (size_t)-1;
    if (len && add_text(x, text, len, &off)) {
        s->oom = true;
        return;
    }
    x->cell_off[x->ncells++] = off;
}

static void XMLCALL sh_end(void *ud, const char *name)
{
    struct sheet *s = ud;
    name = local(name);
    if (strcmp(name, "row") == 0 && s->in_row) {
        end_row(s);
        s->in_row = false;
    } else if (strcmp(name, "c") == 0 && s->in_cell) {
        end_cell(s);
        s->in_cell = false;
    } else if (strcmp(name, "v") == 0 && s->in_v) {
        s->in_v--;
    } else if (strcmp(name, "t") == 0 && s->in_is_t) {
        s->in_is_t--;
    } else if (strcmp(name, "rPh") == 0 && s->in_rph) {
        s->in_rph--;
    }
    s->oom |= s->v.oom;
}

static void XMLCALL sh_chars(void *ud, const char *text, int len)
{
    struct sheet *s = ud;
    if (s->in_cell && (s->in_v || (s->in_is_t && !s->in_rph)))
        buf_add(&s->v, text, (size_t)len);
}

/* ---- the header ------------------------------------------------------------- */

static size_t row_cells(const xjl_xlsx *x, size_t r)
{
    return x->row_start[r + 1] - x->row_start[r];
}

static const char *cell(const xjl_xlsx *x, size_t r, size_t i, size_t *len)
{
    size_t off = i < row_cells(x, r) ? x->cell_off[x->row_start[r] + i] : (size_t)-1;
    const char *s = off == (size_t)-1 ? "" : x->text + off;
    if (len)
        *len = strlen(s);
    return s;
}

/* The header: the first of the first rows that names two key fields or more
 * (a title row, a note may stand above it), else the first row with a cell. */
static size_t find_header(const xjl_xlsx *x)
{
    size_t first = (size_t)-1;
    for (size_t r = 0; r < x->nrows && r < XLSX_HEADER_SEARCH; r++) {
        int keys = 0;
        bool any = false;
        for (size_t i = 0; i < row_cells(x, r); i++) {
            const char *c = cell(x, r, i, NULL);
            any |= *c != '\0';
            keys += xjl_csv_key_field(c) >= 0;
        }
        if (keys >= 2)
            return r;
        if (any && first == (size_t)-1)
            first = r;
    }
    return first == (size_t)-1 ? 0 : first;
}

/* ---- opening ---------------------------------------------------------------- */

int xjl__xlsx_from_parts(const char *path, const char *shared, size_t shared_len, const char *sheet,
                         size_t sheet_len, xjl_xlsx **out)
{
    *out = NULL;
    xjl_xlsx *x = calloc(1, sizeof *x);
    struct strings ss = {0};
    int rc = XJL_ENOMEM;
    if (!x || !(x->path = strdup(path)))
        goto fail;
    if (shared) {
        rc = parse_xml(path, "xl/sharedStrings.xml", shared, shared_len, &ss, ss_start, ss_end,
                       ss_chars, &ss.oom);
        if (rc < 0)
            goto fail;
    }
    struct sheet s = {.x = x, .ss = &ss, .next_row = 1};
    rc = parse_xml(path, "the first sheet", sheet, sheet_len, &s, sh_start, sh_end, sh_chars,
                   &s.oom);
    free(s.v.s);
    if (rc < 0)
        goto fail;
    if (s.bad) {
        rc = xjl__fail(XJL_EFORMAT, "file %s: the first sheet has %s", path, s.bad_msg);
        goto fail;
    }
    if (x->nrows == 0) {
        rc = xjl__fail(XJL_EFORMAT, "file %s: the first sheet is empty (no header row)", path);
        goto fail;
    }
    x->header = find_header(x);
    x->cur = x->header;
    free(ss.all.s);
    free(ss.off);
    *out = x;
    return XJL_OK;
fail:
    if (rc == XJL_ENOMEM)
        rc = xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
    free(ss.all.s);
    free(ss.off);
    xjl_xlsx_close(x);
    return rc;
}

/* The part named name (uncompressed) in *out, *len; NULL if absent. */
static int read_part(unzFile z, const char *path, const char *name, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (unzLocateFile(z, name, 0) != UNZ_OK)
        return XJL_OK;
    /* The size the zip says the part has unpacked: one over the limit is
     * refused before a byte is inflated (a zip bomb took the limit's memory
     * and tens of seconds to be refused).  A size that lies is still caught
     * by the limit while reading, and by the CRC check at the end. */
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return xjl__fail(XJL_EFORMAT, "file %s: cannot read %s in the workbook", path, name);
    if (info.uncompressed_size > XLSX_PART_MAX)
        return xjl__fail(XJL_EFORMAT, "file %s: %s is larger than %zu bytes unpacked", path, name,
                         XLSX_PART_MAX);
    if (unzOpenCurrentFile(z) != UNZ_OK)
        return xjl__fail(XJL_EFORMAT, "file %s: cannot read %s in the workbook", path, name);
    struct buf b = {0};
    char chunk[65536];
    int n;
    while ((n = unzReadCurrentFile(z, chunk, sizeof chunk)) > 0) {
        if (b.len + (size_t)n > XLSX_PART_MAX) {
            n = 0;
            b.oom = false;
            unzCloseCurrentFile(z);
            free(b.s);
            return xjl__fail(XJL_EFORMAT, "file %s: %s is larger than %zu bytes unpacked", path,
                             name, XLSX_PART_MAX);
        }
        buf_add(&b, chunk, (size_t)n);
    }
    int closed = unzCloseCurrentFile(z); /* checks the CRC */
    if (n < 0 || closed != UNZ_OK || b.oom) {
        free(b.s);
        return b.oom ? xjl__fail(XJL_ENOMEM, "file %s: out of memory for %s", path, name)
                     : xjl__fail(XJL_EFORMAT, "file %s: %s is damaged (zip error %d)", path, name,
                                 n < 0 ? n : closed);
    }
    *out = b.s ? b.s : strdup("");
    *len = b.len;
    return *out ? XJL_OK : xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
}

/* What the first <sheet> of workbook.xml points to, and the rels' targets. */
struct book {
    char first_rid[64];
    bool have_sheet;
    char sheet_target[512], shared_target[512];
    const char *want_rid;
};

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
    struct book *b = ud;
    const char *id = attr(atts, "id");
    if (!b->have_sheet && strcmp(local(name), "sheet") == 0 && id) {
        snprintf(b->first_rid, sizeof b->first_rid, "%s", id);
        b->have_sheet = true;
    }
}

static void XMLCALL rels_start(void *ud, const char *name, const char **atts)
{
    struct book *b = ud;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target"), *type = attr(atts, "Type");
    if (!target)
        return;
    /* targets are relative to xl/, or absolute from the package root */
    char full[512];
    snprintf(full, sizeof full, "%s%s", target[0] == '/' ? "" : "xl/",
             target[0] == '/' ? target + 1 : target);
    if (id && strcmp(id, b->want_rid) == 0)
        snprintf(b->sheet_target, sizeof b->sheet_target, "%s", full);
    size_t tl = type ? strlen(type) : 0;
    if (tl >= 14 && strcmp(type + tl - 14, "/sharedStrings") == 0)
        snprintf(b->shared_target, sizeof b->shared_target, "%s", full);
}

static void XMLCALL no_end(void *ud, const char *name)
{
    (void)ud;
    (void)name;
}

static void XMLCALL no_chars(void *ud, const char *text, int len)
{
    (void)ud;
    (void)text;
    (void)len;
}

XJL_API int xjl_xlsx_open(xjl_xlsx **out, const char *path)
{
    if (!out || !path)
        return xjl__fail(XJL_EINVAL, "xjl_xlsx_open: NULL argument");
    *out = NULL;
    unzFile z = unzOpen64(path);
    if (!z) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return xjl__fail(XJL_EIO, "file %s: cannot open", path);
        fclose(f);
        return xjl__fail(XJL_EFORMAT, "file %s: not an .xlsx workbook (not a zip file)", path);
    }
    struct book b = {.want_rid = ""};
    char *wb = NULL, *rels = NULL, *shared = NULL, *sheet = NULL;
    size_t wb_len, rels_len, shared_len = 0, sheet_len = 0;
    bool oom = false;
    int rc = read_part(z, path, "xl/workbook.xml", &wb, &wb_len);
    if (rc == XJL_OK && !wb)
        rc = xjl__fail(XJL_EFORMAT,
                       "file %s: not an .xlsx workbook (no xl/workbook.xml; an "
                       ".xls or .ods file must be saved as .xlsx or CSV)",
                       path);
    if (rc == XJL_OK)
        rc = parse_xml(path, "xl/workbook.xml", wb, wb_len, &b, wb_start, no_end, no_chars, &oom);
    if (rc == XJL_OK && !b.have_sheet)
        rc = xjl__fail(XJL_EFORMAT, "file %s: the workbook has no sheet", path);
    if (rc == XJL_OK)
        rc = read_part(z, path, "xl/_rels/workbook.xml.rels", &rels, &rels_len);
    b.want_rid = b.first_rid;
    if (rc == XJL_OK && rels)
        rc = parse_xml(path, "xl/_rels/workbook.xml.rels", rels, rels_len, &b, rels_start, no_end,
                       no_chars, &oom);
    if (rc == XJL_OK && !b.sheet_target[0])
        snprintf(b.sheet_target, sizeof b.sheet_target, "xl/worksheets/sheet1.xml");
    if (rc == XJL_OK)
        rc = read_part(z, path, b.sheet_target, &sheet, &sheet_len);
    if (rc == XJL_OK && !sheet)
        rc = xjl__fail(XJL_EFORMAT, "file %s: the first sheet (%s) is missing", path,
                       b.sheet_target);
    if (rc == XJL_OK)
        rc = read_part(z, path, b.shared_target[0] ? b.shared_target : "xl/sharedStrings.xml",
                       &shared, &shared_len);
    if (rc == XJL_OK)
        rc = xjl__xlsx_from_parts(path, shared, shared_len, sheet, sheet_len, out);
    free(wb);
    free(rels);
    free(shared);
    free(sheet);
    unzClose(z);
    return rc;
}

XJL_API void xjl_xlsx_close(xjl_xlsx *x)
{
    if (!x)
        return;
    free(x->path);
    free(x->text);
    free(x->cell_off);
    free(x->row_start);
    free(x->row_num);
    free(x);
}

/* ---- rows ------------------------------------------------------------------- */

XJL_API int xjl_xlsx_next(xjl_xlsx *x)
{
    if (!x)
        return xjl__fail(XJL_EINVAL, "xjl_xlsx_next: NULL reader");
    /* rows with no text at all are skipped, as the CSV reader skips blank lines */
    for (;;) {
        if (x->cur + 1 >= x->nrows) {
            x->cur = x->nrows;
            x->started = true;
            return 0;
        }
        x->cur++;
        x->started = true;
        for (size_t i = 0; i < row_cells(x, x->cur); i++)
            if (*cell(x, x->cur, i, NULL))
                return 1;
    }
}

/* The row fields are read from: the header before the first next(). */
static size_t row_now(const xjl_xlsx *x)
{
    return x->started ? x->cur : x->header;
}

XJL_API size_t xjl_xlsx_field_count(const xjl_xlsx *x)
{
    return x && row_now(x) < x->nrows ? row_cells(x, row_now(x)) : 0;
}

XJL_API const char *xjl_xlsx_field(const xjl_xlsx *x, size_t i, size_t *len)
{
    if (!x || row_now(x) >= x->nrows) {
        if (len)
            *len = 0;
        return "";
    }
    return cell(x, row_now(x), i, len);
}

XJL_API size_t xjl_xlsx_column_count(const xjl_xlsx *x)
{
    return x ? row_cells(x, x->header) : 0;
}

XJL_API const char *xjl_xlsx_column_name(const xjl_xlsx *x, size_t i)
{
    return x && i < row_cells(x, x->header) ? cell(x, x->header, i, NULL) : NULL;
}

XJL_API long xjl_xlsx_row(const xjl_xlsx *x)
{
    return x && row_now(x) < x->nrows ? x->row_num[row_now(x)] : 0;
}

XJL_API const char *xjl_xlsx_path(const xjl_xlsx *x)
{
    return x ? x->path : NULL;
}

XJL_API int xjl_xlsx_key_columns(const xjl_xlsx *x, const char *mapping, int cols[5])
{
    if (!x || !cols)
        return xjl__fail(XJL_EINVAL, "xjl_xlsx_key_columns: NULL argument");
    size_t n = row_cells(x, x->header);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return xjl__fail(XJL_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        names[i] = cell(x, x->header, i, NULL);
    char where[512];
    snprintf(where, sizeof where, xjl__msg("xlsx.where_row"), x->path, x->row_num[x->header]);
    int rc = xjl_key_columns(names, n, mapping, where, cols);
    free(names);
    return rc;
}

XJL_API bool xjl_xlsx_is_workbook(const char *path)
{
    /* Never blocks: a FIFO without a writer would wait in open() forever,
     * and only a regular file can be a workbook. */
    int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
    if (fd < 0)
        return false;
    struct stat st;
    unsigned char magic[4] = {0};
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, magic, 4) : 0;
    close(fd);
    return n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
}

/* ---- the CSV reader's view of a workbook ------------------------------------ */

/* One field as RFC 4180 wants it; adds the line breaks it holds to *lines,
 * counted as the CSV reader counts them (LF, CR LF, a lone CR). */
static void put_field(FILE *f, const char *s, size_t n, long *lines)
{
    bool quote = false;
    for (size_t i = 0; i < n; i++) {
        quote |= s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
        *lines += s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'));
    }
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

int xjl__xlsx_to_csv(const char *path, FILE *f, long **rows, size_t *nrows)
{
    *rows = NULL;
    *nrows = 0;
    xjl_xlsx *x;
    int rc = xjl_xlsx_open(&x, path);
    if (rc < 0)
        return rc;
    /* Line n of the text is row n of the sheet: blank lines (which the CSV
     * reader skips) stand for the rows above the header and the rows left
     * out, so that every message's line number is the row Excel shows.  A
     * cell with a line break in it takes more than one line: the rows after
     * it then come as soon as they can, and *rows says which row each is. */
    long line = 1, *map = NULL;
    size_t map_cap = 0;
    bool shifted = false;
    for (size_t r = x->header; r < x->nrows; r++) {
        for (; line < x->row_num[r]; line++)
            fputc('\n', f);
        shifted |= line != x->row_num[r];
        if (grow((void **)&map, &map_cap, (size_t)line + 1, sizeof *map)) {
            free(map);
            xjl_xlsx_close(x);
            return xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
        }
        while (*nrows <= (size_t)line)
            map[(*nrows)++] = 0;
        map[line] = x->row_num[r];
        /* as wide as the header: a sheet leaves out trailing empty cells, and
         * keeps empty ones a CSV row would not have */
        size_t n = row_cells(x, r), width = row_cells(x, x->header);
        while (n > width && !*cell(x, r, n - 1, NULL))
            n--;
        if (n < width)
            n = width;
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(',', f);
            size_t len;
            const char *c = cell(x, r, i, &len);
            put_field(f, c, len, &line);
        }
        fputc('\n', f);
        line++;
    }
    xjl_xlsx_close(x);
    if (shifted)
        *rows = map;
    else {
        free(map);
        *nrows = 0;
    }
    return ferror(f)
               ? xjl__fail(XJL_EIO, "file %s: cannot write its rows to a temporary file", path)
               : XJL_OK;
}
