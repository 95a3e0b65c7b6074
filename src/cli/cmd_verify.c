/*
 * cmd_verify.c: `ikrar verify` checks a receipt's text against a kiosk's
 * key (its data folder, or verifier keys from a file) and, with the data
 * folder, against its log.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikrar/limits.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/station.h"

static void help(const cli *c)
{
    printf("%s: ikrar verify (--data DIR | --key FILE) --text RECEIPT\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c, "Memeriksa struk (teks IK1:... dari kode QR; '-' membaca dari masukan standar).\n"
                "--key: berkas kunci verifikasi, satu kunci per baris.\n"
                "Dengan --data juga memeriksa catatan dan akar log pada nomor itu.\n"
                "Status keluar: 0 sah, 1 tidak sah, 2 salah pemakaian.",
             "Checks a receipt (the IK1:... text from its QR code; '-' reads standard input).\n"
             "--key: a file of verifier keys, one a line.\n"
             "With --data it also checks the record and the log's root at that number.\n"
             "Exit status: 0 valid, 1 invalid, 2 usage."));
}

int cmd_verify(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"key", 1, NULL, 0}, {"text", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_opt_get(o, no, "data"), *keyfile = cli_opt_get(o, no, "key");
    const char *text = cli_opt_get(o, no, "text");
    if (!text)
        return cli_usage_error(c, "--text harus diberikan.", "--text is required.");
    if (!!data == !!keyfile)
        return cli_usage_error(c, "Berikan tepat satu dari --data atau --key.",
                               "Give exactly one of --data or --key.");

    ikr_err e;
    ikr_buf in, cose;
    ikr_vkey *keys = calloc(IKR_MAX_VKEYS, sizeof *keys);
    size_t nkeys = 0, which = 0;
    ikr_station *s = NULL;
    ikr_receipt r;
    ikr_err_clear(&e);
    ikr_buf_init(&in);
    ikr_buf_init(&cose);
    if (!keys) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        rc = cli_fail(c, &e);
        goto out;
    }
    if (strcmp(text, "-") == 0) {
        if (cli_read_file("-", IKR_MAX_RECEIPT_TEXT + 64, &in, &e)) {
            /* More than a QR code can hold is not a receipt. */
            ikr_err_clear(&e);
            ikr_err_set(&e, IKR_E_RCPT_BASE45, NULL);
            rc = cli_fail(c, &e);
            goto out;
        }
    } else if (ikr_buf_adds(&in, text) || ikr_buf_addc(&in, 0)) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        rc = cli_fail(c, &e);
        goto out;
    }
    /* Scanners and shells add white space at the ends; it is not part of the receipt. */
    const char *t = (const char *)in.p;
    size_t tlen = strlen(t);
    while (tlen > 0 && isspace((unsigned char)t[tlen - 1]))
        tlen--;
    while (tlen > 0 && isspace((unsigned char)*t)) {
        t++;
        tlen--;
    }

    if (data) {
        if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e)) {
            rc = cli_fail(c, &e);
            goto out;
        }
        ikr_buf vk;
        ikr_buf_init(&vk);
        int bad = ikr_station_vkey(s, &vk) || ikr_vkey_parse(&keys[0], (const char *)vk.p, vk.len);
        ikr_buf_free(&vk);
        if (bad) {
            ikr_err_set(&e, IKR_E_INTERNAL, "verifier key");
            rc = cli_fail(c, &e);
            goto out;
        }
        nkeys = 1;
    } else if (cli_load_vkeys(keyfile, keys, &nkeys, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }

    if (ikr_receipt_parse(&r, &cose, t, tlen, &e) || ikr_receipt_check(&cose, keys, nkeys, &which, &e) ||
        (s && ikr_station_check_receipt(s, &r, &e))) {
        rc = cli_fail(c, &e);
        goto out;
    }
    char when[40];
    cli_time(when, sizeof when, (long long)r.t);
    printf("%s\n", L(c, "SAH: struk ini asli.", "VALID: this receipt is genuine."));
    printf("  %-10s %s\n", L(c, "Acara", "Event"), r.ev);
    printf("  %-10s %llu\n", L(c, "Nomor", "Number"), (unsigned long long)r.seq);
    printf("  %-10s %s\n", L(c, "Waktu", "Time"), when);
    printf("  %-10s %s\n", L(c, "Nama", "Name"), r.name);
    printf("  %-10s %s\n", "NIP", r.nip[0] ? r.nip : L(c, "(Non-ASN, tanpa NIP)", "(Non-ASN, no NIP)"));
    printf("  %-10s %s\n", L(c, "Kiosk", "Kiosk"), keys[which].name);
    if (s)
        printf("  %-10s %s\n", "Log",
               L(c, "cocok: catatan dan akar log pada nomor ini sesuai struk",
                 "matches: the record and the log's root at this number agree"));
    rc = EXIT_VALID;
out:
    ikr_station_close(s);
    ikr_buf_free(&in);
    ikr_buf_free(&cose);
    free(keys);
    return rc;
}
