/*
 * Internal interfaces between the stages of lib/.  Nothing here is exported
 * (the library is built with hidden visibility); tests link the static
 * library and may call these too.
 */
#ifndef XJL_INTERNAL_H
#define XJL_INTERNAL_H

#include "xjlink.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define XJL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define XJL_LIKELY(x) __builtin_expect(!!(x), 1)
#define XJL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define XJL_PRINTF(a, b)
#define XJL_LIKELY(x) (x)
#define XJL_UNLIKELY(x) (x)
#endif

#define XJL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- error.c ------------------------------------------------------------ */

/* Records a detailed message for xjl_errmsg() in this thread and returns code,
 * so that a failure reads `return xjl__fail(XJL_EINVAL, "...", ...);`. */
int xjl__fail(int code, const char *fmt, ...) XJL_PRINTF(2, 3);
/* Clears the thread's message (a successful call does not have to). */
void xjl__clear_error(void);
/* Copies src (length len, XJL_NTS allowed) into buf as a NUL-terminated
 * string; the XJL_ERANGE convention of the public API. */
int xjl__copy_out(const char *src, size_t len, char *buf, size_t cap, size_t *out_len);

/* ---- utf8.c ------------------------------------------------------------- */

/* Decodes one code point at s[*pos] (len bytes in all), advancing *pos.
 * Returns the code point, or -1 for an invalid or truncated sequence
 * (overlong forms and surrogates are invalid); *pos then points at the bad byte. */
int32_t xjl__utf8_next(const char *s, size_t len, size_t *pos);
/* Appends cp as UTF-8 to buf (at least 4 bytes free); returns bytes written. */
size_t xjl__utf8_put(char *buf, uint32_t cp);
/* Length of s when len is XJL_NTS. */
size_t xjl__len(const char *s, size_t len);
/* Byte offset of the first invalid UTF-8 sequence, or (size_t)-1 if valid. */
size_t xjl__utf8_invalid_at(const char *s, size_t len);

/* ---- normalize.c, pinyin.c, variant.c ----------------------------------- */

#define XJL_NAME_MAX_CPS XJL_NAME_MAX_BYTES

/* Pinyin syllable ids are small numbers; a Han character without a reading
 * (or any non-Han code point) is kept as itself with this bit set. */
#define XJL_PY_LITERAL 0x80000000u

/* All forms of one name, computed in one pass: what the matcher and the
 * index need, without any allocation. */
struct xjl_name_forms {
    char display[XJL_NAME_MAX_BYTES];
    char bare[XJL_NAME_MAX_BYTES];
    char simplified[XJL_NAME_MAX_BYTES];
    uint16_t display_len, bare_len, simplified_len;
    /* Code points of the SIMPLIFIED form and their pinyin (one per code point). */
    uint32_t cps[XJL_NAME_MAX_CPS];
    uint32_t pinyin[XJL_NAME_MAX_CPS];
    uint16_t ncps;
    uint32_t findings;     /* bit set of name findings */
    bool latin;            /* written in Latin letters (foreign names) */
    bool has_placeholder;  /* contains ?, □, *, U+FFFD or a private-use code point */
    bool variant_ambiguous;/* the T→S fold changed a character that is also a name of its own (乾, 於, 徵) */
};

/* Fills every form of the name.  Returns XJL_OK, or XJL_EINVAL when the name
 * is unusable (an error finding; the message says which and where). */
int xjl__name_forms(const char *s, size_t len, struct xjl_name_forms *out);

/* pinyin.c: toneless syllable id of a code point, reading it as a surname
 * when first is true; XJL_PY_LITERAL|cp when it has no reading. */
uint32_t xjl__pinyin_of(uint32_t cp, bool first);
/* Text of a syllable id ("zhang", "lv"); NULL for a literal. */
const char *xjl__pinyin_text(uint32_t syllable);
/* Pinyin of a name's code points (its SIMPLIFIED form), n ids into out: the
 * first read as a surname, a compound surname (万俟 mo qi) as one when the
 * name has three characters or more. */
void xjl__pinyin_name(const uint32_t *cps, size_t n, uint32_t *out);
/* True if c0 c1 (Simplified) is a compound surname (欧阳, 司马, 万俟). */
bool xjl__compound_surname(uint32_t c0, uint32_t c1);

/* variant.c: Simplified form of one code point (itself if none). */
uint32_t xjl__simplify(uint32_t cp);
/* True for Traditional characters whose fold lands on a character that is a
 * distinct name of its own (乾→干, 於→于, 徵→征): such a fold is a variant, never equal. */
bool xjl__simplify_is_ambiguous(uint32_t cp);

/* ---- fieldtext.c, date.c: the short key fields ---------------------------- */

/* Longest gender, date, ID type or ID number accepted, in bytes once the
 * surrounding white space is trimmed (longer: XJL_F_TOO_LONG). */
#define XJL_FIELD_MAX_BYTES 64

/* A short key field as the parsers see it: checked, full-width forms folded
 * to ASCII, U+3000 folded to a space, surrounding white space trimmed. */
struct xjl_field_text {
    char text[XJL_FIELD_MAX_BYTES + 1]; /* NUL-terminated */
    size_t len;     /* bytes in text */
    size_t raw_len; /* bytes of the input */
    size_t bad_at;  /* offset in the input of the NUL or invalid UTF-8 byte */
    bool ascii;     /* text is pure ASCII */
};

/* Reads s (len bytes, or XJL_NTS; NULL is empty) into out, accepting at most
 * max (<= XJL_FIELD_MAX_BYTES) trimmed bytes.  Returns XJL_F_NONE, or the
 * finding that makes it unreadable: XJL_F_NUL, XJL_F_TOO_LONG,
 * XJL_F_ENCODING, XJL_F_EMPTY.  Never allocates. */
int xjl__field_text(const char *s, size_t len, size_t max, struct xjl_field_text *out);
/* Sets the thread's message for a field that has the finding, saying which
 * field and which value (or where the bad byte is); returns XJL_EINVAL. */
int xjl__field_fail(const char *field, const struct xjl_field_text *t, int finding);

/* XJL_F_NONE if year-month-day is a calendar date within 1900-01-01 ..
 * 2099-12-31, else XJL_F_DATE_INVALID or XJL_F_DATE_RANGE. */
int xjl__date_check(int year, int month, int day);

/* ---- region.c ------------------------------------------------------------ */

/* True if the 6-digit code was in GB/T 2260 in any revision 1980-2019. */
bool xjl__region_known(int32_t code);

/* ---- record.c ------------------------------------------------------------ */

/* Everything the matcher needs of one record: parsed fields and name forms. */
struct xjl_key_input {
    xjl_parsed parsed;
    struct xjl_name_forms name;
    bool name_ok;
};
void xjl__record_read(const xjl_record *rec, struct xjl_key_input *out);


/* ---- index.c, compare.c, match.c -------------------------------------------
 *
 * Below this line the matcher knows only packed keys: no UTF-8 string is
 * touched on the hot path except a registry name when a candidate is graded
 * "one character differs".
 */

/* ID numbers packed in 64 bits.  A number of the citizen form (17 digits and
 * a check character, whatever its kind or validity) packs as
 * digits17 * 11 + check + 1; any other number is kept in the arena and the
 * value is its offset with XJL_ID_IN_ARENA set.  0 means "no number". */
#define XJL_ID_IN_ARENA (1ull << 63)

enum {
    XJL_ENTRY_NAME_OK = 1u << 0,     /* name usable */
    XJL_ENTRY_ID_VALID = 1u << 1,    /* ID number without error findings */
    XJL_ENTRY_ID_CITIZEN = 1u << 2,  /* a valid number of the citizen scheme (1/B/C class) */
    XJL_ENTRY_LATIN = 1u << 3,       /* name in Latin letters */
    XJL_ENTRY_PLACEHOLDER = 1u << 4, /* name has a rare-character placeholder */
    XJL_ENTRY_AMBIGUOUS = 1u << 5,   /* name's T→S fold is ambiguous (乾/干) */
};

/* One registry record, packed (64 bytes). */
struct xjl_entry {
    uint64_t id64;     /* packed ID number (above) */
    uint64_t bare_h;   /* XXH3 of the BARE name */
    uint64_t simp_h;   /* XXH3 of the SIMPLIFIED name (Latin: of its words sorted) */
    uint64_t py_h;     /* XXH3 of the pinyin syllable ids (Latin: as simp_h) */
    uint32_t disp_h;   /* low half of XXH3 of the DISPLAY name */
    uint32_t name_off; /* arena offset of the BARE name, NUL-terminated */
    uint32_t rid_off;  /* arena offset of the record id, NUL-terminated */
    int32_t dob;       /* birth date (day number) or XJL_DATE_NONE */
    int32_t id_dob;    /* birth date inside the ID number or XJL_DATE_NONE */
    uint8_t gender;
    uint8_t id_type;
    uint8_t id_kind;
    uint8_t flags;     /* XJL_ENTRY_* */
    uint32_t findings; /* findings of the ID number and of the record's consistency
                        * (findings[XJL_FIELD_ID_NUMBER] | findings[XJL_FIELD_RECORD]):
                        * the duplicate check reports wrong ID numbers from them */
};

/* The query side: the same packed fields plus the forms of its name. */
struct xjl_query {
    struct xjl_key_input in;
    struct xjl_entry e;      /* name_off/rid_off unused */
    char id_text[XJL_ID_MAX];/* normalised number, for the arena-kept kinds */
};

/* Fills the packed fields of e from a read record (index.c).  Strings are
 * not stored: the caller places the BARE name and the ID text. */
void xjl__entry_pack(const struct xjl_key_input *in, struct xjl_entry *e);
/* Key hashes for the search tables (index.c). */
uint64_t xjl__key_id(const struct xjl_entry *e, const char *id_text);
uint64_t xjl__key_name_date(uint64_t name_h, int32_t date);
/* The arena string of an entry (index.c). */
const char *xjl__index_str(const xjl_index *ix, uint32_t off);
const struct xjl_entry *xjl__index_entries(const xjl_index *ix, size_t *n);
bool xjl__index_is_built(const xjl_index *ix);
/* Records with this BARE name in the registry (at least 1 for a registry name). */
uint32_t xjl__index_name_count(const xjl_index *ix, uint64_t bare_h);
/* Appends a copy of the record at pos of src (packed fields and strings, no
 * reading again) to dst, which is not built; record_id NULL keeps src's id.
 * dedup.c builds one index per block this way. */
int xjl__index_copy_entry(xjl_index *dst, const xjl_index *src, size_t pos, const char *record_id);
/* The column that holds the record id, by the rules of xjl_index_add_csv(), or -1. */
int xjl__index_id_column(xjl_csv *csv, const char *id_column);

/* Probes one search table: calls fn for each position whose key hash equals
 * key (at most limit positions); returns the number of positions visited. */
enum xjl_table { XJL_T_ID = 0, XJL_T_PINYIN = 1, XJL_T_RID = 2, XJL_T_COUNT = 3 };
size_t xjl__index_probe(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                        void (*fn)(void *ctx, uint32_t pos), void *ctx);

/* compare.c: the agreement level of each field (an xjl_level). */
struct xjl_levels {
    uint8_t name, gender, dob, type, id;
};
void xjl__compare(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                  struct xjl_levels *out);
/* Day and month swapped: the day number, or XJL_DATE_NONE if not a date or d == m. */
int32_t xjl__date_swap(int32_t days);

/* match.c, for the duplicate check (dedup.c): matching a record that is
 * already in the matcher's index against that index.  The record is taken
 * from its packed entry, not read again; its candidates, levels and scores
 * are those xjl_matcher_match() gives for the record's own text, except
 * that the record itself is left out and no field blocks the query (a
 * registry record with, say, an unreadable gender is still compared: others
 * find it by the fields it has).  fn is called for every candidate, whatever
 * its score, in position order; five tells whether the pair agrees on all
 * five normalised key fields.  s is per-thread scratch. */
struct xjl_match_scratch;
struct xjl_match_scratch *xjl__match_scratch_new(const xjl_matcher *m);
void xjl__match_scratch_free(struct xjl_match_scratch *s);
typedef void (*xjl_candidate_fn)(void *ctx, uint32_t pos, const struct xjl_levels *lv,
                                 double score, bool five);
int xjl__match_position(const xjl_matcher *m, struct xjl_match_scratch *s, uint32_t pos,
                        xjl_candidate_fn fn, void *ctx);
/* The reasons text of a pair's levels, "id=typo name=exact dob=exact gender=exact type=exact"
 * (at most 80 bytes with the NUL). */
void xjl__levels_text(const struct xjl_levels *lv, char buf[80]);

#endif /* XJL_INTERNAL_H */
