/*
 * audio.c: espeak-ng and tones into SDL's audio queue (audio.h).
 *
 * The loop calls ka_speak and ka_sound; neither waits for anything but a
 * mutex held only around queueing.  The speaking thread takes the latest
 * text, synthesises it with espeak-ng in its synchronous mode, and queues
 * each piece as espeak-ng hands it over.  Every request (a new text, a
 * stop, a tone) bumps a generation under the mutex and clears the queue;
 * a piece of an older generation is dropped and its synthesis cut off, so
 * nothing of the old text is heard after the new request.
 */
#include "audio.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "ikrar/err.h"
#include "ikrar/oplog.h"

struct ka_audio {
    SDL_AudioDeviceID dev;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *text; /* waiting to be spoken, or NULL */
    int lang;
    unsigned gen; /* bumped by every request: older speech is dropped */
    int quit;
    int voice_warned; /* the missing voice was logged */
};

/* ---- espeak-ng ---- */

struct synth_job {
    int (*chunk)(void *ctx, const int16_t *pcm, int n);
    void *ctx;
};

static int on_synth(short *wav, int n, espeak_EVENT *ev)
{
    const struct synth_job *j = ev ? ev->user_data : NULL;
    if (!j || !wav || n <= 0)
        return 0;
    return j->chunk(j->ctx, (const int16_t *)wav, n) ? 1 : 0;
}

/*
 * espeak-ng is started once per process and never stopped: in espeak-ng
 * 1.51 (Debian 12) espeak_Terminate after a synchronous start waits
 * forever for a queue thread that synchronous mode never made, and a
 * second espeak_Initialize loads everything again.  Its state lives in the
 * library as long as the process; these two record only how the one start
 * went.
 */
static pthread_once_t espeak_once = PTHREAD_ONCE_INIT;
static int espeak_rate;

static void espeak_start(void)
{
    /* espeak-ng's own data folder; DONT_EXIT: missing data is an error, not exit(). */
    espeak_rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, espeakINITIALIZE_DONT_EXIT);
    if (espeak_rate > 0) {
        espeak_SetSynthCallback(on_synth);
        espeak_SetParameter(espeakRATE, APP_SPEAK_WPM, 0);
    }
}

int ka_synth(int lang, const char *text, int (*chunk)(void *ctx, const int16_t *pcm, int n),
             void *ctx, char *why, size_t n)
{
    if (n)
        why[0] = '\0';
    pthread_once(&espeak_once, espeak_start);
    if (espeak_rate <= 0) {
        snprintf(why, n, "espeak-ng: no voice data (espeak-ng-data)");
        return KA_NO_VOICE;
    }
    const char *voice = lang == IKR_LANG_EN ? "en" : "id";
    if (espeak_rate != KA_RATE) {
        snprintf(why, n, "espeak-ng: rate %d Hz, not %d", espeak_rate, KA_RATE);
        return -1;
    }
    if (espeak_SetVoiceByName(voice) != EE_OK) {
        snprintf(why, n, "espeak-ng: no voice \"%s\"", voice);
        return KA_NO_VOICE;
    }
    struct synth_job j = {chunk, ctx};
    if (espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &j) !=
        EE_OK) {
        snprintf(why, n, "espeak-ng: could not synthesise");
        return -1;
    }
    return 0;
}

/* ---- tones ---- */

/* One note of hz for ms at out[at..], faded in and out over 8 ms so that it does not click. */
static size_t note(int16_t *out, size_t at, size_t max, double hz, int ms, int rest_ms)
{
    size_t len = (size_t)KA_RATE * (size_t)ms / 1000, fade = KA_RATE * 8 / 1000;
    for (size_t i = 0; i < len && at < max; i++, at++) {
        double env = i < fade ? (double)i / fade : len - i < fade ? (double)(len - i) / fade : 1;
        out[at] = (int16_t)(9000.0 * env * sin(2 * M_PI * hz * (double)i / KA_RATE));
    }
    for (size_t i = 0; i < (size_t)KA_RATE * (size_t)rest_ms / 1000 && at < max; i++)
        out[at++] = 0;
    return at;
}

size_t ka_tone(int kind, int16_t *out, size_t max)
{
    size_t at = 0;
    switch (kind) {
    case APP_SOUND_DONE: /* rising: done, and well */
        at = note(out, at, max, 659.3, 110, 20);
        at = note(out, at, max, 987.8, 180, 0);
        break;
    case APP_SOUND_ERROR: /* low and falling: look at the screen */
        at = note(out, at, max, 311.1, 140, 40);
        at = note(out, at, max, 233.1, 220, 0);
        break;
    default: /* APP_SOUND_CALL: three bright notes, for the staff */
        at = note(out, at, max, 880.0, 100, 40);
        at = note(out, at, max, 1174.7, 100, 40);
        at = note(out, at, max, 880.0, 140, 0);
        break;
    }
    return at;
}

/* ---- the speaking thread ---- */

struct piece {
    ka_audio *au;
    unsigned gen;
};

/* Queues a piece unless a newer request came meanwhile (then synthesis stops). */
static int queue_piece(void *ctx, const int16_t *pcm, int n)
{
    struct piece *p = ctx;
    ka_audio *au = p->au;
    pthread_mutex_lock(&au->mu);
    int stale = au->quit || au->gen != p->gen;
    if (!stale)
        SDL_QueueAudio(au->dev, pcm, (Uint32)n * sizeof(int16_t));
    pthread_mutex_unlock(&au->mu);
    return stale;
}

static void *speaker(void *arg)
{
    ka_audio *au = arg;
    pthread_mutex_lock(&au->mu);
    for (;;) {
        while (!au->quit && !au->text)
            pthread_cond_wait(&au->cv, &au->mu);
        if (au->quit)
            break;
        char *text = au->text;
        au->text = NULL;
        struct piece p = {au, au->gen};
        int lang = au->lang;
        pthread_mutex_unlock(&au->mu);
        char why[160];
        int rc = ka_synth(lang, text, queue_piece, &p, why, sizeof why);
        free(text);
        pthread_mutex_lock(&au->mu);
        if (rc && !au->voice_warned) {
            au->voice_warned = 1;
            ikr_oplog("audio", "speech=none reason=%s", why);
        }
    }
    pthread_mutex_unlock(&au->mu);
    return NULL;
}

ka_audio *ka_open(char *why, size_t n)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        snprintf(why, n, "%s", SDL_GetError());
        return NULL;
    }
    ka_audio *au = calloc(1, sizeof *au);
    if (!au) {
        snprintf(why, n, "out of memory");
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    SDL_AudioSpec want, got;
    SDL_zero(want);
    want.freq = KA_RATE;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    /* No changes allowed: SDL converts from 22050 Hz mono to whatever the device takes. */
    au->dev = SDL_OpenAudioDevice(NULL, 0, &want, &got, 0);
    if (!au->dev) {
        snprintf(why, n, "%s", SDL_GetError());
        free(au);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    pthread_mutex_init(&au->mu, NULL);
    pthread_cond_init(&au->cv, NULL);
    if (pthread_create(&au->thread, NULL, speaker, au) != 0) {
        snprintf(why, n, "no thread for speech");
        SDL_CloseAudioDevice(au->dev);
        pthread_mutex_destroy(&au->mu);
        pthread_cond_destroy(&au->cv);
        free(au);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return NULL;
    }
    SDL_PauseAudioDevice(au->dev, 0);
    return au;
}

/* A new request: what was queued or being synthesised goes. Under au->mu. */
static void cut_off(ka_audio *au)
{
    au->gen++;
    free(au->text);
    au->text = NULL;
    SDL_ClearQueuedAudio(au->dev);
}

void ka_speak(ka_audio *au, int lang, const char *text)
{
    if (!au)
        return;
    pthread_mutex_lock(&au->mu);
    cut_off(au);
    if (text && text[0]) {
        au->text = strdup(text);
        au->lang = lang;
        pthread_cond_signal(&au->cv);
    }
    pthread_mutex_unlock(&au->mu);
}

void ka_sound(ka_audio *au, int kind)
{
    int16_t pcm[KA_TONE_MAX];
    if (!au)
        return;
    size_t n = ka_tone(kind, pcm, KA_TONE_MAX);
    pthread_mutex_lock(&au->mu);
    cut_off(au);
    SDL_QueueAudio(au->dev, pcm, (Uint32)(n * sizeof pcm[0]));
    pthread_mutex_unlock(&au->mu);
}

void ka_close(ka_audio *au)
{
    if (!au)
        return;
    pthread_mutex_lock(&au->mu);
    au->quit = 1;
    cut_off(au);
    pthread_cond_signal(&au->cv);
    pthread_mutex_unlock(&au->mu);
    pthread_join(au->thread, NULL);
    SDL_CloseAudioDevice(au->dev);
    pthread_mutex_destroy(&au->mu);
    pthread_cond_destroy(&au->cv);
    free(au);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}
