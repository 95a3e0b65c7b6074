/*
 * backup.c: a copy of a data folder that is whole, audited, and never
 * mistaken for one when it is not (see backup.h).
 */
#define _GNU_SOURCE /* renameat2 and RENAME_NOREPLACE */
#include "ikrar/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ikrar/file.h"
#include "ikrar/key.h"
#include "ikrar/log.h"
#include "ikrar/oplog.h"
#include "ikrar/station.h"
#include "ikrar/trust.h"

#define COPY_SHARE 0.8   /* the part of the progress bar the database copy takes */
#define VKEY_MAX 4096    /* bytes of a verifier.key we copy */
#define HEAD_MAX 4096    /* bytes of a head file we copy */
#define PARTIAL_EXTRA 40 /* ".partial-<pid>/verifier.key" beyond dest's length */

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* An errno from writing to the destination as an ikrar code. */
static int dest_code(int err)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return IKR_E_DISK_FULL;
    case EROFS:
        return IKR_E_READONLY;
    default:
        return IKR_E_IO;
    }
}

struct copy_progress {
    const ikr_backup_opts *o;
};

static void copy_step(void *ctx, uint64_t done, uint64_t total)
{
    const struct copy_progress *p = ctx;
    if (p->o->progress && total > 0)
        p->o->progress(p->o->ctx, COPY_SHARE * (double)done / (double)total);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;
}

/* Renames a finished copy to dest, refusing to replace anything that appeared there meanwhile. */
static int put_in_place(const char *from, const char *dest, ikr_err *e)
{
    int r = renameat2(AT_FDCWD, from, AT_FDCWD, dest, RENAME_NOREPLACE);
    if (r != 0 && errno == EINVAL) {
        /* A filesystem without RENAME_NOREPLACE: look, then rename (a folder only replaces an
         * empty one). */
        struct stat st;
        if (lstat(dest, &st) == 0)
            return ikr_err_set(e, IKR_E_BACKUP_EXISTS, "%s", dest);
        r = rename(from, dest);
    }
    if (r != 0)
        return errno == EEXIST || errno == ENOTEMPTY
                   ? ikr_err_set(e, IKR_E_BACKUP_EXISTS, "%s", dest)
                   : ikr_err_set(e, dest_code(errno), "%s: %s", dest, strerror(errno));
    if (ikr_file_sync_parent(dest) != 0)
        return ikr_err_set(e, dest_code(errno), "%s: %s", dest, strerror(errno));
    return IKR_OK;
}

static void log_line(const char *dest, const ikr_backup_report *rep, int rc)
{
    char word[160];
    ikr_oplog("backup", "dest=%s records=%llu key=%s result=%s code=%d",
              ikr_oplog_word(dest, word, sizeof word), (unsigned long long)rep->records,
              rep->key_copied ? "encrypted" : "none", rc ? "failed" : "ok", rc);
}

int ikr_backup(const char *src, const char *dest, const ikr_backup_opts *o, ikr_backup_report *rep,
               ikr_err *e)
{
    static const ikr_backup_opts none;
    char stage[IKR_FILE_PATH_MAX], path[IKR_FILE_PATH_MAX + 64], from[IKR_FILE_PATH_MAX];
    ikr_station *s = NULL, *copy = NULL;
    ikr_key *key = NULL;
    ikr_buf vkey, head, trust;
    struct stat st;
    int rc, staged = 0;
    uint64_t snapshot = 0;
    struct copy_progress cp;
    if (!o)
        o = &none;
    cp.o = o;
    memset(rep, 0, sizeof *rep);
    ikr_buf_init(&vkey);
    ikr_buf_init(&head);
    ikr_buf_init(&trust);
    if (!*dest || strlen(dest) + PARTIAL_EXTRA >= sizeof stage ||
        strlen(src) + PARTIAL_EXTRA >= sizeof stage) {
        rc = ikr_err_set(e, IKR_E_IO, "%.60s...: path too long", dest);
        goto out;
    }
    if (lstat(dest, &st) == 0) {
        rc = ikr_err_set(e, IKR_E_BACKUP_EXISTS, "%s", dest);
        goto out;
    }
    if (errno != ENOENT) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", dest, strerror(errno));
        goto out;
    }
    /* Everything that can be refused about the source is refused before dest is touched. */
    if ((rc = ikr_station_open(&s, src, IKR_OPEN_VERIFY, NULL, e)))
        goto out;
    snprintf(from, sizeof from, "%s/%s", src, IKR_VKEY_FILE);
    if ((rc = ikr_file_read(from, VKEY_MAX, &vkey, e)))
        goto out;
    if (o->pass) {
        snprintf(from, sizeof from, "%s/%s", src, IKR_KEY_FILE);
        if ((rc = ikr_key_load(&key, from, o->key_pass, e)))
            goto out;
        if (memcmp(ikr_key_public(key), ikr_key_public(ikr_station_key(s)), IKR_PUB_LEN) != 0) {
            rc = ikr_err_set(e, IKR_E_KEY_MISMATCH, "%s", from);
            goto out;
        }
    }
    /*
     * The head (issue 11) is read before the database is copied, so it never
     * names more records than the copy holds; a folder without one yet is
     * looked at again after the copy, when it may have made one.
     */
    snprintf(from, sizeof from, "%s/%s", src, IKR_HEAD_FILE);
    int have_head = ikr_file_read(from, HEAD_MAX, &head, NULL) == IKR_OK;
    snprintf(stage, sizeof stage, "%s.partial-%ld", dest, (long)getpid());
    if (mkdir(stage, 0700) != 0) {
        rc = ikr_err_set(e, dest_code(errno), "%s: %s", stage, strerror(errno));
        goto out;
    }
    staged = 1;
    if (o->progress)
        o->progress(o->ctx, 0.0);
    uint64_t t0 = now_us();
    snprintf(path, sizeof path, "%s/%s", stage, IKR_DB_FILE);
    if ((rc = ikr_log_backup(ikr_station_log(s), path, copy_step, &cp, &snapshot, e)))
        goto out;
    rep->copy_us = now_us() - t0;
    rep->bytes += file_size(path);
    snprintf(path, sizeof path, "%s/%s", stage, IKR_VKEY_FILE);
    if ((rc = ikr_file_write_atomic(path, vkey.p, vkey.len, 0644, e)))
        goto out;
    rep->bytes += vkey.len;
    if (!have_head)
        have_head = ikr_file_read(from, HEAD_MAX, &head, NULL) == IKR_OK;
    if (have_head) {
        snprintf(path, sizeof path, "%s/%s", stage, IKR_HEAD_FILE);
        if ((rc = ikr_file_write_atomic(path, head.p, head.len, 0644, e)))
            goto out;
        rep->bytes += head.len;
    }
    /* The installed event trust list goes too: restored, the verify station still knows the
     * event's other kiosks and the event key it pinned. */
    snprintf(from, sizeof from, "%s/%s", src, IKR_TRUST_FILE);
    if (ikr_file_read(from, IKR_TRUST_MAX_NOTE, &trust, NULL) == IKR_OK) {
        snprintf(path, sizeof path, "%s/%s", stage, IKR_TRUST_FILE);
        if ((rc = ikr_file_write_atomic(path, trust.p, trust.len, 0644, e)))
            goto out;
        rep->bytes += trust.len;
    }
    if (key) {
        snprintf(path, sizeof path, "%s/%s", stage, IKR_KEY_FILE);
        if ((rc = ikr_key_save(key, path, o->pass, e))) {
            /* key.c names its failure as a key file's; on a full stick say so. */
            if (errno == ENOSPC || errno == EROFS) {
                ikr_err_clear(e);
                rc = ikr_err_set(e, dest_code(errno), "%s", path);
            }
            goto out;
        }
        rep->key_copied = 1;
        rep->bytes += file_size(path);
    }
    if (ikr_file_sync_dir(stage) != 0) {
        rc = ikr_err_set(e, dest_code(errno), "%s: %s", stage, strerror(errno));
        goto out;
    }
    ikr_station_close(s);
    s = NULL;
    if (o->progress)
        o->progress(o->ctx, COPY_SHARE);
    /* The copy as an auditor would open it: read-only, with its own verifier.key. */
    t0 = now_us();
    if ((rc = ikr_station_open(&copy, stage, IKR_OPEN_VERIFY, NULL, e)) ||
        (rc = ikr_audit_station(copy, o->threads, &rep->audit, e)) ||
        (rc = ikr_station_head_check(copy, e)))
        goto out;
    rep->audit_us = now_us() - t0;
    rep->records = rep->audit.records;
    if (rep->records != snapshot) {
        rc = ikr_err_set(e, IKR_E_AUDIT_MISSING, "copy has %llu records of %llu",
                         (unsigned long long)rep->records, (unsigned long long)snapshot);
        goto out;
    }
    ikr_station_close(copy);
    copy = NULL;
    if ((rc = put_in_place(stage, dest, e)))
        goto out;
    staged = 0;
    if (o->progress)
        o->progress(o->ctx, 1.0);
out:
    if (!rep->records)
        rep->records = snapshot;
    ikr_station_close(copy);
    ikr_station_close(s);
    ikr_key_free(key);
    ikr_buf_free(&vkey);
    ikr_buf_free(&head);
    ikr_buf_free(&trust);
    if (staged)
        ikr_file_remove_tree(stage); /* a half-made or failed copy never stays to be mistaken */
    log_line(dest, rep, rc);
    return rc;
}
