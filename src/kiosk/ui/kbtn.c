/*
 * kbtn.c: the names scripts tap the kiosk's buttons by.
 *
 * The one place a button meets a string: tests/kiosk/scripts, the demo
 * tour, docs/kiosk.md and tests/kiosk/xvfb.sh's hits file all spell
 * buttons as this table does, so the names never change when buttons are
 * added; the app itself only ever sees the numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbtn.h"

/* A family's name is its prefix and then the key's character. */
static const char *const names[KB_COUNT] = {
    [KB_NONE] = "",
    [KB_LOGO] = "logo",
    [KB_BACK] = "back",
    [KB_NEXT] = "next",
    [KB_IDLE_CONTINUE] = "idle.continue",
    [KB_START] = "start",
    [KB_LANG_ID] = "lang.id",
    [KB_LANG_EN] = "lang.en",
    [KB_DECL_TEXT] = "decl.text",
    [KB_AGREE] = "agree",
    [KB_STATUS_PNS] = "status.pns",
    [KB_STATUS_PPPK] = "status.pppk",
    [KB_STATUS_NONASN] = "status.nonasn",
    [KB_KEY_CLEAR] = "key.clear",
    [KB_KEY_BACK] = "key.back",
    [KB_FIELD_NAME] = "field.name",
    [KB_FIELD_POS] = "field.pos",
    [KB_FIELD_UNIT] = "field.unit",
    [KB_KB_SHIFT] = "kb.shift",
    [KB_KB_SPACE] = "kb.space",
    [KB_KB_BS] = "kb.bs",
    [KB_ROSTER_NOTME] = "roster.notme",
    [KB_CANVAS] = "canvas",
    [KB_CLEAR] = "clear",
    [KB_CHANGE] = "change",
    [KB_CONFIRM] = "confirm",
    [KB_FINISH] = "finish",
    [KB_RETRY] = "retry",
    [KB_CANCEL] = "cancel",
    [KB_PIN_BACK] = "pin.back",
    [KB_PIN_OK] = "pin.ok",
    [KB_ADMIN_QRBACK] = "admin.qrback",
    [KB_ADMIN_SIGNING] = "admin.signing",
    [KB_ADMIN_VERIFY] = "admin.verify",
    [KB_ADMIN_PROGRESS] = "admin.progress",
    [KB_ADMIN_REPRINT] = "admin.reprint",
    [KB_ADMIN_EXPORT] = "admin.export",
    [KB_ADMIN_USB] = "admin.usb",
    [KB_USB_RESCAN] = "usb.rescan",
    [KB_ADMIN_CLOSE] = "admin.close",
    [KB_ADMIN_QUIT] = "admin.quit",
    [KB_ADMIN_CLOCK] = "admin.clock",
    [KB_CLOCK_SET] = "clock.set",
    [KB_PROGRESS_LIST] = "progress.list",
    [KB_DECL_MORE] = "decl.more",
    [KB_NO_NIP] = "nonip",
    [KB_FIND_MODE] = "find.mode",
    [KB_UNIT_OTHER] = "unit.other",
    [KB_UNIT_UP] = "unit.up",
    [KB_UNIT_DOWN] = "unit.down",
    [KB_KB_CAPS] = "kb.caps",
    [KB_KB_LEFT] = "kb.left",
    [KB_KB_RIGHT] = "kb.right",
    [KB_KB_LAYER] = "kb.layer",
    [KB_LARGE_TEXT] = "large",
    [KB_HIGH_CONTRAST] = "contrast",
    [KB_READ_ALOUD] = "read",
    [KB_KEY] = "key.",
    [KB_PIN] = "pin.",
    [KB_CHAR] = "kb.",
    [KB_USB_DRIVE] = "usb.",
    [KB_CLOCK_UP] = "clock.up.",
    [KB_CLOCK_DOWN] = "clock.down.",
    [KB_FOUND] = "found.",
    [KB_LETTER] = "abc.",
    [KB_UNIT] = "pick.",
    [KB_CALL_STAFF] = "call.staff",
    [KB_CALL_CANCEL] = "call.cancel",
    [KB_CLOSE_CONFIRM] = "close.confirm",
    [KB_CLOSE_CANCEL] = "close.cancel",
    [KB_FIND_CLEAR] = "find.clear",
    [KB_FIND_BACK] = "find.back",
    [KB_FIND_GO] = "find.go",
    [KB_FIND_PRINT] = "find.print",
    [KB_FIND_QR] = "find.qr",
    [KB_MISSING_LIST] = "missing.list",
    [KB_FIND_KEY] = "find.",
    [KB_PROGRESS_UNIT] = "unit.",
    [KB_PROGRESS_HERE] = "progress.here",
    [KB_PROGRESS_WHOLE] = "progress.event",
};

/* The families of keys a character names (KB_KEY ... KB_UNIT are in one run). */
static int family(int b)
{
    return (b >= KB_KEY && b <= KB_UNIT) || b == KB_FIND_KEY;
}

/* A family whose index is a number, not a character: the chart's units. */
#define NUMBERED_MAX 99999
static int numbered(int b)
{
    return b == KB_PROGRESS_UNIT;
}

/* A key's character: a digit on the keypads, any printable ASCII on the keyboard. */
static int key_ok(int b, int c)
{
    if (b == KB_CHAR)
        return c > ' ' && c < 0x7f;
    if (b == KB_LETTER)
        return (c >= 'A' && c <= 'Z') || c == '_';
    return c >= '0' && c <= '9';
}

const char *kbtn_name(enum kbtn b, int idx, char *buf, size_t n)
{
    if (n == 0)
        return "";
    if ((int)b <= KB_NONE || (int)b >= KB_COUNT || (family((int)b) && !key_ok((int)b, idx)) ||
        (numbered((int)b) && (idx < 0 || idx > NUMBERED_MAX)))
        snprintf(buf, n, "?");
    else if (numbered((int)b))
        snprintf(buf, n, "%s%d", names[b], idx);
    else if (family((int)b))
        snprintf(buf, n, "%s%c", names[b], (char)idx);
    else
        snprintf(buf, n, "%s", names[b]);
    return buf;
}

int kbtn_parse(const char *name, enum kbtn *b, int *idx)
{
    if (!name[0])
        return -1;
    for (int i = KB_NONE + 1; i < KB_COUNT; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(name, names[i], len) != 0)
            continue;
        if (numbered(i)) {
            /* "unit.12": one to five digits, no sign, no leading zero but "0" itself. */
            const char *d = name + len;
            size_t nd = strspn(d, "0123456789");
            if (nd < 1 || nd > 5 || d[nd] || (nd > 1 && d[0] == '0'))
                continue;
            *b = (enum kbtn)i;
            *idx = atoi(d);
            return 0;
        }
        /* A family's prefix and one key ("key.1"); else the whole name ("key.clear"). */
        if (family(i) ? name[len] && !name[len + 1] && key_ok(i, (unsigned char)name[len])
                      : !name[len]) {
            *b = (enum kbtn)i;
            *idx = family(i) ? (unsigned char)name[len] : 0;
            return 0;
        }
    }
    return -1;
}
