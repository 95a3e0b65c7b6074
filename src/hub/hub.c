/*
 * hub.c: the connection to the hub, its schema, the organiser's commands and
 * the kiosk's side (push, NIP claims, progress).  docs/hub.md tells the why.
 *
 * Every statement goes through hub_exec with its values bound as
 * parameters.  The only SQL built from text is CREATE/ALTER ROLE, which
 * cannot take parameters: its role name is made here from hex digits and its
 * password from random hex, both quoted with libpq's own escaping.
 */
#include "hub_int.h"

#include <errno.h>
#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "ikrar/file.h"
#include "ikrar/merkle.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"
#include "schema.sql.h"

/* ---- the connection ---- */

/* The first line of libpq's words, without the "ERROR:  " it may start with. */
static void first_line(char *out, size_t n, const char *msg)
{
    const char *p = msg ? msg : "";
    if (!strncmp(p, "ERROR:  ", 8))
        p += 8;
    size_t k = strcspn(p, "\n");
    if (k >= n)
        k = n - 1;
    memcpy(out, p, k);
    out[k] = '\0';
}

int hub_fail(ikr_hub *h, const PGresult *res, ikr_err *e)
{
    char words[IKR_ERR_DETAIL];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    first_line(words, sizeof words, res ? PQresultErrorMessage(res) : PQerrorMessage(h->c));
    if (PQstatus(h->c) != CONNECTION_OK || (state && !strncmp(state, "08", 2)) ||
        (state && !strcmp(state, "57P01")))
        return ikr_err_set(e, IKR_E_HUB_CONNECT, "%s", words[0] ? words : "connection lost");
    if (state && !strcmp(state, "42501"))
        return ikr_err_set(e, IKR_E_HUB_DENIED, "%s", words);
    if (state && (!strcmp(state, "42P01") || !strcmp(state, "3F000") || !strcmp(state, "42883")))
        return ikr_err_set(e, IKR_E_HUB_SCHEMA, "%s", words);
    if (state && !strcmp(state, "53100"))
        return ikr_err_set(e, IKR_E_DISK_FULL, "hub: %s", words);
    return ikr_err_set(e, IKR_E_HUB, "%s", words);
}

int hub_exec(ikr_hub *h, PGresult **out, const char *sql, int n, const char *const *vals,
             const int *lens, const int *bin, int binary_result, ikr_err *e)
{
    PGresult *r = PQexecParams(h->c, sql, n, NULL, vals, lens, bin, binary_result);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = hub_fail(h, r, e);
        PQclear(r);
        if (out)
            *out = NULL;
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return IKR_OK;
}

int hub_simple(ikr_hub *h, const char *sql, ikr_err *e)
{
    /* PQexec: the schema is several statements; nothing here takes a value. */
    PGresult *r = PQexec(h->c, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    int rc = IKR_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = hub_fail(h, r, e);
    PQclear(r);
    return rc;
}

int hub_text1(ikr_hub *h, const char *sql, const char *a, const char *b, ikr_buf *out, int *found,
              ikr_err *e)
{
    const char *v[2] = {a, b};
    PGresult *r;
    int rc = hub_exec(h, &r, sql, b ? 2 : a ? 1 : 0, v, NULL, NULL, 0, e);
    if (rc)
        return rc;
    *found = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0);
    ikr_buf_reset(out);
    if (*found && ikr_buf_add(out, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0)))
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub");
    PQclear(r);
    return rc;
}

int hub_u64(const PGresult *r, int row, int col, uint64_t *v)
{
    if (PQgetisnull(r, row, col)) {
        *v = 0;
        return 0;
    }
    const char *s = PQgetvalue(r, row, col);
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *v = x;
    return 0;
}

void hub_copy(char *out, size_t n, const PGresult *r, int row, int col)
{
    const char *s = PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
    size_t k = strlen(s);
    if (k >= n)
        k = n - 1;
    memcpy(out, s, k);
    out[k] = '\0';
}

int ikr_hub_connect(ikr_hub **out, const char *url, int timeout_s, ikr_err *e)
{
    *out = NULL;
    if (!url || !url[0] || strlen(url) > IKR_HUB_MAX_URL)
        return ikr_err_set(e, IKR_E_HUB_CONNECT, "the hub's address is empty or too long");
    if (timeout_s < 2)
        timeout_s = 2;
    char tmo[16], opts[96], user_tmo[24];
    snprintf(tmo, sizeof tmo, "%d", timeout_s);
    /* Each statement is cut after four connect timeouts, so a hub that hangs never holds a
     * kiosk's push (or a claim) for ever; the TCP user timeout notices a cut cable too. */
    snprintf(opts, sizeof opts, "-c statement_timeout=%d -c lock_timeout=%d", timeout_s * 4000,
             timeout_s * 2000);
    snprintf(user_tmo, sizeof user_tmo, "%d", timeout_s * 2000);
    const char *keys[] = {"dbname",
                          "connect_timeout",
                          "options",
                          "tcp_user_timeout",
                          "keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "application_name",
                          NULL};
    const char *vals[] = {url, tmo, opts, user_tmo, "1", "5", "2", "3", "ikrar", NULL};
    ikr_hub *h = calloc(1, sizeof *h);
    if (!h)
        return ikr_err_set(e, IKR_E_NOMEM, "hub");
    h->timeout_s = timeout_s;
    memcpy(h->url, url, strlen(url) + 1);
    h->c = PQconnectdbParams(keys, vals, 1);
    if (!h->c || PQstatus(h->c) != CONNECTION_OK) {
        char words[IKR_ERR_DETAIL];
        first_line(words, sizeof words, h->c ? PQerrorMessage(h->c) : "out of memory");
        ikr_hub_close(h);
        return ikr_err_set(e, IKR_E_HUB_CONNECT, "%s", words);
    }
    PQsetClientEncoding(h->c, "UTF8");
    *out = h;
    return IKR_OK;
}

void ikr_hub_close(ikr_hub *h)
{
    if (!h)
        return;
    if (h->c)
        PQfinish(h->c);
    free(h);
}

/* ---- the organiser ---- */

int ikr_hub_init(ikr_hub *h, const char *witness_vkey, ikr_err *e)
{
    ikr_vkey w;
    if (ikr_witness_vkey_parse(&w, witness_vkey, strlen(witness_vkey)))
        return ikr_err_set(e, IKR_E_VKEY, "witness key");
    ikr_buf have;
    int found = 0, rc;
    ikr_buf_init(&have);
    rc = hub_text1(h, "SELECT 1 FROM pg_namespace WHERE nspname = 'ikrar'", NULL, NULL, &have,
                   &found, e);
    if (!rc && found) {
        rc = hub_text1(h, "SELECT v FROM ikrar.meta WHERE k = 'witness'", NULL, NULL, &have, &found,
                       e);
        if (!rc &&
            (!found || have.len != strlen(witness_vkey) || memcmp(have.p, witness_vkey, have.len)))
            rc = ikr_err_set(e, IKR_E_HUB_EXISTS, "witness");
        ikr_buf_free(&have);
        return rc;
    }
    ikr_buf_free(&have);
    if (rc)
        return rc;
    const char *v[2] = {witness_vkey, IKR_HUB_SCHEMA_VERSION};
    if ((rc = hub_simple(h, "BEGIN", e)))
        return rc;
    if ((rc = hub_simple(h, ikr_hub_schema, e)) ||
        (rc = hub_exec(h, NULL, "INSERT INTO ikrar.meta VALUES ('witness', $1), ('version', $2)", 2,
                       v, NULL, NULL, 0, e)) ||
        (rc = hub_simple(h, "COMMIT", e))) {
        hub_simple(h, "ROLLBACK", NULL);
        return rc;
    }
    return IKR_OK;
}

int ikr_hub_witness(ikr_hub *h, ikr_buf *out, ikr_err *e)
{
    int found = 0;
    int rc =
        hub_text1(h, "SELECT v FROM ikrar.meta WHERE k = 'witness'", NULL, NULL, out, &found, e);
    if (!rc && (!found || out->len > IKR_MAX_VKEY_LINE))
        rc = ikr_err_set(e, IKR_E_HUB_SCHEMA, "no witness key");
    if (!rc && ikr_buf_addc(out, '\0'))
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub");
    if (!rc)
        out->len--;
    return rc;
}

int hub_event_trust(ikr_hub *h, const char *event, ikr_trust *t, ikr_err *e)
{
    ikr_buf note;
    int found = 0;
    ikr_buf_init(&note);
    int rc =
        hub_text1(h, "SELECT trust FROM ikrar.event WHERE id = $1", event, NULL, &note, &found, e);
    if (!rc && !found)
        rc = ikr_err_set(e, IKR_E_HUB_EVENT, "%s", event);
    if (!rc && note.len > IKR_TRUST_MAX_NOTE)
        rc = ikr_err_set(e, IKR_E_TRUST_LIST, "at the hub: too long");
    if (!rc)
        rc = ikr_trust_parse(t, (const char *)note.p, note.len, e);
    ikr_buf_free(&note);
    return rc;
}

int ikr_hub_event_put(ikr_hub *h, ikr_station *s, ikr_err *e)
{
    const ikr_event_info *ev = ikr_station_event(s);
    ikr_trust *t = malloc(sizeof *t), *old = malloc(sizeof *old);
    ikr_buf note, json, key;
    int present = 0, rc, found = 0;
    ikr_buf_init(&note);
    ikr_buf_init(&json);
    ikr_buf_init(&key);
    if (!t || !old) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub");
        goto out;
    }
    if ((rc = ikr_trust_load_dir(t, ikr_station_dir(s), &present, e)))
        goto out;
    if (!present) {
        rc = ikr_err_set(e, IKR_E_HUB_NO_TRUST, "%s", ikr_station_dir(s));
        goto out;
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", ikr_station_dir(s), IKR_TRUST_FILE);
    if ((rc = ikr_file_read(path, IKR_TRUST_MAX_NOTE, &note, e)))
        goto out;
    if (ikr_bundle_event_json_of(&json, ev) || ikr_buf_addc(&json, '\0') ||
        ikr_vkey_format(&key, t->event_key.name, t->event_key.pub) || ikr_buf_addc(&key, '\0')) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub");
        goto out;
    }
    if ((rc = hub_simple(h, "BEGIN", e)))
        goto out;
    /* The event key is pinned by the first list; a later one must be newer, as on a kiosk. */
    ikr_buf pinned;
    ikr_buf_init(&pinned);
    rc = hub_text1(h, "SELECT event_key FROM ikrar.event WHERE id = $1 FOR UPDATE", ev->event, NULL,
                   &pinned, &found, e);
    if (!rc && found) {
        if ((rc = hub_event_trust(h, ev->event, old, e)) == IKR_OK) {
            if (pinned.len != strlen((char *)key.p) || memcmp(pinned.p, key.p, pinned.len))
                rc = ikr_err_set(e, IKR_E_TRUST_PIN, "another event key");
            else if (t->serial < old->serial)
                rc = ikr_err_set(e, IKR_E_TRUST_PIN, "serial %" PRIu64 " is older than %" PRIu64,
                                 t->serial, old->serial);
        }
    }
    ikr_buf_free(&pinned);
    if (!rc) {
        char serial[24], zone[16];
        snprintf(serial, sizeof serial, "%" PRIu64, t->serial);
        snprintf(zone, sizeof zone, "%d", ev->zone_min);
        const char *v[] = {ev->event,      (char *)key.p, (const char *)note.p,
                           serial,         ev->decl,      (const char *)ev->decl_hash,
                           (char *)json.p, zone};
        int lens[] = {0, 0, (int)note.len, 0, (int)ev->decl_len, IKR_HASH_LEN, 0, 0};
        int bin[] = {0, 0, 1, 0, 1, 1, 0, 0};
        rc = hub_exec(h, NULL,
                      "INSERT INTO ikrar.event VALUES ($1, $2, convert_from($3, 'UTF8'), $4, $5, "
                      "$6, $7, $8) ON CONFLICT (id) DO UPDATE SET trust = excluded.trust, "
                      "serial = excluded.serial, event_json = excluded.event_json, "
                      "zone_min = excluded.zone_min "
                      "WHERE ikrar.event.decl_hash = excluded.decl_hash",
                      8, v, lens, bin, 0, e);
    }
    if (!rc) {
        /* The declaration is what every record hashes: an event keeps the one it began with. */
        ikr_buf dh;
        ikr_buf_init(&dh);
        rc = hub_text1(h, "SELECT encode(decl_hash, 'hex') FROM ikrar.event WHERE id = $1",
                       ev->event, NULL, &dh, &found, e);
        char want[2 * IKR_HASH_LEN + 1];
        ikr_hex(want, ev->decl_hash, IKR_HASH_LEN);
        if (!rc && (dh.len != 2 * IKR_HASH_LEN || memcmp(dh.p, want, dh.len)))
            rc = ikr_err_set(e, IKR_E_HUB, "the event %s at the hub has another declaration",
                             ev->event);
        ikr_buf_free(&dh);
    }
    if (!rc)
        rc = hub_simple(h, "COMMIT", e);
    if (rc)
        hub_simple(h, "ROLLBACK", NULL);
out:
    free(t);
    free(old);
    ikr_buf_free(&note);
    ikr_buf_free(&json);
    ikr_buf_free(&key);
    return rc;
}

#define ROSTER_BATCH 500 /* roster rows an INSERT */

typedef struct roster_put_ctx {
    ikr_hub *h;
    const char *event;
    uint64_t rows;
    size_t n;
    ikr_roster_entry *batch; /* ROSTER_BATCH of them */
    ikr_buf sql;
} roster_put_ctx;

static int roster_flush(roster_put_ctx *c, ikr_err *e)
{
    enum { P = 6 };
    const char *v[1 + P * ROSTER_BATCH];
    char line[ROSTER_BATCH][24];
    if (c->n == 0)
        return IKR_OK;
    ikr_buf_reset(&c->sql);
    int bad = ikr_buf_adds(&c->sql, "INSERT INTO ikrar.roster VALUES ");
    v[0] = c->event;
    for (size_t i = 0; i < c->n; i++) {
        const ikr_roster_entry *r = &c->batch[i];
        size_t b = 1 + P * i;
        char one[96];
        snprintf(one, sizeof one, "%s($1, $%zu::bigint, $%zu, $%zu, $%zu, $%zu, $%zu)",
                 i ? ", " : "", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6);
        bad |= ikr_buf_adds(&c->sql, one);
        snprintf(line[i], sizeof line[i], "%" PRIu64, r->line);
        v[b] = line[i];
        v[b + 1] = r->who.name;
        v[b + 2] = ikr_status_name(r->who.status);
        v[b + 3] = r->who.nip[0] ? r->who.nip : NULL;
        v[b + 4] = r->who.pos[0] ? r->who.pos : NULL;
        v[b + 5] = r->who.unit;
    }
    if (bad || ikr_buf_addc(&c->sql, '\0'))
        return ikr_err_set(e, IKR_E_NOMEM, "roster");
    int rc = hub_exec(c->h, NULL, (const char *)c->sql.p, (int)(1 + P * c->n), v, NULL, NULL, 0, e);
    if (!rc)
        c->rows += c->n;
    c->n = 0;
    return rc;
}

static int roster_row(void *ctx, const ikr_roster_entry *r, ikr_err *e)
{
    roster_put_ctx *c = ctx;
    c->batch[c->n++] = *r;
    return c->n == ROSTER_BATCH ? roster_flush(c, e) : IKR_OK;
}

static int roster_put(ikr_hub *h, const char *event, const uint8_t *p, size_t n, uint64_t now,
                      roster_put_ctx *c, const ikr_roster_sink *sink, ikr_err *e);

int ikr_hub_roster_put(ikr_hub *h, const char *event, const uint8_t *p, size_t n, uint64_t now,
                       uint64_t *rows, ikr_err *e)
{
    roster_put_ctx c = {h, event, 0, 0, calloc(ROSTER_BATCH, sizeof(ikr_roster_entry)), {0}};
    ikr_roster_sink sink = {roster_row, NULL, &c};
    if (!c.batch)
        return ikr_err_set(e, IKR_E_NOMEM, "roster");
    ikr_buf_init(&c.sql);
    int rc = roster_put(h, event, p, n, now, &c, &sink, e);
    if (!rc && rows)
        *rows = c.rows;
    free(c.batch);
    ikr_buf_free(&c.sql);
    return rc;
}

static int roster_put(ikr_hub *h, const char *event, const uint8_t *p, size_t n, uint64_t now,
                      roster_put_ctx *c, const ikr_roster_sink *sink, ikr_err *e)
{
    ikr_buf have;
    int found = 0, rc;
    ikr_buf_init(&have);
    rc = hub_text1(h, "SELECT 1 FROM ikrar.event WHERE id = $1", event, NULL, &have, &found, e);
    ikr_buf_free(&have);
    if (!rc && !found)
        rc = ikr_err_set(e, IKR_E_HUB_EVENT, "%s", event);
    if (rc)
        return rc;
    if ((rc = hub_simple(h, "BEGIN", e)))
        return rc;
    const char *v[1] = {event};
    ikr_roster_count cnt;
    /* The event for update: verifiers of its kiosks (which take it shared) wait meanwhile. */
    if (!(rc = hub_exec(h, NULL, "SELECT 1 FROM ikrar.event WHERE id = $1 FOR UPDATE", 1, v, NULL,
                        NULL, 0, e)) &&
        !(rc = hub_exec(h, NULL, "DELETE FROM ikrar.roster WHERE event = $1", 1, v, NULL, NULL, 0,
                        e)) &&
        !(rc = ikr_roster_parse(p, n, now, sink, &cnt, e)) && !(rc = roster_flush(c, e))) {
        /* As a kiosk's import: a roster with a refused row, or none valid, changes nothing. */
        if (cnt.invalid > 0)
            rc = ikr_err_at(e, IKR_E_ROSTER_INVALID, (int64_t)cnt.invalid, 0);
        else if (cnt.valid == 0)
            rc = ikr_err_set(e, IKR_E_ROSTER_EMPTY, "hub");
        /* Who of it signed already, and the counts per unit stats reads. */
        else if (!(rc = hub_exec(h, NULL,
                                 "UPDATE ikrar.roster ro SET signed = true WHERE ro.event = $1 "
                                 "AND ro.nip IS NOT NULL AND EXISTS (SELECT 1 FROM ikrar.nip_count "
                                 "x WHERE x.event = $1 AND x.nip = ro.nip)",
                                 1, v, NULL, NULL, 0, e)) &&
                 !(rc = hub_exec(h, NULL,
                                 "UPDATE ikrar.roster ro SET signed = true WHERE ro.event = $1 "
                                 "AND ro.nip IS NULL AND EXISTS (SELECT 1 FROM ikrar.record r "
                                 "WHERE r.event = $1 AND r.nip IS NULL "
                                 "AND lower(r.name) = lower(ro.name) "
                                 "AND lower(coalesce(r.unit, '')) = lower(ro.unit))",
                                 1, v, NULL, NULL, 0, e)) &&
                 !(rc = hub_exec(h, NULL, "DELETE FROM ikrar.roster_unit WHERE event = $1", 1, v,
                                 NULL, NULL, 0, e)) &&
                 !(rc = hub_exec(h, NULL,
                                 "INSERT INTO ikrar.roster_unit SELECT event, unit, count(*), "
                                 "count(*) FILTER (WHERE signed) FROM ikrar.roster "
                                 "WHERE event = $1 GROUP BY event, unit",
                                 1, v, NULL, NULL, 0, e)))
            rc = hub_simple(h, "COMMIT", e);
    }
    if (rc)
        hub_simple(h, "ROLLBACK", NULL);
    return rc;
}

/* ---- joining a kiosk ---- */

/* The login role of the kiosk with this origin: ikrar_k_ and 24 hex digits of its hash. */
static void role_of(char out[40], const char *origin)
{
    uint8_t d[IKR_HASH_LEN];
    char hex[2 * IKR_HASH_LEN + 1];
    ikr_sha256(d, origin, strlen(origin));
    ikr_hex(hex, d, 12);
    memcpy(out, "ikrar_k_", 8);
    memcpy(out + 8, hex, 24);
    out[32] = '\0';
}

/* Appends key='value' (quoted as libpq's conninfo wants) and a space to out. */
static int conninfo_add(ikr_buf *out, const char *key, const char *val)
{
    int rc = ikr_buf_adds(out, key) | ikr_buf_adds(out, "='");
    for (const char *p = val; *p; p++) {
        if (*p == '\'' || *p == '\\')
            rc |= ikr_buf_addc(out, '\\');
        rc |= ikr_buf_addc(out, *p);
    }
    return rc | ikr_buf_adds(out, "' ");
}

int ikr_hub_join(ikr_hub *h, const char *admin_url, ikr_station *s, ikr_hub_conf *c, ikr_err *e)
{
    const ikr_event_info *ev = ikr_station_event(s);
    ikr_trust *t = malloc(sizeof *t);
    ikr_buf vk, url, wit;
    ikr_vkey own;
    char role[40], pw[33];
    uint8_t rnd[16];
    PQconninfoOption *opts = NULL;
    int rc;
    ikr_buf_init(&vk);
    ikr_buf_init(&url);
    ikr_buf_init(&wit);
    memset(c, 0, sizeof *c);
    if (!t) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub");
        goto out;
    }
    if (ikr_station_vkey(s, &vk) || ikr_vkey_parse(&own, (const char *)vk.p, vk.len)) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "own key");
        goto out;
    }
    if ((rc = hub_event_trust(h, ev->event, t, e)))
        goto out;
    if (!ikr_trust_find(t, &own)) {
        rc = ikr_err_set(e, IKR_E_TRUST_UNKNOWN, "%s", own.name);
        goto out;
    }
    if ((rc = ikr_hub_witness(h, &wit, e)))
        goto out;
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
        rc = ikr_err_set(e, IKR_E_CRYPTO, "RAND_bytes");
        goto out;
    }
    ikr_hex(pw, rnd, sizeof rnd);
    role_of(role, ev->origin);
    char *qrole = PQescapeIdentifier(h->c, role, strlen(role));
    char *qpw = PQescapeLiteral(h->c, pw, strlen(pw));
    char sql[256];
    ikr_buf have;
    int found = 0;
    ikr_buf_init(&have);
    if (!qrole || !qpw) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub");
        goto esc;
    }
    if ((rc = hub_simple(h, "BEGIN", e)))
        goto esc;
    rc = hub_text1(h, "SELECT 1 FROM pg_roles WHERE rolname = $1", role, NULL, &have, &found, e);
    if (!rc) {
        snprintf(sql, sizeof sql,
                 found ? "ALTER ROLE %s LOGIN PASSWORD %s"
                       : "CREATE ROLE %s LOGIN IN ROLE ikrar_kiosk PASSWORD %s",
                 qrole, qpw);
        rc = hub_simple(h, sql, e);
    }
    if (!rc) {
        const char *v[] = {ev->origin, ev->event, ev->kiosk, role, (const char *)vk.p};
        int lens[] = {0, 0, 0, 0, (int)vk.len};
        int bin[] = {0, 0, 0, 0, 1};
        rc = hub_exec(h, NULL,
                      "INSERT INTO ikrar.kiosk (origin, event, name, role, vkey) "
                      "VALUES ($1, $2, $3, $4, convert_from($5, 'UTF8')) ON CONFLICT DO NOTHING",
                      5, v, lens, bin, 0, e);
    }
    if (!rc) {
        /* An origin joined before must be the same key: a new key is a new kiosk name. */
        const char *v[] = {ev->origin};
        rc = hub_text1(h, "SELECT vkey FROM ikrar.kiosk WHERE origin = $1", v[0], NULL, &have,
                       &found, e);
        if (!rc && (!found || have.len != vk.len || memcmp(have.p, vk.p, vk.len)))
            rc = ikr_err_set(e, IKR_E_TRUST_KIOSK, "%s joined the hub before with another key",
                             ev->origin);
    }
    if (!rc)
        rc = hub_simple(h, "COMMIT", e);
    if (rc)
        hub_simple(h, "ROLLBACK", NULL);
esc:
    ikr_buf_free(&have);
    PQfreemem(qrole);
    PQfreemem(qpw);
    if (rc)
        goto out;
    /* The kiosk's URL: the organiser's, with the kiosk's role and password instead. */
    char *why = NULL;
    if (!(opts = PQconninfoParse(admin_url, &why))) {
        rc = ikr_err_set(e, IKR_E_HUB_CONNECT, "%s", why ? why : "bad address");
        PQfreemem(why);
        goto out;
    }
    int bad = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!strcmp(o->keyword, "user"))
            bad |= conninfo_add(&url, "user", role);
        else if (!strcmp(o->keyword, "password"))
            bad |= conninfo_add(&url, "password", pw);
        else if (o->val && o->val[0] && strcmp(o->keyword, "passfile"))
            bad |= conninfo_add(&url, o->keyword, o->val);
    }
    if (bad || url.len == 0 || url.len > IKR_HUB_MAX_URL) {
        rc = ikr_err_set(e, bad ? IKR_E_NOMEM : IKR_E_HUB_CONNECT, "kiosk address");
        goto out;
    }
    url.len--; /* the last space */
    memcpy(c->url, url.p, url.len);
    c->url[url.len] = '\0';
    snprintf(c->witness, sizeof c->witness, "%s", (const char *)wit.p);
out:
    if (opts)
        PQconninfoFree(opts);
    free(t);
    ikr_buf_free(&vk);
    ikr_buf_free(&url);
    ikr_buf_free(&wit);
    return rc;
}

/* hub.conf: two lines, "url <conninfo>" and "witness <verifier key>". */
int ikr_hub_conf_load(const char *dir, ikr_hub_conf *c, int *present, ikr_err *e)
{
    char path[1200];
    ikr_buf b;
    ikr_vkey w;
    memset(c, 0, sizeof *c);
    *present = 0;
    snprintf(path, sizeof path, "%s/%s", dir, IKR_HUB_CONF_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? IKR_OK : ikr_err_set(e, IKR_E_HUB_CONF, "%s", path);
    fclose(f);
    ikr_buf_init(&b);
    int rc = ikr_file_read(path, 2 * IKR_HUB_MAX_URL + 2 * IKR_MAX_VKEY_LINE, &b, e);
    if (rc) {
        ikr_buf_free(&b);
        return rc;
    }
    const char *p = (const char *)b.p, *end = p + b.len;
    int have_url = 0, have_w = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > 4 && !memcmp(p, "url ", 4) && n - 4 <= IKR_HUB_MAX_URL &&
            !memchr(p + 4, '\0', n - 4)) {
            memcpy(c->url, p + 4, n - 4);
            have_url = 1;
        } else if (n > 8 && !memcmp(p, "witness ", 8) && n - 8 <= IKR_MAX_VKEY_LINE &&
                   !ikr_witness_vkey_parse(&w, p + 8, n - 8)) {
            memcpy(c->witness, p + 8, n - 8);
            have_w = 1;
        } else if (n) {
            rc = ikr_err_set(e, IKR_E_HUB_CONF, "%s: a line is not url or witness", path);
        }
        p += n + 1;
    }
    ikr_buf_free(&b);
    if (!rc && !(have_url && have_w))
        rc = ikr_err_set(e, IKR_E_HUB_CONF, "%s: url or witness missing", path);
    if (!rc)
        *present = 1;
    return rc;
}

int ikr_hub_conf_save(const char *dir, const ikr_hub_conf *c, ikr_err *e)
{
    char path[1200];
    ikr_buf b;
    ikr_buf_init(&b);
    snprintf(path, sizeof path, "%s/%s", dir, IKR_HUB_CONF_FILE);
    int rc = ikr_buf_adds(&b, "url ") | ikr_buf_adds(&b, c->url) | ikr_buf_adds(&b, "\nwitness ") |
             ikr_buf_adds(&b, c->witness) | ikr_buf_addc(&b, '\n');
    if (rc)
        rc = ikr_err_set(e, IKR_E_NOMEM, "hub.conf");
    else
        rc = ikr_file_write_atomic(path, b.p, b.len, 0600, e); /* it holds the kiosk's password */
    ikr_buf_free(&b);
    return rc;
}

/* ---- a kiosk: push ---- */

#define PUSH_BATCH 200              /* records an INSERT */
#define PUSH_BATCH_BYTES (4u << 20) /* bytes of COSE and ink an INSERT */

static int push_batch(ikr_hub *h, const ikr_log_row *rows, size_t n, ikr_buf *sql, ikr_err *e)
{
    const char **v = calloc(3 * n, sizeof *v);
    int *lens = calloc(3 * n, sizeof *lens), *bin = calloc(3 * n, sizeof *bin);
    char(*seq)[24] = calloc(n, sizeof *seq);
    int rc;
    if (!v || !lens || !bin || !seq) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "push");
        goto out;
    }
    ikr_buf_reset(sql);
    rc = ikr_buf_adds(sql, "INSERT INTO ikrar.inbox (seq, cose, ink) VALUES ");
    for (size_t i = 0; i < n; i++) {
        char one[128];
        snprintf(one, sizeof one, "%s($%zu::bigint, $%zu, $%zu)", i ? ", " : "", 3 * i + 1,
                 3 * i + 2, 3 * i + 3);
        rc |= ikr_buf_adds(sql, one);
        snprintf(seq[i], sizeof seq[i], "%" PRIu64, rows[i].seq);
        v[3 * i] = seq[i];
        v[3 * i + 1] = (const char *)rows[i].cose.p;
        lens[3 * i + 1] = (int)rows[i].cose.len;
        bin[3 * i + 1] = 1;
        v[3 * i + 2] = rows[i].has_ink ? (const char *)rows[i].ink.p : NULL;
        lens[3 * i + 2] = (int)rows[i].ink.len;
        bin[3 * i + 2] = 1;
    }
    rc |= ikr_buf_adds(sql, " ON CONFLICT DO NOTHING") | ikr_buf_addc(sql, '\0');
    if (rc) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "push");
        goto out;
    }
    rc = hub_exec(h, NULL, (const char *)sql->p, (int)(3 * n), v, lens, bin, 0, e);
out:
    free(v);
    free(lens);
    free(bin);
    free(seq);
    return rc;
}

/* The kiosk's own verifier key, parsed. */
static int own_vkey(ikr_station *s, ikr_vkey *own, ikr_err *e)
{
    ikr_buf vk;
    ikr_buf_init(&vk);
    int bad = ikr_station_vkey(s, &vk) || ikr_vkey_parse(own, (const char *)vk.p, vk.len);
    ikr_buf_free(&vk);
    return bad ? ikr_err_set(e, IKR_E_INTERNAL, "own key") : IKR_OK;
}

/* Reads and checks dir/name as a checkpoint of own: its size and root. */
static int read_checkpoint(const char *dir, const char *name, const ikr_vkey *own, ikr_buf *note,
                           uint64_t *size, uint8_t root[IKR_HASH_LEN], ikr_err *e)
{
    char path[1200], origin[IKR_MAX_ORIGIN + 1];
    const char *why = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = ikr_file_read(path, IKR_MAX_NOTE, note, e);
    if (rc)
        return rc;
    if (ikr_checkpoint_open((const char *)note->p, note->len, own, origin, size, root, &why))
        return ikr_err_set(e, IKR_E_LOG_DAMAGED, "%s: %s", path, why ? why : "not a checkpoint");
    return IKR_OK;
}

/*
 * Checks a cosigned checkpoint from the hub: the kiosk's own signature over
 * its body, the witness's cosignature, and a root that is the log's own at
 * that size.  *size and *when get what it says.
 */
static int check_cosigned(ikr_station *s, const ikr_vkey *own, const ikr_vkey *w, const char *note,
                          size_t n, uint64_t *size, uint64_t *when, ikr_err *e)
{
    char origin[IKR_MAX_ORIGIN + 1];
    uint8_t root[IKR_HASH_LEN], mine[IKR_HASH_LEN];
    size_t text_len = 0;
    if (n > IKR_MAX_NOTE || ikr_note_open(note, n, own, 1, &text_len) ||
        ikr_checkpoint_parse(note, text_len, origin, size, root) || strcmp(origin, own->name))
        return ikr_err_set(e, IKR_E_HUB_COSIG, "not signed by this kiosk");
    if (ikr_cosig_open(note, n, w, when))
        return ikr_err_set(e, IKR_E_HUB_COSIG, "no good cosignature by %s", w->name);
    if (s) {
        uint64_t have = 0;
        int rc = ikr_station_size(s, &have, e);
        if (rc)
            return rc;
        if (*size > have || ikr_station_root(s, *size, mine, e) || memcmp(mine, root, IKR_HASH_LEN))
            return ikr_err_set(e, IKR_E_HUB_COSIG, "its root at %" PRIu64 " is not this log's",
                               *size);
    }
    return IKR_OK;
}

int ikr_hub_synced(const char *dir, const ikr_vkey *own, const ikr_hub_conf *c, uint64_t *size,
                   uint64_t *when, ikr_err *e)
{
    char path[1200];
    ikr_buf b;
    ikr_vkey w;
    *size = 0;
    *when = 0;
    if (ikr_witness_vkey_parse(&w, c->witness, strlen(c->witness)))
        return ikr_err_set(e, IKR_E_HUB_CONF, "witness key");
    snprintf(path, sizeof path, "%s/%s", dir, IKR_HUB_COSIGNED_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? IKR_OK : ikr_err_set(e, IKR_E_IO, "%s", path);
    fclose(f);
    ikr_buf_init(&b);
    int rc = ikr_file_read(path, IKR_MAX_NOTE, &b, e);
    if (!rc)
        rc = check_cosigned(NULL, own, &w, (const char *)b.p, b.len, size, when, e);
    ikr_buf_free(&b);
    return rc;
}

int ikr_hub_witnessed(ikr_station *s, const ikr_hub_conf *c, uint64_t *size, uint64_t *when,
                      ikr_err *e)
{
    char path[1200];
    ikr_buf b;
    ikr_vkey own, w;
    int rc;
    *size = 0;
    *when = 0;
    if (ikr_witness_vkey_parse(&w, c->witness, strlen(c->witness)))
        return ikr_err_set(e, IKR_E_HUB_CONF, "witness key");
    if ((rc = own_vkey(s, &own, e)))
        return rc;
    snprintf(path, sizeof path, "%s/%s", ikr_station_dir(s), IKR_HUB_COSIGNED_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? IKR_OK : ikr_err_set(e, IKR_E_IO, "%s", path);
    fclose(f);
    ikr_buf_init(&b);
    rc = ikr_file_read(path, IKR_MAX_NOTE, &b, e);
    if (!rc)
        rc = check_cosigned(s, &own, &w, (const char *)b.p, b.len, size, when, e);
    ikr_buf_free(&b);
    if (rc)
        *size = *when = 0;
    return rc;
}

int ikr_hub_push(ikr_hub *h, ikr_station *s, const ikr_hub_conf *c, ikr_hub_push_result *r,
                 ikr_err *e)
{
    const char *dir = ikr_station_dir(s);
    ikr_vkey own, w;
    ikr_buf head, sql;
    ikr_log_row *rows = NULL;
    uint8_t root[IKR_HASH_LEN];
    uint64_t local = 0, hub_size = 0, waiting = 0;
    PGresult *res = NULL;
    int rc;
    memset(r, 0, sizeof *r);
    ikr_buf_init(&head);
    ikr_buf_init(&sql);
    if (ikr_witness_vkey_parse(&w, c->witness, strlen(c->witness)))
        return ikr_err_set(e, IKR_E_HUB_CONF, "witness key");
    if ((rc = own_vkey(s, &own, e)) ||
        (rc = read_checkpoint(dir, IKR_HEAD_FILE, &own, &head, &local, root, e)))
        goto out;
    r->local = local;
    if ((rc = hub_exec(h, &res, "SELECT size, waiting, flag FROM ikrar.kiosk_state()", 0, NULL,
                       NULL, NULL, 0, e)))
        goto out;
    if (PQntuples(res) != 1 || hub_u64(res, 0, 0, &hub_size) || hub_u64(res, 0, 1, &waiting)) {
        rc = ikr_err_set(e, IKR_E_HUB_CONF, "this kiosk is not joined to the hub it reaches");
        goto out;
    }
    if (!PQgetisnull(res, 0, 2)) {
        r->flagged = 1;
        hub_copy(r->flag, sizeof r->flag, res, 0, 2);
    }
    PQclear(res);
    res = NULL;
    /* Records after what the hub has, verified or waiting, a batch a transaction. */
    uint64_t after = hub_size > waiting ? hub_size : waiting;
    if (!(rows = calloc(PUSH_BATCH, sizeof *rows))) {
        rc = ikr_err_set(e, IKR_E_NOMEM, "push");
        goto out;
    }
    for (size_t i = 0; i < PUSH_BATCH; i++)
        ikr_log_row_init(&rows[i]);
    while (after < local && !r->flagged) {
        size_t got = 0;
        if ((rc = ikr_station_scan(s, after, rows, PUSH_BATCH, PUSH_BATCH_BYTES, &got, e)))
            goto out;
        while (got > 0 && rows[got - 1].seq > local)
            got--;
        if (got == 0 || rows[0].seq != after + 1) {
            rc = ikr_err_at(e, IKR_E_AUDIT_MISSING, (int64_t)after + 1, 0);
            goto out;
        }
        if ((rc = push_batch(h, rows, got, &sql, e)))
            goto out;
        r->sent += got;
        after = rows[got - 1].seq;
    }
    /* The head's checkpoint, with a consistency proof from what the hub has accepted. */
    /* Sent even when the hub has as much or more: a log rolled back or restored from an older
     * copy then shows as a checkpoint whose root is not the one the hub accepted. */
    if (local > 0 && !r->flagged) {
        uint8_t(*proof)[IKR_HASH_LEN] = malloc(IKR_MERKLE_MAX_PROOF * IKR_HASH_LEN);
        size_t plen = 0;
        if (!proof) {
            rc = ikr_err_set(e, IKR_E_NOMEM, "push");
            goto out;
        }
        if (hub_size > 0 && hub_size < local)
            rc = ikr_station_consistency(s, hub_size, local, proof, IKR_MERKLE_MAX_PROOF, &plen, e);
        if (!rc) {
            char sz[24], old[24];
            snprintf(sz, sizeof sz, "%" PRIu64, local);
            snprintf(old, sizeof old, "%" PRIu64, hub_size < local ? hub_size : 0);
            const char *v[] = {sz, (const char *)head.p, old, (const char *)proof};
            int lens[] = {0, (int)head.len, 0, (int)(plen * IKR_HASH_LEN)};
            int bin[] = {0, 1, 0, 1};
            rc = hub_exec(h, NULL,
                          "INSERT INTO ikrar.inbox_checkpoint (size, note, old_size, proof) "
                          "VALUES ($1, convert_from($2, 'UTF8'), $3, $4) ON CONFLICT DO NOTHING",
                          4, v, lens, bin, 0, e);
        }
        free(proof);
        if (rc)
            goto out;
        hub_simple(h, "NOTIFY ikrar_inbox", NULL);
    }
    /* What the hub has cosigned of this log, kept when it is newer than what is kept. */
    if ((rc = hub_exec(h, &res, "SELECT size, cosigned FROM ikrar.cosigned()", 0, NULL, NULL, NULL,
                       0, e)))
        goto out;
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1)) {
        const char *cn = PQgetvalue(res, 0, 1);
        size_t cl = (size_t)PQgetlength(res, 0, 1);
        uint64_t size = 0, when = 0, kept = 0, kept_when = 0;
        if ((rc = check_cosigned(s, &own, &w, cn, cl, &size, &when, e)))
            goto out;
        ikr_hub_synced(dir, &own, c, &kept, &kept_when, NULL);
        if (size > kept || (size == kept && when > kept_when)) {
            char path[1200];
            snprintf(path, sizeof path, "%s/%s", dir, IKR_HUB_COSIGNED_FILE);
            if ((rc = ikr_file_write_atomic(path, cn, cl, 0644, e)))
                goto out;
        }
        r->accepted = size;
        r->cosigned_at = when;
    }
out:
    PQclear(res);
    if (rows)
        for (size_t i = 0; i < PUSH_BATCH; i++)
            ikr_log_row_free(&rows[i]);
    free(rows);
    ikr_buf_free(&head);
    ikr_buf_free(&sql);
    if (!rc && r->flagged)
        rc = ikr_err_set(e, IKR_E_HUB_FLAGGED, "%s", r->flag);
    return rc;
}

/* ---- a kiosk: one event across kiosks ---- */

int ikr_hub_claim_nip(ikr_hub *h, const char *nip, uint64_t seq, uint64_t t, ikr_hub_claim *cl,
                      ikr_err *e)
{
    char sq[24], tt[24];
    PGresult *res;
    memset(cl, 0, sizeof *cl);
    if (!ikr_nip_digits_ok(nip, strlen(nip)))
        return ikr_err_set(e, IKR_E_NIP_DIGITS, "claim");
    snprintf(sq, sizeof sq, "%" PRIu64, seq);
    snprintf(tt, sizeof tt, "%" PRIu64, t);
    const char *v[] = {nip, sq, tt};
    int rc = hub_exec(h, &res, "SELECT origin, seq, t, mine FROM ikrar.claim_nip($1, $2, $3)", 3, v,
                      NULL, NULL, 0, e);
    if (rc)
        return rc;
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) && !strcmp(PQgetvalue(res, 0, 3), "f")) {
        char origin[IKR_MAX_ORIGIN + 1];
        cl->taken = 1;
        hub_copy(origin, sizeof origin, res, 0, 0);
        const char *k = strrchr(origin, '/');
        k = k ? k + 1 : origin;
        size_t kn = strlen(k) < IKR_MAX_KIOSK_NAME ? strlen(k) : IKR_MAX_KIOSK_NAME;
        memcpy(cl->kiosk, k, kn);
        cl->kiosk[kn] = '\0';
        if (hub_u64(res, 0, 1, &cl->seq) || hub_u64(res, 0, 2, &cl->t))
            rc = ikr_err_set(e, IKR_E_HUB, "claim: not a number");
    }
    PQclear(res);
    return rc;
}

int ikr_hub_release_nip(ikr_hub *h, const char *nip, ikr_err *e)
{
    const char *v[] = {nip};
    return hub_exec(h, NULL, "SELECT ikrar.release_nip($1)", 1, v, NULL, NULL, 0, e);
}

int hub_units(ikr_hub *h, PGresult *res, ikr_roster_unit *units, size_t max, size_t *n,
              ikr_roster_totals *tot, ikr_err *e)
{
    (void)h;
    *n = 0;
    memset(tot, 0, sizeof *tot);
    int rows = PQntuples(res);
    for (int i = 0; i < rows; i++) {
        uint64_t sgn = 0, exp = 0;
        if (hub_u64(res, i, 1, &sgn) || hub_u64(res, i, 2, &exp))
            return ikr_err_set(e, IKR_E_HUB, "progress: not a number");
        tot->expected += exp;
        tot->signed_listed += exp ? sgn : 0;
        tot->records += exp ? 0 : sgn;
        if (exp)
            tot->has_roster = 1;
        if (*n < max) {
            hub_copy(units[*n].unit, sizeof units[*n].unit, res, i, 0);
            units[*n].signed_n = sgn;
            units[*n].expected = exp;
            (*n)++;
        }
    }
    tot->nunits = *n;
    tot->units_total = (size_t)rows;
    return IKR_OK;
}

int ikr_hub_progress(ikr_hub *h, ikr_roster_unit *units, size_t max, size_t *n,
                     ikr_roster_totals *tot, ikr_err *e)
{
    PGresult *res;
    int rc = hub_exec(h, &res, "SELECT unit, signed, expected FROM ikrar.progress()", 0, NULL, NULL,
                      NULL, 0, e);
    if (rc)
        return rc;
    rc = hub_units(h, res, units, max, n, tot, e);
    PQclear(res);
    return rc;
}

int ikr_hub_wait(ikr_hub *h, int timeout_ms, ikr_err *e)
{
    if (!h->listening) {
        int rc = hub_simple(h, "LISTEN ikrar_inbox", e);
        if (rc)
            return rc;
        h->listening = 1;
    }
    PGnotify *n;
    int fd = PQsocket(h->c);
    for (;;) {
        if (!PQconsumeInput(h->c))
            return hub_fail(h, NULL, e);
        int got = 0;
        while ((n = PQnotifies(h->c))) {
            got = 1;
            PQfreemem(n);
        }
        if (got)
            return 1;
        if (timeout_ms <= 0)
            return 0;
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(fd, &rd);
        struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        int k = select(fd + 1, &rd, NULL, NULL, &tv);
        if (k < 0 && errno == EINTR)
            return 0; /* a signal: the caller looks whether it is asked to stop */
        if (k < 0)
            return ikr_err_set(e, IKR_E_IO, "select");
        if (k == 0)
            return 0;
    }
}
