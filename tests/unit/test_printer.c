/*
 * test_printer: the printer backends, each read back by a machine.  The
 * ESC/POS stream is decoded to an image by a small decoder below (ESC @,
 * GS v 0 bands, ESC d, GS V) and its QR scanned with zbar; the network
 * backend prints to real listeners on 127.0.0.1: one that reads the job,
 * one that says it is offline, a closed port, and one that hangs up
 * mid-job, each failing cleanly within a few seconds.  CUPS queue names are
 * checked here and a CUPS server that is gone or never answers must fail
 * in time; printing through a real cupsd is tests/cli/cups.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/printer.h"
#include "print_fixture.h"

/* What the decoder found in a job. */
typedef struct decoded {
    ikr_ticket img; /* the raster put back together */
    int inits, bands, max_band, feeds, cuts, bad;
} decoded;

/* Decodes an ESC/POS job; unknown bytes or a truncated command set bad. */
static void decode(decoded *d, const uint8_t *p, size_t n)
{
    memset(d, 0, sizeof *d);
    size_t i = 0;
    while (i < n && !d->bad) {
        if (p[i] == 0x1B && i + 1 < n && p[i + 1] == 0x40) {
            d->inits++;
            i += 2;
        } else if (p[i] == 0x1B && i + 2 < n && p[i + 1] == 0x64) {
            d->feeds++;
            i += 3;
        } else if (p[i] == 0x1D && i + 2 < n && p[i + 1] == 0x56) {
            d->cuts++;
            i += (p[i + 2] == 0x41 || p[i + 2] == 0x42) ? 4 : 3;
        } else if (p[i] == 0x1D && i + 7 < n && p[i + 1] == 0x76 && p[i + 2] == 0x30) {
            int bx = p[i + 4] | p[i + 5] << 8, rows = p[i + 6] | p[i + 7] << 8;
            size_t len = (size_t)bx * (size_t)rows;
            i += 8;
            if (i + len > n || bx == 0 || (d->img.stride && bx != d->img.stride)) {
                d->bad = 1;
                break;
            }
            uint8_t *grown = realloc(d->img.bits, (size_t)(d->img.height + rows) * (size_t)bx);
            if (!grown) {
                d->bad = 1;
                break;
            }
            d->img.bits = grown;
            memcpy(d->img.bits + (size_t)d->img.height * (size_t)bx, p + i, len);
            d->img.stride = bx;
            d->img.width = bx * 8;
            d->img.height += rows;
            d->bands++;
            if (rows > d->max_band)
                d->max_band = rows;
            i += len;
        } else {
            d->bad = 1;
        }
    }
}

/* --- listeners on 127.0.0.1 --- */

enum { L_READ, L_OFFLINE, L_HANGUP, L_SILENT, L_MUTE_AFTER, L_PAPER_OUT };

typedef struct listener {
    int lfd, port, mode;
    ikr_buf got; /* everything read after the status question */
    pthread_t th;
} listener;

static void *listen_run(void *arg)
{
    listener *l = arg;
    uint8_t buf[4096];
    int fd = accept(l->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    if (l->mode == L_SILENT) {
        /* Accepts, then neither reads nor answers for a while. */
        poll(NULL, 0, 2500);
        close(fd);
        return NULL;
    }
    /* The status question first: DLE EOT 1. */
    size_t have = 0;
    while (have < 3) {
        ssize_t r = recv(fd, buf + have, 3 - have, 0);
        if (r <= 0)
            break;
        have += (size_t)r;
    }
    uint8_t st = l->mode == L_OFFLINE ? 0x1A : 0x12; /* 0x08: offline */
    if (have == 3 && buf[0] == 0x10 && buf[1] == 0x04)
        send(fd, &st, 1, MSG_NOSIGNAL);
    size_t total = 0;
    for (;;) {
        ssize_t r = recv(fd, buf, l->mode == L_HANGUP ? 500 : sizeof buf, 0);
        if (r <= 0)
            break;
        ikr_buf_add(&l->got, buf, (size_t)r);
        total += (size_t)r;
        /* The job ends with a cut and the second status question: answer it (or not). */
        static const uint8_t tail[] = {0x1D, 0x56, 0x01, 0x10, 0x04, 0x01};
        if (l->got.len >= sizeof tail && l->mode != L_MUTE_AFTER &&
            memcmp(l->got.p + l->got.len - sizeof tail, tail, sizeof tail) == 0) {
            uint8_t now = l->mode == L_PAPER_OUT ? 0x1A : 0x12;
            send(fd, &now, 1, MSG_NOSIGNAL);
        }
        if (l->mode == L_HANGUP && total >= 1000)
            break;
    }
    close(fd);
    return NULL;
}

static int listen_start(listener *l, int mode)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    memset(l, 0, sizeof *l);
    ikr_buf_init(&l->got);
    l->mode = mode;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    l->lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (l->lfd < 0 || bind(l->lfd, (struct sockaddr *)&a, sizeof a) || listen(l->lfd, 1) ||
        getsockname(l->lfd, (struct sockaddr *)&a, &al))
        return -1;
    l->port = ntohs(a.sin_port);
    return pthread_create(&l->th, NULL, listen_run, l);
}

static void listen_end(listener *l)
{
    shutdown(l->lfd, SHUT_RDWR);
    pthread_join(l->th, NULL);
    close(l->lfd);
    ikr_buf_free(&l->got);
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decodes job, checks its shape against want, and scans its QR. */
static void check_job(const char *what, const uint8_t *p, size_t n, const ikr_ticket *want,
                      const char *text, const char *dir)
{
    decoded d;
    char png[200], got[4096];
    decode(&d, p, n);
    fprintf(stderr, "%s: %zu bytes, %d bands\n", what, n, d.bands);
    check("the job decodes", !d.bad);
    check("it starts with ESC @ and ends with a feed and a cut",
          d.inits == 1 && d.feeds == 1 && d.cuts == 1 && n > 6 && p[0] == 0x1B && p[1] == 0x40 &&
              p[n - 3] == 0x1D && p[n - 2] == 0x56);
    check("bands of at most IKR_ESCPOS_BAND rows", d.bands > 1 && d.max_band <= IKR_ESCPOS_BAND);
    check("the raster comes back dot for dot",
          want && d.img.width == want->width && d.img.height == want->height &&
              memcmp(d.img.bits, want->bits, (size_t)want->height * (size_t)want->stride) == 0);
    snprintf(png, sizeof png, "%s/decoded.png", dir);
    ikr_err e;
    ikr_err_clear(&e);
    check("zbar reads the receipt text from the decoded job",
          ikr_ticket_write_png(&d.img, png, &e) == 0 && fixture_zbar(png, got, sizeof got) == 0 &&
              strcmp(got, text) == 0);
    free(d.img.bits);
}

int main(void)
{
    char dir[64], uri[400], path[300];
    ikr_station *s = NULL;
    uint64_t seq = 0;
    ikr_err e;
    ikr_ticket_info in;
    ikr_ticket t58;
    ikr_buf job;
    ikr_print_opts o = {IKR_TICKET_58MM, 3000};
    ikr_ticket_info_init(&in);
    ikr_buf_init(&job);
    ikr_err_clear(&e);
    if (fixture_station(dir, &s, "Siti Nurhaliza", &seq) || ikr_ticket_info_load(&in, s, seq, &e) ||
        ikr_ticket_render(&t58, &in, IKR_TICKET_58MM, &e)) {
        check("a kiosk to print from", 0);
        return check_report();
    }
    const char *text = (const char *)in.text.p;

    /* The encoder alone. */
    check("encodes", ikr_escpos_encode(&job, &t58) == 0);
    check_job("encoder", job.p, job.len, &t58, text, dir);

    /* URIs. */
    check("none is a printer", ikr_printer_check_uri("none", NULL) == 0 &&
                                   ikr_printer_print("none", &in, &o, NULL) == 0);
    const char *bad[] = {"",
                         "lp0",
                         "file:",
                         "escpos:",
                         "escpos+tcp://",
                         "escpos+tcp://h:0",
                         "escpos+tcp://h:70000",
                         "escpos+tcp://h:x",
                         "http://x",
                         "escpos+tcp://[::1"};
    int all_bad = 1;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ikr_printer_check_uri(bad[i], NULL) != IKR_E_PRINTER_URI) {
            fprintf(stderr, "accepted %s\n", bad[i]);
            all_bad = 0;
        }
    check("malformed URIs are refused", all_bad);
    check("good URIs are accepted",
          ikr_printer_check_uri("escpos+tcp://printer.local", NULL) == 0 &&
              ikr_printer_check_uri("escpos+tcp://[::1]:9100", NULL) == 0 &&
              ikr_printer_check_uri("escpos:/dev/usb/lp0", NULL) == 0);
    /* CUPS queue names: cupsd's own rule, bounded. */
    {
        char longq[IKR_MAX_CUPS_QUEUE + 2 + 5];
        memcpy(longq, "cups:", 5);
        memset(longq + 5, 'q', IKR_MAX_CUPS_QUEUE);
        longq[5 + IKR_MAX_CUPS_QUEUE] = 0;
        check("good CUPS queues are accepted",
              ikr_printer_check_uri("cups:Thermal", NULL) == 0 &&
                  ikr_printer_check_uri("cups:EPSON_TM-T82_(Aula)", NULL) == 0 &&
                  ikr_printer_check_uri("cups:a", NULL) == 0 &&
                  ikr_printer_check_uri(longq, NULL) == 0);
        longq[5 + IKR_MAX_CUPS_QUEUE] = 'q';
        longq[6 + IKR_MAX_CUPS_QUEUE] = 0;
        const char *badq[] = {"cups:",     "cups:a b",   "cups:a/b",         "cups:a#b",
                              "cups:a\\b", "cups:a?b",   "cups:a'b",         "cups:a\"b",
                              "cups:a\tb", "cups:a\x7f", "cups:caf\xc3\xa9", longq};
        int all = 1;
        for (size_t i = 0; i < sizeof badq / sizeof badq[0]; i++)
            if (ikr_printer_check_uri(badq[i], NULL) != IKR_E_PRINTER_URI) {
                fprintf(stderr, "accepted %.40s\n", badq[i]);
                all = 0;
            }
        check("bad CUPS queues are refused (space, / # \\ ? ' \", control, non-ASCII, 128 bytes)",
              all);
        ikr_err_clear(&e);
        check("a bad queue is refused before any server is asked",
              ikr_printer_print("cups:a b", &in, &o, &e) == IKR_E_PRINTER_URI);
    }

    /* CUPS servers that cannot take the job: gone, and one that accepts and never answers. */
    {
        char sock[100]; /* fits sun_path */
        snprintf(sock, sizeof sock, "%.60s/cups.sock", dir);
        setenv("CUPS_SERVER", sock, 1);
        double t0 = mono();
        ikr_err_clear(&e);
        int rc = ikr_printer_print("cups:Thermal", &in, &o, &e);
        fprintf(stderr, "cups, no server: rc %d (%s) in %.3f s\n", rc, e.detail, mono() - t0);
        check("cups: no server is a printer error, at once",
              rc == IKR_E_PRINTER && strstr(e.detail, "cannot connect") && mono() - t0 < 1.0);

        struct sockaddr_un su;
        memset(&su, 0, sizeof su);
        su.sun_family = AF_UNIX;
        memcpy(su.sun_path, sock, strlen(sock) + 1);
        int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (lfd >= 0 && bind(lfd, (struct sockaddr *)&su, sizeof su) == 0 && listen(lfd, 4) == 0) {
            ikr_print_opts quick = {IKR_TICKET_58MM, 1000};
            t0 = mono();
            ikr_err_clear(&e);
            rc = ikr_printer_print("cups:Thermal", &in, &quick, &e);
            double took = mono() - t0;
            fprintf(stderr, "cups, silent server: rc %d (%s) in %.3f s\n", rc, e.detail, took);
            check("cups: a server that never answers is an error",
                  rc == IKR_E_PRINTER && strstr(e.detail, "no answer"));
            check("cups: within the job's timeout", took > 0.9 && took < 1.6);
        } else {
            check("a unix listener", 0);
        }
        if (lfd >= 0)
            close(lfd);
        unlink(sock);
        unsetenv("CUPS_SERVER");
    }

    /* file: */
    snprintf(uri, sizeof uri, "file:%s/out", dir);
    check("file: prints", ikr_printer_print(uri, &in, &o, &e) == 0);
    snprintf(path, sizeof path, "%s/out/receipt-%llu.png", dir, (unsigned long long)seq);
    char got[4096];
    check("file: writes the PNG zbar reads",
          fixture_zbar(path, got, sizeof got) == 0 && strcmp(got, text) == 0);
    snprintf(path, sizeof path, "%s/out/receipt-%llu.pdf", dir, (unsigned long long)seq);
    check("file: writes the PDF", access(path, R_OK) == 0);

    /* escpos: a device file (a plain file stands in). */
    snprintf(path, sizeof path, "%s/lp0", dir);
    FILE *f = fopen(path, "wb");
    if (f)
        fclose(f);
    snprintf(uri, sizeof uri, "escpos:%s", path);
    check("escpos: prints to the device", ikr_printer_print(uri, &in, &o, &e) == 0);
    {
        ikr_buf b;
        ikr_buf_init(&b);
        f = fopen(path, "rb");
        uint8_t chunk[4096];
        size_t n;
        while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            ikr_buf_add(&b, chunk, n);
        if (f)
            fclose(f);
        check_job("device", b.p, b.len, &t58, text, dir);
        ikr_buf_free(&b);
    }
    ikr_err_clear(&e);
    snprintf(uri, sizeof uri, "escpos:%s/no-such-device", dir);
    check("a missing device is a printer error",
          ikr_printer_print(uri, &in, &o, &e) == IKR_E_PRINTER);

    /* escpos+tcp: a listener that reads the whole job. */
    listener l;
    if (listen_start(&l, L_READ) == 0) {
        snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", l.port);
        double t0 = mono();
        ikr_err_clear(&e);
        int rc = ikr_printer_print(uri, &in, &o, &e);
        double took = mono() - t0;
        pthread_join(l.th, NULL);
        l.th = 0;
        check("tcp: prints", rc == 0);
        check("tcp: quickly when the printer answers", took < 1.0);
        /* The job, then the second status question. */
        size_t n = l.got.len;
        check("tcp: the printer is asked its status after the job",
              n > 3 && memcmp(l.got.p + n - 3, "\x10\x04\x01", 3) == 0);
        check_job("tcp", l.got.p, n > 3 ? n - 3 : 0, &t58, text, dir);
        close(l.lfd);
        ikr_buf_free(&l.got);
    } else {
        check("a listener", 0);
    }

    /* An offline printer: refused at once. */
    if (listen_start(&l, L_OFFLINE) == 0) {
        snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", l.port);
        ikr_err_clear(&e);
        check("tcp: an offline printer is an error",
              ikr_printer_print(uri, &in, &o, &e) == IKR_E_PRINTER && strstr(e.detail, "offline"));
        listen_end(&l);
    }

    /* A closed port. */
    {
        listener c;
        if (listen_start(&c, L_READ) == 0) {
            int port = c.port;
            listen_end(&c);
            snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", port);
            double t0 = mono();
            ikr_err_clear(&e);
            check("tcp: a refused connection is an error",
                  ikr_printer_print(uri, &in, &o, &e) == IKR_E_PRINTER);
            check("tcp: at once", mono() - t0 < 1.0);
        }
    }

    /* A printer that hangs up mid-job. */
    if (listen_start(&l, L_HANGUP) == 0) {
        snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", l.port);
        double t0 = mono();
        ikr_err_clear(&e);
        int rc = ikr_printer_print(uri, &in, &o, &e);
        double took = mono() - t0;
        fprintf(stderr, "hang-up: rc %d (%s) in %.3f s\n", rc, e.detail, took);
        check("tcp: a printer gone mid-job is an error", rc == IKR_E_PRINTER);
        check("tcp: within the job's timeout", took < 3.5);
        listen_end(&l);
    }

    /* A printer that answers, takes the job, then falls silent or runs out of paper. */
    for (int mode = L_MUTE_AFTER; mode <= L_PAPER_OUT; mode++) {
        if (listen_start(&l, mode) != 0)
            continue;
        snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", l.port);
        double t0 = mono();
        ikr_err_clear(&e);
        int rc = ikr_printer_print(uri, &in, &o, &e);
        double took = mono() - t0;
        fprintf(stderr, "after the job (%d): rc %d (%s) in %.3f s\n", mode, rc, e.detail, took);
        check("tcp: no answer after the job is an error",
              mode != L_MUTE_AFTER || (rc == IKR_E_PRINTER && strstr(e.detail, "no answer")));
        check("tcp: paper out during the job is an error",
              mode != L_PAPER_OUT || (rc == IKR_E_PRINTER && strstr(e.detail, "offline")));
        check("tcp: within the job's timeout", took < 3.5);
        listen_end(&l);
    }

    /* A printer that takes the connection and then says nothing: bounded all the same. */
    if (listen_start(&l, L_SILENT) == 0) {
        snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", l.port);
        double t0 = mono();
        ikr_err_clear(&e);
        int rc = ikr_printer_print(uri, &in, &o, &e);
        double took = mono() - t0;
        fprintf(stderr, "silent: rc %d in %.3f s\n", rc, took);
        check("tcp: a silent printer does not hold the signer up", took < 3.5);
        listen_end(&l);
    }

    /*
     * The whole path the kiosk takes: print a record, then mark it through
     * the station (printing itself never writes the log).
     */
    {
        ikr_log_row row;
        ikr_buf used;
        ikr_log_row_init(&row);
        ikr_buf_init(&used);
        check("no printer set: none", strcmp(ikr_printer_resolve(s, NULL, &used), "none") == 0);
        check("--printer wins", strcmp(ikr_printer_resolve(s, "file:/x", &used), "file:/x") == 0);
        ikr_station_set_printer(s, "escpos:/dev/null", &e);
        check("the folder's printer",
              strcmp(ikr_printer_resolve(s, NULL, &used), "escpos:/dev/null") == 0);
        snprintf(uri, sizeof uri, "file:%s/rec", dir);
        check("a record prints, and printing alone does not mark it",
              ikr_printer_print_record(s, seq, uri, &o, &e) == 0 &&
                  ikr_station_get(s, seq, &row, &e) == 0 && row.printed == 0);
        ikr_log_row_free(&row);
        ikr_log_row_init(&row);
        check("the station marks it printed", ikr_station_mark_printed(s, seq, 1, &e) == 0 &&
                                                  ikr_station_get(s, seq, &row, &e) == 0 &&
                                                  row.printed == 1);
        ikr_log_row_free(&row);
        ikr_log_row_init(&row);
        ikr_err_clear(&e);
        check("a failed print leaves the mark to the caller",
              ikr_printer_print_record(s, seq, "escpos:/nonexistent/lp0", &o, &e) ==
                      IKR_E_PRINTER &&
                  ikr_station_get(s, seq, &row, NULL) == 0 && row.printed == 1);
        ikr_log_row_free(&row);
        ikr_log_row_init(&row);
        check("...which marks it unprinted", ikr_station_mark_printed(s, seq, 0, &e) == 0 &&
                                                 ikr_station_get(s, seq, &row, NULL) == 0 &&
                                                 row.printed == 0);
        ikr_log_row_free(&row);
        ikr_log_row_init(&row);
        check("none prints nothing", ikr_printer_print_record(s, seq, "none", &o, &e) == 0 &&
                                         ikr_station_get(s, seq, &row, NULL) == 0 &&
                                         row.printed == 0);
        ikr_log_row_free(&row);
        ikr_buf_free(&used);
    }

    ikr_ticket_free(&t58);
    ikr_buf_free(&job);
    ikr_ticket_info_free(&in);
    ikr_station_close(s);
    fixture_rmdir(dir);
    return check_report();
}
