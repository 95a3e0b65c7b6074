/*
 * test_data: the golden and forged files of tests/data (its README.md says
 * what each one is and what a verifier must answer).
 *
 *   test_data               makes them all again in a temporary folder and
 *                           checks they equal the committed ones byte for
 *                           byte (roster.pdf aside: its bytes are cairo's),
 *                           then checks the committed files with the
 *                           library: every golden one passes, every forged
 *                           one fails with its own error, not just any.
 *   test_data --write DIR   writes bundle/, receipts/ and forged/ into DIR,
 *                           which must not exist (scripts/make-test-data.sh).
 *
 * How they are made: a kiosk whose key is the worked example's (RFC 8032
 * test 1, vectors/seed.hex) and whose declaration is the example's signs
 * three people at fixed times through ikr_station_sign, the code `ikrar
 * sign` runs; ikr_bundle_export, the code `ikrar export` runs, writes the
 * bundle at a fixed time.  Its first signer is the example's, so record 1
 * is byte for byte vectors/record.cose.hex.  Each forgery starts from those
 * files and changes one thing.  A second key for the forgeries is RFC 8032
 * test 2's, so they too come out the same every time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "ikrar/audit.h"
#include "ikrar/base45.h"
#include "ikrar/base64.h"
#include "ikrar/bundle.h"
#include "ikrar/cbor.h"
#include "ikrar/clock.h"
#include "ikrar/cose.h"
#include "ikrar/export.h"
#include "ikrar/hash.h"
#include "ikrar/ink.h"
#include "ikrar/key.h"
#include "ikrar/log.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/station.h"
#include "ikrar/ticket.h"
#include "testdata.h"

/* RFC 8032 test 2's secret key: the forger's. */
static const char *OTHER_SEED = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";

/* The fixed clock: the example's signing time, then two more, and the export. */
#define T1 1727690000u
#define T2 1727690420u
#define T3 1727691015u
#define T_EXPORT 1727692800u

/* What a forged zlib stream inflates to: far past the 64 KiB a receipt may. */
#define BOMB_SIZE (1u << 20)

static void say(const char *what, const ikr_err *e)
{
    char m[400];
    fprintf(stderr, "  %s: %s\n", what, ikr_err_format(e, IKR_LANG_EN, m, sizeof m));
}

static int sh(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "  command failed (%d): %s\n", rc, cmd);
    return rc;
}

static int put(const char *dir, const char *name, const void *p, size_t n)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(p, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "  cannot write %s\n", path);
    return ok ? 0 : -1;
}

static int get(const char *dir, const char *name, ikr_buf *out)
{
    char path[2048];
    ikr_err e;
    ikr_err_clear(&e);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ikr_buf_reset(out);
    if (ikr_file_read(path, TD_MAX_FILE, out, &e) != 0) {
        say(path, &e);
        return -1;
    }
    return 0;
}

static int mkdir_p(const char *dir)
{
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "mkdir -p -- '%s'", dir);
    return sh(cmd);
}

/* The first place needle occurs in p[0..n), or NULL (memmem is a GNU extension). */
static uint8_t *find(const void *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp((const uint8_t *)p + i, needle, k) == 0)
            return (uint8_t *)p + i;
    return NULL;
}

static int key_from_hex(ikr_key **k, const char *hex)
{
    uint8_t seed[32];
    return ikr_unhex(seed, sizeof seed, hex) || ikr_key_from_seed(k, seed);
}

/* The receipt text of COSE bytes: IK1: + Base45(zlib level 9), a line ending in a newline. */
static int receipt_text(ikr_buf *out, const uint8_t *cose, size_t n)
{
    uLongf zn = compressBound((uLong)n);
    uint8_t *z = malloc(zn);
    int rc = !z || compress2(z, &zn, cose, (uLong)n, Z_BEST_COMPRESSION) != Z_OK;
    ikr_buf_reset(out);
    if (!rc)
        rc = ikr_buf_adds(out, "IK1:") || ikr_buf_reserve(out, IKR_BASE45_LEN(zn) + 2);
    if (!rc) {
        ikr_base45_encode((char *)out->p + out->len, z, zn);
        out->len += IKR_BASE45_LEN(zn);
        rc = ikr_buf_adds(out, "\n");
    }
    free(z);
    return rc;
}

/* ---- the golden kiosk, its receipts and its bundle ---- */

/*
 * Makes a kiosk in dir with the example's key: ikr_station_create draws a
 * fresh key, so its kiosk.key, verifier.key and the database's public key
 * are then replaced by the fixed one (what nothing but a test should do).
 */
static int make_kiosk(const char *dir, const ikr_key *k, const ikr_buf *decl)
{
    char path[2200], hex[2 * IKR_PUB_LEN + 1];
    ikr_err e;
    ikr_buf vk;
    ikr_log *l = NULL;
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    ikr_station_cfg cfg = {"contoh",
                           "Deklarasi Netralitas ASN (contoh)",
                           "kiosk-1",
                           (const char *)decl->p,
                           decl->len,
                           "246810",
                           NULL,
                           "Pemerintah Kota Contoh",
                           "Aula Kantor Wali Kota",
                           "30 September 2024",
                           "WIB"};
    int rc = ikr_station_create(dir, &cfg, &vk, &e);
    ikr_buf_reset(&vk);
    snprintf(path, sizeof path, "%s/%s", dir, IKR_KEY_FILE);
    if (!rc && (rc = unlink(path)) == 0)
        rc = ikr_key_save(k, path, NULL, &e);
    if (!rc)
        rc = ikr_vkey_format(&vk, "ikrar/contoh/kiosk-1", ikr_key_public(k)) ||
             ikr_buf_adds(&vk, "\n");
    if (!rc)
        rc = put(dir, IKR_VKEY_FILE, vk.p, vk.len);
    snprintf(path, sizeof path, "%s/%s", dir, IKR_DB_FILE);
    ikr_hex(hex, ikr_key_public(k), IKR_PUB_LEN);
    if (!rc && (rc = ikr_log_open(&l, path, 0, &e)) == 0)
        rc = ikr_log_meta_set(l, "pubkey", hex, strlen(hex), &e);
    /* The head file init wrote is signed with the drawn key: sign it again with this one. */
    uint8_t root[IKR_HASH_LEN];
    ikr_buf body, note;
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    if (!rc && !(rc = ikr_log_root(l, 0, root, &e)))
        rc = ikr_checkpoint_body(&body, "ikrar/contoh/kiosk-1", 0, root) ||
             ikr_note_sign(&note, (const char *)body.p, body.len, "ikrar/contoh/kiosk-1", k) ||
             put(dir, IKR_HEAD_FILE, note.p, note.len);
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    ikr_log_close(l);
    if (rc)
        say("the golden kiosk", &e);
    ikr_buf_free(&vk);
    return rc;
}

/* Signs f with ink at time t into s; the receipt text goes to receipts/seq-N.txt under out. */
static int sign_one(ikr_station *s, const ikr_form *f, const char *ink_json, uint64_t t,
                    const char *out)
{
    ikr_ink ink;
    ikr_signed sg;
    ikr_err e;
    char name[64];
    ikr_err_clear(&e);
    ikr_ink_init(&ink);
    memset(&sg, 0, sizeof sg);
    int rc = ikr_ink_parse_json(&ink, ink_json, strlen(ink_json));
    if (!rc && (rc = ikr_station_sign(s, f, &ink, t, &sg, &e)) != 0)
        say(f->name, &e);
    if (!rc) {
        /* One line: the receipt text and a newline. */
        ikr_buf line;
        ikr_buf_init(&line);
        snprintf(name, sizeof name, "receipts/seq-%llu.txt", (unsigned long long)sg.seq);
        rc = ikr_buf_adds(&line, (const char *)sg.receipt.p) || ikr_buf_adds(&line, "\n") ||
             put(out, name, line.p, line.len);
        ikr_buf_free(&line);
    }
    ikr_buf_free(&sg.receipt);
    ikr_ink_free(&ink);
    return rc;
}

static int make_golden(const char *out, const ikr_key *k)
{
    char kiosk[2048], dir[2048];
    ikr_buf decl, ink;
    ikr_station *s = NULL;
    ikr_err e;
    ikr_bundle_stats st;
    ikr_err_clear(&e);
    ikr_buf_init(&decl);
    ikr_buf_init(&ink);
    snprintf(kiosk, sizeof kiosk, "%s/kiosk", out);
    snprintf(dir, sizeof dir, "%s/receipts", out);
    int rc = td_read("vectors/declaration.txt", &decl) || td_line("vectors/ink.json", &ink) ||
             make_kiosk(kiosk, k, &decl) || mkdir(dir, 0755);
    if (!rc && (rc = ikr_station_open(&s, kiosk, IKR_OPEN_SIGN, NULL, &e)) != 0)
        say("the golden kiosk opens", &e);
    /* The worked example's signer, then a PPPK and a NON-ASN signer. */
    ikr_form siti = {"Siti Rahmawati, S.Pd.", IKR_STATUS_PNS, "198503302010012003",
                     "Guru Ahli Pertama", "Dinas Pendidikan"};
    ikr_form ayu = {"I Gusti Ayu Putu Sari", IKR_STATUS_PPPK, "199002142023212001",
                    "Penata Kelola Layanan Kesehatan", "Dinas Kesehatan"};
    ikr_form budi = {"Budi Santoso", IKR_STATUS_NON_ASN, "", "Tenaga Pendukung",
                     "Sekretariat Daerah"};
    rc = rc || sign_one(s, &siti, (const char *)ink.p, T1, out) ||
         sign_one(s, &ayu,
                  "{\"w\":400,\"h\":200,\"s\":[[40,150,0,80,60,120,130,140,260],[200,90,500,300,"
                  "110,640]]}",
                  T2, out) ||
         sign_one(s, &budi,
                  "{\"w\":400,\"h\":200,\"s\":[[30,100,0,90,40,90,160,120,200,250,60,330]]}", T3,
                  out);
    snprintf(dir, sizeof dir, "%s/bundle", out);
    if (!rc && (rc = ikr_bundle_export(s, dir, NULL, T_EXPORT, &st, &e)) != 0)
        say("the golden export", &e);
    ikr_station_close(s);
    ikr_buf_free(&decl);
    ikr_buf_free(&ink);
    return rc;
}

/* ---- forged receipts, from the worked example's receipt ---- */

/* COSE_Sign1 over payload with kid in its header, signed by k (whatever kid says). */
static int cose_with_kid(ikr_buf *out, const ikr_key *k, const uint8_t kid[8],
                         const uint8_t *payload, size_t n)
{
    ikr_buf prot, tbs;
    uint8_t sig[IKR_SIG_LEN];
    ikr_buf_init(&prot);
    ikr_buf_init(&tbs);
    int rc = ikr_cbor_head(&prot, IKR_CBOR_MAP, 2) || ikr_cbor_uint(&prot, 1) ||
             ikr_cbor_int(&prot, -8) || ikr_cbor_uint(&prot, 4) || ikr_cbor_bstr(&prot, kid, 8);
    rc = rc || ikr_cbor_head(&tbs, IKR_CBOR_ARRAY, 4) || ikr_cbor_text(&tbs, "Signature1") ||
         ikr_cbor_bstr(&tbs, prot.p, prot.len) || ikr_cbor_bstr(&tbs, "", 0) ||
         ikr_cbor_bstr(&tbs, payload, n) || ikr_key_sign(k, sig, tbs.p, tbs.len);
    rc = rc || ikr_cbor_head(out, IKR_CBOR_TAG, 18) || ikr_cbor_head(out, IKR_CBOR_ARRAY, 4) ||
         ikr_cbor_bstr(out, prot.p, prot.len) || ikr_cbor_head(out, IKR_CBOR_MAP, 0) ||
         ikr_cbor_bstr(out, payload, n) || ikr_cbor_bstr(out, sig, sizeof sig);
    ikr_buf_free(&prot);
    ikr_buf_free(&tbs);
    return rc;
}

static int make_forged_receipts(const char *out, const ikr_key *k, const ikr_key *other)
{
    char dir[2048];
    ikr_buf cose, claims, text, t, b;
    ikr_buf_init(&cose);
    ikr_buf_init(&claims);
    ikr_buf_init(&text);
    ikr_buf_init(&t);
    ikr_buf_init(&b);
    snprintf(dir, sizeof dir, "%s/forged/receipts", out);
    int rc = td_hex("vectors/receipt.cose.hex", &cose) ||
             td_hex("vectors/receipt-claims.cbor.hex", &claims) ||
             td_line("vectors/receipt.txt", &text) || mkdir_p(dir);
    if (rc)
        goto out;

    /* One bit of the signature's first byte flipped. */
    ikr_buf_reset(&b);
    rc = rc || ikr_buf_add(&b, cose.p, cose.len);
    if (!rc)
        b.p[b.len - IKR_SIG_LEN] ^= 0x01;
    rc = rc || receipt_text(&t, b.p, b.len) || put(dir, "sig-flipped.txt", t.p, t.len);

    /* "Siti" made "Sita" inside the signed claims; the signature left as it was. */
    ikr_buf_reset(&b);
    rc = rc || ikr_buf_add(&b, cose.p, cose.len);
    uint8_t *at = rc ? NULL : find(b.p, b.len, "Siti Rahmawati");
    rc = rc || !at;
    if (!rc)
        at[3] = 'a';
    rc = rc || receipt_text(&t, b.p, b.len) || put(dir, "name-changed.txt", t.p, t.len);

    /* The same claims signed by another key, which names itself: a key nobody trusts. */
    ikr_buf_reset(&b);
    rc = rc || ikr_cose_sign1(&b, other, claims.p, claims.len) || receipt_text(&t, b.p, b.len) ||
         put(dir, "wrong-key.txt", t.p, t.len);

    /* Signed by the other key under the kiosk's kid: the kid finds the kiosk's key, which refuses
     * it. */
    ikr_buf_reset(&b);
    rc = rc || cose_with_kid(&b, other, ikr_key_kid(k), claims.p, claims.len) ||
         receipt_text(&t, b.p, b.len) || put(dir, "wrong-key-same-kid.txt", t.p, t.len);

    /* The published text cut to a length no Base45 has (3 characters a group, 2 for the last byte).
     */
    size_t body = text.len - 4, m = body - 1;
    while (m % 3 != 1)
        m--;
    ikr_buf_reset(&t);
    rc = rc || ikr_buf_add(&t, text.p, 4 + m) || ikr_buf_adds(&t, "\n") ||
         put(dir, "truncated-base45.txt", t.p, t.len);

    /* Cut by whole Base45 groups: it decodes, but the zlib stream ends early. */
    m = body - (body % 3 ? body % 3 : 3) - 3;
    ikr_buf_reset(&t);
    rc = rc || ikr_buf_add(&t, text.p, 4 + m) || ikr_buf_adds(&t, "\n") ||
         put(dir, "truncated-zlib.txt", t.p, t.len);

    /* Another prefix. */
    ikr_buf_reset(&t);
    rc = rc || ikr_buf_adds(&t, "IK2:") || ikr_buf_add(&t, text.p + 4, body) ||
         ikr_buf_adds(&t, "\n") || put(dir, "wrong-prefix.txt", t.p, t.len);

    /* The receipt followed by zeros to 1 MiB: about a kilobyte of zlib that would inflate to 1 MiB.
     */
    ikr_buf_reset(&b);
    rc = rc || ikr_buf_reserve(&b, BOMB_SIZE) || ikr_buf_add(&b, cose.p, cose.len);
    if (!rc) {
        memset(b.p + b.len, 0, BOMB_SIZE - b.len);
        b.len = BOMB_SIZE;
    }
    rc = rc || receipt_text(&t, b.p, b.len) || put(dir, "zlib-bomb.txt", t.p, t.len);
    if (!rc && t.len - 1 > IKR_MAX_RECEIPT_TEXT) {
        fprintf(stderr, "  the zlib bomb is longer than a QR code holds\n");
        rc = -1;
    }
out:
    ikr_buf_free(&cose);
    ikr_buf_free(&claims);
    ikr_buf_free(&text);
    ikr_buf_free(&t);
    ikr_buf_free(&b);
    return rc;
}

/* ---- forged bundles, from the golden bundle ---- */

/*
 * Copies the golden bundle to forged/bundles/name and returns that folder in
 * dir.  roster.pdf is left out: the audit does not read it (a bundle without
 * it passes), and four more copies of a 36 KB binary would say nothing.
 */
static int forged_copy(char *dir, size_t n, const char *out, const char *name)
{
    char cmd[5000];
    snprintf(dir, n, "%s/forged/bundles/%s", out, name);
    snprintf(
        cmd, sizeof cmd,
        "mkdir -p -- '%s/forged/bundles' && cp -r -- '%s/bundle' '%s' && rm -- '%s/roster.pdf'",
        out, out, dir, dir);
    return sh(cmd);
}

/* Where line no (from 1) of f starts, or -1. */
static long line_at(const ikr_buf *f, int no)
{
    size_t i = 0;
    for (int l = 1; l < no; l++) {
        const uint8_t *nl = memchr(f->p + i, '\n', f->len - i);
        if (!nl)
            return -1;
        i = (size_t)(nl - f->p) + 1;
    }
    return i < f->len ? (long)i : -1;
}

static int make_forged_bundles(const char *out, const ikr_key *other)
{
    char dir[2048];
    ikr_buf f, g;
    ikr_buf_init(&f);
    ikr_buf_init(&g);
    int rc = 0;

    /*
     * One byte of records.jsonl: in record 2's "cose", the Base64 character
     * that holds the first letter of the signer's name ('I'), made another.
     */
    rc = rc || forged_copy(dir, sizeof dir, out, "record-byte-changed") ||
         get(dir, "records.jsonl", &f);
    long l2 = rc ? -1 : line_at(&f, 2);
    const char *c64 = l2 < 0 ? NULL : strstr((const char *)f.p + l2, "\"cose\":\"");
    rc = rc || !c64;
    if (!rc) {
        c64 += 8;
        size_t n64 = strcspn(c64, "\"");
        uint8_t raw[1024];
        long nraw = n64 < 1300 ? ikr_base64_decode(raw, sizeof raw, c64, n64) : -1;
        const uint8_t *name = nraw > 0 ? find(raw, (size_t)nraw, "I Gusti") : NULL;
        rc = !name;
        if (!rc) {
            size_t ch = (size_t)(name - raw) * 4 / 3;
            char *p = (char *)f.p + (c64 - (const char *)f.p) + ch;
            *p = *p == 'A' ? 'B' : 'A';
            rc = put(dir, "records.jsonl", f.p, f.len);
        }
    }

    /* Lines 1 and 2 of records.jsonl swapped. */
    rc = rc || forged_copy(dir, sizeof dir, out, "lines-swapped") || get(dir, "records.jsonl", &f);
    long a = rc ? -1 : line_at(&f, 2), c = rc ? -1 : line_at(&f, 3);
    rc = rc || a < 0 || c < 0;
    ikr_buf_reset(&g);
    rc = rc || ikr_buf_add(&g, f.p + a, (size_t)(c - a)) || ikr_buf_add(&g, f.p, (size_t)a) ||
         ikr_buf_add(&g, f.p + c, f.len - (size_t)c) || put(dir, "records.jsonl", g.p, g.len);

    /* The checkpoint's very text signed by another key under the kiosk's name. */
    rc = rc || forged_copy(dir, sizeof dir, out, "checkpoint-other-key") ||
         get(dir, "checkpoint", &f);
    const uint8_t *blank = rc ? NULL : find(f.p, f.len, "\n\n");
    rc = rc || !blank;
    ikr_buf_reset(&g);
    rc = rc ||
         ikr_note_sign(&g, (const char *)f.p, (size_t)(blank - f.p) + 1, "ikrar/contoh/kiosk-1",
                       other) ||
         put(dir, "checkpoint", g.p, g.len);

    /* One letter of a name in roster.csv (record 3's row): what a spreadsheet edit does. */
    rc = rc || forged_copy(dir, sizeof dir, out, "roster-csv-edited") || get(dir, "roster.csv", &f);
    uint8_t *budi = rc ? NULL : find(f.p, f.len, "Budi Santoso");
    rc = rc || !budi;
    if (!rc) {
        budi[3] = 'y';
        rc = put(dir, "roster.csv", f.p, f.len);
    }
    ikr_buf_free(&f);
    ikr_buf_free(&g);
    return rc;
}

/* Writes bundle/, receipts/ and forged/ into out (a new folder); the kiosk's folder is removed
 * again. */
static int write_all(const char *out)
{
    ikr_key *k = NULL, *other = NULL;
    ikr_buf seed;
    char cmd[2200];
    ikr_buf_init(&seed);
    if (mkdir(out, 0700) != 0) {
        fprintf(stderr, "  cannot make %s (it must not exist)\n", out);
        return -1;
    }
    int rc = td_line("vectors/seed.hex", &seed) || key_from_hex(&k, (const char *)seed.p) ||
             key_from_hex(&other, OTHER_SEED);
    rc = rc || make_golden(out, k) || make_forged_receipts(out, k, other) ||
         make_forged_bundles(out, other);
    snprintf(cmd, sizeof cmd, "rm -rf -- '%s/kiosk'", out);
    sh(cmd);
    ikr_key_free(k);
    ikr_key_free(other);
    ikr_buf_free(&seed);
    return rc;
}

/* ---- checking the committed files ---- */

/* Parses receipt text file rel and checks its signature with key; the first error's code. */
static int receipt_verdict(const char *rel, const ikr_vkey *key, ikr_receipt *r, ikr_buf *cose)
{
    ikr_buf text;
    ikr_err e;
    ikr_buf_init(&text);
    ikr_err_clear(&e);
    ikr_buf_reset(cose);
    int rc =
        td_line(rel, &text) ? -1 : ikr_receipt_parse(r, cose, (const char *)text.p, text.len, &e);
    if (!rc)
        rc = ikr_receipt_check(cose, key, 1, NULL, &e);
    ikr_buf_free(&text);
    return rc;
}

static int load_vkey(const char *rel, ikr_vkey *k)
{
    ikr_buf line;
    ikr_buf_init(&line);
    int rc = td_line(rel, &line) || ikr_vkey_parse(k, (const char *)line.p, line.len);
    ikr_buf_free(&line);
    return rc;
}

static void golden(void)
{
    char path[2048];
    ikr_vkey vk, bvk;
    ikr_buf want, cose, f;
    ikr_receipt rs[4];
    ikr_err e, res[4];
    ikr_buf_init(&want);
    ikr_buf_init(&cose);
    ikr_buf_init(&f);
    check("vectors/verifier.key parses", load_vkey("vectors/verifier.key", &vk) == 0);
    check("bundle/verifier.key parses", load_vkey("bundle/verifier.key", &bvk) == 0);
    check("the bundle's key is the worked example's", memcmp(&vk, &bvk, sizeof vk) == 0);

    /* Record 1 of the bundle is the worked example's record, byte for byte. */
    ikr_bundle_rec rec;
    ikr_bundle_rec_init(&rec);
    ikr_err_clear(&e);
    long nl = td_read("bundle/records.jsonl", &f) ? -1 : (long)strcspn((const char *)f.p, "\n");
    check("records.jsonl's first line parses",
          nl > 0 && ikr_bundle_parse_line(&rec, (const char *)f.p, (size_t)nl, &e) == 0 &&
              rec.seq == 1);
    check("vectors/record.cose.hex reads", td_hex("vectors/record.cose.hex", &want) == 0);
    check("the bundle's record 1 is vectors/record.cose.hex",
          rec.cose.len == want.len && want.len && memcmp(rec.cose.p, want.p, want.len) == 0);
    ikr_bundle_rec_free(&rec);

    /* The published receipt and the three the golden kiosk printed: valid, and in the bundle. */
    const char *receipts[] = {"vectors/receipt.txt", "receipts/seq-1.txt", "receipts/seq-2.txt",
                              "receipts/seq-3.txt"};
    for (size_t i = 0; i < 4; i++) {
        int rc = receipt_verdict(receipts[i], &vk, &rs[i], &cose);
        if (rc)
            fprintf(stderr, "  %s: %d\n", receipts[i], rc);
        check("a golden receipt verifies with the worked example's key", rc == 0);
        if (i == 1) {
            ikr_buf_reset(&want);
            check("receipts/seq-1.txt holds the worked example's receipt COSE_Sign1",
                  td_hex("vectors/receipt.cose.hex", &want) == 0 && cose.len == want.len &&
                      memcmp(cose.p, want.p, want.len) == 0);
        }
    }
    check("the receipts are records 1, 1, 2, 3",
          rs[0].seq == 1 && rs[1].seq == 1 && rs[2].seq == 2 && rs[3].seq == 3);
    ikr_bundle b;
    ikr_err_clear(&e);
    check("the golden bundle opens",
          td_path(path, sizeof path, "bundle") == 0 && ikr_bundle_open(&b, path, &e) == 0);
    check("every golden receipt matches the golden bundle",
          ikr_bundle_check_receipts(&b, rs, 4, res, &e) == 0 && res[0].code == 0 &&
              res[1].code == 0 && res[2].code == 0 && res[3].code == 0);
    check("the bundle holds 3 records", b.size == 3);

    ikr_audit_report rep;
    for (int threads = 1; threads <= 2; threads++) {
        ikr_err_clear(&e);
        int rc = ikr_audit_bundle(path, threads, &rep, &e);
        if (rc)
            say("the golden bundle's audit", &e);
        check("the golden bundle passes the audit", rc == 0 && rep.records == 3 && rep.inks == 3);
    }
    ikr_buf_reset(&f);
    check("roster.pdf is there and a PDF",
          td_read("bundle/roster.pdf", &f) == 0 && f.len > 5 && memcmp(f.p, "%PDF-", 5) == 0);
    ikr_buf_free(&want);
    ikr_buf_free(&cose);
    ikr_buf_free(&f);
}

/* Counts the entries of tests/data/rel (not . and ..). */
static int entries(const char *rel)
{
    char path[2048], cmd[2200];
    if (td_path(path, sizeof path, rel))
        return -1;
    snprintf(cmd, sizeof cmd, "exit $(ls -A -- '%s' | wc -l)", path);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void forged(void)
{
    static const struct {
        const char *file;
        int code;
    } receipts[] = {
        {"sig-flipped.txt", IKR_E_RCPT_SIG},         {"name-changed.txt", IKR_E_RCPT_SIG},
        {"wrong-key.txt", IKR_E_RCPT_KID},           {"wrong-key-same-kid.txt", IKR_E_RCPT_SIG},
        {"truncated-base45.txt", IKR_E_RCPT_BASE45}, {"truncated-zlib.txt", IKR_E_RCPT_ZLIB},
        {"wrong-prefix.txt", IKR_E_RCPT_PREFIX},     {"zlib-bomb.txt", IKR_E_RCPT_ZLIB},
    };
    static const struct {
        const char *dir;
        int code;
        int64_t seq;
    } bundles[] = {
        {"record-byte-changed", IKR_E_AUDIT_SIG, 2},
        {"lines-swapped", IKR_E_BUNDLE_SEQ, 1},
        {"checkpoint-other-key", IKR_E_BUNDLE_CHECKPOINT, 0},
        {"roster-csv-edited", IKR_E_BUNDLE_CSV, 3},
    };
    ikr_vkey vk;
    ikr_buf cose;
    ikr_receipt r;
    ikr_buf_init(&cose);
    check("vectors/verifier.key parses", load_vkey("vectors/verifier.key", &vk) == 0);
    for (size_t i = 0; i < sizeof receipts / sizeof receipts[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "forged/receipts/%s", receipts[i].file);
        int rc = receipt_verdict(rel, &vk, &r, &cose);
        if (rc != receipts[i].code)
            fprintf(stderr, "  %s: code %d, wanted %d\n", rel, rc, receipts[i].code);
        check("a forged receipt is refused with its own error", rc == receipts[i].code);
    }
    check("forged/receipts holds these and nothing else",
          entries("forged/receipts") == (int)(sizeof receipts / sizeof receipts[0]));
    /* The zlib bomb is a real one: its zlib inflates past the limit, many times over. */
    ikr_buf text;
    ikr_buf_init(&text);
    check("the zlib bomb is short enough for a QR code",
          td_line("forged/receipts/zlib-bomb.txt", &text) == 0 && text.len <= IKR_MAX_RECEIPT_TEXT);
    ikr_buf_free(&text);

    for (size_t i = 0; i < sizeof bundles / sizeof bundles[0]; i++) {
        char rel[256], path[2048];
        ikr_audit_report rep;
        ikr_err e;
        ikr_err_clear(&e);
        snprintf(rel, sizeof rel, "forged/bundles/%s", bundles[i].dir);
        int rc = td_path(path, sizeof path, rel) ? -1 : ikr_audit_bundle(path, 1, &rep, &e);
        if (rc != bundles[i].code || e.seq != bundles[i].seq) {
            fprintf(stderr, "  %s: code %d seq %lld, wanted %d seq %lld\n", rel, rc,
                    (long long)e.seq, bundles[i].code, (long long)bundles[i].seq);
            say(rel, &e);
        }
        check("a forged bundle fails the audit with its own error and record",
              rc == bundles[i].code && e.seq == bundles[i].seq);
    }
    check("forged/bundles holds these and nothing else",
          entries("forged/bundles") == (int)(sizeof bundles / sizeof bundles[0]));
    ikr_buf_free(&cose);
}

/* Makes everything again in a temporary folder and compares it with tests/data. */
static void remade(void)
{
    char tmp[] = "/tmp/ikrar-data-XXXXXX", out[128], cmd[5000];
    const char *data = td_dir();
    check("IKRAR_TEST_DATA is set", data != NULL);
    if (!data || !mkdtemp(tmp)) {
        check("a temporary folder", 0);
        return;
    }
    snprintf(out, sizeof out, "%s/out", tmp);
    check("the test data is made again", write_all(out) == 0);
    const char *parts[] = {"bundle", "receipts", "forged"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "diff -r -x roster.pdf -- '%s/%s' '%s/%s' >&2", data, parts[i],
                 out, parts[i]);
        int same = system(cmd) == 0;
        if (!same)
            fprintf(stderr,
                    "  tests/data/%s is not what the code makes now: if that change is meant, "
                    "run scripts/make-test-data.sh and review its diff\n",
                    parts[i]);
        check("the committed test data is what the code makes, byte for byte", same);
    }
    snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", tmp);
    sh(cmd);
}

int main(int argc, char **argv)
{
    /* The golden folder is set up just before T1. */
    setenv(IKR_CLOCK_ENV, "1727689000", 1);
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        int rc = write_all(argv[2]);
        ikr_ticket_release_caches();
        return rc ? 1 : 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: test_data [--write DIR]\n");
        return 2;
    }
    remade();
    golden();
    forged();
    /* roster.pdf's fonts: let go of them, so that the leak check sees only ours. */
    ikr_ticket_release_caches();
    return check_report();
}
