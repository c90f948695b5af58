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

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "xjlink%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'xjlink %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
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

/* ---- options ------------------------------------------------------------- */

static int set_option(const char *cmd, const struct cli_opt *o, const char *arg, const char *value)
{
    switch (o->kind) {
    case CLI_OPT_FLAG:
        if (value)
            return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
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
            return cli_usage_error(cmd, "option '%s': '%s' is not a number (0..1000000)", arg,
                                   value);
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
                cli_usage_error(cmd, "unexpected argument '%s'", arg);
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
            cli_usage_error(cmd, "unknown option '%s'", arg);
            return -1;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = NULL;
        for (size_t k = 0; k < nopts && !o; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0)
                o = &opts[k];
        if (!o) {
            cli_usage_error(cmd, "unknown option '--%.*s'", (int)nlen, name);
            return -1;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value && o->kind != CLI_OPT_FLAG) {
            if (i + 1 == argc) {
                cli_usage_error(cmd, "option '--%s' needs a value", o->name);
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

int cli_lang_arg(const char *cmd, const char *value, int *lang)
{
    *lang = 0;
    if (!value || strcasecmp(value, "en") == 0)
        return 0;
    if (strcasecmp(value, "zh") == 0 || strcasecmp(value, "zh-CN") == 0 ||
        strcasecmp(value, "zh_CN") == 0 || strcasecmp(value, "cn") == 0) {
        *lang = 1;
        return 0;
    }
    return cli_usage_error(cmd, "unknown language '%s' (use en or zh)", value);
}

/* ---- CSV output ---------------------------------------------------------- */

/* Rows are assembled in a buffer of our own and handed to stdio in large
 * blocks: a fputc/fwrite per piece costs a lock and a call each, which showed
 * in profiles of `xjlink match`. */
#define OUT_BUF_SIZE (1u << 20)

struct cli_out {
    const char *cmd;
    const char *path;
    FILE *f;
    bool first; /* the next field is the first of its row */
    const char *eol;
    char *buf; /* pending output, OUT_BUF_SIZE bytes */
    size_t len;
};

struct cli_out *cli_out_open(const char *cmd, const char *path, bool excel)
{
    struct cli_out *o = calloc(1, sizeof *o);
    char *buf = malloc(OUT_BUF_SIZE);
    if (!o || !buf) {
        cli_fail(cmd, CLI_EXIT_FAIL, "out of memory");
        free(o);
        free(buf);
        return NULL;
    }
    o->cmd = cmd;
    o->path = path;
    o->first = true;
    o->eol = excel ? "\r\n" : "\n";
    o->buf = buf;
    o->f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!o->f) {
        cli_fail(cmd, CLI_EXIT_USAGE, "cannot write %s: %s", path, strerror(errno));
        free(o->buf);
        free(o);
        return NULL;
    }
    if (excel)
        fputs("\xEF\xBB\xBF", o->f);
    return o;
}

/* Hands the pending output to stdio; a failure shows in ferror() at the close. */
static void out_flush(struct cli_out *o)
{
    if (o->len)
        fwrite(o->buf, 1, o->len, o->f);
    o->len = 0;
}

static void out_put(struct cli_out *o, const char *s, size_t n)
{
    if (n > OUT_BUF_SIZE - o->len) {
        out_flush(o);
        if (n > OUT_BUF_SIZE) { /* a huge field goes out as it is */
            fwrite(s, 1, n, o->f);
            return;
        }
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* Whether a field needs quotes: the rule of xjl_csv_quote() (a comma,
 * quote, CR or LF).  Eight bytes at a time, as this runs for every field
 * written: a word has one of the four bytes when the word XORed with that
 * byte repeated has a zero byte, which (x - 0x01..01) & ~x & 0x80..80 tells
 * exactly. */
static bool needs_quotes(const char *s, size_t n)
{
    static const bool special[256] = {['"'] = true, [','] = true, ['\r'] = true, ['\n'] = true};
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t q = w ^ (ones * '"'), c = w ^ (ones * ','), r = w ^ (ones * '\r'),
                 l = w ^ (ones * '\n');
        if ((((q - ones) & ~q) | ((c - ones) & ~c) | ((r - ones) & ~r) | ((l - ones) & ~l)) & highs)
            return true;
    }
    bool any = false;
    for (; i < n; i++)
        any |= special[(unsigned char)s[i]];
    return any;
}

void cli_out_field(struct cli_out *o, const char *s, size_t len)
{
    if (!s)
        s = "";
    size_t n = len == XJL_NTS ? strlen(s) : len;
    bool quoted = needs_quotes(s, n);
    if (!quoted && n < OUT_BUF_SIZE - o->len) { /* the usual field: room for it and a comma */
        char *d = o->buf + o->len;
        if (!o->first)
            *d++ = ',';
        memcpy(d, s, n);
        o->len = (size_t)(d + n - o->buf);
        o->first = false;
        return;
    }
    if (!o->first)
        out_put(o, ",", 1);
    o->first = false;
    if (!quoted) {
        out_put(o, s, n);
        return;
    }
    out_put(o, "\"", 1);
    for (size_t from = 0, i = 0; i <= n; i++) /* each quote is doubled */
        if (i == n || s[i] == '"') {
            out_put(o, s + from, i - from + (i < n));
            from = i;
        }
    out_put(o, "\"", 1);
}

void cli_out_weights(struct cli_out *o, const xjl_result *r)
{
    char text[512];
    size_t n = xjl_result_candidate_weights(r, 0, text, sizeof text);
    cli_out_field(o, text, n < sizeof text ? n : sizeof text - 1);
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

/* A score is a float the library widened to double.  A float has a 24-bit
 * significand, so v * 100 needs at most 31 bits and is exact in a double;
 * rounding that to an integer with rint() (ties to even, as the default
 * rounding mode) is then what printf does with the exact decimal value of v.
 * Anything else (not a float's value, huge, infinite, NaN) is printf's. */
size_t cli_fixed2(double v, char buf[CLI_FIXED2_CAP])
{
    if (!(fabs(v) < 1e15) || (double)(float)v != v)
        return (size_t)snprintf(buf, CLI_FIXED2_CAP, "%.2f", v);
    unsigned long long k = (unsigned long long)rint(fabs(v) * 100.0);
    char digits[24], *d = digits + sizeof digits;
    *--d = (char)('0' + k % 10);
    *--d = (char)('0' + k / 10 % 10);
    *--d = '.';
    k /= 100;
    do
        *--d = (char)('0' + k % 10);
    while (k /= 10);
    if (signbit(v)) /* printf writes "-0.00" for -0.001 and for -0.0 too */
        *--d = '-';
    size_t n = (size_t)(digits + sizeof digits - d);
    memcpy(buf, d, n);
    buf[n] = '\0';
    return n;
}

void cli_out_end_row(struct cli_out *o)
{
    out_put(o, o->eol, strlen(o->eol));
    o->first = true;
}

int cli_out_close(struct cli_out *o)
{
    if (!o)
        return 0;
    int rc = 0;
    out_flush(o);
    if (ferror(o->f) || fflush(o->f) != 0)
        rc = cli_fail(o->cmd, CLI_EXIT_FAIL, "writing %s failed: %s", o->path, strerror(errno));
    if (o->f != stdout && fclose(o->f) != 0 && rc == 0)
        rc = cli_fail(o->cmd, CLI_EXIT_FAIL, "writing %s failed: %s", o->path, strerror(errno));
    free(o->buf);
    free(o);
    return rc;
}

bool cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* ---- reading rows -------------------------------------------------------- */

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
                snprintf(why, cap, CLI_TR(lang, "field %s contains a NUL byte", "字段%s含有空字符"),
                         lang ? xjl_field_label_zh((xjl_field)k) : xjl_field_name((xjl_field)k));
            }
        }
    }
    size_t have = xjl_csv_field_count(csv), want = xjl_csv_column_count(csv);
    bool count_ok = have == want;
    if (have > want) { /* Excel sometimes leaves empty cells after the last column */
        count_ok = true;
        for (size_t i = want; i < have && count_ok; i++) {
            size_t len;
            xjl_csv_field(csv, i, &len);
            count_ok = len == 0;
        }
    }
    if (!count_ok) {
        fault = CLI_ROW_FIELD_COUNT;
        snprintf(why, cap,
                 CLI_TR(lang, "row has %zu fields, the header has %zu", "该行有%zu个字段，表头有%zu个"),
                 have, want);
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
    fprintf(stderr, "\r%s: %zu rows, %.0f rows/s   ", what, rows,
            (double)rows / (t - p->start > 0 ? t - p->start : 1));
    fflush(stderr);
}

void cli_progress_done(struct cli_progress *p)
{
    if (p->on && p->last > p->start)
        fputc('\n', stderr);
}
