/*
 * codes.c: the 17 fields a preschool record carries into primary school
 * (学前档案信息补录) and the code lists that check them.
 *
 * The lists are facts of national standards, copied here so that the
 * library needs no data files at run time:
 *  - 民族 GB/T 3304-1991: 01-56 and 97 其他, 98 外国血统中国籍人士.
 *  - 国籍/地区 GB/T 2659 (= ISO 3166-1) alpha-3 codes.
 *  - 港澳台侨外 (the student-registry code, as in the national template).
 *  - 户口性质 1 农业户口, 2 非农业户口 (the national template's code).
 *  - 残疾类型 0 无残疾, 1-7 the categories of GB/T 26341, 9 其他残疾.
 *  - 是否留守儿童 0/1/2 (none, one parent away, both away); the other
 *    flags 0/1.
 * Schools type codes, Chinese names, full-width digits and stray spaces:
 * each value is folded to ASCII where it can be, trimmed, and read as a code
 * or a name; the canonical form is the code.
 */
#include "workspace/workspace.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest value kept (现住址 is the only long one). */
#define VALUE_MAX 600

static const struct {
    const char *name;
    const char *label;
    const char *aliases; /* '|'-separated column-header variants */
} sfields[XJL_SF_COUNT] = {
    {"name", "姓名", "xm|学生姓名"},
    {"gender", "性别码", "性别|xbm|sex"},
    {"birth_date", "出生日期", "出生年月|出生年月日|csrq|birthday"},
    {"birthplace", "出生地码", "出生地|csdm|birth_place"},
    {"ethnicity", "民族码", "民族|mzm|nation"},
    {"nationality", "国籍/地区码", "国籍/地区|国籍|国籍码|国籍地区码|gjdqm|country"},
    {"id_type", "身份证件类型码", "身份证件类型|证件类型|sfzjlxm|身份证证件类型码"},
    {"id_number", "身份证件号", "身份证号|证件号码|身份证件号码|身份证号码|sfzjh"},
    {"hmt", "港澳台侨外码", "港澳台侨外|gatqwm"},
    {"hukou_type", "户口性质", "户口性质码|hkxzm"},
    {"hukou_region", "户口所在地码", "户口所在地|户口所在地区县|hkszd"},
    {"address", "现住址", "xzz|住址|家庭住址"},
    {"disability", "残疾类型码", "残疾类型|cjlxm"},
    {"only_child", "是否独生子女", "独生子女|sfdszn"},
    {"left_behind", "是否留守儿童", "留守儿童|sflset"},
    {"migrant_child", "是否进城务工人员子女", "是否进城务工人员随迁子女|随迁子女|sfjcwgryzn"},
    {"orphan", "是否孤儿", "孤儿|sfge"},
};

XJL_API const char *xjl_sfield_name(xjl_sfield f)
{
    return (unsigned)f < XJL_SF_COUNT ? sfields[f].name : "unknown";
}

XJL_API const char *xjl_sfield_label_zh(xjl_sfield f)
{
    return (unsigned)f < XJL_SF_COUNT ? sfields[f].label : "未知";
}

XJL_API bool xjl_sfield_is_key(xjl_sfield f)
{
    return f == XJL_SF_NAME || f == XJL_SF_GENDER || f == XJL_SF_BIRTH_DATE ||
           f == XJL_SF_ID_TYPE || f == XJL_SF_ID_NUMBER;
}

/* True if word is one of the '|'-separated words of list. */
static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncasecmp(p, word, n) == 0)
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

/* Copies s into out (cap bytes) without surrounding ASCII or ideographic
 * spaces, folding full-width ASCII (U+FF01..U+FF5E) to ASCII.  Returns the
 * length, or -1 for invalid UTF-8 or a value longer than cap - 1. */
static long fold_value(const char *s, char *out, size_t cap)
{
    size_t len = strlen(s), pos = 0, o = 0, keep = 0;
    bool started = false;
    while (pos < len) {
        int32_t cp = xjl__utf8_next(s, len, &pos);
        if (cp < 0)
            return -1;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        bool space = cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 ||
                     cp == 0xA0 || cp == 0xFEFF;
        if (space && !started)
            continue;
        started = true;
        if (o + 4 >= cap)
            return -2;
        o += xjl__utf8_put(out + o, (uint32_t)cp);
        if (!space)
            keep = o;
    }
    out[keep] = '\0';
    return (long)keep;
}

XJL_API int xjl_sfield_parse(const char *s, xjl_sfield *out)
{
    char v[128];
    if (!s || !out || fold_value(s, v, sizeof v) < 0)
        return xjl__failm(XJL_EINVAL, "ws.codes.not_field", s ? s : "(null)");
    for (int f = 0; f < XJL_SF_COUNT; f++) {
        if (strcasecmp(v, sfields[f].name) == 0 || strcmp(v, sfields[f].label) == 0 ||
            in_list(sfields[f].aliases, v)) {
            *out = (xjl_sfield)f;
            return XJL_OK;
        }
    }
    return xjl__failm(XJL_EINVAL, "ws.codes.not_field_hint", s);
}

/* A code list: each entry is a code and '|'-separated names. */
struct code_entry {
    const char *code;
    const char *names;
};

static const struct code_entry ethnicities[] = {
    {"01", "汉族|汉"},
    {"02", "蒙古族|蒙古"},
    {"03", "回族|回"},
    {"04", "藏族|藏"},
    {"05", "维吾尔族|维吾尔"},
    {"06", "苗族|苗"},
    {"07", "彝族|彝"},
    {"08", "壮族|壮"},
    {"09", "布依族|布依"},
    {"10", "朝鲜族|朝鲜"},
    {"11", "满族|满"},
    {"12", "侗族|侗"},
    {"13", "瑶族|瑶"},
    {"14", "白族|白"},
    {"15", "土家族|土家"},
    {"16", "哈尼族|哈尼"},
    {"17", "哈萨克族|哈萨克"},
    {"18", "傣族|傣"},
    {"19", "黎族|黎"},
    {"20", "傈僳族|傈僳"},
    {"21", "佤族|佤"},
    {"22", "畲族|畲"},
    {"23", "高山族|高山"},
    {"24", "拉祜族|拉祜"},
    {"25", "水族|水"},
    {"26", "东乡族|东乡"},
    {"27", "纳西族|纳西"},
    {"28", "景颇族|景颇"},
    {"29", "柯尔克孜族|柯尔克孜"},
    {"30", "土族|土"},
    {"31", "达斡尔族|达斡尔"},
    {"32", "仫佬族|仫佬"},
    {"33", "羌族|羌"},
    {"34", "布朗族|布朗"},
    {"35", "撒拉族|撒拉"},
    {"36", "毛南族|毛南|毛难族"},
    {"37", "仡佬族|仡佬"},
    {"38", "锡伯族|锡伯"},
    {"39", "阿昌族|阿昌"},
    {"40", "普米族|普米"},
    {"41", "塔吉克族|塔吉克"},
    {"42", "怒族|怒"},
    {"43", "乌孜别克族|乌孜别克"},
    {"44", "俄罗斯族|俄罗斯"},
    {"45", "鄂温克族|鄂温克"},
    {"46", "德昂族|德昂|崩龙族"},
    {"47", "保安族|保安"},
    {"48", "裕固族|裕固"},
    {"49", "京族|京"},
    {"50", "塔塔尔族|塔塔尔"},
    {"51", "独龙族|独龙"},
    {"52", "鄂伦春族|鄂伦春"},
    {"53", "赫哲族|赫哲"},
    {"54", "门巴族|门巴"},
    {"55", "珞巴族|珞巴"},
    {"56", "基诺族|基诺"},
    {"97", "其他|其他未识别民族|其他民族"},
    {"98", "外国血统中国籍人士|入籍外国人"},
};

static const struct code_entry hmt_codes[] = {
    {"00", "否|非港澳台侨|无"},
    {"01", "香港同胞"},
    {"02", "香港同胞亲属"},
    {"03", "澳门同胞"},
    {"04", "澳门同胞亲属"},
    {"05", "台湾同胞"},
    {"06", "台湾同胞亲属"},
    {"11", "华侨"},
    {"12", "侨眷"},
    {"13", "归侨"},
    {"14", "归侨子女"},
    {"21", "归国留学人员"},
    {"31", "非华裔中国人"},
    {"41", "外籍华裔人"},
    {"51", "外国人|外籍非华裔人"},
    {"99", "其他"},
};

static const struct code_entry hukou_types[] = {
    {"1", "农业户口|农业"},
    {"2", "非农业户口|非农业"},
};

static const struct code_entry disabilities[] = {
    {"0", "无残疾|非残疾|非残疾人|无|否"},
    {"1", "视力残疾"},
    {"2", "听力残疾"},
    {"3", "言语残疾"},
    {"4", "肢体残疾"},
    {"5", "智力残疾"},
    {"6", "精神残疾"},
    {"7", "多重残疾"},
    {"9", "其他残疾"},
};

static const struct code_entry yes_no[] = {
    {"0", "否|N|no|false"},
    {"1", "是|Y|yes|true"},
};

static const struct code_entry left_behind[] = {
    {"0", "否|非留守儿童|N|no"},
    {"1", "单亲留守儿童|单亲留守"},
    {"2", "双亲留守儿童|双亲留守"},
};

/* GB/T 2659 (ISO 3166-1) alpha-3, sorted for bsearch. */
static const char alpha3[][4] = {
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
};

/* What schools write instead of the code for the commonest cases. */
static const struct code_entry nationality_names[] = {
    {"CHN", "中国|中华人民共和国"},
    {"HKG", "中国香港|香港"},
    {"MAC", "中国澳门|澳门"},
    {"TWN", "中国台湾|台湾"},
};

static int cmp_alpha3(const void *a, const void *b)
{
    return memcmp(a, b, 3);
}

bool xjl__alpha3_known(const char *code)
{
    if (strlen(code) != 3)
        return false;
    return bsearch(code, alpha3, XJL_ARRAY_LEN(alpha3), sizeof alpha3[0], cmp_alpha3) != NULL;
}

/* Finds v among the codes (a single-digit "5" also stands for "05" in
 * two-digit lists) or the names of a list. */
static const char *lookup(const struct code_entry *list, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++) {
        const char *code = list[i].code;
        if (strcmp(v, code) == 0 || in_list(list[i].names, v))
            return code;
        if (strlen(code) == 2 && code[0] == '0' && strlen(v) == 1 && v[0] == code[1])
            return code;
    }
    return NULL;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* The province part of a region code must be one of GB/T 2260's. */
static bool province_known(const char *code)
{
    static const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                    35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                    53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
    int p = (code[0] - '0') * 10 + (code[1] - '0');
    for (size_t i = 0; i < XJL_ARRAY_LEN(provinces); i++)
        if (provinces[i] == p)
            return true;
    return false;
}

static int bad(xjl_sfield f, const char *value, const char *expected)
{
    return xjl__failm(XJL_EINVAL, "ws.codes.bad_value", sfields[f].label, sfields[f].name, value,
                      expected);
}

/* Checks v (already folded) and writes the canonical form to canon. */
static int check_folded(xjl_sfield f, const char *orig, const char *v, char *canon, size_t cap)
{
    const char *code = NULL;
    switch (f) {
    case XJL_SF_NAME: {
        if (!*v)
            return bad(f, orig, xjl__msg("ws.codes.expect.name"));
        char buf[XJL_NAME_MAX_BYTES];
        size_t n = 0;
        uint32_t findings = 0;
        if (xjl_name_normalize(v, XJL_NTS, XJL_NAME_DISPLAY, buf, sizeof buf, &n, &findings) !=
            XJL_OK)
            return bad(f, orig, xjl__msg("ws.codes.expect.usable_name"));
        code = v; /* the name is kept as written; only its form is checked */
        break;
    }
    case XJL_SF_GENDER: {
        xjl_gender g;
        if (xjl_gender_parse(v, XJL_NTS, &g) != XJL_OK)
            return bad(f, orig, xjl__msg("ws.codes.expect.gender"));
        snprintf(canon, cap, "%d", (int)g);
        return XJL_OK;
    }
    case XJL_SF_BIRTH_DATE: {
        int32_t d;
        if (xjl_date_parse(v, XJL_NTS, &d, NULL) != XJL_OK)
            return bad(f, orig, xjl__msg("ws.codes.expect.date"));
        return xjl_date_format(d, canon, cap);
    }
    case XJL_SF_ID_TYPE: {
        xjl_id_type t;
        if (xjl_id_type_parse(v, XJL_NTS, &t) != XJL_OK)
            return bad(f, orig, xjl__msg("ws.codes.expect.id_type"));
        if (t == XJL_IDTYPE_NONE)
            canon[0] = '\0';
        else
            snprintf(canon, cap, "%c", (char)t);
        return XJL_OK;
    }
    case XJL_SF_ID_NUMBER: {
        xjl_id_info info;
        if (!*v) {
            canon[0] = '\0';
            return XJL_OK;
        }
        if (xjl_id_parse(v, XJL_NTS, XJL_IDTYPE_NONE, &info) != XJL_OK) {
            char why[256] = "";
            for (int i = 1; i < XJL_F_COUNT; i++)
                if ((info.findings & XJL_FINDING_BIT(i)) && xjl_finding_is_error(i)) {
                    snprintf(why, sizeof why, xjl__msg("ws.codes.expect.id_number_because"),
                             xjl_finding_message(i, xjl_get_lang()));
                    break;
                }
            return bad(f, orig, why[0] ? why : xjl__msg("ws.codes.expect.id_number"));
        }
        code = info.normalized;
        snprintf(canon, cap, "%s", code);
        return XJL_OK;
    }
    case XJL_SF_BIRTHPLACE:
    case XJL_SF_HUKOU_REGION: {
        if (!*v)
            break;
        size_t n = strlen(v);
        if (!all_digits(v) || (n != 6 && n != 9 && n != 12) || !province_known(v))
            return bad(f, orig, xjl__msg("ws.codes.expect.region"));
        code = v;
        break;
    }
    case XJL_SF_ETHNICITY:
        if (*v && !(code = lookup(ethnicities, XJL_ARRAY_LEN(ethnicities), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.ethnicity"));
        break;
    case XJL_SF_NATIONALITY: {
        if (!*v)
            break;
        char up[4] = "";
        if (strlen(v) == 3) {
            for (int i = 0; i < 3; i++)
                up[i] = (char)toupper((unsigned char)v[i]);
            up[3] = '\0';
        }
        if (up[0] && xjl__alpha3_known(up)) {
            snprintf(canon, cap, "%s", up);
            return XJL_OK;
        }
        if (!(code = lookup(nationality_names, XJL_ARRAY_LEN(nationality_names), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.nationality"));
        break;
    }
    case XJL_SF_HMT:
        if (*v && !(code = lookup(hmt_codes, XJL_ARRAY_LEN(hmt_codes), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.hmt"));
        break;
    case XJL_SF_HUKOU_TYPE:
        if (*v && !(code = lookup(hukou_types, XJL_ARRAY_LEN(hukou_types), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.hukou"));
        break;
    case XJL_SF_ADDRESS:
        code = v;
        break;
    case XJL_SF_DISABILITY:
        if (*v && !(code = lookup(disabilities, XJL_ARRAY_LEN(disabilities), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.disability"));
        break;
    case XJL_SF_LEFT_BEHIND:
        if (*v && !(code = lookup(left_behind, XJL_ARRAY_LEN(left_behind), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.left_behind"));
        break;
    case XJL_SF_ONLY_CHILD:
    case XJL_SF_MIGRANT_CHILD:
    case XJL_SF_ORPHAN:
        if (*v && !(code = lookup(yes_no, XJL_ARRAY_LEN(yes_no), v)))
            return bad(f, orig, xjl__msg("ws.codes.expect.yes_no"));
        break;
    default:
        return xjl__failm(XJL_EINVAL, "ws.codes.not_field_number", (int)f);
    }
    return xjl__copy_out(code ? code : "", XJL_NTS, canon, cap, NULL);
}

XJL_API int xjl_sfield_check(xjl_sfield f, const char *value, char *buf, size_t cap,
                             size_t *out_len)
{
    if ((unsigned)f >= XJL_SF_COUNT)
        return xjl__failm(XJL_EINVAL, "ws.codes.not_field_number", (int)f);
    if (!value)
        value = "";
    char v[VALUE_MAX + 8], canon[VALUE_MAX + 8];
    long n = fold_value(value, v, sizeof v);
    if (n == -1)
        return xjl__failm(XJL_EENCODING, "ws.codes.not_utf8", sfields[f].label, sfields[f].name,
                          xjl__utf8_invalid_at(value, strlen(value)));
    if (n < 0 || n > VALUE_MAX)
        return xjl__failm(XJL_EINVAL, "ws.codes.too_long", sfields[f].label, sfields[f].name,
                          strlen(value), VALUE_MAX);
    int rc = check_folded(f, value, v, canon, sizeof canon);
    if (rc != XJL_OK)
        return rc;
    return xjl__copy_out(canon, XJL_NTS, buf, cap, out_len);
}

/* Finds the CSV column of each supplement field (-1 if absent). */
void xjl__sfield_columns(const xjl_csv *csv, int cols[XJL_SF_COUNT])
{
    for (int f = 0; f < XJL_SF_COUNT; f++)
        cols[f] = -1;
    size_t n = xjl_csv_column_count(csv);
    for (size_t c = 0; c < n; c++) {
        xjl_sfield f;
        const char *name = xjl_csv_column_name(csv, c);
        if (name && xjl_sfield_parse(name, &f) == XJL_OK && cols[f] < 0)
            cols[f] = (int)c;
    }
    xjl__clear_error();
}
