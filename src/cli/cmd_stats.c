/*
 * cmd_stats.c: `ikrar stats` says how many signed, per unit, against the
 * roster; `--missing` writes who on the roster has not signed yet as CSV.
 * The counting is ikr_roster_stats, the same numbers the kiosk's admin
 * screen shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/csv.h"
#include "ikrar/limits.h"
#include "ikrar/roster.h"
#include "ikrar/station.h"

#define UNITS_MAX 10000 /* units listed; the totals count them all */
#define UNIT_WIDTH 48   /* characters of a unit's name in the table */

static void help(const cli *c)
{
    printf(
        "%s: ikrar stats [--data DIR] [--missing [--csv-sep ';'|',']]\n"
        "       ikrar stats --hub URL --event ID\n\n%s\n",
        L(c, "Pemakaian", "Usage"),
        L(c,
          "Mencetak jumlah yang sudah menandatangani dan yang diharapkan (dari roster) per\n"
          "unit kerja dan seluruhnya. Penanda tangan dicocokkan dengan roster lewat NIP, atau\n"
          "untuk NON-ASN lewat nama dan unit kerja; yang tidak ada di roster dihitung terpisah.\n"
          "--missing: menulis CSV berisi siapa di roster yang belum menandatangani (--csv-sep ';'\n"
          "untuk Excel berbahasa Indonesia).\n"
          "--hub URL --event ID: seluruh acara di pusat (docs/hub.md): per unit, catatan\n"
          "terperiksa tiap kiosk, NIP ganda antar-kiosk, kiosk yang ditandai.",
          "Prints how many signed and how many are expected (from the roster), per work unit\n"
          "and in total. Signers are matched to the roster by NIP, or for NON-ASN by name and\n"
          "work unit; those not on the roster are counted apart.\n"
          "--missing: writes CSV of who on the roster has not signed yet (--csv-sep ';' for\n"
          "Excel set to Indonesian).\n"
          "--hub URL --event ID: the whole event at the hub (docs/hub.md): per unit, every\n"
          "kiosk's verified records, duplicates across kiosks, flagged kiosks."));
}

/* Characters (UTF-8 code points) in s[0..n). */
static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Prints raw (escaped: a unit's name is the roster's or a record's) left-aligned in w characters,
 * cut with "…" when longer. */
static void cell(const char *raw, size_t w)
{
    char s[IKR_TEXT_ESCAPED_MAX(IKR_MAX_UNIT + 64)];
    CLI_SHOWN(s, raw);
    size_t n = strlen(s), sw = width(s, n);
    if (sw > w) {
        size_t i = 0, k = 0;
        while (i < n && k < w - 1) {
            i++;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
            k++;
        }
        printf("%.*s…", (int)i, s);
        sw = w;
    } else {
        fputs(s, stdout);
    }
    for (size_t k = sw; k < w; k++)
        putchar(' ');
}

static void pct(uint64_t a, uint64_t b)
{
    if (b)
        printf("  %6.1f", 100.0 * (double)a / (double)b);
}

static int table(const cli *c, ikr_station *s)
{
    ikr_err e;
    ikr_roster_totals t;
    ikr_roster_unit *u = calloc(UNITS_MAX, sizeof *u);
    ikr_err_clear(&e);
    if (!u) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        return cli_fail(c, &e);
    }
    if (ikr_station_roster_stats(s, u, UNITS_MAX, &t, &e)) {
        free(u);
        return cli_fail(c, &e);
    }
    const char *none = L(c, "(tanpa unit kerja)", "(no work unit)");
    const char *total = L(c, "Jumlah", "Total");
    const char *unlisted = L(c, "Tidak terdaftar di roster", "Not on the roster");
    size_t w = width(L(c, "Unit kerja", "Work unit"), strlen(L(c, "Unit kerja", "Work unit")));
    if (width(unlisted, strlen(unlisted)) > w)
        w = width(unlisted, strlen(unlisted));
    for (size_t i = 0; i < t.nunits; i++) {
        char name[IKR_TEXT_ESCAPED_MAX(IKR_MAX_UNIT + 64)];
        CLI_SHOWN(name, u[i].unit[0] ? u[i].unit : none);
        size_t k = width(name, strlen(name));
        if (k > w)
            w = k;
    }
    if (w > UNIT_WIDTH)
        w = UNIT_WIDTH;
    if (!t.has_roster)
        printf("%s\n\n",
               L(c, "Belum ada roster yang diimpor: jumlah yang diharapkan tidak diketahui.",
                 "No roster imported: how many are expected is unknown."));
    cell(L(c, "Unit kerja", "Work unit"), w);
    if (t.has_roster)
        printf("  %8s  %8s  %8s  %6s\n", L(c, "Sudah", "Signed"), L(c, "Roster", "Expected"),
               L(c, "Belum", "Missing"), "%");
    else
        printf("  %8s  %8s\n", L(c, "Sudah", "Signed"), L(c, "Roster", "Expected"));
    for (size_t i = 0; i < t.nunits; i++) {
        cell(u[i].unit[0] ? u[i].unit : none, w);
        if (t.has_roster) {
            printf("  %8llu  %8llu  %8llu", (unsigned long long)u[i].signed_n,
                   (unsigned long long)u[i].expected,
                   (unsigned long long)(u[i].expected - u[i].signed_n));
            pct(u[i].signed_n, u[i].expected);
            putchar('\n');
        } else {
            printf("  %8llu  %8s\n", (unsigned long long)u[i].signed_n, "?");
        }
    }
    if (t.units_total > t.nunits)
        printf(L(c, "... dan %zu unit kerja lainnya (terhitung dalam jumlah).\n",
                 "... and %zu more work units (counted in the total).\n"),
               t.units_total - t.nunits);
    if (t.has_roster) {
        cell(total, w);
        printf("  %8llu  %8llu  %8llu", (unsigned long long)t.signed_listed,
               (unsigned long long)t.expected, (unsigned long long)(t.expected - t.signed_listed));
        pct(t.signed_listed, t.expected);
        putchar('\n');
        cell(unlisted, w);
        printf("  %8llu\n", (unsigned long long)t.unlisted);
    } else {
        cell(total, w);
        printf("  %8llu  %8s\n", (unsigned long long)t.records, "?");
    }
    printf("\n%s: %llu\n", L(c, "Catatan di log", "Records in the log"),
           (unsigned long long)t.records);
    free(u);
    return EXIT_VALID;
}

typedef struct csv_out {
    ikr_buf b;
    char sep;
    int tty; /* stdout is a terminal: fields are escaped (text.h); into a file they are data */
} csv_out;

static int put_row(csv_out *o, const char *const f[5])
{
    ikr_buf_reset(&o->b);
    for (int i = 0; i < 5; i++) {
        char shown[IKR_TEXT_ESCAPED_MAX(IKR_MAX_NAME)];
        const char *v = o->tty ? CLI_SHOWN(shown, f[i]) : f[i];
        if (i && ikr_buf_addc(&o->b, (uint8_t)o->sep))
            return IKR_E_NOMEM;
        if (ikr_csv_field(&o->b, v, strlen(v), o->sep))
            return IKR_E_NOMEM;
    }
    if (ikr_buf_add(&o->b, "\r\n", 2))
        return IKR_E_NOMEM;
    return fwrite(o->b.p, 1, o->b.len, stdout) == o->b.len ? IKR_OK : IKR_E_IO;
}

static int missing_row(void *ctx, const ikr_roster_entry *r)
{
    const char *f[5] = {r->who.nip, r->who.name, r->who.pos, r->who.unit,
                        ikr_status_name(r->who.status)};
    return put_row(ctx, f);
}

static int missing(const cli *c, ikr_station *s, char sep)
{
    ikr_err e;
    csv_out o;
    ikr_err_clear(&e);
    ikr_buf_init(&o.b);
    o.sep = sep;
    o.tty = isatty(STDOUT_FILENO);
    /* The header in the language asked for; roster import reads either back. */
    const char *head[5] = {"NIP", L(c, "Nama", "Name"), L(c, "Jabatan", "Position"),
                           L(c, "Unit Kerja", "Work unit"), "Status"};
    int rc = put_row(&o, head);
    if (!rc)
        rc = ikr_station_roster_missing(s, missing_row, &o, &e);
    ikr_buf_free(&o.b);
    if (rc && !e.code)
        ikr_err_set(&e, rc, "stdout");
    if (!rc && fflush(stdout) != 0)
        rc = ikr_err_set(&e, IKR_E_IO, "stdout");
    return rc ? cli_fail(c, &e) : EXIT_VALID;
}

int cmd_stats(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0},
                   {"missing", 0, NULL, 0},
                   {"csv-sep", 1, NULL, 0},
                   {"hub", 1, NULL, 0},
                   {"event", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *hub = cli_opt_get(o, no, "hub"), *event = cli_opt_get(o, no, "event");
    if (hub || event) {
        if (!hub || !event || cli_opt_get(o, no, "missing") || cli_opt_get(o, no, "data"))
            return cli_usage_error(c, "--hub perlu --event, tanpa --data atau --missing.",
                                   "--hub needs --event, and no --data or --missing.");
        return cli_hub_stats(c, hub, event);
    }
    const char *data = cli_data_dir(cli_opt_get(o, no, "data")),
               *sep_s = cli_opt_get(o, no, "csv-sep");
    if (sep_s && strcmp(sep_s, ";") != 0 && strcmp(sep_s, ",") != 0)
        return cli_usage_error(c, "--csv-sep harus ';' atau ','.", "--csv-sep must be ';' or ','.");
    if (strlen(data) > 1000)
        return cli_usage_error(c, "--data terlalu panjang.", "--data is too long.");
    ikr_err e;
    ikr_station *s = NULL;
    ikr_err_clear(&e);
    /*
     * Read-only: counting must never write, nor migrate a folder from before
     * rosters (which then counts as one with no roster imported).
     */
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e))
        return cli_fail(c, &e);
    cli_note_read_copy(c, s);
    rc = cli_opt_get(o, no, "missing") ? missing(c, s, sep_s ? sep_s[0] : ',') : table(c, s);
    ikr_station_close(s);
    return rc;
}
