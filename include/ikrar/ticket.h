/*
 * ticket.h: the paper receipt's layout (not its QR text, which is
 * receipt.h): what a signer takes away, drawn for 58 mm (384 dots) or
 * 80 mm (576 dots) thermal paper at 203 dpi as a 1-bit raster, and for A6
 * paper as a PDF.
 *
 * The raster is rows of packed bits, most significant bit first, 1 for a
 * black dot: exactly the data of an ESC/POS `GS v 0` image, so a printer
 * backend sends it as it is.  The QR code is drawn at a whole number of
 * dots a module, at least IKR_TICKET_MIN_MODULE (0.5 mm at 203 dpi), with
 * its IKR_QR_QUIET-module quiet zone left white.  Text is drawn with cairo
 * (fonts through fontconfig), never SDL.
 */
#ifndef IKRAR_TICKET_H
#define IKRAR_TICKET_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "limits.h"

#define IKR_TICKET_58MM 384        /* printable dots across 58 mm paper */
#define IKR_TICKET_80MM 576        /* printable dots across 80 mm paper */
#define IKR_TICKET_MIN_MODULE 4    /* dots a QR module at the least: 0.5 mm at 203 dpi */
#define IKR_TICKET_MAX_MODULE 8    /* dots a QR module at the most: the paper is not free */
#define IKR_TICKET_MAX_HEIGHT 6000 /* dots down a receipt, at most (about 75 cm) */
#define IKR_TICKET_FPR_LEN 8       /* hex digits of the kiosk key's fingerprint shown */

/* What a receipt shows; filled by ikr_ticket_info_load, freed by ikr_ticket_info_free. */
typedef struct ikr_ticket_info {
    char title[IKR_MAX_TITLE + 1];    /* the event's title */
    uint64_t seq;                     /* the record's number */
    uint64_t t;                       /* when it was signed (Unix time) */
    char name[IKR_MAX_NAME + 1];      /* the signer's whole name, wrapped on paper */
    char nip[IKR_NIP_LEN + 1];        /* masked as on the QR; empty for NON-ASN */
    char pos[IKR_MAX_POS + 1];        /* may be empty */
    char unit[IKR_MAX_UNIT + 1];      /* may be empty */
    char fpr[IKR_TICKET_FPR_LEN + 1]; /* the kiosk key's short fingerprint (hex) */
    int utc_offset_min;               /* the kiosk's zone: 420 WIB, 480 WITA, 540 WIT */
    ikr_buf text;                     /* the receipt text the QR carries, NUL-terminated */
} ikr_ticket_info;

struct ikr_station;

void ikr_ticket_info_init(ikr_ticket_info *in);
/* Accepts NULL. */
void ikr_ticket_info_free(ikr_ticket_info *in);
/*
 * Fills in (initialised by the caller) with record seq of station s: its
 * receipt text rebuilt by ikr_station_receipt, the log row's name, position
 * and unit, and the verifier key's fingerprint.  Zone is WIB.
 */
int ikr_ticket_info_load(ikr_ticket_info *in, struct ikr_station *s, uint64_t seq, ikr_err *e);

/* A receipt drawn as a 1-bit raster, and where its parts landed (for tests). */
typedef struct ikr_ticket {
    int width;      /* dots across: IKR_TICKET_58MM or IKR_TICKET_80MM */
    int height;     /* dots down */
    int stride;     /* bytes a row: width / 8 */
    uint8_t *bits;  /* height * stride bytes, MSB first, 1 = black */
    int module;     /* dots a QR module */
    int qr_x, qr_y; /* top left of the QR's quiet zone */
    int qr_side;    /* dots a side of the QR with its quiet zone */
    int text_y1;    /* the text above the QR ends at this row */
} ikr_ticket;

/*
 * Draws in at width dots (IKR_TICKET_58MM or IKR_TICKET_80MM) into t.
 * Caller frees with ikr_ticket_free.  IKR_E_INTERNAL when the QR cannot
 * keep IKR_TICKET_MIN_MODULE dots a module; IKR_E_ASSET when a font file
 * ikrar ships is missing (assets.h), IKR_E_FONT when cairo cannot use it.
 */
int ikr_ticket_render(ikr_ticket *t, const ikr_ticket_info *in, int width, ikr_err *e);
/* Accepts NULL and a zeroed ticket. */
void ikr_ticket_free(ikr_ticket *t);
/* 1 when dot (x, y) is black; 0 outside the raster. */
int ikr_ticket_dot(const ikr_ticket *t, int x, int y);

/* Writes t as a greyscale PNG, one pixel a dot, to path (atomically: beside it, then renamed),
   mode 0600: a receipt names its signer. */
int ikr_ticket_write_png(const ikr_ticket *t, const char *path, ikr_err *e);
/* Writes in as a one-page A6 PDF (vector text and QR) to path, atomically, mode 0600. */
int ikr_ticket_write_pdf(const ikr_ticket_info *in, const char *path, ikr_err *e);
/* The same PDF appended to out, for a print server that takes the bytes. */
int ikr_ticket_pdf(const ikr_ticket_info *in, ikr_buf *out, ikr_err *e);

/*
 * Releases the font caches cairo and fontconfig keep for the whole process
 * (so leak checkers see none).  Call once, when no more receipts will be
 * drawn: at the end of a command or a test, never while the kiosk runs.
 */
void ikr_ticket_release_caches(void);

#endif
