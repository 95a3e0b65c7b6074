/*
 * clockset.c: setting the system clock from the staff menu's "Atur jam".
 *
 * The kiosk runs as the unprivileged user ikrar, so it asks systemd:
 * `timedatectl set-time "YYYY-MM-DD HH:MM:SS"`, run directly (no shell),
 * which polkit allows when deploy/polkit/50-ikrar-clock.rules is installed.
 * The app calls this through app_opts.set_clock, so its tests put a fake in
 * its place and nothing here needs SDL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"

int app_set_clock_timedatectl(void *ctx, const char *when, char *why, size_t n)
{
    (void)ctx;
    int p[2];
    if (n)
        why[0] = '\0';
    if (pipe(p) != 0 || fcntl(p[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(p[1], F_SETFD, FD_CLOEXEC) != 0) {
        snprintf(why, n, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, n, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        /* The child: its words go back through the pipe; nothing to read from. */
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        dup2(p[1], STDOUT_FILENO);
        dup2(p[1], STDERR_FILENO);
        char *const argv[] = {"timedatectl", "set-time", (char *)when, NULL};
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "timedatectl: %s", strerror(errno));
        _exit(127);
    }
    close(p[1]);
    /* What it said, cut to one line of n bytes; the rest is read and dropped so it can exit. */
    size_t got = 0;
    char buf[256];
    for (;;) {
        ssize_t r = read(p[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        for (ssize_t i = 0; i < r && n && got + 1 < n; i++)
            why[got++] = buf[i] == '\n' || buf[i] == '\r' ? ' ' : buf[i];
    }
    close(p[0]);
    if (n)
        why[got < n ? got : n - 1] = '\0';
    while (got > 0 && why[got - 1] == ' ')
        why[--got] = '\0';
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (!why[0])
        snprintf(why, n, "timedatectl exit %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return -1;
}
