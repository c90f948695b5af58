/*
 * gen_registry: deterministic test data for xjlink's matcher.
 *
 *   gen_registry --seed S --registry-size N --roster-size M --out-dir DIR
 *                [--regions FILE]
 *
 * writes DIR/registry.csv (a preschool registry of N records), DIR/roster.csv
 * (a school's intake list of M rows) and DIR/truth.csv (for every roster row
 * the registry record it really is, and what was done to it).
 *
 * This program is the independent side of the accuracy test: it links
 * nothing of xjlink and knows the domain only from docs/domain.md, so a bug in the
 * library cannot hide itself by being repeated here.  The same seed and
 * sizes always give byte-identical files: every random choice comes from one
 * xoshiro256** stream, consumed in a fixed order, and no floating-point
 * result depends on the platform beyond IEEE double arithmetic.
 *
 * The truth is exact by construction: a row's category names precisely what
 * was done to it, and rows whose right answer cannot be a single automatic
 * match (a namesake without ID number nearby, see classify_registered()) get
 * categories of their own, so that the scorer's targets ask only for what a
 * correct matcher can do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef GEN_DEFAULT_REGIONS
#define GEN_DEFAULT_REGIONS "data/gb2260_region_codes.tsv"
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen_registry: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        die("out of memory (%zu bytes)", n);
    return p;
}

/* ------------------------------------------------------------------------ */
/* Random numbers: xoshiro256** seeded through splitmix64. */

typedef struct rng {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) without modulo bias (Lemire). */
static uint32_t rng_below(rng_t *r, uint32_t n)
{
    uint64_t m = (uint64_t)(uint32_t)rng_next(r) * n;
    uint32_t l = (uint32_t)m;
    if (l < n) {
        uint32_t t = (uint32_t)-n % n;
        while (l < t) {
            m = (uint64_t)(uint32_t)rng_next(r) * n;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

static double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}
static bool rng_chance(rng_t *r, double p)
{
    return rng_unit(r) < p;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    x ^= x >> 33;
    return x;
}

/* ------------------------------------------------------------------------ */
/* UTF-8, just what names need. */

#define MAX_CPS 64

static int utf8_decode(const char *s, uint32_t *cps, int cap)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p && n < cap) {
        uint32_t c = *p;
        int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        if (extra)
            c &= 0x3Fu >> extra;
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++)
            c = (c << 6) | (*p++ & 0x3Fu);
        cps[n++] = c;
    }
    return n;
}

static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Encodes cps into out (at least 4 * n + 1 bytes), NUL-terminated. */
static size_t utf8_encode(const uint32_t *cps, int n, char *out)
{
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += utf8_put(out + len, cps[i]);
    out[len] = '\0';
    return len;
}

static int utf8_len_cps(const char *s)
{
    uint32_t cps[MAX_CPS];
    return utf8_decode(s, cps, MAX_CPS);
}

static uint32_t first_cp(const char *s)
{
    uint32_t cp = 0;
    utf8_decode(s, &cp, 1);
    return cp;
}

/* ------------------------------------------------------------------------ */
/* Dates as day numbers (days since 1970-01-01, proleptic Gregorian). */

static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = mp < 10 ? (int)mp + 3 : (int)mp - 9;
    *y = yy + (*m <= 2);
}

/* The preschool cohort: children born 2018-01-01 .. 2020-12-31. */
static int32_t cohort_first, cohort_days;

/* The date with day and month exchanged, or -1 when that is no other valid
 * date (day > 12, or day == month). */
static int32_t dob_swapped(int32_t dob)
{
    int y, m, d;
    civil_from_days(dob, &y, &m, &d);
    if (d > 12 || d == m)
        return -1;
    return days_from_civil(y, d, m);
}

/* ------------------------------------------------------------------------ */
/* Name tables.  Readings are toneless pinyin; two characters with the same
 * reading are homophones (同音字), which is what the homophone errors draw
 * on.  Polyphonic characters (乐, 长, 朝 ...) are left out of the given-name
 * pool so that "homophone" means the same thing to every reader. */

struct surname {
    const char *s, *py;
    unsigned w; /* per 100,000 people, after the 2020 census lists */
};

static const struct surname surnames[] = {
    {"王", "wang", 7100},
    {"李", "li", 7000},
    {"张", "zhang", 6600},
    {"刘", "liu", 5400},
    {"陈", "chen", 4600},
    {"杨", "yang", 3100},
    {"黄", "huang", 2100},
    {"赵", "zhao", 2000},
    {"吴", "wu", 1900},
    {"周", "zhou", 1800},
    {"徐", "xu", 1400},
    {"孙", "sun", 1300},
    {"马", "ma", 1200},
    {"朱", "zhu", 1100},
    {"胡", "hu", 1000},
    {"郭", "guo", 1000},
    {"何", "he", 900},
    {"林", "lin", 900},
    {"高", "gao", 900},
    {"罗", "luo", 800},
    {"郑", "zheng", 700},
    {"梁", "liang", 700},
    {"谢", "xie", 600},
    {"宋", "song", 500},
    {"唐", "tang", 500},
    {"许", "xu", 500},
    {"韩", "han", 500},
    {"邓", "deng", 500},
    {"冯", "feng", 500},
    {"曹", "cao", 400},
    {"彭", "peng", 400},
    {"曾", "zeng", 400},
    {"肖", "xiao", 400},
    {"田", "tian", 400},
    {"董", "dong", 400},
    {"潘", "pan", 300},
    {"袁", "yuan", 300},
    {"蔡", "cai", 300},
    {"蒋", "jiang", 300},
    {"余", "yu", 300},
    {"于", "yu", 300},
    {"杜", "du", 300},
    {"叶", "ye", 300},
    {"程", "cheng", 300},
    {"魏", "wei", 300},
    {"苏", "su", 300},
    {"吕", "lv", 300},
    {"丁", "ding", 300},
    {"任", "ren", 300},
    {"卢", "lu", 300},
    {"姚", "yao", 250},
    {"沈", "shen", 250},
    {"钟", "zhong", 250},
    {"姜", "jiang", 250},
    {"崔", "cui", 250},
    {"谭", "tan", 250},
    {"陆", "lu", 250},
    {"范", "fan", 250},
    {"汪", "wang", 250},
    {"廖", "liao", 250},
    {"石", "shi", 250},
    {"金", "jin", 250},
    {"韦", "wei", 250},
    {"贾", "jia", 250},
    {"夏", "xia", 200},
    {"付", "fu", 200},
    {"方", "fang", 200},
    {"邹", "zou", 200},
    {"熊", "xiong", 200},
    {"白", "bai", 200},
    {"孟", "meng", 200},
    {"秦", "qin", 200},
    {"邱", "qiu", 200},
    {"侯", "hou", 200},
    {"江", "jiang", 200},
    {"尹", "yin", 200},
    {"薛", "xue", 200},
    {"闫", "yan", 200},
    {"段", "duan", 150},
    {"雷", "lei", 150},
    {"龙", "long", 150},
    {"黎", "li", 150},
    {"史", "shi", 150},
    {"陶", "tao", 150},
    {"贺", "he", 150},
    {"毛", "mao", 150},
    {"郝", "hao", 150},
    {"顾", "gu", 150},
    {"龚", "gong", 150},
    {"邵", "shao", 150},
    {"万", "wan", 120},
    {"覃", "qin", 120},
    {"武", "wu", 120},
    {"钱", "qian", 120},
    {"戴", "dai", 120},
    {"严", "yan", 120},
    {"莫", "mo", 120},
    {"孔", "kong", 120},
    {"向", "xiang", 120},
    {"常", "chang", 120},
    {"汤", "tang", 100},
    {"康", "kang", 100},
    {"易", "yi", 100},
    {"乔", "qiao", 100},
    {"赖", "lai", 100},
    {"施", "shi", 100},
    {"洪", "hong", 100},
    {"傅", "fu", 100},
    {"单", "shan", 50},
    {"区", "ou", 30},
    {"朴", "piao", 30},
    {"缪", "miao", 30},
    {"仇", "qiu", 30},
    {"解", "xie", 30},
    {"查", "zha", 30},
    {"吉", "ji", 30},
    /* compound surnames: the 4-character names */
    {"欧阳", "ou yang", 40},
    {"司马", "si ma", 10},
    {"诸葛", "zhu ge", 8},
    {"上官", "shang guan", 8},
    {"司徒", "si tu", 8},
    {"慕容", "mu rong", 4},
};

enum sex { ANY = 0, BOY = 1, GIRL = 2 };

struct given_char {
    const char *ch, *py;
    uint8_t sex; /* enum sex: whom the character is given to */
    unsigned w;
};

static const struct given_char given_chars[] = {
    /* mostly boys */
    {"浩", "hao", BOY, 30},
    {"昊", "hao", BOY, 12},
    {"皓", "hao", BOY, 10},
    {"豪", "hao", BOY, 6},
    {"宇", "yu", BOY, 30},
    {"煜", "yu", BOY, 8},
    {"轩", "xuan", BOY, 25},
    {"俊", "jun", BOY, 14},
    {"骏", "jun", BOY, 6},
    {"峻", "jun", BOY, 4},
    {"钧", "jun", BOY, 4},
    {"杰", "jie", BOY, 14},
    {"涛", "tao", BOY, 6},
    {"韬", "tao", BOY, 4},
    {"博", "bo", BOY, 12},
    {"文", "wen", BOY, 10},
    {"明", "ming", BOY, 8},
    {"铭", "ming", BOY, 10},
    {"伟", "wei", BOY, 6},
    {"强", "qiang", BOY, 3},
    {"磊", "lei", BOY, 5},
    {"鹏", "peng", BOY, 5},
    {"飞", "fei", BOY, 4},
    {"然", "ran", BOY, 12},
    {"泽", "ze", BOY, 16},
    {"睿", "rui", BOY, 16},
    {"锐", "rui", BOY, 5},
    {"瑞", "rui", BOY, 8},
    {"晨", "chen", BOY, 14},
    {"辰", "chen", BOY, 14},
    {"宸", "chen", BOY, 12},
    {"琛", "chen", BOY, 4},
    {"航", "hang", BOY, 8},
    {"天", "tian", BOY, 8},
    {"翔", "xiang", BOY, 5},
    {"阳", "yang", BOY, 10},
    {"洋", "yang", BOY, 4},
    {"霖", "lin", BOY, 6},
    {"凯", "kai", BOY, 6},
    {"楷", "kai", BOY, 4},
    {"毅", "yi", BOY, 5},
    {"奕", "yi", BOY, 10},
    {"逸", "yi", BOY, 8},
    {"诚", "cheng", BOY, 4},
    {"承", "cheng", BOY, 8},
    {"成", "cheng", BOY, 4},
    {"晟", "sheng", BOY, 4},
    {"烨", "ye", BOY, 5},
    {"恒", "heng", BOY, 6},
    {"锦", "jin", BOY, 6},
    {"沐", "mu", BOY, 10},
    {"志", "zhi", BOY, 5},
    {"智", "zhi", BOY, 4},
    {"致", "zhi", BOY, 4},
    {"远", "yuan", BOY, 6},
    {"源", "yuan", BOY, 5},
    {"辉", "hui", BOY, 4},
    {"晖", "hui", BOY, 3},
    {"哲", "zhe", BOY, 8},
    {"彬", "bin", BOY, 4},
    {"斌", "bin", BOY, 3},
    {"华", "hua", BOY, 3},
    {"泓", "hong", BOY, 3},
    {"宏", "hong", BOY, 4},
    {"鸿", "hong", BOY, 4},
    {"弘", "hong", BOY, 3},
    {"旭", "xu", BOY, 5},
    {"煦", "xu", BOY, 3},
    {"朗", "lang", BOY, 4},
    {"川", "chuan", BOY, 3},
    {"彦", "yan", BOY, 5},
    {"墨", "mo", BOY, 8},
    {"熙", "xi", BOY, 8},
    {"景", "jing", BOY, 6},
    {"凡", "fan", BOY, 4},
    {"帆", "fan", BOY, 4},
    {"森", "sen", BOY, 4},
    {"坤", "kun", BOY, 3},
    {"峰", "feng", BOY, 4},
    {"锋", "feng", BOY, 3},
    {"枫", "feng", BOY, 3},
    {"正", "zheng", BOY, 3},
    {"政", "zheng", BOY, 2},
    {"国", "guo", BOY, 2},
    {"军", "jun", BOY, 2},
    {"东", "dong", BOY, 3},
    /* given to either */
    {"子", "zi", ANY, 20},
    {"梓", "zi", ANY, 18},
    {"一", "yi", ANY, 14},
    {"思", "si", ANY, 6},
    {"佳", "jia", ANY, 8},
    {"嘉", "jia", ANY, 8},
    {"家", "jia", ANY, 5},
    {"诺", "nuo", ANY, 20},
    {"安", "an", ANY, 6},
    {"宁", "ning", ANY, 4},
    {"云", "yun", ANY, 3},
    /* mostly girls */
    {"涵", "han", GIRL, 30},
    {"含", "han", GIRL, 8},
    {"晗", "han", GIRL, 10},
    {"寒", "han", GIRL, 3},
    {"萱", "xuan", GIRL, 20},
    {"宣", "xuan", GIRL, 3},
    {"欣", "xin", GIRL, 22},
    {"馨", "xin", GIRL, 16},
    {"新", "xin", GIRL, 3},
    {"心", "xin", GIRL, 6},
    {"芯", "xin", GIRL, 4},
    {"歆", "xin", GIRL, 4},
    {"怡", "yi", GIRL, 22},
    {"仪", "yi", GIRL, 5},
    {"宜", "yi", GIRL, 6},
    {"依", "yi", GIRL, 12},
    {"伊", "yi", GIRL, 8},
    {"艺", "yi", GIRL, 6},
    {"亦", "yi", GIRL, 5},
    {"婷", "ting", GIRL, 10},
    {"亭", "ting", GIRL, 3},
    {"庭", "ting", GIRL, 2},
    {"琪", "qi", GIRL, 12},
    {"淇", "qi", GIRL, 4},
    {"琦", "qi", GIRL, 5},
    {"棋", "qi", GIRL, 2},
    {"紫", "zi", GIRL, 10},
    {"雨", "yu", GIRL, 20},
    {"语", "yu", GIRL, 12},
    {"玉", "yu", GIRL, 4},
    {"妍", "yan", GIRL, 14},
    {"研", "yan", GIRL, 3},
    {"颜", "yan", GIRL, 3},
    {"嫣", "yan", GIRL, 3},
    {"彤", "tong", GIRL, 12},
    {"桐", "tong", GIRL, 14},
    {"童", "tong", GIRL, 2},
    {"瑶", "yao", GIRL, 10},
    {"遥", "yao", GIRL, 2},
    {"诗", "shi", GIRL, 14},
    {"梦", "meng", GIRL, 8},
    {"萌", "meng", GIRL, 4},
    {"洁", "jie", GIRL, 4},
    {"婕", "jie", GIRL, 4},
    {"悦", "yue", GIRL, 12},
    {"月", "yue", GIRL, 6},
    {"越", "yue", GIRL, 2},
    {"丽", "li", GIRL, 4},
    {"莉", "li", GIRL, 4},
    {"俐", "li", GIRL, 2},
    {"娜", "na", GIRL, 4},
    {"静", "jing", GIRL, 6},
    {"晶", "jing", GIRL, 3},
    {"菲", "fei", GIRL, 5},
    {"霏", "fei", GIRL, 3},
    {"芳", "fang", GIRL, 2},
    {"雅", "ya", GIRL, 10},
    {"娅", "ya", GIRL, 3},
    {"楠", "nan", GIRL, 6},
    {"蕊", "rui", GIRL, 6},
    {"可", "ke", GIRL, 12},
    {"珂", "ke", GIRL, 4},
    {"星", "xing", GIRL, 5},
    {"晴", "qing", GIRL, 6},
    {"清", "qing", GIRL, 3},
    {"青", "qing", GIRL, 2},
    {"悠", "you", GIRL, 5},
    {"优", "you", GIRL, 3},
    {"雪", "xue", GIRL, 5},
    {"薇", "wei", GIRL, 6},
    {"微", "wei", GIRL, 2},
    {"慧", "hui", GIRL, 5},
    {"惠", "hui", GIRL, 3},
    {"蕙", "hui", GIRL, 2},
    {"敏", "min", GIRL, 3},
    {"岚", "lan", GIRL, 4},
    {"兰", "lan", GIRL, 4},
    {"澜", "lan", GIRL, 3},
    {"若", "ruo", GIRL, 10},
    {"曦", "xi", GIRL, 8},
    {"希", "xi", GIRL, 6},
    {"溪", "xi", GIRL, 5},
    {"汐", "xi", GIRL, 8},
    {"夕", "xi", GIRL, 3},
    {"晓", "xiao", GIRL, 4},
    {"筱", "xiao", GIRL, 5},
    {"小", "xiao", GIRL, 3},
    {"媛", "yuan", GIRL, 5},
    {"缘", "yuan", GIRL, 2},
    {"甜", "tian", GIRL, 3},
    {"恬", "tian", GIRL, 4},
    {"沫", "mo", GIRL, 6},
    {"茉", "mo", GIRL, 3},
    {"璐", "lu", GIRL, 4},
    {"露", "lu", GIRL, 4},
    {"瑾", "jin", GIRL, 5},
    {"柔", "rou", GIRL, 2},
    {"舒", "shu", GIRL, 3},
    {"淑", "shu", GIRL, 2},
    {"书", "shu", GIRL, 3},
    {"芊", "qian", GIRL, 3},
    {"倩", "qian", GIRL, 3},
    {"丝", "si", GIRL, 1},
};

/* Popular whole given names of the 2018-2020 cohort, most popular first:
 * the heavy head that makes namesakes (重名) common. */
static const char *const popular_boys[] = {
    "浩宇", "宇轩", "子轩", "梓轩", "浩然", "一诺", "沐宸", "宇航", "梓睿",
    "子墨", "睿泽", "皓轩", "奕辰", "宇泽", "浩轩", "承泽", "俊熙", "博文",
    "梓豪", "思远", "逸辰", "沐阳", "晨阳", "一鸣", "子豪",
};
static const char *const popular_girls[] = {
    "梓涵", "一诺", "欣怡", "子涵", "雨桐", "依诺", "诗涵", "梓萱", "紫涵",
    "可馨", "语桐", "若汐", "思涵", "雨涵", "欣妍", "梓琪", "诗琪", "梦琪",
    "雨萱", "可欣", "语涵", "安琪", "佳怡", "欣悦", "一涵",
};
/* Single-character given names, most popular first. */
static const char *const single_boys[] = {"浩", "杰", "宇", "轩", "睿", "哲", "晨", "伟",
                                          "磊", "鹏", "博", "航", "凯", "然", "铭"};
static const char *const single_girls[] = {"涵", "欣", "怡", "妍", "萱", "彤", "琪", "婷",
                                           "静", "悦", "雪", "瑶", "菲", "楠", "蕊"};

/* Traditional forms of characters in the pools (unambiguous folds only:
 * 乾/干-like pairs, which a matcher must not equate, are left out). */
static const char *const trad_pairs[][2] = {
    {"陈", "陳"}, {"张", "張"}, {"刘", "劉"}, {"赵", "趙"}, {"黄", "黃"}, {"杨", "楊"},
    {"吴", "吳"}, {"郑", "鄭"}, {"孙", "孫"}, {"马", "馬"}, {"罗", "羅"}, {"许", "許"},
    {"韩", "韓"}, {"邓", "鄧"}, {"冯", "馮"}, {"叶", "葉"}, {"苏", "蘇"}, {"吕", "呂"},
    {"卢", "盧"}, {"钟", "鍾"}, {"谭", "譚"}, {"陆", "陸"}, {"贾", "賈"}, {"龙", "龍"},
    {"顾", "顧"}, {"龚", "龔"}, {"钱", "錢"}, {"严", "嚴"}, {"汤", "湯"}, {"乔", "喬"},
    {"赖", "賴"}, {"邹", "鄒"}, {"万", "萬"}, {"韦", "韋"}, {"伟", "偉"}, {"华", "華"},
    {"丽", "麗"}, {"国", "國"}, {"军", "軍"}, {"鹏", "鵬"}, {"飞", "飛"}, {"涛", "濤"},
    {"杰", "傑"}, {"轩", "軒"}, {"诗", "詩"}, {"语", "語"}, {"仪", "儀"}, {"骏", "駿"},
    {"锐", "銳"}, {"辉", "輝"}, {"晖", "暉"}, {"铭", "銘"}, {"凯", "凱"}, {"诚", "誠"},
    {"锦", "錦"}, {"阳", "陽"}, {"泽", "澤"}, {"梦", "夢"}, {"瑶", "瑤"}, {"静", "靜"},
    {"晓", "曉"}, {"岚", "嵐"}, {"兰", "蘭"}, {"澜", "瀾"}, {"钧", "鈞"}, {"韬", "韜"},
    {"颜", "顏"}, {"远", "遠"}, {"鸿", "鴻"}, {"娅", "婭"}, {"宁", "寧"}, {"诺", "諾"},
    {"东", "東"}, {"优", "優"}, {"丝", "絲"}, {"书", "書"}, {"烨", "燁"}, {"欧", "歐"},
};

/* Uyghur-style names: personal name · father's name (U+00B7). */
static const char *const minority_boys[] = {"买买提",   "艾力",     "阿不都",
                                            "艾合买提", "伊力哈木", "努尔艾力",
                                            "艾克拜尔", "麦麦提敏", "阿卜杜拉"};
static const char *const minority_girls[] = {"阿依古丽", "古丽娜尔", "热依拉",     "迪丽努尔",
                                             "帕提古丽", "米热古丽", "祖丽胡玛尔", "阿依努尔"};
static const char *const minority_fathers[] = {"买买提", "吐尔逊", "阿不都热合曼", "艾则孜",
                                               "司马义", "玉素甫", "热合曼",       "艾买提",
                                               "卡德尔", "吾斯曼", "阿布力孜",     "依明"};
/* Tibetan names: four characters, no surname. */
static const char *const tibetan_boys[] = {"扎西顿珠", "丹增旺杰", "尼玛次仁", "洛桑多吉"};
static const char *const tibetan_girls[] = {"次仁卓玛", "格桑梅朵", "索朗旺姆", "央金拉姆"};
/* Foreign names in Latin letters (passport holders). */
static const char *const latin_boys[] = {"Lucas", "Noah",   "Oliver", "David",
                                         "Leo",   "Daniel", "Ethan",  "Adam"};
static const char *const latin_girls[] = {"Emily", "Sophia", "Mia",  "Anna",
                                          "Chloe", "Olivia", "Emma", "Lily"};
static const char *const latin_surnames[] = {"Smith", "Johnson", "Brown",  "Wilson", "Martin",
                                             "Kim",   "Park",    "Nguyen", "Tanaka", "Sato"};
/* CJK Extension B characters (outside the BMP) seen in names: 𠮷 is the
 * variant of the surname 吉. */
static const uint32_t ext_b_given[] = {0x2A6A5, 0x20164, 0x2000B, 0x21A1D};
#define EXT_B_JI 0x20BB7u

/* ---- weighted choices ---- */

struct wtable {
    uint32_t *cum; /* cumulative weights */
    uint32_t n;
};

static void wtable_init(struct wtable *t, const unsigned *w, uint32_t n)
{
    t->cum = xmalloc(n * sizeof *t->cum);
    t->n = n;
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; i++)
        t->cum[i] = acc += w[i];
    if (!acc)
        die("internal: empty weight table");
}

static uint32_t wtable_pick(const struct wtable *t, rng_t *r)
{
    uint32_t x = rng_below(r, t->cum[t->n - 1]);
    uint32_t lo = 0, hi = t->n - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (t->cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Zipf-like weights for a list ordered by popularity. */
static void wtable_zipf(struct wtable *t, uint32_t n)
{
    unsigned *w = xmalloc(n * sizeof *w);
    for (uint32_t i = 0; i < n; i++)
        w[i] = 100000u / (i + 1);
    wtable_init(t, w, n);
    free(w);
}

static struct wtable surname_tab;
static struct wtable given_tab[3]; /* indices into given_chars per sex (BOY, GIRL) */
static uint32_t *given_idx[3];
static struct wtable popular_tab[3], single_tab[3];

/* ---- sounds: code point -> reading class ---- */

struct cp_sound {
    uint32_t cp;
    uint32_t cls; /* hash of the reading, top bit set */
};
static struct cp_sound *sounds;
static size_t nsounds;
static struct {
    uint32_t simp, trad;
} * trads;
static size_t ntrads;

static uint32_t py_class(const char *py, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)py[i]) * 1099511628211ull;
    return (uint32_t)(h >> 32) | 0x80000000u;
}

static int cmp_sound(const void *a, const void *b)
{
    uint32_t x = ((const struct cp_sound *)a)->cp, y = ((const struct cp_sound *)b)->cp;
    return (x > y) - (x < y);
}

static const struct cp_sound *sound_find(uint32_t cp)
{
    size_t lo = 0, hi = nsounds;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sounds[mid].cp == cp)
            return &sounds[mid];
        if (sounds[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static uint32_t simp_to_trad(uint32_t cp)
{
    for (size_t i = 0; i < ntrads; i++)
        if (trads[i].simp == cp && trads[i].trad != cp)
            return trads[i].trad;
    return 0;
}

static void sound_add(uint32_t cp, uint32_t cls)
{
    for (size_t i = 0; i < nsounds; i++)
        if (sounds[i].cp == cp) {
            if (sounds[i].cls != cls)
                die("internal: two readings for U+%04X in the name tables", (unsigned)cp);
            return;
        }
    sounds[nsounds].cp = cp;
    sounds[nsounds].cls = cls;
    nsounds++;
}

static void tables_init(void)
{
    size_t cap = 4 * (ARRAY_LEN(surnames) + ARRAY_LEN(given_chars)) + ARRAY_LEN(trad_pairs);
    sounds = xmalloc(cap * sizeof *sounds);
    for (size_t i = 0; i < ARRAY_LEN(surnames); i++) {
        uint32_t cps[8];
        int n = utf8_decode(surnames[i].s, cps, 8);
        const char *py = surnames[i].py;
        for (int k = 0; k < n; k++) {
            const char *sp = strchr(py, ' ');
            size_t len = sp ? (size_t)(sp - py) : strlen(py);
            sound_add(cps[k], py_class(py, len));
            py = sp ? sp + 1 : py + len;
        }
    }
    for (size_t i = 0; i < ARRAY_LEN(given_chars); i++)
        sound_add(first_cp(given_chars[i].ch),
                  py_class(given_chars[i].py, strlen(given_chars[i].py)));
    /* a Traditional form reads as its Simplified one */
    size_t nplain = nsounds;
    trads = xmalloc(ARRAY_LEN(trad_pairs) * sizeof *trads);
    for (size_t i = 0; i < ARRAY_LEN(trad_pairs); i++) {
        uint32_t simp = first_cp(trad_pairs[i][0]), trad = first_cp(trad_pairs[i][1]);
        uint32_t cls = simp;
        for (size_t k = 0; k < nplain; k++)
            if (sounds[k].cp == simp)
                cls = sounds[k].cls;
        sound_add(trad, cls);
        trads[ntrads].simp = simp;
        trads[ntrads].trad = trad;
        ntrads++;
    }
    qsort(sounds, nsounds, sizeof *sounds, cmp_sound);

    unsigned *w = xmalloc(ARRAY_LEN(surnames) * sizeof *w);
    for (size_t i = 0; i < ARRAY_LEN(surnames); i++)
        w[i] = surnames[i].w;
    wtable_init(&surname_tab, w, ARRAY_LEN(surnames));
    free(w);

    for (int sex = BOY; sex <= GIRL; sex++) {
        given_idx[sex] = xmalloc(ARRAY_LEN(given_chars) * sizeof(uint32_t));
        unsigned *gw = xmalloc(ARRAY_LEN(given_chars) * sizeof *gw);
        uint32_t n = 0;
        for (uint32_t i = 0; i < ARRAY_LEN(given_chars); i++)
            if ((given_chars[i].sex == ANY || given_chars[i].sex == sex) && given_chars[i].w) {
                given_idx[sex][n] = i;
                gw[n++] = given_chars[i].w;
            }
        wtable_init(&given_tab[sex], gw, n);
        free(gw);
    }
    wtable_zipf(&popular_tab[BOY], ARRAY_LEN(popular_boys));
    wtable_zipf(&popular_tab[GIRL], ARRAY_LEN(popular_girls));
    wtable_zipf(&single_tab[BOY], ARRAY_LEN(single_boys));
    wtable_zipf(&single_tab[GIRL], ARRAY_LEN(single_girls));
}

/* Reading class of a code point (a Traditional form reads as its Simplified
 * one); a code point without a reading stands for itself. */
static uint32_t cp_class(uint32_t cp)
{
    const struct cp_sound *s = sound_find(cp);
    return s ? s->cls : cp;
}

/* Hash of a name's sound: equal for names that differ only by homophones or
 * Traditional forms of the pool's characters. */
static uint64_t name_sound(const char *name)
{
    uint32_t cps[MAX_CPS];
    int n = utf8_decode(name, cps, MAX_CPS);
    uint64_t h = 0x243F6A8885A308D3ull;
    for (int i = 0; i < n; i++)
        h = mix64(h ^ cp_class(cps[i]));
    return h;
}

/* The other given-name characters with the same reading as cp (its
 * homophones in the pool); returns how many. */
static uint32_t homophones(uint32_t cp, uint32_t mates[16])
{
    const struct cp_sound *s = sound_find(cp);
    uint32_t n = 0;
    for (size_t i = 0; s && i < ARRAY_LEN(given_chars) && n < 16; i++) {
        uint32_t c = first_cp(given_chars[i].ch);
        if (c != cp && py_class(given_chars[i].py, strlen(given_chars[i].py)) == s->cls)
            mates[n++] = c;
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* Region codes (GB/T 2260) and citizen ID numbers (GB 11643). */

static int32_t *regions;
static uint32_t nregions;

static void regions_load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("%s: %s (give the region table with --regions FILE)", path, strerror(errno));
    char line[512];
    uint32_t cap = 8192;
    regions = xmalloc(cap * sizeof *regions);
    long lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1)
            continue; /* header */
        char *name = strchr(line, '\t');
        if (!name)
            continue;
        char *first = strchr(name + 1, '\t');
        char *last = first ? strchr(first + 1, '\t') : NULL;
        if (!last)
            die("%s line %ld: expected 4 tab-separated columns", path, lineno);
        long code = strtol(line, NULL, 10);
        long last_rev = strtol(last + 1, NULL, 10);
        *first = '\0';
        /* county-level codes in force when the cohort was born, without the
         * "市辖区" placeholders that no person carries */
        if (code < 110000 || code > 999999 || code % 100 == 0 || last_rev < 201712 ||
            strcmp(name + 1, "市辖区") == 0)
            continue;
        if (nregions == cap) {
            cap *= 2;
            int32_t *n = realloc(regions, cap * sizeof *regions);
            if (!n)
                die("out of memory");
            regions = n;
        }
        regions[nregions++] = (int32_t)code;
    }
    fclose(f);
    if (nregions < 100)
        die("%s: only %u usable county codes; is this the GB/T 2260 table?", path, nregions);
}

static char id_check_char(const char *body)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int s = 0;
    for (int i = 0; i < 17; i++)
        s += (body[i] - '0') * w[i];
    return "10X98765432"[s % 11];
}

/* Open-addressing set of 64-bit values (never 0). */
struct u64set {
    uint64_t *slot;
    size_t mask, n;
};

static void u64set_init(struct u64set *s, size_t expected)
{
    size_t n = 1024;
    while (n < expected + expected / 2)
        n *= 2;
    s->slot = xmalloc(n * sizeof *s->slot);
    s->mask = n - 1;
}

static uint64_t *u64set_find(const struct u64set *s, uint64_t v)
{
    size_t i = mix64(v) & s->mask;
    while (s->slot[i] && s->slot[i] != v)
        i = (i + 1) & s->mask;
    return &s->slot[i];
}

static bool u64set_has(const struct u64set *s, uint64_t v)
{
    return *u64set_find(s, v) == v;
}

static void u64set_add(struct u64set *s, uint64_t v)
{
    uint64_t *slot = u64set_find(s, v);
    if (*slot)
        return;
    if (++s->n > s->mask - s->mask / 4) /* sized at the start; never this full */
        die("internal: hash set over-full (%zu entries)", s->n);
    *slot = v;
}

static uint64_t id_body_value(const char *id)
{
    uint64_t v = 0;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(id[i] - '0');
    }
    return v;
}

/* Every citizen number given to anyone, so that no two children share one. */
static struct u64set ids_used;

static void id_compose(char out[19], int32_t region, int32_t dob, unsigned seq)
{
    int y, m, d;
    civil_from_days(dob, &y, &m, &d);
    snprintf(out, 19, "%06d%04d%02d%02d%03u", (int)region, y, m, d, seq);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

/* Draws sequence numbers for n children born the same day in one region
 * (twins: consecutive numbers), each with the parity of its gender (odd for
 * boys), none of them taken.  Writes the numbers into ids[]. */
static void citizen_ids(rng_t *r, int32_t region, int32_t dob, const uint8_t *genders, int n,
                        char ids[][19])
{
    for (int attempt = 0;; attempt++) {
        if (attempt > 10000)
            die("internal: no free ID sequence numbers for region %d", (int)region);
        unsigned seq = 1 + rng_below(r, 990);
        bool ok = true;
        unsigned s = seq;
        for (int k = 0; k < n && ok; k++) {
            /* odd for boys, even for girls: move up to the next right parity */
            if ((s % 2 == 1) != (genders[k] == BOY))
                s++;
            id_compose(ids[k], region, dob, s);
            ok = !u64set_has(&ids_used, id_body_value(ids[k]));
            s++;
        }
        if (!ok)
            continue;
        for (int k = 0; k < n; k++)
            u64set_add(&ids_used, id_body_value(ids[k]));
        return;
    }
}

/* ------------------------------------------------------------------------ */
/* Children. */

enum idtype { IDT_CITIZEN, IDT_HUKOU, IDT_OTHER, IDT_PASSPORT, IDT_BLANK };
static const char *const idtype_name[] = {"居民身份证", "户口簿", "其他", "护照", ""};
static const char *const idtype_code[] = {"1", "B", "Z", "A", ""};

enum kind { K_HAN, K_MINORITY, K_TIBETAN, K_LATIN };

#define NAME_CAP 64

struct person {
    char name[NAME_CAP];
    char id[19];       /* "" without an ID number */
    int32_t dob;       /* day number */
    int32_t region;    /* region code of the citizen number (0 for others) */
    uint8_t gender;    /* BOY, GIRL */
    uint8_t idtype;    /* enum idtype */
    uint8_t kind;      /* enum kind */
    uint8_t given_off; /* byte where the given name starts (Han names) */
};

/* dst = a followed by b (names are short; a longer one is a bug here). */
static void join_name(char dst[NAME_CAP], const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb >= NAME_CAP)
        die("internal: name '%s%s' longer than %d bytes", a, b, NAME_CAP - 1);
    memmove(dst + la, b, lb + 1);
    memmove(dst, a, la);
}

static bool has_id(const struct person *p)
{
    return p->id[0] != '\0';
}
static bool has_citizen_id(const struct person *p)
{
    return has_id(p) && (p->idtype == IDT_CITIZEN || p->idtype == IDT_HUKOU);
}

static uint32_t passport_counter;

static void passport_number(char out[19])
{
    /* a bijection of the counter on 0..10^8-1: unique, and not sequential */
    uint64_t v = ((uint64_t)passport_counter++ * 48271u + 1234567u) % 100000000u;
    snprintf(out, 19, "E%08u", (unsigned)v);
}

static void given_name(rng_t *r, uint8_t sex, char *out, size_t cap)
{
    double u = rng_unit(r);
    if (u < 0.06) {
        const char *const *list = sex == BOY ? popular_boys : popular_girls;
        snprintf(out, cap, "%s", list[wtable_pick(&popular_tab[sex], r)]);
    } else if (u < 0.16) {
        const char *const *list = sex == BOY ? single_boys : single_girls;
        snprintf(out, cap, "%s", list[wtable_pick(&single_tab[sex], r)]);
    } else {
        uint32_t a = given_idx[sex][wtable_pick(&given_tab[sex], r)];
        uint32_t b;
        do
            b = given_idx[sex][wtable_pick(&given_tab[sex], r)];
        while (b == a);
        snprintf(out, cap, "%s%s", given_chars[a].ch, given_chars[b].ch);
    }
}

/* A new child (not yet with an ID number). */
static void make_child(rng_t *r, struct person *p)
{
    memset(p, 0, sizeof *p);
    p->gender = rng_chance(r, 0.52) ? BOY : GIRL;
    p->dob = cohort_first + (int32_t)rng_below(r, (uint32_t)cohort_days);
    double u = rng_unit(r);
    if (u < 0.010) {
        p->kind = K_MINORITY;
        const char *given = p->gender == BOY
                                ? minority_boys[rng_below(r, ARRAY_LEN(minority_boys))]
                                : minority_girls[rng_below(r, ARRAY_LEN(minority_girls))];
        snprintf(p->name, NAME_CAP, "%s\xC2\xB7%s", given,
                 minority_fathers[rng_below(r, ARRAY_LEN(minority_fathers))]);
    } else if (u < 0.012) {
        p->kind = K_TIBETAN;
        snprintf(p->name, NAME_CAP, "%s",
                 p->gender == BOY ? tibetan_boys[rng_below(r, ARRAY_LEN(tibetan_boys))]
                                  : tibetan_girls[rng_below(r, ARRAY_LEN(tibetan_girls))]);
    } else if (u < 0.014) {
        p->kind = K_LATIN;
        snprintf(p->name, NAME_CAP, "%s %s",
                 p->gender == BOY ? latin_boys[rng_below(r, ARRAY_LEN(latin_boys))]
                                  : latin_girls[rng_below(r, ARRAY_LEN(latin_girls))],
                 latin_surnames[rng_below(r, ARRAY_LEN(latin_surnames))]);
    } else {
        p->kind = K_HAN;
        char sur[16], given[32];
        snprintf(sur, sizeof sur, "%s", surnames[wtable_pick(&surname_tab, r)].s);
        given_name(r, p->gender, given, sizeof given);
        if (rng_chance(r, 0.0005)) {
            /* a character outside the BMP: 𠮷 for 吉, or a rare given character */
            if (rng_chance(r, 0.5)) {
                sur[utf8_put(sur, EXT_B_JI)] = '\0';
            } else {
                uint32_t cps[8];
                int n = utf8_decode(given, cps, 8);
                cps[n - 1] = ext_b_given[rng_below(r, ARRAY_LEN(ext_b_given))];
                utf8_encode(cps, n, given);
            }
        }
        p->given_off = (uint8_t)strlen(sur);
        snprintf(p->name, NAME_CAP, "%s%s", sur, given);
    }
}

/* Gives p an ID document: passport for foreign names, else a citizen number
 * on the ID card (居民身份证) or household register (户口簿), or none (其他). */
static void assign_id(rng_t *r, struct person *p, double p_none)
{
    p->region = 0;
    p->id[0] = '\0';
    if (p->kind == K_LATIN) {
        p->idtype = IDT_PASSPORT;
        passport_number(p->id);
        return;
    }
    if (rng_chance(r, p_none)) {
        p->idtype = IDT_OTHER;
        return;
    }
    p->idtype = rng_chance(r, 0.17) ? IDT_HUKOU : IDT_CITIZEN;
    p->region = regions[rng_below(r, nregions)];
    char ids[1][19];
    citizen_ids(r, p->region, p->dob, &p->gender, 1, ids);
    memcpy(p->id, ids[0], 19);
}

/* ------------------------------------------------------------------------ */
/* Name edits used for errors (and for twins' names). */

/* Replaces one given-name character by a homophone.  False when the name has
 * no character with a homophone in the pool. */
static bool name_homophone(rng_t *r, struct person *p)
{
    if (p->kind != K_HAN)
        return false;
    uint32_t cps[MAX_CPS];
    char sur[NAME_CAP];
    memcpy(sur, p->name, p->given_off);
    sur[p->given_off] = '\0';
    int n = utf8_decode(p->name + p->given_off, cps, MAX_CPS);
    int cand[MAX_CPS], nc = 0;
    uint32_t mates[16];
    for (int i = 0; i < n; i++)
        if (homophones(cps[i], mates))
            cand[nc++] = i;
    if (!nc)
        return false;
    int i = cand[rng_below(r, (uint32_t)nc)];
    cps[i] = mates[rng_below(r, homophones(cps[i], mates))];
    char given[8 * MAX_CPS + 1];
    utf8_encode(cps, n, given);
    join_name(p->name, sur, given);
    return true;
}

/* ---- one wrong character (--name-errors) ---------------------------------
 * Four ways a school types one character of a name wrong, from the
 * generator's own lists (nothing of the matcher's tables): they are curated
 * from published tables of 多音字 (polyphones), 模糊音 (the fuzzy-pinyin pairs
 * of input methods) and 形近字 (look-alike characters). */

/* A polyphone and a character read as one of its other readings (柏 is bǎi
 * but bó in names: a school types 博 for it, or 柏 for 博).  Either side
 * may stand for the other. */
static const char *const polyphone_pairs[][2] = {
    /* given names */
    {"柏", "博"},
    {"乐", "悦"},
    {"乐", "岳"},
    {"乐", "越"},
    {"行", "航"},
    {"重", "崇"},
    {"朝", "潮"},
    {"长", "掌"},
    {"和", "贺"},
    {"茜", "希"},
    {"茜", "曦"},
    {"茜", "溪"},
    {"茜", "汐"},
    {"晟", "成"},
    {"觉", "教"},
    {"参", "深"},
    {"省", "醒"},
    {"蔓", "万"},
    {"降", "祥"},
    {"薄", "博"},
    {"员", "运"},
    {"便", "骈"},
    {"宿", "秀"},
    {"乘", "成"},
    {"莎", "沙"},
    {"调", "雕"},
    {"曲", "区"},
    {"度", "铎"},
    {"语", "玉"},
    {"雨", "玉"},
    {"择", "泽"},
    {"可", "克"},
    /* surnames read another way than the character's common reading */
    {"单", "善"},
    {"单", "山"},
    {"曾", "增"},
    {"查", "扎"},
    {"朴", "瓢"},
    {"仇", "求"},
    {"区", "欧"},
    {"解", "谢"},
    {"盖", "葛"},
    {"缪", "妙"},
    {"覃", "秦"},
    {"召", "邵"},
    {"翟", "宅"},
    {"尉", "郁"},
    {"种", "崇"},
    {"折", "佘"},
    {"华", "化"},
    {"任", "人"},
    {"燕", "烟"},
    {"纪", "己"},
    {"过", "郭"},
};

/* Look-alike characters misread from handwriting.  Either side may stand
 * for the other. */
static const char *const lookalike_pairs[][2] = {
    {"己", "已"}, {"己", "巳"}, {"未", "末"}, {"戊", "戌"}, {"戌", "戍"}, {"祎", "袆"},
    {"苓", "芩"}, {"土", "士"}, {"日", "曰"}, {"大", "太"}, {"人", "入"}, {"天", "夭"},
    {"王", "玉"}, {"王", "壬"}, {"贝", "见"}, {"田", "由"}, {"由", "甲"}, {"甲", "申"},
    {"刀", "力"}, {"干", "千"}, {"千", "于"}, {"折", "拆"}, {"侯", "候"}, {"辨", "辩"},
    {"栗", "粟"}, {"崇", "祟"}, {"晴", "睛"}, {"清", "倩"}, {"琪", "淇"}, {"琪", "祺"},
    {"萱", "宣"}, {"涵", "函"}, {"婷", "停"}, {"妍", "研"}, {"彤", "肜"}, {"哲", "折"},
    {"宇", "字"}, {"博", "傅"}, {"博", "搏"}, {"鹏", "朋"}, {"伟", "纬"}, {"磊", "垒"},
    {"航", "舫"}, {"然", "燃"}, {"怡", "冶"}, {"雪", "雷"}, {"静", "睁"}, {"悦", "锐"},
    {"瑶", "摇"}, {"诗", "持"}, {"梓", "锌"}, {"轩", "轨"}, {"浩", "皓"}, {"睿", "叡"},
    {"晨", "辰"}, {"欣", "炊"}, {"雨", "两"}, {"子", "孑"}, {"泽", "译"}, {"辰", "唇"},
    {"陈", "阵"}, {"李", "季"}, {"张", "账"}, {"杨", "扬"}, {"杨", "汤"}, {"赵", "赶"},
    {"吴", "昊"}, {"孙", "逊"}, {"胡", "湖"}, {"徐", "涂"}, {"何", "河"}, {"马", "乌"},
    {"罗", "萝"}, {"梁", "粱"}, {"宋", "宗"}, {"唐", "塘"}, {"萧", "箫"}, {"程", "呈"},
    {"曹", "槽"}, {"袁", "哀"}, {"许", "浒"}, {"傅", "博"}, {"彭", "膨"}, {"卢", "户"},
    {"蒋", "将"}, {"蔡", "祭"}, {"魏", "巍"}, {"薛", "薜"}, {"余", "佘"}, {"潘", "番"},
    {"杜", "社"}, {"戴", "载"}, {"夏", "复"}, {"汪", "注"}, {"任", "仕"}, {"姜", "美"},
    {"范", "苑"}, {"方", "万"}, {"石", "右"}, {"姚", "桃"}, {"廖", "寥"}, {"熊", "能"},
    {"金", "全"}, {"白", "自"}, {"康", "唐"}, {"毛", "手"}, {"秦", "奏"}, {"江", "汪"},
    {"史", "吏"}, {"邵", "绍"}, {"孟", "盂"}, {"段", "锻"}, {"黎", "梨"}, {"武", "式"},
    {"贺", "货"}, {"赖", "懒"}, {"龚", "袭"}, {"文", "丈"}, {"刘", "列"}, {"郭", "廓"},
};

/* Near-homophones beyond the pool's own (森/生, 兰/南, 斌/冰, 山/三). */
static const char *const fuzzy_extra_pairs[][2] = {
    {"森", "生"}, {"兰", "南"}, {"斌", "冰"}, {"山", "三"}, {"林", "宁"}, {"帆", "欢"},
    {"晨", "岑"}, {"诗", "思"}, {"志", "子"}, {"成", "岑"}, {"刘", "牛"}, {"黄", "王"},
};

/* The fuzzy-pinyin form of a reading: the pairs input methods fold
 * (zh/z, ch/c, sh/s, l/n, h/f; ing/in, eng/en, ang/an) folded one way. */
static void fuzzy_form(const char *py, char out[16])
{
    char buf[16];
    size_t n = 0;
    const char *p = py;
    if ((p[0] == 'z' || p[0] == 'c' || p[0] == 's') && p[1] == 'h') {
        buf[n++] = p[0];
        p += 2;
    } else if (p[0] == 'l') {
        buf[n++] = 'n';
        p++;
    } else if (p[0] == 'h') {
        buf[n++] = 'f';
        p++;
    }
    while (*p && n < sizeof buf - 1)
        buf[n++] = *p++;
    buf[n] = '\0';
    if (n >= 3 && strcmp(buf + n - 2, "ng") == 0 && buf[n - 3] != 'o') /* not ong */
        buf[n - 1] = '\0';
    snprintf(out, 16, "%s", buf);
}

/* Characters of the pools whose reading differs from py but not in its
 * fuzzy form: what a typist who does not tell the pairs apart types. */
static uint32_t fuzzy_mates(uint32_t cp, const char *py, bool surname, uint32_t mates[32])
{
    char want[16], f[16];
    fuzzy_form(py, want);
    uint32_t n = 0;
    size_t count = surname ? ARRAY_LEN(surnames) : ARRAY_LEN(given_chars);
    for (size_t i = 0; i < count && n < 32; i++) {
        const char *ch = surname ? surnames[i].s : given_chars[i].ch;
        const char *q = surname ? surnames[i].py : given_chars[i].py;
        uint32_t c = first_cp(ch);
        if (c == cp || strcmp(q, py) == 0 || utf8_len_cps(ch) != 1)
            continue;
        fuzzy_form(q, f);
        if (strcmp(f, want) == 0)
            mates[n++] = c;
    }
    for (size_t i = 0; i < ARRAY_LEN(fuzzy_extra_pairs) && n < 32; i++)
        for (int side = 0; side < 2; side++)
            if (first_cp(fuzzy_extra_pairs[i][side]) == cp)
                mates[n++] = first_cp(fuzzy_extra_pairs[i][!side]);
    return n;
}

/* The reading the pools give a character, or NULL. */
static const char *pool_reading(uint32_t cp, bool surname)
{
    if (surname) {
        for (size_t i = 0; i < ARRAY_LEN(surnames); i++)
            if (first_cp(surnames[i].s) == cp && utf8_len_cps(surnames[i].s) == 1)
                return surnames[i].py;
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_LEN(given_chars); i++)
        if (first_cp(given_chars[i].ch) == cp)
            return given_chars[i].py;
    return NULL;
}

enum name_error { NE_POLYPHONE, NE_FUZZY, NE_LOOKALIKE, NE_OTHER, NE_COUNT };

/* Replaces one character of a Han name as kind says.  False when the name
 * has no character the kind applies to (nothing is changed then). */
static bool name_wrong_char(rng_t *r, struct person *p, enum name_error kind)
{
    if (p->kind != K_HAN)
        return false;
    uint32_t cps[MAX_CPS], sur[MAX_CPS];
    int n = utf8_decode(p->name, cps, MAX_CPS);
    char surtext[NAME_CAP];
    memcpy(surtext, p->name, p->given_off);
    surtext[p->given_off] = '\0';
    int nsur = utf8_decode(surtext, sur, MAX_CPS);
    /* every (position, replacement) the kind allows */
    struct {
        uint8_t at;
        uint32_t to;
    } opt[256];
    int nopt = 0;
    for (int i = 0; i < n; i++) {
        if (kind == NE_POLYPHONE || kind == NE_LOOKALIKE) {
            const char *const(*pairs)[2] = kind == NE_POLYPHONE ? polyphone_pairs : lookalike_pairs;
            size_t np =
                kind == NE_POLYPHONE ? ARRAY_LEN(polyphone_pairs) : ARRAY_LEN(lookalike_pairs);
            for (size_t k = 0; k < np && nopt < 256; k++)
                for (int side = 0; side < 2; side++)
                    if (first_cp(pairs[k][side]) == cps[i] && nopt < 256) {
                        opt[nopt].at = (uint8_t)i;
                        opt[nopt++].to = first_cp(pairs[k][!side]);
                    }
        } else if (kind == NE_FUZZY) {
            const char *py = pool_reading(cps[i], i < nsur);
            uint32_t mates[32], nm = py ? fuzzy_mates(cps[i], py, i < nsur && nsur == 1, mates) : 0;
            for (uint32_t k = 0; k < nm && nopt < 256; k++) {
                opt[nopt].at = (uint8_t)i;
                opt[nopt++].to = mates[k];
            }
        } else if (i >= nsur && nopt < 256) { /* any other character: a given-name one */
            opt[nopt].at = (uint8_t)i;
            opt[nopt++].to = 0;
        }
    }
    if (!nopt)
        return false;
    int k = (int)rng_below(r, (uint32_t)nopt);
    uint32_t to = opt[k].to;
    if (!to) {
        /* a pool character that sounds different: no homophone, no fuzzy mate */
        const struct cp_sound *own = sound_find(cps[opt[k].at]);
        for (int tries = 0; tries < 64; tries++) {
            uint32_t c = first_cp(given_chars[rng_below(r, ARRAY_LEN(given_chars))].ch);
            const struct cp_sound *cs = sound_find(c);
            if (c != cps[opt[k].at] && (!own || !cs || own->cls != cs->cls)) {
                to = c;
                break;
            }
        }
        if (!to)
            return false;
    }
    cps[opt[k].at] = to;
    char given[8 * MAX_CPS + 1];
    utf8_encode(cps, nsur, surtext);
    utf8_encode(cps + nsur, n - nsur, given);
    join_name(p->name, surtext, given);
    p->given_off = (uint8_t)strlen(surtext);
    return true;
}

/* Writes one (or, sometimes, every) character in its Traditional form. */
static bool name_traditional(rng_t *r, struct person *p)
{
    uint32_t cps[MAX_CPS];
    int n = utf8_decode(p->name, cps, MAX_CPS);
    int cand[MAX_CPS], nc = 0;
    for (int i = 0; i < n; i++)
        if (simp_to_trad(cps[i]))
            cand[nc++] = i;
    if (!nc)
        return false;
    if (rng_chance(r, 0.3)) {
        for (int k = 0; k < nc; k++)
            cps[cand[k]] = simp_to_trad(cps[cand[k]]);
    } else {
        int i = cand[rng_below(r, (uint32_t)nc)];
        cps[i] = simp_to_trad(cps[i]);
    }
    utf8_encode(cps, n, p->name);
    return true;
}

/* Twins: born the same day in the same place, same surname, different given
 * names (sometimes homophones of each other), consecutive sequence numbers. */
static void make_twins(rng_t *r, struct person *a, struct person *b)
{
    do
        make_child(r, a);
    while (a->kind != K_HAN);
    *b = *a;
    if (!rng_chance(r, 0.5))
        b->gender = a->gender == BOY ? GIRL : BOY;
    char sur[NAME_CAP];
    memcpy(sur, a->name, a->given_off);
    sur[a->given_off] = '\0';
    for (int attempt = 0; strcmp(a->name, b->name) == 0 || attempt == 0; attempt++) {
        double u = rng_unit(r);
        snprintf(b->name, NAME_CAP, "%s", a->name);
        if (u < 0.3 && attempt < 3 && name_homophone(r, b))
            continue;
        uint32_t cps[MAX_CPS];
        int n = utf8_decode(a->name + a->given_off, cps, MAX_CPS);
        char given[32];
        given_name(r, b->gender, given, sizeof given);
        if (u < 0.7 && n == 2) {
            /* share the first given character: 浩宇 / 浩轩 */
            uint32_t g[8];
            int gn = utf8_decode(given, g, 8);
            cps[1] = g[gn - 1];
            utf8_encode(cps, 2, given);
        }
        join_name(b->name, sur, given);
    }
    if (rng_chance(r, 0.03)) {
        a->idtype = b->idtype = IDT_OTHER;
        a->id[0] = b->id[0] = '\0';
        a->region = b->region = 0;
        return;
    }
    a->idtype = b->idtype = rng_chance(r, 0.17) ? IDT_HUKOU : IDT_CITIZEN;
    a->region = b->region = regions[rng_below(r, nregions)];
    uint8_t genders[2] = {a->gender, b->gender};
    char ids[2][19];
    citizen_ids(r, a->region, a->dob, genders, 2, ids);
    memcpy(a->id, ids[0], 19);
    memcpy(b->id, ids[1], 19);
}

/* ------------------------------------------------------------------------ */
/* Who is near whom: (name sound, birth date, gender) -> how many registry
 * records, and how many of them without a citizen number (none, or a
 * passport, which tells two children apart no better: it can be renewed).
 * Saturating 4-bit counters are enough: the questions asked are "any?" and
 * "any other?". */

struct keytab {
    uint64_t *key;
    uint8_t *cnt; /* low nibble: records, high nibble: without citizen number */
    size_t mask;
};
static struct keytab near_tab;

/* (exact name, date, gender) of the registry records without any ID number:
 * a pupil without one who equals such a record in all five fields cannot be
 * told from it by anyone, so no new pupil is made like that. */
static struct u64set noid_exact;

static uint64_t exact_key(const struct person *p)
{
    uint64_t h = 0x13198A2E03707344ull;
    for (const unsigned char *c = (const unsigned char *)p->name; *c; c++)
        h = (h ^ *c) * 0x100000001B3ull;
    h = mix64(h ^ mix64(((uint64_t)(uint32_t)p->dob << 2) | p->gender));
    return h ? h : 1;
}

static uint64_t near_key(uint64_t sound, int32_t dob, uint8_t gender)
{
    uint64_t k = mix64(sound ^ mix64(((uint64_t)(uint32_t)dob << 2) | gender));
    return k ? k : 1;
}

static size_t keytab_slot(const struct keytab *t, uint64_t k)
{
    size_t i = (size_t)(k >> 7) & t->mask;
    while (t->key[i] && t->key[i] != k)
        i = (i + 1) & t->mask;
    return i;
}

static void keytab_add(struct keytab *t, const struct person *p)
{
    uint64_t k = near_key(name_sound(p->name), p->dob, p->gender);
    size_t i = keytab_slot(t, k);
    t->key[i] = k;
    unsigned all = t->cnt[i] & 15u, noid = t->cnt[i] >> 4;
    if (all < 15)
        all++;
    if (!has_citizen_id(p) && noid < 15)
        noid++;
    t->cnt[i] = (uint8_t)(all | noid << 4);
    if (!has_id(p))
        u64set_add(&noid_exact, exact_key(p));
}

static void keytab_get(const struct keytab *t, uint64_t k, int *all, int *noid)
{
    size_t i = keytab_slot(t, k);
    *all = t->key[i] ? t->cnt[i] & 15 : 0;
    *noid = t->key[i] ? t->cnt[i] >> 4 : 0;
}

/* The records a correct matcher must offer for a row with this name, date
 * and gender when one side has no citizen number: the same sound (homophones,
 * Traditional forms), and the date exact, one day off or day/month swapped,
 * or the gender the other one.  These are exactly the roster errors this
 * generator makes, so a matcher that finds them all for recall must also
 * offer them here.  Fills keys[0] with the exact key; returns the count. */
static int near_keys(const struct person *p, uint64_t keys[5])
{
    uint64_t s = name_sound(p->name);
    int n = 0;
    keys[n++] = near_key(s, p->dob, p->gender);
    keys[n++] = near_key(s, p->dob - 1, p->gender);
    keys[n++] = near_key(s, p->dob + 1, p->gender);
    int32_t sw = dob_swapped(p->dob);
    if (sw >= 0)
        keys[n++] = near_key(s, sw, p->gender);
    keys[n++] = near_key(s, p->dob, p->gender == BOY ? GIRL : BOY);
    return n;
}

/* ------------------------------------------------------------------------ */
/* Output. */

struct obuf {
    char *p;
    size_t len, cap;
    FILE *f; /* flushed to f when full; NULL: grows in memory */
};

static void obuf_reserve(struct obuf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    if (b->f) {
        if (b->len && fwrite(b->p, 1, b->len, b->f) != b->len)
            die("write failed: %s", strerror(errno));
        b->len = 0;
        if (extra <= b->cap)
            return;
    }
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + extra)
        cap *= 2;
    char *n = realloc(b->p, cap);
    if (!n)
        die("out of memory (%zu bytes)", cap);
    b->p = n;
    b->cap = cap;
}

static void obuf_put(struct obuf *b, const char *s, size_t n)
{
    obuf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void obuf_str(struct obuf *b, const char *s)
{
    obuf_put(b, s, strlen(s));
}
static void obuf_ch(struct obuf *b, char c)
{
    obuf_put(b, &c, 1);
}

/* One CSV field (RFC 4180: quoted only when it must be). */
static void obuf_field(struct obuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        obuf_str(b, s);
        return;
    }
    obuf_ch(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            obuf_ch(b, '"');
        obuf_ch(b, *s);
    }
    obuf_ch(b, '"');
}

static void obuf_regno(struct obuf *b, uint32_t no)
{
    char tmp[16];
    snprintf(tmp, sizeof tmp, "P%08u", no);
    obuf_str(b, tmp);
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    return f;
}

static void obuf_close(struct obuf *b, const char *path)
{
    if (b->len && fwrite(b->p, 1, b->len, b->f) != b->len)
        die("%s: write failed: %s", path, strerror(errno));
    if (fclose(b->f) != 0)
        die("%s: %s", path, strerror(errno));
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------------ */
/* Rendering the five fields, canonically (as the registry writes them) or
 * with the formatting a school's spreadsheet adds. */

struct fields {
    char name[512], gender[32], dob[64], idtype[32], id[128];
};

static void fmt_date(char *out, size_t cap, int32_t dob)
{
    int y, m, d;
    civil_from_days(dob, &y, &m, &d);
    snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

static void render_canonical(const struct person *p, struct fields *f)
{
    snprintf(f->name, sizeof f->name, "%s", p->name);
    snprintf(f->gender, sizeof f->gender, "%s", p->gender == BOY ? "男" : "女");
    fmt_date(f->dob, sizeof f->dob, p->dob);
    snprintf(f->idtype, sizeof f->idtype, "%s", idtype_name[p->idtype]);
    snprintf(f->id, sizeof f->id, "%s", p->id);
}

/* ASCII letters and digits to their full-width forms (U+FF01..U+FF5E). */
static void to_fullwidth(const char *in, char *out, size_t cap, bool digits_only)
{
    size_t len = 0;
    for (; *in && len + 5 < cap; in++) {
        unsigned char c = (unsigned char)*in;
        bool conv = (c >= '0' && c <= '9') ||
                    (!digits_only && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')));
        if (conv)
            len += utf8_put(out + len, 0xFF00u + c - 0x20u);
        else
            out[len++] = (char)c;
    }
    out[len] = '\0';
}

static const uint32_t zero_width[] = {0x200B, 0x200C, 0x200D, 0xFEFF};
static const uint32_t dot_variants[] = {0x2022, 0x30FB, 0xFF0E, 0x2027, 0x2219, '.', '-', ' '};

static bool fmt_name(rng_t *r, const struct person *p, char *name, size_t cap)
{
    uint32_t cps[2 * MAX_CPS + 2];
    int n = utf8_decode(name, cps, MAX_CPS);
    char tmp[8 * MAX_CPS + 16];
    switch (p->kind) {
    case K_MINORITY: {
        uint32_t op = rng_below(r, 4);
        for (int i = 0; i < n; i++)
            if (cps[i] == 0xB7) {
                if (op < 2) { /* another dot */
                    cps[i] = dot_variants[rng_below(r, ARRAY_LEN(dot_variants))];
                } else if (op == 2) { /* no dot at all */
                    memmove(cps + i, cps + i + 1, (size_t)(n - i - 1) * sizeof *cps);
                    n--;
                } else { /* a zero-width character beside it */
                    memmove(cps + i + 1, cps + i, (size_t)(n - i) * sizeof *cps);
                    cps[i] = zero_width[rng_below(r, ARRAY_LEN(zero_width))];
                    n++;
                }
                break;
            }
        break;
    }
    case K_LATIN:
        switch (rng_below(r, 4)) {
        case 0:
            for (int i = 0; i < n; i++)
                if (cps[i] >= 'a' && cps[i] <= 'z')
                    cps[i] -= 32;
            break;
        case 1:
            for (int i = 0; i < n; i++)
                if (cps[i] >= 'A' && cps[i] <= 'Z')
                    cps[i] += 32;
            break;
        case 2:
            for (int i = 0; i < n; i++)
                if (cps[i] == ' ') {
                    memmove(cps + i + 1, cps + i, (size_t)(n - i) * sizeof *cps);
                    n++;
                    break;
                }
            break;
        default:
            utf8_encode(cps, n, tmp);
            to_fullwidth(tmp, name, cap, false);
            return true;
        }
        break;
    default: {
        int sur_cps = 0;
        for (const char *s = p->name; s < p->name + p->given_off; s++)
            sur_cps += ((unsigned char)*s & 0xC0) != 0x80;
        switch (rng_below(r, 5)) {
        case 0: /* space between surname and given name */
            if (sur_cps > 0 && sur_cps < n) {
                memmove(cps + sur_cps + 1, cps + sur_cps, (size_t)(n - sur_cps) * sizeof *cps);
                cps[sur_cps] = rng_chance(r, 0.7) ? ' ' : 0x3000;
                n++;
                break;
            }
            /* fall through */
        case 1: /* spaces around (also where there is no surname) */
            memmove(cps + 1, cps, (size_t)n * sizeof *cps);
            cps[0] = ' ';
            cps[++n] = ' ';
            n++;
            break;
        case 2: /* a space between every character */
            for (int i = n - 1; i > 0; i--) {
                memmove(cps + i + 1, cps + i, (size_t)(n - i) * sizeof *cps);
                cps[i] = ' ';
                n++;
            }
            break;
        case 3: /* a trailing space */
            cps[n++] = ' ';
            break;
        default: { /* a zero-width character inside */
            int at = 1 + (int)rng_below(r, (uint32_t)(n > 1 ? n - 1 : 1));
            memmove(cps + at + 1, cps + at, (size_t)(n - at) * sizeof *cps);
            cps[at] = zero_width[rng_below(r, ARRAY_LEN(zero_width))];
            n++;
        }
        }
    }
    }
    size_t len = utf8_encode(cps, n, tmp);
    if (len >= cap || strcmp(tmp, name) == 0)
        return false;
    memcpy(name, tmp, len + 1);
    return true;
}

static bool fmt_gender(rng_t *r, const struct person *p, char *out, size_t cap)
{
    static const char *const boy[] = {"1", "男性", "M", "男 "};
    static const char *const girl[] = {"2", "女性", "F", "女 "};
    snprintf(out, cap, "%s", p->gender == BOY ? boy[rng_below(r, 4)] : girl[rng_below(r, 4)]);
    return true;
}

static bool fmt_dob(rng_t *r, int32_t dob, char *out, size_t cap)
{
    int y, m, d;
    civil_from_days(dob, &y, &m, &d);
    char tmp[64];
    switch (rng_below(r, 9)) {
    case 0:
        snprintf(out, cap, "%d/%d/%d", y, m, d);
        break;
    case 1:
        snprintf(out, cap, "%04d/%02d/%02d", y, m, d);
        break;
    case 2:
        snprintf(out, cap, "%d年%d月%d日", y, m, d);
        break;
    case 3:
        snprintf(out, cap, "%04d%02d%02d", y, m, d);
        break;
    case 4:
        snprintf(out, cap, "%04d.%02d.%02d", y, m, d);
        break;
    case 5:
        snprintf(out, cap, "%d-%d-%d", y, m, d);
        break;
    case 6: /* Excel's serial day number (1900 date system) */
        snprintf(out, cap, "%d", (int)(dob - days_from_civil(1899, 12, 30)));
        break;
    case 7:
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
        to_fullwidth(tmp, out, cap, true);
        break;
    default:
        snprintf(out, cap, "%04d年%02d月%02d日", y, m, d);
        break;
    }
    char canon[16];
    fmt_date(canon, sizeof canon, dob);
    return strcmp(out, canon) != 0;
}

static bool fmt_idtype(rng_t *r, uint8_t idtype, char *out, size_t cap)
{
    if (idtype == IDT_BLANK)
        return false;
    if (idtype == IDT_HUKOU && rng_chance(r, 0.4))
        snprintf(out, cap, "户口薄"); /* the everyday misspelling of 户口簿 */
    else
        snprintf(out, cap, "%s", idtype_code[idtype]);
    return true;
}

static bool fmt_id(rng_t *r, const char *id, char *out, size_t cap)
{
    size_t len = strlen(id);
    if (!len)
        return false;
    switch (rng_below(r, 5)) {
    case 0:
        to_fullwidth(id, out, cap, false);
        break;
    case 1:
        if (id[len - 1] == 'X') {
            snprintf(out, cap, "%.*sx", (int)len - 1, id);
            break;
        }
        /* fall through */
    case 2:
        if (len == 18) { /* grouped as on the card's photocopy: region date sequence */
            snprintf(out, cap, "%.6s %.8s %.4s", id, id + 6, id + 14);
            break;
        }
        /* fall through */
    case 3: {
        size_t at = 1 + rng_below(r, (uint32_t)(len - 1));
        snprintf(out, cap, "%.*s %s", (int)at, id, id + at);
        break;
    }
    default:
        snprintf(out, cap, " %s ", id);
    }
    for (char *c = out; *c && id[0] >= 'A'; c++) /* passport numbers: lower case too */
        if (*c >= 'A' && *c <= 'Z' && rng_chance(r, 0.5))
            *c = (char)(*c + 32);
    return strcmp(out, id) != 0;
}

/* Spreadsheet formatting: each field changed with probability about
 * p_field; with force, at least one is.  Every field keeps its meaning. */
static bool fmt_field(rng_t *r, const struct person *p, struct fields *f, int which)
{
    switch (which) {
    case 0:
        return fmt_name(r, p, f->name, sizeof f->name);
    case 1:
        return fmt_gender(r, p, f->gender, sizeof f->gender);
    case 2:
        return fmt_dob(r, p->dob, f->dob, sizeof f->dob);
    case 3:
        return fmt_idtype(r, p->idtype, f->idtype, sizeof f->idtype);
    default:
        return fmt_id(r, p->id, f->id, sizeof f->id);
    }
}

static void render_formatted(rng_t *r, const struct person *p, struct fields *f, double p_field,
                             bool force)
{
    /* dates are reformatted most often, names least */
    static const double share[5] = {0.5, 0.6, 1.0, 0.6, 0.6};
    render_canonical(p, f);
    bool any = false;
    for (int k = 0; k < 5; k++)
        if (rng_chance(r, p_field * share[k]))
            any |= fmt_field(r, p, f, k);
    /* a field left canonical by a no-op (an empty ID number) is still
     * canonical, so trying again on another one is safe */
    for (int tries = 0; force && !any && tries < 32; tries++)
        any |= fmt_field(r, p, f, (int)rng_below(r, 5));
}

/* ------------------------------------------------------------------------ */
/* Roster categories (truth.csv). */

enum category {
    C_CLEAN,         /* the registry's own spelling */
    C_FORMAT,        /* formatting only: same meaning in every field */
    C_TRAD,          /* Traditional character(s) in the name */
    C_HOMOPHONE,     /* a given-name character replaced by a homophone */
    C_ID_SUB,        /* one character of the ID number substituted */
    C_ID_SWAP,       /* two adjacent characters of the ID number swapped */
    C_DOB_SWAP,      /* day and month exchanged */
    C_DOB_PM1,       /* birth date one day off */
    C_ID_MISSING,    /* ID number left out */
    C_GENDER_WRONG,  /* the other gender */
    C_TWO_ERRORS,    /* two of the errors above */
    C_TWIN,          /* a twin (formatting only); the other twin is registered too */
    C_REG_TWICE,     /* registered twice (formatting only); also_ids names the other record */
    C_NAMESAKE_REG,  /* registered, but a namesake without ID number is near: must be pending */
    C_NOID,          /* registered without ID number, formatting only: matched or pending */
    C_NEW,           /* not registered; nobody near */
    C_NAMESAKE_NEW,  /* not registered; same name, date, gender as a registered child, IDs differ */
    C_NAMESAKE_NOID, /* not registered; a near namesake without ID number: candidates are right */
    /* --name-errors only: one wrong character of the name (enum name_error),
     * alone and with the ID number missing, one character of it substituted
     * or two adjacent ones swapped: C_NAME_ERRORS + kind * 4 + with */
    C_NAME_ERRORS,
    C_COUNT = C_NAME_ERRORS + NE_COUNT * 4
};

static const char *const category_name[C_COUNT] = {
    "clean",
    "format",
    "trad",
    "homophone",
    "id_sub",
    "id_swap",
    "dob_swap",
    "dob_pm1",
    "id_missing",
    "gender_wrong",
    "two_errors",
    "twin",
    "registered_twice",
    "namesake_reg",
    "noid",
    "new",
    "namesake_new",
    "namesake_noid",
    "polyphone",
    "polyphone+id_missing",
    "polyphone+id_sub",
    "polyphone+id_swap",
    "fuzzy",
    "fuzzy+id_missing",
    "fuzzy+id_sub",
    "fuzzy+id_swap",
    "lookalike",
    "lookalike+id_missing",
    "lookalike+id_sub",
    "lookalike+id_swap",
    "other_char",
    "other_char+id_missing",
    "other_char+id_sub",
    "other_char+id_swap",
};

/* Applies one error to q (a copy of the child as registered).  False when
 * the error does not apply to this child (nothing is changed then). */
static bool apply_error(rng_t *r, enum category e, struct person *q)
{
    switch (e) {
    case C_TRAD:
        return name_traditional(r, q);
    case C_HOMOPHONE:
        return name_homophone(r, q);
    case C_ID_SUB:
    case C_ID_SWAP: {
        if (!has_citizen_id(q))
            return false;
        uint64_t own = id_body_value(q->id);
        for (int attempt = 0; attempt < 50; attempt++) {
            char id[19];
            memcpy(id, q->id, 19);
            if (e == C_ID_SUB) {
                int at = (int)rng_below(r, 18);
                char c;
                do
                    c = (char)('0' + rng_below(r, 10));
                while (c == id[at]);
                id[at] = c;
            } else {
                int at = (int)rng_below(r, 17);
                if (id[at] == id[at + 1])
                    continue;
                char t = id[at];
                id[at] = id[at + 1];
                id[at + 1] = t;
            }
            /* a typo must not land on another child's number */
            uint64_t v = id_body_value(id);
            if (v != own && u64set_has(&ids_used, v))
                continue;
            memcpy(q->id, id, 19);
            return true;
        }
        return false;
    }
    case C_DOB_SWAP: {
        int32_t sw = dob_swapped(q->dob);
        if (sw < 0)
            return false;
        q->dob = sw;
        return true;
    }
    case C_DOB_PM1:
        q->dob += rng_chance(r, 0.5) ? 1 : -1;
        return true;
    case C_ID_MISSING:
        if (!has_id(q))
            return false;
        q->id[0] = '\0';
        {
            double u = rng_unit(r);
            if (u < 0.25)
                q->idtype = IDT_OTHER;
            else if (u < 0.5)
                q->idtype = IDT_BLANK;
        }
        return true;
    case C_GENDER_WRONG:
        q->gender = q->gender == BOY ? GIRL : BOY;
        return true;
    default:
        if (e >= C_NAME_ERRORS && e < C_COUNT) {
            static const enum category with[4] = {C_COUNT, C_ID_MISSING, C_ID_SUB, C_ID_SWAP};
            int k = (e - C_NAME_ERRORS) / 4, w = (e - C_NAME_ERRORS) % 4;
            struct person t = *q;
            if (!name_wrong_char(r, &t, (enum name_error)k) ||
                (with[w] != C_COUNT && !apply_error(r, with[w], &t)))
                return false;
            *q = t;
            return true;
        }
        return false;
    }
}

/* The pairs of errors of category two_errors. */
static const enum category error_pairs[][2] = {
    {C_HOMOPHONE, C_DOB_SWAP},   {C_ID_MISSING, C_DOB_PM1}, {C_TRAD, C_ID_SUB},
    {C_HOMOPHONE, C_ID_MISSING}, {C_ID_SWAP, C_DOB_PM1},    {C_TRAD, C_GENDER_WRONG},
};

/* ------------------------------------------------------------------------ */
/* The registry stream and the roster. */

struct reg_child {
    struct person p;
    uint32_t reg_no;  /* its record: P%08u */
    uint32_t dup_no;  /* its second record (registered twice), or 0 */
    uint8_t dup_noid; /* the second record has no citizen number */
    uint8_t twin;
};

struct row {
    uint64_t off; /* rendered fields in the arena */
    uint32_t len;
    uint32_t true_no; /* 0 for pupils not in the registry */
    uint32_t also_no;
    uint8_t cat;
};

struct gen {
    bool name_errors; /* --name-errors: the categories from C_NAME_ERRORS on */
    rng_t rng;
    uint32_t n_registry, n_roster;
    const char *out_dir;
    /* registry counts for the summary */
    uint32_t n_children, n_twin_pairs, n_dups, n_noid;
    /* roster */
    struct reg_child *pick; /* reservoir of registered children for the roster */
    uint32_t pick_cap, pick_n;
    struct person *ns_src; /* reservoir of namesake sources */
    uint32_t ns_cap, ns_n;
    uint64_t seen_children, seen_ns;
    struct row *rows;
    uint32_t nrows;
    struct obuf arena;
};

/* Reservoir sampling (algorithm R): where the next of *seen items goes in a
 * uniform sample of at most cap items, or -1 when it is not kept. */
static int64_t reservoir_slot(rng_t *r, uint64_t *seen, uint32_t *n, uint32_t cap)
{
    ++*seen;
    if (*n < cap)
        return (*n)++;
    if (!cap)
        return -1;
    uint64_t j = rng_next(r) % *seen;
    return j < cap ? (int64_t)j : -1;
}

static void reservoir_offer(struct gen *g, const struct reg_child *c)
{
    int64_t at = reservoir_slot(&g->rng, &g->seen_children, &g->pick_n, g->pick_cap);
    if (at >= 0)
        g->pick[at] = *c;
}

static void namesake_offer(struct gen *g, const struct person *p)
{
    /* deliberate namesakes test telling two children apart by their citizen
     * numbers, so their registered half has one */
    if (!has_citizen_id(p))
        return;
    int64_t at = reservoir_slot(&g->rng, &g->seen_ns, &g->ns_n, g->ns_cap);
    if (at >= 0)
        g->ns_src[at] = *p;
}

static void write_registry_record(struct obuf *b, uint32_t no, const struct person *p)
{
    struct fields f;
    render_canonical(p, &f);
    obuf_regno(b, no);
    obuf_ch(b, ',');
    obuf_field(b, f.name);
    obuf_ch(b, ',');
    obuf_field(b, f.gender);
    obuf_ch(b, ',');
    obuf_field(b, f.dob);
    obuf_ch(b, ',');
    obuf_field(b, f.idtype);
    obuf_ch(b, ',');
    obuf_field(b, f.id);
    obuf_ch(b, '\n');
}

/* A second record of the same child: the same, or with a typo in the name
 * (same ID number), or without ID number. */
static void make_dup(rng_t *r, const struct person *p, struct person *d)
{
    *d = *p;
    double u = rng_unit(r);
    if (u < 0.4)
        return;
    if (u < 0.7 || !has_id(p)) {
        if (!name_homophone(r, d))
            name_traditional(r, d);
        return;
    }
    d->idtype = IDT_OTHER;
    d->id[0] = '\0';
}

static void generate_registry(struct gen *g)
{
    char path[4096];
    struct obuf out = {.f = open_out(g->out_dir, "registry.csv", path, sizeof path)};
    out.p = xmalloc(out.cap = 1 << 20);
    obuf_str(&out, "id,姓名,性别,出生日期,身份证件类型,身份证件号\n");

    uint32_t n = g->n_registry;
    /* dup_at[k]: 1 + index into dups of the second record written as number k */
    uint32_t *dup_at = xmalloc(((size_t)n + 2) * sizeof *dup_at);
    struct person *dups = NULL;
    uint32_t ndups = 0, dups_cap = 0;
    struct reg_child twin_b;
    bool have_twin = false;

    for (uint32_t no = 1; no <= n; no++) {
        if (dup_at[no]) {
            const struct person *d = &dups[dup_at[no] - 1];
            write_registry_record(&out, no, d);
            keytab_add(&near_tab, d);
            g->n_noid += !has_id(d);
            continue;
        }
        struct reg_child c;
        if (have_twin) {
            c = twin_b;
            have_twin = false;
        } else {
            memset(&c, 0, sizeof c);
            /* twins only where the next number is free for the second one
             * (second records are never placed right after their first) */
            if (no < n && !dup_at[no + 1] && rng_chance(&g->rng, 0.006)) {
                memset(&twin_b, 0, sizeof twin_b);
                make_twins(&g->rng, &c.p, &twin_b.p);
                c.twin = twin_b.twin = 1;
                have_twin = true;
                g->n_twin_pairs++;
            } else {
                make_child(&g->rng, &c.p);
                assign_id(&g->rng, &c.p, 0.03);
            }
        }
        c.reg_no = no;
        g->n_children++;
        /* registered twice: the second record comes later, up to 50,000
         * records on (never right after, where a twin may go) */
        if (rng_chance(&g->rng, 0.002) && n - no >= 2) {
            uint32_t room = n - no - 1 < 50000 ? n - no - 1 : 50000;
            uint32_t slot = no + 2 + rng_below(&g->rng, room);
            while (slot <= n && dup_at[slot])
                slot++;
            if (slot <= n) {
                if (ndups == dups_cap) {
                    dups_cap = dups_cap ? dups_cap * 2 : 1024;
                    struct person *nd = realloc(dups, dups_cap * sizeof *dups);
                    if (!nd)
                        die("out of memory");
                    dups = nd;
                }
                make_dup(&g->rng, &c.p, &dups[ndups]);
                dup_at[slot] = ++ndups;
                c.dup_no = slot;
                c.dup_noid = !has_citizen_id(&dups[ndups - 1]);
                g->n_dups++;
            }
        }
        write_registry_record(&out, no, &c.p);
        keytab_add(&near_tab, &c.p);
        g->n_noid += !has_id(&c.p);
        reservoir_offer(g, &c);
        namesake_offer(g, &c.p);
    }
    if (have_twin)
        die("internal: the second twin found no registry number");
    obuf_close(&out, path);
    free(dup_at);
    free(dups);
}

static void add_row(struct gen *g, const struct fields *f, uint32_t true_no, uint32_t also_no,
                    enum category cat)
{
    struct row *w = &g->rows[g->nrows++];
    w->off = g->arena.len;
    obuf_field(&g->arena, f->name);
    obuf_ch(&g->arena, ',');
    obuf_field(&g->arena, f->gender);
    obuf_ch(&g->arena, ',');
    obuf_field(&g->arena, f->dob);
    obuf_ch(&g->arena, ',');
    obuf_field(&g->arena, f->idtype);
    obuf_ch(&g->arena, ',');
    obuf_field(&g->arena, f->id);
    w->len = (uint32_t)(g->arena.len - w->off);
    w->true_no = true_no;
    w->also_no = also_no;
    w->cat = (uint8_t)cat;
}

/* A registered child is ambiguous when a correct matcher must leave it
 * pending however clean the row: another record near it (near_keys) could be
 * the same child, because one of the two has no citizen number to tell them
 * apart.
 * The child's own records (itself, its second record) do not count. */
static bool ambiguous_registered(const struct reg_child *c)
{
    uint64_t keys[5];
    int nk = near_keys(&c->p, keys);
    int own_all = 1 + (c->dup_no != 0);
    int own_noid = !has_citizen_id(&c->p) + (c->dup_no && c->dup_noid);
    for (int k = 0; k < nk; k++) {
        int all, noid;
        keytab_get(&near_tab, keys[k], &all, &noid);
        if (k == 0) {
            all -= own_all;
            noid -= own_noid;
        }
        if (has_citizen_id(&c->p) ? noid > 0 : all > 0)
            return true;
    }
    return false;
}

static void roster_registered(struct gen *g, const struct reg_child *c)
{
    rng_t *r = &g->rng;
    struct fields f;
    enum category cat;
    if (c->dup_no)
        cat = C_REG_TWICE;
    else if (ambiguous_registered(c))
        cat = C_NAMESAKE_REG;
    else if (c->twin && has_id(&c->p))
        cat = C_TWIN;
    else {
        /* errors, each a few tenths of a percent of the rows it applies to
         * (a day/month swap only to days 1-12, hence its higher rate; a
         * row it does not apply to keeps formatting only) */
        static const struct {
            enum category cat;
            double p;
        } errors[] = {
            {C_TRAD, 0.005},       {C_HOMOPHONE, 0.004},    {C_ID_SUB, 0.004},
            {C_ID_SWAP, 0.004},    {C_DOB_SWAP, 0.010},     {C_DOB_PM1, 0.004},
            {C_ID_MISSING, 0.004}, {C_GENDER_WRONG, 0.004}, {C_TWO_ERRORS, 0.003},
        };
        double u = rng_unit(r);
        cat = u < 0.40 ? C_CLEAN : C_FORMAT;
        double acc = 0.40;
        for (size_t k = 0; k < ARRAY_LEN(errors); k++) {
            if (u >= acc && u < acc + errors[k].p)
                cat = errors[k].cat;
            acc += errors[k].p;
        }
        /* --name-errors: a second draw, so that the default stream is the
         * one it always was; each of the 16 kinds takes 0.25% of the rows
         * (those it does not apply to keep their category) */
        if (g->name_errors && (cat == C_CLEAN || cat == C_FORMAT)) {
            double v = rng_unit(r);
            if (v < 0.0025 * (C_COUNT - C_NAME_ERRORS))
                cat = (enum category)(C_NAME_ERRORS + (int)(v / 0.0025));
        }
    }
    if ((cat >= C_TRAD && cat <= C_TWO_ERRORS) || cat >= C_NAME_ERRORS) {
        struct person q = c->p;
        bool ok;
        if (cat == C_TWO_ERRORS) {
            const enum category *pair = error_pairs[rng_below(r, ARRAY_LEN(error_pairs))];
            struct person t = q;
            ok = apply_error(r, pair[0], &t) && apply_error(r, pair[1], &t);
            if (ok)
                q = t;
        } else {
            ok = apply_error(r, cat, &q);
        }
        if (ok) {
            render_formatted(r, &q, &f, 0.5, false);
            add_row(g, &f, c->reg_no, 0, cat);
            return;
        }
        cat = C_FORMAT; /* the error does not apply to this child */
    }
    /* Without any ID number, name, date and gender are all there is: a
     * matcher may leave such a row pending (docs/domain.md §3: records without ID
     * number are handled by hand), so it is kept out of clean and format. */
    if ((cat == C_CLEAN || cat == C_FORMAT) && !has_id(&c->p))
        cat = C_NOID;
    if (cat == C_CLEAN) {
        render_canonical(&c->p, &f);
    } else if (cat == C_FORMAT) {
        render_formatted(r, &c->p, &f, 0.6, true);
    } else {
        /* the special categories carry formatting only, or none */
        if (rng_chance(r, 0.6))
            render_formatted(r, &c->p, &f, 0.6, true);
        else
            render_canonical(&c->p, &f);
    }
    struct fields canon;
    render_canonical(&c->p, &canon);
    if (cat == C_FORMAT && memcmp(&f, &canon, sizeof f) == 0)
        cat = C_CLEAN;
    add_row(g, &f, c->reg_no, c->dup_no, cat);
}

/* A pupil not in the registry: namesake_noid when a record near it (see
 * near_keys) lacks a citizen number or the pupil has none, so that nothing
 * tells them apart; namesake_new when a record has the same name sound, date
 * and gender and both have citizen numbers, which differ; otherwise new. */
static enum category classify_new(const struct person *p)
{
    uint64_t keys[5];
    int nk = near_keys(p, keys);
    bool exact = false;
    for (int k = 0; k < nk; k++) {
        int all, noid;
        keytab_get(&near_tab, keys[k], &all, &noid);
        if (has_citizen_id(p) ? noid > 0 : all > 0)
            return C_NAMESAKE_NOID;
        if (k == 0 && all > 0)
            exact = true;
    }
    return exact ? C_NAMESAKE_NEW : C_NEW;
}

static void roster_new(struct gen *g, struct person *p)
{
    struct fields f;
    if (rng_chance(&g->rng, 0.6))
        render_formatted(&g->rng, p, &f, 0.6, true);
    else
        render_canonical(p, &f);
    add_row(g, &f, 0, 0, classify_new(p));
}

static void generate_roster(struct gen *g)
{
    rng_t *r = &g->rng;
    g->rows = xmalloc(((size_t)g->n_roster + 1) * sizeof *g->rows);
    for (uint32_t i = 0; i < g->pick_n; i++)
        roster_registered(g, &g->pick[i]);
    uint32_t n_new = g->n_roster - g->pick_n;
    /* deliberate namesakes: a registered child's name, date and gender,
     * with an ID number of one's own (another region) */
    uint32_t n_ns = g->ns_n < n_new ? g->ns_n : n_new;
    for (uint32_t i = 0; i < n_ns; i++) {
        struct person p = g->ns_src[i];
        int32_t region;
        do
            region = regions[rng_below(r, nregions)];
        while (region == p.region);
        p.region = region;
        p.idtype = rng_chance(r, 0.17) ? IDT_HUKOU : IDT_CITIZEN;
        char ids[1][19];
        citizen_ids(r, p.region, p.dob, &p.gender, 1, ids);
        memcpy(p.id, ids[0], 19);
        roster_new(g, &p);
    }
    for (uint32_t i = n_ns; i < n_new; i++) {
        struct person p;
        do {
            make_child(r, &p);
            assign_id(r, &p, 0.03);
        } while (!has_id(&p) && u64set_has(&noid_exact, exact_key(&p)));
        roster_new(g, &p);
    }
}

static void write_roster(struct gen *g)
{
    rng_t *r = &g->rng;
    uint32_t n = g->nrows;
    uint32_t *order = xmalloc(((size_t)n + 1) * sizeof *order);
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    for (uint32_t i = n; i > 1; i--) { /* Fisher-Yates */
        uint32_t j = rng_below(r, i);
        uint32_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    char rpath[4096], tpath[4096];
    struct obuf ro = {.f = open_out(g->out_dir, "roster.csv", rpath, sizeof rpath)};
    struct obuf tr = {.f = open_out(g->out_dir, "truth.csv", tpath, sizeof tpath)};
    ro.p = xmalloc(ro.cap = 1 << 20);
    tr.p = xmalloc(tr.cap = 1 << 20);
    obuf_str(&ro, "row_id,姓名,性别,出生日期,身份证件类型,身份证件号\n");
    obuf_str(&tr, "row_id,true_id,category,also_ids\n");
    for (uint32_t i = 0; i < n; i++) {
        const struct row *w = &g->rows[order[i]];
        char rid[16];
        snprintf(rid, sizeof rid, "R%08u", i + 1);
        obuf_str(&ro, rid);
        obuf_ch(&ro, ',');
        obuf_put(&ro, g->arena.p + w->off, w->len);
        obuf_ch(&ro, '\n');
        obuf_str(&tr, rid);
        obuf_ch(&tr, ',');
        if (w->true_no)
            obuf_regno(&tr, w->true_no);
        obuf_ch(&tr, ',');
        obuf_str(&tr, category_name[w->cat]);
        obuf_ch(&tr, ',');
        if (w->also_no)
            obuf_regno(&tr, w->also_no);
        obuf_ch(&tr, '\n');
    }
    obuf_close(&ro, rpath);
    obuf_close(&tr, tpath);
    free(order);
}

/* ------------------------------------------------------------------------ */

static void tables_free(void)
{
    free(sounds);
    free(trads);
    free(surname_tab.cum);
    for (int sex = BOY; sex <= GIRL; sex++) {
        free(given_idx[sex]);
        free(given_tab[sex].cum);
        free(popular_tab[sex].cum);
        free(single_tab[sex].cum);
    }
    free(regions);
}

static uint32_t parse_count(const char *opt, const char *s, uint32_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || v > max)
        die("%s: expected a whole number up to %u, got '%s'", opt, (unsigned)max, s);
    return (uint32_t)v;
}

static void usage(void)
{
    fputs("usage: gen_registry --seed S --registry-size N --roster-size M --out-dir DIR\n"
          "                    [--regions gb2260_region_codes.tsv] [--name-errors yes]\n"
          "writes DIR/registry.csv, DIR/roster.csv and DIR/truth.csv; the same\n"
          "arguments always give byte-identical files.  --name-errors yes adds rows\n"
          "with one wrong character of the name (polyphone, fuzzy, lookalike,\n"
          "other_char), alone and with the ID number missing or mistyped; without\n"
          "it the files are those of earlier versions.\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    struct gen g;
    memset(&g, 0, sizeof g);
    uint64_t seed = 0;
    bool have_seed = false, have_n = false, have_m = false;
    const char *regions_path = GEN_DEFAULT_REGIONS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            seed = strtoull(v, &end, 10);
            if (errno || *end || end == v)
                die("--seed: expected a whole number, got '%s'", v);
            have_seed = true;
        } else if (strcmp(a, "--registry-size") == 0) {
            g.n_registry = parse_count(a, v, 99999999u);
            have_n = true;
        } else if (strcmp(a, "--roster-size") == 0) {
            g.n_roster = parse_count(a, v, 99999999u);
            have_m = true;
        } else if (strcmp(a, "--out-dir") == 0) {
            g.out_dir = v;
        } else if (strcmp(a, "--name-errors") == 0) {
            if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
                die("--name-errors: yes or no, got '%s'", v);
            g.name_errors = strcmp(v, "yes") == 0;
        } else if (strcmp(a, "--regions") == 0) {
            regions_path = v;
        } else {
            usage();
        }
    }
    if (!have_seed || !have_n || !have_m || !g.out_dir)
        usage();
    if (g.n_registry < 1)
        die("--registry-size: at least 1 record");
    if (mkdir(g.out_dir, 0777) != 0 && errno != EEXIST)
        die("%s: %s", g.out_dir, strerror(errno));

    clock_t t0 = clock();
    rng_seed(&g.rng, seed);
    cohort_first = days_from_civil(2018, 1, 1);
    cohort_days = days_from_civil(2021, 1, 1) - cohort_first;
    tables_init();
    regions_load(regions_path);

    u64set_init(&ids_used, (size_t)g.n_registry + g.n_roster);
    u64set_init(&noid_exact, g.n_registry / 16);
    size_t kcap = 1024;
    while (kcap < (size_t)g.n_registry * 2)
        kcap *= 2;
    near_tab.key = xmalloc(kcap * sizeof *near_tab.key);
    near_tab.cnt = xmalloc(kcap);
    near_tab.mask = kcap - 1;

    /* 85% of the roster are registered children, 15% new pupils, of whom
     * at least 12% are deliberate namesakes of registered children */
    uint32_t n_new = (uint32_t)(((uint64_t)g.n_roster * 15 + 50) / 100);
    g.pick_cap = g.n_roster - n_new;
    g.pick = xmalloc(((size_t)g.pick_cap + 1) * sizeof *g.pick);
    g.ns_cap = (uint32_t)(((uint64_t)n_new * 12 + 50) / 100);
    g.ns_src = xmalloc(((size_t)g.ns_cap + 1) * sizeof *g.ns_src);

    generate_registry(&g);
    generate_roster(&g);
    write_roster(&g);

    uint32_t counts[C_COUNT] = {0};
    for (uint32_t i = 0; i < g.nrows; i++)
        counts[g.rows[i].cat]++;
    printf("gen_registry seed %" PRIu64 ": registry %u records (%u children, %u twin pairs, "
           "%u registered twice, %u without ID number), roster %u rows in %.1f s\n",
           seed, g.n_registry, g.n_children, g.n_twin_pairs, g.n_dups, g.n_noid, g.nrows,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    for (int c = 0; c < (g.name_errors ? C_COUNT : C_NAME_ERRORS); c++)
        printf("  %-17s %8u\n", category_name[c], counts[c]);

    free(g.pick);
    free(g.ns_src);
    free(g.rows);
    free(g.arena.p);
    free(near_tab.key);
    free(near_tab.cnt);
    free(ids_used.slot);
    free(noid_exact.slot);
    tables_free();
    return 0;
}
