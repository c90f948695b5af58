/* 身份证件类型 (JY/T 1001): codes, names, labels, the citizen class. */
#include "fields/fields.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static const xjl_id_type all_types[] = {
    XJL_IDTYPE_RESIDENT,     XJL_IDTYPE_OFFICER,  XJL_IDTYPE_SOLDIER,   XJL_IDTYPE_CIVILIAN_CADRE,
    XJL_IDTYPE_ARMY_RETIRED, XJL_IDTYPE_HONGKONG, XJL_IDTYPE_MACAO,     XJL_IDTYPE_TAIWAN,
    XJL_IDTYPE_FOREIGN_PR,   XJL_IDTYPE_PASSPORT, XJL_IDTYPE_HOUSEHOLD, XJL_IDTYPE_HMT_RESIDENCE,
    XJL_IDTYPE_OTHER,
};

struct type_row {
    const char *s;
    xjl_id_type want;
};

static void assert_rows(const struct type_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xjl_id_type t = XJL_IDTYPE_NONE;
        int rc = xjl_id_type_parse(rows[i].s, XJL_NTS, &t);
        if (rc != XJL_OK || t != rows[i].want)
            fail_msg("row %zu '%s': rc %d type %d", i, rows[i].s, rc, (int)t);
    }
}

static void test_codes(void **state)
{
    (void)state;
    static const struct type_row rows[] = {
        {"1", XJL_IDTYPE_RESIDENT},
        {"2", XJL_IDTYPE_OFFICER},
        {"3", XJL_IDTYPE_SOLDIER},
        {"4", XJL_IDTYPE_CIVILIAN_CADRE},
        {"5", XJL_IDTYPE_ARMY_RETIRED},
        {"6", XJL_IDTYPE_HONGKONG},
        {"7", XJL_IDTYPE_MACAO},
        {"8", XJL_IDTYPE_TAIWAN},
        {"9", XJL_IDTYPE_FOREIGN_PR},
        {"A", XJL_IDTYPE_PASSPORT},
        {"a", XJL_IDTYPE_PASSPORT},
        {"B", XJL_IDTYPE_HOUSEHOLD},
        {"b", XJL_IDTYPE_HOUSEHOLD},
        {"C", XJL_IDTYPE_HMT_RESIDENCE},
        {"c", XJL_IDTYPE_HMT_RESIDENCE},
        {"Z", XJL_IDTYPE_OTHER},
        {"z", XJL_IDTYPE_OTHER},
        {"１", XJL_IDTYPE_RESIDENT},
        {"９", XJL_IDTYPE_FOREIGN_PR}, /* full-width */
        {"Ａ", XJL_IDTYPE_PASSPORT},
        {"ｂ", XJL_IDTYPE_HOUSEHOLD},
        {"Ｃ", XJL_IDTYPE_HMT_RESIDENCE},
        {"ｚ", XJL_IDTYPE_OTHER},
        {" 1 ", XJL_IDTYPE_RESIDENT},
        {"\xE3\x80\x80"
         "B",
         XJL_IDTYPE_HOUSEHOLD},
    };
    assert_rows(rows, XJL_ARRAY_LEN(rows));
}

static void test_names(void **state)
{
    (void)state;
    static const struct type_row rows[] = {
        {"居民身份证", XJL_IDTYPE_RESIDENT},
        {"身份证", XJL_IDTYPE_RESIDENT},
        {"二代身份证", XJL_IDTYPE_RESIDENT},
        {" 居民身份证\xE3\x80\x80", XJL_IDTYPE_RESIDENT},
        {"军官证", XJL_IDTYPE_OFFICER},
        {"士兵证", XJL_IDTYPE_SOLDIER},
        {"文职干部证", XJL_IDTYPE_CIVILIAN_CADRE},
        {"部队离退休证", XJL_IDTYPE_ARMY_RETIRED},
        {"香港特区护照/身份证明", XJL_IDTYPE_HONGKONG},
        {"香港特区护照／身份证明", XJL_IDTYPE_HONGKONG}, /* full-width slash */
        {"香港特区护照", XJL_IDTYPE_HONGKONG},
        {"香港居民来往内地通行证", XJL_IDTYPE_HONGKONG},
        {"澳门特区护照/身份证明", XJL_IDTYPE_MACAO},
        {"澳门居民来往内地通行证", XJL_IDTYPE_MACAO},
        {"台湾居民来往大陆通行证", XJL_IDTYPE_TAIWAN},
        {"台胞证", XJL_IDTYPE_TAIWAN},
        {"境外永久居住证", XJL_IDTYPE_FOREIGN_PR},
        {"外国人永久居留身份证", XJL_IDTYPE_FOREIGN_PR},
        {"护照", XJL_IDTYPE_PASSPORT},
        {"户口簿", XJL_IDTYPE_HOUSEHOLD},
        {"户口薄", XJL_IDTYPE_HOUSEHOLD}, /* the misspelling rosters use */
        {"户口本", XJL_IDTYPE_HOUSEHOLD},
        {"港澳台居民居住证", XJL_IDTYPE_HMT_RESIDENCE},
        {"其他", XJL_IDTYPE_OTHER},
        {"其它", XJL_IDTYPE_OTHER},
    };
    assert_rows(rows, XJL_ARRAY_LEN(rows));
}

static void test_labels_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < XJL_ARRAY_LEN(all_types); i++) {
        const char *label = xjl_id_type_label(all_types[i]);
        assert_true(strlen(label) > 0);
        xjl_id_type t = XJL_IDTYPE_NONE;
        assert_int_equal(xjl_id_type_parse(label, XJL_NTS, &t), XJL_OK);
        assert_int_equal(t, all_types[i]);
        /* The code itself reads back too. */
        char code[2] = {(char)all_types[i], '\0'};
        assert_int_equal(xjl_id_type_parse(code, XJL_NTS, &t), XJL_OK);
        assert_int_equal(t, all_types[i]);
    }
    assert_string_equal(xjl_id_type_label(XJL_IDTYPE_RESIDENT), "居民身份证");
    assert_string_equal(xjl_id_type_label(XJL_IDTYPE_HOUSEHOLD), "户口簿");
    assert_string_equal(xjl_id_type_label(XJL_IDTYPE_NONE), "");
    assert_string_equal(xjl_id_type_label((xjl_id_type)'X'), "");
}

static void test_citizen_class(void **state)
{
    (void)state;
    for (size_t i = 0; i < XJL_ARRAY_LEN(all_types); i++) {
        xjl_id_type t = all_types[i];
        int want =
            t == XJL_IDTYPE_RESIDENT || t == XJL_IDTYPE_HOUSEHOLD || t == XJL_IDTYPE_HMT_RESIDENCE;
        assert_int_equal(xjl_id_type_is_citizen(t), want);
    }
    assert_int_equal(xjl_id_type_is_citizen(XJL_IDTYPE_NONE), 0);
}

static void test_rejected(void **state)
{
    (void)state;
    static const char *const rows[] = {
        "0",
        "D",
        "X",
        "AB",
        "11",
        "1A",
        "身份",
        "身份证号",
        "居民身分证",
        "户口",
        "护照号",
        /* Held by Hong Kong and Macao residents alike: cannot pick 6 or 7. */
        "港澳居民来往内地通行证",
        "回乡证",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(rows); i++) {
        xjl_id_type t = XJL_IDTYPE_PASSPORT;
        xjl__clear_error();
        if (xjl_id_type_parse(rows[i], XJL_NTS, &t) != XJL_EINVAL)
            fail_msg("row %zu '%s' accepted as %d", i, rows[i], (int)t);
        assert_int_equal(t, XJL_IDTYPE_NONE);
        assert_non_null(strstr(xjl_errmsg(), "id_type"));
        assert_non_null(strstr(xjl_errmsg(), rows[i]));
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    xjl_id_type t = XJL_IDTYPE_PASSPORT;
    /* Empty is "not given", not an error. */
    assert_int_equal(xjl_id_type_parse("", XJL_NTS, &t), XJL_OK);
    assert_int_equal(t, XJL_IDTYPE_NONE);
    t = XJL_IDTYPE_PASSPORT;
    assert_int_equal(xjl_id_type_parse(NULL, XJL_NTS, &t), XJL_OK);
    assert_int_equal(t, XJL_IDTYPE_NONE);
    assert_int_equal(xjl_id_type_parse("  ", XJL_NTS, &t), XJL_OK);

    assert_int_equal(xjl_id_type_parse("\xE6\x8A\xA4\xE7", XJL_NTS, &t), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "UTF-8"));
    assert_int_equal(xjl_id_type_parse("1\0", 2, &t), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "NUL"));
    assert_int_equal(t, XJL_IDTYPE_NONE);

    static char big[10001]; /* a 10,000-character field */
    memset(big, 'A', 10000);
    big[10000] = '\0';
    assert_int_equal(xjl_id_type_parse(big, XJL_NTS, &t), XJL_EINVAL);
    assert_non_null(strstr(xjl_errmsg(), "too long"));

    assert_int_equal(xjl_id_type_parse("1", XJL_NTS, NULL), XJL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_labels_round_trip),
        cmocka_unit_test(test_citizen_class),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
