/*
 * test_qr.c: the receipt QR code.  Receipt-length texts must fit version 17
 * at EC level Q (docs/formats.md §6); the PNG must scan back to the same text
 * (with zbarimg when it is installed) and be replaced atomically; the
 * terminal drawing must hold exactly the modules of the code.
 */
#include <errno.h>
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/limits.h"
#include "ikrar/qr.h"

static const char b45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/*
 * Fills out with "IK1:" and the Base45 of n pseudo-random bytes (what a
 * receipt looks like: compressed, signed bytes), NUL-terminated.
 */
static void receipt_like(char *out, size_t n, unsigned seed)
{
    size_t o = 0;
    memcpy(out, "IK1:", 4);
    o = 4;
    for (size_t i = 0; i < n; i += 2) {
        unsigned v;
        seed = seed * 1103515245u + 12345u;
        unsigned a = (seed >> 16) & 0xff;
        seed = seed * 1103515245u + 12345u;
        unsigned b = (seed >> 16) & 0xff;
        if (i + 1 < n) {
            v = a * 256 + b;
            out[o++] = b45[v % 45];
            out[o++] = b45[v / 45 % 45];
            out[o++] = b45[v / 2025];
        } else {
            v = a;
            out[o++] = b45[v % 45];
            out[o++] = b45[v / 45];
        }
    }
    out[o] = '\0';
}

/* The version libqrencode gives text forced into alphanumeric mode as one segment. */
static int version_alnum_only(const char *text)
{
    QRinput *in = QRinput_new2(0, QR_ECLEVEL_Q);
    if (!in)
        return -1;
    int v = -1;
    if (QRinput_append(in, QR_MODE_AN, (int)strlen(text), (const unsigned char *)text) == 0) {
        QRcode *c = QRcode_encodeInput(in);
        if (c) {
            v = c->version;
            QRcode_free(c);
        }
    }
    QRinput_free(in);
    return v;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int have_zbarimg(void)
{
    return system("command -v zbarimg >/dev/null 2>&1") == 0;
}

/* The text zbarimg reads from path (malloc'd, trailing newline cut), or NULL. */
static char *zbar_read(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *out = calloc(1, IKR_MAX_RECEIPT_TEXT + 16);
    size_t n = out ? fread(out, 1, IKR_MAX_RECEIPT_TEXT + 8, p) : 0;
    int st = pclose(p);
    if (!out || st != 0 || n == 0) {
        free(out);
        return NULL;
    }
    if (out[n - 1] == '\n')
        out[n - 1] = '\0';
    return out;
}

/*
 * Reads the PNG at path back with libpng's simplified API and checks it is
 * grey, side * scale pixels square, and matches q module by module.
 */
static int png_matches(const ikr_qr *q, const char *path, int scale)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path))
        return 0;
    int side = q->width + 2 * IKR_QR_QUIET;
    int ok = img.width == (png_uint_32)(side * scale) && img.height == img.width &&
             (img.format & PNG_FORMAT_FLAG_COLOR) == 0;
    img.format = PNG_FORMAT_GRAY;
    png_bytep px = malloc(PNG_IMAGE_SIZE(img));
    if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
        png_image_free(&img);
        free(px);
        return 0;
    }
    for (int y = 0; ok && y < side * scale; y++)
        for (int x = 0; ok && x < side * scale; x++) {
            int mx = x / scale - IKR_QR_QUIET, my = y / scale - IKR_QR_QUIET;
            int dark =
                mx >= 0 && my >= 0 && mx < q->width && my < q->width && q->dark[my * q->width + mx];
            ok = px[(size_t)y * img.width + x] == (dark ? 0 : 255);
        }
    free(px);
    return ok;
}

/*
 * Parses the terminal drawing back into modules and compares with q: each
 * line is the colour escape, side cells, the reset escape and a newline.
 */
static int terminal_matches(const ikr_qr *q, const char *s, size_t len, int *lines)
{
    static const char *const cell[4] = {" ", "\xe2\x96\x80", "\xe2\x96\x84", "\xe2\x96\x88"};
    int side = q->width + 2 * IKR_QR_QUIET;
    const char *p = s, *end = s + len;
    *lines = 0;
    for (int y = 0; p < end; y += 2) {
        if (strncmp(p, "\033[30;47m", 8) != 0)
            return 0;
        p += 8;
        for (int x = 0; x < side; x++) {
            int k;
            for (k = 0; k < 4; k++)
                if (strncmp(p, cell[k], strlen(cell[k])) == 0)
                    break;
            if (k == 4)
                return 0;
            p += strlen(cell[k]);
            for (int half = 0; half < 2; half++) {
                int mx = x - IKR_QR_QUIET, my = y + half - IKR_QR_QUIET;
                int dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
                           q->dark[my * q->width + mx];
                if (dark != ((k >> half) & 1))
                    return 0;
            }
        }
        if (strncmp(p, "\033[0m\n", 5) != 0)
            return 0;
        p += 5;
        (*lines)++;
    }
    return 1;
}

static void test_receipt(const char *tmpdir, size_t nbytes, int zbar)
{
    char text[IKR_MAX_RECEIPT_TEXT + 1];
    char desc[128];
    receipt_like(text, nbytes, (unsigned)nbytes);

    ikr_qr q;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_qr_encode(&q, text, &e);
    snprintf(desc, sizeof desc, "encode %zu characters", strlen(text));
    check(desc, rc == 0);
    if (rc != 0)
        return;
    printf("receipt of %zu characters: QR version %d at EC %c\n", strlen(text), q.version, q.level);
    snprintf(desc, sizeof desc, "%zu characters fit version 17", strlen(text));
    check(desc, q.version >= 1 && q.version <= 17);
    check("level Q unless Q would pass version 17, then M",
          q.level == 'Q' ? 1 : (q.level == 'M' && version_alnum_only(text) > 17));
    if (q.level == 'Q')
        check("no larger than the pure alphanumeric encoding",
              q.version <= version_alnum_only(text));
    check("width is 17 + 4 * version", q.width == 17 + 4 * q.version);

    char path[512];
    snprintf(path, sizeof path, "%s/r%zu.png", tmpdir, nbytes);
    rc = ikr_qr_write_png(&q, path, 4, &e);
    check("write PNG", rc == 0);
    check("PNG has the modules, 4 px each, with quiet zone", png_matches(&q, path, 4));
    char tmp[520];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    check("no .tmp left after a write", !file_exists(tmp));
    if (zbar) {
        char *got = zbar_read(path);
        check("zbarimg reads the PNG", got != NULL);
        check("zbarimg reads back the exact text", got && strcmp(got, text) == 0);
        free(got);
    }
    unlink(path);
    ikr_qr_free(&q);
}

static void test_png_errors(const char *tmpdir)
{
    ikr_qr q;
    ikr_err e;
    ikr_err_clear(&e);
    check("encode", ikr_qr_encode(&q, "IK1:HELLO", &e) == 0);

    char path[512], tmp[520];
    /* a directory that is not there */
    snprintf(path, sizeof path, "%s/missing/x.png", tmpdir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ikr_err_clear(&e);
    check("missing directory is an I/O error", ikr_qr_write_png(&q, path, 4, &e) == IKR_E_IO);
    check("the error names the path", strstr(e.detail, "missing/x.png") != NULL);
    check("no .tmp after failed open", !file_exists(tmp));

    /* the target is a directory: the .tmp is written, the rename fails */
    snprintf(path, sizeof path, "%s/adir", tmpdir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    check("make a directory", mkdir(path, 0755) == 0);
    ikr_err_clear(&e);
    check("rename onto a directory is an I/O error", ikr_qr_write_png(&q, path, 4, &e) == IKR_E_IO);
    check("no .tmp after failed rename", !file_exists(tmp));
    rmdir(path);

    /* replacing a file that is there */
    snprintf(path, sizeof path, "%s/again.png", tmpdir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not a png", f);
        fclose(f);
    }
    ikr_err_clear(&e);
    check("replace an existing file", ikr_qr_write_png(&q, path, 2, &e) == 0);
    check("replacement is the new image", png_matches(&q, path, 2));
    unlink(path);

    ikr_err_clear(&e);
    check("scale 0 refused", ikr_qr_write_png(&q, path, 0, &e) == IKR_E_INTERNAL);
    check("nothing written for a refused scale", !file_exists(path));
    ikr_qr_free(&q);
    ikr_qr_free(&q); /* twice is harmless */
    ikr_qr_free(NULL);
}

static void test_terminal(void)
{
    char text[IKR_MAX_RECEIPT_TEXT + 1];
    receipt_like(text, 286, 7);
    ikr_qr q;
    ikr_err e;
    ikr_err_clear(&e);
    check("encode for terminal", ikr_qr_encode(&q, text, &e) == 0);

    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    check("open_memstream", f != NULL);
    if (!f) {
        ikr_qr_free(&q);
        return;
    }
    check("print to terminal", ikr_qr_print_terminal(&q, f) == 0);
    fclose(f);

    int side = q.width + 2 * IKR_QR_QUIET, lines = 0;
    check("has upper half blocks", strstr(s, "\xe2\x96\x80") != NULL);
    check("has lower half blocks", strstr(s, "\xe2\x96\x84") != NULL);
    check("has full blocks", strstr(s, "\xe2\x96\x88") != NULL);
    check("drawing holds exactly the code's modules", terminal_matches(&q, s, len, &lines));
    check("two module rows a line, quiet zone included", lines == (side + 1) / 2);
    free(s);
    ikr_qr_free(&q);
}

static void test_encode_errors(void)
{
    ikr_qr q;
    ikr_err e;
    ikr_err_clear(&e);
    check("empty text refused", ikr_qr_encode(&q, "", &e) == IKR_E_INTERNAL);
    check("refused leaves no matrix", q.dark == NULL);

    char *big = malloc(IKR_MAX_RECEIPT_TEXT + 2);
    if (big) {
        memset(big, 'A', IKR_MAX_RECEIPT_TEXT + 1);
        big[IKR_MAX_RECEIPT_TEXT + 1] = '\0';
        ikr_err_clear(&e);
        check("text over the limit refused", ikr_qr_encode(&q, big, &e) == IKR_E_INTERNAL);
        /* fits the limit but not version 40 at level Q */
        big[IKR_MAX_RECEIPT_TEXT] = '\0';
        ikr_err_clear(&e);
        check("text too big for level Q refused", ikr_qr_encode(&q, big, &e) == IKR_E_INTERNAL);
        free(big);
    }

    /* text outside the alphanumeric set still encodes (8-bit runs) */
    ikr_err_clear(&e);
    check("lower case encodes", ikr_qr_encode(&q, "ikrar receipt", &e) == 0);
    ikr_qr_free(&q);
}

int main(void)
{
    char tmpdir[] = "/tmp/ikrar-test-qr-XXXXXX";
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    int zbar = have_zbarimg();
    if (!zbar)
        printf("zbarimg not found: PNGs are checked pixel by pixel only\n");

    /* ~330 characters, and a receipt with a 64-byte name and NIP (~286 zlib bytes) */
    test_receipt(tmpdir, 218, zbar);
    test_receipt(tmpdir, 286, zbar);
    /* headroom: 320 bytes (484 characters), e.g. with a long event id as well */
    test_receipt(tmpdir, 320, zbar);
    /* 540 characters: past version 17 at Q, so it falls back to M and still fits */
    test_receipt(tmpdir, 360, zbar);
    test_png_errors(tmpdir);
    test_terminal();
    test_encode_errors();

    rmdir(tmpdir);
    return check_report();
}
