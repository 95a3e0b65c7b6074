/*
 * hubsync.c: the pusher and the asker (hubsync.h).
 *
 * One mutex guards everything the app and the two threads share: the
 * status, the question in hand (claim, release, progress) and its answer.
 * Each thread does its network work outside the lock, with its own
 * connection (and the pusher with its own read-only station), and takes
 * the lock only to pick up work and to leave results.  The app's calls only
 * ever take the lock for a copy: none of them waits on the network.
 */
#include "hubsync.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikrar/clock.h"
#include "ikrar/note.h"
#include "ikrar/oplog.h"
#include "ikrar/station.h"
#include "ikrar/zone.h"
#include "kstr.h"

#define RELEASES 8        /* claims waiting to be given back */
#define CLAIM_CONNECT_S 2 /* the asker's connection: libpq's least connect timeout */

struct hubsync {
    char dir[1100];
    ikr_hub_conf conf;
    pthread_t pusher, asker;
    int has_pusher, has_asker;
    pthread_mutex_t mu;
    pthread_cond_t push_cv, ask_cv, done_cv; /* work for each thread; an answer for the app */
    int quit;
    int poked;
    hubsync_status st;
    /* the claim: the question waiting (claim_job), the last answered (claim_done) */
    uint64_t claim_ids, claim_job, claim_done;
    char claim_nip[IKR_NIP_LEN + 1];
    uint64_t claim_seq, claim_t;
    int claim_rc;
    ikr_hub_claim claim_res;
    ikr_err claim_err;
    char release[RELEASES][IKR_NIP_LEN + 1];
    int nrelease;
    /* the event's progress */
    int progress_want, progress_busy, progress_rc;
    uint64_t progress_gen, progress_at;
    ikr_roster_unit *units; /* HUBSYNC_UNITS of them */
    ikr_roster_totals tot;
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits on cv (made on CLOCK_MONOTONIC) until the monotonic time due_ms at the latest. */
static void wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t due_ms)
{
    struct timespec ts = {(time_t)(due_ms / 1000), (long)(due_ms % 1000) * 1000000};
    pthread_cond_timedwait(cv, mu, &ts);
}

static void cleanse(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

/* The failure in English, one word for the operational log. */
static const char *why_word(const ikr_err *e, char *out, size_t n)
{
    char why[300];
    ikr_err_format(e, IKR_LANG_EN, why, sizeof why);
    return ikr_oplog_word(why, out, n);
}

/* ---------------------------------------------------------------- the pusher */

/* The kiosk's own verifier key, which its cosigned checkpoint is checked with. */
static int own_key(ikr_station *s, ikr_vkey *own)
{
    ikr_buf vk;
    ikr_buf_init(&vk);
    int rc = ikr_station_vkey(s, &vk) == IKR_OK &&
                     ikr_vkey_parse(own, (const char *)vk.p, vk.len) == IKR_OK
                 ? IKR_OK
                 : IKR_E_INTERNAL;
    ikr_buf_free(&vk);
    return rc;
}

/*
 * One push: the folder opened (once, read-only) and the hub connected (again
 * after any failure), then ikr_hub_push and what the kept cosigned
 * checkpoint says.  The status is updated under the lock, and the
 * operational log told when the kiosk goes offline, comes back, or is
 * flagged: not at every push.
 */
static int push_once(hubsync *h, ikr_station **s, ikr_hub **conn, ikr_vkey *own, int *has_own)
{
    ikr_err e;
    ikr_hub_push_result r;
    uint64_t size = 0, when = 0;
    int rc = IKR_OK;
    ikr_err_clear(&e);
    memset(&r, 0, sizeof r);
    if (!*s && (rc = ikr_station_open(s, h->dir, IKR_OPEN_VERIFY, NULL, &e)) != IKR_OK)
        *s = NULL;
    if (!rc && !*has_own && own_key(*s, own) == IKR_OK)
        *has_own = 1;
    if (!rc && !*conn && (rc = ikr_hub_connect(conn, h->conf.url, IKR_HUB_TIMEOUT_S, &e)) != IKR_OK)
        *conn = NULL;
    if (!rc)
        rc = ikr_hub_push(*conn, *s, &h->conf, &r, &e);
    if (rc && rc != IKR_E_HUB_FLAGGED && *conn) {
        ikr_hub_close(*conn); /* whatever broke, the next push starts on a new connection */
        *conn = NULL;
    }
    if (*has_own && ikr_hub_synced(h->dir, own, &h->conf, &size, &when, NULL) != IKR_OK)
        size = when = 0;

    uint64_t now = ikr_clock_now();
    char word[300];
    pthread_mutex_lock(&h->mu);
    hubsync_status *st = &h->st;
    int was_tried = st->tried, was_online = st->online, was_flagged = st->flagged;
    st->tried = 1;
    st->synced = size;
    st->synced_at = when;
    if (rc == IKR_OK || rc == IKR_E_HUB_FLAGGED) {
        st->online = 1;
        st->last_ok = now;
        st->down_since = 0;
        st->err_code = 0;
        st->pushes++;
        st->flagged = rc == IKR_E_HUB_FLAGGED || r.flagged;
        snprintf(st->flag, sizeof st->flag, "%s", st->flagged ? r.flag : "");
    } else {
        st->online = 0;
        st->err_code = rc;
        if (!st->down_since)
            st->down_since = now;
    }
    int online = st->online, flagged = st->flagged;
    pthread_mutex_unlock(&h->mu);

    if (online && flagged && !was_flagged)
        ikr_oplog("hub-sync", "state=flagged why=%s", ikr_oplog_word(r.flag, word, sizeof word));
    else if (online && was_tried && !was_online)
        ikr_oplog("hub-sync", "state=online synced=%llu", (unsigned long long)size);
    else if (!online && (!was_tried || was_online))
        ikr_oplog("hub-sync", "state=offline code=%d error=%s", rc,
                  why_word(&e, word, sizeof word));
    return online;
}

static void *pusher(void *arg)
{
    hubsync *h = arg;
    ikr_station *s = NULL;
    ikr_hub *conn = NULL;
    ikr_vkey own;
    int has_own = 0;
    uint64_t backoff = HUBSYNC_BACKOFF_MIN_MS, size = 0, when = 0;
    /* What the kept cosigned checkpoint says, before the first push has ended. */
    if (ikr_station_open(&s, h->dir, IKR_OPEN_VERIFY, NULL, NULL) != IKR_OK)
        s = NULL;
    if (s && own_key(s, &own) == IKR_OK) {
        has_own = 1;
        if (ikr_hub_synced(h->dir, &own, &h->conf, &size, &when, NULL) != IKR_OK)
            size = when = 0;
    }
    pthread_mutex_lock(&h->mu);
    h->st.synced = size;
    h->st.synced_at = when;
    while (!h->quit) {
        h->poked = 0;
        pthread_mutex_unlock(&h->mu);
        int ok = push_once(h, &s, &conn, &own, &has_own);
        pthread_mutex_lock(&h->mu);
        uint64_t due = mono_ms() + (ok ? HUBSYNC_PERIOD_MS : backoff);
        backoff =
            ok ? HUBSYNC_BACKOFF_MIN_MS
               : (backoff * 2 > HUBSYNC_BACKOFF_MAX_MS ? HUBSYNC_BACKOFF_MAX_MS : backoff * 2);
        /* A signing cuts the wait short while the hub answers; an unreachable hub is waited out. */
        while (!h->quit && mono_ms() < due && !(ok && h->poked))
            wait_until(&h->push_cv, &h->mu, due);
    }
    pthread_mutex_unlock(&h->mu);
    ikr_hub_close(conn);
    ikr_station_close(s);
    return NULL;
}

/* ---------------------------------------------------------------- the asker */

/*
 * Runs one question on the asker's connection, connecting first when there
 * is none; a question that fails on a connection already open (the hub
 * restarted, a cable was cut meanwhile) is asked once more on a new one.
 */
enum { ASK_CLAIM, ASK_RELEASE, ASK_PROGRESS };

static int ask(hubsync *h, ikr_hub **conn, int what, const char *nip, uint64_t seq, uint64_t t,
               ikr_hub_claim *cl, ikr_roster_unit *units, size_t *n, ikr_roster_totals *tot,
               ikr_err *e)
{
    int rc = IKR_OK;
    for (int attempt = 0; attempt < 2; attempt++) {
        int fresh = *conn == NULL;
        ikr_err_clear(e);
        if (fresh && (rc = ikr_hub_connect(conn, h->conf.url, CLAIM_CONNECT_S, e)) != IKR_OK) {
            *conn = NULL;
            return rc;
        }
        if (what == ASK_CLAIM)
            rc = ikr_hub_claim_nip(*conn, nip, seq, t, cl, e);
        else if (what == ASK_RELEASE)
            rc = ikr_hub_release_nip(*conn, nip, e);
        else
            rc = ikr_hub_progress(*conn, units, HUBSYNC_UNITS, n, tot, e);
        if (rc == IKR_OK)
            return rc;
        ikr_hub_close(*conn);
        *conn = NULL;
        if (fresh)
            break;
    }
    return rc;
}

static void *asker(void *arg)
{
    hubsync *h = arg;
    ikr_hub *conn = NULL;
    ikr_err e;
    ikr_roster_unit *units = malloc(HUBSYNC_UNITS * sizeof *units);
    /* Connected before the first signer comes, so a claim needs no handshake. */
    if (ikr_hub_connect(&conn, h->conf.url, CLAIM_CONNECT_S, &e) != IKR_OK)
        conn = NULL;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->quit && !h->claim_job && !h->nrelease && !h->progress_want)
            pthread_cond_wait(&h->ask_cv, &h->mu);
        if (h->quit)
            break;
        if (h->claim_job) {
            /* The signer waiting comes first. */
            uint64_t id = h->claim_job, seq = h->claim_seq, t = h->claim_t;
            char nip[IKR_NIP_LEN + 1];
            ikr_hub_claim cl;
            memcpy(nip, h->claim_nip, sizeof nip);
            cleanse(h->claim_nip, sizeof h->claim_nip);
            h->claim_job = 0;
            pthread_mutex_unlock(&h->mu);
            int rc = ask(h, &conn, ASK_CLAIM, nip, seq, t, &cl, NULL, NULL, NULL, &e);
            cleanse(nip, sizeof nip);
            pthread_mutex_lock(&h->mu);
            h->claim_done = id;
            h->claim_rc = rc;
            h->claim_res = cl;
            h->claim_err = e;
            pthread_cond_broadcast(&h->done_cv);
        } else if (h->progress_want) {
            size_t n = 0;
            ikr_roster_totals tot;
            h->progress_want = 0;
            h->progress_busy = 1;
            pthread_mutex_unlock(&h->mu);
            int rc = units ? ask(h, &conn, ASK_PROGRESS, NULL, 0, 0, NULL, units, &n, &tot, &e)
                           : ikr_err_set(&e, IKR_E_NOMEM, "progress");
            uint64_t now = ikr_clock_now();
            pthread_mutex_lock(&h->mu);
            h->progress_rc = rc;
            if (rc == IKR_OK) {
                memcpy(h->units, units, n * sizeof *units);
                h->tot = tot;
                h->tot.nunits = n;
                h->progress_at = now;
            }
            h->progress_busy = 0;
            h->progress_gen++;
            pthread_cond_broadcast(&h->done_cv);
        } else {
            char nip[IKR_NIP_LEN + 1];
            memcpy(nip, h->release[--h->nrelease], sizeof nip);
            cleanse(h->release[h->nrelease], sizeof h->release[0]);
            pthread_mutex_unlock(&h->mu);
            int rc = ask(h, &conn, ASK_RELEASE, nip, 0, 0, NULL, NULL, NULL, NULL, &e);
            cleanse(nip, sizeof nip);
            if (rc != IKR_OK) {
                char word[300];
                ikr_oplog("hub-claim", "result=release-failed code=%d error=%s", rc,
                          why_word(&e, word, sizeof word));
            }
            pthread_mutex_lock(&h->mu);
        }
    }
    pthread_mutex_unlock(&h->mu);
    ikr_hub_close(conn);
    free(units);
    return NULL;
}

/* ---------------------------------------------------------------- the app's side */

int hubsync_start(hubsync **out, const char *dir, const ikr_hub_conf *c, ikr_err *e)
{
    *out = NULL;
    hubsync *h = calloc(1, sizeof *h);
    if (!h || !(h->units = calloc(HUBSYNC_UNITS, sizeof *h->units))) {
        free(h);
        return ikr_err_set(e, IKR_E_NOMEM, "hub");
    }
    if (strlen(dir) >= sizeof h->dir) {
        free(h->units);
        free(h);
        return ikr_err_set(e, IKR_E_INTERNAL, "data folder path too long");
    }
    snprintf(h->dir, sizeof h->dir, "%s", dir);
    h->conf = *c;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->push_cv, &ca);
    pthread_cond_init(&h->ask_cv, &ca);
    pthread_cond_init(&h->done_cv, &ca);
    pthread_condattr_destroy(&ca);
    h->has_pusher = pthread_create(&h->pusher, NULL, pusher, h) == 0;
    h->has_asker = h->has_pusher && pthread_create(&h->asker, NULL, asker, h) == 0;
    if (!h->has_asker) {
        hubsync_stop(h);
        return ikr_err_set(e, IKR_E_INTERNAL, "hub threads");
    }
    *out = h;
    return IKR_OK;
}

void hubsync_stop(hubsync *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_broadcast(&h->push_cv);
    pthread_cond_broadcast(&h->ask_cv);
    pthread_cond_broadcast(&h->done_cv);
    pthread_mutex_unlock(&h->mu);
    /* A thread in the middle of a statement ends with it: each is cut by its timeout. */
    if (h->has_pusher)
        pthread_join(h->pusher, NULL);
    if (h->has_asker)
        pthread_join(h->asker, NULL);
    pthread_cond_destroy(&h->done_cv);
    pthread_cond_destroy(&h->ask_cv);
    pthread_cond_destroy(&h->push_cv);
    pthread_mutex_destroy(&h->mu);
    cleanse(h->conf.url, sizeof h->conf.url); /* it holds the kiosk's password */
    cleanse(h->claim_nip, sizeof h->claim_nip);
    cleanse(h->release, sizeof h->release);
    free(h->units);
    free(h);
}

void hubsync_poke(hubsync *h)
{
    pthread_mutex_lock(&h->mu);
    h->poked = 1;
    pthread_cond_broadcast(&h->push_cv);
    pthread_mutex_unlock(&h->mu);
}

void hubsync_status_get(hubsync *h, hubsync_status *st)
{
    pthread_mutex_lock(&h->mu);
    *st = h->st;
    pthread_mutex_unlock(&h->mu);
}

uint64_t hubsync_claim(hubsync *h, const char *nip, uint64_t seq, uint64_t t)
{
    pthread_mutex_lock(&h->mu);
    uint64_t id = ++h->claim_ids;
    snprintf(h->claim_nip, sizeof h->claim_nip, "%s", nip);
    h->claim_seq = seq;
    h->claim_t = t;
    h->claim_job = id;
    pthread_cond_broadcast(&h->ask_cv);
    pthread_mutex_unlock(&h->mu);
    return id;
}

int hubsync_claim_result(hubsync *h, uint64_t id, int *rc, ikr_hub_claim *cl, ikr_err *e)
{
    int got = 0;
    pthread_mutex_lock(&h->mu);
    if (h->claim_done == id) {
        *rc = h->claim_rc;
        *cl = h->claim_res;
        *e = h->claim_err;
        got = 1;
    }
    pthread_mutex_unlock(&h->mu);
    return got;
}

void hubsync_claim_wait(hubsync *h, uint64_t id, int ms)
{
    uint64_t due = mono_ms() + (uint64_t)ms;
    pthread_mutex_lock(&h->mu);
    while (!h->quit && h->claim_done != id && mono_ms() < due)
        wait_until(&h->done_cv, &h->mu, due);
    pthread_mutex_unlock(&h->mu);
}

void hubsync_release(hubsync *h, const char *nip)
{
    pthread_mutex_lock(&h->mu);
    if (h->nrelease < RELEASES) {
        snprintf(h->release[h->nrelease++], sizeof h->release[0], "%s", nip);
        pthread_cond_broadcast(&h->ask_cv);
    }
    pthread_mutex_unlock(&h->mu);
}

void hubsync_progress_request(hubsync *h)
{
    pthread_mutex_lock(&h->mu);
    h->progress_want = 1;
    pthread_cond_broadcast(&h->ask_cv);
    pthread_mutex_unlock(&h->mu);
}

void hubsync_progress_wait(hubsync *h, int ms)
{
    uint64_t due = mono_ms() + (uint64_t)ms;
    pthread_mutex_lock(&h->mu);
    while (!h->quit && (h->progress_want || h->progress_busy) && mono_ms() < due)
        wait_until(&h->done_cv, &h->mu, due);
    pthread_mutex_unlock(&h->mu);
}

int hubsync_progress_get(hubsync *h, ikr_roster_unit *units, size_t max, ikr_roster_totals *tot,
                         uint64_t *at, int *rc, int *busy, uint64_t *gen)
{
    pthread_mutex_lock(&h->mu);
    int have = h->progress_gen > 0;
    *busy = h->progress_want || h->progress_busy;
    *gen = h->progress_gen;
    *rc = h->progress_rc;
    *at = h->progress_at;
    if (h->progress_at) {
        size_t n = h->tot.nunits < max ? h->tot.nunits : max;
        memcpy(units, h->units, n * sizeof *units);
        *tot = h->tot;
        tot->nunits = n;
    } else {
        memset(tot, 0, sizeof *tot);
    }
    pthread_mutex_unlock(&h->mu);
    return have;
}

/* ---------------------------------------------------------------- the staff's line */

static void fmt(char *out, size_t n, int k, int lang, ...)
{
    va_list ap;
    va_start(ap, lang);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(out, n, kstr(k, lang), ap); /* the string test checks each key's conversions */
#pragma GCC diagnostic pop
    va_end(ap);
}

/* How long ago t was at now, in words: "baru saja", "3 menit lalu", "2 jam lalu". */
static void ago(char *out, size_t n, uint64_t t, uint64_t now, int lang)
{
    uint64_t s = now > t ? now - t : 0;
    if (s < 60)
        fmt(out, n, K_AGO_NOW, lang);
    else if (s < 3600)
        fmt(out, n, K_AGO_MIN, lang, (int)(s / 60));
    else if (s < 86400)
        fmt(out, n, K_AGO_HOUR, lang, (int)(s / 3600));
    else
        fmt(out, n, K_AGO_DAY, lang, (int)(s / 86400 > 9999 ? 9999 : s / 86400));
}

int hubsync_words(const hubsync_status *st, int lang, int zone_min, uint64_t now, char *out,
                  size_t n)
{
    char synced[200];
    if (st->flagged) {
        fmt(out, n, K_HUB_FLAGGED, lang, st->flag[0] ? st->flag : "?");
        return HUBSYNC_LINE_FLAGGED;
    }
    if (st->synced && st->synced_at) {
        char num[24], when[80];
        snprintf(num, sizeof num, "%llu", (unsigned long long)st->synced);
        ago(when, sizeof when, st->synced_at, now, lang);
        fmt(synced, sizeof synced, K_HUB_SYNCED, lang, num, when);
    } else {
        fmt(synced, sizeof synced, K_HUB_NEVER, lang);
    }
    if (st->tried && !st->online && st->down_since) {
        char hm[32], down[120];
        time_t w = (time_t)((int64_t)st->down_since + (int64_t)zone_min * 60);
        struct tm tm;
        if (gmtime_r(&w, &tm))
            snprintf(hm, sizeof hm, "%02d.%02d", tm.tm_hour, tm.tm_min);
        else
            snprintf(hm, sizeof hm, "?");
        fmt(down, sizeof down, K_HUB_DOWN, lang, hm);
        snprintf(out, n, "%s\n%s", down, synced);
        return HUBSYNC_LINE_WARN;
    }
    snprintf(out, n, "%s", synced);
    return HUBSYNC_LINE_OK;
}
