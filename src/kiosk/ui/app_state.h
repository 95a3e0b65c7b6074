/*
 * app_state.h: the kiosk app's state, shared by app.c (what happens) and
 * screens.c (what is drawn).  Nothing outside those two files includes it.
 */
#ifndef IKRAR_KIOSK_APP_STATE_H
#define IKRAR_KIOSK_APP_STATE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

#include "app.h"
#include "hubsync.h"
#include "ikrar/camera.h"
#include "ikrar/limits.h"
#include "ikrar/note.h"
#include "ikrar/qr.h"
#include "ikrar/receipt.h"
#include "ikrar/roster.h"
#include "ikrar/scan.h"
#include "ikrar/trust.h"
#include "keyboard.h"
#include "kstr.h"
#include "usb.h"

#define IDLE_MS 60000      /* no input this long: the countdown starts */
#define COUNTDOWN_MS 10000 /* ...and this long later everything is wiped */
#define DONE_MS 20000      /* the Done screen returns to Welcome by itself */
#define LONG_PRESS_MS 3000 /* on the logo, to reach the PIN pad */
#define PIN_TRIES IKR_PIN_TRIES
#define PIN_LOCK_MS (IKR_PIN_LOCK_S * 1000)
#define FIELD_MAX 200                 /* bytes a typed field may hold while typing */
#define DECL_LINES (IKR_MAX_DECL + 1) /* a line a byte, at the very most */
#define LAST_SIGNERS 5
#define STEPS 5
#define VERIFY_POLL_MS 100       /* the camera is looked at this often (decoding is on a thread) */
#define VERIFY_RESULT_MS 10      /* while a frame is decoded, its result is looked for this often */
#define VERIFY_HOLD_MS 8000      /* a verdict stays this long after its code was last seen */
#define CAMERA_RETRY_MS 2000     /* a missing or lost camera is looked for again this often */
#define PROGRESS_UNITS 512       /* units the progress chart holds; more are counted, not drawn */
#define FOUND_MAX 4              /* roster entries the NIP screen offers at once */
#define USB_POLL_MS 100          /* the copy to USB is looked at (and its bar redrawn) this often */
#define CALL_FLASH_MS 600        /* the "Petugas dipanggil" badge changes colour this often */
#define MISSING_MAX 2000         /* unsigned people of one unit listed; more are counted */
#define HUB_POLL_MS 20           /* the hub's answer to a claim is looked for this often */
#define HUB_PROGRESS_POLL_MS 200 /* and the whole event's progress, while it is fetched */
#define HUB_SCRIPT_WAIT_MS 8000  /* scripts: the longest a progress fetch is waited for */

/* What the PIN pad opens when the PIN is right. */
enum { PIN_FOR_MENU, PIN_FOR_CLOSE, PIN_FOR_CALL };

/* One unsigned person of a unit, as the staff see them: the name and the NIP masked. */
typedef struct missing_person {
    char name[IKR_MAX_NAME + 1];
    char nip[IKR_NIP_LEN + 1]; /* masked; empty for NON-ASN */
} missing_person;

enum { PRINT_NONE, PRINT_OK, PRINT_FAILED };
enum { VERDICT_NONE, VERDICT_VALID, VERDICT_INVALID };
/* "Salin ke USB": no stick, choosing one, copying, done (safe to pull), failed. */
enum { USB_NONE, USB_PICK, USB_WORKING, USB_DONE, USB_FAILED };

enum screen {
    S_WELCOME,
    S_DECL,
    S_STATUS,
    S_NIP,
    S_DETAILS,
    S_SIGN,
    S_REVIEW,
    S_DONE,
    S_ERROR,
    S_ADMIN_PIN,
    S_ADMIN,
    S_VERIFY,
    S_PROGRESS,
    S_USB,
    S_CLOCK,
    S_UNITS,         /* the unit picker: the roster's units, or "Lainnya" to type one */
    S_CLOSE_CONFIRM, /* "Tutup acara?": after the PIN again, the consequence and yes or no */
    S_FIND,          /* "Cetak ulang struk": any record by number or NIP */
    S_MISSING,       /* who of one unit has not signed */
    S_COUNT_
};

struct app {
    ikr_station *s;
    char printer[512]; /* the printer's URI; "none" when there is none */
    int paper;         /* paper width in dots */
    int print_state;   /* for the Done screen: PRINT_NONE, PRINT_OK or PRINT_FAILED */
    int print_failing; /* the last print failed: the next success is logged as the recovery */
    ikr_err print_err;
    char logo[1100]; /* the event's logo.png in the data folder, or empty */
    int lang, fullscreen;
    int screen;
    uint64_t now, last_input, screen_since;
    uint64_t count;

    /* the form */
    int status;
    char nip[IKR_NIP_LEN + 1];
    char field[3][FIELD_MAX + 1];
    int active_field;
    int shift;
    int nip_code;      /* live NIP verdict: IKR_OK, a refusal, or -1 while incomplete */
    int clock_refused; /* the clock refusal last logged (0: none since the clock was last right) */
    uint64_t dup_seq, dup_t;
    ikr_err msg; /* a refusal shown on the current screen */
    /*
     * The keyboard (keyboard.h) and the caret (textedit.h).  The caret is
     * kept as the bytes after it, so 0 is the end of the field: where any
     * text filled in (the roster, a wipe) leaves it without being told.
     */
    int caps;             /* caps lock: capitals until pressed again */
    int kb_layer;         /* KB_LAYER_LETTERS or KB_LAYER_SYMBOLS */
    size_t caret_back[3]; /* each field's caret, as bytes after it */
    size_t
        field_scroll[3]; /* the first byte each field shows (screens.c keeps the caret in view) */
    int caret_tap_x; /* a tap on the active field at this x: the next frame puts the caret there; -1
                        none */

    /*
     * The roster's help with the details.  roster_nip is the NIP the roster
     * was last asked about (one query each time a NIP becomes valid, none
     * when the same NIP is checked again); roster_filled says the fields now
     * hold that entry's details, so that they go as soon as the NIP or the
     * status changes: they belong to that NIP's owner, not to the signer.
     */
    char roster_nip[IKR_NIP_LEN + 1];
    char roster_declined[IKR_NIP_LEN +
                         1]; /* "Bukan saya?" was pressed for this NIP: never refill it */
    int roster_filled;
    int roster_status; /* the roster's status for that NIP, when filled */
    int roster_fresh;  /* filled and not touched yet: fields drawn from their start, to be read */
    int notme_note;    /* the NIP screen says why it is empty again */
    int text_note;     /* the text rule removed invisible characters: Review says so */

    /*
     * "Find me" (the NIP screen): the roster entries matching the NIP's
     * first digits, or (letters mode) the start of a word of the name typed
     * in query.  A signer chosen from them skips the status and details
     * screens (via_roster) and checks who they are on the signature screen.
     */
    char query[IKR_ROSTER_QUERY_MAX + 1];
    int letters; /* the NIP screen types letters of the name instead of digits */
    ikr_roster_hit found[FOUND_MAX];
    size_t nfound;
    int found_more;
    int has_roster;    /* a roster is imported: the NIP screen offers to find */
    int via_roster;    /* chosen from the roster: status and details were skipped */
    int agree_why;     /* agree was touched before the end: the declaration says why */
    int unit_page;     /* the unit picker's first unit on show */
    int unit_free;     /* "Lainnya": the unit is typed, not picked */
    int unit_per_page; /* units the picker's last frame had room for */

    /* the declaration */
    int decl_scroll, decl_max, decl_read;
    int decl_page; /* "Baca sampai akhir" scrolls this far: the panel less a line */
    int wrap_width, wrap_unit, wrap_lang, nlines;
    int line_off[DECL_LINES], line_len[DECL_LINES];
    int drag_last_y;

    /* the signature */
    uint32_t xyt[3 * IKR_INK_MAX_POINTS];
    size_t stroke_end[IKR_INK_MAX_STROKES];
    size_t npoints, nstrokes;
    uint32_t canvas_w, canvas_h;
    uint64_t ink_t0;
    int drawing, ink_overflow, ink_short;
    kd_ink kink;
    int canvas_x, canvas_y, canvas_pw, canvas_ph;

    /* the result */
    uint64_t seq;
    ikr_buf receipt;
    ikr_qr qr;
    int has_qr;
    ikr_err fail; /* why the last signing failed (error screen) */

    /* touch */
    int down, down_x, down_y;
    int start_lang;                /* the language each signer starts in */
    int title_w, title_u, title_n; /* the top bar's title cut to title_n bytes for (width, unit) */
    unsigned view, hits_view;      /* what is on show changes view; hits belong to hits_view */
    int unit;                      /* the last frame's layout unit */
    int ink_resized;               /* the canvas changed size under a signature: it was cleared */
    int admin_qr_full;             /* the staff menu shows its QR code full screen */
    enum kbtn pressed;             /* the button under the finger (KB_NONE: none) */
    int pressed_idx;               /* and its key, in a family */
    uint64_t down_ms;
    int long_fired;
    kd_hit hits[KD_MAX_HITS];
    int nhits;
    int idle_dismiss_pending;

    /* the organiser */
    char pin[IKR_MAX_PIN + 1];
    int pin_len, pin_fails;
    uint64_t pin_locked_until;
    int pin_wrong;
    char admin_note[300];
    /*
     * "Atur jam": the date and time being set, in the event's zone (year,
     * month, day, hour, minute), and what setting it said when it failed.
     */
    int clock_f[5];
    char clock_fail[200];
    char clock_cmd[64]; /* the command that would have set it, for staff to run as root */
    int (*set_clock)(void *ctx, const char *when, char *why, size_t n);
    void *set_clock_ctx;
    ikr_qr admin_qr;
    int has_admin_qr;
    char last_names[LAST_SIGNERS][IKR_MAX_NAME + 40];
    int nlast;

    /* the progress chart: one snapshot of ikr_roster_stats, taken when the screen opens */
    ikr_roster_unit units[PROGRESS_UNITS];
    ikr_roster_totals totals;
    ikr_err progress_err; /* the counts could not be read */
    int progress_scroll, progress_max;

    /* the verify station */
    int verify_home;  /* the kiosk is a verify station: Verify is home, leaving it needs the PIN */
    char camera[256]; /* the camera device */
    const char *const *frames; /* or picture files shown as a camera's frames (borrowed) */
    size_t nframes;
    ikr_camera *cam;       /* open only while the Verify screen shows */
    ikr_err cam_err;       /* why there is no camera (shown on the screen) */
    uint64_t cam_due;      /* when to look at the camera (or for it) next */
    struct vscan *vscan;   /* the decoder's thread (vscan.h), running while Verify shows */
    ikr_scan_result *scan; /* the decoder's last result, taken by the loop */
    int decoding;          /* a frame is with the decoder */
    int decode_sync;       /* scripts and tests: each frame's decode is waited for */
    uint64_t decode_due;   /* a live camera's next frame goes to the decoder no sooner */
    uint8_t *preview;      /* the camera's last frame, for the inspector to aim by */
    size_t preview_cap;
    int preview_w, preview_h;
    uint32_t preview_gen; /* changes with each new picture (the renderer's cue) */
    ikr_vkey vkey;        /* this kiosk's own verifier key */
    int has_vkey;
    ikr_trust
        *trust; /* the event trust list in the data folder (read on entering Verify), or NULL */
    ikr_vkey *vkeys; /* the keys receipts are checked with: vkey first, then the list's others */
    size_t nvkeys;
    char verdict_kiosk[IKR_MAX_ORIGIN + 1]; /* the kiosk that signed the receipt on show */
    int verdict_other;                      /* 1: another kiosk of the event, vouched by the list */
    int verdict;                            /* VERDICT_* */
    int verdict_signed; /* the receipt's signature verified: its claims may be shown */
    uint8_t verdict_of[IKR_HASH_LEN]; /* SHA-256 of the code's text the verdict is about */
    uint64_t verdict_seen;            /* the last time that code was in front of the camera */
    ikr_receipt vr;                   /* the receipt's claims */
    ikr_err verdict_err;              /* why it is not valid */

    /*
     * Copy to USB.  The copy runs on a worker thread so the loop keeps
     * drawing (and feeding the watchdog); while it runs the loop only polls
     * usb_finished and never touches the station, which the worker uses.
     */
    int usb_state; /* USB_* */
    usb_drive usb_drives[USB_MAX_DRIVES];
    size_t usb_n;
    size_t usb_pick;    /* the drive being written */
    char usb_dir[1200]; /* the folder made on the stick */
    pthread_t usb_thread;
    int usb_running;         /* usb_thread was started and is not joined yet */
    atomic_int usb_permille; /* the worker's progress, 0..1000 */
    atomic_int usb_finished; /* set last by the worker */
    ikr_err usb_err;         /* the worker's failure (read after usb_finished) */
    uint64_t usb_records;    /* records in the backup */

    /* issue 12: the staff's tools */
    void (*sound)(void *ctx, int kind);
    void *sound_ctx;
    int pin_for;         /* PIN_FOR_*: what a right PIN opens; set after each go() */
    int call_on;         /* a signer called the staff: the header shows it until answered */
    uint64_t call_since; /* when, for the badge's flashing */
    int call_return;     /* the signer's screen, to go back to from the PIN pad */
    /* "Cetak ulang struk": the digits typed, and the record found */
    char find[IKR_NIP_LEN + 1];
    uint64_t find_seq; /* the record on show, 0: none */
    uint64_t find_t;
    int find_status, find_printed, find_is_last;
    char find_name[IKR_MAX_NAME + 1];
    char find_nip[IKR_NIP_LEN + 1]; /* masked */
    char find_note[300];            /* what the last look-up or print said */
    int find_note_bad;              /* ...and it is a refusal */
    /* one unit's unsigned people, read when the unit is touched */
    char missing_unit[IKR_MAX_UNIT + 1];
    uint64_t missing_expected, missing_total; /* the unit's people, and how many have not signed */
    size_t nmissing;
    missing_person missing[MISSING_MAX];
    ikr_err missing_err;
    int missing_scroll, missing_max;
    /*
     * Accessibility (access.c): the signer's large-text and high-contrast
     * modes (chosen on Welcome, dropped with the signer, as the language
     * is), and reading aloud through the loop's hooks.  speak_until is when
     * the text being read is reckoned to end (the button shows "Stop" till
     * then); 0 when nothing is being read.
     */
    int large_text, high_contrast;
    uint64_t speak_until;
    void (*speak)(void *ctx, int lang, const char *text);
    void *speak_ctx;

    /*
     * Issue 13, the hub (hubsync.h): running when the data folder has a
     * hub.conf, NULL otherwise.  Konfirmasi with a NIP first asks the hub
     * whether the NIP is free in the whole event (claiming), for at most
     * IKR_HUB_CLAIM_MS of the loop's clock, while the frames go on; no answer
     * in time and the kiosk decides alone.
     */
    hubsync *hub;
    int hub_sync; /* scripts: the hub's answers are waited for (real time) when asked */
    int claiming; /* Konfirmasi pressed: waiting for the hub's word on the NIP */
    uint64_t claim_id, claim_since;
    char else_kiosk[IKR_MAX_KIOSK_NAME + 1]; /* IKR_E_NIP_ELSEWHERE: where it signed */
    uint64_t else_seq, else_t;
    hubsync_status hub_st; /* the status as the staff menu last showed it */
    /* the progress chart: this kiosk (0) or the whole event as the hub counts it (1) */
    int progress_whole;
    int progress_hub_state; /* HUB_PROGRESS_* */
    uint64_t progress_hub_at, progress_hub_gen;
};

enum { HUB_PROGRESS_LOADING, HUB_PROGRESS_SHOWN, HUB_PROGRESS_DOWN };

/* Plays kind (APP_SOUND_*) through app_opts.sound; nothing when there is none. */
void app_sound(const app *a, int kind);

/*
 * 1 on a screen a signer may be on: its header has "Panggil petugas".  The
 * staff's screens are listed, so a signer's screen added later has the
 * button without being named here.
 */
static inline int signer_screen(int screen)
{
    switch (screen) {
    case S_ADMIN_PIN:
    case S_ADMIN:
    case S_VERIFY:
    case S_PROGRESS:
    case S_USB:
    case S_CLOCK:
    case S_CLOSE_CONFIRM:
    case S_FIND:
    case S_MISSING:
        return 0;
    default:
        return 1;
    }
}

static inline const char *T(const app *a, int k)
{
    return kstr(k, a->lang);
}

/* ms the idle countdown has left: -1 when not counting, 0 when it ran out. */
int64_t app_idle_left(const app *a);

/* Formats the text of key k (a printf format in both languages) into buf. */
void kfmt(const app *a, char *buf, size_t n, int k, ...);

/*
 * Unix time t as staff read the kiosk's clock, in the event's zone and the
 * kiosk's language: "Sabtu, 05-12-2026 14:03 WIB".
 */
void app_clock_text(const app *a, int64_t t, char *out, size_t n);
/*
 * When t was, in words for a signer, in the event's zone: "hari ini pukul
 * 09.14 WIB", or on another day "Sabtu, 5 Desember 2026 pukul 09.14 WIB".
 */
void app_when_words(const app *a, int64_t t, char *out, size_t n);
/* The time the clock screen's fields make (they are in the event's zone), as a Unix time. */
int64_t app_clock_fields_time(const app *a);

/* access.c: what Read aloud reads on the screen showing, into buf (or a pointer to the
 * declaration itself), and in which language; NULL when the screen has nothing to read. */
const char *access_speech(const app *a, char *buf, size_t n, int *lang);
/* access.c: Read aloud tapped: starts reading, or stops what is being read. */
void access_read_toggle(app *a);
/* access.c: 1 while Read aloud is reading on this screen. */
int access_reading(const app *a);
/* What an event changed, for the sounds and to stop reading (access.c). */
typedef struct access_before {
    int screen, msg_code;
    unsigned view;
} access_before;
void access_before_event(const app *a, access_before *b);
/* Returns APP_REDRAW when the frame must change (a reading ended). */
int access_after_event(app *a, const access_before *b);
/* access.c: the next signer starts in the normal modes. */
void access_reset(app *a);

/* Builds the frame for the current screen (screens.c). */
void screens_draw(app *a, kd_list *l, const kd_measure *m, int width, int height, int unit);

#endif
