/*
 * test_text.c: UTF-8 validation and field normalisation (text.h).
 */
#include <string.h>

#include "check.h"
#include "ikrar/err.h"
#include "ikrar/limits.h"
#include "ikrar/text.h"

static int valid(const char *s)
{
    return ikr_utf8_valid(s, strlen(s));
}

/* Normalises s with the name's limits; returns the code, result in out. */
static int norm(char *out, size_t cap, const char *s)
{
    return ikr_text_normalize(out, cap, s, strlen(s), IKR_MAX_NAME, IKR_E_NAME_LONG);
}

static int norm_is(const char *in, const char *want)
{
    char out[IKR_MAX_NAME + 1];
    return norm(out, sizeof out, in) == IKR_OK && strcmp(out, want) == 0;
}

static void test_utf8(void)
{
    check("utf8: empty", ikr_utf8_valid("", 0));
    check("utf8: NULL with n 0", ikr_utf8_valid(NULL, 0));
    check("utf8: ascii", valid("Siti Rahmawati"));
    check("utf8: 2-byte", valid("Jos\xC3\xA9"));
    check("utf8: 3-byte", valid("\xE2\x82\xAC"));
    check("utf8: 4-byte", valid("\xF0\x9F\x98\x80"));
    check("utf8: U+10FFFF", valid("\xF4\x8F\xBF\xBF"));
    check("utf8: U+D7FF", valid("\xED\x9F\xBF"));
    check("utf8: U+E000", valid("\xEE\x80\x80"));
    check("utf8: NUL byte inside", ikr_utf8_valid("a\0b", 3));

    check("utf8: overlong NUL C0 80", !valid("\xC0\x80"));
    check("utf8: overlong C1 BF", !valid("\xC1\xBF"));
    check("utf8: overlong 3-byte", !valid("\xE0\x80\xAF"));
    check("utf8: overlong 3-byte max", !valid("\xE0\x9F\xBF"));
    check("utf8: overlong 4-byte", !valid("\xF0\x8F\xBF\xBF"));
    check("utf8: surrogate D800", !valid("\xED\xA0\x80"));
    check("utf8: surrogate DFFF", !valid("\xED\xBF\xBF"));
    check("utf8: above U+10FFFF", !valid("\xF4\x90\x80\x80"));
    check("utf8: F5 lead", !valid("\xF5\x80\x80\x80"));
    check("utf8: FF", !valid("\xFF"));
    check("utf8: lone continuation", !valid("\x80"));
    check("utf8: truncated 2-byte", !valid("a\xC3"));
    check("utf8: truncated 4-byte", !valid("\xF0\x9F\x98"));
    check("utf8: bad continuation", !valid("\xC3\x28"));
    check("utf8: truncated by n", !ikr_utf8_valid("\xC3\xA9", 1));
}

static void test_normalize(void)
{
    check("norm: academic titles unchanged",
          norm_is("Dr. Hj. Nur'aini, S.Pd., M.Si.", "Dr. Hj. Nur'aini, S.Pd., M.Si."));
    check("norm: tabs, newlines, trim", norm_is("  Siti\tRahmawati \n", "Siti Rahmawati"));
    check("norm: runs folded", norm_is("Budi    \r\n  Santoso", "Budi Santoso"));
    check("norm: empty", norm_is("", ""));
    check("norm: only spaces", norm_is(" \t\n ", ""));
    check("norm: controls dropped", norm_is("Bu\x01\x1B"
                                            "di\x7F",
                                            "Budi"));
    check("norm: control between spaces", norm_is("a \x02 b", "a b"));
    check("norm: C1 dropped", norm_is("A\xC2\x80\xC2\x9F"
                                      "B",
                                      "AB"));
    check("norm: NEL is a space", norm_is("A\xC2\x85"
                                          "B",
                                          "A B"));
    check("norm: no-break space", norm_is("I\xC2\xA0Made", "I Made"));
    check("norm: en quad .. hair space", norm_is("a\xE2\x80\x80\xE2\x80\x8A"
                                                 "b",
                                                 "a b"));
    check("norm: ideographic space", norm_is("\xE3\x80\x80x\xE3\x80\x80", "x"));
    check("norm: line separator", norm_is("a\xE2\x80\xA8"
                                          "b",
                                          "a b"));
    check("norm: non-ASCII letters kept", norm_is("Jos\xC3\xA9  \xC3\x91"
                                                  "u\xC3\xB1"
                                                  "ez",
                                                  "Jos\xC3\xA9 \xC3\x91u\xC3\xB1"
                                                  "ez"));
    check("norm: zero-width space kept (not white space)", norm_is("a\xE2\x80\x8B"
                                                                   "b",
                                                                   "a\xE2\x80\x8B"
                                                                   "b"));

    char out[IKR_MAX_NAME + 1];
    {
        const char in[] = "a\0b";
        check("norm: NUL dropped",
              ikr_text_normalize(out, sizeof out, in, 3, IKR_MAX_NAME, IKR_E_NAME_LONG) == IKR_OK &&
                  strcmp(out, "ab") == 0);
    }

    strcpy(out, "junk");
    check("norm: invalid UTF-8 refused", norm(out, sizeof out, "Bad\xC0\x80") == IKR_E_TEXT_UTF8);
    check("norm: invalid leaves out empty", out[0] == '\0');
    check("norm: surrogate refused", norm(out, sizeof out, "\xED\xA0\x80") == IKR_E_TEXT_UTF8);

    /* Lengths: the limit is on the result, after folding and trimming. */
    char big[2001];
    memset(big, 'a', 2000);
    big[2000] = '\0';
    strcpy(out, "junk");
    check("norm: 2000 characters too long", norm(out, sizeof out, big) == IKR_E_NAME_LONG);
    check("norm: too long leaves out empty", out[0] == '\0');

    char exact[IKR_MAX_NAME + 1];
    memset(exact, 'x', IKR_MAX_NAME);
    exact[IKR_MAX_NAME] = '\0';
    check("norm: exactly max bytes fits",
          norm(out, sizeof out, exact) == IKR_OK && strlen(out) == IKR_MAX_NAME);
    char over[IKR_MAX_NAME + 2];
    memset(over, 'x', IKR_MAX_NAME + 1);
    over[IKR_MAX_NAME + 1] = '\0';
    check("norm: max + 1 too long", norm(out, sizeof out, over) == IKR_E_NAME_LONG);

    char padded[IKR_MAX_NAME + 64];
    memset(padded, ' ', sizeof padded - 1);
    memcpy(padded + 20, exact, IKR_MAX_NAME);
    padded[sizeof padded - 1] = '\0';
    check("norm: spaces around do not count",
          norm(out, sizeof out, padded) == IKR_OK && strlen(out) == IKR_MAX_NAME);

    /* A multi-byte character that would straddle the limit is refused whole. */
    char straddle[IKR_MAX_NAME + 2];
    memset(straddle, 'x', IKR_MAX_NAME - 1);
    memcpy(straddle + IKR_MAX_NAME - 1, "\xC3\xA9", 3);
    check("norm: straddling character too long",
          norm(out, sizeof out, straddle) == IKR_E_NAME_LONG && out[0] == '\0');

    /* The field's own code comes back. */
    check("norm: caller's code", ikr_text_normalize(out, sizeof out, big, 2000, IKR_MAX_POS,
                                                    IKR_E_POS_LONG) == IKR_E_POS_LONG);

    /* A small output buffer is a limit too. */
    char small[5];
    check("norm: cap limits", ikr_text_normalize(small, sizeof small, "abcde", 5, 100,
                                                 IKR_E_UNIT_LONG) == IKR_E_UNIT_LONG &&
                                  small[0] == '\0');
    check("norm: cap fits",
          ikr_text_normalize(small, sizeof small, " abcd ", 6, 100, IKR_E_UNIT_LONG) == IKR_OK &&
              strcmp(small, "abcd") == 0);
}

int main(void)
{
    test_utf8();
    test_normalize();
    return check_report();
}
