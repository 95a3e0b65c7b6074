/*
 * bench.c: `ikrar kiosk --bench` measures the kiosk's front end and prints
 * each figure beside a baseline taken in the same run.  Nothing is
 * asserted: machines are noisy, people read the ratios.
 *
 * Frames are drawn in this process with SDL's software renderer on a
 * 1920x1080 surface (no window, so presenting costs nothing and the figures
 * are the renderer's own): a bare clear, a screen of buttons and 30 lines
 * of text, the same with a 1,000-segment signature (cached), with a
 * signature growing by one point a frame (what a signer's finger does), and
 * with a signature never seen before (the Review screen's first frame).
 *
 * Start-up, peak memory and idle CPU are measured on real runs: this
 * program is started again as children (`ikrar kiosk --bench-bare` and
 * `ikrar kiosk --data DIR --bench-idle MS`) in a window of the display the
 * benchmark runs under (SDL's offscreen driver when there is none), and
 * their wall time and peak resident size come from wait4.
 */
#include "bench.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "ikrar/assets.h"
#include "render.h"

#define BENCH_W 1920
#define BENCH_H 1080
#define BENCH_FRAMES 400      /* frames per steady scenario */
#define BENCH_INK_POINTS 1001 /* a 1,000-segment signature */
#define BENCH_COLD 24         /* frames with a signature never seen before */
#define BENCH_IDLE_MS 3000

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile of v[0..n) (sorts v). */
static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* A signature: one long stroke of n points across the canvas, ~8 ms apart, speed varying. */
typedef struct bench_ink {
    uint32_t xyt[3 * BENCH_INK_POINTS];
    size_t end[1];
    kd_ink ink;
} bench_ink;

static void make_ink(bench_ink *b, uint32_t w, uint32_t h, double phase)
{
    double t = 0;
    for (int i = 0; i < BENCH_INK_POINTS; i++) {
        double f = (double)i / (BENCH_INK_POINTS - 1);
        double x = 0.05 + 0.9 * f + 0.02 * sin(f * 90 + phase);
        double y = 0.5 + 0.3 * sin(f * 37 + phase) * cos(f * 11);
        b->xyt[3 * i] = (uint32_t)(x * w);
        b->xyt[3 * i + 1] = (uint32_t)(y * h);
        b->xyt[3 * i + 2] = (uint32_t)t;
        t += 6 + 4 * sin(f * 23); /* fast and slow stretches: the width follows */
    }
    b->end[0] = BENCH_INK_POINTS;
    b->ink = (kd_ink){w, h, b->xyt, b->end, 1};
}

/* The signing screen's furniture: a header, 30 lines of text, six buttons, a canvas. */
static void build_ui(kd_list *l, int unit, const kd_ink *ink, int ink_x, int ink_y, int ink_w,
                     int ink_h)
{
    static const kd_color bg = {245, 246, 248, 255}, panel = {255, 255, 255, 255},
                          text = {26, 29, 35, 255}, accent = {11, 92, 173, 255},
                          on = {255, 255, 255, 255}, line = {190, 196, 204, 255},
                          pen = {16, 28, 84, 255};
    kd_begin(l, BENCH_W, BENCH_H, unit, bg);
    kd_rect(l, 0, 0, BENCH_W, 3 * unit, 0, panel);
    kd_rect(l, unit / 2, unit / 2, 2 * unit, 2 * unit, unit / 3, accent);
    kd_text(l, unit / 2, unit / 2, 2 * unit, 2 * unit, KD_FONT_BODY, KD_CENTER, on, "ik", -1);
    kd_text(l, 3 * unit, 0, 20 * unit, 3 * unit, KD_FONT_LARGE, KD_LEFT, text,
            "Deklarasi Netralitas ASN", -1);
    char buf[160];
    for (int i = 0; i < 30; i++) {
        snprintf(buf, sizeof buf,
                 "%d. Menjaga netralitas dalam penyelenggaraan pemilihan, baris %d", i + 1, i);
        kd_text(l, unit, 4 * unit + i * unit * 4 / 5, BENCH_W / 2 - 2 * unit, unit * 4 / 5,
                KD_FONT_SMALL, KD_LEFT, text, buf, -1);
    }
    static const char *labels[6] = {"Kembali",          "Ulangi",  "Lanjut",
                                    "Bahasa Indonesia", "English", "Konfirmasi"};
    static const enum kbtn btns[6] = {KB_BACK,    KB_CLEAR,   KB_NEXT,
                                      KB_LANG_ID, KB_LANG_EN, KB_CONFIRM};
    for (int i = 0; i < 6; i++) {
        int x = unit + i * (BENCH_W - 2 * unit) / 6, y = BENCH_H - 4 * unit;
        kd_rect(l, x, y, (BENCH_W - 2 * unit) / 6 - unit / 2, 3 * unit, unit / 2, accent);
        kd_text(l, x, y, (BENCH_W - 2 * unit) / 6 - unit / 2, 3 * unit, KD_FONT_LARGE, KD_CENTER,
                on, labels[i], -1);
        kd_hit_add(l, btns[i], 0, x, y, (BENCH_W - 2 * unit) / 6, 3 * unit);
    }
    kd_rect(l, ink_x, ink_y, ink_w, ink_h, 0, panel);
    kd_border(l, ink_x, ink_y, ink_w, ink_h, 2, line);
    if (ink)
        kd_ink_cmd(l, ink_x, ink_y, ink_w, ink_h, unit / 6 + 2, pen, ink);
}

typedef struct scenario {
    double p50, p99, mean;
} scenario;

static scenario summarise(double *t, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += t[i];
    scenario s = {0, 0, sum / (double)n};
    s.p50 = quantile(t, n, 0.50);
    s.p99 = quantile(t, n, 0.99);
    return s;
}

static void print_row(FILE *out, const char *what, scenario s)
{
    fprintf(out, "  %-44s p50 %6.3f ms   p99 %6.3f ms   mean %6.3f ms\n", what, s.p50, s.p99,
            s.mean);
}

/* Frame times in this process, software renderer on a 1920x1080 surface. */
/*
 * A BENCH_W x BENCH_H surface with SDL's software renderer and ikrar's
 * renderer over it: frames drawn there cost what drawing costs, no display.
 */
static int offscreen(SDL_Surface **surf, SDL_Renderer **r, kr **k, ikr_err *e)
{
    *surf = SDL_CreateRGBSurfaceWithFormat(0, BENCH_W, BENCH_H, 32, SDL_PIXELFORMAT_ARGB8888);
    *r = *surf ? SDL_CreateSoftwareRenderer(*surf) : NULL;
    if (!*r)
        return ikr_err_set(e, IKR_E_DISPLAY, "software renderer: %s", SDL_GetError());
    return kr_open(k, *r, e);
}

/* Undoes offscreen(); accepts what it left NULL. */
static void offscreen_close(SDL_Surface *surf, SDL_Renderer *r, kr *k)
{
    kr_close(k);
    if (r)
        SDL_DestroyRenderer(r);
    if (surf)
        SDL_FreeSurface(surf);
}

static int bench_frames(FILE *out, ikr_err *e)
{
    int rc = IKR_OK;
    SDL_Surface *surf = NULL;
    SDL_Renderer *r = NULL;
    kr *k = NULL;
    kd_list *l = malloc(sizeof *l);
    bench_ink *inks = calloc(4, sizeof *inks);
    double *t = malloc(sizeof(double) * (BENCH_INK_POINTS + BENCH_FRAMES));
    if (!l || !inks || !t) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto done;
    }
    if ((rc = offscreen(&surf, &r, &k, e)))
        goto done;
    int unit = BENCH_H / 28; /* as the screens choose it */
    int ix = BENCH_W / 2, iy = 4 * unit, iw = BENCH_W / 2 - unit, ih = BENCH_H - 9 * unit;
    for (int i = 0; i < 4; i++)
        make_ink(&inks[i], (uint32_t)iw, (uint32_t)ih, i * 0.7);

    fprintf(out, "Frames: SDL software renderer, %dx%d surface, unit %d px, %d frames each\n",
            BENCH_W, BENCH_H, unit, BENCH_FRAMES);
    /* Baseline: what SDL costs to clear and present a frame, with nothing on it. */
    for (int i = 0; i < BENCH_FRAMES; i++) {
        double t0 = now_ms();
        SDL_SetRenderDrawColor(r, 245, 246, 248, 255);
        SDL_RenderClear(r);
        SDL_RenderPresent(r);
        t[i] = now_ms() - t0;
    }
    print_row(out, "baseline: bare clear + present", summarise(t, BENCH_FRAMES));

    /* Each scenario builds its list (as app_frame would) and draws it; both are timed. */
    for (int pass = 0; pass < 3; pass++) {
        const kd_ink *ink = pass == 0 ? NULL : &inks[0].ink;
        for (int i = 0; i < BENCH_FRAMES + 5; i++) {
            double t0 = now_ms();
            build_ui(l, unit, ink, ix, iy, iw, ih);
            kr_draw(k, l);
            SDL_RenderPresent(r);
            if (i >= 5) /* the first frames fill the caches */
                t[i - 5] = now_ms() - t0;
        }
        if (pass == 0)
            print_row(out, "buttons + 30 lines of text (cached)", summarise(t, BENCH_FRAMES));
        else if (pass == 1)
            print_row(out, "  + 1,000-segment signature (cached)", summarise(t, BENCH_FRAMES));
        else
            print_row(out, "  + the same, again (warm)", summarise(t, BENCH_FRAMES));
    }

    /* Drawing: the signature grows by one point a frame, as under a finger. */
    bench_ink *g = &inks[1];
    kd_ink grow = g->ink;
    size_t end = 0;
    grow.stroke_end = &end;
    for (int i = 0; i < BENCH_INK_POINTS; i++) {
        end = (size_t)i + 1;
        double t0 = now_ms();
        build_ui(l, unit, &grow, ix, iy, iw, ih);
        kr_draw(k, l);
        SDL_RenderPresent(r);
        t[i] = now_ms() - t0;
    }
    print_row(out, "  + signature growing 1 point a frame", summarise(t, BENCH_INK_POINTS));

    /* A signature never seen before, drawn whole (Review's first frame). */
    for (int i = 0; i < BENCH_COLD; i++) {
        double t0 = now_ms();
        build_ui(l, unit, &inks[i % 3 + 1].ink, ix, iy, iw, ih); /* 3 inks cycle through 2 slots */
        kr_draw(k, l);
        SDL_RenderPresent(r);
        t[i] = now_ms() - t0;
    }
    print_row(out, "  + a new 1,000-segment signature, whole", summarise(t, BENCH_COLD));
    kr_stats st = kr_get_stats(k);
    fprintf(out, "  (text rasterised %lu times; signatures drawn from scratch %lu times)\n",
            st.text_misses, st.ink_rebuilds);
done:
    offscreen_close(surf, r, k);
    free(l);
    free(inks);
    free(t);
    return rc;
}

/* Taps the centre of button b in the app's last frame l. */
static void bench_tap(app *a, const kd_list *l, enum kbtn b, uint64_t *now)
{
    const kd_hit *h = kd_hit_find(l, b, 0);
    if (!h)
        return;
    app_event d = {APP_DOWN, h->x + h->w / 2, h->y + h->h / 2, 0, "", *now += 40};
    app_event u = {APP_UP, h->x + h->w / 2, h->y + h->h / 2, 0, "", *now += 40};
    app_event_feed(a, &d);
    app_event_feed(a, &u);
}

/*
 * Touch to ink: the real signature screen of the real app over the data
 * folder, fed one finger movement at a time; each sample is the time from
 * the movement entering app_event_feed to the frame that shows it being
 * presented.  Nothing is signed.
 */
static int bench_touch_to_ink(const ikr_kiosk_opts *o, FILE *out, ikr_err *e)
{
    int rc = IKR_OK;
    ikr_station *s = NULL;
    app *a = NULL;
    SDL_Surface *surf = NULL;
    SDL_Renderer *r = NULL;
    kr *k = NULL;
    kd_list *l = malloc(sizeof *l);
    double *t = malloc(sizeof(double) * BENCH_INK_POINTS);
    uint64_t now = 1000;
    if (!l || !t) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto done;
    }
    if ((rc = ikr_station_open(&s, o->data, IKR_OPEN_SIGN, o->passphrase, e)))
        goto done;
    app_opts ao = {.lang = IKR_LANG_ID, .fullscreen = 1};
    if ((rc = app_new(&a, s, &ao, now, e)))
        goto done;
    if ((rc = offscreen(&surf, &r, &k, e)))
        goto done;
    /* Welcome, the declaration read to its end, a non-ASN signer's name: the canvas. */
    static const enum kbtn steps[] = {KB_START,         KB_DECL_TEXT,  KB_AGREE,
                                      KB_STATUS_NONASN, KB_FIELD_NAME, KB_NEXT};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        l->unit = BENCH_H / 28;
        kd_measure m = kr_measure(k, l);
        app_frame(a, l, BENCH_W, BENCH_H, &m, now);
        if (steps[i] == KB_DECL_TEXT) {
            for (int j = 0; j < 60; j++) {
                app_event ev = {APP_KEY, 0, 0, APP_KEY_DOWN, "", now += 10};
                app_event_feed(a, &ev);
                app_frame(a, l, BENCH_W, BENCH_H, &m, now);
            }
        } else if (steps[i] == KB_FIELD_NAME) {
            app_event ev = {APP_TEXT, 0, 0, 0, "Pengukur Waktu", now += 10};
            app_event_feed(a, &ev);
        } else {
            bench_tap(a, l, steps[i], &now);
        }
    }
    kd_measure m = kr_measure(k, l);
    app_frame(a, l, BENCH_W, BENCH_H, &m, now);
    const kd_hit *c = kd_hit_find(l, KB_CANVAS, 0);
    if (!c) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "bench: the signature screen was not reached");
        goto done;
    }
    for (int i = 0; i < BENCH_INK_POINTS; i++) {
        /* A looping line across the canvas, a point every 8 ms as a finger makes them. */
        double u = (double)i / BENCH_INK_POINTS;
        int x = c->x + (int)(c->w * (0.05 + 0.9 * u));
        int y = c->y + (int)(c->h * (0.5 + 0.3 * sin(u * 40)));
        app_event ev = {i == 0 ? APP_DOWN : APP_MOVE, x, y, 0, "", now += 8};
        double t0 = now_ms();
        app_event_feed(a, &ev);
        app_frame(a, l, BENCH_W, BENCH_H, &m, now);
        kr_draw(k, l);
        SDL_RenderPresent(r);
        t[i] = now_ms() - t0;
    }
    print_row(out, "touch to ink on screen (real canvas)", summarise(t, BENCH_INK_POINTS));
done:
    app_free(a);
    ikr_station_close(s);
    offscreen_close(surf, r, k);
    free(l);
    free(t);
    return rc;
}

/*
 * Runs argv as a child, its standard output into buf; returns its exit
 * status (or -1), with its wall time and peak resident size (KiB).
 */
static int run_child(char *const argv[], char *buf, size_t n, double *wall_ms, long *maxrss_kb)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    size_t got = 0;
    for (;;) {
        ssize_t k = read(fds[0], buf + got, n - 1 - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
        if (got == n - 1)
            break;
    }
    buf[got] = '\0';
    close(fds[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    *wall_ms = now_ms() - t0;
    *maxrss_kb = ru.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The number after "key " in the child's output, or -1. */
static double field(const char *out, const char *key)
{
    const char *p = strstr(out, key);
    return p ? strtod(p + strlen(key), NULL) : -1;
}

static void bench_children(const ikr_kiosk_opts *o, const char *exe, FILE *out)
{
    const char *disp = getenv("DISPLAY"), *way = getenv("WAYLAND_DISPLAY");
    if ((!disp || !*disp) && (!way || !*way) && !getenv("SDL_VIDEODRIVER"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1); /* no display: SDL's offscreen windows */
    const char *drv = getenv("SDL_VIDEODRIVER");
    fprintf(out, "\nProcesses: this program started again in a %dx%d window (%s)\n", BENCH_W,
            BENCH_H, drv ? drv : (disp && *disp ? "X11" : "Wayland"));
    char size[32], idle[16], buf[1024];
    snprintf(size, sizeof size, "%dx%d", BENCH_W, BENCH_H);
    double wall;
    long rss;

    char *bare[] = {(char *)exe, "kiosk", "--bench-bare", "--window", size, NULL};
    int st = run_child(bare, buf, sizeof buf, &wall, &rss);
    if (st == 0)
        fprintf(out,
                "  baseline: bare SDL2 + SDL_ttf, one frame   start to frame %6.1f ms   "
                "whole run %6.1f ms   peak RSS %5.1f MB\n",
                field(buf, "first-frame-ms "), wall, (double)rss / 1024);
    else
        fprintf(out, "  baseline: bare SDL2 + SDL_ttf: could not run (exit %d)\n", st);

    snprintf(idle, sizeof idle, "%d", 1);
    char *first[] = {(char *)exe,    "kiosk", "--data", (char *)o->data, "--window", size,
                     "--bench-idle", idle,    NULL};
    st = run_child(first, buf, sizeof buf, &wall, &rss);
    if (st == 0)
        fprintf(out,
                "  ikrar kiosk, Welcome                       start to frame %6.1f ms   "
                "whole run %6.1f ms   peak RSS %5.1f MB\n",
                field(buf, "first-frame-ms "), wall, (double)rss / 1024);
    else
        fprintf(out, "  ikrar kiosk: could not run (exit %d); is --data a kiosk folder?\n", st);

    snprintf(idle, sizeof idle, "%d", BENCH_IDLE_MS);
    st = run_child(first, buf, sizeof buf, &wall, &rss);
    if (st == 0) {
        const char *ren = strstr(buf, "renderer ");
        char name[40] = "?";
        if (ren)
            sscanf(ren + 9, "%39s", name);
        fprintf(out,
                "  idle on Welcome for %.1f s: CPU %.1f ms (%.2f%% of a core); peak RSS %.1f MB; "
                "renderer %s\n",
                field(buf, "idle-wall-ms ") / 1000, field(buf, "idle-cpu-ms "),
                100 * field(buf, "idle-cpu-ms ") / field(buf, "idle-wall-ms "), (double)rss / 1024,
                name);
    } else {
        fprintf(out, "  idle on Welcome: could not run (exit %d)\n", st);
    }
}

int ikr_kiosk_bench(const ikr_kiosk_opts *o, const char *exe, FILE *out, ikr_err *e)
{
    double t0 = now_ms();
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(0) != 0)
        return ikr_err_set(e, IKR_E_DISPLAY, "SDL: %s", SDL_GetError());
    int rc = bench_frames(out, e);
    if (!rc && o->data)
        rc = bench_touch_to_ink(o, out, e);
    SDL_Quit();
    if (rc)
        return rc;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(out, "  (this process: peak RSS %.1f MB)\n", (double)ru.ru_maxrss / 1024);
    if (exe && o->data)
        bench_children(o, exe, out);
    fprintf(out, "\nBenchmark took %.1f s.\n", (now_ms() - t0) / 1000);
    fflush(out);
    return IKR_OK;
}

int ikr_kiosk_bench_bare(int width, int height, FILE *out, ikr_err *e)
{
    double t0 = now_ms();
    int rc = IKR_OK;
    SDL_Window *w = NULL;
    SDL_Renderer *r = NULL;
    TTF_Font *f = NULL;
    SDL_Surface *s = NULL;
    SDL_Texture *t = NULL;
    int ttf = 0;
    char font[PATH_MAX];
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        rc = ikr_err_set(e, IKR_E_DISPLAY, "SDL: %s", SDL_GetError());
        goto done;
    }
    w = SDL_CreateWindow("bare", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                         width > 0 ? width : BENCH_W, height > 0 ? height : BENCH_H,
                         SDL_WINDOW_SHOWN);
    r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!r || TTF_Init() != 0) {
        rc = ikr_err_set(e, IKR_E_DISPLAY, "SDL: %s", SDL_GetError());
        goto done;
    }
    ttf = 1;
    /* The kiosk's own face, found as the kiosk finds it (assets.h). */
    if ((rc = ikr_asset_path(font, sizeof font, IKR_ASSET_FONT_SANS, e)))
        goto done;
    f = TTF_OpenFont(font, 40);
    s = f ? TTF_RenderUTF8_Blended(f, "Sentuh untuk mulai", (SDL_Color){255, 255, 255, 255}) : NULL;
    t = s ? SDL_CreateTextureFromSurface(r, s) : NULL;
    if (!t) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", font, TTF_GetError());
        goto done;
    }
    SDL_SetRenderDrawColor(r, 11, 92, 173, 255);
    SDL_RenderClear(r);
    SDL_RenderCopy(r, t, NULL, &(SDL_Rect){40, 40, s->w, s->h});
    SDL_RenderPresent(r);
    fprintf(out, "first-frame-ms %.2f\n", now_ms() - t0);
done:
    if (t)
        SDL_DestroyTexture(t);
    if (s)
        SDL_FreeSurface(s);
    if (f)
        TTF_CloseFont(f);
    if (ttf)
        TTF_Quit();
    if (r)
        SDL_DestroyRenderer(r);
    if (w)
        SDL_DestroyWindow(w);
    SDL_Quit();
    return rc;
}
