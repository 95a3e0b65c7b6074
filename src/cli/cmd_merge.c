/*
 * cmd_merge.c: `ikrar merge` joins the roster bundles of one event's
 * kiosks, after auditing each, into one merged bundle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikrar/bundle.h"
#include "ikrar/limits.h"
#include "ikrar/merge.h"
#include "ikrar/note.h"
#include "ikrar/ticket.h"
#include "ikrar/trust.h"

static void help(const cli *c)
{
    printf(
        "%s: ikrar merge --out DIR [--trust FILE | --key FILE] [--csv-sep ';'] [--threads N] "
        "BUNDLE...\n\n%s\n",
        L(c, "Pemakaian", "Usage"),
        L(c,
          "Menggabungkan bundel roster (ikrar export) dari kiosk-kiosk satu acara ke folder DIR\n"
          "(yang belum boleh ada). Setiap bundel diperiksa dulu; bundel rusak, bundel acara\n"
          "lain, atau kiosk yang sama dua kali ditolak. Hasilnya: kiosks/<nama kiosk>/ (bundel\n"
          "utuh tiap kiosk), roster.csv (semua penanda tangan) dan duplicates.csv (NIP yang\n"
          "menandatangani lebih dari sekali, di mana dan kapan). Periksa dengan: ikrar audit DIR\n"
          "--trust: daftar kepercayaan acara (ikrar event); --key: berkas kunci verifikasi.\n"
          "Kunci setiap kiosk harus ada di sana, dan kiosk yang dicabut tidak boleh punya\n"
          "catatan sejak dicabut. Tanpa keduanya, setiap bundel hanya diperiksa dengan\n"
          "kuncinya sendiri, yang tidak membuktikan siapa pembuatnya.",
          "Joins the roster bundles (ikrar export) of one event's kiosks into the folder DIR\n"
          "(which must not exist yet). Each bundle is audited first; a broken bundle, another\n"
          "event's bundle or the same kiosk twice is refused. The result: kiosks/<kiosk name>/\n"
          "(each kiosk's bundle, whole), roster.csv (every signer) and duplicates.csv (NIPs that\n"
          "signed more than once, where and when). Check it with: ikrar audit DIR\n"
          "--trust: the event trust list (ikrar event); --key: a file of verifier keys.\n"
          "Every kiosk's key must be there, and a revoked kiosk may hold no record from its\n"
          "revocation on. Without either, each bundle is checked only with its own key,\n"
          "which proves nothing about who made it."));
}

/* What the child of cli_guard is to merge. */
typedef struct merge_job {
    cli *c;
    const char *out;
    const char *const *paths;
    size_t n;
    char sep;
    int threads;
    const ikr_trust *trust; /* --trust, or NULL */
    const ikr_vkey *keys;   /* --key, or NULL */
    size_t nkeys;
} merge_job;

/* A kiosk's copied bundle against --trust or --key. */
static int check_kiosk(void *ctx, const char *dir, ikr_err *e)
{
    const merge_job *j = ctx;
    if (j->trust)
        return ikr_trust_check_bundle(j->trust, dir, e);
    ikr_bundle b;
    int rc = ikr_bundle_open(&b, dir, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < j->nkeys; i++)
        if (strcmp(j->keys[i].name, b.vkey.name) == 0 &&
            memcmp(j->keys[i].pub, b.vkey.pub, IKR_PUB_LEN) == 0)
            return IKR_OK;
    return ikr_err_set(e, IKR_E_AUDIT_KEY, "%s", b.vkey.name);
}

static int merge_run(void *ctx)
{
    merge_job *j = ctx;
    ikr_err e;
    ikr_merge_stats st;
    ikr_err_clear(&e);
    int rc = ikr_merge_checked(j->out, j->paths, j->n, j->sep, j->threads,
                               j->trust || j->keys ? check_kiosk : NULL, j, &st, &e);
    ikr_ticket_release_caches(); /* the PDF's fonts: process-wide caches, let go before exit */
    if (rc)
        return cli_fail(j->c, &e);
    char shown[IKR_TEXT_ESCAPED_MAX(256)];
    printf(
        L(j->c,
          "Bundel gabungan ditulis ke %s: %zu kiosk, %llu catatan, %llu NIP menandatangani lebih "
          "dari sekali (duplicates.csv).\n",
          "Merged bundle written to %s: %zu kiosks, %llu records, %llu NIPs signed more than once "
          "(duplicates.csv).\n"),
        CLI_SHOWN(shown, j->out), st.kiosks, (unsigned long long)st.records,
        (unsigned long long)st.duplicate_nips);
    return EXIT_VALID;
}

int cmd_merge(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"out", 1, NULL, 0},
                   {"csv-sep", 1, NULL, 0},
                   {"threads", 1, NULL, 0},
                   {"trust", 1, NULL, 0},
                   {"key", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    const char *pos[IKR_MERGE_MAX_BUNDLES];
    int npos = 0, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, pos, IKR_MERGE_MAX_BUNDLES, &npos, help)) >= 0)
        return rc;
    const char *out = cli_opt_get(o, no, "out"), *sep = cli_opt_get(o, no, "csv-sep");
    const char *th = cli_opt_get(o, no, "threads");
    if (!out || npos < 1)
        return cli_usage_error(c, "--out dan paling sedikit satu bundel harus diberikan.",
                               "--out and at least one bundle are required.");
    if (sep && strcmp(sep, ",") != 0 && strcmp(sep, ";") != 0)
        return cli_usage_error(c, "--csv-sep harus ',' atau ';'.", "--csv-sep must be ',' or ';'.");
    int threads = 0;
    if (th) {
        char *end;
        long v = strtol(th, &end, 10);
        if (*end || v < 1 || v > 64)
            return cli_usage_error(c, "--threads harus 1 sampai 64.", "--threads must be 1 to 64.");
        threads = (int)v;
    }
    const char *trustfile = cli_opt_get(o, no, "trust"), *keyfile = cli_opt_get(o, no, "key");
    if (trustfile && keyfile)
        return cli_usage_error(c, "Berikan --trust atau --key, bukan keduanya.",
                               "Give --trust or --key, not both.");
    merge_job j = {c, out, pos, (size_t)npos, sep ? sep[0] : ',', threads, NULL, NULL, 0};
    ikr_trust *trust = NULL;
    ikr_vkey *keys = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    if (trustfile) {
        if (!(trust = malloc(sizeof *trust)))
            ikr_err_set(&e, IKR_E_NOMEM, NULL);
        else
            ikr_trust_load(trust, trustfile, &e);
        j.trust = trust;
    } else if (keyfile) {
        if (!(keys = calloc(IKR_MAX_VKEYS, sizeof *keys)))
            ikr_err_set(&e, IKR_E_NOMEM, NULL);
        else
            cli_load_vkeys(keyfile, keys, &j.nkeys, &e);
        j.keys = keys;
    } else {
        cli_warn_own_key("setiap bundel", "each bundle");
    }
    if (e.code) {
        free(trust);
        free(keys);
        return cli_fail(c, &e);
    }
    /* In a child, so that a merge killed half-way leaves no DIR.partial-PID behind. */
    if ((rc = cli_guard(out, merge_run, &j)) < 0) {
        ikr_err_set(&e, IKR_E_INTERNAL,
                    "the merge was ended by signal %d; its unfinished folder was removed", -rc);
        rc = cli_fail(c, &e);
    }
    free(trust);
    free(keys);
    return rc;
}
