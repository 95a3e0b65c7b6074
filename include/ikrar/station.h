/*
 * station.h: a kiosk's data folder and the one path that signs.
 *
 * A data folder holds `ikrar.db` (the log, see log.h), `kiosk.key` (the
 * Ed25519 private key, 0600, PKCS#8, encrypted when a passphrase was given)
 * and `verifier.key` (the public verifier key, one line).  The event's
 * settings live in the database.  ikr_station_sign is what both `ikrar
 * sign` and the kiosk's confirm button call: validate, build and sign the
 * record, append it durably, and only then make the receipt.
 */
#ifndef IKRAR_STATION_H
#define IKRAR_STATION_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "ink.h"
#include "key.h"
#include "limits.h"
#include "log.h"
#include "receipt.h"
#include "record.h"

#define IKR_DB_FILE "ikrar.db"
#define IKR_KEY_FILE "kiosk.key"
#define IKR_VKEY_FILE "verifier.key"

/* What `ikrar init` is given. declaration NULL means the built-in text. */
typedef struct ikr_station_cfg {
    const char *event_id;
    const char *title;
    const char *kiosk;
    const char *declaration;
    size_t declaration_len;
    const char *pin;
    const char *passphrase;   /* NULL: the key file is not encrypted */
    const char *organizer;    /* optional: who holds the event */
    const char *place;        /* optional: where */
    const char *when;         /* optional: the date as people write it, e.g. "30 September 2024" */
    const char *zone;         /* optional: "WIB" (default), "WITA" or "WIT": how times are shown */
} ikr_station_cfg;

typedef struct ikr_station {
    ikr_log *log;
    ikr_key *key;              /* signing key, or verify-only when opened without it */
    char dir[1024];
    char event[IKR_MAX_EVENT_ID + 1];
    char kiosk[IKR_MAX_KIOSK_NAME + 1];
    char origin[IKR_MAX_ORIGIN + 1];
    ikr_buf title;             /* NUL-terminated */
    char organizer[IKR_MAX_TITLE + 1];   /* empty when not given */
    char place[IKR_MAX_TITLE + 1];
    char when[IKR_MAX_TITLE + 1];
    ikr_buf decl;              /* the declaration text, NUL-terminated */
    uint8_t decl_hash[IKR_HASH_LEN];
    int closed;                /* the event was closed: no more signings */
    int zone_min;              /* the kiosk's time zone, minutes east of UTC (zone.h) */
} ikr_station;

/* How to open a folder. */
enum {
    IKR_OPEN_SIGN = 0,     /* load the private key: sign, checkpoint */
    IKR_OPEN_VERIFY = 1,   /* public key only, database read-only: verify, audit */
};

/* 1 when name is a kiosk name: 1..64 characters of A-Z a-z 0-9 . _ - */
int ikr_kiosk_name_ok(const char *name);

/*
 * Creates a data folder (making dir if needed; refusing one that already
 * holds a kiosk with IKR_E_EXISTS) and appends the verifier key to vkey.
 * Nothing is left behind on failure.
 */
int ikr_station_create(const char *dir, const ikr_station_cfg *cfg, ikr_buf *vkey, ikr_err *e);

/* Opens a data folder; caller closes with ikr_station_close. */
int ikr_station_open(ikr_station **out, const char *dir, int how, const char *passphrase,
                     ikr_err *e);
/* Accepts NULL. */
void ikr_station_close(ikr_station *s);

/* Appends the verifier key line (no newline) to out. */
int ikr_station_vkey(const ikr_station *s, ikr_buf *out);

/* What a signer enters, raw: any lengths, any bytes; checked by ikr_form_check. */
typedef struct ikr_form {
    const char *name;
    int status;               /* IKR_STATUS_*, or -1 when not chosen */
    const char *nip;          /* may hold spaces, as NIPs are often printed */
    const char *pos;
    const char *unit;
} ikr_form;

/*
 * Validates and normalises a form at time now into who.  Returns IKR_OK or
 * the first refusal (IKR_E_NAME_*, IKR_E_STATUS, IKR_E_NIP_*, ...).  The
 * duplicate NIP check needs the log and is done by ikr_station_sign.
 */
int ikr_form_check(const ikr_form *f, uint64_t now, ikr_signer *who, ikr_err *e);

/* The result of a signing. */
typedef struct ikr_signed {
    uint64_t seq;
    uint64_t t;
    uint8_t leaf[IKR_HASH_LEN];
    uint8_t root[IKR_HASH_LEN];
    ikr_buf receipt;          /* receipt text, NUL-terminated; caller frees */
} ikr_signed;

/*
 * Signs: checks the form and the ink, refuses a NIP that already signed
 * (IKR_E_NIP_DUPLICATE with its seq and time on e), appends the record and
 * its ink in one durable transaction, then makes the receipt into out.  On
 * any failure before the commit, nothing is written.  If the receipt cannot
 * be made after the commit, out->seq is set and the code returned; the
 * receipt can be made again with ikr_station_receipt.
 */
int ikr_station_sign(ikr_station *s, const ikr_form *f, const ikr_ink *ink, uint64_t now,
                     ikr_signed *out, ikr_err *e);

/* Makes the receipt of record seq again (for a reprint) into text. */
int ikr_station_receipt(ikr_station *s, uint64_t seq, ikr_buf *text, ikr_err *e);

/*
 * Signs a checkpoint of the log as it is now, stores it, and appends the
 * signed note to out.
 */
int ikr_station_checkpoint(ikr_station *s, uint64_t now, ikr_buf *out, ikr_err *e);

/*
 * Closes the event: from now on every signing into this folder, from any
 * process, is refused with IKR_E_EVENT_CLOSED.  Then signs the final
 * checkpoint (appended to out) and stores it.  Closing a closed event only
 * signs the checkpoint again.
 */
int ikr_station_close_event(ikr_station *s, uint64_t now, ikr_buf *out, ikr_err *e);

/*
 * Checks a parsed, signature-checked receipt against this folder's log:
 * the event, the record at r->seq has leaf hash r->leaf, and the tree of
 * size r->seq, recomputed from the records now stored, has root r->root.  IKR_OK or IKR_E_RCPT_EVENT/NOT_IN_LOG/LEAF/ROOT.
 */
int ikr_station_check_receipt(ikr_station *s, const ikr_receipt *r, ikr_err *e);

#endif
