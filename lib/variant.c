/*
 * Traditional → Simplified, one code point at a time, built once from ICU.
 *
 * ICU's Hant-Hans transliterator also has phrase rules (乾坤 stays 乾坤, 乾麵
 * becomes 干面); a name is not a phrase, so each character is folded alone.
 * Only the characters Hant-Hans may change (its source set, ~3,500) are
 * transliterated, so the build takes a few milliseconds.  The table is a
 * bitmap of the changed code points over the Han blocks with a rank per
 * 64-bit word, and their targets in code point order: ~10 KB, O(1) lookup.
 *
 * Some folds merge two characters that are both in use in simplified
 * writing, i.e. two different names (乾/干, 於/于, 徵/征).  Those are marked
 * ambiguous: the traditional character is itself in GB 2312, the character
 * set of simplified Chinese, or it is one of the characters the 通用规范汉字表
 * (2013) made standard again for names and set words (listed below).
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#define TABLE_FIRST 0x3400u
#define TABLE_LAST 0x9FFFu
#define TABLE_WORDS ((TABLE_LAST - TABLE_FIRST + 1 + 63) / 64)

/* Standard characters of their own in the 通用规范汉字表 that ICU folds and
 * GB 2312 lacks: 瞭 (瞭望), 蘋 (白蘋), 氾 (the surname and 氾水), 昇 (names). */
static const char *const restored_standard[] = {"瞭", "蘋", "氾", "昇"};

static uint64_t changed_bits[TABLE_WORDS];
static uint16_t changed_rank[TABLE_WORDS];
static uint16_t *targets;
static uint32_t ambiguous[64];
static size_t n_ambiguous;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static bool in_table(uint32_t cp)
{
    return cp >= TABLE_FIRST && cp <= TABLE_LAST;
}

/* True if cp is encodable in GB 2312 (ICU's EUC-CN converter, no fallbacks). */
static bool in_gb2312(UConverter *conv, uint32_t cp)
{
    if (!conv)
        return false;
    UChar u[2];
    int32_t n = 0;
    U16_APPEND_UNSAFE(u, n, cp);
    char out[8];
    UErrorCode err = U_ZERO_ERROR;
    ucnv_resetFromUnicode(conv);
    int32_t len = ucnv_fromUChars(conv, out, sizeof out, u, n, &err);
    return U_SUCCESS(err) && len == 2;
}

static void mark_ambiguous(uint32_t cp)
{
    for (size_t i = 0; i < n_ambiguous; i++)
        if (ambiguous[i] == cp)
            return;
    if (n_ambiguous < XJL_ARRAY_LEN(ambiguous))
        ambiguous[n_ambiguous++] = cp;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Single code point result of folding cp alone, or cp itself. */
static uint32_t fold_one(UTransliterator *t, uint32_t cp)
{
    UChar buf[16];
    int32_t len = 0;
    U16_APPEND_UNSAFE(buf, len, cp);
    int32_t limit = len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, XJL_ARRAY_LEN(buf), 0, &limit, &err);
    if (U_FAILURE(err) || len == 0)
        return cp;
    int32_t i = 0;
    UChar32 out;
    U16_NEXT(buf, i, len, out);
    return i == len ? (uint32_t)out : cp; /* several characters: not a fold */
}

/* Lookup without the once-check (build_tables uses it before it is done). */
static uint32_t simplify(uint32_t cp)
{
    if (!in_table(cp))
        return cp;
    uint32_t k = cp - TABLE_FIRST;
    uint64_t word = changed_bits[k / 64], bit = UINT64_C(1) << (k % 64);
    if (!(word & bit))
        return cp;
    return targets[changed_rank[k / 64] + (unsigned)__builtin_popcountll(word & (bit - 1))];
}

static void build_tables(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UChar id[16];
    u_uastrcpy(id, "Hant-Hans");
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    USet *source = uset_openEmpty();
    if (U_SUCCESS(err))
        utrans_getSourceSet(t, false, source, &err);
    if (U_FAILURE(err)) {
        uset_close(source);
        utrans_close(t);
        return; /* no transliteration data: nothing is folded */
    }
    UErrorCode cerr = U_ZERO_ERROR;
    UConverter *gb = ucnv_open("GB2312", &cerr);
    if (U_SUCCESS(cerr))
        ucnv_setFromUCallBack(gb, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &cerr);
    if (U_FAILURE(cerr)) {
        ucnv_close(gb);
        gb = NULL;
    }

    /* The source set iterates in code point order, which is the order the
     * rank lookup wants the targets in. */
    int32_t n = uset_size(source);
    targets = malloc((n > 0 ? (size_t)n : 1) * sizeof *targets);
    size_t count = 0;
    for (int32_t i = 0; targets && i < n; i++) {
        UChar32 c = uset_charAt(source, i);
        if (c < 0 || !in_table((uint32_t)c))
            continue;
        uint32_t cp = (uint32_t)c, to = fold_one(t, cp);
        if (to == cp || to > 0xFFFF)
            continue; /* Simplified targets are all in the BMP */
        uint32_t k = cp - TABLE_FIRST;
        changed_bits[k / 64] |= UINT64_C(1) << (k % 64);
        targets[count++] = (uint16_t)to;
        if (in_gb2312(gb, cp))
            mark_ambiguous(cp);
    }
    ucnv_close(gb);
    uset_close(source);
    utrans_close(t);
    if (!targets)
        return; /* out of memory: nothing is folded */

    uint16_t rank = 0;
    for (uint32_t w = 0; w < TABLE_WORDS; w++) {
        changed_rank[w] = rank;
        rank = (uint16_t)(rank + __builtin_popcountll(changed_bits[w]));
    }
    for (size_t i = 0; i < XJL_ARRAY_LEN(restored_standard); i++) {
        size_t pos = 0;
        int32_t cp = xjl__utf8_next(restored_standard[i], strlen(restored_standard[i]), &pos);
        if (cp > 0 && simplify((uint32_t)cp) != (uint32_t)cp)
            mark_ambiguous((uint32_t)cp);
    }
    qsort(ambiguous, n_ambiguous, sizeof ambiguous[0], cmp_u32);
}

void xjl__variant_init(void)
{
    pthread_once(&tables_once, build_tables);
}

uint32_t xjl__simplify(uint32_t cp)
{
    xjl__variant_init();
    return simplify(cp);
}

bool xjl__simplify_is_ambiguous(uint32_t cp)
{
    xjl__variant_init();
    return bsearch(&cp, ambiguous, n_ambiguous, sizeof ambiguous[0], cmp_u32) != NULL;
}
