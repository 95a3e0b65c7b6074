/*
 * test_proofs: what the hub checks a kiosk's log and checkpoints with.
 * Consistency proofs built from stored perfect subtrees equal, hash for hash,
 * a plain recursive reading of RFC 6962's SUBPROOF for every pair of sizes
 * up to 70, all verify, and any change (a byte, a root, a size) is refused;
 * a station's proof, read from its database opened read-only, holds between
 * two of its checkpoints.  Witness cosignatures (C2SP cosignature/v1): a
 * fixed-seed worked example whose lines are asserted byte for byte (the same
 * as docs/formats.md §13), and what must be refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/base64.h"
#include "ikrar/hash.h"
#include "ikrar/key.h"
#include "ikrar/merkle.h"
#include "ikrar/note.h"
#include "ikrar/station.h"

#define N 70

/* ---- the reference: RFC 6962 §2.1.2 read literally, from the leaves ---- */

static uint8_t leaves[N][32];

static void mth(uint8_t out[32], size_t lo, size_t n)
{
    if (n == 1) {
        memcpy(out, leaves[lo], 32);
        return;
    }
    size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    uint8_t l[32], r[32];
    mth(l, lo, k);
    mth(r, lo + k, n - k);
    ikr_merkle_node(out, l, r);
}

static void ref_subproof(size_t m, size_t lo, size_t n, int b, uint8_t (*out)[32], size_t *len)
{
    if (m == n) {
        if (!b)
            mth(out[(*len)++], lo, n);
        return;
    }
    size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    if (m <= k) {
        ref_subproof(m, lo, k, b, out, len);
        mth(out[(*len)++], lo + k, n - k);
    } else {
        ref_subproof(m - k, lo + k, n - k, 0, out, len);
        mth(out[(*len)++], lo, k);
    }
}

/* ---- stored nodes, as the log keeps them ---- */

struct store {
    uint8_t h[8][128][32];
    int have[8][128];
    unsigned gets;
};

static int remember(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
    struct store *s = ctx;
    if (level >= 8 || index >= 128)
        return 1;
    memcpy(s->h[level][index], hash, 32);
    s->have[level][index] = 1;
    return 0;
}

static int fetch(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    struct store *s = ctx;
    s->gets++;
    if (level >= 8 || index >= 128 || !s->have[level][index])
        return 1;
    memcpy(out, s->h[level][index], 32);
    return 0;
}

static unsigned bits(uint64_t n)
{
    unsigned b = 0;
    while (n) {
        b++;
        n >>= 1;
    }
    return b;
}

static void consistency(void)
{
    static struct store s;
    uint8_t roots[N + 1][32];
    ikr_merkle_edge e;
    ikr_merkle_edge_init(&e);
    for (int i = 0; i < N; i++) {
        uint8_t data[2] = {(uint8_t)i, 0x5a};
        ikr_merkle_leaf(leaves[i], data, sizeof data);
        ikr_merkle_edge_push(&e, leaves[i], remember, &s);
        ikr_merkle_edge_root(&e, roots[i + 1]);
    }
    int same = 1, verifies = 1, byte_caught = 1, root_caught = 1, size_caught = 1, cut_caught = 1;
    int few_gets = 1;
    size_t longest = 0;
    for (size_t n = 1; n <= N; n++)
        for (size_t m = 1; m <= n; m++) {
            uint8_t want[IKR_MERKLE_MAX_PROOF][32], got[IKR_MERKLE_MAX_PROOF][32];
            size_t wl = 0, gl = 99;
            ref_subproof(m, 0, n, 1, want, &wl);
            s.gets = 0;
            if (ikr_merkle_consistency_proof(m, n, fetch, &s, got, IKR_MERKLE_MAX_PROOF, &gl) !=
                    0 ||
                gl != wl || memcmp(got, want, wl * 32) != 0) {
                same = 0;
                continue;
            }
            if (s.gets > 2 * bits(n) + 1)
                few_gets = 0;
            if (gl > longest)
                longest = gl;
            const uint8_t(*p)[32] = (const uint8_t(*)[32])got;
            if (ikr_merkle_consistency_verify(m, n, roots[m], roots[n], p, gl) != 0)
                verifies = 0;
            for (size_t i = 0; i < gl; i++)
                for (size_t j = 0; j < 32; j++) {
                    got[i][j] ^= 0x01;
                    if (ikr_merkle_consistency_verify(m, n, roots[m], roots[n], p, gl) == 0)
                        byte_caught = 0;
                    got[i][j] ^= 0x01;
                }
            for (size_t r = 1; r <= N; r++) {
                if (r != m && memcmp(roots[r], roots[m], 32) != 0 &&
                    ikr_merkle_consistency_verify(m, n, roots[r], roots[n], p, gl) == 0)
                    root_caught = 0;
                if (r != n && ikr_merkle_consistency_verify(m, n, roots[m], roots[r], p, gl) == 0)
                    root_caught = 0;
            }
            /*
             * A root does not name its size: the signed checkpoint binds the two.  So a wrong
             * size is tried with the root of that size, as a checkpoint of it would carry, and
             * must fail unless that pair's own proof is the very same list of hashes.
             */
            for (size_t x = 1; x <= N; x++) {
                uint8_t other[IKR_MERKLE_MAX_PROOF][32];
                size_t ol = 0;
                if (x != m && x <= n) {
                    ref_subproof(x, 0, n, 1, other, &ol);
                    if ((ol != gl || memcmp(other, got, gl * 32) != 0) &&
                        ikr_merkle_consistency_verify(x, n, roots[x], roots[n], p, gl) == 0)
                        size_caught = 0;
                }
                ol = 0;
                if (x != n && x >= m) {
                    ref_subproof(m, 0, x, 1, other, &ol);
                    if ((ol != gl || memcmp(other, got, gl * 32) != 0) &&
                        ikr_merkle_consistency_verify(m, x, roots[m], roots[x], p, gl) == 0)
                        size_caught = 0;
                }
            }
            if (gl > 0 && ikr_merkle_consistency_verify(m, n, roots[m], roots[n], p, gl - 1) == 0)
                cut_caught = 0;
            memcpy(got[gl], roots[n], 32);
            if (ikr_merkle_consistency_verify(m, n, roots[m], roots[n], p, gl + 1) == 0)
                cut_caught = 0;
        }
    check("every proof 1 <= m <= n <= 70 equals RFC 6962's SUBPROOF", same);
    check("and reads at most 2 log2(n) + 1 stored nodes, never the leaves one by one", few_gets);
    check("every proof verifies against the roots at m and n", verifies);
    check("a proof with any byte of any hash changed is refused", byte_caught);
    check("a wrong old or new root is refused", root_caught);
    check("the proof of m..n is refused for any other pair of sizes, with their roots",
          size_caught);
    check("a proof one hash short or one too long is refused", cut_caught);
    check("the longest proof up to 70 has 8 hashes", longest == 8);

    uint8_t out[4][32], big[IKR_MERKLE_MAX_PROOF + 1][32];
    size_t len = 99;
    check("m == n: no hashes",
          ikr_merkle_consistency_proof(5, 5, fetch, &s, out, 4, &len) == 0 && len == 0);
    check("m == n verifies with no proof and equal roots",
          ikr_merkle_consistency_verify(5, 5, roots[5], roots[5], NULL, 0) == 0);
    check("m == n with different roots is refused",
          ikr_merkle_consistency_verify(5, 5, roots[5], roots[6], NULL, 0) != 0);
    check("m == n with a hash is refused",
          ikr_merkle_consistency_verify(5, 5, roots[5], roots[5], (const uint8_t(*)[32])out, 1) !=
              0);
    check("m == 0 is refused",
          ikr_merkle_consistency_proof(0, 5, fetch, &s, out, 4, &len) == -1 &&
              ikr_merkle_consistency_verify(0, 5, roots[5], roots[5], (const uint8_t(*)[32])out,
                                            1) != 0);
    check("m > n is refused", ikr_merkle_consistency_proof(6, 5, fetch, &s, out, 4, &len) == -1 &&
                                  ikr_merkle_consistency_verify(6, 5, roots[6], roots[5],
                                                                (const uint8_t(*)[32])out, 1) != 0);
    check("a proof that does not fit in max is refused",
          ikr_merkle_consistency_proof(3, 70, fetch, &s, out, 2, &len) == -1);
    check("a missing node is get's failure",
          ikr_merkle_consistency_proof(3, 71, fetch, &s, big, IKR_MERKLE_MAX_PROOF, &len) == 1);
    memset(big, 0, sizeof big);
    check("more than IKR_MERKLE_MAX_PROOF hashes are refused unread",
          ikr_merkle_consistency_verify(3, 70, roots[3], roots[70], (const uint8_t(*)[32])big,
                                        IKR_MERKLE_MAX_PROOF + 1) != 0);
}

/* Certificate Transparency's eight test leaves: the proofs docs/formats.md §13 walks through. */
static void ct_vectors(void)
{
    static const char *data[8] = {"",
                                  "00",
                                  "10",
                                  "2021",
                                  "3031",
                                  "40414243",
                                  "5051525354555657",
                                  "606162636465666768696a6b6c6d6e6f"};
    static struct store s;
    ikr_merkle_edge e;
    uint8_t roots[9][32], p[IKR_MERKLE_MAX_PROOF][32];
    size_t len = 0;
    ikr_merkle_edge_init(&e);
    for (int i = 0; i < 8; i++) {
        uint8_t d[16], leaf[32];
        size_t n = strlen(data[i]) / 2;
        ikr_unhex(d, n, data[i]);
        ikr_merkle_leaf(leaf, d, n);
        ikr_merkle_edge_push(&e, leaf, remember, &s);
        ikr_merkle_edge_root(&e, roots[i + 1]);
    }
    check("CT proof 3 -> 7 has four hashes",
          ikr_merkle_consistency_proof(3, 7, fetch, &s, p, IKR_MERKLE_MAX_PROOF, &len) == 0 &&
              len == 4);
    check_hex("3 -> 7 [0]: leaf 2", p[0], 32,
              "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7");
    check_hex("3 -> 7 [1]: leaf 3", p[1], 32,
              "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7");
    check_hex("3 -> 7 [2]: leaves 0..1", p[2], 32,
              "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
    check_hex("3 -> 7 [3]: leaves 4..6, not a perfect subtree", p[3], 32,
              "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e");
    check("3 -> 7 verifies against CT's roots",
          ikr_merkle_consistency_verify(3, 7, roots[3], roots[7], (const uint8_t(*)[32])p, len) ==
              0);
    check("CT proof 4 -> 7: one hash, the old root left out as a power of two",
          ikr_merkle_consistency_proof(4, 7, fetch, &s, p, IKR_MERKLE_MAX_PROOF, &len) == 0 &&
              len == 1 &&
              ikr_merkle_consistency_verify(4, 7, roots[4], roots[7], (const uint8_t(*)[32])p,
                                            len) == 0);
    check_hex("4 -> 7 [0]", p[0], 32,
              "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e");
    check("CT proof 6 -> 8 has three hashes",
          ikr_merkle_consistency_proof(6, 8, fetch, &s, p, IKR_MERKLE_MAX_PROOF, &len) == 0 &&
              len == 3);
    check_hex("6 -> 8 [0]", p[0], 32,
              "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a");
    check_hex("6 -> 8 [1]", p[1], 32,
              "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
    check_hex("6 -> 8 [2]", p[2], 32,
              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
}

/* ---- a station's proof between two of its checkpoints ---- */

static int checkpoint_of(ikr_station *s, uint64_t *size, uint8_t root[32])
{
    ikr_buf note;
    ikr_err e;
    char origin[IKR_MAX_ORIGIN + 1];
    ikr_buf_init(&note);
    ikr_err_clear(&e);
    int rc = ikr_station_checkpoint(s, (uint64_t)time(NULL), &note, &e);
    if (!rc)
        rc = ikr_checkpoint_parse((const char *)note.p, note.len, origin, size, root);
    ikr_buf_free(&note);
    return rc;
}

static void station(void)
{
    char dir[] = "/tmp/ikrar-proofs-XXXXXX", kiosk[600], cmd[700];
    ikr_err e;
    ikr_buf vk;
    check("tmp dir", mkdtemp(dir) != NULL);
    snprintf(kiosk, sizeof kiosk, "%s/k", dir);
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN",
                           "aula-1",
                           NULL,
                           0,
                           "246810",
                           NULL,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    check("a kiosk folder is made", ikr_station_create(kiosk, &cfg, &vk, &e) == 0);
    ikr_buf_free(&vk);
    ikr_station *s = NULL;
    check("opened to sign", ikr_station_open(&s, kiosk, IKR_OPEN_SIGN, NULL, &e) == 0);
    uint8_t roots[8][32];
    uint64_t sizes[8];
    int signed_ok = 1;
    for (int i = 0; i < 7; i++) {
        char name[32];
        ikr_ink ink;
        ikr_signed out;
        const char *j = "{\"w\":600,\"h\":300,\"s\":[[100,150,0,140,120,20,180,160,40]]}";
        snprintf(name, sizeof name, "Tamu Nomor %d", i + 1);
        ikr_ink_init(&ink);
        ikr_ink_parse_json(&ink, j, strlen(j));
        ikr_form f = {name, IKR_STATUS_NON_ASN, NULL, "Tamu", "Bagian Umum"};
        ikr_err_clear(&e);
        if (ikr_station_sign(s, &f, &ink, (uint64_t)time(NULL), &out, &e) != 0 ||
            checkpoint_of(s, &sizes[i + 1], roots[i + 1]) != 0 || sizes[i + 1] != (uint64_t)i + 1)
            signed_ok = 0;
        ikr_buf_free(&out.receipt);
        ikr_ink_free(&ink);
    }
    check("seven records signed, a checkpoint after each", signed_ok);
    ikr_station_close(s);

    s = NULL;
    check("opened read-only to verify",
          ikr_station_open(&s, kiosk, IKR_OPEN_VERIFY, NULL, &e) == 0);
    int all = 1;
    for (uint64_t m = 1; m <= 7 && s; m++)
        for (uint64_t n = m; n <= 7; n++) {
            uint8_t p[IKR_MERKLE_MAX_PROOF][32];
            size_t len = 99;
            ikr_err_clear(&e);
            if (ikr_station_consistency(s, m, n, p, IKR_MERKLE_MAX_PROOF, &len, &e) != 0 ||
                ikr_merkle_consistency_verify(m, n, roots[m], roots[n], (const uint8_t(*)[32])p,
                                              len) != 0)
                all = 0;
            if (m < n && ikr_merkle_consistency_verify(m, n, roots[m], roots[n - 1],
                                                       (const uint8_t(*)[32])p, len) == 0)
                all = 0;
        }
    check("every proof of the read-only station holds between its checkpoints", all);
    uint8_t p[IKR_MERKLE_MAX_PROOF][32];
    size_t len;
    ikr_err_clear(&e);
    check("a size past the log is refused",
          s && ikr_station_consistency(s, 2, 8, p, IKR_MERKLE_MAX_PROOF, &len, &e) ==
                   IKR_E_INTERNAL);
    ikr_err_clear(&e);
    check("m == 0 is refused",
          s && ikr_station_consistency(s, 0, 3, p, IKR_MERKLE_MAX_PROOF, &len, &e) != 0);
    ikr_err_clear(&e);
    check("and the station still answers after a refusal",
          s && ikr_station_consistency(s, 3, 7, p, IKR_MERKLE_MAX_PROOF, &len, &e) == 0 &&
              ikr_merkle_consistency_verify(3, 7, roots[3], roots[7], (const uint8_t(*)[32])p,
                                            len) == 0);
    ikr_station_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    check("cleaned up", system(cmd) == 0);
}

/* ---- witness cosignatures ---- */

/* The worked example of docs/formats.md §13. */
#define WITNESS_NAME "ikrar-hub/pilkada-2024"
#define KIOSK_NAME "ikrar/pilkada-2024/aula-1"
#define EX_TIME 1733450400
#define EX_VKEY "ikrar-hub/pilkada-2024+ad3b98cf+BCmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X"
#define EX_NOTE                                                                                    \
    "ikrar/pilkada-2024/aula-1\n3\nrra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=\n\n"               \
    "\xe2\x80\x94 ikrar/pilkada-2024/aula-1 "                                                      \
    "dhc16T+punKPuTXWDcAFhImw3xqKHXy8WJKkOcjH7aZ1Fkm1ocuR/"                                        \
    "wSIw3WZ2Gg2Ly6vouU7sNrR8J+5SF0FHEH+Xgs=\n" EX_LINE "\n"
#define EX_LINE                                                                                    \
    "\xe2\x80\x94 ikrar-hub/pilkada-2024 "                                                         \
    "rTuYzwAAAABnUlqgTQe88x8UucnG91Pfp5EWLzpkMUEfyafEDDXAFLC8z/"                                   \
    "HF9vFTaRFRXsC18Bmzwx6E3ANDxw5XhnizQV2523kkBw=="

static void seeded(ikr_key **k, uint8_t first)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(first + i);
    ikr_key_from_seed(k, seed);
}

static void cosig(void)
{
    ikr_key *kiosk = NULL, *witness = NULL, *other = NULL;
    seeded(&kiosk, 0x00);
    seeded(&witness, 0x20);
    seeded(&other, 0x40);
    ikr_buf line, body, note, co;
    ikr_buf_init(&line);
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    ikr_buf_init(&co);

    check("witness vkey formats",
          ikr_witness_vkey_format(&line, WITNESS_NAME, ikr_key_public(witness)) == 0);
    ikr_buf_addc(&line, '\0');
    check("the worked example's witness vkey", strcmp((char *)line.p, EX_VKEY) == 0);
    ikr_vkey wv, nv;
    check("it parses as a witness key",
          ikr_witness_vkey_parse(&wv, (char *)line.p, line.len - 1) == 0 &&
              strcmp(wv.name, WITNESS_NAME) == 0 &&
              memcmp(wv.pub, ikr_key_public(witness), 32) == 0);
    check("a witness key (0x04) is not a note key",
          ikr_vkey_parse(&nv, (char *)line.p, line.len - 1) != 0);
    ikr_buf_reset(&line);
    ikr_vkey_format(&line, WITNESS_NAME, ikr_key_public(witness));
    check("a note key (0x01) is not a witness key",
          ikr_witness_vkey_parse(&nv, (char *)line.p, line.len) != 0 &&
              ikr_vkey_parse(&nv, (char *)line.p, line.len) == 0);
    {
        int all = 1;
        size_t n = strlen(EX_VKEY);
        char *m = strdup(EX_VKEY);
        for (size_t i = 0; i < n; i++) {
            m[i]++;
            if (ikr_witness_vkey_parse(&nv, m, n) == 0)
                all = 0;
            m[i]--;
            if (ikr_witness_vkey_parse(&nv, m, i) == 0)
                all = 0;
        }
        free(m);
        check("every one-character change and cut of the witness key is refused", all);
    }

    /* The kiosk's checkpoint: the CT test tree's root at size 3. */
    uint8_t root[32];
    ikr_unhex(root, 32, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77");
    ikr_checkpoint_body(&body, KIOSK_NAME, 3, root);
    ikr_note_sign(&note, (const char *)body.p, body.len, KIOSK_NAME, kiosk);
    check("cosigns",
          ikr_cosig_sign(&co, (const char *)note.p, note.len, WITNESS_NAME, witness, EX_TIME) == 0);
    check("the cosigned note is the note, then one more line",
          co.len > note.len && memcmp(co.p, note.p, note.len) == 0 &&
              memchr(co.p + note.len, '\n', co.len - note.len) == co.p + co.len - 1);
    {
        char last[200];
        size_t ll = co.len - note.len;
        memcpy(last, co.p + note.len, ll < sizeof last ? ll : sizeof last - 1);
        last[ll < sizeof last ? ll : sizeof last - 1] = '\0';
        check("the worked example's cosignature line", strcmp(last, EX_LINE "\n") == 0);
        check("the worked example's whole cosigned checkpoint",
              co.len == strlen(EX_NOTE) && memcmp(co.p, EX_NOTE, co.len) == 0);
    }
    uint64_t t = 0;
    check("it opens with the witness key, at its time",
          ikr_cosig_open((const char *)co.p, co.len, &wv, &t) == 0 && t == EX_TIME);
    ikr_vkey kv;
    ikr_buf_reset(&line);
    ikr_vkey_format(&line, KIOSK_NAME, ikr_key_public(kiosk));
    ikr_vkey_parse(&kv, (const char *)line.p, line.len);
    size_t tl;
    check("the kiosk's own signature still opens beside it",
          ikr_note_open((const char *)co.p, co.len, &kv, 1, &tl) == 0 && tl == body.len);
    const char *why = NULL;
    char origin[IKR_MAX_ORIGIN + 1];
    uint64_t size;
    uint8_t r2[32];
    check("the strict checkpoint reader still refuses a second line",
          ikr_checkpoint_open((const char *)co.p, co.len, &kv, origin, &size, r2, &why) != 0 &&
              why && strcmp(why, "more than one signature line") == 0);
    check("and still opens the note alone",
          ikr_checkpoint_open((const char *)note.p, note.len, &kv, origin, &size, r2, &why) == 0);
    check("the kiosk's own line is no cosignature",
          ikr_cosig_open((const char *)note.p, note.len, &wv, &t) != 0);
    check("a note key of the witness does not open it (type byte 0x01)",
          ikr_cosig_open((const char *)note.p, note.len, &nv, &t) != 0);
    ikr_vkey ov;
    ikr_buf_reset(&line);
    ikr_witness_vkey_format(&line, WITNESS_NAME, ikr_key_public(other));
    ikr_witness_vkey_parse(&ov, (const char *)line.p, line.len);
    check("another witness key of the same name does not open it",
          ikr_cosig_open((const char *)co.p, co.len, &ov, &t) != 0);
    {
        int all = 1;
        /* The kiosk's own line is ikr_note_open's to check: every other byte is covered here. */
        const uint8_t *own = memchr(co.p + body.len + 1, '\n', co.len - body.len - 1);
        size_t own_end = (size_t)(own - co.p) + 1;
        for (size_t i = 0; i < co.len; i++) {
            if (i > body.len && i < own_end)
                continue;
            co.p[i] ^= 0x01;
            if (ikr_cosig_open((const char *)co.p, co.len, &wv, &t) == 0)
                all = 0;
            co.p[i] ^= 0x01;
        }
        check("every one-bit change of the body or the cosignature line is refused", all);
    }
    check("a note cut short is refused",
          ikr_cosig_open((const char *)co.p, co.len - 1, &wv, &t) != 0);

    /* The time is signed: another time with the same signature does not open. */
    {
        ikr_buf co2;
        ikr_buf_init(&co2);
        check("cosigns at another time", ikr_cosig_sign(&co2, (const char *)note.p, note.len,
                                                        WITNESS_NAME, witness, EX_TIME + 1) == 0);
        uint8_t a[80], b[80];
        /* The base64 is the last 104 bytes before the final newline. */
        const char *pa = (const char *)co.p + co.len - 1 - 104;
        char *pb = (char *)co2.p + co2.len - 1 - 104;
        long la = ikr_base64_decode(a, sizeof a, pa, 104),
             lb = ikr_base64_decode(b, sizeof b, pb, 104);
        check("the blob is 76 bytes: key hash, big-endian time, signature",
              la == 76 && lb == 76 && memcmp(a, b, 4) == 0 && a[11] + 1 == b[11] &&
                  memcmp(a + 4, "\x00\x00\x00\x00\x67\x52\x5a\xa0", 8) == 0);
        memcpy(b + 12, a + 12, 64); /* the old signature under the new time */
        char b64[IKR_BASE64_LEN(76) + 1];
        ikr_base64_encode(b64, b, 76);
        memcpy(pb, b64, 104);
        check("a signature moved to another time is refused",
              ikr_cosig_open((const char *)co2.p, co2.len, &wv, &t) != 0);
        ikr_buf_free(&co2);
    }
    /* Cosignatures accumulate: a second witness after the first. */
    {
        ikr_buf co3;
        ikr_buf_init(&co3);
        check("a second witness cosigns the cosigned note",
              ikr_cosig_sign(&co3, (const char *)co.p, co.len, WITNESS_NAME, other, 7) == 0);
        check("both open",
              ikr_cosig_open((const char *)co3.p, co3.len, &wv, &t) == 0 && t == EX_TIME &&
                  ikr_cosig_open((const char *)co3.p, co3.len, &ov, &t) == 0 && t == 7);
        ikr_buf_free(&co3);
    }
    ikr_buf_reset(&line);
    check("a body without its signature block is not cosigned",
          ikr_cosig_sign(&line, (const char *)body.p, body.len, WITNESS_NAME, witness, 1) != 0);
    check("a time past 2^63 - 1 is not signed",
          ikr_cosig_sign(&line, (const char *)note.p, note.len, WITNESS_NAME, witness,
                         UINT64_C(0x8000000000000000)) != 0);
    check("a bad name is not signed",
          ikr_cosig_sign(&line, (const char *)note.p, note.len, "with space", witness, 1) != 0);
    check("nothing written on refusals", line.len == 0);
    {
        /* A note grown to IKR_MAX_NOTE cannot take one more line. */
        ikr_buf big;
        ikr_buf_init(&big);
        ikr_buf_add(&big, note.p, note.len);
        while (big.len + 200 < IKR_MAX_NOTE)
            ikr_buf_add(&big, co.p + note.len, co.len - note.len);
        check("a cosigned note past IKR_MAX_NOTE is not made",
              ikr_cosig_sign(&line, (const char *)big.p, big.len, WITNESS_NAME, witness, 1) != 0);
        ikr_buf_free(&big);
    }
    ikr_buf_free(&line);
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    ikr_buf_free(&co);
    ikr_key_free(kiosk);
    ikr_key_free(witness);
    ikr_key_free(other);
}

int main(void)
{
    consistency();
    ct_vectors();
    station();
    cosig();
    return check_report();
}
