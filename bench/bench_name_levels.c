/*
 * u of the name's agreement levels: how often two DIFFERENT children that a
 * search key puts side by side (born the same day: the date is part of
 * every name key) have names at each level by chance.  The weights of the
 * fuzzy_pinyin and lookalike levels are derived from these figures
 * (docs/matching.md, "Name levels and their weights").
 *
 *   bench_name_levels REGISTRY.csv [PAIRS]
 *
 * reads a registry (bench/gen_registry's, whose records are distinct
 * children), draws PAIRS (default 2,000,000) random pairs of records born on
 * the same day, grades each pair's names as the matcher does, and prints the
 * count and share of each level.
 */
#include "match/matching.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const xjl_index *by_dob_ix;
static int cmp_dob(const void *a, const void *b)
{
    const struct xjl_entry *x = xjl__entry(by_dob_ix, *(const uint32_t *)a);
    const struct xjl_entry *y = xjl__entry(by_dob_ix, *(const uint32_t *)b);
    return (xjl__entry_dob(x) > xjl__entry_dob(y)) - (xjl__entry_dob(x) < xjl__entry_dob(y));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_name_levels REGISTRY.csv [PAIRS]\n");
        return 2;
    }
    size_t want = argc > 2 ? strtoull(argv[2], NULL, 10) : 2000000;
    xjl_index *ix;
    size_t bad = 0;
    if (xjl_index_new(&ix) ||
        xjl_index_add_csv(ix, argv[1], XJL_ENC_AUTO, NULL, NULL, NULL, &bad) ||
        xjl_index_build(ix, 0)) {
        fprintf(stderr, "bench_name_levels: %s\n", xjl_errmsg());
        return 1;
    }
    size_t n;
    const struct xjl_entry *entries = xjl__index_entries(ix, &n);
    uint32_t *order = malloc(n * sizeof *order);
    if (!order)
        return 1;
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    by_dob_ix = ix;
    qsort(order, n, sizeof *order, cmp_dob);

    /* all pairs; then pairs of the same gender by the first name's length
     * (2 characters, 3 or more): the block a query competes in is its birth
     * date AND gender, and a name of three characters has far fewer names
     * one character away than a name of two (match.c's loose_chance()) */
    enum { ALL, SAME_2, SAME_3, SPLITS };
    static const char *const split_name[SPLITS] = {"all", "same gender, 2 chars",
                                                   "same gender, 3+ chars"};
    size_t counts[SPLITS][XJL_LV_NAME_DIFFERENT + 1] = {{0}}, npairs[SPLITS] = {0}, pairs = 0;
    struct xjl_query *q = calloc(1, sizeof *q);
    for (size_t tries = 0; pairs < want && tries < want * 4; tries++) {
        size_t a = next() % n;
        /* the run of records born on a's day */
        size_t lo = a, hi = a;
        int32_t d = xjl__entry_dob(&entries[order[a]]);
        if (d == XJL_DATE_NONE)
            continue;
        while (lo > 0 && xjl__entry_dob(&entries[order[lo - 1]]) == d)
            lo--;
        while (hi + 1 < n && xjl__entry_dob(&entries[order[hi + 1]]) == d)
            hi++;
        if (hi == lo)
            continue;
        size_t b = lo + next() % (hi - lo + 1);
        if (b == a)
            continue;
        const struct xjl_entry *ea = &entries[order[a]], *eb = &entries[order[b]];
        if (!(ea->flags & eb->flags & XJL_ENTRY_NAME_OK))
            continue;
        xjl_record rec = {.name = xjl__index_str(ix, ea->name_off),
                          .gender = "",
                          .birth_date = "",
                          .id_type = "",
                          .id_number = ""};
        xjl__record_read(&rec, &q->in);
        xjl__entry_pack(&q->in, &q->e);
        /* the query's name is not known to be among the registry's names:
         * compared as text, as the matcher does until it learns otherwise
         * (a zeroed query would take the name at offset 0 for its own) */
        q->built_name = UINT32_MAX;
        struct xjl_levels lv;
        xjl__compare(ix, q, eb, &lv);
        int split = ea->gender != eb->gender || !ea->gender ? -1
                    : q->in.name.ncps == 2                  ? SAME_2
                    : q->in.name.ncps >= 3                  ? SAME_3
                                                            : -1;
        if (lv.name <= XJL_LV_NAME_DIFFERENT) {
            counts[ALL][lv.name]++;
            if (split >= 0)
                counts[split][lv.name]++;
        }
        npairs[ALL]++;
        if (split >= 0)
            npairs[split]++;
        pairs++;
    }
    printf("registry %zu records (%zu rows unread), %zu pairs born the same day\n", n, bad, pairs);
    for (int sp = ALL; sp < SPLITS; sp++) {
        printf("%s: %zu pairs\n", split_name[sp], npairs[sp]);
        for (int l = XJL_LV_NAME_EXACT; l <= XJL_LV_NAME_DIFFERENT; l++)
            printf("  %-13s %10zu  u = %.3g\n", xjl_level_name((xjl_level)l), counts[sp][l],
                   npairs[sp] ? (double)counts[sp][l] / (double)npairs[sp] : 0.0);
    }
    free(q);
    free(order);
    xjl_index_free(ix);
    return 0;
}
