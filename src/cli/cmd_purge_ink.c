/*
 * cmd_purge_ink.c: `ikrar purge-ink` deletes every record's handwritten
 * signature once its retention has ended (biometric data under UU 27/2022).
 *
 * Each record keeps inkh, the hash of its ink, inside what the kiosk signed,
 * so the log, its tree, its checkpoints and every receipt stay verifiable
 * without the ink itself; `ikrar audit` accepts a record whose ink is gone.
 * It asks for --yes instead of a prompt, since it runs from scripts with no
 * terminal, and deleting is not undone.
 *
 * The ink also sits in the bundles the kiosk wrote into its own exports/
 * (the staff menu's "Ekspor daftar"): records.jsonl carries it and
 * roster.pdf draws it.  Those are written again without it, so the data
 * folder holds no ink afterwards; anything in exports/ that is not this
 * kiosk's bundle is named and left, and the command then fails, so the
 * organiser knows ink may remain.  Copies already taken off the kiosk are
 * beyond its reach: the help says so.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/oplog.h"
#include "ikrar/station.h"

static void help(const cli *c)
{
    printf("%s: ikrar purge-ink [--data DIR] --yes\n\n%s\n", L(c, "Pemakaian", "Usage"),
           L(c,
             "Menghapus tinta (gambar tanda tangan tangan) dari setiap catatan, setelah masa\n"
             "simpannya berakhir (data biometrik, UU 27/2022), sehingga benar-benar hilang dari\n"
             "berkas ikrar.db dan WAL-nya. Catatan, hash tinta (inkh) di dalamnya, pohon Merkle,\n"
             "dan checkpoint tetap; 'ikrar audit' dan struk tetap lolos. Tidak dapat dibatalkan.\n"
             "Catatan baru sesudahnya tetap menyimpan tintanya.\n"
             "Ekspor yang dibuat kiosk di DIR/exports/ ditulis ulang tanpa tinta (records.jsonl\n"
             "dan roster.pdf); selain itu di sana disebutkan dan dibiarkan (status 4). Salinan\n"
             "yang sudah dibawa keluar kiosk (USB, 'ikrar export --out') harus dihapus sendiri.",
             "Deletes the ink (the handwritten signature) of every record, once its retention\n"
             "has ended (biometric data, UU 27/2022), so that it leaves ikrar.db and its WAL.\n"
             "The records, the ink hash (inkh) inside them, the Merkle tree and checkpoints\n"
             "stay; 'ikrar audit' and receipts still pass. It cannot be undone.\n"
             "Records made afterwards keep their ink.\n"
             "The kiosk's own exports in DIR/exports/ are written again without the ink\n"
             "(records.jsonl and roster.pdf); anything else there is named and left (status 4).\n"
             "Copies already taken off the kiosk (USB, 'ikrar export --out') must be deleted\n"
             "by hand."));
}

/*
 * Takes the ink out of every bundle in data/exports/.  Leftovers of an export
 * or a purge that was cut short (ours, named .partial-PID, .purge-PID) are
 * removed.  Returns the bundles written again in *done, and IKR_OK, or the
 * first failure after saying every one of them.
 */
static int purge_exports(const cli *c, ikr_station *s, const char *data, unsigned *done)
{
    char dir[1100], path[1400];
    int rc = IKR_OK;
    *done = 0;
    snprintf(dir, sizeof dir, "%s/exports", data);
    DIR *d = opendir(dir);
    if (!d)
        return IKR_OK; /* no exports */
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat st;
        ikr_err e;
        ikr_err_clear(&e);
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) &&
            (strstr(de->d_name, ".partial-") || strstr(de->d_name, ".purge-"))) {
            ikr_file_remove_tree(path);
            continue;
        }
        int one = S_ISDIR(st.st_mode)
                      ? ikr_bundle_purge_ink(s, path, ikr_clock_now(), &e)
                      : ikr_err_set(&e, IKR_E_BUNDLE_FILE, "%s: not a bundle folder", path);
        if (one == IKR_OK) {
            (*done)++;
            continue;
        }
        char why[IKR_ERR_DETAIL + 200];
        ikr_err_format(&e, c->lang, why, sizeof why);
        ikr_err_clear(&e);
        ikr_err_set(&e, IKR_E_PURGE_EXPORTS, "%.190s", why);
        cli_fail(c, &e);
        if (rc == IKR_OK)
            rc = IKR_E_PURGE_EXPORTS;
    }
    closedir(d);
    return rc;
}

int cmd_purge_ink(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"yes", 0, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data"));
    if (strlen(data) > 1000)
        return cli_usage_error(c, "--data terlalu panjang.", "--data is too long.");
    ikr_err e;
    ikr_station *s = NULL;
    uint64_t n = 0;
    ikr_err_clear(&e);
    if (ikr_station_open(&s, data, IKR_OPEN_ADMIN, NULL, &e) || ikr_station_ink_count(s, &n, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    if (!cli_opt_get(o, no, "yes")) {
        fprintf(
            stderr,
            L(c,
              "ikrar purge-ink akan menghapus tinta (gambar tanda tangan) dari %llu catatan di %s\n"
              "untuk selamanya, sampai hilang dari berkasnya. Catatan, inkh, pohon Merkle dan\n"
              "checkpoint tetap; audit dan struk tetap lolos. Jalankan lagi dengan --yes untuk\n"
              "melakukannya.\n",
              "ikrar purge-ink will delete the ink (the handwritten signature) of %llu records in "
              "%s\n"
              "for good, until it has left the file. The records, their inkh, the Merkle tree and\n"
              "checkpoints stay; audits and receipts still pass. Run it again with --yes to do "
              "it.\n"),
            (unsigned long long)n, data);
        rc = EXIT_USAGE;
        goto out;
    }
    rc = ikr_station_purge_ink(s, &n, &e);
    {
        char w[256];
        ikr_oplog("admin", "action=purge-ink by=cli data=%s ok=%d records=%llu",
                  ikr_oplog_word(data, w, sizeof w), rc == IKR_OK, (unsigned long long)n);
    }
    if (rc) {
        rc = cli_fail(c, &e);
        goto out;
    }
    printf(L(c, "Tinta dihapus dari %llu catatan; berkas basis data sudah dipadatkan.\n",
             "Ink deleted from %llu records; the database file has been compacted.\n"),
           (unsigned long long)n);
    unsigned done = 0;
    int ex = purge_exports(c, s, data, &done);
    if (done)
        printf(L(c, "Ekspor di %s/exports ditulis ulang tanpa tinta: %u.\n",
                 "Exports in %s/exports written again without the ink: %u.\n"),
               data, done);
    {
        char w[256];
        ikr_oplog("admin", "action=purge-ink-exports by=cli data=%s ok=%d exports=%u",
                  ikr_oplog_word(data, w, sizeof w), ex == IKR_OK, done);
    }
    rc = ex == IKR_OK ? EXIT_VALID : EXIT_TROUBLE;
out:
    ikr_station_close(s);
    return rc;
}
