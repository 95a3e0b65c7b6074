/*
 * hub.h: many kiosks, one live event, in a PostgreSQL database (docs/hub.md).
 *
 * The hub is a PostgreSQL 15 database with a schema `ikrar`, reached with
 * libpq; there is no server of ikrar's own.  Three kinds of connection use it:
 *
 *  - the organiser (the database's owner role): `ikrar hub init` makes the
 *    schema, `ikrar hub event` loads an event (its signed trust list,
 *    declaration, event.json and roster), `ikrar hub join` makes a kiosk's
 *    login role and writes the kiosk's hub.conf;
 *  - each kiosk, with a role of its own (member of ikrar_kiosk): it may insert
 *    its own records and checkpoints into the inbox and read them back (row-
 *    level security), call the functions that claim a NIP and read progress,
 *    and nothing else: no update, no delete, no other kiosk's rows;
 *  - the verifier (`ikrar hub verify`, the owner again, holding the hub's
 *    witness key): it moves what the inbox holds into the records that count
 *    only after checking every signature, key, leaf, checkpoint and
 *    consistency proof, flags a kiosk whose log forks or rolls back, and
 *    cosigns each checkpoint it accepts.
 *
 * A kiosk keeps signing into its own SQLite log whatever the network does;
 * pushing sends only what the hub lacks and is safe to repeat or cut at any
 * point.  All SQL is parameterised; every text that comes back from the
 * database is bounded before it is used.
 */
#ifndef IKRAR_HUB_H
#define IKRAR_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "hash.h"
#include "key.h"
#include "limits.h"
#include "note.h"
#include "roster.h"

#define IKR_HUB_CONF_FILE "hub.conf"          /* in a kiosk's data folder, 0600 */
#define IKR_HUB_COSIGNED_FILE "hub-cosig.txt" /* the latest checkpoint the hub cosigned */
#define IKR_HUB_MAX_URL 1024                  /* bytes of a connection string */
#define IKR_HUB_TIMEOUT_S 5                   /* seconds to connect, by default */
#define IKR_HUB_CLAIM_MS 1500 /* a kiosk waits this long for the hub's word on a NIP */
#define IKR_HUB_WITNESS_PREFIX "ikrar-hub/"

struct ikr_station;

typedef struct ikr_hub ikr_hub; /* one connection: opaque, see hub.c */

/*
 * Connects to url (a libpq URI or key=value string, at most IKR_HUB_MAX_URL
 * bytes), giving up after timeout_s seconds (at least 2, libpq's least); every
 * statement is also cut after 4 * timeout_s.  IKR_E_HUB_CONNECT when the
 * server cannot be reached or refuses the login (detail: libpq's first line).
 */
int ikr_hub_connect(ikr_hub **out, const char *url, int timeout_s, ikr_err *e);
void ikr_hub_close(ikr_hub *h);

/* --- the organiser ------------------------------------------------------ */

/*
 * Creates schema ikrar, its tables, functions and the group roles
 * ikrar_kiosk, with witness (the hub's cosigning verifier key) recorded in
 * it.  Run again on a hub that has the schema, it changes nothing
 * (IKR_E_HUB_EXISTS when the witness differs).
 */
int ikr_hub_init(ikr_hub *h, const char *witness_vkey, ikr_err *e);

/* The witness verifier key line the hub was made with, into out. */
int ikr_hub_witness(ikr_hub *h, ikr_buf *out, ikr_err *e);

/*
 * Loads or updates an event from a kiosk's data folder s: its trust list
 * (which must be installed there: IKR_E_HUB_NO_TRUST), declaration and
 * event.json.  A later call may bring a newer trust list of the same event
 * key (higher serial), as a kiosk installs one (IKR_E_TRUST_PIN otherwise).
 */
int ikr_hub_event_put(ikr_hub *h, struct ikr_station *s, ikr_err *e);

/* Replaces the event's roster with the CSV p[0..n) (roster.h's format); *rows gets its size. */
int ikr_hub_roster_put(ikr_hub *h, const char *event, const uint8_t *p, size_t n, uint64_t now,
                       uint64_t *rows, ikr_err *e);

/* What a kiosk needs to reach the hub: written to its data folder by join. */
typedef struct ikr_hub_conf {
    char url[IKR_HUB_MAX_URL + 1]; /* with the kiosk's own role and password */
    char witness[IKR_MAX_VKEY_LINE + 1];
} ikr_hub_conf;

/*
 * Makes (or, for a kiosk already joined, gives a new password to) the login
 * role of the kiosk whose data folder s is, which must be on its event's
 * trust list at the hub (IKR_E_TRUST_UNKNOWN), and fills c with the URL that
 * kiosk uses (admin_url with the kiosk's role and password in place of the
 * organiser's) and the hub's witness key.
 */
int ikr_hub_join(ikr_hub *h, const char *admin_url, struct ikr_station *s, ikr_hub_conf *c,
                 ikr_err *e);

/* hub.conf: *present 0 (and IKR_OK) when the folder has none. */
int ikr_hub_conf_load(const char *dir, ikr_hub_conf *c, int *present, ikr_err *e);
int ikr_hub_conf_save(const char *dir, const ikr_hub_conf *c, ikr_err *e);

/* --- a kiosk ------------------------------------------------------------ */

typedef struct ikr_hub_push_result {
    uint64_t local;       /* the kiosk's log size (its head.txt) */
    uint64_t sent;        /* records sent by this push */
    uint64_t accepted;    /* records of this kiosk verified at the hub (its cosigned size) */
    uint64_t cosigned_at; /* Unix time of that cosignature, 0 when none yet */
    int flagged;          /* 1: the hub has flagged this kiosk (flag says why) */
    char flag[160];
} ikr_hub_push_result;

/*
 * Sends what the hub lacks of s's log: records after the last the hub has
 * (verified or waiting), in batches, each its own transaction, then the
 * checkpoint of head.txt with a consistency proof from the hub's last
 * accepted size.  Then fetches the newest cosigned checkpoint of this kiosk,
 * checks both its signatures (the kiosk's own, the witness's from c), and
 * keeps it in dir/IKR_HUB_COSIGNED_FILE.  s may be opened read-only; push
 * never writes ikrar.db.  Idempotent: cut anywhere, the next push resumes.
 */
int ikr_hub_push(ikr_hub *h, struct ikr_station *s, const ikr_hub_conf *c, ikr_hub_push_result *r,
                 ikr_err *e);

/* What the data folder dir last heard from the hub: size and time of its cosigned checkpoint. */
int ikr_hub_synced(const char *dir, const ikr_vkey *own, const ikr_hub_conf *c, uint64_t *size,
                   uint64_t *when, ikr_err *e);

/*
 * The same, checked against the log of s (opened on that folder): the cosigned
 * root must be the log's own root at that size, so every record up to *size is
 * in a log the hub's witness saw (IKR_E_HUB_COSIG when not).  *size 0: none kept.
 */
int ikr_hub_witnessed(struct ikr_station *s, const ikr_hub_conf *c, uint64_t *size, uint64_t *when,
                      ikr_err *e);

/* Who holds a NIP in the event, as the hub knows it. */
typedef struct ikr_hub_claim {
    int taken; /* 1: another kiosk's signer has this NIP (below who and when) */
    char kiosk[IKR_MAX_KIOSK_NAME + 1];
    uint64_t seq;
    uint64_t t;
} ikr_hub_claim;

/*
 * Claims nip for the record seq this kiosk is about to sign at time t.
 * cl->taken is 1 when another kiosk of the event holds it (a claim or a
 * record): the signer is refused.  Claiming again from the same kiosk is
 * harmless.  Called with a short timeout; a failure means "decide alone".
 */
int ikr_hub_claim_nip(ikr_hub *h, const char *nip, uint64_t seq, uint64_t t, ikr_hub_claim *cl,
                      ikr_err *e);
/* Gives back this kiosk's claim on nip (its signing failed after the claim). */
int ikr_hub_release_nip(ikr_hub *h, const char *nip, ikr_err *e);

/* --- reading the hub ---------------------------------------------------- */

typedef struct ikr_hub_kiosk {
    char origin[IKR_MAX_ORIGIN + 1];
    uint64_t accepted; /* verified records */
    uint64_t waiting;  /* in the inbox, not yet verified */
    uint64_t last_at;  /* Unix time of its last accepted checkpoint, 0 none */
    int flagged;
    char flag[160];
} ikr_hub_kiosk;

typedef struct ikr_hub_stats {
    uint64_t records;    /* verified records of the event, all kiosks */
    uint64_t nips;       /* distinct NIPs among them */
    uint64_t non_asn;    /* records without NIP */
    uint64_t duplicates; /* NIPs that signed more than once */
    uint64_t listed;     /* roster rows */
    uint64_t listed_signed;
    size_t nkiosks;
    ikr_hub_kiosk *kiosks; /* malloc'd; ikr_hub_stats_free */
    size_t nunits;
    ikr_roster_unit *units; /* malloc'd, by unit name */
} ikr_hub_stats;

/* The whole event's progress (organiser's connection); free with ikr_hub_stats_free. */
int ikr_hub_stats_get(ikr_hub *h, const char *event, ikr_hub_stats *st, ikr_err *e);
void ikr_hub_stats_free(ikr_hub_stats *st);

/* The same per unit, from a kiosk's connection (for its progress chart). */
int ikr_hub_progress(ikr_hub *h, ikr_roster_unit *units, size_t max, size_t *n,
                     ikr_roster_totals *tot, ikr_err *e);

/*
 * Writes each kiosk's bundle of event, as far as the hub has verified it (its
 * last accepted checkpoint, the records it covers, verifier.key,
 * declaration.txt, event.json and roster.csv), into dir/kiosks-N/<kiosk>
 * folders under dir, which must exist and be empty; paths (n of them, at most
 * max) name them for ikr_merge.
 */
int ikr_hub_fetch_bundles(ikr_hub *h, const char *event, const char *dir, char (*paths)[1200],
                          size_t max, size_t *n, ikr_err *e);

/* --- the verifier --------------------------------------------------------- */

typedef struct ikr_hub_verify_result {
    uint64_t records;     /* records accepted by this pass */
    uint64_t checkpoints; /* checkpoints accepted and cosigned */
    uint64_t flagged;     /* kiosks newly flagged */
    uint64_t waiting;     /* inbox records left for a later checkpoint */
} ikr_hub_verify_result;

/*
 * One pass over the inbox: for each kiosk with a new checkpoint, checks
 * every record after its accepted size (COSE signature by a key on the
 * event's trust list and not revoked at the record's time, claims of the
 * event and seq, the ink's hash), folds their leaves into the kiosk's tree,
 * and accepts the checkpoint when its signature, root and consistency proof
 * from the last accepted one hold: then the records count and the
 * checkpoint is cosigned with witness (named name).  A kiosk whose records
 * or checkpoints contradict what was accepted is flagged, with the evidence
 * kept, and nothing more of it is merged.  threads (1..8) check signatures.
 */
int ikr_hub_verify(ikr_hub *h, const ikr_key *witness, const char *name, uint64_t now, int threads,
                   ikr_hub_verify_result *r, ikr_err *e);

/* Waits up to timeout_ms for a kiosk's NOTIFY (new work): 1 notified, 0 timed out. */
int ikr_hub_wait(ikr_hub *h, int timeout_ms, ikr_err *e);

#endif
