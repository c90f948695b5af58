/*
 * xjlink/match.h: matching: candidates, scores, the three-way status, streaming rosters.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Stable: changes follow the soversion rule of the README.
 */
#ifndef XJLINK_MATCH_H
#define XJLINK_MATCH_H

#include "index.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name Matching
 *
 * A matcher scores candidates from an index against a query record with
 * Fellegi–Sunter weights (log2 likelihood ratios per field agreement level)
 * and classifies the query:
 *  - XJL_MATCHED (已匹配学前学籍): exactly one registry record agrees with the
 *    query on all five normalised key fields (name compared without
 *    separators; ID type by class, so 居民身份证 and 户口簿 with the same
 *    citizen number agree), no other record shares that ID number, and no
 *    other candidate reaches the review threshold.  Nothing less is ever
 *    matched automatically.
 *  - XJL_PENDING (待确认学前学籍): one or more candidates reach the review
 *    threshold, or several records agree exactly (a child registered twice).
 *  - XJL_NOT_FOUND (未查到学前学籍): no candidate reaches the threshold.
 *  - XJL_ERROR: the query cannot be matched (no usable name, or neither a
 *    usable ID number nor a usable birth date); the reason says why.
 */

typedef enum xjl_match_status {
    XJL_MATCHED = 0,
    XJL_PENDING = 1,
    XJL_NOT_FOUND = 2,
    XJL_ERROR = 3
} xjl_match_status;

/** "matched", "pending", "not_found", "error". */
XJL_API const char *xjl_status_name(xjl_match_status st);
/** "已匹配学前学籍", "待确认学前学籍", "未查到学前学籍", "错误". */
XJL_API const char *xjl_status_label_zh(xjl_match_status st);
/** The status in lang: "matched" / "已匹配学前学籍", ... */
XJL_API const char *xjl_status_label(xjl_match_status st, xjl_lang lang);

/** Agreement levels per field, best first.  Names: xjl_level_name(). */
typedef enum xjl_level {
    XJL_LV_MISSING = 0, /**< one side has no usable value */
    /* 姓名 */
    XJL_LV_NAME_EXACT = 1,   /**< same DISPLAY form */
    XJL_LV_NAME_NOSEP = 2,   /**< same without separators (· or spaces) */
    XJL_LV_NAME_VARIANT = 3, /**< same after the Traditional→Simplified fold */
    /** same toneless pinyin (同音字) for some choice of each character's
     *  readings (多音字: 柏 bǎi/bó agrees with 博 bó) */
    XJL_LV_NAME_PINYIN = 4,
    /** same pinyin once z/zh, c/ch, s/sh, n/l, f/h, in/ing, en/eng, an/ang
     *  (ian/iang, uan/uang) are taken as one (模糊音), for some choice of
     *  readings */
    XJL_LV_NAME_FUZZY_PINYIN = 5,
    /** one character differs and the two look alike (形近字: 己/已, 未/末) by
     *  their four-corner or Cangjie codes */
    XJL_LV_NAME_LOOKALIKE = 6,
    XJL_LV_NAME_ONE_CHAR = 7, /**< one character differs (or a placeholder stands for it) */
    XJL_LV_NAME_SWAPPED = 8,  /**< Latin name with its parts in another order */
    XJL_LV_NAME_DIFFERENT = 9,
    /* 性别 */
    XJL_LV_GENDER_EXACT = 10,
    XJL_LV_GENDER_DIFFERENT = 11,
    /* 出生日期 */
    XJL_LV_DATE_EXACT = 20,
    XJL_LV_DATE_SWAP = 21,      /**< day and month swapped */
    XJL_LV_DATE_ONE_DAY = 22,   /**< one day apart */
    XJL_LV_DATE_ONE_DIGIT = 23, /**< one digit of YYYYMMDD differs */
    XJL_LV_DATE_DIFFERENT = 24,
    /* 身份证件类型 */
    XJL_LV_TYPE_EXACT = 30,
    XJL_LV_TYPE_CLASS = 31, /**< different types of the citizen class (1, B, C) */
    XJL_LV_TYPE_DIFFERENT = 32,
    /* 身份证件号 */
    XJL_LV_ID_EXACT = 40,
    XJL_LV_ID_TYPO = 41,     /**< one substitution or one adjacent swap */
    XJL_LV_ID_DIFFERENT = 42 /**< differs; both valid citizen numbers: two children */
} xjl_level;

/** "exact", "nosep", "variant", "pinyin", "fuzzy_pinyin", "lookalike", "one_char",
 *  "swapped", "different",
 *  "swap", "one_day", "one_digit", "class", "typo", "missing". */
XJL_API const char *xjl_level_name(xjl_level level);
/** A field's agreement level in lang: "id=typo" in English, "证件号一位之差" in
 *  Chinese (the catalogue's "level.FIELD.LEVEL"); field is one of the five key
 *  fields.  A level the field has no label for gives xjl_level_name(level).
 *  The text is constant (never freed); any thread may call this. */
XJL_API const char *xjl_level_label(xjl_field field, xjl_level level, xjl_lang lang);

/** Matcher parameters, set by enum so that new ones never break the ABI. */
typedef enum xjl_param {
    /** candidates kept per result; default 10.  Records that agree with the
     *  query on all five fields (two records without an ID number agree on
     *  it) are always kept, whatever the cap. */
    XJL_PARAM_MAX_CANDIDATES = 0,
    XJL_PARAM_REVIEW_THRESHOLD = 1, /**< lowest score offered for review; default 6.0 */
    /** records graded per search key at most; default 2000.  A larger
     *  block is read up to 8 times the limit deep and keeps the records that
     *  agree with the query on the most packed fields (name, date, gender,
     *  document type, number): the least agreeing are dropped first. */
    XJL_PARAM_BLOCK_LIMIT = 2,
    XJL_PARAM_W_ID_EXACT = 3, /**< weights (log2 m/u), see the defaults in match.c */
    XJL_PARAM_W_ID_TYPO = 4,
    XJL_PARAM_W_ID_DIFFERENT = 5,   /**< both valid citizen numbers that differ */
    XJL_PARAM_W_ID_OTHER = 6,       /**< differ, one side invalid or not a citizen number */
    XJL_PARAM_W_NAME_EXACT_MAX = 7, /**< cap of the frequency-weighted name agreement */
    XJL_PARAM_W_NAME_VARIANT = 8,
    XJL_PARAM_W_NAME_PINYIN = 9,
    XJL_PARAM_W_NAME_ONE_CHAR = 10,
    XJL_PARAM_W_NAME_DIFFERENT = 11,
    XJL_PARAM_W_DATE_EXACT = 12,
    XJL_PARAM_W_DATE_SWAP = 13,
    XJL_PARAM_W_DATE_ONE_DAY = 14,
    XJL_PARAM_W_DATE_ONE_DIGIT = 15,
    XJL_PARAM_W_DATE_DIFFERENT = 16,
    XJL_PARAM_W_GENDER_EXACT = 17,
    XJL_PARAM_W_GENDER_DIFFERENT = 18,
    /** 1: a record without ID number may be matched automatically when the
     *  query has none either, the other four fields agree exactly, the name
     *  is unique in the registry, and no other candidate reaches the review
     *  threshold.  Default 0: five fields without an ID number cannot tell a
     *  namesake born the same day from the child, so such rows go to the
     *  school (pending).  A policy choice for the province. */
    XJL_PARAM_MATCH_WITHOUT_ID = 19,
    /** The prior of xjl_result_candidate_probability(): the probability that
     *  a given registry record is the query's child before any field is
     *  compared, in [0, 1).  Default 0: one record in the whole registry,
     *  1 / (records in the index). */
    XJL_PARAM_MATCH_PRIOR = 20,
    XJL_PARAM_W_NAME_FUZZY = 21,     /**< names at level XJL_LV_NAME_FUZZY_PINYIN */
    XJL_PARAM_W_NAME_LOOKALIKE = 22, /**< names at level XJL_LV_NAME_LOOKALIKE */
    XJL_PARAM_COUNT = 23
} xjl_param;

typedef struct xjl_matcher xjl_matcher;
typedef struct xjl_result xjl_result;

/** A matcher over a built index (borrowed: keep the index alive).  Free
 *  with xjl_matcher_free().
 *  @param out receives the matcher; NULL on failure
 *  @return XJL_OK; XJL_EINVAL (out or ix NULL), XJL_ESTATE (ix not built
 *          nor opened), XJL_ENOMEM. */
XJL_API int xjl_matcher_new(xjl_matcher **out, const xjl_index *ix);
XJL_API void xjl_matcher_free(xjl_matcher *m);
/** Largest magnitude of a weight or of the review threshold (a weight is
 *  log2 of a ratio of chances; real ones stay under 64). */
#define XJL_WEIGHT_MAX 1000.0
/** Sets / gets a parameter.  Ranges: MAX_CANDIDATES 1..1000, BLOCK_LIMIT
 *  1..1e7, MATCH_WITHOUT_ID 0 or 1, MATCH_PRIOR [0, 1), the threshold and
 *  the weights within ±XJL_WEIGHT_MAX.
 *  @return XJL_OK or XJL_EINVAL (unknown parameter; NaN, ±inf or out of
 *          range: the value is not changed). */
XJL_API int xjl_matcher_set_param(xjl_matcher *m, xjl_param p, double value);
XJL_API int xjl_matcher_get_param(const xjl_matcher *m, xjl_param p, double *out);
/** What a parameter means, in English (for documentation and tools); NULL
 *  for an unknown one.  Static text; thread-safe. */
XJL_API const char *xjl_param_description(xjl_param p);
/** A parameter's default, what a new matcher has; NAN for an unknown one. */
XJL_API double xjl_param_default(xjl_param p);

/** Matches one record.  Thread-safe for a matcher whose parameters are set.
 *  @param out  receives the result (never NULL on XJL_OK, also for a query
 *              that cannot be matched: its status is XJL_ERROR); free with
 *              xjl_result_free()
 *  @return XJL_OK, XJL_EINVAL, XJL_ENOMEM. */
XJL_API int xjl_matcher_match(const xjl_matcher *m, const xjl_record *rec, xjl_result **out);

/** Matches n records on `threads` threads (0: all cores).  out[i] receives
 *  the result of recs[i]; the results are the same whatever the thread count.
 *  Free each with xjl_result_free(), in any order, from any thread.  The
 *  results of one call share blocks of memory (64 KiB), each released with
 *  the last of its results: keeping a few results of a large batch long
 *  keeps their blocks.
 *  @return XJL_OK or XJL_ENOMEM (then no result is left allocated). */
XJL_API int xjl_matcher_match_many(const xjl_matcher *m, const xjl_record *recs, size_t n,
                                   unsigned threads, xjl_result **out);

/** One row of a roster as xjl_match_csv() hands it on, in file order. */
typedef struct xjl_roster_row {
    long line;                 /**< line of the file where the row starts */
    size_t nfields;            /**< fields of the row as read */
    const char *const *fields; /**< each NUL-terminated; lens[i] bytes (a field
                                    outside the key fields may hold NUL bytes) */
    const size_t *lens;
    const xjl_result *result; /**< the row's result; NULL when it cannot be read */
    const char *error;        /**< why the row cannot be read (the row rule:
                                   its width, a NUL byte in a key field), else NULL */
} xjl_roster_row;

/** Where xjl_match_csv() hands the roster: the header once, then every row.
 *  Both are called on one thread (not necessarily the caller's), in file
 *  order; what they are given is valid until they return.  A non-zero
 *  return stops the run, which then returns that value. */
typedef struct xjl_roster_sink {
    int (*header)(void *user, size_t ncols, const char *const *names);
    int (*row)(void *user, const xjl_roster_row *row);
    void *user;
} xjl_roster_sink;

/** Options of xjl_match_csv(); start from XJL_MATCH_CSV_OPTIONS_INIT, so that
 *  a later version's fields keep their defaults. */
typedef struct xjl_match_csv_options {
    unsigned version;   /**< XJL_MATCH_CSV_OPTIONS_VERSION */
    unsigned threads;   /**< matching threads (0: all cores); a reader and a
                             writer thread run besides them */
    size_t chunk_bytes; /**< text of the roster held per chunk (0: 4 MiB); three
                             chunks are in flight, which bounds the memory */
    xjl_lang lang;      /**< language of the reasons of unreadable rows */
    unsigned flags;     /**< for xjl_match_csv_write(): XJL_CSV_BOM, XJL_CSV_EXCEL */
    /** Called on the writing thread after each chunk with the rows done (may be NULL). */
    void (*progress)(void *user, size_t rows);
    void *progress_user;
    /** Version 2: every row is also added to this report (xjl_report_add_result(),
     *  xjl_report_add_unreadable()) on the writing thread; NULL for none.  Its
     *  matcher is set to m by the run. */
    struct xjl_report *report;
} xjl_match_csv_options;
#define XJL_MATCH_CSV_OPTIONS_VERSION 2
#define XJL_MATCH_CSV_OPTIONS_INIT                                                                 \
    {                                                                                              \
        XJL_MATCH_CSV_OPTIONS_VERSION, 0, 0, 0, 0, NULL, NULL, NULL                                \
    }

/** What a roster run did. */
typedef struct xjl_match_totals {
    size_t rows;    /**< rows read (the header not counted) */
    size_t matched; /**< rows by status... */
    size_t pending;
    size_t not_found;
    size_t error;      /**< ...the unreadable rows among the errors */
    size_t unreadable; /**< rows the row rule refused */
} xjl_match_totals;

/** Matches every row of a roster file as it streams by: a reader thread cuts
 *  the file into chunks (bounded by chunk_bytes, whatever the rows' count or
 *  width), the calling thread matches each on opts->threads threads, and a
 *  writer thread hands the rows to the sink in file order.  A row that
 *  breaks the row rule (not as many fields as the header, a NUL byte in a
 *  key field) is handed on with its error instead of a result: no row is
 *  dropped.  This is what `xjlink match`, Python's match_csv() and Java's
 *  Roster run.
 *  @param roster  an open reader, no row read yet; read to its end or to
 *                 the first error (the caller closes it)
 *  @param opts    NULL for the defaults
 *  @param totals  receives the counts (may be NULL)
 *  @return XJL_OK; XJL_EFORMAT (no key columns, a bad row of the file: the
 *          rows before it were handed on); XJL_EIO; XJL_ENOMEM; or what the
 *          sink returned. */
XJL_API int xjl_match_csv(const xjl_matcher *m, xjl_csv *roster, const xjl_match_csv_options *opts,
                          const xjl_roster_sink *sink, xjl_match_totals *totals);

/** xjl_match_csv() writing the result file of `xjlink match`: the roster's
 *  columns unchanged, then status, match_id, candidates (ids joined by ';',
 *  best first), score, reasons and weights (the best candidate's parts of the
 *  score, xjl_result_candidate_weights(); statuses in Chinese when opts->lang).
 *  @param out_path  the file to write ("-": standard output); written to a
 *                   temporary file renamed into place, never over the roster
 *                   or a file the index was read from (by any name or link)
 *  @return as xjl_match_csv(); XJL_EIO when the output cannot be written;
 *          XJL_EINVAL when out_path is one of the inputs (nothing written). */
XJL_API int xjl_match_csv_write(const xjl_matcher *m, xjl_csv *roster, const char *out_path,
                                const xjl_match_csv_options *opts, xjl_match_totals *totals);

XJL_API void xjl_result_free(xjl_result *r);
XJL_API xjl_match_status xjl_result_status(const xjl_result *r);
/** Id of the matched record (XJL_MATCHED only), else NULL. Borrowed. */
XJL_API const char *xjl_result_match_id(const xjl_result *r);
/** Score of the best candidate, or 0 without candidates. */
XJL_API double xjl_result_score(const xjl_result *r);
/** Why: the best candidate's reasons, or the query's error findings. Borrowed. */
XJL_API const char *xjl_result_reasons(const xjl_result *r);
/** The query as read: findings per field and normalised values. Borrowed. */
XJL_API const xjl_parsed *xjl_result_query(const xjl_result *r);
/** Ranked candidates, best first: records agreeing on all five fields, then
 *  by score, then by the number of fields that agree exactly (the document
 *  type and "no ID number on either side" included), then by position.  At
 *  most XJL_PARAM_MAX_CANDIDATES, except that records agreeing on all five
 *  fields are never cut. */
XJL_API size_t xjl_result_candidate_count(const xjl_result *r);
XJL_API const char *xjl_result_candidate_id(const xjl_result *r, size_t i);
/** Position of candidate i in the index (for xjl_index_record()). */
XJL_API size_t xjl_result_candidate_pos(const xjl_result *r, size_t i);
XJL_API double xjl_result_candidate_score(const xjl_result *r, size_t i);
/** Agreement level of one field for candidate i (XJL_LV_MISSING for a bad
 *  i or field). */
XJL_API xjl_level xjl_result_candidate_level(const xjl_result *r, size_t i, xjl_field f);
/** "id=exact name=pinyin dob=swap gender=exact type=exact". Borrowed. */
XJL_API const char *xjl_result_candidate_reasons(const xjl_result *r, size_t i);
/** Field f's part of candidate i's score: the weight (log2 m/u) of its
 *  agreement level.  The parts of the five key fields sum to
 *  xjl_result_candidate_score() (up to float rounding); the document type's
 *  part is 0 (it ranks candidates, it does not score them).  0 for an i or f
 *  out of range. */
XJL_API double xjl_result_candidate_weight(const xjl_result *r, size_t i, xjl_field f);
/** Writes "name=pinyin(+6.0) dob=swap(+5.0) gender=exact(+1.0) type=different(0)
 *  id=missing(0)" for candidate i into text (at most text_cap bytes with the
 *  NUL, cut if longer; NULL when text_cap is 0): each field's agreement
 *  level with its part of the score, to one decimal.
 *  @return the length of the whole text (as snprintf), 0 for an i out of range. */
XJL_API size_t xjl_result_candidate_weights(const xjl_result *r, size_t i, char *text,
                                            size_t text_cap);
/** The same in lang: in Chinese the levels in words, "姓名同音(+6.0)
 *  出生日期月日颠倒(+5.0) ..." (xjl_level_label()). */
XJL_API size_t xjl_result_candidate_weights_lang(const xjl_result *r, size_t i, xjl_lang lang,
                                                 char *text, size_t text_cap);
/** Candidate i's reasons in lang: English as xjl_result_candidate_reasons(),
 *  Chinese in words, "证件号一位之差、姓名同音、出生日期一致、性别一致、证件类型一致".
 *  Into text as xjl_result_candidate_weights(); returns the whole length. */
XJL_API size_t xjl_result_candidate_reasons_lang(const xjl_result *r, size_t i, xjl_lang lang,
                                                 char *text, size_t text_cap);
/** xjl_result_reasons() in lang (the best candidate's reasons, or for a row
 *  with status error its findings as xjl_parsed_describe_lang() writes them). */
XJL_API size_t xjl_result_reasons_lang(const xjl_result *r, xjl_lang lang, char *text,
                                       size_t text_cap);
/** The probability that candidate i is the query's child, from its score and
 *  the prior XJL_PARAM_MATCH_PRIOR (by default one record in the registry):
 *  posterior odds = prior odds x 2^score, as the score is a log2 likelihood
 *  ratio.  It is as good as the weights' m and u: read it as a scale for
 *  thresholds ("offer what is at least 1% likely"), not as a frequency
 *  guarantee.  0 for an i out of range. */
XJL_API double xjl_result_candidate_probability(const xjl_result *r, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_MATCH_H */
