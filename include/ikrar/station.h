/*
 * station.h: a kiosk's data folder and the one path that signs.
 *
 * A data folder holds `ikrar.db` (the log, see log.h), `kiosk.key` (the
 * Ed25519 private key, 0600, PKCS#8, encrypted when a passphrase was given)
 * and `verifier.key` (the public verifier key, one line).  The event's
 * settings live in the database.  ikr_station_sign is what both `ikrar
 * sign` and the kiosk's confirm button call: validate, build and sign the
 * record, append it durably, and only then make the receipt.
 *
 * The station is opaque: no caller sees its log, key or folder fields.
 * What they need is a function here (the event as an ikr_event_info, the
 * reads the kiosk makes, the roster, settings, the PIN, the printed mark),
 * so which opens may write, and inside which transaction, is decided in
 * station.c alone.  A folder opened IKR_OPEN_VERIFY is never written.
 */
#ifndef IKRAR_STATION_H
#define IKRAR_STATION_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "event.h"
#include "ink.h"
#include "key.h"
#include "limits.h"
#include "log.h"
#include "receipt.h"
#include "record.h"
#include "roster.h"

#define IKR_DB_FILE "ikrar.db"
#define IKR_KEY_FILE "kiosk.key"
#define IKR_VKEY_FILE "verifier.key"
/*
 * The log's head outside the database: a checkpoint (note.h) of the log's
 * size and root signed by the kiosk key, replaced atomically after each
 * commit and each checkpoint, before anything is acknowledged.  Written
 * last by init, it also marks a folder complete.
 */
#define IKR_HEAD_FILE "head.txt"

/* The station of one data folder: opaque, see station.c. */
typedef struct ikr_station ikr_station;

/* How to open a folder. */
enum {
    IKR_OPEN_SIGN = 0,          /* load the private key: sign, checkpoint */
    IKR_OPEN_VERIFY = 1,        /* public key only, database read-only and never migrated:
                                   verify, audit, stats */
    IKR_OPEN_ADMIN = 2,         /* public key only, database read-write (an older schema is
                                   migrated): roster import, purge-ink */
    IKR_OPEN_SIGN_READONLY = 3, /* the private key, database read-only: `ikrar checkpoint`
                                   on a copy that cannot be written, checked as
                                   ikr_station_head_check does; checkpoints are signed
                                   and returned, never stored */
};

/*
 * 1 when name is a kiosk name: 1..64 characters of A-Z a-z 0-9 . _ -, not
 * starting with a dot (a merged bundle keeps each kiosk in a folder of its name).
 * The one rule: init, merge, audit and verify all ask this.
 */
int ikr_kiosk_name_ok(const char *name);

/*
 * Creates a data folder (making dir if needed; refusing one that already
 * holds a kiosk with IKR_E_EXISTS) and appends the verifier key to vkey.
 * An existing folder that group or others may write is refused
 * (IKR_E_DATA_PERMS), as ikr_station_open would refuse it afterwards.
 * Nothing is left behind on failure.
 */
int ikr_station_create(const char *dir, const ikr_station_cfg *cfg, ikr_buf *vkey, ikr_err *e);

/*
 * Opens a data folder; caller closes with ikr_station_close.  To sign or
 * change settings (IKR_OPEN_SIGN, IKR_OPEN_ADMIN) the folder must not be
 * writable by group or others (IKR_E_DATA_PERMS), and the key is read as
 * ikr_key_load says (a regular file others cannot write).  Opened
 * IKR_OPEN_SIGN, the log is checked before anything can be signed (see
 * ikr_station_head_check) and, when the database holds records the head
 * file does not name yet (a crash between COMMIT and the head's write, or a
 * folder made before the head was kept), those are checked and the head is
 * brought forward.
 */
int ikr_station_open(ikr_station **out, const char *dir, int how, const char *passphrase,
                     ikr_err *e);
/* Accepts NULL. */
void ikr_station_close(ikr_station *s);

/*
 * The check an open for signing makes, read-only (for `ikrar audit` of a
 * data folder): the settings agree, SQLite's quick_check passes, record 1
 * signed this declaration, the first and last records are signed by this
 * kiosk under their numbers and match their stored leaves, and the head
 * file, when there is one, is signed by this kiosk and names no more
 * records than the database holds (else IKR_E_LOG_ROLLBACK, detail: both
 * sizes) and the same root at its size.  A head file missing while the
 * database says there was one, and every other failure, is
 * IKR_E_LOG_DAMAGED with what is wrong as the detail.
 */
int ikr_station_head_check(ikr_station *s, ikr_err *e);

/*
 * How the log was opened (log.h's IKR_LOG_*): IKR_LOG_WAL_COPY tells the
 * caller to say that a read-only copy's write-ahead file was read through a
 * temporary copy.
 */
int ikr_station_log_how(const ikr_station *s);

/* Appends the verifier key line (no newline) to out. */
int ikr_station_vkey(const ikr_station *s, ikr_buf *out);
/* The root of the log's first m records (m at most its size). */
int ikr_station_root(ikr_station *s, uint64_t m, uint8_t root[IKR_HASH_LEN], ikr_err *e);

/*
 * Validates and normalises a form at time now into who.  Returns IKR_OK or
 * the first refusal (IKR_E_NAME_*, IKR_E_STATUS, IKR_E_NIP_*, ...).  The
 * duplicate NIP check needs the log and is done by ikr_station_sign.
 */
int ikr_form_check(const ikr_form *f, uint64_t now, ikr_signer *who, ikr_err *e);

/* The typed text fields of a form, in the order ikr_form_changes reports them. */
enum { IKR_FORM_NAME, IKR_FORM_POS, IKR_FORM_UNIT, IKR_FORM_TEXT_FIELDS };

/*
 * What the text rule (ikr_text_clean) changes in each text field of f:
 * IKR_TEXT_* bits into changed[IKR_FORM_*], 0 for a field that is absent,
 * unchanged or refused.  Returns the bits of all fields together, so that a
 * caller can say "invisible characters were removed from the name".
 */
unsigned ikr_form_changes(const ikr_form *f, unsigned changed[IKR_FORM_TEXT_FIELDS]);

/*
 * The clock check a signing makes first, before the form: IKR_OK when now
 * is at or after the event's set-up, at or after the last record's time,
 * and no more than the event's max gap after the later of the two;
 * otherwise IKR_E_CLOCK_BEFORE_INIT, IKR_E_CLOCK_BEFORE_LAST (seq: the last
 * record) or IKR_E_CLOCK_GAP (detail: the gap, e.g. "7d"), with e->when =
 * now, e->limit the time broken and e->zone_min the event's zone.  The kiosk
 * calls it before ikr_form_check so a wrong clock is named before any NIP
 * date check; ikr_station_sign calls it again under the write lock.
 */
int ikr_station_clock_check(ikr_station *s, uint64_t now, ikr_err *e);

/*
 * The event's max gap in seconds (IKR_MAX_GAP_DEFAULT for folders made
 * before it was kept), and setting it (`ikrar init --max-gap`, a folder
 * opened IKR_OPEN_ADMIN): IKR_E_MAX_GAP when outside IKR_MAX_GAP_MIN..MAX.
 */
int64_t ikr_station_max_gap(const ikr_station *s);
/*
 * The event's "read together" setting: the declaration was read aloud by
 * all before signing, so the kiosk's agree button works before the text
 * was scrolled to its end (the text is still shown, and hashed, in full).
 */
int ikr_station_read_together(const ikr_station *s);
int ikr_station_set_read_together(ikr_station *s, int on, ikr_err *e);
int ikr_station_set_max_gap(ikr_station *s, int64_t secs, ikr_err *e);

/*
 * Signs: checks the clock (ikr_station_clock_check), the form and the ink, refuses a NIP that
 * already signed (IKR_E_NIP_DUPLICATE with its seq and time on e), appends the record and its ink
 * in one durable transaction, replaces the head file, then makes the receipt into out.  On any
 * failure before the commit, nothing is written.  When the commit itself fails with a write or
 * sync error (IKR_E_COMMIT_UNKNOWN, out->seq 0) the record may or may not be stored: no receipt
 * is made, and the next signing first reopens the log and reconciles it with the head.  If the
 * receipt cannot be made after the commit, out->seq is set and the code returned; the receipt can
 * be made again with ikr_station_receipt.
 */
int ikr_station_sign(ikr_station *s, const ikr_form *f, const ikr_ink *ink, uint64_t now,
                     ikr_signed *out, ikr_err *e);

/* Makes the receipt of record seq again (for a reprint) into text. */
int ikr_station_receipt(ikr_station *s, uint64_t seq, ikr_buf *text, ikr_err *e);

/*
 * Signs a checkpoint of the log as it is now, stores it, and appends the
 * signed note to out.  Opened IKR_OPEN_SIGN_READONLY, nothing is stored.
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
 * size r->seq, recomputed from the records now stored, has root r->root.  IKR_OK or
 * IKR_E_RCPT_EVENT/NOT_IN_LOG/LEAF/ROOT.
 */
int ikr_station_check_receipt(ikr_station *s, const ikr_receipt *r, ikr_err *e);

/* ------------------------------------------------------------------
 * What callers may see and do.  The store (log.h), the key and the folder
 * stay inside the station: the kiosk, the commands, printing and the bench
 * go through these functions, so the rules about the database (read-only
 * opens never write, the transactions a signing needs) live in one place.
 */

/* The event as read at open (event.h); valid until ikr_station_close. */
const ikr_event_info *ikr_station_event(const ikr_station *s);
/* The data folder's path, for files kept beside the log (logo.png, exports/). */
const char *ikr_station_dir(const ikr_station *s);
/*
 * The key object: the signing key, or only the public key when opened
 * without it.  For verifying and for the bench's timings; its bytes never
 * leave key.c.
 */
const ikr_key *ikr_station_key(const ikr_station *s);
/* 1 when the event was closed (seen at open, by a closing, or by a refused signing). */
int ikr_station_closed(const ikr_station *s);

/*
 * The consistency proof from size m to size n of s's log (0 < m <= n <= its
 * size; m == n gives none), read in one snapshot from the stored subtrees,
 * into proof (at most max hashes, *len of them).  Works on a folder opened
 * IKR_OPEN_VERIFY.  IKR_E_INTERNAL when m, n are out of range.
 */
int ikr_station_consistency(ikr_station *s, uint64_t m, uint64_t n, uint8_t proof[][IKR_HASH_LEN],
                            size_t max, size_t *len, ikr_err *e);

/* Number of records. */
int ikr_station_size(ikr_station *s, uint64_t *n, ikr_err *e);
/* The record a NIP signed: 0 and its seq and time, 1 when none, or an IKR_E_* code. */
int ikr_station_find_nip(ikr_station *s, const char *nip, uint64_t *seq, uint64_t *t, ikr_err *e);
/* Reads record seq into row (see ikr_log_get). */
int ikr_station_get(ikr_station *s, uint64_t seq, ikr_log_row *row, ikr_err *e);
/* Reads records after seq `after` in batches (see ikr_log_scan). */
int ikr_station_scan(ikr_station *s, uint64_t after, ikr_log_row *rows, size_t max,
                     size_t max_bytes, size_t *got, ikr_err *e);

/* The roster (roster.h) of this folder: import replaces it; the rest read it. */
int ikr_station_roster_import(ikr_station *s, const uint8_t *p, size_t n, uint64_t now,
                              int skip_invalid, void (*issue)(void *ctx, const ikr_roster_issue *i),
                              void *ctx, ikr_roster_count *c, ikr_err *e);
int ikr_station_roster_find(ikr_station *s, const char *nip, ikr_roster_entry *out, ikr_err *e);
/* 1 when this folder has a roster to find signers in (an indexed look, not a count). */
int ikr_station_roster_any(ikr_station *s);
int ikr_station_roster_search(ikr_station *s, const char *query, ikr_roster_hit *out, size_t max,
                              size_t *n, int *more, ikr_err *e);
int ikr_station_roster_stats(ikr_station *s, ikr_roster_unit *units, size_t max,
                             ikr_roster_totals *st, ikr_err *e);
int ikr_station_roster_missing(ikr_station *s, int (*fn)(void *ctx, const ikr_roster_entry *r),
                               void *ctx, ikr_err *e);

/* Records whose ink is still stored, and deleting them all (see ikr_log_purge_ink). */
int ikr_station_ink_count(ikr_station *s, uint64_t *n, ikr_err *e);
int ikr_station_purge_ink(ikr_station *s, uint64_t *purged, ikr_err *e);

/*
 * The default printer URI (`ikrar init --printer`), copied into out
 * (NUL-terminated; empty when none was set).  set stores a new one.
 */
int ikr_station_printer(ikr_station *s, ikr_buf *out, ikr_err *e);
int ikr_station_set_printer(ikr_station *s, const char *uri, ikr_err *e);
/*
 * Marks record seq's receipt printed (ok 1) or waiting for a reprint (ok
 * 0).  Printing itself (printer.h) never writes the log: whoever knows the
 * print's result calls this.
 */
int ikr_station_mark_printed(ikr_station *s, uint64_t seq, int ok, ikr_err *e);

/*
 * The admin PIN.  pin_check: IKR_OK when pin is the one set at init,
 * IKR_E_PIN_WRONG otherwise (also when none can be read).  A PIN pad locked
 * after too many wrong tries stays locked across restarts: pin_lock stores
 * until when (Unix time), pin_locked_until reads it back (0 when none).
 */
int ikr_station_pin_check(ikr_station *s, const char *pin);
int ikr_station_pin_lock(ikr_station *s, int64_t until, ikr_err *e);
int64_t ikr_station_pin_locked_until(ikr_station *s);
/*
 * One try at the admin PIN pad at time now (Unix seconds).  The right PIN:
 * IKR_OK, and the count of wrong ones starts again.  A wrong one:
 * IKR_E_PIN_WRONG, counted in the log before the answer, so restarting the
 * kiosk resets nothing; the IKR_PIN_TRIES-th locks the pad for
 * IKR_PIN_LOCK_S seconds (stored as pin_lock does, and in *locked_until,
 * else 0) and the count starts again.  *fails: the wrong PINs counted now.
 * The caller keeps the pad shut while locked, from pin_locked_until at its
 * start and *locked_until after a try, as the kiosk does on its own clock.
 * pin_fails reads the count back.
 */
int ikr_station_pin_try(ikr_station *s, const char *pin, int64_t now, int *fails,
                        int64_t *locked_until, ikr_err *e);
int ikr_station_pin_fails(ikr_station *s);

/*
 * Closes the event (ikr_station_close_event) and saves its final
 * checkpoint in the data folder as checkpoint-final-SIZE.txt.  note gets
 * the signed note, path (cap bytes) the file's path and *size the
 * checkpoint's size.  When the event was closed but the file could not be
 * written, note, path and size are still set and IKR_E_IO is returned;
 * when closing failed, note is left empty.
 */
int ikr_station_close_event_save(ikr_station *s, uint64_t now, ikr_buf *note, char *path,
                                 size_t cap, uint64_t *size, ikr_err *e);

/* For `ikrar bench` alone: see ikr_log_unsynced_for_bench.  Never for an event. */
int ikr_station_unsynced_for_bench(ikr_station *s, ikr_err *e);

/*
 * The log itself, for the code in src/core and src/export that streams it
 * in batches inside one read snapshot (the audit, the bundle writer): they
 * only read through it.  Nothing under src/kiosk, src/cli, src/print or
 * src/bench calls this; they use the functions above.
 */
ikr_log *ikr_station_log(ikr_station *s);

#endif
