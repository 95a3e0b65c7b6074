/*
 * test_pin.c: the admin PIN hash.  Right and wrong PINs, fresh salts, the
 * exact stored form, and stored lines tampered with in every field (each
 * must be refused, never crash or run an absurd number of iterations).
 * Only three full-strength hashes are made: each costs ~0.3 s, more under
 * sanitizers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ikrar/limits.h"
#include "ikrar/pin.h"

/* 1 when s has the stored form: tag, count, 24 + 44 base64 characters. */
static int looks_stored(const char *s)
{
    char iter[16], salt[64], hash[64];
    char tail;
    if (sscanf(s, "pbkdf2-sha256$%15[0-9]$%63[A-Za-z0-9+/=]$%63[A-Za-z0-9+/=]%c", iter, salt, hash,
               &tail) != 3)
        return 0;
    return strtol(iter, NULL, 10) == IKR_PBKDF2_ITER && strlen(salt) == 24 && strlen(hash) == 44;
}

/* Writes stored with its part-th '$'-field (0-based) replaced by repl. */
static void with_field(char *out, size_t n, const char *stored, int part, const char *repl)
{
    const char *p = stored;
    size_t o = 0;
    for (int i = 0; *p && o + 1 < n; i++) {
        const char *end = strchr(p, '$');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *src = i == part ? repl : p;
        size_t slen = i == part ? strlen(repl) : len;
        o += (size_t)snprintf(out + o, n - o, "%s%.*s", i ? "$" : "", (int)slen, src);
        if (!end)
            break;
        p = end + 1;
    }
}

static void test_pin_ok(void)
{
    check("6 digits ok", ikr_pin_ok("123456") == IKR_OK);
    check("5 digits short", ikr_pin_ok("12345") == IKR_E_PIN_SHORT);
    check("empty short", ikr_pin_ok("") == IKR_E_PIN_SHORT);
    check("NULL refused", ikr_pin_ok(NULL) == IKR_E_PIN_SHORT);
    check("letters refused", ikr_pin_ok("12345a") == IKR_E_PIN_SHORT);
    check("space refused", ikr_pin_ok("123 456") == IKR_E_PIN_SHORT);
    check("sign refused", ikr_pin_ok("-123456") == IKR_E_PIN_SHORT);
    check("non-ASCII digit refused", ikr_pin_ok("123456\xd9\xa1") == IKR_E_PIN_SHORT);

    char pin[IKR_MAX_PIN + 2];
    memset(pin, '7', IKR_MAX_PIN);
    pin[IKR_MAX_PIN] = '\0';
    check("64 digits ok", ikr_pin_ok(pin) == IKR_OK);
    pin[IKR_MAX_PIN] = '7';
    pin[IKR_MAX_PIN + 1] = '\0';
    check("65 digits refused", ikr_pin_ok(pin) == IKR_E_PIN_SHORT);
}

static void test_tampered(const char *stored)
{
    char bad[512];
    static const char *const iters[] = {
        "0",       "1",       "99999",   "10000001", "999999999999999999999",
        "0600000", "-600000", "+600000", "600000 ",  "",
        "6e5",     "600000x",
    };
    for (size_t i = 0; i < sizeof iters / sizeof iters[0]; i++) {
        with_field(bad, sizeof bad, stored, 1, iters[i]);
        char desc[96];
        snprintf(desc, sizeof desc, "iteration count \"%s\" refused", iters[i]);
        check(desc, ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    }

    /* bad base64: wrong characters, wrong length, missing padding, non-canonical pad bits */
    with_field(bad, sizeof bad, stored, 2, "!!!!!!!!!!!!!!!!!!!!!!==");
    check("salt with bad characters refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 2, "AAAA");
    check("short salt refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 2, "AAAAAAAAAAAAAAAAAAAAAA");
    check("salt without padding refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 2, "AAAAAAAAAAAAAAAAAAAAAB==");
    check("salt with pad bits set refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 2, "AAAAAAAAAAAAAAAAAAAA AA=");
    check("salt with a space refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 3, "not base64 at all");
    check("hash with bad characters refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 3, "");
    check("empty hash refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    with_field(bad, sizeof bad, stored, 0, "pbkdf2-sha1");
    check("other algorithm refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);

    /* missing and extra fields, stray bytes */
    const char *last = strrchr(stored, '$');
    snprintf(bad, sizeof bad, "%.*s", (int)(last - stored), stored);
    check("missing hash refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    check("tag only refused", ikr_pin_verify("pbkdf2-sha256$", "246810") == IKR_E_PIN_WRONG);
    check("count only refused",
          ikr_pin_verify("pbkdf2-sha256$600000", "246810") == IKR_E_PIN_WRONG);
    check("empty refused", ikr_pin_verify("", "246810") == IKR_E_PIN_WRONG);
    check("NULL stored refused", ikr_pin_verify(NULL, "246810") == IKR_E_PIN_WRONG);
    snprintf(bad, sizeof bad, "%s$", stored);
    check("extra field refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    snprintf(bad, sizeof bad, "%s\n", stored);
    check("trailing newline refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);
    snprintf(bad, sizeof bad, " %s", stored);
    check("leading space refused", ikr_pin_verify(bad, "246810") == IKR_E_PIN_WRONG);

    char *huge = malloc(4096);
    if (huge) {
        memset(huge, 'A', 4095);
        huge[4095] = '\0';
        memcpy(huge, stored, strlen(stored));
        check("over-long line refused", ikr_pin_verify(huge, "246810") == IKR_E_PIN_WRONG);
        free(huge);
    }
}

int main(void)
{
    test_pin_ok();

    char a[IKR_PIN_HASH_MAX], b[IKR_PIN_HASH_MAX];
    ikr_err e;
    ikr_err_clear(&e);
    check("hash", ikr_pin_hash(a, "246810", &e) == IKR_OK);
    check("stored form is tag$count$salt$hash", looks_stored(a));
    check("stored form fits", strlen(a) < IKR_PIN_HASH_MAX);
    check("right PIN verifies", ikr_pin_verify(a, "246810") == IKR_OK);
    check("wrong PIN refused", ikr_pin_verify(a, "246811") == IKR_E_PIN_WRONG);
    check("prefix of the PIN refused", ikr_pin_verify(a, "24681") == IKR_E_PIN_WRONG);
    check("NULL PIN refused", ikr_pin_verify(a, NULL) == IKR_E_PIN_WRONG);

    ikr_err_clear(&e);
    check("hash again", ikr_pin_hash(b, "246810", &e) == IKR_OK);
    check("same PIN, different salt, different line", strcmp(a, b) != 0);
    check("salts differ", strncmp(strchr(a + 14, '$'), strchr(b + 14, '$'), 25) != 0);

    ikr_err_clear(&e);
    b[0] = 'x';
    check("short PIN not hashed", ikr_pin_hash(b, "123", &e) == IKR_E_PIN_SHORT);
    check("error carries the code", e.code == IKR_E_PIN_SHORT);
    check("output empty on refusal", b[0] == '\0');
    ikr_err_clear(&e);
    check("non-digit PIN not hashed", ikr_pin_hash(b, "abcdefgh", &e) == IKR_E_PIN_SHORT);

    /* a lower (still allowed) count in the stored line is honoured: a known answer */
    check("line with 100000 iterations verifies",
          ikr_pin_verify("pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"
                         "Pj0kIvAPLMHRutBFgZv7g2ARfVnFiANcQpTzQDrAl6U=",
                         "123456") == IKR_OK);

    test_tampered(a);
    return check_report();
}
