/*
 * xjlink: continuing a child's electronic student record (电子学籍接续).
 *
 * This header and the area headers it includes (include/xjlink/AREA.h, one per
 * area of the library) are the whole public API and its reference manual.
 * Include this one; the area headers are not meant to be included alone
 * (each includes the areas below it).  They are also the single source of
 * the Python and Java bindings.  Each area header says whether its API is
 * stable: the matching core is; the report and the workflow areas are
 * not yet.
 *
 * Conventions (read once, they hold everywhere below):
 *
 *  - Every function that can fail returns an int: XJL_OK (0) or a negative
 *    xjl_error code, and sets the calling thread's error: xjl_errcode() and
 *    xjl_errmsg() (what was wrong and where: file, line, field, value).
 *    xjl_strerror(code) names a code without a handle.  A few int functions
 *    return a positive value besides a negative code: xjl_csv_next() and
 *    xjl_xlsx_next() (1 for a row), xjl_dedup_blocks() (the number of keys).
 *    Only these return a plain value as an int: xjl_version_number(),
 *    xjl_workspace_schema_version(), the column positions xjl_csv_column(),
 *    xjl_csv_key_field() and xjl_listing_col() (-1 when absent), and
 *    xjl_id_parse(), whose XJL_EINVAL means "not usable" with *out filled.
 *  - Constructors return that status and hand the new object through their
 *    first parameter (`int xjl_X_new(xjl_X **out, ...)`, likewise _open);
 *    *out is NULL whenever they fail.
 *  - Yes/no answers and parameters are bool; counts and sizes are size_t;
 *    a parameter or result that holds an enum's value has the enum's type.
 *  - Text is UTF-8.  Functions that take (const char *s, size_t len) accept
 *    len == XJL_NTS for a NUL-terminated string; with an explicit length an
 *    embedded NUL byte is a finding, never a silent truncation.
 *  - Functions that fill a caller's buffer return XJL_ERANGE when it is too
 *    small and store the size needed (without the NUL) in *out_len.
 *  - Opaque handles come in _new/_free pairs; _free(NULL) does nothing.
 *    A pointer returned through an out-parameter (`**out`) is owned by the
 *    caller, who frees it with the named function; a `const char *` returned
 *    directly is borrowed and lives as long as the object it came from.
 *  - Thread safety: pure functions (normalisation, parsing) are safe from
 *    any thread.  An xjl_index is built by one thread; once xjl_index_build()
 *    has returned, or xjl_index_open() has opened it from a file, it is
 *    read-only and may be shared by any number of threads.
 *    An xjl_matcher may be shared once its parameters are set.
 */
#ifndef XJLINK_H
#define XJLINK_H

#include "xjlink/base.h" /* version, errors, messages in two languages, output files */
#include "xjlink/fields.h" /* the five key fields: names, genders, dates, ID types and numbers, records */
#include "xjlink/io.h" /* reading rosters and registries: CSV files, Excel workbooks, writing CSV */
#include "xjlink/index.h" /* the registry index: built, changed, and as a file */
#include "xjlink/match.h" /* matching: candidates, scores, the three-way status, streaming rosters */
#include "xjlink/dedup.h"     /* the duplicate check over a registry (问题学籍) */
#include "xjlink/report.h"    /* a run of match, dedup or check as one HTML page */
#include "xjlink/workspace.h" /* the workspace (SQLite) and the primary intake workflow */
#include "xjlink/enrol.h" /* secondary enrolment: graduates, quotas, admissions, double admission */

#endif /* XJLINK_H */
