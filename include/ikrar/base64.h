/*
 * base64.h: standard base64 (RFC 4648 §4) with padding, strict on input.
 */
#ifndef IKRAR_BASE64_H
#define IKRAR_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Characters ikr_base64_encode writes for n bytes, without the NUL. */
#define IKR_BASE64_LEN(n) ((((n) + 2) / 3) * 4)

/* Writes the base64 of p[0..n) and a NUL to out (IKR_BASE64_LEN(n)+1 bytes). */
void ikr_base64_encode(char *out, const uint8_t *p, size_t n);

/*
 * Decodes s[0..slen) into out (room for cap bytes).  Returns the number of
 * bytes written, or -1 for anything that is not canonical padded base64
 * (wrong characters, wrong padding, non-zero pad bits) or does not fit.
 */
long ikr_base64_decode(uint8_t *out, size_t cap, const char *s, size_t slen);

#endif
