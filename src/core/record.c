/*
 * record.c: record claims (docs/formats.md §2) to and from deterministic CBOR.
 *
 * Encoding writes the keys in any order and lets the map builder sort them.
 * Decoding is for untrusted bytes (records read back during an audit, from
 * a bundle): every required key must appear once with the right type and
 * size; keys a later version may add are skipped.
 */
#include "ikrar/record.h"

#include <string.h>
#include <strings.h>

#include "ikrar/cbor.h"
#include "ikrar/err.h"

const char *ikr_status_name(int status)
{
    switch (status) {
    case IKR_STATUS_PNS:
        return "PNS";
    case IKR_STATUS_PPPK:
        return "PPPK";
    case IKR_STATUS_NON_ASN:
        return "NON-ASN";
    default:
        return NULL;
    }
}

int ikr_status_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcasecmp(s, "PNS") == 0)
        return IKR_STATUS_PNS;
    if (strcasecmp(s, "PPPK") == 0)
        return IKR_STATUS_PPPK;
    if (strcasecmp(s, "NON-ASN") == 0 || strcasecmp(s, "NONASN") == 0 ||
        strcasecmp(s, "NON_ASN") == 0)
        return IKR_STATUS_NON_ASN;
    return -1;
}

int ikr_event_id_ok(const char *ev)
{
    size_t n = strlen(ev);
    if (n == 0 || n > IKR_MAX_EVENT_ID)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = ev[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static void put_text(ikr_cbor_map *m, const char *key, const char *val)
{
    ikr_buf *b = ikr_cbor_map_key_text(m, key);
    if (b)
        ikr_cbor_text(b, val);
}

static void put_uint(ikr_cbor_map *m, const char *key, uint64_t val)
{
    ikr_buf *b = ikr_cbor_map_key_text(m, key);
    if (b)
        ikr_cbor_uint(b, val);
}

static void put_bytes(ikr_cbor_map *m, const char *key, const uint8_t *p, size_t n)
{
    ikr_buf *b = ikr_cbor_map_key_text(m, key);
    if (b)
        ikr_cbor_bstr(b, p, n);
}

int ikr_record_encode(ikr_buf *out, const ikr_claims *c)
{
    const char *status = ikr_status_name(c->who.status);
    if (!status)
        return IKR_E_STATUS;
    ikr_cbor_map m;
    ikr_cbor_map_init(&m);
    put_uint(&m, "v", c->v);
    put_text(&m, "ev", c->ev);
    put_uint(&m, "seq", c->seq);
    put_uint(&m, "t", c->t);
    put_text(&m, "name", c->who.name);
    put_text(&m, "status", status);
    if (c->who.nip[0])
        put_text(&m, "nip", c->who.nip);
    if (c->who.pos[0])
        put_text(&m, "pos", c->who.pos);
    if (c->who.unit[0])
        put_text(&m, "unit", c->who.unit);
    put_bytes(&m, "decl", c->decl, IKR_HASH_LEN);
    put_bytes(&m, "inkh", c->inkh, IKR_HASH_LEN);
    return ikr_cbor_map_end(&m, out);
}

/* Copies a text value of at most max bytes (no NUL inside) into out. */
static int get_text(ikr_cbor_rd *r, char *out, size_t max, int allow_empty)
{
    const char *s;
    size_t n;
    if (ikr_cbor_read_tstr(r, &s, &n) != 0 || n > max || (!allow_empty && n == 0) ||
        memchr(s, '\0', n))
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int get_hash(ikr_cbor_rd *r, uint8_t out[IKR_HASH_LEN])
{
    const uint8_t *p;
    size_t n;
    if (ikr_cbor_read_bstr(r, &p, &n) != 0 || n != IKR_HASH_LEN)
        return -1;
    memcpy(out, p, IKR_HASH_LEN);
    return 0;
}

enum {
    K_V = 1,
    K_EV = 2,
    K_SEQ = 4,
    K_T = 8,
    K_NAME = 16,
    K_STATUS = 32,
    K_NIP = 64,
    K_POS = 128,
    K_UNIT = 256,
    K_DECL = 512,
    K_INKH = 1024
};

int ikr_record_decode(ikr_claims *c, const uint8_t *p, size_t n)
{
    ikr_cbor_rd r;
    uint64_t count;
    unsigned seen = 0;
    memset(c, 0, sizeof *c);
    ikr_cbor_rd_init(&r, p, n);
    if (ikr_cbor_read_map(&r, &count) != 0 || count > 64)
        return -1;
    for (uint64_t i = 0; i < count; i++) {
        const char *k;
        size_t kn;
        unsigned bit = 0;
        int rc = 0;
        char status[16];
        if (ikr_cbor_read_tstr(&r, &k, &kn) != 0)
            return -1;
#define KEY(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
        if (KEY("v")) {
            bit = K_V;
            rc = ikr_cbor_read_uint(&r, &c->v);
        } else if (KEY("ev")) {
            bit = K_EV;
            rc = get_text(&r, c->ev, IKR_MAX_EVENT_ID, 0);
        } else if (KEY("seq")) {
            bit = K_SEQ;
            rc = ikr_cbor_read_uint(&r, &c->seq);
        } else if (KEY("t")) {
            bit = K_T;
            rc = ikr_cbor_read_uint(&r, &c->t);
        } else if (KEY("name")) {
            bit = K_NAME;
            rc = get_text(&r, c->who.name, IKR_MAX_NAME, 0);
        } else if (KEY("status")) {
            bit = K_STATUS;
            rc = get_text(&r, status, sizeof status - 1, 0);
            if (!rc && (c->who.status = ikr_status_parse(status)) < 0)
                rc = -1;
            if (!rc && strcmp(status, ikr_status_name(c->who.status)) != 0)
                rc = -1;
        } else if (KEY("nip")) {
            bit = K_NIP;
            rc = get_text(&r, c->who.nip, IKR_NIP_LEN, 0);
        } else if (KEY("pos")) {
            bit = K_POS;
            rc = get_text(&r, c->who.pos, IKR_MAX_POS, 1);
        } else if (KEY("unit")) {
            bit = K_UNIT;
            rc = get_text(&r, c->who.unit, IKR_MAX_UNIT, 1);
        } else if (KEY("decl")) {
            bit = K_DECL;
            rc = get_hash(&r, c->decl);
        } else if (KEY("inkh")) {
            bit = K_INKH;
            rc = get_hash(&r, c->inkh);
        } else {
            rc = ikr_cbor_skip(&r);
        }
#undef KEY
        if (rc != 0 || (seen & bit))
            return -1;
        seen |= bit;
    }
    unsigned need = K_V | K_EV | K_SEQ | K_T | K_NAME | K_STATUS | K_DECL | K_INKH;
    if ((seen & need) != need || !ikr_cbor_done(&r) || c->v != 1 || c->seq == 0)
        return -1;
    /* A NIP belongs to PNS and PPPK and to nobody else. */
    if ((c->who.status == IKR_STATUS_NON_ASN) == !!(seen & K_NIP))
        return -1;
    return 0;
}
