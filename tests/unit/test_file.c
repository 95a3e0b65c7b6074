/*
 * test_file.c: replacing a file atomically (file.h).  A reader must see the
 * old file or the new one, whole, never a mix; a failure must leave the old
 * file and no temporary file; the mode asked for must be the file's; a
 * symbolic link planted at the temporary name must not be followed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/buf.h"
#include "ikrar/err.h"
#include "ikrar/file.h"

static char dir[64] = "/tmp/ikrar-test-file-XXXXXX";

static void at(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

/* 1 when path holds exactly s. */
static int holds(const char *path, const char *s)
{
    ikr_buf b;
    ikr_err e;
    ikr_buf_init(&b);
    ikr_err_clear(&e);
    int ok = ikr_file_read(path, 1 << 20, &b, &e) == IKR_OK && b.len == strlen(s) &&
             memcmp(b.p, s, b.len) == 0;
    ikr_buf_free(&b);
    return ok;
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static int mode_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int)(sb.st_mode & 0777) : -1;
}

static void whole_files(void)
{
    char path[128], tmp[140];
    ikr_err e;
    at(path, sizeof path, "a.txt");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);

    ikr_err_clear(&e);
    check("a new file is written", ikr_file_write_atomic(path, "first\n", 6, 0600, &e) == IKR_OK);
    check("it holds what was given", holds(path, "first\n"));
    check("mode 0600", mode_of(path) == 0600);
    check("no temporary file is left", !exists(tmp));

    check("it is replaced",
          ikr_file_write_atomic(path, "second, longer\n", 15, 0644, &e) == IKR_OK);
    check("whole: nothing of the old one is left", holds(path, "second, longer\n"));
    check("the new file has the new mode", mode_of(path) == 0644);

    check("an empty file",
          ikr_file_write_atomic(path, "", 0, 0644, &e) == IKR_OK && holds(path, ""));

    /* A reader holding the old file keeps reading the old bytes: it is replaced, not rewritten. */
    ikr_file_write_atomic(path, "old", 3, 0644, &e);
    FILE *f = fopen(path, "rb");
    char got[8] = "";
    ikr_file_write_atomic(path, "new", 3, 0644, &e);
    check("an open reader still sees the old file",
          f && fread(got, 1, 3, f) == 3 && memcmp(got, "old", 3) == 0);
    if (f)
        fclose(f);
    check("a new reader sees the new one", holds(path, "new"));

    /* A file name with no folder: the folder synced is the working one. */
    check("the parent of a bare name", ikr_file_sync_parent("bare-name") == 0);
    check("the parent of a file at the root", ikr_file_sync_parent("/x") == 0);
}

static void failures(void)
{
    char path[128], tmp[140], victim[128];
    ikr_err e;

    /* A folder that is not there. */
    at(path, sizeof path, "no/such/b.txt");
    ikr_err_clear(&e);
    check("a missing folder is IKR_E_IO",
          ikr_file_write_atomic(path, "x", 1, 0644, &e) == IKR_E_IO);
    check("the error names the path", strstr(e.detail, "no/such/b.txt") != NULL);

    /* The rename fails (a folder is in the way): the folder stays, the temporary file goes. */
    at(path, sizeof path, "in-the-way");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    mkdir(path, 0700);
    ikr_err_clear(&e);
    check("a failed rename is IKR_E_IO",
          ikr_file_write_atomic(path, "x", 1, 0644, &e) == IKR_E_IO &&
              strstr(e.detail, "in-the-way"));
    struct stat sb;
    check("what was there stays", stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
    check("no temporary file after a failed rename", !exists(tmp));
    rmdir(path);

    /* A temporary file left by a crash is no obstacle. */
    at(path, sizeof path, "c.txt");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ikr_file_write_atomic(tmp, "stale", 5, 0644, &e);
    ikr_err_clear(&e);
    check("a stale temporary file is replaced",
          ikr_file_write_atomic(path, "fresh", 5, 0644, &e) == IKR_OK && holds(path, "fresh") &&
              !exists(tmp));

    /* A symbolic link planted at the temporary name is not followed, nor removed. */
    at(victim, sizeof victim, "victim.txt");
    ikr_file_write_atomic(victim, "precious", 8, 0644, &e);
    check("plant a link", symlink(victim, tmp) == 0);
    ikr_err_clear(&e);
    check("a linked temporary name is refused",
          ikr_file_write_atomic(path, "evil", 4, 0644, &e) == IKR_E_IO &&
              strstr(e.detail, "left alone"));
    check("the link's target is untouched", holds(victim, "precious"));
    check("the file is as it was", holds(path, "fresh"));
    struct stat lb;
    check("the link is left alone", lstat(tmp, &lb) == 0 && S_ISLNK(lb.st_mode));
    unlink(tmp);

    /* A path too long for the temporary name. */
    char *lng = malloc(IKR_FILE_PATH_MAX + 16);
    if (lng) {
        memset(lng, 'a', IKR_FILE_PATH_MAX + 15);
        lng[IKR_FILE_PATH_MAX + 15] = '\0';
        ikr_err_clear(&e);
        check("a path too long is refused",
              ikr_file_write_atomic(lng, "x", 1, 0644, &e) == IKR_E_IO);
        free(lng);
    }
}

static void pieces(void)
{
    char path[128], tmp[140];
    ikr_file_out o;
    ikr_err e;
    at(path, sizeof path, "d.txt");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ikr_file_write_atomic(path, "before", 6, 0644, &e);

    ikr_err_clear(&e);
    check("open", ikr_file_out_open(&o, path, 0600, 0, &e) == IKR_OK);
    check("write", ikr_file_out_write(&o, "one ", 4, &e) == IKR_OK &&
                       ikr_file_out_write(&o, "two", 3, &e) == IKR_OK);
    check("not there before the commit", holds(path, "before") && exists(tmp));
    check("commit", ikr_file_out_commit(&o, &e) == IKR_OK);
    check("there after it, in one piece",
          holds(path, "one two") && !exists(tmp) && mode_of(path) == 0600);
    ikr_file_out_abort(&o);
    check("abort after a commit changes nothing", holds(path, "one two"));

    check("open again", ikr_file_out_open(&o, path, 0644, IKR_FILE_NOSYNC, &e) == IKR_OK);
    ikr_file_out_write(&o, "half", 4, &e);
    ikr_file_out_abort(&o);
    check("an abort keeps the old file and removes the new",
          holds(path, "one two") && !exists(tmp));

    check("without syncing", ikr_file_out_open(&o, path, 0644, IKR_FILE_NOSYNC, &e) == IKR_OK &&
                                 ikr_file_out_write(&o, "quick", 5, &e) == IKR_OK &&
                                 ikr_file_out_commit(&o, &e) == IKR_OK && holds(path, "quick"));

    /* A full disk, as a file size limit makes it: IKR_E_DISK_FULL, and the old file stays. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        static char chunk[8192];
        struct rlimit rl = {16 * 1024, 16 * 1024};
        ikr_file_out w;
        ikr_err we;
        ikr_err_clear(&we);
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &rl);
        int rc = ikr_file_out_open(&w, path, 0644, 0, &we);
        for (int i = 0; i < 4 && !rc; i++)
            rc = ikr_file_out_write(&w, chunk, sizeof chunk, &we);
        int later = ikr_file_out_write(&w, "x", 1, NULL); /* the failure sticks */
        int commit = ikr_file_out_commit(&w, NULL);       /* and is what the commit says */
        _exit(rc == IKR_E_DISK_FULL && later == rc && commit == rc && we.code == rc ? 0 : 1);
    }
    int status = 0;
    check("the writer runs", pid > 0 && waitpid(pid, &status, 0) == pid);
    check("a full disk is IKR_E_DISK_FULL, and sticks",
          WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("the old file stays, no temporary file", holds(path, "quick") && !exists(tmp));
}

/* A reserved file of this process's own, and what a killed process left. */
static void reserved(void)
{
    char path[128], left[160], live[160], other[160], link[160];
    ikr_file_out o, o2;
    ikr_err e;
    struct stat sb;
    at(path, sizeof path, "head.txt");
    ikr_file_write_atomic(path, "old head", 8, 0644, &e);
    ikr_err_clear(&e);
    check("own open", ikr_file_out_open(&o, path, 0644, IKR_FILE_OWN_TMP, &e) == IKR_OK);
    check("a second, at once, gets another name",
          ikr_file_out_open(&o2, path, 0644, IKR_FILE_OWN_TMP, &e) == IKR_OK &&
              strcmp(o.tmp, o2.tmp) != 0);
    ikr_file_out_abort(&o2);
    check("the room is taken at once", ikr_file_out_reserve(&o, 4096, &e) == IKR_OK &&
                                           stat(o.tmp, &sb) == 0 && sb.st_size == 4096);
    check("written into the room", ikr_file_out_write(&o, "new head", 8, &e) == IKR_OK &&
                                       ikr_file_out_commit(&o, &e) == IKR_OK);
    check("cut to what was written",
          holds(path, "new head") && stat(path, &sb) == 0 && sb.st_size == 8);
    ikr_file_out_abort(&o);

    /* pid 99999999 is above any pid_max: that process has ended. */
    at(left, sizeof left, "head.txt.99999999.0badf00d.tmp");
    snprintf(live, sizeof live, "%s/head.txt.%ld.12345678.tmp", dir, (long)getppid());
    at(other, sizeof other, "head.txt.tmp");
    at(link, sizeof link, "head.txt.99999998.tmp");
    ikr_file_write_atomic(left, "x", 1, 0644, &e);
    ikr_file_write_atomic(live, "x", 1, 0644, &e);
    ikr_file_write_atomic(other, "x", 1, 0644, &e);
    check("a planted link", symlink(path, link) == 0);
    ikr_file_remove_stale(dir, "head.txt.");
    check("an ended process's file goes", !exists(left));
    check("a running process's stays", exists(live));
    check("a name without a pid stays", exists(other));
    check("a symbolic link is not followed", holds(path, "new head"));
    unlink(live);
    unlink(other);
    unlink(link);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    umask(022);
    whole_files();
    failures();
    pieces();
    reserved();
    ikr_file_remove_tree(dir);
    return check_report();
}
