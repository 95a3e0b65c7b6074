/*
 * test_scan.c: receipts read back from pictures.  A real receipt is made
 * with a test key, its QR code drawn into a greyscale picture, and the
 * picture spoiled the way a phone spoils it (turned at any angle, seen in
 * perspective, blurred, noisy, dim, tiny or buried in a 12-megapixel photo,
 * saved as JPEG); every one must scan and verify.  (zbar itself gives up on
 * a keystone past about 1.15 between the near and far edges of the code;
 * the perspective cases stay inside that.)  Broken files are refused
 * with IKR_E_IMAGE, a picture without a code with IKR_E_NO_QR, a QR code
 * that is not a receipt by the receipt parser.  The scanner is also fed a
 * camera-like sequence of frames (padded rows, no code, blur, a code).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <jpeglib.h> /* after stdio.h and stddef.h, which it needs */

#include "check.h"
#include "ikrar/image.h"
#include "ikrar/key.h"
#include "ikrar/note.h"
#include "ikrar/qr.h"
#include "ikrar/receipt.h"
#include "ikrar/scan.h"

static ikr_scanner *sc;
static ikr_scan_result *res;
static ikr_vkey vkey;
static ikr_buf receipt; /* the receipt text, NUL-terminated */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1664525u + 1013904223u;
    return rnd_state >> 8;
}

/* The QR code of text drawn at scale pixels a module with its quiet zone, black on white. */
static ikr_image draw_qr(const char *text, int scale)
{
    ikr_qr q;
    ikr_image img;
    memset(&img, 0, sizeof img);
    if (ikr_qr_encode(&q, text, NULL))
        return img;
    int side = (q.width + 2 * IKR_QR_QUIET) * scale;
    if (ikr_image_new(&img, side, side, 255) == 0)
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                int my = y / scale - IKR_QR_QUIET, mx = x / scale - IKR_QR_QUIET;
                if (my >= 0 && mx >= 0 && my < q.width && mx < q.width && q.dark[my * q.width + mx])
                    img.px[(size_t)y * side + x] = 0;
            }
    ikr_qr_free(&q);
    return img;
}

/*
 * Lays src into a w x h "photo" of background bg through the homography
 * hm (3x3, row-major, from photo coordinates to src coordinates), sampled
 * bilinearly; pixels that map outside src show the background, with a soft
 * left-to-right light gradient as in a room.
 */
static ikr_image project(const ikr_image *src, int w, int h, const double hm[9], int bg)
{
    ikr_image out;
    if (ikr_image_new(&out, w, h, (uint8_t)bg))
        return out;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double d = hm[6] * x + hm[7] * y + hm[8];
            double u = (hm[0] * x + hm[1] * y + hm[2]) / d, v = (hm[3] * x + hm[4] * y + hm[5]) / d;
            int v0;
            if (u < 0 || v < 0 || u >= src->w - 1 || v >= src->h - 1) {
                v0 = bg - 20 + 40 * x / w;
            } else {
                int iu = (int)u, iv = (int)v;
                double fu = u - iu, fv = v - iv;
                const uint8_t *p = src->px + (size_t)iv * src->w + iu;
                v0 = (int)((1 - fv) * ((1 - fu) * p[0] + fu * p[1]) +
                           fv * ((1 - fu) * p[src->w] + fu * p[src->w + 1]) + 0.5);
            }
            out.px[(size_t)y * w + x] = (uint8_t)(v0 < 0 ? 0 : v0 > 255 ? 255 : v0);
        }
    return out;
}

/*
 * The homography that shows src turned by deg degrees, scaled by zoom,
 * with its corners pulled by `tilt` (0: none; 0.2: a strong perspective)
 * and centred in a w x h photo.  Built as the inverse map: photo -> src.
 */
static void pose(double hm[9], const ikr_image *src, int w, int h, double deg, double zoom,
                 double tilt)
{
    double a = deg * M_PI / 180, c = cos(a), s = sin(a);
    /* Forward: src centred at 0, scaled, tilted (projective term along x), turned, moved to the
     * photo centre. */
    double cx = src->w / 2.0, cy = src->h / 2.0, p = tilt / src->w;
    /* Forward matrix F = T(w/2,h/2) * R * S(zoom) * P * T(-cx,-cy). */
    double P[9] = {1, 0, 0, 0, 1, 0, p, 0, 1};
    double A[9] = {zoom * c, -zoom * s, w / 2.0, zoom * s, zoom * c, h / 2.0, 0, 0, 1};
    double T[9] = {1, 0, -cx, 0, 1, -cy, 0, 0, 1};
    double PT[9], F[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            PT[i * 3 + j] = P[i * 3] * T[j] + P[i * 3 + 1] * T[3 + j] + P[i * 3 + 2] * T[6 + j];
        }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            F[i * 3 + j] = A[i * 3] * PT[j] + A[i * 3 + 1] * PT[3 + j] + A[i * 3 + 2] * PT[6 + j];
    /* Inverse by the adjugate. */
    double det = F[0] * (F[4] * F[8] - F[5] * F[7]) - F[1] * (F[3] * F[8] - F[5] * F[6]) +
                 F[2] * (F[3] * F[7] - F[4] * F[6]);
    hm[0] = (F[4] * F[8] - F[5] * F[7]) / det;
    hm[1] = (F[2] * F[7] - F[1] * F[8]) / det;
    hm[2] = (F[1] * F[5] - F[2] * F[4]) / det;
    hm[3] = (F[5] * F[6] - F[3] * F[8]) / det;
    hm[4] = (F[0] * F[8] - F[2] * F[6]) / det;
    hm[5] = (F[2] * F[3] - F[0] * F[5]) / det;
    hm[6] = (F[3] * F[7] - F[4] * F[6]) / det;
    hm[7] = (F[1] * F[6] - F[0] * F[7]) / det;
    hm[8] = (F[0] * F[4] - F[1] * F[3]) / det;
}

/* Box blur of radius r, in place (separable, two passes). */
static void blur(ikr_image *img, int r)
{
    uint8_t *tmp = malloc((size_t)img->w * img->h);
    if (!tmp)
        return;
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *src = pass ? tmp : img->px;
        uint8_t *dst = pass ? img->px : tmp;
        for (int y = 0; y < img->h; y++)
            for (int x = 0; x < img->w; x++) {
                int s = 0, n = 0;
                for (int d = -r; d <= r; d++) {
                    int xx = pass ? x : x + d, yy = pass ? y + d : y;
                    if (xx >= 0 && yy >= 0 && xx < img->w && yy < img->h) {
                        s += src[(size_t)yy * img->w + xx];
                        n++;
                    }
                }
                dst[(size_t)y * img->w + x] = (uint8_t)(s / n);
            }
    }
    free(tmp);
}

/* Adds uniform noise of +-amp to every pixel. */
static void noise(ikr_image *img, int amp)
{
    for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
        int v = img->px[i] + (int)(rnd() % (2 * amp + 1)) - amp;
        img->px[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

/* Squeezes the levels into lo..hi (a dim, grey photo). */
static void levels(ikr_image *img, int lo, int hi)
{
    for (size_t i = 0; i < (size_t)img->w * img->h; i++)
        img->px[i] = (uint8_t)(lo + img->px[i] * (hi - lo) / 255);
}

/* Encodes img as a JPEG of the given quality into out (malloc'd; caller frees). */
static int to_jpeg(const ikr_image *img, int quality, unsigned char **out, unsigned long *n)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr err;
    ci.err = jpeg_std_error(&err);
    jpeg_create_compress(&ci);
    *out = NULL;
    *n = 0;
    jpeg_mem_dest(&ci, out, n);
    ci.image_width = (JDIMENSION)img->w;
    ci.image_height = (JDIMENSION)img->h;
    ci.input_components = 1;
    ci.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = img->px + (size_t)ci.next_scanline * img->w;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    return *out ? 0 : -1;
}

/* 1 when img scans to a text that is our receipt and verifies under the test key. */
static int verifies(const ikr_image *img, const char *what)
{
    ikr_frame f = {img->px, img->w, img->h, (size_t)img->w};
    double t0 = now_ms();
    int rc = ikr_scan_frame(sc, &f, res, NULL);
    double ms = now_ms() - t0;
    int ok = 0;
    for (size_t i = 0; rc == 0 && i < res->n; i++) {
        ikr_receipt r;
        ikr_buf cose;
        ikr_buf_init(&cose);
        if (res->code[i].len == receipt.len - 1 &&
            memcmp(res->code[i].text, receipt.p, res->code[i].len) == 0 &&
            ikr_receipt_parse(&r, &cose, res->code[i].text, res->code[i].len, NULL) == 0 &&
            ikr_receipt_check(&cose, &vkey, 1, NULL, NULL) == 0 &&
            strcmp(r.name, "Siti Rahmawati") == 0)
            ok = 1;
        ikr_buf_free(&cose);
    }
    printf("  %-44s %5dx%-5d %s in view %d, %.1f ms\n", what, img->w, img->h,
           ok ? "verified" : "NOT READ", res->pass, ms);
    return ok;
}

static int dump_n;

/* Draws the receipt, poses it in a w x h photo and spoils it; checks it verifies. */
static void photo(const char *what, int scale, int w, int h, double deg, double zoom, double tilt,
                  int blur_r, int noise_amp, int lo, int hi)
{
    ikr_image qr = draw_qr((const char *)receipt.p, scale);
    double hm[9];
    pose(hm, &qr, w, h, deg, zoom, tilt);
    ikr_image img = project(&qr, w, h, hm, 140);
    if (blur_r)
        blur(&img, blur_r);
    if (lo || hi != 255)
        levels(&img, lo, hi);
    if (noise_amp)
        noise(&img, noise_amp);
    check(what, img.px && verifies(&img, what));
    if (getenv("TEST_SCAN_DUMP")) {
        /* For a person: every photo as a PGM in the current folder. */
        char name[80];
        snprintf(name, sizeof name, "scan-%d.pgm", dump_n++);
        FILE *f = fopen(name, "wb");
        if (f && img.px) {
            fprintf(f, "P5\n%d %d\n255\n", img.w, img.h);
            fwrite(img.px, 1, (size_t)img.w * img.h, f);
        }
        if (f)
            fclose(f);
    }
    ikr_image_free(&img);
    ikr_image_free(&qr);
}

static void test_photos(void)
{
    printf("distorted receipts:\n");
    photo("clean, 4 px a module", 4, 400, 400, 0, 1, 0, 0, 0, 0, 255);
    photo("turned 17 degrees", 4, 500, 500, 17, 1, 0, 0, 0, 0, 255);
    photo("turned 90 degrees", 4, 450, 450, 90, 1, 0, 0, 0, 0, 255);
    photo("turned 180 degrees", 4, 450, 450, 180, 1, 0, 0, 0, 0, 255);
    photo("turned 233 degrees", 4, 550, 550, 233, 1, 0, 0, 0, 0, 255);
    photo("perspective, near edge 1.13x the far", 4, 600, 500, 0, 1, 0.12, 0, 0, 0, 255);
    photo("perspective and turned 30 degrees", 4, 600, 600, 30, 1, 0.1, 0, 0, 0, 255);
    photo("box blur radius 2", 5, 500, 500, 5, 1, 0, 2, 0, 0, 255);
    photo("noise +-40", 4, 450, 450, 3, 1, 0, 0, 40, 0, 255);
    photo("low contrast, grey 90..160", 4, 450, 450, 8, 1, 0, 0, 0, 90, 160);
    photo("dim and noisy, grey 20..80, noise +-10", 4, 450, 450, 12, 1, 0, 1, 10, 20, 80);
    photo("downscaled to 2 px a module", 4, 300, 300, 0, 0.5, 0, 0, 0, 0, 255);
    photo("upscaled 3x, blurred", 4, 1400, 1300, 10, 3, 0.1, 2, 6, 30, 220);
    photo("1 MP photo, code 3 px a module", 3, 1280, 800, 20, 1, 0.1, 1, 8, 40, 200);
    photo("12 MP photo 4000x3000, code 1100 px", 8, 4000, 3000, 14, 2, 0.1, 3, 12, 50, 190);
    photo("12 MP photo, code 500 px, turned 100", 4, 4000, 3000, 100, 1.7, 0.1, 1, 8, 60, 200);
    photo("12 MP photo, small code at 3 px a module", 3, 4000, 3000, 8, 1, 0.05, 0, 6, 40, 210);
    /* The slowest case: a 12 MP photo with no code goes through every view. Timed, not asserted. */
    ikr_image empty;
    if (ikr_image_new(&empty, 4000, 3000, 128) == 0) {
        noise(&empty, 30);
        ikr_frame f = {empty.px, empty.w, empty.h, (size_t)empty.w};
        double t0 = now_ms();
        int rc = ikr_scan_frame(sc, &f, res, NULL);
        printf("  %-44s %5dx%-5d %s, %.1f ms\n", "12 MP photo without a code", empty.w, empty.h,
               rc == IKR_E_NO_QR ? "no code" : "?", now_ms() - t0);
        check("12 MP photo without a code: IKR_E_NO_QR", rc == IKR_E_NO_QR);
        ikr_image_free(&empty);
    }
}

static void test_jpeg(void)
{
    printf("JPEG:\n");
    ikr_image qr = draw_qr((const char *)receipt.p, 6);
    double hm[9];
    pose(hm, &qr, 1600, 1200, -25, 1.2, 0.1);
    ikr_image img = project(&qr, 1600, 1200, hm, 150);
    blur(&img, 1);
    levels(&img, 30, 200);
    noise(&img, 10);
    unsigned char *jpg = NULL;
    unsigned long n = 0;
    check("JPEG written", to_jpeg(&img, 70, &jpg, &n) == 0);
    ikr_image back;
    ikr_err e;
    ikr_err_clear(&e);
    check("JPEG loads",
          jpg && ikr_image_load(&back, jpg, n, &e) == 0 && back.w == 1600 && back.h == 1200);
    check("JPEG photo at quality 70 verifies",
          back.px && verifies(&back, "JPEG 1600x1200, quality 70"));
    ikr_image_free(&back);
    /* A truncated JPEG decodes what it has (libjpeg pads) or is refused: never a crash. */
    ikr_err_clear(&e);
    int rc = ikr_image_load(&back, jpg, n / 3, &e);
    check("truncated JPEG: loaded or refused cleanly",
          (rc == 0 && back.px) || (rc == IKR_E_IMAGE && !back.px));
    ikr_image_free(&back);
    free(jpg);
    ikr_image_free(&img);
    ikr_image_free(&qr);
}

/* Reads a whole file into a malloc'd buffer; NULL on failure. */
static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *p = malloc(1 << 20);
    *n = p ? fread(p, 1, 1 << 20, f) : 0;
    fclose(f);
    return p;
}

/* Appends a PNG chunk (length, type, data, CRC) to p at *at. */
static void png_chunk(uint8_t *p, size_t *at, const char *type, const uint8_t *d, uint32_t n)
{
    uint8_t *c = p + *at;
    c[0] = (uint8_t)(n >> 24), c[1] = (uint8_t)(n >> 16), c[2] = (uint8_t)(n >> 8),
    c[3] = (uint8_t)n;
    memcpy(c + 4, type, 4);
    if (n)
        memcpy(c + 8, d, n);
    uint32_t crc = (uint32_t)crc32(0, c + 4, 4 + n);
    c[8 + n] = (uint8_t)(crc >> 24), c[9 + n] = (uint8_t)(crc >> 16),
          c[10 + n] = (uint8_t)(crc >> 8), c[11 + n] = (uint8_t)crc;
    *at += 12 + n;
}

/* A PNG header declaring w x h 8-bit grey, with one IDAT of a few zero bytes. */
static size_t fake_png(uint8_t *p, uint32_t w, uint32_t h)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[13] = {(uint8_t)(w >> 24),
                        (uint8_t)(w >> 16),
                        (uint8_t)(w >> 8),
                        (uint8_t)w,
                        (uint8_t)(h >> 24),
                        (uint8_t)(h >> 16),
                        (uint8_t)(h >> 8),
                        (uint8_t)h,
                        8,
                        0,
                        0,
                        0,
                        0};
    uint8_t raw[2] = {0, 0}, z[64];
    uLongf zn = sizeof z;
    compress(z, &zn, raw, (uLong)(h == 1 && w == 1 ? 2 : 1));
    size_t at = 8;
    memcpy(p, sig, 8);
    png_chunk(p, &at, "IHDR", ihdr, 13);
    png_chunk(p, &at, "IDAT", z, (uint32_t)zn);
    png_chunk(p, &at, "IEND", NULL, 0);
    return at;
}

static void test_broken(void)
{
    ikr_image img;
    ikr_err e;
    char path[] = "/tmp/ikrar-scan-XXXXXX";
    int fd = mkstemp(path);
    check("temp file", fd >= 0);
    if (fd >= 0)
        close(fd);
    ikr_qr q;
    size_t n = 0;
    uint8_t *png = NULL;
    if (ikr_qr_encode(&q, (const char *)receipt.p, NULL) == 0) {
        check("receipt PNG written", ikr_qr_write_png(&q, path, 4, NULL) == 0);
        ikr_qr_free(&q);
        png = slurp(path, &n);
    }
    unlink(path);
    check("receipt PNG read", png && n > 100);
    if (png) {
        ikr_err_clear(&e);
        check("the receipt PNG loads",
              ikr_image_load(&img, png, n, &e) == 0 && verifies(&img, "receipt PNG file"));
        ikr_image_free(&img);
        for (size_t cut = 8; cut < n; cut += n / 7) {
            ikr_err_clear(&e);
            check("truncated PNG refused", ikr_image_load(&img, png, cut, &e) == IKR_E_IMAGE &&
                                               !img.px && e.code == IKR_E_IMAGE && e.detail[0]);
        }
        png[n / 2] ^= 0x55; /* a flipped byte inside the image data fails its CRC or inflate */
        ikr_err_clear(&e);
        int rc = ikr_image_load(&img, png, n, &e);
        check("damaged PNG refused or read, cleanly", rc == IKR_E_IMAGE || (rc == 0 && img.px));
        ikr_image_free(&img);
        free(png);
    }
    uint8_t junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)rnd();
    ikr_err_clear(&e);
    check("random bytes refused",
          ikr_image_load(&img, junk, sizeof junk, &e) == IKR_E_IMAGE && !img.px);
    junk[0] = 0xff, junk[1] = 0xd8, junk[2] = 0xff;
    ikr_err_clear(&e);
    check("random bytes after a JPEG marker refused",
          ikr_image_load(&img, junk, sizeof junk, &e) == IKR_E_IMAGE);
    check("empty input refused", ikr_image_load(&img, junk, 0, NULL) == IKR_E_IMAGE);

    uint8_t hdr[256];
    size_t hn = fake_png(hdr, 100000, 100000);
    ikr_err_clear(&e);
    check("PNG declaring 100000x100000 refused before decoding",
          ikr_image_load(&img, hdr, hn, &e) == IKR_E_IMAGE && strstr(e.detail, "limit"));
    hn = fake_png(hdr, 16000, 1600);
    check("PNG declaring 25.6 MP (sides within limits) refused",
          ikr_image_load(&img, hdr, hn, NULL) == IKR_E_IMAGE);
    hn = fake_png(hdr, 1, 1);
    ikr_err_clear(&e);
    int rc = ikr_image_load(&img, hdr, hn, &e);
    check("1x1 PNG loads", rc == 0 && img.w == 1 && img.h == 1);
    if (rc == 0) {
        ikr_frame f = {img.px, 1, 1, 1};
        check("1x1 picture: no QR code", ikr_scan_frame(sc, &f, res, NULL) == IKR_E_NO_QR);
    }
    ikr_image_free(&img);
    check("file over the byte limit refused",
          ikr_image_load(&img, hdr, (size_t)IKR_MAX_IMAGE_BYTES + 1, NULL) == IKR_E_IMAGE);

    ikr_frame bad = {hdr, 100, 100, 50};
    check("frame with a stride under its width refused",
          ikr_scan_frame(sc, &bad, res, NULL) == IKR_E_IMAGE);
    ikr_frame big = {hdr, IKR_MAX_IMAGE_SIDE + 1, 1, IKR_MAX_IMAGE_SIDE + 1};
    check("frame past the side limit refused", ikr_scan_frame(sc, &big, res, NULL) == IKR_E_IMAGE);
}

static void test_not_receipts(void)
{
    /* Shapes, but no code. */
    ikr_image img;
    ikr_image_new(&img, 640, 480, 230);
    for (int y = 100; y < 300; y++)
        for (int x = 200; x < 400; x++)
            img.px[(size_t)y * 640 + x] = (uint8_t)(((x / 20) + (y / 20)) % 2 ? 20 : 230);
    noise(&img, 20);
    ikr_frame f = {img.px, img.w, img.h, (size_t)img.w};
    ikr_err e;
    ikr_err_clear(&e);
    check("picture without a code: IKR_E_NO_QR",
          ikr_scan_frame(sc, &f, res, &e) == IKR_E_NO_QR && e.code == IKR_E_NO_QR && res->n == 0);
    ikr_image_free(&img);

    /* A QR code that holds something else. */
    ikr_image other = draw_qr("HTTPS://EXAMPLE.ORG/NOT-A-RECEIPT", 4);
    f = (ikr_frame){other.px, other.w, other.h, (size_t)other.w};
    int rc = ikr_scan_frame(sc, &f, res, NULL);
    check("another QR code is read",
          rc == 0 && res->n == 1 &&
              strcmp(res->code[0].text, "HTTPS://EXAMPLE.ORG/NOT-A-RECEIPT") == 0);
    ikr_receipt r;
    ikr_err_clear(&e);
    check("and is not a receipt",
          rc == 0 && ikr_receipt_parse(&r, NULL, res->code[0].text, res->code[0].len, &e) ==
                         IKR_E_RCPT_PREFIX);
    ikr_image_free(&other);
}

/*
 * The order of the views: cheapest first.  Returns the view that read the
 * receipt posed in a w x h frame at scale px a module (noise amp), 0 when none did.
 */
static int view_of(const char *what, int w, int h, int scale, double deg, int noise_amp, int lo,
                   int hi)
{
    ikr_image qr = draw_qr((const char *)receipt.p, scale);
    double hm[9];
    pose(hm, &qr, w, h, deg, 1, 0.05);
    ikr_image img = project(&qr, w, h, hm, 150);
    if (lo || hi != 255)
        levels(&img, lo, hi);
    if (noise_amp)
        noise(&img, noise_amp);
    int view = img.px && verifies(&img, what) ? res->pass : 0;
    ikr_image_free(&img);
    ikr_image_free(&qr);
    return view;
}

static void test_view_order(void)
{
    printf("views, cheapest first:\n");
    /* A receipt held up to a 720p camera: read at half size, the first view. */
    check("720p frame, receipt held up: read in the first view (half size)",
          view_of("720p, 5 px a module", 1280, 720, 5, 8, 12, 0, 255) == 1);
    /* Held far off: too fine for the half-size view; the frame itself reads it. */
    check("720p frame, receipt far off: read in the second view (the frame)",
          view_of("720p, 2 px a module", 1280, 720, 2, 0, 0, 0, 255) == 2);
    check("640x480 frame, receipt held up: read in the first view (the frame)",
          view_of("640x480, 3 px a module", 640, 480, 3, 8, 12, 0, 255) == 1);
    /* Dim and noisy: the plain views fail, a costly one (stretch, threshold) reads it. */
    int hard = view_of("640x480, dim and noisy", 640, 480, 3, 12, 12, 20, 70);
    check("640x480 frame, dim and noisy: read, by a later view", hard > 1);
}

/* A camera's frames: rows padded past the width, and one decoder for all of them. */
static void test_frames(void)
{
    printf("camera-like frames:\n");
    const int w = 640, h = 480;
    const size_t stride = 704;
    uint8_t *buf = malloc(stride * h);
    ikr_image qr = draw_qr((const char *)receipt.p, 3);
    const char *names[4] = {"empty frame", "heavily blurred frame", "good frame",
                            "good frame again"};
    int want[4] = {IKR_E_NO_QR, -1, 0, 0};
    for (int i = 0; i < 4 && buf && qr.px; i++) {
        double hm[9];
        pose(hm, &qr, w, h, 7.0 * i, 1, 0.05);
        ikr_image img = i == 0 ? (ikr_image){0} : project(&qr, w, h, hm, 120);
        if (i == 0)
            ikr_image_new(&img, w, h, 120);
        if (i == 1)
            blur(&img, 12);
        memset(buf, 0xAA, stride * h);
        for (int y = 0; y < h; y++)
            memcpy(buf + (size_t)y * stride, img.px + (size_t)y * w, (size_t)w);
        ikr_frame f = {buf, w, h, stride};
        int rc = ikr_scan_frame(sc, &f, res, NULL);
        printf("  %-44s %s\n", names[i], rc == 0 ? "code" : "no code");
        if (want[i] >= 0)
            check(names[i], rc == want[i] &&
                                (rc != 0 || (res->n == 1 && strcmp(res->code[0].text,
                                                                   (const char *)receipt.p) == 0)));
        else
            check("a blurred frame is no code or the right one",
                  rc == IKR_E_NO_QR ||
                      (rc == 0 && strcmp(res->code[0].text, (const char *)receipt.p) == 0));
        ikr_image_free(&img);
    }
    free(buf);
    ikr_image_free(&qr);
}

int main(void)
{
    static const uint8_t seed[32] = {7, 7, 7};
    ikr_key *k = NULL;
    ikr_buf vk;
    ikr_buf_init(&vk);
    ikr_buf_init(&receipt);
    check("test key", ikr_key_from_seed(&k, seed) == 0);
    check("verifier key",
          k && ikr_vkey_format(&vk, "ikrar/pilkada-2024/aula-1", ikr_key_public(k)) == 0 &&
              ikr_vkey_parse(&vkey, (const char *)vk.p, vk.len) == 0);
    ikr_receipt r;
    memset(&r, 0, sizeof r);
    r.v = 1;
    strcpy(r.ev, "pilkada-2024");
    r.seq = 42;
    r.t = 1727690000;
    strcpy(r.name, "Siti Rahmawati");
    ikr_receipt_mask_nip(r.nip, "198503302010012003");
    memset(r.leaf, 0x11, sizeof r.leaf);
    memset(r.root, 0x22, sizeof r.root);
    check("receipt made", k && ikr_receipt_make(&receipt, k, &r) == 0);
    res = malloc(sizeof *res);
    check("scanner", res && ikr_scanner_new(&sc, NULL) == 0);
    if (sc && res && receipt.len > 4) {
        test_photos();
        test_jpeg();
        test_broken();
        test_not_receipts();
        test_view_order();
        test_frames();
    }
    ikr_scanner_free(sc);
    free(res);
    ikr_buf_free(&receipt);
    ikr_buf_free(&vk);
    ikr_key_free(k);
    return check_report();
}
