/*
 * cmd_init.c: `ikrar init` sets up a kiosk's data folder for one event.
 */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/limits.h"
#include "ikrar/oplog.h"
#include "ikrar/printer.h"
#include "ikrar/station.h"

static void help(const cli *c)
{
    printf(
        "%s: ikrar init [--data DIR] --event ID --title TEXT --kiosk NAME\n"
        "                  [--organizer TEXT] [--place TEXT] [--date TEXT] [--zone WIB|WITA|WIT]\n"
        "                  [--declaration FILE] [--pin PIN] [--passphrase-file FILE]\n"
        "                  [--printer URI] [--max-gap DURATION] [--read-together]\n\n%s\n",
        L(c, "Pemakaian", "Usage"),
        L(c,
          "Membuat folder data kiosk: basis data, kunci Ed25519, acara, dan PIN admin.\n"
          "Tanpa --pin, PIN ditanyakan di terminal. Mencetak kunci verifikasi.\n"
          "--max-gap (bawaan 7d; 1h..366d, mis. 36h, 90m): penandatanganan ditolak bila jam\n"
          "kiosk lebih dari selama itu setelah tanda tangan terakhir (jamnya diragukan).\n"
          "--read-together: deklarasi dibacakan bersama sebelum penandatanganan; di kiosk\n"
          "tombol setuju langsung aktif (teks lengkapnya tetap ditampilkan dan di-hash).",
          "Creates a kiosk's data folder: database, Ed25519 key, event and admin PIN.\n"
          "Without --pin, the PIN is asked for on the terminal. Prints the verifier key.\n"
          "--max-gap (default 7d; 1h..366d, e.g. 36h, 90m): signing is refused when the\n"
          "kiosk's clock is more than that after the last signature (the clock is doubted).\n"
          "--read-together: the declaration is read aloud together before signing; the\n"
          "kiosk's agree button works at once (the full text is still shown and hashed)."));
}

int cmd_init(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0},
                   {"event", 1, NULL, 0},
                   {"title", 1, NULL, 0},
                   {"kiosk", 1, NULL, 0},
                   {"declaration", 1, NULL, 0},
                   {"pin", 1, NULL, 0},
                   {"passphrase-file", 1, NULL, 0},
                   {"organizer", 1, NULL, 0},
                   {"place", 1, NULL, 0},
                   {"date", 1, NULL, 0},
                   {"zone", 1, NULL, 0},
                   {"printer", 1, NULL, 0},
                   {"max-gap", 1, NULL, 0},
                   {"read-together", 0, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data")),
               *decl_file = cli_opt_get(o, no, "declaration");
    const char *pass_file = cli_opt_get(o, no, "passphrase-file");
    if (!cli_opt_get(o, no, "event") || !cli_opt_get(o, no, "title") ||
        !cli_opt_get(o, no, "kiosk"))
        return cli_usage_error(c, "--event, --title dan --kiosk harus diberikan.",
                               "--event, --title and --kiosk are required.");
    const char *printer = cli_opt_get(o, no, "printer");
    if (printer && ikr_printer_check_uri(printer, NULL))
        return cli_usage_error(c,
                               "--printer tidak dikenal (none, file:FOLDER, escpos:DEVICE, "
                               "escpos+tcp://HOST[:PORT], cups:ANTREAN).",
                               "unknown --printer (none, file:DIR, escpos:DEVICE, "
                               "escpos+tcp://HOST[:PORT], cups:QUEUE).");
    int64_t max_gap = 0;
    const char *gap = cli_opt_get(o, no, "max-gap");
    if (gap && (ikr_duration_parse(gap, &max_gap) != 0 || max_gap < IKR_MAX_GAP_MIN ||
                max_gap > IKR_MAX_GAP_MAX))
        return cli_usage_error(c, ikr_code_text(IKR_E_MAX_GAP, IKR_LANG_ID),
                               ikr_code_text(IKR_E_MAX_GAP, IKR_LANG_EN));

    ikr_err e;
    ikr_buf decl, pass, vkey;
    char pin[IKR_MAX_PIN + 2] = "", again[IKR_MAX_PIN + 2] = "";
    ikr_err_clear(&e);
    ikr_buf_init(&decl);
    ikr_buf_init(&pass);
    ikr_buf_init(&vkey);
    ikr_station_cfg cfg = {cli_opt_get(o, no, "event"),
                           cli_opt_get(o, no, "title"),
                           cli_opt_get(o, no, "kiosk"),
                           NULL,
                           0,
                           NULL,
                           NULL,
                           cli_opt_get(o, no, "organizer"),
                           cli_opt_get(o, no, "place"),
                           cli_opt_get(o, no, "date"),
                           cli_opt_get(o, no, "zone")};

    if (cli_opt_get(o, no, "pin")) {
        snprintf(pin, sizeof pin, "%s", cli_opt_get(o, no, "pin"));
    } else if (!isatty(STDIN_FILENO)) {
        rc = cli_usage_error(c, "PIN admin harus diberikan dengan --pin atau diketik di terminal.",
                             "The admin PIN must be given with --pin or typed on a terminal.");
        goto out;
    } else {
        if (cli_read_hidden(L(c, "PIN admin baru (6-64 angka): ", "New admin PIN (6-64 digits): "),
                            pin, sizeof pin) != 0 ||
            cli_read_hidden(L(c, "Ulangi PIN: ", "Repeat the PIN: "), again, sizeof again) != 0) {
            rc = cli_usage_error(c, "PIN tidak terbaca.", "The PIN could not be read.");
            goto out;
        }
        if (strcmp(pin, again) != 0) {
            rc = cli_usage_error(c, "Kedua PIN tidak sama.", "The two PINs differ.");
            goto out;
        }
    }
    cfg.pin = pin;
    if (decl_file) {
        if ((rc = ikr_file_read(decl_file, IKR_MAX_DECL, &decl, &e))) {
            rc = cli_fail(c, &e);
            goto out;
        }
        cfg.declaration = (const char *)decl.p;
        cfg.declaration_len = decl.len;
    }
    if (pass_file) {
        if (cli_read_passphrase(pass_file, &pass, &e)) {
            rc = cli_fail(c, &e);
            goto out;
        }
        cfg.passphrase = (const char *)pass.p;
    }
    if (ikr_station_create(data, &cfg, &vkey, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    int together = cli_opt_get(o, no, "read-together") != NULL;
    if (max_gap || together) {
        ikr_station *s = NULL;
        if (ikr_station_open(&s, data, IKR_OPEN_ADMIN, NULL, &e) ||
            (max_gap && ikr_station_set_max_gap(s, max_gap, &e)) ||
            (together && ikr_station_set_read_together(s, 1, &e))) {
            ikr_station_close(s);
            rc = cli_fail(c, &e);
            goto out;
        }
        ikr_station_close(s);
    }
    if (printer) {
        /* The default printer of `sign`, `reprint` and the kiosk, stored as the "printer" setting.
         */
        ikr_station *s = NULL;
        if (ikr_station_open(&s, data, IKR_OPEN_ADMIN, NULL, &e) ||
            ikr_station_set_printer(s, printer, &e)) {
            ikr_station_close(s);
            rc = cli_fail(c, &e);
            goto out;
        }
        ikr_station_close(s);
    }
    {
        char ev[80], dir[256], g[32];
        ikr_duration_format(g, sizeof g, max_gap ? max_gap : IKR_MAX_GAP_DEFAULT);
        ikr_oplog("admin", "action=init by=cli event=%s data=%s max-gap=%s",
                  ikr_oplog_word(cfg.event_id, ev, sizeof ev),
                  ikr_oplog_word(data, dir, sizeof dir), g);
    }
    fprintf(stderr, "%s %s\n", L(c, "Folder data kiosk siap:", "Kiosk data folder ready:"), data);
    fprintf(stderr, "%s\n",
            L(c, "Kunci verifikasi (bagikan kepada pemeriksa):",
              "Verifier key (give this to auditors):"));
    printf("%.*s\n", (int)vkey.len, (const char *)vkey.p);
    rc = EXIT_VALID;
out:
    OPENSSL_cleanse(pin, sizeof pin);
    OPENSSL_cleanse(again, sizeof again);
    ikr_buf_free(&decl);
    ikr_buf_free(&pass);
    ikr_buf_free(&vkey);
    return rc;
}
