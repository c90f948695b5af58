/*
 * report.c: collects a run (match, dedup, check) for its HTML page
 * (report_html.c writes it).  Whatever the run's size, what is kept is
 * bounded: counts for the charts, and at most max_rows rows with their
 * values cut to XJL_REPORT_VALUE_CHARS code points, copied, so that the
 * caller may free each result as soon as it is added.
 */
#include "match/matching.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

XJL_API int xjl_report_new(xjl_report **out, xjl_report_kind kind, xjl_lang lang)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_report_new: NULL out");
    *out = NULL;
    if (kind != XJL_REPORT_MATCH && kind != XJL_REPORT_DEDUP && kind != XJL_REPORT_CHECK)
        return xjl__fail(XJL_EINVAL, "xjl_report_new: unknown kind %d", (int)kind);
    if (lang != XJL_LANG_EN && lang != XJL_LANG_ZH)
        return xjl__fail(XJL_EINVAL, "xjl_report_new: unknown language %d", (int)lang);
    xjl_report *rep = calloc(1, sizeof *rep);
    if (!rep)
        return xjl__fail(XJL_ENOMEM, "out of memory starting a report");
    rep->kind = kind;
    rep->lang = lang;
    rep->max_rows = XJL_REPORT_ROWS_DEFAULT;
    *out = rep;
    return XJL_OK;
}

static void row_free(struct xjl_report_row *r)
{
    for (int f = 0; f < 5; f++)
        free(r->value[f]);
    free(r->note);
    for (size_t i = 0; i < r->ncand; i++) {
        free(r->cand[i].id);
        free(r->cand[i].note);
        for (int f = 0; f < 5; f++)
            free(r->cand[i].value[f]);
    }
    free(r->cand);
}

XJL_API void xjl_report_free(xjl_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->ninputs; i++) {
        free(rep->input[i][0]);
        free(rep->input[i][1]);
    }
    for (size_t i = 0; i < rep->nnotes; i++)
        free(rep->note[i].why);
    for (size_t i = 0; i < rep->nshown; i++)
        row_free(&rep->shown[i]);
    free(rep->shown);
    free(rep);
}

/* At most max code points of s, valid UTF-8 without control characters
 * (each shown as U+FFFD, and so is a byte that is not UTF-8), "…" after a cut. */
static char *cut(const char *s, size_t len, size_t max)
{
    if (!s)
        s = "";
    if (len == XJL_NTS)
        len = strlen(s);
    char *out = malloc(max * 4 + 4); /* 4 bytes per code point at most, and "…" */
    if (!out)
        return NULL;
    size_t pos = 0, w = 0, n = 0;
    while (pos < len && n < max) {
        int32_t cp = xjl__utf8_next(s, len, &pos);
        if (cp < 0)
            pos++; /* the bad byte */
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            cp = 0xFFFD;
        w += xjl__utf8_put(out + w, (uint32_t)cp);
        n++;
    }
    if (pos < len)
        w += xjl__utf8_put(out + w, 0x2026);
    out[w] = '\0';
    return out;
}

char *xjl__report_value(const char *s, size_t len)
{
    return cut(s, len, XJL_REPORT_VALUE_CHARS);
}

XJL_API int xjl_report_add_input(xjl_report *rep, const char *label, const char *value)
{
    if (!rep || !label || !value)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_input: NULL argument");
    if (rep->ninputs == XJL_REPORT_INPUTS)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_input: at most %d lines", XJL_REPORT_INPUTS);
    /* a heading's value (a path and its figures) may be longer than a field's */
    char *l = cut(label, XJL_NTS, XJL_REPORT_VALUE_CHARS);
    char *v = cut(value, XJL_NTS, 4 * XJL_REPORT_VALUE_CHARS);
    if (!l || !v) {
        free(l);
        free(v);
        return xjl__fail(XJL_ENOMEM, "out of memory adding to a report");
    }
    rep->input[rep->ninputs][0] = l;
    rep->input[rep->ninputs][1] = v;
    rep->ninputs++;
    return XJL_OK;
}

XJL_API int xjl_report_set_matcher(xjl_report *rep, const xjl_matcher *m)
{
    if (!rep || !m)
        return xjl__fail(XJL_EINVAL, "xjl_report_set_matcher: NULL %s", rep ? "matcher" : "report");
    if (rep->kind != XJL_REPORT_MATCH)
        return xjl__fail(XJL_EINVAL, "xjl_report_set_matcher: not a match report");
    rep->m = m;
    rep->ix = xjl__matcher_index(m);
    rep->have_threshold =
        xjl_matcher_get_param(m, XJL_PARAM_REVIEW_THRESHOLD, &rep->threshold) == XJL_OK;
    return XJL_OK;
}

XJL_API int xjl_report_set_max_rows(xjl_report *rep, size_t n)
{
    if (!rep)
        return xjl__fail(XJL_EINVAL, "xjl_report_set_max_rows: NULL report");
    if (n > 100000)
        return xjl__fail(XJL_EINVAL,
                         "xjl_report_set_max_rows: %zu rows would make a page too "
                         "large to open (at most 100000)",
                         n);
    rep->max_rows = n;
    return XJL_OK;
}

/* The score's bin: 1 point wide, the outermost ones open-ended. */
static size_t score_bin(double score)
{
    double b = floor(score) - XJL_REPORT_SCORE_LO;
    if (!(b >= 0)) /* NaN too */
        return 0;
    return b >= XJL_REPORT_SCORE_BINS - 1 ? XJL_REPORT_SCORE_BINS - 1 : (size_t)b;
}

static void count_findings(xjl_report *rep, const uint32_t findings[XJL_FIELD_COUNT])
{
    for (int f = 0; f < XJL_FIELD_COUNT; f++)
        for (int code = 1; code < XJL_F_COUNT; code++)
            if (findings[f] & XJL_FINDING_BIT(code))
                rep->finding[f][code]++;
}

/* A new row to show, or NULL when the cap is reached (counted) or out of
 * memory (*nomem). */
static struct xjl_report_row *row_new(xjl_report *rep, bool *nomem)
{
    *nomem = false;
    if (rep->nshown >= rep->max_rows) {
        rep->not_shown++;
        return NULL;
    }
    if (rep->nshown == rep->shown_cap) {
        size_t cap = rep->shown_cap ? rep->shown_cap * 2 : 16;
        struct xjl_report_row *grown = realloc(rep->shown, cap * sizeof *grown);
        if (!grown) {
            *nomem = true;
            return NULL;
        }
        rep->shown = grown;
        rep->shown_cap = cap;
    }
    struct xjl_report_row *r = &rep->shown[rep->nshown++];
    memset(r, 0, sizeof *r);
    return r;
}

/* The five values of a record as given, or of a parsed one (normalised). */
static bool record_values(char *value[5], const xjl_record *given, const xjl_parsed *p)
{
    char date[16] = "", gender[16] = "";
    const char *v[5];
    if (given) {
        v[0] = given->name;
        v[1] = given->gender;
        v[2] = given->birth_date;
        v[3] = given->id_type;
        v[4] = given->id_number;
    } else {
        if (p->birth_date != XJL_DATE_NONE)
            xjl_date_format(p->birth_date, date, sizeof date);
        /* the words rosters write, whatever the page's language */
        snprintf(gender, sizeof gender, "%s",
                 p->gender == XJL_GENDER_MALE          ? "男"
                 : p->gender == XJL_GENDER_FEMALE      ? "女"
                 : p->gender == XJL_GENDER_UNSPECIFIED ? "未说明"
                                                       : "");
        v[0] = p->name;
        v[1] = gender;
        v[2] = date;
        v[3] = xjl_id_type_label(p->id_type);
        v[4] = p->id.normalized;
    }
    bool ok = true;
    for (int f = 0; f < 5; f++)
        ok &= (value[f] = xjl__report_value(v[f], XJL_NTS)) != NULL;
    return ok;
}

/* The values of the registry record at pos, when an index is known. */
static bool registry_values(const xjl_report *rep, size_t pos, char *value[5])
{
    xjl_parsed p;
    if (!rep->ix || xjl_index_record(rep->ix, pos, &p) != XJL_OK) {
        xjl_error_clear();
        return true; /* not known: shown empty */
    }
    return record_values(value, NULL, &p);
}

static int nomem(void)
{
    return xjl__fail(XJL_ENOMEM, "out of memory adding to a report");
}

static int show_result(xjl_report *rep, long line, const xjl_record *given, const xjl_result *res)
{
    bool oom;
    struct xjl_report_row *r = row_new(rep, &oom);
    if (!r)
        return oom ? nomem() : XJL_OK;
    r->line = line;
    r->outcome = (int)xjl_result_status(res);
    size_t n = xjl_result_candidate_count(res);
    r->scored = n > 0;
    r->score = xjl_result_score(res);
    r->ncand = n < XJL_REPORT_CANDS ? n : XJL_REPORT_CANDS;
    r->more = n - r->ncand;
    bool ok = record_values(r->value, given, xjl_result_query(res)) &&
              (r->note = xjl__report_value(xjl_result_reasons(res), XJL_NTS)) != NULL;
    r->cand = r->ncand ? calloc(r->ncand, sizeof *r->cand) : NULL;
    if (r->ncand && !r->cand) {
        r->ncand = 0;
        ok = false;
    }
    for (size_t i = 0; ok && i < r->ncand; i++) {
        struct xjl_report_cand *c = &r->cand[i];
        c->score = xjl_result_candidate_score(res, i);
        for (int f = 0; f < 5; f++) {
            c->level[f] = (uint8_t)xjl_result_candidate_level(res, i, (xjl_field)f);
            c->weight[f] = xjl_result_candidate_weight(res, i, (xjl_field)f);
        }
        ok = (c->id = xjl__report_value(xjl_result_candidate_id(res, i), XJL_NTS)) != NULL &&
             registry_values(rep, xjl_result_candidate_pos(res, i), c->value);
    }
    return ok ? XJL_OK : nomem();
}

XJL_API int xjl_report_add_result(xjl_report *rep, long line, const xjl_record *given,
                                  const xjl_result *res)
{
    if (!rep || !res)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_result: NULL %s", rep ? "result" : "report");
    if (rep->kind != XJL_REPORT_MATCH)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_result: not a match report");
    xjl_match_status st = xjl_result_status(res);
    rep->rows++;
    rep->outcome[(unsigned)st < 4 ? st : XJL_ERROR]++;
    count_findings(rep, xjl_result_query(res)->findings);
    if (xjl_result_candidate_count(res) == 0) {
        rep->unscored++;
    } else {
        rep->scored++;
        /* a best candidate of an error row is not graded: there is none */
        size_t series = st == XJL_MATCHED ? 0 : st == XJL_PENDING ? 1 : 2;
        rep->score_bin[score_bin(xjl_result_score(res))][series]++;
        rep->compared++;
        for (int f = 0; f < 5; f++) {
            int lv = xjl_result_candidate_level(res, 0, (xjl_field)f);
            if (lv >= 0 && lv < XJL_REPORT_LEVELS)
                rep->level[f][lv]++;
        }
    }
    return st == XJL_PENDING ? show_result(rep, line, given, res) : XJL_OK;
}

XJL_API int xjl_report_add_unreadable(xjl_report *rep, long line, const char *why)
{
    if (!rep)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_unreadable: NULL report");
    if (rep->kind == XJL_REPORT_DEDUP)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_unreadable: a dedup report has no rows");
    rep->rows++;
    rep->outcome[rep->kind == XJL_REPORT_CHECK ? 2 : XJL_ERROR]++;
    rep->unreadable++;
    if (rep->nnotes < XJL_REPORT_NOTES) {
        char *w = xjl__report_value(why, XJL_NTS);
        if (!w)
            return nomem();
        rep->note[rep->nnotes].line = line;
        rep->note[rep->nnotes].why = w;
        rep->nnotes++;
    }
    return XJL_OK;
}

XJL_API int xjl_report_add_parsed(xjl_report *rep, long line, const xjl_record *given,
                                  const xjl_parsed *p, const char *row_error)
{
    if (!rep || !p)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_parsed: NULL %s", rep ? "record" : "report");
    if (rep->kind != XJL_REPORT_CHECK)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_parsed: not a check report");
    if (row_error) {
        int rc = xjl_report_add_unreadable(rep, line, row_error);
        if (rc != XJL_OK)
            return rc;
        rep->rows--; /* the row is counted once, below */
        rep->outcome[2]--;
    }
    int outcome = p->errors > 0 || row_error ? 2 : p->warnings > 0 ? 1 : 0;
    rep->rows++;
    rep->outcome[outcome]++;
    count_findings(rep, p->findings);
    if (outcome != 2)
        return XJL_OK;
    bool oom;
    struct xjl_report_row *r = row_new(rep, &oom);
    if (!r)
        return oom ? nomem() : XJL_OK;
    r->line = line;
    r->outcome = outcome;
    char desc[512];
    size_t dlen = 0;
    xjl_parsed_describe(p, desc, sizeof desc, &dlen);
    if (row_error)
        snprintf(desc, sizeof desc, "%s", row_error);
    bool ok =
        record_values(r->value, given, p) && (r->note = xjl__report_value(desc, XJL_NTS)) != NULL;
    return ok ? XJL_OK : nomem();
}

/* ---- the duplicate check ----------------------------------------------- */

static void count_link(void *ctx, int cls, double score, const struct xjl_levels *lv)
{
    xjl_report *rep = ctx;
    size_t series = cls >= XJL_DUP_SAME_ID && cls <= XJL_DUP_FUZZY ? (size_t)cls - 1 : 2;
    rep->scored++;
    rep->score_bin[score_bin(score)][series]++;
    rep->compared++;
    const uint8_t by_field[5] = {lv->name, lv->gender, lv->dob, lv->type, lv->id};
    for (int f = 0; f < 5; f++)
        if (by_field[f] < XJL_REPORT_LEVELS)
            rep->level[f][by_field[f]]++;
}

/* Findings of a bad_id row's reasons, "id_number:id_check record:dob_mismatch". */
static void count_reason_findings(xjl_report *rep, const char *reasons)
{
    const char *s = reasons;
    while (*s) {
        size_t len = strcspn(s, " ");
        const char *colon = memchr(s, ':', len);
        if (colon) {
            for (int f = 0; f < XJL_FIELD_COUNT; f++) {
                const char *fname = xjl_field_name((xjl_field)f);
                if (strlen(fname) != (size_t)(colon - s) || memcmp(fname, s, (size_t)(colon - s)))
                    continue;
                for (int code = 1; code < XJL_F_COUNT; code++) {
                    const char *cname = xjl_finding_name(code);
                    size_t clen = len - (size_t)(colon - s) - 1;
                    if (strlen(cname) == clen && !memcmp(cname, colon + 1, clen))
                        rep->finding[f][code]++;
                }
            }
        }
        s += len;
        while (*s == ' ')
            s++;
    }
}

XJL_API int xjl_report_add_dedup(xjl_report *rep, const xjl_dedup *d, const xjl_index *registry)
{
    if (!rep || !d || !registry)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_dedup: NULL argument");
    if (rep->kind != XJL_REPORT_DEDUP)
        return xjl__fail(XJL_EINVAL, "xjl_report_add_dedup: not a dedup report");
    /* the links first: they tell whether the check is finished */
    if (!xjl__dedup_links(d, count_link, rep))
        return xjl__fail(XJL_ESTATE, "xjl_report_add_dedup: the check is not finished");
    rep->ix = registry;
    rep->rows += xjl_dedup_stat_get(d, XJL_DEDUP_RECORDS);
    rep->clustered += xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERED);
    rep->outcome[XJL_DUP_SAME_ID] += xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_SAME_ID);
    rep->outcome[XJL_DUP_NO_ID] += xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_NO_ID);
    rep->outcome[XJL_DUP_ONE_ID] += xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_ONE_ID);
    rep->outcome[XJL_DUP_FUZZY] += xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_FUZZY);
    rep->outcome[XJL_DUP_BAD_ID] += xjl_dedup_stat_get(d, XJL_DEDUP_BAD_ID);

    size_t n = xjl_dedup_row_count(d);
    struct xjl_report_row *r = NULL;
    uint64_t cluster = 0;
    for (size_t i = 0; i < n; i++) {
        xjl_dup_row row;
        xjl_dedup_row(d, i, &row);
        if (row.cls == XJL_DUP_BAD_ID)
            count_reason_findings(rep, row.reasons);
        if (!row.cluster)
            continue; /* a bad number alone: counted above, shown by `dedup --out` */
        if (row.cluster != cluster) { /* a cluster's rows come together */
            cluster = row.cluster;
            bool oom;
            r = row_new(rep, &oom);
            if (oom)
                return nomem();
            if (!r)
                continue;
            r->line = (long)row.cluster;
            r->outcome = row.cls;
            if (!registry_values(rep, row.pos, r->value))
                return nomem();
            r->cand = calloc(XJL_REPORT_CANDS, sizeof *r->cand);
            if (!r->cand)
                return nomem();
        }
        if (!r)
            continue;
        if (r->ncand == XJL_REPORT_CANDS) {
            r->more++;
            continue;
        }
        struct xjl_report_cand *c = &r->cand[r->ncand++];
        if (!(c->id = xjl__report_value(row.record_id, XJL_NTS)) ||
            !(c->note = xjl__report_value(xjl__dedup_reasons(d, i, rep->lang), XJL_NTS)) ||
            !registry_values(rep, row.pos, c->value))
            return nomem();
    }
    return XJL_OK;
}
