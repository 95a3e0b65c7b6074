/*
 * bench.c: the kiosk's benchmark (ikrar kiosk --bench); being written.
 */
#include "loop.h"

int ikr_kiosk_bench(const ikr_kiosk_opts *o, const char *exe, FILE *out, ikr_err *e)
{
    (void)o;
    (void)exe;
    (void)out;
    return ikr_err_set(e, IKR_E_INTERNAL, "the kiosk benchmark is not written yet");
}

int ikr_kiosk_bench_bare(int width, int height, FILE *out, ikr_err *e)
{
    (void)width;
    (void)height;
    (void)out;
    return ikr_err_set(e, IKR_E_INTERNAL, "the kiosk benchmark is not written yet");
}
