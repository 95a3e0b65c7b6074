/*
 * key.h: the kiosk's Ed25519 key (RFC 8032) through OpenSSL.
 *
 * The private key lives in one file, written 0600 as PKCS#8 PEM (encrypted
 * with a passphrase when one is given) and never leaves it: nothing here
 * returns or prints the private bytes.  A key made from a public key alone
 * can only verify.
 */
#ifndef IKRAR_KEY_H
#define IKRAR_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IKR_PUB_LEN 32
#define IKR_SIG_LEN 64
#define IKR_KID_LEN 8

typedef struct ikr_key ikr_key;

/* New random key; caller frees with ikr_key_free. */
int ikr_key_generate(ikr_key **out, ikr_err *e);
/* Key from a 32-byte RFC 8032 secret (tests and known answers). */
int ikr_key_from_seed(ikr_key **out, const uint8_t seed[32]);
/* Verify-only key from a raw public key. */
int ikr_key_from_public(ikr_key **out, const uint8_t pub[IKR_PUB_LEN]);

/*
 * Writes the private key to path, created new (O_EXCL) with mode 0600 and
 * synced.  pass may be NULL (plain PKCS#8) or a passphrase (encrypted PKCS#8,
 * AES-256-CBC under PBKDF2).
 */
int ikr_key_save(const ikr_key *k, const char *path, const char *pass, ikr_err *e);
/*
 * Reads a private key file written by ikr_key_save.  Only a regular file is
 * read, never through a symbolic link nor waiting on a FIFO (IKR_E_KEY_FILE);
 * a key writable by group or others is refused (IKR_E_KEY_PERMS), one they
 * may read is used with a "warning" line in the operational log.
 */
int ikr_key_load(ikr_key **out, const char *path, const char *pass, ikr_err *e);

int ikr_key_can_sign(const ikr_key *k);
/* sig = Ed25519(msg). */
int ikr_key_sign(const ikr_key *k, uint8_t sig[IKR_SIG_LEN], const uint8_t *msg, size_t n);
/* Returns 0 when sig is k's signature of msg, -1 otherwise. */
int ikr_key_verify(const ikr_key *k, const uint8_t sig[IKR_SIG_LEN], const uint8_t *msg, size_t n);

/*
 * A verifier for many checks under one key on one thread (the audit): it
 * keeps its OpenSSL context from one check to the next instead of setting
 * one up for every signature.  Caller frees with ikr_verifier_free.
 */
typedef struct ikr_verifier ikr_verifier;
int ikr_verifier_new(ikr_verifier **out, const ikr_key *k);
/* Returns 0 when sig is the key's signature of msg, -1 otherwise. */
int ikr_verifier_check(ikr_verifier *v, const uint8_t sig[IKR_SIG_LEN], const uint8_t *msg,
                       size_t n);
/* Accepts NULL. */
void ikr_verifier_free(ikr_verifier *v);

const uint8_t *ikr_key_public(const ikr_key *k);
/* kid: the first 8 bytes of SHA-256 of the raw public key. */
const uint8_t *ikr_key_kid(const ikr_key *k);
void ikr_key_kid_of(uint8_t kid[IKR_KID_LEN], const uint8_t pub[IKR_PUB_LEN]);

/* Accepts NULL. */
void ikr_key_free(ikr_key *k);

#endif
