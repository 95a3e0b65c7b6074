/*
 * image.h: a picture from outside (a photo of a receipt, a saved QR code)
 * read into 8-bit greyscale.  PNG through libpng's simplified API, JPEG
 * through libjpeg.  The bytes are untrusted: the file size, each side and
 * the pixel count are checked against limits.h before any pixel buffer is
 * allocated, and a broken file is an error value, never a crash.
 */
#ifndef IKRAR_IMAGE_H
#define IKRAR_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

/* A greyscale picture: w * h bytes, row by row, 0 black .. 255 white, no padding. */
typedef struct ikr_image {
    int w, h;
    uint8_t *px;
} ikr_image;

/*
 * Decodes the PNG or JPEG in data[0..n) (told apart by their signatures)
 * into img.  Colour is turned to luma; transparency is composited on
 * white.  Returns 0, or IKR_E_IMAGE (not PNG/JPEG, damaged, or past
 * IKR_MAX_IMAGE_BYTES / _SIDE / _PIXELS; e's detail says which) or
 * IKR_E_NOMEM, with img zeroed.  Caller frees with ikr_image_free.
 */
int ikr_image_load(ikr_image *img, const uint8_t *data, size_t n, ikr_err *e);

/* Allocates a w x h picture filled with value v. Returns 0, IKR_E_IMAGE or IKR_E_NOMEM. */
int ikr_image_new(ikr_image *img, int w, int h, uint8_t v);

/* Frees img's pixels and zeroes it. Accepts NULL. */
void ikr_image_free(ikr_image *img);

#endif
