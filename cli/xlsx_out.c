/*
 * Output as an Excel workbook (--out FILE.xlsx), written with libxlsxwriter.
 *
 * Why not CSV for Excel users: Excel reads every all-digit field of a CSV as a
 * number and keeps 15 significant digits, so an 18-digit ID number
 * 510104201802146389 becomes 5.10104201802146E+17, and a record id loses its
 * leading zeros.  Here every cell is a text cell with the text number format
 * ("@", so that an edit keeps it text), except the scores (a short decimal
 * such as 23.75, written as a number so that a user can sort and filter).
 * The first row is the header (bold, frozen, with filters); the status column
 * (named status, 状态 or 处理状态) is coloured by status; a second sheet,
 * 汇总 Summary, counts the rows of each status.  Rows stream to disk as they
 * come (libxlsxwriter's constant-memory mode).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xlsxwriter.h>

#define XLSX_MAX_ROWS 1048576u /* Excel's limit */
#define XLSX_MAX_STATUSES 16

struct cli_xlsx {
    const char *cmd, *path;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *text, *number, *head, *status_fmt[4];
    lxw_row_t row;
    lxw_col_t col, ncols;
    long status_col; /* -1: none */
    bool full;       /* past Excel's row limit: reported once at the close */
    /* the summary: each status value seen and its count, in order of first sight */
    char *status[XLSX_MAX_STATUSES];
    size_t count[XLSX_MAX_STATUSES], nstatus, other;
};

static bool is_status_header(const char *s)
{
    return strcmp(s, "status") == 0 || strcmp(s, "状态") == 0 || strcmp(s, "处理状态") == 0;
}

/* 0 matched, 1 pending, 2 not found, 3 error, -1 none of them; English or
 * Chinese (xjl_status_name, xjl_status_label_zh and the workflow's words). */
static int status_kind(const char *s)
{
    static const char *const words[4][3] = {
        {"matched", "已匹配", NULL},
        {"pending", "待确认", NULL},
        {"not_found", "未查到", NULL},
        {"error", "错误", NULL},
    };
    for (int k = 0; k < 4; k++)
        for (int w = 0; words[k][w]; w++)
            if (strncmp(s, words[k][w], strlen(words[k][w])) == 0)
                return k;
    return -1;
}

/* A score: a short decimal with a point, nothing an ID or a record id looks like. */
static bool is_score(const char *s, size_t n)
{
    size_t i = s[0] == '-', digits = 0, point = 0;
    for (; i < n; i++) {
        if (s[i] == '.')
            point++;
        else if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else
            return false;
    }
    return point == 1 && digits >= 2 && digits <= 8 && s[n - 1] != '.' && s[s[0] == '-'] != '.';
}

bool cli_is_xlsx_path(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

struct cli_xlsx *cli_xlsx_open(const char *cmd, const char *path)
{
    struct cli_xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        cli_fail(cmd, CLI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
    x->cmd = cmd;
    x->path = path;
    x->status_col = -1;
    x->wb = workbook_new_opt(path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, "结果 Results") : NULL;
    if (!x->ws) {
        cli_fail(cmd, CLI_EXIT_USAGE, "cannot write %s", path);
        if (x->wb)
            workbook_close(x->wb);
        free(x);
        return NULL;
    }
    x->text = workbook_add_format(x->wb);
    format_set_num_format(x->text, "@");
    x->number = workbook_add_format(x->wb);
    format_set_num_format(x->number, "0.00");
    worksheet_freeze_panes(x->ws, 1, 0);
    x->head = workbook_add_format(x->wb);
    format_set_bold(x->head);
    format_set_num_format(x->head, "@");
    format_set_bottom(x->head, LXW_BORDER_THIN);
    /* matched green, pending amber, not found blue-grey, error red: light
     * fills that keep the text readable when printed */
    static const lxw_color_t fills[4] = {0xC6EFCE, 0xFFEB9C, 0xDDEBF7, 0xFFC7CE};
    for (int k = 0; k < 4; k++) {
        x->status_fmt[k] = workbook_add_format(x->wb);
        format_set_num_format(x->status_fmt[k], "@");
        format_set_bg_color(x->status_fmt[k], fills[k]);
    }
    return x;
}

static void count_status(struct cli_xlsx *x, const char *s)
{
    for (size_t i = 0; i < x->nstatus; i++)
        if (strcmp(x->status[i], s) == 0) {
            x->count[i]++;
            return;
        }
    if (x->nstatus < XLSX_MAX_STATUSES && (x->status[x->nstatus] = strdup(s))) {
        x->count[x->nstatus++] = 1;
        return;
    }
    x->other++;
}

void cli_xlsx_cell(struct cli_xlsx *x, const char *s, size_t n)
{
    if (x->full || x->col == LXW_COL_MAX)
        return;
    /* libxlsxwriter takes NUL-terminated text; a field may end early at a NUL */
    char small[256], *t = n < sizeof small ? small : malloc(n + 1);
    if (!t) {
        x->full = true;
        return;
    }
    memcpy(t, s, n);
    t[n] = '\0';
    lxw_col_t c = x->col++;
    if (x->row == 0) {
        if (x->status_col < 0 && is_status_header(t))
            x->status_col = c;
        worksheet_write_string(x->ws, 0, c, t, x->head);
        x->ncols = x->col;
    } else if ((long)c == x->status_col) {
        int k = status_kind(t);
        worksheet_write_string(x->ws, x->row, c, t, k >= 0 ? x->status_fmt[k] : x->text);
        count_status(x, t);
    } else if (n && is_score(t, n)) {
        worksheet_write_number(x->ws, x->row, c, strtod(t, NULL), x->number);
    } else if (n) {
        worksheet_write_string(x->ws, x->row, c, t, x->text);
    }
    if (t != small)
        free(t);
}

void cli_xlsx_end_row(struct cli_xlsx *x)
{
    if (x->full)
        return;
    x->col = 0;
    if (++x->row >= XLSX_MAX_ROWS)
        x->full = true;
}

/* The summary sheet: rows written and the count of each status. */
static void write_summary(struct cli_xlsx *x)
{
    lxw_worksheet *s = workbook_add_worksheet(x->wb, "汇总 Summary");
    if (!s)
        return;
    worksheet_set_column(s, 0, 0, 24, NULL);
    worksheet_write_string(s, 0, 0, "项目 Item", x->head);
    worksheet_write_string(s, 0, 1, "数量 Count", x->head);
    worksheet_write_string(s, 1, 0, "行数 rows", NULL);
    worksheet_write_number(s, 1, 1, x->row ? x->row - 1 : 0, NULL);
    lxw_row_t r = 2;
    for (size_t i = 0; i < x->nstatus; i++, r++) {
        int k = status_kind(x->status[i]);
        worksheet_write_string(s, r, 0, x->status[i], k >= 0 ? x->status_fmt[k] : NULL);
        worksheet_write_number(s, r, 1, (double)x->count[i], NULL);
    }
    if (x->other) {
        worksheet_write_string(s, r, 0, "其他 other", NULL);
        worksheet_write_number(s, r, 1, (double)x->other, NULL);
    }
}

int cli_xlsx_close(struct cli_xlsx *x)
{
    if (!x)
        return 0;
    if (x->ncols) {
        worksheet_autofilter(x->ws, 0, 0, x->row ? x->row - 1 : 0, (lxw_col_t)(x->ncols - 1));
    }
    write_summary(x);
    lxw_error e = workbook_close(x->wb);
    int rc = 0;
    if (x->full && x->row >= XLSX_MAX_ROWS)
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL,
                      "%s: more rows than an Excel sheet holds (%u); the rows past it are not "
                      "written: write CSV (--out FILE.csv --excel) instead",
                      x->path, XLSX_MAX_ROWS);
    else if (x->full)
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL, "%s: out of memory", x->path);
    if (e != LXW_NO_ERROR && rc == 0)
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL, "writing %s failed: %s", x->path, lxw_strerror(e));
    for (size_t i = 0; i < x->nstatus; i++)
        free(x->status[i]);
    free(x);
    return rc;
}

int cli_xlsx_from_csv(const char *cmd, const char *csv_path, const char *xlsx_path)
{
    xjl_csv *csv;
    if (xjl_csv_open(&csv, csv_path, XJL_ENC_UTF8) != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg());
    remove(csv_path); /* read through the open file from here on */
    struct cli_xlsx *x = cli_xlsx_open(cmd, xlsx_path);
    if (!x) {
        xjl_csv_close(csv);
        return CLI_EXIT_FAIL;
    }
    for (size_t i = 0; i < xjl_csv_column_count(csv); i++) {
        const char *h = xjl_csv_column_name(csv, i);
        cli_xlsx_cell(x, h, strlen(h));
    }
    cli_xlsx_end_row(x);
    int rc;
    while ((rc = xjl_csv_next(csv)) == 1) {
        for (size_t i = 0; i < xjl_csv_field_count(csv); i++) {
            size_t n;
            const char *f = xjl_csv_field(csv, i, &n);
            cli_xlsx_cell(x, f, n);
        }
        cli_xlsx_end_row(x);
    }
    int status = rc < 0 ? cli_fail(cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg()) : 0;
    xjl_csv_close(csv);
    int closed = cli_xlsx_close(x);
    return status ? status : closed;
}

char *cli_xlsx_staging(const char *out_path)
{
    if (!cli_is_xlsx_path(out_path))
        return NULL;
    size_t n = strlen(out_path) + sizeof ".tmp.csv";
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s.tmp.csv", out_path);
    return p;
}

int cli_xlsx_finish(const char *cmd, char *staging, const char *out_path, int status)
{
    if (status == 0)
        status = cli_xlsx_from_csv(cmd, staging, out_path);
    remove(staging);
    free(staging);
    return status;
}
