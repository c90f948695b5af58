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
    CLI_EXIT_OK = 0,         /* done; no row with an error */
    CLI_EXIT_FAIL = 1,       /* could not write the output, out of memory */
    CLI_EXIT_USAGE = 2,      /* bad command line, or an input file that cannot be read */
    CLI_EXIT_ROW_ERRORS = 3, /* check: done, but some rows have an error finding */
    CLI_EXIT_REFUSED = 4     /* intake, enrol: the workflow refused the step */
};

/* ---- commands ------------------------------------------------------------ */

struct cli_command {
    const char *name;
    const char *summary;               /* catalogue id of its line in `xjlink --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command's name */
    void (*help)(FILE *out);           /* `xjlink NAME --help` */
};

int cmd_check(int argc, char **argv);
void cmd_check_help(FILE *out);
int cmd_match(int argc, char **argv);
void cmd_match_help(FILE *out);
int cmd_dedup(int argc, char **argv);
void cmd_dedup_help(FILE *out);
int cmd_index(int argc, char **argv);
void cmd_index_help(FILE *out);
#if XJL_WITH_WORKSPACE
int cmd_intake(int argc, char **argv);
void cmd_intake_help(FILE *out);
int cmd_enrol(int argc, char **argv);
void cmd_enrol_help(FILE *out);
#endif

/* A value for the terminal: control characters and bytes that are not UTF-8
 * escaped as \xHH, long values shortened to what buf (cap bytes) holds. */
const char *cli_printable(const char *s, size_t len, char *buf, size_t cap);

/* A diag callback printing FILE:LINE: COLUMN 'VALUE': MESSAGE on stderr. */
void cli_ws_diag(void *user, const char *file, long line, const char *column, const char *value,
                 const char *message);

#if XJL_WITH_WORKSPACE
/* The workspace commands' helpers (cmd_intake.c): open with an operator; the
 * exit status of a step (message on stderr); print a listing as CSV (and
 * free it); a diag callback printing FILE:LINE: COLUMN 'VALUE': MESSAGE; a
 * row id argument. */
/* How a command opens its workspace: a listing reads it only (it works on a
 * read-only file and leaves no -wal/-shm behind), init creates it. */
enum cli_ws_mode { CLI_WS_WRITE, CLI_WS_READ, CLI_WS_CREATE };
int cli_ws_open(const char *cmd, const char *path, const char *operator_id, enum cli_ws_mode mode,
                xjl_workspace **ws);
int cli_ws_status(const char *cmd, int rc);
/* The exit status of a step that loads a file's rows: as cli_ws_status(), and
 * CLI_EXIT_ROW_ERRORS when it went through but refused or warned about rows. */
int cli_ws_load_status(const char *cmd, int rc, const xjl_load_report *rep);
int cli_ws_print(const char *cmd, int rc, xjl_listing **t, const char *out_path);
/* The same, the output refused when it is one of inputs (the files the
 * listing was made from; the workspace for cli_ws_print). */
int cli_ws_print_from(const char *cmd, int rc, xjl_listing **t, const char *out_path,
                      const char *const *inputs, size_t ninputs);
/* The key-column mapping (--columns) of the CSV files the workspace opened
 * by the next cli_ws_open() reads (NULL: none). */
void cli_ws_columns(const char *mapping);
/* The operator's role and scope (--role, --scope) for the next cli_ws_open(). */
void cli_ws_who(const char *role, const char *scope);
/* policy [--process P --on|--off [--from D] [--to D]]: sets one, lists all. */
int cli_ws_policy(const char *cmd, xjl_workspace *ws, const char *process, bool on, bool off,
                  const char *from, const char *to, const char *out);
/* How listings are written from now on: excel (BOM, CRLF), and ID numbers in
 * full (else masked: personal data). */
void cli_ws_view(bool excel, bool full_ids);
struct cli_out;
/* Writes one listing (header and rows) to an open output. */
int cli_ws_write(struct cli_out *o, const xjl_listing *t);
/* A whole decimal number from min to max; else a usage error naming opt. */
bool cli_ws_number(const char *cmd, const char *opt, const char *arg, long long min, long long max,
                   long long *out);
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
/* lang: 0 English, 1 Chinese ("zh", "zh-CN", "cn"; "en" gives 0); NULL
 * gives the program's language (cli_lang). */
int cli_lang_arg(const char *cmd, const char *value, int *lang);
/* Whether value names a language (en, zh, zh-CN, zh_CN, cn), and which. */
bool cli_lang_parse(const char *value, xjl_lang *lang);

/* ---- messages: the library's catalogue (xjl_message) ----------------------- */

/* The language of this run: --lang, else the locale (xjlink.c). */
extern xjl_lang cli_lang;
/* Catalogue text id in the run's language.  A printf format from the
 * catalogue has the same conversions in both languages (test_messages). */
#define cli_msg(id) xjl_message((id), cli_lang)
/* "s" after a count other than 1, for the English text of a catalogue entry
 * ("%zu row%s"); the Chinese text takes it with "%.0s" and prints nothing. */
#define CLI_PLURAL(n) ((n) == 1 ? "" : "s")

/* ---- CSV output ---------------------------------------------------------- */

struct cli_out;

/* Opens path for writing ("-" is stdout).  flags: XJL_CSV_BOM, XJL_CSV_EXCEL
 * (a UTF-8 BOM first and CRLF line ends, so that Excel opens it as UTF-8).  A path ending in .xlsx
 * is written as an Excel workbook instead (xlsx_out.c: text cells, the
 * status coloured, a summary sheet).  NULL after printing why. */
struct cli_out *cli_out_open(const char *cmd, const char *path, unsigned flags);
/* The same, refusing a path that is the same file as one of inputs (through
 * links too) before anything is written.  A file is written whole or not at
 * all: it replaces path only at cli_out_close() (xjl_output_open()). */
struct cli_out *cli_out_open_from(const char *cmd, const char *path, unsigned flags,
                                  const char *const *inputs, size_t ninputs);
/* The CSV flags of an output: --excel (BOM and CRLF), else a BOM under
 * --lang zh (zh-CN Excel reads a CSV without one as GBK) unless --no-bom. */
unsigned cli_csv_flags(bool excel, int lang, bool no_bom);
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
/* Flushes and closes (a file replaces the destination now); returns 0, or
 * CLI_EXIT_FAIL after printing the write error. */
int cli_out_close(struct cli_out *o);
/* Closes without a result: a file's destination keeps what it held. */
void cli_out_discard(struct cli_out *o);

/* ---- .xlsx output (xlsx_out.c): what cli_out does for a path ending .xlsx -- */

struct cli_xlsx;
/* Whether a path names an .xlsx output (its name ends with .xlsx, any case). */
bool cli_is_xlsx_path(const char *path);
struct cli_xlsx *cli_xlsx_open(const char *cmd, const char *path);
void cli_xlsx_cell(struct cli_xlsx *x, const char *s, size_t n);
void cli_xlsx_end_row(struct cli_xlsx *x);
/* Writes the summary sheet and the file (a temporary file beside it, renamed
 * over it when all went well: on an error the file keeps what it held); 0 or
 * CLI_EXIT_FAIL after printing why. */
int cli_xlsx_close(struct cli_xlsx *x);
/* Writes a UTF-8 CSV file that the library wrote (a match or dedup result,
 * staged) as a workbook, and removes the CSV file as soon as it is open (a
 * run killed while it converts leaves no copy of the rows); 0 or
 * CLI_EXIT_FAIL after printing why. */
int cli_xlsx_from_csv(const char *cmd, const char *csv_path, const char *xlsx_path);
/* For commands whose CSV the library writes (match, dedup): for an output
 * path ending .xlsx, the path of a CSV file to write first (malloc'd), else
 * NULL: a new file beside OUT, created with O_EXCL (.OUT.tmp-PID-N-R.csv),
 * never a file that was there.  cli_xlsx_finish() turns it into the workbook
 * when status is 0, removes it (only a file it created) and frees it, and
 * returns the final status. */
char *cli_xlsx_staging(const char *out_path);
int cli_xlsx_finish(const char *cmd, char *staging, const char *out_path, int status);

/* ---- --report FILE.html: a page of the run (the library's xjl_report) ---- */

/* For `--report path` (NULL: none, *rep = NULL): a new report of kind, with at
 * most rows rows shown ((unsigned)-1: the default), after checking that path
 * can be written and is none of inputs nor out_path.  Returns 0, or the exit
 * status after printing why. */
int cli_report_open(const char *cmd, const char *path, xjl_report_kind kind, int lang,
                    unsigned rows, const char *out_path, const char *const *inputs, size_t ninputs,
                    xjl_report **rep);
/* Writes the report when the run succeeded (status 0 or CLI_EXIT_ROW_ERRORS),
 * frees it, and returns the final status. */
int cli_report_close(const char *cmd, xjl_report *rep, const char *path, const char *const *inputs,
                     size_t ninputs, int status);

/* Whether two paths name one existing file (an output must not truncate an
 * input before it is read). */
bool cli_same_file(const char *a, const char *b);

/* ---- reading rows -------------------------------------------------------- */

/* Opens a roster (CSV or .xlsx) and finds its key columns, with the user's
 * --columns mapping (may be NULL); NULL after printing why (exit status
 * CLI_EXIT_USAGE). */
xjl_csv *cli_open_roster(const char *cmd, const char *path, xjl_encoding enc, const char *columns,
                         int cols[5]);

/* What is wrong with a row as a row (its fields are checked by the library). */
enum cli_row_fault {
    CLI_ROW_OK = 0,
    CLI_ROW_FIELD_COUNT = 1, /* not as many fields as the header (extra empty ones are fine) */
    CLI_ROW_NUL = 2,         /* a key field holds a NUL byte */
    CLI_ROW_STRAY_QUOTE = 3  /* later rows read into a cell (xjl_csv_row_check()) */
};

/* Points rec at the current row's five key fields (cols from
 * xjl_csv_key_columns()).  *nul_fields receives a bit per key field that
 * holds a NUL byte.  Returns the first fault and, when not OK, a message in
 * why ("row has 3 fields, the header has 5"). */
enum cli_row_fault cli_row_record(const xjl_csv *csv, const int cols[5], xjl_record *rec,
                                  unsigned *nul_fields, int lang, char *why, size_t cap);

/* Whether the current row has the header's fields: as many, or more whose
 * extra ones are empty (Excel sometimes leaves empty cells after the last
 * column), as the library's readers take a row. */
bool cli_row_fields_fit(const xjl_csv *csv);

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
