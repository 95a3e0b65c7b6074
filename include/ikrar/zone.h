/*
 * zone.h: Indonesia's three time zones, in which times are shown to people.
 * Records keep UTC seconds; a kiosk's zone (set at init) only changes how a
 * time is written: WIB UTC+7, WITA UTC+8, WIT UTC+9.
 */
#ifndef IKRAR_ZONE_H
#define IKRAR_ZONE_H

#include <stddef.h>
#include <stdint.h>

#define IKR_ZONE_WIB 420
#define IKR_ZONE_WITA 480
#define IKR_ZONE_WIT 540

/* Minutes east of UTC for "WIB", "WITA" or "WIT" (any case); -1 for anything else. */
int ikr_zone_parse(const char *name);
/* "WIB", "WITA" or "WIT" for an offset; anything unknown is WIB. */
const char *ikr_zone_name(int offset_min);
/*
 * Writes Unix time t in the zone as "YYYY-MM-DD HH:MM[:SS] ZONE" into out
 * (n bytes, NUL-terminated) and returns out.  offset_min 0 means WIB.
 */
char *ikr_zone_format(char *out, size_t n, int64_t t, int offset_min, int seconds);

#endif
