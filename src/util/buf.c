/*
 * buf.c: growable byte buffers.  Growth doubles; a failed allocation marks
 * the buffer (oom) and leaves its bytes unchanged.  Freed bytes are wiped
 * because buffers carry signed personal data and, briefly, key material.
 */
#include "ikrar/buf.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/err.h"

void ikr_buf_init(ikr_buf *b)
{
    memset(b, 0, sizeof *b);
}

void ikr_buf_free(ikr_buf *b)
{
    if (!b)
        return;
    if (b->p) {
        OPENSSL_cleanse(b->p, b->cap);
        free(b->p);
    }
    ikr_buf_init(b);
}

void ikr_buf_reset(ikr_buf *b)
{
    b->len = 0;
    b->oom = 0;
}

int ikr_buf_reserve(ikr_buf *b, size_t n)
{
    if (b->oom)
        return IKR_E_NOMEM;
    if (n <= b->cap - b->len)
        return IKR_OK;
    size_t need = b->len + n;
    if (need < b->len) {
        b->oom = 1;
        return IKR_E_NOMEM;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    uint8_t *p = malloc(cap);
    if (!p) {
        b->oom = 1;
        return IKR_E_NOMEM;
    }
    if (b->p) {
        memcpy(p, b->p, b->len);
        OPENSSL_cleanse(b->p, b->cap);
        free(b->p);
    }
    b->p = p;
    b->cap = cap;
    return IKR_OK;
}

int ikr_buf_add(ikr_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return b->oom ? IKR_E_NOMEM : IKR_OK;
    if (ikr_buf_reserve(b, n) != IKR_OK)
        return IKR_E_NOMEM;
    memcpy(b->p + b->len, p, n);
    b->len += n;
    return IKR_OK;
}

int ikr_buf_addc(ikr_buf *b, uint8_t c)
{
    return ikr_buf_add(b, &c, 1);
}

int ikr_buf_adds(ikr_buf *b, const char *s)
{
    return ikr_buf_add(b, s, strlen(s));
}
