/*
 * fields: reading the five key fields (names, gender, dates, ID types, ID
 * numbers) and a record of them.  Knows text; knows nothing of registries,
 * files or workspaces.
 */
#ifndef XJL_FIELDS_H
#define XJL_FIELDS_H

#include "util/util.h"

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
    uint32_t findings;      /* bit set of name findings */
    bool latin;             /* written in Latin letters (foreign names) */
    bool has_placeholder;   /* contains ?, □, *, U+FFFD or a private-use code point */
    bool variant_ambiguous; /* the T→S fold changed a character that is also a name of its own (乾,
                               於, 徵) */
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
/* Most readings xjl__pinyin_readings() gives one code point. */
#define XJL_PY_READINGS_MAX 16
/* Every toneless reading of cp, most common first, into out; returns how
 * many (≥ 1).  out[0] is primary (what xjl__pinyin_name gave the position:
 * a compound surname's reading, the surname reading, the common one), then
 * xjl__pinyin_of(cp, first), the reading inside a name, and every other
 * reading the Unicode Han Database knows (docs/han-data.md). */
size_t xjl__pinyin_readings(uint32_t cp, bool first, uint32_t primary,
                            uint32_t out[XJL_PY_READINGS_MAX]);
/* Fuzzy-pinyin class of a syllable id: one id for z/zh, c/ch, s/sh, n/l, f/h
 * and in/ing, en/eng, an/ang (ian/iang, uan/uang) alike; a literal stays
 * itself. */
uint32_t xjl__pinyin_fuzzy(uint32_t syllable);

/* shape.c: true if a and b (different Simplified code points) look alike:
 * the same four-corner code, the same Cangjie code, or Cangjie codes of the
 * same length (3 or more) one letter apart (docs/han-data.md). */
bool xjl__lookalike(uint32_t a, uint32_t b);

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
    size_t len;                         /* bytes in text */
    size_t raw_len;                     /* bytes of the input */
    size_t bad_at;                      /* offset in the input of the NUL or invalid UTF-8 byte */
    bool ascii;                         /* text is pure ASCII */
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
 * a test can compare both ways on the same input.  It exists only in the
 * library the tests build with XJL_TESTING (lib/meson.build): in every other
 * build it is the constant false, and the hot paths do not read it. */
#ifdef XJL_TESTING
extern bool xjl__fast_paths_off;
#else
#define xjl__fast_paths_off false
#endif

/* XJL_F_NONE if year-month-day is a calendar date within 1900-01-01 ..
 * 2099-12-31, else XJL_F_DATE_INVALID or XJL_F_DATE_RANGE. */
int xjl__date_check(int year, int month, int day);
/* xjl__date_check, and the day number of a date that passes it in *days
 * (left alone otherwise): what xjl_date_from_ymd gives, without checking
 * the date twice. */
int xjl__date_read(int year, int month, int day, int32_t *days);

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

#endif /* XJL_FIELDS_H */
