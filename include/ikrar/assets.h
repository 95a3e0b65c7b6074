/*
 * assets.h: finding the files ikrar ships (assets/ in the source tree:
 * fonts, declarations, demo files), one lookup for every screen and page,
 * so nothing depends on what the host happens to have installed.
 */
#ifndef IKRAR_ASSETS_H
#define IKRAR_ASSETS_H

#include <stddef.h>

#include "err.h"

/* The fonts, as names under the assets folder (assets/fonts/README.md). */
#define IKR_ASSET_FONT_SANS "fonts/DejaVuSans.ttf"
#define IKR_ASSET_FONT_BOLD "fonts/DejaVuSans-Bold.ttf"
#define IKR_ASSET_FONT_OBLIQUE "fonts/DejaVuSans-Oblique.ttf"
#define IKR_ASSET_FONT_MONO "fonts/DejaVuSansMono.ttf"

/*
 * Writes into out (n bytes) the path of the readable file `name` (relative,
 * e.g. IKR_ASSET_FONT_SANS), trying in turn:
 *
 *   1. $IKRAR_ASSETS/name, when set: for tests and development;
 *   2. <folder of the running program>/assets/name: a build tree, where
 *      CMake links build/assets to the source's assets/;
 *   3. <folder of the running program>/../share/ikrar/name: an installed
 *      copy moved elsewhere as a whole (a relocated prefix);
 *   4. <the data folder chosen at build time>/ikrar/name: the install
 *      prefix given to CMake, e.g. /usr/local/share/ikrar.
 *
 * IKR_E_ASSET naming the file and the folders looked in when none has it,
 * IKR_E_INTERNAL for a bad name or a path longer than n.
 */
int ikr_asset_path(char *out, size_t n, const char *name, ikr_err *e);

#endif
