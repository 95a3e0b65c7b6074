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
