/*
 * GB/T 2260 region codes of the revisions 1980-2019, from the table that
 * tools/gen_regions.py generates out of data/gb2260_region_codes.tsv at
 * build time.  People keep the region code of the county where their number
 * was issued for life, so a code abolished long ago is still a real one: the
 * table holds every code any revision had, with the name of its last revision.
 */
#include "fields/fields.h"

#include <pthread.h>
#include <stdatomic.h>

#include "region_table.h"

#define CODE_LIMIT 1000000 /* codes are six digits */

/* xjl__region_known() runs for every ID number of every row: one bit per
 * possible code (125 KB, built once) answers with a single load, where a
 * binary search over the 170 KB table takes a dozen scattered ones. */
static uint8_t known_bits[CODE_LIMIT / 8];
static pthread_once_t known_once = PTHREAD_ONCE_INIT;
/* Set (release) once known_bits is complete: after that a call reads it
 * (acquire) instead of calling pthread_once, which cost more than the lookup. */
static atomic_bool known_ready;

static void known_build(void)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(region_rows); i++) {
        int32_t c = region_rows[i].code;
        known_bits[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    atomic_store_explicit(&known_ready, true, memory_order_release);
}

bool xjl__region_known(int32_t code)
{
    if (code < 0 || code >= CODE_LIMIT)
        return false;
    if (XJL_UNLIKELY(!atomic_load_explicit(&known_ready, memory_order_acquire)))
        pthread_once(&known_once, known_build);
    return (known_bits[code >> 3] >> (code & 7)) & 1;
}

XJL_API const char *xjl_region_name(int32_t code)
{
    size_t lo = 0, hi = XJL_ARRAY_LEN(region_rows);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (region_rows[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < XJL_ARRAY_LEN(region_rows) && region_rows[lo].code == code) ? region_rows[lo].name
                                                                             : NULL;
}
