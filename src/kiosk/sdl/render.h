/*
 * render.h: turning a kiosk frame (draw.h) into pixels with SDL's render
 * API and SDL_ttf.  This module and loop.c are the only code that knows
 * SDL; render.c alone draws.
 *
 * A kr holds what is worth keeping between frames: the fonts (found through
 * fontconfig, sized from the frame's unit), rasterised lines of text, corner
 * discs for rounded rectangles, QR codes and signatures as textures.  All
 * caches are fixed-size; a frame whose text, QR and ink were seen before
 * allocates nothing.  Textures belong to the SDL_Renderer given to kr_open:
 * close the kr before destroying that renderer.
 */
#ifndef IKRAR_KIOSK_RENDER_H
#define IKRAR_KIOSK_RENDER_H

#include <SDL.h>

#include "draw.h"
#include "ikrar/err.h"

#define KR_TEXT_CACHE 256  /* rasterised lines of text kept as textures */
#define KR_CIRCLE_CACHE 16 /* corner discs (one per radius and colour) kept */
#define KR_TILE_CACHE 16   /* tiles for fills (one per colour) kept, software renderer */
#define KR_TILE 128        /* px a side of such a tile */
#define KR_INK_CACHE 2     /* signatures kept as textures (canvas and review) */
#define KR_MAX_RADIUS 256  /* px: larger corner radii are drawn at this radius */
#define KR_GEO_VERTS 2048  /* vertices batched per SDL_RenderGeometry call */
#define KR_MIN_FONT_PX 6   /* px: no face is opened smaller */

typedef struct kr kr;

/*
 * Opens a renderer over r: finds the regular and bold sans-serif faces
 * through fontconfig ("DejaVu Sans", then any "sans-serif") and starts
 * SDL_ttf.  IKR_E_IO (detail names the face) when no font is found.  Caller
 * closes with kr_close before destroying r.
 */
int kr_open(kr **out, SDL_Renderer *r, ikr_err *e);
/* Frees every texture, font and cache entry.  Accepts NULL. */
void kr_close(kr *k);

/*
 * Drops (and wipes) everything cached from what a signer entered: text,
 * signatures, the receipt's QR.  The loop calls it when Welcome returns, so
 * no trace of one signer stays in the renderer for the next.
 */
void kr_forget(kr *k);

/*
 * The text measurer for app_frame.  It measures in the faces sized for
 * l->unit as l holds it at each call, so app_frame must set the unit
 * (kd_begin) before it measures.  k and l must outlive the measurer.
 */
kd_measure kr_measure(kr *k, const kd_list *l);

/*
 * Draws the frame l onto the renderer's current target (clears to
 * l->clear first; does not present).  Returns IKR_OK, or IKR_E_IO /
 * IKR_E_NOMEM when a font or texture could not be made: the frame is then
 * drawn as far as it could be, and the next call tries again.
 */
int kr_draw(kr *k, const kd_list *l);

/*
 * Reads the pixels of r's current target and writes them as an RGB PNG to
 * png_path, replacing it atomically (png_path.tmp, fsync, rename).  Call
 * after kr_draw and before SDL_RenderPresent.
 */
int kr_screenshot(kr *k, SDL_Renderer *r, const char *png_path, ikr_err *e);

/* Counters for the benchmark: text rasterised, ink re-drawn from scratch. */
typedef struct kr_stats {
    unsigned long text_misses;
    unsigned long ink_rebuilds;
    unsigned long ink_segments; /* pieces of ink drawn into textures so far */
} kr_stats;
kr_stats kr_get_stats(const kr *k);

#endif
