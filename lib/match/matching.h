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
};

/* One registry record, packed (48 bytes: a registry of millions is mostly
 * these).  What only grading a candidate needs (the SIMPLIFIED form, the
 * code points) is derived again from the BARE name in the arena. */
struct xjl_entry {
    uint64_t id64;     /* packed ID number (above) */
    uint64_t bare_h;   /* XXH3 of the BARE name */
    uint64_t py_h;     /* XXH3 of the pinyin syllable ids (Latin: of the words sorted) */
    uint32_t name_off; /* arena offset of the BARE name, NUL-terminated */
    uint32_t rid_off;  /* arena offset of the record id, NUL-terminated */
    int32_t dob;       /* birth date (day number) or XJL_DATE_NONE */
    int32_t id_dob;    /* birth date inside the ID number or XJL_DATE_NONE */
    uint8_t gender;
    uint8_t id_type;
    uint8_t id_kind;
    uint8_t flags;     /* XJL_ENTRY_* */
    uint32_t name_count; /* registry records with this BARE name (≥ 1; set by the build) */
};

enum xjl_table { XJL_T_ID = 0, XJL_T_PINYIN = 1, XJL_T_RID = 2, XJL_T_COUNT = 3 };

/* The index itself (index.c; index_file.c saves it and maps it back).  A
 * search table is two flat arrays: bucket starts and positions, grouped by
 * bucket.  An index opened from a file points its arrays into the mapping
 * [map, map + map_len); xjl_index_free() frees only what lies outside it. */
struct search_table {
    uint32_t mask;         /* buckets - 1 */
    const uint32_t *start; /* buckets + 1 offsets into pos */
    const uint32_t *pos;   /* entry positions grouped by bucket */
    size_t n;
};

/* Files an index remembers it was read from (xjl__index_sources). */
#define XJL_INDEX_SOURCES 16

struct xjl_index {
    struct xjl_entry *entries;
    size_t n, cap;
    char *arena;
    size_t arena_len, arena_cap;
    bool built;
    unsigned threads; /* the caller's budget for loading (0: all cores) */
    struct search_table tables[XJL_T_COUNT];
    pthread_mutex_t rid_lock; /* T_RID is built on first use */
    void *map;                /* the file an opened index lies in, or NULL */
    size_t map_len;
    uint64_t stamp;           /* the caller's stamp, saved in the file */
    const int64_t *tags;      /* an opened file's tags (xjl__index_save_tags), or NULL */
    /* the files the records came from: an output must not replace them */
    struct xjl__file_id sources[XJL_INDEX_SOURCES];
    size_t nsources;
};

/* index_file.c: xjl_index_save() with a 64-bit tag per record (tags[0 .. n),
 * e.g. the row id each record has in a workspace table), read back from the
 * opened file by xjl__index_tags() (NULL if the file has none). */
int xjl__index_save_tags(const xjl_index *ix, const char *path, const int64_t *tags);
const int64_t *xjl__index_tags(const xjl_index *ix);

/* The query side: the same packed fields plus the forms of its name. */
struct xjl_query {
    struct xjl_key_input in;
    struct xjl_entry e;      /* name_off/rid_off unused */
    char id_text[XJL_ID_MAX];/* normalised number, for the arena-kept kinds */
    /* Records among the candidates with the query's BARE name and birth date
     * (match.c counts them: the name's frequency on that date). */
    uint32_t namesakes_on_date;
};

/* Fills the packed fields of e from a read record (index.c).  Strings are
 * not stored: the caller places the BARE name and the ID text. */
void xjl__entry_pack(const struct xjl_key_input *in, struct xjl_entry *e);
/* The 18 characters of a packed citizen-form number (index.c). */
void xjl__id_unpack(uint64_t id64, char out[19]);
/* Worker threads for a request (0: all cores), at most 256 (index.c). */
unsigned xjl__threads(unsigned requested);
/* Key hashes for the search tables (index.c). */
uint64_t xjl__key_id(const struct xjl_entry *e, const char *id_text);
uint64_t xjl__key_name_date(uint64_t name_h, int32_t date);
/* The arena string of an entry (index.c). */
const char *xjl__index_str(const xjl_index *ix, uint32_t off);
const struct xjl_entry *xjl__index_entries(const xjl_index *ix, size_t *n);
bool xjl__index_is_built(const xjl_index *ix);
/* The files xjl_index_add_csv() read (the first XJL_INDEX_SOURCES): what an
 * output of a run over this index must not replace. */
const struct xjl__file_id *xjl__index_sources(const xjl_index *ix, size_t *n);
/* Appends a copy of the record at pos of src (packed fields and strings, no
 * reading again) to dst, which is not built; record_id NULL keeps src's id.
 * dedup.c builds one index per block this way. */
int xjl__index_copy_entry(xjl_index *dst, const xjl_index *src, size_t pos, const char *record_id);
/* Opens a registry file as xjl_index_add_csv_columns() reads it: the reader
 * (*out, to close), the key columns (with the user's mapping columns, may be
 * NULL) and the column of the record id (-1: the row number is the id).
 * Errors as xjl_index_add_csv(). */
int xjl__registry_open(const char *path, xjl_encoding enc, const char *id_column,
                       const char *columns, xjl_csv **out, int cols[5], int *idcol);
/* Whether the current row of a registry file loads, by the rules of
 * xjl_index_add_csv() (as many fields as the header, no NUL byte in a key
 * field or the id); a row that does not is reported to diag (if not NULL). */
bool xjl__index_row_loads(xjl_csv *csv, size_t ncols, const int cols[5], int idcol,
                          const char *path, xjl_diag_fn diag, void *user);

/* Probes one search table: calls fn for each position whose key hash equals
 * key (at most limit positions); returns the number of positions visited. */
size_t xjl__index_probe(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                        void (*fn)(void *ctx, uint32_t pos), void *ctx);
/* The same in steps, for a search that prefetches: the bucket of key holds
 * the positions pos[*from .. *to) (at most limit of them). */
void xjl__index_prefetch(const xjl_index *ix, enum xjl_table t, uint64_t key);
const uint32_t *xjl__index_bucket(const xjl_index *ix, enum xjl_table t, uint64_t key, size_t limit,
                                  uint32_t *from, uint32_t *to);

/* compare.c: the agreement level of each field (an xjl_level). */
struct xjl_levels {
    uint8_t name, gender, dob, type, id;
};
void xjl__compare(const xjl_index *ix, const struct xjl_query *q, const struct xjl_entry *r,
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
 * pair agrees on all five normalised key fields.  w is per-thread scratch. */
struct xjl_match_scratch;
struct xjl_match_scratch *xjl__match_scratch_new(const xjl_matcher *m);
void xjl__match_scratch_free(struct xjl_match_scratch *w);
typedef void (*xjl_candidate_fn)(void *ctx, uint32_t self, uint32_t pos,
                                 const struct xjl_levels *lv, double score, bool five);
typedef bool (*xjl_candidate_want_fn)(void *ctx, uint32_t self, uint32_t pos);
int xjl__match_positions(const xjl_matcher *m, struct xjl_match_scratch *w, uint32_t from,
                         uint32_t to, xjl_candidate_want_fn want, xjl_candidate_fn fn, void *ctx);
/* The reasons text of a pair's levels, "id=typo name=exact dob=exact gender=exact type=exact"
 * (at most 80 bytes with the NUL). */
void xjl__levels_text(const struct xjl_levels *lv, char buf[80]);

#endif /* XJL_MATCHING_H */
