/*
 * test_vectors: the worked example (docs/formats.md §10), byte for byte: public
 * key, verifier key, kid, declaration hash, ink CBOR and inkh, record
 * claims and COSE_Sign1, leaf and root, receipt claims and COSE_Sign1, the
 * receipt text (the published one decodes to our COSE bytes; ours decodes
 * to the same), and the checkpoint.  Then forgeries that must fail.
 *
 * Every value it compares with is read from tests/data/vectors/, where
 * scripts/make-test-data.sh copied it out of the specification: the spec's bytes,
 * in files a reviewer can read and diff against the spec.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ikrar/cose.h"
#include "ikrar/hash.h"
#include "ikrar/ink.h"
#include "ikrar/key.h"
#include "ikrar/merkle.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/record.h"
#include "testdata.h"

static const char *ORIGIN = "ikrar/contoh/kiosk-1";

/* Values read from tests/data/vectors/, kept until the end. */
static ikr_buf loaded[32];
static size_t nloaded;

/* The value in vectors/NAME (one line, its newline dropped); "" when unreadable, so its check
 * fails. */
static const char *V(const char *name)
{
    char rel[128];
    snprintf(rel, sizeof rel, "vectors/%s", name);
    if (nloaded == sizeof loaded / sizeof loaded[0])
        return "";
    ikr_buf *b = &loaded[nloaded++];
    ikr_buf_init(b);
    int ok = strcmp(name, "checkpoint") == 0 ? td_read(rel, b) == 0 : td_line(rel, b) == 0;
    check(rel, ok);
    return ok ? (const char *)b->p : "";
}

int main(void)
{
    uint8_t seed[32];
    ikr_key *k = NULL;
    ikr_buf b, inkb, claims, rec, rclaims, rcose, text, cp;
    ikr_buf_init(&b);
    ikr_buf_init(&inkb);
    ikr_buf_init(&claims);
    ikr_buf_init(&rec);
    ikr_buf_init(&rclaims);
    ikr_buf_init(&rcose);
    ikr_buf_init(&text);
    ikr_buf_init(&cp);

    const char *RECORD_COSE = V("record.cose.hex"), *RECEIPT_COSE = V("receipt.cose.hex");
    const char *RECEIPT_TEXT = V("receipt.txt"), *CHECKPOINT = V("checkpoint");
    check("seed", ikr_unhex(seed, 32, V("seed.hex")) == 0);
    check("key from seed", ikr_key_from_seed(&k, seed) == 0);
    check_hex("public key", ikr_key_public(k), 32, V("public.hex"));
    ikr_vkey_format(&b, ORIGIN, ikr_key_public(k));
    const char *vk = V("verifier.key");
    check("verifier key", b.len == strlen(vk) && memcmp(b.p, vk, b.len) == 0);
    check_hex("kid", ikr_key_kid(k), 8, V("kid.hex"));

    ikr_buf declb;
    ikr_buf_init(&declb);
    check("declaration.txt", td_read("vectors/declaration.txt", &declb) == 0);
    const char *decl = declb.p ? (const char *)declb.p : "";
    ikr_claims c;
    memset(&c, 0, sizeof c);
    ikr_sha256(c.decl, decl, strlen(decl));
    check_hex("decl", c.decl, 32, V("decl.hex"));

    ikr_ink ink;
    ikr_ink_init(&ink);
    const char *inkjson = V("ink.json");
    check("ink JSON parses", ikr_ink_parse_json(&ink, inkjson, strlen(inkjson)) == 0);
    check("ink encodes", ikr_ink_encode(&inkb, &ink) == 0);
    check_hex("ink CBOR", inkb.p, inkb.len, V("ink.cbor.hex"));
    ikr_sha256(c.inkh, inkb.p, inkb.len);
    check_hex("inkh", c.inkh, 32, V("inkh.hex"));

    c.v = 1;
    strcpy(c.ev, "contoh");
    c.seq = 1;
    c.t = 1727690000;
    strcpy(c.who.name, "Siti Rahmawati, S.Pd.");
    c.who.status = IKR_STATUS_PNS;
    strcpy(c.who.nip, "198503302010012003");
    strcpy(c.who.pos, "Guru Ahli Pertama");
    strcpy(c.who.unit, "Dinas Pendidikan");
    check("record claims encode", ikr_record_encode(&claims, &c) == 0);
    check_hex("record claims CBOR", claims.p, claims.len, V("record-claims.cbor.hex"));
    check("record signs", ikr_cose_sign1(&rec, k, claims.p, claims.len) == 0);
    check_hex("record COSE_Sign1", rec.p, rec.len, RECORD_COSE);

    ikr_claims back;
    ikr_cose cs;
    check("record parses back", ikr_cose_parse(&cs, rec.p, rec.len) == 0 &&
                                    ikr_record_decode(&back, cs.payload, cs.payload_len) == 0);
    check("claims round-trip", memcmp(&back, &c, sizeof c) == 0);

    uint8_t leaf[32], root[32];
    ikr_merkle_leaf(leaf, rec.p, rec.len);
    check_hex("leaf hash", leaf, 32, V("leaf.hex"));
    ikr_merkle_edge e;
    ikr_merkle_edge_init(&e);
    ikr_merkle_edge_push(&e, leaf, NULL, NULL);
    ikr_merkle_edge_root(&e, root);
    check_hex("root at size 1", root, 32, V("root-1.hex"));

    ikr_receipt r;
    memset(&r, 0, sizeof r);
    r.v = 1;
    strcpy(r.ev, "contoh");
    r.seq = 1;
    r.t = 1727690000;
    ikr_receipt_cut_name(r.name, c.who.name);
    ikr_receipt_mask_nip(r.nip, c.who.nip);
    check("masked NIP", strcmp(r.nip, "**************2003") == 0);
    memcpy(r.leaf, leaf, 32);
    memcpy(r.root, root, 32);
    check("receipt claims encode", ikr_receipt_encode_claims(&rclaims, &r) == 0);
    check_hex("receipt claims CBOR", rclaims.p, rclaims.len, V("receipt-claims.cbor.hex"));
    check("receipt signs", ikr_cose_sign1(&rcose, k, rclaims.p, rclaims.len) == 0);
    check_hex("receipt COSE_Sign1", rcose.p, rcose.len, RECEIPT_COSE);

    /* The published receipt text (zlib level 6) decodes to exactly these COSE bytes. */
    ikr_receipt got;
    ikr_buf cose;
    ikr_buf_init(&cose);
    ikr_err err;
    ikr_err_clear(&err);
    check("published receipt text parses",
          ikr_receipt_parse(&got, &cose, RECEIPT_TEXT, strlen(RECEIPT_TEXT), &err) == 0);
    check_hex("published receipt inflates to the receipt COSE_Sign1", cose.p, cose.len,
              RECEIPT_COSE);
    ikr_vkey vkey;
    check("verifier key parses", ikr_vkey_parse(&vkey, vk, strlen(vk)) == 0);
    size_t which = 9;
    check("published receipt verifies",
          ikr_receipt_check(&cose, &vkey, 1, &which, &err) == 0 && which == 0);
    check("receipt claims read back",
          got.seq == 1 && got.t == 1727690000 && strcmp(got.name, "Siti Rahmawati, S.Pd.") == 0 &&
              strcmp(got.nip, "**************2003") == 0 && strcmp(got.ev, "contoh") == 0 &&
              memcmp(got.leaf, leaf, 32) == 0 && memcmp(got.kid, ikr_key_kid(k), 8) == 0);

    /* Our own text may differ (zlib level) but must decode to the same bytes. */
    check("receipt text made", ikr_receipt_make(&text, k, &r) == 0);
    check("receipt text starts IK1:", strncmp((char *)text.p, "IK1:", 4) == 0);
    ikr_buf_reset(&cose);
    check("our receipt parses",
          ikr_receipt_parse(&got, &cose, (char *)text.p, text.len - 1, &err) == 0);
    check_hex("our receipt inflates to the receipt COSE_Sign1", cose.p, cose.len, RECEIPT_COSE);

    /* Checkpoint. */
    ikr_buf_reset(&b);
    ikr_checkpoint_body(&b, ORIGIN, 1, root);
    check("checkpoint signs", ikr_note_sign(&cp, (char *)b.p, b.len, ORIGIN, k) == 0);
    check("checkpoint equals the worked example",
          cp.len == strlen(CHECKPOINT) && memcmp(cp.p, CHECKPOINT, cp.len) == 0);
    size_t tl;
    check("checkpoint opens", ikr_note_open(CHECKPOINT, strlen(CHECKPOINT), &vkey, 1, &tl) == 0);

    /* Forgeries: a changed claim with the old signature, and a different key. */
    ikr_err_clear(&err);
    char *forged = strdup(RECEIPT_TEXT);
    forged[40] = forged[40] == 'A' ? 'B' : 'A';
    int rc = ikr_receipt_parse(&got, &cose, forged, strlen(forged), &err);
    if (rc == 0)
        rc = ikr_receipt_check(&cose, &vkey, 1, NULL, &err);
    check("a changed receipt character is refused", rc != 0);
    free(forged);
    ikr_key *other = NULL;
    ikr_key_generate(&other, NULL);
    ikr_buf_reset(&text);
    ikr_receipt_make(&text, other, &r);
    ikr_err_clear(&err);
    ikr_receipt_parse(&got, &cose, (char *)text.p, text.len - 1, &err);
    check("a receipt by an unknown key is refused as unknown",
          ikr_receipt_check(&cose, &vkey, 1, NULL, &err) == IKR_E_RCPT_KID);
    /* A forger who copies our kid into his header still fails the signature. */
    ikr_cose fc;
    ikr_cose_parse(&fc, cose.p, cose.len);
    size_t kid_at = (size_t)(fc.prot - cose.p) + 5;
    memcpy(cose.p + kid_at, ikr_key_kid(k), 8);
    ikr_err_clear(&err);
    check("a forged receipt claiming our kid fails the signature",
          ikr_receipt_check(&cose, &vkey, 1, NULL, &err) == IKR_E_RCPT_SIG);
    ikr_key_free(other);

    ikr_ink_free(&ink);
    ikr_key_free(k);
    ikr_buf_free(&b);
    ikr_buf_free(&inkb);
    ikr_buf_free(&claims);
    ikr_buf_free(&rec);
    ikr_buf_free(&rclaims);
    ikr_buf_free(&rcose);
    ikr_buf_free(&text);
    ikr_buf_free(&cp);
    ikr_buf_free(&cose);
    ikr_buf_free(&declb);
    for (size_t i = 0; i < nloaded; i++)
        ikr_buf_free(&loaded[i]);
    return check_report();
}
