/*
 * bundle.c: reading the roster bundle (docs/formats.md §8), as an auditor does.
 *
 * Reading accepts any JSON object a line, as another tool might write it,
 * but keeps only "seq", "cose" and "ink"; everything else is skipped with
 * bounded depth.  Writing a bundle is export.c's (src/export).
 */
#include "ikrar/bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ikrar/audit.h"
#include "ikrar/base64.h"
#include "ikrar/cose.h"
#include "ikrar/csv.h"
#include "ikrar/hash.h"
#include "ikrar/json.h"
#include "ikrar/merkle.h"
#include "ikrar/record.h"
#include "ikrar/roster.h"
#include "ikrar/station.h"
#include "ikrar/zone.h"

#define IO_CHUNK (64u << 10)

void ikr_bundle_rec_init(ikr_bundle_rec *r)
{
    memset(r, 0, sizeof *r);
    ikr_buf_init(&r->cose);
    ikr_buf_init(&r->ink);
}

void ikr_bundle_rec_free(ikr_bundle_rec *r)
{
    ikr_buf_free(&r->cose);
    ikr_buf_free(&r->ink);
    r->has_ink = 0;
}

/* ---- reading one JSON line ---- */

/* The JSON cursor (json.h) and what its faults are reported as. */
typedef struct jp {
    ikr_json j;
    ikr_err *e;
    uint64_t seq; /* for the error */
} jp;

static int jfail(jp *j, const char *what)
{
    ikr_err_set(j->e, IKR_E_BUNDLE_LINE, "%s", what);
    return ikr_err_at(j->e, IKR_E_BUNDLE_LINE, (int64_t)j->seq, 0);
}

/* The cursor's own fault (out of memory included) as a refused line. */
static int jerr(jp *j)
{
    return jfail(j, j->j.why ? j->j.why : "out of memory");
}

/* A base64 string member decoded into out, at most max bytes. */
static int jbase64(jp *j, ikr_buf *tmp, ikr_buf *out, size_t max, const char *what)
{
    if (ikr_json_string(&j->j, tmp, IKR_BASE64_LEN(max)))
        return jerr(j);
    ikr_buf_reset(out);
    if (ikr_buf_reserve(out, tmp->len / 4 * 3 + 1))
        return jfail(j, "out of memory");
    long n = ikr_base64_decode(out->p, out->cap, (const char *)tmp->p, tmp->len);
    if (n < 0 || (size_t)n > max) {
        char m[64];
        snprintf(m, sizeof m, "\"%s\" is not valid base64", what);
        return jfail(j, m);
    }
    out->len = (size_t)n;
    return 0;
}

/* A readable copy's text member into out (room for max bytes and a NUL). */
static int jcopy(jp *j, ikr_buf *tmp, char *out, size_t max, int *has, const char *what)
{
    char m[64];
    if (*has) {
        snprintf(m, sizeof m, "\"%s\" is given twice", what);
        return jfail(j, m);
    }
    if (ikr_json_string(&j->j, tmp, max))
        return jerr(j);
    if (tmp->len && memchr(tmp->p, 0, tmp->len)) {
        snprintf(m, sizeof m, "\"%s\" holds a NUL", what);
        return jfail(j, m);
    }
    if (tmp->len)
        memcpy(out, tmp->p, tmp->len);
    out[tmp->len] = '\0';
    *has = 1;
    return 0;
}

/*
 * A member that must be a whole number written as digits: a value that
 * does not start with a digit is not_whole, a malformed number the
 * cursor's fault.  *whole is 0 when the digits are no whole number.
 */
static int jdigits(jp *j, uint64_t *v, int *whole, const char *not_whole)
{
    int c = ikr_json_peek(&j->j);
    if (c < '0' || c > '9')
        return jfail(j, not_whole);
    if (ikr_json_number(&j->j, v, whole))
        return jerr(j);
    return 0;
}

/* The readable copies of the claims; 1 when key is not one of them. */
static int jreadable(jp *j, ikr_buf *tmp, const ikr_buf *key, ikr_bundle_rec *r, int *rc)
{
    static const struct {
        const char *name;
        size_t off, has, max;
    } f[] = {
        {"name", offsetof(ikr_bundle_rec, name), offsetof(ikr_bundle_rec, has_name), IKR_MAX_NAME},
        {"status", offsetof(ikr_bundle_rec, status), offsetof(ikr_bundle_rec, has_status), 7},
        {"nip", offsetof(ikr_bundle_rec, nip), offsetof(ikr_bundle_rec, has_nip), IKR_NIP_LEN},
        {"pos", offsetof(ikr_bundle_rec, pos), offsetof(ikr_bundle_rec, has_pos), IKR_MAX_POS},
        {"unit", offsetof(ikr_bundle_rec, unit), offsetof(ikr_bundle_rec, has_unit), IKR_MAX_UNIT},
    };
    if (key->len == 1 && key->p[0] == 't') {
        uint64_t v;
        int whole;
        if (r->has_t) {
            *rc = jfail(j, "\"t\" is given twice");
            return 0;
        }
        if ((*rc = jdigits(j, &v, &whole, "\"t\" is not a whole number")))
            return 0;
        if (!whole) {
            *rc = jfail(j, "\"t\" is not a whole number");
            return 0;
        }
        r->t = v;
        r->has_t = 1;
        *rc = 0;
        return 0;
    }
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (key->len == strlen(f[i].name) && memcmp(key->p, f[i].name, key->len) == 0) {
            *rc = jcopy(j, tmp, (char *)r + f[i].off, f[i].max, (int *)((char *)r + f[i].has),
                        f[i].name);
            return 0;
        }
    }
    return 1;
}

/*
 * A whole JSON object that is all there is to parse: member() is called for
 * each key, with j on its value, and must take the value (or skip it).
 * what_not names the text when it is not an object.
 */
static int jobject(jp *j, int (*member)(jp *j, const ikr_buf *key, void *ctx), void *ctx,
                   const char *what_not)
{
    ikr_buf key;
    ikr_json_it it;
    int rc = 0;
    ikr_buf_init(&key);
    if (ikr_json_peek(&j->j) != '{') {
        rc = jfail(j, what_not);
        goto out;
    }
    if (ikr_json_object(&j->j, &it)) {
        rc = jerr(j);
        goto out;
    }
    for (;;) {
        if (ikr_json_member(&j->j, &it, &key, 64)) {
            rc = jerr(j);
            goto out;
        }
        if (it.done)
            break;
        if ((rc = member(j, &key, ctx)))
            goto out;
    }
    if (ikr_json_peek(&j->j) >= 0)
        rc = jfail(j, "something follows the object");
out:
    ikr_buf_free(&key);
    return rc;
}

/* Skips a member's value that is not read. */
static int jskip(jp *j)
{
    return ikr_json_skip(&j->j) ? jerr(j) : 0;
}

static int key_is(const ikr_buf *key, const char *name)
{
    return key->len == strlen(name) && memcmp(key->p, name, key->len) == 0;
}

/* What a records.jsonl line's members are read into. */
typedef struct line_ctx {
    ikr_bundle_rec *r;
    ikr_buf tmp;
    int have_seq, have_cose;
} line_ctx;

static int line_member(jp *j, const ikr_buf *key, void *ctx)
{
    line_ctx *x = ctx;
    ikr_bundle_rec *r = x->r;
    int rc = 0;
    if (key_is(key, "seq")) {
        uint64_t v;
        int whole;
        if (x->have_seq)
            return jfail(j, "\"seq\" is given twice");
        if ((rc = jdigits(j, &v, &whole, "\"seq\" is not a whole number")))
            return rc;
        if (!whole || v == 0)
            return jfail(j, "\"seq\" is not a whole number from 1");
        r->seq = j->seq = v;
        x->have_seq = 1;
    } else if (key_is(key, "cose")) {
        if (x->have_cose)
            return jfail(j, "\"cose\" is given twice");
        if ((rc = jbase64(j, &x->tmp, &r->cose, IKR_MAX_COSE, "cose")))
            return rc;
        x->have_cose = 1;
    } else if (key_is(key, "ink")) {
        if (r->has_ink)
            return jfail(j, "\"ink\" is given twice");
        if ((rc = jbase64(j, &x->tmp, &r->ink, IKR_BUNDLE_MAX_INK, "ink")))
            return rc;
        r->has_ink = 1;
    } else if (jreadable(j, &x->tmp, key, r, &rc)) {
        return jskip(j);
    }
    return rc;
}

int ikr_bundle_parse_line(ikr_bundle_rec *r, const char *line, size_t n, ikr_err *e)
{
    jp j = {.e = e, .seq = 0};
    line_ctx x = {r, {0}, 0, 0};
    int rc;
    if (!line) /* an empty buffer's pointer: no mem* call may get NULL, even for 0 bytes */
        line = "";
    ikr_json_init(&j.j, line, n, IKR_E_BUNDLE_LINE, IKR_BUNDLE_MAX_DEPTH, 0);
    ikr_buf_init(&x.tmp);
    r->has_ink = r->has_t = r->has_name = r->has_status = r->has_nip = r->has_pos = r->has_unit = 0;
    r->seq = 0;
    ikr_buf_reset(&r->cose);
    ikr_buf_reset(&r->ink);
    /*
     * ikrar never writes a byte order mark (RFC 8259 forbids adding one);
     * one here means an editor saved the file again.  Say so, rather than
     * "not a JSON object", so the auditor asks for the exported original.
     */
    if (n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
        rc = jfail(&j, "it starts with a byte order mark: an editor saved records.jsonl again");
    else if ((rc = jobject(&j, line_member, &x, "the line is not a JSON object")) == 0 &&
             !x.have_seq)
        rc = jfail(&j, "\"seq\" is missing");
    else if (rc == 0 && !x.have_cose)
        rc = jfail(&j, "\"cose\" is missing");
    ikr_buf_free(&x.tmp);
    return rc;
}

/* ---- event.json ---- */

/* What event.json's members are read into. */
typedef struct event_ctx {
    struct {
        const char *name;
        char *out;
        size_t max;
        int has;
    } f[6];
    char zone[8];
    ikr_buf tmp;
} event_ctx;

enum { EV_EVENT, EV_TITLE, EV_ORGANIZER, EV_PLACE, EV_WHEN, EV_ZONE, EV_N };

static int event_member(jp *j, const ikr_buf *key, void *ctx)
{
    event_ctx *x = ctx;
    for (size_t i = 0; i < EV_N; i++)
        if (key_is(key, x->f[i].name))
            return jcopy(j, &x->tmp, x->f[i].out, x->f[i].max, &x->f[i].has, x->f[i].name);
    return jskip(j);
}

static int event_parse(jp *j, ikr_bundle_event *ev)
{
    event_ctx x = {{{"event", ev->event, IKR_MAX_EVENT_ID, 0},
                    {"title", ev->title, IKR_MAX_TITLE, 0},
                    {"organizer", ev->organizer, IKR_MAX_TITLE, 0},
                    {"place", ev->place, IKR_MAX_TITLE, 0},
                    {"when", ev->when, IKR_MAX_TITLE, 0},
                    {"zone", NULL, sizeof x.zone - 1, 0}},
                   "",
                   {0}};
    int rc;
    x.f[EV_ZONE].out = x.zone;
    ikr_buf_init(&x.tmp);
    memset(ev, 0, sizeof *ev);
    rc = jobject(j, event_member, &x, "not a JSON object");
    if (!rc && (!x.f[EV_EVENT].has || !ikr_event_id_ok(ev->event)))
        rc = jfail(j, "\"event\" is missing or not an event id");
    else if (!rc && (!x.f[EV_ZONE].has || (ev->zone_min = ikr_zone_parse(x.zone)) < 0))
        rc = jfail(j, "\"zone\" is not WIB, WITA or WIT");
    ikr_buf_free(&x.tmp);
    return rc;
}

int ikr_bundle_event_parse(ikr_bundle_event *ev, const char *text, size_t n, ikr_err *e)
{
    ikr_err pe;
    ikr_err_clear(&pe);
    jp j = {.e = &pe, .seq = 0};
    ikr_json_init(&j.j, text, n, IKR_E_BUNDLE_LINE, IKR_BUNDLE_MAX_DEPTH, 0);
    if (event_parse(&j, ev))
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "event.json: %s", pe.detail);
    return IKR_OK;
}

/* ---- reading records.jsonl ---- */

static int path_join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

int ikr_bundle_open_read(const char *path, int nofollow, int *fd, ikr_err *e)
{
    struct stat sb;
    /*
     * O_NONBLOCK so that opening a FIFO returns at once instead of waiting
     * for a writer; O_NOCTTY so that a terminal never becomes ours.
     */
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    if (*fd < 0) {
        int err = errno;
        ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: %s", path,
                    nofollow && err == ELOOP ? "a symbolic link, not the bundle's own file"
                                             : strerror(err));
        errno = err; /* for a caller to whom a missing file is no fault */
        return IKR_E_BUNDLE_FILE;
    }
    if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int err = errno;
        close(*fd);
        *fd = -1;
        errno = 0; /* not ENOENT: a caller's "optional file" must not take this for a missing one */
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: %s", path,
                           S_ISREG(sb.st_mode) ? strerror(err) : "not a regular file");
    }
    /* A regular file never blocks; reads go back to the ordinary kind. */
    int fl = fcntl(*fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK);
    return IKR_OK;
}

/* ikr_bundle_open_read as a stdio stream. */
static int fopen_read(const char *path, FILE **f, ikr_err *e)
{
    int fd, rc;
    *f = NULL;
    if ((rc = ikr_bundle_open_read(path, 0, &fd, e)))
        return rc;
    if (!(*f = fdopen(fd, "rb"))) {
        close(fd);
        return ikr_err_set(e, IKR_E_NOMEM, "%s", path);
    }
    return IKR_OK;
}

int ikr_bundle_reader_open(ikr_bundle_reader *rd, const ikr_bundle *b, ikr_err *e)
{
    char path[1200];
    int rc;
    memset(rd, 0, sizeof *rd);
    ikr_buf_init(&rd->buf);
    if (path_join(path, sizeof path, b->dir, IKR_BUNDLE_RECORDS))
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "the folder's name is too long");
    if ((rc = fopen_read(path, &rd->f, e)))
        return rc;
    if (!(rd->io = malloc(IO_CHUNK)))
        return ikr_err_set(e, IKR_E_NOMEM, "records.jsonl");
    return IKR_OK;
}

void ikr_bundle_reader_close(ikr_bundle_reader *rd)
{
    if (rd->f)
        fclose(rd->f);
    rd->f = NULL;
    free(rd->io);
    rd->io = NULL;
    ikr_buf_free(&rd->buf);
}

/*
 * Takes the next line into rd->buf: 1 when it ended in a newline, 0 when
 * the file ended first, or an error.  Reads IO_CHUNK bytes at a time and
 * copies spans, not bytes: a line with its ink is a few kilobytes.
 */
static int take_line(ikr_bundle_reader *rd, int *newline, ikr_err *e)
{
    *newline = 0;
    for (;;) {
        if (rd->io_pos == rd->io_end) {
            if (rd->eof)
                return IKR_OK;
            size_t n = fread(rd->io, 1, IO_CHUNK, rd->f);
            if (n < IO_CHUNK) {
                if (ferror(rd->f))
                    return ikr_err_set(e, IKR_E_BUNDLE_FILE, "records.jsonl: %s", strerror(errno));
                rd->eof = 1;
            }
            rd->io_pos = 0;
            rd->io_end = n;
            if (n == 0)
                return IKR_OK;
        }
        const uint8_t *p = rd->io + rd->io_pos, *nl = memchr(p, '\n', rd->io_end - rd->io_pos);
        size_t span = nl ? (size_t)(nl - p) : rd->io_end - rd->io_pos;
        if (rd->buf.len + span > IKR_BUNDLE_MAX_LINE) {
            ikr_err_set(e, IKR_E_BUNDLE_LINE, "line %llu is longer than %u bytes",
                        (unsigned long long)rd->line + 1, IKR_BUNDLE_MAX_LINE);
            return ikr_err_at(e, IKR_E_BUNDLE_LINE, (int64_t)rd->line + 1, 0);
        }
        if (ikr_buf_add(&rd->buf, p, span))
            return ikr_err_set(e, IKR_E_NOMEM, "records.jsonl");
        rd->io_pos += span;
        if (nl) {
            rd->io_pos++;
            *newline = 1;
            return IKR_OK;
        }
    }
}

int ikr_bundle_next(ikr_bundle_reader *rd, ikr_bundle_rec *r, int *got, ikr_err *e)
{
    int nl, rc;
    *got = 0;
    rd->off = rd->next_off;
    ikr_buf_reset(&rd->buf);
    if ((rc = take_line(rd, &nl, e)))
        return rc;
    if (!nl && rd->buf.len == 0)
        return IKR_OK;
    rd->next_off = rd->off + rd->buf.len + (size_t)nl;
    rd->line++;
    if (!nl) {
        ikr_err_set(e, IKR_E_BUNDLE_LINE, "line %llu has no line end: the file was cut short",
                    (unsigned long long)rd->line);
        return ikr_err_at(e, IKR_E_BUNDLE_LINE, (int64_t)rd->line, 0);
    }
    ikr_err le;
    ikr_err_clear(&le);
    /* An empty line leaves the buffer never grown: its pointer NULL, which no mem* call may get. */
    const char *line = rd->buf.p ? (const char *)rd->buf.p : "";
    if ((rc = ikr_bundle_parse_line(r, line, rd->buf.len, &le))) {
        ikr_err_set(e, rc, "line %llu: %s", (unsigned long long)rd->line, le.detail);
        return ikr_err_at(e, rc, le.seq ? le.seq : (int64_t)rd->line, 0);
    }
    *got = 1;
    return IKR_OK;
}

int ikr_bundle_read_at(ikr_bundle_reader *rd, uint64_t off, ikr_bundle_rec *r, ikr_err *e)
{
    int got, rc;
    if (off > (uint64_t)INT64_MAX || fseeko(rd->f, (off_t)off, SEEK_SET) != 0)
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "records.jsonl: %s", strerror(errno));
    rd->next_off = off;
    rd->io_pos = rd->io_end = 0; /* what was read ahead is from elsewhere in the file */
    rd->eof = 0;
    if ((rc = ikr_bundle_next(rd, r, &got, e)))
        return rc;
    return got ? IKR_OK
               : ikr_err_set(e, IKR_E_BUNDLE_FILE, "records.jsonl ends before %llu",
                             (unsigned long long)off);
}

/* ---- opening a bundle ---- */

/* Reads dir/name, at most max bytes, into out (NUL-terminated). */
static int read_small(const char *dir, const char *name, size_t max, ikr_buf *out, ikr_err *e)
{
    char path[1200];
    FILE *f;
    if (path_join(path, sizeof path, dir, name))
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "the folder's name is too long");
    int rc = fopen_read(path, &f, e);
    if (rc)
        return rc;
    ikr_buf_reset(out);
    if (ikr_buf_reserve(out, max + 2)) {
        fclose(f);
        return ikr_err_set(e, IKR_E_NOMEM, "%s", path);
    }
    size_t n = fread(out->p, 1, max + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: read error", path);
    if (n > max)
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "%s: larger than %zu bytes", path, max);
    out->len = n;
    out->p[n] = '\0';
    return IKR_OK;
}

int ikr_bundle_open(ikr_bundle *b, const char *dir, ikr_err *e)
{
    ikr_buf vk, cp;
    size_t n;
    const char *why;
    int rc;
    memset(b, 0, sizeof *b);
    if (strlen(dir) >= sizeof b->dir)
        return ikr_err_set(e, IKR_E_BUNDLE_FILE, "the folder's name is too long");
    memcpy(b->dir, dir, strlen(dir) + 1);
    ikr_buf_init(&vk);
    ikr_buf_init(&cp);
    if ((rc = read_small(dir, IKR_BUNDLE_VKEY, IKR_MAX_VKEY_LINE + 2, &vk, e)) ||
        (rc = read_small(dir, IKR_BUNDLE_CHECKPOINT, IKR_MAX_NOTE, &cp, e)))
        goto out;
    n = vk.len;
    while (n > 0 && (vk.p[n - 1] == '\n' || vk.p[n - 1] == '\r'))
        n--;
    if (ikr_vkey_parse(&b->vkey, (const char *)vk.p, n)) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_FILE, "verifier.key is not a verifier key");
        goto out;
    }
    if (ikr_checkpoint_open((const char *)cp.p, cp.len, &b->vkey, b->origin, &b->size, b->root,
                            &why)) {
        if (strcmp(why, "signature") == 0)
            rc =
                ikr_err_set(e, IKR_E_BUNDLE_CHECKPOINT, "its signature is not by %s", b->vkey.name);
        else
            rc = ikr_err_set(e, IKR_E_BUNDLE_CHECKPOINT,
                             "it is not a checkpoint as ikrar writes "
                             "one (%s)",
                             why);
        goto out;
    }
    if (strcmp(b->origin, b->vkey.name) != 0) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_CHECKPOINT, "it is of the log %s, the key of %s",
                         b->origin, b->vkey.name);
        goto out;
    }
out:
    ikr_buf_free(&vk);
    ikr_buf_free(&cp);
    return rc;
}

int ikr_bundle_load_event(const char *dir, ikr_bundle_event *ev, ikr_buf *decl,
                          const uint8_t *decl_hash, ikr_err *e)
{
    ikr_buf t;
    int rc;
    ikr_buf_init(&t);
    if ((rc = read_small(dir, IKR_BUNDLE_EVENT, IKR_BUNDLE_MAX_EVENT, &t, e)) ||
        (rc = ikr_bundle_event_parse(ev, (const char *)t.p, t.len, e)) ||
        (rc = read_small(dir, IKR_BUNDLE_DECL, IKR_MAX_DECL, decl, e)))
        goto out;
    if (decl_hash) {
        uint8_t h[IKR_HASH_LEN];
        ikr_sha256(h, decl->p, decl->len);
        if (memcmp(h, decl_hash, IKR_HASH_LEN) != 0)
            rc = ikr_err_set(e, IKR_E_BUNDLE_FILE,
                             "declaration.txt is not the text the records signed");
    }
out:
    ikr_buf_free(&t);
    return rc;
}

/* ---- checking receipts against a bundle ---- */

int ikr_bundle_in_order(const ikr_bundle *b, uint64_t seq, uint64_t expect, ikr_err *e)
{
    if (seq != expect) {
        ikr_err_set(e, IKR_E_BUNDLE_SEQ, "line %llu says %llu", (unsigned long long)expect,
                    (unsigned long long)seq);
        return ikr_err_at(e, IKR_E_BUNDLE_SEQ, (int64_t)expect, 0);
    }
    if (expect > b->size)
        return ikr_err_set(e, IKR_E_BUNDLE_SIZE, "the checkpoint holds %llu, records.jsonl more",
                           (unsigned long long)b->size);
    return IKR_OK;
}

int ikr_bundle_check_receipts(const ikr_bundle *b, const ikr_receipt *rs, size_t n, ikr_err *res,
                              ikr_err *e)
{
    ikr_bundle_reader rd;
    ikr_bundle_rec r;
    ikr_merkle_edge *edge;
    uint8_t leaf[IKR_HASH_LEN], root[IKR_HASH_LEN];
    uint64_t expect = 1;
    int rc, got;
    if (!(edge = malloc(sizeof *edge)))
        return ikr_err_set(e, IKR_E_NOMEM, "bundle");
    ikr_merkle_edge_init(edge);
    for (size_t i = 0; i < n; i++)
        ikr_err_clear(&res[i]);
    ikr_bundle_rec_init(&r);
    if ((rc = ikr_bundle_reader_open(&rd, b, e))) {
        free(edge);
        return rc;
    }
    for (;;) {
        if ((rc = ikr_bundle_next(&rd, &r, &got, e)))
            goto out;
        if (!got)
            break;
        if ((rc = ikr_bundle_in_order(b, r.seq, expect, e)))
            goto out;
        ikr_merkle_leaf(leaf, r.cose.p, r.cose.len);
        ikr_merkle_edge_push(edge, leaf, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            if (rs[i].seq != expect)
                continue;
            if (memcmp(leaf, rs[i].leaf, IKR_HASH_LEN) != 0) {
                ikr_err_at(&res[i], IKR_E_RCPT_LEAF, (int64_t)expect, 0);
                continue;
            }
            /* Signed by the kiosk and naming this leaf, yet telling another story. */
            if (ikr_receipt_matches_record(&rs[i], r.cose.p, r.cose.len, &res[i]))
                continue;
            ikr_merkle_edge_root(edge, root);
            if (memcmp(root, rs[i].root, IKR_HASH_LEN) != 0)
                ikr_err_at(&res[i], IKR_E_RCPT_ROOT, (int64_t)expect, 0);
        }
        expect++;
    }
    if (expect - 1 != b->size) {
        ikr_err_set(e, IKR_E_BUNDLE_SIZE, "the checkpoint holds %llu, records.jsonl %llu",
                    (unsigned long long)b->size, (unsigned long long)(expect - 1));
        rc = IKR_E_BUNDLE_SIZE;
        goto out;
    }
    ikr_merkle_edge_root(edge, root);
    if (memcmp(root, b->root, IKR_HASH_LEN) != 0) {
        rc = ikr_err_set(e, IKR_E_BUNDLE_ROOT, "root");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (rs[i].seq == 0 || rs[i].seq > b->size)
            ikr_err_at(&res[i], IKR_E_RCPT_NOT_IN_LOG, (int64_t)rs[i].seq, 0);
    rc = IKR_OK;
out:
    ikr_bundle_reader_close(&rd);
    ikr_bundle_rec_free(&r);
    free(edge);
    return rc;
}

/* ---- roster.csv ---- */

const char *const ikr_bundle_csv_header[IKR_CSV_COLS] = {
    "No", "Nama", "NIP", "Status", "Jabatan", "Unit Kerja", "Waktu", "Kiosk", "Nomor Catatan",
};

const char *ikr_bundle_kiosk_of(const char *origin)
{
    const char *slash = strrchr(origin, '/');
    return strncmp(origin, "ikrar/", 6) == 0 && slash && slash[1] ? slash + 1 : origin;
}

void ikr_bundle_csv_cells(const char *cells[IKR_CSV_COLS], char *store, uint64_t no,
                          const ikr_claims *c, const char *kiosk, int zone_min)
{
    char *no_s = store, *seq_s = store + 32, *time_s = store + 64;
    snprintf(no_s, 32, "%llu", (unsigned long long)no);
    snprintf(seq_s, 32, "%llu", (unsigned long long)c->seq);
    ikr_zone_format(time_s, 64, (int64_t)c->t, zone_min, 1);
    cells[IKR_CSV_COL_NO] = no_s;
    cells[IKR_CSV_COL_NAME] = c->who.name;
    cells[IKR_CSV_COL_NIP] = c->who.nip;
    cells[IKR_CSV_COL_STATUS] = ikr_status_name(c->who.status);
    cells[IKR_CSV_COL_POS] = c->who.pos;
    cells[IKR_CSV_COL_UNIT] = c->who.unit;
    cells[IKR_CSV_COL_TIME] = time_s;
    cells[IKR_CSV_COL_KIOSK] = kiosk;
    cells[IKR_CSV_COL_SEQ] = seq_s;
}

int ikr_bundle_csv_row(ikr_buf *out, const char *const cells[IKR_CSV_COLS], char sep)
{
    int rc = 0;
    for (int i = 0; i < IKR_CSV_COLS; i++) {
        if (i)
            rc |= ikr_buf_addc(out, (uint8_t)sep);
        rc |= ikr_csv_field(out, cells[i], strlen(cells[i]), sep);
    }
    rc |= ikr_buf_adds(out, "\r\n");
    return rc ? IKR_E_NOMEM : IKR_OK;
}

/* Compares a roster.csv row with record c of kiosk; names the first column that differs. */
const char *ikr_bundle_csv_mismatch(const ikr_csv_row *row, uint64_t no, const ikr_claims *c,
                                    const char *kiosk)
{
    const char *cells[IKR_CSV_COLS];
    char store[IKR_BUNDLE_CELLS];
    if (row->nf != IKR_CSV_COLS)
        return "the number of columns";
    /* The zone the row was written in is the time cell's last word. */
    const char *tcell = ikr_csv_get(row, IKR_CSV_COL_TIME), *sp = strrchr(tcell, ' ');
    int zone = sp ? ikr_zone_parse(sp + 1) : -1;
    if (zone < 0)
        return ikr_bundle_csv_header[IKR_CSV_COL_TIME];
    ikr_bundle_csv_cells(cells, store, no, c, kiosk, zone);
    for (int i = 0; i < IKR_CSV_COLS; i++) {
        const char *got = ikr_csv_get(row, (size_t)i), *want = cells[i];
        size_t wn = strlen(want);
        /* A formula-looking cell was written with a ' before it. */
        if (ikr_csv_is_formula(want, wn)) {
            if (got[0] != '\'')
                return ikr_bundle_csv_header[i];
            got++;
        }
        if (row->len[i] != wn + (got != ikr_csv_get(row, (size_t)i)) || memcmp(got, want, wn) != 0)
            return ikr_bundle_csv_header[i];
    }
    return NULL;
}

/* ---- writing the lines of a bundle (export and the hub) ---- */

/* Appends s as the body of a JSON string (no quotes): ", \ and control characters escaped. */
static int jw_text(ikr_buf *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            if (ikr_buf_addc(o, '\\') || ikr_buf_addc(o, c))
                return IKR_E_NOMEM;
        } else if (c < 0x20 || c == 0x7F) {
            char u[8];
            snprintf(u, sizeof u, "\\u%04x", c);
            if (ikr_buf_adds(o, u))
                return IKR_E_NOMEM;
        } else if (ikr_buf_addc(o, c)) {
            return IKR_E_NOMEM;
        }
    }
    return 0;
}

static int jw_b64(ikr_buf *o, const uint8_t *p, size_t n)
{
    if (ikr_buf_reserve(o, IKR_BASE64_LEN(n) + 1))
        return IKR_E_NOMEM;
    ikr_base64_encode((char *)o->p + o->len, p, n);
    o->len += IKR_BASE64_LEN(n);
    return 0;
}

int ikr_bundle_event_json(ikr_buf *o, const ikr_bundle_event *ev)
{
    const char *k[] = {"event", "title", "organizer", "place", "when", "zone"};
    const char *v[] = {ev->event, ev->title, ev->organizer,
                       ev->place, ev->when,  ikr_zone_name(ev->zone_min)};
    int rc = ikr_buf_addc(o, '{');
    for (int i = 0; i < 6; i++) {
        rc |= ikr_buf_adds(o, i ? ",\"" : "\"");
        rc |= ikr_buf_adds(o, k[i]);
        rc |= ikr_buf_adds(o, "\":\"");
        rc |= jw_text(o, v[i]);
        rc |= ikr_buf_addc(o, '"');
    }
    rc |= ikr_buf_adds(o, "}\n");
    return rc ? IKR_E_NOMEM : IKR_OK;
}

int ikr_bundle_record_line(ikr_buf *o, uint64_t seq, const uint8_t *cose, size_t cose_len,
                           const uint8_t *ink, size_t ink_len, const ikr_claims *c)
{
    char num[64];
    int rc = 0;
    snprintf(num, sizeof num, "{\"seq\":%llu,\"cose\":\"", (unsigned long long)seq);
    rc |= ikr_buf_adds(o, num);
    rc |= jw_b64(o, cose, cose_len);
    if (ink) {
        rc |= ikr_buf_adds(o, "\",\"ink\":\"");
        rc |= jw_b64(o, ink, ink_len);
    }
    snprintf(num, sizeof num, "\",\"t\":%llu,\"name\":\"", (unsigned long long)c->t);
    rc |= ikr_buf_adds(o, num);
    rc |= jw_text(o, c->who.name);
    rc |= ikr_buf_adds(o, "\",\"status\":\"");
    rc |= ikr_buf_adds(o, ikr_status_name(c->who.status));
    rc |= ikr_buf_addc(o, '"');
    const char *k[] = {"nip", "pos", "unit"};
    const char *v[] = {c->who.nip, c->who.pos, c->who.unit};
    for (int i = 0; i < 3; i++) {
        if (!v[i][0])
            continue;
        rc |= ikr_buf_adds(o, ",\"");
        rc |= ikr_buf_adds(o, k[i]);
        rc |= ikr_buf_adds(o, "\":\"");
        rc |= jw_text(o, v[i]);
        rc |= ikr_buf_addc(o, '"');
    }
    rc |= ikr_buf_adds(o, "}\n");
    return rc ? IKR_E_NOMEM : 0;
}

int ikr_bundle_event_json_of(ikr_buf *out, const ikr_event_info *info)
{
    ikr_bundle_event ev;
    memset(&ev, 0, sizeof ev);
    snprintf(ev.event, sizeof ev.event, "%s", info->event);
    snprintf(ev.title, sizeof ev.title, "%s", info->title);
    snprintf(ev.organizer, sizeof ev.organizer, "%s", info->organizer);
    snprintf(ev.place, sizeof ev.place, "%s", info->place);
    snprintf(ev.when, sizeof ev.when, "%s", info->when);
    ev.zone_min = info->zone_min;
    return ikr_bundle_event_json(out, &ev);
}
