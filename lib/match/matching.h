/*
 * match: the registry index (index.c), the grading of a pair (compare.c),
 * candidate search and classification (match.c) and the duplicate check
 * (dedup.c).  Below the packed key nothing touches text but a registry
 * name when a candidate is graded "one character differs".
 */
#ifndef XJL_MATCHING_H
#define XJL_MATCHING_H

#include "fields/fields.h"
#include "io/io.h"

#include <pthread.h>

/* ---- index.c, compare.c, match.c -------------------------------------------
 *
 * Below this line the matcher knows only packed keys: no UTF-8 string is
 * touched on the hot path except a registry name when a candidate is graded
 * "one character differs".
 */

/* ID numbers packed in 64 bits.  A number of the citizen form (17 digits and
 * a check character, whatever its kind or validity) packs as
 * digits17 * 11 + check + 1; any other number is kept in the arena and the
 * value is its offset with XJL_ID_IN_ARENA set.  0 means "no number". */
#define XJL_ID_IN_ARENA (1ull << 63)

enum {
    XJL_ENTRY_NAME_OK = 1u << 0,     /* name usable */
    XJL_ENTRY_ID_VALID = 1u << 1,    /* ID number without error findings */
    XJL_ENTRY_ID_CITIZEN = 1u << 2,  /* a valid number of the citizen scheme (1/B/C class) */
    XJL_ENTRY_LATIN = 1u << 3,       /* name in Latin letters */
    XJL_ENTRY_PLACEHOLDER = 1u << 4, /* name has a rare-character placeholder */
    XJL_ENTRY_AMBIGUOUS = 1u << 5,   /* name's T→S fold is ambiguous (乾/干) */
    XJL_ENTRY_SEPARATED = 1u << 6,   /* DISPLAY name has separators (· or spaces) */
    XJL_ENTRY_READINGS = 1u << 7,    /* name has more pinyin keys than py_h (name_keys.c) */
};

/* One registry record, packed (28 bytes: a registry of millions is mostly
 * these).  What only grading a candidate needs (the SIMPLIFIED form, the
 * code points) is derived again from the BARE name in the arena, and the
 * record id is found by the record's position (xjl__entry_rid).  The BARE
 * name is compared by its text, which a built index holds once per name:
 * a hash of it in every entry cost 8 bytes a record, and the search never
 * needs it (the tables by name hash the text, xjl__entry_name_hash()).
 * Packed to 4 bytes:
 * an array of them has no padding, and x86-64 reads a 64-bit field at a
 * 4-byte boundary at full speed.
 *
 * The two birth dates are 17-bit day numbers counted from XJL_ENTRY_DAY0
 * (0: none): a usable date lies in 1900-2099 (xjl__date_check), 73,049
 * days, one bit more than 16.  Their low 16 bits have a field each and
 * their top bits the spare bits of id_kind (0 to 5) and id_type (an ASCII
 * code): 4 bytes less than two int32_t.  Read them with xjl__entry_dob()
 * and xjl__entry_id_dob(), set them with xjl__entry_set_dates(). */
struct __attribute__((packed, aligned(4))) xjl_entry {
    uint64_t id64;         /* packed ID number (above) */
    uint64_t py_h;         /* XXH3 of the fuzzy-pinyin classes of the primary readings (Latin:
                            * of the words sorted): the first name key of name_keys.c */
    uint32_t name_off;     /* arena offset of the BARE name, NUL-terminated: in a built
                            * index each name once, shared by its records; while
                            * records are added, and in the delta, the record id
                            * follows it (xjl__entry_rid) */
    uint16_t dob_lo;       /* birth date: the low 16 bits of its 17 */
    uint16_t id_dob_lo;    /* birth date inside the ID number: the same */
    uint8_t gender : 4;    /* an xjl_gender: 0, 1, 2 or 9 */
    uint8_t id_kind : 3;   /* an xjl_id_kind: 0 to 5 */
    uint8_t dob_hi : 1;    /* the birth date's bit 16 */
    uint8_t id_type : 7;   /* an xjl_id_type: an ASCII code or 0 */
    uint8_t id_dob_hi : 1; /* the ID number's birth date's bit 16 */
    uint8_t flags;         /* XJL_ENTRY_* */
    /* Registry records with this BARE name (≥ 1; set by the build, exact);
     * a changed record: those of the base (delta.c).  XJL_NAME_COUNT_BIG: as
     * many or more, the count is the index's big_names (xjl__entry_base_count). */
    uint8_t name_count;
};
/* The day before the first a date of an entry can hold (1899-12-31): the
 * stored value is the day number minus this, 1 to 73,049. */
#define XJL_ENTRY_DAY0 (-25568)
#define XJL_ENTRY_DAYS ((int32_t)1 << 17) /* stored values 0 .. XJL_ENTRY_DAYS - 1 */

static inline int32_t xjl__entry_day(unsigned lo, unsigned hi)
{
    uint32_t v = lo | (uint32_t)hi << 16;
    return v ? XJL_ENTRY_DAY0 + (int32_t)v : XJL_DATE_NONE;
}

/* e's birth date, a day number or XJL_DATE_NONE. */
static inline int32_t xjl__entry_dob(const struct xjl_entry *e)
{
    return xjl__entry_day(e->dob_lo, e->dob_hi);
}

/* The birth date inside e's ID number, a day number or XJL_DATE_NONE. */
static inline int32_t xjl__entry_id_dob(const struct xjl_entry *e)
{
    return xjl__entry_day(e->id_dob_lo, e->id_dob_hi);
}

/* A day number as an entry stores it: 0 for XJL_DATE_NONE and for a day an
 * entry cannot hold.  Entries hold the dates of records that pass
 * xjl__date_check (1900 to 2099), so no date of a record is lost; a day
 * outside (never made by the fields) reads back as none. */
static inline uint32_t xjl__entry_day_value(int32_t day)
{
    if (day == XJL_DATE_NONE || day <= XJL_ENTRY_DAY0 || day - XJL_ENTRY_DAY0 >= XJL_ENTRY_DAYS)
        return 0;
    return (uint32_t)(day - XJL_ENTRY_DAY0);
}

/* Sets e's two birth dates (day numbers or XJL_DATE_NONE). */
static inline void xjl__entry_set_dates(struct xjl_entry *e, int32_t dob, int32_t id_dob)
{
    uint32_t v = xjl__entry_day_value(dob), w = xjl__entry_day_value(id_dob);
    e->dob_lo = (uint16_t)v;
    e->dob_hi = (uint8_t)(v >> 16);
    e->id_dob_lo = (uint16_t)w;
    e->id_dob_hi = (uint8_t)(w >> 16);
}
#define XJL_NAME_COUNT_BIG 255

/* A name of XJL_NAME_COUNT_BIG records or more among the built ones: where
 * the built records' names hold it (each name is there once) and its count.
 * The index keeps them by name_off: a built record's count is found without
 * reading its name. */
struct xjl_big_name {
    uint32_t name_off;
    uint32_t n;
};

/* The common name at name_off among big[0 .. n), which ascend by name_off:
 * its place, or NULL. */
static inline const struct xjl_big_name *xjl__big_name_find(const struct xjl_big_name *big,
                                                            size_t n, uint32_t name_off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (big[mid].name_off == name_off)
            return &big[mid];
        if (big[mid].name_off < name_off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* T_NAME (by the BARE name's hash) counts names at the build and finds a
 * name's count in the base for a record added later (delta.c). */
enum xjl_table { XJL_T_ID = 0, XJL_T_PINYIN = 1, XJL_T_RID = 2, XJL_T_NAME = 3, XJL_T_COUNT = 4 };

/* The index itself (index.c; index_file.c saves it and maps it back).  A
 * search table is two flat arrays: bucket starts and positions, grouped by
 * bucket.  An index opened from a file points its arrays into the mapping
 * [map, map + map_len); xjl_index_free() frees only what lies outside it.
 *
 * A bucket's start is not stored whole: a group of XJL_START_GROUP buckets
 * has the start of its first bucket (32 bits) and each bucket its distance
 * from that, in the fewest of 1, 2 or 4 bytes that hold every distance of
 * the table.  A bucket holds about one key, so a start costs 1.25 bytes
 * instead of 4 and a probe reads one more word, of an array 16 times
 * smaller than the buckets (mostly in cache). */
#define XJL_START_GROUP 16
struct search_table {
    uint32_t mask;        /* buckets - 1 (buckets: a power of two, at least XJL_START_GROUP) */
    uint32_t start_bytes; /* bytes of a distance in start[]: 1, 2 or 4 */
    const uint32_t *base; /* buckets / XJL_START_GROUP + 1 group starts */
    const void *start;    /* buckets + 1 distances from their group's start (NULL: no table) */
    const uint32_t *pos;  /* entry positions grouped by bucket */
    size_t n;
};

/* Where bucket b (0 .. buckets) of t starts in t->pos. */
static inline uint32_t xjl__table_start(const struct search_table *t, size_t b)
{
    uint32_t d;
    if (t->start_bytes == 1)
        d = ((const uint8_t *)t->start)[b];
    else if (t->start_bytes == 2)
        d = ((const uint16_t *)t->start)[b];
    else
        d = ((const uint32_t *)t->start)[b];
    return t->base[b / XJL_START_GROUP] + d;
}

/* Bytes of t's bucket starts (its group starts and distances). */
static inline size_t xjl__table_start_bytes(const struct search_table *t)
{
    if (!t->start)
        return 0;
    size_t buckets = (size_t)t->mask + 1;
    return (buckets / XJL_START_GROUP + 1) * sizeof(uint32_t) + (buckets + 1) * t->start_bytes;
}

/* ---- delta.c: changes after the build ---------------------------------------
 * A built or opened index (the base) is never written again.  Records added
 * or updated later go to a delta: entries at positions n, n + 1, ... after
 * the base's, their strings in chunks that never move (a record id handed
 * out stays valid until the index is compacted or freed), and small hash
 * maps by key for the search.  A removed or replaced record, of the base or
 * of the delta, is a bit in dead[]. */
enum { XJL_DELTA_CHUNK_BITS = 16 }; /* strings: 64 KiB chunks */
#define XJL_DELTA_CHUNK_MASK (((size_t)1 << XJL_DELTA_CHUNK_BITS) - 1)

struct xjl_delta_item {
    uint64_t key;
    uint32_t pos;
    uint32_t next; /* 1 + the next item of the bucket, 0: none */
};

struct xjl_delta_map { /* key -> delta positions, chained per bucket */
    uint32_t *head;    /* 1 + the first item of a bucket, 0: none */
    uint32_t mask;
    struct xjl_delta_item *items;
    size_t n, cap;
};

struct xjl_delta {
    struct xjl_entry *e; /* the record at position ix->n + i is e[i] */
    size_t n, cap;
    char **chunk;
    size_t nchunks, chunk_cap, chunk_used; /* bytes used of the last chunk */
    uint64_t *dead;                        /* a bit per position, base and delta */
    size_t dead_words, ndead;
    struct xjl_delta_map map[XJL_T_COUNT]; /* T_ID, T_PINYIN, T_RID (T_NAME: the base's) */
    /* per BARE name hash: live delta records minus dead base records */
    uint64_t *name_key;
    int32_t *name_adj;
    size_t name_cap, name_n;
    size_t changes; /* add, update and remove calls since the base */
    int64_t *tags;  /* the tag of the record at position ix->n + i, when the base has tags */
    /* the live and dead delta records of the near search, by xjl__near_key() */
    struct xjl_delta_map near;
};

#define XJL_NEAR_GENDERS 4 /* slots a day: unknown, male, female, unspecified */

/* Files an index remembers it was read from (xjl__index_sources). */
#define XJL_INDEX_SOURCES 16

struct xjl_index {
    struct xjl_entry *entries;
    size_t n, cap;
    char *arena;
    size_t arena_len, arena_cap;
    /* The built records' ids, NUL-terminated, in position order, and where
     * each block of XJL_RID_BLOCK of them starts (one start more: the
     * length).  NULL until the build moves the ids out of the arena
     * (split_strings in index.c): an index being filled keeps each id right
     * after its name. */
    const char *rids;
    const uint64_t *rid_block;
    size_t rids_len; /* rid_block's last element: the ids' bytes */
    bool built;
    unsigned threads; /* the caller's budget for loading (0: all cores) */
    struct search_table tables[XJL_T_COUNT];
    /* The built records' ids ascend (byte order, no two equal): T_RID is not
     * built, a binary search over the entries finds an id. */
    bool rids_ascend;
    pthread_mutex_t rid_lock; /* T_RID is built on first use */
    void *map;                /* the file an opened index lies in, or NULL */
    size_t map_len;
    uint64_t stamp; /* the caller's stamp, saved in the file */
    /* a 64-bit value per base record kept for the caller (xjl__index_set_tags), in
     * the file or the index's own, or NULL; the delta's records have theirs */
    const int64_t *tags;
    /* the files the records came from: an output must not replace them */
    struct xjl__file_id sources[XJL_INDEX_SOURCES];
    size_t nsources;
    /* Live records born on each day: dates[d - date_lo] for d in
     * [date_lo, date_lo + ndates); live_lo..live_hi the days that have any
     * (live_lo > live_hi: none).  Exact, kept under change. */
    uint32_t *dates;
    int32_t date_lo, live_lo, live_hi;
    uint32_t ndates;
    /* The birth-date table of the near search (near.c): near_days[0] the
     * first day (as int32), then near_slots + 1 starts into near_pos[] and
     * near_sig[], a slot per day and gender (XJL_NEAR_GENDERS a day); an
     * element is a record's position and its name's signature (xjl__near_sig). */
    const uint32_t *near_days;
    const uint32_t *near_pos;
    const uint16_t *near_sig;
    size_t near_n;
    uint32_t near_slots;
    /* the names of XJL_NAME_COUNT_BIG built records or more, by hash */
    const struct xjl_big_name *big_names;
    size_t nbig;
    struct xjl_delta *delta; /* changes since the build or the file, or NULL */
    uint64_t base_gen;       /* bumped by each compaction: the base was replaced */
    /* Keys a pass of a search table's build holds (index.c): 0 for the
     * library's bound; tests set a small one to build in many passes. */
    size_t build_pass_keys;
    /* Readers (matching, lookups) share it; a change takes it alone. */
    pthread_rwlock_t lock;
};

/* The record at a position, of the base or of the delta. */
static inline const struct xjl_entry *xjl__entry(const xjl_index *ix, uint32_t pos)
{
    return pos < ix->n ? &ix->entries[pos] : &ix->delta->e[pos - ix->n];
}

/* Whether e (an xjl__entry()) is one of the built records, not a change. */
static inline bool xjl__entry_is_built(const xjl_index *ix, const struct xjl_entry *e)
{
    return e >= ix->entries && e < ix->entries + ix->n;
}

/* The arena string at off: the base's, or beyond it a delta chunk's.  An
 * offset past every string, which only a damaged file opened without
 * XJL_INDEX_BOUNDS holds, reads as the empty string, and so does the record
 * id after it (xjl__entry_rid()).  The strings of the base end in a NUL
 * (checked at open), each chunk of the delta too (delta.c): whatever the
 * offset, no read leaves them. */
static const char xjl__no_strings[2] = {'\0', '\0'}; /* "" and, after it, "" (a record id) */
static inline const char *xjl__index_str(const xjl_index *ix, uint32_t off)
{
    if (off < ix->arena_len)
        return ix->arena + off;
    size_t d = off - ix->arena_len, c = d >> XJL_DELTA_CHUNK_BITS;
    const struct xjl_delta *dl = ix->delta;
    if (!dl || c >= dl->nchunks ||
        (c + 1 == dl->nchunks && (d & XJL_DELTA_CHUNK_MASK) >= dl->chunk_used))
        return xjl__no_strings;
    return dl->chunk[c] + (d & XJL_DELTA_CHUNK_MASK);
}

/* The record id of the record at pos.  A built record's is in the ids'
 * block of XJL_RID_BLOCK: the block's start, then as many strings skipped as
 * pos lies into it (at most 15, about 75 bytes of ids).  A changed record's
 * (and, while the index is filled, every record's) is the string after its
 * BARE name, in the same piece of the strings. */
#define XJL_RID_BLOCK 16
/* How many blocks of ids n built records take (their starts: one more). */
static inline uint64_t xjl__rid_blocks(uint64_t n)
{
    return (n + XJL_RID_BLOCK - 1) / XJL_RID_BLOCK;
}
/* The offset just past the k-th NUL from at in the ids (rids_len when they
 * end first).  Ids are a few bytes each, so a call of strlen per id cost
 * more than the scan itself (a tenth of a roster's matching time): the
 * bytes are read eight at a time and their NULs counted. */
static inline uint64_t xjl__rids_skip(const xjl_index *ix, uint64_t at, uint32_t k)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    while (k && at + 8 <= ix->rids_len) {
        uint64_t v;
        memcpy(&v, ix->rids + at, 8);
        /* 0x80 in exactly the bytes of v that are zero */
        uint64_t zero = ~(((v & low7) + low7) | v | low7);
        /* (the count of the 0x80 bits by a multiply: a popcount is a call
         * on the baseline x86-64 the library is built for) */
        uint32_t nuls = (uint32_t)(((zero >> 7) * 0x0101010101010101ull) >> 56);
        if (nuls < k) {
            k -= nuls;
            at += 8;
            continue;
        }
        /* the k-th NUL of the word: drop the k-1 lowest-addressed ones
         * (the word was read little-endian: its first byte is its lowest) */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        zero = __builtin_bswap64(zero);
#endif
        while (--k)
            zero &= zero - 1;
        return at + (uint64_t)(__builtin_ctzll(zero) / 8) + 1;
    }
    for (; k && at < ix->rids_len; k--)
        at += strnlen(ix->rids + at, ix->rids_len - at) + 1;
    return at;
}

static inline const char *xjl__entry_rid(const xjl_index *ix, uint32_t pos)
{
    if (pos < ix->n && ix->rid_block) {
        /* A file mapped without XJL_INDEX_BOUNDS is checked by verify, not
         * at open: a damaged start still reads inside the ids, whose last
         * byte is NUL (checked at open), and gives "" past their end. */
        uint64_t at = ix->rid_block[pos / XJL_RID_BLOCK];
        at = at < ix->rids_len ? xjl__rids_skip(ix, at, pos % XJL_RID_BLOCK) : at;
        return at < ix->rids_len ? ix->rids + at : "";
    }
    const char *name = xjl__index_str(ix, xjl__entry(ix, pos)->name_off);
    return name + strlen(name) + 1;
}

/* Whether the record at pos was removed or replaced. */
static inline bool xjl__index_dead(const xjl_index *ix, uint32_t pos)
{
    return ix->delta && (ix->delta->dead[pos >> 6] >> (pos & 63) & 1);
}

/* Positions: the base's and the delta's, dead ones included. */
static inline size_t xjl__index_positions(const xjl_index *ix)
{
    return ix->n + (ix->delta ? ix->delta->n : 0);
}

/* Live records (what a build from the registry as it is now would hold). */
static inline size_t xjl__index_live(const xjl_index *ix)
{
    return xjl__index_positions(ix) - (ix->delta ? ix->delta->ndead : 0);
}

/* The count of e's BARE name among the built records (0: none; a changed
 * record's name may be new), its name_count or its big_names entry. */
uint32_t xjl__entry_base_count(const xjl_index *ix, const struct xjl_entry *e);
/* Registry records with the BARE name of e, exactly, changes included
 * (1 for a record without a usable name). */
uint32_t xjl__index_name_count(const xjl_index *ix, const struct xjl_entry *e);
/* The hash the tables by name (T_NAME, big_names, the delta's name counts)
 * file a BARE name under: XXH3-64 of its text.  Only a name's place follows
 * it: names are found equal by their text. */
uint64_t xjl__name_hash(const char *bare);
/* The same of e's BARE name, its text in the arena or the delta. */
uint64_t xjl__entry_name_hash(const xjl_index *ix, const struct xjl_entry *e);
/* The position of a built record (removed ones included) with this BARE
 * name, found through T_NAME, or UINT32_MAX: none. */
uint32_t xjl__built_name_record(const xjl_index *ix, const char *bare);
/* Live records born on day, or 0 when the registry's dates span three
 * centuries or more (then there is no estimate per date). */
uint32_t xjl__index_date_count(const xjl_index *ix, int32_t day);
/* The delta's hits of a key: calls fn for each delta position filed under key
 * in table t (dead ones included: the caller skips them). */
void xjl__delta_probe(const xjl_index *ix, enum xjl_table t, uint64_t key,
                      void (*fn)(void *ctx, uint32_t pos), void *ctx);
void xjl__delta_free(struct xjl_delta *d); /* index.c */
/* Whether the index has changes not folded into its base (dedup.c refuses them). */
bool xjl__index_changed(const xjl_index *ix);
/* index.c for delta.c: the packed entry of a record and its strings. */
int xjl__index_pack(const xjl_record *rec, struct xjl_entry *e, char *bare, size_t bare_cap,
                    char *id_text, size_t id_cap);
/* index.c: builds search table t from the entries (under rid_lock for T_RID, T_NAME). */
int xjl__index_build_table(xjl_index *ix, enum xjl_table t);
/* index.c: the keys of an entry in table t (entry_keys). */
void xjl__entry_keys(const xjl_index *ix, const struct xjl_entry *e, enum xjl_table t,
                     void (*sink)(void *ctx, uint64_t key, uint32_t pos), void *ctx, uint32_t pos);
/* index.c: live records per birth date from the entries (the build). */
int xjl__index_count_dates(xjl_index *ix);
/* Adds / removes one live record born on day to the counts (delta.c). */
int xjl__index_date_add(xjl_index *ix, int32_t day, int delta);
/* index.c: xjl_index_add() before the build (delta.c takes it after). */
int xjl__index_append(xjl_index *ix, const char *record_id, const xjl_record *rec);
/* delta.c: a new index, built, of the live records of ix in their order
 * (what compaction and the save of a changed index write). */
int xjl__index_fold(const xjl_index *ix, unsigned threads, xjl_index **out);
/* delta.c: the changes an index file holds, checked and taken into ix
 * (index_file.c); XJL_ECORRUPT names path. */
int xjl__delta_load(xjl_index *ix, const struct xjl_entry *e, size_t n, const char *strings,
                    size_t slen, const uint64_t *dead, size_t dead_words, size_t changes,
                    const int64_t *tags, const char *path);
/* xjl_index_find_id() for a caller that holds the index's lock. */
size_t xjl__index_find_id(const xjl_index *ix, const char *record_id);
/* Frees an array of ix unless it lies in the file ix was opened from. */
void xjl__index_release(const xjl_index *ix, const void *p);

/* near.c: the near search (docs/matching.md, "The near search").
 * Whether a record is in the birth-date table (a usable Han name, a date): */
bool xjl__near_eligible(const struct xjl_entry *e);
/* A name's signature: its length (code points, at most 15) in the low four
 * bits, four bits per character of the first three above it. */
uint16_t xjl__near_sig(const uint32_t *cps, size_t n);
/* Whether two signatures have the same length and differ in the bits of one
 * character at most. */
bool xjl__near_sig_close(uint16_t a, uint16_t b);
/* The SIMPLIFIED code points of an entry's BARE name (0: more than cap, or
 * not valid UTF-8). */
size_t xjl__entry_cps(const xjl_index *ix, const struct xjl_entry *e, uint32_t *cps, size_t cap);
/* The key of a day and gender in the delta's near map. */
uint64_t xjl__near_key(int32_t day, uint8_t gender);
/* Builds the birth-date table from the base's entries and its dates (the build). */
int xjl__near_build(xjl_index *ix);
/* Calls keep for each live record born on day with gender whose name (cps,
 * ncps SIMPLIFIED code points, at least 2) has the same length and differs
 * in one position at most; stops at keep's first error, left in *rc.
 * Returns the elements read (the cost of the probe). */
size_t xjl__near_search(const xjl_index *ix, const uint32_t *cps, size_t ncps, uint8_t gender,
                        int32_t day, int (*keep)(void *ctx, uint32_t pos), void *ctx, int *rc);

/* Tags: a 64-bit value per record kept for the caller (the row id each
 * record has in a workspace table).  xjl__index_set_tags() gives a built
 * index without changes its tags, tags[0 .. count), which it then owns;
 * xjl__index_apply_tagged() is xjl_index_apply() with the tag of each
 * change's record (tags[i] for changes[i]; the records of xjl_index_apply()
 * on a tagged index get 0); compaction keeps them; xjl__index_save_tags()
 * writes the index with its tags and the changes' (sections 9 and 18) and
 * xjl_index_open() reads them back.  xjl__index_tag() is the tag at a
 * position (0 without tags), xjl__index_tags() the base's (NULL: none). */
int xjl__index_set_tags(xjl_index *ix, int64_t *tags);
int xjl__index_apply_tagged(xjl_index *ix, const xjl_index_change *changes, size_t n, int *results,
                            const int64_t *tags);
int xjl__index_save_tags(const xjl_index *ix, const char *path);
const int64_t *xjl__index_tags(const xjl_index *ix);
/* The search tables ix has built, a bit (1 << enum xjl_table) each: a table
 * built on first use (by record id, by name) is saved if it was. */
unsigned xjl__index_table_mask(const xjl_index *ix);
static inline int64_t xjl__index_tag(const xjl_index *ix, size_t pos)
{
    if (!ix->tags)
        return 0;
    return pos < ix->n ? ix->tags[pos] : ix->delta->tags[pos - ix->n];
}
/* Records of the delta (dead ones included) against those of the base: how
 * far the changes have piled up (delta.c). */
size_t xjl__index_delta_records(const xjl_index *ix);

/* The query side: the same packed fields plus the forms of its name. */
struct xjl_query {
    struct xjl_key_input in;
    struct xjl_entry e; /* name_off unused */
    /* The normalised number as text ("" for none): kept whole for the
     * arena-kept kinds, unpacked once for a packed one, so that grading does
     * not unpack it again for every candidate (compare.c). */
    char id_text[XJL_ID_MAX];
    /* Records among the candidates with the query's BARE name and birth date
     * (match.c counts them: the name's frequency on that date). */
    uint32_t namesakes_on_date;
    /* Where the built records' names hold the query's BARE name (each name
     * is there once: a built record has it exactly when its name_off is
     * this), or UINT32_MAX while not known.  match.c sets it; compare.c
     * then tells a built record's name without reading it. */
    uint32_t built_name;
};

/* name_keys.c: the name hashes of the pinyin search keys of a name (its
 * SIMPLIFIED code points and their primary readings): out[0] for the primary
 * readings folded to fuzzy classes, then one for each other reading of one
 * character; returns how many (1 .. XJL_NAME_KEYS_MAX). */
#define XJL_NAME_KEYS_MAX 4
size_t xjl__name_keys(const uint32_t *cps, const uint32_t *pinyin, size_t n,
                      uint64_t out[XJL_NAME_KEYS_MAX]);
/* The same from a registry entry's BARE name, whose first key is first. */
size_t xjl__bare_name_keys(const char *bare, uint64_t first, uint64_t out[XJL_NAME_KEYS_MAX]);

/* Most keys one entry has in one table: T_PINYIN's, a name key with two dates. */
#define XJL_ENTRY_KEYS_MAX (2 * XJL_NAME_KEYS_MAX)
/* index.c: the name hashes of entry e's pinyin keys (py_h first). */
size_t xjl__entry_name_keys(const xjl_index *ix, const struct xjl_entry *e,
                            uint64_t out[XJL_NAME_KEYS_MAX]);

/* Fills the packed fields of e from a read record (index.c).  Strings are
 * not stored: the caller places the BARE name and the ID text. */
void xjl__entry_pack(const struct xjl_key_input *in, struct xjl_entry *e);
/* The 18 characters of a packed citizen-form number (index.c). */
void xjl__id_unpack(uint64_t id64, char out[19]);
/* Key hashes for the search tables (index.c). */
uint64_t xjl__key_id(const struct xjl_entry *e, const char *id_text);
uint64_t xjl__key_name_date(uint64_t name_h, int32_t date);
const struct xjl_entry *xjl__index_entries(const xjl_index *ix, size_t *n);
bool xjl__index_is_built(const xjl_index *ix);
/* The files xjl_index_add_csv() read (the first XJL_INDEX_SOURCES): what an
 * output of a run over this index must not replace. */
const struct xjl__file_id *xjl__index_sources(const xjl_index *ix, size_t *n);
/* index.c: records packed into a part on any thread (xjl__index_part_add,
 * fields NUL-terminated, an id each), then appended to an index that is not
 * built, in order, on one (the same entries as xjl_index_add() one by one).
 * A part is used by one thread at a time; clear it to reuse it. */
void *xjl__index_part_new(void);
void xjl__index_part_free(void *part);
void xjl__index_part_clear(void *part);
int xjl__index_part_add(void *part, const char *record_id, const xjl_record *rec);
int xjl__index_part_append(xjl_index *ix, const void *part);
/* Appends a copy of the record at pos of src (packed fields and strings, no
 * reading again) to dst, which is not built; record_id NULL keeps src's id.
 * dedup.c builds one index per block this way. */
int xjl__index_copy_entry(xjl_index *dst, const xjl_index *src, size_t pos, const char *record_id);
/* Probes one search table: calls fn for each position whose key hash equals
 * key (at most limit positions); returns the number of positions visited. */
size_t xjl__index_probe(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                        void (*fn)(void *ctx, uint32_t pos), void *ctx);
/* The same in steps, for a search that prefetches: the bucket of key holds
 * the positions pos[*from .. *to) (at most limit of them). */
static inline void xjl__index_prefetch(const xjl_index *ix, enum xjl_table t, uint64_t key)
{
    const struct search_table *tab = &ix->tables[t];
    if (tab->start) {
        size_t b = key & tab->mask;
        __builtin_prefetch(&tab->base[b / XJL_START_GROUP]);
        __builtin_prefetch((const char *)tab->start + b * tab->start_bytes);
    }
}
const uint32_t *xjl__index_bucket(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                                  uint32_t *from, uint32_t *to);

/* compare.c: the agreement level of each field (an xjl_level). */
struct xjl_levels {
    uint8_t name, gender, dob, type, id;
    /* name is XJL_LV_NAME_PINYIN only through a reading other than some
     * character's first (柏 bó / 博): the first readings differ */
    bool name_by_other_reading;
};
void xjl__compare(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                  struct xjl_levels *out);
/* xjl__compare() in two halves: the levels read from the packed fields alone
 * (gender, dob, type, id: no string but an ID number kept in the arena), and
 * the name's, which reads the registry name.  The matcher grades the first
 * half of every hit and the name only of one that could reach the threshold. */
void xjl__compare_packed(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                         struct xjl_levels *out);
void xjl__compare_name(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
                       struct xjl_levels *out);
/* Day and month swapped: the day number, or XJL_DATE_NONE if not a date or d == m. */
int32_t xjl__date_swap(int32_t days);

/* match.c, for the duplicate check (dedup.c): matching the records at
 * positions from..to-1 of the matcher's index against that index.  Each
 * record is taken from its packed entry, not read again; its candidates,
 * levels and scores are those xjl_matcher_match() gives for the record's
 * own text, except that the record itself is left out and no field blocks
 * the query (a registry record with, say, an unreadable gender is still
 * compared: others find it by the fields it has).  fn is called for every
 * candidate of every record that want (if not NULL) accepts before it is
 * graded, whatever its score, in position order; five tells whether the
 * pair agrees on all five normalised key fields; cut_fn (if not NULL) for
 * every search key of a record that the block limit cut, before its
 * candidates.  w is per-thread scratch. */
struct xjl_match_scratch;
struct xjl_match_scratch *xjl__match_scratch_new(const xjl_matcher *m);
void xjl__match_scratch_free(struct xjl_match_scratch *w);
typedef void (*xjl_candidate_fn)(void *ctx, uint32_t self, uint32_t pos,
                                 const struct xjl_levels *lv, double score, bool five);
typedef bool (*xjl_candidate_want_fn)(void *ctx, uint32_t self, uint32_t pos);
/* A search key of record self whose block the block limit cut: the ID
 * number's key, or a name key with one of the record's dates; the key's
 * records (those read, and the bucket's positions past the read depth,
 * which are counted, not read) and how many of them the limit left out of
 * the comparison. */
struct xjl_cut {
    bool by_id;
    uint64_t key;
    int32_t date; /* a name key's date; XJL_DATE_NONE for the ID number's */
    uint32_t records, left_out;
};
typedef void (*xjl_cut_fn)(void *ctx, uint32_t self, const struct xjl_cut *cut);
/* dedup.c: records a check matched against their block (a record that
 * agrees on every compared field with an earlier one is not matched). */
uint64_t xjl__dedup_matched(const xjl_dedup *d);
int xjl__match_positions(const xjl_matcher *m, struct xjl_match_scratch *w, uint32_t from,
                         uint32_t to, xjl_candidate_want_fn want, xjl_candidate_fn fn,
                         xjl_cut_fn cut_fn, void *ctx);
/* xjl_matcher_match_many() on the threads of an existing pool (match.c):
 * the roster stream keeps one pool for all its chunks. */
int xjl__match_many_on(const xjl_matcher *m, const xjl_record *recs, size_t n, xjl__pool *pool,
                       xjl_result **out);
/* The reasons text of a pair's levels, "id=typo name=exact dob=exact gender=exact type=exact"
 * (at most 80 bytes with the NUL). */
void xjl__levels_text(const struct xjl_levels *lv, char buf[80]);

/* match.c: the index a matcher searches. */
const xjl_index *xjl__matcher_index(const xjl_matcher *m);

/* dedup.c, for the report (report.c): every link followed into a cluster,
 * with its class, score and levels; false (and no call) before
 * xjl_dedup_finish(). */
typedef void (*xjl_link_fn)(void *ctx, int cls, double score, const struct xjl_levels *lv);
bool xjl__dedup_links(const xjl_dedup *d, xjl_link_fn fn, void *ctx);
/* The reasons of row i (< xjl_dedup_row_count()) of a finished check in
 * lang: the English text of xjl_dup_row, or the same parts in Chinese words. */
const char *xjl__dedup_reasons(const xjl_dedup *d, size_t i, xjl_lang lang);

/* ---- report.c collects a run, report_html.c writes it as a page --------- */

#define XJL_REPORT_INPUTS 8       /* lines of the heading */
#define XJL_REPORT_VALUE_CHARS 64 /* code points of a value shown, the rest cut */
#define XJL_REPORT_CANDS 10       /* candidates (records of a cluster) shown per row */
#define XJL_REPORT_NOTES 20       /* unreadable rows listed; the rest counted */
#define XJL_REPORT_SCORE_LO (-40) /* score bins are 1 point wide from here... */
#define XJL_REPORT_SCORE_BINS 80  /* ...and the outermost ones take what lies beyond */
#define XJL_REPORT_SERIES 3       /* score bars per bin: statuses (match) or classes (dedup) */
#define XJL_REPORT_LEVELS 48      /* xjl_level codes are below this */

struct xjl_report_cand {
    char *id;
    char *value[5]; /* the registry record's fields, NULL when not known */
    char *note;     /* dedup: the record's reasons */
    double score;
    uint8_t level[5]; /* by xjl_field */
    double weight[5];
};

struct xjl_report_row {
    long line;   /* roster line, or the cluster's number (dedup) */
    int outcome; /* match: status; check: 0 clean, 1 warnings, 2 errors; dedup: class */
    char *value[5];
    char *note; /* reasons, findings or why the row cannot be read */
    double score;
    bool scored;
    size_t ncand, more; /* candidates kept, and left out */
    struct xjl_report_cand *cand;
};

struct xjl_report_note {
    long line;
    char *why;
};

struct xjl_report {
    xjl_report_kind kind;
    xjl_lang lang;
    char *input[XJL_REPORT_INPUTS][2];
    size_t ninputs;
    const xjl_matcher *m;
    const xjl_index *ix; /* the candidates' values: the matcher's index, or the dedup registry */
    double threshold;
    bool have_threshold;
    size_t rows;       /* rows added (dedup: registry records) */
    size_t outcome[6]; /* by xjl_report_row.outcome (a status, a check's, or a
                        * class of cluster: XJL_DUP_SAME_ID .. XJL_DUP_ONE_ID) */
    size_t scored, unscored;
    size_t score_bin[XJL_REPORT_SCORE_BINS][XJL_REPORT_SERIES];
    size_t compared; /* best candidates (match) or links (dedup) whose levels are counted */
    size_t level[5][XJL_REPORT_LEVELS];
    size_t finding[XJL_FIELD_COUNT][XJL_F_COUNT];
    size_t unreadable;
    struct xjl_report_note note[XJL_REPORT_NOTES];
    size_t nnotes;
    size_t max_rows;
    struct xjl_report_row *shown;
    size_t nshown, shown_cap, not_shown;
    size_t clustered; /* dedup: records in clusters */
};

/* report.c: a value as shown, at most XJL_REPORT_VALUE_CHARS code points of
 * valid UTF-8 without control characters (malloc'd; NULL when out of memory). */
char *xjl__report_value(const char *s, size_t len);

#endif /* XJL_MATCHING_H */
