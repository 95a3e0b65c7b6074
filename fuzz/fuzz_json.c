/*
 * fuzz_json.c: the JSON cursor (json.h) on untrusted bytes.  The first
 * byte picks the nesting limit and whether UTF-8 is checked; the rest is
 * read twice: skipped whole, and walked value by value with strings read
 * into bounded buffers.  Both walks must agree, a fault must carry a reason
 * placed inside the text, a string must keep to its bound (and be UTF-8
 * when asked), and a document read whole must close every bracket.  A
 * broken promise aborts, so the fuzzer reports it as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/json.h"
#include "ikrar/text.h"

#define CODE IKR_E_BUNDLE_LINE
#define MAX_STR 40

static void check_fault(const ikr_json *j, int rc)
{
    if (rc != CODE && rc != IKR_E_NOMEM)
        abort();
    if (!j->why || !*j->why || j->at > j->n || j->rc != rc)
        abort();
}

/* Reads one value by hand; returns the code. */
static int walk(ikr_json *j, ikr_buf *s)
{
    ikr_json_it it;
    uint64_t v;
    int w, rc;
    switch (ikr_json_peek(j)) {
    case '"':
        rc = ikr_json_string(j, s, MAX_STR);
        if (rc == IKR_OK) {
            if (s->len > MAX_STR || j->raw < j->p || j->raw + j->raw_len > j->p + j->n)
                abort();
            if ((j->flags & IKR_JSON_UTF8) && !ikr_utf8_valid((const char *)s->p, s->len))
                abort();
        }
        return rc;
    case '{':
        if ((rc = ikr_json_object(j, &it)))
            return rc;
        while (!(rc = ikr_json_member(j, &it, s, MAX_STR)) && !it.done) {
            if (s->len > MAX_STR)
                abort();
            if ((rc = walk(j, s)))
                return rc;
        }
        return rc;
    case '[':
        if ((rc = ikr_json_array(j, &it)))
            return rc;
        while (!(rc = ikr_json_element(j, &it)) && !it.done)
            if ((rc = walk(j, s)))
                return rc;
        return rc;
    case 't':
    case 'f':
    case 'n':
        return ikr_json_literal(j, &w);
    case -1:
        return ikr_json_skip(j); /* nothing left: skipping names that fault */
    default:
        rc = ikr_json_number(j, &v, &w);
        if (rc == IKR_OK && w && v >= IKR_JSON_WHOLE_LIMIT)
            abort();
        return rc;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int depth = 1 + data[0] % 20;
    unsigned flags = data[0] & 0x80 ? IKR_JSON_UTF8 : 0;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;

    ikr_json a, b;
    ikr_buf s;
    ikr_buf_init(&s);
    ikr_json_init(&a, text, n, CODE, depth, flags);
    int ra = ikr_json_skip(&a);
    if (!ra)
        ra = ikr_json_end(&a);
    ikr_json_init(&b, text, n, CODE, depth, flags);
    int rb = walk(&b, &s);
    if (!rb)
        rb = ikr_json_end(&b);
    ikr_buf_free(&s);

    if (ra == IKR_OK) {
        if (a.depth != 0 || a.off != n || a.why)
            abort();
    } else {
        check_fault(&a, ra);
    }
    if (rb == IKR_OK) {
        if (b.depth != 0 || b.off != n)
            abort();
    } else {
        check_fault(&b, rb);
    }
    /*
     * The walk bounds strings at MAX_STR, so it may refuse what skipping
     * takes; otherwise both must agree, on the reason and its place too.
     */
    if (rb == IKR_OK && ra != IKR_OK)
        abort();
    if (ra != IKR_OK && rb != IKR_OK && (a.at != b.at || strcmp(a.why, b.why) != 0) &&
        strcmp(b.why, "a string is too long") != 0)
        abort();
    if (ra == IKR_OK && rb != IKR_OK && strcmp(b.why, "a string is too long") != 0)
        abort();
    return 0;
}
