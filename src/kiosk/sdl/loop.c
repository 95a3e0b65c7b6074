/*
 * loop.c: the kiosk's front end: station, app, window, renderer, and the
 * loop between them; and the script player that drives the same app
 * headless for tests.
 *
 * Interactive, the loop sleeps in SDL_WaitEventTimeout until input comes
 * or the app's next timer is due (never longer than IKR_KIOSK_WAKE_MS, so a
 * SIGTERM is seen promptly), turns SDL's events into app_events, and draws
 * a frame only when the app asked for one or the window was exposed or
 * resized: an idle kiosk costs no CPU.  Scripted, the same app gets the
 * same kind of events from the script's lines, on a virtual clock that the
 * script's waits advance (nothing really sleeps), and every line is
 * followed by a frame drawn with the software renderer onto a surface.
 *
 * The one piece of global state in the kiosk is the flag the SIGTERM and
 * SIGINT handler sets; the loop reads it between events and then leaves
 * cleanly (app_free wipes what a signer had entered).
 */
#include "loop.h"

#include "ikrar/file.h"
#include "ikrar/notify.h"
#include "ikrar/oplog.h"
#include "ikrar/printer.h"
#include "ikrar/ticket.h"

#include <SDL.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "audio.h"
#include "ikrar/station.h"
#include "render.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

typedef struct kloop {
    const ikr_kiosk_opts *o;
    ikr_station *s;
    app *a;
    SDL_Window *win;
    SDL_Renderer *r;
    SDL_Surface *surf; /* scripted: what the software renderer draws on */
    kr *k;
    kd_list *l;
    int w, h; /* the frame's size in px */
    int scripted;
    uint64_t now; /* scripted: the virtual clock, ms */
    int sdl_up;
    const char *hits_path;
    const char *receipts_path;
    const char *spoken_path; /* test hook: what was asked to be spoken or played, a line each */
    ka_audio *audio;         /* NULL: no sound */
    char last_receipt_seen[64];
    int render_warned;
    int was_welcome;     /* the last frame drawn was Welcome */
    int mouse_down;      /* the left button is down (mouse, not touch) */
    SDL_FingerID finger; /* the finger being followed */
    int finger_down;
    long long watchdog_ms; /* systemd's watchdog wants WATCHDOG=1 this often; 0: none */
    int notify_warned;     /* a notify failure was logged */
    int started;           /* the "start" line was logged: "stop" is owed */
    double last_ping;      /* mono_ms of the last WATCHDOG=1 */
} kloop;

/* ---- frames ---- */

/*
 * Replaces the hits file with the frame's hit regions (tests click by id).
 * Atomic, so a test never reads half a frame's; not synced: it is rewritten
 * every frame and means nothing after a power cut.
 */
static void write_hits(kloop *L)
{
    ikr_file_out out;
    char line[64]; /* four ints and their spaces */
    if (ikr_file_out_open(&out, L->hits_path, 0644, IKR_FILE_NOSYNC, NULL))
        return;
    /* Names are written on their own: their lengths are the app's, not this buffer's. */
    const char *screen = app_screen_name(L->a);
    ikr_file_out_write(&out, "#screen ", 8, NULL);
    ikr_file_out_write(&out, screen, strlen(screen), NULL);
    int n = snprintf(line, sizeof line, " %d %d\n", L->w, L->h);
    ikr_file_out_write(&out, line, (size_t)n, NULL);
    for (int i = 0; i < L->l->nhit; i++) {
        const kd_hit *t = &L->l->hit[i];
        char name[KBTN_NAME_MAX];
        kbtn_name(t->btn, t->idx, name, sizeof name);
        ikr_file_out_write(&out, name, strlen(name), NULL);
        n = snprintf(line, sizeof line, " %d %d %d %d\n", t->x, t->y, t->w, t->h);
        ikr_file_out_write(&out, line, (size_t)n, NULL);
    }
    /* A failed write sticks in out: the commit then removes the file instead. */
    ikr_file_out_commit(&out, NULL);
}

/* Appends a receipt newly on show to the receipts file. */
static void note_receipt(kloop *L)
{
    const char *rc = app_receipt(L->a);
    if (!rc) {
        L->last_receipt_seen[0] = '\0';
        return;
    }
    /* The same receipt stays on show for many frames: compare its start. */
    if (strncmp(rc, L->last_receipt_seen, sizeof L->last_receipt_seen - 1) == 0)
        return;
    snprintf(L->last_receipt_seen, sizeof L->last_receipt_seen, "%s", rc);
    FILE *f = fopen(L->receipts_path, "a");
    if (f) {
        fprintf(f, "%s\n", rc);
        fclose(f);
    }
}

/* Appends a request for speech or sound to the spoken file: "speak id TEXT", "speak stop", "sound
 * done". */
static void note_spoken(kloop *L, const char *what, const char *arg, const char *text)
{
    FILE *f = fopen(L->spoken_path, "a");
    if (!f)
        return;
    fprintf(f, "%s %s", what, arg);
    if (text) {
        fputc(' ', f);
        for (const char *p = text; *p; p++) /* one line a request */
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
    }
    fputc('\n', f);
    fclose(f);
}

/* app_opts.speak: to the speaking thread, which never makes the loop wait. */
static void on_speak(void *ctx, int lang, const char *text)
{
    kloop *L = ctx;
    if (L->spoken_path)
        note_spoken(L, "speak", text ? (lang == IKR_LANG_EN ? "en" : "id") : "stop", text);
    ka_speak(L->audio, lang, text);
}

/* app_opts.sound: a tone queued at once. */
static void on_sound(void *ctx, int kind)
{
    kloop *L = ctx;
    if (L->spoken_path)
        note_spoken(L, "sound",
                    kind == APP_SOUND_DONE    ? "done"
                    : kind == APP_SOUND_ERROR ? "error"
                                              : "call",
                    NULL);
    ka_sound(L->audio, kind);
}

/*
 * Opens the sound: SDL's dummy driver when scripted (the same thread and
 * queue, nothing heard), unless SDL_AUDIODRIVER says otherwise.  Without
 * audio the kiosk runs on silent, and says so once.
 */
static void open_audio(kloop *L)
{
    char why[200];
    if (L->scripted)
        SDL_SetHint("SDL_AUDIODRIVER", "dummy"); /* SDL_HINT_AUDIODRIVER; the environment wins */
    L->audio = ka_open(why, sizeof why);
    if (!L->audio) {
        char w[200];
        ikr_oplog("audio", "sound=none reason=%s", ikr_oplog_word(why, w, sizeof w));
    }
}

static uint64_t now_ms(const kloop *L)
{
    return L->scripted ? L->now : SDL_GetTicks64();
}

/* Builds the app's frame for the current size and draws it (does not present). */
static void draw_frame(kloop *L)
{
    kd_measure m = kr_measure(L->k, L->l);
    app_frame(L->a, L->l, L->w, L->h, &m, now_ms(L));
    /* Back on Welcome: the renderer's caches let go of the last signer's text and ink. */
    int welcome = strcmp(app_screen_name(L->a), "welcome") == 0;
    if (welcome && !L->was_welcome)
        kr_forget(L->k);
    L->was_welcome = welcome;
    int rc = kr_draw(L->k, L->l);
    if (rc && !L->render_warned) {
        /* The frame is drawn as far as it could be; say so once, not every frame. */
        fprintf(stderr, "ikrar kiosk: %s\n", ikr_code_text(rc, L->o->lang));
        L->render_warned = 1;
    }
    if (L->hits_path)
        write_hits(L);
    if (L->receipts_path)
        note_receipt(L);
}

/* ---- renderer choice ---- */

/* 1 when a GPU device node exists (no node: Mesa would only offer llvmpipe). */
static int gpu_present(void)
{
    static const char *const nodes[] = {"/dev/dri/renderD128", "/dev/dri/card0", "/dev/dri/card1"};
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
        if (access(nodes[i], R_OK | W_OK) == 0)
            return 1;
    return 0;
}

/* 1 when an OpenGL renderer runs on a software rasteriser (llvmpipe, softpipe, swrast). */
static int gl_is_software(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
        return 0;
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get = (get_string_fn)SDL_GL_GetProcAddress("glGetString");
    if (!get)
        return 0;
    const char *name = (const char *)get(0x1F01 /* GL_RENDERER */);
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") ||
                    strstr(name, "Software Rasterizer") || strstr(name, "swrast"));
}

/*
 * The GPU's renderer when there is a GPU (and IKRAR_RENDERER is not
 * "software"), else SDL's software renderer: a software GL stack costs
 * ~100 MB and is slower than SDL's own.
 *
 * SDL's software renderer draws into the window's framebuffer.  X11 has
 * one of its own; Wayland has none (SDL 2.26), and SDL then presents the
 * software renderer's pixels through a texture of a GL renderer, which the
 * hint SDL_HINT_FRAMEBUFFER_ACCELERATION="0" (set for X11, where it only
 * costs) forbids: "Couldn't find matching render driver".  So when the
 * first choice cannot be made, the others are tried in turn: software
 * presented through GL, then any accelerated renderer (a software GL such
 * as llvmpipe included), then the software renderer once more as the last
 * word.  *how says which way was taken, for the "start" log line.
 */
static SDL_Renderer *make_renderer(SDL_Window *win, const char **how)
{
    const char *want = getenv("IKRAR_RENDERER");
    int software = want && strcmp(want, "software") == 0;
    int gpu = want && strcmp(want, "gpu") == 0;
    SDL_Renderer *r = NULL;
    *how = "gpu";
    if (!software && (gpu || gpu_present())) {
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (r && !gpu && gl_is_software(r)) {
            SDL_DestroyRenderer(r);
            r = NULL;
        }
    }
    if (!r) {
        /* SDL reads the hint once, at the first software renderer: set it for this driver now. */
        const char *drv = SDL_GetCurrentVideoDriver();
        int own_fb = drv && strcmp(drv, "x11") == 0;
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, own_fb ? "0" : "1");
        *how = own_fb ? "software" : "software-via-gl";
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!r) {
        *how = "accelerated-fallback";
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED);
    }
    return r;
}

static void set_hints(void)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1"); /* ours: SIGTERM is not a window close */
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* a touch is counted once, as a finger */
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0");
}

/* Scripted: a software renderer on a w x h surface; the kr is made anew. */
static int make_surface(kloop *L, int w, int h, ikr_err *e)
{
    kr_close(L->k);
    L->k = NULL;
    if (L->r)
        SDL_DestroyRenderer(L->r);
    L->r = NULL;
    if (L->surf)
        SDL_FreeSurface(L->surf);
    L->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!L->surf)
        return ikr_err_set(e, IKR_E_NOMEM, "surface %dx%d: %s", w, h, SDL_GetError());
    L->r = SDL_CreateSoftwareRenderer(L->surf);
    if (!L->r)
        return ikr_err_set(e, IKR_E_DISPLAY, "software renderer: %s", SDL_GetError());
    L->w = w;
    L->h = h;
    return kr_open(&L->k, L->r, e);
}

/*
 * Reads the size the renderer really draws at (pixels, which under a
 * scaled Wayland output or high DPI differ from the window's points);
 * returns 1 when it changed.  The frame is laid out for this size, never
 * for the size asked of the window: a fullscreen window gets the output's.
 */
static int output_size(kloop *L)
{
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(L->r, &w, &h) != 0 || w <= 0 || h <= 0)
        return 0;
    if (w == L->w && h == L->h)
        return 0;
    L->w = w;
    L->h = h;
    /*
     * The renderer keeps the viewport it had when it was made or last saw
     * SIZE_CHANGED.  Under Wayland a fullscreen window is resized by the
     * compositor's first configure, which can land before the GL surface
     * follows and before the renderer exists, and no later event comes:
     * the frame was then drawn for the old size and scaled onto the new one
     * (1280x800 onto cage's 1280x720, 11 % too tall) while touches used the
     * real size.  NULL: the whole output as it is now.
     */
    SDL_RenderSetViewport(L->r, NULL);
    return 1;
}

/* The "start" line of the operational log: what runs, where, and how it draws. */
static void log_start(kloop *L, const char *how)
{
    SDL_RendererInfo info;
    const char *rname = SDL_GetRendererInfo(L->r, &info) == 0 ? info.name : "?";
    const char *drv = SDL_GetCurrentVideoDriver();
    char data[256];
    ikr_oplog("start", "version=%s data=%s video=%s renderer=%s via=%s size=%dx%d", IKRAR_VERSION,
              ikr_oplog_word(L->o->data, data, sizeof data), drv ? drv : "?", rname, how, L->w,
              L->h);
}

static int open_window(kloop *L, ikr_err *e)
{
    const ikr_kiosk_opts *o = L->o;
    int w = o->width > 0 ? o->width : IKR_KIOSK_DEFAULT_W;
    int h = o->height > 0 ? o->height : IKR_KIOSK_DEFAULT_H;
    Uint32 flags =
        SDL_WINDOW_SHOWN | (o->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE);
    /*
     * Fullscreen, the window is asked for at the screen's size from the
     * start: a kiosk compositor (cage) gives it that size anyway, and a
     * window that starts smaller or larger is resized under a renderer and
     * a GL surface already made for the size asked.
     */
    SDL_DisplayMode mode;
    if (o->fullscreen && SDL_GetDesktopDisplayMode(0, &mode) == 0 && mode.w > 0 && mode.h > 0) {
        w = mode.w;
        h = mode.h;
    }
    L->win = SDL_CreateWindow("ikrar", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!L->win)
        return ikr_err_set(e, IKR_E_DISPLAY, "window: %s", SDL_GetError());
    const char *how;
    L->r = make_renderer(L->win, &how);
    if (!L->r)
        return ikr_err_set(e, IKR_E_DISPLAY, "renderer: %s", SDL_GetError());
    if (o->fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    output_size(L);
    SDL_StartTextInput();
    int rc = kr_open(&L->k, L->r, e);
    if (rc == IKR_OK) {
        log_start(L, how);
        L->started = 1;
    }
    return rc;
}

/* ---- interactive ---- */

static int feed(kloop *L, app_event *ev)
{
    ev->ms = now_ms(L);
    return app_event_feed(L->a, ev);
}

static int feed_key(kloop *L, int key)
{
    app_event ev = {.type = APP_KEY, .key = key};
    return feed(L, &ev);
}

static int feed_point(kloop *L, int type, int x, int y)
{
    app_event ev = {.type = type, .x = x, .y = y};
    return feed(L, &ev);
}

/*
 * A mouse position in the window's coordinates (points) fed in the frame's
 * (the renderer's pixels): under high DPI or a scaled output the two differ
 * and a click would land beside the button drawn.
 */
static int feed_mouse(kloop *L, int type, int x, int y)
{
    int ww = 0, wh = 0;
    SDL_GetWindowSize(L->win, &ww, &wh);
    if (ww > 0 && wh > 0 && (ww != L->w || wh != L->h)) {
        x = (int)((long long)x * L->w / ww);
        y = (int)((long long)y * L->h / wh);
    }
    return feed_point(L, type, x, y);
}

/*
 * Turns one SDL event into app events.  Returns APP_* flags; *redraw is
 * set for window changes that need a frame whatever the app says.
 */
/* 1 when the touch device still reports finger id as down. */
static int finger_present(SDL_TouchID touch, SDL_FingerID id)
{
    int n = SDL_GetNumTouchFingers(touch);
    for (int i = 0; i < n; i++) {
        const SDL_Finger *f = SDL_GetTouchFinger(touch, i);
        if (f && f->id == id)
            return 1;
    }
    return 0;
}

static int handle(kloop *L, const SDL_Event *sev, int *redraw)
{
    switch (sev->type) {
    case SDL_QUIT:
        return feed_key(L, APP_KEY_QUIT);
    case SDL_KEYDOWN: {
        SDL_Keycode k = sev->key.keysym.sym;
        if (k == SDLK_RETURN || k == SDLK_KP_ENTER)
            return feed_key(L, APP_KEY_ENTER);
        if (k == SDLK_ESCAPE)
            return feed_key(L, APP_KEY_ESCAPE);
        if (k == SDLK_BACKSPACE)
            return feed_key(L, APP_KEY_BACKSPACE);
        if (k == SDLK_TAB)
            return feed_key(L, APP_KEY_TAB);
        if (k == SDLK_UP)
            return feed_key(L, APP_KEY_UP);
        if (k == SDLK_DOWN)
            return feed_key(L, APP_KEY_DOWN);
        if (k == SDLK_LEFT || k == SDLK_RIGHT)
            return feed_key(L, k == SDLK_LEFT ? APP_KEY_LEFT : APP_KEY_RIGHT);
        if (k == SDLK_F4 && (sev->key.keysym.mod & KMOD_ALT))
            return feed_key(L, APP_KEY_QUIT);
        return 0;
    }
    case SDL_TEXTINPUT: {
        app_event ev = {.type = APP_TEXT};
        snprintf(ev.text, sizeof ev.text, "%s", sev->text.text);
        return feed(L, &ev);
    }
    case SDL_MOUSEBUTTONDOWN:
        if (sev->button.which == SDL_TOUCH_MOUSEID || sev->button.button != SDL_BUTTON_LEFT ||
            L->finger_down)
            return 0;
        L->mouse_down = 1;
        return feed_mouse(L, APP_DOWN, sev->button.x, sev->button.y);
    case SDL_MOUSEMOTION:
        if (sev->motion.which == SDL_TOUCH_MOUSEID || !L->mouse_down)
            return 0;
        return feed_mouse(L, APP_MOVE, sev->motion.x, sev->motion.y);
    case SDL_MOUSEBUTTONUP:
        if (sev->button.which == SDL_TOUCH_MOUSEID || sev->button.button != SDL_BUTTON_LEFT ||
            !L->mouse_down)
            return 0;
        L->mouse_down = 0;
        return feed_mouse(L, APP_UP, sev->button.x, sev->button.y);
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: {
        /* One finger at a time: the first down is followed until it lifts. */
        const SDL_TouchFingerEvent *f = &sev->tfinger;
        int x = (int)(f->x * (float)L->w), y = (int)(f->y * (float)L->h);
        if (sev->type == SDL_FINGERDOWN) {
            if (L->finger_down && !finger_present(f->touchId, L->finger)) {
                /* The finger we followed is gone without its UP (a controller reset):
                 * end that touch where nothing can be tapped, and take the new one. */
                L->finger_down = 0;
                feed_point(L, APP_UP, -1, -1);
            }
            if (L->finger_down || L->mouse_down)
                return 0;
            L->finger_down = 1;
            L->finger = f->fingerId;
            return feed_point(L, APP_DOWN, x, y);
        }
        if (!L->finger_down || f->fingerId != L->finger)
            return 0;
        if (sev->type == SDL_FINGERUP) {
            L->finger_down = 0;
            return feed_point(L, APP_UP, x, y);
        }
        return feed_point(L, APP_MOVE, x, y);
    }
    case SDL_WINDOWEVENT:
        switch (sev->window.event) {
        case SDL_WINDOWEVENT_SIZE_CHANGED:
        case SDL_WINDOWEVENT_RESIZED:
            output_size(L);
            *redraw = 1;
            break;
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_RESTORED:
            *redraw = 1;
            break;
        case SDL_WINDOWEVENT_FOCUS_LOST:
            /* A touch or button let go outside the window would otherwise stay down. */
            if (L->finger_down) {
                L->finger_down = 0;
                return feed_point(L, APP_UP, -1, -1);
            }
            if (L->mouse_down) {
                L->mouse_down = 0;
                int x, y;
                SDL_GetMouseState(&x, &y);
                return feed_mouse(L, APP_UP, x, y);
            }
            break;
        default:
            break;
        }
        return 0;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET: {
        /* Textures were lost with the device: start the renderer's caches afresh. */
        ikr_err e2;
        ikr_err_clear(&e2);
        kr_close(L->k);
        L->k = NULL;
        if (kr_open(&L->k, L->r, &e2) != 0)
            return APP_QUIT;
        *redraw = 1;
        return 0;
    }
    default:
        return 0;
    }
}

/* Tells systemd (when it listens, notify.h); a failure is logged once, the kiosk goes on. */
static void notify(kloop *L, const char *msg)
{
    ikr_err e;
    ikr_err_clear(&e);
    if (ikr_notify(msg, &e) != IKR_OK && !L->notify_warned) {
        char d[128];
        ikr_oplog("notify-fail", "msg=%s reason=%s", msg, ikr_oplog_word(e.detail, d, sizeof d));
        L->notify_warned = 1;
    }
}

/*
 * WATCHDOG=1 when half the watchdog's interval has passed since the last.
 * Called once per turn of the loop and nowhere else, so a loop that hangs
 * (in a draw, a printer call, a lock) stops the pings and systemd restarts
 * the kiosk; the loop's wait is never longer than IKR_KIOSK_WAKE_MS nor
 * than the ping interval.
 */
static void watchdog(kloop *L)
{
    if (L->watchdog_ms <= 0)
        return;
    double now = mono_ms();
    if (now - L->last_ping >= (double)L->watchdog_ms / 2) {
        notify(L, "WATCHDOG=1");
        L->last_ping = now;
    }
}

static int run_interactive(kloop *L, int bench_idle_ms, double t_start, ikr_kiosk_stats *st)
{
    int redraw = 1, first = 1;
    double idle_cpu0 = 0, idle_wall0 = 0;
    L->watchdog_ms = ikr_notify_watchdog_ms();
    L->last_ping = mono_ms();
    while (!stop_requested) {
        watchdog(L);
        /* The size is read every turn too: a compositor may resize without an event SDL passes on.
         */
        if (output_size(L))
            redraw = 1;
        if (redraw) {
            draw_frame(L);
            SDL_RenderPresent(L->r);
            redraw = 0;
            if (first) {
                first = 0;
                /* The first frame is on screen: the service is up. */
                notify(L, "READY=1");
                if (st)
                    st->first_frame_ms = mono_ms() - t_start;
                idle_cpu0 = cpu_ms();
                idle_wall0 = mono_ms();
            }
        }
        if (bench_idle_ms > 0 && mono_ms() - idle_wall0 >= bench_idle_ms) {
            if (st) {
                st->idle_cpu_ms = cpu_ms() - idle_cpu0;
                st->idle_wall_ms = mono_ms() - idle_wall0;
            }
            break;
        }
        int64_t due = app_next_timer(L->a, SDL_GetTicks64());
        int timeout = IKR_KIOSK_WAKE_MS;
        if (due >= 0 && due < timeout)
            timeout = (int)due;
        if (L->watchdog_ms > 0 && L->watchdog_ms / 2 < timeout)
            timeout = L->watchdog_ms / 2 > 0 ? (int)(L->watchdog_ms / 2) : 1;
        if (bench_idle_ms > 0) {
            double left = bench_idle_ms - (mono_ms() - idle_wall0);
            if (left < timeout)
                timeout = left < 1 ? 1 : (int)left;
        }
        SDL_Event sev;
        int flags = 0;
        if (SDL_WaitEventTimeout(&sev, timeout)) {
            flags |= handle(L, &sev, &redraw);
            /* Everything already queued is handled before the next frame. */
            while (!(flags & APP_QUIT) && SDL_PollEvent(&sev))
                flags |= handle(L, &sev, &redraw);
        }
        if (!(flags & APP_QUIT) && due >= 0 && app_next_timer(L->a, SDL_GetTicks64()) == 0) {
            app_event tick = {.type = APP_TICK};
            flags |= feed(L, &tick);
        }
        if (flags & APP_QUIT)
            break;
        if (flags & APP_REDRAW)
            redraw = 1;
    }
    return IKR_OK;
}

/* ---- scripted ---- */

typedef struct script {
    kloop *L;
    int line;
    int quit; /* the app asked to quit */
    ikr_err *e;
    /* What a person would have done: taps (tap, tapxy, press), drags (drag, stroke), keys. */
    long taps, drags, keys;
} script;

/* Fails the script at its current line: prints the message and what the frame shows. */
static int script_fail(script *sc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int script_fail(script *sc, const char *fmt, ...)
{
    char msg[IKR_ERR_DETAIL];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "script:%d: %s\n", sc->line, msg);
    const kd_list *l = sc->L->l;
    fprintf(stderr, "  on screen '%s', the frame shows:\n", app_screen_name(sc->L->a));
    for (int i = 0; i < l->ncmd; i++)
        if (l->cmd[i].type == KD_TEXT)
            fprintf(stderr, "    | %s\n", l->cmd[i].text);
    fprintf(stderr, "  and can be touched at:");
    for (int i = 0; i < l->nhit; i++) {
        char name[KBTN_NAME_MAX];
        fprintf(stderr, " %s", kbtn_name(l->hit[i].btn, l->hit[i].idx, name, sizeof name));
    }
    fprintf(stderr, "\n");
    return ikr_err_set(sc->e, IKR_E_SCRIPT, "script:%d: %s", sc->line, msg);
}

static void s_feed(script *sc, app_event *ev)
{
    ev->ms = sc->L->now;
    if (app_event_feed(sc->L->a, ev) & APP_QUIT)
        sc->quit = 1;
}

static void s_point(script *sc, int type, int x, int y)
{
    app_event ev = {.type = type, .x = x, .y = y};
    s_feed(sc, &ev);
}

/* Advances the virtual clock by ms, with a tick at each timer due on the way and one at the end. */
static int s_wait(script *sc, uint64_t ms)
{
    kloop *L = sc->L;
    uint64_t end = L->now + ms;
    for (int guard = 0; !sc->quit; guard++) {
        if (guard > 100000)
            return script_fail(sc, "the app's timer is always due");
        int64_t due = app_next_timer(L->a, L->now);
        if (due < 0 || L->now + (uint64_t)due > end)
            break;
        L->now += (uint64_t)due;
        app_event tick = {.type = APP_TICK};
        s_feed(sc, &tick);
        if (due == 0 && app_next_timer(L->a, L->now) == 0) {
            if (L->now >= end)
                break;
            L->now++; /* a timer that stays due must not stop the clock */
        }
    }
    L->now = end;
    if (!sc->quit) {
        app_event tick = {.type = APP_TICK};
        s_feed(sc, &tick);
    }
    return IKR_OK;
}

/* Parses a coordinate: px, or a fraction of full when it holds a '.'. */
static int s_coord(const char *s, int full, int *out)
{
    char *end;
    if (strchr(s, '.')) {
        double f = strtod(s, &end);
        if (*end || end == s)
            return -1;
        *out = (int)(f * full);
        return 0;
    }
    long v = strtol(s, &end, 10);
    if (*end || end == s)
        return -1;
    *out = (int)v;
    return 0;
}

static int s_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Splits line into at most max words (in place); returns how many. */
static int s_words(char *line, char **w, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        w[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

/* The hit region a script names ("start", "key.1"), or NULL. */
static const kd_hit *s_hit(script *sc, const char *id)
{
    enum kbtn b;
    int idx;
    return kbtn_parse(id, &b, &idx) == 0 ? kd_hit_find(sc->L->l, b, idx) : NULL;
}

/* The rest of the line after the command word (leading blanks skipped). */
static const char *s_rest(const char *line, const char *cmd)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    p += strlen(cmd);
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static int s_key(const char *name)
{
    static const struct {
        const char *name;
        int key;
    } keys[] = {
        {"ENTER", APP_KEY_ENTER}, {"ESCAPE", APP_KEY_ESCAPE}, {"BACKSPACE", APP_KEY_BACKSPACE},
        {"TAB", APP_KEY_TAB},     {"UP", APP_KEY_UP},         {"DOWN", APP_KEY_DOWN},
        {"QUIT", APP_KEY_QUIT},   {"LEFT", APP_KEY_LEFT},     {"RIGHT", APP_KEY_RIGHT}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(name, keys[i].name) == 0)
            return keys[i].key;
    return -1;
}

/* Joins a folder and a screenshot name, adding ".png" when it has none. */
static int shot_path(char *out, size_t n, const char *dir, const char *name)
{
    size_t len = strlen(name);
    const char *ext = len > 4 && strcmp(name + len - 4, ".png") == 0 ? "" : ".png";
    return snprintf(out, n, "%s/%s%s", dir ? dir : ".", name, ext) >= (int)n ? -1 : 0;
}

/* Runs one line of the script (already stripped of its line end). Returns IKR_OK or the failure. */
static int s_line(script *sc, char *line, int *done)
{
    kloop *L = sc->L;
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", line);
    char *w[64];
    int n = s_words(line, w, 64);
    if (n == 0 || w[0][0] == '#')
        return IKR_OK;
    if (sc->quit && strcmp(w[0], "quit") != 0)
        return script_fail(sc, "the kiosk has quit; '%s' cannot run", w[0]);
    const char *cmd = w[0];
    long v, v2;

    /*
     * "on SCREEN COMMAND...": the command only while SCREEN shows, for an
     * outcome a test cannot know in advance (a disk with a few KiB left may
     * or may not hold one more record); "print-screen" tells the test which.
     */
    if (strcmp(cmd, "on") == 0) {
        if (n < 3 || strcmp(w[2], "on") == 0)
            return script_fail(sc, "usage: on SCREEN COMMAND... (not another 'on')");
        if (strcmp(app_screen_name(L->a), w[1]) != 0)
            return IKR_OK;
        char rest[4096];
        snprintf(rest, sizeof rest, "%s", s_rest(s_rest(copy, cmd), w[1]));
        return s_line(sc, rest, done);
    }
    if (strcmp(cmd, "print-screen") == 0) {
        printf("screen %s\n", app_screen_name(L->a));
        fflush(stdout);
        return IKR_OK;
    }

    if (strcmp(cmd, "tap") == 0 || strcmp(cmd, "press") == 0) {
        int press = cmd[0] == 'p';
        sc->taps++;
        if (n != (press ? 3 : 2) || (press && s_int(w[2], 0, 86400000, &v)))
            return script_fail(sc, "usage: %s", press ? "press ID MS" : "tap ID");
        const kd_hit *t = s_hit(sc, w[1]);
        if (!t)
            return script_fail(sc, "expected something to %s with id '%s'", cmd, w[1]);
        int x = t->x + t->w / 2, y = t->y + t->h / 2;
        s_point(sc, APP_DOWN, x, y);
        s_wait(sc, press ? (uint64_t)v : IKR_SCRIPT_TAP_MS);
        if (!sc->quit)
            s_point(sc, APP_UP, x, y);
    } else if (strcmp(cmd, "tapxy") == 0) {
        sc->taps++;
        int x, y;
        if (n != 3 || s_coord(w[1], L->w, &x) || s_coord(w[2], L->h, &y))
            return script_fail(sc, "usage: tapxy X Y");
        s_point(sc, APP_DOWN, x, y);
        s_wait(sc, IKR_SCRIPT_TAP_MS);
        if (!sc->quit)
            s_point(sc, APP_UP, x, y);
    } else if (strcmp(cmd, "drag") == 0) {
        sc->drags++;
        int x1, y1, x2, y2;
        long steps = 10, ms = 200;
        if (n < 5 || n > 7 || s_coord(w[1], L->w, &x1) || s_coord(w[2], L->h, &y1) ||
            s_coord(w[3], L->w, &x2) || s_coord(w[4], L->h, &y2) ||
            (n > 5 && s_int(w[5], 1, 10000, &steps)) || (n > 6 && s_int(w[6], 0, 3600000, &ms)))
            return script_fail(sc, "usage: drag X1 Y1 X2 Y2 [STEPS] [MS]");
        s_point(sc, APP_DOWN, x1, y1);
        for (long i = 1; i <= steps && !sc->quit; i++) {
            s_wait(sc, (uint64_t)(ms / steps));
            if (!sc->quit)
                s_point(sc, APP_MOVE, x1 + (int)((x2 - x1) * i / steps),
                        y1 + (int)((y2 - y1) * i / steps));
        }
        if (!sc->quit)
            s_point(sc, APP_UP, x2, y2);
    } else if (strcmp(cmd, "stroke") == 0) {
        sc->drags++;
        if (n < 3)
            return script_fail(sc, "usage: stroke ID x1,y1 x2,y2 ...");
        const kd_hit *t = s_hit(sc, w[1]);
        if (!t)
            return script_fail(sc, "expected a region to draw in with id '%s'", w[1]);
        kd_hit box = *t; /* the frame is not rebuilt during a stroke, but be safe */
        for (int i = 2; i < n && !sc->quit; i++) {
            char *comma = strchr(w[i], ','), *end;
            double fx = strtod(w[i], &end);
            if (!comma || end != comma)
                return script_fail(sc, "a point is x,y as fractions: '%s'", w[i]);
            double fy = strtod(comma + 1, &end);
            if (*end)
                return script_fail(sc, "a point is x,y as fractions: '%s'", w[i]);
            int x = box.x + (int)(fx * box.w), y = box.y + (int)(fy * box.h);
            if (i > 2)
                s_wait(sc, IKR_SCRIPT_STEP_MS);
            if (sc->quit)
                break;
            s_point(sc, i == 2 ? APP_DOWN : APP_MOVE, x, y);
            if (i == n - 1 && !sc->quit)
                s_point(sc, APP_UP, x, y);
        }
    } else if (strcmp(cmd, "type") == 0) {
        const char *text = s_rest(copy, cmd);
        size_t len = strlen(text);
        for (size_t i = 0; i < len; i++) /* a key a character */
            sc->keys += ((unsigned char)text[i] & 0xC0) != 0x80;
        while (len > 0 && !sc->quit) {
            size_t take = len < 31 ? len : 31;
            while (take < len && take > 0 && ((unsigned char)text[take] & 0xC0) == 0x80)
                take--; /* never cut a character in two */
            app_event ev = {.type = APP_TEXT};
            memcpy(ev.text, text, take);
            ev.text[take] = '\0';
            s_feed(sc, &ev);
            text += take;
            len -= take;
        }
    } else if (strcmp(cmd, "key") == 0) {
        int key = n == 2 ? s_key(w[1]) : -1;
        if (key < 0)
            return script_fail(sc, "usage: key ENTER|ESCAPE|BACKSPACE|TAB|UP|DOWN|LEFT|RIGHT|QUIT");
        app_event ev = {.type = APP_KEY, .key = key};
        sc->keys++;
        s_feed(sc, &ev);
    } else if (strcmp(cmd, "wait") == 0) {
        if (n != 2 || s_int(w[1], 0, 86400000, &v))
            return script_fail(sc, "usage: wait MS");
        int rc = s_wait(sc, (uint64_t)v);
        if (rc)
            return rc;
    } else if (strcmp(cmd, "await") == 0) {
        /*
         * Work the app does on a thread of its own (the copy to USB) takes
         * real time: sleep 20 ms at a time, with 20 ms of ticks each, until
         * TEXT shows, for at most a minute.  Only for waiting, never timing.
         */
        const char *text = s_rest(copy, cmd);
        if (!*text)
            return script_fail(sc, "usage: await TEXT");
        for (int i = 0;; i++) {
            draw_frame(L);
            if (kd_shows(L->l, text))
                break;
            if (i == 3000)
                return script_fail(sc, "'%s' did not show within a minute", text);
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
            int rc = s_wait(sc, 20);
            if (rc)
                return rc;
        }
    } else if (strcmp(cmd, "size") == 0) {
        if (n != 3 || s_int(w[1], IKR_KIOSK_MIN_SIDE, IKR_KIOSK_MAX_SIDE, &v) ||
            s_int(w[2], IKR_KIOSK_MIN_SIDE, IKR_KIOSK_MAX_SIDE, &v2))
            return script_fail(sc, "usage: size W H (%d..%d)", IKR_KIOSK_MIN_SIDE,
                               IKR_KIOSK_MAX_SIDE);
        int rc = make_surface(L, (int)v, (int)v2, sc->e);
        if (rc)
            return rc;
    } else if (strcmp(cmd, "shot") == 0) {
        char path[PATH_MAX];
        if (n != 2 || strchr(w[1], '/'))
            return script_fail(sc, "usage: shot NAME (a file name, no folder)");
        if (shot_path(path, sizeof path, L->o->shots, w[1]))
            return script_fail(sc, "screenshot path too long");
        draw_frame(L);
        int rc = kr_screenshot(L->k, L->r, path, sc->e);
        if (rc)
            return rc;
    } else if (strcmp(cmd, "expect") == 0 || strcmp(cmd, "expect-not") == 0) {
        const char *text = s_rest(copy, cmd);
        int want = cmd[6] == '\0';
        if (!*text)
            return script_fail(sc, "usage: %s TEXT", cmd);
        if (kd_shows(L->l, text) != want)
            return script_fail(sc, "expected %s'%s' on screen", want ? "" : "no ", text);
    } else if (strcmp(cmd, "screen") == 0) {
        if (n != 2)
            return script_fail(sc, "usage: screen NAME");
        if (strcmp(app_screen_name(L->a), w[1]) != 0)
            return script_fail(sc, "expected screen '%s', showing '%s'", w[1],
                               app_screen_name(L->a));
    } else if (strcmp(cmd, "quit") == 0) {
        *done = 1;
        return IKR_OK;
    } else {
        return script_fail(sc, "unknown command '%s'", cmd);
    }
    draw_frame(L);
    return IKR_OK;
}

static int run_script(kloop *L, ikr_err *e)
{
    const char *path = L->o->script;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    script sc = {L, 0, 0, e, 0, 0, 0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = IKR_OK, done = 0;
    draw_frame(L);
    while (!rc && !done && !stop_requested && (got = getline(&line, &cap, f)) >= 0) {
        sc.line++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if ((size_t)got >= 4000) {
            rc = script_fail(&sc, "line too long");
            break;
        }
        rc = s_line(&sc, line, &done);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    /* What the signer's way cost, for docs/kiosk.md's counts (a signature's strokes are drags). */
    if (!rc)
        printf("script: %ld touches and keys: %ld taps, %ld drags, %ld key presses\n",
               sc.taps + sc.drags + sc.keys, sc.taps, sc.drags, sc.keys);
    return rc;
}

/* ---- the run ---- */

int ikr_kiosk_run(const ikr_kiosk_opts *o, ikr_err *e)
{
    return ikr_kiosk_run_measured(o, 0, NULL, e);
}
/* mkdir -p: makes path and the folders above it that are missing. */
static int make_dirs(const char *path)
{
    char p[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof p)
        return -1;
    memcpy(p, path, n + 1);
    for (size_t i = 1; i <= n; i++)
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return -1;
            p[i] = c;
        }
    return 0;
}

int ikr_kiosk_run_measured(const ikr_kiosk_opts *o, int bench_idle_ms, ikr_kiosk_stats *st,
                           ikr_err *e)
{
    double t_start = mono_ms();
    kloop L;
    memset(&L, 0, sizeof L);
    L.o = o;
    L.scripted = o->script != NULL;
    L.now = 1000;
#ifdef IKRAR_TEST_HOOKS
    /* Test builds only (cmake -DIKRAR_TEST_HOOKS): a release kiosk writes neither file. */
    L.hits_path = getenv("IKRAR_KIOSK_HITS");
    L.receipts_path = getenv("IKRAR_KIOSK_RECEIPTS");
    L.spoken_path = getenv("IKRAR_KIOSK_SPOKEN");
    if (L.spoken_path && !*L.spoken_path)
        L.spoken_path = NULL;
    if (L.hits_path && !*L.hits_path)
        L.hits_path = NULL;
    if (L.receipts_path && !*L.receipts_path)
        L.receipts_path = NULL;
#endif
    if (st)
        memset(st, 0, sizeof *st);

    struct sigaction sa, old_term, old_int;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    stop_requested = 0;
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);

    int rc;
    if (L.scripted && o->shots && make_dirs(o->shots) != 0) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", o->shots, strerror(errno));
        goto done;
    }
    L.l = malloc(sizeof *L.l);
    if (!L.l) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto done;
    }
    kd_begin(L.l, 0, 0, 1, (kd_color){0, 0, 0, 255});
    if ((rc = ikr_station_open(&L.s, o->data, IKR_OPEN_SIGN, o->passphrase, e)))
        goto done;
    app_opts ao = {.lang = o->lang,
                   .fullscreen = o->fullscreen,
                   .paper = o->paper,
                   .verify_station = o->verify_station,
                   .camera = o->camera,
                   .frames = o->frames,
                   .nframes = o->nframes,
                   .speak = on_speak,
                   .speak_ctx = &L,
                   .sound = on_sound,
                   .sound_ctx = &L};
    ao.decode_sync = L.scripted; /* a script's virtual clock sees each frame's verdict at once */
    ao.hub_sync = L.scripted;    /* and the hub's answer to a claim, as a live kiosk would */

    set_hints();
    if (L.scripted) {
        /* Headless: no window at all; SDL's software renderer draws on a surface. */
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
        if (SDL_Init(0) != 0) {
            rc = ikr_err_set(e, IKR_E_DISPLAY, "SDL: %s", SDL_GetError());
            goto done;
        }
        L.sdl_up = 1;
        int w = o->width > 0 ? o->width : IKR_KIOSK_DEFAULT_W;
        int h = o->height > 0 ? o->height : IKR_KIOSK_DEFAULT_H;
        if ((rc = make_surface(&L, w, h, e)))
            goto done;
    } else {
        /*
         * A kiosk outlives nothing it runs in: when its parent (cage, in the
         * service) ends, it gets SIGTERM and leaves cleanly.  Otherwise cage
         * dying (Debian's 0.1.4 aborts on its own SIGTERM) left the kiosk
         * running on no display, its quit request refused for want of the
         * admin PIN, and still feeding the watchdog.
         */
        pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            stop_requested = 1; /* it ended before we asked */
        /*
         * Fullscreen, the kiosk has no title bar to draw, so it never needs
         * libdecor.  When a compositor answers xdg-decoration with
         * "client-side" (cage without -d), SDL 2.26 drops its own xdg
         * toplevel to hand the window to libdecor, and libdecor 0.1.1 never
         * gives the surface a role again, with a plugin installed or
         * without.  SDL keeps presenting frames on a surface the compositor
         * never maps, and the screen stays black.  With libdecor off, SDL
         * keeps its own xdg toplevel and draws without decorations.  An
         * SDL_VIDEO_WAYLAND_ALLOW_LIBDECOR in the environment still wins.
         */
        if (o->fullscreen)
            SDL_SetHint(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0");
        if (SDL_Init(SDL_INIT_VIDEO) != 0) {
            rc = ikr_err_set(e, IKR_E_DISPLAY, "SDL: %s", SDL_GetError());
            goto done;
        }
        L.sdl_up = 1;
        if ((rc = open_window(&L, e)))
            goto done;
    }
    if (st) {
        SDL_RendererInfo info;
        if (SDL_GetRendererInfo(L.r, &info) == 0)
            snprintf(st->renderer, sizeof st->renderer, "%s", info.name);
        const char *drv = L.scripted ? "none (surface)" : SDL_GetCurrentVideoDriver();
        snprintf(st->driver, sizeof st->driver, "%s", drv ? drv : "?");
    }
    open_audio(&L);
    /* --printer, else the folder's setting, else none. */
    ikr_buf printer;
    ikr_buf_init(&printer);
    ao.printer = ikr_printer_resolve(L.s, o->printer, &printer);
    rc = app_new(&L.a, L.s, &ao, L.scripted ? L.now : SDL_GetTicks64(), e);
    ikr_buf_free(&printer);
    if (rc)
        goto done;

    if (L.scripted)
        rc = run_script(&L, e);
    else
        rc = run_interactive(&L, bench_idle_ms, t_start, st);

done:
    if (L.started) {
        notify(&L, "STOPPING=1");
        ikr_oplog("stop", "reason=%s code=%d",
                  rc               ? "error"
                  : stop_requested ? "signal"
                  : bench_idle_ms  ? "bench"
                                   : "quit",
                  rc);
    }
    app_free(L.a);
    ka_close(L.audio);
    /* The kiosk is done drawing receipts: cairo's caches go before fontconfig's. */
    ikr_ticket_release_caches();
    kr_close(L.k);
    if (L.r)
        SDL_DestroyRenderer(L.r);
    if (L.surf)
        SDL_FreeSurface(L.surf);
    if (L.win)
        SDL_DestroyWindow(L.win);
    if (L.sdl_up)
        SDL_Quit();
    ikr_station_close(L.s);
    free(L.l);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGINT, &old_int, NULL);
    return rc;
}
