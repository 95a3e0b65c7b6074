/*
 * scan.h: QR codes found in a greyscale frame, with zbar.  One decoder for
 * every source: a photo read by ikr_image_load, a frame from a camera, a
 * test's synthetic picture.  Frame in, texts out.
 *
 * A phone's photo of a printed receipt is rotated, in perspective, a little
 * blurred, dim, and anything from 1 to 24 megapixels.  ikr_scan_frame tries
 * views of the frame cheapest first and stops at the first that yields a
 * code, so a clean frame costs one zbar pass over the fewest pixels:
 *   - a large frame (a side past 1600 px): box-downscaled to about 1600, then
 *     the frame itself (every second line);
 *   - a frame up to 1600 px a side with a short side of 600 px or more (a
 *     720p camera): half size, then the frame itself;
 *   - a smaller frame (640x480): the frame itself;
 * then, for all, a contrast-stretched copy, a locally thresholded copy, and
 * (when not tried first) a half-size copy.
 *
 * Decoded texts are untrusted: at most IKR_SCAN_MAX_CODES of them, each cut
 * to IKR_SCAN_MAX_TEXT bytes and NUL-terminated (a QR code may hold NULs;
 * len says how many bytes are real).
 */
#ifndef IKRAR_SCAN_H
#define IKRAR_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

/* A greyscale frame the caller owns: row y starts at grey + y * stride. */
typedef struct ikr_frame {
    const uint8_t *grey;
    int w, h;
    size_t stride; /* bytes from one row to the next, at least w */
} ikr_frame;

typedef struct ikr_scan_code {
    size_t len;                       /* bytes of text, at most IKR_SCAN_MAX_TEXT */
    int cut;                          /* 1 when the decoded text was longer and was cut */
    char text[IKR_SCAN_MAX_TEXT + 1]; /* NUL-terminated */
} ikr_scan_code;

typedef struct ikr_scan_result {
    size_t n; /* codes found, 0..IKR_SCAN_MAX_CODES */
    int pass; /* which view found them, 1 the first (cheapest) tried; 0 none */
    ikr_scan_code code[IKR_SCAN_MAX_CODES];
} ikr_scan_result;

/* The scanner: zbar's state and scratch pictures, reused from frame to frame. */
typedef struct ikr_scanner ikr_scanner;

/* Makes a scanner for QR codes only. Returns 0 or IKR_E_NOMEM. Caller frees with ikr_scanner_free.
 */
int ikr_scanner_new(ikr_scanner **out, ikr_err *e);
/* Accepts NULL. */
void ikr_scanner_free(ikr_scanner *sc);

/*
 * Looks for QR codes in f and fills out (which may be large: allocate it,
 * do not put it on a small stack).  Returns 0 with out->n >= 1,
 * IKR_E_NO_QR when no view of the frame held a readable code, IKR_E_IMAGE
 * for a frame past the limits or with a stride below w, or IKR_E_NOMEM.
 */
int ikr_scan_frame(ikr_scanner *sc, const ikr_frame *f, ikr_scan_result *out, ikr_err *e);

#endif
