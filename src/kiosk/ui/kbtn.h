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
    KB_ADMIN_CLOSE,
    KB_ADMIN_QUIT,
    KB_ADMIN_CLOCK,   /* "Atur jam": the clock screen */
    KB_CLOCK_SET,     /* sets the clock to the fields shown */
    KB_PROGRESS_LIST, /* the chart's rows, scrolled with a finger */
    /* issue 12: the quick way through */
    KB_DECL_MORE,  /* "Baca sampai akhir": the declaration a page further */
    KB_NO_NIP,     /* "Tanpa NIP (Non-ASN)" on the NIP screen */
    KB_FIND_MODE,  /* the NIP screen's keys: digits of the NIP or letters of the name */
    KB_UNIT_OTHER, /* the unit picker's "Lainnya": type the unit */
    KB_UNIT_UP,    /* the unit picker a page back */
    KB_UNIT_DOWN,  /* and a page on */
    /* the details keyboard's keys that type no character (keyboard.h) */
    KB_KB_CAPS,       /* caps lock: capitals until pressed again */
    KB_KB_LEFT,       /* the caret a character left */
    KB_KB_RIGHT,      /* and right */
    KB_KB_LAYER,      /* letters <-> "?123" (digits and signs) */
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
    KB_FOUND,      /* a roster entry found on the NIP screen: "found.0" .. "found.3" */
    KB_LETTER,     /* the NIP screen's letters for a name: "abc.A" .. "abc.Z", "abc._" (space) */
    KB_UNIT,       /* a unit on the picker's page: "pick.0" .. "pick.9" */
    /* issue 12, the staff's tools: plain buttons first, then two families */
    KB_CALL_STAFF,    /* "Panggil petugas" in a signer screen's header; once called, answer it */
    KB_CALL_CANCEL,   /* the signer takes the call back */
    KB_CLOSE_CONFIRM, /* "Ya, tutup acara": after the PIN again */
    KB_CLOSE_CANCEL,  /* and "Batal" beside it */
    KB_FIND_CLEAR,    /* the reprint screen's keypad: clear, */
    KB_FIND_BACK,     /* one digit back, */
    KB_FIND_GO,       /* and look the record up */
    KB_FIND_PRINT,    /* print the record found on the kiosk's printer */
    KB_FIND_QR,       /* show its receipt's QR code full screen */
    KB_MISSING_LIST,  /* the unit's unsigned people, scrolled with a finger */
    KB_FIND_KEY,      /* the reprint keypad's digits, "find.0".."find.9" */
    KB_PROGRESS_UNIT, /* a unit's row in the chart by its place: "unit.0".."unit.511" (a number) */
    /* issue 13, the hub: the chart of this kiosk or of the whole event */
    KB_PROGRESS_HERE,
    KB_PROGRESS_WHOLE,
    KB_COUNT
};

/* Long enough for any button's name and its NUL. */
#define KBTN_NAME_MAX 32

/* The script name of button b (with index idx, in a family) into buf; "?" when there is none. */
const char *kbtn_name(enum kbtn b, int idx, char *buf, size_t n);

/* The button a script name means, into *b and *idx (0 outside a family): 0, or -1 when none. */
int kbtn_parse(const char *name, enum kbtn *b, int *idx);

#endif
