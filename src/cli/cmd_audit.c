/*
 * cmd_audit.c: `ikrar audit` re-checks a whole data folder's log, or a
 * roster bundle as an outside auditor holds it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ikrar/audit.h"
#include "ikrar/bundle.h"
#include "ikrar/hash.h"
#include "ikrar/merged.h"
#include "ikrar/note.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"

static void help(const cli *c)
{
    printf("%s: ikrar audit [--data DIR] [--key FILE | --trust FILE] [--threads N]\n"
           "          ikrar audit BUNDLE [--key FILE | --trust FILE] [--threads N]\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Memeriksa ulang setiap catatan, tanda tangan, hash daun, pohon Merkle,\n"
             "dan checkpoint yang tersimpan. --key: kunci verifikasi yang Anda simpan sendiri\n"
             "(dicetak oleh 'ikrar init'); tanpa itu, log diperiksa dengan kunci di folder.\n"
             "--trust: daftar kepercayaan acara (ikrar event): kunci kiosk harus ada di\n"
             "daftar, dan kiosk yang dicabut tidak boleh punya catatan sejak dicabut.\n"
             "BUNDLE: folder bundel roster (ikrar export): checkpoint, setiap catatan dan\n"
             "tanda tangannya, tinta, akar Merkle, dan roster.csv baris demi baris.\n"
             "Status keluar: 0 utuh, 1 ada yang rusak.",
             "Re-checks every record, signature, leaf hash, the Merkle tree and every\n"
             "stored checkpoint. --key: the verifier key you kept yourself (printed by\n"
             "'ikrar init'); without it the log is checked with the key in the folder.\n"
             "--trust: the event trust list (ikrar event): the kiosk's key must be on it, and\n"
             "a revoked kiosk may hold no record from its revocation on.\n"
             "BUNDLE: a roster bundle folder (ikrar export): its checkpoint, every record\n"
             "and signature, the ink, the Merkle root, and roster.csv row by row.\n"
             "Exit status: 0 intact, 1 something is broken."));
}

/*
 * Times that go backwards: every record still verifies, so the audit
 * passes, but staff should know the kiosk's clock was moved back while it
 * signed (a receipt's time then cannot be trusted alone).
 */
static void warn_backwards(const cli *c, const ikr_audit_report *rep)
{
    if (!rep->backwards)
        return;
    fprintf(stderr, "%s",
            L(c, "PERINGATAN: waktu catatan mundur (jam kiosk diputar ke belakang) pada nomor",
              "WARNING: record times go backwards (the kiosk's clock was set back) at number"));
    uint64_t shown =
        rep->backwards < IKR_AUDIT_BACKWARDS_MAX ? rep->backwards : IKR_AUDIT_BACKWARDS_MAX;
    for (uint64_t i = 0; i < shown; i++)
        fprintf(stderr, "%s%llu", i ? ", " : " ", (unsigned long long)rep->backwards_seq[i]);
    if (rep->backwards > shown)
        fprintf(stderr, L(c, " dan %llu lainnya", " and %llu more"),
                (unsigned long long)(rep->backwards - shown));
    fprintf(stderr, "%s\n",
            L(c, ". Tanda tangannya tetap sah; periksa jam kiosk.",
              ". Their signatures are still valid; check the kiosk's clock."));
}

/* The full verifier key of every kiosk of the merged bundle dir (audited: its keys are sound). */
static void print_merged_keys(const cli *c, const char *dir)
{
    char kd[IKR_MERGED_MAX_PATH + 300];
    snprintf(kd, sizeof kd, "%s/%s", dir, IKR_MERGED_KIOSKS);
    DIR *d = opendir(kd);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        ikr_bundle b;
        ikr_err e;
        ikr_buf line;
        ikr_err_clear(&e);
        if (!ikr_kiosk_name_ok(de->d_name) ||
            snprintf(kd, sizeof kd, "%s/%s/%s", dir, IKR_MERGED_KIOSKS, de->d_name) >=
                (int)sizeof kd ||
            ikr_bundle_open(&b, kd, &e))
            continue;
        ikr_buf_init(&line);
        ikr_vkey_format(&line, b.vkey.name, b.vkey.pub);
        printf("  %-12s %.*s\n", L(c, "Kunci", "Key"), (int)line.len, (const char *)line.p);
        ikr_buf_free(&line);
    }
    closedir(d);
}

/* Prints the trust list an audit was checked against: its event, serial and event key. */
static void print_trust(const cli *c, const ikr_trust *t)
{
    ikr_buf line;
    ikr_buf_init(&line);
    ikr_vkey_format(&line, t->event_key.name, t->event_key.pub);
    printf("  %-12s %s %s, %s %llu\n", L(c, "Daftar", "Trust list"), L(c, "acara", "event"),
           t->event, L(c, "nomor seri", "serial"), (unsigned long long)t->serial);
    printf("  %-12s %.*s\n", L(c, "Kunci acara", "Event key"), (int)line.len, (const char *)line.p);
    printf("  %s\n", L(c, "(bandingkan kunci acara dengan salinan dari penyelenggara)",
                       "(compare the event key with the organiser's own copy)"));
    ikr_buf_free(&line);
}

/* `ikrar audit BUNDLE`: keys has room for IKR_MAX_VKEYS; trust is --trust's list or NULL. */
static int audit_bundle(const cli *c, const char *dir, int threads, const char *keyfile,
                        ikr_vkey *keys, const ikr_trust *trust)
{
    ikr_err e;
    ikr_bundle b;
    ikr_audit_report rep;
    size_t nkeys = 0;
    ikr_err_clear(&e);
    if (keyfile && cli_load_vkeys(keyfile, keys, &nkeys, &e))
        return cli_fail(c, &e);
    if (ikr_merged_is_bundle(dir)) {
        uint64_t records;
        size_t kiosks;
        if (ikr_merged_audit(dir, threads, keyfile ? keys : NULL, nkeys, &records, &kiosks, &e) ||
            (trust && ikr_trust_check_bundle(trust, dir, &e)))
            return cli_fail(c, &e);
        printf("%s\n", L(c, "UTUH: bundel gabungan lolos pemeriksaan.",
                         "INTACT: the merged bundle passed the audit."));
        printf("  %-12s %zu\n", "Kiosk", kiosks);
        printf("  %-12s %llu\n", L(c, "Catatan", "Records"), (unsigned long long)records);
        print_merged_keys(c, dir);
        if (trust)
            print_trust(c, trust);
        else if (!keyfile)
            printf("  %s\n", L(c,
                               "(kunci dari bundel; bandingkan dengan salinan Anda, atau pakai "
                               "--trust atau --key)",
                               "(keys from the bundle; compare them with your own copies, or use "
                               "--trust or --key)"));
        return EXIT_VALID;
    }
    if (ikr_bundle_open(&b, dir, &e))
        return cli_fail(c, &e);
    if (keyfile) {
        /* The bundle must be signed by a key the auditor brought, not just its own verifier.key. */
        int trusted = 0;
        for (size_t i = 0; i < nkeys; i++)
            if (strcmp(keys[i].name, b.vkey.name) == 0 &&
                memcmp(keys[i].pub, b.vkey.pub, IKR_PUB_LEN) == 0)
                trusted = 1;
        if (!trusted) {
            ikr_err_set(&e, IKR_E_AUDIT_KEY, "%s", b.vkey.name);
            return cli_fail(c, &e);
        }
    }
    if (ikr_audit_bundle(dir, threads, &rep, &e) ||
        (trust && ikr_trust_check_bundle(trust, dir, &e)))
        return cli_fail(c, &e);
    char root[65];
    ikr_hex(root, rep.root, 32);
    printf("%s\n", L(c, "UTUH: bundel lolos pemeriksaan.", "INTACT: the bundle passed the audit."));
    printf("  %-12s %llu\n", L(c, "Catatan", "Records"), (unsigned long long)rep.records);
    printf("  %-12s %llu\n", L(c, "Tinta", "Ink kept"), (unsigned long long)rep.inks);
    printf("  %-12s %s\n", L(c, "Akar", "Root"), root);
    ikr_buf line;
    ikr_buf_init(&line);
    ikr_vkey_format(&line, b.vkey.name, b.vkey.pub);
    printf("  %-12s %.*s\n", L(c, "Kunci", "Key"), (int)line.len, (const char *)line.p);
    ikr_buf_free(&line);
    if (trust)
        print_trust(c, trust);
    else if (!keyfile)
        printf("  %s\n",
               L(c, "(dari bundel; bandingkan dengan salinan Anda, atau pakai --trust atau --key)",
                 "(from the bundle; compare it with your own copy, or use --trust or --key)"));
    warn_backwards(c, &rep);
    return EXIT_VALID;
}

int cmd_audit(cli *c, int argc, char **argv)
{
    cli_opt o[] = {
        {"data", 1, NULL, 0}, {"threads", 1, NULL, 0}, {"key", 1, NULL, 0}, {"trust", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    const char *pos[1];
    int npos = 0;
    if ((rc = cli_parse(c, argc, argv, o, no, pos, 1, &npos, help)) >= 0)
        return rc;
    const char *data = cli_opt_get(o, no, "data"), *th = cli_opt_get(o, no, "threads");
    if (data && npos == 1)
        return cli_usage_error(c, "Berikan --data DIR atau satu folder bundel, bukan keduanya.",
                               "Give --data DIR or one bundle folder, not both.");
    if (npos == 0)
        data = cli_data_dir(data);
    int threads = 0;
    if (th) {
        char *end;
        long v = strtol(th, &end, 10);
        if (*end || v < 1 || v > IKR_AUDIT_MAX_THREADS)
            return cli_usage_error(c, "--threads harus 1 sampai 64.", "--threads must be 1 to 64.");
        threads = (int)v;
    }
    const char *keyfile = cli_opt_get(o, no, "key"), *trustfile = cli_opt_get(o, no, "trust");
    if (keyfile && trustfile)
        return cli_usage_error(c, "Berikan --key atau --trust, bukan keduanya.",
                               "Give --key or --trust, not both.");
    ikr_err e;
    ikr_trust *trust = NULL;
    ikr_station *s = NULL;
    ikr_audit_report rep;
    ikr_buf vk;
    ikr_vkey *keys = calloc(IKR_MAX_VKEYS, sizeof *keys);
    size_t nkeys = 0;
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    if (!keys || (trustfile && !(trust = malloc(sizeof *trust)))) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        rc = cli_fail(c, &e);
        goto out;
    }
    if (trust && ikr_trust_load(trust, trustfile, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    if (npos == 1) {
        /*
         * No folder there at all is "could not be done" (4), as the docs say;
         * a folder that lacks a file is an incomplete bundle (1).
         */
        struct stat sb;
        const char *why = stat(pos[0], &sb) != 0 ? strerror(errno)
                          : !S_ISDIR(sb.st_mode) ? "not a folder"
                                                 : NULL;
        if (why) {
            ikr_err_set(&e, IKR_E_IO, "%s: %s", pos[0], why);
            rc = cli_fail(c, &e);
            goto out;
        }
        rc = audit_bundle(c, pos[0], threads, keyfile, keys, trust);
        goto out;
    }
    if ((keyfile && cli_load_vkeys(keyfile, keys, &nkeys, &e)) ||
        ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e) || ikr_station_vkey(s, &vk)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    cli_note_read_copy(c, s);
    if (keyfile) {
        /* The log must be signed by a key the auditor brought, not just the folder's own. */
        int trusted = 0;
        for (size_t i = 0; i < nkeys; i++)
            if (strcmp(keys[i].name, ikr_station_event(s)->origin) == 0 &&
                memcmp(keys[i].pub, ikr_key_public(ikr_station_key(s)), IKR_PUB_LEN) == 0)
                trusted = 1;
        if (!trusted) {
            ikr_err_set(&e, IKR_E_AUDIT_KEY, "%.*s", (int)vk.len, (const char *)vk.p);
            rc = cli_fail(c, &e);
            goto out;
        }
    }
    /* Then the head outside the database and the check a signing makes at open (issue 11). */
    if (ikr_audit_station(s, threads, &rep, &e) || ikr_station_head_check(s, &e) ||
        (trust && ikr_trust_check_station(trust, s, &e))) {
        rc = cli_fail(c, &e);
    } else {
        char root[65];
        ikr_hex(root, rep.root, 32);
        printf("%s\n", L(c, "UTUH: log lolos pemeriksaan.", "INTACT: the log passed the audit."));
        printf("  %-12s %llu\n", L(c, "Catatan", "Records"), (unsigned long long)rep.records);
        printf("  %-12s %llu\n", L(c, "Tinta", "Ink kept"), (unsigned long long)rep.inks);
        printf("  %-12s %llu\n", "Checkpoint", (unsigned long long)rep.checkpoints);
        printf("  %-12s %s\n", L(c, "Akar", "Root"), root);
        printf("  %-12s %.*s%s\n", L(c, "Kunci", "Key"), (int)vk.len, (const char *)vk.p,
               keyfile || trust ? ""
                                : L(c, "  (dari folder; bandingkan dengan salinan Anda)",
                                    "  (from the folder; compare it with your own copy)"));
        if (trust)
            print_trust(c, trust);
        warn_backwards(c, &rep);
        rc = EXIT_VALID;
    }
out:
    ikr_station_close(s);
    ikr_buf_free(&vk);
    free(keys);
    free(trust);
    return rc;
}
