/* 身份证件号: GB 11643 citizen numbers, permits, residence cards, others. */
#include "fields/fields.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#define F(code) XJL_FINDING_BIT(XJL_F_##code)

/* The check character computed another way than the library: weight of
 * position i is 2^(17-i) mod 11 by repeated doubling, and the check value
 * is the c that makes S + c = 1 (mod 11), i.e. (12 - S mod 11) mod 11. */
static char ref_check(const char *first17)
{
    int s = 0;
    for (int i = 0; i < 17; i++) {
        int w = 1;
        for (int k = 0; k < 17 - i; k++)
            w = w * 2 % 11;
        s += (first17[i] - '0') * w;
    }
    int c = (12 - s % 11) % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

/* splitmix64: a seeded generator, so a failure can be replayed. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static int month_days(int y, int m)
{
    if (m == 2)
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
    return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

struct person {
    char number[19];
    int y, m, d;
    xjl_gender gender;
    int32_t region;
};

/* Regions known to GB/T 2260, current and abolished. */
static const int32_t known_regions[] = {
    110101, 110105, 110223, 130122, 310104, 360426, 440308, 510107, 650102, 540102,
};

static void random_person(uint64_t *rng, struct person *p)
{
    p->region = known_regions[rng_next(rng) % XJL_ARRAY_LEN(known_regions)];
    p->y = 1900 + (int)(rng_next(rng) % 200);
    p->m = 1 + (int)(rng_next(rng) % 12);
    p->d = 1 + (int)(rng_next(rng) % (uint64_t)month_days(p->y, p->m));
    int seq = (int)(rng_next(rng) % 1000);
    p->gender = (seq % 2) ? XJL_GENDER_MALE : XJL_GENDER_FEMALE;
    snprintf(p->number, sizeof p->number, "%06d%04d%02d%02d%03d", (int)p->region, p->y, p->m, p->d,
             seq);
    p->number[17] = ref_check(p->number);
    p->number[18] = '\0';
}

static uint32_t error_bits(uint32_t findings)
{
    uint32_t e = 0;
    for (int f = 0; f < XJL_F_COUNT; f++)
        if ((findings & XJL_FINDING_BIT(f)) && xjl_finding_is_error(f))
            e |= XJL_FINDING_BIT(f);
    return e;
}

/* What every parse must hold, whatever the input. */
static void assert_consistent(int rc, const xjl_id_info *info)
{
    assert_int_equal(rc == XJL_OK, error_bits(info->findings) == 0);
    assert_int_equal(info->expected_check != 0, (info->findings & F(ID_CHECK)) != 0);
    assert_true(strlen(info->normalized) < XJL_ID_MAX);
}

static void test_published_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *number;
        int y, m, d;
        xjl_gender gender;
        int32_t region;
    } rows[] = {
        {"360426199101010071", 1991, 1, 1, XJL_GENDER_MALE, 360426},
        {"440308199901101512", 1999, 1, 10, XJL_GENDER_MALE, 440308},
        {"11010519491231002X", 1949, 12, 31, XJL_GENDER_FEMALE, 110105},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        assert_int_equal(ref_check(rows[i].number), rows[i].number[17]);
        assert_int_equal(xjl_id_check_char(rows[i].number), rows[i].number[17]);
        xjl_id_info info;
        assert_int_equal(xjl_id_parse(rows[i].number, XJL_NTS, XJL_IDTYPE_RESIDENT, &info), XJL_OK);
        assert_string_equal(info.normalized, rows[i].number);
        assert_int_equal(info.kind, XJL_IDKIND_CITIZEN);
        assert_int_equal(info.findings, 0);
        assert_int_equal(info.birth_date, xjl_date_from_ymd(rows[i].y, rows[i].m, rows[i].d));
        assert_int_equal(info.gender, rows[i].gender);
        assert_int_equal(info.region, rows[i].region);
        assert_int_equal(info.expected_check, 0);
    }
}

static void test_check_char(void **state)
{
    (void)state;
    assert_int_equal(xjl_id_check_char("36042619910101007"), '1');
    assert_int_equal(xjl_id_check_char("11010519491231002"), 'X');
    /* Not 17 digits: no check character, and nothing read past a NUL. */
    assert_int_equal(xjl_id_check_char("3604261991010100A"), 0);
    assert_int_equal(xjl_id_check_char("360426"), 0);
    assert_int_equal(xjl_id_check_char(""), 0);
    assert_int_equal(xjl_id_check_char(NULL), 0);
    /* Every residue mod 11 maps as the standard's table says. */
    static const char by_residue[] = "10X98765432";
    char body[18] = "00000000000000000";
    for (int digit = 0; digit <= 9; digit++) {
        body[16] = (char)('0' + digit); /* weight 2 */
        for (int d2 = 0; d2 <= 9; d2++) {
            body[15] = (char)('0' + d2); /* weight 4 */
            int s = digit * 2 + d2 * 4;
            assert_int_equal(xjl_id_check_char(body), by_residue[s % 11]);
        }
    }
}

/* 10,000 generated numbers against the independent formula. */
static void test_generated_numbers(void **state)
{
    (void)state;
    uint64_t rng = 20190901;
    for (int i = 0; i < 10000; i++) {
        struct person p;
        random_person(&rng, &p);
        assert_int_equal(xjl_id_check_char(p.number), p.number[17]);
        xjl_id_info info;
        int rc = xjl_id_parse(p.number, XJL_NTS, XJL_IDTYPE_NONE, &info);
        if (rc != XJL_OK)
            fail_msg("%s: %s", p.number, xjl_errmsg());
        assert_consistent(rc, &info);
        assert_int_equal(info.kind, XJL_IDKIND_CITIZEN);
        assert_int_equal(info.findings, 0);
        assert_string_equal(info.normalized, p.number);
        assert_int_equal(info.birth_date, xjl_date_from_ymd(p.y, p.m, p.d));
        assert_int_equal(info.gender, p.gender);
        assert_int_equal(info.region, p.region);
    }
}

/* MOD 11-2 catches every single substitution and every adjacent
 * transposition: try them all on the published numbers and 300 more. */
static void check_all_typos(const char *valid)
{
    static const char alphabet[] = "0123456789X";
    char n[19];
    xjl_id_info info;
    for (int i = 0; i < 18; i++) {
        for (const char *a = alphabet; *a; a++) {
            if (*a == valid[i])
                continue;
            memcpy(n, valid, 19);
            n[i] = *a;
            int rc = xjl_id_parse(n, 18, XJL_IDTYPE_RESIDENT, &info);
            assert_consistent(rc, &info);
            if (rc == XJL_OK)
                fail_msg("substitution %s of %s not detected", n, valid);
            if (*a == 'X' && i < 17)
                assert_true(info.findings & F(ID_CHARS));
            else if (!(info.findings & F(ID_CHECK)))
                fail_msg("substitution %s of %s: no id_check", n, valid);
        }
    }
    for (int i = 0; i < 17; i++) {
        if (valid[i] == valid[i + 1])
            continue;
        memcpy(n, valid, 19);
        n[i] = valid[i + 1];
        n[i + 1] = valid[i];
        int rc = xjl_id_parse(n, 18, XJL_IDTYPE_RESIDENT, &info);
        assert_consistent(rc, &info);
        if (rc == XJL_OK)
            fail_msg("transposition %s of %s not detected", n, valid);
        if (n[i] == 'X') /* the check X moved into the body */
            assert_true(info.findings & F(ID_CHARS));
        else if (!(info.findings & F(ID_CHECK)))
            fail_msg("transposition %s of %s: no id_check", n, valid);
    }
}

static void test_typos_detected(void **state)
{
    (void)state;
    check_all_typos("360426199101010071");
    check_all_typos("440308199901101512");
    check_all_typos("11010519491231002X");
    uint64_t rng = 42;
    for (int i = 0; i < 300; i++) {
        struct person p;
        random_person(&rng, &p);
        check_all_typos(p.number);
    }
}

struct id_row {
    const char *s;
    xjl_id_type type;
    int rc;
    xjl_id_kind kind;
    uint32_t findings;
    const char *normalized;
    char expected_check;
};

static void run_rows(const struct id_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xjl_id_info info;
        memset(&info, 0x5A, sizeof info); /* every field must be filled */
        xjl__clear_error();
        int rc = xjl_id_parse(rows[i].s, XJL_NTS, rows[i].type, &info);
        assert_consistent(rc, &info);
        if (rc != rows[i].rc || info.kind != rows[i].kind || info.findings != rows[i].findings ||
            strcmp(info.normalized, rows[i].normalized) != 0 ||
            info.expected_check != rows[i].expected_check)
            fail_msg("row %zu '%s' type '%c': rc %d kind %d findings %#x '%s' check '%c' (%s)", i,
                     rows[i].s, rows[i].type ? (int)rows[i].type : '-', rc, (int)info.kind,
                     (unsigned)info.findings, info.normalized,
                     info.expected_check ? info.expected_check : '-', xjl_errmsg());
        if (rc != XJL_OK)
            assert_non_null(strstr(xjl_errmsg(), "id_number"));
    }
}

#define NONE XJL_IDTYPE_NONE
#define OK XJL_OK
#define BAD XJL_EINVAL
#define CIT XJL_IDKIND_CITIZEN
#define HMT XJL_IDKIND_HMT
#define PRN XJL_IDKIND_PR_NEW
#define PRO XJL_IDKIND_PR_OLD
#define OTH XJL_IDKIND_OTHER
#define EMP XJL_IDKIND_EMPTY

static void test_citizen_rules(void **state)
{
    (void)state;
    static const struct id_row rows[] = {
        /* normalisation */
        {"11010519491231002x", NONE, OK, CIT, 0, "11010519491231002X", 0},
        {"１１０１０５１９４９１２３１００２Ｘ", NONE, OK, CIT, 0, "11010519491231002X", 0},
        {"１１０１０５１９４９１２３１００２ｘ", '1', OK, CIT, 0, "11010519491231002X", 0},
        {" 3604 2619 9101 0100 71 ", '1', OK, CIT, 0, "360426199101010071", 0},
        {"360426-19910101-0071", 'B', OK, CIT, 0, "360426199101010071", 0},
        {"'360426199101010071", '1', OK, CIT, 0, "360426199101010071", 0},
        {"\"360426199101010071\"", '1', OK, CIT, 0, "360426199101010071", 0},
        {"\xE3\x80\x80"
         "360426199101010071\t",
         '1', OK, CIT, 0, "360426199101010071", 0},
        {"360426199101010071", 'C', OK, CIT, 0, "360426199101010071", 0},
        /* one finding per fault */
        {"360426199101010072", '1', BAD, CIT, F(ID_CHECK), "360426199101010072", '1'},
        {"360426199102300070", '1', BAD, CIT, F(ID_DATE), "360426199102300070", 0},
        {"36042618991231001X", '1', BAD, CIT, F(ID_DATE), "36042618991231001X", 0},
        {"36042621000101001X", 'B', BAD, CIT, F(ID_DATE), "36042621000101001X", 0},
        {"360426209912310082", '1', OK, CIT, 0, "360426209912310082", 0},
        {"440308201802290012", '1', BAD, CIT, F(ID_DATE), "440308201802290012", 0},
        {"440308202002290027", '1', OK, CIT, 0, "440308202002290027", 0},
        {"36042619910101007", '1', BAD, CIT, F(ID_LENGTH), "36042619910101007", 0},
        {"3604261991010100711", '1', BAD, CIT, F(ID_LENGTH), "3604261991010100711", 0},
        {"36042619910101007", NONE, BAD, CIT, F(ID_LENGTH), "36042619910101007", 0},
        {"36042619910101007A", '1', BAD, CIT, F(ID_CHARS) | F(ID_CHECK), "36042619910101007A", '1'},
        {"3604261991O1010071", '1', BAD, CIT, F(ID_CHARS), "3604261991O1010071", 0},
        {"E12345678", '1', BAD, CIT, F(ID_LENGTH), "E12345678", 0},
        {"USA123456789012", 'B', BAD, CIT, F(ID_CHARS), "USA123456789012", 0},
        {"三六〇四二六", '1', BAD, CIT, F(ID_CHARS), "三六〇四二六", 0},
        {"123456789012345677", NONE, BAD, CIT, F(ID_DATE) | F(ID_REGION), "123456789012345677", 0},
        /* regions: unknown is a warning; an abolished code is known */
        {"110199201001010010", '1', OK, CIT, F(ID_REGION), "110199201001010010", 0},
        {"110223198001010030", '1', OK, CIT, 0, "110223198001010030", 0},
        /* old 15-digit numbers */
        {"360426910101007", '1', OK, CIT, F(ID_CONVERTED15), "360426199101010071", 0},
        {"110105491231002", NONE, OK, CIT, F(ID_CONVERTED15), "11010519491231002X", 0},
        {"３６０４２６９１０１０１００７", 'B', OK, CIT, F(ID_CONVERTED15), "360426199101010071",
         0},
        {"360426911301007", '1', BAD, CIT, F(ID_DATE), "360426911301007", 0},
        {"110199100101001", '1', OK, CIT, F(ID_CONVERTED15) | F(ID_REGION), "110199191001010014",
         0},
    };
    run_rows(rows, XJL_ARRAY_LEN(rows));
}

static void test_other_documents(void **state)
{
    (void)state;
    static const struct id_row rows[] = {
        /* Hong Kong, Macao, Taiwan residence permits: no region warning */
        {"810000201001010019", NONE, OK, HMT, 0, "810000201001010019", 0},
        {"820000200512310029", 'C', OK, HMT, 0, "820000200512310029", 0},
        {"830000201506150037", 'C', OK, HMT, 0, "830000201506150037", 0},
        {"830000201506150037", '1', OK, HMT, F(ID_TYPE_MISMATCH), "830000201506150037", 0},
        {"810000201001010018", 'C', BAD, HMT, F(ID_CHECK), "810000201001010018", '9'},
        {"81000020100101001", 'C', BAD, HMT, F(ID_LENGTH), "81000020100101001", 0},
        {"810000201002300011", 'C', BAD, HMT, F(ID_DATE) | F(ID_CHECK), "810000201002300011", '8'},
        /* permanent residence cards, new and old */
        {"911840198505050019", '9', OK, PRN, 0, "911840198505050019", 0},
        {"911840198505050019", NONE, OK, PRN, 0, "911840198505050019", 0},
        {"911840198505050018", '9', BAD, PRN, F(ID_CHECK), "911840198505050018", '9'},
        {"911840198505050019", '1', OK, PRN, F(ID_TYPE_MISMATCH), "911840198505050019", 0},
        {"USA123456789012", '9', OK, PRO, 0, "USA123456789012", 0},
        {"usa 1234 5678 9012", '9', OK, PRO, 0, "USA123456789012", 0},
        {"USA123456789012", NONE, OK, PRO, 0, "USA123456789012", 0},
        {"US1234567890123", '9', BAD, PRO, F(ID_CHARS), "US1234567890123", 0},
        {"USA12345678901", '9', BAD, PRO, F(ID_LENGTH), "USA12345678901", 0},
        {"12345", '9', BAD, PRN, F(ID_LENGTH), "12345", 0},
        {"360426199101010071", '9', OK, CIT, F(ID_TYPE_MISMATCH), "360426199101010071", 0},
        /* documents without a scheme: normalised only */
        {"e1234 5678", 'A', OK, OTH, 0, "E12345678", 0},
        {"E12345678", NONE, OK, OTH, 0, "E12345678", 0},
        {"H12345678", '6', OK, OTH, 0, "H12345678", 0},
        {"h 1234567890", '6', OK, OTH, 0, "H1234567890", 0},
        {"M12345678", '7', OK, OTH, 0, "M12345678", 0},
        {"12345678", '8', OK, OTH, 0, "12345678", 0},
        {"A123456(7)", '6', OK, OTH, 0, "A1234567", 0},
        {"Ｇ１２３４５６７８", 'A', OK, OTH, 0, "G12345678", 0},
        {"12345", '2', OK, OTH, 0, "12345", 0},
        {"AB#123", 'A', BAD, OTH, F(ID_CHARS), "AB#123", 0},
        {"护照123", 'Z', BAD, OTH, F(ID_CHARS), "护照123", 0},
        {"ab#", NONE, BAD, OTH, F(ID_CHARS), "AB#", 0},
        /* ... but a valid citizen-scheme number is recognised as one */
        {"360426199101010071", 'A', OK, CIT, F(ID_TYPE_MISMATCH), "360426199101010071", 0},
        {"110199201001010010", 'Z', OK, CIT, F(ID_TYPE_MISMATCH) | F(ID_REGION),
         "110199201001010010", 0},
        {"810000201001010019", '8', OK, HMT, F(ID_TYPE_MISMATCH), "810000201001010019", 0},
        {"360426199101010072", 'A', OK, OTH, 0, "360426199101010072", 0},
        /* no number */
        {"", NONE, OK, EMP, F(ID_MISSING), "", 0},
        {"", '1', OK, EMP, F(ID_MISSING), "", 0},
        {" \xE3\x80\x80 ", 'Z', OK, EMP, F(ID_MISSING), "", 0},
        {"-", '1', OK, EMP, F(ID_MISSING), "", 0},
        /* a word or zeros where the number goes: no number either */
        {"无", '1', OK, EMP, F(ID_MISSING), "", 0},
        {"暂无", NONE, OK, EMP, F(ID_MISSING), "", 0},
        {"未办理", 'Z', OK, EMP, F(ID_MISSING), "", 0},
        {"/", '1', OK, EMP, F(ID_MISSING), "", 0},
        {"n/a", 'A', OK, EMP, F(ID_MISSING), "", 0},
        {"NULL", NONE, OK, EMP, F(ID_MISSING), "", 0},
        {"N.A.", 'Z', OK, EMP, F(ID_MISSING), "", 0},
        {")NA", '2', OK, EMP, F(ID_MISSING), "", 0}, /* as its normalised "NA" */
        {"NAN", 'Z', OK, OTH, 0, "NAN", 0},          /* a word not of these: a number */
        {"0", 'Z', OK, EMP, F(ID_MISSING), "", 0},
        {"000000000000000000", '1', OK, EMP, F(ID_MISSING), "", 0},
        {"００００００００００００００００００", NONE, OK, EMP, F(ID_MISSING), "", 0},
        /* ... but a digit from 1 to 9, a letter or a numeral makes a
         * number, to be checked */
        {"000000000000000010", '1', BAD, CIT, F(ID_REGION) | F(ID_DATE) | F(ID_CHECK),
         "000000000000000010", 'X'},
        {"E0000001", 'A', OK, OTH, 0, "E0000001", 0},
        /* bad input */
        {"\xFF"
         "360426199101010071",
         '1', BAD, OTH, F(ENCODING), "", 0},
        {"36042619910101007\xC3", NONE, BAD, OTH, F(ENCODING), "", 0},
        {"1234567890123456789012345678901234567890123456789012345678901234", NONE, BAD, OTH,
         F(TOO_LONG), "", 0},
        {"123456789012345678901234567890123456789012345678901234567890123", NONE, OK, OTH, 0,
         "123456789012345678901234567890123456789012345678901234567890123", 0},
    };
    run_rows(rows, XJL_ARRAY_LEN(rows));
}

static void test_derived_fields(void **state)
{
    (void)state;
    xjl_id_info info;
    /* A 15-digit number: the converted number's birth date and gender. */
    assert_int_equal(xjl_id_parse("360426910101007", XJL_NTS, XJL_IDTYPE_NONE, &info), XJL_OK);
    assert_int_equal(info.birth_date, xjl_date_from_ymd(1991, 1, 1));
    assert_int_equal(info.gender, XJL_GENDER_MALE);
    assert_int_equal(info.region, 360426);
    assert_string_equal(xjl_region_name(info.region), "德安县");
    /* A permit holder's birth date and gender, region 830000. */
    assert_int_equal(xjl_id_parse("830000201506150037", XJL_NTS, XJL_IDTYPE_NONE, &info), XJL_OK);
    assert_int_equal(info.birth_date, xjl_date_from_ymd(2015, 6, 15));
    assert_int_equal(info.gender, XJL_GENDER_MALE);
    assert_int_equal(info.region, 830000);
    /* Female: even sequence digit, 0 included. */
    assert_int_equal(xjl_id_parse("820000200512310029", XJL_NTS, XJL_IDTYPE_NONE, &info), XJL_OK);
    assert_int_equal(info.gender, XJL_GENDER_FEMALE);
    /* Nothing derived from documents without a scheme. */
    assert_int_equal(xjl_id_parse("E12345678", XJL_NTS, XJL_IDTYPE_PASSPORT, &info), XJL_OK);
    assert_int_equal(info.birth_date, XJL_DATE_NONE);
    assert_int_equal(info.gender, XJL_GENDER_UNKNOWN);
    assert_int_equal(info.region, 0);
    /* A wrong check still tells what the number says and the right check. */
    assert_int_equal(xjl_id_parse("360426199101010072", XJL_NTS, XJL_IDTYPE_RESIDENT, &info),
                     XJL_EINVAL);
    assert_int_equal(info.birth_date, xjl_date_from_ymd(1991, 1, 1));
    assert_int_equal(info.expected_check, '1');
    assert_non_null(strstr(xjl_errmsg(), "360426199101010072"));
    assert_non_null(strstr(xjl_errmsg(), "expected '1'"));
}

static void test_bad_input(void **state)
{
    (void)state;
    xjl_id_info info;

    assert_int_equal(xjl_id_parse(NULL, XJL_NTS, XJL_IDTYPE_RESIDENT, &info), XJL_OK);
    assert_int_equal(info.kind, XJL_IDKIND_EMPTY);
    assert_int_equal(info.findings, F(ID_MISSING));

    assert_int_equal(xjl_id_parse("360426199101010071\0"
                                  "9",
                                  20, XJL_IDTYPE_RESIDENT, &info),
                     XJL_EINVAL);
    assert_int_equal(info.findings, F(NUL));
    assert_non_null(strstr(xjl_errmsg(), "NUL byte at offset 18"));
    assert_int_equal(xjl_id_parse("360426199101010071\0"
                                  "9",
                                  18, XJL_IDTYPE_RESIDENT, &info),
                     XJL_OK);

    static char big[10001]; /* a 10,000-character field */
    memset(big, '7', 10000);
    big[10000] = '\0';
    assert_int_equal(xjl_id_parse(big, XJL_NTS, XJL_IDTYPE_RESIDENT, &info), XJL_EINVAL);
    assert_int_equal(info.findings, F(TOO_LONG));
    assert_string_equal(info.normalized, "");
    /* Padding does not count. */
    memset(big, ' ', 10000);
    memcpy(big + 9000, "360426199101010071", 18);
    assert_int_equal(xjl_id_parse(big, XJL_NTS, XJL_IDTYPE_RESIDENT, &info), XJL_OK);
    assert_string_equal(info.normalized, "360426199101010071");

    /* Overlong, surrogate, truncated sequences. */
    static const char *const bad_utf8[] = {"\xC0\xB3"
                                           "60426199101010071",
                                           "3604\xED\xA0\x80", "360426199101010071\xE3\x80"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(bad_utf8); i++) {
        assert_int_equal(xjl_id_parse(bad_utf8[i], XJL_NTS, XJL_IDTYPE_NONE, &info), XJL_EINVAL);
        assert_int_equal(info.findings, F(ENCODING));
        assert_non_null(strstr(xjl_errmsg(), "UTF-8"));
    }

    assert_int_equal(xjl_id_parse("360426199101010071", XJL_NTS, (xjl_id_type)'Q', &info),
                     XJL_EINVAL);
    assert_int_equal(xjl_id_parse("360426199101010071", XJL_NTS, XJL_IDTYPE_NONE, NULL),
                     XJL_EINVAL);
}

/* Random bytes never crash the parser and always give a consistent answer. */
static void test_random_bytes(void **state)
{
    (void)state;
    static const char pool[] = "0123456789Xx -AZaz()#\xE3\x80\x80\xEF\xBC\x91\xFF\x80\xC3";
    uint64_t rng = 7;
    char buf[80];
    for (int i = 0; i < 20000; i++) {
        size_t len = rng_next(&rng) % sizeof buf;
        for (size_t k = 0; k < len; k++)
            buf[k] = pool[rng_next(&rng) % (sizeof pool - 1)];
        static const xjl_id_type types[] = {XJL_IDTYPE_NONE, XJL_IDTYPE_RESIDENT,
                                            XJL_IDTYPE_HMT_RESIDENCE, XJL_IDTYPE_FOREIGN_PR,
                                            XJL_IDTYPE_PASSPORT};
        xjl_id_info info;
        int rc = xjl_id_parse(buf, len, types[i % 5], &info);
        assert_consistent(rc, &info);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_numbers), cmocka_unit_test(test_check_char),
        cmocka_unit_test(test_generated_numbers), cmocka_unit_test(test_typos_detected),
        cmocka_unit_test(test_citizen_rules),     cmocka_unit_test(test_other_documents),
        cmocka_unit_test(test_derived_fields),    cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
