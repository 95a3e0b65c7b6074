/*
 * cmd_sign.c: `ikrar sign` records one signer through the same path the
 * kiosk's confirm button takes, and prints the receipt last.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/hub.h"
#include "ikrar/ink.h"
#include "ikrar/limits.h"
#include "ikrar/oplog.h"
#include "ikrar/printer.h"
#include "ikrar/qr.h"
#include "ikrar/station.h"
#include "ikrar/text.h"

/*
 * Says on stderr which fields lost invisible characters to the text rule,
 * and what is signed instead, so that nobody signs a name they did not see.
 */
static void note_removed(const cli *c, const ikr_form *f, const ikr_signer *who)
{
    unsigned ch[IKR_FORM_TEXT_FIELDS];
    if (!(ikr_form_changes(f, ch) & IKR_TEXT_REMOVED))
        return;
    const char *opt[IKR_FORM_TEXT_FIELDS] = {"--name", "--pos", "--unit"};
    const char *now[IKR_FORM_TEXT_FIELDS] = {who->name, who->pos, who->unit};
    for (int i = 0; i < IKR_FORM_TEXT_FIELDS; i++) {
        if (!(ch[i] & IKR_TEXT_REMOVED))
            continue;
        char shown[IKR_TEXT_ESCAPED_MAX(IKR_MAX_NAME)];
        ikr_text_escape_term(shown, sizeof shown, now[i], strlen(now[i]));
        fprintf(stderr, "ikrar sign: %s %s; %s \"%s\".\n",
                L(c, "Catatan: karakter tak terlihat atau pengatur arah teks dihapus dari",
                  "Note: invisible or text-direction characters were removed from"),
                opt[i], L(c, "yang ditandatangani:", "what is signed:"), shown);
    }
}

static void help(const cli *c)
{
    printf("%s: ikrar sign [--data DIR] --name TEXT --status PNS|PPPK|NON-ASN [--nip NIP]\n"
           "                  [--pos TEXT] [--unit TEXT] --ink FILE [--receipt-png FILE]\n"
           "                  [--passphrase-file FILE] [--printer URI] [--paper 58|80]\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Memeriksa data penanda tangan, menandatangani catatan, menyimpannya secara\n"
             "permanen, lalu membuat struk. Baris terakhir keluaran adalah teks struk (IK1:...).\n"
             "--ink: berkas JSON {\"w\":..,\"h\":..,\"s\":[[x,y,t,...],...]}.\n"
             "--printer: none, file:FOLDER, escpos:/dev/usb/lp0, escpos+tcp://HOST[:PORT],\n"
             "cups:ANTREAN;\n"
             "tanpa itu, printer dari `init`. Gagal mencetak tidak menggagalkan pencatatan:\n"
             "peringatan di stderr, keluar 0, dan struk dapat dicetak ulang (`ikrar reprint`).",
             "Checks the signer's details, signs the record, stores it durably, then makes\n"
             "the receipt. The last line of output is the receipt text (IK1:...).\n"
             "--ink: a JSON file {\"w\":..,\"h\":..,\"s\":[[x,y,t,...],...]}.\n"
             "--printer: none, file:DIR, escpos:/dev/usb/lp0, escpos+tcp://HOST[:PORT],\n"
             "cups:QUEUE;\n"
             "without it, the printer set at `init`. A failed print does not fail the signing:\n"
             "a warning on stderr, exit 0, and the receipt can be reprinted (`ikrar reprint`)."));
}

/*
 * One event across kiosks: when this folder has joined a hub, the hub is
 * asked (briefly) whether another kiosk of the event holds the NIP, and the
 * NIP is claimed for the record about to be signed.  Taken elsewhere: the
 * signer is refused (IKR_E_NIP_ELSEWHERE).  No answer: this kiosk decides
 * alone, says so, and the hub reports a duplicate once both records reach
 * it.  *hub stays open (or NULL) so a refusal here can give the claim back.
 */
static int hub_claim(const cli *c, ikr_station *s, const char *data, const char *nip, uint64_t now,
                     ikr_hub **hub, int *claimed, ikr_err *e)
{
    ikr_hub_conf conf;
    ikr_hub_claim cl;
    ikr_err he;
    uint64_t size = 0;
    int present = 0;
    *hub = NULL;
    *claimed = 0;
    ikr_err_clear(&he);
    if (ikr_hub_conf_load(data, &conf, &present, &he) || !present) {
        if (he.code)
            cli_fail(c, &he);
        return IKR_OK;
    }
    if (ikr_station_size(s, &size, &he) || ikr_hub_connect(hub, conf.url, 2, &he) ||
        ikr_hub_claim_nip(*hub, nip, size + 1, now, &cl, &he)) {
        char msg[400];
        ikr_hub_close(*hub);
        *hub = NULL;
        fprintf(stderr, "ikrar: %s\n", ikr_err_format(&he, c->lang, msg, sizeof msg));
        fprintf(stderr, "%s\n",
                L(c,
                  "Pusat tidak dapat ditanya: kiosk ini memutuskan sendiri; NIP ganda akan "
                  "dilaporkan pusat kemudian.",
                  "The hub could not be asked: this kiosk decided alone; the hub will report a "
                  "duplicate NIP later."));
        ikr_oplog("hub-claim", "result=alone code=%d", he.code);
        memset(&conf, 0, sizeof conf);
        return IKR_OK;
    }
    memset(&conf, 0, sizeof conf);
    if (cl.taken) {
        e->zone_min = ikr_station_event(s)->zone_min;
        ikr_err_set(e, IKR_E_NIP_ELSEWHERE, "%s", cl.kiosk);
        return ikr_err_at(e, IKR_E_NIP_ELSEWHERE, (int64_t)cl.seq, (int64_t)cl.t);
    }
    *claimed = 1;
    return IKR_OK;
}

int cmd_sign(cli *c, int argc, char **argv)
{
    cli_opt o[] = {
        {"data", 1, NULL, 0},    {"name", 1, NULL, 0},        {"status", 1, NULL, 0},
        {"nip", 1, NULL, 0},     {"pos", 1, NULL, 0},         {"unit", 1, NULL, 0},
        {"ink", 1, NULL, 0},     {"receipt-png", 1, NULL, 0}, {"passphrase-file", 1, NULL, 0},
        {"printer", 1, NULL, 0}, {"paper", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data")),
               *ink_file = cli_opt_get(o, no, "ink");
    const char *status = cli_opt_get(o, no, "status"), *png = cli_opt_get(o, no, "receipt-png");
    const char *pass_file = cli_opt_get(o, no, "passphrase-file");
    if (!ink_file || !cli_opt_get(o, no, "name") || !status)
        return cli_usage_error(c, "--name, --status dan --ink harus diberikan.",
                               "--name, --status and --ink are required.");
    const char *printer = cli_opt_get(o, no, "printer");
    int paper = cli_paper(cli_opt_get(o, no, "paper"));
    if (!paper)
        return cli_usage_error(c, "--paper harus 58 atau 80.", "--paper must be 58 or 80.");
    if (printer && ikr_printer_check_uri(printer, NULL))
        return cli_usage_error(c,
                               "--printer tidak dikenal (none, file:FOLDER, escpos:DEVICE, "
                               "escpos+tcp://HOST[:PORT], cups:ANTREAN).",
                               "unknown --printer (none, file:DIR, escpos:DEVICE, "
                               "escpos+tcp://HOST[:PORT], cups:QUEUE).");

    ikr_err e;
    ikr_buf json, pass;
    ikr_ink ink;
    ikr_station *s = NULL;
    ikr_signed out;
    ikr_qr qr;
    memset(&qr, 0, sizeof qr);
    ikr_err_clear(&e);
    ikr_buf_init(&json);
    ikr_buf_init(&pass);
    ikr_ink_init(&ink);
    memset(&out, 0, sizeof out);
    ikr_buf_init(&out.receipt);

    ikr_form f = {cli_opt_get(o, no, "name"), ikr_status_parse(status), cli_opt_get(o, no, "nip"),
                  cli_opt_get(o, no, "pos"), cli_opt_get(o, no, "unit")};
    /*
     * The signer's details are checked before anything is opened.  One that
     * is refused is first put down to the clock when the clock is wrong: at
     * 2001 a good NIP reads as appointed in the future.
     */
    uint64_t now = ikr_clock_now();
    ikr_signer who;
    if (ikr_form_check(&f, now, &who, &e)) {
        ikr_station *ro = NULL;
        ikr_err ce;
        ikr_err_clear(&ce);
        if (ikr_station_open(&ro, data, IKR_OPEN_VERIFY, NULL, NULL) == IKR_OK &&
            ikr_station_clock_check(ro, now, &ce) != IKR_OK && ikr_clock_log_refusal(&ce, "sign"))
            e = ce;
        ikr_station_close(ro);
        rc = cli_fail(c, &e);
        goto done;
    }
    note_removed(c, &f, &who);
    if (ikr_file_read(ink_file, IKR_INK_MAX_JSON, &json, &e)) {
        rc = cli_fail(c, &e);
        goto done;
    }
    if ((rc = ikr_ink_parse_json(&ink, (const char *)json.p, json.len))) {
        ikr_err_set(&e, rc, "%s", ink_file);
        rc = cli_fail(c, &e);
        goto done;
    }
    if (pass_file && cli_read_passphrase(pass_file, &pass, &e)) {
        rc = cli_fail(c, &e);
        goto done;
    }
    if (ikr_station_open(&s, data, IKR_OPEN_SIGN, pass_file ? (const char *)pass.p : NULL, &e)) {
        rc = cli_fail(c, &e);
        goto done;
    }
    int claimed = 0;
    ikr_hub *hub = NULL;
    if (who.nip[0] && (rc = hub_claim(c, s, data, who.nip, now, &hub, &claimed, &e)) != 0) {
        ikr_hub_close(hub);
        rc = cli_fail(c, &e);
        goto done;
    }
    rc = ikr_station_sign(s, &f, &ink, now, &out, &e);
    if (rc && out.seq == 0 && claimed) /* refused here after all: the NIP is free again */
        ikr_hub_release_nip(hub, who.nip, NULL);
    ikr_hub_close(hub);
    if (rc && out.seq == 0) {
        ikr_clock_log_refusal(&e, "sign");
        rc = cli_fail(c, &e);
        goto done;
    }
    char when[40];
    cli_time(when, sizeof when, (long long)out.t, ikr_station_event(s)->zone_min);
    printf("%s %llu, %s\n", L(c, "Tercatat sebagai nomor", "Recorded as number"),
           (unsigned long long)out.seq, when);
    if (rc) {
        /* Durable, but no receipt: say how to get one. */
        cli_fail(c, &e);
        fprintf(stderr, "%s\n",
                L(c, "Catatan sudah tersimpan dengan aman; hanya struknya yang gagal dibuat.",
                  "The record is safely stored; only its receipt could not be made."));
        rc = EXIT_TROUBLE;
        goto done;
    }
    /*
     * The record is durable from here on: whatever fails below (the picture,
     * the PNG file), the receipt text is still printed last.
     */
    const char *text = (const char *)out.receipt.p;
    rc = EXIT_VALID;
    if (isatty(STDOUT_FILENO) || png) {
        if (ikr_qr_encode(&qr, text, &e)) {
            rc = cli_fail(c, &e);
        } else {
            if (isatty(STDOUT_FILENO))
                ikr_qr_print_terminal(&qr, stdout);
            if (png && ikr_qr_write_png(&qr, png, 8, &e))
                rc = cli_fail(c, &e);
        }
        if (rc != EXIT_VALID)
            fprintf(stderr, "%s\n",
                    L(c, "Catatan sudah tersimpan dengan aman; hanya gambar struknya yang gagal.",
                      "The record is safely stored; only the receipt's picture failed."));
    }
    /* Paper last: a failed print leaves the record unprinted, for `ikrar reprint`. */
    ikr_err pe;
    ikr_err_clear(&pe);
    if (cli_print_receipt(c, s, out.seq, printer, paper, &pe)) {
        cli_fail(c, &pe);
        fprintf(stderr, "%s %llu\n",
                L(c, "Catatan sudah tersimpan; struk dapat dicetak ulang: ikrar reprint --seq",
                  "The record is stored; the receipt can be printed again: ikrar reprint --seq"),
                (unsigned long long)out.seq);
    }
    printf("%s\n", text);
done:
    ikr_qr_free(&qr);
    ikr_station_close(s);
    ikr_ink_free(&ink);
    ikr_buf_free(&json);
    ikr_buf_free(&pass);
    ikr_buf_free(&out.receipt);
    return rc;
}
