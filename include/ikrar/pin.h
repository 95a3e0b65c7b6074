/*
 * pin.h: the organiser's admin PIN, kept only as a salted slow hash:
 * PBKDF2-HMAC-SHA256 (OpenSSL EVP_KDF), IKR_PBKDF2_ITER iterations, 16-byte
 * random salt.  The stored form is one line of text:
 * `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
 */
#ifndef IKRAR_PIN_H
#define IKRAR_PIN_H

#include <stddef.h>

#include "err.h"

#define IKR_PIN_HASH_MAX 160

/* 0 when pin is acceptable: IKR_MIN_PIN..IKR_MAX_PIN digits (IKR_E_PIN_SHORT otherwise). */
int ikr_pin_ok(const char *pin);
/* Hashes pin into out (NUL-terminated, at most IKR_PIN_HASH_MAX bytes). */
int ikr_pin_hash(char out[IKR_PIN_HASH_MAX], const char *pin, ikr_err *e);
/* 0 when pin matches stored (compared in constant time), IKR_E_PIN_WRONG otherwise. */
int ikr_pin_verify(const char *stored, const char *pin);

#endif
