/*
 * Header names: which column of a roster, registry or sheet holds each of
 * the five key fields.  One table of names for every reader (the CSV reader,
 * the xlsx reader, the bindings' tables): the names schools and systems use
 * in Chinese and English, and the national data standard's element codes,
 * which are the pinyin initials of the Chinese names (XM 姓名, XBM 性别码,
 * CSRQ 出生日期, SFZJLXM 身份证件类型码, SFZJH 身份证件号).  A user's mapping
 * ("姓名=学生名称,身份证件号=ZJHM") names a column the table does not know.
 */
#include "io/io.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

size_t xjl__space_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 1 && (u[0] == ' ' || u[0] == '\t'))
        return 1;
    if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (n >= 3 && ((u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) ||
                   (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)))
        return 3;
    return 0;
}

size_t xjl__space_before(const char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (xjl__space_at(s + n - k, k) == k)
            return k;
    return 0;
}

/* s[0..*n) without the spaces at either end. */
static const char *trim(const char *s, size_t *n)
{
    size_t k;
    while ((k = xjl__space_at(s, *n)) != 0) {
        s += k;
        *n -= k;
    }
    while ((k = xjl__space_before(s, *n)) != 0)
        *n -= k;
    return s;
}

/* A header name as compared with the synonyms: spaces, '*', '_' and '-'
 * dropped (templates mark required columns with '*'), ASCII lower-cased, and
 * cut at a parenthesis ("出生日期（格式：20150101）"). */
static void canon_header(const char *s, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    for (size_t i = 0; i < n && w + 4 < cap;) {
        size_t k = xjl__space_at(s + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        unsigned char ch = (unsigned char)s[i];
        if (ch == '*' || ch == '_' || ch == '-') {
            i++;
            continue;
        }
        if (n - i >= 3 && memcmp(s + i, "\xEF\xBC\x8A", 3) == 0) { /* ＊ */
            i += 3;
            continue;
        }
        if (w > 0 && (ch == '(' || ch == '[' ||
                      (n - i >= 3 && (memcmp(s + i, "\xEF\xBC\x88", 3) == 0 ||  /* （ */
                                      memcmp(s + i, "\xE3\x80\x90", 3) == 0)))) /* 【 */
            break;
        out[w++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch);
        i++;
    }
    out[w] = '\0';
}

/* Compared after canon_header(): lower case, no '_'.  The last names of each
 * row are the standard's codes (JY/T 1001 学生基础信息 data elements). */
static const char *const key_synonyms[5][16] = {
    [XJL_FIELD_NAME] = {"姓名", "学生姓名", "幼儿姓名", "儿童姓名", "name", "studentname",
                        "fullname", "xm"},
    [XJL_FIELD_GENDER] = {"性别", "性别码", "gender", "sex", "xb", "xbm"},
    [XJL_FIELD_BIRTH_DATE] = {"出生日期", "出生年月", "出生年月日", "生日", "birthdate", "birthday",
                              "dob", "dateofbirth", "csrq"},
    [XJL_FIELD_ID_TYPE] = {"身份证件类型", "证件类型", "身份证件类型码", "idtype", "documenttype",
                           "idcardtype", "sfzjlx", "sfzjlxm"},
    [XJL_FIELD_ID_NUMBER] = {"身份证件号", "身份证件号码", "身份证号", "身份证号码", "证件号码",
                             "证件号", "idnumber", "idno", "idcardnumber", "idcard",
                             "documentnumber", "sfzjh"},
};

static int key_field_n(const char *header, size_t n)
{
    char canon[256];
    canon_header(header, n, canon, sizeof canon);
    for (int k = 0; k < 5; k++)
        for (const char *const *syn = key_synonyms[k]; *syn; syn++)
            if (strcmp(canon, *syn) == 0)
                return k;
    return -1;
}

XJL_API int xjl_csv_key_field(const char *header)
{
    return header ? key_field_n(header, strlen(header)) : -1;
}

/* The header as "'a', 'b', …" for messages. */
static void list_header(const char *const *header, size_t ncols, char *out, size_t cap)
{
    size_t f = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ncols && f < cap; i++)
        f +=
            (size_t)snprintf(out + f, cap - f, "%s'%s'", i ? ", " : "", header[i] ? header[i] : "");
    if (!ncols)
        snprintf(out, cap, "%s", xjl__msg("columns.none"));
}

/* The column whose trimmed name is s[0..n), or -1. */
static int column_named(const char *const *header, size_t ncols, const char *s, size_t n)
{
    s = trim(s, &n);
    for (size_t i = 0; i < ncols; i++) {
        if (!header[i])
            continue;
        size_t hn = strlen(header[i]);
        const char *h = trim(header[i], &hn);
        if (hn == n && memcmp(h, s, n) == 0)
            return (int)i;
    }
    return -1;
}

/* Applies one "FIELD=COLUMN" of a mapping to cols. */
static int map_one(const char *const *header, size_t ncols, const char *item, size_t n,
                   const char *where, int cols[5])
{
    const char *eq = memchr(item, '=', n);
    int k = eq ? key_field_n(item, (size_t)(eq - item)) : -1;
    if (k < 0)
        return xjl__failm(XJL_EINVAL, "columns.syntax", (int)n, item);
    const char *col = eq + 1;
    size_t cn = n - (size_t)(col - item);
    int i = column_named(header, ncols, col, cn);
    if (i < 0) {
        char found[512];
        list_header(header, ncols, found, sizeof found);
        return xjl__failm(XJL_EFORMAT, "columns.no_such_column", where, (int)n, item, (int)cn, col,
                          found);
    }
    cols[k] = i;
    return XJL_OK;
}

/* A key field as a message names it: "姓名 (name)" in English, "姓名" in Chinese. */
static const char *field_words(xjl_field k)
{
    static const char *const ids[5] = {"columns.field.name", "columns.field.gender",
                                       "columns.field.birth_date", "columns.field.id_type",
                                       "columns.field.id_number"};
    return xjl__msg(ids[k]);
}

XJL_API int xjl_key_columns(const char *const *header, size_t ncols, const char *mapping,
                            const char *where, int cols[5])
{
    if ((!header && ncols) || !cols)
        return xjl__fail(XJL_EINVAL, "xjl_key_columns: NULL argument");
    if (!where)
        where = xjl__msg("columns.the_header");
    for (int k = 0; k < 5; k++)
        cols[k] = -1;
    /* the mapping first: a column it names wins over one the table finds */
    for (const char *p = mapping; p && *p;) {
        size_t sep = 0; /* items end at ',' or a full-width '，' */
        const char *end = p;
        while (*end && !(sep = *end == ',' ? 1 : strncmp(end, "，", 3) == 0 ? 3 : 0))
            end++;
        size_t n = (size_t)(end - p);
        const char *item = trim(p, &n);
        if (n) {
            int rc = map_one(header, ncols, item, n, where, cols);
            if (rc < 0)
                return rc;
        }
        p = end + sep;
    }
    bool mapped[5];
    for (int k = 0; k < 5; k++)
        mapped[k] = cols[k] >= 0;
    for (size_t i = 0; i < ncols; i++) {
        int k = header[i] ? key_field_n(header[i], strlen(header[i])) : -1;
        if (k < 0 || mapped[k])
            continue;
        /* Two columns for one key field: which one the school meant cannot
         * be told, and taking either would match on the other's values. */
        if (cols[k] >= 0)
            return xjl__failm(XJL_EFORMAT, "columns.twice", where, cols[k] + 1, header[cols[k]],
                              i + 1, header[i], field_words((xjl_field)k),
                              xjl_field_label_zh((xjl_field)k), header[i]);
        cols[k] = (int)i;
    }
    char missing[512] = "";
    size_t m = 0;
    for (int k = 0; k < 5; k++)
        if (cols[k] < 0 && m < sizeof missing)
            m += (size_t)snprintf(missing + m, sizeof missing - m, "%s%s",
                                  m ? xjl__msg("columns.sep") : "", field_words((xjl_field)k));
    if (!m)
        return XJL_OK;
    char found[512];
    list_header(header, ncols, found, sizeof found);
    return xjl__failm(XJL_EFORMAT, "columns.missing", where, missing, found);
}
