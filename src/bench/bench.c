/*
 * bench.c: `ikrar bench` measures ikrar on the disk of a data folder,
 * each figure beside a baseline measured in the same run, and prints them.
 * Nothing here is asserted: these machines are noisy, so a person or a
 * script reads the ratios.
 *
 * It makes its own kiosk in DIR/bench-<pid>/ (removed afterwards), so the
 * folder it is pointed at is only used for its filesystem.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ikrar/audit.h"
#include "ikrar/backup.h"
#include "ikrar/bundle.h"
#include "ikrar/clock.h"
#include "ikrar/cose.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/merkle.h"
#include "ikrar/qr.h"
#include "ikrar/station.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile of v[0..n) (sorts v). */
static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* A distinct valid PNS NIP for each i below 9,400,000: born 1960..1987, appointed at 25. */
void bench_signer_nip(char out[IKR_NIP_LEN + 1], uint64_t i)
{
    int y = 1960 + (int)(i % 28), m = 1 + (int)(i / 28 % 12), d = 1 + (int)(i / 336 % 28);
    snprintf(out, IKR_NIP_LEN + 1, "%04d%02d%02d%04d%02d%d%03d", y, m, d, y + 25, 1,
             (int)(i % 2) + 1, (int)(1 + i / 9408 % 999));
}

/* A signature of three strokes, sixty points each, as a finger draws it. */
void bench_signer_ink(ikr_ink *ink, ikr_buf *json)
{
    ikr_buf_reset(json);
    ikr_buf_adds(json, "{\"w\":800,\"h\":300,\"s\":[");
    unsigned t = 0;
    for (int s = 0; s < 3; s++) {
        ikr_buf_adds(json, s ? ",[" : "[");
        for (int p = 0; p < 60; p++) {
            char pt[48];
            unsigned x = 60 + (unsigned)(s * 230 + p * 3),
                     y = 150 + (unsigned)((p * 37 + s * 11) % 90) - 45;
            snprintf(pt, sizeof pt, "%s%u,%u,%u", p ? "," : "", x, y, t);
            ikr_buf_adds(json, pt);
            t += 8;
        }
        ikr_buf_adds(json, "]");
        t += 250;
    }
    ikr_buf_adds(json, "]}");
    ikr_ink_init(ink);
    ikr_ink_parse_json(ink, (const char *)json->p, json->len);
}

/* fdatasync latency of a 4 KB write in dir: the disk's own floor. */
static int fsync_baseline(const char *dir, int n, double *p50, double *p99)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/fsync-probe", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    char block[4096];
    memset(block, 'x', sizeof block);
    double *v = calloc((size_t)n, sizeof *v);
    int rc = v ? 0 : -1;
    for (int i = 0; i < n && !rc; i++) {
        double t0 = now_s();
        if (pwrite(fd, block, sizeof block, (off_t)(i % 64) * 4096) != (ssize_t)sizeof block ||
            fdatasync(fd) != 0)
            rc = -1;
        v[i] = now_s() - t0;
    }
    close(fd);
    unlink(path);
    if (!rc) {
        *p50 = quantile(v, (size_t)n, 0.5);
        *p99 = quantile(v, (size_t)n, 0.99);
    }
    free(v);
    return rc;
}

/* Signs n signers starting at NIP index base; per-signing latencies into lat (may be NULL). */
static int sign_many(ikr_station *s, uint64_t base, uint64_t n, const ikr_ink *ink, double *lat,
                     ikr_err *e)
{
    for (uint64_t i = 0; i < n; i++) {
        char nip[IKR_NIP_LEN + 1], name[64];
        bench_signer_nip(nip, base + i);
        snprintf(name, sizeof name, "Pegawai Uji %" PRIu64, base + i);
        ikr_form f = {name, IKR_STATUS_PNS, nip, "Analis", "Bagian Umum"};
        ikr_signed out;
        double t0 = now_s();
        int rc = ikr_station_sign(s, &f, ink, ikr_clock_now(), &out, e);
        if (lat)
            lat[i] = now_s() - t0;
        ikr_buf_free(&out.receipt);
        if (rc)
            return rc;
    }
    return IKR_OK;
}

/* OpenSSL's own one-core Ed25519 verify rate, from `openssl speed`; 0 when unavailable. */
static double openssl_speed_verify(void)
{
    FILE *p = popen("openssl speed -mr -seconds 2 ed25519 2>/dev/null", "r");
    if (!p)
        return 0;
    char line[256];
    double sign = 0, verify = 0;
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "+F6:", 4) == 0) {
            char *last = strrchr(line, ':');
            char *prev = last;
            while (prev > line && prev[-1] != ':')
                prev--;
            if (last && prev > line) {
                sign = strtod(prev, NULL);
                verify = strtod(last + 1, NULL);
            }
        }
    pclose(p);
    (void)sign;
    return verify;
}

/* The same measured here: EVP verify of a record-sized message, fresh context each time. */
static double inprocess_verify_rate(const ikr_key *k)
{
    uint8_t msg[300], sig[IKR_SIG_LEN];
    memset(msg, 7, sizeof msg);
    ikr_key_sign(k, sig, msg, sizeof msg);
    double t0 = now_s(), t;
    long n = 0;
    do {
        for (int i = 0; i < 256; i++)
            ikr_key_verify(k, sig, msg, sizeof msg);
        n += 256;
        t = now_s() - t0;
    } while (t < 1.0);
    return (double)n / t;
}

/* Work for a child process: returns 0 and how many records it handled. */
typedef int (*child_fn)(const void *ctx, uint64_t *records);

typedef struct audit_job {
    const char *dir;
    int threads;
} audit_job;

static int audit_station_job(const void *ctx, uint64_t *records)
{
    const audit_job *j = ctx;
    ikr_station *s = NULL;
    ikr_audit_report rep;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_station_open(&s, j->dir, IKR_OPEN_VERIFY, NULL, &e) ||
             ikr_audit_station(s, j->threads, &rep, &e);
    *records = rc ? 0 : rep.records;
    ikr_station_close(s);
    return rc;
}

static int audit_bundle_job(const void *ctx, uint64_t *records)
{
    const audit_job *j = ctx;
    ikr_audit_report rep;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_audit_bundle(j->dir, j->threads, &rep, &e);
    *records = rc ? 0 : rep.records;
    return rc;
}

typedef struct export_job {
    const char *dir, *out;
    int pdf;
} export_job;

static int export_job_run(const void *ctx, uint64_t *records)
{
    const export_job *j = ctx;
    ikr_station *s = NULL;
    ikr_bundle_stats st;
    ikr_bundle_opts o = {',', !j->pdf};
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_station_open(&s, j->dir, IKR_OPEN_SIGN, NULL, &e) ||
             ikr_bundle_export(s, j->out, &o, ikr_clock_now(), &st, &e);
    *records = rc ? 0 : st.records;
    ikr_station_close(s);
    return rc;
}

/* Runs fn in a child process; its wall time and peak resident memory. */
static int run_child(child_fn fn, const void *ctx, double *secs, long *maxrss_kb, uint64_t *records)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    double t0 = now_s();
    fflush(NULL); /* or the child's exit would write our buffered lines again */
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(pipefd[0]);
        uint64_t n = 0;
        int rc = fn(ctx, &n);
        if (write(pipefd[1], &n, sizeof n) != (ssize_t)sizeof n)
            rc = 1;
        _exit(rc ? 1 : 0);
    }
    close(pipefd[1]);
    int st;
    struct rusage ru;
    if (read(pipefd[0], records, sizeof *records) != (ssize_t)sizeof *records)
        *records = 0;
    close(pipefd[0]);
    if (wait4(pid, &st, 0, &ru) < 0)
        return -1;
    *secs = now_s() - t0;
    *maxrss_kb = ru.ru_maxrss;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/*
 * The baseline of `ikrar backup`: the sqlite3 shell's `.backup` of the same
 * file into dest, run as a child process; its wall time, or -1 when the
 * shell is not installed or failed.
 */
static double sqlite3_shell_backup(const char *src, const char *dest)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, ".backup '%s'", dest);
    char *argv[] = {"sqlite3", (char *)src, cmd, NULL};
    extern char **environ;
    pid_t pid;
    int st;
    double t0 = now_s();
    if (posix_spawnp(&pid, "sqlite3", NULL, NULL, argv, environ) != 0)
        return -1;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return now_s() - t0;
}

/*
 * `ikrar backup` of the bench log beside `sqlite3 .backup` of the same
 * file, best of three each, alternating so neither has the warmer cache.
 */
static int bench_backup(int lang, const char *dir, ikr_err *e)
{
    char to[1200], shell_to[1200];
    double best_copy = 1e30, best_audit = 1e30, best_total = 1e30, best_shell = 1e30;
    uint64_t records = 0, bytes = 0;
    char db[1200];
    snprintf(db, sizeof db, "%s/%s", dir, IKR_DB_FILE);
    for (int i = 0; i < 3; i++) {
        snprintf(to, sizeof to, "%s/backup-%d", dir, i);
        snprintf(shell_to, sizeof shell_to, "%s/shell-backup-%d.db", dir, i);
        double sh = sqlite3_shell_backup(db, shell_to);
        unlink(shell_to);
        if (sh >= 0 && sh < best_shell)
            best_shell = sh;
        ikr_backup_report rep;
        double t0 = now_s();
        if (ikr_backup(dir, to, NULL, &rep, e))
            return e->code;
        double total = now_s() - t0;
        ikr_file_remove_tree(to);
        records = rep.records;
        bytes = rep.bytes;
        if ((double)rep.copy_us / 1e6 < best_copy)
            best_copy = (double)rep.copy_us / 1e6;
        if ((double)rep.audit_us / 1e6 < best_audit)
            best_audit = (double)rep.audit_us / 1e6;
        if (total < best_total)
            best_total = total;
    }
    printf("\n%s (%" PRIu64 " %s, %.1f MB)\n", BL(lang, "Cadangan", "Backup"), records,
           BL(lang, "catatan", "records"), (double)bytes / 1e6);
    if (best_shell < 1e30)
        printf("  sqlite3 .backup (shell, child process)  %8.3f s   (baseline)\n", best_shell);
    else
        printf("  sqlite3 .backup: %s\n",
               BL(lang, "shell sqlite3 tidak tersedia", "the sqlite3 shell is not available"));
    printf("  ikrar backup: copy (backup API)         %8.3f s", best_copy);
    if (best_shell < 1e30)
        printf("   copy / sqlite3 = %.2f  -> %s", best_copy / best_shell,
               best_copy <= 1.5 * best_shell
                   ? BL(lang, "target 1.5x terpenuhi", "target 1.5x met")
                   : BL(lang, "target 1.5x TIDAK terpenuhi", "target 1.5x NOT met"));
    printf("\n  ikrar backup: audit of the copy         %8.3f s   (%.0f records/s)\n", best_audit,
           best_audit > 0 ? (double)records / best_audit : 0.0);
    printf("  ikrar backup: whole (copy, keys, sync, audit, rename) %.3f s\n", best_total);
    return IKR_OK;
}

int ikr_bench_run(const char *data, long records, long samples, int lang, ikr_err *err)
{
    int rc;
    struct stat st;
    if (stat(data, &st) != 0 && mkdir(data, 0700) != 0) {
        ikr_err e;
        ikr_err_clear(&e);
        ikr_err_set(&e, IKR_E_IO, "%s: %s", data, strerror(errno));
        *err = e;
        return e.code;
    }
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/bench-%d", data, (int)getpid());

    ikr_err e;
    ikr_buf vk, json;
    ikr_ink ink;
    ikr_station *s = NULL;
    double *lat = calloc((size_t)samples, sizeof *lat);
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    ikr_buf_init(&json);
    bench_signer_ink(&ink, &json);
    ikr_station_cfg cfg = {
        .event_id = "bench", .title = "Bench", .kiosk = "bench", .pin = "246810"};
    if (!lat || ikr_station_create(dir, &cfg, &vk, &e) ||
        ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e)) {
        rc = e.code ? e.code : IKR_E_INTERNAL;
        goto out;
    }

    printf("ikrar bench  (%s: %s)\n\n", BL(lang, "disk folder", "folder's disk"), data);

    /* 1. Durability: the disk's floor, then a whole signing, at an empty and a full log. */
    double f50, f99;
    if (fsync_baseline(dir, (int)samples, &f50, &f99) != 0) {
        ikr_err_set(&e, IKR_E_IO, "%s: fdatasync", dir);
        rc = e.code ? e.code : IKR_E_INTERNAL;
        goto out;
    }
    if ((rc = sign_many(s, 0, (uint64_t)samples, &ink, lat, &e))) {
        rc = e.code ? e.code : IKR_E_INTERNAL;
        goto out;
    }
    double s50 = quantile(lat, (size_t)samples, 0.5), s99 = quantile(lat, (size_t)samples, 0.99);
    printf("%s\n", BL(lang, "Tanda tangan + commit tahan lama (per penanda tangan)",
                      "Sign and durable commit (per signer)"));
    printf("  fdatasync 4 KB            p50 %7.3f ms   p99 %7.3f ms   (baseline)\n", f50 * 1e3,
           f99 * 1e3);
    printf("  sign+commit, log empty    p50 %7.3f ms   p99 %7.3f ms   p99 / fsync p99 = %.2f\n",
           s50 * 1e3, s99 * 1e3, s99 / f99);
    printf("  target: p99 <= 1.5 x fsync p99 + 1 ms = %.3f ms  -> %s\n", (1.5 * f99 + 0.001) * 1e3,
           s99 <= 1.5 * f99 + 0.001 ? "met" : "NOT met");

    /* Fill to `records` (as fast as the disk allows; the durability is measured above). */
    double tf = now_s();
    uint64_t have = (uint64_t)samples, fill_to = (uint64_t)(records - samples);
    ikr_station_close(s);
    s = NULL;
    {
        ikr_station *bulk = NULL;
        if (ikr_station_open(&bulk, dir, IKR_OPEN_SIGN, NULL, &e) ||
            ikr_station_unsynced_for_bench(bulk, &e) ||
            sign_many(bulk, have, fill_to - have, &ink, NULL, &e)) {
            ikr_station_close(bulk);
            rc = e.code ? e.code : IKR_E_INTERNAL;
            goto out;
        }
        ikr_station_close(bulk);
    }
    tf = now_s() - tf;
    have = fill_to;
    if (ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e) ||
        (rc = sign_many(s, have, (uint64_t)samples, &ink, lat, &e))) {
        rc = e.code ? e.code : IKR_E_INTERNAL;
        goto out;
    }
    s50 = quantile(lat, (size_t)samples, 0.5);
    s99 = quantile(lat, (size_t)samples, 0.99);
    printf("  sign+commit, log of %-7ld p50 %7.3f ms   p99 %7.3f ms   p99 / fsync p99 = %.2f\n",
           records - samples, s50 * 1e3, s99 * 1e3, s99 / f99);
    printf("  (filled %" PRIu64 " records without fsync in %.1f s: %.0f signings/s)\n\n",
           fill_to - (uint64_t)samples, tf, (double)(fill_to - (uint64_t)samples) / tf);

    /*
     * The check at open (issue 11): opening for signing checks the settings, record 1, the last
     * record, SQLite's quick_check and the head.  Best of five, warm cache; "without" is the
     * open less the same check run alone.
     */
    {
        double best_open = 1e9, best_check = 1e9;
        for (int i = 0; i < 5; i++) {
            ikr_station *o = NULL;
            double t0 = now_s();
            if (ikr_station_open(&o, dir, IKR_OPEN_SIGN, NULL, &e)) {
                rc = e.code ? e.code : IKR_E_INTERNAL;
                goto out;
            }
            double t1 = now_s();
            int crc = ikr_station_head_check(o, &e);
            double t2 = now_s();
            ikr_station_close(o);
            if (crc) {
                rc = crc;
                goto out;
            }
            if (t1 - t0 < best_open)
                best_open = t1 - t0;
            if (t2 - t1 < best_check)
                best_check = t2 - t1;
        }
        double without = best_open > best_check ? best_open - best_check : best_open;
        printf("%s\n", BL(lang, "Membuka untuk tanda tangan (log penuh)",
                          "Opening for signing (full log)"));
        printf("  open with the checks %7.3f ms   the checks alone %7.3f ms   without %7.3f ms"
               "   ratio %.2f\n\n",
               best_open * 1e3, best_check * 1e3, without * 1e3, best_open / without);
    }

    /* 2. The pieces, for scale. */
    {
        uint8_t msg[300], sig[IKR_SIG_LEN], leaf[IKR_HASH_LEN];
        memset(msg, 3, sizeof msg);
        int n = 2000;
        double t0 = now_s();
        for (int i = 0; i < n; i++)
            ikr_key_sign(ikr_station_key(s), sig, msg, sizeof msg);
        double sign_us = (now_s() - t0) / n * 1e6;
        t0 = now_s();
        for (int i = 0; i < n; i++)
            ikr_key_verify(ikr_station_key(s), sig, msg, sizeof msg);
        double verify_us = (now_s() - t0) / n * 1e6;
        ikr_merkle_edge edge;
        ikr_merkle_edge_init(&edge);
        n = 200000;
        t0 = now_s();
        for (int i = 0; i < n; i++) {
            msg[0] = (uint8_t)i;
            ikr_merkle_leaf(leaf, msg, 200);
            ikr_merkle_edge_push(&edge, leaf, NULL, NULL);
        }
        double append_us = (now_s() - t0) / n * 1e6;
        printf("%s\n", BL(lang, "Bagian-bagian", "The pieces"));
        printf("  Ed25519 sign %.1f us, verify %.1f us; Merkle leaf+append %.2f us\n", sign_us,
               verify_us, append_us);
    }

    /* 3. The receipt's QR code with the longest name a receipt keeps. */
    {
        ikr_buf text;
        ikr_qr qr;
        memset(&qr, 0, sizeof qr);
        ikr_buf_init(&text);
        char name[IKR_RECEIPT_NAME + 1];
        memset(name, 'W', IKR_RECEIPT_NAME);
        name[IKR_RECEIPT_NAME] = '\0';
        ikr_form f = {name, IKR_STATUS_PNS, "198503302010012003", "Analis", "Umum"};
        ikr_signed out;
        int ok = ikr_station_sign(s, &f, &ink, ikr_clock_now(), &out, &e) == 0;
        double t0 = now_s();
        int n = 200;
        for (int i = 0; ok && i < n; i++) {
            ikr_qr_free(&qr);
            ok = ikr_qr_encode(&qr, (const char *)out.receipt.p, &e) == 0;
        }
        double qr_ms = (now_s() - t0) / n * 1e3;
        if (ok)
            printf("  QR encode %.3f ms; receipt with a 64-byte name: %zu characters, version %d "
                   "(%d modules a side) at EC %c  -> %s\n\n",
                   qr_ms, strlen((const char *)out.receipt.p), qr.version, qr.width, qr.level,
                   qr.version <= 17 ? BL(lang, "target v17 terpenuhi", "target v17 met")
                                    : BL(lang, "target v17 TIDAK terpenuhi", "target v17 NOT met"));
        ikr_qr_free(&qr);
        ikr_buf_free(&out.receipt);
        ikr_buf_free(&text);
    }

    /* 4. Audit throughput and memory, beside OpenSSL's own verify rate on one core. */
    {
        double base_speed = openssl_speed_verify();
        double base_here = inprocess_verify_rate(ikr_station_key(s));
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        double t1, tn;
        long rss1, rssn;
        uint64_t n1 = 0, nn = 0;
        ikr_station_close(s);
        s = NULL;
        audit_job one = {dir, 1}, all = {dir, 0};
        if (run_child(audit_station_job, &one, &t1, &rss1, &n1) != 0 ||
            run_child(audit_station_job, &all, &tn, &rssn, &nn) != 0) {
            ikr_err_set(&e, IKR_E_INTERNAL, "audit of the bench log failed");
            rc = e.code ? e.code : IKR_E_INTERNAL;
            goto out;
        }
        double base = base_speed > 0 ? base_speed : base_here;
        printf("%s (%" PRIu64 " %s)\n", BL(lang, "Audit", "Audit"), n1,
               BL(lang, "catatan", "records"));
        printf(
            "  OpenSSL Ed25519 verify, one core: %.0f /s (openssl speed)%s, %.0f /s (in process)\n",
            base_speed, base_speed > 0 ? "" : BL(lang, " tidak tersedia", " unavailable"),
            base_here);
        printf("  audit, 1 thread     %9.0f records/s   = %3.0f %% of one core's rate   peak RSS "
               "%ld MB\n",
               (double)n1 / t1, 100.0 * ((double)n1 / t1) / base, rss1 / 1024);
        printf("  audit, %ld threads   %9.0f records/s   = %.2f x one thread            peak RSS "
               "%ld MB\n",
               cores, (double)nn / tn, ((double)nn / tn) / ((double)n1 / t1), rssn / 1024);
        printf("  targets: 1 thread >= 80 %% of one core (%s); >= 1.7x on two cores (%s); memory < "
               "64 MB (%s)\n",
               ((double)n1 / t1) >= 0.8 * base ? "met" : "NOT met",
               cores < 2                                      ? "n/a"
               : ((double)nn / tn) >= 1.7 * ((double)n1 / t1) ? "met"
                                                              : "NOT met",
               rss1 < 64 * 1024 && rssn < 64 * 1024 ? "met" : "NOT met");
    }

    /* 5. The roster bundle: export, its PDF, and an outside auditor's check, beside the same
     * baseline. */
    {
        char b1[1200], b2[1200];
        snprintf(b1, sizeof b1, "%s/bundle-nopdf", dir);
        snprintf(b2, sizeof b2, "%s/bundle", dir);
        export_job plain = {dir, b1, 0}, full = {dir, b2, 1};
        audit_job one = {b2, 1}, all = {b2, 0};
        double te, tp, ta1, tan;
        long re, rp, ra1, ran;
        uint64_t ne = 0, np = 0, na1 = 0, nan = 0;
        double base = openssl_speed_verify();
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (base <= 0) {
            ikr_key *k = NULL;
            if (ikr_key_generate(&k, NULL) == 0)
                base = inprocess_verify_rate(k);
            ikr_key_free(k);
        }
        if (run_child(export_job_run, &plain, &te, &re, &ne) != 0 ||
            run_child(export_job_run, &full, &tp, &rp, &np) != 0 ||
            run_child(audit_bundle_job, &one, &ta1, &ra1, &na1) != 0 ||
            run_child(audit_bundle_job, &all, &tan, &ran, &nan) != 0) {
            ikr_err_set(&e, IKR_E_INTERNAL, "export or audit of the bench bundle failed");
            rc = e.code ? e.code : IKR_E_INTERNAL;
            goto out;
        }
        double pdf_rate = tp > te ? (double)np / (tp - te) : 0;
        printf("\n%s (%" PRIu64 " %s)\n", BL(lang, "Bundel roster", "Roster bundle"), ne,
               BL(lang, "catatan", "records"));
        printf("  export records.jsonl + roster.csv  %9.0f records/s   peak RSS %ld MB   (target "
               ">= 50000/s)\n",
               (double)ne / te, re / 1024);
        printf("  export with roster.pdf             %9.0f records/s   peak RSS %ld MB\n",
               (double)np / tp, rp / 1024);
        printf("  roster.pdf alone (difference)      %9.0f records/s   (target >= 2000/s)\n",
               pdf_rate);
        printf("  audit BUNDLE, 1 thread             %9.0f records/s   = %3.0f %% of one core's "
               "verify rate "
               "(%.0f/s)   peak RSS %ld MB\n",
               (double)na1 / ta1, 100.0 * ((double)na1 / ta1) / base, base, ra1 / 1024);
        printf(
            "  audit BUNDLE, %ld threads           %9.0f records/s   = %3.0f %% of %ld cores' rate"
            "             peak RSS %ld MB\n",
            cores, (double)nan / tan, 100.0 * ((double)nan / tan) / (base * (double)cores), cores,
            ran / 1024);
        printf("  targets: export >= 50000/s (%s); PDF >= 2000/s (%s); audit >= 80 %% a core (%s); "
               "memory <= 64 MB (%s)\n",
               (double)ne / te >= 50000 ? "met" : "NOT met", pdf_rate >= 2000 ? "met" : "NOT met",
               (double)nan / tan >= 0.8 * base * (double)cores ? "met" : "NOT met",
               re < 64 * 1024 && rp < 64 * 1024 && ra1 < 64 * 1024 && ran < 64 * 1024 ? "met"
                                                                                      : "NOT met");
        ikr_file_remove_tree(b1);
        ikr_file_remove_tree(b2);
    }

    /* 5b. A backup off the box, beside the sqlite3 shell's own `.backup`. */
    if (bench_backup(lang, dir, &e)) {
        rc = e.code ? e.code : IKR_E_INTERNAL;
        goto out;
    }

    /* 6. Receipts read back from pictures: `ikrar verify IMAGE` and zbarimg, whole processes. */
    {
        printf("\n");
        if (bench_scan(lang, dir, samples, &ink, &e)) {
            rc = e.code ? e.code : IKR_E_INTERNAL;
            goto out;
        }
    }
    rc = IKR_OK;
out:
    if (rc)
        *err = e;
    ikr_station_close(s);
    ikr_ink_free(&ink);
    ikr_buf_free(&vk);
    ikr_buf_free(&json);
    free(lat);
    ikr_file_remove_tree(dir);
    return rc;
}
