/*
 * test_bundle.c: the roster bundle (docs/formats.md §8): records.jsonl lines
 * parsed strictly, an export read back, receipts checked against it, and a
 * bundle that was cut, reordered, edited or re-signed after a fork caught.
 */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "ikrar/audit.h"
#include "ikrar/base64.h"
#include "ikrar/bundle.h"
#include "ikrar/clock.h"
#include "ikrar/export.h"
#include "ikrar/file.h"
#include "ikrar/ink.h"
#include "ikrar/receipt.h"
#include "ikrar/station.h"
#include "ikrar/ticket.h"

static char root_dir[] = "/tmp/ikrar-bundle-XXXXXX";

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", root_dir, name);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

/* Runs tmpl with every "%s" in it replaced by dir. */
static int run_on(const char *tmpl, const char *dir)
{
    char cmd[4000];
    size_t k = 0, dl = strlen(dir);
    for (const char *p = tmpl; *p && k + dl + 2 < sizeof cmd; p++) {
        if (p[0] == '%' && p[1] == 's') {
            memcpy(cmd + k, dir, dl);
            k += dl;
            p++;
        } else {
            cmd[k++] = *p;
        }
    }
    cmd[k] = '\0';
    return system(cmd);
}

static int parse(const char *line, ikr_bundle_rec *r, ikr_err *e)
{
    ikr_err_clear(e);
    return ikr_bundle_parse_line(r, line, strlen(line), e);
}

static void lines(void)
{
    ikr_bundle_rec r;
    ikr_err e;
    ikr_bundle_rec_init(&r);
    check("a plain line parses",
          parse("{\"seq\":7,\"cose\":\"AQID\",\"ink\":\"BAU=\"}", &r, &e) == 0 && r.seq == 7 &&
              r.cose.len == 3 && r.cose.p[2] == 3 && r.has_ink && r.ink.len == 2);
    check("members in any order, with readable copies and white space",
          parse(" { \"name\" : \"Ni \\\"Luh\\\" \\u00e9\\ud83d\\ude00\" , "
                "\"x\":[1,{\"a\":[true,null,-2.5e3]}],"
                "\"cose\":\"AQ\\/D\", \"seq\" : 12 }\r",
                &r, &e) == 0 &&
              r.seq == 12 && !r.has_ink && r.cose.len == 3);
    check("no ink: has_ink 0", parse("{\"seq\":1,\"cose\":\"AA==\"}", &r, &e) == 0 && !r.has_ink);
    check("a byte order mark is named as such",
          parse("\xEF\xBB\xBF{\"seq\":1,\"cose\":\"AA==\"}", &r, &e) == IKR_E_BUNDLE_LINE &&
              strstr(e.detail, "byte order mark"));

    struct {
        const char *line, *why;
    } bad[] = {
        {"", "empty line"},
        {"[1]", "not an object"},
        {"{\"cose\":\"AA==\"}", "no seq"},
        {"{\"seq\":1}", "no cose"},
        {"{\"seq\":0,\"cose\":\"AA==\"}", "seq 0"},
        {"{\"seq\":1.0,\"cose\":\"AA==\"}", "seq with a fraction"},
        {"{\"seq\":1e2,\"cose\":\"AA==\"}", "seq with an exponent"},
        {"{\"seq\":-1,\"cose\":\"AA==\"}", "negative seq"},
        {"{\"seq\":\"1\",\"cose\":\"AA==\"}", "seq as a string"},
        {"{\"seq\":9007199254740993,\"cose\":\"AA==\"}", "seq past 2^53"},
        {"{\"seq\":1,\"seq\":2,\"cose\":\"AA==\"}", "seq twice"},
        {"{\"seq\":1,\"cose\":\"AA==\",\"cose\":\"AA==\"}", "cose twice"},
        {"{\"seq\":1,\"cose\":\"AA==\",\"ink\":\"AA==\",\"ink\":\"AA==\"}", "ink twice"},
        {"{\"seq\":1,\"cose\":\"A\"}", "bad base64"},
        {"{\"seq\":1,\"cose\":\"AA==\"} {}", "something after the object"},
        {"{\"seq\":1,\"cose\":\"AA==\"", "not closed"},
        {"{\"seq\":1,\"cose\":\"AA==\",}", "trailing comma"},
        {"{\"seq\":1,\"cose\":\"AA==\",\"n\":\"\\ud800\"}", "lone surrogate"},
        {"{\"seq\":1,\"cose\":\"AA==\",\"n\":\"a\tb\"}", "raw tab in a string"},
        {"{\"seq\":1,\"cose\":\"AA==\",\"n\":\"\\q\"}", "bad escape"},
        {"{\"seq\":1,\"cose\":\"AA==\",\"n\":tru}", "bad literal"},
        {"{\"seq\":01,\"cose\":\"AA==\"}", "leading zero"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i].line, &r, &e);
        if (rc != IKR_E_BUNDLE_LINE || !e.detail[0])
            fprintf(stderr, "  case: %s (rc %d)\n", bad[i].why, rc);
        check("a bad line is refused with a reason", rc == IKR_E_BUNDLE_LINE && e.detail[0]);
    }

    /* Nesting is bounded: deep arrays are refused, not recursed into. */
    char deep[200] = "{\"seq\":1,\"cose\":\"AA==\",\"z\":";
    size_t k = strlen(deep);
    for (int i = 0; i < 40; i++)
        deep[k++] = '[';
    for (int i = 0; i < 40; i++)
        deep[k++] = ']';
    deep[k++] = '}';
    deep[k] = '\0';
    check("values nested 40 deep are refused", parse(deep, &r, &e) == IKR_E_BUNDLE_LINE);

    /* A cose larger than IKR_MAX_COSE is refused before it is decoded. */
    size_t big = IKR_BASE64_LEN(IKR_MAX_COSE + 3) + 64;
    char *huge = malloc(big + 64);
    if (huge) {
        int n = snprintf(huge, big + 64, "{\"seq\":1,\"cose\":\"");
        memset(huge + n, 'A', big - 40);
        strcpy(huge + n + big - 40, "\"}");
        check("an over-long cose is refused", parse(huge, &r, &e) == IKR_E_BUNDLE_LINE);
        free(huge);
    }
    ikr_bundle_rec_free(&r);
}

/* ---- a real kiosk's bundle ---- */

static void simple_ink(ikr_ink *ink)
{
    const char *j = "{\"w\":600,\"h\":300,\"s\":[[100,150,0,140,120,20,180,160,40]]}";
    ikr_ink_init(ink);
    ikr_ink_parse_json(ink, j, strlen(j));
}

/* Signs name into s at a fixed time; its parsed receipt goes to r. */
static int sign(ikr_station *s, const char *name, ikr_receipt *r)
{
    ikr_ink ink;
    ikr_signed out;
    ikr_err e;
    ikr_buf cose;
    ikr_err_clear(&e);
    ikr_buf_init(&cose);
    simple_ink(&ink);
    ikr_form f = {name, IKR_STATUS_NON_ASN, "", "Staf", "Bagian Umum"};
    int rc = ikr_station_sign(s, &f, &ink, 1732000000, &out, &e);
    if (!rc)
        rc = ikr_receipt_parse(r, &cose, (const char *)out.receipt.p,
                               strlen((const char *)out.receipt.p), &e);
    if (rc) {
        char m[300];
        fprintf(stderr, "  sign %s: %s\n", name, ikr_err_format(&e, IKR_LANG_EN, m, sizeof m));
    } else {
        ikr_buf_free(&out.receipt);
    }
    ikr_buf_free(&cose);
    ikr_ink_free(&ink);
    return rc;
}

static ikr_station *open_dir(const char *name)
{
    char dir[600];
    ikr_station *s = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    path_of(dir, sizeof dir, name);
    ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e);
    return s;
}

static int export_to(ikr_station *s, const char *name, ikr_bundle_stats *st, ikr_err *e)
{
    char out[600];
    path_of(out, sizeof out, name);
    ikr_err_clear(e);
    return ikr_bundle_export(s, out, NULL, 1732000100, st, e);
}

/* Opens bundle name and checks n receipts; returns the bundle's verdict. */
static int check_in(const char *name, const ikr_receipt *rs, size_t n, ikr_err *res, ikr_err *e)
{
    char dir[600];
    ikr_bundle b;
    int rc;
    path_of(dir, sizeof dir, name);
    ikr_err_clear(e);
    if ((rc = ikr_bundle_open(&b, dir, e)))
        return rc;
    return ikr_bundle_check_receipts(&b, rs, n, res, e);
}

static void round_trip(void)
{
    char a[600], c[600], b[600];
    ikr_buf vk;
    ikr_err e, res[6];
    ikr_receipt ra[4], rc3;
    ikr_bundle_stats st;
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
    path_of(a, sizeof a, "a");
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN",
                           "aula-1",
                           NULL,
                           0,
                           "246810",
                           NULL,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    check("kiosk a made", ikr_station_create(a, &cfg, &vk, &e) == 0);
    ikr_buf_free(&vk);
    ikr_station *s = open_dir("a");
    check("kiosk a opens", s != NULL);
    if (!s)
        return;
    check("signs 1", sign(s, "Ahmad Fauzi", &ra[0]) == 0);
    ikr_station_close(s);
    path_of(c, sizeof c, "c");
    check("kiosk a copied to c after record 1", sh("cp -a '%s' '%s'", a, c) == 0);
    s = open_dir("a");
    check("signs 2 and 3 on a",
          s && sign(s, "Siti Rahma", &ra[1]) == 0 && sign(s, "Wayan Sudarta", &ra[2]) == 0);

    check("export of a", export_to(s, "bundle-a", &st, &e) == 0 && st.records == 3 && st.inks == 3);
    path_of(b, sizeof b, "bundle-a");
    struct stat sb;
    char f[700];
    snprintf(f, sizeof f, "%s/records.jsonl", b);
    check("bundle folder is 0700", stat(b, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    check("records.jsonl is 0600", stat(f, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    check("no partial folder is left",
          sh("test -z \"$(ls -d '%s'.partial-* 2>/dev/null)\"", b) == 0);
    check("exporting over it is refused", export_to(s, "bundle-a", &st, &e) == IKR_E_BUNDLE_EXISTS);

    check("the three receipts check against the bundle",
          check_in("bundle-a", ra, 3, res, &e) == 0 && res[0].code == 0 && res[1].code == 0 &&
              res[2].code == 0);

    ikr_receipt wrong[3] = {ra[1], ra[2], ra[2]};
    wrong[0].leaf[0] ^= 1;
    wrong[1].root[31] ^= 1;
    wrong[2].seq = 9;
    check("a changed leaf, root and seq are each caught",
          check_in("bundle-a", wrong, 3, res, &e) == 0 && res[0].code == IKR_E_RCPT_LEAF &&
              res[0].seq == 2 && res[1].code == IKR_E_RCPT_ROOT &&
              res[2].code == IKR_E_RCPT_NOT_IN_LOG);

    /* A fork: c re-signs record 3 with the same claims after a different record 2. */
    ikr_station *sc = open_dir("c");
    ikr_receipt rc2;
    check("c signs another 2, then a's 3",
          sc && sign(sc, "Orang Lain", &rc2) == 0 && sign(sc, "Wayan Sudarta", &rc3) == 0);
    check("the forked record 3 has the same leaf as a's", memcmp(rc3.leaf, ra[2].leaf, 32) == 0);
    check("export of c", sc && export_to(sc, "bundle-c", &st, &e) == 0);
    check("a's receipt 3 shows c's bundle rewrote the log before it",
          check_in("bundle-c", &ra[2], 1, res, &e) == 0 && res[0].code == IKR_E_RCPT_ROOT &&
              res[0].seq == 3);
    check("a's receipt 1 still matches c (they share record 1)",
          check_in("bundle-c", &ra[0], 1, res, &e) == 0 && res[0].code == 0);
    ikr_station_close(sc);

    /* Another kiosk, with its own key, for its checkpoint and key. */
    char z[600];
    path_of(z, sizeof z, "z");
    ikr_buf_init(&vk);
    ikr_station_cfg cz = {"pilkada-2024",
                          "Deklarasi Netralitas ASN",
                          "aula-2",
                          NULL,
                          0,
                          "246810",
                          NULL,
                          NULL,
                          NULL,
                          NULL,
                          NULL};
    ikr_station *sz = NULL;
    ikr_receipt rz;
    check("kiosk z made", ikr_station_create(z, &cz, &vk, &e) == 0 &&
                              (sz = open_dir("z")) != NULL && sign(sz, "Ahmad Fauzi", &rz) == 0 &&
                              export_to(sz, "bundle-z", &st, &e) == 0);
    ikr_buf_free(&vk);
    ikr_station_close(sz);

    /*
     * Tampering with the bundle itself: each caught, naming the record.
     * code/seq: what a receipt check says; acode/aseq: what the audit says.
     */
    struct {
        const char *cmd, *why;
        int code;
        int64_t seq;
        int acode;
        int64_t aseq;
    } cases[] = {
        {"sed -i 2d '%s/records.jsonl'", "a line removed", IKR_E_BUNDLE_SEQ, 2, IKR_E_BUNDLE_SEQ,
         2},
        {"sed -i '1{h;d};2{G}' '%s/records.jsonl'", "two lines swapped", IKR_E_BUNDLE_SEQ, 1,
         IKR_E_BUNDLE_SEQ, 1},
        {"sed -i '$d' '%s/records.jsonl'", "the last line removed", IKR_E_BUNDLE_SIZE, 0,
         IKR_E_BUNDLE_SIZE, 0},
        {"tail -n 1 '%s/records.jsonl' >> '%s/records.jsonl'", "the last line twice",
         IKR_E_BUNDLE_SEQ, 4, IKR_E_BUNDLE_SEQ, 4},
        {"truncate -s -1 '%s/records.jsonl'", "the last line end cut", IKR_E_BUNDLE_LINE, 3,
         IKR_E_BUNDLE_LINE, 3},
        {"truncate -s -30 '%s/records.jsonl'", "the file cut mid-line", IKR_E_BUNDLE_LINE, 3,
         IKR_E_BUNDLE_LINE, 3},
        {"sed -i '2s/\"cose\":\"0/\"cose\":\"1/' '%s/records.jsonl'", "a record's bytes changed",
         IKR_E_BUNDLE_ROOT, 0, IKR_E_AUDIT_COSE, 2},
        {"sed -i '2s/\"seq\":2/\"seq\":\"2\"/' '%s/records.jsonl'", "a seq made a string",
         IKR_E_BUNDLE_LINE, 2, IKR_E_BUNDLE_LINE, 2},
        {"rm '%s/records.jsonl'", "records.jsonl missing", IKR_E_BUNDLE_FILE, 0, IKR_E_BUNDLE_FILE,
         0},
        {"rm '%s/checkpoint'", "checkpoint missing", IKR_E_BUNDLE_FILE, 0, IKR_E_BUNDLE_FILE, 0},
        {"cp '%s/../bundle-z/checkpoint' '%s/checkpoint'", "another kiosk's checkpoint",
         IKR_E_BUNDLE_CHECKPOINT, 0, IKR_E_BUNDLE_CHECKPOINT, 0},
        {"cp '%s/../bundle-z/verifier.key' '%s/verifier.key'", "another kiosk's key",
         IKR_E_BUNDLE_CHECKPOINT, 0, IKR_E_BUNDLE_CHECKPOINT, 0},
        {"cp '%s/../bundle-c/checkpoint' '%s/checkpoint'", "another log's checkpoint",
         IKR_E_BUNDLE_ROOT, 0, IKR_E_BUNDLE_ROOT, 0},
        {"sed -i '2s/^./X/' '%s/checkpoint'", "checkpoint size edited", IKR_E_BUNDLE_CHECKPOINT, 0,
         IKR_E_BUNDLE_CHECKPOINT, 0},
        {"printf 'bad\\n' > '%s/verifier.key'", "verifier key damaged", IKR_E_BUNDLE_FILE, 0,
         IKR_E_BUNDLE_FILE, 0},
        /* What only the audit sees: the CSV, the ink, the readable copies. */
        {"sed -i '3s/Siti Rahma/Siti Rahmi/' '%s/roster.csv'", "a CSV name edited", 0, 0,
         IKR_E_BUNDLE_CSV, 2},
        {"sed -i '3s/Bagian Umum/Bagian Keuangan/' '%s/roster.csv'", "a CSV unit edited", 0, 0,
         IKR_E_BUNDLE_CSV, 2},
        {"sed -i 3d '%s/roster.csv'", "a CSV row removed", 0, 0, IKR_E_BUNDLE_CSV, 2},
        {"sed -i '$d' '%s/roster.csv'", "the last CSV row removed", 0, 0, IKR_E_BUNDLE_CSV, 3},
        {"sed -n 2p '%s/roster.csv' >> '%s/roster.csv'", "a CSV row added", 0, 0, IKR_E_BUNDLE_CSV,
         4},
        {"sed -i '2{h;d};3{G}' '%s/roster.csv'", "two CSV rows swapped", 0, 0, IKR_E_BUNDLE_CSV, 1},
        /* The header is no record's row: said as the file's fault, not as "record 0". */
        {"sed -i '1s/Nama/Name/' '%s/roster.csv'", "the CSV header changed", 0, 0,
         IKR_E_BUNDLE_FILE, 0},
        {"printf '\\r\\n\\n' >> '%s/roster.csv'", "blank lines after the CSV's last row", 0, 0, 0,
         0},
        {"printf '\\r\\nx,y\\r\\n' >> '%s/roster.csv'", "a row after a blank line", 0, 0,
         IKR_E_BUNDLE_CSV, 4},
        {"sed -i '3s/Siti/Si\\x00ti/' '%s/roster.csv'", "a NUL in a CSV row names its record", 0, 0,
         IKR_E_BUNDLE_CSV, 2},
        /* CR is JSON white space, so a CRLF line is still one JSON text; the records are signed. */
        {"sed -i 's/$/\\r/' '%s/records.jsonl'", "records.jsonl with CRLF line ends", 0, 0, 0, 0},
        {"sed -i '1s/^/\\xef\\xbb\\xbf/' '%s/records.jsonl'", "records.jsonl saved with a BOM",
         IKR_E_BUNDLE_LINE, 1, IKR_E_BUNDLE_LINE, 1},
        /* Only regular files: a FIFO blocked open() forever, /dev/zero never ends. */
        {"rm '%s/records.jsonl' && mkfifo '%s/records.jsonl'", "records.jsonl a FIFO",
         IKR_E_BUNDLE_FILE, 0, IKR_E_BUNDLE_FILE, 0},
        {"ln -sf /dev/zero '%s/records.jsonl'", "records.jsonl -> /dev/zero", IKR_E_BUNDLE_FILE, 0,
         IKR_E_BUNDLE_FILE, 0},
        {"rm '%s/roster.csv' && mkfifo '%s/roster.csv'", "roster.csv a FIFO", 0, 0,
         IKR_E_BUNDLE_FILE, 0},
        {"rm '%s/event.json' && mkfifo '%s/event.json'", "event.json a FIFO", 0, 0,
         IKR_E_BUNDLE_FILE, 0},
        {"rm '%s/roster.csv'", "roster.csv missing", 0, 0, IKR_E_BUNDLE_FILE, 0},
        {"sed -i '2s/\"ink\":\"o/\"ink\":\"p/' '%s/records.jsonl'",
         "ink that is not the signed ink", 0, 0, IKR_E_AUDIT_INK, 2},
        {"sed -i '2s/\"name\":\"Siti Rahma\"/\"name\":\"Siti Rahmi\"/' '%s/records.jsonl'",
         "a readable copy edited", 0, 0, IKR_E_AUDIT_COLUMNS, 2},
        {"sed -i '2s/,\"ink\":\"[^\"]*\"//' '%s/records.jsonl'", "ink deleted (as a purge does)", 0,
         0, 0, 0},
        {"printf 'Saya setuju.' > '%s/declaration.txt'", "another declaration text", 0, 0,
         IKR_E_BUNDLE_FILE, 0},
        {"rm '%s/declaration.txt'", "declaration.txt missing", 0, 0, IKR_E_BUNDLE_FILE, 0},
        {"sed -i 's/pilkada-2024/pilkada-2029/' '%s/event.json'", "event.json of another event", 0,
         0, IKR_E_BUNDLE_FILE, 0},
        {"sed -i 's/WIB/XYZ/' '%s/event.json'", "event.json with no zone", 0, 0, IKR_E_BUNDLE_FILE,
         0},
        {"rm '%s/roster.pdf'", "roster.pdf missing (the audit checks what can be checked)", 0, 0, 0,
         0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char t[600], name[32];
        ikr_audit_report rep;
        snprintf(name, sizeof name, "t%zu", i);
        path_of(t, sizeof t, name);
        sh("cp -a '%s' '%s'", b, t);
        run_on(cases[i].cmd, t);
        int rc = check_in(name, ra, 3, res, &e);
        if (rc != cases[i].code || (cases[i].seq && e.seq != cases[i].seq))
            fprintf(stderr, "  case: %s: code %d seq %lld (%s)\n", cases[i].why, rc,
                    (long long)e.seq, e.detail);
        check("a tampered bundle is caught by a receipt check with the right reason",
              rc == cases[i].code && (!cases[i].seq || e.seq == cases[i].seq));
        for (int k = 1; k <= 2; k++) {
            ikr_err_clear(&e);
            rc = ikr_audit_bundle(t, k, &rep, &e);
            if (rc != cases[i].acode || (cases[i].aseq && e.seq != cases[i].aseq))
                fprintf(stderr, "  audit (%d threads): %s: code %d seq %lld (%s)\n", k,
                        cases[i].why, rc, (long long)e.seq, e.detail);
            check("a tampered bundle is caught by the audit with the right record",
                  rc == cases[i].acode && (!cases[i].aseq || e.seq == cases[i].aseq));
        }
    }
    ikr_audit_report rep;
    ikr_err_clear(&e);
    check("the untouched bundle audits",
          ikr_audit_bundle(b, 0, &rep, &e) == 0 && rep.records == 3 && rep.inks == 3);
    char semi[600];
    path_of(semi, sizeof semi, "bundle-semi");
    ikr_bundle_opts bo = {';', 0};
    ikr_err_clear(&e);
    check("an export with ';' audits", ikr_bundle_export(s, semi, &bo, 1732000200, &st, &e) == 0 &&
                                           ikr_audit_bundle(semi, 2, &rep, &e) == 0);
    ikr_station_close(s);
}

/* ---- a build killed half-way leaves nothing ---- */

/* What half_built is to build, and whether it dies. */
typedef struct guard_job {
    char out[600];
    int die;
} guard_job;

/* Builds out.partial-<pid> as an export or merge would, then returns or dies as asked. */
static int half_built(void *ctx)
{
    const guard_job *j = ctx;
    char p[800];
    snprintf(p, sizeof p, "%s.partial-%ld", j->out, (long)getpid());
    mkdir(p, 0700);
    strcat(p, "/kiosks");
    mkdir(p, 0700);
    strcat(p, "/aula-1");
    mkdir(p, 0700);
    strcat(p, "/records.jsonl");
    FILE *f = fopen(p, "w");
    if (f) {
        fputs("{\"seq\":1}\n", f);
        fclose(f);
    }
    if (j->die)
        raise(
            j->die); /* SIGKILL as the OOM killer would; SIGTERM as a stop would, delivered to it */
    return 3;
}

/* Builds its partial folder, then waits a long while (until it is stopped). */
static int slow_built(void *ctx)
{
    const guard_job *j = ctx;
    char p[800];
    snprintf(p, sizeof p, "%s.partial-%ld", j->out, (long)getpid());
    mkdir(p, 0700);
    sleep(20);
    return 0;
}

/* Partial folders of "guarded" left in the test's folder. */
static int partials(void)
{
    DIR *d = opendir(root_dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)) != NULL)
        n += strncmp(de->d_name, "guarded.partial-", 16) == 0;
    if (d)
        closedir(d);
    return n;
}

static void guard(void)
{
    guard_job j = {"", 0};
    path_of(j.out, sizeof j.out, "guarded");
    check("the guard returns what the work returns", cli_guard(j.out, half_built, &j) == 3);
    j.die = SIGKILL;
    check("a killed build is said as minus its signal",
          cli_guard(j.out, half_built, &j) == -SIGKILL);
    /* Only the returning child's folder may remain: that one the work itself owns. */
    check("the killed build's partial folder is gone, the other kept", partials() == 1);
    /* A stop sent to the guard itself reaches the child, and the guard then stops the same way. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* The work waits to be stopped: the test sends SIGTERM to the guard, not to the work. */
        guard_job k = {"", 0};
        path_of(k.out, sizeof k.out, "guarded");
        _exit(cli_guard(k.out, slow_built, &k) & 0x7f);
    }
    usleep(300 * 1000);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    check("a stopped guard stops the same way", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    check("and leaves no partial folder of the stopped work", partials() == 1);
}

int main(void)
{
    /* Folders here are set up just before the fixed signing time below. */
    setenv(IKR_CLOCK_ENV, "1731999000", 1);
    if (!mkdtemp(root_dir)) {
        perror("mkdtemp");
        return 1;
    }
    lines();
    round_trip();
    guard();
    sh("rm -rf '%s'", root_dir);
    ikr_ticket_release_caches();
    return check_report();
}
