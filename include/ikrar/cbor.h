/*
 * cbor.h: the part of CBOR (RFC 8949) that ikrar writes and reads.
 *
 * Writing is always deterministic (§4.2.1): shortest heads, definite lengths,
 * map keys sorted by their encoded bytes (ikr_cbor_map sorts for you).
 * Reading takes untrusted bytes: every length is checked against what is
 * left, nesting is bounded by IKR_CBOR_MAX_DEPTH, indefinite lengths and
 * reserved heads are refused.
 */
#ifndef IKRAR_CBOR_H
#define IKRAR_CBOR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
    IKR_CBOR_UINT = 0,
    IKR_CBOR_NINT = 1,
    IKR_CBOR_BSTR = 2,
    IKR_CBOR_TSTR = 3,
    IKR_CBOR_ARRAY = 4,
    IKR_CBOR_MAP = 5,
    IKR_CBOR_TAG = 6,
    IKR_CBOR_SIMPLE = 7
};

/* Writers: each appends one item (or head) to b and returns 0 or IKR_E_NOMEM. */
int ikr_cbor_head(ikr_buf *b, int major, uint64_t v);
int ikr_cbor_uint(ikr_buf *b, uint64_t v);
int ikr_cbor_int(ikr_buf *b, int64_t v);
int ikr_cbor_bstr(ikr_buf *b, const void *p, size_t n);
int ikr_cbor_tstr(ikr_buf *b, const char *s, size_t n);
int ikr_cbor_text(ikr_buf *b, const char *s); /* NUL-terminated text string */

/*
 * A map being built: add a key with ikr_cbor_map_key*, then write its value
 * into the buffer that call returns with the writers above; ikr_cbor_map_end
 * sorts the entries by key bytes, appends the map to out and frees the
 * builder.  ikr_cbor_map_free releases a builder that is abandoned.
 */
#define IKR_CBOR_MAP_MAX 32
typedef struct ikr_cbor_map {
    ikr_buf ent[IKR_CBOR_MAP_MAX];
    size_t keylen[IKR_CBOR_MAP_MAX];
    int n;
    int bad; /* too many entries or out of memory */
} ikr_cbor_map;

void ikr_cbor_map_init(ikr_cbor_map *m);
ikr_buf *ikr_cbor_map_key_text(ikr_cbor_map *m, const char *key);
ikr_buf *ikr_cbor_map_key_int(ikr_cbor_map *m, int64_t key);
int ikr_cbor_map_end(ikr_cbor_map *m, ikr_buf *out);
void ikr_cbor_map_free(ikr_cbor_map *m);

/* A reader over untrusted bytes. */
typedef struct ikr_cbor_rd {
    const uint8_t *p;
    size_t n;
    size_t off;
} ikr_cbor_rd;

void ikr_cbor_rd_init(ikr_cbor_rd *r, const uint8_t *p, size_t n);

/*
 * Each reader returns 0 and advances, or -1 (and stays put) when the next
 * item is not of the asked type, is malformed, or runs past the end.
 */
int ikr_cbor_peek(const ikr_cbor_rd *r, int *major);
int ikr_cbor_read_head(ikr_cbor_rd *r, int *major, uint64_t *v);
int ikr_cbor_read_uint(ikr_cbor_rd *r, uint64_t *v);
int ikr_cbor_read_int(ikr_cbor_rd *r, int64_t *v);
int ikr_cbor_read_bstr(ikr_cbor_rd *r, const uint8_t **p, size_t *n);
int ikr_cbor_read_tstr(ikr_cbor_rd *r, const char **s, size_t *n);
int ikr_cbor_read_array(ikr_cbor_rd *r, uint64_t *count);
int ikr_cbor_read_map(ikr_cbor_rd *r, uint64_t *count);
int ikr_cbor_read_tag(ikr_cbor_rd *r, uint64_t *tag);
/* Skips one whole item, nested at most IKR_CBOR_MAX_DEPTH deep. */
int ikr_cbor_skip(ikr_cbor_rd *r);
/* 1 when every byte has been read. */
int ikr_cbor_done(const ikr_cbor_rd *r);

/*
 * What a decoder of untrusted bytes returns: 0, or one of these.  MALFORMED
 * is not CBOR of the expected shape at all; ENCODING is well-formed but not
 * the one encoding ikrar writes; LIMIT is a value outside what a writer
 * produces.  Decoders that say why also give a short English name of the
 * check that refused (a static string, for the message's detail).
 */
enum { IKR_DEC_MALFORMED = -1, IKR_DEC_ENCODING = -2, IKR_DEC_LIMIT = -3 };

/* Where a decoder refused and which check: "protected header" and "not the bytes ikrar writes". */
typedef struct ikr_dec_why {
    const char *part;  /* the structure or claim ("COSE_Sign1", "claims", "name"); NULL when none */
    const char *check; /* the check, in English; NULL when none */
} ikr_dec_why;

/*
 * Checks that p[0..n) is exactly one CBOR item in the deterministic encoding
 * of RFC 8949 §4.2.1 as ikrar writes it: shortest heads (integers, lengths,
 * counts and tags), definite lengths, map keys strictly increasing in the
 * bytewise order of their encodings (so no key twice), text strings of valid
 * UTF-8, no floats or simple values, nesting at most IKR_CBOR_MAX_DEPTH.
 * Returns 0, IKR_DEC_MALFORMED or IKR_DEC_ENCODING; *why (when not NULL)
 * names the check that failed.
 */
int ikr_cbor_canonical(const uint8_t *p, size_t n, const char **why);

#endif
