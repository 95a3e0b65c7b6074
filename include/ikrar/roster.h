/*
 * roster.h: the expected signers of an event, imported from a spreadsheet.
 *
 * An organiser exports the list of staff (NIP, Nama, Jabatan, Unit Kerja,
 * Status) from Excel or LibreOffice as CSV.  ikr_roster_parse reads those
 * bytes with the csv module, finds the columns by their header whatever
 * the language, order or spelling, repairs the NIPs a spreadsheet mangled
 * when that loses nothing, and checks every row with the kiosk's own rules
 * (ikr_form_check): a row the kiosk would refuse is refused here, with its
 * line.  It touches no database and no file, so it is also the fuzz target.
 *
 * ikr_roster_import replaces the stored roster with a file's rows in one
 * transaction; signed records are never touched.  ikr_roster_stats and
 * ikr_roster_missing answer who signed and who has not yet, per unit, for
 * `ikrar stats` and the kiosk's admin screen alike.
 */
#ifndef IKRAR_ROSTER_H
#define IKRAR_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "log.h"
#include "record.h"

#define IKR_ROSTER_MAX_BYTES (64u << 20) /* bytes of a roster file */
#define IKR_ROSTER_MAX_ROWS 1000000      /* data rows in a roster file */

/* One expected signer, normalised as the kiosk would store them. */
typedef struct ikr_roster_entry {
    ikr_signer who; /* nip empty for NON-ASN */
    uint64_t line;  /* the line of the file the entry came from */
} ikr_roster_entry;

/* How a NIP cell was repaired (bits). */
enum {
    IKR_ROSTER_FIX_FORMULA = 1, /* ="197101011990031001" or '197101011990031001: the text inside */
    IKR_ROSTER_FIX_GROUPS = 2,  /* 19710101 199003 1 001 or 19710101.199003.1.001: the digits */
};

/* A row refused, or a NIP repaired, as the parse goes. */
typedef struct ikr_roster_issue {
    uint64_t line;
    int code;                  /* why the row is refused (IKR_E_*), or IKR_OK for a repair */
    int fixed;                 /* IKR_ROSTER_FIX_* bits when a NIP was repaired */
    uint64_t first;            /* IKR_E_ROSTER_DUP: the line the NIP was on first */
    char was[48];              /* the NIP cell as written (cut to fit), for repairs and refusals */
    char nip[IKR_NIP_LEN + 1]; /* the NIP it was repaired to */
} ikr_roster_issue;

/* Where the parse sends what it finds; any callback may be NULL. */
typedef struct ikr_roster_sink {
    /* A valid row; a non-zero return (with e set) stops the parse and is returned. */
    int (*row)(void *ctx, const ikr_roster_entry *r, ikr_err *e);
    void (*issue)(void *ctx, const ikr_roster_issue *i);
    void *ctx;
} ikr_roster_sink;

typedef struct ikr_roster_count {
    uint64_t valid, invalid, repaired;
    uint64_t invisible;   /* valid rows whose name, position or unit lost invisible characters */
    uint64_t composed;    /* valid rows whose text was composed to NFC (a decomposed "é") */
    uint64_t header_line; /* the header row's line; 0 when none was found */
} ikr_roster_count;

/*
 * Reads a roster file's bytes p[0..n) (UTF-8 with or without a BOM, or
 * UTF-16 with one as Excel's "Unicode text" saves it; tab, ';' or ','
 * guessed, quoted fields, CRLF or LF; title rows above the header skipped)
 * and checks each row at Unix time now.  Returns IKR_OK once every row was
 * seen, whatever the rows were (c counts them); or the whole file's
 * refusal: IKR_E_ROSTER_ENCODING (not UTF-8 or UTF-16 text: the line on
 * e->seq, the byte on e->detail), IKR_E_CSV (damaged, with the line),
 * IKR_E_ROSTER_COLUMN (a required column missing, named on e->detail),
 * IKR_E_ROSTER_EMPTY (no header row), IKR_E_ROSTER_ROWS (too many rows);
 * or what the row callback returned.
 */
int ikr_roster_parse(const uint8_t *p, size_t n, uint64_t now, const ikr_roster_sink *k,
                     ikr_roster_count *c, ikr_err *e);

/*
 * Replaces the roster in l with the valid rows of p[0..n), in one
 * transaction.  With any row invalid, nothing changes and the result is
 * IKR_E_ROSTER_INVALID (e->seq: how many rows), unless skip_invalid, which
 * imports the rest.  With no valid row at all nothing changes either
 * (IKR_E_ROSTER_EMPTY): an old roster is never replaced by an empty one.
 * issue (may be NULL) hears every refused row and repaired NIP.
 */
int ikr_roster_import(ikr_log *l, const uint8_t *p, size_t n, uint64_t now, int skip_invalid,
                      void (*issue)(void *ctx, const ikr_roster_issue *i), void *ctx,
                      ikr_roster_count *c, ikr_err *e);

/*
 * Finds the roster entry of a NIP (spaces and dots as printed on ID cards
 * are ignored): 0 found (into out), 1 not on the roster (or no roster),
 * or an IKR_E_* code.
 */
int ikr_roster_find(ikr_log *l, const char *nip, ikr_roster_entry *out, ikr_err *e);

/* An entry found by ikr_roster_search, and whether it has signed already. */
typedef struct ikr_roster_hit {
    ikr_roster_entry r;
    int signd;
} ikr_roster_hit;

#define IKR_ROSTER_QUERY_MAX 64 /* bytes of a search the kiosk's signer types */

/*
 * The kiosk's "find me": entries matching what a signer typed, into
 * out[0..max), *n of them, *more set when there were more than max.  A
 * query of digits (spaces and dots ignored, 1 to 18 of them) is the start of
 * a NIP; anything else is the start of a word of the name (at least two
 * letters, ASCII case folded, names starting with it first).  A query that
 * is neither (one letter, too long, a NIP with letters) finds nothing and
 * is not an error.  No roster: nothing found.
 */
int ikr_roster_search(ikr_log *l, const char *query, ikr_roster_hit *out, size_t max, size_t *n,
                      int *more, ikr_err *e);

/* One unit's numbers. */
typedef struct ikr_roster_unit {
    char unit[IKR_MAX_UNIT + 1]; /* "" for entries (or records) without a unit */
    uint64_t signed_n;           /* roster entries that signed; without a roster, records */
    uint64_t expected;           /* roster entries; 0 without a roster */
} ikr_roster_unit;

typedef struct ikr_roster_totals {
    int has_roster;         /* 0: nothing imported, expected is unknown */
    uint64_t expected;      /* roster entries */
    uint64_t signed_listed; /* roster entries that signed */
    uint64_t unlisted;      /* records that match no roster entry ("not on the roster") */
    uint64_t records;       /* all records */
    size_t nunits;          /* units filled in, at most max */
    size_t units_total;     /* units there are; more than nunits when max was too small */
} ikr_roster_totals;

/*
 * Counts, in one snapshot of the log: per unit (the roster's units, or the
 * records' when there is no roster) into units[0..max), in unit order with
 * case folded, a unit spelt in two cases counted as one (when there are
 * more than max, only among the first max), and the totals into st.  A record matches an entry by
 * NIP, or for NON-ASN by name and unit (case folded).  Takes its own read snapshot, so it is called
 * outside a transaction, like ikr_roster_missing.
 */
int ikr_roster_stats(ikr_log *l, ikr_roster_unit *units, size_t max, ikr_roster_totals *st,
                     ikr_err *e);

/*
 * Calls fn for each roster entry that has not signed yet, by unit then
 * name; a non-zero return stops and is returned.  IKR_E_ROSTER_NONE when
 * no roster was imported.
 */
int ikr_roster_missing(ikr_log *l, int (*fn)(void *ctx, const ikr_roster_entry *r), void *ctx,
                       ikr_err *e);

#endif
