/*
 * zone.c: writing a time as people in Indonesia read it: in their kiosk's
 * zone, named.  gmtime_r on the shifted time, so no local time zone of the
 * machine ever enters.
 */
#include "ikrar/zone.h"

#include <stdio.h>
#include <strings.h>
#include <time.h>

int ikr_zone_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcasecmp(name, "WIB") == 0)
        return IKR_ZONE_WIB;
    if (strcasecmp(name, "WITA") == 0)
        return IKR_ZONE_WITA;
    if (strcasecmp(name, "WIT") == 0)
        return IKR_ZONE_WIT;
    return -1;
}

const char *ikr_zone_name(int offset_min)
{
    return offset_min == IKR_ZONE_WITA ? "WITA" : offset_min == IKR_ZONE_WIT ? "WIT" : "WIB";
}

char *ikr_zone_format(char *out, size_t n, int64_t t, int offset_min, int seconds)
{
    int off = offset_min == IKR_ZONE_WITA || offset_min == IKR_ZONE_WIT ? offset_min : IKR_ZONE_WIB;
    time_t w = (time_t)(t + (int64_t)off * 60);
    struct tm tm;
    char when[32] = "";
    if (n == 0)
        return out;
    if (gmtime_r(&w, &tm))
        strftime(when, sizeof when, seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm);
    snprintf(out, n, "%s %s", when, ikr_zone_name(off));
    return out;
}
