/*
 * Look-alike characters (形近字), from shape codes made at build time from
 * the Unicode Han Database (tools/gen_han_tables.c writes shape_table.h):
 * a handwritten 己 read as 已, 未 as 末, 苓 as 芩.  Two shape sources,
 * because neither alone covers the confusions: the four-corner code (四角号码)
 * describes the four corners of a character, so characters that differ
 * inside a stroke (未/末, 戊/戌, 己/已) share it, but Unihan gives it for
 * only ~16,000 of the ~27,000 characters; the Cangjie code (仓颉) is known for
 * all of them and spells a character by its components, so characters that
 * differ in one component (苓 TOII / 芩 TOIN) are one letter apart, and a
 * character with a stroke or a component more has one letter more (王 MG /
 * 玉 MGI, 李 DND / 季 HDND).  Short Cangjie codes one letter apart are not
 * look-alikes (日 A / 月 B), hence the length of 3 or more.
 * docs/han-data.md gives the pairs each rule makes.
 */
#include "fields/fields.h"

#include "shape_table.h"

#define CANGJIE_LEN(s) ((unsigned)((s) >> 25 & 7))
#define FOUR_CORNER_KNOWN(s) (((s) >> 50 & 1) != 0)
#define FOUR_CORNER_DIGITS(s) ((unsigned)((s) >> 36 & 0x3FFF))
#define FOUR_CORNER_EXTRA(s) ((unsigned)((s) >> 32 & 0xF))

static uint64_t shape_of(uint32_t cp)
{
    return cp >= SHAPE_FIRST && cp <= SHAPE_LAST ? shape_codes[cp - SHAPE_FIRST] : 0;
}

static bool same_four_corner(uint64_t a, uint64_t b)
{
    if (!FOUR_CORNER_KNOWN(a) || !FOUR_CORNER_KNOWN(b))
        return false;
    /* a code given without its extra digit agrees with any extra digit */
    return FOUR_CORNER_DIGITS(a) == FOUR_CORNER_DIGITS(b) &&
           (FOUR_CORNER_EXTRA(a) == FOUR_CORNER_EXTRA(b) || !FOUR_CORNER_EXTRA(a) ||
            !FOUR_CORNER_EXTRA(b));
}

#define CANGJIE_LETTER(s, i) ((unsigned)((s) >> (5 * (i)) & 31))

/* The longer code is the shorter one with one letter added (王 MG / 玉 MGI,
 * 李 DND / 季 HDND, 江 EM / 汪 EMG): a dot, a stroke or a component more.
 * The longer needs 3 letters or more: 田 W / 由 LW, one letter against two,
 * say too little of either shape. */
static bool cangjie_one_added(uint64_t shorter, uint64_t longer)
{
    unsigned n = CANGJIE_LEN(shorter);
    if (n == 0 || CANGJIE_LEN(longer) != n + 1 || n + 1 < 3)
        return false;
    unsigned i = 0;
    while (i < n && CANGJIE_LETTER(shorter, i) == CANGJIE_LETTER(longer, i))
        i++;
    for (; i < n; i++)
        if (CANGJIE_LETTER(shorter, i) != CANGJIE_LETTER(longer, i + 1))
            return false;
    return true;
}

static bool cangjie_near(uint64_t a, uint64_t b)
{
    unsigned n = CANGJIE_LEN(a);
    if (n == 0 || n != CANGJIE_LEN(b))
        return cangjie_one_added(a, b) || cangjie_one_added(b, a);
    unsigned diff = 0;
    for (unsigned i = 0; i < n; i++)
        diff += CANGJIE_LETTER(a, i) != CANGJIE_LETTER(b, i);
    return diff == 0 || (diff == 1 && n >= 3);
}

bool xjl__lookalike(uint32_t a, uint32_t b)
{
    if (a == b)
        return false;
    uint64_t sa = shape_of(a), sb = shape_of(b);
    return same_four_corner(sa, sb) || cangjie_near(sa, sb);
}
