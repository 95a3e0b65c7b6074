/*
 * hub_read.c: reading the hub, for the organiser and the regency: the whole
 * event's progress (`ikrar stats --hub`) and each kiosk's bundle as far as
 * the hub has verified it (`ikrar export --hub`, which merges them exactly
 * as `ikrar merge` merges bundles from USB sticks, so auditors get the
 * same bundle and run the same checks).
 */
#include "hub_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikrar/cose.h"
#include "ikrar/file.h"
#include "ikrar/merkle.h"
#include "ikrar/record.h"
#include "ikrar/station.h"

static int event_known(ikr_hub *h, const char *event, ikr_err *e)
{
    ikr_buf b;
    int found = 0;
    ikr_buf_init(&b);
    int rc = hub_text1(h, "SELECT 1 FROM ikrar.event WHERE id = $1", event, NULL, &b, &found, e);
    ikr_buf_free(&b);
    if (!rc && !found)
        rc = ikr_err_set(e, IKR_E_HUB_EVENT, "%s", event);
    return rc;
}

void ikr_hub_stats_free(ikr_hub_stats *st)
{
    free(st->kiosks);
    free(st->units);
    memset(st, 0, sizeof *st);
}

int ikr_hub_stats_get(ikr_hub *h, const char *event, ikr_hub_stats *st, ikr_err *e)
{
    PGresult *res = NULL;
    const char *v[] = {event};
    int rc;
    memset(st, 0, sizeof *st);
    if ((rc = event_known(h, event, e)))
        return rc;
    /* One snapshot, so the figures agree with each other. */
    if ((rc = hub_simple(h, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e)))
        return rc;
    /* The verifier's counters (schema.sql.h): a few rows, however many records. */
    if ((rc = hub_exec(h, &res,
                       "SELECT records, nips, non_asn, duplicates FROM ikrar.event_count "
                       "WHERE event = $1",
                       1, v, NULL, NULL, 0, e)))
        goto out;
    if (PQntuples(res) == 1 &&
        (hub_u64(res, 0, 0, &st->records) || hub_u64(res, 0, 1, &st->nips) ||
         hub_u64(res, 0, 2, &st->non_asn) || hub_u64(res, 0, 3, &st->duplicates))) {
        rc = ikr_err_set(e, IKR_E_HUB, "stats: not a number");
        goto out;
    }
    PQclear(res);
    if ((rc = hub_exec(h, &res, "SELECT unit, signed, expected FROM ikrar.event_units($1)", 1, v,
                       NULL, NULL, 0, e)))
        goto out;
    {
        size_t rows = (size_t)PQntuples(res), n = 0;
        ikr_roster_totals tot;
        if (rows && !(st->units = calloc(rows, sizeof *st->units))) {
            rc = ikr_err_set(e, IKR_E_NOMEM, "stats");
            goto out;
        }
        if ((rc = hub_units(h, res, st->units, rows, &n, &tot, e)))
            goto out;
        st->nunits = n;
        st->listed = tot.expected;
        st->listed_signed = tot.signed_listed;
    }
    PQclear(res);
    if ((rc = hub_exec(h, &res,
                       "SELECT k.origin, k.size, (SELECT count(*) FROM ikrar.inbox i "
                       "WHERE i.role = k.role AND i.seq > k.size), k.accepted_at, k.flag "
                       "FROM ikrar.kiosk k WHERE k.event = $1 ORDER BY k.origin",
                       1, v, NULL, NULL, 0, e)))
        goto out;
    {
        size_t rows = (size_t)PQntuples(res);
        if (rows && !(st->kiosks = calloc(rows, sizeof *st->kiosks))) {
            rc = ikr_err_set(e, IKR_E_NOMEM, "stats");
            goto out;
        }
        for (size_t i = 0; i < rows; i++) {
            ikr_hub_kiosk *k = &st->kiosks[i];
            hub_copy(k->origin, sizeof k->origin, res, (int)i, 0);
            if (hub_u64(res, (int)i, 1, &k->accepted) || hub_u64(res, (int)i, 2, &k->waiting) ||
                hub_u64(res, (int)i, 3, &k->last_at)) {
                rc = ikr_err_set(e, IKR_E_HUB, "stats: not a number");
                goto out;
            }
            k->flagged = !PQgetisnull(res, (int)i, 4);
            hub_copy(k->flag, sizeof k->flag, res, (int)i, 4);
        }
        st->nkiosks = rows;
    }
out:
    PQclear(res);
    hub_simple(h, "COMMIT", NULL);
    if (rc)
        ikr_hub_stats_free(st);
    return rc;
}

/* ---- the kiosks' bundles ---- */

static int put_file(const char *dir, const char *name, const void *p, size_t n, ikr_err *e)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return ikr_file_write_atomic(path, p, n, 0600, e);
}

/* Writes records.jsonl and roster.csv of one kiosk, records 1..size, checking the root. */
static int write_records(ikr_hub *h, const char *dir, const char *origin, uint64_t size,
                         const uint8_t root[IKR_HASH_LEN], int zone_min, ikr_err *e)
{
    char path[1300], after[24], upto[24];
    ikr_file_out jf, cf;
    ikr_buf line, csv;
    ikr_merkle_edge *edge = malloc(sizeof *edge);
    uint64_t expect = 1;
    uint8_t got[IKR_HASH_LEN];
    PGresult *res = NULL;
    const char *kiosk = ikr_bundle_kiosk_of(origin);
    int rc;
    memset(&jf, 0, sizeof jf);
    memset(&cf, 0, sizeof cf);
    jf.fd = cf.fd = -1;
    ikr_buf_init(&line);
    ikr_buf_init(&csv);
    if (!edge)
        return ikr_err_set(e, IKR_E_NOMEM, "export");
    ikr_merkle_edge_init(edge);
    snprintf(path, sizeof path, "%s/%s", dir, IKR_BUNDLE_RECORDS);
    if ((rc = ikr_file_out_open(&jf, path, 0600, 0, e)))
        goto out;
    snprintf(path, sizeof path, "%s/%s", dir, IKR_BUNDLE_CSV);
    if ((rc = ikr_file_out_open(&cf, path, 0600, 0, e)))
        goto out;
    if (ikr_buf_add(&csv, "\xEF\xBB\xBF", 3) ||
        ikr_bundle_csv_row(&csv, ikr_bundle_csv_header, ',')) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "export");
        goto out;
    }
    snprintf(upto, sizeof upto, "%" PRIu64, size);
    while (expect <= size) {
        snprintf(after, sizeof after, "%" PRIu64, expect - 1);
        const char *v[] = {origin, after, upto};
        PQclear(res);
        if ((rc = hub_exec(h, &res,
                           "SELECT seq, cose, ink FROM ikrar.record WHERE origin = $1 "
                           "AND seq > $2::bigint AND seq <= $3::bigint ORDER BY seq LIMIT 2048",
                           3, v, NULL, NULL, 1, e)))
            goto out;
        int n = PQntuples(res);
        if (n == 0) {
            rc = ikr_err_at(e, IKR_E_AUDIT_MISSING, (int64_t)expect, 0);
            goto out;
        }
        ikr_buf_reset(&line);
        for (int i = 0; i < n; i++, expect++) {
            const uint8_t *cose = (const uint8_t *)PQgetvalue(res, i, 1);
            size_t cl = (size_t)PQgetlength(res, i, 1);
            const uint8_t *ink =
                PQgetisnull(res, i, 2) ? NULL : (const uint8_t *)PQgetvalue(res, i, 2);
            size_t il = ink ? (size_t)PQgetlength(res, i, 2) : 0;
            ikr_cose c;
            ikr_claims cl_;
            const char *cells[IKR_CSV_COLS];
            char store[IKR_BUNDLE_CELLS];
            uint8_t leaf[IKR_HASH_LEN];
            if (ikr_cose_parse(&c, cose, cl) || ikr_record_decode(&cl_, c.payload, c.payload_len) ||
                cl_.seq != expect) {
                rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)expect, 0);
                goto out;
            }
            ikr_merkle_leaf(leaf, cose, cl);
            ikr_merkle_edge_push(edge, leaf, NULL, NULL);
            ikr_bundle_csv_cells(cells, store, cl_.seq, &cl_, kiosk, zone_min);
            if (ikr_bundle_record_line(&line, expect, cose, cl, ink, il, &cl_) ||
                ikr_bundle_csv_row(&csv, cells, ',')) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "export");
                goto out;
            }
        }
        if ((rc = ikr_file_out_write(&jf, line.p, line.len, e)) ||
            (rc = ikr_file_out_write(&cf, csv.p, csv.len, e)))
            goto out;
        ikr_buf_reset(&csv);
    }
    if (size == 0 && (rc = ikr_file_out_write(&cf, csv.p, csv.len, e)))
        goto out;
    ikr_merkle_edge_root(edge, got);
    if (memcmp(got, root, IKR_HASH_LEN)) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_ROOT, "hub: %s", origin);
        goto out;
    }
    if ((rc = ikr_file_out_commit(&jf, e)) || (rc = ikr_file_out_commit(&cf, e)))
        goto out;
out:
    ikr_file_out_abort(&jf);
    ikr_file_out_abort(&cf);
    PQclear(res);
    free(edge);
    ikr_buf_free(&line);
    ikr_buf_free(&csv);
    return rc;
}

int ikr_hub_fetch_bundles(ikr_hub *h, const char *event, const char *dir, char (*paths)[1200],
                          size_t max, size_t *n, ikr_err *e)
{
    PGresult *res = NULL, *ev = NULL;
    const char *v[] = {event};
    int rc;
    *n = 0;
    if ((rc = event_known(h, event, e)))
        return rc;
    /* One snapshot: every kiosk's records and checkpoint as of one moment. */
    if ((rc = hub_simple(h, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e)))
        return rc;
    if ((rc = hub_exec(h, &ev, "SELECT decl, event_json, zone_min FROM ikrar.event WHERE id = $1",
                       1, v, NULL, NULL, 1, e)) ||
        (rc = hub_exec(h, &res,
                       "SELECT k.origin, k.name, k.vkey, k.size, c.note, c.root FROM ikrar.kiosk k "
                       "JOIN ikrar.checkpoint c ON c.origin = k.origin AND c.size = k.size "
                       "WHERE k.event = $1 AND k.size > 0 ORDER BY k.origin",
                       1, v, NULL, NULL, 1, e)))
        goto out;
    if (PQntuples(ev) != 1 || PQgetlength(ev, 0, 2) != 4) {
        rc = ikr_err_set(e, IKR_E_HUB_EVENT, "%s", event);
        goto out;
    }
    const unsigned char *z = (const unsigned char *)PQgetvalue(ev, 0, 2);
    int zone_min =
        (int)(int32_t)((uint32_t)z[0] << 24 | (uint32_t)z[1] << 16 | (uint32_t)z[2] << 8 | z[3]);
    int rows = PQntuples(res);
    if ((size_t)rows > max) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "%d kiosks, at most %zu in one bundle", rows, max);
        goto out;
    }
    for (int i = 0; i < rows; i++) {
        char name[IKR_MAX_KIOSK_NAME + 1], origin[IKR_MAX_ORIGIN + 1];
        uint64_t size = 0;
        const char *sz = PQgetvalue(res, i, 3);
        for (int b = 0; b < 8; b++)
            size = size << 8 | (unsigned char)sz[b];
        hub_copy(origin, sizeof origin, res, i, 0);
        hub_copy(name, sizeof name, res, i, 1);
        if (!ikr_kiosk_name_ok(name) || PQgetlength(res, i, 5) != IKR_HASH_LEN) {
            rc = ikr_err_set(e, IKR_E_HUB, "kiosk %s: bad name or root", origin);
            goto out;
        }
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, name);
        if (mkdir(paths[i], 0700) != 0) {
            rc = ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s", paths[i]);
            goto out;
        }
        ikr_buf vk;
        ikr_buf_init(&vk);
        int bad = ikr_buf_add(&vk, PQgetvalue(res, i, 2), (size_t)PQgetlength(res, i, 2)) ||
                  ikr_buf_addc(&vk, '\n');
        if (bad)
            rc = ikr_err_set(e, IKR_E_NOMEM, "export");
        else if (!(rc = put_file(paths[i], IKR_BUNDLE_VKEY, vk.p, vk.len, e)) &&
                 !(rc = put_file(paths[i], IKR_BUNDLE_CHECKPOINT, PQgetvalue(res, i, 4),
                                 (size_t)PQgetlength(res, i, 4), e)) &&
                 !(rc = put_file(paths[i], IKR_BUNDLE_DECL, PQgetvalue(ev, 0, 0),
                                 (size_t)PQgetlength(ev, 0, 0), e)) &&
                 !(rc = put_file(paths[i], IKR_BUNDLE_EVENT, PQgetvalue(ev, 0, 1),
                                 (size_t)PQgetlength(ev, 0, 1), e)))
            rc = write_records(h, paths[i], origin, size, (const uint8_t *)PQgetvalue(res, i, 5),
                               zone_min, e);
        ikr_buf_free(&vk);
        if (rc)
            goto out;
        (*n)++;
    }
out:
    PQclear(res);
    PQclear(ev);
    hub_simple(h, "COMMIT", NULL);
    return rc;
}
