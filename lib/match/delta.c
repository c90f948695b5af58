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

static int name_reserve(struct xjl_delta *d)
{
    if ((d->name_n + 1) * 2 <= d->name_cap)
        return XJL_OK;
    size_t cap = d->name_cap ? d->name_cap * 2 : 256;
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

static void name_adjust(struct xjl_delta *d, const struct xjl_entry *e, int by)
{
    if (!(e->flags & XJL_ENTRY_NAME_OK))
        return;
    size_t j = name_slot(d, e->bare_h); /* reserved: a free slot exists */
    if (!d->name_key[j]) {
        d->name_key[j] = e->bare_h ? e->bare_h : 1;
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
        return e->name_count;
    size_t j = name_slot(d, e->bare_h);
    int64_t n = (int64_t)e->name_count + (d->name_key[j] ? d->name_adj[j] : 0);
    return n > 0 ? (uint32_t)n : 1; /* a live record counts itself */
}

struct name_find {
    const xjl_index *ix;
    uint64_t h;
    uint32_t count;
};

static void name_hit(void *ctx, uint32_t pos)
{
    struct name_find *f = ctx;
    const struct xjl_entry *e = &f->ix->entries[pos];
    if (e->bare_h == f->h && (e->flags & XJL_ENTRY_NAME_OK))
        f->count = e->name_count; /* every base record of a name has its base count */
}

/* Records of the base with this BARE name, dead ones included. */
static uint32_t base_name_count(const xjl_index *ix, uint64_t h)
{
    struct name_find f = {ix, h, 0};
    xjl__index_probe(ix, XJL_T_NAME, h, SIZE_MAX, name_hit, &f);
    return f.count;
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
    if (!ix->tables[XJL_T_RID].start)
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

/* Everything a new record and a tombstone need, so that applying a change
 * cannot fail half-way. */
static int reserve_change(xjl_index *ix, struct xjl_delta *d, size_t strings, int32_t dob)
{
    int rc;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        if (ix->n + cap > UINT32_MAX - 1)
            return xjl__fail(XJL_ENOMEM, "index: more than %u records", UINT32_MAX - 1);
        struct xjl_entry *e = realloc(d->e, cap * sizeof *e);
        if (!e)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
        d->e = e;
        d->cap = cap;
    }
    size_t words = (ix->n + d->n + 1 + 63) / 64;
    if (words > d->dead_words) {
        size_t nw = d->dead_words * 2 > words ? d->dead_words * 2 : words;
        uint64_t *dead = realloc(d->dead, nw * sizeof *dead);
        if (!dead)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for changes");
        memset(dead + d->dead_words, 0, (nw - d->dead_words) * sizeof *dead);
        d->dead = dead;
        d->dead_words = nw;
    }
    if ((strings && (rc = chunk_reserve(ix, d, strings))) || (rc = name_reserve(d)) ||
        (rc = date_reserve(ix, dob)))
        return rc;
    for (int t = XJL_T_ID; t <= XJL_T_RID && !rc; t++)
        rc = map_reserve(&d->map[t], XJL_ENTRY_KEYS_MAX);
    return rc ? rc : map_reserve(&d->near, 1);
}

/* Marks the record at pos removed (it is live). */
static void kill(xjl_index *ix, struct xjl_delta *d, uint32_t pos)
{
    const struct xjl_entry *e = xjl__entry(ix, pos);
    d->dead[pos >> 6] |= (uint64_t)1 << (pos & 63);
    d->ndead++;
    name_adjust(d, e, -1);
    xjl__index_date_add(ix, e->dob, -1); /* reserved: the day is counted already */
}

/* A record packed with its strings, ready to be appended. */
struct change {
    struct xjl_entry e;
    char bare[XJL_NAME_MAX_BYTES];
    char id_text[XJL_ID_MAX];
};

static void append(xjl_index *ix, struct xjl_delta *d, struct change *c, const char *record_id)
{
    struct xjl_entry e = c->e;
    uint32_t pos = (uint32_t)(ix->n + d->n);
    e.name_off = chunk_put(ix, d, c->bare);
    chunk_put(ix, d, record_id); /* right after the name, in the same chunk: xjl__entry_rid() */
    if (c->id_text[0])
        e.id64 = XJL_ID_IN_ARENA | chunk_put(ix, d, c->id_text);
    e.name_count = (e.flags & XJL_ENTRY_NAME_OK) ? base_name_count(ix, e.bare_h) : 1;
    d->e[d->n++] = e;
    for (int t = XJL_T_ID; t <= XJL_T_RID; t++)
        xjl__entry_keys(ix, &e, (enum xjl_table)t, map_put, &d->map[t], pos);
    if (xjl__near_eligible(&e))
        map_put(&d->near, xjl__near_key(e.dob, e.gender), pos);
    name_adjust(d, &e, +1);
    xjl__index_date_add(ix, e.dob, +1);
}

enum op { OP_ADD, OP_UPDATE, OP_REMOVE };

static const char *const op_fn[] = {"xjl_index_add", "xjl_index_update", "xjl_index_remove"};

static int change(xjl_index *ix, enum op op, const char *record_id, const xjl_record *rec)
{
    const char *fn = op_fn[op];
    if (!ix || !record_id || (op != OP_REMOVE && !rec))
        return xjl__fail(XJL_EINVAL, "%s: NULL %s", fn,
                         !ix          ? "index"
                         : !record_id ? "record id"
                                      : "record");
    if (!ix->built)
        return xjl__fail(XJL_ESTATE, "%s: the index is not built", fn);
    size_t rid_len = strlen(record_id);
    if (rid_len > XJL_RECORD_ID_MAX)
        return xjl__failm(XJL_EINVAL, "index.change.id_too_long", fn, rid_len, XJL_RECORD_ID_MAX);
    struct change *c = NULL;
    int rc = XJL_OK;
    if (op != OP_REMOVE) { /* read before taking the lock: matching goes on meanwhile */
        if (!(c = malloc(sizeof *c)))
            return xjl__fail(XJL_ENOMEM, "%s: out of memory", fn);
        rc = xjl__index_pack(rec, &c->e, c->bare, sizeof c->bare, c->id_text, sizeof c->id_text);
        if (rc) {
            free(c);
            return rc;
        }
    }
    pthread_rwlock_wrlock(&ix->lock);
    struct xjl_delta *d = NULL;
    rc = delta_of(ix, &d);
    size_t old = rc ? (size_t)-1 : xjl__index_find_id(ix, record_id);
    if (rc) {
        /* reported by delta_of() */
    } else if (op == OP_ADD && old != (size_t)-1) {
        rc = xjl__failm(XJL_EDUPLICATE, "index.change.id_exists", fn, record_id);
    } else if (op != OP_ADD && old == (size_t)-1) {
        rc = xjl__failm(XJL_ENOTFOUND, "index.change.no_id", fn, record_id);
    } else {
        size_t strings = c ? strlen(c->bare) + rid_len + strlen(c->id_text) + 3 : 0;
        rc = reserve_change(ix, d, strings, c ? c->e.dob : XJL_DATE_NONE);
    }
    if (!rc) {
        if (old != (size_t)-1)
            kill(ix, d, (uint32_t)old);
        if (c)
            append(ix, d, c, record_id);
        d->changes++;
    }
    pthread_rwlock_unlock(&ix->lock);
    free(c);
    return rc;
}

XJL_API int xjl_index_add(xjl_index *ix, const char *record_id, const xjl_record *rec)
{
    if (ix && ix->built)
        return change(ix, OP_ADD, record_id, rec);
    return xjl__index_append(ix, record_id, rec);
}

XJL_API int xjl_index_update(xjl_index *ix, const char *record_id, const xjl_record *rec)
{
    return change(ix, OP_UPDATE, record_id, rec);
}

XJL_API int xjl_index_remove(xjl_index *ix, const char *record_id)
{
    return change(ix, OP_REMOVE, record_id, NULL);
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
                    const char *path)
{
    struct xjl_delta *d = NULL;
    int rc = delta_of(ix, &d);
    if (rc)
        return rc;
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
        d->chunk_used = len;
    }
    memcpy(d->e, e, n * sizeof *e);
    d->cap = n ? n : 1;
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
            if (pos < ix->n && (rc = name_reserve(d)) == XJL_OK)
                name_adjust(d, xjl__entry(ix, pos), -1);
            if (rc)
                return rc;
        }
    for (uint32_t pos = (uint32_t)ix->n; pos < positions; pos++) {
        for (int t = XJL_T_ID; t <= XJL_T_RID; t++)
            xjl__entry_keys(ix, xjl__entry(ix, pos), (enum xjl_table)t, map_put, &d->map[t], pos);
        if (xjl__near_eligible(xjl__entry(ix, pos)))
            map_put(&d->near, xjl__near_key(xjl__entry(ix, pos)->dob, xjl__entry(ix, pos)->gender),
                    pos);
        if (!xjl__index_dead(ix, pos) && (rc = name_reserve(d)) == XJL_OK)
            name_adjust(d, xjl__entry(ix, pos), +1);
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
    size_t n = xjl__index_positions(ix);
    for (uint32_t pos = 0; pos < n && !rc; pos++)
        if (!xjl__index_dead(ix, pos))
            rc = xjl__index_copy_entry(nx, ix, pos, NULL);
    if (!rc)
        rc = xjl_index_build(nx, threads);
    /* what the source had built on use, the compacted index has at once */
    if (!rc && ix->tables[XJL_T_RID].start)
        rc = xjl__index_build_table(nx, XJL_T_RID);
    if (!rc && ix->tables[XJL_T_NAME].start)
        rc = xjl__index_build_table(nx, XJL_T_NAME);
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
        SWAP(dates);
        SWAP(date_lo);
        SWAP(ndates);
        SWAP(live_lo);
        SWAP(live_hi);
        SWAP(near_days);
        SWAP(near);
        SWAP(near_n);
        SWAP(near_slots);
        SWAP(delta);
        SWAP(map);
        SWAP(map_len);
        SWAP(tags);
#undef SWAP
    }
    pthread_rwlock_unlock(&ix->lock);
    xjl_index_free(nx);
    return rc;
}
