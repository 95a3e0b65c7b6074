/*
 * export.c: writing the roster bundle (docs/formats.md §8) from a kiosk's log.
 *
 * records.jsonl is written by hand, not by a JSON library: the lines are
 * flat and ours, and the only text in them that comes from people (names,
 * positions, units) is escaped here.
 */
#include "ikrar/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ikrar/audit.h"
#include "ikrar/base64.h"
#include "ikrar/bundle.h"
#include "ikrar/cose.h"
#include "ikrar/csv.h"
#include "ikrar/file.h"
#include "ikrar/hash.h"
#include "ikrar/merkle.h"
#include "ikrar/record.h"
#include "ikrar/roster.h"
#include "ikrar/roster_pdf.h"
#include "ikrar/station.h"
#include "ikrar/zone.h"

/* ---- writing a bundle ---- */

static int path_join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static int io_fail(const ikr_bundle_file *f, int err, ikr_err *e)
{
    return ikr_err_set(e, err == ENOSPC || err == EDQUOT ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s",
                       f->path, strerror(err));
}

int ikr_bundle_file_open(ikr_bundle_file *f, const char *dir, const char *name, ikr_err *e)
{
    f->fd = -1;
    if (path_join(f->path, sizeof f->path, dir, name))
        return ikr_err_set(e, IKR_E_IO, "the folder's name is too long");
    if ((f->fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return io_fail(f, errno, e);
    return IKR_OK;
}

int ikr_bundle_file_write(ikr_bundle_file *f, const void *p, size_t n, ikr_err *e)
{
    const uint8_t *q = p;
    while (n > 0) {
        ssize_t k = write(f->fd, q, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return io_fail(f, k < 0 ? errno : ENOSPC, e);
        q += k;
        n -= (size_t)k;
    }
    return IKR_OK;
}

int ikr_bundle_file_close(ikr_bundle_file *f, int rc, ikr_err *e)
{
    if (f->fd < 0)
        return rc;
    if (rc == IKR_OK && fsync(f->fd) != 0)
        rc = io_fail(f, errno, e);
    if (close(f->fd) != 0 && rc == IKR_OK)
        rc = io_fail(f, errno, e);
    f->fd = -1;
    return rc;
}

int ikr_bundle_publish(const char *tmp, const char *out, ikr_err *e)
{
    (void)ikr_file_sync_dir(tmp); /* best effort: every file in it is synced already */
    if (rename(tmp, out) != 0)
        return ikr_err_set(e,
                           errno == EEXIST || errno == ENOTEMPTY ? IKR_E_BUNDLE_EXISTS : IKR_E_IO,
                           "%s: %s", out, strerror(errno));
    (void)ikr_file_sync_parent(out); /* the rename must survive a power cut too */
    return IKR_OK;
}

int ikr_bundle_file_new(const char *dir, const char *name, const void *p, size_t n, ikr_err *e)
{
    ikr_bundle_file f;
    int rc = ikr_bundle_file_open(&f, dir, name, e);
    if (rc == IKR_OK)
        rc = ikr_bundle_file_write(&f, p, n, e);
    return ikr_bundle_file_close(&f, rc, e);
}

/*
 * Streams records 1..size into dir/records.jsonl and dir/roster.csv,
 * checking that they give root.
 */
static int write_records(ikr_station *s, const char *dir, uint64_t size,
                         const uint8_t root[IKR_HASH_LEN], char sep, ikr_bundle_stats *st,
                         ikr_err *e)
{
    const ikr_event_info *info = ikr_station_event(s);
    ikr_log *lg = ikr_station_log(s); /* read only, in one snapshot */
    ikr_log_row *rows = NULL;
    ikr_merkle_edge *edge = NULL;
    ikr_buf line, csv;
    ikr_bundle_file jf = {-1, ""}, cf = {-1, ""};
    uint8_t leaf[IKR_HASH_LEN], got_root[IKR_HASH_LEN];
    uint64_t expect = 1;
    int rc = IKR_OK, reading = 0;
    const char *kiosk = ikr_bundle_kiosk_of(info->origin);
    ikr_buf_init(&line);
    ikr_buf_init(&csv);
    if (!(rows = calloc(IKR_AUDIT_BATCH, sizeof *rows)) || !(edge = malloc(sizeof *edge))) {
        free(rows);
        return ikr_err_set(e, IKR_E_NOMEM, "export");
    }
    for (size_t i = 0; i < IKR_AUDIT_BATCH; i++)
        ikr_log_row_init(&rows[i]);
    ikr_merkle_edge_init(edge);
    if ((rc = ikr_bundle_file_open(&jf, dir, IKR_BUNDLE_RECORDS, e)) ||
        (rc = ikr_bundle_file_open(&cf, dir, IKR_BUNDLE_CSV, e)))
        goto out;
    /* A byte order mark, so spreadsheets read the names as UTF-8. */
    if ((rc = ikr_buf_add(&csv, "\xEF\xBB\xBF", 3)) ||
        (rc = ikr_bundle_csv_row(&csv, ikr_bundle_csv_header, sep))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "export");
        goto out;
    }
    if ((rc = ikr_log_read_begin(lg, e)))
        goto out;
    reading = 1;
    while (expect <= size) {
        size_t got = 0;
        if ((rc = ikr_log_scan(lg, expect - 1, rows, IKR_AUDIT_BATCH, IKR_AUDIT_BATCH_BYTES, &got,
                               e)))
            goto out;
        if (got == 0) {
            rc = ikr_err_at(e, IKR_E_AUDIT_MISSING, (int64_t)expect, 0);
            goto out;
        }
        ikr_buf_reset(&line);
        for (size_t i = 0; i < got && expect <= size; i++, expect++) {
            ikr_log_row *row = &rows[i];
            ikr_cose cose;
            ikr_claims c;
            const char *cells[IKR_CSV_COLS];
            char store[IKR_BUNDLE_CELLS];
            if (row->seq != expect) {
                rc = ikr_err_at(e, IKR_E_AUDIT_MISSING, (int64_t)expect, 0);
                goto out;
            }
            if (ikr_cose_parse(&cose, row->cose.p, row->cose.len) ||
                ikr_record_decode(&c, cose.payload, cose.payload_len)) {
                rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)expect, 0);
                goto out;
            }
            ikr_merkle_leaf(leaf, row->cose.p, row->cose.len);
            ikr_merkle_edge_push(edge, leaf, NULL, NULL);
            ikr_bundle_csv_cells(cells, store, c.seq, &c, kiosk, info->zone_min);
            if (ikr_bundle_record_line(&line, row->seq, row->cose.p, row->cose.len,
                                       row->has_ink ? row->ink.p : NULL, row->ink.len, &c) ||
                ikr_bundle_csv_row(&csv, cells, sep)) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "export");
                goto out;
            }
            if (st) {
                st->records++;
                st->inks += row->has_ink ? 1 : 0;
            }
        }
        /* One write a batch: the lines of up to IKR_AUDIT_BATCH records. */
        if ((rc = ikr_bundle_file_write(&jf, line.p, line.len, e)) ||
            (rc = ikr_bundle_file_write(&cf, csv.p, csv.len, e)))
            goto out;
        if (st)
            st->bytes += line.len;
        ikr_buf_reset(&csv);
        /* Keep the batch's memory bounded: let go of a slot that held a huge ink. */
        for (size_t i = 0; i < got; i++)
            if (rows[i].cose.cap + rows[i].ink.cap > IKR_AUDIT_SLOT_KEEP) {
                ikr_log_row_free(&rows[i]);
                ikr_log_row_init(&rows[i]);
            }
    }
    if (size == 0 && (rc = ikr_bundle_file_write(&cf, csv.p, csv.len, e)))
        goto out;
    ikr_merkle_edge_root(edge, got_root);
    if (memcmp(got_root, root, IKR_HASH_LEN) != 0) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_ROOT, "export");
        goto out;
    }
    if (st)
        memcpy(st->root, got_root, IKR_HASH_LEN);
out:
    if (reading)
        ikr_log_rollback(lg); /* ends the read snapshot */
    rc = ikr_bundle_file_close(&jf, rc, e);
    rc = ikr_bundle_file_close(&cf, rc, e);
    for (size_t i = 0; i < IKR_AUDIT_BATCH; i++)
        ikr_log_row_free(&rows[i]);
    free(rows);
    free(edge);
    ikr_buf_free(&line);
    ikr_buf_free(&csv);
    return rc;
}

/* ---- roster.pdf ---- */

typedef struct pdf_units {
    char (*name)[IKR_MAX_UNIT + 1];
    ikr_roster_pdf_unit *u;
    size_t n;
} pdf_units;

static int add_unit(void *ctx, const char *unit, uint64_t n)
{
    pdf_units *pu = ctx;
    if (pu->n == IKR_ROSTER_PDF_MAX_UNITS)
        return IKR_E_INTERNAL;
    snprintf(pu->name[pu->n], sizeof pu->name[0], "%s", unit);
    pu->u[pu->n].name = pu->name[pu->n];
    pu->u[pu->n].signed_n = n;
    pu->u[pu->n].expected = -1;
    pu->n++;
    return 0;
}

typedef struct pdf_rows {
    ikr_roster_pdf *pdf;
    const char *kiosk;
    ikr_ink ink;
    ikr_err *e;
} pdf_rows;

static int add_row(void *ctx, const ikr_log_row *row)
{
    pdf_rows *pr = ctx;
    ikr_cose cs;
    ikr_claims c;
    if (ikr_cose_parse(&cs, row->cose.p, row->cose.len) ||
        ikr_record_decode(&c, cs.payload, cs.payload_len))
        return ikr_err_at(pr->e, IKR_E_AUDIT_COSE, (int64_t)row->seq, 0);
    ikr_ink_free(&pr->ink);
    int inked = row->has_ink && ikr_ink_decode(&pr->ink, row->ink.p, row->ink.len) == 0;
    ikr_roster_pdf_entry en = {c.seq,
                               pr->kiosk,
                               c.t,
                               c.who.name,
                               ikr_status_name(c.who.status),
                               c.who.nip,
                               c.who.pos,
                               c.who.unit,
                               inked ? &pr->ink : NULL};
    return ikr_roster_pdf_row(pr->pdf, &en, pr->e);
}

/* Writes dir/roster.pdf: records 1..size by unit, on the cover the checkpoint (size, root) and key.
 */
static int write_pdf(ikr_station *s, const char *dir, uint64_t size,
                     const uint8_t root[IKR_HASH_LEN], const char *vkey, uint64_t now, ikr_err *e)
{
    const ikr_event_info *info = ikr_station_event(s);
    ikr_log *lg = ikr_station_log(s); /* read only, in one snapshot */
    char path[1200];
    pdf_units pu = {NULL, NULL, 0};
    ikr_roster_unit *ru = NULL;
    ikr_roster_totals tot;
    ikr_log_row row;
    pdf_rows pr = {NULL, ikr_bundle_kiosk_of(info->origin), {0}, e};
    int rc, reading = 0;
    ikr_log_row_init(&row);
    ikr_ink_init(&pr.ink);
    if (path_join(path, sizeof path, dir, IKR_BUNDLE_PDF))
        return ikr_err_set(e, IKR_E_IO, "the folder's name is too long");
    if (!(pu.name = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *pu.name)) ||
        !(pu.u = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *pu.u)) ||
        !(ru = calloc(IKR_ROSTER_PDF_MAX_UNITS, sizeof *ru))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "roster.pdf");
        goto out;
    }
    /* The roster's counts first: they take a snapshot of their own. */
    int roster = ikr_station_roster_stats(s, ru, IKR_ROSTER_PDF_MAX_UNITS, &tot, NULL) == IKR_OK &&
                 tot.has_roster;
    if ((rc = ikr_log_read_begin(lg, e)))
        goto out;
    reading = 1;
    if ((rc = ikr_log_units(lg, size, add_unit, &pu, e))) {
        if (rc == IKR_E_INTERNAL)
            ikr_err_set(e, rc, "more than %d work units", IKR_ROSTER_PDF_MAX_UNITS);
        goto out;
    }
    /* With a roster of expected signers, each unit's expected count beside its signed one. */
    if (roster) {
        for (size_t i = 0; i < pu.n; i++) {
            pu.u[i].expected = 0;
            for (size_t k = 0; k < tot.nunits; k++)
                if (strcmp(ru[k].unit, pu.name[i]) == 0)
                    pu.u[i].expected = (int64_t)ru[k].expected;
        }
    }
    ikr_roster_pdf_kiosk kiosk = {pr.kiosk, vkey, size, {0}};
    memcpy(kiosk.root, root, IKR_HASH_LEN);
    ikr_roster_pdf_doc doc = {
        info->title,    info->event, info->organizer, info->place, info->when, info->decl,
        info->decl_len, {0},         &kiosk,          1,           pu.u,       pu.n,
        info->zone_min, (int64_t)now};
    memcpy(doc.decl_hash, info->decl_hash, IKR_HASH_LEN);
    if ((rc = ikr_roster_pdf_begin(&pr.pdf, path, &doc, e)))
        goto out;
    if ((rc = ikr_log_each_by_unit(lg, size, &row, add_row, &pr, e))) {
        ikr_roster_pdf_abort(pr.pdf);
        goto out;
    }
    rc = ikr_roster_pdf_end(pr.pdf, e);
out:
    if (reading)
        ikr_log_rollback(lg);
    ikr_log_row_free(&row);
    ikr_ink_free(&pr.ink);
    free(pu.name);
    free(pu.u);
    free(ru);
    return rc;
}

int ikr_bundle_export(ikr_station *s, const char *out, const ikr_bundle_opts *o, uint64_t now,
                      ikr_bundle_stats *st, ikr_err *e)
{
    const ikr_event_info *info = ikr_station_event(s);
    char sep = o && o->csv_sep ? o->csv_sep : ',';
    char tmp[1100], origin[IKR_MAX_ORIGIN + 1];
    struct stat sb;
    ikr_buf note, vkey, event;
    uint64_t size;
    uint8_t root[IKR_HASH_LEN];
    int rc;
    if (st)
        memset(st, 0, sizeof *st);
    if (sep != ',' && sep != ';')
        return ikr_err_set(e, IKR_E_INTERNAL, "the CSV separator must be ',' or ';'");
    if (strlen(out) == 0 || strlen(out) > 1000)
        return ikr_err_set(e, IKR_E_IO, "the bundle folder's name is empty or too long");
    if (lstat(out, &sb) == 0)
        return ikr_err_set(e, IKR_E_BUNDLE_EXISTS, "%s", out);
    if (errno != ENOENT)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", out, strerror(errno));
    snprintf(tmp, sizeof tmp, "%s.partial-%ld", out, (long)getpid());
    if (mkdir(tmp, 0700) != 0) {
        /* Name the folder asked for, not our hidden one: its parent is what is missing. */
        int err = errno;
        return ikr_err_set(e, err == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", out,
                           err == ENOENT || err == ENOTDIR
                               ? "the folder to put it in does not exist"
                               : strerror(err));
    }
    ikr_buf_init(&note);
    ikr_buf_init(&vkey);
    ikr_buf_init(&event);
    /* The checkpoint first: it fixes the size and root the records must give. */
    if ((rc = ikr_station_checkpoint(s, now, &note, e)))
        goto fail;
    if (ikr_checkpoint_parse((const char *)note.p, note.len, origin, &size, root)) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "checkpoint");
        goto fail;
    }
    if ((rc = ikr_station_vkey(s, &vkey)) || (rc = ikr_buf_addc(&vkey, '\n'))) {
        rc = ikr_err_set(e, rc ? rc : IKR_E_NOMEM, "verifier key");
        goto fail;
    }
    ikr_buf_reset(&event);
    if (ikr_bundle_event_json_of(&event, info)) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "event.json");
        goto fail;
    }
    if ((rc = ikr_bundle_file_new(tmp, IKR_BUNDLE_DECL, info->decl, info->decl_len, e)) ||
        (rc = ikr_bundle_file_new(tmp, IKR_BUNDLE_EVENT, event.p, event.len, e)) ||
        (rc = ikr_bundle_file_new(tmp, IKR_BUNDLE_CHECKPOINT, note.p, note.len, e)) ||
        (rc = ikr_bundle_file_new(tmp, IKR_BUNDLE_VKEY, vkey.p, vkey.len, e)) ||
        (rc = write_records(s, tmp, size, root, sep, st, e)))
        goto fail;
    if (!(o && o->no_pdf)) {
        /* The key without its line end, for the cover page. */
        vkey.p[vkey.len - 1] = '\0';
        rc = write_pdf(s, tmp, size, root, (const char *)vkey.p, now, e);
        if (rc)
            goto fail;
    }
    if ((rc = ikr_bundle_publish(tmp, out, e)))
        goto fail;
    ikr_buf_free(&note);
    ikr_buf_free(&vkey);
    ikr_buf_free(&event);
    return IKR_OK;
fail:
    ikr_file_remove_tree(tmp);
    ikr_buf_free(&note);
    ikr_buf_free(&vkey);
    ikr_buf_free(&event);
    return rc;
}

/* ---- clearing the ink from a bundle this kiosk wrote ---- */

int ikr_bundle_purge_ink(ikr_station *s, const char *dir, uint64_t now, ikr_err *e)
{
    const ikr_event_info *info = ikr_station_event(s);
    char tmp[1100], from[1200], to[1200];
    ikr_bundle b;
    ikr_buf vkey;
    uint64_t size = 0;
    struct stat sb;
    int rc;
    if (strlen(dir) == 0 || strlen(dir) > 1000)
        return ikr_err_set(e, IKR_E_IO, "the bundle folder's name is empty or too long");
    /* Only a bundle of this kiosk's, whose records this log still holds, can be written again. */
    if ((rc = ikr_bundle_open(&b, dir, e)))
        return rc;
    if (strcmp(b.origin, info->origin) != 0 ||
        memcmp(b.vkey.pub, ikr_key_public(ikr_station_key(s)), IKR_PUB_LEN) != 0)
        return ikr_err_set(e, IKR_E_BUNDLE_CHECKPOINT, "%s: not a bundle of this kiosk (%s)", dir,
                           b.origin);
    if ((rc = ikr_station_size(s, &size, e)))
        return rc;
    if (b.size > size)
        return ikr_err_set(e, IKR_E_BUNDLE_SIZE, "%s: %llu records, the log %llu", dir,
                           (unsigned long long)b.size, (unsigned long long)size);
    snprintf(tmp, sizeof tmp, "%s.purge-%ld", dir, (long)getpid());
    if (mkdir(tmp, 0700) != 0)
        return ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", tmp,
                           strerror(errno));
    ikr_buf_init(&vkey);
    /* The records up to the bundle's own checkpoint, which must give its root again. */
    if ((rc = write_records(s, tmp, b.size, b.root, ',', NULL, e)))
        goto out;
    snprintf(to, sizeof to, "%s/%s", dir, IKR_BUNDLE_PDF);
    int pdf = lstat(to, &sb) == 0;
    if (pdf) {
        if ((rc = ikr_station_vkey(s, &vkey)) || (rc = ikr_buf_addc(&vkey, 0))) {
            rc = ikr_err_set(e, rc ? rc : IKR_E_NOMEM, "verifier key");
            goto out;
        }
        if ((rc = write_pdf(s, tmp, b.size, b.root, (const char *)vkey.p, now, e)))
            goto out;
    }
    /* Each file replaced whole by rename: a crash leaves the old one or the new one. */
    const char *names[2] = {IKR_BUNDLE_RECORDS, IKR_BUNDLE_PDF};
    for (int i = 0; i < 1 + pdf; i++) {
        snprintf(from, sizeof from, "%s/%s", tmp, names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, names[i]);
        if (rename(from, to) != 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", to, strerror(errno));
            goto out;
        }
    }
    if (ikr_file_sync_dir(dir) != 0)
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", dir, strerror(errno));
out:
    ikr_file_remove_tree(tmp);
    ikr_buf_free(&vkey);
    return rc;
}
