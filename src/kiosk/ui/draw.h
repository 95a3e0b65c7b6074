/*
 * draw.h: what the kiosk's screens ask to be drawn, as a list of commands.
 *
 * The screens (app.c) know nothing of SDL: each frame they fill a kd_list
 * with rectangles, lines of text, ink and QR codes, in window pixels, and
 * register the rectangles that react to touch (hit regions, by button,
 * kbtn.h).  The
 * renderer (render.c) is the only code that turns commands into pixels.
 * Everything is in fixed pools: building a frame allocates nothing.
 */
#ifndef IKRAR_KIOSK_DRAW_H
#define IKRAR_KIOSK_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "ikrar/qr.h"
#include "kbtn.h"

#define KD_MAX_CMDS 1024
#define KD_MAX_HITS 160
#define KD_ARENA (64 * 1024) /* bytes of text a frame may hold */

typedef struct kd_color {
    uint8_t r, g, b, a;
} kd_color;

/* Type faces, sized by the renderer from the frame's unit (px). */
enum kd_font {
    KD_FONT_SMALL, /* 0.9 unit: hints, footers */
    KD_FONT_BODY,  /* 1.25 units: reading text, labels */
    KD_FONT_LARGE, /* 1.6 units: buttons, fields */
    KD_FONT_TITLE, /* 2.3 units: screen titles */
    KD_FONT_HUGE,  /* 3.4 units: "Terima kasih", keypad digits */
    KD_FONT_COUNT
};

enum kd_align { KD_LEFT = 0, KD_CENTER = 1, KD_RIGHT = 2 };

enum kd_type {
    KD_RECT,   /* filled rectangle, corner radius r */
    KD_BORDER, /* rectangle outline, r = thickness */
    KD_TEXT,   /* one line of text in (x, y, w, h), aligned, vertically centred */
    KD_INK,    /* a signature: strokes of (x, y, t) points drawn into (x, y, w, h) */
    KD_QR,     /* a QR code with its quiet zone, centred in (x, y, w, h), light on dark off */
    KD_CLIP,   /* clip following commands to (x, y, w, h); w == 0 clears it */
    KD_IMAGE,  /* a PNG file (text is its path), scaled to fit (x, y, w, h), centred */
    KD_GREY, /* a grey picture in memory (a camera's frame), scaled to fit (x, y, w, h), centred */
};

/* A signature as the app holds it: canvas size and strokes (see ikr_ink). */
typedef struct kd_ink {
    uint32_t w, h;            /* canvas size in the ink's own pixels */
    const uint32_t *xyt;      /* 3 values a point */
    const size_t *stroke_end; /* one past each stroke's last point */
    size_t nstrokes;
} kd_ink;

typedef struct kd_cmd {
    int type;
    int x, y, w, h;
    int r; /* corner radius (RECT) or thickness (BORDER, INK base width) */
    kd_color color;
    int font;          /* TEXT */
    int align;         /* TEXT */
    const char *text;  /* TEXT: NUL-terminated, in the list's arena */
    const kd_ink *ink; /* INK */
    const ikr_qr *qr;  /* QR */
    /* GREY: gw x gh bytes, row by row, borrowed until the frame is drawn; gen changes with them */
    const uint8_t *grey;
    int gw, gh;
    uint32_t gen;
} kd_cmd;

typedef struct kd_hit {
    enum kbtn btn;
    int idx; /* the key, in a family of buttons (kbtn.h); else 0 */
    int x, y, w, h;
} kd_hit;

typedef struct kd_list {
    int width, height; /* window size in px */
    int unit;          /* the layout's unit in px; fonts and targets scale with it */
    kd_color clear;    /* background */
    kd_cmd cmd[KD_MAX_CMDS];
    int ncmd;
    kd_hit hit[KD_MAX_HITS];
    int nhit;
    char arena[KD_ARENA];
    size_t used;
    int overflow; /* a pool ran out: the frame is incomplete */
} kd_list;

void kd_begin(kd_list *l, int width, int height, int unit, kd_color clear);
void kd_rect(kd_list *l, int x, int y, int w, int h, int radius, kd_color c);
void kd_border(kd_list *l, int x, int y, int w, int h, int thickness, kd_color c);
/* Copies text (at most n bytes; n < 0 for all of it) into the arena. */
void kd_text(kd_list *l, int x, int y, int w, int h, int font, int align, kd_color c,
             const char *text, int n);
void kd_ink_cmd(kd_list *l, int x, int y, int w, int h, int width, kd_color c, const kd_ink *ink);
void kd_qr(kd_list *l, int x, int y, int w, int h, const ikr_qr *qr);
void kd_clip(kd_list *l, int x, int y, int w, int h);
/* Copies path into the arena; the renderer loads the file once and keeps it. */
void kd_image(kd_list *l, int x, int y, int w, int h, const char *path);
/*
 * A grey picture of gw x gh bytes (not copied: it must stay unchanged until
 * the frame is drawn), scaled to fit the box keeping its proportions.  gen
 * tells the renderer whether the pixels changed since it last saw them.
 */
void kd_grey(kd_list *l, int x, int y, int w, int h, const uint8_t *grey, int gw, int gh,
             uint32_t gen);
void kd_hit_add(kd_list *l, enum kbtn btn, int idx, int x, int y, int w, int h);
/* The topmost hit region under (x, y), or NULL. */
const kd_hit *kd_hit_at(const kd_list *l, int x, int y);
/* The hit region of this button (and index), or NULL. */
const kd_hit *kd_hit_find(const kd_list *l, enum kbtn btn, int idx);
/* 1 when some TEXT command of the frame contains needle. */
int kd_shows(const kd_list *l, const char *needle);

/*
 * Measures one line of text in a font: width and height in px.  The
 * renderer provides it (SDL_ttf); tests may provide a fixed-width one.
 */
typedef struct kd_measure {
    void *ctx;
    int (*width)(void *ctx, int font, const char *text, int n);
    int (*height)(void *ctx, int font);
} kd_measure;

#endif
