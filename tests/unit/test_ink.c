/*
 * test_ink.c: the ink (ink.h): its JSON reader and writer, its checks, and
 * its deterministic CBOR with the known answer of docs/formats.md §3's example.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/hash.h"
#include "ikrar/ink.h"
#include "ikrar/limits.h"

#define KAT_JSON "{\"w\": 400, \"h\": 200, \"s\": [[10, 20, 0, 30, 40, 16, 50, 45, 33]]}"
#define KAT_CBOR "a3616818c8617381890a1400181e1828101832182d18216177190190"
#define KAT_INKH "c991e261d946ff0ba93e3a10418e815d33744723ad6bc78a0c3111b734325c3e"

static int parse(const char *json)
{
    ikr_ink ink;
    int rc = ikr_ink_parse_json(&ink, json, strlen(json));
    ikr_ink_free(&ink);
    return rc;
}

/* Decodes hex CBOR; returns the code. */
static int decode_hex(const char *hex)
{
    size_t n = strlen(hex) / 2;
    uint8_t *p = malloc(n ? n : 1);
    if (!p || ikr_unhex(p, n, hex) != 0) {
        free(p);
        return -1;
    }
    ikr_ink ink;
    int rc = ikr_ink_decode(&ink, p, n);
    ikr_ink_free(&ink);
    free(p);
    return rc;
}

static int ink_equal(const ikr_ink *a, const ikr_ink *b)
{
    if (a->w != b->w || a->h != b->h || a->nstrokes != b->nstrokes || a->npoints != b->npoints)
        return 0;
    for (size_t i = 0; i < a->nstrokes; i++)
        if (a->stroke_end[i] != b->stroke_end[i])
            return 0;
    return a->npoints == 0 || memcmp(a->xyt, b->xyt, 3 * a->npoints * sizeof *a->xyt) == 0;
}

/* An ink with ns strokes of pps points each, times counting up. */
static char *make_json(size_t ns, size_t pps)
{
    ikr_buf b;
    ikr_buf_init(&b);
    ikr_buf_adds(&b, "{\"w\":100,\"h\":100,\"s\":[");
    size_t t = 0;
    for (size_t i = 0; i < ns; i++) {
        ikr_buf_adds(&b, i ? ",[" : "[");
        for (size_t k = 0; k < pps; k++) {
            char tmp[48];
            snprintf(tmp, sizeof tmp, "%s%zu,%zu,%zu", k ? "," : "", k % 101, (k * 7) % 101, t++);
            ikr_buf_adds(&b, tmp);
        }
        ikr_buf_adds(&b, "]");
    }
    ikr_buf_adds(&b, "]}");
    ikr_buf_addc(&b, 0);
    char *s = b.oom ? NULL : strdup((char *)b.p);
    ikr_buf_free(&b);
    return s;
}

static void test_known_answer(void)
{
    ikr_ink ink;
    check("kat: parse", ikr_ink_parse_json(&ink, KAT_JSON, strlen(KAT_JSON)) == IKR_OK);
    check("kat: fields", ink.w == 400 && ink.h == 200 && ink.nstrokes == 1 && ink.npoints == 3 &&
                             ink.stroke_end[0] == 3);
    check("kat: values", ink.xyt[0] == 10 && ink.xyt[1] == 20 && ink.xyt[2] == 0 &&
                             ink.xyt[6] == 50 && ink.xyt[7] == 45 && ink.xyt[8] == 33);

    ikr_buf cbor;
    ikr_buf_init(&cbor);
    check("kat: encode", ikr_ink_encode(&cbor, &ink) == IKR_OK);
    check_hex("kat: cbor bytes", cbor.p, cbor.len, KAT_CBOR);
    uint8_t h[IKR_HASH_LEN];
    ikr_sha256(h, cbor.p, cbor.len);
    check_hex("kat: inkh", h, sizeof h, KAT_INKH);

    ikr_ink back;
    check("kat: decode", ikr_ink_decode(&back, cbor.p, cbor.len) == IKR_OK);
    check("kat: decode equals parse", ink_equal(&ink, &back));

    ikr_buf json;
    ikr_buf_init(&json);
    const char *compact = "{\"w\":400,\"h\":200,\"s\":[[10,20,0,30,40,16,50,45,33]]}";
    check("kat: to_json", ikr_ink_to_json(&json, &back) == IKR_OK);
    check("kat: compact json",
          json.len == strlen(compact) && memcmp(json.p, compact, json.len) == 0);

    /* Encoding appends: what was in the buffer stays. */
    ikr_buf_reset(&cbor);
    ikr_buf_adds(&cbor, "xy");
    check("kat: encode appends", ikr_ink_encode(&cbor, &ink) == IKR_OK && cbor.len == 2 + 28 &&
                                     memcmp(cbor.p, "xy", 2) == 0);
    check_hex("kat: appended bytes", cbor.p + 2, cbor.len - 2, KAT_CBOR);

    ikr_buf_free(&json);
    ikr_buf_free(&cbor);
    ikr_ink_free(&back);
    ikr_ink_free(&ink);
    check("free re-initialises", ink.xyt == NULL && ink.stroke_end == NULL && ink.npoints == 0);
    ikr_ink_free(NULL);

    /* A second answer worked by hand: the smallest ink, and heads at the
     * boundaries of CBOR's integer sizes (23, 24, 255, 256, 65535, 65536). */
    check("small: cbor", decode_hex("a361680161738183000000617701") == IKR_OK);
    const char *sizes = "{\"w\":16384,\"h\":256,\"s\":[[23,24,255,256,255,65535,0,0,65536]]}";
    check("sizes: parse", ikr_ink_parse_json(&ink, sizes, strlen(sizes)) == IKR_OK);
    ikr_buf_init(&cbor);
    check("sizes: encode", ikr_ink_encode(&cbor, &ink) == IKR_OK);
    check_hex("sizes: cbor bytes", cbor.p, cbor.len,
              "a3616819010061738189171818"
              "18ff19010018ff19ffff00001a00010000"
              "6177194000");
    ikr_buf_free(&cbor);
    ikr_ink_free(&ink);
}

static void test_json_shape(void)
{
    check("keys in any order", parse("{\"s\":[[1,2,3]],\"h\":5,\"w\":5}") == IKR_OK);
    check("white space everywhere",
          parse(" \t\r\n{ \"w\" :\t5 ,\n\"h\"\r: 5 , \"s\" : [ [ 1 , 2 , 3 ] , [4,5,6] ] }\n ") ==
              IKR_OK);
    check("zero values", parse("{\"w\":1,\"h\":1,\"s\":[[0,0,0]]}") == IKR_OK);

    check("empty input", parse("") == IKR_E_INK_SYNTAX);
    check("only spaces", parse("   ") == IKR_E_INK_SYNTAX);
    check("empty object", parse("{}") == IKR_E_INK_SYNTAX);
    check("not an object", parse("[[1,2,3]]") == IKR_E_INK_SYNTAX);
    check("missing w", parse("{\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("missing s", parse("{\"w\":5,\"h\":5}") == IKR_E_INK_SYNTAX);
    check("duplicate key", parse("{\"w\":5,\"h\":5,\"w\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("duplicate s", parse("{\"w\":5,\"h\":5,\"s\":[],\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("unknown key", parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3]],\"x\":1}") == IKR_E_INK_SYNTAX);
    check("long key", parse("{\"width\":5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("upper-case key", parse("{\"W\":5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("escaped key", parse("{\"\\u0077\":5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("unquoted key", parse("{w:5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("missing colon", parse("{\"w\" 5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("trailing comma in object",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3]],}") == IKR_E_INK_SYNTAX);
    check("trailing comma in stroke",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3,]]}") == IKR_E_INK_SYNTAX);
    check("trailing comma in strokes",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3],]}") == IKR_E_INK_SYNTAX);
    check("missing comma", parse("{\"w\":5,\"h\":5,\"s\":[[1 2 3]]}") == IKR_E_INK_SYNTAX);
    check("leading comma", parse("{\"w\":5,\"h\":5,\"s\":[[,1,2,3]]}") == IKR_E_INK_SYNTAX);

    check("leading zero", parse("{\"w\":05,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("leading zero in stroke",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,02,3]]}") == IKR_E_INK_SYNTAX);
    check("negative", parse("{\"w\":5,\"h\":5,\"s\":[[1,-2,3]]}") == IKR_E_INK_SYNTAX);
    check("minus zero", parse("{\"w\":5,\"h\":5,\"s\":[[1,-0,3]]}") == IKR_E_INK_SYNTAX);
    check("plus sign", parse("{\"w\":+5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("fraction", parse("{\"w\":5,\"h\":5,\"s\":[[1,2.0,3]]}") == IKR_E_INK_SYNTAX);
    check("exponent", parse("{\"w\":5,\"h\":5,\"s\":[[1,2e0,3]]}") == IKR_E_INK_SYNTAX);
    check("exponent upper", parse("{\"w\":5E1,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("2^32", parse("{\"w\":5,\"h\":5,\"s\":[[1,2,4294967296]]}") == IKR_E_INK_SYNTAX);
    check("very long number",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,99999999999999999999999999999999]]}") ==
              IKR_E_INK_SYNTAX);
    check("2^32 - 1 is a number (then too late)",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,4294967295]]}") == IKR_E_INK_TIME);
    check("string value", parse("{\"w\":\"5\",\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("null value", parse("{\"w\":null,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("true in stroke", parse("{\"w\":5,\"h\":5,\"s\":[[1,true,3]]}") == IKR_E_INK_SYNTAX);
    check("s not an array", parse("{\"w\":5,\"h\":5,\"s\":1}") == IKR_E_INK_SYNTAX);
    check("flat strokes", parse("{\"w\":5,\"h\":5,\"s\":[1,2,3]}") == IKR_E_INK_SYNTAX);
    check("nested too deep", parse("{\"w\":5,\"h\":5,\"s\":[[[1,2,3]]]}") == IKR_E_INK_SYNTAX);
    check("object in stroke", parse("{\"w\":5,\"h\":5,\"s\":[[{}]]}") == IKR_E_INK_SYNTAX);
    check("stroke of 4 values", parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3,4]]}") == IKR_E_INK_SYNTAX);
    check("stroke of 2 values", parse("{\"w\":5,\"h\":5,\"s\":[[1,2]]}") == IKR_E_INK_SYNTAX);
    check("second stroke of 5",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3],[1,2,3,4,5]]}") == IKR_E_INK_SYNTAX);
    check("trailing garbage", parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3]]}x") == IKR_E_INK_SYNTAX);
    check("two objects", parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3]]}{}") == IKR_E_INK_SYNTAX);
    check("trailing white space", parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3]]} \n\t\r") == IKR_OK);
    check("form feed is not JSON white space",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3]]}\f") == IKR_E_INK_SYNTAX);
    check("no-break space is not JSON white space",
          parse("{\"w\":\xC2\xA0"
                "5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("byte-order mark refused",
          parse("\xEF\xBB\xBF{\"w\":5,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);
    check("comment refused", parse("{\"w\":5,/**/\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_SYNTAX);

    /* NUL bytes are bytes like any other: not white space. */
    const char nul[] = "{\"w\":5,\"h\":5,\"s\":[[1,2,3]]}\0";
    ikr_ink ink;
    check("NUL after the object",
          ikr_ink_parse_json(&ink, nul, sizeof nul - 1) == IKR_E_INK_SYNTAX);
    check("failure leaves ink empty", ink.xyt == NULL && ink.stroke_end == NULL &&
                                          ink.nstrokes == 0 && ink.npoints == 0 && ink.w == 0);
    check("n shorter than the text", ikr_ink_parse_json(&ink, nul, 10) == IKR_E_INK_SYNTAX);
    check("NULL with n 0", ikr_ink_parse_json(&ink, NULL, 0) == IKR_E_INK_SYNTAX);

    /* Every proper prefix of a valid ink is refused. */
    const char *full = "{\"w\":400,\"h\":200,\"s\":[[10,20,0,30,40,16],[50,45,33]]}";
    int prefixes_refused = 1;
    for (size_t k = 0; k < strlen(full); k++) {
        if (ikr_ink_parse_json(&ink, full, k) != IKR_E_INK_SYNTAX)
            prefixes_refused = 0;
        ikr_ink_free(&ink);
    }
    check("every prefix refused", prefixes_refused);
    check("the whole accepted", ikr_ink_parse_json(&ink, full, strlen(full)) == IKR_OK &&
                                    ink.nstrokes == 2 && ink.npoints == 3 &&
                                    ink.stroke_end[0] == 2 && ink.stroke_end[1] == 3);
    ikr_ink_free(&ink);

    /* The size limit, met with white space. */
    const char *body = "{\"w\":5,\"h\":5,\"s\":[[1,2,3]]}";
    size_t blen = strlen(body);
    char *big = malloc(IKR_INK_MAX_JSON + 1);
    if (big) {
        memset(big, ' ', IKR_INK_MAX_JSON + 1);
        memcpy(big, body, blen);
        check("exactly the size limit", ikr_ink_parse_json(&ink, big, IKR_INK_MAX_JSON) == IKR_OK);
        ikr_ink_free(&ink);
        check("one byte over the limit",
              ikr_ink_parse_json(&ink, big, IKR_INK_MAX_JSON + 1) == IKR_E_INK_SYNTAX);
        free(big);
    }
}

static void test_checks(void)
{
    check("canvas w 0", parse("{\"w\":0,\"h\":5,\"s\":[[0,2,3]]}") == IKR_E_INK_CANVAS);
    check("canvas h 0", parse("{\"w\":5,\"h\":0,\"s\":[[1,0,3]]}") == IKR_E_INK_CANVAS);
    check("canvas at the limit", parse("{\"w\":16384,\"h\":16384,\"s\":[[1,2,3]]}") == IKR_OK);
    check("canvas over the limit",
          parse("{\"w\":16385,\"h\":5,\"s\":[[1,2,3]]}") == IKR_E_INK_CANVAS);
    check("canvas before empty", parse("{\"w\":0,\"h\":5,\"s\":[]}") == IKR_E_INK_CANVAS);
    check("no strokes: empty", parse("{\"w\":5,\"h\":5,\"s\":[]}") == IKR_E_INK_EMPTY);
    check("one empty stroke: empty", parse("{\"w\":5,\"h\":5,\"s\":[[]]}") == IKR_E_INK_EMPTY);
    check("white space in empty stroke",
          parse("{\"w\":5,\"h\":5,\"s\":[ [ ] ]}") == IKR_E_INK_EMPTY);
    check("an empty stroke among others",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3],[]]}") == IKR_E_INK_STROKES);
    check("empty stroke first", parse("{\"w\":5,\"h\":5,\"s\":[[],[1,2,3]]}") == IKR_E_INK_STROKES);
    check("x on the edge", parse("{\"w\":5,\"h\":5,\"s\":[[5,5,3]]}") == IKR_OK);
    check("x off the canvas", parse("{\"w\":5,\"h\":5,\"s\":[[6,5,3]]}") == IKR_E_INK_RANGE);
    check("y off the canvas",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,2,3],[5,6,7]]}") == IKR_E_INK_RANGE);
    check("equal times", parse("{\"w\":5,\"h\":5,\"s\":[[1,1,3,2,2,3],[3,3,3]]}") == IKR_OK);
    check("time back in a stroke",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,1,3,2,2,2]]}") == IKR_E_INK_TIME);
    check("time back between strokes",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,1,3],[2,2,2]]}") == IKR_E_INK_TIME);
    check("time at the limit", parse("{\"w\":5,\"h\":5,\"s\":[[1,1,3600000]]}") == IKR_OK);
    check("time over the limit",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,1,3600001]]}") == IKR_E_INK_TIME);
    check("range before time",
          parse("{\"w\":5,\"h\":5,\"s\":[[1,1,9,2,2,1,9,9,9]]}") == IKR_E_INK_RANGE);

    /* Limits: exactly at them, and one past. */
    char *s = make_json(IKR_INK_MAX_STROKES, 1);
    check("64 strokes", s && parse(s) == IKR_OK);
    free(s);
    s = make_json(IKR_INK_MAX_STROKES + 1, 1);
    check("65 strokes", s && parse(s) == IKR_E_INK_STROKES);
    free(s);
    s = make_json(IKR_INK_MAX_STROKES, IKR_INK_MAX_POINTS / IKR_INK_MAX_STROKES + 1);
    check("20032 points in 64 strokes", s && parse(s) == IKR_E_INK_POINTS);
    free(s);
    s = make_json(1, IKR_INK_MAX_POINTS);
    check("20000 points", s && parse(s) == IKR_OK);
    free(s);
    s = make_json(1, IKR_INK_MAX_POINTS + 1);
    check("20001 points", s && parse(s) == IKR_E_INK_POINTS);
    free(s);
    s = make_json(2, IKR_INK_MAX_POINTS / 2 + 1);
    check("20002 points in two strokes", s && parse(s) == IKR_E_INK_POINTS);
    free(s);

    /* Inks built by hand, as the kiosk's canvas does. */
    uint32_t xyt[] = {1, 1, 0, 2, 2, 5, 3, 3, 9};
    size_t ends[] = {1, 3};
    ikr_ink ink = {.w = 10, .h = 10, .nstrokes = 2, .npoints = 3, .xyt = xyt, .stroke_end = ends};
    check("hand-built: valid", ikr_ink_check(&ink) == IKR_OK);
    ends[0] = 0;
    check("hand-built: empty first stroke", ikr_ink_check(&ink) == IKR_E_INK_STROKES);
    ends[0] = 3;
    check("hand-built: second stroke empty", ikr_ink_check(&ink) == IKR_E_INK_STROKES);
    ends[0] = 1;
    ends[1] = 2;
    check("hand-built: strokes miss a point", ikr_ink_check(&ink) == IKR_E_INTERNAL);
    ends[1] = 3;
    ink.stroke_end = NULL;
    check("hand-built: no stroke_end", ikr_ink_check(&ink) == IKR_E_INTERNAL);
    check("NULL ink", ikr_ink_check(NULL) == IKR_E_INTERNAL);

    /* The writers refuse what the readers would refuse. */
    ink.stroke_end = ends;
    xyt[0] = 11;
    ikr_buf b;
    ikr_buf_init(&b);
    ikr_buf_adds(&b, "keep");
    check("encode refuses a bad ink", ikr_ink_encode(&b, &ink) == IKR_E_INK_RANGE && b.len == 4);
    check("to_json refuses a bad ink", ikr_ink_to_json(&b, &ink) == IKR_E_INK_RANGE && b.len == 4);
    ikr_buf_free(&b);
}

/* Big inks go through every form and come back the same. */
static void test_round_trip(void)
{
    const size_t shapes[][2] = {{1, 1}, {3, 7}, {IKR_INK_MAX_STROKES, 312}, {1, 20000}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char *s = make_json(shapes[i][0], shapes[i][1]);
        ikr_ink a, b2, c;
        ikr_buf cbor, json;
        ikr_buf_init(&cbor);
        ikr_buf_init(&json);
        int ok = s && ikr_ink_parse_json(&a, s, strlen(s)) == IKR_OK &&
                 ikr_ink_encode(&cbor, &a) == IKR_OK &&
                 ikr_ink_decode(&b2, cbor.p, cbor.len) == IKR_OK && ink_equal(&a, &b2) &&
                 ikr_ink_to_json(&json, &b2) == IKR_OK && json.len == strlen(s) &&
                 memcmp(json.p, s, json.len) == 0 &&
                 ikr_ink_parse_json(&c, (const char *)json.p, json.len) == IKR_OK &&
                 ink_equal(&a, &c);
        check("round trip", ok);
        ikr_ink_free(&a);
        ikr_ink_free(&b2);
        ikr_ink_free(&c);
        ikr_buf_free(&cbor);
        ikr_buf_free(&json);
        free(s);
    }
}

static void test_decode(void)
{
    check("decode kat", decode_hex(KAT_CBOR) == IKR_OK);
    check("trailing byte", decode_hex(KAT_CBOR "00") == IKR_E_INK_SYNTAX);
    check("empty", decode_hex("") == IKR_E_INK_SYNTAX);

    uint8_t kat[28];
    ikr_unhex(kat, sizeof kat, KAT_CBOR);
    int prefixes_refused = 1;
    for (size_t k = 0; k < sizeof kat; k++) {
        ikr_ink ink;
        if (ikr_ink_decode(&ink, kat, k) != IKR_E_INK_SYNTAX)
            prefixes_refused = 0;
        ikr_ink_free(&ink);
    }
    check("every prefix refused", prefixes_refused);

    /* Not the deterministic encoding: longer heads than needed, keys out of
     * order, indefinite lengths. */
    check("w in 5 bytes",
          decode_hex("a3616818c8617381890a1400181e1828101832182d182161771a00000190") ==
              IKR_E_INK_SYNTAX);
    check("h in 3 bytes",
          decode_hex("a361681900c8617381890a1400181e1828101832182d18216177190190") ==
              IKR_E_INK_SYNTAX);
    check("x in 2 bytes", decode_hex("a3616818c86173818918"
                                     "0a1400181e1828101832182d18216177190190") == IKR_E_INK_SYNTAX);
    check("strokes count in 2 bytes",
          decode_hex("a3616818c861739801890a1400181e1828101832182d18216177190190") ==
              IKR_E_INK_SYNTAX);
    check("key in 2-byte head",
          decode_hex("a3780168"
                     "18c8617381890a1400181e1828101832182d18216177190190") == IKR_E_INK_SYNTAX);
    check("map count in 2 bytes",
          decode_hex("b803616818c8617381890a1400181e1828101832182d18216177190190") ==
              IKR_E_INK_SYNTAX);
    check("keys out of order",
          decode_hex("a36177190190616818c8617381890a1400181e1828101832182d1821") ==
              IKR_E_INK_SYNTAX);
    check("indefinite strokes",
          decode_hex("a3616818c861739f890a1400181e1828101832182d1821ff6177190190") ==
              IKR_E_INK_SYNTAX);
    check("indefinite map",
          decode_hex("bf616818c8617381890a1400181e1828101832182d18216177190190ff") ==
              IKR_E_INK_SYNTAX);

    /* Wrong shapes. */
    check("not a map", decode_hex("83010203") == IKR_E_INK_SYNTAX);
    check("two keys",
          decode_hex("a2616818c8617381890a1400181e1828101832182d1821") == IKR_E_INK_SYNTAX);
    check("four keys",
          decode_hex("a4616818c8617381890a1400181e1828101832182d18216177190190617800") ==
              IKR_E_INK_SYNTAX);
    check("unknown key in place of w",
          decode_hex("a3616818c8617381890a1400181e1828101832182d18216178190190") ==
              IKR_E_INK_SYNTAX);
    check("byte-string key",
          decode_hex("a3416818c8617381890a1400181e1828101832182d18216177190190") ==
              IKR_E_INK_SYNTAX);
    check("integer keys", decode_hex("a30118c8028183000000030a") == IKR_E_INK_SYNTAX);
    check("negative h", decode_hex("a3616838c7617381890a1400181e1828101832182d18216177190190") ==
                            IKR_E_INK_SYNTAX);
    check("negative value", decode_hex("a3616818c86173818929"
                                       "1400181e1828101832182d18216177190190") == IKR_E_INK_SYNTAX);
    check("tagged value", decode_hex("a3616818c8617381"
                                     "89c10a"
                                     "1400181e1828101832182d18216177190190") == IKR_E_INK_SYNTAX);
    check("float w", decode_hex("a3616818c8617381890a1400181e1828101832182d18216177f95e40") ==
                         IKR_E_INK_SYNTAX);
    check("w above 2^32",
          decode_hex("a3616818c8617381890a1400181e1828101832182d182161771b0000000100000000") ==
              IKR_E_INK_SYNTAX);
    check("stroke of 4", decode_hex("a3616818c86173818400000000617701") == IKR_E_INK_SYNTAX);
    check("stroke not an array", decode_hex("a3616801617381000000617701") == IKR_E_INK_SYNTAX);
    check("strokes not an array", decode_hex("a3616801617300617701") == IKR_E_INK_SYNTAX);
    check("strokes a map", decode_hex("a36168016173a0617701") == IKR_E_INK_SYNTAX);
    check("nested stroke", decode_hex("a36168016173818183000000617701") == IKR_E_INK_SYNTAX);
    check("huge claimed stroke",
          decode_hex("a36168016173819bffffffffffffffff617701") == IKR_E_INK_SYNTAX);
    check("stroke longer than the bytes",
          decode_hex("a36168016173819a00010002000000617701") == IKR_E_INK_SYNTAX);
    check("65 strokes claimed", decode_hex("a36168016173984183000000617701") == IKR_E_INK_STROKES);

    /* A stroke of 20001 points, with the bytes to back its claim. */
    {
        static const uint8_t head[] = {0xa3, 0x61, 0x68, 0x01, 0x61, 0x73, 0x81, 0x99, 0xea, 0x63};
        size_t nv = 3 * (IKR_INK_MAX_POINTS + 1), n = sizeof head + nv + 3;
        uint8_t *p = calloc(1, n);
        if (p) {
            memcpy(p, head, sizeof head);
            memcpy(p + sizeof head + nv, "\x61\x77\x01", 3);
            ikr_ink ink;
            check("20001 points in CBOR", ikr_ink_decode(&ink, p, n) == IKR_E_INK_POINTS);
            ikr_ink_free(&ink);
            free(p);
        }
    }

    /* Well-formed, canonical, but not a valid ink. */
    check("canonical but off the canvas",
          decode_hex("a361680161738183000200617701") == IKR_E_INK_RANGE);
    check("canonical, no strokes", decode_hex("a3616801617380617701") == IKR_E_INK_EMPTY);
    check("canonical, an empty stroke",
          decode_hex("a36168016173828300000080617701") == IKR_E_INK_STROKES);
    check("canonical, w 0", decode_hex("a361680161738183000000617700") == IKR_E_INK_CANVAS);

    ikr_ink ink;
    check("NULL with n 0", ikr_ink_decode(&ink, NULL, 0) == IKR_E_INK_SYNTAX);
    check("failure leaves ink empty", ink.xyt == NULL && ink.stroke_end == NULL &&
                                          ink.npoints == 0 && ink.w == 0 && ink.h == 0);
}

int main(void)
{
    test_known_answer();
    test_json_shape();
    test_checks();
    test_round_trip();
    test_decode();
    return check_report();
}
