/*
 * loop.h: the kiosk's front end: a window (or, for tests, a headless
 * surface), the event loop that carries SDL's input to the app and the
 * app's frames to the renderer, and the script player for tests.
 *
 * Environment read by the loop (for tests and the benchmark, not for
 * kiosks in service):
 *   IKRAR_RENDERER=software|gpu   force SDL's software renderer or the GPU's
 *   IKRAR_KIOSK_HITS=FILE         after each frame, FILE is replaced by the
 *                                 frame's hit regions: a line "#screen NAME W H",
 *                                 then "ID X Y W H" a region
 *   IKRAR_KIOSK_RECEIPTS=FILE     each receipt shown on the Done screen is
 *                                 appended to FILE, one a line
 *   IKRAR_KIOSK_SPOKEN=FILE       each request to read aloud or play a sound
 *                                 is appended to FILE, one a line
 *
 * and, from systemd (notify.h), interactive only:
 *   NOTIFY_SOCKET                 READY=1 after the first frame is presented,
 *                                 WATCHDOG=1 from the loop, STOPPING=1 on leaving
 *   WATCHDOG_USEC, WATCHDOG_PID   how often WATCHDOG=1 is due (the loop's
 *                                 wait is shortened to half of it at most)
 */
#ifndef IKRAR_KIOSK_LOOP_H
#define IKRAR_KIOSK_LOOP_H

#include <stdint.h>
#include <stdio.h>

#include "ikrar/err.h"

#define IKR_KIOSK_DEFAULT_W 1280
#define IKR_KIOSK_DEFAULT_H 800
#define IKR_KIOSK_MIN_SIDE 200  /* px: smaller windows are refused */
#define IKR_KIOSK_MAX_SIDE 8192 /* px */
#define IKR_KIOSK_WAKE_MS 250   /* the loop looks at SIGTERM/SIGINT at least this often */
#define IKR_SCRIPT_TAP_MS 40    /* a scripted tap holds the finger down this long */
#define IKR_SCRIPT_STEP_MS 16   /* between the points of a scripted stroke */

typedef struct ikr_kiosk_opts {
    const char *data;          /* the data folder */
    const char *passphrase;    /* of the kiosk key; NULL when it is not encrypted */
    int fullscreen;            /* kiosk mode: the whole screen; quitting needs the admin PIN */
    int width, height;         /* window size; 0: IKR_KIOSK_DEFAULT_W x _H */
    int lang;                  /* IKR_LANG_ID or IKR_LANG_EN */
    const char *script;        /* a script file to play headless ("-": standard input), or NULL */
    const char *shots;         /* folder for the script's screenshots; NULL: the current one */
    const char *printer;       /* printer URI; NULL: the folder's setting, else none */
    int paper;                 /* paper width in dots (IKR_TICKET_58MM or _80MM); 0: 58 mm */
    int verify_station;        /* open on the Verify screen (an inspectors' kiosk) */
    const char *camera;        /* the camera device for Verify; NULL: /dev/video0 */
    const char *const *frames; /* or picture files / folders as the camera's frames */
    size_t nframes;
} ikr_kiosk_opts;

/* What a run measured, for the benchmark. */
typedef struct ikr_kiosk_stats {
    char renderer[32];     /* the SDL renderer's name */
    char driver[32];       /* the SDL video driver's name */
    double first_frame_ms; /* from ikr_kiosk_run's start to the first frame presented */
    double idle_cpu_ms;    /* user + system CPU while idle (when bench_idle_ms was set) */
    double idle_wall_ms;
} ikr_kiosk_stats;

/*
 * Runs the kiosk over the data folder o->data until the app quits (the
 * admin's "leave kiosk mode", or the window's close button when not in
 * fullscreen), SIGTERM or SIGINT, or, with o->script, the end of the
 * script.  Returns IKR_OK for all of these; otherwise the error that
 * stopped it (the station would not open, no window, no font), and for a
 * script whose expectation failed IKR_E_INTERNAL with the detail
 * "script:LINE: ..." (the loop has then printed the frame's texts on
 * stderr).
 */
int ikr_kiosk_run(const ikr_kiosk_opts *o, ikr_err *e);

/*
 * ikr_kiosk_run with measurements into st (may be NULL).  With
 * bench_idle_ms > 0 (interactive only), the loop leaves by itself once it
 * has drawn its first frame and then waited that long, and st->idle_cpu_ms
 * is the CPU it used meanwhile.
 */
int ikr_kiosk_run_measured(const ikr_kiosk_opts *o, int bench_idle_ms, ikr_kiosk_stats *st,
                           ikr_err *e);

#endif
