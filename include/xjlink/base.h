/*
 * xjlink/base.h: version, errors, messages in two languages, output files.
 *
 * Part of the public API; include <xjlink.h>, which includes every area in
 * order.  Stable: changes follow the soversion rule of the README.
 */
#ifndef XJLINK_BASE_H
#define XJLINK_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What this build of the library has (XJL_WITH_WORKSPACE), written by the build. */
#include "xjlink_config.h"

#if defined(XJL_BUILDING) && defined(__GNUC__)
#define XJL_API __attribute__((visibility("default")))
#else
#define XJL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/** @name Version */

#define XJL_VERSION_MAJOR 0
#define XJL_VERSION_MINOR 1
#define XJL_VERSION_PATCH 0
#define XJL_VERSION_NUMBER (XJL_VERSION_MAJOR * 10000 + XJL_VERSION_MINOR * 100 + XJL_VERSION_PATCH)
#define XJL_VERSION_STRING "0.1.0"

/** Run-time version string of the library actually linked ("0.1.0"). */
XJL_API const char *xjl_version(void);
/** Run-time version number, comparable with XJL_VERSION_NUMBER. */
XJL_API int xjl_version_number(void);

/* ------------------------------------------------------------------------ */
/** @name Errors */

typedef enum xjl_error {
    XJL_OK = 0,
    XJL_EINVAL = -1,      /**< invalid argument or unusable value */
    XJL_ENOMEM = -2,      /**< out of memory */
    XJL_EENCODING = -3,   /**< text is not valid in its encoding */
    XJL_EIO = -4,         /**< a file could not be read or written */
    XJL_ESTATE = -5,      /**< a step the workflow forbids in this state */
    XJL_ERANGE = -6,      /**< a caller's buffer is too small */
    XJL_EFORMAT = -7,     /**< a file is not of the expected form (header, columns) */
    XJL_ENOTFOUND = -8,   /**< no such record, row or object */
    XJL_EQUOTA = -9,      /**< a quota is exhausted */
    XJL_EDB = -10,        /**< the workspace database failed */
    XJL_EBUSY = -11,      /**< the workspace is locked by another process for too long */
    XJL_EPOLICY = -12,    /**< the host's policy hook refused (window closed, feature off) */
    XJL_EDUPLICATE = -13, /**< the object exists already */
    XJL_ETRUNCATED = -14, /**< an index file ends before its header says it does */
    XJL_ECORRUPT = -15,   /**< an index file's header or a section is damaged */
    XJL_EFOREIGN = -16,   /**< not an index file, or one of another byte order */
    XJL_EVERSION = -17    /**< an index file of a newer format or of other keys: rebuild it */
} xjl_error;

/** Language of the library's messages and labels. */
typedef enum xjl_lang {
    XJL_LANG_EN = 0, /**< English */
    XJL_LANG_ZH = 1  /**< Chinese */
} xjl_lang;

/** Short English description of an error code; never NULL. */
XJL_API const char *xjl_strerror(xjl_error code);
/** Detailed message of the last failing call in this thread ("" if none).
 *  Borrowed; valid until the next failing call in the same thread. */
XJL_API const char *xjl_errmsg(void);
/** Code of the last failing call in this thread (XJL_OK if none since the
 *  thread started or since xjl_error_clear()).  With xjl_errmsg(), the
 *  error of a call whose return value is not a status (a count, a name). */
XJL_API xjl_error xjl_errcode(void);
/** Forgets this thread's last error: xjl_errcode() gives XJL_OK and
 *  xjl_errmsg() "" until the next failing call. */
XJL_API void xjl_error_clear(void);
/** Records code and message as this thread's last error, as the library's
 *  own failures do, and returns code: for code that fails on the library's
 *  behalf (a binding, a sink callback) and wants xjl_errcode() and
 *  xjl_errmsg() to tell why.  message is copied (truncated to 1023 bytes);
 *  NULL stands for xjl_strerror(code). */
XJL_API int xjl_error_set(int code, const char *message);

/* ------------------------------------------------------------------------ */
/** @name Messages in two languages
 *
 * One catalogue holds every text xjlink shows to people: the command-line
 * program's messages, help, progress and output headers, the library's
 * error messages, reasons in words and status words.  Each entry has a
 * stable id ("match.summary.roster") and an English and a Chinese text; the
 * C library, the program and the Python and Java bindings all read the same
 * table, so that a word is translated once.  A text with printf conversions
 * has the same conversions in the same order in both languages.
 */

/** The text of message id in lang.  Borrowed, static, never NULL: an
 *  unknown id gives the id itself, so that a missing text shows where it
 *  is missing instead of failing.  Thread-safe. */
XJL_API const char *xjl_message(const char *id, xjl_lang lang);
/** Whether id is in the catalogue. */
XJL_API bool xjl_message_exists(const char *id);
/** Number of entries; with xjl_message_id(), the whole catalogue in id order. */
XJL_API size_t xjl_message_count(void);
/** The id of entry i (0 .. xjl_message_count() - 1), NULL past the end. */
XJL_API const char *xjl_message_id(size_t i);
/** The language of this thread's error messages (xjl_errmsg()): English
 *  unless set.  Each thread has its own; a host serving users in both
 *  languages sets it per request.  An unknown value is refused with XJL_EINVAL. */
XJL_API int xjl_set_lang(xjl_lang lang);
/** This thread's language of error messages. */
XJL_API xjl_lang xjl_get_lang(void);
/** xjl_strerror() in lang; never NULL. */
XJL_API const char *xjl_strerror_lang(xjl_error code, xjl_lang lang);
/** The system's reason for errno value err in lang (a file not found, no
 *  permission, a full disk, a file too large, a read-only file system, …),
 *  as the library's own messages name it; strerror()'s text for the rarer
 *  ones.  Never NULL. */
XJL_API const char *xjl_errno_text(int err, xjl_lang lang);

/** Length argument meaning "the string is NUL-terminated". */
#define XJL_NTS ((size_t)-1)

/** Decodes the UTF-8 code point at s[*pos] (len bytes in all) as every text
 *  field of the library is decoded, and advances *pos past it.
 *  @return the code point, or -1 for an invalid or truncated sequence
 *          (overlong forms and surrogates are invalid; *pos then stays at
 *          the bad byte) and at the end (*pos >= len). */
XJL_API int32_t xjl_utf8_next(const char *s, size_t len, size_t *pos);

/* ------------------------------------------------------------------------ */
/** @name Output files
 *
 * Every file the library writes (xjl_dedup_write_csv(), xjl_dedup_save(),
 * xjl_intake_export_not_found(), ...) is written this way, and a program
 * over the library can write its own outputs the same way:
 *
 *  - an output that is one of the run's inputs is refused before anything
 *    is opened: the same file by device and inode, through any symbolic or
 *    hard link, and an SQLite file's -wal, -shm and -journal companions;
 *  - the text goes to a temporary file in the destination's directory,
 *    which is flushed to disk (fsync) and renamed over the destination only
 *    when it is complete: a failed or killed run leaves the previous file
 *    (or none), never a truncated one that looks like a result;
 *  - a destination that is not a regular file (a terminal, /dev/null, a
 *    pipe) is written in place; a symbolic link's target is replaced;
 *  - "-" is the standard output, as for xjl_csv_writer_open().
 *
 * A handle belongs to one thread at a time.
 */

/** An output file being written. */
typedef struct xjl_output xjl_output;

/** Opens path for writing, refusing it when it is the same file as one of
 *  inputs[0..ninputs) (NULL entries are skipped).
 *  @param out  receives the handle; end it with xjl_output_commit() or
 *              xjl_output_abort(), exactly once
 *  @return XJL_OK; XJL_EINVAL (an input, the message names both; NULL
 *          argument), XJL_EIO (cannot create the file), XJL_ENOMEM. */
XJL_API int xjl_output_open(xjl_output **out, const char *path, const char *const *inputs,
                            size_t ninputs);
/** The stream to write to; borrowed, closed by commit or abort. */
XJL_API FILE *xjl_output_stream(xjl_output *o);
/** Flushes, syncs and renames the file into place, and frees o.
 *  @return XJL_OK, or XJL_EIO (the message names the file and the system's
 *          reason; the temporary file is removed and the destination keeps
 *          its previous content). */
XJL_API int xjl_output_commit(xjl_output *o);
/** Discards what was written (the destination is untouched) and frees o;
 *  NULL is accepted. */
XJL_API void xjl_output_abort(xjl_output *o);

#ifdef __cplusplus
}
#endif

#endif /* XJLINK_BASE_H */
