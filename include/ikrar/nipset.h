/*
 * nipset.h: a set of NIPs, each with where it was first seen (a record's
 * seq, a file's line).  A NIP is 18 digits, so it is kept as a number; the
 * set is open addressing with Fibonacci hashing, since NIPs share long
 * prefixes and only their low digits differ.  Used wherever one NIP twice
 * is a finding: the audits and the roster import.
 */
#ifndef IKRAR_NIPSET_H
#define IKRAR_NIPSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct ikr_nipset {
    uint64_t *key; /* 0 = empty; a NIP is stored as its value + 1 */
    uint64_t *at;
    size_t cap, n;
} ikr_nipset;

#define IKR_NIPSET_INIT                                                                            \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/*
 * Adds nip (18 ASCII digits) seen at `at` (not 0): returns 0 when it is new,
 * the `at` it was first seen at otherwise, or UINT64_MAX when out of memory.
 */
uint64_t ikr_nipset_add(ikr_nipset *s, const char *nip, uint64_t at);
void ikr_nipset_free(ikr_nipset *s);

#endif
