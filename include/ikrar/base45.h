/*
 * base45.h: Base45 of RFC 9285.  Decoding takes untrusted text (a scanned QR
 * code) and is bounded by the caller's buffer.
 */
#ifndef IKRAR_BASE45_H
#define IKRAR_BASE45_H

#include <stddef.h>
#include <stdint.h>

/* Characters of the Base45 of n bytes. */
#define IKR_BASE45_LEN(n) (((n) / 2) * 3 + ((n) % 2) * 2)

/* Writes the Base45 of p[0..n) and a NUL to out (IKR_BASE45_LEN(n)+1 bytes). */
void ikr_base45_encode(char *out, const uint8_t *p, size_t n);

/*
 * Decodes s[0..slen) into out (room for cap bytes).  Returns the number of
 * bytes, or -1 when s is not Base45 (a character outside the alphabet, a
 * length of 1 mod 3, a group above its range) or out is too small.
 */
long ikr_base45_decode(uint8_t *out, size_t cap, const char *s, size_t slen);

#endif
