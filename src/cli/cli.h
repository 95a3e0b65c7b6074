/*
 * cli.h: what the `ikrar` commands share: argument parsing, the chosen
 * language, reading small files, and turning an ikr_err into words and an
 * exit status.  Only the command line prints and exits.
 *
 * Exit statuses: 0 done / valid; 1 invalid (a receipt that does not verify,
 * a log that does not audit); 2 usage; 3 a signer refused (bad details,
 * duplicate NIP); 4 the work could not be done (missing folder, disk full,
 * database or key trouble).
 */
#ifndef IKRAR_CLI_H
#define IKRAR_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/file.h"
#include "ikrar/text.h"

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_REFUSED = 3, EXIT_TROUBLE = 4 };

typedef struct cli {
    int lang;        /* IKR_LANG_ID or IKR_LANG_EN */
    const char *cmd; /* the command's name, for messages */
} cli;

typedef struct cli_opt {
    const char *name;  /* without the leading "--" */
    int has_value;     /* 1: takes a value (--name V or --name=V) */
    const char *value; /* the value, or "" for a flag that was given */
    int repeat;        /* 1: may be given more than once (value is the last) */
} cli_opt;

/*
 * The data folder a command works on: GIVEN (its --data) when given, else
 * $IKRAR_DATA when set and not empty, else the installed default
 * (IKRAR_DEFAULT_DATA, /var/lib/ikrar for a package), the service's folder.
 */
const char *cli_data_dir(const char *given);

/* Picks the text of the current language. */
#define L(c, id, en) ((c)->lang == IKR_LANG_EN ? (en) : (id))

/*
 * Outside text (from a receipt, a bundle, a record, a roster file, the
 * database) as it may be printed: escaped into the array buf (text.h), never
 * raw.  Evaluates to buf.  Every such string goes through this to a terminal.
 */
#define CLI_SHOWN(buf, s) ikr_text_escape_term((buf), sizeof(buf), (s), strlen(s))

/*
 * Parses argv[1..argc) against opts (also accepting --lang id|en and
 * --help).  Positional arguments go to pos (at most maxpos; pos and npos may
 * be NULL when the command takes none).  Returns -1 when the command should
 * go on; otherwise the exit status to return at once: EXIT_VALID after
 * printing help(c) for --help, EXIT_USAGE after saying what is wrong.
 */
int cli_parse(cli *c, int argc, char **argv, cli_opt *opts, size_t nopts, const char **pos,
              int maxpos, int *npos, void (*help)(const cli *c));
/* The value of option name, or NULL when not given. */
const char *cli_opt_get(const cli_opt *opts, size_t nopts, const char *name);

/* Prints "ikrar: <message>" for e and returns the exit status for it. */
int cli_fail(const cli *c, const ikr_err *e);
/* Prints "ikrar <cmd>: <text>" and returns EXIT_USAGE. */
int cli_usage_error(const cli *c, const char *id, const char *en);

/* Reads a whole file of at most max bytes into out (NUL-terminated). */
int ikr_file_read(const char *path, size_t max, ikr_buf *out, ikr_err *e);
/* Reads one line typed on the terminal without echo (prompt on stderr); 0, or -1 with no terminal.
 */
int cli_read_hidden(const char *prompt, char *out, size_t n);
/* Reads a passphrase: the first line of path, without its line end. */
int cli_read_passphrase(const char *path, ikr_buf *out, ikr_err *e);
/*
 * Reads verifier keys from path, one a line (blank lines and # comments
 * skipped), into keys (room for IKR_MAX_VKEYS); IKR_E_VKEY names the line.
 */
struct ikr_vkey;
int cli_load_vkeys(const char *path, struct ikr_vkey *keys, size_t *n, ikr_err *e);
/*
 * Says loudly on stderr, in Indonesian then English, that without --trust or
 * --key a bundle is checked only with its own key, which proves nothing about
 * who made it (id, en: what was checked).
 */
void cli_warn_own_key(const char *id, const char *en);
/*
 * When s is a read-only copy whose write-ahead file had to be read through a
 * temporary copy (ikr_station_log_how), says so on stderr, with how to copy a
 * data folder so that it reads directly.
 */
struct ikr_station;
void cli_note_read_copy(const cli *c, const struct ikr_station *s);
/*
 * Opens data with its signing key to sign checkpoints (checkpoint, export):
 * IKR_OPEN_SIGN, or on a copy that cannot be written IKR_OPEN_SIGN_READONLY,
 * which signs the same checkpoints without keeping them (*readonly then 1;
 * readonly may be NULL).
 */
int cli_open_to_sign(struct ikr_station **s, const char *data, const char *passphrase,
                     int *readonly, ikr_err *e);
/* Formats a Unix time in a zone (zone.h; 0 means WIB) as "YYYY-MM-DD HH:MM:SS WIB". */
void cli_time(char *out, size_t n, long long t, int zone_min);

int cmd_init(cli *c, int argc, char **argv);
int cmd_sign(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_checkpoint(cli *c, int argc, char **argv);
int cmd_pubkey(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_bench(cli *c, int argc, char **argv);
int cmd_kiosk(cli *c, int argc, char **argv);
int cmd_reprint(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_merge(cli *c, int argc, char **argv);
int cmd_roster(cli *c, int argc, char **argv);
int cmd_stats(cli *c, int argc, char **argv);
int cmd_purge_ink(cli *c, int argc, char **argv);
int cmd_backup(cli *c, int argc, char **argv);
int cmd_setup_kiosk(cli *c, int argc, char **argv);
int cmd_event(cli *c, int argc, char **argv);
int cmd_hub(cli *c, int argc, char **argv);
int cmd_push(cli *c, int argc, char **argv);
/* `ikrar stats --hub` and `ikrar export --hub` (cmd_hub.c). */
int cli_hub_stats(const cli *c, const char *url, const char *event);
int cli_hub_export(const cli *c, const char *url, const char *event, const char *out, char sep);

/* Paper width in dots for --paper 58|80 (NULL: 58 mm); 0 for anything else. */
/*
 * Runs fn(ctx) in a child process and returns what it returns (0..255), so
 * that the folder it builds as out.partial-<its pid> (ikr_bundle_export,
 * ikr_merge) is removed even when it is killed half-way: Ctrl-C, SIGTERM,
 * SIGHUP or SIGQUIT are passed on to the child and, once the partial folder
 * is gone, end this process the same way; a child killed otherwise (the
 * OOM killer) returns minus the signal's number.  Without fork, fn runs
 * here.  Output fn writes goes where ours would.
 */
int cli_guard(const char *out, int (*fn)(void *ctx), void *ctx);

int cli_paper(const char *v);
/*
 * Prints record seq's receipt to uri (NULL: the folder's "printer" setting,
 * else none) and marks it printed or not; says so on stderr when printed.
 * Returns IKR_OK or the print's error (on e).  Lives in cmd_reprint.c.
 */
struct ikr_station;
int cli_print_receipt(const cli *c, struct ikr_station *s, uint64_t seq, const char *uri, int width,
                      ikr_err *e);

#endif
