/*
 * test_roster_pdf: the printable roster.  A roster of two kiosks and three
 * units (one without expected counts, one without a name, one with a long
 * name in accented letters) is drawn, read back with pdftotext (page count,
 * names, NIPs, headings, the purged signature's words, the summary's total)
 * and rendered with pdftoppm to see ink where a signature was drawn.  Rows
 * out of the declared order or number are refused and leave no file; a full
 * disk (a file size limit here) leaves none either.  Then 10,000 rows are
 * timed: records/s and the file's size are printed, never asserted.
 *
 * IKRAR_ROSTER_KEEP=DIR keeps the sample PDF as DIR/roster.pdf to look at.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/roster_pdf.h"
#include "ikrar/ticket.h"
#include "ikrar/zone.h"

#define T_2024 1727690000 /* 30 September 2024, 09:53:20 UTC: 17:53 WITA */

/* A signature like a kiosk's: 3 strokes, 300 points, on a 400 x 200 canvas. */
static void make_ink(ikr_ink *ink, uint32_t *xyt, size_t *ends)
{
    size_t n = 0;
    uint32_t t = 0;
    for (int s = 0; s < 3; s++) {
        for (int i = 0; i < 100; i++, n++, t += 8) {
            double u = i / 99.0, x, y;
            if (s == 0) { /* a looping name */
                x = 30 + 300 * u + 25 * sin(u * 40);
                y = 100 - 50 * sin(u * 13) * (1 - u * 0.5) + 20 * cos(u * 40);
            } else if (s == 1) { /* a tall stroke */
                x = 120 + 20 * u;
                y = 30 + 140 * u;
            } else { /* and the flourish under it */
                x = 40 + 330 * u;
                y = 165 + 12 * sin(u * 6);
            }
            xyt[3 * n] = (uint32_t)x;
            xyt[3 * n + 1] = (uint32_t)y;
            xyt[3 * n + 2] = t;
        }
        ends[s] = n;
    }
    ikr_ink_init(ink);
    ink->w = 400;
    ink->h = 200;
    ink->nstrokes = 3;
    ink->npoints = n;
    ink->xyt = xyt;
    ink->stroke_end = ends;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    size_t k;
    while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(b, 2 * cap + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        if (len)
            *len = n;
    }
    return b;
}

/* The PDF's text in drawing order, every run of white space one space. */
static char *pdf_text(const char *pdf, const char *dir)
{
    char cmd[1200], txt[300];
    snprintf(txt, sizeof txt, "%s/text.txt", dir);
    snprintf(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 '%s' '%s'", pdf, txt);
    if (system(cmd) != 0)
        return NULL;
    char *s = slurp(txt, NULL);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        int ws = s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == '\f';
        if (ws && o > 0 && s[o - 1] == ' ')
            continue;
        s[o++] = ws ? ' ' : s[i];
    }
    s[o] = 0;
    remove(txt);
    return s;
}

static long pdf_pages(const char *pdf)
{
    char cmd[1200], line[256];
    long n = -1;
    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", pdf);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Pages:", 6) == 0)
            n = strtol(line + 6, NULL, 10);
    pclose(f);
    return n;
}

/* A binary PGM (P5, 8 bits) read whole: its pixels and size. */
typedef struct pgm {
    int w, h;
    unsigned char *px;
    char *raw;
} pgm;

static int pgm_load(pgm *g, const char *path)
{
    size_t n;
    int off = 0, maxv = 0;
    memset(g, 0, sizeof *g);
    g->raw = slurp(path, &n);
    if (!g->raw || sscanf(g->raw, "P5 %d %d %d%n", &g->w, &g->h, &maxv, &off) != 3 || maxv != 255)
        return -1;
    off++; /* the one white space after maxval */
    if ((size_t)off + (size_t)g->w * (size_t)g->h > n)
        return -1;
    g->px = (unsigned char *)g->raw + off;
    return 0;
}

/* Pixels darker than 96 in the box (points, on a page rendered at dpi). */
static long dark_in(const pgm *g, double dpi, double x0, double y0, double x1, double y1)
{
    double k = dpi / 72.0;
    long n = 0;
    for (int y = (int)(y0 * k); y < (int)(y1 * k) && y < g->h; y++)
        for (int x = (int)(x0 * k); x < (int)(x1 * k) && x < g->w; x++)
            n += g->px[(size_t)y * (size_t)g->w + (size_t)x] < 96;
    return n;
}

static int has(const char *text, const char *s)
{
    return text && strstr(text, s) != NULL;
}

static void doc_init(ikr_roster_pdf_doc *d, ikr_roster_pdf_kiosk *k, ikr_roster_pdf_unit *u,
                     size_t nu)
{
    static const char decl[] =
        "Kami yang bertanda tangan di bawah ini, Aparatur Sipil Negara (ASN) dan pegawai "
        "non-ASN, dengan ini menyatakan:\n"
        "1. Menjaga netralitas dan tidak berpihak dari segala bentuk pengaruh mana pun dan "
        "kepada siapa pun dalam penyelenggaraan Pemilihan Umum dan Pemilihan Kepala Daerah.\n"
        "2. Tidak menjadi anggota dan/atau pengurus partai politik.\n"
        "3. Tidak menggunakan fasilitas negara untuk kepentingan politik praktis.\n"
        "\n"
        "Demikian deklarasi ini kami buat dengan penuh kesadaran dan tanggung jawab.";
    memset(d, 0, sizeof *d);
    memset(k, 0, 2 * sizeof *k);
    d->title = "Deklarasi Netralitas ASN Pilkada Serentak 2024";
    d->event_id = "pilkada-2024";
    d->organizer = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sleman";
    d->place = "Sleman";
    d->when = "Senin, 30 September 2024";
    d->decl = decl;
    d->decl_len = sizeof decl - 1;
    for (int i = 0; i < IKR_HASH_LEN; i++)
        d->decl_hash[i] = (uint8_t)(0xA0 + i);
    k[0].name = "aula-1";
    k[0].vkey =
        "ikrar/pilkada-2024/aula-1+1a2b3c4d+AYzW5n1X0g8dQnJ1b3ZZd2FzdGVzdGtleWJ5dGVzMzJieXRlcw"
        "ZZd2FzdGVzdGtleWJ5dGVzMzJieXRlcw==";
    k[0].size = 31;
    k[1].name = "lobi-timur";
    k[1].vkey =
        "ikrar/pilkada-2024/lobi-timur+9f8e7d6c+AQ1XbG9iaXRpbXVya2V5Ynl0ZXNzaXhhbmRzb21lbW9y";
    k[1].size = 27;
    for (int i = 0; i < IKR_HASH_LEN; i++) {
        k[0].root[i] = (uint8_t)i;
        k[1].root[i] = (uint8_t)(255 - i);
    }
    d->kiosks = k;
    d->nkiosks = 2;
    d->units = u;
    d->nunits = nu;
    d->zone_min = IKR_ZONE_WITA;
    d->made = 1727740800; /* 1 October 2024, 08:00 WITA */
}

/* 128 bytes of a unit name with accented letters, cut at a character. */
static void long_unit(char *out)
{
    const char *src =
        "Sekretariat Dewan Perwakilan Rakyat Daérah Kabupatén Sléman, Bagian Persidangan "
        "dan Perundang-undangan, Subbagian Risalah dan Dokumentasi Ñ";
    size_t n = 0;
    while (n < 128) {
        unsigned char c = (unsigned char)src[n];
        size_t k = c < 0x80 ? 1 : c >= 0xE0 ? 3 : 2;
        if (n + k > 128)
            break;
        n += k;
    }
    memcpy(out, src, n);
    while (n < 128)
        out[n++] = 'x';
    out[128] = 0;
}

static const char *const names[] = {
    "Siti Rahmawati, S.Pd.",
    "Dr. Ir. Bambang Sutrisno, M.Sc.",
    "Made Wirawan",
    "Raden Ajeng Kartini Sosroningrat Wijayakusuma Puspitasari Hadiningrat Kusumawardhani",
    "Yohanes Nggadas",
    "I Gusti Ayu Ngurah Prameswari",
    "Andi Muh. Fadli"};

static void row_of(ikr_roster_pdf_entry *r, uint64_t i, const char *unit, const ikr_ink *ink,
                   char *nip)
{
    memset(r, 0, sizeof *r);
    r->seq = i / 2 + 1;
    r->kiosk = i % 2 ? "lobi-timur" : "aula-1";
    r->t = T_2024 + i * 97;
    r->name = names[i % 7];
    r->status = i % 5 == 3 ? "NON-ASN" : i % 5 == 4 ? "PPPK" : "PNS";
    snprintf(nip, 19, "1985033020100120%02u", (unsigned)(i % 100));
    r->nip = i % 5 == 3 ? "" : nip;
    r->pos = i % 3 ? "Guru Ahli Pertama"
                   : "Analis Sumber Daya Manusia Aparatur Ahli Muda pada "
                     "Bidang Pengadaan, Pemberhentian dan Informasi";
    r->unit = unit;
    r->ink = ink;
}

/* The sample: 25 + 3 + 30 rows; row 27 (in the unnamed unit) has its ink purged. */
static void sample(const char *dir, const ikr_ink *ink)
{
    char path[300], unit3[129], nip[24];
    long_unit(unit3);
    ikr_roster_pdf_unit u[3] = {{"Badan Kepegawaian Daerah", 25, -1}, {"", 3, 5}, {unit3, 30, 40}};
    ikr_roster_pdf_kiosk k[2];
    ikr_roster_pdf_doc d;
    ikr_roster_pdf *p = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    doc_init(&d, k, u, 3);
    snprintf(path, sizeof path, "%s/roster.pdf", dir);
    int rc = ikr_roster_pdf_begin(&p, path, &d, &e);
    check("the roster begins", rc == 0 && p);
    if (rc)
        return;
    uint64_t i = 0;
    for (int ui = 0; ui < 3; ui++)
        for (uint64_t j = 0; j < u[ui].signed_n; j++, i++) {
            ikr_roster_pdf_entry r;
            row_of(&r, i, u[ui].name, i == 26 ? NULL : ink, nip);
            if (ikr_roster_pdf_row(p, &r, &e) != 0) {
                check("every row is drawn", 0);
                ikr_roster_pdf_abort(p);
                return;
            }
        }
    check("the roster ends", ikr_roster_pdf_end(p, &e) == 0);

    struct stat st;
    char tmp[320], head[8] = "";
    check("the file is there", stat(path, &st) == 0);
    check("mode 0600", (st.st_mode & 0777) == 0600);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    check("no temporary file is left", access(tmp, F_OK) != 0);
    FILE *f = fopen(path, "rb");
    if (f) {
        check("it is a PDF", fread(head, 1, 5, f) == 5 && memcmp(head, "%PDF-", 5) == 0);
        fclose(f);
    }

    /* cover 1, table 3 (20 + 5 rows; 3; 11 + 19 rows), summary 1 */
    long pages = pdf_pages(path);
    check("5 pages", pages == 5);
    char *text = pdf_text(path, dir);
    check("pdftotext reads it", text != NULL);
    check("page 1 of 5", has(text, "Halaman 1 dari 5"));
    check("page 5 of 5", has(text, "Halaman 5 dari 5"));
    check("no page 6", !has(text, "Halaman 6 dari"));
    check("the heading", has(text, "DAFTAR HADIR DAN TANDA TANGAN"));
    check("the title", has(text, "Deklarasi Netralitas ASN Pilkada Serentak 2024"));
    check("the declaration, whole",
          has(text, "Tidak menggunakan fasilitas negara untuk kepentingan "
                    "politik praktis.") &&
              has(text, "penuh kesadaran dan tanggung jawab."));
    check("its SHA-256",
          has(text, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"));
    check("a kiosk's root",
          has(text, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    check("a kiosk's name and size", has(text, "lobi-timur") && has(text, "27 catatan"));
    check("the made time in WITA", has(text, "1 Oktober 2024, 08:00 WITA"));
    check("a name", has(text, "Siti Rahmawati, S.Pd."));
    check("another", has(text, "I Gusti Ayu Ngurah Prameswari"));
    check("a long name cut with an ellipsis",
          has(text, "Raden Ajeng Kartini") && has(text, "\xE2\x80\xA6"));
    check("a full NIP", has(text, "198503302010012000") && has(text, "198503302010012057"));
    check("a status", has(text, "NON-ASN") && has(text, "PPPK"));
    check("the time in WITA", has(text, "30-09-2024 18:53 WITA"));
    check("kiosk and seq under No.", has(text, "lobi-timur #1"));
    check("the purged signature", has(text, "tanda tangan dihapus sesuai masa retensi"));
    check("unit headings", has(text, "Unit Kerja: Badan Kepegawaian Daerah 25 orang") &&
                               has(text, "Unit Kerja: (tanpa unit kerja)") &&
                               has(text, "Unit Kerja: Sekretariat Dewan Perwakilan Rakyat Daérah"));
    check("a continued unit heading", has(text, "(lanjutan)"));
    check("the summary", has(text, "REKAPITULASI PER UNIT KERJA"));
    check("a unit's percentage", has(text, "3 5 60,0%"));
    check("the total, expected unknown", has(text, "JUMLAH 58 - -"));
    free(text);

    /* Page 2's first row (row 1, with ink): dark pixels inside its signature cell. */
    char cmd[800], png[300];
    snprintf(cmd, sizeof cmd, "pdftoppm -r 100 -gray -f 2 -l 2 '%s' '%s/p2'", path, dir);
    snprintf(png, sizeof png, "%s/p2-2.pgm", dir);
    pgm g;
    if (system(cmd) == 0 && pgm_load(&g, png) == 0) {
        /* ML + col 424 .. ML + CW; the row below the page header, column header, unit heading */
        double x0 = 40 + 424 + 2, x1 = 40 + 515.28 - 2, y0 = 42 + 18 + 20 + 17 + 2, y1 = y0 + 30;
        long ink_px = dark_in(&g, 100, x0, y0, x1, y1);
        check("the signature is drawn in its cell", ink_px > 40);
        check("and not outside the page's frame", dark_in(&g, 100, 0, 0, 30, 841) == 0);
        free(g.raw);
    } else {
        check("pdftoppm renders page 2", 0);
        free(g.raw);
    }
    remove(png);
    const char *keep = getenv("IKRAR_ROSTER_KEEP");
    if (keep) {
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/roster.pdf'", path, keep);
        check("kept", system(cmd) == 0);
    }
    remove(path);
}

/* Rows in another order or number than declared are refused, and leave no file. */
static void order(const char *dir, const ikr_ink *ink)
{
    char path[300], tmp[320], nip[24];
    ikr_roster_pdf_unit u[2] = {{"A", 2, 2}, {"B", 1, -1}};
    ikr_roster_pdf_kiosk k[2];
    ikr_roster_pdf_doc d;
    ikr_roster_pdf_entry r;
    ikr_roster_pdf *p = NULL;
    ikr_err e;
    doc_init(&d, k, u, 2);
    snprintf(path, sizeof path, "%s/order.pdf", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);

    ikr_err_clear(&e);
    check("begins", ikr_roster_pdf_begin(&p, path, &d, &e) == 0);
    row_of(&r, 0, "B", ink, nip);
    check("a row of the second unit first is refused",
          ikr_roster_pdf_row(p, &r, &e) == IKR_E_INTERNAL && e.detail[0]);
    row_of(&r, 0, "A", ink, nip);
    check("and the roster stays refused", ikr_roster_pdf_row(p, &r, NULL) == IKR_E_INTERNAL);
    check("end says so", ikr_roster_pdf_end(p, NULL) == IKR_E_INTERNAL);
    check("no file", access(path, F_OK) != 0 && access(tmp, F_OK) != 0);

    ikr_err_clear(&e);
    check("begins", ikr_roster_pdf_begin(&p, path, &d, &e) == 0);
    const char *seq[4] = {"A", "A", "B", "B"};
    int rc = 0;
    for (int i = 0; i < 4 && !rc; i++) {
        row_of(&r, (uint64_t)i, seq[i], ink, nip);
        rc = ikr_roster_pdf_row(p, &r, &e);
    }
    check("a row more than declared is refused", rc == IKR_E_INTERNAL);
    ikr_roster_pdf_abort(p);
    check("abort leaves no file", access(path, F_OK) != 0 && access(tmp, F_OK) != 0);

    ikr_err_clear(&e);
    check("begins", ikr_roster_pdf_begin(&p, path, &d, &e) == 0);
    row_of(&r, 0, "A", ink, nip);
    ikr_roster_pdf_row(p, &r, &e);
    check("ending with rows missing is refused", ikr_roster_pdf_end(p, &e) == IKR_E_INTERNAL);
    check("and leaves no file", access(path, F_OK) != 0 && access(tmp, F_OK) != 0);

    /* Limits. */
    static ikr_roster_pdf_unit many[IKR_ROSTER_PDF_MAX_UNITS + 1];
    static ikr_roster_pdf_kiosk kk[IKR_ROSTER_PDF_MAX_KIOSKS + 1];
    for (size_t i = 0; i <= IKR_ROSTER_PDF_MAX_UNITS; i++)
        many[i] = (ikr_roster_pdf_unit){"u", 0, -1};
    d.units = many;
    d.nunits = IKR_ROSTER_PDF_MAX_UNITS + 1;
    ikr_err_clear(&e);
    check("too many units", ikr_roster_pdf_begin(&p, path, &d, &e) == IKR_E_INTERNAL && !p);
    d.nunits = 2;
    d.units = u;
    for (size_t i = 0; i <= IKR_ROSTER_PDF_MAX_KIOSKS; i++)
        kk[i] = k[0];
    d.kiosks = kk;
    d.nkiosks = IKR_ROSTER_PDF_MAX_KIOSKS + 1;
    ikr_err_clear(&e);
    check("too many kiosks", ikr_roster_pdf_begin(&p, path, &d, &e) == IKR_E_INTERNAL && !p);
    check("no file", access(path, F_OK) != 0 && access(tmp, F_OK) != 0);
}

/* A long declaration runs over several cover pages, and the count still holds. */
static void long_cover(const char *dir, const ikr_ink *ink)
{
    char path[300], nip[24];
    size_t n = IKR_MAX_DECL;
    char *decl = malloc(n + 1);
    if (!decl)
        return;
    for (size_t i = 0; i < n; i++)
        decl[i] = "Netralitas ASN adalah kewajiban. \n"[i % 34];
    ikr_roster_pdf_unit u[1] = {{"Inspektorat", 1, 1}};
    ikr_roster_pdf_kiosk k[2];
    ikr_roster_pdf_doc d;
    ikr_roster_pdf_entry r;
    ikr_roster_pdf *p = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    doc_init(&d, k, u, 1);
    d.decl = decl;
    d.decl_len = n;
    d.nkiosks = 1;
    snprintf(path, sizeof path, "%s/long.pdf", dir);
    int rc = ikr_roster_pdf_begin(&p, path, &d, &e);
    check("a 32 KB declaration", rc == 0);
    if (!rc) {
        row_of(&r, 0, "Inspektorat", ink, nip);
        check("its row", ikr_roster_pdf_row(p, &r, &e) == 0);
        check("ends", ikr_roster_pdf_end(p, &e) == 0);
        long pages = pdf_pages(path);
        char *text = pdf_text(path, dir), want[64];
        snprintf(want, sizeof want, "Halaman %ld dari %ld", pages, pages);
        check("several cover pages", pages > 4);
        check("the last page is numbered as counted", has(text, want));
        free(text);
    }
    remove(path);
    free(decl);
}

/*
 * The edges: a 256-byte title, 64 kiosks with 64-character names (the cover
 * runs on), invalid UTF-8 and control characters in every field, NULL
 * fields, a unit without rows, units in the thousands (the summary runs on).
 * The page numbers must still match the pages.
 */
static void edges(const char *dir, const ikr_ink *ink)
{
    char path[300], title[257], kname[64][65], bad[] = "Bad\xff\xfe name\twith\x01 controls \xc3";
    static ikr_roster_pdf_unit u[3000];
    static char un[3000][24];
    ikr_roster_pdf_kiosk k[64];
    ikr_roster_pdf_doc d;
    ikr_roster_pdf *p = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    memset(title, 'W', 256);
    title[256] = 0;
    for (int i = 0; i < 3000; i++) {
        snprintf(un[i], sizeof un[i], "Unit %d", i);
        u[i] = (ikr_roster_pdf_unit){un[i], i == 1 ? 0 : i < 4 ? 2 : 0, i % 3 ? 2 : -1};
    }
    u[0].name = bad;
    doc_init(&d, k, u, 3000);
    d.title = title;
    d.organizer = NULL;
    d.place = bad;
    d.when = "";
    for (int i = 0; i < 64; i++) {
        memset(kname[i], 'k', 64);
        kname[i][64] = 0;
        snprintf(kname[i], 8, "kiosk%02d", i);
        kname[i][7] = 'M';
        k[i] = (ikr_roster_pdf_kiosk){kname[i], "ikrar/x/y+00000000+AAAA", (uint64_t)i * 1000, {0}};
    }
    d.kiosks = k;
    d.nkiosks = 64;
    snprintf(path, sizeof path, "%s/edges.pdf", dir);
    int rc = ikr_roster_pdf_begin(&p, path, &d, &e);
    check("the edges begin", rc == 0);
    if (rc)
        return;
    const char *seq[6] = {bad, bad, "Unit 2", "Unit 2", "Unit 3", "Unit 3"};
    for (int i = 0; i < 6 && !rc; i++) {
        ikr_roster_pdf_entry r;
        memset(&r, 0, sizeof r);
        r.seq = UINT64_MAX - (uint64_t)i;
        r.kiosk = kname[63];
        r.t = 0;
        r.name = i ? bad : NULL;
        r.status = i == 2 ? bad : NULL;
        r.nip = i == 3 ? bad : NULL;
        r.pos = bad;
        r.unit = seq[i];
        r.ink = i == 4 ? NULL : ink;
        rc = ikr_roster_pdf_row(p, &r, &e);
    }
    check("odd rows are drawn", rc == 0);
    check("and end", (rc ? (ikr_roster_pdf_abort(p), rc) : ikr_roster_pdf_end(p, &e)) == 0);
    long pages = pdf_pages(path);
    char *text = pdf_text(path, dir), want[64];
    snprintf(want, sizeof want, "Halaman %ld dari %ld", pages, pages);
    check("the edges' last page is numbered as counted", pages > 3 && has(text, want));
    check("the bad bytes became '?'", has(text, "Bad?? name with controls ?"));
    free(text);
    const char *keep = getenv("IKRAR_ROSTER_KEEP");
    if (keep) {
        char cmd[800];
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/edges.pdf'", path, keep);
        check("kept", system(cmd) == 0);
    }
    remove(path);
}

/* With a file size limit the write fails as a full disk would: IKR_E_DISK_FULL, no file. */
static void disk_full(const char *dir, const ikr_ink *ink)
{
    char path[300], tmp[320];
    snprintf(path, sizeof path, "%s/full.pdf", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        char nip[24];
        struct rlimit rl = {64 * 1024, 64 * 1024};
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &rl);
        ikr_roster_pdf_unit u[1] = {{"Dinas", 2000, -1}};
        ikr_roster_pdf_kiosk k[2];
        ikr_roster_pdf_doc d;
        ikr_roster_pdf_entry r;
        ikr_roster_pdf *p = NULL;
        ikr_err e;
        ikr_err_clear(&e);
        doc_init(&d, k, u, 1);
        int rc = ikr_roster_pdf_begin(&p, path, &d, &e);
        for (uint64_t i = 0; i < 2000 && !rc; i++) {
            row_of(&r, i, "Dinas", ink, nip);
            rc = ikr_roster_pdf_row(p, &r, &e);
        }
        if (p)
            rc = rc ? (ikr_roster_pdf_abort(p), rc) : ikr_roster_pdf_end(p, &e);
        _exit(rc == IKR_E_DISK_FULL ? 0 : 1);
    }
    int status = 0;
    check("the writer runs", pid > 0 && waitpid(pid, &status, 0) == pid);
    check("a full disk is IKR_E_DISK_FULL", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    check("and leaves no file", access(path, F_OK) != 0 && access(tmp, F_OK) != 0);
}

/* 10,000 rows, timed. */
static void bench(const char *dir, const ikr_ink *ink)
{
#if defined(__SANITIZE_ADDRESS__)
    const uint64_t rows = 1000; /* sanitizers are slow; the figure is not the point there */
#else
    const uint64_t rows = 10000;
#endif
    char path[300], nip[24], unitname[40][32];
    static ikr_roster_pdf_unit u[40];
    ikr_roster_pdf_kiosk k[2];
    ikr_roster_pdf_doc d;
    ikr_roster_pdf *p = NULL;
    ikr_err e;
    ikr_err_clear(&e);
    for (int i = 0; i < 40; i++) {
        snprintf(unitname[i], sizeof unitname[i], "Unit Kerja Nomor %d", i + 1);
        u[i] = (ikr_roster_pdf_unit){unitname[i], rows / 40, (int64_t)(rows / 40 + 10)};
    }
    doc_init(&d, k, u, 40);
    snprintf(path, sizeof path, "%s/bench.pdf", dir);
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    int rc = ikr_roster_pdf_begin(&p, path, &d, &e);
    uint64_t i = 0;
    for (int ui = 0; ui < 40 && !rc; ui++)
        for (uint64_t j = 0; j < u[ui].signed_n && !rc; j++, i++) {
            ikr_roster_pdf_entry r;
            row_of(&r, i, unitname[ui], ink, nip);
            rc = ikr_roster_pdf_row(p, &r, &e);
        }
    if (rc)
        ikr_roster_pdf_abort(p);
    else
        rc = ikr_roster_pdf_end(p, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    check("the big roster is written", rc == 0);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    struct stat st;
    if (rc == 0 && stat(path, &st) == 0) {
        long pages = pdf_pages(path);
        /* CPU time too: other work on the machine stretches the wall clock, not it. */
        printf("roster.pdf: %llu rows in %.2f s (%.2f s CPU): %.0f records/s (%.0f by CPU), "
               "%lld bytes (%.2f KB a row), %ld pages\n",
               (unsigned long long)rows, s, cpu, (double)rows / s, (double)rows / cpu,
               (long long)st.st_size, (double)st.st_size / (double)rows / 1024, pages);
        check("the bench roster's pages", pages > (long)(rows / 21));
    }
    remove(path);
}

int main(void)
{
    char dir[] = "/tmp/ikrar-roster-pdf-XXXXXX";
    uint32_t xyt[3 * 300];
    size_t ends[3];
    ikr_ink ink;
    if (!mkdtemp(dir)) {
        check("a temporary folder", 0);
        return check_report();
    }
    if (system("command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null") != 0) {
        fprintf(stderr, "test_roster_pdf: needs pdftotext and pdftoppm (poppler-utils)\n");
        check("poppler-utils is installed", 0);
        return check_report();
    }
    make_ink(&ink, xyt, ends);
    sample(dir, &ink);
    order(dir, &ink);
    long_cover(dir, &ink);
    edges(dir, &ink);
    disk_full(dir, &ink);
    bench(dir, &ink);
    rmdir(dir);
    ikr_ticket_release_caches();
    return check_report();
}
