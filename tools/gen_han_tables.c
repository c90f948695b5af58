/*
 * Writes the per-code-point Han tables the library reads, from ICU's
 * transliterators, at build time:
 *
 *   gen_han_tables pinyin  OUT   toneless pinyin (lib/fields/pinyin.c), from
 *                                Han-Latin, Han-Latin/Names and lib/fields/pinyin_data.h
 *   gen_han_tables variant OUT   Traditional → Simplified (lib/fields/variant.c),
 *                                from Hant-Hans and the GB 2312 converter
 *   gen_han_tables readings OUT Unihan_Readings.txt.bz2
 *                                every toneless reading of each code point, ranked,
 *                                and the fuzzy-pinyin class of each syllable (pinyin.c)
 *   gen_han_tables shape OUT Unihan_DictionaryLikeData.txt.bz2
 *                                four-corner and Cangjie codes (lib/fields/shape.c)
 *
 * Reading ~27,000 characters through ICU's rule-based transliterators takes
 * 0.4-0.9 s; done on first use, every process (each xjlink run, each Python
 * import, each Dask worker) paid it.  Done here, the library only reads
 * static const arrays and needs no transliterator at all.
 *
 * Both tables cover CJK Unified Ideographs U+4E00-U+9FFF and Extension A
 * U+3400-U+4DBF; everything else stays itself.  Anything ICU does not answer
 * as expected (a transliterator missing, a reading that is no known syllable)
 * fails the build rather than leaving holes in a table.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <unicode/ucnv.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>
#include <unicode/uvernum.h>

#include "pinyin_data.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define TABLE_FIRST 0x3400u
#define TABLE_LAST 0x9FFFu
#define TABLE_SIZE (TABLE_LAST - TABLE_FIRST + 1)
#define TABLE_WORDS ((TABLE_SIZE + 63) / 64)

static const char *out_path;
static FILE *out;

/* Reports what failed, removes the half-written output and stops the build. */
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen_han_tables: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (out) {
        fclose(out);
        remove(out_path);
    }
    exit(1);
}

static void check(UErrorCode err, const char *what)
{
    if (U_FAILURE(err))
        die("%s: %s", what, u_errorName(err));
}

static UTransliterator *open_transliterator(const char *id)
{
    UChar uid[32];
    u_uastrcpy(uid, id);
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    check(err, id);
    return t;
}

/* The one code point of a UTF-8 string of the data lists. */
static uint32_t utf8_cp(const char *s, int32_t *pos)
{
    UChar32 c;
    U8_NEXT(s, *pos, (int32_t)strlen(s), c);
    if (c < (UChar32)TABLE_FIRST || c > (UChar32)TABLE_LAST)
        die("'%s': not a character of the tables' blocks", s);
    return (uint32_t)c;
}

/* Writes n numbers as the body of an array initialiser, 16 a line. */
static void write_numbers(const char *type, const char *name, const void *v, size_t n, int bits)
{
    fprintf(out, "static const %s %s[%zu] = {\n", type, name, n);
    for (size_t i = 0; i < n; i++) {
        uint64_t x = bits == 16   ? ((const uint16_t *)v)[i]
                     : bits == 32 ? ((const uint32_t *)v)[i]
                                  : ((const uint64_t *)v)[i];
        if (bits == 64)
            fprintf(out, "%s0x%016" PRIx64 "u,", i % 4 ? " " : "    ", x);
        else
            fprintf(out, "%s%" PRIu64 ",", i % 16 ? " " : "    ", x);
        if (i % (bits == 64 ? 4 : 16) == (bits == 64 ? 3u : 15u) || i + 1 == n)
            fputc('\n', out);
    }
    fputs("};\n", out);
}

/* ---- pinyin ------------------------------------------------------------- */

static uint16_t syllable_id(const char *s, size_t len)
{
    for (size_t i = 0; i < ARRAY_LEN(syllables_appended); i++)
        if (strncmp(syllables_appended[i], s, len) == 0 && syllables_appended[i][len] == '\0')
            return (uint16_t)(ARRAY_LEN(syllables) + i + 1);
    size_t lo = 0, hi = ARRAY_LEN(syllables);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(syllables[mid], s, len);
        if (c == 0 && syllables[mid][len] != '\0')
            c = 1;
        if (c == 0)
            return (uint16_t)(mid + 1);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static uint16_t known_syllable(const char *s)
{
    uint16_t id = syllable_id(s, strlen(s));
    if (!id)
        die("'%s' of lib/fields/pinyin_data.h is not in its syllable list", s);
    return id;
}

/* Id of one reading as ICU writes it ("lǚ", "shàn"), tones dropped and ü
 * written v; 0 if it is no reading (e.g. the character itself).  A reading
 * in Latin letters that the syllable list lacks stops the build: the ids are
 * fixed by that list, so the list must be extended by hand. */
static uint16_t reading_id(const UChar *s, int32_t len, uint32_t cp)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    UChar dec[64];
    int32_t n = U_SUCCESS(err) ? unorm2_normalize(nfd, s, len, dec, 64, &err) : 0;
    check(err, "NFD of a reading");
    char word[16];
    size_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        UChar c = dec[i];
        if (c == ' ' && k == 0)
            continue; /* Han-Latin/Names puts a space before a name */
        if (c == ' ')
            break;
        if (c >= 'a' && c <= 'z') {
            if (k >= sizeof word - 1)
                die("U+%04X: reading too long for a syllable", (unsigned)cp);
            word[k++] = (char)c;
        } else if (c == 0x0308 && k > 0 && word[k - 1] == 'u') {
            word[k - 1] = 'v'; /* ü: 吕 lv is not 卢 lu */
        } else if (c == 0x0300 || c == 0x0301 || c == 0x0304 || c == 0x030C || c == 0x0302) {
            /* the four tones, and the hat of ê */
        } else {
            return 0;
        }
    }
    if (k == 0)
        return 0;
    uint16_t id = syllable_id(word, k);
    if (!id)
        die("U+%04X: ICU reads '%.*s', which lib/fields/pinyin_data.h's syllable list lacks",
            (unsigned)cp, (int)k, word);
    return id;
}

/* Readings of code points [lo, hi] through t, one per line, into ids[]
 * (in chunks: each replacement moves the rest of the buffer). */
static void transliterate_range(UTransliterator *t, uint32_t lo, uint32_t hi, uint16_t *ids)
{
    enum { CHUNK = 256, CAP = CHUNK * 16 };
    UChar buf[CAP];
    for (uint32_t start = lo; start <= hi; start += CHUNK) {
        uint32_t end = start + CHUNK - 1 < hi ? start + CHUNK - 1 : hi;
        int32_t len = 0;
        for (uint32_t cp = start; cp <= end; cp++) {
            buf[len++] = (UChar)cp; /* the table's blocks are all in the BMP */
            buf[len++] = '\n';
        }
        int32_t limit = len;
        UErrorCode err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, CAP, 0, &limit, &err);
        check(err, "Han-Latin");
        int32_t lines = 0;
        for (int32_t i = 0; i < len; i++)
            lines += buf[i] == '\n';
        if (lines != (int32_t)(end - start + 1))
            die("Han-Latin of U+%04X-U+%04X: %d lines for %u characters", (unsigned)start,
                (unsigned)end, lines, (unsigned)(end - start + 1));
        int32_t line = 0;
        uint32_t cp = start;
        for (int32_t i = 0; i < len && cp <= end; i++) {
            if (buf[i] != '\n')
                continue;
            ids[cp - TABLE_FIRST] = reading_id(buf + line, i - line, cp);
            cp++;
            line = i + 1;
        }
    }
}

/* Reading of cp through t: alone (as a first character) or after 一 (inside
 * a name; the name rules have no left context but the start of a name). */
static uint16_t read_one(UTransliterator *t, uint32_t cp, bool first)
{
    UChar buf[64];
    int32_t len = 0;
    if (!first)
        buf[len++] = 0x4E00;
    buf[len++] = (UChar)cp;
    int32_t limit = len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, 64, 0, &limit, &err);
    check(err, "Han-Latin/Names");
    int32_t from = 0;
    for (int32_t i = 0; i + 1 < len; i++)
        if (buf[i] == ' ')
            from = i + 1;
    return reading_id(buf + from, len - from, cp);
}

struct cp_reading {
    uint32_t cp;
    uint16_t id;
};

struct compound {
    uint32_t cp[2];
    uint16_t id[2];
};

static uint16_t rest_ids[TABLE_SIZE];
/* Generous: ICU 72's name rules mention ~45 characters, the fixes 16. */
static struct cp_reading surnames[256];
static size_t n_surnames;

static void set_surname(uint32_t cp, uint16_t id)
{
    for (size_t i = 0; i < n_surnames; i++) {
        if (surnames[i].cp == cp) {
            surnames[i].id = id;
            return;
        }
    }
    if (n_surnames == ARRAY_LEN(surnames))
        die("more than %zu surname readings", ARRAY_LEN(surnames));
    surnames[n_surnames++] = (struct cp_reading){cp, id};
}

/* Han-Latin/Names is Han-Latin plus a short list of rules for name readings
 * (utrans_toRules shows them).  One pass of plain Han-Latin over the blocks
 * gives the common readings; only the characters those name rules mention
 * are then transliterated again through Han-Latin/Names, once as a first
 * character and once inside a name. */
static void build_name_readings(void)
{
    UTransliterator *t = open_transliterator("Han-Latin/Names");
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = utrans_toRules(t, false, NULL, 0, &err);
    UChar *rules = malloc(((size_t)len + 1) * sizeof *rules);
    if (!rules)
        die("out of memory");
    err = U_ZERO_ERROR;
    len = utrans_toRules(t, false, rules, len + 1, &err);
    check(err, "the rules of Han-Latin/Names");
    for (int32_t i = 0; i < len;) {
        UChar32 c;
        U16_NEXT(rules, i, len, c);
        if (c < (UChar32)TABLE_FIRST || c > (UChar32)TABLE_LAST)
            continue;
        uint32_t cp = (uint32_t)c;
        uint16_t inside = read_one(t, cp, false);
        uint16_t first = read_one(t, cp, true);
        if (inside)
            rest_ids[cp - TABLE_FIRST] = inside;
        if (first && first != rest_ids[cp - TABLE_FIRST])
            set_surname(cp, first);
    }
    free(rules);
    utrans_close(t);
}

static int cmp_reading(const void *a, const void *b)
{
    const struct cp_reading *x = a, *y = b;
    return (x->cp > y->cp) - (x->cp < y->cp);
}

static int cmp_compound(const void *a, const void *b)
{
    const struct compound *x = a, *y = b;
    if (x->cp[0] != y->cp[0])
        return (x->cp[0] > y->cp[0]) - (x->cp[0] < y->cp[0]);
    return (x->cp[1] > y->cp[1]) - (x->cp[1] < y->cp[1]);
}

static void write_pinyin(void)
{
    UTransliterator *t = open_transliterator("Han-Latin");
    transliterate_range(t, TABLE_FIRST, TABLE_LAST, rest_ids);
    utrans_close(t);
    build_name_readings();
    for (size_t i = 0; i < ARRAY_LEN(surname_fixes); i++) {
        int32_t pos = 0;
        set_surname(utf8_cp(surname_fixes[i].han, &pos), known_syllable(surname_fixes[i].reading));
    }
    qsort(surnames, n_surnames, sizeof surnames[0], cmp_reading);

    struct compound compounds[ARRAY_LEN(compound_list)];
    for (size_t i = 0; i < ARRAY_LEN(compound_list); i++) {
        int32_t pos = 0;
        for (int k = 0; k < 2; k++) {
            compounds[i].cp[k] = utf8_cp(compound_list[i].han, &pos);
            compounds[i].id[k] = known_syllable(compound_list[i].reading[k]);
        }
    }
    qsort(compounds, ARRAY_LEN(compounds), sizeof compounds[0], cmp_compound);

    fprintf(out,
            "/* Generated by tools/gen_han_tables.c from ICU %s (Han-Latin, Han-Latin/Names)\n"
            " * and lib/fields/pinyin_data.h.  Syllable ids are positions + 1 in its list. */\n"
            "#define PINYIN_FIRST 0x%04Xu\n#define PINYIN_LAST 0x%04Xu\n\n"
            "/* The reading of each code point inside a name; 0: none. */\n",
            U_ICU_VERSION, TABLE_FIRST, TABLE_LAST);
    write_numbers("uint16_t", "pinyin_rest_ids", rest_ids, TABLE_SIZE, 16);
    fputs("\n/* Code points read otherwise as the first character of a name, by code point. */\n"
          "static const struct pinyin_surname {\n    uint32_t cp;\n    uint16_t id;\n"
          "} pinyin_surnames[] = {\n",
          out);
    for (size_t i = 0; i < n_surnames; i++)
        fprintf(out, "    {0x%04X, %u},\n", (unsigned)surnames[i].cp, surnames[i].id);
    fputs("};\n\n/* Compound surnames, by their two code points. */\n"
          "static const struct pinyin_compound {\n    uint32_t cp[2];\n    uint16_t id[2];\n"
          "} pinyin_compounds[] = {\n",
          out);
    for (size_t i = 0; i < ARRAY_LEN(compounds); i++)
        fprintf(out, "    {{0x%04X, 0x%04X}, {%u, %u}},\n", (unsigned)compounds[i].cp[0],
                (unsigned)compounds[i].cp[1], compounds[i].id[0], compounds[i].id[1]);
    fputs("};\n", out);
}

/* ---- Unihan: every reading, and shapes --------------------------------- */

/* The whole of a .bz2 file, NUL-terminated. */
static char *read_bz2(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: cannot open", path);
    int err = BZ_OK;
    BZFILE *bz = BZ2_bzReadOpen(&err, f, 0, 0, NULL, 0);
    if (err != BZ_OK)
        die("%s: not a bzip2 file", path);
    size_t cap = 1 << 24, n = 0;
    char *buf = malloc(cap);
    while (buf && err == BZ_OK) {
        if (cap - n < 1 << 20) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
            if (!buf)
                break;
        }
        n += (size_t)BZ2_bzRead(&err, bz, buf + n, (int)(cap - n - 1));
    }
    if (!buf)
        die("out of memory");
    if (err != BZ_STREAM_END)
        die("%s: bzip2 error %d", path, err);
    BZ2_bzReadClose(&err, bz);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Calls fn(cp, field, value) for each line "U+XXXX<TAB>field<TAB>value" of a
 * Unihan file whose code point is in the tables' blocks (the lines are cut
 * in place). */
static void each_unihan(char *text, void (*fn)(uint32_t, const char *, char *))
{
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (line[0] == 'U' && line[1] == '+') {
            char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
            if (!tab2)
                die("Unihan line '%s': not code point, field and value", line);
            *tab1 = *tab2 = '\0';
            unsigned long cp = strtoul(line + 2, NULL, 16);
            if (cp >= TABLE_FIRST && cp <= TABLE_LAST)
                fn((uint32_t)cp, tab1 + 1, tab2 + 1);
        }
        if (!end)
            break;
        line = end + 1;
    }
}

/* Ranked readings per code point while reading the file: primary first
 * (ICU's, what xjl__pinyin_of gives), then by source rank (below). */
enum { MAX_READINGS = 15, SOURCES = 5 };
static uint16_t readings[TABLE_SIZE][MAX_READINGS];
static uint8_t n_readings[TABLE_SIZE];
/* kHanyuPinlu gives each reading's count in a corpus: the readings it
 * knows are ranked by that count, before the dictionaries' others. */
static uint16_t pinlu[TABLE_SIZE][MAX_READINGS];
static uint32_t pinlu_count[TABLE_SIZE][MAX_READINGS];
static uint8_t n_pinlu[TABLE_SIZE];

static void add_reading(uint16_t (*to)[MAX_READINGS], uint8_t *n, uint32_t cp, uint16_t id)
{
    uint32_t k = cp - TABLE_FIRST;
    for (uint8_t i = 0; i < n[k]; i++)
        if (to[k][i] == id)
            return;
    if (n[k] == MAX_READINGS)
        die("U+%04X: more than %d readings", (unsigned)cp, MAX_READINGS);
    to[k][n[k]++] = id;
}

static uint16_t utf8_reading(const char *s, size_t len, uint32_t cp)
{
    UChar u[64];
    int32_t n = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(u, 64, &n, s, (int32_t)len, &err);
    check(err, "a Unihan reading");
    uint16_t id = reading_id(u, n, cp);
    if (!id)
        die("U+%04X: Unihan reading '%.*s' is no syllable", (unsigned)cp, (int)len, s);
    return id;
}

/* Readings of one source: kMandarin ("bǎi bó"), kHanyuPinlu ("zhǒng(3481)
 * zhòng(285)"), or a dictionary's "page.pos:r1,r2 page.pos:r3" (kTGHZ2013,
 * kXHC1983). */
static void unihan_reading(uint32_t cp, const char *field, char *value)
{
    static const char *const ranked[] = {"kMandarin", "kTGHZ2013", "kXHC1983"};
    bool is_pinlu = strcmp(field, "kHanyuPinlu") == 0, known = is_pinlu;
    for (size_t i = 0; i < ARRAY_LEN(ranked); i++)
        known = known || strcmp(field, ranked[i]) == 0;
    if (!known)
        return;
    for (char *tok = strtok(value, " "); tok; tok = strtok(NULL, " ")) {
        char *colon = strchr(tok, ':');
        char *r = colon ? colon + 1 : tok;
        while (*r) {
            size_t len = strcspn(r, ",(");
            if (len == 1 && r[0] == 'r') { /* kHanyuPinlu's 儿化 suffix (儿 r): no syllable */
                r += strcspn(r, ",");
                r += *r == ',';
                continue;
            }
            uint16_t id = utf8_reading(r, len, cp);
            if (is_pinlu) {
                uint32_t k = cp - TABLE_FIRST;
                add_reading(pinlu, n_pinlu, cp, id);
                uint32_t count = r[len] == '(' ? (uint32_t)strtoul(r + len + 1, NULL, 10) : 0;
                for (uint8_t i = 0; i < n_pinlu[k]; i++)
                    if (pinlu[k][i] == id)
                        pinlu_count[k][i] += count; /* tones merged: counts add */
            } else {
                add_reading(readings, n_readings, cp, id);
            }
            r += len;
            if (*r == '(')
                r += strcspn(r, ",");
            if (*r == ',')
                r++;
        }
    }
}

/* Source rank of the fields, for a stable ranking across files: Unihan's
 * lines come in code point order, then field order, which is alphabetical
 * (kHanyuPinlu, kHanyuPinyin, kMandarin, kTGHZ2013, kXHC1983) — not the
 * rank wanted — so each field is read in its own pass, best first. */
static const char *pass_field;
static void unihan_reading_pass(uint32_t cp, const char *field, char *value)
{
    if (strcmp(field, pass_field) == 0)
        unihan_reading(cp, field, value);
}

/* The fuzzy form of a syllable: z/zh c/ch s/sh, n/l and f/h as one
 * initial; in/ing, en/eng, an/ang (and so ian/iang, uan/uang) as one final. */
static void fuzzy_text(const char *s, char *out)
{
    const char *rest = s;
    char *d = out;
    if ((s[0] == 'z' || s[0] == 'c' || s[0] == 's') && s[1] == 'h') {
        *d++ = s[0];
        rest = s + 2;
    } else if (s[0] == 'l' && s[1]) {
        *d++ = 'n'; /* l → n; the syllabic "n", "ng" stay themselves */
        rest = s + 1;
    } else if (s[0] == 'h' && s[1] && s[1] != 'm' && s[1] != 'n') {
        *d++ = 'f'; /* h → f; not the interjections hm, hng */
        rest = s + 1;
    }
    strcpy(d, rest);
    size_t n = strlen(out);
    if (n >= 4 && strcmp(out + n - 3, "ing") == 0)
        out[n - 1] = '\0';
    else if (n >= 4 && strcmp(out + n - 3, "eng") == 0)
        out[n - 1] = '\0';
    else if (n >= 4 && strcmp(out + n - 3, "ang") == 0)
        out[n - 1] = '\0';
    else if (n == 3 && (strcmp(out, "ang") == 0 || strcmp(out, "eng") == 0))
        out[n - 1] = '\0';
}

static const char *syllable_of(uint16_t id)
{
    return id <= ARRAY_LEN(syllables) ? syllables[id - 1]
                                      : syllables_appended[id - 1 - ARRAY_LEN(syllables)];
}

static void write_readings(const char *unihan)
{
    /* The primary reading first: ICU's, what the key of today is made of. */
    UTransliterator *t = open_transliterator("Han-Latin");
    transliterate_range(t, TABLE_FIRST, TABLE_LAST, rest_ids);
    utrans_close(t);
    build_name_readings();
    size_t len;
    char *text = read_bz2(unihan, &len);
    char *copy = malloc(len + 1);
    if (!copy)
        die("out of memory");
    /* Not kHanyuPinyin (汉语大字典): it records every reading a character
     * ever had, archaic ones included (于 wéi, 王 yù, 任 lìn), and with them
     * 于杰 and 王杰, 任琪桐 and 林淇彤 agree on pinyin; among millions of
     * records born on one day such pairs offer new pupils a stranger. The
     * modern sources cover every character a name may use: 通用规范汉字字典
     * is the dictionary of the standard character list names are written in,
     * and kMandarin gives a reading to nearly every other code point. */
    static const char *const passes[] = {"kHanyuPinlu", "kMandarin", "kTGHZ2013", "kXHC1983"};
    for (size_t p = 0; p < ARRAY_LEN(passes); p++) {
        memcpy(copy, text, len + 1);
        pass_field = passes[p];
        each_unihan(copy, unihan_reading_pass);
    }
    free(copy);
    free(text);

    /* The list of each code point: the primary reading, kHanyuPinlu's by
     * count, then the dictionaries' in the passes' order; the primary is not
     * stored (pinyin_rest_ids has it). */
    static uint16_t more[TABLE_SIZE * 4];
    static uint16_t start[TABLE_SIZE + 1];
    size_t n_more = 0, with_more = 0, max_more = 0;
    for (uint32_t k = 0; k < TABLE_SIZE; k++) {
        start[k] = (uint16_t)n_more;
        uint16_t list[2 * MAX_READINGS + 1];
        size_t n = 0;
        if (rest_ids[k])
            list[n++] = rest_ids[k];
        /* kHanyuPinlu's by count, highest first (insertion sort: a few) */
        for (uint8_t i = 1; i < n_pinlu[k]; i++)
            for (uint8_t j = i; j > 0 && pinlu_count[k][j] > pinlu_count[k][j - 1]; j--) {
                uint32_t c = pinlu_count[k][j];
                uint16_t id = pinlu[k][j];
                pinlu_count[k][j] = pinlu_count[k][j - 1];
                pinlu[k][j] = pinlu[k][j - 1];
                pinlu_count[k][j - 1] = c;
                pinlu[k][j - 1] = id;
            }
        for (uint8_t i = 0; i < n_pinlu[k]; i++)
            list[n++] = pinlu[k][i];
        for (uint8_t i = 0; i < n_readings[k]; i++)
            list[n++] = readings[k][i];
        size_t kept = 0;
        for (size_t i = rest_ids[k] ? 1 : 0; i < n; i++) {
            bool dup = rest_ids[k] && list[i] == list[0];
            for (size_t j = 0; j < i && !dup; j++)
                dup = list[j] == list[i];
            if (dup)
                continue;
            if (n_more == ARRAY_LEN(more))
                die("more than %zu extra readings", ARRAY_LEN(more));
            more[n_more++] = list[i];
            kept++;
        }
        with_more += kept > 0;
        max_more = kept > max_more ? kept : max_more;
        if (n_more > UINT16_MAX)
            die("%zu extra readings: more than a uint16_t start can index", n_more);
    }
    start[TABLE_SIZE] = (uint16_t)n_more;

    /* Fuzzy class of every syllable: the lowest id with the same fuzzy form. */
    size_t n_syl = ARRAY_LEN(syllables) + ARRAY_LEN(syllables_appended);
    uint16_t fuzzy[ARRAY_LEN(syllables) + ARRAY_LEN(syllables_appended) + 1];
    fuzzy[0] = 0;
    for (size_t id = 1; id <= n_syl; id++) {
        char a[16], b[16];
        fuzzy_text(syllable_of((uint16_t)id), a);
        fuzzy[id] = (uint16_t)id;
        for (size_t j = 1; j < id; j++) {
            fuzzy_text(syllable_of((uint16_t)j), b);
            if (strcmp(a, b) == 0) {
                fuzzy[id] = (uint16_t)j;
                break;
            }
        }
    }

    fprintf(out,
            "/* Generated by tools/gen_han_tables.c from ICU %s (Han-Latin) and Unihan\n"
            " * (kHanyuPinlu, kMandarin, kTGHZ2013, kXHC1983): %zu code points\n"
            " * have readings besides their primary one, %zu at most. */\n"
            "#define READINGS_FIRST 0x%04Xu\n#define READINGS_LAST 0x%04Xu\n"
            "#define READINGS_MORE_MAX %zu\n\n"
            "/* Code point k's other readings are readings_more[readings_start[k] ..\n"
            " * readings_start[k + 1]), most common first. */\n",
            U_ICU_VERSION, with_more, max_more, TABLE_FIRST, TABLE_LAST, max_more);
    write_numbers("uint16_t", "readings_start", start, TABLE_SIZE + 1, 16);
    fputc('\n', out);
    write_numbers("uint16_t", "readings_more", more, n_more, 16);
    fputs("\n/* Fuzzy class of each syllable id (index 0: none). */\n", out);
    write_numbers("uint16_t", "readings_fuzzy", fuzzy, n_syl + 1, 16);
}

/* Shape codes per code point: bits 0-24 the Cangjie code's letters (5 bits
 * each, A = 1), bits 25-27 its length; bit 50 set when a four-corner code is
 * known, bits 36-49 its four digits, bits 32-35 its extra digit + 1 (0: none). */
static uint64_t shapes[TABLE_SIZE];

static void unihan_shape(uint32_t cp, const char *field, char *value)
{
    uint64_t *s = &shapes[cp - TABLE_FIRST];
    if (strcmp(field, "kCangjie") == 0) {
        size_t n = strlen(value);
        if (n == 0 || n > 5)
            die("U+%04X: Cangjie code '%s' not 1-5 letters", (unsigned)cp, value);
        uint64_t code = 0;
        for (size_t i = 0; i < n; i++) {
            if (value[i] < 'A' || value[i] > 'Z')
                die("U+%04X: Cangjie code '%s' not letters", (unsigned)cp, value);
            code |= (uint64_t)(value[i] - 'A' + 1) << (5 * i);
        }
        *s |= code | (uint64_t)n << 25;
    } else if (strcmp(field, "kFourCornerCode") == 0 && !(*s >> 50 & 1)) {
        /* Several codes: the first, the one dictionaries file it under. */
        char *v = value;
        int digits = 0;
        for (int i = 0; i < 4; i++)
            digits = digits * 10 + (v[i] >= '0' && v[i] <= '9' ? v[i] - '0' : -100000);
        if (digits < 0)
            die("U+%04X: four-corner code '%s' not four digits", (unsigned)cp, value);
        int extra = v[4] == '.' && v[5] >= '0' && v[5] <= '9' ? v[5] - '0' + 1 : 0;
        *s |= (uint64_t)1 << 50 | (uint64_t)digits << 36 | (uint64_t)extra << 32;
    }
}

static void write_shape(const char *unihan)
{
    size_t len;
    char *text = read_bz2(unihan, &len);
    each_unihan(text, unihan_shape);
    free(text);
    fprintf(out,
            "/* Generated by tools/gen_han_tables.c from Unihan (kCangjie, kFourCornerCode). */\n"
            "#define SHAPE_FIRST 0x%04Xu\n#define SHAPE_LAST 0x%04Xu\n\n"
            "/* Cangjie code (bits 0-27) and four-corner code (bits 32-50) per code point. */\n",
            TABLE_FIRST, TABLE_LAST);
    write_numbers("uint64_t", "shape_codes", shapes, TABLE_SIZE, 64);
}

/* ---- Traditional → Simplified ------------------------------------------ */

/* Standard characters of their own in the 通用规范汉字表 that ICU folds and
 * GB 2312 lacks: 瞭 (瞭望), 蘋 (白蘋), 氾 (the surname and 氾水), 昇 (names). */
static const char *const restored_standard[] = {"瞭", "蘋", "氾", "昇"};

/* True if cp is encodable in GB 2312 (ICU's EUC-CN converter, no fallbacks). */
static bool in_gb2312(UConverter *conv, uint32_t cp)
{
    UChar u[2];
    int32_t n = 0;
    U16_APPEND_UNSAFE(u, n, cp);
    char bytes[8];
    UErrorCode err = U_ZERO_ERROR;
    ucnv_resetFromUnicode(conv);
    int32_t len = ucnv_fromUChars(conv, bytes, sizeof bytes, u, n, &err);
    return U_SUCCESS(err) && len == 2;
}

/* Single code point result of folding cp alone, or cp itself. */
static uint32_t fold_one(UTransliterator *t, uint32_t cp)
{
    UChar buf[16];
    int32_t len = 0;
    U16_APPEND_UNSAFE(buf, len, cp);
    int32_t limit = len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, ARRAY_LEN(buf), 0, &limit, &err);
    check(err, "Hant-Hans");
    if (len == 0)
        return cp;
    int32_t i = 0;
    UChar32 c;
    U16_NEXT(buf, i, len, c);
    return i == len ? (uint32_t)c : cp; /* several characters: not a fold */
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The table is a bitmap of the changed code points with a rank per 64-bit
 * word, and their targets in code point order; ambiguous folds are the ones
 * whose source is itself in GB 2312, the character set of simplified
 * Chinese, or one of restored_standard. */
static void write_variant(void)
{
    UTransliterator *t = open_transliterator("Hant-Hans");
    UErrorCode err = U_ZERO_ERROR;
    USet *source = uset_openEmpty();
    utrans_getSourceSet(t, false, source, &err);
    check(err, "the source set of Hant-Hans");
    UConverter *gb = ucnv_open("GB2312", &err);
    check(err, "GB2312 converter");
    ucnv_setFromUCallBack(gb, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    check(err, "GB2312 converter");

    static uint64_t changed_bits[TABLE_WORDS];
    static uint16_t changed_rank[TABLE_WORDS];
    static uint16_t targets[TABLE_SIZE];
    static uint32_t ambiguous[TABLE_SIZE];
    size_t n_targets = 0, n_ambiguous = 0;
    /* The source set iterates in code point order, which is the order the
     * rank lookup wants the targets in. */
    int32_t n = uset_size(source);
    for (int32_t i = 0; i < n; i++) {
        UChar32 c = uset_charAt(source, i);
        if (c < (UChar32)TABLE_FIRST || c > (UChar32)TABLE_LAST)
            continue;
        uint32_t cp = (uint32_t)c, to = fold_one(t, cp);
        if (to == cp || to > 0xFFFF)
            continue; /* Simplified targets are all in the BMP */
        uint32_t k = cp - TABLE_FIRST;
        changed_bits[k / 64] |= UINT64_C(1) << (k % 64);
        targets[n_targets++] = (uint16_t)to;
        if (in_gb2312(gb, cp))
            ambiguous[n_ambiguous++] = cp;
    }
    ucnv_close(gb);
    uset_close(source);
    utrans_close(t);

    uint16_t rank = 0;
    for (uint32_t w = 0; w < TABLE_WORDS; w++) {
        changed_rank[w] = rank;
        rank = (uint16_t)(rank + __builtin_popcountll(changed_bits[w]));
    }
    for (size_t i = 0; i < ARRAY_LEN(restored_standard); i++) {
        int32_t pos = 0;
        uint32_t cp = utf8_cp(restored_standard[i], &pos), k = cp - TABLE_FIRST;
        bool changed = changed_bits[k / 64] >> (k % 64) & 1;
        bool listed = false;
        for (size_t j = 0; j < n_ambiguous; j++)
            listed = listed || ambiguous[j] == cp;
        if (changed && !listed)
            ambiguous[n_ambiguous++] = cp;
    }
    qsort(ambiguous, n_ambiguous, sizeof ambiguous[0], cmp_u32);
    if (n_targets == 0 || n_ambiguous == 0)
        die("Hant-Hans changes no character of the tables' blocks");

    fprintf(out,
            "/* Generated by tools/gen_han_tables.c from ICU %s (Hant-Hans, GB2312). */\n"
            "#define VARIANT_FIRST 0x%04Xu\n#define VARIANT_LAST 0x%04Xu\n\n"
            "/* Bit k of word k / 64: code point VARIANT_FIRST + k changes. */\n",
            U_ICU_VERSION, TABLE_FIRST, TABLE_LAST);
    write_numbers("uint64_t", "variant_changed_bits", changed_bits, TABLE_WORDS, 64);
    fputs("\n/* Changed code points before each word. */\n", out);
    write_numbers("uint16_t", "variant_changed_rank", changed_rank, TABLE_WORDS, 16);
    fputs("\n/* The Simplified form of each changed code point, in code point order. */\n", out);
    write_numbers("uint16_t", "variant_targets", targets, n_targets, 16);
    fputs("\n/* Traditional code points whose fold is a distinct name of its own, sorted. */\n",
          out);
    write_numbers("uint32_t", "variant_ambiguous", ambiguous, n_ambiguous, 32);
}

int main(int argc, char **argv)
{
    void (*write)(void) = NULL;
    void (*write_from)(const char *) = NULL;
    if (argc == 3 && strcmp(argv[1], "pinyin") == 0)
        write = write_pinyin;
    else if (argc == 3 && strcmp(argv[1], "variant") == 0)
        write = write_variant;
    else if (argc == 4 && strcmp(argv[1], "readings") == 0)
        write_from = write_readings;
    else if (argc == 4 && strcmp(argv[1], "shape") == 0)
        write_from = write_shape;
    if (!write && !write_from) {
        fprintf(stderr, "usage: gen_han_tables pinyin|variant OUTPUT.h\n"
                        "       gen_han_tables readings|shape OUTPUT.h UNIHAN_FILE.txt.bz2\n");
        return 2;
    }
    out_path = argv[2];
    out = fopen(out_path, "w");
    if (!out) {
        perror(out_path);
        return 1;
    }
    if (write)
        write();
    else
        write_from(argv[3]);
    if (ferror(out) | fclose(out)) {
        out = NULL;
        remove(out_path);
        die("%s: write error", out_path);
    }
    u_cleanup();
    return 0;
}
