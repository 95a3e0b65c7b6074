/*
 * file.h: files and folders, done once.
 *
 * ikr_file_read takes a whole file (or standard input, "-") up to a limit.
 * ikr_file_remove_tree deletes a folder that ikrar built, never following a
 * symbolic link out of it.  ikr_file_sync_dir makes a rename or a new name
 * in a folder durable.  ikr_file_write_atomic, and ikr_file_out for a file
 * written in pieces, replace a file so that it is never seen half written,
 * even after a power cut.
 */
#ifndef IKRAR_FILE_H
#define IKRAR_FILE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * Reads path ("-": standard input) into out, replacing what it held, and
 * refuses a file larger than max bytes (IKR_E_IO).  out stays NUL-terminated
 * (the NUL is not counted in out->len).  read(2), not stdio: no library
 * buffer keeps a copy of a passphrase.
 */
int ikr_file_read(const char *path, size_t max, ikr_buf *out, ikr_err *e);

/* fsyncs the folder dir, so that names made or renamed in it survive a power cut. */
int ikr_file_sync_dir(const char *dir);

/* ikr_file_sync_dir on the folder holding path ("." when path names none). */
int ikr_file_sync_parent(const char *path);

/* Removes dir and everything below it; a symbolic link is removed, never followed. */
void ikr_file_remove_tree(const char *dir);

/*
 * Removes what a process that has ended left in dir: the entries named
 * prefix, a pid, and nothing more or a '.' or '-' and anything, where that
 * pid runs no more, and which are this user's own regular files or folders
 * (never followed through a symbolic link).  Best effort.
 */
void ikr_file_remove_stale(const char *dir, const char *prefix);

/* The longest path a file may be written to (the temporary name adds ".tmp"). */
#define IKR_FILE_PATH_MAX 4096

/* Flags of ikr_file_out_open. */
enum {
    IKR_FILE_NOSYNC = 1, /* atomic but not durable: no fsync (a test's frame-by-frame hints) */
    IKR_FILE_OWN_TMP = 2 /* the temporary file is "<path>.<pid>.<random>.tmp", this process's
                            own, so that it may be held open while other processes replace
                            path; ikr_file_remove_stale(dir, "<name>.") clears a crash's */
};

/*
 * A file being written in pieces to "<path>.tmp" and then renamed over
 * path.  Fill it with ikr_file_out_open, ikr_file_out_write any number of
 * times, then ikr_file_out_commit; ikr_file_out_abort (harmless after a
 * commit) drops it.  The first failure sticks: later writes return it and
 * the commit reports it and removes the temporary file.
 */
typedef struct ikr_file_out {
    int fd;         /* the temporary file; -1 when none is open */
    int rc;         /* IKR_OK, or the code of the first failure */
    int err;        /* that failure's errno; 0 when none */
    unsigned flags; /* IKR_FILE_* */
    int reserved;   /* ikr_file_out_reserve was called: the file is cut to what was written */
    char path[IKR_FILE_PATH_MAX];
    char tmp[IKR_FILE_PATH_MAX + 32]; /* "" while there is no temporary file to remove */
} ikr_file_out;

/*
 * Creates "<path>.tmp" new (O_EXCL, so never through a symbolic link) with
 * mode, less the umask.  A regular file left there by a crash is removed
 * first; anything else of that name is refused and left alone.  Failures:
 * IKR_E_DISK_FULL (no space, quota or file size limit), IKR_E_READONLY,
 * IKR_E_IO (with the path and the reason in e).
 */
int ikr_file_out_open(ikr_file_out *o, const char *path, int mode, unsigned flags, ikr_err *e);

/*
 * Allocates n bytes for the temporary file now (before anything is written),
 * so that writing up to n bytes later cannot find the disk full: a signing
 * reserves the room of its head before it commits.  IKR_E_DISK_FULL when
 * there is no room.  The commit cuts the file to what was written.
 */
int ikr_file_out_reserve(ikr_file_out *o, size_t n, ikr_err *e);

/* Appends p[0..n) to the temporary file; the codes of ikr_file_out_open. */
int ikr_file_out_write(ikr_file_out *o, const void *p, size_t n, ikr_err *e);

/*
 * fsyncs the temporary file, renames it over path and fsyncs the folder
 * (unless IKR_FILE_NOSYNC).  On any failure, this one or an earlier
 * write's, the temporary file is removed and path is as it was.
 */
int ikr_file_out_commit(ikr_file_out *o, ikr_err *e);

/* Closes and removes the temporary file, if any: path stays as it was. */
void ikr_file_out_abort(ikr_file_out *o);

/*
 * Replaces path with p[0..n), whole or not at all, durably: the streaming
 * calls above in one.  mode as ikr_file_out_open.
 */
int ikr_file_write_atomic(const char *path, const void *p, size_t n, int mode, ikr_err *e);

#endif
