/*
 * test_crypto: known answers from the standards themselves: RFC 8032's
 * Ed25519 test 1, the RFC 6962 roots Certificate Transparency publishes for
 * its eight test leaves, and Go's sumdb/note "PeterNeumann" example; plus
 * COSE_Sign1 forgeries that must fail and key files on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/base64.h"
#include "ikrar/cose.h"
#include "ikrar/hash.h"
#include "ikrar/key.h"
#include "ikrar/merkle.h"
#include "ikrar/note.h"

static void ed25519(void)
{
    uint8_t seed[32], sig[64];
    ikr_unhex(seed, 32, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    ikr_key *k = NULL;
    check("key from RFC 8032 test 1 seed", ikr_key_from_seed(&k, seed) == 0);
    check_hex("RFC 8032 test 1 public key", ikr_key_public(k), 32,
              "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    check("sign empty message", ikr_key_sign(k, sig, (const uint8_t *)"", 0) == 0);
    check_hex("RFC 8032 test 1 signature", sig, 64,
              "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
              "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    check("signature verifies", ikr_key_verify(k, sig, (const uint8_t *)"", 0) == 0);
    sig[10] ^= 1;
    check("changed signature fails", ikr_key_verify(k, sig, (const uint8_t *)"", 0) != 0);
    check_hex("kid = SHA-256(pub)[0..8)", ikr_key_kid(k), 8, "21fe31dfa154a261");

    /* COSE_Sign1 round trip and forgeries. */
    ikr_buf c;
    ikr_buf_init(&c);
    check("COSE sign", ikr_cose_sign1(&c, k, (const uint8_t *)"\xa1\x61v\x01", 4) == 0);
    ikr_cose cs;
    check("COSE parses", ikr_cose_parse(&cs, c.p, c.len) == 0);
    check("COSE verifies", ikr_cose_verify(&cs, k) == 0);
    int all_caught = 1;
    for (size_t i = 0; i < c.len; i++) {
        c.p[i] ^= 0x01;
        if (ikr_cose_parse(&cs, c.p, c.len) == 0 && ikr_cose_verify(&cs, k) == 0)
            all_caught = 0;
        c.p[i] ^= 0x01;
    }
    check("every one-bit change of a COSE_Sign1 is refused", all_caught);
    check("truncated COSE refused", ikr_cose_parse(&cs, c.p, c.len - 1) != 0);
    ikr_key *other = NULL;
    ikr_key_generate(&other, NULL);
    check("parse ok", ikr_cose_parse(&cs, c.p, c.len) == 0);
    check("another key does not verify", ikr_cose_verify(&cs, other) != 0);
    ikr_verifier *ver = NULL;
    check("reusable verifier", ikr_verifier_new(&ver, k) == 0);
    int reuse_ok = 1;
    for (int round = 0; round < 3; round++) {
        if (ikr_cose_verify_with(&cs, ikr_key_kid(k), ver) != 0)
            reuse_ok = 0;
        c.p[c.len - 1] ^= 0x20; /* the signature's last byte */
        if (ikr_cose_parse(&cs, c.p, c.len) != 0 ||
            ikr_cose_verify_with(&cs, ikr_key_kid(k), ver) == 0)
            reuse_ok = 0;
        c.p[c.len - 1] ^= 0x20;
        ikr_cose_parse(&cs, c.p, c.len);
    }
    check("the verifier accepts, refuses a bad signature, and accepts again", reuse_ok);
    check("the verifier refuses another key's kid",
          ikr_cose_verify_with(&cs, ikr_key_kid(other), ver) != 0);
    ikr_verifier_free(ver);
    ikr_buf_free(&c);

    /* Key files: 0600, plain and encrypted, wrong passphrase refused, never overwritten. */
    char dir[] = "/tmp/ikrar-key-XXXXXX", path[256], path2[256];
    check("tmp dir", mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/plain.key", dir);
    snprintf(path2, sizeof path2, "%s/enc.key", dir);
    ikr_err e;
    ikr_err_clear(&e);
    check("save plain", ikr_key_save(other, path, NULL, &e) == 0);
    struct stat st;
    check("key file is 0600", stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    ikr_err_clear(&e);
    check("existing key file not overwritten", ikr_key_save(other, path, NULL, &e) == IKR_E_EXISTS);
    ikr_key *back = NULL;
    ikr_err_clear(&e);
    check("load plain", ikr_key_load(&back, path, NULL, &e) == 0 &&
                            memcmp(ikr_key_public(back), ikr_key_public(other), 32) == 0);
    ikr_key_free(back);
    back = NULL;
    check("save encrypted", ikr_key_save(other, path2, "rahasia sekali", NULL) == 0);
    FILE *f = fopen(path2, "r");
    char line[80] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    check("encrypted key is encrypted PKCS#8", strstr(line, "ENCRYPTED PRIVATE KEY") != NULL);
    ikr_err_clear(&e);
    check("encrypted key without passphrase refused",
          ikr_key_load(&back, path2, NULL, &e) == IKR_E_KEY_PASSPHRASE && back == NULL);
    ikr_err_clear(&e);
    check("wrong passphrase refused",
          ikr_key_load(&back, path2, "salah", &e) == IKR_E_KEY_PASSPHRASE && back == NULL);
    ikr_err_clear(&e);
    check("right passphrase loads",
          ikr_key_load(&back, path2, "rahasia sekali", &e) == 0 &&
              memcmp(ikr_key_public(back), ikr_key_public(other), 32) == 0);
    ikr_key_free(back);
    unlink(path);
    unlink(path2);
    rmdir(dir);
    ikr_key_free(other);
    ikr_key_free(k);
}

static void merkle(void)
{
    static const char *leaves[8] = {"",
                                    "00",
                                    "10",
                                    "2021",
                                    "3031",
                                    "40414243",
                                    "5051525354555657",
                                    "606162636465666768696a6b6c6d6e6f"};
    static const char *roots[8] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    ikr_merkle_edge e;
    uint8_t root[32];
    ikr_merkle_edge_init(&e);
    ikr_merkle_edge_root(&e, root);
    check_hex("empty tree root", root, 32,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (int i = 0; i < 8; i++) {
        uint8_t data[16], leaf[32];
        size_t n = strlen(leaves[i]) / 2;
        ikr_unhex(data, n, leaves[i]);
        ikr_merkle_leaf(leaf, data, n);
        ikr_merkle_edge_push(&e, leaf, NULL, NULL);
        ikr_merkle_edge_root(&e, root);
        char desc[64];
        snprintf(desc, sizeof desc, "CT root at size %d", i + 1);
        check_hex(desc, root, 32, roots[i]);
    }
}

/* Nodes remembered by the push callback, for root_at. */
struct store {
    uint8_t h[8][64][32];
    int have[8][64];
};

static int remember(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
    struct store *s = ctx;
    if (level >= 8 || index >= 64)
        return 1;
    memcpy(s->h[level][index], hash, 32);
    s->have[level][index] = 1;
    return 0;
}

static int fetch(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    struct store *s = ctx;
    if (level >= 8 || index >= 64 || !s->have[level][index])
        return 1;
    memcpy(out, s->h[level][index], 32);
    return 0;
}

static void merkle_stored(void)
{
    static struct store s;
    uint8_t roots[65][32];
    ikr_merkle_edge e;
    ikr_merkle_edge_init(&e);
    for (int i = 0; i < 64; i++) {
        uint8_t leaf[32], data[1] = {(uint8_t)i};
        ikr_merkle_leaf(leaf, data, 1);
        ikr_merkle_edge_push(&e, leaf, remember, &s);
        ikr_merkle_edge_root(&e, roots[i + 1]);
    }
    int all = 1;
    for (int m = 1; m <= 64; m++) {
        uint8_t r[32];
        if (ikr_merkle_root_at(r, (uint64_t)m, fetch, &s) != 0 || memcmp(r, roots[m], 32) != 0)
            all = 0;
    }
    check("root at every earlier size from stored subtrees", all);
    int nodes = 0;
    for (int l = 0; l < 8; l++)
        for (int i = 0; i < 64; i++)
            nodes += s.have[l][i];
    check("append stores 2n-1 nodes for a perfect tree of 64", nodes == 127);
}

static void note(void)
{
    const char *vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const char *text = "If you think cryptography is the answer to your problem,\n"
                       "then you don't know what your problem is.\n";
    const char *note_text =
        "If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n"
        "\n"
        "\xe2\x80\x94 PeterNeumann "
        "x08go/ZJkuBS9UG/"
        "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    ikr_vkey vk;
    check("Go's PeterNeumann verifier key parses", ikr_vkey_parse(&vk, vkey, strlen(vkey)) == 0);
    check("key name", strcmp(vk.name, "PeterNeumann") == 0);
    size_t tl = 0;
    check("Go's example note opens",
          ikr_note_open(note_text, strlen(note_text), &vk, 1, &tl) == 0 && tl == strlen(text));
    char *bad = strdup(note_text);
    bad[20] = 'Y';
    check("changed note text refused", ikr_note_open(bad, strlen(bad), &vk, 1, &tl) != 0);
    free(bad);

    /* Signing with Go's example private key gives Go's signature byte for byte. */
    uint8_t raw[40];
    long got =
        ikr_base64_decode(raw, sizeof raw, "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", 44);
    check("Go's example private key decodes", got == 33 && raw[0] == 1);
    ikr_key *k = NULL;
    ikr_key_from_seed(&k, raw + 1);
    ikr_buf out;
    ikr_buf_init(&out);
    check("note signs", ikr_note_sign(&out, text, strlen(text), "PeterNeumann", k) == 0);
    check("signed note equals Go's example",
          out.len == strlen(note_text) && memcmp(out.p, note_text, out.len) == 0);
    ikr_buf_reset(&out);
    ikr_vkey_format(&out, "PeterNeumann", ikr_key_public(k));
    check("verifier key formats as Go's",
          out.len == strlen(vkey) && memcmp(out.p, vkey, out.len) == 0);
    ikr_buf_free(&out);
    ikr_key_free(k);

    /* Manglings of the verifier key are refused (Go's own test does every substring). */
    int all = 1;
    size_t n = strlen(vkey);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j <= n; j++)
            if ((i != 0 || j != n) && ikr_vkey_parse(&vk, vkey + i, j - i) == 0)
                all = 0;
    char *m = strdup(vkey);
    for (size_t i = 0; i < n; i++) {
        m[i]++;
        if (ikr_vkey_parse(&vk, m, n) == 0)
            all = 0;
        m[i]--;
    }
    free(m);
    check("every substring and one-character change of the key is refused", all);

    /* A NUL inside the name: the key hash covers the name only up to it, so this line hashes
     * like "Peter"'s; it names the same key by another text and must be refused. */
    {
        char line[160];
        ikr_vkey good;
        uint8_t h[4];
        check("the key parses", ikr_vkey_parse(&good, vkey, strlen(vkey)) == 0);
        ikr_note_keyhash(h, "Peter", good.pub);
        int len = snprintf(line, sizeof line, "Peter%cX+%02x%02x%02x%02x+%s", 0, h[0], h[1], h[2],
                           h[3], strchr(strchr(vkey, '+') + 1, '+') + 1);
        check("a name with a NUL inside is refused",
              len > 0 && ikr_vkey_parse(&vk, line, (size_t)len) == -1);
    }
}

int main(void)
{
    ed25519();
    merkle();
    merkle_stored();
    note();
    return check_report();
}
