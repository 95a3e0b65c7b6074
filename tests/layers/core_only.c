/*
 * core_only: a program linked with the core alone that takes the address
 * of everything `ikrar audit` and `ikrar verify` run, so the static linker
 * pulls all of it in.  layers.sh asks ldd what it loads: an auditor's
 * build must need nothing that prints, scans or draws.  It is only linked,
 * never run for a result; run, it says how many entry points it holds.
 */
#include <stdio.h>

#include "ikrar/audit.h"
#include "ikrar/bundle.h"
#include "ikrar/merged.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"

typedef void (*entry)(void);

int main(void)
{
    /* Casting between function pointer types is defined; they are never called through these. */
    static volatile const entry used[] = {
        (entry)ikr_audit_station,
        (entry)ikr_audit_bundle,
        (entry)ikr_merged_is_bundle,
        (entry)ikr_merged_audit,
        (entry)ikr_bundle_open,
        (entry)ikr_bundle_check_receipts,
        (entry)ikr_receipt_parse,
        (entry)ikr_receipt_check,
        (entry)ikr_vkey_parse,
        (entry)ikr_station_open,
        (entry)ikr_station_check_receipt,
        (entry)ikr_station_vkey,
        (entry)ikr_station_close,
        (entry)ikr_trust_load,
        (entry)ikr_trust_check,
        (entry)ikr_trust_check_bundle,
        (entry)ikr_trust_check_station,
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
        n += used[i] != NULL;
    printf("core_only: %zu entry points\n", n);
    return 0;
}
