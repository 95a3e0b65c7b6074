/*
 * app.c: the signer's way through the kiosk and the organiser's way in:
 * state, input and timers.  What each screen looks like is in screens.c.
 *
 * State lives in one struct app (app_state.h); a frame is a function of
 * that state and the window size (app_frame), and input (app_event_feed)
 * acts on the hit regions of the last frame.  The invariants:
 *  - what one signer typed or drew lives only in the form fields and the
 *    ink arrays, and reset_form wipes all of it; every way back to Welcome
 *    (done, cancel, idle, admin) goes through reset_form;
 *  - the Done screen shows a receipt only after ikr_station_sign returned
 *    with the record committed;
 *  - building a frame allocates nothing: text goes into the draw list's
 *    arena, the declaration's line breaks are cached per width and unit.
 */
#define _GNU_SOURCE /* syncfs: the stick as a whole is flushed before it may be pulled */
#include "app.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_state.h"
#include "ikrar/backup.h"
#include "ikrar/bundle.h"
#include "ikrar/clock.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/hash.h"
#include "ikrar/nip.h"
#include "ikrar/oplog.h"
#include "ikrar/printer.h"
#include "ikrar/qr.h"
#include "ikrar/receipt.h"
#include "ikrar/roster.h"
#include "ikrar/station.h"
#include "ikrar/text.h"
#include "ikrar/trust.h"
#include "ikrar/zone.h"
#include "palette.h"

static const char *const screen_names[S_COUNT_] = {
    "welcome", "declaration", "status", "nip",    "details",  "signature", "review", "done",
    "error",   "admin-pin",   "admin",  "verify", "progress", "usb",       "clock"};

/*
 * Formats the text of key k with its arguments.  The table's texts are
 * formats (the kiosk's string test checks that both languages of a key take
 * the same conversions, in the same order), so the format is not a literal
 * and the compiler is told so here, once.
 */
void kfmt(const app *a, char *buf, size_t n, int k, ...)
{
    va_list ap;
    va_start(ap, k);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(buf, n, T(a, k), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}

/*
 * The clock check runs as a signer types: one operational-log line per signer
 * and refusal, not one per key.
 */
static int clock_refusal(app *a, int rc, const ikr_err *e)
{
    if (rc && rc != a->clock_refused)
        ikr_clock_log_refusal(e, "kiosk");
    a->clock_refused = rc;
    return rc;
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
    a->clock_refused = 0; /* the next signer's refusal is logged again */
    a->dup_seq = a->dup_t = 0;
    OPENSSL_cleanse(a->roster_nip, sizeof a->roster_nip);
    OPENSSL_cleanse(a->roster_declined, sizeof a->roster_declined);
    a->roster_filled = a->notme_note = a->roster_fresh = a->text_note = 0;
    a->roster_status = -1;
    ikr_err_clear(&a->msg);
    ikr_err_clear(&a->fail);
    a->decl_scroll = 0;
    a->decl_read = 0;
    OPENSSL_cleanse(a->xyt, sizeof(uint32_t) * 3 * a->npoints);
    a->npoints = a->nstrokes = 0;
    a->canvas_w = a->canvas_h = 0;
    a->drawing = a->ink_overflow = a->ink_short = a->ink_resized = 0;
    a->seq = 0;
    ikr_buf_free(&a->receipt);
    clear_qr(&a->qr, &a->has_qr);
}

/*
 * Prints record seq on the kiosk's printer, then marks it printed, or
 * waiting for a reprint when the print failed.  Printing never writes the
 * log itself; "none" and a URI that is not one print nothing and mark
 * nothing.  Failing to set the mark only shows when the print succeeded.
 */
static int print_and_mark(app *a, uint64_t seq, ikr_err *e)
{
    ikr_print_opts po = {a->paper, 0};
    int rc = ikr_printer_check_uri(a->printer, e);
    if (rc != IKR_OK || strcmp(a->printer, "none") == 0)
        return rc;
    rc = ikr_printer_print_record(a->s, seq, a->printer, &po, e);
    ikr_err fe;
    ikr_err_clear(&fe);
    if (ikr_station_mark_printed(a->s, seq, rc == IKR_OK, &fe) && rc == IKR_OK)
        rc = ikr_err_set(e, fe.code, "%s", fe.detail);
    return rc;
}

/*
 * The operational log of a print: every failure, and the first success
 * after one (the printer is back).  print_failing is the kiosk's memory of
 * the last result, in the app state like the rest.
 */
static void log_print(app *a, uint64_t seq, int ok, const ikr_err *e)
{
    char uri[128];
    ikr_oplog_word(a->printer, uri, sizeof uri);
    if (!ok) {
        char why[160], word[160];
        ikr_err_format(e, IKR_LANG_EN, why, sizeof why);
        ikr_oplog("printer-fail", "by=kiosk printer=%s seq=%llu error=%s", uri,
                  (unsigned long long)seq, ikr_oplog_word(why, word, sizeof word));
        a->print_failing = 1;
    } else if (a->print_failing) {
        ikr_oplog("printer-ok", "by=kiosk printer=%s seq=%llu", uri, (unsigned long long)seq);
        a->print_failing = 0;
    }
}

static void refresh_count(app *a)
{
    uint64_t n = 0;
    if (ikr_station_size(a->s, &n, NULL) == IKR_OK)
        a->count = n;
}

static void verify_enter(app *a);
static void verify_leave(app *a);
static void admin_enter(app *a);

static void go(app *a, int screen)
{
    if (a->screen == S_VERIFY && screen != S_VERIFY)
        verify_leave(a);
    a->view++; /* the last frame's buttons are no longer on show */
    a->screen = screen;
    a->screen_since = a->now;
    ikr_err_clear(&a->msg);
    a->notme_note = 0;
    if (screen == S_WELCOME) {
        reset_form(a);
        refresh_count(a);
    }
    if (screen == S_VERIFY) {
        reset_form(a);
        verify_enter(a);
    }
}

/* Where the kiosk rests: Welcome, or Verify on a verify station. */
static int home(const app *a)
{
    return a->verify_home ? S_VERIFY : S_WELCOME;
}

/*
 * A signer is done (finished, walked away, cancelled): back to Welcome, in
 * the kiosk's own language, whatever the last signer chose.
 */
static void end_session(app *a)
{
    a->lang = a->start_lang;
    access_reset(a);
    go(a, home(a));
}

int app_new(app **out, ikr_station *s, const app_opts *o, uint64_t now_ms, ikr_err *e)
{
    app *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    a->s = s;
    a->lang = o->lang == IKR_LANG_EN ? IKR_LANG_EN : IKR_LANG_ID;
    a->start_lang = a->lang;
    snprintf(a->printer, sizeof a->printer, "%s",
             o->printer && o->printer[0] ? o->printer : "none");
    a->paper = o->paper;
    a->fullscreen = o->fullscreen;
    a->now = a->last_input = now_ms;
    a->verify_home = o->verify_station != 0;
    snprintf(a->camera, sizeof a->camera, "%s",
             o->camera && o->camera[0] ? o->camera : "/dev/video0");
    a->frames = o->frames;
    a->nframes = o->frames ? o->nframes : 0;
    a->screen = S_WELCOME;
    a->set_clock = o->set_clock ? o->set_clock : app_set_clock_timedatectl;
    a->set_clock_ctx = o->set_clock_ctx;
    a->speak = o->speak;
    a->speak_ctx = o->speak_ctx;
    a->sound = o->sound;
    a->sound_ctx = o->sound_ctx;
    ikr_buf_init(&a->receipt);
    a->wrap_width = -1;
    a->title_w = -1;
    /* A PIN pad locked before a restart stays locked for the rest of its minute. */
    {
        long long until = (long long)ikr_station_pin_locked_until(s),
                  wall = (long long)ikr_clock_now();
        if (until > wall && until - wall <= PIN_LOCK_MS / 1000)
            a->pin_locked_until = now_ms + (uint64_t)(until - wall) * 1000;
        /* And the wrong PINs already tried: a restart gives no fresh tries. */
        a->pin_fails = ikr_station_pin_fails(s);
    }
    /* The organiser may put the event's logo in the data folder. */
    snprintf(a->logo, sizeof a->logo, "%s/logo.png", ikr_station_dir(s));
    if (access(a->logo, R_OK) != 0)
        a->logo[0] = '\0';
    go(a, home(a));
    *out = a;
    return IKR_OK;
}

void app_free(app *a)
{
    if (!a)
        return;
    if (a->usb_running) /* the worker uses the station: it finishes before anything goes */
        pthread_join(a->usb_thread, NULL);
    reset_form(a);
    verify_leave(a);
    ikr_scanner_free(a->scanner);
    free(a->scan);
    free(a->trust);
    free(a->vkeys);
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

/*
 * Takes back details the roster filled in: they are the NIP owner's, and
 * the NIP or the status they went with has changed (or the signer said
 * they are not that person).  What the signer typed over them goes too,
 * as it was typed over someone else's details.
 */
static void roster_unfill(app *a)
{
    if (a->roster_filled) {
        OPENSSL_cleanse(a->field, sizeof a->field);
        a->active_field = 0;
        a->shift = 1;
    }
    a->roster_filled = a->roster_fresh = 0;
    a->roster_status = -1;
    OPENSSL_cleanse(a->roster_nip, sizeof a->roster_nip);
}

/*
 * A NIP just became valid: the roster, once, fills in who it belongs to.
 * A NIP checked again (Next, or back from the details) is not looked up
 * again, so corrections made on the details screen stay.  A NIP not on the
 * roster, no roster, or a roster that cannot be read changes nothing: the
 * roster helps, it never decides who may sign.
 */
static void roster_fill(app *a)
{
    if (strcmp(a->roster_nip, a->nip) == 0)
        return;
    roster_unfill(a);
    snprintf(a->roster_nip, sizeof a->roster_nip, "%s", a->nip);
    if (strcmp(a->roster_declined, a->nip) == 0)
        return;
    ikr_roster_entry r;
    if (ikr_station_roster_find(a->s, a->nip, &r, NULL) != 0) {
        OPENSSL_cleanse(&r, sizeof r);
        return;
    }
    snprintf(a->field[0], sizeof a->field[0], "%s", r.who.name);
    snprintf(a->field[1], sizeof a->field[1], "%s", r.who.pos);
    snprintf(a->field[2], sizeof a->field[2], "%s", r.who.unit);
    a->roster_status = r.who.status;
    a->roster_filled = 1;
    /*
     * The signer is asked to check what was filled in, so every field shows
     * its start, as a name is read: with the typing position in view, a long
     * name would show only its last words ("...Øyvind Åsa").  The first key
     * or tap on a field brings the typing position back.
     */
    a->roster_fresh = 1;
    a->active_field = 0;
    a->shift = 0;
    OPENSSL_cleanse(&r, sizeof r);
}

/*
 * "Bukan saya?": the details on show belong to whoever owns the NIP typed,
 * so the NIP was most likely mistyped.  The details and the NIP both go,
 * and the signer types the NIP again; the same NIP typed again is taken as
 * right and is not filled in again, so the signer fills in their own.
 */
static void roster_not_me(app *a)
{
    if (!a->roster_filled)
        return;
    snprintf(a->roster_declined, sizeof a->roster_declined, "%s", a->nip);
    roster_unfill(a);
    OPENSSL_cleanse(a->nip, sizeof a->nip);
    a->nip_code = -1;
    go(a, S_NIP);
    a->notme_note = 1;
}

/*
 * The live verdict on a NIP being typed: what is already wrong in the part
 * typed so far (the birth date after 8 digits, the appointment after 14, the
 * gender digit after 15), the full check at 18, then whether it signed.
 */
static void check_nip_live(app *a)
{
    size_t n = strlen(a->nip);
    int64_t now = (int64_t)ikr_clock_now();
    ikr_err_clear(&a->msg);
    a->nip_code = -1;
    char probe[IKR_NIP_LEN + 1];
    if (n >= 8 && n < IKR_NIP_LEN) {
        /* Fill the rest with digits that pass, so only the typed part can fail. */
        snprintf(probe, sizeof probe, "%s", a->nip);
        const char *fill = a->status == IKR_STATUS_PNS ? "00000000"
                                                         "209912"
                                                         "1"
                                                         "001"
                                                       : "00000000"
                                                         "2099"
                                                         "01"
                                                         "1"
                                                         "001";
        memcpy(probe + n, fill + n, IKR_NIP_LEN - n);
        probe[IKR_NIP_LEN] = '\0';
        int rc = ikr_nip_check(probe, a->status, INT64_C(4102444800)); /* judged as of 2100 */
        if (rc == IKR_E_NIP_BIRTH ||
            (n >= 14 &&
             (rc == IKR_E_NIP_TMT || rc == IKR_E_NIP_TMT_AGE || rc == IKR_E_NIP_PPPK_YEAR)) ||
            (n >= 15 && rc == IKR_E_NIP_GENDER))
            ikr_err_set(&a->msg, rc, NULL);
        /* A birth date in the future is only known against today. */
        if (rc == IKR_OK && ikr_nip_check(probe, a->status, now) == IKR_E_NIP_BIRTH)
            ikr_err_set(&a->msg, IKR_E_NIP_BIRTH, NULL);
        return;
    }
    if (n < IKR_NIP_LEN)
        return;
    /* A wrong clock first: at 2001 a good NIP would read as appointed in the future. */
    int rc = clock_refusal(a, ikr_station_clock_check(a->s, (uint64_t)now, &a->msg), &a->msg);
    if (rc) {
        a->nip_code = rc;
        return;
    }
    rc = ikr_nip_check(a->nip, a->status, now);
    if (rc) {
        ikr_err_set(&a->msg, rc, NULL);
        a->nip_code = rc;
        return;
    }
    if (ikr_station_find_nip(a->s, a->nip, &a->dup_seq, &a->dup_t, NULL) == 0) {
        ikr_err_at(&a->msg, IKR_E_NIP_DUPLICATE, (int64_t)a->dup_seq, (int64_t)a->dup_t);
        a->msg.zone_min = ikr_station_event(a->s)->zone_min;
        a->nip_code = IKR_E_NIP_DUPLICATE;
        return;
    }
    a->nip_code = IKR_OK;
    roster_fill(a);
}

static void nip_type(app *a, char c)
{
    size_t n = strlen(a->nip);
    a->notme_note = 0;
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
    a->roster_fresh = 0;
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
    a->roster_fresh = 0;
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
    uint64_t now = ikr_clock_now();
    ikr_err_clear(&a->msg);
    /* The clock before the details: its refusal is the one staff can act on. */
    int rc = clock_refusal(a, ikr_station_clock_check(a->s, now, &a->msg), &a->msg);
    if (rc)
        return rc;
    if ((rc = ikr_form_check(&f, now, &who, &a->msg)))
        return rc;
    /*
     * A field that lost invisible or direction characters to the text rule is
     * shown as it will be signed, and Review says why it changed: nobody signs
     * a name that reads differently from what is on the screen.
     */
    unsigned ch[IKR_FORM_TEXT_FIELDS];
    const char *clean[IKR_FORM_TEXT_FIELDS] = {who.name, who.pos, who.unit};
    a->text_note = (ikr_form_changes(&f, ch) & IKR_TEXT_REMOVED) != 0;
    for (int i = 0; i < IKR_FORM_TEXT_FIELDS; i++)
        if (ch[i] & IKR_TEXT_REMOVED)
            snprintf(a->field[i], sizeof a->field[i], "%s", clean[i]);
    return IKR_OK;
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
    a->ink_resized = 0;
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
    int rc = ikr_station_sign(a->s, &f, &ink, ikr_clock_now(), &out, &e);
    if (rc == IKR_OK || out.seq) {
        /* Committed. The receipt exists only now. */
        a->seq = out.seq;
        ikr_buf_free(&a->receipt);
        a->receipt = out.receipt;
        clear_qr(&a->qr, &a->has_qr);
        if (a->receipt.len && ikr_qr_encode(&a->qr, (const char *)a->receipt.p, NULL) == IKR_OK)
            a->has_qr = 1;
        refresh_count(a);
        /*
         * The paper receipt, after the record is durable: a printer that is
         * missing or fails costs the signer at most the job's timeout, and
         * the record stays marked for a reprint.
         */
        a->print_state = PRINT_NONE;
        ikr_err_clear(&a->print_err);
        if (strcmp(a->printer, "none") != 0) {
            a->print_state =
                print_and_mark(a, a->seq, &a->print_err) == IKR_OK ? PRINT_OK : PRINT_FAILED;
            log_print(a, a->seq, a->print_state == PRINT_OK, &a->print_err);
        }
        go(a, S_DONE);
        return;
    }
    ikr_buf_free(&out.receipt);
    if (rc == IKR_E_CLOCK_BEFORE_INIT || rc == IKR_E_CLOCK_BEFORE_LAST || rc == IKR_E_CLOCK_GAP)
        clock_refusal(a, rc, &e);
    if (ikr_code_is_refusal(rc)) {
        /* Refused now (another kiosk took the NIP meanwhile, say): say so on Review. */
        if (a->screen != S_REVIEW)
            go(a, S_REVIEW);
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
    a->admin_qr_full = 0;
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    if (ikr_station_size(a->s, &size, NULL) == IKR_OK && size > 0) {
        for (int i = 0; i < LAST_SIGNERS; i++)
            ikr_log_row_init(&rows[i]);
        uint64_t after = size > LAST_SIGNERS ? size - LAST_SIGNERS : 0;
        if (ikr_station_scan(a->s, after, rows, LAST_SIGNERS, (size_t)1 << 24, &got, NULL) ==
            IKR_OK)
            for (size_t i = got; i-- > 0;) {
                char when[32];
                time_t w = (time_t)rows[i].t + (time_t)ikr_station_event(a->s)->zone_min * 60;
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

/*
 * Lowest share signed first: during the event the chart is for finding the
 * units to chase, and those are the ones at the top without scrolling.
 * Equal shares keep the core's order, by unit name (qsort is not stable, so
 * the name decides ties here).  Cross-multiplied: no rounding, and a count
 * is at most a million, so the products fit.
 */
static int by_share(const void *x, const void *y)
{
    const ikr_roster_unit *p = x, *q = y;
    uint64_t l = p->signed_n * q->expected, r = q->signed_n * p->expected;
    if (l != r)
        return l < r ? -1 : 1;
    return strcmp(p->unit, q->unit);
}

/*
 * The progress chart's numbers: one snapshot, read once as the screen
 * opens (ikr_roster_stats), not every frame.  Without a roster there is no
 * share to sort by, so the units stay in name order, where staff find theirs.
 */
static void progress_enter(app *a)
{
    memset(&a->totals, 0, sizeof a->totals);
    ikr_err_clear(&a->progress_err);
    if (ikr_station_roster_stats(a->s, a->units, PROGRESS_UNITS, &a->totals, &a->progress_err) !=
        IKR_OK)
        memset(&a->totals, 0, sizeof a->totals);
    else if (a->totals.has_roster && a->totals.nunits > 1)
        qsort(a->units, a->totals.nunits, sizeof a->units[0], by_share);
    a->progress_scroll = a->progress_max = 0;
    go(a, S_PROGRESS);
}

static void admin_pin_try(app *a)
{
    /* The count of wrong PINs and the lock are the station's, kept in the log across restarts. */
    int fails = 0;
    int64_t until = 0, wall = (int64_t)ikr_clock_now();
    int rc = ikr_station_pin_try(a->s, a->pin, wall, &fails, &until, NULL);
    OPENSSL_cleanse(a->pin, sizeof a->pin);
    a->pin_len = 0;
    if (rc == IKR_OK) {
        a->pin_fails = 0;
        a->pin_wrong = 0;
        ikr_oplog("admin", "action=open-menu by=kiosk");
        admin_enter(a);
        return;
    }
    a->pin_wrong = 1;
    ikr_oplog("pin-fail", "by=kiosk attempt=%d of=%d", until ? PIN_TRIES : fails, PIN_TRIES);
    a->pin_fails = fails;
    if (until) {
        /* The lock runs on the app's clock; the station keeps it for a restart. */
        a->pin_locked_until = a->now + PIN_LOCK_MS;
        char iso[32];
        ikr_clock_iso(iso, sizeof iso, until);
        ikr_oplog("pin-lock", "by=kiosk until=%s seconds=%d", iso, PIN_LOCK_MS / 1000);
    }
}

static void admin_reprint(app *a)
{
    uint64_t size = 0;
    ikr_buf text;
    ikr_buf_init(&text);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    if (ikr_station_size(a->s, &size, NULL) != IKR_OK || size == 0) {
        snprintf(a->admin_note, sizeof a->admin_note, "%s", T(a, K_ADMIN_NONE_YET));
        return;
    }
    if (ikr_station_receipt(a->s, size, &text, NULL) == IKR_OK &&
        ikr_qr_encode(&a->admin_qr, (const char *)text.p, NULL) == IKR_OK) {
        a->has_admin_qr = 1;
        a->admin_qr_full = 1;
        a->view++;
        ikr_oplog("admin", "action=reprint-qr by=kiosk seq=%llu", (unsigned long long)size);
        kfmt(a, a->admin_note, sizeof a->admin_note, K_DONE_NUMBER, (int)size);
    }
    ikr_buf_free(&text);
}

/* Prints the last receipt again on paper: the staff's reprint and printer test. */
static void admin_print_last(app *a)
{
    uint64_t size = 0;
    ikr_err e;
    ikr_err_clear(&e);
    if (ikr_station_size(a->s, &size, NULL) != IKR_OK || size == 0) {
        snprintf(a->admin_note, sizeof a->admin_note, "%s", T(a, K_ADMIN_NONE_YET));
        return;
    }
    ikr_oplog("admin", "action=reprint-paper by=kiosk seq=%llu", (unsigned long long)size);
    int ok = print_and_mark(a, size, &e) == IKR_OK;
    log_print(a, size, ok, &e);
    if (ok)
        kfmt(a, a->admin_note, sizeof a->admin_note, K_ADMIN_PRINTED, (int)size);
    else
        ikr_err_format(&e, a->lang, a->admin_note, sizeof a->admin_note);
}

/*
 * Writes the roster bundle (bundle.h) into the data folder's exports/, in a
 * folder named for the moment, for the organiser to copy off the kiosk.
 * The screen waits for it: a kiosk's day of signers takes a second or two.
 */
static void admin_export(app *a)
{
    char dir[1100], out[1200], stamp[32];
    time_t now = (time_t)ikr_clock_now();
    struct tm tm;
    ikr_bundle_stats st;
    ikr_err e;
    ikr_err_clear(&e);
    /* The name in the kiosk's own zone, as the people copying it read the time. */
    time_t local = now + (time_t)ikr_station_event(a->s)->zone_min * 60;
    gmtime_r(&local, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(dir, sizeof dir, "%s/exports", ikr_station_dir(a->s));
    snprintf(out, sizeof out, "%s/roster-%s", dir, stamp);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        ikr_err_set(&e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", dir,
                    strerror(errno));
    } else if (ikr_bundle_export(a->s, out, NULL, (uint64_t)now, &st, &e) == IKR_OK) {
        char w[256];
        ikr_oplog("export", "by=kiosk path=%s records=%llu", ikr_oplog_word(out, w, sizeof w),
                  (unsigned long long)st.records);
        kfmt(a, a->admin_note, sizeof a->admin_note, K_ADMIN_EXPORTED, (int)st.records, out);
        return;
    }
    ikr_oplog("export", "by=kiosk failed=%d", e.code);
    ikr_err_format(&e, a->lang, a->admin_note, sizeof a->admin_note);
}

static void admin_close_event(app *a)
{
    ikr_buf note;
    ikr_err e;
    char path[1200];
    uint64_t size;
    ikr_buf_init(&note);
    ikr_err_clear(&e);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    /* A final checkpoint that could not be saved as a file is still shown as a QR code. */
    int rc =
        ikr_station_close_event_save(a->s, ikr_clock_now(), &note, path, sizeof path, &size, &e);
    ikr_oplog("admin", "action=close-event by=kiosk records=%llu ok=%d", (unsigned long long)size,
              rc == IKR_OK);
    if (rc != IKR_OK)
        ikr_err_format(&e, a->lang, a->admin_note, sizeof a->admin_note);
    else
        kfmt(a, a->admin_note, sizeof a->admin_note, K_ADMIN_CLOSED, (int)size, path);
    if (note.len > 0 && ikr_buf_addc(&note, 0) == IKR_OK &&
        ikr_qr_encode(&a->admin_qr, (const char *)note.p, NULL) == IKR_OK) {
        a->has_admin_qr = 1;
        a->admin_qr_full = 1;
        a->view++;
    }
    ikr_buf_free(&note);
}

/* ------------------------------------------------------------ copy to USB */

/* The backup's share of the bar after the roster bundle's 30 %. */
static void usb_backup_progress(void *ctx, double frac)
{
    app *a = ctx;
    atomic_store(&a->usb_permille, 300 + (int)(frac * 650.0));
}

/* An errno from the stick as an ikrar code. */
static int usb_code(int err)
{
    return err == ENOSPC || err == EDQUOT ? IKR_E_DISK_FULL
           : err == EROFS                 ? IKR_E_READONLY
           : err == EEXIST                ? IKR_E_BACKUP_EXISTS
                                          : IKR_E_IO;
}

/*
 * The worker: the signed roster bundle (as `ikrar export`), then the backup
 * (as `ikrar backup`, without the key), then everything synced to the stick.
 * It alone uses the station until usb_finished is set; on failure the
 * folder on the stick goes, and the kiosk's data folder was only read.
 */
static void *usb_work(void *arg)
{
    app *a = arg;
    char path[1300];
    ikr_err e;
    ikr_bundle_stats st;
    ikr_backup_report rep;
    ikr_backup_opts o;
    memset(&o, 0, sizeof o);
    memset(&rep, 0, sizeof rep);
    ikr_err_clear(&e);
    o.progress = usb_backup_progress;
    o.ctx = a;
    snprintf(path, sizeof path, "%s/bundle", a->usb_dir);
    int rc = ikr_bundle_export(a->s, path, NULL, ikr_clock_now(), &st, &e);
    atomic_store(&a->usb_permille, 300);
    if (rc == IKR_OK) {
        snprintf(path, sizeof path, "%s/backup", a->usb_dir);
        rc = ikr_backup(ikr_station_dir(a->s), path, &o, &rep, &e);
    }
    if (rc == IKR_OK) {
        /* Everything on the stick's filesystem to the stick, not just our files: then pulling
         * it is safe. */
        int fd = open(a->usb_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || syncfs(fd) != 0 || fsync(fd) != 0 || ikr_file_sync_parent(a->usb_dir) != 0)
            rc = ikr_err_set(&e, usb_code(errno), "%s: %s", a->usb_dir, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    if (rc != IKR_OK) {
        ikr_file_remove_tree(a->usb_dir);
        ikr_file_sync_parent(a->usb_dir);
    }
    char word[160];
    ikr_oplog("admin", "action=usb-copy dest=%s records=%llu result=%s code=%d",
              ikr_oplog_word(a->usb_dir, word, sizeof word), (unsigned long long)rep.records,
              rc ? "failed" : "ok", rc);
    a->usb_err = e;
    a->usb_records = rep.records;
    atomic_store(&a->usb_permille, rc ? atomic_load(&a->usb_permille) : 1000);
    atomic_store(&a->usb_finished, 1);
    return NULL;
}

/* Starts the copy to drive i: a new folder named for the event and the moment, then the worker. */
static void usb_start(app *a, size_t i)
{
    char stamp[32];
    time_t now = (time_t)ikr_clock_now();
    struct tm tm;
    ikr_err_clear(&a->usb_err);
    a->usb_records = 0;
    a->usb_pick = i;
    time_t local = now + (time_t)ikr_station_event(a->s)->zone_min * 60;
    gmtime_r(&local, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(a->usb_dir, sizeof a->usb_dir, "%s/ikrar-%s-%s", a->usb_drives[i].path,
             ikr_station_event(a->s)->event, stamp);
    if (mkdir(a->usb_dir, 0700) != 0) {
        ikr_err_set(&a->usb_err, usb_code(errno), "%s: %s", a->usb_dir, strerror(errno));
        a->usb_state = USB_FAILED;
        return;
    }
    atomic_store(&a->usb_permille, 0);
    atomic_store(&a->usb_finished, 0);
    if (pthread_create(&a->usb_thread, NULL, usb_work, a) != 0) {
        rmdir(a->usb_dir);
        ikr_err_set(&a->usb_err, IKR_E_INTERNAL, "no thread for the copy");
        a->usb_state = USB_FAILED;
        return;
    }
    a->usb_running = 1;
    a->usb_state = USB_WORKING;
}

/* Looks for sticks: none says to plug one in, one starts at once, several are offered. */
static void usb_enter(app *a)
{
#ifdef IKRAR_TEST_HOOKS
    /* Test builds only: the tests' stand-in for the sticks under /media/ikrar. */
    a->usb_n = usb_find(getenv("IKRAR_USB_ROOTS"), a->usb_drives, USB_MAX_DRIVES);
#else
    a->usb_n = usb_find(NULL, a->usb_drives, USB_MAX_DRIVES);
#endif
    go(a, S_USB);
    if (a->usb_n == 0)
        a->usb_state = USB_NONE;
    else if (a->usb_n == 1)
        usb_start(a, 0);
    else
        a->usb_state = USB_PICK;
}

/* On each tick while copying: the bar moves; once the worker is done, its result shows. */
static int usb_poll(app *a)
{
    if (!a->usb_running)
        return 0;
    if (atomic_load(&a->usb_finished)) {
        pthread_join(a->usb_thread, NULL);
        a->usb_running = 0;
        a->usb_state = a->usb_err.code ? USB_FAILED : USB_DONE;
        a->last_input = a->now; /* the result stays up as long as any screen would */
        a->view++;
    }
    return APP_REDRAW;
}

/* ------------------------------------------------------------ the clock */

void app_clock_text(const app *a, int64_t t, char *out, size_t n)
{
    int zone = ikr_station_event(a->s)->zone_min;
    time_t w = (time_t)(t + (int64_t)zone * 60);
    struct tm tm;
    char days[200], *day[7] = {0};
    snprintf(days, sizeof days, "%s", T(a, K_WEEKDAYS));
    char *save = NULL, *tok = strtok_r(days, ",", &save);
    for (int i = 0; i < 7 && tok; i++, tok = strtok_r(NULL, ",", &save))
        day[i] = tok;
    if (!gmtime_r(&w, &tm)) {
        snprintf(out, n, "?");
        return;
    }
    snprintf(out, n, "%s, %02d-%02d-%04d %02d:%02d %s", day[tm.tm_wday] ? day[tm.tm_wday] : "",
             tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             ikr_zone_name(zone));
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The fields' time as a Unix time: they are in the event's zone. */
int64_t app_clock_fields_time(const app *a)
{
    const int *f = a->clock_f;
    return days_from_civil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 + f[4] * 60 -
           (int64_t)ikr_station_event(a->s)->zone_min * 60;
}

#define CLOCK_YEAR_MIN 2024
#define CLOCK_YEAR_MAX 2099

/* "Atur jam": the fields start at the kiosk's clock now, in the event's zone. */
static void clock_enter(app *a)
{
    time_t w = (time_t)((int64_t)ikr_clock_now() + (int64_t)ikr_station_event(a->s)->zone_min * 60);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    gmtime_r(&w, &tm);
    int y = tm.tm_year + 1900;
    /* A clock far off (1970) starts the fields at the earliest year they take. */
    a->clock_f[0] = y < CLOCK_YEAR_MIN ? CLOCK_YEAR_MIN : y > CLOCK_YEAR_MAX ? CLOCK_YEAR_MAX : y;
    a->clock_f[1] = tm.tm_mon + 1;
    a->clock_f[2] = tm.tm_mday;
    a->clock_f[3] = tm.tm_hour;
    a->clock_f[4] = tm.tm_min;
    a->clock_fail[0] = a->clock_cmd[0] = '\0';
    ikr_oplog("admin", "action=clock-screen by=kiosk");
    go(a, S_CLOCK);
}

/* One field up or down, going round within its range; the day kept inside its month. */
static void clock_step(app *a, int field, int delta)
{
    int *f = a->clock_f;
    static const int lo[5] = {CLOCK_YEAR_MIN, 1, 1, 0, 0}, hi[5] = {CLOCK_YEAR_MAX, 12, 31, 23, 59};
    if (field < 0 || field > 4)
        return;
    int top = field == 2 ? days_in(f[0], f[1]) : hi[field];
    int span = top - lo[field] + 1;
    f[field] = lo[field] + ((f[field] - lo[field] + delta) % span + span) % span;
    if (f[2] > days_in(f[0], f[1]))
        f[2] = days_in(f[0], f[1]);
    a->clock_fail[0] = '\0';
}

/*
 * Sets the system clock to the fields.  timedatectl takes the time in the
 * system's own zone (often UTC on a kiosk), so the fields, which are in the
 * event's zone, become a Unix time and then that zone's wall time.
 */
static void clock_apply(app *a)
{
    int64_t to = app_clock_fields_time(a), from = (int64_t)ikr_clock_now();
    time_t tt = (time_t)to;
    struct tm tm;
    char when[32] = "", why[200] = "", iso_from[32], iso_to[32], shown[80];
    if (localtime_r(&tt, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    ikr_clock_iso(iso_from, sizeof iso_from, from);
    ikr_clock_iso(iso_to, sizeof iso_to, to);
    int rc = a->set_clock(a->set_clock_ctx, when, why, sizeof why);
    if (rc == 0) {
        ikr_oplog("admin", "action=set-clock by=kiosk from=%s to=%s ok=1", iso_from, iso_to);
        app_clock_text(a, to, shown, sizeof shown);
        admin_enter(a);
        kfmt(a, a->admin_note, sizeof a->admin_note, K_CLOCK_DONE, shown);
        return;
    }
    char word[200];
    ikr_oplog("admin", "action=set-clock by=kiosk from=%s to=%s ok=0 error=%s", iso_from, iso_to,
              ikr_oplog_word(why, word, sizeof word));
    snprintf(a->clock_fail, sizeof a->clock_fail, "%s", why[0] ? why : "?");
    snprintf(a->clock_cmd, sizeof a->clock_cmd, "timedatectl set-time \"%s\"", when);
    a->view++;
}

/* ------------------------------------------------------------ verify */

/*
 * The Verify screen reads receipts off a camera.  The camera is opened when
 * the screen shows and closed when it goes (another program, or the next
 * kiosk session, may want it), and looked at every VERIFY_POLL_MS from the
 * app's timer, never waited for.  A verdict is about one code: the same
 * code seen again only keeps its verdict up (no re-check, no redraw, so no
 * flicker); a different code gets its own; no code for VERIFY_HOLD_MS and
 * the screen asks for the next receipt.
 */
static void verdict_clear(app *a)
{
    a->verdict = VERDICT_NONE;
    a->verdict_signed = 0;
    memset(&a->vr, 0, sizeof a->vr);
    memset(a->verdict_of, 0, sizeof a->verdict_of);
    ikr_err_clear(&a->verdict_err);
    a->verdict_kiosk[0] = '\0';
    a->verdict_other = 0;
}

/*
 * The keys a receipt is checked with: this kiosk's own, then every other
 * kiosk of the event trust list installed in the data folder (`ikrar event
 * install`), read again each time Verify opens so a newer list counts at
 * once.  A list that cannot be read is logged and leaves this kiosk's key
 * alone: receipts of the kiosk next door then show TIDAK SAH, as before.
 */
static void verify_keys(app *a)
{
    free(a->trust);
    a->trust = NULL;
    a->nvkeys = 0;
    if (!a->vkeys && !(a->vkeys = calloc(IKR_TRUST_MAX_KIOSKS + 1, sizeof *a->vkeys)))
        return;
    a->vkeys[a->nvkeys++] = a->vkey;
    ikr_trust *t = malloc(sizeof *t);
    ikr_err e;
    int present = 0;
    ikr_err_clear(&e);
    if (!t)
        return;
    if (ikr_trust_load_dir(t, ikr_station_dir(a->s), &present, &e) != IKR_OK) {
        char why[300], word[300];
        ikr_oplog(
            "verify", "trust-list=unreadable why=%s",
            ikr_oplog_word(ikr_err_format(&e, IKR_LANG_EN, why, sizeof why), word, sizeof word));
        present = 0;
    }
    if (!present) {
        free(t);
        return;
    }
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->k[i].key.name, a->vkey.name) != 0 ||
            memcmp(t->k[i].key.pub, a->vkey.pub, IKR_PUB_LEN) != 0)
            a->vkeys[a->nvkeys++] = t->k[i].key;
    a->trust = t;
}

static void verify_leave(app *a)
{
    ikr_camera_close(a->cam);
    a->cam = NULL;
    ikr_err_clear(&a->cam_err);
    verdict_clear(a);
}

static void verify_enter(app *a)
{
    verify_leave(a);
    a->cam_due = a->now; /* look at once */
    if (!a->scan)
        a->scan = malloc(sizeof *a->scan);
    if (!a->scanner && ikr_scanner_new(&a->scanner, &a->cam_err) != IKR_OK)
        return;
    if (!a->scan) {
        ikr_err_set(&a->cam_err, IKR_E_NOMEM, NULL);
        return;
    }
    if (!a->has_vkey) {
        ikr_buf line;
        ikr_buf_init(&line);
        a->has_vkey = ikr_station_vkey(a->s, &line) == IKR_OK &&
                      ikr_vkey_parse(&a->vkey, (const char *)line.p, line.len) == IKR_OK;
        ikr_buf_free(&line);
        if (!a->has_vkey)
            ikr_err_set(&a->cam_err, IKR_E_INTERNAL, "verifier key");
    }
    if (a->has_vkey)
        verify_keys(a);
}

/*
 * Checks one decoded text as `ikrar verify --data` does: parse, signature,
 * this kiosk's log; or, signed by another kiosk of the trust list, as
 * `ikrar verify --trust` does: that kiosk, not revoked at the receipt's time,
 * and this kiosk's event.
 */
static void verify_text(app *a, const char *t, size_t n)
{
    /* Scanners add white space at the ends; it is not part of the receipt. */
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == '\t'))
        n--;
    verdict_clear(a);
    ikr_sha256(a->verdict_of, t, n);
    ikr_buf cose;
    ikr_buf_init(&cose);
    size_t which = 0;
    int rc = ikr_receipt_parse(&a->vr, &cose, t, n, &a->verdict_err);
    if (!rc)
        rc = a->nvkeys ? ikr_receipt_check(&cose, a->vkeys, a->nvkeys, &which, &a->verdict_err)
                       : ikr_receipt_check(&cose, &a->vkey, 1, &which, &a->verdict_err);
    if (!rc && which == 0) {
        /* Signed by this kiosk: its claims are the kiosk's own words, even if the log disagrees. */
        a->verdict_signed = 1;
        snprintf(a->verdict_kiosk, sizeof a->verdict_kiosk, "%s", ikr_station_event(a->s)->kiosk);
        rc = ikr_station_check_receipt(a->s, &a->vr, &a->verdict_err);
        /* This kiosk revoked on its own list (it was lost, and found?): the list has the last word.
         */
        if (!rc && a->trust && ikr_trust_find(a->trust, &a->vkey))
            rc = ikr_trust_check(a->trust, &a->vkey, a->vr.t, &a->verdict_err);
    } else if (!rc) {
        /* Another kiosk the event's organiser signed for: no log here to look in. */
        const ikr_vkey *k = &a->vkeys[which];
        a->verdict_signed = 1;
        a->verdict_other = 1;
        snprintf(a->verdict_kiosk, sizeof a->verdict_kiosk, "%s", ikr_bundle_kiosk_of(k->name));
        if (strcmp(a->vr.ev, ikr_station_event(a->s)->event) != 0)
            rc = ikr_err_set(&a->verdict_err, IKR_E_RCPT_EVENT, "%s", a->vr.ev);
        else
            rc = ikr_trust_check(a->trust, k, a->vr.t, &a->verdict_err);
    }
    ikr_buf_free(&cose);
    if (rc && !a->verdict_signed)
        memset(&a->vr, 0, sizeof a->vr); /* unverified claims are never shown */
    a->verdict_err.zone_min = ikr_station_event(a->s)->zone_min;
    a->verdict = rc ? VERDICT_INVALID : VERDICT_VALID;
}

/* A frame's codes: the first receipt among them (or the first code when none is one). */
static int verify_codes(app *a)
{
    const ikr_scan_code *pick = &a->scan->code[0];
    for (size_t i = 0; i < a->scan->n; i++)
        if (a->scan->code[i].len >= 4 &&
            memcmp(a->scan->code[i].text, IKR_RECEIPT_PREFIX, 4) == 0) {
            pick = &a->scan->code[i];
            break;
        }
    size_t n = pick->len;
    while (n > 0 && (pick->text[n - 1] == ' ' || pick->text[n - 1] == '\n' ||
                     pick->text[n - 1] == '\r' || pick->text[n - 1] == '\t'))
        n--;
    uint8_t h[IKR_HASH_LEN];
    ikr_sha256(h, pick->text, n);
    if (a->verdict != VERDICT_NONE && memcmp(h, a->verdict_of, sizeof h) == 0) {
        a->verdict_seen = a->now; /* the same receipt, still held up: the verdict stays */
        return 0;
    }
    verify_text(a, pick->text, pick->len);
    a->verdict_seen = a->now;
    a->view++;
    return APP_REDRAW;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * The camera's turn: opens it if needed, reads a frame, checks what it
 * shows.  A frame with no code costs the decoder the most (it tries every
 * view): ~40 ms at 640x480 and ~110 ms at 1280x720 on a small kiosk CPU.
 * So a camera is looked at again after VERIFY_POLL_MS or three times what
 * the last look cost, whichever is longer, and the screen keeps at least
 * two thirds of the time for touches and frames.  Picture files keep the
 * fixed pace, so that tests see one file every VERIFY_POLL_MS.
 */
static int verify_poll(app *a)
{
    int r = 0;
    if (a->verdict != VERDICT_NONE && a->now - a->verdict_seen >= VERIFY_HOLD_MS) {
        verdict_clear(a);
        r = APP_REDRAW;
    }
    if (a->now < a->cam_due || !a->scanner || !a->scan || !a->has_vkey)
        return r;
    a->cam_due = a->now + VERIFY_POLL_MS;
    if (!a->cam) {
        ikr_err was = a->cam_err;
        ikr_err_clear(&a->cam_err);
        int rc = a->nframes ? ikr_camera_open_files(&a->cam, a->frames, a->nframes, &a->cam_err)
                            : ikr_camera_open_device(&a->cam, a->camera, &a->cam_err);
        if (rc) {
            a->cam_due = a->now + CAMERA_RETRY_MS;
            return r | (was.code != a->cam_err.code || strcmp(was.detail, a->cam_err.detail)
                            ? APP_REDRAW
                            : 0);
        }
        r |= APP_REDRAW;
    }
    ikr_frame f;
    int got = 0;
    ikr_err e;
    ikr_err_clear(&e);
    double t0 = mono_ms();
    int rc = ikr_camera_next(a->cam, &f, &got, &e);
    if (rc == IKR_E_IMAGE || (rc == IKR_E_IO && ikr_camera_is_files(a->cam)))
        return r; /* one unreadable picture file: the next may be fine */
    if (rc) {
        /* Unplugged or stopped: say so, and look for it again later. */
        ikr_camera_close(a->cam);
        a->cam = NULL;
        a->cam_err = e;
        a->cam_due = a->now + CAMERA_RETRY_MS;
        return r | APP_REDRAW;
    }
    if (!got)
        return r;
    if (ikr_scan_frame(a->scanner, &f, a->scan, NULL) == IKR_OK && a->scan->n > 0)
        r |= verify_codes(a);
    double cost = mono_ms() - t0;
    if (!ikr_camera_is_files(a->cam) && cost * 3 > VERIFY_POLL_MS)
        a->cam_due = a->now + (uint64_t)(cost * 3);
    return r;
}

/* ------------------------------------------------------------ input */

static int step_back(app *a)
{
    switch (a->screen) {
    case S_DECL:
        go(a, S_WELCOME);
        break;
    case S_STATUS:
        go(a, S_DECL);
        break;
    case S_NIP:
        go(a, S_STATUS);
        break;
    case S_DETAILS:
        go(a, a->status == IKR_STATUS_NON_ASN ? S_STATUS : S_NIP);
        break;
    case S_SIGN:
        go(a, S_DETAILS);
        break;
    case S_REVIEW:
        go(a, S_SIGN);
        break;
    case S_ADMIN:
        if (a->admin_qr_full) {
            a->admin_qr_full = 0;
            a->view++;
            break;
        }
        go(a, home(a));
        break;
    case S_ADMIN_PIN:
        go(a, home(a));
        break;
    case S_PROGRESS:
    case S_CLOCK:
        admin_enter(a);
        break;
    case S_USB:
        admin_enter(a);
        break;
    case S_VERIFY:
        if (a->verify_home) {
            /* An inspectors' kiosk: only the staff leave it, through the PIN. */
            a->pin_len = 0;
            a->pin_wrong = 0;
            go(a, S_ADMIN_PIN);
        } else {
            admin_enter(a);
        }
        break;
    default:
        return 0;
    }
    return APP_REDRAW;
}

/* The main button of each screen (Enter on a keyboard). */
static int main_action(app *a);

/*
 * A tap on button b (the key idx, in a family).  A frame's buttons act only
 * while its screen is on show (hit_at), so the button alone says what to do.
 */
static int activate(app *a, enum kbtn b, int idx)
{
    switch (b) {
    case KB_BACK:
        return step_back(a);
    case KB_START:
        if (!ikr_station_closed(a->s))
            go(a, S_DECL);
        break;
    case KB_LANG_ID:
        a->lang = IKR_LANG_ID;
        break;
    case KB_LANG_EN:
        a->lang = IKR_LANG_EN;
        break;
    case KB_LARGE_TEXT:
        a->large_text = !a->large_text;
        break;
    case KB_HIGH_CONTRAST:
        a->high_contrast = !a->high_contrast;
        break;
    case KB_READ_ALOUD:
        access_read_toggle(a);
        break;
    case KB_AGREE:
        if (a->decl_read)
            go(a, S_STATUS);
        break;
    case KB_STATUS_PNS:
    case KB_STATUS_PPPK:
    case KB_STATUS_NONASN: {
        int st = b == KB_STATUS_PNS    ? IKR_STATUS_PNS
                 : b == KB_STATUS_PPPK ? IKR_STATUS_PPPK
                                       : IKR_STATUS_NON_ASN;
        if (st != a->status) {
            OPENSSL_cleanse(a->nip, sizeof a->nip);
            a->nip_code = -1;
            roster_unfill(a);
        }
        a->status = st;
        go(a, st == IKR_STATUS_NON_ASN ? S_DETAILS : S_NIP);
        if (st != IKR_STATUS_NON_ASN)
            check_nip_live(a);
        break;
    }
    case KB_KEY:
        nip_type(a, (char)idx);
        break;
    case KB_KEY_BACK:
        nip_backspace(a);
        break;
    case KB_KEY_CLEAR:
        a->nip[0] = '\0';
        check_nip_live(a);
        break;
    case KB_NEXT:
    case KB_CONFIRM:
        return main_action(a);
    case KB_FIELD_NAME:
    case KB_FIELD_POS:
    case KB_FIELD_UNIT:
        a->active_field = (int)b - KB_FIELD_NAME;
        a->roster_fresh = 0;
        break;
    case KB_KB_SHIFT:
        a->shift = !a->shift;
        break;
    case KB_KB_BS:
        field_backspace(a);
        break;
    case KB_KB_SPACE:
        field_type(a, " ");
        a->shift = a->active_field == 0; /* names: a capital after each space */
        break;
    case KB_CHAR: {
        char c[2] = {(char)idx, '\0'};
        if (c[0] >= 'A' && c[0] <= 'Z' && !a->shift)
            c[0] = (char)(c[0] - 'A' + 'a');
        field_type(a, c);
        a->shift = 0;
        break;
    }
    case KB_ROSTER_NOTME:
        roster_not_me(a);
        break;
    case KB_CLEAR:
        ink_clear(a);
        break;
    case KB_CHANGE:
        go(a, S_DETAILS);
        break;
    case KB_FINISH:
    case KB_CANCEL:
        end_session(a);
        break;
    case KB_RETRY:
        do_sign(a);
        break;
    case KB_PIN:
    case KB_PIN_BACK:
    case KB_PIN_OK:
        if (a->now < a->pin_locked_until)
            break;
        a->pin_wrong = 0;
        if (b == KB_PIN_BACK) {
            if (a->pin_len)
                a->pin[--a->pin_len] = '\0';
        } else if (b == KB_PIN_OK) {
            if (a->pin_len)
                admin_pin_try(a);
        } else if (a->pin_len < IKR_MAX_PIN) {
            a->pin[a->pin_len++] = (char)idx;
            a->pin[a->pin_len] = '\0';
        }
        break;
    case KB_ADMIN_QRBACK:
        a->admin_qr_full = 0;
        a->view++;
        break;
    case KB_ADMIN_REPRINT:
        admin_reprint(a);
        break;
    case KB_ADMIN_CLOSE:
        admin_close_event(a);
        break;
    case KB_ADMIN_EXPORT:
        admin_export(a);
        break;
    case KB_ADMIN_USB:
    case KB_USB_RESCAN:
        usb_enter(a);
        break;
    case KB_USB_DRIVE:
        if (a->usb_state == USB_PICK && idx >= '0' && (size_t)(idx - '0') < a->usb_n)
            usb_start(a, (size_t)(idx - '0'));
        break;
    case KB_ADMIN_PRINTER:
        if (strcmp(a->printer, "none") != 0)
            admin_print_last(a);
        break;
    case KB_ADMIN_VERIFY:
        ikr_oplog("admin", "action=verify-station by=kiosk");
        go(a, S_VERIFY);
        break;
    case KB_ADMIN_PROGRESS:
        ikr_oplog("admin", "action=progress by=kiosk");
        progress_enter(a);
        break;
    case KB_ADMIN_SIGNING:
        /* The verify station becomes a signing kiosk. */
        a->verify_home = 0;
        ikr_oplog("admin", "action=signing-station by=kiosk");
        end_session(a);
        break;
    case KB_ADMIN_QUIT:
        ikr_oplog("admin", "action=quit by=kiosk");
        return APP_REDRAW | APP_QUIT;
    case KB_ADMIN_CLOCK:
        clock_enter(a);
        break;
    case KB_CLOCK_UP:
    case KB_CLOCK_DOWN:
        clock_step(a, idx - '0', b == KB_CLOCK_UP ? 1 : -1);
        break;
    case KB_CLOCK_SET:
        clock_apply(a);
        break;
    /* Held, scrolled or drawn on, not tapped (no default: a new button must be handled here). */
    case KB_NONE:
    case KB_LOGO:
    case KB_IDLE_CONTINUE:
    case KB_DECL_TEXT:
    case KB_CANVAS:
    case KB_PROGRESS_LIST:
    case KB_COUNT:
        break;
    }
    return APP_REDRAW;
}

static int main_action(app *a)
{
    switch (a->screen) {
    case S_WELCOME:
        if (!ikr_station_closed(a->s))
            go(a, S_DECL);
        break;
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
    case S_REVIEW:
        do_sign(a);
        break;
    case S_DONE:
        end_session(a);
        break;
    case S_ADMIN_PIN:
        if (a->now >= a->pin_locked_until && a->pin_len)
            admin_pin_try(a);
        break;
    case S_CLOCK:
        clock_apply(a);
        break;
    default:
        break;
    }
    return APP_REDRAW;
}

static const kd_hit *hit_at(const app *a, int x, int y)
{
    /* A touch queued behind a screen change must not press the old screen's buttons. */
    if (a->hits_view != a->view)
        return NULL;
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
        if (a->screen == S_DETAILS) {
            a->active_field = (a->active_field + 1) % 3;
            a->roster_fresh = 0;
        }
        return APP_REDRAW;
    case APP_KEY_UP:
    case APP_KEY_DOWN:
        if (a->screen == S_DECL) {
            a->decl_scroll +=
                (key == APP_KEY_DOWN ? 1 : -1) * (a->wrap_unit ? 2 * a->wrap_unit : 30);
            return APP_REDRAW;
        }
        if (a->screen == S_PROGRESS) {
            a->progress_scroll += (key == APP_KEY_DOWN ? 1 : -1) * 3 * (a->unit ? a->unit : 20);
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
    /* While the copy to USB runs, nothing else happens: no timer may touch the station. */
    if (a->usb_running)
        return usb_poll(a);
    if (a->down && !a->long_fired && a->pressed == KB_LOGO &&
        a->now - a->down_ms >= LONG_PRESS_MS) {
        a->long_fired = 1;
        a->pin_len = 0;
        a->pin_wrong = 0;
        go(a, S_ADMIN_PIN);
        r = APP_REDRAW;
    }
    if (a->screen == S_VERIFY)
        r |= verify_poll(a);
    if (a->screen == S_DONE && a->now - a->screen_since >= DONE_MS) {
        end_session(a);
        r = APP_REDRAW;
    }
    int64_t left = app_idle_left(a);
    if (left == 0) {
        end_session(a);
        r = APP_REDRAW;
    } else if (left > 0) {
        r = APP_REDRAW; /* the countdown shows seconds */
    }
    if (a->screen == S_ADMIN_PIN && a->pin_locked_until && a->now <= a->pin_locked_until + 1000)
        r = APP_REDRAW;
    if (a->screen == S_ADMIN) /* its clock shows the minutes */
        r = APP_REDRAW;
    return r;
}

static int feed(app *a, const app_event *ev);

int app_event_feed(app *a, const app_event *ev)
{
    access_before b;
    access_before_event(a, &b);
    int r = feed(a, ev);
    return r | access_after_event(a, &b);
}

static int feed(app *a, const app_event *ev)
{
    if (ev->ms > a->now)
        a->now = ev->ms;
    if (ev->type == APP_TICK || a->usb_running)
        return on_tick(a); /* input waits while the copy to USB runs */

    /* A countdown that ran out wipes the form before this input can count. */
    int r = on_tick(a);
    int counting = app_idle_left(a) > 0;
    if (ev->type != APP_MOVE || a->down)
        a->last_input = a->now;
    if (counting || a->idle_dismiss_pending) {
        /* Input while the countdown shows only dismisses it; a touch under way ends. */
        if (ev->type == APP_DOWN && counting)
            a->idle_dismiss_pending = 1;
        if (ev->type == APP_UP) {
            a->idle_dismiss_pending = 0;
            a->down = a->drawing = 0;
            a->pressed = KB_NONE;
        }
        return r | APP_REDRAW;
    }
    switch (ev->type) {
    case APP_DOWN: {
        const kd_hit *h = hit_at(a, ev->x, ev->y);
        a->down = 1;
        a->down_ms = a->now;
        a->down_x = ev->x;
        a->down_y = ev->y;
        a->long_fired = 0;
        a->pressed = h ? h->btn : KB_NONE;
        a->pressed_idx = h ? h->idx : 0;
        if (a->screen == S_SIGN && h && h->btn == KB_CANVAS)
            ink_begin(a, ev->x, ev->y);
        if (a->screen == S_DECL || a->screen == S_PROGRESS)
            a->drag_last_y = ev->y;
        return r | APP_REDRAW;
    }
    case APP_MOVE:
        if (!a->down)
            return r;
        /* A finger that wanders off the logo is not a long press. */
        if (a->pressed == KB_LOGO &&
            (abs(ev->x - a->down_x) > a->unit || abs(ev->y - a->down_y) > a->unit))
            a->pressed = KB_NONE;
        if (a->drawing) {
            ink_add(a, ev->x, ev->y);
            return r | APP_REDRAW;
        }
        if (a->screen == S_DECL) {
            a->decl_scroll += a->drag_last_y - ev->y;
            a->drag_last_y = ev->y;
            a->pressed = KB_NONE; /* a drag is not a tap */
            return r | APP_REDRAW;
        }
        if (a->screen == S_PROGRESS && a->pressed == KB_PROGRESS_LIST) {
            a->progress_scroll += a->drag_last_y - ev->y;
            a->drag_last_y = ev->y;
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
        enum kbtn b = a->pressed;
        int idx = a->pressed_idx;
        a->pressed = KB_NONE;
        if (a->long_fired)
            return r | APP_REDRAW;
        if (h && b != KB_NONE && h->btn == b && h->idx == idx)
            return r | activate(a, b, idx);
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

int64_t app_idle_left(const app *a)
{
    /* A touch held still counts as away: a palm on the glass must not keep a form up. */
    if (a->screen == S_WELCOME || (a->screen == S_VERIFY && a->verify_home) || a->usb_running)
        return -1;
    uint64_t quiet = a->now - a->last_input;
    if (quiet < IDLE_MS)
        return -1;
    return quiet >= IDLE_MS + COUNTDOWN_MS ? 0 : (int64_t)(IDLE_MS + COUNTDOWN_MS - quiet);
}

int64_t app_next_timer(const app *a, uint64_t now_ms)
{
    int64_t next = -1;
#define SOON(at)                                                                                   \
    do {                                                                                           \
        int64_t d_ = (int64_t)(at) - (int64_t)now_ms;                                              \
        if (d_ < 0)                                                                                \
            d_ = 0;                                                                                \
        if (next < 0 || d_ < next)                                                                 \
            next = d_;                                                                             \
    } while (0)
    if (a->usb_running)
        SOON(now_ms + USB_POLL_MS);
    if (a->down && !a->long_fired && a->pressed == KB_LOGO)
        SOON(a->down_ms + LONG_PRESS_MS);
    if (a->screen == S_DONE)
        SOON(a->screen_since + DONE_MS);
    if (a->screen == S_VERIFY) {
        if (a->scanner && a->scan && a->has_vkey)
            SOON(a->cam_due);
        if (a->verdict != VERDICT_NONE)
            SOON(a->verdict_seen + VERIFY_HOLD_MS);
    }
    if (a->screen != S_WELCOME && !(a->screen == S_VERIFY && a->verify_home)) {
        uint64_t quiet = now_ms - a->last_input;
        if (quiet < IDLE_MS)
            SOON(a->last_input + IDLE_MS);
        else /* once a second, for the countdown's seconds */
            SOON(now_ms + 1000 - (quiet - IDLE_MS) % 1000);
    }
    if (a->screen == S_ADMIN_PIN && now_ms < a->pin_locked_until)
        SOON(now_ms + 1000);
    if (a->screen == S_ADMIN)
        SOON(now_ms + 5000);
    if (a->speak_until)
        SOON(a->speak_until);
#undef SOON
    return next;
}

void app_frame(app *a, kd_list *l, int width, int height, const kd_measure *m, uint64_t now_ms)
{
    if (now_ms > a->now)
        a->now = now_ms;
    int u = (width < height ? width : height) / 28;
    if (u < 10)
        u = 10;
    if (a->large_text)
        u = u * 13 / 10; /* the large-text mode: everything a third larger */
    screens_draw(a, l, m, width, height, u);
    if (a->high_contrast)
        pal_high_contrast(l);
    /* Input acts on what this frame showed. */
    memcpy(a->hits, l->hit, sizeof(kd_hit) * (size_t)l->nhit);
    a->nhits = l->nhit;
    a->hits_view = a->view;
    a->unit = u;
}
