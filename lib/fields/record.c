/*
 * The five key fields together: each is read by its own stage, then the
 * record is checked for consistency (the birth date and gender written in
 * the roster against those encoded in the citizen number).  A disagreement
 * is a warning: the date inside an ID number is usually, not always, the
 * real birth date (docs/domain.md §4), so it is a signal for review, not proof.
 */
#include "fields/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set(xjl_parsed *p, xjl_field f, int finding)
{
    p->findings[f] |= XJL_FINDING_BIT(finding);
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* The length of a field (f: its place in xjl_record) as the caller knows
 * it, else XJL_NTS (the parsers measure it); a NULL field is read as "". */
static size_t field_len(const char *field, const size_t *lens, int f)
{
    return lens && field ? lens[f] : XJL_NTS;
}

void xjl__record_read(const xjl_record *rec, struct xjl_key_input *out)
{
    xjl__record_read_n(rec, NULL, out);
}

void xjl__record_read_n(const xjl_record *rec, const size_t *lens, struct xjl_key_input *out)
{
    xjl_parsed *p = &out->parsed;
    memset(p, 0, sizeof *p);
    p->birth_date = XJL_DATE_NONE;

    /* 姓名 */
    out->name_ok = xjl__name_forms(rec->name ? rec->name : "", field_len(rec->name, lens, 0),
                                   &out->name) == XJL_OK;
    p->findings[XJL_FIELD_NAME] = out->name.findings;
    if (out->name_ok)
        memcpy(p->name, out->name.display, (size_t)out->name.display_len + 1);

    /* 性别 */
    if (blank(rec->gender))
        set(p, XJL_FIELD_GENDER, XJL_F_EMPTY);
    else if (xjl_gender_parse(rec->gender, field_len(rec->gender, lens, 1), &p->gender) != XJL_OK)
        set(p, XJL_FIELD_GENDER, XJL_F_GENDER_VALUE);

    /* 出生日期 */
    xjl_finding finding = XJL_F_NONE;
    if (xjl_date_parse(rec->birth_date ? rec->birth_date : "", field_len(rec->birth_date, lens, 2),
                       &p->birth_date, &finding) != XJL_OK &&
        finding != XJL_F_NONE)
        set(p, XJL_FIELD_BIRTH_DATE, finding);

    /* 身份证件类型: empty is allowed when the number tells (inferred below). */
    bool type_ok = xjl_id_type_parse(rec->id_type ? rec->id_type : "",
                                     field_len(rec->id_type, lens, 3), &p->id_type) == XJL_OK;
    if (!type_ok) {
        set(p, XJL_FIELD_ID_TYPE, XJL_F_IDTYPE_VALUE);
        p->id_type = XJL_IDTYPE_NONE;
    }

    /* 身份证件号, read according to its type. */
    xjl_id_parse(rec->id_number ? rec->id_number : "", field_len(rec->id_number, lens, 4),
                 p->id_type, &p->id);
    p->findings[XJL_FIELD_ID_NUMBER] = p->id.findings;
    if (type_ok && p->id_type == XJL_IDTYPE_NONE && p->id.kind != XJL_IDKIND_EMPTY) {
        switch (p->id.kind) {
        case XJL_IDKIND_CITIZEN:
            p->id_type = XJL_IDTYPE_RESIDENT;
            break;
        case XJL_IDKIND_HMT:
            p->id_type = XJL_IDTYPE_HMT_RESIDENCE;
            break;
        case XJL_IDKIND_PR_NEW:
        case XJL_IDKIND_PR_OLD:
            p->id_type = XJL_IDTYPE_FOREIGN_PR;
            break;
        default:
            break;
        }
        set(p, XJL_FIELD_ID_TYPE,
            p->id_type != XJL_IDTYPE_NONE ? XJL_F_IDTYPE_INFERRED : XJL_F_EMPTY);
    }

    /* Consistency with what the number encodes. */
    if (p->id.birth_date != XJL_DATE_NONE && p->birth_date != XJL_DATE_NONE &&
        p->id.birth_date != p->birth_date)
        set(p, XJL_FIELD_RECORD, XJL_F_DOB_MISMATCH);
    if (p->id.gender != XJL_GENDER_UNKNOWN &&
        (p->gender == XJL_GENDER_MALE || p->gender == XJL_GENDER_FEMALE) &&
        p->id.gender != p->gender)
        set(p, XJL_FIELD_RECORD, XJL_F_GENDER_MISMATCH);

    /* Most records have no finding at all: one test for them. */
    _Static_assert(XJL_FIELD_COUNT == 6, "one term per field below");
    uint32_t any = p->findings[0] | p->findings[1] | p->findings[2] | p->findings[3] |
                   p->findings[4] | p->findings[5];
    for (int f = 0; f < XJL_FIELD_COUNT && (any & ~XJL_FINDING_BIT(XJL_F_NONE)); f++) {
        /* findings are rare: one loop turn per finding, none for a clean field */
        for (uint32_t all = p->findings[f] & ~XJL_FINDING_BIT(XJL_F_NONE); all; all &= all - 1) {
            if (all & (~all + 1) & XJL_ERROR_FINDINGS)
                p->errors++;
            else
                p->warnings++;
        }
    }
}

XJL_API int xjl_record_parse(const xjl_record *rec, xjl_parsed *out)
{
    if (!rec || !out)
        return xjl__fail(XJL_EINVAL, "xjl_record_parse: NULL %s", rec ? "out" : "record");
    struct xjl_key_input *in = malloc(sizeof *in);
    if (!in)
        return xjl__fail(XJL_ENOMEM, "xjl_record_parse: out of memory");
    xjl__record_read(rec, in);
    *out = in->parsed;
    free(in);
    return XJL_OK;
}

XJL_API int xjl_parsed_describe(const xjl_parsed *p, char *buf, size_t cap, size_t *out_len)
{
    return xjl_parsed_describe_lang(p, XJL_LANG_EN, buf, cap, out_len);
}

XJL_API int xjl_parsed_describe_lang(const xjl_parsed *p, xjl_lang lang, char *buf, size_t cap,
                                     size_t *out_len)
{
    if (!p)
        return xjl__fail(XJL_EINVAL, "xjl_parsed_describe: NULL record");
    if (lang == XJL_LANG_ZH) { /* "身份证件号：证件号校验码错误；出生日期：…" */
        char text[1024];
        size_t n = 0;
        for (int f = 0; f < XJL_FIELD_COUNT; f++)
            for (int c = 1; c < XJL_F_COUNT; c++)
                if (p->findings[f] & XJL_FINDING_BIT(c)) {
                    int w =
                        snprintf(text + n, sizeof text - n, "%s%s：%s", n ? "；" : "",
                                 xjl_field_label((xjl_field)f, lang), xjl_finding_message(c, 1));
                    if (w < 0 || (size_t)w >= sizeof text - n) {
                        text[n] = '\0';
                        break;
                    }
                    n += (size_t)w;
                }
        return xjl__copy_out(text, n, buf, cap, out_len);
    }
    char text[1024];
    size_t n = 0;
    text[0] = '\0';
    for (int f = 0; f < XJL_FIELD_COUNT; f++)
        for (int c = 1; c < XJL_F_COUNT; c++)
            if (p->findings[f] & XJL_FINDING_BIT(c)) {
                const char *fn = xjl_field_name((xjl_field)f), *cn = xjl_finding_name(c);
                size_t need = strlen(fn) + strlen(cn) + 2;
                if (n + need + 1 >= sizeof text)
                    break;
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%s:%s", n ? " " : "", fn, cn);
            }
    return xjl__copy_out(text, n, buf, cap, out_len);
}
