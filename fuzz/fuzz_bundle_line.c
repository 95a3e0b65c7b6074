/*
 * fuzz_bundle_line: a line of a bundle's records.jsonl, and its event.json,
 * come from whoever handed the bundle over.  Any bytes go through
 * ikr_bundle_parse_line and ikr_bundle_event_parse; a refusal must say why,
 * and what parses must be within its bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikr_bundle_rec r;
    ikr_err e;
    ikr_bundle_rec_init(&r);
    ikr_err_clear(&e);
    /* An empty line reaches the parser as an empty buffer's NULL pointer: never UB. */
    if (size == 0 && ikr_bundle_parse_line(&r, NULL, 0, &e) != IKR_E_BUNDLE_LINE)
        abort();
    ikr_err_clear(&e);
    if (ikr_bundle_parse_line(&r, (const char *)data, size, &e) == 0) {
        if (r.seq == 0 || r.cose.len > IKR_MAX_COSE || r.ink.len > IKR_BUNDLE_MAX_INK ||
            (!r.has_ink && r.ink.len != 0))
            abort();
    } else if (e.code != IKR_E_BUNDLE_LINE || e.detail[0] == '\0') {
        abort();
    }
    ikr_bundle_rec_free(&r);

    ikr_bundle_event ev;
    ikr_err_clear(&e);
    if (ikr_bundle_event_parse(&ev, (const char *)data, size, &e) == 0) {
        if (strlen(ev.event) > IKR_MAX_EVENT_ID || strlen(ev.title) > IKR_MAX_TITLE ||
            ev.zone_min < 0)
            abort();
    } else if (e.code != IKR_E_BUNDLE_FILE || e.detail[0] == '\0') {
        abort();
    }
    return 0;
}
