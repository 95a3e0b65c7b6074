/*
 * limits.h: every size limit of ikrar, named once.  Lengths that come from
 * outside (a signer, a file, a scanned QR code) are checked against these
 * before anything else is done with them.
 */
#ifndef IKRAR_LIMITS_H
#define IKRAR_LIMITS_H

#include <stdint.h>

#define IKR_MAX_NAME 128        /* bytes of UTF-8 in a signer's name */
#define IKR_MAX_POS 128         /* bytes of UTF-8 in a position (jabatan) */
#define IKR_MAX_UNIT 128        /* bytes of UTF-8 in a work unit (unit kerja) */
#define IKR_RECEIPT_NAME 64     /* bytes of the name kept on a receipt */
#define IKR_NIP_LEN 18          /* digits in a NIP */
#define IKR_MAX_EVENT_ID 64     /* characters of an event id */
#define IKR_MAX_KIOSK_NAME 64   /* characters of a kiosk name */
#define IKR_MAX_ORIGIN 160      /* bytes of a log origin line */
#define IKR_MAX_TITLE 256       /* bytes of an event title */
#define IKR_MAX_DECL 32768      /* bytes of a declaration text */
#define IKR_MIN_PIN 6           /* digits of an admin PIN, at least */
#define IKR_MAX_PIN 64          /* bytes of an admin PIN, at most */
#define IKR_PIN_TRIES 5         /* wrong PINs in a row that lock the PIN pad */
#define IKR_PIN_LOCK_S 60       /* seconds the PIN pad then stays locked */
#define IKR_MAX_PASSPHRASE 1024 /* bytes of a key passphrase */
/* The latest signing time a record may hold: 9999-12-31 23:59:59 UTC, the last second a
 * four-digit year can name; a reader refuses a later `t` (docs/formats.md). */
#define IKR_MAX_TIME 253402300799ull

/* The longest pause in signing before the clock is doubted (`ikrar init --max-gap`). */
#define IKR_MAX_GAP_DEFAULT (7 * 86400) /* seconds: a week */
#define IKR_MAX_GAP_MIN 3600            /* seconds: an hour */
#define IKR_MAX_GAP_MAX (366 * 86400)   /* seconds: a year */
/* How far a record may be behind the last one because its signer waited for the write lock
 * (IKR_BUSY_TIMEOUT_MS, rounded up): it then takes the last one's time instead of a refusal. */
#define IKR_CLOCK_LOCK_SLACK (IKR_BUSY_TIMEOUT_MS / 1000 + 1) /* seconds */

#define IKR_INK_MAX_STROKES 64     /* strokes in one signature */
#define IKR_INK_MAX_POINTS 20000   /* points in one signature, all strokes */
#define IKR_INK_MAX_CANVAS 16384   /* pixels of a canvas side */
#define IKR_INK_MAX_TIME 3600000   /* milliseconds from first touch to last point */
#define IKR_INK_MAX_JSON (1 << 20) /* bytes of an ink JSON file */

#define IKR_MAX_RECEIPT_TEXT 4296 /* characters: the most a QR code holds in alphanumeric mode */
#define IKR_MAX_INFLATE 65536     /* bytes a receipt may inflate to */
#define IKR_MAX_COSE 65536        /* bytes of one COSE_Sign1 we will parse */
#define IKR_CBOR_MAX_DEPTH 16     /* nesting of CBOR items we will parse */
#define IKR_MAX_VKEY_LINE 512     /* bytes of a verifier-key line */
#define IKR_MAX_VKEYS 64          /* verifier keys in one key file */
#define IKR_MAX_NOTE 8192         /* bytes of a signed note (checkpoint) */

/*
 * A roster bundle from outside (merge): records.jsonl holds at most
 * IKR_BUNDLE_MAX_RECORDS lines of at most IKR_BUNDLE_MAX_LINE bytes (bundle.h)
 * and its newline; a merge copies a line only once it has parsed and is in
 * order, so a file's size is never taken on its checkpoint's word.  roster.pdf
 * (never read back) may hold IKR_BUNDLE_PDF_BASE bytes and IKR_BUNDLE_PDF_PER
 * bytes for each record actually copied.
 */
#define IKR_BUNDLE_MAX_RECORDS (1u << 20)        /* records of one kiosk's bundle */
#define IKR_BUNDLE_PDF_BASE (UINT64_C(64) << 20) /* bytes: the cover and the fonts */
#define IKR_BUNDLE_PDF_PER (UINT64_C(256) << 10) /* bytes a record, its ink drawn */

#define IKR_MAX_IMAGE_BYTES (48u << 20)  /* bytes of a PNG or JPEG file we will read */
#define IKR_MAX_IMAGE_SIDE 16384         /* pixels of an image side */
#define IKR_MAX_IMAGE_PIXELS (24u << 20) /* pixels of an image: a 24 MP photo, 24 MiB grey */
#define IKR_SCAN_MAX_CODES 8             /* QR codes kept from one image or frame */
#define IKR_SCAN_MAX_TEXT 7089 /* bytes of one decoded QR text: the most a QR code holds */

#define IKR_PBKDF2_ITER 600000    /* PBKDF2-HMAC-SHA256 iterations for the admin PIN */
#define IKR_BUSY_TIMEOUT_MS 10000 /* how long a signer waits for another's write lock */

#endif
