/*
 * ink.h: a handwritten signature as drawn (docs/formats.md §3): canvas width and
 * height, and strokes of points (x, y, t) with t in milliseconds from the
 * first touch.  It arrives as JSON from a file or from the kiosk's canvas,
 * is bounded (IKR_INK_MAX_*), and is committed to by the SHA-256 of its
 * deterministic CBOR {"w": w, "h": h, "s": [[x0, y0, t0, ...], ...]}.
 */
#ifndef IKRAR_INK_H
#define IKRAR_INK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hash.h"

typedef struct ikr_ink {
    uint32_t w, h;
    size_t nstrokes;
    size_t npoints;     /* points in all strokes */
    uint32_t *xyt;      /* 3 * npoints values: x, y, t of each point in order */
    size_t *stroke_end; /* nstrokes entries: index one past each stroke's last point */
} ikr_ink;

void ikr_ink_init(ikr_ink *ink);
/* Frees what ink holds and re-initialises it. Accepts NULL. */
void ikr_ink_free(ikr_ink *ink);

/*
 * Parses untrusted JSON {"w":..,"h":..,"s":[[x,y,t,...],...]} (keys in any
 * order, white space anywhere, unknown keys refused) into ink and validates
 * it with ikr_ink_check.  Returns IKR_OK, IKR_E_INK_SYNTAX for anything that
 * is not that shape (including non-integers, numbers above 2^32-1, nesting,
 * more than IKR_INK_MAX_JSON bytes), or ikr_ink_check's code.
 */
int ikr_ink_parse_json(ikr_ink *ink, const char *json, size_t n);

/*
 * Validates bounds: canvas 1..IKR_INK_MAX_CANVAS a side (IKR_E_INK_CANVAS);
 * at least one point (IKR_E_INK_EMPTY); 1..IKR_INK_MAX_STROKES strokes, none
 * empty (IKR_E_INK_STROKES); at most IKR_INK_MAX_POINTS points
 * (IKR_E_INK_POINTS); each point on the canvas, x <= w and y <= h
 * (IKR_E_INK_RANGE); times not decreasing along the strokes and at most
 * IKR_INK_MAX_TIME (IKR_E_INK_TIME).
 */
int ikr_ink_check(const ikr_ink *ink);

/* Appends the deterministic CBOR of ink to out. */
int ikr_ink_encode(ikr_buf *out, const ikr_ink *ink);
/* Parses ink CBOR (untrusted) into ink and checks it; IKR_OK or an IKR_E_INK_* code. */
int ikr_ink_decode(ikr_ink *ink, const uint8_t *p, size_t n);
/* Appends compact JSON of ink to out (the form ikr_ink_parse_json reads). */
int ikr_ink_to_json(ikr_buf *out, const ikr_ink *ink);

#endif
