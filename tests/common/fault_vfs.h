/*
 * fault_vfs.h: a SQLite VFS for tests that can be told the disk is full.
 * It wraps the default VFS and, while disk_full is set, fails every write
 * with SQLITE_FULL, as a full disk would.  install_vfs() makes it the
 * default for the test process.  Test-only global state.
 */
#ifndef IKRAR_TEST_FAULT_VFS_H
#define IKRAR_TEST_FAULT_VFS_H

#include <sqlite3.h>

static sqlite3_vfs *real_vfs;
static sqlite3_vfs full_vfs;
static int disk_full;

typedef struct wrap_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} wrap_file;

static int w_close(sqlite3_file *f)
{
    wrap_file *w = (wrap_file *)f;
    int rc = w->real->pMethods ? w->real->pMethods->xClose(w->real) : SQLITE_OK;
    return rc;
}
static int w_read(sqlite3_file *f, void *p, int n, sqlite3_int64 o)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xRead(w->real, p, n, o);
}
static int w_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 o)
{
    wrap_file *w = (wrap_file *)f;
    if (disk_full)
        return SQLITE_FULL;
    return w->real->pMethods->xWrite(w->real, p, n, o);
}
static int w_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xTruncate(w->real, size);
}
static int w_sync(sqlite3_file *f, int flags)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xSync(w->real, flags);
}
static int w_size(sqlite3_file *f, sqlite3_int64 *size)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xFileSize(w->real, size);
}
static int w_lock(sqlite3_file *f, int l)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xLock(w->real, l);
}
static int w_unlock(sqlite3_file *f, int l)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xUnlock(w->real, l);
}
static int w_reserved(sqlite3_file *f, int *r)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xCheckReservedLock(w->real, r);
}
static int w_fcntl(sqlite3_file *f, int op, void *arg)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xFileControl(w->real, op, arg);
}
static int w_sector(sqlite3_file *f)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xSectorSize(w->real);
}
static int w_dev(sqlite3_file *f)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xDeviceCharacteristics(w->real);
}
static int w_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xShmMap(w->real, pg, sz, ext, pp);
}
static int w_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xShmLock(w->real, off, n, flags);
}
static void w_shm_barrier(sqlite3_file *f)
{
    wrap_file *w = (wrap_file *)f;
    w->real->pMethods->xShmBarrier(w->real);
}
static int w_shm_unmap(sqlite3_file *f, int del)
{
    wrap_file *w = (wrap_file *)f;
    return w->real->pMethods->xShmUnmap(w->real, del);
}

static const sqlite3_io_methods wrap_methods = {
    2,          w_close,       w_read,      w_write, w_truncate, w_sync, w_size,
    w_lock,     w_unlock,      w_reserved,  w_fcntl, w_sector,   w_dev,  w_shm_map,
    w_shm_lock, w_shm_barrier, w_shm_unmap, NULL,    NULL};

static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    wrap_file *w = (wrap_file *)f;
    w->real = (sqlite3_file *)(w + 1);
    int rc = real_vfs->xOpen(real_vfs, name, w->real, flags, out);
    f->pMethods = rc == SQLITE_OK ? &wrap_methods : NULL;
    return rc;
}

static void install_vfs(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    full_vfs = *real_vfs;
    full_vfs.zName = "ikrar-test-full";
    full_vfs.szOsFile = (int)sizeof(wrap_file) + real_vfs->szOsFile;
    full_vfs.xOpen = v_open;
    sqlite3_vfs_register(&full_vfs, 1);
}

#endif
