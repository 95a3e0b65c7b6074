/*
 * json.h: one reader for the JSON that reaches ikrar from outside (a
 * bundle's records.jsonl and event.json, an ink from a file or the canvas).
 *
 * It is a pull reader, a cursor over a span of bytes that the caller moves
 * value by value, so each caller keeps the shape it expects in its own code
 * and nothing is built that the caller did not ask for.  Every length is
 * bounded: strings by the caller's max, nesting by the cursor's max_depth,
 * everything by the span.  The first fault stops the cursor: its reason
 * (English, for a technical detail) and byte offset stay in the cursor and
 * every later call returns the same code.
 */
#ifndef IKRAR_JSON_H
#define IKRAR_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The deepest nesting a cursor may be given; skipping recurses once a level. */
#define IKR_JSON_MAX_DEPTH 64

/* Whole numbers are those that every JSON reader keeps exactly: below 2^53. */
#define IKR_JSON_WHOLE_LIMIT (UINT64_C(1) << 53)

/* Flags of ikr_json_init. */
enum {
    IKR_JSON_UTF8 = 1 /* refuse strings whose bytes are not UTF-8 (else bytes pass as they are) */
};

/* What ikr_json_literal read. */
enum { IKR_JSON_FALSE, IKR_JSON_TRUE, IKR_JSON_NULL };

typedef struct ikr_json {
    const char *p;   /* the text, not NUL-terminated */
    size_t n;        /* its length */
    size_t off;      /* the next byte to read */
    int depth;       /* objects and arrays open */
    int max_depth;   /* the most that may be open at once */
    unsigned flags;  /* IKR_JSON_* */
    int code;        /* what a fault of the text returns (the caller's own code) */
    const char *raw; /* the last string read, as written between its quotes */
    size_t raw_len;
    int rc;          /* IKR_OK, or the code of the first fault */
    const char *why; /* that fault in English; NULL while there is none */
    size_t at;       /* the byte offset where it was found */
} ikr_json;

/* Where an object or array is being walked. */
typedef struct ikr_json_it {
    size_t count; /* members or elements given so far */
    int done;     /* 1 once the closing bracket is read */
    char close;
} ikr_json_it;

/*
 * Starts a cursor over p[0..n) (p may be NULL when n is 0).  code is what
 * every fault of the text returns (out of memory is IKR_E_NOMEM); max_depth
 * (1..IKR_JSON_MAX_DEPTH, clamped) bounds the objects and arrays open at once.
 */
void ikr_json_init(ikr_json *j, const char *p, size_t n, int code, int max_depth, unsigned flags);

/*
 * Skips JSON white space (space, tab, newline, carriage return: no BOM, no
 * other Unicode space) and returns the next byte, without taking it; -1 at
 * the end of the text or after a fault.
 */
int ikr_json_peek(ikr_json *j);

/*
 * Reads a string.  Escapes are decoded, \u surrogate pairs to one UTF-8
 * character; a lone surrogate, a control character or a bad escape is a
 * fault.  Its bytes replace out's unless out is NULL (then it is only
 * checked); more than max of them is a fault ("a string is too long").
 * j->raw and j->raw_len then hold it as written between its quotes.
 */
int ikr_json_string(ikr_json *j, ikr_buf *out, size_t max);

/*
 * Reads a number as RFC 8259 writes it.  *is_whole is 1 when it is written
 * as a whole number below IKR_JSON_WHOLE_LIMIT with no sign, fraction or
 * exponent, and then *whole is its value; otherwise *is_whole is 0 and
 * *whole means nothing.  A digit straight after a leading 0 is not read:
 * the caller meets it as the next token.
 */
int ikr_json_number(ikr_json *j, uint64_t *whole, int *is_whole);

/* Reads true, false or null; *which is IKR_JSON_TRUE, _FALSE or _NULL. */
int ikr_json_literal(ikr_json *j, int *which);

/* Skips one whole value of any kind, nested at most as max_depth allows. */
int ikr_json_skip(ikr_json *j);

/* Reads the '{' that opens an object and starts it. */
int ikr_json_object(ikr_json *j, ikr_json_it *it);

/*
 * The next member of the object it walks: sets it->done when the object
 * closed; otherwise the key replaces key's bytes (when key is not NULL; at
 * most max of them) and the cursor stands on the member's value, which the
 * caller must read or skip before asking for the next member.
 */
int ikr_json_member(ikr_json *j, ikr_json_it *it, ikr_buf *key, size_t max);

/* Reads the '[' that opens an array and starts it. */
int ikr_json_array(ikr_json *j, ikr_json_it *it);

/*
 * The next element of the array it walks: sets it->done when the array
 * closed; otherwise the cursor stands on the element, which the caller must
 * read or skip before asking for the next one.
 */
int ikr_json_element(ikr_json *j, ikr_json_it *it);

/* IKR_OK when only white space is left ("something follows the value" otherwise). */
int ikr_json_end(ikr_json *j);

#endif
