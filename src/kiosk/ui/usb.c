/*
 * usb.c: the sticks "Salin ke USB" may write to (usb.h).
 */
#include "usb.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/buf.h"
#include "ikrar/file.h"

#define MOUNTINFO_MAX (1u << 20) /* bytes of /proc/self/mountinfo we read */

static void set_drive(usb_drive *d, const char *path)
{
    /* A longer path or label is cut to fit: the return values say so and are not needed. */
    if (snprintf(d->path, sizeof d->path, "%s", path) >= (int)sizeof d->path)
        d->path[sizeof d->path - 1] = '\0';
    const char *slash = strrchr(path, '/');
    if (snprintf(d->label, sizeof d->label, "%s", slash && slash[1] ? slash + 1 : path) >=
        (int)sizeof d->label)
        d->label[sizeof d->label - 1] = '\0';
}

static int octal(char c)
{
    return c >= '0' && c <= '7';
}

/* Undoes mountinfo's octal escapes (\040 for a space) of w[0..n) into out. */
static int unescape(const char *w, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = w[i];
        if (ch == '\\' && i + 3 < n && octal(w[i + 1]) && octal(w[i + 2]) && octal(w[i + 3])) {
            ch = (char)((w[i + 1] - '0') * 64 + (w[i + 2] - '0') * 8 + (w[i + 3] - '0'));
            i += 3;
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = ch;
    }
    out[o] = '\0';
    return 0;
}

/* 1 when the file holds "1" (sysfs's removable flag). */
static int flag_set(const char *path)
{
    FILE *f = fopen(path, "r");
    int c = f ? fgetc(f) : EOF;
    if (f)
        fclose(f);
    return c == '1';
}

/* 1 when block device maj:min is removable or sits on the USB bus. */
static int removable(const char *sysfs, const char *majmin)
{
    char link[600], real[PATH_MAX], p[PATH_MAX + 32];
    snprintf(link, sizeof link, "%s/dev/block/%s", sysfs, majmin);
    if (!realpath(link, real))
        return 0;
    if (strstr(real, "/usb"))
        return 1;
    /* A partition's flag is on its disk, the folder above it. */
    snprintf(p, sizeof p, "%s/removable", real);
    if (flag_set(p))
        return 1;
    snprintf(p, sizeof p, "%s/../removable", real);
    return flag_set(p);
}

size_t usb_find_in(const char *mountinfo, const char *media, const char *sysfs, usb_drive *out,
                   size_t max)
{
    size_t n = 0, mlen = strlen(media);
    const char *line = mountinfo;
    while (line && *line && n < max) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        /* Fields: id parent maj:min root mountpoint ... */
        const char *f[5];
        size_t fl[5];
        const char *q = line, *stop = line + len;
        int k = 0;
        while (k < 5 && q < stop) {
            while (q < stop && *q == ' ')
                q++;
            f[k] = q;
            while (q < stop && *q != ' ')
                q++;
            fl[k] = (size_t)(q - f[k]);
            k++;
        }
        char mp[512], majmin[32];
        if (k == 5 && fl[2] < sizeof majmin && unescape(f[4], fl[4], mp, sizeof mp) == 0 &&
            strncmp(mp, media, mlen) == 0 && mp[mlen] == '/' && mp[mlen + 1]) {
            memcpy(majmin, f[2], fl[2]);
            majmin[fl[2]] = '\0';
            if (removable(sysfs, majmin))
                set_drive(&out[n++], mp);
        }
        line = end ? end + 1 : NULL;
    }
    return n;
}

size_t usb_find(const char *test_roots, usb_drive *out, size_t max)
{
    size_t n = 0;
    if (test_roots) {
        const char *p = test_roots;
        while (*p && n < max) {
            size_t len = strcspn(p, ":");
            if (len > 0 && len < sizeof out[n].path) {
                char path[sizeof out[n].path];
                memcpy(path, p, len);
                path[len] = '\0';
                set_drive(&out[n++], path);
            }
            p += len;
            if (*p == ':')
                p++;
        }
        return n;
    }
    ikr_buf mi;
    ikr_buf_init(&mi);
    if (ikr_file_read("/proc/self/mountinfo", MOUNTINFO_MAX, &mi, NULL) == 0)
        n = usb_find_in((const char *)mi.p, USB_MEDIA_ROOT, "/sys", out, max);
    ikr_buf_free(&mi);
    return n;
}
