/*
 * nip.h: the 18-digit Nomor Induk Pegawai.
 *
 * PNS: YYYYMMDD birth date, YYYYMM appointment (TMT), gender digit (1 man,
 * 2 woman), three-digit serial above 000.  The TMT is a real month, not
 * before the month the signer turned 18 and not after `now`.
 * PPPK: YYYYMMDD birth date, YYYY year of appointment, two digits of contract
 * count, gender digit, three-digit serial.  Published descriptions disagree
 * on the middle, so the birth date, the gender digit and the length are
 * strict, the year only plausible.
 */
#ifndef IKRAR_NIP_H
#define IKRAR_NIP_H

#include <stdint.h>

/*
 * Checks nip for a signer of the given status (IKR_STATUS_*) at Unix time
 * now.  Returns IKR_OK or the first IKR_E_NIP_* code that applies:
 * REQUIRED (PNS/PPPK without one), FORBIDDEN (NON-ASN with one), LENGTH,
 * DIGITS, BIRTH, TMT, TMT_AGE, GENDER, SERIAL, PPPK_YEAR.  nip may be NULL.
 */
int ikr_nip_check(const char *nip, int status, int64_t now);

#endif
