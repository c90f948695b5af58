/* CSV reader: RFC 4180 cases, encodings, line numbers, bad files. */
#include "io/io.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <unicode/ucnv.h>

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/xjl_csv_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes data to a file of the temp dir and returns its path (static buffer). */
static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static xjl_csv *open_data(const char *data, size_t len, xjl_encoding enc)
{
    xjl_csv *csv = NULL;
    const char *path = write_file("case.csv", data, len);
    int rc = xjl_csv_open(&csv, path, enc);
    if (rc != XJL_OK)
        fail_msg("open failed: %d %s", rc, xjl_errmsg());
    return csv;
}

/* ---- the RFC 4180 table -------------------------------------------------- */

#define MAXF 6
#define MAXR 6

struct row {
    long line;
    const char *f[MAXF]; /* NULL after the last field */
};

static const struct csv_case {
    const char *what;
    const char *data;
    const char *header[MAXF];
    struct row rows[MAXR]; /* line 0 after the last row */
} cases[] = {
    {"LF rows", "a,b\n1,2\n3,4\n", {"a", "b"}, {{2, {"1", "2"}}, {3, {"3", "4"}}}},
    {"CRLF rows", "a,b\r\n1,2\r\n3,4\r\n", {"a", "b"}, {{2, {"1", "2"}}, {3, {"3", "4"}}}},
    {"CR-only rows", "a,b\r1,2\r3,4", {"a", "b"}, {{2, {"1", "2"}}, {3, {"3", "4"}}}},
    {"last row without newline", "a,b\n1,2", {"a", "b"}, {{2, {"1", "2"}}}},
    {"empty fields",
     "a,b,c\n,,x\ny,,\n",
     {"a", "b", "c"},
     {{2, {"", "", "x"}}, {3, {"y", "", ""}}}},
    {"embedded comma", "a,b\n\"x,y\",z\n", {"a", "b"}, {{2, {"x,y", "z"}}}},
    {"doubled quotes",
     "a\n\"he said \"\"hi\"\"\"\n\"\"\"\"\n",
     {"a"},
     {{2, {"he said \"hi\""}}, {3, {"\""}}}},
    {"LF inside quotes",
     "a,b\n\"l1\nl2\",x\n3,4\n",
     {"a", "b"},
     {{2, {"l1\nl2", "x"}}, {4, {"3", "4"}}}},
    {"CRLF inside quotes",
     "a,b\r\n\"l1\r\nl2\r\nl3\",x\r\n3,4\r\n",
     {"a", "b"},
     {{2, {"l1\r\nl2\r\nl3", "x"}}, {5, {"3", "4"}}}},
    {"lone CR inside quotes",
     "a,b\n\"l1\rl2\",x\n3,4\n",
     {"a", "b"},
     {{2, {"l1\rl2", "x"}}, {4, {"3", "4"}}}},
    {"newline inside quotes in the header", "\"a\nb\",c\n1,2\n", {"a\nb", "c"}, {{3, {"1", "2"}}}},
    {"blank lines skipped but counted",
     "a,b\n\n1,2\n\r\n\n3,4\n\n",
     {"a", "b"},
     {{3, {"1", "2"}}, {6, {"3", "4"}}}},
    {"blank lines before the header", "\n\na,b\n1,2\n", {"a", "b"}, {{4, {"1", "2"}}}},
    {"rows of commas are empty rows", "a,b\n,\n1,2\n,,,\n", {"a", "b"}, {{3, {"1", "2"}}}},
    {"an empty quoted field is content", "a,b\n\"\",\n", {"a", "b"}, {{2, {"", ""}}}},
    {"UTF-8 BOM", "\xEF\xBB\xBF姓名,性别\n张三,男\n", {"姓名", "性别"}, {{2, {"张三", "男"}}}},
    {"header names trimmed",
     " 姓名 ,\xE3\x80\x80性别\t,\xC2\xA0x\n1,2,3\n",
     {"姓名", "性别", "x"},
     {{2, {"1", "2", "3"}}}},
    {"fields are not trimmed", "a,b\n 1 , 2\n", {"a", "b"}, {{2, {" 1 ", " 2"}}}},
    {"text after a closing quote is kept", "a,b\n\"ab\"cd,e\n", {"a", "b"}, {{2, {"abcd", "e"}}}},
    {"a quote inside an unquoted field is literal",
     "a,b\nab\"c,d\n",
     {"a", "b"},
     {{2, {"ab\"c", "d"}}}},
    {"fewer and more fields than the header",
     "a,b,c\n1\n1,2,3,4\n",
     {"a", "b", "c"},
     {{2, {"1"}}, {3, {"1", "2", "3", "4"}}}},
    {"quoted field at the end of the file", "a\n\"x\ny\"", {"a"}, {{2, {"x\ny"}}}},
    {"trailing comma at the end of the file", "a,b\n1,", {"a", "b"}, {{2, {"1", ""}}}},
};

static void check_row(xjl_csv *csv, const char *const *want, const char *what, long line)
{
    size_t n = 0;
    while (n < MAXF && want[n])
        n++;
    if (xjl_csv_field_count(csv) != n)
        fail_msg("%s line %ld: %zu fields, want %zu", what, line, xjl_csv_field_count(csv), n);
    for (size_t i = 0; i < n; i++) {
        size_t len = 99;
        const char *got = xjl_csv_field(csv, i, &len);
        if (strcmp(got, want[i]) != 0 || len != strlen(want[i]))
            fail_msg("%s line %ld field %zu: got '%s' (%zu), want '%s'", what, line, i, got, len,
                     want[i]);
    }
    size_t len = 99;
    assert_string_equal(xjl_csv_field(csv, n, &len), ""); /* past the end */
    assert_int_equal(len, 0);
}

static void test_rfc4180_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        const struct csv_case *t = &cases[k];
        xjl_csv *csv = open_data(t->data, strlen(t->data), XJL_ENC_AUTO);
        size_t nh = 0;
        while (nh < MAXF && t->header[nh])
            nh++;
        assert_int_equal(xjl_csv_column_count(csv), nh);
        for (size_t i = 0; i < nh; i++)
            if (strcmp(xjl_csv_column_name(csv, i), t->header[i]) != 0)
                fail_msg("%s: column %zu is '%s', want '%s'", t->what, i,
                         xjl_csv_column_name(csv, i), t->header[i]);
        /* Before the first next(), the current row is the header. */
        check_row(csv, t->header, t->what, 1);
        for (size_t r = 0; r < MAXR && t->rows[r].line; r++) {
            int rc = xjl_csv_next(csv);
            if (rc != 1)
                fail_msg("%s: row %zu: next() gave %d (%s)", t->what, r, rc, xjl_errmsg());
            if (xjl_csv_line(csv) != t->rows[r].line)
                fail_msg("%s: row %zu on line %ld, want %ld", t->what, r, xjl_csv_line(csv),
                         t->rows[r].line);
            check_row(csv, t->rows[r].f, t->what, t->rows[r].line);
        }
        if (xjl_csv_next(csv) != 0)
            fail_msg("%s: a row too many: '%s'", t->what, xjl_csv_field(csv, 0, NULL));
        assert_int_equal(xjl_csv_next(csv), 0); /* stays at the end */
        assert_int_equal(xjl_csv_field_count(csv), 0);
        assert_int_equal(xjl_csv_encoding(csv), XJL_ENC_UTF8);
        xjl_csv_close(csv);
    }
}

/* ---- bad files ----------------------------------------------------------- */

static void test_empty_file(void **state)
{
    (void)state;
    static const char *const empties[] = {"", "\n\n\r\n", "\xEF\xBB\xBF", ",,,\n"};
    for (size_t i = 0; i < XJL_ARRAY_LEN(empties); i++) {
        xjl_csv *csv = (xjl_csv *)1;
        const char *path = write_file("empty.csv", empties[i], strlen(empties[i]));
        assert_int_equal(xjl_csv_open(&csv, path, XJL_ENC_AUTO), XJL_EFORMAT);
        assert_null(csv);
        assert_non_null(strstr(xjl_errmsg(), "no header"));
        assert_non_null(strstr(xjl_errmsg(), "empty.csv"));
    }
}

static void test_missing_file(void **state)
{
    (void)state;
    xjl_csv *csv = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/no-such-file.csv", tmpdir);
    assert_int_equal(xjl_csv_open(&csv, path, XJL_ENC_AUTO), XJL_EIO);
    assert_null(csv);
    assert_non_null(strstr(xjl_errmsg(), "no-such-file.csv"));
    /* A directory opens but cannot be read. */
    assert_int_equal(xjl_csv_open(&csv, tmpdir, XJL_ENC_AUTO), XJL_EIO);
    assert_int_equal(xjl_csv_open(NULL, path, XJL_ENC_AUTO), XJL_EINVAL);
    assert_int_equal(xjl_csv_open(&csv, NULL, XJL_ENC_AUTO), XJL_EINVAL);
    assert_int_equal(xjl_csv_open(&csv, path, (xjl_encoding)7), XJL_EINVAL);
    xjl_csv_close(NULL);
}

/* A FIFO without a writer once blocked open() for ever: inputs are regular
 * files, or standard input named "-". */
static void test_not_regular(void **state)
{
    (void)state;
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/roster.fifo", tmpdir);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(20); /* a hang fails the test instead of stalling the suite */
    xjl_csv *csv = NULL;
    assert_int_equal(xjl_csv_open(&csv, fifo, XJL_ENC_AUTO), XJL_EIO);
    assert_null(csv);
    assert_non_null(strstr(xjl_errmsg(), "roster.fifo"));
    assert_non_null(strstr(xjl_errmsg(), "FIFO"));
    assert_int_equal(xjl_csv_open(&csv, "/dev/null", XJL_ENC_AUTO), XJL_EIO);
    assert_non_null(strstr(xjl_errmsg(), "character device"));
    assert_int_equal(xjl_csv_open(&csv, tmpdir, XJL_ENC_AUTO), XJL_EIO);
    assert_non_null(strstr(xjl_errmsg(), "directory"));
    alarm(0);
    unlink(fifo);

    /* "-": standard input, here a pipe */
    int p[2];
    assert_int_equal(pipe(p), 0);
    const char text[] = "a,b\n1,2\n";
    assert_int_equal(write(p[1], text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(p[1]);
    int saved = dup(STDIN_FILENO);
    assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
    close(p[0]);
    int rc = xjl_csv_open(&csv, "-", XJL_ENC_AUTO);
    dup2(saved, STDIN_FILENO);
    close(saved);
    assert_int_equal(rc, XJL_OK);
    assert_int_equal(xjl_csv_column(csv, "b"), 1);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_string_equal(xjl_csv_field(csv, 1, NULL), "2");
    assert_int_equal(xjl_csv_next(csv), 0);
    xjl_csv_close(csv);
}

/* Short reads and reads interrupted by a signal (EINTR): standard input is
 * a pipe fed a few bytes at a time, cutting UTF-8 characters, quoted fields
 * and line ends anywhere, while the reading thread is sent signals whose
 * handler does not restart system calls.  Every row comes out whole. */
static void on_signal(int sig)
{
    (void)sig;
}

struct feeder {
    int fd;
    const char *text;
    size_t len;
    pthread_t reader;
    long signals;
};

static void *feed(void *arg)
{
    struct feeder *f = arg;
    size_t step = 1;
    for (size_t i = 0; i < f->len; i += step, step = step % 7 + 1) {
        if (step > f->len - i)
            step = f->len - i;
        if (i % 64 < 8) {
            usleep(100); /* the reader is blocked in read() by now */
            pthread_kill(f->reader, SIGUSR1);
            f->signals++;
        }
        if (write(f->fd, f->text + i, step) != (ssize_t)step)
            break;
    }
    close(f->fd);
    return NULL;
}

static void test_short_and_interrupted_reads(void **state)
{
    (void)state;
    enum { ROWS = 400 };
    size_t cap = ROWS * 64 + 64, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n, "姓名,备注\n");
    for (int i = 0; i < ROWS; i++)
        n += (size_t)snprintf(text + n, cap - n, i % 3 ? "张%d,\"a,\"\"b\"\"\nc\"\r\n" : "李%d,x\n",
                              i);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read() fails with EINTR */
    assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
    int p[2];
    assert_int_equal(pipe(p), 0);
    int saved = dup(STDIN_FILENO);
    assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
    close(p[0]);
    struct feeder f = {p[1], text, n, pthread_self(), 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, feed, &f), 0);
    xjl_csv *csv = NULL;
    int rc = xjl_csv_open(&csv, "-", XJL_ENC_AUTO);
    if (rc != XJL_OK)
        fail_msg("open: %s", xjl_errmsg());
    int rows = 0;
    while ((rc = xjl_csv_next(csv)) == 1) {
        char want[32];
        snprintf(want, sizeof want, rows % 3 ? "张%d" : "李%d", rows);
        assert_string_equal(xjl_csv_field(csv, 0, NULL), want);
        assert_string_equal(xjl_csv_field(csv, 1, NULL), rows % 3 ? "a,\"b\"\nc" : "x");
        rows++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(rows, ROWS);
    xjl_csv_close(csv);
    pthread_join(t, NULL);
    dup2(saved, STDIN_FILENO);
    close(saved);
    sigaction(SIGUSR1, &old, NULL);
    assert_true(f.signals > 10);
    free(text);
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    const char data[] = "a,b\n1,2\nx,\"open\nstill open\n3,4\n";
    xjl_csv *csv = open_data(data, sizeof data - 1, XJL_ENC_AUTO);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_int_equal(xjl_csv_line(csv), 2);
    assert_int_equal(xjl_csv_next(csv), XJL_EFORMAT);
    const char *msg = xjl_errmsg();
    assert_non_null(strstr(msg, "unterminated quote"));
    assert_non_null(strstr(msg, "case.csv"));
    assert_non_null(strstr(msg, "line 3"));
    assert_int_equal(xjl_csv_next(csv), XJL_EFORMAT); /* sticky */
    xjl_csv_close(csv);

    /* In the header: open fails. */
    xjl_csv *bad = NULL;
    const char *path = write_file("badhdr.csv", "\"a,b\n1,2\n", 9);
    assert_int_equal(xjl_csv_open(&bad, path, XJL_ENC_AUTO), XJL_EFORMAT);
    assert_null(bad);
    assert_non_null(strstr(xjl_errmsg(), "line 1"));
}

/* xjl_csv_row_check(): the rows of each file in order, and which of them are
 * more than one row (the line the faulty row starts on; 0 if none). */
static void test_row_check_table(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        int rows;
        long faulty; /* the line of the row refused, 0: none */
    } cases[] = {
        /* a note on two lines, quoted as it should be: one row */
        {"a,b,c\n1,x,\"two\nlines\"\n2,y,z\n", 2, 0},
        /* a note with commas on two lines, fewer than a row has: one row */
        {"a,b,c\n1,x,\"p, q\nr\"\n", 1, 0},
        /* text after the closing quote on one line: read as it is, one row */
        {"a,b,c\n1,x,\"q\"z\n", 1, 0},
        /* a stray quote closed by the quote of a later row's cell */
        {"a,b,c\n1,x,\"open\n2,y,z\n3,w,\"note\"\n4,v,u\n", 2, 2},
        /* closed at the end of a later row, whole rows inside */
        {"a,b,c\n1,x,\"open\n2,y,z\n3,w,note\"\n4,v,u\n", 2, 2},
        /* CRLF: the same */
        {"a,b,c\r\n1,x,\"open\r\n2,y,z\r\n3,w,\"note\"\r\n", 1, 2},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        xjl_csv *csv = open_data(cases[k].data, strlen(cases[k].data), XJL_ENC_AUTO);
        int rows = 0;
        long faulty = 0;
        while (xjl_csv_next(csv) == 1) {
            rows++;
            if (xjl_csv_row_check(csv) != XJL_OK) {
                faulty = xjl_csv_line(csv);
                assert_int_equal(xjl_errcode(), XJL_EFORMAT);
                assert_non_null(strstr(xjl_errmsg(), "column c"));
            }
        }
        print_message("case %zu: %d rows, faulty line %ld\n", k, rows, faulty);
        assert_int_equal(rows, cases[k].rows);
        assert_int_equal(faulty, cases[k].faulty);
        xjl_csv_close(csv);
    }
    assert_int_equal(xjl_csv_row_check(NULL), XJL_EINVAL);
}

/* A quote opened far from the end: the reader must cross several blocks and
 * still name the right line. */
static void test_unterminated_quote_far(void **state)
{
    (void)state;
    size_t rows = 200000;
    char *data = malloc(rows * 24 + 64);
    size_t n = (size_t)sprintf(data, "a,b\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(data + n, "%zu,x\n", i);
    n += (size_t)sprintf(data + n, "\"never closed,x\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(data + n, "%zu,y\n", i);
    xjl_csv *csv = open_data(data, n, XJL_ENC_AUTO);
    free(data);
    size_t got = 0;
    int rc;
    while ((rc = xjl_csv_next(csv)) == 1)
        got++;
    assert_int_equal(rc, XJL_EFORMAT);
    assert_int_equal(got, rows);
    char want[64];
    snprintf(want, sizeof want, "starting on line %zu", rows + 2);
    assert_non_null(strstr(xjl_errmsg(), want));
    xjl_csv_close(csv);
}

/* ---- field contents ------------------------------------------------------ */

static void test_long_field(void **state)
{
    (void)state;
    size_t big = 10000;
    char *data = malloc(3 * big + 64);
    size_t n = (size_t)sprintf(data, "a,b\n");
    memset(data + n, 'x', big); /* plain */
    n += big;
    data[n++] = ',';
    data[n++] = '"'; /* quoted, with doubled quotes and newlines inside */
    for (size_t i = 0; i < big / 2; i++) {
        data[n++] = (i % 100 == 99) ? '\n' : '"';
        if (data[n - 1] == '"')
            data[n++] = '"';
    }
    data[n++] = '"';
    data[n++] = '\n';
    n += (size_t)sprintf(data + n, "1,2\n");
    xjl_csv *csv = open_data(data, n, XJL_ENC_AUTO);
    free(data);
    assert_int_equal(xjl_csv_next(csv), 1);
    size_t len;
    const char *f = xjl_csv_field(csv, 0, &len);
    assert_int_equal(len, big);
    assert_int_equal(strspn(f, "x"), big);
    f = xjl_csv_field(csv, 1, &len);
    assert_int_equal(len, big / 2);
    assert_int_equal(f[0], '"');
    assert_int_equal(f[99], '\n');
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_int_equal(xjl_csv_line(csv), 2 + big / 2 / 100 + 1);
    assert_string_equal(xjl_csv_field(csv, 0, NULL), "1");
    xjl_csv_close(csv);
}

static void test_embedded_nul(void **state)
{
    (void)state;
    const char data[] = "a,b\nx\0y,\"p\0q\"\n1,2\n";
    xjl_csv *csv = open_data(data, sizeof data - 1, XJL_ENC_AUTO);
    assert_int_equal(xjl_csv_next(csv), 1);
    size_t len;
    const char *f = xjl_csv_field(csv, 0, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(f, "x\0y", 4);
    f = xjl_csv_field(csv, 1, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(f, "p\0q", 4);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_string_equal(xjl_csv_field(csv, 1, NULL), "2");
    xjl_csv_close(csv);
}

/* A NUL in a header name: the name would be cut there and a lookup of the
 * cut name would find this column instead of the one so named. */
static void test_header_nul(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        const char *data;
        size_t len;
        const char *column;
    } cases[] = {
        {"plain", "a,\xE5\xA7\x93\xE5\x90\x8D\0x,b\n1,2,3\n", 19, "column 2"},
        {"quoted", "\"a\0\",a\n1,2\n", 11, "column 1"},
        {"last", "a,b\0\n1,2\n", 9, "column 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_file("nulhdr.csv", cases[i].data, cases[i].len);
        xjl_csv *csv = NULL;
        int rc = xjl_csv_open(&csv, path, XJL_ENC_AUTO);
        if (rc != XJL_EFORMAT)
            fail_msg("%s: open returned %d, column %d", cases[i].what, rc,
                     csv ? xjl_csv_column(csv, "a") : -9);
        assert_null(csv);
        const char *msg = xjl_errmsg();
        assert_non_null(strstr(msg, "nulhdr.csv"));
        assert_non_null(strstr(msg, "line 1"));
        assert_non_null(strstr(msg, cases[i].column));
        assert_non_null(strstr(msg, "NUL"));
    }
}

/* Invalid UTF-8 with UTF-8 forced: the row is returned with its bytes as they
 * are, so that the record checker reports it; nothing fails. */
static void test_invalid_utf8_forced(void **state)
{
    (void)state;
    const char data[] = "姓名,x\n\xFF\xFE\xC3,1\n张三,2\n";
    xjl_csv *csv = open_data(data, sizeof data - 1, XJL_ENC_UTF8);
    assert_int_equal(xjl_csv_encoding(csv), XJL_ENC_UTF8);
    assert_int_equal(xjl_csv_next(csv), 1);
    size_t len;
    assert_memory_equal(xjl_csv_field(csv, 0, &len), "\xFF\xFE\xC3", 3);
    assert_int_equal(len, 3);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_string_equal(xjl_csv_field(csv, 0, NULL), "张三");
    assert_int_equal(xjl_csv_next(csv), 0);
    xjl_csv_close(csv);

    /* Detected: a UTF-8 file with one damaged cell is still UTF-8 (its
     * header reads right; the bad row is the checker's to report). */
    char text[2048];
    size_t tl = (size_t)snprintf(text, sizeof text, "姓名,性别\n");
    for (int i = 0; i < 40; i++)
        tl += (size_t)snprintf(text + tl, sizeof text - tl, "张三,男\n");
    tl += (size_t)snprintf(text + tl, sizeof text - tl, "\xFF\xFE,女\n");
    xjl_csv *auto_csv = open_data(text, tl, XJL_ENC_AUTO);
    assert_int_equal(xjl_csv_encoding(auto_csv), XJL_ENC_UTF8);
    assert_string_equal(xjl_csv_column_name(auto_csv, 0), "姓名");
    xjl_csv_close(auto_csv);

    /* A short file whose rows have more damaged bytes than good ones: its
     * header of Chinese names, valid UTF-8, settles it (read as GB18030,
     * every column looked missing and the change file was refused whole). */
    static const char short_text[] =
        "学前学籍ID,姓名,性别\nP1,\xFF\xFE\xFF\xFE,女\nP2,\xC3\xFF,男\n";
    xjl_csv *short_csv = open_data(short_text, sizeof short_text - 1, XJL_ENC_AUTO);
    assert_int_equal(xjl_csv_encoding(short_csv), XJL_ENC_UTF8);
    assert_int_equal(xjl_csv_column(short_csv, "姓名"), 1);
    assert_int_equal(xjl_csv_next(short_csv), 1);
    assert_memory_equal(xjl_csv_field(short_csv, 1, NULL), "\xFF\xFE\xFF\xFE", 4);
    assert_int_equal(xjl_csv_next(short_csv), 1);
    assert_string_equal(xjl_csv_field(short_csv, 0, NULL), "P2");
    assert_int_equal(xjl_csv_next(short_csv), 0);
    xjl_csv_close(short_csv);

    /* A header that is not UTF-8 cannot be read as UTF-8. */
    xjl_csv *bad = NULL;
    const char *path = write_file("badenc.csv", "\xD0\xD5\xC3\xFB,x\n", 7);
    assert_int_equal(xjl_csv_open(&bad, path, XJL_ENC_UTF8), XJL_EENCODING);
    assert_non_null(strstr(xjl_errmsg(), "gb18030"));
}

/* ---- GB18030 ------------------------------------------------------------- */

/* Converts UTF-8 text to GB18030 with ICU (malloc'ed; *out_len its length). */
static char *to_gb18030(const char *utf8, size_t len, size_t *out_len)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t need = ucnv_convert("gb18030", "UTF-8", NULL, 0, utf8, (int32_t)len, &err);
    assert_true(err == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(err));
    char *gb = malloc((size_t)need + 1);
    err = U_ZERO_ERROR;
    ucnv_convert("gb18030", "UTF-8", gb, need + 1, utf8, (int32_t)len, &err);
    assert_true(U_SUCCESS(err));
    *out_len = (size_t)need;
    return gb;
}

static void test_gb18030(void **state)
{
    (void)state;
    /* Includes a character outside GBK (𠀀, 4-byte in GB18030) and a dot name. */
    const char text[] = "姓名,性别,备注\r\n张三,男,\"北京,海淀\"\r\n阿依古丽·买买提,女,"
                        "𠀀\r\n陳小明,男,\"多\n行\"\r\n";
    size_t n;
    char *gb = to_gb18030(text, sizeof text - 1, &n);
    assert_true(memcmp(gb, text, 4) != 0); /* really converted */
    static const xjl_encoding encs[] = {XJL_ENC_AUTO, XJL_ENC_GB18030};
    for (size_t e = 0; e < XJL_ARRAY_LEN(encs); e++) {
        xjl_csv *csv = open_data(gb, n, encs[e]);
        assert_int_equal(xjl_csv_encoding(csv), XJL_ENC_GB18030);
        assert_string_equal(xjl_csv_column_name(csv, 0), "姓名");
        assert_int_equal(xjl_csv_column(csv, "备注"), 2);
        assert_int_equal(xjl_csv_next(csv), 1);
        assert_string_equal(xjl_csv_field(csv, 2, NULL), "北京,海淀");
        assert_int_equal(xjl_csv_next(csv), 1);
        assert_string_equal(xjl_csv_field(csv, 0, NULL), "阿依古丽·买买提");
        assert_string_equal(xjl_csv_field(csv, 2, NULL), "𠀀");
        assert_int_equal(xjl_csv_next(csv), 1);
        assert_string_equal(xjl_csv_field(csv, 0, NULL), "陳小明");
        assert_string_equal(xjl_csv_field(csv, 2, NULL), "多\n行");
        assert_int_equal(xjl_csv_line(csv), 4);
        assert_int_equal(xjl_csv_next(csv), 0);
        xjl_csv_close(csv);
    }
    free(gb);
}

/* The column names schools' files use, in GB18030 and in a short file:
 * none reads as UTF-8 Chinese, so the header rule of the detection never
 * takes a GB18030 file for UTF-8 (the names as the national registry's
 * exports and the library's own column table spell them). */
static void test_gb18030_headers_stay_gb18030(void **state)
{
    (void)state;
    static const char *const headers[] = {
        "姓名",       "性别",       "出生日期",
        "证件类型",   "证件号码",   "身份证件类型",
        "身份证件号", "身份证号",   "学前学籍ID",
        "学籍ID",     "民族",       "国籍",
        "户口性质",   "学校名称",   "班级",
        "幼儿园",     "备注",       "出生年月",
        "证件号",     "全国学籍号", "姓名,性别,出生日期,身份证件类型,身份证件号",
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(headers); i++) {
        char text[256];
        int tl = snprintf(text, sizeof text, "%s\n张三\n", headers[i]);
        size_t n;
        char *gb = to_gb18030(text, (size_t)tl, &n);
        xjl_csv *csv = open_data(gb, n, XJL_ENC_AUTO);
        if (xjl_csv_encoding(csv) != XJL_ENC_GB18030)
            fail_msg("header %s in GB18030 was taken for UTF-8", headers[i]);
        assert_int_equal(xjl_csv_next(csv), 1);
        assert_string_equal(xjl_csv_field(csv, 0, NULL), "张三");
        xjl_csv_close(csv);
        free(gb);
    }
}

/* Bytes that are not GB18030 become U+FFFD; the rest of the file is read. */
/* A GB18030 file whose first block is ASCII (a long English header and
 * rows of numbers, then Chinese names) was read as UTF-8 with no warning:
 * every name came out as invalid bytes.  The first non-ASCII block decides;
 * a UTF-8 file of the same shape stays UTF-8. */
static void test_auto_late_non_ascii(void **state)
{
    (void)state;
    size_t ascii_rows = (1u << 20) / 11 + 1000; /* 11 bytes a row: past the first MiB */
    const char *tail = "张三,1\n阿依古丽·买买提,2\n𠀀,3\n";
    size_t cap = ascii_rows * 16 + 256, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n, "name,no\n");
    for (size_t i = 0; i < ascii_rows; i++)
        n += (size_t)snprintf(text + n, cap - n, "x%07zu,%zu\n", i, i % 10);
    n += (size_t)snprintf(text + n, cap - n, "%s", tail);
    size_t gn;
    char *gb = to_gb18030(text, n, &gn);
    const struct {
        const char *data;
        size_t len;
        xjl_encoding want;
    } cases[] = {{gb, gn, XJL_ENC_GB18030}, {text, n, XJL_ENC_UTF8}};
    for (size_t k = 0; k < 2; k++) {
        xjl_csv *csv = open_data(cases[k].data, cases[k].len, XJL_ENC_AUTO);
        size_t rows = 0;
        while (rows < ascii_rows && xjl_csv_next(csv) == 1)
            rows++;
        assert_int_equal(rows, ascii_rows);
        static const char *const names[] = {"张三", "阿依古丽·买买提", "𠀀"};
        for (int i = 0; i < 3; i++) {
            assert_int_equal(xjl_csv_next(csv), 1);
            assert_string_equal(xjl_csv_field(csv, 0, NULL), names[i]);
        }
        assert_int_equal(xjl_csv_next(csv), 0);
        assert_int_equal(xjl_csv_encoding(csv), cases[k].want);
        xjl_csv_close(csv);
    }
    free(gb);
    free(text);
}

static void test_gb18030_bad_bytes(void **state)
{
    (void)state;
    size_t n;
    const char head[] = "姓名,x\n张三,1\n";
    char *gb = to_gb18030(head, sizeof head - 1, &n);
    char *data = malloc(n + 16);
    memcpy(data, gb, n);
    memcpy(data + n, "\xFF\xFF,2\n", 5);
    xjl_csv *csv = open_data(data, n + 5, XJL_ENC_GB18030);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_int_equal(xjl_csv_next(csv), 1);
    assert_non_null(strstr(xjl_csv_field(csv, 0, NULL), "\xEF\xBF\xBD"));
    assert_string_equal(xjl_csv_field(csv, 1, NULL), "2");
    assert_int_equal(xjl_csv_next(csv), 0);
    xjl_csv_close(csv);
    free(data);
    free(gb);
}

/* ---- many rows: block boundaries ----------------------------------------- */

/* Rows of every shape across many blocks (UTF-8 and GB18030), each checked
 * for its content and its line number. */
static void test_many_rows(void **state)
{
    (void)state;
    size_t rows = 150000, cap = rows * 64 + 64, n = 0;
    char *data = malloc(cap);
    n += (size_t)sprintf(data + n, "id,name,note\n");
    for (size_t i = 0; i < rows; i++) {
        switch (i % 4) {
        case 0:
            n += (size_t)sprintf(data + n, "%zu,张%zu,plain\n", i, i);
            break;
        case 1:
            n += (size_t)sprintf(data + n, "%zu,\"李,%zu\",\"a\nb\"\r\n", i, i);
            break;
        case 2:
            n += (size_t)sprintf(data + n, "%zu,王\"\"%zu,\"q\"\"q\"\n\n", i, i);
            break;
        default:
            n += (size_t)sprintf(data + n, "%zu,赵%zu,\r\n", i, i);
            break;
        }
    }
    size_t gbn;
    char *gb = to_gb18030(data, n, &gbn);
    for (int pass = 0; pass < 2; pass++) {
        xjl_csv *csv = pass ? open_data(gb, gbn, XJL_ENC_AUTO) : open_data(data, n, XJL_ENC_AUTO);
        assert_int_equal(xjl_csv_encoding(csv), pass ? XJL_ENC_GB18030 : XJL_ENC_UTF8);
        long line = 2;
        char want[64];
        for (size_t i = 0; i < rows; i++) {
            assert_int_equal(xjl_csv_next(csv), 1);
            if (xjl_csv_line(csv) != line)
                fail_msg("pass %d row %zu on line %ld, want %ld", pass, i, xjl_csv_line(csv), line);
            snprintf(want, sizeof want, "%zu", i);
            assert_string_equal(xjl_csv_field(csv, 0, NULL), want);
            switch (i % 4) {
            case 0:
                snprintf(want, sizeof want, "张%zu", i);
                assert_string_equal(xjl_csv_field(csv, 2, NULL), "plain");
                line += 1;
                break;
            case 1:
                snprintf(want, sizeof want, "李,%zu", i);
                assert_string_equal(xjl_csv_field(csv, 2, NULL), "a\nb");
                line += 2;
                break;
            case 2:
                snprintf(want, sizeof want, "王\"\"%zu", i); /* unquoted: quotes literal */
                assert_string_equal(xjl_csv_field(csv, 2, NULL), "q\"q");
                line += 2;
                break;
            default:
                snprintf(want, sizeof want, "赵%zu", i);
                assert_string_equal(xjl_csv_field(csv, 2, NULL), "");
                line += 1;
                break;
            }
            assert_string_equal(xjl_csv_field(csv, 1, NULL), want);
        }
        assert_int_equal(xjl_csv_next(csv), 0);
        xjl_csv_close(csv);
    }
    free(gb);
    free(data);
}

/* ---- header and key columns ---------------------------------------------- */

static const struct {
    const char *header;
    int cols[5]; /* name, gender, birth date, id type, id number */
} key_cases[] = {
    {"姓名,性别,出生日期,身份证件类型,身份证件号", {0, 1, 2, 3, 4}},
    {"序号,学生姓名,性别,出生年月,证件类型,身份证号码,备注", {1, 2, 3, 4, 5}},
    {"Name,GENDER,Birth_Date,ID Type,id_number", {0, 1, 2, 3, 4}},
    {"dob,sex,name,id-number,idtype", {2, 1, 0, 4, 3}},
    {"*姓名,*性别,出生日期（格式：20150101）,＊证件类型,证件号码", {0, 1, 2, 3, 4}},
    {"姓 名,性　别,birthday,证件类型,身份证号", {0, 1, 2, 3, 4}},
};

/* Two columns for one key field: an error that names both, never a guess. */
static const char *const doubled_cases[] = {
    "姓名,姓名,性别,出生日期,身份证件类型,证件号",
    "姓名,性别,出生日期,身份证件类型,证件号,name",
    "姓名,性别,出生日期,身份证件类型,身份证号,证件号码",
};

static void test_key_columns(void **state)
{
    (void)state;
    for (size_t k = 0; k < XJL_ARRAY_LEN(key_cases); k++) {
        char data[512];
        int n = snprintf(data, sizeof data, "%s\n", key_cases[k].header);
        xjl_csv *csv = open_data(data, (size_t)n, XJL_ENC_AUTO);
        int cols[5];
        int rc = xjl_csv_key_columns(csv, cols);
        if (rc != XJL_OK)
            fail_msg("%s: %s", key_cases[k].header, xjl_errmsg());
        for (int i = 0; i < 5; i++)
            if (cols[i] != key_cases[k].cols[i])
                fail_msg("%s: field %d in column %d, want %d", key_cases[k].header, i, cols[i],
                         key_cases[k].cols[i]);
        xjl_csv_close(csv);
    }
    for (size_t k = 0; k < XJL_ARRAY_LEN(doubled_cases); k++) {
        char data[512];
        int n = snprintf(data, sizeof data, "%s\n", doubled_cases[k]);
        xjl_csv *csv = open_data(data, (size_t)n, XJL_ENC_AUTO);
        int cols[5];
        assert_int_equal(xjl_csv_key_columns(csv, cols), XJL_EFORMAT);
        assert_non_null(strstr(xjl_errmsg(), "keep one"));
        xjl_csv_close(csv);
    }
}

/* One header name at a time, as tables read without the CSV reader (Excel
 * sheets, DataFrames) ask. */
static void test_key_field(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int field;
    } cases[] = {
        {"姓名", XJL_FIELD_NAME},
        {"*学生姓名", XJL_FIELD_NAME},
        {"Full Name", XJL_FIELD_NAME},
        {"性 别", XJL_FIELD_GENDER},
        {"SEX", XJL_FIELD_GENDER},
        {"出生日期（格式：20150101）", XJL_FIELD_BIRTH_DATE},
        {"birth_date", XJL_FIELD_BIRTH_DATE},
        {"＊证件类型", XJL_FIELD_ID_TYPE},
        {"id-type", XJL_FIELD_ID_TYPE},
        {"身份证号码", XJL_FIELD_ID_NUMBER},
        {"ID_Number", XJL_FIELD_ID_NUMBER},
        {"备注", -1},
        {"", -1},
        {"(姓名)", -1},
        {"\xff\xfe", -1},
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++)
        if (xjl_csv_key_field(cases[k].name) != cases[k].field)
            fail_msg("'%s': field %d, want %d", cases[k].name, xjl_csv_key_field(cases[k].name),
                     cases[k].field);
    assert_int_equal(xjl_csv_key_field(NULL), -1);
    /* a header longer than any column name is cut, never overrun */
    char big[10000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(xjl_csv_key_field(big), -1);
}

static void test_key_columns_missing(void **state)
{
    (void)state;
    const char data[] = "\n姓名,出生日期,证件号,address\n";
    xjl_csv *csv = open_data(data, sizeof data - 1, XJL_ENC_AUTO);
    int cols[5];
    assert_int_equal(xjl_csv_key_columns(csv, cols), XJL_EFORMAT);
    const char *msg = xjl_errmsg();
    assert_non_null(strstr(msg, "case.csv"));
    assert_non_null(strstr(msg, "line 2"));
    assert_non_null(strstr(msg, "性别 (gender)"));
    assert_non_null(strstr(msg, "身份证件类型 (id_type)"));
    assert_null(strstr(msg, "(name)"));
    assert_non_null(strstr(msg, "'address'"));
    assert_int_equal(cols[XJL_FIELD_NAME], 0);
    assert_int_equal(cols[XJL_FIELD_GENDER], -1);
    assert_int_equal(xjl_csv_column(csv, "出生日期"), 1);
    assert_int_equal(xjl_csv_column(csv, " address "), 3);
    assert_int_equal(xjl_csv_column(csv, "Address"), -1);
    assert_null(xjl_csv_column_name(csv, 4));
    assert_int_equal(xjl_csv_key_columns(NULL, cols), XJL_EINVAL);
    xjl_csv_close(csv);
}

static void test_path_and_accessors(void **state)
{
    (void)state;
    xjl_csv *csv = open_data("a\n1\n", 4, XJL_ENC_AUTO);
    assert_non_null(strstr(xjl_csv_path(csv), "case.csv"));
    assert_int_equal(xjl_csv_line(csv), 1);
    assert_int_equal(xjl_csv_field_count(csv), 1);
    xjl_csv_close(csv);
    assert_int_equal(xjl_csv_next(NULL), XJL_EINVAL);
    assert_int_equal(xjl_csv_field_count(NULL), 0);
    assert_string_equal(xjl_csv_field(NULL, 0, NULL), "");
    assert_int_equal(xjl_csv_column(NULL, "a"), -1);
}

/* ---- encodings and quoting ----------------------------------------------- */

static void test_encoding_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        xjl_encoding enc;
    } t[] = {
        {"auto", XJL_OK, XJL_ENC_AUTO},       {"UTF-8", XJL_OK, XJL_ENC_UTF8},
        {"utf8", XJL_OK, XJL_ENC_UTF8},       {"GB18030", XJL_OK, XJL_ENC_GB18030},
        {"gbk", XJL_OK, XJL_ENC_GB18030},     {"GB2312", XJL_OK, XJL_ENC_GB18030},
        {"latin1", XJL_EINVAL, XJL_ENC_AUTO}, {"", XJL_EINVAL, XJL_ENC_AUTO},
        {"utf-8 ", XJL_EINVAL, XJL_ENC_AUTO},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(t); i++) {
        xjl_encoding enc = (xjl_encoding)42;
        assert_int_equal(xjl_encoding_parse(t[i].s, &enc), t[i].rc);
        if (t[i].rc == XJL_OK)
            assert_int_equal(enc, t[i].enc);
        else
            assert_non_null(strstr(xjl_errmsg(), t[i].s));
    }
    assert_int_equal(xjl_encoding_parse(NULL, NULL), XJL_EINVAL);
}

static void test_quote(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } t[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"cr\r", "\"cr\r\""},
        {"张三", "张三"},
        {"\"", "\"\"\"\""},
    };
    for (size_t i = 0; i < XJL_ARRAY_LEN(t); i++) {
        char buf[64];
        size_t n = 0;
        assert_int_equal(xjl_csv_quote(t[i].in, XJL_NTS, buf, sizeof buf, &n), XJL_OK);
        assert_string_equal(buf, t[i].out);
        assert_int_equal(n, strlen(t[i].out));
        /* Too small by one: ERANGE with the size needed. */
        assert_int_equal(xjl_csv_quote(t[i].in, XJL_NTS, buf, n, &n), XJL_ERANGE);
        assert_int_equal(n, strlen(t[i].out));
    }
    char buf[16];
    size_t n;
    assert_int_equal(xjl_csv_quote("a\0,b", 4, buf, sizeof buf, &n), XJL_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(buf, "\"a\0,b\"", 7);
    assert_int_equal(xjl_csv_quote(NULL, 0, buf, sizeof buf, &n), XJL_EINVAL);
}

/* A quoted field must round-trip through the reader. */
static void test_quote_round_trip(void **state)
{
    (void)state;
    static const char *const values[] = {"a,b", "x\"y", "l1\r\nl2", "", "  spaced  ", "张,三"};
    char data[512] = "v\n";
    size_t n = 2;
    for (size_t i = 0; i < XJL_ARRAY_LEN(values); i++) {
        size_t len;
        assert_int_equal(xjl_csv_quote(values[i], XJL_NTS, data + n, sizeof data - n, &len),
                         XJL_OK);
        n += len;
        if (!*values[i])
            n += (size_t)sprintf(data + n, "\"\"");
        data[n++] = '\n';
    }
    xjl_csv *csv = open_data(data, n, XJL_ENC_AUTO);
    for (size_t i = 0; i < XJL_ARRAY_LEN(values); i++) {
        assert_int_equal(xjl_csv_next(csv), 1);
        assert_string_equal(xjl_csv_field(csv, 0, NULL), values[i]);
    }
    assert_int_equal(xjl_csv_next(csv), 0);
    xjl_csv_close(csv);
}

/* ---- blocks of whole rows (parallel reading) ------------------------------ */

/* The next row read through blocks of about want bytes of cutter, each
 * read by a block reader (*blk: the current one, NULL before the first). */
static int next_in_blocks(xjl_csv *cutter, size_t want, struct xjl_csv_block *b, xjl_csv **blk)
{
    for (;;) {
        if (*blk) {
            int rc = xjl_csv_next(*blk);
            if (rc != 0)
                return rc; /* a row, or the block's error */
            xjl_csv_close(*blk);
            *blk = NULL;
        }
        int rc = xjl__csv_take_block(cutter, want, b);
        if (rc != 1)
            return rc;
        assert_true(b->len > 0);
        assert_int_equal(xjl__csv_block_reader(cutter, b, blk), XJL_OK);
    }
}

/* Reads data row by row and, in step, in blocks of about 1, 61 and 4096
 * bytes and the loader's 1 MiB (every row its own block, then cuts falling
 * everywhere): the same rows, fields, line numbers and errors. */
static void check_blocks_agree(const char *data, size_t len, const char *what)
{
    static const size_t wants[] = {1, 61, 4096, 1 << 20};
    char path[512];
    snprintf(path, sizeof path, "%s", write_file("blocks.csv", data, len));
    for (size_t k = 0; k < XJL_ARRAY_LEN(wants); k++) {
        xjl_csv *serial = NULL, *cutter = NULL, *blk = NULL;
        assert_int_equal(xjl_csv_open(&serial, path, XJL_ENC_UTF8), XJL_OK);
        assert_int_equal(xjl_csv_open(&cutter, path, XJL_ENC_UTF8), XJL_OK);
        struct xjl_csv_block b = {0};
        for (size_t row = 1;; row++) {
            int want_rc = xjl_csv_next(serial);
            char want_msg[1024] = "";
            if (want_rc < 0)
                snprintf(want_msg, sizeof want_msg, "%s", xjl_errmsg());
            int got_rc = next_in_blocks(cutter, wants[k], &b, &blk);
            if (got_rc != want_rc)
                fail_msg("%s, blocks of %zu bytes, row %zu: %d in blocks, %d row by row", what,
                         wants[k], row, got_rc, want_rc);
            if (want_rc < 0) {
                assert_string_equal(xjl_errmsg(), want_msg);
                break;
            }
            if (want_rc == 0)
                break;
            if (xjl_csv_line(blk) != xjl_csv_line(serial) ||
                xjl_csv_field_count(blk) != xjl_csv_field_count(serial))
                fail_msg("%s, blocks of %zu bytes, row %zu: line %ld with %zu fields in blocks, "
                         "line %ld with %zu row by row",
                         what, wants[k], row, xjl_csv_line(blk), xjl_csv_field_count(blk),
                         xjl_csv_line(serial), xjl_csv_field_count(serial));
            for (size_t i = 0; i < xjl_csv_field_count(serial); i++) {
                size_t lw, lg;
                const char *fw = xjl_csv_field(serial, i, &lw), *fg = xjl_csv_field(blk, i, &lg);
                if (lw != lg || memcmp(fw, fg, lw) != 0)
                    fail_msg("%s, blocks of %zu bytes, line %ld field %zu: '%s' in blocks, '%s' "
                             "row by row",
                             what, wants[k], xjl_csv_line(serial), i, fg, fw);
            }
        }
        xjl_csv_close(blk);
        xjl_csv_close(cutter);
        xjl_csv_close(serial);
        free(b.text);
    }
}

/* data written over and over until it is longer than the reader's first
 * read (1 MiB): only then are rows cut.  (test_blocks_random goes past the
 * first buffer, 4 MiB, too.) */
static char *repeated(const char *data, size_t len, size_t *out_len)
{
    size_t target = ((size_t)1 << 20) + 100000, n = 0;
    char *out = malloc(target + len);
    while (n < target) {
        memcpy(out + n, data, len);
        n += len;
    }
    *out_len = n;
    return out;
}

/* Blocks give the rows, fields and line numbers that reading row by row
 * gives: every case of the RFC 4180 table, cut everywhere. */
static void test_blocks_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < XJL_ARRAY_LEN(cases); k++) {
        size_t n;
        char *data = repeated(cases[k].data, strlen(cases[k].data), &n);
        check_blocks_agree(data, n, cases[k].what);
        free(data);
    }
    /* A file that ends badly: the error and its line as read row by row. */
    static const char *const bad[] = {
        "x,\"open\nstill open\n3,4\n", /* unterminated quote */
        "\"x\"\"",                     /* ends inside a doubled quote */
    };
    for (size_t k = 0; k < XJL_ARRAY_LEN(bad); k++) {
        size_t n;
        char *good = repeated("a,b\n1,2\n", 8, &n);
        good = realloc(good, n + strlen(bad[k]));
        memcpy(good + n, bad[k], strlen(bad[k]));
        check_blocks_agree(good, n + strlen(bad[k]), bad[k]);
        free(good);
    }
}

/* Random files of what CSV allows (quoted fields with separators, line
 * breaks and doubled quotes, text after a closing quote, quotes inside
 * unquoted fields, LF, CRLF and CR rows, blank lines, no final break). */
static void test_blocks_random(void **state)
{
    (void)state;
    static const char *const fields[] = {
        "a",          "",
        "张三",       "\"x,y\"",
        "\"l1\nl2\"", "\"l1\r\nl2\"",
        "\"l1\rl2\"", "\"he \"\"hi\"\"\"",
        "\"ab\"cd",   "ab\"c",
        "\"\"",       "2019-04-25",
        "\"\n\"",     "\"\",",
    };
    static const char *const breaks[] = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n"};
    uint32_t seed = 12345;
    size_t cap = (size_t)6 << 20;
    char *data = malloc(cap + 4096);
    for (int round = 0; round < 2; round++) {
        size_t n = (size_t)sprintf(data, "h1,h2,h3\n"), size = round ? cap : cap / 4;
        /* mostly plain rows, as registries are, with the odd ones in runs */
        while (n < size) {
            seed = seed * 1103515245u + 12345u;
            bool plain = (seed >> 16) % 8 != 0;
            int nf = 1 + (int)((seed >> 20) % 4);
            for (int f = 0; f < nf; f++) {
                seed = seed * 1103515245u + 12345u;
                n += (size_t)sprintf(data + n, "%s%s", f ? "," : "",
                                     plain ? "abc" : fields[(seed >> 16) % XJL_ARRAY_LEN(fields)]);
            }
            seed = seed * 1103515245u + 12345u;
            n += (size_t)sprintf(data + n, "%s",
                                 plain ? "\n" : breaks[(seed >> 16) % XJL_ARRAY_LEN(breaks)]);
        }
        if (round % 2)
            n -= 1; /* the last row without its line break (or a blank line less) */
        char what[64];
        snprintf(what, sizeof what, "random file %d", round);
        check_blocks_agree(data, n, what);
    }
    free(data);
}

/* A long file read in blocks of the size the registry loader uses. */
static void test_blocks_large(void **state)
{
    (void)state;
    size_t rows = 100000;
    char *data = malloc(rows * 40 + 64);
    size_t n = (size_t)sprintf(data, "id,name\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(data + n, i % 1000 == 7 ? "%zu,\"q\nq\"\r\n" : "%zu,name%zu\n", i, i);
    check_blocks_agree(data, n, "100,000 rows");
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4180_table),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_unterminated_quote_far),
        cmocka_unit_test(test_row_check_table),
        cmocka_unit_test(test_long_field),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_header_nul),
        cmocka_unit_test(test_invalid_utf8_forced),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_gb18030_headers_stay_gb18030),
        cmocka_unit_test(test_gb18030_bad_bytes),
        cmocka_unit_test(test_auto_late_non_ascii),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_key_columns),
        cmocka_unit_test(test_key_field),
        cmocka_unit_test(test_key_columns_missing),
        cmocka_unit_test(test_path_and_accessors),
        cmocka_unit_test(test_encoding_parse),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_quote_round_trip),
        cmocka_unit_test(test_blocks_table),
        cmocka_unit_test(test_blocks_random),
        cmocka_unit_test(test_blocks_large),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_short_and_interrupted_reads),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
