/*
 * vscan.c: the Verify screen's decoding thread (vscan.h).
 *
 * One mutex guards the state: `job` (a frame is in hand, being decoded)
 * and `done` (its result waits in `res`).  The worker sleeps on `cv` until
 * a job or the end comes; it decodes outside the lock, into its own result,
 * from its own copy of the frame, with its own scanner, so nothing it
 * reads or writes during a decode is touched by the loop.  The loop copies
 * in (offer) and out (poll) under the lock, only while the worker is idle
 * or finished.
 */
#include "vscan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vscan {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int quit, job, done;
    ikr_scanner *sc;
    uint8_t *px; /* the frame in hand, compact */
    size_t cap;
    int w, h;
    ikr_scan_result *res; /* the worker's result */
    int rc;
    double ms;
};

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *worker(void *arg)
{
    vscan *v = arg;
    pthread_mutex_lock(&v->mu);
    for (;;) {
        while (!v->quit && !(v->job && !v->done))
            pthread_cond_wait(&v->cv, &v->mu);
        if (v->quit)
            break;
        pthread_mutex_unlock(&v->mu);
        /* Outside the lock: the loop leaves px, w, h and res alone while job is set. */
        ikr_frame f = {v->px, v->w, v->h, (size_t)v->w};
        double t0 = mono_ms();
        int rc = ikr_scan_frame(v->sc, &f, v->res, NULL);
        double ms = mono_ms() - t0;
        pthread_mutex_lock(&v->mu);
        v->rc = rc;
        v->ms = ms;
        v->done = 1;
        pthread_cond_broadcast(&v->cv);
    }
    pthread_mutex_unlock(&v->mu);
    return NULL;
}

int vscan_new(vscan **out, ikr_err *e)
{
    *out = NULL;
    vscan *v = calloc(1, sizeof *v);
    if (!v)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    if (!(v->res = malloc(sizeof *v->res)) || ikr_scanner_new(&v->sc, e) != IKR_OK) {
        free(v->res);
        free(v);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->cv, NULL);
    if (pthread_create(&v->th, NULL, worker, v) != 0) {
        pthread_cond_destroy(&v->cv);
        pthread_mutex_destroy(&v->mu);
        ikr_scanner_free(v->sc);
        free(v->res);
        free(v);
        return ikr_err_set(e, IKR_E_INTERNAL, "decoder thread");
    }
    *out = v;
    return IKR_OK;
}

void vscan_free(vscan *v)
{
    if (!v)
        return;
    pthread_mutex_lock(&v->mu);
    v->quit = 1;
    pthread_cond_broadcast(&v->cv);
    pthread_mutex_unlock(&v->mu);
    pthread_join(v->th, NULL);
    pthread_cond_destroy(&v->cv);
    pthread_mutex_destroy(&v->mu);
    ikr_scanner_free(v->sc);
    free(v->res);
    free(v->px);
    free(v);
}

int vscan_offer(vscan *v, const ikr_frame *f)
{
    if (!f->grey || f->w < 1 || f->h < 1 || f->stride < (size_t)f->w)
        return 0;
    int taken = 0;
    pthread_mutex_lock(&v->mu);
    if (!v->job) {
        size_t n = (size_t)f->w * (size_t)f->h;
        if (v->cap < n) {
            uint8_t *p = realloc(v->px, n);
            if (!p) {
                pthread_mutex_unlock(&v->mu);
                return -1;
            }
            v->px = p;
            v->cap = n;
        }
        for (int y = 0; y < f->h; y++)
            memcpy(v->px + (size_t)y * f->w, f->grey + (size_t)y * f->stride, (size_t)f->w);
        v->w = f->w;
        v->h = f->h;
        v->job = 1;
        v->done = 0;
        taken = 1;
        pthread_cond_broadcast(&v->cv);
    }
    pthread_mutex_unlock(&v->mu);
    return taken;
}

int vscan_poll(vscan *v, ikr_scan_result *out, int *rc, double *ms)
{
    int got = 0;
    pthread_mutex_lock(&v->mu);
    if (v->job && v->done) {
        memcpy(out, v->res, sizeof *out);
        *rc = v->rc;
        *ms = v->ms;
        v->job = v->done = 0;
        got = 1;
    }
    pthread_mutex_unlock(&v->mu);
    return got;
}

int vscan_busy(vscan *v)
{
    pthread_mutex_lock(&v->mu);
    int busy = v->job;
    pthread_mutex_unlock(&v->mu);
    return busy;
}

void vscan_wait(vscan *v)
{
    pthread_mutex_lock(&v->mu);
    while (v->job && !v->done && !v->quit)
        pthread_cond_wait(&v->cv, &v->mu);
    pthread_mutex_unlock(&v->mu);
}
