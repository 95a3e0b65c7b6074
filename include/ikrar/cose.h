/*
 * cose.h: COSE_Sign1 (RFC 9052) with EdDSA, as docs/formats.md §2 fixes it:
 * tag 18, protected header {1: -8, 4: kid}, empty unprotected map, the
 * payload, a 64-byte signature over ["Signature1", protected, h'', payload].
 */
#ifndef IKRAR_COSE_H
#define IKRAR_COSE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cbor.h"
#include "key.h"

/* Appends the tagged COSE_Sign1 of payload, signed by k, to out. */
int ikr_cose_sign1(ikr_buf *out, const ikr_key *k, const uint8_t *payload, size_t n);

/* A parsed COSE_Sign1; its pointers point into the parsed bytes. */
typedef struct ikr_cose {
    const uint8_t *prot;
    size_t prot_len;
    const uint8_t *payload;
    size_t payload_len;
    const uint8_t *sig;
    uint8_t kid[IKR_KID_LEN];
    ikr_dec_why why; /* on a refusal: where and which check */
} ikr_cose;

/*
 * Parses untrusted bytes.  Returns 0; IKR_DEC_MALFORMED (-1) when they are
 * not a tagged COSE_Sign1 with alg -8, an 8-byte kid and a 64-byte signature,
 * exactly filling n bytes; IKR_DEC_ENCODING when they are, but not byte for
 * byte as ikrar writes one: the one-byte tag d2, shortest heads, the
 * protected header exactly {1: -8, 4: kid} as ikr_cose_sign1 encodes it, the
 * unprotected header exactly the empty map a0.  c->why then says which check
 * refused.  The payload is not looked into (the claims decoders check it).
 */
int ikr_cose_parse(ikr_cose *c, const uint8_t *p, size_t n);
/* Returns 0 when c's signature verifies under k, -1 otherwise. */
int ikr_cose_verify(const ikr_cose *c, const ikr_key *k);
/* The same with a reusable verifier for k (see key.h); kid is k's kid. */
int ikr_cose_verify_with(const ikr_cose *c, const uint8_t kid[IKR_KID_LEN], ikr_verifier *v);

#endif
