/*
 * merge.c: one event's kiosks joined in one roster (see merge.h).
 *
 * Merging copies each bundle first and audits the copy, so what is merged
 * is exactly what was audited.  The merged roster.csv and duplicates.csv
 * are then derived in passes over the copies' records.jsonl, which are
 * decoded but not verified again: the audit just did that.
 */
#include "ikrar/merge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ikrar/audit.h"
#include "ikrar/bundle.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/cose.h"
#include "ikrar/csv.h"
#include "ikrar/hash.h"
#include "ikrar/ink.h"
#include "ikrar/note.h"
#include "ikrar/record.h"
#include "ikrar/roster_pdf.h"
#include "ikrar/zone.h"

#define PATH_MAX_ 1200

/* One kiosk of the merge. */
typedef struct kiosk {
    char name[IKR_MAX_ORIGIN + 1];
    char dir[PATH_MAX_];       /* its bundle under kiosks/ */
    int zone;                  /* the zone its event.json names */
    uint8_t decl_hash[IKR_HASH_LEN];
} kiosk;

/* Where a NIP signed: for the duplicates. */
typedef struct nip_loc {
    uint64_t nip;              /* the NIP as a number */
    uint64_t seq, t;
    uint32_t kiosk;
} nip_loc;

typedef struct locs {
    nip_loc *v;
    size_t n, cap;
} locs;

static int locs_add(locs *l, const nip_loc *x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        nip_loc *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return IKR_E_NOMEM;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = *x;
    return IKR_OK;
}

static int loc_cmp(const void *a, const void *b)
{
    const nip_loc *x = a, *y = b;
    if (x->nip != y->nip)
        return x->nip < y->nip ? -1 : 1;
    if (x->kiosk != y->kiosk)
        return x->kiosk < y->kiosk ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t nip_number(const char *nip)
{
    uint64_t v = 0;
    for (; *nip; nip++)
        v = v * 10 + (uint64_t)(*nip - '0');
    return v;
}

int ikr_merge_is_merged(const char *dir)
{
    char p[PATH_MAX_];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, IKR_MERGE_KIOSKS);
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* ---- passes over every kiosk's records ---- */

/* Called for record c of kiosk k, whose line starts at off in its records.jsonl. */
typedef int (*record_fn)(void *ctx, size_t k, const ikr_claims *c, uint64_t off, ikr_err *e);

/* Calls fn for every record of every kiosk, kiosks in order, each in seq order. */
static int each_record(const kiosk *ks, size_t nk, record_fn fn, void *ctx, ikr_err *e)
{
    ikr_bundle *b = malloc(sizeof *b);
    ikr_bundle_rec r;
    int rc = IKR_OK, got;
    if (!b)
        return ikr_err_set(e, IKR_E_NOMEM, "merge");
    ikr_bundle_rec_init(&r);
    for (size_t k = 0; k < nk && rc == IKR_OK; k++) {
        ikr_bundle_reader rd;
        if ((rc = ikr_bundle_open(b, ks[k].dir, e)) || (rc = ikr_bundle_reader_open(&rd, b, e)))
            break;
        for (;;) {
            ikr_cose cs;
            ikr_claims c;
            if ((rc = ikr_bundle_next(&rd, &r, &got, e)) || !got)
                break;
            if (ikr_cose_parse(&cs, r.cose.p, r.cose.len) ||
                ikr_record_decode(&c, cs.payload, cs.payload_len)) {
                rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)r.seq, 0);
                break;
            }
            if ((rc = fn(ctx, k, &c, rd.off, e)))
                break;
        }
        ikr_bundle_reader_close(&rd);
    }
    ikr_bundle_rec_free(&r);
    free(b);
    return rc;
}

/*
 * The merged roster.pdf lists records by unit, across kiosks: pass 1 notes
 * each record's unit, kiosk, seq and place in its file (24 bytes a record),
 * the notes are sorted, and the PDF reads the records back in that order.
 */
typedef struct pdf_entry {
    uint32_t unit;           /* index into names, then its rank in name order */
    uint32_t kiosk;
    uint64_t seq, off;
} pdf_entry;

typedef struct pdf_index {
    pdf_entry *v;
    size_t n, cap;
    char (*names)[IKR_MAX_UNIT + 1];
    uint64_t *count;
    size_t n_names;
    uint32_t *slot;          /* open addressing over names: index + 1, 0 empty */
    size_t nslot;
} pdf_index;

static uint64_t unit_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    return h;
}

/* Notes one record; non-zero when out of memory or past the units' limit. */
static int pdf_note(pdf_index *x, size_t k, const ikr_claims *c, uint64_t off)
{
    size_t i = (size_t)(unit_hash(c->who.unit) & (x->nslot - 1));
    while (x->slot[i] && strcmp(x->names[x->slot[i] - 1], c->who.unit) != 0)
        i = (i + 1) & (x->nslot - 1);
    if (!x->slot[i]) {
        if (x->n_names >= IKR_ROSTER_PDF_MAX_UNITS)
            return -1;
        memcpy(x->names[x->n_names], c->who.unit, sizeof x->names[0]);
        x->slot[i] = (uint32_t)++x->n_names;
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 4096;
        pdf_entry *nv = realloc(x->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        x->v = nv;
        x->cap = cap;
    }
    uint32_t u = x->slot[i] - 1;
    x->count[u]++;
    x->v[x->n++] = (pdf_entry){u, (uint32_t)k, c->seq, off};
    return 0;
}

static int entry_cmp(const void *a, const void *b)
{
    const pdf_entry *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->kiosk != y->kiosk)
        return x->kiosk < y->kiosk ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

typedef struct named {
    const char *name;
    uint32_t idx;
} named;

static int named_cmp(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

/* Writes path: the merged roster.pdf, from the kiosks' bundles in the order of x. */
static int merged_pdf(const char *path, const kiosk *ks, size_t nk, const ikr_bundle_event *ev,
                      const ikr_buf *decl, pdf_index *x, int64_t now, ikr_err *e)
{
    named *nm = NULL;
    uint32_t *rank = NULL;
    ikr_roster_pdf_unit *units = NULL;
    ikr_roster_pdf_kiosk *pk = NULL;
    ikr_bundle *b = NULL;
    ikr_bundle_reader *rd = NULL;
    char (*vk)[IKR_MAX_VKEY_LINE + 1] = NULL;
    ikr_roster_pdf *pdf = NULL;
    ikr_bundle_rec r;
    ikr_ink ink;
    int rc = IKR_OK;
    size_t opened = 0;
    ikr_bundle_rec_init(&r);
    ikr_ink_init(&ink);
    if (!(nm = calloc(x->n_names + 1, sizeof *nm)) || !(rank = calloc(x->n_names + 1, sizeof *rank)) ||
        !(units = calloc(x->n_names + 1, sizeof *units)) || !(pk = calloc(nk, sizeof *pk)) ||
        !(b = calloc(nk, sizeof *b)) || !(rd = calloc(nk, sizeof *rd)) || !(vk = calloc(nk, sizeof *vk))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto out;
    }
    /* Units in name order, the entries by unit rank, then kiosk, then seq. */
    for (size_t i = 0; i < x->n_names; i++)
        nm[i] = (named){x->names[i], (uint32_t)i};
    qsort(nm, x->n_names, sizeof *nm, named_cmp);
    for (size_t i = 0; i < x->n_names; i++) {
        rank[nm[i].idx] = (uint32_t)i;
        units[i] = (ikr_roster_pdf_unit){nm[i].name, x->count[nm[i].idx], -1};
    }
    for (size_t i = 0; i < x->n; i++)
        x->v[i].unit = rank[x->v[i].unit];
    qsort(x->v, x->n, sizeof *x->v, entry_cmp);
    for (size_t k = 0; k < nk; k++, opened++) {
        if ((rc = ikr_bundle_open(&b[k], ks[k].dir, e)) || (rc = ikr_bundle_reader_open(&rd[k], &b[k], e)))
            goto out;
        ikr_buf line;
        ikr_buf_init(&line);
        int bad = ikr_vkey_format(&line, b[k].vkey.name, b[k].vkey.pub) || line.len > IKR_MAX_VKEY_LINE;
        if (!bad) {
            memcpy(vk[k], line.p, line.len);
            vk[k][line.len] = '\0';
        }
        ikr_buf_free(&line);
        if (bad) {
            rc = ikr_err_set(e, IKR_E_INTERNAL, "verifier key");
            goto out;
        }
        pk[k] = (ikr_roster_pdf_kiosk){ks[k].name, vk[k], b[k].size, {0}};
        memcpy(pk[k].root, b[k].root, IKR_HASH_LEN);
    }
    ikr_roster_pdf_doc doc = {ev->title, ev->event, ev->organizer, ev->place, ev->when,
                              (const char *)decl->p, decl->len, {0}, pk, nk, units, x->n_names,
                              ev->zone_min, now};
    ikr_sha256(doc.decl_hash, decl->p, decl->len);
    if ((rc = ikr_roster_pdf_begin(&pdf, path, &doc, e)))
        goto out;
    for (size_t i = 0; i < x->n; i++) {
        const pdf_entry *en = &x->v[i];
        ikr_cose cs;
        ikr_claims c;
        if ((rc = ikr_bundle_read_at(&rd[en->kiosk], en->off, &r, e)))
            break;
        if (ikr_cose_parse(&cs, r.cose.p, r.cose.len) || ikr_record_decode(&c, cs.payload, cs.payload_len)) {
            rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)en->seq, 0);
            break;
        }
        ikr_ink_free(&ink);
        int inked = r.has_ink && ikr_ink_decode(&ink, r.ink.p, r.ink.len) == 0;
        ikr_roster_pdf_entry row = {c.seq, ks[en->kiosk].name, c.t, c.who.name, ikr_status_name(c.who.status),
                                    c.who.nip, c.who.pos, c.who.unit, inked ? &ink : NULL};
        if ((rc = ikr_roster_pdf_row(pdf, &row, e)))
            break;
    }
    if (rc)
        ikr_roster_pdf_abort(pdf);
    else
        rc = ikr_roster_pdf_end(pdf, e);
out:
    for (size_t k = 0; k < opened; k++)
        ikr_bundle_reader_close(&rd[k]);
    ikr_bundle_rec_free(&r);
    ikr_ink_free(&ink);
    free(nm);
    free(rank);
    free(units);
    free(pk);
    free(b);
    free(rd);
    free(vk);
    return rc;
}

/* Pass 1: the merged roster.csv rows (written, or compared), and where each NIP signed. */
typedef struct rows_ctx {
    const kiosk *ks;
    char sep;
    uint64_t no;
    locs *locs;
    ikr_buf *out;            /* writing: rows are appended here... */
    ikr_bundle_file *file;   /* ...and flushed to this file */
    ikr_csv_file *check;     /* auditing: rows are compared with this file's */
    struct pdf_index *units; /* writing: where each record goes in the merged roster.pdf */
} rows_ctx;

static int flush_rows(rows_ctx *x, ikr_err *e)
{
    int rc = ikr_bundle_file_write(x->file, x->out->p, x->out->len, e);
    ikr_buf_reset(x->out);
    return rc;
}

static int row_of(void *ctx, size_t k, const ikr_claims *c, uint64_t off, ikr_err *e)
{
    rows_ctx *x = ctx;
    x->no++;
    if (x->units && pdf_note(x->units, k, c, off))
        return x->units->n_names >= IKR_ROSTER_PDF_MAX_UNITS
                   ? ikr_err_set(e, IKR_E_INTERNAL, "more than %d work units", IKR_ROSTER_PDF_MAX_UNITS)
                   : ikr_err_set(e, IKR_E_NOMEM, "merge");
    if (c->who.nip[0]) {
        nip_loc l = {nip_number(c->who.nip), c->seq, c->t, (uint32_t)k};
        if (locs_add(x->locs, &l))
            return ikr_err_set(e, IKR_E_NOMEM, "merge");
    }
    if (x->out) {
        const char *cells[IKR_CSV_COLS];
        char store[IKR_BUNDLE_CELLS];
        ikr_bundle_csv_cells(cells, store, x->no, c, x->ks[k].name, x->ks[k].zone);
        if (ikr_bundle_csv_row(x->out, cells, x->sep))
            return ikr_err_set(e, IKR_E_NOMEM, "merge");
        return x->out->len > (1u << 20) ? flush_rows(x, e) : IKR_OK;
    }
    int got;
    ikr_err ce;
    const char *col;
    ikr_err_clear(&ce);
    if (ikr_csv_file_next(x->check, &got, &ce)) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "%s line %lld: %s", IKR_BUNDLE_CSV, (long long)ce.seq, ce.detail);
        return ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)c->seq, 0);
    }
    if (!got) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "kiosk %s: its row is missing from the merged roster.csv",
                    x->ks[k].name);
        return ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)c->seq, 0);
    }
    if ((col = ikr_bundle_csv_mismatch(&x->check->row, x->no, c, x->ks[k].name))) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "kiosk %s, merged roster.csv line %llu, column %s", x->ks[k].name,
                    (unsigned long long)x->check->row.line, col);
        return ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)c->seq, 0);
    }
    return IKR_OK;
}

/* Pass 2 (only when a NIP signed twice): the name each duplicated NIP first signed with. */
typedef struct names_ctx {
    const nip_loc *dups;     /* the first sighting of each duplicated NIP, sorted by NIP */
    size_t n;
    char (*name)[IKR_MAX_NAME + 1];
} names_ctx;

static int dup_cmp(const void *key, const void *elem)
{
    uint64_t a = *(const uint64_t *)key, b = ((const nip_loc *)elem)->nip;
    return a < b ? -1 : a > b;
}

static int name_of(void *ctx, size_t k, const ikr_claims *c, uint64_t off, ikr_err *e)
{
    names_ctx *x = ctx;
    (void)e;
    (void)off;
    if (!c->who.nip[0])
        return IKR_OK;
    uint64_t v = nip_number(c->who.nip);
    const nip_loc *d = bsearch(&v, x->dups, x->n, sizeof *d, dup_cmp);
    if (d && d->kiosk == k && d->seq == c->seq)
        memcpy(x->name[d - x->dups], c->who.name, sizeof x->name[0]);
    return IKR_OK;
}

/*
 * duplicates.csv for the sorted locs: a header, then per NIP that signed
 * more than once its NIP, first name, count, and every place and time.
 */
static int duplicates_csv(ikr_buf *out, const kiosk *ks, size_t nk, locs *l, char sep,
                          uint64_t *ndup, ikr_err *e)
{
    nip_loc *first = NULL;
    names_ctx nc = {NULL, 0, NULL};
    size_t nd = 0;
    int rc = IKR_OK;
    qsort(l->v, l->n, sizeof *l->v, loc_cmp);
    for (size_t i = 0; i + 1 < l->n; i++)
        if (l->v[i].nip == l->v[i + 1].nip && (i == 0 || l->v[i - 1].nip != l->v[i].nip))
            nd++;
    *ndup = nd;
    static const char *const head[] = {"NIP", "Nama", "Jumlah", "Tempat dan Waktu"};
    rc |= ikr_buf_add(out, "\xEF\xBB\xBF", 3);
    for (int i = 0; i < 4; i++) {
        if (i)
            rc |= ikr_buf_addc(out, (uint8_t)sep);
        rc |= ikr_csv_field(out, head[i], strlen(head[i]), sep);
    }
    rc |= ikr_buf_adds(out, "\r\n");
    if (rc)
        return ikr_err_set(e, IKR_E_NOMEM, "merge");
    if (nd == 0)
        return IKR_OK;
    if (!(first = calloc(nd, sizeof *first)) || !(nc.name = calloc(nd, sizeof *nc.name))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto out;
    }
    size_t j = 0;
    for (size_t i = 0; i + 1 < l->n; i++)
        if (l->v[i].nip == l->v[i + 1].nip && (i == 0 || l->v[i - 1].nip != l->v[i].nip))
            first[j++] = l->v[i];
    nc.dups = first;
    nc.n = nd;
    if ((rc = each_record(ks, nk, name_of, &nc, e)))
        goto out;
    j = 0;
    for (size_t i = 0; i < l->n;) {
        size_t end = i + 1;
        while (end < l->n && l->v[end].nip == l->v[i].nip)
            end++;
        if (end - i > 1) {
            char nip[24], count[24], where[IKR_MAX_ORIGIN + 96], t[40];
            ikr_buf places;
            ikr_buf_init(&places);
            snprintf(nip, sizeof nip, "%018llu", (unsigned long long)l->v[i].nip);
            snprintf(count, sizeof count, "%zu", end - i);
            for (size_t k = i; k < end; k++) {
                const kiosk *ko = &ks[l->v[k].kiosk];
                ikr_zone_format(t, sizeof t, (int64_t)l->v[k].t, ko->zone, 1);
                snprintf(where, sizeof where, "%s%s #%llu %s", k > i ? "; " : "", ko->name,
                         (unsigned long long)l->v[k].seq, t);
                rc |= ikr_buf_adds(&places, where);
            }
            rc |= ikr_csv_field(out, nip, strlen(nip), sep);
            rc |= ikr_buf_addc(out, (uint8_t)sep);
            rc |= ikr_csv_field(out, nc.name[j], strlen(nc.name[j]), sep);
            rc |= ikr_buf_addc(out, (uint8_t)sep);
            rc |= ikr_csv_field(out, count, strlen(count), sep);
            rc |= ikr_buf_addc(out, (uint8_t)sep);
            rc |= ikr_csv_field(out, (const char *)places.p, places.len, sep);
            rc |= ikr_buf_adds(out, "\r\n");
            ikr_buf_free(&places);
            j++;
            if (rc) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
                goto out;
            }
        }
        i = end;
    }
out:
    free(first);
    free(nc.name);
    return rc;
}

/* ---- files ---- */

/*
 * Copies from to to, at most max bytes.  The bundle is untrusted: only a
 * regular file is copied (a FIFO would block, /dev/zero would fill the
 * disk), and no file may hold more than its readers could ever take (a
 * sparse file of a terabyte is regular too).
 */
static int copy_file(const char *from, const char *to, int optional, uint64_t max, ikr_err *e)
{
    char buf[1 << 16];
    uint64_t total = 0;
    int in, out, rc = IKR_OK;
    /* No symlinks: roster.pdf -> ~/.ssh/id_rsa would be copied into a bundle handed to auditors. */
    if ((rc = ikr_bundle_open_read(from, 1, &in, e))) {
        if (optional && errno == ENOENT) {
            ikr_err_clear(e);
            return IKR_OK;
        }
        return rc;
    }
    if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
        close(in);
        return ikr_err_set(e, IKR_E_IO, "%s: %s", to, strerror(errno));
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", from, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        if ((total += (uint64_t)n) > max) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: larger than %llu bytes", from, (unsigned long long)max);
            break;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t k = write(out, buf + off, (size_t)(n - off));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                rc = ikr_err_set(e, k < 0 && errno != ENOSPC ? IKR_E_IO : IKR_E_DISK_FULL, "%s", to);
                break;
            }
            off += k;
        }
        if (rc)
            break;
    }
    if (rc == IKR_OK && fsync(out) != 0)
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", to, strerror(errno));
    close(in);
    if (close(out) != 0 && rc == IKR_OK)
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", to, strerror(errno));
    return rc;
}

static int kiosk_cmp(const void *a, const void *b)
{
    return strcmp(((const kiosk *)a)->name, ((const kiosk *)b)->name);
}

/* Checks that the audited kiosks agree on one event and are each there once. */
static int one_event(kiosk *ks, size_t nk, char (*events)[IKR_MAX_EVENT_ID + 1], const char *const *from,
                     ikr_err *e)
{
    const char *ev = NULL;
    for (size_t i = 0; i < nk; i++) {
        if (!events[i][0])
            continue; /* an empty bundle has no records to name an event */
        if (!ev)
            ev = events[i];
        else if (strcmp(ev, events[i]) != 0)
            return ikr_err_set(e, IKR_E_MERGE_EVENT, "%s (%s), %s", from[i], events[i], ev);
    }
    for (size_t i = 0; i < nk; i++)
        for (size_t j = i + 1; j < nk; j++)
            if (strcmp(ks[i].name, ks[j].name) == 0)
                return ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s", ks[i].name);
    return IKR_OK;
}

int ikr_merge(const char *out, const char *const *paths, size_t n, char sep, int threads,
              ikr_merge_stats *st, ikr_err *e)
{
    static const char *const files[] = {IKR_BUNDLE_CHECKPOINT, IKR_BUNDLE_VKEY, IKR_BUNDLE_RECORDS,
                                        IKR_BUNDLE_CSV,        IKR_BUNDLE_PDF,  IKR_BUNDLE_DECL,
                                        IKR_BUNDLE_EVENT};
    char tmp[PATH_MAX_], p[PATH_MAX_ + 200], q[PATH_MAX_ + 200];
    kiosk *ks = NULL;
    char (*events)[IKR_MAX_EVENT_ID + 1] = NULL;
    locs l = {NULL, 0, 0};
    ikr_buf rows, dups;
    ikr_bundle b;
    struct stat sb;
    int rc = IKR_OK;
    ikr_bundle_file csv = {-1, ""};
    ikr_merge_stats none;
    ikr_bundle_event ev;
    ikr_buf decl;
    pdf_index px = {NULL, 0, 0, NULL, NULL, 0, NULL, 0};
    if (!st)
        st = &none;
    memset(st, 0, sizeof *st);
    if (n == 0 || n > IKR_MERGE_MAX_BUNDLES)
        return ikr_err_set(e, IKR_E_INTERNAL, "1 to %d bundles", IKR_MERGE_MAX_BUNDLES);
    if (sep != ',' && sep != ';')
        return ikr_err_set(e, IKR_E_INTERNAL, "the CSV separator must be ',' or ';'");
    if (strlen(out) == 0 || strlen(out) > 1000)
        return ikr_err_set(e, IKR_E_IO, "the folder's name is empty or too long");
    if (lstat(out, &sb) == 0)
        return ikr_err_set(e, IKR_E_BUNDLE_EXISTS, "%s", out);
    ikr_buf_init(&rows);
    ikr_buf_init(&dups);
    ikr_buf_init(&decl);
    if (!(ks = calloc(n, sizeof *ks)) || !(events = calloc(n, sizeof *events))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto done;
    }
    snprintf(tmp, sizeof tmp, "%s.partial-%ld", out, (long)getpid());
    snprintf(p, sizeof p, "%s/%s", tmp, IKR_MERGE_KIOSKS);
    if (mkdir(tmp, 0700) != 0) {
        /* Name the folder asked for, not our hidden one: its parent is what is missing. */
        int err = errno;
        rc = ikr_err_set(e, err == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", out,
                         err == ENOENT || err == ENOTDIR ? "the folder to put it in does not exist"
                                                         : strerror(err));
        goto done;
    }
    if (mkdir(p, 0700) != 0) {
        rc = ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", p, strerror(errno));
        goto fail;
    }
    /* Copy each bundle under its kiosk's name, then audit the copy. */
    for (size_t i = 0; i < n; i++) {
        ikr_audit_report rep;
        ikr_err inner;
        ikr_err_clear(&inner);
        if ((rc = ikr_bundle_open(&b, paths[i], &inner))) {
            ikr_err_set(e, rc, "%s: %s", paths[i], inner.detail);
            goto fail;
        }
        snprintf(ks[i].name, sizeof ks[i].name, "%s", ikr_bundle_kiosk_of(b.origin));
        if (!ikr_kiosk_name_ok(ks[i].name)) {
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s: the log %s names no kiosk", paths[i], b.origin);
            goto fail;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(ks[j].name, ks[i].name) == 0) {
                rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s", ks[i].name);
                goto fail;
            }
        if (snprintf(ks[i].dir, sizeof ks[i].dir, "%s/%s/%s", tmp, IKR_MERGE_KIOSKS, ks[i].name) >=
                (int)sizeof ks[i].dir ||
            mkdir(ks[i].dir, 0700) != 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", ks[i].dir, strerror(errno));
            goto fail;
        }
        /*
         * The most each file may hold, as its readers bound it: records.jsonl
         * a line of at most IKR_BUNDLE_MAX_LINE a record, roster.csv a row of
         * at most IKR_CSV_MAX_ROW (and the header), roster.pdf (never read
         * back) a generous page's worth a record.
         */
        uint64_t recs = b.size < (UINT64_C(1) << 32) ? b.size : (UINT64_C(1) << 32);
        const uint64_t most[] = {IKR_MAX_NOTE,
                                 IKR_MAX_VKEY_LINE + 2,
                                 recs * (IKR_BUNDLE_MAX_LINE + 1),
                                 3 + (recs + 1) * (IKR_CSV_MAX_ROW + 2),
                                 (UINT64_C(64) << 20) + recs * (UINT64_C(256) << 10),
                                 IKR_MAX_DECL,
                                 IKR_BUNDLE_MAX_EVENT};
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            if (snprintf(p, sizeof p, "%s/%s", paths[i], files[f]) >= (int)sizeof p ||
                snprintf(q, sizeof q, "%s/%s", ks[i].dir, files[f]) >= (int)sizeof q) {
                rc = ikr_err_set(e, IKR_E_IO, "a folder's name is too long");
                goto fail;
            }
            /* roster.pdf is the one file a bundle may lack (an export without a PDF). */
            if ((rc = copy_file(p, q, strcmp(files[f], IKR_BUNDLE_PDF) == 0, most[f], e)))
                goto fail;
        }
        if ((rc = ikr_audit_bundle(ks[i].dir, threads, &rep, &inner))) {
            *e = inner;
            snprintf(e->detail, sizeof e->detail, "%.60s: %.130s", paths[i], inner.detail);
            goto fail;
        }
        /*
         * The name came from the original's checkpoint, the audit read the
         * copy's: a bundle swapped while it was copied must not land under
         * another kiosk's name (the merged bundle would fail its own audit).
         */
        if ((rc = ikr_bundle_open(&b, ks[i].dir, &inner)) || strcmp(ikr_bundle_kiosk_of(b.origin), ks[i].name) != 0) {
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s changed while it was being copied", paths[i]);
            goto fail;
        }
        memcpy(events[i], rep.event, sizeof events[i]);
        if ((rc = ikr_bundle_load_event(ks[i].dir, &ev, &decl, NULL, e)))
            goto fail;
        ks[i].zone = ev.zone_min;
        /* One event has one declaration: every kiosk's signers read the same text. */
        ikr_sha256(ks[i].decl_hash, decl.p, decl.len);
        if (i > 0 && memcmp(ks[i].decl_hash, ks[0].decl_hash, IKR_HASH_LEN) != 0) {
            rc = ikr_err_set(e, IKR_E_MERGE_EVENT, "%s: its declaration differs from %s's", paths[i], paths[0]);
            goto fail;
        }
    }
    if ((rc = one_event(ks, n, events, paths, e)))
        goto fail;
    /* Kiosks in name order, in kiosks/ and in the roster alike. */
    qsort(ks, n, sizeof *ks, kiosk_cmp);

    if ((rc = ikr_bundle_file_open(&csv, tmp, IKR_BUNDLE_CSV, e)))
        goto fail;
    px.nslot = 4 * IKR_ROSTER_PDF_MAX_UNITS;
    if (!(px.names = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *px.names)) ||
        !(px.count = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *px.count)) ||
        !(px.slot = calloc(px.nslot, sizeof *px.slot))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto fail;
    }
    rows_ctx rx = {ks, sep, 0, &l, &rows, &csv, NULL, &px};
    if (ikr_buf_add(&rows, "\xEF\xBB\xBF", 3) || ikr_bundle_csv_row(&rows, ikr_bundle_csv_header, sep)) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto fail;
    }
    if ((rc = each_record(ks, n, row_of, &rx, e)) || (rc = flush_rows(&rx, e)) ||
        (rc = ikr_bundle_file_close(&csv, rc, e)))
        goto fail;
    st->records = rx.no;
    if ((rc = duplicates_csv(&dups, ks, n, &l, sep, &st->duplicate_nips, e)))
        goto fail;
    if ((rc = ikr_bundle_file_new(tmp, IKR_MERGE_DUPLICATES, dups.p, dups.len, e)))
        goto fail;
    /* The cover names the event as the first kiosk (in name order) has it. */
    snprintf(p, sizeof p, "%s/%s", tmp, IKR_BUNDLE_PDF);
    if ((rc = ikr_bundle_load_event(ks[0].dir, &ev, &decl, NULL, e)) ||
        (rc = merged_pdf(p, ks, n, &ev, &decl, &px, (int64_t)time(NULL), e)))
        goto fail;
    if (rename(tmp, out) != 0) {
        rc = ikr_err_set(e, errno == EEXIST || errno == ENOTEMPTY ? IKR_E_BUNDLE_EXISTS : IKR_E_IO, "%s: %s",
                         out, strerror(errno));
        goto fail;
    }
    st->kiosks = n;
    goto done;
fail:
    ikr_bundle_file_close(&csv, rc, e);
    ikr_file_remove_tree(tmp);
done:
    free(ks);
    free(events);
    free(l.v);
    free(px.v);
    free(px.names);
    free(px.count);
    free(px.slot);
    ikr_buf_free(&rows);
    ikr_buf_free(&dups);
    ikr_buf_free(&decl);
    return rc;
}

/* ---- auditing a merged bundle ---- */

int ikr_merge_audit(const char *dir, int threads, const ikr_vkey *trusted, size_t ntrusted,
                    uint64_t *records, size_t *nkiosks, ikr_err *e)
{
    char p[PATH_MAX_ + 200];
    kiosk *ks = NULL;
    char (*events)[IKR_MAX_EVENT_ID + 1] = NULL;
    const char **names = NULL;
    size_t nk = 0, cap = 0;
    locs l = {NULL, 0, 0};
    ikr_csv_file cf;
    ikr_buf want, have;
    DIR *d;
    struct dirent *de;
    int rc = IKR_OK, got;
    *records = 0;
    *nkiosks = 0;
    memset(&cf, 0, sizeof cf);
    ikr_buf_init(&want);
    ikr_buf_init(&have);
    snprintf(p, sizeof p, "%s/%s", dir, IKR_MERGE_KIOSKS);
    if (!(d = opendir(p)))
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: %s", p, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (nk == IKR_MERGE_MAX_BUNDLES) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "more than %d kiosks", IKR_MERGE_MAX_BUNDLES);
            break;
        }
        if (nk == cap) {
            size_t nc = cap ? cap * 2 : 8;
            kiosk *nks = realloc(ks, nc * sizeof *nks);
            if (!nks) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
                break;
            }
            ks = nks;
            cap = nc;
        }
        memset(&ks[nk], 0, sizeof ks[nk]);
        if (strlen(de->d_name) >= sizeof ks[nk].name) {
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "kiosks/ holds a folder whose name is too long");
            break;
        }
        /*
         * merge names each folder after its kiosk, so anything else was put
         * there by hand.  Refused before its name is ever printed: a newline
         * or an escape sequence in it would forge lines on the terminal.
         */
        if (!ikr_kiosk_name_ok(de->d_name)) {
            char shown[64];
            size_t k = 0;
            for (const char *q = de->d_name; *q && k + 1 < sizeof shown; q++)
                shown[k++] = (unsigned char)*q < 0x20 || *q == 0x7F ? '?' : *q;
            shown[k] = '\0';
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "kiosks/%s is not named as a kiosk", shown);
            break;
        }
        memcpy(ks[nk].name, de->d_name, strlen(de->d_name) + 1);
        if (snprintf(ks[nk].dir, sizeof ks[nk].dir, "%s/%s/%s", dir, IKR_MERGE_KIOSKS, de->d_name) >=
            (int)sizeof ks[nk].dir) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "a folder's name is too long");
            break;
        }
        nk++;
    }
    closedir(d);
    if (rc)
        goto out;
    if (nk == 0) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s holds no kiosk", p);
        goto out;
    }
    qsort(ks, nk, sizeof *ks, kiosk_cmp);
    if (!(events = calloc(nk, sizeof *events)) || !(names = calloc(nk, sizeof *names))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto out;
    }
    for (size_t i = 0; i < nk; i++) {
        ikr_audit_report rep;
        ikr_bundle b;
        ikr_err inner;
        ikr_err_clear(&inner);
        names[i] = ks[i].dir;
        if ((rc = ikr_audit_bundle(ks[i].dir, threads, &rep, &inner))) {
            *e = inner;
            snprintf(e->detail, sizeof e->detail, "kiosks/%.60s: %.120s", ks[i].name, inner.detail);
            goto out;
        }
        /* The folder's name must be the kiosk its log names. */
        if ((rc = ikr_bundle_open(&b, ks[i].dir, e)))
            goto out;
        if (strcmp(ikr_bundle_kiosk_of(b.origin), ks[i].name) != 0) {
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "kiosks/%s holds the log of %s", ks[i].name, b.origin);
            goto out;
        }
        int ok = trusted == NULL;
        for (size_t k = 0; k < ntrusted; k++)
            if (strcmp(trusted[k].name, b.vkey.name) == 0 && memcmp(trusted[k].pub, b.vkey.pub, IKR_PUB_LEN) == 0)
                ok = 1;
        if (!ok) {
            rc = ikr_err_set(e, IKR_E_AUDIT_KEY, "%s", b.vkey.name);
            goto out;
        }
        memcpy(events[i], rep.event, sizeof events[i]);
        ikr_bundle_event ev;
        ikr_buf decl;
        ikr_buf_init(&decl);
        rc = ikr_bundle_load_event(ks[i].dir, &ev, &decl, NULL, e);
        ikr_buf_free(&decl);
        if (rc)
            goto out;
        ks[i].zone = ev.zone_min;
    }
    if ((rc = one_event(ks, nk, events, names, e)))
        goto out;

    /* The merged roster.csv, row for row. */
    snprintf(p, sizeof p, "%s/%s", dir, IKR_BUNDLE_CSV);
    if ((rc = ikr_csv_file_open(&cf, p, e))) {
        rc = e->code = rc == IKR_E_IO ? IKR_E_BUNDLE_FILE : rc;
        goto out;
    }
    {
        ikr_err ce;
        ikr_err_clear(&ce);
        int bad = ikr_csv_file_next(&cf, &got, &ce) || !got || cf.row.nf != IKR_CSV_COLS;
        for (int i = 0; !bad && i < IKR_CSV_COLS; i++)
            bad = strcmp(ikr_csv_get(&cf.row, (size_t)i), ikr_bundle_csv_header[i]) != 0;
        if (bad) {
            /* No record to name: "does not match record 0" would say nothing. */
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "the merged roster.csv has no roster header row");
            goto out;
        }
    }
    rows_ctx rx = {ks, cf.rd.sep, 0, &l, NULL, NULL, &cf, NULL};
    if ((rc = each_record(ks, nk, row_of, &rx, e)))
        goto out;
    {
        ikr_err ce;
        ikr_err_clear(&ce);
        int blank;
        if (ikr_csv_file_rest_blank(&cf, &blank, &ce) || !blank) {
            ikr_err_set(e, IKR_E_BUNDLE_CSV, "the merged roster.csv has a row for no record (line %llu)",
                        (unsigned long long)cf.row.line);
            rc = ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)rx.no + 1, 0); /* as a kiosk's audit says it */
            goto out;
        }
    }
    /* duplicates.csv, byte for byte. */
    if ((rc = duplicates_csv(&want, ks, nk, &l, cf.rd.sep, &(uint64_t){0}, e)))
        goto out;
    snprintf(p, sizeof p, "%s/%s", dir, IKR_MERGE_DUPLICATES);
    int dfd;
    if ((rc = ikr_bundle_open_read(p, 0, &dfd, e)))
        goto out;
    FILE *f = fdopen(dfd, "rb");
    if (!f) {
        close(dfd);
        rc = ikr_err_set(e, IKR_E_NOMEM, "%s", p);
        goto out;
    }
    if (ikr_buf_reserve(&have, want.len + 1)) {
        fclose(f);
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto out;
    }
    have.len = fread(have.p, 1, want.len + 1, f);
    fclose(f);
    if (have.len != want.len || memcmp(have.p, want.p, want.len) != 0) {
        size_t line = 1;
        for (size_t i = 0; i < have.len && i < want.len && have.p[i] == want.p[i]; i++)
            line += have.p[i] == '\n';
        rc = ikr_err_set(e, IKR_E_MERGE_DUPLICATES, "line %zu", line);
        goto out;
    }
    *records = rx.no;
    *nkiosks = nk;
out:
    ikr_csv_file_close(&cf);
    free(ks);
    free(events);
    free(names);
    free(l.v);
    ikr_buf_free(&want);
    ikr_buf_free(&have);
    return rc;
}
