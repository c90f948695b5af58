/*
 * regload.c: the preschool registry read into the workspace (intake
 * load-registry).
 *
 * Checking a row's 17 fields (NFKC, code lists, check digits) and packing
 * its index entry cost as much CPU as writing it into SQLite, and neither
 * touches the workspace, so they run on the worker pool through the
 * registry loader of lib/io (blocks of whole rows, handed back in file
 * order), while this thread writes the rows, in file order, into the one
 * transaction of the load.  The outcome is the same as reading the file
 * row by row: the same rows, row ids, reports (in file order) and counts.
 *
 * A load into an empty registry builds the index from the entries the
 * workers packed (in row-id order, as a scan of the table would give them)
 * instead of reading the table back after the commit.  The index made is
 * built and written to its file, stamped with the new generation, on a
 * thread of its own while this one commits (the commit of a large load is
 * mostly the copy of its log into the database).  Written before the
 * commit, the file is never taken for a stale registry: should the commit
 * fail, its stamp is a generation the workspace never had, and the next
 * step rebuilds the index from the table.
 *
 * A load into a registry that has records (a refresh) opens the index of
 * the registry before the load, inside the load's transaction, keeps the
 * records it inserts and updates, and after the commit applies them to that
 * index as changes (an add for a record inserted, an update for one met
 * again), each with its row id as its tag, and writes the file stamped with
 * the new generation (xjl__ixcache_apply): the cost follows the rows
 * loaded, not the registry.  A crash between the commit and the write of
 * the file leaves the file of the generation before: the next step sees
 * the stamp is not the generation and rebuilds the index from the table.
 * A load that meets a record id twice into an empty registry (an update)
 * leaves the index to that scan too.
 */
#include "workspace/workspace.h"

#include <stdlib.h>
#include <string.h>

bool xjl__registry_row(const xjl_csv *csv, const int cols[XJL_SF_COUNT], char *v[XJL_SF_COUNT],
                       char *store, xjl_diag_fn diag, void *user, size_t *warnings)
{
    bool ok = true;
    size_t used = 0;
    for (int f = 0; f < XJL_SF_COUNT; f++) {
        v[f] = NULL;
        if (cols[f] < 0)
            continue;
        size_t len = 0;
        const char *raw = xjl_csv_field(csv, (size_t)cols[f], &len);
        const char *label = xjl_sfield_label_zh((xjl_sfield)f);
        if (len != strlen(raw)) {
            xjl__diag_row(diag, user, csv, label, raw, xjl__msg("ws.diag.nul"));
            ok = false;
            continue;
        }
        char *canon = store + used;
        const size_t cap = XJL_REGISTRY_VALUE_MAX;
        int rc = xjl_sfield_check((xjl_sfield)f, raw, canon, cap, NULL);
        if (rc != XJL_OK && f == XJL_SF_ID_NUMBER) {
            /* The registry's problem records must stay findable: warn, keep
             * the number as normalised as it gets. */
            xjl_id_info info;
            xjl_id_parse(raw, XJL_NTS, XJL_IDTYPE_NONE, &info);
            char msg[600];
            snprintf(msg, sizeof msg, xjl__msg("ws.diag.id_warning"), xjl_errmsg());
            xjl__diag_row(diag, user, csv, label, raw, msg);
            (*warnings)++;
            snprintf(canon, cap, "%s", info.normalized[0] ? info.normalized : raw);
            rc = XJL_OK;
        }
        if (rc != XJL_OK) {
            xjl__diag_row(diag, user, csv, label, raw, xjl_errmsg());
            ok = false;
            continue;
        }
        if ((f == XJL_SF_BIRTHPLACE || f == XJL_SF_HUKOU_REGION) && canon[0]) {
            int32_t code = (int32_t)strtol(
                (char[7]){canon[0], canon[1], canon[2], canon[3], canon[4], canon[5], 0}, NULL, 10);
            if (!xjl__region_known(code)) {
                xjl__diag_row(diag, user, csv, label, raw, xjl__msg("ws.diag.region_unknown"));
                (*warnings)++;
            }
        }
        if (canon[0]) {
            v[f] = canon;
            used += strlen(canon) + 1;
        }
    }
    static const xjl_sfield required[] = {XJL_SF_NAME, XJL_SF_GENDER, XJL_SF_BIRTH_DATE};
    for (size_t i = 0; ok && i < XJL_ARRAY_LEN(required); i++)
        if (!v[required[i]]) {
            xjl__diag_row(diag, user, csv, xjl_sfield_label_zh(required[i]), "",
                          xjl__msg("ws.diag.required_empty"));
            ok = false;
        }
    return ok;
}

/* Macros, not enum constants: an enum constant must fit in an int. */
#define NO_VALUE UINT32_MAX
enum { RID = XJL_SF_COUNT };

/* A row that loads: where its values (and at RID its record id) are in
 * its block's text, NO_VALUE for an empty one. */
struct reg_row {
    uint32_t off[XJL_SF_COUNT + 1];
    long line;
};

struct fill;

/* A block's rows, read on a worker. */
struct part {
    const struct fill *f;
    char *text;
    size_t len, cap;
    struct reg_row *rows;
    size_t n, rows_cap;
    size_t warnings;
    void *packed; /* index entries of the rows, when the load makes the index */
};

/* The load, on this thread. */
struct fill {
    xjl_workspace *ws;
    const int *cols;
    int id_col;
    const char *path;
    bool pack;       /* the registry was empty: workers pack index entries */
    bool likely_new; /* every row so far inserted: insert before looking up */
    xjl_index *made; /* the index of the rows inserted, while every row was */
    int64_t *ids;    /* made's row ids */
    size_t n, cap;
    int64_t gen;       /* the registry's generation as committed */
    int64_t prev_gen;  /* and before the load */
    xjl_load_report r; /* the counts */
    const char *file;  /* the index file, or NULL */
    bool saved;        /* made was written to file */
    xjl__pool *pool;   /* the thread that builds and writes made, or NULL */
    struct xjl__job job;
    /* a refresh: the rows inserted or updated, as changes to the index */
    bool collect;
    struct xjl__changes chg;
};

static void *part_new(void *ctx)
{
    const struct fill *f = ctx;
    struct part *p = calloc(1, sizeof *p);
    if (p && f->pack && !(p->packed = xjl__index_part_new())) {
        free(p);
        return NULL;
    }
    if (p)
        p->f = f;
    return p;
}

static void part_free(void *arg)
{
    struct part *p = arg;
    xjl__index_part_free(p->packed);
    free(p->text);
    free(p->rows);
    free(p);
}

static void part_clear(void *arg)
{
    struct part *p = arg;
    p->len = p->n = p->warnings = 0;
    if (p->packed)
        xjl__index_part_clear(p->packed);
}

static int text_put(struct part *p, const char *s, size_t len, uint32_t *off)
{
    if (p->len + len + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 1 << 20;
        while (cap < p->len + len + 1)
            cap *= 2;
        char *t = cap <= UINT32_MAX ? realloc(p->text, cap) : NULL;
        if (!t)
            return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_reading", p->f->path);
        p->text = t;
        p->cap = cap;
    }
    *off = (uint32_t)p->len;
    memcpy(p->text + p->len, s, len);
    p->text[p->len + len] = '\0';
    p->len += len + 1;
    return XJL_OK;
}

/* A job's row (the loader checked its width): checked, kept, packed. */
static int read_row(void *arg, const xjl_csv *csv, xjl_diag_fn diag, void *user)
{
    struct part *p = arg;
    const struct fill *f = p->f;
    char store[XJL_SF_COUNT * XJL_REGISTRY_VALUE_MAX];
    char *v[XJL_SF_COUNT];
    size_t idlen = 0;
    const char *record_id = xjl_csv_field(csv, (size_t)f->id_col, &idlen);
    if (!xjl__registry_row(csv, f->cols, v, store, diag, user, &p->warnings))
        return 1;
    if (!*record_id || idlen != strlen(record_id) || idlen > XJL_RECORD_ID_MAX) {
        xjl__diag_row(diag, user, csv, xjl_csv_column_name(csv, (size_t)f->id_col),
                      idlen > XJL_RECORD_ID_MAX ? "" : record_id, xjl__msg("ws.diag.record_id"));
        return 1;
    }
    if (p->n == p->rows_cap) {
        size_t cap = p->rows_cap ? p->rows_cap * 2 : 4096;
        struct reg_row *r = realloc(p->rows, cap * sizeof *r);
        if (!r)
            return xjl__failm(XJL_ENOMEM, "ws.out_of_memory_reading", p->f->path);
        p->rows = r;
        p->rows_cap = cap;
    }
    struct reg_row *row = &p->rows[p->n];
    row->line = xjl_csv_line(csv);
    int rc = text_put(p, record_id, idlen, &row->off[RID]);
    for (int k = 0; k < XJL_SF_COUNT && rc == XJL_OK; k++)
        if (!v[k])
            row->off[k] = NO_VALUE;
        else
            rc = text_put(p, v[k], strlen(v[k]), &row->off[k]);
    if (rc == XJL_OK && p->packed) {
        xjl_record rec = {v[XJL_SF_NAME], v[XJL_SF_GENDER], v[XJL_SF_BIRTH_DATE], v[XJL_SF_ID_TYPE],
                          v[XJL_SF_ID_NUMBER]};
        rc = xjl__index_part_add(p->packed, record_id, &rec);
    }
    if (rc != XJL_OK)
        return rc;
    p->n++;
    return 0;
}

/* The index being made is given up: a scan of the table follows the commit. */
static void made_drop(struct fill *f)
{
    xjl_index_free(f->made);
    free(f->ids);
    f->made = NULL;
    f->ids = NULL;
    f->n = f->cap = 0;
}

/* Keeps a row written by a refresh as a change to the index. */
static int collect(struct fill *f, const char *record_id, char *const v[XJL_SF_COUNT], int outcome,
                   int64_t id)
{
    xjl_record rec = {v[XJL_SF_NAME], v[XJL_SF_GENDER], v[XJL_SF_BIRTH_DATE], v[XJL_SF_ID_TYPE],
                      v[XJL_SF_ID_NUMBER]};
    return xjl__changes_add(&f->chg, outcome == 0 ? XJL_CHANGE_ADD : XJL_CHANGE_UPDATE, id,
                            record_id, &rec);
}

/* A block's rows, in file order: written, and appended to the index made. */
static int write_rows(void *ctx, void *arg, size_t rows_before)
{
    struct fill *f = ctx;
    const struct part *p = arg;
    (void)rows_before;
    f->r.warnings += p->warnings;
    if (f->made && f->n + p->n > f->cap) {
        size_t cap = f->cap ? f->cap : 1 << 16;
        while (cap < f->n + p->n)
            cap *= 2;
        int64_t *ids = realloc(f->ids, cap * sizeof *ids);
        if (!ids)
            return xjl__failm(XJL_ENOMEM, "ws.workspace.out_of_memory_index");
        f->ids = ids;
        f->cap = cap;
    }
    for (size_t i = 0; i < p->n; i++) {
        const struct reg_row *row = &p->rows[i];
        char *v[XJL_SF_COUNT];
        for (int k = 0; k < XJL_SF_COUNT; k++)
            v[k] = row->off[k] == NO_VALUE ? NULL : p->text + row->off[k];
        int outcome = 0;
        int64_t id = 0;
        int rc = xjl__store_registry_put(f->ws->st, p->text + row->off[RID], v, f->path, row->line,
                                         f->likely_new, &outcome, &id);
        if (rc != XJL_OK)
            return rc;
        if (outcome == 0)
            f->r.inserted++;
        else if (outcome == 1)
            f->r.updated++;
        else
            f->r.unchanged++;
        if (outcome != 0) {
            f->likely_new = false;
            made_drop(f);
        }
        if (f->made)
            f->ids[f->n++] = id;
        if (f->collect && outcome != 2 &&
            (rc = collect(f, p->text + row->off[RID], v, outcome, id)) != XJL_OK)
            return rc;
    }
    return f->made ? xjl__index_part_append(f->made, p->packed) : XJL_OK;
}

/* The changes kept, applied to the registry's index of the generation
 * before the load (opened in the load's transaction), stamped f->gen. */
static int apply_changes(struct fill *f)
{
    xjl_index_change *ch = NULL;
    int64_t *ids = NULL;
    int rc = xjl__changes_view(&f->chg, &ch, &ids);
    if (rc == XJL_OK)
        rc = xjl__ixcache_apply(&f->ws->registry, ch, ids, f->chg.n, f->gen);
    free(ch);
    free(ids);
    return rc;
}

/* The job that builds made and writes its file. */
static int write_index(void *arg, unsigned worker)
{
    struct fill *f = arg;
    (void)worker;
    int rc = xjl_index_build(f->made, 0);
    if (rc == XJL_OK) {
        xjl_index_set_stamp(f->made, (uint64_t)f->gen);
        /* a file that cannot be written costs another process a rebuild,
         * and this handle a write of the file at its next refresh */
        rc = xjl__index_set_tags(f->made, f->ids); /* the ids are made's now */
        f->ids = NULL;
        f->saved = rc == XJL_OK && f->file && xjl__index_save_tags(f->made, f->file) == XJL_OK;
    }
    return rc;
}

/* A refresh's changes into the registry's change log, under its generation
 * (store.c): the next step applies them to the index file of the
 * generation before, unless the refresh writes the file itself. */
static int log_changes(struct fill *f, struct xjl_store *st)
{
    /* What the file this load opened has is no longer needed.  Without a
     * file this handle could open or write (the path blocked, the disk
     * full), no file needs what came before the generation the load
     * follows: a file of an older one is rebuilt; the log does not grow
     * refresh after refresh. */
    int64_t file_gen = f->ws->registry.file_gen;
    int64_t prune_to = file_gen > 0 ? file_gen : f->prev_gen > 0 ? f->prev_gen : 0;
    return xjl__store_registry_log(st, f->gen, f->prev_gen, &f->chg, prune_to);
}

static int before_commit(void *ctx, struct xjl_store *st)
{
    struct fill *f = ctx;
    int rc = xjl__store_generation(st, "registry", &f->gen);
    /* (a workspace in memory has no file to catch up: nothing to log) */
    if (rc == XJL_OK && f->collect && f->gen != f->prev_gen && f->ws->registry.file)
        rc = log_changes(f, st);
    /* no thread (out of memory): the index is built after the commit */
    if (rc == XJL_OK && f->made && f->n && xjl__pool_new(&f->pool, 1) == XJL_OK)
        xjl__pool_submit(f->pool, &f->job, write_index, f);
    return rc;
}

int xjl__registry_fill(xjl_workspace *ws, xjl_csv *csv, const int cols[XJL_SF_COUNT], int id_col,
                       xjl_diag_fn diag, void *user, xjl_load_report *rep)
{
    static const struct xjl_loader loader = {"registry", "load-registry", "registry", NULL,
                                             before_commit};
    struct fill f = {.ws = ws,
                     .cols = cols,
                     .id_col = id_col,
                     .path = xjl_csv_path(csv),
                     .file = ws->registry.file};
    char step[600];
    snprintf(step, sizeof step, "%s %s", loader.action, f.path);
    int rc = xjl__store_begin_as(ws->st, step);
    if (rc == XJL_OK)
        rc = xjl__store_generation(ws->st, "registry", &f.prev_gen);
    bool empty = false;
    if (rc == XJL_OK && (rc = xjl__store_registry_empty(ws->st, &empty)) == XJL_OK && empty)
        rc = xjl_index_new(&f.made);
    /* a refresh: the index of the registry as it is before the load, read in
     * the load's transaction (opened from its file, or rebuilt if stale) */
    if (rc == XJL_OK && !empty)
        rc = xjl__ixcache_ensure(&ws->registry, ws->st, "registry", xjl__store_registry_scan);
    f.pack = f.likely_new = empty;
    f.collect = !empty;
    /* the loader's rule on the width alone: the fields are read_row()'s */
    struct xjl_row_layout width = {
        .key = {-1, -1, -1, -1, -1}, .id = -1, .ncols = xjl_csv_column_count(csv)};
    const struct xjl_registry_consumer c = {.ctx = &f,
                                            .part_new = part_new,
                                            .part_free = part_free,
                                            .part_clear = part_clear,
                                            .append = write_rows,
                                            .read = read_row};
    size_t bad = 0;
    if (rc == XJL_OK)
        rc = xjl__registry_load(csv, &width, 0, &c, diag, user, &bad);
    f.r.bad_rows = bad;
    f.r.rows = f.r.inserted + f.r.updated + f.r.unchanged + bad;
    xjl_load_report r;
    rc = xjl__load_finish(ws->st, csv, &loader, &f, rc, &f.r, &r);
    if (rep)
        *rep = r;
    int built = XJL_EINVAL;
    bool threaded = f.pool != NULL;
    if (threaded) {
        built = xjl__pool_wait(f.pool, &f.job);
        xjl__pool_free(f.pool);
    }
    /* The index file follows in the same step, so that the next step opens
     * it: built from the entries packed, or else from the table.  The load
     * is committed by now (rc == XJL_OK): whatever fails here (out of
     * memory) leaves the handle without an index, which the next step
     * builds, and the load stands. */
    int irc = XJL_OK;
    if (rc == XJL_OK && f.made && f.n && threaded && built != XJL_OK) {
        made_drop(&f); /* the build after the commit failed: from the table */
        irc = xjl__ixcache_refresh(&ws->registry, ws->st, "registry", xjl__store_registry_scan);
    } else if (rc == XJL_OK && f.made && f.n) {
        irc = built == XJL_OK ? xjl__ixcache_adopt(&ws->registry, f.made, f.gen, f.saved)
                              : xjl__ixcache_install(&ws->registry, f.made, f.ids, f.gen);
        f.made = NULL;
        f.ids = NULL;
    } else if (rc == XJL_OK && (r.inserted || r.updated)) {
        /* the changes, or else (a change refused, out of memory) a scan of the table */
        if (!f.collect || apply_changes(&f) != XJL_OK)
            irc = xjl__ixcache_refresh(&ws->registry, ws->st, "registry", xjl__store_registry_scan);
    }
    if (irc != XJL_OK)
        xjl__ixcache_drop(&ws->registry);
    made_drop(&f);
    xjl__changes_free(&f.chg);
    return rc;
}
