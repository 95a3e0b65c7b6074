/*
 * render.c: draws kiosk frames with SDL's render API and SDL_ttf.
 *
 * Design notes.
 *
 * Text is rasterised once per (face, pixel size, colour, string) with
 * TTF_RenderUTF8_Blended and kept as a texture in a fixed table of
 * KR_TEXT_CACHE slots replaced by the clock algorithm.  A cached string is
 * a private copy: the frame's arena is reused every frame.  Colours are
 * baked into textures, never applied by colour modulation: SDL's software
 * renderer blits a modulated texture through its generic per-pixel path,
 * about nine times slower than a plain blended blit.
 *
 * Rounded rectangles are three plain fills and four quadrants of an
 * anti-aliased disc texture (one per radius and colour, KR_CIRCLE_CACHE
 * kept).  With the software renderer, SDL's rectangle fill runs at full
 * speed (0.2 ns a pixel here) only where rows start on 64 bytes, and up to
 * ten times slower elsewhere; so an opaque fill is cut at the first x that
 * is a multiple of 16 pixels: the narrow part before it is copied from a
 * tile (an opaque texture of the colour), the rest filled.  Translucent
 * fills are tiles blitted with alpha modulation, SDL's fast path for a
 * uniform alpha (a blended SDL_RenderFillRect is three times slower).
 *
 * A QR code becomes a texture of one pixel a module (with its quiet zone)
 * and is scaled by the largest whole number that fits, nearest-neighbour,
 * so its modules stay crisp squares.
 *
 * Ink is drawn like a pen: the path runs through the midpoints of the touch
 * points with quadratic curves controlled by the points themselves (it is
 * smooth where they are sparse, and never overshoots), its width follows
 * the speed (0.6..1.4 of the base width, faster is thinner, low-pass
 * filtered along the stroke), every piece is a triangle strip with a
 * one-pixel feather on each side for anti-aliasing, and strokes end in
 * round caps.  Every piece of that path but the last of the last stroke
 * depends only on points already seen, so a signature is drawn
 * incrementally into a texture the size of its box: each frame adds only
 * the pieces of the new points and draws the last one (which still moves
 * with the finger) directly on screen.  A signature that is not the prefix
 * seen before (cleared, another signer) is re-drawn from scratch.
 *
 * Invariants: the renderer's draw blend mode is SDL_BLENDMODE_BLEND and its
 * clip is k->clip outside the functions that change them; every texture
 * is owned by exactly one cache slot; geometry is batched in k->vert/k->idx
 * and flushed before the batch could overflow.
 */
#include "render.h"

#include "ikrar/file.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikrar/assets.h"

/* Font sizes in units, by enum kd_font; TITLE and HUGE are bold. */
static const float font_units[KD_FONT_COUNT] = {0.9f, 1.25f, 1.6f, 2.3f, 3.4f};
static const int font_bold[KD_FONT_COUNT] = {0, 0, 0, 1, 1};

/* Ink speed, in canvas heights a millisecond, at which the pen is widest / thinnest. */
#define INK_V_SLOW 0.00025f
#define INK_V_FAST 0.0040f
#define INK_W_MIN 0.6f
#define INK_W_MAX 1.4f
#define INK_SMOOTH 0.30f /* weight of the newest speed in the width's low-pass filter */
#define INK_STEP_PX 2.5f /* px between samples along a curve */
#define INK_MAX_STEPS 32
#define INK_DISC_MAX 32 /* segments of a round cap, at most */

typedef struct kr_text {
    SDL_Texture *tex; /* the text in its colour on transparent; NULL for a string with no pixels */
    int w, h;
    int font, px;
    kd_color color;
    char *str; /* NULL when the slot is free */
    size_t len;
    int ref; /* clock bit: used since the hand last passed */
} kr_text;

typedef struct kr_circle {
    SDL_Texture *tex; /* 2r x 2r disc in its colour, alpha = coverage x the colour's alpha */
    int r;
    kd_color color;
    unsigned long used;
} kr_circle;

typedef struct kr_tile {
    SDL_Texture *tex[2]; /* KR_TILE x KR_TILE, opaque, of one colour: copied; blended */
    kd_color color;      /* alpha ignored: applied by alpha modulation */
    unsigned long used;
} kr_tile;

typedef struct kr_inkc {
    SDL_Texture *tex;
    const kd_ink *ink; /* key: the app's signature, its box and pen */
    int bw, bh, base;
    uint32_t iw, ih;
    kd_color color;
    size_t s_done;          /* strokes drawn completely into tex */
    size_t p_done;          /* points of stroke s_done whose pieces are in tex */
    uint64_t hash;          /* of every point drawn into tex */
    int dx0, dy0, dx1, dy1; /* bounds of what tex holds (dx0 > dx1: nothing) */
    unsigned long used;
} kr_inkc;

typedef struct kr_qrc {
    SDL_Texture *tex;
    const ikr_qr *qr;
    int version, width;
    uint64_t hash;
} kr_qrc;

struct kr {
    SDL_Renderer *r;
    int software;           /* SDL's software renderer: fills are tiled */
    char face[2][PATH_MAX]; /* regular, bold */
    TTF_Font *font[KD_FONT_COUNT];
    int font_px[KD_FONT_COUNT];
    int unit;             /* the unit the faces are open for; 0 none */
    const kd_list *mlist; /* the list whose unit kr_measure reads */
    kr_text text[KR_TEXT_CACHE];
    int hand;
    kr_circle circle[KR_CIRCLE_CACHE];
    kr_inkc inkc[KR_INK_CACHE];
    kr_qrc qrc;
    kr_tile tile[KR_TILE_CACHE];
    unsigned long frame;
    SDL_Rect clip;
    int clipped;
    SDL_Vertex vert[KR_GEO_VERTS];
    int idx[KR_GEO_VERTS * 6];
    int nv, ni;
    float *pw; /* per-point scratch for one stroke: x, y, half width */
    size_t pw_cap;
    char mbuf[1024]; /* NUL-terminated copies for TTF_SizeUTF8 */
    kr_stats stats;
    int ttf_started;
    char image_path[PATH_MAX]; /* the one image kept (the event's logo) */
    SDL_Texture *image;
    int image_w, image_h, image_failed;
    SDL_Texture *grey; /* the camera's picture (KD_GREY), updated when its gen changes */
    int grey_w, grey_h, grey_set;
    uint32_t grey_gen;
    uint32_t *grey_px; /* scratch: the grey bytes as ARGB */
    size_t grey_cap;
};

/* ---- fonts ---- */

static void close_fonts(kr *k)
{
    for (int f = 0; f < KD_FONT_COUNT; f++) {
        if (k->font[f])
            TTF_CloseFont(k->font[f]);
        k->font[f] = NULL;
    }
    k->unit = 0;
}

/*
 * Makes the faces match unit (opening them at its sizes when it changed).
 * Returns 0, or -1 when a face would not open (then no faces are open).
 */
static int use_unit(kr *k, int unit)
{
    if (unit < 1)
        unit = 1;
    if (unit == k->unit && k->font[0])
        return 0;
    close_fonts(k);
    for (int f = 0; f < KD_FONT_COUNT; f++) {
        int px = (int)lroundf(font_units[f] * (float)unit);
        if (px < KR_MIN_FONT_PX)
            px = KR_MIN_FONT_PX;
        k->font[f] = TTF_OpenFont(k->face[font_bold[f]], px);
        if (!k->font[f]) {
            close_fonts(k);
            return -1;
        }
        TTF_SetFontHinting(k->font[f], TTF_HINTING_LIGHT);
        k->font_px[f] = px;
    }
    k->unit = unit;
    return 0;
}

static int font_index(int font)
{
    return font >= 0 && font < KD_FONT_COUNT ? font : KD_FONT_BODY;
}

/* ---- measuring ---- */

static int measure_width(void *ctx, int font, const char *text, int n)
{
    kr *k = ctx;
    font = font_index(font);
    size_t len = n < 0 ? strlen(text) : (size_t)n;
    if (use_unit(k, k->mlist ? k->mlist->unit : k->unit) != 0)
        return (int)len * 8; /* no face: a rough width keeps the layout going */
    /* TTF_SizeUTF8 wants a C string; long text is measured in pieces cut at characters. */
    int total = 0;
    while (len > 0) {
        size_t take = len < sizeof k->mbuf - 1 ? len : sizeof k->mbuf - 1;
        while (take < len && take > 0 && ((unsigned char)text[take] & 0xC0) == 0x80)
            take--;
        memcpy(k->mbuf, text, take);
        k->mbuf[take] = '\0';
        int w = 0, h = 0;
        if (TTF_SizeUTF8(k->font[font], k->mbuf, &w, &h) == 0)
            total += w;
        text += take;
        len -= take;
    }
    return total;
}

static int measure_height(void *ctx, int font)
{
    kr *k = ctx;
    font = font_index(font);
    if (use_unit(k, k->mlist ? k->mlist->unit : k->unit) != 0)
        return 16;
    return TTF_FontHeight(k->font[font]);
}

kd_measure kr_measure(kr *k, const kd_list *l)
{
    k->mlist = l;
    kd_measure m = {k, measure_width, measure_height};
    return m;
}

/* ---- open, close ---- */

int kr_open(kr **out, SDL_Renderer *r, ikr_err *e)
{
    *out = NULL;
    kr *k = calloc(1, sizeof *k);
    if (!k)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    k->r = r;
    SDL_RendererInfo info;
    k->software = SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    int rc;
    /* The faces ikrar ships (assets/fonts), never the host's: every kiosk looks the same. */
    if ((rc = ikr_asset_path(k->face[0], sizeof k->face[0], IKR_ASSET_FONT_SANS, e)) ||
        (rc = ikr_asset_path(k->face[1], sizeof k->face[1], IKR_ASSET_FONT_BOLD, e)))
        goto fail;
    if (TTF_Init() != 0) {
        rc = ikr_err_set(e, IKR_E_FONT, "SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    k->ttf_started = 1;
    /* Open once now, so a face that cannot be read is an error here, not a blank kiosk. */
    if (use_unit(k, 24) != 0) {
        rc = ikr_err_set(e, IKR_E_FONT, "%s: %s", k->face[0], TTF_GetError());
        goto fail;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    *out = k;
    return IKR_OK;
fail:
    kr_close(k);
    return rc;
}

static void forget_ink(kr_inkc *c)
{
    if (c->tex)
        SDL_DestroyTexture(c->tex);
    memset(c, 0, sizeof *c);
}

/* Empties a text slot; the string may be what a signer typed, so it is wiped. */
static void forget_text(kr_text *t)
{
    if (t->tex)
        SDL_DestroyTexture(t->tex);
    if (t->str) {
        explicit_bzero(t->str, t->len);
        free(t->str);
    }
    memset(t, 0, sizeof *t);
}

void kr_forget(kr *k)
{
    for (int i = 0; i < KR_TEXT_CACHE; i++)
        forget_text(&k->text[i]);
    for (int i = 0; i < KR_INK_CACHE; i++)
        forget_ink(&k->inkc[i]);
    if (k->qrc.tex)
        SDL_DestroyTexture(k->qrc.tex);
    memset(&k->qrc, 0, sizeof k->qrc);
    if (k->pw)
        explicit_bzero(k->pw, k->pw_cap * sizeof *k->pw);
}

void kr_close(kr *k)
{
    if (!k)
        return;
    kr_forget(k);
    if (k->image)
        SDL_DestroyTexture(k->image);
    if (k->grey)
        SDL_DestroyTexture(k->grey);
    free(k->grey_px);
    for (int i = 0; i < KR_CIRCLE_CACHE; i++)
        if (k->circle[i].tex)
            SDL_DestroyTexture(k->circle[i].tex);
    for (int i = 0; i < KR_TILE_CACHE; i++)
        for (int j = 0; j < 2; j++)
            if (k->tile[i].tex[j])
                SDL_DestroyTexture(k->tile[i].tex[j]);
    close_fonts(k);
    if (k->ttf_started)
        TTF_Quit();
    free(k->pw);
    free(k);
}

kr_stats kr_get_stats(const kr *k)
{
    return k->stats;
}

/* ---- small helpers ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}
#define FNV_START 14695981039346656037ULL

static void set_clip(kr *k)
{
    SDL_RenderSetClipRect(k->r, k->clipped ? &k->clip : NULL);
}

static int same_rgb(kd_color a, kd_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static int same_color(kd_color a, kd_color b)
{
    return same_rgb(a, b) && a.a == b.a;
}

/*
 * The opaque tile of c's colour, to copy (blend 0) or to blend (blend 1);
 * made on a miss, replacing the least recently used colour.
 */
static SDL_Texture *tile(kr *k, kd_color c, int blend)
{
    kr_tile *slot = NULL;
    for (int i = 0; i < KR_TILE_CACHE && !slot; i++)
        if ((k->tile[i].tex[0] || k->tile[i].tex[1]) && same_rgb(k->tile[i].color, c))
            slot = &k->tile[i];
    if (!slot) {
        slot = &k->tile[0];
        for (int i = 0; i < KR_TILE_CACHE; i++) {
            kr_tile *t = &k->tile[i];
            int empty = !t->tex[0] && !t->tex[1];
            if (empty || ((slot->tex[0] || slot->tex[1]) && t->used < slot->used))
                slot = t;
        }
        for (int j = 0; j < 2; j++)
            if (slot->tex[j])
                SDL_DestroyTexture(slot->tex[j]);
        memset(slot, 0, sizeof *slot);
        slot->color = c;
    }
    slot->used = k->frame;
    if (slot->tex[blend])
        return slot->tex[blend];
    uint32_t *px = malloc((size_t)KR_TILE * KR_TILE * sizeof *px);
    if (!px)
        return NULL;
    uint32_t v = 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
    for (int i = 0; i < KR_TILE * KR_TILE; i++)
        px[i] = v;
    SDL_Texture *t =
        SDL_CreateTexture(k->r, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STATIC, KR_TILE, KR_TILE);
    if (t) {
        SDL_UpdateTexture(t, NULL, px, KR_TILE * 4);
        SDL_SetTextureBlendMode(t, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
        slot->tex[blend] = t;
    }
    free(px);
    return t;
}

/* Fills a plain rectangle; translucent colours are tiled (see the file's notes). */
static int fill(kr *k, int x, int y, int w, int h, kd_color c)
{
    if (w <= 0 || h <= 0 || c.a == 0)
        return IKR_OK;
    SDL_Rect d = {x, y, w, h};
    SDL_Texture *t = NULL;
    if (k->software && c.a == 255 && x >= 0) {
        int head = (16 - x % 16) % 16;
        if (head < w) {
            SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_NONE);
            SDL_SetRenderDrawColor(k->r, c.r, c.g, c.b, 255);
            SDL_RenderFillRect(k->r, &(SDL_Rect){x + head, y, w - head, h});
            SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_BLEND);
            if (head == 0)
                return IKR_OK;
            w = head;
            d.w = head;
        }
    }
    if (k->software)
        t = tile(k, c, c.a != 255);
    if (!t) {
        /* Blend mode NONE when opaque: SDL's software renderer blends per pixel even at full alpha.
         */
        SDL_SetRenderDrawBlendMode(k->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(k->r, c.r, c.g, c.b, c.a);
        SDL_RenderFillRect(k->r, &d);
        SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_BLEND);
        return k->software ? IKR_E_NOMEM : IKR_OK;
    }
    if (c.a != 255)
        SDL_SetTextureAlphaMod(t, c.a);
    for (int ty = y; ty < y + h; ty += KR_TILE)
        for (int tx = x; tx < x + w; tx += KR_TILE) {
            SDL_Rect dst = {tx, ty, x + w - tx < KR_TILE ? x + w - tx : KR_TILE,
                            y + h - ty < KR_TILE ? y + h - ty : KR_TILE};
            SDL_Rect src = {0, 0, dst.w, dst.h};
            SDL_RenderCopy(k->r, t, &src, &dst);
        }
    return IKR_OK;
}

/* ---- rounded rectangles ---- */

/* The disc texture of radius r in colour col (made on a miss, replacing the least recently used).
 */
static SDL_Texture *circle(kr *k, int r, kd_color col)
{
    kr_circle *slot = &k->circle[0];
    for (int i = 0; i < KR_CIRCLE_CACHE; i++) {
        kr_circle *c = &k->circle[i];
        if (c->tex && c->r == r && same_color(c->color, col)) {
            c->used = k->frame;
            return c->tex;
        }
        if (!c->tex || (slot->tex && c->used < slot->used))
            slot = c;
    }
    int d = 2 * r;
    uint32_t *px = malloc((size_t)d * (size_t)d * sizeof *px);
    if (!px)
        return NULL;
    for (int y = 0; y < d; y++)
        for (int x = 0; x < d; x++) {
            /* Coverage of the pixel, from its centre's distance to the rim. */
            float dx = (float)x + 0.5f - (float)r, dy = (float)y + 0.5f - (float)r;
            float cov = (float)r - sqrtf(dx * dx + dy * dy) + 0.5f;
            cov = cov < 0 ? 0 : cov > 1 ? 1 : cov;
            uint32_t a = (uint32_t)lroundf(cov * (float)col.a);
            px[y * d + x] = a << 24 | (uint32_t)col.r << 16 | (uint32_t)col.g << 8 | col.b;
        }
    SDL_Texture *t =
        SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, d, d);
    if (t) {
        SDL_UpdateTexture(t, NULL, px, d * 4);
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        if (slot->tex)
            SDL_DestroyTexture(slot->tex);
        slot->tex = t;
        slot->r = r;
        slot->color = col;
        slot->used = k->frame;
    }
    free(px);
    return t;
}

static int draw_rect(kr *k, const kd_cmd *c)
{
    int r = c->r;
    if (r > c->w / 2)
        r = c->w / 2;
    if (r > c->h / 2)
        r = c->h / 2;
    if (r > KR_MAX_RADIUS)
        r = KR_MAX_RADIUS;
    if (r < 2)
        return fill(k, c->x, c->y, c->w, c->h, c->color);
    SDL_Texture *t = circle(k, r, c->color);
    if (!t)
        return fill(k, c->x, c->y, c->w, c->h, c->color);
    int x0 = c->x, y0 = c->y, x1 = c->x + c->w - r, y1 = c->y + c->h - r;
    fill(k, x0 + r, y0, c->w - 2 * r, c->h, c->color);
    fill(k, x0, y0 + r, r, c->h - 2 * r, c->color);
    fill(k, x1, y0 + r, r, c->h - 2 * r, c->color);
    const SDL_Rect src[4] = {{0, 0, r, r}, {r, 0, r, r}, {0, r, r, r}, {r, r, r, r}};
    const SDL_Rect dst[4] = {{x0, y0, r, r}, {x1, y0, r, r}, {x0, y1, r, r}, {x1, y1, r, r}};
    for (int i = 0; i < 4; i++)
        SDL_RenderCopy(k->r, t, &src[i], &dst[i]);
    return IKR_OK;
}

static void draw_border(kr *k, const kd_cmd *c)
{
    int t = c->r < 1 ? 1 : c->r;
    if (2 * t >= c->w || 2 * t >= c->h) {
        fill(k, c->x, c->y, c->w, c->h, c->color);
        return;
    }
    fill(k, c->x, c->y, c->w, t, c->color);
    fill(k, c->x, c->y + c->h - t, c->w, t, c->color);
    fill(k, c->x, c->y + t, t, c->h - 2 * t, c->color);
    fill(k, c->x + c->w - t, c->y + t, t, c->h - 2 * t, c->color);
}

/* ---- text ---- */

/*
 * The cached texture of text in font at the current unit, rasterising it on
 * a miss.  Returns the slot, or NULL when it could not be made.
 */
static kr_text *text_slot(kr *k, int font, kd_color color, const char *s, int *err)
{
    size_t len = strlen(s);
    int px = k->font_px[font];
    for (int i = 0; i < KR_TEXT_CACHE; i++) {
        kr_text *t = &k->text[i];
        if (t->str && t->len == len && t->font == font && t->px == px &&
            same_color(t->color, color) && memcmp(t->str, s, len) == 0) {
            t->ref = 1;
            return t;
        }
    }
    /* Clock: skip (and clear) recently used slots; a free slot is taken at once. */
    kr_text *t;
    for (;;) {
        t = &k->text[k->hand];
        k->hand = (k->hand + 1) % KR_TEXT_CACHE;
        if (!t->str || !t->ref)
            break;
        t->ref = 0;
    }
    forget_text(t);
    k->stats.text_misses++;
    char *copy = malloc(len + 1);
    if (!copy) {
        *err = IKR_E_NOMEM;
        return NULL;
    }
    memcpy(copy, s, len + 1);
    SDL_Color fg = {color.r, color.g, color.b, color.a};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(k->font[font], s, fg);
    if (surf) {
        t->tex = SDL_CreateTextureFromSurface(k->r, surf);
        t->w = surf->w;
        t->h = surf->h;
        SDL_FreeSurface(surf);
        if (!t->tex) {
            free(copy);
            *err = IKR_E_NOMEM;
            return NULL;
        }
        SDL_SetTextureBlendMode(t->tex, SDL_BLENDMODE_BLEND);
    }
    /* A string without pixels (blanks) is cached too, so it is not retried every frame. */
    t->str = copy;
    t->len = len;
    t->font = font;
    t->px = px;
    t->color = color;
    t->ref = 1;
    return t;
}

static void draw_text(kr *k, const kd_cmd *c, int *err)
{
    int font = font_index(c->font);
    kr_text *t = text_slot(k, font, c->color, c->text, err);
    if (!t || !t->tex || c->w <= 0 || c->h <= 0)
        return;
    int x = c->x;
    if (c->align == KD_CENTER)
        x = c->x + (c->w - t->w) / 2;
    else if (c->align == KD_RIGHT)
        x = c->x + c->w - t->w;
    SDL_Rect d = {x, c->y + (c->h - t->h) / 2, t->w, t->h};
    SDL_Rect box = {c->x, c->y, c->w, c->h}, vis;
    /* Text wider (or taller) than its box is cut at the box, keeping the aligned side. */
    if (!SDL_IntersectRect(&d, &box, &vis))
        return;
    SDL_Rect src = {vis.x - d.x, vis.y - d.y, vis.w, vis.h};
    SDL_RenderCopy(k->r, t->tex, &src, &vis);
}

/* ---- QR codes ---- */

#define KR_IMAGE_MAX 2048 /* pixels a side: a logo larger than this is not loaded */

/*
 * Loads the PNG at path (the organiser's logo) into k->image, once: a file
 * that cannot be read, is not a PNG or is too large is remembered as failed
 * and nothing is drawn for it, so a bad logo never stops the kiosk.
 */
static void load_image(kr *k, const char *path)
{
    if (strcmp(path, k->image_path) == 0)
        return;
    if (k->image)
        SDL_DestroyTexture(k->image);
    k->image = NULL;
    k->image_failed = 1;
    snprintf(k->image_path, sizeof k->image_path, "%s", path);
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return;
    if (img.width == 0 || img.height == 0 || img.width > KR_IMAGE_MAX ||
        img.height > KR_IMAGE_MAX) {
        png_image_free(&img);
        return;
    }
    img.format = PNG_FORMAT_RGBA;
    size_t stride = (size_t)img.width * 4;
    uint8_t *px = malloc(stride * img.height);
    if (!px) {
        png_image_free(&img);
        return;
    }
    if (png_image_finish_read(&img, NULL, px, (png_int_32)stride, NULL)) {
        k->image = SDL_CreateTexture(k->r, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC,
                                     (int)img.width, (int)img.height);
        if (k->image && SDL_UpdateTexture(k->image, NULL, px, (int)stride) == 0) {
            SDL_SetTextureBlendMode(k->image, SDL_BLENDMODE_BLEND);
            k->image_w = (int)img.width;
            k->image_h = (int)img.height;
            k->image_failed = 0;
        } else if (k->image) {
            SDL_DestroyTexture(k->image);
            k->image = NULL;
        }
    }
    png_image_free(&img);
    free(px);
}

static void draw_image(kr *k, const kd_cmd *c)
{
    load_image(k, c->text);
    if (k->image_failed || !k->image || c->w <= 0 || c->h <= 0)
        return;
    /* Fit inside the box, keeping the image's proportions. */
    int w = c->w, h = (int)((int64_t)c->w * k->image_h / k->image_w);
    if (h > c->h) {
        h = c->h;
        w = (int)((int64_t)c->h * k->image_w / k->image_h);
    }
    SDL_Rect dst = {c->x + (c->w - w) / 2, c->y + (c->h - h) / 2, w, h};
    SDL_RenderCopy(k->r, k->image, NULL, &dst);
}

/*
 * A grey picture from memory (the verify screen's camera): one streaming
 * texture, made again only when the picture's size changes and filled again
 * only when its gen does, so a redraw for other reasons uploads nothing.
 */
static void draw_grey(kr *k, const kd_cmd *c, int *err)
{
    if (c->w <= 0 || c->h <= 0 || !c->grey || c->gw < 1 || c->gh < 1)
        return;
    if (!k->grey || k->grey_w != c->gw || k->grey_h != c->gh) {
        if (k->grey)
            SDL_DestroyTexture(k->grey);
        k->grey = SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                    c->gw, c->gh);
        k->grey_set = 0;
        if (!k->grey) {
            *err = IKR_E_NOMEM;
            return;
        }
        SDL_SetTextureScaleMode(k->grey, SDL_ScaleModeLinear);
        k->grey_w = c->gw;
        k->grey_h = c->gh;
    }
    if (!k->grey_set || k->grey_gen != c->gen) {
        size_t n = (size_t)c->gw * (size_t)c->gh;
        if (k->grey_cap < n) {
            uint32_t *p = realloc(k->grey_px, n * sizeof *p);
            if (!p) {
                *err = IKR_E_NOMEM;
                return;
            }
            k->grey_px = p;
            k->grey_cap = n;
        }
        for (size_t i = 0; i < n; i++)
            k->grey_px[i] = 0xff000000u | (uint32_t)c->grey[i] * 0x010101u;
        if (SDL_UpdateTexture(k->grey, NULL, k->grey_px, c->gw * 4) != 0) {
            *err = IKR_E_NOMEM;
            return;
        }
        k->grey_gen = c->gen;
        k->grey_set = 1;
    }
    /* Fit inside the box, keeping the picture's proportions. */
    int w = c->w, h = (int)((int64_t)c->w * c->gh / c->gw);
    if (h > c->h) {
        h = c->h;
        w = (int)((int64_t)c->h * c->gw / c->gh);
    }
    SDL_Rect dst = {c->x + (c->w - w) / 2, c->y + (c->h - h) / 2, w, h};
    SDL_RenderCopy(k->r, k->grey, NULL, &dst);
}

static void draw_qr(kr *k, const kd_cmd *c, int *err)
{
    const ikr_qr *q = c->qr;
    if (!q || !q->dark || q->width <= 0)
        return;
    int n = q->width + 2 * IKR_QR_QUIET;
    uint64_t h = fnv(FNV_START, q->dark, (size_t)q->width * (size_t)q->width);
    kr_qrc *qc = &k->qrc;
    if (!qc->tex || qc->qr != q || qc->version != q->version || qc->width != q->width ||
        qc->hash != h) {
        if (qc->tex)
            SDL_DestroyTexture(qc->tex);
        memset(qc, 0, sizeof *qc);
        uint32_t *px = malloc((size_t)n * (size_t)n * sizeof *px);
        if (!px) {
            *err = IKR_E_NOMEM;
            return;
        }
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) {
                int mx = x - IKR_QR_QUIET, my = y - IKR_QR_QUIET;
                int dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                           q->dark[my * q->width + mx];
                px[y * n + x] = dark ? 0xFF000000u : 0xFFFFFFFFu;
            }
        qc->tex = SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, n, n);
        if (qc->tex) {
            SDL_UpdateTexture(qc->tex, NULL, px, n * 4);
            SDL_SetTextureBlendMode(qc->tex, SDL_BLENDMODE_NONE);
            SDL_SetTextureScaleMode(qc->tex, SDL_ScaleModeNearest);
            qc->qr = q;
            qc->version = q->version;
            qc->width = q->width;
            qc->hash = h;
        } else {
            *err = IKR_E_NOMEM;
        }
        free(px);
        if (!qc->tex)
            return;
    }
    int side = c->w < c->h ? c->w : c->h;
    int m = side / n;
    if (m < 1)
        m = 1; /* too small to scan, but still shown */
    SDL_Rect d = {c->x + (c->w - n * m) / 2, c->y + (c->h - n * m) / 2, n * m, n * m};
    SDL_RenderCopy(k->r, qc->tex, NULL, &d);
}

/* ---- ink ---- */

static void geo_flush(kr *k)
{
    if (k->ni > 0)
        SDL_RenderGeometry(k->r, NULL, k->vert, k->nv, k->idx, k->ni);
    k->nv = k->ni = 0;
}

/* Makes room for nv vertices (and their triangles) in the batch. */
static void geo_room(kr *k, int nv)
{
    if (k->nv + nv > KR_GEO_VERTS)
        geo_flush(k);
}

static int geo_vert(kr *k, float x, float y, SDL_Color c)
{
    SDL_Vertex *v = &k->vert[k->nv];
    v->position.x = x;
    v->position.y = y;
    v->color = c;
    v->tex_coord.x = v->tex_coord.y = 0;
    return k->nv++;
}

static void geo_tri(kr *k, int a, int b, int c)
{
    k->idx[k->ni++] = a;
    k->idx[k->ni++] = b;
    k->idx[k->ni++] = c;
}

/* Pen state while emitting: where geometry goes and the bounds it covers. */
typedef struct pen {
    kr *k;
    float ox, oy;           /* added to every vertex */
    SDL_Color solid, clear; /* the ink colour, opaque and fully transparent */
    float x0, y0, x1, y1;   /* bounds of emitted geometry, before the offset */
} pen;

static void pen_bound(pen *p, float x, float y, float r)
{
    if (x - r < p->x0)
        p->x0 = x - r;
    if (y - r < p->y0)
        p->y0 = y - r;
    if (x + r > p->x1)
        p->x1 = x + r;
    if (y + r > p->y1)
        p->y1 = y + r;
}

/* A round dot of half width hw at (x, y), with a feathered rim. */
static void pen_disc(pen *p, float x, float y, float hw)
{
    kr *k = p->k;
    int n = (int)(hw * 2.0f) + 8;
    if (n > INK_DISC_MAX)
        n = INK_DISC_MAX;
    geo_room(k, 1 + 2 * n);
    float in = hw > 0.5f ? hw - 0.5f : 0.0f, out = hw + 0.5f;
    int c = geo_vert(k, x + p->ox, y + p->oy, p->solid);
    int first = k->nv;
    for (int i = 0; i < n; i++) {
        float a = (float)i * 6.2831853f / (float)n, cs = cosf(a), sn = sinf(a);
        geo_vert(k, x + p->ox + cs * in, y + p->oy + sn * in, p->solid);
        geo_vert(k, x + p->ox + cs * out, y + p->oy + sn * out, p->clear);
    }
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        int ai = first + 2 * i, aj = first + 2 * j;
        geo_tri(k, c, ai, aj);
        geo_tri(k, ai, ai + 1, aj);
        geo_tri(k, aj, ai + 1, aj + 1);
    }
    pen_bound(p, x, y, out);
}

/*
 * One piece of a stroke: the quadratic curve from a to b with control q
 * (q == NULL: the straight line), half width going from ha to hb, as a
 * strip of four vertices a sample (feather, core, core, feather).
 */
static void pen_piece(pen *p, const float a[2], const float *q, const float b[2], float ha,
                      float hb)
{
    kr *k = p->k;
    float len = q ? hypotf(q[0] - a[0], q[1] - a[1]) + hypotf(b[0] - q[0], b[1] - q[1])
                  : hypotf(b[0] - a[0], b[1] - a[1]);
    if (len < 0.01f)
        return;
    int steps = q ? (int)(len / INK_STEP_PX) + 1 : 1;
    if (steps > INK_MAX_STEPS)
        steps = INK_MAX_STEPS;
    geo_room(k, 4 * (steps + 1));
    float lx = b[0] - a[0], ly = b[1] - a[1]; /* the chord: direction where the curve has none */
    for (int i = 0; i <= steps; i++) {
        float t = (float)i / (float)steps, u = 1.0f - t, x, y, dx, dy;
        if (q) {
            x = u * u * a[0] + 2 * u * t * q[0] + t * t * b[0];
            y = u * u * a[1] + 2 * u * t * q[1] + t * t * b[1];
            dx = u * (q[0] - a[0]) + t * (b[0] - q[0]);
            dy = u * (q[1] - a[1]) + t * (b[1] - q[1]);
        } else {
            x = a[0] + t * lx;
            y = a[1] + t * ly;
            dx = lx;
            dy = ly;
        }
        float dl = hypotf(dx, dy);
        if (dl < 1e-4f) {
            dx = lx;
            dy = ly;
            dl = hypotf(dx, dy);
        }
        float nx = -dy / dl, ny = dx / dl;
        float hw = ha + (hb - ha) * t;
        float in = hw > 0.5f ? hw - 0.5f : 0.0f, out = hw + 0.5f;
        float px = x + p->ox, py = y + p->oy;
        int v = geo_vert(k, px + nx * out, py + ny * out, p->clear);
        geo_vert(k, px + nx * in, py + ny * in, p->solid);
        geo_vert(k, px - nx * in, py - ny * in, p->solid);
        geo_vert(k, px - nx * out, py - ny * out, p->clear);
        if (i > 0)
            for (int j = 0; j < 3; j++) {
                int a0 = v - 4 + j, a1 = a0 + 1, b0 = v + j, b1 = b0 + 1;
                geo_tri(k, a0, a1, b0);
                geo_tri(k, a1, b1, b0);
            }
        pen_bound(p, x, y, out);
    }
}

/* Geometry of one signature in one box: the mapping and the pen. */
typedef struct inkmap {
    const kd_ink *ink;
    float s, ox, oy; /* box px = ink * s + o */
    float hw;        /* the base half width, px */
} inkmap;

/*
 * Fills k->pw with x, y and half width for each point of stroke si, up to
 * np points (the widths are causal: the first np depend on nothing later).
 * Returns the stroke's point count, or 0 when out of memory.
 */
static size_t stroke_points(kr *k, const inkmap *m, size_t si)
{
    const kd_ink *ink = m->ink;
    size_t from = si == 0 ? 0 : ink->stroke_end[si - 1], to = ink->stroke_end[si];
    if (to <= from)
        return 0;
    size_t n = to - from;
    if (n * 3 > k->pw_cap) {
        size_t cap = n * 3 + 3 * 256;
        float *pw = realloc(k->pw, cap * sizeof *pw);
        if (!pw)
            return 0;
        k->pw = pw;
        k->pw_cap = cap;
    }
    float f = 1.0f;
    float ih = ink->h ? (float)ink->h : 1.0f;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *pt = ink->xyt + 3 * (from + i);
        float x = (float)pt[0], y = (float)pt[1];
        if (i > 0) {
            const uint32_t *pv = pt - 3;
            float d = hypotf(x - (float)pv[0], y - (float)pv[1]);
            /* Points in the same millisecond come from one burst of events: count 4 ms. */
            float dt = pt[2] > pv[2] + 4 ? (float)(pt[2] - pv[2]) : 4.0f;
            float v = d / dt / ih;
            float g = (v - INK_V_SLOW) / (INK_V_FAST - INK_V_SLOW);
            g = g < 0 ? 0 : g > 1 ? 1 : g;
            float target = INK_W_MAX - (INK_W_MAX - INK_W_MIN) * g;
            f += INK_SMOOTH * (target - f);
        }
        k->pw[3 * i] = x * m->s + m->ox;
        k->pw[3 * i + 1] = y * m->s + m->oy;
        k->pw[3 * i + 2] = m->hw * f;
    }
    return n;
}

/*
 * Emits the pieces of a stroke of n points (in k->pw) that depend only on
 * points [0, upto) and were not emitted for points [0, from); with
 * finished, also the last piece and the end cap.  Pieces: the start cap;
 * the line from point 0 to the first midpoint; a curve from each midpoint
 * to the next around point i; the line from the last midpoint to the last
 * point; the end cap.
 */
static void emit_stroke(pen *p, const float *pw, size_t n, size_t from, size_t upto, int finished)
{
    if (n == 0)
        return;
    if (from == 0 && upto >= 1)
        pen_disc(p, pw[0], pw[1], pw[2]);
    if (n == 1)
        return;
    for (size_t i = from > 1 ? from : 1; i < upto && i < n; i++) {
        /* Point i completes the piece that ends at the midpoint of i-1 and i. */
        const float *a = pw + 3 * (i - 1), *b = pw + 3 * i;
        float m1[2] = {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, h1 = (a[2] + b[2]) / 2;
        if (i == 1) {
            p->k->stats.ink_segments++;
            pen_piece(p, a, NULL, m1, a[2], h1);
        } else {
            const float *z = pw + 3 * (i - 2);
            float m0[2] = {(z[0] + a[0]) / 2, (z[1] + a[1]) / 2}, h0 = (z[2] + a[2]) / 2;
            p->k->stats.ink_segments++;
            pen_piece(p, m0, a, m1, h0, h1);
        }
    }
    if (finished) {
        const float *a = pw + 3 * (n - 2), *b = pw + 3 * (n - 1);
        float m[2] = {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2};
        pen_piece(p, m, NULL, b, (a[2] + b[2]) / 2, b[2]);
        pen_disc(p, b[0], b[1], b[2]);
    }
}

/* Hash of the points of strokes [0, s) and the first np of stroke s. */
static uint64_t ink_prefix_hash(const kd_ink *ink, size_t s, size_t np)
{
    size_t upto = (s == 0 ? 0 : ink->stroke_end[s - 1]) + np;
    uint64_t h = fnv(FNV_START, &s, sizeof s);
    h = fnv(h, ink->stroke_end, s * sizeof *ink->stroke_end);
    return fnv(h, ink->xyt, upto * 3 * sizeof *ink->xyt);
}

static kr_inkc *ink_slot(kr *k, const kd_cmd *c)
{
    kr_inkc *slot = &k->inkc[0];
    for (int i = 0; i < KR_INK_CACHE; i++) {
        kr_inkc *ic = &k->inkc[i];
        if (ic->tex && ic->ink == c->ink && ic->bw == c->w && ic->bh == c->h && ic->base == c->r &&
            same_color(ic->color, c->color)) {
            ic->used = k->frame;
            return ic;
        }
        if (!ic->tex || (slot->tex && ic->used < slot->used))
            slot = ic;
    }
    forget_ink(slot);
    slot->tex =
        SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, c->w, c->h);
    if (!slot->tex)
        return NULL;
    SDL_SetTextureBlendMode(slot->tex, SDL_BLENDMODE_BLEND);
    slot->ink = c->ink;
    slot->bw = c->w;
    slot->bh = c->h;
    slot->base = c->r;
    slot->color = c->color;
    slot->used = k->frame;
    slot->dx0 = 1;
    slot->dx1 = 0;
    slot->iw = slot->ih = 0; /* forces a clear on first use */
    return slot;
}

static void draw_ink(kr *k, const kd_cmd *c, int *err)
{
    const kd_ink *ink = c->ink;
    if (!ink || ink->w == 0 || ink->h == 0 || c->w <= 0 || c->h <= 0)
        return;
    kr_inkc *ic = ink_slot(k, c);
    if (!ic) {
        *err = IKR_E_NOMEM;
        return;
    }
    inkmap m = {ink, 0, 0, 0, (c->r < 1 ? 1.0f : (float)c->r) / 2.0f};
    float sx = (float)c->w / (float)ink->w, sy = (float)c->h / (float)ink->h;
    m.s = sx < sy ? sx : sy; /* keep the signature's shape; centre it in the box */
    m.ox = ((float)c->w - (float)ink->w * m.s) / 2.0f;
    m.oy = ((float)c->h - (float)ink->h * m.s) / 2.0f;

    /* Is what the texture holds still a prefix of this signature? */
    int fresh = ic->iw != ink->w || ic->ih != ink->h || ic->s_done > ink->nstrokes ||
                (ic->s_done < ink->nstrokes &&
                 ink->stroke_end[ic->s_done] - (ic->s_done ? ink->stroke_end[ic->s_done - 1] : 0) <
                     ic->p_done) ||
                (ic->s_done == ink->nstrokes && ic->p_done > 0) ||
                ink_prefix_hash(ink, ic->s_done, ic->p_done) != ic->hash;
    if (fresh) {
        SDL_SetRenderTarget(k->r, ic->tex);
        SDL_SetRenderDrawColor(k->r, c->color.r, c->color.g, c->color.b, 0);
        SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_NONE);
        SDL_RenderClear(k->r);
        SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_BLEND);
        SDL_SetRenderTarget(k->r, NULL);
        ic->iw = ink->w;
        ic->ih = ink->h;
        ic->s_done = ic->p_done = 0;
        ic->dx0 = 1;
        ic->dx1 = 0;
        k->stats.ink_rebuilds++;
    }

    SDL_Color solid = {c->color.r, c->color.g, c->color.b, c->color.a};
    SDL_Color clear = {c->color.r, c->color.g, c->color.b, 0};
    pen p = {k, 0, 0, solid, clear, 1e9f, 1e9f, -1e9f, -1e9f};

    /* Draw into the texture what the new points have made final. */
    size_t last = ink->nstrokes ? ink->nstrokes - 1 : 0;
    int targeted = 0;
    while (ic->s_done < ink->nstrokes) {
        size_t si = ic->s_done;
        int finished = si < last;
        size_t n = stroke_points(k, &m, si);
        if (n == 0 && ink->stroke_end[si] > (si ? ink->stroke_end[si - 1] : 0)) {
            *err = IKR_E_NOMEM;
            break;
        }
        if (n > ic->p_done || finished) {
            if (!targeted) {
                SDL_SetRenderTarget(k->r, ic->tex);
                targeted = 1;
            }
            emit_stroke(&p, k->pw, n, ic->p_done, n, finished);
        }
        if (!finished) {
            ic->p_done = n;
            break;
        }
        ic->s_done++;
        ic->p_done = 0;
    }
    ic->hash = ink_prefix_hash(ink, ic->s_done, ic->p_done);
    if (targeted) {
        geo_flush(k);
        SDL_SetRenderTarget(k->r, NULL);
        if (p.x0 <= p.x1) {
            int x0 = (int)floorf(p.x0), y0 = (int)floorf(p.y0);
            int x1 = (int)ceilf(p.x1), y1 = (int)ceilf(p.y1);
            if (ic->dx0 > ic->dx1) {
                ic->dx0 = x0, ic->dy0 = y0, ic->dx1 = x1, ic->dy1 = y1;
            } else {
                ic->dx0 = x0 < ic->dx0 ? x0 : ic->dx0;
                ic->dy0 = y0 < ic->dy0 ? y0 : ic->dy0;
                ic->dx1 = x1 > ic->dx1 ? x1 : ic->dx1;
                ic->dy1 = y1 > ic->dy1 ? y1 : ic->dy1;
            }
        }
    }
    set_clip(k);

    /* Only the part of the texture that holds ink is blended onto the screen. */
    if (ic->dx0 <= ic->dx1) {
        SDL_Rect box = {0, 0, c->w, c->h},
                 inked = {ic->dx0, ic->dy0, ic->dx1 - ic->dx0, ic->dy1 - ic->dy0}, src;
        if (SDL_IntersectRect(&box, &inked, &src)) {
            SDL_Rect dst = {c->x + src.x, c->y + src.y, src.w, src.h};
            SDL_RenderCopy(k->r, ic->tex, &src, &dst);
        }
    }

    /* The last piece of the last stroke follows the finger: drawn live, inside the box. */
    if (ink->nstrokes > 0 && ic->s_done == last) {
        size_t n = stroke_points(k, &m, last);
        if (n > 0) {
            SDL_Rect box = {c->x, c->y, c->w, c->h}, cl = box;
            if (!k->clipped || SDL_IntersectRect(&k->clip, &box, &cl)) {
                SDL_RenderSetClipRect(k->r, &cl);
                p.ox = (float)c->x;
                p.oy = (float)c->y;
                emit_stroke(&p, k->pw, n, n, n, 1);
                geo_flush(k);
                set_clip(k);
            }
        }
    }
}

/* ---- the frame ---- */

int kr_draw(kr *k, const kd_list *l)
{
    int err = IKR_OK;
    k->frame++;
    k->clipped = 0;
    SDL_RenderSetClipRect(k->r, NULL);
    SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(k->r, l->clear.r, l->clear.g, l->clear.b, 255);
    SDL_RenderClear(k->r);
    if (use_unit(k, l->unit) != 0)
        err = IKR_E_IO;
    for (int i = 0; i < l->ncmd; i++) {
        const kd_cmd *c = &l->cmd[i];
        switch (c->type) {
        case KD_RECT:
            if (draw_rect(k, c))
                err = IKR_E_NOMEM;
            break;
        case KD_BORDER:
            draw_border(k, c);
            break;
        case KD_TEXT:
            if (k->font[0] && c->text)
                draw_text(k, c, &err);
            break;
        case KD_INK:
            draw_ink(k, c, &err);
            break;
        case KD_QR:
            draw_qr(k, c, &err);
            break;
        case KD_IMAGE:
            draw_image(k, c);
            break;
        case KD_GREY:
            draw_grey(k, c, &err);
            break;
        case KD_CLIP:
            k->clipped = c->w > 0;
            k->clip = (SDL_Rect){c->x, c->y, c->w > 0 ? c->w : 0, c->h > 0 ? c->h : 0};
            set_clip(k);
            break;
        default:
            break;
        }
    }
    if (k->clipped) {
        k->clipped = 0;
        set_clip(k);
    }
    return err;
}

/* ---- screenshots ---- */

int kr_screenshot(kr *k, SDL_Renderer *r, const char *png_path, ikr_err *e)
{
    (void)k;
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0 || w <= 0 || h <= 0)
        return ikr_err_set(e, IKR_E_INTERNAL, "screenshot: %s", SDL_GetError());
    size_t stride = (size_t)w * 3;
    uint8_t *px = malloc(stride * (size_t)h);
    if (!px)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    void *png = NULL;
    png_alloc_size_t len = 0;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGB;
    int rc = IKR_OK;
    if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGB24, px, (int)stride) != 0) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "screenshot: %s", SDL_GetError());
        goto done;
    }
    /* Encoded in memory, then written whole (file.h): a frame is a few hundred kilobytes. */
    if (!png_image_write_get_memory_size(img, len, 0, px, (png_int_32)stride, NULL)) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", png_path, img.message);
        goto done;
    }
    if (!(png = malloc(len))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto done;
    }
    if (!png_image_write_to_memory(&img, png, &len, 0, px, (png_int_32)stride, NULL)) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", png_path, img.message);
        goto done;
    }
    rc = ikr_file_write_atomic(png_path, png, len, 0644, e);
done:
    png_image_free(&img);
    free(png);
    free(px);
    return rc;
}
