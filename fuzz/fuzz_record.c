/*
 * fuzz_record: COSE_Sign1 records and their claims are read back from
 * databases and bundles an auditor did not make.  Whatever parses must
 * re-encode to claims that parse to the same values.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/cose.h"
#include "ikrar/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_cose c;
    ikr_claims a, b;
    const uint8_t *payload = data;
    size_t n = size;
    if (ikr_cose_parse(&c, data, size) == 0) {
        payload = c.payload;
        n = c.payload_len;
    }
    if (ikr_record_decode(&a, payload, n) != 0)
        return 0;
    ikr_buf out;
    ikr_buf_init(&out);
    if (ikr_record_encode(&out, &a) != 0 || ikr_record_decode(&b, out.p, out.len) != 0 ||
        memcmp(&a, &b, sizeof a) != 0)
        abort();
    ikr_buf_free(&out);
    return 0;
}
