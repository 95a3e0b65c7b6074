/*
 * textedit.h: typing into a field of UTF-8 text at a position, the caret.
 *
 * The details screen's name, position and unit are edited here: insert at
 * the caret, delete the character before it, move it a character left or
 * right.  Positions are byte offsets that always fall between characters;
 * nothing here splits a character, whatever position it is handed.  Pure
 * functions on a caller's buffer: no allocation, no state of their own.
 */
#ifndef IKRAR_KIOSK_TEXTEDIT_H
#define IKRAR_KIOSK_TEXTEDIT_H

#include <stddef.h>

/* pos moved left, if need be, onto a character boundary of s, at most strlen(s). */
size_t te_clamp(const char *s, size_t pos);

/* The boundary before pos (0 stays 0), and the one after it (the end stays the end). */
size_t te_prev(const char *s, size_t pos);
size_t te_next(const char *s, size_t pos);

/*
 * Inserts add (valid UTF-8) into s at *pos: as many of its characters,
 * whole and from its start, as fit s within max bytes (its NUL not
 * counted); *pos moves past them.  Returns the bytes inserted.
 */
size_t te_insert(char *s, size_t max, size_t *pos, const char *add);

/* Deletes the character before *pos (backspace); *pos moves onto its start. 1 if one went. */
int te_backspace(char *s, size_t *pos);

#endif
