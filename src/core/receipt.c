/*
 * receipt.c: receipt text (docs/formats.md §6) made and read.
 *
 * Making: claims -> COSE_Sign1 -> zlib -> Base45 -> "IK1:" prefix.
 * Reading runs the same steps backwards over untrusted text, each step
 * bounded before it allocates: the text by what a QR code can hold, the
 * inflated bytes by IKR_MAX_INFLATE, the CBOR by its reader's checks.
 */
#include "ikrar/receipt.h"

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

/* Reads receipt claims from untrusted CBOR. */
static int parse_claims(ikr_receipt *r, const uint8_t *p, size_t n)
{
    ikr_cbor_rd rd;
    uint64_t count;
    enum { V = 1, EV = 2, SEQ = 4, T = 8, NAME = 16, NIP = 32, LEAF = 64, ROOT = 128 };
    unsigned seen = 0;
    ikr_cbor_rd_init(&rd, p, n);
    if (ikr_cbor_read_map(&rd, &count) != 0 || count > 64)
        return -1;
    for (uint64_t i = 0; i < count; i++) {
        const char *k, *s;
        const uint8_t *b;
        size_t kn, sn, bn;
        unsigned bit = 0;
        int rc = 0;
        if (ikr_cbor_read_tstr(&rd, &k, &kn) != 0)
            return -1;
#define KEY(x) (kn == sizeof(x) - 1 && memcmp(k, x, kn) == 0)
        if (KEY("v")) {
            bit = V;
            rc = ikr_cbor_read_uint(&rd, &r->v);
        } else if (KEY("seq")) {
            bit = SEQ;
            rc = ikr_cbor_read_uint(&rd, &r->seq);
        } else if (KEY("t")) {
            bit = T;
            rc = ikr_cbor_read_uint(&rd, &r->t);
        } else if (KEY("ev") || KEY("name") || KEY("nip")) {
            char *dst = KEY("ev") ? r->ev : KEY("name") ? r->name : r->nip;
            size_t max = KEY("ev")     ? IKR_MAX_EVENT_ID
                         : KEY("name") ? IKR_RECEIPT_NAME
                                       : IKR_NIP_LEN;
            bit = KEY("ev") ? EV : KEY("name") ? NAME : NIP;
            rc = ikr_cbor_read_tstr(&rd, &s, &sn);
            if (!rc && (sn == 0 || sn > max || memchr(s, '\0', sn)))
                rc = -1;
            if (!rc) {
                memcpy(dst, s, sn);
                dst[sn] = '\0';
            }
        } else if (KEY("leaf") || KEY("root")) {
            uint8_t *dst = KEY("leaf") ? r->leaf : r->root;
            bit = KEY("leaf") ? LEAF : ROOT;
            rc = ikr_cbor_read_bstr(&rd, &b, &bn);
            if (!rc && bn != IKR_HASH_LEN)
                rc = -1;
            if (!rc)
                memcpy(dst, b, IKR_HASH_LEN);
        } else {
            rc = ikr_cbor_skip(&rd);
        }
#undef KEY
        if (rc != 0 || (seen & bit))
            return -1;
        seen |= bit;
    }
    unsigned need = V | EV | SEQ | T | NAME | LEAF | ROOT;
    if ((seen & need) != need || !ikr_cbor_done(&rd) || r->v != 1 || r->seq == 0)
        return -1;
    return 0;
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
    if (ikr_cose_parse(&c, inflated.p, inflated.len) != 0) {
        rc = ikr_err_set(e, IKR_E_RCPT_COSE, NULL);
        goto out;
    }
    if (parse_claims(r, c.payload, c.payload_len) != 0) {
        rc = ikr_err_set(e, IKR_E_RCPT_CLAIMS, NULL);
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
    if (ikr_cose_parse(&c, cose->p, cose->len) != 0)
        return ikr_err_set(e, IKR_E_RCPT_COSE, NULL);
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
