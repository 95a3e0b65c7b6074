/*
 * test_json.c: the JSON cursor (json.h) that bundles and inks are read
 * with: strings and their escapes, surrogate pairs, UTF-8, numbers at
 * their edges, nesting limits, walking objects and arrays, and that every
 * fault names its reason and the byte where it was found.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/json.h"

#define CODE IKR_E_BUNDLE_LINE /* any caller's code: faults of the text come back as it */

static ikr_json cur(const char *s, int depth, unsigned flags)
{
    ikr_json j;
    ikr_json_init(&j, s, strlen(s), CODE, depth, flags);
    return j;
}

/* Reads s as one string (max bytes) into out; returns the code. */
static int str(const char *s, size_t max, unsigned flags, ikr_buf *out, ikr_json *jj)
{
    ikr_json j = cur(s, 4, flags);
    int rc = ikr_json_string(&j, out, max);
    if (!rc)
        rc = ikr_json_end(&j);
    if (jj)
        *jj = j;
    return rc;
}

static int str_is(const char *s, const char *want, size_t want_len)
{
    ikr_buf b;
    ikr_buf_init(&b);
    int ok = str(s, 100, IKR_JSON_UTF8, &b, NULL) == IKR_OK && b.len == want_len &&
             (want_len == 0 || memcmp(b.p, want, want_len) == 0);
    ikr_buf_free(&b);
    return ok;
}

/* The reason a string is refused, and where; NULL when it is not. */
static const char *str_why(const char *s, unsigned flags, size_t *at)
{
    static ikr_json j;
    ikr_buf b;
    ikr_buf_init(&b);
    int rc = str(s, 100, flags, &b, &j);
    ikr_buf_free(&b);
    if (at)
        *at = j.at;
    return rc == CODE ? j.why : NULL;
}

static void strings(void)
{
    size_t at;
    check("plain", str_is("\"abc\"", "abc", 3));
    check("empty", str_is("\"\"", "", 0));
    check("white space around", str_is(" \t\r\n\"a\" \n", "a", 1));
    check("simple escapes", str_is("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8));
    check("\\u ASCII", str_is("\"\\u0041\\u007a\"", "Az", 2));
    check("\\u upper-case hex", str_is("\"\\u00E9\"", "\xC3\xA9", 2));
    check("\\u two-byte", str_is("\"\\u00e9\"", "\xC3\xA9", 2));
    check("\\u three-byte", str_is("\"\\u20ac\"", "\xE2\x82\xAC", 3));
    check("\\u0000 is a NUL byte", str_is("\"a\\u0000b\"", "a\0b", 3));
    check("surrogate pair to four bytes", str_is("\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80", 4));
    check("highest pair", str_is("\"\\udbff\\udfff\"", "\xF4\x8F\xBF\xBF", 4));
    check("UTF-8 bytes pass",
          str_is("\"Ni Luh \xC3\xA9\xF0\x9F\x98\x80\"", "Ni Luh \xC3\xA9\xF0\x9F\x98\x80", 13));

    check("lone high surrogate",
          strcmp(str_why("\"\\ud800\"", 0, &at), "a lone surrogate in a \\u escape") == 0 &&
              at == 1);
    check("lone low surrogate",
          strcmp(str_why("\"x\\udc00\"", 0, &at), "a lone surrogate in a \\u escape") == 0 &&
              at == 2);
    check("high then a non-surrogate",
          strcmp(str_why("\"\\ud800\\u0041\"", 0, NULL), "a lone surrogate in a \\u escape") == 0);
    check("high then two highs",
          strcmp(str_why("\"\\ud800\\ud800\"", 0, NULL), "a lone surrogate in a \\u escape") == 0);
    check("high then a plain character",
          strcmp(str_why("\"\\ud800x\"", 0, NULL), "a lone surrogate in a \\u escape") == 0);
    check("short \\u", strcmp(str_why("\"\\u12\"", 0, &at), "a bad \\u escape") == 0 && at == 1);
    check("bad hex", strcmp(str_why("\"\\u12g4\"", 0, NULL), "a bad \\u escape") == 0);
    check("bad escape",
          strcmp(str_why("\"ab\\q\"", 0, &at), "a bad escape in a string") == 0 && at == 3);
    check("raw tab",
          strcmp(str_why("\"a\tb\"", 0, &at), "a control character inside a string") == 0 &&
              at == 2);
    check("raw newline",
          strcmp(str_why("\"a\nb\"", 0, NULL), "a control character inside a string") == 0);
    check("not closed", strcmp(str_why("\"abc", 0, &at), "a string is not closed") == 0 && at == 4);
    check("ends in a backslash",
          strcmp(str_why("\"abc\\", 0, NULL), "a string is not closed") == 0);
    check("not a string", strcmp(str_why("abc", 0, &at), "a string was expected") == 0 && at == 0);
    check("single quotes", strcmp(str_why("'a'", 0, NULL), "a string was expected") == 0);
    check("nothing", strcmp(str_why("", 0, NULL), "a string was expected") == 0);

    /* UTF-8 is checked only when asked; without the flag bytes pass as they are. */
    check("bad UTF-8 refused at its byte",
          strcmp(str_why("\"ab\xFF\"", IKR_JSON_UTF8, &at), "a string is not UTF-8") == 0 &&
              at == 3);
    check("bad UTF-8 after good characters placed",
          str_why("\"\xC3\xA9\xE2\x82\xAC\xC3x\"", IKR_JSON_UTF8, &at) != NULL && at == 6);
    check("overlong refused", str_why("\"\xC0\xAF\"", IKR_JSON_UTF8, NULL) != NULL);
    check("encoded surrogate refused", str_why("\"\xED\xA0\x80\"", IKR_JSON_UTF8, NULL) != NULL);
    check("cut character refused", str_why("\"\xC3\"", IKR_JSON_UTF8, NULL) != NULL);
    check("cut before an escape refused", str_why("\"\xE2\x82\\n\"", IKR_JSON_UTF8, NULL) != NULL);
    check("bad UTF-8 passes without the flag", str_why("\"ab\xFF\"", 0, NULL) == NULL);

    /* The bound is exact, whether the bytes come plain or from escapes. */
    ikr_buf b;
    ikr_json j;
    ikr_buf_init(&b);
    check("exactly max", str("\"abcd\"", 4, 0, &b, NULL) == IKR_OK && b.len == 4);
    check("max + 1",
          str("\"abcde\"", 4, 0, &b, &j) == CODE && strcmp(j.why, "a string is too long") == 0);
    check("escape at exactly max", str("\"abc\\n\"", 4, 0, &b, NULL) == IKR_OK && b.len == 4);
    check("escape past max", str("\"abcd\\n\"", 4, 0, &b, NULL) == CODE);
    check("four-byte character at exactly max",
          str("\"\\ud83d\\ude00\"", 4, 0, &b, NULL) == IKR_OK);
    check("four-byte character past max", str("\"a\\ud83d\\ude00\"", 4, 0, &b, NULL) == CODE);
    check("max 0 takes the empty string", str("\"\"", 0, 0, &b, NULL) == IKR_OK && b.len == 0);
    check("a string replaces what out held", str("\"xy\"", 4, 0, &b, NULL) == IKR_OK && b.len == 2);
    check("no out: checked, not bounded", str("\"a long string\"", 1, 0, NULL, NULL) == IKR_OK);
    ikr_buf_free(&b);

    /* raw: the string as written, for keys compared without decoding. */
    check("raw as written", str("\"a\\u0062\"", 10, 0, NULL, &j) == IKR_OK && j.raw_len == 7 &&
                                memcmp(j.raw, "a\\u0062", 7) == 0);
}

/* Reads s as one number; returns the code. */
static int num(const char *s, uint64_t *v, int *whole)
{
    ikr_json j = cur(s, 4, 0);
    int rc = ikr_json_number(&j, v, whole);
    return rc ? rc : ikr_json_end(&j);
}

static int whole_is(const char *s, uint64_t want)
{
    uint64_t v;
    int w;
    return num(s, &v, &w) == IKR_OK && w && v == want;
}

static int not_whole(const char *s)
{
    uint64_t v;
    int w;
    return num(s, &v, &w) == IKR_OK && !w && v == 0;
}

static int bad_num(const char *s)
{
    uint64_t v;
    int w;
    return num(s, &v, &w) == CODE;
}

static void numbers(void)
{
    check("0", whole_is("0", 0));
    check("7", whole_is(" 7 ", 7));
    check("2^32", whole_is("4294967296", UINT64_C(4294967296)));
    check("2^53 - 1", whole_is("9007199254740991", UINT64_C(9007199254740991)));
    check("2^53 is not whole", not_whole("9007199254740992"));
    check("2^64 is not whole", not_whole("18446744073709551616"));
    check("a hundred digits are not whole",
          not_whole("1000000000000000000000000000000000000000000000000000"
                    "000000000000000000000000000000000000000000000000000"));
    check("negative", not_whole("-1"));
    check("minus zero", not_whole("-0"));
    check("fraction", not_whole("1.0"));
    check("exponent", not_whole("1e2"));
    check("upper exponent with sign", not_whole("1E+2"));
    check("negative exponent", not_whole("-2.5e-3"));

    check("plus sign", bad_num("+1"));
    check("lone minus", bad_num("-"));
    check("minus letter", bad_num("-a"));
    check("dot first", bad_num(".5"));
    check("dot last", bad_num("1."));
    check("exponent without digits", bad_num("1e"));
    check("exponent sign without digits", bad_num("1e+"));
    check("hex", bad_num("0x10"));
    check("leading zero: the 1 is the next token", bad_num("01"));
    check("not a number", bad_num("x"));
    check("nothing", bad_num(""));

    ikr_json j = cur("01", 4, 0);
    uint64_t v;
    int w;
    check("leading zero reads the 0 alone",
          ikr_json_number(&j, &v, &w) == IKR_OK && w && v == 0 && j.off == 1);
    j = cur("1.x", 4, 0);
    check("a bad number is placed at its bad byte",
          ikr_json_number(&j, &v, &w) == CODE && strcmp(j.why, "a bad number") == 0 && j.at == 2);
}

static void literals(void)
{
    int which;
    ikr_json j = cur("true", 4, 0);
    check("true", ikr_json_literal(&j, &which) == IKR_OK && which == IKR_JSON_TRUE);
    j = cur("false", 4, 0);
    check("false", ikr_json_literal(&j, &which) == IKR_OK && which == IKR_JSON_FALSE);
    j = cur(" null", 4, 0);
    check("null", ikr_json_literal(&j, &which) == IKR_OK && which == IKR_JSON_NULL);
    j = cur("tru", 4, 0);
    check("cut literal",
          ikr_json_literal(&j, &which) == CODE && strcmp(j.why, "an unexpected character") == 0);
    j = cur("True", 4, 0);
    check("capitalised literal", ikr_json_literal(&j, &which) == CODE);
}

static int skip_all(const char *s, int depth, ikr_json *out)
{
    ikr_json j = cur(s, depth, 0);
    int rc = ikr_json_skip(&j);
    if (!rc)
        rc = ikr_json_end(&j);
    if (out)
        *out = j;
    return rc;
}

static void skipping(void)
{
    ikr_json j;
    check("skip an object",
          skip_all("{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\",\"d\":-1.5e3}", 4, NULL) == IKR_OK);
    check("skip empties", skip_all("[ {} , [ ] , \"\" ]", 4, NULL) == IKR_OK);
    check("skip a literal", skip_all("false", 1, NULL) == IKR_OK);
    check("skip a number", skip_all("12", 1, NULL) == IKR_OK);
    check("at the depth limit", skip_all("[[[1]]]", 3, NULL) == IKR_OK);
    check("past the depth limit", skip_all("[[[[1]]]]", 3, &j) == CODE &&
                                      strcmp(j.why, "values are nested too deeply") == 0 &&
                                      j.at == 3);
    check("objects count too", skip_all("{\"a\":{\"b\":{\"c\":{}}}}", 3, NULL) == CODE);
    check("depth is clamped to the reader's own limit",
          (ikr_json_init(&j, "", 0, CODE, 1000, 0), j.max_depth == IKR_JSON_MAX_DEPTH));

    /* A thousand brackets: refused at the limit, not recursed into. */
    char deep[2001];
    memset(deep, '[', 1000);
    memset(deep + 1000, ']', 1000);
    deep[2000] = '\0';
    check("a thousand deep refused",
          skip_all(deep, IKR_JSON_MAX_DEPTH, &j) == CODE && j.at == IKR_JSON_MAX_DEPTH);

    check("trailing comma in array", skip_all("[1,]", 4, NULL) == CODE);
    check("trailing comma in object",
          skip_all("{\"a\":1,}", 4, &j) == CODE && strcmp(j.why, "a string was expected") == 0);
    check("leading comma", skip_all("[,1]", 4, NULL) == CODE);
    check("missing comma", skip_all("[1 2]", 4, &j) == CODE &&
                               strcmp(j.why, "',' or ']' was expected") == 0 && j.at == 3);
    check("missing comma in object", skip_all("{\"a\":1 \"b\":2}", 4, &j) == CODE &&
                                         strcmp(j.why, "',' or '}' was expected") == 0);
    check("missing colon",
          skip_all("{\"a\" 1}", 4, &j) == CODE && strcmp(j.why, "':' was expected") == 0);
    check("unquoted key", skip_all("{a:1}", 4, NULL) == CODE);
    check("mismatched brackets", skip_all("[1}", 4, NULL) == CODE);
    check("nothing", skip_all("  ", 4, &j) == CODE && strcmp(j.why, "a value was expected") == 0);
    check("trailing garbage", skip_all("[1] x", 4, &j) == CODE &&
                                  strcmp(j.why, "something follows the value") == 0 && j.at == 4);
    check("BOM is not white space", skip_all("\xEF\xBB\xBF[]", 4, NULL) == CODE);
    check("form feed is not white space", skip_all("[]\f", 4, NULL) == CODE);
    check("comment refused", skip_all("[/**/1]", 4, NULL) == CODE);

    /* Every proper prefix of a document is refused. */
    const char *doc = "{\"a\":[1,-2.5e3,true,null],\"b\":{\"c\":\"x\\u00e9\\ud83d\\ude00\"}}";
    int all = 1;
    for (size_t k = 0; k < strlen(doc); k++) {
        ikr_json_init(&j, doc, k, CODE, 4, 0);
        if (ikr_json_skip(&j) == IKR_OK && ikr_json_end(&j) == IKR_OK)
            all = 0;
    }
    check("every prefix refused", all);
    ikr_json_init(&j, NULL, 0, CODE, 4, 0);
    check("NULL text with n 0", ikr_json_peek(&j) == -1 && ikr_json_skip(&j) == CODE);
}

static void walking(void)
{
    const char *doc = " { \"w\" : 5 , \"s\" : [ [1, 2], [] ], \"x\": {\"y\": [true]} } ";
    ikr_json j = cur(doc, 3, 0);
    ikr_json_it obj, arr, inner;
    ikr_buf key;
    uint64_t v, sum = 0;
    int w, members = 0, strokes = 0, ok = 1;
    ikr_buf_init(&key);
    ok &= ikr_json_peek(&j) == '{';
    ok &= ikr_json_object(&j, &obj) == IKR_OK && j.depth == 1;
    while (ok && ikr_json_member(&j, &obj, &key, 8) == IKR_OK && !obj.done) {
        members++;
        if (key.len == 1 && key.p[0] == 'w') {
            ok &= ikr_json_number(&j, &v, &w) == IKR_OK && w && v == 5;
        } else if (key.len == 1 && key.p[0] == 's') {
            ok &= ikr_json_array(&j, &arr) == IKR_OK;
            while (ok && ikr_json_element(&j, &arr) == IKR_OK && !arr.done) {
                strokes++;
                ok &= ikr_json_array(&j, &inner) == IKR_OK;
                while (ok && ikr_json_element(&j, &inner) == IKR_OK && !inner.done)
                    ok &= ikr_json_number(&j, &v, &w) == IKR_OK && (sum += v, 1);
            }
        } else {
            ok &= ikr_json_skip(&j) == IKR_OK;
        }
    }
    check("walked the object", ok && j.rc == IKR_OK && obj.done && members == 3 && strokes == 2 &&
                                   sum == 3 && obj.count == 3 && j.depth == 0);
    check("nothing follows", ikr_json_end(&j) == IKR_OK && ikr_json_peek(&j) == -1);

    /* A key longer than asked is refused; the fault then sticks. */
    j = cur("{\"abcdefghi\":1}", 3, 0);
    check("long key refused", ikr_json_object(&j, &obj) == IKR_OK &&
                                  ikr_json_member(&j, &obj, &key, 8) == CODE &&
                                  strcmp(j.why, "a string is too long") == 0 && j.at == 2);
    check("the first fault sticks", ikr_json_skip(&j) == CODE && ikr_json_peek(&j) == -1 &&
                                        ikr_json_end(&j) == CODE &&
                                        strcmp(j.why, "a string is too long") == 0);

    j = cur("[1]", 3, 0);
    check("an object was expected", ikr_json_object(&j, &obj) == CODE && obj.done &&
                                        strcmp(j.why, "an object was expected") == 0);
    j = cur("{}", 3, 0);
    check("an array was expected",
          ikr_json_array(&j, &arr) == CODE && strcmp(j.why, "an array was expected") == 0);
    j = cur("{}", 3, 0);
    check("an empty object", ikr_json_object(&j, &obj) == IKR_OK &&
                                 ikr_json_member(&j, &obj, &key, 8) == IKR_OK && obj.done &&
                                 obj.count == 0 && ikr_json_end(&j) == IKR_OK);
    check("asking again after the close", ikr_json_member(&j, &obj, &key, 8) == IKR_OK && obj.done);
    j = cur("{\"a\":1", 3, 0);
    check("an object cut short", ikr_json_object(&j, &obj) == IKR_OK &&
                                     ikr_json_member(&j, &obj, &key, 8) == IKR_OK &&
                                     ikr_json_number(&j, &v, &w) == IKR_OK &&
                                     ikr_json_member(&j, &obj, &key, 8) == CODE && j.at == 6);
    ikr_buf_free(&key);
}

int main(void)
{
    strings();
    numbers();
    literals();
    skipping();
    walking();
    return check_report();
}
