/*
 * file.c: reading a whole file, syncing a folder, removing a tree, and
 * replacing a file atomically.  The last was written by hand six times
 * (QR and ticket PNGs, PDFs, screenshots, the kiosk's hints); the copies
 * differed in whether they synced, followed a planted symbolic link or
 * left the temporary file behind.  Here it is done once.
 */
#include "ikrar/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ikr_file_read(const char *path, size_t max, ikr_buf *out, ikr_err *e)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    ikr_buf_reset(out);
    char chunk[8192];
    int rc = IKR_OK;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
            break;
        }
        if (got == 0)
            break;
        if (out->len + (size_t)got > max) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", path, "file too large");
            break;
        }
        if (ikr_buf_add(out, chunk, (size_t)got)) {
            rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
            break;
        }
    }
    OPENSSL_cleanse(chunk, sizeof chunk);
    if (fd != STDIN_FILENO)
        close(fd);
    if (!rc && ikr_buf_addc(out, 0))
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
    if (!rc)
        out->len--; /* the NUL is there for C strings, not part of the contents */
    return rc;
}

int ikr_file_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

void ikr_file_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (d) {
        while ((de = readdir(d)) != NULL) {
            char p[1400];
            struct stat sb;
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            if (snprintf(p, sizeof p, "%s/%s", dir, de->d_name) >= (int)sizeof p)
                continue;
            /* lstat: a symlink is removed, never followed. */
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                ikr_file_remove_tree(p);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void ikr_file_remove_stale(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = strlen(prefix);
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        char path[IKR_FILE_PATH_MAX], *end;
        struct stat sb;
        const char *p = de->d_name + n;
        if (strncmp(de->d_name, prefix, n) != 0 || *p < '0' || *p > '9')
            continue;
        long pid = strtol(p, &end, 10);
        if ((*end && *end != '.' && *end != '-') || pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* running (or a process we may not signal) */
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        /* lstat, and only what is ours: in a shared /tmp anyone may plant a name. */
        if (lstat(path, &sb) != 0 || sb.st_uid != geteuid())
            continue;
        if (S_ISDIR(sb.st_mode))
            ikr_file_remove_tree(path);
        else if (S_ISREG(sb.st_mode))
            unlink(path);
    }
    closedir(d);
}

/* The code for a failed write: a full or read-only disk is told apart. */
static int io_code(int err)
{
    if (err == ENOSPC || err == EDQUOT || err == EFBIG)
        return IKR_E_DISK_FULL;
    if (err == EROFS)
        return IKR_E_READONLY;
    return IKR_E_IO;
}

/* Records the first failure of o (errno err) and returns its code. */
static int out_fail(ikr_file_out *o, int err, ikr_err *e)
{
    if (!o->rc) {
        o->rc = io_code(err);
        o->err = err;
    }
    return ikr_err_set(e, o->rc, "%s: %s", o->path, strerror(o->err));
}

int ikr_file_out_open(ikr_file_out *o, const char *path, int mode, unsigned flags, ikr_err *e)
{
    size_t n = strlen(path);
    o->fd = -1;
    o->rc = IKR_OK;
    o->err = 0;
    o->flags = flags;
    o->reserved = 0;
    o->tmp[0] = '\0';
    if (n == 0 || n >= sizeof o->path) {
        o->path[0] = '\0';
        o->rc = IKR_E_IO;
        return ikr_err_set(e, IKR_E_IO, "%.64s...: the path is too long", path);
    }
    memcpy(o->path, path, n + 1);
    int own = (flags & IKR_FILE_OWN_TMP) != 0;
    for (int tries = 0; tries < (own ? 4 : 2); tries++) {
        if (own) {
            /* The pid, for ikr_file_remove_stale; random bits, for two namespaces' same pid. */
            unsigned char r[4] = {0};
            (void)RAND_bytes(r, sizeof r);
            snprintf(o->tmp, sizeof o->tmp, "%s.%ld.%02x%02x%02x%02x.tmp", path, (long)getpid(),
                     r[0], r[1], r[2], r[3]);
        } else {
            snprintf(o->tmp, sizeof o->tmp, "%s.tmp", path);
        }
        /* O_EXCL: a symbolic link planted at the temporary name is never followed. */
        o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
        if (o->fd >= 0)
            return IKR_OK;
        int err = errno;
        struct stat sb;
        if (err == EEXIST && own && tries < 3)
            continue; /* someone else's: another name (the last try fails below, never open) */
        /* A crash's leftover is a regular file of ours: removed, and tried once more. */
        if (err == EEXIST && tries == 0 && lstat(o->tmp, &sb) == 0 && S_ISREG(sb.st_mode) &&
            unlink(o->tmp) == 0)
            continue;
        if (err == EEXIST) {
            o->rc = IKR_E_IO;
            o->err = err;
            ikr_err_set(e, IKR_E_IO, "%s: not a regular file, left alone", o->tmp);
        } else {
            out_fail(o, err, e);
        }
        break;
    }
    o->tmp[0] = '\0'; /* not ours: nothing to remove */
    return o->rc;
}

int ikr_file_out_reserve(ikr_file_out *o, size_t n, ikr_err *e)
{
    if (o->rc)
        return ikr_err_set(e, o->rc, "%s: %s", o->path, o->err ? strerror(o->err) : "not open");
    /* glibc writes the blocks itself where the file system cannot allocate them. */
    int err = posix_fallocate(o->fd, 0, (off_t)n);
    if (err)
        return out_fail(o, err, e);
    o->reserved = 1;
    return IKR_OK;
}

int ikr_file_out_write(ikr_file_out *o, const void *p, size_t n, ikr_err *e)
{
    const uint8_t *b = p;
    if (o->rc)
        return ikr_err_set(e, o->rc, "%s: %s", o->path, o->err ? strerror(o->err) : "not open");
    while (n > 0) {
        ssize_t w = write(o->fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return out_fail(o, w < 0 ? errno : EIO, e);
        b += w;
        n -= (size_t)w;
    }
    return IKR_OK;
}

void ikr_file_out_abort(ikr_file_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}

int ikr_file_sync_parent(const char *path)
{
    char dir[IKR_FILE_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    else
        return -1;
    return ikr_file_sync_dir(dir);
}

int ikr_file_out_commit(ikr_file_out *o, ikr_err *e)
{
    int rc = IKR_OK;
    off_t end;
    if (o->rc) {
        rc = ikr_err_set(e, o->rc, "%s: %s", o->path, o->err ? strerror(o->err) : "not open");
    } else if (o->reserved &&
               ((end = lseek(o->fd, 0, SEEK_CUR)) < 0 || ftruncate(o->fd, end) != 0)) {
        rc = out_fail(o, errno, e);
    } else if (!(o->flags & IKR_FILE_NOSYNC) && fsync(o->fd) != 0) {
        rc = out_fail(o, errno, e);
    } else {
        int fd = o->fd;
        o->fd = -1;
        if (close(fd) != 0)
            rc = out_fail(o, errno, e);
        else if (rename(o->tmp, o->path) != 0)
            rc = out_fail(o, errno, e);
        else
            o->tmp[0] = '\0'; /* it is path now */
    }
    ikr_file_out_abort(o);
    if (!rc && !(o->flags & IKR_FILE_NOSYNC))
        (void)ikr_file_sync_parent(o->path); /* best effort: some file systems refuse it */
    return rc;
}

int ikr_file_write_atomic(const char *path, const void *p, size_t n, int mode, ikr_err *e)
{
    ikr_file_out o;
    int rc = ikr_file_out_open(&o, path, mode, 0, e);
    if (!rc)
        rc = ikr_file_out_write(&o, p, n, e);
    if (!rc)
        return ikr_file_out_commit(&o, e);
    ikr_file_out_abort(&o);
    return rc;
}
