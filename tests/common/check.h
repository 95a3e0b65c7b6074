/*
 * check.h: the test harness.  check(desc, cond) counts and reports; a test
 * program ends with `return check_report();`, which prints
 * "N passed, N failed" and fails the program if anything failed.
 */
#ifndef IKRAR_CHECK_H
#define IKRAR_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

#define check(desc, cond)                                                                          \
    do {                                                                                           \
        if (cond) {                                                                                \
            check_passed_++;                                                                       \
        } else {                                                                                   \
            check_failed_++;                                                                       \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, (desc));                       \
        }                                                                                          \
    } while (0)

/* Compares n bytes with a hex string. */
static inline int check_hex_eq_(const unsigned char *p, size_t n, const char *hex)
{
    static const char digits[] = "0123456789abcdef";
    if (strlen(hex) != 2 * n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (hex[2 * i] != digits[p[i] >> 4] || hex[2 * i + 1] != digits[p[i] & 15])
            return 0;
    return 1;
}
#define check_hex(desc, p, n, hex)                                                                 \
    check(desc, check_hex_eq_((const unsigned char *)(p), (n), (hex)))

static inline int check_report(void)
{
    printf("%d passed, %d failed\n", check_passed_, check_failed_);
    return check_failed_ ? 1 : 0;
}

#endif
