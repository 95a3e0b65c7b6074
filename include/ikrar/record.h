/*
 * record.h: the claims of a record and of a receipt (docs/formats.md §2 and §6),
 * as C structs and as deterministic CBOR maps with text keys.
 */
#ifndef IKRAR_RECORD_H
#define IKRAR_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
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
 * Parses a record claims map from untrusted bytes into c: 0, or -1 when a
 * required key is missing, has the wrong type or size, or a key repeats.
 * Unknown keys are skipped.
 */
int ikr_record_decode(ikr_claims *c, const uint8_t *p, size_t n);

/* 1 when ev is an event id: 1..64 characters of a-z 0-9 . _ - */
int ikr_event_id_ok(const char *ev);

#endif
