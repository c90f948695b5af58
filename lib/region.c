/*
 * GB/T 2260 region codes of the revisions 1980-2019, from the table that
 * tools/gen_regions.py generates out of data/gb2260_region_codes.tsv at
 * build time.  People keep the region code of the county where their number
 * was issued for life, so a code abolished long ago is still a real one: the
 * table holds every code any revision had, with the name of its last revision.
 */
#include "internal.h"

#include "region_table.h"

static const struct xjl_region_row *region_find(int32_t code)
{
    size_t lo = 0, hi = XJL_ARRAY_LEN(region_rows);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (region_rows[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < XJL_ARRAY_LEN(region_rows) && region_rows[lo].code == code) ? &region_rows[lo]
                                                                             : NULL;
}

bool xjl__region_known(int32_t code)
{
    return region_find(code) != NULL;
}

XJL_API const char *xjl_region_name(int32_t code)
{
    const struct xjl_region_row *row = region_find(code);
    return row ? row->name : NULL;
}
