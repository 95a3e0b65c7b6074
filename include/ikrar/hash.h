/*
 * hash.h: SHA-256 and the hex form of bytes.
 */
#ifndef IKRAR_HASH_H
#define IKRAR_HASH_H

#include <stddef.h>
#include <stdint.h>

#define IKR_HASH_LEN 32

/* out = SHA-256(p[0..n)). */
void ikr_sha256(uint8_t out[IKR_HASH_LEN], const void *p, size_t n);
/* out = SHA-256(a || b). */
void ikr_sha256_2(uint8_t out[IKR_HASH_LEN], const void *a, size_t na, const void *b, size_t nb);
/* Writes 2n lowercase hex digits and a NUL to out (2n+1 bytes). */
void ikr_hex(char *out, const uint8_t *p, size_t n);
/* Reads exactly n bytes from 2n hex digits; returns 0 or -1. */
int ikr_unhex(uint8_t *out, size_t n, const char *hex);

#endif
