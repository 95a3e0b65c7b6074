/*
 * buf.h: a growable byte buffer.  The encoders write into one; the caller
 * owns it and frees it with ikr_buf_free.  A failed growth sets oom and
 * leaves the contents as they were, so a chain of appends is checked once.
 */
#ifndef IKRAR_BUF_H
#define IKRAR_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct ikr_buf {
    uint8_t *p;
    size_t len;
    size_t cap;
    int oom; /* 1 once an allocation failed */
} ikr_buf;

void ikr_buf_init(ikr_buf *b);
/* Frees the bytes (wiping them first) and re-initialises b. Accepts NULL. */
void ikr_buf_free(ikr_buf *b);
void ikr_buf_reset(ikr_buf *b);
/* Appends n bytes; returns 0, or IKR_E_NOMEM (and sets b->oom). */
int ikr_buf_add(ikr_buf *b, const void *p, size_t n);
int ikr_buf_addc(ikr_buf *b, uint8_t c);
int ikr_buf_adds(ikr_buf *b, const char *s);
/* Makes room for n more bytes. */
int ikr_buf_reserve(ikr_buf *b, size_t n);

#endif
