/*
 * guard.c: the export and merge commands' work in a child process, so a
 * folder half-built when someone presses Ctrl-C is never left behind.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int cli_guard(const char *out, int (*fn)(void *ctx), void *ctx)
{
    /*
     * No signal handler, so nothing global: the signals are blocked here and
     * taken with sigtimedwait, each passed on to the child; SIGCHLD (blocked
     * too) says when the child is done.
     */
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    sigset_t set, old;
    int st = 0;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&set, sigs[i]);
    sigaddset(&set, SIGCHLD);
    fflush(NULL); /* nothing buffered is written twice */
    if (sigprocmask(SIG_BLOCK, &set, &old) != 0)
        return fn(ctx);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return fn(ctx); /* no child to be had: do the work here, as before */
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        int rc = fn(ctx);
        fflush(NULL);
        _exit(rc);
    }
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            st = 0; /* the child is not ours to wait for any more: nothing to clean */
            break;
        }
        struct timespec tick = {1, 0};
        int sig = sigtimedwait(&set, NULL, &tick);
        if (sig > 0 && sig != SIGCHLD)
            kill(pid, sig);
    }
    if (WIFEXITED(st) || !WIFSIGNALED(st)) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    }
    /* The child was killed mid-way: what it was building goes too. */
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.partial-%ld", out, (long)pid);
    ikr_file_remove_tree(tmp);
    int sig = WTERMSIG(st);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sig == sigs[i]) {
            /* Asked to stop: stop the same way, so the shell sees an interrupted command. */
            signal(sig, SIG_DFL);
            sigprocmask(SIG_SETMASK, &old, NULL);
            raise(sig);
        }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return -sig;
}
