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
#include <string.h>

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
/* The findings that are errors (xjl_finding_is_error), as one bit set, so
 * that "does this field have an error" is one AND on the hot path.
 * test_error checks it against the findings table. */
#define XJL_ERROR_FINDINGS                                                                       \
    (XJL_FINDING_BIT(XJL_F_EMPTY) | XJL_FINDING_BIT(XJL_F_ENCODING) |                            \
     XJL_FINDING_BIT(XJL_F_TOO_LONG) | XJL_FINDING_BIT(XJL_F_NUL) |                              \
     XJL_FINDING_BIT(XJL_F_NAME_CHARS) | XJL_FINDING_BIT(XJL_F_GENDER_VALUE) |                   \
     XJL_FINDING_BIT(XJL_F_DATE_SYNTAX) | XJL_FINDING_BIT(XJL_F_DATE_INVALID) |                  \
     XJL_FINDING_BIT(XJL_F_DATE_RANGE) | XJL_FINDING_BIT(XJL_F_IDTYPE_VALUE) |                   \
     XJL_FINDING_BIT(XJL_F_ID_LENGTH) | XJL_FINDING_BIT(XJL_F_ID_CHARS) |                        \
     XJL_FINDING_BIT(XJL_F_ID_DATE) | XJL_FINDING_BIT(XJL_F_ID_CHECK))

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
/* The same, with the two cases of every name and key field decoded inline:
 * ASCII and a valid 3-byte sequence (all of CJK).  A call across files costs
 * more than the decoding itself on the hot path of every record; anything
 * else (2- and 4-byte forms, every invalid byte) goes to xjl__utf8_next. */
static inline int32_t xjl__utf8_next_fast(const char *str, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = *pos;
    unsigned c = s[i];
    if (c < 0x80) {
        *pos = i + 1;
        return (int32_t)c;
    }
    if ((c & 0xF0) == 0xE0 && len - i > 2 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        /* overlong forms and surrogates: the slow path rejects them */
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *pos = i + 3;
            return (int32_t)cp;
        }
    }
    return xjl__utf8_next(str, len, pos);
}
/* Appends cp as UTF-8 to buf (at least 4 bytes free); returns bytes written.
 * Inline: every name writes each of its characters three times (DISPLAY,
 * BARE, SIMPLIFIED), and the call cost more than the encoding. */
static inline size_t xjl__utf8_put(char *buf, uint32_t cp)
{
    unsigned char *b = (unsigned char *)buf;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
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

/* True for what stands for a rare character the typist could not enter (?,
 * □, ■, *, U+FFFD, 〓, private use): the one definition, shared by the
 * finding and by the grading of candidates. */
bool xjl__is_placeholder(uint32_t cp);

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

/* Whether the 8 bytes at p are all ASCII digits: the high nibble of each is
 * 3 and adding 6 to the low one carries into no high nibble (no byte
 * carries into the next: 0x3F + 6 < 0x100).  ID numbers are read and packed
 * eight digits at a time with it (idcard.c, index.c). */
static inline bool xjl__digits8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    const uint64_t high = UINT64_C(0xF0F0F0F0F0F0F0F0), threes = UINT64_C(0x3030303030303030);
    return (w & high) == threes && ((w + UINT64_C(0x0606060606060606)) & high) == threes;
}

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
/* xjl__field_text's result without its work when the value needs none (ASCII
 * and CJK ideographs, only ASCII spaces around it: nearly every value): *text
 * then points into s and t is left unset.  Otherwise t is filled by
 * xjl__field_text and *text is t->text.  *text holds *n bytes, not
 * necessarily NUL-terminated.  Returns what xjl__field_text would. */
int xjl__field_view(const char *s, size_t len, size_t max, struct xjl_field_text *t,
                    const char **text, size_t *n);
/* Tests only: true turns off the fast paths of the key field parsers, so that
 * a test can compare both ways on the same input.  Never set by the library. */
extern bool xjl__fast_paths_off;

/* XJL_F_NONE if year-month-day is a calendar date within 1900-01-01 ..
 * 2099-12-31, else XJL_F_DATE_INVALID or XJL_F_DATE_RANGE. */
int xjl__date_check(int year, int month, int day);
/* xjl__date_check, and the day number of a date that passes it in *days
 * (left alone otherwise): what xjl_date_from_ymd gives, without checking
 * the date twice. */
int xjl__date_read(int year, int month, int day, int32_t *days);

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
/* The same with the fields' lengths in bytes (name, gender, birth date, ID
 * type, ID number: the order of xjl_record), as a CSV reader knows them. */
void xjl__record_read_n(const xjl_record *rec, const size_t *lens, struct xjl_key_input *out);


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
    XJL_ENTRY_SEPARATED = 1u << 6,   /* DISPLAY name has separators (· or spaces) */
};

/* One registry record, packed (48 bytes: a registry of millions is mostly
 * these).  What only grading a candidate needs (the SIMPLIFIED form, the
 * code points) is derived again from the BARE name in the arena. */
struct xjl_entry {
    uint64_t id64;     /* packed ID number (above) */
    uint64_t bare_h;   /* XXH3 of the BARE name */
    uint64_t py_h;     /* XXH3 of the pinyin syllable ids (Latin: of the words sorted) */
    uint32_t name_off; /* arena offset of the BARE name, NUL-terminated */
    uint32_t rid_off;  /* arena offset of the record id, NUL-terminated */
    int32_t dob;       /* birth date (day number) or XJL_DATE_NONE */
    int32_t id_dob;    /* birth date inside the ID number or XJL_DATE_NONE */
    uint8_t gender;
    uint8_t id_type;
    uint8_t id_kind;
    uint8_t flags;     /* XJL_ENTRY_* */
    uint32_t name_count; /* registry records with this BARE name (≥ 1; set by the build) */
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
/* The 18 characters of a packed citizen-form number (index.c). */
void xjl__id_unpack(uint64_t id64, char out[19]);
/* Worker threads for a request (0: all cores), at most 256 (index.c). */
unsigned xjl__threads(unsigned requested);
/* Key hashes for the search tables (index.c). */
uint64_t xjl__key_id(const struct xjl_entry *e, const char *id_text);
uint64_t xjl__key_name_date(uint64_t name_h, int32_t date);
/* The arena string of an entry (index.c). */
const char *xjl__index_str(const xjl_index *ix, uint32_t off);
const struct xjl_entry *xjl__index_entries(const xjl_index *ix, size_t *n);
bool xjl__index_is_built(const xjl_index *ix);
/* Appends a copy of the record at pos of src (packed fields and strings, no
 * reading again) to dst, which is not built; record_id NULL keeps src's id.
 * dedup.c builds one index per block this way. */
int xjl__index_copy_entry(xjl_index *dst, const xjl_index *src, size_t pos, const char *record_id);
/* Opens a registry file as xjl_index_add_csv() reads it: the reader (*out,
 * to close), the key columns and the column of the record id (-1: the row
 * number is the id).  Errors as xjl_index_add_csv(). */
int xjl__registry_open(const char *path, xjl_encoding enc, const char *id_column, xjl_csv **out,
                       int cols[5], int *idcol);
/* Whether the current row of a registry file loads, by the rules of
 * xjl_index_add_csv() (as many fields as the header, no NUL byte in a key
 * field or the id); a row that does not is reported to diag (if not NULL). */
bool xjl__index_row_loads(xjl_csv *csv, size_t ncols, const int cols[5], int idcol,
                          const char *path, xjl_diag_fn diag, void *user);

/* Probes one search table: calls fn for each position whose key hash equals
 * key (at most limit positions); returns the number of positions visited. */
enum xjl_table { XJL_T_ID = 0, XJL_T_PINYIN = 1, XJL_T_RID = 2, XJL_T_COUNT = 3 };
size_t xjl__index_probe(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                        void (*fn)(void *ctx, uint32_t pos), void *ctx);
/* The same in steps, for a search that prefetches: the bucket of key holds
 * the positions pos[*from .. *to) (at most limit of them). */
void xjl__index_prefetch(const xjl_index *ix, enum xjl_table t, uint64_t key);
const uint32_t *xjl__index_bucket(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                                  uint32_t *from, uint32_t *to);

/* compare.c: the agreement level of each field (an xjl_level). */
struct xjl_levels {
    uint8_t name, gender, dob, type, id;
};
void xjl__compare(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                  struct xjl_levels *out);
/* Day and month swapped: the day number, or XJL_DATE_NONE if not a date or d == m. */
int32_t xjl__date_swap(int32_t days);

/* match.c, for the duplicate check (dedup.c): matching the records at
 * positions from..to-1 of the matcher's index against that index.  Each
 * record is taken from its packed entry, not read again; its candidates,
 * levels and scores are those xjl_matcher_match() gives for the record's
 * own text, except that the record itself is left out and no field blocks
 * the query (a registry record with, say, an unreadable gender is still
 * compared: others find it by the fields it has).  fn is called for every
 * candidate of every record that want (if not NULL) accepts before it is
 * graded, whatever its score, in position order; five tells whether the
 * pair agrees on all five normalised key fields.  w is per-thread scratch. */
struct xjl_match_scratch;
struct xjl_match_scratch *xjl__match_scratch_new(const xjl_matcher *m);
void xjl__match_scratch_free(struct xjl_match_scratch *w);
typedef void (*xjl_candidate_fn)(void *ctx, uint32_t self, uint32_t pos,
                                 const struct xjl_levels *lv, double score, bool five);
typedef bool (*xjl_candidate_want_fn)(void *ctx, uint32_t self, uint32_t pos);
int xjl__match_positions(const xjl_matcher *m, struct xjl_match_scratch *w, uint32_t from,
                         uint32_t to, xjl_candidate_want_fn want, xjl_candidate_fn fn, void *ctx);
/* The reasons text of a pair's levels, "id=typo name=exact dob=exact gender=exact type=exact"
 * (at most 80 bytes with the NUL). */
void xjl__levels_text(const struct xjl_levels *lv, char buf[80]);

/* ---- workflow: listing.c, codes.c, store.c (intake.c and enrol.c use them) - */

/* listing.c: a listing is filled row by row; cells are copied. */
xjl_listing *xjl__listing_new(size_t ncols, const char *const *names);
long xjl__listing_add_row(xjl_listing *t);
int xjl__listing_set(xjl_listing *t, size_t r, size_t c, const char *s, size_t len);

/* codes.c */
bool xjl__alpha3_known(const char *code);
/* Column of each supplement field in a CSV header (-1 if absent). */
void xjl__sfield_columns(const xjl_csv *csv, int cols[XJL_SF_COUNT]);

/* The 17 supplement values of one registry record or one row's supplement
 * (heap strings, NULL for empty), with its identity. */
struct xjl_srec {
    int64_t id;      /* registry rowid, or the intake row id */
    char *record_id; /* registry record id */
    char *v[XJL_SF_COUNT];
    int state;       /* supplement: 1 draft, 2 done */
};
void xjl__srec_clear(struct xjl_srec *r);

/* Supplement states and review stages of an intake row. */
enum { XJL__SUPPL_NONE = 0, XJL__SUPPL_DRAFT = 1, XJL__SUPPL_DONE = 2 };
enum { XJL__REVIEW_OPEN = 0, XJL__REVIEW_SUBMITTED = 1, XJL__REVIEW_RETURNED = 2,
       XJL__REVIEW_APPROVED = 3 };

/* One intake row as stored (heap strings). */
struct xjl_row {
    int64_t id, batch, registry_id; /* registry_id 0: none */
    long line;
    char *school;
    char *key[5];  /* the five key fields as the school gave them (xjl_field order) */
    char *id_key;  /* normalised citizen number, for duplicate checks; NULL if none */
    int status;    /* xjl_row_status */
    int supplement, review;
    bool deleted;
    double score;
    char *reasons, *number, *note;
};
void xjl__row_clear(struct xjl_row *r);

struct xjl_row_cand {
    int64_t registry_id;
    double score;
    const char *reasons;
};

/* store.c: the only file with SQL.  Every function returns XJL_OK or a
 * negative code with the message set (XJL_EBUSY when another process held
 * the file past the busy timeout, XJL_EDB for any other SQLite failure). */
struct xjl_store;
int xjl__store_open(struct xjl_store **out, const char *path);
void xjl__store_close(struct xjl_store *st);
int xjl__store_version(const struct xjl_store *st);
int xjl__store_set_busy_timeout(struct xjl_store *st, int ms);
int xjl__store_set_operator(struct xjl_store *st, const char *op);
const char *xjl__store_operator(const struct xjl_store *st);
/* A write transaction (BEGIN IMMEDIATE: waits for other writers up front). */
int xjl__store_begin(struct xjl_store *st);
/* A read transaction: a consistent snapshot for several reads. */
int xjl__store_begin_read(struct xjl_store *st);
int xjl__store_commit(struct xjl_store *st);
void xjl__store_rollback(struct xjl_store *st);
int xjl__store_check(struct xjl_store *st);
int xjl__store_audit(struct xjl_store *st, const char *action, const char *object,
                     int64_t object_id, const char *detail);
int xjl__store_audit_table(struct xjl_store *st, const char *object, int64_t object_id,
                           xjl_listing **out);
/* Generation counters ("registry", "pool"): bumped by every load that
 * changed the table, so that an in-memory index knows when it is stale. */
int xjl__store_generation(struct xjl_store *st, const char *key, int64_t *out);
int xjl__store_generation_bump(struct xjl_store *st, const char *key);

int xjl__store_school_set(struct xjl_store *st, const char *code, const char *name,
                          int32_t region, const char *identifier);
/* Adds the school with only its code if it is not known yet. */
int xjl__store_school_ensure(struct xjl_store *st, const char *code);
/* *region = 0 if the school is unknown or has none. */
int xjl__store_school_region(struct xjl_store *st, const char *code, int32_t *region);
int xjl__store_school_table(struct xjl_store *st, xjl_listing **out);

/* outcome: 0 inserted, 1 updated, 2 unchanged. */
int xjl__store_registry_put(struct xjl_store *st, const char *record_id,
                            char *const v[XJL_SF_COUNT], const char *source, long line,
                            int *outcome);
int xjl__store_registry_count(struct xjl_store *st, int64_t *out);
int xjl__store_registry_get(struct xjl_store *st, int64_t id, struct xjl_srec *out);
int xjl__store_registry_find(struct xjl_store *st, const char *record_id, int64_t *id);
int xjl__store_registry_table(struct xjl_store *st, const char *record_id, xjl_listing **out);
typedef int (*xjl__registry_fn)(void *user, int64_t id, const char *record_id,
                                const xjl_record *rec);
int xjl__store_registry_scan(struct xjl_store *st, xjl__registry_fn fn, void *user);

int xjl__store_batch_add(struct xjl_store *st, const char *kind, const char *school,
                         const char *source, size_t rows, int64_t *id);

int xjl__store_row_get(struct xjl_store *st, int64_t id, struct xjl_row *out);
int xjl__store_row_insert(struct xjl_store *st, struct xjl_row *r);
int xjl__store_row_update(struct xjl_store *st, const struct xjl_row *r);
int xjl__store_row_delete(struct xjl_store *st, int64_t id);
/* The live row of the school with this citizen number, or *row_id = 0. */
int xjl__store_row_find_idkey(struct xjl_store *st, const char *school, const char *id_key,
                              int64_t *row_id);
/* Ids of the school's live rows in import order; free(*ids). */
int xjl__store_row_ids(struct xjl_store *st, const char *school, int64_t **ids, size_t *n);
int xjl__store_candidates_set(struct xjl_store *st, int64_t row_id,
                              const struct xjl_row_cand *c, size_t n);
/* The registry id of the row's candidate with this record id, or XJL_ENOTFOUND. */
int xjl__store_candidate_find(struct xjl_store *st, int64_t row_id, const char *record_id,
                              int64_t *registry_id);
int xjl__store_history_add(struct xjl_store *st, int64_t row_id, const char *action,
                           int from_status, int to_status, const char *detail);
int xjl__store_rows_table(struct xjl_store *st, const char *school, int status, int64_t row_id,
                          xjl_listing **out);
int xjl__store_candidates_table(struct xjl_store *st, int64_t row_id, xjl_listing **out);
int xjl__store_history_table(struct xjl_store *st, int64_t row_id, xjl_listing **out);

int xjl__store_suppl_get(struct xjl_store *st, int64_t row_id, struct xjl_srec *out,
                         bool *exists);
int xjl__store_suppl_put(struct xjl_store *st, int64_t row_id, char *const v[XJL_SF_COUNT]);
/* The holder of a national student number anywhere in the workspace
 * (deleted rows too: a number is never given twice), or *owner = 0. */
int xjl__store_number_owner(struct xjl_store *st, const char *number, int64_t *owner);

/* ---- enrolment: graduates, quotas, admission flows (store.c, enrol.c) ---- */

struct xjl_grad {
    int64_t id;
    char *number;  /* national student number, the key */
    char *key[5];  /* the five key fields, canonical */
    char *school;
    int32_t region; /* county of the graduate's school, or 0 */
    int stage;      /* the stage finished: XJL_SCHOOL_PRIMARY or XJL_SCHOOL_JUNIOR */
    bool graduated, archived, deleted;
};
void xjl__grad_clear(struct xjl_grad *g);

enum { XJL__ADM_PENDING = 0, XJL__ADM_ADMITTED = 1, XJL__ADM_CANCELLED = 2, XJL__ADM_DONE = 3,
       XJL__ADM_MOVED = 4 };
const char *xjl__admission_state_name(int state);

struct xjl_adm {
    int64_t id, graduate_id, conflict, from;
    char *school;
    int year, route, state;
    int kind; /* the school's kind (read only) */
    bool deleted;
    char *note;
};
void xjl__adm_clear(struct xjl_adm *a);

int xjl__store_school_kind_set(struct xjl_store *st, const char *school, int kind);
int xjl__store_school_info(struct xjl_store *st, const char *school, int32_t *region, int *kind,
                           bool *exists);
int xjl__store_grad_find(struct xjl_store *st, const char *number, struct xjl_grad *out);
int xjl__store_grad_get(struct xjl_store *st, int64_t id, struct xjl_grad *out);
int xjl__store_grad_put(struct xjl_store *st, const struct xjl_grad *g, const char *source,
                        long line, int *outcome);
int xjl__store_grad_set_archived(struct xjl_store *st, int64_t id, bool archived);
int xjl__store_grad_delete(struct xjl_store *st, int64_t id);
int xjl__store_grad_scan(struct xjl_store *st, xjl__registry_fn fn, void *user);
int xjl__store_grad_table(struct xjl_store *st, const char *number, xjl_listing **out);
int xjl__store_quota_set(struct xjl_store *st, const char *school, int year, int64_t quota);
int xjl__store_quota_get(struct xjl_store *st, const char *school, int year, int64_t *quota,
                         bool *exists);
int xjl__store_quota_used(struct xjl_store *st, const char *school, int year, int64_t *used);
int xjl__store_qreq_add(struct xjl_store *st, const char *school, int year, int64_t before,
                        int64_t requested, const char *reason, int64_t *id);
/* *school is heap (free it); state is "open", "approved" or "rejected". */
int xjl__store_qreq_get(struct xjl_store *st, int64_t id, char **school, int *year,
                        int64_t *requested, char state[16]);
int xjl__store_qreq_open(struct xjl_store *st, const char *school, int year, int64_t *id);
int xjl__store_qreq_decide(struct xjl_store *st, int64_t id, const char *state);
int xjl__store_qreq_table(struct xjl_store *st, const char *school, xjl_listing **out);
int xjl__store_adm_insert(struct xjl_store *st, struct xjl_adm *a);
int xjl__store_adm_get(struct xjl_store *st, int64_t id, struct xjl_adm *out);
int xjl__store_adm_update(struct xjl_store *st, const struct xjl_adm *a);
int xjl__store_adm_delete(struct xjl_store *st, int64_t id);
/* The graduate's live (not deleted) admission flows; free with xjl__adm_free_list. */
int xjl__store_adm_of_grad(struct xjl_store *st, int64_t graduate_id, struct xjl_adm **out,
                           size_t *n);
void xjl__adm_free_list(struct xjl_adm *a, size_t n);
/* One flow (id > 0) or the school's flows of a year. */
int xjl__store_adm_table(struct xjl_store *st, const char *school, int year, int64_t id,
                         xjl_listing **out);
int xjl__store_double_table(struct xjl_store *st, int year, xjl_listing **out);
int xjl__store_stats_table(struct xjl_store *st, int year, xjl_listing **out);

/* intake.c: an index over a table of the workspace, kept by the handle and
 * rebuilt when the table's generation moved. */
typedef int (*xjl__scan_fn)(struct xjl_store *st, xjl__registry_fn fn, void *user);
struct xjl_ixcache {
    xjl_index *ix;
    xjl_matcher *m;
    int64_t gen;
    int64_t *pos_id; /* index position -> row id of the table */
    size_t n, cap;
};
/* Call inside a transaction, so that the generation and the rows agree. */
int xjl__ixcache_ensure(struct xjl_ixcache *c, struct xjl_store *st, const char *gen_key,
                        xjl__scan_fn scan);
void xjl__ixcache_drop(struct xjl_ixcache *c);
/* Row id of an index position, or 0. */
int64_t xjl__ixcache_id(const struct xjl_ixcache *c, size_t pos);
/* The workspace handle's index of the graduate pool (enrol.c). */
struct xjl_ixcache *xjl__ws_pool(xjl_workspace *ws);

/* intake.c: reports a bad value of the current CSV row to diag (if any). */
void xjl__diag_row(xjl_diag_fn diag, void *user, const xjl_csv *csv, const char *column,
                   const char *value, const char *message);
/* True if the current row has as many fields as the header; else reported. */
bool xjl__row_width_ok(const xjl_csv *csv, xjl_diag_fn diag, void *user);

/* Loads every row of an open CSV file into a table of the workspace in one
 * transaction (registry, graduates).  row() reads, checks and writes one
 * row: XJL_OK with *outcome (0 inserted, 1 updated, 2 unchanged), 1 for a
 * bad row it reported, or a negative error that aborts the load.  The
 * driver counts, bumps the generation gen_key when something changed,
 * records the batch and the audit entry, commits, and closes csv. */
struct xjl_loader {
    const char *kind;    /* batch kind and audit object, e.g. "registry" */
    const char *action;  /* audit action, e.g. "load-registry" */
    const char *gen_key; /* generation to bump */
    int (*row)(void *ctx, struct xjl_store *st, const xjl_csv *csv, xjl_diag_fn diag,
               void *user, xjl_load_report *r, int *outcome);
};
int xjl__load_csv(struct xjl_store *st, xjl_csv *csv, const struct xjl_loader *loader,
                  void *ctx, xjl_diag_fn diag, void *user, xjl_load_report *rep);

/* intake.c: the workspace handle as the other workflow files see it. */
struct xjl_store *xjl__ws_store(xjl_workspace *ws);
/* Asks the host's hooks whether process ("intake", "enrol") may run today:
 * XJL_OK or XJL_EPOLICY with the reason. */
int xjl__ws_policy(xjl_workspace *ws, const char *process);
int32_t xjl__ws_today(const xjl_workspace *ws);
/* Names of the supplement states and review stages (for tables). */
const char *xjl__supplement_name(int state);
const char *xjl__review_name(int review);
/* Fills buf with 4 random decimal digits (and a NUL). */
int xjl__random_digits(char buf[5]);

#endif /* XJL_INTERNAL_H */
