/*
 * qr.h: a receipt's QR code (libqrencode), shown on a terminal or written
 * as a PNG.  Receipt text is all in the Base45 alphabet, so it is encoded in
 * alphanumeric mode at error correction Q.
 */
#ifndef IKRAR_QR_H
#define IKRAR_QR_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define IKR_QR_QUIET 4        /* modules of quiet zone on every side */
#define IKR_QR_MAX_VERSION 17 /* the largest that fits 58 mm paper at 4 dots a module */
#define IKR_QR_MAX_SCALE 64   /* pixels a module in a PNG, at most */

typedef struct ikr_qr {
    int version;   /* 1..40 */
    char level;    /* error correction: 'Q', or 'M' when Q would pass IKR_QR_MAX_VERSION */
    int width;     /* modules a side, without quiet zone */
    uint8_t *dark; /* width * width bytes, row by row: 1 dark, 0 light */
} ikr_qr;

/*
 * Encodes text (alphanumeric mode) at error correction Q, or at M when Q
 * would need a version above IKR_QR_MAX_VERSION (docs/formats.md §6 allows M at the
 * least).  Caller frees with ikr_qr_free.
 */
int ikr_qr_encode(ikr_qr *q, const char *text, ikr_err *e);
/* Accepts NULL. */
void ikr_qr_free(ikr_qr *q);

/* Draws q with Unicode half blocks (two modules a character cell), with its quiet zone. */
int ikr_qr_print_terminal(const ikr_qr *q, FILE *f);

/*
 * Writes q as an 8-bit greyscale PNG, scale pixels a module, with its quiet
 * zone, to path (replaced atomically: written beside it, synced, renamed).
 */
int ikr_qr_write_png(const ikr_qr *q, const char *path, int scale, ikr_err *e);

#endif
