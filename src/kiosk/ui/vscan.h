/*
 * vscan.h: the Verify screen's decoder on a thread of its own, so that the
 * kiosk's loop never waits for zbar.
 *
 * The loop offers frames; the worker takes one only when it is idle (no
 * frame in hand and no result waiting to be taken), so a frame offered
 * while it is busy is dropped and the loop offers a newer one later.  The
 * offered frame is copied: the camera's buffer may change at once.  The
 * loop then polls for the result without blocking.  The worker only
 * decodes (frame in, texts out); it never touches the station, whose
 * checks the loop makes on the texts.
 *
 * vscan_wait blocks until the frame in hand is decoded: for test scripts on
 * a virtual clock, which must see the verdict at the tick the frame was
 * offered (the same path as a live camera, made deterministic).
 */
#ifndef IKRAR_KIOSK_VSCAN_H
#define IKRAR_KIOSK_VSCAN_H

#include "ikrar/err.h"
#include "ikrar/scan.h"

typedef struct vscan vscan;

/* Starts the worker with a scanner of its own. 0, IKR_E_NOMEM, or IKR_E_INTERNAL (no thread). */
int vscan_new(vscan **out, ikr_err *e);
/* Stops the worker (after the frame in hand, if any) and joins it. Accepts NULL. */
void vscan_free(vscan *v);

/* Hands f to the worker: 1 taken (copied), 0 the worker is busy (f dropped), -1 no memory. */
int vscan_offer(vscan *v, const ikr_frame *f);
/*
 * Takes the result of the last frame taken, never blocking: 1 with out, *rc
 * (ikr_scan_frame's return) and *ms (the decode's time) filled, else 0.
 */
int vscan_poll(vscan *v, ikr_scan_result *out, int *rc, double *ms);
/* 1 while a frame is in hand or its result is not taken yet. */
int vscan_busy(vscan *v);
/* Blocks until the frame in hand (if any) is decoded. */
void vscan_wait(vscan *v);

#endif
