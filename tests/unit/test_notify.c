/*
 * test_notify.c: sd_notify's datagrams (notify.h) arrive on a real AF_UNIX
 * socket, at a path and at an abstract '@' name, byte for byte; the watchdog
 * interval is half of $WATCHDOG_USEC and only for the process it names.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/notify.h"

/* Binds a datagram socket at addr ('@' first: abstract); returns its descriptor or -1. */
static int bind_at(const char *addr)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    size_t n = strlen(addr);
    if (n >= sizeof sa.sun_path)
        return -1;
    memcpy(sa.sun_path, addr, n);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    if (addr[0] == '@') {
        sa.sun_path[0] = '\0';
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&sa, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The next datagram on fd (waits at most a second), NUL-terminated in buf; its length or -1. */
static ssize_t receive(int fd, char *buf, size_t cap)
{
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssize_t n = recv(fd, buf, cap - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    return n;
}

static void at_path(void)
{
    char dir[] = "/tmp/ikrar-notify-XXXXXX";
    if (!mkdtemp(dir)) {
        check("a temporary folder", 0);
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/notify", dir);
    int fd = bind_at(path);
    check("a socket bound at a path", fd >= 0);
    setenv("NOTIFY_SOCKET", path, 1);
    ikr_err e;
    ikr_err_clear(&e);
    char buf[512];
    check("READY=1 sent", ikr_notify("READY=1", &e) == IKR_OK);
    check("READY=1 arrives as it was sent",
          receive(fd, buf, sizeof buf) == 7 && strcmp(buf, "READY=1") == 0);
    check("two assignments in one message", ikr_notify("STOPPING=1\nSTATUS=bye", &e) == IKR_OK);
    check("...arrive in one datagram",
          receive(fd, buf, sizeof buf) > 0 && strcmp(buf, "STOPPING=1\nSTATUS=bye") == 0);
    close(fd);
    unlink(path);
    /* Nobody listening any more: an error with words, not a crash or a hang. */
    ikr_err_clear(&e);
    check("nobody bound: IKR_E_IO", ikr_notify("WATCHDOG=1", &e) == IKR_E_IO);
    check("...saying why", strstr(e.detail, "notify") != NULL);
    rmdir(dir);
}

static void abstract(void)
{
    char name[64];
    snprintf(name, sizeof name, "@ikrar-notify-test-%ld", (long)getpid());
    int fd = bind_at(name);
    check("a socket bound at an abstract name", fd >= 0);
    setenv("NOTIFY_SOCKET", name, 1);
    ikr_err e;
    ikr_err_clear(&e);
    char buf[512];
    check("WATCHDOG=1 sent to @name", ikr_notify("WATCHDOG=1", &e) == IKR_OK);
    check("...arrives there", receive(fd, buf, sizeof buf) == 10 && strcmp(buf, "WATCHDOG=1") == 0);
    close(fd);
}

static void refused(void)
{
    ikr_err e;
    ikr_err_clear(&e);
    unsetenv("NOTIFY_SOCKET");
    check("no NOTIFY_SOCKET: nothing to do", ikr_notify("READY=1", &e) == IKR_OK);
    setenv("NOTIFY_SOCKET", "", 1);
    check("empty NOTIFY_SOCKET: nothing to do", ikr_notify("READY=1", &e) == IKR_OK);
    setenv("NOTIFY_SOCKET", "relative/path", 1);
    check("a relative address is refused", ikr_notify("READY=1", &e) == IKR_E_IO);
    char longaddr[200];
    memset(longaddr, 'a', sizeof longaddr - 1);
    longaddr[0] = '/';
    longaddr[sizeof longaddr - 1] = '\0';
    setenv("NOTIFY_SOCKET", longaddr, 1);
    check("an address longer than sun_path is refused", ikr_notify("READY=1", &e) == IKR_E_IO);
    setenv("NOTIFY_SOCKET", "/tmp/x", 1);
    char big[IKR_NOTIFY_MAX + 2];
    memset(big, 'S', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    check("a message over IKR_NOTIFY_MAX is refused", ikr_notify(big, &e) == IKR_E_IO);
    check("an empty message is refused", ikr_notify("", &e) == IKR_E_IO);
    unsetenv("NOTIFY_SOCKET");
}

static void watchdog(void)
{
    char pid[32];
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    check("no watchdog", ikr_notify_watchdog_ms() == 0);
    setenv("WATCHDOG_USEC", "30000000", 1);
    check("30 s watchdog: a ping every 15 s", ikr_notify_watchdog_ms() == 15000);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    check("WATCHDOG_PID naming this process", ikr_notify_watchdog_ms() == 15000);
    snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    check("WATCHDOG_PID naming another process: none for us", ikr_notify_watchdog_ms() == 0);
    unsetenv("WATCHDOG_PID");
    setenv("WATCHDOG_USEC", "1", 1);
    check("a tiny watchdog still gives 1 ms", ikr_notify_watchdog_ms() == 1);
    setenv("WATCHDOG_USEC", "-5", 1);
    check("a negative watchdog is none", ikr_notify_watchdog_ms() == 0);
    setenv("WATCHDOG_USEC", "12abc", 1);
    check("a watchdog that is not a number is none", ikr_notify_watchdog_ms() == 0);
    unsetenv("WATCHDOG_USEC");
}

int main(void)
{
    at_path();
    abstract();
    refused();
    watchdog();
    return check_report();
}
