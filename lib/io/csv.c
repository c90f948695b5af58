/*
 * RFC 4180 reader for rosters and registries as schools and Excel write them.
 *
 * Files have millions of rows, so the reader never allocates per row or per
 * field: text is read with read() in large blocks into one buffer, a row is
 * scanned with SSE2 (64-byte windows of comma, CR and LF positions) and its
 * fields point into that buffer, NUL-terminated and unescaped in place.
 *
 * When a block ends in the middle of a row, the commas the scan had turned
 * into NULs are put back, the partial row is moved to the front, more is
 * read, and the row is scanned again from its start.  Quoted fields are
 * unescaped only once their row is complete.
 *
 * GB18030 (GBK, GB2312) files are converted to UTF-8 in streaming blocks with
 * ICU (ucnv_convertEx through a pivot buffer kept across calls); after that
 * the same scanner runs on the UTF-8 text.
 */
#include "io/io.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucnv.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Bytes per read() and per encoding sniff; a build option (meson
 * -Dcsv_block_bytes=N) makes it tiny for the fuzz targets. */
#ifndef XJL_CSV_BLOCK_BYTES
#define XJL_CSV_BLOCK_BYTES (1 << 20)
#endif
#define CSV_BLOCK ((size_t)XJL_CSV_BLOCK_BYTES)
#define CSV_INITIAL_CAP (4 * CSV_BLOCK) /* decoded-text buffer to start with */
#define CSV_PAD 64                      /* slack after the sentinel for 64-byte windows */
#define CSV_MAX_ROW ((size_t)64 << 20)  /* longer: surely an unterminated quote */
#define CSV_PIVOT 4096                  /* UTF-16 units between the two ICU converters */

#define NEED_MORE 2 /* scan_row: the row does not end inside the buffer yet */
#define ROW 1
#define BLANK 0

/* One field of the current row.  While scanning: s = first byte (the opening
 * quote if quoted), q = closing quote or NULL, e = the separator after it.
 * Once the row is complete: s = the NUL-terminated text, len its length. */
struct fld {
    char *s;
    char *q;
    char *e;
    size_t len;
};

struct xjl_csv {
    int fd;
    char *path;
    xjl_encoding enc;
    char *mapping; /* xjl_csv_set_columns(); NULL: none */

    /* Decoded UTF-8 text: [pos, end) is not parsed yet; buf[end] is a '\n'
     * sentinel so that the scanner needs no bounds check per byte. */
    char *buf;
    size_t cap, pos, end;
    bool eof;     /* no more text will come */
    bool src_eof; /* read() returned 0 */

    /* GB18030 only: raw bytes not yet converted, and the ICU state. */
    UConverter *gb, *utf8;
    char *raw;
    size_t raw_pos, raw_end;
    UChar *pivot; /* CSV_PIVOT units (allocated for GB18030 only: readers are many) */
    UChar *piv_src, *piv_tgt;

    long line;     /* physical line number at pos */
    long row_line; /* first line of the current row */
    long header_line;
    int error; /* sticky: once the file is found bad, every next() says so */

    struct fld *f;
    size_t nf, fcap;
    bool quoted; /* the current row has quoted fields */
    long stray;  /* its first field with text after the closing quote, or -1 */
    /* a workbook's rows by line of its text where a cell's line breaks
     * moved them (xjl__xlsx_to_csv()); NULL otherwise */
    const long *sheet_rows;
    size_t nsheet_rows;
    bool workbook; /* the text is a workbook's, quoted by this library */
    char *win;     /* the separator window of scan_sep(); NULL after the text moved */
    uint64_t bits;

    char *names; /* the header, trimmed, one NUL-terminated name after another */
    const char **cols;
    size_t ncols;

    bool borrowed; /* a block reader: buf, path and the header belong to others */
    /* AUTO, and all text so far was ASCII (the same bytes in UTF-8 and
     * GB18030): the first block with other bytes decides. */
    bool undecided;
};

/* ---- encodings ----------------------------------------------------------- */

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

XJL_API int xjl_encoding_parse(const char *s, xjl_encoding *out)
{
    static const struct {
        const char *name;
        xjl_encoding enc;
    } names[] = {
        {"auto", XJL_ENC_AUTO},       {"utf-8", XJL_ENC_UTF8},  {"utf8", XJL_ENC_UTF8},
        {"gb18030", XJL_ENC_GB18030}, {"gbk", XJL_ENC_GB18030}, {"gb2312", XJL_ENC_GB18030},
        {"cp936", XJL_ENC_GB18030},
    };
    if (!s || !out)
        return xjl__fail(XJL_EINVAL, "xjl_encoding_parse: NULL argument");
    for (size_t i = 0; i < XJL_ARRAY_LEN(names); i++) {
        if (ascii_casecmp(s, names[i].name) == 0) {
            *out = names[i].enc;
            return XJL_OK;
        }
    }
    return xjl__failm(XJL_EINVAL, "csv.unknown_encoding", s);
}

static bool has_bom(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* Whether a block is UTF-8.  A sequence cut off by the end of the block is
 * not held against it when more of the file follows. */
/* GB18030 text read as UTF-8 fails on most of its characters: only the
 * ~15% whose two bytes happen to form a UTF-8 pair (lead C2-DF, trail 80-BF)
 * decode, so valid sequences stay well under the invalid ones.  UTF-8 text
 * with a damaged byte here and there (one bad cell pasted into a sheet) is
 * still UTF-8: read so, its header is right and the bad rows are reported
 * one by one, where reading it as GB18030 would garble every line. */
static bool looks_utf8(const char *s, size_t n, bool whole_file)
{
    size_t pos = 0, valid = 0, invalid = 0;
    while (pos < n) {
        unsigned char b = (unsigned char)s[pos];
        if (b < 0x80) {
            pos++;
            continue;
        }
        size_t at = pos;
        if (xjl__utf8_next(s, n, &pos) >= 0) {
            valid++;
            continue;
        }
        if (!whole_file && n - at < 4 && b >= 0xC2)
            break; /* a character cut at the end of the first block */
        invalid++;
        pos = at + 1;
    }
    return invalid == 0 || valid >= 4 * invalid;
}

/* Whether the first line of a block is UTF-8 with Chinese in it: every byte
 * valid, and at least one three-byte character (the form of every CJK
 * ideograph).  A GB18030 header of Chinese column names almost never reads
 * so: its two-byte characters would each have to fall on a lead byte
 * E0-EF followed by two bytes 80-BF.  So a header like this settles the
 * file as UTF-8 even when the rows of a short file carry more damaged bytes
 * than looks_utf8() tolerates: the damaged rows are then reported one by
 * one, where reading the file as GB18030 would garble the header and make
 * every column look missing. */
static bool header_is_chinese_utf8(const char *s, size_t n, bool whole_file)
{
    const char *nl = memchr(s, '\n', n);
    if (!nl && !whole_file)
        return false; /* the header goes on past the first block */
    size_t len = nl ? (size_t)(nl - s) : n;
    if (xjl__utf8_invalid_at(s, len) != (size_t)-1)
        return false;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xF0) == 0xE0)
            return true; /* valid, so the lead of a three-byte character */
    return false;
}

/* ---- reading blocks ------------------------------------------------------ */

static ssize_t read_some(xjl_csv *c, char *p, size_t n)
{
    ssize_t r;
    do
        r = read(c->fd, p, n);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return xjl__fail(XJL_EIO, "file %s: read failed after line %ld: %s", c->path, c->line,
                         strerror(errno));
    return r;
}

/* Converts raw GB18030 bytes into buf[end..cap), reading more raw bytes as needed. */
static int convert_more(xjl_csv *c)
{
    size_t before = c->end;
    while (c->end == before && !c->eof) {
        if (c->raw_pos == c->raw_end && !c->src_eof) {
            ssize_t n = read_some(c, c->raw, CSV_BLOCK);
            if (n < 0)
                return (int)n;
            c->raw_pos = 0;
            c->raw_end = (size_t)n;
            c->src_eof = n == 0;
        }
        char *t = c->buf + c->end;
        const char *s = c->raw + c->raw_pos;
        UErrorCode err = U_ZERO_ERROR;
        ucnv_convertEx(c->utf8, c->gb, &t, c->buf + c->cap, &s, c->raw + c->raw_end, c->pivot,
                       &c->piv_src, &c->piv_tgt, c->pivot + CSV_PIVOT, false, c->src_eof, &err);
        c->end = (size_t)(t - c->buf);
        c->raw_pos = (size_t)(s - c->raw);
        if (err == U_BUFFER_OVERFLOW_ERROR)
            break; /* the text buffer is full: enough for now */
        if (U_FAILURE(err))
            return xjl__fail(XJL_EENCODING, "file %s: GB18030 conversion failed after line %ld: %s",
                             c->path, c->line, u_errorName(err));
        if (c->src_eof && c->raw_pos == c->raw_end)
            c->eof = true;
    }
    return XJL_OK;
}

static int open_converters(xjl_csv *c, size_t n);

static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* An AUTO file whose text was ASCII so far: the bytes just read at
 * buf[from..end) decide, as the first block decides for others.  GB18030
 * from here on: those bytes become the converter's first raw block (what
 * was read before is ASCII, the same text in either encoding). */
static int decide_late(xjl_csv *c, size_t from)
{
    size_t n = c->end - from;
    if (all_ascii(c->buf + from, n))
        return XJL_OK;
    c->undecided = false;
    if (looks_utf8(c->buf + from, n, c->src_eof))
        return XJL_OK;
    c->enc = XJL_ENC_GB18030;
    c->end = from;
    return open_converters(c, n);
}

/* Moves the unparsed text to the front of the buffer and reads more after it. */
static int fill(xjl_csv *c)
{
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->end -= c->pos;
        c->pos = 0;
    }
    if (c->cap - c->end < CSV_BLOCK / 4) {
        if (c->end >= CSV_MAX_ROW)
            return xjl__failm(XJL_EFORMAT, "csv.row_too_long", c->path, c->line,
                              (size_t)(CSV_MAX_ROW >> 20));
        size_t cap = c->cap * 2;
        char *nb = realloc(c->buf, cap + CSV_PAD);
        if (!nb)
            return xjl__fail(XJL_ENOMEM, "file %s line %ld: out of memory for a row of %zu bytes",
                             c->path, c->line, c->end);
        memset(nb + cap, 0, CSV_PAD);
        c->buf = nb;
        c->cap = cap;
    }
    if (c->gb) {
        int rc = convert_more(c);
        if (rc < 0)
            return rc;
    } else {
        size_t from = c->end;
        ssize_t n = read_some(c, c->buf + c->end, c->cap - c->end);
        if (n < 0)
            return (int)n;
        c->end += (size_t)n;
        c->eof = c->src_eof = n == 0;
        int rc = c->undecided ? decide_late(c, from) : XJL_OK;
        if (rc < 0)
            return rc;
    }
    c->buf[c->end] = '\n';
    c->win = NULL;
    return XJL_OK;
}

/* ---- scanning rows ------------------------------------------------------- */

/* Separators are found 64 bytes at a time: bit k of bits is set when win[k]
 * is a comma, CR or LF.  The window carries over from one field, and one row,
 * to the next, so a row of a registry costs about two windows. */
static inline uint64_t sep_bits(const char *p)
{
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(','), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    uint64_t bits = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, cr)),
                                   _mm_cmpeq_epi8(v, lf));
        bits |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << (16 * k);
    }
    return bits;
#else
    uint64_t bits = 0;
    for (int k = 0; k < 64; k++)
        bits |= (uint64_t)(p[k] == ',' || p[k] == '\r' || p[k] == '\n') << k;
    return bits;
#endif
}

/* The next comma, CR or LF at or after p (the sentinel guarantees one). */
static inline char *scan_sep(xjl_csv *c, char *p)
{
    size_t off;
    if (c->win && p >= c->win && p < c->win + 64) {
        off = (size_t)(p - c->win);
    } else {
        c->win = p;
        c->bits = sep_bits(p);
        off = 0;
    }
    for (;;) {
        uint64_t m = c->bits >> off;
        if (m)
            return p + __builtin_ctzll(m);
        c->win += 64;
        c->bits = sep_bits(c->win);
        p = c->win;
        off = 0;
    }
}

/* The LF bytes of [a, b), and in *special whether a quote or a CR is among
 * them: one pass, 16 bytes at a time (a block of a registry is a megabyte
 * with one LF a row).  Each LF adds one to its byte lane; the lanes are
 * summed (psadbw) before any can pass 255. */
static long count_lf(const char *a, const char *b, bool *special)
{
    long n = 0;
    const char *p = a;
    bool sp = false;
#ifdef __SSE2__
    const __m128i lf = _mm_set1_epi8('\n'), quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                  zero = _mm_setzero_si128();
    while (b - p >= 16) {
        __m128i lanes = zero, odd = zero;
        for (int k = 0; k < 255 && b - p >= 16; k++, p += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, lf));
            odd = _mm_or_si128(odd, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)));
        }
        __m128i sums = _mm_sad_epu8(lanes, zero);
        n += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
        sp |= _mm_movemask_epi8(odd) != 0;
    }
#endif
    for (; p < b; p++) {
        n += *p == '\n';
        sp |= *p == '"' || *p == '\r';
    }
    if (special)
        *special = sp;
    return n;
}

/* Line breaks in [a, b) (inside a quoted field, or a block of rows): LF,
 * CRLF and a lone CR count one each. */
static long count_breaks(const char *a, const char *b)
{
    long n = count_lf(a, b, NULL);
    for (const char *p = a; (p = memchr(p, '\r', (size_t)(b - p))) != NULL; p++)
        if (p + 1 == b || p[1] != '\n')
            n++;
    return n;
}

static int grow_fields(xjl_csv *c)
{
    size_t cap = c->fcap ? c->fcap * 2 : 64;
    struct fld *f = realloc(c->f, cap * sizeof *f);
    if (!f)
        return xjl__fail(XJL_ENOMEM, "file %s line %ld: out of memory for %zu fields", c->path,
                         c->line, cap);
    c->f = f;
    c->fcap = cap;
    return XJL_OK;
}

/* A row that does not end inside the buffer yet: the commas of its first
 * `ended` fields, already turned into NULs, are put back, so that the row can
 * be scanned again once more text has been read. */
static int need_more(xjl_csv *c, size_t ended)
{
    for (size_t i = 0; i < ended; i++)
        *c->f[i].e = ',';
    return NEED_MORE;
}

/* Finds the end of the row at pos, NUL-terminating its fields in place.
 * Returns ROW, BLANK (no content: skipped), NEED_MORE (the buffer is as it
 * was), or a negative error.  On ROW and BLANK, *next is where the following
 * row starts and *breaks the line breaks the row spans (its terminator
 * included); quoted fields are left for finish_quoted(). */
static int scan_row(xjl_csv *c, size_t *next, long *breaks)
{
    char *p = c->buf + c->pos, *end = c->buf + c->end;
    size_t nf = 0, term;
    long inner = 0;
    bool content = false;
    c->quoted = false;
    c->stray = -1;
    for (;;) {
        if (nf == c->fcap) {
            int rc = grow_fields(c);
            if (rc < 0)
                return rc;
        }
        struct fld *f = &c->f[nf++];
        f->s = p;
        f->q = NULL;
        if (*p == '"') {
            char *q = p + 1;
            for (;;) {
                q = memchr(q, '"', (size_t)(end - q));
                if (!q) {
                    if (!c->eof)
                        return need_more(c, nf - 1);
                    return xjl__failm(XJL_EFORMAT, "csv.unterminated_quote", c->path,
                                      c->line + inner, nf, c->line);
                }
                if (q + 1 == end && !c->eof)
                    return need_more(c, nf - 1); /* a doubled quote may follow */
                if (q + 1 < end && q[1] == '"') {
                    q += 2;
                    continue;
                }
                break;
            }
            inner += count_breaks(p + 1, q);
            f->q = q;
            content = c->quoted = true;
            p = scan_sep(c, q + 1); /* text after the closing quote is kept as it is */
            if (p != q + 1 && c->stray < 0)
                c->stray = (long)(nf - 1);
        } else {
            p = scan_sep(c, p);
            content |= p != f->s;
        }
        f->e = p;
        f->len = (size_t)(p - f->s);
        if (p == end) {
            if (!c->eof)
                return need_more(c, nf - 1);
            term = 0; /* last row without a line break */
            break;
        }
        if (*p == ',') {
            *p++ = '\0';
            continue;
        }
        if (*p == '\r') {
            if (p + 1 == end && !c->eof)
                return need_more(c, nf - 1); /* an LF may follow */
            term = (p + 1 < end && p[1] == '\n') ? 2 : 1;
        } else {
            term = 1;
        }
        break;
    }
    *p = '\0';
    c->nf = nf;
    *next = (size_t)(p - c->buf) + term;
    *breaks = inner + (term ? 1 : 0);
    return content ? ROW : BLANK;
}

/* Unescapes the quoted fields of a scanned row, in place. */
static void finish_quoted(xjl_csv *c)
{
    for (size_t i = 0; i < c->nf; i++) {
        struct fld *f = &c->f[i];
        if (!f->q)
            continue;
        char *dst = f->s, *src = f->s + 1;
        while (src < f->q) {
            char *dq = memchr(src, '"', (size_t)(f->q - src));
            size_t n = dq ? (size_t)(dq - src) + 1 : (size_t)(f->q - src);
            memmove(dst, src, n);
            dst += n;
            src += n + (dq ? 1 : 0); /* skip the second quote of a pair */
        }
        size_t tail = (size_t)(f->e - (f->q + 1));
        memmove(dst, f->q + 1, tail);
        dst += tail;
        *dst = '\0';
        f->len = (size_t)(dst - f->s);
    }
}

/* Reads the next row with content into c->f.  1, 0 at the end, or an error. */
static int read_row(xjl_csv *c)
{
    if (c->error)
        return c->error;
    for (;;) {
        int rc;
        if (c->pos == c->end) {
            if (c->eof)
                return 0;
            rc = fill(c);
        } else {
            size_t next = 0;
            long breaks = 0;
            rc = scan_row(c, &next, &breaks);
            if (rc == ROW || rc == BLANK) {
                c->row_line = c->line;
                c->line += breaks;
                c->pos = next;
                if (rc == BLANK)
                    continue;
                if (c->quoted)
                    finish_quoted(c);
                return 1;
            }
            if (rc == NEED_MORE)
                rc = fill(c);
        }
        if (rc < 0) {
            c->error = rc;
            return rc;
        }
    }
}

/* ---- blocks of whole rows ------------------------------------------------
 * A registry of millions of rows is parsed on all cores: the thread that
 * owns the reader only cuts the text into blocks of whole rows, and each
 * block is scanned by a reader of its own (xjl__csv_block_reader) on
 * another thread.  Cutting must agree with scan_row() on where rows end.
 * Without a quote in the span that settles it, a row ends at each line
 * break, so the cut is after the last LF (found with memrchr); otherwise
 * rows are followed one by one as scan_row() would, without writing. */

/* The end of the row at p (after its line break), or NULL when it does not
 * end before end.  Mirrors scan_row(): a quote opens a quoted field only as
 * the field's first byte; text after the closing quote runs to the next
 * separator. */
static const char *row_end(const char *p, const char *end)
{
    for (;;) {
        if (p < end && *p == '"') {
            const char *q = p + 1;
            for (;;) {
                q = memchr(q, '"', (size_t)(end - q));
                if (!q || q + 1 == end)
                    return NULL; /* unterminated so far, or a doubled quote may follow */
                if (q[1] != '"')
                    break;
                q += 2;
            }
            p = q + 1;
        }
        while (p < end && *p != ',' && *p != '\r' && *p != '\n')
            p++;
        if (p == end)
            return NULL;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r') {
            if (p + 1 == end)
                return NULL; /* an LF may follow */
            return p + (p[1] == '\n' ? 2 : 1);
        }
        return p + 1;
    }
}

/* Bytes of whole rows at the start of [p, end), about want of them (0 when
 * not one row ends there yet), and in *breaks the line breaks they span. */
static size_t whole_rows(const char *p, const char *end, size_t want, long *breaks)
{
    size_t span = (size_t)(end - p) < want ? (size_t)(end - p) : want;
    const char *lf = memrchr(p, '\n', span);
    if (lf) {
        /* Without a quote in [p, cut) every LF ends a row, so the cut after
         * the last one is a row boundary.  The same pass counts the LFs and
         * tells whether there is a CR: only then are lone CRs counted too. */
        bool special;
        size_t cut = (size_t)(lf + 1 - p);
        long n = count_lf(p, p + cut, &special);
        if (!special) {
            *breaks = n;
            return cut;
        }
        if (!memchr(p, '"', cut)) {
            *breaks = count_breaks(p, p + cut);
            return cut;
        }
    }
    const char *q = p, *r;
    while ((size_t)(q - p) < span && (r = row_end(q, end)) != NULL)
        q = r;
    *breaks = count_breaks(p, q);
    return (size_t)(q - p);
}

int xjl__csv_take_block(xjl_csv *c, size_t want, struct xjl_csv_block *b)
{
    if (c->error)
        return c->error;
    if (want < 1)
        want = 1;
    for (;;) {
        size_t avail = c->end - c->pos, cut = 0;
        long breaks = 0;
        if (avail == 0 && c->eof)
            return 0;
        if (c->eof) {
            cut = avail; /* the rest is whole rows, the last perhaps without its line break */
            breaks = count_breaks(c->buf + c->pos, c->buf + c->end);
        } else if (avail >= want) {
            cut = whole_rows(c->buf + c->pos, c->buf + c->end, want, &breaks);
            if (cut == 0) /* one row longer than want */
                cut = whole_rows(c->buf + c->pos, c->buf + c->end, avail, &breaks);
        }
        if (cut > 0) {
            if (b->cap < cut + 1 + CSV_PAD) {
                size_t cap = (cut + 1 + CSV_PAD) * 5 / 4;
                char *t = realloc(b->text, cap);
                if (!t)
                    return c->error = xjl__fail(XJL_ENOMEM, "file %s line %ld: out of memory",
                                                c->path, c->line);
                b->text = t;
                b->cap = cap;
            }
            memcpy(b->text, c->buf + c->pos, cut);
            b->text[cut] = '\n'; /* the scanner's sentinel */
            memset(b->text + cut + 1, 0, CSV_PAD);
            b->len = cut;
            b->first_line = c->line;
            c->line += breaks;
            c->pos += cut;
            return 1;
        }
        int rc = fill(c); /* more text, or a larger buffer for a long row */
        if (rc < 0)
            return c->error = rc;
    }
}

long xjl__csv_row_lines(const xjl_csv *c)
{
    return c->quoted && c->line > c->row_line ? c->line - c->row_line : 1;
}

long xjl__csv_stray_quote(const xjl_csv *c)
{
    return c->quoted ? c->stray : -1;
}

bool xjl__csv_from_workbook(const xjl_csv *c)
{
    return c->workbook;
}

int xjl__csv_block_reader(const xjl_csv *parent, const struct xjl_csv_block *b, xjl_csv **out)
{
    xjl_csv *c = calloc(1, sizeof *c);
    if (!c)
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory", parent->path);
    c->borrowed = true;
    c->fd = -1;
    c->path = parent->path;
    c->enc = parent->enc;
    c->buf = b->text;
    c->cap = c->end = b->len;
    c->eof = c->src_eof = true;
    c->line = c->row_line = b->first_line;
    c->header_line = parent->header_line;
    c->sheet_rows = parent->sheet_rows; /* the parent's, as its names */
    c->nsheet_rows = parent->nsheet_rows;
    c->workbook = parent->workbook;
    c->names = parent->names;
    c->cols = parent->cols;
    c->ncols = parent->ncols;
    *out = c;
    return XJL_OK;
}

/* ---- the header ---------------------------------------------------------- */

static int keep_header(xjl_csv *c)
{
    size_t total = 0;
    for (size_t i = 0; i < c->nf; i++)
        total += c->f[i].len + 1;
    c->names = malloc(total ? total : 1);
    c->cols = malloc((c->nf ? c->nf : 1) * sizeof *c->cols);
    if (!c->names || !c->cols)
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory for the header", c->path);
    char *w = c->names;
    for (size_t i = 0; i < c->nf; i++) {
        const char *s = c->f[i].s;
        size_t n = c->f[i].len, k;
        if (c->enc == XJL_ENC_UTF8) {
            size_t bad = xjl__utf8_invalid_at(s, n);
            if (bad != (size_t)-1)
                return xjl__fail(XJL_EENCODING,
                                 "file %s line %ld column %zu: header is not valid UTF-8 at byte "
                                 "%zu (is the file GB18030? try encoding gb18030)",
                                 c->path, xjl_csv_line(c), i + 1, bad);
        }
        /* Names are C strings from here on: one cut at a NUL would look up
         * as another column ("a\0b" as "a"), so the header is refused. */
        const char *nul = memchr(s, '\0', n);
        if (nul)
            return xjl__fail(XJL_EFORMAT,
                             "file %s line %ld column %zu: header name '%.*s\\0%.*s' has a NUL "
                             "byte at byte %zu",
                             c->path, xjl_csv_line(c), i + 1, (int)(nul - s), s,
                             (int)(n - (size_t)(nul - s) - 1), nul + 1, (size_t)(nul - s) + 1);
        while ((k = xjl__space_at(s, n)) != 0) {
            s += k;
            n -= k;
        }
        while ((k = xjl__space_before(s, n)) != 0)
            n -= k;
        memcpy(w, s, n);
        w[n] = '\0';
        c->cols[i] = w;
        w += n + 1;
    }
    c->ncols = c->nf;
    c->header_line = c->row_line;
    /* Until the first next(), the current row is the header. */
    for (size_t i = 0; i < c->ncols; i++) {
        c->f[i].s = (char *)c->cols[i];
        c->f[i].len = strlen(c->cols[i]);
    }
    return XJL_OK;
}

/* ---- opening and closing ------------------------------------------------- */

XJL_API void xjl_csv_close(xjl_csv *c)
{
    if (!c)
        return;
    if (c->borrowed) {
        free(c->f);
        free(c);
        return;
    }
    if (c->fd >= 0)
        close(c->fd);
    if (c->gb)
        ucnv_close(c->gb);
    if (c->utf8)
        ucnv_close(c->utf8);
    free(c->raw);
    free(c->pivot);
    free(c->buf);
    free(c->f);
    free((void *)c->sheet_rows);
    free(c->names);
    free(c->cols);
    free(c->path);
    free(c->mapping);
    free(c);
}

XJL_API int xjl_csv_set_columns(xjl_csv *c, const char *mapping)
{
    if (!c || c->borrowed)
        return xjl__fail(XJL_EINVAL, "xjl_csv_set_columns: NULL or block reader");
    char *m = mapping && *mapping ? strdup(mapping) : NULL;
    if (mapping && *mapping && !m)
        return xjl__fail(XJL_ENOMEM, "out of memory");
    free(c->mapping);
    c->mapping = m;
    /* a mapping that does not fit the header is said now */
    int cols[5];
    int rc = xjl_csv_key_columns(c, cols);
    return rc == XJL_EINVAL || (rc < 0 && m && strstr(xjl_errmsg(), "column mapping")) ? rc
                                                                                       : XJL_OK;
}

static int open_converters(xjl_csv *c, size_t n)
{
    UErrorCode err = U_ZERO_ERROR;
    c->gb = ucnv_open("gb18030", &err);
    if (U_SUCCESS(err))
        c->utf8 = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err))
        return xjl__fail(XJL_EENCODING, "file %s: cannot open the GB18030 converter: %s", c->path,
                         u_errorName(err));
    c->raw = malloc(n > CSV_BLOCK ? n : CSV_BLOCK);
    c->pivot = malloc(CSV_PIVOT * sizeof *c->pivot);
    if (!c->raw || !c->pivot)
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory", c->path);
    /* the sniffed block is GB18030 (at buf + end: the first block, or the
     * first one with non-ASCII bytes): convert it first */
    memcpy(c->raw, c->buf + c->end, n);
    c->raw_pos = 0;
    c->raw_end = n;
    c->eof = false;
    c->piv_src = c->piv_tgt = c->pivot;
    int rc = convert_more(c);
    c->buf[c->end] = '\n';
    return rc;
}

static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO (named pipe)"
           : S_ISDIR(m)  ? "a directory"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

/* Inputs are regular files, or standard input named "-": a FIFO without a
 * writer would block in open() forever, and a device may never end.  The
 * file is opened without blocking to look at it first. */
static int open_input(xjl_csv *c, const char *path)
{
    if (strcmp(path, "-") == 0) {
        c->fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
        if (c->fd < 0)
            return xjl__fail(XJL_EIO, "standard input: cannot read: %s", strerror(errno));
        return XJL_OK;
    }
    c->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (c->fd < 0)
        return xjl__failm(XJL_EIO, "csv.cannot_open", path, xjl__errno_text(errno));
    struct stat st;
    if (fstat(c->fd, &st) != 0)
        return xjl__failm(XJL_EIO, "csv.cannot_open", path, xjl__errno_text(errno));
    if (!S_ISREG(st.st_mode))
        return xjl__fail(XJL_EIO,
                         "file %s: is %s; give a regular file, or '-' to read standard input", path,
                         file_kind(st.st_mode));
    int fl = fcntl(c->fd, F_GETFL);
    if (fl < 0 || fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
        return xjl__failm(XJL_EIO, "csv.cannot_open", path, xjl__errno_text(errno));
    return XJL_OK;
}

static int open_file(xjl_csv *c, const char *path, xjl_encoding enc)
{
    c->path = strdup(path);
    c->cap = CSV_INITIAL_CAP;
    c->buf = malloc(c->cap + CSV_PAD);
    if (!c->path || !c->buf)
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
    memset(c->buf + c->cap, 0, CSV_PAD);
    int rc = open_input(c, path);
    if (rc < 0)
        return rc;
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(c->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

    /* The first block decides the encoding. */
    size_t n = 0;
    while (n < CSV_BLOCK && !c->src_eof) {
        ssize_t r = read_some(c, c->buf + n, CSV_BLOCK - n);
        if (r < 0)
            return (int)r;
        n += (size_t)r;
        c->src_eof = r == 0;
    }
    if (has_bom(c->buf, n))
        enc = XJL_ENC_UTF8; /* a UTF-8 BOM cannot start a GB18030 text file */
    else if (enc == XJL_ENC_AUTO) {
        c->undecided = !c->src_eof && all_ascii(c->buf, n);
        enc = header_is_chinese_utf8(c->buf, n, c->src_eof) || looks_utf8(c->buf, n, c->src_eof)
                  ? XJL_ENC_UTF8
                  : XJL_ENC_GB18030;
    }
    c->enc = enc;
    c->line = 1;

    if (enc == XJL_ENC_GB18030) {
        int rc = open_converters(c, n);
        if (rc < 0)
            return rc;
    } else {
        c->end = n;
        c->eof = c->src_eof;
        c->buf[c->end] = '\n';
    }
    /* GB18030's own BOM converts to U+FEFF too. */
    if (has_bom(c->buf, c->end))
        c->pos = 3;

    rc = read_row(c);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return xjl__failm(XJL_EFORMAT, "csv.no_header", path);
    return keep_header(c);
}

/* An .xlsx workbook, whatever its name: its first sheet as CSV text in a
 * temporary file (xjl__xlsx_to_csv: line n is the sheet's row n), removed at
 * once and read through the descriptor; messages name the workbook. */
static int open_workbook(xjl_csv **out, const char *path)
{
    const char *dir = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/xjlink-sheet-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return xjl__fail(XJL_EIO, "file %s: cannot make a temporary file in %s: %s", path,
                         dir && *dir ? dir : "/tmp", strerror(errno));
    FILE *f = fdopen(fd, "w");
    long *rows = NULL;
    size_t nrows = 0;
    int rc = f ? xjl__xlsx_to_csv(path, f, &rows, &nrows)
               : xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
    if (f && fclose(f) != 0 && rc == XJL_OK)
        rc = xjl__fail(XJL_EIO, "file %s: cannot write its rows to %s", path, tmp);
    else if (!f)
        close(fd);
    if (rc == XJL_OK)
        rc = xjl_csv_open(out, tmp, XJL_ENC_UTF8);
    unlink(tmp);
    if (rc < 0) {
        /* a message about the temporary file is about the workbook */
        char msg[1024], *at;
        snprintf(msg, sizeof msg, "%s", xjl_errmsg());
        free(rows);
        if ((at = strstr(msg, tmp)) != NULL)
            return xjl__fail(rc, "%.*s%s%s", (int)(at - msg), msg, path, at + strlen(tmp));
        return rc;
    }
    char *p = strdup(path);
    if (!p) {
        free(rows);
        xjl_csv_close(*out);
        *out = NULL;
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
    }
    free((*out)->path);
    (*out)->path = p;
    (*out)->sheet_rows = rows;
    (*out)->nsheet_rows = nrows;
    (*out)->workbook = true;
    return XJL_OK;
}

XJL_API int xjl_csv_open(xjl_csv **out, const char *path, xjl_encoding enc)
{
    if (!out || !path)
        return xjl__fail(XJL_EINVAL, "xjl_csv_open: NULL argument");
    *out = NULL;
    if (strcmp(path, "-") != 0 && xjl_xlsx_is_workbook(path))
        return open_workbook(out, path);
    if (enc != XJL_ENC_AUTO && enc != XJL_ENC_UTF8 && enc != XJL_ENC_GB18030)
        return xjl__fail(XJL_EINVAL, "file %s: unknown encoding %d", path, (int)enc);
    xjl_csv *c = calloc(1, sizeof *c);
    if (!c)
        return xjl__fail(XJL_ENOMEM, "file %s: out of memory", path);
    c->fd = -1;
    int rc = open_file(c, path, enc);
    if (rc < 0) {
        xjl_csv_close(c);
        return rc;
    }
    *out = c;
    return XJL_OK;
}

/* ---- rows and fields ----------------------------------------------------- */

XJL_API int xjl_csv_next(xjl_csv *c)
{
    if (!c)
        return xjl__fail(XJL_EINVAL, "xjl_csv_next: NULL reader");
    int rc = read_row(c);
    if (rc == 0)
        c->nf = 0;
    return rc;
}

XJL_API size_t xjl_csv_field_count(const xjl_csv *c)
{
    return c ? c->nf : 0;
}

XJL_API const char *xjl_csv_field(const xjl_csv *c, size_t i, size_t *len)
{
    if (!c || i >= c->nf) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = c->f[i].len;
    return c->f[i].s;
}

XJL_API size_t xjl_csv_column_count(const xjl_csv *c)
{
    return c ? c->ncols : 0;
}

XJL_API const char *xjl_csv_column_name(const xjl_csv *c, size_t i)
{
    return (c && i < c->ncols) ? c->cols[i] : NULL;
}

XJL_API int xjl_csv_column(const xjl_csv *c, const char *name)
{
    if (!c || !name)
        return -1;
    size_t n = strlen(name), k;
    while ((k = xjl__space_at(name, n)) != 0) {
        name += k;
        n -= k;
    }
    while ((k = xjl__space_before(name, n)) != 0)
        n -= k;
    for (size_t i = 0; i < c->ncols; i++)
        if (strlen(c->cols[i]) == n && memcmp(c->cols[i], name, n) == 0)
            return (int)i;
    return -1;
}

XJL_API long xjl_csv_line(const xjl_csv *c)
{
    if (!c)
        return 0;
    /* a workbook's row, where a cell's line breaks moved it down the text */
    if (c->sheet_rows && c->row_line > 0 && (size_t)c->row_line < c->nsheet_rows &&
        c->sheet_rows[c->row_line])
        return c->sheet_rows[c->row_line];
    return c->row_line;
}

XJL_API const char *xjl_csv_path(const xjl_csv *c)
{
    return c ? c->path : NULL;
}

XJL_API xjl_encoding xjl_csv_encoding(const xjl_csv *c)
{
    return c ? c->enc : XJL_ENC_AUTO;
}

/* ---- key columns --------------------------------------------------------- */

XJL_API int xjl_csv_key_columns(const xjl_csv *c, int cols[5])
{
    if (!c || !cols)
        return xjl__fail(XJL_EINVAL, "xjl_csv_key_columns: NULL argument");
    char where[512];
    snprintf(where, sizeof where, xjl__msg("csv.where_line"), c->path, c->header_line);
    return xjl_key_columns((const char *const *)c->cols, c->ncols, c->mapping, where, cols);
}

/* ---- writing ------------------------------------------------------------- */

XJL_API int xjl_csv_quote(const char *s, size_t len, char *buf, size_t cap, size_t *out_len)
{
    if (!s)
        return xjl__fail(XJL_EINVAL, "xjl_csv_quote: NULL string");
    len = xjl__len(s, len);
    size_t quotes = 0;
    bool special = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"')
            quotes++;
        special |= ch == '"' || ch == ',' || ch == '\r' || ch == '\n';
    }
    if (!special)
        return xjl__copy_out(s, len, buf, cap, out_len);
    size_t need = len + quotes + 2;
    if (out_len)
        *out_len = need;
    if (!buf || cap <= need)
        return xjl__fail(XJL_ERANGE, "buffer of %zu bytes too small: %zu needed", cap, need + 1);
    size_t w = 0;
    buf[w++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            buf[w++] = '"';
        buf[w++] = s[i];
    }
    buf[w++] = '"';
    buf[w] = '\0';
    return XJL_OK;
}
