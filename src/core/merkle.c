/*
 * merkle.c: RFC 6962 Merkle tree hashing.
 *
 * The edge of a tree of size n keeps one hash per set bit of n: h[l] is the
 * perfect subtree of 2^l leaves that bit l stands for.  Appending a leaf is
 * a binary increment: carries merge equal-sized subtrees, each merge is a
 * node the caller may store.  The root folds the subtrees from the smallest
 * up, which is RFC 6962's split at the largest power of two, applied again
 * and again to the right part.
 */
#include "ikrar/merkle.h"

#include <string.h>

void ikr_merkle_leaf(uint8_t out[IKR_HASH_LEN], const uint8_t *data, size_t n)
{
    static const uint8_t zero = 0x00;
    ikr_sha256_2(out, &zero, 1, data, n);
}

void ikr_merkle_node(uint8_t out[IKR_HASH_LEN], const uint8_t l[IKR_HASH_LEN],
                     const uint8_t r[IKR_HASH_LEN])
{
    uint8_t buf[1 + 2 * IKR_HASH_LEN];
    buf[0] = 0x01;
    memcpy(buf + 1, l, IKR_HASH_LEN);
    memcpy(buf + 1 + IKR_HASH_LEN, r, IKR_HASH_LEN);
    ikr_sha256(out, buf, sizeof buf);
}

void ikr_merkle_edge_init(ikr_merkle_edge *e)
{
    memset(e, 0, sizeof *e);
}

int ikr_merkle_edge_push(ikr_merkle_edge *e, const uint8_t leaf[IKR_HASH_LEN],
                         ikr_merkle_node_fn fn, void *ctx)
{
    uint8_t cur[IKR_HASH_LEN];
    uint64_t index = e->size;
    unsigned level = 0;
    memcpy(cur, leaf, IKR_HASH_LEN);
    if (fn) {
        int rc = fn(ctx, 0, index, cur);
        if (rc)
            return rc;
    }
    while (e->size >> level & 1) {
        ikr_merkle_node(cur, e->h[level], cur);
        level++;
        if (fn) {
            int rc = fn(ctx, level, index >> level, cur);
            if (rc)
                return rc;
        }
    }
    memcpy(e->h[level], cur, IKR_HASH_LEN);
    e->size++;
    return 0;
}

void ikr_merkle_edge_root(const ikr_merkle_edge *e, uint8_t out[IKR_HASH_LEN])
{
    int have = 0;
    if (e->size == 0) {
        ikr_sha256(out, "", 0);
        return;
    }
    for (unsigned l = 0; l < IKR_MERKLE_MAX_LEVEL; l++) {
        if (!(e->size >> l & 1))
            continue;
        if (!have) {
            memcpy(out, e->h[l], IKR_HASH_LEN);
            have = 1;
        } else {
            ikr_merkle_node(out, e->h[l], out);
        }
    }
}

int ikr_merkle_edge_at(ikr_merkle_edge *e, uint64_t m, ikr_merkle_get_fn get, void *ctx)
{
    ikr_merkle_edge_init(e);
    for (unsigned l = 0; l < IKR_MERKLE_MAX_LEVEL; l++) {
        if (!(m >> l & 1))
            continue;
        /* The subtree for bit l starts after the larger ones: index = m >> (l+1) << 1. */
        uint64_t index = (m >> (l + 1)) << 1;
        int rc = get(ctx, l, index, e->h[l]);
        if (rc)
            return rc;
    }
    e->size = m;
    return 0;
}

int ikr_merkle_root_at(uint8_t out[IKR_HASH_LEN], uint64_t m, ikr_merkle_get_fn get, void *ctx)
{
    ikr_merkle_edge e;
    int rc = ikr_merkle_edge_at(&e, m, get, ctx);
    if (rc)
        return rc;
    ikr_merkle_edge_root(&e, out);
    return 0;
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t split_below(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k) /* k * 2 < n, without overflow */
        k <<= 1;
    return k;
}

/*
 * MTH of leaves [lo, lo + size), size >= 1, where lo is a multiple of every
 * perfect subtree size names (as in RFC 6962's own splits): its perfect
 * subtrees by the set bits of size, largest first, folded from the right.
 */
static int range_hash(uint64_t lo, uint64_t size, ikr_merkle_get_fn get, void *ctx,
                      uint8_t out[IKR_HASH_LEN])
{
    int have = 0;
    for (unsigned l = 0; l < IKR_MERKLE_MAX_LEVEL; l++) {
        if (!(size >> l & 1))
            continue;
        /* The subtree for bit l starts after the larger ones. */
        uint64_t start = lo + ((size >> (l + 1)) << (l + 1));
        uint8_t h[IKR_HASH_LEN];
        if (start & ((UINT64_C(1) << l) - 1))
            return -1; /* not aligned: no stored node is this part */
        int rc = get(ctx, l, start >> l, h);
        if (rc)
            return rc;
        if (!have) {
            memcpy(out, h, IKR_HASH_LEN);
            have = 1;
        } else {
            ikr_merkle_node(out, h, out);
        }
    }
    return have ? 0 : -1;
}

struct proof_out {
    uint8_t (*h)[IKR_HASH_LEN];
    size_t max, len;
    ikr_merkle_get_fn get;
    void *ctx;
};

static int proof_add(struct proof_out *p, uint64_t lo, uint64_t size)
{
    if (p->len >= p->max)
        return -1;
    int rc = range_hash(lo, size, p->get, p->ctx, p->h[p->len]);
    if (rc)
        return rc;
    p->len++;
    return 0;
}

/* RFC 6962's SUBPROOF(m, D[lo : lo + n], whole) with the hashes in its order. */
static int subproof(struct proof_out *p, uint64_t m, uint64_t lo, uint64_t n, int whole)
{
    if (m == n)
        return whole ? 0 : proof_add(p, lo, n);
    uint64_t k = split_below(n);
    int rc;
    if (m <= k) {
        if ((rc = subproof(p, m, lo, k, whole)))
            return rc;
        return proof_add(p, lo + k, n - k);
    }
    if ((rc = subproof(p, m - k, lo + k, n - k, 0)))
        return rc;
    return proof_add(p, lo, k);
}

int ikr_merkle_consistency_proof(uint64_t m, uint64_t n, ikr_merkle_get_fn get, void *ctx,
                                 uint8_t out[][IKR_HASH_LEN], size_t max, size_t *len)
{
    struct proof_out p = {out, max, 0, get, ctx};
    *len = 0;
    if (m == 0 || m > n)
        return -1;
    int rc = subproof(&p, m, 0, n, 1);
    if (rc)
        return rc;
    *len = p.len;
    return 0;
}

int ikr_merkle_consistency_verify(uint64_t m, uint64_t n, const uint8_t old_root[IKR_HASH_LEN],
                                  const uint8_t new_root[IKR_HASH_LEN],
                                  const uint8_t (*proof)[IKR_HASH_LEN], size_t len)
{
    if (m == 0 || m > n || len > IKR_MERKLE_MAX_PROOF)
        return -1;
    if (m == n)
        return len == 0 && memcmp(old_root, new_root, IKR_HASH_LEN) == 0 ? 0 : -1;
    if (len == 0)
        return -1;
    /* When m is a power of two the old root is the path's unsent first hash. */
    int first_is_old = (m & (m - 1)) == 0;
    size_t total = len + (size_t)first_is_old, i = 0;
#define PATH(j) (first_is_old ? ((j) == 0 ? old_root : proof[(j)-1]) : proof[(j)])
    uint64_t fn = m - 1, sn = n - 1;
    uint8_t fr[IKR_HASH_LEN], sr[IKR_HASH_LEN];
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    memcpy(fr, PATH(i), IKR_HASH_LEN);
    memcpy(sr, PATH(i), IKR_HASH_LEN);
    for (i = 1; i < total; i++) {
        const uint8_t *c = PATH(i);
        if (sn == 0)
            return -1;
        if ((fn & 1) || fn == sn) {
            ikr_merkle_node(fr, c, fr);
            ikr_merkle_node(sr, c, sr);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            ikr_merkle_node(sr, sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
#undef PATH
    if (sn != 0 || memcmp(fr, old_root, IKR_HASH_LEN) != 0 ||
        memcmp(sr, new_root, IKR_HASH_LEN) != 0)
        return -1;
    return 0;
}
