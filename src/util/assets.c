/*
 * assets.c: where the files ikrar ships are found (see assets.h).
 *
 * Why a search and not one compiled-in path: the same program runs from a
 * build tree (tests, development), from its install prefix, and from a
 * prefix copied elsewhere; each of those finds its own copy, and no screen
 * ever falls back on the host's fonts.  The running program's folder comes
 * from /proc/self/exe; without /proc the two places beside it are skipped.
 * A miss names the file and every folder looked in, in that order.
 */
#include "ikrar/assets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IKRAR_DATADIR
#error "IKRAR_DATADIR (the install data folder, e.g. /usr/local/share/ikrar) comes from CMake"
#endif

#define NDIRS 4

/* Writes the folder holding the running program into out; 0, or -1 when unknown. */
static int exe_dir(char *out, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", out, n - 1);
    if (len <= 0 || (size_t)len >= n - 1)
        return -1;
    out[len] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}

/* Appends the folder a followed by b to dirs, unless it would not fit. */
static void add_dir(char dirs[][PATH_MAX], int *nd, const char *a, const char *b)
{
    int w = snprintf(dirs[*nd], PATH_MAX, "%s%s", a, b);
    if (w >= 0 && w < PATH_MAX)
        (*nd)++;
}

/* 1 when name is a plain relative path inside the assets folder. */
static int name_ok(const char *name)
{
    if (!name || !*name || name[0] == '/')
        return 0;
    for (const char *p = name; *p; p++)
        if (p[0] == '.' && p[1] == '.' && (p == name || p[-1] == '/') && (p[2] == '/' || !p[2]))
            return 0;
    return 1;
}

int ikr_asset_path(char *out, size_t n, const char *name, ikr_err *e)
{
    char dirs[NDIRS][PATH_MAX];
    int nd = 0;
    if (!out || n == 0 || !name_ok(name))
        return ikr_err_set(e, IKR_E_INTERNAL, "asset name %s", name ? name : "(none)");
    out[0] = '\0';

    const char *env = getenv("IKRAR_ASSETS");
    if (env && *env)
        add_dir(dirs, &nd, env, "");
    char exe[PATH_MAX];
    if (exe_dir(exe, sizeof exe) == 0) {
        add_dir(dirs, &nd, exe, "/assets");
        /* <exe>/../share/ikrar, written without the "..": the message stays short. */
        char *up = strrchr(exe, '/');
        if (up)
            *up = '\0';
        add_dir(dirs, &nd, exe, "/share/ikrar");
    }
    add_dir(dirs, &nd, IKRAR_DATADIR, "");

    for (int i = 0; i < nd; i++) {
        char path[PATH_MAX];
        int len = snprintf(path, sizeof path, "%s/%s", dirs[i], name);
        if (len < 0 || (size_t)len >= sizeof path || access(path, R_OK) != 0)
            continue;
        if ((size_t)len >= n)
            return ikr_err_set(e, IKR_E_INTERNAL, "asset path %s longer than %zu bytes", path,
                               n - 1);
        memcpy(out, path, (size_t)len + 1);
        return IKR_OK;
    }

    /* The detail: the file, then the folders in the order tried (cut to what ikr_err holds). */
    char where[IKR_ERR_DETAIL];
    size_t at = 0;
    where[0] = '\0';
    for (int i = 0; i < nd && at + 1 < sizeof where; i++) {
        int w = snprintf(where + at, sizeof where - at, "%s%s", i ? ", " : "", dirs[i]);
        if (w < 0)
            break;
        at += (size_t)w < sizeof where - at ? (size_t)w : sizeof where - at - 1;
    }
    return ikr_err_set(e, IKR_E_ASSET, "%s; %s", name, where);
}
