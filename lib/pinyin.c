/*
 * Toneless pinyin per code point, built once from ICU.
 *
 * Transliterating a name through ICU's Han-Latin costs ~25 µs: far too slow
 * for every row of a registry.  So the readings of the Han blocks the tables
 * cover (CJK Unified Ideographs U+4E00-U+9FFF and Extension A U+3400-U+4DBF)
 * are taken from ICU once, on first use, and kept as small syllable ids:
 *  - `rest_ids`: one uint16_t per code point, the reading of a character
 *    inside a name, as ICU's Han-Latin/Names reads it there;
 *  - `surnames`: the few code points whose reading as the *first* character
 *    of a name differs (单 shan, 曾 zeng, 区 ou), plus the fixes below where
 *    ICU reads a surname wrongly;
 *  - `compounds`: compound surnames, read as one (万俟 mo qi, 尉迟 yu chi).
 * Everything else (Ext B and beyond, characters ICU has no reading for) stays
 * itself: XJL_PY_LITERAL | cp.
 *
 * Han-Latin/Names is Han-Latin plus a short list of rules for name readings
 * (utrans_toRules shows them).  One pass of plain Han-Latin over the blocks
 * gives the common readings; only the characters those name rules mention
 * are then transliterated again through Han-Latin/Names, once as a first
 * character and once inside a name.  The pass costs ~16 µs a character in
 * ICU's rule matching (~0.45 s, plus ~0.16 s to open Han-Latin); threads do
 * not help, as clones of a transliterator share its rules behind one lock.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

/* Every toneless syllable ICU's readings use, ü written v.  Sorted, so a
 * syllable's id is its position + 1 (0 means "no reading").  The ids are
 * fixed by this list, not by ICU's data, so a key made of them means the same
 * in every build; a reading missing here would stay a literal character
 * (test_name checks that none is). */
static const char *const syllables[] = {
    "a", "ai", "an", "ang", "ao", "ba", "bai", "ban", "bang", "bao", "bei", "ben", "beng",
    "bi", "bian", "biao", "bie", "bin", "bing", "bo", "bu", "ca", "cai", "can", "cang", "cao",
    "ce", "cen", "ceng", "cha", "chai", "chan", "chang", "chao", "che", "chen", "cheng", "chi",
    "chong", "chou", "chu", "chua", "chuai", "chuan", "chuang", "chui", "chun", "chuo", "ci",
    "cong", "cou", "cu", "cuan", "cui", "cun", "cuo", "da", "dai", "dan", "dang", "dao", "de",
    "dei", "den", "deng", "di", "dia", "dian", "diao", "die", "ding", "diu", "dong", "dou",
    "du", "duan", "dui", "dun", "duo", "e", "ei", "en", "eng", "er", "fa", "fan", "fang",
    "fei", "fen", "feng", "fiao", "fo", "fou", "fu", "ga", "gai", "gan", "gang", "gao", "ge",
    "gei", "gen", "geng", "gong", "gou", "gu", "gua", "guai", "guan", "guang", "gui", "gun",
    "guo", "ha", "hai", "han", "hang", "hao", "he", "hei", "hen", "heng", "hm", "hng", "hong",
    "hou", "hu", "hua", "huai", "huan", "huang", "hui", "hun", "huo", "ji", "jia", "jian",
    "jiang", "jiao", "jie", "jin", "jing", "jiong", "jiu", "ju", "juan", "jue", "jun", "ka",
    "kai", "kan", "kang", "kao", "ke", "kei", "ken", "keng", "kong", "kou", "ku", "kua",
    "kuai", "kuan", "kuang", "kui", "kun", "kuo", "la", "lai", "lan", "lang", "lao", "le",
    "lei", "leng", "li", "lia", "lian", "liang", "liao", "lie", "lin", "ling", "liu", "lo",
    "long", "lou", "lu", "luan", "lun", "luo", "lv", "lve", "m", "ma", "mai", "man", "mang",
    "mao", "me", "mei", "men", "meng", "mi", "mian", "miao", "mie", "min", "ming", "miu", "mo",
    "mou", "mu", "n", "na", "nai", "nan", "nang", "nao", "ne", "nei", "nen", "neng", "ng",
    "ni", "nian", "niang", "niao", "nie", "nin", "ning", "niu", "nong", "nou", "nu", "nuan",
    "nun", "nuo", "nv", "nve", "o", "ou", "pa", "pai", "pan", "pang", "pao", "pei", "pen",
    "peng", "pi", "pian", "piao", "pie", "pin", "ping", "po", "pou", "pu", "qi", "qia", "qian",
    "qiang", "qiao", "qie", "qin", "qing", "qiong", "qiu", "qu", "quan", "que", "qun", "ran",
    "rang", "rao", "re", "ren", "reng", "ri", "rong", "rou", "ru", "rua", "ruan", "rui", "run",
    "ruo", "sa", "sai", "san", "sang", "sao", "se", "sen", "seng", "sha", "shai", "shan",
    "shang", "shao", "she", "shei", "shen", "sheng", "shi", "shou", "shu", "shua", "shuai",
    "shuan", "shuang", "shui", "shun", "shuo", "si", "song", "sou", "su", "suan", "sui", "sun",
    "suo", "ta", "tai", "tan", "tang", "tao", "te", "tei", "teng", "ti", "tian", "tiao", "tie",
    "ting", "tong", "tou", "tu", "tuan", "tui", "tun", "tuo", "wa", "wai", "wan", "wang",
    "wei", "wen", "weng", "wo", "wu", "xi", "xia", "xian", "xiang", "xiao", "xie", "xin",
    "xing", "xiong", "xiu", "xu", "xuan", "xue", "xun", "ya", "yan", "yang", "yao", "ye", "yi",
    "yin", "ying", "yo", "yong", "you", "yu", "yuan", "yue", "yun", "za", "zai", "zan", "zang",
    "zao", "ze", "zei", "zen", "zeng", "zha", "zhai", "zhan", "zhang", "zhao", "zhe", "zhei",
    "zhen", "zheng", "zhi", "zhong", "zhou", "zhu", "zhua", "zhuai", "zhuan", "zhuang", "zhui",
    "zhun", "zhuo", "zi", "zong", "zou", "zu", "zuan", "zui", "zun", "zuo"
};

#define N_SYLLABLES XJL_ARRAY_LEN(syllables)

#define TABLE_FIRST 0x3400u
#define TABLE_LAST 0x9FFFu
#define TABLE_SIZE (TABLE_LAST - TABLE_FIRST + 1)

/* Surnames ICU (Han-Latin/Names, ICU 72) reads as a common word.  Each is
 * the reading 现代汉语词典 gives for the character as a surname (姓) and the
 * one lists of commonly misread surnames agree on. */
static const struct {
    const char *han;
    const char *reading;
} surname_fixes[] = {
    {"朴", "piao"}, /* ICU pu */
    {"覃", "qin"},  /* ICU tan; qín is the standard reading of the surname */
    {"缪", "miao"}, /* ICU mou */
    {"阚", "kan"},  /* ICU han */
    {"乜", "nie"},  /* ICU mie */
    {"都", "du"},   /* ICU dou */
    {"能", "nai"},  /* ICU neng */
    {"句", "gou"},  /* ICU ju */
    {"祭", "zhai"}, /* ICU ji */
    {"洗", "xian"}, /* ICU xi; the surname is also written 冼 */
    {"牟", "mou"},  /* ICU mu, the reading of the place name 牟平 only */
    {"蔚", "yu"},   /* ICU wei */
    {"薄", "bo"},   /* ICU bao */
    {"佴", "nai"},  /* ICU er */
    {"炅", "gui"},  /* ICU jiong */
    {"尉", "wei"},  /* ICU yu, right only in the compound 尉迟 (below) */
};

/* Compound surnames (复姓): the first two characters of a name of three or
 * more are read together.  Several read differently from their characters
 * alone (万俟 mo qi, 尉迟 yu chi, 单于 chan yu, 长孙 zhang sun, 澹台 tan tai,
 * 子车 zi ju, 中行 zhong hang); the others are listed so that they are
 * recognised as surnames (normalize.c uses that for separators). */
static const struct {
    const char *han;
    const char *reading[2];
} compound_list[] = {
    {"万俟", {"mo", "qi"}},      {"尉迟", {"yu", "chi"}},     {"单于", {"chan", "yu"}},
    {"长孙", {"zhang", "sun"}},  {"澹台", {"tan", "tai"}},    {"令狐", {"ling", "hu"}},
    {"子车", {"zi", "ju"}},      {"中行", {"zhong", "hang"}}, {"乐正", {"yue", "zheng"}},
    {"句龙", {"gou", "long"}},   {"欧阳", {"ou", "yang"}},    {"上官", {"shang", "guan"}},
    {"司马", {"si", "ma"}},      {"诸葛", {"zhu", "ge"}},     {"皇甫", {"huang", "fu"}},
    {"东方", {"dong", "fang"}},  {"夏侯", {"xia", "hou"}},    {"公孙", {"gong", "sun"}},
    {"慕容", {"mu", "rong"}},    {"宇文", {"yu", "wen"}},     {"呼延", {"hu", "yan"}},
    {"端木", {"duan", "mu"}},    {"西门", {"xi", "men"}},     {"南宫", {"nan", "gong"}},
    {"独孤", {"du", "gu"}},      {"轩辕", {"xuan", "yuan"}},  {"司徒", {"si", "tu"}},
    {"司空", {"si", "kong"}},    {"闻人", {"wen", "ren"}},    {"东郭", {"dong", "guo"}},
    {"赫连", {"he", "lian"}},    {"百里", {"bai", "li"}},     {"拓跋", {"tuo", "ba"}},
    {"濮阳", {"pu", "yang"}},    {"太史", {"tai", "shi"}},    {"申屠", {"shen", "tu"}},
    {"公羊", {"gong", "yang"}},  {"钟离", {"zhong", "li"}},   {"宗政", {"zong", "zheng"}},
    {"仲孙", {"zhong", "sun"}},  {"鲜于", {"xian", "yu"}},    {"左丘", {"zuo", "qiu"}},
    {"第五", {"di", "wu"}},      {"亓官", {"qi", "guan"}},    {"闾丘", {"lv", "qiu"}},
    {"公冶", {"gong", "ye"}},    {"谷梁", {"gu", "liang"}},   {"梁丘", {"liang", "qiu"}},
    {"段干", {"duan", "gan"}},   {"巫马", {"wu", "ma"}},      {"公西", {"gong", "xi"}},
    {"漆雕", {"qi", "diao"}},    {"壤驷", {"rang", "si"}},    {"颛孙", {"zhuan", "sun"}},
    {"羊舌", {"yang", "she"}},   {"微生", {"wei", "sheng"}},  {"公良", {"gong", "liang"}},
    {"夹谷", {"jia", "gu"}},     {"东门", {"dong", "men"}},   {"司寇", {"si", "kou"}},
    {"即墨", {"ji", "mo"}},      {"褚师", {"chu", "shi"}},    {"宰父", {"zai", "fu"}},
};

struct cp_reading {
    uint32_t cp;
    uint16_t id;
};

struct compound {
    uint32_t cp[2];
    uint16_t id[2];
};

static uint16_t rest_ids[TABLE_SIZE];
/* Generous: ICU 72's name rules mention ~45 characters, the fixes 16. */
static struct cp_reading surnames[256];
static size_t n_surnames;
static struct compound compounds[XJL_ARRAY_LEN(compound_list)];
static size_t n_compounds;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint16_t syllable_id(const char *s, size_t len)
{
    size_t lo = 0, hi = N_SYLLABLES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(syllables[mid], s, len);
        if (c == 0 && syllables[mid][len] != '\0')
            c = 1;
        if (c == 0)
            return (uint16_t)(mid + 1);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Id of one reading as ICU writes it ("lǚ", "shàn"), tones dropped and ü
 * written v; 0 if it is not a known syllable (e.g. the character itself). */
static uint16_t reading_id(const UChar *s, int32_t len)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    UChar dec[64];
    int32_t n = U_SUCCESS(err) ? unorm2_normalize(nfd, s, len, dec, 64, &err) : 0;
    if (U_FAILURE(err))
        return 0;
    char out[16];
    size_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        UChar c = dec[i];
        if (c == ' ' && k == 0)
            continue; /* Han-Latin/Names puts a space before a name */
        if (c == ' ')
            break;
        if (c >= 'a' && c <= 'z') {
            if (k >= sizeof out - 1)
                return 0;
            out[k++] = (char)c;
        } else if (c == 0x0308 && k > 0 && out[k - 1] == 'u') {
            out[k - 1] = 'v'; /* ü: 吕 lv is not 卢 lu */
        } else if (c == 0x0300 || c == 0x0301 || c == 0x0304 || c == 0x030C || c == 0x0302) {
            /* the four tones, and the hat of ê */
        } else {
            return 0;
        }
    }
    return k ? syllable_id(out, k) : 0;
}

/* Readings of code points [lo, hi] through t, one per line, into ids[]
 * (in chunks: each replacement moves the rest of the buffer). */
static void transliterate_range(UTransliterator *t, uint32_t lo, uint32_t hi, uint16_t *ids)
{
    enum { CHUNK = 256, CAP = CHUNK * 16 };
    UChar buf[CAP];
    for (uint32_t start = lo; start <= hi; start += CHUNK) {
        uint32_t end = start + CHUNK - 1 < hi ? start + CHUNK - 1 : hi;
        int32_t len = 0;
        for (uint32_t cp = start; cp <= end; cp++) {
            buf[len++] = (UChar)cp; /* the table's blocks are all in the BMP */
            buf[len++] = '\n';
        }
        int32_t limit = len;
        UErrorCode err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, CAP, 0, &limit, &err);
        int32_t lines = 0;
        for (int32_t i = 0; i < len; i++)
            lines += buf[i] == '\n';
        if (U_FAILURE(err) || lines != (int32_t)(end - start + 1))
            continue; /* cannot tell which line is whose: those stay literals */
        int32_t line = 0;
        uint32_t cp = start;
        for (int32_t i = 0; i < len && cp <= end; i++) {
            if (buf[i] != '\n')
                continue;
            ids[cp - TABLE_FIRST] = reading_id(buf + line, i - line);
            cp++;
            line = i + 1;
        }
    }
}

static UTransliterator *open_transliterator(const char *id)
{
    UChar uid[32];
    u_uastrcpy(uid, id);
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err)) {
        utrans_close(t);
        return NULL;
    }
    return t;
}

/* Plain Han-Latin over the whole table. */
static void build_common_readings(void)
{
    UTransliterator *t = open_transliterator("Han-Latin");
    if (!t)
        return; /* no transliteration data: every character stays a literal */
    transliterate_range(t, TABLE_FIRST, TABLE_LAST, rest_ids);
    utrans_close(t);
}

/* Reading of cp through t: alone (as a first character) or after 一 (inside
 * a name; the name rules have no left context but the start of a name). */
static uint16_t read_one(UTransliterator *t, uint32_t cp, bool first)
{
    UChar buf[64];
    int32_t len = 0;
    if (!first)
        buf[len++] = 0x4E00;
    buf[len++] = (UChar)cp;
    int32_t limit = len;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, 64, 0, &limit, &err);
    if (U_FAILURE(err))
        return 0;
    int32_t from = 0;
    for (int32_t i = 0; i + 1 < len; i++)
        if (buf[i] == ' ')
            from = i + 1;
    return reading_id(buf + from, len - from);
}

static void set_surname(uint32_t cp, uint16_t id)
{
    for (size_t i = 0; i < n_surnames; i++) {
        if (surnames[i].cp == cp) {
            surnames[i].id = id;
            return;
        }
    }
    if (n_surnames < XJL_ARRAY_LEN(surnames))
        surnames[n_surnames++] = (struct cp_reading){cp, id};
}

/* The characters Han-Latin/Names has rules for, read through it. */
static void build_name_readings(void)
{
    UTransliterator *t = open_transliterator("Han-Latin/Names");
    if (!t)
        return;
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = utrans_toRules(t, false, NULL, 0, &err);
    UChar *rules = malloc(((size_t)len + 1) * sizeof *rules);
    err = U_ZERO_ERROR;
    if (rules)
        len = utrans_toRules(t, false, rules, len + 1, &err);
    if (rules && U_SUCCESS(err)) {
        for (int32_t i = 0; i < len;) {
            UChar32 c;
            U16_NEXT(rules, i, len, c);
            if (c < (UChar32)TABLE_FIRST || c > (UChar32)TABLE_LAST)
                continue;
            uint32_t cp = (uint32_t)c;
            uint16_t inside = read_one(t, cp, false);
            uint16_t first = read_one(t, cp, true);
            if (inside)
                rest_ids[cp - TABLE_FIRST] = inside;
            if (first && first != rest_ids[cp - TABLE_FIRST])
                set_surname(cp, first);
        }
    }
    free(rules);
    utrans_close(t);
}

static uint32_t first_cp(const char *s)
{
    size_t pos = 0;
    int32_t cp = xjl__utf8_next(s, strlen(s), &pos);
    return cp < 0 ? 0 : (uint32_t)cp;
}

static int cmp_reading(const void *a, const void *b)
{
    const struct cp_reading *x = a, *y = b;
    return (x->cp > y->cp) - (x->cp < y->cp);
}

static int cmp_compound(const void *a, const void *b)
{
    const struct compound *x = a, *y = b;
    if (x->cp[0] != y->cp[0])
        return (x->cp[0] > y->cp[0]) - (x->cp[0] < y->cp[0]);
    return (x->cp[1] > y->cp[1]) - (x->cp[1] < y->cp[1]);
}

static void build_tables(void)
{
    build_common_readings();
    build_name_readings();
    for (size_t i = 0; i < XJL_ARRAY_LEN(surname_fixes); i++) {
        const char *r = surname_fixes[i].reading;
        set_surname(first_cp(surname_fixes[i].han), syllable_id(r, strlen(r)));
    }
    qsort(surnames, n_surnames, sizeof surnames[0], cmp_reading);
    for (size_t i = 0; i < XJL_ARRAY_LEN(compound_list); i++) {
        const char *h = compound_list[i].han;
        size_t pos = 0, len = strlen(h);
        struct compound c;
        for (int k = 0; k < 2; k++) {
            int32_t cp = xjl__utf8_next(h, len, &pos);
            const char *r = compound_list[i].reading[k];
            c.cp[k] = cp < 0 ? 0 : (uint32_t)cp;
            c.id[k] = syllable_id(r, strlen(r));
        }
        compounds[n_compounds++] = c;
    }
    qsort(compounds, n_compounds, sizeof compounds[0], cmp_compound);
}

void xjl__pinyin_init(void)
{
    pthread_once(&tables_once, build_tables);
}

static uint32_t rest_reading(uint32_t cp)
{
    if (cp < TABLE_FIRST || cp > TABLE_LAST || rest_ids[cp - TABLE_FIRST] == 0)
        return XJL_PY_LITERAL | cp;
    return rest_ids[cp - TABLE_FIRST];
}

static uint32_t first_reading(uint32_t cp)
{
    size_t lo = 0, hi = n_surnames;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (surnames[mid].cp == cp)
            return surnames[mid].id;
        if (surnames[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return rest_reading(cp);
}

static const struct compound *find_compound(uint32_t c0, uint32_t c1)
{
    struct compound key = {{c0, c1}, {0, 0}};
    return bsearch(&key, compounds, n_compounds, sizeof compounds[0], cmp_compound);
}

uint32_t xjl__pinyin_of(uint32_t cp, bool first)
{
    xjl__pinyin_init();
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
    xjl__pinyin_init();
    return find_compound(c0, c1) != NULL;
}

void xjl__pinyin_name(const uint32_t *cps, size_t n, uint32_t *out)
{
    xjl__pinyin_init();
    size_t i = 0;
    if (n >= 3) {
        const struct compound *c = find_compound(cps[0], cps[1]);
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
