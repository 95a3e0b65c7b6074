/*
 * hubsync.h: the kiosk's link to the hub (hub.h), on threads of its own.
 *
 * Started when the data folder has a hub.conf.  Two threads, each with its
 * own connection, so that neither ever waits for the other:
 *
 *  - the pusher opens the folder a second time, read-only, and pushes what
 *    the hub lacks every HUBSYNC_PERIOD_MS and soon after each signing
 *    (hubsync_poke); while the hub cannot be reached it tries again after
 *    2 s, then 4, 8 ... up to a minute.  It never touches the app's station.
 *  - the asker answers the app's questions: whether a NIP is free in the
 *    whole event (a claim), the event's progress per unit, and gives claims
 *    back.  A long push never delays a signer's claim.
 *
 * The app never waits on either: it hands a question over and looks for the
 * answer on its ticks, and reads the status (a copy, under a mutex).  Only
 * scripts and tests on a virtual clock wait (hubsync_claim_wait), as they
 * wait for a decode.
 */
#ifndef IKRAR_KIOSK_HUBSYNC_H
#define IKRAR_KIOSK_HUBSYNC_H

#include <stddef.h>
#include <stdint.h>

#include "ikrar/err.h"
#include "ikrar/hub.h"
#include "ikrar/roster.h"

#define HUBSYNC_PERIOD_MS 15000      /* a push this often while the hub answers */
#define HUBSYNC_BACKOFF_MIN_MS 2000  /* the first retry after a failure... */
#define HUBSYNC_BACKOFF_MAX_MS 60000 /* ...doubling up to this */
#define HUBSYNC_UNITS 512            /* units of the whole event's progress kept */

typedef struct hubsync hubsync;

/* What the staff menu says about the hub: a copy of the threads' state. */
typedef struct hubsync_status {
    int tried;           /* the pusher has finished at least one push (or failed one) */
    int online;          /* the last push reached the hub */
    uint64_t last_ok;    /* Unix time of the last push that succeeded, 0 none */
    uint64_t synced;     /* records of this kiosk the hub has verified (cosigned size N) */
    uint64_t synced_at;  /* Unix time of that cosignature, 0 never */
    int err_code;        /* the last push's failure (IKR_E_*), 0 when it succeeded */
    uint64_t down_since; /* Unix time the hub stopped answering, 0 while it answers */
    int flagged;         /* the hub flagged this kiosk's log */
    char flag[160];      /* why, in the hub's words */
    uint64_t pushes;     /* pushes that succeeded, since the start */
} hubsync_status;

/*
 * Starts the threads for data folder dir with the hub of c.  The folder is
 * opened read-only by the pusher itself; nothing of the caller is kept.
 */
int hubsync_start(hubsync **out, const char *dir, const ikr_hub_conf *c, ikr_err *e);
/* Stops and joins both threads, closes their connections and station; NULL is fine. */
void hubsync_stop(hubsync *h);

/* A record was signed: push soon (at once, unless the hub is being waited out). */
void hubsync_poke(hubsync *h);
void hubsync_status_get(hubsync *h, hubsync_status *st);

/*
 * Asks the hub to claim nip for record seq at time t (ikr_hub_claim_nip).
 * Returns the question's id, never 0; a question still waiting is dropped for it.
 */
uint64_t hubsync_claim(hubsync *h, const char *nip, uint64_t seq, uint64_t t);
/*
 * The answer to question id: 0 while there is none, 1 with *rc (IKR_OK or
 * why the hub could not answer), *cl and e filled.
 */
int hubsync_claim_result(hubsync *h, uint64_t id, int *rc, ikr_hub_claim *cl, ikr_err *e);
/* Waits up to ms (real time) for the answer to id: for scripts on a virtual clock only. */
void hubsync_claim_wait(hubsync *h, uint64_t id, int ms);
/* Gives nip's claim back, in the background (the signing after the claim failed). */
void hubsync_release(hubsync *h, const char *nip);

/* Asks for the whole event's progress per unit; hubsync_progress_get has it when it comes. */
void hubsync_progress_request(hubsync *h);
/* Waits up to ms (real time) for a fetch asked for to end: scripts and tests only. */
void hubsync_progress_wait(hubsync *h, int ms);
/*
 * The last progress fetched: returns 0 while none has finished since the
 * start, else 1 with *rc (IKR_OK, or why it failed), the units (at most
 * max) and totals of the last fetch that succeeded, *at its Unix time (0
 * when none succeeded), *busy 1 while a fetch is under way and *gen
 * counting the fetches finished (to tell a new one).
 */
int hubsync_progress_get(hubsync *h, ikr_roster_unit *units, size_t max, ikr_roster_totals *tot,
                         uint64_t *at, int *rc, int *busy, uint64_t *gen);

/* How loud the staff line is (hubsync_words). */
enum { HUBSYNC_LINE_OK, HUBSYNC_LINE_WARN, HUBSYNC_LINE_FLAGGED };

/*
 * The staff menu's line about the hub for status st at Unix time now, in
 * lang, times in the event's zone zone_min: "Tersinkron sampai nomor 12 ·
 * 3 menit lalu", "Belum pernah tersinkron", "Pusat tidak terjangkau sejak
 * 14.05" and on a line of its own the last good sync, or "DITANDAI oleh
 * pusat: ...".  Returns HUBSYNC_LINE_*.
 */
int hubsync_words(const hubsync_status *st, int lang, int zone_min, uint64_t now, char *out,
                  size_t n);

#endif
