/*
 * note.c: C2SP signed notes and tlog checkpoints.
 *
 * Only Ed25519 keys (type byte 0x01) exist here.  A note's text is every
 * byte up to and including the newline before the blank line that opens the
 * signatures; each signature line is "— <name> <base64>" where the em dash
 * is U+2014 and the base64 holds the 4-byte key hash and the 64-byte
 * signature.  Unknown signature lines are skipped, as the spec asks; a note
 * opens when any one of them is a good signature by a trusted key.
 *
 * A checkpoint is stricter (ikr_checkpoint_open): it must be exactly what
 * ikrar writes, three body lines and one signature, so that one signed tree
 * head has one text and no line can ride along under the signature unread.
 */
#include "ikrar/note.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ikrar/base64.h"
#include "ikrar/err.h"

#define EM_DASH "\xe2\x80\x94"
/* A cosignature's base64: key hash, big-endian time, Ed25519 signature. */
#define COSIG_BLOB (4 + 8 + IKR_SIG_LEN)
#define COSIG_HEADER "cosignature/v1\n"
#define COSIG_MAX_TIME UINT64_C(0x7fffffffffffffff)

int ikr_note_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > IKR_MAX_ORIGIN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c >= 0x7f || c == '+')
            return 0;
    }
    return 1;
}

/* Signature types: a note's Ed25519 key, and a witness's Ed25519 cosigning key. */
#define TYPE_NOTE 0x01
#define TYPE_COSIG 0x04

static void keyhash_of(uint8_t out[4], uint8_t type, const char *name,
                       const uint8_t pub[IKR_PUB_LEN])
{
    uint8_t h[IKR_HASH_LEN], tail[2 + IKR_PUB_LEN];
    tail[0] = '\n';
    tail[1] = type;
    memcpy(tail + 2, pub, IKR_PUB_LEN);
    ikr_sha256_2(h, name, strlen(name), tail, sizeof tail);
    memcpy(out, h, 4);
}

void ikr_note_keyhash(uint8_t out[4], const char *name, const uint8_t pub[IKR_PUB_LEN])
{
    keyhash_of(out, TYPE_NOTE, name, pub);
}

static int vkey_format(ikr_buf *out, uint8_t type, const char *name, const uint8_t pub[IKR_PUB_LEN])
{
    uint8_t hash[4], raw[1 + IKR_PUB_LEN];
    char hex[9], b64[IKR_BASE64_LEN(1 + IKR_PUB_LEN) + 1];
    if (!ikr_note_name_ok(name))
        return IKR_E_KIOSK_NAME;
    keyhash_of(hash, type, name, pub);
    ikr_hex(hex, hash, 4);
    raw[0] = type;
    memcpy(raw + 1, pub, IKR_PUB_LEN);
    ikr_base64_encode(b64, raw, sizeof raw);
    ikr_buf_adds(out, name);
    ikr_buf_addc(out, '+');
    ikr_buf_adds(out, hex);
    ikr_buf_addc(out, '+');
    return ikr_buf_adds(out, b64);
}

int ikr_vkey_format(ikr_buf *out, const char *name, const uint8_t pub[IKR_PUB_LEN])
{
    return vkey_format(out, TYPE_NOTE, name, pub);
}

int ikr_witness_vkey_format(ikr_buf *out, const char *name, const uint8_t pub[IKR_PUB_LEN])
{
    return vkey_format(out, TYPE_COSIG, name, pub);
}

static int vkey_parse(ikr_vkey *out, uint8_t type, const char *line, size_t n)
{
    memset(out, 0, sizeof *out);
    if (n > IKR_MAX_VKEY_LINE)
        return -1;
    /* name+hash+key: split at the first two '+' only; the base64 may hold more. */
    const char *p1 = memchr(line, '+', n);
    if (!p1)
        return -1;
    const char *p2 = memchr(p1 + 1, '+', n - (size_t)(p1 + 1 - line));
    if (!p2)
        return -1;
    size_t name_len = (size_t)(p1 - line);
    if (name_len == 0 || name_len > IKR_MAX_ORIGIN || p2 - p1 - 1 != 8)
        return -1;
    memcpy(out->name, line, name_len);
    out->name[name_len] = '\0';
    if (!ikr_note_name_ok(out->name))
        return -1;
    char hex[9];
    memcpy(hex, p1 + 1, 8);
    hex[8] = '\0';
    for (int i = 0; i < 8; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return -1;
    if (ikr_unhex(out->hash, 4, hex) != 0)
        return -1;
    uint8_t raw[1 + IKR_PUB_LEN + 2];
    const char *b64 = p2 + 1;
    long got = ikr_base64_decode(raw, sizeof raw, b64, n - (size_t)(b64 - line));
    if (got != 1 + IKR_PUB_LEN || raw[0] != type)
        return -1;
    memcpy(out->pub, raw + 1, IKR_PUB_LEN);
    uint8_t want[4];
    keyhash_of(want, type, out->name, out->pub);
    if (memcmp(want, out->hash, 4) != 0)
        return -1;
    /* One key, one text: a NUL inside the name (which the key hash would not cover) or base64
     * with stray bits would otherwise give many lines for the same key.  Only the line ikrar
     * itself writes is accepted. */
    ikr_buf again = {0};
    int same = vkey_format(&again, type, out->name, out->pub) == 0 && again.len == n &&
               memcmp(again.p, line, n) == 0;
    ikr_buf_free(&again);
    if (!same)
        return -1;
    ikr_key_kid_of(out->kid, out->pub);
    return 0;
}

int ikr_vkey_parse(ikr_vkey *out, const char *line, size_t n)
{
    return vkey_parse(out, TYPE_NOTE, line, n);
}

int ikr_witness_vkey_parse(ikr_vkey *out, const char *line, size_t n)
{
    return vkey_parse(out, TYPE_COSIG, line, n);
}

int ikr_note_sign(ikr_buf *out, const char *text, size_t n, const char *name, const ikr_key *k)
{
    uint8_t blob[4 + IKR_SIG_LEN];
    char b64[IKR_BASE64_LEN(sizeof blob) + 1];
    if (n == 0 || text[n - 1] != '\n' || !ikr_note_name_ok(name))
        return IKR_E_INTERNAL;
    ikr_note_keyhash(blob, name, ikr_key_public(k));
    int rc = ikr_key_sign(k, blob + 4, (const uint8_t *)text, n);
    if (rc)
        return rc;
    ikr_base64_encode(b64, blob, sizeof blob);
    ikr_buf_add(out, text, n);
    ikr_buf_adds(out, "\n" EM_DASH " ");
    ikr_buf_adds(out, name);
    ikr_buf_addc(out, ' ');
    ikr_buf_adds(out, b64);
    return ikr_buf_addc(out, '\n');
}

int ikr_note_open(const char *note, size_t n, const ikr_vkey *keys, size_t nkeys, size_t *text_len)
{
    if (n == 0 || n > IKR_MAX_NOTE || note[n - 1] != '\n')
        return -1;
    /* The text ends at the last "\n\n" before the signature block. */
    size_t split = 0;
    int found = 0;
    for (size_t i = n - 1; i > 0; i--)
        if (note[i] == '\n' && note[i - 1] == '\n') {
            split = i; /* text is note[0..split) */
            found = 1;
            break;
        }
    if (!found)
        return -1;
    for (size_t i = 0; i < split; i++)
        if (note[i] == '\0')
            return -1;
    const char *line = note + split + 1;
    const char *end = note + n;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = (size_t)(nl - line);
        const char *prefix = EM_DASH " ";
        size_t plen = strlen(prefix);
        if (len < plen || memcmp(line, prefix, plen) != 0)
            return -1; /* every line after the blank one must be a signature */
        const char *name = line + plen;
        const char *sp = memchr(name, ' ', (size_t)(nl - name));
        if (!sp)
            return -1;
        size_t name_len = (size_t)(sp - name);
        uint8_t blob[4 + IKR_SIG_LEN + 8];
        long got = ikr_base64_decode(blob, sizeof blob, sp + 1, (size_t)(nl - sp - 1));
        if (got < 4)
            return -1;
        for (size_t k = 0; k < nkeys; k++) {
            if (strlen(keys[k].name) != name_len || memcmp(keys[k].name, name, name_len) != 0 ||
                memcmp(keys[k].hash, blob, 4) != 0 || got != 4 + IKR_SIG_LEN)
                continue;
            ikr_key *vk = NULL;
            if (ikr_key_from_public(&vk, keys[k].pub) != IKR_OK)
                return -1;
            int ok = ikr_key_verify(vk, blob + 4, (const uint8_t *)note, split) == 0;
            ikr_key_free(vk);
            if (ok) {
                *text_len = split;
                return 0;
            }
        }
        line = nl + 1;
    }
    return -1;
}

int ikr_checkpoint_body(ikr_buf *out, const char *origin, uint64_t size,
                        const uint8_t root[IKR_HASH_LEN])
{
    char line[32], b64[IKR_BASE64_LEN(IKR_HASH_LEN) + 1];
    ikr_base64_encode(b64, root, IKR_HASH_LEN);
    snprintf(line, sizeof line, "%" PRIu64 "\n", size);
    ikr_buf_adds(out, origin);
    ikr_buf_addc(out, '\n');
    ikr_buf_adds(out, line);
    ikr_buf_adds(out, b64);
    return ikr_buf_addc(out, '\n');
}

/* Takes one line from *p (bounded by end) into [*s, *s+*n) without the newline. */
static int take_line(const char **p, const char *end, const char **s, size_t *n)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    if (!nl)
        return -1;
    *s = *p;
    *n = (size_t)(nl - *p);
    *p = nl + 1;
    return 0;
}

/* 1 when s[0..n) is the base64 ikr_base64_encode writes for want bytes, decoded into out. */
static int b64_exact(uint8_t *out, size_t want, const char *s, size_t n)
{
    char again[IKR_BASE64_LEN(COSIG_BLOB) + 1];
    if (want > COSIG_BLOB || n != IKR_BASE64_LEN(want) ||
        ikr_base64_decode(out, want, s, n) != (long)want)
        return 0;
    ikr_base64_encode(again, out, want);
    return memcmp(again, s, n) == 0;
}

/* The body's three lines; *end is where the text after them starts.  NULL, or why not. */
static const char *body_parse(const char *text, size_t n, char origin[IKR_MAX_ORIGIN + 1],
                              uint64_t *size, uint8_t root[IKR_HASH_LEN], const char **end)
{
    const char *p = text, *e = text + n, *s;
    size_t len;
    if (n == 0 || take_line(&p, e, &s, &len) != 0 || len == 0 || len > IKR_MAX_ORIGIN)
        return "origin line";
    memcpy(origin, s, len);
    origin[len] = '\0';
    if (!ikr_note_name_ok(origin))
        return "origin line";
    if (take_line(&p, e, &s, &len) != 0 || len == 0 || len > 20)
        return "size line";
    if (len > 1 && s[0] == '0')
        return "size with a leading zero";
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
            return "size line";
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *size = v;
    if (take_line(&p, e, &s, &len) != 0 || !b64_exact(root, IKR_HASH_LEN, s, len))
        return "root line: not the standard base64 of 32 bytes";
    *end = p;
    return NULL;
}

int ikr_checkpoint_parse(const char *text, size_t n, char origin[IKR_MAX_ORIGIN + 1],
                         uint64_t *size, uint8_t root[IKR_HASH_LEN])
{
    const char *end;
    return body_parse(text, n, origin, size, root, &end) ? -1 : 0;
}

int ikr_checkpoint_open(const char *note, size_t n, const ikr_vkey *key,
                        char origin[IKR_MAX_ORIGIN + 1], uint64_t *size, uint8_t root[IKR_HASH_LEN],
                        const char **why)
{
    size_t tl;
    const char *end, *bad;
    *why = NULL;
    if (ikr_note_open(note, n, key, 1, &tl) != 0) {
        *why = "signature";
        return -1;
    }
    if ((bad = body_parse(note, tl, origin, size, root, &end))) {
        *why = bad;
        return -1;
    }
    if (end != note + tl) {
        *why = "extension line after the root";
        return -1;
    }
    /* After the text: the empty line, then one line, the key's signature, as ikr_note_sign
     * writes it. */
    const char *line = note + tl + 1, *last = note + n;
    size_t plen = strlen(EM_DASH " "), nlen = strlen(key->name);
    uint8_t blob[4 + IKR_SIG_LEN];
    if (memchr(line, '\n', (size_t)(last - line)) != last - 1) {
        *why = "more than one signature line";
        return -1;
    }
    size_t len = (size_t)(last - 1 - line);
    if (len < plen + nlen + 1 || memcmp(line, EM_DASH " ", plen) != 0 ||
        memcmp(line + plen, key->name, nlen) != 0 || line[plen + nlen] != ' ' ||
        !b64_exact(blob, sizeof blob, line + plen + nlen + 1, len - plen - nlen - 1) ||
        memcmp(blob, key->hash, 4) != 0) {
        *why = "signature line";
        return -1;
    }
    return 0;
}

/*
 * Where a signed note's text ends: *split is the index of the empty line's
 * newline, so the text (the body, its last newline included) is
 * note[0..split).  Every line after it must have the shape "— <name> <x>".
 * 0, or -1 when the note is not shaped so.
 */
static int note_shape(const char *note, size_t n, size_t *split)
{
    if (n < 2 || n > IKR_MAX_NOTE || note[n - 1] != '\n')
        return -1;
    size_t i;
    for (i = n - 1; i > 0; i--)
        if (note[i] == '\n' && note[i - 1] == '\n')
            break;
    if (i == 0)
        return -1;
    *split = i;
    if (memchr(note, '\0', i))
        return -1;
    const char *line = note + i + 1, *end = note + n;
    size_t plen = strlen(EM_DASH " ");
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = (size_t)(nl - line);
        if (len < plen + 2 || memcmp(line, EM_DASH " ", plen) != 0)
            return -1;
        const char *sp = memchr(line + plen, ' ', len - plen);
        if (!sp || sp == line + plen)
            return -1;
        line = nl + 1;
    }
    return 0;
}

/* The message a cosignature signs: header, time line, then the note's body. */
static int cosig_message(ikr_buf *msg, uint64_t time, const char *body, size_t n)
{
    char line[40];
    snprintf(line, sizeof line, "time %" PRIu64 "\n", time);
    ikr_buf_adds(msg, COSIG_HEADER);
    ikr_buf_adds(msg, line);
    return ikr_buf_add(msg, body, n);
}

int ikr_cosig_sign(ikr_buf *out, const char *note, size_t n, const char *name, const ikr_key *k,
                   uint64_t time)
{
    uint8_t blob[COSIG_BLOB];
    char b64[IKR_BASE64_LEN(COSIG_BLOB) + 1];
    size_t split;
    ikr_buf msg;
    if (!ikr_note_name_ok(name) || time > COSIG_MAX_TIME || note_shape(note, n, &split) != 0)
        return IKR_E_INTERNAL;
    /* The cosigned note must still be one a reader takes (IKR_MAX_NOTE). */
    if (n + strlen(EM_DASH " ") + strlen(name) + 1 + IKR_BASE64_LEN(COSIG_BLOB) + 1 > IKR_MAX_NOTE)
        return IKR_E_INTERNAL;
    keyhash_of(blob, TYPE_COSIG, name, ikr_key_public(k));
    for (int i = 0; i < 8; i++)
        blob[4 + i] = (uint8_t)(time >> (56 - 8 * i));
    ikr_buf_init(&msg);
    int rc = cosig_message(&msg, time, note, split);
    if (!rc)
        rc = ikr_key_sign(k, blob + 12, msg.p, msg.len);
    ikr_buf_free(&msg);
    if (rc)
        return rc;
    ikr_base64_encode(b64, blob, sizeof blob);
    ikr_buf_add(out, note, n);
    ikr_buf_adds(out, EM_DASH " ");
    ikr_buf_adds(out, name);
    ikr_buf_addc(out, ' ');
    ikr_buf_adds(out, b64);
    return ikr_buf_addc(out, '\n');
}

int ikr_cosig_open(const char *note, size_t n, const ikr_vkey *witness, uint64_t *time)
{
    size_t split, plen = strlen(EM_DASH " "), nlen = strnlen(witness->name, sizeof witness->name);
    uint8_t want[4];
    int ok = 0;
    if (nlen == 0 || nlen > IKR_MAX_ORIGIN || note_shape(note, n, &split) != 0)
        return -1;
    /* The key hash of a cosigning key, type 0x04, whatever hash the caller's vkey holds. */
    keyhash_of(want, TYPE_COSIG, witness->name, witness->pub);
    ikr_key *vk = NULL;
    ikr_buf msg;
    ikr_buf_init(&msg);
    const char *line = note + split + 1, *end = note + n;
    while (line < end && !ok) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t len = (size_t)(nl - line);
        uint8_t blob[COSIG_BLOB];
        line = nl + 1;
        if (len < plen + nlen + 1 || memcmp(nl - len + plen, witness->name, nlen) != 0 ||
            (nl - len)[plen + nlen] != ' ' ||
            !b64_exact(blob, sizeof blob, nl - len + plen + nlen + 1, len - plen - nlen - 1) ||
            memcmp(blob, want, 4) != 0)
            continue; /* another signer's line, or not a cosignature */
        uint64_t t = 0;
        for (int i = 0; i < 8; i++)
            t = t << 8 | blob[4 + i];
        if (t > COSIG_MAX_TIME)
            continue;
        if (!vk && ikr_key_from_public(&vk, witness->pub) != IKR_OK)
            break;
        ikr_buf_reset(&msg);
        if (cosig_message(&msg, t, note, split) != 0)
            break;
        if (ikr_key_verify(vk, blob + 12, msg.p, msg.len) == 0) {
            *time = t;
            ok = 1;
        }
    }
    ikr_key_free(vk);
    ikr_buf_free(&msg);
    return ok ? 0 : -1;
}
