/*
 * bundle.h: the roster bundle of docs/formats.md §8, the folder an organiser
 * hands to auditors: `checkpoint`, `verifier.key` and `records.jsonl`
 * (one JSON object a line: "seq", "cose" and, until it is purged, "ink",
 * then readable copies of the claims).
 *
 * Reading streams records.jsonl a line at a time, so it never holds a
 * 100,000-record log in memory (export.h writes a bundle).  Every
 * byte read from a bundle is untrusted: lines, fields and decoded sizes are
 * bounded, and ikr_bundle_parse_line is a fuzz target.
 */
#ifndef IKRAR_BUNDLE_H
#define IKRAR_BUNDLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"
#include "hash.h"
#include "limits.h"
#include "note.h"
#include "receipt.h"
#include "record.h"

#define IKR_BUNDLE_CHECKPOINT "checkpoint"
#define IKR_BUNDLE_VKEY "verifier.key"
#define IKR_BUNDLE_RECORDS "records.jsonl"
#define IKR_BUNDLE_CSV "roster.csv"
#define IKR_BUNDLE_PDF "roster.pdf"
#define IKR_BUNDLE_DECL "declaration.txt" /* the declaration exactly as signers saw it */
#define IKR_BUNDLE_EVENT "event.json"     /* the event's title, place, date and time zone */

#define IKR_BUNDLE_MAX_INK (512u << 10) /* bytes of one record's ink CBOR */
#define IKR_BUNDLE_MAX_LINE (1u << 20)  /* bytes of one records.jsonl line */
#define IKR_BUNDLE_MAX_DEPTH 16         /* nesting of JSON values we will skip */
#define IKR_BUNDLE_MAX_EVENT 8192       /* bytes of event.json */

/* An opened bundle: its key, and the checkpoint that key signed. */
typedef struct ikr_bundle {
    char dir[1024];
    ikr_vkey vkey;
    char origin[IKR_MAX_ORIGIN + 1];
    uint64_t size;
    uint8_t root[IKR_HASH_LEN];
} ikr_bundle;

/*
 * event.json: {"event", "title", "organizer", "place", "when", "zone"}, all
 * strings, so a merged roster and its PDF can name the event and show times
 * in the kiosks' zone without the kiosks' databases.
 */
typedef struct ikr_bundle_event {
    char event[IKR_MAX_EVENT_ID + 1];
    char title[IKR_MAX_TITLE + 1];
    char organizer[IKR_MAX_TITLE + 1];
    char place[IKR_MAX_TITLE + 1];
    char when[IKR_MAX_TITLE + 1];
    int zone_min;
} ikr_bundle_event;

/* Parses event.json (untrusted, bounded): IKR_OK, or IKR_E_BUNDLE_FILE with what is wrong. */
int ikr_bundle_event_parse(ikr_bundle_event *ev, const char *text, size_t n, ikr_err *e);
/*
 * Reads dir's event.json into ev and its declaration.txt into decl (at most
 * IKR_MAX_DECL bytes), and checks the declaration's SHA-256 is decl_hash
 * unless decl_hash is NULL.
 */
int ikr_bundle_load_event(const char *dir, ikr_bundle_event *ev, ikr_buf *decl,
                          const uint8_t *decl_hash, ikr_err *e);

/*
 * Opens the bundle's file path for reading into *fd.  Anything but a regular
 * file is refused (IKR_E_BUNDLE_FILE): a FIFO would make open() and read()
 * wait forever, and a device such as /dev/zero never ends, so a hostile
 * bundle could hang an audit or fill a disk with a merge's copy.  With
 * nofollow, a symbolic link is refused too: what is copied into a merged
 * bundle and handed on must be the bundle's own file, not one it points at.
 */
int ikr_bundle_open_read(const char *path, int nofollow, int *fd, ikr_err *e);

/*
 * Opens dir: reads verifier.key and checkpoint, and checks that the
 * checkpoint is signed by that key under its own name.  IKR_E_BUNDLE_FILE
 * for a missing or unreadable file, IKR_E_BUNDLE_CHECKPOINT for a
 * checkpoint that is malformed or not signed by the bundle's key.
 */
int ikr_bundle_open(ikr_bundle *b, const char *dir, ikr_err *e);

/*
 * roster.csv: a header row, then a row a record with these columns.  The
 * time is written in the kiosk's zone with the zone's name (WIB, WITA,
 * WIT), so the audit can read which zone a row used.
 */
enum {
    IKR_CSV_COL_NO,
    IKR_CSV_COL_NAME,
    IKR_CSV_COL_NIP,
    IKR_CSV_COL_STATUS,
    IKR_CSV_COL_POS,
    IKR_CSV_COL_UNIT,
    IKR_CSV_COL_TIME,
    IKR_CSV_COL_KIOSK,
    IKR_CSV_COL_SEQ,
    IKR_CSV_COLS
};
/* The header's names, in order. */
extern const char *const ikr_bundle_csv_header[IKR_CSV_COLS];

/* The kiosk's name in a log origin "ikrar/<event>/<kiosk>"; the origin itself otherwise. */
const char *ikr_bundle_kiosk_of(const char *origin);

/*
 * The cells of record c's roster.csv row as a spreadsheet shows them (before
 * quoting, formula cells not yet neutralised): number no, kiosk name, time
 * in zone_min.  cells[i] points into the caller's store (at least
 * IKR_BUNDLE_CELLS bytes).
 */
#define IKR_BUNDLE_CELLS 1024
void ikr_bundle_csv_cells(const char *cells[IKR_CSV_COLS], char *store, uint64_t no,
                          const ikr_claims *c, const char *kiosk, int zone_min);
struct ikr_csv_row;
/*
 * Compares a roster.csv row, as read, with record c: number no, kiosk,
 * the zone named in the row's time cell.  NULL when they agree, else the
 * header name of the first column that differs.
 */
const char *ikr_bundle_csv_mismatch(const struct ikr_csv_row *row, uint64_t no, const ikr_claims *c,
                                    const char *kiosk);
/* Appends the row of cells to out, each through ikr_csv_field, ending in CRLF. */
int ikr_bundle_csv_row(ikr_buf *out, const char *const cells[IKR_CSV_COLS], char sep);

/* One line of records.jsonl, decoded, with the readable copies it carries. */
typedef struct ikr_bundle_rec {
    uint64_t seq;
    ikr_buf cose;
    ikr_buf ink;
    int has_ink;
    /* Readable copies of the claims: each flag says whether the line had it. */
    int has_t, has_name, has_status, has_nip, has_pos, has_unit;
    uint64_t t;
    char name[IKR_MAX_NAME + 1];
    char status[8];
    char nip[IKR_NIP_LEN + 1];
    char pos[IKR_MAX_POS + 1];
    char unit[IKR_MAX_UNIT + 1];
} ikr_bundle_rec;

void ikr_bundle_rec_init(ikr_bundle_rec *r);
void ikr_bundle_rec_free(ikr_bundle_rec *r);

/*
 * Parses one line (without its line end) of records.jsonl into r: a JSON
 * object with "seq" (a whole number), "cose" and optionally "ink" (standard
 * base64), and the readable copies "t", "name", "status", "nip", "pos" and
 * "unit" when present (bounded as the claims are); other members are
 * skipped, a repeated member is refused.  Returns
 * 0, or IKR_E_BUNDLE_LINE with what is wrong on e->detail.
 */
int ikr_bundle_parse_line(ikr_bundle_rec *r, const char *line, size_t n, ikr_err *e);

/* Reads records.jsonl a line at a time. */
typedef struct ikr_bundle_reader {
    FILE *f;
    uint64_t line;     /* lines read so far */
    uint64_t off;      /* where the line last read starts in the file */
    uint64_t next_off; /* where the next line starts */
    ikr_buf buf;       /* the line being read */
    uint8_t *io;       /* bytes read from f and not yet taken: io[io_pos..io_end) */
    size_t io_pos, io_end;
    int eof;
} ikr_bundle_reader;

int ikr_bundle_reader_open(ikr_bundle_reader *rd, const ikr_bundle *b, ikr_err *e);
/*
 * Reads the next record into r and sets *got to 1, or to 0 at the end.
 * Returns IKR_OK or an error (on e, with the line number in the detail).
 */
int ikr_bundle_next(ikr_bundle_reader *rd, ikr_bundle_rec *r, int *got, ikr_err *e);
void ikr_bundle_reader_close(ikr_bundle_reader *rd);
/*
 * The order every reader of a bundle checks: the line at place expect
 * (from 1) must say seq expect, and there must be no more lines than the
 * checkpoint holds.  IKR_E_BUNDLE_SEQ (with expect on e->seq) or
 * IKR_E_BUNDLE_SIZE.
 */
int ikr_bundle_in_order(const ikr_bundle *b, uint64_t seq, uint64_t expect, ikr_err *e);
/* Reads the record whose line starts at off (an earlier rd->off) into r. */
int ikr_bundle_read_at(ikr_bundle_reader *rd, uint64_t off, ikr_bundle_rec *r, ikr_err *e);

/*
 * Checks receipts against the bundle in one pass over records.jsonl: for
 * each receipt rs[i] (already parsed and its signature checked against
 * b->vkey by the caller), that the record at its seq is there with leaf hash
 * rs[i].leaf, and that the bundle's tree of size seq has root rs[i].root.
 * The pass also checks the bundle itself: every seq in order, and the tree
 * of all its records equal to the signed checkpoint, so a receipt that
 * matches proves the checkpoint's roster still holds its record unchanged.
 * A problem of the bundle is returned (and nothing is said of the receipts);
 * otherwise IKR_OK with each receipt's verdict in res[i] (IKR_OK,
 * IKR_E_RCPT_EVENT, IKR_E_RCPT_NOT_IN_LOG, IKR_E_RCPT_LEAF or
 * IKR_E_RCPT_ROOT, with seq set).
 */
int ikr_bundle_check_receipts(const ikr_bundle *b, const ikr_receipt *rs, size_t n, ikr_err *res,
                              ikr_err *e);

/* Appends ev as event.json (one line) to out. */
int ikr_bundle_event_json(ikr_buf *out, const ikr_bundle_event *ev);
/* The same for an open data folder's event (event.h), as export and the hub write it. */
struct ikr_event_info;
int ikr_bundle_event_json_of(ikr_buf *out, const struct ikr_event_info *info);

/*
 * Appends the records.jsonl line (with its newline) of record seq: its COSE
 * bytes, its ink (NULL when purged) and the readable copies of its claims c.
 */
int ikr_bundle_record_line(ikr_buf *out, uint64_t seq, const uint8_t *cose, size_t cose_len,
                           const uint8_t *ink, size_t ink_len, const ikr_claims *c);

#endif
