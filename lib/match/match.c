/*
 * Matching one record: candidates, scores, classification.
 *
 *   candidates  the query's keys are probed in the index: its ID number; its
 *               pinyin (which equal names share) with its birth date, the
 *               birth date inside its ID number, and the likely typos of the
 *               date (±1 day, day and month swapped).  Each key reads at most
 *               XJL_PARAM_BLOCK_LIMIT records, so a block of namesakes stays
 *               cheap.
 *   score       Fellegi–Sunter: the sum over fields of log2(m/u) of the
 *               agreement level (compare.c).  The name's agreement weight
 *               depends on how common the name is, in the registry and
 *               among the records born on the query's date: agreeing on
 *               张伟 proves less than agreeing on a rare name.
 *   rank        records agreeing on all five fields first, then score,
 *               then the number of fields agreeing exactly; the cap on
 *               candidates never cuts a five-field record.
 *   classify    matched only when exactly one record agrees on all five
 *               normalised key fields with a non-empty ID number, no other
 *               record has that number, and no other candidate reaches the
 *               review threshold, unlikely ones aside (drop_unlikely()).
 *               Everything else that reaches the threshold is offered for
 *               review (pending); the rest is not found.  docs/matching.md
 *               gives the reasons.
 *
 * Default weights.  The u-probabilities come from a registry cohort of a
 * few birth years (a birth date agrees by chance about 1 in 1,000) and the
 * m-probabilities from the error rates of docs/domain.md §8 (a few tenths of a
 * percent per kind of error).  Two valid, different citizen numbers are
 * strong evidence of two children: namesakes born on the same day are
 * common (about one new pupil in ten has one in a registry of millions), so
 * that weight must outweigh a full agreement of name, date and gender.  The
 * accuracy benchmark (bench/) measures what these defaults give.
 */
#include "match/matching.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double param_defaults[XJL_PARAM_COUNT] = {
    [XJL_PARAM_MAX_CANDIDATES] = 10,       [XJL_PARAM_REVIEW_THRESHOLD] = 6.0,
    [XJL_PARAM_BLOCK_LIMIT] = 2000,        [XJL_PARAM_W_ID_EXACT] = 14.0,
    [XJL_PARAM_W_ID_TYPO] = 8.0,           [XJL_PARAM_W_ID_DIFFERENT] = -20.0,
    [XJL_PARAM_W_ID_OTHER] = -3.0,         [XJL_PARAM_W_NAME_EXACT_MAX] = 12.0,
    [XJL_PARAM_W_NAME_VARIANT] = 8.0,      [XJL_PARAM_W_NAME_PINYIN] = 6.0,
    [XJL_PARAM_W_NAME_ONE_CHAR] = 3.0,     [XJL_PARAM_W_NAME_DIFFERENT] = -8.0,
    [XJL_PARAM_W_DATE_EXACT] = 10.0,       [XJL_PARAM_W_DATE_SWAP] = 5.0,
    [XJL_PARAM_W_DATE_ONE_DAY] = 4.0,      [XJL_PARAM_W_DATE_ONE_DIGIT] = 3.0,
    [XJL_PARAM_W_DATE_DIFFERENT] = -6.0,   [XJL_PARAM_W_GENDER_EXACT] = 1.0,
    [XJL_PARAM_W_GENDER_DIFFERENT] = -5.0, [XJL_PARAM_MATCH_WITHOUT_ID] = 0,
    [XJL_PARAM_MATCH_PRIOR] = 0,           [XJL_PARAM_W_NAME_FUZZY] = 5.5,
    [XJL_PARAM_W_NAME_LOOKALIKE] = 5.0,
};

/* What each parameter means: the one text that the bindings' documentation
 * (Python's PARAM_INFO, Java) shows.  Weights are log2(m/u) score points. */
static const char *const param_descriptions[XJL_PARAM_COUNT] = {
    [XJL_PARAM_MAX_CANDIDATES] = "candidates kept per result, best first",
    [XJL_PARAM_REVIEW_THRESHOLD] = "lowest score of a candidate offered for review (pending); "
                                   "below it a row is not_found",
    [XJL_PARAM_BLOCK_LIMIT] = "registry records read per search key at most (a huge block of "
                              "namesakes born the same day)",
    [XJL_PARAM_W_ID_EXACT] = "score of equal ID numbers",
    [XJL_PARAM_W_ID_TYPO] = "score of ID numbers one substitution or one adjacent swap apart",
    [XJL_PARAM_W_ID_DIFFERENT] = "score of two valid citizen numbers that differ (two children)",
    [XJL_PARAM_W_ID_OTHER] = "score of ID numbers that differ, one invalid or not a citizen "
                             "number",
    [XJL_PARAM_W_NAME_EXACT_MAX] = "score of equal names, for the rarest name (common names "
                                   "score less, by their frequency in the registry)",
    [XJL_PARAM_W_NAME_VARIANT] = "score of names equal after the Traditional-to-Simplified fold",
    [XJL_PARAM_W_NAME_PINYIN] = "score of names with the same toneless pinyin (homophones) for "
                                "some choice of each character's readings",
    [XJL_PARAM_W_NAME_FUZZY] = "score of names with the same pinyin once z/zh, c/ch, s/sh, n/l, "
                               "f/h, in/ing, en/eng, an/ang are taken as one (fuzzy pinyin)",
    [XJL_PARAM_W_NAME_LOOKALIKE] = "score of names one character apart where the two characters "
                                   "look alike (same four-corner code or near Cangjie codes)",
    [XJL_PARAM_W_NAME_ONE_CHAR] = "score of names one character apart",
    [XJL_PARAM_W_NAME_DIFFERENT] = "score of different names",
    [XJL_PARAM_W_DATE_EXACT] = "score of equal birth dates",
    [XJL_PARAM_W_DATE_SWAP] = "score of birth dates with day and month swapped",
    [XJL_PARAM_W_DATE_ONE_DAY] = "score of birth dates one day apart",
    [XJL_PARAM_W_DATE_ONE_DIGIT] = "score of birth dates one digit of YYYYMMDD apart",
    [XJL_PARAM_W_DATE_DIFFERENT] = "score of different birth dates",
    [XJL_PARAM_W_GENDER_EXACT] = "score of equal genders",
    [XJL_PARAM_W_GENDER_DIFFERENT] = "score of different genders",
    [XJL_PARAM_MATCH_WITHOUT_ID] = "1: match a row without ID number automatically when a "
                                   "record without one agrees on the other four fields and its "
                                   "name is unique (default 0: pending)",
    [XJL_PARAM_MATCH_PRIOR] = "prior probability that a given registry record is the row's "
                              "child, for the candidates' match probability (default 0: one "
                              "record in the whole registry)",
};

XJL_API const char *xjl_param_description(xjl_param p)
{
    return (unsigned)p < XJL_PARAM_COUNT ? param_descriptions[p] : NULL;
}

XJL_API double xjl_param_default(xjl_param p)
{
    return (unsigned)p < XJL_PARAM_COUNT ? param_defaults[p] : NAN;
}

/* The name agreement weight never falls below this, however common the
 * name: agreeing on a name is always some evidence. */
#define NAME_EXACT_MIN 2.0
/* m of the name agreeing exactly, in the frequency weight log2(m * N / count). */
#define NAME_EXACT_M 0.9

/* Pseudo-records of the whole registry's name frequency that the frequency
 * on one date is smoothed with: a date with few records says little. */
#define DATE_PRIOR_RECORDS 1000.0
/* How often a record's name agrees with a query's at a loose level by
 * chance, among records born on the same day: the u of docs/matching.md's
 * table of name levels (bench_name_levels on a generated registry). */
#define CHANCE_FUZZY 1.8e-5
/* look-alikes with one Cangjie letter added (lib/fields/shape.c): 56 of
 * 8,947,274 pairs, 2.95e-6 before it (40 of 13,544,705; docs/han-data.md) */
#define CHANCE_LOOKALIKE 6.3e-6
/* The most chance agreements expected in a query's block (its birth date
 * and gender) for which a loose name agreement without an ID number to back
 * it is still offered: one such stranger in a hundred blocks (loose_chance()). */
#define LOOSE_CHANCE_MAX 0.01
/* The other dates a search reads beside the birth date: a day either side,
 * day and month swapped, the date inside the ID number. */
#define OTHER_DATES 4.0

/* A matcher reads a block at most this many times the block limit deep to
 * keep the limit's most agreeing records (keep_most_agreeing()). */
#define BLOCK_READ_FACTOR 8

struct xjl_matcher {
    const xjl_index *ix;
    double p[XJL_PARAM_COUNT];
};

/* A graded candidate, as the finish stage sorts them. */
struct xjl_cand {
    uint32_t pos;
    float score;
    float w[XJL_FIELD_RECORD]; /* each field's part of the score, by xjl_field */
    struct xjl_levels lv;
    uint8_t agree;        /* fields that agree exactly (rank_agreement()) */
    int8_t noid_off;      /* no ID number: of name, date, gender, how many are off (-1: has one) */
    uint8_t off;          /* of name, date and gender, how many are off (fields_off()) */
    bool kept;            /* never cut by the cap (is_kept()) */
    bool chance;          /* a loose name agreement that chance explains (loose_chance()) */
    bool off_number_date; /* no ID number, born neither on the query's date nor its number's
                           * (off_number_date()) */
};

/* A candidate of a result, with its record id copied into the result: the
 * writer of a roster reads the ids long after matching, when the registry's
 * entry and arena line would be cache misses again. */
struct xjl_result_cand {
    struct xjl_cand c;
    const char *id; /* in the result's text, after c[] */
};

/* One allocation: the header, the n candidates, the text their ids point
 * to and, for a query with blocking errors, its findings, then the query.
 * What a roster's writer reads (status, score, ids, reasons) comes first, in
 * a line or two; the query, which it does not read, last.  Reasons texts of
 * candidates are shared (reasons_text), never written per result. */
struct xjl_result {
    xjl_match_status status;
    float score;
    float log2_prior_odds; /* of xjl_result_candidate_probability() */
    size_t n;
    struct result_slab *slab; /* the block it was carved from, or NULL: malloc'd alone */
    const char *reasons;      /* the best candidate's, or the query's findings */
    size_t unread;            /* records the block limit left out (block_limit_text()) */
    xjl_parsed *query;        /* after the text */
    struct xjl_result_cand c[];
};

/* ---- names of things ---------------------------------------------------- */

XJL_API const char *xjl_status_name(xjl_match_status st)
{
    static const char *const n[] = {"matched", "pending", "not_found", "error"};
    return (unsigned)st < 4 ? n[st] : "unknown";
}

XJL_API const char *xjl_status_label_zh(xjl_match_status st)
{
    return xjl_status_label(st, XJL_LANG_ZH);
}

XJL_API const char *xjl_status_label(xjl_match_status st, xjl_lang lang)
{
    static const char *const ids[] = {"status.matched", "status.pending", "status.not_found",
                                      "status.error"};
    return xjl_message((unsigned)st < 4 ? ids[st] : "status.unknown", lang);
}

XJL_API const char *xjl_level_name(xjl_level level)
{
    /* an int: a caller may pass a value outside the enum */
    switch ((int)level) {
    case XJL_LV_MISSING:
        return "missing";
    case XJL_LV_NAME_EXACT:
    case XJL_LV_GENDER_EXACT:
    case XJL_LV_DATE_EXACT:
    case XJL_LV_TYPE_EXACT:
    case XJL_LV_ID_EXACT:
        return "exact";
    case XJL_LV_NAME_NOSEP:
        return "nosep";
    case XJL_LV_NAME_VARIANT:
        return "variant";
    case XJL_LV_NAME_PINYIN:
        return "pinyin";
    case XJL_LV_NAME_FUZZY_PINYIN:
        return "fuzzy_pinyin";
    case XJL_LV_NAME_LOOKALIKE:
        return "lookalike";
    case XJL_LV_NAME_ONE_CHAR:
        return "one_char";
    case XJL_LV_NAME_SWAPPED:
        return "swapped";
    case XJL_LV_NAME_DIFFERENT:
    case XJL_LV_GENDER_DIFFERENT:
    case XJL_LV_DATE_DIFFERENT:
    case XJL_LV_TYPE_DIFFERENT:
    case XJL_LV_ID_DIFFERENT:
        return "different";
    case XJL_LV_DATE_SWAP:
        return "swap";
    case XJL_LV_DATE_ONE_DAY:
        return "one_day";
    case XJL_LV_DATE_ONE_DIGIT:
        return "one_digit";
    case XJL_LV_TYPE_CLASS:
        return "class";
    case XJL_LV_ID_TYPO:
        return "typo";
    default:
        return "unknown";
    }
}

/* ---- reasons ------------------------------------------------------------ */

static char *put(char *d, const char *s)
{
    while (*s)
        *d++ = *s++;
    return d;
}

/* The reasons `before` (a candidate's, possibly empty) followed by the
 * finding that the block limit left `unread` records of a search key's
 * block out of the comparison, in lang, into buf (cut to cap).  Returns
 * the length of the whole text. */
static size_t block_limit_text(const char *before, size_t unread, xjl_lang lang, char *buf,
                               size_t cap)
{
    int n = snprintf(buf, cap, "%s%s", before, !*before ? "" : lang == XJL_LANG_ZH ? "；" : " ");
    if (n < 0 || (size_t)n >= cap)
        return n < 0 ? 0 : cap - 1;
    int k = snprintf(buf + n, cap - (size_t)n, xjl_message("match.block_limit", lang), unread);
    if (k < 0)
        return (size_t)n;
    return (size_t)n + (size_t)k < cap ? (size_t)n + (size_t)k : cap - 1;
}

static void write_reasons(const struct xjl_levels *lv, char *buf)
{
    char *d = buf;
    d = put(d, "id=");
    d = put(d, xjl_level_name(lv->id));
    d = put(d, " name=");
    d = put(d, xjl_level_name(lv->name));
    d = put(d, " dob=");
    d = put(d, xjl_level_name(lv->dob));
    d = put(d, " gender=");
    d = put(d, xjl_level_name(lv->gender));
    d = put(d, " type=");
    d = put(d, xjl_level_name(lv->type));
    *d = '\0';
}

/* The reasons text of every combination of levels, made once: a result's
 * reasons are a pointer into this table, so that matching a row writes no
 * text and a result can be read from any thread.  compare.c gives each field
 * a level of its own kind only (MISSING or one of the field's XJL_LV_ range),
 * which is what the table has rows for. */
enum {
    R_ID = 4,     /* MISSING, XJL_LV_ID_EXACT .. XJL_LV_ID_DIFFERENT */
    R_NAME = 10,  /* MISSING, XJL_LV_NAME_EXACT .. XJL_LV_NAME_DIFFERENT */
    R_DOB = 6,    /* MISSING, XJL_LV_DATE_EXACT .. XJL_LV_DATE_DIFFERENT */
    R_GENDER = 3, /* MISSING, XJL_LV_GENDER_EXACT .. XJL_LV_GENDER_DIFFERENT */
    R_TYPE = 4,   /* MISSING, XJL_LV_TYPE_EXACT .. XJL_LV_TYPE_DIFFERENT */
    R_COMBOS = R_ID * R_NAME * R_DOB * R_GENDER * R_TYPE,
    R_TEXT = 80 /* as xjl__levels_text() */
};
_Static_assert(XJL_LV_ID_DIFFERENT - XJL_LV_ID_EXACT + 2 == R_ID &&
                   XJL_LV_NAME_DIFFERENT - XJL_LV_NAME_EXACT + 2 == R_NAME &&
                   XJL_LV_DATE_DIFFERENT - XJL_LV_DATE_EXACT + 2 == R_DOB &&
                   XJL_LV_GENDER_DIFFERENT - XJL_LV_GENDER_EXACT + 2 == R_GENDER &&
                   XJL_LV_TYPE_DIFFERENT - XJL_LV_TYPE_EXACT + 2 == R_TYPE,
               "one row of the reasons table per level of each field");

static char reasons_text[R_COMBOS][R_TEXT];
static pthread_once_t reasons_once = PTHREAD_ONCE_INIT;

/* Row of a level in its field's part of the table: 0 for MISSING. */
static unsigned level_row(unsigned level, unsigned first)
{
    return level == XJL_LV_MISSING ? 0 : level - first + 1;
}

static size_t reasons_index(const struct xjl_levels *lv)
{
    unsigned id = level_row(lv->id, XJL_LV_ID_EXACT), name = level_row(lv->name, XJL_LV_NAME_EXACT),
             dob = level_row(lv->dob, XJL_LV_DATE_EXACT),
             gender = level_row(lv->gender, XJL_LV_GENDER_EXACT),
             type = level_row(lv->type, XJL_LV_TYPE_EXACT);
    assert(id < R_ID && name < R_NAME && dob < R_DOB && gender < R_GENDER && type < R_TYPE);
    return (((id * R_NAME + name) * R_DOB + dob) * R_GENDER + gender) * R_TYPE + type;
}

static uint8_t level_of_row(unsigned row, unsigned first)
{
    return (uint8_t)(row ? first + row - 1 : XJL_LV_MISSING);
}

static void reasons_table_make(void)
{
    struct xjl_levels lv;
    for (unsigned id = 0; id < R_ID; id++)
        for (unsigned name = 0; name < R_NAME; name++)
            for (unsigned dob = 0; dob < R_DOB; dob++)
                for (unsigned gender = 0; gender < R_GENDER; gender++)
                    for (unsigned type = 0; type < R_TYPE; type++) {
                        lv.id = level_of_row(id, XJL_LV_ID_EXACT);
                        lv.name = level_of_row(name, XJL_LV_NAME_EXACT);
                        lv.dob = level_of_row(dob, XJL_LV_DATE_EXACT);
                        lv.gender = level_of_row(gender, XJL_LV_GENDER_EXACT);
                        lv.type = level_of_row(type, XJL_LV_TYPE_EXACT);
                        write_reasons(&lv, reasons_text[reasons_index(&lv)]);
                    }
}

/* The reasons text of a candidate's levels (the table is made by
 * xjl_matcher_new(), before any result exists). */
static const char *reasons_of(const struct xjl_levels *lv)
{
    return reasons_text[reasons_index(lv)];
}

/* ---- the matcher -------------------------------------------------------- */

/* Registry records born on day (0 when unknown): counted exactly by the
 * index, and kept so under change. */
static double date_records(const xjl_matcher *m, int32_t day)
{
    return xjl__index_date_count(m->ix, day);
}

XJL_API int xjl_matcher_new(xjl_matcher **out, const xjl_index *ix)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_matcher_new: NULL out");
    *out = NULL;
    if (!ix)
        return xjl__fail(XJL_EINVAL, "xjl_matcher_new: NULL index");
    if (!xjl__index_is_built(ix))
        return xjl__fail(XJL_ESTATE, "xjl_matcher_new: the index is not built "
                                     "(call xjl_index_build() or open an index file)");
    if (pthread_once(&reasons_once, reasons_table_make) != 0)
        return xjl__fail(XJL_ENOMEM, "xjl_matcher_new: cannot make the reasons table");
    xjl_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return xjl__fail(XJL_ENOMEM, "xjl_matcher_new: out of memory");
    m->ix = ix;
    memcpy(m->p, param_defaults, sizeof m->p);
    *out = m;
    return XJL_OK;
}

XJL_API void xjl_matcher_free(xjl_matcher *m)
{
    free(m);
}

XJL_API int xjl_matcher_set_param(xjl_matcher *m, xjl_param p, double value)
{
    if (!m || (unsigned)p >= XJL_PARAM_COUNT)
        return xjl__fail(XJL_EINVAL, "xjl_matcher_set_param: unknown parameter %d", (int)p);
    if (!isfinite(value))
        return xjl__fail(XJL_EINVAL, "xjl_matcher_set_param: parameter %d: %g is not a number",
                         (int)p, value);
    /* Weights are log2 of a ratio of chances: beyond XJL_WEIGHT_MAX
     * a sum of them stops being a score (1e300 + -1e300 is 0, 1e308 * 2 inf). */
    bool weight = p != XJL_PARAM_MAX_CANDIDATES && p != XJL_PARAM_BLOCK_LIMIT &&
                  p != XJL_PARAM_MATCH_WITHOUT_ID && p != XJL_PARAM_MATCH_PRIOR;
    if ((p == XJL_PARAM_MAX_CANDIDATES && (value < 1 || value > 1000)) ||
        (p == XJL_PARAM_BLOCK_LIMIT && (value < 1 || value > 1e7)) ||
        (p == XJL_PARAM_MATCH_WITHOUT_ID && value != 0 && value != 1) ||
        (p == XJL_PARAM_MATCH_PRIOR && (value < 0 || value >= 1)) ||
        (weight && fabs(value) > XJL_WEIGHT_MAX))
        return xjl__fail(XJL_EINVAL, "xjl_matcher_set_param: parameter %d: %g out of range", (int)p,
                         value);
    m->p[p] = value;
    return XJL_OK;
}

XJL_API int xjl_matcher_get_param(const xjl_matcher *m, xjl_param p, double *out)
{
    if (!m || !out || (unsigned)p >= XJL_PARAM_COUNT)
        return xjl__fail(XJL_EINVAL, "xjl_matcher_get_param: unknown parameter %d", (int)p);
    *out = m->p[p];
    return XJL_OK;
}

/* ---- scoring ------------------------------------------------------------ */

/* The weight of agreeing exactly on a name: log2(m/u), u the chance that a
 * record agrees on it by chance.  Two estimates of u, the larger counts (the
 * smaller weight): the name's share of the whole registry, and its share of
 * the records born on the query's date (namesakes_on_date of date_records,
 * smoothed towards the first by DATE_PRIOR_RECORDS).
 * Popular names cluster on dates (a fashionable name in a year, a date
 * chosen for luck); as a registry grows, the records a name competes with
 * are those sharing its date, and a name that looks rare nationally may
 * be common on one day. */
static double name_exact_weight(const xjl_matcher *m, const struct xjl_query *q,
                                const struct xjl_entry *r)
{
    double u = (double)xjl__index_name_count(m->ix, r) / (double)xjl__index_live(m->ix);
    double on_date = date_records(m, xjl__entry_dob(&q->e));
    if (on_date > 0) {
        double local =
            (q->namesakes_on_date + DATE_PRIOR_RECORDS * u) / (on_date + DATE_PRIOR_RECORDS);
        u = local > u ? local : u;
    }
    double w = log2(NAME_EXACT_M / u);
    if (w > m->p[XJL_PARAM_W_NAME_EXACT_MAX])
        w = m->p[XJL_PARAM_W_NAME_EXACT_MAX];
    return w < NAME_EXACT_MIN ? NAME_EXACT_MIN : w;
}

/* The weights of the levels of the packed fields (score_levels()). */
static double id_weight(const double *p, const struct xjl_query *q, const struct xjl_entry *r,
                        const struct xjl_levels *lv)
{
    switch (lv->id) {
    case XJL_LV_ID_EXACT:
        return p[XJL_PARAM_W_ID_EXACT];
    case XJL_LV_ID_TYPO:
        return p[XJL_PARAM_W_ID_TYPO];
    case XJL_LV_ID_DIFFERENT:
        return (q->e.flags & r->flags & XJL_ENTRY_ID_VALID) ? p[XJL_PARAM_W_ID_DIFFERENT]
                                                            : p[XJL_PARAM_W_ID_OTHER];
    default:
        return 0;
    }
}

static double dob_weight(const double *p, uint8_t level)
{
    switch (level) {
    case XJL_LV_DATE_EXACT:
        return p[XJL_PARAM_W_DATE_EXACT];
    case XJL_LV_DATE_SWAP:
        return p[XJL_PARAM_W_DATE_SWAP];
    case XJL_LV_DATE_ONE_DAY:
        return p[XJL_PARAM_W_DATE_ONE_DAY];
    case XJL_LV_DATE_ONE_DIGIT:
        return p[XJL_PARAM_W_DATE_ONE_DIGIT];
    case XJL_LV_DATE_DIFFERENT:
        return p[XJL_PARAM_W_DATE_DIFFERENT];
    default:
        return 0;
    }
}

static double gender_weight(const double *p, uint8_t level)
{
    if (level == XJL_LV_GENDER_EXACT)
        return p[XJL_PARAM_W_GENDER_EXACT];
    if (level == XJL_LV_GENDER_DIFFERENT)
        return p[XJL_PARAM_W_GENDER_DIFFERENT];
    return 0;
}

/* The most a name's level can weigh with the matcher's parameters (the
 * exact level's weight lies between NAME_EXACT_MIN and its maximum). */
static double name_weight_most(const double *p)
{
    static const int levels[] = {XJL_PARAM_W_NAME_EXACT_MAX, XJL_PARAM_W_NAME_VARIANT,
                                 XJL_PARAM_W_NAME_PINYIN,    XJL_PARAM_W_NAME_FUZZY,
                                 XJL_PARAM_W_NAME_LOOKALIKE, XJL_PARAM_W_NAME_ONE_CHAR,
                                 XJL_PARAM_W_NAME_DIFFERENT};
    double most = NAME_EXACT_MIN > 0 ? NAME_EXACT_MIN : 0; /* 0: a name missing */
    for (size_t i = 0; i < XJL_ARRAY_LEN(levels); i++)
        if (p[levels[i]] > most)
            most = p[levels[i]];
    return most;
}

/* Whether a hit whose packed levels are graded (xjl__compare_packed()) falls
 * below the threshold whatever its name's level: it is then left without
 * reading its name, the one level that reads the registry's strings (a cache
 * miss per hit: at 50 million records a row has some fifteen namesakes on
 * its dates, most with another child's ID number).  Exact, not a guess: the
 * sum is made in score_levels()'s order with the name's largest weight, and
 * a sum of doubles does not decrease when one term grows; nor can the hit
 * agree on all five fields, which takes the same ID number or none on
 * either side. */
static bool below_whatever_name(const double *p, const struct xjl_query *q,
                                const struct xjl_entry *r, const struct xjl_levels *lv,
                                double name_most, double threshold)
{
    if (lv->id == XJL_LV_ID_EXACT || (!q->e.id64 && !r->id64))
        return false;
    return id_weight(p, q, r, lv) + name_most + dob_weight(p, lv->dob) +
               gender_weight(p, lv->gender) <
           threshold;
}

/* The score of a pair and each field's part of it (w, by xjl_field; the
 * document type has no weight of its own: it ranks, see rank_agreement()). */
static double score_levels(const xjl_matcher *m, const struct xjl_query *q,
                           const struct xjl_entry *r, const struct xjl_levels *lv,
                           float w[XJL_FIELD_RECORD])
{
    const double *p = m->p;
    double id = id_weight(p, q, r, lv), name = 0, dob = dob_weight(p, lv->dob),
           gender = gender_weight(p, lv->gender);
    switch (lv->name) {
    case XJL_LV_NAME_EXACT:
    case XJL_LV_NAME_NOSEP:
        name = name_exact_weight(m, q, r);
        break;
    case XJL_LV_NAME_VARIANT:
    case XJL_LV_NAME_SWAPPED:
        name = p[XJL_PARAM_W_NAME_VARIANT];
        break;
    case XJL_LV_NAME_PINYIN:
        name = p[XJL_PARAM_W_NAME_PINYIN];
        break;
    case XJL_LV_NAME_FUZZY_PINYIN:
        name = p[XJL_PARAM_W_NAME_FUZZY];
        break;
    case XJL_LV_NAME_LOOKALIKE:
        name = p[XJL_PARAM_W_NAME_LOOKALIKE];
        break;
    case XJL_LV_NAME_ONE_CHAR:
        name = p[XJL_PARAM_W_NAME_ONE_CHAR];
        break;
    case XJL_LV_NAME_DIFFERENT:
        name = p[XJL_PARAM_W_NAME_DIFFERENT];
        break;
    default:
        break;
    }
    w[XJL_FIELD_NAME] = (float)name;
    w[XJL_FIELD_GENDER] = (float)gender;
    w[XJL_FIELD_BIRTH_DATE] = (float)dob;
    w[XJL_FIELD_ID_TYPE] = 0.0f;
    w[XJL_FIELD_ID_NUMBER] = (float)id;
    return id + name + dob + gender;
}

/* How many of the five fields agree exactly, for ranking candidates of equal
 * score: the document type counts here (it has no weight), and so does an ID
 * number missing on both sides (two records without a number agree on what
 * they have).  5 is a record that is the query's twin in every field. */
static uint8_t rank_agreement(const struct xjl_query *q, const struct xjl_entry *r,
                              const struct xjl_levels *lv)
{
    return (uint8_t)((lv->name == XJL_LV_NAME_EXACT || lv->name == XJL_LV_NAME_NOSEP) +
                     (lv->gender == XJL_LV_GENDER_EXACT) + (lv->dob == XJL_LV_DATE_EXACT) +
                     (lv->type == XJL_LV_TYPE_EXACT) +
                     (lv->id == XJL_LV_ID_EXACT || (!q->e.id64 && !r->id64)));
}

/* A record the cap on candidates never drops: one that agrees with the query
 * on all five fields, or on four with the ID number among them (the same
 * number, or none on either side).  The second record of a child registered
 * twice is of this kind: it differs from the first, which is the query's
 * twin, in one field at most (a typo in the name, the document type), never
 * in the number.  A namesake with a number of its own, offered for a query
 * without one, is not. */
static bool is_kept(const struct xjl_query *q, const struct xjl_entry *r,
                    const struct xjl_levels *lv, uint8_t agree)
{
    return agree == 5 || (agree == 4 && (lv->id == XJL_LV_ID_EXACT || (!q->e.id64 && !r->id64)));
}

/* How far a name is off, for noid_off(): 0 exact, 1 for the relations that
 * spell the same sounds (a Traditional form, a homophone by the characters'
 * first readings, Latin parts in another order) or a name missing, 2 for the
 * looser ones (a homophone only through another reading, near-homophone,
 * look-alike, one character, different). A looser relation is a typing error
 * AND a guess at which character or reading was meant: among the thousands
 * of records without a number born on one day in a national registry, a
 * near-homophone of a new pupil's name is routine, and so is one that sounds
 * alike only by a rare reading (沈 chén / 陈, 家 jiē / 杰). */
static int name_off(const struct xjl_levels *lv)
{
    switch (lv->name) {
    case XJL_LV_NAME_PINYIN:
        return lv->name_by_other_reading ? 2 : 1;
    case XJL_LV_NAME_EXACT:
    case XJL_LV_NAME_NOSEP:
        return 0;
    case XJL_LV_NAME_FUZZY_PINYIN:
    case XJL_LV_NAME_LOOKALIKE:
    case XJL_LV_NAME_ONE_CHAR:
    case XJL_LV_NAME_DIFFERENT:
        return 2;
    default:
        return 1;
    }
}

/* Of name, birth date and gender, how many are off (not exact), each
 * counting one: the rule for numbered records offered to a query without a
 * number, where a near-homophone must stay findable. */
static uint8_t fields_off(const struct xjl_levels *lv)
{
    return (uint8_t)((lv->name != XJL_LV_NAME_EXACT && lv->name != XJL_LV_NAME_NOSEP) +
                     (lv->dob != XJL_LV_DATE_EXACT) + (lv->gender != XJL_LV_GENDER_EXACT));
}

/* For a record without an ID number, how many of name, birth date and
 * gender are off (not exact; a loose name counts two, see name_off()); -1
 * for a record with a number.  A record without a number off on two or more
 * is a weak candidate: docs/matching.md says why it is not offered for a
 * query with a valid number.  The document type is not counted: a record
 * without a number has another type than a query with one, whoever it is. */
static int8_t noid_off(const struct xjl_entry *r, const struct xjl_levels *lv)
{
    if (r->id64)
        return -1;
    return (int8_t)(name_off(lv) + (lv->dob != XJL_LV_DATE_EXACT) +
                    (lv->gender != XJL_LV_GENDER_EXACT));
}

/* A record without an ID number whose birth date is neither the query's
 * nor the one inside the query's valid number, for a query whose valid
 * number carries a date (docs/matching.md, "Records born on neither date").
 * A valid number names the child's birth date on its own: when the query's
 * date disagrees with it, one of the two is the typo, and the child's record
 * carries the other; when they agree, the date is the child's.  A record
 * born on a third date would have to be the child registered without its
 * number AND with a wrong date in the registry.  A record without a date
 * does not contradict the number and is not one. */
static bool off_number_date(const struct xjl_query *q, const struct xjl_entry *r,
                            const struct xjl_levels *lv)
{
    int32_t number_dob = xjl__entry_id_dob(&q->e), dob = xjl__entry_dob(r);
    return !r->id64 && (q->e.flags & XJL_ENTRY_ID_VALID) && number_dob != XJL_DATE_NONE &&
           lv->dob != XJL_LV_DATE_EXACT && dob != XJL_DATE_NONE && dob != number_dob;
}

/* How many records of the query's block would agree with it by chance at the
 * candidate's loose name level (near-homophone, look-alike): the records born on the query's date
 * with its gender (half of the index's exact count of the day; where the registry keeps no count
 * per day, its size times the chance that a date agrees, 2^-w_date_exact), times the chance that a
 * record's name agrees at that level.  A candidate whose date is off was found in one of the other
 * blocks the search reads, and counts them too.  0 for the other levels. */
static double loose_chance(const xjl_matcher *m, const struct xjl_query *q,
                           const struct xjl_levels *lv)
{
    double u;
    switch (lv->name) {
    case XJL_LV_NAME_FUZZY_PINYIN:
        u = CHANCE_FUZZY;
        break;
    case XJL_LV_NAME_LOOKALIKE:
        u = CHANCE_LOOKALIKE;
        break;
    default:
        return 0;
    }
    double day = date_records(m, xjl__entry_dob(&q->e));
    if (day <= 0)
        day = (double)xjl__index_live(m->ix) * exp2(-m->p[XJL_PARAM_W_DATE_EXACT]);
    double blocks = lv->dob == XJL_LV_DATE_EXACT ? 1.0 : OTHER_DATES;
    return day / 2 * blocks * u;
}

/* All five normalised key fields agree, with a real ID number; or, where
 * the province allows it (XJL_PARAM_MATCH_WITHOUT_ID), with no ID number on
 * either side and a name no other registry record has. */
static bool agrees_on_all_five(const xjl_matcher *m, const struct xjl_query *q,
                               const struct xjl_entry *r, const struct xjl_levels *lv)
{
    bool four = (lv->name == XJL_LV_NAME_EXACT || lv->name == XJL_LV_NAME_NOSEP) &&
                lv->gender == XJL_LV_GENDER_EXACT && lv->dob == XJL_LV_DATE_EXACT;
    if (!four)
        return false;
    if (lv->id == XJL_LV_ID_EXACT)
        return lv->type == XJL_LV_TYPE_EXACT || lv->type == XJL_LV_TYPE_CLASS;
    return m->p[XJL_PARAM_MATCH_WITHOUT_ID] != 0 && !q->e.id64 && !r->id64 &&
           q->e.id_type == r->id_type && xjl__index_name_count(m->ix, r) == 1;
}

/* ---- candidates ---------------------------------------------------------
 *
 * The search is a few hash-table probes per row, each a chain of dependent
 * cache misses (bucket bounds → positions → entries) into an index of
 * hundreds of megabytes.  It is done in stages so that a batch can issue the
 * loads of several rows before it waits for any of them:
 *   prepare  read the row, list its probes, prefetch their buckets;
 *   locate   read the bucket bounds, prefetch the positions;
 *   fetch    prefetch the entries;
 *   finish   keep the real hits, grade, score, classify.
 * One row alone runs the four stages in a row. */

/* The ID number; the first name key with five dates; each other name key
 * (name_keys.c) with the birth date and the date inside the ID number. */
enum { MAX_PROBES = 6 + 2 * (XJL_NAME_KEYS_MAX - 1), PREFETCH_PER_PROBE = 8 };

struct probe {
    enum xjl_table table;
    uint64_t key;
    uint64_t name_h;   /* T_PINYIN: the name key the key was made with */
    int32_t want_date; /* T_PINYIN: the date the key was made with */
    uint32_t from, to;
    uint32_t unread; /* positions of the bucket past the read depth */
    uint32_t hits;   /* stage_collect: the key's records read, and the positions past the depth */
    uint32_t cut;    /* stage_collect: of these, how many the block limit left out */
    const uint32_t *pos;
};

struct scratch {
    struct xjl_query q;
    bool blocked;
    bool near;           /* a roster row: the near search may be needed (near_search()) */
    bool name_date_hit;  /* a name key found a record born on the row's date */
    uint32_t other_name; /* a built name not the query's (hit_has_query_name()) */
    struct probe probes[MAX_PROBES];
    unsigned nprobes;
    uint32_t *pos;
    size_t npos, cap;
    size_t unread;          /* records the limit left out of the most cut search key */
    struct xjl_cand *cands; /* graded candidates, reused from row to row */
    size_t cands_cap;
    const xjl_index *ix;
    /* stage_decide() for stage_write(): the status, the candidates kept
     * (the first of cands) */
    xjl_match_status status;
    size_t kept;
};

/* The record at a position of the scratch's index (base or changes). */
#define ENTRY(s, pos) xjl__entry((s)->ix, (pos))

/* A bucket also holds other keys that fall into it: keep only real hits. */
static bool is_hit(const struct scratch *s, const struct probe *p, const struct xjl_entry *e)
{
    if (p->table == XJL_T_ID)
        return e->id64 == s->q.e.id64 ||
               ((e->id64 & XJL_ID_IN_ARENA) && (s->q.e.id64 & XJL_ID_IN_ARENA) &&
                strcmp(xjl__index_str(s->ix, (uint32_t)e->id64), s->q.id_text) == 0);
    if (xjl__entry_dob(e) != p->want_date && xjl__entry_id_dob(e) != p->want_date)
        return false;
    if (e->py_h == p->name_h)
        return true;
    if (!(e->flags & XJL_ENTRY_READINGS))
        return false;
    uint64_t h[XJL_NAME_KEYS_MAX];
    size_t n = xjl__entry_name_keys(s->ix, e, h);
    for (size_t k = 1; k < n; k++)
        if (h[k] == p->name_h)
            return true;
    return false;
}

static int keep(struct scratch *s, uint32_t pos)
{
    if (XJL_GROW(s->pos, s->cap, s->npos + 1, 64))
        return xjl__fail(XJL_ENOMEM, "match: out of memory");
    s->pos[s->npos++] = pos;
    return XJL_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Best first: the records the cap never drops (is_kept()), then by score,
 * then by how many fields agree exactly, then by position (a stable order
 * for equal records). */
static int cmp_cand(const void *a, const void *b)
{
    const struct xjl_cand *x = a, *y = b;
    if (x->kept != y->kept)
        return x->kept ? -1 : 1;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->agree != y->agree)
        return x->agree < y->agree ? 1 : -1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static void add_probe(struct scratch *s, enum xjl_table t, uint64_t key, uint64_t name_h,
                      int32_t date)
{
    struct probe *p = &s->probes[s->nprobes++];
    p->table = t;
    p->key = key;
    p->name_h = name_h;
    p->want_date = date;
    xjl__index_prefetch(s->ix, t, key);
}

/* The probes of a query: its ID number; its pinyin with its birth date, the
 * date inside its ID number, and the date's likely typos; its other reading
 * choices with the birth date and the date inside its ID number. */
static void list_probes(struct scratch *s)
{
    const struct xjl_query *q = &s->q;
    s->nprobes = 0;
    if (q->e.id64)
        add_probe(s, XJL_T_ID, xjl__key_id(&q->e, q->id_text), 0, 0);
    if (!(q->e.flags & XJL_ENTRY_NAME_OK))
        return;
    int32_t dates[5] = {xjl__entry_dob(&q->e), xjl__entry_id_dob(&q->e), XJL_DATE_NONE,
                        XJL_DATE_NONE, XJL_DATE_NONE};
    if (xjl__entry_dob(&q->e) != XJL_DATE_NONE) {
        dates[2] = xjl__entry_dob(&q->e) - 1;
        dates[3] = xjl__entry_dob(&q->e) + 1;
        dates[4] = xjl__date_swap(xjl__entry_dob(&q->e));
    }
    for (size_t i = 0; i < 5; i++) {
        bool seen = dates[i] == XJL_DATE_NONE;
        for (size_t k = 0; k < i && !seen; k++)
            seen = dates[k] == dates[i];
        if (!seen)
            add_probe(s, XJL_T_PINYIN, xjl__key_name_date(q->e.py_h, dates[i]), q->e.py_h,
                      dates[i]);
    }
    if (!(q->e.flags & XJL_ENTRY_READINGS))
        return;
    uint64_t h[XJL_NAME_KEYS_MAX];
    size_t n = xjl__name_keys(q->in.name.cps, q->in.name.pinyin, q->in.name.ncps, h);
    for (size_t k = 1; k < n; k++)
        for (size_t i = 0; i < 2; i++)
            if (dates[i] != XJL_DATE_NONE && (i == 0 || dates[1] != dates[0]))
                add_probe(s, XJL_T_PINYIN, xjl__key_name_date(h[k], dates[i]), h[k], dates[i]);
}

/* Blocking errors: a row without a usable name, gender, birth date or
 * document type is sent back to be corrected (status error), as an
 * unreadable date or a missing field must be.  ID-number errors are not
 * blocking: a mistyped number is exactly what the matcher is for. */
static bool query_blocked(const xjl_parsed *p)
{
    return ((p->findings[XJL_FIELD_NAME] | p->findings[XJL_FIELD_GENDER] |
             p->findings[XJL_FIELD_BIRTH_DATE] | p->findings[XJL_FIELD_ID_TYPE]) &
            XJL_ERROR_FINDINGS) != 0;
}

static void stage_prepare(struct scratch *s, const xjl_record *rec)
{
    struct xjl_query *q = &s->q;
    xjl__record_read(rec, &q->in);
    xjl__entry_pack(&q->in, &q->e);
    q->built_name = UINT32_MAX;
    s->other_name = UINT32_MAX;
    q->id_text[0] = '\0';
    if (q->in.parsed.id.kind != XJL_IDKIND_EMPTY && q->in.parsed.id.normalized[0]) {
        /* a packed number was packed from this text, one to one: it is the
         * text unpacking would give */
        _Static_assert(sizeof q->id_text == sizeof q->in.parsed.id.normalized, "ID texts");
        memcpy(q->id_text, q->in.parsed.id.normalized, sizeof q->id_text);
        if (!q->e.id64)
            q->e.id64 = XJL_ID_IN_ARENA; /* the text is in id_text */
    }
    s->blocked = query_blocked(&q->in.parsed);
    s->near = true;
    s->nprobes = 0;
    if (!s->blocked)
        list_probes(s);
}

static void stage_locate(const xjl_matcher *m, struct scratch *s)
{
    size_t limit = (size_t)m->p[XJL_PARAM_BLOCK_LIMIT] * BLOCK_READ_FACTOR;
    for (unsigned i = 0; i < s->nprobes; i++) {
        struct probe *p = &s->probes[i];
        /* the whole bucket's bounds, cut here: what is left unread is reported */
        p->pos = xjl__index_bucket(m->ix, p->table, p->key, SIZE_MAX, &p->from, &p->to);
        p->unread = p->to - p->from > limit ? p->to - p->from - (uint32_t)limit : 0;
        p->to -= p->unread;
        if (p->from < p->to)
            __builtin_prefetch(&p->pos[p->from]);
    }
}

static void stage_fetch(struct scratch *s)
{
    for (unsigned i = 0; i < s->nprobes; i++) {
        const struct probe *p = &s->probes[i];
        uint32_t to = p->to - p->from > PREFETCH_PER_PROBE ? p->from + PREFETCH_PER_PROBE : p->to;
        for (uint32_t k = p->from; k < to; k++)
            if (p->pos[k] < s->ix->n) /* as stage_collect(): a base position */
                __builtin_prefetch(ENTRY(s, p->pos[k]));
    }
}

/* Whether registry record e has the query's BARE name, by its text (two
 * records without a usable name agree, as in the rest of the key). */
static bool same_bare_name(const xjl_index *ix, const struct xjl_query *q,
                           const struct xjl_entry *e)
{
    bool q_named = q->e.flags & XJL_ENTRY_NAME_OK, e_named = e->flags & XJL_ENTRY_NAME_OK;
    if (!q_named || !e_named)
        return q_named == e_named;
    return strcmp(xjl__index_str(ix, e->name_off), q->in.name.bare) == 0;
}

/* Whether the hit at pos has the query's BARE name.  The built records hold
 * each name once (split_strings), so a built record is told by its name's
 * offset once the query's is known among them (q.built_name), or once its
 * own was found to differ (other_name: the one name a block of homophones
 * mostly shares), and its name is read only otherwise. */
static bool hit_has_query_name(struct scratch *s, uint32_t pos, const struct xjl_entry *e)
{
    bool built = pos < s->ix->n && (e->flags & s->q.e.flags & XJL_ENTRY_NAME_OK);
    if (built && (s->q.built_name != UINT32_MAX || e->name_off == s->other_name))
        return e->name_off == s->q.built_name;
    bool same = same_bare_name(s->ix, &s->q, e);
    if (built && same)
        s->q.built_name = e->name_off;
    else if (built)
        s->other_name = e->name_off;
    return same;
}

/* How many of the key fields of the hit at pos agree with the query: the
 * order in which a block too large for the limit gives up its records. */
static unsigned packed_agreement(struct scratch *s, uint32_t pos)
{
    const struct xjl_entry *e = ENTRY(s, pos);
    const struct xjl_query *q = &s->q;
    return hit_has_query_name(s, pos, e) + (xjl__entry_dob(e) == xjl__entry_dob(&q->e)) +
           (e->gender == q->e.gender) + (e->id_type == q->e.id_type) + (e->id64 == q->e.id64);
}

/* The hits pos[from..npos) of one key are more than limit: keeps the limit
 * most agreeing ones (in position order within an agreement), so that a
 * block of namesakes larger than the limit loses its least agreeing records,
 * never the query's own. */
static void keep_most_agreeing(struct scratch *s, size_t from, size_t limit)
{
    size_t count[6] = {0};
    for (size_t i = from; i < s->npos; i++)
        count[packed_agreement(s, s->pos[i])]++;
    unsigned cut = 5;
    size_t above = 0; /* hits that agree on more than cut fields */
    while (cut > 0 && above + count[cut] < limit)
        above += count[cut--];
    size_t at_cut = limit - above, to = from;
    for (size_t i = from; i < s->npos; i++) {
        unsigned a = packed_agreement(s, s->pos[i]);
        if (a > cut || (a == cut && at_cut && at_cut--))
            s->pos[to++] = s->pos[i];
    }
    s->npos = to;
}

/* Whether grading may read a hit's name: not when both ID numbers are valid
 * and differ, which below_whatever_name() mostly leaves ungraded (a guess
 * for the prefetch alone: a number one typo away is graded all the same). */
static bool may_read_name(const struct xjl_query *q, const struct xjl_entry *e)
{
    return !q->e.id64 || !e->id64 || q->e.id64 == e->id64 ||
           !(q->e.flags & e->flags & XJL_ENTRY_ID_VALID);
}

struct delta_hits {
    struct scratch *s;
    const struct probe *p;
    size_t first;
    int rc;
};

static void delta_hit(void *ctx, uint32_t pos)
{
    struct delta_hits *h = ctx;
    if (!h->rc && !xjl__index_dead(h->s->ix, pos) && is_hit(h->s, h->p, ENTRY(h->s, pos)))
        h->rc = keep(h->s, pos);
}

/* Keeps the real hits and prefetches their names, which grading reads, and
 * their record ids, which a result copies.  A key reads its block up to
 * BLOCK_READ_FACTOR times the limit deep and keeps the limit's most
 * agreeing hits. */
static int stage_collect(const xjl_matcher *m, struct scratch *s)
{
    size_t limit = (size_t)m->p[XJL_PARAM_BLOCK_LIMIT];
    s->npos = 0;
    s->unread = 0;
    s->name_date_hit = false;
    for (unsigned i = 0; i < s->nprobes; i++) {
        const struct probe *p = &s->probes[i];
        size_t first = s->npos, unread = p->unread;
        for (uint32_t k = p->from; k < p->to; k++) {
            /* stage_fetch() prefetched the first entries of the block; a
             * block larger than that (they grow with the registry) has its
             * later entries loaded this far ahead of the test, so that their
             * cache misses overlap instead of coming one after another */
            if (k + PREFETCH_PER_PROBE < p->to && p->pos[k + PREFETCH_PER_PROBE] < s->ix->n)
                __builtin_prefetch(ENTRY(s, p->pos[k + PREFETCH_PER_PROBE]));
            /* a base table holds base positions; one beyond, from a damaged
             * file opened without verifying, is no record */
            if (p->pos[k] >= s->ix->n)
                continue;
            const struct xjl_entry *e = ENTRY(s, p->pos[k]);
            if (!is_hit(s, p, e) || xjl__index_dead(s->ix, p->pos[k]))
                continue;
            if (keep(s, p->pos[k]))
                return XJL_ENOMEM;
        }
        if (s->ix->delta) { /* then the changes, in position order as a base bucket */
            struct delta_hits h = {s, p, s->npos, XJL_OK};
            xjl__delta_probe(s->ix, p->table, p->key, delta_hit, &h);
            if (h.rc)
                return h.rc;
            if (s->npos - h.first > 1)
                qsort(s->pos + h.first, s->npos - h.first, sizeof *s->pos, cmp_u32);
        }
        s->name_date_hit |=
            p->table == XJL_T_PINYIN && s->npos > first &&
            (p->want_date == xjl__entry_dob(&s->q.e) || p->want_date == xjl__entry_id_dob(&s->q.e));
        s->probes[i].hits = (uint32_t)(s->npos - first + p->unread);
        if (s->npos - first > limit) {
            unread += s->npos - first - limit;
            keep_most_agreeing(s, first, limit);
        }
        s->probes[i].cut = (uint32_t)unread;
        if (unread > s->unread)
            s->unread = unread;
        for (size_t k = first; k < s->npos; k++) {
            const struct xjl_entry *e = ENTRY(s, s->pos[k]);
            if (may_read_name(&s->q, e))
                __builtin_prefetch(xjl__index_str(s->ix, e->name_off)); /* and the record id */
        }
    }
    return XJL_OK;
}

/* The query's namesakes on its birth date among the hits (after
 * unique_positions()): how common its name is on that day. */
static void count_namesakes_on_date(struct scratch *s)
{
    /* (what it finds of the query's name among the built ones spares
     * compare.c reading the candidates' names for it) */
    uint32_t n = 0;
    for (size_t i = 0; i < s->npos; i++) {
        const struct xjl_entry *e = ENTRY(s, s->pos[i]);
        n += xjl__entry_dob(e) == xjl__entry_dob(&s->q.e) && hit_has_query_name(s, s->pos[i], e);
    }
    s->q.namesakes_on_date = n;
}

/* The hits each once, in position order (a record can be hit by several probes). */
static void unique_positions(struct scratch *s)
{
    if (s->npos > 1) {
        /* the usual few hits, some dozens at 50 million records: an insertion
         * sort of runs each already in order (a probe's hits are), without
         * qsort's call per comparison */
        if (s->npos <= 64)
            for (size_t i = 1; i < s->npos; i++) {
                uint32_t v = s->pos[i];
                size_t k = i;
                for (; k > 0 && s->pos[k - 1] > v; k--)
                    s->pos[k] = s->pos[k - 1];
                s->pos[k] = v;
            }
        else
            qsort(s->pos, s->npos, sizeof *s->pos, cmp_u32);
        size_t u = 1;
        for (size_t i = 1; i < s->npos; i++)
            if (s->pos[i] != s->pos[u - 1])
                s->pos[u++] = s->pos[i];
        s->npos = u;
    }
}

/* The near search (near.c, docs/matching.md "The near search"): a roster
 * row without a usable ID number (missing, or failing its checks: a wrong
 * digit or a swap of two always does) whose name keys found no record born
 * on its date may be a registered child whose name is one character off in
 * a way no key survives (a look-alike, any other character).  Its birth-date
 * block, on its date and on the date inside its number where that differs,
 * gives the records of its gender whose names differ from its own in one
 * position; grading and classification treat them as any other hit. */
static bool wants_near(const struct scratch *s)
{
    const struct xjl_query *q = &s->q;
    return s->near && !s->name_date_hit && !(q->e.flags & XJL_ENTRY_ID_VALID) &&
           xjl__near_eligible(&q->e) && q->in.name.ncps >= 2;
}

static int near_keep(void *ctx, uint32_t pos)
{
    return keep(ctx, pos);
}

static int near_search(struct scratch *s)
{
    const struct xjl_query *q = &s->q;
    int rc = XJL_OK;
    xjl__near_search(s->ix, q->in.name.cps, q->in.name.ncps, q->e.gender, xjl__entry_dob(&q->e),
                     near_keep, s, &rc);
    if (!rc && xjl__entry_id_dob(&q->e) != XJL_DATE_NONE &&
        xjl__entry_id_dob(&q->e) != xjl__entry_dob(&q->e))
        xjl__near_search(s->ix, q->in.name.cps, q->in.name.ncps, q->e.gender,
                         xjl__entry_id_dob(&q->e), near_keep, s, &rc);
    return rc;
}

/* ---- results of a batch ---------------------------------------------------
 *
 * A batch worker carves its results out of blocks of SLAB_BYTES instead of
 * calling malloc for each: a roster of a million rows made a million
 * allocations, freed by another thread (the CLI's writer), which contended
 * for the allocator's locks.  A block counts its results that are not freed
 * yet and goes when the last of them does. */
enum { SLAB_BYTES = 64 * 1024 };

struct result_slab {
    atomic_size_t live; /* results carved from it and not freed yet */
};

/* The block a worker carves from; its count is handed to the block when the
 * worker moves on (no result of a batch can be freed before the batch ends). */
struct result_carver {
    struct result_slab *slab;
    char *next;
    size_t left, carved;
};

#define RESULT_ALIGN _Alignof(max_align_t)
#define SLAB_HEAD ((sizeof(struct result_slab) + RESULT_ALIGN - 1) / RESULT_ALIGN * RESULT_ALIGN)

static void carver_close(struct result_carver *cv)
{
    if (cv->slab) {
        if (cv->carved)
            atomic_fetch_add_explicit(&cv->slab->live, cv->carved, memory_order_release);
        else
            free(cv->slab);
    }
    cv->slab = NULL;
    cv->left = cv->carved = 0;
}

/* Room for a result of size bytes: from the carver's block, or malloc'd
 * alone (no carver, or a result too large for a block to hold several). */
static xjl_result *result_alloc(struct result_carver *cv, size_t size)
{
    size = (size + RESULT_ALIGN - 1) / RESULT_ALIGN * RESULT_ALIGN;
    if (!cv || size > (SLAB_BYTES - SLAB_HEAD) / 8) {
        xjl_result *r = malloc(size);
        if (r)
            r->slab = NULL;
        return r;
    }
    if (size > cv->left) {
        carver_close(cv);
        struct result_slab *slab = malloc(SLAB_BYTES);
        if (!slab)
            return NULL;
        atomic_init(&slab->live, 0);
        cv->slab = slab;
        cv->next = (char *)slab + SLAB_HEAD;
        cv->left = SLAB_BYTES - SLAB_HEAD;
    }
    xjl_result *r = (xjl_result *)(void *)cv->next;
    cv->next += size;
    cv->left -= size;
    cv->carved++;
    r->slab = cv->slab;
    return r;
}

/* log2 of the prior odds that a registry record is the query's child. */
static double log2_prior_odds(const xjl_matcher *m)
{
    double prior = m->p[XJL_PARAM_MATCH_PRIOR];
    if (prior <= 0) {
        size_t n = xjl__index_live(m->ix);
        prior = n > 1 ? 1.0 / (double)n : 0.5;
    }
    return log2(prior) - log2(1 - prior);
}

/* Leaves out of a query's graded candidates those that reach the threshold
 * but cannot be its child as well as another can (docs/matching.md):
 *   - with a valid ID number on the query, records without a number off on
 *     two or more of name, date and gender (weak candidates), and, when a
 *     record agrees on all five fields with that number (five_on_number),
 *     those off on one;
 *   - without any ID number on the query, the mirror image: records with a
 *     number off on two or more of name, date and gender, and, when a record
 *     without a number agrees on all five fields (its twin without a number),
 *     those off on one;
 *   - when a candidate agrees on the ID number (the same, or one typo away),
 *     those whose number is another (two children have two numbers);
 *   - with a valid ID number that carries a birth date, records without a
 *     number born on neither the query's date nor the number's
 *     (off_number_date());
 *   - for a Han name, records whose name agrees only loosely while their ID
 *     number does not agree (the same, or one typo away): a near-homophone
 *     or look-alike when more than LOOSE_CHANCE_MAX records of the query's
 *     block are expected to agree so by chance (loose_chance(): the rule
 *     tightens as the registry grows); a name one character different
 *     always (bearing no relation to the query's, it is common by chance
 *     even in a block of a few records: two-character names of one gender
 *     born the same day are one character apart 1.8% of the time). */
static void drop_unlikely(const struct xjl_query *q, bool five_on_number, struct xjl_cand *cands,
                          size_t *n)
{
    bool valid = (q->e.flags & XJL_ENTRY_ID_VALID) != 0, id_agrees = false, twin_noid = false;
    bool query_noid = !q->e.id64;
    int max_off = !valid ? INT8_MAX : five_on_number ? 0 : 1;
    bool han = !(q->e.flags & (XJL_ENTRY_LATIN | XJL_ENTRY_PLACEHOLDER));
    for (size_t i = 0; i < *n; i++) {
        id_agrees |= cands[i].lv.id == XJL_LV_ID_EXACT || cands[i].lv.id == XJL_LV_ID_TYPO;
        twin_noid |= query_noid && cands[i].agree == 5 && cands[i].noid_off == 0;
    }
    int max_off_numbered = !query_noid ? 3 : twin_noid ? 0 : 1;
    size_t to = 0;
    for (size_t i = 0; i < *n; i++) {
        const struct xjl_cand *c = &cands[i];
        bool own_id = c->lv.id == XJL_LV_ID_EXACT || c->lv.id == XJL_LV_ID_TYPO;
        if (c->noid_off <= max_off && (c->noid_off >= 0 || c->off <= max_off_numbered) &&
            !(id_agrees && c->lv.id == XJL_LV_ID_DIFFERENT) && !c->off_number_date &&
            !(han && !own_id && (c->chance || c->lv.name == XJL_LV_NAME_ONE_CHAR)))
            cands[to++] = cands[i];
    }
    *n = to;
}

/* Grades the candidates, keeps those the row gets and decides its status
 * (s->status, s->kept).  The ids of the kept ones are read by stage_write():
 * a block start, then the block's ids (xjl__entry_rid), two loads apart
 * from the entries graded here, which the pipeline fetches for the whole
 * group in between (stage_fetch_ids). */
static int stage_decide(const xjl_matcher *m, struct scratch *s)
{
    struct xjl_query *q = &s->q;
    xjl_match_status status = XJL_NOT_FOUND;
    size_t kept = 0, exact5 = 0, id_sharers = 0;
    struct xjl_cand *cands = NULL;
    if (s->blocked) {
        status = XJL_ERROR;
    } else {
        if (wants_near(s) && near_search(s))
            return XJL_ENOMEM;
        unique_positions(s);
        if (XJL_GROW(s->cands, s->cands_cap, s->npos, 64))
            return xjl__fail(XJL_ENOMEM, "match: out of memory");
        cands = s->cands;
        count_namesakes_on_date(s);
        double threshold = m->p[XJL_PARAM_REVIEW_THRESHOLD], name_most = name_weight_most(m->p);
        for (size_t i = 0; i < s->npos; i++) {
            struct xjl_cand *c = &cands[kept];
            const struct xjl_entry *r = ENTRY(s, s->pos[i]);
            xjl__compare_packed(m->ix, q, r, &c->lv);
            if (below_whatever_name(m->p, q, r, &c->lv, name_most, threshold))
                continue; /* not an ID sharer either: its level is not exact */
            xjl__compare_name(m->ix, q, r, &c->lv);
            double sc = score_levels(m, q, r, &c->lv, c->w);
            bool five = agrees_on_all_five(m, q, r, &c->lv);
            if (c->lv.id == XJL_LV_ID_EXACT)
                id_sharers++;
            if (!five && sc < threshold)
                continue;
            exact5 += five;
            c->pos = s->pos[i];
            c->score = (float)sc;
            c->agree = rank_agreement(q, r, &c->lv);
            c->noid_off = noid_off(r, &c->lv);
            c->off = fields_off(&c->lv);
            c->kept = is_kept(q, r, &c->lv, c->agree);
            c->chance = loose_chance(m, q, &c->lv) > LOOSE_CHANCE_MAX;
            c->off_number_date = off_number_date(q, r, &c->lv);
            kept++;
        }
        drop_unlikely(q, exact5 > 0, cands, &kept);
        if (kept > 1)
            qsort(cands, kept, sizeof *cands, cmp_cand);
        if (exact5 == 1 && id_sharers <= 1 && kept == 1)
            status = XJL_MATCHED;
        else if (kept > 0)
            status = XJL_PENDING;
        /* The cap never drops a kept record (they come first). */
        size_t maxc = (size_t)m->p[XJL_PARAM_MAX_CANDIDATES], always = 0;
        while (always < kept && cands[always].kept)
            always++;
        if (maxc < always)
            maxc = always;
        if (kept > maxc)
            kept = maxc;
    }
    s->status = status;
    s->kept = kept;
    const xjl_index *ix = m->ix;
    for (size_t i = 0; i < kept && ix->rid_block; i++)
        if (cands[i].pos < ix->n)
            __builtin_prefetch(&ix->rid_block[cands[i].pos / XJL_RID_BLOCK]);
    return XJL_OK;
}

/* The kept candidates' ids: their block starts were fetched by
 * stage_decide(), the first line of their ids now. */
static void stage_fetch_ids(const struct scratch *s)
{
    const xjl_index *ix = s->ix;
    for (size_t i = 0; i < s->kept && ix->rid_block; i++) {
        uint32_t pos = s->cands[i].pos;
        if (pos < ix->n && ix->rid_block[pos / XJL_RID_BLOCK] < ix->rids_len)
            __builtin_prefetch(ix->rids + ix->rid_block[pos / XJL_RID_BLOCK]);
    }
}

/* The row's result, as stage_decide() left it; lpo is log2_prior_odds(m),
 * taken once for all the rows that see the index as it is (two log2 calls
 * a row were some 2% of matching a roster). */
static int stage_write(const xjl_matcher *m, struct scratch *s, struct result_carver *cv, float lpo,
                       xjl_result **out)
{
    struct xjl_query *q = &s->q;
    xjl_match_status status = s->status;
    size_t kept = s->kept;
    const struct xjl_cand *cands = s->cands;
    /* each id looked up once (the first RID_SEEN of them; a row keeps ten at
     * most unless more agree on all five fields) */
    enum { RID_SEEN = 16 };
    const char *rid[RID_SEEN];
    size_t rid_len[RID_SEEN], text = 0;
    for (size_t i = 0; i < kept; i++) {
        const char *id = xjl__entry_rid(m->ix, cands[i].pos);
        size_t len = strlen(id) + 1;
        if (i < RID_SEEN) {
            rid[i] = id;
            rid_len[i] = len;
        }
        text += len;
    }
    char findings[1024]; /* what xjl_parsed_describe() writes at most */
    size_t findings_len = 0;
    if (status == XJL_ERROR) {
        if (xjl_parsed_describe(&q->in.parsed, findings, sizeof findings, &findings_len) != XJL_OK)
            findings_len = 0;
        findings[findings_len] = '\0';
        text += findings_len + 1;
    }
    /* A search cut by the block limit says so after the best candidate's
     * reasons (only then: the text of every other row is unchanged). */
    const char *best = kept ? reasons_of(&cands[0].lv) : "";
    char cut[160];
    size_t cut_len = 0;
    if (status != XJL_ERROR && s->unread) {
        cut_len = block_limit_text(best, s->unread, XJL_LANG_EN, cut, sizeof cut);
        text += cut_len + 1;
    }
    size_t query_at = sizeof(xjl_result) + kept * sizeof(struct xjl_result_cand) + text;
    query_at = (query_at + _Alignof(xjl_parsed) - 1) / _Alignof(xjl_parsed) * _Alignof(xjl_parsed);
    xjl_result *r = result_alloc(cv, query_at + sizeof(xjl_parsed));
    if (!r)
        return xjl__fail(XJL_ENOMEM, "match: out of memory");
    r->status = status;
    r->log2_prior_odds = lpo;
    r->query = (xjl_parsed *)(void *)((char *)r + query_at);
    *r->query = q->in.parsed;
    r->n = kept;
    r->unread = status == XJL_ERROR ? 0 : s->unread;
    r->score = kept ? cands[0].score : 0.0f;
    char *at = (char *)&r->c[kept];
    for (size_t i = 0; i < kept; i++) {
        const char *id = i < RID_SEEN ? rid[i] : xjl__entry_rid(m->ix, cands[i].pos);
        size_t len = i < RID_SEEN ? rid_len[i] : strlen(id) + 1;
        r->c[i].c = cands[i];
        r->c[i].id = memcpy(at, id, len);
        at += len;
    }
    if (status == XJL_ERROR)
        r->reasons = memcpy(at, findings, findings_len + 1);
    else if (cut_len)
        r->reasons = memcpy(at, cut, cut_len + 1);
    else
        r->reasons = best;
    *out = r;
    return XJL_OK;
}

static int stage_finish(const xjl_matcher *m, struct scratch *s, struct result_carver *cv,
                        xjl_result **out)
{
    int rc = stage_decide(m, s);
    return rc ? rc : stage_write(m, s, cv, (float)log2_prior_odds(m), out);
}

/* Scratch for n rows in flight. */
static struct scratch *scratch_new(const xjl_matcher *m, size_t n)
{
    struct scratch *s = calloc(n, sizeof *s);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i].ix = m->ix;
    return s;
}

static void scratch_free(struct scratch *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].pos);
        free(s[i].cands);
    }
    free(s);
}

static int match_one(const xjl_matcher *m, struct scratch *s, const xjl_record *rec,
                     xjl_result **out)
{
    stage_prepare(s, rec);
    stage_locate(m, s);
    stage_fetch(s);
    int rc = stage_collect(m, s);
    return rc ? rc : stage_finish(m, s, NULL, out);
}

XJL_API int xjl_matcher_match(const xjl_matcher *m, const xjl_record *rec, xjl_result **out)
{
    if (!m || !rec || !out)
        return xjl__fail(XJL_EINVAL, "xjl_matcher_match: NULL %s",
                         !m     ? "matcher"
                         : !rec ? "record"
                                : "out");
    *out = NULL;
    struct scratch *s = scratch_new(m, 1);
    if (!s)
        return xjl__fail(XJL_ENOMEM, "match: out of memory");
    pthread_rwlock_rdlock((pthread_rwlock_t *)&m->ix->lock); /* changes wait (delta.c) */
    int rc = match_one(m, s, rec, out);
    pthread_rwlock_unlock((pthread_rwlock_t *)&m->ix->lock);
    scratch_free(s, 1);
    return rc;
}

/* ---- records of the index against the index (dedup.c) ------------------- */

/* Records searched together, stage by stage, as a batch does. */
enum { SELF_GROUP = 8 };

struct xjl_match_scratch {
    struct scratch *s; /* SELF_GROUP of them */
};

struct xjl_match_scratch *xjl__match_scratch_new(const xjl_matcher *m)
{
    struct xjl_match_scratch *w = malloc(sizeof *w);
    if (w && !(w->s = scratch_new(m, SELF_GROUP))) {
        free(w);
        w = NULL;
    }
    return w;
}

void xjl__match_scratch_free(struct xjl_match_scratch *w)
{
    if (w)
        scratch_free(w->s, SELF_GROUP);
    free(w);
}

void xjl__levels_text(const struct xjl_levels *lv, char buf[80])
{
    write_reasons(lv, buf);
}

/* The query of a record in the index, from its packed entry: every packed
 * field as xjl__entry_pack() made it, the ID number's text where the
 * comparison reads it, and what compare.c reads of the name besides the
 * hashes: BARE (kept in the arena), the code points of SIMPLIFIED (those of
 * BARE folded one by one, as normalize.c makes them) and the placeholder flag. */
static int stage_prepare_entry(struct scratch *s, uint32_t pos)
{
    struct xjl_query *q = &s->q;
    const struct xjl_entry *e = ENTRY(s, pos);
    q->e = *e;
    q->built_name = pos < s->ix->n && (e->flags & XJL_ENTRY_NAME_OK) ? e->name_off : UINT32_MAX;
    s->other_name = UINT32_MAX;
    q->id_text[0] = '\0';
    if (e->id64 & XJL_ID_IN_ARENA)
        snprintf(q->id_text, sizeof q->id_text, "%s", xjl__index_str(s->ix, (uint32_t)e->id64));
    else if (e->id64)
        xjl__id_unpack(e->id64, q->id_text);
    struct xjl_name_forms *nf = &q->in.name;
    const char *bare = xjl__index_str(s->ix, e->name_off);
    size_t len = strlen(bare);
    if (len >= sizeof nf->bare)
        return xjl__fail(XJL_EINVAL, "match: record %u: name of %zu bytes in the index", pos, len);
    memcpy(nf->bare, bare, len + 1);
    nf->bare_len = (uint16_t)len;
    nf->has_placeholder = (e->flags & XJL_ENTRY_PLACEHOLDER) != 0;
    nf->ncps = 0;
    for (size_t at = 0; at < len && nf->ncps < XJL_NAME_MAX_CPS;) {
        int32_t cp = xjl__utf8_next(bare, len, &at);
        if (cp < 0)
            return xjl__fail(XJL_EINVAL, "match: record %u: invalid UTF-8 in the index", pos);
        nf->cps[nf->ncps++] = xjl__simplify((uint32_t)cp);
    }
    s->blocked = false;
    s->near = false; /* the duplicate check searches by its keys alone */
    list_probes(s);
    return XJL_OK;
}

/* The search keys of s the block limit cut, to cut_fn (dedup's report). */
static void report_cuts(const struct scratch *s, uint32_t self, xjl_cut_fn cut_fn, void *ctx)
{
    for (unsigned i = 0; i < s->nprobes; i++) {
        const struct probe *p = &s->probes[i];
        if (!p->cut)
            continue;
        struct xjl_cut c = {.by_id = p->table == XJL_T_ID,
                            .key = p->key,
                            .date = p->table == XJL_T_ID ? XJL_DATE_NONE : p->want_date,
                            .records = p->hits,
                            .left_out = p->cut};
        cut_fn(ctx, self, &c);
    }
}

int xjl__match_positions(const xjl_matcher *m, struct xjl_match_scratch *w, uint32_t from,
                         uint32_t to, xjl_candidate_want_fn want, xjl_candidate_fn fn,
                         xjl_cut_fn cut_fn, void *ctx)
{
    for (uint32_t g = from; g < to; g += SELF_GROUP) {
        uint32_t n = to - g < SELF_GROUP ? to - g : SELF_GROUP;
        int rc = XJL_OK;
        for (uint32_t i = 0; i < n && !rc; i++)
            rc = stage_prepare_entry(&w->s[i], g + i);
        for (uint32_t i = 0; i < n && !rc; i++)
            stage_locate(m, &w->s[i]);
        for (uint32_t i = 0; i < n && !rc; i++)
            stage_fetch(&w->s[i]);
        for (uint32_t i = 0; i < n && !rc; i++)
            rc = stage_collect(m, &w->s[i]);
        for (uint32_t i = 0; i < n && !rc; i++) {
            struct scratch *s = &w->s[i];
            if (s->unread && cut_fn)
                report_cuts(s, g + i, cut_fn, ctx);
            unique_positions(s);
            count_namesakes_on_date(s);
            for (size_t k = 0; k < s->npos; k++) {
                if (s->pos[k] == g + i || (want && !want(ctx, g + i, s->pos[k])))
                    continue;
                const struct xjl_entry *r = ENTRY(s, s->pos[k]);
                struct xjl_levels lv;
                float w[XJL_FIELD_RECORD];
                xjl__compare(m->ix, &s->q, r, &lv);
                fn(ctx, g + i, s->pos[k], &lv, score_levels(m, &s->q, r, &lv, w),
                   agrees_on_all_five(m, &s->q, r, &lv));
            }
        }
        if (rc)
            return rc;
    }
    return XJL_OK;
}

/* ---- batches on all cores ----------------------------------------------- */

/* Rows are taken by a worker BATCH_SLICE at a time and searched GROUP at a
 * time, stage by stage, so that the loads of a group overlap.  The stages
 * of successive groups are interleaved as in a software pipeline: while
 * group g is prepared (read, its buckets prefetched), g-1 reads its bucket
 * bounds, g-2 prefetches its entries and g-3 is graded.  Each prefetch then
 * has a group's worth of work to arrive before its data is read, rather
 * than the few instructions between two stages of one group. */
enum { BATCH_SLICE = 256, GROUP = 8, IN_FLIGHT = 4 };

/* What one worker keeps across its slices: scratch for IN_FLIGHT groups and
 * the block it carves results from. */
struct batch_worker {
    struct scratch *s;
    struct result_carver cv;
};

struct batch {
    const xjl_matcher *m;
    const xjl_record *recs;
    size_t n;
    xjl_result **out;
    struct batch_worker *w; /* one per worker of the pool, made on first use */
    float log2_prior_odds;  /* of the index as the batch sees it */
};

/* Rows [from, to) through the pipeline; scratch for IN_FLIGHT groups, and
 * the worker's block for results. */
static int match_slice(const struct batch *b, struct scratch *s, struct result_carver *cv,
                       size_t from, size_t to)
{
    size_t groups = (to - from + GROUP - 1) / GROUP;
    for (size_t t = 0; t < groups + IN_FLIGHT - 1; t++) {
        /* oldest first: its loads have had the longest to arrive */
        for (size_t j = 0; j < IN_FLIGHT; j++) {
            size_t lag = IN_FLIGHT - 1 - j; /* stage of the group t - lag */
            if (t < lag || t - lag >= groups)
                continue;
            size_t g = t - lag, first = from + g * GROUP;
            size_t k = to - first < GROUP ? to - first : GROUP;
            struct scratch *gs = &s[(g % IN_FLIGHT) * GROUP];
            int rc = XJL_OK;
            switch (lag) {
            case 0:
                for (size_t i = 0; i < k; i++)
                    stage_prepare(&gs[i], &b->recs[first + i]);
                break;
            case 1:
                for (size_t i = 0; i < k; i++)
                    stage_locate(b->m, &gs[i]);
                break;
            case 2:
                for (size_t i = 0; i < k; i++)
                    stage_fetch(&gs[i]);
                break;
            default:
                for (size_t i = 0; i < k && !rc; i++)
                    rc = stage_collect(b->m, &gs[i]);
                for (size_t i = 0; i < k && !rc; i++)
                    rc = stage_decide(b->m, &gs[i]);
                for (size_t i = 0; i < k && !rc; i++)
                    stage_fetch_ids(&gs[i]);
                for (size_t i = 0; i < k && !rc; i++)
                    rc = stage_write(b->m, &gs[i], cv, b->log2_prior_odds, &b->out[first + i]);
                break;
            }
            if (rc)
                return rc;
        }
    }
    return XJL_OK;
}

static int batch_slice(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct batch *b = ctx;
    struct batch_worker *w = &b->w[worker];
    if (!w->s && !(w->s = scratch_new(b->m, GROUP * IN_FLIGHT)))
        return xjl__fail(XJL_ENOMEM, "match: out of memory for a worker's scratch");
    int rc = match_slice(b, w->s, &w->cv, from, to);
    if (rc && !(xjl_errcode() == rc && xjl_errmsg()[0]))
        rc = xjl__fail(rc, "match: %s while matching rows %zu to %zu of a batch", xjl_strerror(rc),
                       from + 1, to);
    return rc;
}

int xjl__match_many_on(const xjl_matcher *m, const xjl_record *recs, size_t n, xjl__pool *pool,
                       xjl_result **out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = NULL;
    unsigned nw = xjl__pool_workers(pool);
    struct batch b = {.m = m, .recs = recs, .n = n, .out = out, .w = calloc(nw, sizeof *b.w)};
    if (!b.w)
        return xjl__fail(XJL_ENOMEM, "match: out of memory for %u workers", nw);
    /* the batch sees the index as it is now: changes wait for its end */
    pthread_rwlock_rdlock((pthread_rwlock_t *)&m->ix->lock);
    b.log2_prior_odds = (float)log2_prior_odds(m);
    int rc = xjl__pool_for(pool, n, BATCH_SLICE, batch_slice, &b);
    pthread_rwlock_unlock((pthread_rwlock_t *)&m->ix->lock);
    for (unsigned t = 0; t < nw; t++) {
        carver_close(&b.w[t].cv);
        if (b.w[t].s)
            scratch_free(b.w[t].s, GROUP * IN_FLIGHT);
    }
    free(b.w);
    if (rc) {
        for (size_t i = 0; i < n; i++) {
            xjl_result_free(out[i]);
            out[i] = NULL;
        }
    }
    return rc;
}

XJL_API int xjl_matcher_match_many(const xjl_matcher *m, const xjl_record *recs, size_t n,
                                   unsigned threads, xjl_result **out)
{
    if (!m || (!recs && n) || (!out && n))
        return xjl__fail(XJL_EINVAL, "xjl_matcher_match_many: NULL argument");
    /* no more threads than slices: a small batch starts none */
    xjl__pool *pool;
    int rc = xjl__pool_for_budget(&pool, threads, n, BATCH_SLICE);
    if (rc == XJL_OK)
        rc = xjl__match_many_on(m, recs, n, pool, out);
    xjl__pool_free(pool); /* NULL when it could not be made */
    return rc;
}

/* ---- results ------------------------------------------------------------ */

XJL_API void xjl_result_free(xjl_result *r)
{
    if (!r)
        return;
    if (!r->slab)
        free(r);
    else if (atomic_fetch_sub_explicit(&r->slab->live, 1, memory_order_acq_rel) == 1)
        free(r->slab);
}

XJL_API xjl_match_status xjl_result_status(const xjl_result *r)
{
    return r ? r->status : XJL_ERROR;
}

XJL_API const char *xjl_result_match_id(const xjl_result *r)
{
    if (!r || r->status != XJL_MATCHED || !r->n)
        return NULL;
    return r->c[0].id;
}

XJL_API double xjl_result_score(const xjl_result *r)
{
    return r ? r->score : 0.0;
}

XJL_API const char *xjl_result_reasons(const xjl_result *r)
{
    return r ? r->reasons : "";
}

XJL_API const xjl_parsed *xjl_result_query(const xjl_result *r)
{
    return r ? r->query : NULL;
}

XJL_API size_t xjl_result_candidate_count(const xjl_result *r)
{
    return r ? r->n : 0;
}

XJL_API const char *xjl_result_candidate_id(const xjl_result *r, size_t i)
{
    return (r && i < r->n) ? r->c[i].id : NULL;
}

XJL_API size_t xjl_result_candidate_pos(const xjl_result *r, size_t i)
{
    return (r && i < r->n) ? r->c[i].c.pos : (size_t)-1;
}

XJL_API double xjl_result_candidate_score(const xjl_result *r, size_t i)
{
    return (r && i < r->n) ? r->c[i].c.score : 0.0;
}

XJL_API xjl_level xjl_result_candidate_level(const xjl_result *r, size_t i, xjl_field f)
{
    if (!r || i >= r->n)
        return XJL_LV_MISSING;
    const struct xjl_levels *lv = &r->c[i].c.lv;
    switch (f) {
    case XJL_FIELD_NAME:
        return lv->name;
    case XJL_FIELD_GENDER:
        return lv->gender;
    case XJL_FIELD_BIRTH_DATE:
        return lv->dob;
    case XJL_FIELD_ID_TYPE:
        return lv->type;
    case XJL_FIELD_ID_NUMBER:
        return lv->id;
    default:
        return XJL_LV_MISSING;
    }
}

XJL_API const char *xjl_result_candidate_reasons(const xjl_result *r, size_t i)
{
    return (r && i < r->n) ? reasons_of(&r->c[i].c.lv) : "";
}

XJL_API double xjl_result_candidate_weight(const xjl_result *r, size_t i, xjl_field f)
{
    if (!r || i >= r->n || (unsigned)f >= XJL_FIELD_RECORD)
        return 0.0;
    return r->c[i].c.w[f];
}

/* "(+6.1)", "(-20.0)" or "(0)" for a part that prints as zero, at out; the
 * length.  Written by hand: a roster's output writes one per field and row,
 * and printf's float formatting would cost as much as matching the row. */
static size_t weight_text(double w, char *out)
{
    double a = fabs(w);
    if (!(a < 1e12))
        return (size_t)sprintf(out, "(%+.1f)", w);
    unsigned long long k = (unsigned long long)llround(a * 10.0);
    if (k == 0)
        return (size_t)(put(out, "(0)") - out);
    char digits[24], *d = digits + sizeof digits;
    *--d = ')';
    *--d = (char)('0' + k % 10);
    *--d = '.';
    k /= 10;
    do
        *--d = (char)('0' + k % 10);
    while (k /= 10);
    *--d = w < 0 ? '-' : '+';
    *--d = '(';
    size_t n = (size_t)(digits + sizeof digits - d);
    memcpy(out, d, n);
    return n;
}

/* The short names the reasons and weights give the fields ("id=typo"). */
static const char *const level_field[XJL_FIELD_RECORD] = {[XJL_FIELD_NAME] = "name",
                                                          [XJL_FIELD_GENDER] = "gender",
                                                          [XJL_FIELD_BIRTH_DATE] = "dob",
                                                          [XJL_FIELD_ID_TYPE] = "type",
                                                          [XJL_FIELD_ID_NUMBER] = "id"};

/* Labels looked up once: the weights column asks for five a row, and the
 * catalogue's id made with snprintf and its binary search cost more than
 * matching the row.  Each slot is written at most with the one pointer the
 * catalogue gives (constant data), so a race only repeats the lookup. */
enum { LABEL_LEVELS = 64 };
static _Atomic(const char *) label_cache[XJL_FIELD_RECORD][LABEL_LEVELS][2];

static const char *level_label_lookup(xjl_field field, xjl_level level, xjl_lang lang)
{
    char id[48];
    snprintf(id, sizeof id, "level.%s.%s",
             (unsigned)field < XJL_FIELD_RECORD ? level_field[field] : "unknown",
             xjl_level_name(level));
    /* a pair the catalogue has no text for (a name level asked for the ID
     * field) reads as the level's own name: xjl_message() would give back
     * the id, which lies in this frame */
    if (!xjl_message_exists(id))
        return xjl_level_name(level);
    return xjl_message(id, lang);
}

XJL_API const char *xjl_level_label(xjl_field field, xjl_level level, xjl_lang lang)
{
    if ((unsigned)field >= XJL_FIELD_RECORD || (unsigned)level >= LABEL_LEVELS ||
        (unsigned)lang > 1)
        return level_label_lookup(field, level, lang);
    _Atomic(const char *) *slot = &label_cache[field][level][lang];
    const char *label = atomic_load_explicit(slot, memory_order_relaxed);
    if (!label) {
        label = level_label_lookup(field, level, lang);
        atomic_store_explicit(slot, label, memory_order_relaxed);
    }
    return label;
}

/* Copies text (len bytes) into buf as the snprintf-like functions here do. */
static size_t copy_cut(const char *text, size_t len, char *buf, size_t cap)
{
    if (cap) {
        size_t n = len < cap ? len : cap - 1;
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    return len;
}

/* The weights texts last made on this thread, by what they are made of
 * (the language, the five levels and the five weights, bit for bit): a
 * roster's rows mostly share a handful of them, and making one (five labels
 * and five numbers) was some 5% of the work of matching and writing a row. */
enum { WEIGHTS_MEMO_SLOTS = 64, WEIGHTS_MEMO_TEXT = 320 };

struct weights_memo {
    bool used;
    xjl_lang lang;
    uint8_t lv[XJL_FIELD_RECORD];
    uint32_t w[XJL_FIELD_RECORD];
    uint16_t len;
    char text[WEIGHTS_MEMO_TEXT];
};

static _Thread_local struct weights_memo weights_memo[WEIGHTS_MEMO_SLOTS];

/* The memo's key for candidate i of r: its levels by xjl_field (as
 * xjl_result_candidate_level() gives them), its weights as bits. */
static size_t weights_key(const xjl_result *r, size_t i, xjl_lang lang,
                          uint8_t lv[XJL_FIELD_RECORD], uint32_t w[XJL_FIELD_RECORD])
{
    for (int f = 0; f < XJL_FIELD_RECORD; f++)
        lv[f] = (uint8_t)xjl_result_candidate_level(r, i, (xjl_field)f);
    memcpy(w, r->c[i].c.w, sizeof r->c[i].c.w);
    uint64_t h = (uint64_t)(unsigned)lang;
    for (size_t f = 0; f < XJL_FIELD_RECORD; f++)
        h = (h ^ lv[f] ^ (uint64_t)w[f] << 8) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 58) % WEIGHTS_MEMO_SLOTS;
}

XJL_API size_t xjl_result_candidate_weights_lang(const xjl_result *r, size_t i, xjl_lang lang,
                                                 char *buf, size_t cap)
{
    if (!r || i >= r->n)
        return copy_cut("", 0, buf, cap);
    _Static_assert(sizeof(float) == sizeof(uint32_t), "weights as bits");
    uint8_t lv[XJL_FIELD_RECORD];
    uint32_t wbits[XJL_FIELD_RECORD];
    struct weights_memo *memo = &weights_memo[weights_key(r, i, lang, lv, wbits)];
    if (memo->used && memo->lang == lang && memcmp(memo->lv, lv, sizeof lv) == 0 &&
        memcmp(memo->w, wbits, sizeof wbits) == 0)
        return copy_cut(memo->text, memo->len, buf, cap);
    static const xjl_field order[XJL_FIELD_RECORD] = {XJL_FIELD_NAME, XJL_FIELD_BIRTH_DATE,
                                                      XJL_FIELD_GENDER, XJL_FIELD_ID_TYPE,
                                                      XJL_FIELD_ID_NUMBER};
    char text[5 * 380]; /* a field: its level in words and a double of up to 309 digits */
    size_t len = 0;
    for (size_t k = 0; k < XJL_FIELD_RECORD; k++) {
        xjl_field f = order[k];
        if (k)
            text[len++] = ' ';
        /* the English level label is "field=level", the Chinese one words */
        len = (size_t)(put(text + len, xjl_level_label(f, (xjl_level)lv[f], lang)) - text);
        len += weight_text(r->c[i].c.w[f], text + len);
    }
    if (len < WEIGHTS_MEMO_TEXT) {
        memo->used = true;
        memo->lang = lang;
        memcpy(memo->lv, lv, sizeof lv);
        memcpy(memo->w, wbits, sizeof wbits);
        memo->len = (uint16_t)len;
        memcpy(memo->text, text, len);
    }
    return copy_cut(text, len, buf, cap);
}

XJL_API size_t xjl_result_candidate_weights(const xjl_result *r, size_t i, char *buf, size_t cap)
{
    return xjl_result_candidate_weights_lang(r, i, XJL_LANG_EN, buf, cap);
}

XJL_API size_t xjl_result_candidate_reasons_lang(const xjl_result *r, size_t i, xjl_lang lang,
                                                 char *buf, size_t cap)
{
    if (!r || i >= r->n)
        return copy_cut("", 0, buf, cap);
    if (lang != XJL_LANG_ZH) {
        const char *en = reasons_of(&r->c[i].c.lv);
        return copy_cut(en, strlen(en), buf, cap);
    }
    /* the order of the English text: id, name, dob, gender, type */
    static const xjl_field order[XJL_FIELD_RECORD] = {XJL_FIELD_ID_NUMBER, XJL_FIELD_NAME,
                                                      XJL_FIELD_BIRTH_DATE, XJL_FIELD_GENDER,
                                                      XJL_FIELD_ID_TYPE};
    char text[5 * 64];
    char *d = text;
    for (size_t k = 0; k < XJL_FIELD_RECORD; k++) {
        if (k)
            d = put(d, "、");
        d = put(d, xjl_level_label(order[k], xjl_result_candidate_level(r, i, order[k]), lang));
    }
    return copy_cut(text, (size_t)(d - text), buf, cap);
}

XJL_API size_t xjl_result_reasons_lang(const xjl_result *r, xjl_lang lang, char *buf, size_t cap)
{
    if (!r)
        return copy_cut("", 0, buf, cap);
    if (r->status != XJL_ERROR && r->unread) {
        char best[5 * 64], text[5 * 64 + 160];
        xjl_result_candidate_reasons_lang(r, 0, lang, best, sizeof best);
        size_t len = block_limit_text(best, r->unread, lang, text, sizeof text);
        return copy_cut(text, len, buf, cap);
    }
    if (r->status != XJL_ERROR)
        return xjl_result_candidate_reasons_lang(r, 0, lang, buf, cap);
    char text[1024];
    size_t len = 0;
    if (xjl_parsed_describe_lang(r->query, lang, text, sizeof text, &len) != XJL_OK)
        len = 0;
    return copy_cut(text, len, buf, cap);
}

XJL_API double xjl_result_candidate_probability(const xjl_result *r, size_t i)
{
    if (!r || i >= r->n)
        return 0.0;
    /* 1 / (1 + 2^-(score + log2 prior odds)), without overflow either way */
    double x = (double)r->c[i].c.score + (double)r->log2_prior_odds;
    return x >= 0 ? 1.0 / (1.0 + exp2(-x)) : exp2(x) / (1.0 + exp2(x));
}

const xjl_index *xjl__matcher_index(const xjl_matcher *m)
{
    return m->ix;
}
