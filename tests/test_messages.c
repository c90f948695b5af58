/*
 * The message catalogue (messages.c): in id order, every entry in both
 * languages, the same printf conversions in both, no English word in the
 * Chinese text, and the lookups and the per-thread language.
 */
#include "util/util.h"

#include <ctype.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* The conversions of a printf format ("%s%zu%.2f" → "s zu .2f"), "%%" left out.
 * "%.0s" counts as "%s": it takes the same argument and prints nothing, for
 * what one language says and the other does not (an English plural "s", a
 * field's English name beside its Chinese label). */
static void conversions(const char *fmt, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        const char *start = ++p;
        if (strncmp(p, ".0s", 3) == 0)
            start = p += 2;
        while (*p && !strchr("diouxXeEfFgGaAcspn", *p))
            p++;
        int k = snprintf(out + n, cap - n, "%.*s ", (int)(p - start + (*p != '\0')), start);
        assert_true(k > 0 && (size_t)k < cap - n);
        n += (size_t)k;
        if (!*p)
            break;
    }
}

/* Words that may stand in a Chinese text: codes, names of formats and
 * programs, units.  Anything else of two or more ASCII letters is English
 * that was not translated. */
static bool allowed_word(const char *w, size_t n)
{
    static const char *const ok[] = {
        "xjlink", "CSV", "RFC", "UTF", "BOM", "GB", "GBK", "GB18030", "Excel", "xlsx", "xjx", "ID",
        "CRLF", "NUL", "ISO", "JY", "MOD", "T", "XM", "XBM", "CSRQ", "SFZJLXM", "SFZJH", "XSMC",
        "ZJHM", "LC_ALL", "LC_MESSAGES", "LANG", "zh_CN", "en", "zh", "auto", "utf", "gb18030",
        "gbk", "gb2312", "id", "name", "build", "info", "verify", "index", "match", "dedup",
        "check", "intake", "enrol", "csv", "N", "K", "E", "L", "C", "P", "D", "WS", "db", "ROW",
        "SCHOOL", "init", "J", "G", "L",
        /* the workflows' subcommands and the values one types */
        "schools", "school", "import", "list", "show", "edit", "confirm", "none", "delete",
        "supplement", "submit", "return", "override", "approve", "reject", "register", "proof",
        "registrations", "audit", "policy", "graduate", "restore", "quota", "assign", "resolve",
        "review", "admit", "continue", "cancel", "double", "stats", "requests", "matched",
        "pending", "not_found", "error", "confirmed", "county", "city", "province", "junior",
        "senior", "vocational", "self", "unified", "registration",
        /* the index's steps, the ops of a change file and the report's format */
        "update", "compact", "op", "add", "remove", "record_id", "html", "HTML"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strlen(ok[i]) == n && strncmp(ok[i], w, n) == 0)
            return true;
    return false;
}

/* The first English word of a Chinese text, or NULL.  Option names
 * (--word-word), the command words after "xjlink " and printf conversions
 * are not words. */
static const char *english_word(const char *zh, size_t *len)
{
    const char *p = zh;
    while (*p) {
        if (*p == '%') { /* a conversion */
            p++;
            while (*p && !strchr("diouxXeEfFgGaAcspn%", *p))
                p++;
            if (*p)
                p++;
            continue;
        }
        if (p[0] == '-' && p[1] == '-') { /* an option name */
            p += 2;
            while (isalnum((unsigned char)*p) || *p == '-')
                p++;
            continue;
        }
        if (isalpha((unsigned char)*p)) {
            const char *w = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            size_t n = (size_t)(p - w);
            bool named = *p == '-' || (w > zh && w[-1] == '-'); /* load-registry: typed */
            if (n >= 2 && !named && !allowed_word(w, n)) {
                *len = n;
                return w;
            }
            continue;
        }
        p++;
    }
    return NULL;
}

static void test_catalogue(void **state)
{
    (void)state;
    size_t n = xjl_message_count();
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        const char *id = xjl_message_id(i);
        assert_non_null(id);
        if (i) /* sorted, no id twice: the lookup is a binary search */
            assert_true(strcmp(xjl_message_id(i - 1), id) < 0);
        const char *en = xjl_message(id, XJL_LANG_EN), *zh = xjl_message(id, XJL_LANG_ZH);
        assert_true(xjl_message_exists(id));
        assert_true(*en && *zh);
        char ce[256], cz[256];
        conversions(en, ce, sizeof ce);
        conversions(zh, cz, sizeof cz);
        if (strcmp(ce, cz) != 0)
            fail_msg("%s: conversions '%s' in English, '%s' in Chinese", id, ce, cz);
        size_t wl;
        const char *w = english_word(zh, &wl);
        if (w)
            fail_msg("%s: the Chinese text has the English word '%.*s'", id, (int)wl, w);
    }
    assert_null(xjl_message_id(n));
}

/* The checks above do find what they look for. */
static void test_checks_bite(void **state)
{
    (void)state;
    char a[64], b[64];
    conversions("%s: %zu rows, %.0f%% done", a, sizeof a);
    conversions("%s：%zu行，完成%.0f%%", b, sizeof b);
    assert_string_equal(a, b);
    conversions("%s：%d行", b, sizeof b);
    assert_string_not_equal(a, b);
    conversions("%zu row%s", a, sizeof a);
    conversions("%zu行%.0s", b, sizeof b);
    assert_string_equal(a, b);
    conversions("%zu行%.1s", b, sizeof b);
    assert_string_not_equal(a, b);
    size_t wl;
    assert_null(english_word("用法：xjlink match --registry 文件 --out 结果.csv，%s", &wl));
    const char *w = english_word("学籍库 %s：300 records", &wl);
    assert_non_null(w);
    assert_int_equal(wl, 7);
}

static void test_lookup(void **state)
{
    (void)state;
    assert_string_equal(xjl_message("status.matched", XJL_LANG_EN), "matched");
    assert_string_equal(xjl_message("status.matched", XJL_LANG_ZH), "已匹配学前学籍");
    assert_string_equal(xjl_message("level.id.typo", XJL_LANG_ZH), "证件号一位之差");
    assert_string_equal(xjl_message("level.name.pinyin", XJL_LANG_ZH), "姓名同音");
    /* an id not in the catalogue shows itself, never NULL */
    assert_string_equal(xjl_message("no.such.message", XJL_LANG_ZH), "no.such.message");
    assert_false(xjl_message_exists("no.such.message"));
    assert_string_equal(xjl_message(NULL, XJL_LANG_EN), "");
    assert_string_equal(xjl_strerror_lang(XJL_ENOTFOUND, XJL_LANG_ZH), "未找到");
    assert_string_equal(xjl_strerror(XJL_ENOTFOUND), "not found");
    assert_string_equal(xjl_finding_message(XJL_F_ID_CHECK, 1), "证件号校验码错误");
    assert_string_equal(xjl_field_label(XJL_FIELD_BIRTH_DATE, XJL_LANG_ZH), "出生日期");
    assert_string_equal(xjl_level_label(XJL_FIELD_ID_NUMBER, XJL_LV_ID_TYPO, XJL_LANG_EN),
                        "id=typo");
    /* looked up once, then the same text in each language */
    assert_string_equal(xjl_level_label(XJL_FIELD_ID_NUMBER, XJL_LV_ID_TYPO, XJL_LANG_ZH),
                        "证件号一位之差");
    assert_string_equal(xjl_level_label(XJL_FIELD_ID_NUMBER, XJL_LV_ID_TYPO, XJL_LANG_EN),
                        "id=typo");
    /* a level the field has no label for reads as the level's name, a text
     * that stays valid (not the catalogue id, made in the lookup's frame) */
    const char *odd = xjl_level_label(XJL_FIELD_NAME, XJL_LV_ID_TYPO, XJL_LANG_EN);
    assert_string_equal(xjl_level_label(XJL_FIELD_GENDER, XJL_LV_GENDER_EXACT, XJL_LANG_ZH),
                        xjl_message("level.gender.exact", XJL_LANG_ZH));
    assert_string_equal(odd, "typo");
    assert_string_equal(xjl_level_label((xjl_field)99, XJL_LV_DATE_SWAP, XJL_LANG_EN), "swap");
    assert_string_equal(xjl_status_label(XJL_PENDING, XJL_LANG_ZH), "待确认学前学籍");
}

/* The language of error messages is the thread's own. */
static void *fail_in_english(void *arg)
{
    (void)arg;
    xjl__failm(XJL_ENOMEM, "cli.out_of_memory");
    return (void *)(intptr_t)(strcmp(xjl_errmsg(), "out of memory") == 0);
}

static void test_thread_lang(void **state)
{
    (void)state;
    assert_int_equal(xjl_get_lang(), XJL_LANG_EN);
    assert_int_equal(xjl_set_lang((xjl_lang)7), XJL_EINVAL);
    assert_int_equal(xjl_set_lang(XJL_LANG_ZH), XJL_OK);
    assert_int_equal(xjl__failm(XJL_EINVAL, "cli.unknown_language", "fr"), XJL_EINVAL);
    assert_string_equal(xjl_errmsg(), "未知语言 'fr'（可用 en 或 zh）");
    pthread_t t;
    void *english;
    assert_int_equal(pthread_create(&t, NULL, fail_in_english, NULL), 0);
    assert_int_equal(pthread_join(t, &english), 0);
    assert_true((intptr_t)english);
    assert_int_equal(xjl_get_lang(), XJL_LANG_ZH);
    xjl_set_lang(XJL_LANG_EN);
    xjl__failm(XJL_EINVAL, "cli.unknown_language", "fr");
    assert_string_equal(xjl_errmsg(), "unknown language 'fr' (use en or zh)");
}

/* A stored text reads in either language, its arguments formatted once. */
static void test_stored_text(void **state)
{
    (void)state;
    char s[512], out[512];
    xjl__stored(s, sizeof s, "ws.cli.loaded", (size_t)1, XJL_PLURAL(1), (size_t)1, (size_t)0,
                (size_t)0, (size_t)0);
    assert_true(xjl__is_stored(s));
    xjl__stored_render(s, XJL_LANG_EN, out, sizeof out);
    assert_string_equal(out, "1 row: 1 inserted, 0 updated, 0 unchanged, 0 not loaded\n");
    xjl__stored_render(s, XJL_LANG_ZH, out, sizeof out);
    assert_string_equal(out, "1行：新增1，更新0，未变0，未读入0\n");
    /* a word of the catalogue as an argument; a typed reason cannot split it */
    xjl__stored(s, sizeof s, "ws.audit.row_deleted", XJL_STORED_WORD "ws.audit.no_reason",
                "a\x1f"
                "b\x1e"
                "c");
    xjl__stored_render(s, XJL_LANG_ZH, out, sizeof out);
    assert_string_equal(out, "已删除（未说明原因）：a b c");
    xjl__stored(s, sizeof s, "ws.intake.no_free_number", 110101L, 2018, 3, 1);
    xjl__stored_render(s, XJL_LANG_EN, out, sizeof out);
    assert_string_equal(out,
                        "no free temporary number for region 110101 and birth date 2018-03-01");
    /* text written before, by hand, or by a newer library */
    xjl__stored_render("plain words", XJL_LANG_ZH, out, sizeof out);
    assert_string_equal(out, "plain words");
    xjl__stored_render("\x1e"
                       "ws.no.such\x1f"
                       "7",
                       XJL_LANG_ZH, out, sizeof out);
    assert_string_equal(out, "ws.no.such 7");
    assert_string_equal(XJL_STORED("ws.audit.continued"), "\x1e"
                                                          "ws.audit.continued");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),   cmocka_unit_test(test_checks_bite),
        cmocka_unit_test(test_lookup),      cmocka_unit_test(test_thread_lang),
        cmocka_unit_test(test_stored_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
