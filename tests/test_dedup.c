/*
 * The duplicate check: a small registry whose every record is there to test
 * one rule (each class, twins, namesakes, a record without ID number between
 * two siblings, New Year, ID numbers without a date), the blocks a record
 * belongs to, the same result in one process and split into block files,
 * whatever the thread count, and bad input.  Check characters are computed
 * here with the standard's formula, independently of the library.
 */
#include "match/matching.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "citizen_ids.h"
#include "thread_count.h"

struct reg_row {
    const char *id, *name, *gender, *dob, *type;
    const char *region, *ymd; /* the citizen number's parts, or NULL */
    int seq;
    const char *number; /* a number given as is (passports, typos), or NULL */
};

/* Sequence parity is the gender (odd = male). */
static const struct reg_row registry[] = {
    /* (a) registered twice with the same number: ID card and household register */
    {"A1", "赵宇", "男", "2019-01-09", "居民身份证", "370102", "20190109", 31, NULL},
    {"A2", "赵宇", "男", "2019-01-09", "户口簿", "370102", "20190109", 31, NULL},
    /* (a) the same number, the name with a homophone */
    {"A3", "孙梓涵", "女", "2019-06-02", "1", "320102", "20190602", 42, NULL},
    {"A4", "孙梓含", "女", "2019-06-02", "1", "320102", "20190602", 42, NULL},
    /* (b) no ID number, same name, gender, birth date */
    {"B1", "周雨", "女", "2019-11-30", "Z", NULL, NULL, 0, NULL},
    {"B2", "周雨", "女", "2019/11/30", "其他", NULL, NULL, 0, NULL},
    /* (c) one digit of the number mistyped (a sequence digit: the gender stays) */
    {"C1", "钱多多", "男", "2019-04-04", "1", "440305", "20190404", 17, NULL},
    {"C2", "钱多多", "男", "2019-04-04", "1", NULL, NULL, 0, "C1~15"},
    /* (c) no number on one side and a homophone */
    {"C3", "吴欣怡", "女", "2019-08-18", "1", "510104", "20190818", 62, NULL},
    {"C4", "吴心怡", "女", "2019-08-18", "Z", NULL, NULL, 0, NULL},
    /* (c) day and month swapped, no number on one side */
    {"C5", "郑可馨", "女", "2019-03-05", "1", "330106", "20190305", 84, NULL},
    {"C6", "郑可馨", "女", "2019-05-03", "Z", NULL, NULL, 0, NULL},
    /* (c) across New Year: one day apart, in two year blocks */
    {"Y1", "冯一诺", "女", "2018-12-31", "Z", NULL, NULL, 0, NULL},
    {"Y2", "冯一诺", "女", "2019-01-01", "Z", NULL, NULL, 0, NULL},
    /* twins: homophone names, consecutive valid numbers: two children */
    {"T1", "张涵", "女", "2019-08-08", "1", "510104", "20190808", 102, NULL},
    {"T2", "张含", "女", "2019-08-08", "1", "510104", "20190808", 104, NULL},
    /* a record without number like both twins: it joins the one it is most like */
    {"T3", "王子轩", "男", "2019-09-09", "1", "110101", "20190909", 11, NULL},
    {"T4", "王子萱", "男", "2019-09-09", "1", "110101", "20190909", 13, NULL},
    {"T5", "王子轩", "男", "2019-09-09", "Z", NULL, NULL, 0, NULL},
    /* namesakes born the same day, each with a valid number of their own */
    {"N1", "张伟", "男", "2019-06-06", "1", "130102", "20190606", 13, NULL},
    {"N2", "张伟", "男", "2019-06-06", "1", "210102", "20190606", 15, NULL},
    /* (a) a passport twice, the birth year mistyped: ID numbers without a date */
    {"P1", "DAVID WANG", "男", "2018-09-09", "护照", NULL, NULL, 0, "E12345678"},
    {"P2", "WANG DAVID", "男", "2019-09-09", "A", NULL, NULL, 0, "E12345678"},
    /* (d) wrong in themselves, no duplicate */
    {"D1", "李四", "男", "2019-02-02", "1", NULL, NULL, 0, "D1!"},
    {"D2", "陈晨", "女", "2019-07-07", "1", "420102", "20190707", 33, NULL},
    {"D3", "黄河", "男", "2019-03-16", "1", "420102", "20190315", 35, NULL},
    /* (c) the same number wrong in itself (its check character): proof of
     * nothing alone, it links by the other fields, for review */
    {"E1", "杜鹃", "女", "2019-04-14", "1", NULL, NULL, 0, "110101201904140022"},
    {"E2", "杜鹃", "女", "2019-04-14", "1", NULL, NULL, 0, "110101201904140022"},
    /* a word or zeros where the number goes is no number: two children */
    {"G1", "马骏", "男", "2019-02-03", "1", NULL, NULL, 0, "无"},
    {"G2", "牛犇", "女", "2019-02-03", "1", NULL, NULL, 0, "无"},
    {"G3", "苏晴", "女", "2019-05-05", "1", NULL, NULL, 0, "000000000000000000"},
    {"G4", "白雪", "女", "2019-05-05", "1", NULL, NULL, 0, "000000000000000000"},
    /* a name or birth date that cannot be read: no search finds them but
     * an ID number's, so even these two copies stay apart, and are counted */
    {"U1", "王\xff明", "男", "2019-02-04", "Z", NULL, NULL, 0, NULL},
    {"U2", "王\xff明", "男", "2019-02-04", "Z", NULL, NULL, 0, NULL},
    {"U3", "邓超", "男", "2019-02-30", "Z", NULL, NULL, 0, NULL},
    /* an unknown region is a warning, not a wrong number */
    {"W1", "林木", "男", "2019-10-10", "1", "990101", "20191010", 17, NULL},
    /* a clean child alone */
    {"S1", "何平", "男", "2019-12-12", "1", "350102", "20191212", 19, NULL},
};

struct expected_cluster {
    int cls;
    const char *members[4];
};

static const struct expected_cluster clusters[] = {
    {XJL_DUP_SAME_ID, {"A1", "A2"}},
    {XJL_DUP_SAME_ID, {"A3", "A4"}},
    {XJL_DUP_NO_ID, {"B1", "B2"}},
    {XJL_DUP_FUZZY, {"C1", "C2"}},
    {XJL_DUP_FUZZY, {"C3", "C4"}},
    {XJL_DUP_FUZZY, {"C5", "C6"}},
    /* T3 has a number, T5 none: one_id, not no_id */
    {XJL_DUP_FUZZY, {"Y1", "Y2"}},
    {XJL_DUP_ONE_ID, {"T3", "T5"}},
    {XJL_DUP_SAME_ID, {"P1", "P2"}},
    {XJL_DUP_FUZZY, {"E1", "E2"}},
};

struct expected_bad {
    const char *id, *reasons;
};

static const struct expected_bad bad_ids[] = {
    {"C2", "id_number:id_check"},  {"D1", "id_number:id_check"}, {"D2", "record:gender_mismatch"},
    {"D3", "record:dob_mismatch"}, {"E1", "id_number:id_check"}, {"E2", "id_number:id_check"},
};

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* The number a row's record carries. */
static void row_number(const struct reg_row *r, char out[32])
{
    out[0] = '\0';
    if (r->region) {
        make_id(out, r->region, r->ymd, r->seq);
    } else if (r->number && strcmp(r->number, "C1~15") == 0) {
        make_id(out, "440305", "20190404", 17);
        out[15] = out[15] == '9' ? '0' : (char)(out[15] + 1);
    } else if (r->number && strcmp(r->number, "D1!") == 0) {
        make_id(out, "420102", "20190202", 11);
        out[17] = out[17] == '0' ? '1' : '0';
    } else if (r->number) {
        snprintf(out, 32, "%s", r->number);
    }
}

static void write_registry(const char *path, const char *extra_row, size_t extra_len)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    for (size_t i = 0; i < XJL_ARRAY_LEN(registry); i++) {
        const struct reg_row *r = &registry[i];
        char id[32];
        row_number(r, id);
        fprintf(f, "%s,%s,%s,%s,%s,%s\n", r->id, r->name, r->gender, r->dob, r->type, id);
        if (extra_row && i == 3)
            fwrite(extra_row, 1, extra_len, f);
    }
    fclose(f);
}

static xjl_index *load(const char *path)
{
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_non_null(ix);
    assert_int_equal(xjl_index_add_csv(ix, path, XJL_ENC_AUTO, NULL, NULL, NULL, NULL), XJL_OK);
    return ix;
}

static xjl_dedup *run_whole(const char *path, unsigned threads)
{
    xjl_index *ix = load(path);
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_non_null(d);
    int rc = xjl_dedup_run(d, ix, threads);
    if (rc)
        fail_msg("xjl_dedup_run: %s", xjl_errmsg());
    xjl_index_free(ix);
    return d;
}

/* The cluster number of a record id (0: in none), from the cluster rows. */
static uint64_t cluster_of(const xjl_dedup *d, const char *id, int *cls)
{
    for (size_t i = 0; i < xjl_dedup_row_count(d); i++) {
        xjl_dup_row row;
        assert_int_equal(xjl_dedup_row(d, i, &row), XJL_OK);
        if (row.cls != XJL_DUP_BAD_ID && strcmp(row.record_id, id) == 0) {
            if (cls)
                *cls = row.cls;
            return row.cluster;
        }
    }
    return 0;
}

static void assert_known_result(const xjl_dedup *d)
{
    size_t clustered = 0;
    for (size_t c = 0; c < XJL_ARRAY_LEN(clusters); c++) {
        const struct expected_cluster *e = &clusters[c];
        int cls = 0;
        uint64_t first = cluster_of(d, e->members[0], &cls);
        if (!first)
            fail_msg("%s is in no cluster", e->members[0]);
        if (cls != e->cls)
            fail_msg("cluster of %s: class %s, expected %s", e->members[0], xjl_dup_class_name(cls),
                     xjl_dup_class_name(e->cls));
        size_t k = 0;
        for (; k < 4 && e->members[k]; k++)
            if (cluster_of(d, e->members[k], NULL) != first)
                fail_msg("%s is not with %s", e->members[k], e->members[0]);
        /* nobody else in it */
        size_t size = 0;
        for (size_t i = 0; i < xjl_dedup_row_count(d); i++) {
            xjl_dup_row row;
            xjl_dedup_row(d, i, &row);
            if (row.cls != XJL_DUP_BAD_ID && row.cluster == first)
                size++;
        }
        assert_int_equal(size, k);
        clustered += k;
    }
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERED), clustered);
    /* two children are never one cluster */
    static const char *const alone[] = {"T1", "T2", "T4", "N1", "N2", "D1", "D2", "D3", "W1",
                                        "S1", "G1", "G2", "G3", "G4", "U1", "U2", "U3"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(alone); i++)
        if (cluster_of(d, alone[i], NULL))
            fail_msg("%s should be in no cluster", alone[i]);
    /* T5 resembles T4 too: that link was refused */
    assert_true(xjl_dedup_stat_get(d, XJL_DEDUP_REFUSED) >= 1);

    size_t nbad = 0;
    for (size_t i = 0; i < xjl_dedup_row_count(d); i++) {
        xjl_dup_row row;
        xjl_dedup_row(d, i, &row);
        if (row.cls != XJL_DUP_BAD_ID)
            continue;
        bool known = false;
        for (size_t b = 0; b < XJL_ARRAY_LEN(bad_ids); b++)
            if (strcmp(row.record_id, bad_ids[b].id) == 0) {
                known = true;
                assert_string_equal(row.reasons, bad_ids[b].reasons);
                /* a bad number in a cluster names the cluster */
                assert_int_equal(row.cluster, cluster_of(d, row.record_id, NULL));
            }
        if (!known)
            fail_msg("%s reported with a bad ID number: %s", row.record_id, row.reasons);
        nbad++;
    }
    assert_int_equal(nbad, XJL_ARRAY_LEN(bad_ids));
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_BAD_ID), XJL_ARRAY_LEN(bad_ids));
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_RECORDS), XJL_ARRAY_LEN(registry));
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_KEYS_UNREADABLE), 3);
}

static void test_known_clusters(void **state)
{
    (void)state;
    write_registry(tmp_path("reg.csv"), NULL, 0);
    xjl_dedup *d = run_whole(tmp_path("reg.csv"), 2);
    assert_known_result(d);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_SAME_ID), 3);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_NO_ID), 1);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_ONE_ID), 1);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_FUZZY), 5);
    assert_string_equal(xjl_dup_class_name(XJL_DUP_ONE_ID), "one_id");

    /* Rows: clusters in registry order of their first record, first "first". */
    xjl_dup_row row;
    assert_int_equal(xjl_dedup_row(d, 0, &row), XJL_OK);
    assert_int_equal(row.cluster, 1);
    assert_string_equal(row.record_id, "A1");
    assert_string_equal(row.reasons, "first");
    assert_int_equal(row.pos, 0);
    assert_int_equal(xjl_dedup_row(d, 1, &row), XJL_OK);
    assert_string_equal(row.record_id, "A2");
    assert_non_null(strstr(row.reasons, "vs=A1 "));
    assert_non_null(strstr(row.reasons, "id=exact name=exact dob=exact gender=exact type=class"));
    int cls;
    cluster_of(d, "C2", &cls);
    for (size_t i = 0; i < xjl_dedup_row_count(d); i++) {
        xjl_dedup_row(d, i, &row);
        if (strcmp(row.record_id, "C2") == 0 && row.cls == XJL_DUP_FUZZY)
            assert_non_null(strstr(row.reasons, "id=typo name=exact"));
        if (strcmp(row.record_id, "C6") == 0)
            assert_non_null(strstr(row.reasons, "dob=swap"));
        if (strcmp(row.record_id, "Y2") == 0)
            assert_non_null(strstr(row.reasons, "dob=one_day"));
        if (strcmp(row.record_id, "T5") == 0)
            assert_non_null(strstr(row.reasons, "vs=T3 ") && strstr(row.reasons, "; also=T4 "));
        if (strcmp(row.record_id, "P2") == 0)
            assert_non_null(strstr(row.reasons, "id=exact name=swapped"));
        if (strcmp(row.record_id, "E2") == 0 && row.cls == XJL_DUP_FUZZY)
            assert_non_null(strstr(row.reasons, "id=exact name=exact"));
    }
    assert_int_equal(xjl_dedup_row(d, xjl_dedup_row_count(d), &row), XJL_ENOTFOUND);
    xjl_dedup_free(d);
}

/* The rows of two checks are the same, field by field. */
static void assert_same_rows(const xjl_dedup *a, const xjl_dedup *b)
{
    assert_int_equal(xjl_dedup_row_count(a), xjl_dedup_row_count(b));
    for (size_t i = 0; i < xjl_dedup_row_count(a); i++) {
        xjl_dup_row x, y;
        xjl_dedup_row(a, i, &x);
        xjl_dedup_row(b, i, &y);
        assert_int_equal(x.cluster, y.cluster);
        assert_int_equal(x.cls, y.cls);
        assert_int_equal(x.pos, y.pos);
        assert_string_equal(x.record_id, y.record_id);
        assert_string_equal(x.reasons, y.reasons);
    }
    for (int s = 0; s < XJL_DEDUP_STAT_COUNT; s++)
        if (s != XJL_DEDUP_MEMORY)
            assert_int_equal(xjl_dedup_stat_get(a, (xjl_dedup_stat)s),
                             xjl_dedup_stat_get(b, (xjl_dedup_stat)s));
    assert_int_equal(xjl_dedup_capped_count(a), xjl_dedup_capped_count(b));
    for (size_t i = 0; i < xjl_dedup_capped_count(a); i++) {
        char x[512], y[512];
        assert_int_equal(xjl_dedup_capped_text(a, i, XJL_LANG_EN, x, sizeof x, NULL), XJL_OK);
        assert_int_equal(xjl_dedup_capped_text(b, i, XJL_LANG_EN, y, sizeof y, NULL), XJL_OK);
        assert_string_equal(x, y);
    }
}

/* Enough records for every thread to take slices (a thread takes 256 at a
 * time): namesakes from a small pool of names, some without number, some
 * registered twice, born around New Year. */
static void write_many(const char *path, int n)
{
    static const char *const sur[] = {"王", "李", "张", "刘", "陈"};
    static const char *const given[] = {"涵", "含", "宇", "雨", "轩", "萱", "伟", "芳"};
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    uint32_t x = 12345;
    for (int i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        int day = (int)((x >> 8) % 40); /* 2018-12-02 .. 2019-01-10 */
        char ymd[9], dob[11], id[19] = "";
        snprintf(ymd, sizeof ymd, "%s%02d", day < 30 ? "201812" : "201901",
                 day < 30 ? day + 2 : day - 29);
        snprintf(dob, sizeof dob, "%.4s-%.2s-%.2s", ymd, ymd + 4, ymd + 6);
        bool male = (x >> 20) & 1;
        if ((x >> 24) % 10)
            make_id(id, "110101", ymd, 2 * (i % 400) + (male ? 1 : 2));
        fprintf(f, "G%d,%s%s%s,%s,%s,%s,%s\n", i, sur[(x >> 12) % 5], given[(x >> 16) % 8],
                given[(x >> 4) % 8], male ? "男" : "女", dob, id[0] ? "1" : "Z", id);
    }
    fclose(f);
}

static void test_threads_same_result(void **state)
{
    (void)state;
    write_many(tmp_path("many_threads.csv"), 6000);
    /* a budget of one thread starts none (the loader's budget is its own) */
    xjl_index *ix = load(tmp_path("many_threads.csv"));
    xjl_dedup *one = NULL, *two = NULL;
    assert_int_equal(xjl_dedup_new(&one), XJL_OK);
    assert_int_equal(xjl_dedup_new(&two), XJL_OK);
    size_t started = atomic_load(&threads_started);
    assert_int_equal(xjl_dedup_run(one, ix, 1), XJL_OK);
    assert_int_equal(atomic_load(&threads_started), started);
    assert_int_equal(xjl_dedup_run(two, ix, 2), XJL_OK);
    assert_true(atomic_load(&threads_started) > started);
    xjl_index_free(ix);
    xjl_dedup *many = run_whole(tmp_path("many_threads.csv"), 7);
    assert_same_rows(one, two);
    xjl_dedup_free(two);
    assert_true(xjl_dedup_stat_get(one, XJL_DEDUP_CLUSTERED) > 100);
    assert_same_rows(one, many);
    xjl_dedup_free(one);
    xjl_dedup_free(many);
}

/* Split into block files, each run by a check of its own, saved, loaded
 * into one and finished: the same rows as one process. */
static void test_split_equals_whole(void **state)
{
    (void)state;
    write_registry(tmp_path("reg.csv"), NULL, 0);
    xjl_dedup *whole = run_whole(tmp_path("reg.csv"), 2);

    size_t bad = 99;
    assert_int_equal(
        xjl_dedup_split(tmp_path("reg.csv"), XJL_ENC_AUTO, NULL, tmpdir, NULL, NULL, &bad), XJL_OK);
    assert_int_equal(bad, 0);
    FILE *m = fopen(tmp_path("blocks.csv"), "r");
    assert_non_null(m);
    char line[256];
    assert_non_null(fgets(line, sizeof line, m));
    assert_string_equal(line, "key,file,records\n");
    xjl_dedup *merged = NULL;
    assert_int_equal(xjl_dedup_new(&merged), XJL_OK);
    int nblocks = 0;
    bool saw_id_group = false, saw_2018 = false;
    while (fgets(line, sizeof line, m)) {
        int key;
        char file[64];
        size_t records;
        assert_int_equal(sscanf(line, "%d,%63[^,],%zu", &key, file, &records), 3);
        saw_id_group |= key >= XJL_DEDUP_ID_GROUP_BASE;
        saw_2018 |= key == 2018;
        xjl_dedup *part = NULL;
        assert_int_equal(xjl_dedup_new(&part), XJL_OK);
        char partial[64];
        snprintf(partial, sizeof partial, "part-%d.csv", key);
        if (xjl_dedup_run_block(part, tmp_path(file), key, 1) != XJL_OK)
            fail_msg("run_block %s: %s", file, xjl_errmsg());
        assert_int_equal(xjl_dedup_save(part, tmp_path(partial)), XJL_OK);
        xjl_dedup_free(part);
        if (xjl_dedup_load(merged, tmp_path(partial)) != XJL_OK)
            fail_msg("load %s: %s", partial, xjl_errmsg());
        nblocks++;
    }
    fclose(m);
    assert_true(saw_id_group && saw_2018);
    assert_int_equal(xjl_dedup_finish(merged), XJL_OK);
    assert_int_equal(xjl_dedup_stat_get(merged, XJL_DEDUP_BLOCKS), nblocks);
    assert_same_rows(whole, merged);
    assert_known_result(merged);

    /* The CSV files are the same bytes too. */
    assert_int_equal(xjl_dedup_write_csv(whole, tmp_path("w.csv"), 0), XJL_OK);
    assert_int_equal(xjl_dedup_write_csv(merged, tmp_path("m.csv"), 0), XJL_OK);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", tmp_path("w.csv"), tmp_path("m.csv"));
    assert_int_equal(system(cmd), 0);
    xjl_dedup_free(whole);
    xjl_dedup_free(merged);
}

struct block_case {
    const char *what, *dob, *type, *number;
    int n;
    int32_t keys[XJL_DEDUP_MAX_BLOCKS];
};

static void test_blocks(void **state)
{
    (void)state;
    char id_dec31[19], id_other_year[19], id_bad_date[19];
    make_id(id_dec31, "110101", "20181231", 11);
    make_id(id_other_year, "110101", "20180630", 11);
    make_id(id_bad_date, "110101", "20181340", 11);
    const struct block_case cases[] = {
        {"mid-year", "2019-06-15", "Z", "", 1, {2019}},
        {"31 December", "2018-12-31", "1", id_dec31, 2, {2018, 2019}},
        {"1 January", "2019-01-01", "Z", "", 2, {2018, 2019}},
        {"ID date in another year", "2019-06-30", "1", id_other_year, 2, {2018, 2019}},
        {"no date at all", "", "Z", "", 1, {0}},
        {"unreadable date", "2019-02-30", "Z", "", 1, {0}},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(cases); i++) {
        const struct block_case *c = &cases[i];
        xjl_record rec = {"张三", "男", c->dob, c->type, c->number};
        int32_t keys[XJL_DEDUP_MAX_BLOCKS];
        int n = xjl_dedup_blocks(&rec, keys);
        if (n != c->n)
            fail_msg("%s: %d blocks, expected %d", c->what, n, c->n);
        for (int k = 0; k < n; k++)
            if (keys[k] != c->keys[k])
                fail_msg("%s: block %d is %d, expected %d", c->what, k, (int)keys[k],
                         (int)c->keys[k]);
    }
    /* A number without a date: an ID group, the same for the same number. */
    int32_t a[XJL_DEDUP_MAX_BLOCKS], b[XJL_DEDUP_MAX_BLOCKS];
    xjl_record p1 = {"DAVID WANG", "男", "", "护照", "E12345678"};
    xjl_record p2 = {"WANG DAVID", "1", "2019-09-09", "A", " e12345678 "};
    assert_int_equal(xjl_dedup_blocks(&p1, a), 1);
    assert_int_equal(xjl_dedup_blocks(&p2, b), 2);
    assert_true(a[0] >= XJL_DEDUP_ID_GROUP_BASE &&
                a[0] < XJL_DEDUP_ID_GROUP_BASE + XJL_DEDUP_ID_GROUPS);
    assert_int_equal(b[0], 2019);
    assert_int_equal(b[1], a[0]);
    xjl_record broken = {"张三", "男", "2019-06-15", "1", id_bad_date};
    assert_int_equal(xjl_dedup_blocks(&broken, a), 2);
    assert_int_equal(a[0], 2019);
    assert_true(a[1] >= XJL_DEDUP_ID_GROUP_BASE);
    assert_int_equal(xjl_dedup_blocks(NULL, a), XJL_EINVAL);
}

struct diag_log {
    int calls;
    long line;
    char file[512];
};

static void diag_fn(void *user, const char *file, long line, const char *column, const char *value,
                    const char *message)
{
    struct diag_log *l = user;
    (void)column;
    (void)value;
    (void)message;
    l->calls++;
    l->line = line;
    snprintf(l->file, sizeof l->file, "%s", file);
}

/* The version row of a partial made with the default parameters. */
static void version_row(char *buf, size_t cap)
{
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_save(d, tmp_path("v.csv")), XJL_OK);
    xjl_dedup_free(d);
    FILE *f = fopen(tmp_path("v.csv"), "r");
    assert_non_null(fgets(buf, (int)cap, f)); /* the header */
    assert_non_null(fgets(buf, (int)cap, f));
    fclose(f);
    assert_int_equal(buf[0], 'V');
}

/* A partial carries its format version and its parameters' fingerprint:
 * one of another version, without the row, or made with other parameters
 * is refused before anything of it is added. */
static void test_partial_versions(void **state)
{
    (void)state;
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_save(d, tmp_path("v1.csv")), XJL_OK);
    assert_int_equal(xjl_dedup_load(d, tmp_path("v1.csv")), XJL_OK); /* its own round trip */
    xjl_dedup_free(d);

    FILE *f = fopen(tmp_path("old.csv"), "w");
    fputs("kind,a,b,score,levels,class,citizen,findings,record_id\nN,1,1,,,,,,\n", f);
    fclose(f);
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_load(d, tmp_path("old.csv")), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "no version row"));

    f = fopen(tmp_path("future.csv"), "w");
    fputs("kind,a,b,score,levels,class,citizen,findings,record_id\nV,99,0,,,,,,\n", f);
    fclose(f);
    assert_int_equal(xjl_dedup_load(d, tmp_path("future.csv")), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "format 99"));

    xjl_dedup *e = NULL;

    assert_int_equal(xjl_dedup_new(&e), XJL_OK);
    assert_int_equal(xjl_dedup_set_param(e, XJL_PARAM_REVIEW_THRESHOLD, 12), XJL_OK);
    assert_int_equal(xjl_dedup_load(e, tmp_path("v1.csv")), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "other matcher parameters"));
    xjl_dedup_free(e);
    /* the cap on candidates is no parameter of the check */
    assert_int_equal(xjl_dedup_new(&e), XJL_OK);
    assert_int_equal(xjl_dedup_set_param(e, XJL_PARAM_MAX_CANDIDATES, 3), XJL_OK);
    assert_int_equal(xjl_dedup_load(e, tmp_path("v1.csv")), XJL_OK);
    xjl_dedup_free(e);
    xjl_dedup_free(d);
}

static void test_bad_input(void **state)
{
    (void)state;
    /* A row with too few fields and one with a NUL byte in a key field are
     * reported with file:line; the rest runs, one process or split. */
    static const char bad_rows[] = "X1,张三,男\nX2,张\0三,男,2019-01-09,Z,\n";
    write_registry(tmp_path("bad.csv"), bad_rows, sizeof bad_rows - 1);
    struct diag_log log = {0};
    size_t bad = 0;
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(
        xjl_index_add_csv(ix, tmp_path("bad.csv"), XJL_ENC_AUTO, NULL, diag_fn, &log, &bad),
        XJL_OK);
    assert_int_equal(bad, 2);
    assert_int_equal(log.calls, 2);
    assert_int_equal(log.line, 7); /* header, A1..A4, then the bad rows */
    assert_string_equal(log.file, tmp_path("bad.csv"));
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_run(d, ix, 0), XJL_OK);
    assert_known_result(d);
    xjl_index_free(ix);
    /* the split reads the same rows */
    struct diag_log slog = {0};
    char dir[512];
    snprintf(dir, sizeof dir, "%s", tmp_path("badsplit"));
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(
        xjl_dedup_split(tmp_path("bad.csv"), XJL_ENC_AUTO, NULL, dir, diag_fn, &slog, &bad),
        XJL_OK);
    assert_int_equal(bad, 2);
    assert_int_equal(slog.calls, 2);
    assert_int_equal(slog.line, 7);
    /* and the blocks of the split give what the one process gave */
    xjl_dedup *merged = NULL;
    assert_int_equal(xjl_dedup_new(&merged), XJL_OK);
    for (int key = 2018; key <= 2019; key++) {
        char file[32];
        snprintf(file, sizeof file, "badsplit/block-%d.csv", key);
        assert_int_equal(xjl_dedup_run_block(merged, tmp_path(file), key, 1), XJL_OK);
    }
    /* block 0: the records with no date and no number (U3) */
    assert_int_equal(xjl_dedup_run_block(merged, tmp_path("badsplit/block-0.csv"), 0, 1), XJL_OK);
    for (int g = 0; g < XJL_DEDUP_ID_GROUPS; g++) {
        char file[32];
        snprintf(file, sizeof file, "badsplit/block-%d.csv", XJL_DEDUP_ID_GROUP_BASE + g);
        if (access(tmp_path(file), R_OK) == 0)
            assert_int_equal(
                xjl_dedup_run_block(merged, tmp_path(file), XJL_DEDUP_ID_GROUP_BASE + g, 1),
                XJL_OK);
    }
    assert_int_equal(xjl_dedup_finish(merged), XJL_OK);
    assert_same_rows(d, merged);
    xjl_dedup_free(merged);
    /* finished: no more blocks, parameters or finish */
    assert_int_equal(xjl_dedup_finish(d), XJL_ESTATE);
    assert_int_equal(xjl_dedup_run_block(d, tmp_path("block-2019.csv"), 2019, 1), XJL_ESTATE);
    assert_int_equal(xjl_dedup_set_param(d, XJL_PARAM_REVIEW_THRESHOLD, 8), XJL_ESTATE);
    assert_int_equal(xjl_dedup_save(d, tmp_path("x.csv")), XJL_ESTATE);
    xjl_dedup_free(d);
    FILE *f;

    /* A registry of a header only: nothing to check, nothing found. */
    f = fopen(tmp_path("empty.csv"), "w");
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    fclose(f);
    d = run_whole(tmp_path("empty.csv"), 0);
    assert_int_equal(xjl_dedup_row_count(d), 0);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_RECORDS), 0);
    xjl_dedup_free(d);

    /* A registry without an ID-number column. */
    f = fopen(tmp_path("nocol.csv"), "w");
    fputs("id,姓名,性别,出生日期,身份证件类型\nQ1,张三,男,2019-01-01,1\n", f);
    fclose(f);
    assert_int_equal(
        xjl_dedup_split(tmp_path("nocol.csv"), XJL_ENC_AUTO, NULL, tmpdir, NULL, NULL, NULL),
        XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "身份证件号"));
    /* A file that is not a block file, and one that is not a partial result. */
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_run_block(d, tmp_path("reg.csv"), 2019, 1), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "record"));
    assert_int_equal(xjl_dedup_load(d, tmp_path("reg.csv")), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "reg.csv:1"));
    char vrow[128];
    version_row(vrow, sizeof vrow);
    f = fopen(tmp_path("p.csv"), "w");
    fprintf(f,
            "kind,a,b,score,levels,class,citizen,findings,record_id\n%sN,1,1,,,,,0,\n"
            "L,5,3,1,1 1 1 1 1,3,,,\n",
            vrow);
    fclose(f);
    assert_int_equal(xjl_dedup_load(d, tmp_path("p.csv")), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "p.csv:4"));
    /* a block file whose records are out of registry order */
    f = fopen(tmp_path("o.csv"), "w");
    fputs("record,name,gender,birth_date,id_type,id_number\n5:a,张三,男,2019-01-01,Z,\n"
          "3:b,李四,男,2019-01-01,Z,\n",
          f);
    fclose(f);
    assert_int_equal(xjl_dedup_run_block(d, tmp_path("o.csv"), 2019, 1), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "registry order"));
    /* a link to a record no block described */
    f = fopen(tmp_path("p2.csv"), "w");
    fprintf(f,
            "kind,a,b,score,levels,class,citizen,findings,record_id\n%s"
            "L,3,5,20,1 10 20 30 40,1,,,\n",
            vrow);
    fclose(f);
    xjl_dedup *e = NULL;
    assert_int_equal(xjl_dedup_new(&e), XJL_OK);
    assert_int_equal(xjl_dedup_load(e, tmp_path("p2.csv")), XJL_OK);
    assert_int_equal(xjl_dedup_finish(e), XJL_EFORMAT);
    xjl_dedup_free(e);
    xjl_dedup_free(d);

    /* NULLs and parameters */
    xjl_dedup_free(NULL);
    assert_int_equal(xjl_dedup_run(NULL, NULL, 0), XJL_EINVAL);
    assert_int_equal(xjl_dedup_row_count(NULL), 0);
    assert_int_equal(xjl_dedup_stat_get(NULL, XJL_DEDUP_RECORDS), 0);
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_run(d, NULL, 0), XJL_EINVAL);
    assert_int_equal(xjl_dedup_set_param(d, XJL_PARAM_COUNT, 1), XJL_EINVAL);
    assert_int_equal(xjl_dedup_set_param(d, XJL_PARAM_BLOCK_LIMIT, 0), XJL_EINVAL);
    assert_int_equal(xjl_dedup_write_csv(d, tmp_path("x.csv"), 0), XJL_ESTATE);
    assert_string_equal(xjl_dup_class_name(0), "unknown");
    assert_string_equal(xjl_dup_class_name(XJL_DUP_FUZZY), "fuzzy");
    assert_string_equal(xjl_dup_class_label_zh(XJL_DUP_SAME_ID), "身份证件号重复");
    xjl_dedup_free(d);
}

/* A stricter review threshold is every block's: the homophone without
 * number (score 17) stays, the swapped date (about 8 in this block) goes. */
static void test_threshold_param(void **state)
{
    (void)state;
    write_registry(tmp_path("reg.csv"), NULL, 0);
    xjl_index *ix = load(tmp_path("reg.csv"));
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_set_param(d, XJL_PARAM_REVIEW_THRESHOLD, 12), XJL_OK);
    assert_int_equal(xjl_dedup_run(d, ix, 1), XJL_OK);
    assert_true(cluster_of(d, "C3", NULL) &&
                cluster_of(d, "C3", NULL) == cluster_of(d, "C4", NULL));
    assert_int_equal(cluster_of(d, "C5", NULL), 0);
    xjl_dedup_free(d);
    xjl_index_free(ix);
}

/* A record without number and five namesakes born the same day, each with
 * a valid number of their own: it joins the first, three others are named,
 * and the fifth is counted. */
static void test_alternatives_named(void **state)
{
    (void)state;
    FILE *f = fopen(tmp_path("alike.csv"), "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    for (int i = 0; i < 5; i++) {
        char id[19];
        make_id(id, "110101", "20190505", 2 * i + 1);
        fprintf(f, "K%d,王浩,男,2019-05-05,1,%s\n", i, id);
    }
    fputs("X,王浩,男,2019-05-05,Z,\n", f);
    fclose(f);
    xjl_dedup *d = run_whole(tmp_path("alike.csv"), 1);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERED), 2);
    assert_int_equal(cluster_of(d, "K0", NULL), cluster_of(d, "X", NULL));
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_REFUSED), 4);
    xjl_dup_row row;
    assert_int_equal(xjl_dedup_row(d, 1, &row), XJL_OK);
    assert_string_equal(row.record_id, "X");
    assert_non_null(strstr(row.reasons, "vs=K0 "));
    assert_non_null(strstr(row.reasons, "; also=K1 "));
    assert_non_null(strstr(row.reasons, "; also=K3 "));
    assert_null(strstr(row.reasons, "also=K4"));
    assert_non_null(strstr(row.reasons, "; 1 more alike"));
    xjl_dedup_free(d);
}

/* Worst case: 5,000 namesakes without ID number, born the same day, read at
 * most XJL_PARAM_BLOCK_LIMIT at a time, still one cluster, in bounded time;
 * and fields that cannot be read (10,000 characters, invalid UTF-8) are
 * records like any other. */
static void test_namesake_block(void **state)
{
    (void)state;
    const int n = 5000;
    FILE *f = fopen(tmp_path("many.csv"), "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "M%d,张伟,男,2019-05-05,Z,\n", i);
    fputs("L1,", f);
    for (int i = 0; i < 10000; i++)
        fputc('a', f);
    fputs(",男,2019-05-05,Z,\n", f);
    fputs("U1,\xE5\xBC\xA0\xFF,男,2019-05-05,1,\xFF\xFE\n", f);
    fclose(f);
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_int_equal(
        xjl_index_add_csv(ix, tmp_path("many.csv"), XJL_ENC_UTF8, NULL, NULL, NULL, NULL), XJL_OK);
    clock_t t0 = clock();
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_run(d, ix, 0), XJL_OK);
    /* CPU seconds of every thread; sanitizers make everything ~10x slower */
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    secs /= 10;
#endif
    assert_true(secs < 30.0);
    /* memory in proportion to the records, not to the 12.5 million pairs */
    assert_true(xjl_dedup_stat_get(d, XJL_DEDUP_LINKS) <= 32u * (unsigned)n);
    assert_true(xjl_dedup_stat_get(d, XJL_DEDUP_MEMORY) < 100u * 1000 * 1000);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERS_NO_ID), 1);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CLUSTERED), n);
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_RECORDS), n + 2);
    assert_int_equal(cluster_of(d, "L1", NULL), 0);
    assert_int_equal(cluster_of(d, "U1", NULL), 0);
    /* U1's number is not text at all: a wrong number, said so */
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_BAD_ID), 1);
    xjl_dup_row row;
    assert_int_equal(xjl_dedup_row(d, xjl_dedup_row_count(d) - 1, &row), XJL_OK);
    assert_string_equal(row.record_id, "U1");
    assert_int_equal(row.cls, XJL_DUP_BAD_ID);
    assert_string_equal(row.reasons, "id_number:unreadable");
    xjl_dedup_free(d);
    xjl_index_free(ix);
}

/* A block of identical namesakes without ID number (a placeholder name and
 * date), larger than XJL_PARAM_BLOCK_LIMIT: one cluster with all of them,
 * from one match per set of copies, not one per record (n matches of up to
 * the limit's pairs each: 40 s for 100,000).  Copies with a citizen number
 * and another name's copies are sets of their own. */
static void test_identical_namesakes_matched_once(void **state)
{
    (void)state;
    const char *path = tmp_path("namesakes.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    enum { N = 2500 };
    for (int i = 0; i < N; i++)
        fprintf(f, "N%d,张伟,男,2018-03-01,,\n", i);
    char id[19];
    make_id(id, "110101", "20180301", 7);
    for (int i = 0; i < 3; i++)
        fprintf(f, "S%d,张伟,男,2018-03-01,居民身份证,%s\n", i, id);
    fputs("L0,李娜,女,2018-03-01,,\nL1,李娜,女,2018-03-01,,\n", f);
    fclose(f);
    xjl_dedup *d = run_whole(path, 2);
    int cls = 0;
    uint64_t c = cluster_of(d, "N0", &cls);
    assert_true(c != 0);
    for (int i = 1; i < N; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "N%d", i);
        if (cluster_of(d, rid, NULL) != c)
            fail_msg("%s is not in the namesakes' cluster", rid);
    }
    uint64_t l = cluster_of(d, "L0", &cls);
    assert_true(l != 0 && l != c);
    assert_int_equal(cls, XJL_DUP_NO_ID);
    assert_int_equal(cluster_of(d, "L1", NULL), l);
    assert_int_equal(cluster_of(d, "S1", &cls), cluster_of(d, "S0", NULL));
    assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_RECORDS), N + 5);
    /* one first per set of copies and block: a handful, not N */
    uint64_t blocks = xjl_dedup_stat_get(d, XJL_DEDUP_BLOCKS);
    if (xjl__dedup_matched(d) > 3 * blocks)
        fail_msg("%llu records matched in %llu blocks: the copies were matched too",
                 (unsigned long long)xjl__dedup_matched(d), (unsigned long long)blocks);
    xjl_dedup_free(d);
}

/* A check of the capped-blocks registry with block limit `limit` on
 * `threads` threads, in one process or (split) through block files and
 * partial results loaded into a new check. */
static xjl_dedup *run_capped(const char *path, double limit, unsigned threads, bool split)
{
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_set_param(d, XJL_PARAM_BLOCK_LIMIT, limit), XJL_OK);
    if (!split) {
        xjl_index *ix = load(path);
        assert_int_equal(xjl_dedup_run(d, ix, threads), XJL_OK);
        xjl_index_free(ix);
        return d;
    }
    const char *dir = tmp_path("capped_blocks");
    mkdir(dir, 0700);
    assert_int_equal(xjl_dedup_split(path, XJL_ENC_AUTO, NULL, dir, NULL, NULL, NULL), XJL_OK);
    xjl_dedup *part = NULL;
    assert_int_equal(xjl_dedup_new(&part), XJL_OK);
    assert_int_equal(xjl_dedup_set_param(part, XJL_PARAM_BLOCK_LIMIT, limit), XJL_OK);
    char block[600];
    snprintf(block, sizeof block, "%s/block-2015.csv", dir); /* the registry's only block */
    assert_int_equal(xjl_dedup_run_block(part, block, 2015, threads), XJL_OK);
    assert_int_equal(xjl_dedup_save(part, tmp_path("capped_partial.csv")), XJL_OK);
    xjl_dedup_free(part);
    assert_int_equal(xjl_dedup_load(d, tmp_path("capped_partial.csv")), XJL_OK);
    assert_int_equal(xjl_dedup_finish(d), XJL_OK);
    return d;
}

/* A namesake block larger than the block limit says so: 6 children named
 * 张伟 born the same day (each with a number of their own) under a limit of
 * 4: each of the 6 searches of the name key (name, 2015-03-01) leaves 2 of
 * them out, 12 pairs; the line names the key, the first record, the block,
 * the records, the limit, the searches and the pairs, in English and
 * Chinese; the same in one process, on 2 threads and through a partial
 * file.  Within the limit (6 or the default), nothing is reported and the
 * rows are byte for byte those of the default. */
static void test_capped_blocks(void **state)
{
    (void)state;
    const char *path = tmp_path("capped.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    for (int i = 0; i < 6; i++) {
        char id[19];
        make_id(id, "110101", "20150301", 10 + 2 * i + i % 2);
        fprintf(f, "K%d,张伟,%s,2015-03-01,居民身份证,%s\n", i, i % 2 ? "男" : "女", id);
    }
    fputs("L0,李娜,女,2015-06-01,,\nL1,李娜,女,2015-06-01,,\n", f);
    fclose(f);
    static const char en[] =
        "block 2015: 张伟 born 2015-03-01, 6 records (first cut: record K0), over the block "
        "limit of 4: 6 searches cut, 12 pairs not compared";
    static const char zh[] = "查重分块2015：姓名张伟、出生日期2015-03-01的记录6条（首条被截断检索的"
                             "记录：K0），超出每个检索键4条的上限：6次检索被截断，12对记录未比对";
    xjl_dedup *whole = NULL;
    for (int how = 0; how < 3; how++) {
        xjl_dedup *d = run_capped(path, 4, how == 1 ? 2 : 1, how == 2);
        assert_int_equal(xjl_dedup_capped_count(d), 1);
        xjl_dup_capped c;
        assert_int_equal(xjl_dedup_capped(d, 0, &c), XJL_OK);
        assert_false(c.by_id);
        assert_int_equal(c.block, 2015);
        assert_string_equal(c.key, "张伟");
        assert_int_equal(c.birth_date, xjl_date_from_ymd(2015, 3, 1));
        assert_string_equal(c.record_id, "K0");
        assert_int_equal(c.pos, 0);
        assert_int_equal(c.records, 6);
        assert_int_equal(c.limit, 4);
        assert_int_equal(c.searches, 6);
        assert_int_equal(c.not_compared, 12);
        assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CAPPED_BLOCKS), 1);
        assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_NOT_COMPARED), 12);
        char line[512];
        size_t len = 0;
        assert_int_equal(xjl_dedup_capped_text(d, 0, XJL_LANG_EN, line, sizeof line, &len), 0);
        assert_string_equal(line, en);
        assert_int_equal(len, strlen(en));
        assert_int_equal(xjl_dedup_capped_text(d, 0, XJL_LANG_ZH, line, sizeof line, &len), 0);
        assert_string_equal(line, zh);
        assert_int_equal(xjl_dedup_capped_text(d, 0, XJL_LANG_EN, line, 10, &len), XJL_ERANGE);
        assert_int_equal(len, strlen(en));
        assert_int_equal(strlen(line), 9);
        assert_int_equal(xjl_dedup_capped(d, 1, &c), XJL_ENOTFOUND);
        assert_int_equal(xjl_dedup_capped_text(d, 1, XJL_LANG_EN, line, sizeof line, NULL),
                         XJL_ENOTFOUND);
        if (whole) {
            assert_same_rows(whole, d);
            xjl_dedup_free(d);
        } else {
            whole = d;
        }
    }
    /* The default limit, and a limit the block just fits: nothing said, the same rows. */
    xjl_dedup *dflt = run_whole(path, 1), *fits = run_capped(path, 6, 1, false);
    assert_int_equal(xjl_dedup_write_csv(dflt, tmp_path("capped_default.csv"), XJL_LANG_EN),
                     XJL_OK);
    assert_int_equal(xjl_dedup_write_csv(fits, tmp_path("capped_fits.csv"), XJL_LANG_EN), XJL_OK);
    for (xjl_dedup *d = dflt; d; d = d == dflt ? fits : NULL) {
        assert_int_equal(xjl_dedup_capped_count(d), 0);
        assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_CAPPED_BLOCKS), 0);
        assert_int_equal(xjl_dedup_stat_get(d, XJL_DEDUP_NOT_COMPARED), 0);
    }
    char a[4096] = "", b[4096] = "";
    f = fopen(tmp_path("capped_default.csv"), "rb");
    size_t na = fread(a, 1, sizeof a, f);
    fclose(f);
    f = fopen(tmp_path("capped_fits.csv"), "rb");
    size_t nb = fread(b, 1, sizeof b, f);
    fclose(f);
    assert_true(na > 0);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    xjl_dedup_free(dflt);
    xjl_dedup_free(fits);
    xjl_dedup_free(whole);
}

/* ---- the registry's row order decides nothing ---------------------------- */

/* Rows of a registry whose every tie the check must break by content: a
 * record without number (X) exactly like two namesakes with numbers of
 * their own (K2, K1: only one may have it, and neither is "the earlier"),
 * copies without number matched once for all (C1..C3: which one is matched
 * and explains the others), a pair registered twice (B1, B2), and a fuzzy
 * pair.  The base order puts each later id first. */
static void order_rows(char rows[][160], size_t *n)
{
    char k1[19], k2[19], b[19];
    make_id(k1, "110101", "20190505", 11);
    make_id(k2, "110101", "20190505", 13);
    make_id(b, "320102", "20180202", 22);
    size_t i = 0;
    snprintf(rows[i++], 160, "K2,王浩,男,2019-05-05,1,%s", k2);
    snprintf(rows[i++], 160, "K1,王浩,男,2019-05-05,1,%s", k1);
    snprintf(rows[i++], 160, "X,王浩,男,2019-05-05,Z,");
    snprintf(rows[i++], 160, "C3,李娜,女,2019-07-07,Z,");
    snprintf(rows[i++], 160, "C2,李娜,女,2019-07-07,Z,");
    snprintf(rows[i++], 160, "C1,李娜,女,2019-07-07,Z,");
    snprintf(rows[i++], 160, "B2,孙悦,女,2018-02-02,户口簿,%s", b);
    snprintf(rows[i++], 160, "B1,孙悦,女,2018-02-02,居民身份证,%s", b);
    snprintf(rows[i++], 160, "F2,吴心怡,女,2019-08-18,Z,");
    snprintf(rows[i++], 160, "F1,吴欣怡,女,2019-08-18,Z,");
    snprintf(rows[i++], 160, "S1,何平,男,2019-12-12,Z,");
    *n = i;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows as text that the order of the rows and the numbers of the
 * clusters do not change: each cluster as its class and its records with
 * their reasons (sorted), the clusters sorted, then the bad_id rows. */
static char *canonical_rows(const xjl_dedup *d)
{
    size_t n = xjl_dedup_row_count(d), nclusters = 0;
    for (size_t i = 0; i < n; i++) {
        xjl_dup_row row;
        assert_int_equal(xjl_dedup_row(d, i, &row), XJL_OK);
        if (row.cluster > nclusters)
            nclusters = row.cluster;
    }
    char **parts = calloc(nclusters + n + 1, sizeof *parts);
    assert_non_null(parts);
    size_t nparts = 0;
    for (uint64_t c = 1; c <= nclusters; c++) {
        char *lines[64];
        size_t nl = 0, len = 16;
        for (size_t i = 0; i < n; i++) {
            xjl_dup_row row;
            xjl_dedup_row(d, i, &row);
            if (row.cluster != c || row.cls == XJL_DUP_BAD_ID)
                continue;
            assert_true(nl < 64);
            lines[nl] = malloc(strlen(row.record_id) + strlen(row.reasons) + 32);
            sprintf(lines[nl], "%s %s: %s\n", xjl_dup_class_name(row.cls), row.record_id,
                    row.reasons);
            len += strlen(lines[nl++]);
        }
        qsort(lines, nl, sizeof *lines, cmp_str);
        char *p = parts[nparts++] = calloc(1, len);
        strcpy(p, "cluster\n");
        for (size_t k = 0; k < nl; k++) {
            strcat(p, lines[k]);
            free(lines[k]);
        }
    }
    qsort(parts, nparts, sizeof *parts, cmp_str);
    for (size_t i = 0; i < n; i++) {
        xjl_dup_row row;
        xjl_dedup_row(d, i, &row);
        if (row.cls != XJL_DUP_BAD_ID)
            continue;
        parts[nparts] = malloc(strlen(row.record_id) + strlen(row.reasons) + 32);
        sprintf(parts[nparts++], "bad_id %s: %s%s\n", row.record_id, row.reasons,
                row.cluster ? " (in a cluster)" : "");
    }
    size_t len = 1;
    for (size_t i = 0; i < nparts; i++)
        len += strlen(parts[i]);
    char *out = calloc(1, len);
    for (size_t i = 0; i < nparts; i++) {
        strcat(out, parts[i]);
        free(parts[i]);
    }
    free(parts);
    return out;
}

/* The check of the rows in the order perm, in one process or split into
 * block files and merged, as canonical text. */
static char *check_in_order(char rows[][160], const size_t *perm, size_t n, bool split)
{
    const char *path = tmp_path("order.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", rows[perm[i]]);
    fclose(f);
    xjl_dedup *d = NULL;
    if (!split) {
        d = run_whole(path, 1);
    } else {
        char dir[512];
        snprintf(dir, sizeof dir, "%s", tmp_path("order_blocks"));
        mkdir(dir, 0700);
        assert_int_equal(xjl_dedup_split(path, XJL_ENC_AUTO, NULL, dir, NULL, NULL, NULL), XJL_OK);
        assert_int_equal(xjl_dedup_new(&d), XJL_OK);
        static const int keys[] = {2018, 2019};
        for (size_t k = 0; k < XJL_ARRAY_LEN(keys); k++) {
            char block[600];
            snprintf(block, sizeof block, "%s/block-%d.csv", dir, keys[k]);
            xjl_dedup *part = NULL;
            assert_int_equal(xjl_dedup_new(&part), XJL_OK);
            assert_int_equal(xjl_dedup_run_block(part, block, keys[k], 1), XJL_OK);
            assert_int_equal(xjl_dedup_save(part, tmp_path("order_partial.csv")), XJL_OK);
            xjl_dedup_free(part);
            assert_int_equal(xjl_dedup_load(d, tmp_path("order_partial.csv")), XJL_OK);
        }
        assert_int_equal(xjl_dedup_finish(d), XJL_OK);
    }
    char *text = canonical_rows(d);
    xjl_dedup_free(d);
    return text;
}

/* The same registry in any row order gives the same clusters, classes and
 * reasons, in one process and split: a tie goes to the record first in the
 * tie order (the smaller record id), never to the earlier row.  X joins K1,
 * whichever of K1 and K2 comes first; C1 is the copies' first; B1 the
 * pair's. */
static void test_row_order_changes_nothing(void **state)
{
    (void)state;
    char rows[16][160];
    size_t n;
    order_rows(rows, &n);
    size_t perm[16];
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    char *base = check_in_order(rows, perm, n, false);
    uint32_t x = 7;
    for (int round = 0; round < 8; round++) {
        if (round == 0) { /* reversed */
            for (size_t i = 0; i < n; i++)
                perm[i] = n - 1 - i;
        } else { /* shuffled (Fisher-Yates with a fixed generator) */
            for (size_t i = n - 1; i > 0; i--) {
                x = x * 1103515245u + 12345u;
                size_t j = (x >> 8) % (i + 1), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        for (int split = 0; split < 2; split++) {
            char *text = check_in_order(rows, perm, n, split);
            if (strcmp(text, base) != 0)
                fail_msg("order %d%s gave other clusters:\n%s\nthan the first order:\n%s", round,
                         split ? " (split)" : "", text, base);
            free(text);
        }
    }
    /* the ties, as the tie order breaks them */
    assert_non_null(strstr(base, "one_id K1: first\none_id X: vs=K1 "));
    assert_non_null(strstr(base, "; also=K2 "));
    assert_non_null(strstr(base, "no_id C1: first\nno_id C2: vs=C1 "));
    assert_non_null(strstr(base, "no_id C3: vs=C1 "));
    assert_non_null(strstr(base, "same_id B1: first\nsame_id B2: vs=B1 "));
    assert_non_null(strstr(base, "fuzzy F1: first\nfuzzy F2: vs=F1 "));
    free(base);

    /* A capped key is named by the record first in the tie order too: the
     * capped registry of test_capped_blocks, its rows reversed. */
    const char *path = tmp_path("capped_reversed.csv");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,姓名,性别,出生日期,身份证件类型,身份证件号\n", f);
    for (int i = 5; i >= 0; i--) {
        char id[19];
        make_id(id, "110101", "20150301", 10 + 2 * i + i % 2);
        fprintf(f, "K%d,张伟,%s,2015-03-01,居民身份证,%s\n", i, i % 2 ? "男" : "女", id);
    }
    fclose(f);
    xjl_dedup *d = NULL;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_int_equal(xjl_dedup_set_param(d, XJL_PARAM_BLOCK_LIMIT, 4), XJL_OK);
    xjl_index *ix = load(path);
    assert_int_equal(xjl_dedup_run(d, ix, 2), XJL_OK);
    xjl_index_free(ix);
    xjl_dup_capped c;
    assert_int_equal(xjl_dedup_capped(d, 0, &c), XJL_OK);
    assert_string_equal(c.record_id, "K0");
    assert_int_equal(c.pos, 5);
    xjl_dedup_free(d);
}

/* The outputs of a check never replace what it read: the registry (through
 * a link too). */
static void test_outputs_never_replace_inputs(void **state)
{
    (void)state;
    const char *reg = tmp_path("own.csv");
    write_registry(reg, NULL, 0);
    char link_path[512];
    snprintf(link_path, sizeof link_path, "%s", tmp_path("own-link.csv"));
    assert_int_equal(symlink(reg, link_path), 0);
    FILE *f = fopen(reg, "rb");
    assert_non_null(f);
    static char before[1 << 16], after[1 << 16];
    size_t n = fread(before, 1, sizeof before, f);
    fclose(f);
    xjl_dedup *d = run_whole(reg, 1);
    assert_int_equal(xjl_dedup_write_csv(d, reg, 0), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "same file"));
    assert_int_equal(xjl_dedup_write_csv(d, link_path, 0), XJL_EINVAL);
    f = fopen(reg, "rb");
    assert_int_equal(fread(after, 1, sizeof after, f), n);
    fclose(f);
    assert_memory_equal(before, after, n);
    assert_int_equal(xjl_dedup_write_csv(d, tmp_path("own-out.csv"), 0), XJL_OK);
    xjl_dedup_free(d);
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/xjl_dedup_XXXXXX", base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_clusters),
        cmocka_unit_test(test_threads_same_result),
        cmocka_unit_test(test_split_equals_whole),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_partial_versions),
        cmocka_unit_test(test_threshold_param),
        cmocka_unit_test(test_alternatives_named),
        cmocka_unit_test(test_namesake_block),
        cmocka_unit_test(test_identical_namesakes_matched_once),
        cmocka_unit_test(test_outputs_never_replace_inputs),
        cmocka_unit_test(test_capped_blocks),
        cmocka_unit_test(test_row_order_changes_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
