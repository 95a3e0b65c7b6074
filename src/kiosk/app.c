/*
 * app.c: the kiosk's screens, the signer's way through them, and the
 * organiser's way in.
 *
 * State lives in one struct app; a frame is a pure function of that state
 * and the window size (app_frame), and input (app_event_feed) acts on the
 * hit regions of the last frame.  The invariants:
 *  - what one signer typed or drew lives only in the form fields and the
 *    ink arrays, and reset_form wipes all of it; every way back to Welcome
 *    (done, cancel, idle, admin) goes through reset_form;
 *  - the Done screen shows a receipt only after ikr_station_sign returned
 *    with the record committed;
 *  - building a frame allocates nothing: text goes into the draw list's
 *    arena, the declaration's line breaks are cached per width and unit.
 */
#include "app.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ikrar/nip.h"
#include "ikrar/pin.h"
#include "ikrar/qr.h"
#include "ikrar/receipt.h"
#include "ikrar/text.h"
#include "kstr.h"

#define IDLE_MS 60000        /* no input this long: the countdown starts */
#define COUNTDOWN_MS 10000   /* ...and this long later everything is wiped */
#define DONE_MS 20000        /* the Done screen returns to Welcome by itself */
#define LONG_PRESS_MS 3000   /* on the logo, to reach the PIN pad */
#define PIN_TRIES 5
#define PIN_LOCK_MS 60000
#define FIELD_MAX 200        /* bytes a typed field may hold while typing */
#define DECL_LINES 600
#define LAST_SIGNERS 5
#define STEPS 5

enum screen {
    S_WELCOME, S_DECL, S_STATUS, S_NIP, S_DETAILS, S_SIGN, S_REVIEW, S_DONE, S_ERROR,
    S_ADMIN_PIN, S_ADMIN, S_COUNT_
};

static const char *const screen_names[S_COUNT_] = {
    "welcome", "declaration", "status", "nip", "details", "signature", "review", "done", "error",
    "admin-pin", "admin"};

/* The colours: one accent, high contrast. */
static const kd_color C_BG = {245, 246, 248, 255};
static const kd_color C_PANEL = {255, 255, 255, 255};
static const kd_color C_TEXT = {26, 29, 35, 255};
static const kd_color C_MUTED = {88, 96, 110, 255};
static const kd_color C_ACCENT = {11, 92, 173, 255};
static const kd_color C_ACCENT_DOWN = {6, 60, 117, 255};
static const kd_color C_ON_ACCENT = {255, 255, 255, 255};
static const kd_color C_LINE = {196, 202, 211, 255};
static const kd_color C_DISABLED = {214, 218, 224, 255};
static const kd_color C_DISABLED_TEXT = {104, 111, 123, 255};
static const kd_color C_ERROR = {179, 38, 30, 255};
static const kd_color C_OK = {22, 122, 60, 255};
static const kd_color C_SHADE = {0, 0, 0, 150};
static const kd_color C_INK = {16, 32, 90, 255};

enum btn_style { B_PRIMARY, B_SECONDARY, B_DISABLED };

struct app {
    ikr_station *s;
    int lang, fullscreen;
    int screen;
    uint64_t now, last_input, screen_since;
    uint64_t count;

    /* the form */
    int status;
    char nip[IKR_NIP_LEN + 1];
    char field[3][FIELD_MAX + 1];
    int active_field;
    int shift;
    int nip_code;            /* live NIP verdict: IKR_OK, a refusal, or -1 while incomplete */
    uint64_t dup_seq, dup_t;
    ikr_err msg;             /* a refusal shown on the current screen */

    /* the declaration */
    int decl_scroll, decl_max, decl_read;
    int wrap_width, wrap_unit, wrap_lang, nlines;
    int line_off[DECL_LINES], line_len[DECL_LINES];
    int drag_last_y;

    /* the signature */
    uint32_t xyt[3 * IKR_INK_MAX_POINTS];
    size_t stroke_end[IKR_INK_MAX_STROKES];
    size_t npoints, nstrokes;
    uint32_t canvas_w, canvas_h;
    uint64_t ink_t0;
    int drawing, ink_overflow, ink_short;
    kd_ink kink;
    int canvas_x, canvas_y, canvas_pw, canvas_ph;

    /* the result */
    uint64_t seq;
    ikr_buf receipt;
    ikr_qr qr;
    int has_qr;
    ikr_err fail;            /* why the last signing failed (error screen) */

    /* touch */
    int down;
    char pressed[KD_MAX_ID];
    uint64_t down_ms;
    int long_fired;
    kd_hit hits[KD_MAX_HITS];
    int nhits;
    int idle_dismiss_pending;

    /* the organiser */
    char pin[IKR_MAX_PIN + 1];
    int pin_len, pin_fails;
    uint64_t pin_locked_until;
    int pin_wrong;
    char admin_note[300];
    ikr_qr admin_qr;
    int has_admin_qr;
    char last_names[LAST_SIGNERS][IKR_MAX_NAME + 40];
    int nlast;
};

static const char *T(const app *a, int k)
{
    return kstr(k, a->lang);
}

static int64_t idle_left(const app *a);

/*
 * Formats the text of key k with its arguments.  The table's texts are
 * formats (the kiosk's string test checks that both languages of a key take
 * the same conversions, in the same order), so the format is not a literal.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 0)))
#endif
static void kfmt_v(const app *a, char *buf, size_t n, const char *f, va_list ap)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(buf, n, f, ap);
#pragma GCC diagnostic pop
    (void)a;
}

static void kfmt(const app *a, char *buf, size_t n, int k, ...)
{
    va_list ap;
    va_start(ap, k);
    kfmt_v(a, buf, n, T(a, k), ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ state */

static void clear_qr(ikr_qr *q, int *has)
{
    if (*has)
        ikr_qr_free(q);
    memset(q, 0, sizeof *q);
    *has = 0;
}

/* Wipes everything one signer entered or was shown. */
static void reset_form(app *a)
{
    a->status = -1;
    OPENSSL_cleanse(a->nip, sizeof a->nip);
    OPENSSL_cleanse(a->field, sizeof a->field);
    a->active_field = 0;
    a->shift = 1;
    a->nip_code = -1;
    a->dup_seq = a->dup_t = 0;
    ikr_err_clear(&a->msg);
    ikr_err_clear(&a->fail);
    a->decl_scroll = 0;
    a->decl_read = 0;
    OPENSSL_cleanse(a->xyt, sizeof(uint32_t) * 3 * a->npoints);
    a->npoints = a->nstrokes = 0;
    a->canvas_w = a->canvas_h = 0;
    a->drawing = a->ink_overflow = a->ink_short = 0;
    a->seq = 0;
    ikr_buf_free(&a->receipt);
    clear_qr(&a->qr, &a->has_qr);
}

static void refresh_count(app *a)
{
    uint64_t n = 0;
    if (ikr_log_size(a->s->log, &n, NULL) == IKR_OK)
        a->count = n;
}

static void go(app *a, int screen)
{
    a->screen = screen;
    a->screen_since = a->now;
    ikr_err_clear(&a->msg);
    if (screen == S_WELCOME) {
        reset_form(a);
        refresh_count(a);
    }
}

int app_new(app **out, ikr_station *s, const app_opts *o, uint64_t now_ms, ikr_err *e)
{
    app *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    a->s = s;
    a->lang = o->lang == IKR_LANG_EN ? IKR_LANG_EN : IKR_LANG_ID;
    a->fullscreen = o->fullscreen;
    a->now = a->last_input = now_ms;
    ikr_buf_init(&a->receipt);
    a->wrap_width = -1;
    go(a, S_WELCOME);
    *out = a;
    return IKR_OK;
}

void app_free(app *a)
{
    if (!a)
        return;
    reset_form(a);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    OPENSSL_cleanse(a->pin, sizeof a->pin);
    free(a);
}

const char *app_screen_name(const app *a)
{
    return screen_names[a->screen];
}

const char *app_receipt(const app *a)
{
    return a->screen == S_DONE && a->receipt.len ? (const char *)a->receipt.p : NULL;
}

/* ------------------------------------------------------------ the form */

/* Groups a NIP as it is printed: 8 6 1 3. */
static void nip_grouped(char *out, size_t n, const char *nip, int placeholders)
{
    size_t o = 0, len = strlen(nip);
    for (size_t i = 0; i < IKR_NIP_LEN && o + 2 < n; i++) {
        if (i == 8 || i == 14 || i == 15)
            out[o++] = ' ';
        if (i < len)
            out[o++] = nip[i];
        else if (placeholders)
            out[o++] = '_';
        else
            break;
    }
    out[o] = '\0';
}

/*
 * The live verdict on a NIP being typed: what is already wrong in the part
 * typed so far (the birth date after 8 digits, the appointment after 14, the
 * gender digit after 15), the full check at 18, then whether it signed.
 */
static void check_nip_live(app *a)
{
    size_t n = strlen(a->nip);
    int64_t now = (int64_t)time(NULL);
    ikr_err_clear(&a->msg);
    a->nip_code = -1;
    char probe[IKR_NIP_LEN + 1];
    if (n >= 8 && n < IKR_NIP_LEN) {
        /* Fill the rest with digits that pass, so only the typed part can fail. */
        snprintf(probe, sizeof probe, "%s", a->nip);
        const char *fill = a->status == IKR_STATUS_PNS ? "00000000" "209912" "1" "001"
                                                       : "00000000" "2099" "01" "1" "001";
        memcpy(probe + n, fill + n, IKR_NIP_LEN - n);
        probe[IKR_NIP_LEN] = '\0';
        int rc = ikr_nip_check(probe, a->status, INT64_C(4102444800)); /* judged as of 2100 */
        if (rc == IKR_E_NIP_BIRTH || (n >= 14 && (rc == IKR_E_NIP_TMT || rc == IKR_E_NIP_TMT_AGE ||
                                                  rc == IKR_E_NIP_PPPK_YEAR)) ||
            (n >= 15 && rc == IKR_E_NIP_GENDER))
            ikr_err_set(&a->msg, rc, NULL);
        /* A birth date in the future is only known against today. */
        if (rc == IKR_OK && ikr_nip_check(probe, a->status, now) == IKR_E_NIP_BIRTH)
            ikr_err_set(&a->msg, IKR_E_NIP_BIRTH, NULL);
        return;
    }
    if (n < IKR_NIP_LEN)
        return;
    int rc = ikr_nip_check(a->nip, a->status, now);
    if (rc) {
        ikr_err_set(&a->msg, rc, NULL);
        a->nip_code = rc;
        return;
    }
    if (ikr_log_find_nip(a->s->log, a->nip, &a->dup_seq, &a->dup_t, NULL) == 0) {
        ikr_err_at(&a->msg, IKR_E_NIP_DUPLICATE, (int64_t)a->dup_seq, (int64_t)a->dup_t);
        a->nip_code = IKR_E_NIP_DUPLICATE;
        return;
    }
    a->nip_code = IKR_OK;
}

static void nip_type(app *a, char c)
{
    size_t n = strlen(a->nip);
    if (c >= '0' && c <= '9' && n < IKR_NIP_LEN) {
        a->nip[n] = c;
        a->nip[n + 1] = '\0';
    }
    check_nip_live(a);
}

static void nip_backspace(app *a)
{
    size_t n = strlen(a->nip);
    if (n)
        a->nip[n - 1] = '\0';
    check_nip_live(a);
}

/* Appends UTF-8 text to the active field, within FIELD_MAX bytes, whole characters only. */
static void field_type(app *a, const char *s)
{
    char *f = a->field[a->active_field];
    size_t n = strlen(f), add = strlen(s);
    if (!ikr_utf8_valid(s, add))
        return;
    while (add > 0 && n + add > FIELD_MAX) {
        add--;
        while (add > 0 && ((unsigned char)s[add] & 0xc0) == 0x80)
            add--;
    }
    memcpy(f + n, s, add);
    f[n + add] = '\0';
    ikr_err_clear(&a->msg);
}

static void field_backspace(app *a)
{
    char *f = a->field[a->active_field];
    size_t n = strlen(f);
    while (n > 0) {
        n--;
        if (((unsigned char)f[n] & 0xc0) != 0x80)
            break;
    }
    f[n] = '\0';
    ikr_err_clear(&a->msg);
}

/* Checks the whole form as the core will; the first refusal goes to a->msg. */
static int form_check(app *a)
{
    ikr_form f = {a->field[0], a->status, a->nip, a->field[1], a->field[2]};
    ikr_signer who;
    ikr_err_clear(&a->msg);
    return ikr_form_check(&f, (uint64_t)time(NULL), &who, &a->msg);
}

/* ------------------------------------------------------------ the ink */

static void ink_add(app *a, int wx, int wy)
{
    if (a->ink_overflow || !a->nstrokes)
        return;
    if (a->npoints >= IKR_INK_MAX_POINTS) {
        a->ink_overflow = 1;
        return;
    }
    /* Window pixels to the canvas's own pixels, clamped onto it. */
    int64_t x = (int64_t)(wx - a->canvas_x) * a->canvas_w / (a->canvas_pw ? a->canvas_pw : 1);
    int64_t y = (int64_t)(wy - a->canvas_y) * a->canvas_h / (a->canvas_ph ? a->canvas_ph : 1);
    x = x < 0 ? 0 : x > a->canvas_w ? a->canvas_w : x;
    y = y < 0 ? 0 : y > a->canvas_h ? a->canvas_h : y;
    uint64_t t = a->now - a->ink_t0;
    if (t > IKR_INK_MAX_TIME)
        t = IKR_INK_MAX_TIME;
    size_t first = a->nstrokes > 1 ? a->stroke_end[a->nstrokes - 2] : 0;
    if (a->npoints > first) {
        const uint32_t *p = &a->xyt[3 * (a->npoints - 1)];
        if (p[0] == (uint32_t)x && p[1] == (uint32_t)y)
            return; /* no movement: no new point */
        if (t < p[2])
            t = p[2];
    }
    uint32_t *q = &a->xyt[3 * a->npoints++];
    q[0] = (uint32_t)x;
    q[1] = (uint32_t)y;
    q[2] = (uint32_t)t;
    a->stroke_end[a->nstrokes - 1] = a->npoints;
}

static void ink_begin(app *a, int wx, int wy)
{
    if (a->nstrokes >= IKR_INK_MAX_STROKES) {
        a->ink_overflow = 1;
        return;
    }
    if (a->nstrokes == 0) {
        a->canvas_w = (uint32_t)a->canvas_pw;
        a->canvas_h = (uint32_t)a->canvas_ph;
        a->ink_t0 = a->now;
    }
    a->stroke_end[a->nstrokes++] = a->npoints;
    a->drawing = 1;
    a->ink_short = 0;
    ink_add(a, wx, wy);
    if (a->stroke_end[a->nstrokes - 1] == (a->nstrokes > 1 ? a->stroke_end[a->nstrokes - 2] : 0))
        a->nstrokes--; /* nothing was added: no empty stroke */
}

/* Enough ink to be a signature: some length of line, not a tap or a dot. */
static int ink_enough(const app *a)
{
    double len = 0;
    size_t start = 0;
    for (size_t s = 0; s < a->nstrokes; s++) {
        for (size_t i = start + 1; i < a->stroke_end[s]; i++) {
            double dx = (double)a->xyt[3 * i] - a->xyt[3 * (i - 1)];
            double dy = (double)a->xyt[3 * i + 1] - a->xyt[3 * (i - 1) + 1];
            len += dx * dx + dy * dy > 0 ? sqrt(dx * dx + dy * dy) : 0;
        }
        start = a->stroke_end[s];
    }
    return a->npoints >= 8 && len >= 0.25 * (double)(a->canvas_w ? a->canvas_w : 1);
}

static void ink_clear(app *a)
{
    OPENSSL_cleanse(a->xyt, sizeof(uint32_t) * 3 * a->npoints);
    a->npoints = a->nstrokes = 0;
    a->ink_overflow = a->ink_short = a->drawing = 0;
}

/* ------------------------------------------------------------ signing */

static void do_sign(app *a)
{
    ikr_ink ink = {a->canvas_w, a->canvas_h, a->nstrokes, a->npoints, a->xyt, a->stroke_end};
    ikr_form f = {a->field[0], a->status, a->nip, a->field[1], a->field[2]};
    ikr_signed out;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_station_sign(a->s, &f, &ink, (uint64_t)time(NULL), &out, &e);
    if (rc == IKR_OK || out.seq) {
        /* Committed. The receipt exists only now. */
        a->seq = out.seq;
        ikr_buf_free(&a->receipt);
        a->receipt = out.receipt;
        clear_qr(&a->qr, &a->has_qr);
        if (a->receipt.len && ikr_qr_encode(&a->qr, (const char *)a->receipt.p, NULL) == IKR_OK)
            a->has_qr = 1;
        refresh_count(a);
        go(a, S_DONE);
        return;
    }
    ikr_buf_free(&out.receipt);
    if (ikr_code_is_refusal(rc)) {
        /* Refused now (another kiosk took the NIP meanwhile, say): say so here. */
        a->msg = e;
        return;
    }
    a->fail = e;
    go(a, S_ERROR);
}

/* ------------------------------------------------------------ admin */

static void admin_enter(app *a)
{
    ikr_log_row rows[LAST_SIGNERS];
    uint64_t size = 0;
    size_t got = 0;
    refresh_count(a);
    a->nlast = 0;
    a->admin_note[0] = '\0';
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    if (ikr_log_size(a->s->log, &size, NULL) == IKR_OK && size > 0) {
        for (int i = 0; i < LAST_SIGNERS; i++)
            ikr_log_row_init(&rows[i]);
        uint64_t after = size > LAST_SIGNERS ? size - LAST_SIGNERS : 0;
        if (ikr_log_scan(a->s->log, after, rows, LAST_SIGNERS, (size_t)1 << 24, &got, NULL) == IKR_OK)
            for (size_t i = got; i-- > 0;) {
                char when[32];
                time_t w = (time_t)rows[i].t + 7 * 3600;
                struct tm tm;
                gmtime_r(&w, &tm);
                strftime(when, sizeof when, "%H:%M", &tm);
                snprintf(a->last_names[a->nlast++], sizeof a->last_names[0], "%" PRIu64 "  %s  %s",
                         rows[i].seq, when, rows[i].who.name);
            }
        for (int i = 0; i < LAST_SIGNERS; i++)
            ikr_log_row_free(&rows[i]);
    }
    go(a, S_ADMIN);
}

static void admin_pin_try(app *a)
{
    ikr_buf stored;
    ikr_buf_init(&stored);
    int ok = ikr_log_meta_get(a->s->log, "pin", &stored, NULL) == IKR_OK &&
             ikr_pin_verify((const char *)stored.p, a->pin) == IKR_OK;
    ikr_buf_free(&stored);
    OPENSSL_cleanse(a->pin, sizeof a->pin);
    a->pin_len = 0;
    if (ok) {
        a->pin_fails = 0;
        a->pin_wrong = 0;
        admin_enter(a);
        return;
    }
    a->pin_fails++;
    a->pin_wrong = 1;
    if (a->pin_fails >= PIN_TRIES) {
        a->pin_locked_until = a->now + PIN_LOCK_MS;
        a->pin_fails = 0;
    }
}

static void admin_reprint(app *a)
{
    uint64_t size = 0;
    ikr_buf text;
    ikr_buf_init(&text);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    if (ikr_log_size(a->s->log, &size, NULL) != IKR_OK || size == 0) {
        snprintf(a->admin_note, sizeof a->admin_note, "%s", T(a, K_ADMIN_NONE_YET));
        return;
    }
    if (ikr_station_receipt(a->s, size, &text, NULL) == IKR_OK &&
        ikr_qr_encode(&a->admin_qr, (const char *)text.p, NULL) == IKR_OK) {
        a->has_admin_qr = 1;
        kfmt(a, a->admin_note, sizeof a->admin_note, K_DONE_NUMBER, (int)size);
    }
    ikr_buf_free(&text);
}

static void admin_close_event(app *a)
{
    ikr_buf note;
    ikr_err e;
    char path[1200];
    ikr_buf_init(&note);
    ikr_err_clear(&e);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    if (ikr_station_checkpoint(a->s, (uint64_t)time(NULL), &note, &e) != IKR_OK) {
        ikr_err_format(&e, a->lang, a->admin_note, sizeof a->admin_note);
        return;
    }
    /* The size is the second line of the note. */
    const char *p = memchr(note.p, '\n', note.len);
    long size = p ? strtol(p + 1, NULL, 10) : 0;
    snprintf(path, sizeof path, "%s/checkpoint-final-%ld.txt", a->s->dir, size);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int saved = fd >= 0 && write(fd, note.p, note.len) == (ssize_t)note.len && fsync(fd) == 0;
    if (fd >= 0)
        close(fd);
    if (!saved) {
        ikr_err_set(&e, IKR_E_IO, "%s: %s", path, strerror(errno));
        ikr_err_format(&e, a->lang, a->admin_note, sizeof a->admin_note);
    } else {
        kfmt(a, a->admin_note, sizeof a->admin_note, K_ADMIN_CLOSED, (int)size, path);
    }
    ikr_buf_addc(&note, 0);
    if (ikr_qr_encode(&a->admin_qr, (const char *)note.p, NULL) == IKR_OK)
        a->has_admin_qr = 1;
    ikr_buf_free(&note);
}

/* ------------------------------------------------------------ input */

static int step_back(app *a)
{
    switch (a->screen) {
    case S_DECL: go(a, S_WELCOME); break;
    case S_STATUS: go(a, S_DECL); break;
    case S_NIP: go(a, S_STATUS); break;
    case S_DETAILS: go(a, a->status == IKR_STATUS_NON_ASN ? S_STATUS : S_NIP); break;
    case S_SIGN: go(a, S_DETAILS); break;
    case S_REVIEW: go(a, S_SIGN); break;
    case S_ADMIN_PIN:
    case S_ADMIN: go(a, S_WELCOME); break;
    default: return 0;
    }
    return APP_REDRAW;
}

/* The main button of each screen (Enter on a keyboard). */
static int main_action(app *a);

static int activate(app *a, const char *id)
{
    if (strcmp(id, "back") == 0)
        return step_back(a);
    switch (a->screen) {
    case S_WELCOME:
        if (strcmp(id, "start") == 0)
            go(a, S_DECL);
        else if (strcmp(id, "lang.id") == 0)
            a->lang = IKR_LANG_ID;
        else if (strcmp(id, "lang.en") == 0)
            a->lang = IKR_LANG_EN;
        break;
    case S_DECL:
        if (strcmp(id, "agree") == 0 && a->decl_read)
            go(a, S_STATUS);
        break;
    case S_STATUS:
        if (strncmp(id, "status.", 7) == 0) {
            int st = strcmp(id + 7, "pns") == 0    ? IKR_STATUS_PNS
                     : strcmp(id + 7, "pppk") == 0 ? IKR_STATUS_PPPK
                                                   : IKR_STATUS_NON_ASN;
            if (st != a->status) {
                OPENSSL_cleanse(a->nip, sizeof a->nip);
                a->nip_code = -1;
            }
            a->status = st;
            go(a, st == IKR_STATUS_NON_ASN ? S_DETAILS : S_NIP);
            if (st != IKR_STATUS_NON_ASN)
                check_nip_live(a);
        }
        break;
    case S_NIP:
        if (strncmp(id, "key.", 4) == 0) {
            if (strcmp(id + 4, "back") == 0)
                nip_backspace(a);
            else if (strcmp(id + 4, "clear") == 0) {
                a->nip[0] = '\0';
                check_nip_live(a);
            } else
                nip_type(a, id[4]);
        } else if (strcmp(id, "next") == 0) {
            return main_action(a);
        }
        break;
    case S_DETAILS:
        if (strncmp(id, "field.", 6) == 0)
            a->active_field = id[6] == 'n' ? 0 : id[6] == 'p' ? 1 : 2;
        else if (strcmp(id, "kb.shift") == 0)
            a->shift = !a->shift;
        else if (strcmp(id, "kb.bs") == 0)
            field_backspace(a);
        else if (strcmp(id, "kb.space") == 0) {
            field_type(a, " ");
            a->shift = a->active_field == 0; /* names: a capital after each space */
        }
        else if (strncmp(id, "kb.", 3) == 0 && id[3] && !id[4]) {
            char c[2] = {id[3], '\0'};
            if (c[0] >= 'A' && c[0] <= 'Z' && !a->shift)
                c[0] = (char)(c[0] - 'A' + 'a');
            field_type(a, c);
            a->shift = 0;
        } else if (strcmp(id, "next") == 0) {
            return main_action(a);
        }
        break;
    case S_SIGN:
        if (strcmp(id, "clear") == 0)
            ink_clear(a);
        else if (strcmp(id, "next") == 0)
            return main_action(a);
        break;
    case S_REVIEW:
        if (strcmp(id, "change") == 0)
            go(a, S_DETAILS);
        else if (strcmp(id, "confirm") == 0)
            return main_action(a);
        break;
    case S_DONE:
        if (strcmp(id, "finish") == 0)
            go(a, S_WELCOME);
        break;
    case S_ERROR:
        if (strcmp(id, "retry") == 0)
            do_sign(a);
        else if (strcmp(id, "cancel") == 0)
            go(a, S_WELCOME);
        break;
    case S_ADMIN_PIN:
        if (a->now < a->pin_locked_until)
            break;
        if (strncmp(id, "pin.", 4) == 0) {
            a->pin_wrong = 0;
            if (strcmp(id + 4, "back") == 0) {
                if (a->pin_len)
                    a->pin[--a->pin_len] = '\0';
            } else if (strcmp(id + 4, "ok") == 0) {
                admin_pin_try(a);
            } else if (id[4] >= '0' && id[4] <= '9' && a->pin_len < IKR_MAX_PIN) {
                a->pin[a->pin_len++] = id[4];
                a->pin[a->pin_len] = '\0';
            }
        }
        break;
    case S_ADMIN:
        if (strcmp(id, "admin.reprint") == 0)
            admin_reprint(a);
        else if (strcmp(id, "admin.close") == 0)
            admin_close_event(a);
        else if (strcmp(id, "admin.quit") == 0)
            return APP_REDRAW | APP_QUIT;
        break;
    default:
        break;
    }
    return APP_REDRAW;
}

static int main_action(app *a)
{
    switch (a->screen) {
    case S_WELCOME: go(a, S_DECL); break;
    case S_DECL:
        if (a->decl_read)
            go(a, S_STATUS);
        break;
    case S_NIP:
        check_nip_live(a);
        if (a->nip_code == IKR_OK)
            go(a, S_DETAILS);
        else if (a->nip_code == -1)
            ikr_err_set(&a->msg, IKR_E_NIP_LENGTH, NULL);
        break;
    case S_DETAILS:
        if (form_check(a) == IKR_OK)
            go(a, S_SIGN);
        break;
    case S_SIGN:
        if (a->ink_overflow)
            break;
        if (!ink_enough(a)) {
            a->ink_short = 1;
            break;
        }
        go(a, S_REVIEW);
        break;
    case S_REVIEW: do_sign(a); break;
    case S_DONE: go(a, S_WELCOME); break;
    case S_ADMIN_PIN:
        if (a->now >= a->pin_locked_until)
            admin_pin_try(a);
        break;
    default: break;
    }
    return APP_REDRAW;
}

static const kd_hit *hit_at(const app *a, int x, int y)
{
    for (int i = a->nhits - 1; i >= 0; i--) {
        const kd_hit *t = &a->hits[i];
        if (x >= t->x && x < t->x + t->w && y >= t->y && y < t->y + t->h)
            return t;
    }
    return NULL;
}

static int on_key(app *a, int key)
{
    switch (key) {
    case APP_KEY_QUIT:
        /* In kiosk mode only the organiser leaves, through the PIN. */
        return a->fullscreen ? 0 : APP_QUIT;
    case APP_KEY_ESCAPE:
        return step_back(a);
    case APP_KEY_ENTER:
        return main_action(a);
    case APP_KEY_BACKSPACE:
        if (a->screen == S_NIP)
            nip_backspace(a);
        else if (a->screen == S_DETAILS)
            field_backspace(a);
        else if (a->screen == S_ADMIN_PIN && a->pin_len)
            a->pin[--a->pin_len] = '\0';
        return APP_REDRAW;
    case APP_KEY_TAB:
        if (a->screen == S_DETAILS)
            a->active_field = (a->active_field + 1) % 3;
        return APP_REDRAW;
    case APP_KEY_UP:
    case APP_KEY_DOWN:
        if (a->screen == S_DECL) {
            a->decl_scroll += (key == APP_KEY_DOWN ? 1 : -1) * (a->wrap_unit ? 2 * a->wrap_unit : 30);
            return APP_REDRAW;
        }
        return 0;
    default:
        return 0;
    }
}

static int on_text(app *a, const char *text)
{
    if (a->screen == S_NIP) {
        for (const char *p = text; *p; p++)
            if (*p >= '0' && *p <= '9')
                nip_type(a, *p);
    } else if (a->screen == S_DETAILS) {
        field_type(a, text);
        a->shift = 0;
    } else if (a->screen == S_ADMIN_PIN && a->now >= a->pin_locked_until) {
        for (const char *p = text; *p && a->pin_len < IKR_MAX_PIN; p++)
            if (*p >= '0' && *p <= '9') {
                a->pin[a->pin_len++] = *p;
                a->pin[a->pin_len] = '\0';
            }
    } else {
        return 0;
    }
    return APP_REDRAW;
}

/* Timers: the long press, the idle countdown, the Done screen, the PIN lock. */
static int on_tick(app *a)
{
    int r = 0;
    if (a->down && !a->long_fired && strcmp(a->pressed, "logo") == 0 &&
        a->now - a->down_ms >= LONG_PRESS_MS) {
        a->long_fired = 1;
        a->pin_len = 0;
        a->pin_wrong = 0;
        go(a, S_ADMIN_PIN);
        r = APP_REDRAW;
    }
    if (a->screen == S_DONE && a->now - a->screen_since >= DONE_MS) {
        go(a, S_WELCOME);
        r = APP_REDRAW;
    }
    int64_t left = idle_left(a);
    if (left == 0) {
        go(a, S_WELCOME);
        r = APP_REDRAW;
    } else if (left > 0) {
        r = APP_REDRAW; /* the countdown shows seconds */
    }
    if (a->screen == S_ADMIN_PIN && a->pin_locked_until && a->now <= a->pin_locked_until + 1000)
        r = APP_REDRAW;
    return r;
}

int app_event_feed(app *a, const app_event *ev)
{
    if (ev->ms > a->now)
        a->now = ev->ms;
    if (ev->type == APP_TICK)
        return on_tick(a);

    /* Any input while the idle countdown shows only dismisses it. */
    int counting = idle_left(a) > 0;
    if (ev->type != APP_MOVE || a->down)
        a->last_input = a->now;
    if (counting) {
        if (ev->type == APP_DOWN)
            a->idle_dismiss_pending = 1;
        if (ev->type == APP_UP)
            a->idle_dismiss_pending = 0;
        return APP_REDRAW;
    }
    if (a->idle_dismiss_pending) {
        if (ev->type == APP_UP)
            a->idle_dismiss_pending = 0;
        return 0;
    }

    int r = on_tick(a);
    switch (ev->type) {
    case APP_DOWN: {
        const kd_hit *h = hit_at(a, ev->x, ev->y);
        a->down = 1;
        a->down_ms = a->now;
        a->long_fired = 0;
        snprintf(a->pressed, sizeof a->pressed, "%s", h ? h->id : "");
        if (a->screen == S_SIGN && h && strcmp(h->id, "canvas") == 0)
            ink_begin(a, ev->x, ev->y);
        if (a->screen == S_DECL)
            a->drag_last_y = ev->y;
        return r | APP_REDRAW;
    }
    case APP_MOVE:
        if (!a->down)
            return r;
        if (a->drawing) {
            ink_add(a, ev->x, ev->y);
            return r | APP_REDRAW;
        }
        if (a->screen == S_DECL) {
            a->decl_scroll += a->drag_last_y - ev->y;
            a->drag_last_y = ev->y;
            a->pressed[0] = '\0'; /* a drag is not a tap */
            return r | APP_REDRAW;
        }
        return r;
    case APP_UP: {
        int was_drawing = a->drawing;
        a->down = 0;
        a->drawing = 0;
        if (was_drawing) {
            ink_add(a, ev->x, ev->y);
            return r | APP_REDRAW;
        }
        const kd_hit *h = hit_at(a, ev->x, ev->y);
        char id[KD_MAX_ID];
        snprintf(id, sizeof id, "%s", a->pressed);
        a->pressed[0] = '\0';
        if (a->long_fired)
            return r | APP_REDRAW;
        if (h && id[0] && strcmp(h->id, id) == 0)
            return r | activate(a, id);
        return r | APP_REDRAW;
    }
    case APP_KEY:
        return r | on_key(a, ev->key);
    case APP_TEXT:
        return r | on_text(a, ev->text);
    default:
        return r;
    }
}

/* ms the idle countdown has left: -1 when not counting, 0 when it ran out. */
static int64_t idle_left(const app *a)
{
    if (a->screen == S_WELCOME || a->down)
        return -1;
    uint64_t quiet = a->now - a->last_input;
    if (quiet < IDLE_MS)
        return -1;
    return quiet >= IDLE_MS + COUNTDOWN_MS ? 0 : (int64_t)(IDLE_MS + COUNTDOWN_MS - quiet);
}

int64_t app_next_timer(const app *a, uint64_t now_ms)
{
    int64_t next = -1;
#define SOON(at)                                                                                \
    do {                                                                                        \
        int64_t d_ = (int64_t)(at) - (int64_t)now_ms;                                           \
        if (d_ < 0)                                                                             \
            d_ = 0;                                                                             \
        if (next < 0 || d_ < next)                                                              \
            next = d_;                                                                          \
    } while (0)
    if (a->down && !a->long_fired && strcmp(a->pressed, "logo") == 0)
        SOON(a->down_ms + LONG_PRESS_MS);
    if (a->screen == S_DONE)
        SOON(a->screen_since + DONE_MS);
    if (a->screen != S_WELCOME && !a->down) {
        uint64_t quiet = now_ms - a->last_input;
        if (quiet < IDLE_MS)
            SOON(a->last_input + IDLE_MS);
        else /* once a second, for the countdown's seconds */
            SOON(now_ms + 1000 - (quiet - IDLE_MS) % 1000);
    }
    if (a->screen == S_ADMIN_PIN && now_ms < a->pin_locked_until)
        SOON(now_ms + 1000);
#undef SOON
    return next;
}

/* ------------------------------------------------------------ drawing */

typedef struct ctx {
    app *a;
    kd_list *l;
    const kd_measure *m;
    int u, w, h;
} ctx;

static int text_w(const ctx *c, int font, const char *s, int n)
{
    return c->m->width(c->m->ctx, font, s, n < 0 ? (int)strlen(s) : n);
}

static int font_h(const ctx *c, int font)
{
    return c->m->height(c->m->ctx, font);
}

static void button(ctx *c, const char *id, int x, int y, int w, int h, const char *label, int style)
{
    int pressed = c->a->down && strcmp(c->a->pressed, id) == 0 && style != B_DISABLED;
    kd_color bg = style == B_PRIMARY ? (pressed ? C_ACCENT_DOWN : C_ACCENT)
                  : style == B_SECONDARY ? (pressed ? C_DISABLED : C_PANEL)
                                         : C_DISABLED;
    kd_color fg = style == B_PRIMARY ? C_ON_ACCENT : style == B_SECONDARY ? C_ACCENT : C_DISABLED_TEXT;
    kd_rect(c->l, x, y, w, h, c->u / 2, bg);
    if (style == B_SECONDARY)
        kd_border(c->l, x, y, w, h, c->u / 8 > 2 ? c->u / 8 : 2, C_ACCENT);
    kd_text(c->l, x + c->u / 2, y, w - c->u, h, KD_FONT_LARGE, KD_CENTER, fg, label, -1);
    kd_hit_add(c->l, id, x, y, w, h);
}

/*
 * Greedy word wrap of s[0..n) into lines of at most width px; calls out()
 * for each line.  Explicit newlines break lines; an over-long word is cut
 * at a character boundary.  Returns the number of lines.
 */
static int wrap(const ctx *c, int font, const char *s, int n, int width,
                void (*out)(void *, int, int), void *arg)
{
    int lines = 0, i = 0;
    while (i < n) {
        int start = i, fit = -1, j = i;
        /* Take whole words while the line still fits. */
        while (j < n && s[j] != '\n') {
            int k = j;
            while (k < n && s[k] != ' ' && s[k] != '\n')
                k++;
            if (text_w(c, font, s + start, k - start) > width)
                break;
            fit = k;
            j = k;
            while (j < n && s[j] == ' ')
                j++;
        }
        int end = start;
        if (fit >= 0) {
            end = fit;
        } else if (s[start] != '\n') {
            /* One word wider than the line: cut it, whole characters only. */
            do
                end++;
            while (end < n && ((unsigned char)s[end] & 0xc0) == 0x80);
            for (;;) {
                int next = end;
                if (next >= n || s[next] == ' ' || s[next] == '\n')
                    break;
                do
                    next++;
                while (next < n && ((unsigned char)s[next] & 0xc0) == 0x80);
                if (text_w(c, font, s + start, next - start) > width)
                    break;
                end = next;
            }
        }
        out(arg, start, end - start);
        lines++;
        i = end;
        while (i < n && s[i] == ' ')
            i++;
        if (i < n && s[i] == '\n')
            i++;
    }
    return lines;
}

struct wrap_out {
    const ctx *c;
    const char *base;
    int x, y, w, line_h, font, align, max;
    kd_color color;
    int n;
};

static void emit_line(void *arg, int off, int len)
{
    struct wrap_out *o = arg;
    if (o->n < o->max)
        kd_text(o->c->l, o->x, o->y + o->n * o->line_h, o->w, o->line_h, o->font, o->align,
                o->color, o->base + off, len);
    o->n++;
}

/* Draws wrapped text from (x, y), at most max lines; returns the height used. */
static int paragraph(ctx *c, int x, int y, int w, int font, int align, kd_color color,
                     const char *s, int max)
{
    struct wrap_out o = {c, s, x, y, w, font_h(c, font) * 6 / 5, font, align, max, color, 0};
    wrap(c, font, s, (int)strlen(s), w, emit_line, &o);
    return (o.n < max ? o.n : max) * o.line_h;
}

static void decl_line(void *arg, int off, int len)
{
    app *a = arg;
    if (a->nlines < DECL_LINES) {
        a->line_off[a->nlines] = off;
        a->line_len[a->nlines] = len;
        a->nlines++;
    }
}

static void header(ctx *c, int step)
{
    app *a = c->a;
    int u = c->u, hh = 3 * u;
    kd_rect(c->l, 0, 0, c->w, hh, 0, C_PANEL);
    kd_rect(c->l, 0, hh - 2, c->w, 2, 0, C_LINE);
    /* The logo: the organiser's way in is a long press on it. */
    int lx = u / 2, ly = u / 2, ls = 2 * u;
    kd_rect(c->l, lx, ly, ls, ls, u / 2, a->down && strcmp(a->pressed, "logo") == 0 ? C_ACCENT_DOWN : C_ACCENT);
    kd_text(c->l, lx, ly, ls, ls, KD_FONT_BODY, KD_CENTER, C_ON_ACCENT, "ik", -1);
    kd_hit_add(c->l, "logo", 0, 0, ls + u, hh);
    const char *title = (const char *)a->s->title.p;
    int right = step > 0 ? 9 * u : 0;
    kd_text(c->l, lx + ls + u / 2, 0, c->w - (lx + ls + u) - right, hh, KD_FONT_BODY, KD_LEFT,
            C_TEXT, title, -1);
    if (step > 0) {
        char buf[64];
        kfmt(a, buf, sizeof buf, K_STEP_OF, step, STEPS);
        kd_text(c->l, c->w - right, 0, right - u / 2, hh, KD_FONT_SMALL, KD_RIGHT, C_MUTED, buf, -1);
    }
}

/* The footer's buttons: back on the left, the main action on the right. */
static int footer_y(const ctx *c)
{
    return c->h - 4 * c->u;
}

static void footer(ctx *c, const char *back_label, const char *main_id, const char *main_label,
                   int main_enabled)
{
    int u = c->u, y = footer_y(c) + u / 2, bh = 3 * u;
    if (back_label)
        button(c, "back", u, y, 8 * u, bh, back_label, B_SECONDARY);
    if (main_id) {
        int w = text_w(c, KD_FONT_LARGE, main_label, -1) + 3 * u;
        if (w < 9 * u)
            w = 9 * u;
        if (w > c->w - 11 * u)
            w = c->w - 11 * u;
        button(c, main_id, c->w - u - w, y, w, bh, main_label, main_enabled ? B_PRIMARY : B_DISABLED);
    }
}

static void title_line(ctx *c, int y, const char *s)
{
    kd_text(c->l, c->u, y, c->w - 2 * c->u, 3 * c->u, KD_FONT_TITLE, KD_LEFT, C_TEXT, s, -1);
}

static void message(ctx *c, int x, int y, int w, const ikr_err *e)
{
    char buf[400];
    if (!e->code)
        return;
    ikr_err_format(e, c->a->lang, buf, sizeof buf);
    paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_ERROR, buf, 3);
}

static void draw_welcome(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    int y = 5 * u;
    y += paragraph(c, u, y, c->w - 2 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT, (const char *)a->s->title.p, 3);
    /* Today's date, as people say it. */
    char date[80], months[200], *mon[12] = {0};
    snprintf(months, sizeof months, "%s", T(a, K_MONTHS));
    char *save = NULL, *tok = strtok_r(months, ",", &save);
    for (int i = 0; i < 12 && tok; i++, tok = strtok_r(NULL, ",", &save))
        mon[i] = tok;
    time_t now = time(NULL) + 7 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(date, sizeof date, "%d %s %d", tm.tm_mday, mon[tm.tm_mon] ? mon[tm.tm_mon] : "",
             tm.tm_year + 1900);
    kd_text(c->l, u, y + u / 2, c->w - 2 * u, 2 * u, KD_FONT_BODY, KD_CENTER, C_MUTED, date, -1);
    char count[80];
    kfmt(a, count, sizeof count, K_SIGNED_SO_FAR, (int)a->count);
    kd_text(c->l, u, y + 2 * u + u / 2, c->w - 2 * u, 2 * u, KD_FONT_BODY, KD_CENTER, C_MUTED, count, -1);

    int bw = c->w * 2 / 3, bh = 5 * u;
    if (bw < 16 * u)
        bw = c->w - 2 * u;
    int by = (y + 5 * u + c->h - 5 * u - bh) / 2;
    int pressed = a->down && strcmp(a->pressed, "start") == 0;
    kd_rect(c->l, (c->w - bw) / 2, by, bw, bh, u, pressed ? C_ACCENT_DOWN : C_ACCENT);
    kd_text(c->l, (c->w - bw) / 2, by, bw, bh, KD_FONT_HUGE, KD_CENTER, C_ON_ACCENT,
            T(a, K_TOUCH_TO_START), -1);
    kd_hit_add(c->l, "start", (c->w - bw) / 2, by, bw, bh);

    /* The language switch, bottom centre. */
    int lw = 9 * u, lh = 2 * u + u / 2, ly = c->h - lh - u;
    int lx = c->w / 2 - lw - u / 4;
    button(c, "lang.id", lx, ly, lw, lh, T(a, K_LANG_ID), a->lang == IKR_LANG_ID ? B_PRIMARY : B_SECONDARY);
    button(c, "lang.en", c->w / 2 + u / 4, ly, lw, lh, T(a, K_LANG_EN),
           a->lang == IKR_LANG_EN ? B_PRIMARY : B_SECONDARY);
}

static void draw_decl(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 1);
    title_line(c, 3 * u + u / 2, T(a, K_DECL_TITLE));
    int px = u, py = 7 * u, pw = c->w - 2 * u, ph = footer_y(c) - py - 2 * u;
    kd_rect(c->l, px, py, pw, ph, u / 2, C_PANEL);
    kd_border(c->l, px, py, pw, ph, 1, C_LINE);
    kd_hit_add(c->l, "decl.text", px, py, pw, ph);
    int tx = px + u, tw = pw - 3 * u;
    /* Line breaks depend only on width, unit and text: compute them once. */
    if (a->wrap_width != tw || a->wrap_unit != u) {
        a->nlines = 0;
        wrap(c, KD_FONT_BODY, (const char *)a->s->decl.p, (int)a->s->decl.len, tw, decl_line, a);
        a->wrap_width = tw;
        a->wrap_unit = u;
    }
    int lh = font_h(c, KD_FONT_BODY) * 13 / 10;
    int content = a->nlines * lh + u;
    a->decl_max = content > ph - u ? content - (ph - u) : 0;
    if (a->decl_scroll < 0)
        a->decl_scroll = 0;
    if (a->decl_scroll > a->decl_max)
        a->decl_scroll = a->decl_max;
    if (a->decl_scroll >= a->decl_max - lh / 2)
        a->decl_read = 1;
    kd_clip(c->l, px, py + 2, pw, ph - 4);
    int first = a->decl_scroll / lh;
    for (int i = first; i < a->nlines; i++) {
        int y = py + u / 2 + i * lh - a->decl_scroll;
        if (y > py + ph)
            break;
        kd_text(c->l, tx, y, tw, lh, KD_FONT_BODY, KD_LEFT, C_TEXT,
                (const char *)a->s->decl.p + a->line_off[i], a->line_len[i]);
    }
    kd_clip(c->l, 0, 0, 0, 0);
    /* Where in the text the reader is. */
    if (a->decl_max > 0) {
        int th = ph * (ph - u) / content;
        int ty = py + (ph - th) * a->decl_scroll / a->decl_max;
        kd_rect(c->l, px + pw - u / 2 - 2, ty, u / 3 > 3 ? u / 3 : 3, th, u / 6, C_LINE);
    }
    if (!a->decl_read)
        kd_text(c->l, px, py + ph, pw, 2 * u, KD_FONT_SMALL, KD_CENTER, C_MUTED,
                T(a, K_DECL_SCROLL_HINT), -1);
    footer(c, T(a, K_BACK), "agree", T(a, K_DECL_AGREE), a->decl_read);
}

static void draw_status(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 2);
    title_line(c, 3 * u + u / 2, T(a, K_STATUS_TITLE));
    static const char *const ids[3] = {"status.pns", "status.pppk", "status.nonasn"};
    const int names[3] = {K_STATUS_PNS, K_STATUS_PPPK, K_STATUS_NONASN};
    const int subs[3] = {K_STATUS_PNS_SUB, K_STATUS_PPPK_SUB, K_STATUS_NONASN_SUB};
    int top = 7 * u, bottom = footer_y(c) - u;
    int portrait = c->h > c->w;
    for (int i = 0; i < 3; i++) {
        int x, y, w, h;
        if (portrait) {
            h = (bottom - top - 2 * u) / 3;
            x = u;
            w = c->w - 2 * u;
            y = top + i * (h + u);
        } else {
            w = (c->w - 4 * u) / 3;
            h = bottom - top;
            x = u + i * (w + u);
            y = top;
        }
        int sel = a->status == (i == 0 ? IKR_STATUS_PNS : i == 1 ? IKR_STATUS_PPPK : IKR_STATUS_NON_ASN);
        int pressed = a->down && strcmp(a->pressed, ids[i]) == 0;
        kd_rect(c->l, x, y, w, h, u, pressed ? C_DISABLED : C_PANEL);
        kd_border(c->l, x, y, w, h, sel ? u / 4 + 1 : 2, sel ? C_ACCENT : C_LINE);
        kd_text(c->l, x, y + h / 2 - 3 * u, w, 3 * u, KD_FONT_HUGE, KD_CENTER, C_ACCENT, T(a, names[i]), -1);
        paragraph(c, x + u, y + h / 2 + u / 2, w - 2 * u, KD_FONT_BODY, KD_CENTER, C_MUTED, T(a, subs[i]), 2);
        kd_hit_add(c->l, ids[i], x, y, w, h);
    }
    footer(c, T(a, K_BACK), NULL, NULL, 0);
}

static void keypad(ctx *c, const char *prefix, const char *const keys[12], const char *const labels[12],
                   int x, int y, int w, int h)
{
    int gap = c->u / 3, kw = (w - 2 * gap) / 3, kh = (h - 3 * gap) / 4;
    for (int i = 0; i < 12; i++) {
        if (!keys[i][0])
            continue;
        char id[KD_MAX_ID];
        snprintf(id, sizeof id, "%s.%s", prefix, keys[i]);
        int kx = x + (i % 3) * (kw + gap), ky = y + (i / 3) * (kh + gap);
        int pressed = c->a->down && strcmp(c->a->pressed, id) == 0;
        kd_rect(c->l, kx, ky, kw, kh, c->u / 2, pressed ? C_DISABLED : C_PANEL);
        kd_border(c->l, kx, ky, kw, kh, 2, C_LINE);
        kd_text(c->l, kx, ky, kw, kh, KD_FONT_TITLE, KD_CENTER, C_TEXT, labels[i], -1);
        kd_hit_add(c->l, id, kx, ky, kw, kh);
    }
}

static void draw_nip(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 2);
    title_line(c, 3 * u + u / 2, T(a, K_NIP_TITLE));
    static const char *const keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    static const char *const labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "\xe2\x8c\xab"};
    int top = 7 * u, bottom = footer_y(c) - u / 2;
    int portrait = c->h > c->w;
    int dx = u, dw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    /* The number as typed, grouped as printed. */
    char shown[32];
    nip_grouped(shown, sizeof shown, a->nip, 1);
    kd_rect(c->l, dx, top, dw, 4 * u, u / 2, C_PANEL);
    kd_border(c->l, dx, top, dw, 4 * u, 2, a->msg.code ? C_ERROR : C_ACCENT);
    kd_text(c->l, dx, top, dw, 4 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT, shown, -1);
    int my = top + 4 * u + u / 2;
    if (a->msg.code) {
        message(c, dx, my, dw, &a->msg);
    } else if (a->nip_code == IKR_OK) {
        kd_text(c->l, dx, my, dw, 2 * u, KD_FONT_BODY, KD_LEFT, C_OK, T(a, K_NIP_OK), -1);
    } else {
        char cnt[40];
        kfmt(a, cnt, sizeof cnt, K_NIP_COUNT, (int)strlen(a->nip));
        kd_text(c->l, dx, my, dw, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, cnt, -1);
    }
    if (portrait)
        keypad(c, "key", keys, labels, u * 3, my + 5 * u, c->w - 6 * u, bottom - (my + 5 * u));
    else
        keypad(c, "key", keys, labels, c->w / 2 + u, top, c->w / 2 - 2 * u, bottom - top);
    footer(c, T(a, K_BACK), "next", T(a, K_NEXT), a->nip_code == IKR_OK);
}

static void draw_details(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 3);
    const char *ids[3] = {"field.name", "field.pos", "field.unit"};
    const int labels[3] = {K_FIELD_NAME, K_FIELD_POS, K_FIELD_UNIT};
    int y = 3 * u + u / 2, fh = 2 * u + u / 2, lw = c->w / 3;
    int portrait = c->h > c->w;
    for (int i = 0; i < 3; i++) {
        int lx = u, fx = u + lw, fw = c->w - 2 * u - lw, fy = y;
        if (portrait) {
            kd_text(c->l, u, y, c->w - 2 * u, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, labels[i]), -1);
            fx = u;
            fw = c->w - 2 * u;
            fy = y + 2 * u;
        } else {
            kd_text(c->l, lx, y, lw - u / 2, fh, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, labels[i]), -1);
        }
        int active = a->active_field == i;
        kd_rect(c->l, fx, fy, fw, fh, u / 3, C_PANEL);
        kd_border(c->l, fx, fy, fw, fh, active ? 3 : 1, active ? C_ACCENT : C_LINE);
        char shown[FIELD_MAX + 8];
        const char *v = a->field[i];
        if (!v[0] && !active && i > 0)
            snprintf(shown, sizeof shown, "%s", T(a, K_OPTIONAL));
        else
            snprintf(shown, sizeof shown, "%s%s", v, active ? "|" : "");
        /* Show the end of a long entry, where the typing is. */
        const char *s = shown;
        while (*s && text_w(c, KD_FONT_LARGE, s, -1) > fw - u)
            do
                s++;
            while (((unsigned char)*s & 0xc0) == 0x80);
        kd_text(c->l, fx + u / 2, fy, fw - u, fh, KD_FONT_LARGE, KD_LEFT,
                !v[0] && !active ? C_MUTED : C_TEXT, s, -1);
        kd_hit_add(c->l, ids[i], fx, fy, fw, fh);
        y = fy + fh + u / 3;
    }
    if (a->msg.code) {
        message(c, u, y, c->w - 2 * u, &a->msg);
        y += font_h(c, KD_FONT_BODY) * 6 / 5 + u / 3;
    }
    /* The keyboard: what Indonesian names and titles need. */
    static const char *const rows[4] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL'", "ZXCVBNM,.-"};
    int ky = y + u / 3, kh_total = footer_y(c) - ky, gap = u / 5 > 2 ? u / 5 : 2;
    int kh = (kh_total - 4 * gap) / 5, kw = (c->w - 2 * u - 9 * gap) / 10;
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < 10; i++) {
            char key = rows[r][i], id[8] = "kb.", label[2] = {key, 0};
            id[3] = key;
            id[4] = '\0';
            if (key >= 'A' && key <= 'Z' && !a->shift)
                label[0] = (char)(key - 'A' + 'a');
            int x = u + i * (kw + gap), yy = ky + r * (kh + gap);
            int pressed = a->down && strcmp(a->pressed, id) == 0;
            kd_rect(c->l, x, yy, kw, kh, u / 4, pressed ? C_DISABLED : C_PANEL);
            kd_border(c->l, x, yy, kw, kh, 1, C_LINE);
            kd_text(c->l, x, yy, kw, kh, KD_FONT_LARGE, KD_CENTER, C_TEXT, label, -1);
            kd_hit_add(c->l, id, x, yy, kw, kh);
        }
    int by = ky + 4 * (kh + gap);
    int sw = 3 * kw + 2 * gap;
    button(c, "kb.shift", u, by, sw, kh, T(a, K_KEY_SHIFT), a->shift ? B_PRIMARY : B_SECONDARY);
    button(c, "kb.space", u + sw + gap, by, 4 * kw + 3 * gap, kh, T(a, K_KEY_SPACE), B_SECONDARY);
    button(c, "kb.bs", u + sw + 4 * kw + 4 * gap, by, 3 * kw + 2 * gap, kh, "\xe2\x8c\xab", B_SECONDARY);
    footer(c, T(a, K_BACK), "next", T(a, K_NEXT), a->field[0][0] != '\0');
}

static void draw_sign(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 4);
    title_line(c, 3 * u + u / 2, T(a, K_SIGN_TITLE));
    int x = u, y = 7 * u, w = c->w - 2 * u, h = footer_y(c) - y - 2 * u;
    kd_rect(c->l, x, y, w, h, u / 2, C_PANEL);
    kd_border(c->l, x, y, w, h, 2, C_LINE);
    /* A signature line to sign on. */
    kd_rect(c->l, x + 2 * u, y + h * 3 / 4, w - 4 * u, 2, 0, C_LINE);
    kd_text(c->l, x + u, y + h * 3 / 4 - 2 * u, 2 * u, 2 * u, KD_FONT_LARGE, KD_LEFT, C_MUTED, "\xc3\x97", -1);
    a->canvas_x = x;
    a->canvas_y = y;
    a->canvas_pw = w;
    a->canvas_ph = h;
    if (a->npoints) {
        a->kink = (kd_ink){a->canvas_w, a->canvas_h, a->xyt, a->stroke_end, a->nstrokes};
        kd_ink_cmd(c->l, x, y, w, h, u / 4 > 2 ? u / 4 : 2, C_INK, &a->kink);
    }
    kd_hit_add(c->l, "canvas", x, y, w, h);
    const char *hint = a->ink_overflow ? T(a, K_SIGN_TOO_LONG) : a->ink_short ? T(a, K_SIGN_TOO_SHORT) : T(a, K_SIGN_HINT);
    kd_text(c->l, x, y + h, w, 2 * u, KD_FONT_BODY, KD_CENTER,
            a->ink_overflow || a->ink_short ? C_ERROR : C_MUTED, hint, -1);
    footer(c, T(a, K_BACK), "next", T(a, K_NEXT), a->npoints > 0 && !a->ink_overflow);
    int cw = 8 * u;
    button(c, "clear", (c->w - cw) / 2, footer_y(c) + u / 2, cw, 3 * u, T(a, K_SIGN_CLEAR), B_SECONDARY);
}

static void review_row(ctx *c, int *y, const char *label, const char *value)
{
    int u = c->u, lh = font_h(c, KD_FONT_LARGE) * 13 / 10;
    kd_text(c->l, 2 * u, *y, c->w / 3, lh, KD_FONT_BODY, KD_LEFT, C_MUTED, label, -1);
    kd_text(c->l, 2 * u + c->w / 3, *y, c->w - c->w / 3 - 4 * u, lh, KD_FONT_LARGE, KD_LEFT, C_TEXT,
            value[0] ? value : "-", -1);
    *y += lh;
}

static void draw_review(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 5);
    title_line(c, 3 * u + u / 2, T(a, K_REVIEW_TITLE));
    int y = 7 * u;
    char masked[IKR_NIP_LEN + 1], grouped[32];
    ikr_receipt_mask_nip(masked, a->nip);
    nip_grouped(grouped, sizeof grouped, masked, 0);
    const char *st = a->status == IKR_STATUS_PNS ? T(a, K_STATUS_PNS)
                     : a->status == IKR_STATUS_PPPK ? T(a, K_STATUS_PPPK)
                                                    : T(a, K_STATUS_NONASN);
    review_row(c, &y, T(a, K_FIELD_NAME), a->field[0]);
    review_row(c, &y, T(a, K_REVIEW_STATUS), st);
    review_row(c, &y, "NIP", a->nip[0] ? grouped : T(a, K_NO_NIP));
    review_row(c, &y, T(a, K_FIELD_POS), a->field[1]);
    review_row(c, &y, T(a, K_FIELD_UNIT), a->field[2]);
    y += u / 2;
    int sh = footer_y(c) - y - u - (a->msg.code ? 3 * u : 0), sw = sh * 2;
    if (sw > c->w - 4 * u)
        sw = c->w - 4 * u;
    if (sh > u * 2) {
        kd_text(c->l, 2 * u, y, c->w / 3, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, K_REVIEW_SIGNATURE), -1);
        int sx = 2 * u + c->w / 3;
        if (sx + sw > c->w - 2 * u)
            sw = c->w - 2 * u - sx;
        kd_rect(c->l, sx, y, sw, sh, u / 2, C_PANEL);
        kd_border(c->l, sx, y, sw, sh, 1, C_LINE);
        a->kink = (kd_ink){a->canvas_w, a->canvas_h, a->xyt, a->stroke_end, a->nstrokes};
        /* Keep the signature's proportions inside the preview. */
        int iw = sw, ih = (int)((int64_t)sw * a->canvas_h / (a->canvas_w ? a->canvas_w : 1));
        if (ih > sh) {
            ih = sh;
            iw = (int)((int64_t)sh * a->canvas_w / (a->canvas_h ? a->canvas_h : 1));
        }
        kd_ink_cmd(c->l, sx + (sw - iw) / 2, y + (sh - ih) / 2, iw, ih, u / 6 > 2 ? u / 6 : 2, C_INK, &a->kink);
        y += sh + u / 2;
    }
    message(c, 2 * u, footer_y(c) - 3 * u, c->w - 4 * u, &a->msg);
    footer(c, NULL, "confirm", T(a, K_REVIEW_CONFIRM), 1);
    button(c, "change", u, footer_y(c) + u / 2, 8 * u, 3 * u, T(a, K_REVIEW_CHANGE), B_SECONDARY);
}

static void draw_done(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    int portrait = c->h > c->w;
    int qs = portrait ? c->w - 6 * u : c->h - 9 * u;
    if (!portrait && qs > c->w / 2 - 2 * u)
        qs = c->w / 2 - 2 * u;
    int tx = portrait ? u : 2 * u + qs + u, tw = portrait ? c->w - 2 * u : c->w - tx - u;
    int ty = portrait ? 3 * u + u / 2 : 5 * u;
    kd_text(c->l, tx, ty, tw, 4 * u, KD_FONT_HUGE, portrait ? KD_CENTER : KD_LEFT, C_OK, T(a, K_DONE_TITLE), -1);
    char num[120];
    kfmt(a, num, sizeof num, K_DONE_NUMBER, (int)a->seq);
    int y = ty + 4 * u + u / 2;
    y += paragraph(c, tx, y, tw, KD_FONT_LARGE, portrait ? KD_CENTER : KD_LEFT, C_TEXT, num, 3);
    y += u / 2;
    y += paragraph(c, tx, y, tw, KD_FONT_BODY, portrait ? KD_CENTER : KD_LEFT, C_MUTED, T(a, K_DONE_PHOTO), 3);
    y += u / 2;
    paragraph(c, tx, y, tw, KD_FONT_SMALL, portrait ? KD_CENTER : KD_LEFT, C_MUTED, T(a, K_DONE_PRINT_LATER), 3);
    if (a->has_qr) {
        int qx = portrait ? (c->w - qs) / 2 : 2 * u, qy = portrait ? c->h - 5 * u - qs : 4 * u;
        kd_rect(c->l, qx, qy, qs, qs, u / 2, C_PANEL);
        kd_qr(c->l, qx, qy, qs, qs, &a->qr);
    }
    footer(c, NULL, "finish", T(a, K_DONE_FINISH), 1);
}

static void draw_error(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    title_line(c, 4 * u, T(a, K_ERROR_TITLE));
    char buf[400];
    ikr_err_format(&a->fail, a->lang, buf, sizeof buf);
    int y = 8 * u;
    y += paragraph(c, u, y, c->w - 2 * u, KD_FONT_LARGE, KD_LEFT, C_ERROR, buf, 5) + u;
    paragraph(c, u, y, c->w - 2 * u, KD_FONT_BODY, KD_LEFT, C_TEXT, T(a, K_ERROR_NOTHING_LOST), 3);
    footer(c, NULL, "retry", T(a, K_RETRY), 1);
    button(c, "cancel", u, footer_y(c) + u / 2, 8 * u, 3 * u, T(a, K_CANCEL), B_SECONDARY);
}

static void draw_admin_pin(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    title_line(c, 3 * u + u / 2, T(a, K_ADMIN_PIN_TITLE));
    static const char *const keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"};
    static const char *const labels[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "\xe2\x8c\xab", "0", "OK"};
    int portrait = c->h > c->w, top = 7 * u, bottom = footer_y(c) - u / 2;
    int dw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    char dots[3 * IKR_MAX_PIN + 1] = "";
    for (int i = 0; i < a->pin_len && i < 16; i++)
        strcat(dots, "\xe2\x97\x8f");
    kd_rect(c->l, u, top, dw, 4 * u, u / 2, C_PANEL);
    kd_border(c->l, u, top, dw, 4 * u, 2, C_ACCENT);
    kd_text(c->l, u, top, dw, 4 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT, dots, -1);
    char msg[120] = "";
    if (a->now < a->pin_locked_until)
        kfmt(a, msg, sizeof msg, K_ADMIN_LOCKED, (int)((a->pin_locked_until - a->now + 999) / 1000));
    else if (a->pin_wrong)
        kfmt(a, msg, sizeof msg, K_ADMIN_PIN_WRONG, PIN_TRIES - a->pin_fails);
    if (msg[0])
        paragraph(c, u, top + 4 * u + u / 2, dw, KD_FONT_BODY, KD_LEFT, C_ERROR, msg, 3);
    if (portrait)
        keypad(c, "pin", keys, labels, 3 * u, top + 9 * u, c->w - 6 * u, bottom - top - 9 * u);
    else
        keypad(c, "pin", keys, labels, c->w / 2 + u, top, c->w / 2 - 2 * u, bottom - top);
    footer(c, T(a, K_CANCEL), NULL, NULL, 0);
}

static void draw_admin(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    title_line(c, 3 * u + u / 2, T(a, K_ADMIN_TITLE));
    int portrait = c->h > c->w;
    int colw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    char buf[120];
    kfmt(a, buf, sizeof buf, K_ADMIN_COUNT, (int)a->count);
    int y = 7 * u;
    kd_text(c->l, u, y, colw, 2 * u, KD_FONT_LARGE, KD_LEFT, C_TEXT, buf, -1);
    y += 2 * u + u / 2;
    kd_text(c->l, u, y, colw, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, K_ADMIN_LAST), -1);
    y += 2 * u;
    if (a->nlast == 0)
        kd_text(c->l, u, y, colw, 2 * u, KD_FONT_BODY, KD_LEFT, C_TEXT, T(a, K_ADMIN_NONE_YET), -1);
    for (int i = 0; i < a->nlast; i++, y += font_h(c, KD_FONT_BODY) * 13 / 10)
        kd_text(c->l, u, y, colw, font_h(c, KD_FONT_BODY) * 13 / 10, KD_FONT_BODY, KD_LEFT, C_TEXT,
                a->last_names[i], -1);
    y += u;
    if (a->admin_note[0])
        y += paragraph(c, u, y, colw, KD_FONT_SMALL, KD_LEFT, C_TEXT, a->admin_note, 4) + u / 2;
    if (a->has_admin_qr) {
        int qs = portrait ? c->w / 2 : footer_y(c) - y - u;
        if (qs > colw)
            qs = colw;
        if (qs > 4 * u) {
            kd_rect(c->l, u, y, qs, qs, u / 2, C_PANEL);
            kd_qr(c->l, u, y, qs, qs, &a->admin_qr);
        }
    }
    /* The actions, in a column on the right (below, in portrait). */
    int bx = portrait ? u : c->w / 2 + u, bw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    int by = portrait ? c->h / 2 + 2 * u : 7 * u, bh = 3 * u, gap = u / 2;
    char later[200];
    button(c, "admin.reprint", bx, by, bw, bh, T(a, K_ADMIN_REPRINT), B_PRIMARY);
    by += bh + gap;
    snprintf(later, sizeof later, "%s %s", T(a, K_ADMIN_EXPORT), T(a, K_ADMIN_LATER));
    button(c, "admin.export", bx, by, bw, bh, later, B_DISABLED);
    by += bh + gap;
    snprintf(later, sizeof later, "%s %s", T(a, K_ADMIN_PRINTER_TEST), T(a, K_ADMIN_LATER));
    button(c, "admin.printer", bx, by, bw, bh, later, B_DISABLED);
    by += bh + gap;
    button(c, "admin.close", bx, by, bw, bh, T(a, K_ADMIN_CLOSE_EVENT), B_SECONDARY);
    by += bh + gap;
    button(c, "admin.quit", bx, by, bw, bh, T(a, K_ADMIN_QUIT), B_SECONDARY);
    footer(c, T(a, K_BACK), NULL, NULL, 0);
}

static void draw_idle(ctx *c, int64_t left)
{
    app *a = c->a;
    int u = c->u;
    kd_rect(c->l, 0, 0, c->w, c->h, 0, C_SHADE);
    int w = c->w * 3 / 4, h = 14 * u;
    if (w < 20 * u)
        w = c->w - 2 * u;
    int x = (c->w - w) / 2, y = (c->h - h) / 2;
    kd_rect(c->l, x, y, w, h, u, C_PANEL);
    kd_text(c->l, x + u, y + u, w - 2 * u, 3 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT, T(a, K_IDLE_TITLE), -1);
    char body[160];
    kfmt(a, body, sizeof body, K_IDLE_BODY, (int)((left + 999) / 1000));
    paragraph(c, x + u, y + 4 * u + u / 2, w - 2 * u, KD_FONT_BODY, KD_CENTER, C_TEXT, body, 3);
    int bw = 10 * u;
    kd_rect(c->l, x + (w - bw) / 2, y + h - 4 * u, bw, 3 * u, u / 2, C_ACCENT);
    kd_text(c->l, x + (w - bw) / 2, y + h - 4 * u, bw, 3 * u, KD_FONT_LARGE, KD_CENTER, C_ON_ACCENT,
            T(a, K_IDLE_CONTINUE), -1);
    /* The whole screen dismisses the countdown: nothing under it may be tapped. */
    kd_hit_add(c->l, "idle.continue", 0, 0, c->w, c->h);
}

void app_frame(app *a, kd_list *l, int width, int height, const kd_measure *m, uint64_t now_ms)
{
    if (now_ms > a->now)
        a->now = now_ms;
    int u = (width < height ? width : height) / 28;
    if (u < 10)
        u = 10;
    kd_begin(l, width, height, u, C_BG);
    ctx c = {a, l, m, u, width, height};
    switch (a->screen) {
    case S_WELCOME: draw_welcome(&c); break;
    case S_DECL: draw_decl(&c); break;
    case S_STATUS: draw_status(&c); break;
    case S_NIP: draw_nip(&c); break;
    case S_DETAILS: draw_details(&c); break;
    case S_SIGN: draw_sign(&c); break;
    case S_REVIEW: draw_review(&c); break;
    case S_DONE: draw_done(&c); break;
    case S_ERROR: draw_error(&c); break;
    case S_ADMIN_PIN: draw_admin_pin(&c); break;
    case S_ADMIN: draw_admin(&c); break;
    default: break;
    }
    int64_t left = idle_left(a);
    if (left > 0)
        draw_idle(&c, left);
    memcpy(a->hits, l->hit, sizeof(kd_hit) * (size_t)l->nhit);
    a->nhits = l->nhit;
}
