/*
 * The registry index.  Records are read once into packed 28-byte entries
 * (struct xjl_entry) and an arena of strings (BARE names, record ids, the
 * rare ID numbers that do not pack into 64 bits).  xjl_index_build() keeps
 * each name once and moves the record ids apart (split_strings), then
 * lays out one search table per key as two flat arrays — bucket starts and
 * positions, grouped by bucket with a counting sort — so a table costs
 * about six bytes a key, a probe is one bucket read, and the frozen index is
 * plain read-only memory that any number of threads can share.
 *
 * Keys (hashes with XXH3, so the layout does not depend on the machine):
 *   T_ID      the ID number;
 *   T_PINYIN  toneless pinyin folded to fuzzy classes (name_keys.c: one key
 *             per reading choice, up to XJL_NAME_KEYS_MAX) + birth date, and
 *             + the birth date inside the ID number where that differs.
 *             Finds ID typos, missing IDs, homophones (同音字), polyphones
 *             (多音字), near-homophones (模糊音) and, since equal SIMPLIFIED
 *             forms have equal pinyin, exact names and traditional characters
 *             too: one table serves them all, so a query makes half the probes;
 *   T_RID     the record id, for changes (not built when the record ids
 *             ascend: a binary search over the entries finds one then).
 * The matcher probes T_PINYIN again with the likely typos of the
 * query's date (±1 day, day and month swapped).
 */
#include "match/matching.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
/* XXH3 of a short key is a few dozen instructions: inlined, rather than a
 * call into the shared library for every key of every record (same hash). */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- packing ------------------------------------------------------------ */

_Static_assert(sizeof(struct xjl_entry) == 28, "a registry entry stays 28 bytes");

/* The value of 8 ASCII digits at s, or UINT64_MAX if one is not a digit.
 * Eight at once (SWAR: pairs, then fours, then the eight combined by
 * multiplication) instead of a chain of 8 multiply-adds: every registry
 * record packs its number. */
static uint64_t eight_digits(const char *s)
{
    if (!xjl__digits8(s))
        return UINT64_MAX;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, s, 8);
    w -= UINT64_C(0x3030303030303030); /* the first digit is the lowest byte */
    w = (w * 10 + (w >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
    w = (w * 100 + (w >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
    return (w * 10000 + (w >> 32)) & UINT64_C(0xFFFFFFFF);
#else
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
#endif
}

static uint64_t pack_citizen(const char *id)
{
    if (strnlen(id, 18) < 18) /* the eight-byte reads stay inside the text */
        return 0;
    uint64_t hi = eight_digits(id), mid = eight_digits(id + 8);
    if (hi == UINT64_MAX || mid == UINT64_MAX || id[16] < '0' || id[16] > '9')
        return 0;
    uint64_t v = (hi * 100000000 + mid) * 10 + (uint64_t)(id[16] - '0');
    unsigned check;
    if (id[17] >= '0' && id[17] <= '9')
        check = (unsigned)(id[17] - '0');
    else if (id[17] == 'X')
        check = 10;
    else
        return 0;
    if (id[18] != '\0')
        return 0;
    return v * 11 + check + 1;
}

void xjl__id_unpack(uint64_t id64, char out[19])
{
    uint64_t v = id64 - 1;
    unsigned check = (unsigned)(v % 11);
    v /= 11;
    out[17] = check == 10 ? 'X' : (char)('0' + check);
    /* the 17 digits as 8 and 9 in 32-bit halves: the grading of every
     * candidate whose number differs unpacks it, and 64-bit divisions by 10
     * cost several times as much */
    uint32_t hi = (uint32_t)(v / 1000000000u), lo = (uint32_t)(v % 1000000000u);
    for (int i = 16; i >= 8; i--) {
        out[i] = (char)('0' + lo % 10);
        lo /= 10;
    }
    for (int i = 7; i >= 0; i--) {
        out[i] = (char)('0' + hi % 10);
        hi /= 10;
    }
    out[18] = '\0';
}

static uint64_t hash_words_sorted(const char *s, size_t len)
{
    /* Latin names may come with their parts in another order: the key is the
     * same for "WANG DAVID" and "DAVID WANG". */
    const char *w[16];
    size_t wl[16], nw = 0;
    size_t i = 0;
    while (i < len && nw < 16) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        size_t b = i;
        while (i < len && s[i] != ' ')
            i++;
        w[nw] = s + b;
        wl[nw++] = i - b;
    }
    for (size_t a = 1; a < nw; a++)
        for (size_t b = a; b > 0; b--) {
            size_t m = wl[b] < wl[b - 1] ? wl[b] : wl[b - 1];
            int c = memcmp(w[b - 1], w[b], m);
            if (c < 0 || (c == 0 && wl[b - 1] <= wl[b]))
                break;
            const char *tw = w[b];
            w[b] = w[b - 1];
            w[b - 1] = tw;
            size_t tl = wl[b];
            wl[b] = wl[b - 1];
            wl[b - 1] = tl;
        }
    char buf[XJL_NAME_MAX_BYTES + 16];
    size_t n = 0;
    for (size_t k = 0; k < nw && n + wl[k] + 1 <= sizeof buf; k++) {
        memcpy(buf + n, w[k], wl[k]);
        n += wl[k];
        buf[n++] = ' ';
    }
    return XXH3_64bits(buf, n);
}

void xjl__entry_pack(const struct xjl_key_input *in, struct xjl_entry *e)
{
    const xjl_parsed *p = &in->parsed;
    const struct xjl_name_forms *nf = &in->name;
    memset(e, 0, sizeof *e);
    xjl__entry_set_dates(e,
                         (p->findings[XJL_FIELD_BIRTH_DATE] == 0) ? p->birth_date : XJL_DATE_NONE,
                         p->id.birth_date);
    e->gender = (uint8_t)p->gender;
    e->id_type = (uint8_t)p->id_type;
    e->id_kind = (uint8_t)p->id.kind;
    if (in->name_ok) {
        e->flags |= XJL_ENTRY_NAME_OK;
        if (nf->display_len != nf->bare_len)
            e->flags |= XJL_ENTRY_SEPARATED;
        /* A Latin name has no pinyin: its key is its words in any order. */
        if (nf->latin) {
            e->flags |= XJL_ENTRY_LATIN;
            e->py_h = hash_words_sorted(nf->display, nf->display_len);
        } else {
            uint64_t keys[XJL_NAME_KEYS_MAX];
            if (xjl__name_keys(nf->cps, nf->pinyin, nf->ncps, keys) > 1)
                e->flags |= XJL_ENTRY_READINGS;
            e->py_h = keys[0];
        }
        if (nf->has_placeholder)
            e->flags |= XJL_ENTRY_PLACEHOLDER;
        if (nf->variant_ambiguous)
            e->flags |= XJL_ENTRY_AMBIGUOUS;
    }
    bool id_error = (p->id.findings & XJL_ERROR_FINDINGS) != 0;
    if (p->id.kind != XJL_IDKIND_EMPTY && p->id.normalized[0]) {
        e->id64 = pack_citizen(p->id.normalized); /* 0: kept in the arena by the caller */
        if (!id_error) {
            e->flags |= XJL_ENTRY_ID_VALID;
            if (p->id.kind == XJL_IDKIND_CITIZEN || p->id.kind == XJL_IDKIND_HMT)
                e->flags |= XJL_ENTRY_ID_CITIZEN;
        }
    }
}

uint64_t xjl__key_id(const struct xjl_entry *e, const char *id_text)
{
    if (e->id64 && !(e->id64 & XJL_ID_IN_ARENA))
        return XXH3_64bits(&e->id64, sizeof e->id64);
    return XXH3_64bits(id_text, strlen(id_text)) ^ 0x9E3779B97F4A7C15ull;
}

/* A name with a date, and the same name with the next or the previous day
 * (the matcher probes both: ±1 day is a common typo), land in neighbouring
 * buckets: the hash is of the name and the date's run of eight days, and
 * the low three bits are the day within the run.  Buckets are the low bits
 * of the key and bucket bounds and positions are laid out in bucket order,
 * so the three probes of a row mostly read the same cache lines. */
uint64_t xjl__key_name_date(uint64_t name_h, int32_t date)
{
    uint64_t buf[2] = {name_h, (uint64_t)((uint32_t)date >> 3)};
    return (XXH3_64bits(buf, sizeof buf) & ~(uint64_t)7) | ((uint32_t)date & 7);
}

size_t xjl__entry_name_keys(const xjl_index *ix, const struct xjl_entry *e,
                            uint64_t out[XJL_NAME_KEYS_MAX])
{
    out[0] = e->py_h;
    if (!(e->flags & XJL_ENTRY_READINGS))
        return 1;
    return xjl__bare_name_keys(xjl__index_str(ix, e->name_off), e->py_h, out);
}

/* ---- construction ------------------------------------------------------- */

XJL_API int xjl_index_new(xjl_index **out)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_index_new: NULL out");
    xjl_index *ix = *out = calloc(1, sizeof **out);
    if (!ix)
        return xjl__fail(XJL_ENOMEM, "xjl_index_new: out of memory");
    pthread_mutex_init(&ix->rid_lock, NULL);
    pthread_rwlockattr_t a;
    pthread_rwlockattr_init(&a);
#ifdef PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP
    /* a change waits for the matches in progress, not for every match
     * that starts after it asked (no reader takes the lock twice) */
    pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&ix->lock, &a);
    pthread_rwlockattr_destroy(&a);
    ix->live_lo = 1;
    ix->live_hi = 0;
    return XJL_OK;
}

static void release(const xjl_index *ix, const void *p)
{
    xjl__index_release(ix, p);
}

void xjl__index_release(const xjl_index *ix, const void *p)
{
    const char *c = p, *m = ix->map;
    if (!m || c < m || c > m + ix->map_len) /* an empty section may point at the end */
        free((void *)p);
}

XJL_API void xjl_index_free(xjl_index *ix)
{
    if (!ix)
        return;
    for (int t = 0; t < XJL_T_COUNT; t++) {
        release(ix, ix->tables[t].base); /* the distances lie in the same block */
        release(ix, ix->tables[t].pos);
    }
    release(ix, ix->entries);
    release(ix, ix->arena);
    release(ix, ix->rids);
    release(ix, ix->rid_block);
    release(ix, ix->dates);
    release(ix, ix->near_days);
    release(ix, ix->near_pos);
    release(ix, ix->near_sig);
    release(ix, ix->big_names);
    release(ix, ix->tags);
    xjl__delta_free(ix->delta);
    if (ix->map)
        munmap(ix->map, ix->map_len);
    pthread_mutex_destroy(&ix->rid_lock);
    pthread_rwlock_destroy(&ix->lock);
    free(ix);
}

static int reserve_entries(xjl_index *ix, size_t more)
{
    /* a build that failed after moving the strings (split_strings): the
     * records are laid out for the build, which may be tried again */
    if (ix->rid_block)
        return xjl__fail(XJL_ESTATE, "index: adding records after a build that failed");
    if (ix->n + more <= ix->cap)
        return XJL_OK;
    if (ix->n + more > UINT32_MAX - 1)
        return xjl__fail(XJL_ENOMEM, "index: more than %u records", UINT32_MAX - 1);
    if (XJL_GROW(ix->entries, ix->cap, ix->n + more, 1024))
        return xjl__fail(XJL_ENOMEM, "index: out of memory for %zu records", ix->n + more);
    return XJL_OK;
}

/* Appends s (len bytes) and a NUL to a growable buffer; *off receives where
 * it starts.  Offsets are 32 bits: a buffer stays under 4 GiB. */
static int buf_put(char **buf, size_t *used, size_t *cap, size_t first_cap, const char *s,
                   size_t len, uint32_t *off, const char *what)
{
    if (*used + len + 1 > UINT32_MAX)
        return xjl__fail(XJL_ENOMEM, "index: %s over 4 GiB", what);
    if (XJL_GROW(*buf, *cap, *used + len + 1, first_cap))
        return xjl__fail(XJL_ENOMEM, "index: out of memory for %s", what);
    *off = (uint32_t)*used;
    memcpy(*buf + *used, s, len);
    (*buf)[*used + len] = '\0';
    *used += len + 1;
    return XJL_OK;
}

static int arena_append(xjl_index *ix, const char *s, size_t len, uint32_t *off)
{
    return buf_put(&ix->arena, &ix->arena_len, &ix->arena_cap, 65536, s, len, off, "strings");
}

/* A record read and packed, with the strings the arena will keep. */
struct packed_row {
    struct xjl_entry e;
    char bare[XJL_NAME_MAX_BYTES];
    uint16_t bare_len;
    char id_text[XJL_ID_MAX];
};

/* lens: the fields' lengths, or NULL (NUL-terminated). */
static void pack_row(const xjl_record *rec, const size_t *lens, struct xjl_key_input *scratch,
                     struct packed_row *out)
{
    xjl__record_read_n(rec, lens, scratch);
    xjl__entry_pack(scratch, &out->e);
    out->bare_len = scratch->name_ok ? scratch->name.bare_len : 0;
    memcpy(out->bare, scratch->name.bare, out->bare_len);
    out->bare[out->bare_len] = '\0';
    out->id_text[0] = '\0';
    if (!out->e.id64 && scratch->parsed.id.kind != XJL_IDKIND_EMPTY)
        snprintf(out->id_text, sizeof out->id_text, "%s", scratch->parsed.id.normalized);
}

int xjl__index_pack(const xjl_record *rec, struct xjl_entry *e, char *bare, size_t bare_cap,
                    char *id_text, size_t id_cap)
{
    struct xjl_key_input *scratch = malloc(sizeof *scratch);
    struct packed_row *row = malloc(sizeof *row);
    int rc = XJL_OK;
    if (!scratch || !row) {
        rc = xjl__fail(XJL_ENOMEM, "index: out of memory");
    } else {
        pack_row(rec, NULL, scratch, row);
        *e = row->e;
        snprintf(bare, bare_cap, "%s", row->bare);
        snprintf(id_text, id_cap, "%s", row->id_text);
    }
    free(scratch);
    free(row);
    return rc;
}

static int append_row(xjl_index *ix, struct packed_row *row, const char *rid, size_t rid_len)
{
    int rc = reserve_entries(ix, 1);
    if (rc)
        return rc;
    char numbuf[24];
    if (!rid) {
        rid_len = (size_t)snprintf(numbuf, sizeof numbuf, "%zu", ix->n + 1);
        rid = numbuf;
    }
    uint32_t rid_off; /* right after the name until the build (split_strings) */
    if ((rc = arena_append(ix, row->bare, row->bare_len, &row->e.name_off)) ||
        (rc = arena_append(ix, rid, rid_len, &rid_off)))
        return rc;
    if (row->id_text[0]) {
        uint32_t off;
        if ((rc = arena_append(ix, row->id_text, strlen(row->id_text), &off)))
            return rc;
        row->e.id64 = XJL_ID_IN_ARENA | off;
    }
    ix->entries[ix->n++] = row->e;
    return XJL_OK;
}

int xjl__index_copy_entry(xjl_index *dst, const xjl_index *src, size_t pos, const char *record_id)
{
    if (dst->built)
        return xjl__fail(XJL_ESTATE, "index: copying into an index that is built");
    if (pos >= xjl__index_positions(src))
        return xjl__fail(XJL_ENOTFOUND, "index: no record at position %zu of %zu", pos,
                         xjl__index_positions(src));
    struct xjl_entry e = *xjl__entry(src, (uint32_t)pos);
    const char *bare = xjl__index_str(src, e.name_off);
    if (!record_id)
        record_id = xjl__entry_rid(src, (uint32_t)pos);
    int rc;
    uint32_t rid_off; /* right after the name until the build (split_strings) */
    if ((rc = reserve_entries(dst, 1)) ||
        (rc = arena_append(dst, bare, strlen(bare), &e.name_off)) ||
        (rc = arena_append(dst, record_id, strlen(record_id), &rid_off)))
        return rc;
    if (e.id64 & XJL_ID_IN_ARENA) {
        const char *id = xjl__index_str(src, (uint32_t)e.id64);
        uint32_t off;
        if ((rc = arena_append(dst, id, strlen(id), &off)))
            return rc;
        e.id64 = XJL_ID_IN_ARENA | off;
    }
    dst->entries[dst->n++] = e;
    return XJL_OK;
}

XJL_API int xjl_index_set_threads(xjl_index *ix, unsigned threads)
{
    if (!ix)
        return xjl__fail(XJL_EINVAL, "xjl_index_set_threads: NULL index");
    ix->threads = threads;
    return XJL_OK;
}

int xjl__index_append(xjl_index *ix, const char *record_id, const xjl_record *rec)
{
    if (!ix || !rec)
        return xjl__fail(XJL_EINVAL, "xjl_index_add: NULL %s", ix ? "record" : "index");
    if (record_id && strlen(record_id) > XJL_RECORD_ID_MAX)
        return xjl__fail(XJL_EINVAL, "xjl_index_add: a record id of %zu bytes (at most %d)",
                         strlen(record_id), XJL_RECORD_ID_MAX);
    struct xjl_key_input *scratch = malloc(sizeof *scratch);
    struct packed_row *row = malloc(sizeof *row);
    int rc = XJL_OK;
    if (!scratch || !row) {
        rc = xjl__fail(XJL_ENOMEM, "xjl_index_add: out of memory");
    } else {
        pack_row(rec, NULL, scratch, row);
        rc = append_row(ix, row, record_id, record_id ? strlen(record_id) : 0);
    }
    free(scratch);
    free(row);
    return rc;
}

/* ---- reading a registry file ---------------------------------------------
 * The loader (io/registry_load.c) reads the file on the pool and decides
 * which rows load; here each block's records are packed into a small index
 * of the block's own (entries and arena, as xjl_index_add would make them),
 * on a worker, and appended in file order.  Appending a block is two copies
 * and an offset shift per entry, so the index is the same, byte for byte,
 * as if the rows were added one by one. */

struct part {
    xjl_index *ix;
    struct xjl_key_input scratch;
    struct packed_row row;
    uint32_t *rowno; /* without an id column: each record's row number in the block */
    size_t rowno_cap;
};

static void part_free(void *arg)
{
    struct part *p = arg;
    xjl_index_free(p->ix);
    free(p->rowno);
    free(p);
}

static void *part_new(void *ctx)
{
    (void)ctx;
    struct part *p = calloc(1, sizeof *p);
    if (p && xjl_index_new(&p->ix) != XJL_OK) {
        free(p);
        p = NULL;
    }
    return p;
}

static void part_clear(void *arg)
{
    struct part *p = arg;
    p->ix->n = 0;
    p->ix->arena_len = 0;
}

static int part_row(void *arg, const xjl_record *rec, const size_t lens[5], const char *rid,
                    size_t rid_len, size_t rowno)
{
    struct part *p = arg;
    pack_row(rec, lens, &p->scratch, &p->row);
    if (!rid) {
        /* the row number counts the rows of the blocks before: given when appended */
        if (XJL_GROW(p->rowno, p->rowno_cap, p->ix->n + 1, 4096))
            return xjl__fail(XJL_ENOMEM, "index: out of memory reading rows");
        p->rowno[p->ix->n] = (uint32_t)rowno;
        rid = "";
    }
    return append_row(p->ix, &p->row, rid, rid_len);
}

/* Appends a packed block to ix after the records of the blocks before
 * (rows_before data rows: the ids when the file has no id column). */
static int part_append(void *ctx, void *arg, size_t rows_before)
{
    xjl_index *ix = ctx;
    const struct part *p = arg;
    const xjl_index *part = p->ix;
    int rc = reserve_entries(ix, part->n);
    if (rc)
        return rc;
    if (p->rowno) {
        /* No id column: the id is the row number in the file, given to each
         * record as it is copied over. */
        for (size_t i = 0; i < part->n && !rc; i++) {
            char num[24];
            snprintf(num, sizeof num, "%zu", rows_before + p->rowno[i]);
            rc = xjl__index_copy_entry(ix, part, i, num);
        }
    } else if (part->n) {
        /* The block's arena goes after ours as it is: every offset shifts by
         * the same amount. */
        uint32_t base;
        if ((rc = buf_put(&ix->arena, &ix->arena_len, &ix->arena_cap, 65536, part->arena,
                          part->arena_len - 1, &base, "strings")))
            return rc;
        for (size_t i = 0; i < part->n; i++) {
            struct xjl_entry e = part->entries[i];
            e.name_off += base;
            if (e.id64 & XJL_ID_IN_ARENA)
                e.id64 = XJL_ID_IN_ARENA | (uint32_t)((uint32_t)e.id64 + base);
            ix->entries[ix->n++] = e;
        }
    }
    return rc;
}

/* The same parts for a caller that reads its rows itself (the workspace's
 * registry load): records packed on a worker, appended in order on one
 * thread.  Every record has its id. */
void *xjl__index_part_new(void)
{
    return part_new(NULL);
}

void xjl__index_part_free(void *part)
{
    if (part)
        part_free(part);
}

void xjl__index_part_clear(void *part)
{
    part_clear(part);
}

int xjl__index_part_add(void *part, const char *record_id, const xjl_record *rec)
{
    struct part *p = part;
    pack_row(rec, NULL, &p->scratch, &p->row);
    return append_row(p->ix, &p->row, record_id, strlen(record_id));
}

int xjl__index_part_append(xjl_index *ix, const void *part)
{
    if (ix->built)
        return xjl__fail(XJL_ESTATE, "index: appending to an index that is built");
    return part_append(ix, (void *)part, 0);
}

XJL_API int xjl_index_add_csv(xjl_index *ix, const char *path, xjl_encoding enc,
                              const char *id_column, xjl_diag_fn diag, void *user, size_t *bad_rows)
{
    return xjl_index_add_csv_columns(ix, path, enc, id_column, NULL, diag, user, bad_rows);
}

XJL_API int xjl_index_add_csv_columns(xjl_index *ix, const char *path, xjl_encoding enc,
                                      const char *id_column, const char *columns, xjl_diag_fn diag,
                                      void *user, size_t *bad_rows)
{
    if (bad_rows)
        *bad_rows = 0;
    if (!ix || !path)
        return xjl__fail(XJL_EINVAL, "xjl_index_add_csv: NULL %s", ix ? "path" : "index");
    if (ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_add_csv: the index is built and read-only");
    xjl_csv *csv = NULL;
    struct xjl_row_layout layout;
    int rc = xjl__registry_open(path, enc, id_column, columns, &csv, &layout);
    if (rc)
        return rc;
    if (ix->nsources < XJL_INDEX_SOURCES && xjl__file_id_of(path, &ix->sources[ix->nsources]))
        ix->nsources++;
    const struct xjl_registry_consumer c = {ix,       part_new,    part_free, part_clear,
                                            part_row, part_append, NULL};
    rc = xjl__registry_load(csv, &layout, ix->threads, &c, diag, user, bad_rows);
    xjl_csv_close(csv);
    return rc;
}

/* ---- the search tables -------------------------------------------------- */

/* A zeroed array that is then counted into (x++).  Not calloc: fresh
 * memory from calloc is mapped to the shared zero page, so the first x++ of
 * each page faults twice — the read, then the write, which replaces the
 * mapping and interrupts every other core of the process to flush its TLB.
 * Writing the zeros first faults once. */
static void *zeroed(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    void *p = malloc(bytes > 0 ? bytes : 1);
    if (p)
        memset(p, 0, bytes);
    return p;
}

/* Calls emit(key) for each key of entry i in table t. */
typedef void (*key_sink)(void *ctx, uint64_t key, uint32_t pos);

/* T_PINYIN's keys of entry e (at i) from its name keys h[0 .. n). */
static void pinyin_keys(const struct xjl_entry *e, const uint64_t *h, size_t n, key_sink sink,
                        void *ctx, uint32_t i)
{
    for (size_t k = 0; k < n; k++) {
        if (xjl__entry_dob(e) != XJL_DATE_NONE)
            sink(ctx, xjl__key_name_date(h[k], xjl__entry_dob(e)), i);
        if (xjl__entry_id_dob(e) != XJL_DATE_NONE && xjl__entry_id_dob(e) != xjl__entry_dob(e))
            sink(ctx, xjl__key_name_date(h[k], xjl__entry_id_dob(e)), i);
    }
}

/* The other name keys (name_keys.c) of the entries that have them, made
 * once for the three passes of a T_PINYIN build over the entries: made again
 * from the BARE name in each pass they cost as much as the rest of the build.
 * Each pass visits the entries in order, so the memo is read with cursors:
 * count[j] keys for the j-th entry with XJL_ENTRY_READINGS, from keys[at]. */
struct name_memo {
    uint64_t *keys;  /* the keys after py_h, entry after entry */
    uint8_t *count;  /* how many each entry with XJL_ENTRY_READINGS has */
    size_t next, at; /* cursors: the next entry of count, its first key */
};

static bool has_name_memo(const struct xjl_entry *e)
{
    return (e->flags & (XJL_ENTRY_NAME_OK | XJL_ENTRY_READINGS)) ==
           (XJL_ENTRY_NAME_OK | XJL_ENTRY_READINGS);
}

static void name_memo_rewind(struct name_memo *m)
{
    if (m)
        m->next = m->at = 0;
}

static void name_memo_free(struct name_memo *m)
{
    if (m) {
        free(m->keys);
        free(m->count);
        m->keys = NULL;
        m->count = NULL;
    }
}

static int name_memo_make(const xjl_index *ix, struct name_memo *m)
{
    size_t with = 0;
    for (size_t i = 0; i < ix->n; i++)
        with += has_name_memo(&ix->entries[i]);
    m->keys = malloc((with ? with : 1) * (XJL_NAME_KEYS_MAX - 1) * sizeof *m->keys);
    m->count = malloc(with ? with : 1);
    if (!m->keys || !m->count) {
        free(m->keys);
        free(m->count);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the search tables");
    }
    for (size_t i = 0; i < ix->n; i++) {
        const struct xjl_entry *e = &ix->entries[i];
        /* a name said again lies anywhere in the strings (split_strings) */
        if (i + 16 < ix->n && has_name_memo(e + 16))
            __builtin_prefetch(ix->arena + e[16].name_off);
        if (!has_name_memo(e))
            continue;
        uint64_t h[XJL_NAME_KEYS_MAX];
        size_t n = xjl__entry_name_keys(ix, e, h);
        memcpy(m->keys + m->at, h + 1, (n - 1) * sizeof h[0]);
        m->count[m->next++] = (uint8_t)(n - 1);
        m->at += n - 1;
    }
    name_memo_rewind(m);
    return XJL_OK;
}

/* Entry e's name keys (py_h first) from the memo, which moves on; returns
 * how many. */
static size_t name_memo_read(struct name_memo *m, const struct xjl_entry *e,
                             uint64_t h[XJL_NAME_KEYS_MAX])
{
    h[0] = e->py_h;
    if (!has_name_memo(e))
        return 1;
    size_t n = m->count[m->next++];
    memcpy(h + 1, m->keys + m->at, n * sizeof h[0]);
    m->at += n;
    return n + 1;
}

/* Calls sink for each key of entry i in table t; a T_PINYIN build passes
 * the memo of its name keys (else NULL). */
static void entry_keys(const xjl_index *ix, enum xjl_table t, uint32_t i, struct name_memo *m,
                       key_sink sink, void *ctx)
{
    const struct xjl_entry *e = &ix->entries[i];
    if (t == XJL_T_PINYIN && m) {
        if (!(e->flags & XJL_ENTRY_NAME_OK))
            return;
        uint64_t h[XJL_NAME_KEYS_MAX];
        pinyin_keys(e, h, name_memo_read(m, e, h), sink, ctx, i);
        return;
    }
    xjl__entry_keys(ix, e, t, sink, ctx, i);
}

void xjl__entry_keys(const xjl_index *ix, const struct xjl_entry *e, enum xjl_table t,
                     key_sink sink, void *ctx, uint32_t i)
{
    switch (t) {
    case XJL_T_ID:
        if (e->id64)
            sink(ctx,
                 xjl__key_id(e, (e->id64 & XJL_ID_IN_ARENA) ? xjl__index_str(ix, (uint32_t)e->id64)
                                                            : ""),
                 i);
        break;
    case XJL_T_PINYIN: {
        if (!(e->flags & XJL_ENTRY_NAME_OK))
            break;
        uint64_t h[XJL_NAME_KEYS_MAX];
        pinyin_keys(e, h, xjl__entry_name_keys(ix, e, h), sink, ctx, i);
        break;
    }
    case XJL_T_RID: {
        const char *rid = xjl__entry_rid(ix, i);
        sink(ctx, XXH3_64bits(rid, strlen(rid)), i);
        break;
    }
    case XJL_T_NAME:
        if (e->flags & XJL_ENTRY_NAME_OK)
            sink(ctx, xjl__entry_name_hash(ix, e), i);
        break;
    default:
        break;
    }
}

/* Building a table is a counting sort of the keys by bucket.  Done directly,
 * each key is a random write into bucket arrays of tens of megabytes: two
 * cache misses a key.  So the keys are first partitioned by the high bits of
 * their bucket (a few thousand sequential write streams), then each
 * partition — a range of buckets whose counters fit in the L1/L2 cache — is
 * counted and placed on its own.
 *
 * The scratch of that sort (two 8-byte words a key, and the buckets' whole
 * starts, 4 bytes a bucket) would grow with the registry: at 50,000,000
 * records the two large tables, built at once, needed about 1 GB of it
 * beside the index.  So a table of more than PASS_KEYS keys is built in
 * passes, each over a range of partitions holding at most PASS_KEYS keys and
 * buckets (found by a first pass that only counts): each pass makes the keys
 * of every entry again and keeps those of its range.  The scratch is then
 * bounded (about 160 MiB a table) whatever the registry's size, for a pass
 * over the entries more per PASS_KEYS keys.  A table of PASS_KEYS keys or
 * fewer is made in the pass that counts. */

enum { PART_BUCKETS = 4096 }; /* buckets per partition: 16 KiB of counters */
enum { PASS_KEYS = 1 << 23 }; /* keys a pass holds: 128 MiB of made[] and pairs[] */

struct part_ctx {
    uint32_t mask, shift; /* bucket = key & mask; partition = bucket >> shift */
    uint32_t lo, hi;      /* the partitions whose keys this pass keeps */
    bool counting;        /* the first pass: count the keys of every partition */
    uint32_t *count;      /* keys per partition, then write cursors */
    uint64_t *made;       /* (bucket << 32 | pos) in the entries' order */
    uint64_t *pairs;      /* the same, grouped by partition */
    size_t keys, room;    /* keys of the pass's partitions; room in made[] */
};

/* The keys are made in one pass over the entries, into made[]: hashing them
 * again for a second pass (and reading the entries and the name memo again)
 * cost more than the sequential copy from made[] into the partitions. */
static void part_make(void *ctx, uint64_t key, uint32_t pos)
{
    struct part_ctx *c = ctx;
    uint64_t b = key & c->mask;
    uint32_t p = (uint32_t)(b >> c->shift);
    if (p < c->lo || p >= c->hi)
        return;
    if (c->counting)
        c->count[p]++;
    if (c->keys < c->room)
        c->made[c->keys] = b << 32 | pos;
    c->keys++;
}

/* How many keys entry_keys() gives an entry, without hashing them. */
static size_t entry_key_count(const xjl_index *ix, enum xjl_table t, uint32_t i,
                              struct name_memo *m)
{
    const struct xjl_entry *e = &ix->entries[i];
    switch (t) {
    case XJL_T_ID:
        return e->id64 != 0;
    case XJL_T_PINYIN: {
        if (!(e->flags & XJL_ENTRY_NAME_OK))
            return 0;
        uint64_t h[XJL_NAME_KEYS_MAX];
        return name_memo_read(m, e, h) * ((size_t)(xjl__entry_dob(e) != XJL_DATE_NONE) +
                                          (size_t)(xjl__entry_id_dob(e) != XJL_DATE_NONE &&
                                                   xjl__entry_id_dob(e) != xjl__entry_dob(e)));
    }
    case XJL_T_RID:
        return 1;
    case XJL_T_NAME:
        return (e->flags & XJL_ENTRY_NAME_OK) != 0;
    default:
        return 0;
    }
}

/* A table's bucket starts as they are kept (struct search_table): group
 * starts and narrow distances, in one block laid out as the file's section
 * holds them, written a range of groups at a time.  The distances start one
 * byte wide and are widened, in place, when a group needs it. */
struct starts_out {
    size_t buckets, groups;
    uint32_t *block; /* groups + 1 group starts, then buckets + 1 distances */
    uint32_t bytes;  /* of a distance: 1, 2 or 4 */
    size_t done;     /* distances written so far, from the first */
};

static unsigned char *starts_dist(const struct starts_out *o)
{
    return (unsigned char *)(o->block + o->groups + 1);
}

/* Room for the starts of buckets buckets, their distances one byte wide. */
static bool starts_open(struct starts_out *o, size_t buckets)
{
    *o = (struct starts_out){buckets, buckets / XJL_START_GROUP, NULL, 1, 0};
    o->block = malloc((o->groups + 1) * sizeof *o->block + (buckets + 1));
    return o->block != NULL;
}

/* The starts, all put, handed to tab (which then owns the block). */
static void starts_give(const struct starts_out *o, struct search_table *tab)
{
    tab->start_bytes = o->bytes;
    tab->base = o->block;
    tab->start = starts_dist(o);
}

static int starts_widen(struct starts_out *o, uint32_t bytes)
{
    uint32_t was = o->bytes;
    size_t n = o->done;
    uint32_t *block = realloc(o->block, (o->groups + 1) * sizeof *block + (o->buckets + 1) * bytes);
    if (!block)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the search tables");
    o->block = block;
    unsigned char *d = starts_dist(o);
    for (size_t b = n; b-- > 0;) { /* from the end: the wider never overwrite the unread */
        uint32_t v = was == 1 ? d[b] : was == 2 ? ((uint16_t *)d)[b] : ((uint32_t *)d)[b];
        if (bytes == 2)
            ((uint16_t *)d)[b] = (uint16_t)v;
        else
            ((uint32_t *)d)[b] = v;
    }
    o->bytes = bytes;
    return XJL_OK;
}

/* The whole starts of buckets [from, from + n) into o (from and n whole
 * groups; whole[n] is the start of the bucket after them). */
static int starts_put(struct starts_out *o, size_t from, const uint32_t *whole, size_t n)
{
    uint32_t widest = 0;
    for (size_t b = 0; b <= n; b++) {
        uint32_t d = whole[b] - whole[b / XJL_START_GROUP * XJL_START_GROUP];
        widest = d > widest ? d : widest;
    }
    uint32_t bytes = widest <= UINT8_MAX ? 1 : widest <= UINT16_MAX ? 2 : 4;
    if (bytes > o->bytes) {
        int rc = starts_widen(o, bytes);
        if (rc)
            return rc;
    }
    for (size_t g = 0; g <= n / XJL_START_GROUP; g++)
        o->block[from / XJL_START_GROUP + g] = whole[g * XJL_START_GROUP];
    unsigned char *dist = starts_dist(o);
    for (size_t b = 0; b <= n; b++) {
        uint32_t d = whole[b] - whole[b / XJL_START_GROUP * XJL_START_GROUP];
        if (o->bytes == 1)
            dist[from + b] = (uint8_t)d;
        else if (o->bytes == 2)
            ((uint16_t *)dist)[from + b] = (uint16_t)d;
        else
            ((uint32_t *)dist)[from + b] = d;
    }
    o->done = from + n + 1;
    return XJL_OK;
}

/* The whole starts of a table's buckets (buckets + 1 of them) into its
 * group starts and narrow distances, at once. */
static int narrow_starts(struct search_table *tab, const uint32_t *whole, size_t buckets)
{
    struct starts_out so;
    int rc = starts_open(&so, buckets) ? starts_put(&so, 0, whole, buckets) : XJL_ENOMEM;
    if (rc) {
        free(so.block);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the search tables");
    }
    starts_give(&so, tab);
    return XJL_OK;
}

/* The partition after the last of the pass that begins at partition lo:
 * every partition when one pass makes all the keys, else as many as hold
 * limit keys and limit buckets (at least one). */
static size_t pass_end(const uint32_t *gstart, size_t lo, size_t parts, size_t bpp, size_t limit,
                       bool one_pass)
{
    if (one_pass)
        return parts;
    size_t hi = lo + 1;
    while (hi < parts && gstart[hi + 1] - gstart[lo] <= limit && (hi + 1 - lo) * bpp <= limit)
        hi++;
    return hi;
}

int xjl__index_build_table(xjl_index *ix, enum xjl_table t)
{
    struct search_table *tab = &ix->tables[t];
    struct name_memo memo = {0}, *m = t == XJL_T_PINYIN ? &memo : NULL;
    if (m && name_memo_make(ix, m) != XJL_OK)
        return XJL_ENOMEM;
    size_t keys = 0;
    for (size_t i = 0; i < ix->n; i++)
        keys += entry_key_count(ix, t, (uint32_t)i, m);
    /* The tables by record id and by name serve changes, a probe each: four
     * keys a bucket keep them at a quarter of the bucket starts. */
    size_t per_bucket = t == XJL_T_RID || t == XJL_T_NAME ? 4 : 1;
    size_t buckets = 1024;
    while (buckets * per_bucket < keys)
        buckets *= 2;
    size_t parts = buckets > PART_BUCKETS ? buckets / PART_BUCKETS : 1, bpp = buckets / parts;
    struct part_ctx c = {.mask = (uint32_t)(buckets - 1),
                         .shift = (uint32_t)__builtin_ctzll(bpp),
                         .hi = (uint32_t)parts,
                         .counting = true};
    size_t limit = ix->build_pass_keys ? ix->build_pass_keys : PASS_KEYS;
    bool one_pass = keys <= limit;
    struct starts_out so;
    bool room = starts_open(&so, buckets);
    uint32_t *tpos = malloc((keys ? keys : 1) * sizeof *tpos);
    uint32_t *gstart = malloc((parts + 1) * sizeof *gstart); /* where each partition starts */
    uint32_t *whole = NULL;
    c.count = zeroed(parts + 1, sizeof *c.count);
    c.room = one_pass ? keys : 0;
    c.made = malloc((one_pass && keys ? keys : 1) * sizeof *c.made);
    int rc = room && tpos && gstart && c.count && c.made ? XJL_OK : XJL_ENOMEM;
    if (!rc) { /* count the keys of each partition (one pass: and make them) */
        name_memo_rewind(m);
        for (size_t i = 0; i < ix->n; i++)
            entry_keys(ix, t, (uint32_t)i, m, part_make, &c);
        if (c.keys != keys) /* entry_key_count() must count what entry_keys() gives */
            rc = xjl__fail(XJL_EINVAL, "index: internal error: %zu keys counted, %zu made", keys,
                           c.keys);
    }
    size_t most = 0; /* keys of the largest pass */
    if (!rc) {
        uint32_t sum = 0;
        for (size_t p = 0; p <= parts; p++) {
            gstart[p] = sum;
            sum += c.count[p];
        }
        for (size_t lo = 0, hi; lo < parts; lo = hi) {
            hi = pass_end(gstart, lo, parts, bpp, limit, one_pass);
            most = gstart[hi] - gstart[lo] > most ? gstart[hi] - gstart[lo] : most;
        }
        uint64_t *made = one_pass ? c.made : realloc(c.made, (most ? most : 1) * sizeof *c.made);
        c.made = made ? made : c.made;
        c.pairs = malloc((most ? most : 1) * sizeof *c.pairs);
        whole = malloc(((one_pass ? buckets : limit > bpp ? limit : bpp) + 1) * sizeof *whole);
        if (!made || !c.pairs || !whole)
            rc = XJL_ENOMEM;
    }
    c.counting = false;
    for (size_t lo = 0, hi; !rc && lo < parts; lo = hi) {
        hi = pass_end(gstart, lo, parts, bpp, limit, one_pass);
        size_t base = gstart[lo], n = gstart[hi] - base;
        if (!one_pass) { /* this pass's keys, made again */
            c.lo = (uint32_t)lo;
            c.hi = (uint32_t)hi;
            c.keys = 0;
            c.room = n;
            name_memo_rewind(m);
            for (size_t i = 0; i < ix->n; i++)
                entry_keys(ix, t, (uint32_t)i, m, part_make, &c);
            if (c.keys != n) {
                rc = xjl__fail(XJL_EINVAL, "index: internal error: %zu keys of a pass, %zu made", n,
                               c.keys);
                break;
            }
        }
        /* count[p] becomes the first slot of partition p in pairs[], then its write cursor */
        for (size_t p = lo; p < hi; p++)
            c.count[p] = gstart[p] - (uint32_t)base;
        for (size_t k = 0; k < n; k++)
            c.pairs[c.count[c.made[k] >> 32 >> c.shift]++] = c.made[k];
        /* Each partition now ends where the next begins: place its keys.
         * The whole starts of the pass's buckets are whole[0 .. (hi - lo) * bpp]. */
        for (size_t p = lo; p < hi; p++) {
            uint32_t from = gstart[p] - (uint32_t)base, to = gstart[p + 1] - (uint32_t)base;
            uint32_t *start = whole + (p - lo) * bpp, first = (uint32_t)(p * bpp);
            memset(start, 0, (bpp + 1) * sizeof *start);
            for (uint32_t k = from; k < to; k++)
                start[(c.pairs[k] >> 32) - first + 1]++;
            start[0] = gstart[p];
            for (size_t b = 0; b < bpp; b++)
                start[b + 1] += start[b];
            /* start[b] is the fill cursor of bucket b here, then restored */
            for (uint32_t k = from; k < to; k++)
                tpos[start[(c.pairs[k] >> 32) - first]++] = (uint32_t)c.pairs[k];
            for (size_t b = bpp; b > 0; b--)
                start[b] = start[b - 1];
            start[0] = gstart[p];
        }
        whole[(hi - lo) * bpp] = gstart[hi];
        rc = starts_put(&so, lo * bpp, whole, (hi - lo) * bpp);
    }
    name_memo_free(m);
    free(c.count);
    free(c.made);
    free(c.pairs);
    free(gstart);
    free(whole);
    if (rc) {
        free(so.block);
        free(tpos);
        return rc == XJL_ENOMEM
                   ? xjl__fail(XJL_ENOMEM, "index: out of memory for the search tables")
                   : rc;
    }
    tab->mask = c.mask;
    tab->n = keys;
    tab->pos = tpos;
    starts_give(&so, tab);
    return XJL_OK;
}

/* Building is four independent jobs on the pool: the pinyin and ID search
 * tables, the table by name and the one by record id; the names are counted
 * from the table by name once all are done.  The last two are what a change
 * needs (delta.c): built here, on the pool, and saved with the file, the
 * first change of an index costs what the others do. */
enum { BUILD_JOBS = 4 };

struct build {
    xjl_index *ix;
};

/* How many records have each BARE name, exactly: the entries are grouped
 * by name in a table by the name's hash (T_NAME), and each bucket, which
 * holds one name or a few, is counted name by name.  Exact, so that a count
 * can be kept under change (delta.c) and a changed index scores as one
 * built from the registry as it is now.  The table is then cut to one
 * record of each name, in place, and kept: a change finds a name's count
 * among the built records through it in one probe, however common the
 * name, and the table is a position per name rather than per record. */
static int big_name_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct xjl_big_name *)a)->name_off,
             y = ((const struct xjl_big_name *)b)->name_off;
    return (x > y) - (x < y);
}

uint32_t xjl__built_name_record(const xjl_index *ix, const char *bare)
{
    uint32_t from, to;
    const uint32_t *pos =
        xjl__index_bucket(ix, XJL_T_NAME, xjl__name_hash(bare), SIZE_MAX, &from, &to);
    for (uint32_t k = from; k < to; k++) {
        if (pos[k] >= ix->n) /* no record: a damaged file opened without its bounds checked */
            continue;
        const struct xjl_entry *e = &ix->entries[pos[k]];
        if ((e->flags & XJL_ENTRY_NAME_OK) && strcmp(xjl__index_str(ix, e->name_off), bare) == 0)
            return pos[k];
    }
    return UINT32_MAX;
}

uint32_t xjl__entry_base_count(const xjl_index *ix, const struct xjl_entry *e)
{
    if (e->name_count < XJL_NAME_COUNT_BIG)
        return e->name_count;
    /* a common name: a binary search of a few thousand names at most (a
     * name of 255 records or more is one in several thousand), by where the
     * built records' names hold it: a changed record's name, in the
     * delta's strings, is first found among them */
    uint32_t off = e->name_off;
    if (!xjl__entry_is_built(ix, e)) {
        uint32_t pos = xjl__built_name_record(ix, xjl__index_str(ix, e->name_off));
        if (pos == UINT32_MAX)
            return XJL_NAME_COUNT_BIG; /* not reached: its count came from a built record */
        off = ix->entries[pos].name_off;
    }
    const struct xjl_big_name *big = xjl__big_name_find(ix->big_names, ix->nbig, off);
    return big ? big->n : XJL_NAME_COUNT_BIG; /* not found: not in a sound index (verify checks) */
}

static int count_names(xjl_index *ix)
{
    int rc = XJL_OK;
    struct search_table *t = &ix->tables[XJL_T_NAME];
    uint32_t *pos = (uint32_t *)t->pos; /* built just now */
    size_t buckets = (size_t)t->mask + 1;
    /* the new whole starts, narrowed again at the end (narrow_starts()) */
    uint32_t *whole = malloc((buckets + 1) * sizeof *whole);
    if (!whole)
        return xjl__fail(XJL_ENOMEM, "index: out of memory counting names");
    /* A built index holds each name once (split_strings): records of one
     * name share its offset, so the names are told apart by it, exactly. */
    struct name_tally {
        uint32_t name_off, n, first;
    } *tally = NULL;
    size_t cap = 0, big_cap = 0;
    uint32_t kept = 0;
    struct xjl_big_name *big = NULL;
    ix->nbig = 0;
    for (size_t b = 0; b < buckets && !rc; b++) {
        uint32_t from = xjl__table_start(t, b), to = xjl__table_start(t, b + 1);
        size_t nt = 0;
        for (uint32_t k = from; k < to; k++) {
            uint32_t off = ix->entries[pos[k]].name_off;
            size_t j = 0;
            while (j < nt && tally[j].name_off != off)
                j++;
            if (j == nt) {
                if (XJL_GROW(tally, cap, nt + 1, 16)) {
                    rc = xjl__fail(XJL_ENOMEM, "index: out of memory counting names");
                    break;
                }
                tally[nt++] = (struct name_tally){off, 0, pos[k]};
            }
            tally[j].n++;
        }
        for (uint32_t k = from; k < to && !rc; k++) {
            struct xjl_entry *e = &ix->entries[pos[k]];
            for (size_t j = 0; j < nt; j++)
                if (tally[j].name_off == e->name_off)
                    e->name_count = (uint8_t)(tally[j].n < XJL_NAME_COUNT_BIG ? tally[j].n
                                                                              : XJL_NAME_COUNT_BIG);
        }
        for (size_t j = 0; j < nt && !rc; j++) {
            if (tally[j].n < XJL_NAME_COUNT_BIG)
                continue;
            if (XJL_GROW(big, big_cap, ix->nbig + 1, 64))
                rc = xjl__fail(XJL_ENOMEM, "index: out of memory counting names");
            else
                big[ix->nbig++] = (struct xjl_big_name){tally[j].name_off, tally[j].n};
        }
        /* the bucket's names, a record each (kept <= from: read already) */
        whole[b] = kept;
        for (size_t j = 0; j < nt && !rc; j++)
            pos[kept++] = tally[j].first;
    }
    free(tally);
    if (big)
        qsort(big, ix->nbig, sizeof *big, big_name_cmp);
    ix->big_names = big;
    if (!rc) {
        whole[buckets] = kept;
        release(ix, t->base); /* the distances lie in the same block */
        t->base = NULL;
        t->start = NULL;
        rc = narrow_starts(t, whole, buckets);
    }
    free(whole);
    if (rc)
        return rc;
    t->n = kept;
    uint32_t *shrunk = realloc(pos, (kept ? kept : 1) * sizeof *pos);
    t->pos = shrunk ? shrunk : pos;
    return XJL_OK;
}

static int build_job(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct build *b = ctx;
    (void)to, (void)worker;
    if (from == 0)
        return xjl__index_build_table(b->ix, XJL_T_PINYIN);
    if (from == 1)
        return xjl__index_build_table(b->ix, XJL_T_ID);
    if (from == 3) /* ascending record ids are found by a binary search instead */
        return b->ix->rids_ascend ? XJL_OK : xjl__index_build_table(b->ix, XJL_T_RID);
    /* counted after the joins: the table builders read the entries */
    return xjl__index_build_table(b->ix, XJL_T_NAME);
}

/* Records per birth date: a pass over the entries, at the build (an opened
 * index has them in its file). */
int xjl__index_count_dates(xjl_index *ix)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    size_t n = xjl__index_positions(ix);
    for (uint32_t i = 0; i < n; i++) {
        const struct xjl_entry *e = xjl__entry(ix, i);
        if (xjl__entry_dob(e) != XJL_DATE_NONE && !xjl__index_dead(ix, i)) {
            lo = xjl__entry_dob(e) < lo ? xjl__entry_dob(e) : lo;
            hi = xjl__entry_dob(e) > hi ? xjl__entry_dob(e) : hi;
        }
    }
    release(ix, ix->dates);
    ix->dates = NULL;
    ix->ndates = 0;
    ix->live_lo = 1;
    ix->live_hi = 0;
    if (lo > hi)
        return XJL_OK;
    ix->dates = zeroed((size_t)hi - lo + 1, sizeof *ix->dates);
    if (!ix->dates)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the birth dates");
    ix->date_lo = ix->live_lo = lo;
    ix->live_hi = hi;
    ix->ndates = (uint32_t)(hi - lo + 1);
    for (uint32_t i = 0; i < n; i++) {
        const struct xjl_entry *e = xjl__entry(ix, i);
        if (xjl__entry_dob(e) != XJL_DATE_NONE && !xjl__index_dead(ix, i))
            ix->dates[xjl__entry_dob(e) - lo]++;
    }
    return XJL_OK;
}

/* The registry's dates span this many days at most for an estimate per date
 * (a registry of all ages has none: its name weights are registry-wide). */
#define DATE_SPAN_MAX (300 * 366)

uint32_t xjl__index_date_count(const xjl_index *ix, int32_t day)
{
    if (day == XJL_DATE_NONE || ix->live_lo > ix->live_hi ||
        (int64_t)ix->live_hi - ix->live_lo >= DATE_SPAN_MAX || day < ix->live_lo ||
        day > ix->live_hi)
        return 0;
    return ix->dates[day - ix->date_lo];
}

/* The strings of a built index: each BARE name once, shared by the records
 * that bear it, and the record ids apart, in position order.  While records
 * are added, each keeps its name and its id together in the arena (a block
 * of records read on a worker is appended as it is); the build moves them
 * here.  A registry of millions holds about a fifth as many names as
 * records, and most bytes of the arena were names said again: at 5,000,000
 * generated records the strings shrink from 19.9 to 12.7 bytes a record,
 * and further as the registry grows.  The ids' block starts are 64-bit, so
 * a registry's ids are not limited to 4 GiB together; the names and the ID
 * numbers that do not pack stay under 4 GiB (entries hold 32-bit offsets).
 * The ids are compared as they are copied: whether they ascend decides how
 * an id is found (xjl_index.rids_ascend).
 *
 * The names are found again through an open-addressing table of their
 * offsets, kept at most half full and doubled as names come, so that it
 * follows the names and not the records.  Nothing of the index changes
 * until every allocation has succeeded: a failure leaves it as it was.
 * The ids then move down within the arena itself, which the names have
 * left: each record's strings lie after the ones of the records before it
 * (as every way of adding records writes them), so an id never moves onto
 * strings not read yet, and no new memory is written for them (at
 * 5,000,000 records, 50 MB and 12,000 page faults fewer). */

/* The table of names seen: offset + 1 of each in names (0: a free slot). */
struct name_set {
    uint32_t *slot;
    size_t mask, count;
};

/* Doubles the table; false when out of memory (the table is kept). */
static bool name_set_grow(struct name_set *t, const char *names)
{
    size_t slots = (t->mask + 1) * 2;
    uint32_t *grown = calloc(slots, sizeof *grown);
    if (!grown)
        return false;
    for (size_t k = 0; k <= t->mask; k++) {
        if (!t->slot[k])
            continue;
        const char *name = names + t->slot[k] - 1;
        size_t j = (size_t)XXH3_64bits(name, strlen(name)) & (slots - 1);
        while (grown[j])
            j = (j + 1) & (slots - 1);
        grown[j] = t->slot[k];
    }
    free(t->slot);
    t->slot = grown;
    t->mask = slots - 1;
    return true;
}

uint64_t xjl__name_hash(const char *bare)
{
    return XXH3_64bits(bare, strlen(bare));
}

uint64_t xjl__entry_name_hash(const xjl_index *ix, const struct xjl_entry *e)
{
    return xjl__name_hash(xjl__index_str(ix, e->name_off));
}

static int split_strings(xjl_index *ix)
{
    size_t n = ix->n, nblocks = (size_t)xjl__rid_blocks(n);
    /* the ids move down in place: each record's strings come after the
     * ones before (append_row, xjl__index_copy_entry and part_append write
     * them so) */
    for (size_t i = 1; i < n; i++)
        if (ix->entries[i].name_off <= ix->entries[i - 1].name_off)
            return xjl__fail(XJL_EINVAL,
                             "index: internal error: record %zu's strings lie before "
                             "those of the record before it",
                             i);
    struct name_set seen = {calloc(1u << 16, sizeof *seen.slot), (1u << 16) - 1, 0};
    uint64_t *block = malloc((nblocks + 1) * sizeof *block);
    char *names = malloc(ix->arena_len ? ix->arena_len : 1); /* the names take less */
    uint32_t *name_off = malloc((n ? n : 1) * sizeof *name_off);
    bool ok = seen.slot && block && names && name_off;
    char *rids = ix->arena ? ix->arena : malloc(1); /* (no record was added) */
    ok = ok && rids;
    /* A name's slot and the name it holds are cache misses: names are
     * hashed AHEAD records early and their slots fetched, and half way the
     * name a slot holds. */
    enum { AHEAD = 16 };
    uint64_t hash[AHEAD];
    size_t hlen[AHEAD];
    for (size_t k = 0; k < AHEAD && k < n; k++) {
        hlen[k] = strlen(ix->arena + ix->entries[k].name_off);
        hash[k] = XXH3_64bits(ix->arena + ix->entries[k].name_off, hlen[k]);
    }
    size_t used = 0;
    for (size_t i = 0; i < n && ok; i++) {
        const char *name = ix->arena + ix->entries[i].name_off;
        size_t len = hlen[i % AHEAD], j = (size_t)hash[i % AHEAD] & seen.mask;
        if (i + AHEAD < n) {
            const struct xjl_entry *next = &ix->entries[i + AHEAD];
            hlen[i % AHEAD] = strlen(ix->arena + next->name_off);
            hash[i % AHEAD] = XXH3_64bits(ix->arena + next->name_off, hlen[i % AHEAD]);
            __builtin_prefetch(&seen.slot[hash[i % AHEAD] & seen.mask]);
        }
        if (i + AHEAD / 2 < n) {
            uint32_t held = seen.slot[hash[(i + AHEAD / 2) % AHEAD] & seen.mask];
            if (held)
                __builtin_prefetch(names + held - 1);
        }
        while (seen.slot[j] && strcmp(names + seen.slot[j] - 1, name) != 0)
            j = (j + 1) & seen.mask;
        if (seen.slot[j]) {
            name_off[i] = seen.slot[j] - 1;
            continue;
        }
        /* a new name (the arena was under 4 GiB, and this holds less) */
        memcpy(names + used, name, len + 1);
        seen.slot[j] = (uint32_t)used + 1;
        name_off[i] = (uint32_t)used;
        used += len + 1;
        if (++seen.count * 2 > seen.mask + 1 && !name_set_grow(&seen, names))
            ok = false;
    }
    free(seen.slot);
    if (!ok) {
        if (rids != ix->arena)
            free(rids);
        free(block);
        free(names);
        free(name_off);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the strings of %zu records", n);
    }
    /* Nothing fails from here.  Each record: its id moved down (read before
     * anything is written over it, memmove for the overlap), the ID number
     * kept as text after the names (the buffer has room). */
    size_t at = 0, prev_rid = 0;
    bool ascend = true;
    for (size_t i = 0; i < n; i++) {
        struct xjl_entry *e = &ix->entries[i];
        const char *name = ix->arena + e->name_off;
        const char *rid = name + strlen(name) + 1;
        size_t rid_len = strlen(rid);
        if (e->id64 & XJL_ID_IN_ARENA) { /* after the id: copied before it moves */
            const char *id = ix->arena + (uint32_t)e->id64;
            size_t id_len = strlen(id);
            memcpy(names + used, id, id_len + 1);
            e->id64 = XJL_ID_IN_ARENA | (uint32_t)used;
            used += id_len + 1;
        }
        if (i % XJL_RID_BLOCK == 0)
            block[i / XJL_RID_BLOCK] = at;
        memmove(rids + at, rid, rid_len + 1);
        if (i && ascend && strcmp(rids + prev_rid, rids + at) >= 0)
            ascend = false;
        prev_rid = at;
        at += rid_len + 1;
        e->name_off = name_off[i];
    }
    block[nblocks] = at;
    free(name_off);
    if (rids != ix->arena)
        free(ix->arena);
    char *fit = used ? realloc(names, used) : names;
    ix->arena = fit ? fit : names;
    ix->arena_len = used;
    ix->arena_cap = used ? used : 1;
    fit = at ? realloc(rids, at) : rids;
    ix->rids = fit ? fit : rids;
    ix->rid_block = block;
    ix->rids_len = at;
    ix->rids_ascend = ascend;
    return XJL_OK;
}

XJL_API int xjl_index_build(xjl_index *ix, unsigned threads)
{
    if (!ix)
        return xjl__fail(XJL_EINVAL, "xjl_index_build: NULL index");
    if (ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_build: the index is built already");

    struct build b = {.ix = ix};
    for (size_t i = 0; i < ix->n; i++)
        ix->entries[i].name_count = 1; /* a record without a usable name */
    /* (done already when a build that failed later is tried again) */
    int rc = ix->rid_block ? XJL_OK : split_strings(ix);
    if (rc)
        return rc;
    rc = xjl__pool_run_for(threads, BUILD_JOBS, 1, build_job, &b);
    if (!rc)
        rc = count_names(ix);
    if (!rc)
        rc = xjl__index_count_dates(ix);
    if (!rc)
        rc = xjl__near_build(ix);
    if (rc)
        return rc;
    /* Give back what the growth of the arrays left unused. */
    if (ix->n && ix->n < ix->cap) {
        struct xjl_entry *e = realloc(ix->entries, ix->n * sizeof *e);
        if (e) {
            ix->entries = e;
            ix->cap = ix->n;
        }
    }
    ix->built = true;
    return XJL_OK;
}

/* ---- the delta's memory and search (delta.c makes it) ------------------- */

static void map_free(struct xjl_delta_map *m)
{
    free(m->head);
    free(m->items);
}

void xjl__delta_free(struct xjl_delta *d)
{
    if (!d)
        return;
    free(d->e);
    free(d->tags);
    for (size_t i = 0; i < d->nchunks; i++)
        free(d->chunk[i]);
    free(d->chunk);
    free(d->dead);
    for (int t = 0; t < XJL_T_COUNT; t++)
        map_free(&d->map[t]);
    map_free(&d->near);
    free(d->name_key);
    free(d->name_adj);
    free(d);
}

/* The hits come newest first: a caller that needs them in position order
 * sorts them (match.c). */
void xjl__delta_probe(const xjl_index *ix, enum xjl_table t, uint64_t key,
                      void (*fn)(void *ctx, uint32_t pos), void *ctx)
{
    const struct xjl_delta_map *m = &ix->delta->map[t];
    if (!m->head)
        return;
    for (uint32_t i = m->head[key & m->mask]; i; i = m->items[i - 1].next)
        if (m->items[i - 1].key == key)
            fn(ctx, m->items[i - 1].pos);
}

/* ---- reading a built index ---------------------------------------------- */

size_t xjl__index_probe(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                        void (*fn)(void *ctx, uint32_t pos), void *ctx)
{
    uint32_t from, to;
    const uint32_t *pos = xjl__index_bucket(ix, t, key, limit, &from, &to);
    for (uint32_t k = from; k < to; k++)
        if (pos[k] < ix->n) /* a base table's; one beyond, from a damaged file, is no record */
            fn(ctx, pos[k]);
    return to - from;
}

const uint32_t *xjl__index_bucket(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                                  uint32_t *from, uint32_t *to)
{
    const struct search_table *tab = &ix->tables[t];
    *from = *to = 0;
    if (!tab->start)
        return NULL;
    uint32_t b = (uint32_t)(key & tab->mask);
    *from = xjl__table_start(tab, b);
    *to = xjl__table_start(tab, (size_t)b + 1);
    /* A table mapped from a file is checked by xjl_index_verify(), not at
     * open: a damaged bucket bound still stays inside the positions. */
    if (*to > tab->n)
        *to = (uint32_t)tab->n;
    if (*from > *to)
        *from = *to;
    if (*to - *from > limit)
        *to = *from + (uint32_t)limit;
    return tab->pos;
}

unsigned xjl__index_table_mask(const xjl_index *ix)
{
    unsigned mask = 0;
    for (int t = 0; t < XJL_T_COUNT; t++)
        if (ix->tables[t].start)
            mask |= 1u << t;
    return mask;
}

const struct xjl_entry *xjl__index_entries(const xjl_index *ix, size_t *n)
{
    *n = ix->n;
    return ix->entries;
}

const struct xjl__file_id *xjl__index_sources(const xjl_index *ix, size_t *n)
{
    *n = ix->nsources;
    return ix->sources;
}

bool xjl__index_is_built(const xjl_index *ix)
{
    return ix->built;
}

XJL_API size_t xjl_index_count(const xjl_index *ix)
{
    if (!ix)
        return 0;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    size_t n = xjl__index_live(ix);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return n;
}

XJL_API size_t xjl_index_positions(const xjl_index *ix)
{
    if (!ix)
        return 0;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    size_t n = xjl__index_positions(ix);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return n;
}

XJL_API size_t xjl_index_memory(const xjl_index *ix)
{
    if (!ix)
        return 0;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    size_t m =
        sizeof *ix + ix->cap * sizeof *ix->entries + ix->arena_cap + ix->ndates * sizeof *ix->dates;
    if (ix->rid_block)
        m += ix->rids_len + (xjl__rid_blocks(ix->n) + 1) * sizeof *ix->rid_block;
    if (ix->near_days)
        m += ((size_t)ix->near_slots + 2) * sizeof(uint32_t) +
             ix->near_n * (sizeof *ix->near_pos + sizeof *ix->near_sig);
    for (int t = 0; t < XJL_T_COUNT; t++)
        m += xjl__table_start_bytes(&ix->tables[t]) + ix->tables[t].n * sizeof(uint32_t);
    const struct xjl_delta *d = ix->delta;
    if (d) {
        m += sizeof *d + d->cap * sizeof *d->e + (d->nchunks << XJL_DELTA_CHUNK_BITS) +
             d->dead_words * 8 + d->name_cap * (sizeof *d->name_key + sizeof *d->name_adj);
        for (int t = 0; t < XJL_T_COUNT; t++)
            m += (d->map[t].head ? (size_t)d->map[t].mask + 1 : 0) * sizeof(uint32_t) +
                 d->map[t].cap * sizeof *d->map[t].items;
    }
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return m;
}

XJL_API const char *xjl_index_record_id(const xjl_index *ix, size_t pos)
{
    if (!ix)
        return NULL;
    const char *id = NULL;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    /* a delta's strings never move: the id stays valid after the lock */
    if (pos < xjl__index_positions(ix) && !xjl__index_dead(ix, (uint32_t)pos))
        id = xjl__entry_rid(ix, (uint32_t)pos);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return id;
}

struct rid_find {
    const xjl_index *ix;
    const char *rid;
    size_t found;
};

static void rid_match(void *ctx, uint32_t pos)
{
    struct rid_find *f = ctx;
    if (f->found == (size_t)-1 && !xjl__index_dead(f->ix, pos) &&
        strcmp(xjl__entry_rid(f->ix, pos), f->rid) == 0)
        f->found = pos;
}

/* The built record with record_id when the built records' ids ascend (a
 * binary search: about 23 string comparisons at 5,000,000 records), or -1. */
static size_t find_ascending(const xjl_index *ix, const char *record_id)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(xjl__entry_rid(ix, (uint32_t)mid), record_id);
        if (c == 0)
            return xjl__index_dead(ix, (uint32_t)mid) ? (size_t)-1 : mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (size_t)-1;
}

size_t xjl__index_find_id(const xjl_index *ix, const char *record_id)
{
    struct rid_find f = {ix, record_id, (size_t)-1};
    if (ix->rids_ascend) {
        f.found = find_ascending(ix, record_id);
    } else {
        xjl_index *mut = (xjl_index *)ix; /* T_RID is a cache: built once under the lock */
        pthread_mutex_lock(&mut->rid_lock);
        int rc = mut->tables[XJL_T_RID].start ? XJL_OK : xjl__index_build_table(mut, XJL_T_RID);
        pthread_mutex_unlock(&mut->rid_lock);
        if (rc)
            return (size_t)-1;
        xjl__index_probe(ix, XJL_T_RID, XXH3_64bits(record_id, strlen(record_id)), SIZE_MAX,
                         rid_match, &f);
    }
    if (ix->delta && f.found == (size_t)-1)
        xjl__delta_probe(ix, XJL_T_RID, XXH3_64bits(record_id, strlen(record_id)), rid_match, &f);
    return f.found;
}

XJL_API size_t xjl_index_find_id(const xjl_index *ix, const char *record_id)
{
    if (!ix || !record_id || !ix->built)
        return (size_t)-1;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    size_t pos = xjl__index_find_id(ix, record_id);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return pos;
}

XJL_API int xjl_index_record(const xjl_index *ix, size_t pos, xjl_parsed *out)
{
    if (!ix || !out)
        return xjl__fail(XJL_EINVAL, "xjl_index_record: NULL %s", ix ? "out" : "index");
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    size_t n = xjl__index_positions(ix);
    if (pos >= n || xjl__index_dead(ix, (uint32_t)pos)) {
        pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
        return xjl__fail(XJL_ENOTFOUND, "xjl_index_record: no record at position %zu of %zu%s", pos,
                         n, pos < n ? " (removed or replaced)" : "");
    }
    const struct xjl_entry *e = xjl__entry(ix, (uint32_t)pos);
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", xjl__index_str(ix, e->name_off));
    out->gender = (xjl_gender)e->gender;
    out->birth_date = xjl__entry_dob(e);
    out->id_type = (xjl_id_type)e->id_type;
    out->id.kind = (xjl_id_kind)e->id_kind;
    out->id.birth_date = xjl__entry_id_dob(e);
    if (e->id64 & XJL_ID_IN_ARENA)
        snprintf(out->id.normalized, sizeof out->id.normalized, "%s",
                 xjl__index_str(ix, (uint32_t)e->id64));
    else if (e->id64)
        xjl__id_unpack(e->id64, out->id.normalized);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return XJL_OK;
}
