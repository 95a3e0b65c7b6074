/*
 * merged.c: auditing a merged roster bundle (see merged.h), and the passes
 * over its kiosks' records that merging (src/export/merge.c) shares.
 *
 * An auditor of a merged bundle needs nothing that prints or draws, so the
 * audit lives in the core.  The merged roster.csv and duplicates.csv are
 * checked by deriving them again from the kiosks' records, with the very
 * passes the writer used: a change to what is written is a change to what
 * is expected.
 */
#include "ikrar/merged.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ikrar/audit.h"
#include "ikrar/bundle.h"
#include "ikrar/cose.h"
#include "ikrar/csv.h"
#include "ikrar/note.h"
#include "ikrar/record.h"
#include "ikrar/station.h"
#include "ikrar/zone.h"

int ikr_merged_is_bundle(const char *dir)
{
    char p[IKR_MERGED_MAX_PATH];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir, IKR_MERGED_KIOSKS);
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int kiosk_cmp(const void *a, const void *b)
{
    return strcmp(((const ikr_merged_kiosk *)a)->name, ((const ikr_merged_kiosk *)b)->name);
}

void ikr_merged_sort(ikr_merged_kiosk *ks, size_t nk)
{
    qsort(ks, nk, sizeof *ks, kiosk_cmp);
}

int ikr_merged_one_event(const ikr_merged_kiosk *ks, size_t nk,
                         char (*events)[IKR_MAX_EVENT_ID + 1], const char *const *from, ikr_err *e)
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

/* ---- passes over every kiosk's records ---- */

int ikr_merged_each_record(const ikr_merged_kiosk *ks, size_t nk, ikr_merged_record_fn fn,
                           void *ctx, ikr_err *e)
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

static uint64_t nip_number(const char *nip)
{
    uint64_t v = 0;
    for (; *nip; nip++)
        v = v * 10 + (uint64_t)(*nip - '0');
    return v;
}

void ikr_merged_nips_init(ikr_merged_nips *l)
{
    memset(l, 0, sizeof *l);
}

void ikr_merged_nips_free(ikr_merged_nips *l)
{
    free(l->v);
    ikr_merged_nips_init(l);
}

int ikr_merged_nips_add(ikr_merged_nips *l, size_t k, const ikr_claims *c, ikr_err *e)
{
    if (!c->who.nip[0])
        return IKR_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        ikr_merged_nip *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return ikr_err_set(e, IKR_E_NOMEM, "merge");
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = (ikr_merged_nip){nip_number(c->who.nip), c->seq, c->t, (uint32_t)k};
    return IKR_OK;
}

static int loc_cmp(const void *a, const void *b)
{
    const ikr_merged_nip *x = a, *y = b;
    if (x->nip != y->nip)
        return x->nip < y->nip ? -1 : 1;
    if (x->kiosk != y->kiosk)
        return x->kiosk < y->kiosk ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The second pass (only when a NIP signed twice): the name each duplicated NIP first signed with.
 */
typedef struct names_ctx {
    const ikr_merged_nip *dups; /* the first sighting of each duplicated NIP, sorted by NIP */
    size_t n;
    char (*name)[IKR_MAX_NAME + 1];
} names_ctx;

static int dup_cmp(const void *key, const void *elem)
{
    uint64_t a = *(const uint64_t *)key, b = ((const ikr_merged_nip *)elem)->nip;
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
    const ikr_merged_nip *d = bsearch(&v, x->dups, x->n, sizeof *d, dup_cmp);
    if (d && d->kiosk == k && d->seq == c->seq)
        memcpy(x->name[d - x->dups], c->who.name, sizeof x->name[0]);
    return IKR_OK;
}

int ikr_merged_duplicates_csv(ikr_buf *out, const ikr_merged_kiosk *ks, size_t nk,
                              ikr_merged_nips *l, char sep, uint64_t *ndup, ikr_err *e)
{
    ikr_merged_nip *first = NULL;
    names_ctx nc = {NULL, 0, NULL};
    size_t nd = 0;
    int rc = IKR_OK;
    if (l->n > 0) /* qsort of a NULL array is undefined even for no elements */
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
    if ((rc = ikr_merged_each_record(ks, nk, name_of, &nc, e)))
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
                const ikr_merged_kiosk *ko = &ks[l->v[k].kiosk];
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

/* ---- auditing a merged bundle ---- */

/* The merged roster.csv, row for row, as each record's row would be written; and where each NIP
 * signed. */
typedef struct check_ctx {
    const ikr_merged_kiosk *ks;
    uint64_t no;
    ikr_merged_nips *nips;
    ikr_csv_file *check; /* rows are compared with this file's */
} check_ctx;

static int row_check(void *ctx, size_t k, const ikr_claims *c, uint64_t off, ikr_err *e)
{
    check_ctx *x = ctx;
    int rc, got;
    ikr_err ce;
    const char *col;
    (void)off;
    x->no++;
    if ((rc = ikr_merged_nips_add(x->nips, k, c, e)))
        return rc;
    ikr_err_clear(&ce);
    if (ikr_csv_file_next(x->check, &got, &ce)) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "%s line %lld: %s", IKR_BUNDLE_CSV, (long long)ce.seq,
                    ce.detail);
        return ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)c->seq, 0);
    }
    if (!got) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "kiosk %s: its row is missing from the merged roster.csv",
                    x->ks[k].name);
        return ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)c->seq, 0);
    }
    if ((col = ikr_bundle_csv_mismatch(&x->check->row, x->no, c, x->ks[k].name))) {
        ikr_err_set(e, IKR_E_BUNDLE_CSV, "kiosk %s, merged roster.csv line %llu, column %s",
                    x->ks[k].name, (unsigned long long)x->check->row.line, col);
        return ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)c->seq, 0);
    }
    return IKR_OK;
}

int ikr_merged_list_kiosks(const char *dir, ikr_merged_kiosk **ks, size_t *nk, ikr_err *e)
{
    char p[IKR_MERGED_MAX_PATH + 200];
    size_t cap = 0;
    DIR *d;
    struct dirent *de;
    int rc = IKR_OK;
    snprintf(p, sizeof p, "%s/%s", dir, IKR_MERGED_KIOSKS);
    if (!(d = opendir(p)))
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: %s", p, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (*nk == IKR_MERGED_MAX_KIOSKS) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "more than %d kiosks", IKR_MERGED_MAX_KIOSKS);
            break;
        }
        if (*nk == cap) {
            size_t nc = cap ? cap * 2 : 8;
            ikr_merged_kiosk *nks = realloc(*ks, nc * sizeof *nks);
            if (!nks) {
                rc = ikr_err_set(e, IKR_E_NOMEM, "merge");
                break;
            }
            *ks = nks;
            cap = nc;
        }
        ikr_merged_kiosk *k = &(*ks)[*nk];
        memset(k, 0, sizeof *k);
        if (strlen(de->d_name) >= sizeof k->name) {
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "kiosks/ holds a folder whose name is too long");
            break;
        }
        /*
         * Refused before its name is ever printed: a newline or an escape
         * sequence in it would forge lines on the terminal.
         */
        if (!ikr_kiosk_name_ok(de->d_name)) {
            char shown[64];
            size_t i = 0;
            for (const char *q = de->d_name; *q && i + 1 < sizeof shown; q++)
                shown[i++] = (unsigned char)*q < 0x20 || *q == 0x7F ? '?' : *q;
            shown[i] = '\0';
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "kiosks/%s is not named as a kiosk", shown);
            break;
        }
        memcpy(k->name, de->d_name, strlen(de->d_name) + 1);
        if (snprintf(k->dir, sizeof k->dir, "%s/%s/%s", dir, IKR_MERGED_KIOSKS, de->d_name) >=
            (int)sizeof k->dir) {
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "a folder's name is too long");
            break;
        }
        (*nk)++;
    }
    closedir(d);
    if (rc == IKR_OK && *nk == 0)
        rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s holds no kiosk", p);
    return rc;
}

int ikr_merged_audit(const char *dir, int threads, const ikr_vkey *trusted, size_t ntrusted,
                     uint64_t *records, size_t *nkiosks, ikr_err *e)
{
    char p[IKR_MERGED_MAX_PATH + 200];
    ikr_merged_kiosk *ks = NULL;
    char(*events)[IKR_MAX_EVENT_ID + 1] = NULL;
    const char **names = NULL;
    size_t nk = 0;
    ikr_merged_nips l;
    ikr_csv_file cf;
    ikr_buf want, have;
    int rc = IKR_OK, got;
    *records = 0;
    *nkiosks = 0;
    memset(&cf, 0, sizeof cf);
    ikr_merged_nips_init(&l);
    ikr_buf_init(&want);
    ikr_buf_init(&have);
    if ((rc = ikr_merged_list_kiosks(dir, &ks, &nk, e)))
        goto out;
    ikr_merged_sort(ks, nk);
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
            rc = ikr_err_set(e, IKR_E_MERGE_KIOSK, "kiosks/%s holds the log of %s", ks[i].name,
                             b.origin);
            goto out;
        }
        int ok = trusted == NULL;
        for (size_t k = 0; k < ntrusted; k++)
            if (strcmp(trusted[k].name, b.vkey.name) == 0 &&
                memcmp(trusted[k].pub, b.vkey.pub, IKR_PUB_LEN) == 0)
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
    if ((rc = ikr_merged_one_event(ks, nk, events, names, e)))
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
            rc =
                ikr_err_set(e, IKR_E_BUNDLE_FILE, "the merged roster.csv has no roster header row");
            goto out;
        }
    }
    check_ctx rx = {ks, 0, &l, &cf};
    if ((rc = ikr_merged_each_record(ks, nk, row_check, &rx, e)))
        goto out;
    {
        ikr_err ce;
        ikr_err_clear(&ce);
        int blank;
        if (ikr_csv_file_rest_blank(&cf, &blank, &ce) || !blank) {
            ikr_err_set(e, IKR_E_BUNDLE_CSV,
                        "the merged roster.csv has a row for no record (line %llu)",
                        (unsigned long long)cf.row.line);
            rc = ikr_err_at(e, IKR_E_BUNDLE_CSV, (int64_t)rx.no + 1,
                            0); /* as a kiosk's audit says it */
            goto out;
        }
    }
    /* duplicates.csv, byte for byte. */
    if ((rc = ikr_merged_duplicates_csv(&want, ks, nk, &l, cf.rd.sep, &(uint64_t){0}, e)))
        goto out;
    snprintf(p, sizeof p, "%s/%s", dir, IKR_MERGED_DUPLICATES);
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
    ikr_merged_nips_free(&l);
    ikr_buf_free(&want);
    ikr_buf_free(&have);
    return rc;
}
