/*
 * notify_listen.c: stands in for systemd's end of $NOTIFY_SOCKET in tests.
 *
 *     notify_listen SOCKET OUT
 *
 * Binds an AF_UNIX datagram socket at the path SOCKET and appends every
 * datagram it gets to OUT, one a line (a newline inside a message becomes
 * ' '), flushed at once, so a test can wait for "READY=1" by reading OUT.
 * Ends on SIGTERM or after ten minutes, removing SOCKET.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t done;

static void on_term(int sig)
{
    (void)sig;
    done = 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: notify_listen SOCKET OUT\n");
        return 2;
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(argv[1]) >= sizeof sa.sun_path) {
        fprintf(stderr, "notify_listen: socket path too long\n");
        return 2;
    }
    strcpy(sa.sun_path, argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    unlink(argv[1]);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("notify_listen: bind");
        return 1;
    }
    FILE *out = fopen(argv[2], "a");
    if (!out) {
        perror("notify_listen: OUT");
        return 1;
    }
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_term;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    struct timeval tv = {0, 200000}; /* wake up to see SIGTERM and the ten minutes */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    time_t end = time(NULL) + 600;
    char buf[4096];
    while (!done && time(NULL) < end) {
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n <= 0)
            continue;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == '\n' || buf[i] == '\0')
                buf[i] = ' ';
        buf[n] = '\0';
        fprintf(out, "%s\n", buf);
        fflush(out);
    }
    fclose(out);
    close(fd);
    unlink(argv[1]);
    return 0;
}
