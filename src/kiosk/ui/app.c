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
#include "textedit.h"
#include "vscan.h"

static const char *const screen_names[S_COUNT_] = {
    "welcome", "declaration", "status",        "nip",   "details", "signature", "review",
    "done",    "error",       "admin-pin",     "admin", "verify",  "progress",  "usb",
    "clock",   "units",       "close-confirm", "find",  "missing"};

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

/* The keyboard as a new signer finds it: letters, no caps lock, carets at the fields' ends. */
static void keyboard_reset(app *a)
{
    a->caps = 0;
    a->kb_layer = KB_LAYER_LETTERS;
    memset(a->caret_back, 0, sizeof a->caret_back);
    memset(a->field_scroll, 0, sizeof a->field_scroll);
    a->caret_tap_x = -1;
}

/* Wipes everything one signer entered or was shown. */
static void reset_form(app *a)
{
    a->status = -1;
    OPENSSL_cleanse(a->nip, sizeof a->nip);
    OPENSSL_cleanse(a->field, sizeof a->field);
    a->active_field = 0;
    a->shift = 1;
    keyboard_reset(a);
    a->nip_code = -1;
    a->clock_refused = 0; /* the next signer's refusal is logged again */
    a->dup_seq = a->dup_t = 0;
    a->claiming = 0;
    a->else_seq = a->else_t = 0;
    a->else_kiosk[0] = '\0';
    OPENSSL_cleanse(a->roster_nip, sizeof a->roster_nip);
    OPENSSL_cleanse(a->roster_declined, sizeof a->roster_declined);
    a->roster_filled = a->notme_note = a->roster_fresh = a->text_note = 0;
    a->roster_status = -1;
    OPENSSL_cleanse(a->query, sizeof a->query);
    OPENSSL_cleanse(a->found, sizeof a->found);
    a->nfound = 0;
    a->found_more = a->letters = a->via_roster = a->agree_why = 0;
    a->unit_page = a->unit_free = 0;
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
static void find_clear(app *a);

void app_sound(const app *a, int kind)
{
    if (a->sound)
        a->sound(a->sound_ctx, kind);
}

static void go(app *a, int screen)
{
    if (a->screen == S_VERIFY && screen != S_VERIFY)
        verify_leave(a);
    if (a->screen == S_FIND && screen != S_FIND)
        find_clear(a);         /* a NIP typed to find a record is not kept */
    a->pin_for = PIN_FOR_MENU; /* whoever opens the PIN pad for more says so after go() */
    a->view++;                 /* the last frame's buttons are no longer on show */
    a->screen = screen;
    a->screen_since = a->now;
    ikr_err_clear(&a->msg);
    a->notme_note = 0;
    if (screen == S_WELCOME) {
        reset_form(a);
        refresh_count(a);
    }
    /* Read aloud together before signing: the text is shown, agreeing needs no scrolling. */
    if (screen == S_DECL && ikr_station_read_together(a->s))
        a->decl_read = 1;
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

/*
 * The hub's threads (hubsync.h), when the data folder has a hub.conf.  A
 * hub.conf that cannot be read is logged, and the kiosk signs on alone: the
 * hub is for the whole event's sake, never a condition for signing.
 */
static void hub_start(app *a)
{
    ikr_hub_conf conf;
    ikr_err e;
    int present = 0;
    char word[300], why[300];
    ikr_err_clear(&e);
    if (ikr_hub_conf_load(ikr_station_dir(a->s), &conf, &present, &e) == IKR_OK && present &&
        hubsync_start(&a->hub, ikr_station_dir(a->s), &conf, &e) == IKR_OK)
        ikr_oplog("hub-sync", "state=started");
    else if (e.code)
        ikr_oplog(
            "hub-sync", "state=off code=%d error=%s", e.code,
            ikr_oplog_word(ikr_err_format(&e, IKR_LANG_EN, why, sizeof why), word, sizeof word));
    OPENSSL_cleanse(&conf, sizeof conf); /* the URL holds the kiosk's password */
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
    a->decode_sync = o->decode_sync != 0;
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
    a->hub_sync = o->hub_sync != 0;
    hub_start(a);
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
    hubsync_stop(a->hub); /* its threads joined, their connections and station closed */
    reset_form(a);
    verify_leave(a);
    free(a->scan);
    free(a->preview);
    free(a->trust);
    free(a->vkeys);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    OPENSSL_cleanse(a->pin, sizeof a->pin);
    find_clear(a);
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
    memset(a->caret_back, 0, sizeof a->caret_back); /* the carets at the ends */
    a->roster_status = r.who.status;
    a->status = r.who.status; /* the roster knows it: the status screen is skipped */
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
    OPENSSL_cleanse(a->query, sizeof a->query);
    OPENSSL_cleanse(a->found, sizeof a->found);
    a->nfound = 0;
    a->found_more = a->via_roster = 0;
    a->status = -1;
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
        /* The status is not known while a NIP is typed to be found: PPPK's rules, the looser. */
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
        int st = a->status == IKR_STATUS_PNS ? IKR_STATUS_PNS : IKR_STATUS_PPPK;
        int rc = ikr_nip_check(probe, st, INT64_C(4102444800)); /* judged as of 2100 */
        if (rc == IKR_E_NIP_BIRTH ||
            (n >= 14 && a->status >= 0 &&
             (rc == IKR_E_NIP_TMT || rc == IKR_E_NIP_TMT_AGE || rc == IKR_E_NIP_PPPK_YEAR)) ||
            (n >= 15 && rc == IKR_E_NIP_GENDER))
            ikr_err_set(&a->msg, rc, NULL);
        /* A birth date in the future is only known against today. */
        if (rc == IKR_OK && ikr_nip_check(probe, st, now) == IKR_E_NIP_BIRTH)
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
    if (a->status < 0) {
        /* Not known yet: a NIP either a PNS or a PPPK could hold passes; PNS's refusal is said. */
        rc = ikr_nip_check(a->nip, IKR_STATUS_PNS, now);
        if (rc && ikr_nip_check(a->nip, IKR_STATUS_PPPK, now) == IKR_OK)
            rc = IKR_OK;
    } else {
        rc = ikr_nip_check(a->nip, a->status, now);
    }
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

/*
 * The roster entries matching what was typed on the NIP screen: the NIP's
 * first digits (from four: the birth year), or in letters mode the start of
 * a word of the name (from two letters).  One indexed query a key.
 */
static void find_update(app *a)
{
    OPENSSL_cleanse(a->found, sizeof a->found);
    a->nfound = 0;
    a->found_more = 0;
    if (!a->has_roster)
        return;
    const char *q = a->letters ? a->query : a->nip;
    if (strlen(q) < (a->letters ? 2u : 4u))
        return;
    if (ikr_station_roster_search(a->s, q, a->found, FOUND_MAX, &a->nfound, &a->found_more, NULL) !=
        IKR_OK)
        a->nfound = 0; /* the roster helps; unreadable, it is left out */
}

/* The NIP changed: what was found or filled for the old one no longer holds. */
static void nip_changed(app *a)
{
    a->notme_note = 0;
    a->via_roster = 0;
    a->status = -1;
    roster_unfill(a);
    check_nip_live(a);
    find_update(a);
}

static void nip_type(app *a, char c)
{
    size_t n = strlen(a->nip);
    if (c >= '0' && c <= '9' && n < IKR_NIP_LEN) {
        a->nip[n] = c;
        a->nip[n + 1] = '\0';
    }
    nip_changed(a);
}

static void nip_backspace(app *a)
{
    size_t n = strlen(a->nip);
    if (n)
        a->nip[n - 1] = '\0';
    nip_changed(a);
}

/* Letters mode: a letter ('_' a space) or a backspace (0) to the name being looked for. */
static void query_type(app *a, int c)
{
    size_t n = strlen(a->query);
    if (c == 0) {
        if (n)
            a->query[n - 1] = '\0';
    } else if (n < sizeof a->query - 1 && (c != '_' || (n && a->query[n - 1] != ' '))) {
        a->query[n] = c == '_' ? ' ' : (char)c;
        a->query[n + 1] = '\0';
    }
    a->notme_note = 0;
    ikr_err_clear(&a->msg);
    find_update(a);
}

/* The NIP screen, entered from the declaration: whether there is a roster to find in. */
static void find_enter(app *a)
{
    a->has_roster = ikr_station_roster_any(a->s);
    if (!a->has_roster)
        a->letters = 0;
    go(a, S_NIP);
    find_update(a);
}

/* PNS and PPPK need their position and unit: the counts per unit are made of them. */
static int details_required(app *a)
{
    if (a->status != IKR_STATUS_PNS && a->status != IKR_STATUS_PPPK)
        return IKR_OK;
    int rc = !a->field[1][0] ? IKR_E_POS_REQUIRED : !a->field[2][0] ? IKR_E_UNIT_REQUIRED : 0;
    if (!rc)
        return IKR_OK;
    /* The field to type into; a unit picked from the roster's is touched, not typed. */
    if (rc == IKR_E_POS_REQUIRED)
        a->active_field = 1;
    else if (!a->has_roster || a->unit_free)
        a->active_field = 2;
    return ikr_err_set(&a->msg, rc, NULL);
}

/* The active field's caret as a byte offset (the app keeps it as the bytes after it). */
static size_t caret_get(const app *a)
{
    const char *f = a->field[a->active_field];
    size_t len = strlen(f), back = a->caret_back[a->active_field];
    return te_clamp(f, len - (back < len ? back : len));
}

static void caret_set(app *a, size_t pos)
{
    a->caret_back[a->active_field] = strlen(a->field[a->active_field]) - pos;
}

/*
 * Shift on where a word starts: at a field's start and after a space or a
 * "(", as a phone's keyboard does, since names, positions and units are
 * written with a capital to each word ("Dinas P/K (Bidang 2)").  Not in
 * caps lock: there shift gives a small letter.
 */
static void auto_shift(app *a)
{
    size_t pos = caret_get(a);
    char before = pos ? a->field[a->active_field][pos - 1] : ' ';
    a->shift = !a->caps && (before == ' ' || before == '(');
}

/* Inserts UTF-8 text at the active field's caret, within FIELD_MAX bytes, whole characters only. */
static void field_type(app *a, const char *s)
{
    char *f = a->field[a->active_field];
    a->roster_fresh = 0;
    if (!ikr_utf8_valid(s, strlen(s)))
        return;
    size_t pos = caret_get(a);
    te_insert(f, FIELD_MAX, &pos, s);
    caret_set(a, pos);
    ikr_err_clear(&a->msg);
}

static void field_backspace(app *a)
{
    a->roster_fresh = 0;
    size_t pos = caret_get(a);
    te_backspace(a->field[a->active_field], &pos);
    caret_set(a, pos);
    ikr_err_clear(&a->msg);
}

/* The caret a character left (dir < 0) or right. */
static void field_move(app *a, int dir)
{
    const char *f = a->field[a->active_field];
    a->roster_fresh = 0;
    size_t pos = caret_get(a);
    caret_set(a, dir < 0 ? te_prev(f, pos) : te_next(f, pos));
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
    if ((rc = ikr_form_check(&f, now, &who, &a->msg)) || (rc = details_required(a)))
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

/* Signs the form; 1 when the record is committed (the Done screen shows), else 0. */
static int do_sign(app *a)
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
        if (a->hub)
            hubsync_poke(a->hub); /* the hub hears of it soon, in the background */
        return 1;
    }
    ikr_buf_free(&out.receipt);
    if (rc == IKR_E_CLOCK_BEFORE_INIT || rc == IKR_E_CLOCK_BEFORE_LAST || rc == IKR_E_CLOCK_GAP)
        clock_refusal(a, rc, &e);
    if (ikr_code_is_refusal(rc)) {
        /* Refused now (another kiosk took the NIP meanwhile, say): say so on Review. */
        if (a->screen != S_REVIEW)
            go(a, S_REVIEW);
        a->msg = e;
        return 0;
    }
    a->fail = e;
    go(a, S_ERROR);
    return 0;
}

/*
 * The hub's word on the NIP came (or its time ran out): refuse the signer
 * when another kiosk of the event holds the NIP, else sign here.  Whatever
 * the hub could not say is decided alone and logged so; the hub reports a
 * duplicate once both records reach it.  A claim given and then not used
 * (the signing here failed) is given back in the background.
 */
static void claim_decided(app *a, int answered, int rc, const ikr_hub_claim *cl, const ikr_err *e)
{
    char word[300], why[300];
    a->claiming = 0;
    a->view++; /* Konfirmasi is live again, the note goes */
    if (answered && rc == IKR_OK && cl->taken) {
        if (a->screen != S_REVIEW)
            go(a, S_REVIEW); /* a retry from the error screen: the refusal is said on Review */
        snprintf(a->else_kiosk, sizeof a->else_kiosk, "%s", cl->kiosk);
        a->else_seq = cl->seq;
        a->else_t = cl->t;
        ikr_err_at(&a->msg, IKR_E_NIP_ELSEWHERE, (int64_t)cl->seq, (int64_t)cl->t);
        snprintf(a->msg.detail, sizeof a->msg.detail, "%s", cl->kiosk);
        a->msg.zone_min = ikr_station_event(a->s)->zone_min;
        ikr_oplog("hub-claim", "result=elsewhere kiosk=%s seq=%llu",
                  ikr_oplog_word(cl->kiosk, word, sizeof word), (unsigned long long)cl->seq);
        app_sound(a, APP_SOUND_ERROR);
        return;
    }
    if (!answered)
        ikr_oplog("hub-claim", "result=alone why=timeout ms=%d", IKR_HUB_CLAIM_MS);
    else if (rc != IKR_OK)
        ikr_oplog(
            "hub-claim", "result=alone code=%d error=%s", rc,
            ikr_oplog_word(ikr_err_format(e, IKR_LANG_EN, why, sizeof why), word, sizeof word));
    char nip[IKR_NIP_LEN + 1];
    snprintf(nip, sizeof nip, "%s", a->nip); /* do_sign's Done screen wipes the form */
    if (!do_sign(a) && (!answered || rc == IKR_OK))
        hubsync_release(a->hub, nip); /* claimed (or maybe claimed, late) and not signed here */
    OPENSSL_cleanse(nip, sizeof nip);
}

/* Looks for the hub's answer to the claim in hand; decides when it came or its time is up. */
static int claim_poll(app *a)
{
    int rc = IKR_OK;
    ikr_hub_claim cl;
    ikr_err e;
    ikr_err_clear(&e);
    memset(&cl, 0, sizeof cl);
    if (hubsync_claim_result(a->hub, a->claim_id, &rc, &cl, &e))
        claim_decided(a, 1, rc, &cl, &e);
    else if (a->now - a->claim_since >= IKR_HUB_CLAIM_MS)
        claim_decided(a, 0, rc, &cl, &e);
    else
        return 0;
    return APP_REDRAW;
}

/*
 * Konfirmasi: with a hub and a NIP, the hub is asked first whether another
 * kiosk of the event holds the NIP; the loop goes on drawing ("Memeriksa di
 * pusat...") until the answer comes or IKR_HUB_CLAIM_MS pass.  The claim is
 * for the record about to be signed here: the next number, now.
 */
static void review_confirm(app *a)
{
    uint64_t size = 0;
    if (a->claiming)
        return; /* asked already: the answer is awaited */
    if (!a->hub || !a->nip[0] || ikr_station_size(a->s, &size, NULL) != IKR_OK) {
        do_sign(a);
        return;
    }
    ikr_err_clear(&a->msg);
    a->claim_id = hubsync_claim(a->hub, a->nip, size + 1, ikr_clock_now());
    a->claiming = 1;
    a->claim_since = a->now;
    a->view++;       /* the buttons wait with the signer */
    if (a->hub_sync) /* a script's virtual clock: the answer a live kiosk would have by now */
        hubsync_claim_wait(a->hub, a->claim_id, IKR_HUB_CLAIM_MS);
    claim_poll(a);
}

/* ------------------------------------------------------------ admin */

static void admin_enter(app *a)
{
    ikr_log_row rows[LAST_SIGNERS];
    uint64_t size = 0;
    size_t got = 0;
    refresh_count(a);
    if (a->hub)
        hubsync_status_get(a->hub, &a->hub_st);
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
static void progress_local(app *a)
{
    memset(&a->totals, 0, sizeof a->totals);
    ikr_err_clear(&a->progress_err);
    if (ikr_station_roster_stats(a->s, a->units, PROGRESS_UNITS, &a->totals, &a->progress_err) !=
        IKR_OK)
        memset(&a->totals, 0, sizeof a->totals);
    else if (a->totals.has_roster && a->totals.nunits > 1)
        qsort(a->units, a->totals.nunits, sizeof a->units[0], by_share);
    a->progress_scroll = a->progress_max = 0;
}

/*
 * The chart opens on this kiosk's numbers; with a hub, the whole event's
 * are fetched at once in the background, to be ready for "Seluruh acara".
 */
static void progress_enter(app *a)
{
    progress_local(a);
    a->progress_whole = 0;
    if (a->hub)
        hubsync_progress_request(a->hub);
    go(a, S_PROGRESS);
}

/*
 * "Seluruh acara": the hub's last fetch, when it has ended.  Until then the
 * chart keeps this kiosk's numbers and says it is fetching; a fetch that
 * failed leaves them, saying the hub cannot be reached.
 */
static int progress_hub_poll(app *a)
{
    ikr_roster_totals tot;
    uint64_t at = 0, gen = 0;
    int rc = IKR_OK, busy = 0;
    int have = hubsync_progress_get(a->hub, a->units, 0, &tot, &at, &rc, &busy, &gen);
    if (!have || busy)
        return 0;
    a->progress_hub_gen = gen;
    if (rc != IKR_OK) {
        a->progress_hub_state = HUB_PROGRESS_DOWN;
        progress_local(a);
        return APP_REDRAW;
    }
    hubsync_progress_get(a->hub, a->units, PROGRESS_UNITS, &a->totals, &at, &rc, &busy, &gen);
    ikr_err_clear(&a->progress_err);
    if (a->totals.has_roster && a->totals.nunits > 1)
        qsort(a->units, a->totals.nunits, sizeof a->units[0], by_share);
    a->progress_hub_at = at;
    a->progress_hub_state = HUB_PROGRESS_SHOWN;
    a->progress_scroll = a->progress_max = 0;
    return APP_REDRAW;
}

static void progress_toggle(app *a, int whole)
{
    a->view++;
    if (!whole || !a->hub) {
        a->progress_whole = 0;
        progress_local(a);
        return;
    }
    a->progress_whole = 1;
    a->progress_hub_state = HUB_PROGRESS_LOADING;
    progress_local(a); /* shown while the hub is asked */
    hubsync_progress_request(a->hub);
    if (a->hub_sync)
        hubsync_progress_wait(a->hub, HUB_SCRIPT_WAIT_MS);
    progress_hub_poll(a);
    ikr_oplog("admin", "action=progress-event by=kiosk");
}

static void pin_right(app *a);

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
        pin_right(a);
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

/* ------------------------------------------------------------ the staff's tools (issue 12) */

/* Opens the PIN pad for what (PIN_FOR_*): the pad, empty, says what the PIN is for. */
static void pin_pad(app *a, int what)
{
    a->pin_len = 0;
    a->pin_wrong = 0;
    OPENSSL_cleanse(a->pin, sizeof a->pin);
    go(a, S_ADMIN_PIN);
    a->pin_for = what;
}

/* The call is over: answered by the staff (with the PIN) or taken back by the signer. */
static void call_end(app *a, const char *how)
{
    if (!a->call_on)
        return;
    a->call_on = 0;
    ikr_oplog("call-staff-end", "by=kiosk how=%s seconds=%llu", how,
              (unsigned long long)((a->now - a->call_since) / 1000));
}

/*
 * "Panggil petugas": the first press calls (one line in the operational
 * log, the sound hook, the header's badge flashing until the call ends);
 * pressing the badge again opens the PIN pad, where the staff answer it or
 * the signer takes it back, and either way comes back to this screen with
 * everything entered still there.
 */
static void call_staff(app *a)
{
    a->call_return = a->screen;
    if (a->call_on) {
        pin_pad(a, PIN_FOR_CALL);
        return;
    }
    a->call_on = 1;
    a->call_since = a->now;
    ikr_oplog("call-staff", "by=kiosk screen=%s", screen_names[a->screen]);
    app_sound(a, APP_SOUND_CALL);
}

/* Back to the screen the signer called from, as they left it. */
static void call_return(app *a)
{
    int to = a->call_return;
    go(a, to >= 0 && to < S_COUNT_ && signer_screen(to) ? to : home(a));
}

/* A right PIN: what the pad was opened for.  Any right PIN answers a call: the staff are here. */
static void pin_right(app *a)
{
    int what = a->pin_for;
    call_end(a, "pin");
    if (what == PIN_FOR_CALL) {
        call_return(a);
    } else if (what == PIN_FOR_CLOSE) {
        refresh_count(a);
        go(a, S_CLOSE_CONFIRM);
    } else {
        ikr_oplog("admin", "action=open-menu by=kiosk");
        admin_enter(a);
    }
}

/* ---- "Cetak ulang struk": any record, by its number or its signer's NIP */

static void find_clear(app *a)
{
    OPENSSL_cleanse(a->find, sizeof a->find);
    OPENSSL_cleanse(a->find_name, sizeof a->find_name);
    OPENSSL_cleanse(a->find_nip, sizeof a->find_nip);
    a->find_seq = a->find_t = 0;
    a->find_status = a->find_printed = a->find_is_last = 0;
    a->find_note[0] = '\0';
    a->find_note_bad = 0;
}

static void find_note(app *a, int bad, const char *fmt_key_text)
{
    snprintf(a->find_note, sizeof a->find_note, "%s", fmt_key_text);
    a->find_note_bad = bad;
}

/* Shows record seq: who (the NIP masked), when, whether its receipt was printed. */
static int find_show(app *a, uint64_t seq)
{
    ikr_log_row row;
    ikr_err e;
    ikr_err_clear(&e);
    ikr_log_row_init(&row);
    int rc = ikr_station_get(a->s, seq, &row, &e);
    if (rc == IKR_OK) {
        a->find_seq = seq;
        a->find_t = row.t;
        a->find_status = row.who.status;
        a->find_printed = row.printed;
        snprintf(a->find_name, sizeof a->find_name, "%s", row.who.name);
        ikr_receipt_mask_nip(a->find_nip, row.who.nip);
    } else {
        char why[300];
        find_note(a, 1, ikr_err_format(&e, a->lang, why, sizeof why));
    }
    OPENSSL_cleanse(&row.who, sizeof row.who);
    ikr_log_row_free(&row);
    return rc;
}

/* Opens the screen on the last record: reprinting the last receipt stays two touches. */
static void reprint_enter(app *a)
{
    uint64_t size = 0;
    ikr_oplog("admin", "action=reprint-screen by=kiosk");
    go(a, S_FIND);
    find_clear(a);
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    a->admin_qr_full = 0;
    if (ikr_station_size(a->s, &size, NULL) == IKR_OK && size > 0 && find_show(a, size) == IKR_OK)
        a->find_is_last = 1;
    else if (size == 0)
        find_note(a, 0, T(a, K_ADMIN_NONE_YET));
}

static void find_type(app *a, char c)
{
    size_t n = strlen(a->find);
    if (c >= '0' && c <= '9' && n < IKR_NIP_LEN) {
        a->find[n] = c;
        a->find[n + 1] = '\0';
    }
    /* What is typed is a new question: the last answer goes. */
    a->find_seq = 0;
    a->find_is_last = 0;
    a->find_note[0] = '\0';
}

/* 18 digits are a NIP; fewer, a record's number. */
static void find_go(app *a)
{
    size_t n = strlen(a->find);
    uint64_t seq = 0, t = 0, size = 0;
    ikr_err e;
    ikr_err_clear(&e);
    if (n == 0)
        return;
    a->find_seq = 0;
    a->find_is_last = 0;
    a->find_note[0] = '\0';
    int by_nip = n == IKR_NIP_LEN, rc;
    if (by_nip) {
        rc = ikr_station_find_nip(a->s, a->find, &seq, &t, &e);
        if (rc == 1)
            find_note(a, 1, T(a, K_FIND_NOT_SIGNED));
    } else {
        seq = strtoull(a->find, NULL, 10);
        rc = ikr_station_size(a->s, &size, &e);
        if (rc == IKR_OK && (seq == 0 || seq > size)) {
            rc = 1;
            kfmt(a, a->find_note, sizeof a->find_note, K_FIND_NO_RECORD, a->find);
            a->find_note_bad = 1;
        }
    }
    if (rc == IKR_OK)
        rc = find_show(a, seq);
    else if (rc != 1) {
        char why[300];
        find_note(a, 1, ikr_err_format(&e, a->lang, why, sizeof why));
    }
    /* The NIP never goes into the log: only what was looked for and what was found. */
    ikr_oplog("admin", "action=find by=kiosk kind=%s seq=%llu", by_nip ? "nip" : "number",
              rc == IKR_OK ? (unsigned long long)seq : 0ULL);
}

/* Prints the record on show again (and marks it printed, or waiting for a reprint). */
static void find_print(app *a)
{
    ikr_err e;
    ikr_err_clear(&e);
    if (!a->find_seq || strcmp(a->printer, "none") == 0)
        return;
    ikr_oplog("admin", "action=reprint-paper by=kiosk seq=%llu", (unsigned long long)a->find_seq);
    int ok = print_and_mark(a, a->find_seq, &e) == IKR_OK;
    log_print(a, a->find_seq, ok, &e);
    if (ok) {
        a->find_printed = 1;
        kfmt(a, a->find_note, sizeof a->find_note, K_ADMIN_PRINTED, (int)a->find_seq);
        a->find_note_bad = 0;
    } else {
        char why[300];
        find_note(a, 1, ikr_err_format(&e, a->lang, why, sizeof why));
    }
}

/* Shows the record's receipt as a QR code, full screen, for a phone to scan. */
static void find_qr(app *a)
{
    ikr_buf text;
    ikr_err e;
    ikr_buf_init(&text);
    ikr_err_clear(&e);
    if (!a->find_seq)
        return;
    clear_qr(&a->admin_qr, &a->has_admin_qr);
    if (ikr_station_receipt(a->s, a->find_seq, &text, &e) == IKR_OK &&
        ikr_qr_encode(&a->admin_qr, (const char *)text.p, &e) == IKR_OK) {
        a->has_admin_qr = 1;
        a->admin_qr_full = 1;
        a->view++;
        ikr_oplog("admin", "action=reprint-qr by=kiosk seq=%llu", (unsigned long long)a->find_seq);
        kfmt(a, a->admin_note, sizeof a->admin_note, K_DONE_NUMBER, (int)a->find_seq);
    } else {
        char why[300];
        find_note(a, 1, ikr_err_format(&e, a->lang, why, sizeof why));
    }
    ikr_buf_free(&text);
}

/* ---- "Tutup acara": the PIN again, then the consequence in words, then yes or no */

static void close_confirmed(app *a)
{
    admin_enter(a);
    admin_close_event(a);
}

static void close_cancelled(app *a)
{
    ikr_oplog("admin", "action=close-event-cancelled by=kiosk");
    admin_enter(a);
}

/* ---- who of one unit has not signed */

/* Units are one however their case was typed (as ikr_roster_stats counts them). */
static int unit_same(const char *x, const char *y)
{
    for (;; x++, y++) {
        int p = (unsigned char)*x, q = (unsigned char)*y;
        p += p >= 'A' && p <= 'Z' ? 'a' - 'A' : 0;
        q += q >= 'A' && q <= 'Z' ? 'a' - 'A' : 0;
        if (p != q)
            return 0;
        if (!p)
            return 1;
    }
}

static int missing_one(void *ctx, const ikr_roster_entry *r)
{
    app *a = ctx;
    if (!unit_same(r->who.unit, a->missing_unit))
        return 0;
    if (a->nmissing < MISSING_MAX) {
        missing_person *p = &a->missing[a->nmissing++];
        snprintf(p->name, sizeof p->name, "%s", r->who.name);
        ikr_receipt_mask_nip(p->nip, r->who.nip);
    }
    a->missing_total++;
    return 0;
}

/* The unit at place i of the chart: its people who have not signed, read now (one query). */
static void missing_enter(app *a, int i)
{
    if (!a->totals.has_roster || i < 0 || (size_t)i >= a->totals.nunits)
        return;
    snprintf(a->missing_unit, sizeof a->missing_unit, "%s", a->units[i].unit);
    a->missing_expected = a->units[i].expected;
    a->nmissing = 0;
    a->missing_total = 0;
    a->missing_scroll = a->missing_max = 0;
    ikr_err_clear(&a->missing_err);
    if (ikr_station_roster_missing(a->s, missing_one, a, &a->missing_err) != IKR_OK)
        a->nmissing = a->missing_total = 0;
    ikr_oplog("admin", "action=missing by=kiosk missing=%llu",
              (unsigned long long)a->missing_total);
    go(a, S_MISSING);
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

void app_when_words(const app *a, int64_t t, char *out, size_t n)
{
    int zone = ikr_station_event(a->s)->zone_min;
    time_t w = (time_t)(t + (int64_t)zone * 60),
           now = (time_t)((int64_t)ikr_clock_now() + zone * 60);
    struct tm tm, today;
    char days[200], months[200], *day[7] = {0}, *mon[12] = {0}, hm[40], date[120];
    if (!gmtime_r(&w, &tm) || !gmtime_r(&now, &today)) {
        snprintf(out, n, "?");
        return;
    }
    snprintf(hm, sizeof hm, "%02d.%02d %s", tm.tm_hour, tm.tm_min, ikr_zone_name(zone));
    if (tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday) {
        kfmt(a, out, n, K_TODAY_AT, hm);
        return;
    }
    snprintf(days, sizeof days, "%s", T(a, K_WEEKDAYS));
    snprintf(months, sizeof months, "%s", T(a, K_MONTHS));
    char *save = NULL, *tok = strtok_r(days, ",", &save);
    for (int i = 0; i < 7 && tok; i++, tok = strtok_r(NULL, ",", &save))
        day[i] = tok;
    tok = strtok_r(months, ",", &save);
    for (int i = 0; i < 12 && tok; i++, tok = strtok_r(NULL, ",", &save))
        mon[i] = tok;
    snprintf(date, sizeof date, "%s, %d %s %d", day[tm.tm_wday] ? day[tm.tm_wday] : "", tm.tm_mday,
             mon[tm.tm_mon] ? mon[tm.tm_mon] : "", tm.tm_year + 1900);
    kfmt(a, out, n, K_DAY_AT, date, hm);
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
    vscan_free(a->vscan); /* joined: after the frame in hand, if any */
    a->vscan = NULL;
    a->decoding = 0;
    a->decode_due = 0;
    a->preview_w = a->preview_h = 0;
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
    if (!a->scan) {
        ikr_err_set(&a->cam_err, IKR_E_NOMEM, NULL);
        return;
    }
    if (vscan_new(&a->vscan, &a->cam_err) != IKR_OK)
        return;
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

#define PREVIEW_MAX_SIDE 800 /* px: a larger camera frame is kept box-averaged down to this */

/*
 * Keeps f as the picture the screen shows (halved until it is at most
 * PREVIEW_MAX_SIDE a side).  APP_REDRAW when the screen shows it: while it
 * waits for a receipt.  A verdict on show is not redrawn for new pictures.
 */
static int preview_take(app *a, const ikr_frame *f)
{
    int k = 1;
    while ((f->w / k > PREVIEW_MAX_SIDE || f->h / k > PREVIEW_MAX_SIDE) && k < 16)
        k *= 2;
    int w = f->w / k, h = f->h / k;
    size_t n = (size_t)w * (size_t)h;
    if (w < 1 || h < 1)
        return 0;
    if (a->preview_cap < n) {
        uint8_t *p = realloc(a->preview, n);
        if (!p)
            return 0;
        a->preview = p;
        a->preview_cap = n;
    }
    for (int y = 0; y < h; y++) {
        uint8_t *d = a->preview + (size_t)y * w;
        if (k == 1) {
            memcpy(d, f->grey + (size_t)y * f->stride, (size_t)w);
            continue;
        }
        for (int x = 0; x < w; x++) {
            unsigned s = 0;
            for (int dy = 0; dy < k; dy++) {
                const uint8_t *row = f->grey + ((size_t)y * k + dy) * f->stride + (size_t)x * k;
                for (int dx = 0; dx < k; dx++)
                    s += row[dx];
            }
            d[x] = (uint8_t)(s / (unsigned)(k * k));
        }
    }
    a->preview_w = w;
    a->preview_h = h;
    a->preview_gen++;
    return a->verdict == VERDICT_NONE ? APP_REDRAW : 0;
}

/*
 * Takes the decoder's result when it is there (never waiting), and checks
 * the receipt it holds.  A live camera's frames then rest for as long as the
 * decode took, so the decoder uses at most half a core (a 720p frame with
 * no code costs it every view, ~120 ms); picture files keep their pace.
 */
static int verify_result(app *a)
{
    int rc;
    double ms;
    if (!a->decoding || !a->vscan || !vscan_poll(a->vscan, a->scan, &rc, &ms))
        return 0;
    a->decoding = 0;
    if (a->cam && !ikr_camera_is_files(a->cam))
        a->decode_due = a->now + (uint64_t)ms;
    return rc == IKR_OK && a->scan->n > 0 ? verify_codes(a) : 0;
}

/*
 * The camera's turn: opens it if needed, reads a frame, shows it, and hands
 * it to the decoder unless the decoder is still busy with an earlier one
 * (then this frame is only shown).  Nothing here waits for a decode: its
 * result is taken on a later turn (every VERIFY_RESULT_MS meanwhile), except
 * under a script's or test's virtual clock (decode_sync), which waits for it
 * here so that each frame's verdict shows at the tick that read the frame.
 */
static int verify_poll(app *a)
{
    int r = 0;
    if (a->verdict != VERDICT_NONE && a->now - a->verdict_seen >= VERIFY_HOLD_MS) {
        verdict_clear(a);
        r = APP_REDRAW;
    }
    r |= verify_result(a);
    if (a->now < a->cam_due || !a->vscan || !a->scan || !a->has_vkey)
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
    int rc = ikr_camera_next(a->cam, &f, &got, &e);
    if (rc == IKR_E_IMAGE || (rc == IKR_E_IO && ikr_camera_is_files(a->cam)))
        return r; /* one unreadable picture file: the next may be fine */
    if (rc) {
        /* Unplugged or stopped: say so, and look for it again later. */
        ikr_camera_close(a->cam);
        a->cam = NULL;
        a->cam_err = e;
        a->cam_due = a->now + CAMERA_RETRY_MS;
        a->preview_w = a->preview_h = 0;
        return r | APP_REDRAW;
    }
    if (!got)
        return r;
    r |= preview_take(a, &f);
    if (a->decoding || a->now < a->decode_due)
        return r; /* the decoder is busy or resting: this frame is only shown */
    if (vscan_offer(a->vscan, &f) == 1) {
        a->decoding = 1;
        if (a->decode_sync) {
            vscan_wait(a->vscan);
            r |= verify_result(a);
        }
    }
    return r;
}

/* ------------------------------------------------------------ input */

/*
 * A signer with their details filled in from the roster (chosen, or their
 * whole NIP typed) goes straight to the signature, where who they sign as
 * is shown to be checked; details the rules refuse, or a PNS or PPPK entry
 * without position or unit, go to the details screen to be put right.
 */
static void roster_proceed(app *a)
{
    if (form_check(a) != IKR_OK) {
        ikr_err keep = a->msg;
        a->via_roster = 0;
        go(a, S_DETAILS);
        a->msg = keep;
        return;
    }
    a->via_roster = 1;
    go(a, S_SIGN);
}

/* A roster entry offered on the NIP screen was chosen. */
static void find_choose(app *a, size_t i)
{
    if (i >= a->nfound)
        return;
    const ikr_signer *w = &a->found[i].r.who;
    if (w->nip[0]) {
        /* As if the whole NIP was typed: the same checks, the duplicate one too. */
        snprintf(a->nip, sizeof a->nip, "%s", w->nip);
        a->status = -1;
        roster_unfill(a);
        OPENSSL_cleanse(a->roster_declined, sizeof a->roster_declined);
        check_nip_live(a);
        if (a->nip_code != IKR_OK || !a->roster_filled)
            return; /* the refusal (already signed, a wrong clock) shows on this screen */
    } else {
        roster_unfill(a);
        a->nip[0] = '\0';
        a->status = IKR_STATUS_NON_ASN;
        snprintf(a->field[0], sizeof a->field[0], "%s", w->name);
        snprintf(a->field[1], sizeof a->field[1], "%s", w->pos);
        snprintf(a->field[2], sizeof a->field[2], "%s", w->unit);
        a->roster_filled = a->roster_fresh = 1;
        a->roster_status = IKR_STATUS_NON_ASN;
    }
    roster_proceed(a);
}

/* The roster's units for the picker (one snapshot, as the chart takes): none without a roster. */
static void units_enter(app *a)
{
    memset(&a->totals, 0, sizeof a->totals);
    if (ikr_station_roster_stats(a->s, a->units, PROGRESS_UNITS, &a->totals, NULL) != IKR_OK ||
        !a->totals.has_roster)
        a->totals.nunits = 0;
    /* Entries without a unit make an empty one: not a unit to choose. */
    size_t k = 0;
    for (size_t i = 0; i < a->totals.nunits; i++)
        if (a->units[i].unit[0])
            a->units[k++] = a->units[i];
    a->totals.nunits = k;
    a->unit_page = 0;
    go(a, S_UNITS);
}

static void unit_pick(app *a, size_t i)
{
    if (i >= a->totals.nunits)
        return;
    snprintf(a->field[2], sizeof a->field[2], "%s", a->units[i].unit);
    a->unit_free = 0;
    a->roster_fresh = 0;
    go(a, S_DETAILS);
    a->active_field = !a->field[0][0] ? 0 : !a->field[1][0] ? 1 : 2;
}

static int step_back(app *a)
{
    switch (a->screen) {
    case S_DECL:
        go(a, S_WELCOME);
        break;
    case S_NIP:
        go(a, S_DECL);
        break;
    case S_STATUS:
        go(a, S_NIP);
        break;
    case S_DETAILS:
        /* A NIP typed and not on the roster came through the status; the rest from finding. */
        go(a, a->nip[0] && !a->roster_filled ? S_STATUS : S_NIP);
        break;
    case S_UNITS:
        go(a, S_DETAILS);
        break;
    case S_SIGN:
        go(a, a->via_roster ? S_NIP : S_DETAILS);
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
        if (a->pin_for == PIN_FOR_CLOSE)
            admin_enter(a);
        else if (a->pin_for == PIN_FOR_CALL)
            call_return(a); /* the call stays on */
        else
            go(a, home(a));
        break;
    case S_CLOSE_CONFIRM:
        close_cancelled(a);
        break;
    case S_FIND:
        if (a->admin_qr_full) {
            a->admin_qr_full = 0;
            a->view++;
            break;
        }
        admin_enter(a);
        break;
    case S_MISSING:
        go(a, S_PROGRESS); /* the chart as it was, scrolled where it was */
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
    if (a->claiming)
        return APP_REDRAW; /* the hub is being asked: at most IKR_HUB_CLAIM_MS */
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
            find_enter(a);
        else
            a->agree_why = 1; /* touched early: the screen says what it waits for */
        break;
    case KB_DECL_MORE:
        /* A page on, less a line so the reader keeps their place. */
        a->decl_scroll += a->decl_page > 0 ? a->decl_page : 200;
        break;
    case KB_NO_NIP:
        roster_unfill(a);
        OPENSSL_cleanse(a->nip, sizeof a->nip);
        a->nip_code = -1;
        a->status = IKR_STATUS_NON_ASN;
        a->via_roster = 0;
        go(a, S_DETAILS);
        break;
    case KB_FIND_MODE:
        a->letters = a->has_roster && !a->letters;
        ikr_err_clear(&a->msg);
        find_update(a);
        break;
    case KB_LETTER:
        query_type(a, idx);
        break;
    case KB_FOUND:
        find_choose(a, (size_t)(idx - '0'));
        break;
    case KB_UNIT:
        unit_pick(a, (size_t)a->unit_page + (size_t)(idx - '0'));
        break;
    case KB_UNIT_OTHER:
        a->unit_free = 1;
        a->field[2][0] = '\0';
        go(a, S_DETAILS);
        a->active_field = 2;
        break;
    case KB_UNIT_UP:
    case KB_UNIT_DOWN:
        a->unit_page +=
            (b == KB_UNIT_DOWN ? 1 : -1) * (a->unit_per_page > 0 ? a->unit_per_page : 1);
        if (a->unit_page >= (int)a->totals.nunits)
            a->unit_page -= a->unit_per_page;
        if (a->unit_page < 0)
            a->unit_page = 0;
        a->view++;
        break;
    case KB_STATUS_PNS:
    case KB_STATUS_PPPK:
    case KB_STATUS_NONASN: {
        /* Asked only for a NIP not on the roster: whose rules it is checked by. */
        int st = b == KB_STATUS_PNS    ? IKR_STATUS_PNS
                 : b == KB_STATUS_PPPK ? IKR_STATUS_PPPK
                                       : IKR_STATUS_NON_ASN;
        if (st == IKR_STATUS_NON_ASN) {
            OPENSSL_cleanse(a->nip, sizeof a->nip);
            a->nip_code = -1;
        }
        a->status = st;
        if (st != IKR_STATUS_NON_ASN) {
            int rc = ikr_nip_check(a->nip, st, (int64_t)ikr_clock_now());
            if (rc) {
                a->status = -1;
                go(a, S_NIP);
                ikr_err_set(&a->msg, rc, NULL);
                a->nip_code = rc;
                break;
            }
        }
        go(a, S_DETAILS);
        break;
    }
    case KB_KEY:
        nip_type(a, (char)idx);
        break;
    case KB_KEY_BACK:
        if (a->letters)
            query_type(a, 0);
        else
            nip_backspace(a);
        break;
    case KB_KEY_CLEAR:
        if (a->letters) {
            a->query[0] = '\0';
            query_type(a, 0);
        } else {
            a->nip[0] = '\0';
            nip_changed(a);
        }
        break;
    case KB_NEXT:
    case KB_CONFIRM:
        return main_action(a);
    case KB_FIELD_NAME:
    case KB_FIELD_POS:
    case KB_FIELD_UNIT:
        /*
         * A tap on another field chooses it, caret at its end, to go on
         * typing; a tap on the field being typed in moves the caret to the
         * tap, to mend a letter.  The next frame, which measures the
         * text, finds where that is.
         */
        if (a->active_field == (int)b - KB_FIELD_NAME)
            a->caret_tap_x = a->down_x;
        else
            a->caret_back[(int)b - KB_FIELD_NAME] = 0;
        a->active_field = (int)b - KB_FIELD_NAME;
        a->roster_fresh = 0;
        auto_shift(a); /* an empty field starts with a capital */
        /* With a roster, the unit is picked from its units, so the counts per unit add up. */
        if (b == KB_FIELD_UNIT && !a->unit_free) {
            units_enter(a);
            if (!a->totals.nunits) {
                a->unit_free = 1; /* nothing to pick from: typed */
                go(a, S_DETAILS);
                a->active_field = 2;
            }
        }
        break;
    case KB_KB_SHIFT:
        a->shift = !a->shift;
        break;
    case KB_KB_CAPS:
        a->caps = !a->caps;
        a->shift = 0;
        break;
    case KB_KB_LAYER:
        a->kb_layer = a->kb_layer == KB_LAYER_LETTERS ? KB_LAYER_SYMBOLS : KB_LAYER_LETTERS;
        break;
    case KB_KB_LEFT:
    case KB_KB_RIGHT:
        field_move(a, b == KB_KB_LEFT ? -1 : 1);
        auto_shift(a);
        break;
    case KB_KB_BS:
        field_backspace(a);
        auto_shift(a);
        break;
    case KB_KB_SPACE:
        field_type(a, " ");
        auto_shift(a);
        break;
    case KB_CHAR: {
        /* Caps lock and shift together give a small letter, as on a PC's keyboard. */
        char c[2] = {(char)idx, '\0'};
        if (c[0] >= 'A' && c[0] <= 'Z' && a->shift == a->caps)
            c[0] = (char)(c[0] - 'A' + 'a');
        field_type(a, c);
        auto_shift(a);
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
        review_confirm(a); /* the hub is asked again: its claim was given back */
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
        reprint_enter(a);
        break;
    case KB_ADMIN_CLOSE:
        /* Closing is for good: the PIN again, then the consequence in words (pin_right). */
        pin_pad(a, PIN_FOR_CLOSE);
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
    case KB_CALL_STAFF:
        call_staff(a);
        break;
    case KB_CALL_CANCEL:
        call_end(a, "cancel");
        call_return(a);
        break;
    case KB_CLOSE_CONFIRM:
        close_confirmed(a);
        break;
    case KB_CLOSE_CANCEL:
        close_cancelled(a);
        break;
    case KB_FIND_KEY:
        find_type(a, (char)idx);
        break;
    case KB_FIND_BACK: {
        size_t n = strlen(a->find);
        if (n)
            a->find[n - 1] = '\0';
        find_type(a, 0);
        break;
    }
    case KB_FIND_CLEAR:
        OPENSSL_cleanse(a->find, sizeof a->find);
        find_type(a, 0);
        break;
    case KB_FIND_GO:
        find_go(a);
        break;
    case KB_FIND_PRINT:
        find_print(a);
        break;
    case KB_FIND_QR:
        find_qr(a);
        break;
    case KB_PROGRESS_HERE:
    case KB_PROGRESS_WHOLE:
        progress_toggle(a, b == KB_PROGRESS_WHOLE);
        break;
    case KB_PROGRESS_UNIT:
        if (!a->progress_whole) /* who has not signed is known of this kiosk's roster only */
            missing_enter(a, idx);
        break;
    /* Held, scrolled or drawn on, not tapped (no default: a new button must be handled here). */
    case KB_NONE:
    case KB_LOGO:
    case KB_IDLE_CONTINUE:
    case KB_DECL_TEXT:
    case KB_CANVAS:
    case KB_PROGRESS_LIST:
    case KB_MISSING_LIST:
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
            find_enter(a);
        else
            a->agree_why = 1;
        break;
    case S_NIP:
        if (a->letters) {
            if (a->nfound == 1) /* Enter takes the one entry found */
                find_choose(a, 0);
            break;
        }
        check_nip_live(a);
        if (a->nip_code == IKR_OK && a->roster_filled)
            roster_proceed(a);
        else if (a->nip_code == IKR_OK)
            go(a, S_STATUS); /* not on the roster: whose NIP rules apply */
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
        review_confirm(a);
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
    case S_FIND:
        if (!a->admin_qr_full)
            find_go(a);
        break;
    default:
        break; /* S_CLOSE_CONFIRM: closing takes its own button, never Enter */
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
    if (a->claiming && key != APP_KEY_QUIT)
        return 0; /* the hub is being asked: at most IKR_HUB_CLAIM_MS */
    switch (key) {
    case APP_KEY_QUIT:
        /* In kiosk mode only the organiser leaves, through the PIN. */
        return a->fullscreen ? 0 : APP_QUIT;
    case APP_KEY_ESCAPE:
        return step_back(a);
    case APP_KEY_ENTER:
        return main_action(a);
    case APP_KEY_BACKSPACE:
        if (a->screen == S_NIP && a->letters)
            query_type(a, 0);
        else if (a->screen == S_NIP)
            nip_backspace(a);
        else if (a->screen == S_DETAILS) {
            field_backspace(a);
            auto_shift(a);
        } else if (a->screen == S_ADMIN_PIN && a->pin_len)
            a->pin[--a->pin_len] = '\0';
        else if (a->screen == S_FIND)
            return activate(a, KB_FIND_BACK, 0);
        return APP_REDRAW;
    case APP_KEY_LEFT:
    case APP_KEY_RIGHT:
        if (a->screen != S_DETAILS)
            return 0;
        field_move(a, key == APP_KEY_LEFT ? -1 : 1);
        auto_shift(a);
        return APP_REDRAW;
    case APP_KEY_TAB:
        if (a->screen == S_DETAILS) {
            a->active_field = (a->active_field + 1) % 3;
            a->roster_fresh = 0;
            auto_shift(a);
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
        if (a->screen == S_MISSING) {
            a->missing_scroll += (key == APP_KEY_DOWN ? 1 : -1) * 3 * (a->unit ? a->unit : 20);
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
            if (a->letters && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
                query_type(a, *p & ~0x20);
            else if (a->letters && *p == ' ')
                query_type(a, '_');
            else if (!a->letters && *p >= '0' && *p <= '9')
                nip_type(a, *p);
    } else if (a->screen == S_DETAILS) {
        field_type(a, text);
        auto_shift(a);
    } else if (a->screen == S_FIND && !a->admin_qr_full) {
        for (const char *p = text; *p; p++)
            if (*p >= '0' && *p <= '9')
                find_type(a, *p);
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
    if (a->screen == S_ADMIN) { /* its clock shows the minutes, and the hub line its news */
        if (a->hub)
            hubsync_status_get(a->hub, &a->hub_st);
        r = APP_REDRAW;
    }
    if (a->claiming)
        r |= claim_poll(a);
    if (a->screen == S_PROGRESS && a->progress_whole &&
        a->progress_hub_state == HUB_PROGRESS_LOADING)
        r |= progress_hub_poll(a);
    if (a->call_on && signer_screen(a->screen)) /* the badge flashes */
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
        if (a->screen == S_DECL || a->screen == S_PROGRESS || a->screen == S_MISSING)
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
        if (a->screen == S_PROGRESS &&
            (a->pressed == KB_PROGRESS_LIST || a->pressed == KB_PROGRESS_UNIT)) {
            /* A finger that moves on a unit's row scrolls the chart: not a tap on it. */
            if (abs(ev->y - a->down_y) > a->unit / 2)
                a->pressed = KB_PROGRESS_LIST;
            a->progress_scroll += a->drag_last_y - ev->y;
            a->drag_last_y = ev->y;
            return r | APP_REDRAW;
        }
        if (a->screen == S_MISSING && a->pressed == KB_MISSING_LIST) {
            a->missing_scroll += a->drag_last_y - ev->y;
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
        if (a->vscan && a->scan && a->has_vkey)
            SOON(a->cam_due);
        if (a->decoding)
            SOON(now_ms + VERIFY_RESULT_MS);
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
    if (a->claiming) {
        SOON(now_ms + HUB_POLL_MS);
        SOON(a->claim_since + IKR_HUB_CLAIM_MS);
    }
    if (a->screen == S_PROGRESS && a->progress_whole &&
        a->progress_hub_state == HUB_PROGRESS_LOADING)
        SOON(now_ms + HUB_PROGRESS_POLL_MS);
    if (a->call_on && signer_screen(a->screen))
        SOON(now_ms + CALL_FLASH_MS - (now_ms - a->call_since) % CALL_FLASH_MS);
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
