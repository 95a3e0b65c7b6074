/*
 * keyboard.h: the details screen's on-screen keyboard, laid out and drawn.
 *
 * Four rows of eleven columns, in two layers: the letters (with ' - , .,
 * shift and caps lock) and "?123" (digits, / & ( ) and the rest).  The
 * bottom row holds the layer key, the caret's arrows and space, and leaves
 * its two ends to the screen for its Back and Next.  keyboard_layout only
 * computes boxes (no drawing, no measuring), so tests check sizes without
 * a display; keyboard_draw puts the keys in a draw list and registers each
 * as a hit region: KB_CHAR with its character ("kb.Q", "kb./"), KB_KB_SHIFT,
 * KB_KB_CAPS, KB_KB_LAYER, KB_KB_LEFT, KB_KB_RIGHT, KB_KB_SPACE, KB_KB_BS.
 * keyboard_field draws a field's text with the caret and keeps it in view.
 */
#ifndef IKRAR_KIOSK_KEYBOARD_H
#define IKRAR_KIOSK_KEYBOARD_H

#include <stddef.h>

#include "draw.h"

enum { KB_LAYER_LETTERS, KB_LAYER_SYMBOLS, KB_LAYERS };

#define KB_ROWS 4
#define KB_COLS 11
#define KB_MAX_KEYS (KB_ROWS * KB_COLS)
/*
 * The smallest side a key may have, in px: 9 mm on a 7-inch 800x480 panel
 * (133 px per inch, 5.25 px per mm).  The key's drawn box, gaps not counted.
 */
#define KB_MIN_KEY_PX 48

typedef struct kb_key {
    enum kbtn btn;
    int idx; /* KB_CHAR: the character; else 0 */
    int x, y, w, h;
} kb_key;

typedef struct kb_layout {
    int x, y, w, h; /* the keyboard's box, its bottom row included */
    int gap;        /* between keys */
    kb_key key[KB_MAX_KEYS];
    int n;
    /* the bottom row's ends, for the screen's own Back and Next (x, y, w, h) */
    int back[4], next[4];
} kb_layout;

/* The gap between keys for the layout unit. */
int keyboard_gap(int unit);

/* The height the keyboard needs at the least: four rows of KB_MIN_KEY_PX. */
int keyboard_min_height(int unit);

/*
 * Lays out layer (KB_LAYER_*) across w px from x, its bottom at bottom, in
 * at most avail px of height: keys as tall as avail allows up to 3 units,
 * and never shorter than KB_MIN_KEY_PX (then it takes more than avail).
 */
void keyboard_layout(kb_layout *k, int layer, int x, int bottom, int w, int avail, int unit);

typedef struct kb_palette {
    kd_color key, key_down, line, text, accent, accent_down, on_accent;
} kb_palette;

typedef struct kb_view {
    int layer, shift, caps;
    enum kbtn held; /* the key under a finger now (KB_NONE: none) */
    int held_idx;
    int unit;
    /* the words on the keys, in the screen's language */
    const char *space, *shift_label, *caps_label, *to_symbols, *to_letters;
} kb_view;

/* The key's label: letters in the case they would be typed. */
void keyboard_draw(kd_list *l, const kd_measure *m, const kb_layout *k, const kb_view *v,
                   const kb_palette *p);

/*
 * One line of editable text in (x, y, w, h) with the caret, a bar
 * caret_w px wide, before byte *caret; *scroll is the first byte shown,
 * kept between frames and moved so the caret is always in view (a text
 * that fits is shown whole).  tap_x >= 0 first puts the caret at the
 * character boundary nearest that x in what the last frame showed.  Only
 * whole characters that fit are drawn.
 */
void keyboard_field(kd_list *l, const kd_measure *m, int x, int y, int w, int h, int font,
                    kd_color text, kd_color caret_color, int caret_w, const char *s, size_t *caret,
                    size_t *scroll, int tap_x);

#endif
