/*
 * The registry index as a file (docs/index-format.md).  Saving writes the
 * arrays of a built index as they lie in memory, each in a section of its
 * own aligned to 64 bytes, behind a header with a table of the sections;
 * opening maps the file and points the index's arrays into the mapping, so
 * that an index of millions of records opens without reading it: the pages
 * come in as the matcher touches them.
 *
 * Opening trusts nothing in the header: it checks the magic, the byte order,
 * the versions, the header's own checksum and every section's bounds, size
 * and alignment, so that no later read of a section leaves the mapping.
 * What lies inside the sections (bucket bounds, positions, string offsets)
 * is checked by xjl_index_verify() — every section's XXH3 and a pass over
 * the arrays — which an opener asks for with XJL_INDEX_VERIFY; with
 * XJL_INDEX_BOUNDS, only the part of that pass that keeps every read of the
 * matcher inside the file (positions, string offsets and lengths).
 *
 * Saving is atomic: a temporary file beside the target (unnamed while it
 * is written where the system allows: xjl__tmpfile_open()), written, fsync'ed,
 * renamed over the target, and the directory fsync'ed.  A crash at any
 * moment leaves either the old file or the new one under the name.
 */
#include "match/matching.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define XJX_MAGIC "\x89XJX\r\n\x1a\n" /* binary, and damaged by a text-mode copy */
#define XJX_BYTE_ORDER 0x01020304u    /* reads 0x04030201 on the other byte order */

enum {
    XJX_FORMAT = 7,     /* bumped when the layout of the file changes (2: dates, T_NAME;
                         * 3: the birth-date table of the near search, bucket starts as
                         * group starts and narrow distances; 4: no record-id table when
                         * the ids ascend, the near search's signatures 16-bit and apart;
                         * 5: 36-byte entries; 6: each name once, the record ids in
                         * sections of their own; 7: 28-byte entries) */
    XJX_KEY_SCHEME = 7, /* bumped when the packed entry or a key hash changes (2: exact
                         * name counts; 3: fuzzy pinyin, a key per reading choice; 4: the
                         * record id after the name, 44-byte entries; 5: 40-byte entries,
                         * a name count of a byte, the names of 255 records or more apart;
                         * 6: 36-byte entries, birth dates of 17 bits from 1899-12-31;
                         * 7: 28-byte entries, no hash of the BARE name) */
    XJX_ALIGN = 64,     /* every section starts on a cache line */
    XJX_SECTIONS = 22,
};

/* The header's flags. */
enum {
    XJX_RIDS_ASCEND = 1u << 0, /* the built records' ids ascend: no record-id table */
    XJX_FLAGS = XJX_RIDS_ASCEND
};

enum xjx_kind {
    S_ENTRIES = 1,
    S_ARENA = 2,
    S_ID_START = 3,
    S_ID_POS = 4,
    S_PY_START = 5,
    S_PY_POS = 6,
    S_RID_START = 7,
    S_RID_POS = 8,
    S_TAGS = 9, /* a 64-bit value per record kept by the caller (xjl__index_save_tags) */
    S_NAME_START = 10,
    S_NAME_POS = 11,
    S_DATES = 12, /* the first day, then the live records born on each day from it */
    /* changes not compacted yet (delta.c): */
    S_DELTA_ENTRIES = 13, /* records added or updated, at positions records, records + 1... */
    S_DELTA_STRINGS = 14, /* their strings: offset o of the section is strings offset
                           * arena length + o */
    S_DEAD = 15,          /* the count of changes, then a bit per position: removed or replaced */
    /* the birth-date table of the near search (near.c): */
    S_NEAR_DAYS = 16, /* the first day, then the starts of the slots (XJL_NEAR_GENDERS a day) */
    S_NEAR = 17,      /* the position of each record in it, by slot */
    S_NEAR_SIG = 18,  /* its name's signature (16 bits), in the same order */
    S_BIG_NAMES = 19, /* the names of 255 built records or more: name offset and count, by offset */
    S_DELTA_TAGS = 20, /* the tag of each record of S_DELTA_ENTRIES, when the file has S_TAGS */
    S_RIDS = 21,       /* the built records' ids, NUL-terminated, in position order */
    S_RID_BLOCKS = 22, /* where each XJL_RID_BLOCK of them starts, then the length (64-bit) */
    S_LAST = S_RID_BLOCKS
};

/* The search tables' sections: bucket starts, then positions (kind + 1). */
static const enum xjx_kind table_kinds[] = {S_ID_START, S_PY_START, S_RID_START, S_NAME_START};
static const enum xjl_table table_of_kind[] = {XJL_T_ID, XJL_T_PINYIN, XJL_T_RID, XJL_T_NAME};
#define NTABLE_KINDS (sizeof table_kinds / sizeof table_kinds[0])

struct xjx_section {
    uint32_t kind;   /* enum xjx_kind */
    uint32_t elem;   /* bytes of one element */
    uint64_t offset; /* from the start of the file, a multiple of XJX_ALIGN */
    uint64_t length; /* bytes */
    uint64_t xxh3;   /* XXH3-64 of the section's bytes */
};

struct xjx_header {
    char magic[8];
    uint32_t format_version;
    uint32_t byte_order;
    uint32_t header_bytes; /* this header and its section table */
    uint32_t nsections;
    uint64_t file_bytes;
    uint64_t records;
    uint64_t stamp;
    uint64_t key_fingerprint;
    uint32_t key_scheme;
    uint32_t entry_bytes;
    uint32_t library_version_number;
    uint32_t flags; /* XJX_* */
    char library_version[16];
    uint64_t header_xxh3; /* of the header and section table, this field as 0 */
};

_Static_assert(sizeof(struct xjx_section) == 32, "a section record is 32 bytes");
_Static_assert(sizeof(struct xjx_header) == 96, "the header is 96 bytes");
_Static_assert(sizeof(struct xjl_entry) == 28, "the entries section holds 28-byte entries");
_Static_assert(sizeof(struct xjl_big_name) == 8, "a big name is 8 bytes");

/* ---- the key fingerprint -------------------------------------------------
 * A file's entries hold hashes of pinyin and of names folded by tables made
 * from ICU at build time: a library built with other tables would compute
 * other keys for the same roster and find nothing.  The fingerprint is the
 * hash of a few records packed by this library, written into the file and
 * compared on opening. */

static const xjl_record fingerprint_records[] = {
    {"张三", "1", "2015-03-01", "1", "11010520150301001X"},
    {"歐陽曉華", "2", "2016-12-31", "A", "H1234567"},
    {"李𠀀明", "男", "20140229", "居民身份证", "110105201402290018"},
    {"WANG David", "F", "2013/7/9", "B", ""},
    {"阿卜杜·热合曼", "", "2012-01-05", "", "650102201201050033"},
    {"乾隆", "女", "", "C", "810000201001010027"},
    {"单柏乐", "男", "2017-05-04", "1", ""}, /* readings: the keys of every reading choice */
};

static uint64_t fingerprint;
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

static void fingerprint_compute(void)
{
    size_t n = sizeof fingerprint_records / sizeof fingerprint_records[0];
    struct xjl_key_input *in = malloc(sizeof *in);
    XXH3_state_t *st = XXH3_createState();
    if (!in || !st) {
        fingerprint = 0; /* compared as "unknown": opening fails with a clear error */
    } else {
        XXH3_64bits_reset(st);
        for (size_t i = 0; i < n; i++) {
            struct xjl_entry e;
            xjl__record_read_n(&fingerprint_records[i], NULL, in);
            xjl__entry_pack(in, &e);
            XXH3_64bits_update(st, &e, sizeof e);
            if (in->name_ok)
                XXH3_64bits_update(st, in->name.bare, in->name.bare_len);
            if (in->name_ok && !in->name.latin) {
                uint64_t keys[XJL_NAME_KEYS_MAX];
                size_t k = xjl__name_keys(in->name.cps, in->name.pinyin, in->name.ncps, keys);
                XXH3_64bits_update(st, keys, k * sizeof keys[0]);
            }
        }
        fingerprint = XXH3_64bits_digest(st) | 1; /* never 0 */
    }
    XXH3_freeState(st);
    free(in);
}

static uint64_t key_fingerprint(void)
{
    pthread_once(&fingerprint_once, fingerprint_compute);
    return fingerprint;
}

/* ---- the sections of an index ------------------------------------------- */

struct section_src {
    enum xjx_kind kind;
    uint32_t elem;
    const void *data;
    uint64_t length;
};

static size_t table_start_bytes(const struct search_table *t)
{
    return xjl__table_start_bytes(t);
}

/* The buckets of a starts section of len bytes whose distances are w bytes
 * wide (its group starts, then its distances), or 0 if no count fits. */
static uint64_t starts_buckets(uint64_t len, uint32_t w)
{
    for (uint64_t b = XJL_START_GROUP; b <= (1ull << 32); b *= 2)
        if ((b / XJL_START_GROUP + 1) * 4 + (b + 1) * w == len)
            return b;
    return 0;
}

/* The sections ix would be saved as, with its tags if it has them and tags
 * is set; returns how many.  dates: room for the dates section (1 + ndates). */
static size_t sections_of(const xjl_index *ix, bool tags, struct section_src out[XJX_SECTIONS],
                          uint32_t *dates, const char *delta_strings, const uint64_t *delta_dead)
{
    size_t k = 0;
    out[k++] = (struct section_src){S_ENTRIES, sizeof(struct xjl_entry), ix->entries,
                                    ix->n * sizeof(struct xjl_entry)};
    out[k++] = (struct section_src){S_ARENA, 1, ix->arena, ix->arena_len};
    uint64_t nblocks = xjl__rid_blocks(ix->n);
    out[k++] = (struct section_src){S_RIDS, 1, ix->rids, ix->rids_len};
    out[k++] = (struct section_src){S_RID_BLOCKS, 8, ix->rid_block, (nblocks + 1) * 8};
    for (size_t i = 0; i < 3; i++) {
        const struct search_table *t = &ix->tables[table_of_kind[i]];
        if (!t->start)
            continue; /* T_RID is built on first use: saved only if it was */
        out[k++] =
            (struct section_src){table_kinds[i], t->start_bytes, t->base, table_start_bytes(t)};
        out[k++] = (struct section_src){table_kinds[i] + 1, 4, t->pos, t->n * sizeof(uint32_t)};
    }
    tags = tags && ix->tags;
    if (tags)
        out[k++] = (struct section_src){S_TAGS, 8, ix->tags, ix->n * sizeof *ix->tags};
    const struct search_table *t = &ix->tables[XJL_T_NAME];
    if (t->start) { /* built by a change: saved, so that the next one need not */
        out[k++] =
            (struct section_src){S_NAME_START, t->start_bytes, t->base, table_start_bytes(t)};
        out[k++] = (struct section_src){S_NAME_POS, 4, t->pos, t->n * sizeof(uint32_t)};
    }
    if (dates) {
        dates[0] = (uint32_t)ix->date_lo;
        if (ix->ndates)
            memcpy(dates + 1, ix->dates, ix->ndates * sizeof *dates);
    }
    out[k++] = (struct section_src){S_DATES, 4, dates, (1 + (uint64_t)ix->ndates) * 4};
    out[k++] = (struct section_src){S_NEAR_DAYS, 4, ix->near_days,
                                    ix->near_days ? ((uint64_t)ix->near_slots + 2) * 4 : 0};
    out[k++] = (struct section_src){S_NEAR, 4, ix->near_pos, ix->near_n * sizeof *ix->near_pos};
    out[k++] = (struct section_src){S_NEAR_SIG, 2, ix->near_sig, ix->near_n * sizeof *ix->near_sig};
    out[k++] =
        (struct section_src){S_BIG_NAMES, 8, ix->big_names, ix->nbig * sizeof *ix->big_names};
    const struct xjl_delta *d = ix->delta;
    if (d && d->changes) {
        size_t strings =
            d->nchunks ? ((d->nchunks - 1) << XJL_DELTA_CHUNK_BITS) + d->chunk_used : 0;
        out[k++] = (struct section_src){S_DELTA_ENTRIES, sizeof *d->e, d->e, d->n * sizeof *d->e};
        out[k++] = (struct section_src){S_DELTA_STRINGS, 1, delta_strings, strings};
        out[k++] = (struct section_src){S_DEAD, 8, delta_dead, (1 + (uint64_t)d->dead_words) * 8};
        if (tags)
            out[k++] = (struct section_src){S_DELTA_TAGS, 8, d->tags, d->n * sizeof *d->tags};
    }
    return k;
}

static uint64_t align_up(uint64_t v)
{
    return (v + XJX_ALIGN - 1) & ~(uint64_t)(XJX_ALIGN - 1);
}

static int host_is_little_endian(const char *what, const char *path)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    (void)what;
    (void)path;
    return XJL_OK;
#else
    /* The sections are used in place: a big-endian host would have to
     * byte-swap every entry, so it refuses instead. */
    return xjl__fail(XJL_EFOREIGN, "%s %s: index files are little-endian and this host is not",
                     what, path);
#endif
}

/* ---- saving --------------------------------------------------------------- */

static int write_all(int fd, const void *buf, size_t len, const char *path)
{
    const char *p = buf;
    while (len > 0) {
        size_t chunk = len > (1u << 30) ? (1u << 30) : len;
        ssize_t w = write(fd, p, chunk);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return xjl__fail(XJL_EIO, "xjl_index_save: writing %s: %s", path,
                             w < 0 ? strerror(errno) : "no progress");
        p += w;
        len -= (size_t)w;
    }
    return XJL_OK;
}

static void fill_header(const xjl_index *ix, const struct section_src *src, size_t ns,
                        struct xjx_header *h, struct xjx_section *sec, bool checksums)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, XJX_MAGIC, 8);
    h->format_version = XJX_FORMAT;
    h->byte_order = XJX_BYTE_ORDER;
    h->header_bytes = (uint32_t)(sizeof *h + ns * sizeof *sec);
    h->nsections = (uint32_t)ns;
    h->records = ix->n;
    h->flags = ix->rids_ascend ? XJX_RIDS_ASCEND : 0;
    h->stamp = ix->stamp;
    h->key_fingerprint = key_fingerprint();
    h->key_scheme = XJX_KEY_SCHEME;
    h->entry_bytes = sizeof(struct xjl_entry);
    h->library_version_number = (uint32_t)XJL_VERSION_NUMBER;
    snprintf(h->library_version, sizeof h->library_version, "%s", XJL_VERSION_STRING);
    uint64_t off = align_up(h->header_bytes);
    for (size_t i = 0; i < ns; i++) {
        memset(&sec[i], 0, sizeof sec[i]);
        sec[i].kind = src[i].kind;
        sec[i].elem = src[i].elem;
        sec[i].offset = off;
        sec[i].length = src[i].length;
        sec[i].xxh3 = checksums ? XXH3_64bits(src[i].data, (size_t)src[i].length) : 0;
        off = align_up(off + src[i].length);
    }
    h->file_bytes = off;
}

static uint64_t header_checksum(const struct xjx_header *h, const struct xjx_section *sec,
                                size_t ns)
{
    unsigned char buf[sizeof *h + XJX_SECTIONS * sizeof *sec];
    struct xjx_header copy = *h;
    copy.header_xxh3 = 0;
    memcpy(buf, &copy, sizeof copy);
    memcpy(buf + sizeof copy, sec, ns * sizeof *sec);
    return XXH3_64bits(buf, sizeof copy + ns * sizeof *sec);
}

static int save(const xjl_index *ix, const char *path, bool tags);

XJL_API int xjl_index_save(const xjl_index *ix, const char *path)
{
    return save(ix, path, false);
}

int xjl__index_save_tags(const xjl_index *ix, const char *path)
{
    return save(ix, path, true);
}

static int save_locked(const xjl_index *ix, const char *path, bool tags);

static int save(const xjl_index *ix, const char *path, bool tags)
{
    if (!ix || !path)
        return xjl__fail(XJL_EINVAL, "xjl_index_save: NULL %s", ix ? "path" : "index");
    if (!ix->built)
        return xjl__fail(XJL_ESTATE, "xjl_index_save: the index is not built");
    int rc = host_is_little_endian("xjl_index_save:", path);
    if (rc)
        return rc;
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock); /* matching goes on meanwhile */
    rc = save_locked(ix, path, tags);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return rc;
}

static int save_locked(const xjl_index *ix, const char *path, bool tags)
{
    int rc = XJL_OK;
    uint32_t *dates = malloc((1 + (size_t)ix->ndates) * sizeof *dates);
    /* the changes' strings in one piece, the count of changes before the dead bits */
    const struct xjl_delta *d = xjl__index_changed(ix) ? ix->delta : NULL;
    char *dstrings = NULL;
    uint64_t *ddead = NULL;
    if (d) {
        dstrings = malloc((d->nchunks << XJL_DELTA_CHUNK_BITS) + 1);
        ddead = malloc((1 + d->dead_words) * sizeof *ddead);
    }
    if (!dates || (d && (!dstrings || !ddead))) {
        free(dates);
        free(dstrings);
        free(ddead);
        return xjl__fail(XJL_ENOMEM, "xjl_index_save: out of memory");
    }
    if (d) {
        for (size_t c = 0; c < d->nchunks; c++)
            memcpy(dstrings + (c << XJL_DELTA_CHUNK_BITS), d->chunk[c],
                   c + 1 < d->nchunks ? (size_t)1 << XJL_DELTA_CHUNK_BITS : d->chunk_used);
        ddead[0] = d->changes;
        memcpy(ddead + 1, d->dead, d->dead_words * sizeof *ddead);
    }
    struct section_src src[XJX_SECTIONS];
    size_t ns = sections_of(ix, tags, src, dates, dstrings, ddead);
    struct {
        struct xjx_header h;
        struct xjx_section sec[XJX_SECTIONS];
    } head;
    fill_header(ix, src, ns, &head.h, head.sec, true);
    head.h.header_xxh3 = header_checksum(&head.h, head.sec, ns);

    struct xjl__tmpfile tf; /* unnamed while it is written, where the system allows */
    rc = xjl__tmpfile_open(&tf, path);
    int fd = tf.fd;
    static const char zeros[XJX_ALIGN];
    uint64_t at = head.h.header_bytes;
    if (!rc)
        rc = write_all(fd, &head, head.h.header_bytes, path);
    for (size_t i = 0; i < ns && !rc; i++) {
        rc = write_all(fd, zeros, (size_t)(head.sec[i].offset - at), path);
        if (!rc)
            rc = write_all(fd, src[i].data, (size_t)src[i].length, path);
        at = head.sec[i].offset + src[i].length;
    }
    if (!rc)
        rc = write_all(fd, zeros, (size_t)(head.h.file_bytes - at), path);
    if (!rc && fsync(fd) != 0)
        rc = xjl__fail(XJL_EIO, "xjl_index_save: syncing the file written for %s: %s", path,
                       strerror(errno));
    int e = rc ? 0 : xjl__tmpfile_name(&tf, path);
    if (e)
        rc = xjl__fail(XJL_EIO, "xjl_index_save: naming the file written for %s: %s", path,
                       strerror(e));
    if (fd >= 0 && close(fd) != 0 && !rc)
        rc = xjl__fail(XJL_EIO, "xjl_index_save: closing %s: %s", tf.name, strerror(errno));
    if (!rc && rename(tf.name, path) != 0)
        rc = xjl__fail(XJL_EIO, "xjl_index_save: renaming %s to %s: %s", tf.name, path,
                       strerror(errno));
    if (!rc && (e = xjl__sync_dir_of(path)) != 0)
        rc = xjl__fail(e == ENOMEM ? XJL_ENOMEM : XJL_EIO,
                       "xjl_index_save: syncing the directory of %s: %s", path, strerror(e));
    xjl__tmpfile_drop(&tf, rc != XJL_OK && fd >= 0);
    free(dates);
    free(dstrings);
    free(ddead);
    return rc;
}

/* ---- opening -------------------------------------------------------------- */

struct opened {
    const char *path;
    const unsigned char *base;
    uint64_t size;
    const struct xjx_header *h;
    const struct xjx_section *sec[S_LAST + 1]; /* by kind; NULL if absent */
};

static int check_header(struct opened *o)
{
    const char *path = o->path;
    if (o->size < 8 || memcmp(o->base, XJX_MAGIC, 8) != 0) {
        size_t have = o->size < 8 ? (size_t)o->size : 8;
        if (have > 0 && memcmp(o->base, XJX_MAGIC, have) == 0)
            return xjl__failm(XJL_ETRUNCATED, "xjx.truncated", path, have);
        return xjl__failm(XJL_EFOREIGN, "xjx.foreign", path);
    }
    if (o->size < sizeof(struct xjx_header))
        return xjl__failm(XJL_ETRUNCATED, "xjx.truncated_header", path,
                          (unsigned long long)o->size);
    const struct xjx_header *h = o->h = (const struct xjx_header *)o->base;
    if (h->byte_order != XJX_BYTE_ORDER)
        return xjl__fail(XJL_EFOREIGN,
                         "index file %s: byte order mark %08x, not %08x: written by a host "
                         "of the other byte order, or damaged",
                         path, h->byte_order, XJX_BYTE_ORDER);
    if (h->format_version > XJX_FORMAT)
        return xjl__failm(XJL_EVERSION, "xjx.newer", path, h->format_version, XJX_FORMAT,
                          h->library_version);
    if (h->format_version == 0)
        return xjl__fail(XJL_ECORRUPT, "index file %s: format version 0", path);
    if (h->format_version < XJX_FORMAT) /* laid out otherwise: a rebuild reads the registry */
        return xjl__failm(XJL_EVERSION, "xjx.older", path, h->format_version, XJX_FORMAT,
                          h->library_version);
    if (h->nsections < 2 || h->nsections > XJX_SECTIONS ||
        h->header_bytes != sizeof *h + h->nsections * sizeof(struct xjx_section))
        return xjl__fail(XJL_ECORRUPT, "index file %s: a header of %u bytes with %u sections", path,
                         h->header_bytes, h->nsections);
    if (o->size < h->header_bytes)
        return xjl__fail(XJL_ETRUNCATED,
                         "index file %s: truncated to %llu bytes, inside its section table", path,
                         (unsigned long long)o->size);
    const struct xjx_section *sec = (const struct xjx_section *)(h + 1);
    if (header_checksum(h, sec, h->nsections) != h->header_xxh3)
        return xjl__failm(XJL_ECORRUPT, "xjx.header_checksum", path);
    if (o->size < h->file_bytes)
        return xjl__failm(XJL_ETRUNCATED, "xjx.truncated_body", path, (unsigned long long)o->size,
                          (unsigned long long)h->file_bytes);
    if (o->size > h->file_bytes)
        return xjl__fail(XJL_ECORRUPT, "index file %s: %llu bytes after its end", path,
                         (unsigned long long)(o->size - h->file_bytes));
    if (h->key_scheme != XJX_KEY_SCHEME || h->entry_bytes != sizeof(struct xjl_entry))
        return xjl__failm(XJL_EVERSION, "xjx.key_scheme", path, h->key_scheme, h->entry_bytes,
                          h->library_version, XJX_KEY_SCHEME);
    if (h->key_fingerprint != key_fingerprint())
        return xjl__failm(XJL_EVERSION, "xjx.name_tables", path, h->library_version);
    if (h->records > UINT32_MAX - 1)
        return xjl__fail(XJL_ECORRUPT, "index file %s: %llu records", path,
                         (unsigned long long)h->records);
    if (h->flags & ~(uint32_t)XJX_FLAGS)
        return xjl__fail(XJL_ECORRUPT, "index file %s: unknown flags %#x", path, h->flags);
    return XJL_OK;
}

static const uint32_t elem_of_kind[S_LAST + 1] = {
    0, sizeof(struct xjl_entry), 1, 4, 4, 4, 4, 4, 4, 8, 4, 4,
    4, sizeof(struct xjl_entry), 1, 8, 4, 4, 2, 8, 8, 1, 8};

/* The search table of the starts section of kind k, pointed into the
 * mapping (its size checked by check_sections()). */
static void table_at(const struct opened *o, int k, struct search_table *t)
{
    const struct xjx_section *st = o->sec[k], *ps = o->sec[k + 1];
    uint64_t buckets = starts_buckets(st->length, st->elem);
    t->mask = (uint32_t)(buckets - 1);
    t->start_bytes = st->elem;
    t->base = (const uint32_t *)(o->base + st->offset);
    t->start = o->base + st->offset + (buckets / XJL_START_GROUP + 1) * 4;
    t->pos = (const uint32_t *)(o->base + ps->offset);
    t->n = (size_t)(ps->length / 4);
}

static int check_sections(struct opened *o)
{
    const struct xjx_header *h = o->h;
    const struct xjx_section *sec = (const struct xjx_section *)(h + 1);
    const char *path = o->path;
    uint64_t prev_end = h->header_bytes;
    for (uint32_t i = 0; i < h->nsections; i++) {
        const struct xjx_section *s = &sec[i];
        if (s->kind < S_ENTRIES || s->kind > S_LAST || o->sec[s->kind])
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: section %u of unknown or repeated "
                             "kind %u",
                             path, i, s->kind);
        bool starts = s->kind == S_ID_START || s->kind == S_PY_START || s->kind == S_RID_START ||
                      s->kind == S_NAME_START; /* distances of 1, 2 or 4 bytes */
        if ((starts ? s->elem != 1 && s->elem != 2 && s->elem != 4
                    : s->elem != elem_of_kind[s->kind]) ||
            s->length % s->elem != 0)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: section %u (kind %u) of %llu bytes "
                             "in elements of %u",
                             path, i, s->kind, (unsigned long long)s->length, s->elem);
        /* in file order, aligned, not overlapping, inside the file */
        if (s->offset % XJX_ALIGN || s->offset < prev_end || s->offset > h->file_bytes ||
            s->length > h->file_bytes - s->offset)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: section %u (kind %u) at %llu, %llu "
                             "bytes: outside the file or overlapping",
                             path, i, s->kind, (unsigned long long)s->offset,
                             (unsigned long long)s->length);
        prev_end = s->offset + s->length;
        o->sec[s->kind] = s;
    }
    if (!o->sec[S_ENTRIES] || !o->sec[S_ARENA] || !o->sec[S_RIDS] || !o->sec[S_RID_BLOCKS] ||
        !o->sec[S_ID_START] || !o->sec[S_ID_POS] || !o->sec[S_PY_START] || !o->sec[S_PY_POS] ||
        !o->sec[S_RID_START] != !o->sec[S_RID_POS] ||
        !o->sec[S_NAME_START] != !o->sec[S_NAME_POS] || !o->sec[S_DATES] || !o->sec[S_BIG_NAMES] ||
        o->sec[S_BIG_NAMES]->length / 16 > h->records)
        return xjl__fail(XJL_ECORRUPT, "index file %s: a section is missing", path);
    /* ids that ascend are found by a binary search; any others by their table */
    if (!(h->flags & XJX_RIDS_ASCEND) != !!o->sec[S_RID_START])
        return xjl__fail(XJL_ECORRUPT, "index file %s: record ids %s and %s record-id table", path,
                         h->flags & XJX_RIDS_ASCEND ? "that ascend" : "in any order",
                         o->sec[S_RID_START] ? "a" : "no");
    if (!o->sec[S_NEAR_DAYS] || !o->sec[S_NEAR] || !o->sec[S_NEAR_SIG] ||
        o->sec[S_NEAR_SIG]->length / 2 != o->sec[S_NEAR]->length / 4)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: a section of its birth-date table is missing or "
                         "of another length",
                         path);
    const struct xjx_section *nd = o->sec[S_NEAR_DAYS], *ne = o->sec[S_NEAR];
    uint64_t nslots = nd->length / 4 >= 2 ? nd->length / 4 - 2 : 0;
    if (nd->length < 8 || nslots % XJL_NEAR_GENDERS || nslots / XJL_NEAR_GENDERS > 10000 * 366 ||
        (int64_t) * (const int32_t *)(o->base + nd->offset) + (int64_t)(nslots / XJL_NEAR_GENDERS) >
            INT32_MAX ||
        ne->length / 4 > h->records)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: a birth-date table of %llu bytes of days for %llu "
                         "records that cannot be",
                         path, (unsigned long long)nd->length,
                         (unsigned long long)(ne->length / 4));
    const uint32_t *nstart = (const uint32_t *)(o->base + nd->offset) + 1;
    if (nstart[0] != 0 || nstart[nslots] != ne->length / 4)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: the birth-date table's bounds (%u..%u) and its %llu "
                         "records disagree",
                         path, nstart[0], nstart[nslots], (unsigned long long)(ne->length / 4));
    if (o->sec[S_TAGS] && o->sec[S_TAGS]->length != h->records * 8)
        return xjl__fail(XJL_ECORRUPT, "index file %s: %llu records but %llu bytes of tags", path,
                         (unsigned long long)h->records,
                         (unsigned long long)o->sec[S_TAGS]->length);
    if (o->sec[S_ENTRIES]->length != h->records * sizeof(struct xjl_entry))
        return xjl__fail(XJL_ECORRUPT, "index file %s: %llu records but %llu bytes of entries",
                         path, (unsigned long long)h->records,
                         (unsigned long long)o->sec[S_ENTRIES]->length);
    const struct xjx_section *a = o->sec[S_ARENA];
    if (a->length > UINT32_MAX ||
        (h->records && (a->length == 0 || o->base[a->offset + a->length - 1])))
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: the strings section does not end a "
                         "string",
                         path);
    /* the ids: a start per block of them and the length, which ends an id */
    const struct xjx_section *ri = o->sec[S_RIDS], *rb = o->sec[S_RID_BLOCKS];
    uint64_t nblocks = xjl__rid_blocks(h->records);
    const uint64_t *block = (const uint64_t *)(o->base + rb->offset);
    if (rb->length != (nblocks + 1) * 8 || block[nblocks] != ri->length ||
        (h->records ? ri->length == 0 || o->base[ri->offset + ri->length - 1] : ri->length != 0))
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: %llu bytes of record ids in %llu blocks for %llu "
                         "records that cannot be",
                         path, (unsigned long long)ri->length, (unsigned long long)(rb->length / 8),
                         (unsigned long long)h->records);
    const struct xjx_section *de = o->sec[S_DELTA_ENTRIES], *dd = o->sec[S_DEAD];
    if (!de != !o->sec[S_DELTA_STRINGS] || !de != !dd)
        return xjl__fail(XJL_ECORRUPT, "index file %s: a section of its changes is missing", path);
    const uint64_t esz = sizeof(struct xjl_entry);
    /* tags: of every record, the base's and the changed ones, or of none */
    const struct xjx_section *dt = o->sec[S_DELTA_TAGS];
    if (dt ? !o->sec[S_TAGS] || !de || dt->length != de->length / esz * 8 : o->sec[S_TAGS] && de)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: tags of %llu changed records, %llu bytes of them", path,
                         (unsigned long long)(de ? de->length / esz : 0),
                         (unsigned long long)(dt ? dt->length : 0));
    if (dd && (dd->length < 8 || (dd->length / 8 - 1) * 64 < h->records + de->length / esz ||
               h->records + de->length / esz > UINT32_MAX - 1))
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: %llu bytes of removed records for %llu "
                         "records and %llu changed",
                         path, (unsigned long long)dd->length, (unsigned long long)h->records,
                         (unsigned long long)(de->length / esz));
    const struct xjx_section *ds = o->sec[S_DATES];
    uint64_t ndays = ds->length / 4 - (ds->length >= 4);
    /* days an entry can hold (the first is ignored when there are none) */
    int64_t first_day = ds->length >= 4 ? *(const int32_t *)(o->base + ds->offset) : 0;
    if (ds->length < 4 ||
        (ndays && (first_day <= XJL_ENTRY_DAY0 ||
                   first_day + (int64_t)ndays > (int64_t)XJL_ENTRY_DAY0 + XJL_ENTRY_DAYS)))
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: a section of birth dates of %llu bytes "
                         "that cannot be",
                         path, (unsigned long long)ds->length);
    for (size_t i = 0; i < NTABLE_KINDS; i++) {
        int k = table_kinds[i];
        const struct xjx_section *st = o->sec[k], *ps = o->sec[k + 1];
        if (!st)
            continue;
        uint64_t buckets = starts_buckets(st->length, st->elem);
        if (!buckets)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: a search table's starts of %llu bytes "
                             "in distances of %u",
                             path, (unsigned long long)st->length, st->elem);
        struct search_table t;
        table_at(o, k, &t);
        uint32_t first = xjl__table_start(&t, 0), last = xjl__table_start(&t, buckets);
        if (first != 0 || last != ps->length / 4)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: a search table's bounds (%u..%u) "
                             "and its %llu positions disagree",
                             path, first, last, (unsigned long long)(ps->length / 4));
    }
    return XJL_OK;
}

/* The birth-date table: its slots in order, each element a record of its
 * slot with the signature of its name, every record of the table in it.
 * Element by element, the check would visit the entries and their names in
 * the table's order, a random walk over the file's largest sections (seconds
 * of cache and TLB misses at 5,000,000 records); instead each record's
 * element is noted in a scratch array of 4 bytes a record, and the records
 * are then checked in their own order.  Each element names a record of the
 * table (its record's note is the element itself) and the table holds as
 * many elements as there are such records: together, every record of the
 * table is in it exactly once. */
static int check_near(const struct opened *o, const struct xjl_entry *e, const char *arena)
{
    const struct xjx_header *h = o->h;
    const char *path = o->path;
    const uint32_t *ndays = (const uint32_t *)(o->base + o->sec[S_NEAR_DAYS]->offset);
    const uint32_t *npos = (const uint32_t *)(o->base + o->sec[S_NEAR]->offset);
    const uint16_t *nsig = (const uint16_t *)(o->base + o->sec[S_NEAR_SIG]->offset);
    size_t nslots = (size_t)(o->sec[S_NEAR_DAYS]->length / 4 - 2), in_table = 0;
    size_t nel_n = (size_t)(o->sec[S_NEAR]->length / sizeof *npos);
    for (uint64_t i = 0; i < h->records; i++)
        in_table += xjl__near_eligible(&e[i]);
    if (in_table != nel_n)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: %zu records belong in the birth-date table, it holds "
                         "%zu",
                         path, in_table, nel_n);
    for (size_t sl = 0; sl < nslots; sl++)
        if (ndays[1 + sl] > ndays[2 + sl])
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: slot %zu of the birth-date table ends before it "
                             "starts",
                             path, sl);
    uint32_t *elem_of = malloc((size_t)h->records * sizeof *elem_of + 1);
    if (!elem_of)
        return xjl__fail(XJL_ENOMEM, "index file %s: out of memory checking its birth-date table",
                         path);
    memset(elem_of, 0xff, (size_t)h->records * sizeof *elem_of); /* UINT32_MAX: none */
    uint32_t bad = UINT32_MAX;
    for (size_t k = 0; k < nel_n && bad == UINT32_MAX; k++) {
        uint32_t p = npos[k];
        if (p >= h->records || elem_of[p] != UINT32_MAX)
            bad = (uint32_t)k;
        else
            elem_of[p] = (uint32_t)k;
    }
    int64_t day0 = (int64_t)(int32_t)ndays[0], ndays_n = (int64_t)(nslots / XJL_NEAR_GENDERS);
    for (uint64_t i = 0; i < h->records && bad == UINT32_MAX; i++) {
        uint32_t k = elem_of[i];
        if (!xjl__near_eligible(&e[i])) {
            bad = k; /* UINT32_MAX when not in the table, as it should be */
            continue;
        }
        int64_t d = (int64_t)xjl__entry_dob(&e[i]) - day0;
        size_t sl = (size_t)(d * XJL_NEAR_GENDERS) + (e[i].gender < 3 ? e[i].gender : 3);
        if (k == UINT32_MAX) { /* (then an element names a record outside the table) */
            free(elem_of);
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: record %llu is missing from the birth-date table",
                             path, (unsigned long long)i);
        }
        bool ok = d >= 0 && d < ndays_n && k >= ndays[1 + sl] && k < ndays[2 + sl];
        if (ok) {
            uint32_t cps[XJL_NAME_MAX_CPS];
            const char *bare = arena + e[i].name_off;
            size_t len = strlen(bare), n = 0;
            for (size_t at = 0; at < len && ok;) {
                int32_t cp = xjl__utf8_next_fast(bare, len, &at);
                ok = cp >= 0 && n < XJL_NAME_MAX_CPS;
                if (ok)
                    cps[n++] = xjl__simplify((uint32_t)cp);
            }
            ok = ok && xjl__near_sig(cps, n) == nsig[k];
        }
        if (!ok)
            bad = k;
    }
    free(elem_of);
    if (bad != UINT32_MAX)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: element %u of the birth-date table is damaged", path, bad);
    return XJL_OK;
}

/* The entries' own check (check_contents()): every string offset inside
 * the strings, an ID number kept as text shorter than the matcher's buffer,
 * a name count, a gender and an ID kind the matcher knows.  Run on a thread
 * of its own while the caller checks the tables: opening a file of
 * 5,000,000 records for matching spent some 70 ms on the two, one after
 * the other, with the second core idle. */
struct entries_check {
    const struct xjl_entry *e;
    uint64_t n;
    const char *arena;
    uint64_t alen;
    uint64_t bad; /* the first damaged record, or UINT64_MAX */
};

static void *check_entries(void *arg)
{
    struct entries_check *c = arg;
    xjl__thread_name("xjl-check");
    c->bad = UINT64_MAX;
    for (uint64_t i = 0; i < c->n; i++) {
        const struct xjl_entry *r = &c->e[i];
        bool in_arena = (r->id64 & XJL_ID_IN_ARENA) != 0;
        uint32_t id_off = (uint32_t)r->id64;
        if (r->name_off >= c->alen || (in_arena && id_off >= c->alen) ||
            (in_arena && strnlen(c->arena + id_off, XJL_ID_MAX) >= XJL_ID_MAX) ||
            r->name_count == 0 || r->gender > XJL_GENDER_UNSPECIFIED ||
            r->id_kind > XJL_IDKIND_OTHER) {
            c->bad = i;
            break;
        }
    }
    return NULL;
}

/* Everything inside the sections: checksums, then what the matcher reads
 * without checking (bucket bounds in order, positions and string offsets in
 * range, strings as long as the matcher's buffers, counts ≥ 1). */
static int check_contents(const struct opened *o, bool whole)
{
    int rc;
    const struct xjx_header *h = o->h;
    const char *path = o->path;
    /* the padding is zeros: then every byte of the file is checked */
    const struct xjx_section *sec = (const struct xjx_section *)(h + 1);
    uint64_t at = h->header_bytes;
    for (uint32_t i = 0; whole && i <= h->nsections; i++) {
        uint64_t to = i < h->nsections ? sec[i].offset : h->file_bytes;
        for (uint64_t p = at; p < to; p++)
            if (o->base[p])
                return xjl__fail(XJL_ECORRUPT, "index file %s: byte %llu, padding, is not 0", path,
                                 (unsigned long long)p);
        if (i < h->nsections)
            at = sec[i].offset + sec[i].length;
    }
    for (int k = S_ENTRIES; whole && k <= S_LAST; k++) {
        const struct xjx_section *s = o->sec[k];
        if (s && XXH3_64bits(o->base + s->offset, (size_t)s->length) != s->xxh3)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: section at %llu (kind %d, %llu "
                             "bytes) does not match its checksum",
                             path, (unsigned long long)s->offset, k, (unsigned long long)s->length);
    }
    const struct xjl_entry *e = (const struct xjl_entry *)(o->base + o->sec[S_ENTRIES]->offset);
    const char *arena = (const char *)(o->base + o->sec[S_ARENA]->offset);
    uint64_t alen = o->sec[S_ARENA]->length;
    struct entries_check ec = {e, h->records, arena, alen, UINT64_MAX};
    pthread_t helper;
    bool apart = h->records >= 1u << 16 && pthread_create(&helper, NULL, check_entries, &ec) == 0;
    if (!apart)
        check_entries(&ec);
    rc = XJL_OK;
    for (size_t ti = 0; ti < NTABLE_KINDS && !rc; ti++) {
        int k = table_kinds[ti];
        const struct xjx_section *st = o->sec[k];
        if (!st)
            continue;
        struct search_table t;
        table_at(o, k, &t);
        const uint32_t *pos = t.pos;
        size_t buckets = (size_t)t.mask + 1;
        for (size_t b = 0; b < buckets && !rc; b++)
            if (xjl__table_start(&t, b) > xjl__table_start(&t, b + 1))
                rc = xjl__fail(XJL_ECORRUPT,
                               "index file %s: bucket %zu of a table ends "
                               "before it starts",
                               path, b);
        for (size_t i = 0; i < o->sec[k + 1]->length / 4 && !rc; i++)
            if (pos[i] >= h->records)
                rc = xjl__fail(XJL_ECORRUPT,
                               "index file %s: a table holds position %u of "
                               "%llu records",
                               path, pos[i], (unsigned long long)h->records);
    }
    /* Every string of the section is shorter than a name may be (the ID
     * numbers kept as text are shorter still), and its last byte ends one
     * (check_sections): a record's name then ends inside the matcher's
     * buffers wherever in the section its offset points.  One walk in
     * order: the names are shared, and a length taken record by record
     * would jump about them (at 50,000,000 records, 0.5 s more). */
    for (uint64_t at = 0; at < alen && !rc;) {
        const char *end = memchr(arena + at, 0, (size_t)(alen - at));
        uint64_t len = (uint64_t)(end - (arena + at));
        if (len >= XJL_NAME_MAX_BYTES)
            rc = xjl__fail(XJL_ECORRUPT,
                           "index file %s: the strings section holds a string of %llu bytes "
                           "at %llu, longer than any name",
                           path, (unsigned long long)len, (unsigned long long)at);
        at += len + 1;
    }
    if (apart)
        pthread_join(helper, NULL);
    if (rc)
        return rc;
    if (ec.bad != UINT64_MAX)
        return xjl__fail(XJL_ECORRUPT, "index file %s: record %llu is damaged", path,
                         (unsigned long long)ec.bad);
    /* XJL_INDEX_BOUNDS stops here: what follows makes sure the file is the
     * one written (the tables exactly those of the records), which no read
     * of the matcher needs to stay inside the file. */
    if (!whole)
        return XJL_OK;
    /* the ids: each block's start is where its first id is, every id as
     * long as the matcher's buffers, and without a record-id table each
     * after the one before, since a binary search finds an id (one walk
     * over the section, in order).
     * XJL_INDEX_BOUNDS leaves it out: a read of an id stays inside the ids
     * whatever the starts hold (xjl__entry_rid), and the walk would read
     * the whole section (550 MB at 50,000,000 records). */
    const char *rids = (const char *)(o->base + o->sec[S_RIDS]->offset);
    const uint64_t *block = (const uint64_t *)(o->base + o->sec[S_RID_BLOCKS]->offset);
    uint64_t rlen = o->sec[S_RIDS]->length, rat = 0, prev = 0;
    for (uint64_t i = 0; i < h->records; i++) {
        size_t len = rat < rlen ? strnlen(rids + rat, XJL_RECORD_ID_MAX + 1) : 0;
        if (rat >= rlen || (i % XJL_RID_BLOCK == 0 && block[i / XJL_RID_BLOCK] != rat) ||
            len > XJL_RECORD_ID_MAX || rat + len >= rlen)
            return xjl__fail(XJL_ECORRUPT, "index file %s: the id of record %llu is damaged", path,
                             (unsigned long long)i);
        if (i && (h->flags & XJX_RIDS_ASCEND) && strcmp(rids + prev, rids + rat) >= 0)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: record %llu's id does not come after the one "
                             "before it, and the file has no record-id table",
                             path, (unsigned long long)i);
        prev = rat;
        rat += len + 1;
    }
    if (rat != rlen)
        return xjl__fail(XJL_ECORRUPT, "index file %s: %llu bytes after the last record id", path,
                         (unsigned long long)(rlen - rat));
    /* the names of 255 records or more: by hash, each once, each such record's */
    const struct xjl_big_name *big =
        (const struct xjl_big_name *)(o->base + o->sec[S_BIG_NAMES]->offset);
    uint64_t nbig = o->sec[S_BIG_NAMES]->length / sizeof *big;
    for (uint64_t i = 0; i < nbig; i++)
        if (big[i].n < XJL_NAME_COUNT_BIG || big[i].n > h->records ||
            (i && big[i - 1].name_off >= big[i].name_off))
            return xjl__fail(XJL_ECORRUPT, "index file %s: common name %llu is damaged", path,
                             (unsigned long long)i);
    for (uint64_t i = 0; i < h->records; i++) {
        if (e[i].name_count < XJL_NAME_COUNT_BIG)
            continue;
        if (!xjl__big_name_find(big, (size_t)nbig, e[i].name_off) ||
            !(e[i].flags & XJL_ENTRY_NAME_OK))
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: record %llu's name is counted among the common "
                             "ones, which do not hold it",
                             path, (unsigned long long)i);
    }
    rc = check_near(o, e, arena);
    if (rc)
        return rc;
    /* the records per birth date are those of the entries */
    const uint32_t *dates = (const uint32_t *)(o->base + o->sec[S_DATES]->offset);
    int32_t lo = (int32_t)dates[0];
    uint64_t nd = o->sec[S_DATES]->length / 4 - 1, with_date = 0, counted = 0;
    for (uint64_t d = 0; d < nd; d++)
        counted += dates[1 + d];
    /* live records only: those of the base not removed, and the changed ones */
    const uint64_t *dead =
        o->sec[S_DEAD] ? (const uint64_t *)(o->base + o->sec[S_DEAD]->offset) + 1 : NULL;
    const struct xjl_entry *de =
        o->sec[S_DELTA_ENTRIES]
            ? (const struct xjl_entry *)(o->base + o->sec[S_DELTA_ENTRIES]->offset)
            : NULL;
    uint64_t ndelta = de ? o->sec[S_DELTA_ENTRIES]->length / sizeof *de : 0;
    for (uint64_t i = 0; i < h->records + ndelta; i++) {
        const struct xjl_entry *r = i < h->records ? &e[i] : &de[i - h->records];
        int32_t dob = xjl__entry_dob(r);
        if (dob == XJL_DATE_NONE || (dead && (dead[i >> 6] >> (i & 63) & 1)))
            continue;
        with_date++;
        if (dob < lo || (uint64_t)((int64_t)dob - lo) >= nd)
            return xjl__fail(XJL_ECORRUPT,
                             "index file %s: record %llu is born outside the "
                             "days the file counts",
                             path, (unsigned long long)i);
    }
    if (counted != with_date)
        return xjl__fail(XJL_ECORRUPT,
                         "index file %s: %llu records with a birth date, %llu "
                         "counted by day",
                         path, (unsigned long long)with_date, (unsigned long long)counted);
    return XJL_OK;
}

static int open_mapped(struct opened *o, unsigned flags, xjl_index **out)
{
    int rc = check_header(o);
    if (!rc)
        rc = check_sections(o);
    if (!rc && (flags & (XJL_INDEX_VERIFY | XJL_INDEX_BOUNDS)))
        rc = check_contents(o, (flags & XJL_INDEX_VERIFY) != 0);
    if (rc)
        return rc;
    xjl_index *ix = NULL;
    if ((rc = xjl_index_new(&ix)))
        return rc;
    const unsigned char *b = o->base;
    ix->entries = (struct xjl_entry *)(b + o->sec[S_ENTRIES]->offset);
    ix->n = ix->cap = (size_t)o->h->records;
    ix->arena = (char *)(b + o->sec[S_ARENA]->offset);
    ix->arena_len = ix->arena_cap = (size_t)o->sec[S_ARENA]->length;
    ix->rids = (const char *)(b + o->sec[S_RIDS]->offset);
    ix->rid_block = (const uint64_t *)(b + o->sec[S_RID_BLOCKS]->offset);
    ix->rids_len = (size_t)o->sec[S_RIDS]->length;
    for (size_t i = 0; i < NTABLE_KINDS; i++) {
        if (o->sec[table_kinds[i]])
            table_at(o, table_kinds[i], &ix->tables[table_of_kind[i]]);
    }
    const struct xjx_section *ds = o->sec[S_DATES];
    ix->ndates = (uint32_t)(ds->length / 4 - 1);
    ix->date_lo = *(const int32_t *)(b + ds->offset);
    ix->dates = ix->ndates ? (uint32_t *)(b + ds->offset + 4) : NULL;
    ix->live_lo = 1; /* no day: an empty range, whatever the first day says */
    ix->live_hi = 0;
    if (ix->ndates) {
        ix->live_lo = ix->date_lo;
        ix->live_hi = (int32_t)((int64_t)ix->date_lo + ix->ndates - 1);
    }
    while (ix->live_lo <= ix->live_hi && !ix->dates[ix->live_lo - ix->date_lo])
        ix->live_lo++;
    while (ix->live_lo <= ix->live_hi && !ix->dates[ix->live_hi - ix->date_lo])
        ix->live_hi--;
    const struct xjx_section *nds = o->sec[S_NEAR_DAYS];
    ix->near_days = (const uint32_t *)(b + nds->offset);
    ix->near_slots = (uint32_t)(nds->length / 4 - 2);
    ix->near_pos = (const uint32_t *)(b + o->sec[S_NEAR]->offset);
    ix->near_sig = (const uint16_t *)(b + o->sec[S_NEAR_SIG]->offset);
    ix->near_n = (size_t)(o->sec[S_NEAR]->length / 4);
    ix->rids_ascend = (o->h->flags & XJX_RIDS_ASCEND) != 0;
    ix->big_names = (const struct xjl_big_name *)(b + o->sec[S_BIG_NAMES]->offset);
    ix->nbig = (size_t)(o->sec[S_BIG_NAMES]->length / sizeof *ix->big_names);
    if (o->sec[S_TAGS])
        ix->tags = (const int64_t *)(b + o->sec[S_TAGS]->offset);
    ix->stamp = o->h->stamp;
    ix->built = true;
    ix->map = (void *)b;
    ix->map_len = (size_t)o->size;
    if (o->sec[S_DELTA_ENTRIES]) {
        const struct xjx_section *de = o->sec[S_DELTA_ENTRIES], *dd = o->sec[S_DEAD];
        const uint64_t *dead = (const uint64_t *)(b + dd->offset);
        rc = xjl__delta_load(
            ix, (const struct xjl_entry *)(b + de->offset),
            (size_t)(de->length / sizeof(struct xjl_entry)),
            (const char *)(b + o->sec[S_DELTA_STRINGS]->offset),
            (size_t)o->sec[S_DELTA_STRINGS]->length, dead + 1, (size_t)(dd->length / 8 - 1),
            (size_t)dead[0],
            o->sec[S_DELTA_TAGS] ? (const int64_t *)(b + o->sec[S_DELTA_TAGS]->offset) : NULL,
            o->path);
        if (rc) { /* freed without the mapping, which the caller unmaps */
            const char *m0 = (const char *)b, *m1 = m0 + o->size;
#define IN_MAP(p) ((const char *)(p) >= m0 && (const char *)(p) <= m1)
            for (int t = 0; t < XJL_T_COUNT; t++)
                if (IN_MAP(ix->tables[t].base))
                    ix->tables[t].base = ix->tables[t].pos = NULL;
            if (IN_MAP(ix->dates))
                ix->dates = NULL;
            if (IN_MAP(ix->near_days))
                ix->near_days = NULL;
            if (IN_MAP(ix->near_pos))
                ix->near_pos = NULL;
            if (IN_MAP(ix->near_sig))
                ix->near_sig = NULL;
            if (IN_MAP(ix->big_names))
                ix->big_names = NULL;
            if (IN_MAP(ix->tags))
                ix->tags = NULL;
#undef IN_MAP
            ix->entries = NULL;
            ix->arena = NULL;
            ix->rids = NULL;
            ix->rid_block = NULL;
            ix->map = NULL;
            xjl_index_free(ix);
            return rc;
        }
    }
    *out = ix;
    return XJL_OK;
}

XJL_API int xjl_index_open(xjl_index **out, const char *path, unsigned flags)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_index_open: NULL out");
    *out = NULL;
    if (!path)
        return xjl__fail(XJL_EINVAL, "xjl_index_open: NULL path");
    if (flags & ~(unsigned)(XJL_INDEX_VERIFY | XJL_INDEX_BOUNDS))
        return xjl__fail(XJL_EINVAL, "xjl_index_open: unknown flags %#x", flags);
    int rc = host_is_little_endian("xjl_index_open:", path);
    if (rc)
        return rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xjl__failm(errno == ENOENT ? XJL_ENOTFOUND : XJL_EIO, "xjx.cannot_open", path,
                          xjl__errno_text(errno));
    struct stat stb;
    if (fstat(fd, &stb) != 0 || !S_ISREG(stb.st_mode)) {
        rc = xjl__fail(XJL_EIO, "%s: %s", path, errno ? strerror(errno) : "not a regular file");
        close(fd);
        return rc;
    }
    struct opened o = {.path = path, .size = (uint64_t)stb.st_size};
    if (o.size == 0) {
        close(fd);
        return xjl__failm(XJL_ETRUNCATED, "xjx.empty", path);
    }
    void *map = mmap(NULL, (size_t)o.size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd); /* the mapping keeps the file */
    if (map == MAP_FAILED)
        return xjl__fail(XJL_EIO, "cannot map %s: %s", path, strerror(errno));
    o.base = map;
    /* verify reads the file from end to end, the bounds check the entries
     * and the tables: let the kernel read ahead */
    if (flags & (XJL_INDEX_VERIFY | XJL_INDEX_BOUNDS))
        madvise(map, (size_t)o.size, MADV_SEQUENTIAL);
    rc = open_mapped(&o, flags, out);
    if (rc)
        munmap(map, (size_t)o.size);
    else
        /* A probe touches a few scattered pages.  Read ahead, each of its
         * faults on a file not in the page cache read 128 KiB or more: the
         * 50 rows of a school's list read 90 MB of a 2,000,000-record index
         * instead of a few hundred pages. */
        madvise(map, (size_t)o.size, MADV_RANDOM);
    return rc;
}

XJL_API int xjl_index_verify(const char *path)
{
    xjl_index *ix = NULL;
    int rc = xjl_index_open(&ix, path, XJL_INDEX_VERIFY);
    xjl_index_free(ix);
    return rc;
}

/* ---- describing ------------------------------------------------------------ */

/* What xjl_index_info() says, the index read-locked. */
static void describe(const xjl_index *ix, xjl_index_info_t *out)
{
    memset(out, 0, sizeof *out);
    out->records = xjl__index_live(ix);
    out->stamp = ix->stamp;
    out->built = ix->built;
    if (ix->map) {
        const struct xjx_header *h = ix->map;
        out->format_version = h->format_version;
        out->key_scheme = h->key_scheme;
        out->key_fingerprint = h->key_fingerprint;
        snprintf(out->library_version, sizeof out->library_version, "%.15s", h->library_version);
        out->file_bytes = h->file_bytes;
    } else {
        out->format_version = XJX_FORMAT;
        out->key_scheme = XJX_KEY_SCHEME;
        out->key_fingerprint = key_fingerprint();
        snprintf(out->library_version, sizeof out->library_version, "%s", XJL_VERSION_STRING);
        if (ix->built) {
            struct section_src src[XJX_SECTIONS];
            size_t ns = sections_of(ix, false, src, NULL, NULL, NULL);
            struct xjx_header h;
            struct xjx_section sec[XJX_SECTIONS];
            fill_header(ix, src, ns, &h, sec, false);
            out->file_bytes = h.file_bytes; /* what xjl_index_save() would write */
        }
    }
    out->entry_bytes = ix->n * sizeof(struct xjl_entry);
    out->string_bytes = ix->arena_len;
    if (ix->rid_block) { /* the ids and their block starts */
        out->string_bytes += ix->rids_len + (xjl__rid_blocks(ix->n) + 1) * 8;
    }
    const struct search_table *t = ix->tables;
    out->id_table_bytes = table_start_bytes(&t[XJL_T_ID]) + t[XJL_T_ID].n * 4;
    out->name_table_bytes = table_start_bytes(&t[XJL_T_PINYIN]) + t[XJL_T_PINYIN].n * 4;
    out->rid_table_bytes = table_start_bytes(&t[XJL_T_RID]) + t[XJL_T_RID].n * 4;
    out->near_table_bytes =
        (ix->near_days ? ((uint64_t)ix->near_slots + 2) * 4 : 0) + ix->near_n * 6;
}

XJL_API int xjl_index_info(const xjl_index *ix, xjl_index_info_t *out)
{
    if (!ix || !out)
        return xjl__fail(XJL_EINVAL, "xjl_index_info: NULL %s", ix ? "out" : "index");
    /* a change or a compaction in another thread replaces what it reads */
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
    describe(ix, out);
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    return XJL_OK;
}

XJL_API int xjl_index_file_checksum(const xjl_index *ix, uint64_t *out)
{
    if (out)
        *out = 0;
    if (!ix || !out)
        return xjl__fail(XJL_EINVAL, "xjl_index_file_checksum: NULL %s", ix ? "out" : "index");
    pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock); /* a compaction drops the map */
    const struct xjx_header *h = ix->map;
    uint64_t sum = h ? h->header_xxh3 : 0;
    pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
    if (!h)
        return xjl__fail(XJL_ESTATE, "the index was not opened from a file");
    *out = sum;
    return XJL_OK;
}

const int64_t *xjl__index_tags(const xjl_index *ix)
{
    return ix->tags;
}

XJL_API void xjl_index_set_stamp(xjl_index *ix, uint64_t stamp)
{
    if (ix)
        ix->stamp = stamp;
}

XJL_API uint64_t xjl_index_stamp(const xjl_index *ix)
{
    return ix ? ix->stamp : 0;
}
