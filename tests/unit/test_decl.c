/*
 * test_decl.c: the built-in declaration.  It must be valid UTF-8 (checked
 * here with a small decoder of our own, independent of text.c), end in
 * exactly one newline, speak of neutrality, name the laws it invokes and
 * the staff it binds, and fit IKR_MAX_DECL and one screen of scrolling.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ikrar/decl.h"
#include "ikrar/limits.h"

/* 1 when p[0..n) is UTF-8 in shortest form, without surrogates, at most U+10FFFF. */
static int utf8_ok(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

static size_t count_words(const char *s)
{
    size_t words = 0;
    int in = 0;
    for (; *s; s++) {
        int space = *s == ' ' || *s == '\n';
        if (!space && !in)
            words++;
        in = !space;
    }
    return words;
}

int main(void)
{
    /* the checker itself */
    check("checker accepts ASCII and 2-4 byte forms",
          utf8_ok((const unsigned char *)"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10));
    check("checker refuses overlong form", !utf8_ok((const unsigned char *)"\xc0\xaf", 2));
    check("checker refuses surrogate", !utf8_ok((const unsigned char *)"\xed\xa0\x80", 3));
    check("checker refuses cut sequence", !utf8_ok((const unsigned char *)"\xe2\x82", 2));

    const char *d = ikr_decl_default();
    check("default exists", d != NULL && *d);
    if (!d)
        return check_report();
    size_t n = strlen(d);

    check("valid UTF-8", utf8_ok((const unsigned char *)d, n));
    check("fits IKR_MAX_DECL", n < IKR_MAX_DECL);
    check("ends in a newline", n >= 1 && d[n - 1] == '\n');
    check("ends in exactly one newline", n >= 2 && d[n - 2] != '\n');
    check("no carriage returns or tabs", !strchr(d, '\r') && !strchr(d, '\t'));
    check("same text every call", ikr_decl_default() == d);

    check("has a title", strncmp(d, "DEKLARASI NETRALITAS", 20) == 0);
    check("opens with Kami", strstr(d, "\nKami, ") != NULL);
    check("states what follows", strstr(d, "menyatakan:\n") != NULL);
    check("speaks of neutrality", strstr(d, "netral") != NULL);
    check("numbered commitments", strstr(d, "\n1. ") && strstr(d, "\n5. "));
    check("names the ASN law", strstr(d, "Undang-Undang Nomor 20 Tahun 2023") != NULL);
    check("names the discipline regulation",
          strstr(d, "Peraturan Pemerintah Nomor 94 Tahun 2021") != NULL);
    check("names the joint decree", strstr(d, "Keputusan Bersama") != NULL);
    check("binds PPPK", strstr(d, "PPPK") != NULL);
    check("binds non-ASN staff", strstr(d, "non-ASN") != NULL);
    check("mentions sanctions", strstr(d, "sanksi") != NULL);

    size_t words = count_words(d);
    check("one screen of scrolling (250-400 words)", words >= 250 && words <= 400);
    return check_report();
}
