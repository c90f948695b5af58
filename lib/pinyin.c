/*
 * Toneless pinyin per code point, from tables made at build time.
 *
 * Transliterating a name through ICU's Han-Latin costs ~25 µs: far too slow
 * for every row of a registry, and reading the whole of the Han blocks
 * through it once per process still cost 0.4-0.9 s.  So tools/gen_han_tables.c
 * reads the blocks the tables cover (CJK Unified Ideographs U+4E00-U+9FFF and
 * Extension A U+3400-U+4DBF) through ICU's Han-Latin and Han-Latin/Names at
 * build time and writes pinyin_table.h, small syllable ids (positions in
 * pinyin_data.h's syllable list):
 *  - `pinyin_rest_ids`: one uint16_t per code point, the reading of a
 *    character inside a name, as ICU's Han-Latin/Names reads it there;
 *  - `pinyin_surnames`: the few code points whose reading as the *first*
 *    character of a name differs (单 shan, 曾 zeng, 区 ou), plus the fixes of
 *    pinyin_data.h where ICU reads a surname wrongly;
 *  - `pinyin_compounds`: compound surnames, read as one (万俟 mo qi, 尉迟 yu chi).
 * Everything else (Ext B and beyond, characters ICU has no reading for) stays
 * itself: XJL_PY_LITERAL | cp.  Lookups are plain reads of constant data, so
 * any thread may make them at any time.
 */
#include "internal.h"

#include <stdlib.h>

#include "pinyin_data.h"
#include "pinyin_table.h"

#define N_SYLLABLES XJL_ARRAY_LEN(syllables)


static uint32_t rest_reading(uint32_t cp)
{
    if (cp < PINYIN_FIRST || cp > PINYIN_LAST || pinyin_rest_ids[cp - PINYIN_FIRST] == 0)
        return XJL_PY_LITERAL | cp;
    return pinyin_rest_ids[cp - PINYIN_FIRST];
}

static uint32_t first_reading(uint32_t cp)
{
    size_t lo = 0, hi = XJL_ARRAY_LEN(pinyin_surnames);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pinyin_surnames[mid].cp == cp)
            return pinyin_surnames[mid].id;
        if (pinyin_surnames[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return rest_reading(cp);
}

/* Binary search of the sorted compound surnames, written out (no bsearch
 * callback): it runs once for every name of a registry. */
static const struct pinyin_compound *find_compound(uint32_t c0, uint32_t c1)
{
    size_t lo = 0, hi = XJL_ARRAY_LEN(pinyin_compounds);
    uint64_t key = (uint64_t)c0 << 32 | c1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct pinyin_compound *c = &pinyin_compounds[mid];
        uint64_t k = (uint64_t)c->cp[0] << 32 | c->cp[1];
        if (k == key)
            return c;
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

uint32_t xjl__pinyin_of(uint32_t cp, bool first)
{
    return first ? first_reading(cp) : rest_reading(cp);
}

const char *xjl__pinyin_text(uint32_t syllable)
{
    if (syllable == 0 || syllable > N_SYLLABLES)
        return NULL; /* also every literal: XJL_PY_LITERAL is far above */
    return syllables[syllable - 1];
}

bool xjl__compound_surname(uint32_t c0, uint32_t c1)
{
    return find_compound(c0, c1) != NULL;
}

void xjl__pinyin_name(const uint32_t *cps, size_t n, uint32_t *out)
{
    size_t i = 0;
    if (n >= 3) {
        const struct pinyin_compound *c = find_compound(cps[0], cps[1]);
        if (c && c->id[0] && c->id[1]) {
            out[0] = c->id[0];
            out[1] = c->id[1];
            i = 2;
        }
    }
    if (i == 0 && n > 0) {
        out[0] = first_reading(cps[0]);
        i = 1;
    }
    for (; i < n; i++)
        out[i] = rest_reading(cps[i]);
}
