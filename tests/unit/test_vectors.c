/*
 * test_vectors: the worked example of VECTORS.md, byte for byte: public
 * key, verifier key, kid, declaration hash, ink CBOR and inkh, record
 * claims and COSE_Sign1, leaf and root, receipt claims and COSE_Sign1, the
 * receipt text (the published one decodes to our COSE bytes; ours decodes
 * to the same), and the checkpoint.  Then forgeries that must fail.
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

static const char *SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *ORIGIN = "ikrar/contoh/kiosk-1";

static const char *RECORD_COSE =
    "d2844da20127044821fe31dfa154a261a058d1ab61741a66fa751061760162657666636f6e746f68636e69707231393835303333303230313030313230303363706f7371477572752041686c692050657274616d616373657101646465636c5820ec8b891e1a4ab90dc465ae00e939a5fc04eb65ab3ebefa8725c1d6113a4174c064696e6b685820c991e261d946ff0ba93e3a10418e815d33744723ad6bc78a0c3111b734325c3e646e616d657553697469205261686d61776174692c20532e50642e64756e69747044696e61732050656e646964696b616e6673746174757363504e535840edd12e1077240d2fb7fb322592edf6b258d1d639b49f4eb479094d618e15aa6c6f19ed1b36e0d2cbcd7d2c979e2d0909e86efa738d3d6ac3153e5a1f8d1b8f01";
static const char *RECEIPT_COSE =
    "d2844da20127044821fe31dfa154a261a0589aa861741a66fa751061760162657666636f6e746f68636e6970722a2a2a2a2a2a2a2a2a2a2a2a2a2a323030336373657101646c6561665820438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c646e616d657553697469205261686d61776174692c20532e50642e64726f6f745820438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c5840d6c84ef74956ba14f7a63372cda260917118b9bcd14e49ec16905de4b86ab14df4daaeef825d5b77f76cb01986e1e0a195edc3da9a66557b3c79e3dd2a5bf004";
static const char *RECEIPT_TEXT =
    "IK1:6BFOXN%TSMAHO.JNQ8O9KB2W$A4-C2HV8AKBH6B5/IUTL:54OWHCC5EQ5UA7G6M8:7EA7*VM%49:S0Y73I23P:2C 2J4L$XK+0L 35Q6FKLARG3-NJJCQ3ZM20J4+E9:U.0R8*KOKE0-GXNH$ 4ZRDYE99Q92Y9OX1ZT52SANK9MEP3R5ZT5%$QC518J1TKQXC5T8Q6A4II8GXO+K2:9S/VO6HHW2C/UB4/E0SONI8++JB.5QHF7A2R62LUC:3RU9S$ANU.N9NHG.5$2KXD8C3U9SG6RA+*3LW60Z5*SR3WU-$B7FTEP5EOQ-:C";
static const char *CHECKPOINT =
    "ikrar/contoh/kiosk-1\n1\nQ4uaJ7VWJW/eQzVxXQYllNfIe4110GyFExZzGpLGhzw=\n\n"
    "\xe2\x80\x94 ikrar/contoh/kiosk-1 0SwZAllomafSlGlZq2i1KaiHgAIOa6FXKuA6AvbbGSgph3pPMUpKaMZCo2/zokvlw2FS8mhYop6vQP4Iq5L2B3VKlwg=\n";

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

    ikr_unhex(seed, 32, SEED);
    check("key from seed", ikr_key_from_seed(&k, seed) == 0);
    check_hex("public key", ikr_key_public(k), 32,
              "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    ikr_vkey_format(&b, ORIGIN, ikr_key_public(k));
    const char *vk = "ikrar/contoh/kiosk-1+d12c1902+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";
    check("verifier key", b.len == strlen(vk) && memcmp(b.p, vk, b.len) == 0);
    check_hex("kid", ikr_key_kid(k), 8, "21fe31dfa154a261");

    const char *decl = "Kami, Aparatur Sipil Negara, menyatakan netral.\n";
    ikr_claims c;
    memset(&c, 0, sizeof c);
    ikr_sha256(c.decl, decl, strlen(decl));
    check_hex("decl", c.decl, 32, "ec8b891e1a4ab90dc465ae00e939a5fc04eb65ab3ebefa8725c1d6113a4174c0");

    ikr_ink ink;
    ikr_ink_init(&ink);
    const char *inkjson = "{\"w\": 400, \"h\": 200, \"s\": [[10, 20, 0, 30, 40, 16, 50, 45, 33]]}";
    check("ink JSON parses", ikr_ink_parse_json(&ink, inkjson, strlen(inkjson)) == 0);
    check("ink encodes", ikr_ink_encode(&inkb, &ink) == 0);
    check_hex("ink CBOR", inkb.p, inkb.len, "a3616818c8617381890a1400181e1828101832182d18216177190190");
    ikr_sha256(c.inkh, inkb.p, inkb.len);
    check_hex("inkh", c.inkh, 32, "c991e261d946ff0ba93e3a10418e815d33744723ad6bc78a0c3111b734325c3e");

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
    check_hex("record claims CBOR", claims.p, claims.len,
              "ab61741a66fa751061760162657666636f6e746f68636e69707231393835303333303230313030313230303363706f7371477572752041686c692050657274616d616373657101646465636c5820ec8b891e1a4ab90dc465ae00e939a5fc04eb65ab3ebefa8725c1d6113a4174c064696e6b685820c991e261d946ff0ba93e3a10418e815d33744723ad6bc78a0c3111b734325c3e646e616d657553697469205261686d61776174692c20532e50642e64756e69747044696e61732050656e646964696b616e6673746174757363504e53");
    check("record signs", ikr_cose_sign1(&rec, k, claims.p, claims.len) == 0);
    check_hex("record COSE_Sign1", rec.p, rec.len, RECORD_COSE);

    ikr_claims back;
    ikr_cose cs;
    check("record parses back", ikr_cose_parse(&cs, rec.p, rec.len) == 0 &&
                                    ikr_record_decode(&back, cs.payload, cs.payload_len) == 0);
    check("claims round-trip", memcmp(&back, &c, sizeof c) == 0);

    uint8_t leaf[32], root[32];
    ikr_merkle_leaf(leaf, rec.p, rec.len);
    check_hex("leaf hash", leaf, 32, "438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c");
    ikr_merkle_edge e;
    ikr_merkle_edge_init(&e);
    ikr_merkle_edge_push(&e, leaf, NULL, NULL);
    ikr_merkle_edge_root(&e, root);
    check_hex("root at size 1", root, 32, "438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c");

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
    check_hex("receipt claims CBOR", rclaims.p, rclaims.len,
              "a861741a66fa751061760162657666636f6e746f68636e6970722a2a2a2a2a2a2a2a2a2a2a2a2a2a323030336373657101646c6561665820438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c646e616d657553697469205261686d61776174692c20532e50642e64726f6f745820438b9a27b556256fde4335715d062594d7c87b8d75d06c851316731a92c6873c");
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
    check_hex("published receipt inflates to the receipt COSE_Sign1", cose.p, cose.len, RECEIPT_COSE);
    ikr_vkey vkey;
    check("verifier key parses", ikr_vkey_parse(&vkey, vk, strlen(vk)) == 0);
    size_t which = 9;
    check("published receipt verifies", ikr_receipt_check(&cose, &vkey, 1, &which, &err) == 0 && which == 0);
    check("receipt claims read back", got.seq == 1 && got.t == 1727690000 &&
                                          strcmp(got.name, "Siti Rahmawati, S.Pd.") == 0 &&
                                          strcmp(got.nip, "**************2003") == 0 &&
                                          strcmp(got.ev, "contoh") == 0 &&
                                          memcmp(got.leaf, leaf, 32) == 0 &&
                                          memcmp(got.kid, ikr_key_kid(k), 8) == 0);

    /* Our own text may differ (zlib level) but must decode to the same bytes. */
    check("receipt text made", ikr_receipt_make(&text, k, &r) == 0);
    check("receipt text starts IK1:", strncmp((char *)text.p, "IK1:", 4) == 0);
    ikr_buf_reset(&cose);
    check("our receipt parses", ikr_receipt_parse(&got, &cose, (char *)text.p, text.len - 1, &err) == 0);
    check_hex("our receipt inflates to the receipt COSE_Sign1", cose.p, cose.len, RECEIPT_COSE);

    /* Checkpoint. */
    ikr_buf_reset(&b);
    ikr_checkpoint_body(&b, ORIGIN, 1, root);
    check("checkpoint signs", ikr_note_sign(&cp, (char *)b.p, b.len, ORIGIN, k) == 0);
    check("checkpoint equals VECTORS.md",
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
    return check_report();
}
