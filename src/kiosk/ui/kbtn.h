/*
 * kbtn.h: every button of the kiosk's screens, as a number.
 *
 * The screens register hit regions by button and the app dispatches a tap
 * with a switch on it: a misspelt button is a compile error, not a tap that
 * silently does nothing.  A family of keys (the keypads, the keyboard) is
 * one button with an index, the key's character.  Each button also has the
 * name scripts tap it by ("start", "key.1", "kb.Q"): kbtn.c's one table,
 * for the script player, the hits file and error messages only.
 */
#ifndef IKRAR_KIOSK_KBTN_H
#define IKRAR_KIOSK_KBTN_H

#include <stddef.h>

enum kbtn {
    KB_NONE, /* nothing pressed; no button */
    /* on many screens */
    KB_LOGO, /* a long press opens the staff's PIN pad */
    KB_BACK,
    KB_NEXT,
    KB_IDLE_CONTINUE, /* the idle countdown, over the whole window */
    /* welcome and the declaration */
    KB_START,
    KB_LANG_ID,
    KB_LANG_EN,
    KB_DECL_TEXT, /* the declaration, scrolled with a finger */
    KB_AGREE,
    /* status, NIP and details: in the order the screens show them */
    KB_STATUS_PNS,
    KB_STATUS_PPPK,
    KB_STATUS_NONASN,
    KB_KEY_CLEAR,
    KB_KEY_BACK,
    KB_FIELD_NAME,
    KB_FIELD_POS,
    KB_FIELD_UNIT,
    KB_KB_SHIFT,
    KB_KB_SPACE,
    KB_KB_BS,
    KB_ROSTER_NOTME,
    /* signature, review, done, error */
    KB_CANVAS,
    KB_CLEAR,
    KB_CHANGE,
    KB_CONFIRM,
    KB_FINISH,
    KB_RETRY,
    KB_CANCEL,
    /* the staff */
    KB_PIN_BACK,
    KB_PIN_OK,
    KB_ADMIN_QRBACK,
    KB_ADMIN_SIGNING,
    KB_ADMIN_VERIFY,
    KB_ADMIN_PROGRESS,
    KB_ADMIN_REPRINT,
    KB_ADMIN_EXPORT,
    KB_ADMIN_USB,
    KB_USB_RESCAN,
    KB_ADMIN_PRINTER,
    KB_ADMIN_CLOSE,
    KB_ADMIN_QUIT,
    KB_ADMIN_CLOCK,   /* "Atur jam": the clock screen */
    KB_CLOCK_SET,     /* sets the clock to the fields shown */
    KB_PROGRESS_LIST, /* the chart's rows, scrolled with a finger */
    KB_LARGE_TEXT,    /* Welcome: the large-text mode on or off */
    KB_HIGH_CONTRAST, /* Welcome: the high-contrast mode on or off */
    KB_READ_ALOUD,    /* the header's "Bacakan": read the screen aloud, or stop */
    /* families: the index is the key's character, the name ends in it */
    KB_KEY,        /* the NIP keypad's digits, "key.0".."key.9" */
    KB_PIN,        /* the PIN pad's digits, "pin.0".."pin.9" */
    KB_CHAR,       /* the details keyboard's keys, "kb.Q", "kb.'", ... */
    KB_USB_DRIVE,  /* the sticks to choose from, "usb.0".."usb.7" */
    KB_CLOCK_UP,   /* a clock field one up: "clock.up.0" (year) .. "clock.up.4" (minute) */
    KB_CLOCK_DOWN, /* and one down: "clock.down.0" .. "clock.down.4" */
    KB_COUNT
};

/* Long enough for any button's name and its NUL. */
#define KBTN_NAME_MAX 32

/* The script name of button b (with index idx, in a family) into buf; "?" when there is none. */
const char *kbtn_name(enum kbtn b, int idx, char *buf, size_t n);

/* The button a script name means, into *b and *idx (0 outside a family): 0, or -1 when none. */
int kbtn_parse(const char *name, enum kbtn *b, int *idx);

#endif
