/*
 * record.h: the claims of a record and of a receipt (docs/formats.md §2 and §6),
 * as C structs and as deterministic CBOR maps with text keys.
 */
#ifndef IKRAR_RECORD_H
#define IKRAR_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cbor.h"
#include "hash.h"
#include "limits.h"

enum ikr_status { IKR_STATUS_PNS = 0, IKR_STATUS_PPPK = 1, IKR_STATUS_NON_ASN = 2 };

/* "PNS", "PPPK" or "NON-ASN"; NULL for anything else. */
const char *ikr_status_name(int status);
/* Parses a status word (case-insensitive, "NONASN" and "NON_ASN" too); -1 if unknown. */
int ikr_status_parse(const char *s);

/* Who signs, as entered (after normalisation). Empty strings mean absent. */
typedef struct ikr_signer {
    char name[IKR_MAX_NAME + 1];
    int status;
    char nip[IKR_NIP_LEN + 1];
    char pos[IKR_MAX_POS + 1];
    char unit[IKR_MAX_UNIT + 1];
} ikr_signer;

typedef struct ikr_claims {
    uint64_t v;
    char ev[IKR_MAX_EVENT_ID + 1];
    uint64_t seq;
    uint64_t t;
    ikr_signer who;
    uint8_t decl[IKR_HASH_LEN];
    uint8_t inkh[IKR_HASH_LEN];
} ikr_claims;

/* Appends the record claims map of c to out. */
int ikr_record_encode(ikr_buf *out, const ikr_claims *c);
/*
 * Parses a record claims map from untrusted bytes into c.  Returns 0, or
 * IKR_DEC_MALFORMED (a required key missing, a wrong type or size),
 * IKR_DEC_ENCODING (not the deterministic CBOR ikrar writes: see
 * ikr_cbor_canonical) or IKR_DEC_LIMIT (a value no writer produces: v not 1,
 * ev not an event id, seq 0, t after IKR_MAX_TIME, name empty or over
 * IKR_MAX_NAME bytes, a control character in a text, a status other than the
 * three, a NIP that is not 18 digits, a NIP for NON-ASN or none for PNS and
 * PPPK).  Unknown keys are skipped, their map being canonical.  why (when not
 * NULL) says which check refused.
 */
int ikr_record_decode_why(ikr_claims *c, const uint8_t *p, size_t n, ikr_dec_why *why);
int ikr_record_decode(ikr_claims *c, const uint8_t *p, size_t n);

/* 1 when s[0..n) is valid UTF-8 without C0 or C1 control characters or DEL. */
int ikr_claim_text_ok(const char *s, size_t n);
/* 1 when s[0..n) is exactly IKR_NIP_LEN ASCII digits. */
int ikr_nip_digits_ok(const char *s, size_t n);
/* The checks records and receipts share: v is 1, ev an event id, seq 1..2^63-1, t <= IKR_MAX_TIME.
 */
int ikr_claims_common_ok(uint64_t v, const char *ev, uint64_t seq, uint64_t t, ikr_dec_why *why);
/* Fills why (when not NULL) and returns rc. */
int ikr_dec_fail(ikr_dec_why *why, int rc, const char *part, const char *check);

/* 1 when ev is an event id: 1..64 characters of a-z 0-9 . _ - */
int ikr_event_id_ok(const char *ev);

#endif
