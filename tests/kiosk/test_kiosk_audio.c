/*
 * test_kiosk_audio: the kiosk's voice and sounds (kiosk/sdl/audio.c).
 * espeak-ng synthesises non-silent speech for Indonesian and English text,
 * and stops when asked; the tones of Done, errors and calling the staff
 * are audible and differ; the speaking thread runs over SDL's dummy audio
 * driver and closes promptly while speaking; without a driver ka_open says
 * why and every call on its NULL does nothing.  Exits 77 (ctest: skipped)
 * only when espeak-ng's voice data is missing, and says so.
 */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audio.h"
#include "check.h"
#include "ikrar/err.h"

typedef struct pcm {
    size_t n;       /* samples heard */
    double sq;      /* sum of squares */
    int peak;       /* largest magnitude */
    size_t stop_at; /* the chunk callback asks to stop once this many came (0: never) */
    int pieces;
} pcm;

static int take(void *ctx, const int16_t *s, int n)
{
    pcm *p = ctx;
    for (int i = 0; i < n; i++) {
        int v = s[i] < 0 ? -s[i] : s[i];
        p->peak = v > p->peak ? v : p->peak;
        p->sq += (double)s[i] * s[i];
    }
    p->n += (size_t)n;
    p->pieces++;
    return p->stop_at && p->n >= p->stop_at;
}

static double rms(const pcm *p)
{
    return p->n ? sqrt(p->sq / (double)p->n) : 0;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void tones(void)
{
    int16_t buf[3][KA_TONE_MAX];
    size_t n[3];
    const int kinds[3] = {APP_SOUND_DONE, APP_SOUND_ERROR, APP_SOUND_CALL};
    int ok = 1;
    for (int i = 0; i < 3; i++) {
        n[i] = ka_tone(kinds[i], buf[i], KA_TONE_MAX);
        pcm p = {0};
        take(&p, buf[i], (int)n[i]);
        /* at least a fifth of a second, loud enough to hear, never clipping */
        if (n[i] < KA_RATE / 5 || n[i] >= KA_TONE_MAX || rms(&p) < 2000 || p.peak > 30000) {
            fprintf(stderr, "tone %d: %zu samples, rms %.0f, peak %d\n", kinds[i], n[i], rms(&p),
                    p.peak);
            ok = 0;
        }
    }
    check("each tone is audible, short and unclipped", ok);
    check("done, error and call sound different",
          (n[0] != n[1] || memcmp(buf[0], buf[1], n[0] * 2) != 0) &&
              (n[1] != n[2] || memcmp(buf[1], buf[2], n[1] * 2) != 0) &&
              (n[0] != n[2] || memcmp(buf[0], buf[2], n[0] * 2) != 0));
    int16_t small[100];
    check("a tone never writes past its buffer", ka_tone(APP_SOUND_CALL, small, 100) == 100);
}

/* 0, or 77 when the voice data is missing. */
static int speech(void)
{
    char why[200];
    pcm id = {0}, en = {0}, cut = {0};
    double t0 = mono_ms();
    int rc = ka_synth(IKR_LANG_ID, "Saya menyatakan bersikap netral dan melayani masyarakat.", take,
                      &id, why, sizeof why);
    double id_ms = mono_ms() - t0;
    if (rc == KA_NO_VOICE) {
        printf("SKIP: espeak-ng's Indonesian voice is not installed (%s): apt-get install "
               "espeak-ng-data\n",
               why);
        return 77;
    }
    check("espeak-ng speaks Indonesian", rc == 0);
    printf("Indonesian: %zu samples (%.1f s of speech) in %.0f ms, rms %.0f, peak %d\n", id.n,
           (double)id.n / KA_RATE, id_ms, rms(&id), id.peak);
    check("...for more than a second, and not silence",
          id.n > KA_RATE && rms(&id) > 300 && id.peak > 3000);
    rc = ka_synth(IKR_LANG_EN, "I declare that I will stay neutral.", take, &en, why, sizeof why);
    check("and English", rc == 0 && en.n > KA_RATE / 2 && rms(&en) > 300);
    /* a stop asked at the first piece: synthesis ends there, the long text is not all made */
    cut.stop_at = 1;
    rc = ka_synth(IKR_LANG_ID,
                  "Bersikap netral dan melayani masyarakat tanpa membeda-bedakan, baik "
                  "menjelang, selama, maupun setelah Pemilihan Umum dan Pemilihan Kepala Daerah.",
                  take, &cut, why, sizeof why);
    check("a stop cuts the synthesis off", rc == 0 && cut.pieces == 1 && cut.n < (size_t)KA_RATE);
    return 0;
}

static void device(void)
{
    char why[200] = "";
    /* SDL's dummy driver: a real queue and thread, nothing heard. */
    SDL_SetHint("SDL_AUDIODRIVER", "dummy");
    ka_audio *au = ka_open(why, sizeof why);
    check("the dummy audio device opens", au != NULL);
    if (au) {
        ka_speak(au, IKR_LANG_ID, "Deklarasi Netralitas Aparatur Sipil Negara. Kami menyatakan.");
        ka_sound(au, APP_SOUND_DONE);
        ka_speak(au, IKR_LANG_EN, "Please read this declaration.");
        SDL_Delay(150);
        double t0 = mono_ms();
        ka_close(au);
        double ms = mono_ms() - t0;
        printf("closing while speaking took %.0f ms\n", ms);
        check("closing while speaking does not wait for the speech", ms < 1000);
    }
    SDL_SetHint("SDL_AUDIODRIVER", "no-such-driver");
    why[0] = '\0';
    au = ka_open(why, sizeof why);
    check("no audio driver: no audio, and why", au == NULL && why[0]);
    ka_speak(NULL, IKR_LANG_ID, "tidak ada");
    ka_sound(NULL, APP_SOUND_ERROR);
    ka_close(NULL);
    check("calls on no audio do nothing", 1);
}

int main(void)
{
    tones();
    int rc = speech();
    if (rc == 77)
        return 77;
    device();
    SDL_Quit();
    return check_report();
}
