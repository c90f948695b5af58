/*
 * The near search (lib/match/near.c, the probe in lib/match/match.c): a
 * registered child whose name is one character off in a way no name key
 * survives is offered for review when its ID number is missing, wrong by
 * one digit or has two neighbours swapped; two children of one surname and
 * birth date with two-character names are not offered for each other;
 * records changed after the build are found and removed ones are not; and
 * damage to the birth-date table of a file is refused with a clear error.
 */
#include "citizen_ids.h"
#include "match/matching.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

static const struct {
    const char *id, *name, *gender, *dob, *ymd;
    int seq;
} reg[] = {
    {"P1", "王柏文", "1", "2019-03-05", "20190305", 11},
    {"P2", "王子涵", "2", "2019-03-05", "20190305", 22},
    {"P3", "王子轩", "1", "2019-03-05", "20190305", 31},
    {"P4", "张伟", "1", "2019-04-01", "20190401", 41},
    {"P5", "张强", "1", "2019-04-01", "20190401", 51},
    {"P6", "张磊", "1", "2019-04-01", "20190401", 61},
    {"P7", "李未明", "1", "2018-11-20", "20181120", 71},
    {"P8", "陈未", "2", "2017-06-12", "20170612", 82},
};
#define NREG (sizeof reg / sizeof reg[0])

static char reg_number[NREG][19];

/* The registry above, then `extra` (if not NULL) as record "P9". */
static xjl_index *registry_with(const xjl_record *extra)
{
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    for (size_t i = 0; i < NREG; i++) {
        make_id(reg_number[i], "110105", reg[i].ymd, reg[i].seq);
        xjl_record r = {reg[i].name, reg[i].gender, reg[i].dob, "居民身份证", reg_number[i]};
        assert_int_equal(xjl_index_add(ix, reg[i].id, &r), XJL_OK);
    }
    if (extra)
        assert_int_equal(xjl_index_add(ix, "P9", extra), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    return ix;
}

static xjl_index *registry(void)
{
    return registry_with(NULL);
}

/* Registry record k's number with an error: 'm' left out, 's' the digit at
 * `at` substituted, 'w' the characters at `at` and at + 1 swapped. */
static void number_with(size_t k, char how, int at, char out[19])
{
    memcpy(out, reg_number[k], 19);
    if (how == 'm')
        out[0] = '\0';
    else if (how == 's')
        out[at] = out[at] == '9' ? '0' : (char)(out[at] + 1);
    else {
        char t = out[at];
        out[at] = out[at + 1];
        out[at + 1] = t;
    }
}

/* The row's status, and whether `want` is among its candidates. */
static xjl_match_status match_row(const xjl_matcher *m, const char *name, const char *gender,
                                  const char *dob, const char *number, const char *want,
                                  bool *offered)
{
    xjl_record r = {name, gender, dob, number[0] ? "居民身份证" : "", number};
    xjl_result *res = NULL;
    assert_int_equal(xjl_matcher_match(m, &r, &res), XJL_OK);
    xjl_match_status st = xjl_result_status(res);
    *offered = false;
    for (size_t i = 0; i < xjl_result_candidate_count(res); i++)
        *offered |= want && strcmp(xjl_result_candidate_id(res, i), want) == 0;
    xjl_result_free(res);
    return st;
}

/* Each kind of wrong character no name key survives, with the number
 * missing, one digit wrong (in the sequence, and in the date) and two
 * neighbours swapped: pending, with the right record offered; except a
 * character bearing no relation to the right one with no number at all
 * (the rest of the row is a date and a gender, which strangers share:
 * not_found). */
static const struct {
    size_t k;
    const char *name;
    const char *kind;
    bool without_number; /* found without a number */
} wrong_name[] = {
    {2, "王子杰", "another character, three-character name", false},
    {0, "王松文", "another character in the given name", false},
    {6, "李末明", "look-alike 未/末", true},
    {7, "陈末", "look-alike 未/末, two-character name", true},
};

static const struct {
    char how;
    int at;
} number_error[] = {{'m', 0}, {'s', 15}, {'s', 12}, {'w', 14}, {'w', 3}};

static void test_each_kind_with_each_number_error(void **state)
{
    (void)state;
    xjl_index *ix = registry();
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    for (size_t i = 0; i < sizeof wrong_name / sizeof wrong_name[0]; i++)
        for (size_t j = 0; j < sizeof number_error / sizeof number_error[0]; j++) {
            size_t k = wrong_name[i].k;
            char number[19];
            number_with(k, number_error[j].how, number_error[j].at, number);
            if (number[0] && number_error[j].how == 'w' &&
                number[number_error[j].at] == number[number_error[j].at + 1])
                continue; /* two equal neighbours: no error */
            bool offered;
            xjl_match_status st = match_row(m, wrong_name[i].name, reg[k].gender, reg[k].dob,
                                            number, reg[k].id, &offered);
            if (!number[0] && !wrong_name[i].without_number) {
                if (st != XJL_NOT_FOUND)
                    fail_msg("%s (%s) without a number: status %d, not not_found",
                             wrong_name[i].name, wrong_name[i].kind, (int)st);
                continue;
            }
            if (st != XJL_PENDING || !offered)
                fail_msg("%s (%s), number %c at %d: status %d, %s offered", wrong_name[i].name,
                         wrong_name[i].kind, number_error[j].how, number_error[j].at, (int)st,
                         reg[k].id);
        }
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* Two different children of one surname, born the same day, with
 * two-character names whose given names bear no relation: not offered for
 * each other (the registry's 张伟, 张强, 张磊 for a new 张刚 or 张明). */
static void test_two_character_namesakes_not_offered(void **state)
{
    (void)state;
    xjl_index *ix = registry();
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    const char *news[] = {"张刚", "张明", "李伟"};
    for (size_t i = 0; i < 3; i++) {
        char number[19];
        make_id(number, "110105", "20190401", 99);
        number[17] = number[17] == '0' ? '1' : '0'; /* fails its check */
        const char *numbers[] = {"", number};
        for (size_t j = 0; j < 2; j++) {
            bool offered;
            xjl_match_status st =
                match_row(m, news[i], "1", "2019-04-01", numbers[j], NULL, &offered);
            if (st != XJL_NOT_FOUND)
                fail_msg("%s with number '%s': status %d, not not_found", news[i], numbers[j],
                         (int)st);
        }
    }
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* A record added after the build is found by the near search, an updated
 * one under its new name, a removed one no more; the same once saved and
 * opened again. */
static void check_changed(const xjl_index *ix)
{
    xjl_matcher *m = NULL;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    bool offered;
    assert_int_equal(match_row(m, "赵末华", "2", "2016-02-03", "", "N1", &offered), XJL_PENDING);
    assert_true(offered);
    assert_int_equal(match_row(m, "王子杰", "1", "2019-03-05", "", "P3", &offered), XJL_NOT_FOUND);
    assert_int_equal(match_row(m, "周末文", "1", "2019-03-05", "", "P1", &offered), XJL_PENDING);
    assert_true(offered);
    xjl_matcher_free(m);
}

static void test_changed_records(void **state)
{
    (void)state;
    xjl_index *ix = registry();
    xjl_record added = {"赵未华", "2", "2016-02-03", "", ""};
    assert_int_equal(xjl_index_add(ix, "N1", &added), XJL_OK);
    assert_int_equal(xjl_index_remove(ix, "P3"), XJL_OK);
    xjl_record updated = {"周未文", "1", "2019-03-05", "居民身份证", reg_number[0]};
    assert_int_equal(xjl_index_update(ix, "P1", &updated), XJL_OK);
    check_changed(ix);
    char path[64];
    snprintf(path, sizeof path, "/tmp/xjl_near_%d.xjx", (int)getpid());
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    xjl_index *opened = NULL;
    assert_int_equal(xjl_index_open(&opened, path, XJL_INDEX_VERIFY), XJL_OK);
    check_changed(opened);
    xjl_index_free(opened);
    assert_int_equal(xjl_index_compact(ix, 1), XJL_OK);
    check_changed(ix);
    xjl_index_free(ix);
    unlink(path);
}

/* ix saved to a file of this process named after tag (into path) and
 * freed; the file's bytes read into buf; returns their count. */
static size_t saved(xjl_index *ix, const char *tag, char path[64], unsigned char *buf, size_t cap)
{
    snprintf(path, 64, "/tmp/xjl_near_%s_%d.xjx", tag, (int)getpid());
    assert_int_equal(xjl_index_save(ix, path), XJL_OK);
    xjl_index_free(ix);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t len = fread(buf, 1, cap, f);
    fclose(f);
    assert_true(len < cap);
    return len;
}

/* A file whose birth-date table is damaged: a clear error naming the table
 * (at open for its bounds, at verification for its elements), never a
 * wrong search. */
static void test_damaged_table(void **state)
{
    (void)state;
    char path[64];
    unsigned char buf[1 << 16];
    size_t len = saved(registry(), "d", path, buf, sizeof buf);
    FILE *f;
    /* find the sections of kinds 16 to 18 in the table after the 96-byte header */
    uint32_t nsec;
    memcpy(&nsec, buf + 20, 4);
    uint64_t days_off = 0, days_len = 0, el_off = 0, el_len = 0, sig_off = 0, sig_len = 0;
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *s = buf + 96 + 32 * i;
        uint32_t kind;
        uint64_t off, l;
        memcpy(&kind, s, 4);
        memcpy(&off, s + 8, 8);
        memcpy(&l, s + 16, 8);
        if (kind == 16)
            days_off = off, days_len = l;
        if (kind == 17)
            el_off = off, el_len = l;
        if (kind == 18)
            sig_off = off, sig_len = l;
    }
    assert_true(days_len >= 8 && el_len == NREG * 4 && sig_len == NREG * 2);
    struct {
        uint64_t at;
        unsigned char x;
    } flips[] = {{days_off + days_len - 1, 0x40},
                 {el_off, 0x01},
                 {el_off + 5, 0x10},
                 {sig_off, 0x01},
                 {sig_off + 3, 0x80}};
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        buf[flips[i].at] ^= flips[i].x;
        f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(buf, 1, len, f), len);
        fclose(f);
        assert_int_equal(xjl_index_verify(path), XJL_ECORRUPT);
        buf[flips[i].at] ^= flips[i].x;
    }
    /* truncated inside the table */
    assert_int_equal(truncate(path, (off_t)(el_off + 4)), 0);
    assert_int_not_equal(xjl_index_verify(path), XJL_OK);
    unlink(path);
}

/* A file whose birth-date table was damaged and resealed (the section's and
 * the header's checksums made right again), so that only the check of the
 * elements against the records can refuse it: an element naming no record,
 * two elements naming one record, a wrong signature, an element naming a
 * record without a birth date, two elements of different days exchanged.
 * Verification checks the records in their own order, not the table's: each
 * kind of damage must still be found. */
static void test_damaged_elements_resealed(void **state)
{
    (void)state;
    xjl_record undated = {"赵明", "1", "", "", ""}; /* position NREG, not in the table */
    char path[64];
    static unsigned char orig[1 << 16], buf[1 << 16];
    size_t len = saved(registry_with(&undated), "r", path, orig, sizeof orig);
    FILE *f;
    uint32_t nsec, hbytes;
    memcpy(&hbytes, orig + 16, 4);
    memcpy(&nsec, orig + 20, 4);
    /* kind 17: a position per element, by slot; kind 18: its signature */
    size_t sec_entry[2] = {0, 0};
    uint64_t sec_off[2] = {0, 0}, sec_len[2] = {0, 0};
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *s = orig + 96 + 32 * i;
        uint32_t kind;
        memcpy(&kind, s, 4);
        if (kind == 17 || kind == 18) {
            sec_entry[kind - 17] = 96 + 32 * (size_t)i;
            memcpy(&sec_off[kind - 17], s + 8, 8);
            memcpy(&sec_len[kind - 17], s + 16, 8);
        }
    }
    assert_int_equal(sec_len[0], NREG * 4);
    assert_int_equal(sec_len[1], NREG * 2);
    uint32_t pos[NREG];
    uint16_t sig[NREG];
    memcpy(pos, orig + sec_off[0], sizeof pos);
    memcpy(sig, orig + sec_off[1], sizeof sig);
    /* the first element is of the earliest day (陈未, 2017), the last of the latest */
    assert_int_equal(pos[0], 7);
    uint32_t last = NREG - 1, dup = pos[0], out = NREG + 1, undated_pos = NREG;
    enum { POS, SIG };
    struct {
        size_t k, field;
        const uint32_t *value; /* NULL: elements 0 and `last` exchanged */
        uint32_t flip;
    } damage[] = {
        {0, POS, NULL, 0},          /* the table as saved: sound */
        {3, POS, &out, 0},          /* a record that does not exist */
        {5, POS, &dup, 0},          /* the record of element 0 again */
        {2, SIG, NULL, 0x0100},     /* a signature one character off */
        {4, POS, &undated_pos, 0},  /* a record without a birth date */
        {0, POS, NULL, UINT32_MAX}, /* elements 0 and `last` exchanged */
    };
    for (size_t d = 0; d < sizeof damage / sizeof damage[0]; d++) {
        memcpy(buf, orig, len);
        uint32_t p2[NREG];
        uint16_t s2[NREG];
        memcpy(p2, pos, sizeof p2);
        memcpy(s2, sig, sizeof s2);
        if (damage[d].value)
            p2[damage[d].k] = *damage[d].value;
        else if (damage[d].flip == UINT32_MAX) {
            p2[0] = pos[last], p2[last] = pos[0];
            s2[0] = sig[last], s2[last] = sig[0];
        } else if (damage[d].field == SIG)
            s2[damage[d].k] ^= (uint16_t)damage[d].flip;
        else
            p2[damage[d].k] ^= damage[d].flip;
        memcpy(buf + sec_off[0], p2, sizeof p2);
        memcpy(buf + sec_off[1], s2, sizeof s2);
        uint64_t zero = 0, h;
        for (int k = 0; k < 2; k++) {
            h = XXH3_64bits(buf + sec_off[k], (size_t)sec_len[k]);
            memcpy(buf + sec_entry[k] + 24, &h, 8);
        }
        memcpy(buf + 88, &zero, 8);
        h = XXH3_64bits(buf, hbytes);
        memcpy(buf + 88, &h, 8);
        f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(buf, 1, len, f), len);
        fclose(f);
        if (d == 0) {
            assert_int_equal(xjl_index_verify(path), XJL_OK);
            continue;
        }
        assert_int_equal(xjl_index_verify(path), XJL_ECORRUPT);
        if (!strstr(xjl_errmsg(), "birth-date table"))
            fail_msg("damage %zu: %s", d, xjl_errmsg());
        xjl_index *plain = NULL; /* opened without verification: used without a crash */
        if (xjl_index_open(&plain, path, 0) == XJL_OK) {
            xjl_matcher *m = NULL;
            assert_int_equal(xjl_matcher_new(&m, plain), XJL_OK);
            bool offered;
            (void)match_row(m, "王柏闻", "1", "2019-03-05", "", "P1", &offered);
            xjl_matcher_free(m);
            xjl_index_free(plain);
        }
    }
    unlink(path);
}

/* The signature keeps names of the same length one character apart. */
static void test_signature(void **state)
{
    (void)state;
    uint32_t a[3] = {0x738b, 0x5b50, 0x8f69}, b[3] = {0x738b, 0x5b50, 0x6770};
    uint32_t c[3] = {0x5468, 0x5b50, 0x6770};
    assert_true(xjl__near_sig_close(xjl__near_sig(a, 3), xjl__near_sig(b, 3)));
    assert_false(xjl__near_sig_close(xjl__near_sig(a, 3), xjl__near_sig(c, 3)));
    assert_false(xjl__near_sig_close(xjl__near_sig(a, 3), xjl__near_sig(a, 2)));
    assert_true(xjl__near_sig_close(xjl__near_sig(a, 3), xjl__near_sig(a, 3)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind_with_each_number_error),
        cmocka_unit_test(test_two_character_namesakes_not_offered),
        cmocka_unit_test(test_changed_records),
        cmocka_unit_test(test_damaged_table),
        cmocka_unit_test(test_damaged_elements_resealed),
        cmocka_unit_test(test_signature),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
