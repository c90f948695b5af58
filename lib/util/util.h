/*
 * util: what every layer of the library shares: the error convention
 * (error.c), UTF-8 (utf8.c), outputs (outfile.c) and the worker pool
 * (pool.c).  Private to the library (hidden visibility); the tests link the
 * static library and may call these too.
 */
#ifndef XJL_UTIL_H
#define XJL_UTIL_H

#include "xjlink.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define XJL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define XJL_LIKELY(x) __builtin_expect(!!(x), 1)
#define XJL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define XJL_PRINTF(a, b)
#define XJL_LIKELY(x) (x)
#define XJL_UNLIKELY(x) (x)
#endif

#define XJL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* "s" after a count other than 1, for English messages ("1 row", "2 rows"). */
#define XJL_PLURAL(n) ((n) == 1 ? "" : "s")

/* ---- error.c ------------------------------------------------------------ */

/* Records a detailed message for xjl_errmsg() in this thread and returns code,
 * so that a failure reads `return xjl__fail(XJL_EINVAL, "...", ...);`. */
int xjl__fail(int code, const char *fmt, ...) XJL_PRINTF(2, 3);
/* The same with the text of catalogue entry id (messages.c) in this
 * thread's language (xjl_set_lang()): what a user is shown.  The entry's
 * conversions must fit the arguments (test_messages checks that both
 * languages have the same ones; the call site is checked by review). */
int xjl__failm(int code, const char *id, ...);
/* ---- stored_text.c ---------------------------------------------------- */

/* A text kept for later readers (audit trail, history, notes) written into
 * buf as catalogue entry id with its arguments (those of the entry's
 * conversions, as for xjl__failm), not in one language: rendered when read
 * by xjl__stored_render() in the reader's language. */
void xjl__stored(char *buf, size_t cap, const char *id, ...);
/* An argument of xjl__stored() that is a catalogue word, read in the
 * reader's language: XJL_STORED_WORD "value.approved". */
#define XJL_STORED_WORD "\x1d"
/* buf (cap bytes) made an XJL_STORED_WORD argument for catalogue word
 * prefix+name ("value." "approved"); returns buf. */
const char *xjl__stored_word(char *buf, size_t cap, const char *prefix, const char *name);
/* A stored text of an entry without arguments, as a literal. */
#define XJL_STORED(id) "\x1e" id
/* Whether text was written by xjl__stored(). */
bool xjl__is_stored(const char *text);
/* text in lang into buf: a stored text by its entry, any other as it is. */
void xjl__stored_render(const char *text, xjl_lang lang, char *buf, size_t cap);

/* xjl_message(id) in this thread's language. */
const char *xjl__msg(const char *id);
/* strerror(err) in this thread's language, for the errors of opening a file. */
const char *xjl__errno_text(int err);
/* The findings that are errors (xjl_finding_is_error), as one bit set, so
 * that "does this field have an error" is one AND on the hot path.
 * test_error checks it against the findings table. */
#define XJL_ERROR_FINDINGS                                                                         \
    (XJL_FINDING_BIT(XJL_F_EMPTY) | XJL_FINDING_BIT(XJL_F_ENCODING) |                              \
     XJL_FINDING_BIT(XJL_F_TOO_LONG) | XJL_FINDING_BIT(XJL_F_NUL) |                                \
     XJL_FINDING_BIT(XJL_F_NAME_CHARS) | XJL_FINDING_BIT(XJL_F_GENDER_VALUE) |                     \
     XJL_FINDING_BIT(XJL_F_DATE_SYNTAX) | XJL_FINDING_BIT(XJL_F_DATE_INVALID) |                    \
     XJL_FINDING_BIT(XJL_F_DATE_RANGE) | XJL_FINDING_BIT(XJL_F_IDTYPE_VALUE) |                     \
     XJL_FINDING_BIT(XJL_F_ID_LENGTH) | XJL_FINDING_BIT(XJL_F_ID_CHARS) |                          \
     XJL_FINDING_BIT(XJL_F_ID_DATE) | XJL_FINDING_BIT(XJL_F_ID_CHECK))

/* Clears the thread's message (a successful call does not have to). */
void xjl__clear_error(void);
/* Copies src (length len, XJL_NTS allowed) into buf as a NUL-terminated
 * string; the XJL_ERANGE convention of the public API. */
int xjl__copy_out(const char *src, size_t len, char *buf, size_t cap, size_t *out_len);

/* ---- utf8.c ------------------------------------------------------------- */

/* Decodes one code point at s[*pos] (len bytes in all), advancing *pos.
 * Returns the code point, or -1 for an invalid or truncated sequence
 * (overlong forms and surrogates are invalid); *pos then points at the bad byte. */
int32_t xjl__utf8_next(const char *s, size_t len, size_t *pos);
/* The same, with the two cases of every name and key field decoded inline:
 * ASCII and a valid 3-byte sequence (all of CJK).  A call across files costs
 * more than the decoding itself on the hot path of every record; anything
 * else (2- and 4-byte forms, every invalid byte) goes to xjl__utf8_next. */
static inline int32_t xjl__utf8_next_fast(const char *str, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = *pos;
    unsigned c = s[i];
    if (c < 0x80) {
        *pos = i + 1;
        return (int32_t)c;
    }
    if ((c & 0xF0) == 0xE0 && len - i > 2 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        /* overlong forms and surrogates: the slow path rejects them */
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *pos = i + 3;
            return (int32_t)cp;
        }
    }
    return xjl__utf8_next(str, len, pos);
}
/* Appends cp as UTF-8 to buf (at least 4 bytes free); returns bytes written.
 * Inline: every name writes each of its characters three times (DISPLAY,
 * BARE, SIMPLIFIED), and the call cost more than the encoding. */
static inline size_t xjl__utf8_put(char *buf, uint32_t cp)
{
    unsigned char *b = (unsigned char *)buf;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
/* Length of s when len is XJL_NTS. */
size_t xjl__len(const char *s, size_t len);
/* Byte offset of the first invalid UTF-8 sequence, or (size_t)-1 if valid. */
size_t xjl__utf8_invalid_at(const char *s, size_t len);

/* ---- grow.c ------------------------------------------------------------- */

/* Makes room for need elements of elem bytes in the array *p of capacity
 * *cap (in elements): when need > *cap, the capacity doubles from *cap (or
 * first_cap for an empty array) until it holds need, and *p is reallocated.
 * Returns XJL_OK, or XJL_ENOMEM with *p and *cap unchanged (the array as it
 * was, still owned by the caller) when the size overflows or realloc fails;
 * no message is set, the caller names what it was growing. */
int xjl__grow_to(void **p, size_t *cap, size_t need, size_t elem, size_t first_cap);
/* The same for an array pointer `ptr` of any type: the element size is its own.
 * Inline check first: most calls find the room already there. */
#define XJL_GROW(ptr, cap, need, first_cap)                                                        \
    ((size_t)(need) <= (cap)                                                                       \
         ? XJL_OK                                                                                  \
         : xjl__grow_to((void **)&(ptr), &(cap), (need), sizeof *(ptr), (first_cap)))

/* ---- outfile.c ---------------------------------------------------------- */

/* A file written beside its destination and renamed over it once written
 * and synced.  Where the system can, it has no name while it is written
 * (O_TMPFILE): a process killed meanwhile leaves nothing behind, where a
 * named file would stay, as large as the result and holding its records.
 * xjl__tmpfile_name() names it ".NAME.tmp-PID-N" beside the destination
 * just before the rename; elsewhere (no O_TMPFILE, no /proc) it has that
 * name from the start.  Its mode: the destination's where there is one,
 * else 0666 less the umask, as a file the caller created would have. */
struct xjl__tmpfile {
    int fd;
    bool unnamed;
    char *name; /* the temporary name, "" while it has none */
};
/* The directory of path ("." for a bare name, "/" for one under the root),
 * malloc'd; NULL when out of memory. */
char *xjl__dir_of(const char *path);
/* fsync of the directory that holds path, so that a rename in it is on
 * disk: 0, or the errno (ENOMEM when the directory's name cannot be made).
 * A file system that cannot sync a directory (EINVAL) has nothing to do. */
int xjl__sync_dir_of(const char *path);
/* XJL_OK, or the error (named after path) with t->fd -1. */
int xjl__tmpfile_open(struct xjl__tmpfile *t, const char *path);
/* 0, or the errno of giving the written file its temporary name. */
int xjl__tmpfile_name(struct xjl__tmpfile *t, const char *path);
/* Removes the temporary name if any (the file itself is closed by the
 * caller) and frees t's memory. */
void xjl__tmpfile_drop(struct xjl__tmpfile *t, bool unlink_name);

/* A file's identity: the same file through any name or link. */
struct xjl__file_id {
    uint64_t dev, ino;
};
/* The identity of the existing file at path (links followed); false if none. */
bool xjl__file_id_of(const char *path, struct xjl__file_id *out);
/* XJL_EINVAL (with a message naming both) when path is an existing file
 * that is one of avoid, or one of inputs or an SQLite companion of one
 * (-wal, -shm, -journal); XJL_OK otherwise. */
int xjl__output_check(const char *path, const struct xjl__file_id *avoid, size_t navoid,
                      const char *const *inputs, size_t ninputs);
/* Checks path as xjl__output_check() does, then opens a temporary file
 * beside it (a regular file) or path itself (a device, a pipe).  Write to
 * xjl__output_stream(); xjl__output_commit() flushes, fsyncs and renames it
 * into place, xjl__output_abort() removes it.  Either frees the handle. */
int xjl__output_open(xjl_output **out, const char *path, const struct xjl__file_id *avoid,
                     size_t navoid, const char *const *inputs, size_t ninputs);
FILE *xjl__output_stream(xjl_output *o);
const char *xjl__output_path(const xjl_output *o);
/* Called after a block is written: starts the disk writes of the block so
 * far (a temporary file only), so that the commit's fsync() waits less. */
void xjl__output_written(xjl_output *o);
int xjl__output_commit(xjl_output *o);
void xjl__output_abort(xjl_output *o);

/* ---- pool.c ------------------------------------------------------------- */

/* Threads for a budget (0: all cores), at most 256.  A budget counts the
 * calling thread: a pool for it starts one thread less. */
unsigned xjl__threads(unsigned requested);

/* Names the calling thread (at most 15 bytes), so that `top -H`, `perf`
 * and a debugger tell the library's threads apart: the pool's workers, the
 * reader and the writer of a roster stream.  Nothing where the system has
 * no thread names. */
void xjl__thread_name(const char *name);

typedef struct xjl__pool xjl__pool;
/* A job: returns XJL_OK, or an error code with the message set by
 * xjl__fail() on the thread it runs on.  worker is 0 on the caller's
 * thread, 1..n on the pool's threads: an index for per-thread scratch. */
typedef int (*xjl__job_fn)(void *arg, unsigned worker);
/* A job the caller owns (on its stack or in its slots) until waited for. */
struct xjl__job {
    xjl__job_fn fn;
    void *arg;
    /* the pool's */
    struct xjl__job *next;
    uint64_t seq;
    int state, rc;
};
/* Starts a pool of nthreads threads (0: none, every job then runs on the
 * caller).  Fewer when the system refuses more; never an error for that. */
int xjl__pool_new(xjl__pool **out, unsigned nthreads);
/* Threads that may run work: the pool's and the caller (worker ids 0..n-1). */
unsigned xjl__pool_workers(const xjl__pool *p);
/* Stops and joins the threads; every submitted job must have been waited for. */
void xjl__pool_free(xjl__pool *p);
/* Queues job j (fn(arg, worker)); the pool's threads take jobs in order. */
void xjl__pool_submit(xjl__pool *p, struct xjl__job *j, xjl__job_fn fn, void *arg);
/* Waits until j is done (a pool with no thread runs the queue up to j on
 * the caller).  XJL_OK, or the pool's first error when j or a job submitted
 * before it failed (j then may not have run): its code is returned and its
 * message set on the caller's thread. */
int xjl__pool_wait(xjl__pool *p, struct xjl__job *j);
/* The pool's first error so far, set on the caller's thread; XJL_OK if none. */
int xjl__pool_error(xjl__pool *p);
/* A slice [from, to) of a range, on worker `worker`. */
typedef int (*xjl__range_fn)(void *ctx, size_t from, size_t to, unsigned worker);
/* Runs fn on [0, n) in slices of grain, on the pool's threads and the
 * caller.  The first error (the failed slice nearest 0) stops the slices
 * after it and is returned with its message on the caller's thread. */
int xjl__pool_for(xjl__pool *p, size_t n, size_t grain, xjl__range_fn fn, void *ctx);
/* A pool for a budget of `threads` (0: all cores), the caller counted,
 * with no more threads than [0, n) has slices of grain: budget 1, or a
 * range of one slice, starts no thread. */
int xjl__pool_for_budget(xjl__pool **out, unsigned threads, size_t n, size_t grain);
/* xjl__pool_for() on a pool made for a budget of `threads` (0: all cores)
 * and freed at the end: budget 1 starts no thread. */
int xjl__pool_run_for(unsigned threads, size_t n, size_t grain, xjl__range_fn fn, void *ctx);

#endif /* XJL_UTIL_H */
