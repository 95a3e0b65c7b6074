/*
 * image.c: untrusted PNG and JPEG bytes to an 8-bit greyscale ikr_image.
 *
 * Invariants: nothing is allocated for pixels until the header has been
 * read and the sides and pixel count checked against IKR_MAX_IMAGE_*; a
 * decoder error (libpng's simplified API returns it, libjpeg's is caught by
 * a longjmp back into load_jpeg) frees what was allocated and leaves img
 * zeroed; neither library prints anything.  EXIF orientation is ignored:
 * zbar reads a QR code at any angle.
 */
#include "ikrar/image.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

/* A JPEG that warns more than this is treated as garbage rather than decoded on. */
#define JPEG_MAX_WARNINGS 1000
/* Progressive JPEGs with more scans than this are refused (each scan is a full pass). */
#define JPEG_MAX_SCANS 200

/* Checks w x h against the limits; 0 or IKR_E_IMAGE. */
static int check_size(long long w, long long h, ikr_err *e)
{
    if (w < 1 || h < 1)
        return ikr_err_set(e, IKR_E_IMAGE, "empty image (%lldx%lld)", w, h);
    if (w > IKR_MAX_IMAGE_SIDE || h > IKR_MAX_IMAGE_SIDE || w * h > (long long)IKR_MAX_IMAGE_PIXELS)
        return ikr_err_set(e, IKR_E_IMAGE,
                           "%lldx%lld pixels is past the limit of %d a side, %u in all", w, h,
                           IKR_MAX_IMAGE_SIDE, (unsigned)IKR_MAX_IMAGE_PIXELS);
    return IKR_OK;
}

int ikr_image_new(ikr_image *img, int w, int h, uint8_t v)
{
    memset(img, 0, sizeof *img);
    int rc = check_size(w, h, NULL);
    if (rc)
        return rc;
    img->px = malloc((size_t)w * (size_t)h);
    if (!img->px)
        return IKR_E_NOMEM;
    memset(img->px, v, (size_t)w * (size_t)h);
    img->w = w;
    img->h = h;
    return IKR_OK;
}

void ikr_image_free(ikr_image *img)
{
    if (!img)
        return;
    free(img->px);
    memset(img, 0, sizeof *img);
}

static int load_png(ikr_image *img, const uint8_t *data, size_t n, ikr_err *e)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&pi, data, n))
        return ikr_err_set(e, IKR_E_IMAGE, "PNG: %s", pi.message);
    int rc = check_size(pi.width, pi.height, e);
    if (rc) {
        png_image_free(&pi);
        return rc;
    }
    pi.format = PNG_FORMAT_GRAY;
    size_t sz = (size_t)pi.width * pi.height;
    img->px = malloc(sz);
    if (!img->px) {
        png_image_free(&pi);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    /* With no background given, transparent pixels are blended onto what the buffer holds: white.
     */
    memset(img->px, 255, sz);
    if (!png_image_finish_read(&pi, NULL, img->px, (png_int_32)pi.width, NULL)) {
        rc = ikr_err_set(e, IKR_E_IMAGE, "PNG: %s", pi.message);
        png_image_free(&pi);
        ikr_image_free(img);
        return rc;
    }
    img->w = (int)pi.width;
    img->h = (int)pi.height;
    return IKR_OK;
}

/* libjpeg's error manager, with the way back out of the library. */
struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf back;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr ci)
{
    struct jerr *j = (struct jerr *)ci->err;
    ci->err->format_message(ci, j->msg);
    longjmp(j->back, 1);
}

/* Warnings (level -1) are counted, trace messages dropped; nothing is printed. */
static void jpeg_note(j_common_ptr ci, int level)
{
    struct jerr *j = (struct jerr *)ci->err;
    if (level < 0 && ++ci->err->num_warnings > JPEG_MAX_WARNINGS) {
        snprintf(j->msg, sizeof j->msg, "too many corrupt-data warnings");
        longjmp(j->back, 1);
    }
}

static void jpeg_progress(j_common_ptr ci)
{
    if (ci->is_decompressor && ((j_decompress_ptr)ci)->input_scan_number > JPEG_MAX_SCANS) {
        struct jerr *j = (struct jerr *)ci->err;
        snprintf(j->msg, sizeof j->msg, "more than %d scans", JPEG_MAX_SCANS);
        longjmp(j->back, 1);
    }
}

static int load_jpeg(ikr_image *img, const uint8_t *data, size_t n, ikr_err *e)
{
    struct jpeg_decompress_struct ci;
    struct jerr j;
    struct jpeg_progress_mgr prog;
    /* volatile: these are read after a longjmp back into this frame. */
    uint8_t *volatile px = NULL;
    volatile int rc = IKR_OK;
    memset(&ci, 0, sizeof ci);
    memset(&j, 0, sizeof j);
    ci.err = jpeg_std_error(&j.mgr);
    j.mgr.error_exit = jpeg_fail;
    j.mgr.emit_message = jpeg_note;
    if (setjmp(j.back)) {
        rc = ikr_err_set(e, IKR_E_IMAGE, "JPEG: %s", j.msg);
        goto out;
    }
    jpeg_create_decompress(&ci);
    memset(&prog, 0, sizeof prog);
    prog.progress_monitor = jpeg_progress;
    ci.progress = &prog;
    ci.mem->max_memory_to_use = 256L << 20;
    jpeg_mem_src(&ci, (const unsigned char *)data, (unsigned long)n);
    jpeg_read_header(&ci, TRUE);
    if ((rc = check_size(ci.image_width, ci.image_height, e)))
        goto out;
    if (ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK) {
        rc = ikr_err_set(e, IKR_E_IMAGE, "JPEG: CMYK images are not read");
        goto out;
    }
    ci.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&ci);
    if (ci.output_components != 1) {
        rc = ikr_err_set(e, IKR_E_IMAGE, "JPEG: no greyscale output");
        goto out;
    }
    size_t w = ci.output_width, h = ci.output_height;
    px = malloc(w * h);
    if (!px) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = px + (size_t)ci.output_scanline * w;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    img->px = px;
    img->w = (int)w;
    img->h = (int)h;
    px = NULL;
out:
    jpeg_destroy_decompress(&ci);
    free(px);
    return rc;
}

int ikr_image_load(ikr_image *img, const uint8_t *data, size_t n, ikr_err *e)
{
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memset(img, 0, sizeof *img);
    if (n > IKR_MAX_IMAGE_BYTES)
        return ikr_err_set(e, IKR_E_IMAGE, "%zu bytes is past the limit of %u", n,
                           (unsigned)IKR_MAX_IMAGE_BYTES);
    if (n >= 8 && memcmp(data, png_sig, 8) == 0)
        return load_png(img, data, n, e);
    if (n >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return load_jpeg(img, data, n, e);
    return ikr_err_set(e, IKR_E_IMAGE, "neither PNG nor JPEG");
}
