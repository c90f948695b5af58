/*
 * Names: every form the matcher compares, computed in one pass.
 *
 *   input  → validate (length, NUL, UTF-8) → NFKC → classify each code point
 *          → DISPLAY (separators decided, Latin case-folded)
 *          → BARE (no separators) → SIMPLIFIED (variant.c) → pinyin (pinyin.c)
 *
 * NFKC goes through ICU, but the common name is CJK ideographs and ASCII,
 * which NFKC leaves alone: such a name never pays for the UTF-16 round trip.
 * Everything works on code points, never bytes, so Ext B characters (𠮷) and
 * private-use placeholders are one character each like any other.
 *
 * Separators.  NFKC does not unify the look-alikes of the middle dot that
 * minority names use (阿依古丽·买买提), so every one of them folds to U+00B7.
 * A space or hyphen between two Han parts is either that separator typed
 * another way or a space between surname and given name (王 小明, 欧阳 娜娜).
 * The rule: it is a minority-name separator (→ ·) when both parts have at
 * least two Han characters (a placeholder counts as one), together at least
 * five, and the left part is not a compound surname; otherwise it is dropped.  Surname plus given
 * name is at most 2 + 2 (欧阳 娜娜, 4) or 1 + 3 in practice, while transliterated minority names
 * are long (热依拉 木沙 is 5, 阿依古丽 买买提 7).  Getting it wrong only changes DISPLAY: BARE has
 * no separators.  A name without Han characters (a foreign name in Latin letters) keeps one space
 * between words instead, and its hyphens and apostrophes (jean-pierre, o'brien); in a name with Han
 * characters an apostrophe is an error (XJL_F_NAME_CHARS).
 */
#include "fields/fields.h"

#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

/* What one code point (after NFKC) is to a name. */
enum name_class {
    C_BAD,         /* digits, symbols, other punctuation, controls */
    C_HAN,         /* a Han character */
    C_LETTER,      /* a letter (or mark) of another script */
    C_PLACEHOLDER, /* stands for a character the typist could not enter */
    C_SPACE,       /* whitespace: removed, or a word separator */
    C_DOT,         /* the middle dot and its look-alikes */
    C_DASH,        /* hyphens and dashes */
    C_APOS,        /* apostrophes, part of a Latin name */
    C_IGNORE       /* zero-width and other default-ignorable code points */
};

/* The longest DISPLAY form, keeping room for its NUL. */
#define DISPLAY_MAX (XJL_NAME_MAX_BYTES - 1)
/* NFKC may expand a character (㈱ is three); more than this is too long anyway. */
#define NFKC_MAX_CPS (4 * XJL_NAME_MAX_BYTES)

static const uint8_t ascii_class[128] = {
    ['\t'] = C_SPACE, ['\n'] = C_SPACE,      ['\v'] = C_SPACE,      ['\f'] = C_SPACE,
    ['\r'] = C_SPACE, [' '] = C_SPACE,       ['.'] = C_DOT,         ['-'] = C_DASH,
    ['\''] = C_APOS,  ['?'] = C_PLACEHOLDER, ['*'] = C_PLACEHOLDER, ['A'] = C_LETTER,
    ['B'] = C_LETTER, ['C'] = C_LETTER,      ['D'] = C_LETTER,      ['E'] = C_LETTER,
    ['F'] = C_LETTER, ['G'] = C_LETTER,      ['H'] = C_LETTER,      ['I'] = C_LETTER,
    ['J'] = C_LETTER, ['K'] = C_LETTER,      ['L'] = C_LETTER,      ['M'] = C_LETTER,
    ['N'] = C_LETTER, ['O'] = C_LETTER,      ['P'] = C_LETTER,      ['Q'] = C_LETTER,
    ['R'] = C_LETTER, ['S'] = C_LETTER,      ['T'] = C_LETTER,      ['U'] = C_LETTER,
    ['V'] = C_LETTER, ['W'] = C_LETTER,      ['X'] = C_LETTER,      ['Y'] = C_LETTER,
    ['Z'] = C_LETTER, ['a'] = C_LETTER,      ['b'] = C_LETTER,      ['c'] = C_LETTER,
    ['d'] = C_LETTER, ['e'] = C_LETTER,      ['f'] = C_LETTER,      ['g'] = C_LETTER,
    ['h'] = C_LETTER, ['i'] = C_LETTER,      ['j'] = C_LETTER,      ['k'] = C_LETTER,
    ['l'] = C_LETTER, ['m'] = C_LETTER,      ['n'] = C_LETTER,      ['o'] = C_LETTER,
    ['p'] = C_LETTER, ['q'] = C_LETTER,      ['r'] = C_LETTER,      ['s'] = C_LETTER,
    ['t'] = C_LETTER, ['u'] = C_LETTER,      ['v'] = C_LETTER,      ['w'] = C_LETTER,
    ['x'] = C_LETTER, ['y'] = C_LETTER,      ['z'] = C_LETTER,
    /* everything else is C_BAD (0): digits, symbols, controls */
};

/* Ideograph blocks that NFKC leaves alone (the compatibility ideographs
 * U+F900.. and U+2F800.. are not among them: NFKC maps those). */
static inline bool is_han_block(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2EBEF) ||
           (c >= 0x30000 && c <= 0x323AF);
}

/* True if NFKC certainly leaves a string made of such code points as it is:
 * ASCII, U+00B7 and the ideograph blocks have no decomposition, do not
 * compose, and have combining class 0.  Anything else goes through ICU. */
static inline bool nfkc_inert(uint32_t c)
{
    return c < 0x80 || c == 0x00B7 || is_han_block(c);
}

static enum name_class classify(uint32_t c);

bool xjl__is_placeholder(uint32_t cp)
{
    return classify(cp) == C_PLACEHOLDER;
}

static enum name_class classify(uint32_t c)
{
    if (c < 0x80)
        return (enum name_class)ascii_class[c];
    if (is_han_block(c))
        return C_HAN;
    switch (c) {
    /* The middle dot family (after NFKC: U+FF0E is '.', U+FF65 is U+30FB,
     * U+0387 is U+00B7; listed anyway).  。 is what '.' gives in a Chinese
     * input method, so it is a dot typed there. */
    case 0x00B7:
    case 0x0387:
    case 0x16EB:
    case 0x2022:
    case 0x2024:
    case 0x2027:
    case 0x2219:
    case 0x22C5:
    case 0x2E31:
    case 0x30FB:
    case 0xA78F:
    case 0xFF0E:
    case 0xFF65:
    case 0x3002:
    case 0xFF61:
    case 0xFE52:
        return C_DOT;
    /* Placeholders for a character that could not be typed: ? ？ * ＊ □ ■ �
     * and 〓 (the geta mark printers use for a missing glyph). */
    case 0xFF1F:
    case 0xFF0A:
    case 0x25A1:
    case 0x25A0:
    case 0xFFFD:
    case 0x3013:
        return C_PLACEHOLDER;
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0xFF07:
        return C_APOS;
    case 0x2212: /* minus sign typed for a hyphen */
        return C_DASH;
    default:
        break;
    }
    if (u_isUWhiteSpace((UChar32)c))
        return C_SPACE;
    if (u_hasBinaryProperty((UChar32)c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
        return C_IGNORE; /* U+200B-U+200D, U+2060, U+FEFF, soft hyphen, variation selectors */
    UErrorCode err = U_ZERO_ERROR;
    if (uscript_getScript((UChar32)c, &err) == USCRIPT_HAN)
        return C_HAN; /* 々, 〇, radicals */
    switch (u_charType((UChar32)c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
        return C_LETTER;
    case U_DASH_PUNCTUATION:
        return C_DASH;
    case U_PRIVATE_USE_CHAR: /* U+E000-U+F8FF and planes 15-16 */
        return C_PLACEHOLDER;
    case U_UNASSIGNED:
        /* Planes 2 and 3 hold only ideographs: one newer than this ICU is still one. */
        return (c >= 0x20000 && c <= 0x3FFFF) ? C_HAN : C_BAD;
    default:
        return C_BAD;
    }
}

static bool is_mark(uint32_t c)
{
    int8_t t = u_charType((UChar32)c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

static bool is_latin_letter(uint32_t c)
{
    if (c < 0x80)
        return true; /* classify() said letter */
    UErrorCode err = U_ZERO_ERROR;
    return uscript_getScript((UChar32)c, &err) == USCRIPT_LATIN;
}

static uint32_t case_fold(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return (uint32_t)u_foldCase((UChar32)c, U_FOLD_CASE_DEFAULT);
}

/* A character case-folded; ideographs have no case (no ICU call for them). */
static uint32_t fold_letter(uint32_t c)
{
    return is_han_block(c) ? c : case_fold(c);
}

/* The value for a message: its first 48 characters at most, controls shown
 * as \uXXXX, cut on a character boundary.  cap must be at least 16. */
static void quote_value(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = 0, pos = 0;
    for (int shown = 0; pos < len && shown < 48 && n + 8 < cap; shown++) {
        size_t at = pos;
        int32_t c = xjl__utf8_next(s, len, &pos);
        if (c < 0x20 || c == 0x7F) { /* controls (and anything invalid) */
            if (c < 0)
                pos = at + 1;
            n += (size_t)snprintf(buf + n, cap - n, "\\u%04X", c < 0 ? 0xFFFD : (unsigned)c);
            continue;
        }
        memcpy(buf + n, s + at, pos - at);
        n += pos - at;
    }
    if (pos < len && n + 4 <= cap) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
}

static int name_fail(struct xjl_name_forms *out, int finding, const char *fmt, ...)
    XJL_PRINTF(3, 4);
static int name_fail(struct xjl_name_forms *out, int finding, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    out->findings |= XJL_FINDING_BIT(finding);
    out->display_len = out->bare_len = out->simplified_len = 0;
    out->display[0] = out->bare[0] = out->simplified[0] = '\0';
    out->ncps = 0;
    return xjl__fail(XJL_EINVAL, "name: %s", msg);
}

/* NFKC of in[0..n) into out (at most cap code points); false if too long. */
static bool nfkc(const uint32_t *in, size_t n, uint32_t *out, size_t cap, size_t *n_out)
{
    UChar src[2 * NFKC_MAX_CPS];
    UChar dst[2 * NFKC_MAX_CPS];
    int32_t len = 0;
    for (size_t i = 0; i < n; i++)
        U16_APPEND_UNSAFE(src, len, in[i]);
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *norm = unorm2_getNFKCInstance(&err);
    int32_t span = U_SUCCESS(err) ? unorm2_spanQuickCheckYes(norm, src, len, &err) : len;
    const UChar *res = src;
    int32_t res_len = len;
    if (U_SUCCESS(err) && span < len) {
        memcpy(dst, src, (size_t)span * sizeof *dst);
        res_len = unorm2_normalizeSecondAndAppend(norm, dst, span, XJL_ARRAY_LEN(dst), src + span,
                                                  len - span, &err);
        res = dst;
    }
    if (err == U_BUFFER_OVERFLOW_ERROR)
        return false;
    if (U_FAILURE(err)) { /* no normalisation data: go on with the input as it is */
        res = src;
        res_len = len;
    }
    size_t k = 0;
    for (int32_t i = 0; i < res_len;) {
        UChar32 c;
        U16_NEXT(res, i, res_len, c);
        if (k == cap)
            return false;
        out[k++] = (uint32_t)c;
    }
    *n_out = k;
    return true;
}

/* Appends cp to a form of at most DISPLAY_MAX bytes; false if it overflows. */
static inline bool put(char *buf, uint16_t *len, uint32_t cp)
{
    /* The length first, then the bytes straight into buf: a copy through a
     * temporary of variable length was a libc memcpy call per character. */
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (*len + n > DISPLAY_MAX)
        return false;
    xjl__utf8_put(buf + *len, cp); /* buf holds DISPLAY_MAX + 1 bytes: n fit */
    *len = (uint16_t)(*len + n);
    return true;
}

/* Separator runs between two parts of the name. */
enum { SEP_SPACE = 1, SEP_DOT = 2, SEP_DASH = 4, SEP_APOS = 8 };

/* The separator (0 for none) DISPLAY keeps between parts a and b.  a_han
 * and b_han count the parts' Han characters (placeholders stand for one);
 * a_cps, a_len are the left part's code points. */
static uint32_t separator(unsigned flags, bool han_name, const uint32_t *a_cps, size_t a_len,
                          size_t a_han, size_t b_han)
{
    if (!han_name) {
        if (flags & SEP_DASH)
            return '-';
        if (flags & (SEP_SPACE | SEP_DOT))
            return ' ';
        return '\'';
    }
    if (flags & SEP_DOT)
        return 0x00B7;
    if (a_han < 2 || b_han < 2 || a_han + b_han < 5)
        return 0;
    if (a_len == 2 && xjl__compound_surname(xjl__simplify(a_cps[0]), xjl__simplify(a_cps[1])))
        return 0;
    return 0x00B7;
}

static const char *bad_kind(uint32_t c)
{
    switch (u_charType((UChar32)c)) {
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
        return "a digit";
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
        return "a control character";
    case U_UNASSIGNED:
        return "not a character";
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
        return "a symbol";
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
        return "a combining mark without a letter of its script before it";
    default:
        return "punctuation";
    }
}

/* Names the fast path takes: at most this many ideographs (3 bytes each in
 * UTF-8, at most 4 once simplified), far from any length limit. */
#define HAN_NAME_FAST_MAX 32

/*
 * Fast path: a name of BMP ideographs only (张琦语), nearly every name of a
 * registry, in one pass.  For such a name the generic path below finds a
 * valid length, no NUL, nothing for NFKC to change (nfkc_inert), C_HAN for
 * every character and so one part without separators: DISPLAY and BARE are
 * the input, SIMPLIFIED and the code points the simplified characters, no
 * finding, not Latin, no placeholder.  This writes exactly that; the lengths
 * and flags are set only once the whole name has qualified, so that a name
 * it leaves to the generic path (which resets them anyway) is read afresh.
 */
static bool han_name_fast(const char *s, size_t len, struct xjl_name_forms *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = len == XJL_NTS ? strlen(s) : len, i = 0, k = 0, simple_len = 0;
    if (n > 3 * HAN_NAME_FAST_MAX || n % 3 != 0)
        return false; /* not a run of three-byte characters, or long */
    bool ambiguous = false;
    for (; i < n; i += 3, k++) {
        if ((u[i] & 0xF0) != 0xE0 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80)
            return false;
        uint32_t c = ((u[i] & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
        if (c - 0x4E00u > 0x9FFFu - 0x4E00u && c - 0x3400u > 0x4DBFu - 0x3400u)
            return false;
        uint32_t simple = xjl__simplify(c);
        memcpy(out->display + i, u + i, 3);
        memcpy(out->bare + i, u + i, 3);
        if (simple == c) { /* most characters: the same three bytes */
            memcpy(out->simplified + simple_len, u + i, 3);
            simple_len += 3;
        } else {
            if (xjl__simplify_is_ambiguous(c))
                ambiguous = true;
            simple_len += xjl__utf8_put(out->simplified + simple_len, simple);
        }
        out->cps[k] = simple;
    }
    if (k == 0)
        return false; /* empty: the generic path says so */
    out->display[i] = out->bare[i] = out->simplified[simple_len] = '\0';
    out->display_len = out->bare_len = (uint16_t)i;
    out->simplified_len = (uint16_t)simple_len;
    out->ncps = (uint16_t)k;
    out->findings = 0;
    out->latin = out->has_placeholder = false;
    out->variant_ambiguous = ambiguous;
    xjl__pinyin_name(out->cps, out->ncps, out->pinyin);
    return true;
}

int xjl__name_forms(const char *s, size_t len, struct xjl_name_forms *out)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "name: no output given");
    if (XJL_LIKELY(s && !xjl__fast_paths_off) && han_name_fast(s, len, out))
        return XJL_OK;
    out->display_len = out->bare_len = out->simplified_len = 0;
    out->display[0] = out->bare[0] = out->simplified[0] = '\0';
    out->ncps = 0;
    out->findings = 0;
    out->latin = out->has_placeholder = out->variant_ambiguous = false;

    len = s ? xjl__len(s, len) : 0;
    if (len == 0)
        return name_fail(out, XJL_F_EMPTY, "empty");
    if (len > XJL_NAME_MAX_BYTES)
        return name_fail(out, XJL_F_TOO_LONG, "%zu bytes, longer than the %d a name may have", len,
                         XJL_NAME_MAX_BYTES);
    const char *nul = memchr(s, '\0', len);
    if (nul)
        return name_fail(out, XJL_F_NUL, "NUL byte at byte offset %zu", (size_t)(nul - s));

    /* Decode, noting whether NFKC could change anything. */
    uint32_t cps[NFKC_MAX_CPS];
    size_t n = 0;
    bool inert = true;
    for (size_t pos = 0; pos < len;) {
        size_t at = pos;
        int32_t c = xjl__utf8_next_fast(s, len, &pos);
        if (c < 0)
            return name_fail(out, XJL_F_ENCODING, "not valid UTF-8: byte 0x%02X at byte offset %zu",
                             (unsigned)(unsigned char)s[at], at);
        /* Zero-width and other ignorable code points go before NFKC, not
         * after: between a letter and its combining mark (Zoe U+200B
         * U+0308) they kept the two from composing, and DISPLAY was not in
         * NFC, nor the same as that of Zoë. */
        if (c >= 0x80 && !is_han_block((uint32_t)c) &&
            u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            continue;
        /* Letters are case-folded before NFKC too, not only after: folded
         * after, T U+0308 became t U+0308, which NFC composes to U+1E97 —
         * so DISPLAY read again changed (found by fuzz_name).  What NFKC
         * itself makes upper-case is folded after it, below. */
        c = (int32_t)fold_letter((uint32_t)c);
        cps[n++] = (uint32_t)c;
        inert = inert && nfkc_inert((uint32_t)c);
    }
    char quoted[256];
    /* NFKC can give a capital where the input had none to fold: MATHEMATICAL
     * BOLD CAPITAL T is T, and T U+0308 folded after NFKC is t U+0308, which
     * NFC composes to U+1E97, so DISPLAY read again changed (found by
     * fuzz_name).  So fold NFKC's output and normalise again while the fold
     * changes anything; NFKC of folded text is folded text, so the second
     * round settles it, and the bound is only a guard. */
    for (int round = 0; !inert && round < 4; round++) {
        uint32_t raw[NFKC_MAX_CPS];
        memcpy(raw, cps, n * sizeof *raw);
        if (!nfkc(raw, n, cps, XJL_ARRAY_LEN(cps), &n)) {
            quote_value(s, len, quoted, sizeof quoted);
            return name_fail(out, XJL_F_TOO_LONG, "'%s' is too long once normalised (NFKC)",
                             quoted);
        }
        bool folded = false;
        for (size_t i = 0; i < n; i++) {
            uint32_t f = fold_letter(cps[i]);
            folded = folded || f != cps[i];
            cps[i] = f;
        }
        if (!folded)
            break;
    }

    /* Classify; keep the name's characters (case-folded) in parts, and the
     * kind of separator run before each part. */
    uint32_t chars[NFKC_MAX_CPS];
    uint16_t part_start[NFKC_MAX_CPS + 1], part_han[NFKC_MAX_CPS];
    uint8_t part_sep[NFKC_MAX_CPS + 1];
    size_t nchars = 0, nparts = 0;
    unsigned run = 0;
    bool han = false, latin = false, placeholder = false;
    uint32_t bad = 0, apos = 0;
    bool any_bad = false, any_apos = false;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        enum name_class k = classify(c);
        switch (k) {
        case C_IGNORE:
            continue;
        case C_SPACE:
            run |= SEP_SPACE;
            continue;
        case C_DOT:
            run |= SEP_DOT;
            continue;
        case C_DASH:
            run |= SEP_DASH;
            continue;
        case C_APOS:
            if (!any_apos)
                apos = c;
            any_apos = true;
            run |= SEP_APOS;
            continue;
        case C_BAD:
            if (!any_bad)
                bad = c;
            any_bad = true;
            continue;
        case C_HAN:
            han = true;
            break;
        case C_LETTER:
            /* A combining mark belongs to the letter before it: one on a
             * Han character, or with no letter before it in its part, is
             * not part of a name (and would not stay in NFC as written). */
            if (is_mark(c) &&
                (nparts == 0 || run || nchars == 0 || classify(chars[nchars - 1]) != C_LETTER)) {
                if (!any_bad)
                    bad = c;
                any_bad = true;
                continue;
            }
            latin = latin || is_latin_letter(c);
            c = case_fold(c);
            break;
        case C_PLACEHOLDER:
            placeholder = true;
            break;
        }
        if (nparts == 0 || run) {
            part_start[nparts] = (uint16_t)nchars;
            part_sep[nparts] = (uint8_t)run;
            part_han[nparts] = 0;
            nparts++;
            run = 0;
        }
        if (k != C_LETTER)
            part_han[nparts - 1]++;
        chars[nchars++] = c;
    }
    part_start[nparts] = (uint16_t)nchars;

    if (placeholder) {
        out->has_placeholder = true;
        out->findings |= XJL_FINDING_BIT(XJL_F_NAME_PLACEHOLDER);
    }
    if (any_bad || (han && any_apos)) {
        uint32_t c = any_bad ? bad : apos;
        char ch[8] = "";
        if (c >= 0x20 && c != 0x7F && u_charType((UChar32)c) != U_CONTROL_CHAR)
            ch[xjl__utf8_put(ch, c)] = '\0';
        quote_value(s, len, quoted, sizeof quoted);
        return name_fail(out, XJL_F_NAME_CHARS, "'%s': U+%04X '%s' is %s, not part of a name",
                         quoted, (unsigned)c, ch, any_bad ? bad_kind(c) : "an apostrophe");
    }
    if (nchars == 0) {
        quote_value(s, len, quoted, sizeof quoted);
        return name_fail(out, XJL_F_EMPTY, "'%s' has no characters, only spaces or separators",
                         quoted);
    }

    /* DISPLAY, BARE, SIMPLIFIED and the code points, together.  Every
     * character takes a byte of DISPLAY at least, so cps[] cannot overflow
     * before DISPLAY does. */
    bool fits = true;
    for (size_t p = 0; p < nparts && fits; p++) {
        const uint32_t *part = chars + part_start[p];
        size_t plen = (size_t)(part_start[p + 1] - part_start[p]);
        if (p > 0) {
            size_t prev = (size_t)(part_start[p] - part_start[p - 1]);
            uint32_t sep = separator(part_sep[p], han, chars + part_start[p - 1], prev,
                                     part_han[p - 1], part_han[p]);
            if (sep)
                fits = put(out->display, &out->display_len, sep);
        }
        for (size_t i = 0; i < plen && fits; i++) {
            uint32_t c = part[i], simple = xjl__simplify(c);
            if (simple != c && xjl__simplify_is_ambiguous(c))
                out->variant_ambiguous = true;
            fits = put(out->display, &out->display_len, c) && put(out->bare, &out->bare_len, c) &&
                   put(out->simplified, &out->simplified_len, simple);
            if (fits)
                out->cps[out->ncps++] = simple;
        }
    }
    if (!fits) {
        quote_value(s, len, quoted, sizeof quoted);
        return name_fail(out, XJL_F_TOO_LONG, "'%s' is longer than %d bytes once normalised",
                         quoted, DISPLAY_MAX);
    }
    out->display[out->display_len] = '\0';
    out->bare[out->bare_len] = '\0';
    out->simplified[out->simplified_len] = '\0';
    out->latin = !han && latin;
    xjl__pinyin_name(out->cps, out->ncps, out->pinyin);
    return XJL_OK;
}

/* PINYIN text: syllables separated by one space; a character without a
 * reading stands as itself, and letters of a Latin name stay together. */
static size_t pinyin_text(const struct xjl_name_forms *f, char *buf)
{
    size_t n = 0;
    bool prev_letter = false;
    for (size_t i = 0; i < f->ncps; i++) {
        const char *syl = xjl__pinyin_text(f->pinyin[i]);
        bool letter = !syl && classify(f->cps[i]) == C_LETTER;
        if (i > 0 && !(letter && prev_letter))
            buf[n++] = ' ';
        if (syl) {
            size_t k = strlen(syl);
            memcpy(buf + n, syl, k);
            n += k;
        } else {
            n += xjl__utf8_put(buf + n, f->pinyin[i] & ~XJL_PY_LITERAL);
        }
        prev_letter = letter;
    }
    buf[n] = '\0';
    return n;
}

XJL_API int xjl_name_normalize(const char *s, size_t len, xjl_name_form form, char *buf, size_t cap,
                               size_t *out_len, uint32_t *findings)
{
    if (findings)
        *findings = 0;
    if (out_len)
        *out_len = 0;
    if ((unsigned)form > XJL_NAME_PINYIN)
        return xjl__fail(XJL_EINVAL, "name: form %d is not DISPLAY, BARE, SIMPLIFIED or PINYIN",
                         (int)form);
    struct xjl_name_forms f;
    int rc = xjl__name_forms(s, len, &f);
    if (findings)
        *findings = f.findings;
    if (rc != XJL_OK)
        return rc;
    switch (form) {
    case XJL_NAME_DISPLAY:
        return xjl__copy_out(f.display, f.display_len, buf, cap, out_len);
    case XJL_NAME_BARE:
        return xjl__copy_out(f.bare, f.bare_len, buf, cap, out_len);
    case XJL_NAME_SIMPLIFIED:
        return xjl__copy_out(f.simplified, f.simplified_len, buf, cap, out_len);
    case XJL_NAME_PINYIN:
    default: {
        /* a syllable is at most 6 letters, a literal 4 bytes, plus a space */
        char text[XJL_NAME_MAX_CPS * 7 + 1];
        size_t n = pinyin_text(&f, text);
        return xjl__copy_out(text, n, buf, cap, out_len);
    }
    }
}
