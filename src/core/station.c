/*
 * station.c: a kiosk's data folder, and the signing path.
 *
 * Order of a signing, and why:
 *   1. check the form and the ink (nothing touched yet);
 *   2. BEGIN IMMEDIATE: from here no other process can append;
 *   3. refuse a NIP that already signed (the unique index would refuse it
 *      too, but this way the signer hears when and as which number);
 *   4. build the claims with seq = size + 1, sign them, append the record,
 *      its ink and its tree nodes;
 *   5. COMMIT, which syncs the WAL: the record is durable (a COMMIT that
 *      fails with an I/O error may still have reached the WAL: "may have
 *      been saved", and the log is reopened and checked before the next);
 *   6. replace head.txt with the new size and root, so a database that
 *      later holds fewer records is refused at open;
 *   7. only now make the receipt, so no receipt ever names a record that
 *      is not on disk.
 */
#include "ikrar/station.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ikrar/clock.h"
#include "ikrar/cose.h"
#include "ikrar/decl.h"
#include "ikrar/file.h"
#include "ikrar/nip.h"
#include "ikrar/note.h"
#include "ikrar/oplog.h"
#include "ikrar/pin.h"
#include "ikrar/text.h"
#include "ikrar/zone.h"

/*
 * The station is opaque (station.h): callers get the event through
 * ikr_station_event and the store only through the functions below, so
 * what may be written, and inside which transaction, is decided here.
 */
struct ikr_station {
    ikr_log *log;
    ikr_key *key; /* signing key, or verify-only when opened without it */
    char dir[1024];
    ikr_event_info ev; /* title and decl point into the buffers below */
    ikr_buf title;     /* NUL-terminated */
    ikr_buf decl;      /* the declaration text, NUL-terminated */
    int closed;        /* the event was closed: no more signings */
    int64_t created;   /* when the event was set up (0: not known) */
    int64_t max_gap;   /* seconds, see ikr_station_clock_check */
    int read_together; /* the declaration was read aloud together: agree at once */
    int unsure;        /* a COMMIT failed: reconcile with the head before the next signing */
    int nosync;        /* `ikrar bench` filling a log: the head is not synced either */
    int readonly;      /* opened IKR_OPEN_SIGN_READONLY: sign checkpoints, store nothing */
};

int ikr_kiosk_name_ok(const char *name)
{
    size_t n = strlen(name);
    /* A merge makes a folder of this name: "...", ".." or ".hidden" would be hidden or worse. */
    if (n == 0 || n > IKR_MAX_KIOSK_NAME || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static void join(char *out, size_t n, const char *dir, const char *file)
{
    snprintf(out, n, "%s/%s", dir, file);
}

/* Writes a small public file (the verifier key) new, synced. */
static int write_public(const char *path, const void *p, size_t n, ikr_err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", path,
                           strerror(errno));
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = errno;
            close(fd);
            return ikr_err_set(e, err == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", path,
                               strerror(err));
        }
        b += w;
        n -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0)
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    return IKR_OK;
}

/* Checks what init was given; returns the first problem. */
static int check_cfg(const ikr_station_cfg *c, ikr_err *e)
{
    if (!c->event_id || !ikr_event_id_ok(c->event_id))
        return ikr_err_set(e, IKR_E_EVENT_ID, NULL);
    if (!c->kiosk || !ikr_kiosk_name_ok(c->kiosk))
        return ikr_err_set(e, IKR_E_KIOSK_NAME, NULL);
    if (!c->title || !c->title[0] || strlen(c->title) > IKR_MAX_TITLE ||
        !ikr_utf8_valid(c->title, strlen(c->title)))
        return ikr_err_set(e, IKR_E_TITLE, NULL);
    const char *optional[3] = {c->organizer, c->place, c->when};
    for (int i = 0; i < 3; i++)
        if (optional[i] && (strlen(optional[i]) > IKR_MAX_TITLE ||
                            !ikr_utf8_valid(optional[i], strlen(optional[i]))))
            return ikr_err_set(e, IKR_E_TITLE, NULL);
    if (c->zone && ikr_zone_parse(c->zone) < 0)
        return ikr_err_set(e, IKR_E_ZONE, "%s", c->zone);
    if (c->declaration && (c->declaration_len == 0 || c->declaration_len > IKR_MAX_DECL ||
                           !ikr_utf8_valid(c->declaration, c->declaration_len) ||
                           memchr(c->declaration, '\0', c->declaration_len)))
        return ikr_err_set(e, IKR_E_DECL, NULL);
    if (!c->pin || ikr_pin_ok(c->pin) != IKR_OK)
        return ikr_err_set(e, IKR_E_PIN_SHORT, NULL);
    if (c->passphrase && (!c->passphrase[0] || strlen(c->passphrase) > IKR_MAX_PASSPHRASE))
        return ikr_err_set(e, IKR_E_KEY_PASSPHRASE, NULL);
    return IKR_OK;
}

static int meta_str(ikr_log *l, const char *k, const char *v, ikr_err *e)
{
    return ikr_log_meta_set(l, k, v, strlen(v), e);
}

/*
 * A folder its group or others may write is refused for signing and for
 * settings: whoever can write it can swap the log or the key.  Reading one
 * (audit, verify, stats) is allowed: a copy on a FAT stick shows 0777, and
 * the audit checks every signature anyway.
 */
static int check_folder_mode(const char *dir, ikr_err *e)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return IKR_OK; /* opening the log says what is missing */
    if (S_ISDIR(st.st_mode) && (st.st_mode & (S_IWGRP | S_IWOTH)))
        return ikr_err_set(e, IKR_E_DATA_PERMS, "%s", dir);
    return IKR_OK;
}

/* ------------------------------------------------------------------
 * issue 11, rollback: init builds the folder under a temporary name.
 *
 * A folder that does not exist yet is built whole as ".NAME.init-PID"
 * beside it (same filesystem), synced, then renamed into place.  An empty
 * folder that exists (a mount point, the package's /var/lib/ikrar) gets its
 * files built in ".init-PID" inside it and renamed in, the head file last:
 * a folder without a head whose database has no records (or that has no
 * database) is an init that did not finish and may be initialised again.
 * A stage left by a killed init is removed by the next one.
 */

/*
 * 0 when the existing folder dir may be initialised (nothing of a kiosk, or
 * an init that did not finish), else IKR_E_EXISTS.
 */
static int unfinished(const char *dir, ikr_err *e)
{
    char path[1100];
    struct stat st;
    ikr_log *l = NULL;
    ikr_buf flag;
    uint64_t n = 1;
    join(path, sizeof path, dir, IKR_HEAD_FILE);
    if (lstat(path, &st) == 0)
        return ikr_err_set(e, IKR_E_EXISTS, "%s", dir);
    join(path, sizeof path, dir, IKR_DB_FILE);
    if (lstat(path, &st) != 0)
        return IKR_OK; /* no log: at most a key from a killed init */
    /* A log made by an init of this version (it has the head flag) that holds nothing. */
    ikr_buf_init(&flag);
    int ok = ikr_log_open(&l, path, 1, NULL) == IKR_OK &&
             ikr_log_meta_get(l, "head", &flag, NULL) == IKR_OK &&
             ikr_log_size(l, &n, NULL) == IKR_OK && n == 0;
    ikr_buf_free(&flag);
    ikr_log_close(l);
    return ok ? IKR_OK : ikr_err_set(e, IKR_E_EXISTS, "%s", dir);
}

/* Builds a complete data folder in the new folder stage; appends the verifier key line to vk. */
static int build(const char *stage, const ikr_station_cfg *cfg, ikr_buf *vk, ikr_err *e)
{
    char db[1300], keyp[1300], vkp[1300], headp[1300], origin[IKR_MAX_ORIGIN + 1];
    char pinhash[IKR_PIN_HASH_MAX], pubhex[2 * IKR_PUB_LEN + 1];
    uint8_t root[IKR_HASH_LEN];
    ikr_key *k = NULL;
    ikr_log *l = NULL;
    ikr_buf body, note;
    int rc;

    ikr_buf_init(&body);
    ikr_buf_init(&note);
    snprintf(db, sizeof db, "%s/%s", stage, IKR_DB_FILE);
    snprintf(keyp, sizeof keyp, "%s/%s", stage, IKR_KEY_FILE);
    snprintf(vkp, sizeof vkp, "%s/%s", stage, IKR_VKEY_FILE);
    snprintf(headp, sizeof headp, "%s/%s", stage, IKR_HEAD_FILE);
    snprintf(origin, sizeof origin, "ikrar/%s/%s", cfg->event_id, cfg->kiosk);

    if ((rc = ikr_pin_hash(pinhash, cfg->pin, e)) || (rc = ikr_key_generate(&k, e)) ||
        (rc = ikr_key_save(k, keyp, cfg->passphrase, e)) || (rc = ikr_log_create(&l, db, e)))
        goto out;

    const char *decl = cfg->declaration ? cfg->declaration : ikr_decl_default();
    size_t decl_len = cfg->declaration ? cfg->declaration_len : strlen(decl);
    char created[32], max_gap[32];
    snprintf(created, sizeof created, "%llu", (unsigned long long)ikr_clock_now());
    snprintf(max_gap, sizeof max_gap, "%d", IKR_MAX_GAP_DEFAULT);
    ikr_hex(pubhex, ikr_key_public(k), IKR_PUB_LEN);
    if ((rc = ikr_log_begin(l, e)))
        goto out;
    if ((rc = meta_str(l, "event", cfg->event_id, e)) ||
        (rc = meta_str(l, "kiosk", cfg->kiosk, e)) || (rc = meta_str(l, "origin", origin, e)) ||
        (rc = meta_str(l, "title", cfg->title, e)) ||
        (rc = ikr_log_meta_set(l, "declaration", decl, decl_len, e)) ||
        (rc = meta_str(l, "pin", pinhash, e)) || (rc = meta_str(l, "pubkey", pubhex, e)) ||
        (rc = meta_str(l, "created", created, e)) || (rc = meta_str(l, "max_gap", max_gap, e)) ||
        (cfg->organizer && cfg->organizer[0] &&
         (rc = meta_str(l, "organizer", cfg->organizer, e))) ||
        (cfg->place && cfg->place[0] && (rc = meta_str(l, "place", cfg->place, e))) ||
        (cfg->when && cfg->when[0] && (rc = meta_str(l, "when", cfg->when, e))) ||
        (rc = meta_str(l, "zone",
                       ikr_zone_name(cfg->zone ? ikr_zone_parse(cfg->zone) : IKR_ZONE_WIB), e)) ||
        (rc = meta_str(l, "head", "1", e)) || (rc = ikr_log_root(l, 0, root, e)) ||
        (rc = ikr_log_commit(l, e)))
        goto out;
    ikr_log_close(l); /* the last connection: SQLite folds the WAL into the file */
    l = NULL;

    if ((rc = ikr_vkey_format(vk, origin, ikr_key_public(k))) || (rc = ikr_buf_addc(vk, '\n'))) {
        rc = ikr_err_set(e, rc, NULL);
        goto out;
    }
    if ((rc = write_public(vkp, vk->p, vk->len, e)))
        goto out;
    vk->len--; /* the caller gets the line without its newline */
    if ((rc = ikr_checkpoint_body(&body, origin, 0, root)) ||
        (rc = ikr_note_sign(&note, (const char *)body.p, body.len, origin, k))) {
        rc = ikr_err_set(e, rc, "head");
        goto out;
    }
    if ((rc = ikr_file_write_atomic(headp, note.p, note.len, 0644, e)))
        goto out;
    if (ikr_file_sync_dir(stage) != 0)
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", stage, strerror(errno));
out:
    ikr_log_close(l);
    ikr_key_free(k);
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    OPENSSL_cleanse(pinhash, sizeof pinhash);
    return rc;
}

/* Moves the built files from stage into dir, the head last; 0 or -1 with errno. */
static int move_in(const char *stage, const char *dir)
{
    static const char *const files[] = {IKR_KEY_FILE, IKR_VKEY_FILE, IKR_DB_FILE, IKR_HEAD_FILE};
    char from[1300], to[1300];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (i == 3 && ikr_file_sync_dir(dir) != 0)
            return -1; /* everything else is in place before the mark */
        snprintf(from, sizeof from, "%s/%s", stage, files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        if (rename(from, to) != 0)
            return -1;
    }
    return ikr_file_sync_dir(dir);
}

int ikr_station_create(const char *dir, const ikr_station_cfg *cfg, ikr_buf *vkey, ikr_err *e)
{
    char target[1024], parent[1024], stage[1200], prefix[1040];
    const char *base;
    struct stat st;
    ikr_buf vk;
    int rc, inside;

    if ((rc = check_cfg(cfg, e)))
        return rc;
    if (strlen(dir) > 1000 || !dir[0])
        return ikr_err_set(e, IKR_E_IO, "%s: path too long", dir);
    /* target without trailing slashes; parent and base name beside it */
    snprintf(target, sizeof target, "%s", dir);
    for (size_t n = strlen(target); n > 1 && target[n - 1] == '/'; n--)
        target[n - 1] = '\0';
    char *slash = strrchr(target, '/');
    if (!slash) {
        snprintf(parent, sizeof parent, ".");
        base = target;
    } else {
        snprintf(parent, sizeof parent, "%.*s", slash == target ? 1 : (int)(slash - target),
                 target);
        base = slash + 1;
    }

    if (stat(target, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return ikr_err_set(e, IKR_E_IO, "%s: not a folder", dir);
        if ((rc = check_folder_mode(target,
                                    e))) /* an existing folder others may write: never used */
            return rc;
        if ((rc = unfinished(target, e)))
            return rc;
        inside = 1;
        snprintf(prefix, sizeof prefix, ".init-");
        ikr_file_remove_stale(target, prefix);
        if (snprintf(stage, sizeof stage, "%s/%s%ld", target, prefix, (long)getpid()) >=
            (int)sizeof stage)
            return ikr_err_set(e, IKR_E_IO, "%s: path too long", dir);
    } else if (errno == ENOENT) {
        if (!base[0] || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
            return ikr_err_set(e, IKR_E_IO, "%s: not a folder name", dir);
        inside = 0;
        if (snprintf(prefix, sizeof prefix, ".%s.init-", base) >= (int)sizeof prefix ||
            snprintf(stage, sizeof stage, "%s/%s%ld", parent, prefix, (long)getpid()) >=
                (int)sizeof stage)
            return ikr_err_set(e, IKR_E_IO, "%s: path too long", dir);
        ikr_file_remove_stale(parent, prefix);
    } else {
        return ikr_err_set(e, IKR_E_IO, "%s: %s", dir, strerror(errno));
    }
    if (mkdir(stage, 0700) != 0)
        return ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", stage,
                           strerror(errno));
    ikr_buf_init(&vk);
    if ((rc = build(stage, cfg, &vk, e)))
        goto fail;
    if (inside) {
        /* What a killed init left (key, database of no records) goes; the new files come in. */
        static const char *const old[] = {IKR_KEY_FILE, IKR_VKEY_FILE, IKR_DB_FILE,
                                          IKR_DB_FILE "-wal", IKR_DB_FILE "-shm"};
        for (size_t i = 0; i < sizeof old / sizeof old[0]; i++) {
            char p[1100];
            snprintf(p, sizeof p, "%s/%s", target, old[i]);
            unlink(p);
        }
        if (move_in(stage, target) != 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", target, strerror(errno));
            goto fail;
        }
        rmdir(stage);
    } else {
        if (rename(stage, target) != 0) {
            rc = errno == EEXIST || errno == ENOTEMPTY
                     ? ikr_err_set(e, IKR_E_EXISTS, "%s", dir)
                     : ikr_err_set(e, IKR_E_IO, "%s: %s", dir, strerror(errno));
            goto fail;
        }
        if (ikr_file_sync_dir(parent) != 0) {
            rc = ikr_err_set(e, IKR_E_IO, "%s: %s", parent, strerror(errno));
            ikr_buf_free(&vk);
            return rc; /* in place; only its name may not be on disk yet */
        }
    }
    rc = ikr_buf_add(vkey, vk.p, vk.len) ? ikr_err_set(e, IKR_E_NOMEM, NULL) : IKR_OK;
    ikr_buf_free(&vk);
    return rc;
fail:
    ikr_buf_free(&vk);
    ikr_file_remove_tree(stage);
    return rc;
}

/* Reads a text setting into a fixed field; a missing or oversized one is damage. */
static int meta_field(ikr_log *l, const char *k, char *out, size_t cap, ikr_buf *tmp, ikr_err *e)
{
    if (ikr_log_meta_get(l, k, tmp, NULL) != IKR_OK || tmp->len == 0 || tmp->len >= cap ||
        memchr(tmp->p, '\0', tmp->len))
        return ikr_err_set(e, IKR_E_META, "%s", k);
    memcpy(out, tmp->p, tmp->len + 1);
    return IKR_OK;
}

/*
 * The verifier key written at init must still name this log's origin and
 * public key: a database whose key was swapped (every record re-signed by
 * someone else) is caught here, before anything trusts it.  A folder whose
 * verifier.key was removed is still opened.
 */
static int check_vkey_file(const char *dir, const char *origin, const uint8_t pub[IKR_PUB_LEN],
                           ikr_err *e)
{
    char path[1100], line[IKR_MAX_VKEY_LINE + 2];
    ikr_vkey vk;
    join(path, sizeof path, dir, IKR_VKEY_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? IKR_OK
                               : ikr_err_set(e, IKR_E_KEY_FILE, "%s: %s", path, strerror(errno));
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    size_t n = ok ? strcspn(line, "\r\n") : 0;
    if (!ok || ikr_vkey_parse(&vk, line, n) != 0 || strcmp(vk.name, origin) != 0 ||
        memcmp(vk.pub, pub, IKR_PUB_LEN) != 0)
        return ikr_err_set(e, IKR_E_KEY_MISMATCH, "%s", path);
    return IKR_OK;
}

static int head_open_check(ikr_station *s, ikr_err *e);

int ikr_station_open(ikr_station **out, const char *dir, int how, const char *passphrase,
                     ikr_err *e)
{
    char path[1100], pubhex[2 * IKR_PUB_LEN + 8];
    uint8_t pub[IKR_PUB_LEN];
    ikr_buf tmp;
    int rc;
    *out = NULL;
    if (strlen(dir) >= sizeof((ikr_station *)0)->dir)
        return ikr_err_set(e, IKR_E_IO, "%s: path too long", dir);
    int ro = how == IKR_OPEN_VERIFY || how == IKR_OPEN_SIGN_READONLY;
    /*
     * Said at once, not at the first signing (SQLite would open such a folder
     * all the same), and before the folder's mode: a read-only stick may show
     * every folder as 0777.
     */
    if (!ro && access(dir, W_OK) != 0 && (errno == EROFS || errno == EACCES || errno == EPERM))
        return ikr_err_set(e, IKR_E_READONLY, "%s: %s", dir, strerror(errno));
    if (!ro && (rc = check_folder_mode(dir, e)))
        return rc;
    ikr_station *s = calloc(1, sizeof *s);
    if (!s)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    ikr_buf_init(&s->title);
    ikr_buf_init(&s->decl);
    ikr_buf_init(&tmp);
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    s->readonly = how == IKR_OPEN_SIGN_READONLY;
    join(path, sizeof path, dir, IKR_DB_FILE);
    if ((rc = ikr_log_open(&s->log, path, ro, e)))
        goto fail;
    if ((rc = meta_field(s->log, "event", s->ev.event, sizeof s->ev.event, &tmp, e)) ||
        (rc = meta_field(s->log, "kiosk", s->ev.kiosk, sizeof s->ev.kiosk, &tmp, e)) ||
        (rc = meta_field(s->log, "origin", s->ev.origin, sizeof s->ev.origin, &tmp, e)) ||
        (rc = meta_field(s->log, "pubkey", pubhex, sizeof pubhex, &tmp, e)) ||
        (rc = ikr_log_meta_get(s->log, "title", &s->title, NULL)
                  ? ikr_err_set(e, IKR_E_META, "title")
                  : 0) ||
        (rc = ikr_log_meta_get(s->log, "declaration", &s->decl, NULL)
                  ? ikr_err_set(e, IKR_E_META, "declaration")
                  : 0))
        goto fail;
    if (ikr_unhex(pub, IKR_PUB_LEN, pubhex) != 0) {
        rc = ikr_err_set(e, IKR_E_META, "pubkey");
        goto fail;
    }
    /* Optional settings: absent is empty. */
    s->closed = ikr_log_meta_get(s->log, "closed", &tmp, NULL) == IKR_OK;
    /* The zone times are shown in; folders made before zones were kept show WIB. */
    s->ev.zone_min = IKR_ZONE_WIB;
    if (ikr_log_meta_get(s->log, "zone", &tmp, NULL) == IKR_OK &&
        ikr_zone_parse((const char *)tmp.p) > 0)
        s->ev.zone_min = ikr_zone_parse((const char *)tmp.p);
    /* Folders made before the clock checks have no max_gap: a week, nothing written. */
    s->max_gap = IKR_MAX_GAP_DEFAULT;
    if (ikr_log_meta_get(s->log, "max_gap", &tmp, NULL) == IKR_OK) {
        long long g = strtoll((const char *)tmp.p, NULL, 10);
        if (g >= IKR_MAX_GAP_MIN && g <= IKR_MAX_GAP_MAX)
            s->max_gap = g;
    }
    s->read_together = ikr_log_meta_get(s->log, "read_together", &tmp, NULL) == IKR_OK &&
                       strcmp((const char *)tmp.p, "1") == 0;
    if (ikr_log_meta_get(s->log, "created", &tmp, NULL) == IKR_OK) {
        long long c = strtoll((const char *)tmp.p, NULL, 10);
        s->created = c > 0 ? c : 0;
    }
    if (meta_field(s->log, "organizer", s->ev.organizer, sizeof s->ev.organizer, &tmp, NULL))
        s->ev.organizer[0] = '\0';
    if (meta_field(s->log, "place", s->ev.place, sizeof s->ev.place, &tmp, NULL))
        s->ev.place[0] = '\0';
    if (meta_field(s->log, "when", s->ev.when, sizeof s->ev.when, &tmp, NULL))
        s->ev.when[0] = '\0';
    ikr_sha256(s->ev.decl_hash, s->decl.p, s->decl.len);
    s->ev.title = (const char *)s->title.p;
    s->ev.decl = (const char *)s->decl.p;
    s->ev.decl_len = s->decl.len;
    if ((rc = check_vkey_file(dir, s->ev.origin, pub, e)))
        goto fail;
    if (how == IKR_OPEN_SIGN || how == IKR_OPEN_SIGN_READONLY) {
        join(path, sizeof path, dir, IKR_KEY_FILE);
        if ((rc = ikr_key_load(&s->key, path, passphrase, e)))
            goto fail;
        if (memcmp(ikr_key_public(s->key), pub, IKR_PUB_LEN) != 0) {
            rc = ikr_err_set(e, IKR_E_KEY_MISMATCH, NULL);
            goto fail;
        }
    } else if ((rc = ikr_key_from_public(&s->key, pub))) {
        rc = ikr_err_set(e, rc, "public key");
        goto fail;
    }
    /* Before anything is signed: the log is whole and not older than its head (issue 11). */
    if (how == IKR_OPEN_SIGN && (rc = head_open_check(s, e)))
        goto fail;
    /* The head's room a signing killed mid-way held (head_reserve). */
    if (how == IKR_OPEN_SIGN)
        ikr_file_remove_stale(dir, IKR_HEAD_FILE ".");
    /* A copy that cannot be written is checked the same way, but its head stays as it is. */
    if (how == IKR_OPEN_SIGN_READONLY && (rc = ikr_station_head_check(s, e)))
        goto fail;
    ikr_buf_free(&tmp);
    *out = s;
    return IKR_OK;
fail:
    ikr_buf_free(&tmp);
    ikr_station_close(s);
    return rc;
}

void ikr_station_close(ikr_station *s)
{
    if (!s)
        return;
    ikr_log_close(s->log);
    ikr_key_free(s->key);
    ikr_buf_free(&s->title);
    ikr_buf_free(&s->decl);
    free(s);
}

int ikr_station_log_how(const ikr_station *s)
{
    return ikr_log_open_how(s->log);
}

int ikr_station_vkey(const ikr_station *s, ikr_buf *out)
{
    return ikr_vkey_format(out, s->ev.origin, ikr_key_public(s->key));
}

int ikr_station_root(ikr_station *s, uint64_t m, uint8_t root[IKR_HASH_LEN], ikr_err *e)
{
    return ikr_log_root(s->log, m, root, e);
}

/* Normalises one optional text field; a field over max bytes is refused with code. */
static int field(char *out, size_t cap, const char *in, size_t max, int too_long, ikr_err *e)
{
    out[0] = '\0';
    if (!in)
        return IKR_OK;
    int rc = ikr_text_normalize(out, cap, in, strlen(in), max, too_long);
    return rc ? ikr_err_set(e, rc, NULL) : IKR_OK;
}

int ikr_form_check(const ikr_form *f, uint64_t now, ikr_signer *who, ikr_err *e)
{
    int rc;
    memset(who, 0, sizeof *who);
    if ((rc = field(who->name, sizeof who->name, f->name, IKR_MAX_NAME, IKR_E_NAME_LONG, e)))
        return rc;
    if (!who->name[0])
        return ikr_err_set(e, IKR_E_NAME_EMPTY, NULL);
    if (!ikr_status_name(f->status))
        return ikr_err_set(e, IKR_E_STATUS, NULL);
    who->status = f->status;

    /* NIPs are often written in groups ("19850330 201001 2 003"): spaces go. */
    char nip[IKR_NIP_LEN + 2];
    size_t n = 0;
    for (const char *p = f->nip ? f->nip : ""; *p; p++) {
        if (*p == ' ')
            continue;
        if (n == IKR_NIP_LEN + 1)
            return ikr_err_set(e, IKR_E_NIP_LENGTH, NULL);
        nip[n++] = *p;
    }
    nip[n] = '\0';
    if ((rc = ikr_nip_check(n ? nip : NULL, f->status, (int64_t)now)))
        return ikr_err_set(e, rc, NULL);
    if (n > IKR_NIP_LEN) /* ikr_nip_check allows no more; the copy must not trust it */
        return ikr_err_set(e, IKR_E_NIP_LENGTH, NULL);
    memcpy(who->nip, nip, n + 1);

    if ((rc = field(who->pos, sizeof who->pos, f->pos, IKR_MAX_POS, IKR_E_POS_LONG, e)))
        return rc;
    return field(who->unit, sizeof who->unit, f->unit, IKR_MAX_UNIT, IKR_E_UNIT_LONG, e);
}

unsigned ikr_form_changes(const ikr_form *f, unsigned changed[IKR_FORM_TEXT_FIELDS])
{
    const char *in[IKR_FORM_TEXT_FIELDS] = {f->name, f->pos, f->unit};
    const size_t max[IKR_FORM_TEXT_FIELDS] = {IKR_MAX_NAME, IKR_MAX_POS, IKR_MAX_UNIT};
    char out[IKR_MAX_NAME + IKR_MAX_POS + IKR_MAX_UNIT + 1];
    unsigned all = 0;
    for (int i = 0; i < IKR_FORM_TEXT_FIELDS; i++) {
        changed[i] = 0;
        if (in[i] && ikr_text_clean(out, sizeof out, in[i], strlen(in[i]), max[i], IKR_E_INTERNAL,
                                    &changed[i]) != IKR_OK)
            changed[i] = 0;
        all |= changed[i];
    }
    return all;
}

int64_t ikr_station_max_gap(const ikr_station *s)
{
    return s->max_gap;
}

int ikr_station_set_max_gap(ikr_station *s, int64_t secs, ikr_err *e)
{
    char v[32];
    int rc;
    if (secs < IKR_MAX_GAP_MIN || secs > IKR_MAX_GAP_MAX)
        return ikr_err_set(e, IKR_E_MAX_GAP, NULL);
    snprintf(v, sizeof v, "%lld", (long long)secs);
    if ((rc = meta_str(s->log, "max_gap", v, e)))
        return rc;
    s->max_gap = secs;
    return IKR_OK;
}

int ikr_station_read_together(const ikr_station *s)
{
    return s->read_together;
}

int ikr_station_set_read_together(ikr_station *s, int on, ikr_err *e)
{
    int rc = meta_str(s->log, "read_together", on ? "1" : "0", e);
    if (rc == IKR_OK)
        s->read_together = on != 0;
    return rc;
}

/* Sets e to a clock refusal at now against limit, in the event's zone. */
static int clock_refuse(const ikr_station *s, int code, uint64_t now, int64_t limit, uint64_t seq,
                        ikr_err *e)
{
    char gap[32];
    ikr_duration_format(gap, sizeof gap, s->max_gap);
    int rc = ikr_err_set(e, code, code == IKR_E_CLOCK_GAP ? "%s" : NULL, gap);
    if (e && e->code == code) {
        e->seq = (int64_t)seq;
        e->when = (int64_t)now;
        e->limit = limit;
        e->zone_min = s->ev.zone_min;
    }
    return rc;
}

/* The log's size and its last record's time (0 when it has none). */
static int last_record(ikr_station *s, uint64_t *size, uint64_t *t, ikr_err *e)
{
    int rc;
    *t = 0;
    if ((rc = ikr_log_size(s->log, size, e)) || *size == 0)
        return rc;
    ikr_log_row row;
    ikr_log_row_init(&row);
    rc = ikr_log_get(s->log, *size, &row, e);
    *t = row.t;
    ikr_log_row_free(&row);
    return rc;
}

int ikr_station_clock_check(ikr_station *s, uint64_t now, ikr_err *e)
{
    uint64_t size = 0, t = 0;
    int64_t last = s->created;
    int rc;
    if (s->created > 0 && (int64_t)now < s->created)
        return clock_refuse(s, IKR_E_CLOCK_BEFORE_INIT, now, s->created, 0, e);
    if ((rc = last_record(s, &size, &t, e)))
        return rc;
    if (size > 0) {
        /* A few seconds behind is a signer who read the clock, then waited for another's
         * write (ikr_station_sign then gives its record the last one's time). */
        if (now + IKR_CLOCK_LOCK_SLACK < t)
            return clock_refuse(s, IKR_E_CLOCK_BEFORE_LAST, now, (int64_t)t, size, e);
        if ((int64_t)t > last)
            last = (int64_t)t;
    }
    if (last > 0 && (int64_t)now - last > s->max_gap)
        return clock_refuse(s, IKR_E_CLOCK_GAP, now, last, size, e);
    return IKR_OK;
}

/* ------------------------------------------------------------------
 * issue 11, rollback: the head outside the database.
 *
 * After every commit that adds records, and with every checkpoint, the
 * station replaces IKR_HEAD_FILE (whole or not at all, util/file.c) with a
 * checkpoint of the log signed by the kiosk key: size and root.  The
 * database's meta "head" notes that the folder has one.  Opening for
 * signing compares: fewer records than the head is a rollback (a lost WAL,
 * an older copy put back), another root at the head's size is damage; both
 * are refused.  More records than the head is a crash between COMMIT and
 * the head's write: those records are checked and the head brought forward.
 */

#define HEAD_MAX 2048 /* bytes of a head file we read: a checkpoint note is ~250 */

static int damaged(ikr_err *e, const char *what, uint64_t seq)
{
    int rc = ikr_err_set(e, IKR_E_LOG_DAMAGED, "%s", what);
    if (e && e->code == IKR_E_LOG_DAMAGED && seq)
        e->seq = (int64_t)seq;
    return rc;
}

/* Reads the head file: IKR_OK with size and root, 1 when there is none, or IKR_E_LOG_DAMAGED. */
static int head_read(const ikr_station *s, uint64_t *size, uint8_t root[IKR_HASH_LEN], ikr_err *e)
{
    char path[1100], origin[IKR_MAX_ORIGIN + 1];
    struct stat st;
    ikr_buf b, line;
    ikr_vkey vk;
    size_t text_len = 0;
    int rc = IKR_OK;
    join(path, sizeof path, s->dir, IKR_HEAD_FILE);
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return 1;
        return ikr_err_set(e, IKR_E_LOG_DAMAGED, IKR_HEAD_FILE " cannot be read: %s",
                           strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return damaged(e, IKR_HEAD_FILE " is not a regular file", 0);
    ikr_buf_init(&b);
    ikr_buf_init(&line);
    if (ikr_file_read(path, HEAD_MAX, &b, NULL) != IKR_OK) {
        rc = damaged(e, IKR_HEAD_FILE " cannot be read", 0);
        goto out;
    }
    if (ikr_vkey_format(&line, s->ev.origin, ikr_key_public(s->key)) ||
        ikr_vkey_parse(&vk, (const char *)line.p, line.len) != 0) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    if (ikr_note_open((const char *)b.p, b.len, &vk, 1, &text_len) != 0 ||
        ikr_checkpoint_parse((const char *)b.p, text_len, origin, size, root) != 0 ||
        strcmp(origin, s->ev.origin) != 0)
        rc = damaged(e, IKR_HEAD_FILE " is not a checkpoint signed by this kiosk", 0);
out:
    ikr_buf_free(&b);
    ikr_buf_free(&line);
    return rc;
}

/*
 * The room a head needs, taken before a signing commits (head_reserve): a
 * head is a few hundred bytes, and a disk that filled up between the
 * record's commit and its head would leave a stored record with no receipt.
 */
#define HEAD_ROOM 4096

/* Opens the head's temporary file, this process's own, with HEAD_ROOM allocated. */
static int head_reserve(ikr_station *s, ikr_file_out *o, ikr_err *e)
{
    char path[1100];
    int rc;
    join(path, sizeof path, s->dir, IKR_HEAD_FILE);
    if (!(rc = ikr_file_out_open(o, path, 0644,
                                 IKR_FILE_OWN_TMP | (s->nosync ? IKR_FILE_NOSYNC : 0), e)) &&
        (rc = ikr_file_out_reserve(o, HEAD_ROOM, e)))
        ikr_file_out_abort(o);
    return rc;
}

/*
 * Writes the head for size and root (the caller holds the write lock, or
 * only reads), into held when the room was reserved (head_reserve).
 */
static int head_write(ikr_station *s, uint64_t size, const uint8_t root[IKR_HASH_LEN],
                      ikr_file_out *held, ikr_err *e)
{
    char path[1100];
    ikr_buf body, note;
    int rc;
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    join(path, sizeof path, s->dir, IKR_HEAD_FILE);
    if ((rc = ikr_checkpoint_body(&body, s->ev.origin, size, root)) ||
        (rc = ikr_note_sign(&note, (const char *)body.p, body.len, s->ev.origin, s->key)))
        rc = ikr_err_set(e, rc, "head");
    else if (held) {
        if (!(rc = ikr_file_out_write(held, note.p, note.len, e)))
            rc = ikr_file_out_commit(held, e);
        ikr_file_out_abort(held);
    } else if (!s->nosync)
        rc = ikr_file_write_atomic(path, note.p, note.len, 0644, e);
    else {
        ikr_file_out o;
        if (!(rc = ikr_file_out_open(&o, path, 0644, IKR_FILE_NOSYNC, e)) &&
            !(rc = ikr_file_out_write(&o, note.p, note.len, e)))
            rc = ikr_file_out_commit(&o, e);
        if (rc)
            ikr_file_out_abort(&o);
    }
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    return rc;
}

/*
 * After a commit: the head takes the log's size and root as they are now,
 * read and written under the write lock so two signers on one folder never
 * put an older head over a newer one.
 */
static int head_update(ikr_station *s, ikr_file_out *held, ikr_err *e)
{
    uint64_t size;
    uint8_t root[IKR_HASH_LEN];
    int rc;
    if ((rc = ikr_log_begin(s->log, e)))
        return rc;
    if (!(rc = ikr_log_size(s->log, &size, e)) && !(rc = ikr_log_root(s->log, size, root, e)))
        rc = head_write(s, size, root, held, e);
    ikr_log_rollback(s->log);
    return rc;
}

/*
 * Record seq as stored is one this kiosk signed for this event, under that
 * number, with the leaf stored beside it; *decl gets its declaration hash.
 */
static int check_stored(ikr_station *s, uint64_t seq, uint8_t decl[IKR_HASH_LEN], ikr_err *e)
{
    ikr_log_row row;
    ikr_cose cs;
    ikr_claims c;
    uint8_t leaf[IKR_HASH_LEN];
    char what[96];
    int rc = IKR_OK;
    ikr_log_row_init(&row);
    if (ikr_log_get(s->log, seq, &row, NULL) != IKR_OK) {
        snprintf(what, sizeof what, "record %llu cannot be read", (unsigned long long)seq);
        rc = damaged(e, what, seq);
    } else if (ikr_cose_parse(&cs, row.cose.p, row.cose.len) != 0 ||
               ikr_cose_verify(&cs, s->key) != 0 ||
               ikr_record_decode(&c, cs.payload, cs.payload_len) != 0) {
        snprintf(what, sizeof what, "record %llu is not signed by this kiosk",
                 (unsigned long long)seq);
        rc = damaged(e, what, seq);
    } else if (c.seq != seq || strcmp(c.ev, s->ev.event) != 0) {
        snprintf(what, sizeof what, "record %llu names another number or event",
                 (unsigned long long)seq);
        rc = damaged(e, what, seq);
    } else {
        ikr_merkle_leaf(leaf, row.cose.p, row.cose.len);
        if (memcmp(leaf, row.leaf, IKR_HASH_LEN) != 0) {
            snprintf(what, sizeof what, "record %llu does not match its stored leaf",
                     (unsigned long long)seq);
            rc = damaged(e, what, seq);
        } else if (decl) {
            memcpy(decl, c.decl, IKR_HASH_LEN);
        }
    }
    ikr_log_row_free(&row);
    return rc;
}

/*
 * The quick check at open: the settings, the declaration against record 1,
 * the last record, and SQLite's own quick_check.  Inside the caller's
 * transaction.
 */
static int quick_check(ikr_station *s, uint64_t size, ikr_err *e)
{
    char origin[IKR_MAX_ORIGIN + 8];
    uint8_t decl[IKR_HASH_LEN];
    int rc;
    snprintf(origin, sizeof origin, "ikrar/%s/%s", s->ev.event, s->ev.kiosk);
    if (!ikr_event_id_ok(s->ev.event) || !ikr_kiosk_name_ok(s->ev.kiosk) ||
        strcmp(origin, s->ev.origin) != 0)
        return damaged(e, "the settings' event, kiosk and origin disagree", 0);
    if (s->decl.len == 0 || s->decl.len > IKR_MAX_DECL ||
        !ikr_utf8_valid((const char *)s->decl.p, s->decl.len))
        return damaged(e, "the declaration setting is not a declaration", 0);
    if ((rc = ikr_log_quick_check(s->log, e)))
        return rc;
    if (size == 0)
        return IKR_OK;
    if ((rc = check_stored(s, 1, decl, e)))
        return rc;
    if (memcmp(decl, s->ev.decl_hash, IKR_HASH_LEN) != 0)
        return damaged(e, "the declaration setting is not the one record 1 signed", 1);
    return size > 1 ? check_stored(s, size, NULL, e) : IKR_OK;
}

/*
 * Compares the database with the head (the write lock held when bring is 1):
 * IKR_OK with *moved set when the head must be written at size, or the
 * refusal.
 */
static int head_compare(ikr_station *s, uint64_t size, int bring, int *moved, ikr_err *e)
{
    uint64_t hsize;
    uint8_t hroot[IKR_HASH_LEN], root[IKR_HASH_LEN];
    ikr_buf flag;
    char what[120];
    int rc;
    *moved = 0;
    ikr_buf_init(&flag);
    int had = ikr_log_meta_get(s->log, "head", &flag, NULL) == IKR_OK;
    ikr_buf_free(&flag);
    rc = head_read(s, &hsize, hroot, e);
    if (rc == 1) {
        if (had && size == 0) /* init writes the head last: this one did not finish */
            return ikr_err_set(e, IKR_E_NOKIOSK, "%s: init did not finish", s->dir);
        if (had)
            return damaged(e, IKR_HEAD_FILE " is missing although this log had one", 0);
        /* A folder from before the head was kept: made once from the database. */
        if (bring)
            ikr_oplog("head", "made=%s size=%llu", IKR_HEAD_FILE, (unsigned long long)size);
        *moved = 1;
        return IKR_OK;
    }
    if (rc)
        return rc;
    if (size < hsize) {
        rc = ikr_err_set(e, IKR_E_LOG_ROLLBACK, "%s %llu, %s %llu", IKR_DB_FILE,
                         (unsigned long long)size, IKR_HEAD_FILE, (unsigned long long)hsize);
        if (e && e->code == IKR_E_LOG_ROLLBACK)
            e->seq = (int64_t)hsize;
        return rc;
    }
    if ((rc = ikr_log_root(s->log, hsize, root, NULL)) || memcmp(root, hroot, IKR_HASH_LEN) != 0) {
        snprintf(what, sizeof what, "the log's root at size %llu is not the one %s names",
                 (unsigned long long)hsize, IKR_HEAD_FILE);
        return damaged(e, what, hsize);
    }
    if (size > hsize) {
        /* Signed after the head was last written (a crash in between): check each one. */
        for (uint64_t q = hsize + 1; q <= size; q++)
            if ((rc = check_stored(s, q, NULL, e)))
                return rc;
        if (bring)
            ikr_oplog("head", "forward from=%llu to=%llu", (unsigned long long)hsize,
                      (unsigned long long)size);
        *moved = 1;
    } else if (!had) {
        *moved = 1; /* the file is there but the flag is not yet: set it */
    }
    return IKR_OK;
}

/* Opening for signing: the quick check and the head, under the write lock. */
static int head_open_check(ikr_station *s, ikr_err *e)
{
    uint64_t size;
    uint8_t root[IKR_HASH_LEN];
    int moved = 0, rc;
    if ((rc = ikr_log_begin(s->log, e)))
        return rc;
    if ((rc = ikr_log_size(s->log, &size, e)) || (rc = quick_check(s, size, e)) ||
        (rc = head_compare(s, size, 1, &moved, e)))
        goto rollback;
    if (!moved) {
        ikr_log_rollback(s->log);
        return IKR_OK;
    }
    /* The file first, then the flag: a crash between leaves a head and no flag, which is fine. */
    if ((rc = ikr_log_root(s->log, size, root, e)) || (rc = head_write(s, size, root, NULL, e)) ||
        (rc = meta_str(s->log, "head", "1", e)))
        goto rollback;
    return ikr_log_commit(s->log, e);
rollback:
    ikr_log_rollback(s->log);
    return rc;
}

/* After a COMMIT that failed: a new connection, and the check of a fresh open. */
static int head_reopen(ikr_station *s, ikr_err *e)
{
    char path[1100];
    ikr_log *l = NULL;
    join(path, sizeof path, s->dir, IKR_DB_FILE);
    /* The old connection goes only once a new one is open: the station is never without one. */
    int rc = ikr_log_open(&l, path, 0, e);
    if (rc)
        return rc;
    ikr_log_close(s->log);
    s->log = l;
    if (!(rc = head_open_check(s, e)))
        s->unsure = 0;
    return rc;
}

int ikr_station_head_check(ikr_station *s, ikr_err *e)
{
    uint64_t size;
    int moved, rc;
    if ((rc = ikr_log_read_begin(s->log, e)))
        return rc;
    if (!(rc = ikr_log_size(s->log, &size, e)) && !(rc = quick_check(s, size, e)))
        rc = head_compare(s, size, 0, &moved, e);
    ikr_log_rollback(s->log);
    return rc;
}

/* Fills receipt claims for a record. */
static void receipt_claims(ikr_receipt *r, const ikr_station *s, uint64_t seq, uint64_t t,
                           const ikr_signer *who, const uint8_t leaf[IKR_HASH_LEN],
                           const uint8_t root[IKR_HASH_LEN])
{
    memset(r, 0, sizeof *r);
    r->v = 1;
    snprintf(r->ev, sizeof r->ev, "%s", s->ev.event);
    r->seq = seq;
    r->t = t;
    ikr_receipt_cut_name(r->name, who->name);
    ikr_receipt_mask_nip(r->nip, who->nip);
    memcpy(r->leaf, leaf, IKR_HASH_LEN);
    memcpy(r->root, root, IKR_HASH_LEN);
}

int ikr_station_sign(ikr_station *s, const ikr_form *f, const ikr_ink *ink, uint64_t now,
                     ikr_signed *out, ikr_err *e)
{
    ikr_claims c;
    ikr_buf inkb, claims, cose;
    ikr_file_out head;
    uint64_t size, dup_seq, dup_t;
    int rc;

    memset(out, 0, sizeof *out);
    ikr_buf_init(&out->receipt);
    if (!ikr_key_can_sign(s->key))
        return ikr_err_set(e, IKR_E_INTERNAL, "opened without the signing key");
    memset(&c, 0, sizeof c);
    if (s->unsure && (rc = head_reopen(s, e)))
        return rc;
    if (s->closed)
        return ikr_err_set(e, IKR_E_EVENT_CLOSED, NULL);
    /* The clock first: with it at 2001 a good NIP would be refused as "appointed in the future". */
    if ((rc = ikr_station_clock_check(s, now, e)))
        return rc;
    if ((rc = ikr_form_check(f, now, &c.who, e)))
        return rc;
    if (!ink || ink->npoints == 0)
        return ikr_err_set(e, IKR_E_INK_EMPTY, NULL);
    if ((rc = ikr_ink_check(ink)))
        return ikr_err_set(e, rc, NULL);

    /* The head's room first: once the record commits, its head must not find the disk full. */
    if ((rc = head_reserve(s, &head, e)))
        return rc;
    ikr_buf_init(&inkb);
    ikr_buf_init(&claims);
    ikr_buf_init(&cose);
    if ((rc = ikr_ink_encode(&inkb, ink))) {
        rc = ikr_err_set(e, rc, NULL);
        goto out;
    }
    c.v = 1;
    snprintf(c.ev, sizeof c.ev, "%s", s->ev.event);
    c.t = now;
    memcpy(c.decl, s->ev.decl_hash, IKR_HASH_LEN);
    ikr_sha256(c.inkh, inkb.p, inkb.len);

    if ((rc = ikr_log_begin(s->log, e)))
        goto out;
    /* Read under the write lock: an event closed by another process counts too. */
    {
        ikr_buf closed;
        ikr_buf_init(&closed);
        int is_closed = ikr_log_meta_get(s->log, "closed", &closed, NULL) == IKR_OK;
        ikr_buf_free(&closed);
        if (is_closed) {
            s->closed = 1;
            rc = ikr_err_set(e, IKR_E_EVENT_CLOSED, NULL);
            goto rollback;
        }
    }
    /*
     * Again under the lock: another process may have signed since.  One that
     * read the clock after us but took the lock first leaves a record up to
     * the lock's wait (the log's busy timeout) later than our `now`: that is
     * waiting, not a clock going back, so this record takes that time, which
     * is when it was in fact written.  Anything further back is refused.
     */
    {
        uint64_t size_now, last_t;
        if ((rc = last_record(s, &size_now, &last_t, e)))
            goto rollback;
        if (now < last_t && last_t - now <= IKR_CLOCK_LOCK_SLACK)
            now = c.t = last_t;
    }
    if ((rc = ikr_station_clock_check(s, now, e)))
        goto rollback;
    if (c.who.nip[0]) {
        rc = ikr_log_find_nip(s->log, c.who.nip, &dup_seq, &dup_t, e);
        if (rc == 0) {
            rc = ikr_err_at(e, IKR_E_NIP_DUPLICATE, (int64_t)dup_seq, (int64_t)dup_t);
            if (e)
                e->zone_min = s->ev.zone_min;
            goto rollback;
        }
        if (rc != 1)
            goto rollback;
    }
    if ((rc = ikr_log_size(s->log, &size, e)))
        goto rollback;
    c.seq = size + 1;
    if ((rc = ikr_record_encode(&claims, &c)) ||
        (rc = ikr_cose_sign1(&cose, s->key, claims.p, claims.len))) {
        rc = ikr_err_set(e, rc, "record");
        goto rollback;
    }
    if ((rc = ikr_log_append(s->log, c.seq, c.t, &c.who, cose.p, cose.len, inkb.p, inkb.len,
                             out->leaf, out->root, e)))
        goto rollback;
    if ((rc = ikr_log_commit(s->log, e))) {
        /* The record may be in the WAL all the same: check before the next signing. */
        if (rc == IKR_E_COMMIT_UNKNOWN || rc == IKR_E_COMMIT_FULL)
            s->unsure = 1;
        goto out;
    }

    /* Durable from here on. */
    out->seq = c.seq;
    out->t = c.t;
    /* The head outside the database moves first: nothing is acknowledged before it. */
    if ((rc = head_update(s, &head, e)))
        goto out;
    ikr_receipt r;
    receipt_claims(&r, s, c.seq, c.t, &c.who, out->leaf, out->root);
    if ((rc = ikr_receipt_make(&out->receipt, s->key, &r)))
        rc = ikr_err_set(e, rc, "receipt");
    goto out;
rollback:
    ikr_log_rollback(s->log);
out:
    ikr_file_out_abort(&head);
    ikr_buf_free(&inkb);
    ikr_buf_free(&claims);
    ikr_buf_free(&cose);
    return rc;
}

int ikr_station_receipt(ikr_station *s, uint64_t seq, ikr_buf *text, ikr_err *e)
{
    ikr_log_row row;
    ikr_cose cs;
    ikr_claims c;
    uint8_t root[IKR_HASH_LEN];
    ikr_receipt r;
    int rc;
    if (!ikr_key_can_sign(s->key))
        return ikr_err_set(e, IKR_E_INTERNAL, "opened without the signing key");
    ikr_log_row_init(&row);
    if ((rc = ikr_log_get(s->log, seq, &row, e)))
        goto out;
    /* The receipt is made from the signed claims, not from the columns. */
    if (ikr_cose_parse(&cs, row.cose.p, row.cose.len) != 0 ||
        ikr_record_decode(&c, cs.payload, cs.payload_len) != 0) {
        rc = ikr_err_at(e, IKR_E_AUDIT_COSE, (int64_t)seq, 0);
        goto out;
    }
    if ((rc = ikr_log_root(s->log, seq, root, e)))
        goto out;
    receipt_claims(&r, s, c.seq, c.t, &c.who, row.leaf, root);
    if ((rc = ikr_receipt_make(text, s->key, &r)))
        rc = ikr_err_set(e, rc, "receipt");
out:
    ikr_log_row_free(&row);
    return rc;
}

int ikr_station_checkpoint(ikr_station *s, uint64_t now, ikr_buf *out, ikr_err *e)
{
    uint64_t size;
    uint8_t root[IKR_HASH_LEN];
    ikr_buf body, note;
    ikr_file_out head = {.fd = -1};
    int rc;
    if (!ikr_key_can_sign(s->key))
        return ikr_err_set(e, IKR_E_INTERNAL, "opened without the signing key");
    ikr_buf_init(&body);
    ikr_buf_init(&note);
    /*
     * Size and root must be read in one snapshot, so take the write lock
     * briefly; a copy that cannot be written is read in one read transaction,
     * and its checkpoint is only signed.  Ed25519 signs the same note to the
     * same bytes, so it is the checkpoint the kiosk would have made.
     */
    if ((rc = s->readonly ? ikr_log_read_begin(s->log, e) : ikr_log_begin(s->log, e)))
        goto out;
    if ((rc = ikr_log_size(s->log, &size, e)) || (rc = ikr_log_root(s->log, size, root, e)))
        goto rollback;
    if ((rc = ikr_checkpoint_body(&body, s->ev.origin, size, root)) ||
        (rc = ikr_note_sign(&note, (const char *)body.p, body.len, s->ev.origin, s->key))) {
        rc = ikr_err_set(e, rc, "checkpoint");
        goto rollback;
    }
    if (s->readonly) {
        if (ikr_buf_add(out, note.p, note.len))
            rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto rollback;
    }
    if ((rc = head_reserve(s, &head, e)))
        goto rollback;
    if ((rc = ikr_log_put_checkpoint(s->log, size, (const char *)note.p, note.len, now, e)))
        goto rollback;
    if ((rc = ikr_log_commit(s->log, e))) {
        if (rc == IKR_E_COMMIT_UNKNOWN || rc == IKR_E_COMMIT_FULL)
            s->unsure = 1;
        goto out;
    }
    /* A checkpoint is also the head outside the database (the same signed note). */
    if ((rc = head_update(s, &head, e)))
        goto out;
    if (ikr_buf_add(out, note.p, note.len))
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
    goto out;
rollback:
    ikr_log_rollback(s->log);
out:
    ikr_file_out_abort(&head);
    ikr_buf_free(&body);
    ikr_buf_free(&note);
    return rc;
}

int ikr_station_close_event(ikr_station *s, uint64_t now, ikr_buf *out, ikr_err *e)
{
    char when[32];
    int rc;
    if (!ikr_key_can_sign(s->key))
        return ikr_err_set(e, IKR_E_INTERNAL, "opened without the signing key");
    snprintf(when, sizeof when, "%llu", (unsigned long long)now);
    if ((rc = ikr_log_begin(s->log, e)))
        return rc;
    if ((rc = meta_str(s->log, "closed", when, e))) {
        ikr_log_rollback(s->log);
        return rc;
    }
    if ((rc = ikr_log_commit(s->log, e)))
        return rc;
    s->closed = 1;
    return ikr_station_checkpoint(s, now, out, e);
}

int ikr_station_check_receipt(ikr_station *s, const ikr_receipt *r, ikr_err *e)
{
    ikr_log_row row;
    uint8_t root[IKR_HASH_LEN];
    uint64_t size;
    int rc;
    if (strcmp(r->ev, s->ev.event) != 0)
        return ikr_err_set(e, IKR_E_RCPT_EVENT, "%s", r->ev);
    if ((rc = ikr_log_size(s->log, &size, e)))
        return rc;
    ikr_log_row_init(&row);
    if (r->seq > size || (rc = ikr_log_get(s->log, r->seq, &row, NULL))) {
        ikr_log_row_free(&row);
        return ikr_err_at(e, IKR_E_RCPT_NOT_IN_LOG, (int64_t)r->seq, 0);
    }
    /* Hash the record as stored now, not the stored leaf column. */
    uint8_t leaf[IKR_HASH_LEN];
    ikr_merkle_leaf(leaf, row.cose.p, row.cose.len);
    if (memcmp(leaf, r->leaf, IKR_HASH_LEN) != 0) {
        ikr_log_row_free(&row);
        return ikr_err_at(e, IKR_E_RCPT_LEAF, (int64_t)r->seq, 0);
    }
    /* Signed by the kiosk and naming this leaf, yet telling another story. */
    rc = ikr_receipt_matches_record(r, row.cose.p, row.cose.len, e);
    ikr_log_row_free(&row);
    if (rc)
        return rc;
    /* The tree over the records as they are now, not the stored subtrees. */
    if (ikr_log_root_of_records(s->log, r->seq, root, NULL) != IKR_OK ||
        memcmp(root, r->root, IKR_HASH_LEN) != 0) {
        return ikr_err_at(e, IKR_E_RCPT_ROOT, (int64_t)r->seq, 0);
    }
    return IKR_OK;
}

/* ------------------------------------------------------------ what callers see */

const ikr_event_info *ikr_station_event(const ikr_station *s)
{
    return &s->ev;
}

const char *ikr_station_dir(const ikr_station *s)
{
    return s->dir;
}

const ikr_key *ikr_station_key(const ikr_station *s)
{
    return s->key;
}

int ikr_station_consistency(ikr_station *s, uint64_t m, uint64_t n, uint8_t proof[][IKR_HASH_LEN],
                            size_t max, size_t *len, ikr_err *e)
{
    uint64_t size;
    int rc;
    *len = 0;
    if ((rc = ikr_log_read_begin(s->log, e)))
        return rc;
    if (!(rc = ikr_log_size(s->log, &size, e))) {
        if (m == 0 || m > n || n > size)
            rc = ikr_err_set(
                e, IKR_E_INTERNAL, "no consistency proof from size %llu to %llu of a log of %llu",
                (unsigned long long)m, (unsigned long long)n, (unsigned long long)size);
        else
            rc = ikr_log_consistency(s->log, m, n, proof, max, len, e);
    }
    ikr_log_rollback(s->log);
    return rc;
}

int ikr_station_closed(const ikr_station *s)
{
    return s->closed;
}

int ikr_station_size(ikr_station *s, uint64_t *n, ikr_err *e)
{
    return ikr_log_size(s->log, n, e);
}

int ikr_station_find_nip(ikr_station *s, const char *nip, uint64_t *seq, uint64_t *t, ikr_err *e)
{
    return ikr_log_find_nip(s->log, nip, seq, t, e);
}

int ikr_station_get(ikr_station *s, uint64_t seq, ikr_log_row *row, ikr_err *e)
{
    return ikr_log_get(s->log, seq, row, e);
}

int ikr_station_scan(ikr_station *s, uint64_t after, ikr_log_row *rows, size_t max,
                     size_t max_bytes, size_t *got, ikr_err *e)
{
    return ikr_log_scan(s->log, after, rows, max, max_bytes, got, e);
}

int ikr_station_roster_import(ikr_station *s, const uint8_t *p, size_t n, uint64_t now,
                              int skip_invalid, void (*issue)(void *ctx, const ikr_roster_issue *i),
                              void *ctx, ikr_roster_count *c, ikr_err *e)
{
    return ikr_roster_import(s->log, p, n, now, skip_invalid, issue, ctx, c, e);
}

int ikr_station_roster_find(ikr_station *s, const char *nip, ikr_roster_entry *out, ikr_err *e)
{
    return ikr_roster_find(s->log, nip, out, e);
}

int ikr_station_roster_any(ikr_station *s)
{
    return ikr_log_roster_any(s->log);
}

int ikr_station_roster_search(ikr_station *s, const char *query, ikr_roster_hit *out, size_t max,
                              size_t *n, int *more, ikr_err *e)
{
    return ikr_roster_search(s->log, query, out, max, n, more, e);
}

int ikr_station_roster_stats(ikr_station *s, ikr_roster_unit *units, size_t max,
                             ikr_roster_totals *st, ikr_err *e)
{
    return ikr_roster_stats(s->log, units, max, st, e);
}

int ikr_station_roster_missing(ikr_station *s, int (*fn)(void *ctx, const ikr_roster_entry *r),
                               void *ctx, ikr_err *e)
{
    return ikr_roster_missing(s->log, fn, ctx, e);
}

int ikr_station_ink_count(ikr_station *s, uint64_t *n, ikr_err *e)
{
    return ikr_log_ink_count(s->log, n, e);
}

int ikr_station_purge_ink(ikr_station *s, uint64_t *purged, ikr_err *e)
{
    return ikr_log_purge_ink(s->log, purged, e);
}

int ikr_station_printer(ikr_station *s, ikr_buf *out, ikr_err *e)
{
    int rc = ikr_log_meta_get(s->log, "printer", out, NULL);
    if (rc == IKR_E_NOKIOSK) { /* not set: empty, NUL-terminated like a setting */
        ikr_buf_reset(out);
        if (ikr_buf_addc(out, 0))
            return ikr_err_set(e, IKR_E_NOMEM, NULL);
        out->len = 0;
        return IKR_OK;
    }
    return rc ? ikr_err_set(e, rc, "printer") : IKR_OK;
}

int ikr_station_set_printer(ikr_station *s, const char *uri, ikr_err *e)
{
    return meta_str(s->log, "printer", uri, e);
}

int ikr_station_mark_printed(ikr_station *s, uint64_t seq, int ok, ikr_err *e)
{
    return ikr_log_set_printed(s->log, seq, ok, e);
}

int ikr_station_pin_check(ikr_station *s, const char *pin)
{
    ikr_buf stored;
    ikr_buf_init(&stored);
    int ok = ikr_log_meta_get(s->log, "pin", &stored, NULL) == IKR_OK &&
             ikr_pin_verify((const char *)stored.p, pin) == IKR_OK;
    ikr_buf_free(&stored);
    return ok ? IKR_OK : IKR_E_PIN_WRONG;
}

int ikr_station_pin_lock(ikr_station *s, int64_t until, ikr_err *e)
{
    char v[32];
    snprintf(v, sizeof v, "%lld", (long long)until);
    return meta_str(s->log, "pin_locked_until", v, e);
}

/* The number stored under meta key k, 0 when there is none. */
static long long meta_num(ikr_log *l, const char *k)
{
    ikr_buf v;
    long long n = 0;
    ikr_buf_init(&v);
    if (ikr_log_meta_get(l, k, &v, NULL) == IKR_OK)
        n = strtoll((const char *)v.p, NULL, 10);
    ikr_buf_free(&v);
    return n;
}

int64_t ikr_station_pin_locked_until(ikr_station *s)
{
    return (int64_t)meta_num(s->log, "pin_locked_until");
}

int ikr_station_pin_fails(ikr_station *s)
{
    long long n = meta_num(s->log, "pin_fails");
    return n > 0 && n < IKR_PIN_TRIES ? (int)n : 0;
}

int ikr_station_pin_try(ikr_station *s, const char *pin, int64_t now, int *fails,
                        int64_t *locked_until, ikr_err *e)
{
    int n = ikr_station_pin_fails(s);
    char v[32];
    *locked_until = 0;
    *fails = n;
    if (ikr_station_pin_check(s, pin) == IKR_OK) {
        *fails = 0;
        if (n > 0)
            (void)meta_str(s->log, "pin_fails", "0", NULL);
        return IKR_OK;
    }
    /*
     * Kept before the answer is given, so that switching the kiosk off and on
     * between tries lifts nothing.  A lock is written before the count starts
     * again: a crash between the two leaves the pad locked, never unlocked.
     */
    if (++n >= IKR_PIN_TRIES) {
        int64_t until = now + IKR_PIN_LOCK_S;
        (void)ikr_station_pin_lock(s, until, NULL);
        *locked_until = until;
        n = 0;
    }
    snprintf(v, sizeof v, "%d", n);
    (void)meta_str(s->log, "pin_fails", v, NULL);
    *fails = n;
    return ikr_err_set(e, IKR_E_PIN_WRONG, NULL);
}

int ikr_station_close_event_save(ikr_station *s, uint64_t now, ikr_buf *note, char *path,
                                 size_t cap, uint64_t *size, ikr_err *e)
{
    int rc;
    *size = 0;
    if (cap)
        path[0] = '\0';
    if ((rc = ikr_station_close_event(s, now, note, e)))
        return rc;
    /* The size is the second line of the note. */
    const char *p = memchr(note->p, '\n', note->len);
    long n = p ? strtol(p + 1, NULL, 10) : 0;
    *size = n > 0 ? (uint64_t)n : 0;
    snprintf(path, cap, "%s/checkpoint-final-%ld.txt", s->dir, n);
    /* Whole or not at all: a power cut never leaves half a checkpoint under this name. */
    return ikr_file_write_atomic(path, note->p, note->len, 0644, e);
}

int ikr_station_unsynced_for_bench(ikr_station *s, ikr_err *e)
{
    s->nosync = 1;
    return ikr_log_unsynced_for_bench(s->log, e);
}

ikr_log *ikr_station_log(ikr_station *s)
{
    return s->log;
}
