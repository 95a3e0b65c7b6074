/*
 * audit.c: the whole-log audit of a data folder.
 *
 * Two phases a batch.  In the parallel phase each thread takes every
 * T-th row of the batch and does the work that needs nothing but the row:
 * parse, verify the signature (the dominant cost), decode the claims,
 * compare them with the columns, hash the leaf and the ink.  Its verdict
 * goes in the row's slot.  In the sequential phase the main thread walks
 * the batch in order: seq continuity, the verdicts, and the tree, whose
 * every completed subtree is compared with the stored one.  So the first
 * problem reported is the first in seq order, whatever the threads did.
 */
#include "ikrar/audit.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikrar/bundle.h"
#include "ikrar/cose.h"
#include "ikrar/csv.h"
#include "ikrar/merkle.h"
#include "ikrar/nipset.h"
#include "ikrar/note.h"
#include "ikrar/zone.h"

/* One row's verdict from the parallel phase. */
typedef struct verdict {
    int code;
    uint64_t claimed_seq;
    char nip[IKR_NIP_LEN + 1]; /* the signed NIP, for the duplicate check */
    char detail[96];
} verdict;

/*
 * A batch of items checked on several threads: check(b, verifier, i) looks
 * at item i alone and writes its verdict, v[i] or the caller's own array.
 */
typedef struct batch batch;
struct batch {
    void (*check)(const batch *b, ikr_verifier *ver, size_t i);
    const void *ctx; /* what check needs besides the item: the station, the bundle */
    void *items;
    verdict *v;
    size_t n;
    int threads;
};

typedef struct worker {
    batch *b;
    int k;
    ikr_verifier *v; /* this thread's, kept across batches */
} worker;

/* Compares the signed claims with the columns stored beside them. */
static const char *column_mismatch(const ikr_claims *c, const ikr_log_row *r)
{
    if (r->bad_column)
        return r->bad_column;
    if (c->t != r->t)
        return "t";
    if (strcmp(c->who.name, r->who.name) != 0)
        return "name";
    if (c->who.status != r->who.status)
        return "status";
    if (strcmp(c->who.nip, r->who.nip) != 0)
        return "nip";
    if (strcmp(c->who.pos, r->who.pos) != 0)
        return "pos";
    if (strcmp(c->who.unit, r->who.unit) != 0)
        return "unit";
    return NULL;
}

/*
 * The verdict of a COSE_Sign1 or claims map refused with dec (IKR_DEC_*):
 * not ikrar's exact encoding, a claim outside the writer's limits, or
 * damaged; the detail names the part and the check.
 */
static void refused(verdict *v, int dec, const ikr_dec_why *why)
{
    v->code = dec == IKR_DEC_ENCODING ? IKR_E_AUDIT_ENCODING
              : dec == IKR_DEC_LIMIT  ? IKR_E_AUDIT_LIMIT
                                      : IKR_E_AUDIT_COSE;
    if (v->code != IKR_E_AUDIT_COSE)
        snprintf(v->detail, sizeof v->detail, "%s: %s", why->part ? why->part : "?",
                 why->check ? why->check : "?");
}

static void check_row(const batch *b, ikr_verifier *ver, size_t i)
{
    const ikr_station *s = b->ctx;
    const ikr_key *key = ikr_station_key(s);
    const ikr_log_row *r = &((const ikr_log_row *)b->items)[i];
    verdict *v = &b->v[i];
    ikr_cose cs;
    ikr_claims c;
    uint8_t h[IKR_HASH_LEN];
    const char *col;
    ikr_dec_why why = {NULL, NULL};
    int dec;
    memset(v, 0, sizeof *v);
    if ((dec = ikr_cose_parse(&cs, r->cose.p, r->cose.len)) != 0) {
        refused(v, dec, &cs.why);
        return;
    }
    if ((ver ? ikr_cose_verify_with(&cs, ikr_key_kid(key), ver) : ikr_cose_verify(&cs, key)) != 0) {
        v->code = IKR_E_AUDIT_SIG;
        return;
    }
    if ((dec = ikr_record_decode_why(&c, cs.payload, cs.payload_len, &why)) != 0) {
        refused(v, dec, &why);
        return;
    }
    v->claimed_seq = c.seq;
    memcpy(v->nip, c.who.nip, sizeof v->nip);
    if (strcmp(c.ev, ikr_station_event(s)->event) != 0) {
        v->code = IKR_E_AUDIT_EVENT;
        snprintf(v->detail, sizeof v->detail, "%s", c.ev);
        return;
    }
    if (c.seq != r->seq) {
        v->code = IKR_E_AUDIT_SEQ;
        snprintf(v->detail, sizeof v->detail, "%llu", (unsigned long long)c.seq);
        return;
    }
    if ((col = column_mismatch(&c, r))) {
        v->code = IKR_E_AUDIT_COLUMNS;
        snprintf(v->detail, sizeof v->detail, "%s", col);
        return;
    }
    if (memcmp(c.decl, ikr_station_event(s)->decl_hash, IKR_HASH_LEN) != 0) {
        v->code = IKR_E_AUDIT_COLUMNS;
        snprintf(v->detail, sizeof v->detail, "decl");
        return;
    }
    ikr_merkle_leaf(h, r->cose.p, r->cose.len);
    if (memcmp(h, r->leaf, IKR_HASH_LEN) != 0) {
        v->code = IKR_E_AUDIT_LEAF;
        return;
    }
    if (r->has_ink) {
        ikr_sha256(h, r->ink.p, r->ink.len);
        if (memcmp(h, c.inkh, IKR_HASH_LEN) != 0)
            v->code = IKR_E_AUDIT_INK;
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    batch *b = w->b;
    for (size_t i = (size_t)w->k; i < b->n; i += (size_t)b->threads)
        b->check(b, w->v, i);
    return NULL;
}

/*
 * Runs the parallel phase with the workers w (one per thread, each with its
 * verifier); falls back to this thread for stripes whose thread cannot start.
 */
static void check_batch(batch *b, worker *w)
{
    pthread_t tid[IKR_AUDIT_MAX_THREADS];
    int started = 0;
    int t = b->threads;
    if ((size_t)t > b->n)
        t = (int)b->n;
    if (t <= 1) {
        for (size_t i = 0; i < b->n; i++)
            b->check(b, w[0].v, i);
        return;
    }
    b->threads = t;
    for (int k = 1; k < t; k++) {
        w[k].b = b;
        w[k].k = k;
        if (pthread_create(&tid[k], NULL, work, &w[k]) != 0)
            break;
        started++;
    }
    if (started < t - 1) {
        /* Not all threads started: finish every stripe that has no thread here. */
        for (int k = 1 + started; k < t; k++) {
            w[k].b = b;
            w[k].k = k;
            work(&w[k]);
        }
    }
    w[0].b = b;
    w[0].k = 0;
    work(&w[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(tid[k], NULL);
}

/* A stored checkpoint, waiting for the tree to reach its size. */
typedef struct cp {
    uint64_t size;
    uint8_t root[IKR_HASH_LEN];
    int bad;
    char why[IKR_MAX_ORIGIN + 64];
} cp;

typedef struct cps {
    cp *v;
    size_t n, cap;
    const ikr_station *s;
    ikr_vkey vk;
} cps;

static int collect_cp(void *ctx, uint64_t size, const char *note, size_t n)
{
    cps *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        cp *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv)
            return IKR_E_NOMEM;
        c->v = nv;
        c->cap = cap;
    }
    cp *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    x->size = size;
    char origin[IKR_MAX_ORIGIN + 1];
    uint64_t sz;
    const char *why;
    if (ikr_checkpoint_open(note, n, &c->vk, origin, &sz, x->root, &why) != 0) {
        x->bad = 1;
        snprintf(x->why, sizeof x->why, "%s", why);
    } else if (strcmp(origin, ikr_station_event(c->s)->origin) != 0) {
        x->bad = 1;
        snprintf(x->why, sizeof x->why, "origin %s", origin);
    } else if (sz != size) {
        x->bad = 1;
        snprintf(x->why, sizeof x->why, "says size %llu", (unsigned long long)sz);
    }
    return 0;
}

struct node_check {
    ikr_log *log;
    int bad;
};

static int compare_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[IKR_HASH_LEN])
{
    struct node_check *nc = ctx;
    uint8_t stored[IKR_HASH_LEN];
    if (ikr_log_node(nc->log, level, index, stored) != 0 || memcmp(stored, hash, IKR_HASH_LEN) != 0)
        nc->bad = 1;
    return 0;
}

/* Checks every stored checkpoint whose size the tree has now reached. */
static int check_checkpoints(cps *cl, size_t *next, const ikr_merkle_edge *edge, ikr_err *e)
{
    while (*next < cl->n && cl->v[*next].size == edge->size) {
        cp *c = &cl->v[(*next)++];
        uint8_t root[IKR_HASH_LEN];
        ikr_merkle_edge_root(edge, root);
        if (!c->bad && memcmp(root, c->root, IKR_HASH_LEN) != 0) {
            c->bad = 1;
            snprintf(c->why, sizeof c->why, "root");
        }
        if (c->bad) {
            ikr_err_set(e, IKR_E_AUDIT_CHECKPOINT, "%s", c->why);
            return ikr_err_at(e, IKR_E_AUDIT_CHECKPOINT, (int64_t)c->size, 0);
        }
    }
    return IKR_OK;
}

static int pick_threads(int threads)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    return threads > IKR_AUDIT_MAX_THREADS ? IKR_AUDIT_MAX_THREADS : threads;
}

/* Notes record seq when its time t is before the previous record's (*prev), then moves on. */
static void note_time(ikr_audit_report *rep, uint64_t seq, uint64_t t, uint64_t *prev)
{
    if (seq > 1 && t < *prev) {
        if (rep->backwards < IKR_AUDIT_BACKWARDS_MAX)
            rep->backwards_seq[rep->backwards] = seq;
        rep->backwards++;
    }
    *prev = t;
}

int ikr_audit_station(ikr_station *s, int threads, ikr_audit_report *rep, ikr_err *e)
{
    const ikr_event_info *info = ikr_station_event(s);
    const ikr_key *key = ikr_station_key(s);
    ikr_log *lg = ikr_station_log(s); /* read only, in one snapshot */
    ikr_log_row *rows = NULL;
    verdict *v = NULL;
    worker w[IKR_AUDIT_MAX_THREADS];
    ikr_nipset nips = IKR_NIPSET_INIT;
    uint64_t census_records, orphan_inks;
    int64_t min_seq;
    cps cl;
    ikr_merkle_edge edge;
    size_t next_cp = 0;
    uint64_t expect = 1, nodes = 0, stored_nodes = 0, prev_t = 0;
    int rc = IKR_OK;

    memset(rep, 0, sizeof *rep);
    memset(&cl, 0, sizeof cl);
    cl.s = s;
    snprintf(cl.vk.name, sizeof cl.vk.name, "%s", info->origin);
    memcpy(cl.vk.pub, ikr_key_public(key), IKR_PUB_LEN);
    ikr_note_keyhash(cl.vk.hash, info->origin, cl.vk.pub);
    ikr_key_kid_of(cl.vk.kid, cl.vk.pub);
    threads = pick_threads(threads);

    memset(w, 0, sizeof w);
    for (int k = 0; k < threads; k++)
        if (ikr_verifier_new(&w[k].v, key) != IKR_OK)
            w[k].v = NULL; /* that thread verifies the slower way */
    /* One snapshot for the whole audit: a kiosk may go on signing meanwhile. */
    if ((rc = ikr_log_read_begin(lg, e)))
        goto out;
    if ((rc = ikr_log_each_checkpoint(lg, collect_cp, &cl, e)))
        goto out;
    rows = calloc(IKR_AUDIT_BATCH, sizeof *rows);
    v = calloc(IKR_AUDIT_BATCH, sizeof *v);
    if (!rows || !v) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < IKR_AUDIT_BATCH; i++)
        ikr_log_row_init(&rows[i]);
    ikr_merkle_edge_init(&edge);
    if ((rc = check_checkpoints(&cl, &next_cp, &edge, e)))
        goto out;

    for (;;) {
        size_t got;
        if ((rc = ikr_log_scan(lg, expect - 1, rows, IKR_AUDIT_BATCH, IKR_AUDIT_BATCH_BYTES, &got,
                               e)))
            goto out;
        if (got == 0)
            break;
        batch b = {check_row, s, rows, v, got, threads};
        check_batch(&b, w);
        for (size_t i = 0; i < got; i++) {
            const ikr_log_row *r = &rows[i];
            if (r->seq != expect) {
                rc = ikr_err_at(e, IKR_E_AUDIT_MISSING, (int64_t)expect, 0);
                goto out;
            }
            if (v[i].code) {
                ikr_err_set(e, v[i].code, "%s", v[i].detail);
                rc = ikr_err_at(e, v[i].code, (int64_t)r->seq, 0);
                goto out;
            }
            if (v[i].nip[0]) {
                uint64_t first = ikr_nipset_add(&nips, v[i].nip, r->seq);
                if (first == UINT64_MAX) {
                    rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
                    goto out;
                }
                if (first) {
                    ikr_err_set(e, IKR_E_AUDIT_DUP_NIP, "%llu", (unsigned long long)first);
                    rc = ikr_err_at(e, IKR_E_AUDIT_DUP_NIP, (int64_t)r->seq, 0);
                    goto out;
                }
            }
            struct node_check nc = {lg, 0};
            ikr_merkle_edge_push(&edge, r->leaf, compare_node, &nc);
            /* A push completes 1 + (trailing ones of the old size) nodes. */
            uint64_t old = edge.size - 1;
            nodes++;
            while (old & 1) {
                nodes++;
                old >>= 1;
            }
            if (nc.bad) {
                ikr_err_set(e, IKR_E_AUDIT_TREE, "stored subtree differs");
                rc = ikr_err_at(e, IKR_E_AUDIT_TREE, (int64_t)r->seq, 0);
                goto out;
            }
            if ((rc = check_checkpoints(&cl, &next_cp, &edge, e)))
                goto out;
            note_time(rep, r->seq, r->t, &prev_t);
            rep->records++;
            rep->inks += r->has_ink ? 1 : 0;
            expect++;
        }
        /* Keep the batch's memory bounded: let go of a slot that held a huge ink. */
        for (size_t i = 0; i < got; i++)
            if (rows[i].cose.cap + rows[i].ink.cap > IKR_AUDIT_SLOT_KEEP) {
                ikr_log_row_free(&rows[i]);
                ikr_log_row_init(&rows[i]);
            }
    }
    /* Checkpoints of sizes the log never reached. */
    if (next_cp < cl.n) {
        cp *c = &cl.v[next_cp];
        ikr_err_set(e, IKR_E_AUDIT_CHECKPOINT, "%s", c->bad ? c->why : "larger than the log");
        rc = ikr_err_at(e, IKR_E_AUDIT_CHECKPOINT, (int64_t)c->size, 0);
        goto out;
    }
    /* Rows outside 1..size, or ink whose record is gone, are not part of any tree. */
    if ((rc = ikr_log_census(lg, &census_records, &min_seq, &orphan_inks, e)))
        goto out;
    if (census_records != expect - 1 || min_seq != 1 || orphan_inks != 0) {
        ikr_err_set(e, IKR_E_AUDIT_EXTRA,
                    "%llu rows, lowest seq %lld, %llu ink rows without a record",
                    (unsigned long long)census_records, (long long)min_seq,
                    (unsigned long long)orphan_inks);
        rc = ikr_err_at(e, IKR_E_AUDIT_EXTRA, (int64_t)(expect - 1), 0);
        goto out;
    }
    if ((rc = ikr_log_node_count(lg, &stored_nodes, e)))
        goto out;
    if (stored_nodes != nodes) {
        ikr_err_set(e, IKR_E_AUDIT_EXTRA, "%llu tree nodes stored, %llu expected",
                    (unsigned long long)stored_nodes, (unsigned long long)nodes);
        rc = ikr_err_at(e, IKR_E_AUDIT_EXTRA, (int64_t)(expect - 1), 0);
        goto out;
    }
    rep->checkpoints = cl.n;
    ikr_merkle_edge_root(&edge, rep->root);
out:
    ikr_log_rollback(lg); /* ends the read snapshot */
    ikr_nipset_free(&nips);
    if (rows)
        for (size_t i = 0; i < IKR_AUDIT_BATCH; i++)
            ikr_log_row_free(&rows[i]);
    free(rows);
    free(v);
    free(cl.v);
    for (int k = 0; k < IKR_AUDIT_MAX_THREADS; k++)
        ikr_verifier_free(w[k].v);
    return rc;
}

/* ---- auditing a roster bundle ---- */

/* One bundle record's verdict from the parallel phase. */
typedef struct bverdict {
    verdict v;
    ikr_claims c;
    uint8_t leaf[IKR_HASH_LEN];
} bverdict;

typedef struct bundle_ctx {
    const ikr_bundle *b;
    const ikr_key *key;
    bverdict *bv;
} bundle_ctx;

/* The readable copies a records.jsonl line carries, against the signed claims. */
static const char *copy_mismatch(const ikr_bundle_rec *r, const ikr_claims *c)
{
    if (r->has_t && r->t != c->t)
        return "t";
    if (r->has_name && strcmp(r->name, c->who.name) != 0)
        return "name";
    if (r->has_status && strcmp(r->status, ikr_status_name(c->who.status)) != 0)
        return "status";
    if (r->has_nip && strcmp(r->nip, c->who.nip) != 0)
        return "nip";
    if (r->has_pos && strcmp(r->pos, c->who.pos) != 0)
        return "pos";
    if (r->has_unit && strcmp(r->unit, c->who.unit) != 0)
        return "unit";
    return NULL;
}

static void check_bundle_rec(const batch *b, ikr_verifier *ver, size_t i)
{
    const bundle_ctx *bc = b->ctx;
    const ikr_bundle_rec *r = &((const ikr_bundle_rec *)b->items)[i];
    bverdict *out = &bc->bv[i];
    verdict *v = &out->v;
    ikr_cose cs;
    uint8_t h[IKR_HASH_LEN];
    const char *col;
    ikr_dec_why why = {NULL, NULL};
    int dec;
    memset(out, 0, sizeof *out);
    ikr_merkle_leaf(out->leaf, r->cose.p, r->cose.len);
    if ((dec = ikr_cose_parse(&cs, r->cose.p, r->cose.len)) != 0) {
        refused(v, dec, &cs.why);
        return;
    }
    if ((ver ? ikr_cose_verify_with(&cs, bc->b->vkey.kid, ver) : ikr_cose_verify(&cs, bc->key)) !=
        0) {
        v->code = IKR_E_AUDIT_SIG;
        return;
    }
    if ((dec = ikr_record_decode_why(&out->c, cs.payload, cs.payload_len, &why)) != 0) {
        refused(v, dec, &why);
        return;
    }
    if (out->c.seq != r->seq) {
        v->code = IKR_E_AUDIT_SEQ;
        snprintf(v->detail, sizeof v->detail, "%llu", (unsigned long long)out->c.seq);
        return;
    }
    if ((col = copy_mismatch(r, &out->c))) {
        v->code = IKR_E_AUDIT_COLUMNS;
        snprintf(v->detail, sizeof v->detail, "records.jsonl \"%s\"", col);
        return;
    }
    if (r->has_ink) {
        ikr_sha256(h, r->ink.p, r->ink.len);
        if (memcmp(h, out->c.inkh, IKR_HASH_LEN) != 0)
            v->code = IKR_E_AUDIT_INK;
    }
}

/* The next roster.csv row; *got 0 at the end.  A damaged CSV is the bundle's IKR_E_BUNDLE_CSV. */
static int csv_next(ikr_csv_file *cs, int *got, ikr_err *e)
{
    ikr_err ce;
    int rc;
    ikr_err_clear(&ce);
    if ((rc = ikr_csv_file_next(cs, got, &ce))) {
        if (rc != IKR_E_CSV)
            return ikr_err_set(e, rc, "roster.csv: %s", ce.detail);
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "line %lld: %s", (long long)ce.seq, ce.detail);
        return IKR_E_BUNDLE_CSV;
    }
    return IKR_OK;
}

int ikr_audit_bundle(const char *dir, int threads, ikr_audit_report *rep, ikr_err *e)
{
    ikr_bundle *b = NULL;
    ikr_key *key = NULL;
    ikr_bundle_reader rd;
    ikr_bundle_rec *recs = NULL;
    bverdict *bv = NULL;
    ikr_merkle_edge *edge = NULL;
    worker w[IKR_AUDIT_MAX_THREADS];
    ikr_nipset nips = IKR_NIPSET_INIT;
    ikr_csv_file cs;
    char ev[IKR_MAX_EVENT_ID + 1] = "";
    uint8_t decl[IKR_HASH_LEN];
    uint64_t expect = 1, prev_t = 0;
    int rc, got, reading = 0, at_end = 0;

    memset(rep, 0, sizeof *rep);
    memset(w, 0, sizeof w);
    memset(&cs, 0, sizeof cs);
    threads = pick_threads(threads);
    if (!(b = malloc(sizeof *b)) || !(edge = malloc(sizeof *edge)) ||
        !(recs = calloc(IKR_AUDIT_BATCH, sizeof *recs)) ||
        !(bv = calloc(IKR_AUDIT_BATCH, sizeof *bv))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    for (size_t i = 0; i < IKR_AUDIT_BATCH; i++)
        ikr_bundle_rec_init(&recs[i]);
    ikr_merkle_edge_init(edge);
    if ((rc = ikr_bundle_open(b, dir, e)))
        goto out;
    if ((rc = ikr_key_from_public(&key, b->vkey.pub))) {
        rc = ikr_err_set(e, IKR_E_CRYPTO, "verifier key");
        goto out;
    }
    for (int k = 0; k < threads; k++)
        if (ikr_verifier_new(&w[k].v, key) != IKR_OK)
            w[k].v = NULL; /* that thread verifies the slower way */
    if ((rc = ikr_bundle_reader_open(&rd, b, e)))
        goto out;
    reading = 1;
    char csv_path[1200];
    snprintf(csv_path, sizeof csv_path, "%s/%s", dir, IKR_BUNDLE_CSV);
    if ((rc = ikr_csv_file_open(&cs, csv_path, e))) {
        if (rc == IKR_E_IO)
            rc = e->code = IKR_E_BUNDLE_FILE;
        goto out;
    }
    if ((rc = csv_next(&cs, &got, e))) {
        if (rc == IKR_E_BUNDLE_CSV) { /* the header is no record's row */
            char d[sizeof e->detail];
            memcpy(d, e->detail, sizeof d);
            ikr_err_clear(e);
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "roster.csv %s", d);
        }
        goto out;
    }
    for (int i = 0; got && i < IKR_CSV_COLS; i++)
        if (strcmp(ikr_csv_get(&cs.row, (size_t)i), ikr_bundle_csv_header[i]) != 0)
            got = 0;
    if (!got || cs.row.nf != IKR_CSV_COLS) {
        /* No record to name yet: "does not match record 0" would say nothing. */
        rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "roster.csv: line 1 is not the roster's header row");
        goto out;
    }
    const char *kiosk = ikr_bundle_kiosk_of(b->origin);
    bundle_ctx bc = {b, key, bv};

    while (!at_end) {
        /* Read a batch: at most IKR_AUDIT_BATCH records and about IKR_AUDIT_BATCH_BYTES. */
        size_t n = 0, bytes = 0;
        while (n < IKR_AUDIT_BATCH && bytes < IKR_AUDIT_BATCH_BYTES) {
            if ((rc = ikr_bundle_next(&rd, &recs[n], &got, e)))
                goto out;
            if (!got) {
                at_end = 1;
                break;
            }
            bytes += recs[n].cose.len + recs[n].ink.len;
            n++;
        }
        batch bt = {check_bundle_rec, &bc, recs, NULL, n, threads};
        if (n)
            check_batch(&bt, w);
        for (size_t i = 0; i < n; i++, expect++) {
            const ikr_bundle_rec *r = &recs[i];
            const verdict *v = &bv[i].v;
            const ikr_claims *c = &bv[i].c;
            if ((rc = ikr_bundle_in_order(b, r->seq, expect, e)))
                goto out;
            if (v->code) {
                ikr_err_set(e, v->code, "%s", v->detail);
                rc = ikr_err_at(e, v->code, (int64_t)expect, 0);
                goto out;
            }
            note_time(rep, expect, c->t, &prev_t);
            /* One event and one declaration for the whole log. */
            if (expect == 1) {
                memcpy(ev, c->ev, sizeof ev);
                memcpy(decl, c->decl, IKR_HASH_LEN);
            } else if (strcmp(c->ev, ev) != 0) {
                ikr_err_set(e, IKR_E_AUDIT_EVENT, "%s", c->ev);
                rc = ikr_err_at(e, IKR_E_AUDIT_EVENT, (int64_t)expect, 0);
                goto out;
            } else if (memcmp(c->decl, decl, IKR_HASH_LEN) != 0) {
                ikr_err_set(e, IKR_E_AUDIT_COLUMNS, "decl");
                rc = ikr_err_at(e, IKR_E_AUDIT_COLUMNS, (int64_t)expect, 0);
                goto out;
            }
            if (c->who.nip[0]) {
                uint64_t first = ikr_nipset_add(&nips, c->who.nip, expect);
                if (first == UINT64_MAX) {
                    rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
                    goto out;
                }
                if (first) {
                    ikr_err_set(e, IKR_E_AUDIT_DUP_NIP, "%llu", (unsigned long long)first);
                    rc = ikr_err_at(e, IKR_E_AUDIT_DUP_NIP, (int64_t)expect, 0);
                    goto out;
                }
            }
            ikr_merkle_edge_push(edge, bv[i].leaf, NULL, NULL);
            /* roster.csv must say what the record says, row for row. */
            const char *col;
            if ((rc = csv_next(&cs, &got, e))) {
                ikr_err_at(e, rc, (int64_t)expect, 0); /* a damaged row is the row of this record */
                goto out;
            }
            if (!got) {
                ikr_err_set(e, IKR_E_BUNDLE_CSV, "its row is missing (the file ends at line %llu)",
                            (unsigned long long)cs.rd.line);
                rc = ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)expect, 0);
                goto out;
            }
            if ((col = ikr_bundle_csv_mismatch(&cs.row, expect, c, kiosk))) {
                ikr_err_set(e, IKR_E_BUNDLE_CSV, "line %llu, column %s",
                            (unsigned long long)cs.row.line, col);
                rc = ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)expect, 0);
                goto out;
            }
            rep->records++;
            rep->inks += r->has_ink ? 1 : 0;
        }
        for (size_t i = 0; i < n; i++)
            if (recs[i].cose.cap + recs[i].ink.cap > IKR_AUDIT_SLOT_KEEP) {
                ikr_bundle_rec_free(&recs[i]);
                ikr_bundle_rec_init(&recs[i]);
            }
    }
    if (expect - 1 != b->size) {
        ikr_err_set(e, IKR_E_BUNDLE_SIZE, "the checkpoint holds %llu, records.jsonl %llu",
                    (unsigned long long)b->size, (unsigned long long)(expect - 1));
        rc = IKR_E_BUNDLE_SIZE;
        goto out;
    }
    ikr_merkle_edge_root(edge, rep->root);
    if (memcmp(rep->root, b->root, IKR_HASH_LEN) != 0) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_ROOT, "root");
        goto out;
    }
    /* The event and the declaration, as the records signed them. */
    {
        ikr_bundle_event evj;
        ikr_buf text;
        ikr_buf_init(&text);
        rc = ikr_bundle_load_event(dir, &evj, &text, expect > 1 ? decl : NULL, e);
        ikr_buf_free(&text);
        if (rc)
            goto out;
        if (expect > 1 && strcmp(evj.event, ev) != 0) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "event.json names the event %s, the records %s",
                             evj.event, ev);
            goto out;
        }
        if (expect == 1)
            memcpy(ev, evj.event, sizeof ev);
    }
    /* Blank lines after the last row are an editor's, not rows. */
    {
        ikr_err ce;
        int blank;
        ikr_err_clear(&ce);
        if ((rc = ikr_csv_file_rest_blank(&cs, &blank, &ce))) {
            ikr_err_set(e, IKR_E_BUNDLE_CSV, "line %lld: %s", (long long)ce.seq, ce.detail);
            rc = ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)expect,
                            0); /* past the last record's row */
            goto out;
        }
        got = !blank;
    }
    if (got) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "line %llu: a row for no record",
                    (unsigned long long)cs.row.line);
        rc = ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)expect, 0);
        goto out;
    }
    rep->checkpoints = 1;
    memcpy(rep->event, ev, sizeof rep->event);
    rc = IKR_OK;
out:
    if (reading)
        ikr_bundle_reader_close(&rd);
    ikr_csv_file_close(&cs);
    if (recs)
        for (size_t i = 0; i < IKR_AUDIT_BATCH; i++)
            ikr_bundle_rec_free(&recs[i]);
    free(recs);
    free(bv);
    free(edge);
    free(b);
    ikr_nipset_free(&nips);
    for (int k = 0; k < IKR_AUDIT_MAX_THREADS; k++)
        ikr_verifier_free(w[k].v);
    ikr_key_free(key);
    return rc;
}
