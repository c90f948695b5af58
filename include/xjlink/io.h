/*
 * xjlink/io.h: reading rosters and registries: CSV files, Excel workbooks, writing CSV.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Stable: changes follow the soversion rule of the README.
 */
#ifndef XJLINK_IO_H
#define XJLINK_IO_H

#include "fields.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name CSV files (RFC 4180)
 *
 * Reads rosters and registries as schools and Excel write them: RFC 4180
 * quoting (embedded commas, quotes, newlines), UTF-8 with or without BOM, and
 * GB18030/GBK (what Excel writes in China), detected or set, converted to
 * UTF-8 with ICU.  The first row is the header.
 *
 * How files are read (decisions callers may rely on):
 *  - Rows end in LF, CRLF or a lone CR; the last row may lack one.  Quoted
 *    fields may hold commas, doubled quotes and line breaks; text after a
 *    closing quote is kept as it is ("ab"cd → abcd), and a quote inside an
 *    unquoted field is an ordinary character.  Fields are not trimmed.
 *  - Rows without content (blank lines, and rows of only commas, which Excel
 *    writes for emptied rows) are skipped; their lines still count.  Line
 *    numbers are physical: a line break inside quotes advances them.
 *  - Encoding: a UTF-8 BOM always means UTF-8 (and is removed).  XJL_ENC_AUTO
 *    reads the first MiB: valid UTF-8 → UTF-8, else GB18030; a file whose
 *    first MiB is pure ASCII is read as UTF-8.
 *  - Bad bytes never fail a file: read as UTF-8, a row's invalid bytes are
 *    passed on as they are (the record checker reports XJL_F_ENCODING for
 *    that row); read as GB18030, bytes that are not GB18030 become U+FFFD.
 *    Only a header that is not valid UTF-8 fails (XJL_EENCODING).
 *  - A row longer than 64 MiB is taken for an unterminated quote (XJL_EFORMAT).
 *  - A reader is used by one thread at a time.
 */

typedef enum xjl_encoding {
    /** BOM, a header of Chinese in valid UTF-8, or mostly valid UTF-8 →
     *  UTF-8, else GB18030, judged on the first block (1 MiB); when that
     *  block is all ASCII, on the first block with other bytes
     *  (xjl_csv_encoding() then says what was decided) */
    XJL_ENC_AUTO = 0,
    XJL_ENC_UTF8 = 1,
    XJL_ENC_GB18030 = 2 /**< also reads GBK and GB2312 */
} xjl_encoding;

/** Parses "auto", "utf-8"/"utf8", "gb18030", "gbk", "gb2312" (any case). */
XJL_API int xjl_encoding_parse(const char *s, xjl_encoding *out);

typedef struct xjl_csv xjl_csv;

/** Opens a CSV file and reads its header row.
 *  @param path  a regular file (an .xlsx workbook is read as its first
 *               sheet), or "-" for standard input; a FIFO, a device or a
 *               directory is refused before anything is read (a FIFO
 *               without a writer would block forever)
 *  @param out  receives the reader; free it with xjl_csv_close()
 *  @return XJL_OK; XJL_EIO (cannot open/read, not a regular file),
 *          XJL_EFORMAT (no header),
 *          XJL_EENCODING (not decodable in the given encoding). */
XJL_API int xjl_csv_open(xjl_csv **out, const char *path, xjl_encoding enc);
/** Closes a reader; NULL does nothing. */
XJL_API void xjl_csv_close(xjl_csv *csv);
/** Reads the next data row.  @return 1 for a row, 0 at the end, or a
 *  negative code (XJL_EFORMAT for an unterminated quote, XJL_EIO). */
XJL_API int xjl_csv_next(xjl_csv *csv);
/** Number of fields of the current row (or of the header before the first next()). */
XJL_API size_t xjl_csv_field_count(const xjl_csv *csv);
/** Field i of the current row, NUL-terminated, valid until the next call of
 *  xjl_csv_next(); "" past the last field.  *len (if not NULL) receives its
 *  length in bytes (a field may contain NUL bytes: then len tells). */
XJL_API const char *xjl_csv_field(const xjl_csv *csv, size_t i, size_t *len);
/** Number of header columns, and header column i (borrowed). */
XJL_API size_t xjl_csv_column_count(const xjl_csv *csv);
XJL_API const char *xjl_csv_column_name(const xjl_csv *csv, size_t i);
/** Index of the header column with this name (exact after trimming), or -1. */
XJL_API int xjl_csv_column(const xjl_csv *csv, const char *name);
/** The column of a registry's record ids, as every registry reader of the
 *  library finds it (xjl_index_add_csv(), `xjlink index update`, the
 *  workspace): the column named id_column when not NULL, else the first of
 *  the names xjl_record_id_column_name() gives, in its order.
 *  @return the column's index, or -1 when the header has none. */
XJL_API int xjl_csv_id_column(const xjl_csv *csv, const char *id_column);
/** The names a registry's record id column is looked for by, in order
 *  (学前学籍ID, 学前学籍id, 学籍ID, record_id, id, ID): the i-th, NULL past the
 *  last.  For readers of tables of their own (the bindings' dicts and
 *  DataFrames), so that they find the column the CSV readers find. */
XJL_API const char *xjl_record_id_column_name(size_t i);
/** The same names joined by ", " in their order, for a message that says
 *  which columns were looked for ("学前学籍ID, 学前学籍id, …, ID"). */
XJL_API const char *xjl_record_id_column_list(void);
/** Finds the five key columns by their Chinese or English names (姓名/name,
 *  性别/gender, 出生日期/birth_date, 身份证件类型/id_type, 身份证件号/id_number;
 *  also common variants such as 身份证号, 证件号码, 出生年月, and the national
 *  data standard's codes XM, XBM, CSRQ, SFZJLXM, SFZJH).  Names are compared
 *  ignoring spaces, '*' (templates mark required columns so), '_', '-',
 *  ASCII case, and a note in parentheses ("出生日期（格式：20150101）").  Each
 *  key field must have exactly one column: two columns for one field (姓名
 *  and name, say) are an error, since either could be the one meant.
 *  @param cols  receives the column index per xjl_field (0..4)
 *  @return XJL_OK, or XJL_EFORMAT naming the missing or doubled columns. */
XJL_API int xjl_csv_key_columns(const xjl_csv *csv, int cols[5]);
/** Gives the reader a column mapping ("姓名=学生名称,身份证件号=ZJHM", as
 *  xjl_key_columns() takes it) that xjl_csv_key_columns(), and every reader
 *  of rosters built on it (xjl_match_csv(), the workflow imports), use from
 *  now on; NULL or "" removes it.  A copy is kept.
 *  @return XJL_OK; XJL_EINVAL for a malformed mapping, XJL_EFORMAT for a
 *          mapped column the header lacks (the key columns may still be
 *          missing: xjl_csv_key_columns() says so). */
XJL_API int xjl_csv_set_columns(xjl_csv *csv, const char *mapping);
/** Which key field a column header names (an xjl_field, 0..4), compared as
 *  xjl_csv_key_columns() compares; -1 if none (or NULL).  For callers that
 *  read tables themselves (Excel sheets, DataFrames) and must find the
 *  columns as the CSV reader does.  Thread-safe. */
XJL_API int xjl_csv_key_field(const char *header);
/** Finds the five key columns of any table's header (a CSV file, a sheet, a
 *  DataFrame): by the names xjl_csv_key_columns() knows, including the
 *  national data standard's codes (XM 姓名, XBM 性别码, CSRQ 出生日期,
 *  SFZJLXM 身份证件类型码, SFZJH 身份证件号), and by a user's mapping.
 *  @param header   ncols column names (NULL entries are empty columns)
 *  @param mapping  NULL, or "FIELD=COLUMN,..." where FIELD is any name of a
 *                  key field (姓名, name, XM, ...) and COLUMN a header name,
 *                  exact after trimming spaces; items are separated by ','
 *                  or '，'.  A mapped column wins over one found by name.
 *  @param where    what the header is, for messages ("file R.xlsx line 2");
 *                  NULL: "the header"
 *  @param cols     receives the column index per xjl_field (0..4)
 *  @return XJL_OK; XJL_EINVAL for a mapping item that is not FIELD=COLUMN;
 *          XJL_EFORMAT naming a mapped column the header lacks, or the key
 *          columns missing (and the header).  Thread-safe. */
XJL_API int xjl_key_columns(const char *const *header, size_t ncols, const char *mapping,
                            const char *where, int cols[5]);
/** Line number (1-based, physical) where the current row starts. */
XJL_API long xjl_csv_line(const xjl_csv *csv);
/** Whether the current row is one row of the file.  A quote opened in a
 *  cell and not closed where the writer meant reads the next lines into that
 *  cell, up to some later quote: the rows in between would vanish into it.
 *  Such a cell spans lines and has text after its closing quote, or holds
 *  whole lines with as many commas as a row.  The loaders of this library
 *  refuse such a row; a program reading rows itself asks here.
 *  @return XJL_OK, or XJL_EFORMAT with xjl_errmsg() naming the column and
 *          the lines read into the row (not the file: the caller reports the
 *          row), in the thread's language; XJL_EINVAL for NULL. */
XJL_API int xjl_csv_row_check(const xjl_csv *csv);
/** The path the reader was opened with (borrowed). */
XJL_API const char *xjl_csv_path(const xjl_csv *csv);
/** The encoding in use (after detection). */
XJL_API xjl_encoding xjl_csv_encoding(const xjl_csv *csv);

/** @name Excel workbooks (.xlsx)
 *  The first sheet of a workbook, read as the CSV reader reads a file: the
 *  header row (the first of the first 30 rows that names two key fields or
 *  more, so that a title row above it is skipped; else the first row with a
 *  cell), then the data rows (rows without text skipped).  A cell's text is
 *  what the file stores: a text cell's string, a number as written (an ID
 *  number stored as a number keeps only what Excel kept, and the field check
 *  reports it), a date as its serial number, which the date parser reads.
 *  The whole sheet is read at open.  A reader is used by one thread at a time.
 *  @{ */
typedef struct xjl_xlsx xjl_xlsx;
/** Opens a workbook and reads its first sheet.
 *  @return XJL_OK; XJL_EIO (cannot open), XJL_EFORMAT (not a zip or not a
 *          workbook, a damaged part, a sheet without rows: the message names
 *          the file and the part). */
XJL_API int xjl_xlsx_open(xjl_xlsx **out, const char *path);
/** Closes a reader; NULL does nothing. */
XJL_API void xjl_xlsx_close(xjl_xlsx *x);
/** The next data row: 1, 0 at the end, or a negative code. */
XJL_API int xjl_xlsx_next(xjl_xlsx *x);
/** Number of cells of the current row (of the header before the first next()). */
XJL_API size_t xjl_xlsx_field_count(const xjl_xlsx *x);
/** Cell i of the current row (borrowed, valid until the reader is closed);
 *  "" for an empty or absent cell.  *len (if not NULL) receives its length. */
XJL_API const char *xjl_xlsx_field(const xjl_xlsx *x, size_t i, size_t *len);
/** Number of header cells, and header cell i (borrowed; NULL past the end). */
XJL_API size_t xjl_xlsx_column_count(const xjl_xlsx *x);
XJL_API const char *xjl_xlsx_column_name(const xjl_xlsx *x, size_t i);
/** The sheet's row number (1-based, as Excel shows it) of the current row. */
XJL_API long xjl_xlsx_row(const xjl_xlsx *x);
/** The path the reader was opened with (borrowed). */
XJL_API const char *xjl_xlsx_path(const xjl_xlsx *x);
/** The five key columns of the header row, as xjl_key_columns() finds them
 *  (mapping may be NULL); errors name the file and the header's row. */
XJL_API int xjl_xlsx_key_columns(const xjl_xlsx *x, const char *mapping, int cols[5]);
/** true if the file starts as a zip archive does (an .xlsx workbook,
 *  whatever its name); false otherwise, also when it cannot be opened. */
XJL_API bool xjl_xlsx_is_workbook(const char *path);
/** @} */

/** Writes one field to buf quoted as RFC 4180 needs (only when it contains
 *  a comma, quote, CR or LF).  @return XJL_OK or XJL_ERANGE (*out_len = needed). */
XJL_API int xjl_csv_quote(const char *s, size_t len, char *buf, size_t cap, size_t *out_len);

/** A CSV file being written: fields quoted as RFC 4180 needs (only when they
 *  hold a comma, quote, CR or LF), rows assembled in a buffer of 1 MiB and
 *  handed to the system in large blocks.  One writer is used by one thread
 *  at a time. */
typedef struct xjl_csv_writer xjl_csv_writer;
/** Flags of xjl_csv_writer_open(). */
enum {
    XJL_CSV_BOM = 1,  /**< a UTF-8 byte order mark first (zh-CN Excel reads UTF-8 then) */
    XJL_CSV_EXCEL = 2 /**< the BOM and CRLF line ends */
};
/** Opens path for writing ("-": standard output), replacing what it held.
 *  @param out  receives the writer; close it with xjl_csv_writer_close()
 *  @param flags  XJL_CSV_BOM, XJL_CSV_EXCEL or 0
 *  @return XJL_OK, XJL_EINVAL, XJL_ENOMEM, XJL_EIO (the message names the path). */
XJL_API int xjl_csv_writer_open(xjl_csv_writer **out, const char *path, unsigned flags);
/** The same, refusing a path that is the same file as one of
 *  inputs[0..ninputs) (through links too; see xjl_output_open()).  A file
 *  replaces path only at xjl_csv_writer_close(), whole.
 *  @return as xjl_csv_writer_open(); XJL_EINVAL for an input. */
XJL_API int xjl_csv_writer_open_from(xjl_csv_writer **out, const char *path, unsigned flags,
                                     const char *const *inputs, size_t ninputs);
/** Appends a field to the current row (len: bytes, or XJL_NTS; NULL is empty).
 *  A write error shows at xjl_csv_writer_close(). */
XJL_API void xjl_csv_writer_field(xjl_csv_writer *w, const char *s, size_t len);
/** Ends the current row. */
XJL_API void xjl_csv_writer_end_row(xjl_csv_writer *w);
/** Flushes and closes the file; NULL does nothing.
 *  @return XJL_OK, or XJL_EIO when anything written was lost (the message
 *          names the path and the system's error). */
XJL_API int xjl_csv_writer_close(xjl_csv_writer *w);
/** Closes without a result: a file's destination keeps what it held (a
 *  run that failed); NULL does nothing. */
XJL_API void xjl_csv_writer_discard(xjl_csv_writer *w);
/** Bytes xjl_format_fixed2() may write, with the NUL. */
#define XJL_FIXED2_CAP 320
/** Writes v as printf("%.2f") writes it, without printf for the values a
 *  float holds (the scores): every matched row writes one.
 *  @return the length written (without the NUL). */
XJL_API size_t xjl_format_fixed2(double v, char buf[XJL_FIXED2_CAP]);

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_IO_H */
