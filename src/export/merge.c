/*
 * merge.c: one event's kiosks joined in one roster (see merge.h).
 *
 * Merging copies each bundle first and audits the copy, so what is merged
 * is exactly what was audited.  The merged roster.csv and duplicates.csv
 * are then derived in passes over the copies' records.jsonl, which are
 * decoded but not verified again: the audit just did that.  The passes
 * are the core's (merged.c), which audits a merged bundle with them; only
 * writing is here, so an auditor links nothing that draws the PDF.
 */
#include "ikrar/merge.h"
#include "ikrar/clock.h"

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
#include "ikrar/cose.h"
#include "ikrar/csv.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/hash.h"
#include "ikrar/ink.h"
#include "ikrar/merged.h"
#include "ikrar/note.h"
#include "ikrar/record.h"
#include "ikrar/roster_pdf.h"

/*
 * The merged roster.pdf lists records by unit, across kiosks: pass 1 notes
 * each record's unit, kiosk, seq and place in its file (24 bytes a record),
 * the notes are sorted, and the PDF reads the records back in that order.
 */
typedef struct pdf_entry {
    uint32_t unit; /* index into names, then its rank in name order */
    uint32_t kiosk;
    uint64_t seq, off;
} pdf_entry;

typedef struct pdf_index {
    pdf_entry *v;
    size_t n, cap;
    char (*names)[IKR_MAX_UNIT + 1];
    uint64_t *count;
    size_t n_names;
    uint32_t *slot; /* open addressing over names: index + 1, 0 empty */
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
static int merged_pdf(const char *path, const ikr_merged_kiosk *ks, size_t nk,
                      const ikr_bundle_event *ev, const ikr_buf *decl, pdf_index *x, int64_t now,
                      ikr_err *e)
{
    named *nm = NULL;
    uint32_t *rank = NULL;
    ikr_roster_pdf_unit *units = NULL;
    ikr_roster_pdf_kiosk *pk = NULL;
    ikr_bundle *b = NULL;
    ikr_bundle_reader *rd = NULL;
    char(*vk)[IKR_MAX_VKEY_LINE + 1] = NULL;
    ikr_roster_pdf *pdf = NULL;
    ikr_bundle_rec r;
    ikr_ink ink;
    int rc = IKR_OK;
    size_t opened = 0;
    ikr_bundle_rec_init(&r);
    ikr_ink_init(&ink);
    if (!(nm = calloc(x->n_names + 1, sizeof *nm)) ||
        !(rank = calloc(x->n_names + 1, sizeof *rank)) ||
        !(units = calloc(x->n_names + 1, sizeof *units)) || !(pk = calloc(nk, sizeof *pk)) ||
        !(b = calloc(nk, sizeof *b)) || !(rd = calloc(nk, sizeof *rd)) ||
        !(vk = calloc(nk, sizeof *vk))) {
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
        if ((rc = ikr_bundle_open(&b[k], ks[k].dir, e)) ||
            (rc = ikr_bundle_reader_open(&rd[k], &b[k], e)))
            goto out;
        ikr_buf line;
        ikr_buf_init(&line);
        int bad =
            ikr_vkey_format(&line, b[k].vkey.name, b[k].vkey.pub) || line.len > IKR_MAX_VKEY_LINE;
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
    ikr_roster_pdf_doc doc = {ev->title,    ev->event, ev->organizer,
                              ev->place,    ev->when,  (const char *)decl->p,
                              decl->len,    {0},       pk,
                              nk,           units,     x->n_names,
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
        if (ikr_cose_parse(&cs, r.cose.p, r.cose.len) ||
            ikr_record_decode(&c, cs.payload, cs.payload_len)) {
            rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)en->seq, 0);
            break;
        }
        ikr_ink_free(&ink);
        int inked = r.has_ink && ikr_ink_decode(&ink, r.ink.p, r.ink.len) == 0;
        ikr_roster_pdf_entry row = {c.seq,
                                    ks[en->kiosk].name,
                                    c.t,
                                    c.who.name,
                                    ikr_status_name(c.who.status),
                                    c.who.nip,
                                    c.who.pos,
                                    c.who.unit,
                                    inked ? &ink : NULL};
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

/* Pass 1: the merged roster.csv rows, where each NIP signed, and where each record goes in the PDF.
 */
typedef struct rows_ctx {
    const ikr_merged_kiosk *ks;
    char sep;
    uint64_t no;
    ikr_merged_nips *nips;
    ikr_buf *out;          /* rows are appended here... */
    ikr_bundle_file *file; /* ...and flushed to this file */
    struct pdf_index *units;
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
    int rc;
    x->no++;
    if (pdf_note(x->units, k, c, off))
        return x->units->n_names >= IKR_ROSTER_PDF_MAX_UNITS
                   ? ikr_err_set(e, IKR_E_INTERNAL, "more than %d work units",
                                 IKR_ROSTER_PDF_MAX_UNITS)
                   : ikr_err_set(e, IKR_E_NOMEM, "merge");
    if ((rc = ikr_merged_nips_add(x->nips, k, c, e)))
        return rc;
    const char *cells[IKR_CSV_COLS];
    char store[IKR_BUNDLE_CELLS];
    ikr_bundle_csv_cells(cells, store, x->no, c, x->ks[k].name, x->ks[k].zone);
    if (ikr_bundle_csv_row(x->out, cells, x->sep))
        return ikr_err_set(e, IKR_E_NOMEM, "merge");
    return x->out->len > (1u << 20) ? flush_rows(x, e) : IKR_OK;
}

/* ---- files ---- */

/* Writes p[0..n) to fd (named to); a full disk is IKR_E_DISK_FULL. */
static int put_all(int fd, const void *p, size_t n, const char *to, ikr_err *e)
{
    const uint8_t *q = p;
    while (n > 0) {
        ssize_t k = write(fd, q, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return ikr_err_set(
                e, k < 0 && errno != ENOSPC && errno != EDQUOT ? IKR_E_IO : IKR_E_DISK_FULL, "%s",
                to);
        q += k;
        n -= (size_t)k;
    }
    return IKR_OK;
}

/* Creates to (new, 0600) for a copy; ends by closing (and syncing) it. */
static int copy_open(const char *to, int *out, ikr_err *e)
{
    if ((*out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", to,
                           strerror(errno));
    return IKR_OK;
}

static int copy_close(int in, int out, const char *to, int rc, ikr_err *e)
{
    if (rc == IKR_OK && fsync(out) != 0)
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", to, strerror(errno));
    close(in);
    if (close(out) != 0 && rc == IKR_OK)
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", to, strerror(errno));
    return rc;
}

static int too_large(const char *from, uint64_t max, ikr_err *e)
{
    return ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: larger than %llu bytes", from,
                       (unsigned long long)max);
}

/*
 * Copies from to to, at most max bytes.  The bundle is untrusted: only a
 * regular file is copied (a FIFO would block, /dev/zero would fill the
 * disk), and no file may hold more than its readers could ever take (a
 * sparse file of a terabyte is regular too): one larger than max is refused
 * before a byte is copied, and one that grows past it while copied, then.
 */
static int copy_file(const char *from, const char *to, int optional, uint64_t max, ikr_err *e)
{
    char buf[1 << 16];
    uint64_t total = 0;
    struct stat st;
    int in, out, rc = IKR_OK;
    /* No symlinks: roster.pdf -> ~/.ssh/id_rsa would be copied into a bundle handed to auditors. */
    if ((rc = ikr_bundle_open_read(from, 1, &in, e))) {
        if (optional && errno == ENOENT) {
            ikr_err_clear(e);
            return IKR_OK;
        }
        return rc;
    }
    if (fstat(in, &st) == 0 && (uint64_t)st.st_size > max) {
        close(in);
        return too_large(from, max, e);
    }
    if ((rc = copy_open(to, &out, e))) {
        close(in);
        return rc;
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
            rc = too_large(from, max, e);
            break;
        }
        if ((rc = put_all(out, buf, (size_t)n, to, e)))
            break;
    }
    return copy_close(in, out, to, rc, e);
}

/*
 * Copies records.jsonl from to to a line at a time, each line written only
 * once it has parsed (ikr_bundle_parse_line) and is the next in order within
 * the checkpoint's size, and sets *lines to the lines copied.  What is
 * copied is then bounded by what the file really holds, not by what its own
 * (untrusted) checkpoint claims: a sparse file of zeros is refused at its
 * first IKR_BUNDLE_MAX_LINE bytes, with nothing written.
 */
static int copy_records(const char *from, const char *to, const ikr_bundle *b, uint64_t *lines,
                        ikr_err *e)
{
    uint64_t n = 0;
    struct stat st;
    int in, out, rc;
    const uint64_t most = (uint64_t)IKR_BUNDLE_MAX_RECORDS * (IKR_BUNDLE_MAX_LINE + 1);
    *lines = 0;
    if ((rc = ikr_bundle_open_read(from, 1, &in, e)))
        return rc;
    if (fstat(in, &st) == 0 && (uint64_t)st.st_size > most) {
        close(in);
        return too_large(from, most, e);
    }
    if ((rc = copy_open(to, &out, e))) {
        close(in);
        return rc;
    }
    uint8_t *io = malloc(1 << 16);
    ikr_buf line;
    ikr_bundle_rec r;
    ikr_buf_init(&line);
    ikr_bundle_rec_init(&r);
    if (!io)
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
    while (rc == IKR_OK) {
        ssize_t k = read(in, io, 1 << 16);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", from, strerror(errno));
            break;
        }
        if (k == 0)
            break;
        for (size_t pos = 0; pos < (size_t)k && rc == IKR_OK;) {
            const uint8_t *p = io + pos, *nl = memchr(p, '\n', (size_t)k - pos);
            size_t span = nl ? (size_t)(nl - p) : (size_t)k - pos;
            if (line.len + span > IKR_BUNDLE_MAX_LINE) {
                ikr_err_set(e, IKR_E_BUNDLE_LINE, "%s: line %llu is longer than %u bytes", from,
                            (unsigned long long)n + 1, IKR_BUNDLE_MAX_LINE);
                rc = ikr_err_at(e, IKR_E_BUNDLE_LINE, (int64_t)n + 1, 0);
                break;
            }
            if (span && ikr_buf_add(&line, p, span)) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
                break;
            }
            pos += span;
            if (!nl)
                break;
            pos++;
            ikr_err le;
            ikr_err_clear(&le);
            if (n >= IKR_BUNDLE_MAX_RECORDS) {
                rc = ikr_err_set(e, IKR_E_BUNDLE_SIZE, "%s: more than %u records", from,
                                 IKR_BUNDLE_MAX_RECORDS);
            } else if (line.len == 0) { /* and line.p may be NULL: never handed on */
                ikr_err_set(e, IKR_E_BUNDLE_LINE, "%s: line %llu is empty", from,
                            (unsigned long long)n + 1);
                rc = ikr_err_at(e, IKR_E_BUNDLE_LINE, (int64_t)n + 1, 0);
            } else if ((rc = ikr_bundle_parse_line(&r, (const char *)line.p, line.len, &le))) {
                ikr_err_set(e, rc, "%s: line %llu: %s", from, (unsigned long long)n + 1, le.detail);
                rc = ikr_err_at(e, rc, (int64_t)n + 1, 0);
            } else if ((rc = ikr_bundle_in_order(b, r.seq, n + 1, e)) == IKR_OK &&
                       (rc = ikr_buf_addc(&line, '\n') ? ikr_err_set(e, IKR_E_NOMEM, "merge")
                                                       : IKR_OK) == IKR_OK &&
                       (rc = put_all(out, line.p, line.len, to, e)) == IKR_OK) {
                n++;
                ikr_buf_reset(&line);
            }
        }
    }
    if (rc == IKR_OK && line.len > 0) {
        ikr_err_set(e, IKR_E_BUNDLE_LINE, "%s: line %llu has no line end: the file was cut short",
                    from, (unsigned long long)n + 1);
        rc = ikr_err_at(e, IKR_E_BUNDLE_LINE, (int64_t)n + 1, 0);
    }
    free(io);
    ikr_buf_free(&line);
    ikr_bundle_rec_free(&r);
    *lines = n;
    return copy_close(in, out, to, rc, e);
}

/* The most bytes file f (of ikr_merge's files[]) may hold for a bundle of recs records. */
static uint64_t most_of(size_t f, uint64_t recs)
{
    /* records.jsonl: a line of at most IKR_BUNDLE_MAX_LINE a record; roster.csv: a row of at
       most IKR_CSV_MAX_ROW (and the header); roster.pdf (never read back): a page's worth. */
    const uint64_t most[] = {IKR_MAX_NOTE,
                             IKR_MAX_VKEY_LINE + 2,
                             recs * (IKR_BUNDLE_MAX_LINE + 1),
                             3 + (recs + 1) * (IKR_CSV_MAX_ROW + 2),
                             IKR_BUNDLE_PDF_BASE + recs * IKR_BUNDLE_PDF_PER,
                             IKR_MAX_DECL,
                             IKR_BUNDLE_MAX_EVENT};
    return most[f];
}

int ikr_merge(const char *out, const char *const *paths, size_t n, char sep, int threads,
              ikr_merge_stats *st, ikr_err *e)
{
    return ikr_merge_checked(out, paths, n, sep, threads, NULL, NULL, st, e);
}

int ikr_merge_checked(const char *out, const char *const *paths, size_t n, char sep, int threads,
                      ikr_merge_check_fn check, void *check_ctx, ikr_merge_stats *st, ikr_err *e)
{
    static const char *const files[] = {IKR_BUNDLE_CHECKPOINT, IKR_BUNDLE_VKEY, IKR_BUNDLE_RECORDS,
                                        IKR_BUNDLE_CSV,        IKR_BUNDLE_PDF,  IKR_BUNDLE_DECL,
                                        IKR_BUNDLE_EVENT};
    char tmp[IKR_MERGED_MAX_PATH], p[IKR_MERGED_MAX_PATH + 200], q[IKR_MERGED_MAX_PATH + 200];
    ikr_merged_kiosk *ks = NULL;
    char(*events)[IKR_MAX_EVENT_ID + 1] = NULL;
    uint8_t decl0[IKR_HASH_LEN], decl_hash[IKR_HASH_LEN];
    ikr_merged_nips l;
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
    ikr_merged_nips_init(&l);
    ikr_buf_init(&rows);
    ikr_buf_init(&dups);
    ikr_buf_init(&decl);
    if (!(ks = calloc(n, sizeof *ks)) || !(events = calloc(n, sizeof *events))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto done;
    }
    snprintf(tmp, sizeof tmp, "%s.partial-%ld", out, (long)getpid());
    snprintf(p, sizeof p, "%s/%s", tmp, IKR_MERGED_KIOSKS);
    if (mkdir(tmp, 0700) != 0) {
        /* Name the folder asked for, not our hidden one: its parent is what is missing. */
        int err = errno;
        rc = ikr_err_set(e, err == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", out,
                         err == ENOENT || err == ENOTDIR ? "the folder to put it in does not exist"
                                                         : strerror(err));
        goto done;
    }
    if (mkdir(p, 0700) != 0) {
        rc = ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", p,
                         strerror(errno));
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
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s: the log %s names no kiosk", paths[i],
                             b.origin);
            goto fail;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(ks[j].name, ks[i].name) == 0) {
                rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s", ks[i].name);
                goto fail;
            }
        if (snprintf(ks[i].dir, sizeof ks[i].dir, "%s/%s/%s", tmp, IKR_MERGED_KIOSKS, ks[i].name) >=
                (int)sizeof ks[i].dir ||
            mkdir(ks[i].dir, 0700) != 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", ks[i].dir, strerror(errno));
            goto fail;
        }
        /*
         * Nothing is copied before every file is known to be within what
         * the checkpoint's size allows (a checkpoint claiming more than a
         * bundle may hold is refused at once); then records.jsonl is copied
         * line by line, and roster.csv and roster.pdf are bounded by the
         * records really copied, not by the number the checkpoint claims.
         */
        if (b.size > IKR_BUNDLE_MAX_RECORDS) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_SIZE,
                             "%s: its checkpoint claims %llu records, more "
                             "than a bundle may hold (%u)",
                             paths[i], (unsigned long long)b.size, IKR_BUNDLE_MAX_RECORDS);
            goto fail;
        }
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            if (snprintf(p, sizeof p, "%s/%s", paths[i], files[f]) >= (int)sizeof p) {
                rc = ikr_err_set(e, IKR_E_IO, "a folder's name is too long");
                goto fail;
            }
            if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) &&
                (uint64_t)sb.st_size > most_of(f, b.size)) {
                rc = too_large(p, most_of(f, b.size), e);
                goto fail;
            }
        }
        uint64_t copied = 0;
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            if (snprintf(p, sizeof p, "%s/%s", paths[i], files[f]) >= (int)sizeof p ||
                snprintf(q, sizeof q, "%s/%s", ks[i].dir, files[f]) >= (int)sizeof q) {
                rc = ikr_err_set(e, IKR_E_IO, "a folder's name is too long");
                goto fail;
            }
            if (strcmp(files[f], IKR_BUNDLE_RECORDS) == 0)
                rc = copy_records(p, q, &b, &copied, e);
            else /* roster.pdf is the one file a bundle may lack (an export without a PDF) */
                rc = copy_file(p, q, strcmp(files[f], IKR_BUNDLE_PDF) == 0, most_of(f, copied), e);
            if (rc)
                goto fail;
        }
        if ((rc = ikr_audit_bundle(ks[i].dir, threads, &rep, &inner))) {
            *e = inner;
            snprintf(e->detail, sizeof e->detail, "%.60s: %.130s", paths[i], inner.detail);
            goto fail;
        }
        /* The trust check reads the copy that was audited, never the original again. */
        if (check && (rc = check(check_ctx, ks[i].dir, &inner))) {
            *e = inner;
            snprintf(e->detail, sizeof e->detail, "%.60s: %.130s", paths[i], inner.detail);
            goto fail;
        }
        /*
         * The name came from the original's checkpoint, the audit read the
         * copy's: a bundle swapped while it was copied must not land under
         * another kiosk's name (the merged bundle would fail its own audit).
         */
        if ((rc = ikr_bundle_open(&b, ks[i].dir, &inner)) ||
            strcmp(ikr_bundle_kiosk_of(b.origin), ks[i].name) != 0) {
            rc =
                ikr_err_set(e, IKR_E_MERGE_KIOSK, "%s changed while it was being copied", paths[i]);
            goto fail;
        }
        memcpy(events[i], rep.event, sizeof events[i]);
        if ((rc = ikr_bundle_load_event(ks[i].dir, &ev, &decl, NULL, e)))
            goto fail;
        ks[i].zone = ev.zone_min;
        /* One event has one declaration: every kiosk's signers read the same text. */
        ikr_sha256(i == 0 ? decl0 : decl_hash, decl.p, decl.len);
        if (i > 0 && memcmp(decl_hash, decl0, IKR_HASH_LEN) != 0) {
            rc = ikr_err_set(e, IKR_E_MERGE_EVENT, "%s: its declaration differs from %s's",
                             paths[i], paths[0]);
            goto fail;
        }
    }
    if ((rc = ikr_merged_one_event(ks, n, events, paths, e)))
        goto fail;
    /* Kiosks in name order, in kiosks/ and in the roster alike. */
    ikr_merged_sort(ks, n);

    if ((rc = ikr_bundle_file_open(&csv, tmp, IKR_BUNDLE_CSV, e)))
        goto fail;
    px.nslot = 4 * IKR_ROSTER_PDF_MAX_UNITS;
    if (!(px.names = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *px.names)) ||
        !(px.count = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *px.count)) ||
        !(px.slot = calloc(px.nslot, sizeof *px.slot))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto fail;
    }
    rows_ctx rx = {ks, sep, 0, &l, &rows, &csv, &px};
    if (ikr_buf_add(&rows, "\xEF\xBB\xBF", 3) ||
        ikr_bundle_csv_row(&rows, ikr_bundle_csv_header, sep)) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
        goto fail;
    }
    if ((rc = ikr_merged_each_record(ks, n, row_of, &rx, e)) || (rc = flush_rows(&rx, e)) ||
        (rc = ikr_bundle_file_close(&csv, rc, e)))
        goto fail;
    st->records = rx.no;
    if ((rc = ikr_merged_duplicates_csv(&dups, ks, n, &l, sep, &st->duplicate_nips, e)))
        goto fail;
    if ((rc = ikr_bundle_file_new(tmp, IKR_MERGED_DUPLICATES, dups.p, dups.len, e)))
        goto fail;
    /* The cover names the event as the first kiosk (in name order) has it. */
    snprintf(p, sizeof p, "%s/%s", tmp, IKR_BUNDLE_PDF);
    if ((rc = ikr_bundle_load_event(ks[0].dir, &ev, &decl, NULL, e)) ||
        (rc = merged_pdf(p, ks, n, &ev, &decl, &px, (int64_t)ikr_clock_now(), e)))
        goto fail;
    if ((rc = ikr_bundle_publish(tmp, out, e)))
        goto fail;
    st->kiosks = n;
    goto done;
fail:
    ikr_bundle_file_close(&csv, rc, e);
    ikr_file_remove_tree(tmp);
done:
    free(ks);
    free(events);
    ikr_merged_nips_free(&l);
    free(px.v);
    free(px.names);
    free(px.count);
    free(px.slot);
    ikr_buf_free(&rows);
    ikr_buf_free(&dups);
    ikr_buf_free(&decl);
    return rc;
}
