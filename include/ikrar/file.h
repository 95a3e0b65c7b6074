/*
 * file.h: files and folders, done once.
 *
 * ikr_file_read takes a whole file (or standard input, "-") up to a limit.
 * ikr_file_remove_tree deletes a folder that ikrar built, never following a
 * symbolic link out of it.  ikr_file_sync_dir makes a rename or a new name
 * in a folder durable.
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

/* Removes dir and everything below it; a symbolic link is removed, never followed. */
void ikr_file_remove_tree(const char *dir);

#endif
