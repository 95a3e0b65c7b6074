/*
 * scan.c: QR codes out of a greyscale frame, through zbar's image scanner.
 *
 * Design: zbar reads a clean frame by itself, at any rotation and with some
 * perspective, so the first view is the cheapest that holds the code: the
 * frame, or a box-downscaled copy when the frame is large (past
 * SCAN_FAST_SIDE: a phone photo's code is large) or camera-sized at 720
 * lines and more (a receipt held up to the camera has big modules), since
 * zbar's time grows with the pixel count.  Only when a view yields nothing
 * is the next one made: the frame itself after its half, the
 * full-resolution frame after a photo's downscale, a contrast-stretched copy (dim photos),
 * a locally thresholded copy (uneven light, low contrast) and a half-size
 * copy (noise, blur, codes with very large modules).  The first view with a
 * code wins; later views cost nothing on the common path.  zbar reads the
 * full-resolution view of a large photo on every second line only (half
 * the cost of the slowest view): its code's modules are several pixels, so
 * each finder pattern is still crossed many times.  Every other view is
 * read on every line; trying every second line there first missed codes
 * at 4 pixels a module that were turned or blurred.
 *
 * Invariants: the scanner owns its zbar state and two scratch pictures that
 * grow to the largest frame seen and are reused (a camera's frames allocate
 * nothing once warm); zbar only ever sees compact Y800 pictures (stride ==
 * width) that outlive the zbar_image that points at them; decoded texts are
 * copied into the caller's result, bounded, before the zbar_image goes.
 */
#include "ikrar/scan.h"

#include <stdlib.h>
#include <string.h>
#include <zbar.h>

/* Frames with a longer side than this are first scanned box-downscaled to about this size. */
#define SCAN_FAST_SIDE 1600
/* Views below this short side are not halved (modules would fall under a pixel). */
#define SCAN_MIN_HALF 240
/*
 * Frames up to SCAN_FAST_SIDE with at least this short side are read at half
 * size first: 1280x720 costs zbar ~40 ms on a noisy camera frame, its half
 * ~8 ms.  A 640x480 frame is read whole first (its receipt would be under
 * 2 px a module at half size, and the whole frame costs ~15 ms).
 */
#define SCAN_HALF_FIRST 600

struct ikr_scanner {
    zbar_image_scanner_t *zs;
    uint8_t *view; /* the first view: a compact copy or the downscaled frame */
    size_t view_cap;
    uint8_t *tmp; /* the retry views, made from `view` or the frame */
    size_t tmp_cap;
    uint32_t *sum; /* the integral image for the local threshold */
    size_t sum_cap;
};

int ikr_scanner_new(ikr_scanner **out, ikr_err *e)
{
    *out = NULL;
    ikr_scanner *sc = calloc(1, sizeof *sc);
    if (!sc || !(sc->zs = zbar_image_scanner_create())) {
        free(sc);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    /* QR codes only: the other symbologies cost time and can only give false reads. */
    zbar_image_scanner_set_config(sc->zs, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc->zs, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    *out = sc;
    return IKR_OK;
}

void ikr_scanner_free(ikr_scanner *sc)
{
    if (!sc)
        return;
    zbar_image_scanner_destroy(sc->zs);
    free(sc->view);
    free(sc->tmp);
    free(sc->sum);
    free(sc);
}

/* Makes *p hold at least n elements of size sz; 0 or -1. */
static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
    if (*cap >= n)
        return 0;
    void *q = realloc(*p, n * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

/*
 * Runs zbar over the compact w x h picture px, reading every density-th
 * row and column, and appends what it decodes to out.  Returns the number
 * of codes added.
 */
static size_t zbar_pass(ikr_scanner *sc, const uint8_t *px, int w, int h, int density,
                        ikr_scan_result *out)
{
    zbar_image_scanner_set_config(sc->zs, ZBAR_NONE, ZBAR_CFG_X_DENSITY, density);
    zbar_image_scanner_set_config(sc->zs, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, density);
    zbar_image_t *zi = zbar_image_create();
    if (!zi)
        return 0;
    zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zi, (unsigned)w, (unsigned)h);
    zbar_image_set_data(zi, px, (unsigned long)w * (unsigned long)h, NULL);
    size_t added = 0;
    if (zbar_scan_image(sc->zs, zi) > 0) {
        for (const zbar_symbol_t *s = zbar_image_first_symbol(zi); s && out->n < IKR_SCAN_MAX_CODES;
             s = zbar_symbol_next(s)) {
            if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
                continue;
            const char *d = zbar_symbol_get_data(s);
            size_t len = zbar_symbol_get_data_length(s);
            ikr_scan_code *c = &out->code[out->n++];
            c->cut = len > IKR_SCAN_MAX_TEXT;
            c->len = c->cut ? IKR_SCAN_MAX_TEXT : len;
            if (c->len)
                memcpy(c->text, d, c->len);
            c->text[c->len] = '\0';
            added++;
        }
    }
    zbar_image_destroy(zi);
    return added;
}

/* Box-averages the w x h picture src (row stride `stride`) by k into dst, (w/k) x (h/k). */
static void downscale(uint8_t *dst, const uint8_t *src, int w, int h, size_t stride, int k)
{
    int ow = w / k, oh = h / k;
    uint32_t area = (uint32_t)(k * k);
    uint32_t *acc = calloc((size_t)ow, sizeof *acc);
    if (!acc) {
        /* Without scratch room, point-sample: a worse view, never a wrong one. */
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                dst[(size_t)y * ow + x] = src[(size_t)y * k * stride + (size_t)x * k];
        return;
    }
    for (int y = 0; y < oh; y++) {
        memset(acc, 0, (size_t)ow * sizeof *acc);
        for (int dy = 0; dy < k; dy++) {
            const uint8_t *row = src + ((size_t)y * k + dy) * stride;
            for (int x = 0; x < ow; x++) {
                const uint8_t *p = row + (size_t)x * k;
                uint32_t s = 0;
                for (int dx = 0; dx < k; dx++)
                    s += p[dx];
                acc[x] += s;
            }
        }
        for (int x = 0; x < ow; x++)
            dst[(size_t)y * ow + x] = (uint8_t)((acc[x] + area / 2) / area);
    }
    free(acc);
}

/*
 * Stretches the levels of src so its darkest 1% goes to black and its
 * lightest 1% to white, into dst.  Returns 0, or -1 for a flat picture.
 */
static int stretch(uint8_t *dst, const uint8_t *src, size_t n)
{
    size_t hist[256] = {0};
    for (size_t i = 0; i < n; i++)
        hist[src[i]]++;
    size_t cut = n / 100, acc = 0;
    int lo = 0, hi = 255;
    while (lo < 255 && (acc += hist[lo]) <= cut)
        lo++;
    acc = 0;
    while (hi > 0 && (acc += hist[hi]) <= cut)
        hi--;
    if (hi - lo < 8)
        return -1;
    uint8_t lut[256];
    for (int v = 0; v < 256; v++) {
        int o = (v - lo) * 255 / (hi - lo);
        lut[v] = (uint8_t)(o < 0 ? 0 : o > 255 ? 255 : o);
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = lut[src[i]];
    return 0;
}

/*
 * Thresholds src against the mean of a square around each pixel (side
 * about a tenth of the picture's short side): darker than 94% of the local
 * mean is black.  Evens out shadows and lifts faint print.  0 or -1 (no memory).
 */
static int local_threshold(ikr_scanner *sc, uint8_t *dst, const uint8_t *src, int w, int h)
{
    size_t sw = (size_t)w + 1;
    if (grow((void **)&sc->sum, &sc->sum_cap, sw * ((size_t)h + 1), sizeof *sc->sum))
        return -1;
    uint32_t *sum = sc->sum;
    memset(sum, 0, sw * sizeof *sum);
    for (int y = 0; y < h; y++) {
        uint32_t row = 0;
        sum[(size_t)(y + 1) * sw] = 0;
        for (int x = 0; x < w; x++) {
            row += src[(size_t)y * w + x];
            sum[(size_t)(y + 1) * sw + x + 1] = sum[(size_t)y * sw + x + 1] + row;
        }
    }
    int r = (w < h ? w : h) / 20;
    if (r < 4)
        r = 4;
    for (int y = 0; y < h; y++) {
        int y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
        for (int x = 0; x < w; x++) {
            int x0 = x - r < 0 ? 0 : x - r, x1 = x + r + 1 > w ? w : x + r + 1;
            uint64_t s = (uint64_t)sum[(size_t)y1 * sw + x1] - sum[(size_t)y0 * sw + x1] -
                         sum[(size_t)y1 * sw + x0] + sum[(size_t)y0 * sw + x0];
            uint64_t area = (uint64_t)(x1 - x0) * (uint64_t)(y1 - y0);
            dst[(size_t)y * w + x] =
                (uint64_t)src[(size_t)y * w + x] * 100 * area < s * 94 ? 0 : 255;
        }
    }
    return 0;
}

int ikr_scan_frame(ikr_scanner *sc, const ikr_frame *f, ikr_scan_result *out, ikr_err *e)
{
    out->n = 0;
    out->pass = 0;
    if (!f->grey || f->w < 1 || f->h < 1 || f->w > IKR_MAX_IMAGE_SIDE ||
        f->h > IKR_MAX_IMAGE_SIDE || (size_t)f->w * (size_t)f->h > IKR_MAX_IMAGE_PIXELS ||
        f->stride < (size_t)f->w)
        return ikr_err_set(e, IKR_E_IMAGE, "frame %dx%d, stride %zu", f->w, f->h, f->stride);
    int w = f->w, h = f->h, big = (w > h ? w : h) > SCAN_FAST_SIDE;
    int mid = !big && (w < h ? w : h) >= SCAN_HALF_FIRST;
    const uint8_t *full = f->grey;
    size_t fullsz = (size_t)w * (size_t)h;

    /* The frame, compact, or downscaled when large: the view the retries are made from. */
    int k = big ? ((w > h ? w : h) + SCAN_FAST_SIDE - 1) / SCAN_FAST_SIDE : 1;
    int vw = w / k, vh = h / k;
    size_t vsz = (size_t)vw * (size_t)vh;
    const uint8_t *view = full;
    if (k > 1 || f->stride != (size_t)w) {
        if (grow((void **)&sc->view, &sc->view_cap, vsz, 1))
            return ikr_err_set(e, IKR_E_NOMEM, NULL);
        if (k > 1) {
            downscale(sc->view, full, w, h, f->stride, k);
        } else {
            for (int y = 0; y < h; y++)
                memcpy(sc->view + (size_t)y * w, full + (size_t)y * f->stride, (size_t)w);
            full = sc->view;
        }
        view = sc->view;
    }
    /*
     * A camera-sized frame of 720 lines or so: half size first.  A receipt
     * held up has modules of 4 px or more there, 2 px at half size, which
     * zbar reads in a quarter of the pixels, and the box average halves the
     * sensor's noise that otherwise keeps zbar busy.  The frame itself comes
     * next, for a code held far off.
     */
    if (mid) {
        if (grow((void **)&sc->tmp, &sc->tmp_cap, vsz / 4 + 1, 1))
            return ikr_err_set(e, IKR_E_NOMEM, NULL);
        out->pass++;
        downscale(sc->tmp, view, vw, vh, (size_t)vw, 2);
        if (zbar_pass(sc, sc->tmp, vw / 2, vh / 2, 1, out))
            return IKR_OK;
    }

    /* The frame as it is (or downscaled when large). */
    out->pass++;
    if (zbar_pass(sc, view, vw, vh, 1, out))
        return IKR_OK;

    /* A large frame at full resolution, for a code small in the photo. */
    if (k > 1) {
        out->pass++;
        const uint8_t *px = full;
        if (f->stride != (size_t)w) {
            if (grow((void **)&sc->tmp, &sc->tmp_cap, fullsz, 1))
                return ikr_err_set(e, IKR_E_NOMEM, NULL);
            for (int y = 0; y < h; y++)
                memcpy(sc->tmp + (size_t)y * w, full + (size_t)y * f->stride, (size_t)w);
            px = sc->tmp;
        }
        if (zbar_pass(sc, px, w, h, 2, out))
            return IKR_OK;
    }

    if (grow((void **)&sc->tmp, &sc->tmp_cap, vsz, 1))
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    /* Levels stretched, for a dim or washed-out photo. */
    out->pass++;
    if (stretch(sc->tmp, view, vsz) == 0 && zbar_pass(sc, sc->tmp, vw, vh, 1, out))
        return IKR_OK;
    /* Thresholded against the local mean, for shadows and faint print. */
    out->pass++;
    if (local_threshold(sc, sc->tmp, view, vw, vh) == 0 && zbar_pass(sc, sc->tmp, vw, vh, 1, out))
        return IKR_OK;
    /* Half size, which averages noise and sharpens blur (tried first already when mid). */
    if (!mid && (vw < vh ? vw : vh) >= SCAN_MIN_HALF) {
        out->pass++;
        downscale(sc->tmp, view, vw, vh, (size_t)vw, 2);
        if (zbar_pass(sc, sc->tmp, vw / 2, vh / 2, 1, out))
            return IKR_OK;
    }
    out->pass = 0;
    return ikr_err_set(e, IKR_E_NO_QR, NULL);
}
