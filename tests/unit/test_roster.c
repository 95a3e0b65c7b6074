/*
 * test_roster: rosters as spreadsheets save them.  Header names in either
 * language, any order and spelling; NIPs repaired ("=...", groups) or
 * refused (scientific notation) with their line; the dialects (BOM, ';',
 * CRLF, quotes with separators and quotes inside, a bare ="..." cell);
 * every row through the kiosk's rules; a NIP twice; importing all or
 * nothing, and again replacing; the lookup; the counts per unit against
 * signed records, by NIP and, for NON-ASN, by name and unit; a database
 * from before rosters upgraded; and the ink purge leaving the audit whole.
 */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/audit.h"
#include "ikrar/file.h"
#include "ikrar/roster.h"
#include "ikrar/station.h"

static char root_dir[] = "/tmp/ikrar-roster-XXXXXX";
static const uint64_t NOW = 1727690000; /* 2024-09-30 */

/* What a parse saw: rows and issues, joined as text for comparison. */
typedef struct seen {
    char rows[4096];
    char issues[4096];
} seen;

static int on_row(void *ctx, const ikr_roster_entry *r, ikr_err *e)
{
    (void)e;
    seen *s = ctx;
    size_t k = strlen(s->rows);
    snprintf(s->rows + k, sizeof s->rows - k, "%llu:%s|%s|%s|%s|%s/", (unsigned long long)r->line,
             r->who.nip, r->who.name, r->who.pos, r->who.unit, ikr_status_name(r->who.status));
    return 0;
}

static void on_issue(void *ctx, const ikr_roster_issue *i)
{
    seen *s = ctx;
    size_t k = strlen(s->issues);
    snprintf(s->issues + k, sizeof s->issues - k, "%llu:%d:%d:%llu:%s/",
             (unsigned long long)i->line, i->code, i->fixed, (unsigned long long)i->first,
             i->code ? i->was : i->nip);
}

static int parse(const char *csv, seen *s, ikr_roster_count *c, ikr_err *e)
{
    ikr_roster_sink k = {on_row, on_issue, s};
    memset(s, 0, sizeof *s);
    ikr_err_clear(e);
    return ikr_roster_parse((const uint8_t *)csv, strlen(csv), NOW, &k, c, e);
}

static int has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

static void test_headers(void)
{
    seen s;
    ikr_roster_count c;
    ikr_err e;
    check("Indonesian headers",
          parse("NIP,Nama,Jabatan,Unit Kerja,Status\n198503302010012003,Siti,Guru,Dinas,PNS\n", &s,
                &c, &e) == 0 &&
              strcmp(s.rows, "2:198503302010012003|Siti|Guru|Dinas|PNS/") == 0);
    check("English headers in another order, any case and punctuation, extra columns ignored",
          parse("No.,STATUS,Full name,Work-Unit,position,Employment Status?,nip\n"
                "1,PPPK,Agus,Dinkes,Perawat,x,199001012022011001\n",
                &s, &c, &e) == 0 &&
              strcmp(s.rows, "2:199001012022011001|Agus|Perawat|Dinkes|PPPK/") == 0);
    check("Nama Lengkap, Satuan Kerja, Jenis Pegawai; no Jabatan column",
          parse("Nama Lengkap;Satuan Kerja;Jenis Pegawai;N I P\nRina;Setda;Non ASN;\n", &s, &c,
                &e) == 0 &&
              strcmp(s.rows, "2:|Rina||Setda|NON-ASN/") == 0);
    check("a missing column is named",
          parse("NIP,Nama,Jabatan,Status\n1,2,3,4\n", &s, &c, &e) == IKR_E_ROSTER_COLUMN &&
              has(e.detail, "Unit Kerja"));
    check("a missing NIP column is named",
          parse("Nama,Unit,Status\nA,B,PNS\n", &s, &c, &e) == IKR_E_ROSTER_COLUMN &&
              has(e.detail, "NIP"));
    check("an empty file has no header", parse("", &s, &c, &e) == IKR_E_ROSTER_EMPTY);
    check("blank lines before the header and between rows are skipped",
          parse("\n ,\nNIP,Nama,Unit,Status\n\n,Rina,X,NON-ASN\n", &s, &c, &e) == 0 &&
              strcmp(s.rows, "5:|Rina||X|NON-ASN/") == 0 && c.valid == 1);
}

static void test_nips(void)
{
    seen s;
    ikr_roster_count c;
    ikr_err e;
    char buf[600];
    check("=\"...\" (as a spreadsheet quotes it) is repaired and reported with its line",
          parse("NIP,Nama,Unit,Status\n\"=\"\"198503302010012003\"\"\",Siti,U,PNS\n", &s, &c, &e) ==
                  0 &&
              strcmp(s.rows, "2:198503302010012003|Siti||U|PNS/") == 0 && c.repaired == 1 &&
              strcmp(s.issues, "2:0:1:0:198503302010012003/") == 0);
    check("a bare =\"...\" cell, as scripts write for Excel, is repaired too",
          parse("NIP;Nama;Unit;Status\r\n=\"198503302010012003\";Siti;U;PNS\r\n", &s, &c, &e) ==
                  0 &&
              strcmp(s.rows, "2:198503302010012003|Siti||U|PNS/") == 0 && c.repaired == 1);
    check("a bare =\"...\" cell at the end of a row, and with a BOM before the header",
          parse("\xEF\xBB\xBFNama,Unit,Status,NIP\nSiti,U,PNS,=\"198503302010012003\"\n", &s, &c,
                &e) == 0 &&
              strcmp(s.rows, "2:198503302010012003|Siti||U|PNS/") == 0);
    /* A stray byte is no UTF-8: the whole file is refused at its line (test_encodings). */
    check("18 digits and a stray UTF-8 continuation byte are not a NIP",
          parse("NIP,Nama,Unit,Status\n199001012022011001\xbb,A,U,PPPK\n", &s, &c, &e) ==
                  IKR_E_ROSTER_ENCODING &&
              e.seq == 2 && c.valid == 0);
    check("18 digits and a whole non-ASCII character are not a NIP either",
          parse("NIP,Nama,Unit,Status\n199001012022011001\xc2\xbb,A,U,PPPK\n", &s, &c, &e) == 0 &&
              c.valid == 0 && c.invalid == 1 && atoi(s.issues + 2) == IKR_E_NIP_DIGITS);
    check("=\"\" on a NON-ASN row is no NIP, and no repair to report",
          parse("NIP,Nama,Unit,Status\n\"=\"\"\"\"\",Rina,U,NON-ASN\n", &s, &c, &e) == 0 &&
              c.valid == 1 && c.repaired == 0 && s.issues[0] == '\0');
    check(
        "a NIP grouped as on ID cards, with spaces or dots",
        parse(
            "NIP,Nama,Unit,Status\n19850330 201001 2 003,A,U,PNS\n19900101.202201.1.001,B,U,PPPK\n",
            &s, &c, &e) == 0 &&
            c.valid == 2 && c.repaired == 2 &&
            strcmp(s.issues, "2:0:2:0:198503302010012003/3:0:2:0:199001012022011001/") == 0);
    snprintf(buf, sizeof buf,
             "NIP,Nama,Unit,Status\n1.97101E+17,A,U,PNS\n\"1,98503E+17\",B,U,PNS\n2E17,C,U,PNS\n");
    check("scientific notation is refused, never guessed",
          parse(buf, &s, &c, &e) == 0 && c.valid == 0 && c.invalid == 3 && has(s.issues, "2:") &&
              has(s.issues, ":1.97101E+17/") && has(s.issues, ":1,98503E+17/"));
    check("...with the code that tells them to format the column as Text",
          strncmp(s.issues, "2:", 2) == 0 && atoi(s.issues + 2) == IKR_E_ROSTER_NIP_SCI);
    ikr_err m;
    ikr_err_clear(&m);
    ikr_err_set(&m, IKR_E_ROSTER_NIP_SCI, "1.97101E+17");
    check("the message says Text and export again, in both languages",
          has(ikr_err_format(&m, IKR_LANG_ID, buf, sizeof buf), "Teks") &&
              has(ikr_err_format(&m, IKR_LANG_EN, buf, sizeof buf), "as Text"));
    check("a duplicate NIP is invalid on its second line, naming the first",
          parse("NIP,Nama,Unit,Status\n198503302010012003,A,U,PNS\n199001012022011001,B,U,PPPK\n"
                "19850330 201001 2 003,C,U,PNS\n",
                &s, &c, &e) == 0 &&
              c.valid == 2 && c.invalid == 1 && has(s.issues, "4:") && has(s.rows, "|A|") &&
              !has(s.rows, "|C|"));
    snprintf(buf, sizeof buf, "4:%d:2:2:", IKR_E_ROSTER_DUP);
    check("...with the line it was first on", has(s.issues, buf));
    check("the kiosk's rules: NIP rules, status, NON-ASN without NIP, empty name",
          parse("NIP,Nama,Unit,Status\n198503302010013003,Gender,U,PNS\n,NoNip,U,PNS\n"
                "198503302010012003,Contract,U,NON-ASN\n198503302010012003,Bad,U,HONORER\n"
                "198503302010012003,,U,PNS\n-,Dash,U,NON-ASN\n",
                &s, &c, &e) == 0 &&
              c.valid == 1 && c.invalid == 5 && strcmp(s.rows, "7:|Dash||U|NON-ASN/") == 0);
    snprintf(buf, sizeof buf, "2:%d:", IKR_E_NIP_GENDER);
    check("...each with its code and line", has(s.issues, buf));
    snprintf(buf, sizeof buf, "3:%d:", IKR_E_NIP_REQUIRED);
    check("...NIP required", has(s.issues, buf));
    snprintf(buf, sizeof buf, "4:%d:", IKR_E_NIP_FORBIDDEN);
    check("...NON-ASN has no NIP", has(s.issues, buf));
    snprintf(buf, sizeof buf, "5:%d:", IKR_E_STATUS);
    check("...unknown status", has(s.issues, buf));
    snprintf(buf, sizeof buf, "6:%d:", IKR_E_NAME_EMPTY);
    check("...empty name", has(s.issues, buf));
}

static void test_dialects(void)
{
    seen s;
    ikr_roster_count c;
    ikr_err e;
    check("semicolons guessed, CRLF, BOM, quotes with separators and quotes inside",
          parse("\xEF\xBB\xBFNIP;Nama;Jabatan;Unit Kerja;Status\r\n"
                "198503302010012003;\"Siti Rahmawati; S.Pd.\";\"Guru \"\"Ahli\"\", "
                "Pertama\";Dinas;PNS\r\n",
                &s, &c, &e) == 0 &&
              strcmp(
                  s.rows,
                  "2:198503302010012003|Siti Rahmawati; S.Pd.|Guru \"Ahli\", Pertama|Dinas|PNS/") ==
                  0);
    check("commas with a quoted comma, LF, no final line end",
          parse("NIP,Nama,Unit,Status\n198503302010012003,\"Budi, S.H.\",\"Dinas, Kab.\",pns", &s,
                &c, &e) == 0 &&
              strcmp(s.rows, "2:198503302010012003|Budi, S.H.||Dinas, Kab.|PNS/") == 0);
    check("a line end inside quotes keeps the next row's line number right",
          parse("NIP,Nama,Unit,Status\n,\"two\nlines\",U,NON-ASN\n,X,U,NON-ASN\n", &s, &c, &e) ==
                  0 &&
              strcmp(s.rows, "2:|two lines||U|NON-ASN/4:|X||U|NON-ASN/") == 0);
    check("a damaged file is refused whole with its line",
          parse("NIP,Nama,Unit,Status\n,\"open,U,NON-ASN\n", &s, &c, &e) == IKR_E_CSV &&
              e.seq == 2);
    char *big = malloc(3000);
    if (big) {
        int k = snprintf(big, 3000, "NIP,Nama,Unit,Status\n,");
        memset(big + k, 'a', 2000);
        snprintf(big + k + 2000, 100, ",U,NON-ASN\n,Ok,U,NON-ASN\n");
        check("a 2000-character name is one refused row, not a refused file",
              parse(big, &s, &c, &e) == 0 && c.valid == 1 && c.invalid == 1 &&
                  atoi(strchr(s.issues, ':') + 1) == IKR_E_NAME_LONG);
        free(big);
    }
}

static int parse_n(const char *p, size_t n, seen *s, ikr_roster_count *c, ikr_err *e)
{
    ikr_roster_sink k = {on_row, on_issue, s};
    memset(s, 0, sizeof *s);
    ikr_err_clear(e);
    return ikr_roster_parse((const uint8_t *)p, n, NOW, &k, c, e);
}

/* s as UTF-16 (little or big endian) with its byte order mark, into out; returns the bytes. */
static size_t utf16(const char *s, int be, char *out, size_t cap)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    out[o++] = be ? '\xFE' : '\xFF';
    out[o++] = be ? '\xFF' : '\xFE';
    while (*p && o + 4 <= cap) {
        uint32_t u = *p++;
        if (u >= 0xF0) {
            u = (u & 7) << 18 | (uint32_t)(p[0] & 0x3F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
                (p[2] & 0x3F);
            p += 3;
        } else if (u >= 0xE0) {
            u = (u & 15) << 12 | (uint32_t)(p[0] & 0x3F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if (u >= 0xC0) {
            u = (u & 31) << 6 | (p[0] & 0x3F);
            p++;
        }
        uint32_t units[2] = {u, 0};
        int nu = 1;
        if (u >= 0x10000) {
            units[0] = 0xD800 + ((u - 0x10000) >> 10);
            units[1] = 0xDC00 + ((u - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int i = 0; i < nu; i++) {
            out[o++] = (char)(be ? units[i] >> 8 : units[i] & 0xFF);
            out[o++] = (char)(be ? units[i] & 0xFF : units[i] >> 8);
        }
    }
    return o;
}

/*
 * What spreadsheets save besides "CSV UTF-8": Excel's "Unicode text"
 * (UTF-16 with a BOM, tabs) is read as it is; Windows-1252, a workbook
 * picked instead of its CSV and UTF-16 without its mark are refused whole,
 * at their line.  And a title row above the header, with a trailing
 * empty column and blank rows at the end, as LibreOffice writes them.
 */
static void test_encodings(void)
{
    seen s;
    ikr_roster_count c;
    ikr_err e;
    char b[1024];
    const char *tsv =
        "NIP\tNama\tJabatan\tUnit Kerja\tStatus\r\n"
        "198503302010012003\tSiti M\xC3\xBCller\tGuru\tDinas \xF0\x9F\x8F\xAB\tPNS\r\n"
        "199001012022011001\tNur\xE2\x80\x99"
        "aini\t\tDinas, Kab.\tPPPK\r\n";
    const char *want = "2:198503302010012003|Siti M\xC3\xBCller|Guru|Dinas \xF0\x9F\x8F\xAB|PNS/"
                       "3:199001012022011001|Nur\xE2\x80\x99"
                       "aini||Dinas, Kab.|PPPK/";
    size_t n = utf16(tsv, 0, b, sizeof b);
    check("Excel's Unicode text: UTF-16 LE with a BOM, tab separated, read exactly",
          parse_n(b, n, &s, &c, &e) == 0 && strcmp(s.rows, want) == 0 && c.header_line == 1);
    n = utf16(tsv, 1, b, sizeof b);
    check("UTF-16 BE with a BOM too", parse_n(b, n, &s, &c, &e) == 0 && strcmp(s.rows, want) == 0);
    n = utf16("NIP\tNama\tUnit\tStatus\r\n\tA\tU\tNON-ASN\r\n\tB\xF0\x9F\x8F\xAB\tU\tNON-ASN\r\n",
              0, b, sizeof b);
    for (size_t i = 2; i + 1 < n; i += 2)
        if ((unsigned char)b[i + 1] >= 0xDC && (unsigned char)b[i + 1] <= 0xDF)
            b[i + 1] = 0; /* the pair's low half on line 3 becomes a plain letter: its high half is
                             alone */
    check("a lone UTF-16 surrogate is refused with its line",
          parse_n(b, n, &s, &c, &e) == IKR_E_ROSTER_ENCODING && e.seq == 3);
    n = utf16("NIP,Nama,Unit,Status\n,A,U,NON-ASN\n", 0, b, sizeof b);
    check("UTF-16 without its BOM is refused, not read as a NUL in line 1",
          parse_n(b + 2, n - 2, &s, &c, &e) == IKR_E_ROSTER_ENCODING && e.seq == 1);
    check("Windows-1252 (M\\xfcller, Nur\\x92aini) is refused whole with the first line and byte",
          parse("NIP;Nama;Unit Kerja;Status\r\n,Budi,U,NON-ASN\r\n;M\xfcller;U;NON-ASN\r\n;Nur\x92"
                "aini;U;NON-ASN\r\n",
                &s, &c, &e) == IKR_E_ROSTER_ENCODING &&
              e.seq == 3 && strcmp(e.detail, "0xFC") == 0 && c.valid == 0 && s.rows[0] == '\0');
    check("an overlong UTF-8 form is no UTF-8",
          parse("NIP,Nama,Unit,Status\n,A\xC0\xAF,U,NON-ASN\n", &s, &c, &e) ==
                  IKR_E_ROSTER_ENCODING &&
              e.seq == 2);
    check("a workbook (.xlsx is a zip) picked instead of its CSV",
          parse_n("PK\x03\x04\x14\0\0\0", 8, &s, &c, &e) == IKR_E_ROSTER_ENCODING && e.seq == 1 &&
              has(e.detail, ".xlsx"));
    check("a title and a blank row above the header, a trailing empty column, blank rows after",
          parse("Daftar Pegawai Dinas Pendidikan;;;;;\r\n;;;;;\r\nNIP;Nama;Jabatan;Unit "
                "Kerja;Status;\r\n"
                "198503302010012003;Siti;Guru;Dinas;PNS;\r\n;Rina;;Dinas;NON-ASN;\r\n;;;;;\r\n;;;;;"
                "\r\n\r\n",
                &s, &c, &e) == 0 &&
              strcmp(s.rows, "4:198503302010012003|Siti|Guru|Dinas|PNS/5:|Rina||Dinas|NON-ASN/") ==
                  0 &&
              c.header_line == 3 && c.invalid == 0);
    check("a title naming one column (\"Unit\") is still a title",
          parse("Unit,,,\nNIP,Nama,Unit,Status\n,Rina,U,NON-ASN\n", &s, &c, &e) == 0 &&
              c.valid == 1 && c.header_line == 2);
    check("only title rows: the missing column is named",
          parse("Daftar Pegawai\nTahun 2024\n", &s, &c, &e) == IKR_E_ROSTER_COLUMN &&
              has(e.detail, "NIP"));
    check("a header far below ten title rows is not looked for",
          parse("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nNIP,Nama,Unit,Status\n,R,U,NON-ASN\n", &s, &c, &e) ==
              IKR_E_ROSTER_COLUMN);
    check("only a header row: empty, with the header's line",
          parse("NIP;Nama;Unit;Status\r\n", &s, &c, &e) == 0 && c.valid == 0 && c.header_line == 1);
}

static int make_folder(const char *dir)
{
    ikr_buf vk;
    ikr_err e;
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
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
    int rc = ikr_station_create(dir, &cfg, &vk, &e);
    ikr_buf_free(&vk);
    return rc;
}

static int sign(ikr_station *s, const char *name, int status, const char *nip, const char *unit)
{
    ikr_ink ink;
    ikr_signed out;
    ikr_err e;
    static const char json[] = "{\"w\":600,\"h\":300,\"s\":[[100,150,0,140,120,20,180,160,40]]}";
    ikr_ink_init(&ink);
    ikr_err_clear(&e);
    ikr_form f = {name, status, nip, "", unit};
    int rc = ikr_ink_parse_json(&ink, json, sizeof json - 1);
    if (!rc)
        rc = ikr_station_sign(s, &f, &ink, (uint64_t)time(NULL), &out, &e);
    if (!rc)
        ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    return rc;
}

static int import(ikr_log *l, const char *csv, int skip, ikr_roster_count *c, ikr_err *e)
{
    ikr_err_clear(e);
    return ikr_roster_import(l, (const uint8_t *)csv, strlen(csv), NOW, skip, NULL, NULL, c, e);
}

static int collect_missing(void *ctx, const ikr_roster_entry *r)
{
    char *out = ctx;
    size_t k = strlen(out);
    snprintf(out + k, 512 - k, "%s/", r->who.name);
    return 0;
}

static void test_store(void)
{
    char dir[600], db[700];
    ikr_err e;
    ikr_roster_count c;
    ikr_roster_entry en;
    ikr_roster_unit u[4];
    ikr_roster_totals t;
    ikr_station *s = NULL;
    snprintf(dir, sizeof dir, "%s/store", root_dir);
    snprintf(db, sizeof db, "%s/ikrar.db", dir);
    ikr_err_clear(&e);
    check("folder made", make_folder(dir) == 0);
    check("folder opened", ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e) == 0);
    if (!s)
        return;
    ikr_log *l = ikr_station_log(s); /* the core's roster functions, on the log itself */

    check("stats with no roster: expected unknown", ikr_roster_stats(l, u, 4, &t, &e) == 0 &&
                                                        !t.has_roster && t.records == 0 &&
                                                        t.nunits == 0);
    check("missing with no roster says so",
          ikr_roster_missing(l, collect_missing, NULL, &e) == IKR_E_ROSTER_NONE);
    check("no roster: nobody is found", ikr_roster_find(l, "198503302010012003", &en, &e) == 1);
    {
        ikr_roster_hit h0[2];
        size_t n0 = 9;
        int m0 = 9;
        check("no roster: a search finds nobody",
              ikr_roster_search(l, "1985", h0, 2, &n0, &m0, &e) == 0 && n0 == 0 && !m0);
    }

    const char *roster = "NIP;Nama;Jabatan;Unit Kerja;Status\r\n"
                         "198503302010012003;Siti Rahmawati;Guru;Dinas Pendidikan;PNS\r\n"
                         "199001012022011001;Agus Salim;;Dinas Pendidikan;PPPK\r\n"
                         ";Rina;;Dinas Pendidikan;NON-ASN\r\n"
                         "198001012005011002;Budi;;Dinas Kesehatan;PNS\r\n";
    const char *bad = "NIP;Nama;Jabatan;Unit Kerja;Status\r\n"
                      "198503302010012003;Siti;Guru;Dinas Pendidikan;PNS\r\n"
                      "1.98503E+17;Agus;;Dinas Pendidikan;PPPK\r\n";
    check("a file with an invalid row imports nothing",
          import(l, bad, 0, &c, &e) == IKR_E_ROSTER_INVALID && e.seq == 1 && c.valid == 1);
    check("...and there is still no roster",
          ikr_roster_find(l, "198503302010012003", &en, &e) == 1);
    check("the roster imports", import(l, roster, 0, &c, &e) == 0 && c.valid == 4);
    check("lookup by NIP", ikr_roster_find(l, "198503302010012003", &en, &e) == 0 &&
                               strcmp(en.who.name, "Siti Rahmawati") == 0 &&
                               en.who.status == IKR_STATUS_PNS &&
                               strcmp(en.who.unit, "Dinas Pendidikan") == 0 && en.line == 2);
    check("lookup with the NIP grouped as printed",
          ikr_roster_find(l, "19900101 202201 1 001", &en, &e) == 0 &&
              strcmp(en.who.name, "Agus Salim") == 0);
    check("lookup of a NIP not on the roster",
          ikr_roster_find(l, "197101011990031001", &en, &e) == 1);
    check("lookup of nonsense",
          ikr_roster_find(l, "x", &en, &e) == 1 && ikr_roster_find(l, NULL, &en, &e) == 1);

    check("signed: Siti by NIP", sign(s, "Siti Rahmawati, S.Pd.", IKR_STATUS_PNS,
                                      "198503302010012003", "Dinas Pendidikan") == 0);
    check("signed: Rina, NON-ASN, other case",
          sign(s, "RINA", IKR_STATUS_NON_ASN, "", "dinas pendidikan") == 0);
    check("signed: someone not on the roster",
          sign(s, "Tamu", IKR_STATUS_NON_ASN, "", "Dinas Pendidikan") == 0);
    check("signed: a NON-ASN of the same name in another unit does not count",
          sign(s, "Rina", IKR_STATUS_NON_ASN, "", "Setda") == 0);
    check("stats", ikr_roster_stats(l, u, 4, &t, &e) == 0);
    check("totals: 4 expected, 2 signed, 2 not on the roster, 4 records",
          t.has_roster && t.expected == 4 && t.signed_listed == 2 && t.unlisted == 2 &&
              t.records == 4);
    check("per unit, in unit order", t.nunits == 2 && t.units_total == 2 &&
                                         strcmp(u[0].unit, "Dinas Kesehatan") == 0 &&
                                         u[0].expected == 1 && u[0].signed_n == 0 &&
                                         strcmp(u[1].unit, "Dinas Pendidikan") == 0 &&
                                         u[1].expected == 3 && u[1].signed_n == 2);
    check("units bounded by max, counted all the same", ikr_roster_stats(l, u, 1, &t, &e) == 0 &&
                                                            t.nunits == 1 && t.units_total == 2 &&
                                                            t.expected == 4);
    /*
     * Two spreadsheets' worth of one unit, typed in three cases: a signer
     * already matches across them, so the counts are one unit's too.
     */
    ikr_log *l2 = NULL;
    char p2[1200];
    snprintf(p2, sizeof p2, "%s/cases.db", root_dir);
    check("a log for the cases",
          ikr_log_create(&l2, p2, &e) == 0 &&
              import(l2,
                     "NIP;Nama;Unit Kerja;Status\n;A;Dinas Pendidikan;NON-ASN\n"
                     ";B;DINAS PENDIDIKAN;NON-ASN\n;C;Dinas Pendidikan;NON-ASN\n"
                     ";D;Dinas Kesehatan;NON-ASN\n;E;dinas pendidikan ;NON-ASN\n",
                     0, &c, &e) == 0 &&
              c.valid == 5);
    check("units differing only by case or a trailing space are one, spelt as most wrote it",
          ikr_roster_stats(l2, u, 4, &t, &e) == 0 && t.nunits == 2 && t.units_total == 2 &&
              strcmp(u[0].unit, "Dinas Kesehatan") == 0 && u[0].expected == 1 &&
              strcmp(u[1].unit, "Dinas Pendidikan") == 0 && u[1].expected == 4 && t.expected == 5);
    ikr_log_close(l2);
    char miss[512] = "";
    check("who has not signed, by unit then name",
          ikr_roster_missing(l, collect_missing, miss, &e) == 0 &&
              strcmp(miss, "Budi/Agus Salim/") == 0);

    /* The kiosk's "find me": the first digits of a NIP, or the start of a word of the name. */
    ikr_roster_hit hit[3];
    size_t nh = 9;
    int more = 9;
    check("search by the birth year finds both born in 19xx with it",
          ikr_roster_search(l, "1985", hit, 3, &nh, &more, &e) == 0 && nh == 1 && !more &&
              strcmp(hit[0].r.who.name, "Siti Rahmawati") == 0 && hit[0].signd &&
              hit[0].r.who.status == IKR_STATUS_PNS);
    check("search by a NIP prefix with the printed grouping",
          ikr_roster_search(l, "19900101 2022", hit, 3, &nh, &more, &e) == 0 && nh == 1 &&
              strcmp(hit[0].r.who.nip, "199001012022011001") == 0 && !hit[0].signd);
    check("one digit finds every NIP starting with it, bounded with more said",
          ikr_roster_search(l, "1", hit, 2, &nh, &more, &e) == 0 && nh == 2 && more);
    check("a whole NIP finds its one entry",
          ikr_roster_search(l, "198001012005011002", hit, 3, &nh, &more, &e) == 0 && nh == 1 &&
              strcmp(hit[0].r.who.name, "Budi") == 0);
    check("search by the start of a word of the name, any case",
          ikr_roster_search(l, "sal", hit, 3, &nh, &more, &e) == 0 && nh == 1 &&
              strcmp(hit[0].r.who.name, "Agus Salim") == 0);
    check("the middle of a word is not a match",
          ikr_roster_search(l, "alim", hit, 3, &nh, &more, &e) == 0 && nh == 0);
    check("NON-ASN entries are found by name, with their signing seen",
          ikr_roster_search(l, "RI", hit, 3, &nh, &more, &e) == 0 && nh == 1 &&
              strcmp(hit[0].r.who.name, "Rina") == 0 && hit[0].signd && !hit[0].r.who.nip[0]);
    check("one letter, an empty query, too many digits and SQL find nothing",
          ikr_roster_search(l, "s", hit, 3, &nh, &more, &e) == 0 && nh == 0 &&
              ikr_roster_search(l, "", hit, 3, &nh, &more, &e) == 0 && nh == 0 &&
              ikr_roster_search(l, "1985033020100120031", hit, 3, &nh, &more, &e) == 0 && nh == 0 &&
              ikr_roster_search(l, "%' OR 1=1 --", hit, 3, &nh, &more, &e) == 0 && nh == 0);

    const char *again = "Name,NIP,Work unit,Status\n"
                        "Budi,198001012005011002,Dinas Kesehatan,PNS\n"
                        "Dewi,,Setda,NON-ASN\n"
                        "Kartini,198504212010012001,Setda,PNS\n"
                        "Kartini dua,198504212010012001,Setda,PNS\n";
    check("re-import with an invalid row changes nothing",
          import(l, again, 0, &c, &e) == IKR_E_ROSTER_INVALID &&
              ikr_roster_find(l, "198503302010012003", &en, &e) == 0);
    check("re-import skipping the invalid row replaces the roster",
          import(l, again, 1, &c, &e) == 0 && c.valid == 3 && c.invalid == 1);
    check("...the old entries are gone", ikr_roster_find(l, "198503302010012003", &en, &e) == 1);
    check("...the new ones are there",
          ikr_roster_find(l, "198504212010012001", &en, &e) == 0 && en.line == 4);
    check("...and the records are untouched", ikr_roster_stats(l, u, 4, &t, &e) == 0 &&
                                                  t.records == 4 && t.expected == 3 &&
                                                  t.signed_listed == 0 && t.unlisted == 4);
    check("a file of only invalid rows never empties the roster",
          import(l, "NIP,Nama,Unit,Status\n1,A,U,PNS\n", 1, &c, &e) == IKR_E_ROSTER_EMPTY &&
              ikr_roster_find(l, "198504212010012001", &en, &e) == 0);

    /* The ink purge: the ink leaves, the audit and the records stay. */
    uint64_t n = 0;
    ikr_audit_report rep;
    check("four inks before", ikr_log_ink_count(l, &n, &e) == 0 && n == 4);
    check("purge", ikr_log_purge_ink(l, &n, &e) == 0 && n == 4);
    check("no ink after", ikr_log_ink_count(l, &n, &e) == 0 && n == 0);
    check("a record signed after the purge keeps its ink",
          sign(s, "Setelah", IKR_STATUS_NON_ASN, "", "X") == 0 &&
              ikr_log_ink_count(l, &n, &e) == 0 && n == 1);
    ikr_station_close(s);
    s = NULL;
    ikr_err_clear(&e);
    check("the audit passes with purged ink",
          ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == 0 &&
              ikr_audit_station(s, 1, &rep, &e) == 0 && rep.records == 5 && rep.inks == 1);
    ikr_station_close(s);
}

/* A folder from before rosters (schema 1) opens, upgrades and keeps its records. */
static void test_upgrade(void)
{
    char dir[600], db[700];
    ikr_err e;
    ikr_station *s = NULL;
    ikr_roster_count c;
    sqlite3 *h = NULL;
    snprintf(dir, sizeof dir, "%s/old", root_dir);
    snprintf(db, sizeof db, "%s/ikrar.db", dir);
    ikr_err_clear(&e);
    check("folder made", make_folder(dir) == 0);
    if (ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e) == 0) {
        check("signed before the downgrade", sign(s, "Lama", IKR_STATUS_NON_ASN, "", "U") == 0);
        ikr_station_close(s);
        s = NULL;
    }
    /* Schema 1 is exactly schema 2 without the roster table and its indexes. */
    check("made a schema 1 database",
          sqlite3_open(db, &h) == SQLITE_OK &&
              sqlite3_exec(h, "DROP TABLE roster; PRAGMA user_version = 1;", NULL, NULL, NULL) ==
                  SQLITE_OK);
    sqlite3_close(h);
    ikr_audit_report rep;
    ikr_roster_entry en;
    /* An auditor's copy of an old folder is audited as it is, not changed. */
    check("a schema 1 folder opens read-only",
          ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == 0);
    if (s) {
        check("...and audits", ikr_audit_station(s, 1, &rep, &e) == 0 && rep.records == 1);
        check("...with no roster to find",
              ikr_station_roster_find(s, "198503302010012003", &en, &e) == IKR_E_ROSTER_NONE);
        ikr_roster_unit ou[2];
        ikr_roster_totals ot;
        ikr_err_clear(&e);
        check("...and counts as a log with no roster",
              ikr_station_roster_stats(s, ou, 2, &ot, &e) == 0 && !ot.has_roster &&
                  ot.records == 1 && ot.nunits == 1 && ou[0].signed_n == 1 &&
                  strcmp(ou[0].unit, "U") == 0);
        ikr_station_close(s);
        s = NULL;
    }
    check("...and stays at version 1",
          sqlite3_open(db, &h) == SQLITE_OK &&
              sqlite3_exec(h, "SELECT count(*) FROM roster", NULL, NULL, NULL) != SQLITE_OK);
    sqlite3_close(h);
    ikr_err_clear(&e);
    check("it opens read-write and upgrades",
          ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e) == 0);
    if (!s)
        return;
    check("a roster imports into it",
          import(ikr_station_log(s), "NIP,Nama,Unit,Status\n,Lama,U,NON-ASN\n", 0, &c, &e) == 0 &&
              c.valid == 1);
    ikr_roster_unit u[2];
    ikr_roster_totals t;
    check("and its old record counts",
          ikr_station_roster_stats(s, u, 2, &t, &e) == 0 && t.records == 1 && t.signed_listed == 1);
    ikr_station_close(s);
    s = NULL;
    check("the audit passes after the upgrade",
          ikr_station_open(&s, dir, IKR_OPEN_VERIFY, NULL, &e) == 0 &&
              ikr_audit_station(s, 1, &rep, &e) == 0 && rep.records == 1);
    ikr_station_close(s);
    check("user_version is now 2", sqlite3_open(db, &h) == SQLITE_OK);
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    check("...", v == IKR_LOG_SCHEMA && v == 2);
}

int main(void)
{
    if (!mkdtemp(root_dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_headers();
    test_nips();
    test_dialects();
    test_encodings();
    test_store();
    test_upgrade();
    ikr_file_remove_tree(root_dir);
    return check_report();
}
