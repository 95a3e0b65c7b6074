/*
 * oplog.c: the operational log (oplog.h).  No state: every line is built on
 * the stack and written with one write(2).
 */
#include "ikrar/oplog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void ikr_oplog(const char *event, const char *fmt, ...)
{
    char line[IKR_OPLOG_MAX];
    int n = snprintf(line, sizeof line, "ikrar: %s", event ? event : "?");
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (fmt && *fmt && len + 1 < sizeof line) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + len, sizeof line - len, fmt, ap);
        va_end(ap);
        if (m > 0)
            len += (size_t)m < sizeof line - len ? (size_t)m : sizeof line - len - 1;
    }
    /* one line, whatever the values held */
    for (size_t i = 0; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    if (len >= sizeof line - 1)
        len = sizeof line - 2;
    line[len++] = '\n';
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(STDERR_FILENO, line + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nowhere to log to: the work itself goes on */
        off += (size_t)w;
    }
}

const char *ikr_oplog_nip(const char *nip, char out[IKR_OPLOG_NIP_SIZE])
{
    size_t n = nip ? strlen(nip) : 0;
    if (n == 0) {
        snprintf(out, IKR_OPLOG_NIP_SIZE, "-");
        return out;
    }
    size_t keep = n > 4 ? 4 : 0; /* too short to be a NIP: show none of it */
    size_t stars = n - keep;
    if (stars > IKR_OPLOG_NIP_SIZE - 1 - keep)
        stars = IKR_OPLOG_NIP_SIZE - 1 - keep;
    memset(out, '*', stars);
    for (size_t i = 0; i < keep; i++) {
        char c = nip[n - keep + i];
        out[stars + i] = c >= '0' && c <= '9' ? c : '_';
    }
    out[stars + keep] = '\0';
    return out;
}

const char *ikr_oplog_word(const char *s, char *out, size_t cap)
{
    if (cap == 0)
        return "";
    size_t i = 0;
    for (; s && s[i] && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c <= ' ' || c == 0x7f ? '_' : (char)c;
    }
    if (i == 0 && cap > 1)
        out[i++] = '-';
    out[i] = '\0';
    return out;
}
