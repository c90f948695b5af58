/*
 * Changes after the build: xjl_index_add() on a built index,
 * xjl_index_update(), xjl_index_remove(), xjl_index_compact().
 *
 * The built or opened index (the base, possibly a read-only mapping) is not
 * written.  A change goes to a delta (struct xjl_delta, matching.h): new
 * entries after the base's positions, their strings in chunks that never
 * move, a chained hash map per search key, and a bit per position for the
 * records removed or replaced (tombstones).  The matcher probes the base and
 * then the delta and skips tombstones, so the very next match sees a change.
 *
 * What scoring reads of the registry as a whole is kept exact under change,
 * so that a changed index gives the results of an index built from the
 * registry as it is now (docs/index-format.md, "Changes"):
 *   - the live record count (a name's share, the prior odds);
 *   - each BARE name's count: an entry's name_count is its name's count in
 *     the base (found through T_NAME for a record added later), and a small
 *     map holds, per name, the live delta records minus the dead base ones;
 *   - the records per birth date (ix->dates, counted up and down).
 * The registry's order, which breaks ties between equal candidates, is the
 * base's surviving records and then the changed ones in the order of their
 * last change: an updated record moves to the end, as if removed and added.
 *
 * One writer at a time, any number of readers: a change takes the index's
 * lock alone, a match or a lookup shares it (xjl_matcher_match() and
 * xjl_matcher_match_many() hold it for the call).
 */
#include "match/matching.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define CHUNK ((size_t)1 << XJL_DELTA_CHUNK_BITS)

bool xjl__index_changed(const xjl_index *ix)
{
    return ix->delta && ix->delta->changes > 0;
}

/* ---- the delta's search maps ---------------------------------------------- */

/* Room for `more` items, the buckets as many as the items (rehashed when
 * they are not): never fails after this. */
static int map_reserve(struct xjl_delta_map *m, size_t more)
{
    if (m->n + more > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        while (cap < m->n + more)
            cap *= 2;
        if (cap > UINT32_MAX - 1)
            return xjl__fail(XJL_ENOMEM, "index: more than %u changes", UINT32_MAX - 1);
        struct xjl_delta_item *it = realloc(m->items, cap * sizeof *it);
        if (!it)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
        m->items = it;
        m->cap = cap;
    }
    size_t buckets = m->head ? (size_t)m->mask + 1 : 0;
    if (m->n + more <= buckets)
        return XJL_OK;
    size_t nb = buckets ? buckets : 64;
    while (nb < m->n + more)
        nb *= 2;
    uint32_t *head = calloc(nb, sizeof *head);
    if (!head)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
    free(m->head);
    m->head = head;
    m->mask = (uint32_t)(nb - 1);
    for (size_t i = 0; i < m->n; i++) { /* in item order: a chain lists older items last */
        uint32_t b = (uint32_t)(m->items[i].key & m->mask);
        m->items[i].next = head[b];
        head[b] = (uint32_t)i + 1;
    }
    return XJL_OK;
}

static void map_put(void *ctx, uint64_t key, uint32_t pos)
{
    struct xjl_delta_map *m = ctx; /* reserved: cannot fail */
    uint32_t b = (uint32_t)(key & m->mask);
    m->items[m->n] = (struct xjl_delta_item){key, pos, m->head[b]};
    m->head[b] = (uint32_t)++m->n;
}

/* ---- exact counts ------------------------------------------------------------ */

/* Room for `more` new names at a load of one half. */
static int name_reserve(struct xjl_delta *d, size_t more)
{
    if ((d->name_n + more) * 2 <= d->name_cap)
        return XJL_OK;
    size_t cap = d->name_cap ? d->name_cap * 2 : 256;
    while (cap < (d->name_n + more) * 2)
        cap *= 2;
    uint64_t *key = calloc(cap, sizeof *key);
    int32_t *adj = calloc(cap, sizeof *adj);
    if (!key || !adj) {
        free(key);
        free(adj);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for name counts");
    }
    for (size_t i = 0; i < d->name_cap; i++) {
        if (!d->name_key[i])
            continue;
        size_t j = d->name_key[i] & (cap - 1);
        while (key[j])
            j = (j + 1) & (cap - 1);
        key[j] = d->name_key[i];
        adj[j] = d->name_adj[i];
    }
    free(d->name_key);
    free(d->name_adj);
    d->name_key = key;
    d->name_adj = adj;
    d->name_cap = cap;
    return XJL_OK;
}

/* The slot of a name's hash (0, which no hash of a name is in practice,
 * stands for 1: the map's empty slots are 0). */
static size_t name_slot(const struct xjl_delta *d, uint64_t h)
{
    h = h ? h : 1;
    size_t j = h & (d->name_cap - 1);
    while (d->name_key[j] && d->name_key[j] != h)
        j = (j + 1) & (d->name_cap - 1);
    return j;
}

static void name_adjust(const xjl_index *ix, struct xjl_delta *d, const struct xjl_entry *e, int by)
{
    if (!(e->flags & XJL_ENTRY_NAME_OK))
        return;
    uint64_t h = xjl__entry_name_hash(ix, e);
    size_t j = name_slot(d, h); /* reserved: a free slot exists */
    if (!d->name_key[j]) {
        d->name_key[j] = h ? h : 1;
        d->name_n++;
    }
    d->name_adj[j] += by;
}

uint32_t xjl__index_name_count(const xjl_index *ix, const struct xjl_entry *e)
{
    if (!(e->flags & XJL_ENTRY_NAME_OK))
        return e->name_count;
    const struct xjl_delta *d = ix->delta;
    if (!d || !d->name_cap)
        return xjl__entry_base_count(ix, e);
    size_t j = name_slot(d, xjl__entry_name_hash(ix, e));
    int64_t n = (int64_t)xjl__entry_base_count(ix, e) + (d->name_key[j] ? d->name_adj[j] : 0);
    return n > 0 ? (uint32_t)n : 1; /* a live record counts itself */
}

/* Records of the base with this BARE name, dead ones included, as an
 * entry's name_count holds it (XJL_NAME_COUNT_BIG: the count is in the
 * index's big_names): every base record of a name has its base count, so
 * the first one found gives it (a common name's bucket holds thousands:
 * they are not all read). */
static uint8_t base_name_count(const xjl_index *ix, const char *bare)
{
    uint32_t pos = xjl__built_name_record(ix, bare);
    return pos == UINT32_MAX ? 0 : ix->entries[pos].name_count;
}

/* Room in the counts for day (never fails after this). */
static int date_reserve(xjl_index *ix, int32_t day)
{
    if (day == XJL_DATE_NONE)
        return XJL_OK;
    if (ix->dates && day >= ix->date_lo && (int64_t)day - ix->date_lo < ix->ndates)
        return XJL_OK;
    int32_t lo = ix->ndates ? ix->date_lo : day;
    int64_t hi = ix->ndates ? (int64_t)ix->date_lo + ix->ndates - 1 : day;
    lo = day < lo ? day : lo;
    hi = day > hi ? day : hi;
    size_t n = (size_t)(hi - lo + 1);
    uint32_t *dates = calloc(n, sizeof *dates);
    if (!dates)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the birth dates");
    if (ix->ndates)
        memcpy(dates + (ix->date_lo - lo), ix->dates, ix->ndates * sizeof *dates);
    xjl__index_release(ix, ix->dates);
    ix->dates = dates;
    ix->date_lo = lo;
    ix->ndates = (uint32_t)n;
    return XJL_OK;
}

int xjl__index_date_add(xjl_index *ix, int32_t day, int by)
{
    if (day == XJL_DATE_NONE)
        return XJL_OK;
    int rc = date_reserve(ix, day);
    if (rc)
        return rc;
    uint32_t *c = &ix->dates[day - ix->date_lo];
    if (by > 0) {
        (*c)++;
        if (ix->live_lo > ix->live_hi) {
            ix->live_lo = ix->live_hi = day;
        } else {
            ix->live_lo = day < ix->live_lo ? day : ix->live_lo;
            ix->live_hi = day > ix->live_hi ? day : ix->live_hi;
        }
        return XJL_OK;
    }
    (*c)--;
    while (ix->live_lo <= ix->live_hi && !ix->dates[ix->live_lo - ix->date_lo])
        ix->live_lo++;
    while (ix->live_lo <= ix->live_hi && !ix->dates[ix->live_hi - ix->date_lo])
        ix->live_hi--;
    return XJL_OK;
}

/* ---- the delta ------------------------------------------------------------------ */

/* The delta of ix, made on the first change: the base's tables by record id
 * and by name are built then if the file or the build left them out. */
static int delta_of(xjl_index *ix, struct xjl_delta **out)
{
    if (ix->delta) {
        *out = ix->delta;
        return XJL_OK;
    }
    int rc = XJL_OK;
    pthread_mutex_lock(&ix->rid_lock);
    if (!ix->tables[XJL_T_RID].start && !ix->rids_ascend)
        rc = xjl__index_build_table(ix, XJL_T_RID);
    pthread_mutex_unlock(&ix->rid_lock);
    if (!rc && !ix->tables[XJL_T_NAME].start)
        rc = xjl__index_build_table(ix, XJL_T_NAME);
    if (!rc && ix->map && ix->ndates) { /* counted up and down from now on */
        uint32_t *dates = malloc(ix->ndates * sizeof *dates);
        if (!dates)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for the birth dates");
        memcpy(dates, ix->dates, ix->ndates * sizeof *dates);
        ix->dates = dates;
    }
    if (rc)
        return rc;
    struct xjl_delta *d = calloc(1, sizeof *d);
    size_t words = (ix->n + 64) / 64 + 1;
    if (d)
        d->dead = calloc(words, sizeof *d->dead);
    if (!d || !d->dead) {
        free(d);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
    }
    d->dead_words = words;
    ix->delta = *out = d;
    return XJL_OK;
}

/* Room in the last chunk for len bytes (with their NUL). */
static int chunk_reserve(xjl_index *ix, struct xjl_delta *d, size_t len)
{
    if (d->nchunks && d->chunk_used + len <= CHUNK)
        return XJL_OK;
    if ((uint64_t)ix->arena_len + ((uint64_t)d->nchunks + 1) * CHUNK > UINT32_MAX)
        return xjl__fail(XJL_ENOMEM, "index: the strings of the changes pass 4 GiB: compact it");
    if (d->nchunks == d->chunk_cap) {
        size_t cap = d->chunk_cap ? d->chunk_cap * 2 : 16;
        char **c = realloc(d->chunk, cap * sizeof *c);
        if (!c)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
        d->chunk = c;
        d->chunk_cap = cap;
    }
    if (!(d->chunk[d->nchunks] = malloc(CHUNK)))
        return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
    /* the chunk left behind ends in zeros: a saved file holds no bytes of
     * the heap, and every chunk ends in a NUL (xjl__index_str) */
    if (d->nchunks)
        memset(d->chunk[d->nchunks - 1] + d->chunk_used, 0, CHUNK - d->chunk_used);
    d->nchunks++;
    d->chunk_used = 0;
    return XJL_OK;
}

static uint32_t chunk_put(xjl_index *ix, struct xjl_delta *d, const char *s)
{
    size_t len = strlen(s) + 1;
    uint32_t off =
        (uint32_t)(ix->arena_len + ((d->nchunks - 1) << XJL_DELTA_CHUNK_BITS) + d->chunk_used);
    memcpy(d->chunk[d->nchunks - 1] + d->chunk_used, s, len);
    d->chunk_used += len;
    return off;
}

/* Room for `adds` more records (their entries, dead bits and search keys)
 * and `names` more names in the counts: made once for a batch, so that the
 * changes of a batch then only fill it. */
static int reserve_batch(xjl_index *ix, struct xjl_delta *d, size_t adds, size_t names)
{
    if (ix->n + d->n + adds > UINT32_MAX - 1)
        return xjl__fail(XJL_ENOMEM, "index: more than %u records", UINT32_MAX - 1);
    if (d->n + adds > d->cap || (ix->tags && !d->tags)) {
        size_t cap = d->cap ? d->cap : 256;
        while (cap < d->n + adds)
            cap *= 2;
        if (ix->tags) { /* the tags first: d->cap is what both hold */
            int64_t *tags = realloc(d->tags, cap * sizeof *tags);
            if (!tags)
                return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
            d->tags = tags;
        }
        struct xjl_entry *e = realloc(d->e, cap * sizeof *e);
        if (!e)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
        d->e = e;
        d->cap = cap;
    }
    size_t words = (ix->n + d->n + adds + 1 + 63) / 64;
    if (words > d->dead_words) {
        size_t nw = d->dead_words * 2 > words ? d->dead_words * 2 : words;
        uint64_t *dead = realloc(d->dead, nw * sizeof *dead);
        if (!dead)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
        memset(dead + d->dead_words, 0, (nw - d->dead_words) * sizeof *dead);
        d->dead = dead;
        d->dead_words = nw;
    }
    int rc = name_reserve(d, names);
    for (int t = XJL_T_ID; t <= XJL_T_RID && !rc; t++)
        rc = map_reserve(&d->map[t], XJL_ENTRY_KEYS_MAX * adds);
    return rc ? rc : map_reserve(&d->near, adds);
}

/* Marks the record at pos removed (it is live). */
static void kill(xjl_index *ix, struct xjl_delta *d, uint32_t pos)
{
    const struct xjl_entry *e = xjl__entry(ix, pos);
    d->dead[pos >> 6] |= (uint64_t)1 << (pos & 63);
    d->ndead++;
    name_adjust(ix, d, e, -1);
    xjl__index_date_add(ix, xjl__entry_dob(e), -1); /* reserved: the day is counted already */
}

/* A change read and packed with its strings, ready to be applied. */
struct pending {
    struct xjl_entry e;
    char bare[XJL_NAME_MAX_BYTES];
    char id_text[XJL_ID_MAX];
    int64_t tag;  /* the record's tag, if the index keeps tags */
    int rc;       /* XJL_OK, or why the change is refused before the index is seen */
    bool refused; /* by check_change(), its message noted */
    bool counted; /* e.name_count is the name's count among the built records */
};

/* Appends c; *name_count is its name's count among the built records, or
 * NULL when not known yet. */
static void append(xjl_index *ix, struct xjl_delta *d, const struct pending *c,
                   const char *record_id, const uint32_t *name_count)
{
    struct xjl_entry e = c->e;
    uint32_t pos = (uint32_t)(ix->n + d->n);
    e.name_off = chunk_put(ix, d, c->bare);
    chunk_put(ix, d, record_id); /* right after the name, in the same chunk: xjl__entry_rid() */
    if (c->id_text[0])
        e.id64 = XJL_ID_IN_ARENA | chunk_put(ix, d, c->id_text);
    if (!(e.flags & XJL_ENTRY_NAME_OK))
        e.name_count = 1;
    else
        e.name_count = name_count ? (uint8_t)*name_count : base_name_count(ix, c->bare);
    if (d->tags)
        d->tags[d->n] = c->tag;
    d->e[d->n++] = e;
    for (int t = XJL_T_ID; t <= XJL_T_RID; t++)
        xjl__entry_keys(ix, &e, (enum xjl_table)t, map_put, &d->map[t], pos);
    if (xjl__near_eligible(&e))
        map_put(&d->near, xjl__near_key(xjl__entry_dob(&e), e.gender), pos);
    name_adjust(ix, d, &e, +1);
    xjl__index_date_add(ix, xjl__entry_dob(&e), +1);
}

static const char *const op_fn[] = {"", "xjl_index_add", "xjl_index_update", "xjl_index_remove"};

/* Applies one change whose record is packed (the index's lock held alone,
 * the batch reserved): all of it, or nothing and an error. */
static int apply_one(xjl_index *ix, struct xjl_delta *d, const xjl_index_change *ch,
                     const struct pending *c)
{
    const char *fn = op_fn[ch->op];
    size_t old = xjl__index_find_id(ix, ch->record_id);
    if (ch->op == XJL_CHANGE_ADD && old != (size_t)-1)
        return xjl__failm(XJL_EDUPLICATE, "index.change.id_exists", fn, ch->record_id);
    if (ch->op != XJL_CHANGE_ADD && old == (size_t)-1)
        return xjl__failm(XJL_ENOTFOUND, "index.change.no_id", fn, ch->record_id);
    if (ch->op != XJL_CHANGE_REMOVE) {
        size_t strings = strlen(c->bare) + strlen(ch->record_id) + strlen(c->id_text) + 3;
        int rc = chunk_reserve(ix, d, strings);
        if (!rc)
            rc = date_reserve(ix, xjl__entry_dob(&c->e));
        if (rc)
            return rc;
    }
    /* An update that keeps the name (most do) keeps its count among the
     * built records: no probe for it. */
    uint32_t name_count = c->e.name_count;
    bool counted = c->counted;
    if (old != (size_t)-1 && ch->op == XJL_CHANGE_UPDATE) {
        const struct xjl_entry *was = xjl__entry(ix, (uint32_t)old);
        if ((was->flags & c->e.flags & XJL_ENTRY_NAME_OK) &&
            strcmp(xjl__index_str(ix, was->name_off), c->bare) == 0) {
            name_count = was->name_count;
            counted = true;
        }
    }
    if (old != (size_t)-1)
        kill(ix, d, (uint32_t)old);
    if (ch->op != XJL_CHANGE_REMOVE)
        append(ix, d, c, ch->record_id, counted ? &name_count : NULL);
    d->changes++;
    return XJL_OK;
}

/* Reading the records of a batch (normalising the five fields, the costly
 * part of a change) runs on the pool under the index's shared lock, so that
 * matching goes on meanwhile; so does finding an added record's name among
 * the built records (a probe and a few cache misses a name), which reads
 * only what no change writes (p->counted says it was found).  */
struct pack_job {
    const xjl_index *ix;
    const xjl_index_change *ch;
    struct pending *p;
};

static int pack_range(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct pack_job *j = ctx;
    (void)worker;
    bool names = j->ix->tables[XJL_T_NAME].start != NULL;
    for (size_t i = from; i < to; i++) {
        struct pending *p = &j->p[i];
        if (p->rc != XJL_OK || j->ch[i].op == XJL_CHANGE_REMOVE)
            continue;
        p->rc = xjl__index_pack(&j->ch[i].rec, &p->e, p->bare, sizeof p->bare, p->id_text,
                                sizeof p->id_text);
        p->counted =
            !p->rc && names && j->ch[i].op == XJL_CHANGE_ADD && (p->e.flags & XJL_ENTRY_NAME_OK);
        if (p->counted)
            p->e.name_count = base_name_count(j->ix, p->bare);
    }
    return XJL_OK; /* a record that cannot be packed refuses its own change only */
}

/* Changes of one batch read at once: a batch larger is applied in slices,
 * the lock taken once a slice (matching goes on between them). */
enum { SLICE = 16384, PACK_GRAIN = 512 };

/* Checks what a change says before anything is read. */
static int check_change(const xjl_index_change *ch)
{
    if (ch->op < XJL_CHANGE_ADD || ch->op > XJL_CHANGE_REMOVE)
        return xjl__fail(XJL_EINVAL, "xjl_index_apply: unknown change %d", (int)ch->op);
    const char *fn = op_fn[ch->op];
    if (!ch->record_id)
        return xjl__fail(XJL_EINVAL, "%s: NULL record id", fn);
    size_t rid_len = strlen(ch->record_id);
    if (rid_len > XJL_RECORD_ID_MAX)
        return xjl__failm(XJL_EINVAL, "index.change.id_too_long", fn, rid_len, XJL_RECORD_ID_MAX);
    return XJL_OK;
}

/* One slice of a batch: the first error's code (its message kept), XJL_OK. */
static int apply_slice(xjl_index *ix, const xjl_index_change *ch, size_t n, int *results,
                       const int64_t *tags, struct pending *p, char *first_msg, size_t msg_cap)
{
    int first = XJL_OK;
#define NOTE(i, code)                                                                              \
    do {                                                                                           \
        int code_ = (code);                                                                        \
        if (results)                                                                               \
            results[i] = code_;                                                                    \
        if (code_ && !first) {                                                                     \
            first = code_;                                                                         \
            if (msg_cap)                                                                           \
                snprintf(first_msg, msg_cap, "%s", xjl_errmsg());                                  \
        }                                                                                          \
    } while (0)
    size_t adds = 0;
    for (size_t i = 0; i < n; i++) {
        p[i].rc = check_change(&ch[i]);
        p[i].refused = p[i].rc != XJL_OK;
        p[i].counted = false; /* a removal is not packed: read all the same */
        p[i].tag = tags ? tags[i] : 0;
        NOTE(i, p[i].rc);
        adds += !p[i].refused && ch[i].op != XJL_CHANGE_REMOVE;
    }
    struct pack_job job = {ix, ch, p};
    pthread_rwlock_rdlock(&ix->lock);
    uint64_t gen = ix->base_gen;
    if (xjl__pool_run_for(adds >= 2 * PACK_GRAIN ? ix->threads : 1, n, PACK_GRAIN, pack_range,
                          &job))
        pack_range(&job, 0, n, 0); /* no thread to be had: on the caller */
    pthread_rwlock_unlock(&ix->lock);
    pthread_rwlock_wrlock(&ix->lock);
    if (ix->base_gen != gen) /* compacted meanwhile: the counts were of the old base */
        for (size_t i = 0; i < n; i++)
            p[i].counted = false;
    struct xjl_delta *d = NULL;
    int rc = delta_of(ix, &d);
    if (!rc) /* a change may bring a name in and take one out of the counts */
        rc = reserve_batch(ix, d, adds, 2 * n);
    for (size_t i = 0; i < n; i++) {
        if (p[i].refused)
            continue;          /* noted above */
        if (p[i].rc != XJL_OK) /* packed on a worker: its message stayed there */
            NOTE(i, xjl__fail(p[i].rc, "%s: out of memory", op_fn[ch[i].op]));
        else if (rc)
            NOTE(i, rc); /* the batch could not be reserved: none of it applied */
        else
            NOTE(i, apply_one(ix, d, &ch[i], &p[i]));
    }
#undef NOTE
    pthread_rwlock_unlock(&ix->lock);
    return first;
}

XJL_API int xjl_index_apply(xjl_index *ix, const xjl_index_change *changes, size_t n, int *results)
{
    return xjl__index_apply_tagged(ix, changes, n, results, NULL);
}

int xjl__index_apply_tagged(xjl_index *ix, const xjl_index_change *changes, size_t n, int *results,
                            const int64_t *tags)
{
    if (!ix || (!changes && n))
        return xjl__fail(XJL_EINVAL, "xjl_index_apply: NULL %s", ix ? "changes" : "index");
    if (!ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_apply: the index is not built");
    if (!n)
        return XJL_OK;
    size_t cap = n < SLICE ? n : SLICE;
    struct pending *p = malloc(cap * sizeof *p);
    char msg[1024] = "";
    if (!p)
        return xjl__fail(XJL_ENOMEM, "xjl_index_apply: out of memory for %zu changes", n);
    int first = XJL_OK;
    for (size_t at = 0; at < n; at += cap) {
        size_t k = n - at < cap ? n - at : cap;
        int rc = apply_slice(ix, changes + at, k, results ? results + at : NULL,
                             tags ? tags + at : NULL, p, msg, first ? 0 : sizeof msg);
        first = first ? first : rc;
    }
    free(p);
    if (first) /* the message of the first change refused, not of the last */
        return xjl__fail(first, "%s", msg);
    return XJL_OK;
}

static int change(xjl_index *ix, xjl_change_op op, const char *record_id, const xjl_record *rec)
{
    const char *fn = op_fn[op];
    if (!ix || !record_id || (op != XJL_CHANGE_REMOVE && !rec))
        return xjl__fail(XJL_EINVAL, "%s: NULL %s", fn,
                         !ix          ? "index"
                         : !record_id ? "record id"
                                      : "record");
    if (!ix->built)
        return xjl__fail(XJL_ESTATE, "%s: the index is not built", fn);
    xjl_index_change ch = {op, record_id, {0}};
    if (rec)
        ch.rec = *rec;
    return xjl_index_apply(ix, &ch, 1, NULL);
}

XJL_API int xjl_index_add(xjl_index *ix, const char *record_id, const xjl_record *rec)
{
    if (ix && ix->built)
        return change(ix, XJL_CHANGE_ADD, record_id, rec);
    return xjl__index_append(ix, record_id, rec);
}

XJL_API int xjl_index_update(xjl_index *ix, const char *record_id, const xjl_record *rec)
{
    return change(ix, XJL_CHANGE_UPDATE, record_id, rec);
}

XJL_API int xjl_index_remove(xjl_index *ix, const char *record_id)
{
    return change(ix, XJL_CHANGE_REMOVE, record_id, NULL);
}

XJL_API size_t xjl_index_changes(const xjl_index *ix)
{
    if (!ix)
        return 0;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    size_t n = ix->delta ? ix->delta->changes : 0;
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return n;
}

/* ---- tags ------------------------------------------------------------------------ */

int xjl__index_set_tags(xjl_index *ix, int64_t *tags)
{
    if (!ix->built || (ix->delta && ix->delta->n) || ix->tags) {
        free(tags);
        return xjl__fail(XJL_ESTATE, "index: tags for an index not built, changed or tagged");
    }
    ix->tags = tags;
    return XJL_OK;
}

size_t xjl__index_delta_records(const xjl_index *ix)
{
    return ix->delta ? ix->delta->n : 0;
}

/* ---- changes kept in a file ---------------------------------------------------- */

/* Whether the strings an entry of the changes points to lie in them. */
static bool delta_entry_sound(const xjl_index *ix, const struct xjl_entry *e, size_t slen)
{
    uint32_t offs[3] = {e->name_off, 0,
                        (e->id64 & XJL_ID_IN_ARENA) ? (uint32_t)e->id64 : e->name_off};
    const size_t caps[3] = {XJL_NAME_MAX_BYTES, XJL_RECORD_ID_MAX + 1, XJL_ID_MAX};
    for (int k = 0; k < 3; k++) {
        if (k == 1) { /* the record id: after the name (sound), in the same piece */
            uint64_t rid = (uint64_t)offs[0] + strlen(xjl__index_str(ix, offs[0])) + 1;
            if ((offs[0] < ix->arena_len) != (rid < ix->arena_len) ||
                (rid >= ix->arena_len &&
                 ((offs[0] - ix->arena_len) / CHUNK != (rid - ix->arena_len) / CHUNK)))
                return false;
            offs[1] = (uint32_t)rid;
        }
        if (offs[k] < ix->arena_len) {
            if (strnlen(ix->arena + offs[k], caps[k]) >= caps[k])
                return false;
            continue;
        }
        size_t o = offs[k] - ix->arena_len, left = CHUNK - (o & (CHUNK - 1));
        if (o >= slen || strnlen(xjl__index_str(ix, offs[k]), left < caps[k] ? left : caps[k]) >=
                             (left < caps[k] ? left : caps[k]))
            return false;
    }
    return e->gender <= XJL_GENDER_UNSPECIFIED && e->id_kind <= XJL_IDKIND_OTHER;
}

int xjl__delta_load(xjl_index *ix, const struct xjl_entry *e, size_t n, const char *strings,
                    size_t slen, const uint64_t *dead, size_t dead_words, size_t changes,
                    const int64_t *tags, const char *path)
{
    struct xjl_delta *d = NULL;
    int rc = delta_of(ix, &d);
    if (rc)
        return rc;
    /* strings written end in a NUL; each full chunk is made to end in one
     * (it does unless damaged), so that no offset reads past its chunk */
    if (slen && strings[slen - 1] != '\0')
        return xjl__fail(XJL_ECORRUPT, "index file %s: the strings of its changes do not end",
                         path);
    size_t nchunks = (slen + CHUNK - 1) / CHUNK;
    d->e = malloc((n ? n : 1) * sizeof *d->e);
    d->chunk = calloc(nchunks ? nchunks : 1, sizeof *d->chunk);
    uint64_t *dd = malloc((dead_words ? dead_words : 1) * sizeof *dd);
    if (!d->e || !d->chunk || !dd) {
        free(dd);
        return xjl__fail(XJL_ENOMEM, "index file %s: out of memory for its changes", path);
    }
    free(d->dead);
    d->dead = dd;
    d->dead_words = dead_words;
    memcpy(d->dead, dead, dead_words * sizeof *dd);
    d->chunk_cap = nchunks ? nchunks : 1;
    for (size_t c = 0; c < nchunks; c++) {
        if (!(d->chunk[c] = malloc(CHUNK)))
            return xjl__fail(XJL_ENOMEM, "index file %s: out of memory for its changes", path);
        d->nchunks++;
        size_t len = c + 1 < nchunks ? CHUNK : slen - c * CHUNK;
        memcpy(d->chunk[c], strings + c * CHUNK, len);
        d->chunk[c][CHUNK - 1] = '\0';
        d->chunk_used = len;
    }
    memcpy(d->e, e, n * sizeof *e);
    d->cap = n ? n : 1;
    if (tags) { /* the file's base has tags too (checked by its opener) */
        if (!(d->tags = malloc(d->cap * sizeof *d->tags)))
            return xjl__fail(XJL_ENOMEM, "index file %s: out of memory for its changes", path);
        memcpy(d->tags, tags, n * sizeof *tags);
    }
    d->n = n;
    size_t positions = ix->n + n;
    for (size_t i = 0; i < dead_words; i++) /* no bit beyond the last position */
        if (i * 64 + 64 > positions)
            d->dead[i] &= i * 64 >= positions ? 0 : ~(uint64_t)0 >> (64 - (positions - i * 64));
    for (size_t i = 0; i < n; i++)
        if (!delta_entry_sound(ix, &d->e[i], slen))
            return xjl__fail(XJL_ECORRUPT, "index file %s: changed record %zu is damaged", path, i);
    for (int t = XJL_T_ID; t <= XJL_T_RID; t++)
        if ((rc = map_reserve(&d->map[t], XJL_ENTRY_KEYS_MAX * n)))
            return rc;
    if ((rc = map_reserve(&d->near, n)))
        return rc;
    /* the dead base records count their names down (a word of the bits at a time:
     * opening stays a few milliseconds), the live changed ones up */
    for (size_t w = 0; w < dead_words; w++)
        for (uint64_t bits = d->dead[w]; bits; bits &= bits - 1) {
            uint32_t pos = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            d->ndead++;
            if (pos < ix->n && (rc = name_reserve(d, 1)) == XJL_OK)
                name_adjust(ix, d, xjl__entry(ix, pos), -1);
            if (rc)
                return rc;
        }
    for (uint32_t pos = (uint32_t)ix->n; pos < positions; pos++) {
        for (int t = XJL_T_ID; t <= XJL_T_RID; t++)
            xjl__entry_keys(ix, xjl__entry(ix, pos), (enum xjl_table)t, map_put, &d->map[t], pos);
        if (xjl__near_eligible(xjl__entry(ix, pos)))
            map_put(&d->near,
                    xjl__near_key(xjl__entry_dob(xjl__entry(ix, pos)), xjl__entry(ix, pos)->gender),
                    pos);
        if (!xjl__index_dead(ix, pos) && (rc = name_reserve(d, 1)) == XJL_OK)
            name_adjust(ix, d, xjl__entry(ix, pos), +1);
        if (rc)
            return rc;
    }
    d->changes = changes;
    return XJL_OK;
}

/* ---- compaction ----------------------------------------------------------------- */

int xjl__index_fold(const xjl_index *ix, unsigned threads, xjl_index **out)
{
    *out = NULL;
    xjl_index *nx = NULL;
    int rc = xjl_index_new(&nx);
    if (rc)
        return rc;
    size_t n = xjl__index_positions(ix), live = 0;
    /* the tags follow their records (the build keeps the order of the records) */
    int64_t *tags = ix->tags ? malloc((xjl__index_live(ix) + 1) * sizeof *tags) : NULL;
    if (ix->tags && !tags)
        rc = xjl__fail(XJL_ENOMEM, "xjl_index_compact: out of memory for the tags");
    for (uint32_t pos = 0; pos < n && !rc; pos++)
        if (!xjl__index_dead(ix, pos)) {
            rc = xjl__index_copy_entry(nx, ix, pos, NULL);
            if (tags)
                tags[live] = xjl__index_tag(ix, pos);
            live++;
        }
    if (!rc)
        rc = xjl_index_build(nx, threads);
    if (!rc && tags)
        rc = xjl__index_set_tags(nx, tags);
    else
        free(tags);
    if (rc) {
        xjl_index_free(nx);
        return rc;
    }
    nx->stamp = ix->stamp;
    nx->threads = ix->threads;
    memcpy(nx->sources, ix->sources, sizeof nx->sources);
    nx->nsources = ix->nsources;
    *out = nx;
    return XJL_OK;
}

XJL_API int xjl_index_compact(xjl_index *ix, unsigned threads)
{
    if (!ix)
        return xjl__fail(XJL_EINVAL, "xjl_index_compact: NULL index");
    if (!ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_compact: the index is not built");
    pthread_rwlock_wrlock(&ix->lock);
    xjl_index *nx = NULL;
    int rc = ix->delta ? xjl__index_fold(ix, threads, &nx) : XJL_OK;
    if (nx) { /* ix takes the compacted arrays, nx the old ones to free */
#define SWAP(f)                                                                                    \
    do {                                                                                           \
        __typeof__(ix->f) tmp_ = ix->f;                                                            \
        ix->f = nx->f;                                                                             \
        nx->f = tmp_;                                                                              \
    } while (0)
        for (int t = 0; t < XJL_T_COUNT; t++)
            SWAP(tables[t]);
        SWAP(entries);
        SWAP(n);
        SWAP(cap);
        SWAP(arena);
        SWAP(arena_len);
        SWAP(arena_cap);
        SWAP(rids);
        SWAP(rid_block);
        SWAP(rids_len);
        SWAP(dates);
        SWAP(date_lo);
        SWAP(ndates);
        SWAP(live_lo);
        SWAP(live_hi);
        SWAP(rids_ascend);
        SWAP(near_days);
        SWAP(near_pos);
        SWAP(near_sig);
        SWAP(near_n);
        SWAP(near_slots);
        SWAP(big_names);
        SWAP(nbig);
        SWAP(delta);
        SWAP(map);
        SWAP(map_len);
        SWAP(tags);
#undef SWAP
        ix->base_gen++;
    }
    pthread_rwlock_unlock(&ix->lock);
    xjl_index_free(nx);
    return rc;
}
