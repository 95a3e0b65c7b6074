/*
 * file.c: reading a whole file, syncing a folder, removing a tree.
 */
#include "ikrar/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
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
