/*
 * log.h: the kiosk's tamper-evident log, kept in SQLite.
 *
 * One database file holds the event's settings (meta), the records (their
 * exact COSE_Sign1 bytes, leaf hashes and, for lookups, copies of a few
 * claims), the ink beside each record, the Merkle tree's perfect subtrees
 * (node), and the checkpoints signed so far.  The database is in WAL mode
 * with synchronous=FULL: a record, its ink and the tree nodes it completes
 * are one transaction, and once ikr_log_commit returns they are on disk.
 *
 * Writers take the lock with BEGIN IMMEDIATE and wait up to
 * IKR_BUSY_TIMEOUT_MS for another process's write, so two signers on one
 * folder are serialised and never share a seq.  The schema carries its
 * version in PRAGMA user_version; ikr_log_open migrates an older one,
 * unless opened read-only, which never writes the file.
 */
#ifndef IKRAR_LOG_H
#define IKRAR_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "hash.h"
#include "merkle.h"
#include "record.h"

#define IKR_LOG_SCHEMA 2

typedef struct ikr_log ikr_log;

/* Creates a new database at path (refusing an existing file): IKR_E_EXISTS. */
int ikr_log_create(ikr_log **out, const char *path, ikr_err *e);
/*
 * Opens an existing database; readonly opens it for audit and verify only,
 * and then nothing is ever written beside it either.  Read-only, a database
 * in a folder this process cannot write (a CD, a write-protected stick, a
 * folder of another user) is opened as ikr_log_open_how says.
 */
int ikr_log_open(ikr_log **out, const char *path, int readonly, ikr_err *e);

/* How a log was opened. */
enum {
    IKR_LOG_SHARED,    /* as SQLite opens any database, sharing it with the writers */
    IKR_LOG_IMMUTABLE, /* read-only folder, no write-ahead data, and a read-only file system
                          or no -shm (no kiosk has it open): the file as it is (SQLite's
                          immutable=1), no locks and no -shm needed */
    IKR_LOG_WAL_COPY   /* read-only folder whose ikrar.db-wal holds changes but which has
                          no usable ikrar.db-shm: the database and its write-ahead file were
                          copied into a private temporary folder, read there and removed
                          at close */
};
int ikr_log_open_how(const ikr_log *l);
/* Accepts NULL. */
void ikr_log_close(ikr_log *l);

/* Settings: small named values (event id, title, declaration, PIN hash...). */
int ikr_log_meta_set(ikr_log *l, const char *key, const void *val, size_t n, ikr_err *e);
/* Reads a setting into out (replacing its contents, NUL-terminated); IKR_E_NOKIOSK when absent. */
int ikr_log_meta_get(ikr_log *l, const char *key, ikr_buf *out, ikr_err *e);

/*
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Rollback accepts a log with no transaction.  A COMMIT
 * that fails with a write or sync error returns IKR_E_COMMIT_UNKNOWN (IKR_E_COMMIT_FULL when the
 * disk was full): the transaction may still be found in the WAL when the database is next opened.
 * Wherever a failure was the disk filling up (a page, the write-ahead file, or SQLite's -shm file
 * growing), the code is IKR_E_DISK_FULL.
 */
int ikr_log_begin(ikr_log *l, ikr_err *e);
int ikr_log_commit(ikr_log *l, ikr_err *e);
void ikr_log_rollback(ikr_log *l);

/* SQLite's PRAGMA quick_check: IKR_OK, or IKR_E_LOG_DAMAGED with its first complaint. */
int ikr_log_quick_check(ikr_log *l, ikr_err *e);

/* Number of records. */
int ikr_log_size(ikr_log *l, uint64_t *n, ikr_err *e);

/* Finds the record a NIP signed: 0 and its seq and time, 1 when none. */
int ikr_log_find_nip(ikr_log *l, const char *nip, uint64_t *seq, uint64_t *t, ikr_err *e);

/*
 * Appends record seq (which must be size + 1) inside a transaction: the
 * COSE bytes, their leaf hash, the signer's columns, the ink, and every tree
 * node the leaf completes.  *root gets the root at the new size.
 */
int ikr_log_append(ikr_log *l, uint64_t seq, uint64_t t, const ikr_signer *who, const uint8_t *cose,
                   size_t cose_len, const uint8_t *ink, size_t ink_len, uint8_t leaf[IKR_HASH_LEN],
                   uint8_t root[IKR_HASH_LEN], ikr_err *e);

/* A stored record, as read back. */
typedef struct ikr_log_row {
    uint64_t seq;
    uint64_t t;
    ikr_signer who;
    uint8_t leaf[IKR_HASH_LEN];
    ikr_buf cose;
    ikr_buf ink; /* empty when the ink was purged */
    int has_ink;
    int printed;
    const char *bad_column; /* a column that cannot equal any claim (too long, NUL inside,
                               unknown status, wrong type), or NULL */
} ikr_log_row;

void ikr_log_row_init(ikr_log_row *r);
void ikr_log_row_free(ikr_log_row *r);
/* Reads record seq; IKR_E_RCPT_NOT_IN_LOG (with seq set on e) when absent. */
int ikr_log_get(ikr_log *l, uint64_t seq, ikr_log_row *row, ikr_err *e);

/*
 * Reads records in seq order from after seq `after` into rows (which the
 * caller initialised and may reuse): at most max rows, and no more once
 * max_bytes of COSE and ink have been read (but always at least one);
 * *got is how many.  Used to stream an audit or an export in batches
 * without holding the log in memory.
 */
int ikr_log_scan(ikr_log *l, uint64_t after, ikr_log_row *rows, size_t max, size_t max_bytes,
                 size_t *got, ikr_err *e);

/* The root at size m (m <= size) from stored subtrees. */
int ikr_log_root(ikr_log *l, uint64_t m, uint8_t root[IKR_HASH_LEN], ikr_err *e);
/*
 * The root at size m recomputed from the records themselves (their COSE
 * bytes, in seq order), not from stored subtrees: slower, O(m), but it
 * answers for what is in the log now.  A gap below m is IKR_E_AUDIT_MISSING
 * with its seq on e.
 */
int ikr_log_root_of_records(ikr_log *l, uint64_t m, uint8_t root[IKR_HASH_LEN], ikr_err *e);
/*
 * The consistency proof from size m to size n (0 < m <= n <= size) from
 * stored subtrees, into proof (at most max hashes, *len of them).  A node
 * missing is IKR_E_AUDIT_TREE.  Call inside one read snapshot.
 */
int ikr_log_consistency(ikr_log *l, uint64_t m, uint64_t n, uint8_t proof[][IKR_HASH_LEN],
                        size_t max, size_t *len, ikr_err *e);
/* Reads node (level, index); 0 found, 1 absent. */
int ikr_log_node(ikr_log *l, unsigned level, uint64_t index, uint8_t hash[IKR_HASH_LEN]);
/* Number of stored nodes (for the audit's count). */
int ikr_log_node_count(ikr_log *l, uint64_t *n, ikr_err *e);

/*
 * What is in the tables beyond the seq range: how many records, the lowest
 * seq, and ink rows whose record is gone.  The audit compares these with
 * the 1..size it walked.
 */
int ikr_log_census(ikr_log *l, uint64_t *records, int64_t *min_seq, uint64_t *orphan_inks,
                   ikr_err *e);

/*
 * The roster of expected signers (roster.h keeps the rules; these keep the
 * rows).  clear and put run inside the caller's transaction, so a new
 * roster replaces the old one whole or not at all.  A NON-ASN entry (no
 * NIP) matches a record by name and unit, ASCII case folded; an ASN entry
 * by NIP.  Records are never written here.
 */
int ikr_log_roster_clear(ikr_log *l, ikr_err *e);
int ikr_log_roster_put(ikr_log *l, const ikr_signer *who, uint64_t line, ikr_err *e);
/* The entry with this NIP: 0 found, 1 none. */
int ikr_log_roster_get(ikr_log *l, const char *nip, ikr_signer *who, uint64_t *line, ikr_err *e);
/* Entries, entries that signed, records, and records that match no entry. */
int ikr_log_roster_totals(ikr_log *l, uint64_t *listed, uint64_t *listed_signed, uint64_t *records,
                          uint64_t *unlisted, ikr_err *e);
/*
 * Calls fn per unit in unit order: with by_roster, the roster's units with
 * their entries (expected) and entries that signed; without, the records'
 * units with expected 0.  A non-zero return stops and is returned.
 */
int ikr_log_roster_units(ikr_log *l, int by_roster,
                         int (*fn)(void *ctx, const char *unit, uint64_t expected,
                                   uint64_t signed_n),
                         void *ctx, ikr_err *e);
/* Calls fn for each entry no record matches, by unit then name. */
int ikr_log_roster_missing(ikr_log *l, int (*fn)(void *ctx, const ikr_signer *who, uint64_t line),
                           void *ctx, ikr_err *e);

/* 1 when a roster is imported (one row is enough to know), 0 when none or unreadable. */
int ikr_log_roster_any(ikr_log *l);
/*
 * Calls fn for at most limit entries whose NIP starts with nip_prefix
 * (when not NULL) and with a word of the name starting with name (when not
 * NULL; already ASCII lower case), with whether the entry has signed.
 */
int ikr_log_roster_search(ikr_log *l, const char *nip_prefix, const char *name, size_t limit,
                          int (*fn)(void *ctx, const ikr_signer *who, uint64_t line, int signd),
                          void *ctx, ikr_err *e);

/* Number of records whose ink is still stored. */
int ikr_log_ink_count(ikr_log *l, uint64_t *n, ikr_err *e);
/*
 * Deletes every stored ink (records, their inkh and the tree stay) and
 * makes sure the bytes leave ikrar.db and its WAL; *purged is how many.
 * IKR_E_PURGE_BUSY when another process kept the file from being compacted
 * (the delete itself is committed; run it again).
 */
int ikr_log_purge_ink(ikr_log *l, uint64_t *purged, ikr_err *e);

/*
 * Copies the whole database into a new file dest (refused if it exists:
 * IKR_E_EXISTS) with SQLite's online backup API, from one read snapshot:
 * signers in other processes go on appending, and the copy holds exactly
 * the records committed when it started (*records of them).  The copy is a
 * single file in rollback-journal mode (no -wal beside it), made 0600 and
 * synced.  progress (may be NULL) is called with pages done and pages in
 * all after each step.  On failure dest is removed.
 */
int ikr_log_backup(ikr_log *l, const char *dest,
                   void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
                   uint64_t *records, ikr_err *e);

/*
 * Starts a read transaction: every read until ikr_log_rollback sees the
 * log as it was at this moment, while signers go on appending.
 */
int ikr_log_read_begin(ikr_log *l, ikr_err *e);

/*
 * For `ikrar bench` alone: turns synchronous off on this connection so a
 * test log of 100,000 records fills in seconds.  Never used for an event.
 */
int ikr_log_unsynced_for_bench(ikr_log *l, ikr_err *e);

/* Marks a record's receipt printed (1) or waiting for reprint (0). */
int ikr_log_set_printed(ikr_log *l, uint64_t seq, int printed, ikr_err *e);

/* Stores a signed checkpoint (replacing one of the same size). */
int ikr_log_put_checkpoint(ikr_log *l, uint64_t size, const char *note, size_t n, uint64_t t,
                           ikr_err *e);
/* Calls fn for each stored checkpoint in size order; a non-zero return stops and is returned. */
int ikr_log_each_checkpoint(ikr_log *l,
                            int (*fn)(void *ctx, uint64_t size, const char *note, size_t n),
                            void *ctx, ikr_err *e);

/*
 * For the roster PDF, records 1..upto grouped by unit: ikr_log_units calls
 * fn with each unit ("" for none) and its number of records, in the order
 * ikr_log_each_by_unit then gives the records (by unit, then seq), reading
 * each into row (which the caller initialised and frees).  A non-zero
 * return from fn stops either and is returned.  Call inside one read
 * snapshot (ikr_log_read_begin) so both see the same records.
 */
int ikr_log_units(ikr_log *l, uint64_t upto, int (*fn)(void *ctx, const char *unit, uint64_t n),
                  void *ctx, ikr_err *e);
int ikr_log_each_by_unit(ikr_log *l, uint64_t upto, ikr_log_row *row,
                         int (*fn)(void *ctx, const ikr_log_row *row), void *ctx, ikr_err *e);

#endif
