/*
 * textedit.c: the caret's arithmetic over UTF-8 (textedit.h).  A byte
 * 10xxxxxx continues a character; every other byte starts one.
 */
#include <string.h>

#include "textedit.h"

static int continues(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

size_t te_clamp(const char *s, size_t pos)
{
    size_t len = strlen(s);
    if (pos > len)
        pos = len;
    while (pos > 0 && continues(s[pos]))
        pos--;
    return pos;
}

size_t te_prev(const char *s, size_t pos)
{
    pos = te_clamp(s, pos);
    if (pos == 0)
        return 0;
    do
        pos--;
    while (pos > 0 && continues(s[pos]));
    return pos;
}

size_t te_next(const char *s, size_t pos)
{
    pos = te_clamp(s, pos);
    if (!s[pos])
        return pos;
    do
        pos++;
    while (s[pos] && continues(s[pos]));
    return pos;
}

size_t te_insert(char *s, size_t max, size_t *pos, const char *add)
{
    size_t len = strlen(s), at = te_clamp(s, *pos), n = strlen(add);
    if (len > max)
        len = max; /* a buffer already over its size takes nothing more */
    while (n > 0 && len + n > max) {
        n--; /* drop the last character, whole */
        while (n > 0 && continues(add[n]))
            n--;
    }
    if (n == 0) {
        *pos = at;
        return 0;
    }
    memmove(s + at + n, s + at, len - at + 1);
    memcpy(s + at, add, n);
    *pos = at + n;
    return n;
}

int te_backspace(char *s, size_t *pos)
{
    size_t at = te_clamp(s, *pos), from = te_prev(s, at);
    *pos = from;
    if (from == at)
        return 0;
    memmove(s + from, s + at, strlen(s + at) + 1);
    return 1;
}
