/*
 * test_hooks_off: the clock as a release build has it (util/clock.c compiled
 * without IKRAR_TEST_HOOKS) signs by the real clock, whatever IKRAR_TEST_NOW
 * says: a kiosk user who can set its environment cannot backdate a record.
 */
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "ikrar/clock.h"

int main(void)
{
    setenv("IKRAR_TEST_NOW", "978310800", 1); /* 2001-01-01 */
    uint64_t before = (uint64_t)time(NULL);
    uint64_t now = ikr_clock_now();
    uint64_t after = (uint64_t)time(NULL);
    check("IKRAR_TEST_NOW is ignored: the real clock", now >= before && now <= after);
    setenv("IKRAR_TEST_NOW", "@978310800", 1);
    check("@SECONDS is ignored too", ikr_clock_now() >= before);
    return check_report();
}
