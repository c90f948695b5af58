/*
 * The short key fields (gender, birth date, ID type, ID number) as rosters
 * write them.  Each parser needs the same first step: the raw bytes checked
 * once (NUL, length, UTF-8), full-width forms folded to ASCII (Chinese input
 * methods type ２０１９ and Ｘ), and the white space around the value dropped.
 * Doing it here gives every field the same finding for the same fault and
 * lets the parsers work on a short clean string without allocating.
 */
#include "fields/fields.h"

#include <string.h>

/* Bytes of the white space character at the start of s (n bytes), or 0.
 * Besides ASCII white space: NBSP, zero-width space and BOM (Excel and web
 * forms leave them) and the ideographic space U+3000. */
static size_t space_at_start(const unsigned char *s, size_t n)
{
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
                   (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B) ||
                   (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)))
        return 3;
    return 0;
}

/* The same at the end of s.  A lead byte (C2, E2, E3, EF) never continues a
 * sequence, so matching the last bytes cannot cut a character in two. */
static size_t space_at_end(const unsigned char *s, size_t n)
{
    if (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r'))
        return 1;
    if (n >= 2 && s[n - 2] == 0xC2 && s[n - 1] == 0xA0)
        return 2;
    if (n >= 3 && space_at_start(s + n - 3, 3) == 3)
        return 3;
    return 0;
}

/* Whether c may be the first (last) byte of one of the spaces above: a cheap
 * test that spares the full match for almost every value, CJK included.
 * Keep these in step with space_at_start. */
static inline bool may_start_space(unsigned char c)
{
    return c <= ' ' || c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF;
}

static inline bool may_end_space(unsigned char c)
{
    return c <= ' ' || c == 0xA0 || c == 0x80 || c == 0x8B || c == 0xBF;
}

/* Copies the ASCII bytes at the start of s (n bytes, at most
 * XJL_FIELD_MAX_BYTES) to o and returns how many there were.  Eight bytes at
 * a time: a date or an ID number is ASCII through, and a byte-by-byte copy
 * was the largest cost of reading a field. */
static size_t copy_ascii_prefix(const unsigned char *s, size_t n, char *o)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
        memcpy(o + i, &w, 8);
    }
    for (; i < n && s[i] < 0x80; i++)
        o[i] = (char)s[i];
    return i;
}

int xjl__field_text(const char *s, size_t len, size_t max, struct xjl_field_text *out)
{
    out->text[0] = '\0';
    out->len = 0;
    out->bad_at = 0;
    out->ascii = true;
    if (!s) {
        len = 0;
    } else if (len == XJL_NTS) {
        len = strlen(s);
    } else {
        /* An explicit length may hide a NUL: a finding, never a truncation. */
        const char *nul = memchr(s, '\0', len);
        if (nul) {
            out->raw_len = len;
            out->bad_at = (size_t)(nul - s);
            return XJL_F_NUL;
        }
    }
    out->raw_len = len;
    if (max > XJL_FIELD_MAX_BYTES)
        max = XJL_FIELD_MAX_BYTES;

    const unsigned char *u = (const unsigned char *)s;
    size_t begin = 0, end = len, k;
    /* Most values have no white space around them: a byte test settles
     * each end before the full match. */
    while (begin < end && may_start_space(u[begin]) &&
           (k = space_at_start(u + begin, end - begin)) != 0)
        begin += k;
    while (end > begin && may_end_space(u[end - 1]) &&
           (k = space_at_end(u + begin, end - begin)) != 0)
        end -= k;
    if (end - begin > max)
        return XJL_F_TOO_LONG;

    /* (s may be NULL when there is nothing to copy) */
    size_t done = end > begin ? copy_ascii_prefix(u + begin, end - begin, out->text) : 0;
    char *o = out->text + done;
    size_t pos = begin + done;
    while (pos < end) {
        unsigned char c = u[pos];
        if (XJL_LIKELY(c < 0x80)) {
            *o++ = (char)c;
            pos++;
            continue;
        }
        size_t at = pos;
        int32_t cp = xjl__utf8_next_fast(s, end, &pos);
        if (cp < 0) {
            out->bad_at = at;
            out->text[0] = '\0';
            return XJL_F_ENCODING;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) { /* full-width ASCII block */
            *o++ = (char)(cp - 0xFEE0);
        } else if (cp == 0x3000) {
            *o++ = ' ';
        } else {
            /* Not foldable: kept as it came (a folded sequence is never longer). */
            /* 2 to 4 bytes, copied without a memcpy call (most are 3: CJK) */
            size_t k = pos - at;
            o[0] = s[at];
            o[1] = s[at + 1];
            if (k > 2)
                o[2] = s[at + 2];
            if (k > 3)
                o[3] = s[at + 3];
            o += k;
            out->ascii = false;
        }
    }
    *o = '\0';
    out->len = (size_t)(o - out->text);
    return out->len == 0 ? XJL_F_EMPTY : XJL_F_NONE;
}

int xjl__field_fail(const char *field, const struct xjl_field_text *t, int finding)
{
    switch (finding) {
    case XJL_F_NUL:
        return xjl__fail(XJL_EINVAL, "field %s: NUL byte at offset %zu of %zu", field, t->bad_at,
                         t->raw_len);
    case XJL_F_TOO_LONG:
        return xjl__fail(XJL_EINVAL, "field %s: value of %zu bytes is too long", field, t->raw_len);
    case XJL_F_ENCODING:
        return xjl__fail(XJL_EINVAL, "field %s: not valid UTF-8 at byte %zu", field, t->bad_at);
    case XJL_F_EMPTY:
        return xjl__fail(XJL_EINVAL, "field %s: empty", field);
    default:
        return xjl__fail(XJL_EINVAL, "field %s: value '%s': %s", field, t->text,
                         xjl_finding_message(finding, 0));
    }
}

#ifdef XJL_TESTING
bool xjl__fast_paths_off;
#endif

/* A CJK ideograph U+4000..U+9FFF in UTF-8: lead byte E4..E9 and two
 * continuation bytes.  Such a sequence is never overlong, never a surrogate,
 * never one of the spaces above and never full-width ASCII, so
 * xjl__field_text copies it unchanged. */
static inline bool plain_cjk_at(const unsigned char *u)
{
    return u[0] >= 0xE4 && u[0] <= 0xE9 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80;
}

/* Whether the 8 bytes of w are all printable ASCII, 0x20..0x7E: none is
 * below 0x20 (the has-less-than test: exact about whether any is) and none
 * above 0x7E (adding 1 sets the high bit of 0x7F, and the high bit of
 * every byte from 0x80 on is set already). */
static inline bool printable8(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    return (((w - 0x20 * ones) & ~w) | ((w + ones) | w)) & highs ? false : true;
}

/*
 * Whether xjl__field_text would return s[*begin..*end) unchanged: every byte
 * printable ASCII (0x20..0x7E) or part of a plain_cjk_at() ideograph, at most
 * max bytes in all, and something besides spaces.  Then its trimming drops
 * exactly the ASCII spaces around the value (the first and the last byte
 * left are neither white space nor the lead or end of a space of
 * space_at_start), its copy changes nothing (no full-width form, no U+3000),
 * and it finds no NUL, bad UTF-8, over-long or empty value.  Anything else
 * (tabs, NBSP, full-width digits, other scripts) is left to xjl__field_text.
 */
static bool field_plain(const char *s, size_t len, size_t max, size_t *begin, size_t *end)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len > max)
        return false; /* perhaps too long: the generic path judges */
    size_t i = 0;
    for (; i + 8 <= len; i += 8) { /* dates and ID numbers: ASCII through */
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (!printable8(w))
            break;
    }
    for (; i < len; i++) {
        if (u[i] - 0x20u <= 0x7Eu - 0x20u)
            continue;
        if (len - i < 3 || !plain_cjk_at(u + i))
            return false; /* a byte the generic path must judge */
        i += 2;
    }
    size_t b = 0, e = len;
    while (b < e && u[b] == ' ')
        b++;
    while (e > b && u[e - 1] == ' ')
        e--;
    if (b == e)
        return false; /* empty or only spaces: the generic path says so */
    *begin = b;
    *end = e;
    return true;
}

int xjl__field_view(const char *s, size_t len, size_t max, struct xjl_field_text *t,
                    const char **text, size_t *n)
{
    size_t begin, end;
    if (max > XJL_FIELD_MAX_BYTES)
        max = XJL_FIELD_MAX_BYTES;
    if (XJL_LIKELY(s && !xjl__fast_paths_off) &&
        field_plain(s, len == XJL_NTS ? strlen(s) : len, max, &begin, &end)) {
        *text = s + begin;
        *n = end - begin;
        return XJL_F_NONE;
    }
    int f = xjl__field_text(s, len, max, t);
    *text = t->text;
    *n = t->len;
    return f;
}
