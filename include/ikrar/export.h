/*
 * export.h: writing the roster bundle (bundle.h reads it) from a kiosk's log.
 */
#ifndef IKRAR_EXPORT_H
#define IKRAR_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"

struct ikr_station;

/* What an export is asked for. */
typedef struct ikr_bundle_opts {
    char csv_sep; /* ',' (0 means this) or ';' for Indonesian Excel */
    int no_pdf;   /* 1: leave roster.pdf out (the bench times it apart) */
} ikr_bundle_opts;

typedef struct ikr_bundle_stats {
    uint64_t records;
    uint64_t inks;  /* records whose ink was written */
    uint64_t bytes; /* bytes of records.jsonl */
    uint8_t root[IKR_HASH_LEN];
} ikr_bundle_stats;

/*
 * Writes the bundle of s (opened with its signing key) into the folder out,
 * which must not exist yet: a checkpoint signed now (stored in the log too)
 * and the records up to its size, in records.jsonl and roster.csv, and
 * roster.pdf (roster_pdf.h: the records by unit, with the expected signers
 * of an imported roster when there is one).  o may be NULL.  The bundle is built in a hidden folder
 * beside out and renamed into place when whole, so a bundle that exists is
 * complete; its folder is 0700 and its files 0600 (they hold personal data).
 * The records' hashes are recomputed on the way and must give the
 * checkpoint's root.  st may be NULL.
 */
int ikr_bundle_export(struct ikr_station *s, const char *out, const ikr_bundle_opts *o,
                      uint64_t now, ikr_bundle_stats *st, ikr_err *e);

/*
 * Takes the ink out of the bundle in dir that this kiosk (s) wrote, after
 * ikr_station_purge_ink: records.jsonl and roster.pdf (when the bundle has
 * one) are written again from the log, up to the bundle's own checkpoint,
 * whose root the records must give again, and each replaces the old file by
 * a rename.  checkpoint, verifier.key, roster.csv and the rest are left as
 * they were, so the bundle audits as before, only without ink.  A folder
 * that is not a bundle of this kiosk is left alone: IKR_E_BUNDLE_FILE or
 * IKR_E_BUNDLE_CHECKPOINT (from ikr_bundle_open, or naming it not ours).
 */
int ikr_bundle_purge_ink(struct ikr_station *s, const char *dir, uint64_t now, ikr_err *e);

/*
 * A file of a bundle being written: dir/name is created 0600 and must not
 * exist; a full disk is IKR_E_DISK_FULL.  Close syncs it and keeps the
 * first failure: rc is returned unless closing fails where rc was IKR_OK.
 */
typedef struct ikr_bundle_file {
    int fd;
    char path[1200];
} ikr_bundle_file;

int ikr_bundle_file_open(ikr_bundle_file *f, const char *dir, const char *name, ikr_err *e);
int ikr_bundle_file_write(ikr_bundle_file *f, const void *p, size_t n, ikr_err *e);
int ikr_bundle_file_close(ikr_bundle_file *f, int rc, ikr_err *e);
/* The three at once: dir/name holding p[0..n), synced. */
int ikr_bundle_file_new(const char *dir, const char *name, const void *p, size_t n, ikr_err *e);

/*
 * Renames the finished bundle folder tmp to out, durably: the folder is
 * synced before, its parent after.  out must not exist (IKR_E_BUNDLE_EXISTS).
 * Export and merge both end this way, so a bundle that exists is whole.
 */
int ikr_bundle_publish(const char *tmp, const char *out, ikr_err *e);

#endif
