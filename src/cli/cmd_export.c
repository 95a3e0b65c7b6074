/*
 * cmd_export.c: `ikrar export` writes the signed roster bundle of a data
 * folder for auditors (docs/formats.md §8): a checkpoint signed now, the
 * verifier key, and every record up to it in records.jsonl.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ikrar/bundle.h"
#include "ikrar/clock.h"
#include "ikrar/export.h"
#include "ikrar/oplog.h"
#include "ikrar/station.h"
#include "ikrar/ticket.h"

static void help(const cli *c)
{
    printf(
        "%s: ikrar export [--data DIR] --out BUNDLE [--csv-sep ';'] [--passphrase-file "
        "FILE]\n"
        "       ikrar export --hub URL --event ID --out BUNDLE [--csv-sep ';']\n\n%s\n",
        L(c, "Pemakaian", "Usage"),
        L(c,
          "Menulis bundel roster ke folder BUNDLE (yang belum boleh ada):\n"
          "checkpoint yang ditandatangani sekarang, verifier.key, records.jsonl dan roster.csv\n"
          "(--csv-sep ';' untuk Excel berbahasa Indonesia).\n"
          "Bundel memuat data pribadi: folder dan berkasnya hanya dapat dibaca pemiliknya.\n"
          "Periksa dengan: ikrar verify --roster BUNDLE ...\n"
          "Dengan --hub: bundel gabungan semua kiosk sejauh yang sudah diperiksa pusat,\n"
          "sama seperti yang ditulis ikrar merge (docs/hub.md).",
          "Writes the roster bundle into the folder BUNDLE (which must not exist yet):\n"
          "a checkpoint signed now, verifier.key, records.jsonl and roster.csv\n"
          "(--csv-sep ';' for Excel in Indonesian).\n"
          "The bundle holds personal data: its folder and files are readable by their owner only.\n"
          "Check receipts against it with: ikrar verify --roster BUNDLE ...\n"
          "With --hub: the merged bundle of every kiosk as far as the hub has verified it,\n"
          "the same as ikrar merge writes (docs/hub.md)."));
}

/* What the child of cli_guard is to export. */
typedef struct export_job {
    cli *c;
    const char *data, *out, *pass_file;
    ikr_bundle_opts bo;
} export_job;

static int export_run(void *ctx)
{
    export_job *j = ctx;
    cli *c = j->c;
    ikr_err e;
    ikr_buf pass;
    ikr_station *s = NULL;
    ikr_bundle_stats st;
    int rc;
    ikr_err_clear(&e);
    ikr_buf_init(&pass);
    /* From a copy that cannot be written, the bundle's checkpoint is signed but not kept there. */
    if ((j->pass_file && cli_read_passphrase(j->pass_file, &pass, &e)) ||
        cli_open_to_sign(&s, j->data, j->pass_file ? (const char *)pass.p : NULL, NULL, &e) ||
        ikr_bundle_export(s, j->out, &j->bo, ikr_clock_now(), &st, &e)) {
        rc = cli_fail(c, &e);
    } else {
        cli_note_read_copy(c, s);
        char w[256];
        ikr_oplog("export", "by=cli path=%s records=%llu", ikr_oplog_word(j->out, w, sizeof w),
                  (unsigned long long)st.records);
        char shown[IKR_TEXT_ESCAPED_MAX(256)];
        printf(
            L(c,
              "Bundel ditulis ke %s: %llu catatan (%llu dengan tinta), %llu byte records.jsonl.\n",
              "Bundle written to %s: %llu records (%llu with ink), %llu bytes of records.jsonl.\n"),
            CLI_SHOWN(shown, j->out), (unsigned long long)st.records, (unsigned long long)st.inks,
            (unsigned long long)st.bytes);
        rc = EXIT_VALID;
    }
    ikr_station_close(s);
    ikr_buf_free(&pass);
    ikr_ticket_release_caches(); /* the PDF's fonts: process-wide caches, let go before exit */
    return rc;
}

int cmd_export(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0},    {"out", 1, NULL, 0}, {"passphrase-file", 1, NULL, 0},
                   {"csv-sep", 1, NULL, 0}, {"hub", 1, NULL, 0}, {"event", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *hub = cli_opt_get(o, no, "hub"), *event = cli_opt_get(o, no, "event");
    if (hub || event) {
        const char *out = cli_opt_get(o, no, "out"), *sp = cli_opt_get(o, no, "csv-sep");
        if (!hub || !event || !out || cli_opt_get(o, no, "data"))
            return cli_usage_error(c, "--hub perlu --event dan --out, tanpa --data.",
                                   "--hub needs --event and --out, and no --data.");
        if (sp && strcmp(sp, ",") != 0 && strcmp(sp, ";") != 0)
            return cli_usage_error(c, "--csv-sep harus ',' atau ';'.",
                                   "--csv-sep must be ',' or ';'.");
        return cli_hub_export(c, hub, event, out, sp ? sp[0] : ',');
    }
    export_job j = {c,
                    cli_data_dir(cli_opt_get(o, no, "data")),
                    cli_opt_get(o, no, "out"),
                    cli_opt_get(o, no, "passphrase-file"),
                    {',', 0}};
    if (!j.out)
        return cli_usage_error(c, "--out harus diberikan.", "--out is required.");
    const char *sep = cli_opt_get(o, no, "csv-sep");
    if (sep && strcmp(sep, ",") != 0 && strcmp(sep, ";") != 0)
        return cli_usage_error(c, "--csv-sep harus ',' atau ';'.", "--csv-sep must be ',' or ';'.");
    if (sep)
        j.bo.csv_sep = sep[0];
    /*
     * In a child, so that an export killed half-way (Ctrl-C on a long
     * log, a closed terminal) leaves no BUNDLE.partial-PID behind.
     */
    if ((rc = cli_guard(j.out, export_run, &j)) < 0) {
        ikr_err e;
        ikr_err_clear(&e);
        ikr_err_set(&e, IKR_E_INTERNAL,
                    "the export was ended by signal %d; its unfinished folder was removed", -rc);
        rc = cli_fail(c, &e);
    }
    return rc;
}
