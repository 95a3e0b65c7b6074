/*
 * notify.c: sd_notify's datagram, sent by hand (notify.h).
 *
 * The address is taken from the environment at each call and bounded by
 * sun_path; an abstract name ('@' first) becomes a NUL first byte and its
 * length is passed exactly, without a terminating NUL, as the kernel counts
 * every byte of an abstract name.  The socket is made SOCK_CLOEXEC so the
 * printer's or timedatectl's children never hold it.
 */
#include "ikrar/notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int ikr_notify(const char *msg, ikr_err *e)
{
    const char *addr = getenv("NOTIFY_SOCKET");
    if (!addr || !*addr)
        return IKR_OK;
    size_t mlen = msg ? strlen(msg) : 0;
    if (mlen == 0 || mlen > IKR_NOTIFY_MAX)
        return ikr_err_set(e, IKR_E_IO, "notify: message of %zu bytes", mlen);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    size_t alen = strlen(addr);
    if ((addr[0] != '/' && addr[0] != '@') || alen < 2 || alen > sizeof sa.sun_path - 1)
        return ikr_err_set(e, IKR_E_IO, "NOTIFY_SOCKET: not a path or @name (%zu bytes)", alen);
    memcpy(sa.sun_path, addr, alen);
    socklen_t slen;
    if (addr[0] == '@') {
        sa.sun_path[0] = '\0';
        slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + alen);
    } else {
        slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + alen + 1);
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ikr_err_set(e, IKR_E_IO, "notify: socket: %s", strerror(errno));
    ssize_t sent;
    do
        sent = sendto(fd, msg, mlen, MSG_NOSIGNAL, (const struct sockaddr *)&sa, slen);
    while (sent < 0 && errno == EINTR);
    int err = errno;
    close(fd);
    if (sent < 0 || (size_t)sent != mlen)
        return ikr_err_set(e, IKR_E_IO, "notify: %s", sent < 0 ? strerror(err) : "short send");
    return IKR_OK;
}

long long ikr_notify_watchdog_ms(void)
{
    const char *us = getenv("WATCHDOG_USEC");
    if (!us || !*us)
        return 0;
    const char *pid = getenv("WATCHDOG_PID");
    if (pid && *pid) {
        char *end;
        errno = 0;
        long long p = strtoll(pid, &end, 10);
        if (errno || *end || p != (long long)getpid())
            return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(us, &end, 10);
    if (errno || *end || v <= 0)
        return 0;
    long long ms = v / 2000;
    return ms > 0 ? ms : 1;
}
