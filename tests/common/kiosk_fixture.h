/*
 * kiosk_fixture.h: what test_kiosk_app, test_kiosk_roster and test_camera's
 * Verify screen share, so they drive the kiosk's screens the same way and a
 * change to the app's interface is made once: a kiosk with no display (a fixed-width stand-in
 * measures text, so layouts are checked for fit at any size), driven by
 * taps on buttons, typed text, keys, strokes and time passing; the checks
 * that a frame fits its window; a kiosk folder made, signed into through
 * the core, and removed.
 *
 * Static inline: each test uses what it needs without unused warnings.
 */
#ifndef IKRAR_KIOSK_FIXTURE_H
#define IKRAR_KIOSK_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "ikrar/file.h"
#include "ikrar/ink.h"
#include "ikrar/station.h"

typedef struct kiosk {
    app *a;
    kd_list l;
    int w, h;
    int unit; /* the stand-in's unit for the window size: what the app's layout uses */
    uint64_t now;
    int flags; /* every app_event_feed result, or'ed (APP_QUIT) */
} kiosk;

/* ---- a display stand-in: every character the same width, by face ---- */

static inline int kiosk_font_tenths(int font)
{
    static const int tenths[KD_FONT_COUNT] = {9, 12, 16, 23, 34};
    return tenths[font];
}

/*
 * The unit faces are sized by: the frame's being built, as the renderer's
 * (the large-text mode lays out in a larger one than the window's).
 */
static inline int kiosk_unit(const kiosk *k)
{
    return k->l.unit > 0 ? k->l.unit : k->unit;
}

static inline int kiosk_text_w(void *ctx, int font, const char *s, int n)
{
    const kiosk *k = ctx;
    int chars = 0;
    for (int i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    return chars * kiosk_unit(k) * kiosk_font_tenths(font) * 55 / 1000;
}

static inline int kiosk_text_h(void *ctx, int font)
{
    const kiosk *k = ctx;
    return kiosk_unit(k) * kiosk_font_tenths(font) * 12 / 100;
}

/* ---- driving it ---- */

static inline void frame(kiosk *k)
{
    k->unit = (k->w < k->h ? k->w : k->h) / 28;
    if (k->unit < 10)
        k->unit = 10;
    kd_measure m = {k, kiosk_text_w, kiosk_text_h};
    app_frame(k->a, &k->l, k->w, k->h, &m, k->now);
}

/* A w x h kiosk on station s, at 1000 ms, its first frame drawn. */
static inline void kiosk_open(kiosk *k, ikr_station *s, int w, int h, const app_opts *o)
{
    memset(k, 0, sizeof *k);
    k->w = w;
    k->h = h;
    k->now = 1000;
    app_new(&k->a, s, o, k->now, NULL);
    frame(k);
}

static inline void feed(kiosk *k, int type, int x, int y)
{
    app_event ev = {type, x, y, 0, "", k->now};
    k->flags |= app_event_feed(k->a, &ev);
    frame(k);
}

/* Taps key idx of button family b (kbtn.h): 1, or 0 (and why) when it is not on screen. */
static inline int tap_key(kiosk *k, enum kbtn b, int idx)
{
    const kd_hit *h = kd_hit_find(&k->l, b, idx);
    if (!h) {
        char name[KBTN_NAME_MAX];
        fprintf(stderr, "no '%s' on screen %s\n", kbtn_name(b, idx, name, sizeof name),
                app_screen_name(k->a));
        return 0;
    }
    int x = h->x + h->w / 2, y = h->y + h->h / 2;
    k->now += 40;
    feed(k, APP_DOWN, x, y);
    k->now += 80;
    feed(k, APP_UP, x, y);
    return 1;
}

static inline int tap(kiosk *k, enum kbtn b)
{
    return tap_key(k, b, 0);
}

static inline void type(kiosk *k, const char *text)
{
    app_event ev = {APP_TEXT, 0, 0, 0, "", k->now};
    snprintf(ev.text, sizeof ev.text, "%s", text);
    k->flags |= app_event_feed(k->a, &ev);
    frame(k);
}

static inline void key(kiosk *k, int which)
{
    app_event ev = {APP_KEY, 0, 0, which, "", k->now};
    k->flags |= app_event_feed(k->a, &ev);
    frame(k);
}

/* Lets ms pass, ticking at every timer the app asks for. */
static inline void wait_ms(kiosk *k, uint64_t ms)
{
    uint64_t end = k->now + ms;
    for (;;) {
        int64_t next = app_next_timer(k->a, k->now);
        if (next < 0 || k->now + (uint64_t)next > end)
            break;
        k->now += next ? (uint64_t)next : 1;
        feed(k, APP_TICK, 0, 0);
    }
    k->now = end;
    feed(k, APP_TICK, 0, 0);
}

/* Holds a finger on the logo for ms (3 s and more open the PIN pad). */
static inline void hold_logo(kiosk *k, uint64_t ms)
{
    const kd_hit *logo = kd_hit_find(&k->l, KB_LOGO, 0);
    if (!logo)
        return;
    int x = logo->x + 5, y = logo->y + 5;
    feed(k, APP_DOWN, x, y);
    wait_ms(k, ms);
    feed(k, APP_UP, x, y);
}

/* The staff menu, through the logo and the fixtures' PIN. */
static inline void staff_menu(kiosk *k)
{
    hold_logo(k, 3100);
    type(k, "246810");
    tap(k, KB_PIN_OK);
}

/* Scrolls the declaration to its end with a finger. */
static inline void read_declaration(kiosk *k)
{
    const kd_hit *t = kd_hit_find(&k->l, KB_DECL_TEXT, 0);
    for (int i = 0; t && i < 40; i++) {
        int x = t->x + t->w / 2;
        k->now += 20;
        feed(k, APP_DOWN, x, t->y + t->h - 10);
        for (int y = t->y + t->h - 10; y > t->y + 10; y -= 20) {
            k->now += 16;
            feed(k, APP_MOVE, x, y);
        }
        feed(k, APP_UP, x, t->y + 10);
        t = kd_hit_find(&k->l, KB_DECL_TEXT, 0);
    }
}

/* Types a NIP on the keypad, a key at a time. */
static inline void type_nip(kiosk *k, const char *nip)
{
    for (const char *p = nip; *p; p++)
        tap_key(k, KB_KEY, *p);
}

/* Draws a stroke through points given as fractions of the canvas. */
static inline void stroke(kiosk *k, const double *pts, int n)
{
    const kd_hit *c = kd_hit_find(&k->l, KB_CANVAS, 0);
    if (!c)
        return;
    int cx = c->x, cy = c->y, cw = c->w, ch = c->h;
    for (int i = 0; i < n; i++) {
        int x = cx + (int)(pts[2 * i] * cw), y = cy + (int)(pts[2 * i + 1] * ch);
        k->now += 16;
        feed(k, i == 0 ? APP_DOWN : i == n - 1 ? APP_UP : APP_MOVE, x, y);
    }
}

/* A signature long enough to be one. */
static inline void signature(kiosk *k)
{
    static const double a[] = {0.1, 0.6, 0.2,  0.4, 0.3,  0.7, 0.4,
                               0.3, 0.5, 0.65, 0.6, 0.45, 0.7, 0.6};
    static const double b[] = {0.55, 0.5, 0.65, 0.55, 0.8, 0.45, 0.9, 0.5};
    stroke(k, a, 7);
    stroke(k, b, 4);
}

/* Walks a PNS signer (position Guru, unit Dinas Pendidikan) to the Review screen. */
static inline void to_review(kiosk *k, const char *nip, const char *name)
{
    tap(k, KB_START);
    read_declaration(k);
    tap(k, KB_AGREE);
    type_nip(k, nip);
    tap(k, KB_NEXT);
    tap(k, KB_STATUS_PNS);
    type(k, name);
    tap(k, KB_FIELD_POS);
    type(k, "Guru");
    tap(k, KB_FIELD_UNIT);
    type(k, "Dinas Pendidikan");
    tap(k, KB_NEXT);
    signature(k);
    tap(k, KB_NEXT);
}

/* ---- what it shows ---- */

/* 1 when some text of the frame contains s; with DUMP set, a miss lists the frame's texts. */
static inline int shows(const kiosk *k, const char *s)
{
    int r = kd_shows(&k->l, s);
    if (!r && getenv("DUMP")) {
        fprintf(stderr, "-- '%s' not on %s:", s, app_screen_name(k->a));
        for (int i = 0; i < k->l.ncmd; i++)
            if (k->l.cmd[i].type == KD_TEXT)
                fprintf(stderr, " [%s]", k->l.cmd[i].text);
        fprintf(stderr, "\n");
    }
    return r;
}

/*
 * 1 when some text on screen has before right in front of the caret: a
 * thin upright bar standing where that text's width ends, within its line.
 */
static inline int shows_caret(const kiosk *k, const char *before)
{
    size_t bl = strlen(before);
    for (int i = 0; i < k->l.ncmd; i++) {
        const kd_cmd *t = &k->l.cmd[i];
        if (t->type != KD_TEXT || t->align != KD_LEFT)
            continue;
        for (const char *p = strstr(t->text, before); p; p = strstr(p + 1, before)) {
            int x = t->x + kiosk_text_w((void *)k, t->font, t->text, (int)(p - t->text + (long)bl));
            for (int j = 0; j < k->l.ncmd; j++) {
                const kd_cmd *c = &k->l.cmd[j];
                if (c->type == KD_RECT && c->w > 0 && 4 * c->w <= c->h && c->x == x &&
                    c->y >= t->y && c->y + c->h <= t->y + t->h)
                    return 1;
            }
        }
    }
    return 0;
}

static inline int on(const kiosk *k, const char *screen)
{
    return strcmp(app_screen_name(k->a), screen) == 0;
}

/* The pools held the frame, and every hit region is on the window and of a finger's size. */
static inline int hits_fit(const kiosk *k)
{
    int ok = !k->l.overflow;
    for (int i = 0; i < k->l.nhit; i++) {
        const kd_hit *h = &k->l.hit[i];
        if (h->x < 0 || h->y < 0 || h->x + h->w > k->w || h->y + h->h > k->h || h->w < k->l.unit ||
            h->h < k->l.unit) {
            char name[KBTN_NAME_MAX];
            fprintf(stderr, "%dx%d %s: '%s' at %d,%d %dx%d\n", k->w, k->h, app_screen_name(k->a),
                    kbtn_name(h->btn, h->idx, name, sizeof name), h->x, h->y, h->w, h->h);
            ok = 0;
        }
    }
    return ok;
}

/* The header's buttons (logo, Bacakan, Batal, Panggil petugas) do not overlap: a tap hits one. */
static inline int header_apart(const kiosk *k)
{
    int ok = 1, bar = 3 * k->l.unit;
    for (int i = 0; i < k->l.nhit; i++)
        for (int j = 0; j < i; j++) {
            const kd_hit *a = &k->l.hit[i], *b = &k->l.hit[j];
            if (a->y + a->h > bar || b->y + b->h > bar)
                continue;
            if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
                b->y < a->y + a->h) {
                char na[KBTN_NAME_MAX], nb[KBTN_NAME_MAX];
                fprintf(stderr, "%dx%d %s: '%s' overlaps '%s' in the header\n", k->w, k->h,
                        app_screen_name(k->a), kbtn_name(a->btn, a->idx, na, sizeof na),
                        kbtn_name(b->btn, b->idx, nb, sizeof nb));
                ok = 0;
            }
        }
    return ok;
}

/* hits_fit, and every text within its box. */
static inline int fits(const kiosk *k)
{
    int ok = hits_fit(k);
    for (int i = 0; i < k->l.ncmd; i++) {
        const kd_cmd *c = &k->l.cmd[i];
        if (c->type != KD_TEXT)
            continue;
        int w = kiosk_text_w((void *)k, c->font, c->text, (int)strlen(c->text));
        if (w > c->w + 1 || c->x < 0 || c->x + c->w > k->w) {
            fprintf(stderr, "%dx%d %s: '%s' is %d px in a box of %d at x %d\n", k->w, k->h,
                    app_screen_name(k->a), c->text, w, c->w, c->x);
            ok = 0;
        }
    }
    return ok;
}

/* ---- the folder ---- */

/* A new kiosk folder root/name made with cfg, opened to sign; NULL when it could not be. */
static inline ikr_station *kiosk_station(const char *root, const char *name,
                                         const ikr_station_cfg *cfg)
{
    char dir[600];
    ikr_buf vk;
    ikr_err e;
    ikr_station *s = NULL;
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
    if (ikr_station_create(dir, cfg, &vk, &e) == 0)
        ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e);
    ikr_buf_free(&vk);
    return s;
}

/* The kiosk tests' usual event (pilkada-2024 at aula-1, PIN 246810) in root/name. */
static inline ikr_station *kiosk_event_station(const char *root, const char *name)
{
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN",
                           "aula-1",
                           NULL,
                           0,
                           "246810",
                           NULL,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    return kiosk_station(root, name, &cfg);
}

/* Signs f into s through the core with a small signature, as another kiosk would have; its code. */
static inline int core_sign(ikr_station *s, const ikr_form *f, uint64_t when, ikr_err *e)
{
    ikr_ink ink;
    ikr_signed out;
    ikr_ink_init(&ink);
    memset(&out, 0, sizeof out);
    ikr_buf_init(&out.receipt);
    const char *j = "{\"w\":100,\"h\":50,\"s\":[[1,2,0,30,40,16]]}";
    ikr_ink_parse_json(&ink, j, strlen(j));
    int rc = ikr_station_sign(s, f, &ink, when, &out, e);
    ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    return rc;
}

#endif
