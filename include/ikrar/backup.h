/*
 * backup.h: a consistent copy of a data folder, made while the kiosk signs.
 *
 * ikr_backup copies the log with SQLite's online backup API from one read
 * snapshot (never a file copy of a live database), copies verifier.key, and
 * copies kiosk.key only when a passphrase is given, encrypted with it.  The
 * copy is built in "<dest>.partial-<pid>", synced, opened read-only and
 * audited exactly as `ikrar audit` does, and only then renamed to dest: a
 * folder named dest is always complete and audited.  dest is never
 * overwritten, and the source folder is only read.
 */
#ifndef IKRAR_BACKUP_H
#define IKRAR_BACKUP_H

#include <stdint.h>

#include "audit.h"
#include "err.h"

typedef struct ikr_backup_opts {
    const char *pass; /* encrypt kiosk.key into the copy with this; NULL: the key stays behind */
    const char *key_pass; /* the source kiosk.key's passphrase when it is encrypted, else NULL */
    int threads;          /* the audit's threads (0: one per core) */
    /*
     * Called with the fraction done (0..1), from the thread that called
     * ikr_backup; may be NULL.  The copy is the first 0.8, the audit the rest.
     */
    void (*progress)(void *ctx, double frac);
    void *ctx;
} ikr_backup_opts;

typedef struct ikr_backup_report {
    uint64_t records;       /* records in the copy (as the audit counted them) */
    uint64_t bytes;         /* bytes of the files written */
    int key_copied;         /* 1 when kiosk.key was copied (encrypted) */
    uint64_t copy_us;       /* microseconds of the database copy (the backup API) */
    uint64_t audit_us;      /* microseconds of the audit of the copy */
    ikr_audit_report audit; /* what the audit found */
} ikr_backup_report;

/*
 * Backs up the data folder src into the new folder dest.  Failures:
 * IKR_E_BACKUP_EXISTS (dest exists), IKR_E_NOKIOSK (src is no data folder),
 * IKR_E_KEY_PASSPHRASE (the source key is encrypted and key_pass is wrong
 * or absent), IKR_E_DISK_FULL, IKR_E_READONLY, IKR_E_IO (dest cannot be
 * written), or the audit's IKR_E_AUDIT_* code.  On any failure nothing is
 * left at dest and src is as it was.  Writes the oplog line "backup".
 */
int ikr_backup(const char *src, const char *dest, const ikr_backup_opts *o, ikr_backup_report *rep,
               ikr_err *e);

#endif
