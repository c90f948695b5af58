/*
 * The key field parsers' fast paths against their generic paths.
 *
 * Each parser takes a shortcut for the spellings nearly every row has (男/女,
 * 居民身份证, YYYY-MM-DD, a clean 18-digit citizen number, a name of
 * ideographs only, a value that needs no clean-up).  The shortcut must never
 * change a result: every input here is read twice, once as the library reads
 * it and once with xjl__fast_paths_off (the generic path alone), and
 * everything compared: return code, every output field, the findings and the
 * thread's message.  The inputs are the common spellings, their near misses
 * (one byte off, a space, a NUL, a length cut short or running over) and many
 * random concatenations of such fragments.
 */
#include "fields/fields.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "citizen_ids.h"

/* ---- one input, both ways ------------------------------------------------ */

/* A message no parser writes: a call that sets none leaves it. */
#define UNTOUCHED "(untouched)"

static void reset_message(void)
{
    xjl__fail(XJL_OK, UNTOUCHED);
}

struct run {
    int rc;
    char msg[1024];
};

static void finish(struct run *r, int rc)
{
    r->rc = rc;
    snprintf(r->msg, sizeof r->msg, "%s", xjl_errmsg());
}

static void same_run(const struct run *fast, const struct run *slow, const char *what,
                     const char *s, size_t len)
{
    if (fast->rc != slow->rc || strcmp(fast->msg, slow->msg) != 0)
        fail_msg("%s '%.*s' (len %zu): rc %d '%s' fast, rc %d '%s' generic", what,
                 s && len != XJL_NTS ? (int)len : 64, s ? s : "(null)",
                 len == XJL_NTS ? (size_t)0 : len, fast->rc, fast->msg, slow->rc, slow->msg);
}

static size_t checks; /* inputs compared, for the summary */

static void gender_both(const char *s, size_t len)
{
    struct run r[2];
    xjl_gender g[2];
    for (int slow = 0; slow < 2; slow++) {
        xjl__fast_paths_off = slow;
        g[slow] = (xjl_gender)-7;
        reset_message();
        finish(&r[slow], xjl_gender_parse(s, len, &g[slow]));
    }
    xjl__fast_paths_off = false;
    same_run(&r[0], &r[1], "gender", s, len);
    assert_int_equal(g[0], g[1]);
    checks++;
}

static void id_type_both(const char *s, size_t len)
{
    struct run r[2];
    xjl_id_type t[2];
    for (int slow = 0; slow < 2; slow++) {
        xjl__fast_paths_off = slow;
        t[slow] = (xjl_id_type)-7;
        reset_message();
        finish(&r[slow], xjl_id_type_parse(s, len, &t[slow]));
    }
    xjl__fast_paths_off = false;
    same_run(&r[0], &r[1], "id_type", s, len);
    assert_int_equal(t[0], t[1]);
    checks++;
}

static void date_both(const char *s, size_t len)
{
    struct run r[2];
    int32_t d[2];
    xjl_finding f[2];
    for (int slow = 0; slow < 2; slow++) {
        xjl__fast_paths_off = slow;
        d[slow] = -7;
        f[slow] = XJL_F_COUNT;
        reset_message();
        finish(&r[slow], xjl_date_parse(s, len, &d[slow], &f[slow]));
    }
    xjl__fast_paths_off = false;
    same_run(&r[0], &r[1], "birth_date", s, len);
    assert_int_equal(d[0], d[1]);
    assert_int_equal(f[0], f[1]);
    checks++;
}

static void same_id(const xjl_id_info *a, const xjl_id_info *b)
{
    assert_string_equal(a->normalized, b->normalized);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->findings, b->findings);
    assert_int_equal(a->birth_date, b->birth_date);
    assert_int_equal(a->gender, b->gender);
    assert_int_equal(a->region, b->region);
    assert_int_equal(a->expected_check, b->expected_check);
}

static const xjl_id_type all_types[] = {
    XJL_IDTYPE_NONE,          XJL_IDTYPE_RESIDENT,       XJL_IDTYPE_OFFICER,
    XJL_IDTYPE_SOLDIER,       XJL_IDTYPE_CIVILIAN_CADRE, XJL_IDTYPE_ARMY_RETIRED,
    XJL_IDTYPE_HONGKONG,      XJL_IDTYPE_MACAO,          XJL_IDTYPE_TAIWAN,
    XJL_IDTYPE_FOREIGN_PR,    XJL_IDTYPE_PASSPORT,       XJL_IDTYPE_HOUSEHOLD,
    XJL_IDTYPE_HMT_RESIDENCE, XJL_IDTYPE_OTHER,          (xjl_id_type)'Q' /* not a type */,
};

static void id_both(const char *s, size_t len, xjl_id_type type)
{
    struct run r[2];
    xjl_id_info id[2];
    for (int slow = 0; slow < 2; slow++) {
        xjl__fast_paths_off = slow;
        memset(&id[slow], 0x5A, sizeof id[slow]);
        reset_message();
        finish(&r[slow], xjl_id_parse(s, len, type, &id[slow]));
    }
    xjl__fast_paths_off = false;
    same_run(&r[0], &r[1], "id_number", s, len);
    same_id(&id[0], &id[1]);
    checks++;
}

static void id_all_types(const char *s, size_t len)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(all_types); i++)
        id_both(s, len, all_types[i]);
}

static void name_both(const char *s, size_t len)
{
    struct run r[2];
    static struct xjl_name_forms f[2];
    for (int slow = 0; slow < 2; slow++) {
        xjl__fast_paths_off = slow;
        memset(&f[slow], 0x5A, sizeof f[slow]);
        reset_message();
        finish(&r[slow], xjl__name_forms(s, len, &f[slow]));
    }
    xjl__fast_paths_off = false;
    same_run(&r[0], &r[1], "name", s, len);
    assert_int_equal(f[0].display_len, f[1].display_len);
    assert_int_equal(f[0].bare_len, f[1].bare_len);
    assert_int_equal(f[0].simplified_len, f[1].simplified_len);
    /* each form up to and with its NUL */
    assert_memory_equal(f[0].display, f[1].display, f[0].display_len + 1u);
    assert_memory_equal(f[0].bare, f[1].bare, f[0].bare_len + 1u);
    assert_memory_equal(f[0].simplified, f[1].simplified, f[0].simplified_len + 1u);
    assert_int_equal(f[0].ncps, f[1].ncps);
    if (r[0].rc == XJL_OK) { /* a failed name leaves the code points unset */
        assert_memory_equal(f[0].cps, f[1].cps, f[0].ncps * sizeof f[0].cps[0]);
        assert_memory_equal(f[0].pinyin, f[1].pinyin, f[0].ncps * sizeof f[0].pinyin[0]);
    }
    assert_int_equal(f[0].findings, f[1].findings);
    assert_int_equal(f[0].latin, f[1].latin);
    assert_int_equal(f[0].has_placeholder, f[1].has_placeholder);
    assert_int_equal(f[0].variant_ambiguous, f[1].variant_ambiguous);
    checks++;
}

/* Every field parser on s, as a NUL-terminated string and with explicit
 * lengths: its own, one short of it (a character cut in two) and one past
 * it (the NUL inside).  An explicit length is given with a copy of exactly
 * that many bytes on the heap, so that a sanitizer build sees any byte read
 * past them. */
static void all_parsers(const char *s)
{
    size_t n = strlen(s);
    size_t lens[] = {XJL_NTS, n, n > 0 ? n - 1 : 0, n + 1};
    for (size_t i = 0; i < XJL_ARRAY_LEN(lens); i++) {
        char *copy = NULL;
        const char *v = s;
        if (lens[i] != XJL_NTS) {
            copy = malloc(lens[i] ? lens[i] : 1);
            assert_non_null(copy);
            memcpy(copy, s, lens[i]);
            v = copy;
        }
        gender_both(v, lens[i]);
        id_type_both(v, lens[i]);
        date_both(v, lens[i]);
        name_both(v, lens[i]);
        id_all_types(v, lens[i]);
        free(copy);
    }
}

/* ---- the fields ---------------------------------------------------------- */

/* Spaces of every kind the clean-up drops, and a few it does not. */
static const char *const pads[] = {
    "", " ", "  ", "\t", "\r\n", "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\x8B", "\xEF\xBB\xBF", "x",
};

static void padded(const char *v)
{
    char buf[256];
    for (size_t a = 0; a < XJL_ARRAY_LEN(pads); a++)
        for (size_t b = 0; b < XJL_ARRAY_LEN(pads); b++) {
            snprintf(buf, sizeof buf, "%s%s%s", pads[a], v, pads[b]);
            all_parsers(buf);
        }
}

static void test_gender_and_type_words(void **state)
{
    (void)state;
    static const char *const words[] = {
        "男",
        "女",
        "男性",
        "女性",
        "男生",
        "女生",
        "男男",
        "男女",
        "男x",
        "1",
        "2",
        "0",
        "9",
        "3",
        "M",
        "F",
        "m",
        "f",
        "male",
        "Female",
        "FEMALE",
        "Ｍ",
        "ｆ",
        "１",
        "未知",
        "未知的性别",
        "未说明",
        "未说明的性别",
        "\xE7\x94",
        "\xE7\x94\xB8",
        "\xE5\xA5\xB3\xE5",
        "\xE7\x94\xB7\xFF",
        "居民身份证",
        "居民身份",
        "居民身份证证",
        "居民身份证x",
        "x居民身份证",
        "身份证",
        "二代身份证",
        "户口簿",
        "户口薄",
        "户口本",
        "其他",
        "其它",
        "护照",
        "外国护照",
        "军官证",
        "士兵证",
        "香港特区护照/身份证明",
        "香港特区护照／身份证明",
        "澳门特区护照/身份证明",
        "台胞证",
        "港澳台居民居住证",
        "境外永久居住证",
        "A",
        "a",
        "B",
        "b",
        "C",
        "c",
        "Z",
        "z",
        "D",
        "Ａ",
        "\xE5\xB1\x85\xE6\xB0\x91\xE8\xBA\xAB\xE4\xBB\xBD\xE8\xAF", /* 居民身份证 cut short */
        "",
        "-",
        "null",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(words); i++)
        padded(words[i]);
    /* every label the library has */
    for (int t = 0; t < 128; t++) {
        const char *label = xjl_id_type_label((xjl_id_type)t);
        if (*label)
            padded(label);
    }
    gender_both(NULL, XJL_NTS);
    id_type_both(NULL, XJL_NTS);
    gender_both("男\0", 4);
    id_type_both("居民身份证\0", 16);
}

static void test_dates(void **state)
{
    (void)state;
    char buf[64];
    /* every day of a leap year and of a common year, the ones after the
     * last day of each month and a few months that are none */
    for (int y = 2019; y <= 2020; y++)
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++) {
                snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                all_parsers(buf);
                snprintf(buf, sizeof buf, "%04d/%d/%d", y, m, d);
                date_both(buf, XJL_NTS);
                snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
                date_both(buf, XJL_NTS);
                snprintf(buf, sizeof buf, "%04d年%d月%d日", y, m, d);
                date_both(buf, XJL_NTS);
            }
    static const char *const odd[] = {
        "0000-00-00",
        "0000-01-01",
        "0001-01-01",
        "1899-12-31",
        "1900-01-01",
        "2099-12-31",
        "2100-01-01",
        "9999-12-31",
        "1900-02-29",
        "2000-02-29",
        "2100-02-29",
        "2019-1-01",
        "2019-01-1",
        "2019-01-011",
        "2019-001-01",
        "201-01-01",
        "12019-01-01",
        "2019-01/01",
        "2019/01-01",
        "2019.01.01",
        "2019-01-01T00:00:00",
        "2019-01-01 00:00",
        "2019-01-01x",
        "2019-01-0",
        "2019-01-",
        "2019-01",
        "2019-",
        "2019",
        "2019-0a-01",
        "2019-01-a1",
        "a019-01-01",
        "2a19-01-01",
        "20a9-01-01",
        "201a-01-01",
        "2019_01_01",
        "2019--01-01",
        "２０１９-０１-０１",
        "２０１９－０１－０１",
        "2019-01-01\xEF\xBC\x90",
        "43466",
        "60",
        "0",
        "73050",
        "73051",
        "-2019-01-01",
        "+2019-01-01",
        "2019-01-01\n",
        "2019-01-01\0",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(odd); i++)
        padded(odd[i]);
    date_both(NULL, XJL_NTS);
    date_both("2019-01-01", 9);
    date_both("2019-01-011", 10);
    date_both("2019-01-01\0", 11);
}

static void id_variants(const char *id18)
{
    char buf[128];
    all_parsers(id18);
    /* every check character, right and wrong, upper and lower case */
    static const char checks_chars[] = "0123456789Xx";
    for (const char *c = checks_chars; *c; c++) {
        snprintf(buf, sizeof buf, "%.17s%c", id18, *c);
        id_all_types(buf, XJL_NTS);
        snprintf(buf, sizeof buf, " %.17s%c ", id18, *c);
        id_all_types(buf, XJL_NTS);
    }
    /* too short, too long, spaced and hyphenated as rosters write them */
    snprintf(buf, sizeof buf, "%.17s", id18);
    id_all_types(buf, XJL_NTS);
    snprintf(buf, sizeof buf, "%s0", id18);
    id_all_types(buf, XJL_NTS);
    snprintf(buf, sizeof buf, "%.6s %.8s %.4s", id18, id18 + 6, id18 + 14);
    id_all_types(buf, XJL_NTS);
    snprintf(buf, sizeof buf, "%.6s-%.8s-%.4s", id18, id18 + 6, id18 + 14);
    id_all_types(buf, XJL_NTS);
    snprintf(buf, sizeof buf, "'%s", id18);
    id_all_types(buf, XJL_NTS);
    snprintf(buf, sizeof buf, "\"%s\"", id18);
    id_all_types(buf, XJL_NTS);
    /* one character of the body wrong, at every position */
    for (int i = 0; i < 18; i++) {
        static const char bad[] = "aXx :;?./*+,\x7F\xE4";
        for (const char *b = bad; *b; b++) {
            snprintf(buf, sizeof buf, "%s", id18);
            buf[i] = *b;
            id_all_types(buf, XJL_NTS);
        }
    }
    /* explicit lengths around 18 */
    for (size_t n = 15; n <= 19; n++)
        id_all_types(id18, n);
}

static void test_id_numbers(void **state)
{
    (void)state;
    char id[19], buf[80];
    /* citizen regions known and unknown, Hong Kong/Macao/Taiwan permits,
     * new permanent residence cards, birth dates good and bad */
    static const char *const regions[] = {"110101", "360426", "632857", "000000", "999999",
                                          "810000", "820000", "830000", "840000", "810001",
                                          "910000", "100000", "700000"};
    static const char *const ymds[] = {"20200229", "20190229", "20191301", "20190001",
                                       "20190132", "20190100", "18991231", "21000101",
                                       "19000101", "20991231", "00000000"};
    for (size_t r = 0; r < XJL_ARRAY_LEN(regions); r++)
        for (size_t d = 0; d < XJL_ARRAY_LEN(ymds); d++)
            for (int seq = 0; seq < 12; seq++) {
                make_id(id, regions[r], ymds[d], seq * 83);
                if (seq % 4 == 0)
                    id_variants(id);
                else
                    id_all_types(id, XJL_NTS);
            }
    /* old 15-digit numbers, other documents, nothing */
    static const char *const other[] = {
        "360426910101007",
        "36042691010100",
        "ABC123456789012",
        "A123456(7)",
        "E12345678",
        "-",
        "",
        "   ",
        "３６０４２６１９９１０１０１００７１",
        "360426１99101010071",
        "360426199101010071\xEF\xBC\xB8",
        "36042619910101007X",
        "36042619910101007x",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(other); i++)
        padded(other[i]);
    id_all_types(NULL, XJL_NTS);
    /* 64 bytes, the longest the generic path reads, and more */
    for (size_t n = 60; n <= 66; n++) {
        memset(buf, ' ', n);
        make_id(id, "110101", "20200101", 7);
        memcpy(buf + (n - 18) / 2, id, 18);
        buf[n] = '\0';
        id_all_types(buf, XJL_NTS);
        gender_both(buf, XJL_NTS);
        date_both(buf, XJL_NTS);
    }
}

static void test_names(void **state)
{
    (void)state;
    static const char *const names[] = {
        "张琦语",
        "王",
        "欧阳娜娜",
        "司马相如",
        "万俟",
        "万俟卨",
        "尉迟恭",
        "單于",
        "曾",
        "区",
        "張偉",
        "乾隆",
        "於小華",
        "徵",
        "阿依古丽·买买提",
        "王 小明",
        "欧阳 娜娜",
        "热依拉 木沙",
        "Jean-Pierre",
        "O'Brien",
        "王?明",
        "王□明",
        "王〓明",
        "王\xEE\x80\x80明",
        "王1明",
        "〇",
        "々",
        "王々",
        "\xE4\xB8\x80",     /* U+4E00, the first of the block */
        "\xE9\xBF\xBF",     /* U+9FFF, the last */
        "\xE3\x90\x80",     /* U+3400, Extension A */
        "\xE4\xB6\xBF",     /* U+4DBF */
        "\xE4\xB7\x80",     /* U+4DC0, a hexagram: not an ideograph */
        "\xEA\x80\x80",     /* U+A000, Yi */
        "\xEF\xA4\x80",     /* U+F900, a compatibility ideograph NFKC maps */
        "\xF0\xA0\xAE\xB7", /* U+20BB7 𠮷, Extension B */
        "\xE0\x80\x80",
        "\xED\xA0\x80",
        "\xE4\xB8",
        "\xE4",
        "\xE4\xB8\x80\x80",
        "\xE4\xC0\x80",
        "",
        " ",
        "王 ",
        " 王",
        "王\t",
        "ＡＢＣ",
        "王·",
        "·王",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(names); i++)
        all_parsers(names[i]);
    /* ideograph names of every length about the fast path's limit */
    char buf[4 * 40 + 1];
    for (int n = 1; n <= 40; n++) {
        size_t k = 0;
        for (int i = 0; i < n; i++) {
            /* walk the block, with traditional forms (張 U+5F35, 乾 U+4E7E) among them */
            uint32_t cp = i % 3 == 0   ? 0x5F35
                          : i % 3 == 1 ? 0x4E7E
                                       : 0x4E00 + (uint32_t)(n * 97 + i);
            k += xjl__utf8_put(buf + k, cp);
        }
        buf[k] = '\0';
        all_parsers(buf);
    }
    name_both(NULL, XJL_NTS);
}

/* Every ideograph the pinyin tables cover as the first character of a
 * name, alone and before the characters of compound surnames and the
 * surnames read otherwise (欧阳, 万俟, 单, 曾). */
static void test_first_characters(void **state)
{
    (void)state;
    static const uint32_t after[][2] = {
        {0, 0}, {0x9633, 0x5A1C}, {0x4FDF, 0x5955}, {0x5355, 0x66FE}};
    char buf[16];
    for (uint32_t cp = 0x3400; cp <= 0x9FFF; cp++) {
        if (cp > 0x4DBF && cp < 0x4E00)
            continue;
        for (size_t a = 0; a < XJL_ARRAY_LEN(after); a++) {
            size_t k = xjl__utf8_put(buf, cp);
            for (int i = 0; i < 2 && after[a][i]; i++)
                k += xjl__utf8_put(buf + k, after[a][i]);
            buf[k] = '\0';
            name_both(buf, XJL_NTS);
        }
    }
}

/* ---- random concatenations ---------------------------------------------- */

static uint64_t rng = 0x243F6A8885A308D3u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const fragments[] = {
    "男",
    "女",
    "性",
    "居民",
    "身份证",
    "户口簿",
    "其他",
    "护照",
    "张",
    "欧阳",
    "乾",
    "·",
    " ",
    "  ",
    "\t",
    "\xC2\xA0",
    "\xE3\x80\x80",
    "\xEF\xBB\xBF",
    "1",
    "2",
    "M",
    "f",
    "x",
    "X",
    "0",
    "9",
    "2019",
    "-",
    "/",
    ".",
    "01",
    "13",
    "29",
    "30",
    "年",
    "月",
    "日",
    "Ｍ",
    "１",
    "\xFF",
    "\xE7",
    "\xE7\x94",
    "\x80",
    "'",
    "\"",
    "?",
    "360426",
    "19910101",
    "0071",
    "00",
    "810000",
};

static void test_random(void **state)
{
    (void)state;
    char buf[512];
    for (int i = 0; i < 20000; i++) {
        size_t k = 0;
        int parts = 1 + (int)rnd(6);
        for (int p = 0; p < parts; p++) {
            const char *f = fragments[rnd(XJL_ARRAY_LEN(fragments))];
            size_t n = strlen(f);
            memcpy(buf + k, f, n);
            k += n;
        }
        buf[k] = '\0';
        all_parsers(buf);
    }
    /* random citizen numbers, most of them clean */
    for (int i = 0; i < 20000; i++) {
        char region[7], ymd[9], id[19];
        snprintf(region, sizeof region, "%06u", rnd(1000000));
        snprintf(ymd, sizeof ymd, "%04u%02u%02u", 1890 + rnd(220), rnd(14), rnd(33));
        make_id(id, region, ymd, (int)rnd(1000));
        if (rnd(4) == 0)
            id[17] = "0123456789Xx"[rnd(12)];
        id_all_types(id, XJL_NTS);
    }
}

/* ---- whole records ------------------------------------------------------- */

static void same_parsed(const xjl_parsed *a, const xjl_parsed *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->gender, b->gender);
    assert_int_equal(a->birth_date, b->birth_date);
    assert_int_equal(a->id_type, b->id_type);
    same_id(&a->id, &b->id);
    for (int f = 0; f < XJL_FIELD_COUNT; f++)
        assert_int_equal(a->findings[f], b->findings[f]);
    assert_int_equal(a->errors, b->errors);
    assert_int_equal(a->warnings, b->warnings);
}

static void test_records(void **state)
{
    (void)state;
    static const char *const names[] = {"张琦语", "欧阳娜娜", "阿依古丽·买买提", "王1",
                                        "",       "張偉",     "Li Lei"};
    static const char *const genders[] = {"男", "女", "男 ", "1", "F", "男性", "", "x", NULL};
    static const char *const dates[] = {"2020-02-08", "2019-02-29",    "2019/4/25",
                                        "20190425",   "2019年4月25日", "43466",
                                        "",           "2019-13-01",    NULL};
    static const char *const types[] = {"居民身份证", "户口簿", "其他",        "护照", "1", "B",
                                        "Z",          "",       "居民身份证 ", "x",    NULL};
    char ids[6][40];
    make_id(ids[0], "420503", "20200208", 68);
    make_id(ids[1], "632857", "20190425", 76);
    make_id(ids[2], "810000", "20200208", 11);
    snprintf(ids[3], sizeof ids[3], "%.17s%c", ids[0], ids[0][17] == '0' ? '1' : '0');
    snprintf(ids[4], sizeof ids[4], " %.6s %.8s %.4s ", ids[1], ids[1] + 6, ids[1] + 14);
    snprintf(ids[5], sizeof ids[5], "%s", "");
    for (int i = 0; i < 20000; i++) {
        xjl_record rec;
        memset(&rec, 0, sizeof rec);
        rec.name = names[rnd(XJL_ARRAY_LEN(names))];
        rec.gender = genders[rnd(XJL_ARRAY_LEN(genders))];
        rec.birth_date = dates[rnd(XJL_ARRAY_LEN(dates))];
        rec.id_type = types[rnd(XJL_ARRAY_LEN(types))];
        rec.id_number = ids[rnd(6)];
        xjl_parsed p[2];
        struct run r[2];
        for (int slow = 0; slow < 2; slow++) {
            xjl__fast_paths_off = slow;
            memset(&p[slow], 0x5A, sizeof p[slow]);
            reset_message();
            finish(&r[slow], xjl_record_parse(&rec, &p[slow]));
        }
        xjl__fast_paths_off = false;
        same_run(&r[0], &r[1], "record", rec.name, XJL_NTS);
        same_parsed(&p[0], &p[1]);
        checks++;
    }
    print_message("%zu inputs read both ways\n", checks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gender_and_type_words),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_id_numbers),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_first_characters),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
