/*
 * test_text_data: the negative corpus of the text rule, tests/data/negative/text/
 * (tests/data/README.md lists each file and the check that must catch it).
 *
 *   test_text_data               makes the files again in a temporary folder and
 *                                checks they equal the committed ones byte for
 *                                byte, then checks each committed file with the
 *                                library: its hostile text is really in it, and
 *                                the check it is named after catches it.
 *   test_text_data --write DIR   writes negative/text/ into DIR (a new folder).
 *
 * The receipts are genuine in every byte but their text: signed with the
 * worked example's key (RFC 8032 test 1, vectors/seed.hex), so `ikrar verify
 * --key vectors/verifier.key` accepts their signature and must then print
 * what they carry (ESC sequences, BEL, a newline and a fake "Kiosk" line,
 * RLO, bytes that are not UTF-8) without any of it reaching the terminal
 * raw.  A text that carries such bytes can no longer be made through `ikrar
 * sign`, which is why they are built here from the core's receipt writer.
 * The roster files are what a spreadsheet may hold: invisible characters,
 * decomposed letters, an escape sequence in a NIP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/buf.h"
#include "ikrar/hash.h"
#include "ikrar/key.h"
#include "ikrar/limits.h"
#include "ikrar/receipt.h"
#include "ikrar/roster.h"
#include "ikrar/text.h"
#include "testdata.h"

/* The worked example's signing time and its record's leaf (vectors/leaf.hex, root-1.hex). */
#define T1 1727690000u
#define LEAF "438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c"

typedef struct forged_receipt {
    const char *file;
    const char *ev, *name, *nip;
} forged_receipt;

static const forged_receipt receipts[] = {
    {"escape_term.name-csi-bel.txt", "contoh", "Siti\x1b[2J\x1b]0;kiosk palsu\x07 Rahmawati", ""},
    {"escape_term.name-newline-fake-kiosk.txt", "contoh",
     "Budi\n  Kiosk      kiosk-1\r\n  Log        cocok", ""},
    {"escape_term.name-rlo.txt", "contoh",
     "\xE2\x80\xAE"
     "otnaS iduB",
     ""},
    {"escape_term.name-invalid-utf8.txt", "contoh", "Budi \xC0\xAF\xFF\xFE", ""},
    {"escape_term.event-nip-c1-del.txt",
     "contoh\xC2\x9B"
     "2J",
     "Siti Rahmawati", "\x7f\x1b[8m2003"},
};

typedef struct roster_file {
    const char *file;
    const char *text;
    uint64_t valid, invalid, invisible, composed;
} roster_file;

static const roster_file rosters[] = {
    /* Two rows lose invisible characters, one is composed: all three then match plain names. */
    {"text_clean.roster-names.csv",
     "NIP,Nama,Unit Kerja,Status\r\n"
     ",Budi\xE2\x80\x8B Santoso,Dinas Kesehatan,NON-ASN\r\n"
     ",Jose\xCC\x81 Ramos,Dinas Kesehatan,NON-ASN\r\n"
     ",\xE2\x80\xAERina\xE2\x80\xAC,Dinas Kesehatan,NON-ASN\r\n",
     3, 0, 2, 1},
    /* A name of invisible characters only is an empty name: refused with its line. */
    {"text_clean.roster-only-invisible.csv",
     "NIP,Nama,Unit Kerja,Status\r\n"
     ",\xE2\x80\x8B\xEF\xBB\xBF\xC2\xAD,Dinas Kesehatan,NON-ASN\r\n"
     ",Rina,Dinas Kesehatan,NON-ASN\r\n",
     1, 1, 0, 0},
    /* An escape sequence in a NIP cell: refused, and the refusal quotes the cell escaped. */
    {"escape_term.roster-nip-esc.csv",
     "NIP,Nama,Unit Kerja,Status\r\n"
     "1985\x1b[2J\x1b[1;1HKiosk,Siti,Dinas Kesehatan,PNS\r\n"
     ",Rina,Dinas Kesehatan,NON-ASN\r\n",
     1, 1, 0, 0},
};

#define NRECEIPTS (sizeof receipts / sizeof receipts[0])
#define NROSTERS (sizeof rosters / sizeof rosters[0])

static int example_key(ikr_key **k)
{
    ikr_buf seed;
    ikr_buf_init(&seed);
    int rc = td_hex("vectors/seed.hex", &seed) || seed.len != 32 || ikr_key_from_seed(k, seed.p);
    ikr_buf_free(&seed);
    return rc ? -1 : 0;
}

/* The receipt text of one forged receipt, with its newline. */
static int make_receipt(ikr_buf *out, const ikr_key *k, const forged_receipt *f)
{
    ikr_receipt r;
    memset(&r, 0, sizeof r);
    r.v = 1;
    r.seq = 1;
    r.t = T1;
    snprintf(r.ev, sizeof r.ev, "%s", f->ev);
    snprintf(r.name, sizeof r.name, "%s", f->name);
    snprintf(r.nip, sizeof r.nip, "%s", f->nip);
    if (ikr_unhex(r.leaf, sizeof r.leaf, LEAF) || ikr_unhex(r.root, sizeof r.root, LEAF))
        return -1;
    ikr_buf_reset(out);
    if (ikr_receipt_make(out, k, &r))
        return -1;
    out->len--; /* the NUL */
    return ikr_buf_adds(out, "\n") ? -1 : 0;
}

/* Writes negative/text/ into out (a new folder). */
static int write_all(const char *out)
{
    char dir[2048], cmd[2200];
    snprintf(dir, sizeof dir, "%s/negative/text", out);
    snprintf(cmd, sizeof cmd, "mkdir -p -- '%s'", dir);
    if (system(cmd) != 0)
        return -1;
    ikr_key *k = NULL;
    if (example_key(&k))
        return -1;
    ikr_buf b;
    ikr_buf_init(&b);
    int rc = 0;
    for (size_t i = 0; i < NRECEIPTS && !rc; i++)
        rc = make_receipt(&b, k, &receipts[i]) || td_put(dir, receipts[i].file, b.p, b.len);
    for (size_t i = 0; i < NROSTERS && !rc; i++)
        rc = td_put(dir, rosters[i].file, rosters[i].text, strlen(rosters[i].text));
    ikr_buf_free(&b);
    ikr_key_free(k);
    return rc;
}

/* 1 when s[0..n) holds a byte a terminal acts on: C0, DEL, or the UTF-8 of C1, RLO... */
static int has_raw_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return 1;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F)
            return 1;
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] >= 0xAA && (unsigned char)s[i + 2] <= 0xAE)
            return 1;
    }
    return !ikr_utf8_valid(s, n);
}

static void check_receipts(void)
{
    ikr_key *k = NULL;
    check("the example's key", example_key(&k) == 0);
    ikr_vkey vk;
    memset(&vk, 0, sizeof vk);
    snprintf(vk.name, sizeof vk.name, "ikrar/contoh/kiosk-1");
    memcpy(vk.pub, ikr_key_public(k), IKR_PUB_LEN);
    ikr_key_kid_of(vk.kid, vk.pub);
    for (size_t i = 0; i < NRECEIPTS; i++) {
        char rel[256];
        ikr_buf text, cose;
        ikr_buf_init(&text);
        ikr_buf_init(&cose);
        snprintf(rel, sizeof rel, "negative/text/%s", receipts[i].file);
        check("a negative receipt is there", td_line(rel, &text) == 0);
        ikr_receipt r;
        ikr_err e;
        ikr_err_clear(&e);
        size_t which = 9;
        int parsed = ikr_receipt_parse(&r, &cose, (const char *)text.p, text.len, &e) == IKR_OK;
        /* A stricter decoder may refuse such text outright; if it takes it, it must be signed
         * and carry the hostile bytes, which the escaper then shows. */
        if (parsed) {
            check("its signature is the example key's",
                  ikr_receipt_check(&cose, &vk, 1, &which, &e) == IKR_OK && which == 0);
            check("it carries the hostile name", strcmp(r.name, receipts[i].name) == 0);
            check("it carries the hostile event", strcmp(r.ev, receipts[i].ev) == 0);
            check("and NIP", strcmp(r.nip, receipts[i].nip) == 0);
            char shown[IKR_TEXT_ESCAPED_MAX(IKR_RECEIPT_NAME)];
            const char *f[3] = {r.name, r.ev, r.nip};
            for (int j = 0; j < 3; j++) {
                ikr_text_escape_term(shown, sizeof shown, f[j], strlen(f[j]));
                check("escape_term: nothing raw is left", !has_raw_control(shown, strlen(shown)));
            }
            check("the raw name would have been caught",
                  has_raw_control(r.name, strlen(r.name)) || has_raw_control(r.ev, strlen(r.ev)));
        }
        ikr_buf_free(&text);
        ikr_buf_free(&cose);
    }
    ikr_key_free(k);
}

static void on_issue(void *ctx, const ikr_roster_issue *i)
{
    char shown[IKR_TEXT_ESCAPED_MAX(sizeof i->was)];
    ikr_text_escape_term(shown, sizeof shown, i->was, strlen(i->was));
    if (has_raw_control(shown, strlen(shown)))
        ++*(int *)ctx;
}

static void check_rosters(void)
{
    for (size_t i = 0; i < NROSTERS; i++) {
        char rel[256];
        ikr_buf b;
        ikr_buf_init(&b);
        snprintf(rel, sizeof rel, "negative/text/%s", rosters[i].file);
        check("a negative roster is there", td_read(rel, &b) == 0);
        int raw = 0;
        ikr_roster_sink k = {NULL, on_issue, &raw};
        ikr_roster_count c;
        ikr_err e;
        ikr_err_clear(&e);
        memset(&c, 0, sizeof c);
        check("the roster parses", ikr_roster_parse(b.p, b.len, T1, &k, &c, &e) == IKR_OK);
        check("text_clean: its rows",
              c.valid == rosters[i].valid && c.invalid == rosters[i].invalid);
        check("text_clean: rows that lost invisible characters",
              c.invisible == rosters[i].invisible);
        check("text_clean: rows composed", c.composed == rosters[i].composed);
        check("escape_term: refusals quote the cell escaped", raw == 0);
        ikr_buf_free(&b);
    }
}

/* Makes the files again and compares them with the committed ones. */
static void made_again(void)
{
    char tmp[] = "/tmp/ikrar-text-data-XXXXXX";
    check("a temporary folder", mkdtemp(tmp) != NULL);
    char out[64], cmd[512];
    snprintf(out, sizeof out, "%s/new", tmp);
    check("the corpus is made again", write_all(out) == 0);
    const char *d = td_dir();
    if (d) {
        snprintf(cmd, sizeof cmd, "diff -r -- '%s/negative/text' '%s/negative/text'", d, out);
        check("negative/text is what the generator writes", system(cmd) == 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", tmp);
    check("the temporary folder is removed", system(cmd) == 0);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_all(argv[2]) == 0 ? 0 : 1;
    if (argc != 1) {
        fprintf(stderr, "usage: test_text_data [--write DIR]\n");
        return 2;
    }
    made_again();
    check_receipts();
    check_rosters();
    return check_report();
}
