/*
 * test_text.c: UTF-8 validation and field normalisation (text.h).
 */
#include <string.h>

#include "check.h"
#include "ikrar/err.h"
#include "ikrar/limits.h"
#include "ikrar/text.h"

#include <stdlib.h>
#include <utf8proc.h>

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
    check("norm: zero-width space removed", norm_is("a\xE2\x80\x8B"
                                                    "b",
                                                    "ab"));
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

/* Cleans s with the name's limits: the code, the result in out, what changed in *ch. */
static int clean(char *out, size_t cap, const char *s, unsigned *ch)
{
    return ikr_text_clean(out, cap, s, strlen(s), IKR_MAX_NAME, IKR_E_NAME_LONG, ch);
}

/* 1 when s cleans to want with exactly the changes ch_want. */
static int clean_is(const char *s, const char *want, unsigned ch_want)
{
    char out[IKR_MAX_NAME + 1];
    unsigned ch = 99;
    return clean(out, sizeof out, s, &ch) == IKR_OK && strcmp(out, want) == 0 && ch == ch_want;
}

static void test_rule(void)
{
    /* NFC: a decomposed letter is the composed one; composed text is left alone. */
    check("nfc: e + U+0301 composes to U+00E9",
          clean_is("Jose\xCC\x81", "Jos\xC3\xA9", IKR_TEXT_NFC));
    check("nfc: composed e-acute unchanged", clean_is("Jos\xC3\xA9", "Jos\xC3\xA9", 0));
    check("nfc: plain ASCII unchanged", clean_is("Budi Santoso", "Budi Santoso", 0));
    check("nfc: A + ring + acute composes",
          clean_is("A\xCC\x8A\xCC\x81", "\xC7\xBA", IKR_TEXT_NFC));
    check("nfc: Angstrom sign becomes A-ring", clean_is("\xE2\x84\xAB", "\xC3\x85", IKR_TEXT_NFC));
    /* Hangul: the three conjoining jamo of "han" make the one syllable U+D55C. */
    check("nfc: Hangul jamo compose",
          clean_is("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", "\xED\x95\x9C", IKR_TEXT_NFC));
    check("nfc: Hangul syllable unchanged", clean_is("\xED\x95\x9C", "\xED\x95\x9C", 0));
    check("nfc: compatibility forms are kept (NFC, not NFKC)",
          clean_is("\xEF\xAC\x81", "\xEF\xAC\x81", 0)); /* the "fi" ligature */

    /* Invisible and bidirectional characters are removed, and the caller is told. */
    check("rule: ZWSP inside a name",
          clean_is("Budi\xE2\x80\x8B Santoso", "Budi Santoso", IKR_TEXT_REMOVED));
    check("rule: ZWSP inside a word", clean_is("Bu\xE2\x80\x8B"
                                               "di",
                                               "Budi", IKR_TEXT_REMOVED));
    check("rule: RLO removed", clean_is("\xE2\x80\xAE"
                                        "Budi",
                                        "Budi", IKR_TEXT_REMOVED));
    check("rule: LRE..PDF and isolates removed", clean_is("\xE2\x80\xAA"
                                                          "a\xE2\x80\xAC\xE2\x81\xA6"
                                                          "b\xE2\x81\xA9",
                                                          "ab", IKR_TEXT_REMOVED));
    check("rule: soft hyphen removed", clean_is("San\xC2\xADtoso", "Santoso", IKR_TEXT_REMOVED));
    check("rule: BOM removed", clean_is("\xEF\xBB\xBF"
                                        "Siti",
                                        "Siti", IKR_TEXT_REMOVED));
    check("rule: ZWJ, ZWNJ, LRM, RLM removed", clean_is("a\xE2\x80\x8C\xE2\x80\x8D\xE2\x80\x8E"
                                                        "b\xE2\x80\x8F",
                                                        "ab", IKR_TEXT_REMOVED));
    check("rule: word joiner, invisible plus removed", clean_is("a\xE2\x81\xA0\xE2\x81\xA4"
                                                                "b",
                                                                "ab", IKR_TEXT_REMOVED));
    check("rule: tag characters removed",
          clean_is("a\xF3\xA0\x80\x81\xF3\xA0\x81\xBF", "a", IKR_TEXT_REMOVED));
    check("rule: Hangul filler removed", clean_is("a\xE3\x85\xA4", "a", IKR_TEXT_REMOVED));
    check("rule: Arabic number sign kept (it is drawn)", clean_is("\xD8\x80"
                                                                  "1",
                                                                  "\xD8\x80"
                                                                  "1",
                                                                  0));
    /* Removal comes before composition: e, ZWSP, acute is one letter. */
    check("rule: removal then NFC",
          clean_is("Jose\xE2\x80\x8B\xCC\x81", "Jos\xC3\xA9", IKR_TEXT_REMOVED | IKR_TEXT_NFC));
    /* Spaces either side of a removed character still fold into one. */
    check("rule: space, ZWSP, space is one space",
          clean_is("Budi \xE2\x80\x8B Santoso", "Budi Santoso", IKR_TEXT_REMOVED));
    check("rule: only invisible characters is empty",
          clean_is("\xE2\x80\x8B\xE2\x80\xAE\xEF\xBB\xBF", "", IKR_TEXT_REMOVED));
    check("rule: white space and controls alone are not reported",
          clean_is(" a\tb\x01 ", "a b", 0));

    /* The length limit applies after normalisation. */
    char out[IKR_MAX_NAME + 1];
    char pad[3 * IKR_MAX_NAME + 8];
    size_t k = 0;
    for (size_t i = 0; i < IKR_MAX_NAME; i++) {
        pad[k++] = 'x';
        if (i % 2 == 0) {
            memcpy(pad + k, "\xE2\x80\x8B", 3); /* ZWSP: removed, so does not count */
            k += 3;
        }
    }
    pad[k] = '\0';
    check("rule: invisible characters do not count toward the limit",
          clean(out, sizeof out, pad, NULL) == IKR_OK && strlen(out) == IKR_MAX_NAME);
    /* A decomposed name just over the limit composes to fit it. */
    char dec[IKR_MAX_NAME + 2];
    memset(dec, 'x', IKR_MAX_NAME - 2);
    memcpy(dec + IKR_MAX_NAME - 2, "e\xCC\x81", 4); /* 3 bytes, 2 once composed */
    check("rule: limit is on the NFC text",
          clean(out, sizeof out, dec, NULL) == IKR_OK && strlen(out) == IKR_MAX_NAME);
    /* Composing never lets something longer through. */
    char many[8 * IKR_MAX_NAME];
    k = 0;
    while (k + 9 < sizeof many) {
        memcpy(many + k, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", 9);
        k += 9;
    }
    many[k] = '\0';
    unsigned ch = 99;
    check("rule: too long after NFC is refused, out empty",
          clean(out, sizeof out, many, &ch) == IKR_E_NAME_LONG && out[0] == '\0' && ch == 0);
    check("rule: invalid UTF-8 still refused",
          clean(out, sizeof out, "a\xE2\x80", &ch) == IKR_E_TEXT_UTF8);

    check("invisible: U+200B", ikr_text_invisible(0x200B));
    check("invisible: U+202E", ikr_text_invisible(0x202E));
    check("invisible: U+FEFF", ikr_text_invisible(0xFEFF));
    check("invisible: not a letter", !ikr_text_invisible('a') && !ikr_text_invisible(0xE9));
    check("invisible: not U+2065 (unassigned)", !ikr_text_invisible(0x2065));
}

/* Escapes s; 1 when the result is want. */
static int esc_is(const char *s, size_t n, const char *want)
{
    char out[256];
    ikr_text_escape_term(out, sizeof out, s, n);
    if (strcmp(out, want) != 0) {
        fprintf(stderr, "escape: got [%s] want [%s]\n", out, want);
        return 0;
    }
    return 1;
}
#define ESC_IS(s, want) esc_is((s), sizeof(s) - 1, (want))

static void test_escape(void)
{
    check("esc: plain text passes", ESC_IS("Budi Santoso, S.Pd.", "Budi Santoso, S.Pd."));
    check("esc: letters of any script pass",
          ESC_IS("Jos\xC3\xA9 \xED\x95\x9C", "Jos\xC3\xA9 \xED\x95\x9C"));
    check("esc: ESC sequence", ESC_IS("\x1b[2J\x1b]0;x\x07", "\\x1b[2J\\x1b]0;x\\x07"));
    check("esc: newline cannot start a fake line",
          ESC_IS("Budi\nKiosk: palsu", "Budi\\x0aKiosk: palsu"));
    check("esc: CR, tab, BEL, DEL", ESC_IS("\r\t\a\x7f", "\\x0d\\x09\\x07\\x7f"));
    check("esc: NUL shown", esc_is("a\0b", 3, "a\\x00b"));
    check("esc: C1 CSI shown", ESC_IS("\xC2\x9B"
                                      "31m",
                                      "\\u009b31m"));
    check("esc: RLO shown", ESC_IS("\xE2\x80\xAE"
                                   "abc",
                                   "\\u202eabc"));
    check("esc: ZWSP, BOM shown", ESC_IS("a\xE2\x80\x8B\xEF\xBB\xBF", "a\\u200b\\ufeff"));
    check("esc: line separator shown", ESC_IS("a\xE2\x80\xA8", "a\\u2028"));
    check("esc: tag shown with 8 digits", ESC_IS("\xF3\xA0\x80\x81", "\\U000e0001"));
    check("esc: noncharacter shown", ESC_IS("\xEF\xBF\xBE", "\\ufffe"));
    check("esc: invalid UTF-8 bytes shown", ESC_IS("a\xC0\x80\xFF", "a\\xc0\\x80\\xff"));
    check("esc: truncated sequence shown", ESC_IS("a\xE2\x80", "a\\xe2\\x80"));
    check("esc: backslash doubled", ESC_IS("a\\x1b", "a\\\\x1b"));
    check("esc: NULL input is empty", esc_is(NULL, 5, ""));

    /* Cut at a whole escape, marked "...", never past cap. */
    char small[12];
    ikr_text_escape_term(small, sizeof small, "\x1b\x1b\x1b\x1b", 4);
    check("esc: cut at a whole escape", strcmp(small, "\\x1b\\x1b...") == 0);
    ikr_text_escape_term(small, sizeof small, "abcdefghijklmnop", 16);
    check("esc: long text cut", strcmp(small, "abcdefgh...") == 0);
    char one[1] = {'z'};
    ikr_text_escape_term(one, 1, "abc", 3);
    check("esc: cap 1 is empty", one[0] == '\0');
    char four[4];
    ikr_text_escape_term(four, sizeof four, "abcdef", 6);
    check("esc: cap 4", strcmp(four, "...") == 0);

    /* Invalid bytes only: every byte takes 4 characters, and IKR_TEXT_ESCAPED_MAX is enough. */
    const char ff[] = "\xff\xff\xff";
    char room[IKR_TEXT_ESCAPED_MAX(3)];
    ikr_text_escape_term(room, sizeof room, ff, 3);
    check("esc: the worst case fits its room exactly", strcmp(room, "\\xff\\xff\\xff") == 0);
    char tight[8];
    ikr_text_escape_term(tight, sizeof tight, "abcdefg", 7);
    check("esc: the last character may use the room kept for dots", strcmp(tight, "abcdefg") == 0);

    /* Whatever the bytes, nothing below 0x20 and no DEL comes out, and the room suffices. */
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    char big[IKR_TEXT_ESCAPED_MAX(256)];
    ikr_text_escape_term(big, sizeof big, (const char *)all, sizeof all);
    int clean_out = strlen(big) > 0 && big[strlen(big) - 1] != '.';
    for (const char *p = big; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
            clean_out = 0;
    check("esc: all 256 bytes escaped in full, no raw control", clean_out);
}

/* Writes cp as UTF-8 into p; returns its length (cp < 0x800 here). */
static size_t put_utf8(char *p, unsigned cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    p[0] = (char)(0xC0 | (cp >> 6));
    p[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
}

/*
 * ikr_text_clean skips utf8proc for a text whose characters are all below
 * U+0300, as already NFC.  That holds for every such character and every
 * pair of them (a composition needs a second character of U+0300 or above):
 * checked here against utf8proc itself, exhaustively.
 */
static void test_nfc_shortcut(void)
{
    int bad = 0;
    for (unsigned a = 0x20; a < 0x300; a++) {
        if (a >= 0x7F && a <= 0x9F)
            continue;
        for (unsigned b = 0x1F; b < 0x300 && bad < 5; b++) {
            if (b >= 0x7F && b <= 0x9F)
                continue;
            char in[4];
            size_t n = put_utf8(in, a);
            if (b >= 0x20) /* 0x1F: a alone */
                n += put_utf8(in + n, b);
            utf8proc_uint8_t *nfc = NULL;
            utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n,
                                              &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            if (m != (utf8proc_ssize_t)n || memcmp(nfc, in, n) != 0) {
                fprintf(stderr, "NFC changes U+%04X U+%04X\n", a, b);
                bad++;
            }
            free(nfc);
        }
    }
    check("nfc: text below U+0300 is already NFC (the shortcut is exact)", bad == 0);
}

/* An error's detail may quote outside bytes: the message shows them escaped. */
static void test_err_detail(void)
{
    ikr_err e;
    char msg[512];
    ikr_err_clear(&e);
    ikr_err_set(&e, IKR_E_BUNDLE_FILE, "event.json: \"Acara\x1b[2J\x07\nKiosk \xE2\x80\xAE\xFF\"");
    ikr_err_format(&e, IKR_LANG_EN, msg, sizeof msg);
    check("err: the detail is escaped in the message",
          strstr(msg, "event.json: \"Acara\\x1b[2J\\x07\\x0aKiosk \\u202e\\xff\"") != NULL);
    int raw = 0;
    for (const char *p = msg; *p; p++)
        raw |= (unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f;
    check("err: no raw control byte in the message", !raw && ikr_utf8_valid(msg, strlen(msg)));
    ikr_err_clear(&e);
    ikr_err_set(&e, IKR_E_IO, "/var/lib/ikrar/ikrar.db: disk I/O error");
    ikr_err_format(&e, IKR_LANG_EN, msg, sizeof msg);
    check("err: a plain detail is unchanged",
          strstr(msg, "/var/lib/ikrar/ikrar.db: disk I/O error"));
}

int main(void)
{
    test_err_detail();
    test_nfc_shortcut();
    test_utf8();
    test_normalize();
    test_rule();
    test_escape();
    return check_report();
}
