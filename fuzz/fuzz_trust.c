/*
 * fuzz_trust: an event trust list comes from a file an organiser or an
 * auditor is handed, and is installed on kiosks.  The input is parsed as a
 * signed list; when it parses, its body must be exactly what ikrar would
 * write for that list (one list, one text), every kiosk must be of the
 * list's event, and the kiosks must be in strict order.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ikr_trust t;
    ikr_err e;
    ikr_err_clear(&e);
    if (ikr_trust_parse(&t, (const char *)data, size, &e) != 0) {
        if (e.code != IKR_E_TRUST_LIST)
            abort();
        return 0;
    }
    ikr_buf body;
    ikr_buf_init(&body);
    if (ikr_trust_body(&body, &t) != 0 || body.len >= size || memcmp(body.p, data, body.len) != 0 ||
        data[body.len] != '\n')
        abort();
    ikr_buf_free(&body);
    if (t.n > IKR_TRUST_MAX_KIOSKS || t.serial == 0)
        abort();
    for (size_t i = 1; i < t.n; i++)
        if (strcmp(t.k[i - 1].key.name, t.k[i].key.name) >= 0)
            abort();
    for (size_t i = 0; i < t.n; i++)
        if (ikr_trust_check(&t, &t.k[i].key, 0, NULL) != IKR_OK && !t.k[i].revoked)
            abort();
    return 0;
}
