/*
 * test_harden: the hardening list of issue 11 that is tested through the
 * library (tests/cli/harden.sh tests the rest through the command).
 *
 * merge: a bundle is untrusted, and so is the checkpoint its own key signed.
 * A forged checkpoint claiming a million records beside a sparse 2 GiB
 * records.jsonl, or a sparse 2 GiB roster.pdf, is refused quickly and
 * without writing the file out (the test runs under a 16 MiB file-size
 * limit, so a copy of it fails differently); a checkpoint claiming more
 * records than a bundle may hold is refused at once; and a kiosk named
 * "..." is refused instead of merged into a hidden folder.
 *
 * PIN: the count of wrong admin PINs and the lock-out are kept by the
 * station, so closing and opening it again (a restarted kiosk) keeps both;
 * the right PIN starts the count again.
 */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/bundle.h"
#include "ikrar/err.h"
#include "ikrar/file.h"
#include "ikrar/hash.h"
#include "ikrar/key.h"
#include "ikrar/merge.h"
#include "ikrar/note.h"
#include "ikrar/station.h"
#include "testdata.h"

static char root_dir[] = "/tmp/ikrar-harden-XXXXXX";

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The worked example's key (RFC 8032 test 1), which signed tests/data/bundle. */
static ikr_key *example_key(void)
{
    ikr_buf hex;
    uint8_t seed[32];
    ikr_key *k = NULL;
    ikr_buf_init(&hex);
    if (td_line("vectors/seed.hex", &hex) == 0 &&
        ikr_unhex(seed, sizeof seed, (const char *)hex.p) == 0)
        ikr_key_from_seed(&k, seed);
    ikr_buf_free(&hex);
    return k;
}

/*
 * Copies the golden bundle to root_dir/name and signs a checkpoint of
 * origin "ikrar/contoh/<kiosk>" claiming size records with the bundle's key,
 * with a verifier.key under that name: a bundle whose own key vouches for
 * whatever it claims.
 */
static int forge(const char *name, const char *kiosk, uint64_t size)
{
    char src[1100], dir[1100], path[1200], origin[128];
    ikr_buf body, note, vkey;
    uint8_t root[IKR_HASH_LEN];
    char golden_origin[IKR_MAX_ORIGIN + 1];
    uint64_t golden_size;
    ikr_key *k = example_key();
    int rc = -1;
    ikr_buf cp;
    ikr_buf_init(&cp);
    /* The golden bundle's root: its 3 records give it. */
    int bad = td_read("bundle/checkpoint", &cp) ||
              ikr_checkpoint_parse((const char *)cp.p, cp.len, golden_origin, &golden_size, root);
    ikr_buf_free(&cp);
    if (bad || !k || td_path(src, sizeof src, "bundle"))
        goto out0;
    snprintf(dir, sizeof dir, "%s/%s", root_dir, name);
    snprintf(origin, sizeof origin, "ikrar/contoh/%s", kiosk);
    if (sh("cp -r '%s' '%s'", src, dir) != 0)
        goto out0;
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    ikr_buf_init(&vkey);
    if (ikr_checkpoint_body(&body, origin, size, root) ||
        ikr_note_sign(&note, (const char *)body.p, body.len, origin, k) ||
        ikr_vkey_format(&vkey, origin, ikr_key_public(k)) || ikr_buf_addc(&vkey, '\n'))
        goto out;
    snprintf(path, sizeof path, "%s/%s", dir, IKR_BUNDLE_CHECKPOINT);
    if (ikr_file_write_atomic(path, note.p, note.len, 0600, NULL))
        goto out;
    snprintf(path, sizeof path, "%s/%s", dir, IKR_BUNDLE_VKEY);
    if (ikr_file_write_atomic(path, vkey.p, vkey.len, 0644, NULL))
        goto out;
    rc = 0;
out:
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    ikr_buf_free(&vkey);
out0:
    ikr_key_free(k);
    return rc;
}

/* Bytes really on disk under root_dir, by du. */
static long long disk_kib(void)
{
    char cmd[200];
    long long kib = -1;
    snprintf(cmd, sizeof cmd, "du -sk '%s'", root_dir);
    FILE *f = popen(cmd, "r");
    if (f) {
        if (fscanf(f, "%lld", &kib) != 1)
            kib = -1;
        pclose(f);
    }
    return kib;
}

/* Nothing of a refused merge is left: no out, no out.partial-*. */
static int left_nothing(const char *out)
{
    struct stat st;
    if (lstat(out, &st) == 0)
        return 0;
    DIR *d = opendir(root_dir);
    int clean = d != NULL;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strstr(de->d_name, ".partial-"))
            clean = 0;
    if (d)
        closedir(d);
    return clean;
}

/* ikr_merge under a 16 MiB file-size limit: a copy of a 2 GiB file fails at 16 MiB (EFBIG),
   not with the refusal the checks look for. */
static int merge_limited(const char *out, const char *const *paths, size_t n, ikr_merge_stats *st,
                         ikr_err *e)
{
    struct rlimit fs, was;
    getrlimit(RLIMIT_FSIZE, &was);
    fs = was;
    fs.rlim_cur = 16u << 20;
    setrlimit(RLIMIT_FSIZE, &fs);
    int rc = ikr_merge(out, paths, n, ',', 1, st, e);
    setrlimit(RLIMIT_FSIZE, &was);
    return rc;
}

static void merge_bounds(void)
{
    char b1[1100], out[1100], path[1200];
    ikr_err e;
    /* The golden bundle as it is merges (the forge and the limits let a real one through). */
    check("a forged-name bundle is made", forge("real", "kiosk-1", 3) == 0);
    snprintf(b1, sizeof b1, "%s/real", root_dir);
    snprintf(out, sizeof out, "%s/m0", root_dir);
    const char *one[] = {b1};
    ikr_err_clear(&e);
    ikr_merge_stats st;
    int rc = merge_limited(out, one, 1, &st, &e);
    check("a bundle resigned as it is merges", rc == IKR_OK && st.records == 3);
    if (rc)
        fprintf(stderr, "  merge: %d %s\n", rc, e.detail);
    sh("rm -rf '%s' '%s'", out, b1);

    /* A checkpoint claiming a million records, records.jsonl sparse 2 GiB. */
    check("forged: a million records claimed", forge("sparse", "kiosk-1", 1u << 20) == 0);
    snprintf(b1, sizeof b1, "%s/sparse", root_dir);
    snprintf(path, sizeof path, "%s/%s", b1, IKR_BUNDLE_RECORDS);
    check("records.jsonl made sparse 2 GiB", truncate(path, (off_t)2 << 30) == 0);
    long long before = disk_kib();
    snprintf(out, sizeof out, "%s/m1", root_dir);
    const char *sparse[] = {b1};
    ikr_err_clear(&e);
    double t0 = now_s();
    rc = merge_limited(out, sparse, 1, NULL, &e);
    double took = now_s() - t0;
    check("a sparse 2 GiB records.jsonl is refused as a bad line", rc == IKR_E_BUNDLE_LINE);
    if (rc != IKR_E_BUNDLE_LINE)
        fprintf(stderr, "  got %d: %s\n", rc, e.detail);
    check("the refusal names the line", e.seq == 4 && strstr(e.detail, "longer than"));
    check("quickly", took < 2.0);
    fprintf(stderr, "  sparse records.jsonl refused in %.3f s\n", took);
    check("a refused merge leaves nothing", left_nothing(out));
    check("and the disk use stayed small", disk_kib() >= 0 && disk_kib() - before < 4096);
    sh("rm -rf '%s'", b1);

    /* The checkpoint's own 3 records, roster.pdf sparse 2 GiB: refused before copying. */
    check("forged: 3 records", forge("pdf", "kiosk-1", 3) == 0);
    snprintf(b1, sizeof b1, "%s/pdf", root_dir);
    snprintf(path, sizeof path, "%s/%s", b1, IKR_BUNDLE_PDF);
    check("roster.pdf made sparse 2 GiB", truncate(path, (off_t)2 << 30) == 0);
    snprintf(out, sizeof out, "%s/m2", root_dir);
    const char *pdf[] = {b1};
    ikr_err_clear(&e);
    t0 = now_s();
    rc = merge_limited(out, pdf, 1, NULL, &e);
    took = now_s() - t0;
    check("a sparse 2 GiB roster.pdf is refused as too large",
          rc == IKR_E_BUNDLE_FILE && strstr(e.detail, "larger than"));
    if (rc != IKR_E_BUNDLE_FILE)
        fprintf(stderr, "  got %d: %s\n", rc, e.detail);
    check("before copying it (quickly)", took < 1.0);
    check("a refused merge leaves nothing", left_nothing(out));
    sh("rm -rf '%s'", b1);

    /* More records claimed than a bundle may hold: refused before anything is copied. */
    check("forged: 2^32 records", forge("huge", "kiosk-1", UINT64_C(1) << 32) == 0);
    snprintf(b1, sizeof b1, "%s/huge", root_dir);
    snprintf(out, sizeof out, "%s/m3", root_dir);
    const char *huge[] = {b1};
    ikr_err_clear(&e);
    rc = merge_limited(out, huge, 1, NULL, &e);
    check("a checkpoint claiming 2^32 records is refused",
          rc == IKR_E_BUNDLE_SIZE && strstr(e.detail, "claims"));
    check("a refused merge leaves nothing", left_nothing(out));
    sh("rm -rf '%s'", b1);

    /* An empty first line: refused as such (never handed to the parser as a NULL line). */
    check("forged: an empty first line", forge("empty", "kiosk-1", 3) == 0);
    snprintf(b1, sizeof b1, "%s/empty", root_dir);
    check("records.jsonl made to start with an empty line",
          sh("cd '%s' && { echo; cat records.jsonl; } >r && mv r records.jsonl", b1) == 0);
    snprintf(out, sizeof out, "%s/m5", root_dir);
    const char *empty[] = {b1};
    ikr_err_clear(&e);
    rc = merge_limited(out, empty, 1, NULL, &e);
    check("an empty line is refused",
          rc == IKR_E_BUNDLE_LINE && e.seq == 1 && strstr(e.detail, "empty"));
    check("a refused merge leaves nothing", left_nothing(out));
    sh("rm -rf '%s'", b1);

    /* A kiosk named "...": never a hidden folder in kiosks/. */
    check("forged: kiosk '...'", forge("dots", "...", 3) == 0);
    snprintf(b1, sizeof b1, "%s/dots", root_dir);
    snprintf(out, sizeof out, "%s/m4", root_dir);
    const char *dots[] = {b1};
    ikr_err_clear(&e);
    rc = merge_limited(out, dots, 1, NULL, &e);
    check("a bundle of kiosk '...' is refused", rc == IKR_E_MERGE_KIOSK);
    check("a refused merge leaves nothing", left_nothing(out));
    check("kiosk '.hidden' is not a kiosk name", !ikr_kiosk_name_ok(".hidden") &&
                                                     !ikr_kiosk_name_ok("...") &&
                                                     ikr_kiosk_name_ok("aula.1"));
    sh("rm -rf '%s'", b1);
}

static ikr_station *reopen(ikr_station *s, const char *dir)
{
    ikr_station_close(s);
    s = NULL;
    return ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, NULL) == IKR_OK ? s : NULL;
}

static void pin_persisted(void)
{
    char dir[1100];
    ikr_buf vk;
    ikr_station *s = NULL;
    int fails = -1;
    int64_t until = -1, t = 1764900000;
    ikr_buf_init(&vk);
    snprintf(dir, sizeof dir, "%s/pin", root_dir);
    ikr_station_cfg cfg = {.event_id = "e", .title = "T", .kiosk = "k", .pin = "246810"};
    check("pin: a folder", ikr_station_create(dir, &cfg, &vk, NULL) == IKR_OK &&
                               ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, NULL) == IKR_OK);
    ikr_buf_free(&vk);
    if (!s)
        return;
    for (int i = 1; i <= 3; i++)
        check("pin: a wrong PIN is counted",
              ikr_station_pin_try(s, "111111", t, &fails, &until, NULL) == IKR_E_PIN_WRONG &&
                  fails == i && until == 0);
    s = reopen(s, dir);
    check("pin: the count survives a restart", s && ikr_station_pin_fails(s) == 3);
    if (!s)
        return;
    check("pin: a fourth",
          ikr_station_pin_try(s, "111111", t, &fails, &until, NULL) == IKR_E_PIN_WRONG &&
              fails == 4);
    s = reopen(s, dir);
    check("pin: the fifth, after another restart, locks",
          s && ikr_station_pin_try(s, "111111", t, &fails, &until, NULL) == IKR_E_PIN_WRONG &&
              until == t + IKR_PIN_LOCK_S && fails == 0);
    s = reopen(s, dir);
    check("pin: a restarted station is still locked",
          s && ikr_station_pin_locked_until(s) == t + IKR_PIN_LOCK_S &&
              ikr_station_pin_fails(s) == 0);
    if (!s)
        return;
    check("pin: the right PIN opens and the count starts again",
          ikr_station_pin_try(s, "111111", t + IKR_PIN_LOCK_S, &fails, &until, NULL) ==
                  IKR_E_PIN_WRONG &&
              fails == 1 &&
              ikr_station_pin_try(s, "246810", t + IKR_PIN_LOCK_S, &fails, &until, NULL) ==
                  IKR_OK &&
              fails == 0 && ikr_station_pin_fails(s) == 0);
    s = reopen(s, dir);
    check("pin: and stays at 0 after a restart", s && ikr_station_pin_fails(s) == 0);
    ikr_station_close(s);
}

int main(void)
{
    if (!mkdtemp(root_dir)) {
        perror("mkdtemp");
        return 1;
    }
    signal(SIGXFSZ, SIG_IGN); /* past the limit, write() fails with EFBIG */
    merge_bounds();
    pin_persisted();
    sh("rm -rf '%s'", root_dir);
    return check_report();
}
