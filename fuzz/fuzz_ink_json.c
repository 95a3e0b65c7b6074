/*
 * fuzz_ink_json.c: the ink's JSON reader on untrusted bytes.
 *
 * Any input must be refused or accepted without a crash, leak or undefined
 * behaviour.  An accepted ink must survive both of its other forms: the
 * deterministic CBOR decodes to the same ink, and the JSON ikrar writes
 * parses to the same ink and is written again byte for byte.  A mismatch
 * aborts, so the fuzzer reports it as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/ink.h"

static int same_ink(const ikr_ink *a, const ikr_ink *b)
{
    if (a->w != b->w || a->h != b->h || a->nstrokes != b->nstrokes || a->npoints != b->npoints)
        return 0;
    for (size_t i = 0; i < a->nstrokes; i++)
        if (a->stroke_end[i] != b->stroke_end[i])
            return 0;
    return memcmp(a->xyt, b->xyt, 3 * a->npoints * sizeof *a->xyt) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_ink ink, back, again;
    ikr_buf cbor, json, json2;
    ikr_buf_init(&cbor);
    ikr_buf_init(&json);
    ikr_buf_init(&json2);
    ikr_ink_init(&back);
    ikr_ink_init(&again);

    int rc = ikr_ink_parse_json(&ink, (const char *)data, size);
    if (rc != IKR_OK) {
        /* A refusal leaves nothing behind and is a code of the ink's own. */
        if (ink.xyt || ink.stroke_end || ink.npoints || ink.nstrokes)
            abort();
        if (rc != IKR_E_NOMEM && (rc < IKR_E_INK_SYNTAX || rc > IKR_E_INK_TIME))
            abort();
        return 0;
    }
    if (ikr_ink_check(&ink) != IKR_OK)
        abort();

    if (ikr_ink_encode(&cbor, &ink) != IKR_OK)
        abort();
    if (ikr_ink_decode(&back, cbor.p, cbor.len) != IKR_OK || !same_ink(&ink, &back))
        abort();

    if (ikr_ink_to_json(&json, &ink) != IKR_OK)
        abort();
    if (ikr_ink_parse_json(&again, (const char *)json.p, json.len) != IKR_OK ||
        !same_ink(&ink, &again))
        abort();
    if (ikr_ink_to_json(&json2, &again) != IKR_OK || json2.len != json.len ||
        memcmp(json.p, json2.p, json.len) != 0)
        abort();

    ikr_buf_free(&cbor);
    ikr_buf_free(&json);
    ikr_buf_free(&json2);
    ikr_ink_free(&ink);
    ikr_ink_free(&back);
    ikr_ink_free(&again);
    return 0;
}
