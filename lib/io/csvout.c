/*
 * csvout.c: writing CSV (RFC 4180), as every result file of the library and
 * of the xjlink program is written.
 *
 * Rows are assembled in a buffer of the writer's own and handed to stdio in
 * large blocks: a fputc/fwrite per piece costs a lock and a call each, which
 * showed in profiles of `xjlink match` (a million rows of eleven fields).
 */
#include "io/io.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_BUF_SIZE (1u << 20)

struct xjl_csv_writer {
    char *path;
    FILE *f;
    xjl_output *file; /* a file (lib/util/outfile.c); NULL for standard output */
    bool first;       /* the next field is the first of its row */
    const char *eol;
    char *buf; /* pending output, OUT_BUF_SIZE bytes */
    size_t len;
};

XJL_API int xjl_csv_writer_open(xjl_csv_writer **out, const char *path, unsigned flags)
{
    return xjl_csv_writer_open_from(out, path, flags, NULL, 0);
}

XJL_API int xjl_csv_writer_open_from(xjl_csv_writer **out, const char *path, unsigned flags,
                                     const char *const *inputs, size_t ninputs)
{
    return xjl__csv_writer_open_avoid(out, path, flags, NULL, 0, inputs, ninputs);
}

int xjl__csv_writer_open_avoid(xjl_csv_writer **out, const char *path, unsigned flags,
                               const struct xjl__file_id *avoid, size_t navoid,
                               const char *const *inputs, size_t ninputs)
{
    if (!out || !path)
        return xjl__fail(XJL_EINVAL, "xjl_csv_writer_open: NULL argument");
    *out = NULL;
    xjl_csv_writer *w = calloc(1, sizeof *w);
    char *buf = malloc(OUT_BUF_SIZE), *p = strdup(path);
    if (!w || !buf || !p) {
        free(w);
        free(buf);
        free(p);
        return xjl__fail(XJL_ENOMEM, "out of memory opening %s for writing", path);
    }
    /* A file: never one of the inputs, written whole or not at all. */
    int rc = XJL_OK;
    if (strcmp(path, "-") == 0)
        w->f = stdout;
    else if ((rc = xjl__output_open(&w->file, path, avoid, navoid, inputs, ninputs)) == XJL_OK)
        w->f = xjl__output_stream(w->file);
    if (rc != XJL_OK) {
        free(w);
        free(buf);
        free(p);
        return rc;
    }
    w->path = p;
    w->buf = buf;
    w->first = true;
    w->eol = (flags & XJL_CSV_EXCEL) ? "\r\n" : "\n";
    if (flags & (XJL_CSV_EXCEL | XJL_CSV_BOM))
        fputs("\xEF\xBB\xBF", w->f);
    *out = w;
    return XJL_OK;
}

/* Hands the pending output to stdio; a failure shows in ferror() at the close. */
static void flush_buf(xjl_csv_writer *w)
{
    if (w->len)
        fwrite(w->buf, 1, w->len, w->f);
    w->len = 0;
    if (w->file)
        xjl__output_written(w->file);
}

static void put(xjl_csv_writer *w, const char *s, size_t n)
{
    if (n > OUT_BUF_SIZE - w->len) {
        flush_buf(w);
        if (n > OUT_BUF_SIZE) { /* a huge field goes out as it is */
            fwrite(s, 1, n, w->f);
            return;
        }
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* Whether a field needs quotes: the rule of xjl_csv_quote() (a comma,
 * quote, CR or LF).  Eight bytes at a time, as this runs for every field
 * written: a word has one of the four bytes when the word XORed with that
 * byte repeated has a zero byte, which (x - 0x01..01) & ~x & 0x80..80 tells
 * exactly. */
static bool needs_quotes(const char *s, size_t n)
{
    static const bool special[256] = {['"'] = true, [','] = true, ['\r'] = true, ['\n'] = true};
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t q = x ^ (ones * '"'), c = x ^ (ones * ','), r = x ^ (ones * '\r'),
                 l = x ^ (ones * '\n');
        if ((((q - ones) & ~q) | ((c - ones) & ~c) | ((r - ones) & ~r) | ((l - ones) & ~l)) & highs)
            return true;
    }
    bool any = false;
    for (; i < n; i++)
        any |= special[(unsigned char)s[i]];
    return any;
}

XJL_API void xjl_csv_writer_field(xjl_csv_writer *w, const char *s, size_t len)
{
    if (!s)
        s = "";
    size_t n = len == XJL_NTS ? strlen(s) : len;
    bool quoted = needs_quotes(s, n);
    if (!quoted && n < OUT_BUF_SIZE - w->len) { /* the usual field: room for it and a comma */
        char *d = w->buf + w->len;
        if (!w->first)
            *d++ = ',';
        memcpy(d, s, n);
        w->len = (size_t)(d + n - w->buf);
        w->first = false;
        return;
    }
    if (!w->first)
        put(w, ",", 1);
    w->first = false;
    if (!quoted) {
        put(w, s, n);
        return;
    }
    put(w, "\"", 1);
    for (size_t from = 0, i = 0; i <= n; i++) /* each quote is doubled */
        if (i == n || s[i] == '"') {
            put(w, s + from, i - from + (i < n));
            from = i;
        }
    put(w, "\"", 1);
}

XJL_API void xjl_csv_writer_end_row(xjl_csv_writer *w)
{
    put(w, w->eol, strlen(w->eol));
    w->first = true;
}

XJL_API int xjl_csv_writer_close(xjl_csv_writer *w)
{
    if (!w)
        return XJL_OK;
    int rc = XJL_OK;
    flush_buf(w);
    if (w->file)
        rc = xjl__output_commit(w->file);
    else if (ferror(w->f) || fflush(w->f) != 0)
        rc = xjl__fail(XJL_EIO, "writing %s failed: %s", w->path, strerror(errno));
    free(w->buf);
    free(w->path);
    free(w);
    return rc;
}

XJL_API void xjl_csv_writer_discard(xjl_csv_writer *w)
{
    if (!w)
        return;
    if (w->file)
        xjl__output_abort(w->file);
    else
        fflush(w->f);
    free(w->buf);
    free(w->path);
    free(w);
}

/* A score is a float the library widened to double.  A float has a 24-bit
 * significand, so v * 100 needs at most 31 bits and is exact in a double;
 * rounding that to an integer with rint() (ties to even, as the default
 * rounding mode) is then what printf does with the exact decimal value of v.
 * Anything else (not a float's value, huge, infinite, NaN) is printf's. */
XJL_API size_t xjl_format_fixed2(double v, char buf[XJL_FIXED2_CAP])
{
    if (!(fabs(v) < 1e15) || (double)(float)v != v)
        return (size_t)snprintf(buf, XJL_FIXED2_CAP, "%.2f", v);
    unsigned long long k = (unsigned long long)rint(fabs(v) * 100.0);
    char digits[24], *d = digits + sizeof digits;
    *--d = (char)('0' + k % 10);
    *--d = (char)('0' + k / 10 % 10);
    *--d = '.';
    k /= 100;
    do
        *--d = (char)('0' + k % 10);
    while (k /= 10);
    if (signbit(v)) /* printf writes "-0.00" for -0.001 and for -0.0 too */
        *--d = '-';
    size_t n = (size_t)(digits + sizeof digits - d);
    memcpy(buf, d, n);
    buf[n] = '\0';
    return n;
}
