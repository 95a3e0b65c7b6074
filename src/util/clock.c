/*
 * clock.c: the wall clock as ikrar reads it (clock.h), and durations.
 */
#include "ikrar/clock.h"

#include "ikrar/oplog.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef IKRAR_TEST_HOOKS
/* A whole non-negative number of seconds, at most 2^62; -1 otherwise. */
static int64_t parse_secs(const char *s)
{
    if (*s == '@')
        s++;
    if (*s < '0' || *s > '9')
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > ((int64_t)1 << 62) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}
#endif

uint64_t ikr_clock_now(void)
{
#ifdef IKRAR_TEST_HOOKS
    /* Test builds only: a release build signs by the real clock whatever its environment. */
    const char *env = getenv(IKR_CLOCK_ENV);
    if (env && *env) {
        int64_t v = parse_secs(env);
        if (v >= 0)
            return (uint64_t)v;
    }
#endif
    time_t t = time(NULL);
    return t > 0 ? (uint64_t)t : 0;
}

int ikr_duration_parse(const char *s, int64_t *secs)
{
    if (!s)
        return -1;
    int64_t v = 0;
    size_t digits = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 9)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (digits == 0 || !s[0] || s[1])
        return -1;
    switch (*s) {
    case 's':
        break;
    case 'm':
        v *= 60;
        break;
    case 'h':
        v *= 3600;
        break;
    case 'd':
        v *= 86400;
        break;
    default:
        return -1;
    }
    *secs = v;
    return 0;
}

void ikr_duration_format(char *out, unsigned n, int64_t secs)
{
    if (secs % 86400 == 0 && secs > 0)
        snprintf(out, n, "%lldd", (long long)(secs / 86400));
    else if (secs % 3600 == 0 && secs > 0)
        snprintf(out, n, "%lldh", (long long)(secs / 3600));
    else if (secs % 60 == 0 && secs > 0)
        snprintf(out, n, "%lldm", (long long)(secs / 60));
    else
        snprintf(out, n, "%llds", (long long)secs);
}

void ikr_clock_iso(char *out, unsigned n, int64_t t)
{
    time_t w = (time_t)t;
    struct tm tm;
    if (n == 0)
        return;
    out[0] = '\0';
    if (gmtime_r(&w, &tm))
        strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int ikr_clock_log_refusal(const ikr_err *e, const char *by)
{
    const char *rule = NULL;
    if (!e)
        return 0;
    switch (e->code) {
    case IKR_E_CLOCK_BEFORE_INIT:
        rule = "before-init";
        break;
    case IKR_E_CLOCK_BEFORE_LAST:
        rule = "before-last";
        break;
    case IKR_E_CLOCK_GAP:
        rule = "max-gap";
        break;
    default:
        return 0;
    }
    char now[32], limit[32], who[32];
    ikr_clock_iso(now, sizeof now, e->when);
    ikr_clock_iso(limit, sizeof limit, e->limit);
    ikr_oplog_word(by ? by : "-", who, sizeof who);
    if (e->code == IKR_E_CLOCK_GAP) {
        char gap[32];
        ikr_oplog_word(e->detail, gap, sizeof gap);
        ikr_oplog("clock-refused", "rule=%s clock=%s limit=%s gap=%s by=%s", rule, now, limit, gap,
                  who);
    } else if (e->code == IKR_E_CLOCK_BEFORE_LAST) {
        ikr_oplog("clock-refused", "rule=%s clock=%s limit=%s seq=%lld by=%s", rule, now, limit,
                  (long long)e->seq, who);
    } else {
        ikr_oplog("clock-refused", "rule=%s clock=%s limit=%s by=%s", rule, now, limit, who);
    }
    return 1;
}
