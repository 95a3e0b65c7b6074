/*
 * test_camera: the verify station's frames, from the source to the verdict.
 *
 * The frame sources (camera.h): a sequence of picture files read in order,
 * one a call, then nothing new; folders, missing paths, broken files; and
 * camera devices that are missing or are not cameras, as error values.
 *
 * Then the app's Verify screen fed a camera-sized (640x480) sequence made
 * here (decoded on the app's decoder thread, each decode waited for as a
 * script's virtual clock does): no code (the camera's picture drawn for
 * aiming, a new one for each frame), a blurred code, a valid receipt (green, the signer's
 * name and number), the same one again (no redraw: no flicker), a receipt
 * of another kiosk (red, unknown key), a tampered one (red), a QR code that
 * is no receipt (red, "bukan struk"), receipts signed by this kiosk's key
 * but not in its log or disagreeing with it (red), and the verdict's 8 s.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "ikrar/camera.h"
#include "ikrar/clock.h"
#include "ikrar/image.h"
#include "ikrar/qr.h"
#include "ikrar/scan.h"
#include "ikrar/station.h"
#include "kiosk_fixture.h"

#define FW 640
#define FH 480
#define VERIFY_HOLD_TEST_MS 8000 /* VERIFY_HOLD_MS in src/kiosk/app_state.h */

static char root[] = "/tmp/ikrar-camera-XXXXXX";

/* ---- pictures ---- */

static int write_png(const ikr_image *img, const char *path)
{
    png_image p;
    memset(&p, 0, sizeof p);
    p.version = PNG_IMAGE_VERSION;
    p.width = (png_uint_32)img->w;
    p.height = (png_uint_32)img->h;
    p.format = PNG_FORMAT_GRAY;
    int ok = png_image_write_to_file(&p, path, 0, img->px, img->w, NULL);
    png_image_free(&p);
    return ok ? 0 : -1;
}

/* A camera-sized frame: white, with text's QR code (if any) in the middle at scale px a module. */
static ikr_image frame_with(const char *text, int scale)
{
    ikr_image img;
    memset(&img, 0, sizeof img);
    if (ikr_image_new(&img, FW, FH, 235) || !text)
        return img;
    ikr_qr q;
    if (ikr_qr_encode(&q, text, NULL))
        return img;
    int side = (q.width + 2 * IKR_QR_QUIET) * scale, x0 = (FW - side) / 2, y0 = (FH - side) / 2;
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            int my = y / scale - IKR_QR_QUIET, mx = x / scale - IKR_QR_QUIET;
            int dark =
                my >= 0 && mx >= 0 && my < q.width && mx < q.width && q.dark[my * q.width + mx];
            if (y0 + y >= 0 && x0 + x >= 0 && y0 + y < FH && x0 + x < FW)
                img.px[(size_t)(y0 + y) * FW + x0 + x] = dark ? 20 : 250;
        }
    ikr_qr_free(&q);
    return img;
}

/* Box blur of radius r, in place, both directions. */
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

static void save_frame(const char *dir, const char *name, const char *text, int blur_r)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ikr_image img = frame_with(text, 4);
    if (blur_r)
        blur(&img, blur_r);
    check(name, img.px && write_png(&img, path) == 0);
    ikr_image_free(&img);
}

/* ---- kiosks and receipts ---- */

static ikr_station *make_station(const char *name, const char *kiosk_name)
{
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN",
                           kiosk_name,
                           NULL,
                           0,
                           "246810",
                           NULL,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    return kiosk_station(root, name, &cfg);
}

/* Signs one signer into s; returns the receipt text (caller frees) or NULL. */
static char *sign(ikr_station *s, const char *name, int status, const char *nip)
{
    uint32_t xyt[] = {1, 2, 0, 30, 40, 16, 60, 10, 32};
    size_t end[] = {3};
    ikr_ink ink = {100, 50, 1, 3, xyt, end};
    ikr_form f = {name, status, nip, "Guru", "Dinas Pendidikan"};
    ikr_signed out;
    memset(&out, 0, sizeof out);
    if (ikr_station_sign(s, &f, &ink, 1727690000, &out, NULL) != IKR_OK) {
        ikr_buf_free(&out.receipt);
        return NULL;
    }
    char *t = strdup((const char *)out.receipt.p);
    ikr_buf_free(&out.receipt);
    return t;
}

/* ---- the frame sources ---- */

static void test_sources(const char *frames, const char *valid)
{
    ikr_camera *c = NULL;
    ikr_err e;
    ikr_frame f;
    int got = 0;
    ikr_scanner *sc = NULL;
    ikr_scan_result *res = malloc(sizeof *res);
    check("a scanner", res && ikr_scanner_new(&sc, NULL) == IKR_OK);

    const char *dirs[] = {frames};
    ikr_err_clear(&e);
    check("a folder of frames opens",
          ikr_camera_open_files(&c, dirs, 1, &e) == IKR_OK && c && ikr_camera_is_files(c));
    int n = 0, blank_no_qr = 0, valid_at_2 = 0, sizes_ok = 1;
    while (c && ikr_camera_next(c, &f, &got, &e) == IKR_OK && got && n < 20) {
        sizes_ok &= f.w == FW && f.h == FH && f.stride == FW && f.grey != NULL;
        int rc = ikr_scan_frame(sc, &f, res, NULL);
        if (n == 0)
            blank_no_qr = rc == IKR_E_NO_QR;
        if (n == 2)
            valid_at_2 = rc == IKR_OK && res->n == 1 && strcmp(res->code[0].text, valid) == 0;
        n++;
    }
    check("every frame file is read, in name order, then nothing new", n == 10 && got == 0);
    check("frames are camera-sized greyscale", sizes_ok);
    check("a frame with no code: no QR", blank_no_qr);
    check("the third frame decodes to the receipt", valid_at_2);
    check("after the last frame the source stays quiet",
          c && ikr_camera_next(c, &f, &got, &e) == IKR_OK && got == 0 && f.grey == NULL);
    ikr_camera_close(c);
    c = NULL;

    /* Files given one by one are shown in the order given. */
    char one[800], two[800];
    snprintf(one, sizeof one, "%s/09-valid-again.png", frames);
    snprintf(two, sizeof two, "%s/00-blank.png", frames);
    const char *files[] = {one, two};
    check("files one by one", ikr_camera_open_files(&c, files, 2, &e) == IKR_OK);
    int first_qr = c && ikr_camera_next(c, &f, &got, &e) == IKR_OK && got &&
                   ikr_scan_frame(sc, &f, res, NULL) == 0;
    int second_none = c && ikr_camera_next(c, &f, &got, &e) == IKR_OK && got &&
                      ikr_scan_frame(sc, &f, res, NULL) == IKR_E_NO_QR;
    check("...in the order given", first_qr && second_none);
    ikr_camera_close(c);
    c = NULL;

    /* What cannot be a sequence of frames. */
    char path[700];
    snprintf(path, sizeof path, "%s/nowhere", root);
    const char *missing[] = {path};
    ikr_err_clear(&e);
    check("a missing frames path is an I/O error",
          ikr_camera_open_files(&c, missing, 1, &e) == IKR_E_IO && !c &&
              strstr(e.detail, "nowhere"));
    snprintf(path, sizeof path, "%s/empty", root);
    mkdir(path, 0755);
    const char *empty[] = {path};
    ikr_err_clear(&e);
    check("a folder without pictures is refused",
          ikr_camera_open_files(&c, empty, 1, &e) == IKR_E_IO && !c);
    snprintf(path, sizeof path, "%s/empty/broken.png", root);
    FILE *bf = fopen(path, "w");
    if (bf) {
        fputs("not a png at all", bf);
        fclose(bf);
    }
    snprintf(two, sizeof two, "%s/00-blank.png", frames);
    const char *mixed[] = {path, two};
    ikr_err_clear(&e);
    check("a broken picture in a sequence opens",
          ikr_camera_open_files(&c, mixed, 2, &e) == IKR_OK);
    check("...is an image error when its turn comes",
          c && ikr_camera_next(c, &f, &got, &e) == IKR_E_IMAGE && !got);
    ikr_err_clear(&e);
    check("...and the next frame still comes",
          c && ikr_camera_next(c, &f, &got, &e) == IKR_OK && got);
    ikr_camera_close(c);
    c = NULL;

    /* Devices: errors as values, never a crash or a wait. */
    ikr_err_clear(&e);
    check("no such camera",
          ikr_camera_open_device(&c, "/dev/ikrar-no-such-camera", &e) == IKR_E_CAMERA_NONE && !c);
    char msg[300];
    ikr_err_format(&e, IKR_LANG_ID, msg, sizeof msg);
    check("...said in Indonesian with the path",
          strstr(msg, "Kamera tidak ditemukan: /dev/ikrar-no-such-camera"));
    ikr_err_format(&e, IKR_LANG_EN, msg, sizeof msg);
    check("...and in English", strstr(msg, "No camera found: /dev/ikrar-no-such-camera"));
    ikr_err_clear(&e);
    check("a device that is no camera",
          ikr_camera_open_device(&c, "/dev/null", &e) == IKR_E_CAMERA && !c &&
              strstr(e.detail, "not a V4L2 camera"));
    ikr_err_clear(&e);
    check("a file that is no device", ikr_camera_open_device(&c, two, &e) == IKR_E_CAMERA && !c);
    ikr_err_clear(&e);
    check("no path at all", ikr_camera_open_device(&c, "", &e) == IKR_E_CAMERA_NONE && !c);
    ikr_camera_close(NULL);
    ikr_scanner_free(sc);
    free(res);
}

/* ---- the Verify screen ---- */

static void dump(const kiosk *k, const char *why)
{
    fprintf(stderr, "%s; the screen (%s) shows:\n", why, app_screen_name(k->a));
    for (int i = 0; i < k->l.ncmd; i++)
        if (k->l.cmd[i].type == KD_TEXT)
            fprintf(stderr, "  | %s\n", k->l.cmd[i].text);
}

/* The frame's camera picture (a KD_GREY command), or NULL. */
static const kd_cmd *camera_picture(const kiosk *k)
{
    for (int i = 0; i < k->l.ncmd; i++)
        if (k->l.cmd[i].type == KD_GREY)
            return &k->l.cmd[i];
    return NULL;
}

#define SEES(k, desc, cond)                                                                        \
    do {                                                                                           \
        int ok_ = (cond);                                                                          \
        check(desc, ok_);                                                                          \
        if (!ok_)                                                                                  \
            dump(k, desc);                                                                         \
    } while (0)

static void test_screen(ikr_station *s, const char *frames, int lang, int w, int h)
{
    kiosk k;
    memset(&k, 0, sizeof k);
    k.w = w;
    k.h = h;
    k.now = 1000;
    const char *paths[] = {frames};
    app_opts o = {.lang = lang,
                  .fullscreen = 1,
                  .verify_station = 1,
                  .frames = paths,
                  .nframes = 1,
                  .decode_sync = 1};
    check("the app starts", app_new(&k.a, s, &o, k.now, NULL) == IKR_OK);
    if (!k.a)
        return;
    frame(&k);
    int id = lang == IKR_LANG_ID;
    SEES(&k, "a verify station opens on Verify", strcmp(app_screen_name(k.a), "verify") == 0);
    SEES(&k, "it asks for a receipt", shows(&k, id ? "Tunjukkan kode QR" : "Hold the receipt"));
    SEES(&k, "it says where the pictures come from",
         shows(&k, id ? "gambar dari berkas" : "pictures from files"));
    const char *valid = id ? "Struk asli" : "A genuine receipt",
               *invalid = id ? "TIDAK SAH" : "NOT VALID";

    wait_ms(&k, 100); /* 00: no code */
    SEES(&k, "no code: still asking",
         shows(&k, id ? "Tunjukkan kode QR" : "Hold the receipt") && !shows(&k, invalid));
    const kd_cmd *pic = camera_picture(&k);
    SEES(&k, "the camera's picture is drawn for aiming, whole, inside the window",
         pic && pic->gw == 640 && pic->gh == 480 && pic->x >= 0 && pic->y >= 0 &&
             pic->x + pic->w <= w && pic->y + pic->h <= h && pic->w >= w / 3);
    uint32_t gen = pic ? pic->gen : 0;
    k.flags = 0;
    wait_ms(&k, 100); /* 01: blurred past reading */
    pic = camera_picture(&k);
    SEES(&k, "each new frame is shown: a new picture, redrawn",
         pic && pic->gen != gen && (k.flags & APP_REDRAW));
    SEES(&k, "a blurred code: no verdict, or the right one",
         !shows(&k, invalid) && (!shows(&k, valid) || shows(&k, "Siti Rahmawati")));
    wait_ms(&k, 100); /* 02: the receipt */
    SEES(&k, "a valid receipt is green with the signer",
         shows(&k, valid) && !shows(&k, invalid) && shows(&k, "Siti Rahmawati, S.Pd.") &&
             shows(&k, "2 003") && shows(&k, "pilkada-2024") && shows(&k, "2024-09-30 16:53 WIB"));
    SEES(&k, "the NIP is masked", !shows(&k, "19850330"));
    SEES(&k, "the verdict shows big, without the camera's picture", !camera_picture(&k));
    k.flags = 0;
    wait_ms(&k, 100); /* 03: the same receipt, still held up */
    SEES(&k, "the same receipt again: the verdict stays, nothing redrawn",
         shows(&k, valid) && !(k.flags & APP_REDRAW));
    wait_ms(&k, 100); /* 04: another kiosk's receipt */
    SEES(&k, "another kiosk's receipt is red: unknown key",
         shows(&k, invalid) && shows(&k, id ? "kunci kiosk" : "unknown kiosk") &&
             !shows(&k, "Budi"));
    wait_ms(&k, 100); /* 05: tampered */
    SEES(&k, "a tampered receipt is red", shows(&k, invalid) && !shows(&k, "Siti Rahmawati"));
    wait_ms(&k, 100); /* 06: no receipt at all */
    SEES(&k, "a QR code that is no receipt is red: not a receipt",
         shows(&k, invalid) && shows(&k, id ? "bukan struk" : "not an ikrar"));
    wait_ms(&k, 100); /* 07: this kiosk's key, another record 1 */
    SEES(&k, "a receipt the log disagrees with is red, with its signed details",
         shows(&k, invalid) && shows(&k, id ? "tidak cocok" : "does not match") &&
             shows(&k, "Budi Santoso"));
    wait_ms(&k, 100); /* 08: this kiosk's key, a record the log does not have */
    SEES(&k, "a receipt not in this log is red",
         shows(&k, invalid) && shows(&k, id ? "tidak ada di log" : "is not in"));
    wait_ms(&k, 100); /* 09: the first receipt again */
    SEES(&k, "the valid receipt again is green", shows(&k, valid) && shows(&k, "Siti Rahmawati"));
    wait_ms(&k, VERIFY_HOLD_TEST_MS - 500);
    SEES(&k, "the verdict stays while it is fresh", shows(&k, valid));
    wait_ms(&k, 1000);
    SEES(&k, "and then asks for the next receipt",
         !shows(&k, valid) && shows(&k, id ? "Tunjukkan" : "Hold the"));
    wait_ms(&k, 70000);
    SEES(&k, "no idle countdown on a verify station",
         strcmp(app_screen_name(k.a), "verify") == 0 &&
             !shows(&k, id ? "Masih di sana" : "Still there"));
    check("leaving needs the PIN",
          tap(&k, KB_BACK) && strcmp(app_screen_name(k.a), "admin-pin") == 0);
    app_free(k.a);
}

/*
 * The decoder's thread as a live kiosk runs it (no decode_sync): the loop
 * hands a frame over and goes on; while the decode runs the app asks to be
 * ticked again soon, and the verdict shows on a later tick, once the thread
 * is done (waited for here in real time).  Leaving with a frame in hand
 * joins the thread cleanly.
 */
static void test_async(ikr_station *s, const char *frames)
{
    kiosk k;
    memset(&k, 0, sizeof k);
    k.w = 1280;
    k.h = 800;
    k.now = 1000;
    char path[800];
    snprintf(path, sizeof path, "%s/02-valid.png", frames);
    const char *paths[] = {path};
    app_opts o = {.lang = IKR_LANG_ID, .verify_station = 1, .frames = paths, .nframes = 1};
    if (app_new(&k.a, s, &o, k.now, NULL) != IKR_OK)
        return;
    frame(&k);
    feed(&k, APP_TICK, 0, 0); /* the first look: the frame goes to the decoder */
    int64_t next = app_next_timer(k.a, k.now);
    int seen = shows(&k, "Struk asli"), ticks = 0;
    check("a frame with the decoder: the loop asks to look again within 10 ms, or already has it",
          seen || (next >= 0 && next <= 10));
    for (int i = 0; i < 500 && !seen; i++) {
        usleep(10000);
        k.now += 10;
        feed(&k, APP_TICK, 0, 0);
        ticks++;
        seen = shows(&k, "Struk asli");
    }
    SEES(&k, "the verdict comes from the decoder's thread on a later tick",
         seen && shows(&k, "Siti Rahmawati, S.Pd."));
    printf("  async decode: verdict after %d ticks of 10 ms\n", ticks);
    app_free(k.a);

    /* Leaving while the thread decodes: joined, nothing leaks (ASan), no race (TSan). */
    k.now = 1000;
    if (app_new(&k.a, s, &o, k.now, NULL) != IKR_OK)
        return;
    frame(&k);
    feed(&k, APP_TICK, 0, 0);
    app_free(k.a); /* the sanitizer builds are what check this */
}

/* The same screen over a camera that is not there. */
static void test_no_camera(ikr_station *s)
{
    kiosk k;
    memset(&k, 0, sizeof k);
    k.w = 800;
    k.h = 480;
    k.now = 1000;
    app_opts o = {.lang = IKR_LANG_ID, .verify_station = 1, .camera = "/dev/ikrar-no-such-camera"};
    if (app_new(&k.a, s, &o, k.now, NULL) != IKR_OK)
        return;
    frame(&k);
    wait_ms(&k, 100);
    SEES(&k, "no camera: said on the screen",
         shows(&k, "Kamera tidak tersedia") && shows(&k, "/dev/ikrar-no-such-camera"));
    int64_t next = app_next_timer(k.a, k.now);
    check("...and looked for again in a while, not in a busy loop", next >= 1000 && next <= 2000);
    app_free(k.a);
}

int main(void)
{
    /* The folder is set up just before the fixed signing time below. */
    setenv(IKR_CLOCK_ENV, "1727689000", 1);
    if (!mkdtemp(root))
        return 1;
    ikr_station *a = make_station("a", "aula-1"), *other = make_station("other", "aula-2");
    /* b: a copy of a's folder before anyone signed: the same key, a log of its own. */
    char cmd[1400], frames[700];
    snprintf(cmd, sizeof cmd, "cp -r '%s/a' '%s/b'", root, root);
    ikr_station *b = NULL;
    if (a && system(cmd) == 0) {
        snprintf(cmd, sizeof cmd, "%s/b", root);
        ikr_station_open(&b, cmd, IKR_OPEN_SIGN, NULL, NULL);
    }
    check("three kiosk folders", a && other && b);
    char *valid = a ? sign(a, "Siti Rahmawati, S.Pd.", IKR_STATUS_PNS, "198503302010012003") : NULL;
    char *foreign = other ? sign(other, "Budi", IKR_STATUS_NON_ASN, "") : NULL;
    char *differs = b ? sign(b, "Budi Santoso", IKR_STATUS_NON_ASN, "") : NULL;
    char *beyond = b ? sign(b, "Ani", IKR_STATUS_NON_ASN, "") : NULL;
    check("four receipts", valid && foreign && differs && beyond);
    if (valid && foreign && differs && beyond) {
        /* Tampered: one character in the middle of the Base45 changed for another of its alphabet.
         */
        char *tampered = strdup(valid);
        size_t mid = strlen(tampered) / 2;
        tampered[mid] = tampered[mid] == 'A' ? 'B' : 'A';
        snprintf(frames, sizeof frames, "%s/frames", root);
        mkdir(frames, 0755);
        save_frame(frames, "00-blank.png", NULL, 0);
        save_frame(frames, "01-blurred.png", valid, 12);
        save_frame(frames, "02-valid.png", valid, 0);
        save_frame(frames, "03-valid-held.png", valid, 0);
        save_frame(frames, "04-other-kiosk.png", foreign, 0);
        save_frame(frames, "05-tampered.png", tampered, 0);
        save_frame(frames, "06-not-a-receipt.png", "HELLO WORLD 123", 0);
        save_frame(frames, "07-log-differs.png", differs, 0);
        save_frame(frames, "08-not-in-log.png", beyond, 0);
        save_frame(frames, "09-valid-again.png", valid, 0);
        free(tampered);
        test_sources(frames, valid);
        test_screen(a, frames, IKR_LANG_ID, 1280, 800);
        test_screen(a, frames, IKR_LANG_EN, 1080, 1920);
        test_screen(a, frames, IKR_LANG_ID, 800, 480);
        test_async(a, frames);
        test_no_camera(a);
    }
    free(valid);
    free(foreign);
    free(differs);
    free(beyond);
    ikr_station_close(a);
    ikr_station_close(b);
    ikr_station_close(other);
    ikr_file_remove_tree(root);
    return check_report();
}
