/*
 * cmd_audit.c: `ikrar audit` re-checks a whole data folder's log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ikrar/audit.h"
#include "ikrar/hash.h"

int cmd_audit(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"threads", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    const char *pos[1];
    int npos, want_help, rc;
    if ((rc = cli_parse(c, argc, argv, o, no, pos, 0, &npos, &want_help)))
        return rc;
    if (want_help) {
        printf("%s: ikrar audit --data DIR [--threads N]\n\n%s\n", L(c, "Pemakaian", "Usage"),
               L(c, "Memeriksa ulang setiap catatan, tanda tangan, hash daun, pohon Merkle,\n"
                    "dan checkpoint yang tersimpan. Status keluar: 0 utuh, 1 ada yang rusak.",
                 "Re-checks every record, signature, leaf hash, the Merkle tree and every\n"
                 "stored checkpoint. Exit status: 0 intact, 1 something is broken."));
        return EXIT_VALID;
    }
    const char *data = cli_opt_get(o, no, "data"), *th = cli_opt_get(o, no, "threads");
    if (!data)
        return cli_usage_error(c, "--data harus diberikan.", "--data is required.");
    int threads = 0;
    if (th) {
        char *end;
        long v = strtol(th, &end, 10);
        if (*end || v < 1 || v > IKR_AUDIT_MAX_THREADS)
            return cli_usage_error(c, "--threads harus 1 sampai 64.", "--threads must be 1 to 64.");
        threads = (int)v;
    }
    ikr_err e;
    ikr_station *s = NULL;
    ikr_audit_report rep;
    ikr_err_clear(&e);
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e) ||
        ikr_audit_station(s, threads, &rep, &e)) {
        rc = cli_fail(c, &e);
    } else {
        char root[65];
        ikr_hex(root, rep.root, 32);
        printf("%s\n", L(c, "UTUH: log lolos pemeriksaan.", "INTACT: the log passed the audit."));
        printf("  %-12s %llu\n", L(c, "Catatan", "Records"), (unsigned long long)rep.records);
        printf("  %-12s %llu\n", L(c, "Tinta", "Ink kept"), (unsigned long long)rep.inks);
        printf("  %-12s %llu\n", "Checkpoint", (unsigned long long)rep.checkpoints);
        printf("  %-12s %s\n", L(c, "Akar", "Root"), root);
        rc = EXIT_VALID;
    }
    ikr_station_close(s);
    return rc;
}
