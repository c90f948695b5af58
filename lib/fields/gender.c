/*
 * 性别 (GB/T 2261.1): the codes 0, 1, 2, 9 and the words rosters write
 * instead.  Latin words compare without case; everything else exactly,
 * after the common field clean-up (full-width digits, surrounding spaces).
 */
#include "fields/fields.h"

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

/*
 * Fast path: the words nearly every row writes (男, 女, 男性, 女性, 1, 2, M,
 * F, m, f), perhaps with ASCII spaces after them, compared whole; -1 for
 * anything else.  Each is a word of gender_words (or its upper case) with
 * no white space, nothing to fold and no NUL, so the generic path below
 * reads it as the same word.
 */
static int common_gender(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    switch (n) {
    case 1:
        switch (s[0]) {
        case '1':
        case 'M':
        case 'm':
            return XJL_GENDER_MALE;
        case '2':
        case 'F':
        case 'f':
            return XJL_GENDER_FEMALE;
        default:
            return -1;
        }
    case 3:
        return memcmp(s, "男", 3) == 0   ? XJL_GENDER_MALE
               : memcmp(s, "女", 3) == 0 ? XJL_GENDER_FEMALE
                                         : -1;
    case 6:
        return memcmp(s, "男性", 6) == 0   ? XJL_GENDER_MALE
               : memcmp(s, "女性", 6) == 0 ? XJL_GENDER_FEMALE
                                           : -1;
    default:
        return -1;
    }
}

XJL_API int xjl_gender_parse(const char *s, size_t len, xjl_gender *out)
{
    if (XJL_LIKELY(out && s && !xjl__fast_paths_off)) {
        int g = common_gender(s, len == XJL_NTS ? strlen(s) : len);
        if (g >= 0) {
            *out = (xjl_gender)g;
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
