/* Names: forms, separators, variants, pinyin tables, bad input. */
#include "fields/fields.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

enum { LATIN = 1, PLACEHOLDER = 2, AMBIGUOUS = 4 };

struct name_case {
    const char *in;
    const char *display, *bare, *simplified, *pinyin;
    int flags;
};

static void check_case(const struct name_case *c, size_t len)
{
    struct xjl_name_forms f;
    int rc = xjl__name_forms(c->in, len, &f);
    if (rc != XJL_OK)
        fail_msg("'%s': %s", c->in, xjl_errmsg());
    if (strcmp(f.display, c->display) != 0 || strcmp(f.bare, c->bare) != 0 ||
        strcmp(f.simplified, c->simplified) != 0)
        fail_msg("'%s': display '%s' bare '%s' simplified '%s', expected '%s' '%s' '%s'", c->in,
                 f.display, f.bare, f.simplified, c->display, c->bare, c->simplified);
    assert_int_equal(f.display_len, strlen(c->display));
    assert_int_equal(f.bare_len, strlen(c->bare));
    assert_int_equal(f.simplified_len, strlen(c->simplified));

    char py[2048];
    size_t n = 0;
    uint32_t findings = 0;
    assert_int_equal(xjl_name_normalize(c->in, len, XJL_NAME_PINYIN, py, sizeof py, &n, &findings),
                     XJL_OK);
    if (strcmp(py, c->pinyin) != 0)
        fail_msg("'%s': pinyin '%s', expected '%s'", c->in, py, c->pinyin);
    assert_int_equal(n, strlen(c->pinyin));
    assert_int_equal(findings, f.findings);

    assert_int_equal(f.latin, (c->flags & LATIN) != 0);
    assert_int_equal(f.has_placeholder, (c->flags & PLACEHOLDER) != 0);
    assert_int_equal(f.variant_ambiguous, (c->flags & AMBIGUOUS) != 0);
    assert_int_equal(f.findings,
                     (c->flags & PLACEHOLDER) ? XJL_FINDING_BIT(XJL_F_NAME_PLACEHOLDER) : 0);

    /* cps[] is SIMPLIFIED, code point by code point, with one pinyin each. */
    size_t pos = 0, i = 0;
    while (pos < f.simplified_len) {
        int32_t cp = xjl__utf8_next(f.simplified, f.simplified_len, &pos);
        assert_true(i < f.ncps);
        assert_int_equal(f.cps[i], (uint32_t)cp);
        i++;
    }
    assert_int_equal(i, f.ncps);
}

static void run_cases(const struct name_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_case(&cases[i], XJL_NTS);
}

/* ---- separators ------------------------------------------------------- */

static void test_dot_variants(void **state)
{
    (void)state;
    /* Every middle-dot look-alike, hyphen, dash and space between the two
     * parts of a minority name becomes U+00B7. */
    static const char *const seps[] = {
        "\u00b7", "\u2022", "\u30fb", "\uff0e", "\u2027",       "\u2219",   "\u22c5",
        "\ua78f", "\uff65", ".",      "\u2e31", "\u0387",       "\u16eb",   "\u3002",
        "\uff61", "\u2024", "\ufe52", "-",      "\u2010",       "\u2011",   "\u2012",
        "\u2013", "\u2014", "\u2015", "\uff0d", "\u2212",       "\ufe63",   " ",
        "\u3000", "\u00a0", "\u2003", " - ",    "\u00b7\u00b7", " \u00b7 ", "\u200b\u2022\u200b",
    };
    char in[64];
    for (size_t i = 0; i < XJL_ARRAY_LEN(seps); i++) {
        snprintf(in, sizeof in, "阿依古丽%s买买提", seps[i]);
        struct name_case c = {
            in, "阿依古丽·买买提", "阿依古丽买买提", "阿依古丽买买提", "a yi gu li mai mai ti", 0};
        check_case(&c, XJL_NTS);
    }
}

static void test_separators(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        /* surname and given name: the space goes */
        {"王 小明", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"王　小明", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {" 王小明 ", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"王\t小明\r\n", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"王\xc2\xa0小明", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"王 小 明", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"欧阳 娜娜", "欧阳娜娜", "欧阳娜娜", "欧阳娜娜", "ou yang na na", 0},
        {"张-三丰", "张三丰", "张三丰", "张三丰", "zhang san feng", 0},
        /* a compound surname with a three-character given name: still a space */
        {"欧阳 明明明", "欧阳明明明", "欧阳明明明", "欧阳明明明", "ou yang ming ming ming", 0},
        {"歐陽 明明明", "歐陽明明明", "歐陽明明明", "欧阳明明明", "ou yang ming ming ming", 0},
        /* 2 + 3: a minority name; a placeholder counts as a character */
        {"古丽 努尔?", "古丽·努尔?", "古丽努尔?", "古丽努尔?", "gu li nu er ?", PLACEHOLDER},
        {"古丽 努尔汗", "古丽·努尔汗", "古丽努尔汗", "古丽努尔汗", "gu li nu er han", 0},
        {"热依拉-木沙", "热依拉·木沙", "热依拉木沙", "热依拉木沙", "re yi la mu sha", 0},
        /* a dot typed between surname and given name is kept as typed, folded */
        {"王•小明", "王·小明", "王小明", "王小明", "wang xiao ming", 0},
        /* three parts, leading and trailing dots */
        {"·阿卜杜·热合曼·买买提·", "阿卜杜·热合曼·买买提", "阿卜杜热合曼买买提",
         "阿卜杜热合曼买买提", "a bo du re he man mai mai ti", 0}, /* ICU: 卜 bo inside a name */
        /* zero-width and other invisible characters vanish, without splitting */
        {"王\u200b小\u200c明\u200d", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"\ufeff王\u2060小明\u00ad", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"王小明\ufe00", "王小明", "王小明", "王小明", "wang xiao ming", 0},
        {"阿依古丽\u200b·\u200b买买提", "阿依古丽·买买提", "阿依古丽买买提", "阿依古丽买买提",
         "a yi gu li mai mai ti", 0},
    };
    run_cases(cases, XJL_ARRAY_LEN(cases));
}

/* ---- Latin names ------------------------------------------------------- */

static void test_latin(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        {"John Smith", "john smith", "johnsmith", "johnsmith", "johnsmith", LATIN},
        {"  JOHN    SMITH  ", "john smith", "johnsmith", "johnsmith", "johnsmith", LATIN},
        {"ＪＯＨＮ　ＳＭＩＴＨ", "john smith", "johnsmith", "johnsmith", "johnsmith", LATIN},
        {"ｊｏｈｎ　ｓｍｉｔｈ", "john smith", "johnsmith", "johnsmith", "johnsmith", LATIN},
        {"Jean-Pierre O'Brien", "jean-pierre o'brien", "jeanpierreobrien", "jeanpierreobrien",
         "jeanpierreobrien", LATIN},
        {"O\u2019Brien", "o'brien", "obrien", "obrien", "obrien", LATIN},
        {"J.K. Rowling", "j k rowling", "jkrowling", "jkrowling", "jkrowling", LATIN},
        {"JOSÉ MARÍA", "josé maría", "josémaría", "josémaría", "josémaría", LATIN},
        /* decomposed é composes under NFKC */
        {"Jose\xcc\x81", "josé", "josé", "josé", "josé", LATIN},
        /* a zero-width character between a letter and its mark: still ë */
        {"Zoe\u200b\u0308", "zoë", "zoë", "zoë", "zoë", LATIN},
        {"Zoe\u2060\u0308", "zoë", "zoë", "zoë", "zoë", LATIN},
        /* a capital only NFKC makes (mathematical bold T) before its mark:
         * folded, then composed again (t U+0308 is U+1E97) */
        {"\U0001D413\u0308", "\u1e97", "\u1e97", "\u1e97", "\u1e97", LATIN},
        {"Anna\u00b7Maria", "anna maria", "annamaria", "annamaria", "annamaria", LATIN},
        /* Han with a Latin letter: a Han name, spaces go */
        {"李 Lisa", "李lisa", "李lisa", "李lisa", "li lisa", 0},
        {"李 Lisa Marie", "李lisamarie", "李lisamarie", "李lisamarie", "li lisamarie", 0},
        {"王A", "王a", "王a", "王a", "wang a", 0},
    };
    run_cases(cases, XJL_ARRAY_LEN(cases));
}

/* ---- variants, Ext B, placeholders ---------------------------------- */

static void test_variants(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        {"陳小明", "陳小明", "陳小明", "陈小明", "chen xiao ming", 0},
        {"張偉", "張偉", "張偉", "张伟", "zhang wei", 0},
        {"劉德華", "劉德華", "劉德華", "刘德华", "liu de hua", 0},
        {"歐陽修", "歐陽修", "歐陽修", "欧阳修", "ou yang xiu", 0},
        /* folds onto a character that is a name of its own: variant, never equal */
        {"乾隆", "乾隆", "乾隆", "干隆", "gan long", AMBIGUOUS},
        {"王乾", "王乾", "王乾", "王干", "wang gan", AMBIGUOUS},
        {"於梨华", "於梨华", "於梨华", "于梨华", "yu li hua", AMBIGUOUS},
        {"李徵", "李徵", "李徵", "李征", "li zheng", AMBIGUOUS},
        {"陳乾", "陳乾", "陳乾", "陈干", "chen gan", AMBIGUOUS},
        /* the simplified characters themselves fold to nothing */
        {"干隆", "干隆", "干隆", "干隆", "gan long", 0},
        /* CJK compatibility ideographs are unified by NFKC */
        {"李\uf9e1", "李李", "李李", "李李", "li li", 0},
    };
    run_cases(cases, XJL_ARRAY_LEN(cases));
    assert_true(xjl__simplify_is_ambiguous(0x4E7E));  /* 乾 */
    assert_true(xjl__simplify_is_ambiguous(0x65BC));  /* 於 */
    assert_true(xjl__simplify_is_ambiguous(0x5FB5));  /* 徵 */
    assert_false(xjl__simplify_is_ambiguous(0x9673)); /* 陳 */
    assert_false(xjl__simplify_is_ambiguous(0x5E72)); /* 干 */
    assert_int_equal(xjl__simplify(0x9673), 0x9648);  /* 陳 → 陈 */
    assert_int_equal(xjl__simplify(0x9648), 0x9648);
    assert_int_equal(xjl__simplify(0x20BB7), 0x20BB7);
    assert_int_equal(xjl__simplify('a'), 'a');
}

static void test_ext_b_and_placeholders(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        {"王𠮷", "王𠮷", "王𠮷", "王𠮷", "wang 𠮷", 0},
        {"𠮷野家", "𠮷野家", "𠮷野家", "𠮷野家", "𠮷 ye jia", 0},
        {"王 𠮷", "王𠮷", "王𠮷", "王𠮷", "wang 𠮷", 0},
        {"𪚥𪚥·𠀀𠀀𠀀", "𪚥𪚥·𠀀𠀀𠀀", "𪚥𪚥𠀀𠀀𠀀", "𪚥𪚥𠀀𠀀𠀀", "𪚥 𪚥 𠀀 𠀀 𠀀", 0},
        {"王?明", "王?明", "王?明", "王?明", "wang ? ming", PLACEHOLDER},
        {"王？明", "王?明", "王?明", "王?明", "wang ? ming", PLACEHOLDER},
        {"王□明", "王□明", "王□明", "王□明", "wang □ ming", PLACEHOLDER},
        {"王■明", "王■明", "王■明", "王■明", "wang ■ ming", PLACEHOLDER},
        {"王*", "王*", "王*", "王*", "wang *", PLACEHOLDER},
        {"王＊", "王*", "王*", "王*", "wang *", PLACEHOLDER},
        {"王\xef\xbf\xbd明", "王\xef\xbf\xbd明", "王\xef\xbf\xbd明", "王\xef\xbf\xbd明",
         "wang \xef\xbf\xbd ming", PLACEHOLDER},
        {"王\xee\x80\x80明", "王\xee\x80\x80明", "王\xee\x80\x80明", "王\xee\x80\x80明",
         "wang \xee\x80\x80 ming", PLACEHOLDER},
        {"王\U000F0000", "王\U000F0000", "王\U000F0000", "王\U000F0000", "wang \U000F0000",
         PLACEHOLDER},
        {"王\U00100001", "王\U00100001", "王\U00100001", "王\U00100001", "wang \U00100001",
         PLACEHOLDER},
        {"陳?", "陳?", "陳?", "陈?", "chen ?", PLACEHOLDER},
    };
    run_cases(cases, XJL_ARRAY_LEN(cases));

    struct xjl_name_forms f;
    assert_int_equal(xjl__name_forms("王𠮷", XJL_NTS, &f), XJL_OK);
    assert_int_equal(f.ncps, 2);
    assert_int_equal(f.cps[1], 0x20BB7);
    assert_int_equal(f.pinyin[1], XJL_PY_LITERAL | 0x20BB7);
    assert_int_equal(xjl__pinyin_of(0x20BB7, true), XJL_PY_LITERAL | 0x20BB7);
    assert_int_equal(xjl__pinyin_of('?', false), XJL_PY_LITERAL | '?');
}

/* ---- pinyin ------------------------------------------------------------- */

static void test_pinyin(void **state)
{
    (void)state;
    static const struct name_case cases[] = {
        /* surnames read as surnames, the same characters elsewhere not */
        {"单田芳", "单田芳", "单田芳", "单田芳", "shan tian fang", 0},
        {"王单", "王单", "王单", "王单", "wang dan", 0},
        {"曾国藩", "曾国藩", "曾国藩", "曾国藩", "zeng guo fan", 0},
        {"区家明", "区家明", "区家明", "区家明", "ou jia ming", 0},
        {"王区", "王区", "王区", "王区", "wang qu", 0},
        {"解缙", "解缙", "解缙", "解缙", "xie jin", 0},
        {"查良镛", "查良镛", "查良镛", "查良镛", "zha liang yong", 0},
        /* where ICU reads the surname wrongly */
        {"朴槿惠", "朴槿惠", "朴槿惠", "朴槿惠", "piao jin hui", 0},
        {"覃小华", "覃小华", "覃小华", "覃小华", "qin xiao hua", 0},
        {"缪可", "缪可", "缪可", "缪可", "miao ke", 0},
        {"阚泽", "阚泽", "阚泽", "阚泽", "kan ze", 0},
        {"尉缭", "尉缭", "尉缭", "尉缭", "wei liao", 0},
        {"王朴", "王朴", "王朴", "王朴", "wang pu", 0},
        /* compound surnames */
        {"万俟卨", "万俟卨", "万俟卨", "万俟卨", "mo qi xie", 0},
        {"尉迟恭", "尉迟恭", "尉迟恭", "尉迟恭", "yu chi gong", 0},
        {"单于夫罗", "单于夫罗", "单于夫罗", "单于夫罗", "chan yu fu luo", 0},
        {"长孙无忌", "长孙无忌", "长孙无忌", "长孙无忌", "zhang sun wu ji", 0},
        {"澹台灭明", "澹台灭明", "澹台灭明", "澹台灭明", "tan tai mie ming", 0},
        {"令狐冲", "令狐冲", "令狐冲", "令狐冲", "ling hu chong", 0},
        {"中行说", "中行说", "中行说", "中行说", "zhong hang shuo", 0},
        {"诸葛亮", "诸葛亮", "诸葛亮", "诸葛亮", "zhu ge liang", 0},
        {"欧阳修", "欧阳修", "欧阳修", "欧阳修", "ou yang xiu", 0},
        {"上官婉儿", "上官婉儿", "上官婉儿", "上官婉儿", "shang guan wan er", 0},
        {"司马光", "司马光", "司马光", "司马光", "si ma guang", 0},
        {"皇甫谧", "皇甫谧", "皇甫谧", "皇甫谧", "huang fu mi", 0},
        {"东方朔", "东方朔", "东方朔", "东方朔", "dong fang shuo", 0},
        {"萬俟卨", "萬俟卨", "萬俟卨", "万俟卨", "mo qi xie", 0},
        /* two characters only: a surname and a given name, not a compound */
        {"单于", "单于", "单于", "单于", "shan yu", 0},
        /* ü stays apart from u */
        {"吕", "吕", "吕", "吕", "lv", 0},
        {"卢", "卢", "卢", "卢", "lu", 0},
        {"王女", "王女", "王女", "王女", "wang nv", 0},
        {"王努", "王努", "王努", "王努", "wang nu", 0},
        {"李略", "李略", "李略", "李略", "li lve", 0},
        {"李掠", "李掠", "李掠", "李掠", "li lve", 0},
        /* homophones share the pinyin */
        {"李涵", "李涵", "李涵", "李涵", "li han", 0},
        {"李含", "李含", "李含", "李含", "li han", 0},
        {"李晗", "李晗", "李晗", "李晗", "li han", 0},
        {"王宇", "王宇", "王宇", "王宇", "wang yu", 0},
        {"王雨", "王雨", "王雨", "王雨", "wang yu", 0},
        {"王语", "王语", "王语", "王语", "wang yu", 0},
    };
    run_cases(cases, XJL_ARRAY_LEN(cases));

    assert_int_not_equal(xjl__pinyin_of(0x5415, true), xjl__pinyin_of(0x5362, true)); /* 吕 卢 */
    assert_int_not_equal(xjl__pinyin_of(0x5973, false), xjl__pinyin_of(0x52AA, false)); /* 女 努 */
    assert_int_equal(xjl__pinyin_of(0x6DB5, false), xjl__pinyin_of(0x542B, false)); /* 涵 含 */
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x5355, true)), "shan");    /* 单 */
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x5355, false)), "dan");
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x66FE, true)), "zeng"); /* 曾 */
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x533A, true)), "ou");   /* 区 */
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x6734, true)), "piao"); /* 朴 */
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x8983, true)), "qin");  /* 覃 */
    assert_string_equal(xjl__pinyin_text(xjl__pinyin_of(0x7F2A, true)), "miao"); /* 缪 */
    assert_true(xjl__compound_surname(0x6B27, 0x9633));                          /* 欧阳 */
    assert_false(xjl__compound_surname(0x738B, 0x5C0F));                         /* 王小 */
}

static void test_syllable_inventory(void **state)
{
    (void)state;
    uint32_t id = 1;
    const char *prev = NULL;
    bool appended = false;
    for (; xjl__pinyin_text(id); id++) {
        const char *s = xjl__pinyin_text(id);
        assert_true(strlen(s) >= 1 && strlen(s) <= 6);
        for (const char *p = s; *p; p++)
            assert_true(*p >= 'a' && *p <= 'z');
        /* sorted (ids found by binary search) up to the last, "zuo"; the
         * syllables appended after it keep every earlier id as it was */
        if (prev && strcmp(prev, "zuo") != 0 && !appended)
            assert_true(strcmp(prev, s) < 0);
        appended = appended || (prev && strcmp(prev, "zuo") == 0);
        for (uint32_t k = 1; appended && k < id; k++)
            assert_string_not_equal(xjl__pinyin_text(k), s);
        prev = s;
    }
    assert_true(appended);
    assert_true(id > 400);
    assert_null(xjl__pinyin_text(0));
    assert_null(xjl__pinyin_text(XJL_PY_LITERAL | 0x4E00));
}

/* ---- the tables against ICU itself ----------------------------------- */

static UTransliterator *open_trans(const char *id)
{
    UChar uid[32];
    u_uastrcpy(uid, id);
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    assert_true(U_SUCCESS(err));
    return t;
}

/* Transliterates text (UTF-16) and returns its last space-separated word,
 * toneless with ü as v, in out; false if that word is not Latin. */
static bool icu_reading(UTransliterator *t, const UChar *text, int32_t len, char *out)
{
    UChar buf[64];
    memcpy(buf, text, (size_t)len * sizeof *buf);
    int32_t limit = len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, 64, 0, &limit, &err);
    assert_true(U_SUCCESS(err));
    UChar dec[64];
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    int32_t n = unorm2_normalize(nfd, buf, len, dec, 64, &err);
    assert_true(U_SUCCESS(err));
    while (n > 0 && dec[n - 1] == ' ')
        n--;
    int32_t from = n;
    while (from > 0 && dec[from - 1] != ' ')
        from--;
    size_t k = 0;
    for (int32_t i = from; i < n; i++) {
        UChar c = dec[i];
        if (c >= 'a' && c <= 'z')
            out[k++] = (char)c;
        else if (c == 0x0308)
            out[k - 1] = 'v';
        else if (c != 0x0300 && c != 0x0301 && c != 0x0302 && c != 0x0304 && c != 0x030C)
            return false;
    }
    out[k] = '\0';
    return k > 0;
}

/* The fixes pinyin.c makes to ICU's surname readings. */
static const struct {
    uint32_t cp;
    const char *reading;
} surname_fixes[] = {
    {0x6734, "piao"}, {0x8983, "qin"},  {0x7F2A, "miao"}, {0x961A, "kan"},
    {0x4E5C, "nie"},  {0x90FD, "du"},   {0x80FD, "nai"},  {0x53E5, "gou"},
    {0x796D, "zhai"}, {0x6D17, "xian"}, {0x725F, "mou"},  {0x851A, "yu"},
    {0x8584, "bo"},   {0x4F74, "nai"},  {0x7085, "gui"},  {0x5C09, "wei"},
};

static const char *fixed_reading(uint32_t cp)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(surname_fixes); i++)
        if (surname_fixes[i].cp == cp)
            return surname_fixes[i].reading;
    return NULL;
}

static void check_against_icu(UTransliterator *names, uint32_t cp)
{
    char want[16];
    UChar text[2] = {0x4E00, (UChar)cp}; /* 一 then cp: cp inside a name */
    for (int first = 0; first < 2; first++) {
        bool has = icu_reading(names, first ? text + 1 : text, first ? 1 : 2, want);
        const char *fix = first ? fixed_reading(cp) : NULL;
        uint32_t id = xjl__pinyin_of(cp, first);
        const char *got = xjl__pinyin_text(id);
        if (fix) {
            if (has && strcmp(want, fix) == 0)
                fail_msg("U+%04X: ICU reads %s now: drop the fix", (unsigned)cp, want);
            assert_non_null(got);
            assert_string_equal(got, fix);
        } else if (has) {
            if (!got || strcmp(got, want) != 0)
                fail_msg("U+%04X first=%d: table '%s', ICU '%s'", (unsigned)cp, first,
                         got ? got : "(literal)", want);
        } else {
            assert_int_equal(id, XJL_PY_LITERAL | cp);
        }
    }
}

static void test_pinyin_tables_match_icu(void **state)
{
    (void)state;
    UTransliterator *names = open_trans("Han-Latin/Names");
    /* A sample over both blocks: every 11th code point. */
    for (uint32_t cp = 0x3400; cp <= 0x9FFF; cp += 11)
        check_against_icu(names, cp);
    /* Every character the name rules mention, and the fixed surnames. */
    static const char special[] =
        "令狐万俟澹台长孙秘卜种重刀干葛盖过华纪筠靓牟粘区繁仇任单召折舍沈峙隗解莘燕尉乐员查翟曾";
    size_t pos = 0;
    while (pos < sizeof special - 1)
        check_against_icu(names, (uint32_t)xjl__utf8_next(special, sizeof special - 1, &pos));
    for (size_t i = 0; i < XJL_ARRAY_LEN(surname_fixes); i++)
        check_against_icu(names, surname_fixes[i].cp);
    utrans_close(names);
}

static void test_variant_table_matches_icu(void **state)
{
    (void)state;
    UTransliterator *t = open_trans("Hant-Hans");
    for (uint32_t cp = 0x3400; cp <= 0x9FFF; cp += 3) {
        UChar buf[16] = {(UChar)cp};
        int32_t len = 1, limit = 1;
        UErrorCode err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, 16, 0, &limit, &err);
        assert_true(U_SUCCESS(err));
        uint32_t want = cp;
        if (len == 1 || (len == 2 && U16_IS_LEAD(buf[0]))) {
            int32_t i = 0;
            UChar32 c;
            U16_NEXT(buf, i, len, c);
            want = (uint32_t)c;
        }
        if (xjl__simplify(cp) != want)
            fail_msg("U+%04X: table U+%04X, ICU U+%04X", (unsigned)cp, (unsigned)xjl__simplify(cp),
                     (unsigned)want);
    }
    utrans_close(t);
}

/* The fast path skips ICU for ASCII, U+00B7 and the ideograph blocks: NFKC
 * must leave every one of them alone, and any string made of them. */
static void test_nfkc_fast_path_is_sound(void **state)
{
    (void)state;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    assert_true(U_SUCCESS(err));
    static const uint32_t ranges[][2] = {
        {0x00, 0x7F},       {0xB7, 0xB7},       {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
        {0x20000, 0x2A6DF}, {0x2A700, 0x2EBEF}, {0x30000, 0x323AF},
    };
    for (size_t r = 0; r < XJL_ARRAY_LEN(ranges); r++) {
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            UChar u[2];
            int32_t len = 0;
            U16_APPEND_UNSAFE(u, len, cp);
            assert_true(unorm2_isNormalized(nfkc, u, len, &err));
            /* and it never combines with what comes before it */
            assert_true(unorm2_hasBoundaryBefore(nfkc, (UChar32)cp));
        }
    }
}

/* ---- bad input ------------------------------------------------------------ */

struct bad_case {
    const char *in;
    size_t len;
    int finding;
    const char *message; /* a part of xjl_errmsg() */
};

static void test_bad_input(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"", XJL_NTS, XJL_F_EMPTY, "empty"},
        {"王", 0, XJL_F_EMPTY, "empty"},
        {"   ", XJL_NTS, XJL_F_EMPTY, "no characters"},
        {"　\u200b", XJL_NTS, XJL_F_EMPTY, "no characters"},
        {"·", XJL_NTS, XJL_F_EMPTY, "no characters"},
        {" - ", XJL_NTS, XJL_F_EMPTY, "no characters"},
        {"\xff", XJL_NTS, XJL_F_ENCODING, "byte 0xFF at byte offset 0"},
        {"王\xe5\xb0", XJL_NTS, XJL_F_ENCODING, "byte 0xE5 at byte offset 3"},
        {"王小\x80明", XJL_NTS, XJL_F_ENCODING, "byte 0x80 at byte offset 6"},
        {"ab\xc0\x80", XJL_NTS, XJL_F_ENCODING, "byte 0xC0 at byte offset 2"},     /* overlong */
        {"王\xed\xa0\x80", XJL_NTS, XJL_F_ENCODING, "byte 0xED at byte offset 3"}, /* surrogate */
        {"\xf4\x90\x80\x80", XJL_NTS, XJL_F_ENCODING, "at byte offset 0"},         /* > U+10FFFF */
        {"王\0明", 7, XJL_F_NUL, "NUL byte at byte offset 3"},
        {"\0", 1, XJL_F_NUL, "byte offset 0"},
        {"王1", XJL_NTS, XJL_F_NAME_CHARS, "U+0031 '1' is a digit"},
        {"王１", XJL_NTS, XJL_F_NAME_CHARS, "U+0031 '1' is a digit"},
        {"王小明2", XJL_NTS, XJL_F_NAME_CHARS, "digit"},
        {"张三@", XJL_NTS, XJL_F_NAME_CHARS, "U+0040 '@' is punctuation"},
        {"王#明", XJL_NTS, XJL_F_NAME_CHARS, "U+0023"},
        {"王+", XJL_NTS, XJL_F_NAME_CHARS, "a symbol"},
        /* a combining mark on a Han character, or on no letter at all */
        {"张\u0301伟", XJL_NTS, XJL_F_NAME_CHARS, "U+0301"},
        {"张伟\u20dd", XJL_NTS, XJL_F_NAME_CHARS, "combining mark"},
        {"\u0308zoe", XJL_NTS, XJL_F_NAME_CHARS, "combining mark"},
        {"zoe \u0308", XJL_NTS, XJL_F_NAME_CHARS, "combining mark"},
        {"王☆", XJL_NTS, XJL_F_NAME_CHARS, "U+2606"},
        {"王\x01明", XJL_NTS, XJL_F_NAME_CHARS, "U+0001 '' is a control character"},
        {"王\x7f", XJL_NTS, XJL_F_NAME_CHARS, "control"},
        {"王小明(曾用名)", XJL_NTS, XJL_F_NAME_CHARS, "U+0028"},
        {"王，明", XJL_NTS, XJL_F_NAME_CHARS, "U+002C"},
        {"王'明", XJL_NTS, XJL_F_NAME_CHARS, "an apostrophe"},
        {"王\xef\xbf\xbe", XJL_NTS, XJL_F_NAME_CHARS, "not a character"},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(cases); i++) {
        const struct bad_case *c = &cases[i];
        struct xjl_name_forms f;
        xjl__clear_error();
        int rc = xjl__name_forms(c->in, c->len, &f);
        if (rc != XJL_EINVAL)
            fail_msg("case %zu: rc %d, display '%s'", i, rc, f.display);
        assert_true(f.findings & XJL_FINDING_BIT(c->finding));
        assert_true(xjl_finding_is_error(c->finding));
        if (!strstr(xjl_errmsg(), c->message))
            fail_msg("case %zu: message '%s' lacks '%s'", i, xjl_errmsg(), c->message);
        assert_int_equal(f.display_len, 0);
        assert_int_equal(f.ncps, 0);
        assert_string_equal(f.display, "");

        char buf[64] = "x";
        size_t n = 99;
        uint32_t findings = 0;
        assert_int_equal(
            xjl_name_normalize(c->in, c->len, XJL_NAME_DISPLAY, buf, sizeof buf, &n, &findings),
            XJL_EINVAL);
        assert_int_equal(findings, f.findings);
    }
    struct xjl_name_forms f;
    assert_int_equal(xjl__name_forms(NULL, XJL_NTS, &f), XJL_EINVAL);
    assert_true(f.findings & XJL_FINDING_BIT(XJL_F_EMPTY));
    assert_int_equal(xjl__name_forms("王", XJL_NTS, NULL), XJL_EINVAL);
}

static void test_too_long(void **state)
{
    (void)state;
    /* 10,000 characters: refused at once, from its length. */
    size_t n = 10000;
    char *big = malloc(n * 3 + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        memcpy(big + 3 * i, "王", 3);
    big[n * 3] = '\0';
    struct xjl_name_forms f;
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_EINVAL);
    assert_true(f.findings & XJL_FINDING_BIT(XJL_F_TOO_LONG));
    assert_non_null(strstr(xjl_errmsg(), "30000 bytes"));

    /* the limit itself: 85 characters (255 bytes) pass, 86 do not */
    big[85 * 3] = '\0';
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_OK);
    assert_int_equal(f.ncps, 85);
    assert_int_equal(f.display_len, 255);
    memcpy(big + 85 * 3, "王", 3);
    big[86 * 3] = '\0';
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_EINVAL);
    assert_true(f.findings & XJL_FINDING_BIT(XJL_F_TOO_LONG));

    /* 256 ASCII letters are allowed bytes but do not fit DISPLAY with its NUL */
    memset(big, 'a', 256);
    big[256] = '\0';
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_EINVAL);
    assert_true(f.findings & XJL_FINDING_BIT(XJL_F_TOO_LONG));
    big[255] = '\0';
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_OK);
    assert_true(f.latin);

    /* NFKC expansion past the limit: ﷺ is 18 characters once normalised */
    char *p = big;
    for (int i = 0; i < 20; i++)
        p += xjl__utf8_put(p, 0xFDFA);
    *p = '\0';
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_EINVAL);
    assert_true(f.findings & XJL_FINDING_BIT(XJL_F_TOO_LONG));
    assert_non_null(strstr(xjl_errmsg(), "normalised"));
    /* 250 control characters: refused, with a message of bounded size */
    memset(big, '\x01', 250);
    big[250] = '\0';
    assert_int_equal(xjl__name_forms(big, XJL_NTS, &f), XJL_EINVAL);
    assert_true(f.findings & XJL_FINDING_BIT(XJL_F_NAME_CHARS));
    assert_non_null(strstr(xjl_errmsg(), "'\\u0001\\u0001"));
    assert_true(strlen(xjl_errmsg()) < 512);
    free(big);
}

/* ---- the public function ----------------------------------------------- */

static void test_normalize_api(void **state)
{
    (void)state;
    char buf[64];
    size_t n = 0;
    uint32_t findings = 99;
    const char *in = "陳 小明";
    assert_int_equal(
        xjl_name_normalize(in, XJL_NTS, XJL_NAME_DISPLAY, buf, sizeof buf, &n, &findings), XJL_OK);
    assert_string_equal(buf, "陳小明");
    assert_int_equal(n, 9);
    assert_int_equal(findings, 0);
    assert_int_equal(xjl_name_normalize(in, XJL_NTS, XJL_NAME_BARE, buf, sizeof buf, &n, NULL),
                     XJL_OK);
    assert_string_equal(buf, "陳小明");
    assert_int_equal(
        xjl_name_normalize(in, XJL_NTS, XJL_NAME_SIMPLIFIED, buf, sizeof buf, NULL, NULL), XJL_OK);
    assert_string_equal(buf, "陈小明");
    assert_int_equal(xjl_name_normalize(in, XJL_NTS, XJL_NAME_PINYIN, buf, sizeof buf, &n, NULL),
                     XJL_OK);
    assert_string_equal(buf, "chen xiao ming");
    assert_int_equal(n, 14);

    /* explicit length: only the first character */
    assert_int_equal(xjl_name_normalize(in, 3, XJL_NAME_PINYIN, buf, sizeof buf, &n, NULL), XJL_OK);
    assert_string_equal(buf, "chen");

    /* buffer too small: XJL_ERANGE and the length needed */
    char small[5];
    assert_int_equal(
        xjl_name_normalize(in, XJL_NTS, XJL_NAME_PINYIN, small, sizeof small, &n, NULL),
        XJL_ERANGE);
    assert_int_equal(n, 14);
    assert_int_equal(
        xjl_name_normalize(in, XJL_NTS, XJL_NAME_DISPLAY, small, sizeof small, &n, NULL),
        XJL_ERANGE);
    assert_int_equal(n, 9);
    assert_int_equal(xjl_name_normalize(in, XJL_NTS, XJL_NAME_DISPLAY, NULL, 0, &n, NULL),
                     XJL_ERANGE);
    assert_int_equal(n, 9);
    assert_int_equal(xjl_name_normalize(in, XJL_NTS, XJL_NAME_DISPLAY, buf, 10, &n, NULL), XJL_OK);
    assert_int_equal(xjl_name_normalize(in, XJL_NTS, XJL_NAME_DISPLAY, buf, 9, &n, NULL),
                     XJL_ERANGE);

    /* warnings come back with XJL_OK */
    assert_int_equal(
        xjl_name_normalize("王□", XJL_NTS, XJL_NAME_DISPLAY, buf, sizeof buf, &n, &findings),
        XJL_OK);
    assert_int_equal(findings, XJL_FINDING_BIT(XJL_F_NAME_PLACEHOLDER));
    assert_false(xjl_finding_is_error(XJL_F_NAME_PLACEHOLDER));

    /* an unknown form */
    assert_int_equal(xjl_name_normalize(in, XJL_NTS, (xjl_name_form)9, buf, sizeof buf, &n, NULL),
                     XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "form 9"));
}

/* ---- threads ---------------------------------------------------------- */

static void *forms_in_thread(void *arg)
{
    (void)arg;
    struct xjl_name_forms f;
    for (int i = 0; i < 200; i++) {
        if (xjl__name_forms("單田芳", XJL_NTS, &f) != XJL_OK)
            return "failed";
        if (strcmp(f.simplified, "单田芳") != 0 ||
            strcmp(xjl__pinyin_text(f.pinyin[0]), "shan") != 0)
            return "wrong forms";
    }
    return NULL;
}

/* First in the run: several threads read the tables at once, before anything else has. */
static void test_lazy_init_from_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, forms_in_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *res;
        assert_int_equal(pthread_join(t[i], &res), 0);
        if (res)
            fail_msg("thread %d: %s", i, (const char *)res);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lazy_init_from_threads),
        cmocka_unit_test(test_dot_variants),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_latin),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_ext_b_and_placeholders),
        cmocka_unit_test(test_pinyin),
        cmocka_unit_test(test_syllable_inventory),
        cmocka_unit_test(test_pinyin_tables_match_icu),
        cmocka_unit_test(test_variant_table_matches_icu),
        cmocka_unit_test(test_nfkc_fast_path_is_sound),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_normalize_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
