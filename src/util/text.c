/*
 * text.c: UTF-8 validation and the normalisation of typed fields.
 *
 * What a signer types on the kiosk (or what arrives in a file) ends up in a
 * signed record and on a printed roster, so it must be valid UTF-8 and must
 * not hide anything a reader cannot see: control characters are dropped and
 * every kind of white space becomes one ordinary space.  Invariants of a
 * normalised field: valid UTF-8; no C0 control, DEL or C1 control; no
 * Unicode space other than U+0020; no two spaces in a row; no space at
 * either end.  Everything else, letters, digits and punctuation in any
 * script, passes through byte for byte.
 */
#include "ikrar/text.h"

#include <stdint.h>

#include "ikrar/err.h"

/*
 * Decodes the code point at p[0..n) (n >= 1) into *cp and returns its length
 * in bytes, or 0 when the bytes there are not the shortest UTF-8 form of a
 * scalar value (overlong forms, surrogates, values above U+10FFFF, stray or
 * missing continuation bytes are all refused).
 */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t len;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        /* 0x80..0xBF cannot start a character; 0xC0, 0xC1 and 0xF5.. only
         * start overlong or out-of-range forms. */
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int ikr_utf8_valid(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return 0;
        i += len;
    }
    return 1;
}

/*
 * 1 for the characters that read as a gap: ASCII white space, the C1 "next
 * line", and the Unicode space separators and line/paragraph separators.
 * They all become U+0020 so that two names that look alike are alike.
 */
static int is_space(uint32_t cp)
{
    switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:   /* NEL */
    case 0xA0:   /* no-break space */
    case 0x1680: /* Ogham space mark */
    case 0x2028:
    case 0x2029:
    case 0x202F: /* narrow no-break space */
    case 0x205F: /* medium mathematical space */
    case 0x3000: /* ideographic space */
        return 1;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

/* 1 for the controls that are dropped: the rest of C0, DEL and C1. */
static int is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/*
 * Contract (text.h): on IKR_OK out holds the normalised text, NUL-terminated.
 * The result must fit both max bytes and cap - 1 bytes; if it does not,
 * too_long is returned.  On any failure out is left empty (when cap > 0).
 * A space is written only when a visible character follows it, which is how
 * runs are folded and both ends trimmed in one pass.
 */
int ikr_text_normalize(char *out, size_t cap, const char *in, size_t n, size_t max, int too_long)
{
    if (cap == 0)
        return too_long;
    out[0] = '\0';
    if (n > 0 && !in)
        return IKR_E_INTERNAL;
    if (!ikr_utf8_valid(in, n))
        return IKR_E_TEXT_UTF8;

    size_t limit = max < cap - 1 ? max : cap - 1;
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, len = 0;
    int pending_space = 0;

    while (i < n) {
        uint32_t cp = 0;
        size_t clen = utf8_decode(s + i, n - i, &cp); /* > 0: validated above */
        if (is_space(cp)) {
            pending_space = len > 0;
        } else if (!is_control(cp)) {
            size_t need = clen + (pending_space ? 1 : 0);
            if (need > limit - len) {
                out[0] = '\0';
                return too_long;
            }
            if (pending_space)
                out[len++] = ' ';
            for (size_t k = 0; k < clen; k++)
                out[len++] = (char)s[i + k];
            pending_space = 0;
        }
        i += clen;
    }
    out[len] = '\0';
    return IKR_OK;
}
