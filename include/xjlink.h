/*
 * xjlink: continuing a child's electronic student record (电子学籍接续).
 *
 * This header is the whole public API and its reference manual.  It is also
 * the single source of the Python and Java bindings (SWIG %includes it).
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What this build of the library has (XJL_WITH_WORKSPACE), written by the build. */
#include "xjlink_config.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(XJL_BUILDING) && defined(__GNUC__)
#define XJL_API __attribute__((visibility("default")))
#else
#define XJL_API
#endif

/* ------------------------------------------------------------------------ */
/** @name Version */

#define XJL_VERSION_MAJOR 0
#define XJL_VERSION_MINOR 1
#define XJL_VERSION_PATCH 0
#define XJL_VERSION_NUMBER \
    (XJL_VERSION_MAJOR * 10000 + XJL_VERSION_MINOR * 100 + XJL_VERSION_PATCH)
#define XJL_VERSION_STRING "0.1.0"

/** Run-time version string of the library actually linked ("0.1.0"). */
XJL_API const char *xjl_version(void);
/** Run-time version number, comparable with XJL_VERSION_NUMBER. */
XJL_API int xjl_version_number(void);

/* ------------------------------------------------------------------------ */
/** @name Errors */

typedef enum xjl_error {
    XJL_OK = 0,
    XJL_EINVAL = -1,    /**< invalid argument or unusable value */
    XJL_ENOMEM = -2,    /**< out of memory */
    XJL_EENCODING = -3, /**< text is not valid in its encoding */
    XJL_EIO = -4,       /**< a file could not be read or written */
    XJL_ESTATE = -5,    /**< a step the workflow forbids in this state */
    XJL_ERANGE = -6,    /**< a caller's buffer is too small */
    XJL_EFORMAT = -7,   /**< a file is not of the expected form (header, columns) */
    XJL_ENOTFOUND = -8, /**< no such record, row or object */
    XJL_EQUOTA = -9,    /**< a quota is exhausted */
    XJL_EDB = -10,      /**< the workspace database failed */
    XJL_EBUSY = -11,    /**< the workspace is locked by another process for too long */
    XJL_EPOLICY = -12,  /**< the host's policy hook refused (window closed, feature off) */
    XJL_EDUPLICATE = -13, /**< the object exists already */
    XJL_ETRUNCATED = -14, /**< an index file ends before its header says it does */
    XJL_ECORRUPT = -15,   /**< an index file's header or a section is damaged */
    XJL_EFOREIGN = -16,   /**< not an index file, or one of another byte order */
    XJL_EVERSION = -17    /**< an index file of a newer format or of other keys: rebuild it */
} xjl_error;

/** Language of the library's messages and labels. */
typedef enum xjl_lang {
    XJL_LANG_EN = 0, /**< English */
    XJL_LANG_ZH = 1  /**< Chinese */
} xjl_lang;

/** Short English description of an error code; never NULL. */
XJL_API const char *xjl_strerror(xjl_error code);
/** Detailed message of the last failing call in this thread ("" if none).
 *  Borrowed; valid until the next failing call in the same thread. */
XJL_API const char *xjl_errmsg(void);
/** Code of the last failing call in this thread (XJL_OK if none since the
 *  thread started or since xjl_error_clear()).  With xjl_errmsg(), the
 *  error of a call whose return value is not a status (a count, a name). */
XJL_API xjl_error xjl_errcode(void);
/** Forgets this thread's last error: xjl_errcode() gives XJL_OK and
 *  xjl_errmsg() "" until the next failing call. */
XJL_API void xjl_error_clear(void);
/** Records code and message as this thread's last error, as the library's
 *  own failures do, and returns code: for code that fails on the library's
 *  behalf (a binding, a sink callback) and wants xjl_errcode() and
 *  xjl_errmsg() to tell why.  message is copied (truncated to 1023 bytes);
 *  NULL stands for xjl_strerror(code). */
XJL_API int xjl_error_set(int code, const char *message);

/* ------------------------------------------------------------------------ */
/** @name Messages in two languages
 *
 * One catalogue holds every text xjlink shows to people: the command-line
 * program's messages, help, progress and output headers, the library's
 * error messages, reasons in words and status words.  Each entry has a
 * stable id ("match.summary.roster") and an English and a Chinese text; the
 * C library, the program and the Python and Java bindings all read the same
 * table, so that a word is translated once.  A text with printf conversions
 * has the same conversions in the same order in both languages.
 */

/** The text of message id in lang.  Borrowed, static, never NULL: an
 *  unknown id gives the id itself, so that a missing text shows where it
 *  is missing instead of failing.  Thread-safe. */
XJL_API const char *xjl_message(const char *id, xjl_lang lang);
/** Whether id is in the catalogue. */
XJL_API bool xjl_message_exists(const char *id);
/** Number of entries; with xjl_message_id(), the whole catalogue in id order. */
XJL_API size_t xjl_message_count(void);
/** The id of entry i (0 .. xjl_message_count() - 1), NULL past the end. */
XJL_API const char *xjl_message_id(size_t i);
/** The language of this thread's error messages (xjl_errmsg()): English
 *  unless set.  Each thread has its own; a host serving users in both
 *  languages sets it per request.  An unknown value is refused with XJL_EINVAL. */
XJL_API int xjl_set_lang(xjl_lang lang);
/** This thread's language of error messages. */
XJL_API xjl_lang xjl_get_lang(void);
/** xjl_strerror() in lang; never NULL. */
XJL_API const char *xjl_strerror_lang(xjl_error code, xjl_lang lang);

/** Length argument meaning "the string is NUL-terminated". */
#define XJL_NTS ((size_t)-1)

/** Decodes the UTF-8 code point at s[*pos] (len bytes in all) as every text
 *  field of the library is decoded, and advances *pos past it.
 *  @return the code point, or -1 for an invalid or truncated sequence
 *          (overlong forms and surrogates are invalid; *pos then stays at
 *          the bad byte) and at the end (*pos >= len). */
XJL_API int32_t xjl_utf8_next(const char *s, size_t len, size_t *pos);

/* ------------------------------------------------------------------------ */
/** @name Output files
 *
 * Every file the library writes (xjl_dedup_write_csv(), xjl_dedup_save(),
 * xjl_intake_export_not_found(), ...) is written this way, and a program
 * over the library can write its own outputs the same way:
 *
 *  - an output that is one of the run's inputs is refused before anything
 *    is opened: the same file by device and inode, through any symbolic or
 *    hard link, and an SQLite file's -wal, -shm and -journal companions;
 *  - the text goes to a temporary file in the destination's directory,
 *    which is flushed to disk (fsync) and renamed over the destination only
 *    when it is complete: a failed or killed run leaves the previous file
 *    (or none), never a truncated one that looks like a result;
 *  - a destination that is not a regular file (a terminal, /dev/null, a
 *    pipe) is written in place; a symbolic link's target is replaced.
 *
 * A handle belongs to one thread at a time.
 */

/** An output file being written. */
typedef struct xjl_output xjl_output;

/** Opens path for writing, refusing it when it is the same file as one of
 *  inputs[0..ninputs) (NULL entries are skipped).
 *  @param out  receives the handle; end it with xjl_output_commit() or
 *              xjl_output_abort(), exactly once
 *  @return XJL_OK; XJL_EINVAL (an input, the message names both; NULL
 *          argument), XJL_EIO (cannot create the file), XJL_ENOMEM. */
XJL_API int xjl_output_open(xjl_output **out, const char *path, const char *const *inputs,
                            size_t ninputs);
/** The stream to write to; borrowed, closed by commit or abort. */
XJL_API FILE *xjl_output_stream(xjl_output *o);
/** Flushes, syncs and renames the file into place, and frees o.
 *  @return XJL_OK, or XJL_EIO (the message names the file and the system's
 *          reason; the temporary file is removed and the destination keeps
 *          its previous content). */
XJL_API int xjl_output_commit(xjl_output *o);
/** Discards what was written (the destination is untouched) and frees o;
 *  NULL is accepted. */
XJL_API void xjl_output_abort(xjl_output *o);

/* ------------------------------------------------------------------------ */
/** @name Fields and findings
 *
 * A finding is one thing wrong with (or worth knowing about) one field.  Each
 * has a stable code, a stable short name (for CSV output and logs), an
 * English and a Chinese message, and a fixed severity: an *error* makes the
 * field unusable for matching; a *warning* leaves it usable.
 * Findings of one field are kept as a bit set: bit (1u << code).
 */

typedef enum xjl_field {
    XJL_FIELD_NAME = 0,       /**< 姓名 */
    XJL_FIELD_GENDER = 1,     /**< 性别 */
    XJL_FIELD_BIRTH_DATE = 2, /**< 出生日期 */
    XJL_FIELD_ID_TYPE = 3,    /**< 身份证件类型 */
    XJL_FIELD_ID_NUMBER = 4,  /**< 身份证件号 */
    XJL_FIELD_RECORD = 5,     /**< the record as a whole (consistency) */
    XJL_FIELD_COUNT = 6
} xjl_field;

/** "name", "gender", "birth_date", "id_type", "id_number", "record". */
XJL_API const char *xjl_field_name(xjl_field field);
/** "姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "记录". */
XJL_API const char *xjl_field_label_zh(xjl_field field);
/** The field's name in lang: "name" / "姓名", ... (the catalogue's "field.*"). */
XJL_API const char *xjl_field_label(xjl_field field, xjl_lang lang);

typedef enum xjl_finding {
    XJL_F_NONE = 0,
    XJL_F_EMPTY = 1,            /**< error: a required field is empty */
    XJL_F_ENCODING = 2,         /**< error: not valid UTF-8 */
    XJL_F_TOO_LONG = 3,         /**< error: longer than any real value */
    XJL_F_NUL = 4,              /**< error: an embedded NUL byte */
    XJL_F_NAME_PLACEHOLDER = 5, /**< warning: ?, □, *, or a private-use code point for a rare character */
    XJL_F_NAME_CHARS = 6,       /**< error: digits, symbols or control characters in a name */
    XJL_F_GENDER_VALUE = 7,     /**< error: not a gender code or word */
    XJL_F_DATE_SYNTAX = 8,      /**< error: not a date spelling we know */
    XJL_F_DATE_INVALID = 9,     /**< error: not a calendar date (2019-02-30) */
    XJL_F_DATE_RANGE = 10,      /**< error: outside 1900-01-01 .. 2099-12-31 */
    XJL_F_IDTYPE_VALUE = 11,    /**< error: not an ID document type code or name */
    XJL_F_IDTYPE_INFERRED = 12, /**< warning: type was empty, inferred from the number */
    XJL_F_ID_MISSING = 13,      /**< warning: no ID number (matching uses the other fields) */
    XJL_F_ID_LENGTH = 14,       /**< error: wrong length for its kind */
    XJL_F_ID_CHARS = 15,        /**< error: characters not allowed in its kind */
    XJL_F_ID_DATE = 16,         /**< error: the birth date inside the number is not a date */
    XJL_F_ID_CHECK = 17,        /**< error: ISO 7064 MOD 11-2 check character wrong */
    XJL_F_ID_REGION = 18,       /**< warning: region code unknown to GB/T 2260 1980-2019 */
    XJL_F_ID_CONVERTED15 = 19,  /**< warning: old 15-digit number, converted to 18 */
    XJL_F_ID_TYPE_MISMATCH = 20,/**< warning: number's form does not fit the document type */
    XJL_F_DOB_MISMATCH = 21,    /**< warning: birth date differs from the one in the ID number */
    XJL_F_GENDER_MISMATCH = 22, /**< warning: gender differs from the one in the ID number */
    XJL_F_COUNT = 23
} xjl_finding;

#define XJL_FINDING_BIT(code) (1u << (unsigned)(code))

/** Stable short name, e.g. "id_check"; "unknown" for a bad code. */
XJL_API const char *xjl_finding_name(xjl_finding code);
/** Message in English or Chinese; never NULL. */
XJL_API const char *xjl_finding_message(xjl_finding code, xjl_lang lang);
/** true if the finding makes the field unusable, false if it is a warning
 *  (or not a finding). */
XJL_API bool xjl_finding_is_error(xjl_finding code);

/* ------------------------------------------------------------------------ */
/** @name 性别 Gender (GB/T 2261.1) */

typedef enum xjl_gender {
    XJL_GENDER_UNKNOWN = 0,    /**< 未知的性别 (also: not given) */
    XJL_GENDER_MALE = 1,       /**< 男 */
    XJL_GENDER_FEMALE = 2,     /**< 女 */
    XJL_GENDER_UNSPECIFIED = 9 /**< 未说明的性别 */
} xjl_gender;

/** Parses a code (0/1/2/9) or what rosters write (男, 女, 男性, 女性, M, F,
 *  male, female, full-width digits, surrounding spaces).
 *  @return XJL_OK, or XJL_EINVAL with *out = XJL_GENDER_UNKNOWN. */
XJL_API int xjl_gender_parse(const char *s, size_t len, xjl_gender *out);

/* ------------------------------------------------------------------------ */
/** @name 出生日期 Dates
 *
 * A date is a day number: days since 1970-01-01 (negative before), proleptic
 * Gregorian.  XJL_DATE_NONE means "no date".
 */

#define XJL_DATE_NONE INT32_MIN

/** Day number of a calendar date, or XJL_DATE_NONE if it is not one. */
XJL_API int32_t xjl_date_from_ymd(int year, int month, int day);
/** Calendar date of a day number.  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_date_to_ymd(int32_t days, int *year, int *month, int *day);
/** Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
XJL_API int xjl_date_format(int32_t days, char *buf, size_t cap);

/** Parses 2019-09-01, 2019/9/1, 20190901, 2019年9月1日, 2019.09.01, with
 *  full-width digits and surrounding spaces, and Excel serial day numbers
 *  (1900 date system, 1..73050).  Only real calendar dates between
 *  1900-01-01 and 2099-12-31 are accepted.
 *  @param finding  if not NULL, receives XJL_F_NONE or the finding
 *                  (XJL_F_EMPTY, XJL_F_DATE_SYNTAX, XJL_F_DATE_INVALID,
 *                  XJL_F_DATE_RANGE, XJL_F_ENCODING, XJL_F_TOO_LONG, XJL_F_NUL).
 *  @return XJL_OK, or XJL_EINVAL with *out = XJL_DATE_NONE. */
XJL_API int xjl_date_parse(const char *s, size_t len, int32_t *out, xjl_finding *finding);

/* ------------------------------------------------------------------------ */
/** @name 身份证件类型 ID document types (JY/T 1001) */

typedef enum xjl_id_type {
    XJL_IDTYPE_NONE = 0,              /**< not given */
    XJL_IDTYPE_RESIDENT = '1',        /**< 居民身份证 */
    XJL_IDTYPE_OFFICER = '2',         /**< 军官证 */
    XJL_IDTYPE_SOLDIER = '3',         /**< 士兵证 */
    XJL_IDTYPE_CIVILIAN_CADRE = '4',  /**< 文职干部证 */
    XJL_IDTYPE_ARMY_RETIRED = '5',    /**< 部队离退休证 */
    XJL_IDTYPE_HONGKONG = '6',        /**< 香港特区护照/身份证明 */
    XJL_IDTYPE_MACAO = '7',           /**< 澳门特区护照/身份证明 */
    XJL_IDTYPE_TAIWAN = '8',          /**< 台湾居民来往大陆通行证 */
    XJL_IDTYPE_FOREIGN_PR = '9',      /**< 境外永久居住证 */
    XJL_IDTYPE_PASSPORT = 'A',        /**< 护照 */
    XJL_IDTYPE_HOUSEHOLD = 'B',       /**< 户口簿 */
    XJL_IDTYPE_HMT_RESIDENCE = 'C',   /**< 港澳台居民居住证 */
    XJL_IDTYPE_OTHER = 'Z'            /**< 其他 */
} xjl_id_type;

/** Parses a code ("1", "A", "a", full-width) or a name (居民身份证, 身份证,
 *  户口簿 and its misspelling 户口薄, 护照, …).  Empty gives XJL_IDTYPE_NONE
 *  and XJL_OK.  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_id_type_parse(const char *s, size_t len, xjl_id_type *out);
/** The standard's Chinese name of a type ("居民身份证"); "" for NONE. */
XJL_API const char *xjl_id_type_label(xjl_id_type type);
/** true for the types that carry an 18-character citizen-scheme number and
 *  compare with each other (1, B, C). */
XJL_API bool xjl_id_type_is_citizen(xjl_id_type type);

/* ------------------------------------------------------------------------ */
/** @name 身份证件号 ID numbers (GB 11643-1999) */

typedef enum xjl_id_kind {
    XJL_IDKIND_EMPTY = 0,     /**< no number */
    XJL_IDKIND_CITIZEN = 1,   /**< 18-character citizen number (or a converted 15-digit one) */
    XJL_IDKIND_HMT = 2,       /**< residence permit for HK/Macao/Taiwan residents (81/82/83) */
    XJL_IDKIND_PR_NEW = 3,    /**< foreigner's permanent residence card, 2023 form (9…) */
    XJL_IDKIND_PR_OLD = 4,    /**< foreigner's permanent residence card, old form (3 letters + 12 digits) */
    XJL_IDKIND_OTHER = 5      /**< any other document: normalised only */
} xjl_id_kind;

#define XJL_ID_MAX 64

/** What an ID number says once read.  Plain data, no ownership. */
typedef struct xjl_id_info {
    char normalized[XJL_ID_MAX]; /**< trimmed, ASCII, upper-case, no inner spaces; 15→18 converted */
    xjl_id_kind kind;
    uint32_t findings;   /**< bit set of XJL_F_ID_* (and ENCODING/TOO_LONG/NUL) */
    int32_t birth_date;  /**< day number from the number, or XJL_DATE_NONE */
    xjl_gender gender;   /**< from the sequence digit, or XJL_GENDER_UNKNOWN */
    int32_t region;      /**< the 6-digit region code, or 0 */
    char expected_check; /**< the right check character when XJL_F_ID_CHECK is set, else 0 */
} xjl_id_info;

/** Reads an ID number of the given document type (XJL_IDTYPE_NONE: judged by
 *  the number's form alone).  Always fills *out, findings included.
 *
 *  The type decides the form the number must have: 1 and B a citizen number
 *  (18 characters, or 15 digits converted to 18); C a residence permit
 *  (810000/820000/830000…) or a citizen number; 9 a permanent residence
 *  card (18 characters beginning with 9, or 3 letters + 12 digits).  A
 *  number of the citizen scheme that does not fit its type (a permit or a
 *  new residence card under type 1; under 2-8, A or Z a fully valid one)
 *  keeps its kind with the warning XJL_F_ID_TYPE_MISMATCH.  Any other number of types 2-8,
 *  A and Z is only normalised (letters and digits; the brackets of a Hong
 *  Kong check digit are dropped).  An empty number (or "-") gives
 *  XJL_IDKIND_EMPTY and the warning XJL_F_ID_MISSING.  A character that is
 *  not ASCII stays in normalized, flagged XJL_F_ID_CHARS.
 *  Thread-safe; no allocation.
 *  @return XJL_OK if the number is usable for matching (no error finding),
 *          XJL_EINVAL otherwise (see out->findings), or for a NULL out or
 *          an unknown type (then *out holds no number and no finding). */
XJL_API int xjl_id_parse(const char *s, size_t len, xjl_id_type type, xjl_id_info *out);

/** ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of 17 ASCII digits;
 *  0 if any of them is not a digit. */
XJL_API char xjl_id_check_char(const char *first17);

/** Name of a GB/T 2260 region code in its latest revision (1980-2019), or
 *  NULL if the code was never in the standard. */
XJL_API const char *xjl_region_name(int32_t code);

/* ------------------------------------------------------------------------ */
/** @name 姓名 Names
 *
 * Forms of a name, each derived from the one before:
 *  - DISPLAY: NFKC; whitespace and zero-width characters removed (one space
 *    kept between Latin words); every middle-dot look-alike, and a hyphen or
 *    space between two parts of a minority name, folded to U+00B7; Latin
 *    letters case-folded.
 *  - BARE: DISPLAY without separators (· and spaces).
 *  - SIMPLIFIED: BARE with Traditional characters folded to Simplified.  For
 *    comparison only: a fold can make two different names equal (乾/干).
 *  - PINYIN: toneless pinyin of SIMPLIFIED, syllables separated by one space,
 *    ü written "v" (吕 lv ≠ 卢 lu), the first character read as a surname.
 *    A Han character without a reading stays itself.
 *
 * A space or hyphen between two Han parts is a minority-name separator (→ ·)
 * when both parts have two Han characters or more, five together, and the
 * first is not a compound surname (阿依古丽 买买提); otherwise it separates
 * surname and given name and is dropped (王 小明, 欧阳 娜娜).  Placeholders
 * for a rare character (?, ？, *, □, ■, U+FFFD, private-use code points) are
 * kept in every form and reported as the warning XJL_F_NAME_PLACEHOLDER.
 */

typedef enum xjl_name_form {
    XJL_NAME_DISPLAY = 0,
    XJL_NAME_BARE = 1,
    XJL_NAME_SIMPLIFIED = 2,
    XJL_NAME_PINYIN = 3
} xjl_name_form;

/** Longest name accepted, in bytes of UTF-8 input (longer: XJL_F_TOO_LONG). */
#define XJL_NAME_MAX_BYTES 256

/** Normalises a name into one of its forms.
 *  @param buf, cap   output buffer; the result is NUL-terminated
 *  @param out_len    receives the length written, or needed on XJL_ERANGE
 *  @param findings   if not NULL, receives the bit set of name findings
 *  @return XJL_OK; XJL_ERANGE if cap is too small; XJL_EINVAL if the name is
 *          unusable (an error finding: empty, invalid UTF-8 (the message
 *          gives the byte offset), too long (also when DISPLAY would exceed
 *          XJL_NAME_MAX_BYTES - 1 bytes), an embedded NUL, digits or
 *          symbols), with the reason in *findings and xjl_errmsg().
 *  Thread-safe; well under 1 µs a call, the first one too: the pinyin and
 *  Traditional→Simplified tables are made from ICU's data when the library
 *  is built, not at run time. */
XJL_API int xjl_name_normalize(const char *s, size_t len, xjl_name_form form,
                               char *buf, size_t cap, size_t *out_len,
                               uint32_t *findings);

/* ------------------------------------------------------------------------ */
/** @name Records: the five key fields together */

/** The five key fields as they came (UTF-8, NUL-terminated; NULL = empty). */
typedef struct xjl_record {
    const char *name;
    const char *gender;
    const char *birth_date;
    const char *id_type;
    const char *id_number;
} xjl_record;

/** A record once read and checked.  Plain data, no ownership. */
typedef struct xjl_parsed {
    char name[XJL_NAME_MAX_BYTES]; /**< DISPLAY form ("" if unusable) */
    xjl_gender gender;
    int32_t birth_date;            /**< day number or XJL_DATE_NONE */
    xjl_id_type id_type;           /**< as given, or inferred (XJL_F_IDTYPE_INFERRED) */
    xjl_id_info id;
    uint32_t findings[XJL_FIELD_COUNT]; /**< per field, XJL_FIELD_RECORD for consistency */
    size_t errors;                 /**< number of error findings */
    size_t warnings;               /**< number of warning findings */
} xjl_parsed;

/** Reads, normalises and checks all five fields, and their consistency (the
 *  birth date and gender against those inside the ID number).
 *  @return XJL_OK (findings are data, not failures), XJL_EINVAL if rec or out is NULL. */
XJL_API int xjl_record_parse(const xjl_record *rec, xjl_parsed *out);

/** Writes the findings of a parsed record as "field:finding field:finding"
 *  (e.g. "id_number:id_check birth_date:dob_mismatch"); "" if none. */
XJL_API int xjl_parsed_describe(const xjl_parsed *p, char *buf, size_t cap, size_t *out_len);
/** The same in lang: in Chinese "身份证件号：证件号校验码错误；出生日期：出生日期与
 *  证件号不一致" (the field and the finding in words). */
XJL_API int xjl_parsed_describe_lang(const xjl_parsed *p, xjl_lang lang, char *buf, size_t cap,
                                     size_t *out_len);


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
    /** BOM or valid UTF-8 → UTF-8, else GB18030, judged on the first
     *  block (1 MiB); when that block is all ASCII, on the first block with
     *  other bytes (xjl_csv_encoding() then says what was decided) */
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

/* ------------------------------------------------------------------------ */
/** @name The registry index
 *
 * An index holds the normalised, packed key fields of a registry (e.g. a
 * province's preschool records) and the hash tables the matcher searches.
 * Records are added, then xjl_index_build() freezes it; from then on it is
 * read-only and may be shared by any number of threads.  A built index can
 * be saved to a file and opened again in milliseconds (below).
 */

typedef struct xjl_index xjl_index;

/** A new, empty index.  Free with xjl_index_free().
 *  @param out receives the index; NULL on failure
 *  @return XJL_OK; XJL_EINVAL (out NULL), XJL_ENOMEM. */
XJL_API int xjl_index_new(xjl_index **out);
/** Frees an index; NULL does nothing.  No matcher may use it afterwards. */
XJL_API void xjl_index_free(xjl_index *ix);

/** Caps the threads xjl_index_add_csv() reads a file on (0, the default: all
 *  cores), for a host that runs several indexes at once (a Dask worker, a
 *  service with its own pool).  xjl_index_build() takes its own count.
 *  @return XJL_OK, XJL_EINVAL (NULL). */
XJL_API int xjl_index_set_threads(xjl_index *ix, unsigned threads);

/** Longest record id accepted, in bytes: a registry's ids are short codes
 *  (学前学籍ID: a letter and 18 characters), and a row whose id column holds
 *  a whole file must not multiply into every result that names it. */
#define XJL_RECORD_ID_MAX 256

/** Adds one registry record.  The record is kept even when some fields are
 *  invalid (it can still be found by the others).
 *  @param record_id  the registry's id for the record (copied, at most
 *                    XJL_RECORD_ID_MAX bytes); NULL gives its 1-based position
 *                    as a decimal string
 *  On a built index this is a change (see xjl_index_update(): a record id
 *  is required and must be new).
 *  @return XJL_OK, XJL_ENOMEM, XJL_EINVAL (NULL rec,
 *          an id too long). */
XJL_API int xjl_index_add(xjl_index *ix, const char *record_id, const xjl_record *rec);

/** Callback for a bad row met while reading a file: the row is reported and
 *  the rest still runs. */
typedef void (*xjl_diag_fn)(void *user, const char *file, long line,
                            const char *column, const char *value,
                            const char *message);

/** Adds every row of a registry CSV.  The record id comes from id_column if
 *  not NULL, else the first column named 学前学籍ID, 学籍ID, record_id or id,
 *  else the row number.  Rows that cannot be read (not as many fields as the
 *  header, a NUL byte in a key field or the id, an id longer than
 *  XJL_RECORD_ID_MAX: the row rule every reader of the library shares) are reported to diag
 *  (if not NULL) and counted in *bad_rows (if not NULL); the rest still load.
 *  The file is parsed and its records read on all cores; the index is the
 *  same as if its rows were added one by one with xjl_index_add(), and diag
 *  is called from the calling thread only, in file order.
 *  @return XJL_OK, or XJL_EIO/XJL_EFORMAT/XJL_EENCODING for a bad file. */
XJL_API int xjl_index_add_csv(xjl_index *ix, const char *path, xjl_encoding enc,
                              const char *id_column, xjl_diag_fn diag, void *user,
                              size_t *bad_rows);
/** xjl_index_add_csv() with a mapping of the key columns the header's names
 *  do not find, as xjl_csv_set_columns() takes it ("姓名=XSMC,身份证件号=ZJHM";
 *  NULL or "" for none).  A mapping naming a column the file lacks, or an
 *  unknown field, is refused (XJL_EFORMAT, XJL_EINVAL) before any row is read. */
XJL_API int xjl_index_add_csv_columns(xjl_index *ix, const char *path, xjl_encoding enc,
                                      const char *id_column, const char *columns,
                                      xjl_diag_fn diag, void *user, size_t *bad_rows);

/** Builds the search tables and freezes the index.
 *  @param threads  worker threads to use (0: all cores)
 *  @return XJL_OK, XJL_ENOMEM, XJL_ESTATE if already built. */
XJL_API int xjl_index_build(xjl_index *ix, unsigned threads);

/** Number of records: added, or live (added, not removed) after changes. */
XJL_API size_t xjl_index_count(const xjl_index *ix);
/** One past the last position of a record: xjl_index_count() until the
 *  index is changed; after changes the positions of removed and replaced
 *  records stay unused (xjl_index_record_id() gives NULL for them) until
 *  xjl_index_compact() numbers the records again from 0. */
XJL_API size_t xjl_index_positions(const xjl_index *ix);
/** Bytes of memory the index holds. */
XJL_API size_t xjl_index_memory(const xjl_index *ix);
/** Id of the record at a 0-based position (borrowed: valid until the index
 *  is compacted or freed), or NULL (no such position, or a record removed
 *  or replaced). */
XJL_API const char *xjl_index_record_id(const xjl_index *ix, size_t pos);
/** Position of the (first live) record with this id, or (size_t)-1.  Needs a
 *  built index. */
XJL_API size_t xjl_index_find_id(const xjl_index *ix, const char *record_id);
/** The normalised key fields of the record at pos (see xjl_parsed). */
XJL_API int xjl_index_record(const xjl_index *ix, size_t pos, xjl_parsed *out);

/* ------------------------------------------------------------------------ */
/** @name Changing a built index
 *
 * A built index, or one opened from a file, follows the registry's changes
 * record by record: xjl_index_add() (on a built index), xjl_index_update()
 * and xjl_index_remove(), by record id.  The changes go to a delta over the
 * built records (which stay as they are, in memory or in the mapped file):
 * new records after the built ones, removed and replaced ones marked dead.
 * The very next match sees a change, and a changed index matches exactly as
 * an index built from the registry as it is now would: the same statuses,
 * candidates, scores and reasons (the counts scoring reads, of records, of
 * each name and of each birth date, are kept exact).  The registry's order,
 * which ranks candidates of equal score, is the built records that remain
 * and then the changed ones in the order of their last change: an updated
 * record counts as removed and added again.
 *
 * xjl_index_compact() folds the delta into new built arrays; xjl_index_save()
 * of a changed index writes the folded index (the file holds no delta).
 * The first change of an index builds its tables by record id and by name
 * if it has none yet (a pass over the records, kept and saved with it).
 *
 * Thread safety: any number of threads may match (xjl_matcher_match(),
 * xjl_matcher_match_many(), each holds the index's shared lock for the
 * call) and look up records while one thread changes the index (a change
 * takes the lock alone, so it waits for the matches in progress and the
 * matches that start after it see it).  Changes from several threads are
 * serialised by the same lock.  Results do not point into the index and stay
 * valid.  Not allowed while changes run: xjl_dedup_run() (it refuses a
 * changed index: compact it first) and freeing the index.
 */

/** Adds, updates or removes one record of a built index by its record id.
 *  xjl_index_add() on a built index adds a record whose id is not in it;
 *  xjl_index_update() replaces the record with that id by rec;
 *  xjl_index_remove() removes it.  On an index not built yet,
 *  xjl_index_add() appends as before the build and the other two give
 *  XJL_ESTATE.
 *  @param record_id  required on a built index (at most XJL_RECORD_ID_MAX bytes)
 *  @return XJL_OK; XJL_EDUPLICATE (add: the id is there; nothing changed),
 *          XJL_ENOTFOUND (update, remove: no live record with the id),
 *          XJL_EINVAL (NULL, an id too long), XJL_ESTATE (not built),
 *          XJL_ENOMEM (nothing changed). */
XJL_API int xjl_index_update(xjl_index *ix, const char *record_id, const xjl_record *rec);
/** @copydoc xjl_index_update */
XJL_API int xjl_index_remove(xjl_index *ix, const char *record_id);
/** Changes (add, update, remove calls that succeeded) since the index was
 *  built, opened or compacted. */
XJL_API size_t xjl_index_changes(const xjl_index *ix);
/** Folds the changes into new built arrays: positions numbered again from
 *  0 in the registry's order (above), the tables rebuilt, an opened index's
 *  file let go.  Takes the index alone for its whole run (matching waits);
 *  pointers from xjl_index_record_id() become invalid.  Nothing to do
 *  without changes.
 *  @param threads worker threads for the tables (0: all cores)
 *  @return XJL_OK, XJL_ESTATE (not built), XJL_ENOMEM (the index unchanged). */
XJL_API int xjl_index_compact(xjl_index *ix, unsigned threads);

/* ------------------------------------------------------------------------ */
/** @name The registry index as a file
 *
 * A built index can be saved to a file and opened again in a few
 * milliseconds, whatever its size: opening maps the file (mmap) and uses it
 * in place, and the pages come in as the matcher reads them.  The format is
 * described in docs/index-format.md: little-endian (a big-endian host
 * refuses to save or open, XJL_EFOREIGN), sections aligned to 64 bytes, a
 * header with the format version, the library version, the key scheme and a
 * fingerprint of the name tables the keys were made with, and an XXH3
 * checksum per section.
 *
 * An opened index is built and read-only, like one built in memory, and may
 * be shared by any number of threads.  Its file must not be rewritten in
 * place while it is open (xjl_index_save() never does: it replaces the file
 * by a rename, and an index opened before keeps the old file's contents).
 */

/** Flags of xjl_index_open(). */
enum {
    /** Check every section's checksum and the contents of the search tables
     *  and entries before use (a pass over the whole file: ~0.1 s per
     *  million records when not cached).  Without it, opening checks the
     *  header and the bounds of every section only, and a file damaged
     *  inside a section may give wrong results (never a read outside the
     *  file). */
    XJL_INDEX_VERIFY = 1
};

/** Saves a built index to path (a changed one folded, as xjl_index_compact()
 *  would make it, leaving ix as it is), atomically: a temporary file beside it
 *  (path.tmp.XXXXXX) is written, synced and renamed over path, and the
 *  directory synced; a crash leaves the old file or the new one, never a mix.
 *  @return XJL_OK, XJL_ESTATE (not built), XJL_EIO (message names the file
 *          and the system's reason), XJL_ENOMEM, XJL_EFOREIGN (big-endian host). */
XJL_API int xjl_index_save(const xjl_index *ix, const char *path);

/** Opens an index file.
 *  @param out receives the index (free with xjl_index_free(), which unmaps
 *             it); NULL on failure
 *  @param flags 0 or XJL_INDEX_VERIFY
 *  @return XJL_OK; XJL_ENOTFOUND (no such file), XJL_EIO; XJL_ETRUNCATED
 *          (shorter than its header says), XJL_ECORRUPT (a checksum or a
 *          bound does not hold), XJL_EFOREIGN (not an index file, or another
 *          byte order), XJL_EVERSION (a newer format, or keys made by a
 *          library with other name tables: rebuild it).  The message names
 *          the file and what is wrong. */
XJL_API int xjl_index_open(xjl_index **out, const char *path, unsigned flags);

/** Opens path with XJL_INDEX_VERIFY and closes it: XJL_OK when the whole
 *  file is sound, else the error xjl_index_open() gives. */
XJL_API int xjl_index_verify(const char *path);

/** What an index holds and the file it came from (xjl_index_info()). */
typedef struct xjl_index_info_t {
    uint32_t format_version;  /**< of the file (or the one a save would write) */
    uint32_t key_scheme;      /**< how entries and keys are made */
    uint64_t key_fingerprint; /**< of the name tables the keys were made with */
    char library_version[16]; /**< of the library that wrote the file (or this one) */
    uint64_t records;
    uint64_t stamp;           /**< see xjl_index_set_stamp() */
    uint64_t file_bytes;      /**< the file's size (a built index: what a save writes) */
    uint64_t entry_bytes;     /**< packed records */
    uint64_t string_bytes;    /**< names, record ids, ID numbers kept as text */
    uint64_t id_table_bytes;  /**< search table by ID number */
    uint64_t name_table_bytes;/**< search table by pinyin and birth date */
    uint64_t rid_table_bytes; /**< table by record id (0 until xjl_index_find_id()) */
    bool built;               /**< once built or opened */
} xjl_index_info_t;

/** Fills out for an index built in memory or opened from a file.
 *  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_index_info(const xjl_index *ix, xjl_index_info_t *out);

/** A number the caller keeps with the index and its file (e.g. the
 *  generation of the registry it was built from); 0 by default.  Set it
 *  before xjl_index_save(); not thread-safe against a concurrent save. */
XJL_API void xjl_index_set_stamp(xjl_index *ix, uint64_t stamp);
XJL_API uint64_t xjl_index_stamp(const xjl_index *ix);

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
    XJL_LV_MISSING = 0,    /**< one side has no usable value */
    /* 姓名 */
    XJL_LV_NAME_EXACT = 1,     /**< same DISPLAY form */
    XJL_LV_NAME_NOSEP = 2,     /**< same without separators (· or spaces) */
    XJL_LV_NAME_VARIANT = 3,   /**< same after the Traditional→Simplified fold */
    XJL_LV_NAME_PINYIN = 4,    /**< same toneless pinyin (同音字) */
    XJL_LV_NAME_ONE_CHAR = 5,  /**< one character differs (or a placeholder stands for it) */
    XJL_LV_NAME_SWAPPED = 6,   /**< Latin name with its parts in another order */
    XJL_LV_NAME_DIFFERENT = 7,
    /* 性别 */
    XJL_LV_GENDER_EXACT = 10,
    XJL_LV_GENDER_DIFFERENT = 11,
    /* 出生日期 */
    XJL_LV_DATE_EXACT = 20,
    XJL_LV_DATE_SWAP = 21,     /**< day and month swapped */
    XJL_LV_DATE_ONE_DAY = 22,  /**< one day apart */
    XJL_LV_DATE_ONE_DIGIT = 23,/**< one digit of YYYYMMDD differs */
    XJL_LV_DATE_DIFFERENT = 24,
    /* 身份证件类型 */
    XJL_LV_TYPE_EXACT = 30,
    XJL_LV_TYPE_CLASS = 31,    /**< different types of the citizen class (1, B, C) */
    XJL_LV_TYPE_DIFFERENT = 32,
    /* 身份证件号 */
    XJL_LV_ID_EXACT = 40,
    XJL_LV_ID_TYPO = 41,       /**< one substitution or one adjacent swap */
    XJL_LV_ID_DIFFERENT = 42   /**< differs; both valid citizen numbers: two children */
} xjl_level;

/** "exact", "nosep", "variant", "pinyin", "one_char", "swapped", "different",
 *  "swap", "one_day", "one_digit", "class", "typo", "missing". */
XJL_API const char *xjl_level_name(xjl_level level);
/** A field's agreement level in lang: "id=typo" in English, "证件号一位之差" in
 *  Chinese (the catalogue's "level.FIELD.LEVEL"); field is one of the five key
 *  fields. */
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
    XJL_PARAM_W_ID_EXACT = 3,       /**< weights (log2 m/u), see the defaults in match.c */
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
    XJL_PARAM_COUNT = 21
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
XJL_API int xjl_matcher_match_many(const xjl_matcher *m, const xjl_record *recs,
                                   size_t n, unsigned threads, xjl_result **out);

/** One row of a roster as xjl_match_csv() hands it on, in file order. */
typedef struct xjl_roster_row {
    long line;                 /**< line of the file where the row starts */
    size_t nfields;            /**< fields of the row as read */
    const char *const *fields; /**< each NUL-terminated; lens[i] bytes (a field
                                    outside the key fields may hold NUL bytes) */
    const size_t *lens;
    const xjl_result *result;  /**< the row's result; NULL when it cannot be read */
    const char *error;         /**< why the row cannot be read (the row rule:
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
#define XJL_MATCH_CSV_OPTIONS_INIT {XJL_MATCH_CSV_OPTIONS_VERSION, 0, 0, 0, 0, NULL, NULL, NULL}

/** What a roster run did. */
typedef struct xjl_match_totals {
    size_t rows;       /**< rows read (the header not counted) */
    size_t matched;    /**< rows by status... */
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

/* ------------------------------------------------------------------------ */
/** @name Duplicate check over a registry (dedup.c)
 *
 * 查重: the problem records (问题学籍) of a whole registry, as clusters of
 * records that are the same child, each with the reasons, in four classes:
 *  - XJL_DUP_SAME_ID: the same ID number more than once (only one of them
 *    may be approved);
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
 * SAME_ID before NO_ID before ONE_ID before FUZZY, then by score, then by position), and
 * a link that would put two different valid citizen numbers into one
 * cluster is refused: a record without ID number that resembles two
 * siblings joins the one it resembles most.  A cluster's class is that of
 * its strongest link.  Each record keeps its 32 strongest links (a block of
 * thousands of namesakes without ID number costs memory in proportion to
 * its records, not to its pairs).  The result is the same whatever the
 * thread count.
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
 * Output rows: for every cluster (ordered by its first record, that is the
 * one earliest in the registry), one row per record in registry order; the
 * first record's reasons are "first", every other's name the record it is
 * linked to and the levels and score of that link ("vs=P0012 score=31.00
 * id=typo name=exact dob=exact gender=exact type=exact"; in a cluster of
 * two, the first record).  A record without a valid number that resembles
 * records of two children is in the cluster of the one it resembles most;
 * up to three others follow as "; also=P0031 score=20.46", and how many
 * more there are ("; 2 more alike").  Then one row
 * per record with an ID number wrong in itself, in registry order, its
 * reasons the findings ("id_number:id_check record:dob_mismatch"), or
 * "id_number:unreadable" for a number that is not text at all (invalid
 * UTF-8, longer than any number).
 */

typedef enum xjl_dup_class {
    XJL_DUP_SAME_ID = 1, /**< (a) 身份证件号重复 */
    XJL_DUP_NO_ID = 2,   /**< (b) 无身份证件号，姓名、性别、出生日期相同 */
    XJL_DUP_FUZZY = 3,   /**< (c) 疑似同一学生：身份证件号或姓名等有误 */
    XJL_DUP_BAD_ID = 4,  /**< (d) 身份证件号本身有误 */
    XJL_DUP_ONE_ID = 5   /**< (b') 一条有身份证件号、一条无，姓名、性别、出生日期相同 */
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
                            const char *out_dir, xjl_diag_fn diag, void *user,
                            size_t *bad_rows);

/** Runs one block file written by xjl_dedup_split() and adds its links to d
 *  (positions are the registry's, read from the record column).
 *  @param key  the block's key (from blocks.csv)
 *  @return XJL_OK, XJL_EIO/XJL_EFORMAT (not a block file: the message says
 *          which file and line), XJL_ENOMEM, XJL_ESTATE (already finished). */
XJL_API int xjl_dedup_run_block(xjl_dedup *d, const char *block_csv, int32_t key,
                                unsigned threads);

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
    uint64_t cluster;      /**< 1-based cluster number; 0 for a BAD_ID row of a record in no cluster */
    xjl_dup_class cls;     /**< the cluster's class, or XJL_DUP_BAD_ID */
    uint64_t pos;          /**< the record's position in the registry (0-based) */
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
    XJL_DEDUP_STAT_COUNT = 11
} xjl_dedup_stat;

/** A figure; 0 for NULL or an unknown one. */
XJL_API uint64_t xjl_dedup_stat_get(const xjl_dedup *d, xjl_dedup_stat what);

/* (end of the duplicate-check section) */

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

/* (end of the report section) */

#if XJL_WITH_WORKSPACE
/* The workflow layer: present when the library was built with it (the
 * default); a matching-only build (meson -Dworkspace=disabled) has none of
 * the declarations below and links no SQLite. */

/* ------------------------------------------------------------------------ */
/** @name Workspace: state in SQLite (store.c) and the intake workflow (intake.c)
 *
 * A workspace is one SQLite file that holds the preschool registry (学前系统
 * records with their 17 supplement fields), each school's intake list
 * (学前调档名单) with every row's status, candidates and history, the
 * supplements (学前档案信息补录), reviews and national student numbers, and an
 * audit trail of every step (what, when, which operator).
 *
 * Guarantees:
 *  - Every step is one transaction: a process killed in the middle of an
 *    import leaves the whole import or none of it.  The file is in WAL mode
 *    with synchronous=FULL.
 *  - Several processes may open the same workspace: a writer waits for
 *    another writer (busy timeout, 30 s by default) instead of failing; only
 *    when the wait runs out does a step fail with XJL_EBUSY.
 *  - Deleting is soft: a deleted row disappears from lists but stays in the
 *    file and in the audit trail, with the values it had.
 *  - A step the workflow forbids in the row's state fails with XJL_ESTATE and
 *    a message that says why (xjl_errmsg()); nothing is changed then.
 *
 * Thread safety: a workspace handle is used by one thread at a time.  Open
 * one handle per thread (or process); they coordinate through the file.
 *
 * Results of queries are listings, tables of text (xjl_listing): a fixed list of named
 * columns, documented with each query, and rows of UTF-8 values.
 */

/** Schema version written by this library (PRAGMA user_version). */
#define XJL_WORKSPACE_SCHEMA_VERSION 4

typedef struct xjl_workspace xjl_workspace;

/** @name Listings: the results of queries */
typedef struct xjl_listing xjl_listing;

/** Frees a table; NULL does nothing. */
XJL_API void xjl_listing_free(xjl_listing *t);
/** Number of rows (0 for NULL). */
XJL_API size_t xjl_listing_rows(const xjl_listing *t);
/** Number of columns (0 for NULL). */
XJL_API size_t xjl_listing_cols(const xjl_listing *t);
/** Name of column c (borrowed), or NULL past the last column. */
XJL_API const char *xjl_listing_col_name(const xjl_listing *t, size_t c);
/** Index of the column with this name, or -1. */
XJL_API int xjl_listing_col(const xjl_listing *t, const char *name);
/** Value at row r, column c (borrowed, lives as long as the table); "" for
 *  an empty value or a position outside the table. */
XJL_API const char *xjl_listing_get(const xjl_listing *t, size_t r, size_t c);
/** Value at row r of the column named col; "" if there is no such column. */
XJL_API const char *xjl_listing_value(const xjl_listing *t, size_t r, const char *col);
/** The same value read as a decimal integer; 0 if it is empty or not a number. */
XJL_API int64_t xjl_listing_int(const xjl_listing *t, size_t r, const char *col);

/** @name Opening a workspace */

/** Opens (creating if needed) the workspace file at path and brings its
 *  schema up to XJL_WORKSPACE_SCHEMA_VERSION, running the migrations it
 *  lacks in order, each in its own transaction.
 *  @param out  receives the handle; close it with xjl_workspace_close()
 *  @return XJL_OK; XJL_EINVAL (NULL argument); XJL_EFORMAT (the file is not
 *          a workspace: another SQLite database or not SQLite at all);
 *          XJL_EDB (the schema is newer than this library, or SQLite failed);
 *          XJL_EBUSY (another process held the file for longer than the busy
 *          timeout during the migration). */
XJL_API int xjl_workspace_open(xjl_workspace **out, const char *path);
/** Closes a workspace; NULL does nothing. */
XJL_API void xjl_workspace_close(xjl_workspace *ws);
/** The key columns of the CSV files this handle reads from now on (the
 *  preschool registry, a school's list) that the header's names do not
 *  find, as xjl_csv_set_columns() takes them ("姓名=XM,身份证件号=SFZJH");
 *  NULL or "" for none.  Copied.  A file whose header lacks a mapped column
 *  is refused when it is read.  @return XJL_OK, XJL_EINVAL, XJL_ENOMEM. */
XJL_API int xjl_workspace_set_columns(xjl_workspace *ws, const char *mapping);
/** Schema version of the open file (PRAGMA user_version). */
XJL_API int xjl_workspace_schema_version(const xjl_workspace *ws);
/** Operator id written into the audit trail by the steps that follow
 *  (copied; NULL or "" gives "unknown").  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_workspace_set_operator(xjl_workspace *ws, const char *operator_id);
/** How long a step waits for another process's transaction, in
 *  milliseconds (default 30000).  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_workspace_set_busy_timeout(xjl_workspace *ws, int ms);
/** The date the workflow takes as today (a day number; XJL_DATE_NONE: the
 *  local date of the machine, the default).  The policy hooks receive it. */
XJL_API int xjl_workspace_set_date(xjl_workspace *ws, int32_t day);
/** Runs SQLite's integrity check.  @return XJL_OK, or XJL_EDB with the first
 *  problem in the message. */
XJL_API int xjl_workspace_check(xjl_workspace *ws);
/** The audit trail, oldest first: every entry, or (object non-NULL) those of
 *  one kind of object ("registry", "row", "school", "batch", "admission",
 *  "quota", ...), and (object_id > 0) of one object.
 *  Columns: id, at (UTC, ISO 8601), operator, action, object, object_id, detail.
 *  @param out  receives the table; free it with xjl_listing_free() */
XJL_API int xjl_workspace_audit(xjl_workspace *ws, const char *object, int64_t object_id,
                                xjl_listing **out);

/** @name Policy hooks
 *
 * The host system decides when intake and enrolment are open and which
 * features are switched on (docs/domain.md §3: the administrators' settings).  The
 * library asks before every step that changes a school's data; a refusal
 * fails the step with XJL_EPOLICY.  Without a hook everything is open and on.
 */

/** Stores a process's feature switch and date window in the workspace (the
 *  administrators' 功能开关设置 and 学籍业务时间设置), so that every program
 *  that opens the file keeps them; the hooks below are asked as well.
 *  Processes: "intake" (a school's intake steps), "intake-authority"
 *  (loading the registry, approving, returning, overriding), "enrol",
 *  "enrol-authority" (the pool, quotas, restoring, assigning), "key-change"
 *  (key-data changes), "registration" (registering outside grade 1).
 *  open_from/open_to are day numbers or XJL_DATE_NONE for an open end.
 *  An authority step (refused for a school operator).
 *  @return XJL_OK; XJL_EINVAL (unknown process, a bad window); XJL_EPOLICY. */
XJL_API int xjl_workspace_set_policy(xjl_workspace *ws, const char *process, bool enabled,
                                     int32_t open_from, int32_t open_to);
/** The stored policy.  Columns: process, enabled, open_from, open_to
 *  (YYYY-MM-DD or empty), operator, at. */
XJL_API int xjl_workspace_policy(xjl_workspace *ws, xjl_listing **out);

/** "Is this process open on this date?"  process is one of those of
 *  xjl_workspace_set_policy() ("intake", "intake-authority", "enrol", …);
 *  date is the workspace's today (xjl_workspace_set_date()).  Return true
 *  for open. */
typedef bool (*xjl_window_fn)(void *user, const char *process, int32_t date);
/** "Is this feature on?"  feature is a process of xjl_workspace_set_policy()
 *  ("intake": primary intake, 小学新生注册; "enrol": 招生录取; their
 *  "-authority" steps; …).  Return true for on. */
typedef bool (*xjl_feature_fn)(void *user, const char *feature);

/** Who the operator is.  The host system authenticates; the library
 *  enforces what a role may do.  Without a role (XJL_ROLE_NONE, the
 *  default) the host decides alone and every step is allowed. */
typedef enum xjl_role {
    XJL_ROLE_NONE = 0,     /**< no role: the host checks */
    XJL_ROLE_SCHOOL = 1,   /**< 学校: its own school's steps only */
    XJL_ROLE_COUNTY = 2,   /**< 区县: the authority of one county */
    XJL_ROLE_CITY = 3,     /**< 地市: of a city (the first 4 digits of the region) */
    XJL_ROLE_PROVINCE = 4  /**< 省: of a province (the first 2 digits) */
} xjl_role;

/** Sets the operator's role and scope for the following steps.  scope is
 *  the school's code for XJL_ROLE_SCHOOL, else a 6-digit region code (of
 *  which a city uses the first 4 digits, a province the first 2).  A school
 *  operator's authority step (loading the registry or the pool, approving,
 *  returning, overriding, quotas, restoring, assigning, school settings,
 *  key-data changes) is refused with XJL_EPOLICY, as is any step on a school
 *  outside the scope (a county+ operator's scope holds the schools whose
 *  region code starts with the scope's digits); listings of several schools
 *  (schools, statistics, double admissions) show only those in scope.
 *  @return XJL_OK; XJL_EINVAL (a scope that does not fit the role). */
XJL_API int xjl_workspace_set_role(xjl_workspace *ws, xjl_role role, const char *scope);
/** "none", "school", "county", "city", "province". */
XJL_API const char *xjl_role_name(xjl_role role);
/** Parses a role's name or its Chinese name (学校, 区县, 地市, 省). */
XJL_API int xjl_role_parse(const char *s, xjl_role *out);

/** Sets (fn non-NULL) or removes (NULL) the date-window hook; user is passed back. */
XJL_API void xjl_workspace_set_window_hook(xjl_workspace *ws, xjl_window_fn fn, void *user);
/** Sets (fn non-NULL) or removes (NULL) the feature hook; user is passed back. */
XJL_API void xjl_workspace_set_feature_hook(xjl_workspace *ws, xjl_feature_fn fn, void *user);

/** @name Schools */

/** Creates or updates a school.  A value not given (NULL, "" or region 0)
 *  keeps what the school has: an update names only what changes.
 *  @param school      the host's code for the school (the key everywhere below)
 *  @param name        its name (may be NULL)
 *  @param region      its 6-digit GB/T 2260 county code (0: not given;
 *                     needed for temporary student numbers)
 *  @param identifier  its 10-digit school identifier code (学校标识码), or
 *                     NULL/"" (not given; without one statistics leave the
 *                     school out)
 *  @return XJL_OK, XJL_EINVAL (empty school, a region that is not 6 digits,
 *          an identifier that is not 10 digits). */
XJL_API int xjl_school_set(xjl_workspace *ws, const char *school, const char *name,
                           int32_t region, const char *identifier);
/** Every school.  Columns: school, name, region, identifier. */
XJL_API int xjl_school_list(xjl_workspace *ws, xjl_listing **out);

/** @name The 17 supplement fields (学前档案信息补录)
 *
 * What a preschool record carries into primary school.  The first five in
 * docs/domain.md §1 order are the key fields; values are stored in canonical form:
 * 性别码 0/1/2/9, 出生日期 YYYY-MM-DD, 身份证件类型码 one character,
 * region codes 6 digits, other codes as their standard writes them.
 */
typedef enum xjl_sfield {
    XJL_SF_NAME = 0,          /**< 姓名 (key) */
    XJL_SF_GENDER = 1,        /**< 性别码, GB/T 2261.1 (key) */
    XJL_SF_BIRTH_DATE = 2,    /**< 出生日期 (key) */
    XJL_SF_BIRTHPLACE = 3,    /**< 出生地码, GB/T 2260 */
    XJL_SF_ETHNICITY = 4,     /**< 民族码, GB/T 3304: 01-56, 97 其他, 98 外国血统中国籍人士 */
    XJL_SF_NATIONALITY = 5,   /**< 国籍/地区码, GB/T 2659 alpha-3 (CHN) */
    XJL_SF_ID_TYPE = 6,       /**< 身份证件类型码, JY/T 1001 (key) */
    XJL_SF_ID_NUMBER = 7,     /**< 身份证件号 (key) */
    XJL_SF_HMT = 8,           /**< 港澳台侨外码: 00 否, 01-06, 11-14, 21, 31, 41, 51, 99 */
    XJL_SF_HUKOU_TYPE = 9,    /**< 户口性质: 1 农业户口, 2 非农业户口 */
    XJL_SF_HUKOU_REGION = 10, /**< 户口所在地码, GB/T 2260 */
    XJL_SF_ADDRESS = 11,      /**< 现住址 (free text) */
    XJL_SF_DISABILITY = 12,   /**< 残疾类型码: 0 无残疾, 1 视力 .. 7 多重, 9 其他 */
    XJL_SF_ONLY_CHILD = 13,   /**< 是否独生子女: 0 否, 1 是 */
    XJL_SF_LEFT_BEHIND = 14,  /**< 是否留守儿童: 0 否, 1 单亲留守, 2 双亲留守 */
    XJL_SF_MIGRANT_CHILD = 15,/**< 是否进城务工人员随迁子女: 0 否, 1 是 */
    XJL_SF_ORPHAN = 16,       /**< 是否孤儿: 0 否, 1 是 */
    XJL_SF_COUNT = 17
} xjl_sfield;

/** Stable short name ("birthplace", "ethnicity", ...); "unknown" for a bad value. */
XJL_API const char *xjl_sfield_name(xjl_sfield f);
/** The label of the national template ("出生地码", "民族码", ...). */
XJL_API const char *xjl_sfield_label_zh(xjl_sfield f);
/** Parses a short name, a label, or a common column-header variant
 *  ("民族", "国籍", "户口性质码", ...).  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_sfield_parse(const char *s, xjl_sfield *out);
/** true for the five key fields, which a supplement may not change. */
XJL_API bool xjl_sfield_is_key(xjl_sfield f);
/** Checks one value and writes its canonical form (codes also accept their
 *  Chinese names: 汉族 → 01, 农业户口 → 1, 是 → 1).  An empty value is valid
 *  for the 12 non-key fields (not known yet).  A region code unknown to
 *  GB/T 2260 1980-2019 is accepted (codes after 2019 are missing from it).
 *  @return XJL_OK; XJL_EINVAL with a message naming the field, the value
 *          and what is expected; XJL_ERANGE (buffer too small). */
XJL_API int xjl_sfield_check(xjl_sfield f, const char *value, char *buf, size_t cap,
                             size_t *out_len);

/** @name The preschool registry */

/** What a load or an import did.  Plain data. */
typedef struct xjl_load_report {
    size_t rows;      /**< data rows read */
    size_t inserted;  /**< new records / rows */
    size_t updated;   /**< registry records whose values changed */
    size_t unchanged; /**< registry records already as in the file */
    size_t bad_rows;  /**< rows reported to diag and not loaded */
    size_t warnings;  /**< values reported to diag as warnings; their rows loaded */
    size_t matched, pending, not_found, errors; /**< import: rows per status */
    int64_t batch;    /**< import: the batch id of this import */
} xjl_load_report;

/** Loads or refreshes the preschool registry from a CSV file with a record
 *  id column (学前学籍ID, 学籍ID or id) and the 17 supplement fields (by
 *  label, short name or a common variant; missing optional columns stay
 *  empty, the five key columns are required).  A record whose id is known
 *  is updated, a new one inserted; nothing is removed.  Every value is
 *  checked (xjl_sfield_check; key fields with xjl_record_parse): a row with
 *  a bad value is reported to diag with file, line, column and value, and
 *  not loaded; the rest loads.  An invalid ID number (e.g. a wrong check
 *  character) is reported as a warning and the record loads: the registry
 *  is the reference, and its problem records must stay findable.
 *  The whole load is one transaction.  Needs no policy hook (the registry
 *  belongs to the authority).
 *  @param rep  if not NULL, receives the counts
 *  @return XJL_OK; XJL_EIO/XJL_EENCODING/XJL_EFORMAT for the file (no id
 *          column or a missing key column: nothing loaded); XJL_EDB; XJL_EBUSY. */
XJL_API int xjl_intake_load_registry(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                     xjl_diag_fn diag, void *user, xjl_load_report *rep);
/** Number of records in the registry. */
XJL_API int xjl_intake_registry_count(xjl_workspace *ws, size_t *out);
/** One registry record by its record id.  Columns: id, record_id, then the
 *  17 fields by xjl_sfield_name(), source, line.  @return XJL_ENOTFOUND if none. */
XJL_API int xjl_intake_registry_record(xjl_workspace *ws, const char *record_id,
                                       xjl_listing **out);

/** @name The intake list (学前调档名单) */

/** Processing status of a row (处理状态). */
typedef enum xjl_row_status {
    XJL_ROW_MATCHED = 0,   /**< 已匹配学前学籍: matched automatically */
    XJL_ROW_PENDING = 1,   /**< 待确认学前学籍: the school must confirm a candidate */
    XJL_ROW_NOT_FOUND = 2, /**< 未查到学前学籍: register from scratch (also after "none") */
    XJL_ROW_ERROR = 3,     /**< the key fields cannot be matched: edit them */
    XJL_ROW_CONFIRMED = 4, /**< the school confirmed one candidate (确认补录) */
    XJL_ROW_ANY = -1       /**< xjl_intake_list(): rows of every status */
} xjl_row_status;

/** "matched", "pending", "not_found", "error", "confirmed"; "unknown". */
XJL_API const char *xjl_row_status_name(xjl_row_status status);
/** "已匹配学前学籍", "待确认学前学籍", "未查到学前学籍", "错误", "已确认学前学籍". */
XJL_API const char *xjl_row_status_label_zh(xjl_row_status status);
/** Parses a name or label.  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_row_status_parse(const char *s, xjl_row_status *out);

/** Imports a school's list (CSV with the five key fields, found as
 *  xjl_csv_key_columns() finds them) and matches every row against the
 *  registry.  Rows that cannot be read, rows whose citizen number is
 *  already on the school's list, and rows without one whose five fields a
 *  row of the list has already (the same list imported twice), are
 *  reported to diag and skipped; the rest
 *  is written in one transaction, so the import is all there or absent.
 *  The school must be known (xjl_school_set()): a mistyped code is refused.
 *  A row whose preschool record another school pulled (调档) already is
 *  pending, its note naming that school; a row whose pupil holds a G number
 *  elsewhere carries the finding id_number:number_held and is reported to
 *  diag as a warning (counted in warnings).
 *  @return XJL_OK; XJL_ENOTFOUND (unknown school); XJL_ESTATE (the registry
 *          is empty: load it first);
 *          XJL_EPOLICY; XJL_EIO/XJL_EFORMAT/XJL_EENCODING; XJL_EDB; XJL_EBUSY. */
XJL_API int xjl_intake_import(xjl_workspace *ws, const char *school, const char *path,
                              xjl_encoding enc, xjl_diag_fn diag, void *user,
                              xjl_load_report *rep);
/** Adds one row to a school's list and matches it (an import of one row).
 *  @param row_id  if not NULL, receives the new row's id
 *  @param status  if not NULL, receives its status
 *  @return as xjl_intake_import(); XJL_EDUPLICATE if the citizen number is
 *          already on the school's list. */
XJL_API int xjl_intake_add(xjl_workspace *ws, const char *school, const xjl_record *rec,
                           int64_t *row_id, xjl_row_status *status);

/** The school's live rows (not deleted) in import order, all (XJL_ROW_ANY)
 *  or of one status.  Columns: id, school, line, name, gender, birth_date,
 *  id_type, id_number, status, status_zh, candidates, score, reasons,
 *  record_id (matched/confirmed preschool record), supplement ("none",
 *  "draft", "done"), review ("open", "submitted", "returned", "approved"),
 *  student_number, note, findings (the warnings and errors of the key
 *  fields, "field:finding ..." as xjl_parsed_describe() writes them, plus
 *  id_number:number_held when the pupil holds a G number elsewhere), override
 *  (the authority's reason to number the row despite them). */
XJL_API int xjl_intake_list(xjl_workspace *ws, const char *school, xjl_row_status status,
                            xjl_listing **out);
/** One row, deleted or not: the columns of xjl_intake_list() and deleted,
 *  deleted_at.  @return XJL_ENOTFOUND for an unknown id. */
XJL_API int xjl_intake_row(xjl_workspace *ws, int64_t row_id, xjl_listing **out);
/** The status of one row.  @return XJL_ENOTFOUND for an unknown id. */
XJL_API int xjl_intake_status(xjl_workspace *ws, int64_t row_id, xjl_row_status *out);
/** The row's candidates, best first, with the reasons per field.  Columns:
 *  rank, record_id, score, reasons, name, gender, birth_date, id_type, id_number. */
XJL_API int xjl_intake_candidates(xjl_workspace *ws, int64_t row_id, xjl_listing **out);
/** The row's history, oldest first.  Columns: at, operator, action,
 *  from_status, to_status, detail. */
XJL_API int xjl_intake_history(xjl_workspace *ws, int64_t row_id, xjl_listing **out);

/** Edits a row's key fields and matches it again at once (修改 → 再次自动匹配).
 *  A NULL field of rec keeps the row's value; "" clears it.  Any supplement
 *  draft of the row is dropped (it was for the old values).
 *  @param status  if not NULL, receives the new status
 *  @return XJL_OK; XJL_ESTATE for a matched or confirmed row (已匹配学前学籍
 *          不允许修改), a row under review or approved, a deleted row;
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_edit(xjl_workspace *ws, int64_t row_id, const xjl_record *rec,
                            xjl_row_status *status);
/** Confirms one candidate of a pending row (确认补录): the row becomes
 *  XJL_ROW_CONFIRMED with that preschool record.
 *  @param record_id  the candidate's registry record id
 *  @return XJL_OK; XJL_ESTATE (the row is not pending); XJL_ENOTFOUND (no
 *          such row, or record_id is not one of its candidates); XJL_EPOLICY. */
XJL_API int xjl_intake_confirm(xjl_workspace *ws, int64_t row_id, const char *record_id);
/** Declares that no candidate of a pending row is this pupil (确认都不匹配):
 *  the row becomes XJL_ROW_NOT_FOUND.  Undo a wrong "none" by editing the row.
 *  @return XJL_OK; XJL_ESTATE (not pending); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_declare_none(xjl_workspace *ws, int64_t row_id);
/** Deletes a junk row (soft: it stays in the file and the audit trail).
 *  @return XJL_OK; XJL_ESTATE for a matched or confirmed row whose supplement
 *          is done, a row under review, an approved row with a formal (G)
 *          number (a temporary L number may be deleted), a deleted row;
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_delete(xjl_workspace *ws, int64_t row_id, const char *reason);

/** Sets one of the 12 non-key supplement fields of a matched, confirmed or
 *  not-found row.  The first change of a matched or confirmed row copies the
 *  preschool record's 17 fields into the supplement; a not-found row (to be
 *  registered as a new record) starts from its own five key fields.
 *  @return XJL_OK; XJL_ESTATE for a key field (change it later through a
 *          key-data change), a pending or error row, a row under review or
 *          approved, a deleted row; XJL_EINVAL for a bad value (xjl_sfield_check);
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_supplement_set(xjl_workspace *ws, int64_t row_id, xjl_sfield f,
                                      const char *value);
/** Sets several supplement fields of one row in one step: every value is
 *  checked first, and a refused one (a key field, a bad value) leaves all of
 *  them unchanged.  The rules and errors are those of
 *  xjl_intake_supplement_set(); n may be 0 (then nothing changes but the
 *  step is still checked and audited). */
XJL_API int xjl_intake_supplement_update(xjl_workspace *ws, int64_t row_id,
                                         const xjl_sfield *fields, const char *const *values,
                                         size_t n);
/** Saves the supplement as done (补录完成), copying the preschool record
 *  first if nothing was changed.  The required fields must be filled:
 *  姓名, 性别码, 出生日期, 民族码, 国籍/地区码, 身份证件类型码, 港澳台侨外码
 *  (and 身份证件号 unless the type is Z 其他).
 *  @return XJL_OK; XJL_ESTATE (as for supplement_set, or a required field
 *          is empty: the message names them); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_supplement_save(xjl_workspace *ws, int64_t row_id);
/** The row's supplement.  Columns: the 17 fields by xjl_sfield_name(), then
 *  state ("none", "draft", "done").  Without a supplement yet, the values
 *  it would start from.  @return XJL_ESTATE for a pending or error row. */
XJL_API int xjl_intake_supplement(xjl_workspace *ws, int64_t row_id, xjl_listing **out);

/** Writes the school's not-found rows (未查询到学前学籍学生导出) as the
 *  registration template: UTF-8 CSV with a BOM (as Excel expects), columns
 *  行号 (row id), then the 17 field labels, the key fields filled.
 *  @param count  if not NULL, receives the number of rows written
 *  @return XJL_OK, XJL_EIO. */
XJL_API int xjl_intake_export_not_found(xjl_workspace *ws, const char *school,
                                        const char *path, size_t *count);

/** The school's review and submission (学校审核, 上报): every open or
 *  returned row whose supplement is done goes to the authority.
 *  @return XJL_OK; XJL_ESTATE when no row is ready (the message counts the
 *          rows still waiting for a confirmation or a supplement); XJL_EPOLICY. */
XJL_API int xjl_intake_submit(xjl_workspace *ws, const char *school, size_t *count);
/** The authority returns a submitted row to the school with a reason.  The
 *  school resubmits it only after a change (an edit or a supplement change).
 *  @return XJL_OK; XJL_EINVAL (no reason); XJL_ESTATE (not submitted);
 *          XJL_ENOTFOUND. */
XJL_API int xjl_intake_return(xjl_workspace *ws, int64_t row_id, const char *reason);
/** The authority's decision to number a submitted row despite the findings
 *  of its key fields (held by xjl_intake_approve()), with its reason, which
 *  goes into the row's history and the audit trail.  An edit of the row
 *  drops the override.
 *  @return XJL_OK; XJL_EINVAL (no reason); XJL_ESTATE (not submitted);
 *          XJL_ENOTFOUND. */
XJL_API int xjl_intake_override(xjl_workspace *ws, int64_t row_id, const char *reason);
/** The authority's approval (主管部门核办) of the school's submitted rows:
 *  each receives its national student number: 'G' + the 18-character
 *  citizen number when its ID is a valid citizen number, else a temporary
 *  'L' + the school's 6-digit region + YYYYMMDD birth date + 4 random digits,
 *  unique in the workspace.
 *
 *  A row whose ID number contradicts it (wrong check character, wrong length
 *  or characters, an old 15-digit number, a birth date or gender other than
 *  the ID's: the findings of xjl_record_parse() over the values the number
 *  is made from) is held: it stays submitted, gets no number, and its
 *  findings and a note say why, until the authority overrides them
 *  (xjl_intake_override()) or returns the row.  A wrong ID number never
 *  yields a temporary number silently.  A row whose citizen number already
 *  holds a G number (a duplicate: only one may be approved) is returned to
 *  the school with that reason.
 *  @param approved, returned, held  if not NULL, receive the counts
 *  @return XJL_OK; XJL_ESTATE (nothing submitted, or a temporary number is
 *          needed and the school has no region code: xjl_school_set()). */
XJL_API int xjl_intake_approve(xjl_workspace *ws, const char *school, size_t *approved,
                               size_t *returned, size_t *held);

/** @name Key-data changes (关键数据变更)
 *
 * After registration (approval) the five key fields of a pupil change only
 * through a request with the old and the new value and a reason, which the
 * authority approves or rejects.  Both steps ask the policy for
 * "key-change" and go into the row's history and the audit trail. */

/** The school requests that key field f of a registered row become value.
 *  @param request  if not NULL, receives the request's id
 *  @return XJL_OK; XJL_EINVAL (not a key field, a bad value, no reason);
 *          XJL_ESTATE (the row is not registered, a request is open
 *          already, the value is the current one); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_request_key_change(xjl_workspace *ws, int64_t row_id, xjl_sfield f,
                                          const char *value, const char *reason,
                                          int64_t *request);
/** The authority approves (approve != 0) or rejects a request; note is kept
 *  with the decision.  An approval changes the registered record, recomputes
 *  the row's findings, checks for duplicates (查重: a new citizen number held
 *  by another row or graduate is refused with XJL_EDUPLICATE and changes
 *  nothing) and matches the record against the preschool registry again;
 *  the outcome is written into the request, the history and the audit trail.
 *  The national student number stays.
 *  @return XJL_OK; XJL_ESTATE (decided already); XJL_EDUPLICATE;
 *          XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_intake_decide_key_change(xjl_workspace *ws, int64_t request, bool approve,
                                         const char *note);
/** Key-data change requests, of one school or (NULL) all in scope.
 *  Columns: id, row_id, school, name, field, old_value, new_value, reason,
 *  state, operator, at, decided_by, decided_at, result. */
XJL_API int xjl_intake_key_changes(xjl_workspace *ws, const char *school, xjl_listing **out);

/** @name Registration outside grade 1 and the national duplicate check
 *
 * 非小学一年级学籍注册: a pupil who enters a school outside grade 1 of
 * primary school is registered only after the province's monthly national
 * duplicate check (全国查重).  The school's request waits in a queue
 * ("queued"); a pupil without a citizen ID number waits instead for the
 * proof of attendance (无身份证号在校就读证明, state "proof") and is decided
 * by hand by the authority, who gives a J number (J + the school's region +
 * birth date + 3-digit sequence + MOD 11-2 check).  Once a month the
 * authority exports the queue for the centre ("checking") and imports the
 * centre's result: 通过 registers the pupil as G + citizen number, 重复
 * refuses the request with the centre's words.  The export also lists the
 * temporary L numbers whose record now holds a valid citizen number (after a
 * key-data change); a 通过 for such a 学籍号 turns it into a G number (L → G).
 * Every step asks the policy for "registration" and is audited. */

/** The school's request for a pupil of grade 2-12.
 *  @return XJL_OK; XJL_EINVAL (grade, key fields with errors); XJL_EPOLICY. */
XJL_API int xjl_reg_request(xjl_workspace *ws, const char *school, const xjl_record *rec,
                            int grade, int64_t *id);
/** The school records the proof of attendance of a pupil without an ID number.
 *  @return XJL_OK; XJL_EINVAL (no proof); XJL_ESTATE (the request has an ID). */
XJL_API int xjl_reg_proof(xjl_workspace *ws, int64_t id, const char *proof);
/** The authority decides a request without an ID number by hand, after the
 *  proof: approve gives a J number.  note is required.
 *  @return XJL_OK; XJL_ESTATE (no proof yet, or a request for the national
 *          check); XJL_EINVAL; XJL_EPOLICY. */
XJL_API int xjl_reg_decide(xjl_workspace *ws, int64_t id, bool approve, const char *note);
/** The requests, of one school or (NULL) all in scope.  Columns: id, school,
 *  grade, name, gender, birth_date, id_type, id_number, state, proof, batch,
 *  result, student_number, operator, at, updated_at. */
XJL_API int xjl_reg_list(xjl_workspace *ws, const char *school, xjl_listing **out);
/** The authority writes the list the national centre needs (UTF-8 CSV with
 *  a BOM: 申请号, 学籍号, 学校, 年级, 姓名, 性别, 出生日期, 身份证件类型,
 *  身份证件号): every queued request (then "checking", in a new batch) and
 *  every L number whose record holds a valid citizen number.
 *  @param count  if not NULL, receives the number of records written */
XJL_API int xjl_reg_export_check(xjl_workspace *ws, const char *path, size_t *count);
/** The authority imports the centre's result: a CSV with 结果 (通过/pass,
 *  重复/duplicate/不通过) and 申请号 or 学籍号 (an L number), optionally 说明.
 *  A bad row is reported to diag and counted in bad_rows; rep counts
 *  registered (matched), refused (not_found), L → G (updated), kept
 *  temporary (unchanged).  @return XJL_OK; XJL_EFORMAT (columns); XJL_EIO. */
XJL_API int xjl_reg_import_result(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                  xjl_diag_fn diag, void *user, xjl_load_report *rep);

/* (end of the workspace and intake section) */

/* ------------------------------------------------------------------------ */
/** @name Secondary enrolment, quotas and double admission (enrol.c)
 *
 * Junior and senior high intake (高中招生学籍接续, docs/domain.md §2) in the same
 * workspace: admitting a graduate of the previous stage continues the
 * graduate's record (the admission refers to it by its national student
 * number).  Steps of a school ask the policy hooks for "enrol"; the
 * authority's steps (graduates, quotas, restoring) ask none.
 */

/** Kind of a school: what it admits and which admissions conflict. */
typedef enum xjl_school_kind {
    XJL_SCHOOL_UNKNOWN = 0,
    XJL_SCHOOL_PRIMARY = 1,    /**< 小学 */
    XJL_SCHOOL_JUNIOR = 2,     /**< 初中: admits primary graduates */
    XJL_SCHOOL_SENIOR = 3,     /**< 普通高中: admits junior graduates */
    XJL_SCHOOL_VOCATIONAL = 4  /**< 中职: admits junior graduates */
} xjl_school_kind;

/** "unknown", "primary", "junior", "senior", "vocational". */
XJL_API const char *xjl_school_kind_name(xjl_school_kind kind);
/** Parses a name or 小学, 初中, 高中/普通高中, 中职.  @return XJL_OK or XJL_EINVAL. */
XJL_API int xjl_school_kind_parse(const char *s, xjl_school_kind *out);
/** Sets a school's kind (the school is created if unknown).
 *  @return XJL_OK, XJL_EINVAL; XJL_ESTATE when the kind would change while
 *          the school holds admissions (that would hide a double admission). */
XJL_API int xjl_school_set_kind(xjl_workspace *ws, const char *school, xjl_school_kind kind);

/** Loads or refreshes the pool of graduates of the previous stage from a CSV
 *  file: 学籍号 (national student number, the key; also 全国学籍号, number),
 *  the five key fields, 学校 (school), 区县码 (6-digit county of the
 *  graduate's school; also region), 学段 (stage: 小学/primary or 初中/junior),
 *  是否毕业 (graduated, 0/1), 是否注销 (archived as a problem record, 0/1).
 *  A bad row is reported to diag and not loaded; the rest loads, in one
 *  transaction.  @return as xjl_intake_load_registry(). */
XJL_API int xjl_enrol_load_graduates(xjl_workspace *ws, const char *path, xjl_encoding enc,
                                     xjl_diag_fn diag, void *user, xjl_load_report *rep);
/** One graduate.  Columns: id, number, name, gender, birth_date, id_type,
 *  id_number, school, region, stage, graduated, archived, deleted.
 *  @return XJL_ENOTFOUND for an unknown number. */
XJL_API int xjl_enrol_graduate(xjl_workspace *ws, const char *number, xjl_listing **out);
/** The authority restores a graduate archived (注销) as a problem record, so
 *  that it can be admitted.  A later reload of the pool that still marks the
 *  record archived does not archive it again.
 *  @return XJL_OK; XJL_ESTATE (not archived); XJL_ENOTFOUND. */
XJL_API int xjl_enrol_restore(xjl_workspace *ws, const char *number, const char *reason);
/** Deletes a graduate record (soft).  @return XJL_OK; XJL_ESTATE for a
 *  formal G number (may not be deleted) or a graduate with a live
 *  admission; XJL_ENOTFOUND. */
XJL_API int xjl_enrol_delete_graduate(xjl_workspace *ws, const char *number, const char *reason);

/** @name Quotas (招生计划数): per school and year, set by the authority.
 *  Admissions, pending flows and pupils transferred into the first grade
 *  all consume it. */

/** Sets the quota.  @return XJL_OK; XJL_EINVAL (year outside 2000-2100);
 *  XJL_ESTATE when the school has already used more. */
XJL_API int xjl_enrol_set_quota(xjl_workspace *ws, const char *school, int year, size_t quota);
/** The quota and what is used of it.  @return XJL_ENOTFOUND when no quota is set. */
XJL_API int xjl_enrol_quota(xjl_workspace *ws, const char *school, int year, size_t *quota,
                            size_t *used);
/** A school that ran out asks for a new quota (招生计划数变更申请).
 *  @param request  receives the request's id
 *  @return XJL_OK; XJL_ESTATE (no quota set yet, the new quota is not larger,
 *          or a request is already open); XJL_EPOLICY. */
XJL_API int xjl_enrol_request_quota(xjl_workspace *ws, const char *school, int year,
                                    size_t new_quota, const char *reason, int64_t *request);
/** The authority approves (approve != 0) or rejects a request; approval
 *  sets the quota.  @return XJL_OK; XJL_ESTATE (decided already, or an
 *  approval of a request no larger than the quota the school has now: that
 *  would lower it); XJL_ENOTFOUND. */
XJL_API int xjl_enrol_decide_quota(xjl_workspace *ws, int64_t request, bool approve);
/** Quota requests of a school (all if school is NULL).  Columns: id, school,
 *  year, quota_before, requested, reason, state, at, decided_at. */
XJL_API int xjl_enrol_quota_requests(xjl_workspace *ws, const char *school, xjl_listing **out);

/** @name Admissions */

/** How a pupil came to the school. */
typedef enum xjl_enrol_route {
    XJL_ROUTE_UNIFIED = 0, /**< 统一招生: assigned by the authority */
    XJL_ROUTE_SELF = 1,    /**< 自主招生: a graduate of another county of the province */
    XJL_ROUTE_TRANSFER = 2 /**< 转学: transferred into the first grade */
} xjl_enrol_route;

/** "unified", "self", "transfer". */
XJL_API const char *xjl_enrol_route_name(xjl_enrol_route route);

/** Admits a graduate (录取): a new admission flow of the school for the year.
 *  Refused with a message that says why: XJL_ENOTFOUND (no such graduate);
 *  XJL_ESTATE for a non-graduate (非毕业生), a record archived as a problem
 *  record (已注销: restore it first), a graduate of the wrong stage for the
 *  school, a unified admission of a graduate the authority did not assign to
 *  the school for the year (xjl_enrol_assign()), a self enrolment of a
 *  graduate not of another county of the same province, a school without a
 *  kind or quota, a cancelled flow of this
 *  pupil at this school that was not deleted yet; XJL_EDUPLICATE (admitted
 *  already by this school or by another school of the same kind);
 *  XJL_EQUOTA (the quota is used up: file a quota-change request);
 *  XJL_EPOLICY.
 *
 *  Double admission: when a senior high school admits a pupil that a
 *  vocational school has admitted (or the reverse), the call succeeds with
 *  *conflict set to the other admission's id, and the new flow waits in
 *  state "pending" (it holds a quota place) until the caller continues it
 *  (xjl_enrol_continue, "是") or cancels it (xjl_enrol_cancel, "否").  The
 *  warning that names the other admission is in the flow's note and in
 *  xjl_enrol_admission().
 *  @param admission  receives the new flow's id
 *  @param conflict   receives the other admission's id, or 0 */
XJL_API int xjl_enrol_admit(xjl_workspace *ws, const char *school, int year, const char *number,
                            xjl_enrol_route route, int64_t *admission, int64_t *conflict);
/** The authority assigns one graduate to a school's unified-enrolment list
 *  of a year (xjl_enrol_import_assigned() does it for a whole list); a
 *  unified admission (XJL_ROUTE_UNIFIED) takes only assigned graduates.
 *  Assigning twice is no change.
 *  @return XJL_OK; XJL_ENOTFOUND (no such graduate); XJL_EINVAL. */
XJL_API int xjl_enrol_assign(xjl_workspace *ws, const char *school, int year, const char *number);
/** Admits the school's unified-enrolment list assigned by the authority
 *  (CSV with 学籍号, or the five key fields matched against the graduate
 *  pool with the full matcher: only an unambiguous match is admitted).  Each
 *  row is one xjl_enrol_admit(); a refused row is reported to diag with the
 *  reason, a double admission as a warning (its flow waits as "pending").
 *  All admissions of the list are one transaction.
 *  @param rep  rows, inserted (admitted or pending), pending (warned), bad_rows */
XJL_API int xjl_enrol_import_assigned(xjl_workspace *ws, const char *school, int year,
                                      const char *path, xjl_encoding enc, xjl_diag_fn diag,
                                      void *user, xjl_load_report *rep);
/** "是": continues a pending flow despite the double admission.
 *  @return XJL_OK; XJL_ESTATE (not pending); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_continue(xjl_workspace *ws, int64_t admission);
/** "否": cancels a pending or admitted flow; it frees its quota place.  To
 *  admit the pupil again, delete the cancelled flow and start a new one.
 *  @return XJL_OK; XJL_ESTATE (cancelled already, or the archive transfer is
 *          done: it cannot be undone, only a school transfer moves the
 *          pupil); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_cancel(xjl_workspace *ws, int64_t admission, const char *reason);
/** Deletes a cancelled flow (soft).  @return XJL_OK; XJL_ESTATE (not cancelled). */
XJL_API int xjl_enrol_delete(xjl_workspace *ws, int64_t admission);
/** The archive transfer (调档) of an admitted pupil: final.
 *  @return XJL_OK; XJL_ESTATE (not admitted: pending, cancelled, done). */
XJL_API int xjl_enrol_transfer_archive(xjl_workspace *ws, int64_t admission);
/** A school transfer (转学) of a pupil whose archive transfer is done: the
 *  pupil moves into the first grade of to_school (same kind), consuming its
 *  quota; the old flow becomes "moved".
 *  @param moved  receives the new admission's id
 *  @return XJL_OK; XJL_ESTATE; XJL_EQUOTA; XJL_EPOLICY. */
XJL_API int xjl_enrol_school_transfer(xjl_workspace *ws, int64_t admission,
                                      const char *to_school, int64_t *moved);
/** The authority's review of an admitted flow (招生录取审核): the reviewer
 *  selects the education stage (教育阶段, XJL_SCHOOL_JUNIOR, _SENIOR or
 *  _VOCATIONAL); a stage other than the school's kind is refused.  An
 *  approval marks the flow reviewed; a rejection (note required) cancels
 *  it, unless its 调档 is done.  The review shows in the admission listings
 *  (column review) and the audit trail.
 *  @return XJL_OK; XJL_EINVAL; XJL_ESTATE; XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_review(xjl_workspace *ws, int64_t admission, xjl_school_kind stage,
                             bool approve, const char *note);
/** 重复招生处理: the authority resolves a double admission (the warning,
 *  xjl_enrol_double_admissions() or xjl_enrol_cross_check() found it) by
 *  keeping one flow (a pending one becomes admitted) and cancelling the
 *  other, with a reason, in one step audited on both flows.
 *  @return XJL_OK; XJL_EINVAL (no reason, the same flow twice); XJL_ESTATE
 *          (not two live flows of one graduate, or the cancelled one has its
 *          调档 done); XJL_ENOTFOUND; XJL_EPOLICY. */
XJL_API int xjl_enrol_resolve_double(xjl_workspace *ws, int64_t keep, int64_t cancel,
                                     const char *reason);
/** The school's admission flows of a year (deleted ones left out).
 *  Columns: id, school, year, route, state, number, name, gender, birth_date,
 *  id_type, id_number, graduate_school, conflict, note, created_at. */
XJL_API int xjl_enrol_admissions(xjl_workspace *ws, const char *school, int year,
                                 xjl_listing **out);
/** One admission flow, the columns of xjl_enrol_admissions() and deleted. */
XJL_API int xjl_enrol_admission(xjl_workspace *ws, int64_t admission, xjl_listing **out);

/** Every pupil with a live admission (pending, admitted, done) at both a
 *  senior high and a vocational school in the year (中职调档查询).  Columns:
 *  number, name, gender, birth_date, id_number, senior_admission,
 *  senior_school, senior_state, senior_at, vocational_admission,
 *  vocational_school, vocational_state, vocational_at. */
XJL_API int xjl_enrol_double_admissions(xjl_workspace *ws, int year, xjl_listing **out);

/** Double admissions across two systems: the admission lists of the senior
 *  high schools and of the vocational schools as two CSV files (the five
 *  key fields and a school column 学校/school).  An index is built from the
 *  vocational list and every senior row is matched against it with the full
 *  matcher, so a typo on one side does not hide a double admission.  One
 *  row per senior row that is matched or has candidates.  Columns: status
 *  (matched, pending), score, reasons, senior_line, senior_school,
 *  senior_name, senior_gender, senior_birth_date, senior_id_number,
 *  vocational_line, vocational_school, vocational_name, vocational_gender,
 *  vocational_birth_date, vocational_id_number.
 *  @return XJL_OK; XJL_EIO/XJL_EFORMAT/XJL_EENCODING for a file; XJL_ENOMEM. */
XJL_API int xjl_enrol_cross_check(const char *senior_csv, const char *vocational_csv,
                                  xjl_encoding enc, xjl_diag_fn diag, void *user,
                                  xjl_listing **out);

/** Admission statistics of a year: one row per school of the workspace with
 *  its pupils (admitted, archive transferred, transferred in; pending and
 *  cancelled flows are no pupils).  Columns: school, name, identifier, kind,
 *  pupils, counted (1 when the school has an identifier code and at least one
 *  pupil: only those count as schools in the statistics, docs/domain.md §3).
 *  @param schools  if not NULL, receives the number of schools counted */
XJL_API int xjl_enrol_statistics(xjl_workspace *ws, int year, xjl_listing **out, size_t *schools);

/* (end of the enrolment section) */

#endif /* XJL_WITH_WORKSPACE */

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_H */
