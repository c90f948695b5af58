/*
 * The birth-date table: the near search for a child whose name is one
 * character off and whose ID number cannot find it (missing, or invalid: a
 * wrong digit or a swap of two always fails the check character).
 *
 * The build sorts the records with a usable Han name and a birth date by
 * (birth date, gender) with a counting sort into one array; the block of a
 * day and gender is a contiguous range of it, found from an array of starts.
 * Each element is the record's position and, in an array of its own in the
 * same order, a 16-bit signature of its name (the length and four bits per
 * character for the first three), so that a probe reads the signatures of
 * its block in one sequential pass (two bytes an element) and keeps only
 * names of the same length that differ in at most one of those characters;
 * these are then compared for real, character by character, on the entry.
 * A signature is only a filter: a wider one would let fewer names through
 * to that check, never change what is kept.  No key is hashed, nothing is
 * kept per record but the 6 bytes of its element.
 * Records changed after the build are found through a small map by day and
 * gender in the delta (delta.c); removed ones through its dead bits.
 * docs/matching.md ("The near search") says when a row probes it.
 */
#include "match/matching.h"

#include <stdlib.h>
#include <string.h>

/* The gender slot of a block: 0 unknown, 1 male, 2 female, 3 unspecified. */
static unsigned gender_slot(uint8_t g)
{
    return g < 3 ? g : 3;
}

bool xjl__near_eligible(const struct xjl_entry *e)
{
    return xjl__entry_dob(e) != XJL_DATE_NONE &&
           (e->flags & (XJL_ENTRY_NAME_OK | XJL_ENTRY_LATIN | XJL_ENTRY_PLACEHOLDER)) ==
               XJL_ENTRY_NAME_OK;
}

/* Four bits of a character for the signature (a multiplicative hash: two
 * characters share them one time in 16, and the entry is checked then). */
static uint16_t char_nibble(uint32_t cp)
{
    return (uint16_t)((cp * 0x9E3779B1u) >> 28);
}

uint16_t xjl__near_sig(const uint32_t *cps, size_t n)
{
    uint16_t sig = n > 15 ? 15 : (uint16_t)n;
    for (size_t i = 0; i < n && i < 3; i++)
        sig |= (uint16_t)(char_nibble(cps[i]) << (4 * (i + 1)));
    return sig;
}

bool xjl__near_sig_close(uint16_t a, uint16_t b)
{
    if ((a & 0xf) != (b & 0xf))
        return false;
    uint32_t x = (uint32_t)(a ^ b) >> 4;
    /* the high bit of each nibble of x that is not zero */
    uint32_t m = (((x & 0x777u) + 0x777u) | x) & 0x888u;
    return (m & (m - 1)) == 0; /* one character at most */
}

size_t xjl__entry_cps(const xjl_index *ix, const struct xjl_entry *e, uint32_t *cps, size_t cap)
{
    const char *bare = xjl__index_str(ix, e->name_off);
    size_t len = strlen(bare), n = 0;
    for (size_t at = 0; at < len;) {
        int32_t cp = xjl__utf8_next(bare, len, &at);
        if (cp < 0 || n == cap)
            return 0; /* not a name the near search reads */
        cps[n++] = xjl__simplify((uint32_t)cp);
    }
    return n;
}

uint64_t xjl__near_key(int32_t day, uint8_t gender)
{
    /* the delta map's bucket is the key's low bits: an odd multiplier keeps
     * neighbouring days in different buckets */
    return ((uint64_t)(uint32_t)day * 4 + gender_slot(gender)) * 0x9E3779B97F4A7C15ull;
}

/* How many records ahead the build fetches a name. */
#define NAME_AHEAD 16

int xjl__near_build(xjl_index *ix)
{
    /* called once, by the build of an index that has no table yet */
    size_t slots = (size_t)ix->ndates * XJL_NEAR_GENDERS;
    uint32_t *days = calloc(slots + 2, sizeof *days);
    if (!days)
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the birth-date table");
    days[0] = (uint32_t)ix->date_lo;
    uint32_t *start = days + 1;
    /* count each slot's records one slot further on, then sum: start[s] is
     * where slot s begins and, after the placing pass, where it ends */
    size_t n = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const struct xjl_entry *e = &ix->entries[i];
        if (!xjl__near_eligible(e))
            continue;
        size_t s =
            (size_t)(xjl__entry_dob(e) - ix->date_lo) * XJL_NEAR_GENDERS + gender_slot(e->gender);
        start[s + 1]++;
        n++;
    }
    for (size_t s = 0; s < slots; s++)
        start[s + 1] += start[s];
    uint32_t *el = malloc((n ? n : 1) * sizeof *el);
    uint16_t *sig = malloc((n ? n : 1) * sizeof *sig);
    uint32_t *fill = malloc((slots ? slots : 1) * sizeof *fill);
    if (!el || !sig || !fill) {
        free(days);
        free(el);
        free(sig);
        free(fill);
        return xjl__fail(XJL_ENOMEM, "index: out of memory for the birth-date table");
    }
    memcpy(fill, start, slots * sizeof *fill);
    uint32_t cps[XJL_NAME_MAX_CPS];
    for (size_t i = 0; i < ix->n; i++) {
        const struct xjl_entry *e = &ix->entries[i];
        /* each name is kept once, where it first came: a name said again
         * lies anywhere in the strings */
        if (i + NAME_AHEAD < ix->n)
            __builtin_prefetch(ix->arena + ix->entries[i + NAME_AHEAD].name_off);
        if (!xjl__near_eligible(e))
            continue;
        size_t s =
            (size_t)(xjl__entry_dob(e) - ix->date_lo) * XJL_NEAR_GENDERS + gender_slot(e->gender);
        size_t k = xjl__entry_cps(ix, e, cps, XJL_NAME_MAX_CPS);
        sig[fill[s]] = xjl__near_sig(cps, k);
        el[fill[s]++] = (uint32_t)i;
    }
    free(fill);
    ix->near_days = days;
    ix->near_pos = el;
    ix->near_sig = sig;
    ix->near_n = n;
    ix->near_slots = (uint32_t)slots;
    return XJL_OK;
}

/* Whether two names of n code points differ in at most one position. */
static bool one_position_apart(const uint32_t *a, const uint32_t *b, size_t n)
{
    size_t diff = 0;
    for (size_t i = 0; i < n && diff < 2; i++)
        diff += a[i] != b[i];
    return diff < 2;
}

struct near_probe {
    const xjl_index *ix;
    const uint32_t *cps;
    size_t ncps;
    uint16_t sig;
    int (*keep)(void *ctx, uint32_t pos);
    void *ctx;
};

/* The entry at pos checked for real: live, and its name one position apart. */
static int near_check(const struct near_probe *p, uint32_t pos)
{
    if (xjl__index_dead(p->ix, pos))
        return XJL_OK;
    uint32_t cps[XJL_NAME_MAX_CPS];
    size_t k = xjl__entry_cps(p->ix, xjl__entry(p->ix, pos), cps, XJL_NAME_MAX_CPS);
    if (k != p->ncps || !one_position_apart(cps, p->cps, k))
        return XJL_OK;
    return p->keep(p->ctx, pos);
}

size_t xjl__near_search(const xjl_index *ix, const uint32_t *cps, size_t ncps, uint8_t gender,
                        int32_t day, int (*keep)(void *ctx, uint32_t pos), void *ctx, int *rc)
{
    struct near_probe p = {ix, cps, ncps, xjl__near_sig(cps, ncps), keep, ctx};
    size_t scanned = 0;
    *rc = XJL_OK;
    if (ncps < 2 || day == XJL_DATE_NONE)
        return 0;
    int64_t d = (int64_t)day - (int32_t)(ix->near_days ? ix->near_days[0] : 0);
    if (ix->near_days && d >= 0 && d < (int64_t)(ix->near_slots / XJL_NEAR_GENDERS)) {
        const uint32_t *start = ix->near_days + 1;
        size_t s = (size_t)d * XJL_NEAR_GENDERS + gender_slot(gender);
        /* an opened file's starts are checked by xjl_index_verify(), not at
         * open: a damaged one still stays inside the elements */
        uint32_t from = start[s], to = start[s + 1];
        if (to > ix->near_n)
            to = (uint32_t)ix->near_n;
        if (from > to)
            from = to;
        scanned = to - from;
        for (uint32_t i = from; i < to && !*rc; i++)
            if (xjl__near_sig_close(ix->near_sig[i], p.sig) && ix->near_pos[i] < ix->n)
                *rc = near_check(&p, ix->near_pos[i]);
    }
    const struct xjl_delta *dl = ix->delta;
    if (dl && dl->near.head) {
        uint64_t key = xjl__near_key(day, gender);
        for (uint32_t i = dl->near.head[key & dl->near.mask]; i && !*rc;
             i = dl->near.items[i - 1].next) {
            const struct xjl_delta_item *it = &dl->near.items[i - 1];
            const struct xjl_entry *e = xjl__entry(ix, it->pos);
            scanned++;
            if (it->key == key && xjl__entry_dob(e) == day &&
                gender_slot(e->gender) == gender_slot(gender))
                *rc = near_check(&p, it->pos);
        }
    }
    return scanned;
}
