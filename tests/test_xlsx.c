/* The .xlsx reader (lib/io/xlsx.c): workbooks written by libxlsxwriter (an
 * independent writer), hand-written sheet XML for what other programs
 * write, the errors, and mutated bytes that must never crash it. */
#include "io/io.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/xjl_xlsx_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_path(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

/* A roster as a school's sheet has it: a title row, a blank row, the header,
 * rows with an ID number as text and one as a number, a date as a serial
 * number, an empty cell, a row left out. */
static const char *write_roster(void)
{
    const char *path = tmp_path("roster.xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
    workbook_add_worksheet(wb, "说明"); /* only the first sheet is read */
    worksheet_write_string(ws, 0, 0, "某某小学2024级新生名单", NULL);
    const char *header[] = {"序号", "*姓名", "性别", "出生日期", "身份证件类型", "身份证件号"};
    for (int i = 0; i < 6; i++)
        worksheet_write_string(ws, 2, (lxw_col_t)i, header[i], NULL);
    worksheet_write_number(ws, 3, 0, 1, NULL);
    worksheet_write_string(ws, 3, 1, "王小明", NULL);
    worksheet_write_string(ws, 3, 2, "男", NULL);
    worksheet_write_string(ws, 3, 3, "2018-03-15", NULL);
    worksheet_write_string(ws, 3, 4, "居民身份证", NULL);
    worksheet_write_string(ws, 3, 5, "11010120180315011X", NULL);
    /* row 5 (index 4) left out; row 6: a number ID and a serial date */
    worksheet_write_number(ws, 5, 0, 2, NULL);
    worksheet_write_string(ws, 5, 1, "李 娜", NULL);
    worksheet_write_number(ws, 5, 3, 43281, NULL);
    worksheet_write_string(ws, 5, 4, "居民身份证", NULL);
    worksheet_write_number(ws, 5, 5, 510104201802146389.0, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static void test_roster(void **state)
{
    (void)state;
    xjl_xlsx *x;
    const char *path = write_roster();
    assert_int_equal(xjl_xlsx_is_workbook(path), 1);
    assert_int_equal(xjl_xlsx_open(&x, path), XJL_OK);
    assert_string_equal(xjl_xlsx_path(x), path);
    /* the header is row 3, under the title */
    assert_int_equal(xjl_xlsx_row(x), 3);
    assert_int_equal(xjl_xlsx_column_count(x), 6);
    assert_string_equal(xjl_xlsx_column_name(x, 1), "*姓名");
    assert_null(xjl_xlsx_column_name(x, 6));
    int cols[5];
    assert_int_equal(xjl_xlsx_key_columns(x, NULL, cols), XJL_OK);
    for (int f = 0; f < 5; f++)
        assert_int_equal(cols[f], f + 1);

    assert_int_equal(xjl_xlsx_next(x), 1);
    assert_int_equal(xjl_xlsx_row(x), 4);
    assert_string_equal(xjl_xlsx_field(x, 1, NULL), "王小明");
    size_t len;
    assert_string_equal(xjl_xlsx_field(x, 5, &len), "11010120180315011X");
    assert_int_equal(len, 18);
    assert_string_equal(xjl_xlsx_field(x, 0, NULL), "1");

    assert_int_equal(xjl_xlsx_next(x), 1);
    assert_int_equal(xjl_xlsx_row(x), 6);
    assert_string_equal(xjl_xlsx_field(x, 1, NULL), "李 娜");
    assert_string_equal(xjl_xlsx_field(x, 2, &len), ""); /* empty cell */
    assert_int_equal(len, 0);
    assert_string_equal(xjl_xlsx_field(x, 3, NULL), "43281");
    /* a number as Excel keeps it: 15 significant digits, the damage shows */
    assert_string_not_equal(xjl_xlsx_field(x, 5, NULL), "510104201802146389");
    assert_string_equal(xjl_xlsx_field(x, 9, NULL), "");

    assert_int_equal(xjl_xlsx_next(x), 0);
    assert_int_equal(xjl_xlsx_next(x), 0);
    xjl_xlsx_close(x);
    xjl_xlsx_close(NULL);
}

/* The CSV reader opens a workbook as its first sheet: the same rows, the
 * sheet's row numbers, the workbook's name in messages. */
static void test_csv_reader_view(void **state)
{
    (void)state;
    const char *path = write_roster();
    xjl_csv *c;
    assert_int_equal(xjl_csv_open(&c, path, XJL_ENC_AUTO), XJL_OK);
    assert_string_equal(xjl_csv_path(c), path);
    int cols[5];
    assert_int_equal(xjl_csv_key_columns(c, cols), XJL_OK);
    assert_int_equal(cols[XJL_FIELD_ID_NUMBER], 5);
    assert_int_equal(xjl_csv_next(c), 1);
    assert_int_equal(xjl_csv_line(c), 4);
    assert_string_equal(xjl_csv_field(c, 5, NULL), "11010120180315011X");
    assert_int_equal(xjl_csv_next(c), 1);
    assert_int_equal(xjl_csv_line(c), 6);
    assert_int_equal(xjl_csv_field_count(c), 6); /* as wide as the header */
    assert_string_equal(xjl_csv_field(c, 1, NULL), "李 娜");
    assert_int_equal(xjl_csv_next(c), 0);
    xjl_csv_close(c);
    /* a workbook without a sheet's part: the message names the workbook */
    const char *zip = tmp_path("empty.xlsx");
    lxw_workbook *wb = workbook_new(zip);
    workbook_add_worksheet(wb, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    assert_int_equal(xjl_csv_open(&c, zip, XJL_ENC_AUTO), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "empty.xlsx"));
    assert_null(strstr(xjl_errmsg(), "xjlink-sheet"));
}

/* What other programs write: inline strings, phonetic runs, rich text,
 * namespace prefixes, cells and rows without references, formula strings. */
static void test_other_writers(void **state)
{
    (void)state;
    static const char shared[] =
        "<?xml version=\"1.0\"?><sst xmlns=\"urn:x\"><si><t>姓名</t></si>"
        "<si><r><t>张</t></r><r><t>三</t></r><rPh sb=\"0\" eb=\"1\"><t>zhang</t></rPh></si>"
        "<si><t xml:space=\"preserve\"> 性别 </t></si></sst>";
    static const char sheet[] =
        "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"urn:x\"><x:sheetData>"
        "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c t=\"s\"><x:v>2</x:v></x:c>"
        "<x:c r=\"D1\" t=\"inlineStr\"><x:is><x:t>SFZJH</x:t></x:is></x:c></x:row>"
        "<x:row><x:c t=\"s\"><x:v>1</x:v></x:c><x:c t=\"str\"><x:f>A1</x:f><x:v>男</x:v></x:c>"
        "<x:c r=\"d2\"><x:v>1.5E+17</x:v></x:c></x:row>" /* a lower-case reference */
        "<x:row r=\"9\"><x:c r=\"B9\" t=\"b\"><x:v>1</x:v></x:c></x:row>"
        "</x:sheetData></x:worksheet>";
    xjl_xlsx *x;
    assert_int_equal(
        xjl__xlsx_from_parts("t.xlsx", shared, sizeof shared - 1, sheet, sizeof sheet - 1, &x),
        XJL_OK);
    assert_int_equal(xjl_xlsx_column_count(x), 4);
    assert_string_equal(xjl_xlsx_column_name(x, 1), " 性别 ");
    assert_string_equal(xjl_xlsx_column_name(x, 2), "");
    assert_string_equal(xjl_xlsx_column_name(x, 3), "SFZJH");
    assert_int_equal(xjl_xlsx_next(x), 1);
    assert_int_equal(xjl_xlsx_row(x), 2);
    assert_string_equal(xjl_xlsx_field(x, 0, NULL), "张三"); /* no phonetic "zhang" */
    assert_string_equal(xjl_xlsx_field(x, 1, NULL), "男");
    assert_string_equal(xjl_xlsx_field(x, 3, NULL), "1.5E+17");
    assert_int_equal(xjl_xlsx_next(x), 1);
    assert_int_equal(xjl_xlsx_row(x), 9);
    assert_string_equal(xjl_xlsx_field(x, 1, NULL), "1");
    assert_int_equal(xjl_xlsx_next(x), 0);
    int cols[5];
    /* 出生日期 and 身份证件类型 missing: named, with the header's row */
    assert_int_equal(xjl_xlsx_key_columns(x, NULL, cols), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "file t.xlsx row 1: missing column 出生日期"));
    assert_int_equal(xjl_xlsx_key_columns(x, "出生日期=SFZJH,身份证件类型=SFZJH", cols), XJL_OK);
    xjl_xlsx_close(x);
}

static void test_errors(void **state)
{
    (void)state;
    xjl_xlsx *x = (xjl_xlsx *)1;
    assert_int_equal(xjl_xlsx_open(&x, tmp_path("none.xlsx")), XJL_EIO);
    assert_null(x);
    /* a CSV named .xlsx: the 'PK' a user saw the other way round */
    const char *csv = tmp_path("roster.csv.xlsx");
    FILE *f = fopen(csv, "w");
    fputs("姓名,性别\n张三,男\n", f);
    fclose(f);
    assert_int_equal(xjl_xlsx_is_workbook(csv), 0);
    assert_int_equal(xjl_xlsx_open(&x, csv), XJL_EFORMAT);
    assert_non_null(strstr(xjl_errmsg(), "not a zip"));
    assert_non_null(strstr(xjl_errmsg(), "roster.csv.xlsx"));
    assert_int_equal(xjl_xlsx_open(NULL, csv), XJL_EINVAL);

    static const char *const bad[][2] = {
        {"<worksheet><sheetData></sheetData></worksheet>", "empty"},
        {"<worksheet><sheetData><row r=\"1\"><c t=\"s\"><v>7</v></c></row></sheetData></worksheet>",
         "cell A1 with shared string '7', which the workbook does not have (it has 0)"},
        {"<worksheet><sheetData><row r=\"3\"/><row r=\"2\"/></sheetData></worksheet>",
         "out of order"},
        {"<worksheet><sheetData><row><c r=\"B1\"/><c r=\"A1\"/></row></sheetData></worksheet>",
         "out of order"},
        {"<worksheet><sheetData><row>", "the first sheet line 1"},
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(bad); k++) {
        int rc = xjl__xlsx_from_parts("b.xlsx", NULL, 0, bad[k][0], strlen(bad[k][0]), &x);
        if (rc != XJL_EFORMAT || !strstr(xjl_errmsg(), bad[k][1]) ||
            !strstr(xjl_errmsg(), "b.xlsx"))
            fail_msg("case %zu: rc %d, message '%s', want '%s'", k, rc, xjl_errmsg(), bad[k][1]);
        assert_null(x);
    }
}

/* Every byte flipped, dropped or cut: an error or rows, never a crash (the
 * test runs under ASan in CI).  Seeded: the same bytes every run. */
static void test_mutations(void **state)
{
    (void)state;
    static const char shared[] = "<sst><si><t>姓名</t></si><si><r><t>张</t></r></si></sst>";
    static const char sheet[] =
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>性别</t></is></c></row><row r=\"2\">"
        "<c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"XFD2\"><v>3</v></c></row></sheetData></worksheet>";
    uint64_t seed = 0x9E3779B97F4A7C15u;
    char a[sizeof shared], b[sizeof sheet];
    int ok = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(a, shared, sizeof shared);
        memcpy(b, sheet, sizeof sheet);
        size_t alen = sizeof shared - 1, blen = sizeof sheet - 1;
        for (int m = 0; m < 1 + round % 4; m++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            bool in_a = seed & 1;
            char *p = in_a ? a : b;
            size_t *len = in_a ? &alen : &blen;
            if (*len == 0)
                continue;
            size_t at = (size_t)(seed >> 8) % *len;
            switch ((seed >> 40) % 3) {
            case 0:
                p[at] = (char)(seed >> 48);
                break;
            case 1:
                *len = at;
                break;
            default:
                memmove(p + at, p + at + 1, *len - at - 1), (*len)--;
                break;
            }
        }
        xjl_xlsx *x;
        if (xjl__xlsx_from_parts("m.xlsx", a, alen, b, blen, &x) == XJL_OK) {
            ok++;
            for (size_t i = 0; i < xjl_xlsx_column_count(x); i++)
                assert_non_null(xjl_xlsx_column_name(x, i));
            while (xjl_xlsx_next(x) == 1)
                for (size_t i = 0; i <= xjl_xlsx_field_count(x); i++)
                    assert_non_null(xjl_xlsx_field(x, i, NULL));
            xjl_xlsx_close(x);
        }
    }
    /* the mutations reach the reader's own checks, not only expat's */
    assert_true(ok > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roster),        cmocka_unit_test(test_csv_reader_view),
        cmocka_unit_test(test_other_writers), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
