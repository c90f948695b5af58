/*
 * grow.c: the one way an array of the library grows.
 *
 * Every growable array (the index's entries and arena, a match's candidate
 * positions, a workspace's id map, ...) doubles its capacity when full, so
 * that n appends cost O(n) copies in all.  Doing the doubling here, with its
 * overflow checks, keeps the call sites to one line and one message of their
 * own.
 */
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

int xjl__grow_to(void **p, size_t *cap, size_t need, size_t elem, size_t first_cap)
{
    if (need <= *cap)
        return XJL_OK;
    if (elem == 0 || need > SIZE_MAX / elem)
        return XJL_ENOMEM;
    size_t c = *cap ? *cap : (first_cap ? first_cap : 1);
    while (c < need)
        /* doubling past the largest size an allocation can have: take what is needed */
        c = c > SIZE_MAX / 2 / elem ? need : c * 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return XJL_ENOMEM;
    *p = q;
    *cap = c;
    return XJL_OK;
}
