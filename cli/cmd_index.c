/*
 * xjlink index build|info|verify: the registry index as a file.  `build`
 * reads a registry CSV once and saves its index; `match --index` and
 * `dedup --index` then open the file instead of reading the CSV again.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

void cmd_index_help(FILE *out)
{
    fputs(cli_msg("help.index"), out);
}

static int index_build(int argc, char **argv)
{
    const char *out_path = NULL, *id_column = NULL, *enc_arg = NULL, *columns = NULL;
    unsigned threads = 0;
    const struct cli_opt opts[] = {
        {"out", CLI_OPT_STRING, &out_path},    {"id-column", CLI_OPT_STRING, &id_column},
        {"threads", CLI_OPT_UINT, &threads},   {"encoding", CLI_OPT_STRING, &enc_arg},
        {"columns", CLI_OPT_STRING, &columns},
    };
    char *pos[2];
    int status;
    int npos = cli_parse("index build", cmd_index_help, argc, argv, opts,
                         sizeof opts / sizeof opts[0], pos, 2, &status);
    if (npos < 0)
        return status;
    if (npos != 1 || !out_path)
        return cli_usage_error("index build", "%s", cli_msg("index.need_build_args"));
    xjl_encoding enc;
    if (cli_encoding_arg("index build", enc_arg, &enc))
        return CLI_EXIT_USAGE;
    if (cli_same_file(out_path, pos[0]))
        return cli_usage_error("index build", cli_msg("index.overwrites_registry"), out_path);
    double t0 = cli_now();
    size_t bad = 0;
    xjl_index *ix = NULL;
    if (xjl_index_new(&ix) != XJL_OK)
        return cli_fail("index build", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    if (xjl_index_add_csv_columns(ix, pos[0], enc, id_column, columns, cli_ws_diag, NULL, &bad) !=
            XJL_OK ||
        xjl_index_build(ix, threads) != XJL_OK) {
        status = cli_fail("index build", CLI_EXIT_USAGE, "%s", xjl_errmsg());
    } else if (xjl_index_save(ix, out_path) != XJL_OK) {
        status = cli_fail("index build", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    } else {
        xjl_index_info_t info;
        xjl_index_info(ix, &info);
        struct rusage ru;
        long rss_kb = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
        fprintf(stderr, cli_msg("index.built"), pos[0], xjl_index_count(ix), bad, cli_now() - t0,
                out_path, (unsigned long long)info.file_bytes,
                info.records ? (double)info.file_bytes / (double)info.records : 0.0,
                (double)rss_kb / 1e3);
        status = CLI_EXIT_OK;
    }
    xjl_index_free(ix);
    return status;
}

static int index_open_arg(const char *cmd, int argc, char **argv, unsigned flags, xjl_index **ix,
                          const char **path)
{
    /* both set on every path; *ix stays NULL after --help (status OK too):
     * the callers use them only when *ix is set */
    *ix = NULL;
    *path = NULL;
    char *pos[2];
    int status;
    int npos = cli_parse(cmd, cmd_index_help, argc, argv, NULL, 0, pos, 2, &status);
    if (npos < 0)
        return status;
    if (npos != 1)
        return cli_usage_error(cmd, "%s", cli_msg("index.need_file"));
    *path = pos[0];
    if (xjl_index_open(ix, pos[0], flags) != XJL_OK)
        return cli_fail(cmd, CLI_EXIT_USAGE, "%s", xjl_errmsg());
    return CLI_EXIT_OK;
}

static int index_info(int argc, char **argv)
{
    xjl_index *ix;
    const char *path;
    int status = index_open_arg("index info", argc, argv, 0, &ix, &path);
    if (status != CLI_EXIT_OK || !ix)
        return status;
    xjl_index_info_t in;
    if (xjl_index_info(ix, &in) != XJL_OK) {
        status = cli_fail("index info", CLI_EXIT_FAIL, "%s", xjl_errmsg());
        xjl_index_free(ix);
        return status;
    }
    double r = in.records ? (double)in.records : 1.0;
    printf(cli_msg("index.info"), path, (unsigned long long)in.records, xjl_index_changes(ix),
           in.format_version, in.key_scheme, (unsigned long long)in.key_fingerprint,
           in.library_version, xjl_version(), (unsigned long long)in.stamp,
           (unsigned long long)in.file_bytes, (double)in.file_bytes / r,
           (unsigned long long)in.entry_bytes, (unsigned long long)in.string_bytes,
           (unsigned long long)in.id_table_bytes, (unsigned long long)in.name_table_bytes,
           (unsigned long long)in.rid_table_bytes, (unsigned long long)in.near_table_bytes);
    xjl_index_free(ix);
    return CLI_EXIT_OK;
}

static int index_verify(int argc, char **argv)
{
    xjl_index *ix;
    const char *path;
    int status = index_open_arg("index verify", argc, argv, XJL_INDEX_VERIFY, &ix, &path);
    if (status != CLI_EXIT_OK || !ix)
        return status;
    printf(cli_msg("index.sound"), path, xjl_index_count(ix));
    xjl_index_free(ix);
    return CLI_EXIT_OK;
}

/* ---- update, compact ------------------------------------------------------- */

/* The op of a change row, or -1. */
static int change_op(const char *v)
{
    static const char *const ops[3][3] = {
        {"add", "新增", "insert"}, {"update", "修改", "edit"}, {"remove", "删除", "delete"}};
    for (int op = 0; op < 3; op++)
        for (int k = 0; k < 3; k++)
            if (strcmp(v, ops[op][k]) == 0)
                return op;
    return -1;
}

/* Holds the index file at path for the whole of a step that changes it
 * (update, compact), so that two such steps on one file run one after the
 * other: each would otherwise open the file, apply its own changes and
 * rename its result over the other's, and one run's changes would be lost
 * though both reported every row applied.  An advisory lock (flock) on the
 * file itself: a step replaces the file by a rename, so a step that waited
 * takes the lock again on the file the name now holds.  Returns the
 * descriptor that holds the lock (close it when the file is saved), or -1
 * when there is no file to lock (the open that follows says why). */
static int hold_index_file(const char *cmd, const char *path)
{
    for (;;) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK) {
                fprintf(stderr, "xjlink %s: ", cmd);
                fprintf(stderr, cli_msg("index.waiting_for_lock"), path);
            }
            while (flock(fd, LOCK_EX) != 0)
                if (errno != EINTR) { /* no locks here (some network file systems) */
                    close(fd);
                    return -1;
                }
        }
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(path, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino)
            return fd;
        close(fd); /* replaced while this step waited: hold the new file */
    }
}

static int first_column(const xjl_csv *csv, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = xjl_csv_column(csv, names[i]);
        if (c >= 0)
            return c;
    }
    return -1;
}

struct change_tally {
    size_t rows, applied[3], refused, warned;
};

/* The row's line of the report: line,op,record_id,result,message (CSV, the
 * message quoted). */
static void put_quoted(const char *s, FILE *out)
{
    putc('"', out);
    for (const char *c = s; *c; c++)
        fputs(*c == '"' ? "\"\"" : (char[2]){*c, 0}, out);
    putc('"', out);
}

/* A value of the row: quoted where it holds a comma, quote or line break. */
static void put_cell(const char *s, FILE *out)
{
    if (strpbrk(s, ",\"\r\n"))
        put_quoted(s, out);
    else
        fputs(s, out);
}

/* What became of a row, until the file is saved. */
enum row_outcome {
    ROW_APPLIED = 'a',  /* "ok" once saved */
    ROW_FINDINGS = 'f', /* "warning" once saved */
    ROW_REFUSED = 'r'
};

/* The report waits in memory until the save: an applied row reads "ok"
 * only once the file holds it, and "not_saved" when the save or the rest
 * of the change file failed (a script reading the report cannot tell a
 * failed run from its exit status alone).  Each row is its outcome, then
 * "line,op,record_id," and its message (a row with findings: the findings
 * alone), each ended by a NUL: no part holds one (ids and values are shown
 * escaped; a NUL in a row refuses it). */
static void report_row(FILE *spool, enum row_outcome outcome, long line, const char *op,
                       const char *id, const char *why)
{
    fprintf(spool, "%c%ld,", (char)outcome, line);
    put_cell(op, spool);
    putc(',', spool);
    put_cell(id, spool);
    fprintf(spool, ",%c%s%c", 0, why, 0);
}

/* Writes the waiting report to stdout, each applied row as saved or not. */
static void report_print(const char *spool, size_t len, bool saved)
{
    for (const char *p = spool; p < spool + len;) {
        enum row_outcome outcome = (enum row_outcome) * p++;
        const char *head = p, *why = head + strlen(head) + 1;
        p = why + strlen(why) + 1;
        const char *result = outcome == ROW_REFUSED   ? "index.result.refused"
                             : !saved                 ? "index.result.not_saved"
                             : outcome == ROW_APPLIED ? "index.result.ok"
                                                      : "index.result.warning";
        printf("%s%s", head, cli_msg(result));
        if (outcome == ROW_FINDINGS) { /* why is the findings alone */
            char text[1200];
            snprintf(text, sizeof text,
                     cli_msg(saved ? "index.applied_findings" : "index.not_saved_findings"), why);
            putchar(',');
            put_quoted(text, stdout);
        } else if (*why) {
            putchar(',');
            put_quoted(why, stdout);
        }
        putchar('\n');
    }
}

/* The findings of a parsed record, each with its field and value cut
 * ("name:encoding '\xFF\xFE'; record:dob_mismatch"), into buf. */
static void describe_findings(const xjl_parsed *p, const xjl_record *rec, char *buf, size_t cap)
{
    const char *values[5] = {rec->name, rec->gender, rec->birth_date, rec->id_type, rec->id_number};
    size_t w = 0;
    buf[0] = '\0';
    for (int f = 0; f <= XJL_FIELD_RECORD && w + 1 < cap; f++) {
        for (int k = 1; k < XJL_F_COUNT && w + 1 < cap; k++) {
            if (!(p->findings[f] & XJL_FINDING_BIT(k)))
                continue;
            const char *field = cli_lang == XJL_LANG_ZH ? xjl_field_label_zh((xjl_field)f)
                                                        : xjl_field_name((xjl_field)f);
            const char *finding = cli_lang == XJL_LANG_ZH
                                      ? xjl_finding_message((xjl_finding)k, XJL_LANG_ZH)
                                      : xjl_finding_name((xjl_finding)k);
            char shown[100] = "";
            if (f < 5 && values[f])
                cli_printable(values[f], strlen(values[f]), shown, sizeof shown);
            int n = snprintf(buf + w, cap - w, "%s%s:%s%s%s%s", w ? "; " : "", field, finding,
                             *shown ? " '" : "", shown, *shown ? "'" : "");
            w = n < 0 ? cap : w + (size_t)n;
        }
    }
}

/* The first of the five key fields longer than the roster side takes
 * (XJL_F_TOO_LONG), or -1. */
static int too_long_field(const xjl_parsed *p)
{
    for (int f = 0; f < 5; f++)
        if (p->findings[f] & XJL_FINDING_BIT(XJL_F_TOO_LONG))
            return f;
    return -1;
}

static const char *const op_ids[3] = {"index.op.add", "index.op.update", "index.op.remove"};

/* Rows of CHANGES.csv read and checked, waiting to be applied in one
 * xjl_index_apply() call (what a row says is copied: the reader's fields
 * last only until its next row). */
enum { BATCH_ROWS = 4096 };

struct batch_row {
    long line;
    int op;
    char *text;  /* id, then the five fields, each NUL-terminated */
    char *found; /* its findings (the record is kept with them), or NULL */
    char id_shown[XJL_RECORD_ID_MAX + 64];
};

struct batch {
    xjl_index *ix;
    FILE *spool; /* the report until the save (report_row) */
    const char *path, *id_column;
    const char *keys_missing; /* why the file has no key columns (only removals apply), or NULL */
    struct batch_row row[BATCH_ROWS];
    xjl_index_change ch[BATCH_ROWS];
    int result[BATCH_ROWS];
    size_t n;
};

/* Why the index refused a change, as xjl_index_add/update/remove say it. */
static void refusal_text(const xjl_index_change *ch, int rc, char *why, size_t cap)
{
    static const char *const fn[] = {"", "xjl_index_add", "xjl_index_update", "xjl_index_remove"};
    const char *f = fn[ch->op];
    if (rc == XJL_EDUPLICATE)
        snprintf(why, cap, cli_msg("index.change.id_exists"), f, ch->record_id);
    else if (rc == XJL_ENOTFOUND)
        snprintf(why, cap, cli_msg("index.change.no_id"), f, ch->record_id);
    else if (rc == XJL_EINVAL)
        snprintf(why, cap, cli_msg("index.change.id_too_long"), f, strlen(ch->record_id),
                 XJL_RECORD_ID_MAX);
    else
        snprintf(why, cap, "%s: %s", f, xjl_strerror_lang((xjl_error)rc, cli_lang));
}

/* Applies the rows waiting, in one call, and reports each on stdout in
 * file order (a row refused before it is applied waits for this first). */
static void batch_flush(struct batch *b, struct change_tally *t)
{
    if (!b->n)
        return;
    xjl_index_apply(b->ix, b->ch, b->n, b->result); /* each row's result is reported */
    for (size_t i = 0; i < b->n; i++) {
        struct batch_row *r = &b->row[i];
        char why[1200];
        int op = r->op;
        if (b->result[i] == XJL_OK) {
            t->applied[op]++;
            if (r->found) {
                snprintf(why, sizeof why, cli_msg("index.applied_findings"), r->found);
                fprintf(stderr, "%s:%ld: %s\n", b->path, r->line, why);
                t->warned++;
                report_row(b->spool, ROW_FINDINGS, r->line, cli_msg(op_ids[op]), r->id_shown,
                           r->found);
            } else {
                report_row(b->spool, ROW_APPLIED, r->line, cli_msg(op_ids[op]), r->id_shown, "");
            }
        } else {
            refusal_text(&b->ch[i], b->result[i], why, sizeof why);
            cli_ws_diag(NULL, b->path, r->line, b->id_column, r->id_shown, why);
            t->refused++;
            report_row(b->spool, ROW_REFUSED, r->line, cli_msg(op_ids[op]), r->id_shown, why);
        }
        free(r->text);
        free(r->found);
    }
    b->n = 0;
}

/* Queues a checked row; false when out of memory (the row is then refused). */
static bool batch_push(struct batch *b, struct change_tally *t, long line, int op, const char *id,
                       const xjl_record *rec, const char *found, const char *id_shown)
{
    if (b->n == BATCH_ROWS)
        batch_flush(b, t);
    const char *v[6] = {id, rec->name, rec->gender, rec->birth_date, rec->id_type, rec->id_number};
    size_t len[6], total = 0;
    for (int k = 0; k < 6; k++)
        total += (len[k] = v[k] ? strlen(v[k]) : 0) + 1;
    struct batch_row *r = &b->row[b->n];
    r->text = malloc(total);
    r->found = found ? strdup(found) : NULL;
    if (!r->text || (found && !r->found)) {
        free(r->text);
        free(r->found);
        return false;
    }
    char *f[6], *w = r->text;
    for (int k = 0; k < 6; k++) {
        f[k] = w;
        memcpy(w, v[k] ? v[k] : "", len[k] + 1);
        w += len[k] + 1;
    }
    r->line = line;
    r->op = op;
    snprintf(r->id_shown, sizeof r->id_shown, "%s", id_shown);
    static const xjl_change_op ops[3] = {XJL_CHANGE_ADD, XJL_CHANGE_UPDATE, XJL_CHANGE_REMOVE};
    b->ch[b->n++] = (xjl_index_change){ops[op], f[0], {f[1], f[2], f[3], f[4], f[5]}};
    return true;
}

/* One row of CHANGES.csv checked and queued for the index, or refused and
 * reported on stdout (after the rows queued before it). */
static void apply_row(struct batch *b, xjl_csv *csv, int opcol, int idcol, const int cols[5],
                      struct change_tally *t)
{
    const char *path = xjl_csv_path(csv);
    long line = xjl_csv_line(csv);
    size_t nf = xjl_csv_field_count(csv), len;
    const char *opv = xjl_csv_field(csv, (size_t)opcol, NULL);
    const char *id = xjl_csv_field(csv, (size_t)idcol, &len);
    int op = change_op(opv);
    char why[1200], shown_op[100], shown_id[XJL_RECORD_ID_MAX + 64];
    why[0] = '\0';
    /* values as the terminal and the report show them: cut, bytes that are
     * not UTF-8 escaped (an id column may hold a whole file) */
    opv = cli_printable(opv, strlen(opv), shown_op, sizeof shown_op);
    const char *id_shown = cli_printable(id, strlen(id), shown_id, sizeof shown_id);
    t->rows++;
    if (!cli_row_fields_fit(csv)) {
        batch_flush(b, t);
        snprintf(why, sizeof why, cli_msg("cli.row_field_count"), nf, xjl_csv_column_count(csv));
        cli_ws_diag(NULL, path, line, cli_msg("cli.row"), id_shown, why);
    } else if (xjl_csv_row_check(csv) != XJL_OK) {     /* later rows read into a cell */
        snprintf(why, sizeof why, "%s", xjl_errmsg()); /* before the flush's calls */
        batch_flush(b, t);
        cli_ws_diag(NULL, path, line, cli_msg("cli.row"), id_shown, why);
    } else if (op < 0) {
        batch_flush(b, t);
        snprintf(why, sizeof why, "%s", cli_msg("index.not_an_op"));
        cli_ws_diag(NULL, path, line, xjl_csv_column_name(csv, (size_t)opcol), opv, why);
    } else if (!*id || strlen(id) != len) {
        batch_flush(b, t);
        snprintf(why, sizeof why, "%s",
                 cli_msg(!*id ? "index.no_record_id" : "index.record_id_nul"));
        cli_ws_diag(NULL, path, line, xjl_csv_column_name(csv, (size_t)idcol), id_shown, why);
    } else if (b->keys_missing && op != 2) {
        batch_flush(b, t);
        snprintf(why, sizeof why, cli_msg("index.change.needs_keys"), b->keys_missing);
        cli_ws_diag(NULL, path, line, cli_msg("cli.row"), id_shown, why);
    } else {
        /* a file of removals alone may have no key columns */
        xjl_record rec = {"", "", "", "", ""};
        if (!b->keys_missing)
            rec = (xjl_record){xjl_csv_field(csv, (size_t)cols[0], NULL),
                               xjl_csv_field(csv, (size_t)cols[1], NULL),
                               xjl_csv_field(csv, (size_t)cols[2], NULL),
                               xjl_csv_field(csv, (size_t)cols[3], NULL),
                               xjl_csv_field(csv, (size_t)cols[4], NULL)};
        /* A registry row with findings is kept (other fields still find
         * it), but its line says so; a field longer than the roster side
         * reads is refused, as the match refuses it there. */
        xjl_parsed parsed = {0};
        int big = -1, nul = -1;
        for (int f = 0; f < 5 && op != 2 && !b->keys_missing && nul < 0; f++) {
            size_t flen;
            const char *v = xjl_csv_field(csv, (size_t)cols[f], &flen);
            if (memchr(v, '\0', flen)) /* a C string would cut the field there */
                nul = f;
        }
        if (op != 2 && nul < 0) {
            xjl_record_parse(&rec, &parsed);
            big = too_long_field(&parsed);
        }
        if (nul >= 0) {
            batch_flush(b, t);
            const char *column = xjl_csv_column_name(csv, (size_t)cols[nul]);
            snprintf(why, sizeof why, cli_msg("cli.row_nul"), column);
            cli_ws_diag(NULL, path, line, column, "", why);
        } else if (big >= 0) {
            batch_flush(b, t);
            const char *const *v = &rec.name;
            char shown[100];
            const char *column = xjl_csv_column_name(csv, (size_t)cols[big]);
            snprintf(why, sizeof why, cli_msg("index.field_too_long"), column, strlen(v[big]),
                     xjl_finding_message(XJL_F_TOO_LONG, cli_lang));
            cli_ws_diag(NULL, path, line, column,
                        cli_printable(v[big], strlen(v[big]), shown, sizeof shown), why);
        } else {
            char found[1000];
            bool warn = op != 2 && parsed.errors + parsed.warnings > 0;
            if (warn)
                describe_findings(&parsed, &rec, found, sizeof found);
            if (batch_push(b, t, line, op, id, &rec, warn ? found : NULL, id_shown))
                return;
            batch_flush(b, t);
            snprintf(why, sizeof why, "%s", cli_msg("cli.out_of_memory"));
            cli_ws_diag(NULL, path, line, xjl_csv_column_name(csv, (size_t)idcol), id_shown, why);
        }
    }
    t->refused++;
    /* a row refused for its op shows the op as written, so that the report
     * alone tells which row it was */
    report_row(b->spool, ROW_REFUSED, line, op >= 0 ? cli_msg(op_ids[op]) : opv, id_shown, why);
}

/* Applies every row of the change file csv to ix and saves it to out_path
 * (the second half of `index update`, the file held). */
static int apply_changes(xjl_index *ix, xjl_csv *csv, const char *changes_path,
                         const char *out_path, const char *id_column, double t0)
{
    int status, cols[5] = {-1, -1, -1, -1, -1}; /* none when removals alone */
    /* Without the key columns only removals apply: each other row is
     * refused with the reason, as a bad row is. */
    char keys_missing[1024] = "";
    if (xjl_csv_key_columns(csv, cols) != XJL_OK)
        snprintf(keys_missing, sizeof keys_missing, "%s", xjl_errmsg());
    static const char *const op_names[] = {"op", "操作"};
    int opcol = first_column(csv, op_names, 2);
    int idcol = xjl_csv_id_column(csv, id_column); /* the column the registry's readers take */
    if (opcol < 0 || idcol < 0) {
        if (opcol < 0)
            status = cli_fail("index update", CLI_EXIT_USAGE, cli_msg("index.column_op_missing"),
                              changes_path);
        else
            status = cli_fail("index update", CLI_EXIT_USAGE, cli_msg("columns.no_record_id"),
                              changes_path, id_column ? id_column : xjl_record_id_column_list());
        return status;
    }
    struct change_tally t = {0};
    char *spool = NULL;
    size_t spool_len = 0;
    FILE *spool_file = open_memstream(&spool, &spool_len);
    struct batch *b = calloc(1, sizeof *b);
    if (!b || !spool_file) {
        status = cli_fail("index update", CLI_EXIT_FAIL, "%s", cli_msg("cli.out_of_memory"));
        free(b);
        if (spool_file)
            fclose(spool_file);
        free(spool);
        return status;
    }
    *b = (struct batch){.ix = ix,
                        .spool = spool_file,
                        .path = xjl_csv_path(csv),
                        .id_column = xjl_csv_column_name(csv, (size_t)idcol),
                        .keys_missing = keys_missing[0] ? keys_missing : NULL};
    fputs(cli_msg("index.update_header"), stdout);
    int rc;
    while ((rc = xjl_csv_next(csv)) == 1)
        apply_row(b, csv, opcol, idcol, cols, &t);
    char read_err[1024] = ""; /* the reader's message, before the flush's calls */
    if (rc < 0)
        snprintf(read_err, sizeof read_err, "%s", xjl_errmsg());
    batch_flush(b, &t);
    free(b);
    /* the report is whole before anything is saved: a report that ran out
     * of memory would lose rows, so the file is then left as it was */
    bool spooled = !ferror(spool_file);
    if (fclose(spool_file) != 0)
        spooled = false;
    double t_apply = cli_now() - t0;
    bool saved = false;
    if (rc < 0) {
        status = cli_fail("index update", CLI_EXIT_USAGE, cli_msg("index.nothing_saved"), read_err);
    } else if (!spooled) {
        status = cli_fail("index update", CLI_EXIT_FAIL, cli_msg("index.nothing_saved"),
                          cli_msg("cli.out_of_memory"));
    } else if (xjl_index_save(ix, out_path) != XJL_OK) {
        status = cli_fail("index update", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    } else {
        saved = true;
        size_t records = xjl_index_count(ix), changes = xjl_index_changes(ix);
        fprintf(stderr, cli_msg("index.update_summary"), changes_path, t.rows, CLI_PLURAL(t.rows),
                t.applied[0], t.applied[1], t.applied[2], t.refused, t.warned, t_apply, out_path,
                records, CLI_PLURAL(records), changes, CLI_PLURAL(changes),
                cli_now() - t0 - t_apply);
        status = t.refused || t.warned ? CLI_EXIT_ROW_ERRORS : CLI_EXIT_OK;
    }
    if (spooled)
        report_print(spool, spool_len, saved);
    free(spool);
    return status;
}

static int index_update(int argc, char **argv)
{
    const char *out_path = NULL, *id_column = NULL, *enc_arg = NULL, *columns = NULL;
    const struct cli_opt opts[] = {
        {"out", CLI_OPT_STRING, &out_path},
        {"id-column", CLI_OPT_STRING, &id_column},
        {"columns", CLI_OPT_STRING, &columns},
        {"encoding", CLI_OPT_STRING, &enc_arg},
    };
    char *pos[3];
    int status;
    int npos = cli_parse("index update", cmd_index_help, argc, argv, opts,
                         sizeof opts / sizeof opts[0], pos, 3, &status);
    if (npos < 0)
        return status;
    if (npos != 2)
        return cli_usage_error("index update", "%s", cli_msg("index.need_update_args"));
    xjl_encoding enc;
    if (cli_encoding_arg("index update", enc_arg, &enc))
        return CLI_EXIT_USAGE;
    if (!out_path)
        out_path = pos[0];
    else if (cli_same_file(out_path, pos[1]))
        return cli_usage_error("index update", cli_msg("index.overwrites_changes"), out_path);
    double t0 = cli_now();
    xjl_index *ix = NULL;
    xjl_csv *csv = NULL;
    int held = hold_index_file("index update", pos[0]);
    if (xjl_index_open(&ix, pos[0], 0) != XJL_OK || xjl_csv_open(&csv, pos[1], enc) != XJL_OK ||
        xjl_csv_set_columns(csv, columns) != XJL_OK) {
        status = cli_fail("index update", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        xjl_csv_close(csv);
        xjl_index_free(ix);
        if (held >= 0)
            close(held);
        return status;
    }
    status = apply_changes(ix, csv, pos[1], out_path, id_column, t0);
    xjl_csv_close(csv);
    xjl_index_free(ix);
    if (held >= 0)
        close(held); /* saved (or not): the next step on the file may run */
    return status;
}

static int index_compact(int argc, char **argv)
{
    const char *out_path = NULL;
    unsigned threads = 0;
    const struct cli_opt opts[] = {
        {"out", CLI_OPT_STRING, &out_path},
        {"threads", CLI_OPT_UINT, &threads},
    };
    char *pos[2];
    int status;
    int npos = cli_parse("index compact", cmd_index_help, argc, argv, opts,
                         sizeof opts / sizeof opts[0], pos, 2, &status);
    if (npos < 0)
        return status;
    if (npos != 1)
        return cli_usage_error("index compact", "%s", cli_msg("index.need_file"));
    if (!out_path)
        out_path = pos[0];
    double t0 = cli_now();
    xjl_index *ix = NULL;
    int held = hold_index_file("index compact", pos[0]);
    if (xjl_index_open(&ix, pos[0], 0) != XJL_OK) {
        status = cli_fail("index compact", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        if (held >= 0)
            close(held);
        return status;
    }
    size_t changes = xjl_index_changes(ix);
    if (xjl_index_compact(ix, threads) != XJL_OK || xjl_index_save(ix, out_path) != XJL_OK) {
        status = cli_fail("index compact", CLI_EXIT_FAIL, "%s", xjl_errmsg());
    } else {
        size_t records = xjl_index_count(ix);
        fprintf(stderr, cli_msg("index.compacted"), out_path, changes, CLI_PLURAL(changes), records,
                CLI_PLURAL(records), cli_now() - t0);
        status = CLI_EXIT_OK;
    }
    xjl_index_free(ix);
    if (held >= 0)
        close(held);
    return status;
}

int cmd_index(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } subs[] = {{"build", index_build},
                {"info", index_info},
                {"verify", index_verify},
                {"update", index_update},
                {"compact", index_compact}};
    if (argc < 2) {
        cmd_index_help(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_index_help(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return cli_usage_error("index", cli_msg("index.unknown_step"), argv[1]);
}
