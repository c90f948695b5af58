/*
 * Agreement levels, one field at a time, between a query and a registry
 * entry.  The levels are the vocabulary of every explanation the library
 * gives ("id=typo name=pinyin dob=swap"), and the only input of the score.
 */
#include "match/matching.h"

#include <stdlib.h>
#include <string.h>

int32_t xjl__date_swap(int32_t days)
{
    int y, m, d;
    if (days == XJL_DATE_NONE || xjl_date_to_ymd(days, &y, &m, &d) != XJL_OK || m == d || d > 12)
        return XJL_DATE_NONE;
    return xjl_date_from_ymd(y, d, m);
}

static void ymd_digits(int32_t days, char out[8])
{
    int y, m, d;
    xjl_date_to_ymd(days, &y, &m, &d);
    int v[8] = {y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10, m / 10, m % 10, d / 10, d % 10};
    for (int i = 0; i < 8; i++)
        out[i] = (char)('0' + v[i]);
}

static uint8_t compare_date(int32_t q, int32_t r)
{
    if (q == XJL_DATE_NONE || r == XJL_DATE_NONE)
        return XJL_LV_MISSING;
    if (q == r)
        return XJL_LV_DATE_EXACT;
    if (xjl__date_swap(q) == r)
        return XJL_LV_DATE_SWAP;
    if (q - r == 1 || r - q == 1)
        return XJL_LV_DATE_ONE_DAY;
    char a[8], b[8];
    ymd_digits(q, a);
    ymd_digits(r, b);
    int diff = 0;
    for (int i = 0; i < 8; i++)
        diff += a[i] != b[i];
    return diff == 1 ? XJL_LV_DATE_ONE_DIGIT : XJL_LV_DATE_DIFFERENT;
}

/* One substitution or one swap of adjacent characters. */
static bool one_typo(const char *a, const char *b, size_t n)
{
    size_t first = n, diffs = 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) {
            if (first == n)
                first = i;
            diffs++;
        }
    if (diffs == 1)
        return true;
    return diffs == 2 && first + 1 < n && a[first] == b[first + 1] && a[first + 1] == b[first] &&
           a[first] != a[first + 1];
}

static const char *entry_id_text(const xjl_index *ix, const struct xjl_entry *e, char buf[19])
{
    if (e->id64 & XJL_ID_IN_ARENA)
        return xjl__index_str(ix, (uint32_t)e->id64);
    xjl__id_unpack(e->id64, buf);
    return buf;
}

static uint8_t compare_id(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r)
{
    if (!q->e.id64 || !r->id64)
        return XJL_LV_MISSING;
    /* Packing is one to one: two packed numbers are equal as texts exactly
     * when they are equal packed (the common case: no need to unpack). */
    if (q->e.id64 == r->id64 && !(r->id64 & XJL_ID_IN_ARENA))
        return XJL_LV_ID_EXACT;
    char qb[19], rb[19];
    const char *qt = (q->e.id64 & XJL_ID_IN_ARENA) ? q->id_text : entry_id_text(ix, &q->e, qb);
    const char *rt = entry_id_text(ix, r, rb);
    if (strcmp(qt, rt) == 0)
        return XJL_LV_ID_EXACT;
    size_t ql = strlen(qt), rl = strlen(rt);
    if (ql == rl && one_typo(qt, rt, ql))
        return XJL_LV_ID_TYPO;
    return XJL_LV_ID_DIFFERENT;
}

static uint8_t compare_type(const struct xjl_entry *q, const struct xjl_entry *r)
{
    if (!q->id_type || !r->id_type)
        return XJL_LV_MISSING;
    if (q->id_type == r->id_type)
        return XJL_LV_TYPE_EXACT;
    if (xjl_id_type_is_citizen((xjl_id_type)q->id_type) &&
        xjl_id_type_is_citizen((xjl_id_type)r->id_type))
        return XJL_LV_TYPE_CLASS;
    return XJL_LV_TYPE_DIFFERENT;
}

/* Compares the SIMPLIFIED code points of the query with those of a registry
 * name (folded here from its BARE form).  Returns the number of positions
 * that differ where neither side is a placeholder (a rare character typed as
 * ? or □), or -1 if the lengths differ. */
static int simplified_differences(const struct xjl_name_forms *q, const char *rbare)
{
    size_t len = strlen(rbare), pos = 0, i = 0;
    int hard = 0;
    while (pos < len) {
        int32_t cp = xjl__utf8_next(rbare, len, &pos);
        if (cp < 0 || i >= q->ncps)
            return -1;
        uint32_t rc = xjl__simplify((uint32_t)cp);
        if (rc != q->cps[i] && !xjl__is_placeholder(rc) && !xjl__is_placeholder(q->cps[i]))
            hard++;
        i++;
    }
    return i == q->ncps ? hard : -1;
}

static uint8_t compare_name(const xjl_index *ix, const struct xjl_query *q,
                            const struct xjl_entry *r)
{
    if (!(q->e.flags & XJL_ENTRY_NAME_OK) || !(r->flags & XJL_ENTRY_NAME_OK))
        return XJL_LV_MISSING;
    const char *rbare = xjl__index_str(ix, r->name_off);
    if (q->e.bare_h == r->bare_h && strcmp(q->in.name.bare, rbare) == 0)
        return ((q->e.flags ^ r->flags) & XJL_ENTRY_SEPARATED) ? XJL_LV_NAME_NOSEP
                                                               : XJL_LV_NAME_EXACT;
    if ((q->e.flags & r->flags & XJL_ENTRY_LATIN) && q->e.py_h == r->py_h)
        return XJL_LV_NAME_SWAPPED;
    int diff = simplified_differences(&q->in.name, rbare);
    bool placeholders = q->in.name.has_placeholder || (r->flags & XJL_ENTRY_PLACEHOLDER);
    if (diff == 0 && !placeholders)
        return XJL_LV_NAME_VARIANT;
    if (q->e.py_h == r->py_h)
        return XJL_LV_NAME_PINYIN;
    if (diff == 0 || diff == 1)
        return XJL_LV_NAME_ONE_CHAR;
    return XJL_LV_NAME_DIFFERENT;
}

void xjl__compare(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                  struct xjl_levels *out)
{
    out->name = compare_name(ix, q, r);
    out->dob = compare_date(q->e.dob, r->dob);
    out->id = compare_id(ix, q, r);
    out->type = compare_type(&q->e, r);
    if ((q->e.gender != XJL_GENDER_MALE && q->e.gender != XJL_GENDER_FEMALE) ||
        (r->gender != XJL_GENDER_MALE && r->gender != XJL_GENDER_FEMALE))
        out->gender = XJL_LV_MISSING;
    else
        out->gender = q->e.gender == r->gender ? XJL_LV_GENDER_EXACT : XJL_LV_GENDER_DIFFERENT;
}
