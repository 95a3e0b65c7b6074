/*
 * text.h: text that people type, made safe to sign and show.
 */
#ifndef IKRAR_TEXT_H
#define IKRAR_TEXT_H

#include <stddef.h>

/* 1 when p[0..n) is valid UTF-8 (shortest forms, no surrogates, at most U+10FFFF). */
int ikr_utf8_valid(const char *p, size_t n);

/*
 * Normalises a typed field into out (room for cap bytes with the NUL):
 * refuses invalid UTF-8 (IKR_E_TEXT_UTF8); turns tabs, newlines and other
 * white space into one space, drops the other C0/C1 control characters and
 * DEL, folds runs of spaces into one, trims both ends.  When the result is
 * longer than max bytes it returns too_long (the caller's field code) and
 * leaves out empty.  An empty result is not an error here.
 */
int ikr_text_normalize(char *out, size_t cap, const char *in, size_t n, size_t max, int too_long);

#endif
