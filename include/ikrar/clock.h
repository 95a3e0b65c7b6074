/*
 * clock.h: the one place ikrar reads the wall clock for what it signs and
 * stores (a signature's time, init, export, checkpoint, close).
 *
 * IKRAR_TEST_NOW, FOR TESTS ONLY: when set to seconds since the epoch
 * ("1764900000") or "@SECONDS", ikr_clock_now returns that instead of the
 * system clock, so tests can sign "in 2001" or "8 days later" without
 * changing the machine's clock.  A value that is not a whole number of
 * seconds is ignored (the real clock is used).  The kiosk's service never
 * sets it, and only a test build reads it (cmake -DIKRAR_TEST_HOOKS=ON, the
 * default for a developer's build; deploy/build-deb.sh builds the package
 * with it OFF, so a released kiosk signs by the real clock whatever its
 * environment says).
 */
#ifndef IKRAR_CLOCK_H
#define IKRAR_CLOCK_H

#include <stdint.h>

#include "err.h"

#define IKR_CLOCK_ENV "IKRAR_TEST_NOW"

/* The time now, in seconds since the epoch (never negative). */
uint64_t ikr_clock_now(void);

/*
 * Parses a duration "90m", "36h" or "7d" (a whole number and one unit: s,
 * m, h, d) into seconds.  0 on success, -1 when malformed or out of range.
 */
int ikr_duration_parse(const char *s, int64_t *secs);

/* Writes a duration the way a person reads it ("7d", "36h", "90m", "45s"). */
void ikr_duration_format(char *out, unsigned n, int64_t secs);

/* A Unix time as "2026-12-05T09:00:00Z" (out: at least 24 bytes). */
void ikr_clock_iso(char *out, unsigned n, int64_t t);

/*
 * When e is a clock refusal (IKR_E_CLOCK_*), writes its operational log
 * line: "clock-refused rule=before-init|before-last|max-gap clock=ISO
 * limit=ISO [seq=N] [gap=7d] by=WHO" and returns 1; otherwise writes nothing
 * and returns 0.  by names the caller ("sign", "kiosk").
 */
int ikr_clock_log_refusal(const ikr_err *e, const char *by);

#endif
