/*
 * xjlink/fields.h: the five key fields: names, genders, dates, ID types and numbers, records.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Stable: changes follow the soversion rule of the README.
 */
#ifndef XJLINK_FIELDS_H
#define XJLINK_FIELDS_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

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
    XJL_F_EMPTY = 1,    /**< error: a required field is empty */
    XJL_F_ENCODING = 2, /**< error: not valid UTF-8 */
    XJL_F_TOO_LONG = 3, /**< error: longer than any real value */
    XJL_F_NUL = 4,      /**< error: an embedded NUL byte */
    XJL_F_NAME_PLACEHOLDER =
        5, /**< warning: ?, □, *, or a private-use code point for a rare character */
    XJL_F_NAME_CHARS = 6,        /**< error: digits, symbols or control characters in a name */
    XJL_F_GENDER_VALUE = 7,      /**< error: not a gender code or word */
    XJL_F_DATE_SYNTAX = 8,       /**< error: not a date spelling we know */
    XJL_F_DATE_INVALID = 9,      /**< error: not a calendar date (2019-02-30) */
    XJL_F_DATE_RANGE = 10,       /**< error: outside 1900-01-01 .. 2099-12-31 */
    XJL_F_IDTYPE_VALUE = 11,     /**< error: not an ID document type code or name */
    XJL_F_IDTYPE_INFERRED = 12,  /**< warning: type was empty, inferred from the number */
    XJL_F_ID_MISSING = 13,       /**< warning: no ID number (matching uses the other fields) */
    XJL_F_ID_LENGTH = 14,        /**< error: wrong length for its kind */
    XJL_F_ID_CHARS = 15,         /**< error: characters not allowed in its kind */
    XJL_F_ID_DATE = 16,          /**< error: the birth date inside the number is not a date */
    XJL_F_ID_CHECK = 17,         /**< error: ISO 7064 MOD 11-2 check character wrong */
    XJL_F_ID_REGION = 18,        /**< warning: region code unknown to GB/T 2260 1980-2019 */
    XJL_F_ID_CONVERTED15 = 19,   /**< warning: old 15-digit number, converted to 18 */
    XJL_F_ID_TYPE_MISMATCH = 20, /**< warning: number's form does not fit the document type */
    XJL_F_DOB_MISMATCH = 21,     /**< warning: birth date differs from the one in the ID number */
    XJL_F_GENDER_MISMATCH = 22,  /**< warning: gender differs from the one in the ID number */
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
    XJL_IDTYPE_NONE = 0,             /**< not given */
    XJL_IDTYPE_RESIDENT = '1',       /**< 居民身份证 */
    XJL_IDTYPE_OFFICER = '2',        /**< 军官证 */
    XJL_IDTYPE_SOLDIER = '3',        /**< 士兵证 */
    XJL_IDTYPE_CIVILIAN_CADRE = '4', /**< 文职干部证 */
    XJL_IDTYPE_ARMY_RETIRED = '5',   /**< 部队离退休证 */
    XJL_IDTYPE_HONGKONG = '6',       /**< 香港特区护照/身份证明 */
    XJL_IDTYPE_MACAO = '7',          /**< 澳门特区护照/身份证明 */
    XJL_IDTYPE_TAIWAN = '8',         /**< 台湾居民来往大陆通行证 */
    XJL_IDTYPE_FOREIGN_PR = '9',     /**< 境外永久居住证 */
    XJL_IDTYPE_PASSPORT = 'A',       /**< 护照 */
    XJL_IDTYPE_HOUSEHOLD = 'B',      /**< 户口簿 */
    XJL_IDTYPE_HMT_RESIDENCE = 'C',  /**< 港澳台居民居住证 */
    XJL_IDTYPE_OTHER = 'Z'           /**< 其他 */
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
    XJL_IDKIND_EMPTY = 0,   /**< no number */
    XJL_IDKIND_CITIZEN = 1, /**< 18-character citizen number (or a converted 15-digit one) */
    XJL_IDKIND_HMT = 2,     /**< residence permit for HK/Macao/Taiwan residents (81/82/83) */
    XJL_IDKIND_PR_NEW = 3,  /**< foreigner's permanent residence card, 2023 form (9…) */
    XJL_IDKIND_PR_OLD =
        4, /**< foreigner's permanent residence card, old form (3 letters + 12 digits) */
    XJL_IDKIND_OTHER = 5 /**< any other document: normalised only */
} xjl_id_kind;

#define XJL_ID_MAX 64

/** What an ID number says once read.  Plain data, no ownership. */
typedef struct xjl_id_info {
    char
        normalized[XJL_ID_MAX]; /**< trimmed, ASCII, upper-case, no inner spaces; 15→18 converted */
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
 *  @param buf, cap   output buffer; the result is NUL-terminated and *out_len
 *                    receives its length (written, or needed on XJL_ERANGE)
 *                    (the bindings return the string: out_len is not theirs)
 *  @param findings   if not NULL, receives the bit set of name findings
 *  @return XJL_OK; XJL_ERANGE if cap is too small; XJL_EINVAL if the name is
 *          unusable (an error finding: empty, invalid UTF-8 (the message
 *          gives the byte offset), too long (also when DISPLAY would exceed
 *          XJL_NAME_MAX_BYTES - 1 bytes), an embedded NUL, digits or
 *          symbols), with the reason in *findings and xjl_errmsg().
 *  Thread-safe; well under 1 µs a call, the first one too: the pinyin and
 *  Traditional→Simplified tables are made from ICU's data when the library
 *  is built, not at run time. */
XJL_API int xjl_name_normalize(const char *s, size_t len, xjl_name_form form, char *buf, size_t cap,
                               size_t *out_len, uint32_t *findings);

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
    int32_t birth_date;  /**< day number or XJL_DATE_NONE */
    xjl_id_type id_type; /**< as given, or inferred (XJL_F_IDTYPE_INFERRED) */
    xjl_id_info id;
    uint32_t findings[XJL_FIELD_COUNT]; /**< per field, XJL_FIELD_RECORD for consistency */
    size_t errors;                      /**< number of error findings */
    size_t warnings;                    /**< number of warning findings */
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

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_FIELDS_H */
