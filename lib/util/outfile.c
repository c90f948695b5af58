/*
 * outfile.c: every file the library and the program write goes through here.
 *
 * Why:
 *  - An output that is one of the inputs (the same file through another
 *    name, a symbolic or a hard link) or the workspace is refused before
 *    anything is opened: `--out` equal to the registry once emptied it.
 *    Sameness is the device and inode, not the name.  An SQLite file's
 *    companions (-wal, -shm, -journal) count as the file: replacing a
 *    workspace's -wal loses its last commits.
 *  - The output is written to a temporary file in the destination's own
 *    directory (so that rename() stays on one file system), flushed to the
 *    disk with fsync(), then renamed over the destination: a run that fails
 *    or is killed leaves the old file or none, never a truncated one that
 *    looks like a result.  The directory is synced too, so that the rename
 *    itself survives a power cut.
 *  - Something that is not a regular file (a terminal, /dev/null, a pipe)
 *    is written in place: it cannot be renamed over, and it holds no result
 *    to lose.
 */
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct xjl_output {
    FILE *f;
    char *path;   /* the destination (a symbolic link's target) */
    char *tmp;    /* the temporary file, NULL when written in place */
    off_t kicked; /* bytes of it whose writeback to the disk has been started */
};

bool xjl__file_id_of(const char *path, struct xjl__file_id *out)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return false;
    out->dev = (uint64_t)st.st_dev;
    out->ino = (uint64_t)st.st_ino;
    return true;
}

/* Whether the existing file at path is id, or one of its SQLite companions. */
static bool is_or_companion(const struct xjl__file_id *id, const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    size_t n = strlen(path);
    char *name = malloc(n + 16);
    bool same = false;
    for (size_t i = 0; name && i < XJL_ARRAY_LEN(sides) && !same; i++) {
        struct xjl__file_id other;
        memcpy(name, path, n);
        strcpy(name + n, sides[i]);
        same = xjl__file_id_of(name, &other) && other.dev == id->dev && other.ino == id->ino;
    }
    free(name);
    return same;
}

int xjl__output_check(const char *path, const struct xjl__file_id *avoid, size_t navoid,
                      const char *const *inputs, size_t ninputs)
{
    if (!path || !*path)
        return xjl__fail(XJL_EINVAL, "output: empty file name");
    struct xjl__file_id id;
    if (!xjl__file_id_of(path, &id))
        return XJL_OK; /* a new file is nobody's input */
    for (size_t i = 0; i < navoid; i++)
        if (avoid[i].dev == id.dev && avoid[i].ino == id.ino)
            return xjl__fail(XJL_EINVAL,
                             "output %s is an input of this run (the same file): "
                             "writing it would destroy the input",
                             path);
    for (size_t i = 0; i < ninputs; i++)
        if (inputs[i] && is_or_companion(&id, inputs[i]))
            return xjl__fail(XJL_EINVAL,
                             "output %s is the same file as the input %s: writing "
                             "it would destroy the input",
                             path, inputs[i]);
    return XJL_OK;
}

static void output_free(xjl_output *o)
{
    free(o->path);
    free(o->tmp);
    free(o);
}

/* The temporary file: ".NAME.tmp-PID-N" beside the destination, created
 * exclusively, with the destination's permissions when it exists (else the
 * umask's, as fopen() would have). */
static int open_tmp(xjl_output *o, const struct stat *old)
{
    static atomic_uint counter;
    const char *slash = strrchr(o->path, '/');
    size_t dlen = slash ? (size_t)(slash - o->path + 1) : 0;
    size_t cap = strlen(o->path) + 64;
    if (!(o->tmp = malloc(cap)))
        return xjl__fail(XJL_ENOMEM, "out of memory writing %s", o->path);
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(o->tmp, cap, "%.*s.%s.tmp-%ld-%u", (int)dlen, o->path, o->path + dlen,
                 (long)getpid(), atomic_fetch_add(&counter, 1u));
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        return xjl__fail(XJL_EIO, "cannot write %s: %s", o->path, strerror(errno));
    if (old)
        (void)fchmod(fd, old->st_mode & 07777);
    if (!(o->f = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return xjl__fail(e == ENOMEM ? XJL_ENOMEM : XJL_EIO, "cannot write %s: %s", o->path,
                         strerror(e));
    }
    return XJL_OK;
}

int xjl__output_open(xjl_output **out, const char *path, const struct xjl__file_id *avoid,
                     size_t navoid, const char *const *inputs, size_t ninputs)
{
    *out = NULL;
    int rc = xjl__output_check(path, avoid, navoid, inputs, ninputs);
    if (rc != XJL_OK)
        return rc;
    xjl_output *o = calloc(1, sizeof *o);
    if (!o)
        return xjl__fail(XJL_ENOMEM, "out of memory writing %s", path);
    struct stat st, lst;
    bool exists = stat(path, &st) == 0;
    /* A symbolic link is followed: the file it names is the one replaced. */
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        o->path = realpath(path, NULL);
    else
        o->path = strdup(path);
    if (!o->path) {
        rc = xjl__fail(errno == ENOMEM ? XJL_ENOMEM : XJL_EIO, "cannot write %s: %s", path,
                       strerror(errno));
        output_free(o);
        return rc;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            output_free(o);
            return xjl__fail(XJL_EIO, "cannot write %s: it is a directory", path);
        }
        o->f = fopen(o->path, "wb");
        if (!o->f) {
            rc = xjl__fail(XJL_EIO, "cannot write %s: %s", path, strerror(errno));
            output_free(o);
            return rc;
        }
    } else if ((rc = open_tmp(o, exists ? &st : NULL)) != XJL_OK) {
        output_free(o);
        return rc;
    }
    *out = o;
    return XJL_OK;
}

FILE *xjl__output_stream(xjl_output *o)
{
    return o->f;
}

const char *xjl__output_path(const xjl_output *o)
{
    return o->path;
}

void xjl__output_abort(xjl_output *o)
{
    if (!o)
        return;
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    output_free(o);
}

/* Starts the disk writes of what was written since the last step of
 * WRITEBACK_STEP bytes, without waiting for them: the fsync() at the commit
 * then waits for the last step only, where it wrote the whole file (0.12 s
 * at the end of a 216 MB match result, with every thread idle).  A failure
 * here is left to that fsync(), which reports it. */
#define WRITEBACK_STEP ((off_t)8 << 20)

void xjl__output_written(xjl_output *o)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (!o || !o->tmp)
        return;
    off_t at = ftello(o->f);
    if (at < 0 || at - o->kicked < WRITEBACK_STEP || fflush(o->f) != 0)
        return;
    (void)sync_file_range(fileno(o->f), o->kicked, at - o->kicked, SYNC_FILE_RANGE_WRITE);
    o->kicked = at;
#else
    (void)o;
#endif
}

/* fsync of the directory that holds path, so that a rename in it is on disk. */
static int sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    /* Some file systems cannot sync a directory (EINVAL): nothing to do then. */
    int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : -1;
    close(fd);
    return rc;
}

int xjl__output_commit(xjl_output *o)
{
    if (!o)
        return xjl__fail(XJL_EINVAL, "output: NULL handle");
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = errno ? errno : EIO;
    if (!e && o->tmp && fsync(fileno(o->f)) != 0)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    o->f = NULL;
    if (!e && o->tmp && rename(o->tmp, o->path) != 0)
        e = errno;
    if (!e && o->tmp && sync_dir(o->path) != 0)
        e = errno;
    int rc = XJL_OK;
    if (e) {
        if (o->tmp)
            unlink(o->tmp); /* after a failed rename: the old file stays as it was */
        rc = xjl__fail(e == ENOMEM ? XJL_ENOMEM : XJL_EIO, "writing %s failed: %s", o->path,
                       strerror(e));
    }
    output_free(o);
    return rc;
}

/* ---- the public face, for programs over the library ---------------------- */

XJL_API int xjl_output_open(xjl_output **out, const char *path, const char *const *inputs,
                            size_t ninputs)
{
    if (!out || !path)
        return xjl__fail(XJL_EINVAL, "xjl_output_open: NULL argument");
    return xjl__output_open(out, path, NULL, 0, inputs, ninputs);
}

XJL_API FILE *xjl_output_stream(xjl_output *o)
{
    return o ? o->f : NULL;
}

XJL_API int xjl_output_commit(xjl_output *o)
{
    return xjl__output_commit(o);
}

XJL_API void xjl_output_abort(xjl_output *o)
{
    xjl__output_abort(o);
}
