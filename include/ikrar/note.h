/*
 * note.h: C2SP signed notes, verifier keys and tlog checkpoints.
 *
 * A verifier key is `<name>+<hash8>+<base64(0x01 || pub)>`, the key hash the
 * first 4 bytes of SHA-256(name || 0x0A || 0x01 || pub).  A signed note is
 * text ending in a newline, an empty line, then lines `— <name> <base64(hash
 * || sig)>`.  A checkpoint's text is origin, tree size and base64 root, a
 * line each.  Parsers here take untrusted text and are bounded.
 */
#ifndef IKRAR_NOTE_H
#define IKRAR_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hash.h"
#include "key.h"
#include "limits.h"

typedef struct ikr_vkey {
    char name[IKR_MAX_ORIGIN + 1];
    uint8_t hash[4];
    uint8_t pub[IKR_PUB_LEN];
    uint8_t kid[IKR_KID_LEN];
} ikr_vkey;

/* 1 when name is a valid key name / origin: 1..IKR_MAX_ORIGIN bytes of printable ASCII without
 * space or '+'. */
int ikr_note_name_ok(const char *name);
void ikr_note_keyhash(uint8_t out[4], const char *name, const uint8_t pub[IKR_PUB_LEN]);
/* Appends the one-line verifier key (no newline) to out. */
int ikr_vkey_format(ikr_buf *out, const char *name, const uint8_t pub[IKR_PUB_LEN]);
/* Parses one verifier-key line (no newline); 0, or -1 when malformed or its hash is wrong. */
int ikr_vkey_parse(ikr_vkey *out, const char *line, size_t n);

/*
 * Appends the signed note of text (which must end in '\n') to out, signed by
 * k under name.
 */
int ikr_note_sign(ikr_buf *out, const char *text, size_t n, const char *name, const ikr_key *k);
/*
 * Opens a signed note: 0 when a signature line names one of keys and
 * verifies; *text_len then is the length of the signed text.  -1 otherwise.
 */
int ikr_note_open(const char *note, size_t n, const ikr_vkey *keys, size_t nkeys, size_t *text_len);

/* Appends a checkpoint's body: origin, size and root, a line each. */
int ikr_checkpoint_body(ikr_buf *out, const char *origin, uint64_t size,
                        const uint8_t root[IKR_HASH_LEN]);
/*
 * Parses a checkpoint body's first three lines: an origin, a decimal size
 * without leading zeros, the standard base64 (with padding) of a 32-byte
 * root; 0 or -1.
 */
int ikr_checkpoint_parse(const char *text, size_t n, char origin[IKR_MAX_ORIGIN + 1],
                         uint64_t *size, uint8_t root[IKR_HASH_LEN]);
/*
 * Opens a checkpoint note from outside exactly as ikrar writes one: signed by
 * key (ikr_note_open), a body of exactly the three lines above (no extension
 * lines), an empty line and exactly one signature line, key's, in standard
 * base64.  0, or -1 with *why naming the check that refused ("signature" when
 * no good signature by key is there).
 */
int ikr_checkpoint_open(const char *note, size_t n, const ikr_vkey *key,
                        char origin[IKR_MAX_ORIGIN + 1], uint64_t *size, uint8_t root[IKR_HASH_LEN],
                        const char **why);

/*
 * Witness cosignatures (C2SP tlog-cosignature, cosignature/v1, Ed25519).  A
 * witness's verifier key is a vkey line whose key bytes start 0x04, not 0x01,
 * and its key hash is SHA-256(name || 0x0A || 0x04 || pub)[:4].  A
 * cosignature is one more signature line, "— <name> base64(key hash ||
 * 8-byte big-endian time || signature)", the signature over
 * "cosignature/v1\n", "time <decimal>\n" and the note's body.
 */
int ikr_witness_vkey_format(ikr_buf *out, const char *name, const uint8_t pub[IKR_PUB_LEN]);
/* Parses a witness's verifier-key line (type 0x04); 0, or -1 as ikr_vkey_parse. */
int ikr_witness_vkey_parse(ikr_vkey *out, const char *line, size_t n);
/*
 * Appends to out the signed note note[0..n) (a body, an empty line and
 * signature lines) with k's cosignature under name at time (Unix seconds, at
 * most 2^63 - 1) added after its signature lines.  IKR_E_INTERNAL when the
 * note is not shaped so, or the result would pass IKR_MAX_NOTE.  The note's
 * own signatures are not checked here.
 */
int ikr_cosig_sign(ikr_buf *out, const char *note, size_t n, const char *name, const ikr_key *k,
                   uint64_t time);
/*
 * 0 when one of the note's signature lines is witness's good cosignature of
 * its body (*time then is its time); -1 otherwise.  The note's other
 * signatures are not checked here (ikr_note_open does).  Bounded by
 * IKR_MAX_NOTE: the note comes from outside.
 */
int ikr_cosig_open(const char *note, size_t n, const ikr_vkey *witness, uint64_t *time);

#endif
