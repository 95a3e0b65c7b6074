/*
 * text.h: text that people type, made safe to sign and show.
 *
 * One rule for everything a person typed or a file brought (a name on the
 * kiosk, an `ikrar sign` option, a roster cell): ikr_text_clean.  And one
 * way to show text that came from outside on a terminal: ikr_text_escape_term.
 */
#ifndef IKRAR_TEXT_H
#define IKRAR_TEXT_H

#include <stddef.h>

/* 1 when p[0..n) is valid UTF-8 (shortest forms, no surrogates, at most U+10FFFF). */
int ikr_utf8_valid(const char *p, size_t n);

/* What ikr_text_clean changed beyond white space (bits of *changed). */
enum {
    IKR_TEXT_REMOVED = 1, /* invisible or bidirectional format characters were removed */
    IKR_TEXT_NFC = 2,     /* characters were composed (Unicode NFC) */
};

/*
 * 1 for the invisible characters the rule removes: the format characters
 * (general category Cf) other than the Arabic and Syriac number signs that
 * are drawn (U+0600..U+0605, U+06DD, U+070F, U+0890, U+0891, U+08E2,
 * U+110BD, U+110CD), that is soft hyphen, zero-width space and joiners,
 * LRM/RLM/ALM, the bidirectional embeddings, overrides and isolates, word
 * joiner and the invisible operators, BOM, tags...; and the blank fillers
 * and selectors that draw nothing (U+034F, U+115F, U+1160, U+17B4, U+17B5,
 * U+180B..U+180F, U+3164, U+FE00..U+FE0F, U+FFA0, U+E0100..U+E01EF).
 */
int ikr_text_invisible(unsigned long cp);

/*
 * Normalises a typed field into out (room for cap bytes with the NUL):
 * refuses invalid UTF-8 (IKR_E_TEXT_UTF8); turns tabs, newlines and other
 * white space into one space, drops the other C0/C1 control characters and
 * DEL, removes the invisible characters above, folds runs of spaces into
 * one, trims both ends, and composes the result to Unicode NFC.  When the
 * result is longer than max bytes it returns too_long (the caller's field
 * code) and leaves out empty.  An empty result is not an error here.
 * changed (may be NULL) gets IKR_TEXT_* bits saying what was done beyond
 * white space and controls, so that the caller can tell the person.
 */
int ikr_text_clean(char *out, size_t cap, const char *in, size_t n, size_t max, int too_long,
                   unsigned *changed);

/* ikr_text_clean without telling what changed. */
int ikr_text_normalize(char *out, size_t cap, const char *in, size_t n, size_t max, int too_long);

/*
 * Writes in[0..n) into out (cap bytes with the NUL) so that it is safe to
 * print on a terminal: printable ASCII and valid UTF-8 letters pass; a
 * backslash becomes "\\"; C0 controls, DEL and C1 controls become \xHH (so
 * ESC, BEL, CR and newline never reach the terminal raw); a byte that is not
 * valid UTF-8 becomes \xHH; the invisible and bidirectional characters of
 * ikr_text_invisible, the line and paragraph separators (U+2028, U+2029) and
 * noncharacters become \uXXXX or \U00XXXXXX.  Output that does not fit is
 * cut at a whole escape or character and ends in "...".  Returns out.
 */
char *ikr_text_escape_term(char *out, size_t cap, const char *in, size_t n);

/* The room ikr_text_escape_term needs for n bytes at most (every byte as \xHH, the NUL). */
#define IKR_TEXT_ESCAPED_MAX(n) (4 * (n) + 1)

#endif
