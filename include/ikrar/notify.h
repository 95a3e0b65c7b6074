/*
 * notify.h: telling systemd how the service is doing (sd_notify's protocol)
 * without linking libsystemd.
 *
 * A service of Type=notify is given $NOTIFY_SOCKET, the address of an
 * AF_UNIX datagram socket: a file path, or an abstract-namespace name
 * written with a leading '@'.  Each message is one datagram of
 * newline-separated "KEY=VALUE" assignments ("READY=1", "WATCHDOG=1",
 * "STOPPING=1", "STATUS=...").  With WatchdogSec= set, systemd also gives
 * $WATCHDOG_USEC (and $WATCHDOG_PID, the process meant): the service must
 * send WATCHDOG=1 more often than that or be restarted.
 *
 * No state is kept: every call reads the environment and opens, sends on
 * and closes its own socket, so a forgotten call costs nothing and a child
 * that inherits the environment does not inherit a descriptor.
 */
#ifndef IKRAR_NOTIFY_H
#define IKRAR_NOTIFY_H

#include "ikrar/err.h"

#define IKR_NOTIFY_MAX 256 /* bytes: the longest message sent */

/*
 * Sends msg (e.g. "READY=1") to $NOTIFY_SOCKET.  Returns IKR_OK when it
 * was sent or when there is no $NOTIFY_SOCKET (not under systemd: nothing
 * to do), or IKR_E_IO with e's detail saying why: an address that is not
 * absolute, '@'-abstract or that is too long, a message empty or longer
 * than IKR_NOTIFY_MAX, or a socket that would not take it (nobody bound).
 */
int ikr_notify(const char *msg, ikr_err *e);

/*
 * How often the watchdog wants WATCHDOG=1, in milliseconds: half of
 * $WATCHDOG_USEC, rounded down but at least 1; 0 when there is no watchdog
 * for this process ($WATCHDOG_USEC unset, not a positive number, or
 * $WATCHDOG_PID set and naming another process).
 */
long long ikr_notify_watchdog_ms(void);

#endif
