/*
 * trust.c: an event's trust list (see trust.h).
 *
 * The body is parsed line by line against one fixed grammar; anything else
 * (a blank line, a line out of order, a second kiosk of one name, a number
 * with a leading zero, a kiosk of another event) is refused, so one list has
 * exactly one text.  Writing is the same grammar in the same order, and
 * ikr_trust_sign refuses a list that would not parse back.
 */
#include "ikrar/trust.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikrar/bundle.h"
#include "ikrar/cose.h"
#include "ikrar/file.h"
#include "ikrar/log.h"
#include "ikrar/merged.h"
#include "ikrar/record.h"
#include "ikrar/station.h"

/* The most digits of a serial or a time: 2^63 - 1 has 19. */
#define MAX_DIGITS 19

/* Splits "ikrar/<event>/<kiosk>": 1 when origin is one of event's kiosks. */
static int origin_of_event(const char *origin, const char *event)
{
    static const char pre[] = "ikrar/";
    size_t pl = sizeof pre - 1, el = strlen(event);
    if (strncmp(origin, pre, pl) != 0 || strncmp(origin + pl, event, el) != 0 ||
        origin[pl + el] != '/')
        return 0;
    return ikr_kiosk_name_ok(origin + pl + el + 1);
}

/* A decimal number of 1..MAX_DIGITS digits, no leading zero: 0 and *v, or -1. */
static int parse_num(const char *s, size_t n, uint64_t *v)
{
    if (n == 0 || n > MAX_DIGITS || (n > 1 && s[0] == '0'))
        return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    *v = x;
    return 0;
}

/*
 * Parses a verifier key line and takes it only when it is exactly the line
 * ikrar writes for that key: no NUL inside the name, canonical base64.
 */
static int vkey_exact(ikr_vkey *v, const char *s, size_t n)
{
    ikr_buf again;
    if (ikr_vkey_parse(v, s, n) != 0)
        return -1;
    ikr_buf_init(&again);
    int same = ikr_vkey_format(&again, v->name, v->pub) == IKR_OK && again.len == n &&
               memcmp(again.p, s, n) == 0;
    ikr_buf_free(&again);
    return same ? 0 : -1;
}

/* The line at *p up to its newline (not included); advances *p past it.  -1 when none. */
static int next_line(const char **p, const char *end, const char **s, size_t *n)
{
    if (*p >= end)
        return -1;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (!nl)
        return -1;
    *s = *p;
    *n = (size_t)(nl - *p);
    *p = nl + 1;
    return 0;
}

/* 1 when line s[0..n) starts with word and a space; *rest then is what follows. */
static int keyword(const char *s, size_t n, const char *word, const char **rest, size_t *rn)
{
    size_t wl = strlen(word);
    if (n <= wl + 1 || memcmp(s, word, wl) != 0 || s[wl] != ' ')
        return 0;
    *rest = s + wl + 1;
    *rn = n - wl - 1;
    return 1;
}

static int bad(ikr_err *e, int line, const char *what)
{
    return ikr_err_set(e, IKR_E_TRUST_LIST, "line %d: %s", line, what);
}

static int find_origin(const ikr_trust *t, const char *origin, size_t n)
{
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->k[i].key.name) == n && memcmp(t->k[i].key.name, origin, n) == 0)
            return (int)i;
    return -1;
}

int ikr_trust_parse_text(ikr_trust *t, const char *note, size_t n, size_t *text_len, ikr_err *e)
{
    memset(t, 0, sizeof *t);
    if (n == 0 || n > IKR_TRUST_MAX_NOTE)
        return ikr_err_set(e, IKR_E_TRUST_LIST, "empty or more than %d bytes", IKR_TRUST_MAX_NOTE);
    const char *p = note, *end = note + n, *s, *v;
    size_t len, vn;
    int line = 1;
    if (next_line(&p, end, &s, &len) || len != strlen(IKR_TRUST_HEADER) ||
        memcmp(s, IKR_TRUST_HEADER, len) != 0)
        return bad(e, line, "not \"" IKR_TRUST_HEADER "\"");
    line++;
    if (next_line(&p, end, &s, &len) || !keyword(s, len, "event", &v, &vn) || vn > IKR_MAX_EVENT_ID)
        return bad(e, line, "not \"event <event id>\"");
    memcpy(t->event, v, vn);
    t->event[vn] = '\0';
    if (strlen(t->event) != vn || !ikr_event_id_ok(t->event))
        return bad(e, line, "not an event id");
    line++;
    if (next_line(&p, end, &s, &len) || !keyword(s, len, "key", &v, &vn) ||
        vkey_exact(&t->event_key, v, vn) != 0)
        return bad(e, line, "not \"key <verifier key>\"");
    if (strncmp(t->event_key.name, IKR_TRUST_KEY_PREFIX, strlen(IKR_TRUST_KEY_PREFIX)) != 0 ||
        strcmp(t->event_key.name + strlen(IKR_TRUST_KEY_PREFIX), t->event) != 0)
        return bad(e, line, "the key is not named " IKR_TRUST_KEY_PREFIX "<event>");
    line++;
    if (next_line(&p, end, &s, &len) || !keyword(s, len, "serial", &v, &vn) ||
        parse_num(v, vn, &t->serial) != 0 || t->serial == 0)
        return bad(e, line, "not \"serial <n>\" (1 or more)");
    line++;
    /* kiosk lines, then revoked lines, then the blank line before the signature. */
    int revoking = 0;
    char last_revoked[IKR_MAX_ORIGIN + 1] = "";
    for (;; line++) {
        if (next_line(&p, end, &s, &len))
            return bad(e, line, "the list does not end in a blank line and a signature");
        if (len == 0)
            break;
        if (!revoking && keyword(s, len, "kiosk", &v, &vn)) {
            if (t->n == IKR_TRUST_MAX_KIOSKS)
                return bad(e, line, "more than 64 kiosks");
            ikr_trust_kiosk *k = &t->k[t->n];
            if (vkey_exact(&k->key, v, vn) != 0)
                return bad(e, line, "not a verifier key");
            if (!origin_of_event(k->key.name, t->event))
                return bad(e, line, "not a kiosk of this event (ikrar/<event>/<kiosk>)");
            if (t->n > 0 && strcmp(t->k[t->n - 1].key.name, k->key.name) >= 0)
                return bad(e, line, "kiosks out of order, or one kiosk twice");
            t->n++;
            continue;
        }
        if (keyword(s, len, "revoked", &v, &vn)) {
            revoking = 1;
            const char *sp = memchr(v, ' ', vn);
            uint64_t from;
            if (!sp || parse_num(sp + 1, vn - (size_t)(sp - v) - 1, &from) != 0)
                return bad(e, line, "not \"revoked <kiosk origin> <unix time>\"");
            size_t on = (size_t)(sp - v);
            int i = find_origin(t, v, on);
            if (i < 0)
                return bad(e, line, "revokes a kiosk that is not listed");
            if (strcmp(last_revoked, t->k[i].key.name) >= 0)
                return bad(e, line, "revocations out of order, or one kiosk twice");
            snprintf(last_revoked, sizeof last_revoked, "%s", t->k[i].key.name);
            t->k[i].revoked = 1;
            t->k[i].revoked_from = from;
            continue;
        }
        return bad(e, line, "not a kiosk or revoked line, or out of order");
    }
    *text_len = (size_t)(p - note) - 1; /* the body ends before the blank line */
    return IKR_OK;
}

int ikr_trust_parse(ikr_trust *t, const char *note, size_t n, ikr_err *e)
{
    size_t text_len = 0, got = 0;
    int rc = ikr_trust_parse_text(t, note, n, &text_len, e);
    if (rc)
        return rc;
    if (ikr_note_open(note, n, &t->event_key, 1, &got) != 0 || got != text_len)
        return ikr_err_set(e, IKR_E_TRUST_LIST, "not signed by its event key %s",
                           t->event_key.name);
    return IKR_OK;
}

int ikr_trust_new(ikr_trust *t, const char *event, const ikr_key *k, ikr_err *e)
{
    char name[IKR_MAX_ORIGIN + 1];
    ikr_buf line;
    memset(t, 0, sizeof *t);
    if (!ikr_event_id_ok(event))
        return ikr_err_set(e, IKR_E_EVENT_ID, "%s", event);
    snprintf(t->event, sizeof t->event, "%s", event);
    snprintf(name, sizeof name, IKR_TRUST_KEY_PREFIX "%s", event);
    ikr_buf_init(&line);
    int rc = ikr_vkey_format(&line, name, ikr_key_public(k)) ||
             ikr_vkey_parse(&t->event_key, (const char *)line.p, line.len);
    ikr_buf_free(&line);
    if (rc)
        return ikr_err_set(e, IKR_E_INTERNAL, "event key");
    t->serial = 1;
    return IKR_OK;
}

int ikr_trust_body(ikr_buf *out, const ikr_trust *t)
{
    char num[32];
    ikr_buf_adds(out, IKR_TRUST_HEADER "\nevent ");
    ikr_buf_adds(out, t->event);
    ikr_buf_adds(out, "\nkey ");
    ikr_vkey_format(out, t->event_key.name, t->event_key.pub);
    snprintf(num, sizeof num, "\nserial %" PRIu64 "\n", t->serial);
    ikr_buf_adds(out, num);
    for (size_t i = 0; i < t->n; i++) {
        ikr_buf_adds(out, "kiosk ");
        ikr_vkey_format(out, t->k[i].key.name, t->k[i].key.pub);
        ikr_buf_addc(out, '\n');
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->k[i].revoked) {
            snprintf(num, sizeof num, " %" PRIu64 "\n", t->k[i].revoked_from);
            ikr_buf_adds(out, "revoked ");
            ikr_buf_adds(out, t->k[i].key.name);
            ikr_buf_adds(out, num);
        }
    return out->len && out->p[out->len - 1] == '\n' ? IKR_OK : IKR_E_NOMEM;
}

int ikr_trust_sign(ikr_buf *out, const ikr_trust *t, const ikr_key *k, ikr_err *e)
{
    ikr_buf body, note;
    ikr_trust back;
    int rc;
    if (memcmp(ikr_key_public(k), t->event_key.pub, IKR_PUB_LEN) != 0)
        return ikr_err_set(e, IKR_E_KEY_MISMATCH, "the event key does not match the list's key");
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    if (ikr_trust_body(&body, t) ||
        ikr_note_sign(&note, (const char *)body.p, body.len, t->event_key.name, k)) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "signing the trust list");
    } else if (note.len > IKR_TRUST_MAX_NOTE) {
        rc = ikr_err_set(e, IKR_E_TRUST_LIST, "the list would be more than %d bytes",
                         IKR_TRUST_MAX_NOTE);
    } else if ((rc = ikr_trust_parse(&back, (const char *)note.p, note.len, e)) == IKR_OK) {
        rc = ikr_buf_add(out, note.p, note.len) ? ikr_err_set(e, IKR_E_NOMEM, NULL) : IKR_OK;
    }
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    return rc;
}

int ikr_trust_add(ikr_trust *t, const ikr_vkey *k, ikr_err *e)
{
    if (!origin_of_event(k->name, t->event))
        return ikr_err_set(e, IKR_E_TRUST_KIOSK, "%s is not named ikrar/%s/<kiosk>", k->name,
                           t->event);
    int i = find_origin(t, k->name, strlen(k->name));
    if (i >= 0)
        return memcmp(t->k[i].key.pub, k->pub, IKR_PUB_LEN) == 0
                   ? ikr_err_set(e, IKR_E_TRUST_SAME, "%s", k->name)
                   : ikr_err_set(e, IKR_E_TRUST_KIOSK,
                                 "%s is already listed with another key; a kiosk name is one key",
                                 k->name);
    if (t->n == IKR_TRUST_MAX_KIOSKS)
        return ikr_err_set(e, IKR_E_TRUST_KIOSK, "the list already holds %d kiosks",
                           IKR_TRUST_MAX_KIOSKS);
    size_t at = 0;
    while (at < t->n && strcmp(t->k[at].key.name, k->name) < 0)
        at++;
    memmove(&t->k[at + 1], &t->k[at], (t->n - at) * sizeof t->k[0]);
    memset(&t->k[at], 0, sizeof t->k[at]);
    t->k[at].key = *k;
    t->n++;
    return IKR_OK;
}

int ikr_trust_revoke(ikr_trust *t, const char *kiosk, uint64_t from, ikr_err *e)
{
    char origin[IKR_MAX_ORIGIN + 1];
    if (strchr(kiosk, '/'))
        snprintf(origin, sizeof origin, "%s", kiosk);
    else
        snprintf(origin, sizeof origin, "ikrar/%s/%s", t->event, kiosk);
    int i = find_origin(t, origin, strlen(origin));
    if (i < 0)
        return ikr_err_set(e, IKR_E_TRUST_KIOSK, "%s is not on the list", origin);
    t->k[i].revoked = 1;
    t->k[i].revoked_from = from;
    return IKR_OK;
}

const ikr_trust_kiosk *ikr_trust_find(const ikr_trust *t, const ikr_vkey *k)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->k[i].key.name, k->name) == 0 &&
            memcmp(t->k[i].key.pub, k->pub, IKR_PUB_LEN) == 0)
            return &t->k[i];
    return NULL;
}

int ikr_trust_check(const ikr_trust *t, const ikr_vkey *k, uint64_t when, ikr_err *e)
{
    const ikr_trust_kiosk *tk = ikr_trust_find(t, k);
    if (!tk)
        return ikr_err_set(e, IKR_E_TRUST_UNKNOWN, "%s", k->name);
    if (tk->revoked && when >= tk->revoked_from) {
        ikr_err_set(e, IKR_E_TRUST_REVOKED, "%s", k->name);
        return ikr_err_at(e, IKR_E_TRUST_REVOKED, 0, (int64_t)tk->revoked_from);
    }
    return IKR_OK;
}

/* One kiosk's bundle in dir against t. */
static int check_one_bundle(const ikr_trust *t, const char *dir, ikr_err *e)
{
    ikr_bundle b;
    int rc;
    if ((rc = ikr_bundle_open(&b, dir, e)))
        return rc;
    const ikr_trust_kiosk *tk = ikr_trust_find(t, &b.vkey);
    if (!tk)
        return ikr_err_set(e, IKR_E_TRUST_UNKNOWN, "%s", b.vkey.name);
    if (!tk->revoked)
        return IKR_OK;
    /* Revoked: every record must be from before the revocation. */
    ikr_bundle_reader rd;
    ikr_bundle_rec r;
    int got = 0;
    if ((rc = ikr_bundle_reader_open(&rd, &b, e)))
        return rc;
    ikr_bundle_rec_init(&r);
    while ((rc = ikr_bundle_next(&rd, &r, &got, e)) == IKR_OK && got) {
        ikr_cose cs;
        ikr_claims c;
        if (ikr_cose_parse(&cs, r.cose.p, r.cose.len) ||
            ikr_record_decode(&c, cs.payload, cs.payload_len)) {
            rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)r.seq, 0);
            break;
        }
        if (c.t >= tk->revoked_from) {
            ikr_err_set(e, IKR_E_TRUST_REVOKED, "%s (record %" PRIu64 ")", b.vkey.name, c.seq);
            rc = ikr_err_at(e, IKR_E_TRUST_REVOKED, 0, (int64_t)tk->revoked_from);
            break;
        }
    }
    ikr_bundle_rec_free(&r);
    ikr_bundle_reader_close(&rd);
    return rc;
}

int ikr_trust_check_bundle(const ikr_trust *t, const char *dir, ikr_err *e)
{
    ikr_merged_kiosk *ks = NULL;
    size_t nk = 0;
    if (!ikr_merged_is_bundle(dir))
        return check_one_bundle(t, dir, e);
    int rc = ikr_merged_list_kiosks(dir, &ks, &nk, e);
    for (size_t i = 0; rc == IKR_OK && i < nk; i++)
        rc = check_one_bundle(t, ks[i].dir, e);
    free(ks);
    return rc;
}

int ikr_trust_check_station(const ikr_trust *t, ikr_station *s, ikr_err *e)
{
    enum { BATCH = 256 };
    ikr_vkey own;
    ikr_buf line;
    ikr_buf_init(&line);
    int bad = ikr_station_vkey(s, &line) || ikr_vkey_parse(&own, (const char *)line.p, line.len);
    ikr_buf_free(&line);
    if (bad)
        return ikr_err_set(e, IKR_E_INTERNAL, "verifier key");
    const ikr_trust_kiosk *tk = ikr_trust_find(t, &own);
    if (!tk)
        return ikr_err_set(e, IKR_E_TRUST_UNKNOWN, "%s", own.name);
    if (!tk->revoked)
        return IKR_OK;
    ikr_log_row *rows = calloc(BATCH, sizeof *rows);
    if (!rows)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    for (size_t i = 0; i < BATCH; i++)
        ikr_log_row_init(&rows[i]);
    uint64_t after = 0;
    size_t got = 0;
    int rc;
    while ((rc = ikr_station_scan(s, after, rows, BATCH, 1u << 20, &got, e)) == IKR_OK && got) {
        for (size_t i = 0; i < got && rc == IKR_OK; i++)
            if (rows[i].t >= tk->revoked_from) {
                ikr_err_set(e, IKR_E_TRUST_REVOKED, "%s (record %" PRIu64 ")", own.name,
                            rows[i].seq);
                rc = ikr_err_at(e, IKR_E_TRUST_REVOKED, 0, (int64_t)tk->revoked_from);
            }
        after = rows[got - 1].seq;
        if (rc)
            break;
    }
    for (size_t i = 0; i < BATCH; i++)
        ikr_log_row_free(&rows[i]);
    free(rows);
    return rc;
}

int ikr_trust_load(ikr_trust *t, const char *path, ikr_err *e)
{
    ikr_buf b;
    ikr_buf_init(&b);
    int rc = ikr_file_read(path, IKR_TRUST_MAX_NOTE, &b, e);
    if (rc == IKR_E_IO && strstr(e->detail, "too large")) {
        ikr_err_clear(e);
        rc = ikr_err_set(e, IKR_E_TRUST_LIST, "%s: more than %d bytes", path, IKR_TRUST_MAX_NOTE);
    } else if (rc == IKR_OK) {
        ikr_err inner;
        ikr_err_clear(&inner);
        if ((rc = ikr_trust_parse(t, (const char *)b.p, b.len, &inner))) {
            *e = inner;
            snprintf(e->detail, sizeof e->detail, "%.80s: %.110s", path, inner.detail);
        }
    }
    ikr_buf_free(&b);
    return rc;
}

int ikr_trust_load_dir(ikr_trust *t, const char *dir, int *present, ikr_err *e)
{
    char path[IKR_FILE_PATH_MAX];
    struct stat sb;
    *present = 0;
    if (snprintf(path, sizeof path, "%s/%s", dir, IKR_TRUST_FILE) >= (int)sizeof path)
        return ikr_err_set(e, IKR_E_IO, "%s: the folder's name is too long", dir);
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return IKR_OK;
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return ikr_err_set(e, IKR_E_TRUST_LIST, "%s is not a regular file", path);
    int rc = ikr_trust_load(t, path, e);
    if (rc == IKR_OK)
        *present = 1;
    return rc;
}

int ikr_trust_install(const char *dir, const char *note, size_t n, const ikr_vkey *own,
                      ikr_trust *t, ikr_err *e)
{
    char path[IKR_FILE_PATH_MAX];
    ikr_trust *nw = malloc(sizeof *nw), *old = malloc(sizeof *old);
    int rc, present = 0;
    if (!nw || !old) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    if ((rc = ikr_trust_parse(nw, note, n, e)))
        goto out;
    if ((rc = ikr_trust_load_dir(old, dir, &present, e)))
        goto out;
    if (present) {
        if (strcmp(old->event_key.name, nw->event_key.name) != 0 ||
            memcmp(old->event_key.pub, nw->event_key.pub, IKR_PUB_LEN) != 0) {
            rc = ikr_err_set(e, IKR_E_TRUST_PIN,
                             "signed by another event key than the installed list's (%s)",
                             old->event_key.name);
            goto out;
        }
        if (nw->serial <= old->serial) {
            ikr_buf cur;
            ikr_buf_init(&cur);
            snprintf(path, sizeof path, "%s/%s", dir, IKR_TRUST_FILE);
            int same = nw->serial == old->serial &&
                       ikr_file_read(path, IKR_TRUST_MAX_NOTE, &cur, NULL) == IKR_OK &&
                       cur.len == n && memcmp(cur.p, note, n) == 0;
            ikr_buf_free(&cur);
            if (same)
                goto done; /* the very same list: nothing to do */
            rc = ikr_err_set(e, IKR_E_TRUST_PIN,
                             "its serial %" PRIu64
                             " is not higher than the installed list's %" PRIu64,
                             nw->serial, old->serial);
            goto out;
        }
    }
    if (!ikr_trust_find(nw, own)) {
        rc = ikr_err_set(e, IKR_E_TRUST_UNKNOWN, "this kiosk's own key %s is not on the list",
                         own->name);
        goto out;
    }
    if (snprintf(path, sizeof path, "%s/%s", dir, IKR_TRUST_FILE) >= (int)sizeof path) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: the folder's name is too long", dir);
        goto out;
    }
    if ((rc = ikr_file_write_atomic(path, note, n, 0644, e)))
        goto out;
done:
    if (t)
        *t = *nw;
out:
    free(nw);
    free(old);
    return rc;
}
