/*
 * log.c: the signed log in SQLite.
 *
 * Invariants kept here:
 *  - record.seq runs 1..size with no gaps; a record is only ever added as
 *    size + 1, inside a BEGIN IMMEDIATE transaction, so two processes never
 *    compute the same seq;
 *  - node (level, idx) holds the hash of the perfect subtree of leaves
 *    [idx << level, (idx + 1) << level), and exists exactly when that subtree
 *    is complete;
 *  - the record, its ink and its nodes commit together or not at all.
 * Every statement is prepared once with bound parameters; no SQL is ever
 * built from data.
 */
#include "ikrar/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ikrar/file.h"
#include "ikrar/limits.h"

enum {
    ST_META_GET,
    ST_META_SET,
    ST_SIZE,
    ST_FIND_NIP,
    ST_PUT_RECORD,
    ST_PUT_INK,
    ST_PUT_NODE,
    ST_GET_NODE,
    ST_GET,
    ST_SCAN,
    ST_PRINTED,
    ST_PUT_CP,
    ST_EACH_CP,
    ST_NODE_COUNT,
    ST_LEAVES,
    ST_CENSUS,
    ST_ROSTER_CLEAR,
    ST_ROSTER_PUT,
    ST_ROSTER_GET,
    ST_ROSTER_TOTALS,
    ST_ROSTER_UNITS,
    ST_RECORD_UNITS,
    ST_ROSTER_SEARCH,
    ST_ROSTER_ANY,
    ST_ROSTER_MISSING, /* the last of the roster's statements */
    ST_INK_COUNT,
    ST_COUNT_
};

/*
 * Who a roster entry or a record is, for matching the two: the NIP, or for
 * NON-ASN (who have none) the name and unit, ASCII case folded.  Written
 * once here as SQL so both sides fold the same way; char(31) cannot be in
 * a normalised field, so no name and unit run together into another's.
 */
#define WHO_KEY(t)                                                                                 \
    "coalesce(" t "nip, lower(" t "name) || char(31) || lower(coalesce(" t "unit, '')))"
#define SIGNED_KEYS "(SELECT " WHO_KEY("r.") " FROM record r)"

static const char *const sql[ST_COUNT_] = {
    [ST_META_GET] = "SELECT v FROM meta WHERE k = ?1",
    [ST_META_SET] = "INSERT INTO meta(k, v) VALUES (?1, ?2) ON CONFLICT(k) DO UPDATE SET v = ?2",
    [ST_SIZE] = "SELECT coalesce(max(seq), 0) FROM record",
    [ST_FIND_NIP] = "SELECT seq, t FROM record WHERE nip = ?1 AND seq >= 1 ORDER BY seq LIMIT 1",
    [ST_PUT_RECORD] = "INSERT INTO record(seq, t, name, status, nip, pos, unit, cose, leaf) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_PUT_INK] = "INSERT INTO ink(seq, cbor) VALUES (?1, ?2)",
    [ST_PUT_NODE] = "INSERT INTO node(level, idx, hash) VALUES (?1, ?2, ?3)",
    [ST_GET_NODE] = "SELECT hash FROM node WHERE level = ?1 AND idx = ?2",
    [ST_GET] = "SELECT r.seq, r.t, r.name, r.status, r.nip, r.pos, r.unit, r.cose, r.leaf, "
               "r.printed, i.cbor FROM record r LEFT JOIN ink i ON i.seq = r.seq "
               "WHERE r.seq = ?1",
    [ST_SCAN] = "SELECT r.seq, r.t, r.name, r.status, r.nip, r.pos, r.unit, r.cose, r.leaf, "
                "r.printed, i.cbor FROM record r LEFT JOIN ink i ON i.seq = r.seq "
                "WHERE r.seq > ?1 ORDER BY r.seq LIMIT ?2",
    [ST_PRINTED] = "UPDATE record SET printed = ?2 WHERE seq = ?1",
    [ST_PUT_CP] = "INSERT INTO checkpoint(size, note, t) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(size) DO UPDATE SET note = ?2, t = ?3",
    [ST_EACH_CP] = "SELECT size, note FROM checkpoint ORDER BY size",
    [ST_NODE_COUNT] = "SELECT count(*) FROM node",
    [ST_CENSUS] =
        "SELECT (SELECT count(*) FROM record), (SELECT coalesce(min(seq), 1) FROM record), "
        "(SELECT count(*) FROM ink WHERE seq NOT IN (SELECT seq FROM record))",
    [ST_LEAVES] = "SELECT seq, cose FROM record WHERE seq <= ?1 ORDER BY seq",

    /* The roster (roster.h).  "k IN (SELECT ...)" is not correlated: SQLite
       builds the set of signed keys once per statement, so counting 100,000
       entries against 100,000 records is two index passes, not a product. */
    [ST_ROSTER_CLEAR] = "DELETE FROM roster",
    [ST_ROSTER_PUT] = "INSERT INTO roster(line, name, status, nip, pos, unit, k) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?4, lower(?2) || char(31) || "
                      "lower(coalesce(?6, ''))))",
    [ST_ROSTER_GET] = "SELECT line, name, status, nip, pos, unit FROM roster WHERE nip = ?1",
    [ST_ROSTER_TOTALS] =
        "SELECT (SELECT count(*) FROM roster), "
        "(SELECT count(*) FROM roster WHERE k IN " SIGNED_KEYS "), "
        "(SELECT count(*) FROM record), "
        "(SELECT count(*) FROM record r WHERE " WHO_KEY("r.") " NOT IN "
                                                              "(SELECT k FROM roster))",
    [ST_ROSTER_UNITS] = "SELECT coalesce(unit, ''), count(*), sum(k IN " SIGNED_KEYS ") "
                        "FROM roster GROUP BY 1 ORDER BY 1",
    [ST_RECORD_UNITS] = "SELECT coalesce(unit, ''), count(*) FROM record GROUP BY 1 ORDER BY 1",
    [ST_ROSTER_MISSING] = "SELECT line, name, status, nip, pos, unit FROM roster "
                          "WHERE k NOT IN " SIGNED_KEYS " ORDER BY coalesce(unit, ''), name, line",
    [ST_INK_COUNT] = "SELECT count(*) FROM ink",
    /* The kiosk's "find me": ?1 a NIP's first digits (a range on the NIP's
       index; ':' sorts right after '9'), or ?2 the start of a word of the
       name, ASCII case folded; names starting with it first. */
    [ST_ROSTER_ANY] = "SELECT EXISTS (SELECT 1 FROM roster)",
    [ST_ROSTER_SEARCH] =
        "SELECT line, name, status, nip, pos, unit, k IN " SIGNED_KEYS " FROM roster "
        "WHERE (?1 IS NULL OR (nip >= ?1 AND nip < ?1 || ':')) "
        "AND (?2 IS NULL OR instr(' ' || lower(name), ' ' || ?2) > 0) "
        "ORDER BY (?2 IS NOT NULL AND instr(lower(name), ?2) <> 1), name, nip, line LIMIT ?3",
};

/*
 * Schema migrations: migrations[v] takes a database from user_version v to
 * v + 1.  A new version adds an entry; nothing already here changes.
 */
static const char *const migrations[IKR_LOG_SCHEMA] = {
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE record("
    " seq INTEGER PRIMARY KEY,"
    " t INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " nip TEXT,"
    " pos TEXT,"
    " unit TEXT,"
    " cose BLOB NOT NULL,"
    " leaf BLOB NOT NULL,"
    " printed INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX record_nip ON record(nip) WHERE nip IS NOT NULL;"
    "CREATE TABLE ink(seq INTEGER PRIMARY KEY, cbor BLOB NOT NULL);"
    "CREATE TABLE node(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY(level, idx)) WITHOUT ROWID;"
    "CREATE TABLE checkpoint(size INTEGER PRIMARY KEY, note TEXT NOT NULL, t INTEGER NOT NULL);",

    /* 1 -> 2: the roster of expected signers, imported from a spreadsheet.
       k is who the entry matches (WHO_KEY above); line is where the entry
       was in the file, so a question about it can be answered with the line. */
    "CREATE TABLE roster("
    " line INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " nip TEXT,"
    " pos TEXT,"
    " unit TEXT,"
    " k TEXT NOT NULL);"
    "CREATE UNIQUE INDEX roster_nip ON roster(nip) WHERE nip IS NOT NULL;"
    "CREATE INDEX roster_k ON roster(k);",
};

struct ikr_log {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT_];
    int in_txn;
    int how;        /* IKR_LOG_* */
    char *copy_dir; /* IKR_LOG_WAL_COPY: the temporary folder, removed at close */
};

/*
 * 1 when SQLite's failure rc was the disk filling up.  SQLite says SQLITE_FULL
 * when a write to the database or its write-ahead file finds no space, but
 * when its -shm file cannot grow it says only SQLITE_IOERR_SHMSIZE ("disk I/O
 * error"); the errno of the failed call tells the two apart.
 */
static int disk_full(ikr_log *l, int rc)
{
    if ((rc & 0xff) == SQLITE_FULL)
        return 1;
    /* Only where the last system call was a write, an allocation or a new file: else the
       errno may be an older call's. */
    if (rc != SQLITE_IOERR_SHMSIZE && rc != SQLITE_IOERR_SHMMAP && rc != SQLITE_IOERR_WRITE &&
        rc != SQLITE_IOERR_FSYNC && rc != SQLITE_IOERR_TRUNCATE && rc != SQLITE_IOERR &&
        (rc & 0xff) != SQLITE_CANTOPEN)
        return 0;
    int err = l && l->db ? sqlite3_system_errno(l->db) : 0;
    return err == ENOSPC || err == EDQUOT || err == EFBIG;
}

/* Turns SQLite's result into an ikrar code with SQLite's words as detail. */
static int db_err(ikr_log *l, int rc, ikr_err *e)
{
    const char *msg = l && l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);
    if (disk_full(l, rc))
        return ikr_err_set(e, IKR_E_DISK_FULL, "%s", msg);
    switch (rc & 0xff) {
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return ikr_err_set(e, IKR_E_READONLY, "%s", msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ikr_err_set(e, IKR_E_DB_BUSY, "%s", msg);
    case SQLITE_IOERR:
        return ikr_err_set(e, IKR_E_IO, "%s", msg);
    case SQLITE_NOMEM:
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    default:
        return ikr_err_set(e, IKR_E_DB, "%s", msg);
    }
}

static sqlite3_stmt *stmt(ikr_log *l, int which)
{
    sqlite3_stmt *s = l->st[which];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

static int exec(ikr_log *l, const char *q, ikr_err *e)
{
    int rc = sqlite3_exec(l->db, q, NULL, NULL, NULL);
    return rc == SQLITE_OK ? IKR_OK : db_err(l, rc, e);
}

static int user_version(ikr_log *l, int *v, ikr_err *e)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(l->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(l, rc, e);
    rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? IKR_OK : db_err(l, rc, e);
}

/*
 * Brings the schema to IKR_LOG_SCHEMA, one version a transaction.  The
 * version is read again under the write lock, so two processes opening an
 * old database at once apply each step once.  Version 0 (a new file) is
 * only migrated by ikr_log_create: an existing database at version 0 is not
 * ours, and opening it must not change it.
 */
static int migrate(ikr_log *l, int creating, ikr_err *e)
{
    int v, rc;
    for (;;) {
        if ((rc = exec(l, "BEGIN IMMEDIATE", e)))
            return rc;
        if ((rc = user_version(l, &v, e)))
            goto rollback;
        if (v > IKR_LOG_SCHEMA) {
            rc = ikr_err_set(e, IKR_E_SCHEMA_NEWER, "user_version %d", v);
            goto rollback;
        }
        if (v == IKR_LOG_SCHEMA)
            return exec(l, "COMMIT", e);
        if (v == 0 && !creating) {
            rc = ikr_err_set(e, IKR_E_NOKIOSK, "no ikrar log in this database");
            goto rollback;
        }
        char set[64];
        /* PRAGMA takes no bound parameters; v is our own counter, not data. */
        snprintf(set, sizeof set, "PRAGMA user_version = %d", v + 1);
        if ((rc = exec(l, migrations[v], e)) || (rc = exec(l, set, e)) ||
            (rc = exec(l, "COMMIT", e)))
            goto rollback;
    }
rollback:
    exec(l, "ROLLBACK", NULL);
    return rc;
}

/*
 * "file:" and path as a URI, every byte but unreserved ones and '/' escaped
 * (a '?', '#' or '%' in a folder's name must not be read as URI syntax),
 * then query.  0, or -1 when it does not fit.
 */
static int file_uri(char *out, size_t cap, const char *path, const char *query)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    if (cap < 8)
        return -1;
    /* "file:///abs": an absolute path starting "//" must not be read as an authority. */
    n = (size_t)snprintf(out, cap, "%s", path[0] == '/' ? "file://" : "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || strchr("/-._~", *p);
        if (n + 4 >= cap)
            return -1;
        if (plain) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    size_t q = strlen(query);
    if (n + q + 1 > cap)
        return -1;
    memcpy(out + n, query, q + 1);
    return 0;
}

/* The size of path, -1 when there is no such file. */
static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Copies the file from into a new file to (0600; not synced: it is a scratch copy). */
static int copy_file(const char *from, const char *to, ikr_err *e)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ikr_err_set(e, errno == EACCES ? IKR_E_READONLY : IKR_E_IO, "%s: %s", from,
                           strerror(errno));
    ikr_file_out o;
    char buf[65536];
    int rc = ikr_file_out_open(&o, to, 0600, IKR_FILE_NOSYNC, e);
    while (!rc) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            break;
        rc = r < 0 ? ikr_err_set(e, IKR_E_IO, "%s: %s", from, strerror(errno))
                   : ikr_file_out_write(&o, buf, (size_t)r, e);
    }
    close(in);
    if (!rc)
        return ikr_file_out_commit(&o, e);
    ikr_file_out_abort(&o);
    return rc;
}

/* The database's name in an IKR_LOG_WAL_COPY folder. */
#define COPY_NAME "ikrar.db"

/* Removes the temporary copy of an IKR_LOG_WAL_COPY log (the database is closed). */
static void copy_remove(ikr_log *l)
{
    static const char *const files[] = {COPY_NAME, COPY_NAME "-wal", COPY_NAME "-shm"};
    char p[IKR_FILE_PATH_MAX + 32];
    if (!l->copy_dir)
        return;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", l->copy_dir, files[i]);
        unlink(p);
    }
    rmdir(l->copy_dir);
    free(l->copy_dir);
    l->copy_dir = NULL;
}

/*
 * Copies the database at path and its write-ahead file into a new private
 * folder under $TMPDIR (or /tmp); *copy gets the copy's database path.
 */
static int wal_copy(ikr_log *l, const char *path, char *copy, size_t cap, ikr_err *e)
{
    const char *tmp = getenv("TMPDIR");
    char dir[IKR_FILE_PATH_MAX], wal[IKR_FILE_PATH_MAX + 8], cwal[IKR_FILE_PATH_MAX + 32];
    if (!tmp || !*tmp)
        tmp = "/tmp";
    /* Named for this process, so that a copy left by one killed is removed by a later one. */
    ikr_file_remove_stale(tmp, "ikrar-read-");
    if ((size_t)snprintf(dir, sizeof dir, "%s/ikrar-read-%ld-XXXXXX", tmp, (long)getpid()) >=
        sizeof dir)
        return ikr_err_set(e, IKR_E_IO, "%s: path too long", tmp);
    if (!mkdtemp(dir)) /* mode 0700: what is copied is personal data */
        return ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", dir,
                           strerror(errno));
    if (!(l->copy_dir = strdup(dir))) {
        rmdir(dir);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    snprintf(copy, cap, "%s/%s", dir, COPY_NAME);
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(cwal, sizeof cwal, "%s-wal", copy);
    int rc = copy_file(path, copy, e);
    if (!rc)
        rc = copy_file(wal, cwal, e);
    if (rc)
        copy_remove(l);
    return rc;
}

/*
 * Opens path read-only without writing anything beside it.  In a folder
 * this process may write, SQLite opens it as usual (it may make the -wal
 * and -shm it shares with a running kiosk).  Otherwise nothing can be made
 * there: with no write-ahead data the file alone is the database, opened
 * immutable; with write-ahead data and a -shm beside it, SQLite reads both
 * read-only; with write-ahead data and no usable -shm, the two files are
 * read through a private copy.
 */
static int open_readonly(ikr_log *l, const char *path, ikr_err *e)
{
    char dir[IKR_FILE_PATH_MAX], aside[IKR_FILE_PATH_MAX + 8];
    const char *slash = strrchr(path, '/');
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    if (strlen(path) >= sizeof dir)
        return ikr_err_set(e, IKR_E_IO, "%.64s...: path too long", path);
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
             slash ? path : ".");
    l->how = IKR_LOG_SHARED;
    int unwritable = access(dir, W_OK) != 0;
    if (unwritable) {
        struct statvfs fs;
        snprintf(aside, sizeof aside, "%s-wal", path);
        long long wal = file_size(aside);
        snprintf(aside, sizeof aside, "%s-shm", path);
        long long shm = file_size(aside);
        /*
         * Immutable only where nothing can change it: a read-only file
         * system, or no write-ahead data and no -shm (a kiosk that has the
         * database open always has a -shm; one of another user may be
         * signing into a folder this process only reads).
         */
        int frozen = statvfs(dir, &fs) == 0 && (fs.f_flag & ST_RDONLY);
        if (wal <= 0 && (frozen || shm <= 0))
            l->how = IKR_LOG_IMMUTABLE;
        else if (wal > 0 && access(aside, R_OK) != 0)
            l->how = IKR_LOG_WAL_COPY;
    }
    char uri[3 * IKR_FILE_PATH_MAX + 64], copy[IKR_FILE_PATH_MAX + 32];
    const char *at = path;
    int rc;
    if (l->how == IKR_LOG_WAL_COPY) {
        if ((rc = wal_copy(l, path, copy, sizeof copy, e)))
            return rc;
        at = copy;
    }
    if (file_uri(uri, sizeof uri, at, l->how == IKR_LOG_IMMUTABLE ? "?immutable=1" : "") != 0)
        return ikr_err_set(e, IKR_E_IO, "%.64s...: path too long", path);
    rc = sqlite3_open_v2(uri, &l->db, flags, NULL);
    if (rc == SQLITE_OK)
        sqlite3_busy_timeout(l->db, IKR_BUSY_TIMEOUT_MS);
    int probe;
    if (rc == SQLITE_OK && l->how == IKR_LOG_SHARED && unwritable &&
        (probe = sqlite3_exec(l->db, "PRAGMA user_version", NULL, NULL, NULL)) != SQLITE_OK &&
        ((probe & 0xff) == SQLITE_CANTOPEN || (probe & 0xff) == SQLITE_READONLY)) {
        /* The -shm beside it could not be used after all: read through a copy. */
        sqlite3_close(l->db);
        l->db = NULL;
        l->how = IKR_LOG_WAL_COPY;
        if ((rc = wal_copy(l, path, copy, sizeof copy, e)))
            return rc;
        if (file_uri(uri, sizeof uri, copy, "") != 0)
            return ikr_err_set(e, IKR_E_IO, "%.64s...: path too long", path);
        rc = sqlite3_open_v2(uri, &l->db, flags, NULL);
    }
    if (rc == SQLITE_OK)
        return IKR_OK;
    return ikr_err_set(e, IKR_E_NOKIOSK, "%s: %s", path, sqlite3_errmsg(l->db));
}

static int open_db(ikr_log **out, const char *path, int flags, int creating, ikr_err *e)
{
    int rc;
    ikr_log *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    if (!(flags & SQLITE_OPEN_READWRITE)) {
        if ((rc = open_readonly(l, path, e))) {
            ikr_log_close(l);
            return rc;
        }
    } else if ((rc = sqlite3_open_v2(path, &l->db, flags | SQLITE_OPEN_NOMUTEX, NULL)) !=
               SQLITE_OK) {
        int code = creating ? db_err(l, rc, e)
                            : ikr_err_set(e, IKR_E_NOKIOSK, "%s: %s", path, sqlite3_errmsg(l->db));
        ikr_log_close(l);
        return code;
    }
    sqlite3_extended_result_codes(l->db, 1);
    sqlite3_busy_timeout(l->db, IKR_BUSY_TIMEOUT_MS);
    /* Defensive settings: the database may come from someone else's hands. */
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(l->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    int readonly = !(flags & SQLITE_OPEN_READWRITE), v;
    /* Look before touching: a database that is not an ikrar log is left as it was. */
    if ((rc = user_version(l, &v, e)))
        goto fail;
    if (v > IKR_LOG_SCHEMA) {
        rc = ikr_err_set(e, IKR_E_SCHEMA_NEWER, "user_version %d", v);
        goto fail;
    }
    if (v == 0 && !creating) {
        rc = ikr_err_set(e, IKR_E_NOKIOSK, "%s: no ikrar log in this database", path);
        goto fail;
    }
    if (!readonly && (rc = exec(l, "PRAGMA journal_mode = WAL", e)))
        goto fail;
    if ((rc = exec(l, "PRAGMA synchronous = FULL", e)))
        goto fail;
    if (!readonly && (rc = migrate(l, creating, e)))
        goto fail;
    for (int i = 0; i < ST_COUNT_; i++) {
        rc = sqlite3_prepare_v3(l->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &l->st[i], NULL);
        /*
         * Read-only, a database from before rosters stays at version 1 (an
         * auditor's copy must not be changed): it has no roster table, and
         * the roster functions say there is no roster.
         */
        if (rc != SQLITE_OK && v < 2 && i >= ST_ROSTER_CLEAR && i <= ST_ROSTER_MISSING &&
            i != ST_RECORD_UNITS) {
            l->st[i] = NULL;
            continue;
        }
        if (rc != SQLITE_OK) {
            /* A database whose tables are not ours. */
            rc = ikr_err_set(e, IKR_E_NOKIOSK, "%s: %s", path, sqlite3_errmsg(l->db));
            goto fail;
        }
    }
    *out = l;
    return IKR_OK;
fail:
    ikr_log_close(l);
    return rc;
}

int ikr_log_create(ikr_log **out, const char *path, ikr_err *e)
{
    *out = NULL;
    /*
     * The file is made here, new and 0600, before SQLite opens it: it holds
     * names, NIPs and signatures, and SQLite gives its -wal and -shm files
     * the database file's mode.  An empty file is an empty database.
     */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ikr_err_set(e,
                           errno == EEXIST   ? IKR_E_EXISTS
                           : errno == ENOSPC ? IKR_E_DISK_FULL
                                             : IKR_E_IO,
                           "%s: %s", path, strerror(errno));
    close(fd);
    int rc = open_db(out, path, SQLITE_OPEN_READWRITE, 1, e);
    if (rc)
        unlink(path);
    return rc;
}

int ikr_log_open(ikr_log **out, const char *path, int readonly, ikr_err *e)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st) != 0)
        return ikr_err_set(e, IKR_E_NOKIOSK, "%s: %s", path, strerror(errno));
    return open_db(out, path, readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, 0, e);
}

void ikr_log_close(ikr_log *l)
{
    if (!l)
        return;
    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(l->st[i]);
    if (l->in_txn)
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(l->db);
    copy_remove(l);
    free(l);
}

int ikr_log_open_how(const ikr_log *l)
{
    return l->how;
}

int ikr_log_meta_set(ikr_log *l, const char *key, const void *val, size_t n, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_META_SET);
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(s, 2, val, n, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_meta_get(ikr_log *l, const char *key, ikr_buf *out, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_META_GET);
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    ikr_buf_reset(out);
    if (rc == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0);
        rc = ikr_buf_add(out, p, (size_t)n) || ikr_buf_addc(out, 0) ? IKR_E_NOMEM : IKR_OK;
        out->len = out->len ? out->len - 1 : 0;
        sqlite3_reset(s);
        return rc ? ikr_err_set(e, rc, NULL) : IKR_OK;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return ikr_err_set(e, IKR_E_NOKIOSK, "setting %s is missing", key);
    return db_err(l, rc, e);
}

int ikr_log_begin(ikr_log *l, ikr_err *e)
{
    int rc = exec(l, "BEGIN IMMEDIATE", e);
    if (!rc)
        l->in_txn = 1;
    return rc;
}

int ikr_log_commit(ikr_log *l, ikr_err *e)
{
    int rc = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        l->in_txn = 0;
        return IKR_OK;
    }
    /*
     * A write or sync error at COMMIT may come after the commit frame reached
     * the WAL: the transaction may be recovered the next time the database is
     * opened.  Say so rather than "not saved" (issue 11).
     */
    int code = (rc & 0xff) != SQLITE_IOERR ? db_err(l, rc, e)
               : disk_full(l, rc)
                   ? ikr_err_set(e, IKR_E_COMMIT_FULL, "%s", sqlite3_errmsg(l->db))
                   : ikr_err_set(e, IKR_E_COMMIT_UNKNOWN, "%s", sqlite3_errmsg(l->db));
    ikr_log_rollback(l);
    return code;
}

int ikr_log_quick_check(ikr_log *l, ikr_err *e)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(l->db, "PRAGMA quick_check(1)", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(l, rc, e);
    rc = sqlite3_step(s);
    int ok = rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT &&
             strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
    if (!ok && rc == SQLITE_ROW)
        ikr_err_set(e, IKR_E_LOG_DAMAGED, "SQLite quick_check: %.120s",
                    sqlite3_column_type(s, 0) == SQLITE_TEXT
                        ? (const char *)sqlite3_column_text(s, 0)
                        : "?");
    else if (!ok)
        ikr_err_set(e, IKR_E_LOG_DAMAGED, "SQLite quick_check: %.120s", sqlite3_errmsg(l->db));
    sqlite3_finalize(s);
    return ok ? IKR_OK : IKR_E_LOG_DAMAGED;
}

void ikr_log_rollback(ikr_log *l)
{
    if (l->in_txn)
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    l->in_txn = 0;
}

int ikr_log_size(ikr_log *l, uint64_t *n, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_SIZE);
    int rc = sqlite3_step(s);
    *n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_find_nip(ikr_log *l, const char *nip, uint64_t *seq, uint64_t *t, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_FIND_NIP);
    sqlite3_bind_text(s, 1, nip, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *seq = (uint64_t)sqlite3_column_int64(s, 0);
        *t = (uint64_t)sqlite3_column_int64(s, 1);
        sqlite3_reset(s);
        return 0;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 1 : db_err(l, rc, e);
}

int ikr_log_node(ikr_log *l, unsigned level, uint64_t index, uint8_t hash[IKR_HASH_LEN])
{
    sqlite3_stmt *s = stmt(l, ST_GET_NODE);
    sqlite3_bind_int(s, 1, (int)level);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)index);
    int found = 0;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == IKR_HASH_LEN) {
        memcpy(hash, sqlite3_column_blob(s, 0), IKR_HASH_LEN);
        found = 1;
    }
    sqlite3_reset(s);
    return found ? 0 : 1;
}

static int get_node_cb(void *ctx, unsigned level, uint64_t index, uint8_t out[IKR_HASH_LEN])
{
    return ikr_log_node(ctx, level, index, out);
}

struct put_ctx {
    ikr_log *l;
    ikr_err *e;
};

static int put_node_cb(void *ctx, unsigned level, uint64_t index, const uint8_t hash[IKR_HASH_LEN])
{
    struct put_ctx *p = ctx;
    sqlite3_stmt *s = stmt(p->l, ST_PUT_NODE);
    sqlite3_bind_int(s, 1, (int)level);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(s, 3, hash, IKR_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(p->l, rc, p->e);
}

int ikr_log_root(ikr_log *l, uint64_t m, uint8_t root[IKR_HASH_LEN], ikr_err *e)
{
    if (ikr_merkle_root_at(root, m, get_node_cb, l) != 0)
        return ikr_err_set(e, IKR_E_AUDIT_TREE, "no stored subtree for size %llu",
                           (unsigned long long)m);
    return IKR_OK;
}

int ikr_log_consistency(ikr_log *l, uint64_t m, uint64_t n, uint8_t proof[][IKR_HASH_LEN],
                        size_t max, size_t *len, ikr_err *e)
{
    int rc = ikr_merkle_consistency_proof(m, n, get_node_cb, l, proof, max, len);
    if (rc == -1)
        return ikr_err_set(e, IKR_E_INTERNAL, "no consistency proof from size %llu to %llu",
                           (unsigned long long)m, (unsigned long long)n);
    if (rc)
        return ikr_err_set(e, IKR_E_AUDIT_TREE, "a stored subtree below size %llu is missing",
                           (unsigned long long)n);
    return IKR_OK;
}

int ikr_log_root_of_records(ikr_log *l, uint64_t m, uint8_t root[IKR_HASH_LEN], ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_LEAVES);
    ikr_merkle_edge edge;
    uint64_t expect = 1;
    int rc;
    ikr_merkle_edge_init(&edge);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)m);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        uint8_t leaf[IKR_HASH_LEN];
        if ((uint64_t)sqlite3_column_int64(s, 0) != expect)
            break;
        ikr_merkle_leaf(leaf, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1));
        ikr_merkle_edge_push(&edge, leaf, NULL, NULL);
        expect++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(l, rc, e);
    if (expect != m + 1)
        return ikr_err_at(e, IKR_E_AUDIT_MISSING, (int64_t)expect, 0);
    ikr_merkle_edge_root(&edge, root);
    return IKR_OK;
}

/* Binds text, or NULL when empty (absent optional claims). */
static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v && v[0])
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

int ikr_log_append(ikr_log *l, uint64_t seq, uint64_t t, const ikr_signer *who, const uint8_t *cose,
                   size_t cose_len, const uint8_t *ink, size_t ink_len, uint8_t leaf[IKR_HASH_LEN],
                   uint8_t root[IKR_HASH_LEN], ikr_err *e)
{
    uint64_t size;
    int rc = ikr_log_size(l, &size, e);
    if (rc)
        return rc;
    if (seq != size + 1 || !l->in_txn)
        return ikr_err_set(e, IKR_E_INTERNAL, "append of %llu at size %llu",
                           (unsigned long long)seq, (unsigned long long)size);
    ikr_merkle_leaf(leaf, cose, cose_len);

    sqlite3_stmt *s = stmt(l, ST_PUT_RECORD);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)seq);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)t);
    sqlite3_bind_text(s, 3, who->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, ikr_status_name(who->status), -1, SQLITE_STATIC);
    bind_opt(s, 5, who->nip);
    bind_opt(s, 6, who->pos);
    bind_opt(s, 7, who->unit);
    sqlite3_bind_blob64(s, 8, cose, cose_len, SQLITE_STATIC);
    sqlite3_bind_blob(s, 9, leaf, IKR_HASH_LEN, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT_UNIQUE && who->nip[0])
            return ikr_err_set(e, IKR_E_NIP_DUPLICATE, NULL);
        return db_err(l, rc, e);
    }

    if (ink) {
        s = stmt(l, ST_PUT_INK);
        sqlite3_bind_int64(s, 1, (sqlite3_int64)seq);
        sqlite3_bind_blob64(s, 2, ink, ink_len, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return db_err(l, rc, e);
    }

    ikr_merkle_edge edge;
    if (ikr_merkle_edge_at(&edge, size, get_node_cb, l) != 0)
        return ikr_err_set(e, IKR_E_AUDIT_TREE, "stored tree of size %llu is incomplete",
                           (unsigned long long)size);
    struct put_ctx pc = {l, e};
    if ((rc = ikr_merkle_edge_push(&edge, leaf, put_node_cb, &pc)))
        return rc;
    ikr_merkle_edge_root(&edge, root);
    return IKR_OK;
}

void ikr_log_row_init(ikr_log_row *r)
{
    memset(r, 0, sizeof *r);
    ikr_buf_init(&r->cose);
    ikr_buf_init(&r->ink);
}

void ikr_log_row_free(ikr_log_row *r)
{
    if (!r)
        return;
    ikr_buf_free(&r->cose);
    ikr_buf_free(&r->ink);
}

/*
 * Copies a text column into out.  Returns -1, leaving out empty, when the
 * value could not be a claim's: not text (or NULL where required), longer
 * than cap - 1 bytes, or holding a NUL.  Nothing is cut, so what the audit
 * compares is exactly what is stored.
 */
static int col_text(sqlite3_stmt *s, int i, char *out, size_t cap, int nullable)
{
    out[0] = '\0';
    int type = sqlite3_column_type(s, i);
    if (type == SQLITE_NULL)
        return nullable ? 0 : -1;
    if (type != SQLITE_TEXT)
        return -1;
    const unsigned char *p = sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (!p || n == 0 || n >= cap || memchr(p, '\0', n))
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

static int read_row(sqlite3_stmt *s, ikr_log_row *r)
{
    char status[16];
    r->bad_column = NULL;
    r->seq = (uint64_t)sqlite3_column_int64(s, 0);
    r->t = (uint64_t)sqlite3_column_int64(s, 1);
    if (sqlite3_column_type(s, 1) != SQLITE_INTEGER || sqlite3_column_int64(s, 1) < 0)
        r->bad_column = "t";
    if (col_text(s, 2, r->who.name, sizeof r->who.name, 0))
        r->bad_column = "name";
    r->who.status = -1;
    if (col_text(s, 3, status, sizeof status, 0) == 0)
        r->who.status = ikr_status_parse(status);
    /* Exactly as the claims spell it: "pns" is not "PNS". */
    if (r->who.status < 0 || strcmp(status, ikr_status_name(r->who.status)) != 0)
        r->bad_column = "status";
    if (col_text(s, 4, r->who.nip, sizeof r->who.nip, 1))
        r->bad_column = "nip";
    if (col_text(s, 5, r->who.pos, sizeof r->who.pos, 1))
        r->bad_column = "pos";
    if (col_text(s, 6, r->who.unit, sizeof r->who.unit, 1))
        r->bad_column = "unit";
    ikr_buf_reset(&r->cose);
    ikr_buf_reset(&r->ink);
    if (ikr_buf_add(&r->cose, sqlite3_column_blob(s, 7), (size_t)sqlite3_column_bytes(s, 7)))
        return IKR_E_NOMEM;
    memset(r->leaf, 0, IKR_HASH_LEN);
    if (sqlite3_column_bytes(s, 8) == IKR_HASH_LEN)
        memcpy(r->leaf, sqlite3_column_blob(s, 8), IKR_HASH_LEN);
    r->printed = sqlite3_column_int(s, 9);
    r->has_ink = sqlite3_column_type(s, 10) != SQLITE_NULL;
    if (r->has_ink &&
        ikr_buf_add(&r->ink, sqlite3_column_blob(s, 10), (size_t)sqlite3_column_bytes(s, 10)))
        return IKR_E_NOMEM;
    return IKR_OK;
}

int ikr_log_get(ikr_log *l, uint64_t seq, ikr_log_row *row, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_GET);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)seq);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        rc = read_row(s, row);
        sqlite3_reset(s);
        return rc ? ikr_err_set(e, rc, NULL) : IKR_OK;
    }
    sqlite3_reset(s);
    if (rc == SQLITE_DONE) {
        return ikr_err_at(e, IKR_E_RCPT_NOT_IN_LOG, (int64_t)seq, 0);
    }
    return db_err(l, rc, e);
}

int ikr_log_scan(ikr_log *l, uint64_t after, ikr_log_row *rows, size_t max, size_t max_bytes,
                 size_t *got, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_SCAN);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)after);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
    size_t n = 0, bytes = 0;
    int rc = SQLITE_DONE;
    while (n < max && bytes < max_bytes && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (read_row(s, &rows[n])) {
            sqlite3_reset(s);
            return ikr_err_set(e, IKR_E_NOMEM, NULL);
        }
        bytes += rows[n].cose.len + rows[n].ink.len;
        n++;
    }
    sqlite3_reset(s);
    *got = n;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(l, rc, e);
    return IKR_OK;
}

int ikr_log_node_count(ikr_log *l, uint64_t *n, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_NODE_COUNT);
    int rc = sqlite3_step(s);
    *n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_unsynced_for_bench(ikr_log *l, ikr_err *e)
{
    return exec(l, "PRAGMA synchronous = OFF", e);
}

int ikr_log_census(ikr_log *l, uint64_t *records, int64_t *min_seq, uint64_t *orphan_inks,
                   ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_CENSUS);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *records = (uint64_t)sqlite3_column_int64(s, 0);
        *min_seq = sqlite3_column_int64(s, 1);
        *orphan_inks = (uint64_t)sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? IKR_OK : db_err(l, rc, e);
}

/* --- the roster of expected signers, and the ink purge (roster.h, `ikrar purge-ink`) --- */

/* A roster statement, or NULL with IKR_E_ROSTER_NONE when the database predates rosters
 * (read-only). */
static sqlite3_stmt *roster_stmt(ikr_log *l, int which, ikr_err *e)
{
    if (!l->st[which]) {
        ikr_err_set(e, IKR_E_ROSTER_NONE, NULL);
        return NULL;
    }
    return stmt(l, which);
}

/* Reads a roster row (line, name, status, nip, pos, unit); -1 when a column cannot be an entry's.
 */
static int roster_row(sqlite3_stmt *s, ikr_signer *who, uint64_t *line)
{
    char status[16];
    memset(who, 0, sizeof *who);
    *line = (uint64_t)sqlite3_column_int64(s, 0);
    int bad = col_text(s, 1, who->name, sizeof who->name, 0) |
              col_text(s, 2, status, sizeof status, 0) |
              col_text(s, 3, who->nip, sizeof who->nip, 1) |
              col_text(s, 4, who->pos, sizeof who->pos, 1) |
              col_text(s, 5, who->unit, sizeof who->unit, 1);
    who->status = bad ? -1 : ikr_status_parse(status);
    return bad || who->status < 0 ? -1 : 0;
}

int ikr_log_roster_clear(ikr_log *l, ikr_err *e)
{
    if (!l->in_txn)
        return ikr_err_set(e, IKR_E_INTERNAL, "roster replaced outside a transaction");
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_CLEAR, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_roster_put(ikr_log *l, const ikr_signer *who, uint64_t line, ikr_err *e)
{
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_PUT, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)line);
    sqlite3_bind_text(s, 2, who->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, ikr_status_name(who->status), -1, SQLITE_STATIC);
    bind_opt(s, 4, who->nip);
    bind_opt(s, 5, who->pos);
    bind_opt(s, 6, who->unit);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_roster_get(ikr_log *l, const char *nip, ikr_signer *who, uint64_t *line, ikr_err *e)
{
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_GET, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    sqlite3_bind_text(s, 1, nip, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int bad = roster_row(s, who, line);
        sqlite3_reset(s);
        return bad ? ikr_err_set(e, IKR_E_META, "roster line %llu", (unsigned long long)*line) : 0;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 1 : db_err(l, rc, e);
}

int ikr_log_roster_totals(ikr_log *l, uint64_t *listed, uint64_t *listed_signed, uint64_t *records,
                          uint64_t *unlisted, ikr_err *e)
{
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_TOTALS, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *listed = (uint64_t)sqlite3_column_int64(s, 0);
        *listed_signed = (uint64_t)sqlite3_column_int64(s, 1);
        *records = (uint64_t)sqlite3_column_int64(s, 2);
        *unlisted = (uint64_t)sqlite3_column_int64(s, 3);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_roster_units(ikr_log *l, int by_roster,
                         int (*fn)(void *ctx, const char *unit, uint64_t expected,
                                   uint64_t signed_n),
                         void *ctx, ikr_err *e)
{
    sqlite3_stmt *s = roster_stmt(l, by_roster ? ST_ROSTER_UNITS : ST_RECORD_UNITS, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *unit = (const char *)sqlite3_column_text(s, 0);
        uint64_t n = (uint64_t)sqlite3_column_int64(s, 1);
        int r = by_roster ? fn(ctx, unit ? unit : "", n, (uint64_t)sqlite3_column_int64(s, 2))
                          : fn(ctx, unit ? unit : "", 0, n);
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

/*
 * Steps a roster query whose first columns are an entry's, calling fn for
 * each; with signed_col >= 0 that column says whether the entry signed.
 */
static int roster_rows(ikr_log *l, sqlite3_stmt *s, int signed_col,
                       int (*fn)(void *ctx, const ikr_signer *who, uint64_t line, int signd),
                       void *ctx, ikr_err *e)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ikr_signer who;
        uint64_t line;
        if (roster_row(s, &who, &line)) {
            sqlite3_reset(s);
            return ikr_err_set(e, IKR_E_META, "roster line %llu", (unsigned long long)line);
        }
        int r = fn(ctx, &who, line, signed_col >= 0 && sqlite3_column_int(s, signed_col) != 0);
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

typedef struct missing_ctx {
    int (*fn)(void *ctx, const ikr_signer *who, uint64_t line);
    void *ctx;
} missing_ctx;

static int missing_row(void *ctx, const ikr_signer *who, uint64_t line, int signd)
{
    (void)signd;
    missing_ctx *m = ctx;
    return m->fn(m->ctx, who, line);
}

int ikr_log_roster_missing(ikr_log *l, int (*fn)(void *ctx, const ikr_signer *who, uint64_t line),
                           void *ctx, ikr_err *e)
{
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_MISSING, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    missing_ctx m = {fn, ctx};
    return roster_rows(l, s, -1, missing_row, &m, e);
}

int ikr_log_roster_any(ikr_log *l)
{
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_ANY, NULL);
    if (!s)
        return 0;
    int any = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    return any;
}

int ikr_log_roster_search(ikr_log *l, const char *nip_prefix, const char *name, size_t limit,
                          int (*fn)(void *ctx, const ikr_signer *who, uint64_t line, int signd),
                          void *ctx, ikr_err *e)
{
    sqlite3_stmt *s = roster_stmt(l, ST_ROSTER_SEARCH, e);
    if (!s)
        return IKR_E_ROSTER_NONE;
    bind_opt(s, 1, nip_prefix);
    bind_opt(s, 2, name);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)(limit > INT32_MAX ? INT32_MAX : limit));
    return roster_rows(l, s, 6, fn, ctx, e);
}

int ikr_log_ink_count(ikr_log *l, uint64_t *n, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_INK_COUNT);
    int rc = sqlite3_step(s);
    *n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? IKR_OK : db_err(l, rc, e);
}

/*
 * The ink leaves the file, not just the table: secure_delete makes SQLite
 * overwrite the freed cells and pages with zeros (in new WAL frames), the
 * checkpoint copies those over the old pages in ikrar.db and truncates the
 * WAL that still held the ink in older frames, and VACUUM rewrites the
 * file without free pages; the last checkpoint empties the WAL it wrote.
 * A checkpoint that another connection's read holds back is reported as
 * IKR_E_PURGE_BUSY after the delete is committed: running it again (with
 * nothing left to delete) finishes the job.
 */
int ikr_log_purge_ink(ikr_log *l, uint64_t *purged, ikr_err *e)
{
    int rc;
    *purged = 0;
    if ((rc = exec(l, "PRAGMA secure_delete = ON", e)) || (rc = ikr_log_begin(l, e)))
        return rc;
    if ((rc = exec(l, "DELETE FROM ink", e))) {
        ikr_log_rollback(l);
        return rc;
    }
    *purged = (uint64_t)sqlite3_changes(l->db);
    if ((rc = ikr_log_commit(l, e)))
        return rc;
    const char *steps[3] = {"PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM",
                            "PRAGMA wal_checkpoint(TRUNCATE)"};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *s;
        if ((rc = sqlite3_prepare_v2(l->db, steps[i], -1, &s, NULL)) != SQLITE_OK)
            return db_err(l, rc, e);
        int busy = 0;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            busy |= sqlite3_column_int(s, 0); /* wal_checkpoint: 1 when it could not finish */
        sqlite3_finalize(s);
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED || busy)
            return ikr_err_set(e, IKR_E_PURGE_BUSY, "%s", steps[i]);
        if (rc != SQLITE_DONE)
            return db_err(l, rc, e);
    }
    return IKR_OK;
}

/* --- end of the roster block --- */

int ikr_log_read_begin(ikr_log *l, ikr_err *e)
{
    /* In WAL mode a read transaction sees one snapshot and blocks no writer. */
    int rc = exec(l, "BEGIN", e);
    if (rc)
        return rc;
    l->in_txn = 1;
    uint64_t n;
    return ikr_log_size(l, &n, e); /* the first read fixes the snapshot */
}

int ikr_log_set_printed(ikr_log *l, uint64_t seq, int printed, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_PRINTED);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)seq);
    sqlite3_bind_int(s, 2, printed);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_put_checkpoint(ikr_log *l, uint64_t size, const char *note, size_t n, uint64_t t,
                           ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_PUT_CP);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
    sqlite3_bind_text64(s, 2, note, n, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)t);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_each_checkpoint(ikr_log *l,
                            int (*fn)(void *ctx, uint64_t size, const char *note, size_t n),
                            void *ctx, ikr_err *e)
{
    sqlite3_stmt *s = stmt(l, ST_EACH_CP);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *note = (const char *)sqlite3_column_text(s, 1);
        int r = fn(ctx, (uint64_t)sqlite3_column_int64(s, 0), note ? note : "",
                   (size_t)sqlite3_column_bytes(s, 1));
        if (r) {
            sqlite3_reset(s);
            return r;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

/*
 * ---- the roster PDF's order: by unit, then seq ----
 *
 * Both statements order by the same key, so the units and their counts
 * come in the order the rows will.  Only (unit, seq) is sorted; each row's
 * blobs are then read by its seq, so the sort never holds records' bytes.
 */
#define BY_UNIT_KEY "IFNULL(unit, '')"

int ikr_log_units(ikr_log *l, uint64_t upto, int (*fn)(void *ctx, const char *unit, uint64_t n),
                  void *ctx, ikr_err *e)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(l->db,
                                "SELECT " BY_UNIT_KEY
                                ", COUNT(*) FROM record WHERE seq <= ?1 GROUP BY " BY_UNIT_KEY
                                " ORDER BY " BY_UNIT_KEY,
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(l, rc, e);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)upto);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *unit = (const char *)sqlite3_column_text(s, 0);
        int r = fn(ctx, unit ? unit : "", (uint64_t)sqlite3_column_int64(s, 1));
        if (r) {
            sqlite3_finalize(s);
            return r;
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

int ikr_log_each_by_unit(ikr_log *l, uint64_t upto, ikr_log_row *row,
                         int (*fn)(void *ctx, const ikr_log_row *row), void *ctx, ikr_err *e)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(
        l->db, "SELECT seq FROM record WHERE seq <= ?1 ORDER BY " BY_UNIT_KEY ", seq", -1, &s,
        NULL);
    if (rc != SQLITE_OK)
        return db_err(l, rc, e);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)upto);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int r = ikr_log_get(l, (uint64_t)sqlite3_column_int64(s, 0), row, e);
        if (!r)
            r = fn(ctx, row);
        if (r) {
            sqlite3_finalize(s);
            return r;
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? IKR_OK : db_err(l, rc, e);
}

/* Pages copied per backup step: 4 MiB of 4 KiB pages between progress calls. */
#define BACKUP_STEP_PAGES 1024

int ikr_log_backup(ikr_log *l, const char *dest,
                   void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
                   uint64_t *records, ikr_err *e)
{
    int rc, own_txn = !l->in_txn;
    sqlite3 *to = NULL;
    sqlite3_backup *b = NULL;
    *records = 0;
    /* New and 0600 before SQLite opens it, as ikr_log_create: the copy holds NIPs too. */
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ikr_err_set(e,
                           errno == EEXIST   ? IKR_E_EXISTS
                           : errno == ENOSPC ? IKR_E_DISK_FULL
                           : errno == EROFS  ? IKR_E_READONLY
                                             : IKR_E_IO,
                           "%s: %s", dest, strerror(errno));
    close(fd);
    /*
     * One read snapshot for the whole copy: a writer in another process then
     * never makes the backup start over, and what is copied is one moment.
     */
    if (own_txn && (rc = ikr_log_read_begin(l, e)))
        goto out;
    if ((rc = ikr_log_size(l, records, e)))
        goto out;
    rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", dest, to ? sqlite3_errmsg(to) : "cannot open");
        goto out;
    }
    sqlite3_extended_result_codes(to, 1);
    b = sqlite3_backup_init(to, "main", l->db, "main");
    if (!b) {
        rc = ikr_err_set(e, IKR_E_DB, "%s", sqlite3_errmsg(to));
        goto out;
    }
    for (;;) {
        int st = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
        if (progress) {
            int total = sqlite3_backup_pagecount(b), left = sqlite3_backup_remaining(b);
            progress(ctx, (uint64_t)(total - left), (uint64_t)total);
        }
        if (st == SQLITE_DONE)
            break;
        if (st == SQLITE_BUSY || st == SQLITE_LOCKED) {
            sqlite3_sleep(20); /* the destination is ours; the source is read in a snapshot */
            continue;
        }
        if (st != SQLITE_OK) {
            sqlite3_backup_finish(b);
            b = NULL;
            rc = st;
            goto sqlite_fail;
        }
    }
    rc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_OK)
        goto sqlite_fail;
    /*
     * The copied header says WAL, as the source's does; turn the copy into one
     * self-contained file, so a stick carries no -wal or -shm beside it and a
     * read-only open of it needs nothing else.
     */
    rc = sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        goto sqlite_fail;
    rc = sqlite3_close(to);
    to = NULL;
    if (rc != SQLITE_OK)
        goto sqlite_fail;
    fd = open(dest, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        rc = ikr_err_set(e, errno == ENOSPC ? IKR_E_DISK_FULL : IKR_E_IO, "%s: %s", dest,
                         strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    close(fd);
    rc = IKR_OK;
    goto out;
sqlite_fail:
    /*
     * The destination's failures (a full or read-only stick) are the ones to
     * name; SQLite reports some of them as a bare I/O error, so its errno decides.
     */
    if (to && sqlite3_system_errno(to) == ENOSPC)
        rc = SQLITE_FULL;
    else if (to && sqlite3_system_errno(to) == EROFS)
        rc = SQLITE_READONLY;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        rc = ikr_err_set(e, IKR_E_DISK_FULL, "%s", dest);
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        rc = ikr_err_set(e, IKR_E_READONLY, "%s", dest);
        break;
    case SQLITE_IOERR:
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", dest, sqlite3_errstr(rc));
        break;
    default:
        rc = ikr_err_set(e, IKR_E_DB, "%s: %s", dest, sqlite3_errstr(rc));
    }
out:
    if (b)
        sqlite3_backup_finish(b);
    if (to)
        sqlite3_close(to);
    if (own_txn)
        ikr_log_rollback(l);
    if (rc) {
        char side[IKR_FILE_PATH_MAX + 16];
        unlink(dest);
        snprintf(side, sizeof side, "%s-journal", dest);
        unlink(side);
    }
    return rc;
}
