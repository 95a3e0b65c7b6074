/*
 * test_station: the data folder and the signing path as the kiosk and the
 * CLI use them: set-up refusals, every validation rule refused with nothing
 * written, duplicates named with their seq and time, a full disk (through a
 * fault-injecting SQLite VFS) that loses nothing, tampering of every kind
 * caught by the audit at the right seq, receipts that stop matching a
 * rewritten log, read-only opens that leave an auditor's copy byte for
 * byte as it was, and two processes signing into one folder at once.
 */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/audit.h"
#include "ikrar/clock.h"
#include "ikrar/cose.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/note.h"
#include "ikrar/qr.h"
#include "ikrar/receipt.h"
#include "ikrar/station.h"

#include "fault_vfs.h"

/* ---- helpers ---- */

static char root_dir[] = "/tmp/ikrar-station-XXXXXX";

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", root_dir, name);
}

static int make_folder(const char *name, const char *pass)
{
    char dir[600];
    ikr_buf vk;
    ikr_err e;
    path_of(dir, sizeof dir, name);
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN",
                           "aula-1",
                           NULL,
                           0,
                           "246810",
                           pass,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    int rc = ikr_station_create(dir, &cfg, &vk, &e);
    ikr_buf_free(&vk);
    return rc;
}

static ikr_station *open_folder(const char *name, int how, const char *pass)
{
    char dir[600];
    ikr_station *s = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    path_of(dir, sizeof dir, name);
    ikr_station_open(&s, dir, how, pass, &e);
    return s;
}

static void simple_ink(ikr_ink *ink)
{
    const char *j = "{\"w\":600,\"h\":300,\"s\":[[100,150,0,140,120,20,180,160,40,220,110,60],"
                    "[260,150,300,300,170,330]]}";
    ikr_ink_init(ink);
    ikr_ink_parse_json(ink, j, strlen(j));
}

/* Signs one signer; returns the code, and the seq in *seq when given. */
static int sign(ikr_station *s, const char *name, int status, const char *nip, ikr_buf *receipt,
                ikr_err *e)
{
    ikr_ink ink;
    ikr_signed out;
    simple_ink(&ink);
    ikr_form f = {name, status, nip, "Analis Kebijakan", "Bagian Pemerintahan"};
    ikr_err_clear(e);
    int rc = ikr_station_sign(s, &f, &ink, 1732000000, &out, e);
    if (!rc && receipt) {
        ikr_buf_reset(receipt);
        ikr_buf_add(receipt, out.receipt.p, out.receipt.len);
    }
    ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    return rc;
}

static uint64_t size_of(ikr_station *s)
{
    uint64_t n = 0;
    ikr_station_size(s, &n, NULL);
    return n;
}

static int audit(const char *name, ikr_err *e)
{
    ikr_station *s = open_folder(name, IKR_OPEN_VERIFY, NULL);
    ikr_audit_report rep;
    if (!s)
        return -1;
    ikr_err_clear(e);
    int rc = ikr_audit_station(s, 2, &rep, e);
    ikr_station_close(s);
    return rc;
}

/* Runs SQL straight on a folder's database, as a tamperer would. */
static int tamper(const char *name, const char *q)
{
    char db[700];
    sqlite3 *h;
    snprintf(db, sizeof db, "%s/%s/ikrar.db", root_dir, name);
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, "unix") != SQLITE_OK)
        return -1;
    int rc = sqlite3_exec(h, q, NULL, NULL, NULL);
    sqlite3_close(h);
    return rc == SQLITE_OK ? 0 : -1;
}

static void copy_folder(const char *from, const char *to)
{
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "cp -a %s/%s %s/%s", root_dir, from, root_dir, to);
    if (system(cmd) != 0)
        fprintf(stderr, "copy failed\n");
}

/* ---- the tests ---- */

static void setup_refusals(void)
{
    char dir[600];
    ikr_buf vk;
    ikr_err e;
    ikr_buf_init(&vk);
    path_of(dir, sizeof dir, "bad");
    struct {
        ikr_station_cfg cfg;
        int want;
        const char *desc;
    } cases[] = {
        {{"Pilkada 2024", "T", "k", NULL, 0, "246810", NULL, NULL, NULL, NULL, NULL},
         IKR_E_EVENT_ID,
         "event id with capitals and space"},
        {{"", "T", "k", NULL, 0, "246810", NULL, NULL, NULL, NULL, NULL},
         IKR_E_EVENT_ID,
         "empty event id"},
        {{"ev", "T", "aula 1", NULL, 0, "246810", NULL, NULL, NULL, NULL, NULL},
         IKR_E_KIOSK_NAME,
         "kiosk name with space"},
        {{"ev", "T", "aula+1", NULL, 0, "246810", NULL, NULL, NULL, NULL, NULL},
         IKR_E_KIOSK_NAME,
         "kiosk name with +"},
        {{"ev", "", "k", NULL, 0, "246810", NULL, NULL, NULL, NULL, NULL},
         IKR_E_TITLE,
         "empty title"},
        {{"ev", "T", "k", NULL, 0, "1234", NULL, NULL, NULL, NULL, NULL},
         IKR_E_PIN_SHORT,
         "four-digit PIN"},
        {{"ev", "T", "k", NULL, 0, "abcdef", NULL, NULL, NULL, NULL, NULL},
         IKR_E_PIN_SHORT,
         "PIN of letters"},
        {{"ev", "T", "k", "\xff\xfe", 2, "246810", NULL, NULL, NULL, NULL, NULL},
         IKR_E_DECL,
         "declaration not UTF-8"},
        {{"ev", "T", "k", NULL, 0, "246810", NULL, "Pemkab \xc3", NULL, NULL, NULL},
         IKR_E_TITLE,
         "organiser not UTF-8"},
        {{"ev", "T", "k", NULL, 0, "246810", NULL, NULL, NULL, NULL, "EST"},
         IKR_E_ZONE,
         "a zone not of Indonesia"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ikr_err_clear(&e);
        int rc = ikr_station_create(dir, &cases[i].cfg, &vk, &e);
        struct stat st;
        check(cases[i].desc, rc == cases[i].want && stat(dir, &st) != 0);
    }
    check("a new folder is made", make_folder("main", NULL) == 0);
    ikr_err_clear(&e);
    check("a folder that holds a kiosk is refused", make_folder("main", NULL) == IKR_E_EXISTS);
    char keyp[700];
    snprintf(keyp, sizeof keyp, "%s/main/kiosk.key", root_dir);
    struct stat st;
    check("the key file is 0600", stat(keyp, &st) == 0 && (st.st_mode & 0777) == 0600);
    ikr_buf_free(&vk);
}

static void validation(void)
{
    ikr_station *s = open_folder("main", IKR_OPEN_SIGN, NULL);
    ikr_err e;
    check("open for signing", s != NULL);
    if (!s)
        return;
    char long_name[2001];
    memset(long_name, 'a', 2000);
    long_name[2000] = '\0';
    struct {
        const char *name;
        int status;
        const char *nip;
        int want;
        const char *desc;
    } cases[] = {
        {"", IKR_STATUS_PNS, "198503302010012003", IKR_E_NAME_EMPTY, "empty name"},
        {"   \t ", IKR_STATUS_PNS, "198503302010012003", IKR_E_NAME_EMPTY, "blank name"},
        {long_name, IKR_STATUS_PNS, "198503302010012003", IKR_E_NAME_LONG, "2000-character name"},
        {"Siti \xc3\x28", IKR_STATUS_PNS, "198503302010012003", IKR_E_TEXT_UTF8, "name not UTF-8"},
        {"Siti", 7, "198503302010012003", IKR_E_STATUS, "unknown status"},
        {"Siti", IKR_STATUS_PNS, NULL, IKR_E_NIP_REQUIRED, "PNS without NIP"},
        {"Siti", IKR_STATUS_PPPK, "", IKR_E_NIP_REQUIRED, "PPPK without NIP"},
        {"Siti", IKR_STATUS_NON_ASN, "198503302010012003", IKR_E_NIP_FORBIDDEN, "NON-ASN with NIP"},
        {"Siti", IKR_STATUS_PNS, "19850330201001200", IKR_E_NIP_LENGTH, "17-digit NIP"},
        {"Siti", IKR_STATUS_PNS, "1985033020100120031234567", IKR_E_NIP_LENGTH, "25-digit NIP"},
        {"Siti", IKR_STATUS_PNS, "19850330201001200X", IKR_E_NIP_DIGITS, "NIP with a letter"},
        {"Siti", IKR_STATUS_PNS, "198502302010012003", IKR_E_NIP_BIRTH, "born on 30 February"},
        {"Siti", IKR_STATUS_PNS, "198503302010132003", IKR_E_NIP_TMT, "appointed in month 13"},
        {"Siti", IKR_STATUS_PNS, "198503302000012003", IKR_E_NIP_TMT_AGE, "appointed at 14"},
        {"Siti", IKR_STATUS_PNS, "198503302010013003", IKR_E_NIP_GENDER, "gender digit 3"},
        {"Siti", IKR_STATUS_PNS, "198503302010012000", IKR_E_NIP_SERIAL, "serial 000"},
        {"Siti", IKR_STATUS_PNS, "198503302010012003\xbb", IKR_E_NIP_DIGITS,
         "18 digits and a stray UTF-8 byte (once signed, and one byte past the NIP's room)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ikr_ink ink;
        ikr_signed out;
        simple_ink(&ink);
        ikr_form f = {cases[i].name, cases[i].status, cases[i].nip, NULL, NULL};
        ikr_err_clear(&e);
        int rc = ikr_station_sign(s, &f, &ink, 1732000000, &out, &e);
        check(cases[i].desc, rc == cases[i].want && e.code == cases[i].want && out.seq == 0 &&
                                 out.receipt.len == 0 && ikr_code_is_refusal(rc));
        ikr_ink_free(&ink);
    }
    check("nothing was written by refused signers", size_of(s) == 0);

    ikr_form f = {"Siti", IKR_STATUS_PNS, "198503302010012003", "x", "y"};
    ikr_signed out;
    ikr_ink empty;
    ikr_ink_init(&empty);
    ikr_err_clear(&e);
    check("empty ink refused",
          ikr_station_sign(s, &f, &empty, 1732000000, &out, &e) == IKR_E_INK_EMPTY);
    char long_pos[300];
    memset(long_pos, 'p', 299);
    long_pos[299] = '\0';
    ikr_form g = {"Siti", IKR_STATUS_PNS, "198503302010012003", long_pos, NULL};
    ikr_ink ink;
    simple_ink(&ink);
    ikr_err_clear(&e);
    check("299-byte position refused",
          ikr_station_sign(s, &g, &ink, 1732000000, &out, &e) == IKR_E_POS_LONG);
    ikr_form h = {"Siti", IKR_STATUS_PNS, "198503302010012003", NULL, long_pos};
    ikr_err_clear(&e);
    check("299-byte unit refused",
          ikr_station_sign(s, &h, &ink, 1732000000, &out, &e) == IKR_E_UNIT_LONG);
    ikr_ink_free(&ink);
    check("still nothing written", size_of(s) == 0);

    /* A NIP typed in groups, a name with titles and spaces to tidy. */
    ikr_buf r;
    ikr_buf_init(&r);
    check("a PNS signs", sign(s, "  Dr. Hj. Nur'aini,\tS.Pd., M.Si.  ", IKR_STATUS_PNS,
                              "19850330 201001 2 003", &r, &e) == 0);
    ikr_log_row row;
    ikr_log_row_init(&row);
    check("record 1 stored", ikr_station_get(s, 1, &row, &e) == 0 &&
                                 strcmp(row.who.name, "Dr. Hj. Nur'aini, S.Pd., M.Si.") == 0 &&
                                 strcmp(row.who.nip, "198503302010012003") == 0);
    ikr_log_row_free(&row);
    ikr_err_clear(&e);
    check("the same NIP again is refused", sign(s, "Nur'aini", IKR_STATUS_PNS, "198503302010012003",
                                                NULL, &e) == IKR_E_NIP_DUPLICATE);
    check("the refusal names seq and time", e.seq == 1 && e.when == 1732000000);
    char msg[300];
    ikr_err_format(&e, IKR_LANG_ID, msg, sizeof msg);
    check("the Indonesian message says when and which number",
          strstr(msg, "nomor 1") && strstr(msg, "2024-11-19 14:06 WIB"));
    ikr_err_format(&e, IKR_LANG_EN, msg, sizeof msg);
    check("the English message too", strstr(msg, "number 1") && strstr(msg, "already signed"));
    check("a PPPK signs",
          sign(s, "Agus Salim", IKR_STATUS_PPPK, "199001012022011001", NULL, &e) == 0);
    check("a non-ASN signs", sign(s, "Rina", IKR_STATUS_NON_ASN, NULL, NULL, &e) == 0);
    check("a second non-ASN signs (no NIP to collide)",
          sign(s, "Rina", IKR_STATUS_NON_ASN, "", NULL, &e) == 0);
    check("four records", size_of(s) == 4);

    /* The receipt verifies against the folder's key and log, and can be made again. */
    ikr_buf vk, cose, again;
    ikr_buf_init(&vk);
    ikr_buf_init(&cose);
    ikr_buf_init(&again);
    ikr_vkey key;
    ikr_receipt rc;
    ikr_station_vkey(s, &vk);
    check("verifier key parses", ikr_vkey_parse(&key, (char *)vk.p, vk.len) == 0);
    ikr_err_clear(&e);
    check("receipt parses", ikr_receipt_parse(&rc, &cose, (char *)r.p, r.len - 1, &e) == 0);
    check("receipt verifies", ikr_receipt_check(&cose, &key, 1, NULL, &e) == 0);
    check("receipt matches the log", ikr_station_check_receipt(s, &rc, &e) == 0);
    check("receipt names seq 1, masked NIP",
          rc.seq == 1 && strcmp(rc.nip, "**************2003") == 0);
    check("the receipt can be made again, identical", ikr_station_receipt(s, 1, &again, &e) == 0 &&
                                                          again.len == r.len &&
                                                          memcmp(again.p, r.p, r.len) == 0);
    ikr_buf_free(&vk);
    ikr_buf_free(&cose);
    ikr_buf_free(&again);
    ikr_buf_free(&r);

    ikr_buf note;
    ikr_buf_init(&note);
    check("checkpoint signs", ikr_station_checkpoint(s, 1732000100, &note, &e) == 0);
    check("checkpoint opens with the verifier key",
          ikr_note_open((char *)note.p, note.len, &key, 1, &(size_t){0}) == 0);
    ikr_buf_free(&note);
    ikr_station_close(s);
    check("the folder audits", audit("main", &e) == 0);
}

static void full_disk(void)
{
    ikr_station *s = open_folder("main", IKR_OPEN_SIGN, NULL);
    ikr_err e;
    if (!s) {
        check("open", 0);
        return;
    }
    uint64_t before = size_of(s);
    disk_full = 1;
    ikr_buf r;
    ikr_buf_init(&r);
    int rc = sign(s, "Putri", IKR_STATUS_NON_ASN, NULL, &r, &e);
    disk_full = 0;
    check("a full disk refuses the record", rc == IKR_E_DISK_FULL || rc == IKR_E_IO);
    check("and no receipt is made", r.len == 0);
    char msg[300];
    ikr_err_format(&e, IKR_LANG_ID, msg, sizeof msg);
    check("the signer is told in Indonesian",
          strstr(msg, "tidak dapat disimpan") != NULL || rc == IKR_E_IO);
    check("nothing half-written", size_of(s) == before);
    check("the next signer, once there is room, gets the next number",
          sign(s, "Putri", IKR_STATUS_NON_ASN, NULL, &r, &e) == 0 && size_of(s) == before + 1);
    ikr_buf_free(&r);
    ikr_station_close(s);
    check("the folder still audits", audit("main", &e) == 0);
}

static void tampering(void)
{
    ikr_err e;
    ikr_buf receipt;
    ikr_buf_init(&receipt);
    check("base folder", make_folder("base", NULL) == 0);
    ikr_station *s = open_folder("base", IKR_OPEN_SIGN, NULL);
    if (!s)
        return;
    const char *nips[] = {"198503302010012003", "197101011998031002", "198807142015042001",
                          "199202292019031001", "197512312000121001"};
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "Pegawai %d", i + 1);
        sign(s, name, IKR_STATUS_PNS, nips[i], i == 1 ? &receipt : NULL, &e);
    }
    ikr_buf note;
    ikr_buf_init(&note);
    ikr_station_checkpoint(s, 1732000200, &note, &e);
    ikr_buf_free(&note);
    check("five records", size_of(s) == 5);
    ikr_station_close(s);
    check("untouched folder audits", audit("base", &e) == 0);

    struct {
        const char *name, *sql;
        int want;
        int64_t seq;
    } cases[] = {
        {"byte",
         "UPDATE record SET cose = substr(cose, 1, 40) || x'00' || substr(cose, 42) WHERE seq = 3",
         -1, 3},
        {"deleted", "DELETE FROM record WHERE seq = 3; DELETE FROM ink WHERE seq = 3",
         IKR_E_AUDIT_MISSING, 3},
        {"swapped",
         "CREATE TEMP TABLE t AS SELECT * FROM record WHERE seq IN (2, 4);"
         "UPDATE record SET (t, name, status, nip, pos, unit, cose, leaf) = (SELECT t, name, "
         "status, "
         "NULL, pos, unit, cose, leaf FROM t WHERE t.seq = 4) WHERE seq = 2;"
         "UPDATE record SET (t, name, status, nip, pos, unit, cose, leaf) = (SELECT t, name, "
         "status, "
         "nip, pos, unit, cose, leaf FROM t WHERE t.seq = 2) WHERE seq = 4;"
         "UPDATE record SET nip = (SELECT nip FROM t WHERE t.seq = 4) WHERE seq = 2",
         IKR_E_AUDIT_SEQ, 2},
        {"column", "UPDATE record SET name = 'Orang Lain' WHERE seq = 2", IKR_E_AUDIT_COLUMNS, 2},
        {"ink", "UPDATE ink SET cbor = cbor || x'00' WHERE seq = 4", IKR_E_AUDIT_INK, 4},
        {"leaf", "UPDATE record SET leaf = zeroblob(32) WHERE seq = 5", IKR_E_AUDIT_LEAF, 5},
        /* Tag 18 written d8 12: the signature still verifies (it covers the payload and the
           protected header only), so only the strict decoding can catch it. */
        {"tag-long", "UPDATE record SET cose = x'd812' || substr(cose, 2) WHERE seq = 3",
         IKR_E_AUDIT_ENCODING, 3},
        {"node", "UPDATE node SET hash = zeroblob(32) WHERE level = 1 AND idx = 1",
         IKR_E_AUDIT_TREE, 4},
        {"truncated", "DELETE FROM record WHERE seq = 5; DELETE FROM ink WHERE seq = 5",
         IKR_E_AUDIT_CHECKPOINT, 5},
        {"nip-longer", "UPDATE record SET nip = nip || 'X' WHERE seq = 1", IKR_E_AUDIT_COLUMNS, 1},
        {"nip-nul", "UPDATE record SET name = name || char(0) || 'x' WHERE seq = 2",
         IKR_E_AUDIT_COLUMNS, 2},
        {"status-case", "UPDATE record SET status = 'pns' WHERE seq = 3", IKR_E_AUDIT_COLUMNS, 3},
        {"seq-zero",
         "INSERT INTO record(seq, t, name, status, nip, cose, leaf) SELECT 0, t, name, status, "
         "'197001011995031001', cose, leaf FROM record WHERE seq = 1",
         IKR_E_AUDIT_EXTRA, 5},
        {"orphan-ink", "INSERT INTO ink(seq, cbor) SELECT 99, cbor FROM ink WHERE seq = 1",
         IKR_E_AUDIT_EXTRA, 5},
        {"checkpoint",
         "UPDATE checkpoint SET note = replace(note, char(10) || '5' || char(10), char(10) || '6' "
         "|| char(10))",
         IKR_E_AUDIT_CHECKPOINT, 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char desc[160];
        copy_folder("base", cases[i].name);
        int t = tamper(cases[i].name, cases[i].sql);
        int rc = audit(cases[i].name, &e);
        int code_ok = cases[i].want < 0 ? (rc == IKR_E_AUDIT_SIG || rc == IKR_E_AUDIT_COSE)
                                        : rc == cases[i].want;
        snprintf(desc, sizeof desc, "audit catches '%s' at seq %lld (got code %d seq %lld)",
                 cases[i].name, (long long)cases[i].seq, rc, (long long)e.seq);
        check(desc, t == 0 && code_ok && e.seq == cases[i].seq);
    }

    /* A NIP that signed twice, sneaked past the kiosk's check by hiding the first. */
    copy_folder("base", "dup");
    tamper("dup", "UPDATE record SET nip = NULL WHERE seq = 2");
    s = open_folder("dup", IKR_OPEN_SIGN, NULL);
    check("the second signing of a hidden NIP",
          s && sign(s, "Pegawai 2", IKR_STATUS_PNS, nips[1], NULL, &e) == 0);
    ikr_station_close(s);
    tamper("dup",
           "DROP INDEX record_nip; UPDATE record SET nip = '197101011998031002' WHERE seq = 2");
    int rcdup = audit("dup", &e);
    check("audit finds one NIP signed twice, at the second",
          rcdup == IKR_E_AUDIT_DUP_NIP && e.seq == 6 && strcmp(e.detail, "2") == 0);

    /* A checkpoint of the empty log, then more: all audit. */
    check("folder for early checkpoints", make_folder("early-cp", NULL) == 0);
    s = open_folder("early-cp", IKR_OPEN_SIGN, NULL);
    if (s) {
        ikr_buf n0;
        ikr_buf_init(&n0);
        check("checkpoint of the empty log", ikr_station_checkpoint(s, 1732000000, &n0, &e) == 0);
        sign(s, "A", IKR_STATUS_NON_ASN, NULL, NULL, &e);
        sign(s, "B", IKR_STATUS_NON_ASN, NULL, NULL, &e);
        ikr_buf_reset(&n0);
        ikr_station_checkpoint(s, 1732000001, &n0, &e);
        ikr_buf_free(&n0);
        ikr_station_close(s);
    }
    check("a log with a size-0 checkpoint audits", audit("early-cp", &e) == 0);

    /* A receipt from before a rewrite no longer matches the log. */
    ikr_receipt r;
    ikr_buf cose;
    ikr_buf_init(&cose);
    ikr_receipt_parse(&r, &cose, (char *)receipt.p, receipt.len - 1, &e);
    s = open_folder("byte", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    check("receipt 2 still matches when a later record changed (the audit catches that)",
          s && ikr_station_check_receipt(s, &r, &e) == 0);
    ikr_station_close(s);
    copy_folder("base", "early");
    tamper("early", "UPDATE record SET cose = cose || x'00' WHERE seq = 1");
    s = open_folder("early", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    check("receipt 2 after record 1 changed: the root differs",
          s && ikr_station_check_receipt(s, &r, &e) == IKR_E_RCPT_ROOT);
    ikr_station_close(s);
    copy_folder("base", "regrown");
    tamper("regrown", "UPDATE node SET hash = zeroblob(32) WHERE level = 1 AND idx = 0");
    s = open_folder("regrown", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    check("receipt 2 does not lean on stored subtrees (the audit catches those)",
          s && ikr_station_check_receipt(s, &r, &e) == 0);
    ikr_station_close(s);
    s = open_folder("column", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    check("receipt 2 still matches when only a column copy changed (the audit catches that)",
          s && ikr_station_check_receipt(s, &r, &e) == 0);
    ikr_station_close(s);
    copy_folder("base", "rewritten");
    tamper("rewritten",
           "UPDATE record SET cose = (SELECT cose FROM record WHERE seq = 1) WHERE seq = 2");
    s = open_folder("rewritten", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    check("receipt 2 after record 2 was replaced: the leaf differs",
          s && ikr_station_check_receipt(s, &r, &e) == IKR_E_RCPT_LEAF);
    ikr_station_close(s);
    copy_folder("base", "dropped");
    check("tamper dropped", tamper("dropped", "DELETE FROM record WHERE seq = 2") == 0);
    s = open_folder("dropped", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    int rcd = s ? ikr_station_check_receipt(s, &r, &e) : -1;
    check("receipt 2 after record 2 was deleted: not in the log",
          rcd == IKR_E_RCPT_NOT_IN_LOG && e.seq == 2);
    if (rcd != IKR_E_RCPT_NOT_IN_LOG)
        fprintf(stderr, "got %d seq %lld\n", rcd, (long long)e.seq);
    ikr_station_close(s);
    ikr_buf_free(&cose);
    ikr_buf_free(&receipt);

    /* The whole log re-signed by another key: the key on file is not the signer. */
    check("folder with another key", make_folder("other", NULL) == 0);
    s = open_folder("other", IKR_OPEN_SIGN, NULL);
    if (s) {
        sign(s, "Palsu", IKR_STATUS_NON_ASN, NULL, NULL, &e);
        ikr_station_close(s);
    }
    copy_folder("base", "forged");
    char sql[2000];
    snprintf(
        sql, sizeof sql,
        "ATTACH '%s/other/ikrar.db' AS o; DELETE FROM record; DELETE FROM ink; DELETE FROM node;"
        "DELETE FROM checkpoint; INSERT INTO record SELECT * FROM o.record;"
        "INSERT INTO ink SELECT * FROM o.ink; INSERT INTO node SELECT * FROM o.node;",
        root_dir);
    tamper("forged", sql);
    int rcf = audit("forged", &e);
    check("a log signed by another key fails at seq 1", rcf == IKR_E_AUDIT_SIG && e.seq == 1);
    snprintf(sql, sizeof sql,
             "ATTACH '%s/other/ikrar.db' AS o; UPDATE meta SET v = (SELECT v FROM o.meta WHERE k = "
             "'pubkey') "
             "WHERE k = 'pubkey'",
             root_dir);
    tamper("forged", sql);
    ikr_station *swapped = NULL;
    char fdir[700];
    snprintf(fdir, sizeof fdir, "%s/forged", root_dir);
    ikr_err_clear(&e);
    check("...and with the key on file swapped too, verifier.key no longer matches",
          ikr_station_open(&swapped, fdir, IKR_OPEN_VERIFY, NULL, &e) == IKR_E_KEY_MISMATCH &&
              !swapped);

    /* Opening with a key file that is not the log's key. */
    char from[700], to[700];
    snprintf(from, sizeof from, "%s/other/kiosk.key", root_dir);
    snprintf(to, sizeof to, "%s/forged/kiosk.key", root_dir);
    unlink(to);
    if (link(from, to) != 0)
        fprintf(stderr, "link failed\n");
    char dir[700];
    snprintf(dir, sizeof dir, "%s/forged", root_dir);
    ikr_err_clear(&e);
    ikr_station *bad = NULL;
    check("a key that is not the log's is refused",
          ikr_station_open(&bad, dir, IKR_OPEN_SIGN, NULL, &e) == IKR_E_KEY_MISMATCH && !bad);
}

static void schema(void)
{
    ikr_err e;
    char dir[700];
    ikr_station *s = NULL;
    copy_folder("base", "newer");
    check("schema version raised", tamper("newer", "PRAGMA user_version = 9") == 0);
    snprintf(dir, sizeof dir, "%s/newer", root_dir);
    ikr_err_clear(&e);
    check("a database from a newer ikrar is refused, not rewritten",
          ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e) == IKR_E_SCHEMA_NEWER && !s);
    ikr_err_clear(&e);
    check("also when only verifying",
          ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == IKR_E_SCHEMA_NEWER && !s);
    copy_folder("base", "nometa");
    tamper("nometa", "DELETE FROM meta WHERE k = 'event'");
    snprintf(dir, sizeof dir, "%s/nometa", root_dir);
    ikr_err_clear(&e);
    check("a log whose settings were removed is called damaged, not new",
          ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == IKR_E_META && !s &&
              strcmp(e.detail, "event") == 0);
    copy_folder("base", "notours");
    tamper("notours", "DROP TABLE node");
    snprintf(dir, sizeof dir, "%s/notours", root_dir);
    ikr_err_clear(&e);
    check("a database without ikrar's tables is no kiosk",
          ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == IKR_E_NOKIOSK && !s);
}

/* A file's bytes into out (replacing its contents); 0 or -1. */
static int slurp(const char *path, ikr_buf *out)
{
    uint8_t chunk[4096];
    size_t n;
    FILE *f = fopen(path, "rb");
    ikr_buf_reset(out);
    if (!f)
        return -1;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (ikr_buf_add(out, chunk, n)) {
            fclose(f);
            return -1;
        }
    fclose(f);
    return 0;
}

static int count_missing(void *ctx, const ikr_roster_entry *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/*
 * What `ikrar stats`, `audit` and `verify --data` do opens the folder
 * read-only: an auditor's copy (here a database file made 0400, and one
 * from before rosters, schema 1) is read, counted and audited, and not one
 * byte of it changes: no migration, no journal mode, no settings.
 */
static void read_only(void)
{
    const char *names[2] = {"ro-new", "ro-old"};
    for (int k = 0; k < 2; k++) {
        char dir[700], db[800], what[120];
        ikr_buf before, after;
        ikr_err e;
        ikr_station *s = NULL;
        struct stat st;
        ikr_buf_init(&before);
        ikr_buf_init(&after);
        copy_folder("base", names[k]);
        if (k == 1)
            check("made a schema 1 copy",
                  tamper(names[k], "DROP TABLE roster; PRAGMA user_version = 1;") == 0);
        snprintf(dir, sizeof dir, "%s/%s", root_dir, names[k]);
        snprintf(db, sizeof db, "%s/%s", dir, IKR_DB_FILE);
        check("the copy's database is read", slurp(db, &before) == 0 && before.len > 0);
        check("and made read-only", chmod(db, 0400) == 0);

        ikr_err_clear(&e);
        snprintf(what, sizeof what, "%s: opens read-only", names[k]);
        check(what, ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == 0 && s);
        if (s) {
            uint64_t n = 0;
            ikr_roster_unit u[4];
            ikr_roster_totals t;
            ikr_log_row row;
            ikr_audit_report rep;
            int missing = 0;
            snprintf(what, sizeof what, "%s: its size", names[k]);
            check(what, ikr_station_size(s, &n, &e) == 0 && n == 5);
            snprintf(what, sizeof what, "%s: stats count it, with no roster", names[k]);
            check(what, ikr_station_roster_stats(s, u, 4, &t, &e) == 0 && !t.has_roster &&
                            t.records == 5 && t.nunits == 1 && u[0].signed_n == 5 &&
                            strcmp(u[0].unit, "Bagian Pemerintahan") == 0);
            snprintf(what, sizeof what, "%s: --missing says there is no roster", names[k]);
            check(what, ikr_station_roster_missing(s, count_missing, &missing, NULL) ==
                                IKR_E_ROSTER_NONE &&
                            missing == 0);
            ikr_log_row_init(&row);
            snprintf(what, sizeof what, "%s: a record reads back", names[k]);
            check(what,
                  ikr_station_get(s, 3, &row, &e) == 0 && strcmp(row.who.name, "Pegawai 3") == 0);
            ikr_log_row_free(&row);
            snprintf(what, sizeof what, "%s: the audit passes", names[k]);
            ikr_err_clear(&e);
            check(what, ikr_audit_station(s, 1, &rep, &e) == 0 && rep.records == 5);
            snprintf(what, sizeof what, "%s: nothing can be written through it", names[k]);
            check(what, ikr_station_mark_printed(s, 1, 1, NULL) != IKR_OK &&
                            ikr_station_pin_lock(s, 1, NULL) != IKR_OK);
            ikr_station_close(s);
        }
        snprintf(what, sizeof what, "%s: the database's bytes are unchanged", names[k]);
        check(what, slurp(db, &after) == 0 && after.len == before.len &&
                        memcmp(after.p, before.p, before.len) == 0);
        snprintf(what, sizeof what, "%s: and its mode too", names[k]);
        check(what, stat(db, &st) == 0 && (st.st_mode & 0777) == 0400);
        chmod(db, 0600);
        ikr_buf_free(&before);
        ikr_buf_free(&after);
    }
}

/* The longest receipt a kiosk can make must still fit 58 mm paper (version 17 at most). */
static void longest_receipt(void)
{
    char dir[700], ev[IKR_MAX_EVENT_ID + 1], name[IKR_MAX_NAME + 1];
    ikr_buf vk, r;
    ikr_err e;
    ikr_station *s = NULL;
    memset(ev, 'x', IKR_MAX_EVENT_ID);
    ev[IKR_MAX_EVENT_ID] = '\0';
    /* Names that compress worst: many different three-byte characters. */
    size_t n = 0;
    for (unsigned cp = 0x4e00; n + 3 <= IKR_MAX_NAME; cp += 97) {
        name[n++] = (char)(0xe0 | (cp >> 12));
        name[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        name[n++] = (char)(0x80 | (cp & 0x3f));
    }
    name[n] = '\0';
    path_of(dir, sizeof dir, "longest");
    ikr_buf_init(&vk);
    ikr_buf_init(&r);
    ikr_err_clear(&e);
    ikr_station_cfg cfg = {.event_id = ev, .title = "T", .kiosk = "k", .pin = "246810"};
    check("folder with a 64-character event id", ikr_station_create(dir, &cfg, &vk, &e) == 0);
    ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e);
    check("the longest name signs",
          s && sign(s, name, IKR_STATUS_PNS, "198503302010012003", &r, &e) == 0);
    ikr_qr q;
    check("its receipt encodes", r.len && ikr_qr_encode(&q, (const char *)r.p, &e) == 0);
    char desc[120];
    snprintf(desc, sizeof desc,
             "the longest receipt (%zu characters) fits version 17 (got %d at %c)", r.len - 1,
             q.version, q.level);
    printf("%s\n", desc);
    check(desc, q.version <= IKR_QR_MAX_VERSION && (q.level == 'Q' || q.level == 'M'));
    ikr_qr_free(&q);
    ikr_station_close(s);
    ikr_buf_free(&vk);
    ikr_buf_free(&r);
}

static void passphrase(void)
{
    ikr_err e;
    check("folder with an encrypted key", make_folder("enc", "kata sandi panjang") == 0);
    check("no passphrase: refused", open_folder("enc", IKR_OPEN_SIGN, NULL) == NULL);
    check("wrong passphrase: refused", open_folder("enc", IKR_OPEN_SIGN, "salah") == NULL);
    ikr_station *s = open_folder("enc", IKR_OPEN_SIGN, "kata sandi panjang");
    check("right passphrase signs", s && sign(s, "Rina", IKR_STATUS_NON_ASN, NULL, NULL, &e) == 0);
    ikr_station_close(s);
    s = open_folder("enc", IKR_OPEN_VERIFY, NULL);
    check("verifying needs no passphrase", s != NULL);
    ikr_station_close(s);
}

static void concurrent(void)
{
    ikr_err e;
    const int per = 15;
    check("folder for two signers", make_folder("two", NULL) == 0);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            ikr_station *s = open_folder("two", IKR_OPEN_SIGN, NULL);
            int bad = !s;
            for (int i = 0; i < per && s; i++) {
                char name[32];
                snprintf(name, sizeof name, "Penanda %d-%d", k, i);
                if (sign(s, name, IKR_STATUS_NON_ASN, NULL, NULL, &e) != 0)
                    bad = 1;
            }
            ikr_station_close(s);
            _exit(bad);
        }
    }
    int ok = 1, audits = 0, audits_ok = 0;
    /* Audits while both sign: each sees one consistent snapshot. */
    for (int round = 0; round < 200; round++) {
        int st;
        if (waitpid(kids[0], &st, WNOHANG) == kids[0]) {
            kids[0] = -kids[0] - 1;
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                ok = 0;
        }
        if (kids[0] < 0)
            break;
        audits++;
        audits_ok += audit("two", &e) == 0;
    }
    check("every audit during the signing passed", audits == audits_ok);
    for (int k = 0; k < 2; k++) {
        int st;
        if (kids[k] < 0)
            continue;
        waitpid(kids[k], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            ok = 0;
    }
    check("both processes signed everything", ok);
    ikr_station *s = open_folder("two", IKR_OPEN_VERIFY, NULL);
    check("every record is there once", s && size_of(s) == 2 * (uint64_t)per);
    ikr_station_close(s);
    check("and the log audits (seqs 1..n, one tree)", audit("two", &e) == 0);
}

/* The clock tests can set, and the durations `init --max-gap` takes. */
static void clock_and_durations(void)
{
    int64_t v = 0;
    check("duration: 90m", ikr_duration_parse("90m", &v) == 0 && v == 5400);
    check("duration: 36h", ikr_duration_parse("36h", &v) == 0 && v == 36 * 3600);
    check("duration: 7d", ikr_duration_parse("7d", &v) == 0 && v == 7 * 86400);
    check("duration: no unit, no number, a fraction, a space, too many digits are refused",
          ikr_duration_parse("7", &v) != 0 && ikr_duration_parse("d", &v) != 0 &&
              ikr_duration_parse("1.5h", &v) != 0 && ikr_duration_parse("7 d", &v) != 0 &&
              ikr_duration_parse("9999999999d", &v) != 0 && ikr_duration_parse("", &v) != 0 &&
              ikr_duration_parse("7w", &v) != 0);
    char d[16];
    ikr_duration_format(d, sizeof d, 36 * 3600);
    check("duration: written back as given", strcmp(d, "36h") == 0);
    setenv(IKR_CLOCK_ENV, "@978310800", 1);
    check("clock: IKRAR_TEST_NOW=@SECONDS", ikr_clock_now() == 978310800);
    setenv(IKR_CLOCK_ENV, "1764900000", 1);
    check("clock: IKRAR_TEST_NOW=SECONDS", ikr_clock_now() == 1764900000);
    setenv(IKR_CLOCK_ENV, "tomorrow", 1);
    uint64_t real = (uint64_t)time(NULL);
    check("clock: a malformed IKRAR_TEST_NOW is ignored",
          ikr_clock_now() >= real && ikr_clock_now() <= real + 5);
    unsetenv(IKR_CLOCK_ENV);
    check("clock: unset, the system clock", ikr_clock_now() >= real);
}

/* Signs a PNS with a valid NIP at time now; the code, with the refusal in *e. */
static int sign_at(ikr_station *s, const char *nip, uint64_t now, ikr_err *e)
{
    ikr_ink ink;
    ikr_signed out;
    simple_ink(&ink);
    ikr_form f = {"Rina Marlina", IKR_STATUS_PNS, nip, "Analis", "Bagian Umum"};
    ikr_err_clear(e);
    int rc = ikr_station_sign(s, &f, &ink, now, &out, e);
    ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    return rc;
}

/* The message a person would read, in Indonesian. */
static int says(const ikr_err *e, const char *part)
{
    char msg[600];
    ikr_err_format(e, IKR_LANG_ID, msg, sizeof msg);
    return strstr(msg, part) != NULL;
}

/*
 * The clock checks: a signed time can never be corrected, so a clock before
 * the event's set-up, before the last record, or too long after it stops
 * signing, and nothing is written.
 */
static void clock_checks(void)
{
    /* Set up at 2025-12-05 09:00 WIB. */
    const uint64_t t0 = 1764900000;
    ikr_err e;
    setenv(IKR_CLOCK_ENV, "1764900000", 1);
    check("clock: folder made", make_folder("clock", NULL) == 0);
    setenv(IKR_CLOCK_ENV, "1731999000", 1);
    ikr_station *s = open_folder("clock", IKR_OPEN_SIGN, NULL);
    check("clock: folder opens", s != NULL);
    if (!s)
        return;
    check("clock: the default max gap is a week", ikr_station_max_gap(s) == 7 * 86400);

    check("clock: 1970 is refused as before the set-up",
          sign_at(s, "198503152010012003", 0, &e) == IKR_E_CLOCK_BEFORE_INIT &&
              says(&e, "Jam kiosk menunjukkan 1970-01-01 07:00 WIB, sebelum acara disiapkan "
                       "(2025-12-05 09:00 WIB)"));
    /* At 2001 this NIP's appointment (2010) lies ahead: the clock must be named, not the NIP. */
    check("clock: 2001 names the clock, not the NIP's appointment date",
          sign_at(s, "198503152010012003", 978307200, &e) == IKR_E_CLOCK_BEFORE_INIT &&
              says(&e, "2001-01-01 07:00 WIB") && says(&e, "Atur jam kiosk"));
    check("clock: a minute before the set-up is refused",
          sign_at(s, "198503152010012003", t0 - 60, &e) == IKR_E_CLOCK_BEFORE_INIT);
    check("clock: nothing was written", size_of(s) == 0);
    check("clock: an hour after the set-up signs",
          sign_at(s, "198503152010012003", t0 + 3600, &e) == IKR_OK && size_of(s) == 1);
    check("clock: before the last record is refused, naming it",
          sign_at(s, "199001012015031002", t0 + 1800, &e) == IKR_E_CLOCK_BEFORE_LAST &&
              e.seq == 1 && e.when == (int64_t)(t0 + 1800) && e.limit == (int64_t)(t0 + 3600) &&
              says(&e, "sebelum tanda tangan terakhir (nomor 1, 2025-12-05 10:00 WIB)"));
    check("clock: 8 days after the last record is refused",
          sign_at(s, "199001012015031002", t0 + 3600 + 8 * 86400, &e) == IKR_E_CLOCK_GAP &&
              says(&e, "lebih dari 7d setelah tanda tangan terakhir") &&
              says(&e, "2025-12-13 10:00 WIB"));
    check("clock: still one record", size_of(s) == 1);
    check("clock: the same second as the last record signs",
          sign_at(s, "199001012015031002", t0 + 3600, &e) == IKR_OK && size_of(s) == 2);
    /* Two signers at once: one read the clock, then waited for the other's write lock. */
    check("clock: a lock's wait behind the last record signs",
          sign_at(s, "198807142015032004", t0 + 3600 - 5, &e) == IKR_OK && size_of(s) == 3);
    {
        ikr_log_row row;
        ikr_log_row_init(&row);
        check("clock: ...with the last record's time, so times never go back",
              ikr_station_get(s, 3, &row, &e) == IKR_OK && row.t == t0 + 3600);
        ikr_log_row_free(&row);
    }
    check("clock: further back than a lock's wait is refused",
          sign_at(s, "197912012005011003", t0 + 3600 - IKR_CLOCK_LOCK_SLACK - 1, &e) ==
                  IKR_E_CLOCK_BEFORE_LAST &&
              size_of(s) == 3);
    check("clock: 6 days later signs",
          sign_at(s, "199202292019031001", t0 + 3600 + 6 * 86400, &e) == IKR_OK);
    ikr_station_close(s);

    /* init --max-gap 36h */
    s = open_folder("clock", IKR_OPEN_ADMIN, NULL);
    check("clock: a gap under an hour is refused",
          s && ikr_station_set_max_gap(s, 59 * 60, &e) == IKR_E_MAX_GAP);
    check("clock: a gap over 366 days is refused",
          s && ikr_station_set_max_gap(s, 367 * 86400, &e) == IKR_E_MAX_GAP);
    ikr_err_clear(&e);
    check("clock: a 36h gap is kept", s && ikr_station_set_max_gap(s, 36 * 3600, &e) == IKR_OK);
    ikr_station_close(s);
    s = open_folder("clock", IKR_OPEN_SIGN, NULL);
    const uint64_t last = t0 + 3600 + 6 * 86400;
    check("clock: the 36h gap is read back", s && ikr_station_max_gap(s) == 36 * 3600);
    check("clock: 37h later is refused",
          s && sign_at(s, "198807072012121001", last + 37 * 3600, &e) == IKR_E_CLOCK_GAP &&
              says(&e, "lebih dari 36h"));
    check("clock: 35h later signs",
          s && sign_at(s, "198807072012121001", last + 35 * 3600, &e) == IKR_OK && size_of(s) == 5);
    ikr_station_close(s);
    check("clock: the folder audits", audit("clock", &e) == 0);
}

/*
 * Appends a record signed at time t past the station's clock checks, as a
 * kiosk from before them (or one whose clock was set back) could have:
 * a real signature by the folder's key, so the audit must pass and warn.
 */
static int append_at(ikr_station *s, const char *name, uint64_t t)
{
    ikr_ink ink;
    ikr_claims c;
    ikr_buf inkb, claims, cose;
    uint8_t leaf[IKR_HASH_LEN], root[IKR_HASH_LEN];
    uint64_t size = 0;
    ikr_log *l = ikr_station_log(s);
    simple_ink(&ink);
    ikr_buf_init(&inkb);
    ikr_buf_init(&claims);
    ikr_buf_init(&cose);
    memset(&c, 0, sizeof c);
    ikr_station_size(s, &size, NULL);
    c.v = 1;
    snprintf(c.ev, sizeof c.ev, "%s", ikr_station_event(s)->event);
    c.seq = size + 1;
    c.t = t;
    snprintf(c.who.name, sizeof c.who.name, "%s", name);
    c.who.status = IKR_STATUS_NON_ASN;
    memcpy(c.decl, ikr_station_event(s)->decl_hash, IKR_HASH_LEN);
    int rc = ikr_ink_encode(&inkb, &ink);
    ikr_sha256(c.inkh, inkb.p, inkb.len);
    if (!rc)
        rc = ikr_record_encode(&claims, &c) ||
             ikr_cose_sign1(&cose, ikr_station_key(s), claims.p, claims.len) ||
             ikr_log_begin(l, NULL) ||
             ikr_log_append(l, c.seq, c.t, &c.who, cose.p, cose.len, inkb.p, inkb.len, leaf, root,
                            NULL) ||
             ikr_log_commit(l, NULL);
    if (rc)
        ikr_log_rollback(l);
    ikr_buf_free(&inkb);
    ikr_buf_free(&claims);
    ikr_buf_free(&cose);
    ikr_ink_free(&ink);
    return rc;
}

/* Times that go backwards: the audit passes (the signatures are valid) and names them. */
static void backwards_times(void)
{
    const uint64_t t = 1764900000;
    ikr_err e;
    ikr_audit_report rep;
    char dir[600], out[700];
    setenv(IKR_CLOCK_ENV, "1764896400", 1);
    check("backwards: folder made", make_folder("back", NULL) == 0);
    ikr_station *s = open_folder("back", IKR_OPEN_SIGN, NULL);
    check("backwards: signs at T", s && sign_at(s, "198503152010012003", t, &e) == IKR_OK);
    check("backwards: the station refuses T-3600 itself",
          s && sign_at(s, "199001012015031002", t - 3600, &e) == IKR_E_CLOCK_BEFORE_LAST);
    check("backwards: a record signed at T-3600 (the clock set back)",
          s && append_at(s, "Mundur Satu", t - 3600) == 0);
    check("backwards: then T+60", s && append_at(s, "Maju", t + 60) == 0);
    check("backwards: and T-7200 again", s && append_at(s, "Mundur Dua", t - 7200) == 0);
    path_of(dir, sizeof dir, "back");
    snprintf(out, sizeof out, "%s-bundle", dir);
    ikr_bundle_stats st;
    ikr_err_clear(&e);
    check("backwards: the bundle is written",
          s && ikr_bundle_export(s, out, NULL, t + 120, &st, &e) == IKR_OK);
    ikr_station_close(s);
    s = open_folder("back", IKR_OPEN_VERIFY, NULL);
    ikr_err_clear(&e);
    check("backwards: the log still audits",
          s && ikr_audit_station(s, 1, &rep, &e) == IKR_OK && rep.records == 4);
    check("backwards: the audit names records 2 and 4",
          rep.backwards == 2 && rep.backwards_seq[0] == 2 && rep.backwards_seq[1] == 4);
    ikr_station_close(s);
    memset(&rep, 0, sizeof rep);
    check("backwards: the bundle audits and names records 2 and 4 too",
          ikr_audit_bundle(out, 1, &rep, &e) == IKR_OK && rep.backwards == 2 &&
              rep.backwards_seq[0] == 2 && rep.backwards_seq[1] == 4);

    /* A good log warns of nothing. */
    s = open_folder("clock", IKR_OPEN_VERIFY, NULL);
    memset(&rep, 0xff, sizeof rep);
    check("backwards: a log whose times only go forward warns of nothing",
          s && ikr_audit_station(s, 1, &rep, &e) == IKR_OK && rep.backwards == 0);
    ikr_station_close(s);
}

int main(void)
{
    /* Folders here are set up just before the fixed signing times below. */
    setenv(IKR_CLOCK_ENV, "1731999000", 1);
    install_vfs();
    if (!mkdtemp(root_dir)) {
        perror("mkdtemp");
        return 1;
    }
    setup_refusals();
    validation();
    full_disk();
    tampering();
    schema();
    read_only();
    longest_receipt();
    passphrase();
    concurrent();
    clock_and_durations();
    clock_checks();
    backwards_times();
    ikr_file_remove_tree(root_dir);
    return check_report();
}
