/*
 * err.h: result codes of the ikrar core and the one struct that carries them.
 *
 * Every core function returns an int: IKR_OK (0) on success, otherwise one of
 * the IKR_E_* codes below.  A function that can fail in a way a person must
 * hear about also fills an ikr_err the caller owns: the code again, and the
 * few facts the message needs (which seq, when, which field).  The core never
 * prints and never exits; words are chosen at the edge (CLI, kiosk) through
 * ikr_err_format(), in Indonesian or English.
 */
#ifndef IKRAR_ERR_H
#define IKRAR_ERR_H

#include <stddef.h>
#include <stdint.h>

enum ikr_code {
    IKR_OK = 0,

    /* system */
    IKR_E_NOMEM,
    IKR_E_IO,
    IKR_E_DB,
    IKR_E_DB_BUSY,
    IKR_E_DISK_FULL,
    IKR_E_READONLY,
    IKR_E_CRYPTO,
    IKR_E_INTERNAL,
    IKR_E_DISPLAY,
    IKR_E_FONT,
    IKR_E_ASSET, /* a file ikrar ships (a font) is in none of the folders looked in */
    IKR_E_SCRIPT,
    IKR_E_PRINTER,
    IKR_E_PRINTER_URI,
    IKR_E_CAMERA_NONE, /* no camera at that path */
    IKR_E_CAMERA_BUSY, /* another program holds the camera */
    IKR_E_CAMERA,      /* not a camera, unplugged, or it stopped giving pictures */

    /* data folder and key */
    IKR_E_EXISTS,
    IKR_E_NOKIOSK,
    IKR_E_SCHEMA_NEWER,
    IKR_E_KEY_FILE,
    IKR_E_KEY_PASSPHRASE,
    IKR_E_KEY_MISMATCH,
    IKR_E_META,

    /* event set-up */
    IKR_E_EVENT_ID,
    IKR_E_KIOSK_NAME,
    IKR_E_TITLE,
    IKR_E_ZONE,
    IKR_E_DECL,
    IKR_E_PIN_SHORT,
    IKR_E_PIN_WRONG,
    IKR_E_EVENT_CLOSED,

    /* the clock: a signed time can never be corrected, so a wrong clock stops signing.
       when is the clock's time, limit the time it was compared with */
    IKR_E_MAX_GAP,           /* `init --max-gap` out of range or malformed */
    IKR_E_CLOCK_BEFORE_INIT, /* before the event was set up */
    IKR_E_CLOCK_BEFORE_LAST, /* before the last record (seq) was signed */
    IKR_E_CLOCK_GAP,         /* more than the event's max gap (detail) after the last record */

    /* the signer's details: a refused signer */
    IKR_E_NAME_EMPTY,
    IKR_E_NAME_LONG,
    IKR_E_TEXT_UTF8,
    IKR_E_POS_LONG,
    IKR_E_UNIT_LONG,
    IKR_E_STATUS,
    IKR_E_NIP_REQUIRED,
    IKR_E_NIP_FORBIDDEN,
    IKR_E_NIP_LENGTH,
    IKR_E_NIP_DIGITS,
    IKR_E_NIP_BIRTH,
    IKR_E_NIP_TMT,
    IKR_E_NIP_TMT_AGE,
    IKR_E_NIP_GENDER,
    IKR_E_NIP_SERIAL,
    IKR_E_NIP_PPPK_YEAR,
    IKR_E_NIP_DUPLICATE,
    IKR_E_NIP_ELSEWHERE, /* signed at another kiosk of the event, as the hub says (seq, when;
                            detail: the kiosk) */
    IKR_E_INK_SYNTAX,
    IKR_E_INK_EMPTY,
    IKR_E_INK_STROKES,
    IKR_E_INK_POINTS,
    IKR_E_INK_CANVAS,
    IKR_E_INK_RANGE,
    IKR_E_INK_TIME,

    /* receipts and keys from outside */
    IKR_E_RCPT_PREFIX,
    IKR_E_RCPT_BASE45,
    IKR_E_RCPT_ZLIB,
    IKR_E_RCPT_COSE,
    IKR_E_RCPT_KID,
    IKR_E_RCPT_SIG,
    IKR_E_RCPT_CLAIMS,
    IKR_E_RCPT_EVENT,
    IKR_E_RCPT_NOT_IN_LOG,
    IKR_E_RCPT_LEAF,
    IKR_E_RCPT_ROOT,
    IKR_E_VKEY,
    IKR_E_IMAGE,
    IKR_E_NO_QR,

    /* audit of a data folder */
    IKR_E_AUDIT_MISSING,
    IKR_E_AUDIT_COSE,
    IKR_E_AUDIT_SIG,
    IKR_E_AUDIT_SEQ,
    IKR_E_AUDIT_EVENT,
    IKR_E_AUDIT_LEAF,
    IKR_E_AUDIT_COLUMNS,
    IKR_E_AUDIT_INK,
    IKR_E_AUDIT_TREE,
    IKR_E_AUDIT_CHECKPOINT,
    IKR_E_AUDIT_EXTRA,
    IKR_E_AUDIT_DUP_NIP,
    IKR_E_AUDIT_KEY,

    /* a roster bundle (bundle.h) */
    IKR_E_BUNDLE_FILE,
    IKR_E_BUNDLE_CHECKPOINT,
    IKR_E_BUNDLE_LINE,
    IKR_E_BUNDLE_SEQ,
    IKR_E_BUNDLE_SIZE,
    IKR_E_BUNDLE_ROOT,
    IKR_E_BUNDLE_CSV,
    IKR_E_MERGE_EVENT,
    IKR_E_MERGE_KIOSK,
    IKR_E_MERGE_DUPLICATES,
    IKR_E_BUNDLE_EXISTS,

    /* spreadsheets (csv.h, roster) */
    IKR_E_CSV,

    /* the roster of expected signers (roster.h) and the ink purge */
    IKR_E_ROSTER_COLUMN,   /* a required column is not in the header row */
    IKR_E_ROSTER_EMPTY,    /* no header row, or no valid row to import */
    IKR_E_ROSTER_ROWS,     /* more rows than IKR_ROSTER_MAX_ROWS */
    IKR_E_ROSTER_NIP_SCI,  /* a NIP in scientific notation: its digits are lost */
    IKR_E_ROSTER_DUP,      /* a NIP already on an earlier line (seq) */
    IKR_E_ROSTER_INVALID,  /* rows refused, nothing imported (seq: how many) */
    IKR_E_ROSTER_NONE,     /* no roster imported yet */
    IKR_E_PURGE_BUSY,      /* ink deleted, but another process kept the file from being compacted */
    IKR_E_ROSTER_ENCODING, /* a roster file that is not UTF-8 text (seq: the line; detail: the byte)
                            */
    IKR_E_BACKUP_EXISTS,   /* a backup's destination already exists (detail: the path) */

    /* issue 11, strict decoding: what ikrar would not have written (detail: "part: check") */
    IKR_E_RCPT_ENCODING,  /* a receipt's COSE_Sign1 or claims not in ikrar's exact encoding */
    IKR_E_RCPT_LIMIT,     /* a receipt's claim outside what a writer produces */
    IKR_E_AUDIT_ENCODING, /* record seq not in ikrar's exact encoding */
    IKR_E_AUDIT_LIMIT,    /* record seq holds a claim outside what a writer produces */
    /* issue 11, trust list (trust.h) */
    IKR_E_TRUST_LIST,    /* not a valid, signed event trust list (detail: what is wrong) */
    IKR_E_TRUST_KIOSK,   /* a kiosk key that cannot go on this list (detail: which, why) */
    IKR_E_TRUST_SAME,    /* the list already holds this very key */
    IKR_E_TRUST_UNKNOWN, /* signed by a key that is not on the trust list (detail: the key's name)
                          */
    IKR_E_TRUST_REVOKED, /* from a kiosk revoked since when (detail: the kiosk) */
    IKR_E_TRUST_PIN,     /* a list that may not replace the installed one (detail: why) */

    /* issue 11, a receipt against its record */
    IKR_E_RCPT_MISMATCH, /* the receipt's claims are not its record's (seq; detail: which claim) */
    /* issue 11, hardening */
    IKR_E_DATA_PERMS,    /* the data folder is writable by group or others (detail: the path) */
    IKR_E_KEY_PERMS,     /* kiosk.key is writable by group or others (detail: the path) */
    IKR_E_PURGE_EXPORTS, /* ink purged from the log, but an export still holds it (detail) */
    /* issue 11, rollback */
    IKR_E_LOG_ROLLBACK,   /* fewer records than the head file says were acknowledged (detail:
                             both sizes) */
    IKR_E_LOG_DAMAGED,    /* the check at open failed (detail: what) */
    IKR_E_COMMIT_UNKNOWN, /* COMMIT or its sync failed: the record may or may not be stored */
    /* issue 12, the kiosk's own rule (not the record's): PNS and PPPK give position and unit */
    IKR_E_POS_REQUIRED,
    IKR_E_UNIT_REQUIRED,
    /* issue 13, the hub (hub.h) */
    IKR_E_HUB_CONNECT,  /* the hub cannot be reached or refused the login (detail) */
    IKR_E_HUB,          /* the hub's database refused a statement (detail: its words) */
    IKR_E_HUB_DENIED,   /* the role may not do that (detail) */
    IKR_E_HUB_SCHEMA,   /* not an ikrar hub: no schema, or another version (detail) */
    IKR_E_HUB_EXISTS,   /* the hub was made with another witness key */
    IKR_E_HUB_NO_TRUST, /* the data folder has no trust list, which the hub needs */
    IKR_E_HUB_EVENT,    /* the hub has no such event (detail: the event) */
    IKR_E_HUB_CONF,     /* the data folder's hub.conf is missing or malformed (detail) */
    IKR_E_HUB_FLAGGED,  /* the hub flagged this kiosk's log (detail: why) */
    IKR_E_HUB_COSIG,    /* what the hub sent back is not a cosigned checkpoint of this log */
    /* issue 14 */
    IKR_E_COMMIT_FULL, /* IKR_E_COMMIT_UNKNOWN because the disk filled up */

    IKR_E_COUNT_
};

/* Languages for messages. Indonesian comes first. */
enum ikr_lang { IKR_LANG_ID = 0, IKR_LANG_EN = 1 };

#define IKR_ERR_DETAIL 200

typedef struct ikr_err {
    int code;                    /* IKR_OK or IKR_E_* */
    int64_t seq;                 /* the record concerned, 0 when none */
    int64_t when;                /* a Unix time the message names, 0 when none */
    int64_t limit;               /* a second Unix time (a clock check's limit), 0 when none */
    int zone_min;                /* the zone to show times in (zone.h); 0 means WIB */
    char detail[IKR_ERR_DETAIL]; /* a technical detail (path, SQLite's words); may be empty */
} ikr_err;

/* Clears e. Accepts NULL. */
void ikr_err_clear(ikr_err *e);

/*
 * Sets e (when not NULL) to code with an optional printf-style detail and
 * returns code, so that a failure reads `return ikr_err_set(e, IKR_E_IO, "%s", path);`.
 * An error already set is not overwritten: the first cause wins.
 */
int ikr_err_set(ikr_err *e, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*
 * Sets code (unless an earlier cause is set) with the record and time it
 * concerns, and returns the code in force.  Called after ikr_err_set with
 * the same code, it adds seq and when to that error and keeps its detail.
 * With e NULL it returns code.
 */
int ikr_err_at(ikr_err *e, int code, int64_t seq, int64_t when);

/*
 * Writes the message for e in lang into buf (always NUL-terminated, cut to
 * n bytes) and returns buf.  The seq, the times ({when}, {limit}; in e->zone_min,
 * else WIB) and the detail are put in where the message names them.
 */
char *ikr_err_format(const ikr_err *e, int lang, char *buf, size_t n);

/* The bare message of a code in lang, without its details. Never NULL. */
const char *ikr_code_text(int code, int lang);

/* 1 when code means the signer's details were refused (exit status 3). */
int ikr_code_is_refusal(int code);

#endif
