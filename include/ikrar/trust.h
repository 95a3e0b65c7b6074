/*
 * trust.h: an event's trust list (docs/formats.md, "The event trust list").
 *
 * The organiser of an event holds an event key (named "ikrar-event/<event>")
 * and signs, as a C2SP signed note, the verifier keys of the event's kiosks
 * and the times from which a lost or stolen kiosk is no longer trusted:
 *
 *     ikrar trust list v1
 *     event <event id>
 *     key <the event key's verifier key line>
 *     serial <n>
 *     kiosk <verifier key line>             (zero or more, origins in byte order)
 *     revoked <kiosk origin> <unix time>    (zero or more, origins in byte order)
 *
 * ikr_trust_parse reads untrusted bytes, is strict (exactly this grammar, no
 * duplicates, bounded counts and lengths, every kiosk of the list's own
 * event) and is a fuzz target.  The note must be signed by the key it names
 * on its `key` line: that only proves the list is whole; who holds that key
 * is what a reader pins (the kiosk pins the first list it installs, an
 * auditor compares the key `ikrar audit` prints with the organiser's).
 */
#ifndef IKRAR_TRUST_H
#define IKRAR_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "key.h"
#include "limits.h"
#include "note.h"

#define IKR_TRUST_HEADER "ikrar trust list v1"
#define IKR_TRUST_KEY_PREFIX "ikrar-event/" /* the event key's name: this and the event id */
#define IKR_TRUST_MAX_KIOSKS 64             /* kiosk lines in one list (a merge's most) */
#define IKR_TRUST_MAX_NOTE IKR_MAX_NOTE     /* bytes of a whole signed list */
#define IKR_TRUST_FILE "trust.txt"          /* the installed list, in a data folder */

typedef struct ikr_trust_kiosk {
    ikr_vkey key;          /* its name is the kiosk's log origin, ikrar/<event>/<kiosk> */
    int revoked;           /* 1: records and receipts at or after revoked_from are untrusted */
    uint64_t revoked_from; /* Unix time */
} ikr_trust_kiosk;

typedef struct ikr_trust {
    char event[IKR_MAX_EVENT_ID + 1];
    ikr_vkey event_key;
    uint64_t serial; /* 1 for a new list; one more with each change */
    size_t n;
    ikr_trust_kiosk k[IKR_TRUST_MAX_KIOSKS]; /* in byte order of their origins */
} ikr_trust;

/*
 * Parses and verifies the signed list note[0..n) into t: IKR_OK, or
 * IKR_E_TRUST_LIST with what is wrong on e->detail.  Untrusted bytes.
 */
int ikr_trust_parse(ikr_trust *t, const char *note, size_t n, ikr_err *e);
/*
 * The grammar alone: parses the text of note[0..n) into t and sets
 * *text_len to the length of the signed text, WITHOUT checking the
 * signature.  For the fuzz target and tests; never trust what it returns.
 */
int ikr_trust_parse_text(ikr_trust *t, const char *note, size_t n, size_t *text_len, ikr_err *e);

/* A new, empty list (serial 1) of event under the event key k. */
int ikr_trust_new(ikr_trust *t, const char *event, const ikr_key *k, ikr_err *e);
/* Appends t's body (the text that is signed) to out. */
int ikr_trust_body(ikr_buf *out, const ikr_trust *t);
/* Appends t signed by k (which must be t's event key) to out; refuses more than fits a note. */
int ikr_trust_sign(ikr_buf *out, const ikr_trust *t, const ikr_key *k, ikr_err *e);

/*
 * Adds a kiosk's key: its name must be ikrar/<t's event>/<kiosk>
 * (IKR_E_TRUST_KIOSK), and a kiosk of that name must not be listed yet
 * (IKR_E_TRUST_KIOSK; the same key again is IKR_E_TRUST_SAME).  Does not
 * change the serial: the caller does when it signs the change.
 */
int ikr_trust_add(ikr_trust *t, const ikr_vkey *k, ikr_err *e);
/* Revokes the listed kiosk named kiosk (its name or its whole origin) from time from. */
int ikr_trust_revoke(ikr_trust *t, const char *kiosk, uint64_t from, ikr_err *e);

/* The listed kiosk whose name and public key are k's, or NULL. */
const ikr_trust_kiosk *ikr_trust_find(const ikr_trust *t, const ikr_vkey *k);
/*
 * Whether something signed by k at time `when` is trusted: IKR_OK;
 * IKR_E_TRUST_UNKNOWN (the key is not on the list, its name on the detail);
 * IKR_E_TRUST_REVOKED (the kiosk is revoked from e->when, which is at or
 * before `when`).
 */
int ikr_trust_check(const ikr_trust *t, const ikr_vkey *k, uint64_t when, ikr_err *e);

/*
 * Checks a roster bundle folder against t (a kiosk's bundle, or a merged
 * bundle: every kiosk under kiosks/): each bundle's key must be listed, and
 * a revoked kiosk's bundle must hold no record at or after its revocation
 * (the record's signed time).  Call it on a bundle that has been audited:
 * records are decoded, not verified again.
 */
int ikr_trust_check_bundle(const ikr_trust *t, const char *dir, ikr_err *e);

/*
 * Checks an opened data folder against t: its key must be listed, and a
 * revoked kiosk's log must hold no record at or after its revocation.  Call
 * it on a log that has been audited (it reads the records' time columns).
 */
struct ikr_station;
int ikr_trust_check_station(const ikr_trust *t, struct ikr_station *s, ikr_err *e);

/*
 * Reads and parses the trust list file at path (at most IKR_TRUST_MAX_NOTE
 * bytes): IKR_E_TRUST_LIST for a file that is not one, IKR_E_IO when it
 * cannot be read.
 */
int ikr_trust_load(ikr_trust *t, const char *path, ikr_err *e);

/*
 * The list installed in a data folder: *present 0 when it has none (and
 * IKR_OK), else 1 with t filled.
 */
int ikr_trust_load_dir(ikr_trust *t, const char *dir, int *present, ikr_err *e);

/*
 * Installs the signed list note[0..n) in data folder dir, whose kiosk key
 * is own.  The first list must list own (IKR_E_TRUST_UNKNOWN) and pins its
 * event key; a later one must have the same event key and a higher serial
 * (IKR_E_TRUST_PIN; the very same list again is done, nothing written).
 * Written whole or not at all, mode 0644 (a list is public; the kiosk's user
 * must read it whoever installed it); t (may be NULL) gets the list.
 */
int ikr_trust_install(const char *dir, const char *note, size_t n, const ikr_vkey *own,
                      ikr_trust *t, ikr_err *e);

#endif
