/*
 * test_oplog.c: the operational log (oplog.h): one line each, never a NIP in full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/oplog.h"

/* Runs the logging calls with standard error sent to a file; returns what was written. */
static char *captured(void (*fn)(void))
{
    char path[] = "/tmp/ikrar-oplog-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    fn();
    dup2(saved, STDERR_FILENO);
    close(saved);
    static char text[4096];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    close(fd);
    unlink(path);
    text[n > 0 ? n : 0] = '\0';
    return text;
}

static void two_lines(void)
{
    char nip[IKR_OPLOG_NIP_SIZE], w[64];
    ikr_oplog("pin-fail", "attempt=%d nip=%s", 3, ikr_oplog_nip("198507262010121001", nip));
    ikr_oplog("printer-fail", "printer=%s reason=%s", ikr_oplog_word("cups:Kasir 1\n", w, sizeof w),
              "line1\nline2");
}

static void long_line(void)
{
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ikr_oplog("export", "path=%s", big);
}

int main(void)
{
    char *t = captured(two_lines);
    check("oplog: lines captured", t != NULL);
    if (t) {
        check("oplog: first line",
              strncmp(t, "ikrar: pin-fail attempt=3 nip=**************1001\n", 49) == 0);
        check("oplog: NIP never in full", strstr(t, "198507262010121001") == NULL);
        check("oplog: a word keeps no space or newline",
              strstr(t, "printer=cups:Kasir_1_ reason=line1 line2\n") != NULL);
        int lines = 0;
        for (char *p = t; *p; p++)
            lines += *p == '\n';
        check("oplog: two events, two lines", lines == 2);
    }
    t = captured(long_line);
    check("oplog: a long value is cut to one line", t && strlen(t) == IKR_OPLOG_MAX - 1 &&
                                                        t[strlen(t) - 1] == '\n' &&
                                                        strchr(t, '\n') == t + strlen(t) - 1);

    char nip[IKR_OPLOG_NIP_SIZE];
    check("oplog: short value shows nothing", strcmp(ikr_oplog_nip("123", nip), "***") == 0);
    check("oplog: empty NIP", strcmp(ikr_oplog_nip("", nip), "-") == 0);
    char w[4];
    check("oplog: word cut", strcmp(ikr_oplog_word("abcdef", w, sizeof w), "abc") == 0);
    return check_report();
}
