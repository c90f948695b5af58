/*
 * match_csv.c: a roster file matched as it streams by (xjl_match_csv), and
 * the result file of `xjlink match` written from it (xjl_match_csv_write).
 *
 * The roster goes through a pipeline of three stages, one thread each, so
 * that reading (CSV parsing, one core) and writing (one core) overlap the
 * matching (the caller's budget of threads, on the worker pool) instead of
 * leaving cores idle:
 *
 *   reader thread ──> matcher (the calling thread + pool) ──> writer thread (the sink)
 *
 * A budget of one thread starts no thread at all: the three stages then
 * take turns on the calling thread, one chunk at a time.
 * The stages pass chunks around a ring of PIPE_SLOTS; each stage takes the
 * slots in ring order, which keeps the rows in file order, and waits when
 * the slot it needs is not ready.  A chunk holds at most chunk_bytes of
 * text (and CHUNK_ROWS rows), so memory is bounded by bytes, however wide or
 * long the rows: PIPE_SLOTS chunks, each at most one row over its budget.
 * One mutex and one condition variable guard the slots' states; a chunk's
 * contents belong to the stage whose state it is in, so they need no lock.
 */
#include "match/matching.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_ROWS 16384
#define CHUNK_BYTES_DEFAULT (4u << 20)
#define PIPE_SLOTS 3

/* Roster rows read but not handed on yet: every field of every row in one
 * text arena, NUL-terminated, addressed by offsets (the arena moves as it
 * grows); the rows' fields are runs of one array, since rows that break the
 * row rule may have any number of fields. */
struct chunk {
    size_t nrows;
    char *text;
    size_t len, cap;
    size_t *foff, *flen; /* every field of the chunk, row after row */
    size_t nf, fcap;
    size_t *first;    /* nrows + 1: row r's fields are first[r] .. first[r+1]-1 */
    long *line;       /* nrows */
    size_t *why;      /* nrows: offset of the reason of an unreadable row, or SIZE_MAX */
    size_t *good;     /* nrows: index into recs/results, or SIZE_MAX */
    xjl_record *recs; /* CHUNK_ROWS */
    xjl_result **results;
    size_t ngood;
};

static bool chunk_init(struct chunk *c)
{
    memset(c, 0, sizeof *c);
    c->cap = 1u << 16;
    c->fcap = 1u << 12;
    c->text = malloc(c->cap);
    c->foff = malloc(c->fcap * sizeof *c->foff);
    c->flen = malloc(c->fcap * sizeof *c->flen);
    c->first = malloc((CHUNK_ROWS + 1) * sizeof *c->first);
    c->line = malloc(CHUNK_ROWS * sizeof *c->line);
    c->why = malloc(CHUNK_ROWS * sizeof *c->why);
    c->good = malloc(CHUNK_ROWS * sizeof *c->good);
    c->recs = malloc(CHUNK_ROWS * sizeof *c->recs);
    c->results = calloc(CHUNK_ROWS, sizeof *c->results);
    return c->text && c->foff && c->flen && c->first && c->line && c->why && c->good && c->recs &&
           c->results;
}

static void chunk_free(struct chunk *c)
{
    for (size_t i = 0; c->results && i < c->ngood; i++)
        xjl_result_free(c->results[i]);
    free(c->text);
    free(c->foff);
    free(c->flen);
    free(c->first);
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
        while (cap - c->len < n + 1) {
            if (cap > SIZE_MAX / 2)
                return SIZE_MAX;
            cap *= 2;
        }
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

static bool fields_room(struct chunk *c, size_t more)
{
    if (c->fcap - c->nf >= more)
        return true;
    size_t cap = c->fcap;
    while (cap - c->nf < more)
        cap *= 2;
    size_t *o = realloc(c->foff, cap * sizeof *o);
    if (o)
        c->foff = o;
    size_t *l = realloc(c->flen, cap * sizeof *l);
    if (l)
        c->flen = l;
    if (!o || !l)
        return false;
    c->fcap = cap;
    return true;
}

/* Keeps the current roster row.  Returns false when out of memory. */
static bool chunk_add(struct chunk *c, const xjl_csv *csv, const struct xjl_row_layout *l, int lang)
{
    size_t r = c->nrows, n = xjl_csv_field_count(csv);
    if (!fields_room(c, n))
        return false;
    c->first[r] = c->nf;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *v = xjl_csv_field(csv, i, &len);
        if ((c->foff[c->nf] = keep(c, v, len)) == SIZE_MAX)
            return false;
        c->flen[c->nf++] = len;
    }
    c->first[r + 1] = c->nf;
    c->line[r] = xjl_csv_line(csv);
    c->why[r] = SIZE_MAX;
    char why[256];
    if (xjl__row_fault(csv, l, true, lang, why, sizeof why) &&
        (c->why[r] = keep(c, why, strlen(why))) == SIZE_MAX)
        return false;
    c->nrows++;
    return true;
}

/* Points the records of the readable rows into the arena (now that it stays put). */
static void chunk_records(struct chunk *c, const struct xjl_row_layout *l)
{
    c->ngood = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        if (c->why[r] != SIZE_MAX) {
            c->good[r] = SIZE_MAX;
            continue;
        }
        const size_t *off = c->foff + c->first[r];
        xjl_record *rec = &c->recs[c->ngood];
        rec->name = c->text + off[l->key[XJL_FIELD_NAME]];
        rec->gender = c->text + off[l->key[XJL_FIELD_GENDER]];
        rec->birth_date = c->text + off[l->key[XJL_FIELD_BIRTH_DATE]];
        rec->id_type = c->text + off[l->key[XJL_FIELD_ID_TYPE]];
        rec->id_number = c->text + off[l->key[XJL_FIELD_ID_NUMBER]];
        c->good[r] = c->ngood++;
    }
}

enum slot_state { SLOT_FREE, SLOT_READ, SLOT_MATCHED };

struct slot {
    struct chunk c;
    enum slot_state state;
    bool last; /* the reader stopped after this chunk (end, error, out of memory) */
    bool skip; /* not to be matched nor handed on (read only in part: out of memory) */
};

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot slot[PIPE_SLOTS];
    bool abort; /* the matcher or the sink failed: the other stages stop */
    /* matcher */
    const xjl_matcher *m;
    xjl__pool *pool;
    int match_rc;
    char match_err[1024];
    /* reader */
    xjl_csv *csv;
    struct xjl_row_layout layout;
    size_t chunk_bytes;
    int lang;
    int read_rc;         /* last xjl_csv_next(): 0 end, < 0 error */
    char read_err[1024]; /* xjl_errmsg() of the reader thread when read_rc < 0 */
    bool read_nomem;
    /* writer */
    const xjl_roster_sink *sink;
    const xjl_match_csv_options *opts;
    xjl_report *report; /* options of version 2: every row is added to it too */
    int sink_rc;
    char sink_err[1024];
    const char **ptrs; /* scratch: the fields of one row */
    size_t nptrs;
    xjl_match_totals t;
};

/* Waits until slot s is in state want (or the pipeline is aborted, when
 * abortable); returns false on abort. */
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

static void abort_all(struct pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    p->abort = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Fills a slot with rows up to the chunk's budget; true if it is the last. */
static bool read_chunk(struct pipeline *p, struct slot *s)
{
    int rc = 1;
    while (s->c.nrows < CHUNK_ROWS && s->c.len < p->chunk_bytes && (rc = xjl_csv_next(p->csv)) == 1)
        if (!chunk_add(&s->c, p->csv, &p->layout, p->lang)) {
            p->read_nomem = true;
            s->skip = true;
            break;
        }
    if (rc < 0)
        snprintf(p->read_err, sizeof p->read_err, "%s", xjl_errmsg());
    p->read_rc = rc;
    s->last = rc != 1 || s->skip;
    chunk_records(&s->c, &p->layout);
    return s->last;
}

/* Reader thread: fills free slots in ring order. */
static void *read_stage(void *arg)
{
    struct pipeline *p = arg;
    xjl__thread_name("xjl-read");
    for (size_t i = 0;; i = (i + 1) % PIPE_SLOTS) {
        struct slot *s = &p->slot[i];
        if (!slot_wait(p, s, SLOT_FREE, true))
            return NULL;
        bool last = read_chunk(p, s);
        slot_pass(p, s, SLOT_READ);
        if (last)
            return NULL;
    }
}

/* Matches a read slot's records on the pool (the first failure stops the
 * run: the slot becomes the last one, with no result). */
static void match_chunk(struct pipeline *p, struct slot *s)
{
    struct chunk *c = &s->c;
    if (s->skip || !c->ngood || p->match_rc != XJL_OK)
        return;
    p->match_rc = xjl__match_many_on(p->m, c->recs, c->ngood, p->pool, c->results);
    if (p->match_rc != XJL_OK) {
        snprintf(p->match_err, sizeof p->match_err, "%s", xjl_errmsg());
        c->ngood = 0; /* match_many left no result allocated */
        s->skip = s->last = true;
    }
}

/* Hands the chunk's rows to the sink in file order and frees their results. */
static int chunk_emit(struct pipeline *p, struct chunk *c)
{
    int rc = 0;
    for (size_t r = 0; r < c->nrows && rc == 0; r++) {
        size_t n = c->first[r + 1] - c->first[r];
        if (n > p->nptrs) {
            const char **grown = realloc(p->ptrs, n * sizeof *grown);
            if (!grown)
                return xjl__fail(XJL_ENOMEM, "out of memory handing on a row of %zu fields", n);
            p->ptrs = grown;
            p->nptrs = n;
        }
        for (size_t i = 0; i < n; i++)
            p->ptrs[i] = c->text + c->foff[c->first[r] + i];
        xjl_roster_row row = {
            .line = c->line[r], .nfields = n, .fields = p->ptrs, .lens = c->flen + c->first[r]};
        p->t.rows++;
        if (c->good[r] == SIZE_MAX) {
            row.error = c->text + c->why[r];
            p->t.unreadable++;
            p->t.error++;
        } else {
            row.result = c->results[c->good[r]];
            switch (xjl_result_status(row.result)) {
            case XJL_MATCHED:
                p->t.matched++;
                break;
            case XJL_PENDING:
                p->t.pending++;
                break;
            case XJL_NOT_FOUND:
                p->t.not_found++;
                break;
            default:
                p->t.error++;
                break;
            }
        }
        rc = p->sink->row(p->sink->user, &row);
        if (rc == 0 && p->report)
            rc = row.result
                     ? xjl_report_add_result(p->report, row.line, &c->recs[c->good[r]], row.result)
                     : xjl_report_add_unreadable(p->report, row.line, row.error);
    }
    for (size_t i = 0; i < c->ngood; i++) {
        xjl_result_free(c->results[i]);
        c->results[i] = NULL;
    }
    c->ngood = c->nrows = c->nf = c->len = 0;
    return rc;
}

/* Hands a matched slot's rows to the sink unless an earlier one failed;
 * false when the sink failed now. */
static bool write_chunk(struct pipeline *p, struct slot *s)
{
    if (s->skip || p->sink_rc != 0)
        return true;
    p->sink_rc = chunk_emit(p, &s->c);
    if (p->sink_rc != 0) {
        snprintf(p->sink_err, sizeof p->sink_err, "%s", xjl_errmsg());
        return false;
    }
    if (p->opts->progress)
        p->opts->progress(p->opts->progress_user, p->t.rows);
    return true;
}

/* Writer thread: hands matched slots on in order and frees them for the reader. */
static void *write_stage(void *arg)
{
    struct pipeline *p = arg;
    xjl__thread_name("xjl-write");
    for (size_t i = 0;; i = (i + 1) % PIPE_SLOTS) {
        struct slot *s = &p->slot[i];
        if (!slot_wait(p, s, SLOT_MATCHED, false))
            return NULL;
        bool last = s->last;
        if (!write_chunk(p, s)) {
            slot_pass(p, s, SLOT_FREE);
            abort_all(p); /* the reader and the matcher stop at their next wait */
            return NULL;
        }
        slot_pass(p, s, SLOT_FREE);
        if (last)
            return NULL;
    }
}

/* The three stages on the three threads, the matcher on the caller's. */
static int run_pipeline(struct pipeline *p)
{
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    int rc = XJL_OK;
    pthread_t reader, writer;
    if (pthread_create(&reader, NULL, read_stage, p) != 0) {
        rc = xjl__fail(XJL_ENOMEM, "cannot start a thread to read %s", xjl_csv_path(p->csv));
        goto destroy;
    }
    if (pthread_create(&writer, NULL, write_stage, p) != 0) {
        rc = xjl__fail(XJL_ENOMEM, "cannot start a thread to write the results");
        abort_all(p);
        pthread_join(reader, NULL);
        goto destroy;
    }
    /* Every slot the reader fills is matched, in order, and passed on (a
     * skipped one too, so that the writer sees where the rows end). */
    for (size_t i = 0;; i = (i + 1) % PIPE_SLOTS) {
        struct slot *s = &p->slot[i];
        if (!slot_wait(p, s, SLOT_READ, true))
            break; /* the sink failed and the reader stopped */
        match_chunk(p, s);
        if (p->match_rc != XJL_OK)
            abort_all(p);
        bool last = s->last;
        slot_pass(p, s, SLOT_MATCHED);
        if (last)
            break;
    }
    pthread_join(reader, NULL);
    pthread_join(writer, NULL);
destroy:
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    return rc;
}

/* A budget of one thread: the three stages in turn on the caller's, one
 * chunk at a time. */
static void run_in_turn(struct pipeline *p)
{
    struct slot *s = &p->slot[0];
    for (;;) {
        bool last = read_chunk(p, s);
        match_chunk(p, s);
        if (!write_chunk(p, s) || last || s->last)
            return;
    }
}

XJL_API int xjl_match_csv(const xjl_matcher *m, xjl_csv *roster, const xjl_match_csv_options *opts,
                          const xjl_roster_sink *sink, xjl_match_totals *totals)
{
    static const xjl_match_csv_options defaults = XJL_MATCH_CSV_OPTIONS_INIT;
    if (totals)
        memset(totals, 0, sizeof *totals);
    if (!m || !roster || !sink || !sink->row)
        return xjl__fail(XJL_EINVAL, "xjl_match_csv: NULL argument");
    if (!opts)
        opts = &defaults;
    /* A caller built against version 1 has no report field: it is not read. */
    if (opts->version < 1 || opts->version > XJL_MATCH_CSV_OPTIONS_VERSION)
        return xjl__fail(XJL_EINVAL,
                         "xjl_match_csv: options of version %u, this library knows "
                         "1 to %d",
                         opts->version, XJL_MATCH_CSV_OPTIONS_VERSION);
    xjl_report *report = opts->version >= 2 ? opts->report : NULL;
    if (report && xjl_report_set_matcher(report, m) != XJL_OK)
        return XJL_EINVAL; /* not a match report: the message says so */
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return xjl__fail(XJL_ENOMEM, "out of memory matching %s", xjl_csv_path(roster));
    int rc = xjl__row_layout(roster, NULL, &p->layout);
    if (rc != XJL_OK) {
        free(p);
        return rc;
    }
    size_t ncols = xjl_csv_column_count(roster);
    const char **names = malloc((ncols ? ncols : 1) * sizeof *names);
    if (!names) {
        free(p);
        return xjl__fail(XJL_ENOMEM, "out of memory matching %s", xjl_csv_path(roster));
    }
    for (size_t i = 0; i < ncols; i++)
        names[i] = xjl_csv_column_name(roster, i);
    rc = sink->header ? sink->header(sink->user, ncols, names) : 0;
    free(names);
    if (rc != 0) {
        free(p);
        return rc;
    }

    /* One thread, one slot; otherwise a ring for the three stages. */
    bool in_turn = opts->threads == 1;
    size_t nslots = in_turn ? 1 : PIPE_SLOTS;
    bool ok = true;
    for (size_t i = 0; i < nslots; i++)
        ok &= chunk_init(&p->slot[i].c);
    if (!ok) {
        rc = xjl__fail(XJL_ENOMEM, "out of memory matching %s", xjl_csv_path(roster));
        goto done;
    }
    p->csv = roster;
    p->m = m;
    p->chunk_bytes = opts->chunk_bytes ? opts->chunk_bytes : CHUNK_BYTES_DEFAULT;
    p->lang = opts->lang;
    p->sink = sink;
    p->opts = opts;
    p->report = report;
    /* The matching stage's pool lives as long as the run: no thread is
     * started per chunk. */
    if ((rc = xjl__pool_new(&p->pool, xjl__threads(opts->threads) - 1)) != XJL_OK)
        goto done;
    if (in_turn)
        run_in_turn(p);
    else if ((rc = run_pipeline(p)) != XJL_OK)
        goto done;
    /* The first failure is the one reported: the matcher's, the sink's, then
     * the file's (what was read before a bad row of the file is handed on). */
    if (p->match_rc != XJL_OK)
        rc = xjl__fail(p->match_rc, "%s", p->match_err);
    else if (p->sink_rc != 0)
        rc = p->sink_rc < 0 ? xjl__fail(p->sink_rc, "%s", p->sink_err) : p->sink_rc;
    else if (p->read_nomem)
        rc = xjl__fail(XJL_ENOMEM, "out of memory reading %s", xjl_csv_path(roster));
    else if (p->read_rc < 0)
        rc = xjl__fail(p->read_rc, "%s", p->read_err);
    if (totals)
        *totals = p->t;
done:
    xjl__pool_free(p->pool);
    for (size_t i = 0; i < PIPE_SLOTS; i++)
        chunk_free(&p->slot[i].c);
    free(p->ptrs);
    free(p);
    return rc;
}

/* ---- the result file of `xjlink match` ---------------------------------- */

struct file_sink {
    xjl_csv_writer *w;
    size_t ncols; /* the header's: every output row has as many roster columns */
    int lang;
    char *ids; /* candidate ids joined by ';' */
    size_t ids_cap;
    char *why; /* an unreadable row's reason with the values past the header */
    size_t why_cap;
};

static xjl_lang lang_of(int lang)
{
    return lang ? XJL_LANG_ZH : XJL_LANG_EN;
}

static int write_header(void *user, size_t ncols, const char *const *names)
{
    struct file_sink *f = user;
    f->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        xjl_csv_writer_field(f->w, names[i], XJL_NTS);
    static const char *const added[] = {"column.status", "column.match_id", "column.candidates",
                                        "column.score",  "column.reasons",  "column.weights"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(added); i++)
        xjl_csv_writer_field(f->w, xjl_message(added[i], lang_of(f->lang)), XJL_NTS);
    xjl_csv_writer_end_row(f->w);
    return 0;
}

static const char *status_text(xjl_match_status st, int lang)
{
    return lang ? xjl_status_label_zh(st) : xjl_status_name(st);
}

/* Makes *why the row's reason followed by its values past the header, as
 * one CSV line would hold them (quoted where they need it), so that a
 * reader can paste them back.  Empty values at the end are left out (they
 * are no error: xjl__row_fault()); *why is left as it is when no other
 * value is past the header. */
static int extra_values(struct file_sink *f, const xjl_roster_row *row, const char **why,
                        size_t *why_len)
{
    size_t last = row->nfields;
    while (last > f->ncols && row->lens[last - 1] == 0)
        last--;
    if (last <= f->ncols)
        return XJL_OK;
    const char *label = xjl_message("row.extra_values", lang_of(f->lang));
    size_t label_len = strlen(label), room = *why_len + label_len + 1;
    for (size_t i = f->ncols; i < last; i++) /* quoted, a value takes at most 2n + 2, and a comma */
        room += 2 * row->lens[i] + 3;
    if (XJL_GROW(f->why, f->why_cap, room, 256) != XJL_OK)
        return xjl__fail(XJL_ENOMEM, "out of memory writing line %ld's reason", row->line);
    char *out = f->why;
    memcpy(out, *why, *why_len);
    memcpy(out + *why_len, label, label_len);
    size_t at = *why_len + label_len;
    for (size_t i = f->ncols; i < last; i++) {
        size_t n;
        if (i > f->ncols)
            out[at++] = ',';
        int rc = xjl_csv_quote(row->fields[i], row->lens[i], out + at, room - at, &n);
        if (rc != XJL_OK)
            return rc;
        at += n;
    }
    *why = out;
    *why_len = at;
    return XJL_OK;
}

static int write_row(void *user, const xjl_roster_row *row)
{
    struct file_sink *f = user;
    /* A row of another width keeps the table rectangular: a short one is
     * padded; the values past the header of a long one go into its reason
     * (extra_values()), so that nothing the row held is lost. */
    for (size_t i = 0; i < f->ncols; i++)
        xjl_csv_writer_field(f->w, i < row->nfields ? row->fields[i] : "",
                             i < row->nfields ? row->lens[i] : 0);
    const xjl_result *res = row->result;
    if (!res) {
        xjl_csv_writer_field(f->w, status_text(XJL_ERROR, f->lang), XJL_NTS);
        for (int k = 0; k < 3; k++)
            xjl_csv_writer_field(f->w, "", 0);
        const char *why = row->error;
        size_t why_len = strlen(why);
        int rc = extra_values(f, row, &why, &why_len);
        if (rc != XJL_OK)
            return rc;
        xjl_csv_writer_field(f->w, why, why_len);
        xjl_csv_writer_field(f->w, "", 0);
        xjl_csv_writer_end_row(f->w);
        return 0;
    }
    xjl_csv_writer_field(f->w, status_text(xjl_result_status(res), f->lang), XJL_NTS);
    xjl_csv_writer_field(f->w, xjl_result_match_id(res), XJL_NTS);
    size_t n = xjl_result_candidate_count(res), len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = xjl_result_candidate_id(res, i);
        size_t idl = strlen(id);
        if (len + idl + 2 > f->ids_cap) {
            size_t cap = (len + idl + 2) * 2;
            char *grown = realloc(f->ids, cap);
            if (!grown)
                return xjl__fail(XJL_ENOMEM, "out of memory writing line %ld's candidates",
                                 row->line);
            f->ids = grown;
            f->ids_cap = cap;
        }
        if (len)
            f->ids[len++] = ';';
        memcpy(f->ids + len, id, idl);
        len += idl;
    }
    xjl_csv_writer_field(f->w, f->ids ? f->ids : "", len);
    if (n) {
        char score[XJL_FIXED2_CAP];
        xjl_csv_writer_field(f->w, score, xjl_format_fixed2(xjl_result_score(res), score));
    } else {
        xjl_csv_writer_field(f->w, "", 0);
    }
    char reasons[1024];
    if (f->lang) {
        size_t rl = xjl_result_reasons_lang(res, XJL_LANG_ZH, reasons, sizeof reasons);
        xjl_csv_writer_field(f->w, reasons, rl < sizeof reasons ? rl : sizeof reasons - 1);
    } else {
        xjl_csv_writer_field(f->w, xjl_result_reasons(res), XJL_NTS);
    }
    char weights[512]; /* the best candidate's, "" without one */
    size_t wl =
        xjl_result_candidate_weights_lang(res, 0, lang_of(f->lang), weights, sizeof weights);
    xjl_csv_writer_field(f->w, weights, wl < sizeof weights ? wl : sizeof weights - 1);
    xjl_csv_writer_end_row(f->w);
    return 0;
}

XJL_API int xjl_match_csv_write(const xjl_matcher *m, xjl_csv *roster, const char *out_path,
                                const xjl_match_csv_options *opts, xjl_match_totals *totals)
{
    if (totals)
        memset(totals, 0, sizeof *totals);
    if (!m || !roster || !out_path)
        return xjl__fail(XJL_EINVAL, "xjl_match_csv_write: NULL argument");
    struct file_sink f = {.lang = opts ? opts->lang : 0};
    /* A roster without its key columns is refused before out_path is
     * touched: the run would hand on no row, and an empty file would
     * replace what out_path held. */
    int cols[5];
    int rc = xjl_csv_key_columns(roster, cols);
    if (rc != XJL_OK)
        return rc;
    /* never written over: the roster, nor a file the index was read from */
    const char *roster_path = xjl_csv_path(roster);
    size_t nsrc = 0;
    const struct xjl__file_id *src = xjl__index_sources(xjl__matcher_index(m), &nsrc);
    rc = xjl__csv_writer_open_avoid(&f.w, out_path, opts ? opts->flags : 0, src, nsrc, &roster_path,
                                    1);
    if (rc != XJL_OK)
        return rc;
    const xjl_roster_sink sink = {write_header, write_row, &f};
    rc = xjl_match_csv(m, roster, opts, &sink, totals);
    int close_rc = xjl_csv_writer_close(f.w);
    free(f.ids);
    free(f.why);
    return rc != XJL_OK ? rc : close_rc;
}
