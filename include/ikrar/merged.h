/*
 * merged.h: the merged roster bundle, one event's kiosks in one folder, as
 * an auditor reads it.
 *
 * A merged bundle is a folder holding each kiosk's bundle whole under
 * kiosks/<kiosk name>/, and its own roster.csv (every record of every
 * kiosk: kiosks in name order, each in seq order, numbered 1, 2, 3... in
 * the No column) and duplicates.csv (each NIP that signed more than once,
 * on one kiosk or several, with where and when).  Everything merged is
 * derived from the kiosks' audited records, never from their CSVs.
 *
 * Auditing one is the core's, so that verifying links nothing that prints
 * or draws; writing one is merge.h's (src/export).  The passes over the
 * kiosks' records that both need are declared here, so that what the
 * writer writes and what the auditor expects come from one code.
 */
#ifndef IKRAR_MERGED_H
#define IKRAR_MERGED_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "limits.h"
#include "record.h"

#define IKR_MERGED_KIOSKS "kiosks"
#define IKR_MERGED_DUPLICATES "duplicates.csv"
#define IKR_MERGED_MAX_KIOSKS 64
#define IKR_MERGED_MAX_PATH 1200 /* bytes of a kiosk's folder name, with its parents */

/* 1 when dir is a merged bundle (it has a kiosks/ folder), else 0. */
int ikr_merged_is_bundle(const char *dir);

/*
 * Audits the merged bundle dir: every kiosk's bundle under kiosks/, one
 * event for all, roster.csv against every record, and duplicates.csv
 * against the NIPs that signed more than once.  With trusted (ntrusted
 * keys), every kiosk's key must be one of them (IKR_E_AUDIT_KEY).
 * *records and *kiosks say how many were checked.
 */
struct ikr_vkey;
int ikr_merged_audit(const char *dir, int threads, const struct ikr_vkey *trusted, size_t ntrusted,
                     uint64_t *records, size_t *kiosks, ikr_err *e);

/* ---- what writing a merged bundle shares with auditing one ---- */

/* One kiosk of a merged bundle. */
typedef struct ikr_merged_kiosk {
    char name[IKR_MAX_ORIGIN + 1];
    char dir[IKR_MERGED_MAX_PATH]; /* its bundle under kiosks/ */
    int zone;                      /* the zone its event.json names, in minutes east of UTC */
} ikr_merged_kiosk;

/*
 * Lists dir's kiosks/ into *ks (allocated; the caller frees it; *nk of them,
 * in readdir's order, *nk 0 on entry).  Entries starting with '.' are
 * skipped (a copy's .DS_Store); merge names every other folder after its
 * kiosk, so any other name was put there by hand and is refused
 * (IKR_E_MERGE_KIOSK) before it is ever printed raw.
 */
int ikr_merged_list_kiosks(const char *dir, ikr_merged_kiosk **ks, size_t *nk, ikr_err *e);

/* Puts ks in name order: the order of kiosks/ and of the merged roster alike. */
void ikr_merged_sort(ikr_merged_kiosk *ks, size_t nk);

/*
 * Checks that the audited kiosks agree on one event (events[i] is what
 * kiosk i's audit found, "" for an empty bundle: IKR_E_MERGE_EVENT naming
 * from[i]) and are each there once (IKR_E_MERGE_KIOSK).
 */
int ikr_merged_one_event(const ikr_merged_kiosk *ks, size_t nk,
                         char (*events)[IKR_MAX_EVENT_ID + 1], const char *const *from, ikr_err *e);

/* Called for record c of kiosk k, whose line starts at off in its records.jsonl. */
typedef int (*ikr_merged_record_fn)(void *ctx, size_t k, const ikr_claims *c, uint64_t off,
                                    ikr_err *e);

/*
 * Calls fn for every record of every kiosk, kiosks in order, each in seq
 * order, stopping at fn's first error.  The records are decoded but not
 * verified again: the kiosks' audits did that.
 */
int ikr_merged_each_record(const ikr_merged_kiosk *ks, size_t nk, ikr_merged_record_fn fn,
                           void *ctx, ikr_err *e);

/* Where a NIP signed: for duplicates.csv. */
typedef struct ikr_merged_nip {
    uint64_t nip; /* the NIP as a number */
    uint64_t seq, t;
    uint32_t kiosk;
} ikr_merged_nip;

typedef struct ikr_merged_nips {
    ikr_merged_nip *v;
    size_t n, cap;
} ikr_merged_nips;

void ikr_merged_nips_init(ikr_merged_nips *l);
void ikr_merged_nips_free(ikr_merged_nips *l);
/* Notes where record c of kiosk k signed, if it has a NIP. */
int ikr_merged_nips_add(ikr_merged_nips *l, size_t k, const ikr_claims *c, ikr_err *e);

/*
 * Appends duplicates.csv for the NIPs noted in l (which it sorts) to out: a
 * header, then per NIP that signed more than once its NIP, the name it
 * first signed with, its count, and every place and time.  *ndup is how
 * many NIPs signed more than once.  sep is the CSV separator.
 */
int ikr_merged_duplicates_csv(ikr_buf *out, const ikr_merged_kiosk *ks, size_t nk,
                              ikr_merged_nips *l, char sep, uint64_t *ndup, ikr_err *e);

#endif
