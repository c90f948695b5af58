/*
 * registry_load.c: a registry file read on the caller's thread budget.
 *
 * Reading the fields of a record (NFKC, pinyin, check digits) is most of
 * the work of loading a registry, and scanning the CSV is a good part of
 * the rest, so both run on the worker pool (util/pool.c):
 *
 *   this thread    cuts the file into blocks of whole rows (read(), a
 *                  memchr for quotes, a memrchr for the last line break:
 *                  xjl__csv_take_block), submits one job per block and
 *                  hands finished blocks to the consumer in file order;
 *   a job          scans a block with a reader of its own, applies the row
 *                  rule of roster.c to each row, gives each row that loads
 *                  to the consumer's part of the block (the index packs its
 *                  fields there) and keeps the reports of the rows that do not.
 *
 * The consumer (the index, lib/match) only packs and appends records: which
 * rows load, which column is the id and what a refused row's report says
 * are decided here, the same for every registry reader.  Reports go to the
 * caller's callback from this thread, in file order.  A budget of one
 * thread starts no thread: the jobs then run here, as each block is needed.
 */
#include "io/io.h"

#include <stdlib.h>
#include <string.h>

/* Text per block: ~15,000 registry rows.  A build option (meson
 * -Dregistry_block_bytes=N) makes it tiny, so that the fuzz target and the
 * tests cross block edges at every few rows. */
#ifndef XJL_REGISTRY_BLOCK_BYTES
#define XJL_REGISTRY_BLOCK_BYTES (1 << 20)
#endif

enum {
    BLOCK_BYTES = XJL_REGISTRY_BLOCK_BYTES,
    MAX_WORKERS = 64,
    SLOTS_PER_WORKER = 2, /* blocks in flight: reading runs ahead of packing */
};

struct bad_row {
    long line;
    char *column, *value, *message;
};

struct block {
    struct xjl__job job;
    struct xjl_csv_block text;
    const struct loader *ld;
    void *part;       /* the consumer's; reused from block to block */
    size_t rows, bad; /* data rows read (loaded or not), rows not loaded */
    struct bad_row *reports;
    size_t nreports, reports_cap;
    bool ran; /* the job ran (a failed one handed its rows on so far) */
};

struct loader {
    const xjl_csv *csv;
    const char *path;
    struct xjl_row_layout layout;
    const struct xjl_registry_consumer *c;
    xjl_lang lang; /* the caller's: the workers write the bad rows' messages in it */
};

static void keep_report(void *user, const char *file, long line, const char *column,
                        const char *value, const char *message)
{
    struct block *b = user;
    (void)file;
    if (b->nreports == b->reports_cap) {
        size_t cap = b->reports_cap ? b->reports_cap * 2 : 16;
        struct bad_row *r = realloc(b->reports, cap * sizeof *r);
        if (!r)
            return; /* the row is still counted as bad; only its report is lost */
        b->reports = r;
        b->reports_cap = cap;
    }
    struct bad_row *r = &b->reports[b->nreports];
    r->line = line;
    r->column = column ? strdup(column) : NULL;
    r->value = value ? strdup(value) : NULL;
    r->message = strdup(message ? message : "");
    if ((column && !r->column) || (value && !r->value) || !r->message) {
        free(r->column);
        free(r->value);
        free(r->message);
        return;
    }
    b->nreports++;
}

/* The row rule; a row that breaks it is reported with its first field (the
 * record id in most registries) as the value.  nul_possible false when the
 * caller knows that the row has no NUL byte. */
static bool row_loads(xjl_csv *csv, const struct xjl_row_layout *l, const char *path,
                      xjl_diag_fn diag, void *user, bool nul_possible, xjl_lang lang)
{
    char msg[256];
    bool fault = xjl__row_fault(csv, l, nul_possible, lang, msg, sizeof msg);
    if (!fault && l->id >= 0 && (size_t)l->id < xjl_csv_field_count(csv)) {
        /* a record of a file with record ids needs its own: an empty one
         * would be given to every match of the record */
        size_t len = 0;
        xjl_csv_field(csv, (size_t)l->id, &len);
        if ((fault = len == 0))
            snprintf(msg, sizeof msg, xjl_message("row.id_empty", lang ? XJL_LANG_ZH : XJL_LANG_EN),
                     xjl_csv_column_name(csv, (size_t)l->id));
    }
    if (!fault)
        return true;
    if (diag) {
        size_t len0 = 0;
        const char *first = xjl_csv_field_count(csv) ? xjl_csv_field(csv, 0, &len0) : "";
        diag(user, path, xjl_csv_line(csv), NULL, memchr(first, '\0', len0) ? "" : first, msg);
    }
    return false;
}

bool xjl__registry_row_loads(xjl_csv *csv, const struct xjl_row_layout *l, const char *path,
                             xjl_diag_fn diag, void *user)
{
    return row_loads(csv, l, path, diag, user, true, xjl_get_lang());
}

int xjl__registry_open(const char *path, xjl_encoding enc, const char *id_column,
                       const char *columns, xjl_csv **out, struct xjl_row_layout *l)
{
    xjl_csv *csv = NULL;
    int rc = xjl_csv_open(&csv, path, enc);
    if (rc)
        return rc;
    if ((columns && (rc = xjl_csv_set_columns(csv, columns))) ||
        (rc = xjl__row_layout(csv, id_column, l))) {
        xjl_csv_close(csv);
        return rc;
    }
    *out = csv;
    return XJL_OK;
}

/* A job: reads the rows of one block into its part. */
static int load_block(void *arg, unsigned worker)
{
    struct block *b = arg;
    const struct loader *ld = b->ld;
    const struct xjl_row_layout *l = &ld->layout;
    (void)worker;
    /* the messages a consumer writes here are in the caller's language */
    xjl_lang lang = xjl_get_lang();
    xjl_set_lang(ld->lang);
    b->ran = true;
    b->rows = b->bad = 0;
    ld->c->part_clear(b->part);
    xjl_csv *csv = NULL;
    int r = xjl__csv_block_reader(ld->csv, &b->text, &csv);
    if (r < 0) {
        xjl_set_lang(lang);
        return r;
    }
    /* One memchr of the block spares six a row: NUL bytes are rare. */
    bool nul_possible = memchr(b->text.text, '\0', b->text.len) != NULL;
    while ((r = xjl_csv_next(csv)) == 1) {
        b->rows++;
        if (!row_loads(csv, l, ld->path, keep_report, b, nul_possible, ld->lang)) {
            b->bad++;
            continue;
        }
        if (ld->c->read) {
            if ((r = ld->c->read(b->part, csv, keep_report, b)) < 0)
                break;
            b->bad += r > 0;
            continue;
        }
        size_t lens[5];
        xjl_record rec = {
            xjl_csv_field(csv, (size_t)l->key[0], &lens[0]),
            xjl_csv_field(csv, (size_t)l->key[1], &lens[1]),
            xjl_csv_field(csv, (size_t)l->key[2], &lens[2]),
            xjl_csv_field(csv, (size_t)l->key[3], &lens[3]),
            xjl_csv_field(csv, (size_t)l->key[4], &lens[4]),
        };
        size_t rid_len = 0;
        const char *rid = l->id >= 0 ? xjl_csv_field(csv, (size_t)l->id, &rid_len) : NULL;
        if ((r = ld->c->row(b->part, &rec, lens, rid, rid_len, b->rows)) != XJL_OK)
            break;
    }
    xjl_csv_close(csv);
    xjl_set_lang(lang);
    return r < 0 ? r : XJL_OK;
}

/* Hands a block on: its reports to diag, its part to the consumer, after
 * the blocks before (*rows_before data rows). */
static int hand_on(const struct loader *ld, struct block *b, size_t *rows_before, xjl_diag_fn diag,
                   void *user)
{
    for (size_t i = 0; i < b->nreports; i++) {
        struct bad_row *r = &b->reports[i];
        if (diag)
            diag(user, ld->path, r->line, r->column, r->value, r->message);
        free(r->column);
        free(r->value);
        free(r->message);
    }
    b->nreports = 0;
    int rc = ld->c->append(ld->c->ctx, b->part, *rows_before);
    *rows_before += b->rows;
    return rc;
}

static void block_free(const struct xjl_registry_consumer *c, struct block *b)
{
    free(b->text.text);
    if (b->part)
        c->part_free(b->part);
    for (size_t i = 0; i < b->nreports; i++) {
        free(b->reports[i].column);
        free(b->reports[i].value);
        free(b->reports[i].message);
    }
    free(b->reports);
}

int xjl__registry_load(xjl_csv *csv, const struct xjl_row_layout *layout, unsigned threads,
                       const struct xjl_registry_consumer *c, xjl_diag_fn diag, void *user,
                       size_t *bad_rows)
{
    struct loader ld = {
        .csv = csv, .path = xjl_csv_path(csv), .layout = *layout, .c = c, .lang = xjl_get_lang()};
    /* A budget counts this thread, which cuts the blocks and hands them on
     * (and packs them itself when the pool has no thread): budget 1 starts
     * no thread.  With no budget, every core packs and this thread cuts. */
    unsigned nthreads = threads ? xjl__threads(threads) - 1 : xjl__threads(0);
    if (nthreads > MAX_WORKERS)
        nthreads = MAX_WORKERS;
    size_t nslots = (size_t)nthreads * SLOTS_PER_WORKER + 1;
    struct block *slots = calloc(nslots, sizeof *slots);
    bool ok = slots != NULL;
    for (size_t i = 0; ok && i < nslots; i++) {
        slots[i].ld = &ld;
        ok = (slots[i].part = c->part_new(c->ctx)) != NULL;
    }
    xjl__pool *pool = NULL;
    int rc = ok ? xjl__pool_new(&pool, nthreads)
                : xjl__fail(XJL_ENOMEM, "%s: out of memory for the loader", ld.path);

    /* Cut blocks while a slot is free, then hand on the oldest when done. */
    size_t cut = 0, handed = 0, rows_before = 0, bad = 0;
    bool input_done = false;
    int read_rc = XJL_OK;
    char read_err[1024] = "";
    while (rc == XJL_OK) {
        while (!input_done && cut - handed < nslots) {
            struct block *b = &slots[cut % nslots];
            int r = xjl__csv_take_block(csv, BLOCK_BYTES, &b->text);
            if (r == 1) {
                b->ran = false;
                xjl__pool_submit(pool, &b->job, load_block, b);
                cut++;
                continue;
            }
            input_done = true;
            if (r < 0) { /* reported after the blocks before it are handed on */
                read_rc = r;
                snprintf(read_err, sizeof read_err, "%s", xjl_errmsg());
            }
        }
        if (handed == cut)
            break;
        struct block *head = &slots[handed % nslots];
        rc = xjl__pool_wait(pool, &head->job);
        handed++;
        if (head->ran) {
            /* a block that failed still hands on its rows before the bad one */
            bad += head->bad;
            int ar = hand_on(&ld, head, &rows_before, diag, user);
            if (rc == XJL_OK)
                rc = ar;
        }
    }
    if (rc != XJL_OK && handed < cut) {
        /* The blocks still in flight are dropped: wait for them (those after
         * a failed job do not run), keeping the failure's message. */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", xjl_errmsg());
        for (; handed < cut; handed++)
            xjl__pool_wait(pool, &slots[handed % nslots].job);
        rc = xjl__fail(rc, "%s", msg);
    } else if (rc == XJL_OK && read_rc != XJL_OK) {
        rc = xjl__fail(read_rc, "%s", read_err);
    }
    xjl__pool_free(pool);
    for (size_t i = 0; slots && i < nslots; i++)
        block_free(c, &slots[i]);
    free(slots);
    if (bad_rows)
        *bad_rows = bad;
    return rc;
}
