/*
 * bench.h: `ikrar bench`, measured on a data folder's disk, each figure
 * printed beside a baseline measured in the same run; and the kiosk's
 * frame benchmark (loop.h).  Nothing here asserts a figure.
 */
#ifndef IKRAR_BENCH_H
#define IKRAR_BENCH_H

#include "ikrar/err.h"
#include "ikrar/ink.h"
#include "ikrar/limits.h"
#include "loop.h"

/* Picks the Indonesian or the English text of a printed line. */
#define BL(lang, id, en) ((lang) == IKR_LANG_EN ? (en) : (id))

/*
 * Makes a bench kiosk in data/bench-<pid> (removed afterwards), signs
 * records into it and prints every figure to standard output in lang
 * (IKR_LANG_ID or IKR_LANG_EN).  IKR_OK, or the first failure on e.
 */
int ikr_bench_run(const char *data, long records, long samples, int lang, ikr_err *e);

/* A distinct valid PNS NIP for each i below 9,400,000. */
void bench_signer_nip(char out[IKR_NIP_LEN + 1], uint64_t i);
/* A signature of three strokes, sixty points each, as a finger draws it (json: its text). */
void bench_signer_ink(ikr_ink *ink, ikr_buf *json);
/*
 * `ikrar bench --hub URL`: kiosks kiosks sign records between them in folders
 * under data, then push, verify (threads) and stats are timed on the hub at
 * url (an empty database: bench_hub.c).
 */
int ikr_bench_hub(const char *data, const char *url, int kiosks, long records, int threads,
                  int lang, ikr_err *e);

/* The scanning section: receipts read back from pictures (bench_scan.c). */
int bench_scan(int lang, const char *dir, long samples, const ikr_ink *ink, ikr_err *e);
/*
 * The kiosk's benchmark (kiosk_bench.c): frame times with the software renderer at
 * 1920x1080 beside baselines, and (when exe, the path of the `ikrar`
 * program, is given) start-up, peak memory and idle CPU of real kiosk runs
 * over o->data, printed to out.  Measures; asserts nothing.
 */
int ikr_kiosk_bench(const ikr_kiosk_opts *o, const char *exe, FILE *out, ikr_err *e);
/*
 * The bare baseline the benchmark starts as a child: SDL2, a window, the
 * software renderer, one SDL_ttf line of text, one frame; prints the
 * milliseconds from start to that frame.
 */
int ikr_kiosk_bench_bare(int width, int height, FILE *out, ikr_err *e);

#endif
