/*
 * ticket.c: the paper receipt's layout (see ticket.h), drawn with cairo.
 *
 * One layout function draws the whole receipt on any cairo context, in
 * units of printer dots across `w`: first on a one-row surface to learn the
 * height, then on the real A8 surface (thermal raster) or scaled onto an A6
 * PDF page.  Text is drawn without antialiasing so a thermal head's dots are
 * crisp; the raster is the A8 surface thresholded at half.  The QR's modules
 * are whole-dot rectangles at whole-dot positions, so thresholding keeps
 * them exact, and the quiet zone is never drawn on.
 *
 * Why cairo and not FreeType directly: cairo lays out UTF-8 text through
 * FreeType for us, and the same drawing code gives the A6 PDF the issue
 * asks for (and a PNG writer).  The letters are the files ikrar ships
 * (assets/fonts), handed to cairo's FreeType backend by path, so no host
 * font can stand in for them; layout finds them on its cairo context.
 */
#include "ikrar/ticket.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikrar/assets.h"
#include "ikrar/file.h"
#include "ikrar/qr.h"
#include "ikrar/station.h"
#include "ikrar/zone.h"

#define A6_W_PT 297.64 /* 105 mm */
#define A6_H_PT 419.53 /* 148 mm */
#define A6_MARGIN_PT 17.0

void ikr_ticket_info_init(ikr_ticket_info *in)
{
    memset(in, 0, sizeof *in);
    in->utc_offset_min = 7 * 60;
    ikr_buf_init(&in->text);
}

void ikr_ticket_info_free(ikr_ticket_info *in)
{
    if (in)
        ikr_buf_free(&in->text);
}

int ikr_ticket_info_load(ikr_ticket_info *in, ikr_station *s, uint64_t seq, ikr_err *e)
{
    ikr_log_row row;
    ikr_buf vk;
    ikr_receipt r;
    int rc;
    ikr_log_row_init(&row);
    ikr_buf_init(&vk);
    ikr_buf_reset(&in->text);
    if ((rc = ikr_station_receipt(s, seq, &in->text, e)) || (rc = ikr_station_get(s, seq, &row, e)))
        goto out;
    if ((rc = ikr_receipt_parse(&r, NULL, (const char *)in->text.p, in->text.len - 1, e)))
        goto out;
    snprintf(in->title, sizeof in->title, "%s", ikr_station_event(s)->title);
    in->utc_offset_min = ikr_station_event(s)->zone_min;
    in->seq = r.seq;
    in->t = r.t;
    snprintf(in->nip, sizeof in->nip, "%s", r.nip);
    snprintf(in->name, sizeof in->name, "%s", row.who.name);
    snprintf(in->pos, sizeof in->pos, "%s", row.who.pos);
    snprintf(in->unit, sizeof in->unit, "%s", row.who.unit);
    /* The verifier key line is ikrar/EVENT/KIOSK+HASH8+KEY: show HASH8. */
    if ((rc = ikr_station_vkey(s, &vk)) || ikr_buf_addc(&vk, 0)) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    const char *plus = strchr((const char *)vk.p, '+');
    snprintf(in->fpr, sizeof in->fpr, "%.8s", plus ? plus + 1 : "");
out:
    ikr_log_row_free(&row);
    ikr_buf_free(&vk);
    return rc;
}

/* The receipt's faces, regular and bold, from assets/fonts. */
typedef struct faces {
    cairo_font_face_t *face[2];
} faces;

/* The key under which a cairo context being laid out carries its faces. */
static const cairo_user_data_key_t faces_key = {0};

/*
 * A cairo face for the shipped font file `name`: a fontconfig pattern that
 * names only the file, so cairo opens exactly it, and nothing the host's
 * fontconfig would choose or configure takes part.
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

static void faces_close(faces *f)
{
    for (int i = 0; i < 2; i++)
        if (f->face[i])
            cairo_font_face_destroy(f->face[i]);
    memset(f, 0, sizeof *f);
}

static int faces_open(faces *f, ikr_err *e)
{
    int rc;
    memset(f, 0, sizeof *f);
    if ((rc = face_open(&f->face[0], IKR_ASSET_FONT_SANS, e)) ||
        (rc = face_open(&f->face[1], IKR_ASSET_FONT_BOLD, e)))
        faces_close(f);
    return rc;
}

/* Gives cr the faces para draws with; they must outlive cr's drawing. */
static void faces_attach(cairo_t *cr, faces *f)
{
    cairo_set_user_data(cr, &faces_key, f, NULL);
}

/* Where the layout put the QR, in layout units. */
typedef struct geom {
    double qr_x, qr_y, qr_side, text_y1, height;
} geom;

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static size_t utf8_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

static double text_w(cairo_t *cr, const char *s)
{
    cairo_text_extents_t x;
    cairo_text_extents(cr, s, &x);
    return x.x_advance;
}

/*
 * Draws text wrapped at spaces to width w from x0, centred or left, one
 * line every `lead` units, starting with the baseline at *y + size; a word
 * wider than the line is broken between characters.  Advances *y.
 */
static void para(cairo_t *cr, const char *text, double x0, double w, double *y, double size,
                 int bold, int centre)
{
    char line[1024];
    const faces *f = cairo_get_user_data(cr, &faces_key);
    if (!f)
        return; /* a context cairo could not make: its error status tells */
    cairo_set_font_face(cr, f->face[bold ? 1 : 0]);
    cairo_set_font_size(cr, size);
    double lead = size * 1.25;
    const char *p = text;
    while (*p == ' ')
        p++;
    while (*p) {
        /* Greedy: take words while they fit; else characters of the first word. */
        size_t n = 0, fit = 0;
        while (p[n]) {
            size_t m = n;
            while (p[m] == ' ')
                m++;
            size_t end = m;
            while (p[end] && p[end] != ' ')
                end++;
            if (end >= sizeof line)
                break;
            memcpy(line, p, end);
            line[end] = 0;
            if (text_w(cr, line) > w)
                break;
            fit = n = end;
        }
        if (fit == 0) {
            /* One word too wide: as many characters as fit, at least one. */
            size_t k = utf8_len(p);
            while (p[k] && p[k] != ' ' && k < sizeof line - 4) {
                size_t step = utf8_len(p + k);
                memcpy(line, p, k + step);
                line[k + step] = 0;
                if (text_w(cr, line) > w)
                    break;
                k += step;
            }
            fit = k;
        }
        memcpy(line, p, fit);
        line[fit] = 0;
        double lw = text_w(cr, line);
        cairo_move_to(cr, centre ? x0 + (w - lw) / 2 : x0, *y + size);
        cairo_show_text(cr, line);
        *y += lead;
        p += fit;
        while (*p == ' ')
            p++;
    }
}

static void rule(cairo_t *cr, double x0, double w, double *y, double unit)
{
    cairo_rectangle(cr, x0, *y + unit, w, unit / 2 < 1 ? 1 : (int)(unit / 2));
    cairo_fill(cr);
    *y += unit * 3;
}

static const char *const months[12] = {"Januari",   "Februari", "Maret",    "April",
                                       "Mei",       "Juni",     "Juli",     "Agustus",
                                       "September", "Oktober",  "November", "Desember"};

/* "30 September 2024, 16:53 WIB" in the kiosk's zone. */
static void when_text(char *out, size_t n, uint64_t t, int offset_min)
{
    time_t local = (time_t)t + (time_t)offset_min * 60;
    struct tm tm;
    gmtime_r(&local, &tm);
    const char *zone = ikr_zone_name(offset_min);
    snprintf(out, n, "%d %s %d, %02d:%02d %s", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, zone);
}

/*
 * Draws the receipt on cr across w units (a dot each on paper), the QR at
 * `module` units a module.  Fills g.  Text sizes follow the width, so 80 mm
 * paper gets larger letters, not longer lines.
 */
static void layout(cairo_t *cr, const ikr_ticket_info *in, const ikr_qr *q, double w, int module,
                   geom *g)
{
    double k = w / IKR_TICKET_58MM, m = 8 * k, tw = w - 2 * m, y = 6 * k;
    char buf[160];
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    para(cr, in->title, m, tw, &y, 22 * k, 1, 1);
    rule(cr, m, tw, &y, 4 * k);
    para(cr, "Tanda Terima Deklarasi", m, tw, &y, 20 * k, 1, 1);
    y += 4 * k;
    snprintf(buf, sizeof buf, "Nomor %llu", (unsigned long long)in->seq);
    para(cr, buf, m, tw, &y, 22 * k, 1, 1);
    y += 6 * k;
    para(cr, in->name, m, tw, &y, 20 * k, 1, 0);
    if (in->nip[0]) {
        snprintf(buf, sizeof buf, "NIP %s", in->nip);
        para(cr, buf, m, tw, &y, 17 * k, 0, 0);
    }
    if (in->pos[0])
        para(cr, in->pos, m, tw, &y, 17 * k, 0, 0);
    if (in->unit[0])
        para(cr, in->unit, m, tw, &y, 17 * k, 0, 0);
    when_text(buf, sizeof buf, in->t, in->utc_offset_min);
    para(cr, buf, m, tw, &y, 17 * k, 0, 0);
    g->text_y1 = y;
    y += 2 * k;

    /* The QR, centred, its quiet zone left as it is (white). */
    double side = (double)(q->width + 2 * IKR_QR_QUIET) * module;
    double qx = (double)(int)((w - side) / 2), qy = (double)(int)(y + 0.5);
    for (int r = 0; r < q->width; r++)
        for (int c = 0; c < q->width; c++)
            if (q->dark[r * q->width + c])
                cairo_rectangle(cr, qx + (c + IKR_QR_QUIET) * module,
                                qy + (r + IKR_QR_QUIET) * module, module, module);
    cairo_fill(cr);
    g->qr_x = qx;
    g->qr_y = qy;
    g->qr_side = side;
    y = qy + side;

    para(cr, "Pindai untuk verifikasi", m, tw, &y, 17 * k, 1, 1);
    snprintf(buf, sizeof buf, "Kunci kiosk %s", in->fpr[0] ? in->fpr : "-");
    para(cr, buf, m, tw, &y, 14 * k, 0, 1);
    g->height = y + 16 * k;
}

static int cairo_failed(cairo_t *cr, ikr_err *e)
{
    cairo_status_t st = cairo_status(cr);
    if (st == CAIRO_STATUS_SUCCESS)
        return 0;
    return ikr_err_set(e, st == CAIRO_STATUS_NO_MEMORY ? IKR_E_NOMEM : IKR_E_FONT, "cairo: %s",
                       cairo_status_to_string(st));
}

/* Dots a module for a QR q on paper w dots wide, or 0 when it cannot keep IKR_TICKET_MIN_MODULE. */
static int module_for(const ikr_qr *q, int w)
{
    int mod = w / (q->width + 2 * IKR_QR_QUIET);
    if (mod > IKR_TICKET_MAX_MODULE)
        mod = IKR_TICKET_MAX_MODULE;
    return mod < IKR_TICKET_MIN_MODULE ? 0 : mod;
}

int ikr_ticket_render(ikr_ticket *t, const ikr_ticket_info *in, int width, ikr_err *e)
{
    ikr_qr q;
    geom g;
    cairo_surface_t *sf = NULL;
    cairo_t *cr = NULL;
    cairo_font_options_t *fo = NULL;
    faces fc;
    int rc;
    memset(t, 0, sizeof *t);
    memset(&q, 0, sizeof q);
    memset(&fc, 0, sizeof fc);
    if (width != IKR_TICKET_58MM && width != IKR_TICKET_80MM)
        return ikr_err_set(e, IKR_E_INTERNAL, "paper of %d dots", width);
    if (in->text.len < 2)
        return ikr_err_set(e, IKR_E_INTERNAL, "no receipt text");
    if ((rc = ikr_qr_encode(&q, (const char *)in->text.p, e)))
        return rc;
    int mod = module_for(&q, width);
    if (!mod) {
        rc = ikr_err_set(e, IKR_E_INTERNAL, "QR of %d modules on %d dots", q.width, width);
        goto out;
    }
    if ((rc = faces_open(&fc, e)))
        goto out;
    fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_NONE);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_FULL);
    /* Pass one: measure on a one-row surface. */
    for (int pass = 0; pass < 2; pass++) {
        int h = pass == 0 ? 1 : (int)(g.height + 0.999);
        if (pass == 1 && h > IKR_TICKET_MAX_HEIGHT) {
            rc = ikr_err_set(e, IKR_E_INTERNAL, "receipt of %d dots", h);
            goto out;
        }
        cairo_destroy(cr);
        cairo_surface_destroy(sf);
        sf = cairo_image_surface_create(CAIRO_FORMAT_A8, width, h);
        cr = cairo_create(sf);
        faces_attach(cr, &fc);
        cairo_set_font_options(cr, fo);
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
        layout(cr, in, &q, width, mod, &g);
        if ((rc = cairo_failed(cr, e)))
            goto out;
    }
    cairo_surface_flush(sf);
    t->width = width;
    t->height = cairo_image_surface_get_height(sf);
    t->stride = width / 8;
    t->module = mod;
    t->qr_x = (int)g.qr_x;
    t->qr_y = (int)g.qr_y;
    t->qr_side = (int)g.qr_side;
    t->text_y1 = (int)g.text_y1;
    t->bits = calloc((size_t)t->height, (size_t)t->stride);
    if (!t->bits) {
        rc = ikr_err_set(e, IKR_E_NOMEM, NULL);
        goto out;
    }
    const unsigned char *px = cairo_image_surface_get_data(sf);
    int ss = cairo_image_surface_get_stride(sf);
    for (int y = 0; y < t->height; y++)
        for (int x = 0; x < width; x++)
            if (px[(size_t)y * (size_t)ss + (size_t)x] >= 128)
                t->bits[(size_t)y * (size_t)t->stride + (size_t)(x >> 3)] |=
                    (uint8_t)(0x80 >> (x & 7));
    rc = IKR_OK;
out:
    if (rc)
        ikr_ticket_free(t);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    cairo_font_options_destroy(fo);
    faces_close(&fc);
    ikr_qr_free(&q);
    return rc;
}

void ikr_ticket_free(ikr_ticket *t)
{
    if (!t)
        return;
    free(t->bits);
    memset(t, 0, sizeof *t);
}

int ikr_ticket_dot(const ikr_ticket *t, int x, int y)
{
    if (x < 0 || y < 0 || x >= t->width || y >= t->height)
        return 0;
    return (t->bits[(size_t)y * (size_t)t->stride + (size_t)(x >> 3)] >> (7 - (x & 7))) & 1;
}

/* cairo's bytes go to the temporary file (file.h); a failed write stops cairo. */
static cairo_status_t file_write(void *closure, const unsigned char *data, unsigned int len)
{
    return ikr_file_out_write(closure, data, len, NULL) ? CAIRO_STATUS_WRITE_ERROR
                                                        : CAIRO_STATUS_SUCCESS;
}

/*
 * Commits out after cairo's verdict st: the file replaces path, synced, or
 * on any failure is removed and path is as it was.
 */
static int finish_file(ikr_file_out *out, const char *path, cairo_status_t st, ikr_err *e)
{
    if (st != CAIRO_STATUS_SUCCESS && !out->rc) {
        ikr_file_out_abort(out);
        return ikr_err_set(e, st == CAIRO_STATUS_NO_MEMORY ? IKR_E_NOMEM : IKR_E_IO, "%s: %s", path,
                           cairo_status_to_string(st));
    }
    return ikr_file_out_commit(out, e); /* an earlier write's failure is reported here */
}

int ikr_ticket_write_png(const ikr_ticket *t, const char *path, ikr_err *e)
{
    ikr_file_out out;
    int rc = ikr_file_out_open(&out, path, 0600, 0, e);
    if (rc)
        return rc;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, t->width, t->height);
    cairo_status_t st = cairo_surface_status(sf);
    if (st == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(sf);
        unsigned char *px = cairo_image_surface_get_data(sf);
        int ss = cairo_image_surface_get_stride(sf);
        for (int y = 0; y < t->height; y++) {
            uint32_t *row = (uint32_t *)(void *)(px + (size_t)y * (size_t)ss);
            for (int x = 0; x < t->width; x++)
                row[x] = ikr_ticket_dot(t, x, y) ? 0x000000u : 0xFFFFFFu;
        }
        cairo_surface_mark_dirty(sf);
        st = cairo_surface_write_to_png_stream(sf, file_write, &out);
    }
    cairo_surface_destroy(sf);
    return finish_file(&out, path, st, e);
}

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int len)
{
    return ikr_buf_add(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

/*
 * Draws in as the A6 page on a PDF surface whose bytes go to wr(closure):
 * a file, or a buffer (a print server takes the bytes, no file needed).
 * Returns a QR error itself; cairo's verdict comes back in *st.
 */
static int draw_pdf(const ikr_ticket_info *in, cairo_write_func_t wr, void *closure,
                    cairo_status_t *st, ikr_err *e)
{
    char date[40];
    ikr_qr q;
    geom g;
    faces fc;
    int rc;
    memset(&q, 0, sizeof q);
    if (in->text.len < 2)
        return ikr_err_set(e, IKR_E_INTERNAL, "no receipt text");
    if ((rc = faces_open(&fc, e)))
        return rc;
    if ((rc = ikr_qr_encode(&q, (const char *)in->text.p, e))) {
        faces_close(&fc);
        return rc;
    }
    int mod = module_for(&q, IKR_TICKET_80MM);
    if (!mod) {
        ikr_qr_free(&q);
        faces_close(&fc);
        return ikr_err_set(e, IKR_E_INTERNAL, "QR of %d modules", q.width);
    }
    /* Measure at 80 mm units, then scale that onto the page. */
    cairo_surface_t *m = cairo_image_surface_create(CAIRO_FORMAT_A8, IKR_TICKET_80MM, 1);
    cairo_t *cr = cairo_create(m);
    faces_attach(cr, &fc);
    layout(cr, in, &q, IKR_TICKET_80MM, mod, &g);
    cairo_destroy(cr);
    cairo_surface_destroy(m);
    double s = (A6_W_PT - 2 * A6_MARGIN_PT) / IKR_TICKET_80MM;
    if (g.height * s > A6_H_PT - 2 * A6_MARGIN_PT)
        s = (A6_H_PT - 2 * A6_MARGIN_PT) / g.height;

    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(wr, closure, A6_W_PT, A6_H_PT);
    /* The record's own time, so a reprint makes the same file. */
    time_t tt = (time_t)in->t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, "Tanda Terima Deklarasi");
    cr = cairo_create(pdf);
    faces_attach(cr, &fc);
    cairo_translate(cr, (A6_W_PT - IKR_TICKET_80MM * s) / 2, A6_MARGIN_PT);
    cairo_scale(cr, s, s);
    layout(cr, in, &q, IKR_TICKET_80MM, mod, &g);
    cairo_show_page(cr);
    *st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (*st == CAIRO_STATUS_SUCCESS)
        *st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    ikr_qr_free(&q);
    faces_close(&fc);
    return IKR_OK;
}

int ikr_ticket_write_pdf(const ikr_ticket_info *in, const char *path, ikr_err *e)
{
    ikr_file_out out;
    cairo_status_t st;
    int rc;
    if ((rc = ikr_file_out_open(&out, path, 0600, 0, e)))
        return rc;
    if ((rc = draw_pdf(in, file_write, &out, &st, e))) {
        ikr_file_out_abort(&out);
        return rc;
    }
    return finish_file(&out, path, st, e);
}

int ikr_ticket_pdf(const ikr_ticket_info *in, ikr_buf *out, ikr_err *e)
{
    cairo_status_t st;
    int rc = draw_pdf(in, buf_write, out, &st, e);
    if (rc)
        return rc;
    if (st != CAIRO_STATUS_SUCCESS || out->oom)
        return ikr_err_set(e,
                           st == CAIRO_STATUS_NO_MEMORY || out->oom ? IKR_E_NOMEM : IKR_E_INTERNAL,
                           "PDF: %s", cairo_status_to_string(st));
    return IKR_OK;
}

void ikr_ticket_release_caches(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
