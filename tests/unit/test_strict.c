/*
 * test_strict: the strict decoders of issue 11.  Each case is bytes ikrar
 * would never write that a lenient reader took (and what it must still
 * take): the deterministic-CBOR check at each head size's boundary, the
 * claims' limits (invisible characters and non-NFC text stay accepted:
 * kiosks before this change could write them honestly), checkpoints opened
 * strictly, and an empty records.jsonl line, whose buffer is NULL (run under
 * UBSan by the sanitizer build: memchr or memcmp on NULL is undefined even
 * for 0 bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "ikrar/base64.h"
#include "ikrar/bundle.h"
#include "ikrar/cbor.h"
#include "ikrar/cose.h"
#include "ikrar/key.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/record.h"
#include "testdata.h"

/* ikr_cbor_canonical of the hex string: 0, IKR_DEC_MALFORMED or IKR_DEC_ENCODING; why in *why. */
static int canon(const char *hex, const char **why)
{
    uint8_t b[256];
    size_t n = strlen(hex) / 2;
    if (n > sizeof b || ikr_unhex(b, n, hex) != 0)
        return 99;
    return ikr_cbor_canonical(b, n, why);
}

static void cbor_canonical(void)
{
    static const struct {
        const char *hex;
        int want;
        const char *why;
    } cases[] = {
        {"17", 0, NULL},
        {"1817", IKR_DEC_ENCODING, "non-shortest head"},
        {"1818", 0, NULL},
        {"1900ff", IKR_DEC_ENCODING, "non-shortest head"},
        {"190100", 0, NULL},
        {"1a0000ffff", IKR_DEC_ENCODING, "non-shortest head"},
        {"1a00010000", 0, NULL},
        {"1b00000000ffffffff", IKR_DEC_ENCODING, "non-shortest head"},
        {"1b0000000100000000", 0, NULL},
        {"3817", IKR_DEC_ENCODING, "non-shortest head"}, /* -24 in two bytes */
        {"5800", IKR_DEC_ENCODING, "non-shortest head"}, /* an empty byte string */
        {"d812 40", IKR_DEC_ENCODING, "non-shortest head"},
        {"d240", 0, NULL},
        {"5f4100ff", IKR_DEC_ENCODING, "indefinite length"},
        {"9fff", IKR_DEC_ENCODING, "indefinite length"},
        {"bfff", IKR_DEC_ENCODING, "indefinite length"},
        {"1f", IKR_DEC_MALFORMED, "reserved head"},
        {"1c", IKR_DEC_MALFORMED, "reserved head"},
        {"f4", IKR_DEC_ENCODING, "float or simple value"},
        {"f6", IKR_DEC_ENCODING, "float or simple value"},
        {"f93c00", IKR_DEC_ENCODING, "float or simple value"},
        {"a2616101616202", 0, NULL},
        {"a2616201616102", IKR_DEC_ENCODING, "map keys out of order"},
        {"a2616101616102", IKR_DEC_ENCODING, "duplicate map key"},
        /* Bytewise order of the encodings, not length first: "b" (61 62) before "aa" (62 61 61). */
        {"a2616201626161 02", 0, NULL},
        {"a2626161016162 02", IKR_DEC_ENCODING, "map keys out of order"},
        {"a201010001", IKR_DEC_ENCODING, "map keys out of order"},
        {"62c328", IKR_DEC_ENCODING, "invalid UTF-8"},
        {"63eda080", IKR_DEC_ENCODING, "invalid UTF-8"}, /* a surrogate */
        {"62c0af", IKR_DEC_ENCODING, "invalid UTF-8"},   /* an overlong '/' */
        {"62c3a9", 0, NULL},
        {"0101", IKR_DEC_MALFORMED, "bytes after the item"},
        {"6261", IKR_DEC_MALFORMED, "truncated"},
        {"", IKR_DEC_MALFORMED, "truncated"},
        {"9bffffffffffffffff", IKR_DEC_MALFORMED, "truncated"}, /* a count no input can hold */
        {"bbffffffffffffffff", IKR_DEC_MALFORMED, "truncated"},
        /* 16 levels of arrays around an integer is the most; 17 is too deep. */
        {"81818181818181818181818181818181 01", 0, NULL},
        {"8181818181818181818181818181818181 01", IKR_DEC_MALFORMED, "nested too deep"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char hex[128], desc[200];
        size_t k = 0;
        for (const char *p = cases[i].hex; *p && k + 1 < sizeof hex; p++)
            if (*p != ' ')
                hex[k++] = *p;
        hex[k] = '\0';
        const char *why = "unset";
        int rc = canon(hex, &why);
        int ok = rc == cases[i].want &&
                 (cases[i].why ? why && strcmp(why, cases[i].why) == 0 : why == NULL);
        snprintf(desc, sizeof desc, "canonical %s: %d (%s), wanted %d (%s)", cases[i].hex, rc,
                 why ? why : "-", cases[i].want, cases[i].why ? cases[i].why : "-");
        check(desc, ok);
    }
}

/* The worked example's claims, as a struct. */
static int example_claims(ikr_claims *c)
{
    ikr_buf b;
    ikr_buf_init(&b);
    int rc = td_hex("vectors/record-claims.cbor.hex", &b) || ikr_record_decode(c, b.p, b.len);
    ikr_buf_free(&b);
    return rc;
}

/* Encodes c (the writer checks nothing) and decodes it again: the result and why. */
static int roundtrip(const ikr_claims *c, ikr_dec_why *why)
{
    ikr_buf b;
    ikr_claims back;
    ikr_buf_init(&b);
    why->part = why->check = NULL;
    int rc = ikr_record_encode(&b, c) ? 99 : ikr_record_decode_why(&back, b.p, b.len, why);
    ikr_buf_free(&b);
    return rc;
}

static int why_is(const ikr_dec_why *w, const char *part, const char *check)
{
    return w->part && w->check && strcmp(w->part, part) == 0 && strcmp(w->check, check) == 0;
}

static void claims_limits(void)
{
    ikr_claims c, x;
    ikr_dec_why w;
    check("the worked example's claims decode", example_claims(&c) == 0);
    check("and pass again", roundtrip(&c, &w) == 0);

    /* Kept: what kiosks before the text rule could honestly write. */
    x = c;
    snprintf(x.who.name, sizeof x.who.name, "Budi\xe2\x80\x8bSantoso"); /* U+200B */
    check("a zero-width space in a name is accepted", roundtrip(&x, &w) == 0);
    x = c;
    snprintf(x.who.name, sizeof x.who.name, "Rene\xcc\x81"); /* e + U+0301: not NFC */
    check("a name that is not NFC is accepted", roundtrip(&x, &w) == 0);
    x = c;
    snprintf(x.who.name, sizeof x.who.name,
             "\xe2\x80\xae"
             "abc"); /* U+202E */
    check("a bidirectional override is accepted (the kiosk's text rule refuses it)",
          roundtrip(&x, &w) == 0);
    x = c;
    x.t = IKR_MAX_TIME;
    check("t at 9999-12-31 23:59:59 UTC is accepted", roundtrip(&x, &w) == 0);
    x = c;
    x.who.pos[0] = x.who.unit[0] = '\0';
    check("no pos and no unit is accepted", roundtrip(&x, &w) == 0);
    x = c;
    memset(x.who.name, 'A', IKR_MAX_NAME);
    x.who.name[IKR_MAX_NAME] = '\0';
    check("a name of exactly 128 bytes is accepted", roundtrip(&x, &w) == 0);

    /* Refused: what no writer produces, each with its own check. */
    x = c;
    x.t = IKR_MAX_TIME + 1;
    check("t after 9999 is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "t", "after 9999-12-31 23:59:59 UTC"));
    x = c;
    x.seq = 0;
    check("seq 0 is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "seq", "outside 1..2^63-1"));
    x = c;
    x.seq = (uint64_t)INT64_MAX + 1;
    check("seq 2^63 is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "seq", "outside 1..2^63-1"));
    x = c;
    x.v = 2;
    check("v 2 is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "v", "a version other than 1"));
    x = c;
    snprintf(x.ev, sizeof x.ev, "Contoh");
    check("an event id with a capital is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "ev", "not an event id"));
    x = c;
    snprintf(x.who.unit, sizeof x.who.unit, "Dinas\xc2\x85Pendidikan"); /* U+0085, a C1 control */
    check("a C1 control in unit is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT &&
              why_is(&w, "unit", "control character or invalid UTF-8"));
    x = c;
    snprintf(x.who.pos, sizeof x.who.pos, "Guru\x7f");
    check("DEL in pos is refused", roundtrip(&x, &w) == IKR_DEC_LIMIT &&
                                       why_is(&w, "pos", "control character or invalid UTF-8"));
    x = c;
    snprintf(x.who.name, sizeof x.who.name, "Siti\nKiosk: aula-9");
    check("a newline in a name is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT &&
              why_is(&w, "name", "control character or invalid UTF-8"));
    x = c;
    x.who.name[0] = '\0';
    check("an empty name is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "name", "empty"));
    x = c;
    snprintf(x.who.nip, sizeof x.who.nip, "19850330201001200X");
    check("a NIP with a letter is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "nip", "not 18 digits"));
    x = c;
    snprintf(x.who.nip, sizeof x.who.nip, "1985033020100120");
    check("a NIP of 16 digits is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "nip", "not 18 digits"));
    x = c;
    x.who.nip[0] = '\0';
    check("PNS without a NIP is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "nip", "missing for PNS or PPPK"));
    x = c;
    x.who.status = IKR_STATUS_NON_ASN;
    check("NON-ASN with a NIP is refused",
          roundtrip(&x, &w) == IKR_DEC_LIMIT && why_is(&w, "nip", "present for NON-ASN"));
}

static void cose_strict(void)
{
    ikr_buf seed, out;
    ikr_key *k = NULL;
    ikr_cose c;
    uint8_t s[32];
    ikr_buf_init(&seed);
    ikr_buf_init(&out);
    check("the example's key", td_line("vectors/seed.hex", &seed) == 0 &&
                                   ikr_unhex(s, 32, (const char *)seed.p) == 0 &&
                                   ikr_key_from_seed(&k, s) == 0);
    if (!k)
        return;
    /* A payload of each head length: ikr_cose_sign1's bytes must parse back. */
    static const size_t lens[] = {0, 23, 24, 255, 256, 1000};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t p[1000];
        memset(p, 0x41, sizeof p);
        ikr_buf_reset(&out);
        check("ikrar's own COSE_Sign1 parses, any payload length",
              ikr_cose_sign1(&out, k, p, lens[i]) == 0 && ikr_cose_parse(&c, out.p, out.len) == 0 &&
                  c.payload_len == lens[i] && ikr_cose_verify(&c, k) == 0);
    }
    /* One byte more at the end, and the tag 18 in two bytes: refused, saying which. */
    ikr_buf_reset(&out);
    ikr_cose_sign1(&out, k, (const uint8_t *)"\xa0", 1);
    ikr_buf_addc(&out, 0x00);
    check("a byte after the COSE_Sign1 is refused",
          ikr_cose_parse(&c, out.p, out.len) == IKR_DEC_MALFORMED && c.why.check != NULL);
    ikr_buf_reset(&out);
    ikr_buf_add(&out, "\xd8\x12", 2);
    ikr_cose_sign1(&out, k, (const uint8_t *)"\xa0", 1);
    memmove(out.p + 2, out.p + 3, out.len - 3); /* d8 12 in place of d2 */
    out.len--;
    check("tag 18 as d8 12 is refused as an encoding, naming the check",
          ikr_cose_parse(&c, out.p, out.len) == IKR_DEC_ENCODING &&
              strcmp(c.why.part, "COSE_Sign1") == 0 &&
              strcmp(c.why.check, "non-shortest head") == 0);
    ikr_key_free(k);
    ikr_buf_free(&seed);
    ikr_buf_free(&out);
}

static void checkpoints(void)
{
    ikr_buf seed, cp, note, body;
    ikr_key *k = NULL;
    ikr_vkey vk;
    uint8_t s[32], root[IKR_HASH_LEN];
    char origin[IKR_MAX_ORIGIN + 1];
    uint64_t size;
    const char *why;
    ikr_buf_init(&seed);
    ikr_buf_init(&cp);
    ikr_buf_init(&note);
    ikr_buf_init(&body);
    check("the example's key and the golden checkpoint",
          td_line("vectors/seed.hex", &seed) == 0 && ikr_unhex(s, 32, (const char *)seed.p) == 0 &&
              ikr_key_from_seed(&k, s) == 0 && td_read("bundle/checkpoint", &cp) == 0);
    if (!k)
        return;
    ikr_buf_reset(&body);
    ikr_vkey_format(&body, "ikrar/contoh/kiosk-1", ikr_key_public(k));
    check("its verifier key", ikr_vkey_parse(&vk, (const char *)body.p, body.len) == 0);
    check("the golden checkpoint opens strictly",
          ikr_checkpoint_open((const char *)cp.p, cp.len, &vk, origin, &size, root, &why) == 0 &&
              size == 3 && strcmp(origin, "ikrar/contoh/kiosk-1") == 0);
    static const struct {
        const char *head;         /* the origin and size lines */
        int cut;                  /* the root's base64 without its last character */
        const char *extra, *tail; /* a line after the root; text after the signature line */
        const char *why;
    } cases[] = {
        {"ikrar/contoh/kiosk-1\n3\n", 0, "", "", NULL},
        {"ikrar/contoh/kiosk-1\n3\n", 0, "x\n", "", "extension line after the root"},
        {"ikrar/contoh/kiosk-1\n003\n", 0, "", "", "size with a leading zero"},
        {"ikrar/contoh/kiosk-1\n+3\n", 0, "", "", "size line"},
        {"ikrar/contoh/kiosk-1\n3\n", 1, "", "", "root line: not the standard base64 of 32 bytes"},
        {"ikrar/contoh/kiosk-1\n3\n", 0, "", "\xe2\x80\x94 other AAAA\n",
         "more than one signature line"},
        {"ikrar/contoh/kiosk-1\r\n3\n", 0, "", "", "origin line"},
    };
    char b64[IKR_BASE64_LEN(IKR_HASH_LEN) + 1];
    ikr_base64_encode(b64, root, IKR_HASH_LEN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char desc[300];
        ikr_buf_reset(&body);
        ikr_buf_adds(&body, cases[i].head);
        ikr_buf_add(&body, b64, strlen(b64) - (size_t)cases[i].cut);
        ikr_buf_adds(&body, "\n");
        ikr_buf_adds(&body, cases[i].extra);
        ikr_buf_reset(&note);
        ikr_note_sign(&note, (const char *)body.p, body.len, "ikrar/contoh/kiosk-1", k);
        ikr_buf_adds(&note, cases[i].tail);
        why = NULL;
        int rc =
            ikr_checkpoint_open((const char *)note.p, note.len, &vk, origin, &size, root, &why);
        snprintf(desc, sizeof desc, "checkpoint case %zu: %s, wanted %s", i, why ? why : "opens",
                 cases[i].why ? cases[i].why : "opens");
        check(desc, cases[i].why ? rc == -1 && why && strcmp(why, cases[i].why) == 0 : rc == 0);
        if (!cases[i].why) /* root was overwritten by the open: it is the same root */
            ikr_base64_encode(b64, root, IKR_HASH_LEN);
    }
    /* Signed by the key under another name: the note does not open for this key at all. */
    ikr_buf_reset(&note);
    ikr_note_sign(&note, "ikrar/contoh/kiosk-1\n3\nAAAA\n", 27, "kiosk-2", k);
    check("a checkpoint signed under another name is refused as its signature",
          ikr_checkpoint_open((const char *)note.p, note.len, &vk, origin, &size, root, &why) ==
                  -1 &&
              strcmp(why, "signature") == 0);
    ikr_key_free(k);
    ikr_buf_free(&seed);
    ikr_buf_free(&cp);
    ikr_buf_free(&note);
    ikr_buf_free(&body);
}

/* An empty line in records.jsonl, and empty strings as the first readable copy: no NULL to mem*. */
static void empty_lines(void)
{
    char tmp[] = "/tmp/ikrar-strict-XXXXXX", dir[128], cmd[600], path[200];
    ikr_bundle_rec r;
    ikr_err e;
    ikr_bundle_rec_init(&r);
    ikr_err_clear(&e);
    check("a NULL, empty line is refused as a damaged line",
          ikr_bundle_parse_line(&r, NULL, 0, &e) == IKR_E_BUNDLE_LINE && e.detail[0]);
    ikr_err_clear(&e);
    const char *line = "{\"seq\":1,\"cose\":\"\",\"name\":\"\",\"pos\":\"\"}";
    check("empty readable copies parse",
          ikr_bundle_parse_line(&r, line, strlen(line), &e) == 0 && r.has_name && !r.name[0]);
    ikr_bundle_rec_free(&r);

    const char *data = td_dir();
    if (!data || !mkdtemp(tmp)) {
        check("a temporary folder", 0);
        return;
    }
    snprintf(dir, sizeof dir, "%s/b", tmp);
    snprintf(cmd, sizeof cmd,
             "cp -r '%s/bundle' '%s' && { printf '\\n'; cat '%s/records.jsonl'; } >'%s/r' && "
             "mv '%s/r' '%s/records.jsonl'",
             data, dir, dir, tmp, tmp, dir);
    check("a bundle whose records.jsonl starts with an empty line", system(cmd) == 0);
    ikr_bundle *b = malloc(sizeof *b);
    ikr_bundle_reader rd;
    int got = 1;
    ikr_err_clear(&e);
    check("it opens", b && ikr_bundle_open(b, dir, &e) == 0);
    check("its reader opens", b && ikr_bundle_reader_open(&rd, b, &e) == 0);
    ikr_bundle_rec_init(&r);
    int rc = ikr_bundle_next(&rd, &r, &got, &e);
    check("the empty line is refused as line 1, not read past",
          rc == IKR_E_BUNDLE_LINE && !got && e.seq == 1);
    ikr_bundle_rec_free(&r);
    ikr_bundle_reader_close(&rd);
    free(b);
    snprintf(path, sizeof path, "rm -rf -- '%s'", tmp);
    check("cleaned up", system(path) == 0);
}

int main(void)
{
    cbor_canonical();
    claims_limits();
    cose_strict();
    checkpoints();
    empty_lines();
    return check_report();
}
