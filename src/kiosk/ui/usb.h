/*
 * usb.h: finding the USB sticks the kiosk may copy to ("Salin ke USB").
 *
 * A stick counts when it is mounted under /media/ikrar (where the package's
 * udev rule, deploy/udev/61-ikrar-usb.rules, mounts removable USB disks) and
 * its device is removable or on the USB bus: a folder there on the internal
 * disk is never offered.  For tests only, IKRAR_USB_ROOTS (folders separated
 * by ':'; set but empty: none) replaces the search: each folder named is
 * taken as a mounted stick.
 */
#ifndef IKRAR_KIOSK_USB_H
#define IKRAR_KIOSK_USB_H

#include <stddef.h>

#define USB_MAX_DRIVES 8
#define USB_MEDIA_ROOT "/media/ikrar"

typedef struct usb_drive {
    char path[512];  /* the mount point */
    char label[128]; /* what staff see: the last part of the path */
} usb_drive;

/*
 * Fills out (room for max) with the sticks found, in mount order, and
 * returns how many.  test_roots is IKRAR_USB_ROOTS's value (NULL: look in
 * /proc/self/mountinfo and /sys).
 */
size_t usb_find(const char *test_roots, usb_drive *out, size_t max);

/*
 * The same from mountinfo's text, taking mounts under media (a folder) whose
 * device sysfs (normally "/sys") says is removable or on the USB bus.
 */
size_t usb_find_in(const char *mountinfo, const char *media, const char *sysfs, usb_drive *out,
                   size_t max);

#endif
