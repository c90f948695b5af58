/*
 * Traditional → Simplified, one code point at a time, from a table made at
 * build time.
 *
 * ICU's Hant-Hans transliterator also has phrase rules (乾坤 stays 乾坤, 乾麵
 * becomes 干面); a name is not a phrase, so each character is folded alone.
 * tools/gen_han_tables.c folds every character Hant-Hans may change (its
 * source set, ~3,500) and writes variant_table.h: a bitmap of the changed
 * code points over the Han blocks with a rank per 64-bit word, and their
 * targets in code point order (~12 KB, O(1) lookup, no ICU at run time).
 *
 * Some folds merge two characters that are both in use in simplified
 * writing, i.e. two different names (乾/干, 於/于, 徵/征).  Those are marked
 * ambiguous: the traditional character is itself in GB 2312, the character
 * set of simplified Chinese, or it is one of the characters the 通用规范汉字表
 * (2013) made standard again for names and set words (listed in the
 * generator).
 */
#include "fields/fields.h"

#include <stdlib.h>

#include "variant_table.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

uint32_t xjl__simplify(uint32_t cp)
{
    if (cp < VARIANT_FIRST || cp > VARIANT_LAST)
        return cp;
    uint32_t k = cp - VARIANT_FIRST;
    uint64_t word = variant_changed_bits[k / 64], bit = UINT64_C(1) << (k % 64);
    if (!(word & bit))
        return cp;
    return variant_targets[variant_changed_rank[k / 64] +
                           (unsigned)__builtin_popcountll(word & (bit - 1))];
}

bool xjl__simplify_is_ambiguous(uint32_t cp)
{
    return bsearch(&cp, variant_ambiguous, XJL_ARRAY_LEN(variant_ambiguous),
                   sizeof variant_ambiguous[0], cmp_u32) != NULL;
}
