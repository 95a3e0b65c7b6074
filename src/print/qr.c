/*
 * qr.c: a receipt's QR code.  libqrencode does the encoding (it is the one
 * maintained C encoder in every distribution and chooses the mode per run of
 * characters); libpng writes the image, because a printer or a phone
 * scanning a screen needs plain pixels and PNG is what every tool reads.
 *
 * Invariants: an ikr_qr holds width * width bytes of 0 (light) or 1 (dark),
 * with width == 17 + 4 * version and no quiet zone; the quiet zone of
 * IKR_QR_QUIET modules is added only when drawing.  A PNG is never seen half
 * written: it goes through ikr_file_out (file.h), to "<path>.tmp", synced,
 * and renamed over path, and the .tmp file is removed again on every failure.
 */
#include "ikrar/qr.h"

#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/file.h"
#include "ikrar/limits.h"

int ikr_qr_encode(ikr_qr *q, const char *text, ikr_err *e)
{
    memset(q, 0, sizeof *q);
    if (!text || !*text)
        return ikr_err_set(e, IKR_E_INTERNAL, "qr: empty text");
    if (strlen(text) > IKR_MAX_RECEIPT_TEXT)
        return ikr_err_set(e, IKR_E_INTERNAL, "qr: text longer than %d characters",
                           IKR_MAX_RECEIPT_TEXT);

    /*
     * Case-sensitive with an 8-bit hint: libqrencode splits the text into
     * runs and puts every run of the alphanumeric set (all of Base45, ':'
     * included) in alphanumeric mode, digit runs in numeric mode, and only
     * anything else in 8-bit mode.  Version 0 lets it pick the smallest.
     */
    errno = 0;
    QRcode *c = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    char level = 'Q';
    if (c && c->version > IKR_QR_MAX_VERSION) {
        /* Too wide for 58 mm paper at Q: M still restores 15 % of a damaged code. */
        QRcode *m = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (m) {
            QRcode_free(c);
            c = m;
            level = 'M';
        }
    }
    if (!c) {
        if (errno == ENOMEM)
            return ikr_err_set(e, IKR_E_NOMEM, "qr");
        if (errno == ERANGE)
            return ikr_err_set(e, IKR_E_INTERNAL, "qr: text too long for a QR code");
        return ikr_err_set(e, IKR_E_INTERNAL, "qr: %s", strerror(errno ? errno : EINVAL));
    }

    size_t n = (size_t)c->width * (size_t)c->width;
    q->dark = malloc(n);
    if (!q->dark) {
        QRcode_free(c);
        return ikr_err_set(e, IKR_E_NOMEM, "qr");
    }
    /* libqrencode keeps other flags in the upper bits; bit 0 is the colour. */
    for (size_t i = 0; i < n; i++)
        q->dark[i] = c->data[i] & 1;
    q->version = c->version;
    q->width = c->width;
    q->level = level;
    QRcode_free(c);
    return IKR_OK;
}

void ikr_qr_free(ikr_qr *q)
{
    if (!q)
        return;
    free(q->dark);
    memset(q, 0, sizeof *q);
}

/* 1 when module (x, y) of the drawing with its quiet zone is dark. */
static int module_at(const ikr_qr *q, int x, int y)
{
    x -= IKR_QR_QUIET;
    y -= IKR_QR_QUIET;
    if (x < 0 || y < 0 || x >= q->width || y >= q->width)
        return 0;
    return q->dark[(size_t)y * (size_t)q->width + (size_t)x];
}

/*
 * Each text line carries two module rows: the upper one in the top half of
 * the cell, the lower one in the bottom half.  Colours are set explicitly,
 * black on white, so the code reads the same on a dark or a light terminal;
 * a last, odd row is paired with a light one.  Returns 0, or IKR_E_IO when
 * f reports a write error.
 */
int ikr_qr_print_terminal(const ikr_qr *q, FILE *f)
{
    static const char *const cell[4] = {
        " ",            /* both light */
        "\xe2\x96\x80", /* U+2580 upper half: upper dark */
        "\xe2\x96\x84", /* U+2584 lower half: lower dark */
        "\xe2\x96\x88", /* U+2588 full block: both dark */
    };
    int side = q->width + 2 * IKR_QR_QUIET;

    for (int y = 0; y < side; y += 2) {
        fputs("\033[30;47m", f);
        for (int x = 0; x < side; x++)
            fputs(cell[module_at(q, x, y) | module_at(q, x, y + 1) << 1], f);
        fputs("\033[0m\n", f);
    }
    if (fflush(f) != 0 || ferror(f))
        return IKR_E_IO;
    return IKR_OK;
}

/* Where libpng's errors go: a message to copy out, and the way back. */
struct png_failure {
    char msg[128];
};

/* libpng's bytes go to the temporary file; a failed write stops libpng. */
static void png_to_file(png_structp png, png_bytep data, png_size_t len)
{
    if (ikr_file_out_write(png_get_io_ptr(png), data, len, NULL))
        png_error(png, "write failed");
}

static void png_no_flush(png_structp png)
{
    (void)png; /* the commit syncs the file */
}

static void png_on_error(png_structp png, png_const_charp msg)
{
    struct png_failure *pf = png_get_error_ptr(png);
    snprintf(pf->msg, sizeof pf->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* the core never prints; a warning does not stop the image */
}

/*
 * Writes the PNG of q to out.  row holds side * scale bytes.  Returns 0, or -1
 * with pf->msg set.  Kept apart from its caller so that nothing the caller
 * owns is live across libpng's longjmp.
 */
static int png_emit(ikr_file_out *out, const ikr_qr *q, int scale, uint8_t *row,
                    struct png_failure *pf)
{
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, pf, png_on_error, png_on_warning);
    if (!png) {
        snprintf(pf->msg, sizeof pf->msg, "out of memory");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(pf->msg, sizeof pf->msg, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }

    int side = q->width + 2 * IKR_QR_QUIET;
    png_uint_32 px = (png_uint_32)side * (png_uint_32)scale;
    png_set_write_fn(png, out, png_to_file, png_no_flush);
    png_set_IHDR(png, info, px, px, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++)
            memset(row + (size_t)x * (size_t)scale, module_at(q, x, y) ? 0x00 : 0xff,
                   (size_t)scale);
        for (int i = 0; i < scale; i++)
            png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

/*
 * Writes q to "<path>.tmp", syncs it and renames it over path.  On failure
 * the .tmp file is gone and path is as it was.  Returns 0; IKR_E_IO,
 * IKR_E_DISK_FULL or IKR_E_READONLY (with the path and the reason in e);
 * IKR_E_NOMEM; or IKR_E_INTERNAL for a scale outside 1..IKR_QR_MAX_SCALE.
 */
int ikr_qr_write_png(const ikr_qr *q, const char *path, int scale, ikr_err *e)
{
    if (scale < 1 || scale > IKR_QR_MAX_SCALE)
        return ikr_err_set(e, IKR_E_INTERNAL, "qr: scale %d outside 1..%d", scale,
                           IKR_QR_MAX_SCALE);
    if (!q->dark || q->width < 21)
        return ikr_err_set(e, IKR_E_INTERNAL, "qr: no code to write");

    int side = q->width + 2 * IKR_QR_QUIET;
    uint8_t *row = malloc((size_t)side * (size_t)scale);
    if (!row)
        return ikr_err_set(e, IKR_E_NOMEM, "qr");

    ikr_file_out out;
    int rc = ikr_file_out_open(&out, path, 0644, 0, e);
    if (!rc) {
        struct png_failure pf = {{0}};
        if (png_emit(&out, q, scale, row, &pf) != 0) {
            /* A failed write is the file's to tell (a full disk, with the path); else libpng's. */
            rc = out.rc ? ikr_err_set(e, out.rc, "%s: %s", path, strerror(out.err))
                        : ikr_err_set(e, IKR_E_IO, "%s: %s", path, pf.msg);
            ikr_file_out_abort(&out);
        } else {
            rc = ikr_file_out_commit(&out, e);
        }
    }
    free(row);
    return rc;
}
