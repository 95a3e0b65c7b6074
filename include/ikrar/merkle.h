/*
 * merkle.h: Merkle tree hashing of RFC 6962 §2.1.
 *
 * A tree of size n is stored as its perfect subtrees: node (level, index)
 * is the hash of leaves [index << level, (index + 1) << level).  Appending a
 * leaf creates that leaf's node and every perfect subtree it completes
 * (amortised two nodes a leaf), and the root at any size m is the right fold
 * of the perfect subtrees that m's binary digits name: O(log m) nodes.
 */
#ifndef IKRAR_MERKLE_H
#define IKRAR_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#define IKR_MERKLE_MAX_LEVEL 64
/* Hashes a consistency proof may hold: a 64-bit tree needs at most 65. */
#define IKR_MERKLE_MAX_PROOF 128

/* SHA-256(0x00 || data). */
void ikr_merkle_leaf(uint8_t out[IKR_HASH_LEN], const uint8_t *data, size_t n);
/* SHA-256(0x01 || l || r). */
void ikr_merkle_node(uint8_t out[IKR_HASH_LEN], const uint8_t l[IKR_HASH_LEN],
                     const uint8_t r[IKR_HASH_LEN]);

/* Called for each node an append completes, leaf (level 0) first. */
typedef int (*ikr_merkle_node_fn)(void *ctx, unsigned level, uint64_t index,
                                  const uint8_t hash[IKR_HASH_LEN]);

/* The right edge of a tree: h[l] is its perfect subtree of 2^l leaves, valid where bit l of size is
 * set. */
typedef struct ikr_merkle_edge {
    uint64_t size;
    uint8_t h[IKR_MERKLE_MAX_LEVEL][IKR_HASH_LEN];
} ikr_merkle_edge;

void ikr_merkle_edge_init(ikr_merkle_edge *e);
/*
 * Appends a leaf hash.  fn (may be NULL) hears of each completed node; a
 * non-zero return from it stops the append and is returned.
 */
int ikr_merkle_edge_push(ikr_merkle_edge *e, const uint8_t leaf[IKR_HASH_LEN],
                         ikr_merkle_node_fn fn, void *ctx);
/* Root of the tree; the empty tree's root is SHA-256 of nothing. */
void ikr_merkle_edge_root(const ikr_merkle_edge *e, uint8_t out[IKR_HASH_LEN]);

/* Fetches a stored perfect-subtree hash; 0 found, non-zero otherwise. */
typedef int (*ikr_merkle_get_fn)(void *ctx, unsigned level, uint64_t index,
                                 uint8_t out[IKR_HASH_LEN]);
/* Root at size m from stored perfect subtrees; returns get's failure or 0. */
int ikr_merkle_root_at(uint8_t out[IKR_HASH_LEN], uint64_t m, ikr_merkle_get_fn get, void *ctx);
/* The edge of size m (to append after it) from stored perfect subtrees. */
int ikr_merkle_edge_at(ikr_merkle_edge *e, uint64_t m, ikr_merkle_get_fn get, void *ctx);

/*
 * Consistency proof from size m to size n (RFC 6962 §2.1.2, RFC 9162
 * §2.1.4.1): 0 < m <= n, m == n gives none.  Every hash comes from stored
 * perfect subtrees through get; a part of the tree that is not a perfect
 * subtree is the right fold of the perfect ones it covers.  Writes *len
 * hashes to out (at most max).  0; get's non-zero failure; or -1 when m, n
 * are out of range or the proof would not fit in max.
 */
int ikr_merkle_consistency_proof(uint64_t m, uint64_t n, ikr_merkle_get_fn get, void *ctx,
                                 uint8_t out[][IKR_HASH_LEN], size_t max, size_t *len);
/*
 * Checks a consistency proof between the tree of size m with root old_root
 * and the tree of size n with root new_root (RFC 9162 §2.1.4.2): 0 when it
 * holds, -1 otherwise.  m == 0 or m > n is refused; m == n holds only with
 * no proof and equal roots; len is at most IKR_MERKLE_MAX_PROOF.  A root
 * does not name its size (some proofs fit more than one pair of sizes), so
 * take m, n and the roots together from signed checkpoints.
 */
int ikr_merkle_consistency_verify(uint64_t m, uint64_t n, const uint8_t old_root[IKR_HASH_LEN],
                                  const uint8_t new_root[IKR_HASH_LEN],
                                  const uint8_t (*proof)[IKR_HASH_LEN], size_t len);

#endif
