/*
 * app.h: the kiosk's screens and their state, without SDL.
 *
 * The app is fed input events (touch or mouse as down/move/up, keys, typed
 * text, and ticks of its timers), each stamped with the time in ms, and
 * builds the current frame as a draw list on demand.  Everything a signer
 * sees and does is decided here; the loop (loop.c) only carries events in
 * and frames out, so the same app runs under a real window, under SDL's
 * dummy driver for tests, and in a test with no SDL at all.
 */
#ifndef IKRAR_KIOSK_APP_H
#define IKRAR_KIOSK_APP_H

#include <stdint.h>

#include "draw.h"
#include "ikrar/err.h"
#include "ikrar/station.h"

enum app_ev_type {
    APP_DOWN, /* finger or left button down at (x, y) */
    APP_MOVE, /* moved while down, to (x, y) */
    APP_UP,   /* lifted at (x, y) */
    APP_KEY,  /* a key: key is one of APP_KEY_* */
    APP_TEXT, /* typed text (UTF-8) in text */
    APP_TICK, /* time passed: a timer may be due */
};

enum app_key {
    APP_KEY_ENTER,
    APP_KEY_ESCAPE,
    APP_KEY_BACKSPACE,
    APP_KEY_TAB,
    APP_KEY_UP,
    APP_KEY_DOWN,
    APP_KEY_QUIT, /* Alt+F4 or the window's close button */
    APP_KEY_LEFT, /* the caret a character left, on the details screen */
    APP_KEY_RIGHT,
};

typedef struct app_event {
    int type;
    int x, y;
    int key;
    char text[32];
    uint64_t ms; /* monotonic time of the event */
} app_event;

/* What app_event asks of the loop. */
enum { APP_REDRAW = 1, APP_QUIT = 2 };

/*
 * Words a minute the loop reads aloud at: the app reckons from it when the
 * reading ends (its "Stop" button turns back into "Read aloud").
 */
#define APP_SPEAK_WPM 150

typedef struct app app;

typedef struct app_opts {
    int lang;            /* IKR_LANG_ID or IKR_LANG_EN at start */
    int fullscreen;      /* kiosk mode: keys cannot quit without the admin PIN */
    const char *printer; /* printer URI ("none" or NULL: no printer); copied */
    int paper;           /* paper width in dots; 0: 58 mm */
    int verify_station;  /* start on the Verify screen, an inspectors' kiosk; signing needs the PIN
                          */
    const char *camera;  /* the camera for Verify (NULL: /dev/video0); copied */
    const char *const *frames; /* or picture files or folders as the camera's frames; */
    size_t nframes;            /* borrowed: they must outlive the app */
    /*
     * Sets the system clock to when, "YYYY-MM-DD HH:MM:SS" in the system's
     * own time zone (the staff menu's "Atur jam"): 0, or -1 with why (n
     * bytes, one line) filled.  NULL: app_set_clock_timedatectl.  Tests put
     * a fake here; set_clock_ctx is passed back to it.
     */
    int (*set_clock)(void *ctx, const char *when, char *why, size_t n);
    void *set_clock_ctx;
    /*
     * Reads text aloud in lang (IKR_LANG_ID or IKR_LANG_EN), cutting off
     * whatever was being read; NULL text: stop reading.  Must not block:
     * the loop's audio (kiosk/sdl/audio.c) synthesises on a thread of its
     * own.  NULL: nothing is read (the Read aloud buttons still toggle).
     */
    void (*speak)(void *ctx, int lang, const char *text);
    void *speak_ctx;
    /*
     * A sound for the moment kind (APP_SOUND_*): the audio module plays it;
     * NULL plays nothing.  Called on the app's thread and must not block;
     * sound_ctx is passed back to it.
     */
    void (*sound)(void *ctx, int kind);
    void *sound_ctx;
    /*
     * Verify: wait for each frame's decode where it is handed to the decoder
     * thread, so that its verdict shows at that very tick.  For scripts and
     * tests on a virtual clock; a live kiosk never waits for a decode.
     */
    int decode_sync;
    /*
     * The hub (a data folder with hub.conf): wait, in real time, for its
     * answer to a claim (at most IKR_HUB_CLAIM_MS) or a progress fetch where
     * each is asked, so that a script's virtual clock sees the answer a live
     * kiosk would.  A live kiosk never waits: the frames go on meanwhile.
     */
    int hub_sync;
} app_opts;

/* What app_opts.sound is asked to play. */
enum app_sound_kind {
    APP_SOUND_CALL,  /* a signer pressed "Panggil petugas" */
    APP_SOUND_DONE,  /* a signing is recorded */
    APP_SOUND_ERROR, /* a refusal or a failure the signer must read */
};

/* Runs `timedatectl set-time WHEN` (fork and exec, no shell): app_opts.set_clock's default. */
int app_set_clock_timedatectl(void *ctx, const char *when, char *why, size_t n);

/* Makes the app over an open station (opened to sign); caller frees with app_free. */
int app_new(app **out, ikr_station *s, const app_opts *o, uint64_t now_ms, ikr_err *e);
void app_free(app *a);

/* Feeds one event; returns APP_REDRAW and/or APP_QUIT flags. */
int app_event_feed(app *a, const app_event *ev);

/*
 * Builds the frame for a window of width x height at time now_ms into l,
 * measuring text with m.  Also remembers the frame's hit regions for the
 * events that follow.
 */
void app_frame(app *a, kd_list *l, int width, int height, const kd_measure *m, uint64_t now_ms);

/* Milliseconds until a timer is due (the loop may sleep that long), or -1 for none. */
int64_t app_next_timer(const app *a, uint64_t now_ms);

/* The receipt text of the signing on show (Done screen), or NULL. */
const char *app_receipt(const app *a);

/* The name of the screen showing (for tests and logs): "welcome", "declaration", ... */
const char *app_screen_name(const app *a);

#endif
