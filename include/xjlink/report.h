/*
 * xjlink/report.h: a run of match, dedup or check as one HTML page.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Not yet stable: this area may change in a minor release before 1.0 (the
 * CHANGELOG says how).
 */
#ifndef XJLINK_REPORT_H
#define XJLINK_REPORT_H

#include "dedup.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name Report: a run as one HTML page (report.c collects, report_html.c writes)
 *
 * A report is one self-contained HTML file (no script, no file or network
 * reference: it opens offline, in any browser, and can be mailed) that shows
 * a run of `xjlink match`, `dedup` or `check`:
 *  - the count of rows per status (match), per class (dedup) or per outcome
 *    (check: clean, warnings only, errors);
 *  - the distribution of the best candidate's score, by status, with the
 *    review threshold marked (match; dedup: the scores of the links);
 *  - per key field, how often each agreement level occurred for the best
 *    candidate (match) or within a link (dedup);
 *  - the data-quality findings of the rows, by field and finding;
 *  - the rows to look at: each pending row beside its candidates with every
 *    field's agreement level and part of the score (match), the clusters with
 *    their records (dedup), the rows with errors (check).
 * Its size is bounded whatever the run's: the charts are counts, and at most
 * xjl_report_set_max_rows() rows (clusters) are shown, each value cut to 64
 * characters; the page says how many were left out.  Every value from the
 * input is escaped (a name "<script>" is shown as text), and bytes that are
 * not UTF-8 are shown as U+FFFD.
 *
 * Collecting copies what is shown: the results, records and checks given
 * may be freed after each call.  A report belongs to one thread at a time.
 */

typedef enum xjl_report_kind {
    XJL_REPORT_MATCH = 0, /**< a roster matched against a registry */
    XJL_REPORT_DEDUP = 1, /**< the duplicate check of a registry */
    XJL_REPORT_CHECK = 2  /**< the key fields of a roster checked */
} xjl_report_kind;

typedef struct xjl_report xjl_report;

/** Rows (clusters) shown by default. */
#define XJL_REPORT_ROWS_DEFAULT 500

/** A new, empty report.
 *  @param lang  the language of the page (XJL_LANG_EN, XJL_LANG_ZH)
 *  @return XJL_OK, XJL_EINVAL (NULL out, unknown kind or language; *out is
 *          then NULL), XJL_ENOMEM.  Free with xjl_report_free(). */
XJL_API int xjl_report_new(xjl_report **out, xjl_report_kind kind, xjl_lang lang);
/** Frees a report; NULL does nothing. */
XJL_API void xjl_report_free(xjl_report *rep);
/** Adds a line to the page's heading, e.g. ("registry", "R.csv: 1000 records");
 *  at most 8 (copied).  @return XJL_OK, XJL_EINVAL (NULL, more than 8), XJL_ENOMEM. */
XJL_API int xjl_report_add_input(xjl_report *rep, const char *label, const char *value);
/** The matcher whose results are added (match): its review threshold is
 *  marked on the score chart and its index gives the candidates' values.
 *  Borrowed: keep it and its index alive while adding results.
 *  @return XJL_OK, XJL_EINVAL (NULL). */
XJL_API int xjl_report_set_matcher(xjl_report *rep, const xjl_matcher *m);
/** Rows (pending rows, clusters, rows with errors) shown at most; the rest
 *  are counted.  0 shows none.  Default XJL_REPORT_ROWS_DEFAULT.
 *  @return XJL_OK, XJL_EINVAL (NULL, more than 100000). */
XJL_API int xjl_report_set_max_rows(xjl_report *rep, size_t n);

/** Adds one matched roster row (a match report).
 *  @param line   the row's line in the roster (0: unknown)
 *  @param given  the five fields as the roster gave them (NULL: the parsed
 *                query's values are shown)
 *  @return XJL_OK, XJL_EINVAL (NULL rep or res, not a match report), XJL_ENOMEM. */
XJL_API int xjl_report_add_result(xjl_report *rep, long line, const xjl_record *given,
                                  const xjl_result *res);
/** Adds a roster row that could not be read (status error; why is shown).
 *  @return XJL_OK, XJL_EINVAL (NULL rep, a dedup report), XJL_ENOMEM. */
XJL_API int xjl_report_add_unreadable(xjl_report *rep, long line, const char *why);
/** Adds one checked row (a check report): its findings are counted, and a
 *  row with an error finding (or with row_error, e.g. a wrong number of
 *  fields; NULL if none) is shown.
 *  @return XJL_OK, XJL_EINVAL (NULL rep or p, not a check report), XJL_ENOMEM. */
XJL_API int xjl_report_add_parsed(xjl_report *rep, long line, const xjl_record *given,
                                  const xjl_parsed *p, const char *row_error);
/** Adds a finished duplicate check (a dedup report): its clusters, the
 *  levels and scores of their links, and the findings of every registry
 *  record (read from registry, the index d was run on).
 *  @return XJL_OK, XJL_EINVAL (NULL, not a dedup report), XJL_ESTATE (d not
 *          finished), XJL_ENOMEM. */
XJL_API int xjl_report_add_dedup(xjl_report *rep, const xjl_dedup *d, const xjl_index *registry);

/** Writes the page to path as every output is written (see Output files):
 *  whole or not at all, never over one of inputs[0..ninputs).
 *  @return XJL_OK, XJL_EINVAL (NULL; path is an input), XJL_EIO. */
XJL_API int xjl_report_write(const xjl_report *rep, const char *path, const char *const *inputs,
                             size_t ninputs);

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_REPORT_H */
