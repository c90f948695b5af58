/*
 * The registry index.  Records are read once into packed 48-byte entries
 * (struct xjl_entry) and an arena of strings (BARE names, record ids, the
 * rare ID numbers that do not pack into 64 bits).  xjl_index_build() then
 * lays out one search table per key as two flat arrays — bucket starts and
 * positions, grouped by bucket with a counting sort — so a table costs
 * about six bytes a key, a probe is one bucket read, and the frozen index is
 * plain read-only memory that any number of threads can share.
 *
 * Keys (hashes with XXH3, so the layout does not depend on the machine):
 *   T_ID      the ID number;
 *   T_PINYIN  toneless pinyin + birth date, and + the birth date inside the
 *             ID number where that differs.  Finds ID typos, missing IDs,
 *             homophones (同音字) and, since equal SIMPLIFIED forms have
 *             equal pinyin, exact names and traditional characters too: one
 *             table serves them all, so a query makes half the probes;
 *   T_RID     the record id (built on first use by xjl_index_find_id).
 * The matcher probes T_PINYIN again with the likely typos of the
 * query's date (±1 day, day and month swapped).
 */
#include "match/matching.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>

/* ---- packing ------------------------------------------------------------ */

_Static_assert(sizeof(struct xjl_entry) == 48, "a registry entry stays 48 bytes");

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
    for (int i = 16; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
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
            const char *tw = w[b]; w[b] = w[b - 1]; w[b - 1] = tw;
            size_t tl = wl[b]; wl[b] = wl[b - 1]; wl[b - 1] = tl;
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
    e->dob = (p->findings[XJL_FIELD_BIRTH_DATE] == 0) ? p->birth_date : XJL_DATE_NONE;
    e->id_dob = p->id.birth_date;
    e->gender = (uint8_t)p->gender;
    e->id_type = (uint8_t)p->id_type;
    e->id_kind = (uint8_t)p->id.kind;
    if (in->name_ok) {
        e->flags |= XJL_ENTRY_NAME_OK;
        e->bare_h = XXH3_64bits(nf->bare, nf->bare_len);
        if (nf->display_len != nf->bare_len)
            e->flags |= XJL_ENTRY_SEPARATED;
        /* A Latin name has no pinyin: its key is its words in any order. */
        if (nf->latin) {
            e->flags |= XJL_ENTRY_LATIN;
            e->py_h = hash_words_sorted(nf->display, nf->display_len);
        } else {
            e->py_h = XXH3_64bits(nf->pinyin, sizeof nf->pinyin[0] * nf->ncps);
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

/* ---- construction ------------------------------------------------------- */

XJL_API int xjl_index_new(xjl_index **out)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_index_new: NULL out");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return xjl__fail(XJL_ENOMEM, "xjl_index_new: out of memory");
    pthread_mutex_init(&(*out)->rid_lock, NULL);
    return XJL_OK;
}

/* Frees an array of ix unless it lies in the file ix was opened from. */
static void release(const xjl_index *ix, const void *p)
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
        release(ix, ix->tables[t].start);
        release(ix, ix->tables[t].pos);
    }
    release(ix, ix->entries);
    release(ix, ix->arena);
    if (ix->map)
        munmap(ix->map, ix->map_len);
    pthread_mutex_destroy(&ix->rid_lock);
    free(ix);
}

static int reserve_entries(xjl_index *ix, size_t more)
{
    if (ix->n + more <= ix->cap)
        return XJL_OK;
    if (ix->n + more > UINT32_MAX - 1)
        return xjl__fail(XJL_ENOMEM, "index: more than %u records", UINT32_MAX - 1);
    size_t cap = ix->cap ? ix->cap : 1024;
    while (cap < ix->n + more)
        cap *= 2;
    struct xjl_entry *e = realloc(ix->entries, cap * sizeof *e);
    if (!e)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for %zu records", cap);
    ix->entries = e;
    ix->cap = cap;
    return XJL_OK;
}

/* Appends s (len bytes) and a NUL to a growable buffer; *off receives where
 * it starts.  Offsets are 32 bits: a buffer stays under 4 GiB. */
static int buf_put(char **buf, size_t *used, size_t *cap, size_t first_cap, const char *s,
                   size_t len, uint32_t *off, const char *what)
{
    if (*used + len + 1 > *cap) {
        size_t ncap = *cap ? *cap : first_cap;
        while (ncap < *used + len + 1)
            ncap *= 2;
        if (ncap > UINT32_MAX)
            return xjl__fail(XJL_ENOMEM, "index: %s over 4 GiB", what);
        char *b = realloc(*buf, ncap);
        if (!b)
            return xjl__fail(XJL_ENOMEM, "index: out of memory for %s", what);
        *buf = b;
        *cap = ncap;
    }
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
    if ((rc = arena_append(ix, row->bare, row->bare_len, &row->e.name_off)) ||
        (rc = arena_append(ix, rid, rid_len, &row->e.rid_off)))
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
    if (pos >= src->n)
        return xjl__fail(XJL_ENOTFOUND, "index: no record at position %zu of %zu", pos, src->n);
    struct xjl_entry e = src->entries[pos];
    const char *bare = src->arena + e.name_off;
    if (!record_id)
        record_id = src->arena + e.rid_off;
    int rc;
    if ((rc = reserve_entries(dst, 1)) ||
        (rc = arena_append(dst, bare, strlen(bare), &e.name_off)) ||
        (rc = arena_append(dst, record_id, strlen(record_id), &e.rid_off)))
        return rc;
    if (e.id64 & XJL_ID_IN_ARENA) {
        const char *id = src->arena + (uint32_t)e.id64;
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

XJL_API int xjl_index_add(xjl_index *ix, const char *record_id, const xjl_record *rec)
{
    if (!ix || !rec)
        return xjl__fail(XJL_EINVAL, "xjl_index_add: NULL %s", ix ? "record" : "index");
    if (ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_add: the index is built and read-only");
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

/* ---- reading a registry file in parallel ---------------------------------
 * Reading the fields of a record (NFKC, pinyin, check digits) is most of
 * the work of loading a registry, and scanning the CSV is a good part of
 * the rest, so both run on all cores:
 *
 *   this thread    cuts the file into blocks of whole rows (read(), a
 *                  memchr for quotes, a memrchr for the last line break:
 *                  xjl__csv_take_block) and appends finished blocks to the
 *                  index in file order;
 *   workers        each scan a block with a reader of its own, pack its
 *                  records into a small index of the block's own (entries
 *                  and arena, as xjl_index_add would make them) and keep its
 *                  bad-row reports.
 *
 * Appending a block is two copies and an offset shift per entry, so the
 * index is the same, byte for byte, as if the rows were added one by one.
 * Reports go to the caller's callback from this thread, in file order. */

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

enum block_state { BLOCK_FREE, BLOCK_READ, BLOCK_PACKING, BLOCK_PACKED };

struct block {
    struct xjl_csv_block text;
    enum block_state state;
    xjl_index *part;     /* the block's records; reused from block to block */
    uint32_t *rowno;     /* without an id column: each record's row number in the block */
    size_t rowno_cap;
    size_t rows, bad;    /* data rows read (loaded or not), rows not loaded */
    struct bad_row *reports;
    size_t nreports, reports_cap;
    int rc;              /* the block could not be read to its end */
    char *err;           /* ... and why (xjl_errmsg() of the worker) */
};

struct loader {
    xjl_lang lang;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const xjl_csv *csv;
    const char *path;
    size_t ncols;
    int cols[5], idcol;
    struct block *slots;
    size_t nslots;
    size_t taken;   /* blocks handed to workers (index of the next one) */
    size_t read;    /* blocks cut from the file */
    bool closing;   /* no more blocks will come */
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

static int block_fail(struct block *b, int rc)
{
    b->rc = rc;
    b->err = strdup(xjl_errmsg());
    return rc;
}

/* Reads and packs the rows of one block into b->part. */
static bool row_loads(xjl_csv *csv, size_t ncols, const int cols[5], int idcol, const char *path,
                      xjl_diag_fn diag, void *user, bool nul_possible, xjl_lang lang);

static void pack_block(const struct loader *ld, struct block *b, struct xjl_key_input *scratch,
                       struct packed_row *row)
{
    b->rows = b->bad = 0;
    b->rc = 0;
    b->part->n = 0;
    b->part->arena_len = 0;
    xjl_csv *csv = NULL;
    int r = xjl__csv_block_reader(ld->csv, &b->text, &csv);
    if (r < 0) {
        block_fail(b, r);
        return;
    }
    /* One memchr of the block spares six a row: NUL bytes are rare. */
    bool nul_possible = memchr(b->text.text, '\0', b->text.len) != NULL;
    while ((r = xjl_csv_next(csv)) == 1) {
        b->rows++;
        if (!row_loads(csv, ld->ncols, ld->cols, ld->idcol, ld->path, keep_report, b,
                       nul_possible, ld->lang)) {
            b->bad++;
            continue;
        }
        size_t lens[5];
        xjl_record rec = {
            xjl_csv_field(csv, (size_t)ld->cols[0], &lens[0]),
            xjl_csv_field(csv, (size_t)ld->cols[1], &lens[1]),
            xjl_csv_field(csv, (size_t)ld->cols[2], &lens[2]),
            xjl_csv_field(csv, (size_t)ld->cols[3], &lens[3]),
            xjl_csv_field(csv, (size_t)ld->cols[4], &lens[4]),
        };
        pack_row(&rec, lens, scratch, row);
        size_t rid_len = 0;
        const char *rid = "";
        if (ld->idcol >= 0) {
            rid = xjl_csv_field(csv, (size_t)ld->idcol, &rid_len);
        } else {
            /* the row number counts the rows of the blocks before: given when appended */
            if (b->part->n == b->rowno_cap) {
                size_t cap = b->rowno_cap ? b->rowno_cap * 2 : 4096;
                uint32_t *g = realloc(b->rowno, cap * sizeof *g);
                if (!g) {
                    r = xjl__fail(XJL_ENOMEM, "index: out of memory reading rows");
                    break;
                }
                b->rowno = g;
                b->rowno_cap = cap;
            }
            b->rowno[b->part->n] = (uint32_t)b->rows;
        }
        if ((r = append_row(b->part, row, rid, rid_len)) != XJL_OK)
            break;
    }
    if (r < 0)
        block_fail(b, r);
    xjl_csv_close(csv);
}

static void *load_worker(void *arg)
{
    struct loader *ld = arg;
    struct xjl_key_input *scratch = malloc(sizeof *scratch);
    struct packed_row *row = malloc(sizeof *row);
    pthread_mutex_lock(&ld->mu);
    for (;;) {
        while (ld->taken == ld->read && !ld->closing)
            pthread_cond_wait(&ld->cv, &ld->mu);
        if (ld->taken == ld->read)
            break; /* closing, and nothing left */
        struct block *b = &ld->slots[ld->taken++ % ld->nslots];
        b->state = BLOCK_PACKING;
        pthread_mutex_unlock(&ld->mu);
        if (scratch && row)
            pack_block(ld, b, scratch, row);
        else
            block_fail(b, xjl__fail(XJL_ENOMEM, "index: out of memory reading rows"));
        pthread_mutex_lock(&ld->mu);
        b->state = BLOCK_PACKED;
        pthread_cond_broadcast(&ld->cv);
    }
    pthread_mutex_unlock(&ld->mu);
    free(scratch);
    free(row);
    return NULL;
}

/* Appends a packed block to ix: its bad-row reports to diag, its records
 * after those of the blocks before.  *rows_before counts the data rows of
 * those blocks (the ids when the file has no id column). */
static int append_block(xjl_index *ix, struct block *b, size_t *rows_before, xjl_diag_fn diag,
                        void *user, const char *path)
{
    for (size_t i = 0; i < b->nreports; i++) {
        struct bad_row *r = &b->reports[i];
        if (diag)
            diag(user, path, r->line, r->column, r->value, r->message);
        free(r->column);
        free(r->value);
        free(r->message);
    }
    b->nreports = 0;
    const xjl_index *part = b->part;
    int rc = reserve_entries(ix, part->n);
    if (rc)
        return rc;
    if (b->rowno) {
        /* No id column: the id is the row number in the file, given to each
         * record as it is copied over. */
        for (size_t i = 0; i < part->n && !rc; i++) {
            char num[24];
            snprintf(num, sizeof num, "%zu", *rows_before + b->rowno[i]);
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
            e.rid_off += base;
            if (e.id64 & XJL_ID_IN_ARENA)
                e.id64 = XJL_ID_IN_ARENA | (uint32_t)((uint32_t)e.id64 + base);
            ix->entries[ix->n++] = e;
        }
    }
    *rows_before += b->rows;
    return rc;
}

static void block_free(struct block *b)
{
    free(b->text.text);
    xjl_index_free(b->part);
    free(b->rowno);
    for (size_t i = 0; i < b->nreports; i++) {
        free(b->reports[i].column);
        free(b->reports[i].value);
        free(b->reports[i].message);
    }
    free(b->reports);
    free(b->err);
}

unsigned xjl__threads(unsigned requested)
{
    if (requested)
        return requested > 256 ? 256 : requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 256 ? 256 : (unsigned)n);
}

static void report_bad_row(xjl_csv *csv, const char *path, xjl_diag_fn diag, void *user,
                           const char *msg)
{
    if (!diag)
        return;
    size_t len0 = 0;
    const char *first = xjl_csv_field_count(csv) ? xjl_csv_field(csv, 0, &len0) : "";
    diag(user, path, xjl_csv_line(csv), NULL, memchr(first, '\0', len0) ? "" : first, msg);
}

/* xjl__index_row_loads(); nul_possible false when the caller knows that the
 * row has no NUL byte (the registry loader checks a whole block at once). */
static bool row_loads(xjl_csv *csv, size_t ncols, const int cols[5], int idcol, const char *path,
                      xjl_diag_fn diag, void *user, bool nul_possible, xjl_lang lang)
{
    struct xjl_row_layout l = {.id = idcol, .ncols = ncols};
    memcpy(l.key, cols, sizeof l.key);
    char msg[256];
    if (!xjl__row_fault(csv, &l, nul_possible, lang, msg, sizeof msg))
        return true;
    report_bad_row(csv, path, diag, user, msg);
    return false;
}

bool xjl__index_row_loads(xjl_csv *csv, size_t ncols, const int cols[5], int idcol,
                          const char *path, xjl_diag_fn diag, void *user)
{
    return row_loads(csv, ncols, cols, idcol, path, diag, user, true, xjl_get_lang());
}

int xjl__registry_open(const char *path, xjl_encoding enc, const char *id_column,
                       const char *columns, xjl_csv **out, int cols[5], int *idcol)
{
    xjl_csv *csv = NULL;
    int rc = xjl_csv_open(&csv, path, enc);
    if (rc)
        return rc;
    if (columns && (rc = xjl_csv_set_columns(csv, columns))) {
        xjl_csv_close(csv);
        return rc;
    }
    struct xjl_row_layout l;
    if ((rc = xjl__row_layout(csv, id_column, &l))) {
        xjl_csv_close(csv);
        return rc;
    }
    memcpy(cols, l.key, sizeof l.key);
    *idcol = l.id;
    *out = csv;
    return XJL_OK;
}

XJL_API int xjl_index_add_csv(xjl_index *ix, const char *path, xjl_encoding enc,
                              const char *id_column, xjl_diag_fn diag, void *user,
                              size_t *bad_rows)
{
    return xjl_index_add_csv_columns(ix, path, enc, id_column, NULL, diag, user, bad_rows);
}

XJL_API int xjl_index_add_csv_columns(xjl_index *ix, const char *path, xjl_encoding enc,
                                      const char *id_column, const char *columns,
                                      xjl_diag_fn diag, void *user, size_t *bad_rows)
{
    if (bad_rows)
        *bad_rows = 0;
    if (!ix || !path)
        return xjl__fail(XJL_EINVAL, "xjl_index_add_csv: NULL %s", ix ? "path" : "index");
    if (ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_add_csv: the index is built and read-only");
    /* the workers write the bad rows' messages in the caller's language */
    struct loader ld = {.path = path, .lang = xjl_get_lang()};
    xjl_csv *csv = NULL;
    int rc = xjl__registry_open(path, enc, id_column, columns, &csv, ld.cols, &ld.idcol);
    if (rc)
        return rc;
    if (ix->nsources < XJL_INDEX_SOURCES && xjl__file_id_of(path, &ix->sources[ix->nsources]))
        ix->nsources++;
    ld.csv = csv;
    ld.ncols = xjl_csv_column_count(csv);
    /* A budget counts this thread, which cuts the blocks (and packs them
     * itself when it has no worker): budget 1 starts no thread at all. */
    unsigned nworkers = ix->threads ? xjl__threads(ix->threads) - 1 : xjl__threads(0);
    if (nworkers > MAX_WORKERS)
        nworkers = MAX_WORKERS;
    ld.nslots = (size_t)nworkers * SLOTS_PER_WORKER + 1;
    ld.slots = calloc(ld.nslots, sizeof *ld.slots);
    bool ok = ld.slots != NULL;
    for (size_t i = 0; ok && i < ld.nslots; i++)
        ok = xjl_index_new(&ld.slots[i].part) == XJL_OK;
    if (!ok) {
        for (size_t i = 0; ld.slots && i < ld.nslots; i++)
            block_free(&ld.slots[i]);
        free(ld.slots);
        xjl_csv_close(csv);
        return xjl__fail(XJL_ENOMEM, "index: out of memory");
    }
    pthread_mutex_init(&ld.mu, NULL);
    pthread_cond_init(&ld.cv, NULL);
    pthread_t tid[MAX_WORKERS];
    unsigned started = 0;
    while (started < nworkers && pthread_create(&tid[started], NULL, load_worker, &ld) == 0)
        started++;

    /* Cut blocks while there is a free slot; append packed blocks in order;
     * otherwise wait (or, with no worker thread, pack here). */
    size_t appended = 0, rows_before = 0, bad = 0;
    bool input_done = false;
    int read_rc = 0;
    char *read_err = NULL;
    struct xjl_key_input *scratch = started ? NULL : malloc(sizeof *scratch);
    struct packed_row *row = started ? NULL : malloc(sizeof *row);
    pthread_mutex_lock(&ld.mu);
    for (;;) {
        struct block *head = &ld.slots[appended % ld.nslots];
        if (appended < ld.read && head->state == BLOCK_PACKED) {
            pthread_mutex_unlock(&ld.mu);
            if (!rc) {
                bad += head->bad;
                rc = append_block(ix, head, &rows_before, diag, user, path);
                if (!rc && head->rc)
                    rc = xjl__fail(head->rc, "%s", head->err ? head->err : "reading failed");
                if (rc)
                    input_done = true; /* the blocks in flight are dropped */
            }
            free(head->err);
            head->err = NULL;
            pthread_mutex_lock(&ld.mu);
            head->state = BLOCK_FREE;
            appended++;
            continue;
        }
        struct block *next = &ld.slots[ld.read % ld.nslots];
        if (!input_done && next->state == BLOCK_FREE) {
            pthread_mutex_unlock(&ld.mu);
            int r = xjl__csv_take_block(csv, BLOCK_BYTES, &next->text);
            if (r < 0) {
                read_rc = r;
                read_err = strdup(xjl_errmsg());
            }
            pthread_mutex_lock(&ld.mu);
            if (r == 1) {
                next->state = BLOCK_READ;
                ld.read++;
                pthread_cond_broadcast(&ld.cv);
            } else {
                input_done = true;
            }
            continue;
        }
        if (input_done && appended == ld.read)
            break;
        if (!started && ld.taken < ld.read) { /* no worker could start: pack here */
            struct block *b = &ld.slots[ld.taken++ % ld.nslots];
            b->state = BLOCK_PACKING;
            pthread_mutex_unlock(&ld.mu);
            if (scratch && row)
                pack_block(&ld, b, scratch, row);
            else
                block_fail(b, xjl__fail(XJL_ENOMEM, "index: out of memory reading rows"));
            pthread_mutex_lock(&ld.mu);
            b->state = BLOCK_PACKED;
            continue;
        }
        pthread_cond_wait(&ld.cv, &ld.mu);
    }
    ld.closing = true;
    pthread_cond_broadcast(&ld.cv);
    pthread_mutex_unlock(&ld.mu);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    free(scratch);
    free(row);
    if (!rc && read_rc)
        rc = xjl__fail(read_rc, "%s", read_err ? read_err : "reading failed");
    free(read_err);
    for (size_t i = 0; i < ld.nslots; i++)
        block_free(&ld.slots[i]);
    free(ld.slots);
    pthread_mutex_destroy(&ld.mu);
    pthread_cond_destroy(&ld.cv);
    xjl_csv_close(csv);
    if (bad_rows)
        *bad_rows = bad;
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

static void entry_keys(const xjl_index *ix, enum xjl_table t, uint32_t i, key_sink sink, void *ctx)
{
    const struct xjl_entry *e = &ix->entries[i];
    switch (t) {
    case XJL_T_ID:
        if (e->id64)
            sink(ctx, xjl__key_id(e, (e->id64 & XJL_ID_IN_ARENA)
                                         ? ix->arena + (uint32_t)e->id64 : ""), i);
        break;
    case XJL_T_PINYIN: {
        if (!(e->flags & XJL_ENTRY_NAME_OK))
            break;
        uint64_t h = e->py_h;
        if (e->dob != XJL_DATE_NONE)
            sink(ctx, xjl__key_name_date(h, e->dob), i);
        if (e->id_dob != XJL_DATE_NONE && e->id_dob != e->dob)
            sink(ctx, xjl__key_name_date(h, e->id_dob), i);
        break;
    }
    case XJL_T_RID: {
        const char *rid = ix->arena + e->rid_off;
        sink(ctx, XXH3_64bits(rid, strlen(rid)), i);
        break;
    }
    default:
        break;
    }
}

/* Building a table is a counting sort of the keys by bucket.  Done directly,
 * each key is a random write into bucket arrays of tens of megabytes: two
 * cache misses a key.  So the keys are first partitioned by the high bits of
 * their bucket (a few thousand sequential write streams), then each
 * partition — a range of buckets whose counters fit in the L1/L2 cache — is
 * counted and placed on its own. */

enum { PART_BUCKETS = 4096 }; /* buckets per partition: 16 KiB of counters */

struct part_ctx {
    uint32_t mask, shift; /* bucket = key & mask; partition = bucket >> shift */
    uint32_t *count;      /* keys per partition (pass 1), then write cursors */
    uint64_t *pairs;      /* (bucket << 32 | pos), grouped by partition (pass 2) */
    size_t keys;
};

static void part_count(void *ctx, uint64_t key, uint32_t pos)
{
    struct part_ctx *c = ctx;
    (void)pos;
    c->count[(key & c->mask) >> c->shift]++;
    c->keys++;
}

static void part_place(void *ctx, uint64_t key, uint32_t pos)
{
    struct part_ctx *c = ctx;
    uint64_t b = key & c->mask;
    c->pairs[c->count[b >> c->shift]++] = b << 32 | pos;
}

/* How many keys entry_keys() gives an entry, without hashing them. */
static size_t entry_key_count(const xjl_index *ix, enum xjl_table t, uint32_t i)
{
    const struct xjl_entry *e = &ix->entries[i];
    switch (t) {
    case XJL_T_ID:
        return e->id64 != 0;
    case XJL_T_PINYIN:
        if (!(e->flags & XJL_ENTRY_NAME_OK))
            return 0;
        return (size_t)(e->dob != XJL_DATE_NONE) +
               (size_t)(e->id_dob != XJL_DATE_NONE && e->id_dob != e->dob);
    case XJL_T_RID:
        return 1;
    default:
        return 0;
    }
}

static int build_table(xjl_index *ix, enum xjl_table t)
{
    struct search_table *tab = &ix->tables[t];
    size_t keys = 0;
    for (size_t i = 0; i < ix->n; i++)
        keys += entry_key_count(ix, t, (uint32_t)i);
    size_t buckets = 1024;
    while (buckets < keys)
        buckets *= 2;
    size_t parts = buckets > PART_BUCKETS ? buckets / PART_BUCKETS : 1;
    struct part_ctx c = {.mask = (uint32_t)(buckets - 1),
                         .shift = (uint32_t)__builtin_ctzll(buckets / parts)};
    uint32_t *tstart = zeroed(buckets + 1, sizeof *tstart);
    uint32_t *tpos = malloc((keys ? keys : 1) * sizeof *tpos);
    c.count = calloc(parts + 1, sizeof *c.count);
    c.pairs = malloc((keys ? keys : 1) * sizeof *c.pairs);
    if (!tstart || !tpos || !c.count || !c.pairs) {
        free(tstart);
        free(tpos);
        free(c.count);
        free(c.pairs);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the search tables");
    }
    for (size_t i = 0; i < ix->n; i++)
        entry_keys(ix, t, (uint32_t)i, part_count, &c);
    if (c.keys != keys) { /* entry_key_count() must count what entry_keys() gives */
        free(tstart);
        free(tpos);
        free(c.count);
        free(c.pairs);
        return xjl__fail(XJL_EINVAL, "index: internal error: %zu keys counted, %zu made", keys,
                         c.keys);
    }
    /* count[p] becomes the first slot of partition p, then its write cursor */
    uint32_t sum = 0;
    for (size_t p = 0; p <= parts; p++) {
        uint32_t n = c.count[p];
        c.count[p] = sum;
        sum += n;
    }
    for (size_t i = 0; i < ix->n; i++)
        entry_keys(ix, t, (uint32_t)i, part_place, &c);
    /* Each partition now ends where the next begins: place its keys. */
    uint32_t from = 0;
    for (size_t p = 0; p < parts; p++) {
        uint32_t to = c.count[p];
        uint32_t *start = tstart + p * (buckets / parts);
        for (uint32_t k = from; k < to; k++)
            start[(c.pairs[k] >> 32) - p * (buckets / parts) + 1]++;
        start[0] = from;
        for (size_t b = 0; b < buckets / parts; b++)
            start[b + 1] += start[b];
        /* start[b] is the fill cursor of bucket b here, then restored */
        for (uint32_t k = from; k < to; k++)
            tpos[start[(c.pairs[k] >> 32) - p * (buckets / parts)]++] = (uint32_t)c.pairs[k];
        for (size_t b = buckets / parts; b > 0; b--)
            start[b] = start[b - 1];
        start[0] = from;
        from = to;
    }
    tstart[buckets] = (uint32_t)keys;
    free(c.count);
    free(c.pairs);
    tab->mask = c.mask;
    tab->n = keys;
    tab->start = tstart;
    tab->pos = tpos;
    return XJL_OK;
}

/* Building is three independent jobs: the two search tables and the count
 * of each name.  Threads take the next job as they finish one, so that the
 * count goes to whichever table is done first. */
enum { BUILD_JOBS = 3 };

struct build {
    xjl_index *ix;
    atomic_int next;
    int rc[BUILD_JOBS];
    uint16_t *counters; /* name counts: saturating, indexed by the name's hash */
    uint64_t cmask;
};

/* How common each BARE name is, counted in counters indexed by the name's
 * hash.  Names that share a counter look a little more common than they
 * are: the weight of agreeing on them errs low, never high. */
static void count_names(struct build *b)
{
    const xjl_index *ix = b->ix;
    for (size_t i = 0; i < ix->n; i++) {
        const struct xjl_entry *e = &ix->entries[i];
        if (!(e->flags & XJL_ENTRY_NAME_OK))
            continue;
        uint16_t *c = &b->counters[(e->bare_h >> 17) & b->cmask];
        if (*c < UINT16_MAX)
            (*c)++;
    }
}

static void *build_worker(void *arg)
{
    struct build *b = arg;
    int j;
    while ((j = atomic_fetch_add(&b->next, 1)) < BUILD_JOBS) {
        if (j == 0)
            b->rc[j] = build_table(b->ix, XJL_T_PINYIN);
        else if (j == 1)
            b->rc[j] = build_table(b->ix, XJL_T_ID);
        else
            count_names(b);
    }
    return NULL;
}

XJL_API int xjl_index_build(xjl_index *ix, unsigned threads)
{
    if (!ix)
        return xjl__fail(XJL_EINVAL, "xjl_index_build: NULL index");
    if (ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_build: the index is built already");
    threads = xjl__threads(threads);

    struct build b = {.ix = ix};
    atomic_init(&b.next, 0);
    size_t ncounters = 1024;
    while (ncounters < 2 * ix->n)
        ncounters *= 2;
    b.cmask = ncounters - 1;
    b.counters = zeroed(ncounters, sizeof *b.counters);
    if (!b.counters)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for name counts");
    pthread_t tid[BUILD_JOBS - 1];
    unsigned started = 0;
    while (started + 1 < threads && started + 1 < BUILD_JOBS &&
           pthread_create(&tid[started], NULL, build_worker, &b) == 0)
        started++;
    build_worker(&b);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    int rc = XJL_OK;
    for (int j = 0; j < BUILD_JOBS && !rc; j++)
        rc = b.rc[j];
    /* written after the joins: the table builders read the entries */
    for (size_t i = 0; rc == XJL_OK && i < ix->n; i++) {
        struct xjl_entry *e = &ix->entries[i];
        uint16_t c = b.counters[(e->bare_h >> 17) & b.cmask];
        e->name_count = (e->flags & XJL_ENTRY_NAME_OK) && c ? c : 1;
    }
    free(b.counters);
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
    if (ix->arena_len && ix->arena_len < ix->arena_cap) {
        char *a = realloc(ix->arena, ix->arena_len);
        if (a) {
            ix->arena = a;
            ix->arena_cap = ix->arena_len;
        }
    }
    ix->built = true;
    return XJL_OK;
}

/* ---- reading a built index ---------------------------------------------- */

size_t xjl__index_probe(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                        void (*fn)(void *ctx, uint32_t pos), void *ctx)
{
    uint32_t from, to;
    const uint32_t *pos = xjl__index_bucket(ix, t, key, limit, &from, &to);
    for (uint32_t k = from; k < to; k++)
        fn(ctx, pos[k]);
    return to - from;
}

void xjl__index_prefetch(const xjl_index *ix, enum xjl_table t, uint64_t key)
{
    const struct search_table *tab = &ix->tables[t];
    if (tab->start)
        __builtin_prefetch(&tab->start[key & tab->mask]);
}

const uint32_t *xjl__index_bucket(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                                  uint32_t *from, uint32_t *to)
{
    const struct search_table *tab = &ix->tables[t];
    *from = *to = 0;
    if (!tab->start)
        return NULL;
    uint32_t b = (uint32_t)(key & tab->mask);
    *from = tab->start[b];
    *to = tab->start[b + 1];
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

const char *xjl__index_str(const xjl_index *ix, uint32_t off)
{
    return ix->arena + off;
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
    return ix ? ix->n : 0;
}

XJL_API size_t xjl_index_memory(const xjl_index *ix)
{
    if (!ix)
        return 0;
    size_t m = sizeof *ix + ix->cap * sizeof *ix->entries + ix->arena_cap;
    for (int t = 0; t < XJL_T_COUNT; t++)
        if (ix->tables[t].start)
            m += ((size_t)ix->tables[t].mask + 2 + ix->tables[t].n) * sizeof(uint32_t);
    return m;
}

XJL_API const char *xjl_index_record_id(const xjl_index *ix, size_t pos)
{
    if (!ix || pos >= ix->n)
        return NULL;
    return ix->arena + ix->entries[pos].rid_off;
}

struct rid_find {
    const xjl_index *ix;
    const char *rid;
    size_t found;
};

static void rid_match(void *ctx, uint32_t pos)
{
    struct rid_find *f = ctx;
    if (f->found == (size_t)-1 && strcmp(f->ix->arena + f->ix->entries[pos].rid_off, f->rid) == 0)
        f->found = pos;
}

XJL_API size_t xjl_index_find_id(const xjl_index *ix, const char *record_id)
{
    if (!ix || !record_id || !ix->built)
        return (size_t)-1;
    xjl_index *mut = (xjl_index *)ix; /* T_RID is a cache: built once under the lock */
    pthread_mutex_lock(&mut->rid_lock);
    int rc = mut->tables[XJL_T_RID].start ? XJL_OK : build_table(mut, XJL_T_RID);
    pthread_mutex_unlock(&mut->rid_lock);
    if (rc)
        return (size_t)-1;
    struct rid_find f = {ix, record_id, (size_t)-1};
    xjl__index_probe(ix, XJL_T_RID, XXH3_64bits(record_id, strlen(record_id)), SIZE_MAX,
                     rid_match, &f);
    return f.found;
}

XJL_API int xjl_index_record(const xjl_index *ix, size_t pos, xjl_parsed *out)
{
    if (!ix || !out)
        return xjl__fail(XJL_EINVAL, "xjl_index_record: NULL %s", ix ? "out" : "index");
    if (pos >= ix->n)
        return xjl__fail(XJL_ENOTFOUND, "xjl_index_record: no record at position %zu of %zu",
                         pos, ix->n);
    const struct xjl_entry *e = &ix->entries[pos];
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", ix->arena + e->name_off);
    out->gender = (xjl_gender)e->gender;
    out->birth_date = e->dob;
    out->id_type = (xjl_id_type)e->id_type;
    out->id.kind = (xjl_id_kind)e->id_kind;
    out->id.birth_date = e->id_dob;
    if (e->id64 & XJL_ID_IN_ARENA)
        snprintf(out->id.normalized, sizeof out->id.normalized, "%s",
                 ix->arena + (uint32_t)e->id64);
    else if (e->id64)
        xjl__id_unpack(e->id64, out->id.normalized);
    return XJL_OK;
}
