/*
 * base45.c: Base45 of RFC 9285.  Two bytes become three characters (one
 * byte, two); the decoder refuses characters outside the 45-character
 * alphabet, a length of 1 mod 3, and groups whose value does not fit.
 */
#include "ikrar/base45.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

void ikr_base45_encode(char *out, const uint8_t *p, size_t n)
{
    size_t o = 0, i = 0;
    for (; i + 2 <= n; i += 2) {
        unsigned v = (unsigned)p[i] * 256 + p[i + 1];
        out[o++] = alphabet[v % 45];
        out[o++] = alphabet[(v / 45) % 45];
        out[o++] = alphabet[v / 2025];
    }
    if (i < n) {
        unsigned v = p[i];
        out[o++] = alphabet[v % 45];
        out[o++] = alphabet[v / 45];
    }
    out[o] = '\0';
}

static int value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    switch (c) {
    case ' ':
        return 36;
    case '$':
        return 37;
    case '%':
        return 38;
    case '*':
        return 39;
    case '+':
        return 40;
    case '-':
        return 41;
    case '.':
        return 42;
    case '/':
        return 43;
    case ':':
        return 44;
    default:
        return -1;
    }
}

long ikr_base45_decode(uint8_t *out, size_t cap, const char *s, size_t slen)
{
    if (slen % 3 == 1)
        return -1;
    size_t need = slen / 3 * 2 + (slen % 3 ? 1 : 0);
    if (need > cap)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < slen; i += 3) {
        int a = value(s[i]), b = value(s[i + 1]);
        if (a < 0 || b < 0)
            return -1;
        if (slen - i == 2) {
            unsigned v = (unsigned)a + 45u * (unsigned)b;
            if (v > 0xff)
                return -1;
            out[o++] = (uint8_t)v;
            break;
        }
        int c = value(s[i + 2]);
        if (c < 0)
            return -1;
        unsigned v = (unsigned)a + 45u * (unsigned)b + 2025u * (unsigned)c;
        if (v > 0xffff)
            return -1;
        out[o++] = (uint8_t)(v >> 8);
        out[o++] = (uint8_t)v;
    }
    return (long)o;
}
