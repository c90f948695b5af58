/*
 * UTF-8 decoding shared by every text field.  Hand-written rather than ICU's
 * U8_NEXT because the callers want the byte offset of the first bad byte for
 * their messages, and this loop sits on the hot path of every name.
 */
#include "util/util.h"

#include <string.h>

size_t xjl__len(const char *s, size_t len)
{
    return len == XJL_NTS ? (s ? strlen(s) : 0) : len;
}

int32_t xjl__utf8_next(const char *str, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = *pos;
    unsigned c = s[i];
    if (c < 0x80) {
        *pos = i + 1;
        return (int32_t)c;
    }
    int n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (len - i <= (size_t)n) /* truncated sequence */
        return -1;
    for (int k = 1; k <= n; k++) {
        unsigned cc = s[i + (size_t)k];
        if ((cc & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *pos = i + (size_t)n + 1;
    return (int32_t)cp;
}

size_t xjl__utf8_invalid_at(const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        size_t at = pos;
        if (xjl__utf8_next(s, len, &pos) < 0)
            return at;
    }
    return (size_t)-1;
}

XJL_API int32_t xjl_utf8_next(const char *s, size_t len, size_t *pos)
{
    if (!s || !pos || *pos >= len)
        return -1;
    return xjl__utf8_next(s, len, pos);
}
