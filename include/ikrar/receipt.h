/*
 * receipt.h: the receipt a signer takes away (docs/formats.md §6): `IK1:` and the
 * Base45 of the zlib stream of a COSE_Sign1 over the receipt claims.
 *
 * Reading a receipt is split in two so the untrusted part can be fuzzed on
 * its own: ikr_receipt_parse takes text and yields claims, kid and the COSE
 * bytes without any key; ikr_receipt_check then verifies with trusted keys.
 */
#ifndef IKRAR_RECEIPT_H
#define IKRAR_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "hash.h"
#include "key.h"
#include "limits.h"
#include "note.h"

#define IKR_RECEIPT_PREFIX "IK1:"

typedef struct ikr_receipt {
    uint64_t v;
    char ev[IKR_MAX_EVENT_ID + 1];
    uint64_t seq;
    uint64_t t;
    char name[IKR_RECEIPT_NAME + 1];
    char nip[IKR_NIP_LEN + 1]; /* masked; empty for NON-ASN */
    uint8_t leaf[IKR_HASH_LEN];
    uint8_t root[IKR_HASH_LEN];
    uint8_t kid[IKR_KID_LEN]; /* from the COSE header, on parse */
} ikr_receipt;

/* Copies name cut to at most IKR_RECEIPT_NAME bytes at a UTF-8 character boundary. */
void ikr_receipt_cut_name(char out[IKR_RECEIPT_NAME + 1], const char *name);
/* Copies nip with all but its last 4 digits replaced by '*' (empty stays empty). */
void ikr_receipt_mask_nip(char out[IKR_NIP_LEN + 1], const char *nip);

/* Appends the receipt claims map to out. */
int ikr_receipt_encode_claims(ikr_buf *out, const ikr_receipt *r);
/*
 * Builds the receipt text of r signed by k into out (NUL-terminated; the
 * text is out->len - 1 bytes).
 */
int ikr_receipt_make(ikr_buf *out, const ikr_key *k, const ikr_receipt *r);

/*
 * Parses untrusted receipt text: prefix, Base45, inflate (at most
 * IKR_MAX_INFLATE bytes), COSE_Sign1 and claims.  On success r holds the
 * claims and kid, and cose (when not NULL) the COSE_Sign1 bytes for
 * ikr_receipt_check.  Returns 0 or an IKR_E_RCPT_* code (also set on e).
 */
int ikr_receipt_parse(ikr_receipt *r, ikr_buf *cose, const char *text, size_t n, ikr_err *e);

/*
 * Verifies the COSE bytes that parse gave under the key among keys whose kid
 * matches; *which is its index.  Returns 0, IKR_E_RCPT_KID or IKR_E_RCPT_SIG.
 */
int ikr_receipt_check(const ikr_buf *cose, const ikr_vkey *keys, size_t nkeys, size_t *which,
                      ikr_err *e);

/*
 * Compares a checked receipt with the record it names (the record's exact COSE_Sign1 bytes,
 * whose leaf hash the caller has matched): event, seq, time, the name cut as a receipt cuts it
 * and the NIP masked as a receipt masks it.  Returns 0, or IKR_E_RCPT_MISMATCH (detail: the
 * first claim that differs), or IKR_E_RCPT_CLAIMS when the record cannot be decoded.
 */
int ikr_receipt_matches_record(const ikr_receipt *r, const uint8_t *cose, size_t n, ikr_err *e);

#endif
