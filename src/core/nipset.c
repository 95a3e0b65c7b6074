/*
 * nipset.c: a set of NIPs as numbers (see nipset.h).
 */
#include "ikrar/nipset.h"

#include <stdlib.h>

static uint64_t value(const char *nip)
{
    uint64_t v = 0;
    for (const char *p = nip; *p; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    return v + 1;
}

static size_t slot_of(uint64_t k, size_t cap)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

uint64_t ikr_nipset_add(ikr_nipset *s, const char *nip, uint64_t at)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *key = calloc(cap, sizeof *key), *where = calloc(cap, sizeof *where);
        if (!key || !where) {
            free(key);
            free(where);
            return UINT64_MAX;
        }
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->key[i])
                continue;
            size_t j = slot_of(s->key[i], cap);
            while (key[j])
                j = (j + 1) & (cap - 1);
            key[j] = s->key[i];
            where[j] = s->at[i];
        }
        free(s->key);
        free(s->at);
        s->key = key;
        s->at = where;
        s->cap = cap;
    }
    uint64_t k = value(nip);
    size_t j = slot_of(k, s->cap);
    while (s->key[j]) {
        if (s->key[j] == k)
            return s->at[j];
        j = (j + 1) & (s->cap - 1);
    }
    s->key[j] = k;
    s->at[j] = at;
    s->n++;
    return 0;
}

void ikr_nipset_free(ikr_nipset *s)
{
    free(s->key);
    free(s->at);
    s->key = s->at = NULL;
    s->cap = s->n = 0;
}
