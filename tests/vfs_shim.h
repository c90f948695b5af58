/* An SQLite VFS shim for tests, registered as the default over the real
 * one: every call goes to the real VFS, and each xWrite and xSync first asks
 * shim_hook (when set), which returns SQLITE_OK to let the call happen or
 * an error code to return instead (a full disk, a failing device), or does
 * not return at all (a process killed at that write).  Include once, in a
 * test program that includes cmocka. */
#ifndef XJL_TEST_VFS_SHIM_H
#define XJL_TEST_VFS_SHIM_H

#include <sqlite3.h>
#include <stdbool.h>

static sqlite3_vfs *real_vfs;
/* Called before each write (sync false) and fsync (sync true). */
static int (*shim_hook)(bool sync);

struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* the real VFS's file, right after this struct */
};

#define REAL(f) (((struct shim_file *)(void *)(f))->real)

static int shim_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}

static int shim_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int shim_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    int rc = shim_hook ? shim_hook(false) : SQLITE_OK;
    if (rc != SQLITE_OK)
        return rc;
    return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
    int rc = shim_hook ? shim_hook(true) : SQLITE_OK;
    if (rc != SQLITE_OK)
        return rc;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int shim_unlock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int shim_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int shim_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int shim_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int shim_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, p);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods shim_io = {
    .iVersion = 3,
    .xClose = shim_close,
    .xRead = shim_read,
    .xWrite = shim_write,
    .xTruncate = shim_truncate,
    .xSync = shim_sync,
    .xFileSize = shim_size,
    .xLock = shim_lock,
    .xUnlock = shim_unlock,
    .xCheckReservedLock = shim_reserved,
    .xFileControl = shim_control,
    .xSectorSize = shim_sector,
    .xDeviceCharacteristics = shim_device,
    .xShmMap = shim_shm_map,
    .xShmLock = shim_shm_lock,
    .xShmBarrier = shim_shm_barrier,
    .xShmUnmap = shim_shm_unmap,
    .xFetch = shim_fetch,
    .xUnfetch = shim_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct shim_file *s = (struct shim_file *)(void *)f;
    s->real = (sqlite3_file *)(void *)(s + 1);
    int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
    /* the real file's methods set means that it must be closed: ours too */
    s->base.pMethods = s->real->pMethods ? &shim_io : NULL;
    return rc;
}

static sqlite3_vfs shim_vfs;

static void shim_register(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    assert_non_null(real_vfs);
    assert_true(real_vfs->iVersion >= 1);
    shim_vfs = *real_vfs; /* every other method is the real one's */
    shim_vfs.zName = "xjl-shim";
    shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = shim_open;
    shim_vfs.pAppData = real_vfs->pAppData;
    assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
    assert_ptr_equal(sqlite3_vfs_find(NULL), &shim_vfs);
}

#endif
