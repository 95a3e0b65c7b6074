/*
 * cose.c: COSE_Sign1 with EdDSA exactly as docs/formats.md §2 writes it.
 *
 * The protected header is always the same 13 bytes but for the kid:
 * a2 01 27 04 48 <kid>, i.e. {1: -8, 4: h'kid'}.  Parsing accepts only that
 * header shape (alg -8, 8-byte kid, no other labels), because a verifier
 * that tolerated other algorithms or extra critical headers would check
 * something other than what was signed.
 */
#include "ikrar/cose.h"

#include <string.h>

#include "ikrar/cbor.h"
#include "ikrar/err.h"
#include "ikrar/limits.h"

/* Appends the Sig_structure ["Signature1", protected, h'', payload]. */
static int sig_structure(ikr_buf *b, const uint8_t *prot, size_t plen, const uint8_t *payload,
                         size_t n)
{
    int rc = ikr_cbor_head(b, IKR_CBOR_ARRAY, 4);
    if (!rc)
        rc = ikr_cbor_text(b, "Signature1");
    if (!rc)
        rc = ikr_cbor_bstr(b, prot, plen);
    if (!rc)
        rc = ikr_cbor_bstr(b, "", 0);
    if (!rc)
        rc = ikr_cbor_bstr(b, payload, n);
    return rc;
}

static int protected_header(ikr_buf *b, const uint8_t kid[IKR_KID_LEN])
{
    ikr_cbor_map m;
    ikr_cbor_map_init(&m);
    ikr_buf *v = ikr_cbor_map_key_int(&m, 1);
    if (v)
        ikr_cbor_int(v, -8);
    v = ikr_cbor_map_key_int(&m, 4);
    if (v)
        ikr_cbor_bstr(v, kid, IKR_KID_LEN);
    return ikr_cbor_map_end(&m, b);
}

int ikr_cose_sign1(ikr_buf *out, const ikr_key *k, const uint8_t *payload, size_t n)
{
    ikr_buf prot, tbs;
    uint8_t sig[IKR_SIG_LEN];
    ikr_buf_init(&prot);
    ikr_buf_init(&tbs);
    int rc = protected_header(&prot, ikr_key_kid(k));
    if (!rc)
        rc = sig_structure(&tbs, prot.p, prot.len, payload, n);
    if (!rc)
        rc = ikr_key_sign(k, sig, tbs.p, tbs.len);
    if (!rc)
        rc = ikr_cbor_head(out, IKR_CBOR_TAG, 18);
    if (!rc)
        rc = ikr_cbor_head(out, IKR_CBOR_ARRAY, 4);
    if (!rc)
        rc = ikr_cbor_bstr(out, prot.p, prot.len);
    if (!rc)
        rc = ikr_cbor_head(out, IKR_CBOR_MAP, 0);
    if (!rc)
        rc = ikr_cbor_bstr(out, payload, n);
    if (!rc)
        rc = ikr_cbor_bstr(out, sig, sizeof sig);
    ikr_buf_free(&prot);
    ikr_buf_free(&tbs);
    return rc;
}

/* Reads the protected header map: exactly {1: -8, 4: bstr(8)}. */
static int parse_protected(ikr_cose *c)
{
    ikr_cbor_rd r;
    uint64_t n;
    int have_alg = 0, have_kid = 0;
    ikr_cbor_rd_init(&r, c->prot, c->prot_len);
    if (ikr_cbor_read_map(&r, &n) != 0 || n != 2)
        return -1;
    for (uint64_t i = 0; i < n; i++) {
        int64_t label;
        if (ikr_cbor_read_int(&r, &label) != 0)
            return -1;
        if (label == 1 && !have_alg) {
            int64_t alg;
            if (ikr_cbor_read_int(&r, &alg) != 0 || alg != -8)
                return -1;
            have_alg = 1;
        } else if (label == 4 && !have_kid) {
            const uint8_t *kid;
            size_t len;
            if (ikr_cbor_read_bstr(&r, &kid, &len) != 0 || len != IKR_KID_LEN)
                return -1;
            memcpy(c->kid, kid, IKR_KID_LEN);
            have_kid = 1;
        } else {
            return -1;
        }
    }
    return have_alg && have_kid && ikr_cbor_done(&r) ? 0 : -1;
}

static int refuse(ikr_cose *c, int rc, const char *part, const char *check)
{
    ikr_dec_why why = {part, check};
    memset(c, 0, sizeof *c);
    c->why = why;
    return rc;
}

/* The bytes ikr_cose_sign1 writes before the protected header's kid: d2 84 4d a2 01 27 04 48. */
static const uint8_t cose_start[] = {0xd2, 0x84, 0x4d, 0xa2, 0x01, 0x27, 0x04, 0x48};

int ikr_cose_parse(ikr_cose *c, const uint8_t *p, size_t n)
{
    ikr_cbor_rd r;
    uint64_t tag, count;
    const uint8_t *sig;
    size_t siglen;
    const char *why;
    int rc;
    memset(c, 0, sizeof *c);
    if (n > IKR_MAX_COSE)
        return refuse(c, IKR_DEC_MALFORMED, "COSE_Sign1", "too long");
    ikr_cbor_rd_init(&r, p, n);
    if (ikr_cbor_read_tag(&r, &tag) != 0 || tag != 18)
        return refuse(c, IKR_DEC_MALFORMED, "COSE_Sign1", "not tag 18");
    if (ikr_cbor_read_array(&r, &count) != 0 || count != 4)
        return refuse(c, IKR_DEC_MALFORMED, "COSE_Sign1", "not an array of 4");
    if (ikr_cbor_read_bstr(&r, &c->prot, &c->prot_len) != 0)
        return refuse(c, IKR_DEC_MALFORMED, "protected header", "not a byte string");
    /* The unprotected header: a map, which must be empty (checked below). */
    int major;
    size_t unprot = r.off;
    if (ikr_cbor_peek(&r, &major) != 0 || major != IKR_CBOR_MAP || ikr_cbor_skip(&r) != 0)
        return refuse(c, IKR_DEC_MALFORMED, "unprotected header", "not a map");
    size_t unprot_len = r.off - unprot;
    if (ikr_cbor_read_bstr(&r, &c->payload, &c->payload_len) != 0)
        return refuse(c, IKR_DEC_MALFORMED, "payload", "not a byte string");
    if (ikr_cbor_read_bstr(&r, &sig, &siglen) != 0 || siglen != IKR_SIG_LEN)
        return refuse(c, IKR_DEC_MALFORMED, "signature", "not 64 bytes");
    if (!ikr_cbor_done(&r))
        return refuse(c, IKR_DEC_MALFORMED, "COSE_Sign1", "bytes after it");
    c->sig = sig;
    if (parse_protected(c) != 0)
        return refuse(c, IKR_DEC_MALFORMED, "protected header", "not {1: -8, 4: kid}");
    /* Well-formed; now exactly as written.  The generic check names the first fault... */
    if ((rc = ikr_cbor_canonical(p, n, &why)))
        return refuse(c, rc, "COSE_Sign1", why);
    if ((rc = ikr_cbor_canonical(c->prot, c->prot_len, &why)))
        return refuse(c, rc, "protected header", why);
    if (c->prot_len != 5 + IKR_KID_LEN || memcmp(c->prot, cose_start + 3, 5) != 0)
        return refuse(c, IKR_DEC_ENCODING, "protected header", "not the bytes ikrar writes");
    if (unprot_len != 1 || p[unprot] != 0xa0)
        return refuse(c, IKR_DEC_ENCODING, "unprotected header", "not the empty map");
    /* ...and the whole is compared with the bytes ikr_cose_sign1 would write. */
    size_t pl = c->payload_len;
    size_t head = pl < 24 ? 1 : pl <= 0xff ? 2 : pl <= 0xffff ? 3 : pl <= 0xffffffffu ? 5 : 9;
    size_t at = sizeof cose_start + IKR_KID_LEN;
    size_t want = at + 1 + head + pl + 2 + IKR_SIG_LEN;
    if (n != want || memcmp(p, cose_start, sizeof cose_start) != 0 || p[at] != 0xa0 ||
        (p[at + 1] >> 5) != IKR_CBOR_BSTR || c->payload != p + at + 1 + head ||
        p[n - IKR_SIG_LEN - 2] != 0x58 || p[n - IKR_SIG_LEN - 1] != IKR_SIG_LEN)
        return refuse(c, IKR_DEC_ENCODING, "COSE_Sign1", "not the bytes ikrar writes");
    return 0;
}

/* Builds the Sig_structure and hands it to check. */
static int verify_common(const ikr_cose *c,
                         int (*check)(void *, const uint8_t *, const uint8_t *, size_t), void *ctx)
{
    ikr_buf tbs;
    ikr_buf_init(&tbs);
    int ok = sig_structure(&tbs, c->prot, c->prot_len, c->payload, c->payload_len) == IKR_OK &&
             check(ctx, c->sig, tbs.p, tbs.len) == 0;
    ikr_buf_free(&tbs);
    return ok ? 0 : -1;
}

static int check_key(void *ctx, const uint8_t *sig, const uint8_t *msg, size_t n)
{
    return ikr_key_verify(ctx, sig, msg, n);
}

static int check_verifier(void *ctx, const uint8_t *sig, const uint8_t *msg, size_t n)
{
    return ikr_verifier_check(ctx, sig, msg, n);
}

int ikr_cose_verify(const ikr_cose *c, const ikr_key *k)
{
    if (memcmp(c->kid, ikr_key_kid(k), IKR_KID_LEN) != 0)
        return -1;
    return verify_common(c, check_key, (void *)k);
}

int ikr_cose_verify_with(const ikr_cose *c, const uint8_t kid[IKR_KID_LEN], ikr_verifier *v)
{
    if (memcmp(c->kid, kid, IKR_KID_LEN) != 0)
        return -1;
    return verify_common(c, check_verifier, v);
}
