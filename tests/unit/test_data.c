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
#include "ikrar/merkle.h"
#include "ikrar/note.h"
#include "ikrar/qr.h"
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
        rc = td_put(dir, IKR_VKEY_FILE, vk.p, vk.len);
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
             td_put(dir, IKR_HEAD_FILE, note.p, note.len);
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
             td_put(out, name, line.p, line.len);
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
    rc = rc || receipt_text(&t, b.p, b.len) || td_put(dir, "sig-flipped.txt", t.p, t.len);

    /* "Siti" made "Sita" inside the signed claims; the signature left as it was. */
    ikr_buf_reset(&b);
    rc = rc || ikr_buf_add(&b, cose.p, cose.len);
    uint8_t *at = rc ? NULL : find(b.p, b.len, "Siti Rahmawati");
    rc = rc || !at;
    if (!rc)
        at[3] = 'a';
    rc = rc || receipt_text(&t, b.p, b.len) || td_put(dir, "name-changed.txt", t.p, t.len);

    /* The same claims signed by another key, which names itself: a key nobody trusts. */
    ikr_buf_reset(&b);
    rc = rc || ikr_cose_sign1(&b, other, claims.p, claims.len) || receipt_text(&t, b.p, b.len) ||
         td_put(dir, "wrong-key.txt", t.p, t.len);

    /* Signed by the other key under the kiosk's kid: the kid finds the kiosk's key, which refuses
     * it. */
    ikr_buf_reset(&b);
    rc = rc || cose_with_kid(&b, other, ikr_key_kid(k), claims.p, claims.len) ||
         receipt_text(&t, b.p, b.len) || td_put(dir, "wrong-key-same-kid.txt", t.p, t.len);

    /* The published text cut to a length no Base45 has (3 characters a group, 2 for the last byte).
     */
    size_t body = text.len - 4, m = body - 1;
    while (m % 3 != 1)
        m--;
    ikr_buf_reset(&t);
    rc = rc || ikr_buf_add(&t, text.p, 4 + m) || ikr_buf_adds(&t, "\n") ||
         td_put(dir, "truncated-base45.txt", t.p, t.len);

    /* Cut by whole Base45 groups: it decodes, but the zlib stream ends early. */
    m = body - (body % 3 ? body % 3 : 3) - 3;
    ikr_buf_reset(&t);
    rc = rc || ikr_buf_add(&t, text.p, 4 + m) || ikr_buf_adds(&t, "\n") ||
         td_put(dir, "truncated-zlib.txt", t.p, t.len);

    /* Another prefix. */
    ikr_buf_reset(&t);
    rc = rc || ikr_buf_adds(&t, "IK2:") || ikr_buf_add(&t, text.p + 4, body) ||
         ikr_buf_adds(&t, "\n") || td_put(dir, "wrong-prefix.txt", t.p, t.len);

    /* The receipt followed by zeros to 1 MiB: about a kilobyte of zlib that would inflate to 1 MiB.
     */
    ikr_buf_reset(&b);
    rc = rc || ikr_buf_reserve(&b, BOMB_SIZE) || ikr_buf_add(&b, cose.p, cose.len);
    if (!rc) {
        memset(b.p + b.len, 0, BOMB_SIZE - b.len);
        b.len = BOMB_SIZE;
    }
    rc = rc || receipt_text(&t, b.p, b.len) || td_put(dir, "zlib-bomb.txt", t.p, t.len);
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
            rc = td_put(dir, "records.jsonl", f.p, f.len);
        }
    }

    /* Lines 1 and 2 of records.jsonl swapped. */
    rc = rc || forged_copy(dir, sizeof dir, out, "lines-swapped") || get(dir, "records.jsonl", &f);
    long a = rc ? -1 : line_at(&f, 2), c = rc ? -1 : line_at(&f, 3);
    rc = rc || a < 0 || c < 0;
    ikr_buf_reset(&g);
    rc = rc || ikr_buf_add(&g, f.p + a, (size_t)(c - a)) || ikr_buf_add(&g, f.p, (size_t)a) ||
         ikr_buf_add(&g, f.p + c, f.len - (size_t)c) || td_put(dir, "records.jsonl", g.p, g.len);

    /* The checkpoint's very text signed by another key under the kiosk's name. */
    rc = rc || forged_copy(dir, sizeof dir, out, "checkpoint-other-key") ||
         get(dir, "checkpoint", &f);
    const uint8_t *blank = rc ? NULL : find(f.p, f.len, "\n\n");
    rc = rc || !blank;
    ikr_buf_reset(&g);
    rc = rc ||
         ikr_note_sign(&g, (const char *)f.p, (size_t)(blank - f.p) + 1, "ikrar/contoh/kiosk-1",
                       other) ||
         td_put(dir, "checkpoint", g.p, g.len);

    /* One letter of a name in roster.csv (record 3's row): what a spreadsheet edit does. */
    rc = rc || forged_copy(dir, sizeof dir, out, "roster-csv-edited") || get(dir, "roster.csv", &f);
    uint8_t *budi = rc ? NULL : find(f.p, f.len, "Budi Santoso");
    rc = rc || !budi;
    if (!rc) {
        budi[3] = 'y';
        rc = td_put(dir, "roster.csv", f.p, f.len);
    }
    ikr_buf_free(&f);
    ikr_buf_free(&g);
    return rc;
}

/* ---- the negative corpus: signed by the kiosk's own key, only the encoding wrong ---- */

/*
 * Each file of negative/encoding/ is a receipt, or a bundle whose record 1
 * or checkpoint, that ikrar would never write, yet properly signed by the
 * worked example's key: so what refuses it can only be the strict decoding,
 * never the signature.  Claims are changed as (key, value) entries of the
 * worked example's own claims map; the COSE_Sign1 around them is built here
 * byte by byte and signed over the Sig_structure a verifier rebuilds.
 */

#define NEG_MAX_ENT 16

typedef struct ent {
    uint8_t k[32];
    size_t kn;
    uint8_t v[160];
    size_t vn;
} ent;

/* The entries of a claims map, in its order. */
static int split_map(const ikr_buf *m, ent *e, size_t *n)
{
    ikr_cbor_rd r;
    uint64_t count;
    ikr_cbor_rd_init(&r, m->p, m->len);
    if (ikr_cbor_read_map(&r, &count) || count > NEG_MAX_ENT)
        return -1;
    for (uint64_t i = 0; i < count; i++) {
        size_t a = r.off, b, c;
        if (ikr_cbor_skip(&r))
            return -1;
        b = r.off;
        if (ikr_cbor_skip(&r))
            return -1;
        c = r.off;
        if (b - a > sizeof e[i].k || c - b > sizeof e[i].v)
            return -1;
        memcpy(e[i].k, m->p + a, b - a);
        e[i].kn = b - a;
        memcpy(e[i].v, m->p + b, c - b);
        e[i].vn = c - b;
    }
    *n = (size_t)count;
    return 0;
}

static int join_map(ikr_buf *out, const ent *e, size_t n)
{
    ikr_buf_reset(out);
    int rc = ikr_cbor_head(out, IKR_CBOR_MAP, n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = ikr_buf_add(out, e[i].k, e[i].kn) || ikr_buf_add(out, e[i].v, e[i].vn);
    return rc;
}

static ent *ent_of(ent *e, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (e[i].kn == 1 + strlen(key) && memcmp(e[i].k + 1, key, strlen(key)) == 0)
            return &e[i];
    return NULL;
}

/* Sets x's value to the CBOR in b. */
static int ent_set(ent *x, const ikr_buf *b)
{
    if (!x || b->len > sizeof x->v)
        return -1;
    memcpy(x->v, b->p, b->len);
    x->vn = b->len;
    return 0;
}

static int ent_text(ent *x, const char *s, size_t n)
{
    ikr_buf b;
    ikr_buf_init(&b);
    int rc = ikr_cbor_tstr(&b, s, n) || ent_set(x, &b);
    ikr_buf_free(&b);
    return rc;
}

/* Adds the entry key: raw value (CBOR bytes) where the deterministic order puts it. */
static int ent_add(ent *e, size_t *n, const char *key, const void *v, size_t vn)
{
    ikr_buf b;
    ikr_buf_init(&b);
    if (*n >= NEG_MAX_ENT || ikr_cbor_text(&b, key) || b.len > sizeof e[0].k ||
        vn > sizeof e[0].v) {
        ikr_buf_free(&b);
        return -1;
    }
    size_t at = 0;
    while (at < *n) {
        size_t m = b.len < e[at].kn ? b.len : e[at].kn;
        int c = memcmp(e[at].k, b.p, m);
        if (c > 0 || (c == 0 && e[at].kn > b.len))
            break;
        at++;
    }
    memmove(&e[at + 1], &e[at], (*n - at) * sizeof *e);
    memcpy(e[at].k, b.p, b.len);
    e[at].kn = b.len;
    memcpy(e[at].v, v, vn);
    e[at].vn = vn;
    (*n)++;
    ikr_buf_free(&b);
    return 0;
}

/* What is wrong with the claims. */
enum claims_fault {
    CF_NONE,
    CF_KEY_ORDER,    /* the first two keys swapped */
    CF_LONG_INT,     /* seq 1 written in two bytes, 18 01 */
    CF_DUP_KEY,      /* name given twice, the same value */
    CF_INDEFINITE,   /* name as an indefinite-length text string */
    CF_FLOAT,        /* an unknown key "x" whose value is the half float 1.0 */
    CF_UNKNOWN_KEY,  /* an unknown key "zz": 1, in its place: must be accepted */
    CF_V2,           /* v: 2 */
    CF_NAME_CONTROL, /* the name holds ESC [2J, a terminal's "clear screen" */
    CF_NAME_UTF8,    /* the name ends in c3 28, not UTF-8 */
    CF_NAME_LONG,    /* the name one byte over the writer's limit */
    CF_NIP_LETTERS,  /* the NIP made of letters */
    CF_T_MAX,        /* t = 2^64-1 */
    CF_STATUS,       /* status "pns" */
    CF_NIP_NON_ASN   /* status NON-ASN with the NIP kept */
};

/* The claims map canon with fault f; receipt says whose claims (their limits differ). */
static int claims_with(ikr_buf *out, const ikr_buf *canon, int f, int receipt)
{
    ent e[NEG_MAX_ENT];
    size_t n;
    char s[256];
    if (split_map(canon, e, &n))
        return -1;
    ent *name = ent_of(e, n, "name");
    int rc = !name;
    switch (f) {
    case CF_KEY_ORDER: {
        ent t = e[0];
        e[0] = e[1];
        e[1] = t;
        break;
    }
    case CF_LONG_INT: {
        ent *seq = ent_of(e, n, "seq");
        rc = rc || !seq || seq->vn != 1 || n >= NEG_MAX_ENT;
        if (!rc) {
            seq->v[1] = seq->v[0];
            seq->v[0] = 0x18;
            seq->vn = 2;
        }
        break;
    }
    case CF_DUP_KEY:
        rc = rc || n >= NEG_MAX_ENT;
        if (!rc) {
            size_t at = (size_t)(name - e);
            memmove(&e[at + 1], &e[at], (n - at) * sizeof *e);
            n++;
        }
        break;
    case CF_INDEFINITE:
        rc = rc || name->vn + 2 > sizeof name->v;
        if (!rc) {
            memmove(name->v + 1, name->v, name->vn);
            name->v[0] = 0x7f;
            name->v[name->vn + 1] = 0xff;
            name->vn += 2;
        }
        break;
    case CF_FLOAT:
        rc = rc || ent_add(e, &n, "x", "\xf9\x3c\x00", 3);
        break;
    case CF_UNKNOWN_KEY:
        rc = rc || ent_add(e, &n, "zz", "\x01", 1);
        break;
    case CF_V2:
        rc = rc || !ent_of(e, n, "v");
        if (!rc)
            ent_of(e, n, "v")->v[0] = 0x02;
        break;
    case CF_NAME_CONTROL:
        rc = rc || ent_text(name, "Siti \x1b[2JRahmawati", strlen("Siti \x1b[2JRahmawati"));
        break;
    case CF_NAME_UTF8:
        rc = rc || ent_text(name, "Siti Rahmawati\xc3\x28", strlen("Siti Rahmawati\xc3\x28"));
        break;
    case CF_NAME_LONG: {
        size_t len = (receipt ? IKR_RECEIPT_NAME : IKR_MAX_NAME) + 1;
        memset(s, 'A', len);
        rc = rc || ent_text(name, s, len);
        break;
    }
    case CF_NIP_LETTERS:
        rc = rc || ent_text(ent_of(e, n, "nip"),
                            receipt ? "**************ABCD" : "ABCDEFGHIJKLMNOPQR", 18);
        break;
    case CF_T_MAX:
        rc = rc || !ent_of(e, n, "t");
        if (!rc) {
            ent *t = ent_of(e, n, "t");
            t->v[0] = 0x1b;
            memset(t->v + 1, 0xff, 8);
            t->vn = 9;
        }
        break;
    case CF_STATUS:
        rc = rc || ent_text(ent_of(e, n, "status"), "pns", 3);
        break;
    case CF_NIP_NON_ASN:
        rc = rc || ent_text(ent_of(e, n, "status"), "NON-ASN", 7);
        break;
    default:
        break;
    }
    return rc || join_map(out, e, n);
}

/* What is wrong with the COSE_Sign1 around the claims. */
enum envelope_fault {
    EF_NONE,
    EF_TAG_LONG,     /* tag 18 written d8 12 */
    EF_PAYLOAD_LONG, /* the payload's length in two bytes, 59 00 nn */
    EF_UNPROTECTED,  /* the unprotected header {4: kid}, not {} */
    EF_PROT_ORDER    /* the protected header {4: kid, 1: -8}: keys out of order */
};

/* A COSE_Sign1 of payload with fault f, signed by k over the Sig_structure of what it holds. */
static int cose_with(ikr_buf *out, const ikr_key *k, int f, const ikr_buf *payload)
{
    ikr_buf prot, tbs;
    uint8_t sig[IKR_SIG_LEN];
    const uint8_t *kid = ikr_key_kid(k);
    ikr_buf_init(&prot);
    ikr_buf_init(&tbs);
    ikr_buf_reset(out);
    int rc = ikr_cbor_head(&prot, IKR_CBOR_MAP, 2);
    if (f == EF_PROT_ORDER)
        rc = rc || ikr_cbor_uint(&prot, 4) || ikr_cbor_bstr(&prot, kid, 8) ||
             ikr_cbor_uint(&prot, 1) || ikr_cbor_int(&prot, -8);
    else
        rc = rc || ikr_cbor_uint(&prot, 1) || ikr_cbor_int(&prot, -8) || ikr_cbor_uint(&prot, 4) ||
             ikr_cbor_bstr(&prot, kid, 8);
    rc = rc || ikr_cbor_head(&tbs, IKR_CBOR_ARRAY, 4) || ikr_cbor_text(&tbs, "Signature1") ||
         ikr_cbor_bstr(&tbs, prot.p, prot.len) || ikr_cbor_bstr(&tbs, "", 0) ||
         ikr_cbor_bstr(&tbs, payload->p, payload->len) || ikr_key_sign(k, sig, tbs.p, tbs.len);
    if (f == EF_TAG_LONG)
        rc = rc || ikr_buf_add(out, "\xd8\x12", 2);
    else
        rc = rc || ikr_cbor_head(out, IKR_CBOR_TAG, 18);
    rc = rc || ikr_cbor_head(out, IKR_CBOR_ARRAY, 4) || ikr_cbor_bstr(out, prot.p, prot.len);
    if (f == EF_UNPROTECTED)
        rc = rc || ikr_cbor_head(out, IKR_CBOR_MAP, 1) || ikr_cbor_uint(out, 4) ||
             ikr_cbor_bstr(out, kid, 8);
    else
        rc = rc || ikr_cbor_head(out, IKR_CBOR_MAP, 0);
    if (f == EF_PAYLOAD_LONG) {
        uint8_t h[3] = {0x59, (uint8_t)(payload->len >> 8), (uint8_t)payload->len};
        rc = rc || payload->len > 0xffff || ikr_buf_add(out, h, 3) ||
             ikr_buf_add(out, payload->p, payload->len);
    } else {
        rc = rc || ikr_cbor_bstr(out, payload->p, payload->len);
    }
    rc = rc || ikr_cbor_bstr(out, sig, sizeof sig);
    ikr_buf_free(&prot);
    ikr_buf_free(&tbs);
    return rc;
}

/* One negative file: its name, the faults that make it, and what the library must say. */
typedef struct neg {
    const char *file;
    int claims, envelope;
    int code;        /* the error; 0: must be accepted */
    const char *why; /* the detail the error carries */
} neg;

static const neg neg_receipts[] = {
    {"tag-not-one-byte.txt", CF_NONE, EF_TAG_LONG, IKR_E_RCPT_ENCODING,
     "COSE_Sign1: non-shortest head"},
    {"payload-length-two-bytes.txt", CF_NONE, EF_PAYLOAD_LONG, IKR_E_RCPT_ENCODING,
     "COSE_Sign1: non-shortest head"},
    {"unprotected-header-not-empty.txt", CF_NONE, EF_UNPROTECTED, IKR_E_RCPT_ENCODING,
     "unprotected header: not the empty map"},
    {"protected-header-keys-out-of-order.txt", CF_NONE, EF_PROT_ORDER, IKR_E_RCPT_ENCODING,
     "protected header: map keys out of order"},
    {"claims-keys-out-of-order.txt", CF_KEY_ORDER, EF_NONE, IKR_E_RCPT_ENCODING,
     "claims: map keys out of order"},
    {"claims-non-shortest-int.txt", CF_LONG_INT, EF_NONE, IKR_E_RCPT_ENCODING,
     "claims: non-shortest head"},
    {"claims-duplicate-key.txt", CF_DUP_KEY, EF_NONE, IKR_E_RCPT_ENCODING,
     "claims: duplicate map key"},
    {"claims-indefinite-length.txt", CF_INDEFINITE, EF_NONE, IKR_E_RCPT_ENCODING,
     "claims: indefinite length"},
    {"claims-float.txt", CF_FLOAT, EF_NONE, IKR_E_RCPT_ENCODING, "claims: float or simple value"},
    {"claims-invalid-utf8.txt", CF_NAME_UTF8, EF_NONE, IKR_E_RCPT_ENCODING,
     "claims: invalid UTF-8"},
    {"v-2.txt", CF_V2, EF_NONE, IKR_E_RCPT_LIMIT, "v: a version other than 1"},
    {"name-control-character.txt", CF_NAME_CONTROL, EF_NONE, IKR_E_RCPT_LIMIT,
     "name: control character or invalid UTF-8"},
    {"name-too-long.txt", CF_NAME_LONG, EF_NONE, IKR_E_RCPT_LIMIT,
     "name: longer than the writer allows"},
    {"nip-letters.txt", CF_NIP_LETTERS, EF_NONE, IKR_E_RCPT_LIMIT, "nip: not 14 '*' and 4 digits"},
    {"t-max-uint64.txt", CF_T_MAX, EF_NONE, IKR_E_RCPT_LIMIT, "t: after 9999-12-31 23:59:59 UTC"},
    {"accepted-unknown-key.txt", CF_UNKNOWN_KEY, EF_NONE, 0, ""},
};

static const neg neg_records[] = {
    {"record-tag-not-one-byte", CF_NONE, EF_TAG_LONG, IKR_E_AUDIT_ENCODING,
     "COSE_Sign1: non-shortest head"},
    {"record-payload-length-two-bytes", CF_NONE, EF_PAYLOAD_LONG, IKR_E_AUDIT_ENCODING,
     "COSE_Sign1: non-shortest head"},
    {"record-unprotected-header-not-empty", CF_NONE, EF_UNPROTECTED, IKR_E_AUDIT_ENCODING,
     "unprotected header: not the empty map"},
    {"record-protected-header-keys-out-of-order", CF_NONE, EF_PROT_ORDER, IKR_E_AUDIT_ENCODING,
     "protected header: map keys out of order"},
    {"record-claims-keys-out-of-order", CF_KEY_ORDER, EF_NONE, IKR_E_AUDIT_ENCODING,
     "claims: map keys out of order"},
    {"record-claims-non-shortest-int", CF_LONG_INT, EF_NONE, IKR_E_AUDIT_ENCODING,
     "claims: non-shortest head"},
    {"record-claims-duplicate-key", CF_DUP_KEY, EF_NONE, IKR_E_AUDIT_ENCODING,
     "claims: duplicate map key"},
    {"record-claims-invalid-utf8", CF_NAME_UTF8, EF_NONE, IKR_E_AUDIT_ENCODING,
     "claims: invalid UTF-8"},
    {"record-v-2", CF_V2, EF_NONE, IKR_E_AUDIT_LIMIT, "v: a version other than 1"},
    {"record-name-control-character", CF_NAME_CONTROL, EF_NONE, IKR_E_AUDIT_LIMIT,
     "name: control character or invalid UTF-8"},
    {"record-name-too-long", CF_NAME_LONG, EF_NONE, IKR_E_AUDIT_LIMIT,
     "name: longer than the writer allows"},
    {"record-nip-letters", CF_NIP_LETTERS, EF_NONE, IKR_E_AUDIT_LIMIT, "nip: not 18 digits"},
    {"record-t-max-uint64", CF_T_MAX, EF_NONE, IKR_E_AUDIT_LIMIT,
     "t: after 9999-12-31 23:59:59 UTC"},
    {"record-status-lowercase", CF_STATUS, EF_NONE, IKR_E_AUDIT_LIMIT,
     "status: not PNS, PPPK or NON-ASN"},
    {"record-nip-for-non-asn", CF_NIP_NON_ASN, EF_NONE, IKR_E_AUDIT_LIMIT,
     "nip: present for NON-ASN"},
};

/* What is wrong with a bundle's checkpoint. */
enum checkpoint_fault { CP_NONE, CP_EXTENSION, CP_LEADING_ZERO, CP_TWO_SIGNATURES };

static const struct {
    const char *dir;
    int fault;
    const char *why;
} neg_checkpoints[] = {
    {"checkpoint-extension-line", CP_EXTENSION, "extension line after the root"},
    {"checkpoint-size-leading-zero", CP_LEADING_ZERO, "size with a leading zero"},
    {"checkpoint-two-signatures", CP_TWO_SIGNATURES, "more than one signature line"},
};

#define NEG_ORIGIN "ikrar/contoh/kiosk-1"

/*
 * Copies the golden bundle to negative/encoding/bundles/name (without
 * roster.pdf), with record 1's COSE_Sign1 replaced by rec1 (when not NULL),
 * and a checkpoint over its records with fault cpf, signed by k.
 */
static int neg_bundle(const char *out, const char *name, const ikr_key *k, const ikr_key *other,
                      const ikr_buf *rec1, int cpf)
{
    char dir[2048], cmd[5000];
    ikr_buf f, g, body, note;
    ikr_merkle_edge edge;
    ikr_bundle_rec r;
    ikr_err e;
    uint8_t leaf[IKR_HASH_LEN], root[IKR_HASH_LEN];
    ikr_buf_init(&f);
    ikr_buf_init(&g);
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    ikr_bundle_rec_init(&r);
    ikr_merkle_edge_init(&edge);
    snprintf(dir, sizeof dir, "%s/negative/encoding/bundles/%s", out, name);
    snprintf(cmd, sizeof cmd,
             "mkdir -p -- '%s/negative/encoding/bundles' && cp -r -- '%s/bundle' '%s' && rm -- "
             "'%s/roster.pdf'",
             out, out, dir, dir);
    int rc = sh(cmd) || get(dir, "records.jsonl", &f);
    if (!rc && rec1) {
        /* Line 1's "cose" value, replaced. */
        const char *c64 = strstr((const char *)f.p, "\"cose\":\"");
        rc = !c64;
        if (!rc) {
            size_t at = (size_t)(c64 + 8 - (const char *)f.p), len = strcspn(c64 + 8, "\"");
            char *b64 = malloc(IKR_BASE64_LEN(rec1->len) + 1);
            rc = !b64;
            if (!rc) {
                ikr_base64_encode(b64, rec1->p, rec1->len);
                rc = ikr_buf_add(&g, f.p, at) || ikr_buf_adds(&g, b64) ||
                     ikr_buf_add(&g, f.p + at + len, f.len - at - len) ||
                     td_put(dir, "records.jsonl", g.p, g.len);
            }
            free(b64);
            ikr_buf_reset(&f);
            rc = rc || ikr_buf_add(&f, g.p, g.len);
        }
    }
    /* The root over the records as they now are. */
    for (size_t i = 0; !rc && i < f.len;) {
        const uint8_t *nl = memchr(f.p + i, '\n', f.len - i);
        size_t len = nl ? (size_t)(nl - f.p) - i : f.len - i;
        ikr_err_clear(&e);
        rc = ikr_bundle_parse_line(&r, (const char *)f.p + i, len, &e);
        if (!rc) {
            ikr_merkle_leaf(leaf, r.cose.p, r.cose.len);
            ikr_merkle_edge_push(&edge, leaf, NULL, NULL);
        }
        i += len + 1;
    }
    rc = rc || edge.size != 3;
    if (!rc)
        ikr_merkle_edge_root(&edge, root);
    if (!rc && cpf == CP_LEADING_ZERO) {
        char b64[IKR_BASE64_LEN(IKR_HASH_LEN) + 1];
        ikr_base64_encode(b64, root, IKR_HASH_LEN);
        rc = ikr_buf_adds(&body, NEG_ORIGIN "\n03\n") || ikr_buf_adds(&body, b64) ||
             ikr_buf_adds(&body, "\n");
    } else {
        rc = rc || ikr_checkpoint_body(&body, NEG_ORIGIN, 3, root);
    }
    if (cpf == CP_EXTENSION)
        rc = rc || ikr_buf_adds(&body, "extension: read by nobody\n");
    rc = rc || ikr_note_sign(&note, (const char *)body.p, body.len, NEG_ORIGIN, k);
    if (!rc && cpf == CP_TWO_SIGNATURES) {
        /* A second signature line, a witness's: C2SP allows it, ikrar never writes one. */
        ikr_buf w;
        ikr_buf_init(&w);
        rc = ikr_note_sign(&w, (const char *)body.p, body.len, "witness.example/w1", other) ||
             ikr_buf_add(&note, w.p + body.len + 1, w.len - body.len - 1);
        ikr_buf_free(&w);
    }
    rc = rc || td_put(dir, "checkpoint", note.p, note.len);
    ikr_buf_free(&f);
    ikr_buf_free(&g);
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    ikr_bundle_rec_free(&r);
    return rc;
}

static int make_negative(const char *out, const ikr_key *k, const ikr_key *other)
{
    char dir[2048];
    ikr_buf rclaims, dclaims, claims, cose, t;
    ikr_buf_init(&rclaims);
    ikr_buf_init(&dclaims);
    ikr_buf_init(&claims);
    ikr_buf_init(&cose);
    ikr_buf_init(&t);
    snprintf(dir, sizeof dir, "%s/negative/encoding/receipts", out);
    int rc = td_hex("vectors/receipt-claims.cbor.hex", &rclaims) ||
             td_hex("vectors/record-claims.cbor.hex", &dclaims) || mkdir_p(dir);
    for (size_t i = 0; !rc && i < sizeof neg_receipts / sizeof neg_receipts[0]; i++) {
        const neg *x = &neg_receipts[i];
        rc = claims_with(&claims, &rclaims, x->claims, 1) ||
             cose_with(&cose, k, x->envelope, &claims) || receipt_text(&t, cose.p, cose.len) ||
             td_put(dir, x->file, t.p, t.len);
    }
    /* Two of them as QR pictures, for the kiosk's verify station (a camera's frames). */
    static const char *const qr[] = {"claims-keys-out-of-order", "name-control-character"};
    snprintf(dir, sizeof dir, "%s/negative/qr", out);
    rc = rc || mkdir_p(dir);
    for (size_t i = 0; !rc && i < sizeof qr / sizeof qr[0]; i++) {
        char src[2300], png[2300];
        ikr_qr q;
        ikr_err e;
        ikr_err_clear(&e);
        memset(&q, 0, sizeof q);
        snprintf(src, sizeof src, "%s/negative/encoding/receipts", out);
        snprintf(png, sizeof png, "%s/%s.png", dir, qr[i]);
        char name[128];
        snprintf(name, sizeof name, "%s.txt", qr[i]);
        rc = get(src, name, &t) || (t.len && (t.p[--t.len] = '\0', 0)) ||
             ikr_qr_encode(&q, (const char *)t.p, &e) || ikr_qr_write_png(&q, png, 4, &e);
        if (rc)
            say(png, &e);
        ikr_qr_free(&q);
    }
    for (size_t i = 0; !rc && i < sizeof neg_records / sizeof neg_records[0]; i++) {
        const neg *x = &neg_records[i];
        rc = claims_with(&claims, &dclaims, x->claims, 0) ||
             cose_with(&cose, k, x->envelope, &claims) ||
             neg_bundle(out, x->file, k, other, &cose, CP_NONE);
    }
    for (size_t i = 0; !rc && i < sizeof neg_checkpoints / sizeof neg_checkpoints[0]; i++)
        rc = neg_bundle(out, neg_checkpoints[i].dir, k, other, NULL, neg_checkpoints[i].fault);
    if (rc)
        fprintf(stderr, "  the negative corpus could not be made\n");
    ikr_buf_free(&rclaims);
    ikr_buf_free(&dclaims);
    ikr_buf_free(&claims);
    ikr_buf_free(&cose);
    ikr_buf_free(&t);
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
         make_forged_bundles(out, other) || make_negative(out, k, other);
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

/*
 * 1 when the receipt text's COSE_Sign1, read leniently (any head length, any
 * unprotected header), carries k's good signature over what it holds: so a
 * refusal of it is the strict decoding's, not the signature's.
 */
static int cose_signature_good(const uint8_t *z, size_t zn, const ikr_vkey *k)
{
    uint8_t sig[IKR_SIG_LEN];
    ikr_cbor_rd r;
    uint64_t v;
    const uint8_t *prot = NULL, *payload = NULL, *s = NULL;
    size_t pn = 0, yn = 0, sn = 0;
    ikr_buf tbs;
    ikr_key *key = NULL;
    ikr_buf_init(&tbs);
    ikr_cbor_rd_init(&r, z, zn);
    int ok = !ikr_cbor_read_tag(&r, &v) && v == 18 && !ikr_cbor_read_array(&r, &v) && v == 4 &&
             !ikr_cbor_read_bstr(&r, &prot, &pn) && !ikr_cbor_skip(&r) &&
             !ikr_cbor_read_bstr(&r, &payload, &yn) && !ikr_cbor_read_bstr(&r, &s, &sn) &&
             sn == IKR_SIG_LEN;
    if (ok) {
        memcpy(sig, s, sizeof sig);
        ok = !ikr_cbor_head(&tbs, IKR_CBOR_ARRAY, 4) && !ikr_cbor_text(&tbs, "Signature1") &&
             !ikr_cbor_bstr(&tbs, prot, pn) && !ikr_cbor_bstr(&tbs, "", 0) &&
             !ikr_cbor_bstr(&tbs, payload, yn) && !ikr_key_from_public(&key, k->pub) &&
             ikr_key_verify(key, sig, tbs.p, tbs.len) == 0;
    }
    ikr_key_free(key);
    ikr_buf_free(&tbs);
    return ok;
}

/* The same for a receipt's text: Base45, then zlib. */
static int signature_good(const char *text, size_t n, const ikr_vkey *k)
{
    uint8_t raw[IKR_MAX_RECEIPT_TEXT];
    uLongf zn = IKR_MAX_INFLATE;
    uint8_t *z = malloc(zn);
    long got = n > 4 ? ikr_base45_decode(raw, sizeof raw, text + 4, n - 4) : -1;
    int ok = z && got > 0 && uncompress(z, &zn, raw, (uLong)got) == Z_OK &&
             cose_signature_good(z, zn, k);
    free(z);
    return ok;
}

/* The negative corpus: each file refused with its own error and check, the accepted one taken. */
static void negative(void)
{
    ikr_vkey vk;
    ikr_buf cose, text;
    ikr_receipt r;
    ikr_buf_init(&cose);
    ikr_buf_init(&text);
    check("vectors/verifier.key parses", load_vkey("vectors/verifier.key", &vk) == 0);
    for (size_t i = 0; i < sizeof neg_receipts / sizeof neg_receipts[0]; i++) {
        const neg *x = &neg_receipts[i];
        char rel[256];
        ikr_err e;
        ikr_err_clear(&e);
        snprintf(rel, sizeof rel, "negative/encoding/receipts/%s", x->file);
        int rc = td_line(rel, &text)
                     ? -1
                     : ikr_receipt_parse(&r, &cose, (const char *)text.p, text.len, &e);
        /* Only the encoding is wrong: the signature itself is the kiosk's. */
        check("a negative receipt carries the kiosk's good signature",
              !td_line(rel, &text) && signature_good((const char *)text.p, text.len, &vk));
        if (!rc)
            rc = ikr_receipt_check(&cose, &vk, 1, NULL, &e);
        if (rc != x->code || strcmp(e.detail, x->why) != 0) {
            fprintf(stderr, "  %s: code %d (%s), wanted %d (%s)\n", rel, rc, e.detail, x->code,
                    x->why);
        }
        check("a non-canonical receipt is refused with its own error and check",
              rc == x->code && strcmp(e.detail, x->why) == 0);
    }
    check("negative/encoding/receipts holds these and nothing else",
          entries("negative/encoding/receipts") ==
              (int)(sizeof neg_receipts / sizeof neg_receipts[0]));

    for (size_t i = 0; i < sizeof neg_records / sizeof neg_records[0]; i++) {
        const neg *x = &neg_records[i];
        char rel[256], path[2048];
        ikr_audit_report rep;
        ikr_err e;
        ikr_err_clear(&e);
        snprintf(rel, sizeof rel, "negative/encoding/bundles/%s", x->file);
        int rc = td_path(path, sizeof path, rel) ? -1 : ikr_audit_bundle(path, 2, &rep, &e);
        /* Record 1's COSE_Sign1 carries the kiosk's good signature: only its encoding is wrong. */
        char jl[300];
        ikr_bundle_rec rec;
        ikr_err le;
        ikr_bundle_rec_init(&rec);
        ikr_err_clear(&le);
        snprintf(jl, sizeof jl, "%s/records.jsonl", rel);
        long nl = td_read(jl, &text) ? -1 : (long)strcspn((const char *)text.p, "\n");
        check("a negative record carries the kiosk's good signature",
              nl > 0 && ikr_bundle_parse_line(&rec, (const char *)text.p, (size_t)nl, &le) == 0 &&
                  cose_signature_good(rec.cose.p, rec.cose.len, &vk));
        ikr_bundle_rec_free(&rec);
        if (rc != x->code || e.seq != 1 || strcmp(e.detail, x->why) != 0)
            fprintf(stderr, "  %s: code %d seq %lld (%s), wanted %d seq 1 (%s)\n", rel, rc,
                    (long long)e.seq, e.detail, x->code, x->why);
        check("a bundle with a non-canonical record 1 fails the audit naming record and check",
              rc == x->code && e.seq == 1 && strcmp(e.detail, x->why) == 0);
    }
    for (size_t i = 0; i < sizeof neg_checkpoints / sizeof neg_checkpoints[0]; i++) {
        char rel[256], path[2048], want[200];
        ikr_audit_report rep;
        ikr_err e;
        ikr_err_clear(&e);
        snprintf(rel, sizeof rel, "negative/encoding/bundles/%s", neg_checkpoints[i].dir);
        snprintf(want, sizeof want, "it is not a checkpoint as ikrar writes one (%s)",
                 neg_checkpoints[i].why);
        int rc = td_path(path, sizeof path, rel) ? -1 : ikr_audit_bundle(path, 1, &rep, &e);
        if (rc != IKR_E_BUNDLE_CHECKPOINT || strcmp(e.detail, want) != 0)
            fprintf(stderr, "  %s: code %d (%s), wanted %d (%s)\n", rel, rc, e.detail,
                    IKR_E_BUNDLE_CHECKPOINT, want);
        check("a bundle with a non-canonical checkpoint fails the audit naming the check",
              rc == IKR_E_BUNDLE_CHECKPOINT && strcmp(e.detail, want) == 0);
    }
    check("negative/encoding/bundles holds these and nothing else",
          entries("negative/encoding/bundles") ==
              (int)(sizeof neg_records / sizeof neg_records[0] +
                    sizeof neg_checkpoints / sizeof neg_checkpoints[0]));
    ikr_buf_free(&cose);
    ikr_buf_free(&text);
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
    const char *parts[] = {"bundle", "receipts", "forged", "negative/encoding", "negative/qr"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        /* PNG bytes are libpng's and zlib's (the kiosk test checks what they show). */
        snprintf(cmd, sizeof cmd, "diff -r -x roster.pdf -x '*.png' -- '%s/%s' '%s/%s' >&2", data,
                 parts[i], out, parts[i]);
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
    negative();
    /* roster.pdf's fonts: let go of them, so that the leak check sees only ours. */
    ikr_ticket_release_caches();
    return check_report();
}
