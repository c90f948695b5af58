/*
 * What the commands of `xjlink` share: the command table, option parsing,
 * messages in two languages, CSV output, reading a row's five key fields,
 * and progress on stderr.  A command is a file of its own (cmd_<name>.c) and
 * adds one line to the table in xjlink.c.
 */
#ifndef XJLINK_CLI_H
#define XJLINK_CLI_H

#include "xjlink.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* Exit codes of every command (printed by `xjlink --help`). */
enum {
    CLI_EXIT_OK = 0,       /* done; no row with an error */
    CLI_EXIT_FAIL = 1,     /* could not write the output, out of memory */
    CLI_EXIT_USAGE = 2,    /* bad command line, or an input file that cannot be read */
    CLI_EXIT_ROW_ERRORS = 3, /* check: done, but some rows have an error finding */
    CLI_EXIT_REFUSED = 4   /* intake, enrol: the workflow refused the step */
};

/* ---- commands ------------------------------------------------------------ */

struct cli_command {
    const char *name;
    const char *summary;               /* one line for `xjlink --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    void (*help)(FILE *out);           /* `xjlink NAME --help` */
};

int cmd_check(int argc, char **argv);
void cmd_check_help(FILE *out);
int cmd_match(int argc, char **argv);
void cmd_match_help(FILE *out);
int cmd_dedup(int argc, char **argv);
void cmd_dedup_help(FILE *out);
#if XJL_WITH_WORKSPACE
int cmd_intake(int argc, char **argv);
void cmd_intake_help(FILE *out);
int cmd_enrol(int argc, char **argv);
void cmd_enrol_help(FILE *out);
#endif

/* A diag callback printing FILE:LINE: COLUMN 'VALUE': MESSAGE on stderr. */
void cli_ws_diag(void *user, const char *file, long line, const char *column, const char *value,
                 const char *message);

#if XJL_WITH_WORKSPACE
/* The workspace commands' helpers (cmd_intake.c): open with an operator; the
 * exit status of a step (message on stderr); print a listing as CSV (and
 * free it); a diag callback printing FILE:LINE: COLUMN 'VALUE': MESSAGE; a
 * row id argument. */
int cli_ws_open(const char *cmd, const char *path, const char *operator_id, xjl_workspace **ws);
int cli_ws_status(const char *cmd, int rc);
int cli_ws_print(const char *cmd, int rc, xjl_listing **t, const char *out_path);
bool cli_ws_row_id(const char *cmd, const char *arg, int64_t *out);
#endif

/* ---- options ------------------------------------------------------------- */

enum cli_opt_kind {
    CLI_OPT_FLAG,   /* bool: present or not */
    CLI_OPT_STRING, /* const char *: the value as given */
    CLI_OPT_UINT    /* unsigned: a decimal number */
};

struct cli_opt {
    const char *name; /* without the leading "--" */
    enum cli_opt_kind kind;
    void *target;
};

/* Parses argv[1..argc) of a command: `--name value`, `--name=value`, flags,
 * and positional arguments in any order; `--` ends the options.  Positional
 * arguments go to pos (at most max_pos).  Returns how many there were, or -1
 * when the command is to stop with *status: 0 after `-h`/`--help` printed
 * help, CLI_EXIT_USAGE after a usage error naming the offending option. */
int cli_parse(const char *cmd, void (*help)(FILE *out), int argc, char **argv,
              const struct cli_opt *opts, size_t nopts, char **pos, int max_pos, int *status);

/* Prints "xjlink CMD: message" and a hint to --help on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Prints "xjlink CMD: message" on stderr and returns code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...) CLI_PRINTF(3, 4);

/* The options every file-reading command has: --encoding and --lang. */
int cli_encoding_arg(const char *cmd, const char *value, xjl_encoding *out);
/* lang: 0 English, 1 Chinese ("zh", "zh-CN", "cn"); "en" or NULL gives 0. */
int cli_lang_arg(const char *cmd, const char *value, int *lang);

/* Picks the English or the Chinese text.  A macro, so that the compiler
 * checks a printf format in either language against its arguments. */
#define CLI_TR(lang, en, zh) ((lang) ? (zh) : (en))

/* ---- CSV output ---------------------------------------------------------- */

struct cli_out;

/* Opens path for writing ("-" is stdout).  excel: a UTF-8 BOM first and CRLF
 * line ends, so that Excel opens the file as UTF-8.  NULL after printing why. */
struct cli_out *cli_out_open(const char *cmd, const char *path, bool excel);
/* Appends one field (quoted as RFC 4180 needs); len may be XJL_NTS. */
void cli_out_field(struct cli_out *o, const char *s, size_t len);
/* Appends a field written with printf. */
void cli_out_fieldf(struct cli_out *o, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Writes v as printf("%.2f") does, into buf; returns the length.  Without
 * printf for every value a float can hold (the scores of xjl_result_score()):
 * the score column is written for every matched row. */
#define CLI_FIXED2_CAP XJL_FIXED2_CAP /* the longest "%.2f" of a double, and its NUL */
size_t cli_fixed2(double v, char buf[CLI_FIXED2_CAP]);
/* Ends the row. */
void cli_out_end_row(struct cli_out *o);
/* Flushes and closes; returns 0, or CLI_EXIT_FAIL after printing the write error. */
int cli_out_close(struct cli_out *o);

/* Whether two paths name one existing file (an output must not truncate an
 * input before it is read). */
bool cli_same_file(const char *a, const char *b);

/* ---- reading rows -------------------------------------------------------- */

/* What is wrong with a row as a row (its fields are checked by the library). */
enum cli_row_fault {
    CLI_ROW_OK = 0,
    CLI_ROW_FIELD_COUNT = 1, /* not as many fields as the header (extra empty ones are fine) */
    CLI_ROW_NUL = 2          /* a key field holds a NUL byte */
};

/* Points rec at the current row's five key fields (cols from
 * xjl_csv_key_columns()).  *nul_fields receives a bit per key field that
 * holds a NUL byte.  Returns the first fault and, when not OK, a message in
 * why ("row has 3 fields, the header has 5"). */
enum cli_row_fault cli_row_record(const xjl_csv *csv, const int cols[5], xjl_record *rec,
                                  unsigned *nul_fields, int lang, char *why, size_t cap);

/* ---- progress and time --------------------------------------------------- */

/* Seconds on a monotonic clock. */
double cli_now(void);

struct cli_progress {
    bool on;
    double start, last;
};

/* Progress lines go to stderr when it is a terminal, or when forced. */
void cli_progress_init(struct cli_progress *p, bool forced);
/* Prints "what: N rows, R rows/s" at most every two seconds. */
void cli_progress_tick(struct cli_progress *p, const char *what, size_t rows);
/* Ends the progress line (if one was printed). */
void cli_progress_done(struct cli_progress *p);

#endif /* XJLINK_CLI_H */
