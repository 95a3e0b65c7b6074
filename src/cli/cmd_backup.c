/*
 * cmd_backup.c: `ikrar backup` copies a data folder to a new folder (a USB
 * stick, another disk) while the kiosk may be signing, and audits the copy.
 * The work is ikr_backup (backup.h); this reads the passphrases and prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikrar/backup.h"
#include "ikrar/hash.h"

static void help(const cli *c)
{
    printf("%s: ikrar backup [--data DIR] --to DEST [--passphrase-file FILE]\n"
           "                    [--key-passphrase-file FILE]\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Menulis salinan utuh folder data ke folder baru DEST, juga saat kiosk sedang\n"
             "menandatangani: log disalin dengan API backup SQLite dari satu titik waktu,\n"
             "lalu salinannya diperiksa seperti 'ikrar audit'. DEST tidak boleh sudah ada;\n"
             "tidak ada yang ditimpa. Folder yang belum selesai bernama DEST.partial-PID dan\n"
             "dihapus bila gagal.\n"
             "Kunci kiosk.key hanya ikut disalin dengan --passphrase-file, dienkripsi dengan\n"
             "frasa sandi di baris pertama berkas itu. Bila kiosk.key sumber sudah\n"
             "dienkripsi, --key-passphrase-file memberi frasa sandinya (tanpa itu dicoba\n"
             "frasa sandi --passphrase-file).\n"
             "Status keluar: 0 tersalin dan utuh, 1 salinan gagal audit, 4 tidak dapat\n"
             "ditulis (tujuan sudah ada, penuh, hanya-baca).",
             "Writes a whole copy of the data folder into the new folder DEST, also while\n"
             "the kiosk is signing: the log is copied with SQLite's backup API from one\n"
             "moment, then the copy is checked as 'ikrar audit' does. DEST must not exist;\n"
             "nothing is overwritten. The unfinished folder is named DEST.partial-PID and is\n"
             "removed on failure.\n"
             "kiosk.key is copied only with --passphrase-file, encrypted with the\n"
             "passphrase on that file's first line. When the source kiosk.key is already\n"
             "encrypted, --key-passphrase-file gives its passphrase (without it the\n"
             "--passphrase-file passphrase is tried).\n"
             "Exit status: 0 copied and intact, 1 the copy failed its audit, 4 it could not\n"
             "be written (destination exists, full, read-only)."));
}

typedef struct backup_job {
    cli *c;
    const char *data, *to, *pass_file, *key_pass_file;
} backup_job;

static int backup_run(void *ctx)
{
    backup_job *j = ctx;
    cli *c = j->c;
    ikr_err e;
    ikr_buf pass, key_pass;
    ikr_backup_opts o;
    ikr_backup_report rep;
    int rc;
    memset(&o, 0, sizeof o);
    ikr_err_clear(&e);
    ikr_buf_init(&pass);
    ikr_buf_init(&key_pass);
    if ((j->pass_file && cli_read_passphrase(j->pass_file, &pass, &e)) ||
        (j->key_pass_file && cli_read_passphrase(j->key_pass_file, &key_pass, &e))) {
        rc = cli_fail(c, &e);
        goto out;
    }
    if (j->pass_file)
        o.pass = (const char *)pass.p;
    /* Without its own passphrase an encrypted key is tried with the new one: often the same. */
    o.key_pass = j->key_pass_file ? (const char *)key_pass.p : o.pass;
    rc = ikr_backup(j->data, j->to, &o, &rep, &e);
    if (rc) {
        int audit_failed = (rc >= IKR_E_AUDIT_MISSING && rc <= IKR_E_AUDIT_KEY) ||
                           rc == IKR_E_AUDIT_ENCODING || rc == IKR_E_AUDIT_LIMIT;
        cli_fail(c, &e);
        if (rc == IKR_E_KEY_PASSPHRASE && j->pass_file)
            fprintf(stderr, "%s\n",
                    L(c,
                      "kiosk.key sumber dienkripsi: berikan frasa sandinya dengan "
                      "--key-passphrase-file.",
                      "The source kiosk.key is encrypted: give its passphrase with "
                      "--key-passphrase-file."));
        fprintf(stderr, "%s\n",
                audit_failed ? L(c,
                                 "Salinan GAGAL audit dan sudah dihapus; folder data sumber "
                                 "tidak diubah. Periksa sumbernya dengan 'ikrar audit'.",
                                 "The copy FAILED its audit and was removed; the source data "
                                 "folder was not changed. Check the source with 'ikrar audit'.")
                             : L(c, "Tidak ada cadangan ditulis; folder data sumber tidak diubah.",
                                 "No backup was written; the source data folder was not changed."));
        rc = audit_failed ? EXIT_INVALID : EXIT_TROUBLE;
        goto out;
    }
    char root[65];
    ikr_hex(root, rep.audit.root, 32);
    printf(L(c, "Cadangan ditulis ke %s.\n", "Backup written to %s.\n"), j->to);
    printf("%s\n", L(c, "UTUH: salinan lolos pemeriksaan.", "INTACT: the copy passed the audit."));
    printf("  %-12s %llu\n", L(c, "Catatan", "Records"), (unsigned long long)rep.records);
    printf("  %-12s %llu\n", L(c, "Tinta", "Ink kept"), (unsigned long long)rep.audit.inks);
    printf("  %-12s %llu\n", "Checkpoint", (unsigned long long)rep.audit.checkpoints);
    printf("  %-12s %s\n", L(c, "Akar", "Root"), root);
    printf("  %-12s %llu\n", "Byte", (unsigned long long)rep.bytes);
    printf("  %-12s %.3f s (%s %.3f s, audit %.3f s)\n", L(c, "Waktu", "Time"),
           (double)(rep.copy_us + rep.audit_us) / 1e6, L(c, "salin", "copy"),
           (double)rep.copy_us / 1e6, (double)rep.audit_us / 1e6);
    printf("  %-12s %s\n", L(c, "Kunci", "Key"),
           rep.key_copied ? L(c, "kiosk.key disalin, dienkripsi dengan frasa sandi",
                              "kiosk.key copied, encrypted with the passphrase")
                          : L(c, "kiosk.key TIDAK disalin (tanpa --passphrase-file)",
                              "kiosk.key NOT copied (no --passphrase-file)"));
    rc = EXIT_VALID;
out:
    ikr_buf_free(&pass);
    ikr_buf_free(&key_pass);
    return rc;
}

int cmd_backup(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0},
                   {"to", 1, NULL, 0},
                   {"passphrase-file", 1, NULL, 0},
                   {"key-passphrase-file", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    backup_job j = {c, cli_data_dir(cli_opt_get(o, no, "data")), cli_opt_get(o, no, "to"),
                    cli_opt_get(o, no, "passphrase-file"),
                    cli_opt_get(o, no, "key-passphrase-file")};
    if (!j.to)
        return cli_usage_error(c, "--to harus diberikan.", "--to is required.");
    if (j.key_pass_file && !j.pass_file)
        return cli_usage_error(c,
                               "--key-passphrase-file hanya berguna dengan --passphrase-file "
                               "(tanpa itu kunci tidak disalin).",
                               "--key-passphrase-file only goes with --passphrase-file "
                               "(without it the key is not copied).");
    /* In a child, so that a backup killed half-way leaves no DEST.partial-PID behind. */
    if ((rc = cli_guard(j.to, backup_run, &j)) < 0) {
        ikr_err e;
        ikr_err_clear(&e);
        ikr_err_set(&e, IKR_E_INTERNAL,
                    "the backup was ended by signal %d; its unfinished folder was removed", -rc);
        rc = cli_fail(c, &e);
    }
    return rc;
}
