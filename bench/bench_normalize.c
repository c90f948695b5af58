/*
 * Names per second through xjl__name_forms (every form: DISPLAY, BARE,
 * SIMPLIFIED, code points and pinyin), on one core, against two baselines
 * measured in the same run: ICU's NFKC alone (the first step only, done the
 * usual ICU way with a UTF-16 round trip) and ICU's Han-Latin/Names
 * transliterator (what the pinyin tables replace), on a sample.
 *
 * The names are generated: 2-4 character Han names (some Traditional, some
 * compound surnames), minority names with a dot or its look-alikes between
 * two parts, and a few Latin names.  The same seed gives the same names.
 */
#include "fields/fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#define N_NAMES 1000000
#define ICU_TRANSLIT_SAMPLE 20000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
    /* xorshift64*: fast and fixed, so every run sees the same names */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)(((rng_state * 0x2545F4914F6CDD1Du) >> 32) % n);
}

/* A set of characters to pick from: the string and where each one starts. */
struct charset {
    const char *chars;
    size_t n, start[128];
};

static void charset_init(struct charset *cs, const char *chars)
{
    size_t pos = 0, len = strlen(chars);
    cs->chars = chars;
    cs->n = 0;
    while (pos < len && cs->n < XJL_ARRAY_LEN(cs->start) - 1) {
        cs->start[cs->n++] = pos;
        xjl__utf8_next(chars, len, &pos);
    }
    cs->start[cs->n] = pos;
}

/* Picks one character of the set; *len receives its length in bytes. */
static const char *pick(const struct charset *cs, size_t *len)
{
    size_t i = rnd((uint32_t)cs->n);
    *len = cs->start[i + 1] - cs->start[i];
    return cs->chars + cs->start[i];
}

static const char surnames[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "单区朴缪陳張劉黃趙";
static const char given[] =
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红飞鹏辉建国宇雨语涵含晗子轩浩然欣怡梓萱"
    "博文一诺睿泽思佳宁嘉俊晨昊天佑雅琪诗晴瑶梦琳可馨若汐安依婷慧颖乐心宸皓铭瑞凯小志永海燕凤兰德";
static const char minority[] =
    "阿依古丽买提热拉木沙努尔艾力克孜吐逊帕米娜扎汗巴图布赫格日勒其达穆罕默德哈斯卓玛次仁央金旺堆";
static const char *const compounds[] = {"欧阳", "司马", "诸葛", "上官",
                                        "东方", "令狐", "皇甫", "尉迟"};
static const char *const dots[] = {"·", "·", "·", "•", "・", "．", ".", "-", " "};
static const char *const latin_first[] = {"John", "MARY", "Anna", "Peter", "Jean-Pierre", "Olga"};
static const char *const latin_last[] = {"Smith", "Müller", "O'Brien", "Ivanova", "Kim", "LEE"};

static struct charset surname_set, given_set, minority_set;

static size_t append(char *buf, size_t n, const char *s, size_t len)
{
    memcpy(buf + n, s, len);
    return n + len;
}

/* One generated name into buf; returns its length. */
static size_t make_name(char *buf, int *kind)
{
    size_t n = 0, len;
    const char *c;
    uint32_t r = rnd(100);
    if (r < 85) { /* Han: surname + 1-2 given, sometimes a compound surname */
        *kind = 0;
        if (rnd(50) == 0) {
            const char *cs = compounds[rnd(XJL_ARRAY_LEN(compounds))];
            n = append(buf, n, cs, strlen(cs));
        } else {
            c = pick(&surname_set, &len);
            n = append(buf, n, c, len);
        }
        for (uint32_t i = 0, k = 1 + rnd(2) + (rnd(20) == 0); i < k; i++) {
            c = pick(&given_set, &len);
            n = append(buf, n, c, len);
        }
    } else if (r < 96) { /* minority: two parts of 2-4, a dot or look-alike between */
        *kind = 1;
        for (int part = 0; part < 2; part++) {
            if (part) {
                const char *d = dots[rnd(XJL_ARRAY_LEN(dots))];
                n = append(buf, n, d, strlen(d));
            }
            for (uint32_t i = 0, k = 2 + rnd(3); i < k; i++) {
                c = pick(&minority_set, &len);
                n = append(buf, n, c, len);
            }
        }
    } else { /* Latin */
        *kind = 2;
        const char *f = latin_first[rnd(XJL_ARRAY_LEN(latin_first))];
        const char *l = latin_last[rnd(XJL_ARRAY_LEN(latin_last))];
        n = append(buf, n, f, strlen(f));
        const char *space = rnd(2) ? " " : "  ";
        n = append(buf, n, space, strlen(space));
        n = append(buf, n, l, strlen(l));
    }
    return n;
}

int main(void)
{
    /* the names, in one buffer */
    size_t cap = (size_t)N_NAMES * 40;
    char *text = malloc(cap);
    uint32_t *start = malloc((N_NAMES + 1) * sizeof *start);
    if (!text || !start) {
        fprintf(stderr, "bench_normalize: out of memory\n");
        return 1;
    }
    charset_init(&surname_set, surnames);
    charset_init(&given_set, given);
    charset_init(&minority_set, minority);
    size_t used = 0, kinds[3] = {0, 0, 0};
    for (size_t i = 0; i < N_NAMES; i++) {
        int kind;
        start[i] = (uint32_t)used;
        used += make_name(text + used, &kind);
        kinds[kind]++;
    }
    start[N_NAMES] = (uint32_t)used;

    /* all forms of every name */
    struct xjl_name_forms f;
    uint64_t check = 0;
    size_t bad = 0;
    double t3 = now();
    for (size_t i = 0; i < N_NAMES; i++) {
        if (xjl__name_forms(text + start[i], start[i + 1] - start[i], &f) != XJL_OK) {
            if (bad++ < 5)
                fprintf(stderr, "refused: %s\n", xjl_errmsg());
            continue;
        }
        check += f.bare_len + f.ncps + (f.ncps ? f.pinyin[f.ncps - 1] : 0);
    }
    double t4 = now();

    /* baseline 1: NFKC alone, through UTF-16 as ICU's API wants it */
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    uint64_t check_nfkc = 0;
    double t5 = now();
    for (size_t i = 0; U_SUCCESS(err) && i < N_NAMES; i++) {
        UChar u16[256], norm[512];
        char back[1024];
        int32_t len16 = 0, outlen = 0;
        u_strFromUTF8(u16, 256, &len16, text + start[i], (int32_t)(start[i + 1] - start[i]), &err);
        int32_t nlen = unorm2_normalize(nfkc, u16, len16, norm, 512, &err);
        u_strToUTF8(back, sizeof back, &outlen, norm, nlen, &err);
        check_nfkc += (uint64_t)outlen;
    }
    double t6 = now();
    if (U_FAILURE(err)) {
        fprintf(stderr, "bench_normalize: ICU NFKC failed: %s\n", u_errorName(err));
        return 1;
    }

    /* baseline 2: ICU's Han-Latin/Names on a sample (it is far too slow for all) */
    UChar id[32];
    u_uastrcpy(id, "Han-Latin/Names");
    UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err)) {
        fprintf(stderr, "bench_normalize: cannot open Han-Latin/Names: %s\n", u_errorName(err));
        return 1;
    }
    uint64_t check_tr = 0;
    double t7 = now();
    for (size_t i = 0; i < ICU_TRANSLIT_SAMPLE; i++) {
        UChar u16[512];
        int32_t len16 = 0;
        u_strFromUTF8(u16, 256, &len16, text + start[i], (int32_t)(start[i + 1] - start[i]), &err);
        int32_t limit = len16;
        utrans_transUChars(tr, u16, &len16, 512, 0, &limit, &err);
        check_tr += (uint64_t)len16;
    }
    double t8 = now();
    utrans_close(tr);

    double forms_ns = (t4 - t3) * 1e9 / N_NAMES;
    double nfkc_ns = (t6 - t5) * 1e9 / N_NAMES;
    double tr_ns = (t8 - t7) * 1e9 / ICU_TRANSLIT_SAMPLE;
    printf("bench_normalize: %d names (%zu Han, %zu minority, %zu Latin), %zu bytes, one core\n",
           N_NAMES, kinds[0], kinds[1], kinds[2], used);
    printf("  xjl__name_forms:         %8.1f ns/name  %10.0f names/s  (%zu refused, check %llu)\n",
           forms_ns, 1e9 / forms_ns, bad, (unsigned long long)check);
    printf("  baseline ICU NFKC only:  %8.1f ns/name  %10.0f names/s  (check %llu)\n", nfkc_ns,
           1e9 / nfkc_ns, (unsigned long long)check_nfkc);
    printf("  baseline ICU Han-Latin/Names: %8.1f ns/name on %d names (check %llu)\n", tr_ns,
           ICU_TRANSLIT_SAMPLE, (unsigned long long)check_tr);
    printf("  ratio: all forms = %.2fx the time of ICU NFKC alone; ICU transliteration = %.0fx all "
           "forms\n",
           forms_ns / nfkc_ns, tr_ns / forms_ns);
    free(text);
    free(start);
    return bad == 0 ? 0 : 1;
}
