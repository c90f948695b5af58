/*
 * The name part of the pinyin search key (T_PINYIN): a hash of the name's
 * fuzzy-pinyin classes, one per reading choice.
 *
 * A key of the exact primary reading (what the table held before) loses the
 * child whenever the school typed a near-homophone (兰 for 南: lan / nan) or
 * read a polyphone otherwise than the table (博 bó for 柏, read bǎi) and the
 * ID number is missing or mistyped too: neither key then finds the record.
 * Folded to fuzzy classes, the first survives; for the second a name whose
 * characters have other readings gets a key for each of them as well.  To
 * bound the table, the choices are the primary reading and, position by
 * position from the surname on, each other reading of one character with
 * the rest left primary, up to XJL_NAME_KEYS_MAX keys in all: one wrong
 * reading is found, two at once only through the ID number.  The query makes
 * the same choices, so a pair is found when the two sets of keys meet.
 */
#include "match/matching.h"

#include <string.h>
/* XXH3 of a short key is a few dozen instructions: inlined, rather than a
 * call into the shared library for every key of every record (same hash). */
#define XXH_INLINE_ALL
#include <xxhash.h>

static uint64_t classes_hash(const uint32_t *cls, size_t n)
{
    return XXH3_64bits(cls, n * sizeof cls[0]);
}

size_t xjl__name_keys(const uint32_t *cps, const uint32_t *pinyin, size_t n,
                      uint64_t out[XJL_NAME_KEYS_MAX])
{
    uint32_t cls[XJL_NAME_MAX_CPS];
    cls[0] = 0; /* a name of no code points (not one the index keeps) hashes as none */
    for (size_t i = 0; i < n; i++)
        cls[i] = xjl__pinyin_fuzzy(pinyin[i]);
    out[0] = classes_hash(cls, n);
    size_t k = 1;
    for (size_t i = 0; i < n && k < XJL_NAME_KEYS_MAX; i++) {
        if (cps[i] < 0x3400) /* no Han character has readings below the tables */
            continue;
        uint32_t r[XJL_PY_READINGS_MAX];
        size_t nr = xjl__pinyin_readings(cps[i], i == 0, pinyin[i], r);
        uint32_t primary = cls[i];
        for (size_t j = 1; j < nr && k < XJL_NAME_KEYS_MAX; j++) {
            cls[i] = xjl__pinyin_fuzzy(r[j]);
            uint64_t h = classes_hash(cls, n);
            bool seen = false;
            for (size_t x = 0; x < k && !seen; x++)
                seen = out[x] == h;
            if (!seen)
                out[k++] = h;
        }
        cls[i] = primary;
    }
    return k;
}

size_t xjl__bare_name_keys(const char *bare, uint64_t first, uint64_t out[XJL_NAME_KEYS_MAX])
{
    uint32_t cps[XJL_NAME_MAX_CPS], py[XJL_NAME_MAX_CPS];
    size_t len = strlen(bare), pos = 0, n = 0;
    while (pos < len && n < XJL_NAME_MAX_CPS) {
        int32_t cp = xjl__utf8_next(bare, len, &pos);
        if (cp < 0)
            break;
        cps[n++] = xjl__simplify((uint32_t)cp);
    }
    xjl__pinyin_name(cps, n, py);
    size_t k = xjl__name_keys(cps, py, n, out);
    /* the entry's own first key stands first, as it was made */
    out[0] = first;
    return k;
}
