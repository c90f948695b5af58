/*
 * io: reading CSV files (csv.c), finding the key columns of a header
 * (columns.c), the row rule (roster.c) and the parallel registry loader
 * (registry_load.c).  The public reader is in xjlink.h; this is what the
 * layers above need beyond it.
 */
#ifndef XJL_IO_H
#define XJL_IO_H

#include "util/util.h"

#include <stdio.h>

/* ---- csv.c: blocks of whole rows, for reading a file on several threads -- */

/* Text of whole rows cut from a file by the thread that owns its reader,
 * parsed on another thread by a reader of its own (xjl__csv_block_reader). */
struct xjl_csv_block {
    char *text;      /* len bytes, then a '\n' sentinel and padding; malloc'd */
    size_t len, cap; /* cap: bytes allocated */
    long first_line; /* line number of text[0] in the file */
};

/* Takes the next rows of c, about want bytes of them (more when one row is
 * longer), into b (its buffer is reused and grown).  Returns 1, 0 at the end
 * of the file, or an error as xjl_csv_next() reports it.  After the first
 * call, take only blocks from c: xjl_csv_next() would not see those rows. */
int xjl__csv_take_block(xjl_csv *c, size_t want, struct xjl_csv_block *b);

/* A reader over the rows of b, with the header, path and encoding of parent
 * (both must outlive it; neither is changed).  Its rows, fields and line
 * numbers are exactly those xjl_csv_next() would have given.  Close it with
 * xjl_csv_close(). */
int xjl__csv_block_reader(const xjl_csv *parent, const struct xjl_csv_block *b, xjl_csv **out);
/* Physical lines the current row spans (more than 1 only when a quoted
 * field holds line breaks). */
long xjl__csv_row_lines(const xjl_csv *c);
/* The current row's first field with text after its closing quote
 * ("a"b: read as a"b), or -1. */
long xjl__csv_stray_quote(const xjl_csv *c);
/* Whether the text is a workbook's first sheet (xjl__xlsx_to_csv()): its
 * quotes are this library's, never stray. */
bool xjl__csv_from_workbook(const xjl_csv *c);

/* ---- columns.c: header names --------------------------------------------- */

/* Length of a space, tab, U+00A0, U+3000 or U+FEFF at s (n bytes left), else 0;
 * and of the same at the end of s[0..n).  What readers trim off header names. */
size_t xjl__space_at(const char *s, size_t n);
size_t xjl__space_before(const char *s, size_t n);

/* ---- xlsx.c: the first sheet of a workbook -------------------------------- */

/* A reader over a workbook's parts already unzipped: the shared strings
 * (NULL if the workbook has none) and the first sheet's XML.  What
 * xjl_xlsx_open() does after unzipping; tests feed it any bytes. */
int xjl__xlsx_from_parts(const char *path, const char *shared, size_t shared_len, const char *sheet,
                         size_t sheet_len, xjl_xlsx **out);
/* The first sheet of the workbook at path as CSV text (UTF-8) written to f,
 * line n of the text being row n of the sheet (blank lines above the header
 * and for rows left out): what xjl_csv_open() reads for a workbook.  A cell
 * with line breaks takes more than one line of the text, and the rows after
 * it come later than their number: *rows (malloc'd, *nrows entries; NULL
 * when no cell has a line break) gives the sheet's row of each line of the
 * text that starts a row, 0 for the others. */
int xjl__xlsx_to_csv(const char *path, FILE *f, long **rows, size_t *nrows);

/* ---- roster.c: the one row rule of every roster and registry reader ----- */

/* Where a file's key fields and record id are. */
struct xjl_row_layout {
    int key[5];   /* column of each key field (xjl_field order) */
    int id;       /* column of the record id, or -1: none */
    size_t ncols; /* columns of the header */
};
/* Finds the key columns (each exactly once, else XJL_EFORMAT naming the
 * header) and the id column: id_column when given (XJL_EFORMAT if the file
 * has none of that name), else the first of the usual names, else -1. */
int xjl__row_layout(const xjl_csv *csv, const char *id_column, struct xjl_row_layout *out);
/* Whether the current row breaks the row rule (roster.c's header comment);
 * if so, why (in English, or Chinese when lang) goes to why.  nul_possible
 * false skips the NUL test for a caller that has checked the whole text. */
bool xjl__row_fault(const xjl_csv *csv, const struct xjl_row_layout *l, bool nul_possible, int lang,
                    char *why, size_t cap);
/* The rule, with a row that breaks it reported to diag (if not NULL). */
bool xjl__row_loads(const xjl_csv *csv, const struct xjl_row_layout *l, xjl_diag_fn diag,
                    void *user);
/* xjl_csv_writer_open_from() that also refuses a path that is one of the
 * files avoid names (an index's source files, by identity). */
int xjl__csv_writer_open_avoid(xjl_csv_writer **out, const char *path, unsigned flags,
                               const struct xjl__file_id *avoid, size_t navoid,
                               const char *const *inputs, size_t ninputs);

/* ---- registry_load.c: a registry file on the worker pool ---------------- */

/* Opens a registry file: the reader (*out, to close) and where its key
 * fields and record id are (l->id -1: the row number is the id), with the
 * user's column mapping (xjl_csv_set_columns(); may be NULL).  Errors as
 * xjl_index_add_csv(). */
int xjl__registry_open(const char *path, xjl_encoding enc, const char *id_column,
                       const char *columns, xjl_csv **out, struct xjl_row_layout *l);
/* Whether the current row of a registry file loads (the row rule); a row
 * that does not is reported to diag (if not NULL) with its first field. */
bool xjl__registry_row_loads(xjl_csv *csv, const struct xjl_row_layout *l, const char *path,
                             xjl_diag_fn diag, void *user);

/* What the loader gives its records to.  A part holds the records of one
 * block; it is filled by row() on a worker of the pool, then appended on
 * the caller's thread, in file order.  Functions return XJL_OK or an error
 * set with xjl__fail(). */
struct xjl_registry_consumer {
    void *ctx;
    void *(*part_new)(void *ctx); /* NULL when out of memory */
    void (*part_free)(void *part);
    void (*part_clear)(void *part); /* emptied for the next block */
    /* A row that loads: its key fields (lens bytes each), its id (NULL when
     * the file has no id column) and its number among the block's data rows
     * (from 1; the rows of the blocks before are given to append()). */
    int (*row)(void *part, const xjl_record *rec, const size_t lens[5], const char *rid,
               size_t rid_len, size_t row);
    int (*append)(void *ctx, void *part, size_t rows_before);
    /* Optional: a consumer with rules of its own reads each row itself (on
     * a worker, after the loader's rule on the row's width alone: pass a
     * layout without key or id columns), reporting a row it refuses to
     * diag(user, ...): 0 loaded, 1 refused, < 0 an error.  row() is then
     * not called. */
    int (*read)(void *part, const xjl_csv *csv, xjl_diag_fn diag, void *user);
};
/* Reads the rows of csv (opened by xjl__registry_open(), no row read yet)
 * on a budget of `threads` (0: all cores; 1: no thread is started), giving
 * the rows that load to c and reporting the others to diag in file order.
 * The first error (of the file, or of c) stops the reading; the blocks
 * before it are handed on.  *bad_rows (if not NULL) counts the rows refused. */
int xjl__registry_load(xjl_csv *csv, const struct xjl_row_layout *layout, unsigned threads,
                       const struct xjl_registry_consumer *c, xjl_diag_fn diag, void *user,
                       size_t *bad_rows);

#endif /* XJL_IO_H */
