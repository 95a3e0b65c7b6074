/*
 * test_nip.c: the NIP rules (nip.h).  Each rule has a case that breaks only
 * that rule, starting from a valid NIP, so the order of the checks is tested
 * as well as the checks.
 */
#include <stdint.h>

#include "check.h"
#include "ikrar/err.h"
#include "ikrar/nip.h"
#include "ikrar/record.h"

/*
 * Unix time of y-m-d hh:mm:ss UTC, counted the slow way (day by day through
 * the years) so that it shares nothing with the calendar code under test.
 */
static int64_t unix_at(int y, int m, int d, int hh, int mm, int ss)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t days = 0;
    for (int yy = 1970; yy < y; yy++)
        days += (yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0)) ? 366 : 365;
    for (int yy = y; yy < 1970; yy++)
        days -= (yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0)) ? 366 : 365;
    int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    for (int k = 1; k < m; k++)
        days += mdays[k - 1] + (k == 2 && leap);
    days += d - 1;
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

#define PNS IKR_STATUS_PNS
#define PPPK IKR_STATUS_PPPK
#define NONASN IKR_STATUS_NON_ASN

static void test_presence(int64_t now)
{
    check("NON-ASN without NIP", ikr_nip_check(NULL, NONASN, now) == IKR_OK);
    check("NON-ASN with empty NIP", ikr_nip_check("", NONASN, now) == IKR_OK);
    check("NON-ASN with NIP",
          ikr_nip_check("198503302010012003", NONASN, now) == IKR_E_NIP_FORBIDDEN);
    check("NON-ASN with junk NIP", ikr_nip_check("x", NONASN, now) == IKR_E_NIP_FORBIDDEN);
    check("18 digits and a stray UTF-8 continuation byte",
          ikr_nip_check("198503302010012003\xbb", PNS, now) == IKR_E_NIP_DIGITS);
    check("18 digits and a whole two-byte character",
          ikr_nip_check("198503302010012003\xc2\xbb", PNS, now) == IKR_E_NIP_LENGTH);
    check("PNS without NIP", ikr_nip_check(NULL, PNS, now) == IKR_E_NIP_REQUIRED);
    check("PNS empty NIP", ikr_nip_check("", PNS, now) == IKR_E_NIP_REQUIRED);
    check("PPPK without NIP", ikr_nip_check(NULL, PPPK, now) == IKR_E_NIP_REQUIRED);
    check("unknown status", ikr_nip_check("198503302010012003", 7, now) == IKR_E_STATUS);
    check("negative status", ikr_nip_check(NULL, -1, now) == IKR_E_STATUS);
}

static void test_shape(int64_t now)
{
    check("17 digits", ikr_nip_check("19850330201001200", PNS, now) == IKR_E_NIP_LENGTH);
    check("19 digits", ikr_nip_check("1985033020100120030", PNS, now) == IKR_E_NIP_LENGTH);
    check("with spaces (21 chars)",
          ikr_nip_check("19850330 201001 2 003", PNS, now) == IKR_E_NIP_LENGTH);
    check("one digit", ikr_nip_check("1", PPPK, now) == IKR_E_NIP_LENGTH);
    check("18 chars with a letter",
          ikr_nip_check("19850330201001200X", PNS, now) == IKR_E_NIP_DIGITS);
    check("18 chars with a sign",
          ikr_nip_check("-98503302010012003", PNS, now) == IKR_E_NIP_DIGITS);
    check("18 chars with a space",
          ikr_nip_check("19850330 010012003", PNS, now) == IKR_E_NIP_DIGITS);
    /* U+0663 ARABIC-INDIC DIGIT THREE is two bytes but one character. */
    check("18 chars, last one non-ASCII digit",
          ikr_nip_check("19850330201001200\xD9\xA3", PNS, now) == IKR_E_NIP_DIGITS);
    check("18 chars, first one non-ASCII", ikr_nip_check("\xD9\xA1"
                                                         "98503302010012003",
                                                         PPPK, now) == IKR_E_NIP_DIGITS);
}

static void test_pns(int64_t now)
{
    check("valid PNS", ikr_nip_check("198503302010012003", PNS, now) == IKR_OK);
    check("valid PNS, man", ikr_nip_check("197001011995031001", PNS, now) == IKR_OK);
    check("valid PNS, serial 999", ikr_nip_check("197001011995031999", PNS, now) == IKR_OK);

    /* BIRTH */
    check("birth month 13", ikr_nip_check("198513302010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth month 00", ikr_nip_check("198500302010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth day 00", ikr_nip_check("198503002010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth day 32", ikr_nip_check("198501322010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth Apr 31", ikr_nip_check("198504312010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth Feb 29 in a common year",
          ikr_nip_check("198502292010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth Feb 30 in a leap year",
          ikr_nip_check("198402302010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth Feb 29 1984 (leap)", ikr_nip_check("198402292010012003", PNS, now) == IKR_OK);
    check("birth Feb 29 2000 (leap by 400)",
          ikr_nip_check("200002292018032001", PNS, now) == IKR_OK);
    check("birth Feb 29 1900 (not leap)",
          ikr_nip_check("190002291920012001", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth 1899", ikr_nip_check("189912311920012001", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth 1900-01-01", ikr_nip_check("190001011920012001", PNS, now) == IKR_OK);
    check("birth year 0000", ikr_nip_check("000001012010012003", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth in a future year",
          ikr_nip_check("203001012010012003", PNS, now) == IKR_E_NIP_BIRTH);
    /* now is 2025-06-15: born tomorrow is refused as a birth date; born today
     * passes that check and fails the next one. */
    check("birth tomorrow", ikr_nip_check("202506162025062001", PNS, now) == IKR_E_NIP_BIRTH);
    check("birth today", ikr_nip_check("202506152025062001", PNS, now) == IKR_E_NIP_TMT_AGE);
    check("birth and gender bad: birth first",
          ikr_nip_check("198513302010019003", PNS, now) == IKR_E_NIP_BIRTH);

    /* TMT */
    check("TMT month 00", ikr_nip_check("198503302010002003", PNS, now) == IKR_E_NIP_TMT);
    check("TMT month 13", ikr_nip_check("198503302010132003", PNS, now) == IKR_E_NIP_TMT);
    check("TMT next month", ikr_nip_check("198503302025072003", PNS, now) == IKR_E_NIP_TMT);
    check("TMT next year", ikr_nip_check("198503302026012003", PNS, now) == IKR_E_NIP_TMT);
    check("TMT this month", ikr_nip_check("198503302025062003", PNS, now) == IKR_OK);
    check("TMT and gender bad: TMT first",
          ikr_nip_check("198503302010130000", PNS, now) == IKR_E_NIP_TMT);

    /* TMT_AGE: born 1985-03, 18 in 2003-03. */
    check("TMT at 17", ikr_nip_check("198503302003022003", PNS, now) == IKR_E_NIP_TMT_AGE);
    check("TMT the month of turning 18", ikr_nip_check("198503302003032003", PNS, now) == IKR_OK);
    check("TMT before birth", ikr_nip_check("198503301980012003", PNS, now) == IKR_E_NIP_TMT_AGE);
    check("TMT year 0000", ikr_nip_check("198503300000012003", PNS, now) == IKR_E_NIP_TMT_AGE);
    check("TMT_AGE and gender bad: TMT_AGE first",
          ikr_nip_check("198503302003020000", PNS, now) == IKR_E_NIP_TMT_AGE);

    /* GENDER */
    check("gender 0", ikr_nip_check("198503302010010003", PNS, now) == IKR_E_NIP_GENDER);
    check("gender 3", ikr_nip_check("198503302010013003", PNS, now) == IKR_E_NIP_GENDER);
    check("gender 9", ikr_nip_check("198503302010019003", PNS, now) == IKR_E_NIP_GENDER);
    check("gender and serial bad: gender first",
          ikr_nip_check("198503302010010000", PNS, now) == IKR_E_NIP_GENDER);

    /* SERIAL */
    check("serial 000", ikr_nip_check("198503302010012000", PNS, now) == IKR_E_NIP_SERIAL);
    check("serial 001", ikr_nip_check("198503302010012001", PNS, now) == IKR_OK);
    check("serial 100", ikr_nip_check("198503302010012100", PNS, now) == IKR_OK);
}

static void test_pppk(int64_t now)
{
    check("valid PPPK", ikr_nip_check("199001012021011001", PPPK, now) == IKR_OK);
    check("PPPK middle digits free", ikr_nip_check("199001012021992001", PPPK, now) == IKR_OK);
    check("PPPK serial 000 allowed", ikr_nip_check("199001012021011000", PPPK, now) == IKR_OK);
    check("PPPK birth strict", ikr_nip_check("199002302021011001", PPPK, now) == IKR_E_NIP_BIRTH);
    check("PPPK leap-day birth", ikr_nip_check("199202292021011001", PPPK, now) == IKR_OK);
    check("PPPK year at 14", ikr_nip_check("199001012004011001", PPPK, now) == IKR_E_NIP_PPPK_YEAR);
    check("PPPK year at 15", ikr_nip_check("199001012005011001", PPPK, now) == IKR_OK);
    check("PPPK year next year", ikr_nip_check("199001012026011001", PPPK, now) == IKR_OK);
    check("PPPK year in two years",
          ikr_nip_check("199001012027011001", PPPK, now) == IKR_E_NIP_PPPK_YEAR);
    check("PPPK year 0000", ikr_nip_check("199001010000011001", PPPK, now) == IKR_E_NIP_PPPK_YEAR);
    check("PPPK gender 0", ikr_nip_check("199001012021010001", PPPK, now) == IKR_E_NIP_GENDER);
    check("PPPK gender 3", ikr_nip_check("199001012021013001", PPPK, now) == IKR_E_NIP_GENDER);
    check("PPPK year and gender bad: year first",
          ikr_nip_check("199001012099013001", PPPK, now) == IKR_E_NIP_PPPK_YEAR);
    check("PNS NIP with month 13 in a PPPK NIP's middle is fine",
          ikr_nip_check("198503302010132003", PPPK, now) == IKR_OK);
    check("same digits as PNS fail TMT",
          ikr_nip_check("198503302010132003", PNS, now) == IKR_E_NIP_TMT);
}

/* The calendar at its edges: UTC day and month boundaries, leap days, and
 * times before 1970. */
static void test_calendar(void)
{
    int64_t end_june = unix_at(2025, 6, 30, 23, 59, 59);
    check("TMT 2025-07 one second early",
          ikr_nip_check("198503302025072003", PNS, end_june) == IKR_E_NIP_TMT);
    check("TMT 2025-07 on the first second of July",
          ikr_nip_check("198503302025072003", PNS, end_june + 1) == IKR_OK);

    int64_t end_year = unix_at(2025, 12, 31, 23, 59, 59);
    check("TMT 2026-01 one second early",
          ikr_nip_check("198503302026012003", PNS, end_year) == IKR_E_NIP_TMT);
    check("TMT 2026-01 at new year",
          ikr_nip_check("198503302026012003", PNS, end_year + 1) == IKR_OK);

    int64_t leap_day = unix_at(2024, 2, 29, 12, 0, 0);
    check("born on today's leap day",
          ikr_nip_check("202402292024022001", PNS, leap_day) == IKR_E_NIP_TMT_AGE);
    check("born the day after a leap day",
          ikr_nip_check("202403012024022001", PNS, leap_day) == IKR_E_NIP_BIRTH);
    int64_t mar1 = unix_at(2024, 3, 1, 0, 0, 0);
    check("born on 1 March, at its first second",
          ikr_nip_check("202403012024032001", PNS, mar1) == IKR_E_NIP_TMT_AGE);
    check("born on 1 March, one second before",
          ikr_nip_check("202403012024032001", PNS, mar1 - 1) == IKR_E_NIP_BIRTH);

    /* 2100 is not a leap year; 2400 is. */
    int64_t y2101 = unix_at(2101, 1, 1, 0, 0, 0);
    check("birth 2100-02-29 refused",
          ikr_nip_check("210002292100022001", PNS, y2101) == IKR_E_NIP_BIRTH);
    int64_t y2401 = unix_at(2401, 1, 1, 0, 0, 0);
    check("birth 2400-02-29 accepted",
          ikr_nip_check("240002292400022001", PNS, y2401) == IKR_E_NIP_TMT_AGE);

    int64_t y1960 = unix_at(1960, 1, 1, 0, 0, 0);
    check("signing before 1970: valid", ikr_nip_check("194001011959121001", PNS, y1960) == IKR_OK);
    check("signing before 1970: TMT this month",
          ikr_nip_check("194001011960011001", PNS, y1960) == IKR_OK);
    check("signing before 1970: TMT next month",
          ikr_nip_check("194001011960021001", PNS, y1960) == IKR_E_NIP_TMT);
    check("signing before 1970: born tomorrow",
          ikr_nip_check("196001021960011001", PNS, y1960) == IKR_E_NIP_BIRTH);
    check("signing on 1969-12-31 23:59:59",
          ikr_nip_check("196912311960011001", PNS, -1) == IKR_E_NIP_TMT_AGE);
    check("born 1970-01-01, signing on 1969-12-31",
          ikr_nip_check("197001011960011001", PNS, -1) == IKR_E_NIP_BIRTH);
}

int main(void)
{
    int64_t now = unix_at(2025, 6, 15, 12, 0, 0);
    check("test clock", now == 1749988800);
    test_presence(now);
    test_shape(now);
    test_pns(now);
    test_pppk(now);
    test_calendar();
    return check_report();
}
