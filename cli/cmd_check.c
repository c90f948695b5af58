/*
 * xjlink check ROSTER.csv: reads every row's five key fields with
 * xjl_record_parse() and reports each finding (invalid or inconsistent
 * fields) with file:line, field, finding, the value as it came, and why.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define LANG_MSG(lang, id) xjl_message((id), (lang) ? XJL_LANG_ZH : XJL_LANG_EN)

void cmd_check_help(FILE *out)
{
    fputs(cli_msg("help.check"), out);
}

struct check {
    const char *path;
    int lang;
    struct cli_out *report;
    xjl_report *page; /* --report */
    int page_rc;      /* the first failure adding to it, and why */
    char page_err[256];
    size_t rows, error_rows, warning_rows, clean_rows;
    size_t per_finding[XJL_F_COUNT];
    size_t field_count_rows, stray_quote_rows;
};

static void report(struct check *c, long line, xjl_field field, const char *finding, bool error,
                   const char *value, size_t vlen, const char *message)
{
    char shown[160];
    /* In Chinese the finding's code (a word for scripts) is left out of
     * the line: the message says it; the report's column has it in words. */
    if (c->lang)
        printf("%s:%ld: %s %s '%s'：%s\n", c->path, line,
               cli_msg(error ? "check.error" : "check.warning"), xjl_field_label_zh(field),
               cli_printable(value, vlen, shown, sizeof shown), message);
    else
        printf("%s:%ld: %s %s %s '%s': %s\n", c->path, line, error ? "error" : "warning",
               xjl_field_name(field), finding, cli_printable(value, vlen, shown, sizeof shown),
               message);
    if (c->report) {
        cli_out_fieldf(c->report, "%ld", line);
        cli_out_field(c->report, xjl_field_label(field, c->lang ? XJL_LANG_ZH : XJL_LANG_EN),
                      XJL_NTS);
        cli_out_field(c->report, finding, XJL_NTS);
        cli_out_field(c->report, value, vlen);
        cli_out_field(c->report, message, XJL_NTS);
        cli_out_end_row(c->report);
    }
}

/* What the finding's message leaves out: the right check character, the
 * birth date or gender the ID number says, the type that was inferred. */
static void detail(const xjl_parsed *p, int finding, int lang, char *buf, size_t cap)
{
    char date[16];
    buf[0] = '\0';
    switch (finding) {
    case XJL_F_ID_CHECK:
        if (p->id.expected_check)
            snprintf(buf, cap, LANG_MSG(lang, "check.expected"), p->id.expected_check);
        break;
    case XJL_F_DOB_MISMATCH:
        if (xjl_date_format(p->id.birth_date, date, sizeof date) == XJL_OK)
            snprintf(buf, cap, LANG_MSG(lang, "check.id_says"), date);
        break;
    case XJL_F_GENDER_MISMATCH:
        if (p->id.gender == XJL_GENDER_MALE || p->id.gender == XJL_GENDER_FEMALE)
            snprintf(buf, cap, LANG_MSG(lang, "check.id_says"),
                     p->id.gender == XJL_GENDER_MALE ? LANG_MSG(lang, "gender.male")
                                                     : LANG_MSG(lang, "gender.female"));
        break;
    case XJL_F_IDTYPE_INFERRED:
        if (p->id_type != XJL_IDTYPE_NONE)
            snprintf(buf, cap, LANG_MSG(lang, "check.read_as"), xjl_id_type_label(p->id_type));
        break;
    case XJL_F_ID_CONVERTED15:
        snprintf(buf, cap, LANG_MSG(lang, "check.now"), p->id.normalized);
        break;
    default:
        break;
    }
}

/* The raw value a record-level finding is about. */
static xjl_field record_finding_field(int finding)
{
    switch (finding) {
    case XJL_F_DOB_MISMATCH:
        return XJL_FIELD_BIRTH_DATE;
    case XJL_F_GENDER_MISMATCH:
        return XJL_FIELD_GENDER;
    case XJL_F_ID_TYPE_MISMATCH:
        return XJL_FIELD_ID_NUMBER;
    default:
        return XJL_FIELD_RECORD;
    }
}

/* Checks the current row and reports its findings. */
static void check_row(struct check *c, const xjl_csv *csv, const int cols[5])
{
    xjl_record rec;
    xjl_parsed p;
    unsigned nul_fields;
    char why[256], msg[512], more[128];
    long line = xjl_csv_line(csv);
    enum cli_row_fault fault =
        cli_row_record(csv, cols, &rec, &nul_fields, c->lang, why, sizeof why);
    c->rows++;
    if (fault == CLI_ROW_FIELD_COUNT) {
        c->field_count_rows++;
        report(c, line, XJL_FIELD_RECORD, c->lang ? cli_msg("check.field_count") : "field_count",
               true, "", 0, why);
    } else if (fault == CLI_ROW_STRAY_QUOTE) {
        c->stray_quote_rows++;
        report(c, line, XJL_FIELD_RECORD, c->lang ? cli_msg("check.stray_quote") : "stray_quote",
               true, "", 0, why);
    }
    if (xjl_record_parse(&rec, &p) != XJL_OK) {
        report(c, line, XJL_FIELD_RECORD, c->lang ? cli_msg("check.internal") : "internal", true,
               "", 0, xjl_errmsg());
        c->error_rows++;
        return;
    }
    for (int k = 0; k < 5; k++)
        if (nul_fields & (1u << k)) { /* the library saw the value cut at the NUL */
            if (!(p.findings[k] & XJL_FINDING_BIT(XJL_F_NUL)))
                p.errors++;
            p.findings[k] |= XJL_FINDING_BIT(XJL_F_NUL);
        }
    for (int f = 0; f < XJL_FIELD_COUNT; f++) {
        for (int code = 1; code < XJL_F_COUNT; code++) {
            if (!(p.findings[f] & XJL_FINDING_BIT(code)))
                continue;
            xjl_field at = f < 5 ? (xjl_field)f : record_finding_field(code);
            size_t vlen = 0;
            const char *value = "";
            if (at < 5)
                value = xjl_csv_field(csv, (size_t)cols[at], &vlen);
            detail(&p, code, c->lang, more, sizeof more);
            snprintf(msg, sizeof msg, "%s%s", xjl_finding_message(code, c->lang), more);
            report(c, line, (xjl_field)f,
                   c->lang ? xjl_finding_message(code, 1) : xjl_finding_name(code),
                   xjl_finding_is_error(code), value, vlen, msg);
            c->per_finding[code]++;
        }
    }
    if (c->page && c->page_rc == XJL_OK)
        if ((c->page_rc = xjl_report_add_parsed(
                 c->page, line, &rec, &p,
                 fault == CLI_ROW_FIELD_COUNT || fault == CLI_ROW_STRAY_QUOTE ? why : NULL)))
            snprintf(c->page_err, sizeof c->page_err, "%s", xjl_errmsg());
    if (p.errors > 0 || fault == CLI_ROW_FIELD_COUNT || fault == CLI_ROW_STRAY_QUOTE)
        c->error_rows++;
    else if (p.warnings > 0)
        c->warning_rows++;
    else
        c->clean_rows++;
}

static void summary_line(const struct check *c, const char *code, size_t n, const char *what)
{
    if (c->lang)
        fprintf(stderr, "  %6zu  %s\n", n, what);
    else
        fprintf(stderr, "  %-18s %6zu  %s\n", code, n, what);
}

static void summary(const struct check *c)
{
    fprintf(stderr, cli_msg("check.summary"), c->path, c->rows, c->error_rows, c->warning_rows,
            c->clean_rows);
    /* the finding's code is for English readers and scripts; in Chinese
     * the message alone says it */
    if (c->field_count_rows)
        summary_line(c, "field_count", c->field_count_rows, cli_msg("check.field_count"));
    if (c->stray_quote_rows)
        summary_line(c, "stray_quote", c->stray_quote_rows, cli_msg("check.stray_quote"));
    for (int code = 1; code < XJL_F_COUNT; code++)
        if (c->per_finding[code])
            summary_line(c, xjl_finding_name(code), c->per_finding[code],
                         xjl_finding_message(code, c->lang));
}

int cmd_check(int argc, char **argv)
{
    const char *enc_arg = NULL, *lang_arg = NULL, *out_path = NULL, *columns = NULL;
    const char *report_path = NULL;
    unsigned report_rows = (unsigned)-1;
    bool excel = false, no_bom = false;
    const struct cli_opt opts[] = {
        {"encoding", CLI_OPT_STRING, &enc_arg},   {"lang", CLI_OPT_STRING, &lang_arg},
        {"out", CLI_OPT_STRING, &out_path},       {"excel", CLI_OPT_FLAG, &excel},
        {"no-bom", CLI_OPT_FLAG, &no_bom},        {"columns", CLI_OPT_STRING, &columns},
        {"report", CLI_OPT_STRING, &report_path}, {"report-rows", CLI_OPT_UINT, &report_rows},
    };
    char *files[1];
    int status;
    int n = cli_parse("check", cmd_check_help, argc, argv, opts, sizeof opts / sizeof opts[0],
                      files, 1, &status);
    if (n < 0)
        return status;
    if (n != 1)
        return cli_usage_error("check", "%s", cli_msg("check.need_roster"));
    struct check c = {.path = files[0]};
    xjl_encoding enc;
    if (cli_encoding_arg("check", enc_arg, &enc) || cli_lang_arg("check", lang_arg, &c.lang))
        return CLI_EXIT_USAGE;

    int cols[5];
    xjl_csv *csv = cli_open_roster("check", c.path, enc, columns, cols);
    if (!csv)
        return CLI_EXIT_USAGE;
    if (out_path && cli_same_file(out_path, c.path)) {
        xjl_csv_close(csv);
        return cli_usage_error("check", cli_msg("check.overwrites_roster"), out_path);
    }
    if ((status = cli_report_open("check", report_path, XJL_REPORT_CHECK, c.lang, report_rows,
                                  out_path, &c.path, 1, &c.page)) != 0) {
        xjl_csv_close(csv);
        return status;
    }
    if (c.page)
        xjl_report_add_input(c.page, cli_msg("report.input.roster"), c.path);
    if (out_path) {
        c.report =
            cli_out_open_from("check", out_path, cli_csv_flags(excel, c.lang, no_bom), &c.path, 1);
        if (!c.report) {
            xjl_csv_close(csv);
            xjl_report_free(c.page);
            return CLI_EXIT_FAIL;
        }
        static const char *const head[] = {"column.line", "column.field", "column.finding",
                                           "column.value", "column.message"};
        for (size_t i = 0; i < 5; i++)
            cli_out_field(c.report, cli_msg(head[i]), XJL_NTS);
        cli_out_end_row(c.report);
    }

    int rc;
    while ((rc = xjl_csv_next(csv)) == 1)
        check_row(&c, csv, cols);
    status = c.error_rows ? CLI_EXIT_ROW_ERRORS : CLI_EXIT_OK;
    if (rc < 0) /* the rest of the file cannot be read: say where, keep what was found */
        status = cli_fail("check", CLI_EXIT_USAGE, "%s", xjl_errmsg());
    xjl_csv_close(csv);
    if (fflush(stdout) != 0)
        status = cli_fail("check", CLI_EXIT_FAIL, "%s", cli_msg("check.write_failed"));
    summary(&c);
    int out_rc = cli_out_close(c.report);
    if (c.page_rc != XJL_OK)
        status = cli_fail("check", CLI_EXIT_FAIL, "--report: %s", c.page_err);
    status = cli_report_close("check", c.page, report_path, &c.path, 1, out_rc ? out_rc : status);
    return status;
}
