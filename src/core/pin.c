/*
 * pin.c: the organiser's admin PIN, kept only as a salted PBKDF2 hash.
 *
 * Stored form, one line: `pbkdf2-sha256$<iterations>$<salt>$<hash>`, where
 * iterations is decimal without leading zeros, salt is the standard padded
 * base64 of 16 random bytes and hash that of the 32-byte PBKDF2-HMAC-SHA256
 * output.  New hashes use IKR_PBKDF2_ITER; verification takes the count
 * from the stored line, so the default can rise without breaking old PINs,
 * but only within ITER_MIN..ITER_MAX: a tampered line can neither weaken the
 * hash to nothing nor make the kiosk spin for hours.
 *
 * Every failure to verify, a corrupt stored line included, is "wrong PIN":
 * nothing is let in by a line we cannot read.  Derived keys are wiped.
 */
#include "ikrar/pin.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ikrar/limits.h"

#define PIN_TAG "pbkdf2-sha256$"
#define SALT_LEN 16
#define HASH_LEN 32
#define SALT_B64 24 /* base64 characters of SALT_LEN bytes */
#define HASH_B64 44 /* base64 characters of HASH_LEN bytes */
#define ITER_MIN 100000UL
#define ITER_MAX 10000000UL

int ikr_pin_ok(const char *pin)
{
    if (!pin)
        return IKR_E_PIN_SHORT;
    size_t n = strlen(pin);
    if (n < IKR_MIN_PIN || n > IKR_MAX_PIN)
        return IKR_E_PIN_SHORT;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return IKR_E_PIN_SHORT;
    return IKR_OK;
}

/* PBKDF2-HMAC-SHA256(pin, salt, iter) into out[HASH_LEN]; 0 or -1. */
static int derive(uint8_t out[HASH_LEN], const char *pin, const uint8_t salt[SALT_LEN],
                  unsigned long iter)
{
    int rc = -1;
    uint64_t it = iter;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_PBKDF2, NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    if (!ctx)
        goto done;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pin, strlen(pin)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, SALT_LEN),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &it),
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_KDF_derive(ctx, out, HASH_LEN, params) == 1)
        rc = 0;
done:
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return rc;
}

/*
 * Decodes exactly n bytes from s[0..slen) into out, accepting only the
 * canonical padded base64 of n bytes (what EVP_EncodeBlock writes), since
 * EVP_DecodeBlock alone passes white space and odd padding.  0 or -1.
 */
static int b64_exact(uint8_t *out, size_t n, const char *s, size_t slen)
{
    uint8_t raw[HASH_LEN + 3];
    char again[HASH_B64 + 1];
    if (n > HASH_LEN || slen != (size_t)(4 * ((n + 2) / 3)))
        return -1;
    for (size_t i = 0; i < slen; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '='))
            return -1;
    }
    if (EVP_DecodeBlock(raw, (const unsigned char *)s, (int)slen) < (int)n)
        return -1;
    EVP_EncodeBlock((unsigned char *)again, raw, (int)n);
    int same = memcmp(again, s, slen) == 0;
    if (same)
        memcpy(out, raw, n);
    OPENSSL_cleanse(raw, sizeof raw);
    return same ? 0 : -1;
}

/*
 * Parses a stored line into its iteration count, salt and hash.  Returns 0,
 * or -1 for anything not in the exact form (trailing newline included).
 */
static int parse_stored(const char *stored, unsigned long *iter, uint8_t salt[SALT_LEN],
                        uint8_t hash[HASH_LEN])
{
    size_t taglen = sizeof PIN_TAG - 1;
    if (strnlen(stored, IKR_PIN_HASH_MAX) >= IKR_PIN_HASH_MAX ||
        strncmp(stored, PIN_TAG, taglen) != 0)
        return -1;
    const char *p = stored + taglen;

    /* iterations: 1..8 digits, no leading zero, within bounds */
    unsigned long it = 0;
    size_t digits = 0;
    while (p[digits] >= '0' && p[digits] <= '9') {
        if (digits == 8)
            return -1;
        it = it * 10 + (unsigned long)(p[digits] - '0');
        digits++;
    }
    if (digits == 0 || p[0] == '0' || p[digits] != '$' || it < ITER_MIN || it > ITER_MAX)
        return -1;
    p += digits + 1;

    const char *dollar = strchr(p, '$');
    if (!dollar || b64_exact(salt, SALT_LEN, p, (size_t)(dollar - p)) != 0)
        return -1;
    p = dollar + 1;
    if (strchr(p, '$') || b64_exact(hash, HASH_LEN, p, strlen(p)) != 0)
        return -1;
    *iter = it;
    return 0;
}

/*
 * Hashes pin (which must pass ikr_pin_ok) with a fresh random salt into the
 * stored form.  Returns 0; IKR_E_PIN_SHORT for an unacceptable pin; or
 * IKR_E_CRYPTO when the random source or the KDF fails.  out is "" on
 * failure.
 */
int ikr_pin_hash(char out[IKR_PIN_HASH_MAX], const char *pin, ikr_err *e)
{
    uint8_t salt[SALT_LEN], hash[HASH_LEN];
    char salt64[SALT_B64 + 1], hash64[HASH_B64 + 1];
    int rc = IKR_OK;

    out[0] = '\0';
    if (ikr_pin_ok(pin) != IKR_OK)
        return ikr_err_set(e, IKR_E_PIN_SHORT, NULL);
    if (RAND_bytes(salt, SALT_LEN) != 1) {
        rc = ikr_err_set(e, IKR_E_CRYPTO, "RAND_bytes");
        goto done;
    }
    if (derive(hash, pin, salt, IKR_PBKDF2_ITER) != 0) {
        rc = ikr_err_set(e, IKR_E_CRYPTO, "PBKDF2");
        goto done;
    }
    EVP_EncodeBlock((unsigned char *)salt64, salt, SALT_LEN);
    EVP_EncodeBlock((unsigned char *)hash64, hash, HASH_LEN);
    int n = snprintf(out, IKR_PIN_HASH_MAX, "%s%lu$%s$%s", PIN_TAG, (unsigned long)IKR_PBKDF2_ITER,
                     salt64, hash64);
    if (n < 0 || n >= IKR_PIN_HASH_MAX) {
        out[0] = '\0';
        rc = ikr_err_set(e, IKR_E_INTERNAL, "pin hash does not fit");
    }
done:
    OPENSSL_cleanse(hash, sizeof hash);
    OPENSSL_cleanse(hash64, sizeof hash64);
    return rc;
}

/*
 * Recomputes the hash of pin with the stored salt and count and compares in
 * constant time.  Returns 0 on a match, IKR_E_PIN_WRONG for anything else:
 * a wrong or malformed pin, a stored line that does not parse, a KDF failure.
 */
int ikr_pin_verify(const char *stored, const char *pin)
{
    uint8_t salt[SALT_LEN], want[HASH_LEN], got[HASH_LEN];
    unsigned long iter = 0;
    int rc = IKR_E_PIN_WRONG;

    /* a pin that could never have been hashed is not worth a second of KDF */
    if (!stored || ikr_pin_ok(pin) != IKR_OK)
        return IKR_E_PIN_WRONG;
    if (parse_stored(stored, &iter, salt, want) != 0)
        goto done;
    if (derive(got, pin, salt, iter) != 0)
        goto done;
    if (CRYPTO_memcmp(got, want, HASH_LEN) == 0)
        rc = IKR_OK;
done:
    OPENSSL_cleanse(got, sizeof got);
    OPENSSL_cleanse(want, sizeof want);
    return rc;
}
