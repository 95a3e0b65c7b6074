/*
 * palette.h: the high-contrast mode's colours.
 *
 * The screens draw in their one palette (screens.c); for a signer who asked
 * for high contrast, app_frame recolours the finished draw list instead of
 * every screen choosing twice.  Each colour of the normal palette has a
 * high-contrast one for what it fills (rectangles, outlines, the
 * background) and one for what it writes (text, ink): the same white is a
 * panel (black in high contrast) and the words on a blue button (black on
 * yellow).  Everything light turns dark and everything dark or coloured
 * turns light: white, yellow and pale colours on black, with text at least
 * 7:1 against what it is drawn on and outlines at least 3:1 (WCAG 2).
 */
#ifndef IKRAR_KIOSK_PALETTE_H
#define IKRAR_KIOSK_PALETTE_H

#include "draw.h"

/* The normal palette's colours by role, as screens.c draws them. */
enum pal_role {
    PAL_BG,
    PAL_PANEL, /* also the text on accent, ok and error fills: the same white */
    PAL_TEXT,
    PAL_MUTED,
    PAL_ACCENT,
    PAL_ACCENT_DOWN,
    PAL_LINE,
    PAL_DISABLED,
    PAL_DISABLED_TEXT,
    PAL_ERROR,
    PAL_OK,
    PAL_SHADE,
    PAL_INK,
    PAL_NOTE,
    PAL_WARN,
    PAL_COUNT
};

/* A role's colour: normal, and in high contrast as a fill and as text. */
kd_color pal_normal(int role);
kd_color pal_hc_fill(int role);
kd_color pal_hc_text(int role);

/* The role of a normal palette colour (alpha included), or -1 when it is none of them. */
int pal_role_of(kd_color c);

/* Recolours the draw list l in place to high contrast: its background and every command. */
void pal_high_contrast(kd_list *l);

/* WCAG 2 relative luminance (0..1) and contrast ratio (1..21), for the tests. */
double pal_luminance(kd_color c);
double pal_contrast(kd_color a, kd_color b);

#endif
