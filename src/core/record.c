/*
 * record.c: record claims (docs/formats.md §2) to and from deterministic CBOR.
 *
 * Encoding writes the keys in any order and lets the map builder sort them.
 * Decoding is for untrusted bytes (records read back during an audit, from
 * a bundle): the bytes must be the deterministic CBOR ikrar writes, every
 * required key must appear once with the right type and size, every value
 * within the writer's limits; keys a later version may add are skipped.
 */
#include "ikrar/record.h"

#include <string.h>
#include <strings.h>

#include "ikrar/cbor.h"
#include "ikrar/err.h"
#include "ikrar/text.h"

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

int ikr_claim_text_ok(const char *s, size_t n)
{
    if (!ikr_utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x20 || b == 0x7f)
            return 0;
        /* U+0080..U+009F, the C1 controls, are c2 80..c2 9f in UTF-8. */
        if (b == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f)
            return 0;
    }
    return 1;
}

int ikr_nip_digits_ok(const char *s, size_t n)
{
    if (n != IKR_NIP_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int ikr_dec_fail(ikr_dec_why *why, int rc, const char *part, const char *check)
{
    if (why) {
        why->part = part;
        why->check = check;
    }
    return rc;
}

/* Reads a text claim into out (room for max bytes and the NUL) within the writer's limits. */
static int get_text(ikr_cbor_rd *r, char *out, size_t max, int allow_empty, const char *key,
                    ikr_dec_why *why)
{
    const char *s;
    size_t n;
    if (ikr_cbor_read_tstr(r, &s, &n) != 0)
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, key, "not a text string");
    if (n == 0 && !allow_empty)
        return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "empty");
    if (n > max)
        return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "longer than the writer allows");
    if (!ikr_claim_text_ok(s, n))
        return ikr_dec_fail(why, IKR_DEC_LIMIT, key, "control character or invalid UTF-8");
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int get_hash(ikr_cbor_rd *r, uint8_t out[IKR_HASH_LEN], const char *key, ikr_dec_why *why)
{
    const uint8_t *p;
    size_t n;
    if (ikr_cbor_read_bstr(r, &p, &n) != 0 || n != IKR_HASH_LEN)
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, key, "not 32 bytes");
    memcpy(out, p, IKR_HASH_LEN);
    return 0;
}

static int get_uint(ikr_cbor_rd *r, uint64_t *v, const char *key, ikr_dec_why *why)
{
    if (ikr_cbor_read_uint(r, v) != 0)
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, key, "not an unsigned integer");
    return 0;
}

int ikr_claims_common_ok(uint64_t v, const char *ev, uint64_t seq, uint64_t t, ikr_dec_why *why)
{
    if (v != 1)
        return ikr_dec_fail(why, IKR_DEC_LIMIT, "v", "a version other than 1");
    if (!ikr_event_id_ok(ev))
        return ikr_dec_fail(why, IKR_DEC_LIMIT, "ev", "not an event id");
    if (seq == 0 || seq > INT64_MAX)
        return ikr_dec_fail(why, IKR_DEC_LIMIT, "seq", "outside 1..2^63-1");
    if (t > IKR_MAX_TIME)
        return ikr_dec_fail(why, IKR_DEC_LIMIT, "t", "after 9999-12-31 23:59:59 UTC");
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
    return ikr_record_decode_why(c, p, n, NULL);
}

int ikr_record_decode_why(ikr_claims *c, const uint8_t *p, size_t n, ikr_dec_why *why)
{
    ikr_cbor_rd r;
    uint64_t count;
    unsigned seen = 0;
    const char *check;
    memset(c, 0, sizeof *c);
    /* The bytes first: exactly one deterministic map (which also means no key twice). */
    int rc = ikr_cbor_canonical(p, n, &check);
    if (rc)
        return ikr_dec_fail(why, rc, "claims", check);
    ikr_cbor_rd_init(&r, p, n);
    if (ikr_cbor_read_map(&r, &count) != 0 || count > 64)
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "not a map of at most 64 keys");
    for (uint64_t i = 0; i < count; i++) {
        const char *k;
        size_t kn;
        unsigned bit = 0;
        char status[16];
        if (ikr_cbor_read_tstr(&r, &k, &kn) != 0)
            return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "a key that is not text");
#define KEY(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
        if (KEY("v")) {
            bit = K_V;
            rc = get_uint(&r, &c->v, "v", why);
        } else if (KEY("ev")) {
            bit = K_EV;
            rc = get_text(&r, c->ev, IKR_MAX_EVENT_ID, 0, "ev", why);
        } else if (KEY("seq")) {
            bit = K_SEQ;
            rc = get_uint(&r, &c->seq, "seq", why);
        } else if (KEY("t")) {
            bit = K_T;
            rc = get_uint(&r, &c->t, "t", why);
        } else if (KEY("name")) {
            bit = K_NAME;
            rc = get_text(&r, c->who.name, IKR_MAX_NAME, 0, "name", why);
        } else if (KEY("status")) {
            bit = K_STATUS;
            rc = get_text(&r, status, sizeof status - 1, 0, "status", why);
            if (rc == IKR_DEC_LIMIT || (!rc && ((c->who.status = ikr_status_parse(status)) < 0 ||
                                                strcmp(status, ikr_status_name(c->who.status)))))
                rc = ikr_dec_fail(why, IKR_DEC_LIMIT, "status", "not PNS, PPPK or NON-ASN");
        } else if (KEY("nip")) {
            bit = K_NIP;
            rc = get_text(&r, c->who.nip, IKR_NIP_LEN, 0, "nip", why);
            if (rc == IKR_DEC_LIMIT || (!rc && !ikr_nip_digits_ok(c->who.nip, strlen(c->who.nip))))
                rc = ikr_dec_fail(why, IKR_DEC_LIMIT, "nip", "not 18 digits");
        } else if (KEY("pos")) {
            bit = K_POS;
            rc = get_text(&r, c->who.pos, IKR_MAX_POS, 1, "pos", why);
        } else if (KEY("unit")) {
            bit = K_UNIT;
            rc = get_text(&r, c->who.unit, IKR_MAX_UNIT, 1, "unit", why);
        } else if (KEY("decl")) {
            bit = K_DECL;
            rc = get_hash(&r, c->decl, "decl", why);
        } else if (KEY("inkh")) {
            bit = K_INKH;
            rc = get_hash(&r, c->inkh, "inkh", why);
        } else if (ikr_cbor_skip(&r) != 0) {
            /* A key a later version may add: skipped, its map being canonical. */
            rc = ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "an unknown key's value");
        }
#undef KEY
        if (rc != 0)
            return rc;
        if (seen & bit) /* cannot happen after the canonical check; kept as a guard */
            return ikr_dec_fail(why, IKR_DEC_ENCODING, "claims", "duplicate map key");
        seen |= bit;
    }
    unsigned need = K_V | K_EV | K_SEQ | K_T | K_NAME | K_STATUS | K_DECL | K_INKH;
    if ((seen & need) != need || !ikr_cbor_done(&r))
        return ikr_dec_fail(why, IKR_DEC_MALFORMED, "claims", "a required key is missing");
    if ((rc = ikr_claims_common_ok(c->v, c->ev, c->seq, c->t, why)))
        return rc;
    /* A NIP belongs to PNS and PPPK and to nobody else. */
    if (c->who.status == IKR_STATUS_NON_ASN && (seen & K_NIP))
        return ikr_dec_fail(why, IKR_DEC_LIMIT, "nip", "present for NON-ASN");
    if (c->who.status != IKR_STATUS_NON_ASN && !(seen & K_NIP))
        return ikr_dec_fail(why, IKR_DEC_LIMIT, "nip", "missing for PNS or PPPK");
    return 0;
}
