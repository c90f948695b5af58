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
#include "fields/fields.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "pinyin_data.h"
#include "pinyin_table.h"
#include "readings_table.h"

#define N_SYLLABLES (XJL_ARRAY_LEN(syllables) + XJL_ARRAY_LEN(syllables_appended))

_Static_assert(READINGS_FIRST == PINYIN_FIRST && READINGS_LAST == PINYIN_LAST,
               "the readings cover the code points the primary reading does");
_Static_assert(READINGS_MORE_MAX + 2 <= XJL_PY_READINGS_MAX,
               "XJL_PY_READINGS_MAX holds the primary, a surname's and every other reading");
_Static_assert(XJL_ARRAY_LEN(readings_fuzzy) == N_SYLLABLES + 1, "a fuzzy class per syllable");

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
    if (syllable > XJL_ARRAY_LEN(syllables))
        return syllables_appended[syllable - 1 - XJL_ARRAY_LEN(syllables)];
    return syllables[syllable - 1];
}

static bool maybe_special_first(uint32_t cp);

static size_t add_reading(uint32_t *out, size_t n, uint32_t id)
{
    for (size_t i = 0; i < n; i++)
        if (out[i] == id)
            return n;
    out[n] = id;
    return n + 1;
}

size_t xjl__pinyin_readings(uint32_t cp, bool first, uint32_t primary,
                            uint32_t out[XJL_PY_READINGS_MAX])
{
    size_t n = 0;
    out[n++] = primary;
    uint32_t rest = rest_reading(cp);
    /* first_reading()'s binary search (a few cache misses at every name key
     * of every record) only for a code point that may have a reading of its
     * own as a surname; for any other it gives rest */
    if (first && (xjl__fast_paths_off || maybe_special_first(cp)))
        n = add_reading(out, n, first_reading(cp));
    n = add_reading(out, n, rest);
    if (cp < READINGS_FIRST || cp > READINGS_LAST)
        return n;
    for (uint32_t i = readings_start[cp - READINGS_FIRST];
         i < readings_start[cp - READINGS_FIRST + 1]; i++)
        n = add_reading(out, n, readings_more[i]);
    return n;
}

uint32_t xjl__pinyin_fuzzy(uint32_t syllable)
{
    return syllable && syllable <= N_SYLLABLES ? readings_fuzzy[syllable] : syllable;
}

bool xjl__compound_surname(uint32_t c0, uint32_t c1)
{
    return find_compound(c0, c1) != NULL;
}

/*
 * Whether a code point may begin a name that is read otherwise than
 * character by character: a compound surname's first character or one of
 * pinyin_surnames.  One bit per code point of the table's range, built once,
 * so that the usual name (张, 王, 李) is told so with a single load instead of
 * the two binary searches, which cost more than the rest of its reading.
 */
static uint64_t special_first[(PINYIN_LAST - PINYIN_FIRST) / 64 + 1];
static pthread_once_t special_once = PTHREAD_ONCE_INIT;
static atomic_bool special_ready; /* set (release) once special_first is complete */

static void mark_special(uint32_t cp)
{
    if (cp >= PINYIN_FIRST && cp <= PINYIN_LAST)
        special_first[(cp - PINYIN_FIRST) / 64] |= UINT64_C(1) << ((cp - PINYIN_FIRST) % 64);
}

static void special_build(void)
{
    for (size_t i = 0; i < XJL_ARRAY_LEN(pinyin_surnames); i++)
        mark_special(pinyin_surnames[i].cp);
    for (size_t i = 0; i < XJL_ARRAY_LEN(pinyin_compounds); i++)
        mark_special(pinyin_compounds[i].cp[0]);
    atomic_store_explicit(&special_ready, true, memory_order_release);
}

/* False only when cp is certainly neither (code points outside the range
 * are never marked: they always take the searches). */
static bool maybe_special_first(uint32_t cp)
{
    if (cp < PINYIN_FIRST || cp > PINYIN_LAST)
        return true;
    if (XJL_UNLIKELY(!atomic_load_explicit(&special_ready, memory_order_acquire)))
        pthread_once(&special_once, special_build);
    return (special_first[(cp - PINYIN_FIRST) / 64] >> ((cp - PINYIN_FIRST) % 64)) & 1;
}

void xjl__pinyin_name(const uint32_t *cps, size_t n, uint32_t *out)
{
    size_t i = 0;
    if (n > 0 && !xjl__fast_paths_off && !maybe_special_first(cps[0])) {
        /* no compound begins so (find_compound() would find none) and
         * first_reading() would find no entry: every character is read as
         * rest_reading() reads it */
        for (; i < n; i++)
            out[i] = rest_reading(cps[i]);
        return;
    }
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
