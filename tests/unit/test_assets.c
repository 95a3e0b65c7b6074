/*
 * test_assets: ikr_asset_path finds what ikrar ships the way the kiosk and
 * the printers will: from this build folder (build/assets, beside the test
 * program) without help, from $IKRAR_ASSETS first when it is set, and with
 * a miss that names the file and every folder looked in.  Names that would
 * leave the assets folder are refused.  Also: the built-in declaration is
 * the bytes of assets/declarations/netralitas-asn.id.txt, as embedded.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/assets.h"
#include "ikrar/decl.h"

/* 1 when the file at path holds exactly the NUL-terminated text s. */
static int file_is(const char *path, const char *s)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = strlen(s), i = 0;
    int c, same = 1;
    while ((c = fgetc(f)) != EOF)
        if (i >= n || (unsigned char)s[i++] != (unsigned char)c)
            same = 0;
    fclose(f);
    return same && i == n;
}

int main(void)
{
    char path[PATH_MAX], dir[] = "/tmp/ikrar-assets-XXXXXX", sub[PATH_MAX];
    ikr_err e;
    unsetenv("IKRAR_ASSETS");

    const char *fonts[] = {IKR_ASSET_FONT_SANS, IKR_ASSET_FONT_BOLD, IKR_ASSET_FONT_OBLIQUE,
                           IKR_ASSET_FONT_MONO};
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        ikr_err_clear(&e);
        int rc = ikr_asset_path(path, sizeof path, fonts[i], &e);
        check("a shipped font is found from the build folder",
              rc == IKR_OK && access(path, R_OK) == 0);
        size_t n = strlen(path), m = strlen(fonts[i]);
        check("and the path ends in its name", n > m && strcmp(path + n - m, fonts[i]) == 0);
    }

    ikr_err_clear(&e);
    check("the declaration file is found",
          ikr_asset_path(path, sizeof path, "declarations/netralitas-asn.id.txt", &e) == IKR_OK);
    check("the built-in declaration is that file's bytes", file_is(path, ikr_decl_default()));

    ikr_err_clear(&e);
    check("a missing asset is IKR_E_ASSET",
          ikr_asset_path(path, sizeof path, "fonts/NoSuchFont.ttf", &e) == IKR_E_ASSET);
    check("which names the file", strstr(e.detail, "fonts/NoSuchFont.ttf") != NULL);
    check("and the build folder's assets", strstr(e.detail, "/assets") != NULL);
    check("and the install data folder", strstr(e.detail, "/share/ikrar") != NULL);
    check("the out path is left empty", path[0] == '\0');

    const char *bad[] = {"", "/etc/passwd", "../CMakeLists.txt", "fonts/../../x", "fonts/.."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ikr_err_clear(&e);
        check("a name outside the assets folder is refused",
              ikr_asset_path(path, sizeof path, bad[i], &e) == IKR_E_INTERNAL);
    }
    ikr_err_clear(&e);
    check("NULL name refused", ikr_asset_path(path, sizeof path, NULL, &e) == IKR_E_INTERNAL);
    ikr_err_clear(&e);
    check("too short an out buffer",
          ikr_asset_path(path, 8, IKR_ASSET_FONT_SANS, &e) == IKR_E_INTERNAL);

    /* $IKRAR_ASSETS comes first, and a name it lacks is still found further on. */
    if (!mkdtemp(dir)) {
        check("temporary folder", 0);
        return check_report();
    }
    snprintf(sub, sizeof sub, "%s/fonts", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/%s", dir, IKR_ASSET_FONT_SANS);
    FILE *f = fopen(sub, "wb");
    if (f)
        fclose(f);
    setenv("IKRAR_ASSETS", dir, 1);
    ikr_err_clear(&e);
    check("IKRAR_ASSETS is tried first",
          ikr_asset_path(path, sizeof path, IKR_ASSET_FONT_SANS, &e) == IKR_OK &&
              strcmp(path, sub) == 0);
    ikr_err_clear(&e);
    check("then the build folder",
          ikr_asset_path(path, sizeof path, IKR_ASSET_FONT_BOLD, &e) == IKR_OK &&
              strncmp(path, dir, strlen(dir)) != 0);
    ikr_err_clear(&e);
    ikr_asset_path(path, sizeof path, "fonts/NoSuchFont.ttf", &e);
    check("a miss names IKRAR_ASSETS's folder first",
          strncmp(e.detail, "fonts/NoSuchFont.ttf; ", 22) == 0 &&
              strncmp(e.detail + 22, dir, strlen(dir)) == 0);
    unsetenv("IKRAR_ASSETS");
    unlink(sub);
    snprintf(sub, sizeof sub, "%s/fonts", dir);
    rmdir(sub);
    rmdir(dir);
    return check_report();
}
