/*
 * cmd_verify.c: `ikrar verify` checks a receipt's text against a kiosk's
 * key (its data folder, or verifier keys from a file) and, with the data
 * folder, against its log.  The receipt comes as text (--text) or as the QR
 * codes in PNG or JPEG pictures (a photo of a printed receipt), which are
 * read with ikr_image_load and ikr_scan_frame and then checked by the very
 * same function as --text, check_text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikrar/bundle.h"
#include "ikrar/hub.h"
#include "ikrar/image.h"
#include "ikrar/limits.h"
#include "ikrar/merged.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/scan.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"

/* At most this many image files on one command line. */
#define VERIFY_MAX_IMAGES 256

static void help(const cli *c)
{
    printf("%s: ikrar verify [--data DIR | --key FILE | --trust FILE] [--roster BUNDLE] "
           "(--text RECEIPT | IMAGE...)\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Memeriksa struk (teks IK1:... dari kode QR; '-' membaca dari masukan standar),\n"
             "atau kode QR struk dalam gambar PNG atau JPEG (mis. foto struk cetak).\n"
             "--key: berkas kunci verifikasi, satu kunci per baris.\n"
             "--trust: daftar kepercayaan acara (ikrar event): struk harus dari kiosk di\n"
             "daftar, dan dibuat sebelum kiosk itu dicabut.\n"
             "Dengan --data juga memeriksa catatan dan akar log pada nomor itu.\n"
             "--roster: folder bundel roster (ikrar export atau merge); memeriksa bahwa catatan\n"
             "struk ada di bundel dan bundel memuat log yang dilihat struk, tanpa perubahan.\n"
             "Kunci bundel harus ada di --trust atau --key; tanpa keduanya hanya kunci bundel\n"
             "itu sendiri yang dipercaya, yang tidak membuktikan siapa pembuatnya.\n"
             "Status keluar: 0 semua sah, 1 ada yang tidak sah atau tanpa kode QR,\n"
             "2 salah pemakaian.",
             "Checks a receipt (the IK1:... text from its QR code; '-' reads standard input),\n"
             "or the receipt QR codes in PNG or JPEG pictures (such as a photo of a receipt).\n"
             "--key: a file of verifier keys, one a line.\n"
             "--trust: the event trust list (ikrar event): the receipt must come from a kiosk\n"
             "on the list, made before that kiosk was revoked.\n"
             "With --data it also checks the record and the log's root at that number.\n"
             "--roster: a roster bundle folder (ikrar export or merge); checks that the\n"
             "receipt's record is in the bundle and that the bundle holds the log the receipt\n"
             "saw, unchanged. The bundle's key must be in --trust or --key; without either only\n"
             "the bundle's own key is trusted, which proves nothing about who made it.\n"
             "Exit status: 0 all valid, 1 any invalid or without a QR code, 2 usage."));
}

/* What every check needs: the trusted keys and, with --data, the station for its log. */
typedef struct verifier {
    ikr_vkey *keys;
    size_t nkeys;
    ikr_station *s;
    const ikr_bundle *b;    /* --roster: one bundle a key, b[i] signed by keys[i] */
    const ikr_trust *trust; /* --trust: the event trust list */
} verifier;

/*
 * With a data folder that has joined a hub: whether the hub's witness saw the log this
 * receipt is in (its kept cosigned checkpoint covers the receipt's number and is this log's).
 */
static void print_witnessed(const cli *c, ikr_station *s, uint64_t seq)
{
    ikr_hub_conf conf;
    ikr_err e;
    uint64_t size = 0, when = 0;
    int present = 0;
    ikr_err_clear(&e);
    if (ikr_hub_conf_load(ikr_station_dir(s), &conf, &present, &e) || !present)
        return;
    char t[40];
    if (ikr_hub_witnessed(s, &conf, &size, &when, &e)) {
        char msg[300];
        printf("  %-10s %s\n", L(c, "Pusat", "Hub"), ikr_err_format(&e, c->lang, msg, sizeof msg));
    } else if (size >= seq) {
        cli_time(t, sizeof t, (long long)when, ikr_station_event(s)->zone_min);
        printf("  %-10s %s %llu, %s %s\n", L(c, "Pusat", "Hub"),
               L(c, "saksi pusat melihat log ini sampai nomor",
                 "the hub's witness saw this log up to number"),
               (unsigned long long)size, L(c, "pada", "at"), t);
    } else {
        printf("  %-10s %s\n", L(c, "Pusat", "Hub"),
               L(c, "saksi pusat belum melihat nomor ini (ikrar push)",
                 "the hub's witness has not seen this number yet (ikrar push)"));
    }
    memset(&conf, 0, sizeof conf);
}

/* The receipt r against the bundle: the bundle's own fault first, then the receipt's. */
static int in_bundle(const ikr_bundle *b, const ikr_receipt *r, ikr_err *e)
{
    ikr_err res;
    int rc = ikr_bundle_check_receipts(b, r, 1, &res, e);
    if (rc)
        return rc;
    if (res.code) {
        *e = res;
        return res.code;
    }
    return IKR_OK;
}

/*
 * Checks the receipt text t[0..n) (white space at its ends ignored) and
 * prints the verdict: the claims on standard output when valid, the reason
 * on standard error (after "from: " when from is not NULL) when not.
 * Returns EXIT_VALID, or the exit status of the failure.
 */
static int check_text(const cli *c, const verifier *v, const char *t, size_t n, const char *from)
{
    /* Scanners and shells add white space at the ends; it is not part of the receipt. */
    while (n > 0 && isspace((unsigned char)t[n - 1]))
        n--;
    while (n > 0 && isspace((unsigned char)*t)) {
        t++;
        n--;
    }
    ikr_err e;
    ikr_buf cose;
    ikr_receipt r;
    size_t which = 0;
    int rc;
    ikr_err_clear(&e);
    ikr_buf_init(&cose);
    if (ikr_receipt_parse(&r, &cose, t, n, &e) ||
        ikr_receipt_check(&cose, v->keys, v->nkeys, &which, &e) ||
        (v->trust && ikr_trust_check(v->trust, &v->keys[which], r.t, &e)) ||
        (v->s && ikr_station_check_receipt(v->s, &r, &e)) ||
        (v->b && in_bundle(&v->b[which], &r, &e))) {
        if (from) {
            char msg[512];
            fprintf(stderr, "ikrar: %s: %s\n", from, ikr_err_format(&e, c->lang, msg, sizeof msg));
            rc = EXIT_INVALID;
        } else {
            rc = cli_fail(c, &e);
        }
        goto out;
    }
    char when[40];
    /* In the kiosk's own zone with its data folder; WIB with only a key. */
    cli_time(when, sizeof when, (long long)r.t, v->s ? ikr_station_event(v->s)->zone_min : 0);
    /* What the receipt says is outside text: escaped, it cannot forge a line of this verdict. */
    char ev[IKR_TEXT_ESCAPED_MAX(sizeof r.ev)], name[IKR_TEXT_ESCAPED_MAX(sizeof r.name)],
        nip[IKR_TEXT_ESCAPED_MAX(sizeof r.nip)];
    printf("%s\n", L(c, "SAH: struk ini asli.", "VALID: this receipt is genuine."));
    printf("  %-10s %s\n", L(c, "Acara", "Event"), CLI_SHOWN(ev, r.ev));
    printf("  %-10s %llu\n", L(c, "Nomor", "Number"), (unsigned long long)r.seq);
    printf("  %-10s %s\n", L(c, "Waktu", "Time"), when);
    printf("  %-10s %s\n", L(c, "Nama", "Name"), CLI_SHOWN(name, r.name));
    printf("  %-10s %s\n", "NIP",
           r.nip[0] ? CLI_SHOWN(nip, r.nip) : L(c, "(Non-ASN, tanpa NIP)", "(Non-ASN, no NIP)"));
    printf("  %-10s %s\n", L(c, "Kiosk", "Kiosk"), v->keys[which].name);
    if (v->s)
        printf("  %-10s %s\n", "Log",
               L(c, "cocok: catatan dan akar log pada nomor ini sesuai struk",
                 "matches: the record and the log's root at this number agree"));
    if (v->s)
        print_witnessed(c, v->s, r.seq);
    if (v->b)
        printf("  %-10s %s (%llu %s)\n", "Roster",
               L(c, "cocok: catatan ada di bundel dan bundel memuat log yang dilihat struk",
                 "matches: the record is in the bundle, which holds the log the receipt saw"),
               (unsigned long long)v->b[which].size, L(c, "catatan", "records"));
    if (v->trust)
        printf("  %-10s %s %s (%s %llu)\n", L(c, "Daftar", "Trust"),
               L(c, "kiosk ada di daftar kepercayaan acara",
                 "the kiosk is on the trust list of event"),
               v->trust->event, L(c, "nomor seri", "serial"), (unsigned long long)v->trust->serial);
    rc = EXIT_VALID;
out:
    ikr_buf_free(&cose);
    return rc;
}

/*
 * Prints "ikrar: <message>" for an image's failure e (its detail names the
 * file).  Returns EXIT_INVALID for a damaged picture or one without a code,
 * EXIT_TROUBLE for a file that could not be read at all.
 */
static int image_fail(const cli *c, const ikr_err *e)
{
    char msg[512];
    fprintf(stderr, "ikrar: %s\n", ikr_err_format(e, c->lang, msg, sizeof msg));
    return e->code == IKR_E_IMAGE || e->code == IKR_E_NO_QR ? EXIT_INVALID : EXIT_TROUBLE;
}

/*
 * Reads the picture at path, finds its QR codes and checks each receipt
 * among them (a code not starting with IK1: is only checked, and so refused
 * as "not a receipt", when the picture holds no receipt at all).  Returns
 * EXIT_VALID when every receipt in it is valid, else the worst status.
 */
static int check_image(const cli *c, const verifier *v, ikr_scanner *sc, ikr_scan_result *res,
                       const char *path)
{
    ikr_err e;
    ikr_buf file;
    ikr_image img;
    int rc;
    ikr_err_clear(&e);
    ikr_buf_init(&file);
    memset(&img, 0, sizeof img);
    char shown[IKR_TEXT_ESCAPED_MAX(256)];
    printf("%s:\n", CLI_SHOWN(shown, path));
    fflush(stdout);
    if (ikr_file_read(path, IKR_MAX_IMAGE_BYTES, &file, &e)) {
        /* Too large reads as a damaged image; a missing file stays a file error. */
        if (e.code == IKR_E_IO && strstr(e.detail, "too large")) {
            ikr_err_clear(&e);
            ikr_err_set(&e, IKR_E_IMAGE, "%s: more than %u bytes", path,
                        (unsigned)IKR_MAX_IMAGE_BYTES);
        }
        rc = image_fail(c, &e);
        goto out;
    }
    ikr_err inner;
    ikr_err_clear(&inner);
    if (ikr_image_load(&img, file.p, file.len, &inner)) {
        ikr_err_set(&e, inner.code, "%s (%s)", path, inner.detail);
        rc = image_fail(c, &e);
        goto out;
    }
    ikr_buf_free(&file);
    ikr_frame f = {img.px, img.w, img.h, (size_t)img.w};
    int got = ikr_scan_frame(sc, &f, res, &e);
    if (got) {
        ikr_err_clear(&e);
        ikr_err_set(&e, got, "%s", path);
        rc = image_fail(c, &e);
        goto out;
    }
    size_t receipts = 0;
    rc = EXIT_VALID;
    for (size_t i = 0; i < res->n; i++) {
        const ikr_scan_code *q = &res->code[i];
        if (q->len < 4 || memcmp(q->text, IKR_RECEIPT_PREFIX, 4) != 0)
            continue;
        receipts++;
        int one = check_text(c, v, q->text, q->len, path);
        if (one > rc)
            rc = one;
    }
    if (receipts == 0)
        rc = check_text(c, v, res->code[0].text, res->code[0].len, path);
out:
    ikr_buf_free(&file);
    ikr_image_free(&img);
    return rc;
}

/*
 * Opens the roster at dir: a kiosk's bundle, or a merged bundle whose
 * kiosks/ each hold one (the receipt's key then picks the kiosk).
 */
static int open_roster(const char *dir, ikr_bundle *b, size_t *n, ikr_err *e)
{
    ikr_merged_kiosk *ks = NULL;
    size_t nk = 0;
    int rc;
    *n = 0;
    if (!ikr_merged_is_bundle(dir)) {
        if ((rc = ikr_bundle_open(&b[0], dir, e)))
            return rc;
        *n = 1;
        return IKR_OK;
    }
    _Static_assert(IKR_MERGED_MAX_KIOSKS <= IKR_MAX_VKEYS, "b holds every kiosk of a merge");
    rc = ikr_merged_list_kiosks(dir, &ks, &nk, e);
    for (size_t i = 0; rc == IKR_OK && i < nk; i++)
        if ((rc = ikr_bundle_open(&b[i], ks[i].dir, e)) == IKR_OK)
            (*n)++;
    free(ks);
    return rc;
}

/* Reads the trust list at path into *t (allocated; the caller frees it). */
static int load_trust(const char *path, ikr_trust **t, ikr_err *e)
{
    if (!(*t = malloc(sizeof **t)))
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    return ikr_trust_load(*t, path, e);
}

int cmd_verify(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0},
                   {"key", 1, NULL, 0},
                   {"roster", 1, NULL, 0},
                   {"text", 1, NULL, 0},
                   {"trust", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    const char *images[VERIFY_MAX_IMAGES];
    int nimages = 0, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, images, VERIFY_MAX_IMAGES, &nimages, help)) >= 0)
        return rc;
    const char *data = cli_opt_get(o, no, "data"), *keyfile = cli_opt_get(o, no, "key");
    const char *text = cli_opt_get(o, no, "text"), *roster = cli_opt_get(o, no, "roster");
    const char *trustfile = cli_opt_get(o, no, "trust");
    if (!text && nimages == 0)
        return cli_usage_error(c, "Berikan --text atau berkas gambar.",
                               "Give --text or image files.");
    if (!!data + !!keyfile + !!trustfile > 1 || (data && roster))
        return cli_usage_error(c,
                               "Berikan paling banyak satu dari --data, --key atau --trust "
                               "(--roster dengan --key atau --trust).",
                               "Give at most one of --data, --key or --trust "
                               "(--roster with --key or --trust).");
    if (!keyfile && !roster && !trustfile)
        data = cli_data_dir(data);

    ikr_err e;
    ikr_buf in;
    verifier v = {calloc(IKR_MAX_VKEYS, sizeof(ikr_vkey)), 0, NULL, NULL, NULL};
    ikr_bundle *bundle = NULL;
    ikr_trust *trust = NULL;
    ikr_vkey *given = NULL; /* --key or --trust with --roster: the keys a bundle must have */
    size_t ngiven = 0;
    ikr_scanner *sc = NULL;
    ikr_scan_result *res = NULL;
    ikr_err_clear(&e);
    ikr_buf_init(&in);
    if (!v.keys) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        rc = cli_fail(c, &e);
        goto out;
    }
    if (text && strcmp(text, "-") == 0) {
        if (ikr_file_read("-", IKR_MAX_RECEIPT_TEXT + 64, &in, &e)) {
            /* More than a QR code can hold is not a receipt. */
            ikr_err_clear(&e);
            ikr_err_set(&e, IKR_E_RCPT_BASE45, NULL);
            rc = cli_fail(c, &e);
            goto out;
        }
    } else if (text && (ikr_buf_adds(&in, text) || ikr_buf_addc(&in, 0))) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        rc = cli_fail(c, &e);
        goto out;
    }

    if (data) {
        if (ikr_station_open(&v.s, data, IKR_OPEN_VERIFY, NULL, &e)) {
            rc = cli_fail(c, &e);
            goto out;
        }
        cli_note_read_copy(c, v.s);
        ikr_buf vk;
        ikr_buf_init(&vk);
        int bad =
            ikr_station_vkey(v.s, &vk) || ikr_vkey_parse(&v.keys[0], (const char *)vk.p, vk.len);
        ikr_buf_free(&vk);
        if (bad) {
            ikr_err_set(&e, IKR_E_INTERNAL, "verifier key");
            rc = cli_fail(c, &e);
            goto out;
        }
        v.nkeys = 1;
    } else if (roster) {
        if (!(bundle = calloc(IKR_MAX_VKEYS, sizeof *bundle)) ||
            !(given = calloc(IKR_MAX_VKEYS, sizeof *given))) {
            ikr_err_set(&e, IKR_E_NOMEM, NULL);
            rc = cli_fail(c, &e);
            goto out;
        }
        if (open_roster(roster, bundle, &v.nkeys, &e)) {
            rc = cli_fail(c, &e);
            goto out;
        }
        if (trustfile ? load_trust(trustfile, &trust, &e)
            : keyfile ? cli_load_vkeys(keyfile, given, &ngiven, &e)
                      : IKR_OK) {
            rc = cli_fail(c, &e);
            goto out;
        }
        for (size_t i = 0; i < v.nkeys; i++) {
            v.keys[i] = bundle[i].vkey;
            /* The bundle's own key is only its claim: it must be one the verifier brought. */
            int known = !trust && !keyfile;
            if (trust && ikr_trust_find(trust, &bundle[i].vkey))
                known = 1;
            for (size_t k = 0; k < ngiven && !known; k++)
                known = strcmp(given[k].name, bundle[i].vkey.name) == 0 &&
                        memcmp(given[k].pub, bundle[i].vkey.pub, IKR_PUB_LEN) == 0;
            if (!known) {
                ikr_err_set(&e, trust ? IKR_E_TRUST_UNKNOWN : IKR_E_AUDIT_KEY, "%s (%s)",
                            bundle[i].vkey.name, bundle[i].dir);
                rc = cli_fail(c, &e);
                goto out;
            }
        }
        if (!trust && !keyfile)
            cli_warn_own_key("bundel ini", "this bundle");
        v.b = bundle;
        v.trust = trust;
    } else if (trustfile) {
        if (load_trust(trustfile, &trust, &e)) {
            rc = cli_fail(c, &e);
            goto out;
        }
        for (size_t i = 0; i < trust->n; i++)
            v.keys[i] = trust->k[i].key;
        v.nkeys = trust->n;
        v.trust = trust;
    } else if (cli_load_vkeys(keyfile, v.keys, &v.nkeys, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }

    rc = EXIT_VALID;
    if (text) {
        const char *t = (const char *)in.p;
        rc = check_text(c, &v, t, strlen(t), NULL);
    }
    if (nimages > 0) {
        res = malloc(sizeof *res);
        if (!res || ikr_scanner_new(&sc, &e)) {
            ikr_err_set(&e, IKR_E_NOMEM, NULL);
            rc = cli_fail(c, &e);
            goto out;
        }
        for (int i = 0; i < nimages; i++) {
            int one = check_image(c, &v, sc, res, images[i]);
            if (one > rc)
                rc = one;
        }
    }
out:
    ikr_scanner_free(sc);
    free(res);
    ikr_station_close(v.s);
    free(bundle);
    free(trust);
    free(given);
    ikr_buf_free(&in);
    free(v.keys);
    return rc;
}
