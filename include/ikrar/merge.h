/*
 * merge.h: one event's roster from the bundles of its several kiosks.
 *
 * Writing a merged bundle (its layout and its audit: merged.h, in the
 * core) needs the PDF's drawing, so it lives in export, which auditors
 * never link.
 */
#ifndef IKRAR_MERGE_H
#define IKRAR_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "merged.h"

#define IKR_MERGE_MAX_BUNDLES IKR_MERGED_MAX_KIOSKS /* one bundle a kiosk */

typedef struct ikr_merge_stats {
    size_t kiosks;
    uint64_t records;
    uint64_t duplicate_nips; /* NIPs that signed more than once */
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

/*
 * Who the merge trusts: called with each kiosk's copied bundle folder once
 * its audit passed, it returns IKR_OK or refuses the kiosk (its error, with
 * the bundle's path put before its detail, fails the merge).  The caller's
 * check against the event trust list or an auditor's key file (trust.h).
 */
typedef int (*ikr_merge_check_fn)(void *ctx, const char *dir, ikr_err *e);
/* ikr_merge with check (NULL: every bundle's own key is taken as it is). */
int ikr_merge_checked(const char *out, const char *const *paths, size_t n, char sep, int threads,
                      ikr_merge_check_fn check, void *check_ctx, ikr_merge_stats *st, ikr_err *e);

#endif
