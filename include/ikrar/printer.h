/*
 * printer.h: where a receipt goes, named by a URI.
 *
 *   none                      nothing is printed (success)
 *   file:DIR                  DIR/receipt-<seq>.png (the 58 or 80 mm raster)
 *                             and DIR/receipt-<seq>.pdf (A6): the demo default
 *   escpos:/dev/usb/lp0       an ESC/POS thermal printer's device file
 *   escpos+tcp://HOST[:PORT]  a network thermal printer's raw port (9100)
 *   cups:QUEUE                the A6 PDF as a job on a CUPS queue, through
 *                             libcups; the server is CUPS_SERVER, else
 *                             client.conf, else the local cupsd.  QUEUE is
 *                             printable ASCII without space / # \ ? ' "
 *                             (cupsd's own rule), at most IKR_MAX_CUPS_QUEUE bytes
 *
 * Every backend finishes or fails within the job's timeout: a printer that
 * refuses, goes away mid-job or stops reading never holds the signer up.
 * Printing only reads the receipt and never writes the log; marking a
 * record printed is the caller's business (ikr_station_mark_printed, once
 * the print's result is known), so a failed print loses nothing.
 */
#ifndef IKRAR_PRINTER_H
#define IKRAR_PRINTER_H

#include "buf.h"
#include "err.h"
#include "ticket.h"

#define IKR_PRINT_TIMEOUT_MS 4000 /* a whole job, by default */
#define IKR_PRINT_STATUS_MS 500   /* how long a printer may take to answer DLE EOT */
#define IKR_PRINT_AFTER_MS 2000   /* ...and to answer it again once the job is sent */
#define IKR_PRINT_PORT 9100       /* the raw port of network printers */
#define IKR_ESCPOS_BAND 24        /* raster rows a GS v 0 command, at most */
#define IKR_ESCPOS_FEED 4         /* lines fed before the cut */
#define IKR_MAX_PRINTER_URI 512   /* bytes of a printer URI */
#define IKR_MAX_CUPS_QUEUE 127    /* bytes of a CUPS queue name (cupsd allows no more) */

typedef struct ikr_print_opts {
    int width;      /* paper dots: IKR_TICKET_58MM (0 means this) or IKR_TICKET_80MM */
    int timeout_ms; /* the whole job; 0 means IKR_PRINT_TIMEOUT_MS */
} ikr_print_opts;

/* Checks a URI's form without printing: IKR_OK or IKR_E_PRINTER_URI. */
int ikr_printer_check_uri(const char *uri, ikr_err *e);

/*
 * Prints the receipt in (see ikr_ticket_info_load) to uri.  o may be NULL.
 * Returns IKR_OK, IKR_E_PRINTER_URI, IKR_E_PRINTER (with what went wrong on
 * e->detail), IKR_E_IO for a file: folder, or another code from rendering.
 */
int ikr_printer_print(const char *uri, const ikr_ticket_info *in, const ikr_print_opts *o,
                      ikr_err *e);

struct ikr_station;

/*
 * The printer to use: uri when not NULL, else the data folder's "printer"
 * setting (ikrar init --printer), else "none".  Copies it into out
 * (NUL-terminated) and returns out's text.
 */
const char *ikr_printer_resolve(struct ikr_station *s, const char *uri, ikr_buf *out);

/*
 * What the kiosk and `ikrar sign`/`reprint` call: prints record seq of s
 * (opened with its signing key, which rebuilds the receipt text) to uri.
 * "none" prints nothing.  Returns the print's result and writes nothing:
 * the caller then marks the record printed (1) on success or waiting for
 * reprint (0) on failure with ikr_station_mark_printed, except for "none"
 * and a URI ikr_printer_check_uri refuses, which leave the mark alone.  Blocks at most
 * o->timeout_ms plus the drawing (a few ms).
 */
int ikr_printer_print_record(struct ikr_station *s, uint64_t seq, const char *uri,
                             const ikr_print_opts *o, ikr_err *e);

/*
 * Appends the ESC/POS job for t to out: ESC @, the raster as GS v 0 bands
 * of at most IKR_ESCPOS_BAND rows, ESC d IKR_ESCPOS_FEED, GS V 1 (partial cut).
 */
int ikr_escpos_encode(ikr_buf *out, const ikr_ticket *t);

#endif
