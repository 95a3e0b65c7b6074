/*
 * roster_pdf.h: the printable roster (docs/formats.md §8 roster.pdf), drawn with
 * cairo on A4: what an organiser prints, stamps and files.
 *
 *   1. a cover page: the event (title, organiser, place, date), the full
 *      declaration text and its SHA-256, the checkpoint's size and root of
 *      each kiosk, and the verifier keys;
 *   2. the roster table, grouped by work unit (a heading per unit): No.,
 *      name, NIP, position, unit, time (in the kiosk's zone), and the
 *      signature drawn from its ink as vector strokes, or "tanda tangan
 *      dihapus sesuai masa retensi" when the ink was purged;
 *   3. the per-unit summary: signed (and expected, when a roster of
 *      expected signers was imported) per unit and in total.
 *
 * Every page has "Halaman x dari y" and the event's name in its footer.
 * The total is known before the first page is drawn, because the caller
 * gives the number of records per unit up front (every row has the same
 * height), so rows are streamed: no record is held after it is drawn.
 *
 * Use: ikr_roster_pdf_begin, then ikr_roster_pdf_row for each record in
 * unit order (the units in the order given to begin, and within a unit in
 * any order the caller chose, usually seq), then ikr_roster_pdf_end.
 */
#ifndef IKRAR_ROSTER_PDF_H
#define IKRAR_ROSTER_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "hash.h"
#include "ink.h"
#include "limits.h"

#define IKR_ROSTER_PDF_MAX_UNITS 4096 /* distinct work units in one roster */
#define IKR_ROSTER_PDF_MAX_KIOSKS 64  /* kiosks in one (merged) roster */

/* One kiosk whose records the roster holds. */
typedef struct ikr_roster_pdf_kiosk {
    const char *name;           /* the kiosk's name, e.g. "aula-1" */
    const char *vkey;           /* its verifier key line */
    uint64_t size;              /* its checkpoint's tree size */
    uint8_t root[IKR_HASH_LEN]; /* and root */
} ikr_roster_pdf_kiosk;

/* One work unit: its name as signers gave it ("" for none), and its counts. */
typedef struct ikr_roster_pdf_unit {
    const char *name;
    uint64_t signed_n; /* records in this unit: exactly the rows that will come */
    int64_t expected;  /* expected signers from an imported roster, or -1 when unknown */
} ikr_roster_pdf_unit;

typedef struct ikr_roster_pdf_doc {
    const char *title; /* the event's title */
    const char *event_id;
    const char *organizer; /* may be "" */
    const char *place;     /* may be "" */
    const char *when;      /* may be "" */
    const char *decl;      /* the declaration text, UTF-8 */
    size_t decl_len;
    uint8_t decl_hash[IKR_HASH_LEN];
    const ikr_roster_pdf_kiosk *kiosks;
    size_t nkiosks;
    const ikr_roster_pdf_unit *units; /* in the order their rows will come */
    size_t nunits;
    int zone_min; /* how times are shown (zone.h): 420 WIB, 480 WITA, 540 WIT */
    int64_t made; /* when the document was made (Unix time), printed on the cover */
} ikr_roster_pdf_doc;

/*
 * One row of the table.  (Named _entry, not _row: C has one name space for
 * typedefs and functions, and ikr_roster_pdf_row is the function below.)
 */
typedef struct ikr_roster_pdf_entry {
    uint64_t seq;      /* the record's number in its kiosk's log */
    const char *kiosk; /* the kiosk's name (shown with seq when there are several) */
    uint64_t t;        /* signing time (Unix) */
    const char *name;
    const char *status; /* "PNS", "PPPK" or "NON-ASN" */
    const char *nip;    /* full NIP, or "" */
    const char *pos;    /* may be "" */
    const char *unit;   /* may be "" */
    const ikr_ink *ink; /* the signature, or NULL when purged */
} ikr_roster_pdf_entry;

typedef struct ikr_roster_pdf ikr_roster_pdf;

/*
 * Starts the PDF at path (written beside it as path.tmp and renamed by
 * ikr_roster_pdf_end, file mode 0600), drawing the cover page.  doc and
 * what it points to need only live through this call; the unit names and
 * counts are copied.  IKR_E_IO / IKR_E_DISK_FULL for the file, IKR_E_ASSET
 * when a font file ikrar ships is missing (assets.h), IKR_E_FONT when cairo
 * cannot use it, IKR_E_INTERNAL for a doc beyond the limits.
 */
int ikr_roster_pdf_begin(ikr_roster_pdf **out, const char *path, const ikr_roster_pdf_doc *doc,
                         ikr_err *e);
/*
 * Draws the next row; IKR_E_INTERNAL when rows come in another order or
 * number than begin said, IKR_E_DISK_FULL / IKR_E_IO when the file cannot
 * be written.  After a failure every later call returns it again; end (or
 * abort) then removes the partial file.
 */
int ikr_roster_pdf_row(ikr_roster_pdf *p, const ikr_roster_pdf_entry *row, ikr_err *e);
/* Draws the summary, finishes and renames the file; frees p whatever happens. */
int ikr_roster_pdf_end(ikr_roster_pdf *p, ikr_err *e);
/* Gives up: frees p and removes the partial file.  Accepts NULL. */
void ikr_roster_pdf_abort(ikr_roster_pdf *p);

#endif
