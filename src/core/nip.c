/*
 * nip.c: the plausibility rules of a NIP (nip.h).
 *
 * A NIP cannot be looked up at a kiosk, so these rules only catch typing
 * mistakes and obvious inventions: the digits must spell a real birth date
 * and, for a PNS, a real appointment month at an adult age.  Today's date
 * is taken from Unix seconds in UTC, never through the local time zone, so
 * that the same NIP gets the same answer on every machine.  The checks run in a fixed order
 * and the first one that fails names the error, which the tests rely on.
 */
#include "ikrar/nip.h"

#include <stddef.h>
#include <time.h>

#include "ikrar/err.h"
#include "ikrar/limits.h"
#include "ikrar/record.h"

/* A calendar date; months and days count from 1. */
typedef struct civil {
    int64_t y;
    int m, d;
} civil;

/*
 * The UTC date of Unix time t.  gmtime_r works in UTC and never consults
 * the time zone, so the same NIP gets the same answer on every machine.
 */
static civil civil_from_unix(int64_t t)
{
    civil c = {1970, 1, 1};
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm)) {
        c.y = (int64_t)tm.tm_year + 1900;
        c.m = tm.tm_mon + 1;
        c.d = tm.tm_mday;
    }
    return c;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* The value of the n decimal digits at s (already known to be digits). */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Characters in s, counting a UTF-8 sequence once, so that a NIP typed with
 * one non-ASCII digit among 18 is called "not digits" rather than "too long". */
static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Compares dates; <0, 0, >0 like strcmp. */
static int civil_cmp(civil a, civil b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return a.d < b.d ? -1 : a.d > b.d;
}

/* Digits 1-8: a real date from 1900-01-01 up to today. */
static int check_birth(const char *nip, civil today, civil *birth)
{
    birth->y = digits_value(nip, 4);
    birth->m = digits_value(nip + 4, 2);
    birth->d = digits_value(nip + 6, 2);
    if (birth->y < 1900 || birth->m < 1 || birth->m > 12 || birth->d < 1 ||
        birth->d > days_in_month(birth->y, birth->m))
        return IKR_E_NIP_BIRTH;
    if (civil_cmp(*birth, today) > 0)
        return IKR_E_NIP_BIRTH;
    return IKR_OK;
}

/* Digits 9-18 of a PNS NIP: TMT (YYYYMM), gender, serial. */
static int check_pns(const char *nip, civil birth, civil today)
{
    int64_t ty = digits_value(nip + 8, 4);
    int tm = digits_value(nip + 12, 2);
    if (tm < 1 || tm > 12)
        return IKR_E_NIP_TMT;
    /* Months as one count, so that "YYYYMM" compares in one step. */
    int64_t tmt = ty * 12 + (tm - 1);
    if (tmt > today.y * 12 + (today.m - 1))
        return IKR_E_NIP_TMT;
    if (tmt < (birth.y + 18) * 12 + (birth.m - 1))
        return IKR_E_NIP_TMT_AGE;
    if (nip[14] != '1' && nip[14] != '2')
        return IKR_E_NIP_GENDER;
    if (nip[15] == '0' && nip[16] == '0' && nip[17] == '0')
        return IKR_E_NIP_SERIAL;
    return IKR_OK;
}

/*
 * Digits 9-18 of a PPPK NIP.  Sources disagree on digits 9-14, so only the
 * year is checked, and loosely: not before the signer was 15, not after next
 * year (an appointment decree may be dated ahead).  The contract count and
 * the serial are taken as they are.
 */
static int check_pppk(const char *nip, civil birth, civil today)
{
    int64_t year = digits_value(nip + 8, 4);
    if (year < birth.y + 15 || year > today.y + 1)
        return IKR_E_NIP_PPPK_YEAR;
    if (nip[14] != '1' && nip[14] != '2')
        return IKR_E_NIP_GENDER;
    return IKR_OK;
}

int ikr_nip_check(const char *nip, int status, int64_t now)
{
    if (status != IKR_STATUS_PNS && status != IKR_STATUS_PPPK && status != IKR_STATUS_NON_ASN)
        return IKR_E_STATUS;
    int given = nip && nip[0] != '\0';
    if (status == IKR_STATUS_NON_ASN)
        return given ? IKR_E_NIP_FORBIDDEN : IKR_OK;
    if (!given)
        return IKR_E_NIP_REQUIRED;

    if (count_chars(nip) != IKR_NIP_LEN)
        return IKR_E_NIP_LENGTH;
    for (size_t i = 0; i < IKR_NIP_LEN; i++)
        if (nip[i] < '0' || nip[i] > '9')
            return IKR_E_NIP_DIGITS;
    /* 18 digits and then a stray UTF-8 continuation byte count as 18 characters: not a NIP. */
    if (nip[IKR_NIP_LEN] != '\0')
        return IKR_E_NIP_DIGITS;

    civil today = civil_from_unix(now);
    civil birth;
    int rc = check_birth(nip, today, &birth);
    if (rc != IKR_OK)
        return rc;
    return status == IKR_STATUS_PNS ? check_pns(nip, birth, today) : check_pppk(nip, birth, today);
}
