/*
 * cmd_setup_kiosk.c: `ikrar setup-kiosk` makes this box boot into the
 * kiosk (deploy/systemd/ikrar-kiosk.service under cage on tty1), or with
 * --disable back to a text login.
 *
 * It checks first that the data folder is an initialised ikrar folder and
 * belongs to the service's user, since a kiosk that cannot open its folder
 * would only restart every two seconds on a black screen.  Then it runs
 * systemctl directly (fork and exec, no shell, so no word of the folder's
 * path is ever interpreted).  --dry-run prints the same commands without
 * running them and needs no root.  The service's user is "ikrar" (the
 * package makes it); IKRAR_KIOSK_USER names another, for tests only.
 */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/oplog.h"
#include "ikrar/station.h"

#define DEFAULT_DATA "/var/lib/ikrar"
#define UNIT "ikrar-kiosk.service"
#define MAX_ARGS 4

static void help(const cli *c)
{
    printf("%s: ikrar setup-kiosk [--data DIR] [--disable] [--dry-run]\n\n%s\n",
           L(c, "Pemakaian", "Usage"),
           L(c,
             "Menyiapkan mesin ini agar langsung masuk ke kiosk saat menyala: memeriksa folder\n"
             "data (default " DEFAULT_DATA ") sudah di-init dan dimiliki user ikrar, lalu\n"
             "menjalankan systemctl: enable " UNIT ", set-default graphical.target,\n"
             "disable getty@tty1.service. Harus root.\n"
             "  --disable  membatalkan: kembali ke login teks di tty1\n"
             "  --dry-run  hanya mencetak perintah systemctl, tanpa menjalankannya",
             "Makes this machine boot straight into the kiosk: checks that the data folder\n"
             "(default " DEFAULT_DATA ") is initialised and owned by user ikrar, then runs\n"
             "systemctl: enable " UNIT ", set-default graphical.target,\n"
             "disable getty@tty1.service. Needs root.\n"
             "  --disable  undo it: back to a text login on tty1\n"
             "  --dry-run  only print the systemctl commands, without running them"));
}

/* Runs argv (argv[0] found on PATH) and waits; returns its exit status, or -1. */
static int run(char *const argv[])
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * 0 when data and what it holds (one level down: ikrar.db, its WAL, the key)
 * belong to uid; else -1, with *what naming the first file that does not.
 */
static int owned_by(const char *data, uid_t uid, char *what, size_t n)
{
    struct stat st;
    if (stat(data, &st) != 0 || st.st_uid != uid) {
        snprintf(what, n, "%s", data);
        return -1;
    }
    DIR *d = opendir(data);
    if (!d) {
        snprintf(what, n, "%s", data);
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char p[2048];
        if (snprintf(p, sizeof p, "%s/%s", data, de->d_name) >= (int)sizeof p)
            continue;
        if (lstat(p, &st) == 0 && st.st_uid != uid) {
            snprintf(what, n, "%s", p);
            rc = -1;
            break;
        }
    }
    closedir(d);
    return rc;
}

int cmd_setup_kiosk(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"disable", 0, NULL, 0}, {"dry-run", 0, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_opt_get(o, no, "data");
    int disable = cli_opt_get(o, no, "disable") != NULL;
    int dry = cli_opt_get(o, no, "dry-run") != NULL;
    if (!data)
        data = DEFAULT_DATA;
    if (strlen(data) > 1000)
        return cli_usage_error(c, "--data terlalu panjang.", "--data is too long.");
    if (!dry && geteuid() != 0) {
        fprintf(stderr, "%s\n",
                L(c,
                  "ikrar setup-kiosk: harus dijalankan sebagai root (sudo ikrar setup-kiosk); "
                  "--dry-run menunjukkan apa yang akan dilakukan.",
                  "ikrar setup-kiosk: must run as root (sudo ikrar setup-kiosk); --dry-run shows "
                  "what it would do."));
        return EXIT_TROUBLE;
    }

    if (!disable) {
        const char *user = NULL;
#ifdef IKRAR_TEST_HOOKS
        user = getenv("IKRAR_KIOSK_USER"); /* test builds only: another user than ikrar */
#endif
        if (!user || !*user)
            user = "ikrar";
        ikr_err e;
        ikr_err_clear(&e);
        ikr_station *s = NULL;
        rc = ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e);
        ikr_station_close(s);
        if (rc) {
            cli_fail(c, &e);
            fprintf(stderr,
                    L(c,
                      "Siapkan dulu acaranya di folder itu sebagai user %s, misalnya:\n"
                      "  sudo -u %s ikrar init --data %s --event ID --title JUDUL --kiosk NAMA\n",
                      "Initialise the event in that folder first, as user %s, e.g.:\n"
                      "  sudo -u %s ikrar init --data %s --event ID --title TITLE --kiosk NAME\n"),
                    user, user, data);
            return EXIT_TROUBLE;
        }
        struct passwd *pw = getpwnam(user);
        if (!pw) {
            fprintf(stderr,
                    L(c,
                      "ikrar setup-kiosk: user %s tidak ada. Paket ikrar membuatnya; tanpa paket:\n"
                      "  useradd --system --home-dir /var/lib/ikrar --groups lp,video,input %s\n",
                      "ikrar setup-kiosk: there is no user %s. The ikrar package makes it; "
                      "without the package:\n"
                      "  useradd --system --home-dir /var/lib/ikrar --groups lp,video,input %s\n"),
                    user, user);
            return EXIT_TROUBLE;
        }
        char what[2048];
        if (owned_by(data, pw->pw_uid, what, sizeof what) != 0) {
            fprintf(stderr,
                    L(c,
                      "ikrar setup-kiosk: %s bukan milik user %s; kiosk tidak akan bisa menulis.\n"
                      "Jalankan:\n  chown -R %s:%s %s\n",
                      "ikrar setup-kiosk: %s does not belong to user %s; the kiosk could not "
                      "write.\nRun:\n  chown -R %s:%s %s\n"),
                    what, user, user, user, data);
            return EXIT_TROUBLE;
        }
        if (strcmp(data, DEFAULT_DATA) != 0)
            fprintf(stderr, L(c,
                              "Catatan: layanan memakai --data " DEFAULT_DATA
                              "; untuk folder lain, ubah ExecStart dengan\n"
                              "  systemctl edit " UNIT "\n",
                              "Note: the service uses --data " DEFAULT_DATA
                              "; for another folder, change ExecStart with\n"
                              "  systemctl edit " UNIT "\n"));
    }

    static char *const enable_cmds[][MAX_ARGS] = {
        {"systemctl", "enable", UNIT, NULL},
        {"systemctl", "set-default", "graphical.target", NULL},
        {"systemctl", "disable", "getty@tty1.service", NULL},
    };
    static char *const disable_cmds[][MAX_ARGS] = {
        {"systemctl", "disable", UNIT, NULL},
        {"systemctl", "enable", "getty@tty1.service", NULL},
        {"systemctl", "set-default", "multi-user.target", NULL},
    };
    char *const(*cmds)[MAX_ARGS] = disable ? disable_cmds : enable_cmds;
    size_t ncmds = 3;
    if (dry)
        printf("%s\n", L(c, "Akan dijalankan (--dry-run: tidak ada yang diubah):",
                         "Would run (--dry-run: nothing is changed):"));
    for (size_t i = 0; i < ncmds; i++) {
        printf("  %s %s %s\n", cmds[i][0], cmds[i][1], cmds[i][2]);
        if (dry)
            continue;
        int st = run(cmds[i]);
        if (st != 0) {
            fprintf(stderr,
                    L(c, "ikrar setup-kiosk: '%s %s %s' gagal (status %d); berhenti di sini.\n",
                      "ikrar setup-kiosk: '%s %s %s' failed (status %d); stopping here.\n"),
                    cmds[i][0], cmds[i][1], cmds[i][2], st);
            return EXIT_TROUBLE;
        }
    }
    if (dry)
        return EXIT_VALID;
    ikr_oplog("admin", "action=%s", disable ? "setup-kiosk-disable" : "setup-kiosk");
    if (disable)
        printf(
            "%s\n",
            L(c,
              "Kiosk tidak lagi dimulai saat menyala; tty1 kembali ke login teks. Jika mesin ini\n"
              "dulu masuk ke desktop: systemctl set-default graphical.target. Hentikan kiosk\n"
              "yang sedang berjalan dengan: systemctl stop " UNIT,
              "The kiosk no longer starts at boot; tty1 is back to a text login. If this box\n"
              "booted to a desktop before: systemctl set-default graphical.target. Stop a\n"
              "kiosk running now with: systemctl stop " UNIT));
    else
        printf("%s\n",
               L(c,
                 "Selesai: kiosk akan tampil di layar saat mesin dinyalakan ulang (reboot),\n"
                 "atau sekarang dengan: systemctl start " UNIT "\n"
                 "Log: journalctl -u ikrar-kiosk. Membatalkan: ikrar setup-kiosk --disable",
                 "Done: the kiosk comes up on the screen at the next reboot,\n"
                 "or now with: systemctl start " UNIT "\n"
                 "Log: journalctl -u ikrar-kiosk. To undo: ikrar setup-kiosk --disable"));
    return EXIT_VALID;
}
