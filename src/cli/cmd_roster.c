/*
 * cmd_roster.c: `ikrar roster import` replaces a data folder's roster of
 * expected signers with a spreadsheet's CSV (roster.h).
 *
 * Exit statuses follow cli.h: a file whose rows fail the checks, or that
 * cannot be read as a roster at all, is 3, as a refused signer is: the
 * same rules refused the same kind of details, and nothing was written.
 * 4 is kept for what the file cannot help (no folder, disk, database), so
 * a script can tell "fix the spreadsheet" from "fix the machine".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/oplog.h"
#include "ikrar/roster.h"
#include "ikrar/station.h"

/* Rows listed one by one; past this a count says how many more. */
#define SHOWN_MAX 200

static void help(const cli *c)
{
    printf(
        "%s: ikrar roster import [--data DIR] FILE.csv [--skip-invalid]\n\n%s\n",
        L(c, "Pemakaian", "Usage"),
        L(c,
          "Mengganti roster (daftar yang diharapkan menandatangani) dengan isi FILE.csv,\n"
          "sebagaimana disimpan Excel atau LibreOffice: \"CSV UTF-8\" (pemisah ';' atau ',')\n"
          "atau \"Unicode Text\" (UTF-16, tab); baris judul di atas baris kolom dilewati. Kolom: "
          "NIP, Nama, Jabatan (boleh tidak ada), Unit Kerja, Status\n"
          "(PNS, PPPK, NON-ASN); judul kolom dalam bahasa Indonesia atau Inggris, urutan bebas.\n"
          "Setiap baris diperiksa dengan aturan kiosk. Bila ada baris tidak sah, TIDAK ADA\n"
          "yang diimpor (status keluar 3) kecuali dengan --skip-invalid, yang mengimpor sisanya.\n"
          "Catatan yang sudah ditandatangani tidak pernah diubah.",
          "Replaces the roster (who is expected to sign) with FILE.csv as Excel or\n"
          "LibreOffice save it: \"CSV UTF-8\" (';' or ',' separated) or \"Unicode Text\"\n"
          "(UTF-16, tabs); title rows above the column headers are skipped. Columns: NIP, Name, "
          "Position (optional), Work unit, Status (PNS, PPPK, NON-ASN);\n"
          "headers in Indonesian or English, in any order. Every row is checked with the\n"
          "kiosk's rules. With any row invalid NOTHING is imported (exit status 3), unless\n"
          "--skip-invalid, which imports the rest. Signed records are never changed."));
}

typedef struct report {
    const cli *c;
    int skipping;
    uint64_t bad, fixed;
    uint64_t rounded; /* NIPs that read as a number Excel rounded (see on_issue) */
} report;

/*
 * 1 when a refused NIP cell is 18 digits ending in 000.  Excel keeps 15
 * significant digits of a number, so a NIP column left as Number and
 * shown with no decimals exports 198503302010012000 for
 * 198503302010012003: every row then says "the serial cannot be 000",
 * which is true but does not say what went wrong or how to fix it.
 */
static int excel_rounded(const ikr_roster_issue *i)
{
    size_t n = strlen(i->was);
    if (i->code != IKR_E_NIP_SERIAL || n != IKR_NIP_LEN || strcmp(i->was + n - 3, "000") != 0)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (i->was[k] < '0' || i->was[k] > '9')
            return 0;
    return 1;
}

static void on_issue(void *ctx, const ikr_roster_issue *i)
{
    report *r = ctx;
    const cli *c = r->c;
    if (i->code == IKR_OK) {
        if (++r->fixed > SHOWN_MAX)
            return;
        const char *how =
            (i->fixed & IKR_ROSTER_FIX_FORMULA)
                ? L(c, "tanda teks spreadsheet dibuang", "spreadsheet text marks removed")
                : L(c, "spasi/titik dibuang", "spaces/dots removed");
        char was[IKR_TEXT_ESCAPED_MAX(sizeof i->was)];
        ikr_text_escape_term(was, sizeof was, i->was, strlen(i->was));
        fprintf(stderr, "%s %llu: %s \"%s\" %s %s (%s)\n", L(c, "baris", "line"),
                (unsigned long long)i->line, "NIP", was, L(c, "diperbaiki menjadi", "repaired to"),
                i->nip, how);
        return;
    }
    r->rounded += excel_rounded(i);
    if (++r->bad > SHOWN_MAX)
        return;
    ikr_err e;
    char msg[512];
    ikr_err_clear(&e);
    if (i->code == IKR_E_ROSTER_NIP_SCI)
        ikr_err_set(&e, i->code, "%s", i->was); /* escaped by the message's printer */
    else
        ikr_err_at(&e, i->code, (int64_t)i->first, 0);
    ikr_err_format(&e, c->lang, msg, sizeof msg);
    fprintf(stderr, "%s%s %llu: %s\n", r->skipping ? L(c, "dilewati: ", "skipped: ") : "",
            L(c, "baris", "line"), (unsigned long long)i->line, msg);
}

/*
 * A unit column with merged cells (one "Dinas Pendidikan" spanning ten
 * rows) is saved as CSV with the unit on the first row only, so the other
 * nine import without a unit, which is allowed, and the progress per unit
 * is quietly wrong.  When some entries have no unit and others have one,
 * the organiser is told how many and why it may be.  The import stands:
 * a roster may well have people without a unit.
 */
static void merged_units_note(const cli *c, ikr_station *s)
{
    ikr_roster_unit u[1]; /* units sort with "" first */
    ikr_roster_totals t;
    ikr_err e;
    ikr_err_clear(&e);
    if (ikr_station_roster_stats(s, u, 1, &t, &e) || t.nunits < 1 || u[0].unit[0] ||
        t.units_total < 2)
        return;
    printf(L(c,
             "Catatan: %llu orang tanpa Unit Kerja, sedangkan yang lain punya. Bila kolom itu "
             "berisi sel "
             "yang digabung (merge), hanya baris pertamanya yang tersimpan: pisahkan selnya "
             "(Unmerge), isi "
             "setiap baris, lalu impor lagi.\n",
             "Note: %llu on the roster have no work unit while the others have one. If that column "
             "has merged "
             "cells, only their first row was saved: unmerge them, fill in every row, and import "
             "again.\n"),
           (unsigned long long)u[0].expected);
}

/* The exit status of a failed import: the file's fault is 3, the machine's 4. */
static int import_status(int code)
{
    if (code == IKR_E_CSV || code == IKR_E_ROSTER_ENCODING ||
        (code >= IKR_E_ROSTER_COLUMN && code <= IKR_E_ROSTER_INVALID))
        return EXIT_REFUSED;
    return -1;
}

static int import(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"skip-invalid", 0, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    const char *pos[1];
    int npos = 0, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, pos, 1, &npos, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data"));
    if (npos != 1)
        return cli_usage_error(c, "Satu berkas CSV harus diberikan.", "One CSV file is required.");
    report rep = {c, cli_opt_get(o, no, "skip-invalid") != NULL, 0, 0, 0};
    ikr_err e;
    ikr_buf file;
    ikr_station *s = NULL;
    ikr_roster_count n;
    ikr_err_clear(&e);
    ikr_buf_init(&file);
    memset(&n, 0, sizeof n);
    if (strlen(data) > 1000) {
        ikr_err_set(&e, IKR_E_IO, "%s: path too long", data);
        rc = cli_fail(c, &e);
        goto out;
    }
    if (ikr_file_read(pos[0], IKR_ROSTER_MAX_BYTES, &file, &e) ||
        ikr_station_open(&s, data, IKR_OPEN_ADMIN, NULL, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    rc = ikr_station_roster_import(s, file.p, file.len, ikr_clock_now(), rep.skipping, on_issue,
                                   &rep, &n, &e);
    {
        char w[256];
        ikr_oplog("admin", "action=roster-import by=cli file=%s ok=%d people=%llu invalid=%llu",
                  ikr_oplog_word(pos[0], w, sizeof w), rc == IKR_OK, (unsigned long long)n.valid,
                  (unsigned long long)n.invalid);
    }
    if (rep.bad > SHOWN_MAX)
        fprintf(
            stderr,
            L(c, "... dan %llu baris tidak sah lainnya.\n", "... and %llu more invalid rows.\n"),
            (unsigned long long)(rep.bad - SHOWN_MAX));
    if (rep.fixed > SHOWN_MAX)
        fprintf(stderr,
                L(c, "... dan %llu NIP lain diperbaiki.\n", "... and %llu more NIPs repaired.\n"),
                (unsigned long long)(rep.fixed - SHOWN_MAX));
    if (rep.rounded)
        fprintf(
            stderr,
            L(c,
              "%llu NIP berakhir 000: biasanya kolom NIP tersimpan sebagai angka, dan Excel hanya "
              "menyimpan 15 angka pertamanya. Format kolom NIP sebagai Teks, ketik ulang NIP-nya, "
              "lalu ekspor CSV lagi.\n",
              "%llu NIPs end in 000: usually the NIP column was stored as numbers, of which Excel "
              "keeps "
              "only the first 15 digits. Format the NIP column as Text, enter the NIPs again, and "
              "export the CSV again.\n"),
            (unsigned long long)rep.rounded);
    /* The core's detail for an empty roster is a developer's; the organiser is told in their
     * language. */
    if (rc && e.code == IKR_E_ROSTER_EMPTY) {
        ikr_err_clear(&e); /* ikr_err_set keeps a first error: this one replaces it */
        if (!n.header_line)
            ikr_err_set(&e, IKR_E_ROSTER_EMPTY, "%s",
                        L(c, "berkas kosong, tidak ada baris judul.",
                          "the file is empty, with no header row."));
        else if (n.invalid)
            ikr_err_set(&e, IKR_E_ROSTER_EMPTY,
                        L(c, "semua %llu baris tidak sah (lihat di atas).",
                          "all %llu rows are invalid (see above)."),
                        (unsigned long long)n.invalid);
        else
            ikr_err_set(&e, IKR_E_ROSTER_EMPTY,
                        L(c, "hanya ada baris judul (baris %llu), tanpa baris data.",
                          "there is only the header row (line %llu), no data rows."),
                        (unsigned long long)n.header_line);
    }
    if (rc) {
        int status = import_status(e.code);
        int failed = cli_fail(c, &e);
        rc = status >= 0 ? status : failed;
        goto out;
    }
    printf(L(c, "Roster diimpor: %llu orang.\n", "Roster imported: %llu people.\n"),
           (unsigned long long)n.valid);
    if (n.invalid)
        printf(L(c, "%llu baris tidak sah dilewati (lihat di atas).\n",
                 "%llu invalid rows skipped (see above).\n"),
               (unsigned long long)n.invalid);
    if (n.repaired)
        printf(L(c, "%llu NIP diperbaiki (lihat di atas).\n", "%llu NIPs repaired (see above).\n"),
               (unsigned long long)n.repaired);
    if (n.invisible)
        printf(L(c,
                 "%llu baris diubah: karakter tak terlihat atau pengatur arah teks dihapus dari "
                 "Nama, Jabatan atau Unit Kerja.\n",
                 "%llu rows changed: invisible or text-direction characters were removed from "
                 "the name, position or work unit.\n"),
               (unsigned long long)n.invisible);
    if (n.composed)
        printf(L(c,
                 "%llu baris diubah: huruf dan tanda diakritiknya disatukan (Unicode NFC), "
                 "seperti kiosk menyimpannya.\n",
                 "%llu rows changed: letters and their accents were composed (Unicode NFC), "
                 "as the kiosk stores them.\n"),
               (unsigned long long)n.composed);
    merged_units_note(c, s);
    rc = EXIT_VALID;
out:
    ikr_station_close(s);
    ikr_buf_free(&file);
    return rc;
}

int cmd_roster(cli *c, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0) {
        c->cmd = "roster import";
        return import(c, argc - 1, argv + 1);
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        help(c);
        return EXIT_VALID;
    }
    return cli_usage_error(c, "perintah yang tersedia: ikrar roster import.",
                           "the command there is: ikrar roster import.");
}
