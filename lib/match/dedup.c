/*
 * The duplicate check (查重, 问题学籍) over a whole registry.
 *
 *   blocks    every record belongs to one or more blocks (birth years, ID
 *             groups: see the header for why every pair the matcher can
 *             find shares one); a block is an index of its own;
 *   links     within a block, every record is matched against the block
 *             (xjl__match_position: the matcher's candidates, levels and
 *             scores) and the pairs that qualify are kept, with the
 *             registry positions of both records;
 *   finish    links of all blocks (of this process or merged from partial
 *             files) are joined strongest first by a union-find that refuses
 *             to put two different valid citizen numbers in one cluster;
 *             each cluster is explained by a spanning tree from its first
 *             record.
 *
 * Every tie (links equally strong, the record of a set of copies that is
 * matched, a cluster's first record, a capped key's record) goes to the
 * record first in the tie order (tie_key()), never to the earlier position:
 * the same registry in another row order gives the same clusters.
 *
 * One process (xjl_dedup_run) and many (xjl_dedup_split, _run_block, _save,
 * _load) run the same block code on the same block indexes: in one process
 * a block's index is made from the registry's packed records, elsewhere
 * from the block file, whose rows read into the same packed records; both
 * name each record "POS:ID".  The merge sees only links and the records
 * they join (position, id, tie key), so the two give the same clusters by
 * construction.
 */
#include "match/matching.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* Findings that make an ID number wrong in itself (class BAD_ID): the
 * number's own errors, and its disagreement with the record.  Warnings of
 * the number (unknown region, old 15-digit form, type mismatch) are not. */
#define BAD_ID_FINDINGS                                                                            \
    (XJL_FINDING_BIT(XJL_F_ID_LENGTH) | XJL_FINDING_BIT(XJL_F_ID_CHARS) |                          \
     XJL_FINDING_BIT(XJL_F_ID_DATE) | XJL_FINDING_BIT(XJL_F_ID_CHECK) |                            \
     XJL_FINDING_BIT(XJL_F_DOB_MISMATCH) | XJL_FINDING_BIT(XJL_F_GENDER_MISMATCH))
/* A number that could not be read as text at all (invalid UTF-8, longer
 * than any number): its normalised form is empty, so the index keeps only
 * that it was there.  Bit 0 (XJL_F_NONE) is never a finding of its own. */
#define BAD_ID_UNREADABLE XJL_FINDING_BIT(XJL_F_NONE)

#define SLICE 256 /* records a thread takes at a time */

/* ---- names of things ---------------------------------------------------- */

XJL_API const char *xjl_dup_class_name(xjl_dup_class cls)
{
    static const char *const n[] = {"same_id", "no_id", "fuzzy", "bad_id", "one_id"};
    int c = (int)cls;
    return c >= XJL_DUP_SAME_ID && c <= XJL_DUP_ONE_ID ? n[c - 1] : "unknown";
}

XJL_API const char *xjl_dup_class_label_zh(xjl_dup_class cls)
{
    static const char *const n[] = {"身份证件号重复", "无身份证件号重复", "疑似同一学生",
                                    "身份证件号有误", "一方无身份证件号重复"};
    int c = (int)cls;
    return c >= XJL_DUP_SAME_ID && c <= XJL_DUP_ONE_ID ? n[c - 1] : "未知";
}

/* ---- blocks ------------------------------------------------------------- */

static void add_key(int32_t *keys, int *n, int32_t key)
{
    for (int i = 0; i < *n; i++)
        if (keys[i] == key)
            return;
    int i = (*n)++;
    for (; i > 0 && keys[i - 1] > key; i--) /* kept sorted: the first is home */
        keys[i] = keys[i - 1];
    keys[i] = key;
}

/* The blocks of a record from the three things they depend on: its birth
 * date and the date in its ID number (day numbers or XJL_DATE_NONE), and
 * its ID number's normalised text (NULL without one). */
static int blocks_of(int32_t dob, int32_t id_dob, const char *id_text,
                     int32_t keys[XJL_DEDUP_MAX_BLOCKS])
{
    int n = 0, y, m, d;
    if (dob != XJL_DATE_NONE && xjl_date_to_ymd(dob, &y, &m, &d) == XJL_OK) {
        add_key(keys, &n, y);
        if (m == 1 && d == 1) /* the day before is last year */
            add_key(keys, &n, y - 1);
        if (m == 12 && d == 31)
            add_key(keys, &n, y + 1);
    }
    if (id_dob != XJL_DATE_NONE && xjl_date_to_ymd(id_dob, &y, &m, &d) == XJL_OK)
        add_key(keys, &n, y);
    if (id_text && id_dob == XJL_DATE_NONE)
        add_key(keys, &n,
                XJL_DEDUP_ID_GROUP_BASE +
                    (int32_t)(XXH3_64bits(id_text, strlen(id_text)) % XJL_DEDUP_ID_GROUPS));
    if (n == 0)
        add_key(keys, &n, 0);
    return n;
}

/* The normalised ID text of an entry, or NULL when it has no number. */
static const char *entry_id_text(const xjl_index *ix, const struct xjl_entry *e, char buf[19])
{
    if (!e->id64)
        return NULL;
    if (e->id64 & XJL_ID_IN_ARENA)
        return xjl__index_str(ix, (uint32_t)e->id64);
    xjl__id_unpack(e->id64, buf);
    return buf;
}

/* ---- ties --------------------------------------------------------------- */

/* Where two choices are equally good (two links of the same class and
 * score, which record of a set of copies is matched, which record a
 * cluster is explained from, which record names a capped key), the check
 * takes the one first in the tie order of records (Ties in the header):
 * the record id, byte by byte (strcmp), then — for two records with the
 * same id — this text of every field the comparison reads (those of
 * cmp_compared(), in a fixed layout whose text order is the order of the
 * fields: the name's length in two hex digits and the name as the index
 * keeps it, the gender, the birth date and the date in the ID number (day
 * values as entries hold them, five hex digits), the ID type and kind, the
 * flags, the pinyin key, then the ID number's normalised text).  Never the
 * position: the same registry in any row order, one process or split,
 * gives the same clusters and reasons.  Two records equal in all of it
 * differ in nothing the output shows, so which of them is taken changes no
 * row's text.  The key travels with a record's R row in partial files. */
#define TIE_KEY_MAX (2 + XJL_NAME_MAX_BYTES + 1 + 5 + 5 + 2 + 1 + 2 + 16 + XJL_ID_MAX + 1)

/* v as `digits` lowercase hex digits at p (a fixed width keeps the text's
 * order that of the numbers); returns the end. */
static char *put_hex(char *p, uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        p[i] = "0123456789abcdef"[v & 15];
    return p + digits;
}

/* The tie key of an entry (the text after the record id), NUL-terminated. */
static void tie_key(const xjl_index *ix, const struct xjl_entry *e, char out[TIE_KEY_MAX])
{
    char buf[19];
    const char *name = xjl__index_str(ix, e->name_off), *id = entry_id_text(ix, e, buf);
    size_t len = strlen(name), idlen = id ? strlen(id) : 0;
    if (len >= XJL_NAME_MAX_BYTES) /* never in an index: its names are shorter */
        len = XJL_NAME_MAX_BYTES - 1;
    if (idlen >= XJL_ID_MAX) /* nor its ID numbers */
        idlen = XJL_ID_MAX - 1;
    char *p = put_hex(out, len, 2);
    memcpy(p, name, len);
    p = put_hex(p + len, e->gender, 1);
    p = put_hex(p, e->dob_lo | (uint32_t)e->dob_hi << 16, 5);
    p = put_hex(p, e->id_dob_lo | (uint32_t)e->id_dob_hi << 16, 5);
    p = put_hex(p, e->id_type, 2);
    p = put_hex(p, e->id_kind, 1);
    p = put_hex(p, e->flags, 2);
    p = put_hex(p, e->py_h, 16);
    memcpy(p, id ? id : "", idlen);
    p[idlen] = '\0';
}

/* The registry's record id of a block record, after the "POS:" that
 * run_block() checked with split_record_name() before matching (the block's
 * index is the check's own: read without its lock). */
static const char *block_record_id(const xjl_index *bix, size_t i)
{
    return strchr(xjl__entry_rid(bix, (uint32_t)i), ':') + 1;
}

/* Block records i and j in the tie order. */
static int cmp_tie(const xjl_index *bix, const struct xjl_entry *entries, size_t i, size_t j)
{
    if (i == j)
        return 0;
    int c = strcmp(block_record_id(bix, i), block_record_id(bix, j));
    if (c)
        return c;
    char x[TIE_KEY_MAX], y[TIE_KEY_MAX];
    tie_key(bix, &entries[i], x);
    tie_key(bix, &entries[j], y);
    return strcmp(x, y);
}

static int entry_blocks(const xjl_index *ix, const struct xjl_entry *e,
                        int32_t keys[XJL_DEDUP_MAX_BLOCKS])
{
    char buf[19];
    return blocks_of(xjl__entry_dob(e), xjl__entry_id_dob(e), entry_id_text(ix, e, buf), keys);
}

/* The same three things read from a record's text, as record.c and
 * xjl__entry_pack() read them (names are not read: they cost the most and
 * blocks do not depend on them). */
static int record_blocks(const xjl_record *rec, int32_t keys[XJL_DEDUP_MAX_BLOCKS])
{
    int32_t dob;
    if (xjl_date_parse(rec->birth_date ? rec->birth_date : "", XJL_NTS, &dob, NULL) != XJL_OK)
        dob = XJL_DATE_NONE;
    xjl_id_type type;
    if (xjl_id_type_parse(rec->id_type ? rec->id_type : "", XJL_NTS, &type) != XJL_OK)
        type = XJL_IDTYPE_NONE;
    xjl_id_info id;
    xjl_id_parse(rec->id_number ? rec->id_number : "", XJL_NTS, type, &id);
    bool has = id.kind != XJL_IDKIND_EMPTY && id.normalized[0];
    return blocks_of(dob, id.birth_date, has ? id.normalized : NULL, keys);
}

XJL_API int xjl_dedup_blocks(const xjl_record *rec, int32_t keys[XJL_DEDUP_MAX_BLOCKS])
{
    if (!rec || !keys)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_blocks: NULL %s", rec ? "keys" : "record");
    return record_blocks(rec, keys);
}

/* ---- the check ---------------------------------------------------------- */

/* A record some link or finding refers to. */
struct drec {
    uint64_t pos;      /* position in the registry */
    uint64_t citizen;  /* packed valid citizen number, 0 if none */
    uint32_t findings; /* BAD_ID findings (only from the home block) */
    uint32_t rid;      /* offset of its id in the text arena */
    uint32_t key;      /* offset of its tie key (tie_key()) in the text arena */
};

struct dlink {
    uint64_t a, b; /* registry positions, a < b; after finish: record indexes */
    double score;
    struct xjl_levels lv;
    uint8_t cls;
    uint8_t accepted;
};

struct drow {
    uint64_t cluster;
    uint64_t pos;
    uint32_t rid, reasons, reasons_zh; /* text arena offsets */
    uint8_t cls;
};

struct text {
    char *p;
    size_t len, cap;
};

/* A search key of a block whose records were more than the block limit
 * (see Capped blocks in the header), for the report. */
struct dcap {
    int32_t block; /* the check's block it was found in */
    int32_t date;  /* a name key's date; XJL_DATE_NONE for an ID number's key */
    uint64_t pos;  /* the first record (registry order) whose search it cut */
    uint64_t records, searches, left_out;
    uint32_t what; /* text arena: the name (as the index keeps it) or the ID number */
    uint32_t rid;  /* text arena: that record's id */
};

struct xjl_dedup {
    double param[XJL_PARAM_COUNT];
    bool param_set[XJL_PARAM_COUNT];
    bool started, finished;
    struct drec *recs;
    size_t nrecs, recs_cap;
    struct dlink *links;
    size_t nlinks, links_cap;
    struct text text;
    struct drow *rows;
    size_t nrows;
    struct dcap *caps;
    size_t ncaps, caps_cap;
    uint64_t stat[XJL_DEDUP_STAT_COUNT];
    size_t held;      /* bytes of the registry index a run holds, for the peak */
    uint64_t matched; /* records matched against their block (xjl__dedup_matched) */
    /* the files read (registries, blocks, partials): never an output */
    struct xjl__file_id inputs[XJL_INDEX_SOURCES];
    size_t ninputs;
};

static void note_input(xjl_dedup *d, const struct xjl__file_id *id)
{
    for (size_t i = 0; i < d->ninputs; i++)
        if (d->inputs[i].dev == id->dev && d->inputs[i].ino == id->ino)
            return;
    if (d->ninputs < XJL_INDEX_SOURCES)
        d->inputs[d->ninputs++] = *id;
}

static void note_input_path(xjl_dedup *d, const char *path)
{
    struct xjl__file_id id;
    if (xjl__file_id_of(path, &id))
        note_input(d, &id);
}

/* A matcher of an empty index: what holds the matcher's defaults and checks
 * a parameter's value, so that the check keeps no second copy of either. */
static int scratch_matcher(xjl_index **ix, xjl_matcher **m)
{
    *m = NULL;
    int rc = xjl_index_new(ix);
    if (!rc)
        rc = xjl_index_build(*ix, 1);
    if (!rc)
        rc = xjl_matcher_new(m, *ix);
    return rc;
}

XJL_API int xjl_dedup_new(xjl_dedup **out)
{
    if (!out)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_new: NULL out");
    *out = NULL;
    xjl_dedup *d = calloc(1, sizeof *d);
    if (!d)
        return xjl__fail(XJL_ENOMEM, "xjl_dedup_new: out of memory");
    xjl_index *ix = NULL;
    xjl_matcher *m = NULL;
    int rc = scratch_matcher(&ix, &m);
    for (int p = 0; !rc && p < XJL_PARAM_COUNT; p++)
        xjl_matcher_get_param(m, (xjl_param)p, &d->param[p]);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    if (rc) {
        free(d);
        return rc;
    }
    *out = d;
    return XJL_OK;
}

XJL_API void xjl_dedup_free(xjl_dedup *d)
{
    if (!d)
        return;
    free(d->recs);
    free(d->links);
    free(d->text.p);
    free(d->rows);
    free(d->caps);
    free(d);
}

XJL_API int xjl_dedup_set_param(xjl_dedup *d, xjl_param p, double value)
{
    if (!d)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_set_param: NULL check");
    if (d->started)
        return xjl__fail(XJL_ESTATE, "xjl_dedup_set_param: blocks have run with the old value");
    /* The matcher validates: set it on a scratch matcher first. */
    xjl_index *ix = NULL;
    xjl_matcher *m = NULL;
    int rc = scratch_matcher(&ix, &m);
    if (!rc)
        rc = xjl_matcher_set_param(m, p, value);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    if (rc)
        return rc;
    d->param[p] = value;
    d->param_set[p] = true;
    return XJL_OK;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (xjl__grow_to(p, cap, need, size, 256))
        return xjl__fail(XJL_ENOMEM, "dedup: out of memory for %zu items", need);
    return XJL_OK;
}

static int text_put(struct text *t, const char *s, size_t len, uint32_t *off)
{
    if (t->len + len + 1 > UINT32_MAX)
        return xjl__fail(XJL_ENOMEM, "dedup: more than 4 GiB of ids and reasons");
    int rc = grow((void **)&t->p, &t->cap, t->len + len + 1, 1);
    if (rc)
        return rc;
    *off = (uint32_t)t->len;
    memcpy(t->p + t->len, s, len);
    t->p[t->len + len] = '\0';
    t->len += len + 1;
    return XJL_OK;
}

static int add_rec(xjl_dedup *d, uint64_t pos, uint64_t citizen, uint32_t findings, const char *rid,
                   const char *key)
{
    int rc = grow((void **)&d->recs, &d->recs_cap, d->nrecs + 1, sizeof *d->recs);
    if (rc)
        return rc;
    struct drec *r = &d->recs[d->nrecs];
    r->pos = pos;
    r->citizen = citizen;
    r->findings = findings;
    if ((rc = text_put(&d->text, rid, strlen(rid), &r->rid)) ||
        (rc = text_put(&d->text, key, strlen(key), &r->key)))
        return rc;
    d->nrecs++;
    return XJL_OK;
}

static int add_links(xjl_dedup *d, const struct dlink *l, size_t n)
{
    if (!n)
        return XJL_OK;
    int rc = grow((void **)&d->links, &d->links_cap, d->nlinks + n, sizeof *d->links);
    if (rc)
        return rc;
    memcpy(d->links + d->nlinks, l, n * sizeof *l);
    d->nlinks += n;
    return XJL_OK;
}

static int add_cap(xjl_dedup *d, const struct dcap *c, const char *what, const char *rid)
{
    int rc = grow((void **)&d->caps, &d->caps_cap, d->ncaps + 1, sizeof *d->caps);
    if (rc)
        return rc;
    struct dcap *k = &d->caps[d->ncaps];
    *k = *c;
    if ((rc = text_put(&d->text, what, strlen(what), &k->what)) ||
        (rc = text_put(&d->text, rid, strlen(rid), &k->rid)))
        return rc;
    d->ncaps++;
    d->stat[XJL_DEDUP_CAPPED_BLOCKS]++;
    d->stat[XJL_DEDUP_NOT_COMPARED] += c->left_out;
    return XJL_OK;
}

static int check_open(const xjl_dedup *d, const char *fn)
{
    if (!d)
        return xjl__fail(XJL_EINVAL, "%s: NULL check", fn);
    if (d->finished)
        return xjl__fail(XJL_ESTATE, "%s: the check is finished; start a new one", fn);
    return XJL_OK;
}

static void note_memory(xjl_dedup *d, size_t block_bytes)
{
    size_t m = d->held + block_bytes + d->links_cap * sizeof *d->links +
               d->recs_cap * sizeof *d->recs + d->text.cap;
    if (m > d->stat[XJL_DEDUP_MEMORY])
        d->stat[XJL_DEDUP_MEMORY] = m;
}

/* ---- one block ---------------------------------------------------------- */

/* A pair sharing one valid ID number is SAME_ID.  A pair agreeing on name,
 * gender and birth date without comparable ID numbers is NO_ID when
 * neither has one, ONE_ID when one has: a child registered again before
 * its number was known is another case than two records of a child who
 * has none.  The same number wrong in itself (its check character, its
 * date) proves nothing of its own: such a pair links by its score alone,
 * and is FUZZY, for review. */
static uint8_t link_class(const struct xjl_levels *lv, bool both_valid, bool a_has_id,
                          bool b_has_id)
{
    if (lv->id == XJL_LV_ID_EXACT && both_valid)
        return XJL_DUP_SAME_ID;
    if (lv->id == XJL_LV_MISSING &&
        (lv->name == XJL_LV_NAME_EXACT || lv->name == XJL_LV_NAME_NOSEP) &&
        lv->gender == XJL_LV_GENDER_EXACT && lv->dob == XJL_LV_DATE_EXACT)
        return a_has_id || b_has_id ? XJL_DUP_ONE_ID : XJL_DUP_NO_ID;
    return XJL_DUP_FUZZY;
}

/* How strong a link class is, strongest 0: SAME_ID, NO_ID, ONE_ID, FUZZY
 * (the numbers of the enum are not that order: ONE_ID came last). */
static int class_rank(uint8_t cls)
{
    switch (cls) {
    case XJL_DUP_SAME_ID:
        return 0;
    case XJL_DUP_NO_ID:
        return 1;
    case XJL_DUP_ONE_ID:
        return 2;
    case XJL_DUP_FUZZY:
        return 3;
    default:
        return 4;
    }
}

static uint8_t stronger_class(uint8_t a, uint8_t b)
{
    return class_rank(a) <= class_rank(b) ? a : b;
}

struct block {
    const xjl_index *ix;
    const xjl_matcher *m;
    const struct xjl_entry *entries;
    const uint64_t *gpos; /* registry position of each block record */
    double threshold;
    size_t n;
    struct block_worker *w; /* one per worker of the pool */
    unsigned nw;
    /* Records that agree on every field the comparison reads with another
     * one of the block before them in the tie order (their "first") are not
     * matched themselves (fold_same()); NULL when there are none. */
    const uint32_t *first;
    struct dlink *proto; /* per first: its link to one of its copies (accepted: set) */
};

/* A search key the block limit cut, as a worker (then the block) sums it. */
struct wcut {
    bool by_id;
    int32_t date;
    uint64_t key;
    uint32_t records; /* the key's records (the same for every search of it) */
    uint32_t first;   /* the block record whose search it cut first in the tie order */
    uint64_t searches, left_out;
};

struct block_worker {
    struct block *b;
    struct xjl_match_scratch *s; /* made on the worker's first slice */
    struct dlink *links;
    size_t nlinks, cap;
    size_t self_from; /* where the links of the record being matched start */
    uint32_t self;
    bool in_self;
    struct wcut *cuts; /* the search keys the block limit cut, each once */
    size_t ncuts, cuts_cap;
    int rc;
};

/* Adds n searches of a cut key (one record's, or a worker's sum) to the
 * list: the same key (kind, key, date) is one entry, named by the record of
 * its searches first in the tie order. */
static int note_cut(const struct block *b, struct wcut **cuts, size_t *ncuts, size_t *cap,
                    const struct wcut *c)
{
    for (size_t i = 0; i < *ncuts; i++) {
        struct wcut *k = &(*cuts)[i];
        if (k->key == c->key && k->by_id == c->by_id && k->date == c->date) {
            k->searches += c->searches;
            k->left_out += c->left_out;
            k->records = c->records > k->records ? c->records : k->records;
            int t = cmp_tie(b->ix, b->entries, c->first, k->first);
            if (t < 0 || (t == 0 && c->first < k->first)) /* same id and key: any thread's */
                k->first = c->first;
            return XJL_OK;
        }
    }
    if (xjl__grow_to((void **)cuts, cap, *ncuts + 1, sizeof **cuts, 8))
        return XJL_ENOMEM;
    (*cuts)[(*ncuts)++] = *c;
    return XJL_OK;
}

/* A record's search key that the block limit cut (xjl__match_positions).
 * A record matched for its identical copies too (fold_same()) is one
 * search: its copies' pairs come through it. */
static void on_cut(void *ctx, uint32_t self, const struct xjl_cut *c)
{
    struct block_worker *w = ctx;
    struct wcut k = {c->by_id, c->date, c->key, c->records, self, 1, c->left_out};
    if (!w->rc && note_cut(w->b, &w->cuts, &w->ncuts, &w->cuts_cap, &k))
        w->rc = XJL_ENOMEM;
}

/* A record keeps its strongest links only.  The rest add nothing a cluster
 * needs but memory: a block of thousands of namesakes without ID number
 * (a placeholder name and birth date, say) would otherwise keep one link
 * per pair the matcher reads (up to XJL_PARAM_BLOCK_LIMIT per probe), and
 * each of them still links to the strongest, so they form one cluster. */
#define LINKS_PER_RECORD 32

/* The block record with registry position pos (gpos is increasing). */
static size_t local_of(const uint64_t *gpos, size_t n, uint64_t pos)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (gpos[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Stronger first: class, then score; 0 for links equally strong. */
static int cmp_link_class_score(const struct dlink *x, const struct dlink *y)
{
    if (x->cls != y->cls)
        return class_rank(x->cls) < class_rank(y->cls) ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return 0;
}

/* The links of the record being matched, strongest first, and of links
 * equally strong the one to the record first in the tie order (see Ties).
 * With one end shared, that is the order of cmp_link_strength() at the
 * finish.  Positions only part records equal in the tie order. */
static int cmp_link_kept(const void *a, const void *b, void *ctx)
{
    const struct dlink *x = a, *y = b;
    int c = cmp_link_class_score(x, y);
    if (c)
        return c;
    const struct block *blk = ((const struct block_worker *)ctx)->b;
    uint64_t self = blk->gpos[((const struct block_worker *)ctx)->self];
    uint64_t ox = x->a == self ? x->b : x->a, oy = y->a == self ? y->b : y->a;
    if (ox == oy)
        return 0;
    c = cmp_tie(blk->ix, blk->entries, local_of(blk->gpos, blk->n, ox),
                local_of(blk->gpos, blk->n, oy));
    return c ? c : (ox > oy) - (ox < oy);
}

/* Keeps the LINKS_PER_RECORD strongest links of the record just matched. */
static void end_self(struct block_worker *w)
{
    size_t n = w->nlinks - w->self_from;
    if (w->in_self && n > LINKS_PER_RECORD) {
        qsort_r(w->links + w->self_from, n, sizeof *w->links, cmp_link_kept, w);
        w->nlinks = w->self_from + LINKS_PER_RECORD;
    }
    w->in_self = false;
}

/* The packed valid citizen number of a record, 0 if none. */
static uint64_t citizen_of(const struct xjl_entry *e)
{
    return (e->flags & XJL_ENTRY_ID_CITIZEN) && !(e->id64 & XJL_ID_IN_ARENA) ? e->id64 : 0;
}

/* The BAD_ID findings of a record, from its packed fields: the normalised
 * number read again (its check character, date, length and characters are
 * properties of that text) and its date and gender set against the
 * record's, as record.c sets them. */
static uint32_t bad_id_findings(const xjl_index *ix, const struct xjl_entry *e)
{
    if (!e->id64)
        return e->id_kind != XJL_IDKIND_EMPTY ? BAD_ID_UNREADABLE : 0;
    char buf[19];
    xjl_id_info id;
    xjl_id_parse(entry_id_text(ix, e, buf), XJL_NTS, (xjl_id_type)e->id_type, &id);
    uint32_t f = id.findings;
    if (id.birth_date != XJL_DATE_NONE && xjl__entry_dob(e) != XJL_DATE_NONE &&
        id.birth_date != xjl__entry_dob(e))
        f |= XJL_FINDING_BIT(XJL_F_DOB_MISMATCH);
    if (id.gender != XJL_GENDER_UNKNOWN &&
        (e->gender == XJL_GENDER_MALE || e->gender == XJL_GENDER_FEMALE) && id.gender != e->gender)
        f |= XJL_FINDING_BIT(XJL_F_GENDER_MISMATCH);
    return f & BAD_ID_FINDINGS;
}

/* Two different valid citizen numbers are two children, whatever else
 * agrees: such a pair is not even graded (most candidates of a large block
 * are namesakes born the same day, each with a number of their own). */
static bool may_be_one_child(void *ctx, uint32_t self, uint32_t pos)
{
    const struct block *b = ((const struct block_worker *)ctx)->b;
    const struct xjl_entry *q = &b->entries[self], *r = &b->entries[pos];
    return !(citizen_of(q) && citizen_of(r) && citizen_of(q) != citizen_of(r));
}

static void on_candidate(void *ctx, uint32_t self, uint32_t pos, const struct xjl_levels *lv,
                         double score, bool five)
{
    struct block_worker *w = ctx;
    const struct block *b = w->b;
    const struct xjl_entry *q = &b->entries[self], *r = &b->entries[pos];
    bool both_valid = (q->flags & r->flags & XJL_ENTRY_ID_VALID) != 0;
    bool same_valid_id = lv->id == XJL_LV_ID_EXACT && both_valid;
    if (!five && !same_valid_id && score < b->threshold)
        return;
    if (w->rc)
        return;
    if (!w->in_self || w->self != self) {
        end_self(w);
        w->self = self;
        w->self_from = w->nlinks;
        w->in_self = true;
    }
    if (w->nlinks == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        struct dlink *p = realloc(w->links, cap * sizeof *p);
        if (!p) {
            w->rc = XJL_ENOMEM;
            return;
        }
        w->links = p;
        w->cap = cap;
    }
    uint64_t a = b->gpos[self], c = b->gpos[pos];
    struct dlink *l = &w->links[w->nlinks++];
    memset(l, 0, sizeof *l);
    l->a = a < c ? a : c;
    l->b = a < c ? c : a;
    l->score = score;
    l->lv = *lv;
    l->cls = link_class(lv, both_valid, q->id64 != 0, r->id64 != 0);
    /* the link of a first to one of its copies: what each copy gets */
    if (b->first && b->first[pos] == self && !b->proto[self].accepted) {
        b->proto[self] = *l;
        b->proto[self].accepted = 1; /* set (finish decides what is accepted) */
    }
}

static int block_slice(void *ctx, size_t from, size_t to, unsigned worker)
{
    struct block *b = ctx;
    struct block_worker *w = &b->w[worker];
    if (!w->s && !(w->s = xjl__match_scratch_new(b->m)))
        return xjl__fail(XJL_ENOMEM, "dedup: out of memory for a worker's scratch");
    int rc = XJL_OK;
    /* the runs of records that are their own first: a copy is not matched */
    for (size_t i = from; i < to && !rc;) {
        size_t j = i;
        while (j < to && (!b->first || b->first[j] == j))
            j++;
        if (j > i)
            rc = xjl__match_positions(b->m, w->s, (uint32_t)i, (uint32_t)j, may_be_one_child,
                                      on_candidate, on_cut, w);
        while (j < to && b->first[j] != j)
            j++;
        i = j;
    }
    end_self(w);
    if (!rc && w->rc) /* on_candidate could not keep a link, or on_cut a key */
        rc = xjl__fail(w->rc, "dedup: out of memory for the links of records %zu to %zu", from + 1,
                       to);
    return rc;
}

/* The registry position and id in a block record's name "POS:ID". */
static int split_record_name(const char *name, uint64_t *pos, const char **rid)
{
    const char *colon = strchr(name, ':');
    if (!colon || colon == name)
        return -1;
    uint64_t v = 0;
    for (const char *c = name; c < colon; c++) {
        if (*c < '0' || *c > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*c - '0');
    }
    *pos = v;
    *rid = colon + 1;
    return 0;
}

/* Whether two entries agree on every field the comparison reads: the
 * matcher finds the same candidates for both, with the same levels and
 * scores, and grades them the same against each other as against a third. */
static int cmp_compared(const xjl_index *ix, const struct xjl_entry *x, const struct xjl_entry *y)
{
#define CMP_FIELD(f)                                                                               \
    if (x->f != y->f)                                                                              \
    return x->f < y->f ? -1 : 1
    CMP_FIELD(py_h);
    CMP_FIELD(id64);
    CMP_FIELD(dob_lo);
    CMP_FIELD(dob_hi);
    CMP_FIELD(id_dob_lo);
    CMP_FIELD(id_dob_hi);
    CMP_FIELD(gender);
    CMP_FIELD(id_type);
    CMP_FIELD(id_kind);
    CMP_FIELD(flags);
#undef CMP_FIELD
    int c = strcmp(xjl__index_str(ix, x->name_off), xjl__index_str(ix, y->name_off));
    if (c || !(x->id64 & XJL_ID_IN_ARENA))
        return c;
    char bx[19], by[19];
    return strcmp(entry_id_text(ix, x, bx), entry_id_text(ix, y, by));
}

struct fold_sort {
    const xjl_index *ix;
    const struct xjl_entry *e;
};

static int cmp_same_then_pos(const void *a, const void *b, void *ctx)
{
    const struct fold_sort *f = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int c = cmp_compared(f->ix, &f->e[x], &f->e[y]);
    return c ? c : (x > y) - (x < y);
}

/* A block of n identical namesakes without ID number (a placeholder name
 * and date) made n matches of up to XJL_PARAM_BLOCK_LIMIT pairs each: 40 s
 * for 100,000.  Records that agree on every compared field are one child as
 * much as any two of them are: the first of each such set (in the tie
 * order: its smallest record id, never its place in the registry) is
 * matched, each other one, its copy, gets the first's link to a
 * copy (when the first has one: the pair reached the threshold) and, through
 * the first, the first's other links; nothing is skipped.  first[i] is the
 * first of record i (i itself for most); *first NULL when no record has a
 * copy. */
static int fold_same(const xjl_index *ix, const struct xjl_entry *e, size_t n, uint32_t **first,
                     size_t *copies)
{
    *first = NULL;
    *copies = 0;
    if (n < 2)
        return XJL_OK;
    uint32_t *order = malloc(n * sizeof *order), *f = malloc(n * sizeof *f);
    if (!order || !f) {
        free(order);
        free(f);
        return xjl__fail(XJL_ENOMEM, "dedup: out of memory for a block of %zu records", n);
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    struct fold_sort ctx = {ix, e};
    qsort_r(order, n, sizeof *order, cmp_same_then_pos, &ctx);
    /* each set's first: its smallest id (the rest of the tie key is the
     * same), the earliest of copies with the same id, which nothing tells
     * apart; one pass over the set, not a sort by id */
    for (size_t i = 0, j; i < n; i = j) {
        uint32_t best = order[i];
        const char *best_id = NULL;
        for (j = i + 1; j < n && cmp_compared(ix, &e[order[j]], &e[order[i]]) == 0; j++) {
            if (!best_id)
                best_id = block_record_id(ix, best);
            const char *id = block_record_id(ix, order[j]);
            if (strcmp(id, best_id) < 0) {
                best = order[j];
                best_id = id;
            }
        }
        for (size_t k = i; k < j; k++)
            f[order[k]] = best;
        *copies += j - i - 1;
    }
    free(order);
    if (!*copies)
        free(f);
    else
        *first = f;
    return XJL_OK;
}

/* The search keys of a block that the block limit cut, summed over its
 * workers, to d: each named by its first record's name or ID number. */
static int add_block_caps(xjl_dedup *d, const struct block *b, int32_t key)
{
    struct wcut *all = NULL;
    size_t n = 0, cap = 0;
    int rc = XJL_OK;
    for (unsigned t = 0; t < b->nw && !rc; t++)
        for (size_t i = 0; i < b->w[t].ncuts && !rc; i++)
            if (note_cut(b, &all, &n, &cap, &b->w[t].cuts[i]))
                rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory for block %d", (int)key);
    for (size_t i = 0; i < n && !rc; i++) {
        const struct wcut *c = &all[i];
        const struct xjl_entry *e = &b->entries[c->first];
        char buf[19];
        const char *what =
            c->by_id ? entry_id_text(b->ix, e, buf) : xjl__index_str(b->ix, e->name_off);
        struct dcap k = {.block = key,
                         .date = c->by_id ? XJL_DATE_NONE : c->date,
                         .pos = b->gpos[c->first],
                         .records = c->records,
                         .searches = c->searches,
                         .left_out = c->left_out};
        rc = add_cap(d, &k, what ? what : "", block_record_id(b->ix, c->first));
    }
    free(all);
    return rc;
}

/* Builds a block's index (filled, not built), matches every record of it
 * against it, and adds the links, the BAD_ID findings of the records whose
 * home it is, and the records these refer to.  `what` names the block in
 * messages.  The index is freed. */
static int run_block(xjl_dedup *d, xjl_index *bix, int32_t key, unsigned threads, const char *what)
{
    d->started = true;
    size_t n = xjl_index_count(bix);
    const struct xjl_entry *entries = NULL; /* after the build: it moves the records */
    uint64_t *gpos = malloc((n ? n : 1) * sizeof *gpos);
    uint8_t *mark = calloc(n ? n : 1, 1);
    struct block_worker *workers = NULL;
    unsigned nworkers = 0;
    xjl__pool *pool = NULL;
    xjl_matcher *m = NULL;
    uint32_t *first = NULL;
    struct dlink *proto = NULL;
    int rc = XJL_OK;
    if (!gpos || !mark) {
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory for block %s", what);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const char *rid;
        if (split_record_name(xjl_index_record_id(bix, i), &gpos[i], &rid)) {
            rc = xjl__fail(XJL_EFORMAT, "dedup: block %s, record %zu: id '%s' is not POS:ID", what,
                           i + 1, xjl_index_record_id(bix, i));
            goto done;
        }
        /* Registry order is what makes a block's result independent of
         * where it runs; it also lets links find their records again. */
        if (i > 0 && gpos[i] <= gpos[i - 1]) {
            rc = xjl__fail(XJL_EFORMAT,
                           "dedup: block %s, record %zu: position %llu after %llu: records "
                           "must be in registry order, each once",
                           what, i + 1, (unsigned long long)gpos[i],
                           (unsigned long long)gpos[i - 1]);
            goto done;
        }
    }
    threads = xjl__threads(threads);
    if ((rc = xjl_index_build(bix, threads)))
        goto done;
    entries = xjl__index_entries(bix, &n);
    note_memory(d, xjl_index_memory(bix));
    if ((rc = xjl_matcher_new(&m, bix)))
        goto done;
    for (int p = 0; p < XJL_PARAM_COUNT; p++)
        if (d->param_set[p] && (rc = xjl_matcher_set_param(m, (xjl_param)p, d->param[p])))
            goto done;

    struct block b = {.ix = bix, .m = m, .entries = entries, .gpos = gpos, .n = n};
    b.threshold = d->param[XJL_PARAM_REVIEW_THRESHOLD];
    size_t copies = 0;
    if ((rc = fold_same(bix, entries, n, &first, &copies)))
        goto done;
    if (first && !(proto = calloc(n, sizeof *proto))) {
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory for block %s", what);
        goto done;
    }
    b.first = first;
    b.proto = proto;
    d->matched += n - copies;
    if ((rc = xjl__pool_for_budget(&pool, threads, n, SLICE)))
        goto done;
    nworkers = xjl__pool_workers(pool);
    workers = calloc(nworkers, sizeof *workers);
    if (!workers) {
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory for block %s", what);
        goto done;
    }
    for (unsigned t = 0; t < nworkers; t++)
        workers[t].b = &b;
    b.w = workers;
    b.nw = nworkers;
    if ((rc = xjl__pool_for(pool, n, SLICE, block_slice, &b))) {
        rc = xjl__fail(rc, "dedup: block %s: %s", what, xjl_errmsg());
        goto done;
    }

    /* Each copy's link to its first, in the place of its own matches. */
    for (size_t i = 0; first && i < n; i++)
        if (first[i] != i && proto[first[i]].accepted) {
            struct dlink l = proto[first[i]];
            l.accepted = 0;
            uint64_t f = gpos[first[i]], c = gpos[i]; /* the first may come later */
            l.a = f < c ? f : c;
            l.b = f < c ? c : f;
            if ((rc = add_links(d, &l, 1)))
                goto done;
            mark[i] = mark[first[i]] = 1;
        }
    /* The links, the records they refer to, and the findings of home records. */
    for (unsigned t = 0; t < nworkers && !rc; t++) {
        rc = add_links(d, workers[t].links, workers[t].nlinks);
        for (size_t k = 0; k < workers[t].nlinks; k++) {
            mark[local_of(gpos, n, workers[t].links[k].a)] = 1;
            mark[local_of(gpos, n, workers[t].links[k].b)] = 1;
        }
    }
    if (!rc)
        rc = add_block_caps(d, &b, key);
    size_t home = 0, unreadable = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        int32_t keys[XJL_DEDUP_MAX_BLOCKS];
        entry_blocks(bix, &entries[i], keys);
        uint32_t findings = 0;
        if (keys[0] == key) {
            home++;
            findings = bad_id_findings(bix, &entries[i]);
            /* no name key or no date: no search but its ID number's */
            unreadable += !(entries[i].flags & XJL_ENTRY_NAME_OK) ||
                          xjl__entry_dob(&entries[i]) == XJL_DATE_NONE;
        }
        if (!mark[i] && !findings)
            continue;
        char key[TIE_KEY_MAX];
        tie_key(bix, &entries[i], key);
        rc = add_rec(d, gpos[i], citizen_of(&entries[i]), findings, block_record_id(bix, i), key);
    }
    d->stat[XJL_DEDUP_RECORDS] += home;
    d->stat[XJL_DEDUP_KEYS_UNREADABLE] += unreadable;
    d->stat[XJL_DEDUP_BLOCKS]++;
    note_memory(d, xjl_index_memory(bix));
done:
    xjl__pool_free(pool);
    for (unsigned t = 0; workers && t < nworkers; t++) {
        free(workers[t].links);
        free(workers[t].cuts);
        xjl__match_scratch_free(workers[t].s);
    }
    free(workers);
    xjl_matcher_free(m);
    xjl_index_free(bix);
    free(gpos);
    free(mark);
    free(first);
    free(proto);
    return rc;
}

uint64_t xjl__dedup_matched(const xjl_dedup *d)
{
    return d->matched;
}

/* ---- one process: every block of an index ------------------------------- */

/* Distinct block keys and, per key, the registry positions in it. */
struct block_plan {
    int32_t *keys;
    size_t nkeys;
    size_t *start; /* nkeys + 1 offsets into pos */
    uint32_t *pos;
};

static void plan_free(struct block_plan *p)
{
    free(p->keys);
    free(p->start);
    free(p->pos);
}

static size_t key_slot(const struct block_plan *p, int32_t key)
{
    size_t lo = 0, hi = p->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int plan_blocks(const xjl_index *ix, struct block_plan *p)
{
    memset(p, 0, sizeof *p);
    size_t n, cap = 0;
    const struct xjl_entry *entries = xjl__index_entries(ix, &n);
    /* Each record's keys once (most records have one), then a counting
     * sort of the positions by key; keys are few: years and ID groups. */
    uint8_t *nk = malloc(n ? n : 1);
    size_t all_cap = n + n / 8 + XJL_DEDUP_MAX_BLOCKS;
    int32_t *all = malloc(all_cap * sizeof *all);
    size_t *fill = NULL;
    int rc = XJL_OK;
    if (!nk || !all) {
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory planning blocks");
        goto done;
    }
    size_t total = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (total + XJL_DEDUP_MAX_BLOCKS > all_cap &&
            (rc = grow((void **)&all, &all_cap, total + XJL_DEDUP_MAX_BLOCKS, sizeof *all)))
            break;
        int32_t *keys = all + total;
        nk[i] = (uint8_t)entry_blocks(ix, &entries[i], keys);
        total += nk[i];
        for (int k = 0; k < nk[i]; k++) {
            size_t at = key_slot(p, keys[k]);
            if (at < p->nkeys && p->keys[at] == keys[k])
                continue;
            if ((rc = grow((void **)&p->keys, &cap, p->nkeys + 1, sizeof *p->keys)))
                break;
            memmove(p->keys + at + 1, p->keys + at, (p->nkeys - at) * sizeof *p->keys);
            p->keys[at] = keys[k];
            p->nkeys++;
        }
    }
    p->start = calloc(p->nkeys + 1, sizeof *p->start);
    p->pos = malloc((total ? total : 1) * sizeof *p->pos);
    fill = malloc((p->nkeys ? p->nkeys : 1) * sizeof *fill);
    if (!rc && (!p->start || !p->pos || !fill))
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory planning blocks");
    if (rc)
        goto done;
    /* the slot of each key, in place of the key */
    for (size_t k = 0; k < total; k++) {
        all[k] = (int32_t)key_slot(p, all[k]);
        p->start[all[k] + 1]++;
    }
    for (size_t k = 0; k < p->nkeys; k++)
        p->start[k + 1] += p->start[k];
    memcpy(fill, p->start, p->nkeys * sizeof *fill);
    for (size_t i = 0, k = 0; i < n; i++) /* in registry order, so each block is too */
        for (int j = 0; j < nk[i]; j++, k++)
            p->pos[fill[all[k]]++] = (uint32_t)i;
done:
    free(nk);
    free(all);
    free(fill);
    return rc;
}

XJL_API int xjl_dedup_run(xjl_dedup *d, const xjl_index *registry, unsigned threads)
{
    int rc = check_open(d, "xjl_dedup_run");
    if (rc)
        return rc;
    if (!registry)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_run: NULL registry");
    /* the check reads the registry's records by position, base only */
    if (xjl_index_changes(registry))
        return xjl__fail(XJL_ESTATE,
                         "xjl_dedup_run: the registry index has %zu changes not "
                         "compacted: xjl_index_compact() it first",
                         xjl_index_changes(registry));
    size_t nsrc;
    const struct xjl__file_id *src = xjl__index_sources(registry, &nsrc);
    for (size_t i = 0; i < nsrc; i++)
        note_input(d, &src[i]);
    struct block_plan plan;
    if ((rc = plan_blocks(registry, &plan))) {
        plan_free(&plan);
        return rc;
    }
    d->held = xjl_index_memory(registry) + (plan.nkeys + 1) * sizeof *plan.start +
              plan.start[plan.nkeys] * sizeof *plan.pos;
    for (size_t k = 0; k < plan.nkeys && !rc; k++) {
        xjl_index *bix = NULL;
        if ((rc = xjl_index_new(&bix)))
            break;
        for (size_t i = plan.start[k]; i < plan.start[k + 1] && !rc; i++) {
            uint32_t pos = plan.pos[i];
            /* the block file's record name, so that both ways read alike */
            char name[24 + 512];
            int len = snprintf(name, sizeof name, "%u:%s", pos, xjl_index_record_id(registry, pos));
            if (len < 0 || (size_t)len >= sizeof name) {
                char *big = malloc((size_t)(len > 0 ? len : 0) + 1);
                if (!big) {
                    rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory");
                    break;
                }
                snprintf(big, (size_t)len + 1, "%u:%s", pos, xjl_index_record_id(registry, pos));
                rc = xjl__index_copy_entry(bix, registry, pos, big);
                free(big);
            } else {
                rc = xjl__index_copy_entry(bix, registry, pos, name);
            }
        }
        if (rc) {
            xjl_index_free(bix);
            break;
        }
        char what[16];
        snprintf(what, sizeof what, "%d", (int)plan.keys[k]);
        rc = run_block(d, bix, plan.keys[k], threads, what);
    }
    plan_free(&plan);
    d->held = 0;
    if (rc)
        return rc;
    return xjl_dedup_finish(d);
}

/* ---- many processes: split, block files, partial results ----------------- */

/* Appends s as one CSV field (quoted when it needs it) and a separator. */
static int put_field(FILE *f, const char *s, size_t len, char sep)
{
    char small[256];
    size_t need;
    int rc = xjl_csv_quote(s, len, small, sizeof small, &need);
    if (rc == XJL_OK)
        fwrite(small, 1, need, f);
    else if (rc == XJL_ERANGE) {
        char *big = malloc(need + 1);
        if (!big)
            return xjl__fail(XJL_ENOMEM, "dedup: out of memory");
        xjl_csv_quote(s, len, big, need + 1, &need);
        fwrite(big, 1, need, f);
        free(big);
    } else {
        return rc;
    }
    return fputc(sep, f) == EOF ? xjl__fail(XJL_EIO, "dedup: write error: %s", strerror(errno))
                                : XJL_OK;
}

struct split_out {
    int32_t key;
    FILE *f;
    size_t records;
};

static int block_file_name(char *buf, size_t cap, const char *dir, int32_t key)
{
    int n = snprintf(buf, cap, "%s/block-%d.csv", dir, (int)key);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static FILE *split_file(struct split_out **outs, size_t *nouts, size_t *cap, const char *dir,
                        int32_t key, int *rc)
{
    for (size_t i = 0; i < *nouts; i++)
        if ((*outs)[i].key == key)
            return (*outs)[i].f;
    char path[4096];
    if (block_file_name(path, sizeof path, dir, key)) {
        *rc = xjl__fail(XJL_EIO, "dedup: output directory name too long: %s", dir);
        return NULL;
    }
    if ((*rc = grow((void **)outs, cap, *nouts + 1, sizeof **outs)))
        return NULL;
    FILE *f = fopen(path, "wb");
    if (!f) {
        *rc = xjl__fail(XJL_EIO, "dedup: cannot write %s: %s", path, strerror(errno));
        return NULL;
    }
    fputs("record,name,gender,birth_date,id_type,id_number\n", f);
    (*outs)[*nouts] = (struct split_out){key, f, 0};
    (*nouts)++;
    return f;
}

static int cmp_split_out(const void *a, const void *b)
{
    int32_t x = ((const struct split_out *)a)->key, y = ((const struct split_out *)b)->key;
    return (x > y) - (x < y);
}

XJL_API int xjl_dedup_split(const char *registry_csv, xjl_encoding enc, const char *id_column,
                            const char *out_dir, xjl_diag_fn diag, void *user, size_t *bad_rows)
{
    if (bad_rows)
        *bad_rows = 0;
    if (!registry_csv || !out_dir)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_split: NULL %s",
                         registry_csv ? "output directory" : "registry");
    /* The rows and ids exactly as xjl_index_add_csv() loads them. */
    xjl_csv *csv = NULL;
    struct xjl_row_layout layout;
    int rc = xjl__registry_open(registry_csv, enc, id_column, NULL, &csv, &layout);
    if (rc)
        return rc;
    const int *cols = layout.key, idcol = layout.id;
    size_t bad = 0, rowno = 0, pos = 0, nouts = 0, cap = 0;
    struct split_out *outs = NULL;
    int r;
    while (!rc && (r = xjl_csv_next(csv)) == 1) {
        rowno++;
        if (!xjl__registry_row_loads(csv, &layout, registry_csv, diag, user)) {
            bad++;
            continue;
        }
        const char *f[5];
        for (int k = 0; k < 5; k++)
            f[k] = xjl_csv_field(csv, (size_t)cols[k], NULL);
        xjl_record rec = {f[0], f[1], f[2], f[3], f[4]};
        int32_t keys[XJL_DEDUP_MAX_BLOCKS];
        int nk = record_blocks(&rec, keys);
        char name[32];
        int nl = snprintf(name, sizeof name, "%zu:", pos);
        const char *rid = idcol >= 0 ? xjl_csv_field(csv, (size_t)idcol, NULL) : NULL;
        char num[24];
        if (!rid) {
            snprintf(num, sizeof num, "%zu", rowno);
            rid = num;
        }
        size_t ridlen = strlen(rid);
        char *record = malloc((size_t)nl + ridlen + 1);
        if (!record) {
            rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory");
            break;
        }
        memcpy(record, name, (size_t)nl);
        memcpy(record + nl, rid, ridlen + 1);
        for (int k = 0; k < nk && !rc; k++) {
            FILE *out = split_file(&outs, &nouts, &cap, out_dir, keys[k], &rc);
            if (!out)
                break;
            rc = put_field(out, record, XJL_NTS, ',');
            for (int c = 0; c < 5 && !rc; c++)
                rc = put_field(out, f[c], XJL_NTS, c < 4 ? ',' : '\n');
            for (size_t o = 0; o < nouts; o++)
                if (outs[o].f == out)
                    outs[o].records++;
        }
        free(record);
        pos++;
    }
    if (!rc && r < 0)
        rc = r;
    for (size_t o = 0; o < nouts; o++)
        if (fclose(outs[o].f) != 0 && !rc)
            rc = xjl__fail(XJL_EIO, "dedup: cannot write block %d in %s: %s", (int)outs[o].key,
                           out_dir, strerror(errno));
    if (!rc) {
        if (nouts)
            qsort(outs, nouts, sizeof *outs, cmp_split_out);
        char path[4096];
        snprintf(path, sizeof path, "%s/blocks.csv", out_dir);
        FILE *m = fopen(path, "wb");
        if (!m) {
            rc = xjl__fail(XJL_EIO, "dedup: cannot write %s: %s", path, strerror(errno));
        } else {
            fputs("key,file,records\n", m);
            for (size_t o = 0; o < nouts; o++)
                fprintf(m, "%d,block-%d.csv,%zu\n", (int)outs[o].key, (int)outs[o].key,
                        outs[o].records);
            if (fclose(m) != 0)
                rc = xjl__fail(XJL_EIO, "dedup: cannot write %s: %s", path, strerror(errno));
        }
    }
    free(outs);
    xjl_csv_close(csv);
    if (bad_rows)
        *bad_rows = bad;
    return rc;
}

struct block_diag {
    char msg[512];
    size_t bad;
};

static void block_diag(void *user, const char *file, long line, const char *column,
                       const char *value, const char *message)
{
    struct block_diag *b = user;
    (void)column;
    if (!b->bad++)
        snprintf(b->msg, sizeof b->msg, "%s:%ld: '%s': %s", file, line, value ? value : "",
                 message);
}

XJL_API int xjl_dedup_run_block(xjl_dedup *d, const char *block_csv, int32_t key, unsigned threads)
{
    int rc = check_open(d, "xjl_dedup_run_block");
    if (rc)
        return rc;
    if (!block_csv)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_run_block: NULL path");
    xjl_index *bix = NULL;
    if ((rc = xjl_index_new(&bix)))
        return rc;
    struct block_diag bd = {.bad = 0};
    rc = xjl_index_add_csv(bix, block_csv, XJL_ENC_UTF8, "record", block_diag, &bd, NULL);
    if (!rc && bd.bad)
        rc = xjl__fail(XJL_EFORMAT, "dedup: %s is not a block file written by xjl_dedup_split: %s",
                       block_csv, bd.msg);
    if (rc) {
        xjl_index_free(bix);
        return rc;
    }
    note_input_path(d, block_csv);
    return run_block(d, bix, key, threads, block_csv);
}

/* An output of this check: never one of the files it read (the registry,
 * blocks, partials), written whole or not at all (lib/util/outfile.c). */
static int out_open(const xjl_dedup *d, const char *path, xjl_output **o)
{
    return xjl__output_open(o, path, d->inputs, d->ninputs, NULL, 0);
}

/* Commits o after a successful write (rc 0), else discards it. */
static int out_end(xjl_output *o, int rc)
{
    if (rc) {
        xjl__output_abort(o);
        return rc;
    }
    return xjl__output_commit(o);
}

/* Partial results: one CSV, a row per item, all with the same columns
 *   kind,a,b,score,levels,class,citizen,findings,record_id
 * kind N: a = records checked, b = blocks, findings (since version 5) =
 * records whose name or birth date cannot be read; R: a record (a = position,
 * levels (since version 6) = its tie key, tie_key()); L: a link (score
 * exactly, as %.17g; levels as five numbers); C (since version 4): a search
 * key the block limit cut, a = the position of the record whose search it
 * cut first in the tie order (before version 6: the first in the block),
 * b = the key's records, score = a name key's date (its day number; empty
 * for an ID number's key), levels = the name or ID number, class = the
 * check's block, citizen = searches cut, findings = pairs not compared,
 * record_id = that record's id.  Since version 6 the links of a block are
 * those of its ties broken by the tie order (see tie_key()). */
static const char *const partial_header =
    "kind,a,b,score,levels,class,citizen,findings,record_id\n";

/* The first row after the header, V: the format's version (a = the version,
 * b = the fingerprint of the parameters).  Rows hold level, class and
 * finding numbers as the enums of xjlink.h number them: the version goes up
 * whenever a row's meaning or one of those numberings changes, so that a
 * partial written by another version is refused, never misread.  The
 * fingerprint covers every parameter the links depend on (all but the cap
 * on candidates and the prior of the match probability, which the links do
 * not use): partials made with other
 * weights or thresholds do not merge. */
#define PARTIAL_VERSION 6
_Static_assert(XJL_LV_ID_DIFFERENT == 42 && XJL_F_COUNT == 23 && XJL_DUP_ONE_ID == 5,
               "levels, findings or classes renumbered: raise PARTIAL_VERSION and update this");

static uint64_t params_fingerprint(const xjl_dedup *d)
{
    char text[XJL_PARAM_COUNT * 32];
    size_t n = 0;
    for (int p = 0; p < XJL_PARAM_COUNT; p++)
        if (p != XJL_PARAM_MAX_CANDIDATES && p != XJL_PARAM_MATCH_PRIOR)
            n += (size_t)snprintf(text + n, sizeof text - n, "%d=%.17g;", p, d->param[p]);
    return XXH3_64bits(text, n);
}

XJL_API int xjl_dedup_save(const xjl_dedup *d, const char *path)
{
    int rc = check_open(d, "xjl_dedup_save");
    if (rc)
        return rc;
    if (!path)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_save: NULL path");
    xjl_output *o;
    if ((rc = out_open(d, path, &o)))
        return rc;
    FILE *f = xjl__output_stream(o);
    fputs(partial_header, f);
    fprintf(f, "V,%d,%016llx,,,,,,\n", PARTIAL_VERSION, (unsigned long long)params_fingerprint(d));
    fprintf(f, "N,%llu,%llu,,,,,%llu,\n", (unsigned long long)d->stat[XJL_DEDUP_RECORDS],
            (unsigned long long)d->stat[XJL_DEDUP_BLOCKS],
            (unsigned long long)d->stat[XJL_DEDUP_KEYS_UNREADABLE]);
    for (size_t i = 0; i < d->nrecs && !rc; i++) {
        const struct drec *r = &d->recs[i];
        fprintf(f, "R,%llu,,,", (unsigned long long)r->pos);
        if (!(rc = put_field(f, d->text.p + r->key, XJL_NTS, ',')))
            fprintf(f, ",%llu,%lu,", (unsigned long long)r->citizen, (unsigned long)r->findings);
        if (!rc)
            rc = put_field(f, d->text.p + r->rid, XJL_NTS, '\n');
    }
    for (size_t i = 0; i < d->ncaps && !rc; i++) {
        const struct dcap *c = &d->caps[i];
        char date[16] = "";
        if (c->date != XJL_DATE_NONE)
            snprintf(date, sizeof date, "%ld", (long)c->date);
        fprintf(f, "C,%llu,%llu,%s,", (unsigned long long)c->pos, (unsigned long long)c->records,
                date);
        if (!(rc = put_field(f, d->text.p + c->what, XJL_NTS, ',')))
            fprintf(f, "%d,%llu,%llu,", (int)c->block, (unsigned long long)c->searches,
                    (unsigned long long)c->left_out);
        if (!rc)
            rc = put_field(f, d->text.p + c->rid, XJL_NTS, '\n');
    }
    for (size_t i = 0; i < d->nlinks; i++) {
        const struct dlink *l = &d->links[i];
        fprintf(f, "L,%llu,%llu,%.17g,%u %u %u %u %u,%u,,,\n", (unsigned long long)l->a,
                (unsigned long long)l->b, l->score, l->lv.name, l->lv.gender, l->lv.dob, l->lv.type,
                l->lv.id, l->cls);
    }
    return out_end(o, rc);
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* A day number, not XJL_DATE_NONE. */
static int parse_day(const char *s, int32_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= INT32_MIN || v > INT32_MAX || v == XJL_DATE_NONE)
        return -1;
    *out = (int32_t)v;
    return 0;
}

static int parse_link(xjl_csv *csv, struct dlink *l)
{
    uint64_t cls;
    unsigned lv[5];
    char *end;
    const char *score = xjl_csv_field(csv, 3, NULL);
    memset(l, 0, sizeof *l);
    if (parse_u64(xjl_csv_field(csv, 1, NULL), &l->a) ||
        parse_u64(xjl_csv_field(csv, 2, NULL), &l->b) || l->a >= l->b ||
        parse_u64(xjl_csv_field(csv, 5, NULL), &cls) || cls < XJL_DUP_SAME_ID ||
        cls > XJL_DUP_ONE_ID || cls == XJL_DUP_BAD_ID ||
        sscanf(xjl_csv_field(csv, 4, NULL), "%u %u %u %u %u", &lv[0], &lv[1], &lv[2], &lv[3],
               &lv[4]) != 5)
        return -1;
    errno = 0;
    l->score = strtod(score, &end);
    if (errno || end == score || *end)
        return -1;
    for (int i = 0; i < 5; i++)
        if (lv[i] > XJL_LV_ID_DIFFERENT)
            return -1;
    /* the reading behind a pinyin level only weighs candidates of a match,
     * not links of the duplicate check: not stored */
    l->lv = (struct xjl_levels){(uint8_t)lv[0], (uint8_t)lv[1], (uint8_t)lv[2],
                                (uint8_t)lv[3], (uint8_t)lv[4], false};
    l->cls = (uint8_t)cls;
    return 0;
}

XJL_API int xjl_dedup_load(xjl_dedup *d, const char *path)
{
    int rc = check_open(d, "xjl_dedup_load");
    if (rc)
        return rc;
    if (!path)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_load: NULL path");
    xjl_csv *csv = NULL;
    if ((rc = xjl_csv_open(&csv, path, XJL_ENC_UTF8)))
        return rc;
    note_input_path(d, path);
    if (xjl_csv_column_count(csv) != 9 || xjl_csv_column(csv, "record_id") != 8) {
        xjl_csv_close(csv);
        return xjl__fail(XJL_EFORMAT, "%s:1: not a partial result of xjl_dedup_save", path);
    }
    /* The version row first: nothing is added to d from a file that fails it. */
    int r = xjl_csv_next(csv);
    char want[24];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)params_fingerprint(d));
    if (r == 1 && strcmp(xjl_csv_field(csv, 0, NULL), "V") == 0 &&
        atoi(xjl_csv_field(csv, 1, NULL)) == PARTIAL_VERSION &&
        strcmp(xjl_csv_field(csv, 2, NULL), want) != 0)
        rc = xjl__fail(XJL_EFORMAT,
                       "%s:%ld: made with other matcher parameters (fingerprint %s, "
                       "this check's %s): run its blocks again with these",
                       path, xjl_csv_line(csv), xjl_csv_field(csv, 2, NULL), want);
    else if (r != 1 || strcmp(xjl_csv_field(csv, 0, NULL), "V") != 0 ||
             atoi(xjl_csv_field(csv, 1, NULL)) != PARTIAL_VERSION)
        rc = xjl__fail(XJL_EFORMAT,
                       "%s:2: a partial result of format %s, this library reads "
                       "format %d: run its blocks again with this version",
                       path,
                       r == 1 && strcmp(xjl_csv_field(csv, 0, NULL), "V") == 0
                           ? xjl_csv_field(csv, 1, NULL)
                           : "1 (no version row)",
                       PARTIAL_VERSION);
    if (rc) {
        xjl_csv_close(csv);
        return rc;
    }
    d->started = true;
    while (!rc && (r = xjl_csv_next(csv)) == 1) {
        const char *kind = xjl_csv_field(csv, 0, NULL);
        bool ok = xjl_csv_field_count(csv) == 9;
        if (ok && strcmp(kind, "N") == 0) {
            uint64_t recs, blocks, unreadable;
            ok = !parse_u64(xjl_csv_field(csv, 1, NULL), &recs) &&
                 !parse_u64(xjl_csv_field(csv, 2, NULL), &blocks) &&
                 !parse_u64(xjl_csv_field(csv, 7, NULL), &unreadable);
            if (ok) {
                d->stat[XJL_DEDUP_RECORDS] += recs;
                d->stat[XJL_DEDUP_BLOCKS] += blocks;
                d->stat[XJL_DEDUP_KEYS_UNREADABLE] += unreadable;
            }
        } else if (ok && strcmp(kind, "R") == 0) {
            uint64_t pos, citizen, findings;
            ok = !parse_u64(xjl_csv_field(csv, 1, NULL), &pos) &&
                 !parse_u64(xjl_csv_field(csv, 6, NULL), &citizen) &&
                 !parse_u64(xjl_csv_field(csv, 7, NULL), &findings) && findings <= UINT32_MAX;
            if (ok)
                rc = add_rec(d, pos, citizen, (uint32_t)findings, xjl_csv_field(csv, 8, NULL),
                             xjl_csv_field(csv, 4, NULL));
        } else if (ok && strcmp(kind, "C") == 0) {
            struct dcap c = {.date = XJL_DATE_NONE};
            uint64_t block;
            const char *date = xjl_csv_field(csv, 3, NULL);
            ok = !parse_u64(xjl_csv_field(csv, 1, NULL), &c.pos) &&
                 !parse_u64(xjl_csv_field(csv, 2, NULL), &c.records) &&
                 !parse_u64(xjl_csv_field(csv, 5, NULL), &block) && block <= INT32_MAX &&
                 !parse_u64(xjl_csv_field(csv, 6, NULL), &c.searches) &&
                 !parse_u64(xjl_csv_field(csv, 7, NULL), &c.left_out) &&
                 (!*date || parse_day(date, &c.date) == 0);
            if (ok) { /* block is read only when its field parsed */
                c.block = (int32_t)block;
                rc = add_cap(d, &c, xjl_csv_field(csv, 4, NULL), xjl_csv_field(csv, 8, NULL));
            }
        } else if (ok && strcmp(kind, "L") == 0) {
            struct dlink l;
            ok = parse_link(csv, &l) == 0;
            if (ok)
                rc = add_links(d, &l, 1);
        } else {
            ok = false;
        }
        if (!ok)
            rc = xjl__fail(XJL_EFORMAT, "%s:%ld: not a row of a partial result (kind '%s')", path,
                           xjl_csv_line(csv), kind);
    }
    if (!rc && r < 0)
        rc = r;
    xjl_csv_close(csv);
    note_memory(d, 0);
    return rc;
}

/* ---- finish: clusters ---------------------------------------------------- */

/* By block, name keys (by date) before ID keys, key text, first record (its
 * id; the same key of the same block twice, from partials merged twice). */
static int cmp_cap(const void *a, const void *b, void *ctx)
{
    const struct dcap *x = a, *y = b;
    const xjl_dedup *d = ctx;
    bool xid = x->date == XJL_DATE_NONE, yid = y->date == XJL_DATE_NONE;
    if (x->block != y->block)
        return x->block < y->block ? -1 : 1;
    if (xid != yid)
        return xid ? 1 : -1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    int c = strcmp(d->text.p + x->what, d->text.p + y->what);
    if (!c)
        c = strcmp(d->text.p + x->rid, d->text.p + y->rid);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Two records in the tie order (see Ties): record id, then tie key. */
static int cmp_id_key(const xjl_dedup *d, const struct drec *x, const struct drec *y)
{
    int c = strcmp(d->text.p + x->rid, d->text.p + y->rid);
    return c ? c : strcmp(d->text.p + x->key, d->text.p + y->key);
}

/* By position; a record from several blocks has the same id and key in
 * each (partials that disagree: the first in the tie order, not the first
 * read). */
static int cmp_rec(const void *a, const void *b, void *ctx)
{
    const struct drec *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return cmp_id_key(ctx, x, y);
}

/* A record to sort in the tie order: its id's first 8 bytes as a number
 * (big-endian, zeros after its end: ordered as strcmp orders them), so that
 * most comparisons read neither the id nor the key. */
struct tie_sort {
    uint64_t head;
    size_t rec;
};

static uint64_t id_head(const char *id)
{
    uint64_t v = 0;
    int i = 0;
    for (; i < 8 && id[i]; i++)
        v = v << 8 | (unsigned char)id[i];
    return i ? v << (8 * (8 - i))
             : 0; /* an empty id (a damaged partial): shifting by 64 is undefined */
}

/* In the tie order; the position only between records equal in it, which
 * no row tells apart. */
static int cmp_rec_tie(const void *a, const void *b, void *ctx)
{
    const struct tie_sort *p = a, *q = b;
    if (p->head != q->head)
        return p->head < q->head ? -1 : 1;
    const xjl_dedup *d = ctx;
    const struct drec *x = &d->recs[p->rec], *y = &d->recs[q->rec];
    int c = cmp_id_key(d, x, y);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* rank[i]: record i's place in the tie order.  No sort when the ids ascend
 * with the positions, as in most registries. */
static int tie_ranks(const xjl_dedup *d, size_t *rank)
{
    size_t n = d->nrecs;
    bool in_order = true;
    for (size_t i = 1; i < n && in_order; i++)
        in_order = cmp_id_key(d, &d->recs[i - 1], &d->recs[i]) <= 0;
    if (in_order) {
        for (size_t i = 0; i < n; i++)
            rank[i] = i;
        return XJL_OK;
    }
    struct tie_sort *t = malloc(n * sizeof *t);
    if (!t)
        return xjl__fail(XJL_ENOMEM, "dedup: out of memory joining %zu records", n);
    for (size_t i = 0; i < n; i++)
        t[i] = (struct tie_sort){id_head(d->text.p + d->recs[i].rid), i};
    qsort_r(t, n, sizeof *t, cmp_rec_tie, (void *)d);
    for (size_t i = 0; i < n; i++)
        rank[t[i].rec] = i;
    free(t);
    return XJL_OK;
}

/* Strongest first: class, score, then (links equally strong) by their ends
 * in the tie order: the pair whose end first in that order comes first, then
 * by the other end.  ctx: each record's rank in the tie order.  Each pair is
 * one link, so no two links are equal: the order is the same whatever order
 * the registry, the blocks or the partials came in. */
static int cmp_link_strength(const void *a, const void *b, void *ctx)
{
    const struct dlink *x = a, *y = b;
    int c = cmp_link_class_score(x, y);
    if (c)
        return c;
    const size_t *rank = ctx;
    size_t xa = rank[x->a], xb = rank[x->b], ya = rank[y->a], yb = rank[y->b];
    size_t xlo = xa < xb ? xa : xb, xhi = xa < xb ? xb : xa;
    size_t ylo = ya < yb ? ya : yb, yhi = ya < yb ? yb : ya;
    if (xlo != ylo)
        return xlo < ylo ? -1 : 1;
    return (xhi > yhi) - (xhi < yhi);
}

/* Same pair together, the best score first; of two links of a pair with
 * the same score (its two records' searches, two blocks), the stronger
 * class, then the better levels, field by field: the one kept never depends
 * on which came first. */
static int cmp_link_pair(const void *a, const void *b)
{
    const struct dlink *x = a, *y = b;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->cls != y->cls)
        return class_rank(x->cls) < class_rank(y->cls) ? -1 : 1;
    const uint8_t lx[] = {x->lv.id, x->lv.name, x->lv.dob, x->lv.gender, x->lv.type};
    const uint8_t ly[] = {y->lv.id, y->lv.name, y->lv.dob, y->lv.gender, y->lv.type};
    return memcmp(lx, ly, sizeof lx);
}

static size_t rec_index(const xjl_dedup *d, uint64_t pos)
{
    size_t lo = 0, hi = d->nrecs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->recs[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

struct adj {
    size_t *start; /* nrecs + 1 */
    size_t *link;  /* accepted link indexes, per record, by the other record's index */
};

static int add_row(xjl_dedup *d, size_t *cap, uint64_t cluster, uint8_t cls, const struct drec *r,
                   const char *reasons, const char *reasons_zh)
{
    int rc = grow((void **)&d->rows, cap, d->nrows + 1, sizeof *d->rows);
    if (rc)
        return rc;
    struct drow *w = &d->rows[d->nrows];
    w->cluster = cluster;
    w->pos = r->pos;
    w->rid = r->rid;
    w->cls = cls;
    if ((rc = text_put(&d->text, reasons, strlen(reasons), &w->reasons)) ||
        (rc = text_put(&d->text, reasons_zh, strlen(reasons_zh), &w->reasons_zh)))
        return rc;
    d->nrows++;
    return XJL_OK;
}

/* Appends s to buf (cap bytes, *n used), cut at the end before a whole
 * character: never inside one. */
static void zh_put(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t len = strlen(s), room = cap - *n - 1;
    if (len > room)
        for (len = room; len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80; len--)
            ;
    memcpy(buf + *n, s, len);
    *n += len;
    buf[*n] = '\0';
}

/* "与ID相连，得分S" (which: dedup.vs) or "另与ID相连，得分S" (dedup.also). */
static void zh_link(char *buf, size_t cap, size_t *n, const char *which, const char *rid,
                    double score)
{
    char text[600], num[32];
    snprintf(text, sizeof text, xjl_message(which, XJL_LANG_ZH), rid);
    zh_put(buf, cap, n, text);
    zh_put(buf, cap, n, "，");
    snprintf(num, sizeof num, "%.2f", score);
    snprintf(text, sizeof text, xjl_message("dedup.score", XJL_LANG_ZH), num);
    zh_put(buf, cap, n, text);
}

/* A link's levels in Chinese words joined by 、, in the English text's
 * order (id, name, dob, gender, type). */
static void zh_levels(const struct xjl_levels *lv, char *buf, size_t cap, size_t *n)
{
    const struct {
        xjl_field f;
        uint8_t level;
    } parts[] = {{XJL_FIELD_ID_NUMBER, lv->id},
                 {XJL_FIELD_NAME, lv->name},
                 {XJL_FIELD_BIRTH_DATE, lv->dob},
                 {XJL_FIELD_GENDER, lv->gender},
                 {XJL_FIELD_ID_TYPE, lv->type}};
    for (size_t k = 0; k < XJL_ARRAY_LEN(parts); k++) {
        if (k)
            zh_put(buf, cap, n, "、");
        zh_put(buf, cap, n, xjl_level_label(parts[k].f, (xjl_level)parts[k].level, XJL_LANG_ZH));
    }
}

/* The findings as "id_number:id_check record:dob_mismatch". */
static void findings_text(uint32_t findings, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (findings & BAD_ID_UNREADABLE)
        n = (size_t)snprintf(buf, cap, "%s:unreadable", xjl_field_name(XJL_FIELD_ID_NUMBER));
    for (int c = 1; c < XJL_F_COUNT; c++)
        if (findings & XJL_FINDING_BIT(c)) {
            const char *field = (c == XJL_F_DOB_MISMATCH || c == XJL_F_GENDER_MISMATCH)
                                    ? xjl_field_name(XJL_FIELD_RECORD)
                                    : xjl_field_name(XJL_FIELD_ID_NUMBER);
            int k = snprintf(buf + n, cap - n, "%s%s:%s", n ? " " : "", field, xjl_finding_name(c));
            if (k < 0 || (size_t)k >= cap - n)
                break;
            n += (size_t)k;
        }
}

/* The same findings in Chinese: "身份证件号：校验码错误，记录：…". */
static void findings_zh(uint32_t findings, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (findings & BAD_ID_UNREADABLE) {
        zh_put(buf, cap, &n, xjl_field_label(XJL_FIELD_ID_NUMBER, XJL_LANG_ZH));
        zh_put(buf, cap, &n, "：");
        zh_put(buf, cap, &n, xjl_message("dedup.unreadable", XJL_LANG_ZH));
    }
    for (int c = 1; c < XJL_F_COUNT; c++)
        if (findings & XJL_FINDING_BIT(c)) {
            xjl_field f = (c == XJL_F_DOB_MISMATCH || c == XJL_F_GENDER_MISMATCH)
                              ? XJL_FIELD_RECORD
                              : XJL_FIELD_ID_NUMBER;
            if (n)
                zh_put(buf, cap, &n, "，");
            zh_put(buf, cap, &n, xjl_field_label(f, XJL_LANG_ZH));
            zh_put(buf, cap, &n, "：");
            zh_put(buf, cap, &n, xjl_finding_message((xjl_finding)c, XJL_LANG_ZH));
        }
}

static size_t other_end(const struct dlink *l, size_t self)
{
    return (size_t)(l->a == self ? l->b : l->a);
}

/* Work arrays of the spanning trees, per record. */
struct tree {
    size_t *order, *parent_link;
    uint64_t *cluster_of;
    const size_t *also; /* ALSO_SHOWN strongest refused links (see note_also), SIZE_MAX after */
    const uint32_t *also_more; /* how many more were refused */
};

/* A record without a valid number of its own that resembles two children
 * goes to the one it resembles most, and of two it resembles equally (the
 * same class and score: two namesakes) to the one first in the tie order
 * (see Ties: the smaller record id), never to the earlier in the registry;
 * its strongest refused links, in the same order, are shown to the
 * reviewer. */
#define ALSO_SHOWN 3

static void note_also(const xjl_dedup *d, size_t *also, uint32_t *more, size_t r, size_t link)
{
    if (d->recs[r].citizen)
        return;
    for (size_t k = 0; k < ALSO_SHOWN; k++)
        if (also[r * ALSO_SHOWN + k] == SIZE_MAX) {
            also[r * ALSO_SHOWN + k] = link;
            return;
        }
    if (more[r] < UINT32_MAX)
        more[r]++;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Rows of the cluster whose first record is `first` (its record first in
 * the tie order): a spanning tree of its accepted links from it, breadth
 * first, each record explained by its tree link.  The accepted links are a
 * forest, so each record's tree link is the one on its only path to the
 * first, whatever the order of the search. */
static int cluster_rows(xjl_dedup *d, const struct adj *g, size_t first, uint64_t number,
                        uint8_t cls, const struct tree *t, size_t *rows_cap)
{
    size_t *order = t->order, *parent_link = t->parent_link;
    uint64_t *cluster_of = t->cluster_of;
    size_t head = 0, tail = 0;
    order[tail++] = first;
    cluster_of[first] = number;
    parent_link[first] = SIZE_MAX;
    while (head < tail) {
        size_t r = order[head++];
        for (size_t k = g->start[r]; k < g->start[r + 1]; k++) {
            size_t o = other_end(&d->links[g->link[k]], r);
            if (cluster_of[o])
                continue;
            cluster_of[o] = number;
            parent_link[o] = g->link[k];
            order[tail++] = o;
        }
    }
    /* the first, then the others in registry order (record indexes follow
     * positions): a sort, or for a cluster that fills most of its span of
     * records (a block of copies) a pass over the span */
    if (tail > 2) {
        size_t lo = order[1], hi = order[1];
        for (size_t i = 2; i < tail; i++) {
            lo = order[i] < lo ? order[i] : lo;
            hi = order[i] > hi ? order[i] : hi;
        }
        if (hi - lo < 4 * tail) {
            size_t k = 1;
            for (size_t r = lo; r <= hi; r++)
                if (cluster_of[r] == number && r != first)
                    order[k++] = r;
        } else {
            qsort(order + 1, tail - 1, sizeof *order, cmp_size);
        }
    }
    int rc = XJL_OK;
    for (size_t i = 0; i < tail && !rc; i++) {
        size_t r = order[i];
        /* the reasons in English (as scripts read them) and in Chinese
         * words, made of the same parts: a record id is never parsed back
         * out of a text (an id may hold a space or "; ") */
        char reasons[1400], zh[2048];
        size_t zn = 0;
        zh[0] = '\0';
        int len;
        if (parent_link[r] == SIZE_MAX) {
            len = snprintf(reasons, sizeof reasons, "first");
            zh_put(zh, sizeof zh, &zn, xjl_message("reasons.first", XJL_LANG_ZH));
        } else {
            const struct dlink *l = &d->links[parent_link[r]];
            const char *other = d->text.p + d->recs[other_end(l, r)].rid;
            char levels[80];
            xjl__levels_text(&l->lv, levels);
            len = snprintf(reasons, sizeof reasons, "vs=%s score=%.2f %s", other, l->score, levels);
            zh_link(zh, sizeof zh, &zn, "dedup.vs", other, l->score);
            zh_put(zh, sizeof zh, &zn, "，");
            zh_levels(&l->lv, zh, sizeof zh, &zn);
        }
        for (size_t k = 0; k < ALSO_SHOWN && t->also[r * ALSO_SHOWN + k] != SIZE_MAX; k++) {
            if (len < 0 || (size_t)len >= sizeof reasons)
                break;
            const struct dlink *l = &d->links[t->also[r * ALSO_SHOWN + k]];
            const char *other = d->text.p + d->recs[other_end(l, r)].rid;
            len += snprintf(reasons + len, sizeof reasons - (size_t)len, "; also=%s score=%.2f",
                            other, l->score);
            zh_put(zh, sizeof zh, &zn, "；");
            zh_link(zh, sizeof zh, &zn, "dedup.also", other, l->score);
        }
        if (t->also_more[r] && len > 0 && (size_t)len < sizeof reasons) {
            snprintf(reasons + len, sizeof reasons - (size_t)len, "; %lu more alike",
                     (unsigned long)t->also_more[r]);
            char more[64];
            snprintf(more, sizeof more, xjl_message("dedup.more", XJL_LANG_ZH),
                     (unsigned long)t->also_more[r]);
            zh_put(zh, sizeof zh, &zn, "；");
            zh_put(zh, sizeof zh, &zn, more);
        }
        rc = add_row(d, rows_cap, number, cls, &d->recs[r], reasons, zh);
    }
    return rc;
}

XJL_API int xjl_dedup_finish(xjl_dedup *d)
{
    int rc = check_open(d, "xjl_dedup_finish");
    if (rc)
        return rc;
    d->started = true;
    /* Records: each once (a record may come from several blocks). */
    if (d->nrecs)
        qsort_r(d->recs, d->nrecs, sizeof *d->recs, cmp_rec, d);
    size_t u = 0;
    for (size_t i = 0; i < d->nrecs; i++) {
        if (u && d->recs[u - 1].pos == d->recs[i].pos) {
            d->recs[u - 1].findings |= d->recs[i].findings;
            continue;
        }
        d->recs[u++] = d->recs[i];
    }
    d->nrecs = u;
    if (d->ncaps)
        qsort_r(d->caps, d->ncaps, sizeof *d->caps, cmp_cap, d);
    /* Links: each pair once, with its best score (blocks weigh names by
     * their own counts), its ends as record indexes. */
    if (d->nlinks)
        qsort(d->links, d->nlinks, sizeof *d->links, cmp_link_pair);
    u = 0;
    for (size_t i = 0; i < d->nlinks; i++)
        if (!u || d->links[u - 1].a != d->links[i].a || d->links[u - 1].b != d->links[i].b)
            d->links[u++] = d->links[i];
    d->nlinks = u;
    for (size_t i = 0; i < d->nlinks; i++) {
        struct dlink *l = &d->links[i];
        size_t a = rec_index(d, l->a), b = rec_index(d, l->b);
        if (a >= d->nrecs || d->recs[a].pos != l->a || b >= d->nrecs || d->recs[b].pos != l->b)
            return xjl__fail(XJL_EFORMAT,
                             "dedup: a link refers to record %llu or %llu, which "
                             "no block described (a partial result is incomplete)",
                             (unsigned long long)l->a, (unsigned long long)l->b);
        l->a = a;
        l->b = b;
    }
    size_t n = d->nrecs;
    size_t *parent = malloc((n ? n : 1) * sizeof *parent);
    size_t *size = malloc((n ? n : 1) * sizeof *size);
    uint64_t *citizen = malloc((n ? n : 1) * sizeof *citizen);
    uint8_t *cls = malloc(n ? n : 1);
    struct adj g = {calloc(n + 1, sizeof *g.start), NULL};
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *parent_link = malloc((n ? n : 1) * sizeof *parent_link);
    uint64_t *cluster_of = calloc(n ? n : 1, sizeof *cluster_of);
    size_t *also = malloc((n ? n : 1) * ALSO_SHOWN * sizeof *also);
    uint32_t *also_more = calloc(n ? n : 1, sizeof *also_more);
    size_t *rank = malloc((n ? n : 1) * sizeof *rank); /* each record's place in the tie order */
    size_t *lead = malloc((n ? n : 1) * sizeof *lead); /* per cluster root: its first record */
    if (!parent || !size || !citizen || !cls || !g.start || !order || !parent_link || !cluster_of ||
        !also || !also_more || !rank || !lead) {
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory joining %zu records", n);
        goto done;
    }
    /* The tie order, then the links in it. */
    if ((rc = tie_ranks(d, rank)))
        goto done;
    if (d->nlinks)
        qsort_r(d->links, d->nlinks, sizeof *d->links, cmp_link_strength, rank);
    d->stat[XJL_DEDUP_LINKS] = d->nlinks;
    for (size_t i = 0; i < n; i++) {
        parent[i] = i;
        size[i] = 1;
        citizen[i] = d->recs[i].citizen;
        cls[i] = UINT8_MAX;
        for (size_t k = 0; k < ALSO_SHOWN; k++)
            also[i * ALSO_SHOWN + k] = SIZE_MAX;
    }
    size_t accepted = 0;
    for (size_t i = 0; i < d->nlinks; i++) {
        struct dlink *l = &d->links[i];
        size_t ra = uf_find(parent, (size_t)l->a), rb = uf_find(parent, (size_t)l->b);
        l->accepted = 0;
        if (ra == rb) {
            continue; /* already joined by stronger links: not part of the tree */
        }
        if (citizen[ra] && citizen[rb] && citizen[ra] != citizen[rb]) {
            d->stat[XJL_DEDUP_REFUSED]++;
            note_also(d, also, also_more, (size_t)l->a, i);
            note_also(d, also, also_more, (size_t)l->b, i);
            continue;
        }
        if (size[ra] < size[rb]) {
            size_t t = ra;
            ra = rb;
            rb = t;
        }
        parent[rb] = ra;
        size[ra] += size[rb];
        if (!citizen[ra])
            citizen[ra] = citizen[rb];
        cls[ra] = stronger_class(stronger_class(cls[ra], cls[rb]), l->cls);
        l->accepted = 1;
        g.start[l->a + 1]++;
        g.start[l->b + 1]++;
        accepted++;
    }
    /* Adjacency of the accepted links (a forest: each record has one path to
     * its cluster's first, whichever way a tree is searched). */
    for (size_t i = 0; i < n; i++)
        g.start[i + 1] += g.start[i];
    g.link = malloc((accepted ? 2 * accepted : 1) * sizeof *g.link);
    if (!g.link) {
        rc = xjl__fail(XJL_ENOMEM, "dedup: out of memory joining %zu records", n);
        goto done;
    }
    memcpy(order, g.start, n * sizeof *order); /* fill cursors */
    for (size_t i = 0; i < d->nlinks; i++)
        if (d->links[i].accepted) {
            g.link[order[d->links[i].a]++] = i;
            g.link[order[d->links[i].b]++] = i;
        }
    /* Each cluster's first record: its record first in the tie order. */
    for (size_t i = 0; i < n; i++)
        lead[i] = SIZE_MAX;
    for (size_t r = 0; r < n; r++) {
        size_t root = uf_find(parent, r);
        if (lead[root] == SIZE_MAX || rank[r] < rank[lead[root]])
            lead[root] = r;
    }

    size_t rows_cap = 0;
    uint64_t clusters = 0;
    d->nrows = 0;
    for (size_t r = 0; r < n && !rc; r++) {
        size_t root = uf_find(parent, r);
        if (size[root] < 2 || lead[root] != r)
            continue;
        /* r is the first record of its cluster: clusters come in registry
         * order of their first records */
        clusters++;
        d->stat[cls[root] == XJL_DUP_ONE_ID
                    ? XJL_DEDUP_CLUSTERS_ONE_ID
                    : XJL_DEDUP_CLUSTERS_SAME_ID + cls[root] - XJL_DUP_SAME_ID]++;
        d->stat[XJL_DEDUP_CLUSTERED] += size[root];
        struct tree t = {order, parent_link, cluster_of, also, also_more};
        rc = cluster_rows(d, &g, r, clusters, cls[root], &t, &rows_cap);
    }
    for (size_t r = 0; r < n && !rc; r++) {
        if (!d->recs[r].findings)
            continue;
        char reasons[512], zh[2048];
        findings_text(d->recs[r].findings, reasons, sizeof reasons);
        findings_zh(d->recs[r].findings, zh, sizeof zh);
        d->stat[XJL_DEDUP_BAD_ID]++;
        rc = add_row(d, &rows_cap, cluster_of[r], XJL_DUP_BAD_ID, &d->recs[r], reasons, zh);
    }
    if (!rc)
        d->finished = true;
    note_memory(d, (n + 1) * (5 * sizeof(size_t) + 2 * sizeof(uint64_t) + 1) +
                       2 * accepted * sizeof *g.link);
done:
    free(parent);
    free(size);
    free(citizen);
    free(cls);
    free(g.start);
    free(g.link);
    free(order);
    free(parent_link);
    free(cluster_of);
    free(also);
    free(also_more);
    free(rank);
    free(lead);
    return rc;
}

/* ---- results ------------------------------------------------------------ */

XJL_API size_t xjl_dedup_row_count(const xjl_dedup *d)
{
    return d && d->finished ? d->nrows : 0;
}

XJL_API int xjl_dedup_row(const xjl_dedup *d, size_t i, xjl_dup_row *out)
{
    if (!d || !out)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_row: NULL %s", d ? "out" : "check");
    if (!d->finished || i >= d->nrows)
        return xjl__fail(XJL_ENOTFOUND, "xjl_dedup_row: no row %zu of %zu", i,
                         xjl_dedup_row_count(d));
    const struct drow *w = &d->rows[i];
    out->cluster = w->cluster;
    out->cls = w->cls;
    out->pos = w->pos;
    out->record_id = d->text.p + w->rid;
    out->reasons = d->text.p + w->reasons;
    return XJL_OK;
}

const char *xjl__dedup_reasons(const xjl_dedup *d, size_t i, xjl_lang lang)
{
    const struct drow *w = &d->rows[i];
    return d->text.p + (lang == XJL_LANG_ZH ? w->reasons_zh : w->reasons);
}

XJL_API int xjl_dedup_write_csv(const xjl_dedup *d, const char *path, xjl_lang lang)
{
    if (!d || !path)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_write_csv: NULL %s", d ? "path" : "check");
    if (!d->finished)
        return xjl__fail(XJL_ESTATE, "xjl_dedup_write_csv: call xjl_dedup_finish first");
    xjl_output *o;
    int rc = out_open(d, path, &o);
    if (rc)
        return rc;
    FILE *f = xjl__output_stream(o);
    fprintf(f, "%s,%s,%s,%s\n", xjl_message("column.cluster_id", lang),
            xjl_message("column.class", lang), xjl_message("column.record_id", lang),
            xjl_message("column.reasons", lang));
    for (size_t i = 0; i < d->nrows && !rc; i++) {
        const struct drow *w = &d->rows[i];
        if (w->cluster)
            fprintf(f, "%llu,", (unsigned long long)w->cluster);
        else
            fputc(',', f);
        fprintf(f, "%s,",
                lang == XJL_LANG_ZH ? xjl_dup_class_label_zh(w->cls) : xjl_dup_class_name(w->cls));
        const char *why = d->text.p + (lang == XJL_LANG_ZH ? w->reasons_zh : w->reasons);
        if (!(rc = put_field(f, d->text.p + w->rid, XJL_NTS, ',')))
            rc = put_field(f, why, XJL_NTS, '\n');
    }
    return out_end(o, rc);
}

XJL_API uint64_t xjl_dedup_stat_get(const xjl_dedup *d, xjl_dedup_stat what)
{
    if (!d || (unsigned)what >= XJL_DEDUP_STAT_COUNT)
        return 0;
    return d->stat[what];
}

bool xjl__dedup_links(const xjl_dedup *d, xjl_link_fn fn, void *ctx)
{
    if (!d->finished)
        return false;
    for (size_t i = 0; i < d->nlinks; i++)
        if (d->links[i].accepted)
            fn(ctx, d->links[i].cls, d->links[i].score, &d->links[i].lv);
    return true;
}

XJL_API size_t xjl_dedup_capped_count(const xjl_dedup *d)
{
    return d ? d->ncaps : 0;
}

XJL_API int xjl_dedup_capped(const xjl_dedup *d, size_t i, xjl_dup_capped *out)
{
    if (!d || !out)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_capped: NULL %s", d ? "out" : "check");
    if (i >= d->ncaps)
        return xjl__fail(XJL_ENOTFOUND, "xjl_dedup_capped: no capped block %zu of %zu", i,
                         d->ncaps);
    const struct dcap *c = &d->caps[i];
    *out = (xjl_dup_capped){.block = c->block,
                            .by_id = c->date == XJL_DATE_NONE,
                            .key = d->text.p + c->what,
                            .birth_date = c->date,
                            .record_id = d->text.p + c->rid,
                            .pos = c->pos,
                            .records = c->records,
                            .limit = (uint64_t)d->param[XJL_PARAM_BLOCK_LIMIT],
                            .searches = c->searches,
                            .not_compared = c->left_out};
    return XJL_OK;
}

XJL_API int xjl_dedup_capped_text(const xjl_dedup *d, size_t i, xjl_lang lang, char *buf,
                                  size_t cap, size_t *out_len)
{
    xjl_dup_capped c;
    int rc = buf && cap ? xjl_dedup_capped(d, i, &c)
                        : xjl__fail(XJL_EINVAL, "xjl_dedup_capped_text: no buffer");
    if (rc)
        return rc;
    int n;
    if (c.by_id) {
        n = snprintf(buf, cap, xjl_message("dedup.capped.id", lang), (int)c.block, c.key,
                     (unsigned long long)c.records, c.record_id, (unsigned long long)c.limit,
                     (unsigned long long)c.searches, (unsigned long long)c.not_compared);
    } else {
        char date[24];
        if (xjl_date_format(c.birth_date, date, sizeof date) < 0) /* a day outside 1900..2099 */
            snprintf(date, sizeof date, "%ld", (long)c.birth_date);
        n = snprintf(buf, cap, xjl_message("dedup.capped.name", lang), (int)c.block, c.key, date,
                     (unsigned long long)c.records, c.record_id, (unsigned long long)c.limit,
                     (unsigned long long)c.searches, (unsigned long long)c.not_compared);
    }
    if (n < 0)
        return xjl__fail(XJL_EINVAL, "xjl_dedup_capped_text: cannot format key %zu", i);
    if (out_len)
        *out_len = (size_t)n;
    return (size_t)n < cap
               ? XJL_OK
               : xjl__fail(XJL_ERANGE, "xjl_dedup_capped_text: %d bytes, room for %zu", n, cap - 1);
}
