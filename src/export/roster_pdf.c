/*
 * roster_pdf.c: the printable roster (see roster_pdf.h), drawn with cairo on
 * A4 portrait, in points.
 *
 * The page count is printed on every page ("Halaman x dari y"), so it must
 * be known before the first page is drawn, while the rows are streamed and
 * never held.  Three parts, counted three ways:
 *
 *   - the cover flows (the declaration may run to several pages): its layout
 *     runs twice, first only measuring (p->draw == 0), then drawing;
 *   - the table has fixed heights in whole points (page header, column
 *     header, unit heading, row), so its pages follow from the unit counts
 *     in closed form (table_pages), and ikr_roster_pdf_row breaks pages by
 *     the very same rule, one row at a time;
 *   - the summary, like the cover, runs measuring, then drawing.
 *
 * Text is measured and drawn through cairo scaled fonts made once, from the
 * DejaVu files ikrar ships (assets/fonts, as ticket.c), so a row costs glyph
 * lookups, not font lookups, and no host font can stand in for ours.  Everything that came from
 * outside is copied through clean() first: cairo refuses invalid UTF-8 by poisoning the font, which
 * would lose the whole document for one bad byte.  Cells never overflow:
 * text is wrapped to the lines the fixed row height holds, the last one cut
 * with "…"; the signature is scaled to its cell.
 *
 * The file is written by us, not cairo (cairo_pdf_surface_create_for_stream),
 * through ikr_file_out (file.h), so that a full disk is seen as ENOSPC, the
 * file is 0600 from its first byte, and it is fsynced before it is renamed
 * over path.
 */
#include "ikrar/roster_pdf.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ikrar/assets.h"
#include "ikrar/file.h"
#include "ikrar/text.h"
#include "ikrar/zone.h"

/* A4 in points, and the frame everything is drawn in. */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define ML 40.0              /* left margin (and right) */
#define CW (PAGE_W - 2 * ML) /* content width */
#define TOP 42               /* first baseline area starts here */
#define BOT 790              /* content ends here; the footer is below */

/* The table's fixed heights, whole points so that counting is exact. */
#define PH 18               /* the running header on a table page */
#define HDR 20              /* the column header */
#define UH 17               /* a unit's heading */
#define RH 34               /* a row */
#define T0 (TOP + PH + HDR) /* where the first heading or row of a table page goes */

/* The summary's. */
#define S_TITLE 46 /* its title block, on its first page only */
#define S_ROW 18   /* a unit's line, the header and the total */
#define S_SIGN 118 /* the organiser's signature block */

#define LINE 1024  /* bytes of one drawn line, at most */
#define FIELD 520  /* bytes of a row's field kept (4 * IKR_MAX_* and some) */
#define OBUF 65536 /* bytes buffered before a write(2) */

#define ELLIPSIS "\xE2\x80\xA6"
#define NO_UNIT "(tanpa unit kerja)"
#define PURGED "tanda tangan dihapus sesuai masa retensi"

/* The fonts, made once in begin.  Sizes in points. */
enum {
    F_TITLE,
    F_SUB,
    F_H2,
    F_TEXT,
    F_TEXT_B,
    F_LABEL,
    F_MONO,
    F_HASH,
    F_HEAD,
    F_CELL,
    F_CELL_B,
    F_SMALL,
    F_ITAL,
    F_UNIT,
    F_FOOT,
    F_SUM,
    F_SUM_B,
    F_SUM_I,
    F_NFONTS
};
static const struct {
    int mono, bold, italic;
    double size;
} font_spec[F_NFONTS] = {
    [F_TITLE] = {0, 1, 0, 14}, [F_SUB] = {0, 1, 0, 11.5},   [F_H2] = {0, 1, 0, 10},
    [F_TEXT] = {0, 0, 0, 9.5}, [F_TEXT_B] = {0, 1, 0, 9.5}, [F_LABEL] = {0, 0, 0, 8},
    [F_MONO] = {1, 0, 0, 7},   [F_HASH] = {1, 0, 0, 7.5},   [F_HEAD] = {0, 1, 0, 7.5},
    [F_CELL] = {0, 0, 0, 7.5}, [F_CELL_B] = {0, 1, 0, 7.5}, [F_SMALL] = {0, 0, 0, 6},
    [F_ITAL] = {0, 0, 1, 6.5}, [F_UNIT] = {0, 1, 0, 8},     [F_FOOT] = {0, 0, 0, 6.5},
    [F_SUM] = {0, 0, 0, 8.5},  [F_SUM_B] = {0, 1, 0, 8.5},  [F_SUM_I] = {0, 0, 1, 8.5},
};

/* The table's columns: their left edges from ML, and the last one's right edge. */
enum { C_NO, C_NAME, C_NIP, C_POS, C_UNIT, C_TIME, C_SIGN, C_N };
static const double col_x[C_N + 1] = {0, 40, 150, 232, 302, 368, 424, CW};
static const char *const col_title[C_N] = {"No.",        "Nama / Status", "NIP",         "Jabatan",
                                           "Unit Kerja", "Waktu",         "Tanda Tangan"};
#define PAD 3.0 /* inner padding of a cell */

/* The summary's columns. */
enum { S_NO, S_UNIT, S_SIGNED, S_EXPECTED, S_PCT, S_N };
static const double scol_x[S_N + 1] = {0, 30, 260, 345, 430, CW};
static const char *const scol_title[S_N] = {"No.", "Unit Kerja", "Menandatangani", "Diharapkan",
                                            "Persentase"};

static const char *const months[12] = {"Januari",   "Februari", "Maret",    "April",
                                       "Mei",       "Juni",     "Juli",     "Agustus",
                                       "September", "Oktober",  "November", "Desember"};

typedef struct unit {
    const char *name;  /* the caller's name, compared with each row's (in p->names) */
    const char *shown; /* cleaned for drawing */
    uint64_t n;
    int64_t expected;
} unit;

struct ikr_roster_pdf {
    char path[1100];
    ikr_file_out out; /* the temporary file, renamed over path at the end */
    int werr;         /* errno of the first failed write; 0 while none */
    size_t olen;
    unsigned char *obuf; /* OBUF bytes */
    cairo_surface_t *sf;
    cairo_t *cr;
    cairo_scaled_font_t *font[F_NFONTS];
    int draw; /* 0 while a layout only measures */
    int oom;  /* an allocation while drawing failed */
    int rc;   /* the first failure, repeated by every later call */
    ikr_err err;

    const ikr_roster_pdf_doc *doc; /* during begin only */
    unit *units;
    size_t nunits;
    char *names;    /* the units' names, raw then cleaned */
    uint64_t nrows; /* rows declared, all units */
    int zone_min;
    int multi;                 /* several kiosks: show kiosk and seq under No. */
    char foot[2 * FIELD + 32]; /* the footer's left text */
    char place[FIELD], made[96], made_day[64];

    uint64_t page, pages; /* pages finished so far; pages in all */
    double y;             /* where the next thing goes on this page */
    int table_open;       /* a table page is being drawn */
    double block_y0;      /* top of the rows drawn since the last heading; < 0 none */
    size_t ui;            /* the unit of the next row */
    uint64_t left;        /* rows still to come in units[ui] */
    uint64_t no;          /* rows drawn */

    /* One row's fields, cleaned; reused for every row. */
    char f_name[FIELD], f_status[64], f_nip[64], f_pos[FIELD], f_kiosk[FIELD];
    char line[LINE];

    /* Scratch for simplifying a signature (draw_ink), sized for a checked ink. */
    double pt[2 * IKR_INK_MAX_POINTS];
    uint8_t keep[IKR_INK_MAX_POINTS];
    uint32_t stack[2 * IKR_INK_MAX_POINTS];
};

/* ---- text ---- */

/*
 * Copies src into dst (cap bytes with the NUL) as valid UTF-8 without
 * control characters: a byte that does not start a valid character becomes
 * '?', tabs and other controls a space.  Cut at a character boundary.
 */
static void clean(char *dst, size_t cap, const char *src, size_t n)
{
    size_t o = 0;
    if (!src)
        n = 0;
    for (size_t i = 0; i < n && o + 1 < cap;) {
        unsigned char c = (unsigned char)src[i];
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (k == 0 || i + k > n || !ikr_utf8_valid(src + i, k)) {
            dst[o++] = '?';
            i++;
            continue;
        }
        if (k == 1 && (c < 0x20 || c == 0x7F)) {
            dst[o++] = ' ';
            i++;
            continue;
        }
        if (k == 2 && c == 0xC2 && (unsigned char)src[i + 1] < 0xA0) { /* C1 controls */
            i += 2;
            continue;
        }
        if (o + k + 1 > cap)
            break;
        memcpy(dst + o, src + i, k);
        o += k;
        i += k;
    }
    dst[o] = 0;
}

static void clean_str(char *dst, size_t cap, const char *src)
{
    clean(dst, cap, src, src ? strnlen(src, cap * 4) : 0);
}

/* Bytes of the (valid) UTF-8 character at s. */
static size_t u8len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

static double text_w(const ikr_roster_pdf *p, int f, const char *s)
{
    cairo_text_extents_t x;
    cairo_scaled_font_text_extents(p->font[f], s, &x);
    return x.x_advance;
}

static void show(ikr_roster_pdf *p, int f, double x, double y, const char *s)
{
    if (!p->draw || !*s)
        return;
    cairo_set_scaled_font(p->cr, p->font[f]);
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, s);
}

static void show_right(ikr_roster_pdf *p, int f, double xr, double y, const char *s)
{
    if (p->draw)
        show(p, f, xr - text_w(p, f, s), y, s);
}

static void show_centre(ikr_roster_pdf *p, int f, double x, double w, double y, const char *s)
{
    if (p->draw)
        show(p, f, x + (w - text_w(p, f, s)) / 2, y, s);
}

/*
 * Writes into out (LINE bytes) s, or when it is wider than w its longest
 * prefix (whole characters, trailing spaces dropped) that fits with "…".
 */
static void cut(const ikr_roster_pdf *p, int f, const char *s, double w, char *out)
{
    size_t n = strnlen(s, LINE - sizeof ELLIPSIS);
    memcpy(out, s, n);
    out[n] = 0;
    if (!s[n] && text_w(p, f, out) <= w)
        return;
    /* Binary search over the character boundaries: bound[0..a) fit, bound[b..) do not. */
    size_t bound[LINE], nb = 0;
    for (size_t i = 0; i < n;) {
        size_t step = u8len(s + i);
        if (i + step > n)
            break;
        i += step;
        bound[nb++] = i;
    }
    size_t a = 0, b = nb;
    while (a < b) {
        size_t mid = (a + b) / 2, k = bound[mid];
        while (k > 0 && s[k - 1] == ' ')
            k--;
        memcpy(out, s, k);
        memcpy(out + k, ELLIPSIS, sizeof ELLIPSIS);
        if (text_w(p, f, out) <= w)
            a = mid + 1;
        else
            b = mid;
    }
    size_t k = a ? bound[a - 1] : 0;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    memcpy(out, s, k);
    memcpy(out + k, ELLIPSIS, sizeof ELLIPSIS);
}

/*
 * The first line of s that fits in w: whole words while a space allows,
 * else as many characters of the first word as fit (at least one).  Copies
 * it into out (LINE bytes), returns the start of the next line.
 */
static const char *fit_line(const ikr_roster_pdf *p, int f, const char *s, double w, char *out)
{
    size_t n = strnlen(s, LINE - 8), fit = 0;
    memcpy(out, s, n);
    out[n] = 0;
    if (!s[n] && text_w(p, f, out) <= w) { /* the common case: all of it */
        fit = n;
    } else {
        size_t end = 0;
        for (;;) {
            size_t m = end;
            while (s[m] == ' ')
                m++;
            while (s[m] && s[m] != ' ')
                m++;
            if (m == end || m > n)
                break;
            memcpy(out, s, m);
            out[m] = 0;
            if (text_w(p, f, out) > w)
                break;
            fit = end = m;
        }
        if (fit == 0) {
            size_t k = *s ? u8len(s) : 0;
            while (k < n && s[k] != ' ') {
                size_t step = u8len(s + k);
                if (k + step > n)
                    break;
                memcpy(out, s, k + step);
                out[k + step] = 0;
                if (text_w(p, f, out) > w)
                    break;
                k += step;
            }
            fit = k;
        }
    }
    memcpy(out, s, fit);
    out[fit] = 0;
    s += fit;
    while (*s == ' ')
        s++;
    return s;
}

/* Draws s wrapped in w at most maxl lines from baseline y, `lead` apart; the last line cut with
 * "…". */
static void cell_text(ikr_roster_pdf *p, int f, const char *s, double x, double y, double w,
                      int maxl, double lead)
{
    while (*s == ' ')
        s++;
    for (int i = 0; i < maxl && *s; i++) {
        const char *next = fit_line(p, f, s, w, p->line);
        if (*next && i == maxl - 1)
            cut(p, f, s, w, p->line);
        show(p, f, x, y + i * lead, p->line);
        s = next;
    }
}

/* Writes n with dots between thousands, as Indonesians write numbers: 10.000. */
static char *num(char *out, size_t cap, uint64_t n)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%llu", (unsigned long long)n), o = 0;
    for (int i = 0; i < len && (size_t)o + 2 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = d[i];
    }
    out[o] = 0;
    return out;
}

/* "22 November 2026, 18:09 WIB". */
static void long_time(char *out, size_t cap, int64_t t, int zone_min)
{
    time_t local = (time_t)(t + (int64_t)zone_min * 60);
    struct tm tm;
    if (!gmtime_r(&local, &tm)) {
        snprintf(out, cap, "-");
        return;
    }
    snprintf(out, cap, "%d %s %d, %02d:%02d %s", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, ikr_zone_name(zone_min));
}

/* ---- pages ---- */

static void hline(ikr_roster_pdf *p, double x0, double x1, double y, double wdt)
{
    if (!p->draw)
        return;
    cairo_set_line_width(p->cr, wdt);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

/* The footer, then the page is done; the next drawing starts a new page. */
static void page_end(ikr_roster_pdf *p)
{
    p->page++;
    if (p->draw) {
        char r[64];
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        hline(p, ML, ML + CW, BOT + 10, 0.4);
        snprintf(r, sizeof r, "Halaman %llu dari %llu", (unsigned long long)p->page,
                 (unsigned long long)p->pages);
        double rw = text_w(p, F_FOOT, r);
        cut(p, F_FOOT, p->foot, CW - rw - 20, p->line);
        show(p, F_FOOT, ML, BOT + 21, p->line);
        show(p, F_FOOT, ML + CW - rw, BOT + 21, r);
        cairo_show_page(p->cr);
    }
    p->y = TOP;
}

/* Starts a new page when h more points do not fit on this one. */
static void need(ikr_roster_pdf *p, double h)
{
    if (p->y + h > BOT)
        page_end(p);
}

/* ---- the cover ---- */

/* A paragraph wrapped to w from x, breaking pages between its lines. */
static void flow(ikr_roster_pdf *p, int f, const char *s, double x, double w, double lead)
{
    while (*s == ' ')
        s++;
    while (*s) {
        need(p, lead);
        s = fit_line(p, f, s, w, p->line);
        show(p, f, x, p->y + lead * 0.78, p->line);
        p->y += lead;
    }
}

/* "Label   value" on the cover, the value wrapped beside its label. */
static void info(ikr_roster_pdf *p, const char *label, const char *value)
{
    char v[FIELD];
    clean_str(v, sizeof v, value);
    if (!v[0])
        return;
    need(p, 14);
    show(p, F_TEXT, ML, p->y + 14 * 0.78, label);
    show(p, F_TEXT, ML + 128, p->y + 14 * 0.78, ":");
    flow(p, F_TEXT, v, ML + 138, CW - 138, 14);
}

static void section(ikr_roster_pdf *p, const char *title, double keep)
{
    p->y += 10;
    need(p, 22 + keep);
    show(p, F_H2, ML, p->y + 12, title);
    hline(p, ML, ML + CW, p->y + 16, 0.5);
    p->y += 22;
}

static void cover(ikr_roster_pdf *p)
{
    const ikr_roster_pdf_doc *d = p->doc;
    char v[FIELD], a[32], b[32];
    p->y = TOP;
    if (p->draw)
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    show_centre(p, F_TITLE, ML, CW, p->y + 14, "DAFTAR HADIR DAN TANDA TANGAN");
    p->y += 22;
    clean_str(v, sizeof v, d->title);
    for (const char *s = v; *s;) {
        s = fit_line(p, F_SUB, s, CW, p->line);
        show_centre(p, F_SUB, ML, CW, p->y + 11, p->line);
        p->y += 15;
    }
    /* The double rule under a letterhead (kop surat): thick, then thin. */
    hline(p, ML, ML + CW, p->y + 5, 1.6);
    hline(p, ML, ML + CW, p->y + 8, 0.5);
    p->y += 18;

    info(p, "Penyelenggara", d->organizer);
    info(p, "Tempat", d->place);
    info(p, "Waktu pelaksanaan", d->when);
    info(p, "ID acara", d->event_id);
    snprintf(v, sizeof v, "%s orang, %s unit kerja", num(a, sizeof a, p->nrows),
             num(b, sizeof b, (uint64_t)p->nunits));
    info(p, "Jumlah penanda tangan", v);
    snprintf(v, sizeof v, "%s (UTC+%d)", ikr_zone_name(p->zone_min), p->zone_min / 60);
    info(p, "Zona waktu", v);
    info(p, "Dokumen dibuat", p->made);

    section(p, "NASKAH DEKLARASI", 13);
    /*
     * The text as written: its lines are paragraphs, an empty line a gap.
     * clean() never lengthens text, so one buffer of the text's size holds
     * any paragraph (allocated here: begin runs this twice, rows never).
     */
    size_t dl = d->decl ? d->decl_len : 0;
    char *para = malloc(dl + 1);
    if (!para) {
        p->oom = 1;
        dl = 0;
    }
    for (const char *s = d->decl, *end = d->decl + dl; s && s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        clean(para, dl + 1, s, n);
        size_t pl = strlen(para);
        while (pl && para[pl - 1] == ' ') /* a CR before the newline, trailing spaces */
            para[--pl] = 0;
        if (!para[0])
            p->y += 6;
        else
            flow(p, F_TEXT, para, ML, CW, 13.5);
        s += n + (nl ? 1 : 0);
    }
    free(para);

    char hex[2 * IKR_HASH_LEN + 1];
    ikr_hex(hex, d->decl_hash, IKR_HASH_LEN);
    p->y += 6;
    need(p, 24);
    show(p, F_LABEL, ML, p->y + 8, "SHA-256 naskah deklarasi:");
    show(p, F_HASH, ML + 118, p->y + 8, hex);
    p->y += 14;

    section(p, "KIOSK DAN LOG TERTANDA", 40);
    flow(p, F_LABEL,
         "Setiap tanda tangan adalah catatan yang ditandatangani kiosk (Ed25519) dan disimpan "
         "dalam log Merkle (RFC 6962). Ukuran dan root di bawah ini adalah checkpoint bertanda "
         "tangan yang dicakup daftar ini; periksa dengan kunci verifikasi kiosk "
         "(ikrar verify --roster).",
         ML, CW, 11);
    p->y += 4;
    for (size_t i = 0; i < d->nkiosks; i++) {
        const ikr_roster_pdf_kiosk *k = &d->kiosks[i];
        p->y += 4;
        need(p, 12 + 11 + 11 + 11);
        clean_str(v, sizeof v, k->name);
        cut(p, F_TEXT_B, v, CW, p->line);
        show(p, F_TEXT_B, ML, p->y + 9, p->line);
        p->y += 13;
        snprintf(v, sizeof v, "%s catatan", num(a, sizeof a, k->size));
        show(p, F_LABEL, ML + 10, p->y + 8, "Ukuran checkpoint:");
        show(p, F_LABEL, ML + 118, p->y + 8, v);
        p->y += 11;
        ikr_hex(hex, k->root, IKR_HASH_LEN);
        show(p, F_LABEL, ML + 10, p->y + 8, "Root (hex):");
        show(p, F_HASH, ML + 118, p->y + 8, hex);
        p->y += 11;
        show(p, F_LABEL, ML + 10, p->y + 8, "Kunci verifikasi:");
        clean_str(v, sizeof v, k->vkey);
        if (!v[0])
            snprintf(v, sizeof v, "-");
        /* A key line has no spaces: it wraps between characters. */
        for (const char *q = v; *q;) {
            need(p, 11);
            q = fit_line(p, F_MONO, q, CW - 118, p->line);
            show(p, F_MONO, ML + 118, p->y + 8, p->line);
            p->y += 11;
        }
    }
    page_end(p);
}

/* ---- the table ---- */

/*
 * Table pages for these units, by the rule ikr_roster_pdf_row draws by: a
 * unit's heading goes where it and one row fit, else on a new page; a row
 * that does not fit starts a new page, which repeats the column header and
 * the unit's heading.  Units without rows are left out of the table.
 */
static uint64_t table_pages(const unit *u, size_t nu)
{
    const uint64_t first = (BOT - T0 - UH) / RH; /* rows on a page after a heading */
    uint64_t pages = 0, y = 0;
    for (size_t i = 0; i < nu; i++) {
        if (!u[i].n)
            continue;
        if (!pages || y + UH + RH > BOT) {
            pages++;
            y = T0;
        }
        y += UH;
        uint64_t fit = (BOT - y) / RH;
        if (u[i].n <= fit) {
            y += u[i].n * RH;
            continue;
        }
        uint64_t rest = u[i].n - fit, more = (rest + first - 1) / first;
        pages += more;
        y = T0 + UH + (rest - (more - 1) * first) * RH;
    }
    return pages;
}

static void table_header(ikr_roster_pdf *p)
{
    cairo_t *cr = p->cr;
    char t[FIELD];
    show(p, F_CELL_B, ML, p->y + 10, "DAFTAR HADIR DAN TANDA TANGAN");
    double lw = text_w(p, F_CELL_B, "DAFTAR HADIR DAN TANDA TANGAN") + 20;
    cut(p, F_CELL, p->foot, CW - lw, t);
    show_right(p, F_CELL, ML + CW, p->y + 10, t);
    p->y += PH;
    cairo_rectangle(cr, ML, p->y, CW, HDR);
    cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int c = 1; c < C_N; c++) {
        cairo_move_to(cr, ML + col_x[c], p->y);
        cairo_line_to(cr, ML + col_x[c], p->y + HDR);
    }
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    for (int c = 0; c < C_N; c++)
        show_centre(p, F_HEAD, ML + col_x[c], col_x[c + 1] - col_x[c], p->y + 13, col_title[c]);
    p->y += HDR;
}

static void unit_heading(ikr_roster_pdf *p, const unit *u, int cont)
{
    cairo_t *cr = p->cr;
    char t[FIELD + 32], right[64], n[32];
    cairo_rectangle(cr, ML, p->y, CW, UH);
    cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    snprintf(right, sizeof right, "%s%s orang", cont ? "(lanjutan)  " : "", num(n, sizeof n, u->n));
    double rw = text_w(p, F_CELL, right);
    snprintf(t, sizeof t, "Unit Kerja: %s", u->shown[0] ? u->shown : NO_UNIT);
    cut(p, F_UNIT, t, CW - 2 * PAD - rw - 16, p->line);
    show(p, F_UNIT, ML + PAD + 1, p->y + 11.5, p->line);
    show_right(p, F_CELL, ML + CW - PAD - 1, p->y + 11.5, right);
    p->y += UH;
}

/*
 * Draws the column rules of the rows since the last heading, one line a
 * column for all of them: drawing them row by row would write a dozen more
 * numbers a row into the file for the same picture.
 */
static void close_block(ikr_roster_pdf *p)
{
    if (p->block_y0 < 0)
        return;
    for (int c = 0; c <= C_N; c++) {
        cairo_move_to(p->cr, ML + col_x[c], p->block_y0);
        cairo_line_to(p->cr, ML + col_x[c], p->y);
    }
    cairo_set_line_width(p->cr, 0.4);
    cairo_stroke(p->cr);
    p->block_y0 = -1;
}

static void table_page(ikr_roster_pdf *p)
{
    p->y = TOP;
    table_header(p);
    p->table_open = 1;
}

/*
 * Marks in p->keep the points of stroke [a, b) (already in page points, in
 * p->pt) that the stroke needs within INK_TOL: Ramer-Douglas-Peucker, with
 * an explicit stack instead of recursion.  A hand's ink is smooth, and a
 * pixel staircase is not worth keeping: most of a kiosk's points fall
 * within a fifth of a point (0.07 mm, a quarter of the pen's width) of the
 * line between the points kept around them.  Leaving them out does not
 * show on paper, and saves time and file (cairo prints every coordinate
 * with printf, and zlib squeezes them).
 */
#define INK_TOL 0.2
static void simplify(ikr_roster_pdf *p, size_t a, size_t b)
{
    size_t top = 0;
    p->keep[a] = p->keep[b - 1] = 1;
    if (b - a < 3)
        return;
    p->stack[top++] = (uint32_t)a;
    p->stack[top++] = (uint32_t)(b - 1);
    while (top) {
        size_t j = p->stack[--top], i = p->stack[--top];
        double ax = p->pt[2 * i], ay = p->pt[2 * i + 1];
        double dx = p->pt[2 * j] - ax, dy = p->pt[2 * j + 1] - ay, len2 = dx * dx + dy * dy;
        double worst = 0;
        size_t at = 0;
        for (size_t k = i + 1; k < j; k++) {
            double ex = p->pt[2 * k] - ax, ey = p->pt[2 * k + 1] - ay, d2;
            if (len2 > 0) {
                double cr = ex * dy - ey * dx;
                d2 = cr * cr / len2;
            } else {
                d2 = ex * ex + ey * ey;
            }
            if (d2 > worst) {
                worst = d2;
                at = k;
            }
        }
        if (worst > INK_TOL * INK_TOL) {
            p->keep[at] = 1;
            if (at - i > 1) {
                p->stack[top++] = (uint32_t)i;
                p->stack[top++] = (uint32_t)at;
            }
            if (j - at > 1) {
                p->stack[top++] = (uint32_t)at;
                p->stack[top++] = (uint32_t)j;
            }
        }
    }
}

/*
 * The signature: strokes scaled so that the points' bounding box fits the
 * cell keeping its aspect ratio (at most three times the whole canvas's
 * scale, so a short stroke is not blown up into a bar), centred, and
 * simplified (above).  Ink beyond IKR_INK_MAX_POINTS (not a checked ink) is
 * drawn without the simplification, since the scratch space is sized for a
 * checked one.
 */
static void draw_ink(ikr_roster_pdf *p, const ikr_ink *ink, double x, double y, double w, double h)
{
    cairo_t *cr = p->cr;
    if (!ink->npoints || !ink->nstrokes || !ink->xyt || !ink->stroke_end || !ink->w || !ink->h)
        return;
    uint32_t x0 = UINT32_MAX, y0 = UINT32_MAX, x1 = 0, y1 = 0;
    for (size_t i = 0; i < ink->npoints; i++) {
        uint32_t px = ink->xyt[3 * i], py = ink->xyt[3 * i + 1];
        x0 = px < x0 ? px : x0;
        x1 = px > x1 ? px : x1;
        y0 = py < y0 ? py : y0;
        y1 = py > y1 ? py : y1;
    }
    double bw = (double)(x1 - x0) + 1, bh = (double)(y1 - y0) + 1;
    double sw = w / bw, sh = h / bh, s = sw < sh ? sw : sh;
    double cw = w / ink->w, ch = h / ink->h, whole = cw < ch ? cw : ch;
    if (s > 3 * whole)
        s = 3 * whole;
    double ox = x + (w - bw * s) / 2 - x0 * s, oy = y + (h - bh * s) / 2 - y0 * s;
    int simple = ink->npoints <= IKR_INK_MAX_POINTS;
    if (simple) {
        for (size_t i = 0; i < ink->npoints; i++) {
            p->pt[2 * i] = ox + ink->xyt[3 * i] * s;
            p->pt[2 * i + 1] = oy + ink->xyt[3 * i + 1] * s;
        }
        memset(p->keep, 0, ink->npoints);
    }
    size_t start = 0;
    for (size_t k = 0; k < ink->nstrokes; k++) {
        size_t stop = ink->stroke_end[k];
        if (stop > ink->npoints || stop <= start)
            break;
        if (simple)
            simplify(p, start, stop);
        double px = ox + ink->xyt[3 * start] * s, py = oy + ink->xyt[3 * start + 1] * s;
        cairo_move_to(cr, px, py);
        if (stop - start == 1)
            cairo_line_to(cr, px, py); /* a dot: the round cap draws it */
        for (size_t i = start + 1; i < stop; i++)
            if (!simple || p->keep[i])
                cairo_line_to(cr, ox + ink->xyt[3 * i] * s, oy + ink->xyt[3 * i + 1] * s);
        start = stop;
    }
    /* Dark blue-black, as a pen signs. */
    cairo_set_source_rgb(cr, 0.05, 0.08, 0.35);
    cairo_set_line_width(cr, 0.75);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
}

static void draw_row(ikr_roster_pdf *p, const ikr_roster_pdf_entry *r)
{
    cairo_t *cr = p->cr;
    double y = p->y;
    char t[96];
    /* The rule under the row; the column rules come with the block's (close_block). */
    if (p->block_y0 < 0)
        p->block_y0 = y;
    cairo_move_to(cr, ML, y + RH);
    cairo_line_to(cr, ML + CW, y + RH);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);

    double b1 = y + 10, lead = 8.8;
#define CX(c) (ML + col_x[c] + PAD)
#define CWD(c) (col_x[(c) + 1] - col_x[c] - 2 * PAD)
    snprintf(t, sizeof t, "%llu", (unsigned long long)p->no);
    show(p, F_CELL, CX(C_NO), b1, t);
    if (p->multi) {
        clean_str(p->f_kiosk, sizeof p->f_kiosk, r->kiosk);
        cut(p, F_SMALL, p->f_kiosk, CWD(C_NO), p->line);
        show(p, F_SMALL, CX(C_NO), y + 20, p->line);
        snprintf(t, sizeof t, "#%llu", (unsigned long long)r->seq);
        cut(p, F_SMALL, t, CWD(C_NO), p->line);
        show(p, F_SMALL, CX(C_NO), y + 27.5, p->line);
    }
    clean_str(p->f_name, sizeof p->f_name, r->name);
    cell_text(p, F_CELL_B, p->f_name, CX(C_NAME), b1, CWD(C_NAME), 2, lead);
    clean_str(p->f_status, sizeof p->f_status, r->status);
    cut(p, F_SMALL, p->f_status, CWD(C_NAME), p->line);
    show(p, F_SMALL, CX(C_NAME), y + RH - 4.5, p->line);
    clean_str(p->f_nip, sizeof p->f_nip, r->nip);
    cut(p, F_MONO, p->f_nip[0] ? p->f_nip : "-", CWD(C_NIP), p->line);
    show(p, F_MONO, CX(C_NIP), b1, p->line);
    clean_str(p->f_pos, sizeof p->f_pos, r->pos);
    cell_text(p, F_CELL, p->f_pos[0] ? p->f_pos : "-", CX(C_POS), b1, CWD(C_POS), 3, lead);
    clean_str(p->f_pos, sizeof p->f_pos, r->unit);
    cell_text(p, F_CELL, p->f_pos[0] ? p->f_pos : "-", CX(C_UNIT), b1, CWD(C_UNIT), 3, lead);

    time_t local = (time_t)((int64_t)r->t + (int64_t)p->zone_min * 60);
    struct tm tm;
    if (gmtime_r(&local, &tm)) {
        snprintf(t, sizeof t, "%02d-%02d-%04d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
        show(p, F_CELL, CX(C_TIME), b1, t);
        snprintf(t, sizeof t, "%02d:%02d %s", tm.tm_hour, tm.tm_min, ikr_zone_name(p->zone_min));
        show(p, F_CELL, CX(C_TIME), b1 + lead, t);
    }
    if (r->ink)
        draw_ink(p, r->ink, CX(C_SIGN), y + 2, CWD(C_SIGN), RH - 4);
    else
        cell_text(p, F_ITAL, PURGED, CX(C_SIGN), b1, CWD(C_SIGN), 3, 8);
#undef CX
#undef CWD
    p->y += RH;
}

/* ---- the summary ---- */

static void summary_header(ikr_roster_pdf *p)
{
    cairo_t *cr = p->cr;
    if (p->draw) {
        cairo_rectangle(cr, ML, p->y, CW, S_ROW + 2);
        cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (int c = 1; c < S_N; c++) {
            cairo_move_to(cr, ML + scol_x[c], p->y);
            cairo_line_to(cr, ML + scol_x[c], p->y + S_ROW + 2);
        }
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
    for (int c = 0; c < S_N; c++)
        show_centre(p, F_HEAD, ML + scol_x[c], scol_x[c + 1] - scol_x[c], p->y + 12.5,
                    scol_title[c]);
    p->y += S_ROW + 2;
}

/* "87,5%" (a decimal comma), or "-" when nothing was expected. */
static void pct(char *out, size_t cap, uint64_t got, uint64_t want)
{
    if (!want) {
        snprintf(out, cap, "-");
        return;
    }
    unsigned long long tenths = (unsigned long long)((got * 1000 + want / 2) / want);
    snprintf(out, cap, "%llu,%llu%%", tenths / 10, tenths % 10);
}

static void summary_line(ikr_roster_pdf *p, const char *no, const char *name, int bold,
                         uint64_t got, int64_t want)
{
    char a[32], b[32], c[32];
    if (p->y + S_ROW > BOT) {
        page_end(p);
        summary_header(p);
    }
    if (p->draw) {
        cairo_t *cr = p->cr;
        cairo_rectangle(cr, ML, p->y, CW, S_ROW);
        for (int k = 1; k < S_N; k++) {
            cairo_move_to(cr, ML + scol_x[k], p->y);
            cairo_line_to(cr, ML + scol_x[k], p->y + S_ROW);
        }
        cairo_set_line_width(cr, bold ? 0.8 : 0.4);
        cairo_stroke(cr);
        int f = bold ? F_SUM_B : F_SUM;
        double base = p->y + 12.5;
        show(p, f, ML + PAD, base, no);
        if (name[0]) {
            cut(p, f, name, scol_x[S_UNIT + 1] - scol_x[S_UNIT] - 2 * PAD, p->line);
            show(p, f, ML + scol_x[S_UNIT] + PAD, base, p->line);
        } else {
            show(p, F_SUM_I, ML + scol_x[S_UNIT] + PAD, base, NO_UNIT);
        }
        show_right(p, f, ML + scol_x[S_SIGNED + 1] - PAD - 4, base, num(a, sizeof a, got));
        show_right(p, f, ML + scol_x[S_EXPECTED + 1] - PAD - 4, base,
                   want >= 0 ? num(b, sizeof b, (uint64_t)want) : "-");
        pct(c, sizeof c, got, want > 0 ? (uint64_t)want : 0);
        show_right(p, f, ML + scol_x[S_PCT + 1] - PAD - 4, base, c);
    }
    p->y += S_ROW;
}

/*
 * The summary: a line per unit (all of them, those without rows too), the
 * total, and a block for the organiser's signature and stamp.  The total's
 * expected count is known only when every unit's is.
 */
static void summary(ikr_roster_pdf *p)
{
    char no[32], t[LINE];
    uint64_t got = 0, want = 0;
    int known = p->nunits > 0;
    p->y = TOP;
    show_centre(p, F_TITLE, ML, CW, p->y + 14, "REKAPITULASI PER UNIT KERJA");
    cut(p, F_SUB, p->foot, CW, t);
    show_centre(p, F_TEXT, ML, CW, p->y + 30, t);
    p->y += S_TITLE;
    summary_header(p);
    for (size_t i = 0; i < p->nunits; i++) {
        const unit *u = &p->units[i];
        snprintf(no, sizeof no, "%zu", i + 1);
        summary_line(p, no, u->shown, 0, u->n, u->expected);
        got += u->n;
        if (u->expected >= 0)
            want += (uint64_t)u->expected;
        else
            known = 0;
    }
    summary_line(p, "", "JUMLAH", 1, got, known ? (int64_t)want : -1);

    if (p->y + 18 + S_SIGN > BOT)
        page_end(p);
    p->y += 18;
    double x = ML + CW - 220;
    if (p->place[0])
        snprintf(t, sizeof t, "%s, %s", p->place, p->made_day);
    else
        snprintf(t, sizeof t, "%s", p->made_day);
    cut(p, F_TEXT, t, 220, p->line);
    show(p, F_TEXT, x, p->y + 10, p->line);
    show(p, F_TEXT, x, p->y + 24, "Panitia Penyelenggara,");
    show(p, F_TEXT, x, p->y + 96, "(..........................................)");
    show(p, F_TEXT, x, p->y + 110, "NIP.");
    p->y += S_SIGN;
    page_end(p);
}

/* ---- the file ---- */

static int flush_out(ikr_roster_pdf *p)
{
    if (ikr_file_out_write(&p->out, p->obuf, p->olen, NULL)) {
        p->werr = p->out.err ? p->out.err : EIO;
        return -1;
    }
    p->olen = 0;
    return 0;
}

static cairo_status_t out_write(void *closure, const unsigned char *data, unsigned int len)
{
    ikr_roster_pdf *p = closure;
    while (len) {
        if (p->werr || (p->olen == OBUF && flush_out(p)))
            return CAIRO_STATUS_WRITE_ERROR;
        size_t k = OBUF - p->olen < len ? OBUF - p->olen : len;
        memcpy(p->obuf + p->olen, data, k);
        p->olen += k;
        data += k;
        len -= (unsigned)k;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* The error for the file's state: a failed write (full disk), or cairo's. */
static int file_err(ikr_roster_pdf *p, ikr_err *e)
{
    if (p->oom)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    if (p->werr)
        return ikr_err_set(
            e,
            p->werr == ENOSPC || p->werr == EDQUOT || p->werr == EFBIG ? IKR_E_DISK_FULL : IKR_E_IO,
            "%s: %s", p->path, strerror(p->werr));
    cairo_status_t st = p->cr ? cairo_status(p->cr) : CAIRO_STATUS_SUCCESS;
    if (st == CAIRO_STATUS_SUCCESS && p->sf)
        st = cairo_surface_status(p->sf);
    if (st == CAIRO_STATUS_SUCCESS)
        return IKR_OK;
    return ikr_err_set(e, st == CAIRO_STATUS_NO_MEMORY ? IKR_E_NOMEM : IKR_E_INTERNAL, "%s: %s",
                       p->path, cairo_status_to_string(st));
}

/* Remembers the first failure in p and hands it on. */
static int fail(ikr_roster_pdf *p, int rc, ikr_err *e)
{
    if (!p->rc) {
        p->rc = rc;
        if (e)
            p->err = *e;
        else
            p->err.code = rc;
    }
    return rc;
}

static void destroy(ikr_roster_pdf *p, int remove_tmp)
{
    if (p->cr)
        cairo_destroy(p->cr);
    if (p->sf) {
        /* finish writes the rest (to a file we are about to remove): stop it. */
        if (remove_tmp)
            p->werr = p->werr ? p->werr : ECANCELED;
        cairo_surface_finish(p->sf);
        cairo_surface_destroy(p->sf);
    }
    for (int i = 0; i < F_NFONTS; i++)
        if (p->font[i])
            cairo_scaled_font_destroy(p->font[i]);
    /* After a commit there is nothing left to remove; before one, the file goes. */
    ikr_file_out_abort(&p->out);
    free(p->obuf);
    free(p->units);
    free(p->names);
    free(p);
}

void ikr_roster_pdf_abort(ikr_roster_pdf *p)
{
    if (p)
        destroy(p, 1);
}

/*
 * A cairo face for the shipped font file `name`: a fontconfig pattern that
 * names only the file, so cairo opens exactly it, and nothing the host's
 * fontconfig would choose or configure takes part.  (ticket.c has its
 * twin: print and export share only the core.)
 */
static int face_open(cairo_font_face_t **out, const char *name, ikr_err *e)
{
    char path[PATH_MAX];
    int rc;
    *out = NULL;
    if ((rc = ikr_asset_path(path, sizeof path, name, e)))
        return rc;
    FcPattern *pat = FcPatternCreate();
    if (!pat || !FcPatternAddString(pat, FC_FILE, (const FcChar8 *)path) ||
        !FcPatternAddInteger(pat, FC_INDEX, 0)) {
        if (pat)
            FcPatternDestroy(pat);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    *out = cairo_ft_font_face_create_for_pattern(pat);
    FcPatternDestroy(pat);
    cairo_status_t st = cairo_font_face_status(*out);
    if (st == CAIRO_STATUS_SUCCESS)
        return IKR_OK;
    cairo_font_face_destroy(*out);
    *out = NULL;
    return ikr_err_set(e, st == CAIRO_STATUS_NO_MEMORY ? IKR_E_NOMEM : IKR_E_FONT, "%s: %s", path,
                       cairo_status_to_string(st));
}

static int make_fonts(ikr_roster_pdf *p, ikr_err *e)
{
    /* By mono, then italic, then bold: the four files the specs use. */
    enum { FACE_SANS, FACE_BOLD, FACE_OBLIQUE, FACE_MONO, FACE_N };
    static const char *const face_file[FACE_N] = {IKR_ASSET_FONT_SANS, IKR_ASSET_FONT_BOLD,
                                                  IKR_ASSET_FONT_OBLIQUE, IKR_ASSET_FONT_MONO};
    cairo_font_face_t *faces[FACE_N] = {NULL};
    int rc = IKR_OK;
    for (int i = 0; i < FACE_N && !rc; i++)
        rc = face_open(&faces[i], face_file[i], e);
    if (rc) {
        for (int i = 0; i < FACE_N; i++)
            if (faces[i])
                cairo_font_face_destroy(faces[i]);
        return rc;
    }
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_matrix_t ctm;
    cairo_matrix_init_identity(&ctm);
    /* Metrics as the PDF will have them, not snapped to a screen's pixels. */
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    for (int i = 0; i < F_NFONTS && !rc; i++) {
        cairo_font_face_t *face = faces[font_spec[i].mono     ? FACE_MONO
                                        : font_spec[i].italic ? FACE_OBLIQUE
                                        : font_spec[i].bold   ? FACE_BOLD
                                                              : FACE_SANS];
        cairo_matrix_t fm;
        cairo_matrix_init_scale(&fm, font_spec[i].size, font_spec[i].size);
        p->font[i] = cairo_scaled_font_create(face, &fm, &ctm, fo);
        cairo_status_t st = cairo_scaled_font_status(p->font[i]);
        if (st != CAIRO_STATUS_SUCCESS)
            rc = ikr_err_set(e, st == CAIRO_STATUS_NO_MEMORY ? IKR_E_NOMEM : IKR_E_FONT,
                             "cairo: %s", cairo_status_to_string(st));
    }
    cairo_font_options_destroy(fo);
    /* The scaled fonts hold their faces. */
    for (int i = 0; i < FACE_N; i++)
        cairo_font_face_destroy(faces[i]);
    return rc;
}

/* Copies the units: names kept raw (rows are matched against them) and cleaned (to draw). */
static int copy_units(ikr_roster_pdf *p, const ikr_roster_pdf_doc *d, ikr_err *e)
{
    size_t total = 0;
    for (size_t i = 0; i < d->nunits; i++) {
        const char *n = d->units[i].name ? d->units[i].name : "";
        total += strlen(n) + 1 + 4 * IKR_MAX_UNIT + 1;
        if (p->nrows + d->units[i].signed_n < p->nrows)
            return ikr_err_set(e, IKR_E_INTERNAL, "roster: too many rows");
        p->nrows += d->units[i].signed_n;
    }
    p->units = calloc(d->nunits ? d->nunits : 1, sizeof *p->units);
    p->names = malloc(total ? total : 1);
    if (!p->units || !p->names)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    char *w = p->names;
    for (size_t i = 0; i < d->nunits; i++) {
        const char *n = d->units[i].name ? d->units[i].name : "";
        size_t len = strlen(n);
        unit *u = &p->units[i];
        memcpy(w, n, len + 1);
        u->name = w;
        w += len + 1;
        clean(w, 4 * IKR_MAX_UNIT + 1, n, len);
        u->shown = w;
        w += strlen(w) + 1;
        u->n = d->units[i].signed_n;
        u->expected = d->units[i].expected < 0 ? -1 : d->units[i].expected;
    }
    p->nunits = d->nunits;
    return IKR_OK;
}

int ikr_roster_pdf_begin(ikr_roster_pdf **out, const char *path, const ikr_roster_pdf_doc *d,
                         ikr_err *e)
{
    int rc;
    *out = NULL;
    if (!path || !d)
        return ikr_err_set(e, IKR_E_INTERNAL, "roster: no path or document");
    if (d->nunits > IKR_ROSTER_PDF_MAX_UNITS)
        return ikr_err_set(e, IKR_E_INTERNAL, "roster: %zu units, at most %d", d->nunits,
                           IKR_ROSTER_PDF_MAX_UNITS);
    if (d->nkiosks > IKR_ROSTER_PDF_MAX_KIOSKS)
        return ikr_err_set(e, IKR_E_INTERNAL, "roster: %zu kiosks, at most %d", d->nkiosks,
                           IKR_ROSTER_PDF_MAX_KIOSKS);
    if ((d->nunits && !d->units) || (d->nkiosks && !d->kiosks) || (d->decl_len && !d->decl))
        return ikr_err_set(e, IKR_E_INTERNAL, "roster: a count without its array");
    if (d->decl_len > IKR_MAX_DECL)
        return ikr_err_set(e, IKR_E_INTERNAL, "roster: declaration of %zu bytes", d->decl_len);

    ikr_roster_pdf *p = calloc(1, sizeof *p);
    if (!p)
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    p->out.fd = -1;
    p->block_y0 = -1;
    if (snprintf(p->path, sizeof p->path, "%s", path) >= (int)sizeof p->path) {
        destroy(p, 0);
        return ikr_err_set(e, IKR_E_IO, "%s", path);
    }
    p->zone_min =
        d->zone_min == IKR_ZONE_WITA || d->zone_min == IKR_ZONE_WIT ? d->zone_min : IKR_ZONE_WIB;
    p->multi = d->nkiosks > 1;
    p->doc = d;
    {
        char t[FIELD], id[FIELD];
        clean_str(t, sizeof t, d->title);
        clean_str(id, sizeof id, d->event_id);
        snprintf(p->foot, sizeof p->foot, "%s%s%s", t, id[0] ? " \xE2\x80\x94 ID acara " : "", id);
    }
    clean_str(p->place, sizeof p->place, d->place);
    long_time(p->made, sizeof p->made, d->made, p->zone_min);
    snprintf(p->made_day, sizeof p->made_day, "%.*s", (int)strcspn(p->made, ","), p->made);
    p->obuf = malloc(OBUF);
    if (!p->obuf) {
        destroy(p, 0);
        return ikr_err_set(e, IKR_E_NOMEM, NULL);
    }
    if ((rc = copy_units(p, d, e)) || (rc = make_fonts(p, e))) {
        destroy(p, 0);
        return rc;
    }

    /* Count: the cover and the summary by measuring, the table from the counts. */
    p->draw = 0;
    p->pages = UINT64_MAX;
    cover(p);
    uint64_t cover_pages = p->page;
    p->page = 0;
    summary(p);
    uint64_t summary_pages = p->page;
    p->page = 0;
    p->pages = cover_pages + table_pages(p->units, p->nunits) + summary_pages;

    /* 0600 from the start: the roster is personal data. */
    if ((rc = ikr_file_out_open(&p->out, path, 0600, 0, e))) {
        destroy(p, 0);
        return rc;
    }
    if (fchmod(p->out.fd, 0600) != 0) {
        rc = ikr_err_set(e, IKR_E_IO, "%s: %s", p->out.tmp, strerror(errno));
        destroy(p, 1);
        return rc;
    }
    p->sf = cairo_pdf_surface_create_for_stream(out_write, p, PAGE_W, PAGE_H);
    char date[40], title[FIELD];
    time_t made = (time_t)d->made;
    struct tm tm;
    /* The document's own time, so making it again gives the same file. */
    if (gmtime_r(&made, &tm)) {
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    }
    clean_str(title, sizeof title, d->title);
    cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->sf, CAIRO_PDF_METADATA_CREATOR, "ikrar");
    p->cr = cairo_create(p->sf);
    cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);

    p->draw = 1;
    cover(p);
    p->doc = NULL;
    p->ui = 0;
    p->left = p->nunits ? p->units[0].n : 0;
    if ((rc = file_err(p, e))) {
        destroy(p, 1);
        return rc;
    }
    *out = p;
    return IKR_OK;
}

int ikr_roster_pdf_row(ikr_roster_pdf *p, const ikr_roster_pdf_entry *r, ikr_err *e)
{
    if (p->rc) {
        if (e)
            *e = p->err;
        return p->rc;
    }
    /* The next unit that still has rows to come. */
    int fresh = 0;
    while (p->ui < p->nunits && p->left == 0) {
        if (++p->ui < p->nunits)
            p->left = p->units[p->ui].n;
        fresh = 1;
    }
    if (p->no == 0 && p->left)
        fresh = 1;
    if (p->ui >= p->nunits)
        return fail(p,
                    ikr_err_set(e, IKR_E_INTERNAL, "roster: more than the %llu rows declared",
                                (unsigned long long)p->nrows),
                    e);
    const unit *u = &p->units[p->ui];
    const char *runit = r->unit ? r->unit : "";
    if (strcmp(runit, u->name) != 0)
        return fail(p,
                    ikr_err_set(e, IKR_E_INTERNAL,
                                "roster: row %llu (seq %llu) is not in unit %zu, as declared",
                                (unsigned long long)p->no + 1, (unsigned long long)r->seq,
                                p->ui + 1),
                    e);
    /* The same breaks table_pages counted. */
    if (!p->table_open) {
        table_page(p);
    }
    if (fresh) {
        close_block(p);
        if (p->y + UH + RH > BOT) {
            page_end(p);
            table_page(p);
        }
        unit_heading(p, u, 0);
    } else if (p->y + RH > BOT) {
        close_block(p);
        page_end(p);
        table_page(p);
        unit_heading(p, u, 1);
    }
    p->no++;
    draw_row(p, r);
    p->left--;
    int rc = file_err(p, e);
    return rc ? fail(p, rc, e) : IKR_OK;
}

int ikr_roster_pdf_end(ikr_roster_pdf *p, ikr_err *e)
{
    int rc;
    if (!p)
        return ikr_err_set(e, IKR_E_INTERNAL, "roster: nothing begun");
    if (p->rc) {
        if (e)
            *e = p->err;
        rc = p->rc;
        destroy(p, 1);
        return rc;
    }
    if (p->no != p->nrows) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "roster: %llu rows of the %llu declared",
                         (unsigned long long)p->no, (unsigned long long)p->nrows);
        destroy(p, 1);
        return rc;
    }
    if (p->table_open) {
        close_block(p);
        page_end(p);
    }
    summary(p);
    if (p->page != p->pages) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "roster: %llu pages drawn, %llu counted",
                         (unsigned long long)p->page, (unsigned long long)p->pages);
        destroy(p, 1);
        return rc;
    }
    cairo_destroy(p->cr);
    p->cr = NULL;
    cairo_surface_finish(p->sf);
    if ((rc = file_err(p, e)) || (rc = flush_out(p) ? file_err(p, e) : IKR_OK)) {
        destroy(p, 1);
        return rc;
    }
    /* fsync, rename over path, fsync the folder; on failure the file is removed. */
    if ((rc = ikr_file_out_commit(&p->out, e))) {
        destroy(p, 1);
        return rc;
    }
    destroy(p, 0);
    return IKR_OK;
}
