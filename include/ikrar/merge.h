/*
 * merge.h: one event's roster from the bundles of its several kiosks.
 *
 * A merged bundle is a folder holding each kiosk's bundle whole under
 * kiosks/<kiosk name>/, and its own roster.csv (every record of every
 * kiosk: kiosks in name order, each in seq order, numbered 1, 2, 3... in
 * the No column) and duplicates.csv (each NIP that signed more than once,
 * on one kiosk or several, with where and when).  Everything merged is
 * derived from the kiosks' audited records, never from their CSVs.
 */
#ifndef IKRAR_MERGE_H
#define IKRAR_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define IKR_MERGE_KIOSKS "kiosks"
#define IKR_MERGE_DUPLICATES "duplicates.csv"
#define IKR_MERGE_MAX_BUNDLES 64

typedef struct ikr_merge_stats {
    size_t kiosks;
    uint64_t records;
    uint64_t duplicate_nips;   /* NIPs that signed more than once */
} ikr_merge_stats;

/*
 * Merges the n bundles at paths into the folder out (which must not exist),
 * building it beside out and renaming it into place when whole.  Each
 * bundle is copied, then its copy audited (ikr_audit_bundle) with threads
 * threads: a broken bundle is refused with the audit's finding, its path on
 * e->detail; so is a bundle of another event (IKR_E_MERGE_EVENT) or a
 * second bundle of one kiosk (IKR_E_MERGE_KIOSK).  sep is the CSV separator
 * (',' or ';').  st may be NULL.
 */
int ikr_merge(const char *out, const char *const *paths, size_t n, char sep, int threads,
              ikr_merge_stats *st, ikr_err *e);

/* 1 when dir is a merged bundle (it has a kiosks/ folder). */
int ikr_merge_is_merged(const char *dir);

/*
 * Audits the merged bundle dir: every kiosk's bundle under kiosks/, one
 * event for all, roster.csv against every record, and duplicates.csv
 * against the NIPs that signed more than once.  With trusted (ntrusted
 * keys), every kiosk's key must be one of them (IKR_E_AUDIT_KEY).
 * *records and *kiosks say how many were checked.
 */
struct ikr_vkey;
int ikr_merge_audit(const char *dir, int threads, const struct ikr_vkey *trusted, size_t ntrusted,
                    uint64_t *records, size_t *kiosks, ikr_err *e);

#endif
