/*
 * bench_scan.c: the scanning section of `ikrar bench`: `ikrar verify
 * IMAGE` as a whole process on a clean receipt PNG and on a 12-megapixel
 * JPEG photo of a receipt, beside `zbarimg` as a whole process on the same
 * files, measured in the same run.  Printed, never asserted.
 *
 * The pictures are made here, in the bench kiosk's folder, from a receipt
 * that kiosk signs: the PNG as `sign --receipt-png` writes it, the photo by
 * turning, dimming and adding noise to the code on a 4000x3000 grey page.
 *
 * Then the verify station's cost per camera frame (the kiosk looks at one
 * every 100 ms): the decode, in process, on 640x480 and 1280x720 frames
 * holding the receipt and on the same frames without a code (what a camera
 * sees most of the time), beside zbar alone on the same frames, measured in
 * the same run; and the check of a decoded receipt against the log.
 */
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <inttypes.h>
#include <jpeglib.h> /* after stdio.h and stddef.h */
#include <zbar.h>

#include "bench.h"
#include "ikrar/clock.h"
#include "ikrar/file.h"
#include "ikrar/image.h"
#include "ikrar/note.h"
#include "ikrar/qr.h"
#include "ikrar/receipt.h"
#include "ikrar/scan.h"
#include "ikrar/station.h"

#define PHOTO_W 4000
#define PHOTO_H 3000

static double secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/*
 * Runs argv (argv[0] a path, or a name looked up in PATH) n times with its
 * output thrown away, keeping each wall time in ms in t.  Returns the exit
 * status of the last run, or -1 when it could not be started.
 */
static int run_n(char *const argv[], int n, double *t)
{
    int status = -1;
    for (int i = 0; i < n; i++) {
        double t0 = secs();
        /* Nothing of ours may still sit in stdio's buffer, or the child would write it again. */
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
            return -1;
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (null >= 0) {
                dup2(null, STDOUT_FILENO);
                dup2(null, STDERR_FILENO);
            }
            execvp(argv[0], argv);
            _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
            return -1;
        t[i] = (secs() - t0) * 1e3;
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (status == 127)
            return -1;
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    return status;
}

/*
 * Draws a "photo" of q (q NULL: the page alone) into img: the code code_px
 * wide with its quiet zone, turned deg degrees about the centre, dim, on a
 * page lit unevenly, with noise.
 */
static void draw_photo(ikr_image *img, const ikr_qr *q, double code_px, double deg)
{
    int side = q ? q->width + 2 * IKR_QR_QUIET : 1, W = img->w, H = img->h;
    double mod = code_px / side, a = deg * M_PI / 180, ca = cos(a), sa = sin(a);
    uint32_t seed = 1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            /* Photo pixel to module coordinates: undo the turn about the centre. */
            double dx = x - W / 2.0, dy = y - H / 2.0;
            double u = (ca * dx + sa * dy) / mod + side / 2.0,
                   v = (-sa * dx + ca * dy) / mod + side / 2.0;
            int v0 = 110 + 30 * x / W;
            if (q && u >= 0 && v >= 0 && u < side && v < side) {
                int mu = (int)u - IKR_QR_QUIET, mv = (int)v - IKR_QR_QUIET;
                int dark = mu >= 0 && mv >= 0 && mu < q->width && mv < q->width &&
                           q->dark[mv * q->width + mu];
                v0 = dark ? 45 : 190;
            }
            seed = seed * 1664525u + 1013904223u;
            v0 += (int)(seed >> 27) - 16;
            img->px[(size_t)y * W + x] = (uint8_t)(v0 < 0 ? 0 : v0 > 255 ? 255 : v0);
        }
}

/* Writes a 12-MP JPEG "photo" of q to path: turned 14 degrees, dim, noisy. 0 or -1. */
static int write_photo(const ikr_qr *q, const char *path)
{
    ikr_image img;
    if (ikr_image_new(&img, PHOTO_W, PHOTO_H, 0))
        return -1;
    draw_photo(&img, q, 1200, 14);
    FILE *f = fopen(path, "wb");
    if (!f) {
        ikr_image_free(&img);
        return -1;
    }
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&ci);
    jpeg_stdio_dest(&ci, f);
    ci.image_width = PHOTO_W;
    ci.image_height = PHOTO_H;
    ci.input_components = 1;
    ci.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, 85, TRUE);
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = img.px + (size_t)ci.next_scanline * PHOTO_W;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    ikr_image_free(&img);
    return fclose(f) == 0 ? 0 : -1;
}

/* In-process load + scan of path, best of n, in ms; -1 when it does not read. */
static double inprocess_ms(const char *path, int n)
{
    ikr_buf file;
    ikr_buf_init(&file);
    ikr_scanner *sc = NULL;
    ikr_scan_result *res = malloc(sizeof *res);
    double best = -1;
    if (res && ikr_file_read(path, IKR_MAX_IMAGE_BYTES, &file, NULL) == 0 &&
        ikr_scanner_new(&sc, NULL) == 0)
        for (int i = 0; i < n; i++) {
            ikr_image img;
            double t0 = secs();
            if (ikr_image_load(&img, file.p, file.len, NULL))
                break;
            ikr_frame f = {img.px, img.w, img.h, (size_t)img.w};
            int rc = ikr_scan_frame(sc, &f, res, NULL);
            double ms = (secs() - t0) * 1e3;
            ikr_image_free(&img);
            if (rc)
                break;
            if (best < 0 || ms < best)
                best = ms;
        }
    ikr_scanner_free(sc);
    free(res);
    ikr_buf_free(&file);
    return best;
}

/* p50, p99 and mean of t[0..n), sorting t. */
static void stats3(double *t, int n, double *p50, double *p99, double *mean)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += t[i];
    qsort(t, (size_t)n, sizeof *t, cmp);
    *p50 = t[n / 2];
    *p99 = t[(int)(0.99 * (n - 1) + 0.5)];
    *mean = sum / n;
}

/* zbar alone on one frame, QR only, as zbarimg would read it: the baseline. ms, and *found. */
static double zbar_alone(zbar_image_scanner_t *zs, const ikr_image *img, int *found)
{
    zbar_image_t *zi = zbar_image_create();
    if (!zi)
        return 0;
    zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zi, (unsigned)img->w, (unsigned)img->h);
    zbar_image_set_data(zi, img->px, (unsigned long)img->w * (unsigned long)img->h, NULL);
    double t0 = secs();
    *found = zbar_scan_image(zs, zi) > 0;
    double ms = (secs() - t0) * 1e3;
    zbar_image_destroy(zi);
    return ms;
}

#define CAM_POSES 4 /* frames of one size: the receipt turned 3, 8, 13 and 18 degrees */

/*
 * The verify station's work on camera frames of w x h holding the receipt
 * (q) code_px wide, and on the same frames without a code (what a camera
 * sees most of the time): the decode, which the kiosk runs on its decoder
 * thread (ikr_scan_frame, cheapest view first), beside zbar alone on the
 * very same frames in the same run; then, for the frames with the receipt,
 * the check the loop makes of the decoded text (parse, signature, this
 * log).  n frames each, cycling through the poses.
 */
static void bench_camera(int lang, const char *dir, const ikr_qr *q, int w, int h, double code_px,
                         int n, double *t, double *tz)
{
    ikr_station *s = NULL;
    ikr_scanner *sc = NULL;
    zbar_image_scanner_t *zs = zbar_image_scanner_create();
    ikr_scan_result *res = malloc(sizeof *res);
    ikr_image with[CAM_POSES], without[CAM_POSES];
    ikr_vkey vk;
    ikr_buf line;
    uint64_t records = 0;
    int ok = 1;
    ikr_buf_init(&line);
    memset(with, 0, sizeof with);
    memset(without, 0, sizeof without);
    for (int i = 0; i < CAM_POSES; i++)
        ok =
            ok && ikr_image_new(&with[i], w, h, 0) == 0 && ikr_image_new(&without[i], w, h, 0) == 0;
    if (!ok || !zs || !res || ikr_scanner_new(&sc, NULL) ||
        ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, NULL) || ikr_station_vkey(s, &line) ||
        ikr_vkey_parse(&vk, (const char *)line.p, line.len) ||
        ikr_station_size(s, &records, NULL)) {
        printf("  %dx%d: %s\n", w, h, BL(lang, "tidak dapat diukur", "could not be measured"));
        goto out;
    }
    zbar_image_scanner_set_config(zs, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(zs, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    for (int i = 0; i < CAM_POSES; i++) {
        draw_photo(&with[i], q, code_px, 3 + 5 * i);
        draw_photo(&without[i], NULL, code_px, 3 + 5 * i);
    }
    double tc_p50 = 0, tc_p99 = 0, tc_mean = 0;
    int valid = 0;
    for (int k = 0; k < 2; k++) {
        int read = 0, zread = 0, first = 0;
        for (int i = 0; i < n; i++) {
            const ikr_image *img = k == 0 ? &with[i % CAM_POSES] : &without[i % CAM_POSES];
            ikr_frame f = {img->px, img->w, img->h, (size_t)img->w};
            double t0 = secs();
            int rc = ikr_scan_frame(sc, &f, res, NULL);
            t[i] = (secs() - t0) * 1e3;
            read += rc == IKR_OK;
            first += rc == IKR_OK && res->pass == 1;
            int zf = 0;
            tz[i] = zbar_alone(zs, img, &zf);
            zread += zf;
        }
        double d50, d99, dm, z50, z99, zm;
        stats3(t, n, &d50, &d99, &dm);
        stats3(tz, n, &z50, &z99, &zm);
        const char *what =
            k == 0 ? BL(lang, "dengan struk", "with a receipt") : BL(lang, "tanpa kode", "no code");
        printf("  %4dx%-4d %-15s %s p50 %6.1f  p99 %6.1f  mean %6.1f ms  (%d/%d %s, %d %s)\n", w, h,
               what, BL(lang, "pindai", "decode"), d50, d99, dm, read, n,
               BL(lang, "terbaca", "read"), first, BL(lang, "di pandangan 1", "in view 1"));
        printf("  %-25s zbar   p50 %6.1f  p99 %6.1f  mean %6.1f ms  (%d/%d %s)\n", "", z50, z99, zm,
               zread, n, BL(lang, "terbaca", "read"));
        printf("  %-25s %s p99 %.2f, mean %.2f", "", BL(lang, "pindai / zbar:", "decode / zbar:"),
               z99 > 0 ? d99 / z99 : 0.0, zm > 0 ? dm / zm : 0.0);
        if (k == 0 && w >= 1280)
            printf("   (%s p99 <= 30 ms -> %s)", BL(lang, "target", "target"),
                   d99 <= 30 ? BL(lang, "tercapai", "met") : BL(lang, "TIDAK tercapai", "NOT met"));
        printf("\n");
    }
    /* The loop's part, once per new code: the decoded text checked against this log. */
    if (ikr_scan_frame(sc, &(ikr_frame){with[0].px, w, h, (size_t)w}, res, NULL) == IKR_OK) {
        for (int i = 0; i < n; i++) {
            ikr_receipt r;
            ikr_buf cose;
            size_t which;
            ikr_buf_init(&cose);
            double t0 = secs();
            valid += ikr_receipt_parse(&r, &cose, res->code[0].text, res->code[0].len, NULL) == 0 &&
                     ikr_receipt_check(&cose, &vk, 1, &which, NULL) == 0 &&
                     ikr_station_check_receipt(s, &r, NULL) == 0;
            t[i] = (secs() - t0) * 1e3;
            ikr_buf_free(&cose);
        }
        stats3(t, n, &tc_p50, &tc_p99, &tc_mean);
        printf("  %-25s %s p50 %6.1f  p99 %6.1f ms  (%d/%d %s; %s %" PRIu64 " %s)\n", "",
               BL(lang, "periksa", "check "), tc_p50, tc_p99, valid, n, BL(lang, "sah", "valid"),
               BL(lang, "log", "a log of"), records, BL(lang, "catatan", "records"));
    }
out:
    for (int i = 0; i < CAM_POSES; i++) {
        ikr_image_free(&with[i]);
        ikr_image_free(&without[i]);
    }
    ikr_buf_free(&line);
    ikr_station_close(s);
    ikr_scanner_free(sc);
    if (zs)
        zbar_image_scanner_destroy(zs);
    free(res);
}

/*
 * Signs one receipt in the bench kiosk at dir, writes the pictures beside
 * it, and prints the timings.  Returns 0, or an IKR_E_* code set on e.
 */
int bench_scan(int lang, const char *dir, long samples, const ikr_ink *ink, ikr_err *e)
{
    ikr_station *s = NULL;
    ikr_signed out;
    ikr_qr q;
    char png[1200], jpg[1200], self[1024];
    memset(&q, 0, sizeof q);
    ikr_buf_init(&out.receipt);
    snprintf(png, sizeof png, "%s/scan-receipt.png", dir);
    snprintf(jpg, sizeof jpg, "%s/scan-photo-12mp.jpg", dir);
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0)
        return ikr_err_set(e, IKR_E_IO, "/proc/self/exe");
    self[sl] = '\0';
    ikr_form f = {"Siti Rahmawati", IKR_STATUS_NON_ASN, "", "Analis", "Umum"};
    int rc;
    if ((rc = ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, e)) ||
        (rc = ikr_station_sign(s, &f, ink, ikr_clock_now(), &out, e)) ||
        (rc = ikr_qr_encode(&q, (const char *)out.receipt.p, e)) ||
        (rc = ikr_qr_write_png(&q, png, 8, e)))
        goto done;
    if (write_photo(&q, jpg)) {
        rc = ikr_err_set(e, IKR_E_IO, "%s", jpg);
        goto done;
    }
    ikr_station_close(s);
    s = NULL;

    int n_clean = samples < 100 ? (int)samples : 100, n_photo = 12;
    double *t = calloc((size_t)(n_clean > n_photo ? n_clean : n_photo), sizeof *t);
    if (!t) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto done;
    }
    printf("%s\n", BL(lang, "Pindai struk: `ikrar verify GAMBAR` sebagai proses utuh, dan zbarimg",
                      "Scanning receipts: `ikrar verify IMAGE` as a whole process, and zbarimg"));
    char keyfile[1200];
    snprintf(keyfile, sizeof keyfile, "%s/verifier.key", dir);
    const char *files[2] = {png, jpg};
    const char *names[2] = {"clean receipt PNG", "12 MP JPEG photo"};
    const double target[2] = {25, 1000};
    for (int k = 0; k < 2; k++) {
        int n = k == 0 ? n_clean : n_photo;
        /* As an inspector holds it: the verifier key.  (--data also re-hashes the log, below.) */
        char *verify[] = {self, "verify", "--key", keyfile, (char *)files[k], NULL};
        char *zbar[] = {"zbarimg", "-q", "--raw", (char *)files[k], NULL};
        int vs = run_n(verify, n, t);
        double v50 = t[n / 2], v99 = t[(int)(0.99 * (n - 1) + 0.5)];
        int zs = run_n(zbar, n, t);
        double z50 = t[n / 2], z99 = t[(int)(0.99 * (n - 1) + 0.5)];
        double inproc = inprocess_ms(files[k], 3);
        printf("  %-18s ikrar verify --key p50 %7.1f ms  p99 %7.1f ms  (exit %d; target <= %.0f ms "
               "-> %s)\n",
               names[k], v50, v99, vs, target[k], vs == 0 && v99 <= target[k] ? "met" : "NOT met");
        if (zs < 0)
            printf("  %-18s zbarimg            %s\n", "",
                   BL(lang, "tidak tersedia", "unavailable"));
        else
            printf("  %-18s zbarimg            p50 %7.1f ms  p99 %7.1f ms  (exit %d)\n", "", z50,
                   z99, zs);
        printf("  %-18s %s %.1f ms\n", "",
               BL(lang, "baca+pindai dalam proses", "load+scan in process"), inproc);
    }
    {
        /* With the data folder the root at seq is recomputed from every record before it: O(seq).
         */
        char *verify[] = {self, "verify", "--data", (char *)dir, png, NULL};
        int vs = run_n(verify, n_photo, t);
        printf("  %-18s ikrar verify --data p50 %7.1f ms  (exit %d; %s)\n", names[0],
               t[n_photo / 2], vs,
               BL(lang, "akar log dihitung ulang dari semua catatan sebelumnya",
                  "the log's root recomputed from every record before it"));
    }
    printf("  (%d / %d %s)\n\n", n_clean, n_photo, BL(lang, "sampel", "samples"));
    free(t);

    /* The verify station: a receipt held up to a camera fills about half the frame's height. */
    int n_cam = samples < 200 ? (int)(samples < 10 ? 10 : samples) : 200;
    t = calloc((size_t)n_cam, sizeof *t);
    double *tz = calloc((size_t)n_cam, sizeof *tz);
    if (!t || !tz) {
        free(t);
        free(tz);
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto done;
    }
    printf("%s\n",
           BL(lang,
              "Kiosk verifikasi: pindai satu bingkai kamera (di utas pemindai), di samping zbar "
              "saja pada bingkai yang sama",
              "Verify station: one camera frame decoded (on the decoder thread), beside zbar "
              "alone on the same frames"));
    bench_camera(lang, dir, &q, 640, 480, 260, n_cam, t, tz);
    bench_camera(lang, dir, &q, 1280, 720, 400, n_cam, t, tz);
    printf("  (%d %s; %s)\n\n", n_cam, BL(lang, "bingkai", "frames"),
           BL(lang,
              "kiosk melihat satu bingkai tiap 100 ms; loop hanya memeriksa kode baru, sekali",
              "the kiosk looks at one frame every 100 ms; the loop checks a new code only, once"));
    free(t);
    free(tz);
    rc = IKR_OK;
done:
    ikr_station_close(s);
    ikr_qr_free(&q);
    ikr_buf_free(&out.receipt);
    unlink(png);
    unlink(jpg);
    return rc;
}
