/*
 * xjlink/dedup.h: the duplicate check over a registry (问题学籍).
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Stable: changes follow the soversion rule of the README.
 */
#ifndef XJLINK_DEDUP_H
#define XJLINK_DEDUP_H

#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name Duplicate check over a registry (dedup.c)
 *
 * 查重: the problem records (问题学籍) of a whole registry, as clusters of
 * records that are the same child, each with the reasons, in four classes:
 *  - XJL_DUP_SAME_ID: the same valid ID number more than once (only one
 *    of them may be approved; the same number wrong in itself links only
 *    when the other fields agree, as FUZZY);
 *  - XJL_DUP_NO_ID: no ID number on either record, and the same name,
 *    gender and birth date (several may be approved after proof);
 *  - XJL_DUP_ONE_ID: the same name, gender and birth date, one record with
 *    an ID number and the other without (the one without is usually the
 *    same child registered again before its number was known);
 *  - XJL_DUP_FUZZY: the same child by the matcher's judgement, with a
 *    mistyped ID number, name or birth date (同音字, 繁体, a swapped digit);
 *  - XJL_DUP_BAD_ID: an ID number wrong in itself (length, characters, the
 *    date inside it, the check character) or disagreeing with the record's
 *    gender or birth date; reported per record, duplicate or not.
 *
 * Pairs.  Every record is matched against the registry itself, with the
 * matcher's candidates, levels, weights and review threshold (see Matching):
 * a pair is a link when it agrees on all five key fields, or its score
 * reaches the review threshold, or both records carry the same valid ID
 * number (the registry allows one record per number, whatever the other
 * fields say).  Two different valid citizen numbers (居民身份证, 户口簿,
 * 居住证 scheme) are two children and never link: twins share a surname and
 * a birth date, not a number.
 *
 * Clusters.  Links join records into clusters, strongest first (class
 * SAME_ID before NO_ID before ONE_ID before FUZZY, then by score, then by
 * their records in the tie order below), and a link that would put two
 * different valid citizen numbers into one cluster is refused: a record
 * without ID number that resembles two siblings joins the one it resembles
 * most, and of two it resembles equally (namesakes) the one first in the
 * tie order.  A cluster's class is that of its strongest link.  Each
 * record keeps its 32 strongest links (a block of thousands of namesakes
 * without ID number costs memory in proportion to its records, not to its
 * pairs).  The result is the same whatever the thread count.
 *
 * Ties.  Where two choices are equally good — links of the same class and
 * score, which of a set of records identical on every compared field is
 * matched for all of them, which record a cluster is explained from, which
 * record names a capped search key — the check takes the record first in
 * the tie order: the record id, byte by byte (as strcmp), then, for records
 * with the same id, their compared fields (the name as the index keeps it,
 * gender, birth date, ID type and number, in a fixed text: tie_key() in
 * dedup.c).  Never the position: the same registry in any row order, in one
 * process or split, gives the same clusters, classes and reasons (only the
 * order of the rows and the cluster numbers follow the registry; a registry
 * without an id column is named by its row numbers, which a new order
 * changes).  Records equal in the tie order differ in nothing a row shows.
 * The exception is a check whose block limit cut a search key (see Capped
 * blocks): which records a cut search reads follows the index's order, so
 * the pairs it leaves out, and what they would have joined, may change
 * with the order; the capped keys listed do not.
 *
 * Blocks.  Records are compared within blocks of birth years, so that a
 * registry of any size can be checked in independent pieces (processes,
 * hosts: see xjl_dedup_split()).  A record belongs to the blocks of
 *  - the year of its birth date, and of the day before and after it (a
 *    record born on 31 December is also in the next year's block: the
 *    matcher looks one day either side);
 *  - the year of the birth date inside its ID number (they may disagree);
 *  - for an ID number without a readable date (passports, broken numbers):
 *    one of XJL_DEDUP_ID_GROUPS groups by the number's hash;
 *  - block 0 when it has none of these (such a record has no search key
 *    and cannot be a duplicate; it is still checked for XJL_DUP_BAD_ID).
 * Every pair the matcher can find shares a block: it is found through the
 * same ID number (same date inside, or the same ID group) or through the
 * same name (its pinyin key) with one of the query's dates (its birth
 * date, ±1 day, day and month swapped — same year —, or the date in its ID
 * number) equal to one of the record's dates (birth date or date in the ID
 * number), whose year is a block of both.  A pair found in several blocks
 * counts once.
 * Within a block the matcher is the matcher of an index of that block: the
 * name-frequency weight is computed over the block (the children born in
 * those years), so a very common name can weigh a little differently than
 * in xjl_matcher_match() over the whole registry.  That is what makes the
 * result of blocks run anywhere equal, by construction, to xjl_dedup_run()
 * in one process: both run the same blocks and the same merge.
 *
 * Output rows: for every cluster, in registry order of their first records
 * (a cluster's first record is its record first in the tie order), the
 * first record, then the others in registry order; the first record's
 * reasons are "first", every other's name the record it is linked to on
 * its way to the first (the clusters' links form a tree) and the levels and
 * score of that link ("vs=P0012 score=31.00 id=typo name=exact dob=exact
 * gender=exact type=exact"; in a cluster of two, the first record).  A
 * record without a valid number that resembles records of two children is
 * in the cluster of the one it resembles most (see Clusters); up to three
 * others follow, strongest first, as "; also=P0031 score=20.46", and how
 * many more there are ("; 2 more alike").  Then one row
 * per record with an ID number wrong in itself, in registry order, its
 * reasons the findings ("id_number:id_check record:dob_mismatch"), or
 * "id_number:unreadable" for a number that is not text at all (invalid
 * UTF-8, longer than any number).
 *
 * Capped blocks.  A record is compared with the records of each of its
 * search keys (its ID number; its name with its birth date, the day before
 * and after, day and month swapped, the date in its ID number), at most
 * XJL_PARAM_BLOCK_LIMIT of them per key, the most agreeing kept (see
 * Matching).  A key with more records than that in a block (thousands of
 * namesakes born the same day, one placeholder number) leaves pairs
 * uncompared: each such key of each block is listed (xjl_dedup_capped(),
 * the line of xjl_dedup_capped_text()) with its records, the limit, the
 * searches it cut and the pairs those searches left out, and counted in
 * XJL_DEDUP_CAPPED_BLOCKS and XJL_DEDUP_NOT_COMPARED.  Records identical on
 * every compared field are matched once for all (their pairs to each other
 * are complete): one search.  A check without such a key has none, and its
 * rows are the same.
 */

typedef enum xjl_dup_class {
    XJL_DUP_SAME_ID = 1, /**< (a) 身份证件号重复 */
    XJL_DUP_NO_ID = 2,   /**< (b) 无身份证件号，姓名、性别、出生日期相同 */
    XJL_DUP_FUZZY = 3,   /**< (c) 疑似同一学生：身份证件号或姓名等有误 */
    XJL_DUP_BAD_ID = 4,  /**< (d) 身份证件号本身有误 */
    XJL_DUP_ONE_ID = 5 /**< (b') 一条有身份证件号、一条无，姓名、性别、出生日期相同 */
} xjl_dup_class;

/** "same_id", "no_id", "fuzzy", "bad_id", "one_id"; "unknown" for another value. */
XJL_API const char *xjl_dup_class_name(xjl_dup_class cls);
/** "身份证件号重复", "无身份证件号重复", "疑似同一学生", "身份证件号有误",
 *  "一方无身份证件号重复". */
XJL_API const char *xjl_dup_class_label_zh(xjl_dup_class cls);

/** Groups of ID numbers without a date (see Blocks); block keys
 *  XJL_DEDUP_ID_GROUP_BASE .. XJL_DEDUP_ID_GROUP_BASE + XJL_DEDUP_ID_GROUPS - 1.
 *  Year blocks are keyed by the year (1..9999), block 0 holds the records
 *  without any key.  Part of the block definition: changing them changes
 *  how a registry splits, not the result. */
#define XJL_DEDUP_ID_GROUPS 16
#define XJL_DEDUP_ID_GROUP_BASE 10000
/** A record belongs to at most this many blocks. */
#define XJL_DEDUP_MAX_BLOCKS 4

/** The blocks a record belongs to, smallest key first; the first is its
 *  home block (the one that reports XJL_DUP_BAD_ID for it).  Reads only the
 *  birth date, the ID type and the ID number.  Pure, thread-safe.
 *  @return the number of keys written (1..XJL_DEDUP_MAX_BLOCKS), or
 *          XJL_EINVAL for a NULL argument. */
XJL_API int xjl_dedup_blocks(const xjl_record *rec, int32_t keys[XJL_DEDUP_MAX_BLOCKS]);

/** A duplicate check: collects the links of blocks, then joins them into
 *  clusters (xjl_dedup_finish()).  One thread at a time. */
typedef struct xjl_dedup xjl_dedup;

/** A new, empty check with the matcher's default parameters.  Free with
 *  xjl_dedup_free().
 *  @param out receives the check; NULL on failure
 *  @return XJL_OK; XJL_EINVAL (out NULL), XJL_ENOMEM. */
XJL_API int xjl_dedup_new(xjl_dedup **out);
/** Frees a check and every row, id and reason it lent out; NULL does nothing. */
XJL_API void xjl_dedup_free(xjl_dedup *d);
/** Sets a matcher parameter for every block (the review threshold, the
 *  weights, the block limit; XJL_PARAM_MAX_CANDIDATES has no effect: every
 *  candidate is judged).  Runs that are to be merged must use the same.
 *  @return XJL_OK, XJL_EINVAL (unknown, out of range), XJL_ESTATE once a block has run. */
XJL_API int xjl_dedup_set_param(xjl_dedup *d, xjl_param p, double value);

/** Checks a whole registry in this process: every block in turn, each on
 *  `threads` threads (0: all cores), then xjl_dedup_finish().  The index
 *  need not be built (xjl_index_add_csv() alone is enough, and cheaper): it
 *  is only read, and one index per block is made from its packed records
 *  (peak memory: the registry's index plus that of the largest block).
 *  Positions in the result are positions in this index.
 *  @return XJL_OK, XJL_EINVAL, XJL_ENOMEM, XJL_ESTATE (already finished). */
XJL_API int xjl_dedup_run(xjl_dedup *d, const xjl_index *registry, unsigned threads);

/** Splits a registry CSV into one CSV per block in out_dir (which must
 *  exist): block-KEY.csv with the columns record, name, gender, birth_date,
 *  id_type, id_number (UTF-8), where record is "POS:ID" — the record's
 *  position in the registry (as xjl_index_add_csv() would load it: rows
 *  that cannot be read do not count) and its id (from id_column, or as
 *  xjl_index_add_csv() chooses it).  Also writes blocks.csv: key, file,
 *  records.  Rows that cannot be read are reported to diag and counted in
 *  *bad_rows; the rest still split.  Only the date and ID fields are read,
 *  so splitting costs little more than reading the file.
 *  @return XJL_OK, or XJL_EIO/XJL_EFORMAT/XJL_EENCODING for a bad file. */
XJL_API int xjl_dedup_split(const char *registry_csv, xjl_encoding enc, const char *id_column,
                            const char *out_dir, xjl_diag_fn diag, void *user, size_t *bad_rows);

/** Runs one block file written by xjl_dedup_split() and adds its links to d
 *  (positions are the registry's, read from the record column).
 *  @param key  the block's key (from blocks.csv)
 *  @return XJL_OK, XJL_EIO/XJL_EFORMAT (not a block file: the message says
 *          which file and line), XJL_ENOMEM, XJL_ESTATE (already finished). */
XJL_API int xjl_dedup_run_block(xjl_dedup *d, const char *block_csv, int32_t key, unsigned threads);

/** Writes what d has collected so far (before xjl_dedup_finish()) to a
 *  partial-result CSV, so that blocks run elsewhere can be merged.
 *  @return XJL_OK, XJL_EIO, XJL_ESTATE (already finished). */
XJL_API int xjl_dedup_save(const xjl_dedup *d, const char *path);
/** Adds a partial result written by xjl_dedup_save() to d.  Partials of
 *  disjoint sets of blocks merge into the result of all of them.  A partial
 *  names its format version and a fingerprint of the parameters it was made
 *  with: one of another version (an older or newer xjlink) or made with
 *  other parameters than d's is refused before anything of it is added.
 *  @return XJL_OK, XJL_EIO, XJL_EFORMAT (file:line of the bad row, or the
 *          version or parameters that differ), XJL_ENOMEM,
 *          XJL_ESTATE (already finished). */
XJL_API int xjl_dedup_load(xjl_dedup *d, const char *path);

/** Joins the links into clusters and orders the rows.  After it no block
 *  can be added.  @return XJL_OK, XJL_ENOMEM, XJL_ESTATE (already finished). */
XJL_API int xjl_dedup_finish(xjl_dedup *d);

/** One output row (see Output rows above).  Plain data; the strings are
 *  borrowed from the check and live until xjl_dedup_free(). */
typedef struct xjl_dup_row {
    uint64_t cluster;  /**< 1-based cluster number; 0 for a BAD_ID row of a record in no cluster */
    xjl_dup_class cls; /**< the cluster's class, or XJL_DUP_BAD_ID */
    uint64_t pos;      /**< the record's position in the registry (0-based) */
    const char *record_id; /**< the record's id */
    const char *reasons;   /**< why (see above) */
} xjl_dup_row;

/** Number of rows (0 before xjl_dedup_finish()). */
XJL_API size_t xjl_dedup_row_count(const xjl_dedup *d);
/** Row i.  @return XJL_OK, XJL_ENOTFOUND (i out of range), XJL_EINVAL (NULL). */
XJL_API int xjl_dedup_row(const xjl_dedup *d, size_t i, xjl_dup_row *out);
/** Writes the rows as CSV (UTF-8): cluster_id, class, record_id, reasons;
 *  class as xjl_dup_class_name() (XJL_LANG_EN) or xjl_dup_class_label_zh()
 *  (XJL_LANG_ZH);
 *  cluster_id empty for a BAD_ID row of a record in no cluster.
 *  @return XJL_OK, XJL_EIO, XJL_ESTATE (not finished). */
XJL_API int xjl_dedup_write_csv(const xjl_dedup *d, const char *path, xjl_lang lang);

/** Figures of a check. */
typedef enum xjl_dedup_stat {
    XJL_DEDUP_RECORDS = 0,          /**< records checked (each once, in its home block) */
    XJL_DEDUP_BLOCKS = 1,           /**< blocks run or loaded */
    XJL_DEDUP_LINKS = 2,            /**< pairs that qualified, each once (after finish) */
    XJL_DEDUP_REFUSED = 3,          /**< links not followed: two different valid citizen numbers */
    XJL_DEDUP_CLUSTERS_SAME_ID = 4, /**< clusters of each class (after finish) */
    XJL_DEDUP_CLUSTERS_NO_ID = 5,
    XJL_DEDUP_CLUSTERS_FUZZY = 6,
    XJL_DEDUP_CLUSTERED = 7,        /**< records in clusters */
    XJL_DEDUP_BAD_ID = 8,           /**< records with an ID number wrong in itself */
    XJL_DEDUP_MEMORY = 9,           /**< peak bytes of the indexes and links this check held */
    XJL_DEDUP_CLUSTERS_ONE_ID = 10, /**< clusters of class XJL_DUP_ONE_ID (after finish) */
    XJL_DEDUP_CAPPED_BLOCKS = 11,   /**< search keys the block limit cut (see Capped blocks) */
    XJL_DEDUP_NOT_COMPARED = 12,    /**< pairs those cuts left out of the comparison */
    /** records whose name or birth date cannot be read (not UTF-8, empty,
     *  not a date): such a record is found only through its ID number, and
     *  without one by no other record; `xjlink check` names each with its
     *  line and value */
    XJL_DEDUP_KEYS_UNREADABLE = 13,
    XJL_DEDUP_STAT_COUNT = 14
} xjl_dedup_stat;

/** A figure; 0 for NULL or an unknown one. */
XJL_API uint64_t xjl_dedup_stat_get(const xjl_dedup *d, xjl_dedup_stat what);

/** A search key the block limit cut in one block (see Capped blocks).
 *  Plain data; the strings are borrowed from the check and live until
 *  xjl_dedup_free(). */
typedef struct xjl_dup_capped {
    int32_t block;         /**< the check's block (a year, an ID group: see Blocks) */
    bool by_id;            /**< the key is an ID number's; else a name's with a date */
    const char *key;       /**< the name, as the index keeps it (NFKC, no spaces), or the
                                normalised ID number */
    int32_t birth_date;    /**< a name key's date (day number); XJL_DATE_NONE for an ID key */
    const char *record_id; /**< the record whose search it cut first in the tie order
                                (see Ties: the smallest record id) */
    uint64_t pos;          /**< that record's registry position */
    uint64_t records;      /**< records of the key in the block (past 8 times the limit the
                                index's positions are counted, not read) */
    uint64_t limit;        /**< XJL_PARAM_BLOCK_LIMIT */
    uint64_t searches;     /**< records whose search it cut */
    uint64_t not_compared; /**< pairs those searches left out */
} xjl_dup_capped;

/** Number of capped search keys, in the order of xjl_dedup_capped() (by
 *  block; name keys by date, then ID keys; then key text); 0 for NULL.  They are known as
 *  blocks run or partials load; the order is set by xjl_dedup_finish(). */
XJL_API size_t xjl_dedup_capped_count(const xjl_dedup *d);
/** Capped search key i.  @return XJL_OK, XJL_ENOTFOUND (i out of range),
 *  XJL_EINVAL (NULL). */
XJL_API int xjl_dedup_capped(const xjl_dedup *d, size_t i, xjl_dup_capped *out);
/** Capped search key i as one line of the report, without a line break,
 *  in lang (XJL_LANG_EN, XJL_LANG_ZH), into buf (NUL-terminated); *out_len,
 *  if out_len is not NULL, receives the line's length (needed, on XJL_ERANGE).
 *  @return XJL_OK; XJL_ERANGE (cap too small: buf holds what fits, terminated),
 *          XJL_ENOTFOUND, XJL_EINVAL (NULL, or cap 0). */
XJL_API int xjl_dedup_capped_text(const xjl_dedup *d, size_t i, xjl_lang lang, char *buf,
                                  size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_DEDUP_H */
