/*
 * fuzz_roster_row: a roster file is whatever an organiser's spreadsheet
 * (or script) wrote.  Any bytes go through ikr_roster_parse: every row it
 * accepts is one the kiosk's own checks accept again, within the limits;
 * every refusal, of a row or of the file, carries a code; and the counts
 * add up to what the callbacks saw.
 */
#include <stdlib.h>
#include <string.h>

#include "ikrar/roster.h"
#include "ikrar/station.h"

typedef struct tally {
    uint64_t rows, invalid, repaired, last_line;
} tally;

static int on_row(void *ctx, const ikr_roster_entry *r, ikr_err *e)
{
    tally *t = ctx;
    ikr_signer again;
    ikr_err e2;
    (void)e;
    ikr_err_clear(&e2);
    ikr_form f = {r->who.name, r->who.status, r->who.nip, r->who.pos, r->who.unit};
    /* Normalised once, a row checks the same again: the roster holds only what the kiosk takes. */
    if (ikr_form_check(&f, 1727690000, &again, &e2) != IKR_OK ||
        memcmp(&again, &r->who, sizeof again) != 0)
        abort();
    /* ...and the text rule has nothing left to remove or compose in it. */
    unsigned ch[IKR_FORM_TEXT_FIELDS];
    if (ikr_form_changes(&f, ch) != 0)
        abort();
    if (r->line == 0 || r->line < t->last_line)
        abort();
    t->last_line = r->line;
    t->rows++;
    return 0;
}

static void on_issue(void *ctx, const ikr_roster_issue *i)
{
    tally *t = ctx;
    if (i->line == 0 || i->code < 0 || i->code >= IKR_E_COUNT_ || !memchr(i->was, 0, sizeof i->was))
        abort();
    if (i->code == IKR_OK) {
        if (!i->fixed || strlen(i->nip) != IKR_NIP_LEN)
            abort();
        t->repaired++;
    } else {
        if (i->code == IKR_E_ROSTER_DUP && (i->first == 0 || i->first >= i->line))
            abort();
        t->invalid++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tally t = {0};
    ikr_roster_sink k = {on_row, on_issue, &t};
    ikr_roster_count c;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_roster_parse(data, size, 1727690000, &k, &c, &e);
    if (rc == IKR_OK && (c.valid != t.rows || c.invalid != t.invalid || c.repaired != t.repaired ||
                         c.invisible > c.valid || c.composed > c.valid))
        abort();
    if (rc != IKR_OK && e.code != rc)
        abort();
    return 0;
}
