/*
 * fuzz_trust: an event trust list comes from a file an organiser or an
 * auditor is handed, and is installed on kiosks.  The input is parsed as a
 * signed list, and its text alone by the grammar (the fuzzer cannot forge
 * the signature, so the grammar's acceptance is checked there): whatever
 * the grammar accepts must be exactly what ikrar writes for that list (one
 * list, one text), with its kiosks of the list's event, in strict order.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/trust.h"

static ikr_trust t;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_err e;
    size_t text_len = 0;
    ikr_err_clear(&e);
    if (ikr_trust_parse(&t, (const char *)data, size, &e) != 0 && e.code != IKR_E_TRUST_LIST)
        abort();
    ikr_err_clear(&e);
    if (ikr_trust_parse_text(&t, (const char *)data, size, &text_len, &e) != 0) {
        if (e.code != IKR_E_TRUST_LIST)
            abort();
        return 0;
    }
    ikr_buf body;
    ikr_buf_init(&body);
    if (ikr_trust_body(&body, &t) != 0 || body.len != text_len || text_len >= size ||
        memcmp(body.p, data, body.len) != 0 || data[text_len] != '\n')
        abort();
    ikr_buf_free(&body);
    if (t.n > IKR_TRUST_MAX_KIOSKS || t.serial == 0)
        abort();
    for (size_t i = 1; i < t.n; i++)
        if (strcmp(t.k[i - 1].key.name, t.k[i].key.name) >= 0)
            abort();
    for (size_t i = 0; i < t.n; i++) {
        ikr_err c;
        ikr_err_clear(&c);
        int rc = ikr_trust_check(&t, &t.k[i].key, 0, &c);
        if (t.k[i].revoked ? (rc != IKR_OK) != (t.k[i].revoked_from == 0) : rc != IKR_OK)
            abort();
    }
    return 0;
}
