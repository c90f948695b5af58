/*
 * The registry index as a file (index_file.c): a saved and reopened index
 * matches every query as the index it was saved from; every truncation,
 * every flipped byte and a mutated header give an error of their own and no
 * crash; a save killed at any moment leaves the old file readable.
 */
#include "match/matching.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "citizen_ids.h"

/* ---- a registry made here ------------------------------------------------ */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % n);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "歐陽", "赵"};
static const char *const given[] = {"小明", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊",
                                    "軍",   "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"};
static const char *const latin[] = {"WANG DAVID", "DAVID WANG", "SMITH ANNA", "LEE JOHN"};

struct rec_text {
    char name[64], gender[4], dob[16], type[4], id[64], rid[24];
};

/* Record i of a registry: namesakes, twins, typos, records without ID,
 * passports (kept as text), Latin names. */
static void make_record(struct rec_text *t, size_t i)
{
    uint32_t kind = rnd(20);
    if (kind == 0)
        snprintf(t->name, sizeof t->name, "%s", latin[rnd(4)]);
    else
        snprintf(t->name, sizeof t->name, "%s%s", surnames[rnd(9)], given[rnd(18)]);
    int y = 2013 + (int)rnd(6), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
    snprintf(t->dob, sizeof t->dob, "%04d-%02d-%02d", y, m, d);
    snprintf(t->gender, sizeof t->gender, "%u", 1 + rnd(2));
    snprintf(t->rid, sizeof t->rid, "R%zu", i);
    if (kind == 1) {
        snprintf(t->type, sizeof t->type, "A");
        snprintf(t->id, sizeof t->id, "E%07u", rnd(10000000));
    } else if (kind == 2) {
        t->type[0] = t->id[0] = '\0';
    } else {
        char ymd[9];
        snprintf(ymd, sizeof ymd, "%04d%02d%02d", y, m, d);
        snprintf(t->type, sizeof t->type, "1");
        make_id(t->id, rnd(2) ? "110105" : "440106", ymd, (int)rnd(1000));
    }
}

static xjl_record as_record(const struct rec_text *t)
{
    return (xjl_record){t->name, t->gender, t->dob, t->type, t->id};
}

static xjl_index *make_index(size_t n, uint64_t seed, struct rec_text **texts)
{
    rng_state = seed;
    struct rec_text *t = calloc(n, sizeof *t);
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_non_null(t);
    assert_non_null(ix);
    for (size_t i = 0; i < n; i++) {
        make_record(&t[i], i);
        xjl_record r = as_record(&t[i]);
        assert_int_equal(xjl_index_add(ix, t[i].rid, &r), XJL_OK);
    }
    /* some records twice (a child registered twice) */
    for (size_t i = 0; i < n / 50; i++) {
        xjl_record r = as_record(&t[rnd((uint32_t)n)]);
        assert_int_equal(xjl_index_add(ix, NULL, &r), XJL_OK);
    }
    assert_int_equal(xjl_index_build(ix, 2), XJL_OK);
    if (texts)
        *texts = t;
    else
        free(t);
    return ix;
}

/* Queries: registry records as schools type them again (typos in the ID,
 * the date, the name's characters) and children not in the registry. */
static size_t make_queries(const struct rec_text *reg, size_t n, struct rec_text **out)
{
    size_t nq = n;
    struct rec_text *q = calloc(nq, sizeof *q);
    assert_non_null(q);
    for (size_t i = 0; i < nq; i++) {
        if (rnd(10) == 0) {
            make_record(&q[i], i);
            continue;
        }
        q[i] = reg[rnd((uint32_t)n)];
        switch (rnd(6)) {
        case 0:
            if (strlen(q[i].id) == 18)
                q[i].id[15] = q[i].id[15] == '9' ? '0' : (char)(q[i].id[15] + 1);
            break;
        case 1:
            q[i].dob[9] = q[i].dob[9] == '1' ? '2' : '1';
            break;
        case 2:
            q[i].id[0] = '\0';
            break;
        default:
            break;
        }
    }
    *out = q;
    return nq;
}

static char dir[64];

static void path_in_dir(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

static int setup_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/xjl_ixfile_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

static unsigned char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void write_whole(const char *path, const unsigned char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Both matchers give every query the same status, candidates and scores. */
static void assert_same_matches(const xjl_index *a, const xjl_index *b, const struct rec_text *q,
                                size_t nq)
{
    xjl_matcher *ma = NULL, *mb = NULL;
    assert_int_equal(xjl_matcher_new(&ma, a), XJL_OK);
    assert_int_equal(xjl_matcher_new(&mb, b), XJL_OK);
    size_t matched = 0, pending = 0;
    for (size_t i = 0; i < nq; i++) {
        xjl_record r = as_record(&q[i]);
        xjl_result *ra, *rb;
        assert_int_equal(xjl_matcher_match(ma, &r, &ra), XJL_OK);
        assert_int_equal(xjl_matcher_match(mb, &r, &rb), XJL_OK);
        assert_int_equal(xjl_result_status(ra), xjl_result_status(rb));
        matched += xjl_result_status(ra) == XJL_MATCHED;
        pending += xjl_result_status(ra) == XJL_PENDING;
        assert_int_equal(xjl_result_candidate_count(ra), xjl_result_candidate_count(rb));
        for (size_t k = 0; k < xjl_result_candidate_count(ra); k++) {
            assert_string_equal(xjl_result_candidate_id(ra, k), xjl_result_candidate_id(rb, k));
            assert_true(xjl_result_candidate_score(ra, k) == xjl_result_candidate_score(rb, k));
            assert_string_equal(xjl_result_candidate_reasons(ra, k),
                                xjl_result_candidate_reasons(rb, k));
        }
        assert_string_equal(xjl_result_reasons(ra), xjl_result_reasons(rb));
        xjl_result_free(ra);
        xjl_result_free(rb);
    }
    /* the queries exercise all three outcomes, else the comparison proves little */
    assert_true(matched > nq / 10);
    assert_true(pending > 0);
    xjl_matcher_free(ma);
    xjl_matcher_free(mb);
}

/* ---- round trip ------------------------------------------------------------- */

static void test_round_trip(void **state)
{
    (void)state;
    struct rec_text *reg, *q;
    xjl_index *built = make_index(20000, 7, &reg);
    size_t nq = make_queries(reg, 20000, &q);
    xjl_index_set_stamp(built, 42);
    char path[128];
    path_in_dir(path, sizeof path, "round.xjx");
    assert_int_equal(xjl_index_save(built, path), XJL_OK);

    xjl_index *opened;
    assert_int_equal(xjl_index_open(&opened, path, 0), XJL_OK);
    assert_int_equal(xjl_index_verify(path), XJL_OK);
    assert_int_equal(xjl_index_count(opened), xjl_index_count(built));
    assert_int_equal(xjl_index_stamp(opened), 42);
    for (size_t i = 0; i < xjl_index_count(built); i++) {
        xjl_parsed pa, pb;
        assert_int_equal(xjl_index_record(built, i, &pa), XJL_OK);
        assert_int_equal(xjl_index_record(opened, i, &pb), XJL_OK);
        assert_memory_equal(&pa, &pb, sizeof pa);
        assert_string_equal(xjl_index_record_id(built, i), xjl_index_record_id(opened, i));
    }
    assert_same_matches(built, opened, q, nq);
    /* the record id table, built on first use over the mapped arrays */
    assert_int_equal(xjl_index_find_id(opened, "R123"), xjl_index_find_id(built, "R123"));
    assert_int_equal(xjl_index_find_id(opened, "R123"), 123);

    /* an opened index saves again to the same bytes (plus its id table) */
    xjl_index_info_t info;
    assert_int_equal(xjl_index_info(opened, &info), XJL_OK);
    assert_int_equal(info.records, xjl_index_count(built));
    assert_int_equal(info.format_version, 7);
    assert_true(info.rid_table_bytes > 0);
    char again[128];
    path_in_dir(again, sizeof again, "again.xjx");
    assert_int_equal(xjl_index_save(opened, again), XJL_OK);
    xjl_index *twice;
    assert_int_equal(xjl_index_open(&twice, again, XJL_INDEX_VERIFY), XJL_OK);
    assert_same_matches(built, twice, q, nq / 4);
    assert_int_equal(xjl_index_find_id(twice, "R77"), 77);
    xjl_index_free(twice);

    /* saving over the open file leaves the opened index on the old contents */
    xjl_index *small = make_index(100, 9, NULL);
    assert_int_equal(xjl_index_save(small, path), XJL_OK);
    assert_int_equal(xjl_index_count(opened), xjl_index_count(built));
    assert_same_matches(built, opened, q, 2000);
    xjl_index_free(small);

    xjl_index_free(opened);
    xjl_index_free(built);
    free(reg);
    free(q);
}

/* A built index keeps each BARE name once, shared by the records that bear
 * it, and the record ids apart: every id is found again by position, in
 * the built index and in the file, and the strings hold no name twice. */
static void test_names_once(void **state)
{
    (void)state;
    struct rec_text *reg;
    xjl_index *built = make_index(20000, 5, &reg);
    char path[128];
    path_in_dir(path, sizeof path, "names.xjx");
    assert_int_equal(xjl_index_save(built, path), XJL_OK);
    xjl_index *opened;
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    const xjl_index *both[] = {built, opened};
    for (size_t k = 0; k < 2; k++) {
        const xjl_index *ix = both[k];
        const char *seen[256];
        uint32_t seen_off[256];
        size_t names = 0, name_bytes = 0;
        for (size_t i = 0; i < ix->n; i++) {
            char want[24]; /* the records added without an id are numbered */
            snprintf(want, sizeof want, i < 20000 ? "R%zu" : "%zu", i < 20000 ? i : i + 1);
            assert_string_equal(xjl_index_record_id(ix, i), want);
            /* a name seen before is at the same offset */
            const char *name = ix->arena + ix->entries[i].name_off;
            size_t s = 0;
            while (s < names && strcmp(seen[s], name) != 0)
                s++;
            if (s < names) {
                assert_int_equal(seen_off[s], ix->entries[i].name_off);
                continue;
            }
            assert_true(names < 256);
            seen[names] = name;
            seen_off[names++] = ix->entries[i].name_off;
            name_bytes += strlen(name) + 1;
        }
        assert_true(names < 200); /* 9 surnames x 18 given names, 4 Latin names */
        /* the strings: the names once, then the ID numbers kept as text */
        assert_true(ix->arena_len >= name_bytes);
        size_t id_text = 0;
        for (size_t i = 0; i < ix->n; i++)
            if (ix->entries[i].id64 & XJL_ID_IN_ARENA)
                id_text += strlen(ix->arena + (uint32_t)ix->entries[i].id64) + 1;
        assert_int_equal(ix->arena_len, name_bytes + id_text);
    }
    xjl_index_free(opened);
    xjl_index_free(built);
    free(reg);
    unlink(path);
}

static void test_errors_of_the_api(void **state)
{
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "api.xjx");
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    xjl_record r = {"王小明", "1", "2019-03-15", "", ""};
    assert_int_equal(xjl_index_add(ix, "a", &r), XJL_OK);
    assert_int_equal(xjl_index_save(ix, path), XJL_ESTATE); /* not built */
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    assert_int_equal(xjl_index_save(NULL, path), XJL_EINVAL);
    assert_int_equal(xjl_index_save(ix, "/nonexistent-dir/x.xjx"), XJL_EIO);
    assert_non_null(strstr(xjl_errmsg(), "/nonexistent-dir/x.xjx"));
    xjl_index *out = (xjl_index *)1;
    assert_int_equal(xjl_index_open(&out, path, 0), XJL_ENOTFOUND);
    assert_null(out);
    assert_int_equal(xjl_index_open(&out, path, 0x80), XJL_EINVAL);
    /* an empty index saves and opens */
    xjl_index *empty = NULL;
    assert_int_equal(xjl_index_new(&empty), XJL_OK);
    assert_int_equal(xjl_index_build(empty, 1), XJL_OK);
    assert_int_equal(xjl_index_save(empty, path), XJL_OK);
    assert_int_equal(xjl_index_open(&out, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_count(out), 0);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, out), XJL_OK);
    xjl_result *res;
    assert_int_equal(xjl_matcher_match(m, &r, &res), XJL_OK);
    assert_int_equal(xjl_result_status(res), XJL_NOT_FOUND);
    xjl_result_free(res);
    xjl_matcher_free(m);
    xjl_index_free(out);
    xjl_index_free(empty);
    xjl_index_free(ix);
    /* a CSV file, a directory */
    const unsigned char csv[] = "id,姓名,性别\n1,王小明,1\n";
    write_whole(path, csv, sizeof csv - 1);
    assert_int_equal(xjl_index_open(&out, path, 0), XJL_EFOREIGN);
    assert_non_null(strstr(xjl_errmsg(), path));
    assert_int_equal(xjl_index_open(&out, dir, 0), XJL_EIO);
    unlink(path);
}

/* ---- damaged files ------------------------------------------------------------ */

struct saved {
    char path[128];
    unsigned char *bytes;
    size_t len;
};

/* The tag each record id should have (-1: removed). */
struct tag_of {
    char rid[24];
    int64_t tag;
};

static struct tag_of *tag_find(struct tag_of *t, size_t *n, const char *rid, bool add)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(t[i].rid, rid) == 0)
            return &t[i];
    assert_true(add);
    size_t len = strlen(rid);
    assert_true(len < sizeof t[*n].rid);
    memcpy(t[*n].rid, rid, len + 1);
    return &t[(*n)++];
}

/* Changes with tags to ix, tagged (position i: 1000 + i): records added,
 * updated and removed of the n first (R0..); the tag of each record id in
 * tag_of (room for ix's records and 20), *ntags of them. */
static void change_tagged(xjl_index *ix, size_t n, struct tag_of *tag_of, size_t *ntags)
{
    int64_t *tags = malloc(ix->n * sizeof *tags);
    for (size_t i = 0; i < ix->n; i++) {
        tags[i] = 1000 + (int64_t)i;
        if (tag_of)
            tag_find(tag_of, ntags, xjl_index_record_id(ix, i), true)->tag = tags[i];
    }
    assert_int_equal(xjl__index_set_tags(ix, tags), XJL_OK);
    enum { K = 60 };
    struct rec_text t[K];
    char rids[K][24];
    xjl_index_change ch[K];
    int64_t ctags[K];
    for (size_t k = 0; k < K; k++) {
        size_t target = k < 20 ? n + k : (k * 37) % n; /* added, then updated or removed */
        make_record(&t[k], target);
        snprintf(rids[k], sizeof rids[k], "R%zu", target);
        xjl_change_op op = k < 20 ? XJL_CHANGE_ADD : k % 3 ? XJL_CHANGE_UPDATE : XJL_CHANGE_REMOVE;
        ch[k] = (xjl_index_change){op, rids[k], as_record(&t[k])};
        ctags[k] = 5000 + (int64_t)k;
        if (tag_of)
            tag_find(tag_of, ntags, rids[k], true)->tag = op == XJL_CHANGE_REMOVE ? -1 : ctags[k];
    }
    int results[K];
    assert_int_equal(xjl__index_apply_tagged(ix, ch, K, results, ctags), XJL_OK);
}

/* What the workspace saves: a registry index with tags and changes
 * (sections 13-15 and 20 too). */
static void save_sample(struct saved *s, size_t n)
{
    xjl_index *ix = make_index(n, 3, NULL);
    change_tagged(ix, n, NULL, NULL);
    path_in_dir(s->path, sizeof s->path, "sample.xjx");
    assert_int_equal(xjl__index_save_tags(ix, s->path), XJL_OK);
    xjl_index_free(ix);
    s->bytes = read_whole(s->path, &s->len);
}

/* Each live record's tag: the one of its record id in tag_of. */
static void assert_tags(const xjl_index *ix, struct tag_of *tag_of, size_t n)
{
    size_t live = 0;
    for (size_t pos = 0; pos < xjl__index_positions(ix); pos++) {
        if (xjl__index_dead(ix, (uint32_t)pos))
            continue;
        const char *rid = xjl_index_record_id(ix, pos);
        assert_int_equal(xjl__index_tag(ix, pos), tag_find(tag_of, &n, rid, false)->tag);
        live++;
    }
    assert_int_equal(live, xjl_index_count(ix));
}

/* Tags (the workspace's row ids) of a changed index: saved and opened with
 * the changes, kept by compaction, saved and opened again; xjl_index_save()
 * writes none. */
static void test_tags_of_changes(void **state)
{
    (void)state;
    enum { N = 800 };
    xjl_index *ix = make_index(N, 5, NULL);
    static struct tag_of tag_of[N + N / 50 + 20];
    size_t nt = 0;
    change_tagged(ix, N, tag_of, &nt);
    assert_tags(ix, tag_of, nt);
    char path[128], plain[128];
    path_in_dir(path, sizeof path, "tagged.xjx");
    path_in_dir(plain, sizeof plain, "untagged.xjx");
    assert_int_equal(xjl__index_save_tags(ix, path), XJL_OK);
    assert_int_equal(xjl_index_save(ix, plain), XJL_OK);
    xjl_index *op = NULL;
    assert_int_equal(xjl_index_open(&op, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_true(xjl_index_changes(op) > 0);
    assert_tags(op, tag_of, nt);
    xjl_index_free(op);
    assert_int_equal(xjl_index_open(&op, plain, XJL_INDEX_VERIFY), XJL_OK);
    assert_null(xjl__index_tags(op));
    xjl_index_free(op);
    /* compacted: the tags follow their records to their new positions */
    assert_int_equal(xjl_index_compact(ix, 2), XJL_OK);
    assert_int_equal(xjl__index_delta_records(ix), 0);
    assert_tags(ix, tag_of, nt);
    assert_int_equal(xjl__index_save_tags(ix, path), XJL_OK);
    assert_int_equal(xjl_index_open(&op, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_tags(op, tag_of, nt);
    /* and an opened file's changes then compacted */
    int64_t tags2[1] = {77};
    struct rec_text t;
    make_record(&t, 9999);
    xjl_index_change ch = {XJL_CHANGE_ADD, "R9999", as_record(&t)};
    assert_int_equal(xjl__index_apply_tagged(op, &ch, 1, NULL, tags2), XJL_OK);
    assert_int_equal(xjl_index_compact(op, 2), XJL_OK);
    size_t pos = xjl_index_find_id(op, "R9999");
    assert_int_equal(xjl__index_tag(op, pos), 77);
    xjl_index_free(op);
    xjl_index_free(ix);
    unlink(path);
    unlink(plain);
}

static int open_bytes(const unsigned char *b, size_t len, unsigned flags)
{
    char path[128];
    path_in_dir(path, sizeof path, "damaged.xjx");
    write_whole(path, b, len);
    xjl_index *ix = NULL;
    int rc = xjl_index_open(&ix, path, flags);
    if (rc == XJL_OK) {
        /* whatever it holds, a sound-looking index is used without a crash */
        xjl_matcher *m = NULL;
        assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
        xjl_record r = {"王小明", "1", "2015-03-01", "1", ""};
        xjl_result *res;
        if (m && xjl_matcher_match(m, &r, &res) == XJL_OK)
            xjl_result_free(res);
        xjl_matcher_free(m);
    } else {
        assert_null(ix);
        assert_true(strlen(xjl_errmsg()) > 0);
    }
    xjl_index_free(ix);
    unlink(path);
    return rc;
}

/* Header fields at fixed offsets (docs/index-format.md). */
enum {
    H_FORMAT = 8,
    H_BYTE_ORDER = 12,
    H_HEADER_BYTES = 16,
    H_NSECTIONS = 20,
    H_FINGERPRINT = 48,
    H_KEY_SCHEME = 56,
    H_CHECKSUM = 88,
    H_SECTIONS = 96,
};

static uint32_t get32(const unsigned char *b, size_t off)
{
    uint32_t v;
    memcpy(&v, b + off, 4);
    return v;
}

static uint64_t get64(const unsigned char *b, size_t off)
{
    uint64_t v;
    memcpy(&v, b + off, 8);
    return v;
}

/* The file's checksum, as the layout puts it at offset 88: the same file
 * gives the same, another file another; changes since the open leave it;
 * an index not opened from a file has none. */
static void test_file_checksum(void **state)
{
    (void)state;
    struct rec_text *reg;
    xjl_index *built = make_index(500, 3, &reg);
    uint64_t sum = 1;
    assert_int_equal(xjl_index_file_checksum(built, &sum), XJL_ESTATE);
    assert_int_equal(sum, 0);
    assert_int_equal(xjl_index_file_checksum(NULL, &sum), XJL_EINVAL);
    assert_int_equal(xjl_index_file_checksum(built, NULL), XJL_EINVAL);

    char a[128], b[128];
    path_in_dir(a, sizeof a, "sum_a.xjx");
    path_in_dir(b, sizeof b, "sum_b.xjx");
    assert_int_equal(xjl_index_save(built, a), XJL_OK);
    xjl_index_set_stamp(built, 5); /* the same records, another header */
    assert_int_equal(xjl_index_save(built, b), XJL_OK);
    size_t alen, blen;
    unsigned char *abytes = read_whole(a, &alen), *bbytes = read_whole(b, &blen);

    xjl_index *oa, *oa2, *ob;
    assert_int_equal(xjl_index_open(&oa, a, 0), XJL_OK);
    assert_int_equal(xjl_index_open(&oa2, a, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_open(&ob, b, XJL_INDEX_BOUNDS), XJL_OK);
    uint64_t sa, sa2, sb;
    assert_int_equal(xjl_index_file_checksum(oa, &sa), XJL_OK);
    assert_int_equal(xjl_index_file_checksum(oa2, &sa2), XJL_OK);
    assert_int_equal(xjl_index_file_checksum(ob, &sb), XJL_OK);
    assert_true(sa == get64(abytes, 88) && sb == get64(bbytes, 88));
    assert_true(sa == sa2 && sa != sb);

    xjl_record r = as_record(&reg[1]);
    assert_int_equal(xjl_index_add(oa, "NEW-1", &r), XJL_OK);
    assert_int_equal(xjl_index_file_checksum(oa, &sa2), XJL_OK);
    assert_true(sa2 == sa);
    assert_int_equal(xjl_index_compact(oa, 1), XJL_OK); /* the file let go */
    assert_int_equal(xjl_index_file_checksum(oa, &sa2), XJL_ESTATE);

    xjl_index_free(oa);
    xjl_index_free(oa2);
    xjl_index_free(ob);
    xjl_index_free(built);
    free(abytes);
    free(bbytes);
    free(reg);
}

/* The header's checksum made right again after a change, so that the
 * opener's later checks are reached. */
static void reseal(unsigned char *b)
{
    size_t hb = get32(b, H_HEADER_BYTES);
    if (hb > 96 + 22 * 32) /* more sections than a file has: left as it is */
        return;
    uint64_t zero = 0;
    memcpy(b + H_CHECKSUM, &zero, 8);
    uint64_t h = XXH3_64bits(b, hb);
    memcpy(b + H_CHECKSUM, &h, 8);
}

/* The width of the bucket starts' distances in the file's ID table (the
 * element size of its section, kind 3). */
static uint32_t id_start_width(const char *path)
{
    size_t len;
    unsigned char *b = read_whole(path, &len);
    uint32_t w = 0;
    for (uint32_t i = 0; i < get32(b, H_NSECTIONS); i++)
        if (get32(b, H_SECTIONS + 32 * i) == 3)
            w = get32(b, H_SECTIONS + 32 * i + 4);
    free(b);
    return w;
}

/* Where the section record of a kind lies in the file's bytes b (0: none). */
static size_t section_record(const unsigned char *b, uint32_t kind)
{
    size_t sec = 0;
    for (uint32_t i = 0; i < get32(b, H_NSECTIONS); i++)
        if (get32(b, H_SECTIONS + 32 * i) == kind)
            sec = H_SECTIONS + 32 * i;
    return sec;
}

/* Record ids that ascend need no table by record id: the file has none (and
 * says so in its header), an id is found by a binary search over the
 * entries, built or opened, before and after changes; ids out of order get
 * the table.  A file whose ids no longer ascend fails verification. */
static void test_ascending_ids(void **state)
{
    (void)state;
    enum { N = 3000 };
    rng_state = 7;
    xjl_index *ix = NULL, *shuffled = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(xjl_index_new(&shuffled), XJL_OK);
    struct rec_text t;
    for (size_t i = 0; i < N; i++) {
        make_record(&t, i);
        snprintf(t.rid, sizeof t.rid, "A%06zu", 2 * i); /* gaps: odd ones are not there */
        xjl_record r = as_record(&t);
        assert_int_equal(xjl_index_add(ix, t.rid, &r), XJL_OK);
        if (i == 10) /* one id out of order */
            snprintf(t.rid, sizeof t.rid, "A999999");
        assert_int_equal(xjl_index_add(shuffled, t.rid, &r), XJL_OK);
    }
    assert_int_equal(xjl_index_build(ix, 2), XJL_OK);
    assert_int_equal(xjl_index_build(shuffled, 2), XJL_OK);
    xjl_index_info_t info, sinfo;
    assert_int_equal(xjl_index_info(ix, &info), XJL_OK);
    assert_int_equal(xjl_index_info(shuffled, &sinfo), XJL_OK);
    assert_int_equal(info.rid_table_bytes, 0);
    assert_true(sinfo.rid_table_bytes >= N * 4);
    assert_true(info.file_bytes + N * 4 <= sinfo.file_bytes);
    assert_int_equal(xjl_index_find_id(shuffled, "A999999"), 10);
    assert_int_equal(xjl_index_find_id(shuffled, "A000020"), (size_t)-1);

    char path[128];
    path_in_dir(path, sizeof path, "ascending.xjx");
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    xjl_index *opened = NULL;
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_info(opened, &info), XJL_OK);
    assert_int_equal(info.rid_table_bytes, 0);
    char rid[16];
    for (size_t i = 0; i < N; i++) {
        snprintf(rid, sizeof rid, "A%06zu", 2 * i);
        assert_int_equal(xjl_index_find_id(ix, rid), i);
        assert_int_equal(xjl_index_find_id(opened, rid), i);
        snprintf(rid, sizeof rid, "A%06zu", 2 * i + 1);
        assert_int_equal(xjl_index_find_id(opened, rid), (size_t)-1);
    }
    assert_int_equal(xjl_index_find_id(opened, ""), (size_t)-1);
    assert_int_equal(xjl_index_find_id(opened, "B"), (size_t)-1);
    /* changes: a removed id is not found, an updated one is found where it went */
    make_record(&t, 0);
    xjl_record r = as_record(&t);
    assert_int_equal(xjl_index_remove(opened, "A000100"), XJL_OK);
    assert_int_equal(xjl_index_find_id(opened, "A000100"), (size_t)-1);
    assert_int_equal(xjl_index_update(opened, "A000200", &r), XJL_OK);
    assert_int_equal(xjl_index_find_id(opened, "A000200"), N);
    assert_int_equal(xjl_index_add(opened, "A000001", &r), XJL_OK);
    assert_int_equal(xjl_index_find_id(opened, "A000001"), N + 1);
    assert_int_equal(xjl_index_find_id(opened, "A000202"), 101);
    assert_null(opened->tables[XJL_T_RID].start); /* the changes built no table */
    /* saved with its changes, opened again: the same */
    char again[128];
    path_in_dir(again, sizeof again, "ascending2.xjx");
    assert_int_equal(xjl_index_save(opened, again), XJL_OK);
    xjl_index *twice = NULL;
    assert_int_equal(xjl_index_open(&twice, again, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_find_id(twice, "A000100"), (size_t)-1);
    assert_int_equal(xjl_index_find_id(twice, "A000200"), N);
    assert_int_equal(xjl_index_find_id(twice, "A000001"), N + 1);
    /* compacted: the ids no longer ascend (A000001 comes last): a table again */
    assert_int_equal(xjl_index_compact(twice, 1), XJL_OK);
    assert_false(twice->rids_ascend);
    assert_int_equal(xjl_index_find_id(twice, "A000001"), N - 1);
    assert_int_equal(xjl_index_find_id(twice, "A000202"), 99);
    xjl_index_free(twice);
    xjl_index_free(opened);

    /* one id of the file made to come before the one ahead of it, its
     * section's checksum made right: verification names it, opening alone
     * still gives an index whose search stays inside the file */
    size_t len;
    unsigned char *b = read_whole(path, &len);
    size_t sec = section_record(b, 21); /* the record ids */
    assert_true(sec > 0);
    unsigned char *arena = b + get64(b, sec + 8);
    unsigned char *hit = memmem(arena, get64(b, sec + 16), "A000500", 8);
    assert_non_null(hit);
    hit[1] = '!'; /* "A!00500" < "A000498" */
    uint64_t x = XXH3_64bits(arena, get64(b, sec + 16));
    memcpy(b + sec + 24, &x, 8);
    reseal(b);
    write_whole(path, b, len);
    assert_int_equal(xjl_index_verify(path), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "record 250's id"));
    assert_int_equal(xjl_index_open(&opened, path, 0), XJL_OK);
    assert_int_equal(xjl_index_find_id(opened, "A002000"), 1000);
    xjl_index_free(opened);
    /* the flag cleared: a file without a table by record id that needs one */
    b[68] = 0;
    reseal(b);
    write_whole(path, b, len);
    assert_int_equal(xjl_index_open(&opened, path, 0), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "record-id table"));
    free(b);
    xjl_index_free(ix);
    xjl_index_free(shuffled);
    unlink(path);
    unlink(again);
}

/* A record's id is found by skipping the ids before it in its block, eight
 * bytes at a time (xjl__rids_skip): ids of every length from 1 to 40 bytes,
 * so that their ends fall on every byte of a word, several in one word and
 * none in another, read back right for every record, built and opened, up
 * to the last id of the section (read byte by byte). */
static void test_ids_of_every_length(void **state)
{
    (void)state;
    enum { N = 1000 };
    xjl_index *built = NULL;
    assert_int_equal(xjl_index_new(&built), XJL_OK);
    static char ids[N][48];
    rng_state = 3;
    for (size_t i = 0; i < N; i++) {
        struct rec_text t;
        make_record(&t, i);
        /* lengths 1..40 in an order of their own; a number in front keeps
         * each id its own */
        size_t len = 1 + (i * 7 + i / 40) % 40;
        int head = snprintf(ids[i], sizeof ids[i], "%zu", i);
        for (size_t k = (size_t)head; k < len; k++)
            ids[i][k] = (char)('a' + (i + k) % 26);
        if ((size_t)head < len)
            ids[i][len] = '\0';
        xjl_record r = as_record(&t);
        assert_int_equal(xjl_index_add(built, ids[i], &r), XJL_OK);
    }
    assert_int_equal(xjl_index_build(built, 1), XJL_OK);
    char path[128];
    path_in_dir(path, sizeof path, "idlengths.xjx");
    assert_int_equal(xjl_index_save(built, path), XJL_OK);
    xjl_index *opened = NULL;
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    const xjl_index *both[] = {built, opened};
    for (size_t k = 0; k < 2; k++) {
        assert_non_null(both[k]->rid_block);
        for (size_t i = 0; i < N; i++) {
            assert_string_equal(xjl_index_record_id(both[k], i), ids[i]);
            assert_int_equal(xjl_index_find_id(both[k], ids[i]), i);
        }
    }
    xjl_index_free(opened);
    xjl_index_free(built);
    unlink(path);
}

/* A name of 255 records or more has its count apart from its entries (a
 * byte each): exact in the built index, the opened file and under changes
 * that cross the 255 mark either way; a file that loses it fails
 * verification. */
static void test_common_name_counts(void **state)
{
    (void)state;
    enum { COMMON = 300, OTHERS = 200 };
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    char rid[16], date[16];
    for (size_t i = 0; i < COMMON + OTHERS; i++) {
        snprintf(rid, sizeof rid, "C%04zu", i);
        snprintf(date, sizeof date, "2016-%02zu-%02zu", 1 + i % 12, 1 + i % 28);
        xjl_record r = {i < COMMON ? "王伟" : i % 2 ? "李娜" : "张敏", "1", date, "", ""};
        assert_int_equal(xjl_index_add(ix, rid, &r), XJL_OK);
    }
    assert_int_equal(xjl_index_build(ix, 2), XJL_OK);
    assert_int_equal(ix->nbig, 1);
    assert_int_equal(ix->entries[0].name_count, XJL_NAME_COUNT_BIG);
    assert_int_equal(xjl__index_name_count(ix, &ix->entries[0]), COMMON);
    assert_int_equal(xjl__index_name_count(ix, &ix->entries[COMMON]), OTHERS / 2);
    char path[128];
    path_in_dir(path, sizeof path, "common.xjx");
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    xjl_index *op = NULL;
    assert_int_equal(xjl_index_open(&op, path, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl__index_name_count(op, &op->entries[7]), COMMON);
    /* 60 of the name removed: below the mark, counted down from the file's count */
    for (size_t i = 0; i < 60; i++) {
        snprintf(rid, sizeof rid, "C%04zu", i);
        assert_int_equal(xjl_index_remove(op, rid), XJL_OK);
    }
    assert_int_equal(xjl__index_name_count(op, &op->entries[100]), COMMON - 60);
    /* one added (a changed record holds the base's count, escaped too) */
    xjl_record r = {"王伟", "2", "2017-01-01", "", ""};
    assert_int_equal(xjl_index_add(op, "D0001", &r), XJL_OK);
    size_t pos = xjl_index_find_id(op, "D0001");
    assert_int_equal(xjl__entry(op, (uint32_t)pos)->name_count, XJL_NAME_COUNT_BIG);
    assert_int_equal(xjl__index_name_count(op, xjl__entry(op, (uint32_t)pos)), COMMON - 59);
    /* compacted: 241 now, under the mark, no common names left */
    assert_int_equal(xjl_index_compact(op, 1), XJL_OK);
    assert_int_equal(op->nbig, 0);
    assert_int_equal(xjl__index_name_count(op, &op->entries[0]), COMMON - 59);
    xjl_index_free(op);

    /* the common names' section emptied, its checksum made right: verify says so */
    size_t len;
    unsigned char *b = read_whole(path, &len);
    size_t sec = section_record(b, 19);
    assert_true(sec > 0 && get64(b, sec + 16) == sizeof(struct xjl_big_name)); /* one name */
    uint64_t zero = 0, x = XXH3_64bits(NULL, 0);
    memset(b + get64(b, sec + 8), 0, sizeof(struct xjl_big_name));
    memcpy(b + sec + 16, &zero, 8);
    memcpy(b + sec + 24, &x, 8);
    reseal(b);
    write_whole(path, b, len);
    assert_int_equal(xjl_index_verify(path), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "common"));
    free(b);
    xjl_index_free(ix);
    unlink(path);
}

/* The record that index_with_shared_id() adds again and again. */
#define SHARED_ID_RECORD                                                                           \
    {                                                                                              \
        "李静", "2", "2016-04-05", "1", "110105201604050028"                                       \
    }

/* A built index of n generated records (rng seed), then copies of one more
 * record, whose ID number they all share; pass_keys as the build's
 * build_pass_keys (0: the library's). */
static xjl_index *index_with_shared_id(size_t n, uint64_t seed, size_t copies, size_t pass_keys)
{
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    ix->build_pass_keys = pass_keys;
    rng_state = seed;
    struct rec_text t;
    for (size_t i = 0; i < n; i++) {
        make_record(&t, i);
        xjl_record r = as_record(&t);
        assert_int_equal(xjl_index_add(ix, t.rid, &r), XJL_OK);
    }
    xjl_record same = SHARED_ID_RECORD;
    for (size_t i = 0; i < copies; i++)
        assert_int_equal(xjl_index_add(ix, NULL, &same), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 2), XJL_OK);
    return ix;
}

/* A search table of more keys than a pass of the build holds is built in
 * passes over ranges of its partitions: the file is byte for byte the one
 * built in a single pass, whether a pass holds one partition or several,
 * and whether the buckets' distances must widen to 2 or 4 bytes in a later
 * pass than the first (one ID number shared by 400 or 70,000 records). */
static void test_build_in_passes(void **state)
{
    (void)state;
    static const size_t copies[] = {3, 400, 70000};
    static const size_t limits[] = {0, 1000, 9000}; /* 0: the library's bound (one pass) */
    for (size_t c = 0; c < 3; c++) {
        unsigned char *first = NULL;
        size_t first_len = 0;
        for (size_t l = 0; l < 3; l++) {
            xjl_index *ix = index_with_shared_id(20000, 9, copies[c], limits[l]);
            char path[128];
            path_in_dir(path, sizeof path, "passes.xjx");
            assert_int_equal(xjl_index_save(ix, path), XJL_OK);
            xjl_index_free(ix);
            size_t len;
            unsigned char *b = read_whole(path, &len);
            unlink(path);
            if (!first) {
                first = b;
                first_len = len;
                continue;
            }
            assert_int_equal(len, first_len);
            assert_memory_equal(b, first, len);
            free(b);
        }
        free(first);
    }
}

/* Distances of 1, 2 and 4 bytes: a group of 16 buckets holding more than
 * 255 and more than 65,535 keys (one ID number shared by many records)
 * still finds each of them, opened as built. */
static void test_bucket_widths(void **state)
{
    (void)state;
    static const size_t copies[] = {3, 400, 70000};
    static const uint32_t width[] = {1, 2, 4};
    for (size_t c = 0; c < 3; c++) {
        xjl_index *ix = index_with_shared_id(2000, 5, copies[c], 0);
        xjl_record same = SHARED_ID_RECORD;
        char path[128];
        path_in_dir(path, sizeof path, "wide.xjx");
        assert_int_equal(xjl_index_save(ix, path), XJL_OK);
        assert_int_equal(id_start_width(path), width[c]);
        xjl_index *opened;
        assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
        const xjl_record *qs[] = {
            &same, &(xjl_record){"李敬", "2", "2016-04-05", "1", "110105201604050028"}};
        for (size_t k = 0; k < 2; k++) {
            xjl_matcher *ma, *mb;
            xjl_result *ra, *rb;
            assert_int_equal(xjl_matcher_new(&ma, ix), XJL_OK);
            assert_int_equal(xjl_matcher_new(&mb, opened), XJL_OK);
            assert_int_equal(xjl_matcher_match(ma, qs[k], &ra), XJL_OK);
            assert_int_equal(xjl_matcher_match(mb, qs[k], &rb), XJL_OK);
            assert_true(xjl_result_candidate_count(ra) > 0);
            assert_int_equal(xjl_result_candidate_count(ra), xjl_result_candidate_count(rb));
            for (size_t i = 0; i < xjl_result_candidate_count(ra); i++)
                assert_string_equal(xjl_result_candidate_id(ra, i), xjl_result_candidate_id(rb, i));
            xjl_result_free(ra);
            xjl_result_free(rb);
            xjl_matcher_free(ma);
            xjl_matcher_free(mb);
        }
        /* every copy is found by its ID number through the table */
        size_t found = 0;
        for (size_t i = 0; i < xjl_index_count(opened); i++) {
            xjl_parsed p;
            assert_int_equal(xjl_index_record(opened, i, &p), XJL_OK);
            found += strcmp(p.id.normalized, same.id_number) == 0;
        }
        assert_int_equal(found, copies[c]);
        xjl_index_free(opened);
        xjl_index_free(ix);
        unlink(path);
    }
}

static void test_truncation(void **state)
{
    (void)state;
    struct saved s;
    save_sample(&s, 3000);
    uint32_t ns = get32(s.bytes, H_NSECTIONS);
    /* every section boundary, a byte either side, and inside the header */
    size_t cuts[4 * 22 + 16], nc = 0;
    for (size_t k = 0; k < 8; k++)
        cuts[nc++] = k;
    cuts[nc++] = 95;
    cuts[nc++] = 96;
    cuts[nc++] = 100;
    cuts[nc++] = get32(s.bytes, H_HEADER_BYTES) - 1;
    for (uint32_t i = 0; i < ns; i++) {
        uint64_t off = get64(s.bytes, H_SECTIONS + 32 * i + 8);
        uint64_t len = get64(s.bytes, H_SECTIONS + 32 * i + 16);
        cuts[nc++] = off - 1;
        cuts[nc++] = off;
        cuts[nc++] = off + len / 2;
        cuts[nc++] = off + len;
    }
    cuts[nc++] = s.len - 1;
    for (size_t c = 0; c < nc; c++) {
        if (cuts[c] >= s.len)
            continue;
        int rc = open_bytes(s.bytes, cuts[c], 0);
        if (rc != XJL_ETRUNCATED)
            fail_msg("cut at %zu of %zu: %d (%s), not truncated", cuts[c], s.len, rc, xjl_errmsg());
    }
    /* a byte too many is not a sound file either */
    unsigned char *longer = malloc(s.len + 1);
    memcpy(longer, s.bytes, s.len);
    longer[s.len] = 0;
    assert_int_equal(open_bytes(longer, s.len + 1, 0), XJL_ECORRUPT);
    free(longer);
    free(s.bytes);
    unlink(s.path);
}

static void test_byte_flips(void **state)
{
    (void)state;
    struct saved s;
    save_sample(&s, 3000);
    rng_state = 99;
    /* every byte of the header, and random bytes of the whole file (padding too) */
    for (size_t i = 0; i < s.len && i < 400 + 2000; i++) {
        size_t at = i < 400 ? i : rnd((uint32_t)s.len);
        unsigned char old = s.bytes[at];
        s.bytes[at] ^= (unsigned char)(1u << rnd(8));
        int rc = open_bytes(s.bytes, s.len, XJL_INDEX_VERIFY);
        if (rc != XJL_ECORRUPT && rc != XJL_EFOREIGN && rc != XJL_EVERSION && rc != XJL_ETRUNCATED)
            fail_msg("flip at %zu of %zu: %d (%s)", at, s.len, rc, xjl_errmsg());
        /* opened without the checks of the contents: an error or a usable index */
        open_bytes(s.bytes, s.len, 0);
        s.bytes[at] = old;
    }
    assert_int_equal(open_bytes(s.bytes, s.len, XJL_INDEX_VERIFY), XJL_OK);
    free(s.bytes);
    unlink(s.path);
}

/* XJL_INDEX_BOUNDS (what `xjlink match --index` opens with) refuses what
 * would send the matcher outside the file, and leaves what only makes
 * results wrong to XJL_INDEX_VERIFY: a checksum that does not hold, the
 * birth-date table's signatures. */
static void test_bounds_open(void **state)
{
    (void)state;
    struct saved s;
    save_sample(&s, 3000);
    assert_int_equal(open_bytes(s.bytes, s.len, XJL_INDEX_BOUNDS), XJL_OK);
    assert_int_equal(open_bytes(s.bytes, s.len, XJL_INDEX_BOUNDS | XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(open_bytes(s.bytes, s.len, 4), XJL_EINVAL);
    unsigned char *b = malloc(s.len);
    assert_non_null(b);
    /* a record's name beyond the strings: refused by both, naming the record */
    size_t entries = section_record(s.bytes, 1);
    assert_true(entries > 0);
    size_t rec7 = get64(s.bytes, entries + 8) + 7 * sizeof(struct xjl_entry) +
                  offsetof(struct xjl_entry, name_off);
    const uint32_t offs[] = {0xffffffffu,
                             (uint32_t)get64(s.bytes, section_record(s.bytes, 2) + 16)};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
        memcpy(b, s.bytes, s.len);
        memcpy(b + rec7, &offs[i], 4);
        assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
        assert_non_null(strstr(xjl_errmsg(), "record 7 is damaged"));
        assert_int_equal(open_bytes(b, s.len, XJL_INDEX_VERIFY), XJL_ECORRUPT);
    }
    /* the strings' first 300 bytes one string, longer than any name (every
     * record's name could be read from inside it): refused by both */
    size_t strings = section_record(s.bytes, 2);
    assert_true(get64(s.bytes, strings + 16) > 300);
    memcpy(b, s.bytes, s.len);
    for (size_t i = 0; i < 300; i++)
        if (b[get64(s.bytes, strings + 8) + i] == 0)
            b[get64(s.bytes, strings + 8) + i] = 'a';
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "holds a string of"));
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_VERIFY), XJL_ECORRUPT);
    /* a block of record ids that starts inside an id, or past the ids, its
     * section's checksum made right: verification names the block's first
     * record; opened with the bounds or without checks, every id is still
     * read inside the ids */
    size_t blocks = section_record(s.bytes, 22);
    assert_true(blocks > 0 && get64(s.bytes, blocks + 16) >= 3 * 8);
    for (int k = 0; k < 2; k++) {
        memcpy(b, s.bytes, s.len);
        uint64_t start;
        memcpy(&start, b + get64(s.bytes, blocks + 8) + 8, 8);
        start = k ? (uint64_t)1 << 40 : start + 1;
        memcpy(b + get64(s.bytes, blocks + 8) + 8, &start, 8);
        uint64_t x = XXH3_64bits(b + get64(s.bytes, blocks + 8), get64(s.bytes, blocks + 16));
        memcpy(b + blocks + 24, &x, 8);
        reseal(b);
        assert_int_equal(open_bytes(b, s.len, XJL_INDEX_VERIFY), XJL_ECORRUPT);
        assert_non_null(strstr(xjl_errmsg(), "the id of record 16 is damaged"));
        assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_OK);
        char path[128];
        path_in_dir(path, sizeof path, "blocks.xjx");
        write_whole(path, b, s.len);
        xjl_index *ix = NULL;
        assert_int_equal(xjl_index_open(&ix, path, 0), XJL_OK);
        for (size_t i = 0; i < 48; i++)
            assert_non_null(xjl_index_record_id(ix, i));
        if (k == 1) /* a start past the ids: the block's ids read as empty */
            assert_string_equal(xjl_index_record_id(ix, 17), "");
        else /* inside the first id of the block: a tail of it */
            assert_string_equal(xjl_index_record_id(ix, 16), "16");
        xjl_index_free(ix);
        unlink(path);
    }
    /* a table's position past the records: refused by both */
    memcpy(b, s.bytes, s.len);
    size_t idpos = section_record(s.bytes, 4);
    assert_true(idpos > 0 && get64(s.bytes, idpos + 16) >= 4);
    uint32_t far = 0x7fffffffu;
    memcpy(b + get64(s.bytes, idpos + 8), &far, 4);
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "position 2147483647"));
    /* a signature of the birth-date table changed: the bounds hold, the
     * file is not the one written */
    memcpy(b, s.bytes, s.len);
    size_t sig = section_record(s.bytes, 18);
    assert_true(sig > 0 && get64(s.bytes, sig + 16) >= 2);
    b[get64(s.bytes, sig + 8)] ^= 0x5a;
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_OK);
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_VERIFY), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "checksum"));
    free(b);
    free(s.bytes);
    unlink(s.path);

    /* a file of enough records that the bounds check its records on a
     * thread of their own while it checks the tables: a damaged record is
     * named, alone or with a damaged table (then the table, as in order) */
    save_sample(&s, 70000);
    b = malloc(s.len);
    assert_non_null(b);
    assert_int_equal(open_bytes(s.bytes, s.len, XJL_INDEX_BOUNDS), XJL_OK);
    entries = section_record(s.bytes, 1);
    uint64_t records = get64(s.bytes, entries + 16) / sizeof(struct xjl_entry);
    assert_true(records > 70000);
    size_t last = get64(s.bytes, entries + 8) + (records - 1) * sizeof(struct xjl_entry) +
                  offsetof(struct xjl_entry, name_off);
    memcpy(b, s.bytes, s.len);
    memcpy(b + last, &offs[0], 4);
    char want[64];
    snprintf(want, sizeof want, "record %llu is damaged", (unsigned long long)(records - 1));
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), want));
    idpos = section_record(s.bytes, 4);
    memcpy(b + get64(s.bytes, idpos + 8), &far, 4);
    assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
    assert_non_null(strstr(xjl_errmsg(), "position 2147483647"));
    free(b);
    free(s.bytes);
    unlink(s.path);
}

/* What an index opened without checks (flags 0: the workspace's own file,
 * `xjlink index info`, `update`, `compact`) is asked for after opening. */
static void use_unchecked(const unsigned char *b, size_t len)
{
    char path[128];
    path_in_dir(path, sizeof path, "unchecked.xjx");
    write_whole(path, b, len);
    xjl_index *ix = NULL;
    /* every section in its bounds: it opens, and is used without a read
     * outside the file (the sanitizers' builds see one) */
    assert_int_equal(xjl_index_open(&ix, path, 0), XJL_OK);
    xjl_index_info_t in;
    assert_int_equal(xjl_index_info(ix, &in), XJL_OK);
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    for (size_t i = 0; i < 40; i++) {
        char rid[24];
        snprintf(rid, sizeof rid, "R%zu", i);
        size_t pos = xjl_index_find_id(ix, rid);
        xjl_parsed p;
        if (pos != (size_t)-1)
            assert_int_equal(xjl_index_record(ix, pos, &p), XJL_OK);
        if (xjl_index_count(ix) > i && xjl_index_record(ix, i, &p) == XJL_OK) {
            xjl_record q = {p.name, "1", "2015-03-01", "", p.id.normalized};
            xjl_result *res = NULL;
            if (xjl_matcher_match(m, &q, &res) == XJL_OK)
                xjl_result_free(res);
        }
    }
    xjl_matcher_free(m);
    xjl_record r = {"王小明", "1", "2015-03-01", "A", "E7654321"};
    xjl_index_add(ix, "UNCHECKED-1", &r);
    xjl_index_remove(ix, "R3");
    xjl_index_free(ix);
    unlink(path);
}

/* A file damaged inside its sections, opened without checks: wrong answers
 * at worst, never a read outside the file.  Strings offsets past every
 * string (a built record's name or passport text, in a file whose removed
 * records are counted down at open), positions of the name and record-id
 * tables past the records: each opens, is used, and is refused by
 * XJL_INDEX_BOUNDS. */
static void test_unchecked_open_reads_inside(void **state)
{
    (void)state;
    struct saved s;
    save_sample(&s, 3000);
    assert_true(section_record(s.bytes, 13) && section_record(s.bytes, 11) &&
                section_record(s.bytes, 8)); /* changes, the name and record-id tables */
    unsigned char *b = malloc(s.len);
    assert_non_null(b);
    size_t entries = get64(s.bytes, section_record(s.bytes, 1) + 8);
    uint64_t strings = get64(s.bytes, section_record(s.bytes, 2) + 16),
             changed = get64(s.bytes, section_record(s.bytes, 14) + 16);
    /* past every string; inside the changes' chunk range but past their
     * strings; the changes' first byte (a name's) */
    const uint64_t offs[] = {0xfffffff0u, strings + changed + 65536, strings + changed + 1};
    for (size_t k = 0; k < 2 * 3; k++) {
        memcpy(b, s.bytes, s.len);
        for (size_t i = 0; i < 200; i++) { /* removed records among them */
            size_t e = entries + i * sizeof(struct xjl_entry);
            if (k < 3) {
                uint32_t off = (uint32_t)offs[k];
                memcpy(b + e + offsetof(struct xjl_entry, name_off), &off, 4);
            } else {
                uint64_t id64 = XJL_ID_IN_ARENA | (uint32_t)offs[k - 3];
                memcpy(b + e + offsetof(struct xjl_entry, id64), &id64, 8);
            }
        }
        use_unchecked(b, s.len);
        assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
    }
    /* positions far past, at the first change's, among the changes' */
    uint32_t records =
        (uint32_t)(get64(s.bytes, section_record(s.bytes, 1) + 16) / sizeof(struct xjl_entry));
    const uint32_t kinds[] = {11, 8}, far[] = {0x10000000u, records, records + 5};
    for (size_t k = 0; k < 2; k++)
        for (size_t f = 0; f < 3; f++) {
            memcpy(b, s.bytes, s.len);
            size_t sec = section_record(s.bytes, kinds[k]);
            for (uint64_t i = 0; i < get64(s.bytes, sec + 16) / 4; i++)
                memcpy(b + get64(s.bytes, sec + 8) + 4 * i, &far[f], 4);
            use_unchecked(b, s.len);
            assert_int_equal(open_bytes(b, s.len, XJL_INDEX_BOUNDS), XJL_ECORRUPT);
        }
    free(b);
    free(s.bytes);
    unlink(s.path);
}

/* The first day of the birth-date counts, damaged, its checksum made right
 * so that verification reaches it: a day no record can have is refused
 * whatever the flags when there are counts, and ignored when there are none
 * (records without a birth date); a day a record can have but these do not
 * is verification's to find. */
static void test_first_day_of_the_dates(void **state)
{
    (void)state;
    for (int dated = 0; dated < 2; dated++) {
        xjl_index *ix = NULL;
        assert_int_equal(xjl_index_new(&ix), XJL_OK);
        for (int i = 0; i < 20; i++) {
            char rid[16];
            snprintf(rid, sizeof rid, "R%d", i);
            xjl_record r = {i % 2 ? "王小明" : "李娜", "1", dated ? "2016-05-04" : "", "1", ""};
            assert_int_equal(xjl_index_add(ix, rid, &r), XJL_OK);
        }
        assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
        char path[128];
        path_in_dir(path, sizeof path, "dates.xjx");
        assert_int_equal(xjl_index_save(ix, path), XJL_OK);
        xjl_index_free(ix);
        size_t len;
        unsigned char *b = read_whole(path, &len);
        size_t sec = section_record(b, 12);
        assert_true(sec > 0 && get64(b, sec + 16) == (dated ? 8u : 4u));
        const int32_t days[] = {INT32_MIN, INT32_MAX, -25568, 48000};
        for (size_t k = 0; k < sizeof days / sizeof days[0]; k++) {
            memcpy(b + get64(b, sec + 8), &days[k], 4);
            uint64_t x = XXH3_64bits(b + get64(b, sec + 8), get64(b, sec + 16));
            memcpy(b + sec + 24, &x, 8);
            reseal(b);
            for (unsigned flags = 0; flags <= XJL_INDEX_BOUNDS; flags++) {
                int rc = open_bytes(b, len, flags);
                if (dated && k != 3) {
                    assert_int_equal(rc, XJL_ECORRUPT);
                    assert_non_null(strstr(xjl_errmsg(), "birth dates"));
                } else if (dated && flags == XJL_INDEX_VERIFY) { /* a day it can hold, not theirs */
                    assert_int_equal(rc, XJL_ECORRUPT);
                    assert_non_null(strstr(xjl_errmsg(), "born outside"));
                } else {
                    assert_int_equal(rc, XJL_OK);
                }
            }
        }
        free(b);
        unlink(path);
    }
}

static void test_foreign_and_future(void **state)
{
    (void)state;
    struct saved s;
    save_sample(&s, 500);
    unsigned char *b = malloc(s.len);
    uint32_t v;

    memcpy(b, s.bytes, s.len);
    v = 8;
    memcpy(b + H_FORMAT, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "format version 8"));

    memcpy(b, s.bytes, s.len);
    v = 6; /* 36-byte entries, each with its name's hash: rebuilt, not misread */
    memcpy(b + H_FORMAT, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "older"));

    memcpy(b, s.bytes, s.len);
    v = 5; /* every name said again, each id right after its name: rebuilt, not misread */
    memcpy(b + H_FORMAT, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "older"));

    memcpy(b, s.bytes, s.len);
    v = 4; /* 40-byte entries with 32-bit birth dates: rebuilt, not misread */
    memcpy(b + H_FORMAT, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "older"));
    assert_non_null(strstr(xjl_errmsg(), "rebuild"));

    memcpy(b, s.bytes, s.len);
    v = 3; /* an 8-byte near-search element, a record-id table always: rebuilt */
    memcpy(b + H_FORMAT, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "older"));

    memcpy(b, s.bytes, s.len);
    v = 2; /* bucket starts laid out otherwise: the file is rebuilt, not misread */
    memcpy(b + H_FORMAT, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "older"));

    memcpy(b, s.bytes, s.len);
    v = 0x04030201; /* as a big-endian writer would have put it */
    memcpy(b + H_BYTE_ORDER, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EFOREIGN);
    assert_non_null(strstr(xjl_errmsg(), "byte order"));

    memcpy(b, s.bytes, s.len);
    b[H_FINGERPRINT] ^= 1; /* keys made with other name tables */
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "other name tables"));

    memcpy(b, s.bytes, s.len);
    v = 1; /* entries or keys made another way (1: name counts that were estimates) */
    memcpy(b + H_KEY_SCHEME, &v, 4);
    reseal(b);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "rebuild the index"));

    memcpy(b, s.bytes, s.len);
    memcpy(b, "SQLite f", 8);
    assert_int_equal(open_bytes(b, s.len, 0), XJL_EFOREIGN);
    free(b);
    free(s.bytes);
    unlink(s.path);
}

/* Fuzz-style: random changes of the header and the section table with the
 * header's checksum made right, so that every check behind it is reached;
 * the opener gives an error or an index that is used without a crash. */
static void test_mutated_headers(void **state)
{
    (void)state;
    struct saved s;
    save_sample(&s, 2000);
    unsigned char *b = malloc(s.len);
    size_t hb = get32(s.bytes, H_HEADER_BYTES);
    rng_state = 1234;
    size_t ok = 0, refused = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(b, s.bytes, s.len);
        int changes = 1 + (int)rnd(3);
        for (int c = 0; c < changes; c++) {
            size_t at = rnd((uint32_t)hb);
            switch (rnd(4)) {
            case 0:
                b[at] ^= (unsigned char)(1u << rnd(8));
                break;
            case 1:
                b[at] = (unsigned char)rnd(256);
                break;
            case 2: { /* a 32-bit field to an edge value */
                static const uint32_t edges[] = {0, 1, 63, 64, 0x7fffffff, 0xffffffff};
                uint32_t e = edges[rnd(6)];
                memcpy(b + (at & ~(size_t)3), &e, 4);
                break;
            }
            default: { /* a 64-bit field (offsets, lengths) moved a little or far */
                uint64_t x = get64(b, at & ~(size_t)7);
                x += rnd(2) ? (uint64_t)rnd(200) - 100 : (uint64_t)1 << (32 + rnd(31));
                memcpy(b + (at & ~(size_t)7), &x, 8);
                break;
            }
            }
        }
        if (rnd(8))
            reseal(b);
        int rc = open_bytes(b, s.len, rnd(2) ? XJL_INDEX_VERIFY : 0);
        if (rc == XJL_OK)
            ok++;
        else
            refused++;
    }
    assert_true(refused > 2000); /* most changes are caught by the header's checks */
    (void)ok;
    free(b);
    free(s.bytes);
    unlink(s.path);
}

/* ---- a save killed at any moment ---------------------------------------------- */

/* ---- the birth dates: counted by the build, kept in the file ----------------- */

/* A process that opens a large index and matches one row reads a few pages
 * of its entries, not all of them: the matcher takes the dates the build
 * counted instead of counting them again over the entries.  The entries are
 * made unreadable while the matcher is made: a read of them is a crash. */
static void test_matcher_reads_no_entries(void **state)
{
    (void)state;
    xjl_index *built = make_index(200000, 13, NULL);
    char path[128];
    path_in_dir(path, sizeof path, "large.xjx");
    assert_int_equal(xjl_index_save(built, path), XJL_OK);
    xjl_index_free(built);
    xjl_index *ix;
    assert_int_equal(xjl_index_open(&ix, path, 0), XJL_OK);
    size_t n = 0;
    const struct xjl_entry *e = xjl__index_entries(ix, &n);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)e + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)(e + n)) & ~(page - 1);
    assert_true(to > from + 100 * page);
    assert_int_equal(mprotect((void *)from, to - from, PROT_NONE), 0);
    xjl_matcher *m = NULL;
    int rc = xjl_matcher_new(&m, ix);
    assert_int_equal(mprotect((void *)from, to - from, PROT_READ), 0);
    assert_int_equal(rc, XJL_OK);
    xjl_record r = {"王小明", "1", "2015-03-01", "1", ""};
    xjl_result *res;
    assert_int_equal(xjl_matcher_match(m, &r, &res), XJL_OK);
    xjl_result_free(res);
    xjl_matcher_free(m);
    xjl_index_free(ix);
    unlink(path);
}

/* A saved file has the mode a file the caller created would have: 0666
 * less the umask (it holds names, birth dates and ID numbers: a umask of
 * 077 keeps it the owner's), and an existing file keeps its own. */
static void test_mode_of_the_file(void **state)
{
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "mode.xjx");
    xjl_index *ix = make_index(50, 8, NULL);
    mode_t was = umask(077);
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    umask(022);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    unlink(path);
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    umask(was);
    unlink(path);
    xjl_index_free(ix);
}

static void test_kill_during_save(void **state)
{
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "killed.xjx");
    xjl_index *old = make_index(1000, 5, NULL);
    assert_int_equal(xjl_index_save(old, path), XJL_OK);
    xjl_index *big = make_index(150000, 6, NULL);
    size_t n_old = xjl_index_count(old), n_big = xjl_index_count(big);
    srand((unsigned)time(NULL));
    size_t saw_old = 0, saw_new = 0;
    for (int round = 0; round < 24; round++) {
        /* back to the old file, so that each round can catch the switch */
        assert_int_equal(xjl_index_save(old, path), XJL_OK);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            for (;;)
                if (xjl_index_save(big, path) != XJL_OK)
                    _exit(3);
        }
        usleep((useconds_t)(rand() % 400000));
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        assert_true(WIFSIGNALED(st)); /* killed, not failed */
        xjl_index *ix;
        int rc = xjl_index_open(&ix, path, XJL_INDEX_VERIFY);
        if (rc != XJL_OK)
            fail_msg("round %d: %s", round, xjl_errmsg());
        size_t n = xjl_index_count(ix);
        assert_true(n == n_old || n == n_big);
        saw_old += n == n_old;
        saw_new += n == n_big;
        xjl_index_free(ix);
    }
    /* A save writes a file without a name where the file system can
     * (O_TMPFILE), named only for the moment between its link and its
     * rename: a killed save leaves none behind (one at most, killed in that
     * moment).  Elsewhere the temporary files it leaves are its own,
     * beside the target. */
    int probe = open(dir, O_TMPFILE | O_WRONLY, 0600);
    bool unnamed = probe >= 0 && access("/proc/self/fd", X_OK) == 0;
    if (probe >= 0)
        close(probe);
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t tmps = 0;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, ".killed.xjx.tmp-", 16) == 0)
            tmps++;
    closedir(d);
    assert_true(tmps <= (unnamed ? 1u : 24u));
    print_message("kill -9 during save: %zu rounds found the old file, %zu the new one, "
                  "%zu temporary files left\n",
                  saw_old, saw_new, tmps);
    xjl_index_free(old);
    xjl_index_free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_errors_of_the_api),
        cmocka_unit_test(test_bucket_widths),
        cmocka_unit_test(test_ascending_ids),
        cmocka_unit_test(test_common_name_counts),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_byte_flips),
        cmocka_unit_test(test_foreign_and_future),
        cmocka_unit_test(test_mutated_headers),
        cmocka_unit_test(test_matcher_reads_no_entries),
        cmocka_unit_test(test_kill_during_save),
        cmocka_unit_test(test_tags_of_changes),
        cmocka_unit_test(test_bounds_open),
        cmocka_unit_test(test_names_once),
        cmocka_unit_test(test_build_in_passes),
        cmocka_unit_test(test_ids_of_every_length),
        cmocka_unit_test(test_unchecked_open_reads_inside),
        cmocka_unit_test(test_first_day_of_the_dates),
        cmocka_unit_test(test_mode_of_the_file),
        cmocka_unit_test(test_file_checksum),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
