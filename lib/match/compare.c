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
    char rb[19];
    const char *rt = entry_id_text(ix, r, rb);
    /* Two packed numbers that differ (above) are two texts of 18 that
     * differ; otherwise compare the texts. */
    if (!((q->e.id64 | r->id64) & XJL_ID_IN_ARENA))
        return one_typo(q->id_text, rt, 18) ? XJL_LV_ID_TYPO : XJL_LV_ID_DIFFERENT;
    if (strcmp(q->id_text, rt) == 0)
        return XJL_LV_ID_EXACT;
    size_t ql = strlen(q->id_text), rl = strlen(rt);
    if (ql == rl && one_typo(q->id_text, rt, ql))
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

/* The SIMPLIFIED code points of a registry name, folded here from its BARE
 * form; -1 if it does not decode or is longer than a name can be. */
static int registry_cps(const char *rbare, uint32_t cps[XJL_NAME_MAX_CPS])
{
    size_t len = strlen(rbare), pos = 0;
    int n = 0;
    while (pos < len) {
        int32_t cp = xjl__utf8_next(rbare, len, &pos);
        if (cp < 0 || n == XJL_NAME_MAX_CPS)
            return -1;
        cps[n++] = xjl__simplify((uint32_t)cp);
    }
    return n;
}

/* Positions where the query's SIMPLIFIED code points differ from the
 * registry name's, neither side being a placeholder (a rare character typed
 * as ? or □); *where is the last such position. */
static int simplified_differences(const struct xjl_name_forms *q, const uint32_t *rcps,
                                  size_t *where)
{
    int hard = 0;
    for (size_t i = 0; i < q->ncps; i++)
        if (rcps[i] != q->cps[i] && !xjl__is_placeholder(rcps[i]) &&
            !xjl__is_placeholder(q->cps[i])) {
            hard++;
            *where = i;
        }
    return hard;
}

/* Whether some choice of readings reads both names alike, position by
 * position (柏 bó and 博 bó), compared as they are or by fuzzy class.  At
 * each position one of the two readings is its character's first (primary)
 * one: a school types by sound, and the character its input method offers
 * for a sound is one commonly read so, while the character meant may be read
 * so only in names.  Two secondary readings (家 jiē and 楷 jiē) are no
 * evidence: among the thousands of namesakes of a day they agree by chance.
 * A placeholder agrees with nothing. */
static bool readings_agree(const struct xjl_name_forms *q, const uint32_t *rcps,
                           const uint32_t *rpy, bool fuzzy)
{
    for (size_t i = 0; i < q->ncps; i++) {
        if (xjl__is_placeholder(q->cps[i]) || xjl__is_placeholder(rcps[i]))
            return false;
        uint32_t a[XJL_PY_READINGS_MAX], b[XJL_PY_READINGS_MAX];
        size_t na = xjl__pinyin_readings(q->cps[i], i == 0, q->pinyin[i], a);
        size_t nb = xjl__pinyin_readings(rcps[i], i == 0, rpy[i], b);
        /* A surname's first readings are two: as a surname and as a word. */
        size_t pa = i == 0 && na > 1 && a[1] == xjl__pinyin_of(q->cps[i], false) ? 2 : 1;
        size_t pb = i == 0 && nb > 1 && b[1] == xjl__pinyin_of(rcps[i], false) ? 2 : 1;
        bool some = false;
        for (size_t x = 0; x < na && !some; x++)
            for (size_t y = 0; y < nb && !some; y++)
                some = (x < pa || y < pb) &&
                       (fuzzy ? xjl__pinyin_fuzzy(a[x]) == xjl__pinyin_fuzzy(b[y]) : a[x] == b[y]);
        if (!some)
            return false;
    }
    return true;
}

static uint8_t compare_name(const xjl_index *ix, const struct xjl_query *q,
                            const struct xjl_entry *r, bool *by_other_reading)
{
    *by_other_reading = false;
    if (!(q->e.flags & XJL_ENTRY_NAME_OK) || !(r->flags & XJL_ENTRY_NAME_OK))
        return XJL_LV_MISSING;
    /* a built record is told by its name's offset once the query's name is
     * known among the built ones (struct xjl_query), without a compare */
    bool built = xjl__entry_is_built(ix, r);
    const char *rbare = xjl__index_str(ix, r->name_off);
    if (built && q->built_name != UINT32_MAX ? r->name_off == q->built_name
                                             : strcmp(q->in.name.bare, rbare) == 0)
        return ((q->e.flags ^ r->flags) & XJL_ENTRY_SEPARATED) ? XJL_LV_NAME_NOSEP
                                                               : XJL_LV_NAME_EXACT;
    if ((q->e.flags & r->flags & XJL_ENTRY_LATIN) && q->e.py_h == r->py_h)
        return XJL_LV_NAME_SWAPPED;
    uint32_t rcps[XJL_NAME_MAX_CPS];
    int n = registry_cps(rbare, rcps);
    if (n < 0 || (size_t)n != q->in.name.ncps)
        return XJL_LV_NAME_DIFFERENT;
    size_t where = 0;
    int diff = simplified_differences(&q->in.name, rcps, &where);
    bool placeholders = q->in.name.has_placeholder || (r->flags & XJL_ENTRY_PLACEHOLDER);
    if (diff == 0 && !placeholders)
        return XJL_LV_NAME_VARIANT;
    /* py_h is of fuzzy classes (name_keys.c): equal ones are no proof of
     * equal pinyin, so the readings are compared */
    if (!((q->e.flags | r->flags) & XJL_ENTRY_LATIN) && diff > 0) {
        uint32_t rpy[XJL_NAME_MAX_CPS];
        xjl__pinyin_name(rcps, (size_t)n, rpy);
        if (readings_agree(&q->in.name, rcps, rpy, false)) {
            *by_other_reading = memcmp(q->in.name.pinyin, rpy, (size_t)n * sizeof *rpy) != 0;
            return XJL_LV_NAME_PINYIN;
        }
        if (readings_agree(&q->in.name, rcps, rpy, true))
            return XJL_LV_NAME_FUZZY_PINYIN;
    }
    if (diff == 1 && xjl__lookalike(q->in.name.cps[where], rcps[where]))
        return XJL_LV_NAME_LOOKALIKE;
    if (diff == 0 || diff == 1)
        return XJL_LV_NAME_ONE_CHAR;
    return XJL_LV_NAME_DIFFERENT;
}

void xjl__compare(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                  struct xjl_levels *out)
{
    xjl__compare_packed(ix, q, r, out);
    xjl__compare_name(ix, q, r, out);
}

void xjl__compare_name(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                       struct xjl_levels *out)
{
    out->name = compare_name(ix, q, r, &out->name_by_other_reading);
}

void xjl__compare_packed(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                         struct xjl_levels *out)
{
    out->dob = compare_date(xjl__entry_dob(&q->e), xjl__entry_dob(r));
    out->id = compare_id(ix, q, r);
    out->type = compare_type(&q->e, r);
    if ((q->e.gender != XJL_GENDER_MALE && q->e.gender != XJL_GENDER_FEMALE) ||
        (r->gender != XJL_GENDER_MALE && r->gender != XJL_GENDER_FEMALE))
        out->gender = XJL_LV_MISSING;
    else
        out->gender = q->e.gender == r->gender ? XJL_LV_GENDER_EXACT : XJL_LV_GENDER_DIFFERENT;
}
