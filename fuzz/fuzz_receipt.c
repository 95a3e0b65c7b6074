/*
 * fuzz_receipt: scanned QR text is the most exposed input ikrar has.  Any
 * bytes go through ikr_receipt_parse; whatever parses must also go through
 * the signature check without harm, its COSE_Sign1 must be exactly what
 * ikrar writes, and its claims within the writer's limits.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/cbor.h"
#include "ikrar/cose.h"
#include "ikrar/receipt.h"
#include "ikrar/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_receipt r;
    ikr_buf cose;
    ikr_err e;
    ikr_vkey key;
    ikr_cose c;
    ikr_buf_init(&cose);
    ikr_err_clear(&e);
    if (ikr_receipt_parse(&r, &cose, (const char *)data, size, &e) == 0) {
        if (strlen(r.name) > IKR_RECEIPT_NAME || strlen(r.nip) > IKR_NIP_LEN ||
            strlen(r.ev) > IKR_MAX_EVENT_ID || r.seq == 0 || r.v != 1 || r.t > IKR_MAX_TIME ||
            !ikr_claim_text_ok(r.name, strlen(r.name)) || !ikr_event_id_ok(r.ev))
            abort();
        if (ikr_cose_parse(&c, cose.p, cose.len) != 0 || cose.p[0] != 0xd2 ||
            ikr_cbor_canonical(cose.p, cose.len, NULL) != 0 ||
            ikr_cbor_canonical(c.payload, c.payload_len, NULL) != 0)
            abort();
        /* A key that matches the kid, so the signature check itself runs. */
        memset(&key, 0, sizeof key);
        memcpy(key.kid, r.kid, sizeof key.kid);
        ikr_err_clear(&e);
        if (ikr_receipt_check(&cose, &key, 1, NULL, &e) == 0)
            abort(); /* nobody has the secret of the all-zero key */
    } else if (e.code == IKR_OK || ((e.code == IKR_E_RCPT_ENCODING || e.code == IKR_E_RCPT_LIMIT) &&
                                    e.detail[0] == '\0')) {
        abort(); /* a refusal must say why */
    }
    ikr_buf_free(&cose);
    return 0;
}
