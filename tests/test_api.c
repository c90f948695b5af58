/* The public API's conventions: a constructor returns a status, hands its
 * object through its first parameter, sets *out to NULL and the thread's
 * code and message whenever it fails. */
#include "xjlink.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* What a caller might have left in its pointer: never read, only replaced. */
#define STALE ((void *)&stale_target)
static int stale_target;

static xjl_index *unbuilt_index(void)
{
    xjl_index *ix = NULL;
    assert_int_equal(xjl_index_new(&ix), XJL_OK);
    assert_non_null(ix);
    return ix;
}

static int index_new_null_out(void **obj)
{
    *obj = NULL;
    return xjl_index_new(NULL);
}

static int matcher_new_null_out(void **obj)
{
    *obj = NULL;
    xjl_index *ix = unbuilt_index();
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    int rc = xjl_matcher_new(NULL, ix);
    xjl_index_free(ix);
    return rc;
}

static int matcher_new_null_index(void **obj)
{
    return xjl_matcher_new((xjl_matcher **)obj, NULL);
}

static int matcher_new_unbuilt(void **obj)
{
    xjl_index *ix = unbuilt_index();
    int rc = xjl_matcher_new((xjl_matcher **)obj, ix);
    xjl_index_free(ix);
    return rc;
}

static int dedup_new_null_out(void **obj)
{
    *obj = NULL;
    return xjl_dedup_new(NULL);
}

static int index_open_missing(void **obj)
{
    return xjl_index_open((xjl_index **)obj, "no-such-dir/registry.xjx", 0);
}

static int index_open_bad_flags(void **obj)
{
    return xjl_index_open((xjl_index **)obj, "registry.xjx", 0x80);
}

static const struct {
    const char *what;
    int (*call)(void **obj);
    xjl_error code;
    const char *message; /* a part of the message that says what was wrong */
} failures[] = {
    {"index_new, NULL out", index_new_null_out, XJL_EINVAL, "NULL out"},
    {"matcher_new, NULL out", matcher_new_null_out, XJL_EINVAL, "NULL out"},
    {"matcher_new, NULL index", matcher_new_null_index, XJL_EINVAL, "NULL index"},
    {"matcher_new, index not built", matcher_new_unbuilt, XJL_ESTATE, "not built"},
    {"dedup_new, NULL out", dedup_new_null_out, XJL_EINVAL, "NULL out"},
    {"index_open, no file", index_open_missing, XJL_ENOTFOUND, "no-such-dir/registry.xjx"},
    {"index_open, unknown flags", index_open_bad_flags, XJL_EINVAL, "unknown flags"},
};

static void test_constructor_failures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        void *obj = STALE;
        xjl_error_clear();
        int rc = failures[i].call(&obj);
        if (rc != (int)failures[i].code || xjl_errcode() != failures[i].code || obj != NULL ||
            !strstr(xjl_errmsg(), failures[i].message))
            fail_msg("%s: rc %d, errcode %d, out %p, message '%s'; want %d, NULL, '%s'",
                     failures[i].what, rc, (int)xjl_errcode(), obj, xjl_errmsg(),
                     (int)failures[i].code, failures[i].message);
    }
}

/* Success hands a usable object through out and leaves no error behind. */
static void test_constructors_succeed(void **state)
{
    (void)state;
    xjl_error_clear();
    xjl_index *ix = unbuilt_index();
    xjl_record r = {"王小明", "男", "2019-03-15", "", ""};
    assert_int_equal(xjl_index_add(ix, "a", &r), XJL_OK);
    assert_int_equal(xjl_index_build(ix, 1), XJL_OK);
    xjl_matcher *m = STALE;
    assert_int_equal(xjl_matcher_new(&m, ix), XJL_OK);
    assert_true(m != NULL && m != STALE);
    xjl_result *res = NULL;
    assert_int_equal(xjl_matcher_match(m, &r, &res), XJL_OK);
    assert_int_equal(xjl_result_candidate_count(res), 1);
    xjl_result_free(res);
    xjl_dedup *d = STALE;
    assert_int_equal(xjl_dedup_new(&d), XJL_OK);
    assert_true(d != NULL && d != STALE);
    assert_int_equal(xjl_dedup_run(d, ix, 1), XJL_OK);
    assert_int_equal(xjl_errcode(), XJL_OK);
    xjl_dedup_free(d);
    xjl_matcher_free(m);
    xjl_index_free(ix);
}

/* Predicates answer bool; name functions take their enum and name a value
 * outside it "unknown" rather than reading past a table. */
static void test_predicates_and_names(void **state)
{
    (void)state;
    bool yes = xjl_finding_is_error(XJL_F_ID_CHECK), no = xjl_finding_is_error(XJL_F_ID_REGION);
    assert_true(yes);
    assert_false(no);
    assert_false(xjl_finding_is_error((xjl_finding)-1));
    assert_true(xjl_id_type_is_citizen(XJL_IDTYPE_RESIDENT));
    assert_false(xjl_id_type_is_citizen(XJL_IDTYPE_PASSPORT));
    assert_false(xjl_xlsx_is_workbook("no-such-dir/book.xlsx"));
    assert_string_equal(xjl_finding_message(XJL_F_EMPTY, XJL_LANG_EN), "empty");
    assert_string_not_equal(xjl_finding_message(XJL_F_EMPTY, XJL_LANG_EN),
                            xjl_finding_message(XJL_F_EMPTY, XJL_LANG_ZH));
    assert_string_equal(xjl_level_name((xjl_level)-5), "unknown");
    assert_string_equal(xjl_dup_class_name((xjl_dup_class)0), "unknown");
    assert_string_not_equal(xjl_strerror((xjl_error)-999), xjl_strerror(XJL_OK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constructor_failures),
        cmocka_unit_test(test_constructors_succeed),
        cmocka_unit_test(test_predicates_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
