/*
 * testdata.h: reading the files of tests/data (see its README.md), whose
 * folder CMake passes to every test as IKRAR_TEST_DATA.
 *
 *   td_path(out, n, "vectors/seed.hex")   the file's full path
 *   td_read("bundle/checkpoint", &b)      the whole file into b (NUL-terminated)
 *   td_line("vectors/kid.hex", &b)        the same, less its final newline: a value
 *   td_hex("vectors/record.cose.hex", &b) the bytes the file's hex line spells
 *   td_put(dir, "seq-1.txt", p, n)      writes n bytes as dir/name (for --write)
 *
 * Each returns 0, or prints why to stderr and returns -1 (the caller's
 * check() then fails), so a missing or damaged file fails a test loudly.
 */
#ifndef IKRAR_TESTDATA_H
#define IKRAR_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/file.h"

#define TD_MAX_FILE (1u << 20) /* bytes of one test file, at most */

static inline const char *td_dir(void)
{
    const char *d = getenv("IKRAR_TEST_DATA");
    if (!d || !*d)
        fprintf(stderr, "IKRAR_TEST_DATA is not set (ctest sets it to tests/data)\n");
    return d && *d ? d : NULL;
}

static inline int td_path(char *out, size_t n, const char *rel)
{
    const char *d = td_dir();
    if (!d)
        return -1;
    int k = snprintf(out, n, "%s/%s", d, rel);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

static inline int td_read(const char *rel, ikr_buf *out)
{
    char path[2048];
    ikr_err e;
    ikr_err_clear(&e);
    if (td_path(path, sizeof path, rel))
        return -1;
    if (ikr_file_read(path, TD_MAX_FILE, out, &e) != 0) {
        fprintf(stderr, "cannot read %s: %s\n", path, e.detail);
        return -1;
    }
    return 0;
}

static inline int td_line(const char *rel, ikr_buf *out)
{
    if (td_read(rel, out))
        return -1;
    if (out->len == 0 || out->p[out->len - 1] != '\n') {
        fprintf(stderr, "%s: does not end in one newline\n", rel);
        return -1;
    }
    out->p[--out->len] = '\0';
    return 0;
}

static inline int td_hexval_(uint8_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static inline int td_hex(const char *rel, ikr_buf *out)
{
    ikr_buf line;
    ikr_buf_init(&line);
    int rc = td_line(rel, &line);
    if (!rc && (line.len % 2 || ikr_buf_reserve(out, line.len / 2 + 1))) {
        fprintf(stderr, "%s: not a hex line\n", rel);
        rc = -1;
    }
    for (size_t i = 0; !rc && i < line.len; i += 2) {
        int hi = td_hexval_(line.p[i]), lo = td_hexval_(line.p[i + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "%s: not lowercase hex at %zu\n", rel, i);
            rc = -1;
        } else {
            out->p[out->len++] = (uint8_t)(hi << 4 | lo);
        }
    }
    ikr_buf_free(&line);
    return rc;
}

/* Writes p[0..n) as dir/name, whole; 0, or -1 after saying why on stderr. */
static inline int td_put(const char *dir, const char *name, const void *p, size_t n)
{
    char path[2048];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fprintf(stderr, "  path too long: %s/%s\n", dir, name);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(p, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "  cannot write %s\n", path);
    return ok ? 0 : -1;
}

#endif
