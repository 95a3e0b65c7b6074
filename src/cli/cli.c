/*
 * cli.c: what every command shares: options, messages, files and keys read
 * from the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/limits.h"
#include "ikrar/log.h"
#include "ikrar/note.h"
#include "ikrar/station.h"
#include "ikrar/zone.h"

int cli_parse(cli *c, int argc, char **argv, cli_opt *opts, size_t nopts, const char **pos,
              int maxpos, int *npos, void (*help)(const cli *c))
{
    int want_help = 0, n = 0;
    for (size_t k = 0; k < nopts; k++)
        opts[k].value = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            want_help = 1;
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || strcmp(a, "-") == 0) {
            if (n >= maxpos || !pos)
                return cli_usage_error(c, "terlalu banyak argumen", "too many arguments");
            pos[n++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        if (len == 4 && strncmp(name, "lang", 4) == 0) {
            if (!eq)
                i++;
            continue;
        }
        size_t k;
        for (k = 0; k < nopts; k++)
            if (strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0)
                break;
        if (k == nopts) {
            fprintf(stderr, "ikrar %s: %s: %s\n", c->cmd,
                    L(c, "pilihan tidak dikenal", "unknown option"), a);
            return EXIT_USAGE;
        }
        if (opts[k].value && !opts[k].repeat) {
            fprintf(stderr, "ikrar %s: %s: %s\n", c->cmd,
                    L(c, "pilihan diberikan dua kali", "option given twice"), a);
            return EXIT_USAGE;
        }
        if (!opts[k].has_value) {
            if (eq) {
                fprintf(stderr, "ikrar %s: %s: %s\n", c->cmd,
                        L(c, "pilihan ini tidak bernilai", "this option takes no value"), a);
                return EXIT_USAGE;
            }
            opts[k].value = "";
        } else if (eq) {
            opts[k].value = eq + 1;
        } else if (i + 1 < argc) {
            opts[k].value = argv[++i];
        } else {
            fprintf(stderr, "ikrar %s: %s: %s\n", c->cmd,
                    L(c, "pilihan ini perlu nilai", "this option needs a value"), a);
            return EXIT_USAGE;
        }
    }
    if (npos)
        *npos = n;
    if (want_help) {
        help(c);
        return EXIT_VALID;
    }
    return -1;
}

const char *cli_data_dir(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("IKRAR_DATA");
    return env && *env ? env : IKRAR_DEFAULT_DATA;
}

const char *cli_opt_get(const cli_opt *opts, size_t nopts, const char *name)
{
    for (size_t k = 0; k < nopts; k++)
        if (strcmp(opts[k].name, name) == 0)
            return opts[k].value;
    return NULL;
}

int cli_fail(const cli *c, const ikr_err *e)
{
    char msg[512];
    ikr_err_format(e, c->lang, msg, sizeof msg);
    fprintf(stderr, "ikrar: %s\n", msg);
    int code = e->code;
    if (ikr_code_is_refusal(code))
        return EXIT_REFUSED;
    if ((code >= IKR_E_RCPT_PREFIX && code <= IKR_E_RCPT_ROOT) || code == IKR_E_RCPT_MISMATCH ||
        (code >= IKR_E_AUDIT_MISSING && code <= IKR_E_AUDIT_KEY) ||
        (code >= IKR_E_BUNDLE_FILE && code <= IKR_E_MERGE_DUPLICATES) ||
        (code >= IKR_E_RCPT_ENCODING && code <= IKR_E_AUDIT_LIMIT) || code == IKR_E_KEY_MISMATCH ||
        code == IKR_E_META || (code >= IKR_E_TRUST_LIST && code <= IKR_E_TRUST_PIN) ||
        code == IKR_E_LOG_ROLLBACK || code == IKR_E_LOG_DAMAGED)
        return EXIT_INVALID;
    if (code == IKR_E_VKEY || code == IKR_E_PRINTER_URI ||
        (code >= IKR_E_EVENT_ID && code <= IKR_E_PIN_SHORT))
        return EXIT_USAGE;
    return EXIT_TROUBLE;
}

void cli_warn_own_key(const char *id, const char *en)
{
    fprintf(
        stderr,
        "PERINGATAN: tanpa --trust atau --key, %s hanya diperiksa dengan kuncinya sendiri; itu "
        "tidak membuktikan siapa yang membuatnya. Pakai --trust DAFTAR (ikrar event) atau --key "
        "BERKAS.\n"
        "WARNING: without --trust or --key, %s is checked only with its own key; that proves "
        "nothing about who made it. Use --trust LIST (ikrar event) or --key FILE.\n",
        id, en);
}

void cli_note_read_copy(const cli *c, const struct ikr_station *s)
{
    if (!s || ikr_station_log_how(s) != IKR_LOG_WAL_COPY)
        return;
    fprintf(stderr, "%s\n",
            L(c,
              "Catatan: salinan ini hanya dapat dibaca, dan perubahan terakhirnya masih di "
              "ikrar.db-wal tanpa ikrar.db-shm. ikrar membaca keduanya lewat salinan sementara "
              "yang sudah dihapus lagi. Agar salinan terbaca langsung, salin folder data setelah "
              "kiosknya berhenti, atau pakai `ikrar backup`.",
              "Note: this copy is read-only, and its latest changes are still in ikrar.db-wal, "
              "with no ikrar.db-shm. ikrar read both through a temporary copy, removed again. "
              "For a copy that reads directly, copy a data folder after its kiosk has stopped, "
              "or use `ikrar backup`."));
}

int cli_open_to_sign(struct ikr_station **s, const char *data, const char *passphrase,
                     int *readonly, ikr_err *e)
{
    int rc = ikr_station_open(s, data, IKR_OPEN_SIGN, passphrase, e);
    if (readonly)
        *readonly = rc == IKR_E_READONLY;
    if (rc != IKR_E_READONLY)
        return rc;
    ikr_err_clear(e);
    return ikr_station_open(s, data, IKR_OPEN_SIGN_READONLY, passphrase, e);
}

int cli_usage_error(const cli *c, const char *id, const char *en)
{
    fprintf(stderr, "ikrar %s: %s\n", c->cmd, L(c, id, en));
    fprintf(stderr, "%s\n", L(c, "Lihat --help.", "See --help."));
    return EXIT_USAGE;
}

int cli_read_passphrase(const char *path, ikr_buf *out, ikr_err *e)
{
    int rc = ikr_file_read(path, IKR_MAX_PASSPHRASE + 2, out, e);
    if (rc)
        return rc;
    char *p = (char *)out->p;
    size_t n = strcspn(p, "\r\n");
    p[n] = '\0';
    out->len = n;
    if (n == 0)
        return ikr_err_set(e, IKR_E_KEY_PASSPHRASE, NULL);
    return IKR_OK;
}

void cli_time(char *out, size_t n, long long t, int zone_min)
{
    ikr_zone_format(out, n, (int64_t)t, zone_min, 1);
}

/* Reads verifier keys, one a line; blank lines and # comments are skipped. */
int cli_load_vkeys(const char *path, ikr_vkey *keys, size_t *n, ikr_err *e)
{
    ikr_buf b;
    ikr_buf_init(&b);
    int rc = ikr_file_read(path, (size_t)IKR_MAX_VKEYS * (IKR_MAX_VKEY_LINE + 2), &b, e);
    *n = 0;
    if (rc) {
        ikr_buf_free(&b);
        return rc;
    }
    char *p = (char *)b.p, *end = p + b.len;
    int line = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        line++;
        while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
            len--;
        if (len > 0 && p[0] != '#') {
            if (*n == IKR_MAX_VKEYS) {
                rc = ikr_err_set(e, IKR_E_VKEY, "%s: more than %d keys", path, IKR_MAX_VKEYS);
                break;
            }
            if (ikr_vkey_parse(&keys[*n], p, len) != 0) {
                rc = ikr_err_set(e, IKR_E_VKEY, "%s:%d", path, line);
                break;
            }
            (*n)++;
        }
        p += len;
        while (p < end && *p != '\n')
            p++;
        p++;
    }
    if (!rc && *n == 0)
        rc = ikr_err_set(e, IKR_E_VKEY, "%s: no keys", path);
    ikr_buf_free(&b);
    return rc;
}

int cli_read_hidden(const char *prompt, char *out, size_t n)
{
    struct termios old, quiet;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0)
        return -1;
    quiet = old;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    fputs(prompt, stderr);
    fflush(stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    char *got = fgets(out, (int)n, stdin);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    if (!got)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}
