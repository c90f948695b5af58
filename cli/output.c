/*
 * The helpers every command shares: options, messages, CSV output, key
 * fields of a row, progress.  Kept here so that each command stays a few
 * lines over the library.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- messages ------------------------------------------------------------ */

xjl_lang cli_lang = XJL_LANG_EN;

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "xjlink%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, cli_msg("cli.try_help"), cmd ? cmd : "", cmd ? " " : "");
    fputc('\n', stderr);
    return CLI_EXIT_USAGE;
}

int cli_fail(const char *cmd, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "xjlink %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

void cli_ws_diag(void *user, const char *file, long line, const char *column, const char *value,
                 const char *message)
{
    (void)user;
    /* The value as cli_printable() shows it: a name of megabytes or bytes
     * that are not UTF-8 were written to the terminal as they were. */
    char shown[160];
    fprintf(stderr, "%s:%ld: %s '%s': %s\n", file, line,
            column && *column ? column : cli_msg("cli.row"),
            value ? cli_printable(value, strlen(value), shown, sizeof shown) : "", message);
}

/* A value for the terminal: control characters and bytes that are not UTF-8
 * escaped as \xHH, long values shortened. */
const char *cli_printable(const char *s, size_t len, char *buf, size_t cap)
{
    size_t w = 0, pos = 0;
    while (pos < len && w + 8 < cap) {
        unsigned char ch = (unsigned char)s[pos];
        size_t next = pos;
        bool plain = ch >= 0x20 && ch != 0x7F && xjl_utf8_next(s, len, &next) >= 0;
        if (!plain) {
            w += (size_t)snprintf(buf + w, cap - w, "\\x%02X", ch);
            pos++;
            continue;
        }
        if (w + (next - pos) + 8 >= cap)
            break;
        memcpy(buf + w, s + pos, next - pos);
        w += next - pos;
        pos = next;
    }
    if (pos < len)
        w += (size_t)snprintf(buf + w, cap - w, "...");
    buf[w] = '\0';
    return buf;
}

/* ---- options ------------------------------------------------------------- */

static int set_option(const char *cmd, const struct cli_opt *o, const char *arg, const char *value)
{
    switch (o->kind) {
    case CLI_OPT_FLAG:
        if (value)
            return cli_usage_error(cmd, cli_msg("cli.option_takes_no_value"), o->name);
        *(bool *)o->target = true;
        return 0;
    case CLI_OPT_STRING:
        *(const char **)o->target = value;
        return 0;
    case CLI_OPT_UINT: {
        char *end;
        errno = 0;
        unsigned long v = strtoul(value, &end, 10);
        if (!*value || *end || errno || v > 1000000 || value[0] == '-')
            return cli_usage_error(cmd, cli_msg("cli.option_not_number"), arg, value);
        *(unsigned *)o->target = (unsigned)v;
        return 0;
    }
    }
    return CLI_EXIT_USAGE;
}

int cli_parse(const char *cmd, void (*help)(FILE *out), int argc, char **argv,
              const struct cli_opt *opts, size_t nopts, char **pos, int max_pos, int *status)
{
    int npos = 0;
    bool options_done = false, want_help = false;
    *status = CLI_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') { /* "-" is a file: stdin/stdout */
            if (npos == max_pos) {
                cli_usage_error(cmd, cli_msg("cli.unexpected_argument"), arg);
                return -1;
            }
            pos[npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            want_help = true;
            continue;
        }
        if (arg[1] != '-') {
            cli_usage_error(cmd, cli_msg("cli.unknown_option"), arg);
            return -1;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = NULL;
        for (size_t k = 0; k < nopts && !o; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0)
                o = &opts[k];
        if (!o) {
            char opt[128];
            snprintf(opt, sizeof opt, "--%.*s", (int)(nlen < 100 ? nlen : 100), name);
            cli_usage_error(cmd, cli_msg("cli.unknown_option"), opt);
            return -1;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value && o->kind != CLI_OPT_FLAG) {
            if (i + 1 == argc) {
                cli_usage_error(cmd, cli_msg("cli.option_needs_value"), o->name);
                return -1;
            }
            value = argv[++i];
        }
        if (set_option(cmd, o, arg, value) != 0)
            return -1;
    }
    if (want_help) {
        help(stdout);
        *status = CLI_EXIT_OK;
        return -1;
    }
    return npos;
}

int cli_encoding_arg(const char *cmd, const char *value, xjl_encoding *out)
{
    *out = XJL_ENC_AUTO;
    if (value && xjl_encoding_parse(value, out) != XJL_OK)
        return cli_usage_error(cmd, "%s", xjl_errmsg());
    return 0;
}

bool cli_lang_parse(const char *value, xjl_lang *lang)
{
    if (strcasecmp(value, "en") == 0) {
        *lang = XJL_LANG_EN;
        return true;
    }
    if (strcasecmp(value, "zh") == 0 || strcasecmp(value, "zh-CN") == 0 ||
        strcasecmp(value, "zh_CN") == 0 || strcasecmp(value, "cn") == 0) {
        *lang = XJL_LANG_ZH;
        return true;
    }
    return false;
}

int cli_lang_arg(const char *cmd, const char *value, int *lang)
{
    xjl_lang l = cli_lang;
    if (value && !cli_lang_parse(value, &l))
        return cli_usage_error(cmd, cli_msg("cli.unknown_language"), value);
    *lang = l == XJL_LANG_ZH;
    return 0;
}

/* ---- CSV output ---------------------------------------------------------- */

/* The library's CSV writer, with the command's name for its messages. */
struct cli_out {
    const char *cmd;
    xjl_csv_writer *w;
    struct cli_xlsx *xlsx; /* not NULL: the output is a workbook, w unused */
};

unsigned cli_csv_flags(bool excel, int lang, bool no_bom)
{
    return excel ? XJL_CSV_EXCEL : lang && !no_bom ? XJL_CSV_BOM : 0;
}

xjl_csv *cli_open_roster(const char *cmd, const char *path, xjl_encoding enc, const char *columns,
                         int cols[5])
{
    xjl_csv *csv;
    if (xjl_csv_open(&csv, path, enc) != XJL_OK) {
        cli_fail(cmd, CLI_EXIT_USAGE, "%s", xjl_errmsg());
        return NULL;
    }
    if ((columns && xjl_csv_set_columns(csv, columns) != XJL_OK) ||
        xjl_csv_key_columns(csv, cols) != XJL_OK) {
        cli_fail(cmd, CLI_EXIT_USAGE, "%s", xjl_errmsg());
        xjl_csv_close(csv);
        return NULL;
    }
    return csv;
}

struct cli_out *cli_out_open(const char *cmd, const char *path, unsigned flags)
{
    return cli_out_open_from(cmd, path, flags, NULL, 0);
}

struct cli_out *cli_out_open_from(const char *cmd, const char *path, unsigned flags,
                                  const char *const *inputs, size_t ninputs)
{
    struct cli_out *o = calloc(1, sizeof *o);
    if (!o) {
        cli_fail(cmd, CLI_EXIT_FAIL, "%s", cli_msg("cli.out_of_memory"));
        return NULL;
    }
    o->cmd = cmd;
    if (cli_is_xlsx_path(path)) {
        /* a workbook never replaces an input either (a workspace named
         * .xlsx): the output probe says so, and leaves the file as it is */
        xjl_output *probe;
        if (ninputs && xjl_output_open(&probe, path, inputs, ninputs) != XJL_OK) {
            cli_fail(cmd, CLI_EXIT_USAGE, "%s", xjl_errmsg());
            free(o);
            return NULL;
        }
        if (ninputs)
            xjl_output_abort(probe);
        if (!(o->xlsx = cli_xlsx_open(cmd, path))) {
            free(o);
            return NULL;
        }
        return o;
    }
    if (xjl_csv_writer_open_from(&o->w, path, flags, inputs, ninputs) != XJL_OK) {
        cli_fail(cmd, CLI_EXIT_USAGE, "%s", xjl_errmsg());
        free(o);
        return NULL;
    }
    return o;
}

void cli_out_field(struct cli_out *o, const char *s, size_t len)
{
    if (o->xlsx)
        cli_xlsx_cell(o->xlsx, s ? s : "", len == XJL_NTS ? strlen(s ? s : "") : len);
    else
        xjl_csv_writer_field(o->w, s, len);
}

void cli_out_fieldf(struct cli_out *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cli_out_field(o, buf, XJL_NTS);
}

size_t cli_fixed2(double v, char buf[CLI_FIXED2_CAP])
{
    return xjl_format_fixed2(v, buf);
}

void cli_out_end_row(struct cli_out *o)
{
    if (o->xlsx)
        cli_xlsx_end_row(o->xlsx);
    else
        xjl_csv_writer_end_row(o->w);
}

int cli_out_close(struct cli_out *o)
{
    if (!o)
        return 0;
    int rc = o->xlsx ? cli_xlsx_close(o->xlsx)
             : xjl_csv_writer_close(o->w) == XJL_OK
                 ? 0
                 : cli_fail(o->cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg());
    free(o);
    return rc;
}

void cli_out_discard(struct cli_out *o)
{
    if (!o)
        return;
    xjl_csv_writer_discard(o->w);
    free(o);
}

int cli_report_open(const char *cmd, const char *path, xjl_report_kind kind, int lang,
                    unsigned rows, const char *out_path, const char *const *inputs, size_t ninputs,
                    xjl_report **rep)
{
    *rep = NULL;
    if (!path)
        return 0;
    if (out_path && (strcmp(path, out_path) == 0 || cli_same_file(path, out_path)))
        return cli_usage_error(cmd, cli_msg("cli.report_is_out"), path);
    /* An unwritable page, or one that is an input, is said before the run;
     * the probe leaves the destination as it is. */
    xjl_output *probe;
    if (xjl_output_open(&probe, path, inputs, ninputs) != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_USAGE, "--report: %s", xjl_errmsg());
    xjl_output_abort(probe);
    if (xjl_report_new(rep, kind, lang ? XJL_LANG_ZH : XJL_LANG_EN) != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg());
    if (rows != (unsigned)-1 && xjl_report_set_max_rows(*rep, rows) != XJL_OK) {
        xjl_report_free(*rep);
        *rep = NULL;
        return cli_usage_error(cmd, "--report-rows %u: %s", rows, xjl_errmsg());
    }
    return 0;
}

int cli_report_close(const char *cmd, xjl_report *rep, const char *path, const char *const *inputs,
                     size_t ninputs, int status)
{
    if (rep && (status == CLI_EXIT_OK || status == CLI_EXIT_ROW_ERRORS) &&
        xjl_report_write(rep, path, inputs, ninputs) != XJL_OK)
        status = cli_fail(cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg());
    xjl_report_free(rep);
    return status;
}

bool cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* ---- reading rows -------------------------------------------------------- */

bool cli_row_fields_fit(const xjl_csv *csv)
{
    size_t have = xjl_csv_field_count(csv), want = xjl_csv_column_count(csv);
    for (size_t i = want; i < have; i++) {
        size_t len;
        xjl_csv_field(csv, i, &len);
        if (len)
            return false;
    }
    return have >= want;
}

enum cli_row_fault cli_row_record(const xjl_csv *csv, const int cols[5], xjl_record *rec,
                                  unsigned *nul_fields, int lang, char *why, size_t cap)
{
    const char **slot[5] = {&rec->name, &rec->gender, &rec->birth_date, &rec->id_type,
                            &rec->id_number};
    enum cli_row_fault fault = CLI_ROW_OK;
    *nul_fields = 0;
    for (int k = 0; k < 5; k++) {
        size_t len;
        const char *v = xjl_csv_field(csv, (size_t)cols[k], &len);
        *slot[k] = v;
        if (memchr(v, '\0', len)) {
            *nul_fields |= 1u << k;
            if (fault == CLI_ROW_OK) {
                fault = CLI_ROW_NUL;
                snprintf(why, cap, xjl_message("cli.row_nul", lang ? XJL_LANG_ZH : XJL_LANG_EN),
                         lang ? xjl_field_label_zh((xjl_field)k) : xjl_field_name((xjl_field)k));
            }
        }
    }
    if (!cli_row_fields_fit(csv)) {
        fault = CLI_ROW_FIELD_COUNT;
        snprintf(why, cap, xjl_message("cli.row_field_count", lang ? XJL_LANG_ZH : XJL_LANG_EN),
                 xjl_csv_field_count(csv), xjl_csv_column_count(csv));
    } else if (xjl_csv_row_check(csv) != XJL_OK) {
        fault = CLI_ROW_STRAY_QUOTE;
        snprintf(why, cap, "%s", xjl_errmsg());
    }
    if (fault == CLI_ROW_OK && cap)
        why[0] = '\0';
    return fault;
}

/* ---- progress and time --------------------------------------------------- */

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_init(struct cli_progress *p, bool forced)
{
    p->on = forced || isatty(STDERR_FILENO);
    p->start = p->last = cli_now();
}

void cli_progress_tick(struct cli_progress *p, const char *what, size_t rows)
{
    if (!p->on)
        return;
    double t = cli_now();
    if (t - p->last < 2.0)
        return;
    p->last = t;
    fprintf(stderr, cli_msg("cli.progress"), what, rows,
            (double)rows / (t - p->start > 0 ? t - p->start : 1));
    fflush(stderr);
}

void cli_progress_done(struct cli_progress *p)
{
    if (p->on && p->last > p->start)
        fputc('\n', stderr);
}
