/*
 * 性别 (GB/T 2261.1): the codes 0, 1, 2, 9 and the words rosters write
 * instead.  Latin words compare without case; everything else exactly,
 * after the common field clean-up (full-width digits, surrounding spaces).
 */
#include "internal.h"

#include <string.h>

/* A word and its length in bytes: the length is compared first, so that
 * most words are passed over without a string comparison. */
#define WORD(s) s, sizeof(s) - 1

static const struct {
    const char *text; /* lower-case for Latin words */
    size_t len;
    xjl_gender gender;
} gender_words[] = {
    {WORD("1"), XJL_GENDER_MALE},
    {WORD("2"), XJL_GENDER_FEMALE},
    {WORD("0"), XJL_GENDER_UNKNOWN},
    {WORD("9"), XJL_GENDER_UNSPECIFIED},
    {WORD("男"), XJL_GENDER_MALE},
    {WORD("女"), XJL_GENDER_FEMALE},
    {WORD("男性"), XJL_GENDER_MALE},
    {WORD("女性"), XJL_GENDER_FEMALE},
    {WORD("男生"), XJL_GENDER_MALE},
    {WORD("女生"), XJL_GENDER_FEMALE},
    /* The standard's own names of 0 and 9. */
    {WORD("未知的性别"), XJL_GENDER_UNKNOWN},
    {WORD("未知"), XJL_GENDER_UNKNOWN},
    {WORD("未说明的性别"), XJL_GENDER_UNSPECIFIED},
    {WORD("未说明"), XJL_GENDER_UNSPECIFIED},
    {WORD("m"), XJL_GENDER_MALE},
    {WORD("f"), XJL_GENDER_FEMALE},
    {WORD("male"), XJL_GENDER_MALE},
    {WORD("female"), XJL_GENDER_FEMALE},
};

XJL_API int xjl_gender_parse(const char *s, size_t len, xjl_gender *out)
{
    /* Fast path: 男 or 女 alone, as nearly every row writes it, settled by
     * one comparison of its three bytes (and the end after them) before any
     * of the generic work below, which would find the same word. */
    if (XJL_LIKELY(out && s && !xjl__fast_paths_off) && (len == XJL_NTS || len == 3)) {
        const unsigned char *u = (const unsigned char *)s;
        /* (compared left to right: no byte after a NUL is read) */
        bool male = u[0] == 0xE7 && u[1] == 0x94 && u[2] == 0xB7;             /* 男 */
        bool female = !male && u[0] == 0xE5 && u[1] == 0xA5 && u[2] == 0xB3; /* 女 */
        if ((male || female) && (len == 3 || u[3] == '\0')) {
            *out = male ? XJL_GENDER_MALE : XJL_GENDER_FEMALE;
            return XJL_OK;
        }
    }

    struct xjl_field_text t;
    const char *text;
    size_t n;
    if (out)
        *out = XJL_GENDER_UNKNOWN;
    int finding = xjl__field_view(s, len, XJL_FIELD_MAX_BYTES, &t, &text, &n);
    if (finding != XJL_F_NONE)
        return xjl__field_fail("gender", &t, finding);
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_gender_parse: out is NULL");

    /* Locale-free lower-casing: only ASCII letters have a case here. */
    char low[XJL_FIELD_MAX_BYTES];
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        low[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(gender_words); i++) {
        if (n == gender_words[i].len && memcmp(low, gender_words[i].text, n) == 0) {
            *out = gender_words[i].gender;
            return XJL_OK;
        }
    }
    if (text != t.text) /* read in place: the message wants the value itself */
        xjl__field_text(s, len, XJL_FIELD_MAX_BYTES, &t);
    return xjl__field_fail("gender", &t, XJL_F_GENDER_VALUE);
}
