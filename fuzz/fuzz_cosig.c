/*
 * fuzz_cosig: a cosigned checkpoint comes back from the hub, and a witness
 * key from a kiosk's hub.conf.  The input is split at its first NUL byte:
 * the part before is tried as a witness verifier key (0x04), the rest (or
 * the whole, without a NUL) as a cosigned note, opened and also cosigned
 * again with a fixed key, which must then open at the time it was given.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/key.h"
#include "ikrar/note.h"

/* The witness of docs/formats.md §13: the key from the seed 0x20, 0x21, ... 0x3f. */
static const char example[] =
    "ikrar-hub/pilkada-2024+ad3b98cf+BCmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const uint8_t *nul = memchr(data, 0, size);
    size_t first = nul ? (size_t)(nul - data) : size;
    ikr_vkey wv;
    uint64_t t = 0;

    if (ikr_witness_vkey_parse(&wv, text, first) == 0) {
        ikr_buf again;
        ikr_buf_init(&again);
        /* One key, one line: what parsed formats back to the very bytes. */
        if (ikr_witness_vkey_format(&again, wv.name, wv.pub) != 0 || again.len != first ||
            memcmp(again.p, text, first) != 0)
            abort();
        ikr_buf_free(&again);
    } else if (ikr_witness_vkey_parse(&wv, example, strlen(example)) != 0) {
        abort();
    }
    if (nul) {
        text += first + 1;
        size -= first + 1;
    }
    if (ikr_cosig_open(text, size, &wv, &t) == 0 && t > INT64_MAX)
        abort();

    static ikr_key *k;
    static ikr_vkey kv;
    if (!k) {
        uint8_t seed[32];
        for (int i = 0; i < 32; i++)
            seed[i] = (uint8_t)(0x20 + i);
        ikr_buf line;
        ikr_buf_init(&line);
        if (ikr_key_from_seed(&k, seed) != 0 ||
            ikr_witness_vkey_format(&line, "fuzz/witness", ikr_key_public(k)) != 0 ||
            ikr_witness_vkey_parse(&kv, (const char *)line.p, line.len) != 0)
            abort();
        ikr_buf_free(&line);
    }
    ikr_buf out;
    ikr_buf_init(&out);
    if (ikr_cosig_sign(&out, text, size, "fuzz/witness", k, 1733450400) == 0) {
        /* The note kept whole, one line after it, within the bound, and that line opens. */
        if (out.len <= size || out.len > IKR_MAX_NOTE || memcmp(out.p, text, size) != 0 ||
            memchr(out.p + size, '\n', out.len - size) != out.p + out.len - 1 ||
            ikr_cosig_open((const char *)out.p, out.len, &kv, &t) != 0 || t != 1733450400)
            abort();
    } else if (out.len != 0) {
        abort(); /* a refusal writes nothing */
    }
    ikr_buf_free(&out);
    return 0;
}
