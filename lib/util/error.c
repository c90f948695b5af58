/*
 * Error codes, the per-thread detailed message, the findings table and the
 * version.  The message is thread-local so that the API stays usable from
 * many threads without a handle per call (as errno, but with the where and what).
 */
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_message[1024];
static _Thread_local int last_code;

int xjl__fail(int code, const char *fmt, ...)
{
    last_code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}

void xjl__clear_error(void)
{
    last_message[0] = '\0';
    last_code = XJL_OK;
}

XJL_API const char *xjl_errmsg(void)
{
    return last_message;
}

XJL_API xjl_error xjl_errcode(void)
{
    return (xjl_error)last_code;
}

XJL_API void xjl_error_clear(void)
{
    xjl__clear_error();
}

XJL_API const char *xjl_strerror(xjl_error code)
{
    /* an int: a caller may pass a value outside the enum */
    switch ((int)code) {
    case XJL_OK: return "success";
    case XJL_EINVAL: return "invalid argument or value";
    case XJL_ENOMEM: return "out of memory";
    case XJL_EENCODING: return "invalid text encoding";
    case XJL_EIO: return "input/output error";
    case XJL_ESTATE: return "not allowed in this state";
    case XJL_ERANGE: return "buffer too small";
    case XJL_EFORMAT: return "file not in the expected format";
    case XJL_ENOTFOUND: return "not found";
    case XJL_EQUOTA: return "quota exhausted";
    case XJL_EDB: return "workspace database error";
    case XJL_EBUSY: return "workspace busy";
    case XJL_EPOLICY: return "refused by policy";
    case XJL_EDUPLICATE: return "already exists";
    case XJL_ETRUNCATED: return "index file truncated";
    case XJL_ECORRUPT: return "index file corrupt";
    case XJL_EFOREIGN: return "not an index file of this kind";
    case XJL_EVERSION: return "index file of another format version or key scheme";
    default: return "unknown error";
    }
}

XJL_API const char *xjl_version(void)
{
    return XJL_VERSION_STRING;
}

XJL_API int xjl_version_number(void)
{
    return XJL_VERSION_NUMBER;
}

int xjl__copy_out(const char *src, size_t len, char *buf, size_t cap, size_t *out_len)
{
    if (len == XJL_NTS)
        len = strlen(src);
    if (out_len)
        *out_len = len;
    if (!buf || cap <= len)
        return xjl__fail(XJL_ERANGE, "buffer of %zu bytes too small: %zu needed", cap, len + 1);
    memcpy(buf, src, len);
    buf[len] = '\0';
    return XJL_OK;
}

static const char *const field_names[XJL_FIELD_COUNT] = {
    "name", "gender", "birth_date", "id_type", "id_number", "record",
};
static const char *const field_labels[XJL_FIELD_COUNT] = {
    "姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "记录",
};

XJL_API const char *xjl_field_name(xjl_field field)
{
    return (unsigned)field < XJL_FIELD_COUNT ? field_names[field] : "unknown";
}

XJL_API const char *xjl_field_label_zh(xjl_field field)
{
    return (unsigned)field < XJL_FIELD_COUNT ? field_labels[field] : "未知";
}

/* One row per finding: the order is the enum's, checked by test_error.c. */
static const struct {
    int code;
    bool error;
    const char *name;
    const char *en;
    const char *zh;
} findings[XJL_F_COUNT] = {
    {XJL_F_NONE, false, "none", "no finding", "无"},
    {XJL_F_EMPTY, true, "empty", "empty", "为空"},
    {XJL_F_ENCODING, true, "encoding", "not valid UTF-8", "编码无效"},
    {XJL_F_TOO_LONG, true, "too_long", "too long", "过长"},
    {XJL_F_NUL, true, "nul", "contains a NUL byte", "含有空字符"},
    {XJL_F_NAME_PLACEHOLDER, false, "name_placeholder", "a placeholder stands for a rare character", "含生僻字占位符"},
    {XJL_F_NAME_CHARS, true, "name_chars", "digits, symbols or control characters in a name", "姓名含数字或符号"},
    {XJL_F_GENDER_VALUE, true, "gender_value", "not a gender code or word", "性别无法识别"},
    {XJL_F_DATE_SYNTAX, true, "date_syntax", "not a date", "日期格式无法识别"},
    {XJL_F_DATE_INVALID, true, "date_invalid", "not a calendar date", "日期不存在"},
    {XJL_F_DATE_RANGE, true, "date_range", "date outside 1900-01-01..2099-12-31", "日期超出合理范围"},
    {XJL_F_IDTYPE_VALUE, true, "idtype_value", "not an ID document type", "身份证件类型无法识别"},
    {XJL_F_IDTYPE_INFERRED, false, "idtype_inferred", "ID document type empty, inferred from the number", "证件类型为空,已按号码推断"},
    {XJL_F_ID_MISSING, false, "id_missing", "no ID number", "无身份证件号"},
    {XJL_F_ID_LENGTH, true, "id_length", "wrong length for this kind of ID number", "证件号长度错误"},
    {XJL_F_ID_CHARS, true, "id_chars", "characters not allowed in this kind of ID number", "证件号含非法字符"},
    {XJL_F_ID_DATE, true, "id_date", "the birth date inside the ID number is not a date", "证件号中的出生日期无效"},
    {XJL_F_ID_CHECK, true, "id_check", "wrong check character (ISO 7064 MOD 11-2)", "证件号校验码错误"},
    {XJL_F_ID_REGION, false, "id_region", "region code unknown to GB/T 2260 (1980-2019)", "行政区划码未知"},
    {XJL_F_ID_CONVERTED15, false, "id_converted15", "old 15-digit number converted to 18", "15位旧号码已升位"},
    {XJL_F_ID_TYPE_MISMATCH, false, "id_type_mismatch", "number does not fit the ID document type", "证件号与证件类型不符"},
    {XJL_F_DOB_MISMATCH, false, "dob_mismatch", "birth date differs from the one in the ID number", "出生日期与证件号不一致"},
    {XJL_F_GENDER_MISMATCH, false, "gender_mismatch", "gender differs from the one in the ID number", "性别与证件号不一致"},
};

/* The enum's value as an int: a caller may pass one outside the enum. */
static bool finding_known(xjl_finding code)
{
    return (int)code >= 0 && (int)code < XJL_F_COUNT;
}

XJL_API const char *xjl_finding_name(xjl_finding code)
{
    return finding_known(code) ? findings[code].name : "unknown";
}

XJL_API const char *xjl_finding_message(xjl_finding code, xjl_lang lang)
{
    bool zh = lang == XJL_LANG_ZH;
    if (!finding_known(code))
        return zh ? "未知" : "unknown finding";
    return zh ? findings[code].zh : findings[code].en;
}

XJL_API bool xjl_finding_is_error(xjl_finding code)
{
    return finding_known(code) && findings[code].error;
}

/* Used by the table test: the table's rows must stand at their codes. */
int xjl__finding_table_code(int i);
int xjl__finding_table_code(int i)
{
    return findings[i].code;
}
