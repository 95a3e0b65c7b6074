/*
 * fuzz_csv: spreadsheets from organisers are read as CSV.  Any bytes, with
 * either separator or a guessed one, are read row by row; rows stay within
 * their bounds and a refusal says why.
 */
#include <stdlib.h>

#include "ikrar/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char seps[] = {0, ',', ';'};
    for (size_t k = 0; k < sizeof seps; k++) {
        ikr_csv_reader rd;
        ikr_csv_row r;
        ikr_err e;
        int got, rc;
        size_t rows = 0;
        ikr_csv_row_init(&r);
        ikr_err_clear(&e);
        ikr_csv_reader_init(&rd, data, size, seps[k]);
        while ((rc = ikr_csv_next(&rd, &r, &got, &e)) == 0 && got) {
            if (r.nf == 0 || r.nf > IKR_CSV_MAX_FIELDS || ++rows > size + 1)
                abort();
            for (size_t i = 0; i < r.nf; i++)
                if (r.len[i] > IKR_CSV_MAX_FIELD)
                    abort();
        }
        if (rc && (e.code != IKR_E_CSV || !e.detail[0]))
            abort();
        ikr_csv_row_free(&r);
    }
    return 0;
}
