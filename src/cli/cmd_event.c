/*
 * cmd_event.c: `ikrar event`, the organiser's event key and the event's
 * trust list (trust.h, docs/formats.md "The event trust list").
 *
 *   event init --event ID --out DIR        the event key (DIR/event.key, 0600, made here),
 *                                          its verifier line (DIR/event.pub) and an empty,
 *                                          signed list (DIR/trust.txt)
 *   event add-kiosk --event-dir DIR SRC    SRC: a verifier key file, a bundle or a data folder
 *   event revoke-kiosk --event-dir DIR KIOSK --from TIME
 *   event show FILE                        the list, verified, every key in full
 *   event install --data DIR FILE          the list into a kiosk's data folder
 *
 * Every change raises the serial by one and rewrites DIR/trust.txt whole or
 * not at all; copy that file to the kiosks and the auditors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ikrar/bundle.h"
#include "ikrar/clock.h"
#include "ikrar/file.h"
#include "ikrar/limits.h"
#include "ikrar/note.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"
#include "ikrar/zone.h"

#define EVENT_KEY "event.key"
#define EVENT_PUB "event.pub"

static void help(const cli *c)
{
    printf("%s:\n"
           "  ikrar event init --event ID --out DIR [--passphrase-file FILE]\n"
           "  ikrar event add-kiosk --event-dir DIR [--passphrase-file FILE] "
           "(VERIFIER_KEY_FILE | BUNDLE | DATA_DIR)\n"
           "  ikrar event revoke-kiosk --event-dir DIR [--passphrase-file FILE] KIOSK --from TIME\n"
           "  ikrar event show FILE\n"
           "  ikrar event install [--data DIR] FILE\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Kunci acara penyelenggara dan daftar kepercayaan acara: kunci verifikasi semua\n"
             "kiosk acara, ditandatangani kunci acara (catatan bertanda tangan C2SP).\n"
             "init: membuat kunci acara (DIR/event.key, 0600; simpan di luar kiosk), baris\n"
             "kunci verifikasinya (DIR/event.pub) dan daftar kosong (DIR/trust.txt).\n"
             "add-kiosk: menambah kunci kiosk dari berkas kunci verifikasi, bundel roster,\n"
             "atau folder data kiosk. revoke-kiosk: catatan dan struk kiosk itu pada atau\n"
             "sesudah TIME tidak lagi dipercaya (TIME: 'now', detik Unix, atau\n"
             "'YYYY-MM-DD HH:MM[:SS] [WIB|WITA|WIT]'). Setiap perubahan menaikkan nomor seri.\n"
             "show: memeriksa dan menampilkan daftar. install: memasang daftar di folder data\n"
             "kiosk; daftar pertama mengikat kunci acara, daftar berikutnya harus dari kunci\n"
             "yang sama dengan nomor seri lebih tinggi.\n"
             "Pakai daftar itu dengan: ikrar verify|audit|merge --trust DIR/trust.txt\n"
             "Status keluar: 0 berhasil, 1 daftar atau kunci tidak sah, 2 salah pemakaian,\n"
             "4 tidak dapat dikerjakan.",
             "The organiser's event key and the event trust list: the verifier keys of the\n"
             "event's kiosks, signed by the event key (a C2SP signed note).\n"
             "init: makes the event key (DIR/event.key, 0600; keep it off the kiosks), its\n"
             "verifier key line (DIR/event.pub) and an empty list (DIR/trust.txt).\n"
             "add-kiosk: adds a kiosk's key from a verifier key file, a roster bundle or a\n"
             "kiosk's data folder. revoke-kiosk: that kiosk's records and receipts at or\n"
             "after TIME are no longer trusted (TIME: 'now', Unix seconds, or\n"
             "'YYYY-MM-DD HH:MM[:SS] [WIB|WITA|WIT]'). Each change raises the serial by one.\n"
             "show: checks and prints a list. install: installs a list in a kiosk's data\n"
             "folder; the first list pins the event key, later ones must carry the same key\n"
             "and a higher serial.\n"
             "Use the list with: ikrar verify|audit|merge --trust DIR/trust.txt\n"
             "Exit status: 0 done, 1 an invalid list or key, 2 usage, 4 could not be done."));
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/*
 * A time as people give it: "now", Unix seconds, or "YYYY-MM-DD HH:MM[:SS]"
 * with an optional zone (WIB when none).  0 and *out, or -1.
 */
static int parse_time(const char *s, uint64_t *out)
{
    if (strcmp(s, "now") == 0) {
        *out = ikr_clock_now();
        return 0;
    }
    size_t n = strlen(s);
    if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
        *out = strtoull(s, NULL, 10);
        return 0;
    }
    int y, mo, d, h, mi, sec = 0, used = 0;
    char zone[8] = "WIB";
    if (sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &used) != 5)
        return -1;
    const char *rest = s + used;
    if (rest[0] == ':') {
        int k = 0;
        if (sscanf(rest, ":%2d%n", &sec, &k) != 1)
            return -1;
        rest += k;
    }
    if (rest[0] == ' ') {
        if (strlen(rest + 1) >= sizeof zone)
            return -1;
        snprintf(zone, sizeof zone, "%s", rest + 1);
    } else if (rest[0] != '\0') {
        return -1;
    }
    int off = ikr_zone_parse(zone);
    if (off < 0 || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 59 || h < 0 || mi < 0 || sec < 0)
        return -1;
    int64_t t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
                (int64_t)off * 60;
    if (t < 0)
        return -1;
    *out = (uint64_t)t;
    return 0;
}

static int path_in(char *out, size_t n, const char *dir, const char *name, ikr_err *e)
{
    if (snprintf(out, n, "%s/%s", dir, name) >= (int)n)
        return ikr_err_set(e, IKR_E_IO, "%s: the folder's name is too long", dir);
    return IKR_OK;
}

/* The passphrase of --passphrase-file into pass (empty: none). */
static int passphrase(const char *file, ikr_buf *pass, ikr_err *e)
{
    if (!file)
        return IKR_OK;
    return cli_read_passphrase(file, pass, e);
}

/* Prints the list t as `event show` does. */
static void print_list(const cli *c, const ikr_trust *t)
{
    ikr_buf line;
    ikr_buf_init(&line);
    printf("%s\n", L(c, "SAH: daftar kepercayaan acara, ditandatangani kunci acaranya.",
                     "VALID: an event trust list, signed by its event key."));
    printf("  %-12s %s\n", L(c, "Acara", "Event"), t->event);
    ikr_vkey_format(&line, t->event_key.name, t->event_key.pub);
    printf("  %-12s %.*s\n", L(c, "Kunci acara", "Event key"), (int)line.len, (const char *)line.p);
    printf("  %-12s %" PRIu64 "\n", L(c, "Nomor seri", "Serial"), t->serial);
    printf("  %-12s %zu\n", "Kiosk", t->n);
    for (size_t i = 0; i < t->n; i++) {
        ikr_buf_reset(&line);
        ikr_vkey_format(&line, t->k[i].key.name, t->k[i].key.pub);
        printf("    %.*s\n", (int)line.len, (const char *)line.p);
        if (t->k[i].revoked) {
            char when[40];
            cli_time(when, sizeof when, (long long)t->k[i].revoked_from, 0);
            printf("      %s %s (%" PRIu64 ")\n", L(c, "DICABUT sejak", "REVOKED from"), when,
                   t->k[i].revoked_from);
        }
    }
    if (t->n == 0)
        printf("    %s\n", L(c, "(belum ada kiosk)", "(no kiosk yet)"));
    printf("%s\n", L(c, "Bandingkan kunci acara dengan salinan dari penyelenggara.",
                     "Compare the event key with the organiser's own copy."));
    ikr_buf_free(&line);
}

static int event_init(cli *c, const char *event, const char *out, const char *pass_file)
{
    char p[IKR_FILE_PATH_MAX];
    ikr_err e;
    ikr_key *k = NULL;
    ikr_buf pass, note, pub;
    ikr_trust *t = malloc(sizeof *t);
    struct stat sb;
    int rc;
    ikr_err_clear(&e);
    ikr_buf_init(&pass);
    ikr_buf_init(&note);
    ikr_buf_init(&pub);
    if (!t) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        goto fail;
    }
    if (!ikr_event_id_ok(event)) {
        free(t);
        return cli_usage_error(c, "--event: 1 sampai 64 huruf a-z, angka, '.', '_' atau '-'.",
                               "--event: 1 to 64 of a-z, digits, '.', '_' or '-'.");
    }
    if (passphrase(pass_file, &pass, &e))
        goto fail;
    if (path_in(p, sizeof p, out, EVENT_KEY, &e))
        goto fail;
    if (lstat(p, &sb) == 0 || (errno != ENOENT && errno != ENOTDIR)) {
        ikr_err_set(&e, IKR_E_IO, "%s already exists: an event key is never overwritten", p);
        goto fail;
    }
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        ikr_err_set(&e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", out,
                    strerror(errno));
        goto fail;
    }
    if (ikr_key_generate(&k, &e) || ikr_trust_new(t, event, k, &e) ||
        ikr_trust_sign(&note, t, k, &e))
        goto fail;
    if (ikr_vkey_format(&pub, t->event_key.name, t->event_key.pub) || ikr_buf_addc(&pub, '\n')) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        goto fail;
    }
    /* The key last: a run that failed before it leaves no key, so running it again just works. */
    if (path_in(p, sizeof p, out, EVENT_PUB, &e) ||
        ikr_file_write_atomic(p, pub.p, pub.len, 0644, &e) ||
        path_in(p, sizeof p, out, IKR_TRUST_FILE, &e) ||
        ikr_file_write_atomic(p, note.p, note.len, 0644, &e) ||
        path_in(p, sizeof p, out, EVENT_KEY, &e) ||
        ikr_key_save(k, p, pass.len ? (const char *)pass.p : NULL, &e))
        goto fail;
    printf(L(c,
             "Kunci acara dibuat: %s/%s (rahasia; simpan di luar kiosk, dengan cadangan).\n"
             "Daftar kepercayaan kosong: %s/%s (nomor seri 1).\n"
             "Kunci verifikasi acara (terbitkan, agar auditor dapat membandingkannya):\n",
             "Event key made: %s/%s (secret; keep it off the kiosks, with a backup).\n"
             "Empty trust list: %s/%s (serial 1).\n"
             "The event's verifier key (publish it, so auditors can compare it):\n"),
           out, EVENT_KEY, out, IKR_TRUST_FILE);
    printf("%.*s", (int)pub.len, (const char *)pub.p);
    rc = EXIT_VALID;
    goto out;
fail:
    rc = cli_fail(c, &e);
out:
    ikr_key_free(k);
    free(t);
    ikr_buf_free(&pass);
    ikr_buf_free(&note);
    ikr_buf_free(&pub);
    return rc;
}

/* Reads the event folder: its key (with the passphrase) and its list, which that key signed. */
static int load_event_dir(const char *dir, const char *pass_file, ikr_key **k, ikr_trust *t,
                          ikr_err *e)
{
    char p[IKR_FILE_PATH_MAX];
    ikr_buf pass;
    int rc;
    ikr_buf_init(&pass);
    if ((rc = passphrase(pass_file, &pass, e)) || (rc = path_in(p, sizeof p, dir, EVENT_KEY, e)) ||
        (rc = ikr_key_load(k, p, pass.len ? (const char *)pass.p : NULL, e)) ||
        (rc = path_in(p, sizeof p, dir, IKR_TRUST_FILE, e)) || (rc = ikr_trust_load(t, p, e)))
        goto out;
    if (memcmp(ikr_key_public(*k), t->event_key.pub, IKR_PUB_LEN) != 0)
        rc = ikr_err_set(e, IKR_E_KEY_MISMATCH, "%s is not signed by %s/%s", p, dir, EVENT_KEY);
out:
    ikr_buf_free(&pass);
    return rc;
}

/* Signs t (its serial raised) with k and replaces dir/trust.txt with it. */
static int save_list(const char *dir, ikr_trust *t, const ikr_key *k, ikr_err *e)
{
    char p[IKR_FILE_PATH_MAX];
    ikr_buf note;
    int rc;
    ikr_buf_init(&note);
    t->serial++;
    if (!(rc = ikr_trust_sign(&note, t, k, e)) &&
        !(rc = path_in(p, sizeof p, dir, IKR_TRUST_FILE, e)))
        rc = ikr_file_write_atomic(p, note.p, note.len, 0644, e);
    ikr_buf_free(&note);
    return rc;
}

/*
 * The kiosk keys at src: a data folder's own key, a bundle's verifier.key,
 * or a file of verifier key lines.  keys has room for IKR_MAX_VKEYS.
 */
static int keys_from(const char *src, ikr_vkey *keys, size_t *n, ikr_err *e)
{
    struct stat sb;
    char p[IKR_FILE_PATH_MAX];
    *n = 0;
    if (stat(src, &sb) != 0)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", src, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return cli_load_vkeys(src, keys, n, e);
    int rc = path_in(p, sizeof p, src, IKR_BUNDLE_VKEY, e);
    if (rc)
        return rc;
    if (stat(p, &sb) == 0)
        return cli_load_vkeys(p, keys, n, e);
    ikr_station *s = NULL;
    ikr_buf line;
    ikr_buf_init(&line);
    if (!(rc = ikr_station_open(&s, src, IKR_OPEN_VERIFY, NULL, e))) {
        if (ikr_station_vkey(s, &line) || ikr_vkey_parse(&keys[0], (const char *)line.p, line.len))
            rc = ikr_err_set(e, IKR_E_INTERNAL, "verifier key");
        else
            *n = 1;
    }
    ikr_station_close(s);
    ikr_buf_free(&line);
    return rc;
}

static int event_add(cli *c, const char *dir, const char *pass_file, const char *src)
{
    ikr_err e;
    ikr_key *k = NULL;
    ikr_trust *t = malloc(sizeof *t);
    ikr_vkey *keys = calloc(IKR_MAX_VKEYS, sizeof *keys);
    size_t n = 0, added = 0;
    int rc;
    ikr_err_clear(&e);
    if (!t || !keys) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        goto fail;
    }
    if (load_event_dir(dir, pass_file, &k, t, &e) || keys_from(src, keys, &n, &e))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        ikr_err one;
        ikr_err_clear(&one);
        int r = ikr_trust_add(t, &keys[i], &one);
        if (r == IKR_E_TRUST_SAME) {
            char msg[512];
            printf("%s\n", ikr_err_format(&one, c->lang, msg, sizeof msg));
            continue;
        }
        if (r) {
            e = one;
            goto fail;
        }
        printf(L(c, "Ditambahkan: %s\n", "Added: %s\n"), keys[i].name);
        added++;
    }
    if (added && save_list(dir, t, k, &e))
        goto fail;
    if (added)
        printf(L(c, "Daftar kepercayaan %s/%s diperbarui: nomor seri %" PRIu64 ", %zu kiosk.\n",
                 "Trust list %s/%s updated: serial %" PRIu64 ", %zu kiosks.\n"),
               dir, IKR_TRUST_FILE, t->serial, t->n);
    rc = EXIT_VALID;
    goto out;
fail:
    rc = cli_fail(c, &e);
out:
    ikr_key_free(k);
    free(t);
    free(keys);
    return rc;
}

static int event_revoke(cli *c, const char *dir, const char *pass_file, const char *kiosk,
                        uint64_t from)
{
    ikr_err e;
    ikr_key *k = NULL;
    ikr_trust *t = malloc(sizeof *t);
    int rc;
    ikr_err_clear(&e);
    if (!t) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        goto fail;
    }
    if (load_event_dir(dir, pass_file, &k, t, &e) || ikr_trust_revoke(t, kiosk, from, &e) ||
        save_list(dir, t, k, &e))
        goto fail;
    char when[40];
    cli_time(when, sizeof when, (long long)from, 0);
    printf(L(c,
             "Kiosk %s dicabut sejak %s (%" PRIu64 "): catatan dan struknya sejak saat itu tidak "
             "dipercaya.\nDaftar kepercayaan %s/%s diperbarui: nomor seri %" PRIu64
             ". Salin ke kiosk dan auditor.\n",
             "Kiosk %s revoked from %s (%" PRIu64 "): its records and receipts from then on are "
             "not trusted.\nTrust list %s/%s updated: serial %" PRIu64
             ". Copy it to the kiosks and the auditors.\n"),
           kiosk, when, from, dir, IKR_TRUST_FILE, t->serial);
    rc = EXIT_VALID;
    goto out;
fail:
    rc = cli_fail(c, &e);
out:
    ikr_key_free(k);
    free(t);
    return rc;
}

static int event_show(cli *c, const char *file)
{
    ikr_err e;
    ikr_trust *t = malloc(sizeof *t);
    int rc;
    ikr_err_clear(&e);
    if (!t)
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
    if (!t || ikr_trust_load(t, file, &e)) {
        rc = cli_fail(c, &e);
    } else {
        print_list(c, t);
        rc = EXIT_VALID;
    }
    free(t);
    return rc;
}

static int event_install(cli *c, const char *data, const char *file)
{
    ikr_err e;
    ikr_station *s = NULL;
    ikr_buf note, line;
    ikr_vkey own;
    ikr_trust *t = malloc(sizeof *t);
    int rc;
    ikr_err_clear(&e);
    ikr_buf_init(&note);
    ikr_buf_init(&line);
    if (!t) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        goto fail;
    }
    if (ikr_file_read(file, IKR_TRUST_MAX_NOTE, &note, &e)) {
        if (e.code == IKR_E_IO && strstr(e.detail, "too large")) {
            ikr_err_clear(&e);
            ikr_err_set(&e, IKR_E_TRUST_LIST, "%s: more than %d bytes", file, IKR_TRUST_MAX_NOTE);
        }
        goto fail;
    }
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e))
        goto fail;
    if (ikr_station_vkey(s, &line) || ikr_vkey_parse(&own, (const char *)line.p, line.len)) {
        ikr_err_set(&e, IKR_E_INTERNAL, "verifier key");
        goto fail;
    }
    if (ikr_trust_install(ikr_station_dir(s), (const char *)note.p, note.len, &own, t, &e))
        goto fail;
    printf(L(c,
             "Daftar kepercayaan acara %s (nomor seri %" PRIu64 ", %zu kiosk) terpasang di %s.\n"
             "Stasiun verifikasi kiosk ini kini menerima struk dari setiap kiosk di daftar.\n",
             "Trust list of event %s (serial %" PRIu64 ", %zu kiosks) installed in %s.\n"
             "This kiosk's verify station now accepts receipts from every kiosk on the list.\n"),
           t->event, t->serial, t->n, data);
    rc = EXIT_VALID;
    goto out;
fail:
    rc = cli_fail(c, &e);
out:
    ikr_station_close(s);
    ikr_buf_free(&note);
    ikr_buf_free(&line);
    free(t);
    return rc;
}

int cmd_event(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"event", 1, NULL, 0},           {"out", 1, NULL, 0},
                   {"event-dir", 1, NULL, 0},       {"from", 1, NULL, 0},
                   {"passphrase-file", 1, NULL, 0}, {"data", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    const char *pos[2];
    int npos = 0, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, pos, 2, &npos, help)) >= 0)
        return rc;
    if (npos < 1)
        return cli_usage_error(c, "Berikan init, add-kiosk, revoke-kiosk, show atau install.",
                               "Give init, add-kiosk, revoke-kiosk, show or install.");
    const char *sub = pos[0], *dir = cli_opt_get(o, no, "event-dir");
    const char *pass = cli_opt_get(o, no, "passphrase-file");
    if (strcmp(sub, "init") == 0) {
        const char *event = cli_opt_get(o, no, "event"), *out = cli_opt_get(o, no, "out");
        if (!event || !out || npos != 1)
            return cli_usage_error(c, "init perlu --event ID dan --out DIR.",
                                   "init needs --event ID and --out DIR.");
        return event_init(c, event, out, pass);
    }
    if (strcmp(sub, "add-kiosk") == 0) {
        if (!dir || npos != 2)
            return cli_usage_error(c, "add-kiosk perlu --event-dir DIR dan satu kunci kiosk.",
                                   "add-kiosk needs --event-dir DIR and one kiosk key.");
        return event_add(c, dir, pass, pos[1]);
    }
    if (strcmp(sub, "revoke-kiosk") == 0) {
        const char *from = cli_opt_get(o, no, "from");
        uint64_t t;
        if (!dir || !from || npos != 2)
            return cli_usage_error(c, "revoke-kiosk perlu --event-dir DIR, KIOSK dan --from TIME.",
                                   "revoke-kiosk needs --event-dir DIR, KIOSK and --from TIME.");
        if (parse_time(from, &t) != 0)
            return cli_usage_error(
                c, "--from: 'now', detik Unix, atau 'YYYY-MM-DD HH:MM[:SS] [WIB|WITA|WIT]'.",
                "--from: 'now', Unix seconds, or 'YYYY-MM-DD HH:MM[:SS] [WIB|WITA|WIT]'.");
        return event_revoke(c, dir, pass, pos[1], t);
    }
    if (strcmp(sub, "show") == 0) {
        if (npos != 2)
            return cli_usage_error(c, "show perlu satu berkas daftar.",
                                   "show needs one list file.");
        return event_show(c, pos[1]);
    }
    if (strcmp(sub, "install") == 0) {
        if (npos != 2)
            return cli_usage_error(c, "install perlu satu berkas daftar.",
                                   "install needs one list file.");
        return event_install(c, cli_data_dir(cli_opt_get(o, no, "data")), pos[1]);
    }
    return cli_usage_error(c, "Sub-perintah tidak dikenal.", "Unknown subcommand.");
}
