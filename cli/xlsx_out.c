/*
 * Output as an Excel workbook (--out FILE.xlsx), written with libxlsxwriter.
 *
 * Why not CSV for Excel users: Excel reads every all-digit field of a CSV as a
 * number and keeps 15 significant digits, so an 18-digit ID number
 * 510104201802146389 becomes 5.10104201802146E+17, and a record id loses its
 * leading zeros.  Here every cell is a text cell with the text number format
 * ("@", so that an edit keeps it text) holding the field exactly as read,
 * except the program's score column (a short decimal such as 23.75, written
 * as a number so that a user can sort and filter).  A roster's own columns
 * are never numbers: a class 3.1 stays "3.1".
 * The first row is the header (bold, frozen, with filters); the status column
 * is coloured by status; a second sheet, 汇总 Summary, counts the rows of each
 * status.  The status and score columns of a match result are the ones the
 * program appended after the roster's columns (a roster's own 状态 column is
 * text like any other); in other outputs, whose columns are all the
 * program's, they are the first column named status, 状态 or 处理状态 and the
 * first named score or 得分.  Rows stream to disk as they come
 * (libxlsxwriter's constant-memory mode).
 *
 * A cell holds what XML 1.0 can carry: a byte sequence that is not UTF-8, a
 * surrogate (ED A0 80), U+FFFE, U+FFFF and NUL are each written as U+FFFD,
 * which would otherwise make a workbook that Excel cannot open.  Control
 * characters U+0001-U+001F are escaped by libxlsxwriter (_x0001_) and read
 * back as they were; a literal _xHHHH_ in a field is written as _x005F_xHHHH_
 * (the OOXML escape of its underscore), which libxlsxwriter 1.1 does not do,
 * so that Excel does not decode it into a character.  A field longer than
 * Excel's 32,767 characters (counted in UTF-16 units, as Excel counts) keeps
 * its first 32,767 and the run warns once; the CSV output keeps it whole.
 *
 * The workbook is written whole or not at all, as every other output file:
 * libxlsxwriter writes a temporary file beside the destination (its own
 * scratch files go to the same directory, not /tmp), every write is checked
 * (the scratch files' too: libxlsxwriter 1.1 ignores their write errors),
 * the file is synced and renamed over the destination only when all went
 * well; otherwise it is removed, the destination keeps what it held, and the
 * command fails naming the file.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define XLSX_MAX_ROWS 1048576u /* Excel's limit: rows 1 to 1,048,576, the header's included */
#define XLSX_MAX_CHARS 32767u  /* Excel's limit of a cell, in UTF-16 units */
/* the longest text a cell is given: each unit at most 3 bytes of UTF-8 (a
 * 4-byte character is 2 units), and the 7-byte escape _x005F_ */
#define XLSX_CELL_CAP (3u * XLSX_MAX_CHARS + 16u)
#define XLSX_MAX_STATUSES 16

struct cli_xlsx {
    const char *cmd;
    char *path; /* as the user named it, for messages */
    char *dest; /* the file replaced (a symbolic link's target) */
    char *tmp;  /* the temporary file libxlsxwriter writes, beside dest */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *text, *number, *head, *status_fmt[4];
    lxw_row_t row; /* rows ended */
    lxw_col_t col, ncols;
    long status_col, score_col; /* -1: none */
    bool columns_set;           /* status_col and score_col given, not taken from the header */
    bool overflow;              /* a row past Excel's limit: reported at the close */
    bool oom;
    bool failed;   /* an error said by the caller: the workbook is not written */
    lxw_error err; /* the first error of libxlsxwriter while writing cells */
    lxw_row_t err_row;
    lxw_col_t err_col;
    /* cells cut at Excel's limit: how many, and the first */
    size_t ncut;
    lxw_row_t cut_row;
    lxw_col_t cut_col;
    char *buf; /* a cell's text as written (XLSX_CELL_CAP bytes) */
    /* the summary: each status value seen and its count, in order of first sight */
    char *status[XLSX_MAX_STATUSES];
    size_t count[XLSX_MAX_STATUSES], nstatus, other;
};

static bool is_status_header(const char *s, size_t n)
{
    static const char *const names[] = {"status", "状态", "处理状态"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
            return true;
    return false;
}

static bool is_score_header(const char *s, size_t n)
{
    return (n == 5 && memcmp(s, "score", 5) == 0) ||
           (n == strlen("得分") && memcmp(s, "得分", n) == 0);
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

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The length of the UTF-8 sequence at s[0..n) that is a character XML 1.0
 * allows, and its UTF-16 length in *units; 0 for anything else (a byte that
 * starts no sequence, a truncated one: one byte is replaced; *bad then holds
 * how many bytes the replacement covers: a whole overlong form, surrogate,
 * U+FFFE, U+FFFF or a code point past U+10FFFF, else 1). */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *units, size_t *bad)
{
    *bad = 1;
    *units = 1;
    if (s[0] < 0x80)
        return s[0] ? 1 : 0; /* NUL: not an XML character */
    size_t len = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
                 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                                : 0;
    if (!len || len > n)
        return 0;
    unsigned long cp = s[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) {
        *bad = len;
        return 0;
    }
    *units = cp >= 0x10000 ? 2 : 1;
    return len;
}

/* Writes the field s[0..n) into x->buf as the cell's text (see the top of the
 * file): U+FFFD for what XML cannot hold, a literal _xHHHH_ escaped, cut at
 * Excel's limit.  Returns whether it was cut. */
static bool cell_text(struct cli_xlsx *x, const char *s, size_t n)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, units = 0;
    for (size_t i = 0; i < n;) {
        unsigned w;
        size_t bad, len = utf8_char(u + i, n - i, &w, &bad);
        const char *piece = s + i;
        size_t plen = len;
        if (!len) {
            piece = fffd;
            plen = 3;
            len = bad;
        } else if (s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
                   is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_') {
            piece = "_x005F_"; /* the underscore only: "xHHHH_" follows as it is */
            plen = w = 7;
        }
        if (units + w > XLSX_MAX_CHARS) {
            x->buf[o] = '\0';
            return true;
        }
        memcpy(x->buf + o, piece, plen);
        o += plen;
        units += w;
        i += len;
    }
    x->buf[o] = '\0';
    return false;
}

bool cli_is_xlsx_path(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

/* The directory of path ("." for a bare name), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* Creates a new file beside path, named .NAME.tmp-PID-N-RANDOMsuffix, with
 * O_EXCL: never a file that was there.  Mode 0666 less the umask.  Returns its
 * name (malloc'd) and its descriptor in *fd; *fd -1 with errno set when it
 * could not be created (the name is then the last one tried), NULL when out
 * of memory. */
static char *create_beside(const char *path, const char *suffix, int *fd)
{
    static unsigned counter;
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path + 1) : 0;
    size_t cap = strlen(path) + strlen(suffix) + 64;
    char *name = malloc(cap);
    *fd = -1;
    if (!name) {
        errno = ENOMEM;
        return NULL;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long seed = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
    for (int attempt = 0; attempt < 100; attempt++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        snprintf(name, cap, "%.*s.%s.tmp-%ld-%u-%06lx%s", (int)dlen, path, path + dlen,
                 (long)getpid(), counter++, (seed >> 40) & 0xFFFFFF, suffix);
        *fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (*fd >= 0 || errno != EEXIST)
            break;
    }
    return name;
}

static void free_x(struct cli_xlsx *x)
{
    for (size_t i = 0; i < x->nstatus; i++)
        free(x->status[i]);
    free(x->buf);
    free(x->tmp);
    free(x->dest);
    free(x->path);
    free(x);
}

struct cli_xlsx *cli_xlsx_open(const char *cmd, const char *path)
{
    struct cli_xlsx *x = calloc(1, sizeof *x);
    if (!x || !(x->path = strdup(path)) || !(x->buf = malloc(XLSX_CELL_CAP + 1))) {
        cli_fail(cmd, CLI_EXIT_FAIL, "%s", cli_msg("cli.out_of_memory"));
        if (x)
            free_x(x);
        return NULL;
    }
    x->cmd = cmd;
    x->status_col = x->score_col = -1;
    /* A symbolic link is followed: the file it names is the one replaced. */
    struct stat st, lst;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        cli_fail(cmd, CLI_EXIT_USAGE, cli_msg("cli.xlsx.is_directory"), path);
        free_x(x);
        return NULL;
    }
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        x->dest = realpath(path, NULL);
    else
        x->dest = strdup(path);
    int fd = -1;
    char *dir = x->dest ? dir_of(x->dest) : NULL;
    if (!dir || !(x->tmp = create_beside(x->dest, "", &fd)) || fd < 0) {
        cli_fail(cmd, CLI_EXIT_USAGE, cli_msg("cli.xlsx.cannot_write"), path,
                 xjl_errno_text(errno, cli_lang));
        free(dir);
        free_x(x);
        return NULL;
    }
    /* a file replaced keeps its permissions, as the CSV outputs do */
    if (exists)
        (void)fchmod(fd, st.st_mode & 07777);
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE, .tmpdir = dir};
    x->wb = workbook_new_opt(x->tmp, &opt); /* copies tmpdir */
    free(dir);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, "结果 Results") : NULL;
    if (!x->ws) {
        cli_fail(cmd, CLI_EXIT_USAGE, cli_msg("cli.xlsx.cannot_write"), path,
                 cli_msg(x->wb ? "cli.xlsx.no_temp_file" : "cli.out_of_memory"));
        if (x->wb)
            lxw_workbook_free(x->wb);
        unlink(x->tmp);
        free_x(x);
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
    if (x->nstatus < XLSX_MAX_STATUSES) {
        if (!(x->status[x->nstatus] = strdup(s))) {
            x->oom = true;
            return;
        }
        x->count[x->nstatus++] = 1;
        return;
    }
    x->other++;
}

/* Keeps the first error of libxlsxwriter, with its cell. */
static void check(struct cli_xlsx *x, lxw_error e, lxw_row_t r, lxw_col_t c)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
        x->err = e;
        x->err_row = r;
        x->err_col = c;
    }
}

void cli_xlsx_cell(struct cli_xlsx *x, const char *s, size_t n)
{
    if (x->row >= XLSX_MAX_ROWS) {
        x->overflow = true;
        return;
    }
    if (x->col == LXW_COL_MAX)
        return;
    lxw_col_t c = x->col++;
    if (cell_text(x, s, n)) {
        if (!x->ncut++) {
            x->cut_row = x->row;
            x->cut_col = c;
        }
    }
    const char *t = x->buf;
    if (x->row == 0) {
        if (!x->columns_set && x->status_col < 0 && is_status_header(s, n))
            x->status_col = c;
        if (!x->columns_set && x->score_col < 0 && is_score_header(s, n))
            x->score_col = c;
        check(x, worksheet_write_string(x->ws, 0, c, t, x->head), 0, c);
        x->ncols = x->col;
    } else if ((long)c == x->status_col) {
        int k = status_kind(t);
        check(x, worksheet_write_string(x->ws, x->row, c, t, k >= 0 ? x->status_fmt[k] : x->text),
              x->row, c);
        count_status(x, t);
    } else if (!n) {
        /* an empty field is an empty cell */
    } else if ((long)c == x->score_col && is_score(s, n)) {
        check(x, worksheet_write_number(x->ws, x->row, c, strtod(t, NULL), x->number), x->row, c);
    } else {
        check(x, worksheet_write_string(x->ws, x->row, c, t, x->text), x->row, c);
    }
}

void cli_xlsx_end_row(struct cli_xlsx *x)
{
    x->col = 0;
    if (x->row >= XLSX_MAX_ROWS)
        x->overflow = true; /* a row past the last one (a blank one too) */
    else
        x->row++;
}

/* The summary sheet: rows written and the count of each status. */
static lxw_worksheet *write_summary(struct cli_xlsx *x)
{
    lxw_worksheet *s = workbook_add_worksheet(x->wb, "汇总 Summary");
    if (!s) {
        check(x, LXW_ERROR_CREATING_TMPFILE, 0, 0);
        return NULL;
    }
    lxw_error e = worksheet_set_column(s, 0, 0, 24, NULL);
    if (!e)
        e = worksheet_write_string(s, 0, 0, "项目 Item", x->head);
    if (!e)
        e = worksheet_write_string(s, 0, 1, "数量 Count", x->head);
    if (!e)
        e = worksheet_write_string(s, 1, 0, "行数 rows", NULL);
    if (!e)
        e = worksheet_write_number(s, 1, 1, x->row ? x->row - 1 : 0, NULL);
    lxw_row_t r = 2;
    for (size_t i = 0; !e && i < x->nstatus; i++, r++) {
        int k = status_kind(x->status[i]);
        e = worksheet_write_string(s, r, 0, x->status[i], k >= 0 ? x->status_fmt[k] : NULL);
        if (!e)
            e = worksheet_write_number(s, r, 1, (double)x->count[i], NULL);
    }
    if (!e && x->other) {
        e = worksheet_write_string(s, r, 0, "其他 other", NULL);
        if (!e)
            e = worksheet_write_number(s, r, 1, (double)x->other, NULL);
    }
    check(x, e, 0, 0);
    return s;
}

/* Writes out a sheet's last row and checks its scratch file (the rows of a
 * constant-memory sheet): libxlsxwriter ignores a failed write there (a full
 * disk, the file size limit) and would pack a cut sheet.  0 or an errno. */
static int sheet_scratch_error(lxw_worksheet *ws)
{
    if (!ws || !ws->optimize_tmpfile)
        return 0;
    lxw_worksheet_write_single_row(ws); /* the last row, written now rather than at the close */
    errno = 0;
    if (fflush(ws->optimize_tmpfile) != 0 || ferror(ws->optimize_tmpfile))
        return errno ? errno : EIO;
    /* The sheet is copied once more, whole, with its head and tail, when the
     * workbook is packed: a limit of the file size it would pass is said now. */
    struct rlimit rl;
    off_t size = ftello(ws->optimize_tmpfile);
    if (size >= 0 && getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (rlim_t)size + 65536 > rl.rlim_cur)
        return EFBIG;
    return 0;
}

/* Syncs the finished temporary file and renames it over the destination; 0
 * or an errno. */
static int put_in_place(struct cli_xlsx *x)
{
    int fd = open(x->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int e = fsync(fd) == 0 ? 0 : errno;
    close(fd);
    if (!e && rename(x->tmp, x->dest) != 0)
        e = errno;
    if (e)
        return e;
    char *dir = dir_of(x->dest);
    int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    free(dir);
    if (dfd >= 0) {
        if (fsync(dfd) != 0 && errno != EINVAL)
            e = errno;
        close(dfd);
    }
    return e;
}

/* "A", ..., "Z", "AA", ...: the column letters of c (0-based). */
static void col_name(lxw_col_t c, char out[8])
{
    char tmp[8];
    int n = 0;
    for (unsigned long v = (unsigned long)c + 1; v && n < 7; v = (v - 1) / 26)
        tmp[n++] = (char)('A' + (v - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

int cli_xlsx_close(struct cli_xlsx *x)
{
    if (!x)
        return 0;
    if (x->ncols)
        check(x,
              worksheet_autofilter(x->ws, 0, 0, x->row ? x->row - 1 : 0, (lxw_col_t)(x->ncols - 1)),
              0, 0);
    lxw_worksheet *summary = write_summary(x);
    int sys = sheet_scratch_error(x->ws);
    if (!sys)
        sys = sheet_scratch_error(summary);
    int rc = 0;
    if (x->failed)
        rc = CLI_EXIT_FAIL; /* said */
    else if (x->overflow)
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL, cli_msg("cli.xlsx.too_many_rows"), x->path,
                      XLSX_MAX_ROWS);
    else if (x->oom || x->err == LXW_ERROR_MEMORY_MALLOC_FAILED)
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL, cli_msg("cli.xlsx.write_failed"), x->path,
                      cli_msg("cli.out_of_memory"));
    else if (x->err != LXW_NO_ERROR) {
        char col[8];
        col_name(x->err_col, col);
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL, cli_msg("cli.xlsx.write_failed_at"), x->path, col,
                      (unsigned long)x->err_row + 1, lxw_strerror(x->err));
    } else if (sys)
        rc = cli_fail(x->cmd, CLI_EXIT_FAIL, cli_msg("cli.xlsx.write_failed"), x->path,
                      xjl_errno_text(sys, cli_lang));
    if (rc) {
        lxw_workbook_free(x->wb); /* nothing packed: the destination keeps what it held */
    } else {
        lxw_error e = workbook_close(x->wb);
        if (e != LXW_NO_ERROR)
            rc = cli_fail(x->cmd, CLI_EXIT_FAIL, cli_msg("cli.xlsx.write_failed"), x->path,
                          lxw_strerror(e));
        else if ((sys = put_in_place(x)) != 0)
            rc = cli_fail(x->cmd, CLI_EXIT_FAIL, cli_msg("cli.xlsx.write_failed"), x->path,
                          xjl_errno_text(sys, cli_lang));
    }
    if (rc) {
        unlink(x->tmp);
    } else if (x->ncut) {
        char col[8];
        col_name(x->cut_col, col);
        fprintf(stderr, "xjlink %s: ", x->cmd);
        fprintf(stderr, cli_msg("cli.xlsx.cell_cut"), x->path, col, (unsigned long)x->cut_row + 1,
                XLSX_MAX_CHARS, XLSX_MAX_CHARS, x->ncut, CLI_PLURAL(x->ncut));
    }
    free_x(x);
    return rc;
}

/* The result columns of a match (xjl_match_csv_write): six after the
 * roster's, in English or Chinese.  Their status and score columns are the
 * status and score of the workbook, whatever the roster's columns are named. */
static void match_columns(struct cli_xlsx *x, xjl_csv *csv)
{
    static const char *const added[] = {"column.status", "column.match_id", "column.candidates",
                                        "column.score",  "column.reasons",  "column.weights"};
    size_t n = xjl_csv_column_count(csv), k = sizeof added / sizeof added[0];
    x->columns_set = true;
    if (n < k)
        return;
    for (int lang = 0; lang < 2; lang++) {
        size_t i = 0;
        while (i < k && strcmp(xjl_csv_column_name(csv, n - k + i),
                               xjl_message(added[i], lang ? XJL_LANG_ZH : XJL_LANG_EN)) == 0)
            i++;
        if (i == k) {
            x->status_col = (long)(n - k);
            x->score_col = (long)(n - k + 3);
            return;
        }
    }
    /* not a match result (dedup's clusters): no status, no score column */
}

/* cli_xlsx_from_csv; *removed tells whether csv_path is gone. */
static int from_csv(const char *cmd, const char *csv_path, const char *xlsx_path, bool *removed)
{
    xjl_csv *csv;
    *removed = false;
    if (xjl_csv_open(&csv, csv_path, XJL_ENC_UTF8) != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg());
    *removed = remove(csv_path) == 0; /* read through the open file from here on */
    struct cli_xlsx *x = cli_xlsx_open(cmd, xlsx_path);
    if (!x) {
        xjl_csv_close(csv);
        return CLI_EXIT_FAIL;
    }
    match_columns(x, csv);
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
    if (rc < 0) {
        cli_fail(cmd, CLI_EXIT_FAIL, "%s", xjl_errmsg());
        x->failed = true; /* the workbook is not written: a cut result is no result */
    }
    xjl_csv_close(csv);
    int closed = cli_xlsx_close(x);
    return rc < 0 ? CLI_EXIT_FAIL : closed;
}

int cli_xlsx_from_csv(const char *cmd, const char *csv_path, const char *xlsx_path)
{
    bool removed;
    return from_csv(cmd, csv_path, xlsx_path, &removed);
}

/* The staging file's name, then a NUL and one byte: 1 when this program
 * created the file, which cli_xlsx_finish() then removes.  A name that
 * could not be created (no such directory, no permission) is returned all
 * the same: the CSV writer fails on it and says why, and it is not removed. */
char *cli_xlsx_staging(const char *out_path)
{
    if (!cli_is_xlsx_path(out_path))
        return NULL;
    int fd;
    char *p = create_beside(out_path, ".csv", &fd);
    if (!p)
        return NULL;
    if (fd >= 0)
        close(fd);
    size_t n = strlen(p);
    char *q = realloc(p, n + 2);
    if (!q) {
        if (fd >= 0)
            unlink(p);
        free(p);
        return NULL;
    }
    q[n + 1] = fd >= 0;
    return q;
}

int cli_xlsx_finish(const char *cmd, char *staging, const char *out_path, int status)
{
    bool created = staging[strlen(staging) + 1] == 1, removed = false;
    if (status == 0)
        status = from_csv(cmd, staging, out_path, &removed);
    if (created && !removed)
        remove(staging);
    free(staging);
    return status;
}
