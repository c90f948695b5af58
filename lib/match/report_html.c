/*
 * report_html.c: writes a collected report (report.c) as one HTML page.
 *
 * The page is self-contained and static: inline CSS and inline SVG charts,
 * no script, no font, image or style sheet from elsewhere, so that it opens
 * offline and the same in every browser, and no value from the input can
 * run as code (every one goes through put_text()).  Coordinates are whole
 * pixels and numbers are formatted without printf's locale, so that a
 * program that set LC_NUMERIC still writes a valid page.
 */
#include "match/matching.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TR(lang, en, zh) ((lang) ? (zh) : (en))

/* Text as HTML: the five characters that mean markup are escaped; the
 * values are UTF-8 without control characters already (xjl__report_value). */
static void put_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
            break;
        }
    }
}

/* A score or weight as text, "+6.00" with sign when asked; no locale. */
static const char *num(double v, bool sign, char buf[XJL_FIXED2_CAP + 1])
{
    size_t at = 0;
    if (sign && v >= 0.005)
        buf[at++] = '+';
    xjl_format_fixed2(v, buf + at);
    return buf;
}

/* ---- what things are called ---------------------------------------------- */

static const char *field_label(int lang, int f)
{
    return lang ? xjl_field_label_zh((xjl_field)f) : xjl_field_name((xjl_field)f);
}

/* The agreement levels of each key field, best first, "missing" last. */
static const int field_levels[5][11] = {
    {XJL_LV_NAME_EXACT, XJL_LV_NAME_NOSEP, XJL_LV_NAME_VARIANT, XJL_LV_NAME_PINYIN,
     XJL_LV_NAME_FUZZY_PINYIN, XJL_LV_NAME_LOOKALIKE, XJL_LV_NAME_ONE_CHAR, XJL_LV_NAME_SWAPPED,
     XJL_LV_NAME_DIFFERENT, XJL_LV_MISSING, -1},
    {XJL_LV_GENDER_EXACT, XJL_LV_GENDER_DIFFERENT, XJL_LV_MISSING, -1},
    {XJL_LV_DATE_EXACT, XJL_LV_DATE_SWAP, XJL_LV_DATE_ONE_DAY, XJL_LV_DATE_ONE_DIGIT,
     XJL_LV_DATE_DIFFERENT, XJL_LV_MISSING, -1},
    {XJL_LV_TYPE_EXACT, XJL_LV_TYPE_CLASS, XJL_LV_TYPE_DIFFERENT, XJL_LV_MISSING, -1},
    {XJL_LV_ID_EXACT, XJL_LV_ID_TYPO, XJL_LV_ID_DIFFERENT, XJL_LV_MISSING, -1},
};

static const char *level_label(int lang, int level)
{
    if (!lang)
        return xjl_level_name(level);
    switch (level) {
    case XJL_LV_MISSING:
        return "缺失";
    case XJL_LV_NAME_EXACT:
    case XJL_LV_GENDER_EXACT:
    case XJL_LV_DATE_EXACT:
    case XJL_LV_TYPE_EXACT:
    case XJL_LV_ID_EXACT:
        return "相同";
    case XJL_LV_NAME_NOSEP:
        return "去分隔符后相同";
    case XJL_LV_NAME_VARIANT:
        return "繁简相同";
    case XJL_LV_NAME_PINYIN:
        return "同音";
    case XJL_LV_NAME_FUZZY_PINYIN:
        return "模糊音";
    case XJL_LV_NAME_LOOKALIKE:
        return "形近字";
    case XJL_LV_NAME_ONE_CHAR:
        return "一字之差";
    case XJL_LV_NAME_SWAPPED:
        return "词序不同";
    case XJL_LV_DATE_SWAP:
        return "月日颠倒";
    case XJL_LV_DATE_ONE_DAY:
        return "相差一天";
    case XJL_LV_DATE_ONE_DIGIT:
        return "一位之差";
    case XJL_LV_TYPE_CLASS:
        return "同类证件";
    case XJL_LV_ID_TYPO:
        return "一位之差或相邻颠倒";
    default:
        return "不同";
    }
}

/* The colour of a level: its rank among the field's levels, green (agrees)
 * to red (differs); missing is grey. */
static const char *level_colour(int f, int level)
{
    static const char *const ramp[] = {"#1a9850", "#66bd63", "#a6d96a", "#d9ef8b",
                                       "#fee08b", "#fdae61", "#d73027"};
    if (level == XJL_LV_MISSING)
        return "#bdbdbd";
    int n = 0, at = 0;
    for (int i = 0; field_levels[f][i] >= 0; i++)
        if (field_levels[f][i] != XJL_LV_MISSING) {
            if (field_levels[f][i] == level)
                at = n;
            n++;
        }
    /* the worst level of a field is red whatever the field's count of levels */
    int idx = n > 1 ? at * 6 / (n - 1) : 0;
    return ramp[idx];
}

static const char *outcome_label(const xjl_report *rep, int o)
{
    int lang = rep->lang;
    switch (rep->kind) {
    case XJL_REPORT_MATCH:
        return lang ? xjl_status_label_zh((xjl_match_status)o)
                    : xjl_status_name((xjl_match_status)o);
    case XJL_REPORT_DEDUP:
        return lang ? xjl_dup_class_label_zh(o) : xjl_dup_class_name(o);
    default:
        return o == 0   ? TR(lang, "clean", "无问题")
               : o == 1 ? TR(lang, "warnings only", "仅有警告")
                        : TR(lang, "errors", "有错误");
    }
}

static const char *const outcome_colour[5] = {"#1a9850", "#fdae61", "#4575b4", "#d73027",
                                              "#7b3294"};
static const char *const series_colour[XJL_REPORT_SERIES] = {"#1a9850", "#fdae61", "#4575b4"};

/* The outcomes a report counts, in order. */
static int outcomes(const xjl_report *rep, int out[5])
{
    int n = 0;
    switch (rep->kind) {
    case XJL_REPORT_MATCH:
        for (int o = XJL_MATCHED; o <= XJL_ERROR; o++)
            out[n++] = o;
        break;
    case XJL_REPORT_DEDUP: /* strongest class first, as clusters are joined */
        out[n++] = XJL_DUP_SAME_ID;
        out[n++] = XJL_DUP_NO_ID;
        out[n++] = XJL_DUP_ONE_ID;
        out[n++] = XJL_DUP_FUZZY;
        out[n++] = XJL_DUP_BAD_ID;
        break;
    default:
        for (int o = 0; o < 3; o++)
            out[n++] = o;
        break;
    }
    return n;
}

/* ---- the page's parts -------------------------------------------------- */

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Noto Sans CJK SC','Microsoft YaHei',"
    "sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:1px solid #ddd;padding-bottom:4px}"
    "table{border-collapse:collapse;margin:6px 0 12px}"
    "td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#f4f4f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "dl.in{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0}"
    "dl.in dt{color:#555}dl.in dd{margin:0;word-break:break-all}"
    ".note{color:#555;font-size:13px}.sw{display:inline-block;width:10px;height:10px;"
    "margin-right:4px;vertical-align:baseline}"
    "table.row{width:100%}table.row td.q{background:#eef3fb}"
    "td.pos{background:#e3f3e3}td.neg{background:#fbe3e1}td.zero{background:#f4f4f4}"
    "td .lv{display:block;font-size:12px;color:#444}"
    "section.r{margin-bottom:14px}svg{display:block;margin:6px 0}"
    "svg text{font-size:11px;fill:#333}";

static void heading(FILE *f, const xjl_report *rep)
{
    int lang = rep->lang;
    const char *title = rep->kind == XJL_REPORT_MATCH ? TR(lang, "Match report", "匹配报告")
                        : rep->kind == XJL_REPORT_DEDUP
                            ? TR(lang, "Duplicate check report", "查重报告")
                            : TR(lang, "Roster check report", "名单检查报告");
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            lang ? "zh-CN" : "en");
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", f);
    fprintf(f, "<title>xjlink: %s</title>\n<style>%s</style>\n</head>\n<body>\n", title, style);
    fprintf(f, "<h1>xjlink: %s</h1>\n<dl class=\"in\">\n", title);
    for (size_t i = 0; i < rep->ninputs; i++) {
        fputs("<dt>", f);
        put_text(f, rep->input[i][0]);
        fputs("</dt><dd>", f);
        put_text(f, rep->input[i][1]);
        fputs("</dd>\n", f);
    }
    fprintf(f, "<dt>%s</dt><dd>xjlink %s</dd>\n</dl>\n", TR(lang, "written by", "生成程序"),
            xjl_version());
}

static void counts(FILE *f, const xjl_report *rep)
{
    int lang = rep->lang, o[5], n = outcomes(rep, o);
    size_t total = 0, max = 1;
    for (int i = 0; i < n; i++) {
        total += rep->outcome[o[i]];
        if (rep->outcome[o[i]] > max)
            max = rep->outcome[o[i]];
    }
    fprintf(f, "<h2 id=\"counts\">%s</h2>\n",
            rep->kind == XJL_REPORT_DEDUP ? TR(lang, "Clusters by class", "各类重复")
                                          : TR(lang, "Rows by status", "各状态行数"));
    if (rep->kind == XJL_REPORT_DEDUP)
        fprintf(f,
                TR(lang, "<p>records checked: %zu; records in clusters: %zu</p>\n",
                   "<p>检查记录数：%zu；重复组中的记录：%zu</p>\n"),
                rep->rows, rep->clustered);
    else
        fprintf(f, TR(lang, "<p>rows read: %zu</p>\n", "<p>读取行数：%zu</p>\n"), rep->rows);
    /* a bar per outcome, its length relative to the largest */
    const int bar_w = 420, row_h = 24, label_w = 150;
    fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
            label_w + bar_w + 90, n * row_h + 4, TR(lang, "counts", "计数"));
    for (int i = 0; i < n; i++) {
        size_t c = rep->outcome[o[i]];
        int w = (int)((double)c / (double)max * bar_w + 0.5);
        int y = i * row_h + 2;
        int permille = total ? (int)(1000.0 * (double)c / (double)total + 0.5) : 0;
        fprintf(f, "<text x=\"0\" y=\"%d\">", y + 15);
        put_text(f, outcome_label(rep, o[i]));
        fprintf(f,
                "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"%d\">%zu (%d.%d%%)</text>\n",
                label_w, y + 3, w, row_h - 8, outcome_colour[i], label_w + w + 6, y + 15, c,
                permille / 10, permille % 10);
    }
    fputs("</svg>\n", f);
    if (rep->kind == XJL_REPORT_DEDUP)
        fprintf(f, "<p class=\"note\">%s</p>\n",
                TR(lang, "bad_id counts records; the other classes count clusters.",
                   "身份证件号有误按记录计数，其余按重复组计数。"));
}

/* A chart's heading (match or dedup title); false after saying there is
 * nothing to draw. */
static bool chart_head(FILE *f, const xjl_report *rep, const char *id, const char *match_title,
                       const char *dedup_title, size_t have, const char *none)
{
    fprintf(f, "<h2 id=\"%s\">%s</h2>\n", id,
            rep->kind == XJL_REPORT_MATCH ? match_title : dedup_title);
    if (!have)
        fprintf(f, "<p>%s</p>\n", none);
    return have != 0;
}

static void score_chart(FILE *f, const xjl_report *rep)
{
    int lang = rep->lang;
    if (!chart_head(f, rep, "scores",
                    TR(lang, "Score of the best candidate", "最佳候选记录的得分分布"),
                    TR(lang, "Score of the links in clusters", "重复组内连接的得分分布"),
                    rep->scored, TR(lang, "No scores.", "没有得分。")))
        return;
    /* the range of bins that hold something, and the threshold's */
    int lo = XJL_REPORT_SCORE_BINS, hi = -1;
    size_t max = 1;
    for (int b = 0; b < XJL_REPORT_SCORE_BINS; b++) {
        size_t sum = 0;
        for (int s = 0; s < XJL_REPORT_SERIES; s++)
            sum += rep->score_bin[b][s];
        if (sum) {
            lo = b < lo ? b : lo;
            hi = b > hi ? b : hi;
            max = sum > max ? sum : max;
        }
    }
    int tbin = -1;
    if (rep->have_threshold) {
        double t = rep->threshold - XJL_REPORT_SCORE_LO;
        tbin = t < 0 ? 0 : t > XJL_REPORT_SCORE_BINS - 1 ? XJL_REPORT_SCORE_BINS - 1 : (int)t;
        lo = tbin < lo ? tbin : lo;
        hi = tbin > hi ? tbin : hi;
    }
    int nb = hi - lo + 1, plot_w = 720, plot_h = 200, left = 50, top = 20;
    int bw = plot_w / nb > 40 ? 40 : plot_w / nb;
    if (bw < 4)
        bw = 4;
    int width = left + nb * bw + 20, height = top + plot_h + 40;
    fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n", width, height,
            TR(lang, "score histogram", "得分直方图"));
    /* axes and the count scale */
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", left,
            top + plot_h, left + nb * bw, top + plot_h);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", left, top, left,
            top + plot_h);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%zu</text>\n", left - 4, top + 4, max);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", left - 4, top + plot_h);
    for (int b = lo; b <= hi; b++) {
        int x = left + (b - lo) * bw, y = top + plot_h;
        for (int s = 0; s < XJL_REPORT_SERIES; s++) {
            size_t c = rep->score_bin[b][s];
            if (!c)
                continue;
            int h = (int)((double)c / (double)max * plot_h + 0.5);
            if (h < 1)
                h = 1;
            y -= h;
            fprintf(f,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                    "<title>%d..%d: %zu</title></rect>\n",
                    x + 1, y, bw - 2 > 1 ? bw - 2 : 1, h, series_colour[s], b + XJL_REPORT_SCORE_LO,
                    b + XJL_REPORT_SCORE_LO + 1, c);
        }
        int score = b + XJL_REPORT_SCORE_LO;
        if (score % 5 == 0 || b == lo || b == hi)
            fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s%d%s</text>\n", x,
                    top + plot_h + 14, b == 0 ? "\xe2\x89\xa4" : "", score,
                    b == XJL_REPORT_SCORE_BINS - 1 ? "+" : "");
    }
    if (tbin >= 0) {
        /* the threshold within its bin, to the pixel */
        double frac = rep->threshold - (tbin + XJL_REPORT_SCORE_LO);
        frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
        int x = left + (tbin - lo) * bw + (int)(frac * bw + 0.5);
        char t[XJL_FIXED2_CAP + 1];
        fprintf(f,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c00\" "
                "stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n"
                "<text x=\"%d\" y=\"%d\" fill=\"#c00\" style=\"fill:#c00\">%s %s</text>\n",
                x, top - 4, x, top + plot_h, x + 4, top + 8,
                TR(lang, "review threshold", "待确认阈值"), num(rep->threshold, false, t));
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", left + nb * bw / 2,
            top + plot_h + 32, TR(lang, "score", "得分"));
    fputs("</svg>\n<p>", f);
    for (int s = 0; s < XJL_REPORT_SERIES; s++) {
        int o = rep->kind == XJL_REPORT_MATCH ? s : s + XJL_DUP_SAME_ID;
        fprintf(f, "<span class=\"sw\" style=\"background:%s\"></span>", series_colour[s]);
        put_text(f, outcome_label(rep, o));
        fputs(" &nbsp; ", f);
    }
    fputs("</p>\n", f);
    if (rep->kind == XJL_REPORT_MATCH)
        fprintf(f,
                TR(lang,
                   "<p class=\"note\">rows without any candidate (not in the chart): %zu</p>\n",
                   "<p class=\"note\">没有候选记录的行（不在图中）：%zu</p>\n"),
                rep->unscored);
}

static void levels(FILE *f, const xjl_report *rep)
{
    int lang = rep->lang;
    if (!chart_head(
            f, rep, "levels",
            TR(lang, "Agreement per field, best candidate", "最佳候选记录各字段的一致程度"),
            TR(lang, "Agreement per field, links in clusters", "重复组内连接各字段的一致程度"),
            rep->compared, TR(lang, "Nothing was compared.", "没有比对。")))
        return;
    const int bar_w = 600, label_w = 110, row_h = 26;
    fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
            label_w + bar_w + 10, 5 * row_h + 4, TR(lang, "agreement levels", "一致程度"));
    for (int fi = 0; fi < 5; fi++) {
        int y = fi * row_h + 2;
        double x = label_w;
        fprintf(f, "<text x=\"0\" y=\"%d\">%s</text>\n", y + 16, field_label(lang, fi));
        for (int i = 0; field_levels[fi][i] >= 0; i++) {
            int lv = field_levels[fi][i];
            size_t c = rep->level[fi][lv];
            if (!c)
                continue;
            double w = (double)c / (double)rep->compared * bar_w;
            fprintf(f,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                    "<title>%s: %zu</title></rect>\n",
                    (int)(x + 0.5), y + 3, (int)(x + w + 0.5) - (int)(x + 0.5), row_h - 8,
                    level_colour(fi, lv), level_label(lang, lv), c);
            x += w;
        }
    }
    fputs("</svg>\n<table><tr>", f);
    for (int fi = 0; fi < 5; fi++)
        fprintf(f, "<th>%s</th>", field_label(lang, fi));
    fputs("</tr><tr>", f);
    for (int fi = 0; fi < 5; fi++) {
        fputs("<td>", f);
        for (int i = 0; field_levels[fi][i] >= 0; i++) {
            int lv = field_levels[fi][i];
            fprintf(f, "<span class=\"sw\" style=\"background:%s\"></span>%s: %zu<br>",
                    level_colour(fi, lv), level_label(lang, lv), rep->level[fi][lv]);
        }
        fputs("</td>", f);
    }
    fputs("</tr></table>\n", f);
}

static void findings(FILE *f, const xjl_report *rep)
{
    int lang = rep->lang;
    fprintf(f, "<h2 id=\"findings\">%s</h2>\n",
            TR(lang, "Data quality findings by field", "各字段的数据质量问题"));
    if (rep->kind == XJL_REPORT_DEDUP)
        fprintf(f, "<p class=\"note\">%s</p>\n",
                TR(lang, "Of the records whose ID number is wrong in itself (bad_id).",
                   "身份证件号本身有误的记录（身份证件号有误）。"));
    bool any = false;
    for (int fi = 0; fi < XJL_FIELD_COUNT; fi++)
        for (int code = 1; code < XJL_F_COUNT; code++)
            any |= rep->finding[fi][code] != 0;
    if (any) {
        fprintf(f, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                TR(lang, "field", "字段"), TR(lang, "finding", "问题"),
                TR(lang, "severity", "级别"), TR(lang, "rows", "行数"),
                TR(lang, "meaning", "说明"));
        for (int fi = 0; fi < XJL_FIELD_COUNT; fi++)
            for (int code = 1; code < XJL_F_COUNT; code++) {
                size_t c = rep->finding[fi][code];
                if (!c)
                    continue;
                bool err = xjl_finding_is_error(code);
                fprintf(f,
                        "<tr><td>%s</td><td>%s</td><td style=\"color:%s\">%s</td>"
                        "<td class=\"n\">%zu</td><td>%s</td></tr>\n",
                        field_label(lang, fi), xjl_finding_name(code), err ? "#c00" : "#a60",
                        err ? TR(lang, "error", "错误") : TR(lang, "warning", "警告"), c,
                        xjl_finding_message(code, lang));
            }
        fputs("</table>\n", f);
    } else {
        fprintf(f, "<p>%s</p>\n", TR(lang, "No findings.", "没有发现问题。"));
    }
    if (rep->unreadable) {
        fprintf(f,
                TR(lang, "<p>rows that could not be read: %zu</p>\n<ul>\n",
                   "<p>无法读取的行：%zu</p>\n<ul>\n"),
                rep->unreadable);
        for (size_t i = 0; i < rep->nnotes; i++) {
            fprintf(f, TR(lang, "<li>line %ld: ", "<li>第%ld行："), rep->note[i].line);
            put_text(f, rep->note[i].why);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
        if (rep->unreadable > rep->nnotes)
            fprintf(f,
                    TR(lang, "<p class=\"note\">The first %zu of %zu are listed.</p>\n",
                       "<p class=\"note\">仅列出前%zu行，共%zu行。</p>\n"),
                    rep->nnotes, rep->unreadable);
    }
}

static void value_cells(FILE *f, char *const value[5], const char *cls)
{
    for (int fi = 0; fi < 5; fi++) {
        fprintf(f, "<td%s>", cls);
        put_text(f, value[fi]);
        fputs("</td>", f);
    }
}

static void field_header(FILE *f, int lang, const char *first, const char *last)
{
    fprintf(f, "<tr><th>%s</th>", first);
    for (int fi = 0; fi < 5; fi++)
        fprintf(f, "<th>%s</th>", field_label(lang, fi));
    fprintf(f, "<th>%s</th></tr>\n", last);
}

static void pending_row(FILE *f, const xjl_report *rep, const struct xjl_report_row *r)
{
    int lang = rep->lang;
    char t[XJL_FIXED2_CAP + 1];
    fprintf(f, "<section class=\"r\"><table class=\"row\">\n");
    field_header(f, lang, TR(lang, "record", "记录"), TR(lang, "score", "得分"));
    fprintf(f,
            TR(lang, "<tr><td class=\"q\">roster line %ld</td>",
               "<tr><td class=\"q\">名单第%ld行</td>"),
            r->line);
    value_cells(f, r->value, " class=\"q\"");
    fputs("<td class=\"q\"></td></tr>\n", f);
    for (size_t i = 0; i < r->ncand; i++) {
        const struct xjl_report_cand *c = &r->cand[i];
        fputs("<tr><td>", f);
        put_text(f, c->id);
        fputs("</td>", f);
        for (int fi = 0; fi < 5; fi++) {
            double w = c->weight[fi];
            fprintf(f, "<td class=\"%s\">", w >= 0.005 ? "pos" : w <= -0.005 ? "neg" : "zero");
            put_text(f, c->value[fi]);
            fprintf(f, "<span class=\"lv\">%s %s</span></td>", level_label(lang, c->level[fi]),
                    num(w, true, t));
        }
        fprintf(f, "<td class=\"n\">%s</td></tr>\n", num(c->score, false, t));
    }
    fputs("</table>\n", f);
    if (r->more)
        fprintf(f, "<p class=\"note\">%s %zu</p>\n",
                TR(lang, "candidates not shown:", "未显示的候选记录："), r->more);
    fputs("</section>\n", f);
}

static void cluster_row(FILE *f, const xjl_report *rep, const struct xjl_report_row *r)
{
    int lang = rep->lang;
    fprintf(f,
            TR(lang, "<section class=\"r\"><p><b>cluster %ld</b> (",
               "<section class=\"r\"><p><b>重复组%ld</b>（"),
            r->line);
    put_text(f, outcome_label(rep, r->outcome));
    fputs(TR(lang, ")</p><table class=\"row\">\n", "）</p><table class=\"row\">\n"), f);
    field_header(f, lang, TR(lang, "record", "记录"), TR(lang, "reasons", "原因"));
    for (size_t i = 0; i < r->ncand; i++) {
        const struct xjl_report_cand *c = &r->cand[i];
        fputs("<tr><td>", f);
        put_text(f, c->id);
        fputs("</td>", f);
        value_cells(f, c->value, "");
        fputs("<td>", f);
        put_text(f, c->note);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    if (r->more)
        fprintf(f, "<p class=\"note\">%s %zu</p>\n",
                TR(lang, "records of the cluster not shown:", "未显示的组内记录："), r->more);
    fputs("</section>\n", f);
}

static void rows(FILE *f, const xjl_report *rep)
{
    int lang = rep->lang;
    size_t total = rep->nshown + rep->not_shown;
    const char *title =
        rep->kind == XJL_REPORT_MATCH
            ? TR(lang, "Pending rows and their candidates", "待确认的行及其候选记录")
        : rep->kind == XJL_REPORT_DEDUP ? TR(lang, "Clusters", "重复组")
                                        : TR(lang, "Rows with errors", "有错误的行");
    fprintf(f, "<h2 id=\"rows\">%s (%zu)</h2>\n", title, total);
    if (rep->not_shown)
        fprintf(f,
                TR(lang,
                   "<p class=\"note\" id=\"cap\">Shown: the first %zu of %zu; the page is kept "
                   "small (the output file has them all; the cap is --report-rows).</p>\n",
                   "<p class=\"note\" id=\"cap\">仅显示前%zu条，共%zu条：报告页面的大小有上限"
                   "（输出文件中有全部内容；上限由 --report-rows 设定）。</p>\n"),
                rep->nshown, total);
    if (rep->kind == XJL_REPORT_MATCH && rep->nshown)
        fprintf(
            f, "<p class=\"note\">%s</p>\n",
            TR(lang,
               "Under each candidate's value: the field's agreement level and its part "
               "of the score (green adds, red subtracts); the parts sum to the score.",
               "候选记录各字段下方为一致程度及其得分（绿色加分，红色减分），各项之和即为得分。"));
    if (rep->kind == XJL_REPORT_CHECK && rep->nshown) {
        fputs("<table class=\"row\">\n", f);
        field_header(f, lang, TR(lang, "line", "行"), TR(lang, "findings", "问题"));
    }
    for (size_t i = 0; i < rep->nshown; i++) {
        const struct xjl_report_row *r = &rep->shown[i];
        if (rep->kind == XJL_REPORT_MATCH) {
            pending_row(f, rep, r);
        } else if (rep->kind == XJL_REPORT_DEDUP) {
            cluster_row(f, rep, r);
        } else {
            fprintf(f, "<tr><td>%ld</td>", r->line);
            value_cells(f, r->value, "");
            fputs("<td>", f);
            put_text(f, r->note);
            fputs("</td></tr>\n", f);
        }
    }
    if (rep->kind == XJL_REPORT_CHECK && rep->nshown)
        fputs("</table>\n", f);
}

XJL_API int xjl_report_write(const xjl_report *rep, const char *path, const char *const *inputs,
                             size_t ninputs)
{
    if (!rep || !path)
        return xjl__fail(XJL_EINVAL, "xjl_report_write: NULL %s", rep ? "path" : "report");
    xjl_output *o;
    int rc = xjl_output_open(&o, path, inputs, ninputs);
    if (rc != XJL_OK)
        return rc;
    FILE *f = xjl_output_stream(o);
    heading(f, rep);
    counts(f, rep);
    if (rep->kind != XJL_REPORT_CHECK) {
        score_chart(f, rep);
        levels(f, rep);
    }
    findings(f, rep);
    rows(f, rep);
    fputs("</body>\n</html>\n", f);
    return xjl_output_commit(o);
}
