/*
 * access.c: the kiosk for signers who see or read less well.
 *
 * Two modes a signer chooses on Welcome, large text (app_frame scales the
 * layout's unit) and high contrast (app_frame recolours the frame,
 * palette.c), kept for that signer only: the next one starts in the
 * normal modes, as in the kiosk's own language.  "Bacakan" (Read aloud) in
 * the header of the declaration and of each step reads the declaration or
 * the step's instruction through app_opts.speak; a second tap stops it.
 * And sounds through app_opts.sound: one when the signing is done, one
 * when a refusal or the error screen newly shows.
 */
#include <stdio.h>
#include <string.h>

#include "app_state.h"

/* Appends s, then ". " (a sentence's end) when stop or else ", ", to buf of n bytes at *o; what
 * does not fit is left out. */
static void add(char *buf, size_t n, size_t *o, const char *s, int stop)
{
    size_t ls = strlen(s);
    const char *end = !stop ? ", " : ls && strchr(".?!", s[ls - 1]) ? " " : ". ";
    size_t le = strlen(end);
    if (*o + ls + le >= n)
        return;
    memcpy(buf + *o, s, ls);
    memcpy(buf + *o + ls, end, le + 1);
    *o += ls + le;
}

const char *access_speech(const app *a, char *buf, size_t n, int *lang)
{
    size_t o = 0;
    char msg[400];
    if (n == 0)
        return NULL;
    buf[0] = '\0';
    *lang = a->lang;
    switch (a->screen) {
    case S_DECL:
        /* The declaration is signed as written, in Indonesian: read in Indonesian, also on an
         * English screen. */
        *lang = IKR_LANG_ID;
        return ikr_station_event(a->s)->decl;
    case S_STATUS:
        /* Asked for a NIP not on the roster: PNS or PPPK (Non-ASN when no NIP was typed). */
        add(buf, n, &o, T(a, a->nip[0] ? K_STATUS_TITLE_NIP : K_STATUS_TITLE), 1);
        add(buf, n, &o, T(a, K_STATUS_PNS), 0);
        add(buf, n, &o, T(a, K_STATUS_PNS_SUB), 1);
        add(buf, n, &o, T(a, K_STATUS_PPPK), 0);
        add(buf, n, &o, T(a, K_STATUS_PPPK_SUB), 1);
        if (!a->nip[0]) {
            add(buf, n, &o, T(a, K_STATUS_NONASN), 0);
            add(buf, n, &o, T(a, K_STATUS_NONASN_SUB), 1);
        }
        break;
    case S_NIP:
        /* Finding: what to type, and the entries found, by name, to choose by ear. */
        add(buf, n, &o, T(a, a->has_roster ? K_FIND_TITLE : K_FIND_TITLE_NIP), 1);
        if (a->has_roster && !a->nfound)
            add(buf, n, &o, T(a, K_FIND_HINT), 1);
        for (size_t i = 0; i < a->nfound; i++)
            add(buf, n, &o, a->found[i].r.who.name, 1);
        add(buf, n, &o, T(a, K_NO_NIP_BUTTON), 1);
        break;
    case S_UNITS:
        add(buf, n, &o, T(a, K_UNITS_TITLE), 1);
        break;
    case S_DETAILS:
        add(buf, n, &o, T(a, K_DETAILS_TITLE), 1);
        add(buf, n, &o, T(a, K_FIELD_NAME), 1);
        add(buf, n, &o, T(a, K_FIELD_POS), 1);
        add(buf, n, &o, T(a, K_FIELD_UNIT), 1);
        break;
    case S_SIGN:
        add(buf, n, &o, T(a, K_SIGN_TITLE), 1);
        add(buf, n, &o, T(a, K_SIGN_HINT), 1);
        break;
    case S_REVIEW:
        add(buf, n, &o, T(a, K_REVIEW_TITLE), 1);
        break;
    default:
        return NULL;
    }
    /* A refusal on show is read after the instruction. */
    if (a->msg.code) {
        ikr_err_format(&a->msg, a->lang, msg, sizeof msg);
        add(buf, n, &o, msg, 1);
    }
    while (o > 0 && (buf[o - 1] == ' ' || buf[o - 1] == ','))
        buf[--o] = '\0';
    return buf;
}

/* About how long reading s takes at APP_SPEAK_WPM, in ms, with a second for the voice to start. */
static uint64_t reading_ms(const char *s)
{
    uint64_t words = 0;
    for (int in = 0; *s; s++) {
        int space = *s == ' ' || *s == '\n' || *s == '\t';
        words += !space && !in;
        in = !space;
    }
    return 1000 + words * 60000 / APP_SPEAK_WPM;
}

int access_reading(const app *a)
{
    return a->speak_until > a->now;
}

static void stop_reading(app *a)
{
    if (a->speak_until && a->speak)
        a->speak(a->speak_ctx, a->lang, NULL);
    a->speak_until = 0;
}

void access_read_toggle(app *a)
{
    if (access_reading(a)) {
        stop_reading(a);
        return;
    }
    char buf[1200];
    int lang;
    const char *text = access_speech(a, buf, sizeof buf, &lang);
    if (!text || !text[0])
        return;
    if (a->speak)
        a->speak(a->speak_ctx, lang, text);
    a->speak_until = a->now + reading_ms(text);
}

void access_reset(app *a)
{
    a->large_text = 0;
    a->high_contrast = 0;
}

void access_before_event(const app *a, access_before *b)
{
    b->screen = a->screen;
    b->msg_code = a->msg.code;
    b->view = a->view;
}

int access_after_event(app *a, const access_before *b)
{
    int r = 0;
    /* The reading reckoned to have ended: its button says "Read aloud" again. */
    if (a->speak_until && a->now >= a->speak_until) {
        a->speak_until = 0;
        r = APP_REDRAW;
    }
    /* Another screen: what was being read belongs to the last one. */
    if (a->screen != b->screen)
        stop_reading(a);
    if (!a->sound)
        return r;
    if (a->screen == S_DONE && b->screen != S_DONE)
        a->sound(a->sound_ctx, APP_SOUND_DONE);
    else if (a->screen == S_ERROR && (b->screen != S_ERROR || a->view != b->view))
        a->sound(a->sound_ctx, APP_SOUND_ERROR); /* entered, or Retry failed again */
    else if (a->msg.code && a->msg.code != b->msg_code)
        a->sound(a->sound_ctx, APP_SOUND_ERROR); /* a refusal newly on show */
    return r;
}
