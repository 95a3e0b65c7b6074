/*
 * hub_verify.c: the hub's verifier.  What kiosks put in the inbox counts
 * only once this has checked it: every record's signature by a key on the
 * event's trust list (and not revoked at the record's time), its claims
 * (event, seq, declaration, ink), the leaves folded into the kiosk's tree,
 * the kiosk's checkpoint over them, and the consistency proof from the last
 * checkpoint accepted.  An accepted checkpoint is cosigned with the hub's
 * witness key.  Anything that contradicts what was accepted before (two
 * records under one number, a checkpoint whose root is not its records', a
 * shorter log with another root) flags the kiosk, keeps the evidence, and
 * merges nothing more of it.
 *
 * Each accepted checkpoint is its own transaction: the records it covers,
 * the cosigned checkpoint, the kiosk's new tree edge, the inbox rows it
 * used.  Records after the last good checkpoint stay in the inbox.
 */
#include "hub_int.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/cose.h"
#include "ikrar/hash.h"
#include "ikrar/merkle.h"
#include "ikrar/record.h"

#define VERIFY_BATCH 1024

static uint64_t be64(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | u[i];
    return v;
}

/* The edge as bytes: its size (8 bytes, big-endian), then its perfect subtrees, low level first. */
static int edge_save(const ikr_merkle_edge *ed, ikr_buf *out)
{
    uint8_t sz[8];
    for (int i = 0; i < 8; i++)
        sz[i] = (uint8_t)(ed->size >> (56 - 8 * i));
    ikr_buf_reset(out);
    int rc = ikr_buf_add(out, sz, 8);
    for (unsigned l = 0; l < IKR_MERKLE_MAX_LEVEL; l++)
        if (ed->size >> l & 1)
            rc |= ikr_buf_add(out, ed->h[l], IKR_HASH_LEN);
    return rc;
}

static int edge_load(ikr_merkle_edge *ed, const char *p, size_t n)
{
    ikr_merkle_edge_init(ed);
    if (n == 0)
        return 0;
    if (n < 8)
        return -1;
    ed->size = be64(p);
    size_t at = 8;
    for (unsigned l = 0; l < IKR_MERKLE_MAX_LEVEL; l++)
        if (ed->size >> l & 1) {
            if (at + IKR_HASH_LEN > n)
                return -1;
            memcpy(ed->h[l], p + at, IKR_HASH_LEN);
            at += IKR_HASH_LEN;
        }
    return at == n ? 0 : -1;
}

/* One kiosk's pass. */
typedef struct kv {
    ikr_hub *h;     /* the transaction that accepts: inserts, checkpoints, the kiosk's row */
    ikr_hub *h2;    /* reads the inbox while h inserts the batch before */
    size_t pending; /* records of the INSERT in flight on h, 0 when none */
    const ikr_key *witness;
    const char *wname;
    uint64_t now;
    int threads;
    char origin[IKR_MAX_ORIGIN + 1];
    char event[IKR_MAX_EVENT_ID + 1];
    char role[64];
    ikr_vkey vk;
    ikr_key *pub;
    ikr_trust *trust;
    uint8_t decl_hash[IKR_HASH_LEN];
    uint64_t size; /* accepted */
    uint8_t root[IKR_HASH_LEN];
    ikr_merkle_edge edge;
    char why[160]; /* when flagged */
    ikr_buf evidence;
} kv;

typedef struct cp {
    uint64_t size, old_size;
    uint8_t root[IKR_HASH_LEN];
    char *note;
    size_t note_len;
    uint8_t *proof;
    size_t proof_len;
} cp;

/* A record as fetched and checked. */
typedef struct rec {
    uint64_t seq;
    const char *cose, *ink;
    size_t cose_len, ink_len;
    uint8_t leaf[IKR_HASH_LEN];
    ikr_claims c;
    const char *bad; /* why it was refused, or NULL */
} rec;

static int flagf(kv *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int flagf(kv *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->why, sizeof k->why, fmt, ap);
    va_end(ap);
    return 1;
}

/* ---- checking records, on threads ---- */

typedef struct job {
    kv *k;
    rec *r;
    size_t from, to;
} job;

static void check_one(kv *k, ikr_verifier *v, rec *r)
{
    ikr_cose c;
    ikr_err e;
    uint8_t inkh[IKR_HASH_LEN];
    ikr_err_clear(&e);
    ikr_merkle_leaf(r->leaf, (const uint8_t *)r->cose, r->cose_len);
    if (ikr_cose_parse(&c, (const uint8_t *)r->cose, r->cose_len) != 0)
        r->bad = "not a COSE_Sign1 as ikrar writes one";
    else if (memcmp(c.kid, k->vk.kid, IKR_KID_LEN) || ikr_cose_verify_with(&c, k->vk.kid, v))
        r->bad = "its signature is not the kiosk key's";
    else if (ikr_record_decode(&r->c, c.payload, c.payload_len))
        r->bad = "its claims are not a record's";
    else if (strcmp(r->c.ev, k->event))
        r->bad = "it is of another event";
    else if (r->c.seq != r->seq)
        r->bad = "its seq is not its number in the log";
    else if (memcmp(r->c.decl, k->decl_hash, IKR_HASH_LEN))
        r->bad = "it was signed over another declaration";
    else if (ikr_trust_check(k->trust, &k->vk, r->c.t, &e))
        r->bad = e.code == IKR_E_TRUST_REVOKED ? "signed after the kiosk was revoked"
                                               : "its key is not on the trust list";
    else if (r->ink) {
        ikr_sha256(inkh, r->ink, r->ink_len);
        if (memcmp(inkh, r->c.inkh, IKR_HASH_LEN))
            r->bad = "its ink is not the ink it signed";
    }
}

static void *check_job(void *arg)
{
    job *j = arg;
    ikr_verifier *v = NULL;
    if (ikr_verifier_new(&v, j->k->pub)) {
        for (size_t i = j->from; i < j->to; i++)
            j->r[i].bad = "out of memory";
        return NULL;
    }
    for (size_t i = j->from; i < j->to; i++)
        check_one(j->k, v, &j->r[i]);
    ikr_verifier_free(v);
    return NULL;
}

static void check_all(kv *k, rec *r, size_t n)
{
    int t = k->threads < 1 ? 1 : k->threads > 8 ? 8 : k->threads;
    if ((size_t)t > n)
        t = n ? (int)n : 1;
    pthread_t th[8];
    job jobs[8];
    int started[8] = {0};
    for (int i = 0; i < t; i++) {
        jobs[i] = (job){k, r, n * (size_t)i / (size_t)t, n * (size_t)(i + 1) / (size_t)t};
        if (i > 0 && pthread_create(&th[i], NULL, check_job, &jobs[i]) == 0)
            started[i] = 1;
        else if (i > 0)
            check_job(&jobs[i]);
    }
    check_job(&jobs[0]);
    for (int i = 1; i < t; i++)
        if (started[i])
            pthread_join(th[i], NULL);
}

/* ---- the database side ---- */

static int begin_locked(kv *k, ikr_err *e)
{
    int rc = hub_simple(k->h, "BEGIN", e);
    if (rc)
        return rc;
    /* The event shared: a roster being replaced (which takes it for update) waits for us, and
     * we for it, so its counters and ours always see each other's rows. */
    const char *v[] = {k->origin}, *ev[] = {k->event};
    if ((rc = hub_exec(k->h, NULL, "SELECT 1 FROM ikrar.event WHERE id = $1 FOR SHARE", 1, ev, NULL,
                       NULL, 0, e)))
        return rc;
    return hub_exec(k->h, NULL, "SELECT 1 FROM ikrar.kiosk WHERE origin = $1 FOR UPDATE", 1, v,
                    NULL, NULL, 0, e);
}

/*
 * Inserts checked records r[0..n) and counts them.  The COSE bytes and
 * ink are not sent back: they are copied from the inbox row of the same seq
 * and leaf, so only the claims as columns cross the wire.
 */
static int insert_send(kv *k, const rec *r, size_t n, ikr_buf *sql, ikr_err *e)
{
    enum { P = 8 };
    const char **v = calloc(P * n + 3, sizeof *v);
    int *lens = calloc(P * n + 3, sizeof *lens), *bin = calloc(P * n + 3, sizeof *bin);
    char(*num)[2][24] = calloc(n, sizeof *num);
    int rc = 0;
    if (!v || !lens || !bin || !num) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "verify");
        goto out;
    }
    ikr_buf_reset(sql);
    rc = ikr_buf_adds(sql, "WITH v (seq, t, name, status, nip, pos, unit, leaf) AS (VALUES ");
    for (size_t i = 0; i < n; i++) {
        char one[200];
        size_t b = P * i + 3;
        snprintf(one, sizeof one,
                 "%s($%zu::bigint, $%zu::bigint, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu::bytea)",
                 i ? ", " : "", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8);
        rc |= ikr_buf_adds(sql, one);
        const ikr_claims *c = &r[i].c;
        snprintf(num[i][0], sizeof num[i][0], "%" PRIu64, r[i].seq);
        snprintf(num[i][1], sizeof num[i][1], "%" PRIu64, c->t);
        const char *vals[P] = {num[i][0],
                               num[i][1],
                               c->who.name,
                               ikr_status_name(c->who.status),
                               c->who.nip[0] ? c->who.nip : NULL,
                               c->who.pos[0] ? c->who.pos : NULL,
                               c->who.unit[0] ? c->who.unit : NULL,
                               (const char *)r[i].leaf};
        for (int j = 0; j < P; j++)
            v[b + (size_t)j] = vals[j];
        lens[b + 7] = IKR_HASH_LEN;
        bin[b + 7] = 1;
    }
    v[0] = k->origin;
    v[1] = k->event;
    v[2] = k->role;
    /*
     * The records and the counters stats reads (schema.sql.h).  No claim is written here:
     * ikrar.claim_nip looks for a verified record of another kiosk itself.
     */
    rc |= ikr_buf_adds(
        sql,
        "), r AS (INSERT INTO ikrar.record (origin, seq, event, t, name, status, nip, pos, "
        "unit, cose, ink, leaf) "
        "SELECT $1, v.seq, $2, v.t, v.name, v.status, v.nip, v.pos, v.unit, i.cose, i.ink, "
        "i.leaf FROM v JOIN ikrar.inbox i ON i.role = $3 AND i.seq = v.seq AND i.leaf = v.leaf "
        "RETURNING event, nip, origin, seq, t, name, unit), "
        "g AS (SELECT nip, count(*) AS k FROM r WHERE nip IS NOT NULL GROUP BY nip), "
        "nc AS (INSERT INTO ikrar.nip_count AS x SELECT $2, nip, k FROM g "
        "ON CONFLICT (event, nip) DO UPDATE SET n = x.n + excluded.n RETURNING x.nip, x.n), "
        "uc AS (INSERT INTO ikrar.unit_count AS u SELECT $2, coalesce(unit, ''), count(*) "
        "FROM r GROUP BY 2 ON CONFLICT (event, unit) DO UPDATE SET n = u.n + excluded.n), "
        "rn AS (UPDATE ikrar.roster ro SET signed = true FROM g WHERE ro.event = $2 "
        "AND ro.nip = g.nip AND NOT ro.signed RETURNING ro.unit), "
        "ra AS (UPDATE ikrar.roster ro SET signed = true FROM r WHERE ro.event = $2 "
        "AND ro.nip IS NULL AND r.nip IS NULL AND lower(ro.name) = lower(r.name) "
        "AND lower(ro.unit) = lower(coalesce(r.unit, '')) AND NOT ro.signed RETURNING ro.unit), "
        "ru AS (UPDATE ikrar.roster_unit x SET signed = x.signed + s.k FROM (SELECT unit, "
        "count(*) AS k FROM (SELECT unit FROM rn UNION ALL SELECT unit FROM ra) a GROUP BY unit) s "
        "WHERE x.event = $2 AND x.unit = s.unit), "
        "ec AS (INSERT INTO ikrar.event_count AS e SELECT $2, (SELECT count(*) FROM r), "
        "(SELECT count(*) FROM nc JOIN g USING (nip) WHERE nc.n = g.k), "
        "(SELECT count(*) FROM r WHERE nip IS NULL), "
        "(SELECT count(*) FROM nc JOIN g USING (nip) WHERE nc.n > 1 AND nc.n - g.k <= 1) "
        "ON CONFLICT (event) DO UPDATE SET records = e.records + excluded.records, "
        "nips = e.nips + excluded.nips, non_asn = e.non_asn + excluded.non_asn, "
        "duplicates = e.duplicates + excluded.duplicates) "
        "SELECT count(*) FROM r");
    rc |= ikr_buf_addc(sql, '\0');
    if (rc) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "verify");
        goto out;
    }
    /* Sent, not waited for: the next batch is read and checked while the server inserts. */
    if (!PQsendQueryParams(k->h->c, (const char *)sql->p, (int)(P * n + 3), NULL, v, lens, bin, 0))
        rc = hub_fail(k->h, NULL, e);
    else
        k->pending = n;
out:
    free(v);
    free(lens);
    free(bin);
    free(num);
    return rc;
}

/* Waits for the INSERT in flight, which must have found every record it was sent. */
static int insert_wait(kv *k, ikr_err *e)
{
    PGresult *res;
    int rc = IKR_OK, got_one = 0;
    if (!k->pending)
        return IKR_OK;
    while ((res = PQgetResult(k->h->c))) {
        uint64_t got = 0;
        if (rc == IKR_OK) {
            if (PQresultStatus(res) != PGRES_TUPLES_OK)
                rc = hub_fail(k->h, res, e);
            else if (PQntuples(res) != 1 || hub_u64(res, 0, 0, &got) || got != k->pending)
                rc = ikr_err_set(e, IKR_E_HUB,
                                 "%s: %" PRIu64 " of %zu records found in the inbox again",
                                 k->origin, got, k->pending);
            got_one = 1;
        }
        PQclear(res);
    }
    if (!rc && !got_one)
        rc = hub_fail(k->h, NULL, e);
    k->pending = 0;
    return rc;
}

/* The root the hub accepted for this kiosk at size m: from its checkpoints, else its records. */
static int accepted_root(kv *k, uint64_t m, uint8_t root[IKR_HASH_LEN], int *have, ikr_err *e)
{
    char ms[24];
    PGresult *res;
    *have = 0;
    if (m == k->size) {
        memcpy(root, k->root, IKR_HASH_LEN);
        *have = 1;
        return IKR_OK;
    }
    snprintf(ms, sizeof ms, "%" PRIu64, m);
    const char *v[] = {k->origin, ms};
    int rc = hub_exec(k->h, &res,
                      "SELECT leaf FROM ikrar.record WHERE origin = $1 AND seq <= $2::bigint "
                      "ORDER BY seq",
                      2, v, NULL, NULL, 1, e);
    if (rc)
        return rc;
    if ((uint64_t)PQntuples(res) == m) {
        ikr_merkle_edge *ed = malloc(sizeof *ed);
        if (!ed) {
            PQclear(res);
            return ikr_err_set(e, IKR_E_NOMEM, "verify");
        }
        ikr_merkle_edge_init(ed);
        for (int i = 0; i < PQntuples(res); i++)
            if (PQgetlength(res, i, 0) == IKR_HASH_LEN)
                ikr_merkle_edge_push(ed, (const uint8_t *)PQgetvalue(res, i, 0), NULL, NULL);
        ikr_merkle_edge_root(ed, root);
        free(ed);
        *have = 1;
    }
    PQclear(res);
    return IKR_OK;
}

static int accept_cp(kv *k, const cp *c, ikr_err *e)
{
    ikr_buf cos, edge;
    char sz[24], old[24], at[24];
    int rc;
    ikr_buf_init(&cos);
    ikr_buf_init(&edge);
    if (ikr_cosig_sign(&cos, c->note, c->note_len, k->wname, k->witness, k->now) ||
        ikr_buf_addc(&cos, '\0') || edge_save(&k->edge, &edge)) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "cosign");
        goto out;
    }
    snprintf(sz, sizeof sz, "%" PRIu64, c->size);
    snprintf(old, sizeof old, "%" PRIu64, c->old_size);
    snprintf(at, sizeof at, "%" PRIu64, k->now);
    {
        const char *v[] = {k->origin, sz,  (const char *)c->root, c->note, (char *)cos.p,
                           at,        old, (const char *)c->proof};
        int lens[] = {0, 0, IKR_HASH_LEN, (int)c->note_len, 0, 0, 0, (int)c->proof_len};
        int bin[] = {0, 0, 1, 1, 0, 0, 0, 1};
        if ((rc = hub_exec(k->h, NULL,
                           "INSERT INTO ikrar.checkpoint VALUES ($1, $2, $3, "
                           "convert_from($4, 'UTF8'), $5, $6, $7, $8)",
                           8, v, lens, bin, 0, e)))
            goto out;
    }
    {
        const char *v[] = {k->origin, sz, (const char *)c->root, (const char *)edge.p, at};
        int lens[] = {0, 0, IKR_HASH_LEN, (int)edge.len, 0};
        int bin[] = {0, 0, 1, 1, 0};
        if ((rc = hub_exec(k->h, NULL,
                           "UPDATE ikrar.kiosk SET size = $2, root = $3, edge = $4, "
                           "accepted_at = $5 WHERE origin = $1",
                           5, v, lens, bin, 0, e)))
            goto out;
    }
    {
        const char *v[] = {k->role, sz};
        if ((rc = hub_exec(k->h, NULL, "DELETE FROM ikrar.inbox WHERE role = $1 AND seq <= $2", 2,
                           v, NULL, NULL, 0, e)) ||
            (rc = hub_exec(k->h, NULL,
                           "DELETE FROM ikrar.inbox_checkpoint WHERE role = $1 AND size <= $2", 2,
                           v, NULL, NULL, 0, e)))
            goto out;
    }
    rc = hub_simple(k->h, "COMMIT", e);
    if (!rc) {
        k->size = c->size;
        memcpy(k->root, c->root, IKR_HASH_LEN);
    }
out:
    ikr_buf_free(&cos);
    ikr_buf_free(&edge);
    return rc;
}

static int write_flag(kv *k, ikr_err *e)
{
    char at[24];
    snprintf(at, sizeof at, "%" PRIu64, k->now);
    if (ikr_buf_addc(&k->evidence, '\0'))
        return ikr_err_set(e, IKR_E_NOMEM, "flag");
    const char *v[] = {k->origin, at, k->why, (const char *)k->evidence.p};
    int rc = hub_simple(k->h, "BEGIN", e);
    if (!rc &&
        !(rc = hub_exec(k->h, NULL,
                        "UPDATE ikrar.kiosk SET flag = $3, flagged_at = $2 "
                        "WHERE origin = $1 AND flag IS NULL",
                        3, v, NULL, NULL, 0, e)) &&
        !(rc = hub_exec(k->h, NULL, "INSERT INTO ikrar.flag VALUES ($1, $2, $3, $4)", 4, v, NULL,
                        NULL, 0, e)))
        rc = hub_simple(k->h, "COMMIT", e);
    if (rc)
        hub_simple(k->h, "ROLLBACK", NULL);
    return rc;
}

static void evidence_hex(ikr_buf *b, const char *label, const void *p, size_t n)
{
    char hex[2 * IKR_HASH_LEN + 1];
    if (n > IKR_HASH_LEN)
        n = IKR_HASH_LEN;
    ikr_hex(hex, p, n);
    ikr_buf_adds(b, label);
    ikr_buf_adds(b, hex);
    ikr_buf_addc(b, '\n');
}

/* Reads the pending checkpoints, checking each note; *flagged when one contradicts. */
static int load_cps(kv *k, cp **out, size_t *n, PGresult **keep, int *flagged, ikr_err *e)
{
    const char *v[] = {k->role};
    PGresult *res;
    *out = NULL;
    *n = 0;
    int rc = hub_exec(k->h, &res,
                      "SELECT size, note, old_size, proof FROM ikrar.inbox_checkpoint "
                      "WHERE role = $1 ORDER BY size",
                      1, v, NULL, NULL, 1, e);
    if (rc)
        return rc;
    *keep = res;
    int rows = PQntuples(res);
    cp *c = calloc(rows ? (size_t)rows : 1, sizeof *c);
    if (!c)
        return ikr_err_set(e, IKR_E_NOMEM, "verify");
    *out = c;
    for (int i = 0; i < rows; i++) {
        cp x;
        char origin[IKR_MAX_ORIGIN + 1];
        uint64_t size;
        const char *why = NULL;
        memset(&x, 0, sizeof x);
        x.size = be64(PQgetvalue(res, i, 0));
        x.note = PQgetvalue(res, i, 1);
        x.note_len = (size_t)PQgetlength(res, i, 1);
        x.old_size = be64(PQgetvalue(res, i, 2));
        x.proof = (uint8_t *)PQgetvalue(res, i, 3);
        x.proof_len = (size_t)PQgetlength(res, i, 3);
        if (ikr_checkpoint_open(x.note, x.note_len, &k->vk, origin, &size, x.root, &why) ||
            size != x.size || x.proof_len % IKR_HASH_LEN) {
            ikr_buf_add(&k->evidence, x.note, x.note_len);
            *flagged = flagf(k, "a checkpoint of size %" PRIu64 " is not the kiosk's (%s)", x.size,
                             why ? why : "size or proof");
            return IKR_OK;
        }
        if (x.size <= k->size) {
            uint8_t have[IKR_HASH_LEN];
            int got = 0;
            if ((rc = accepted_root(k, x.size, have, &got, e)))
                return rc;
            if (got && memcmp(have, x.root, IKR_HASH_LEN)) {
                ikr_buf_add(&k->evidence, x.note, x.note_len);
                evidence_hex(&k->evidence, "accepted root: ", have, IKR_HASH_LEN);
                *flagged = flagf(k,
                                 "its log at %" PRIu64 " records differs from the one the hub "
                                 "accepted (rolled back or forked)",
                                 x.size);
                return IKR_OK;
            }
            continue; /* an old checkpoint of the same log: nothing new */
        }
        c[(*n)++] = x;
    }
    return IKR_OK;
}

/* Inbox rows at or below the accepted size must be the accepted records themselves. */
static int check_old_rows(kv *k, int *flagged, ikr_err *e)
{
    char sz[24];
    PGresult *res;
    snprintf(sz, sizeof sz, "%" PRIu64, k->size);
    const char *v[] = {k->role, sz, k->origin};
    int rc = hub_exec(k->h, &res,
                      "SELECT i.seq, i.leaf FROM ikrar.inbox i WHERE i.role = $1 "
                      "AND i.seq <= $2::bigint AND NOT EXISTS (SELECT 1 FROM ikrar.record r "
                      "WHERE r.origin = $3 AND r.seq = i.seq AND r.leaf = i.leaf) LIMIT 1",
                      3, v, NULL, NULL, 0, e);
    if (rc)
        return rc;
    if (PQntuples(res) > 0) {
        ikr_buf_adds(&k->evidence, "record ");
        ikr_buf_adds(&k->evidence, PQgetvalue(res, 0, 0));
        ikr_buf_adds(&k->evidence, " leaf ");
        ikr_buf_adds(&k->evidence, PQgetvalue(res, 0, 1));
        ikr_buf_addc(&k->evidence, '\n');
        *flagged = flagf(k,
                         "it sent another record numbered %s than the one the hub accepted "
                         "(rolled back or forked)",
                         PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return IKR_OK;
}

/* Checks and accepts what can be of one kiosk; *flagged when the kiosk must be flagged. */
static int verify_kiosk(kv *k, ikr_hub_verify_result *out, int *flagged, ikr_err *e)
{
    PGresult *cps_res = NULL, *res = NULL;
    cp *cps = NULL;
    size_t ncps = 0, next = 0;
    rec *r = calloc(VERIFY_BATCH, sizeof *r);
    ikr_buf sql;
    uint64_t last = k->size, added = 0;
    int rc, open_tx = 0;
    ikr_buf_init(&sql);
    if (!r)
        return ikr_err_set(e, IKR_E_NOMEM, "verify");
    open_tx = 1;
    if ((rc = begin_locked(k, e)))
        goto out;
    if ((rc = load_cps(k, &cps, &ncps, &cps_res, flagged, e)) || *flagged ||
        (rc = check_old_rows(k, flagged, e)) || *flagged)
        goto out;
    /* What was sent again of the log already accepted (and found the same) is done with. */
    {
        char sz[24];
        snprintf(sz, sizeof sz, "%" PRIu64, k->size);
        const char *v[] = {k->role, sz};
        if ((rc = hub_exec(k->h, NULL, "DELETE FROM ikrar.inbox WHERE role = $1 AND seq <= $2", 2,
                           v, NULL, NULL, 0, e)) ||
            (rc = hub_exec(k->h, NULL,
                           "DELETE FROM ikrar.inbox_checkpoint WHERE role = $1 AND size <= $2", 2,
                           v, NULL, NULL, 0, e)) ||
            (rc = hub_simple(k->h, "COMMIT", e)))
            goto out;
        if ((rc = begin_locked(k, e)))
            goto out;
    }
    while (next < ncps) {
        char from[24], to[24];
        snprintf(from, sizeof from, "%" PRIu64, last);
        snprintf(to, sizeof to, "%" PRIu64, cps[ncps - 1].size);
        const char *v[] = {k->role, from, to};
        PQclear(res);
        if ((rc = hub_exec(k->h2, &res,
                           "SELECT seq, cose, ink FROM ikrar.inbox WHERE role = $1 "
                           "AND seq > $2::bigint AND seq <= $3::bigint ORDER BY seq, leaf "
                           "LIMIT 1024",
                           3, v, NULL, NULL, 1, e)))
            goto out;
        size_t n = (size_t)PQntuples(res);
        if (n == 0)
            break; /* the records of the next checkpoint have not all come: wait */
        size_t use = 0;
        int gap = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t seq = be64(PQgetvalue(res, (int)i, 0));
            if (use > 0 && seq == r[use - 1].seq) {
                char num[24];
                snprintf(num, sizeof num, "%" PRIu64, seq);
                ikr_buf_adds(&k->evidence, "two records numbered ");
                ikr_buf_adds(&k->evidence, num);
                ikr_buf_addc(&k->evidence, '\n');
                *flagged =
                    flagf(k, "it sent two different records numbered %" PRIu64 " (forked)", seq);
                goto out;
            }
            if (seq != last + 1 + use) {
                gap = 1; /* what follows waits for the missing record */
                break;
            }
            rec *x = &r[use++];
            memset(x, 0, sizeof *x);
            x->seq = seq;
            x->cose = PQgetvalue(res, (int)i, 1);
            x->cose_len = (size_t)PQgetlength(res, (int)i, 1);
            x->ink = PQgetisnull(res, (int)i, 2) ? NULL : PQgetvalue(res, (int)i, 2);
            x->ink_len = x->ink ? (size_t)PQgetlength(res, (int)i, 2) : 0;
        }
        /* A full batch's last record may have a twin in the next batch: it waits for that one. */
        if (!gap && n == VERIFY_BATCH && use > 1)
            use--;
        if (use == 0)
            break;
        check_all(k, r, use);
        if ((rc = insert_wait(k, e))) /* the batch before, inserted meanwhile */
            goto out;
        size_t good = 0;
        while (good < use && !r[good].bad)
            good++;
        if (good < use) {
            char seq[24];
            snprintf(seq, sizeof seq, "%" PRIu64, r[good].seq);
            ikr_buf_adds(&k->evidence, "record ");
            ikr_buf_adds(&k->evidence, seq);
            ikr_buf_addc(&k->evidence, '\n');
            *flagged = flagf(k, "record %" PRIu64 " refused: %s", r[good].seq, r[good].bad);
        }
        /* Fold the good ones in; each checkpoint reached is checked and accepted on the way. */
        size_t done = 0;
        while (done < good && next < ncps) {
            size_t upto = good;
            if (cps[next].size - last < (uint64_t)(good - done))
                upto = done + (size_t)(cps[next].size - last);
            if ((rc = insert_send(k, r + done, upto - done, &sql, e)))
                goto out;
            for (size_t i = done; i < upto; i++)
                ikr_merkle_edge_push(&k->edge, r[i].leaf, NULL, NULL);
            added += upto - done;
            last += upto - done;
            done = upto;
            if (next < ncps && cps[next].size == last && (rc = insert_wait(k, e)))
                goto out;
            while (next < ncps && cps[next].size == last) {
                cp *c = &cps[next++];
                uint8_t root[IKR_HASH_LEN], old[IKR_HASH_LEN];
                int have = 0;
                ikr_merkle_edge_root(&k->edge, root);
                if (memcmp(root, c->root, IKR_HASH_LEN)) {
                    ikr_buf_add(&k->evidence, c->note, c->note_len);
                    evidence_hex(&k->evidence, "root of its records: ", root, IKR_HASH_LEN);
                    *flagged = flagf(k,
                                     "its checkpoint at %" PRIu64 " is not the root of the "
                                     "records it sent (forked)",
                                     c->size);
                    goto out;
                }
                if (c->old_size > 0) {
                    if ((rc = accepted_root(k, c->old_size, old, &have, e)))
                        goto out;
                    if (!have ||
                        ikr_merkle_consistency_verify(c->old_size, c->size, old, c->root,
                                                      (const uint8_t(*)[IKR_HASH_LEN])c->proof,
                                                      c->proof_len / IKR_HASH_LEN)) {
                        ikr_buf_add(&k->evidence, c->note, c->note_len);
                        *flagged = flagf(k,
                                         "its checkpoint at %" PRIu64 " is not consistent with "
                                         "the one at %" PRIu64,
                                         c->size, c->old_size);
                        goto out;
                    }
                }
                open_tx = 0; /* accept_cp commits, or the rollback below ends it */
                if ((rc = accept_cp(k, c, e))) {
                    hub_simple(k->h, "ROLLBACK", NULL);
                    goto out;
                }
                out->checkpoints++;
                out->records += added;
                added = 0;
                open_tx = 1;
                if ((rc = begin_locked(k, e)))
                    goto out;
            }
        }
        if (*flagged || gap || next >= ncps)
            break;
    }
out:
    if (k->pending) {
        int w = insert_wait(k, rc ? NULL : e);
        rc = rc ? rc : w;
    }
    if (open_tx)
        hub_simple(k->h, "ROLLBACK", NULL); /* records past the last accepted checkpoint */
    PQclear(res);
    PQclear(cps_res);
    free(cps);
    free(r);
    ikr_buf_free(&sql);
    return rc;
}

static int kiosk_load(kv *k, const PGresult *res, int i, ikr_err *e)
{
    hub_copy(k->origin, sizeof k->origin, res, i, 0);
    hub_copy(k->event, sizeof k->event, res, i, 1);
    hub_copy(k->role, sizeof k->role, res, i, 2);
    const char *vk = PQgetvalue(res, i, 3);
    k->size = be64(PQgetvalue(res, i, 4));
    if (ikr_vkey_parse(&k->vk, vk, (size_t)PQgetlength(res, i, 3)) ||
        ikr_key_from_public(&k->pub, k->vk.pub))
        return ikr_err_set(e, IKR_E_VKEY, "kiosk %s at the hub", k->origin);
    if (PQgetisnull(res, i, 5)) {
        memset(k->root, 0, sizeof k->root);
        ikr_sha256(k->root, "", 0);
    } else if (PQgetlength(res, i, 5) == IKR_HASH_LEN) {
        memcpy(k->root, PQgetvalue(res, i, 5), IKR_HASH_LEN);
    } else {
        return ikr_err_set(e, IKR_E_HUB, "kiosk %s: bad root", k->origin);
    }
    if (edge_load(&k->edge, PQgetvalue(res, i, 6), (size_t)PQgetlength(res, i, 6)) ||
        k->edge.size != k->size)
        return ikr_err_set(e, IKR_E_HUB, "kiosk %s: bad tree edge", k->origin);
    if (PQgetlength(res, i, 7) != IKR_HASH_LEN)
        return ikr_err_set(e, IKR_E_HUB, "event %s: bad declaration hash", k->event);
    memcpy(k->decl_hash, PQgetvalue(res, i, 7), IKR_HASH_LEN);
    return IKR_OK;
}

int ikr_hub_verify(ikr_hub *h, const ikr_key *witness, const char *name, uint64_t now, int threads,
                   ikr_hub_verify_result *r, ikr_err *e)
{
    PGresult *res = NULL;
    kv *k = calloc(1, sizeof *k);
    ikr_hub *h2 = NULL;
    ikr_trust *trust = malloc(sizeof *trust);
    char trust_event[IKR_MAX_EVENT_ID + 1] = "";
    int rc;
    memset(r, 0, sizeof *r);
    if (!k || !trust) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "verify");
        goto out;
    }
    if ((rc = ikr_hub_connect(&h2, h->url, h->timeout_s, e)))
        goto out;
    if ((rc = hub_exec(h, &res,
                       "SELECT k.origin, k.event, k.role, k.vkey, k.size, k.root, k.edge, "
                       "ev.decl_hash FROM ikrar.kiosk k JOIN ikrar.event ev ON ev.id = k.event "
                       "WHERE k.flag IS NULL AND EXISTS (SELECT 1 FROM ikrar.inbox_checkpoint c "
                       "WHERE c.role = k.role) ORDER BY k.event, k.origin",
                       0, NULL, NULL, NULL, 1, e)))
        goto out;
    for (int i = 0; i < PQntuples(res); i++) {
        int flagged = 0;
        memset(k, 0, sizeof *k);
        ikr_buf_init(&k->evidence);
        k->h = h;
        k->h2 = h2;
        k->witness = witness;
        k->wname = name;
        k->now = now;
        k->threads = threads;
        k->trust = trust;
        if ((rc = kiosk_load(k, res, i, e)))
            goto next;
        if (strcmp(trust_event, k->event)) {
            if ((rc = hub_event_trust(h, k->event, trust, e)))
                goto next;
            snprintf(trust_event, sizeof trust_event, "%s", k->event);
        }
        if (!ikr_trust_find(trust, &k->vk))
            flagged = flagf(k, "its key is not on the event's trust list");
        else
            rc = verify_kiosk(k, r, &flagged, e);
        if (!rc && flagged) {
            if (!(rc = write_flag(k, e)))
                r->flagged++;
        }
    next:
        ikr_key_free(k->pub);
        k->pub = NULL;
        ikr_buf_free(&k->evidence);
        if (rc)
            goto out;
    }
    PQclear(res);
    res = NULL;
    if (!(rc = hub_exec(h, &res, "SELECT count(*) FROM ikrar.inbox", 0, NULL, NULL, NULL, 0, e)))
        hub_u64(res, 0, 0, &r->waiting);
out:
    ikr_hub_close(h2);
    PQclear(res);
    free(k);
    free(trust);
    return rc;
}
