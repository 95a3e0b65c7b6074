/*
 * oplog.h: the operational log, one line per event on standard error.
 *
 * Under the kiosk's systemd service journald keeps these lines; run by hand
 * they appear in the terminal.  Each line is
 *
 *     ikrar: EVENT key=value key=value ...
 *
 * with EVENT one lower-case word from the list in docs/deploy.md ("start",
 * "stop", "pin-fail", "pin-lock", "printer-fail", "printer-ok", "export",
 * "backup", "clock-refused", "admin", ...).  A line never carries a signer's
 * NIP in full: ikr_oplog_nip keeps only its last four digits.  Values are
 * made safe to print (control characters and spaces become '_'), so a line
 * written from outside data is still one line.
 */
#ifndef IKRAR_OPLOG_H
#define IKRAR_OPLOG_H

#include <stddef.h>

/*
 * Writes one line "ikrar: EVENT FMT\n" to standard error, as one write(2) so
 * that lines of two processes never interleave.  FMT is printf-like and
 * should give "key=value" pairs; a line is cut at IKR_OPLOG_MAX bytes.
 */
#define IKR_OPLOG_MAX 512
void ikr_oplog(const char *event, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A NIP as the log may show it: "**************1234" (only the last four digits). */
#define IKR_OPLOG_NIP_SIZE 24
const char *ikr_oplog_nip(const char *nip, char out[IKR_OPLOG_NIP_SIZE]);

/* A value from outside (a path, a printer name) made printable in one word, cut to cap-1 bytes. */
const char *ikr_oplog_word(const char *s, char *out, size_t cap);

#endif
