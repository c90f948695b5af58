/*
 * Error codes, the per-thread detailed message, the findings table and the
 * version.  The message is thread-local so that the API stays usable from
 * many threads without a handle per call (as errno, but with the where and what).
 */
#include "util/util.h"

#include <errno.h>
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

XJL_API int xjl_error_set(int code, const char *message)
{
    return xjl__fail(code, "%s", message ? message : xjl_strerror((xjl_error)code));
}

/* The catalogue id of an error code (messages.c holds the texts). */
static const char *error_id(xjl_error code)
{
    /* an int: a caller may pass a value outside the enum */
    switch ((int)code) {
    case XJL_OK:
        return "error.ok";
    case XJL_EINVAL:
        return "error.einval";
    case XJL_ENOMEM:
        return "error.enomem";
    case XJL_EENCODING:
        return "error.eencoding";
    case XJL_EIO:
        return "error.eio";
    case XJL_ESTATE:
        return "error.estate";
    case XJL_ERANGE:
        return "error.erange";
    case XJL_EFORMAT:
        return "error.eformat";
    case XJL_ENOTFOUND:
        return "error.enotfound";
    case XJL_EQUOTA:
        return "error.equota";
    case XJL_EDB:
        return "error.edb";
    case XJL_EBUSY:
        return "error.ebusy";
    case XJL_EPOLICY:
        return "error.epolicy";
    case XJL_EDUPLICATE:
        return "error.eduplicate";
    case XJL_ETRUNCATED:
        return "error.etruncated";
    case XJL_ECORRUPT:
        return "error.ecorrupt";
    case XJL_EFOREIGN:
        return "error.eforeign";
    case XJL_EVERSION:
        return "error.eversion";
    default:
        return "error.unknown";
    }
}

XJL_API const char *xjl_strerror(xjl_error code)
{
    return xjl_message(error_id(code), XJL_LANG_EN);
}

XJL_API const char *xjl_strerror_lang(xjl_error code, xjl_lang lang)
{
    return xjl_message(error_id(code), lang);
}

/* The language of this thread's messages (messages.c has the texts). */
static _Thread_local xjl_lang thread_lang = XJL_LANG_EN;

XJL_API int xjl_set_lang(xjl_lang lang)
{
    if (lang != XJL_LANG_EN && lang != XJL_LANG_ZH)
        return xjl__fail(XJL_EINVAL, "xjl_set_lang: unknown language %d", (int)lang);
    thread_lang = lang;
    return XJL_OK;
}

XJL_API xjl_lang xjl_get_lang(void)
{
    return thread_lang;
}

const char *xjl__msg(const char *id)
{
    return xjl_message(id, thread_lang);
}

XJL_API const char *xjl_errno_text(int err, xjl_lang lang)
{
    /* the ones a user meets opening or writing a file; the C library's text
     * otherwise (its own language follows the locale, if the program sets
     * one) */
    static const struct {
        int err;
        const char *id;
    } known[] = {
        {EACCES, "errno.eacces"},   {EDQUOT, "errno.edquot"}, {EFBIG, "errno.efbig"},
        {EIO, "errno.eio"},         {EISDIR, "errno.eisdir"}, {ENAMETOOLONG, "errno.enametoolong"},
        {ENOENT, "errno.enoent"},   {ENOMEM, "errno.enomem"}, {ENOSPC, "errno.enospc"},
        {ENOTDIR, "errno.enotdir"}, {EROFS, "errno.erofs"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].err == err)
            return xjl_message(known[i].id, lang);
    return strerror(err);
}

const char *xjl__errno_text(int err)
{
    return xjl_errno_text(err, xjl_get_lang());
}

int xjl__failm(int code, const char *id, ...)
{
    last_code = code;
    va_list ap;
    va_start(ap, id);
    vsnprintf(last_message, sizeof last_message, xjl__msg(id), ap);
    va_end(ap);
    return code;
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

XJL_API const char *xjl_field_name(xjl_field field)
{
    return (unsigned)field < XJL_FIELD_COUNT ? field_names[field] : "unknown";
}

XJL_API const char *xjl_field_label_zh(xjl_field field)
{
    return xjl_field_label(field, XJL_LANG_ZH);
}

XJL_API const char *xjl_field_label(xjl_field field, xjl_lang lang)
{
    static const char *const ids[XJL_FIELD_COUNT] = {
        "field.name",    "field.gender",    "field.birth_date",
        "field.id_type", "field.id_number", "field.record",
    };
    return (unsigned)field < XJL_FIELD_COUNT ? xjl_message(ids[field], lang)
                                             : xjl_message("finding.unknown", lang);
}

/* One row per finding: the order is the enum's, checked by test_error.c. */
static const struct {
    int code;
    bool error;
    const char *name; /* the catalogue has its texts as "finding.NAME" */
} findings[XJL_F_COUNT] = {
    {XJL_F_NONE, false, "none"},
    {XJL_F_EMPTY, true, "empty"},
    {XJL_F_ENCODING, true, "encoding"},
    {XJL_F_TOO_LONG, true, "too_long"},
    {XJL_F_NUL, true, "nul"},
    {XJL_F_NAME_PLACEHOLDER, false, "name_placeholder"},
    {XJL_F_NAME_CHARS, true, "name_chars"},
    {XJL_F_GENDER_VALUE, true, "gender_value"},
    {XJL_F_DATE_SYNTAX, true, "date_syntax"},
    {XJL_F_DATE_INVALID, true, "date_invalid"},
    {XJL_F_DATE_RANGE, true, "date_range"},
    {XJL_F_IDTYPE_VALUE, true, "idtype_value"},
    {XJL_F_IDTYPE_INFERRED, false, "idtype_inferred"},
    {XJL_F_ID_MISSING, false, "id_missing"},
    {XJL_F_ID_LENGTH, true, "id_length"},
    {XJL_F_ID_CHARS, true, "id_chars"},
    {XJL_F_ID_DATE, true, "id_date"},
    {XJL_F_ID_CHECK, true, "id_check"},
    {XJL_F_ID_REGION, false, "id_region"},
    {XJL_F_ID_CONVERTED15, false, "id_converted15"},
    {XJL_F_ID_TYPE_MISMATCH, false, "id_type_mismatch"},
    {XJL_F_DOB_MISMATCH, false, "dob_mismatch"},
    {XJL_F_GENDER_MISMATCH, false, "gender_mismatch"},
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
    char id[48];
    snprintf(id, sizeof id, "finding.%s", finding_known(code) ? findings[code].name : "unknown");
    return xjl_message(id, lang);
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
