/*
 * json.c: the one JSON reader (json.h).  Bundles and inks come from
 * outside; before this file each had a hand-written reader of its own, and
 * two readers of one grammar drift apart.  This one is a cursor: callers
 * walk the shape they expect and refuse the rest in their own words.
 *
 * Every read is bounded by the span; a string by the caller's max before a
 * byte is stored; nesting by max_depth before a bracket is entered.  The
 * first fault is kept with its offset and makes the cursor refuse every
 * later call, so a caller that forgets one check cannot read on past it.
 */
#include "ikrar/json.h"

#include <string.h>

#include "ikrar/err.h"
#include "ikrar/text.h"

/* Records the first fault at offset at and returns its code. */
static int fail_at(ikr_json *j, size_t at, int code, const char *why)
{
    if (!j->rc) {
        j->rc = code;
        j->why = why;
        j->at = at;
    }
    return j->rc;
}

static int fail(ikr_json *j, const char *why)
{
    return fail_at(j, j->off, j->code, why);
}

void ikr_json_init(ikr_json *j, const char *p, size_t n, int code, int max_depth, unsigned flags)
{
    memset(j, 0, sizeof *j);
    j->p = p ? p : "";
    j->n = p ? n : 0;
    j->code = code ? code : IKR_E_INTERNAL;
    j->max_depth = max_depth < 1                    ? 1
                   : max_depth > IKR_JSON_MAX_DEPTH ? IKR_JSON_MAX_DEPTH
                                                    : max_depth;
    j->flags = flags;
}

static void ws(ikr_json *j)
{
    while (j->off < j->n) {
        char c = j->p[j->off];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        j->off++;
    }
}

int ikr_json_peek(ikr_json *j)
{
    if (j->rc)
        return -1;
    ws(j);
    return j->off < j->n ? (unsigned char)j->p[j->off] : -1;
}

/*
 * The first byte of p[i..end) that starts no valid UTF-8 character, found
 * character by character with text.h's check (a fault is placed, not only
 * found).  Called only once that span is known to be bad.
 */
static size_t first_bad(const char *p, size_t i, size_t end)
{
    while (i < end) {
        size_t k = 1;
        if ((unsigned char)p[i] >= 0x80)
            while (k <= 4 && (i + k > end || !ikr_utf8_valid(p + i, k)))
                k++;
        if (k > 4 || i + k > end)
            return i;
        i += k;
    }
    return end;
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* cp (at most U+10FFFF, not a surrogate) as UTF-8 into u; returns its length. */
static size_t utf8_of(unsigned cp, uint8_t u[4])
{
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | (cp >> 6));
        u[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | (cp >> 12));
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (uint8_t)(0xF0 | (cp >> 18));
    u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Appends p[0..k) to out within max. */
static int put(ikr_json *j, ikr_buf *out, size_t max, const void *p, size_t k, size_t at)
{
    if (k > max || out->len > max - k)
        return fail_at(j, at, j->code, "a string is too long");
    if (ikr_buf_add(out, p, k))
        return fail_at(j, at, IKR_E_NOMEM, "out of memory");
    return IKR_OK;
}

/* The escape after a backslash at j->off; its code point goes to *cp. */
static int escape(ikr_json *j, unsigned *cp)
{
    size_t at = j->off - 1;
    if (j->off >= j->n)
        return fail(j, "a string is not closed");
    char c = j->p[j->off++];
    switch (c) {
    case '"':
    case '\\':
    case '/':
        *cp = (unsigned char)c;
        return IKR_OK;
    case 'b':
        *cp = '\b';
        return IKR_OK;
    case 'f':
        *cp = '\f';
        return IKR_OK;
    case 'n':
        *cp = '\n';
        return IKR_OK;
    case 'r':
        *cp = '\r';
        return IKR_OK;
    case 't':
        *cp = '\t';
        return IKR_OK;
    case 'u':
        break;
    default:
        return fail_at(j, at, j->code, "a bad escape in a string");
    }
    if (j->n - j->off < 4 || hex4(j->p + j->off, cp))
        return fail_at(j, at, j->code, "a bad \\u escape");
    j->off += 4;
    if (*cp >= 0xD800 && *cp < 0xDC00) {
        unsigned lo;
        if (j->n - j->off < 6 || j->p[j->off] != '\\' || j->p[j->off + 1] != 'u' ||
            hex4(j->p + j->off + 2, &lo) || lo < 0xDC00 || lo >= 0xE000)
            return fail_at(j, at, j->code, "a lone surrogate in a \\u escape");
        j->off += 6;
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (*cp >= 0xDC00 && *cp < 0xE000) {
        return fail_at(j, at, j->code, "a lone surrogate in a \\u escape");
    }
    return IKR_OK;
}

int ikr_json_string(ikr_json *j, ikr_buf *out, size_t max)
{
    if (j->rc)
        return j->rc;
    ws(j);
    if (j->off >= j->n || j->p[j->off] != '"')
        return fail(j, "a string was expected");
    if (out)
        ikr_buf_reset(out);
    size_t open = ++j->off;
    for (;;) {
        /* A run of plain bytes at once: base64 fields are kilobytes without an escape. */
        size_t q = j->off;
        while (q < j->n && j->p[q] != '"' && j->p[q] != '\\' && (unsigned char)j->p[q] >= 0x20)
            q++;
        /*
         * UTF-8 is checked run by run: a run ends only at an ASCII byte, so
         * no character is split between two runs.
         */
        if ((j->flags & IKR_JSON_UTF8) && !ikr_utf8_valid(j->p + j->off, q - j->off))
            return fail_at(j, first_bad(j->p, j->off, q), j->code, "a string is not UTF-8");
        if (q > j->off && out && put(j, out, max, j->p + j->off, q - j->off, j->off))
            return j->rc;
        j->off = q;
        if (j->off >= j->n)
            return fail(j, "a string is not closed");
        unsigned char c = (unsigned char)j->p[j->off];
        if (c == '"') {
            j->raw = j->p + open;
            j->raw_len = j->off - open;
            j->off++;
            return IKR_OK;
        }
        if (c < 0x20)
            return fail(j, "a control character inside a string");
        j->off++; /* the backslash */
        unsigned cp = 0;
        uint8_t u[4];
        size_t at = j->off - 1;
        if (escape(j, &cp))
            return j->rc;
        if (out && put(j, out, max, u, utf8_of(cp, u), at))
            return j->rc;
    }
}

static int digit(const ikr_json *j)
{
    return j->off < j->n && j->p[j->off] >= '0' && j->p[j->off] <= '9';
}

int ikr_json_number(ikr_json *j, uint64_t *whole, int *is_whole)
{
    uint64_t v = 0;
    int plain = 1;
    *whole = 0;
    *is_whole = 0;
    if (j->rc)
        return j->rc;
    ws(j);
    if (j->off < j->n && j->p[j->off] == '-') {
        plain = 0;
        j->off++;
    }
    if (!digit(j))
        return fail(j, "a bad number");
    if (j->p[j->off] == '0') {
        j->off++;
    } else {
        while (digit(j)) {
            if (v >= IKR_JSON_WHOLE_LIMIT)
                plain = 0; /* read on, value no longer kept */
            else
                v = v * 10 + (uint64_t)(j->p[j->off] - '0');
            j->off++;
        }
    }
    if (j->off < j->n && j->p[j->off] == '.') {
        plain = 0;
        j->off++;
        if (!digit(j))
            return fail(j, "a bad number");
        while (digit(j))
            j->off++;
    }
    if (j->off < j->n && (j->p[j->off] == 'e' || j->p[j->off] == 'E')) {
        plain = 0;
        j->off++;
        if (j->off < j->n && (j->p[j->off] == '+' || j->p[j->off] == '-'))
            j->off++;
        if (!digit(j))
            return fail(j, "a bad number");
        while (digit(j))
            j->off++;
    }
    if (plain && v < IKR_JSON_WHOLE_LIMIT) {
        *whole = v;
        *is_whole = 1;
    }
    return IKR_OK;
}

int ikr_json_literal(ikr_json *j, int *which)
{
    static const struct {
        const char *word;
        size_t len;
        int which;
    } lit[] = {
        {"true", 4, IKR_JSON_TRUE}, {"false", 5, IKR_JSON_FALSE}, {"null", 4, IKR_JSON_NULL}};
    if (j->rc)
        return j->rc;
    ws(j);
    for (size_t i = 0; i < sizeof lit / sizeof lit[0]; i++) {
        if (j->n - j->off >= lit[i].len && memcmp(j->p + j->off, lit[i].word, lit[i].len) == 0) {
            j->off += lit[i].len;
            *which = lit[i].which;
            return IKR_OK;
        }
    }
    return fail(j, "an unexpected character");
}

/* Opens an object or array at j->off, within max_depth. */
static int open_container(ikr_json *j, ikr_json_it *it, char open, char close, const char *why)
{
    memset(it, 0, sizeof *it);
    it->done = 1; /* until it is open: a caller's loop ends on a fault */
    if (j->rc)
        return j->rc;
    ws(j);
    if (j->off >= j->n || j->p[j->off] != open)
        return fail(j, why);
    if (j->depth >= j->max_depth)
        return fail(j, "values are nested too deeply");
    j->off++;
    j->depth++;
    it->close = close;
    it->done = 0;
    return IKR_OK;
}

/*
 * Between items of a container: 1 when another item follows (after its
 * comma), 0 when the container closed, or the fault's code negated.
 */
static int next_item(ikr_json *j, ikr_json_it *it, const char *why)
{
    if (j->rc)
        return -j->rc;
    if (it->done)
        return 0;
    ws(j);
    if (it->count == 0) {
        if (j->off < j->n && j->p[j->off] == it->close)
            goto closed;
        return 1;
    }
    if (j->off < j->n && j->p[j->off] == ',') {
        j->off++;
        return 1;
    }
    if (j->off < j->n && j->p[j->off] == it->close)
        goto closed;
    return -fail(j, why);
closed:
    j->off++;
    j->depth--;
    it->done = 1;
    return 0;
}

int ikr_json_object(ikr_json *j, ikr_json_it *it)
{
    return open_container(j, it, '{', '}', "an object was expected");
}

int ikr_json_member(ikr_json *j, ikr_json_it *it, ikr_buf *key, size_t max)
{
    int more = next_item(j, it, "',' or '}' was expected");
    if (more <= 0)
        return -more;
    if (ikr_json_string(j, key, max))
        return j->rc;
    ws(j);
    if (j->off >= j->n || j->p[j->off] != ':')
        return fail(j, "':' was expected");
    j->off++;
    ws(j);
    it->count++;
    return IKR_OK;
}

int ikr_json_array(ikr_json *j, ikr_json_it *it)
{
    return open_container(j, it, '[', ']', "an array was expected");
}

int ikr_json_element(ikr_json *j, ikr_json_it *it)
{
    int more = next_item(j, it, "',' or ']' was expected");
    if (more <= 0)
        return -more;
    it->count++;
    return IKR_OK;
}

int ikr_json_skip(ikr_json *j)
{
    ikr_json_it it;
    uint64_t u;
    int w;
    if (j->rc)
        return j->rc;
    ws(j);
    if (j->off >= j->n)
        return fail(j, "a value was expected");
    switch (j->p[j->off]) {
    case '"':
        return ikr_json_string(j, NULL, 0);
    case 't':
    case 'f':
    case 'n':
        return ikr_json_literal(j, &w);
    case '{':
        /* Recursion is bounded: open_container refuses past max_depth. */
        if (ikr_json_object(j, &it))
            return j->rc;
        while (!ikr_json_member(j, &it, NULL, 0) && !it.done)
            if (ikr_json_skip(j))
                break;
        return j->rc;
    case '[':
        if (ikr_json_array(j, &it))
            return j->rc;
        while (!ikr_json_element(j, &it) && !it.done)
            if (ikr_json_skip(j))
                break;
        return j->rc;
    default:
        return ikr_json_number(j, &u, &w);
    }
}

int ikr_json_end(ikr_json *j)
{
    if (j->rc)
        return j->rc;
    ws(j);
    return j->off == j->n ? IKR_OK : fail(j, "something follows the value");
}
