/*
 * test_err: every result code has its message in both languages, and the
 * formatter puts in what the message names, never cut mid-way or left with
 * a dangling "{...}".
 */
#include <string.h>

#include "check.h"
#include "ikrar/err.h"
#include "ikrar/zone.h"

int main(void)
{
    int all = 1, distinct = 1;
    const char *unknown_id = ikr_code_text(-1, IKR_LANG_ID);
    const char *unknown_en = ikr_code_text(-1, IKR_LANG_EN);
    for (int c = 0; c < IKR_E_COUNT_; c++) {
        const char *id = ikr_code_text(c, IKR_LANG_ID), *en = ikr_code_text(c, IKR_LANG_EN);
        if (id == unknown_id || en == unknown_en || !*id || !*en) {
            fprintf(stderr, "code %d lacks a message\n", c);
            all = 0;
        }
        if (strcmp(id, en) == 0 && c != IKR_OK) {
            fprintf(stderr, "code %d has one text for both languages\n", c);
            distinct = 0;
        }
    }
    check("every code has an Indonesian and an English message", all);
    check("no message is left untranslated", distinct);

    ikr_err e;
    char buf[300];
    ikr_err_clear(&e);
    ikr_err_set(&e, IKR_E_NIP_DUPLICATE, NULL);
    ikr_err_at(&e, IKR_E_NIP_DUPLICATE, 42, 1727690000);
    ikr_err_format(&e, IKR_LANG_ID, buf, sizeof buf);
    check("Indonesian duplicate message names the number and the WIB time",
          strcmp(buf, "NIP ini sudah menandatangani pada 2024-09-30 16:53 WIB sebagai nomor 42.") ==
              0);
    ikr_err_format(&e, IKR_LANG_EN, buf, sizeof buf);
    check("English duplicate message",
          strcmp(buf, "This NIP already signed on 2024-09-30 16:53 WIB as number 42.") == 0);

    e.zone_min = IKR_ZONE_WIT;
    ikr_err_format(&e, IKR_LANG_ID, buf, sizeof buf);
    check("in a kiosk in Papua the time is WIT, two hours on",
          strcmp(buf, "NIP ini sudah menandatangani pada 2024-09-30 18:53 WIT sebagai nomor 42.") ==
              0);

    ikr_err_clear(&e);
    ikr_err_set(&e, IKR_E_IO, "%s: %s", "/data/ikrar.db", "Permission denied");
    ikr_err_set(&e, IKR_E_DB, "later cause");
    check("the first cause wins", e.code == IKR_E_IO);
    ikr_err_format(&e, IKR_LANG_EN, buf, sizeof buf);
    check("detail is put in",
          strcmp(buf, "Could not read or write a file: /data/ikrar.db: Permission denied.") == 0);
    ikr_err_clear(&e);
    ikr_err_set(&e, IKR_E_IO, NULL);
    ikr_err_format(&e, IKR_LANG_ID, buf, sizeof buf);
    check("an empty detail leaves no dangling colon",
          strcmp(buf, "Gagal membaca atau menulis berkas.") == 0);
    ikr_err_format(&e, IKR_LANG_ID, buf, 10);
    check("a short buffer is cut, still terminated", strlen(buf) == 9);
    check("NULL error formats as internal",
          ikr_err_format(NULL, IKR_LANG_EN, buf, sizeof buf) && strstr(buf, "Internal"));
    check("refusals are the signer's details only",
          ikr_code_is_refusal(IKR_E_NIP_GENDER) && ikr_code_is_refusal(IKR_E_INK_EMPTY) &&
              !ikr_code_is_refusal(IKR_E_DISK_FULL) && !ikr_code_is_refusal(IKR_E_RCPT_SIG));
    check("ikr_err_at with no error struct returns the code",
          ikr_err_at(NULL, IKR_E_RCPT_LEAF, 1, 0) == IKR_E_RCPT_LEAF);
    char z[40];
    check("zones by name", ikr_zone_parse("wita") == IKR_ZONE_WITA &&
                               ikr_zone_parse("WIT") == IKR_ZONE_WIT &&
                               ikr_zone_parse("WIB") == IKR_ZONE_WIB && ikr_zone_parse("UTC") < 0);
    check("a time in WITA", strcmp(ikr_zone_format(z, sizeof z, 1727690000, IKR_ZONE_WITA, 1),
                                   "2024-09-30 17:53:20 WITA") == 0);
    return check_report();
}
