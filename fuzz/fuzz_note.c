/*
 * fuzz_note: verifier-key lines, signed notes and checkpoint bodies come
 * from files an auditor is handed.  The input is split at its first NUL
 * byte: the part before is tried as a verifier key, the whole as a note
 * and as a checkpoint body, the part after as a checkpoint opened strictly.
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
    /*
     * A checkpoint opened strictly is exactly ikrar's: its body rebuilt, then one signature
     * line.  After a key and a NUL, the rest is the note, so signed seeds reach this.
     */
    const char *why = NULL;
    if (nul) {
        text += first + 1;
        size -= first + 1;
    }
    if (ikr_checkpoint_open(text, size, &vk, origin, &tree_size, root, &why) == 0) {
        ikr_buf body;
        ikr_buf_init(&body);
        size_t sig_line = strlen("\xe2\x80\x94 ") + strlen(vk.name) + 1 + 92 + 1;
        if (ikr_checkpoint_body(&body, origin, tree_size, root) != 0 ||
            body.len + 1 + sig_line != size || memcmp(body.p, text, body.len) != 0 ||
            text[body.len] != '\n')
            abort();
        ikr_buf_free(&body);
    } else if (!why) {
        abort(); /* a refusal must say why */
    }
    return 0;
}
