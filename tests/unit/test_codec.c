/*
 * test_codec: base64, Base45 (RFC 9285's examples) and CBOR writing and
 * reading, including determinism of maps and refusal of malformed input.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ikrar/base45.h"
#include "ikrar/base64.h"
#include "ikrar/cbor.h"
#include "ikrar/hash.h"

static int b45_enc_is(const char *in, const char *want)
{
    char out[64];
    ikr_base45_encode(out, (const uint8_t *)in, strlen(in));
    return strcmp(out, want) == 0;
}

static int b45_dec_is(const char *in, const char *want)
{
    uint8_t out[64];
    long n = ikr_base45_decode(out, sizeof out, in, strlen(in));
    return n == (long)strlen(want) && memcmp(out, want, (size_t)n) == 0;
}

static void base45(void)
{
    check("RFC 9285: AB -> BB8", b45_enc_is("AB", "BB8"));
    check("RFC 9285: Hello!! -> %69 VD92EX0", b45_enc_is("Hello!!", "%69 VD92EX0"));
    check("RFC 9285: base-45 -> UJCLQE7W581", b45_enc_is("base-45", "UJCLQE7W581"));
    check("RFC 9285: decode BB8", b45_dec_is("BB8", "AB"));
    check("RFC 9285: decode %69 VD92EX0", b45_dec_is("%69 VD92EX0", "Hello!!"));
    check("RFC 9285: decode QED8WEX0 -> ietf!", b45_dec_is("QED8WEX0", "ietf!"));
    uint8_t out[16];
    check("RFC 9285: GGW is invalid", ikr_base45_decode(out, sizeof out, "GGW", 3) < 0);
    check("length 1 mod 3 refused", ikr_base45_decode(out, sizeof out, "BB8B", 4) < 0);
    check("lower case refused", ikr_base45_decode(out, sizeof out, "bb8", 3) < 0);
    check("two-char group above 255 refused", ikr_base45_decode(out, sizeof out, "::", 2) < 0);
    check("output bound respected", ikr_base45_decode(out, 1, "BB8", 3) < 0);
    check("empty decodes to nothing", ikr_base45_decode(out, sizeof out, "", 0) == 0);
    /* every byte pair round-trips */
    int all = 1;
    for (unsigned v = 0; v < 65536; v += 7) {
        uint8_t in[2] = {(uint8_t)(v >> 8), (uint8_t)v}, back[2];
        char txt[4];
        ikr_base45_encode(txt, in, 2);
        if (ikr_base45_decode(back, 2, txt, 3) != 2 || memcmp(in, back, 2) != 0)
            all = 0;
    }
    check("Base45 round-trips byte pairs", all);
}

static void base64(void)
{
    char out[64];
    uint8_t back[64];
    ikr_base64_encode(out, (const uint8_t *)"foobar", 6);
    check("base64 foobar", strcmp(out, "Zm9vYmFy") == 0);
    ikr_base64_encode(out, (const uint8_t *)"fo", 2);
    check("base64 fo", strcmp(out, "Zm8=") == 0);
    ikr_base64_encode(out, (const uint8_t *)"f", 1);
    check("base64 f", strcmp(out, "Zg==") == 0);
    check("decode Zm8=",
          ikr_base64_decode(back, sizeof back, "Zm8=", 4) == 2 && memcmp(back, "fo", 2) == 0);
    check("non-canonical pad bits refused", ikr_base64_decode(back, sizeof back, "Zm9=", 4) < 0);
    check("missing padding refused", ikr_base64_decode(back, sizeof back, "Zm8", 3) < 0);
    check("bad character refused", ikr_base64_decode(back, sizeof back, "Zm-v", 4) < 0);
    check("pad in the middle refused", ikr_base64_decode(back, sizeof back, "Zg==Zg==", 8) < 0);
    check("output bound respected", ikr_base64_decode(back, 5, "Zm9vYmFy", 8) < 0);
}

static void cbor(void)
{
    ikr_buf b;
    ikr_buf_init(&b);
    ikr_cbor_uint(&b, 0);
    ikr_cbor_uint(&b, 23);
    ikr_cbor_uint(&b, 24);
    ikr_cbor_uint(&b, 255);
    ikr_cbor_uint(&b, 256);
    ikr_cbor_uint(&b, 65536);
    ikr_cbor_uint(&b, 4294967296ull);
    ikr_cbor_int(&b, -8);
    ikr_cbor_int(&b, -1000);
    check_hex("shortest heads (RFC 8949 appendix A values)", b.p, b.len,
              "0017181818ff1901001a000100001b0000000100000000273903e7");
    ikr_buf_reset(&b);

    /* Keys added in any order come out sorted by encoded bytes. */
    const char *keys[] = {"status", "t", "name", "ev", "v", "seq", "nip"};
    ikr_cbor_map m;
    ikr_cbor_map_init(&m);
    for (int i = 0; i < 7; i++)
        ikr_cbor_uint(ikr_cbor_map_key_text(&m, keys[i]), (uint64_t)i);
    check("map builds", ikr_cbor_map_end(&m, &b) == 0);
    check_hex("map keys sorted length-first then bytewise", b.p, b.len,
              "a761740161760462657603636e69700663736571056"
              "46e616d650266737461747573"
              "00");
    ikr_buf_reset(&b);

    ikr_cbor_map_init(&m);
    ikr_cbor_uint(ikr_cbor_map_key_text(&m, "a"), 1);
    ikr_cbor_uint(ikr_cbor_map_key_text(&m, "a"), 2);
    check("duplicate map key refused", ikr_cbor_map_end(&m, &b) != 0);
    ikr_buf_free(&b);

    /* Reading untrusted bytes. */
    ikr_cbor_rd r;
    uint64_t v;
    const uint8_t *p;
    size_t n;
    static const uint8_t truncated[] = {0x5a, 0xff, 0xff, 0xff, 0xff, 0x00};
    ikr_cbor_rd_init(&r, truncated, sizeof truncated);
    check("byte string longer than input refused",
          ikr_cbor_read_bstr(&r, &p, &n) != 0 && r.off == 0);
    static const uint8_t indefinite[] = {0x5f, 0x41, 0x00, 0xff};
    ikr_cbor_rd_init(&r, indefinite, sizeof indefinite);
    check("indefinite length refused", ikr_cbor_skip(&r) != 0);
    static const uint8_t huge_array[] = {0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    ikr_cbor_rd_init(&r, huge_array, sizeof huge_array);
    check("array count beyond input refused", ikr_cbor_skip(&r) != 0);
    uint8_t deep[64];
    memset(deep, 0x81, sizeof deep);
    deep[63] = 0x00;
    ikr_cbor_rd_init(&r, deep, sizeof deep);
    check("nesting beyond the bound refused", ikr_cbor_skip(&r) != 0);
    static const uint8_t ok[] = {0xa1, 0x61, 0x61, 0x82, 0x01, 0x40};
    ikr_cbor_rd_init(&r, ok, sizeof ok);
    check("well-formed item skipped whole", ikr_cbor_skip(&r) == 0 && ikr_cbor_done(&r));
    ikr_cbor_rd_init(&r, ok, sizeof ok);
    check("type mismatch refused", ikr_cbor_read_uint(&r, &v) != 0);
}

int main(void)
{
    base45();
    base64();
    cbor();
    return check_report();
}
