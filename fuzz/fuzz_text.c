/*
 * fuzz_text: the one text rule and the terminal escaper (text.h) over any
 * bytes.  ikr_text_clean either refuses (invalid UTF-8, too long) leaving
 * its output empty, or gives valid UTF-8 within the limit that holds no
 * control, no invisible character, no leading, trailing or double space,
 * and that the rule leaves alone when applied again (NFC is idempotent and
 * removal came first).  ikr_text_escape_term never writes past its room,
 * never lets a C0 control, DEL, C1 control, invisible character or invalid
 * byte through, and with room for every byte as \xHH it is never cut.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/err.h"
#include "ikrar/text.h"

#define MAX 128
#define IN_MAX 4096

/* Every code point of s[0..n) (valid UTF-8) passes ok; 0 when one does not. */
static int all(const char *s, size_t n, int (*ok)(unsigned long cp))
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned long cp;
        size_t k;
        if (p[i] < 0x80) {
            cp = p[i];
            k = 1;
        } else if (p[i] < 0xE0) {
            cp = ((unsigned long)(p[i] & 0x1F) << 6) | (p[i + 1] & 0x3F);
            k = 2;
        } else if (p[i] < 0xF0) {
            cp = ((unsigned long)(p[i] & 0x0F) << 12) | ((unsigned long)(p[i + 1] & 0x3F) << 6) |
                 (p[i + 2] & 0x3F);
            k = 3;
        } else {
            cp = ((unsigned long)(p[i] & 0x07) << 18) | ((unsigned long)(p[i + 1] & 0x3F) << 12) |
                 ((unsigned long)(p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
            k = 4;
        }
        if (!ok(cp))
            return 0;
        i += k;
    }
    return 1;
}

static int clean_cp(unsigned long cp)
{
    return cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F) && !ikr_text_invisible(cp);
}

static int shown_cp(unsigned long cp)
{
    return clean_cp(cp) && cp != 0x2028 && cp != 0x2029;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > IN_MAX)
        return 0;
    const char *in = (const char *)data;

    char out[MAX + 1], again[MAX + 1];
    unsigned ch = 99;
    int rc = ikr_text_clean(out, sizeof out, in, size, MAX, IKR_E_NAME_LONG, &ch);
    if (rc != IKR_OK) {
        if ((rc != IKR_E_TEXT_UTF8 && rc != IKR_E_NAME_LONG) || out[0] != '\0' || ch != 0)
            abort();
        if (rc == IKR_E_TEXT_UTF8 && ikr_utf8_valid(in, size))
            abort();
    } else {
        size_t n = strlen(out);
        if (n > MAX || !ikr_utf8_valid(out, n) || !all(out, n, clean_cp) || ch > 3)
            abort();
        if (n && (out[0] == ' ' || out[n - 1] == ' ' || strstr(out, "  ")))
            abort();
        unsigned ch2 = 99;
        if (ikr_text_clean(again, sizeof again, out, n, MAX, IKR_E_NAME_LONG, &ch2) != IKR_OK ||
            strcmp(again, out) != 0 || ch2 != 0)
            abort();
    }

    /* The escaper: full room, then a small one with a guard byte after it. */
    char *big = malloc(IKR_TEXT_ESCAPED_MAX(size));
    if (!big)
        return 0;
    ikr_text_escape_term(big, IKR_TEXT_ESCAPED_MAX(size), in, size);
    size_t bn = strlen(big);
    if (!ikr_utf8_valid(big, bn) || !all(big, bn, shown_cp))
        abort();
    if (bn >= 3 && size > 0 && memcmp(big + bn - 3, "...", 3) == 0 &&
        !(size >= 3 && memcmp(in + size - 3, "...", 3) == 0))
        abort(); /* cut although there was room for everything */
    free(big);
    char small[17 + 1];
    small[17] = 'G';
    ikr_text_escape_term(small, 17, in, size);
    if (small[17] != 'G' || strlen(small) > 16 || !ikr_utf8_valid(small, strlen(small)) ||
        !all(small, strlen(small), shown_cp))
        abort();
    return 0;
}
