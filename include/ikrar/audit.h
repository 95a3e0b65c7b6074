/*
 * audit.h: re-checking a kiosk's whole log from its data folder.
 *
 * Every record's COSE_Sign1 and signature, its claims against the event,
 * its seq and the columns beside it, its leaf hash, its ink against inkh;
 * the Merkle tree recomputed and compared with every stored subtree; every
 * stored checkpoint's signature and root.  Records are streamed in batches
 * and their signatures checked on several threads, so memory stays bounded
 * whatever the log's size.
 */
#ifndef IKRAR_AUDIT_H
#define IKRAR_AUDIT_H

#include <stdint.h>

#include "err.h"
#include "station.h"

#define IKR_AUDIT_BATCH 1024             /* records read at a time */
#define IKR_AUDIT_BATCH_BYTES (8u << 20) /* bytes of COSE and ink read at a time */
#define IKR_AUDIT_MAX_THREADS 64
#define IKR_AUDIT_BACKWARDS_MAX 16      /* seqs of backward times a report lists */
#define IKR_AUDIT_SLOT_KEEP (64u << 10) /* bytes a batch slot may keep between batches */

typedef struct ikr_audit_report {
    uint64_t records;
    uint64_t inks; /* records whose ink is still kept */
    uint64_t checkpoints;
    uint8_t root[32];                 /* the recomputed root of the whole log */
    char event[IKR_MAX_EVENT_ID + 1]; /* the event its records are of ("" for an empty bundle) */
    /*
     * Records signed at an earlier time than the record before them: the
     * clock went back.  Still valid signatures, so a warning, not a failure:
     * how many, and the first IKR_AUDIT_BACKWARDS_MAX of their seqs.
     */
    uint64_t backwards;
    uint64_t backwards_seq[IKR_AUDIT_BACKWARDS_MAX];
} ikr_audit_report;

/*
 * Audits s with `threads` threads (0: one per core).  Returns IKR_OK when
 * everything checks, otherwise the first problem in seq order as an
 * IKR_E_AUDIT_* code with its seq on e.
 */
int ikr_audit_station(ikr_station *s, int threads, ikr_audit_report *rep, ikr_err *e);

/*
 * Audits the roster bundle in folder dir (bundle.h) as an outside auditor
 * would, trusting nothing but the bundle's verifier key (which the caller
 * compares with the one it holds): the checkpoint's signature; each
 * record's COSE_Sign1, signature, seq, event and declaration; the readable
 * copies in records.jsonl against the signed claims; ink against inkh; no
 * NIP twice; the Merkle root against the checkpoint; and roster.csv row for
 * row, column for column, against the records.  The first problem in seq
 * order is returned with the record on e->seq and the line or column on
 * e->detail.
 */
int ikr_audit_bundle(const char *dir, int threads, ikr_audit_report *rep, ikr_err *e);

#endif
