/*
 * fuzz_record: COSE_Sign1 records and their claims are read back from
 * databases and bundles an auditor did not make.  Whatever parses must be
 * exactly the bytes ikrar writes: the COSE_Sign1 rebuilt from its kid,
 * payload and signature is the input, and the claims re-encode to the
 * payload byte for byte (unless they hold keys a later version may add);
 * their values are within the writer's limits.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/cbor.h"
#include "ikrar/cose.h"
#include "ikrar/record.h"

/* The COSE_Sign1 ikr_cose_sign1 writes for c, built here independently of cose.c. */
static int rebuild(ikr_buf *out, const ikr_cose *c)
{
    static const uint8_t start[] = {0xd2, 0x84, 0x4d, 0xa2, 0x01, 0x27, 0x04, 0x48};
    return ikr_buf_add(out, start, sizeof start) || ikr_buf_add(out, c->kid, IKR_KID_LEN) ||
           ikr_cbor_head(out, IKR_CBOR_MAP, 0) || ikr_cbor_bstr(out, c->payload, c->payload_len) ||
           ikr_cbor_bstr(out, c->sig, IKR_SIG_LEN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_cose c;
    ikr_claims a, b;
    ikr_dec_why why;
    const uint8_t *payload = data;
    size_t n = size;
    ikr_buf out;
    ikr_buf_init(&out);
    int rc = ikr_cose_parse(&c, data, size);
    if (rc == 0) {
        if (rebuild(&out, &c) || out.len != size || memcmp(out.p, data, size) != 0)
            abort(); /* accepted, yet not the bytes ikrar writes */
        payload = c.payload;
        n = c.payload_len;
    } else if (!c.why.part || !c.why.check || (rc != IKR_DEC_MALFORMED && rc != IKR_DEC_ENCODING)) {
        abort(); /* a refusal must say where and why */
    }
    ikr_buf_reset(&out);
    rc = ikr_record_decode_why(&a, payload, n, &why);
    if (rc != 0) {
        if (!why.part || !why.check || rc < IKR_DEC_LIMIT || rc > IKR_DEC_MALFORMED)
            abort();
        ikr_buf_free(&out);
        return 0;
    }
    if (ikr_cbor_canonical(payload, n, NULL) != 0 || a.v != 1 || a.seq == 0 || a.t > IKR_MAX_TIME ||
        !ikr_event_id_ok(a.ev) || !ikr_claim_text_ok(a.who.name, strlen(a.who.name)) ||
        (a.who.nip[0] && !ikr_nip_digits_ok(a.who.nip, strlen(a.who.nip))))
        abort();
    if (ikr_record_encode(&out, &a) != 0 || ikr_record_decode(&b, out.p, out.len) != 0 ||
        memcmp(&a, &b, sizeof a) != 0)
        abort();
    /* The same bytes, unless the input's map holds more keys than ikrar's (a later version's). */
    if (out.len != n || memcmp(out.p, payload, n) != 0) {
        ikr_cbor_rd r1, r2;
        uint64_t k1 = 0, k2 = 0;
        ikr_cbor_rd_init(&r1, payload, n);
        ikr_cbor_rd_init(&r2, out.p, out.len);
        if (ikr_cbor_read_map(&r1, &k1) || ikr_cbor_read_map(&r2, &k2) || k1 <= k2)
            abort();
    }
    ikr_buf_free(&out);
    return 0;
}
