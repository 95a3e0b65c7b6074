/*
 * bench_hub.c: `ikrar bench --hub URL`: how fast a hub takes an event in.
 *
 * It makes K kiosks in data folders of its own (events of at most 50 kiosks
 * each, as a trust list holds at most 64), signs R records across them
 * (without fsync: the disk is measured by the plain bench), loads the events
 * and joins the kiosks, then times, on the hub at URL:
 *   - push: every kiosk's log sent (records/s);
 *   - verify: `hub verify` on T threads (verified records/s), against the
 *     baseline of the same records' Ed25519 checks alone on the same threads,
 *     so the ratio says how close ingest is to signature checking;
 *   - stats: `stats --hub` on the whole biggest event, several times.
 * It prints figures and asserts nothing.  Use a scratch database: the events
 * it loads stay there (bench-<pid>-<n>).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ikrar/clock.h"
#include "ikrar/cose.h"
#include "ikrar/file.h"
#include "ikrar/hub.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"

#define PER_EVENT 50

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the baseline: Ed25519 checks alone ---- */

typedef struct base_job {
    const ikr_buf *cose;
    size_t from, to;
    const ikr_key *pub;
    int bad;
} base_job;

static void *base_run(void *arg)
{
    base_job *j = arg;
    ikr_verifier *v = NULL;
    if (ikr_verifier_new(&v, j->pub))
        return NULL;
    for (size_t i = j->from; i < j->to; i++) {
        ikr_cose c;
        uint8_t kid[IKR_KID_LEN];
        if (ikr_cose_parse(&c, j->cose[i].p, j->cose[i].len)) {
            j->bad++;
            continue;
        }
        memcpy(kid, c.kid, IKR_KID_LEN);
        if (ikr_cose_verify_with(&c, kid, v))
            j->bad++;
    }
    ikr_verifier_free(v);
    return NULL;
}

/* Verifications a second of the records of s (one kiosk's log) on threads threads. */
static double baseline(ikr_station *s, uint64_t n, int threads, ikr_err *e)
{
    ikr_buf *cose = calloc(n ? n : 1, sizeof *cose);
    ikr_log_row *rows = calloc(1024, sizeof *rows);
    ikr_key *pub = NULL;
    ikr_buf vk;
    ikr_vkey v;
    double rate = 0;
    uint64_t got_all = 0;
    ikr_buf_init(&vk);
    if (!cose || !rows || ikr_station_vkey(s, &vk) ||
        ikr_vkey_parse(&v, (const char *)vk.p, vk.len) || ikr_key_from_public(&pub, v.pub))
        goto out;
    for (size_t i = 0; i < 1024; i++)
        ikr_log_row_init(&rows[i]);
    while (got_all < n) {
        size_t got = 0;
        if (ikr_station_scan(s, got_all, rows, 1024, 64u << 20, &got, e) || got == 0)
            break;
        for (size_t i = 0; i < got && got_all < n; i++, got_all++) {
            ikr_buf_init(&cose[got_all]);
            ikr_buf_add(&cose[got_all], rows[i].cose.p, rows[i].cose.len);
        }
    }
    pthread_t th[8];
    base_job jobs[8];
    double t0 = now_s();
    for (int i = 0; i < threads; i++) {
        jobs[i] = (base_job){cose, got_all * (size_t)i / (size_t)threads,
                             got_all * (size_t)(i + 1) / (size_t)threads, pub, 0};
        pthread_create(&th[i], NULL, base_run, &jobs[i]);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double dt = now_s() - t0;
    rate = dt > 0 ? (double)got_all / dt : 0;
out:
    if (rows)
        for (size_t i = 0; i < 1024; i++)
            ikr_log_row_free(&rows[i]);
    free(rows);
    if (cose)
        for (uint64_t i = 0; i < got_all; i++)
            ikr_buf_free(&cose[i]);
    free(cose);
    ikr_key_free(pub);
    ikr_buf_free(&vk);
    return rate;
}

/* ---- the bench ---- */

/* Signs per records in every other kiosk (from `which`) of an event, its list installed. */
typedef struct fill_job {
    const char *root;
    int first, nk, which;
    uint64_t per, nip_base;
    const ikr_ink *ink;
    const ikr_buf *note;
    int rc;
    ikr_err e;
} fill_job;

static void *fill_run(void *arg)
{
    fill_job *j = arg;
    for (int k = j->which; k < j->nk && !j->rc; k += 2) {
        char dir[1200];
        ikr_station *s = NULL;
        ikr_buf own;
        ikr_vkey v;
        snprintf(dir, sizeof dir, "%s/k%03d", j->root, j->first + k);
        ikr_buf_init(&own);
        if ((j->rc = ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &j->e)) ||
            (j->rc = ikr_station_unsynced_for_bench(s, &j->e))) {
            ikr_station_close(s);
            break;
        }
        ikr_station_vkey(s, &own);
        ikr_vkey_parse(&v, (const char *)own.p, own.len);
        ikr_buf_free(&own);
        j->rc = ikr_trust_install(dir, (const char *)j->note->p, j->note->len, &v, NULL, &j->e);
        for (uint64_t i = 0; i < j->per && !j->rc; i++) {
            char nip[IKR_NIP_LEN + 1], name[64], unit[32];
            uint64_t n = j->nip_base + (uint64_t)k * j->per + i;
            bench_signer_nip(nip, n);
            snprintf(name, sizeof name, "Pegawai Uji %" PRIu64, n);
            snprintf(unit, sizeof unit, "Unit %" PRIu64, n % 40);
            ikr_form f = {name, IKR_STATUS_PNS, nip, "Analis", unit};
            ikr_signed out;
            j->rc = ikr_station_sign(s, &f, j->ink, ikr_clock_now(), &out, &j->e);
            ikr_buf_free(&out.receipt);
        }
        ikr_station_close(s);
    }
    return NULL;
}

static int make_event(const char *root, const char *event, int first, int nk, uint64_t per,
                      uint64_t *nip_at, const ikr_ink *ink, ikr_err *e)
{
    ikr_key *ek = NULL;
    ikr_trust *t = malloc(sizeof *t);
    ikr_buf note, vk;
    int rc;
    ikr_buf_init(&note);
    ikr_buf_init(&vk);
    if (!t)
        return ikr_err_set(e, IKR_E_NOMEM, "bench");
    if ((rc = ikr_key_generate(&ek, e)) || (rc = ikr_trust_new(t, event, ek, e)))
        goto out;
    for (int k = 0; k < nk; k++) {
        char dir[1200], kname[32];
        ikr_vkey v;
        snprintf(kname, sizeof kname, "k%03d", first + k);
        snprintf(dir, sizeof dir, "%s/%s", root, kname);
        ikr_station_cfg cfg = {
            .event_id = event, .title = "Bench hub", .kiosk = kname, .pin = "246810"};
        ikr_buf_reset(&vk);
        if ((rc = ikr_station_create(dir, &cfg, &vk, e)))
            goto out;
        if (ikr_vkey_parse(&v, (const char *)vk.p, strcspn((const char *)vk.p, "\n"))) {
            rc = ikr_err_set(e, IKR_E_VKEY, "bench");
            goto out;
        }
        if ((rc = ikr_trust_add(t, &v, e)))
            goto out;
    }
    if ((rc = ikr_trust_sign(&note, t, ek, e)))
        goto out;
    {
        /* Each kiosk's records on one of two threads: the kiosks are independent. */
        fill_job jobs[2];
        pthread_t th;
        for (int i = 0; i < 2; i++) {
            jobs[i] = (fill_job){root, first, nk, i, per, *nip_at, ink, &note, IKR_OK, {0}};
            ikr_err_clear(&jobs[i].e);
        }
        int started = pthread_create(&th, NULL, fill_run, &jobs[1]) == 0;
        if (!started)
            fill_run(&jobs[1]);
        fill_run(&jobs[0]);
        if (started)
            pthread_join(th, NULL);
        *nip_at += per * (uint64_t)nk;
        for (int i = 0; i < 2 && !rc; i++)
            if ((rc = jobs[i].rc))
                *e = jobs[i].e;
    }
out:
    ikr_key_free(ek);
    free(t);
    ikr_buf_free(&note);
    ikr_buf_free(&vk);
    return rc;
}

/*
 * The first event's roster, so stats --hub matches records to a roster as a regency's would.
 */
static int bench_roster(ikr_hub *h, ikr_station *s, uint64_t signers, int lang, ikr_err *e)
{
    ikr_buf csv;
    /* Nine in ten of the signers, and as many again as a tenth who never sign: at most the
     * 1,000,000 rows a roster holds. */
    uint64_t rows = 0, on = signers - signers / 10, off = signers / 10;
    if (on + off > IKR_ROSTER_MAX_ROWS)
        on = IKR_ROSTER_MAX_ROWS - off;
    uint64_t all = on + off;
    int rc = IKR_OK;
    ikr_buf_init(&csv);
    if (ikr_buf_adds(&csv, "NIP,Nama,Status,Jabatan,Unit Kerja\n"))
        rc = ikr_err_set(e, IKR_E_NOMEM, "bench");
    for (uint64_t i = 0; i < all && !rc; i++) {
        char nip[IKR_NIP_LEN + 1], row[160];
        uint64_t n = i < on ? i : signers + (i - on); /* past the signers: never signs */
        bench_signer_nip(nip, n);
        snprintf(row, sizeof row, "%s,Pegawai Uji %" PRIu64 ",PNS,Analis,Unit %" PRIu64 "\n", nip,
                 n, n % 40);
        if (ikr_buf_adds(&csv, row))
            rc = ikr_err_set(e, IKR_E_NOMEM, "bench");
    }
    double t0 = now_s();
    if (!rc)
        rc = ikr_hub_roster_put(h, ikr_station_event(s)->event, csv.p, csv.len, ikr_clock_now(),
                                &rows, e);
    if (!rc)
        printf("  %-34s %8.1f s   (%" PRIu64 " %s)\n",
               BL(lang, "roster ke pusat", "roster into the hub"), now_s() - t0, rows,
               BL(lang, "baris", "rows"));
    ikr_buf_free(&csv);
    return rc;
}

int ikr_bench_hub(const char *data, const char *url, int kiosks, long records, int threads,
                  int lang, ikr_err *e)
{
    char root[1100];
    ikr_hub *h = NULL;
    ikr_key *wk = NULL;
    ikr_buf wline, json;
    ikr_ink ink;
    int rc, events = (kiosks + PER_EVENT - 1) / PER_EVENT;
    uint64_t per = (uint64_t)records / (uint64_t)kiosks, nip_at = 0, total = 0;
    ikr_buf_init(&wline);
    ikr_buf_init(&json);
    bench_signer_ink(&ink, &json);
    snprintf(root, sizeof root, "%s/bench-hub-%d", data, (int)getpid());
    if (mkdir(data, 0700) != 0 && access(data, W_OK) != 0)
        return ikr_err_set(e, IKR_E_IO, "%s", data);
    if (mkdir(root, 0700) != 0)
        return ikr_err_set(e, IKR_E_IO, "%s", root);
    printf("ikrar bench --hub  (%d %s, %d %s, %" PRIu64 " %s)\n\n", kiosks,
           BL(lang, "kiosk", "kiosks"), events, BL(lang, "acara", "events"), per * (uint64_t)kiosks,
           BL(lang, "catatan", "records"));
    fflush(stdout);

    /* 1. Kiosks with records. */
    double t0 = now_s();
    for (int ev = 0; ev < events; ev++) {
        char event[64];
        int first = ev * PER_EVENT, nk = kiosks - first < PER_EVENT ? kiosks - first : PER_EVENT;
        snprintf(event, sizeof event, "bench-%d-%d", (int)getpid(), ev);
        if ((rc = make_event(root, event, first, nk, per, &nip_at, &ink, e)))
            goto out;
    }
    total = per * (uint64_t)kiosks;
    printf("  %-34s %8.1f s\n", BL(lang, "menandatangani (tanpa fsync)", "signing (no fsync)"),
           now_s() - t0);

    /* 2. The hub: schema, events, kiosks. */
    if ((rc = ikr_hub_connect(&h, url, IKR_HUB_TIMEOUT_S, e)) || (rc = ikr_key_generate(&wk, e)) ||
        (rc = ikr_witness_vkey_format(&wline, "ikrar-hub/bench", ikr_key_public(wk))) ||
        (rc = ikr_buf_addc(&wline, '\0')))
        goto out;
    {
        ikr_buf have;
        ikr_buf_init(&have);
        if (ikr_hub_witness(h, &have, NULL) == IKR_OK) {
            printf("  %s\n", BL(lang,
                                "Pusat ini sudah punya kunci saksi: bench memerlukan basis data "
                                "kosong (kunci saksinya dibuat bench).",
                                "This hub already has a witness key: the bench needs an empty "
                                "database (it makes the witness key)."));
            ikr_buf_free(&have);
            rc = ikr_err_set(e, IKR_E_HUB_EXISTS, "bench");
            goto out;
        }
        ikr_buf_free(&have);
    }
    if ((rc = ikr_hub_init(h, (const char *)wline.p, e)))
        goto out;
    ikr_hub_conf *conf = calloc((size_t)kiosks, sizeof *conf);
    if (!conf) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "bench");
        goto out;
    }
    for (int k = 0; k < kiosks && !rc; k++) {
        char dir[1200];
        ikr_station *s = NULL;
        snprintf(dir, sizeof dir, "%s/k%03d", root, k);
        if (!(rc = ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, e))) {
            if (k % PER_EVENT == 0)
                rc = ikr_hub_event_put(h, s, e);
            if (!rc && k == 0)
                rc = bench_roster(h, s, per * (uint64_t)(kiosks < PER_EVENT ? kiosks : PER_EVENT),
                                  lang, e);
            if (!rc)
                rc = ikr_hub_join(h, url, s, &conf[k], e);
        }
        ikr_station_close(s);
    }
    if (rc) {
        free(conf);
        goto out;
    }

    /* 3. Push every kiosk, one after another, each on its own connection. */
    t0 = now_s();
    for (int k = 0; k < kiosks && !rc; k++) {
        char dir[1200];
        ikr_station *s = NULL;
        ikr_hub *kh = NULL;
        ikr_hub_push_result pr;
        snprintf(dir, sizeof dir, "%s/k%03d", root, k);
        if (!(rc = ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, e)) &&
            !(rc = ikr_hub_connect(&kh, conf[k].url, IKR_HUB_TIMEOUT_S, e)))
            rc = ikr_hub_push(kh, s, &conf[k], &pr, e);
        ikr_hub_close(kh);
        ikr_station_close(s);
    }
    free(conf);
    if (rc)
        goto out;
    double tp = now_s() - t0;
    printf("  %-34s %8.1f s   %9.0f %s\n", BL(lang, "push semua kiosk", "push, every kiosk"), tp,
           (double)total / tp, BL(lang, "catatan/s", "records/s"));
    fflush(stdout);

    /* 4. Verify everything, and the baseline on one kiosk's records. */
    ikr_hub_verify_result vr;
    t0 = now_s();
    if ((rc = ikr_hub_verify(h, wk, "ikrar-hub/bench", ikr_clock_now(), threads, &vr, e)))
        goto out;
    double tv = now_s() - t0;
    double base = 0;
    {
        char dir[1200];
        ikr_station *s = NULL;
        snprintf(dir, sizeof dir, "%s/k000", root);
        if (ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, e) == IKR_OK)
            base = baseline(s, per, threads, e);
        ikr_station_close(s);
    }
    printf("  %-34s %8.1f s   %9.0f %s   (%" PRIu64 " %s, %" PRIu64 " checkpoints)\n",
           BL(lang, "hub verify", "hub verify"), tv, (double)vr.records / tv,
           BL(lang, "catatan/s", "records/s"), vr.records, BL(lang, "diterima", "accepted"),
           vr.checkpoints);
    printf("  %-34s            %9.0f %s   %s = %.2f\n",
           BL(lang, "Ed25519 saja (baseline)", "Ed25519 alone (baseline)"), base,
           BL(lang, "cek/s", "checks/s"),
           BL(lang, "rasio verify/baseline", "ratio verify/baseline"),
           base > 0 ? (double)vr.records / tv / base : 0);
    printf("  %-34s %8.1f s   %9.0f %s   (%s: >= 5000)\n",
           BL(lang, "push + verify", "push + verify"), tp + tv, (double)total / (tp + tv),
           BL(lang, "catatan/s", "records/s"), BL(lang, "target verify", "verify target"));
    fflush(stdout);

    /* 5. stats on the first event (the biggest), five times. */
    {
        char event[64];
        double best = 1e9, worst = 0;
        snprintf(event, sizeof event, "bench-%d-0", (int)getpid());
        for (int i = 0; i < 5 && !rc; i++) {
            ikr_hub_stats st;
            double t1 = now_s();
            if (!(rc = ikr_hub_stats_get(h, event, &st, e))) {
                double d = now_s() - t1;
                best = d < best ? d : best;
                worst = d > worst ? d : worst;
                if (i == 0)
                    printf("  stats --hub %-22s %" PRIu64 " %s, %zu %s\n", event, st.records,
                           BL(lang, "catatan", "records"), st.nunits, BL(lang, "unit", "units"));
                ikr_hub_stats_free(&st);
            }
        }
        if (!rc)
            printf("  %-34s %8.3f s %s, %.3f s %s   (%s: < 1 s)\n",
                   BL(lang, "stats --hub satu acara", "stats --hub, one event"), best,
                   BL(lang, "terbaik", "best"), worst, BL(lang, "terburuk", "worst"),
                   BL(lang, "target", "target"));
    }
out:
    ikr_hub_close(h);
    ikr_key_free(wk);
    ikr_buf_free(&wline);
    ikr_buf_free(&json);
    ikr_ink_free(&ink);
    ikr_file_remove_tree(root);
    return rc;
}
