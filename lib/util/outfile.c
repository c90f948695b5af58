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
 *    looks like a result.  The temporary file has no name while it is
 *    written where the system allows (xjl__tmpfile_open): a killed run
 *    leaves no copy of its records behind either.  The directory is synced
 *    too, so that the rename itself survives a power cut.
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
    char *path;              /* the destination (a symbolic link's target) */
    struct xjl__tmpfile tmp; /* the temporary file (fd -1 when written in place) */
    off_t kicked;            /* bytes of it whose writeback to the disk has been started */
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
        return xjl__failm(XJL_EINVAL, "output.empty_name");
    struct xjl__file_id id;
    if (!xjl__file_id_of(path, &id))
        return XJL_OK; /* a new file is nobody's input */
    for (size_t i = 0; i < navoid; i++)
        if (avoid[i].dev == id.dev && avoid[i].ino == id.ino)
            return xjl__failm(XJL_EINVAL, "output.is_input", path);
    for (size_t i = 0; i < ninputs; i++)
        if (inputs[i] && is_or_companion(&id, inputs[i]))
            return xjl__failm(XJL_EINVAL, "output.same_as_input", path, inputs[i]);
    return XJL_OK;
}

static void output_free(xjl_output *o)
{
    free(o->path);
    xjl__tmpfile_drop(&o->tmp, false);
    free(o);
}

/* ---- a temporary file beside the destination ---------------------------- */

char *xjl__dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

/* t->name: ".NAME.tmp-PID-N" beside path, N a count of the process's. */
static void tmpfile_name_make(struct xjl__tmpfile *t, const char *path, size_t cap)
{
    static atomic_uint counter;
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path + 1) : 0;
    snprintf(t->name, cap, "%.*s.%s.tmp-%ld-%u", (int)dlen, path, path + dlen, (long)getpid(),
             atomic_fetch_add(&counter, 1u));
}

#define TMP_NAME_ROOM 64 /* bytes of a temporary name beyond its destination's */

int xjl__tmpfile_open(struct xjl__tmpfile *t, const char *path)
{
    t->fd = -1;
    t->unnamed = false;
    size_t cap = strlen(path) + TMP_NAME_ROOM;
    char *dir = xjl__dir_of(path);
    if (!(t->name = malloc(cap)) || !dir) {
        free(dir);
        free(t->name);
        t->name = NULL;
        return xjl__failm(XJL_ENOMEM, "output.no_memory", path);
    }
    t->name[0] = '\0';
    /* linking an unnamed file later goes through /proc/self/fd */
    if (access("/proc/self/fd", X_OK) == 0)
        t->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    free(dir);
    t->unnamed = t->fd >= 0;
    for (int attempt = 0; attempt < 100 && t->fd < 0; attempt++) {
        tmpfile_name_make(t, path, cap);
        t->fd = open(t->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (t->fd < 0 && errno != EEXIST)
            break;
    }
    if (t->fd < 0) {
        int e = errno;
        free(t->name);
        t->name = NULL;
        return xjl__failm(XJL_EIO, "output.cannot_write", path, xjl__errno_text(e));
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        (void)fchmod(t->fd, st.st_mode & 07777);
    return XJL_OK;
}

int xjl__tmpfile_name(struct xjl__tmpfile *t, const char *path)
{
    if (!t->unnamed)
        return 0;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", t->fd);
    for (int attempt = 0; attempt < 100; attempt++) {
        tmpfile_name_make(t, path, strlen(path) + TMP_NAME_ROOM);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, t->name, AT_SYMLINK_FOLLOW) == 0) {
            t->unnamed = false;
            return 0;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    t->name[0] = '\0';
    return e;
}

void xjl__tmpfile_drop(struct xjl__tmpfile *t, bool unlink_name)
{
    if (unlink_name && t->name && !t->unnamed && t->name[0])
        unlink(t->name);
    free(t->name);
    t->name = NULL;
}

/* ---- outputs ------------------------------------------------------------- */

/* The temporary file beside the destination (xjl__tmpfile_open). */
static int open_tmp(xjl_output *o)
{
    int rc = xjl__tmpfile_open(&o->tmp, o->path);
    if (rc != XJL_OK)
        return rc;
    if (!(o->f = fdopen(o->tmp.fd, "wb"))) {
        int e = errno;
        close(o->tmp.fd);
        o->tmp.fd = -1;
        xjl__tmpfile_drop(&o->tmp, true);
        return xjl__failm(e == ENOMEM ? XJL_ENOMEM : XJL_EIO, "output.cannot_write", o->path,
                          xjl__errno_text(e));
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
        return xjl__failm(XJL_ENOMEM, "output.no_memory", path);
    o->tmp.fd = -1;
    if (strcmp(path, "-") == 0) { /* the standard output, written in place */
        int fd = dup(STDOUT_FILENO);
        o->path = strdup(path);
        o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!o->f || !o->path) {
            rc = xjl__failm(XJL_EIO, "output.stdout", xjl__errno_text(errno));
            if (!o->f && fd >= 0)
                close(fd);
            if (o->f)
                fclose(o->f);
            output_free(o);
            return rc;
        }
        fflush(stdout); /* what the program printed before comes first */
        *out = o;
        return XJL_OK;
    }
    struct stat st, lst;
    bool exists = stat(path, &st) == 0;
    /* A symbolic link is followed: the file it names is the one replaced. */
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        o->path = realpath(path, NULL);
    else
        o->path = strdup(path);
    if (!o->path) {
        int e = errno;
        rc = xjl__failm(e == ENOMEM ? XJL_ENOMEM : XJL_EIO, "output.cannot_write", path,
                        xjl__errno_text(e));
        output_free(o);
        return rc;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            output_free(o);
            return xjl__failm(XJL_EIO, "output.is_directory", path);
        }
        o->f = fopen(o->path, "wb");
        if (!o->f) {
            rc = xjl__failm(XJL_EIO, "output.cannot_write", path, xjl__errno_text(errno));
            output_free(o);
            return rc;
        }
    } else if ((rc = open_tmp(o)) != XJL_OK) {
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
    xjl__tmpfile_drop(&o->tmp, true);
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
    if (!o || o->tmp.fd < 0)
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

int xjl__sync_dir_of(const char *path)
{
    char *dir = xjl__dir_of(path);
    if (!dir)
        return ENOMEM;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return errno;
    int e = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
    close(fd);
    return e;
}

int xjl__output_commit(xjl_output *o)
{
    if (!o)
        return xjl__fail(XJL_EINVAL, "output: NULL handle");
    bool tmp = o->tmp.fd >= 0;
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = errno ? errno : EIO;
    if (!e && tmp && fsync(fileno(o->f)) != 0)
        e = errno;
    if (!e && tmp)
        e = xjl__tmpfile_name(&o->tmp, o->path);
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    o->f = NULL;
    if (!e && tmp && rename(o->tmp.name, o->path) != 0)
        e = errno;
    if (!e && tmp)
        e = xjl__sync_dir_of(o->path);
    int rc = XJL_OK;
    if (e) {
        /* after a failed rename: the old file stays as it was */
        xjl__tmpfile_drop(&o->tmp, true);
        rc = xjl__failm(e == ENOMEM ? XJL_ENOMEM : XJL_EIO, "output.write_failed", o->path,
                        xjl__errno_text(e));
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
