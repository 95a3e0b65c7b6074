/*
 * hash.c: SHA-256 and hex.
 *
 * The leaf and node hashes are the inner loop of every append and audit, so
 * this uses OpenSSL's direct SHA-256 functions: in OpenSSL 3 they are marked
 * deprecated, but the EVP path fetches the algorithm on every init, which
 * costs more than hashing a 65-byte node.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "ikrar/hash.h"

#include <openssl/sha.h>
#include <string.h>

void ikr_sha256(uint8_t out[IKR_HASH_LEN], const void *p, size_t n)
{
    SHA256(p, n, out);
}

void ikr_sha256_2(uint8_t out[IKR_HASH_LEN], const void *a, size_t na, const void *b, size_t nb)
{
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, a, na);
    SHA256_Update(&c, b, nb);
    SHA256_Final(out, &c);
}

void ikr_hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ikr_unhex(uint8_t *out, size_t n, const char *hex)
{
    if (strlen(hex) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
