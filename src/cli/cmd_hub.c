/*
 * cmd_hub.c: the hub (docs/hub.md).  `ikrar hub init|event|join|verify`
 * for the organiser, `ikrar push` for a kiosk, and the hub's side of
 * `ikrar stats --hub` and `ikrar export --hub`.
 *
 * A URL with a password should not sit on a command line, where `ps` shows
 * it: --hub-file FILE (its first line) or $IKRAR_HUB give it instead.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/hub.h"
#include "ikrar/merge.h"
#include "ikrar/note.h"
#include "ikrar/oplog.h"
#include "ikrar/station.h"

static void help(const cli *c)
{
    printf("%s:\n"
           "  ikrar hub init (--hub URL | --hub-file F) --witness KEYFILE [--name NAME]\n"
           "                 [--passphrase-file F]\n"
           "  ikrar hub event (--hub URL | --hub-file F) --data DIR [--roster CSV]\n"
           "  ikrar hub join (--hub URL | --hub-file F) --data DIR\n"
           "  ikrar hub verify (--hub URL | --hub-file F) --witness KEYFILE [--passphrase-file F]\n"
           "                   [--threads N] [--follow]\n"
           "\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Pusat (hub) adalah basis data PostgreSQL tempat catatan semua kiosk satu acara\n"
             "berkumpul. init membuat skemanya dan kunci saksi (witness) pusat; event memuat\n"
             "acara dari folder data kiosk (daftar kepercayaan, deklarasi, roster); join memberi\n"
             "kiosk peran login sendiri dan menulis hub.conf ke folder datanya; verify memeriksa\n"
             "kiriman kiosk (tanda tangan, kunci, pohon Merkle, checkpoint) dan menandatangani\n"
             "checkpoint yang diterima. push mengirim catatan kiosk yang belum ada di pusat.\n"
             "URL juga dapat diberikan lewat --hub-file atau $IKRAR_HUB. Lihat juga: ikrar push,\n"
             "ikrar stats --hub, ikrar export --hub.",
             "The hub is a PostgreSQL database where the records of all of an event's kiosks\n"
             "come together. init makes its schema and the hub's witness key; event loads the\n"
             "event from a kiosk's data folder (trust list, declaration, roster); join gives a\n"
             "kiosk a login role of its own and writes hub.conf into its data folder; verify\n"
             "checks what kiosks sent (signatures, keys, Merkle tree, checkpoints) and cosigns\n"
             "the checkpoints it accepts. push sends the kiosk's records the hub lacks.\n"
             "The URL can also be given by --hub-file or $IKRAR_HUB. See also: ikrar push,\n"
             "ikrar stats --hub, ikrar export --hub."));
}

/* The hub's URL: --hub, else the first line of --hub-file, else $IKRAR_HUB; NULL when none. */
static const char *hub_url(const char *url, const char *file, ikr_buf *store, ikr_err *e)
{
    if (url && url[0])
        return url;
    if (file) {
        if (ikr_file_read(file, IKR_HUB_MAX_URL + 2, store, e))
            return NULL;
        size_t n = strcspn((const char *)store->p, "\r\n");
        store->p[n] = '\0';
        return n ? (const char *)store->p : NULL;
    }
    const char *env = getenv("IKRAR_HUB");
    return env && env[0] ? env : NULL;
}

static int connect_or_fail(const cli *c, ikr_hub **h, const char *url, ikr_err *e)
{
    if (ikr_hub_connect(h, url, IKR_HUB_TIMEOUT_S, e))
        return cli_fail(c, e);
    return -1;
}

/* The witness key: loaded from path, or made there (0600) when the file does not exist. */
static int witness_key(const char *path, const char *pass_file, int create, ikr_key **k, int *made,
                       ikr_err *e)
{
    ikr_buf pass;
    struct stat sb;
    int rc;
    *made = 0;
    ikr_buf_init(&pass);
    if (pass_file && (rc = cli_read_passphrase(pass_file, &pass, e)))
        goto out;
    const char *pw = pass.len ? (const char *)pass.p : NULL;
    if (stat(path, &sb) != 0 && errno == ENOENT && create) {
        if (!(rc = ikr_key_generate(k, e)) && !(rc = ikr_key_save(*k, path, pw, e)))
            *made = 1;
    } else {
        rc = ikr_key_load(k, path, pw, e);
    }
out:
    ikr_buf_free(&pass);
    return rc;
}

static int hub_init(const cli *c, const char *url, const char *wpath, const char *name,
                    const char *pass_file)
{
    ikr_err e;
    ikr_hub *h = NULL;
    ikr_key *k = NULL;
    ikr_buf vk;
    char full[IKR_MAX_ORIGIN + 1];
    int made = 0, rc;
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    snprintf(full, sizeof full, "%s%s", IKR_HUB_WITNESS_PREFIX, name ? name : "hub");
    if (!ikr_note_name_ok(full))
        return cli_usage_error(c, "--name: huruf ASCII tanpa spasi atau '+'.",
                               "--name: ASCII without spaces or '+'.");
    if ((rc = connect_or_fail(c, &h, url, &e)) >= 0)
        return rc;
    if (witness_key(wpath, pass_file, 1, &k, &made, &e) ||
        ikr_witness_vkey_format(&vk, full, ikr_key_public(k)) || ikr_buf_addc(&vk, '\0')) {
        if (!e.code)
            ikr_err_set(&e, IKR_E_NOMEM, "witness");
        rc = cli_fail(c, &e);
    } else if (ikr_hub_init(h, (const char *)vk.p, &e)) {
        rc = cli_fail(c, &e);
    } else {
        if (made)
            printf(L(c, "Kunci saksi dibuat: %s\n", "Witness key made: %s\n"), wpath);
        printf(L(c, "Pusat siap. Kunci verifikasi saksinya:\n%s\n",
                 "The hub is ready. Its witness verifier key:\n%s\n"),
               (const char *)vk.p);
        rc = EXIT_VALID;
    }
    ikr_key_free(k);
    ikr_buf_free(&vk);
    ikr_hub_close(h);
    return rc;
}

static int hub_event(const cli *c, const char *url, const char *data, const char *roster)
{
    ikr_err e;
    ikr_hub *h = NULL;
    ikr_station *s = NULL;
    ikr_buf csv;
    uint64_t rows = 0;
    int rc;
    ikr_err_clear(&e);
    ikr_buf_init(&csv);
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e))
        return cli_fail(c, &e);
    if ((rc = connect_or_fail(c, &h, url, &e)) >= 0)
        goto out;
    const ikr_event_info *ev = ikr_station_event(s);
    if (ikr_hub_event_put(h, s, &e) ||
        (roster &&
         (ikr_file_read(roster, IKR_ROSTER_MAX_BYTES, &csv, &e) ||
          ikr_hub_roster_put(h, ev->event, csv.p, csv.len, ikr_clock_now(), &rows, &e)))) {
        rc = cli_fail(c, &e);
        goto out;
    }
    char shown[IKR_TEXT_ESCAPED_MAX(IKR_MAX_EVENT_ID)];
    printf(L(c, "Acara %s dimuat ke pusat", "Event %s loaded into the hub"),
           CLI_SHOWN(shown, ev->event));
    if (roster)
        printf(L(c, ", dengan roster %llu baris", ", with a roster of %llu rows"),
               (unsigned long long)rows);
    printf(".\n");
    rc = EXIT_VALID;
out:
    ikr_buf_free(&csv);
    ikr_hub_close(h);
    ikr_station_close(s);
    return rc;
}

static int hub_join(const cli *c, const char *url, const char *data)
{
    ikr_err e;
    ikr_hub *h = NULL;
    ikr_station *s = NULL;
    ikr_hub_conf conf;
    int rc;
    ikr_err_clear(&e);
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e))
        return cli_fail(c, &e);
    if ((rc = connect_or_fail(c, &h, url, &e)) >= 0)
        goto out;
    if (ikr_hub_join(h, url, s, &conf, &e) || ikr_hub_conf_save(data, &conf, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    char shown[IKR_TEXT_ESCAPED_MAX(IKR_MAX_ORIGIN)];
    printf(L(c,
             "Kiosk %s tergabung ke pusat; alamatnya dan kunci saksi pusat ada di %s/%s.\n"
             "Kunci saksi: %s\n",
             "Kiosk %s joined the hub; its address and the hub's witness key are in %s/%s.\n"
             "Witness key: %s\n"),
           CLI_SHOWN(shown, ikr_station_event(s)->origin), data, IKR_HUB_CONF_FILE, conf.witness);
    rc = EXIT_VALID;
out:
    memset(&conf, 0, sizeof conf);
    ikr_hub_close(h);
    ikr_station_close(s);
    return rc;
}

static volatile sig_atomic_t stop_asked;
static void on_stop(int sig)
{
    (void)sig;
    stop_asked = 1;
}

static int hub_verify(const cli *c, const char *url, const char *wpath, const char *pass_file,
                      int threads, int follow)
{
    ikr_err e;
    ikr_hub *h = NULL;
    ikr_key *k = NULL;
    ikr_buf wl;
    ikr_vkey w;
    int made = 0, rc = EXIT_VALID;
    ikr_err_clear(&e);
    ikr_buf_init(&wl);
    if (witness_key(wpath, pass_file, 0, &k, &made, &e))
        return cli_fail(c, &e);
    if (follow) {
        signal(SIGTERM, on_stop);
        signal(SIGINT, on_stop);
    }
    unsigned backoff = 1;
    while (!stop_asked) {
        ikr_hub_verify_result r;
        if (!h) {
            ikr_err_clear(&e);
            if (ikr_hub_connect(&h, url, IKR_HUB_TIMEOUT_S, &e) || ikr_hub_witness(h, &wl, &e) ||
                ikr_witness_vkey_parse(&w, (const char *)wl.p, wl.len) ||
                memcmp(w.pub, ikr_key_public(k), IKR_PUB_LEN)) {
                if (!e.code)
                    ikr_err_set(&e, IKR_E_HUB_EXISTS, "witness");
                ikr_hub_close(h);
                h = NULL;
                if (!follow || e.code == IKR_E_HUB_EXISTS || e.code == IKR_E_HUB_SCHEMA) {
                    rc = cli_fail(c, &e);
                    break;
                }
                cli_fail(c, &e);
                sleep(backoff);
                backoff = backoff < 30 ? backoff * 2 : 30;
                continue;
            }
            backoff = 1;
        }
        ikr_err_clear(&e);
        if (ikr_hub_verify(h, k, w.name, ikr_clock_now(), threads, &r, &e)) {
            rc = cli_fail(c, &e);
            ikr_hub_close(h);
            h = NULL;
            if (!follow)
                break;
            sleep(backoff);
            backoff = backoff < 30 ? backoff * 2 : 30;
            continue;
        }
        if (r.records || r.checkpoints || r.flagged || !follow) {
            printf(L(c,
                     "Diterima: %llu catatan, %llu checkpoint ditandatangani saksi; %llu kiosk "
                     "ditandai; %llu catatan menunggu checkpoint.\n",
                     "Accepted: %llu records, %llu checkpoints cosigned; %llu kiosks flagged; "
                     "%llu records waiting for a checkpoint.\n"),
                   (unsigned long long)r.records, (unsigned long long)r.checkpoints,
                   (unsigned long long)r.flagged, (unsigned long long)r.waiting);
            fflush(stdout);
        }
        rc = r.flagged ? EXIT_INVALID : EXIT_VALID;
        if (!follow)
            break;
        ikr_err_clear(&e);
        if (ikr_hub_wait(h, 10000, &e) < 0) {
            ikr_hub_close(h);
            h = NULL;
        }
    }
    ikr_hub_close(h);
    ikr_key_free(k);
    ikr_buf_free(&wl);
    return rc;
}

int cmd_hub(cli *c, int argc, char **argv)
{
    cli_opt o[] = {
        {"hub", 1, NULL, 0},     {"hub-file", 1, NULL, 0}, {"witness", 1, NULL, 0},
        {"name", 1, NULL, 0},    {"data", 1, NULL, 0},     {"roster", 1, NULL, 0},
        {"threads", 1, NULL, 0}, {"follow", 0, NULL, 0},   {"passphrase-file", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    const char *pos[1];
    int npos = 0, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, pos, 1, &npos, help)) >= 0)
        return rc;
    if (npos != 1)
        return cli_usage_error(c, "Berikan init, event, join atau verify.",
                               "Give init, event, join or verify.");
    ikr_err e;
    ikr_buf store;
    ikr_err_clear(&e);
    ikr_buf_init(&store);
    const char *url =
        hub_url(cli_opt_get(o, no, "hub"), cli_opt_get(o, no, "hub-file"), &store, &e);
    const char *sub = pos[0], *witness = cli_opt_get(o, no, "witness");
    const char *pass = cli_opt_get(o, no, "passphrase-file");
    if (e.code)
        rc = cli_fail(c, &e);
    else if (!url)
        rc = cli_usage_error(c, "Berikan --hub URL, --hub-file atau $IKRAR_HUB.",
                             "Give --hub URL, --hub-file or $IKRAR_HUB.");
    else if (!strcmp(sub, "init"))
        rc = witness ? hub_init(c, url, witness, cli_opt_get(o, no, "name"), pass)
                     : cli_usage_error(c, "init perlu --witness KEYFILE.",
                                       "init needs --witness KEYFILE.");
    else if (!strcmp(sub, "event"))
        rc = hub_event(c, url, cli_data_dir(cli_opt_get(o, no, "data")),
                       cli_opt_get(o, no, "roster"));
    else if (!strcmp(sub, "join"))
        rc = hub_join(c, url, cli_data_dir(cli_opt_get(o, no, "data")));
    else if (!strcmp(sub, "verify")) {
        const char *t = cli_opt_get(o, no, "threads");
        int threads = t ? atoi(t) : 2;
        if (!witness)
            rc = cli_usage_error(c, "verify perlu --witness KEYFILE.",
                                 "verify needs --witness KEYFILE.");
        else if (threads < 1 || threads > 8)
            rc = cli_usage_error(c, "--threads: 1 sampai 8.", "--threads: 1 to 8.");
        else
            rc = hub_verify(c, url, witness, pass, threads, cli_opt_get(o, no, "follow") != NULL);
    } else
        rc = cli_usage_error(c, "Sub-perintah tidak dikenal.", "Unknown subcommand.");
    ikr_buf_free(&store);
    return rc;
}

/* ---- ikrar push ---- */

static void push_help(const cli *c)
{
    printf("%s: ikrar push [--data DIR] [--hub URL]\n\n%s\n", L(c, "Pemakaian", "Usage"),
           L(c,
             "Mengirim catatan kiosk yang belum ada di pusat, lalu checkpoint-nya, dan menyimpan\n"
             "checkpoint terbaru yang sudah ditandatangani saksi pusat (hub-cosig.txt). Aman\n"
             "diulang atau diputus kapan saja. Tanpa --hub, alamat dari hub.conf (ikrar hub join).",
             "Sends the kiosk's records the hub lacks, then its checkpoint, and keeps the newest\n"
             "checkpoint the hub's witness cosigned (hub-cosig.txt). Safe to repeat or cut at\n"
             "any point. Without --hub, the address from hub.conf (ikrar hub join)."));
}

int cmd_push(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"hub", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc, present = 0;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, push_help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data"));
    ikr_err e;
    ikr_hub_conf conf;
    ikr_hub *h = NULL;
    ikr_station *s = NULL;
    ikr_hub_push_result r;
    ikr_err_clear(&e);
    if (ikr_hub_conf_load(data, &conf, &present, &e))
        return cli_fail(c, &e);
    if (!present) {
        ikr_err_set(&e, IKR_E_HUB_CONF, "%s/%s", data, IKR_HUB_CONF_FILE);
        return cli_fail(c, &e);
    }
    const char *url = cli_opt_get(o, no, "hub");
    if (url && strlen(url) > IKR_HUB_MAX_URL)
        return cli_usage_error(c, "--hub terlalu panjang.", "--hub is too long.");
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e) ||
        ikr_hub_connect(&h, url ? url : conf.url, IKR_HUB_TIMEOUT_S, &e) ||
        ikr_hub_push(h, s, &conf, &r, &e)) {
        rc = cli_fail(c, &e);
    } else {
        printf(L(c, "Terkirim %llu catatan; log kiosk %llu catatan; pusat sudah memeriksa %llu.\n",
                 "Sent %llu records; the kiosk's log has %llu; the hub has verified %llu.\n"),
               (unsigned long long)r.sent, (unsigned long long)r.local,
               (unsigned long long)r.accepted);
        ikr_oplog("push", "sent=%llu local=%llu accepted=%llu", (unsigned long long)r.sent,
                  (unsigned long long)r.local, (unsigned long long)r.accepted);
        rc = EXIT_VALID;
    }
    memset(&conf, 0, sizeof conf);
    ikr_hub_close(h);
    ikr_station_close(s);
    return rc;
}

/* ---- the hub's side of stats and export ---- */

int cli_hub_stats(const cli *c, const char *url, const char *event)
{
    ikr_err e;
    ikr_hub *h = NULL;
    ikr_hub_stats st;
    int rc;
    ikr_err_clear(&e);
    if ((rc = connect_or_fail(c, &h, url, &e)) >= 0)
        return rc;
    if (ikr_hub_stats_get(h, event, &st, &e)) {
        ikr_hub_close(h);
        return cli_fail(c, &e);
    }
    ikr_hub_close(h);
    const char *none = L(c, "(tanpa unit kerja)", "(no work unit)");
    int roster = st.listed > 0;
    printf("%-40s  %8s  %8s\n", L(c, "Unit kerja", "Work unit"), L(c, "Sudah", "Signed"),
           roster ? L(c, "Roster", "Expected") : "");
    for (size_t i = 0; i < st.nunits; i++) {
        char shown[IKR_TEXT_ESCAPED_MAX(IKR_MAX_UNIT)];
        CLI_SHOWN(shown, st.units[i].unit[0] ? st.units[i].unit : none);
        if (roster)
            printf("%-40s  %8llu  %8llu\n", shown, (unsigned long long)st.units[i].signed_n,
                   (unsigned long long)st.units[i].expected);
        else
            printf("%-40s  %8llu\n", shown, (unsigned long long)st.units[i].signed_n);
    }
    if (roster)
        printf("%-40s  %8llu  %8llu\n", L(c, "Jumlah", "Total"),
               (unsigned long long)st.listed_signed, (unsigned long long)st.listed);
    printf(L(c,
             "\nCatatan terperiksa di pusat: %llu (%llu NIP berbeda, %llu tanpa NIP).\n"
             "NIP yang menandatangani lebih dari sekali: %llu\n",
             "\nRecords verified at the hub: %llu (%llu distinct NIPs, %llu without NIP).\n"
             "NIPs that signed more than once: %llu\n"),
           (unsigned long long)st.records, (unsigned long long)st.nips,
           (unsigned long long)st.non_asn, (unsigned long long)st.duplicates);
    printf("\n%-40s  %8s  %8s  %s\n", "Kiosk", L(c, "Diterima", "Accepted"),
           L(c, "Menunggu", "Waiting"), L(c, "Keadaan", "State"));
    int flagged = 0;
    for (size_t i = 0; i < st.nkiosks; i++) {
        char shown[IKR_TEXT_ESCAPED_MAX(IKR_MAX_ORIGIN)], why[IKR_TEXT_ESCAPED_MAX(160)];
        const ikr_hub_kiosk *k = &st.kiosks[i];
        CLI_SHOWN(shown, k->origin);
        CLI_SHOWN(why, k->flag);
        flagged |= k->flagged;
        printf("%-40s  %8llu  %8llu  %s%s\n", shown, (unsigned long long)k->accepted,
               (unsigned long long)k->waiting, k->flagged ? L(c, "DITANDAI: ", "FLAGGED: ") : "ok",
               k->flagged ? why : "");
    }
    ikr_hub_stats_free(&st);
    return flagged ? EXIT_INVALID : EXIT_VALID;
}

typedef struct hub_export_job {
    const cli *c;
    const char *url, *event, *out;
    char sep;
} hub_export_job;

static int hub_export_run(void *ctx)
{
    hub_export_job *j = ctx;
    const cli *c = j->c;
    ikr_err e;
    ikr_hub *h = NULL;
    char tmp[1100];
    char(*paths)[1200] = calloc(IKR_MERGE_MAX_BUNDLES, sizeof *paths);
    const char **pp = calloc(IKR_MERGE_MAX_BUNDLES, sizeof *pp);
    size_t n = 0;
    ikr_merge_stats ms;
    int rc;
    ikr_err_clear(&e);
    snprintf(tmp, sizeof tmp, "%s.hub-%ld", j->out, (long)getpid());
    if (!paths || !pp) {
        ikr_err_set(&e, IKR_E_NOMEM, "export");
        rc = cli_fail(c, &e);
        goto out;
    }
    if (mkdir(tmp, 0700) != 0) {
        ikr_err_set(&e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s", tmp);
        rc = cli_fail(c, &e);
        goto out;
    }
    if (ikr_hub_connect(&h, j->url, IKR_HUB_TIMEOUT_S, &e) ||
        ikr_hub_fetch_bundles(h, j->event, tmp, paths, IKR_MERGE_MAX_BUNDLES, &n, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    if (n == 0) {
        ikr_err_set(&e, IKR_E_HUB_EVENT, "%s: no verified records yet", j->event);
        rc = cli_fail(c, &e);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        pp[i] = paths[i];
    if (ikr_merge(j->out, pp, n, j->sep, 2, &ms, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    printf(L(c,
             "Bundel gabungan dari pusat ditulis ke %s: %zu kiosk, %llu catatan, %llu NIP "
             "menandatangani lebih dari sekali.\n",
             "Merged bundle from the hub written to %s: %zu kiosks, %llu records, %llu NIPs "
             "signed more than once.\n"),
           j->out, ms.kiosks, (unsigned long long)ms.records,
           (unsigned long long)ms.duplicate_nips);
    rc = EXIT_VALID;
out:
    ikr_hub_close(h);
    ikr_file_remove_tree(tmp);
    free(paths);
    free(pp);
    return rc;
}

int cli_hub_export(const cli *c, const char *url, const char *event, const char *out, char sep)
{
    hub_export_job j = {c, url, event, out, sep ? sep : ','};
    int rc = cli_guard(out, hub_export_run, &j);
    if (rc < 0) {
        ikr_err e;
        ikr_err_clear(&e);
        ikr_err_set(&e, IKR_E_INTERNAL,
                    "the export was ended by signal %d; its unfinished folder was removed", -rc);
        rc = cli_fail(c, &e);
    }
    return rc;
}
