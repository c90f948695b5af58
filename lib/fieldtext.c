/*
 * The short key fields (gender, birth date, ID type, ID number) as rosters
 * write them.  Each parser needs the same first step: the raw bytes checked
 * once (NUL, length, UTF-8), full-width forms folded to ASCII (Chinese input
 * methods type ２０１９ and Ｘ), and the white space around the value dropped.
 * Doing it here gives every field the same finding for the same fault and
 * lets the parsers work on a short clean string without allocating.
 */
#include "internal.h"

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
    while (begin < end && (k = space_at_start(u + begin, end - begin)) != 0)
        begin += k;
    while (end > begin && (k = space_at_end(u + begin, end - begin)) != 0)
        end -= k;
    if (end - begin > max)
        return XJL_F_TOO_LONG;

    char *o = out->text;
    size_t pos = begin;
    while (pos < end) {
        unsigned char c = u[pos];
        if (XJL_LIKELY(c < 0x80)) {
            *o++ = (char)c;
            pos++;
            continue;
        }
        size_t at = pos;
        int32_t cp = xjl__utf8_next(s, end, &pos);
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
            memcpy(o, s + at, pos - at);
            o += pos - at;
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
        return xjl__fail(XJL_EINVAL, "field %s: NUL byte at offset %zu of %zu", field,
                         t->bad_at, t->raw_len);
    case XJL_F_TOO_LONG:
        return xjl__fail(XJL_EINVAL, "field %s: value of %zu bytes is too long", field,
                         t->raw_len);
    case XJL_F_ENCODING:
        return xjl__fail(XJL_EINVAL, "field %s: not valid UTF-8 at byte %zu", field, t->bad_at);
    case XJL_F_EMPTY:
        return xjl__fail(XJL_EINVAL, "field %s: empty", field);
    default:
        return xjl__fail(XJL_EINVAL, "field %s: value '%s': %s", field, t->text,
                         xjl_finding_message(finding, 0));
    }
}
