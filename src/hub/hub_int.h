/*
 * hub_int.h: what the hub's files share; not a public header.
 */
#ifndef IKRAR_HUB_INT_H
#define IKRAR_HUB_INT_H

#include <libpq-fe.h>

#include "ikrar/bundle.h"
#include "ikrar/hub.h"
#include "ikrar/trust.h"

struct ikr_hub {
    PGconn *c;
    char url[IKR_HUB_MAX_URL + 1]; /* as connected, for a second connection (the verifier) */
    int timeout_s;
    int listening;
};

/* Turns a failed result (or a lost connection, res NULL) into an IKR_E_* on e. */
int hub_fail(ikr_hub *h, const PGresult *res, ikr_err *e);
/* PQexecParams with its failure turned into an error value; *out (may be NULL) gets the result. */
int hub_exec(ikr_hub *h, PGresult **out, const char *sql, int n, const char *const *vals,
             const int *lens, const int *bin, int binary_result, ikr_err *e);
int hub_simple(ikr_hub *h, const char *sql, ikr_err *e);
/* The first column of the first row (text) of a query with up to two text parameters. */
int hub_text1(ikr_hub *h, const char *sql, const char *a, const char *b, ikr_buf *out, int *found,
              ikr_err *e);
/* A column read as an unsigned number; 0 when NULL, -1 when not a number. */
int hub_u64(const PGresult *r, int row, int col, uint64_t *v);
/* A text column copied, cut to n - 1 bytes. */
void hub_copy(char *out, size_t n, const PGresult *r, int row, int col);
/* The event's trust list at the hub, parsed and checked. */
int hub_event_trust(ikr_hub *h, const char *event, ikr_trust *t, ikr_err *e);
/* Rows (unit, signed, expected) into units and totals. */
int hub_units(ikr_hub *h, PGresult *res, ikr_roster_unit *units, size_t max, size_t *n,
              ikr_roster_totals *tot, ikr_err *e);

#endif
