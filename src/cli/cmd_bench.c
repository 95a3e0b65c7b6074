/*
 * cmd_bench.c: `ikrar bench`: reads its options and runs the benchmarks of
 * src/bench, which print their figures.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "cli.h"

static void help(const cli *c)
{
    printf("%s: ikrar bench [--data DIR] [--records N] [--samples N]\n"
           "       ikrar bench --hub URL [--data DIR] [--kiosks K] [--records N] [--threads "
           "T]\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Mengukur di disk folder DIR (kiosk uji dibuat di DIR/bench-<pid> lalu dihapus):\n"
             "latensi tanda tangan+commit dibanding fdatasync, laju audit dibanding laju\n"
             "verifikasi Ed25519 OpenSSL, memori audit, dan versi QR struk. Bawaan:\n"
             "--records 100000, --samples 300.\n"
             "--hub URL (basis data kosong): K kiosk menandatangani N catatan, lalu laju push,\n"
             "laju hub verify dibanding Ed25519 saja, dan waktu stats --hub. Bawaan: --kiosks 20\n"
             "--records 100000 --threads 2.",
             "Measures on DIR's disk (a test kiosk is made in DIR/bench-<pid>, then removed):\n"
             "sign-and-commit latency beside fdatasync, audit rate beside OpenSSL's Ed25519\n"
             "verify rate, audit memory, and the receipt's QR version. Defaults:\n"
             "--records 100000, --samples 300.\n"
             "--hub URL (an empty database): K kiosks sign N records, then the push rate, the\n"
             "hub verify rate beside Ed25519 alone, and stats --hub's time. Defaults: --kiosks 20\n"
             "--records 100000 --threads 2."));
}

int cmd_bench(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"records", 1, NULL, 0}, {"samples", 1, NULL, 0},
                   {"hub", 1, NULL, 0},  {"kiosks", 1, NULL, 0},  {"threads", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data"));
    if (cli_opt_get(o, no, "hub")) {
        long recs = cli_opt_get(o, no, "records") ? atol(cli_opt_get(o, no, "records")) : 100000;
        int kiosks = cli_opt_get(o, no, "kiosks") ? atoi(cli_opt_get(o, no, "kiosks")) : 20;
        int threads = cli_opt_get(o, no, "threads") ? atoi(cli_opt_get(o, no, "threads")) : 2;
        if (recs < 100 || recs > 5000000 || kiosks < 1 || kiosks > 1000 || threads < 1 ||
            threads > 8 || recs < kiosks)
            return cli_usage_error(
                c, "--hub: --records 100..5000000, --kiosks 1..1000, --threads 1..8.",
                "--hub: --records 100..5000000, --kiosks 1..1000, --threads 1..8.");
        ikr_err e;
        ikr_err_clear(&e);
        return ikr_bench_hub(data, cli_opt_get(o, no, "hub"), kiosks, recs, threads, c->lang, &e)
                   ? cli_fail(c, &e)
                   : EXIT_VALID;
    }
    long records = cli_opt_get(o, no, "records") ? atol(cli_opt_get(o, no, "records")) : 100000;
    long samples = cli_opt_get(o, no, "samples") ? atol(cli_opt_get(o, no, "samples")) : 300;
    if (records < 10 || records > 5000000 || samples < 10 || samples > 100000)
        return cli_usage_error(c, "--records 10..5000000, --samples 10..100000.",
                               "--records 10..5000000, --samples 10..100000.");
    if (samples * 2 > records)
        records = samples * 2;

    ikr_err e;
    ikr_err_clear(&e);
    return ikr_bench_run(data, records, samples, c->lang, &e) ? cli_fail(c, &e) : EXIT_VALID;
}
