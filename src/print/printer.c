/*
 * printer.c: the printer backends behind one URI (see printer.h).
 *
 * Every backend that can block works against one deadline for the whole
 * job (monotonic clock): file descriptors are non-blocking and each wait is
 * a poll() bounded by the time left.  Sockets are written with MSG_NOSIGNAL
 * so a printer that hangs up gives EPIPE, never SIGPIPE.
 *
 * The network backend asks the printer's status (DLE EOT 1) before the job
 * and waits IKR_PRINT_STATUS_MS for the answer: a printer that says it is
 * offline fails the job at once; one that does not answer is taken to be a
 * one-way link and printed to anyway.  A printer that answered is asked
 * again after the job and must answer online within IKR_PRINT_AFTER_MS.
 * Then the backend shuts its side down
 * and waits (within the deadline) for the printer to close: a reset then
 * means the job was lost.  The device-file backend is treated as one-way.
 *
 * The CUPS backend hands the A6 PDF to the print server through libcups,
 * not by running lp: a library call returns the server's own status (no
 * such queue, not accepting jobs) instead of text to parse, needs no child
 * process or PATH, and lets the job's deadline bound every connect, read
 * and write.  The queue is asked its state first, so a queue CUPS stopped
 * (a printer unplugged, a backend that failed) fails the print now rather
 * than holding the receipt until someone restarts it.
 */
#include "ikrar/printer.h"

#include <cups/cups.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ikrar/station.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int left_ms(long long deadline)
{
    long long l = deadline - now_ms();
    return l < 0 ? 0 : l > 60000 ? 60000 : (int)l;
}

int ikr_escpos_encode(ikr_buf *out, const ikr_ticket *t)
{
    static const uint8_t init[] = {0x1B, 0x40};
    static const uint8_t tail[] = {0x1B, 0x64, IKR_ESCPOS_FEED, 0x1D, 0x56, 0x01};
    if (ikr_buf_add(out, init, sizeof init))
        return IKR_E_NOMEM;
    for (int y = 0; y < t->height; y += IKR_ESCPOS_BAND) {
        int rows = t->height - y < IKR_ESCPOS_BAND ? t->height - y : IKR_ESCPOS_BAND;
        uint8_t hd[8] = {0x1D,
                         0x76,
                         0x30,
                         0x00,
                         (uint8_t)(t->stride & 0xFF),
                         (uint8_t)(t->stride >> 8),
                         (uint8_t)(rows & 0xFF),
                         (uint8_t)(rows >> 8)};
        if (ikr_buf_add(out, hd, sizeof hd) ||
            ikr_buf_add(out, t->bits + (size_t)y * (size_t)t->stride,
                        (size_t)rows * (size_t)t->stride))
            return IKR_E_NOMEM;
    }
    if (ikr_buf_add(out, tail, sizeof tail))
        return IKR_E_NOMEM;
    return IKR_OK;
}

/* Writes n bytes to fd (non-blocking) by the deadline; sock says send() with MSG_NOSIGNAL. */
static int write_all(int fd, int sock, const uint8_t *p, size_t n, long long deadline,
                     const char *what, ikr_err *e)
{
    while (n > 0) {
        ssize_t w = sock ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pf = {fd, POLLOUT, 0};
            int ms = left_ms(deadline);
            if (ms == 0 || poll(&pf, 1, ms) == 0)
                return ikr_err_set(e, IKR_E_PRINTER, "%s: timed out sending (%zu bytes left)", what,
                                   n);
            continue;
        }
        return ikr_err_set(e, IKR_E_PRINTER, "%s: %s", what,
                           w < 0 ? strerror(errno) : "short write");
    }
    return IKR_OK;
}

/* Reads one byte within ms: 1 got it, 0 timeout, -1 closed or error (errno, 0 for EOF). */
static int read_byte(int fd, uint8_t *b, int ms)
{
    struct pollfd pf = {fd, POLLIN, 0};
    int r = poll(&pf, 1, ms);
    if (r == 0)
        return 0;
    if (r < 0)
        return -1;
    ssize_t n = recv(fd, b, 1, 0);
    if (n == 1)
        return 1;
    if (n == 0)
        errno = 0;
    return n < 0 && (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}

/* Splits "HOST[:PORT]" or "[V6]:PORT" into host and port. */
static int split_host(const char *hp, char *host, size_t hn, char *port, size_t pn)
{
    const char *colon;
    if (hp[0] == '[') {
        const char *close = strchr(hp, ']');
        if (!close || (size_t)(close - hp - 1) >= hn || close == hp + 1)
            return -1;
        memcpy(host, hp + 1, (size_t)(close - hp - 1));
        host[close - hp - 1] = 0;
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] && !colon)
            return -1;
    } else {
        colon = strrchr(hp, ':');
        size_t len = colon ? (size_t)(colon - hp) : strlen(hp);
        if (len == 0 || len >= hn)
            return -1;
        memcpy(host, hp, len);
        host[len] = 0;
    }
    if (!colon) {
        snprintf(port, pn, "%d", IKR_PRINT_PORT);
        return 0;
    }
    char *end;
    long v = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || v < 1 || v > 65535)
        return -1;
    snprintf(port, pn, "%ld", v);
    return 0;
}

/* Connects to host:port by the deadline; returns a non-blocking socket or -1 (e set). */
static int tcp_connect(const char *host, const char *port, long long deadline, ikr_err *e)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, port, &hints, &res);
    if (g != 0) {
        ikr_err_set(e, IKR_E_PRINTER, "%s: %s", host, gai_strerror(g));
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        if (errno == EINPROGRESS) {
            struct pollfd pf = {fd, POLLOUT, 0};
            socklen_t sl = sizeof err;
            int r = poll(&pf, 1, left_ms(deadline));
            if (r == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == 0 && err == 0)
                break;
            if (r == 0)
                err = ETIMEDOUT;
        } else {
            err = errno;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        ikr_err_set(e, IKR_E_PRINTER, "%s:%s: %s", host, port, strerror(err ? err : ETIMEDOUT));
    return fd;
}

static int print_tcp(const char *hp, const ikr_buf *job, long long deadline, ikr_err *e)
{
    char host[256], port[16], what[300];
    if (split_host(hp, host, sizeof host, port, sizeof port))
        return ikr_err_set(e, IKR_E_PRINTER_URI, "escpos+tcp://%s", hp);
    snprintf(what, sizeof what, "%s:%s", host, port);
    int fd = tcp_connect(host, port, deadline, e);
    if (fd < 0)
        return IKR_E_PRINTER;
    int rc;
    uint8_t st;
    static const uint8_t ask[] = {0x10, 0x04, 0x01};
    if ((rc = write_all(fd, 1, ask, sizeof ask, deadline, what, e)))
        goto out;
    int ms = left_ms(deadline);
    int got = read_byte(fd, &st, ms < IKR_PRINT_STATUS_MS ? ms : IKR_PRINT_STATUS_MS);
    if (got < 0) {
        rc = ikr_err_set(e, IKR_E_PRINTER, "%s: %s", what, errno ? strerror(errno) : "closed");
        goto out;
    }
    /* A printer status byte has bit 1 and 4 set, 0 and 7 clear; bit 3 is "offline". */
    if (got == 1 && (st & 0x93) == 0x12 && (st & 0x08)) {
        rc = ikr_err_set(e, IKR_E_PRINTER, "%s: the printer is offline (cover open or no paper)",
                         what);
        goto out;
    }
    if ((rc = write_all(fd, 1, job->p, job->len, deadline, what, e)))
        goto out;
    if (got == 1) {
        /*
         * A two-way printer is asked again after the job: no answer means it
         * went away with the job in the network's buffers; offline now means
         * the paper ran out or the cover opened while printing.
         */
        if ((rc = write_all(fd, 1, ask, sizeof ask, deadline, what, e)))
            goto out;
        ms = left_ms(deadline);
        got = read_byte(fd, &st, ms < IKR_PRINT_AFTER_MS ? ms : IKR_PRINT_AFTER_MS);
        if (got <= 0) {
            rc = ikr_err_set(e, IKR_E_PRINTER, "%s: %s", what,
                             got == 0 ? "no answer after the job"
                             : errno  ? strerror(errno)
                                      : "closed");
            goto out;
        }
        if ((st & 0x93) == 0x12 && (st & 0x08)) {
            rc = ikr_err_set(e, IKR_E_PRINTER,
                             "%s: the printer went offline (paper out or cover open)", what);
            goto out;
        }
    }
    /* Done sending: wait for the printer to hang up, which a reset would spoil. */
    shutdown(fd, SHUT_WR);
    for (;;) {
        ms = left_ms(deadline);
        got = read_byte(fd, &st, ms > 1000 ? 1000 : ms);
        if (got == 0 || (got < 0 && errno == 0))
            break; /* no word (a printer that keeps the line open), or a clean close */
        if (got < 0) {
            rc = ikr_err_set(e, IKR_E_PRINTER, "%s: %s", what, strerror(errno));
            goto out;
        }
    }
    rc = IKR_OK;
out:
    close(fd);
    return rc;
}

static int print_device(const char *path, const ikr_buf *job, long long deadline, ikr_err *e)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return ikr_err_set(e, IKR_E_PRINTER, "%s: %s", path, strerror(errno));
    int rc = write_all(fd, 0, job->p, job->len, deadline, path, e);
    close(fd);
    return rc;
}

/*
 * A receipt file of the file: backend may be written at path only when
 * nothing but an earlier receipt (a regular file) is there: a symbolic link
 * planted at receipt-N.png is refused, never followed nor replaced, so
 * whoever planted it learns nothing and the file it names is left alone.
 */
static int receipt_target_ok(const char *path, ikr_err *e)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? IKR_OK : ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path,
                           S_ISLNK(st.st_mode) ? "a symbolic link, refused and left alone"
                                               : "not a regular file, left alone");
    return IKR_OK;
}

static int print_files(const char *dir, const ikr_ticket *t, const ikr_ticket_info *in, ikr_err *e)
{
    char png[1100], pdf[1100];
    struct stat st;
    /* Receipts name their signers: the folder and its files are the kiosk user's alone. */
    if (stat(dir, &st) != 0 && mkdir(dir, 0700) != 0)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", dir, strerror(errno));
    snprintf(png, sizeof png, "%s/receipt-%llu.png", dir, (unsigned long long)in->seq);
    snprintf(pdf, sizeof pdf, "%s/receipt-%llu.pdf", dir, (unsigned long long)in->seq);
    int rc;
    if ((rc = receipt_target_ok(png, e)) || (rc = receipt_target_ok(pdf, e)) ||
        (rc = ikr_ticket_write_png(t, png, e)))
        return rc;
    return ikr_ticket_write_pdf(in, pdf, e);
}

/*
 * libcups calls this when a read or write has waited CUPS_WAIT_S: going on
 * (1) until the job's deadline keeps one deadline for the whole job, as
 * the other backends do, at most CUPS_WAIT_S late.
 */
#define CUPS_WAIT_S 0.2

static int cups_wait_more(http_t *http, void *deadline)
{
    (void)http;
    return left_ms(*(const long long *)deadline) > 0;
}

/*
 * A server that asks for a password gets none: libcups's default would
 * prompt on the terminal, and a kiosk must never wait for a typist.
 */
static const char *cups_no_password(const char *prompt, http_t *http, const char *method,
                                    const char *resource, void *data)
{
    (void)prompt, (void)http, (void)method, (void)resource, (void)data;
    return NULL;
}

/* The detail for a failed IPP request: the deadline, no such queue, or what CUPS said. */
static int cups_fail(const char *queue, const char *server, long long deadline, int timeout_ms,
                     ikr_err *e)
{
    if (left_ms(deadline) == 0)
        return ikr_err_set(e, IKR_E_PRINTER, "CUPS at %s: no answer within %d ms", server,
                           timeout_ms);
    if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND)
        return ikr_err_set(e, IKR_E_PRINTER, "cups:%s: no such queue", queue);
    if (cupsLastError() == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS)
        return ikr_err_set(e, IKR_E_PRINTER, "cups:%s: the queue is not accepting jobs", queue);
    const char *why = cupsLastErrorString();
    return ikr_err_set(e, IKR_E_PRINTER, "cups:%s: %s", queue, why && *why ? why : "refused");
}

/* Asks queue's state: IKR_OK when it takes jobs and is not stopped. */
static int cups_check_queue(http_t *http, const char *queue, const char *server, long long deadline,
                            int timeout_ms, ikr_err *e)
{
    static const char *const want[] = {"printer-state", "printer-state-message",
                                       "printer-is-accepting-jobs"};
    char uri[HTTP_MAX_URI];
    ipp_t *rq = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    if (!rq)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", ippPort(),
                     "/printers/%s", queue);
    ippAddString(rq, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddStrings(rq, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof want / sizeof want[0]), NULL, want);
    ipp_t *rs = cupsDoRequest(http, rq, "/"); /* frees rq */
    if (!rs || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
        ippDelete(rs);
        return cups_fail(queue, server, deadline, timeout_ms, e);
    }
    int rc = IKR_OK;
    ipp_attribute_t *st = ippFindAttribute(rs, "printer-state", IPP_TAG_ENUM);
    ipp_attribute_t *msg = ippFindAttribute(rs, "printer-state-message", IPP_TAG_TEXT);
    ipp_attribute_t *acc = ippFindAttribute(rs, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
    const char *why = msg ? ippGetString(msg, 0, NULL) : NULL;
    if (st && ippGetInteger(st, 0) == IPP_PSTATE_STOPPED)
        rc = ikr_err_set(e, IKR_E_PRINTER, "cups:%s: the queue is stopped%s%.120s%s", queue,
                         why && *why ? " (" : "", why && *why ? why : "", why && *why ? ")" : "");
    else if (acc && !ippGetBoolean(acc, 0))
        rc = ikr_err_set(e, IKR_E_PRINTER, "cups:%s: the queue is not accepting jobs", queue);
    ippDelete(rs);
    return rc;
}

/*
 * Sends pdf to CUPS queue as one job, by the deadline.  The server is
 * libcups's choice: CUPS_SERVER, then client.conf, then the local socket.
 * Success means CUPS accepted the whole document; the paper is its job.
 */
static int print_cups(const char *queue, const ikr_buf *pdf, uint64_t seq, long long deadline,
                      int timeout_ms, ikr_err *e)
{
    char server[256], title[64];
    int rc = IKR_OK;
    cupsSetPasswordCB2(cups_no_password, NULL); /* libcups keeps it per thread */
    snprintf(server, sizeof server, "%s", cupsServer());
    http_t *http = httpConnect2(server, ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1,
                                left_ms(deadline), NULL);
    /* libcups's own reason here is vague ("Host is down" for a socket no one listens on). */
    if (!http)
        return ikr_err_set(e, IKR_E_PRINTER, "CUPS at %s: %s", server,
                           left_ms(deadline) == 0 ? "no answer in time" : "cannot connect");
    httpSetTimeout(http, CUPS_WAIT_S, cups_wait_more, &deadline);
    if ((rc = cups_check_queue(http, queue, server, deadline, timeout_ms, e)))
        goto out;
    snprintf(title, sizeof title, "ikrar receipt %llu", (unsigned long long)seq);
    int job = cupsCreateJob(http, queue, title, 0, NULL);
    if (job <= 0) {
        rc = cups_fail(queue, server, deadline, timeout_ms, e);
        goto out;
    }
    if (cupsStartDocument(http, queue, job, title, CUPS_FORMAT_PDF, 1) != HTTP_STATUS_CONTINUE ||
        cupsWriteRequestData(http, (const char *)pdf->p, pdf->len) != HTTP_STATUS_CONTINUE ||
        cupsFinishDocument(http, queue) > IPP_STATUS_OK_CONFLICTING) {
        rc = cups_fail(queue, server, deadline, timeout_ms, e);
        /* A job half sent would wait for its document forever: take it back (best effort). */
        if (left_ms(deadline) > 0)
            cupsCancelJob2(http, queue, job, 1);
    }
out:
    httpClose(http);
    return rc;
}

/* A CUPS queue name as cupsd itself accepts one, bounded: printable ASCII, no separators. */
static int cups_queue_ok(const char *q)
{
    size_t n = strlen(q);
    if (n == 0 || n > IKR_MAX_CUPS_QUEUE)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)q[i];
        if (c <= ' ' || c >= 0x7F || strchr("/#\\?'\"", c))
            return 0;
    }
    return 1;
}

enum { P_NONE, P_FILE, P_DEVICE, P_TCP, P_CUPS };

/* Which backend uri names, and its argument in *arg; -1 when none. */
static int kind(const char *uri, const char **arg)
{
    static const struct {
        const char *prefix;
        int kind;
    } k[] = {{"file:", P_FILE}, {"escpos+tcp://", P_TCP}, {"escpos:", P_DEVICE}, {"cups:", P_CUPS}};
    if (!uri || strlen(uri) > IKR_MAX_PRINTER_URI)
        return -1;
    if (strcmp(uri, "none") == 0) {
        *arg = "";
        return P_NONE;
    }
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strncmp(uri, k[i].prefix, strlen(k[i].prefix)) == 0 && uri[strlen(k[i].prefix)]) {
            *arg = uri + strlen(k[i].prefix);
            return k[i].kind;
        }
    return -1;
}

int ikr_printer_check_uri(const char *uri, ikr_err *e)
{
    const char *arg;
    int k = kind(uri, &arg);
    char host[256], port[16];
    if (k < 0 || (k == P_TCP && split_host(arg, host, sizeof host, port, sizeof port)) ||
        (k == P_CUPS && !cups_queue_ok(arg)))
        return ikr_err_set(e, IKR_E_PRINTER_URI, "%s", uri ? uri : "");
    return IKR_OK;
}

int ikr_printer_print(const char *uri, const ikr_ticket_info *in, const ikr_print_opts *o,
                      ikr_err *e)
{
    const char *arg;
    int rc, k = kind(uri, &arg);
    if ((rc = ikr_printer_check_uri(uri, e)))
        return rc;
    if (k == P_NONE)
        return IKR_OK;
    int width = o && o->width ? o->width : IKR_TICKET_58MM;
    int timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : IKR_PRINT_TIMEOUT_MS;
    long long deadline = now_ms() + timeout_ms;
    ikr_ticket t;
    ikr_buf job;
    ikr_buf_init(&job);
    if (k == P_CUPS) {
        /* CUPS drives any printer from the page description: the A6 PDF, not the raster. */
        if ((rc = ikr_ticket_pdf(in, &job, e)) == IKR_OK)
            rc = print_cups(arg, &job, in->seq, deadline, timeout_ms, e);
        ikr_buf_free(&job);
        return rc;
    }
    if ((rc = ikr_ticket_render(&t, in, width, e)))
        return rc;
    if (k == P_FILE) {
        rc = print_files(arg, &t, in, e);
    } else if ((rc = ikr_escpos_encode(&job, &t))) {
        rc = ikr_err_set(e, rc, NULL);
    } else if (k == P_DEVICE) {
        rc = print_device(arg, &job, deadline, e);
    } else {
        rc = print_tcp(arg, &job, deadline, e);
    }
    ikr_ticket_free(&t);
    ikr_buf_free(&job);
    return rc;
}

const char *ikr_printer_resolve(ikr_station *s, const char *uri, ikr_buf *out)
{
    ikr_buf_reset(out);
    if (uri == NULL && (ikr_station_printer(s, out, NULL) != IKR_OK || out->len == 0))
        uri = "none";
    if (uri != NULL) {
        ikr_buf_reset(out);
        if (ikr_buf_adds(out, uri) || ikr_buf_addc(out, 0))
            return "none";
    }
    return (const char *)out->p;
}

int ikr_printer_print_record(ikr_station *s, uint64_t seq, const char *uri, const ikr_print_opts *o,
                             ikr_err *e)
{
    ikr_ticket_info in;
    int rc;
    if ((rc = ikr_printer_check_uri(uri, e)))
        return rc;
    if (strcmp(uri, "none") == 0)
        return IKR_OK;
    ikr_ticket_info_init(&in);
    if ((rc = ikr_ticket_info_load(&in, s, seq, e)) == IKR_OK)
        rc = ikr_printer_print(uri, &in, o, e);
    ikr_ticket_info_free(&in);
    return rc;
}
