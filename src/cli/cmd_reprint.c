/*
 * cmd_reprint.c: `ikrar reprint` prints a record's receipt again, and the
 * one helper both it and `ikrar sign` print through (cli_print_receipt).
 *
 * The printer is --printer, else the data folder's "printer" setting
 * (from `ikrar init --printer`), else none.  A print that fails marks the
 * record unprinted (printed = 0) and one that succeeds marks it printed;
 * neither touches the record itself, which is durable before any paper
 * moves.  `--bench` times rendering and sending one receipt to each backend.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/oplog.h"
#include "ikrar/printer.h"
#include "ikrar/station.h"
#include "ikrar/ticket.h"

int cli_paper(const char *v)
{
    if (!v || strcmp(v, "58") == 0)
        return IKR_TICKET_58MM;
    if (strcmp(v, "80") == 0)
        return IKR_TICKET_80MM;
    return 0;
}

int cli_print_receipt(const cli *c, ikr_station *s, uint64_t seq, const char *uri, int width,
                      ikr_err *e)
{
    ikr_buf used;
    ikr_buf_init(&used);
    ikr_print_opts o = {width, 0};
    uri = ikr_printer_resolve(s, uri, &used);
    int rc = ikr_printer_check_uri(uri, e);
    if (rc == IKR_OK && strcmp(uri, "none") != 0) {
        rc = ikr_printer_print_record(s, seq, uri, &o, e);
        /* The mark is a reminder; failing to set it must not hide the print's own result. */
        ikr_err fe;
        ikr_err_clear(&fe);
        if (ikr_station_mark_printed(s, seq, rc == IKR_OK, &fe) && rc == IKR_OK)
            rc = ikr_err_set(e, fe.code, "%s", fe.detail);
        char w[128];
        if (rc == IKR_OK) {
            char shown[IKR_TEXT_ESCAPED_MAX(256)]; /* the printer set in the database */
            fprintf(stderr, "%s %s\n", L(c, "Struk dicetak ke", "Receipt printed to"),
                    CLI_SHOWN(shown, uri));
            ikr_oplog("printer-ok", "by=%s printer=%s seq=%llu", c->cmd ? c->cmd : "cli",
                      ikr_oplog_word(uri, w, sizeof w), (unsigned long long)seq);
        } else {
            char why[160], word[160];
            ikr_err_format(e, IKR_LANG_EN, why, sizeof why);
            ikr_oplog("printer-fail", "by=%s printer=%s seq=%llu error=%s", c->cmd ? c->cmd : "cli",
                      ikr_oplog_word(uri, w, sizeof w), (unsigned long long)seq,
                      ikr_oplog_word(why, word, sizeof word));
        }
    }
    ikr_buf_free(&used);
    /* A command prints one receipt: let go of the font caches now. */
    ikr_ticket_release_caches();
    return rc;
}

static void help(const cli *c)
{
    printf(
        "%s: ikrar reprint [--data DIR] --seq N [--printer URI] [--paper 58|80]\n"
        "                     [--passphrase-file FILE]\n"
        "       ikrar reprint --bench [--data DIR] [--printer URI]\n\n%s\n",
        L(c, "Pemakaian", "Usage"),
        L(c,
          "Mencetak ulang struk catatan nomor N (teks struk dibuat ulang dari log, sama\n"
          "persis). URI printer: none, file:FOLDER, escpos:/dev/usb/lp0,\n"
          "escpos+tcp://HOST[:PORT], cups:ANTREAN. Tanpa --printer dipakai printer dari `init`.\n"
          "--bench: mengukur waktu membuat dan mengirim satu struk ke tiap printer\n"
          "(dengan --printer, juga ke printer itu, mis. antrean cups:ANTREAN).",
          "Prints record N's receipt again (its text rebuilt from the log, identical).\n"
          "Printer URIs: none, file:DIR, escpos:/dev/usb/lp0, escpos+tcp://HOST[:PORT],\n"
          "cups:QUEUE.\n"
          "Without --printer, the printer set at `init` is used.\n"
          "--bench: times rendering and sending one receipt to each backend\n"
          "(with --printer, to that printer too, e.g. a cups:QUEUE)."));
}

/* --- the benchmark: a listener on 127.0.0.1 that reads every job to its end --- */

typedef struct sink {
    int lfd;
    int jobs;
} sink;

static void *sink_run(void *arg)
{
    sink *k = arg;
    uint8_t buf[65536];
    for (int j = 0; j < k->jobs; j++) {
        int fd = accept(k->lfd, NULL, NULL);
        if (fd < 0)
            break;
        int answered = 0;
        uint8_t last[3] = {0, 0, 0};
        for (;;) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            /* Answer the status questions a real printer would (before and after the job): online.
             */
            for (ssize_t i = 0; i < n; i++) {
                last[0] = last[1];
                last[1] = last[2];
                last[2] = buf[i];
            }
            if (!answered || (last[0] == 0x10 && last[1] == 0x04 && last[2] == 0x01)) {
                uint8_t ok = 0x12;
                send(fd, &ok, 1, MSG_NOSIGNAL);
                answered = 1;
            }
        }
        close(fd);
    }
    return NULL;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Times n prints of in to uri: p50 and p99 in ms. */
static int time_backend(const char *uri, const ikr_ticket_info *in, int width, int n, double *p50,
                        double *p99, ikr_err *e)
{
    double lat[200];
    ikr_print_opts o = {width, 0};
    for (int i = 0; i < n; i++) {
        double t0 = mono();
        int rc = ikr_printer_print(uri, in, &o, e);
        if (rc)
            return rc;
        lat[i] = (mono() - t0) * 1e3;
    }
    qsort(lat, (size_t)n, sizeof lat[0], cmp_d);
    *p50 = lat[n / 2];
    *p99 = lat[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
    return 0;
}

/* extra: one more printer URI to time (--printer), e.g. a real CUPS queue; NULL for none. */
static int bench(const cli *c, const char *data, const char *extra)
{
    char dir[1100], out[1200];
    const int n = 30;
    ikr_err e;
    ikr_buf vk;
    ikr_station *s = NULL;
    ikr_ticket_info in;
    ikr_signed sg;
    int rc = EXIT_TROUBLE, lfd = -1;
    pthread_t th;
    int have_th = 0;
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    ikr_ticket_info_init(&in);
    memset(&sg, 0, sizeof sg);
    ikr_buf_init(&sg.receipt);
    snprintf(dir, sizeof dir, "%s/print-bench-%d", data ? data : "/tmp", (int)getpid());
    snprintf(out, sizeof out, "%s/out", dir);

    ikr_station_cfg cfg = {.event_id = "bench",
                           .title = "Deklarasi Netralitas ASN Pilkada 2024",
                           .kiosk = "bench",
                           .pin = "246810"};
    ikr_ink ink;
    ikr_ink_init(&ink);
    static const char ink_json[] =
        "{\"w\":600,\"h\":300,\"s\":[[100,150,0,140,120,20,180,160,40]]}";
    ikr_form f = {"Siti Nurhaliza binti Abdullah Rahman", IKR_STATUS_PNS, "198503152010012003",
                  "Analis Kebijakan Ahli Muda", "Dinas Komunikasi dan Informatika"};
    if (ikr_ink_parse_json(&ink, ink_json, sizeof ink_json - 1) ||
        ikr_station_create(dir, &cfg, &vk, &e) ||
        ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e) ||
        ikr_station_sign(s, &f, &ink, ikr_clock_now(), &sg, &e) ||
        ikr_ticket_info_load(&in, s, sg.seq, &e)) {
        rc = cli_fail(c, &e);
        goto done;
    }
    printf("ikrar reprint --bench  (%d %s)\n", n, L(c, "struk tiap printer", "receipts a backend"));

    /* Rendering alone, for scale. */
    for (int w = 0; w < 2; w++) {
        int width = w ? IKR_TICKET_80MM : IKR_TICKET_58MM;
        double t0 = mono();
        for (int i = 0; i < n; i++) {
            ikr_ticket t;
            if (ikr_ticket_render(&t, &in, width, &e)) {
                rc = cli_fail(c, &e);
                goto done;
            }
            ikr_ticket_free(&t);
        }
        printf("  render %d dots            mean %7.3f ms\n", width, (mono() - t0) / n * 1e3);
    }

    /* The local listener the network backend prints to. */
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 4) ||
        getsockname(lfd, (struct sockaddr *)&a, &al)) {
        ikr_err_set(&e, IKR_E_IO, "listener: %s", strerror(errno));
        rc = cli_fail(c, &e);
        goto done;
    }
    sink k = {lfd, n};
    if (pthread_create(&th, NULL, sink_run, &k) == 0)
        have_th = 1;

    struct {
        const char *label;
        char uri[1300];
    } b[4];
    b[0].label = "file: (PNG + PDF)";
    snprintf(b[0].uri, sizeof b[0].uri, "file:%s", out);
    b[1].label = "escpos: /dev/null";
    snprintf(b[1].uri, sizeof b[1].uri, "escpos:/dev/null");
    b[2].label = "escpos+tcp: 127.0.0.1";
    snprintf(b[2].uri, sizeof b[2].uri, "escpos+tcp://127.0.0.1:%d", (int)ntohs(a.sin_port));
    int nb = 3;
    if (extra) {
        b[3].label = extra;
        snprintf(b[3].uri, sizeof b[3].uri, "%s", extra);
        nb = 4;
    }
    for (int i = 0; i < nb; i++) {
        double p50, p99;
        if (i == 2 && !have_th)
            continue;
        if (time_backend(b[i].uri, &in, IKR_TICKET_58MM, n, &p50, &p99, &e)) {
            rc = cli_fail(c, &e);
            goto done;
        }
        printf("  %-24s p50 %7.3f ms   p99 %7.3f ms   (render + send, 58 mm)\n", b[i].label, p50,
               p99);
    }
    rc = EXIT_VALID;
done:
    if (have_th) {
        /* Wake the listener if a job failed before it had all its connections. */
        shutdown(lfd, SHUT_RDWR);
        pthread_join(th, NULL);
    }
    if (lfd >= 0)
        close(lfd);
    ikr_station_close(s);
    ikr_ink_free(&ink);
    ikr_ticket_info_free(&in);
    ikr_buf_free(&sg.receipt);
    ikr_buf_free(&vk);
    ikr_ticket_release_caches();
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (strchr(dir, '\'') == NULL && system(cmd) != 0)
        fprintf(stderr, "ikrar: %s\n", dir);
    return rc;
}

int cmd_reprint(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0},
                   {"seq", 1, NULL, 0},
                   {"printer", 1, NULL, 0},
                   {"paper", 1, NULL, 0},
                   {"passphrase-file", 1, NULL, 0},
                   {"bench", 0, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_opt_get(o, no, "data"), *seq_s = cli_opt_get(o, no, "seq");
    const char *uri = cli_opt_get(o, no, "printer"),
               *pass_file = cli_opt_get(o, no, "passphrase-file");
    int width = cli_paper(cli_opt_get(o, no, "paper"));
    if (cli_opt_get(o, no, "bench")) {
        if (uri && ikr_printer_check_uri(uri, NULL))
            return cli_usage_error(c, "--printer tidak dikenal.", "unknown --printer.");
        return bench(c, data, uri && strcmp(uri, "none") != 0 ? uri : NULL);
    }
    data = cli_data_dir(data);
    char *end = NULL;
    unsigned long long seq = seq_s ? strtoull(seq_s, &end, 10) : 0;
    if (!seq_s || !*seq_s || *end || seq == 0)
        return cli_usage_error(c, "--seq N (N >= 1) harus diberikan.",
                               "--seq N (N >= 1) is required.");
    if (!width)
        return cli_usage_error(c, "--paper harus 58 atau 80.", "--paper must be 58 or 80.");
    ikr_err e;
    ikr_buf pass;
    ikr_station *s = NULL;
    ikr_err_clear(&e);
    ikr_buf_init(&pass);
    if (uri && ikr_printer_check_uri(uri, &e)) {
        cli_fail(c, &e);
        rc = EXIT_USAGE;
        goto done;
    }
    if ((pass_file && cli_read_passphrase(pass_file, &pass, &e)) ||
        ikr_station_open(&s, data, IKR_OPEN_SIGN, pass_file ? (const char *)pass.p : NULL, &e) ||
        cli_print_receipt(c, s, (uint64_t)seq, uri, width, &e)) {
        rc = cli_fail(c, &e);
        goto done;
    }
    rc = EXIT_VALID;
done:
    ikr_station_close(s);
    ikr_buf_free(&pass);
    return rc;
}
