/*
 * ink.c: the handwritten signature (ink.h, docs/formats.md §3) in its three
 * forms: the C struct, its JSON (files and the kiosk canvas) and its
 * deterministic CBOR (what inkh hashes and what a roster bundle carries).
 *
 * Invariants of an ikr_ink this file hands out:
 *  - stroke_end[0..nstrokes) does not decrease and its last entry is
 *    npoints; xyt holds 3 * npoints values;
 *  - both arrays are owned by the ink and freed (wiped first: the dynamics
 *    of a signature are biometric data) by ikr_ink_free;
 *  - a parse or decode that fails leaves the ink empty, as ikr_ink_init.
 *
 * Both readers take untrusted bytes.  JSON is read with the json.h cursor,
 * walking exactly the one shape an ink has, so its depth is fixed at three;
 * CBOR is read with the bounded cbor.h reader and accepted only when it is the one
 * deterministic encoding of what it holds.  Both count strokes and points
 * as they go and stop at IKR_INK_MAX_*, so memory stays bounded whatever
 * the input claims.  The writers refuse an ink that fails ikr_ink_check, so
 * ikrar never writes an ink it would not read back.
 */
#include "ikrar/ink.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/cbor.h"
#include "ikrar/err.h"
#include "ikrar/json.h"
#include "ikrar/limits.h"

#define MAX_VALUES ((size_t)3 * IKR_INK_MAX_POINTS)

void ikr_ink_init(ikr_ink *ink)
{
    memset(ink, 0, sizeof *ink);
}

void ikr_ink_free(ikr_ink *ink)
{
    if (!ink)
        return;
    if (ink->xyt) {
        OPENSSL_cleanse(ink->xyt, 3 * ink->npoints * sizeof *ink->xyt);
        free(ink->xyt);
    }
    free(ink->stroke_end);
    ikr_ink_init(ink);
}

/* ---- building an ink from untrusted input ---- */

/*
 * An ink being filled value by value.  Limits are checked before each
 * value or stroke is stored, so no input can make it grow past them.
 * nvals counts the values stored so far, including a stroke still open.
 */
typedef struct builder {
    ikr_ink *ink;
    size_t nvals;
    size_t cap; /* values xyt has room for */
} builder;

static void builder_start(builder *b, ikr_ink *ink)
{
    ikr_ink_init(ink);
    b->ink = ink;
    b->nvals = 0;
    b->cap = 0;
}

/* Drops everything after a failure, wiping what was stored. */
static void builder_abandon(builder *b)
{
    if (b->ink->xyt) {
        OPENSSL_cleanse(b->ink->xyt, b->cap * sizeof *b->ink->xyt);
        free(b->ink->xyt);
    }
    free(b->ink->stroke_end);
    ikr_ink_init(b->ink);
    b->nvals = b->cap = 0;
}

/* Makes room for more values (at least `more`), wiping the old copy. */
static int builder_grow(builder *b, size_t more)
{
    if (b->cap - b->nvals >= more)
        return IKR_OK;
    size_t cap = b->cap ? b->cap : 3 * 256;
    while (cap - b->nvals < more)
        cap *= 2;
    if (cap > MAX_VALUES)
        cap = MAX_VALUES; /* callers never ask past the limit */
    uint32_t *p = malloc(cap * sizeof *p);
    if (!p)
        return IKR_E_NOMEM;
    if (b->ink->xyt) {
        memcpy(p, b->ink->xyt, b->nvals * sizeof *p);
        OPENSSL_cleanse(b->ink->xyt, b->cap * sizeof *p);
        free(b->ink->xyt);
    }
    b->ink->xyt = p;
    b->cap = cap;
    return IKR_OK;
}

/* Opens a stroke; IKR_E_INK_STROKES once there are too many. */
static int builder_stroke(builder *b)
{
    ikr_ink *ink = b->ink;
    if (ink->nstrokes >= IKR_INK_MAX_STROKES)
        return IKR_E_INK_STROKES;
    if (!ink->stroke_end) {
        /* A fixed small array: at most 64 entries, so allocate them once. */
        ink->stroke_end = calloc(IKR_INK_MAX_STROKES, sizeof *ink->stroke_end);
        if (!ink->stroke_end)
            return IKR_E_NOMEM;
    }
    return IKR_OK;
}

/* Stores one value of the open stroke; IKR_E_INK_POINTS past the limit. */
static int builder_value(builder *b, uint32_t v)
{
    if (b->nvals >= MAX_VALUES)
        return IKR_E_INK_POINTS;
    int rc = builder_grow(b, 1);
    if (rc != IKR_OK)
        return rc;
    b->ink->xyt[b->nvals++] = v;
    return IKR_OK;
}

/* Closes the open stroke; a stroke must hold whole (x, y, t) triples. */
static int builder_stroke_end(builder *b)
{
    ikr_ink *ink = b->ink;
    if (b->nvals % 3 != 0)
        return IKR_E_INK_SYNTAX;
    ink->npoints = b->nvals / 3;
    ink->stroke_end[ink->nstrokes++] = ink->npoints;
    return IKR_OK;
}

/* ---- JSON ---- */

/*
 * The ink is read with the JSON cursor (json.h), walking exactly the one
 * shape an ink has; every fault of the text is IKR_E_INK_SYNTAX.
 */

/*
 * Reads an unsigned integer as JSON writes it: no sign, no fraction, no
 * exponent, at most 2^32 - 1.  A leading zero ends the number, so the digit
 * after it is refused where ',' or a bracket is expected.
 */
static int j_uint(ikr_json *j, uint32_t *out)
{
    uint64_t v;
    int whole;
    if (ikr_json_number(j, &v, &whole) != IKR_OK || !whole || v > UINT32_MAX)
        return IKR_E_INK_SYNTAX;
    *out = (uint32_t)v;
    return IKR_OK;
}

/* Reads one stroke [x, y, t, ...] into the builder. */
static int j_stroke(ikr_json *j, builder *b)
{
    ikr_json_it it;
    if (ikr_json_array(j, &it) != IKR_OK)
        return IKR_E_INK_SYNTAX;
    int rc = builder_stroke(b);
    if (rc != IKR_OK)
        return rc;
    for (;;) {
        uint32_t v;
        if (ikr_json_element(j, &it) != IKR_OK)
            return IKR_E_INK_SYNTAX;
        if (it.done)
            break;
        if ((rc = j_uint(j, &v)) != IKR_OK || (rc = builder_value(b, v)) != IKR_OK)
            return rc;
    }
    return builder_stroke_end(b);
}

/* Reads the strokes array [[...], ...]. */
static int j_strokes(ikr_json *j, builder *b)
{
    ikr_json_it it;
    if (ikr_json_array(j, &it) != IKR_OK)
        return IKR_E_INK_SYNTAX;
    for (;;) {
        if (ikr_json_element(j, &it) != IKR_OK)
            return IKR_E_INK_SYNTAX;
        if (it.done)
            return IKR_OK;
        int rc = j_stroke(j, b);
        if (rc != IKR_OK)
            return rc;
    }
}

/*
 * Reads the whole document: one object with each key once, then only white
 * space.  A key is exactly "w", "h" or "s" as written: any other string,
 * escaped forms of these included, is not an ink key and is refused.
 */
static int j_ink(ikr_json *j, builder *b)
{
    int seen_w = 0, seen_h = 0, seen_s = 0;
    ikr_json_it it;
    int rc;
    if (ikr_json_object(j, &it) != IKR_OK)
        return IKR_E_INK_SYNTAX;
    for (;;) {
        if (ikr_json_member(j, &it, NULL, 0) != IKR_OK)
            return IKR_E_INK_SYNTAX;
        if (it.done)
            break;
        char key = j->raw_len == 1 ? j->raw[0] : 0;
        if (key != 'w' && key != 'h' && key != 's')
            return IKR_E_INK_SYNTAX;
        int *seen = key == 'w' ? &seen_w : key == 'h' ? &seen_h : &seen_s;
        if (*seen)
            return IKR_E_INK_SYNTAX;
        *seen = 1;
        if (key == 'w')
            rc = j_uint(j, &b->ink->w);
        else if (key == 'h')
            rc = j_uint(j, &b->ink->h);
        else
            rc = j_strokes(j, b);
        if (rc != IKR_OK)
            return rc;
    }
    if (ikr_json_end(j) != IKR_OK)
        return IKR_E_INK_SYNTAX; /* trailing garbage */
    if (!seen_w || !seen_h || !seen_s)
        return IKR_E_INK_SYNTAX;
    return IKR_OK;
}

/*
 * Contract (ink.h).  ink is output only: it is initialised here, holds the
 * ink on IKR_OK (caller frees with ikr_ink_free) and is empty otherwise.
 * Too many strokes or points are reported (IKR_E_INK_STROKES/POINTS) as
 * soon as they are seen, before the rest of the input is read.
 */
int ikr_ink_parse_json(ikr_ink *ink, const char *json, size_t n)
{
    builder b;
    builder_start(&b, ink);
    if (n > IKR_INK_MAX_JSON || (!json && n > 0))
        return IKR_E_INK_SYNTAX;
    ikr_json j;
    /* Three levels: the object, its strokes, a stroke. */
    ikr_json_init(&j, json, n, IKR_E_INK_SYNTAX, 3, 0);
    int rc = j_ink(&j, &b);
    if (rc == IKR_OK)
        rc = ikr_ink_check(ink);
    if (rc != IKR_OK)
        builder_abandon(&b);
    return rc;
}

/* ---- validation ---- */

/*
 * Contract (ink.h).  The checks run rule by rule in the order listed there,
 * each over the whole ink, so an ink that breaks two rules always names the
 * same one.  A struct whose bookkeeping is inconsistent (stroke_end not
 * ending at npoints, arrays missing) is a programmer's mistake: IKR_E_INTERNAL.
 */
int ikr_ink_check(const ikr_ink *ink)
{
    if (!ink)
        return IKR_E_INTERNAL;
    if (ink->w < 1 || ink->w > IKR_INK_MAX_CANVAS || ink->h < 1 || ink->h > IKR_INK_MAX_CANVAS)
        return IKR_E_INK_CANVAS;
    if (ink->npoints == 0)
        return IKR_E_INK_EMPTY;
    if (ink->nstrokes == 0 || ink->nstrokes > IKR_INK_MAX_STROKES)
        return IKR_E_INK_STROKES;
    if (!ink->stroke_end || !ink->xyt)
        return IKR_E_INTERNAL;
    size_t prev = 0;
    for (size_t i = 0; i < ink->nstrokes; i++) {
        if (ink->stroke_end[i] <= prev)
            return IKR_E_INK_STROKES; /* empty (or misordered) stroke */
        prev = ink->stroke_end[i];
    }
    if (prev != ink->npoints)
        return IKR_E_INTERNAL;
    if (ink->npoints > IKR_INK_MAX_POINTS)
        return IKR_E_INK_POINTS;

    const uint32_t *v = ink->xyt;
    for (size_t i = 0; i < ink->npoints; i++)
        if (v[3 * i] > ink->w || v[3 * i + 1] > ink->h)
            return IKR_E_INK_RANGE;
    /* Times count from the first touch of the whole signature, so they do
     * not go back between strokes either. */
    uint32_t last = 0;
    for (size_t i = 0; i < ink->npoints; i++) {
        uint32_t t = v[3 * i + 2];
        if (t < last || t > IKR_INK_MAX_TIME)
            return IKR_E_INK_TIME;
        last = t;
    }
    return IKR_OK;
}

/* ---- CBOR ---- */

/*
 * Writes {"h": h, "s": [[...], ...], "w": w} without checking the ink; the
 * map builder sorts the keys.  The ink's bookkeeping must be consistent
 * (stroke_end non-decreasing, ending at npoints).  On failure out is as it
 * was before the call.
 */
static int encode_unchecked(ikr_buf *out, const ikr_ink *ink)
{
    size_t start = out->len;
    ikr_cbor_map m;
    ikr_cbor_map_init(&m);
    ikr_buf *e;
    if ((e = ikr_cbor_map_key_text(&m, "w")) != NULL)
        ikr_cbor_uint(e, ink->w);
    if ((e = ikr_cbor_map_key_text(&m, "h")) != NULL)
        ikr_cbor_uint(e, ink->h);
    if ((e = ikr_cbor_map_key_text(&m, "s")) != NULL) {
        /* The entry buffer remembers a failed growth (oom), which
         * ikr_cbor_map_end reports; stopping early only saves time. */
        size_t first = 0;
        if (ikr_cbor_head(e, IKR_CBOR_ARRAY, ink->nstrokes) == IKR_OK && ink->npoints > 0)
            ikr_buf_reserve(e, 3 * ink->npoints * 2);
        for (size_t i = 0; i < ink->nstrokes && !e->oom; i++) {
            size_t end = ink->stroke_end[i];
            ikr_cbor_head(e, IKR_CBOR_ARRAY, 3 * (uint64_t)(end - first));
            for (size_t k = 3 * first; k < 3 * end && !e->oom; k++)
                ikr_cbor_uint(e, ink->xyt[k]);
            first = end;
        }
    }
    int rc = ikr_cbor_map_end(&m, out);
    if (rc != IKR_OK)
        out->len = start;
    return rc;
}

/* Contract (ink.h), and: refuses an ink that fails ikr_ink_check, with its code. */
int ikr_ink_encode(ikr_buf *out, const ikr_ink *ink)
{
    int rc = ikr_ink_check(ink);
    if (rc != IKR_OK)
        return rc;
    return encode_unchecked(out, ink);
}

/* Reads a text string key that must be exactly the one-letter key k. */
static int c_key(ikr_cbor_rd *r, char k)
{
    const char *s;
    size_t n;
    if (ikr_cbor_read_tstr(r, &s, &n) != 0 || n != 1 || s[0] != k)
        return IKR_E_INK_SYNTAX;
    return IKR_OK;
}

/* Reads an unsigned integer that fits 32 bits. */
static int c_u32(ikr_cbor_rd *r, uint32_t *out)
{
    uint64_t v;
    if (ikr_cbor_read_uint(r, &v) != 0 || v > UINT32_MAX)
        return IKR_E_INK_SYNTAX;
    *out = (uint32_t)v;
    return IKR_OK;
}

/* Reads the strokes array into the builder, bounding every claimed count
 * by the limits and by the bytes left before allocating anything. */
static int c_strokes(ikr_cbor_rd *r, builder *b)
{
    uint64_t ns;
    if (ikr_cbor_read_array(r, &ns) != 0)
        return IKR_E_INK_SYNTAX;
    if (ns > IKR_INK_MAX_STROKES)
        return IKR_E_INK_STROKES;
    for (uint64_t i = 0; i < ns; i++) {
        uint64_t nv;
        int rc;
        if (ikr_cbor_read_array(r, &nv) != 0)
            return IKR_E_INK_SYNTAX;
        if (nv % 3 != 0 || nv > r->n - r->off) /* every value takes a byte at least */
            return IKR_E_INK_SYNTAX;
        if (nv > MAX_VALUES - b->nvals)
            return IKR_E_INK_POINTS;
        if ((rc = builder_stroke(b)) != IKR_OK || (rc = builder_grow(b, (size_t)nv)) != IKR_OK)
            return rc;
        for (uint64_t k = 0; k < nv; k++) {
            uint32_t v;
            if ((rc = c_u32(r, &v)) != IKR_OK || (rc = builder_value(b, v)) != IKR_OK)
                return rc;
        }
        if ((rc = builder_stroke_end(b)) != IKR_OK)
            return rc;
    }
    return IKR_OK;
}

/*
 * Contract (ink.h).  ink is output only, as for ikr_ink_parse_json.  The
 * bytes must be exactly a 3-entry map with keys "h", "s", "w" in that
 * (deterministic) order, unsigned values of 32 bits, and nothing after it;
 * then they must be the deterministic encoding of what they hold (checked
 * by encoding again and comparing), so that one ink has one inkh.  Shape
 * and encoding faults are IKR_E_INK_SYNTAX; then ikr_ink_check's codes.
 */
int ikr_ink_decode(ikr_ink *ink, const uint8_t *p, size_t n)
{
    builder b;
    builder_start(&b, ink);
    if (!p && n > 0)
        return IKR_E_INK_SYNTAX;

    ikr_buf again;
    ikr_buf_init(&again);
    ikr_cbor_rd r;
    ikr_cbor_rd_init(&r, p, n);
    uint64_t count;
    int rc = IKR_E_INK_SYNTAX;
    if (ikr_cbor_read_map(&r, &count) != 0 || count != 3)
        goto done;
    if ((rc = c_key(&r, 'h')) != IKR_OK || (rc = c_u32(&r, &ink->h)) != IKR_OK ||
        (rc = c_key(&r, 's')) != IKR_OK || (rc = c_strokes(&r, &b)) != IKR_OK ||
        (rc = c_key(&r, 'w')) != IKR_OK || (rc = c_u32(&r, &ink->w)) != IKR_OK)
        goto done;
    rc = IKR_E_INK_SYNTAX;
    if (!ikr_cbor_done(&r))
        goto done;
    if ((rc = ikr_buf_reserve(&again, n)) != IKR_OK ||
        (rc = encode_unchecked(&again, ink)) != IKR_OK)
        goto done;
    rc = IKR_E_INK_SYNTAX;
    if (again.len != n || memcmp(again.p, p, n) != 0)
        goto done;
    rc = ikr_ink_check(ink);
done:
    ikr_buf_free(&again);
    if (rc != IKR_OK)
        builder_abandon(&b);
    return rc;
}

/* ---- JSON output ---- */

static void put_u32(ikr_buf *out, uint32_t v)
{
    char tmp[16];
    int len = snprintf(tmp, sizeof tmp, "%lu", (unsigned long)v);
    ikr_buf_add(out, tmp, (size_t)len);
}

/*
 * Contract (ink.h), and: refuses an ink that fails ikr_ink_check, with its
 * code; on failure out is as it was.  The output is compact and in the key
 * order w, h, s, the order docs/formats.md §3 names them.
 */
int ikr_ink_to_json(ikr_buf *out, const ikr_ink *ink)
{
    int rc = ikr_ink_check(ink);
    if (rc != IKR_OK)
        return rc;
    size_t start = out->len;
    ikr_buf_adds(out, "{\"w\":");
    put_u32(out, ink->w);
    ikr_buf_adds(out, ",\"h\":");
    put_u32(out, ink->h);
    ikr_buf_adds(out, ",\"s\":[");
    size_t first = 0;
    for (size_t i = 0; i < ink->nstrokes && !out->oom; i++) {
        size_t end = ink->stroke_end[i];
        ikr_buf_adds(out, i ? ",[" : "[");
        for (size_t k = 3 * first; k < 3 * end; k++) {
            if (k > 3 * first)
                ikr_buf_addc(out, ',');
            put_u32(out, ink->xyt[k]);
        }
        ikr_buf_addc(out, ']');
        first = end;
    }
    ikr_buf_adds(out, "]}");
    if (out->oom) {
        out->len = start;
        return IKR_E_NOMEM;
    }
    return IKR_OK;
}
