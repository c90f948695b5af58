/*
 * xjlink match --registry R.csv --roster Q.csv --out OUT.csv: loads the
 * registry into an index, then matches the roster in chunks (read a chunk,
 * match it on all threads, write it) so that memory stays bounded however
 * long the roster is.  Output rows keep the roster's order and columns and
 * add status, match_id, candidates, score and reasons.
 */
#include "cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_ROWS 16384
#define DIAG_SHOWN 20 /* bad registry rows printed; the rest are counted */

void cmd_match_help(FILE *out)
{
    fprintf(out,
            "Usage: xjlink match --registry R.csv --roster Q.csv --out OUT.csv [OPTIONS]\n"
            "\n"
            "Matches every roster row against the registry on the five key fields and\n"
            "writes the roster's columns unchanged followed by:\n"
            "  status      matched, pending, not_found or error (with --lang zh:\n"
            "              已匹配学前学籍, 待确认学前学籍, 未查到学前学籍, 错误)\n"
            "  match_id    registry id of the matched record (matched only)\n"
            "  candidates  registry ids of the candidates, best first, joined by ';'\n"
            "  score       score of the best candidate\n"
            "  reasons     why: the best candidate's agreement per field, or the errors\n"
            "  weights     the best candidate's part of the score per field, e.g.\n"
            "              name=pinyin(+6.0) dob=exact(+10.0) ... (they sum to score)\n"
            "Rows that cannot be read (wrong number of fields, a NUL byte) get status\n"
            "error with the reason; no row is dropped.\n"
            "\n"
            "Options:\n"
            "  --registry FILE        registry CSV (e.g. the preschool records)\n"
            "  --roster FILE          roster CSV to match\n"
            "  --out FILE             output CSV ('-' for stdout)\n"
            "  --id-column C          registry column with the record id (default: id,\n"
            "                         学籍ID or 学前学籍ID, else the row number)\n"
            "  --threads N            worker threads (default 0: all cores)\n"
            "  --max-candidates K     candidates kept per row (default 10)\n"
            "  --match-without-id     match a row without ID number automatically when a\n"
            "                         record without one agrees on the other four fields\n"
            "                         and its name is unique (default: pending)\n"
            "  --encoding E           auto (default), utf-8, gb18030 for both files\n"
            "  --registry-encoding E  the registry's encoding, if it differs\n"
            "  --lang L               en (default) or zh: status and messages in Chinese\n"
            "  --excel                write a UTF-8 BOM and CRLF so that Excel opens it right\n"
            "  --progress             progress on stderr even when it is not a terminal\n"
            "\n"
            "Exit status: 0 the roster was matched (rows with status error included:\n"
            "they are results, counted in the summary); 2 usage error or unreadable\n"
            "input; 1 the output could not be written.\n");
}

struct diag {
    size_t seen;
};

static void registry_diag(void *user, const char *file, long line, const char *column,
                          const char *value, const char *message)
{
    struct diag *d = user;
    if (d->seen++ < DIAG_SHOWN)
        fprintf(stderr, "%s:%ld: %s '%s': %s\n", file, line, column ? column : "",
                value ? value : "", message);
    else if (d->seen == DIAG_SHOWN + 1)
        fprintf(stderr, "(further bad registry rows are counted, not shown)\n");
}

/* Roster rows read but not written yet: every field of every row in one
 * text arena, NUL-terminated, addressed by offsets (the arena moves as it grows). */
struct chunk {
    size_t ncols;
    size_t nrows;
    char *text;
    size_t len, cap;
    size_t *off;   /* nrows * ncols field offsets */
    size_t *flen;  /* nrows * ncols field lengths */
    long *line;    /* nrows */
    size_t *why;   /* nrows: offset of the reason of a bad row, or SIZE_MAX */
    size_t *good;  /* nrows: index into recs/results, or SIZE_MAX for a bad row */
    xjl_record *recs;
    xjl_result **results;
    size_t ngood;
};

static bool chunk_init(struct chunk *c, size_t ncols)
{
    memset(c, 0, sizeof *c);
    c->ncols = ncols ? ncols : 1;
    c->cap = (size_t)CHUNK_ROWS * 64;
    c->text = malloc(c->cap);
    c->off = malloc(CHUNK_ROWS * c->ncols * sizeof *c->off);
    c->flen = malloc(CHUNK_ROWS * c->ncols * sizeof *c->flen);
    c->line = malloc(CHUNK_ROWS * sizeof *c->line);
    c->why = malloc(CHUNK_ROWS * sizeof *c->why);
    c->good = malloc(CHUNK_ROWS * sizeof *c->good);
    c->recs = malloc(CHUNK_ROWS * sizeof *c->recs);
    c->results = calloc(CHUNK_ROWS, sizeof *c->results);
    return c->text && c->off && c->flen && c->line && c->why && c->good && c->recs && c->results;
}

static void chunk_free(struct chunk *c)
{
    free(c->text);
    free(c->off);
    free(c->flen);
    free(c->line);
    free(c->why);
    free(c->good);
    free(c->recs);
    free(c->results);
}

/* Copies s into the arena; returns its offset, or SIZE_MAX when out of memory. */
static size_t keep(struct chunk *c, const char *s, size_t n)
{
    if (c->cap - c->len < n + 1) {
        size_t cap = c->cap;
        while (cap - c->len < n + 1)
            cap *= 2;
        char *t = realloc(c->text, cap);
        if (!t)
            return SIZE_MAX;
        c->text = t;
        c->cap = cap;
    }
    size_t at = c->len;
    memcpy(c->text + at, s, n);
    c->text[at + n] = '\0';
    c->len += n + 1;
    return at;
}

/* Keeps the current roster row.  Returns false when out of memory. */
static bool chunk_add(struct chunk *c, const xjl_csv *csv, const int cols[5], int lang)
{
    size_t r = c->nrows, *off = c->off + r * c->ncols, *flen = c->flen + r * c->ncols;
    for (size_t i = 0; i < c->ncols; i++) {
        const char *v = xjl_csv_field(csv, i, &flen[i]);
        if ((off[i] = keep(c, v, flen[i])) == SIZE_MAX)
            return false;
    }
    xjl_record rec;
    unsigned nul_fields;
    char why[256];
    c->line[r] = xjl_csv_line(csv);
    c->why[r] = SIZE_MAX;
    if (cli_row_record(csv, cols, &rec, &nul_fields, lang, why, sizeof why) != CLI_ROW_OK &&
        (c->why[r] = keep(c, why, strlen(why))) == SIZE_MAX)
        return false;
    c->nrows++;
    return true;
}

/* Points the records of the good rows into the arena (now that it stays put). */
static void chunk_records(struct chunk *c, const int cols[5])
{
    c->ngood = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        if (c->why[r] != SIZE_MAX) {
            c->good[r] = SIZE_MAX;
            continue;
        }
        const size_t *off = c->off + r * c->ncols;
        xjl_record *rec = &c->recs[c->ngood];
        rec->name = c->text + off[cols[XJL_FIELD_NAME]];
        rec->gender = c->text + off[cols[XJL_FIELD_GENDER]];
        rec->birth_date = c->text + off[cols[XJL_FIELD_BIRTH_DATE]];
        rec->id_type = c->text + off[cols[XJL_FIELD_ID_TYPE]];
        rec->id_number = c->text + off[cols[XJL_FIELD_ID_NUMBER]];
        c->good[r] = c->ngood++;
    }
}

struct totals {
    size_t rows, per_status[4], bad_rows;
};

/* Writes the chunk's rows in input order and frees their results. */
static void chunk_write(struct chunk *c, struct cli_out *out, int lang, struct totals *t)
{
    char *ids = NULL;
    size_t ids_cap = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        const size_t *off = c->off + r * c->ncols, *flen = c->flen + r * c->ncols;
        for (size_t i = 0; i < c->ncols; i++)
            cli_out_field(out, c->text + off[i], flen[i]);
        t->rows++;
        if (c->good[r] == SIZE_MAX) {
            cli_out_field(out, lang ? xjl_status_label_zh(XJL_ERROR) : xjl_status_name(XJL_ERROR),
                          XJL_NTS);
            for (int k = 0; k < 3; k++)
                cli_out_field(out, "", 0);
            cli_out_field(out, c->text + c->why[r], XJL_NTS);
            cli_out_field(out, "", 0);
            cli_out_end_row(out);
            t->per_status[XJL_ERROR]++;
            t->bad_rows++;
            continue;
        }
        xjl_result *res = c->results[c->good[r]];
        xjl_match_status st = xjl_result_status(res);
        t->per_status[(unsigned)st < 4 ? st : XJL_ERROR]++;
        cli_out_field(out, lang ? xjl_status_label_zh(st) : xjl_status_name(st), XJL_NTS);
        cli_out_field(out, xjl_result_match_id(res), XJL_NTS);
        size_t n = xjl_result_candidate_count(res), len = 0;
        for (size_t i = 0; i < n; i++) {
            const char *id = xjl_result_candidate_id(res, i);
            size_t idl = strlen(id);
            if (len + idl + 2 > ids_cap) {
                size_t cap = (len + idl + 2) * 2;
                char *grown = realloc(ids, cap);
                if (!grown)
                    break; /* shorter list; the close reports nothing lost but this */
                ids = grown;
                ids_cap = cap;
            }
            if (len)
                ids[len++] = ';';
            memcpy(ids + len, id, idl);
            len += idl;
        }
        cli_out_field(out, ids ? ids : "", len);
        if (n) {
            char score[CLI_FIXED2_CAP];
            cli_out_field(out, score, cli_fixed2(xjl_result_score(res), score));
        } else {
            cli_out_field(out, "", 0);
        }
        cli_out_field(out, xjl_result_reasons(res), XJL_NTS);
        cli_out_weights(out, res);
        cli_out_end_row(out);
        xjl_result_free(res);
        c->results[c->good[r]] = NULL;
    }
    free(ids);
    c->nrows = 0;
    c->len = 0;
}

/* Loads and builds the registry index; NULL after printing why. */
static xjl_index *load_registry(const char *path, xjl_encoding enc, const char *id_column,
                                unsigned threads, struct diag *d, size_t *bad_rows)
{
    xjl_index *ix = xjl_index_new();
    if (!ix) {
        cli_fail("match", CLI_EXIT_FAIL, "out of memory");
        return NULL;
    }
    if (xjl_index_add_csv(ix, path, enc, id_column, registry_diag, d, bad_rows) != XJL_OK ||
        xjl_index_build(ix, threads) != XJL_OK) {
        cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
        xjl_index_free(ix);
        return NULL;
    }
    return ix;
}

static void summary(const char *registry, const xjl_index *ix, size_t bad_registry,
                    double t_load, const char *roster, const struct totals *t, double t_match,
                    int lang)
{
    double rate = t_match > 0 ? (double)t->rows / t_match : 0;
    fprintf(stderr,
            CLI_TR(lang, "registry %s: %zu records (%zu bad rows), loaded and indexed in %.2f s\n",
                   "学籍库 %s：%zu条记录（%zu行无法读取），载入并建索引用时%.2f秒\n"),
            registry, xjl_index_count(ix), bad_registry, t_load);
    fprintf(stderr,
            CLI_TR(lang,
                   "roster %s: %zu rows: %zu matched, %zu pending, %zu not_found, %zu error "
                   "(%zu unreadable rows)\n",
                   "名单 %s：%zu行，已匹配学前学籍%zu，待确认学前学籍%zu，未查到学前学籍%zu，"
                   "错误%zu（其中%zu行无法读取）\n"),
            roster, t->rows, t->per_status[XJL_MATCHED], t->per_status[XJL_PENDING],
            t->per_status[XJL_NOT_FOUND], t->per_status[XJL_ERROR], t->bad_rows);
    fprintf(stderr, CLI_TR(lang, "matched in %.2f s, %.0f rows/s\n", "匹配用时%.2f秒，每秒%.0f行\n"),
            t_match, rate);
}

/*
 * The roster goes through a pipeline of three stages, one thread each, so
 * that reading (CSV parsing, one core) and writing (formatting, one core)
 * overlap the matching (all cores) instead of leaving cores idle:
 *
 *   reader thread ──> matcher (this thread) ──> writer thread
 *
 * The stages pass chunks around a ring of PIPE_SLOTS; each stage takes the
 * slots in ring order, which keeps the rows in input order, and waits when
 * the slot it needs is not ready, which bounds memory to PIPE_SLOTS chunks.
 * One mutex and one condition variable guard the slots' states; a chunk's
 * contents belong to the stage whose state it is in, so they need no lock.
 */
#define PIPE_SLOTS 3

enum slot_state { SLOT_FREE, SLOT_READ, SLOT_MATCHED };

struct slot {
    struct chunk c;
    enum slot_state state;
    bool last; /* the reader stopped after this chunk (end, error, out of memory) */
    bool skip; /* not to be matched nor written (read only in part: out of memory) */
};

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot slot[PIPE_SLOTS];
    bool abort; /* the matcher failed: the reader stops at the next chunk */
    /* reader */
    xjl_csv *csv;
    const int *cols;
    int lang;
    int read_rc;                   /* last xjl_csv_next(): 0 end, < 0 error */
    char read_err[1024];           /* xjl_errmsg() of the reader thread when read_rc < 0 */
    int read_status;               /* CLI_EXIT_FAIL when out of memory */
    /* writer */
    struct cli_out *out;
    struct cli_progress prog;
    struct totals *t;
};

/* Waits until slot s is in state want (or, for the reader, the pipeline is
 * aborted); returns false on abort. */
static bool slot_wait(struct pipeline *p, struct slot *s, enum slot_state want, bool abortable)
{
    pthread_mutex_lock(&p->mu);
    while (s->state != want && !(abortable && p->abort))
        pthread_cond_wait(&p->cv, &p->mu);
    bool ok = s->state == want;
    pthread_mutex_unlock(&p->mu);
    return ok;
}

static void slot_pass(struct pipeline *p, struct slot *s, enum slot_state next)
{
    pthread_mutex_lock(&p->mu);
    s->state = next;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Reader: fills free slots with up to CHUNK_ROWS rows each. */
static void *read_stage(void *arg)
{
    struct pipeline *p = arg;
    for (size_t i = 0;; i = (i + 1) % PIPE_SLOTS) {
        struct slot *s = &p->slot[i];
        if (!slot_wait(p, s, SLOT_FREE, true))
            return NULL; /* the matcher failed; it does not wait for more */
        int rc = 1;
        while (s->c.nrows < CHUNK_ROWS && (rc = xjl_csv_next(p->csv)) == 1)
            if (!chunk_add(&s->c, p->csv, p->cols, p->lang)) {
                p->read_status = cli_fail("match", CLI_EXIT_FAIL, "out of memory");
                s->skip = true;
                break;
            }
        if (rc < 0)
            snprintf(p->read_err, sizeof p->read_err, "%s", xjl_errmsg());
        p->read_rc = rc;
        s->last = rc != 1 || s->skip;
        chunk_records(&s->c, p->cols);
        slot_pass(p, s, SLOT_READ);
        if (s->last)
            return NULL;
    }
}

/* Writer: writes matched slots in order and frees them for the reader. */
static void *write_stage(void *arg)
{
    struct pipeline *p = arg;
    for (size_t i = 0;; i = (i + 1) % PIPE_SLOTS) {
        struct slot *s = &p->slot[i];
        if (!slot_wait(p, s, SLOT_MATCHED, false))
            return NULL;
        bool last = s->last;
        if (!s->skip) {
            chunk_write(&s->c, p->out, p->lang, p->t);
            cli_progress_tick(&p->prog, CLI_TR(p->lang, "matching", "匹配中"), p->t->rows);
        }
        slot_pass(p, s, SLOT_FREE);
        if (last)
            return NULL;
    }
}

/* Reads, matches and writes the roster chunk by chunk (see the pipeline above). */
static int match_roster(const xjl_matcher *m, xjl_csv *csv, const int cols[5],
                        struct cli_out *out, unsigned threads, int lang, bool progress,
                        struct totals *t)
{
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return cli_fail("match", CLI_EXIT_FAIL, "out of memory");
    bool ok = true;
    for (size_t i = 0; i < PIPE_SLOTS; i++)
        ok &= chunk_init(&p->slot[i].c, xjl_csv_column_count(csv));
    int status = CLI_EXIT_OK;
    if (!ok) {
        status = cli_fail("match", CLI_EXIT_FAIL, "out of memory");
        goto done;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->csv = csv;
    p->cols = cols;
    p->lang = lang;
    p->out = out;
    p->t = t;
    cli_progress_init(&p->prog, progress);

    pthread_t reader, writer;
    if (pthread_create(&reader, NULL, read_stage, p) != 0) {
        status = cli_fail("match", CLI_EXIT_FAIL, "cannot start a thread");
        goto destroy;
    }
    if (pthread_create(&writer, NULL, write_stage, p) != 0) {
        status = cli_fail("match", CLI_EXIT_FAIL, "cannot start a thread");
        pthread_mutex_lock(&p->mu);
        p->abort = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(reader, NULL);
        goto destroy;
    }
    /* Matcher: every slot the reader fills is matched, in order, and passed on
     * (a skipped one too, so that the writer sees where the rows end). */
    for (size_t i = 0;; i = (i + 1) % PIPE_SLOTS) {
        struct slot *s = &p->slot[i];
        slot_wait(p, s, SLOT_READ, false);
        struct chunk *c = &s->c;
        if (!s->skip && c->ngood &&
            xjl_matcher_match_many(m, c->recs, c->ngood, threads, c->results) != XJL_OK) {
            status = cli_fail("match", CLI_EXIT_FAIL, "%s", xjl_errmsg());
            s->skip = s->last = true; /* the writer stops here; the reader is told to stop */
            pthread_mutex_lock(&p->mu);
            p->abort = true;
            pthread_mutex_unlock(&p->mu);
        }
        bool last = s->last;
        slot_pass(p, s, SLOT_MATCHED);
        if (last)
            break;
    }
    pthread_join(reader, NULL);
    pthread_join(writer, NULL);
    cli_progress_done(&p->prog);
    if (!status)
        status = p->read_status;
    if (p->read_rc < 0 && !status) /* what was read is written; the file's fault is named */
        status = cli_fail("match", CLI_EXIT_USAGE, "%s", p->read_err);
destroy:
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
done:
    for (size_t i = 0; i < PIPE_SLOTS; i++)
        chunk_free(&p->slot[i].c); /* results are freed as written, or none were left */
    free(p);
    return status;
}

int cmd_match(int argc, char **argv)
{
    const char *registry = NULL, *roster = NULL, *out_path = NULL, *id_column = NULL;
    const char *enc_arg = NULL, *reg_enc_arg = NULL, *lang_arg = NULL;
    unsigned threads = 0, max_candidates = 0;
    bool excel = false, progress = false, without_id = false, max_given;
    const struct cli_opt opts[] = {
        {"registry", CLI_OPT_STRING, &registry},
        {"roster", CLI_OPT_STRING, &roster},
        {"out", CLI_OPT_STRING, &out_path},
        {"id-column", CLI_OPT_STRING, &id_column},
        {"threads", CLI_OPT_UINT, &threads},
        {"max-candidates", CLI_OPT_UINT, &max_candidates},
        {"match-without-id", CLI_OPT_FLAG, &without_id},
        {"encoding", CLI_OPT_STRING, &enc_arg},
        {"registry-encoding", CLI_OPT_STRING, &reg_enc_arg},
        {"lang", CLI_OPT_STRING, &lang_arg},
        {"excel", CLI_OPT_FLAG, &excel},
        {"progress", CLI_OPT_FLAG, &progress},
    };
    max_candidates = (unsigned)-1;
    int status;
    if (cli_parse("match", cmd_match_help, argc, argv, opts, sizeof opts / sizeof opts[0], NULL, 0,
                  &status) < 0)
        return status;
    if (!registry || !roster || !out_path)
        return cli_usage_error("match", "--registry, --roster and --out are needed");
    max_given = max_candidates != (unsigned)-1;
    xjl_encoding enc, reg_enc;
    int lang;
    if (cli_encoding_arg("match", enc_arg, &enc) ||
        cli_encoding_arg("match", reg_enc_arg ? reg_enc_arg : enc_arg, &reg_enc) ||
        cli_lang_arg("match", lang_arg, &lang))
        return CLI_EXIT_USAGE;

    if (cli_same_file(out_path, roster) || cli_same_file(out_path, registry))
        return cli_usage_error("match", "--out %s would overwrite an input file", out_path);
    /* The roster's header first: a wrong roster should not wait for the registry. */
    xjl_csv *csv;
    int cols[5];
    if (xjl_csv_open(&csv, roster, enc) != XJL_OK)
        return cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
    if (xjl_csv_key_columns(csv, cols) != XJL_OK) {
        xjl_csv_close(csv);
        return cli_fail("match", CLI_EXIT_USAGE, "%s", xjl_errmsg());
    }

    double t0 = cli_now();
    struct diag d = {0};
    size_t bad_registry = 0;
    if (progress || isatty(STDERR_FILENO)) /* loading a large registry takes a while */
        fprintf(stderr, CLI_TR(lang, "loading %s\n", "正在载入 %s\n"), registry);
    xjl_index *ix = load_registry(registry, reg_enc, id_column, threads, &d, &bad_registry);
    xjl_matcher *m = ix ? xjl_matcher_new(ix) : NULL;
    if (!m) {
        if (ix)
            cli_fail("match", CLI_EXIT_FAIL, "out of memory");
        xjl_index_free(ix);
        xjl_csv_close(csv);
        return ix ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
    }
    if (max_given &&
        xjl_matcher_set_param(m, XJL_PARAM_MAX_CANDIDATES, (double)max_candidates) != XJL_OK) {
        cli_usage_error("match", "--max-candidates %u: %s", max_candidates, xjl_errmsg());
        xjl_matcher_free(m);
        xjl_index_free(ix);
        xjl_csv_close(csv);
        return CLI_EXIT_USAGE;
    }
    if (without_id)
        xjl_matcher_set_param(m, XJL_PARAM_MATCH_WITHOUT_ID, 1);
    double t_load = cli_now() - t0;

    status = CLI_EXIT_FAIL;
    struct totals t = {0};
    struct cli_out *out = cli_out_open("match", out_path, excel);
    if (out) {
        for (size_t i = 0; i < xjl_csv_column_count(csv); i++)
            cli_out_field(out, xjl_csv_column_name(csv, i), XJL_NTS);
        static const char *const added[] = {"status",   "match_id", "candidates",
                                            "score",    "reasons",  "weights"};
        for (size_t i = 0; i < 6; i++)
            cli_out_field(out, added[i], XJL_NTS);
        cli_out_end_row(out);
        double t1 = cli_now();
        status = match_roster(m, csv, cols, out, threads, lang, progress, &t);
        summary(registry, ix, bad_registry, t_load, roster, &t, cli_now() - t1, lang);
        int out_rc = cli_out_close(out);
        if (out_rc)
            status = out_rc;
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
    xjl_csv_close(csv);
    return status;
}
