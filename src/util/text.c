/*
 * text.c: UTF-8 validation, the one rule for typed text, and terminal escaping.
 *
 * What a signer types on the kiosk (or what arrives in a file) ends up in a
 * signed record and on a printed roster, so it must be valid UTF-8 and must
 * not hide anything a reader cannot see: control characters are dropped,
 * every kind of white space becomes one ordinary space, invisible and
 * bidirectional format characters are removed, and what is left is composed
 * to Unicode NFC (utf8proc), so that a name typed with a decomposed "é" or a
 * stray zero-width space is the same name as the plain one.  Invariants of a
 * normalised field: valid UTF-8 in NFC; no C0 control, DEL or C1 control; no
 * Unicode space other than U+0020; no invisible character (ikr_text_invisible);
 * no two spaces in a row; no space at either end.
 *
 * Text from outside (a receipt, a bundle, a roster file, the database) is
 * never printed raw: ikr_text_escape_term shows its controls and invisible
 * characters as escapes, so that it cannot move the cursor, ring the bell,
 * reverse a line or start a line of its own.
 */
#include "ikrar/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <utf8proc.h>

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
 * The invisible characters, as ranges (text.h says which and why).  The
 * format characters (Cf) are those of Unicode 15.0 less the number signs
 * that are drawn; written out here rather than asked of utf8proc so that
 * what a kiosk removes does not change with the library's version.
 */
static const struct {
    uint32_t lo, hi;
} invisible[] = {
    {0x00AD, 0x00AD},   /* soft hyphen */
    {0x034F, 0x034F},   /* combining grapheme joiner */
    {0x061C, 0x061C},   /* Arabic letter mark */
    {0x115F, 0x1160},   /* Hangul choseong and jungseong fillers */
    {0x17B4, 0x17B5},   /* Khmer inherent vowels */
    {0x180B, 0x180F},   /* Mongolian variation selectors and vowel separator */
    {0x200B, 0x200F},   /* zero-width space, ZWNJ, ZWJ, LRM, RLM */
    {0x202A, 0x202E},   /* bidirectional embeddings and overrides */
    {0x2060, 0x2064},   /* word joiner, invisible operators */
    {0x2066, 0x206F},   /* bidirectional isolates, deprecated format characters */
    {0x3164, 0x3164},   /* Hangul filler */
    {0xFE00, 0xFE0F},   /* variation selectors */
    {0xFEFF, 0xFEFF},   /* byte order mark, zero-width no-break space */
    {0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
    {0xFFF9, 0xFFFB},   /* interlinear annotation */
    {0x13430, 0x1343F}, /* Egyptian hieroglyph format controls */
    {0x1BCA0, 0x1BCA3}, /* shorthand format controls */
    {0x1D173, 0x1D17A}, /* musical symbol format controls */
    {0xE0001, 0xE0001}, /* language tag */
    {0xE0020, 0xE007F}, /* tags */
    {0xE0100, 0xE01EF}, /* variation selectors supplement */
};

int ikr_text_invisible(unsigned long cp)
{
    for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
        if (cp >= invisible[i].lo && cp <= invisible[i].hi)
            return 1;
    return 0;
}

/*
 * Contract (text.h): on IKR_OK out holds the normalised text, NUL-terminated.
 * The result must fit both max bytes and cap - 1 bytes; if it does not,
 * too_long is returned.  On any failure out is left empty (when cap > 0).
 *
 * Two passes.  The first drops controls and invisible characters and folds
 * white space into tmp; a space is written only when a visible character
 * follows it, which is how runs are folded and both ends trimmed in one
 * pass.  Removal comes before composition, so that "e", U+200B, U+0301
 * becomes the one letter U+00E9.  The second composes tmp to NFC.  NFC
 * shrinks text at most threefold (three conjoining jamo, 9 bytes, make one
 * Hangul syllable of 3), so a folded text over 4 * limit bytes cannot fit:
 * it is refused there, and no outside length reaches utf8proc unbounded.
 */
int ikr_text_clean(char *out, size_t cap, const char *in, size_t n, size_t max, int too_long,
                   unsigned *changed)
{
    unsigned what = 0;
    if (changed)
        *changed = 0;
    if (cap == 0)
        return too_long;
    out[0] = '\0';
    if (n > 0 && !in)
        return IKR_E_INTERNAL;
    if (!ikr_utf8_valid(in, n))
        return IKR_E_TEXT_UTF8;

    size_t limit = max < cap - 1 ? max : cap - 1;
    size_t room = limit < (SIZE_MAX - 64) / 4 ? 4 * limit + 16 : SIZE_MAX - 64;
    if (room > n)
        room = n;
    char *tmp = malloc(room + 1);
    if (!tmp)
        return IKR_E_NOMEM;

    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, len = 0;
    int pending_space = 0, rc = IKR_OK;
    uint32_t top = 0; /* the highest code point kept */
    while (i < n) {
        uint32_t cp = 0;
        size_t clen = utf8_decode(s + i, n - i, &cp); /* > 0: validated above */
        if (is_space(cp)) {
            pending_space = len > 0;
        } else if (ikr_text_invisible(cp)) {
            what |= IKR_TEXT_REMOVED;
        } else if (!is_control(cp)) {
            size_t need = clen + (pending_space ? 1 : 0);
            if (need > room - len) {
                rc = too_long;
                goto done;
            }
            if (pending_space)
                tmp[len++] = ' ';
            memcpy(tmp + len, s + i, clen);
            len += clen;
            pending_space = 0;
            if (cp > top)
                top = cp;
        }
        i += clen;
    }
    tmp[len] = '\0';
    if (len == 0)
        goto done;
    /*
     * Below U+0300 every character is a starter that NFC keeps as it is (no
     * combining marks, no decompositions that NFC undoes), so such a text is
     * already NFC: most names are, and skip utf8proc's allocations.
     */
    if (top < 0x300) {
        if (len > limit) {
            rc = too_long;
        } else {
            memcpy(out, tmp, len + 1);
        }
        goto done;
    }

    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)tmp, (utf8proc_ssize_t)len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (m < 0) {
        rc = m == UTF8PROC_ERROR_NOMEM ? IKR_E_NOMEM : IKR_E_TEXT_UTF8;
        goto done;
    }
    if ((size_t)m != len || memcmp(nfc, tmp, len) != 0)
        what |= IKR_TEXT_NFC;
    if ((size_t)m > limit) {
        rc = too_long;
    } else {
        memcpy(out, nfc, (size_t)m);
        out[m] = '\0';
    }
    free(nfc);
done:
    OPENSSL_cleanse(tmp, room + 1);
    free(tmp);
    if (rc != IKR_OK)
        out[0] = '\0';
    else if (changed)
        *changed = what;
    return rc;
}

int ikr_text_normalize(char *out, size_t cap, const char *in, size_t n, size_t max, int too_long)
{
    return ikr_text_clean(out, cap, in, n, max, too_long, NULL);
}

/*
 * The escape of the character at s[0..n) (n >= 1) into e (room for 12), its
 * length returned and the bytes it stands for in *used.
 */
static size_t escape_one(const unsigned char *s, size_t n, char e[12], size_t *used)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t cp = 0;
    size_t clen = utf8_decode(s, n, &cp);
    *used = clen ? clen : 1;
    if (clen == 0 || cp < 0x20 || cp == 0x7F) {
        /* Not UTF-8 (the byte itself), or a C0 control or DEL: \xHH. */
        unsigned b = clen == 0 ? s[0] : cp;
        e[0] = '\\', e[1] = 'x', e[2] = hex[b >> 4], e[3] = hex[b & 15];
        return 4;
    }
    if (cp == '\\') {
        e[0] = e[1] = '\\';
        return 2;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || ikr_text_invisible(cp) || cp == 0x2028 || cp == 0x2029 ||
        (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return (size_t)snprintf(e, 12, cp > 0xFFFF ? "\\U%08lx" : "\\u%04lx", (unsigned long)cp);
    memcpy(e, s, clen);
    return clen;
}

/*
 * Contract (text.h).  A first pass measures the whole escape; when it fits,
 * it is written whole, else as much as fits with room kept for "...".
 */
char *ikr_text_escape_term(char *out, size_t cap, const char *in, size_t n)
{
    if (cap == 0)
        return out;
    out[0] = '\0';
    if (!in)
        n = 0;
    const unsigned char *s = (const unsigned char *)in;
    char e[12];
    size_t i, used, total = 0;
    for (i = 0; i < n && total < cap; i += used)
        total += escape_one(s + i, n - i, e, &used);
    size_t room = total < cap ? cap - 1 : (cap > 4 ? cap - 4 : 0), at = 0;
    for (i = 0; i < n; i += used) {
        size_t k = escape_one(s + i, n - i, e, &used);
        if (k > room - at)
            break;
        memcpy(out + at, e, k);
        at += k;
    }
    if (i < n) { /* cut: say so, as far as there is room */
        size_t dots = cap - 1 - at < 3 ? cap - 1 - at : 3;
        memcpy(out + at, "...", dots);
        at += dots;
    }
    out[at] = '\0';
    return out;
}
