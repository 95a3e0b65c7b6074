/*
 * audio.h: the kiosk's voice and sounds.
 *
 * "Bacakan" (Read aloud) is spoken by espeak-ng (its "id" and "en" voices)
 * on a thread of the audio's own, chunk by chunk into SDL's audio queue,
 * so the loop never waits for synthesis; the sounds for Done, errors and
 * calling the staff are short tones made here, no sound files.  Without an
 * audio device (a kiosk with no sound card, the tests' dummy driver) or
 * without espeak-ng's voice data, the kiosk runs on silent: ka_open
 * returns NULL and every call on NULL does nothing, and the reason is
 * logged once.
 */
#ifndef IKRAR_KIOSK_AUDIO_H
#define IKRAR_KIOSK_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define KA_RATE 22050             /* Hz: espeak-ng's own rate; the tones are made at it too */
#define KA_TONE_MAX (KA_RATE / 2) /* samples: the longest tone (0.42 s), with room to spare */

typedef struct ka_audio ka_audio;

/*
 * Opens SDL's default audio output (SDL's audio subsystem is started here)
 * and the speaking thread.  NULL when there is no audio: why says so.
 */
ka_audio *ka_open(char *why, size_t n);
/* Stops speaking, joins the thread, closes the device; NULL is fine. */
void ka_close(ka_audio *au);

/* Speaks text (copied) in lang (IKR_LANG_ID or _EN), cutting off what was spoken; NULL: stop. */
void ka_speak(ka_audio *au, int lang, const char *text);
/* Plays the tone of kind (APP_SOUND_*), cutting off what was playing. */
void ka_sound(ka_audio *au, int kind);

/*
 * Synthesises text in lang with espeak-ng, synchronously, handing each
 * piece of 16-bit mono PCM at KA_RATE to chunk (which returns nonzero to
 * stop).  espeak-ng is one per process: one caller at a time (the speaking
 * thread; the tests).  0; -1 with why filled when espeak-ng or its voice
 * for lang cannot be had (KA_NO_VOICE: the voice data is missing).
 */
#define KA_NO_VOICE (-2)
int ka_synth(int lang, const char *text, int (*chunk)(void *ctx, const int16_t *pcm, int n),
             void *ctx, char *why, size_t n);

/* The tone for kind (APP_SOUND_*) at KA_RATE into out (max samples); returns the samples. */
size_t ka_tone(int kind, int16_t *out, size_t max);

#endif
