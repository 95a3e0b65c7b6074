/*
 * fuzz_note: verifier-key lines, signed notes and checkpoint bodies come
 * from files an auditor is handed.  The input is split at its first NUL
 * byte: the part before is tried as a verifier key, the whole as a note
 * and as a checkpoint body.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const uint8_t *nul = memchr(data, 0, size);
    size_t first = nul ? (size_t)(nul - data) : size;
    ikr_vkey vk;
    char origin[IKR_MAX_ORIGIN + 1];
    uint64_t tree_size;
    uint8_t root[IKR_HASH_LEN];
    size_t tl;

    int have_key = ikr_vkey_parse(&vk, text, first) == 0;
    if (have_key && strlen(vk.name) == 0)
        abort();
    if (!have_key) {
        /* The published example key, so the signature path runs too. */
        const char *k = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
        if (ikr_vkey_parse(&vk, k, strlen(k)) != 0)
            abort();
    }
    if (ikr_note_open(text, size, &vk, 1, &tl) == 0 && tl > size)
        abort();
    if (ikr_checkpoint_parse(text, size, origin, &tree_size, root) == 0 &&
        !ikr_note_name_ok(origin))
        abort();
    return 0;
}
