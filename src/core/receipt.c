/*
 * receipt.c: receipt text (docs/formats.md §6) made and read.
 *
 * Making: claims -> COSE_Sign1 -> zlib -> Base45 -> "IK1:" prefix.
 * Reading runs the same steps backwards over untrusted text, each step
 * bounded before it allocates: the text by what a QR code can hold, the
 * inflated bytes by IKR_MAX_INFLATE, the CBOR by its reader's checks.
 */
#include "ikrar/receipt.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "ikrar/base45.h"
#include "ikrar/cbor.h"
#include "ikrar/cose.h"
#include "ikrar/record.h"

void ikr_receipt_cut_name(char out[IKR_RECEIPT_NAME + 1], const char *name)
{
    size_t n = strlen(name);
    if (n > IKR_RECEIPT_NAME) {
        n = IKR_RECEIPT_NAME;
        /* Step back over continuation bytes so no character is cut in two. */
        while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, name, n);
    out[n] = '\0';
}

void ikr_receipt_mask_nip(char out[IKR_NIP_LEN + 1], const char *nip)
{
    size_t n = strlen(nip);
    if (n > IKR_NIP_LEN)
        n = IKR_NIP_LEN;
    for (size_t i = 0; i < n; i++)
        out[i] = i + 4 < n ? '*' : nip[i];
    out[n] = '\0';
}

int ikr_receipt_encode_claims(ikr_buf *out, const ikr_receipt *r)
{
    ikr_cbor_map m;
    ikr_buf *b;
    ikr_cbor_map_init(&m);
    if ((b = ikr_cbor_map_key_text(&m, "v")))
        ikr_cbor_uint(b, r->v);
    if ((b = ikr_cbor_map_key_text(&m, "ev")))
        ikr_cbor_text(b, r->ev);
    if ((b = ikr_cbor_map_key_text(&m, "seq")))
        ikr_cbor_uint(b, r->seq);
    if ((b = ikr_cbor_map_key_text(&m, "t")))
        ikr_cbor_uint(b, r->t);
    if ((b = ikr_cbor_map_key_text(&m, "name")))
        ikr_cbor_text(b, r->name);
    if (r->nip[0] && (b = ikr_cbor_map_key_text(&m, "nip")))
        ikr_cbor_text(b, r->nip);
    if ((b = ikr_cbor_map_key_text(&m, "leaf")))
        ikr_cbor_bstr(b, r->leaf, IKR_HASH_LEN);
    if ((b = ikr_cbor_map_key_text(&m, "root")))
        ikr_cbor_bstr(b, r->root, IKR_HASH_LEN);
    return ikr_cbor_map_end(&m, out);
}

int ikr_receipt_make(ikr_buf *out, const ikr_key *k, const ikr_receipt *r)
{
    ikr_buf claims, cose, z;
    ikr_buf_init(&claims);
    ikr_buf_init(&cose);
    ikr_buf_init(&z);
    int rc = ikr_receipt_encode_claims(&claims, r);
    if (!rc)
        rc = ikr_cose_sign1(&cose, k, claims.p, claims.len);
    uLongf zlen = compressBound((uLong)cose.len);
    if (!rc)
        rc = ikr_buf_reserve(&z, zlen);
    if (!rc && compress2(z.p, &zlen, cose.p, (uLong)cose.len, Z_BEST_COMPRESSION) != Z_OK)
        rc = IKR_E_INTERNAL;
    if (!rc) {
        z.len = zlen;
        size_t tlen = strlen(IKR_RECEIPT_PREFIX) + IKR_BASE45_LEN(z.len);
        rc = ikr_buf_reserve(out, tlen + 1);
        if (!rc) {
            memcpy(out->p + out->len, IKR_RECEIPT_PREFIX, strlen(IKR_RECEIPT_PREFIX));
            ikr_base45_encode((char *)out->p + out->len + strlen(IKR_RECEIPT_PREFIX), z.p, z.len);
            out->len += tlen + 1;
        }
    }
    ikr_buf_free(&claims);
    ikr_buf_free(&cose);
    ikr_buf_free(&z);
    return rc;
}

/* Inflates a whole zlib stream of at most IKR_MAX_INFLATE bytes into out. */
static int inflate_bounded(ikr_buf *out, const uint8_t *p, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return -1;
    if (ikr_buf_reserve(out, IKR_MAX_INFLATE + 1) != IKR_OK) {
        inflateEnd(&zs);
        return -1;
    }
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    zs.next_out = out->p;
    /* One byte more than allowed: filling it means the stream is too long. */
    zs.avail_out = IKR_MAX_INFLATE + 1;
    int zr = inflate(&zs, Z_FINISH);
    size_t got = IKR_MAX_INFLATE + 1 - zs.avail_out;
    int ok = zr == Z_STREAM_END && zs.avail_in == 0 && got <= IKR_MAX_INFLATE;
    inflateEnd(&zs);
    out->len = ok ? got : 0;
    return ok ? 0 : -1;
}

/* 1 when s[0..n) is a masked NIP as ikr_receipt_mask_nip writes it: 14 '*' and 4 digits. */
static int masked_nip_ok(const char *s, size_t n)
{
    if (n != IKR_NIP_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i + 4 < n ? s[i] != '*' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

/* Reads receipt claims from untrusted CBOR: as ikrar writes them, within the writer's limits. */
static int parse_claims(ikr_receipt *r, const uint8_t *p, size_t n, ikr_dec_why *why)
{
    ikr_cbor_rd rd;
    uint64_t count;
    enum { V = 1, EV = 2, SEQ = 4, T = 8, NAME = 16, NIP = 32, LEAF = 64, ROOT = 128 };
    unsigned seen = 0;
    const char *check;
    int rc = ikr_cbor_canonical(p, n, &check);
    if (rc)
        return ikr_dec_fail(why, rc, "claims", check);
    ikr_cbor_rd_init(&rd, p, n);
    if (ikr_cbor_read_map(&rd, &count) != 0 || count > 64)
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "not a map of at most 64 keys");
    for (uint64_t i = 0; i < count; i++) {
        const char *k, *s;
        const uint8_t *b;
        size_t kn, sn, bn;
        unsigned bit = 0;
        if (ikr_cbor_read_tstr(&rd, &k, &kn) != 0)
            return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "a key that is not text");
#define KEY(x) (kn == sizeof(x) - 1 && memcmp(k, x, kn) == 0)
        if (KEY("v") || KEY("seq") || KEY("t")) {
            const char *key = KEY("v") ? "v" : KEY("seq") ? "seq" : "t";
            uint64_t *dst = KEY("v") ? &r->v : KEY("seq") ? &r->seq : &r->t;
            bit = KEY("v") ? V : KEY("seq") ? SEQ : T;
            if (ikr_cbor_read_uint(&rd, dst) != 0)
                return ikr_dec_fail(why, IKR_DEC_MALFORMED, key, "not an unsigned integer");
        } else if (KEY("ev") || KEY("name") || KEY("nip")) {
            const char *key = KEY("ev") ? "ev" : KEY("name") ? "name" : "nip";
            char *dst = KEY("ev") ? r->ev : KEY("name") ? r->name : r->nip;
            size_t max = KEY("ev")     ? IKR_MAX_EVENT_ID
                         : KEY("name") ? IKR_RECEIPT_NAME
                                       : IKR_NIP_LEN;
            bit = KEY("ev") ? EV : KEY("name") ? NAME : NIP;
            if (ikr_cbor_read_tstr(&rd, &s, &sn) != 0)
                return ikr_dec_fail(why, IKR_DEC_MALFORMED, key, "not a text string");
            if (sn == 0)
                return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "empty");
            if (sn > max)
                return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "longer than the writer allows");
            if (!ikr_claim_text_ok(s, sn))
                return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "control character or invalid UTF-8");
            if (bit == NIP && !masked_nip_ok(s, sn))
                return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "not 14 '*' and 4 digits");
            memcpy(dst, s, sn);
            dst[sn] = '\0';
        } else if (KEY("leaf") || KEY("root")) {
            uint8_t *dst = KEY("leaf") ? r->leaf : r->root;
            bit = KEY("leaf") ? LEAF : ROOT;
            if (ikr_cbor_read_bstr(&rd, &b, &bn) != 0 || bn != IKR_HASH_LEN)
                return ikr_dec_fail(why, IKR_DEC_MALFORMED, bit == LEAF ? "leaf" : "root",
                                    "not 32 bytes");
            memcpy(dst, b, IKR_HASH_LEN);
        } else if (ikr_cbor_skip(&rd) != 0) {
            /* A key a later version may add: skipped, its map being canonical. */
            return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "an unknown key's value");
        }
#undef KEY
        if (seen & bit) /* cannot happen after the canonical check; kept as a guard */
            return ikr_dec_fail(why, IKR_DEC_ENCODING, "claims", "duplicate map key");
        seen |= bit;
    }
    unsigned need = V | EV | SEQ | T | NAME | LEAF | ROOT;
    if ((seen & need) != need || !ikr_cbor_done(&rd))
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "a required key is missing");
    return ikr_claims_common_ok(r->v, r->ev, r->seq, r->t, why);
}

/* The error a refused COSE_Sign1 or claims map gives: its code, the check in the detail. */
static int refused(ikr_err *e, int dec, int malformed, const ikr_dec_why *why)
{
    int code = dec == IKR_DEC_ENCODING ? IKR_E_RCPT_ENCODING
               : dec == IKR_DEC_LIMIT  ? IKR_E_RCPT_LIMIT
                                       : malformed;
    if (code == malformed)
        return ikr_err_set(e, code, NULL);
    return ikr_err_set(e, code, "%s: %s", why->part ? why->part : "?",
                       why->check ? why->check : "?");
}

int ikr_receipt_parse(ikr_receipt *r, ikr_buf *cose_out, const char *text, size_t n, ikr_err *e)
{
    size_t plen = strlen(IKR_RECEIPT_PREFIX);
    uint8_t raw[IKR_MAX_RECEIPT_TEXT];
    ikr_buf inflated;
    ikr_cose c;
    int rc = IKR_OK;
    memset(r, 0, sizeof *r);
    if (n < plen || memcmp(text, IKR_RECEIPT_PREFIX, plen) != 0)
        return ikr_err_set(e, IKR_E_RCPT_PREFIX, NULL);
    if (n > IKR_MAX_RECEIPT_TEXT)
        return ikr_err_set(e, IKR_E_RCPT_BASE45, NULL);
    long got = ikr_base45_decode(raw, sizeof raw, text + plen, n - plen);
    if (got <= 0)
        return ikr_err_set(e, IKR_E_RCPT_BASE45, NULL);
    ikr_buf_init(&inflated);
    if (inflate_bounded(&inflated, raw, (size_t)got) != 0) {
        rc = ikr_err_set(e, IKR_E_RCPT_ZLIB, NULL);
        goto out;
    }
    int dec = ikr_cose_parse(&c, inflated.p, inflated.len);
    if (dec != 0) {
        rc = refused(e, dec, IKR_E_RCPT_COSE, &c.why);
        goto out;
    }
    ikr_dec_why why = {NULL, NULL};
    if ((dec = parse_claims(r, c.payload, c.payload_len, &why)) != 0) {
        rc = refused(e, dec, IKR_E_RCPT_CLAIMS, &why);
        goto out;
    }
    memcpy(r->kid, c.kid, IKR_KID_LEN);
    if (cose_out) {
        ikr_buf_reset(cose_out);
        if (ikr_buf_add(cose_out, inflated.p, inflated.len) != IKR_OK)
            rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
out:
    ikr_buf_free(&inflated);
    if (rc)
        memset(r, 0, sizeof *r);
    return rc;
}

int ikr_receipt_check(const ikr_buf *cose, const ikr_vkey *keys, size_t nkeys, size_t *which,
                      ikr_err *e)
{
    ikr_cose c;
    int dec = ikr_cose_parse(&c, cose->p, cose->len);
    if (dec != 0)
        return refused(e, dec, IKR_E_RCPT_COSE, &c.why);
    /* Two trusted keys may share a kid (8 bytes of hash): try each that does. */
    int matched = 0;
    for (size_t i = 0; i < nkeys; i++) {
        if (memcmp(keys[i].kid, c.kid, IKR_KID_LEN) != 0)
            continue;
        matched = 1;
        ikr_key *k = NULL;
        if (ikr_key_from_public(&k, keys[i].pub) != IKR_OK)
            continue;
        int ok = ikr_cose_verify(&c, k) == 0;
        ikr_key_free(k);
        if (ok) {
            if (which)
                *which = i;
            return IKR_OK;
        }
    }
    return ikr_err_set(e, matched ? IKR_E_RCPT_SIG : IKR_E_RCPT_KID, NULL);
}

int ikr_receipt_matches_record(const ikr_receipt *r, const uint8_t *cose, size_t n, ikr_err *e)
{
    ikr_cose cs;
    ikr_claims c;
    char name[IKR_RECEIPT_NAME + 1], nip[IKR_NIP_LEN + 1];
    const char *differs = NULL;
    if (ikr_cose_parse(&cs, cose, n) || ikr_record_decode(&c, cs.payload, cs.payload_len))
        return ikr_err_at(e, IKR_E_RCPT_CLAIMS, (int64_t)r->seq, 0);
    ikr_receipt_cut_name(name, c.who.name);
    ikr_receipt_mask_nip(nip, c.who.nip);
    if (strcmp(r->ev, c.ev) != 0)
        differs = "ev";
    else if (r->seq != c.seq)
        differs = "seq";
    else if (r->t != c.t)
        differs = "t";
    else if (strcmp(r->name, name) != 0)
        differs = "name";
    else if (strcmp(r->nip, nip) != 0)
        differs = "nip";
    if (!differs)
        return IKR_OK;
    if (ikr_err_at(e, IKR_E_RCPT_MISMATCH, (int64_t)r->seq, 0) == IKR_E_RCPT_MISMATCH && e)
        snprintf(e->detail, sizeof e->detail, "%s", differs);
    return IKR_E_RCPT_MISMATCH;
}
