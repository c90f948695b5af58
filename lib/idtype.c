/*
 * 身份证件类型 (JY/T 1001 family): the one-character codes and the names
 * rosters write for them.  A name is matched whole after the common field
 * clean-up, so a full-width Ｃ or slash in 香港特区护照／身份证明 still reads.
 */
#include "internal.h"

#include <string.h>

static const struct {
    xjl_id_type type;
    const char *label; /* the standard's name */
} id_type_labels[] = {
    {XJL_IDTYPE_RESIDENT, "居民身份证"},
    {XJL_IDTYPE_OFFICER, "军官证"},
    {XJL_IDTYPE_SOLDIER, "士兵证"},
    {XJL_IDTYPE_CIVILIAN_CADRE, "文职干部证"},
    {XJL_IDTYPE_ARMY_RETIRED, "部队离退休证"},
    {XJL_IDTYPE_HONGKONG, "香港特区护照/身份证明"},
    {XJL_IDTYPE_MACAO, "澳门特区护照/身份证明"},
    {XJL_IDTYPE_TAIWAN, "台湾居民来往大陆通行证"},
    {XJL_IDTYPE_FOREIGN_PR, "境外永久居住证"},
    {XJL_IDTYPE_PASSPORT, "护照"},
    {XJL_IDTYPE_HOUSEHOLD, "户口簿"},
    {XJL_IDTYPE_HMT_RESIDENCE, "港澳台居民居住证"},
    {XJL_IDTYPE_OTHER, "其他"},
};

/*
 * Other names seen for the same documents.  Only spellings that name one
 * type are here: the generic 港澳居民来往内地通行证 (回乡证) is held by Hong
 * Kong and Macao residents alike, and types 6 and 7 must tell them apart, so
 * it is left out; the Hong Kong and Macao spellings of that pass are in.
 */
static const struct {
    const char *name;
    xjl_id_type type;
} id_type_aliases[] = {
    {"身份证", XJL_IDTYPE_RESIDENT},
    {"二代身份证", XJL_IDTYPE_RESIDENT},
    {"第二代居民身份证", XJL_IDTYPE_RESIDENT},
    {"中华人民共和国居民身份证", XJL_IDTYPE_RESIDENT},
    {"中国人民解放军军官证", XJL_IDTYPE_OFFICER},
    {"中国人民解放军士兵证", XJL_IDTYPE_SOLDIER},
    {"中国人民解放军文职干部证", XJL_IDTYPE_CIVILIAN_CADRE},
    {"离退休干部证", XJL_IDTYPE_ARMY_RETIRED},
    {"香港特区护照", XJL_IDTYPE_HONGKONG},
    {"香港特区身份证明", XJL_IDTYPE_HONGKONG},
    {"香港特别行政区护照", XJL_IDTYPE_HONGKONG},
    {"香港居民身份证", XJL_IDTYPE_HONGKONG},
    {"香港永久性居民身份证", XJL_IDTYPE_HONGKONG},
    {"香港居民来往内地通行证", XJL_IDTYPE_HONGKONG},
    {"澳门特区护照", XJL_IDTYPE_MACAO},
    {"澳门特区身份证明", XJL_IDTYPE_MACAO},
    {"澳门特别行政区护照", XJL_IDTYPE_MACAO},
    {"澳门居民身份证", XJL_IDTYPE_MACAO},
    {"澳门永久性居民身份证", XJL_IDTYPE_MACAO},
    {"澳门居民来往内地通行证", XJL_IDTYPE_MACAO},
    {"台胞证", XJL_IDTYPE_TAIWAN},
    {"台湾居民来往内地通行证", XJL_IDTYPE_TAIWAN},
    {"台湾同胞来往大陆通行证", XJL_IDTYPE_TAIWAN},
    {"外国人永久居留身份证", XJL_IDTYPE_FOREIGN_PR},
    {"外国人永久居留证", XJL_IDTYPE_FOREIGN_PR},
    {"外国护照", XJL_IDTYPE_PASSPORT},
    {"户口薄", XJL_IDTYPE_HOUSEHOLD}, /* the common misspelling */
    {"户口本", XJL_IDTYPE_HOUSEHOLD},
    {"居民户口簿", XJL_IDTYPE_HOUSEHOLD},
    {"居民户口薄", XJL_IDTYPE_HOUSEHOLD},
    {"港澳居民居住证", XJL_IDTYPE_HMT_RESIDENCE},
    {"台湾居民居住证", XJL_IDTYPE_HMT_RESIDENCE},
    {"其它", XJL_IDTYPE_OTHER},
};

static bool is_type_code(int c)
{
    return (c >= '1' && c <= '9') || c == 'A' || c == 'B' || c == 'C' || c == 'Z';
}

XJL_API int xjl_id_type_parse(const char *s, size_t len, xjl_id_type *out)
{
    struct xjl_field_text t;
    if (out)
        *out = XJL_IDTYPE_NONE;
    int finding = xjl__field_text(s, len, XJL_FIELD_MAX_BYTES, &t);
    if (finding == XJL_F_EMPTY)
        return XJL_OK; /* not given: the number's form decides */
    if (finding != XJL_F_NONE)
        return xjl__field_fail("id_type", &t, finding);
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_id_type_parse: out is NULL");

    if (t.len == 1) {
        int c = t.text[0];
        if (c >= 'a' && c <= 'z')
            c = c - 'a' + 'A';
        if (is_type_code(c)) {
            *out = (xjl_id_type)c;
            return XJL_OK;
        }
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_type_labels); i++) {
        if (strcmp(t.text, id_type_labels[i].label) == 0) {
            *out = id_type_labels[i].type;
            return XJL_OK;
        }
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_type_aliases); i++) {
        if (strcmp(t.text, id_type_aliases[i].name) == 0) {
            *out = id_type_aliases[i].type;
            return XJL_OK;
        }
    }
    return xjl__field_fail("id_type", &t, XJL_F_IDTYPE_VALUE);
}

XJL_API const char *xjl_id_type_label(xjl_id_type type)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(id_type_labels); i++)
        if (id_type_labels[i].type == type)
            return id_type_labels[i].label;
    return "";
}

XJL_API int xjl_id_type_is_citizen(xjl_id_type type)
{
    return type == XJL_IDTYPE_RESIDENT || type == XJL_IDTYPE_HOUSEHOLD ||
           type == XJL_IDTYPE_HMT_RESIDENCE;
}
