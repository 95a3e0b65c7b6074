/*
 * cmd_kiosk.c: `ikrar kiosk` runs the touchscreen signing station over a
 * data folder (src/kiosk), plays a test script headless, or measures the
 * kiosk (--bench).  The kiosk itself never exits the process: it returns
 * here, and only here is an error turned into words and a status.
 */
#include <limits.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "ikrar/limits.h"
#include "ikrar/printer.h"
#include "ikrar/station.h"
#include "loop.h"

/* Picture files and folders that --camera-frames takes on one command line. */
#define KIOSK_MAX_FRAME_ARGS 256

static void help(const cli *c)
{
    printf("%s: ikrar kiosk [--data DIR] [--fullscreen] [--window WxH] [--lang id|en]\n"
           "                   [--printer URI] [--paper 58|80] [--passphrase-file FILE]\n"
           "                   [--verify-station] [--camera DEV | --camera-frames FILE|DIR...]\n"
           "                   [--script FILE] [--shots DIR] [--bench]\n\n"
           "%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Menjalankan kiosk layar sentuh untuk penandatanganan deklarasi.\n"
             "  --fullscreen        mode kiosk: seluruh layar; keluar hanya dengan PIN admin\n"
             "  --window WxH        ukuran jendela (bawaan 1280x800); tegak bila W < H\n"
             "  --lang id|en        bahasa awal layar\n"
             "  --printer URI       printer struk (lihat docs/cli.md); bawaan: pengaturan folder\n"
             "  --paper 58|80       lebar kertas struk dalam mm (bawaan 58)\n"
             "  --passphrase-file   berkas berisi frasa sandi kunci kiosk\n"
             "  --verify-station    kiosk pemeriksa: langsung ke layar Verifikasi struk;\n"
             "                      kembali ke penandatanganan hanya dengan PIN admin\n"
             "  --camera DEV        kamera untuk verifikasi (bawaan /dev/video0)\n"
             "  --camera-frames F.. gambar PNG/JPEG (atau folder) sebagai bingkai kamera,\n"
             "                      untuk uji dan demo tanpa kamera\n"
             "  --script FILE       memutar skrip uji tanpa layar (\"-\": masukan standar);\n"
             "                      lihat docs/kiosk.md untuk perintah skrip\n"
             "  --shots DIR         folder tangkapan layar perintah 'shot' skrip\n"
             "  --bench             mengukur waktu gambar, waktu mulai, memori dan CPU diam\n"
             "Tanpa GPU, kiosk memakai perender perangkat lunak SDL;\n"
             "IKRAR_RENDERER=software memaksanya.",
             "Runs the touchscreen kiosk where signers sign the declaration.\n"
             "  --fullscreen        kiosk mode: the whole screen; leaving needs the admin PIN\n"
             "  --window WxH        window size (default 1280x800); portrait when W < H\n"
             "  --lang id|en        the screens' language at start\n"
             "  --printer URI       the receipt printer (see docs/cli.md); default: the folder's "
             "setting\n"
             "  --paper 58|80       receipt paper width in mm (default 58)\n"
             "  --passphrase-file   a file holding the kiosk key's passphrase\n"
             "  --verify-station    an inspectors' kiosk: opens on the Verify receipts screen;\n"
             "                      back to signing only with the admin PIN\n"
             "  --camera DEV        the camera for verifying (default /dev/video0)\n"
             "  --camera-frames F.. PNG/JPEG pictures (or folders) as the camera's frames,\n"
             "                      for tests and demos without a camera\n"
             "  --script FILE       play a test script headless (\"-\": standard input);\n"
             "                      see docs/kiosk.md for the script's commands\n"
             "  --shots DIR         folder for the script's 'shot' screenshots\n"
             "  --bench             measure frame time, start-up, memory and idle CPU\n"
             "Without a GPU the kiosk uses SDL's software renderer;\n"
             "IKRAR_RENDERER=software forces it."));
}

/* Parses "WxH" within the kiosk's limits. */
static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || a < IKR_KIOSK_MIN_SIDE || b < IKR_KIOSK_MIN_SIDE ||
        a > IKR_KIOSK_MAX_SIDE || b > IKR_KIOSK_MAX_SIDE)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

/* 1 when the folder's kiosk.key is stored encrypted (needs a passphrase). */
static int key_is_encrypted(const char *data)
{
    char path[PATH_MAX], line[64] = "";
    snprintf(path, sizeof path, "%s/%s", data, IKR_KEY_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    return strstr(line, "ENCRYPTED") != NULL;
}

int cmd_kiosk(cli *c, int argc, char **argv)
{
    /* --bench-bare and --bench-idle are how --bench starts its measured children. */
    cli_opt o[] = {{"data", 1, NULL, 0},       {"fullscreen", 0, NULL, 0},
                   {"window", 1, NULL, 0},     {"passphrase-file", 1, NULL, 0},
                   {"script", 1, NULL, 0},     {"shots", 1, NULL, 0},
                   {"bench", 0, NULL, 0},      {"bench-bare", 0, NULL, 0},
                   {"bench-idle", 1, NULL, 0}, {"printer", 1, NULL, 0},
                   {"paper", 1, NULL, 0},      {"verify-station", 0, NULL, 0},
                   {"camera", 1, NULL, 0},     {"camera-frames", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    /* --camera-frames A.png B.png ...: the first is the option's value, the rest positional. */
    const char *frames[KIOSK_MAX_FRAME_ARGS];
    int nframes = 0, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, frames + 1, KIOSK_MAX_FRAME_ARGS - 1, &nframes,
                        help)) >= 0)
        return rc;
    const char *first_frames = cli_opt_get(o, no, "camera-frames");
    if (nframes > 0 && !first_frames)
        return cli_usage_error(c, "Argumen tanpa opsi hanya untuk --camera-frames.",
                               "Arguments without an option only go with --camera-frames.");
    if (first_frames && cli_opt_get(o, no, "camera"))
        return cli_usage_error(c, "Berikan --camera atau --camera-frames, bukan keduanya.",
                               "Give --camera or --camera-frames, not both.");
    frames[0] = first_frames;
    for (int i = 0; first_frames && i <= nframes; i++)
        if (access(frames[i], R_OK) != 0)
            return cli_usage_error(c, "--camera-frames: berkas atau folder tidak dapat dibaca.",
                                   "--camera-frames: a file or folder that cannot be read.");
    const char *data = cli_data_dir(cli_opt_get(o, no, "data")),
               *win = cli_opt_get(o, no, "window");
    const char *pass_file = cli_opt_get(o, no, "passphrase-file");
    const char *idle = cli_opt_get(o, no, "bench-idle");

    ikr_kiosk_opts ko;
    memset(&ko, 0, sizeof ko);
    ko.data = data;
    ko.lang = c->lang;
    ko.fullscreen = cli_opt_get(o, no, "fullscreen") != NULL;
    ko.script = cli_opt_get(o, no, "script");
    ko.shots = cli_opt_get(o, no, "shots");
    ko.printer = cli_opt_get(o, no, "printer");
    ko.paper = cli_paper(cli_opt_get(o, no, "paper"));
    ko.verify_station = cli_opt_get(o, no, "verify-station") != NULL;
    ko.camera = cli_opt_get(o, no, "camera");
    ko.frames = first_frames ? frames : NULL;
    ko.nframes = first_frames ? (size_t)nframes + 1 : 0;
    if (!ko.paper)
        return cli_usage_error(c, "--paper harus 58 atau 80.", "--paper must be 58 or 80.");
    if (ko.printer) {
        ikr_err pe;
        ikr_err_clear(&pe);
        if (ikr_printer_check_uri(ko.printer, &pe))
            return cli_fail(c, &pe);
    }
    if (win && parse_size(win, &ko.width, &ko.height))
        return cli_usage_error(c, "--window: ukuran WxH, misalnya 1280x800, sisi 200 sampai 8192.",
                               "--window: a size WxH such as 1280x800, sides 200 to 8192.");

    ikr_err e;
    ikr_err_clear(&e);
    if (cli_opt_get(o, no, "bench-bare")) {
        if (ikr_kiosk_bench_bare(ko.width, ko.height, stdout, &e))
            return cli_fail(c, &e);
        return EXIT_VALID;
    }
    if (ko.shots && !ko.script)
        return cli_usage_error(c, "--shots hanya berguna bersama --script.",
                               "--shots only makes sense with --script.");

    ikr_buf pass;
    ikr_buf_init(&pass);
    if (pass_file) {
        if (cli_read_passphrase(pass_file, &pass, &e)) {
            rc = cli_fail(c, &e);
            goto done;
        }
        ko.passphrase = (const char *)pass.p;
    } else if (key_is_encrypted(data)) {
        /* The kiosk asks once, at start, on the terminal it was started from. */
        char typed[IKR_MAX_PASSPHRASE + 2];
        if (cli_read_hidden(L(c, "Frasa sandi kunci kiosk: ", "Kiosk key passphrase: "), typed,
                            sizeof typed) != 0) {
            rc = cli_usage_error(
                c, "Kunci kiosk terenkripsi: berikan --passphrase-file atau ketik di terminal.",
                "The kiosk key is encrypted: give --passphrase-file or type it on a terminal.");
            goto done;
        }
        ikr_buf_adds(&pass, typed);
        ikr_buf_addc(&pass, 0);
        OPENSSL_cleanse(typed, sizeof typed);
        ko.passphrase = (const char *)pass.p;
    }
    if (cli_opt_get(o, no, "bench")) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[n > 0 ? n : 0] = '\0';
        rc = ikr_kiosk_bench(&ko, n > 0 ? exe : NULL, stdout, &e) ? cli_fail(c, &e) : EXIT_VALID;
    } else if (idle) {
        ikr_kiosk_stats st;
        int ms = atoi(idle);
        if (ikr_kiosk_run_measured(&ko, ms > 0 ? ms : 3000, &st, &e)) {
            rc = cli_fail(c, &e);
        } else {
            printf("first-frame-ms %.2f\nidle-cpu-ms %.2f\nidle-wall-ms %.1f\nrenderer %s\ndriver "
                   "%s\n",
                   st.first_frame_ms, st.idle_cpu_ms, st.idle_wall_ms, st.renderer, st.driver);
            rc = EXIT_VALID;
        }
    } else {
        rc = ikr_kiosk_run(&ko, &e) ? cli_fail(c, &e) : EXIT_VALID;
    }
done:
    ikr_buf_free(&pass);
    return rc;
}
