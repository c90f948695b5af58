/*
 * The workspace's registry index file (workspace.c): written by the step
 * that loads the registry, opened by the steps after it, and never used as
 * it is when it is not of the registry's generation — a refresh left to the
 * change log, a crash between the commit of a load and the write of the
 * file, a damaged file, a workspace made again under the same name — but
 * brought up to the registry by the changes logged since its generation,
 * or else rebuilt and written again.
 */
#include "workspace/workspace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "workflow_fixtures.h"

#include <xxhash.h>

static char dir[512];

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
static char db[600], ixfile[640], reg1[600], reg2[600];
static char ids[6][19];

static int setup(void **state)
{
    (void)state;
    fixture_dir(dir, sizeof dir);
    fixture_path(db, sizeof db, dir, "ws.db");
    snprintf(ixfile, sizeof ixfile, "%s.registry.xjx", db);
    fixture_path(reg1, sizeof reg1, dir, "registry1.csv");
    fixture_path(reg2, sizeof reg2, dir, "registry2.csv");
    for (int i = 0; i < 6; i++)
        fixture_id(ids[i], 110101, 2018, 1 + i, 10 + i, 11 + 2 * i);
    FILE *fp = fopen(reg1, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P1", "张伟", "1", "2018-01-10", "1", ids[0]);
    fixture_registry_line(fp, "P2", "李娜", "2", "2018-02-11", "1", ids[1]);
    fixture_registry_line(fp, "P3", "王芳", "2", "2018-03-12", "1", ids[2]);
    fclose(fp);
    /* the second load adds two children */
    fp = fopen(reg2, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P4", "赵敏", "2", "2018-04-13", "1", ids[3]);
    fixture_registry_line(fp, "P5", "周杰", "1", "2018-05-14", "1", ids[4]);
    fclose(fp);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_cleanup(dir);
    return 0;
}

static xjl_workspace *open_ws(void)
{
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db), XJL_OK);
    assert_int_equal(xjl_workspace_set_operator(ws, "county-1"), XJL_OK);
    return ws;
}

static void load(xjl_workspace *ws, const char *path)
{
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, path, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_true(rep.inserted > 0);
}

/* Adds child k to a school's list; its status. */
static xjl_row_status add_child(xjl_workspace *ws, const char *school, int k)
{
    static const char *const names[] = {"张伟", "李娜", "王芳", "赵敏", "周杰"};
    char dob[16];
    snprintf(dob, sizeof dob, "2018-%02d-%02d", 1 + k, 10 + k);
    xjl_record r = {names[k], k == 0 || k == 4 ? "1" : "2", dob, "1", ids[k]};
    xjl_row_status st;
    int64_t row;
    /* a list is added to a known school only */
    assert_int_equal(xjl_school_set(ws, school, school, 110101, NULL), XJL_OK);
    assert_int_equal(xjl_intake_add(ws, school, &r, &row, &st), XJL_OK);
    return st;
}

static uint64_t file_stamp(size_t *records)
{
    xjl_index *ix;
    assert_int_equal(xjl_index_open(&ix, ixfile, XJL_INDEX_VERIFY), XJL_OK);
    uint64_t s = xjl_index_stamp(ix);
    *records = xjl_index_count(ix);
    xjl_index_free(ix);
    return s;
}

static void test_load_writes_the_file_steps_open_it(void **state)
{
    (void)state;
    xjl_workspace *ws = open_ws();
    load(ws, reg1);
    size_t n;
    uint64_t s1 = file_stamp(&n);
    assert_int_equal(n, 3);
    assert_true(s1 != 0);
    xjl_workspace_close(ws);

    /* a new handle matches from the file: the file is not written again */
    struct stat before, after;
    assert_int_equal(stat(ixfile, &before), 0);
    ws = open_ws();
    assert_int_equal(add_child(ws, "S1", 1), XJL_ROW_MATCHED);
    xjl_listing *t;
    assert_int_equal(xjl_intake_list(ws, "S1", XJL_ROW_ANY, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "record_id"), "P2");
    xjl_listing_free(t);
    /* the record ids ascend (P1, P2, P3): the file has no table by record
     * id, the search is a binary one over the entries, and no process
     * builds a table again */
    assert_non_null(ws->registry.ix->map);
    assert_true(ws->registry.ix->rids_ascend);
    assert_null(ws->registry.ix->tables[XJL_T_RID].start);
    assert_int_equal(stat(ixfile, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    xjl_workspace_close(ws);
}

static void sql(const char *text)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, text, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* The file of the first load kept back after the second: what a crash
 * between the second load's commit and its write of the file leaves.  The
 * next step applies the changes the second load logged to it (the file is
 * not rebuilt); a step that has more of them to apply than a step should
 * writes the file; without the log it is rebuilt. */
static void test_crash_before_the_file_is_written(void **state)
{
    (void)state;
    char saved[700];
    snprintf(saved, sizeof saved, "%s.saved", ixfile);
    fixture_copy(ixfile, saved);
    size_t n;
    uint64_t s1 = file_stamp(&n);

    xjl_workspace *ws = open_ws();
    load(ws, reg2);
    xjl_workspace_close(ws);
    uint64_t s2 = file_stamp(&n);
    assert_int_equal(n, 5);
    assert_true(s2 != s1); /* 2 records added to 3: compacted, and written */

    fixture_copy(saved, ixfile); /* the crash */
    ws = open_ws();
    /* a child of the second load is found: the stale file was not used as
     * it is, but caught up from the log (not rebuilt), and compacted as
     * the load compacted it (2 records added to 3), so written again */
    assert_int_equal(add_child(ws, "S2", 4), XJL_ROW_MATCHED);
    assert_int_equal(ws->registry.caught_up, 2);
    assert_int_equal(xjl_index_stamp(ws->registry.ix), s2);
    xjl_workspace_close(ws);
    assert_int_equal(file_stamp(&n), s2);
    assert_int_equal(n, 5);

    /* the log lost (a generation not logged): the stale file is rebuilt */
    fixture_copy(saved, ixfile);
    sql("DELETE FROM registry_log");
    ws = open_ws();
    /* a child of the second load, on no list yet (and off it again after:
     * a later test lists the child) */
    xjl_record r = {"赵敏", "2", "2018-04-13", "1", ids[3]};
    xjl_row_status st;
    int64_t row;
    assert_int_equal(xjl_school_set(ws, "S2c", "S2c", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_intake_add(ws, "S2c", &r, &row, &st), XJL_OK);
    assert_int_equal(st, XJL_ROW_MATCHED);
    assert_int_equal(ws->registry.caught_up, 0); /* built from the table */
    assert_null(ws->registry.ix->map);
    assert_int_equal(xjl_intake_delete(ws, row, "test"), XJL_OK);
    xjl_workspace_close(ws);
    assert_int_equal(file_stamp(&n), s2);
    assert_int_equal(n, 5);
}

static void test_damaged_or_missing_file_is_rebuilt(void **state)
{
    (void)state;
    fixture_write(ixfile, "not an index");
    xjl_workspace *ws = open_ws();
    assert_int_equal(add_child(ws, "S3", 3), XJL_ROW_MATCHED);
    xjl_workspace_close(ws);
    size_t n;
    file_stamp(&n);
    assert_int_equal(n, 5);

    unlink(ixfile);
    ws = open_ws();
    assert_int_equal(add_child(ws, "S4", 0), XJL_ROW_MATCHED);
    xjl_workspace_close(ws);
    file_stamp(&n);
    assert_int_equal(n, 5);
}

/* A file of an older format (written by an older library: here the
 * workspace's own file with its header's format version set back to 4 and
 * its header's checksum made again) is refused by the opener and rebuilt by
 * the workspace, which then writes the file of this format. */
static void test_file_of_an_older_format_is_rebuilt(void **state)
{
    (void)state;
    FILE *fp = fopen(ixfile, "rb");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long end = ftell(fp);
    assert_true(end > 96);
    size_t len = (size_t)end;
    unsigned char *b = malloc(len);
    assert_non_null(b);
    rewind(fp);
    assert_int_equal(fread(b, 1, len, fp), len);
    fclose(fp);
    uint32_t version = 4, header_bytes;
    memcpy(b + 8, &version, 4); /* format_version */
    memcpy(&header_bytes, b + 16, 4);
    assert_true(header_bytes <= len);
    uint64_t sum = 0;
    memcpy(b + 88, &sum, 8); /* header_xxh3, over the header with it as 0 */
    sum = XXH3_64bits(b, header_bytes);
    memcpy(b + 88, &sum, 8);
    fp = fopen(ixfile, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    free(b);
    xjl_index *old;
    assert_int_equal(xjl_index_open(&old, ixfile, 0), XJL_EVERSION);
    assert_non_null(strstr(xjl_errmsg(), "older"));

    xjl_workspace *ws = open_ws();
    assert_int_equal(add_child(ws, "S6", 2), XJL_ROW_MATCHED);
    xjl_workspace_close(ws);
    size_t n;
    file_stamp(&n); /* opens (and verifies) the file written again */
    assert_int_equal(n, 5);
    xjl_index_info_t info;
    xjl_index *ix;
    assert_int_equal(xjl_index_open(&ix, ixfile, 0), XJL_OK);
    assert_int_equal(xjl_index_info(ix, &info), XJL_OK);
    assert_true(info.format_version > 4);
    xjl_index_free(ix);
}

/* A workspace made again under the same name, loaded as many times: its
 * generation is not the old one's, so the old file is not taken for it. */
static void test_workspace_made_again(void **state)
{
    (void)state;
    char saved[700];
    snprintf(saved, sizeof saved, "%s.old", ixfile);
    fixture_copy(ixfile, saved);
    unlink(db);
    unlink(ixfile);
    xjl_workspace *ws = open_ws();
    load(ws, reg2); /* only P4 and P5 */
    load(ws, reg1); /* then P1..P3: two loads, as before */
    xjl_workspace_close(ws);
    fixture_copy(saved, ixfile); /* the old workspace's file, of its second generation */
    ws = open_ws();
    xjl_listing *t;
    assert_int_equal(add_child(ws, "S5", 2), XJL_ROW_MATCHED);
    assert_int_equal(xjl_intake_list(ws, "S5", XJL_ROW_ANY, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "record_id"), "P3");
    xjl_listing_free(t);
    xjl_workspace_close(ws);
}

/* The handle's registry index, record by record: parsed fields, record id
 * and row id, into a text (compared between two ways of building it). */
static char *index_dump(xjl_workspace *ws)
{
    const struct xjl_ixcache *c = &ws->registry;
    size_t n = xjl_index_count(c->ix), cap = n * 400 + 1, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        xjl_parsed p;
        assert_int_equal(xjl_index_record(c->ix, i, &p), XJL_OK);
        char desc[200] = "";
        size_t dn = 0;
        xjl_parsed_describe(&p, desc, sizeof desc, &dn);
        len += (size_t)snprintf(out + len, cap - len, "%s %lld %s %d %ld %d %s %s|",
                                xjl_index_record_id(c->ix, i), (long long)xjl__ixcache_id(c, i),
                                p.name, (int)p.gender, (long)p.birth_date, (int)p.id.kind,
                                p.id.normalized, desc);
        assert_true(len < cap);
    }
    return out;
}

/* The index of ws (just loaded; closed here) equals the one the next handle
 * of the workspace fresh builds from a scan of the table (its file gone). */
static void assert_index_as_scan(xjl_workspace *ws, const char *fresh, const char *freshix)
{
    char *loaded = index_dump(ws);
    xjl_workspace_close(ws);
    unlink(freshix); /* the next handle builds it from the table */
    assert_int_equal(xjl_workspace_open(&ws, fresh), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "S9", "S9", 110101, NULL), XJL_OK);
    xjl_record r = {"张伟", "2", "2018-01-01", "", ""};
    int64_t row;
    xjl_row_status st;
    assert_int_equal(xjl_intake_add(ws, "S9", &r, &row, &st), XJL_OK);
    char *scanned = index_dump(ws);
    assert_string_equal(loaded, scanned);
    free(loaded);
    free(scanned);
    xjl_workspace_close(ws);
}

/* A load into an empty registry builds the index from the records it
 * inserts, without reading the table back: the index is the one a scan of
 * the table builds, record for record.  A load whose file names a record
 * twice (the second updates the first) is left to the scan. */
static void test_fresh_load_indexes_as_the_scan(void **state)
{
    (void)state;
    char fresh[600], freshix[640], regf[600];
    fixture_path(fresh, sizeof fresh, dir, "fresh.db");
    snprintf(freshix, sizeof freshix, "%s.registry.xjx", fresh);
    fixture_path(regf, sizeof regf, dir, "registry_many.csv");
    static const char *const names[] = {"张伟", "李娜", "王芳", "欧阳小明", "WANG DAVID", "赵敏"};
    for (int twice = 0; twice < 2; twice++) {
        FILE *fp = fopen(regf, "wb");
        fputs(FIXTURE_REGISTRY_HEADER, fp);
        for (int i = 0; i < 60; i++) {
            char rid[16], id[19] = "", dob[16];
            snprintf(rid, sizeof rid, "Q%d", twice && i == 40 ? 7 : i);
            snprintf(dob, sizeof dob, "2018-%02d-%02d", 1 + i % 12, 1 + i % 28);
            if (i % 7)
                fixture_id(id, 110101, 2018, 1 + i % 12, 1 + i % 28, i);
            fixture_registry_line(fp, rid, names[i % 6], i % 2 ? "1" : "2", dob, i % 7 ? "1" : "",
                                  id);
        }
        fclose(fp);
        unlink(fresh);
        unlink(freshix);
        xjl_workspace *ws = NULL;
        assert_int_equal(xjl_workspace_open(&ws, fresh), XJL_OK);
        xjl_load_report rep;
        assert_int_equal(xjl_intake_load_registry(ws, regf, XJL_ENC_AUTO, NULL, NULL, &rep),
                         XJL_OK);
        assert_int_equal(rep.inserted, twice ? 59 : 60);
        assert_int_equal(rep.updated, twice ? 1 : 0);
        assert_int_equal(xjl_index_count(ws->registry.ix), twice ? 59 : 60);
        assert_index_as_scan(ws, fresh, freshix);
    }
}

/* The lines of the rows a load reported, in the order reported. */
struct reported {
    long lines[64];
    size_t n;
};

static void keep_line(void *user, const char *file, long line, const char *column,
                      const char *value, const char *message)
{
    struct reported *r = user;
    (void)file, (void)column, (void)value, (void)message;
    if (r->n < 64)
        r->lines[r->n] = line;
    r->n++;
}

/* A registry of many blocks (read on the worker pool, written in file
 * order): every bad row reported once, in file order, with its line; the
 * rows in the table and the index in file order, as a load row by row gives
 * them (the index the one a scan of the table builds); a record id met
 * again in a later block updates the record and leaves the index to the
 * scan. */
static void test_load_of_many_blocks_keeps_file_order(void **state)
{
    (void)state;
    char fresh[600], freshix[640], regf[600];
    fixture_path(fresh, sizeof fresh, dir, "blocks.db");
    snprintf(freshix, sizeof freshix, "%s.registry.xjx", fresh);
    fixture_path(regf, sizeof regf, dir, "registry_blocks.csv");
    enum { ROWS = 30000 }; /* about 3.6 MB: several blocks of the loader */
    for (int twice = 0; twice < 2; twice++) {
        FILE *fp = fopen(regf, "wb");
        fputs(FIXTURE_REGISTRY_HEADER, fp);
        long expect[64];
        size_t nexpect = 0;
        for (int i = 0; i < ROWS; i++) {
            char rid[16], id[19], dob[16];
            long line = i + 2;
            snprintf(rid, sizeof rid, "B%d", twice && i == 25000 ? 3 : i);
            snprintf(dob, sizeof dob, "2018-%02d-%02d", 1 + i % 12, 1 + i % 28);
            fixture_id(id, 110101, 2018, 1 + i % 12, 1 + i % 28, i % 1000);
            if (i % 1999 == 1000) { /* a gender that is no code */
                fixture_registry_line(fp, rid, "张伟", "Q", dob, "1", id);
                expect[nexpect++] = line;
            } else if (i % 2999 == 7) { /* no record id */
                fixture_registry_line(fp, "", "李娜", "2", dob, "1", id);
                expect[nexpect++] = line;
            } else if (i % 4999 == 11) { /* a field short */
                fprintf(fp, "%s,王芳,2,%s\n", rid, dob);
                expect[nexpect++] = line;
            } else {
                fixture_registry_line(fp, rid, i % 3 ? "王芳" : "欧阳小明", i % 2 ? "1" : "2", dob,
                                      "1", id);
            }
        }
        fclose(fp);
        assert_true(nexpect < 64);
        unlink(fresh);
        unlink(freshix);
        xjl_workspace *ws = NULL;
        assert_int_equal(xjl_workspace_open(&ws, fresh), XJL_OK);
        xjl_load_report rep;
        struct reported got = {0};
        assert_int_equal(xjl_intake_load_registry(ws, regf, XJL_ENC_AUTO, keep_line, &got, &rep),
                         XJL_OK);
        assert_int_equal(got.n, nexpect);
        for (size_t k = 0; k < nexpect; k++)
            assert_int_equal(got.lines[k], expect[k]);
        assert_int_equal(rep.rows, ROWS);
        assert_int_equal(rep.bad_rows, nexpect);
        assert_int_equal(rep.updated, twice ? 1 : 0);
        assert_int_equal(rep.inserted, ROWS - nexpect - (twice ? 1 : 0));
        assert_int_equal(xjl_index_count(ws->registry.ix), rep.inserted);
        /* row ids in file order: B3 is the third record loaded */
        xjl_listing *t = NULL;
        assert_int_equal(xjl_intake_registry_record(ws, "B3", &t), XJL_OK);
        assert_int_equal(xjl_listing_int(t, 0, "id"), 4);
        assert_int_equal(xjl_listing_int(t, 0, "line"), twice ? 25002 : 5);
        xjl_listing_free(t);
        assert_index_as_scan(ws, fresh, freshix);
    }
}

/* A refresh that updates a record, its file lost to a crash between the
 * commit and the write: the next step does not match against the file of
 * the generation before (the record's old values), but rebuilds it. */
static void test_crash_between_refresh_and_its_file(void **state)
{
    (void)state;
    char saved[700], reg3[600], newid[19];
    snprintf(saved, sizeof saved, "%s.before-refresh", ixfile);
    fixture_path(reg3, sizeof reg3, dir, "registry3.csv");
    fixture_id(newid, 110101, 2018, 6, 20, 77);
    FILE *fp = fopen(reg3, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_registry_line(fp, "P2", "李小娜", "2", "2018-06-20", "1", newid); /* updated */
    fixture_registry_line(fp, "P6", "孙丽", "2", "2018-07-21", "1", "");      /* added */
    fclose(fp);
    xjl_workspace *ws = open_ws();
    xjl_record probe = {"张伟", "1", "2018-01-10", "1", ids[0]};
    int64_t row;
    xjl_row_status st;
    assert_int_equal(xjl_school_set(ws, "S7", "S7", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_intake_add(ws, "S7", &probe, &row, &st), XJL_OK); /* the file opened */
    xjl_workspace_close(ws);
    fixture_copy(ixfile, saved);
    size_t n;
    uint64_t before = file_stamp(&n);

    ws = open_ws();
    ws->registry.pending_max = 0; /* the refresh writes its file */
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, reg3, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.inserted, 1);
    xjl_workspace_close(ws);
    uint64_t after = file_stamp(&n);
    assert_true(after != before);
    assert_int_equal(n, 6);

    fixture_copy(saved, ixfile); /* the crash */
    ws = open_ws();
    xjl_record updated = {"李小娜", "2", "2018-06-20", "1", newid};
    assert_int_equal(xjl_school_set(ws, "S8", "S8", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_intake_add(ws, "S8", &updated, &row, &st), XJL_OK);
    assert_int_equal(st, XJL_ROW_MATCHED);
    xjl_listing *t;
    assert_int_equal(xjl_intake_list(ws, "S8", XJL_ROW_ANY, &t), XJL_OK);
    assert_string_equal(xjl_listing_value(t, 0, "record_id"), "P2");
    xjl_listing_free(t);
    /* repaired from the log: the file of the generation before, changed
     * (an update and an add: compacted, as the refresh did, and written) */
    assert_int_equal(ws->registry.caught_up, 2);
    assert_int_equal(xjl_index_stamp(ws->registry.ix), after);
    assert_int_equal(xjl_index_count(ws->registry.ix), 6);
    xjl_workspace_close(ws);
    assert_int_equal(file_stamp(&n), after);
    assert_int_equal(n, 6);
}

/* ---- refreshes applied as changes ------------------------------------------ */

/* A registry record of the randomised refreshes: few names, few days, so
 * that a list row has several candidates. */
struct rrec {
    char rid[16], name[16], gender[2], dob[16], type[2], id[19];
};

static void rrec_draw(unsigned *seed, struct rrec *r, int k)
{
    static const char *const names[] = {"张伟", "张玮", "李娜", "王芳", "王方", "欧阳小明", "赵敏"};
    int m = 1 + rand_r(seed) % 2, d = 1 + rand_r(seed) % 9;
    snprintf(r->name, sizeof r->name, "%s", names[rand_r(seed) % 7]);
    snprintf(r->gender, sizeof r->gender, "%d", 1 + rand_r(seed) % 2);
    snprintf(r->dob, sizeof r->dob, "2018-%02d-%02d", m, d);
    bool numbered = rand_r(seed) % 3 != 0;
    snprintf(r->type, sizeof r->type, "%s", numbered ? "1" : "");
    r->id[0] = '\0';
    if (numbered)
        fixture_id(r->id, 110101, 2018, m, d, k % 1000);
}

static void rrec_write(const char *path, const struct rrec *recs, const int *which, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    for (size_t i = 0; i < n; i++) {
        const struct rrec *r = &recs[which ? which[i] : (int)i];
        fixture_registry_line(fp, r->rid, r->name, r->gender, r->dob, r->type, r->id);
    }
    assert_int_equal(fclose(fp), 0);
}

/* A workspace made anew at db_path (its index file ix_path gone too) and
 * loaded with the n records of recs, through the CSV file regf. */
static void load_fresh(const char *db_path, const char *ix_path, const char *regf,
                       const struct rrec *recs, size_t n)
{
    unlink(db_path);
    unlink(ix_path);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, db_path), XJL_OK);
    rrec_write(regf, recs, NULL, n);
    load(ws, regf);
    xjl_workspace_close(ws);
}

/* A list row added to ws: its status and its candidates (record id, score,
 * reasons, name, key, number), in a text, the candidates sorted. */
static char *row_outcome(xjl_workspace *ws, const char *school, const xjl_record *rec)
{
    int64_t row;
    xjl_row_status st;
    int rc = xjl_intake_add(ws, school, rec, &row, &st);
    if (rc)
        fprintf(stderr, "%s\n", xjl_errmsg());
    assert_int_equal(rc, XJL_OK);
    xjl_listing *t = NULL;
    assert_int_equal(xjl_intake_candidates(ws, row, &t), XJL_OK);
    size_t n = xjl_listing_rows(t), cols = xjl_listing_cols(t);
    char **lines = calloc(n + 1, sizeof *lines);
    size_t total = 32;
    for (size_t i = 0; i < n; i++) {
        char buf[2048];
        size_t len = 0;
        for (size_t c = 0; c < cols; c++) {
            const char *name = xjl_listing_col_name(t, c);
            if (strcmp(name, "rank") != 0)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s=%s;", name,
                                        xjl_listing_value(t, i, name));
        }
        lines[i] = strdup(buf);
        total += len + 1;
    }
    xjl_listing_free(t);
    qsort(lines, n, sizeof *lines, cmp_text);
    char *out = malloc(total);
    size_t at = (size_t)snprintf(out, total, "%d|", (int)st);
    for (size_t i = 0; i < n; i++) {
        at += (size_t)snprintf(out + at, total - at, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    return out;
}

/* The index of two handles, position by position: the same stamp, changes,
 * dead positions, tags and record ids. */
static void assert_same_index(const xjl_index *x, const xjl_index *y)
{
    assert_int_equal(xjl_index_stamp(x), xjl_index_stamp(y));
    assert_int_equal(xjl_index_changes(x), xjl_index_changes(y));
    assert_int_equal(xjl__index_positions(x), xjl__index_positions(y));
    for (size_t pos = 0; pos < xjl__index_positions(x); pos++) {
        assert_int_equal(xjl__index_dead(x, (uint32_t)pos), xjl__index_dead(y, (uint32_t)pos));
        assert_int_equal(xjl__index_tag(x, pos), xjl__index_tag(y, pos));
        if (!xjl__index_dead(x, (uint32_t)pos))
            assert_string_equal(xjl_index_record_id(x, pos), xjl_index_record_id(y, pos));
    }
}

/* A workspace loaded once and refreshed three times (records added,
 * records met again with other values, records met again unchanged) gives
 * every row of a list the status and candidates a workspace loaded at once
 * with the registry as it is now gives it: from the index changed in
 * memory, and from the file the next handle opens.  The registry's order
 * breaks ties between equal candidates (which of them the cap on candidates
 * keeps): a record updated by a refresh comes last, as in an index built
 * from the registry with that record moved to its end.  No refresh rebuilds the
 * index from the table: it is the file of the load before with changes
 * (until they pass an eighth of its records: then compacted), its tags the
 * row ids of the records; written to the file, or left to the change log
 * from which the next handle makes the same index. */
static void test_refresh_applies_changes(void **state)
{
    (void)state;
    enum { BASE = 400, ROUNDS = 3, ADDS = 15, UPDATES = 10, SAME = 5, ROWS = 60 };
    char a[600], aix[640], b[600], bix[640], regf[600];
    fixture_path(a, sizeof a, dir, "refreshed.db");
    snprintf(aix, sizeof aix, "%s.registry.xjx", a);
    fixture_path(b, sizeof b, dir, "rebuilt.db");
    snprintf(bix, sizeof bix, "%s.registry.xjx", b);
    fixture_path(regf, sizeof regf, dir, "registry_refresh.csv");
    unsigned seed = 20261202;
    static struct rrec recs[BASE + ROUNDS * ADDS];
    int nrec = BASE, compacted = 0, written = 0, left = 0;
    for (int k = 0; k < BASE; k++) {
        snprintf(recs[k].rid, sizeof recs[k].rid, "R%d", k);
        rrec_draw(&seed, &recs[k], k);
    }
    load_fresh(a, aix, regf, recs, BASE);
    xjl_workspace *ws = NULL;
    for (int round = 0; round < ROUNDS; round++) {
        int which[ADDS + UPDATES + SAME], n = 0;
        for (int i = 0; i < ADDS; i++, nrec++) {
            snprintf(recs[nrec].rid, sizeof recs[nrec].rid, "R%d", nrec);
            rrec_draw(&seed, &recs[nrec], nrec);
            which[n++] = nrec;
        }
        for (int i = 0; i < UPDATES + SAME; i++) {
            int k = rand_r(&seed) % BASE; /* met twice: updated, then the same */
            if (i < UPDATES)
                rrec_draw(&seed, &recs[k], k + 500);
            which[n++] = k;
        }
        rrec_write(regf, recs, which, (size_t)n);
        assert_int_equal(xjl_workspace_open(&ws, a), XJL_OK);
        xjl_index *before = NULL;
        assert_int_equal(xjl_index_open(&before, aix, 0), XJL_OK);
        size_t changes_before = xjl_index_changes(before);
        xjl_index_free(before);
        xjl_load_report rep;
        assert_int_equal(xjl_intake_load_registry(ws, regf, XJL_ENC_AUTO, NULL, NULL, &rep),
                         XJL_OK);
        assert_int_equal(rep.inserted, ADDS);
        assert_true(rep.updated >= 1);
        /* changes on the file's index, or compacted when they passed BASE / 8 */
        const xjl_index *ix = ws->registry.ix;
        size_t delta = xjl__index_delta_records(ix);
        assert_true(delta == 0 || xjl_index_changes(ix) > changes_before);
        compacted += delta == 0;
        assert_true(delta <= ix->n / 8);
        assert_int_equal(xjl_index_count(ix), nrec);
        for (size_t pos = 0; pos < xjl__index_positions(ix); pos++) {
            if (xjl__index_dead(ix, (uint32_t)pos))
                continue;
            xjl_listing *t = NULL; /* each record's tag is its row id */
            assert_int_equal(xjl_intake_registry_record(ws, xjl_index_record_id(ix, pos), &t),
                             XJL_OK);
            assert_int_equal(xjl_listing_int(t, 0, "id"), xjl__ixcache_id(&ws->registry, pos));
            xjl_listing_free(t);
        }
        /* the file: this generation, verified, its changes and tags kept;
         * or (a refresh that built no table, compacted nothing) the file of
         * a generation before, which the next handle catches up */
        xjl_index *file = NULL;
        assert_int_equal(xjl_index_open(&file, aix, XJL_INDEX_VERIFY), XJL_OK);
        bool file_left = xjl_index_stamp(file) != xjl_index_stamp(ix);
        if (!file_left) {
            written++;
            assert_int_equal(xjl_index_changes(file), xjl_index_changes(ix));
            assert_int_equal(xjl__index_positions(file), xjl__index_positions(ix));
            for (size_t pos = 0; pos < xjl__index_positions(ix); pos++)
                assert_int_equal(xjl__index_tag(file, pos), xjl__index_tag(ix, pos));
        } else {
            left++;
            assert_true(xjl__index_positions(file) < xjl__index_positions(ix));
        }
        xjl_index_free(file);

        /* the same registry loaded at once, its records in the changed index's
         * order (an updated record last: equal candidates come in that order) */
        int order[BASE + ROUNDS * ADDS], norder = 0;
        for (size_t pos = 0; pos < xjl__index_positions(ix); pos++)
            if (!xjl__index_dead(ix, (uint32_t)pos))
                order[norder++] = atoi(xjl_index_record_id(ix, pos) + 1);
        assert_int_equal(norder, nrec);
        unlink(b);
        unlink(bix);
        rrec_write(regf, recs, order, (size_t)norder);
        xjl_workspace *wb = NULL;
        assert_int_equal(xjl_workspace_open(&wb, b), XJL_OK);
        load(wb, regf);
        xjl_workspace *wa2 = NULL; /* a handle that opens the changed file */
        assert_int_equal(xjl_workspace_open(&wa2, a), XJL_OK);
        for (int r = 0; r < ROWS; r++) {
            /* a workspace refuses a number on two lists: each row another child */
            struct rrec q = recs[(round * ROWS + r) * 97 % BASE];
            if (r % 3 == 1) /* the number lost */
                q.id[0] = q.type[0] = '\0';
            else if (r % 3 == 2) /* another child of the same days and names */
                rrec_draw(&seed, &q, 900 + round * ROWS / 3 + r / 3);
            xjl_record rec = {q.name, q.gender, q.dob, q.type, q.id};
            /* the refreshed index in memory, or the next handle's from the file */
            xjl_workspace *refreshed = r % 2 ? wa2 : ws;
            char school[16];
            snprintf(school, sizeof school, "S%d-%d", round, r);
            assert_int_equal(xjl_school_set(refreshed, school, school, 110101, NULL), XJL_OK);
            assert_int_equal(xjl_school_set(wb, school, school, 110101, NULL), XJL_OK);
            char *want = row_outcome(wb, school, &rec), *got = row_outcome(refreshed, school, &rec);
            assert_string_equal(got, want);
            free(got);
            free(want);
        }
        /* wa2 matched from the file, not from a rebuild, and has the index
         * of the handle that refreshed: the same positions, records, tags */
        assert_non_null(wa2->registry.ix->map);
        assert_same_index(wa2->registry.ix, ix);
        xjl_workspace_close(wa2);
        if (file_left) { /* a step with more changes to apply than it may: applied, written */
            assert_int_equal(xjl_workspace_open(&wa2, a), XJL_OK);
            wa2->registry.pending_max = 1;
            struct rrec q = recs[round];
            xjl_record rec = {q.name, q.gender, q.dob, "", ""};
            assert_int_equal(xjl_school_set(wa2, "late", "late", 110101, NULL), XJL_OK);
            free(row_outcome(wa2, "late", &rec));
            assert_true(wa2->registry.caught_up > 1);
            xjl_workspace_close(wa2);
            assert_int_equal(xjl_index_open(&file, aix, XJL_INDEX_VERIFY), XJL_OK);
            assert_int_equal(xjl_index_stamp(file), xjl_index_stamp(ix));
            assert_int_equal(xjl_index_changes(file), xjl_index_changes(ix));
            xjl_index_free(file);
        }
        xjl_workspace_close(wb);
        xjl_workspace_close(ws);
    }
    assert_true(compacted > 0 && compacted < ROUNDS); /* both ways taken */
    assert_true(written > 0 && left > 0);
}

/* A refresh that meets a new record twice (added, then updated in the same
 * file) and two refreshes left to the log: a handle that catches up from
 * the log applies them as the refreshing handle did, and finds the record
 * by its last values, not its first. */
/* A load whose file cannot be written (a directory stands at its name)
 * still loads, and its handle knows the file is not there: its next
 * refresh, of one record on twenty (too few to compact or to pass the
 * limit of changes), writes the file rather than leaving it to a change
 * log that no file precedes. */
/* Rows of a table of the workspace database at path. */
static int table_rows(const char *path, const char *table)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *s = NULL;
    char q[128];
    snprintf(q, sizeof q, "SELECT count(*) FROM %s", table);
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, q, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

static void test_load_whose_file_is_not_written(void **state)
{
    (void)state;
    char rdb[600], rfile[640], big[600], one[600], id[19];
    fixture_path(rdb, sizeof rdb, dir, "unwritten.db");
    snprintf(rfile, sizeof rfile, "%s.registry.xjx", rdb);
    fixture_path(big, sizeof big, dir, "registry20.csv");
    fixture_path(one, sizeof one, dir, "registry21.csv");
    FILE *fp = fopen(big, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    for (int i = 0; i < 20; i++) {
        char rid[8], dob[16];
        snprintf(rid, sizeof rid, "Q%02d", i);
        snprintf(dob, sizeof dob, "2018-01-%02d", 1 + i);
        fixture_id(id, 110101, 2018, 1, 1 + i, 100 + i);
        fixture_registry_line(fp, rid, "张伟", "1", dob, "1", id);
    }
    fclose(fp);
    fp = fopen(one, "wb");
    fputs(FIXTURE_REGISTRY_HEADER, fp);
    fixture_id(id, 110101, 2018, 2, 1, 200);
    fixture_registry_line(fp, "Q20", "李娜", "2", "2018-02-01", "1", id);
    fclose(fp);
    assert_int_equal(mkdir(rfile, 0700), 0);
    xjl_workspace *ws = NULL;
    assert_int_equal(xjl_workspace_open(&ws, rdb), XJL_OK);
    assert_int_equal(xjl_workspace_set_operator(ws, "county-1"), XJL_OK);
    load(ws, big);
    assert_int_equal(ws->registry.file_gen, -1);
    /* refreshes while no file can be written: the change log keeps only
     * what a file of the generation before the last could need (it would
     * grow by every refresh else, read by no one) */
    for (int k = 0; k < 3; k++) {
        char more[600], rid[8], dob[16];
        snprintf(rid, sizeof rid, "Q%d", 30 + k);
        snprintf(more, sizeof more, "%s/registry_more%d.csv", dir, k);
        snprintf(dob, sizeof dob, "2018-03-%02d", 1 + k);
        fixture_id(id, 110101, 2018, 3, 1 + k, 300 + k);
        fp = fopen(more, "wb");
        fputs(FIXTURE_REGISTRY_HEADER, fp);
        fixture_registry_line(fp, rid, "王芳", "2", dob, "1", id);
        fclose(fp);
        load(ws, more);
        assert_int_equal(ws->registry.file_gen, -1);
        assert_int_equal(table_rows(rdb, "registry_log"), 1);
        assert_int_equal(table_rows(rdb, "registry_change"), 1);
    }
    assert_int_equal(rmdir(rfile), 0);
    load(ws, one);
    assert_true(ws->registry.file_gen > 0);
    xjl_index *ix;
    assert_int_equal(xjl_index_open(&ix, rfile, XJL_INDEX_VERIFY), XJL_OK);
    assert_int_equal(xjl_index_count(ix), 24);
    assert_int_equal(xjl__index_delta_records(ix), 1); /* not compacted */
    assert_int_equal(xjl_index_stamp(ix), (uint64_t)ws->registry.gen);
    xjl_index_free(ix);
    xjl_workspace_close(ws);
}

static void test_log_of_a_record_added_and_updated(void **state)
{
    (void)state;
    enum { BASE = 60 };
    char a[600], aix[640], regf[600];
    fixture_path(a, sizeof a, dir, "twice.db");
    snprintf(aix, sizeof aix, "%s.registry.xjx", a);
    fixture_path(regf, sizeof regf, dir, "registry_twice.csv");
    static struct rrec recs[BASE + 2];
    unsigned seed = 7;
    for (int k = 0; k < BASE + 2; k++) {
        snprintf(recs[k].rid, sizeof recs[k].rid, "T%03d", k);
        rrec_draw(&seed, &recs[k], k);
    }
    load_fresh(a, aix, regf, recs, BASE);
    xjl_workspace *ws = NULL;
    xjl_index *file = NULL;
    assert_int_equal(xjl_index_open(&file, aix, 0), XJL_OK);
    uint64_t loaded = xjl_index_stamp(file);
    xjl_index_free(file);

    assert_int_equal(xjl_workspace_open(&ws, a), XJL_OK);
    struct rrec first = recs[BASE], last = recs[BASE];
    snprintf(first.name, sizeof first.name, "%s", "钱一");
    snprintf(last.name, sizeof last.name, "%s", "钱二");
    snprintf(last.dob, sizeof last.dob, "%s", "2018-11-30");
    last.id[0] = last.type[0] = first.id[0] = first.type[0] = '\0';
    struct rrec twice[2] = {first, last};
    rrec_write(regf, twice, NULL, 2);
    xjl_load_report rep;
    assert_int_equal(xjl_intake_load_registry(ws, regf, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted, 1);
    assert_int_equal(rep.updated, 1);
    /* a second refresh: one more record, one updated */
    struct rrec more[2] = {recs[BASE + 1], recs[3]};
    snprintf(more[1].name, sizeof more[1].name, "%s", "孙三");
    rrec_write(regf, more, NULL, 2);
    assert_int_equal(xjl_intake_load_registry(ws, regf, XJL_ENC_AUTO, NULL, NULL, &rep), XJL_OK);
    assert_int_equal(rep.inserted + rep.updated, 2);
    /* the file is still the load's (no table built, four changes): the
     * handle after the refreshes catches up all four */
    assert_int_equal(xjl_index_open(&file, aix, 0), XJL_OK);
    assert_int_equal(xjl_index_stamp(file), loaded);
    xjl_index_free(file);

    xjl_workspace *w2 = NULL;
    assert_int_equal(xjl_workspace_open(&w2, a), XJL_OK);
    xjl_record rec = {last.name, last.gender, last.dob, "", ""};
    char *got = NULL, *want = NULL;
    assert_int_equal(xjl_school_set(w2, "Q1", "Q1", 110101, NULL), XJL_OK);
    assert_int_equal(xjl_school_set(ws, "Q2", "Q2", 110101, NULL), XJL_OK);
    got = row_outcome(w2, "Q1", &rec);
    want = row_outcome(ws, "Q2", &rec);
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "T060")); /* found by its last values */
    free(got);
    free(want);
    assert_int_equal(w2->registry.caught_up, 4);
    assert_same_index(w2->registry.ix, ws->registry.ix);
    xjl_workspace_close(w2);
    xjl_workspace_close(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_writes_the_file_steps_open_it),
        cmocka_unit_test(test_crash_before_the_file_is_written),
        cmocka_unit_test(test_damaged_or_missing_file_is_rebuilt),
        cmocka_unit_test(test_file_of_an_older_format_is_rebuilt),
        cmocka_unit_test(test_workspace_made_again),
        cmocka_unit_test(test_fresh_load_indexes_as_the_scan),
        cmocka_unit_test(test_load_of_many_blocks_keeps_file_order),
        cmocka_unit_test(test_crash_between_refresh_and_its_file),
        cmocka_unit_test(test_refresh_applies_changes),
        cmocka_unit_test(test_log_of_a_record_added_and_updated),
        cmocka_unit_test(test_load_whose_file_is_not_written),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
