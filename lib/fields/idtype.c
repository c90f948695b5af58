/*
 * 身份证件类型 (JY/T 1001 family): the one-character codes and the names
 * rosters write for them.  A name is matched whole after the common field
 * clean-up, so a full-width Ｃ or slash in 香港特区护照／身份证明 still reads.
 */
#include "fields/fields.h"

#include <string.h>

/* A name and its length in bytes: the length is compared first, so that
 * most names are passed over without a string comparison. */
#define NAME(s) s, sizeof(s) - 1

static const struct {
    xjl_id_type type;
    const char *label; /* the standard's name */
    size_t len;
} id_type_labels[] = {
    {XJL_IDTYPE_RESIDENT, NAME("居民身份证")},
    {XJL_IDTYPE_OFFICER, NAME("军官证")},
    {XJL_IDTYPE_SOLDIER, NAME("士兵证")},
    {XJL_IDTYPE_CIVILIAN_CADRE, NAME("文职干部证")},
    {XJL_IDTYPE_ARMY_RETIRED, NAME("部队离退休证")},
    {XJL_IDTYPE_HONGKONG, NAME("香港特区护照/身份证明")},
    {XJL_IDTYPE_MACAO, NAME("澳门特区护照/身份证明")},
    {XJL_IDTYPE_TAIWAN, NAME("台湾居民来往大陆通行证")},
    {XJL_IDTYPE_FOREIGN_PR, NAME("境外永久居住证")},
    {XJL_IDTYPE_PASSPORT, NAME("护照")},
    {XJL_IDTYPE_HOUSEHOLD, NAME("户口簿")},
    {XJL_IDTYPE_HMT_RESIDENCE, NAME("港澳台居民居住证")},
    {XJL_IDTYPE_OTHER, NAME("其他")},
};

/*
 * Other names seen for the same documents.  Only spellings that name one
 * type are here: the generic 港澳居民来往内地通行证 (回乡证) is held by Hong
 * Kong and Macao residents alike, and types 6 and 7 must tell them apart, so
 * it is left out; the Hong Kong and Macao spellings of that pass are in.
 */
static const struct {
    const char *name;
    size_t len;
    xjl_id_type type;
} id_type_aliases[] = {
    {NAME("身份证"), XJL_IDTYPE_RESIDENT},
    {NAME("二代身份证"), XJL_IDTYPE_RESIDENT},
    {NAME("第二代居民身份证"), XJL_IDTYPE_RESIDENT},
    {NAME("中华人民共和国居民身份证"), XJL_IDTYPE_RESIDENT},
    {NAME("中国人民解放军军官证"), XJL_IDTYPE_OFFICER},
    {NAME("中国人民解放军士兵证"), XJL_IDTYPE_SOLDIER},
    {NAME("中国人民解放军文职干部证"), XJL_IDTYPE_CIVILIAN_CADRE},
    {NAME("离退休干部证"), XJL_IDTYPE_ARMY_RETIRED},
    {NAME("香港特区护照"), XJL_IDTYPE_HONGKONG},
    {NAME("香港特区身份证明"), XJL_IDTYPE_HONGKONG},
    {NAME("香港特别行政区护照"), XJL_IDTYPE_HONGKONG},
    {NAME("香港居民身份证"), XJL_IDTYPE_HONGKONG},
    {NAME("香港永久性居民身份证"), XJL_IDTYPE_HONGKONG},
    {NAME("香港居民来往内地通行证"), XJL_IDTYPE_HONGKONG},
    {NAME("澳门特区护照"), XJL_IDTYPE_MACAO},
    {NAME("澳门特区身份证明"), XJL_IDTYPE_MACAO},
    {NAME("澳门特别行政区护照"), XJL_IDTYPE_MACAO},
    {NAME("澳门居民身份证"), XJL_IDTYPE_MACAO},
    {NAME("澳门永久性居民身份证"), XJL_IDTYPE_MACAO},
    {NAME("澳门居民来往内地通行证"), XJL_IDTYPE_MACAO},
    {NAME("台胞证"), XJL_IDTYPE_TAIWAN},
    {NAME("台湾居民来往内地通行证"), XJL_IDTYPE_TAIWAN},
    {NAME("台湾同胞来往大陆通行证"), XJL_IDTYPE_TAIWAN},
    {NAME("外国人永久居留身份证"), XJL_IDTYPE_FOREIGN_PR},
    {NAME("外国人永久居留证"), XJL_IDTYPE_FOREIGN_PR},
    {NAME("外国护照"), XJL_IDTYPE_PASSPORT},
    {NAME("户口薄"), XJL_IDTYPE_HOUSEHOLD}, /* the common misspelling */
    {NAME("户口本"), XJL_IDTYPE_HOUSEHOLD},
    {NAME("居民户口簿"), XJL_IDTYPE_HOUSEHOLD},
    {NAME("居民户口薄"), XJL_IDTYPE_HOUSEHOLD},
    {NAME("港澳居民居住证"), XJL_IDTYPE_HMT_RESIDENCE},
    {NAME("台湾居民居住证"), XJL_IDTYPE_HMT_RESIDENCE},
    {NAME("其它"), XJL_IDTYPE_OTHER},
};

static bool is_type_code(int c)
{
    return (c >= '1' && c <= '9') || c == 'A' || c == 'B' || c == 'C' || c == 'Z';
}

/*
 * Fast path: the type names nearly every row writes (居民身份证, 户口簿, 其他,
 * 护照) and the one-character codes, perhaps with ASCII spaces after them,
 * compared whole; XJL_IDTYPE_NONE for anything else.  Each name is a label
 * of id_type_labels, with no white space, nothing to fold and no NUL, so the
 * generic path below reads it as the same name; a code the same way.
 */
static xjl_id_type common_id_type(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    switch (n) {
    case 1: {
        int c = s[0];
        if (c >= 'a' && c <= 'z')
            c = c - 'a' + 'A';
        return is_type_code(c) ? (xjl_id_type)c : XJL_IDTYPE_NONE;
    }
    case 6:
        return memcmp(s, "其他", 6) == 0   ? XJL_IDTYPE_OTHER
               : memcmp(s, "护照", 6) == 0 ? XJL_IDTYPE_PASSPORT
                                           : XJL_IDTYPE_NONE;
    case 9:
        return memcmp(s, "户口簿", 9) == 0 ? XJL_IDTYPE_HOUSEHOLD : XJL_IDTYPE_NONE;
    case 15:
        return memcmp(s, "居民身份证", 15) == 0 ? XJL_IDTYPE_RESIDENT : XJL_IDTYPE_NONE;
    default:
        return XJL_IDTYPE_NONE;
    }
}

XJL_API int xjl_id_type_parse(const char *s, size_t len, xjl_id_type *out)
{
    if (XJL_LIKELY(out && s && !xjl__fast_paths_off)) {
        xjl_id_type type = common_id_type(s, len == XJL_NTS ? strlen(s) : len);
        if (type != XJL_IDTYPE_NONE) {
            *out = type;
            return XJL_OK;
        }
    }

    struct xjl_field_text t;
    const char *text;
    size_t n;
    if (out)
        *out = XJL_IDTYPE_NONE;
    int finding = xjl__field_view(s, len, XJL_FIELD_MAX_BYTES, &t, &text, &n);
    if (finding == XJL_F_EMPTY)
        return XJL_OK; /* not given: the number's form decides */
    if (finding != XJL_F_NONE)
        return xjl__field_fail("id_type", &t, finding);
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_id_type_parse: out is NULL");

    if (n == 1) {
        int c = text[0];
        if (c >= 'a' && c <= 'z')
            c = c - 'a' + 'A';
        if (is_type_code(c)) {
            *out = (xjl_id_type)c;
            return XJL_OK;
        }
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_type_labels); i++) {
        if (n == id_type_labels[i].len && memcmp(text, id_type_labels[i].label, n) == 0) {
            *out = id_type_labels[i].type;
            return XJL_OK;
        }
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_type_aliases); i++) {
        if (n == id_type_aliases[i].len && memcmp(text, id_type_aliases[i].name, n) == 0) {
            *out = id_type_aliases[i].type;
            return XJL_OK;
        }
    }
    if (text != t.text) /* read in place: the message wants the value itself */
        xjl__field_text(s, len, XJL_FIELD_MAX_BYTES, &t);
    return xjl__field_fail("id_type", &t, XJL_F_IDTYPE_VALUE);
}

XJL_API const char *xjl_id_type_label(xjl_id_type type)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_type_labels); i++)
        if (id_type_labels[i].type == type)
            return id_type_labels[i].label;
    return "";
}

XJL_API bool xjl_id_type_is_citizen(xjl_id_type type)
{
    return type == XJL_IDTYPE_RESIDENT || type == XJL_IDTYPE_HOUSEHOLD ||
           type == XJL_IDTYPE_HMT_RESIDENCE;
}
