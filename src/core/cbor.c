/*
 * cbor.c: deterministic CBOR writing and bounded CBOR reading.
 *
 * Writers append to an ikr_buf and always use the shortest head.  The map
 * builder keeps each entry (key then value) in its own buffer and remembers
 * where the key ends, so that at the end the entries can be sorted by their
 * key bytes (RFC 8949 §4.2.1) whatever order the caller added them in.
 *
 * Readers never trust a length: every head's argument is compared with the
 * bytes left before anything is taken, and skipping recurses at most
 * IKR_CBOR_MAX_DEPTH levels.  A failed read leaves the reader where it was.
 *
 * ikr_cbor_canonical is the strict check every signed structure passes
 * before it is believed: the readers above accept a non-shortest head or
 * keys in any order, which would let many byte strings stand for one record.
 */
#include "ikrar/cbor.h"

#include <stdlib.h>
#include <string.h>

#include "ikrar/err.h"
#include "ikrar/limits.h"
#include "ikrar/text.h"

int ikr_cbor_head(ikr_buf *b, int major, uint64_t v)
{
    uint8_t h[9];
    size_t n;
    uint8_t m = (uint8_t)(major << 5);
    if (v < 24) {
        h[0] = m | (uint8_t)v;
        n = 1;
    } else if (v <= 0xff) {
        h[0] = m | 24;
        h[1] = (uint8_t)v;
        n = 2;
    } else if (v <= 0xffff) {
        h[0] = m | 25;
        h[1] = (uint8_t)(v >> 8);
        h[2] = (uint8_t)v;
        n = 3;
    } else if (v <= 0xffffffffu) {
        h[0] = m | 26;
        for (int i = 0; i < 4; i++)
            h[1 + i] = (uint8_t)(v >> (24 - 8 * i));
        n = 5;
    } else {
        h[0] = m | 27;
        for (int i = 0; i < 8; i++)
            h[1 + i] = (uint8_t)(v >> (56 - 8 * i));
        n = 9;
    }
    return ikr_buf_add(b, h, n);
}

int ikr_cbor_uint(ikr_buf *b, uint64_t v)
{
    return ikr_cbor_head(b, IKR_CBOR_UINT, v);
}

int ikr_cbor_int(ikr_buf *b, int64_t v)
{
    if (v >= 0)
        return ikr_cbor_head(b, IKR_CBOR_UINT, (uint64_t)v);
    /* -1 - v without overflow for INT64_MIN */
    return ikr_cbor_head(b, IKR_CBOR_NINT, (uint64_t)(-(v + 1)));
}

int ikr_cbor_bstr(ikr_buf *b, const void *p, size_t n)
{
    int rc = ikr_cbor_head(b, IKR_CBOR_BSTR, n);
    return rc ? rc : ikr_buf_add(b, p, n);
}

int ikr_cbor_tstr(ikr_buf *b, const char *s, size_t n)
{
    int rc = ikr_cbor_head(b, IKR_CBOR_TSTR, n);
    return rc ? rc : ikr_buf_add(b, s, n);
}

int ikr_cbor_text(ikr_buf *b, const char *s)
{
    return ikr_cbor_tstr(b, s, strlen(s));
}

void ikr_cbor_map_init(ikr_cbor_map *m)
{
    memset(m, 0, sizeof *m);
}

/* Starts a new entry whose key the caller writes next. */
static ikr_buf *map_entry(ikr_cbor_map *m)
{
    if (m->bad || m->n >= IKR_CBOR_MAP_MAX) {
        m->bad = 1;
        return NULL;
    }
    ikr_buf *b = &m->ent[m->n];
    ikr_buf_init(b);
    return b;
}

ikr_buf *ikr_cbor_map_key_text(ikr_cbor_map *m, const char *key)
{
    ikr_buf *b = map_entry(m);
    if (!b)
        return NULL;
    if (ikr_cbor_text(b, key) != IKR_OK)
        m->bad = 1;
    m->keylen[m->n++] = b->len;
    return b;
}

ikr_buf *ikr_cbor_map_key_int(ikr_cbor_map *m, int64_t key)
{
    ikr_buf *b = map_entry(m);
    if (!b)
        return NULL;
    if (ikr_cbor_int(b, key) != IKR_OK)
        m->bad = 1;
    m->keylen[m->n++] = b->len;
    return b;
}

void ikr_cbor_map_free(ikr_cbor_map *m)
{
    for (int i = 0; i < m->n; i++)
        ikr_buf_free(&m->ent[i]);
    m->n = 0;
}

/* Bytewise order of encoded keys; a proper prefix sorts first. */
static int key_cmp(const ikr_cbor_map *m, int a, int b)
{
    size_t la = m->keylen[a], lb = m->keylen[b];
    int c = memcmp(m->ent[a].p, m->ent[b].p, la < lb ? la : lb);
    if (c)
        return c;
    return la < lb ? -1 : la > lb;
}

int ikr_cbor_map_end(ikr_cbor_map *m, ikr_buf *out)
{
    int rc = IKR_OK;
    int order[IKR_CBOR_MAP_MAX];
    if (m->bad) {
        rc = IKR_E_NOMEM;
        goto done;
    }
    for (int i = 0; i < m->n; i++) {
        if (m->ent[i].oom) {
            rc = IKR_E_NOMEM;
            goto done;
        }
        order[i] = i;
    }
    /* Insertion sort: maps here have a dozen entries. Equal keys are a bug. */
    for (int i = 1; i < m->n; i++) {
        int x = order[i], j = i - 1;
        while (j >= 0 && key_cmp(m, order[j], x) > 0) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = x;
    }
    for (int i = 1; i < m->n; i++)
        if (key_cmp(m, order[i - 1], order[i]) == 0) {
            rc = IKR_E_INTERNAL;
            goto done;
        }
    rc = ikr_cbor_head(out, IKR_CBOR_MAP, (uint64_t)m->n);
    for (int i = 0; i < m->n && rc == IKR_OK; i++)
        rc = ikr_buf_add(out, m->ent[order[i]].p, m->ent[order[i]].len);
done:
    ikr_cbor_map_free(m);
    return rc;
}

void ikr_cbor_rd_init(ikr_cbor_rd *r, const uint8_t *p, size_t n)
{
    r->p = p;
    r->n = n;
    r->off = 0;
}

/* Decodes the head at off without moving; *len is the head's size. */
static int head_at(const ikr_cbor_rd *r, size_t off, int *major, uint64_t *v, size_t *len)
{
    if (off >= r->n)
        return -1;
    uint8_t b = r->p[off];
    int ai = b & 31;
    *major = b >> 5;
    if (ai < 24) {
        *v = (uint64_t)ai;
        *len = 1;
        return 0;
    }
    if (ai > 27)
        return -1; /* reserved, or indefinite length */
    size_t k = (size_t)1 << (ai - 24);
    if (r->n - off - 1 < k)
        return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < k; i++)
        x = x << 8 | r->p[off + 1 + i];
    *v = x;
    *len = 1 + k;
    return 0;
}

int ikr_cbor_peek(const ikr_cbor_rd *r, int *major)
{
    uint64_t v;
    size_t len;
    return head_at(r, r->off, major, &v, &len);
}

int ikr_cbor_read_head(ikr_cbor_rd *r, int *major, uint64_t *v)
{
    size_t len;
    if (head_at(r, r->off, major, v, &len) != 0)
        return -1;
    r->off += len;
    return 0;
}

static int read_typed(ikr_cbor_rd *r, int want, uint64_t *v)
{
    int major;
    size_t len;
    if (head_at(r, r->off, &major, v, &len) != 0 || major != want)
        return -1;
    r->off += len;
    return 0;
}

int ikr_cbor_read_uint(ikr_cbor_rd *r, uint64_t *v)
{
    return read_typed(r, IKR_CBOR_UINT, v);
}

int ikr_cbor_read_int(ikr_cbor_rd *r, int64_t *v)
{
    int major;
    uint64_t u;
    size_t len;
    if (head_at(r, r->off, &major, &u, &len) != 0 || u > INT64_MAX)
        return -1;
    if (major == IKR_CBOR_UINT)
        *v = (int64_t)u;
    else if (major == IKR_CBOR_NINT)
        *v = -1 - (int64_t)u;
    else
        return -1;
    r->off += len;
    return 0;
}

static int read_string(ikr_cbor_rd *r, int want, const uint8_t **p, size_t *n)
{
    int major;
    uint64_t v;
    size_t len;
    if (head_at(r, r->off, &major, &v, &len) != 0 || major != want)
        return -1;
    if (v > r->n - r->off - len)
        return -1;
    *p = r->p + r->off + len;
    *n = (size_t)v;
    r->off += len + (size_t)v;
    return 0;
}

int ikr_cbor_read_bstr(ikr_cbor_rd *r, const uint8_t **p, size_t *n)
{
    return read_string(r, IKR_CBOR_BSTR, p, n);
}

int ikr_cbor_read_tstr(ikr_cbor_rd *r, const char **s, size_t *n)
{
    const uint8_t *p;
    if (read_string(r, IKR_CBOR_TSTR, &p, n) != 0)
        return -1;
    *s = (const char *)p;
    return 0;
}

int ikr_cbor_read_array(ikr_cbor_rd *r, uint64_t *count)
{
    return read_typed(r, IKR_CBOR_ARRAY, count);
}

int ikr_cbor_read_map(ikr_cbor_rd *r, uint64_t *count)
{
    return read_typed(r, IKR_CBOR_MAP, count);
}

int ikr_cbor_read_tag(ikr_cbor_rd *r, uint64_t *tag)
{
    return read_typed(r, IKR_CBOR_TAG, tag);
}

static int skip_at(ikr_cbor_rd *r, int depth)
{
    int major;
    uint64_t v;
    size_t len;
    if (depth > IKR_CBOR_MAX_DEPTH || head_at(r, r->off, &major, &v, &len) != 0)
        return -1;
    switch (major) {
    case IKR_CBOR_UINT:
    case IKR_CBOR_NINT:
        r->off += len;
        return 0;
    case IKR_CBOR_BSTR:
    case IKR_CBOR_TSTR:
        if (v > r->n - r->off - len)
            return -1;
        r->off += len + (size_t)v;
        return 0;
    case IKR_CBOR_ARRAY:
    case IKR_CBOR_MAP: {
        /* Each item takes at least one byte: a count above what is left is a lie. */
        uint64_t items = v;
        if (major == IKR_CBOR_MAP) {
            if (items > (r->n - r->off) / 2)
                return -1;
            items *= 2;
        }
        if (items > r->n - r->off - len)
            return -1;
        r->off += len;
        for (uint64_t i = 0; i < items; i++)
            if (skip_at(r, depth + 1) != 0)
                return -1;
        return 0;
    }
    case IKR_CBOR_TAG:
        r->off += len;
        return skip_at(r, depth + 1);
    default: /* simple values and floats: only the head's bytes */
        if ((r->p[r->off] & 31) == 24 && v < 32)
            return -1;
        r->off += len;
        return 0;
    }
}

int ikr_cbor_skip(ikr_cbor_rd *r)
{
    size_t at = r->off;
    if (skip_at(r, 0) != 0) {
        r->off = at;
        return -1;
    }
    return 0;
}

int ikr_cbor_done(const ikr_cbor_rd *r)
{
    return r->off == r->n;
}

/* ---- the deterministic-encoding check ---- */

typedef struct canon {
    const uint8_t *p;
    size_t n, off;
    const char *why;
} canon;

static int canon_fail(canon *c, int rc, const char *why)
{
    if (!c->why)
        c->why = why;
    return rc;
}

static int canon_item(canon *c, int depth)
{
    if (depth > IKR_CBOR_MAX_DEPTH)
        return canon_fail(c, IKR_DEC_MALFORMED, "nested too deep");
    if (c->off >= c->n)
        return canon_fail(c, IKR_DEC_MALFORMED, "truncated");
    uint8_t b = c->p[c->off];
    int major = b >> 5, ai = b & 31;
    if (ai == 31)
        return major >= IKR_CBOR_BSTR && major <= IKR_CBOR_MAP
                   ? canon_fail(c, IKR_DEC_ENCODING, "indefinite length")
                   : canon_fail(c, IKR_DEC_MALFORMED, "reserved head");
    if (ai >= 28)
        return canon_fail(c, IKR_DEC_MALFORMED, "reserved head");
    if (major == IKR_CBOR_SIMPLE)
        return canon_fail(c, IKR_DEC_ENCODING, "float or simple value");
    uint64_t v = (uint64_t)ai;
    size_t len = 1;
    if (ai >= 24) {
        size_t k = (size_t)1 << (ai - 24);
        static const uint64_t least[4] = {24, 0x100, 0x10000, 0x100000000u};
        if (c->n - c->off - 1 < k)
            return canon_fail(c, IKR_DEC_MALFORMED, "truncated");
        v = 0;
        for (size_t i = 0; i < k; i++)
            v = v << 8 | c->p[c->off + 1 + i];
        if (v < least[ai - 24])
            return canon_fail(c, IKR_DEC_ENCODING, "non-shortest head");
        len = 1 + k;
    }
    c->off += len;
    size_t left = c->n - c->off;
    switch (major) {
    case IKR_CBOR_UINT:
    case IKR_CBOR_NINT:
        return 0;
    case IKR_CBOR_BSTR:
    case IKR_CBOR_TSTR:
        if (v > left)
            return canon_fail(c, IKR_DEC_MALFORMED, "truncated");
        if (major == IKR_CBOR_TSTR && !ikr_utf8_valid((const char *)c->p + c->off, (size_t)v))
            return canon_fail(c, IKR_DEC_ENCODING, "invalid UTF-8");
        c->off += (size_t)v;
        return 0;
    case IKR_CBOR_ARRAY:
        /* Each item takes at least one byte: a count above what is left is a lie. */
        if (v > left)
            return canon_fail(c, IKR_DEC_MALFORMED, "truncated");
        for (uint64_t i = 0; i < v; i++) {
            int rc = canon_item(c, depth + 1);
            if (rc)
                return rc;
        }
        return 0;
    case IKR_CBOR_MAP: {
        size_t prev = 0, prev_len = 0;
        if (v > left / 2)
            return canon_fail(c, IKR_DEC_MALFORMED, "truncated");
        for (uint64_t i = 0; i < v; i++) {
            size_t at = c->off;
            int rc = canon_item(c, depth + 1);
            if (rc)
                return rc;
            size_t klen = c->off - at;
            if (i > 0) {
                int cmp = memcmp(c->p + prev, c->p + at, prev_len < klen ? prev_len : klen);
                if (cmp == 0 && prev_len == klen)
                    return canon_fail(c, IKR_DEC_ENCODING, "duplicate map key");
                if (cmp > 0 || (cmp == 0 && prev_len > klen))
                    return canon_fail(c, IKR_DEC_ENCODING, "map keys out of order");
            }
            prev = at;
            prev_len = klen;
            if ((rc = canon_item(c, depth + 1)))
                return rc;
        }
        return 0;
    }
    default: /* IKR_CBOR_TAG */
        return canon_item(c, depth + 1);
    }
}

int ikr_cbor_canonical(const uint8_t *p, size_t n, const char **why)
{
    canon c = {p, n, 0, NULL};
    int rc = canon_item(&c, 0);
    if (!rc && c.off != n)
        rc = canon_fail(&c, IKR_DEC_MALFORMED, "bytes after the item");
    if (why)
        *why = rc ? c.why : NULL;
    return rc;
}
