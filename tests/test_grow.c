/* The growth helper (lib/util/grow.c): capacities as a table of cases,
 * the contents kept across a growth, and every overflow refused with the
 * array left as it was. */
#include "util/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

/* ---- the capacity a request leaves ------------------------------------- */

static const struct {
    size_t cap, need, first, want;
} cases[] = {
    {0, 0, 64, 0},                            /* nothing needed: nothing allocated */
    {0, 1, 64, 64},                           /* an empty array starts at first_cap */
    {0, 100, 64, 128},                        /* ... doubled until it holds need */
    {0, 3, 0, 4},                             /* first_cap 0 starts at 1 */
    {64, 64, 16, 64},                         /* room already: unchanged */
    {64, 65, 16, 128},                        /* full: doubles */
    {64, 1000, 16, 1024}, {10, 11, 4096, 20}, /* a non-empty array doubles from its own capacity */
};

static void test_capacities(void **state)
{
    (void)state;
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        uint32_t *a = NULL;
        size_t cap = 0;
        if (cases[k].cap) {
            a = malloc(cases[k].cap * sizeof *a);
            assert_non_null(a);
            cap = cases[k].cap;
        }
        assert_int_equal(XJL_GROW(a, cap, cases[k].need, cases[k].first), XJL_OK);
        assert_int_equal(cap, cases[k].want);
        if (cap)
            a[cap - 1] = 7; /* the whole capacity is there (ASan checks) */
        free(a);
    }
}

static void test_keeps_contents(void **state)
{
    (void)state;
    uint64_t *a = NULL;
    size_t cap = 0, n = 0;
    for (uint64_t i = 0; i < 100000; i++) {
        assert_int_equal(XJL_GROW(a, cap, n + 1, 16), XJL_OK);
        a[n++] = i * 3;
    }
    assert_true(cap >= n && cap < 2 * n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(a[i], i * 3);
    free(a);
}

/* need * elem past SIZE_MAX (or no element size): XJL_ENOMEM before any
 * allocation, the array and its capacity as they were.  (A size realloc
 * refuses is not tried: AddressSanitizer stops the program at once.) */
static void test_overflow_refused(void **state)
{
    (void)state;
    uint64_t *a = malloc(4 * sizeof *a);
    assert_non_null(a);
    a[3] = 42;
    size_t cap = 4;
    uint64_t *before = a;
    assert_int_equal(XJL_GROW(a, cap, SIZE_MAX / 4, 16), XJL_ENOMEM);
    assert_ptr_equal(a, before);
    assert_int_equal(cap, 4);
    assert_int_equal(XJL_GROW(a, cap, SIZE_MAX / sizeof *a + 1, 16), XJL_ENOMEM);
    assert_int_equal(cap, 4);
    assert_int_equal(a[3], 42);
    assert_int_equal(xjl__grow_to((void **)&a, &cap, 5, 0, 4), XJL_ENOMEM);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacities),
        cmocka_unit_test(test_keeps_contents),
        cmocka_unit_test(test_overflow_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
