/*
 * screens.c: what each screen of the kiosk looks like, as a function of the
 * app's state and the window size.  Layout is in units of u, a 28th of the
 * window's shorter side, so the same screens fit 800x480 panels and 4K ones,
 * landscape and portrait; touch targets are never smaller than 2.5 u.
 * Building a frame only fills the draw list: no allocation, no I/O.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app_state.h"
#include "ikrar/clock.h"
#include "ikrar/receipt.h"
#include "ikrar/zone.h"

/* The colours: one accent, high contrast. */
static const kd_color C_BG = {245, 246, 248, 255};
static const kd_color C_PANEL = {255, 255, 255, 255};
static const kd_color C_TEXT = {26, 29, 35, 255};
static const kd_color C_MUTED = {88, 96, 110, 255};
static const kd_color C_ACCENT = {11, 92, 173, 255};
static const kd_color C_ACCENT_DOWN = {6, 60, 117, 255};
static const kd_color C_ON_ACCENT = {255, 255, 255, 255};
static const kd_color C_LINE = {196, 202, 211, 255};
static const kd_color C_DISABLED = {214, 218, 224, 255};
static const kd_color C_DISABLED_TEXT = {104, 111, 123, 255};
static const kd_color C_ERROR = {179, 38, 30, 255};
static const kd_color C_OK = {22, 122, 60, 255};
static const kd_color C_INK = {16, 32, 90, 255};
static const kd_color C_NOTE = {231, 240, 250, 255}; /* behind what the kiosk filled in */
static const kd_color C_WARN = {138, 76, 0, 255};    /* a doubt to check, not a refusal */
/* The keyboard's key outlines: 4.1:1 against C_BG, WCAG's 3:1 for controls and more. */
static const kd_color C_KEY_LINE = {112, 120, 132, 255};
static const kd_color C_CALL = {255, 196, 0, 255}; /* "Petugas dipanggil", flashing with C_ERROR */

enum btn_style { B_PRIMARY, B_SECONDARY, B_DISABLED };

/* Groups a NIP as it is printed: 8 6 1 3. */
static void nip_grouped(char *out, size_t n, const char *nip, int placeholders)
{
    size_t o = 0, len = strlen(nip);
    for (size_t i = 0; i < IKR_NIP_LEN && o + 2 < n; i++) {
        if (i == 8 || i == 14 || i == 15)
            out[o++] = ' ';
        if (i < len)
            out[o++] = nip[i];
        else if (placeholders)
            out[o++] = '_';
        else
            break;
    }
    out[o] = '\0';
}

typedef struct ctx {
    app *a;
    kd_list *l;
    const kd_measure *m;
    int u, w, h;
} ctx;

static int text_w(const ctx *c, int font, const char *s, int n)
{
    return c->m->width(c->m->ctx, font, s, n < 0 ? (int)strlen(s) : n);
}

static int font_h(const ctx *c, int font)
{
    return c->m->height(c->m->ctx, font);
}

/*
 * A rounded box with an outline: the line colour filled, then the fill
 * inset by the line's thickness, so outlines follow the rounded corners.
 */
static void outlined(ctx *c, int x, int y, int w, int h, int radius, int thick, kd_color fill,
                     kd_color line)
{
    kd_rect(c->l, x, y, w, h, radius, line);
    kd_rect(c->l, x + thick, y + thick, w - 2 * thick, h - 2 * thick,
            radius > thick ? radius - thick : 0, fill);
}

/* The largest face, from font down, in which s fits width px. */
static int fit_font(const ctx *c, int font, const char *s, int width)
{
    while (font > KD_FONT_SMALL && text_w(c, font, s, -1) > width)
        font--;
    return font;
}

/* 1 while a finger is down on button b (key idx). */
static int held(const ctx *c, enum kbtn b, int idx)
{
    return c->a->down && c->a->pressed == b && c->a->pressed_idx == idx;
}

static void button(ctx *c, enum kbtn id, int x, int y, int w, int h, const char *label, int style)
{
    int pressed = held(c, id, 0) && style != B_DISABLED;
    kd_color bg = style == B_PRIMARY     ? (pressed ? C_ACCENT_DOWN : C_ACCENT)
                  : style == B_SECONDARY ? (pressed ? C_DISABLED : C_PANEL)
                                         : C_DISABLED;
    kd_color fg = style == B_PRIMARY     ? C_ON_ACCENT
                  : style == B_SECONDARY ? C_ACCENT
                                         : C_DISABLED_TEXT;
    if (style == B_SECONDARY)
        outlined(c, x, y, w, h, c->u / 2, c->u / 8 > 2 ? c->u / 8 : 2, bg, C_ACCENT);
    else
        kd_rect(c->l, x, y, w, h, c->u / 2, bg);
    int pad = c->u / 2, font = fit_font(c, KD_FONT_LARGE, label, w - 2 * pad);
    if (text_w(c, font, label, -1) > w - 2 * pad)
        pad = c->u / 8; /* a narrow key in large text: its word takes the margins too */
    kd_text(c->l, x + pad, y, w - 2 * pad, h, font, KD_CENTER, fg, label, -1);
    kd_hit_add(c->l, id, 0, x, y, w, h);
}

/*
 * Greedy word wrap of s[0..n) into lines of at most width px; calls out()
 * for each line.  Explicit newlines break lines; an over-long word is cut
 * at a character boundary.  Returns the number of lines.
 */
static int wrap(const ctx *c, int font, const char *s, int n, int width,
                void (*out)(void *, int, int), void *arg)
{
    int lines = 0, i = 0;
    while (i < n) {
        int start = i, fit = -1, j = i;
        /* Take whole words while the line still fits. */
        while (j < n && s[j] != '\n') {
            int k = j;
            while (k < n && s[k] != ' ' && s[k] != '\n')
                k++;
            if (text_w(c, font, s + start, k - start) > width)
                break;
            fit = k;
            j = k;
            while (j < n && s[j] == ' ')
                j++;
        }
        int end = start;
        if (fit >= 0) {
            end = fit;
        } else if (s[start] != '\n') {
            /* One word wider than the line: cut it, whole characters only. */
            do
                end++;
            while (end < n && ((unsigned char)s[end] & 0xc0) == 0x80);
            for (;;) {
                int next = end;
                if (next >= n || s[next] == ' ' || s[next] == '\n')
                    break;
                do
                    next++;
                while (next < n && ((unsigned char)s[next] & 0xc0) == 0x80);
                if (text_w(c, font, s + start, next - start) > width)
                    break;
                end = next;
            }
        }
        out(arg, start, end - start);
        lines++;
        i = end;
        while (i < n && s[i] == ' ')
            i++;
        if (i < n && s[i] == '\n')
            i++;
    }
    return lines;
}

struct wrap_out {
    const ctx *c;
    const char *base;
    int x, y, w, line_h, font, align, max;
    kd_color color;
    int n;
};

static void emit_line(void *arg, int off, int len)
{
    struct wrap_out *o = arg;
    if (o->n < o->max)
        kd_text(o->c->l, o->x, o->y + o->n * o->line_h, o->w, o->line_h, o->font, o->align,
                o->color, o->base + off, len);
    o->n++;
}

/* Draws wrapped text from (x, y), at most max lines; returns the height used. */
static int paragraph(ctx *c, int x, int y, int w, int font, int align, kd_color color,
                     const char *s, int max)
{
    struct wrap_out o = {c, s, x, y, w, font_h(c, font) * 6 / 5, font, align, max, color, 0};
    wrap(c, font, s, (int)strlen(s), w, emit_line, &o);
    return (o.n < max ? o.n : max) * o.line_h;
}

static void decl_line(void *arg, int off, int len)
{
    app *a = arg;
    if (a->nlines < DECL_LINES) {
        a->line_off[a->nlines] = off;
        a->line_len[a->nlines] = len;
        a->nlines++;
    }
}

/*
 * "Panggil petugas" at the right end of a signer screen's header; once
 * pressed, a badge "Petugas dipanggil" flashing red and yellow in its place
 * and a stripe of the same colours under the whole bar, until the staff
 * answer with the PIN or the signer takes the call back (touching the
 * badge).  Returns the width it took (0 on the staff's screens).
 */
static int call_button(ctx *c)
{
    app *a = c->a;
    int u = c->u, hh = 3 * u, bh = 2 * u + u / 2;
    if (!signer_screen(a->screen))
        return 0;
    /* A narrow bar (portrait, large text) has room for the short word only. */
    int tight = c->w < 26 * u;
    const char *label = T(a, a->call_on ? K_CALL_ACTIVE : tight ? K_CALL_SHORT : K_CALL_STAFF);
    int font = c->w < 34 * u ? KD_FONT_SMALL : KD_FONT_BODY;
    int bw = text_w(c, font, label, -1) + u + u / 2;
    if (bw < (tight ? 4 : 6) * u)
        bw = (tight ? 4 : 6) * u;
    int bx = c->w - bw - u / 2, by = (hh - bh) / 2;
    int pressed = held(c, KB_CALL_STAFF, 0);
    if (a->call_on) {
        int flip = (int)(((a->now - a->call_since) / CALL_FLASH_MS) % 2);
        kd_color bg = flip ? C_CALL : C_ERROR, fg = flip ? C_TEXT : C_ON_ACCENT;
        kd_rect(c->l, 0, hh - 2, c->w, u / 3 + 2, 0, bg);
        kd_rect(c->l, bx, by, bw, bh, u / 2, pressed ? C_ACCENT_DOWN : bg);
        kd_text(c->l, bx, by, bw, bh, font, KD_CENTER, pressed ? C_ON_ACCENT : fg, label, -1);
    } else {
        /* Blue, a help: "Batal" beside it is the red one. */
        outlined(c, bx, by, bw, bh, u / 2, u / 8 > 2 ? u / 8 : 2, pressed ? C_DISABLED : C_PANEL,
                 C_ACCENT);
        kd_text(c->l, bx, by, bw, bh, font, KD_CENTER, C_ACCENT, label, -1);
    }
    kd_hit_add(c->l, KB_CALL_STAFF, 0, bx, by, bw, bh);
    return bw + u / 2;
}

/*
 * The header's "Bacakan" (Read aloud) from x; "Berhenti" (Stop) while it
 * reads.  Returns the x after it, where the title goes.
 */
static int read_button(ctx *c, int x)
{
    int u = c->u, reading = access_reading(c->a);
    const char *label = T(c->a, reading ? K_READ_STOP : K_READ_ALOUD);
    int w = text_w(c, KD_FONT_BODY, label, -1) + u + u / 2;
    if (w < 4 * u)
        w = 4 * u;
    button(c, KB_READ_ALOUD, x, u / 2, w, 2 * u, label, reading ? B_PRIMARY : B_SECONDARY);
    return x + w + u / 2;
}

static void header(ctx *c, int step)
{
    app *a = c->a;
    int u = c->u, hh = 3 * u;
    kd_rect(c->l, 0, 0, c->w, hh, 0, C_PANEL);
    kd_rect(c->l, 0, hh - 2, c->w, 2, 0, C_LINE);
    /* The logo: the organiser's way in is a long press on it. */
    int lx = u / 2, ly = u / 2, ls = 2 * u;
    int pressed = held(c, KB_LOGO, 0);
    if (a->logo[0]) {
        if (pressed)
            kd_rect(c->l, lx - 2, ly - 2, ls + 4, ls + 4, u / 2, C_DISABLED);
        kd_image(c->l, lx, ly, ls, ls, a->logo);
    } else {
        kd_rect(c->l, lx, ly, ls, ls, u / 2, pressed ? C_ACCENT_DOWN : C_ACCENT);
        kd_text(c->l, lx, ly, ls, ls, KD_FONT_BODY, KD_CENTER, C_ON_ACCENT, "ik", -1);
    }
    kd_hit_add(c->l, KB_LOGO, 0, 0, 0, ls + u, hh);
    const char *title = ikr_station_event(a->s)->title;
    /* On the declaration and the steps, "Bacakan" (Read aloud) comes before the title. */
    int tx = step > 0 ? read_button(c, lx + ls + u + u / 4) : lx + ls + u / 2;
    /* A signer's screens: where they are, and "Batal" to leave with nothing kept. */
    int call_w = call_button(c), short_step = c->w < 34 * u;
    int stepw = step > 0 ? (short_step ? 3 * u : 9 * u) : 0, right = stepw + call_w;
    if (step > 0) {
        const char *cancel = T(a, K_CANCEL);
        int bw = text_w(c, KD_FONT_BODY, cancel, -1) + (short_step ? u : 2 * u);
        bw = bw < 4 * u ? 4 * u : bw;
        /* No room for all (portrait, large text): the step gives way, the buttons stay. */
        if (tx + bw + u + right > c->w) {
            right -= stepw;
            stepw = 0;
        }
        right += bw + u / 2;
        int bx = c->w - right;
        int down = held(c, KB_CANCEL, 0);
        outlined(c, bx, u / 4, bw, hh - u / 2, u / 3, 2, down ? C_DISABLED : C_PANEL, C_ERROR);
        kd_text(c->l, bx, u / 4, bw, hh - u / 2, KD_FONT_BODY, KD_CENTER, C_ERROR, cancel, -1);
        kd_hit_add(c->l, KB_CANCEL, 0, bx, 0, bw, hh);
        right += u / 2;
    }
    int avail = c->w - (tx + u / 2) - right;
    /*
     * A title too long for the bar ends in an ellipsis, cut at a character.
     * Where to cut depends only on the width and the unit: found once, kept.
     */
    char cut[IKR_MAX_TITLE + 4];
    int n = (int)strlen(title);
    if (a->title_w != avail || a->title_u != u) {
        a->title_w = avail;
        a->title_u = u;
        a->title_n = n;
        if (text_w(c, KD_FONT_BODY, title, n) > avail && n < IKR_MAX_TITLE) {
            int dots = text_w(c, KD_FONT_BODY, "\xe2\x80\xa6", 3);
            while (a->title_n > 0 && text_w(c, KD_FONT_BODY, title, a->title_n) + dots > avail) {
                a->title_n--;
                while (a->title_n > 0 && ((unsigned char)title[a->title_n] & 0xc0) == 0x80)
                    a->title_n--;
            }
        }
    }
    if (a->title_n < n) {
        snprintf(cut, sizeof cut, "%.*s\xe2\x80\xa6", a->title_n, title);
        title = cut;
    }
    if (avail >= 3 * u) /* else only an ellipsis would be left of it */
        kd_text(c->l, tx, 0, avail, hh, KD_FONT_BODY, KD_LEFT, C_TEXT, title, -1);
    if (step > 0 && stepw > 0) {
        char buf[64];
        if (short_step)
            snprintf(buf, sizeof buf, "%d/%d", step, STEPS);
        else
            kfmt(a, buf, sizeof buf, K_STEP_OF, step, STEPS);
        kd_text(c->l, c->w - call_w - stepw, 0, stepw - u / 2, hh, KD_FONT_SMALL, KD_RIGHT, C_MUTED,
                buf, -1);
    }
}

/*
 * The footer: the main action, and a secondary row (back, and one more
 * such as Clear or Cancel).  On a wide screen they share one row, main on
 * the right; on a narrow one (portrait) the main action takes a full-width
 * row of its own above the others, so its words never shrink to fit.
 */
static int narrow(const ctx *c)
{
    return c->w < 34 * c->u;
}

static int footer_y(const ctx *c)
{
    return c->h - (narrow(c) ? 7 * c->u + c->u / 2 : 4 * c->u);
}

enum { SECOND_LEFT, SECOND_MIDDLE };

/* A secondary footer button: left (back's place) or the middle (right, when narrow). */
static void footer_second(ctx *c, enum kbtn id, const char *label, int where)
{
    int u = c->u, w = 8 * u, y = narrow(c) ? c->h - 3 * u - u / 2 : footer_y(c) + u / 2;
    int x = where == SECOND_LEFT ? u : narrow(c) ? c->w - u - w : (c->w - w) / 2;
    button(c, id, x, y, w, 3 * u, label, B_SECONDARY);
}

/* main_id KB_NONE: no main button. */
static void footer(ctx *c, const char *back_label, enum kbtn main_id, const char *main_label,
                   int main_enabled)
{
    int u = c->u, y = footer_y(c) + u / 2, bh = 3 * u;
    if (back_label)
        footer_second(c, KB_BACK, back_label, SECOND_LEFT);
    if (main_id != KB_NONE) {
        int x, w;
        if (narrow(c)) {
            x = u;
            w = c->w - 2 * u;
        } else {
            w = text_w(c, KD_FONT_LARGE, main_label, -1) + 3 * u;
            if (w < 9 * u)
                w = 9 * u;
            if (w > c->w - 11 * u)
                w = c->w - 11 * u;
            x = c->w - u - w;
        }
        button(c, main_id, x, y, w, bh, main_label, main_enabled ? B_PRIMARY : B_DISABLED);
    }
}

static void title_line(ctx *c, int y, const char *s)
{
    kd_text(c->l, c->u, y, c->w - 2 * c->u, 3 * c->u,
            fit_font(c, KD_FONT_TITLE, s, c->w - 2 * c->u), KD_LEFT, C_TEXT, s, -1);
}

static void message(ctx *c, int x, int y, int w, const ikr_err *e)
{
    char buf[400];
    if (!e->code)
        return;
    if (e->code == IKR_E_CLOCK_BEFORE_INIT || e->code == IKR_E_CLOCK_BEFORE_LAST ||
        e->code == IKR_E_CLOCK_GAP) {
        /* A signer cannot set the clock: what is wrong in short, and to call the staff. */
        char when[80];
        app_clock_text(c->a, e->when, when, sizeof when);
        kfmt(c->a, buf, sizeof buf, K_CLOCK_WRONG, when);
    } else if (e->code == IKR_E_NIP_DUPLICATE) {
        /* When, in words and the kiosk's zone, and what to do: the signer may not be the one. */
        char when[120];
        app_when_words(c->a, (int64_t)c->a->dup_t, when, sizeof when);
        kfmt(c->a, buf, sizeof buf, K_NIP_DUP, when, (int)c->a->dup_seq);
    } else if (e->code == IKR_E_NIP_ELSEWHERE) {
        /* The same at another kiosk of the event, as the hub says: which one, too. */
        char when[120];
        app_when_words(c->a, (int64_t)c->a->else_t, when, sizeof when);
        kfmt(c->a, buf, sizeof buf, K_NIP_ELSEWHERE, c->a->else_kiosk, when, (int)c->a->else_seq);
    } else {
        ikr_err_format(e, c->a->lang, buf, sizeof buf);
    }
    /* A duplicate says when and what to do: it needs the lines. */
    paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_ERROR, buf,
              e->code == IKR_E_NIP_DUPLICATE || e->code == IKR_E_NIP_ELSEWHERE ? 6 : 3);
}

/*
 * Welcome's bottom buttons: the language, and the signer's modes (large
 * text, high contrast), toggles that show their state, filled and ticked
 * when on.  One row when all four fit (in a size smaller if need be), else
 * the modes in a row above the languages.
 */
struct welcome_row {
    const char *label[4];
    char on1[80], on2[80];
    int w[4], total;
};

/* The labels, and their widths in font: each at least 6 units (8 in LARGE), with the gaps. */
static void welcome_row(ctx *c, struct welcome_row *r, int font)
{
    app *a = c->a;
    int u = c->u, pad = font == KD_FONT_LARGE ? 2 * u : u + u / 2,
        least = font == KD_FONT_LARGE ? 8 * u : 6 * u;
    snprintf(r->on1, sizeof r->on1, "%s%s", a->large_text ? "\xe2\x9c\x93 " : "",
             T(a, K_LARGE_TEXT));
    snprintf(r->on2, sizeof r->on2, "%s%s", a->high_contrast ? "\xe2\x9c\x93 " : "",
             T(a, K_HIGH_CONTRAST));
    r->label[0] = T(a, K_LANG_ID);
    r->label[1] = T(a, K_LANG_EN);
    r->label[2] = r->on1;
    r->label[3] = r->on2;
    r->total = u / 2 + u + u / 2; /* between the pairs a whole unit */
    for (int i = 0; i < 4; i++) {
        int w = text_w(c, font, r->label[i], -1) + pad, most = c->w / 2 - u;
        r->w[i] = w < least ? least : w > most ? most : w;
        r->total += r->w[i];
    }
}

/* 1 when Welcome's four bottom buttons fit one row. */
static int welcome_one_row(ctx *c)
{
    struct welcome_row r;
    welcome_row(c, &r, KD_FONT_BODY);
    return r.total <= c->w - 2 * c->u;
}

/* Welcome's bottom buttons from y (the upper row's top when two), each h tall. */
static void welcome_buttons(ctx *c, int y, int h)
{
    app *a = c->a;
    int u = c->u, gap = u / 2;
    struct welcome_row r;
    static const enum kbtn ids[4] = {KB_LANG_ID, KB_LANG_EN, KB_LARGE_TEXT, KB_HIGH_CONTRAST};
    const int on[4] = {a->lang == IKR_LANG_ID, a->lang == IKR_LANG_EN, a->large_text,
                       a->high_contrast};
    int x[4], yy[4];
    if (welcome_one_row(c)) {
        welcome_row(c, &r, KD_FONT_LARGE);
        if (r.total > c->w - 2 * u)
            welcome_row(c, &r, KD_FONT_BODY);
        int at = (c->w - r.total) / 2;
        for (int i = 0; i < 4; i++) {
            x[i] = at;
            yy[i] = y;
            at += r.w[i] + (i == 1 ? u : gap);
        }
    } else {
        welcome_row(c, &r, KD_FONT_LARGE);
        /* the modes above, the languages under, each pair centred */
        x[0] = (c->w - r.w[0] - r.w[1] - gap) / 2;
        x[1] = x[0] + r.w[0] + gap;
        x[2] = (c->w - r.w[2] - r.w[3] - gap) / 2;
        x[3] = x[2] + r.w[2] + gap;
        yy[0] = yy[1] = y + h + gap;
        yy[2] = yy[3] = y;
    }
    for (int i = 0; i < 4; i++)
        button(c, ids[i], x[i], yy[i], r.w[i], h, r.label[i], on[i] ? B_PRIMARY : B_SECONDARY);
}

static void draw_welcome(ctx *c)
{
    app *a = c->a;
    const ikr_event_info *ev = ikr_station_event(a->s);
    int u = c->u;
    header(c, 0);
    /* Laid out from the bottom up: the language switch and the start button always fit. */
    int lh = 2 * u + u / 2, ly = c->h - (welcome_one_row(c) ? lh + u : 2 * lh + u + u / 2);
    int min_button = 3 * u;
    int y = 4 * u + u / 2;
    int title_lines = c->h < 30 * u   ? 2
                      : c->h < 36 * u ? 3
                                      : 4; /* tall (portrait): a long title whole */
    y += paragraph(c, u, y, c->w - 2 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT, ev->title, title_lines);
    /* Who holds it, where, and when (today's date if not set), then the count. */
    char date[80], months[200], *mon[12] = {0};
    const char *when = ev->when;
    if (!when[0]) {
        snprintf(months, sizeof months, "%s", T(a, K_MONTHS));
        char *save = NULL, *tok = strtok_r(months, ",", &save);
        for (int i = 0; i < 12 && tok; i++, tok = strtok_r(NULL, ",", &save))
            mon[i] = tok;
        time_t now = (time_t)ikr_clock_now() + (time_t)ev->zone_min * 60;
        struct tm tm;
        gmtime_r(&now, &tm);
        snprintf(date, sizeof date, "%d %s %d", tm.tm_mday, mon[tm.tm_mon] ? mon[tm.tm_mon] : "",
                 tm.tm_year + 1900);
        when = date;
    }
    char count[80];
    kfmt(a, count, sizeof count, K_SIGNED_SO_FAR, (int)a->count);
    /* In order of what to give up first when the screen is short. */
    const char *facts[4] = {ev->organizer, ev->place, when, count};
    int room = (ly - u - min_button - u / 2 - y) / (2 * u), wanted = 0;
    for (int i = 0; i < 4; i++)
        wanted += facts[i][0] != '\0';
    y += u / 2;
    for (int i = 0; i < 4; i++) {
        if (!facts[i][0])
            continue;
        if (wanted > room) {
            wanted--;
            continue;
        }
        kd_text(c->l, u, y, c->w - 2 * u, 2 * u, fit_font(c, KD_FONT_BODY, facts[i], c->w - 2 * u),
                KD_CENTER, C_MUTED, facts[i], -1);
        y += 2 * u;
    }
    y += u / 2;

    int bw = c->w * 2 / 3, bh = 5 * u;
    if (bw < 16 * u)
        bw = c->w - 2 * u;
    if (bh > ly - u - y)
        bh = ly - u - y;
    if (bh < min_button)
        bh = min_button;
    int by = y + (ly - u - y - bh) / 2;
    if (by + bh > ly - u / 2)
        by = ly - u / 2 - bh;
    int bx = (c->w - bw) / 2;
    if (ikr_station_closed(a->s)) {
        /* The event is over: say so where the start button was. */
        const char *closed = T(a, K_EVENT_CLOSED);
        outlined(c, bx, by, bw, bh, u, 2, C_PANEL, C_LINE);
        kd_text(c->l, bx + u, by, bw - 2 * u, bh, fit_font(c, KD_FONT_TITLE, closed, bw - 2 * u),
                KD_CENTER, C_MUTED, closed, -1);
    } else {
        int pressed = held(c, KB_START, 0);
        kd_rect(c->l, bx, by, bw, bh, u, pressed ? C_ACCENT_DOWN : C_ACCENT);
        const char *start = T(a, K_TOUCH_TO_START);
        kd_text(c->l, bx + u, by, bw - 2 * u, bh, fit_font(c, KD_FONT_HUGE, start, bw - 2 * u),
                KD_CENTER, C_ON_ACCENT, start, -1);
        kd_hit_add(c->l, KB_START, 0, bx, by, bw, bh);
    }

    welcome_buttons(c, ly, lh);
}

static void count_line(void *arg, int off, int len);

static void draw_decl(ctx *c)
{
    app *a = c->a;
    const ikr_event_info *ev = ikr_station_event(a->s);
    int u = c->u;
    header(c, 1);
    /* As much of the text on a page as fits: every page is a touch more for each signer. */
    const char *title = a->agree_why && !a->decl_read ? T(a, K_DECL_WHY) : T(a, K_DECL_TITLE);
    int tw0 = c->w - 2 * u;
    if (a->agree_why && !a->decl_read)
        paragraph(c, u, 3 * u + u / 4, tw0, fit_font(c, KD_FONT_BODY, "", tw0), KD_LEFT, C_ERROR,
                  title, 2);
    else
        kd_text(c->l, u, 3 * u + u / 4, tw0, 3 * u, fit_font(c, KD_FONT_TITLE, title, tw0), KD_LEFT,
                C_TEXT, title, -1);
    int px = u, py = 6 * u + u / 2, pw = c->w - 2 * u, ph = footer_y(c) - py;
    outlined(c, px, py, pw, ph, u / 2, 1, C_PANEL, C_LINE);
    kd_hit_add(c->l, KB_DECL_TEXT, 0, px, py, pw, ph);
    int tx = px + u, tw = pw - 3 * u;
    /* Line breaks depend only on width, unit and text: compute them once. */
    if (a->wrap_width != tw || a->wrap_unit != u) {
        a->nlines = 0;
        wrap(c, KD_FONT_BODY, ev->decl, (int)ev->decl_len, tw, decl_line, a);
        a->wrap_width = tw;
        a->wrap_unit = u;
    }
    int lh = font_h(c, KD_FONT_BODY) * 13 / 10;
    int content = a->nlines * lh + u;
    a->decl_max = content > ph - u ? content - (ph - u) : 0;
    if (a->decl_scroll < 0)
        a->decl_scroll = 0;
    if (a->decl_scroll > a->decl_max)
        a->decl_scroll = a->decl_max;
    if (a->decl_scroll >= a->decl_max - lh / 2 && a->nlines < DECL_LINES)
        a->decl_read = 1;
    a->decl_page = ph - 4 * u - u / 2; /* less the lines "Baca sampai akhir" covers */
    kd_clip(c->l, px, py + 2, pw, ph - 4);
    int first = a->decl_scroll / lh;
    for (int i = first; i < a->nlines; i++) {
        int y = py + u / 2 + i * lh - a->decl_scroll;
        if (y > py + ph)
            break;
        kd_text(c->l, tx, y, tw, lh, KD_FONT_BODY, KD_LEFT, C_TEXT, ev->decl + a->line_off[i],
                a->line_len[i]);
    }
    kd_clip(c->l, 0, 0, 0, 0);
    /* Where in the text the reader is. */
    if (a->decl_max > 0) {
        int th = ph * (ph - u) / content;
        int ty = py + (ph - th) * a->decl_scroll / a->decl_max;
        kd_rect(c->l, px + pw - u / 2 - 2, ty, u / 3 > 3 ? u / 3 : 3, th, u / 6, C_LINE);
    }
    /*
     * Under the text: "Baca sampai akhir" until the end was reached, a page a
     * touch (a finger's swipe scrolls too); why agreeing waits, when it was
     * touched early; or that the declaration was read aloud together.
     */
    if (a->decl_read && ikr_station_read_together(a->s) && a->decl_scroll == 0 && a->decl_max > 0) {
        /* Read aloud together: said over the bottom of the first page. */
        const char *note = T(a, K_DECL_TOGETHER);
        int lines = wrap(c, KD_FONT_SMALL, note, (int)strlen(note), pw - 2 * u, count_line, NULL);
        lines = lines > 3 ? 3 : lines;
        int lh2 = font_h(c, KD_FONT_SMALL) * 6 / 5, nh = lines * lh2 + u / 2;
        kd_rect(c->l, px + 2, py + ph - nh - 2, pw - 4, nh, u / 3, C_NOTE);
        paragraph(c, px + u, py + ph - nh - 2 + u / 4, pw - 2 * u, KD_FONT_SMALL, KD_CENTER, C_TEXT,
                  note, 3);
    }
    if (!a->decl_read) {
        /*
         * Over the text's bottom right corner, where the eye ends a page; the
         * lines it covers come back at the top of the next page.
         */
        const char *more = T(a, K_DECL_MORE);
        int bh = 3 * u, bw = text_w(c, KD_FONT_LARGE, more, -1) + 2 * u;
        bw = bw > pw - 2 * u ? pw - 2 * u : bw;
        kd_rect(c->l, px + pw - bw - u - u / 2, py + ph - bh - u, bw + u, bh + u / 2, u / 2,
                C_PANEL);
        button(c, KB_DECL_MORE, px + pw - bw - u, py + ph - bh - u / 2 - u / 4, bw, bh, more,
               B_PRIMARY);
    }
    footer(c, T(a, K_BACK), KB_AGREE, T(a, K_DECL_AGREE), a->decl_read);
}

static void draw_status(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 2);
    /*
     * Asked only for a NIP that is not on the roster (PNS or PPPK: whose NIP
     * rules apply); Non-ASN signers choose "Tanpa NIP" on the NIP screen.
     */
    int with_nip = a->nip[0] != '\0';
    const char *title = T(a, with_nip ? K_STATUS_TITLE_NIP : K_STATUS_TITLE);
    int tw = c->w - 2 * u;
    if (text_w(c, KD_FONT_LARGE, title, -1) <= tw)
        title_line(c, 3 * u + u / 2, title);
    else /* too long for a line (large text, portrait): two lines of reading size */
        paragraph(c, u, 3 * u + u / 4, tw, KD_FONT_BODY, KD_LEFT, C_TEXT, title, 2);
    static const enum kbtn ids[3] = {KB_STATUS_PNS, KB_STATUS_PPPK, KB_STATUS_NONASN};
    const int names[3] = {K_STATUS_PNS, K_STATUS_PPPK, K_STATUS_NONASN};
    const int subs[3] = {K_STATUS_PNS_SUB, K_STATUS_PPPK_SUB, K_STATUS_NONASN_SUB};
    int n = with_nip ? 2 : 3;
    int top = 7 * u, bottom = footer_y(c) - u;
    int portrait = c->h > c->w;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        if (portrait) {
            h = (bottom - top - (n - 1) * u) / n;
            x = u;
            w = c->w - 2 * u;
            y = top + i * (h + u);
        } else {
            w = (c->w - (n + 1) * u) / n;
            h = bottom - top;
            x = u + i * (w + u);
            y = top;
        }
        int sel = a->status == (i == 0   ? IKR_STATUS_PNS
                                : i == 1 ? IKR_STATUS_PPPK
                                         : IKR_STATUS_NON_ASN);
        int pressed = held(c, ids[i], 0);
        outlined(c, x, y, w, h, u, sel ? u / 4 + 1 : 2, pressed ? C_DISABLED : C_PANEL,
                 sel ? C_ACCENT : C_LINE);
        kd_text(c->l, x + u / 2, y + h / 2 - 3 * u, w - u, 3 * u,
                fit_font(c, KD_FONT_HUGE, T(a, names[i]), w - u), KD_CENTER, C_ACCENT,
                T(a, names[i]), -1);
        /* Large text on a small box: the words a size down rather than past its edge. */
        const char *sub = T(a, subs[i]);
        int sy = y + h / 2 + u / 2, room = y + h - u / 4 - sy, sf = KD_FONT_BODY;
        if (wrap(c, sf, sub, (int)strlen(sub), w - 2 * u, count_line, NULL) *
                (font_h(c, sf) * 6 / 5) >
            room)
            sf = KD_FONT_SMALL;
        int lines = room / (font_h(c, sf) * 6 / 5);
        paragraph(c, x + u, sy, w - 2 * u, sf, KD_CENTER, C_MUTED, sub, lines < 2 ? 2 : lines);
        kd_hit_add(c->l, ids[i], 0, x, y, w, h);
    }
    footer(c, T(a, K_BACK), KB_NONE, NULL, 0);
}

/* 1 to 9 over left, 0, right: the digits are family digit's keys, their index the digit. */
static void keypad(ctx *c, enum kbtn digit, enum kbtn left, enum kbtn right,
                   const char *const labels[12], int x, int y, int w, int h)
{
    int gap = c->u / 3, kw = (w - 2 * gap) / 3, kh = (h - 3 * gap) / 4;
    for (int i = 0; i < 12; i++) {
        enum kbtn b = i == 9 ? left : i == 11 ? right : digit;
        int idx = i < 9 ? '1' + i : i == 10 ? '0' : 0;
        int kx = x + (i % 3) * (kw + gap), ky = y + (i / 3) * (kh + gap);
        int pressed = held(c, b, idx);
        outlined(c, kx, ky, kw, kh, c->u / 2, 2, pressed ? C_DISABLED : C_PANEL, C_LINE);
        kd_text(c->l, kx, ky, kw, kh, KD_FONT_TITLE, KD_CENTER, C_TEXT, labels[i], -1);
        kd_hit_add(c->l, b, idx, kx, ky, kw, kh);
    }
}

static const char *cut_to(const ctx *c, int font, const char *s, int width, char *buf, size_t n);

/* The letters for finding a name, in alphabetical order: '_' is the space, 0 the backspace. */
static void letter_grid(ctx *c, int x, int y, int w, int h)
{
    static const char keys[28] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    int cols = 7, rows = 4, gap = c->u / 4 > 2 ? c->u / 4 : 2;
    int kw = (w - (cols - 1) * gap) / cols, kh = (h - (rows - 1) * gap) / rows;
    for (int i = 0; i < 28; i++) {
        int kx = x + (i % cols) * (kw + gap), ky = y + (i / cols) * (kh + gap);
        enum kbtn b = i == 27 ? KB_KEY_BACK : KB_LETTER;
        int idx = i == 27 ? 0 : keys[i];
        char label[8] = {keys[i], 0};
        if (i == 26)
            snprintf(label, sizeof label, "\xe2\x90\xa3"); /* the space: a visible blank */
        else if (i == 27)
            snprintf(label, sizeof label, "\xe2\x8c\xab");
        int pressed = held(c, b, idx);
        outlined(c, kx, ky, kw, kh, c->u / 3, 2, pressed ? C_DISABLED : C_PANEL, C_KEY_LINE);
        kd_text(c->l, kx, ky, kw, kh, KD_FONT_TITLE, KD_CENTER, C_TEXT, label, -1);
        kd_hit_add(c->l, b, idx, kx, ky, kw, kh);
    }
}

/* One roster entry offered: the name large, under it the NIP (or Non-ASN) and the unit. */
static void found_button(ctx *c, int i, int x, int y, int w, int h)
{
    app *a = c->a;
    const ikr_roster_hit *f = &a->found[i];
    int u = c->u, pressed = held(c, KB_FOUND, '0' + i);
    outlined(c, x, y, w, h, u / 2, f->signd ? 2 : 3, pressed ? C_DISABLED : C_PANEL,
             f->signd ? C_LINE : C_ACCENT);
    char cut[IKR_MAX_NAME + 8], sub[IKR_MAX_UNIT + 80], nip[32];
    kd_text(c->l, x + u / 2, y, w - u, h * 11 / 20, KD_FONT_LARGE, KD_LEFT,
            f->signd ? C_MUTED : C_TEXT,
            cut_to(c, KD_FONT_LARGE, f->r.who.name, w - u, cut, sizeof cut), -1);
    if (f->r.who.nip[0])
        nip_grouped(nip, sizeof nip, f->r.who.nip, 0);
    else
        snprintf(nip, sizeof nip, "%s", T(a, K_STATUS_NONASN));
    if (f->signd)
        snprintf(sub, sizeof sub, "%s \xc2\xb7 %s", T(a, K_FIND_SIGNED), nip);
    else
        snprintf(sub, sizeof sub, "%s \xc2\xb7 %s", nip, f->r.who.unit);
    char cut2[sizeof sub + 8];
    kd_text(c->l, x + u / 2, y + h / 2, w - u, h / 2, KD_FONT_SMALL, KD_LEFT,
            f->signd ? C_WARN : C_MUTED, cut_to(c, KD_FONT_SMALL, sub, w - u, cut2, sizeof cut2),
            -1);
    kd_hit_add(c->l, KB_FOUND, '0' + i, x, y, w, h);
}

/*
 * The NIP screen, which also finds the signer on the roster: the NIP's
 * first digits or the first letters of the name bring up the matching
 * entries as large buttons; one touch on their own fills in everything.
 */
static void draw_nip(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 2);
    int letters = a->letters && a->has_roster;
    title_line(c, 3 * u + u / 2, T(a, a->has_roster ? K_FIND_TITLE : K_FIND_TITLE_NIP));
    static const char *const labels[12] = {"1", "2", "3", "4", "5", "6",
                                           "7", "8", "9", "C", "0", "\xe2\x8c\xab"};
    int top = 7 * u, bottom = footer_y(c) - u / 2;
    int portrait = c->h > c->w;
    int dx = u, dw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    /* What was typed: the NIP grouped as printed, or the name's letters. */
    char shown[IKR_ROSTER_QUERY_MAX + 8];
    int bh = 3 * u + u / 2;
    if (letters)
        snprintf(shown, sizeof shown, "%s|", a->query);
    else
        nip_grouped(shown, sizeof shown, a->nip, 1);
    outlined(c, dx, top, dw, bh, u / 2, 2, C_PANEL, a->msg.code ? C_ERROR : C_ACCENT);
    if (letters && !a->query[0])
        kd_text(c->l, dx + u / 2, top, dw - u, bh, KD_FONT_LARGE, KD_LEFT, C_MUTED,
                T(a, K_FIND_NAME_PROMPT), -1);
    else
        kd_text(c->l, dx + u / 2, top, dw - u, bh, fit_font(c, KD_FONT_TITLE, shown, dw - u),
                letters ? KD_LEFT : KD_CENTER, C_TEXT, shown, -1);
    int my = top + bh + u / 3;
    /* The keys take the right half (landscape) or the bottom (portrait). */
    int kx = portrait ? u : c->w / 2 + u, kw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    int tabs = a->has_roster ? 2 * u + u / 2 : 0;
    int ky = portrait ? bottom - (bottom - my) * 9 / 20 : top, kh = bottom - ky;
    int list_bottom = portrait ? ky - u / 2 : bottom;
    if (a->msg.code) {
        message(c, dx, my, dw, &a->msg);
    } else if (a->nip_code == IKR_OK && !a->nfound) {
        kd_text(c->l, dx, my, dw, 2 * u, KD_FONT_BODY, KD_LEFT, C_OK, T(a, K_NIP_OK), -1);
    } else if (a->notme_note) {
        paragraph(c, dx, my, dw, portrait ? KD_FONT_SMALL : KD_FONT_BODY, KD_LEFT, C_WARN,
                  T(a, K_ROSTER_RETYPE), portrait ? 3 : 5);
    } else if (a->nfound) {
        int fh = 3 * u + u / 2, y = my;
        for (size_t i = 0; i < a->nfound && y + fh <= list_bottom; i++, y += fh + u / 3)
            found_button(c, (int)i, dx, y, dw, fh);
        if (a->found_more && y + 2 * u <= list_bottom)
            kd_text(c->l, dx, y, dw, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, K_FIND_MANY), -1);
    } else if (a->has_roster && strlen(letters ? a->query : a->nip) >= (letters ? 2u : 4u)) {
        paragraph(c, dx, my, dw, KD_FONT_BODY, KD_LEFT, C_WARN, T(a, K_FIND_NONE), 4);
    } else if (a->has_roster && !a->nip[0] && !a->query[0]) {
        paragraph(c, dx, my, dw, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, K_FIND_HINT), 5);
    } else if (!letters) {
        char cnt[40];
        kfmt(a, cnt, sizeof cnt, K_NIP_COUNT, (int)strlen(a->nip));
        kd_text(c->l, dx, my, dw, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, cnt, -1);
    }
    if (tabs) {
        /* Digits of the NIP or letters of the name: two tabs over the keys. */
        int tw = (kw - u / 2) / 2;
        button(c, KB_FIND_MODE, kx, ky, tw, tabs, T(a, K_FIND_DIGITS),
               letters ? B_SECONDARY : B_PRIMARY);
        button(c, KB_FIND_MODE, kx + tw + u / 2, ky, tw, tabs, T(a, K_FIND_LETTERS),
               letters ? B_PRIMARY : B_SECONDARY);
        ky += tabs + u / 3;
        kh -= tabs + u / 3;
    }
    if (letters)
        letter_grid(c, kx, ky, kw, kh);
    else
        keypad(c, KB_KEY, KB_KEY_CLEAR, KB_KEY_BACK, labels, kx, ky, kw, kh);
    footer(c, T(a, K_BACK), KB_NEXT, T(a, K_NEXT), a->nip_code == IKR_OK && !letters);
    /* "Tanpa NIP": Non-ASN signers have none to type. */
    const char *nonip = T(a, K_NO_NIP_BUTTON);
    int nw = text_w(c, KD_FONT_BODY, nonip, -1) + 2 * u;
    if (narrow(c)) {
        nw = c->w - 11 * u;
        button(c, KB_NO_NIP, c->w - u - nw, c->h - 3 * u - u / 2, nw, 3 * u, nonip, B_SECONDARY);
    } else {
        int room = c->w - 10 * u - 11 * u;
        nw = nw > room ? room : nw;
        button(c, KB_NO_NIP, 10 * u, footer_y(c) + u / 2, nw, 3 * u, nonip, B_SECONDARY);
    }
}

/*
 * s cut to fit width px in font, ending in an ellipsis when cut, at a
 * character boundary; into buf when cut.  A binary search over the bytes:
 * a unit name of 128 bytes costs eight measurements, not a hundred.
 */
static const char *cut_to(const ctx *c, int font, const char *s, int width, char *buf, size_t n)
{
    int len = (int)strlen(s);
    if (text_w(c, font, s, len) <= width)
        return s;
    int dots = text_w(c, font, "\xe2\x80\xa6", 3), lo = 0, hi = len;
    while (lo < hi) { /* the longest prefix that fits with the dots */
        int mid = (lo + hi + 1) / 2;
        if (text_w(c, font, s, mid) + dots <= width)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && ((unsigned char)s[lo] & 0xc0) == 0x80)
        lo--;
    while (lo > 0 && s[lo - 1] == ' ')
        lo--;
    snprintf(buf, n, "%.*s\xe2\x80\xa6", lo, s);
    return buf;
}

static void count_line(void *arg, int off, int len)
{
    (void)arg;
    (void)off;
    (void)len;
}

static const char *status_name(const app *a, int status)
{
    return status == IKR_STATUS_PNS    ? T(a, K_STATUS_PNS)
           : status == IKR_STATUS_PPPK ? T(a, K_STATUS_PPPK)
                                       : T(a, K_STATUS_NONASN);
}

/*
 * The note that the details came from the roster, beside "Bukan saya?",
 * in a row under the fields, and under the note a status the roster
 * disagrees with (warn, or NULL).  Landscape has no height to spare (the
 * keyboard's keys are at their smallest), so there the words are small and
 * the row as tall as the button unless the status note needs a line more;
 * portrait has room for larger words, with the button under them.
 * Returns the y under the row.
 */
static int roster_note(ctx *c, int y, const char *warn)
{
    app *a = c->a;
    int u = c->u, bh = 2 * u + u / 2, x = u, w = c->w - 2 * u, portrait = c->h > c->w;
    const char *note = T(a, K_ROSTER_FILLED), *label = T(a, K_ROSTER_NOT_ME);
    int font = portrait ? KD_FONT_BODY : KD_FONT_SMALL, max = portrait ? 4 : 2,
        wmax = portrait ? 3 : 2;
    int bw = text_w(c, KD_FONT_LARGE, label, -1) + 2 * u;
    if (bw < 8 * u)
        bw = 8 * u;
    if (bw > w / 2)
        bw = w / 2;
    int tw = portrait ? w - u : w - bw - u - u / 2, line = font_h(c, font) * 6 / 5;
    int lines = wrap(c, font, note, (int)strlen(note), tw, count_line, NULL);
    int wl = warn ? wrap(c, font, warn, (int)strlen(warn), tw, count_line, NULL) : 0;
    lines = lines < max ? lines : max;
    wl = wl < wmax ? wl : wmax;
    int th = (lines + wl) * line;
    int rh = portrait ? th + bh + u + u / 4 : th + u / 4 > bh ? th + u / 4 : bh;
    int ty = portrait ? y + u / 2 : y + (rh - th) / 2;
    outlined(c, x, y, w, rh, u / 3, 2, C_NOTE, C_ACCENT);
    paragraph(c, x + u / 2, ty, tw, font, KD_LEFT, C_TEXT, note, max);
    if (warn)
        paragraph(c, x + u / 2, ty + lines * line, tw, font, KD_LEFT, C_WARN, warn, wmax);
    if (portrait)
        button(c, KB_ROSTER_NOTME, x + w - bw - u / 2, y + rh - bh - u / 2, bw, bh, label,
               B_SECONDARY);
    else
        button(c, KB_ROSTER_NOTME, x + w - bw, y, bw, rh, label, B_SECONDARY);
    return y + rh + u / 5;
}

static void draw_details(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 3);
    const int labels[3] = {K_FIELD_NAME, K_FIELD_POS, K_FIELD_UNIT};
    int y = 3 * u + u / 2, fh = 2 * u + u / 2, lw = c->w / 3;
    int portrait = c->h > c->w;
    /* The labels' column as wide as its longest label needs (up to two fifths), never cut. */
    for (int i = 0; i < 3; i++) {
        int need = text_w(c, KD_FONT_BODY, T(a, labels[i]), -1) + u;
        if (need > lw)
            lw = need < c->w * 2 / 5 ? need : c->w * 2 / 5;
    }
    /* Details from the roster come with a row more: the fields close up to make room for it. */
    int filled = a->roster_filled, fgap = filled ? u / 5 : u / 3;
    for (int i = 0; i < 3; i++) {
        int lx = u, fx = u + lw, fw = c->w - 2 * u - lw, fy = y;
        if (portrait) {
            kd_text(c->l, u, y, c->w - 2 * u, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED,
                    T(a, labels[i]), -1);
            fx = u;
            fw = c->w - 2 * u;
            fy = y + 2 * u;
        } else {
            char lab[120];
            kd_text(c->l, lx, y, lw - u / 2, fh, KD_FONT_BODY, KD_LEFT, C_MUTED,
                    cut_to(c, KD_FONT_BODY, T(a, labels[i]), lw - u / 2, lab, sizeof lab), -1);
        }
        int active = a->active_field == i;
        outlined(c, fx, fy, fw, fh, u / 3, active ? 3 : 1, C_PANEL, active ? C_ACCENT : C_LINE);
        /* Just filled in from the roster: read from the start, as any field not being typed in. */
        int typing = active && !a->roster_fresh;
        const char *v = a->field[i];
        if (typing) {
            /* The caret where the signer types, kept in view; a tap on the field moves it. */
            size_t len = strlen(v), back = a->caret_back[i];
            size_t caret = len - (back < len ? back : len);
            keyboard_field(c->l, c->m, fx + u / 2, fy, fw - u, fh, KD_FONT_LARGE, C_TEXT, C_ACCENT,
                           u / 8 > 2 ? u / 8 : 2, v, &caret, &a->field_scroll[i], a->caret_tap_x);
            a->caret_back[i] = len - caret;
            a->caret_tap_x = -1;
        } else {
            /* Empty: required (PNS, PPPK), picked from the roster's units, or optional. */
            int need = a->status == IKR_STATUS_PNS || a->status == IKR_STATUS_PPPK;
            char cut[FIELD_MAX + 8];
            const char *s = !v[0] && i == 2 && a->has_roster && !a->unit_free ? T(a, K_PICK_UNIT)
                            : !v[0] && !active && i > 0
                                ? T(a, need ? K_REQUIRED : K_OPTIONAL)
                                : cut_to(c, KD_FONT_LARGE, v, fw - u, cut, sizeof cut);
            kd_text(c->l, fx + u / 2, fy, fw - u, fh, KD_FONT_LARGE, KD_LEFT,
                    !v[0] && !active ? C_MUTED : C_TEXT, s, -1);
            a->field_scroll[i] = 0; /* a tap finds the text where it shows: from its start */
        }
        kd_hit_add(c->l, (enum kbtn)(KB_FIELD_NAME + i), 0, fx, fy, fw, fh);
        y = fy + fh + fgap;
    }
    if (filled) {
        /* The roster and the signer disagree on the status: said, not silently changed. */
        char warn[300];
        int differ = a->roster_status >= 0 && a->roster_status != a->status;
        if (differ)
            kfmt(a, warn, sizeof warn, K_ROSTER_STATUS, status_name(a, a->roster_status),
                 status_name(a, a->status));
        y = roster_note(c, y, differ ? warn : NULL);
    }
    if (a->msg.code) {
        message(c, u, y, c->w - 2 * u, &a->msg);
        y += font_h(c, KD_FONT_BODY) * 6 / 5 + u / 3;
    }
    /* The keyboard (keyboard.c), at the bottom under the thumbs; its bottom row holds Back and
     * Next. */
    kb_layout kb;
    keyboard_layout(&kb, a->kb_layer, u, c->h - u / 2, c->w - 2 * u, c->h - u / 2 - (y + u / 3), u);
    static const kb_palette pal = {C_PANEL,  C_DISABLED,    C_KEY_LINE, C_TEXT,
                                   C_ACCENT, C_ACCENT_DOWN, C_ON_ACCENT};
    kb_view view = {a->kb_layer,
                    a->shift,
                    a->caps,
                    a->down ? a->pressed : KB_NONE,
                    a->pressed_idx,
                    u,
                    T(a, K_KEY_SPACE),
                    T(a, K_KEY_SHIFT),
                    T(a, K_KEY_CAPS),
                    T(a, K_KEY_SYMBOLS),
                    T(a, K_KEY_LETTERS)};
    keyboard_draw(c->l, c->m, &kb, &view, &pal);
    /* A slot too narrow for the word even small (large text, portrait) shows the sign for it. */
    const char *back = T(a, K_BACK);
    if (text_w(c, KD_FONT_SMALL, back, -1) > kb.back[2] - c->u / 4)
        back = "\xe2\x86\xa9"; /* ↩ */
    button(c, KB_BACK, kb.back[0], kb.back[1], kb.back[2], kb.back[3], back, B_SECONDARY);
    button(c, KB_NEXT, kb.next[0], kb.next[1], kb.next[2], kb.next[3], T(a, K_NEXT),
           a->field[0][0] ? B_PRIMARY : B_DISABLED);
}

static void draw_sign(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 4);
    if (a->via_roster) {
        /* Who is signing, to be checked before the pen touches: from the roster, not typed. */
        char who[FIELD_MAX + 80], sub[2 * FIELD_MAX + 80], nip[32], cut[FIELD_MAX + 90];
        const char *label = T(a, K_ROSTER_NOT_ME);
        int bw = text_w(c, KD_FONT_BODY, label, -1) + 2 * u;
        bw = bw < 7 * u ? 7 * u : bw;
        int tw = c->w - 3 * u - bw;
        snprintf(who, sizeof who, "%s", a->field[0]);
        if (a->nip[0])
            nip_grouped(nip, sizeof nip, a->nip, 0);
        else
            snprintf(nip, sizeof nip, "%s", T(a, K_STATUS_NONASN));
        snprintf(sub, sizeof sub, "%s %s \xc2\xb7 %s \xc2\xb7 %s", T(a, K_SIGN_WHO), nip,
                 a->field[1], a->field[2]);
        /* Narrow: the name has the whole width, the button sits beside the line under it. */
        int nw = narrow(c) ? c->w - 2 * u : tw;
        kd_text(c->l, u, 3 * u + u / 4, nw, 2 * u, KD_FONT_LARGE, KD_LEFT, C_TEXT,
                cut_to(c, KD_FONT_LARGE, who, nw, cut, sizeof cut), -1);
        char cut2[sizeof sub + 8];
        kd_text(c->l, u, 5 * u + u / 4, tw, 3 * u / 2, KD_FONT_SMALL, KD_LEFT, C_MUTED,
                cut_to(c, KD_FONT_SMALL, sub, tw, cut2, sizeof cut2), -1);
        if (narrow(c))
            button(c, KB_ROSTER_NOTME, c->w - u - bw, 5 * u, bw, 2 * u, label, B_SECONDARY);
        else
            button(c, KB_ROSTER_NOTME, c->w - u - bw, 3 * u + u / 2, bw, 3 * u, label, B_SECONDARY);
    } else {
        title_line(c, 3 * u + u / 2, T(a, K_SIGN_TITLE));
    }
    int x = u, y = 7 * u, w = c->w - 2 * u, h = footer_y(c) - y - 2 * u;
    outlined(c, x, y, w, h, u / 2, 2, C_PANEL, C_LINE);
    /* A signature line to sign on. */
    kd_rect(c->l, x + 2 * u, y + h * 3 / 4, w - 4 * u, 2, 0, C_LINE);
    kd_text(c->l, x + u, y + h * 3 / 4 - 2 * u, 2 * u, 2 * u, KD_FONT_LARGE, KD_LEFT, C_MUTED,
            "\xc3\x97", -1);
    a->canvas_x = x;
    a->canvas_y = y;
    a->canvas_pw = w;
    a->canvas_ph = h;
    /* The window changed size under a signature: its strokes no longer sit under the finger. */
    if (a->npoints && ((uint32_t)w != a->canvas_w || (uint32_t)h != a->canvas_h) && !a->drawing) {
        memset(a->xyt, 0, sizeof(uint32_t) * 3 * a->npoints);
        a->npoints = a->nstrokes = 0;
        a->ink_resized = 1;
    }
    if (a->npoints) {
        a->kink = (kd_ink){a->canvas_w, a->canvas_h, a->xyt, a->stroke_end, a->nstrokes};
        kd_ink_cmd(c->l, x, y, w, h, u / 4 > 2 ? u / 4 : 2, C_INK, &a->kink);
    }
    kd_hit_add(c->l, KB_CANVAS, 0, x, y, w, h);
    const char *hint = a->ink_overflow                 ? T(a, K_SIGN_TOO_LONG)
                       : a->ink_short                  ? T(a, K_SIGN_TOO_SHORT)
                       : a->ink_resized && !a->npoints ? T(a, K_SIGN_RESIZED)
                                                       : T(a, K_SIGN_HINT);
    kd_text(c->l, x, y + h, w, 2 * u, fit_font(c, KD_FONT_BODY, hint, w), KD_CENTER,
            a->ink_overflow || a->ink_short || (a->ink_resized && !a->npoints) ? C_ERROR : C_MUTED,
            hint, -1);
    footer(c, T(a, K_BACK), KB_NEXT, T(a, K_NEXT), a->npoints > 0 && !a->ink_overflow);

    footer_second(c, KB_CLEAR, T(a, K_SIGN_CLEAR), SECOND_MIDDLE);
}

/* A labelled value: side by side on a wide screen, label above value on a narrow one. */
static void review_row(ctx *c, int *y, const char *label, const char *value)
{
    int u = c->u, vf = KD_FONT_LARGE, lh = font_h(c, vf) * 13 / 10;
    int sh = narrow(c) ? font_h(c, KD_FONT_SMALL) * 13 / 10 : 0;
    /* The five rows must stay clear of the buttons (large text on a short screen): a size down. */
    if (5 * (sh + lh) > footer_y(c) - 7 * u) {
        vf = KD_FONT_BODY;
        lh = font_h(c, vf) * 13 / 10;
    }
    const char *v = value[0] ? value : "-";
    if (narrow(c)) {
        int w = c->w - 2 * u;
        kd_text(c->l, u, *y, w, sh, KD_FONT_SMALL, KD_LEFT, C_MUTED, label, -1);
        kd_text(c->l, u, *y + sh, w, lh, fit_font(c, vf, v, w), KD_LEFT, C_TEXT, v, -1);
        *y += sh + lh;
        return;
    }
    int vx = 2 * u + c->w / 3, vw = c->w - vx - 2 * u, lw = c->w / 3 - u / 2;
    /* A long label ("Nama lengkap dan gelar") steps down a size rather than touch its value. */
    kd_text(c->l, 2 * u, *y, lw, lh, fit_font(c, KD_FONT_BODY, label, lw), KD_LEFT, C_MUTED, label,
            -1);
    kd_text(c->l, vx, *y, vw, lh, fit_font(c, vf, v, vw), KD_LEFT, C_TEXT, v, -1);
    *y += lh;
}

static void draw_review(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 5);
    title_line(c, 3 * u + u / 2, T(a, K_REVIEW_TITLE));
    int y = 7 * u;
    /* The NIP whole, to be checked by its owner; the receipt and Done mask it. */
    char grouped[32];
    nip_grouped(grouped, sizeof grouped, a->nip, 0);
    const char *st = a->status == IKR_STATUS_PNS    ? T(a, K_STATUS_PNS)
                     : a->status == IKR_STATUS_PPPK ? T(a, K_STATUS_PPPK)
                                                    : T(a, K_STATUS_NONASN);
    review_row(c, &y, T(a, K_FIELD_NAME), a->field[0]);
    review_row(c, &y, T(a, K_REVIEW_STATUS), st);
    review_row(c, &y, "NIP", a->nip[0] ? grouped : T(a, K_NO_NIP));
    review_row(c, &y, T(a, K_FIELD_POS), a->field[1]);
    review_row(c, &y, T(a, K_FIELD_UNIT), a->field[2]);
    y += u / 2;
    /*
     * The note that invisible characters were removed goes beside the signature, under its
     * label, on a wide screen, so the signer still sees both; on a narrow one (or with an
     * error to show) it takes the lines above the buttons.
     */
    int side_note = a->text_note && !a->msg.code && !a->claiming && !narrow(c);
    /* A refusal from the hub names the kiosk and the time: it takes more lines than most. */
    int msg_h = a->msg.code == IKR_E_NIP_ELSEWHERE ? 5 * u : 3 * u;
    int reserve = a->msg.code ? msg_h : a->claiming || (a->text_note && !side_note) ? 3 * u : 0;
    int sh = footer_y(c) - y - u - reserve, sw = sh * 2;
    if (sh <= u * 2 && side_note) {
        side_note = 0; /* no room for the signature: the note goes below as before */
        sh -= 3 * u;
    }
    if (sw > c->w - 4 * u)
        sw = c->w - 4 * u;
    if (sh > u * 2) {
        int sx = 2 * u + c->w / 3;
        if (narrow(c)) {
            sx = u;
            sw = c->w - 2 * u;
        } else {
            kd_text(c->l, 2 * u, y, c->w / 3, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED,
                    T(a, K_REVIEW_SIGNATURE), -1);
        }
        if (sx + sw > c->w - 2 * u)
            sw = c->w - 2 * u - sx;
        outlined(c, sx, y, sw, sh, u / 2, 1, C_PANEL, C_LINE);
        a->kink = (kd_ink){a->canvas_w, a->canvas_h, a->xyt, a->stroke_end, a->nstrokes};
        /* Keep the signature's proportions inside the preview. */
        int iw = sw, ih = (int)((int64_t)sw * a->canvas_h / (a->canvas_w ? a->canvas_w : 1));
        if (ih > sh) {
            ih = sh;
            iw = (int)((int64_t)sh * a->canvas_w / (a->canvas_h ? a->canvas_h : 1));
        }
        kd_ink_cmd(c->l, sx + (sw - iw) / 2, y + (sh - ih) / 2, iw, ih, u / 6 > 2 ? u / 6 : 2,
                   C_INK, &a->kink);
        int nx = sx + sw + u, nw = c->w - 2 * u - nx;
        if (side_note && nw >= 6 * u)
            paragraph(c, nx, y, nw, KD_FONT_SMALL, KD_LEFT, C_WARN, T(a, K_TEXT_REMOVED), 4);
        else if (side_note)
            side_note = 0; /* too narrow beside it: below, as on a narrow screen */
        y += sh + u / 2;
    }
    if (a->claiming) /* the hub is asked whether the NIP signed elsewhere in the event */
        kd_text(c->l, 2 * u, footer_y(c) - 3 * u, c->w - 4 * u, 3 * u,
                fit_font(c, KD_FONT_LARGE, T(a, K_HUB_CHECKING), c->w - 4 * u), KD_LEFT, C_ACCENT,
                T(a, K_HUB_CHECKING), -1);
    else if (a->msg.code)
        message(c, 2 * u, footer_y(c) - msg_h, c->w - 4 * u, &a->msg);
    else if (a->text_note && !side_note)
        paragraph(c, 2 * u, footer_y(c) - 3 * u, c->w - 4 * u, KD_FONT_BODY, KD_LEFT, C_WARN,
                  T(a, K_TEXT_REMOVED), 3);
    footer(c, NULL, KB_CONFIRM, T(a, K_REVIEW_CONFIRM), !a->claiming);
    footer_second(c, KB_CHANGE, T(a, K_REVIEW_CHANGE), SECOND_LEFT);
}

/* The height Done's three paragraphs take in width w (at most 3 lines each, u/2 apart). */
static int done_words_h(const ctx *c, int w, int f1, const char *s1, int f2, const char *s2, int f3,
                        const char *s3)
{
    const int fonts[3] = {f1, f2, f3};
    const char *texts[3] = {s1, s2, s3};
    int h = c->u;
    for (int i = 0; i < 3; i++) {
        int n = wrap(c, fonts[i], texts[i], (int)strlen(texts[i]), w, count_line, NULL);
        h += (n < 3 ? n : 3) * (font_h(c, fonts[i]) * 6 / 5);
    }
    return h;
}

static void draw_done(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    int portrait = c->h > c->w;
    int qs = portrait ? c->w - 6 * u : c->h - 9 * u;
    if (!portrait && qs > c->w / 2 - 2 * u)
        qs = c->w / 2 - 2 * u;
    int tx = portrait ? u : 2 * u + qs + u, tw = portrait ? c->w - 2 * u : c->w - tx - u;
    int ty = portrait ? 3 * u + u / 2 : 5 * u;
    kd_text(c->l, tx, ty, tw, 4 * u, fit_font(c, KD_FONT_HUGE, T(a, K_DONE_TITLE), tw),
            portrait ? KD_CENTER : KD_LEFT, C_OK, T(a, K_DONE_TITLE), -1);
    char num[120];
    kfmt(a, num, sizeof num, K_DONE_NUMBER, (int)a->seq);
    int y = ty + 4 * u + u / 2;
    /* What became of the paper receipt. */
    int pk = a->print_state == PRINT_OK       ? K_DONE_PRINTED
             : a->print_state == PRINT_FAILED ? K_DONE_PRINT_FAILED
                                              : K_DONE_PRINT_LATER;
    int fn = KD_FONT_LARGE, fp = KD_FONT_BODY,
        fr = a->print_state == PRINT_NONE ? KD_FONT_SMALL : KD_FONT_BODY;
    /* Beside the code the words end above the button: a size down when they would not. */
    if (!portrait && done_words_h(c, tw, fn, num, fp, T(a, K_DONE_PHOTO), fr, T(a, pk)) >
                         footer_y(c) - u / 2 - y) {
        fn = KD_FONT_BODY;
        fp = fr = KD_FONT_SMALL;
    }
    y += paragraph(c, tx, y, tw, fn, portrait ? KD_CENTER : KD_LEFT, C_TEXT, num, 3);
    y += u / 2;
    y +=
        paragraph(c, tx, y, tw, fp, portrait ? KD_CENTER : KD_LEFT, C_MUTED, T(a, K_DONE_PHOTO), 3);
    y += u / 2;
    y += paragraph(c, tx, y, tw, fr, portrait ? KD_CENTER : KD_LEFT,
                   a->print_state == PRINT_FAILED ? C_ERROR : C_MUTED, T(a, pk), 3);
    if (portrait) {
        /* The code takes the room between the words and the footer. */
        int room = footer_y(c) - u / 2 - y;
        if (qs > room)
            qs = room;
    }
    if (a->has_qr && qs > 4 * u) {
        int qx = portrait ? (c->w - qs) / 2 : 2 * u;
        int qy = portrait ? y + (footer_y(c) - y - qs) / 2 : 4 * u;
        kd_rect(c->l, qx, qy, qs, qs, u / 2, C_PANEL);
        kd_qr(c->l, qx, qy, qs, qs, &a->qr);
    }
    footer(c, NULL, KB_FINISH, T(a, K_DONE_FINISH), 1);
}

static void draw_error(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    title_line(c, 4 * u, T(a, K_ERROR_TITLE));
    char buf[400];
    ikr_err_format(&a->fail, a->lang, buf, sizeof buf);
    int y = 8 * u;
    y += paragraph(c, u, y, c->w - 2 * u, KD_FONT_LARGE, KD_LEFT, C_ERROR, buf, 5) + u;
    paragraph(c, u, y, c->w - 2 * u, KD_FONT_BODY, KD_LEFT, C_TEXT, T(a, K_ERROR_NOTHING_LOST), 3);
    footer(c, NULL, KB_RETRY, T(a, K_RETRY), 1);
    footer_second(c, KB_CANCEL, T(a, K_CANCEL), SECOND_LEFT);
}

static void draw_admin_pin(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    title_line(c, 3 * u + u / 2,
               T(a, a->pin_for == PIN_FOR_CLOSE  ? K_CLOSE_PIN_TITLE
                    : a->pin_for == PIN_FOR_CALL ? K_CALL_PIN_TITLE
                                                 : K_ADMIN_PIN_TITLE));
    static const char *const labels[12] = {
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "\xe2\x8c\xab", "0", "OK"};
    int portrait = c->h > c->w, top = 7 * u, bottom = footer_y(c) - u / 2;
    int dw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    char dots[3 * IKR_MAX_PIN + 1] = "";
    for (int i = 0; i < a->pin_len && i < 16; i++)
        strcat(dots, "\xe2\x97\x8f");
    outlined(c, u, top, dw, 4 * u, u / 2, 2, C_PANEL, C_ACCENT);
    kd_text(c->l, u, top, dw, 4 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT, dots, -1);
    char msg[120] = "";
    if (a->now < a->pin_locked_until)
        kfmt(a, msg, sizeof msg, K_ADMIN_LOCKED,
             (int)((a->pin_locked_until - a->now + 999) / 1000));
    else if (a->pin_wrong)
        kfmt(a, msg, sizeof msg, K_ADMIN_PIN_WRONG, PIN_TRIES - a->pin_fails);
    if (msg[0])
        paragraph(c, u, top + 4 * u + u / 2, dw, KD_FONT_BODY, KD_LEFT, C_ERROR, msg, 3);
    if (portrait)
        keypad(c, KB_PIN, KB_PIN_BACK, KB_PIN_OK, labels, 3 * u, top + 9 * u, c->w - 6 * u,
               bottom - top - 9 * u);
    else
        keypad(c, KB_PIN, KB_PIN_BACK, KB_PIN_OK, labels, c->w / 2 + u, top, c->w / 2 - 2 * u,
               bottom - top);
    footer(c, T(a, K_CANCEL), KB_NONE, NULL, 0);
    if (a->pin_for == PIN_FOR_CALL) {
        /* The signer needs no PIN to take their call back: beside Cancel, as wide as its words. */
        const char *label = T(a, K_CALL_CANCEL);
        int bw = text_w(c, KD_FONT_LARGE, label, -1) + 2 * u, by, bx;
        if (bw > c->w - 11 * u)
            bw = c->w - 11 * u;
        by = narrow(c) ? c->h - 3 * u - u / 2 : footer_y(c) + u / 2;
        bx = narrow(c) ? c->w - u - bw : c->w / 2 + u;
        button(c, KB_CALL_CANCEL, bx, by, bw, 3 * u, label, B_SECONDARY);
    }
}

/* A QR code of the staff menu, as large as the screen allows, so a phone can scan it. */
static void draw_admin_qr(ctx *c)
{
    app *a = c->a;
    int u = c->u, top = 3 * u + u / 2;
    int note_h =
        paragraph(c, u, top, c->w - 2 * u, KD_FONT_BODY, KD_LEFT, C_TEXT, a->admin_note, 3);
    int y = top + note_h + u / 2, avail = footer_y(c) - y - u / 2;
    int qs = avail < c->w - 2 * u ? avail : c->w - 2 * u;
    if (qs > 4 * u) {
        kd_rect(c->l, (c->w - qs) / 2, y, qs, qs, u / 2, C_PANEL);
        kd_qr(c->l, (c->w - qs) / 2, y, qs, qs, &a->admin_qr);
    }
    footer_second(c, KB_ADMIN_QRBACK, T(a, K_BACK), SECOND_LEFT);
}

/* "Salin ke USB": no stick, a choice of sticks, the copy's bar, its result. */
static void draw_usb(ctx *c)
{
    app *a = c->a;
    int u = c->u, x = u, w = c->w - 2 * u;
    char buf[1600], err[400];
    header(c, 0);
    title_line(c, 3 * u + u / 2, T(a, K_ADMIN_USB));
    int y = 7 * u + u / 2;
    switch (a->usb_state) {
    case USB_NONE:
        y += paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_TEXT, T(a, K_USB_NONE), 4) + u;
        button(c, KB_USB_RESCAN, x, y, 12 * u < w ? 12 * u : w, 3 * u, T(a, K_USB_RESCAN),
               B_PRIMARY);
        break;
    case USB_PICK: {
        y += paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_TEXT, T(a, K_USB_PICK), 2) + u / 2;
        int bh = 3 * u, gap = u / 2, bottom = footer_y(c) - u / 2;
        for (size_t i = 0; i < a->usb_n && y + bh <= bottom; i++, y += bh + gap) {
            int pressed = held(c, KB_USB_DRIVE, '0' + (int)i);
            outlined(c, x, y, w, bh, u / 2, u / 8 > 2 ? u / 8 : 2, pressed ? C_DISABLED : C_PANEL,
                     C_ACCENT);
            kd_text(c->l, x + u / 2, y, w - u, bh,
                    fit_font(c, KD_FONT_LARGE, a->usb_drives[i].label, w - u), KD_LEFT, C_ACCENT,
                    a->usb_drives[i].label, -1);
            kd_hit_add(c->l, KB_USB_DRIVE, '0' + (int)i, x, y, w, bh);
        }
        break;
    }
    case USB_WORKING: {
        int pct = atomic_load(&a->usb_permille) / 10;
        kfmt(a, buf, sizeof buf, K_USB_WORKING, a->usb_drives[a->usb_pick].label, pct);
        y += paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_TEXT, buf, 3) + u;
        /* The bar: the track, then the part done. */
        kd_rect(c->l, x, y, w, 2 * u, u / 2, C_PANEL);
        kd_border(c->l, x, y, w, 2 * u, 2, C_ACCENT);
        if (pct > 0)
            kd_rect(c->l, x, y, w * pct / 100 > u ? w * pct / 100 : u, 2 * u, u / 2, C_ACCENT);
        y += 3 * u;
        kd_text(c->l, x, y, w, 2 * u, KD_FONT_LARGE, KD_LEFT, C_TEXT, T(a, K_USB_KEEP_IN), -1);
        return; /* no way out while the stick is being written */
    }
    case USB_DONE:
        kd_text(c->l, x, y, w, 3 * u, fit_font(c, KD_FONT_TITLE, T(a, K_USB_DONE), w), KD_LEFT,
                C_ACCENT, T(a, K_USB_DONE), -1);
        y += 4 * u;
        kfmt(a, buf, sizeof buf, K_USB_DONE_DETAIL, (int)a->usb_records, a->usb_dir);
        paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_TEXT, buf, 4);
        break;
    case USB_FAILED:
        ikr_err_format(&a->usb_err, a->lang, err, sizeof err);
        y += paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_TEXT, err, 4) + u / 2;
        y += paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, K_USB_FAILED), 3) + u;
        button(c, KB_USB_RESCAN, x, y, 12 * u < w ? 12 * u : w, 3 * u, T(a, K_USB_RETRY),
               B_PRIMARY);
        break;
    }
    footer(c, T(a, K_BACK), KB_NONE, NULL, 0);
}

static void draw_admin(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    if (a->admin_qr_full && a->has_admin_qr) {
        draw_admin_qr(c);
        return;
    }
    title_line(c, 3 * u + u / 2, T(a, K_ADMIN_TITLE));
    int portrait = c->h > c->w;
    int colw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    char buf[120];
    int y = 7 * u;
    /*
     * The kiosk's clock, large: a wrong one stops signing, and staff set it
     * right here: the time in the largest face that fits, the day and date
     * under it beside "Atur jam".
     */
    {
        char when[80], *date = when, *time_part = NULL;
        app_clock_text(a, (int64_t)ikr_clock_now(), when, sizeof when);
        /* "Sabtu, 05-12-2026 14:03 WIB": the date is up to the second space. */
        char *sp = strchr(when, ' ');
        if (sp && (sp = strchr(sp + 1, ' ')) != NULL) {
            *sp = '\0';
            time_part = sp + 1;
        }
        const char *label = T(a, K_ADMIN_CLOCK);
        int th = 4 * u + u / 2, bh = 2 * u + u / 2,
            cw = text_w(c, KD_FONT_LARGE, label, -1) + 2 * u;
        if (cw > colw / 2)
            cw = colw / 2;
        kd_text(c->l, u, y, colw, th, fit_font(c, KD_FONT_HUGE, time_part ? time_part : "", colw),
                KD_LEFT, C_TEXT, time_part ? time_part : "", -1);
        y += th;
        int dw = colw - cw - u / 2;
        kd_text(c->l, u, y, dw, bh, fit_font(c, KD_FONT_LARGE, date, dw), KD_LEFT, C_TEXT, date,
                -1);
        button(c, KB_ADMIN_CLOCK, u + colw - cw, y, cw, bh, label, B_SECONDARY);
        y += bh + u / 2;
    }
    kfmt(a, buf, sizeof buf, K_ADMIN_COUNT, (int)a->count);
    kd_text(c->l, u, y, colw, 2 * u, fit_font(c, KD_FONT_LARGE, buf, colw), KD_LEFT, C_TEXT, buf,
            -1);
    y += 2 * u + u / 2;
    if (a->hub) {
        /*
         * The hub: how far it has verified this kiosk's log and how long
         * ago, or since when it cannot be reached; a flag, in red and large,
         * above all.  Nothing at all on a kiosk that has no hub.
         */
        char line[400];
        int how = hubsync_words(&a->hub_st, a->lang, ikr_station_event(a->s)->zone_min,
                                ikr_clock_now(), line, sizeof line);
        if (how == HUBSYNC_LINE_FLAGGED)
            y += paragraph(c, u, y, colw, KD_FONT_LARGE, KD_LEFT, C_ERROR, line, 3) + u / 2;
        else
            y += paragraph(c, u, y, colw, KD_FONT_BODY, KD_LEFT,
                           how == HUBSYNC_LINE_WARN ? C_WARN : C_OK, line, 3) +
                 u / 2;
    }
    kd_text(c->l, u, y, colw, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED, T(a, K_ADMIN_LAST), -1);
    y += 2 * u;
    if (a->nlast == 0) {
        kd_text(c->l, u, y, colw, 2 * u, KD_FONT_BODY, KD_LEFT, C_TEXT, T(a, K_ADMIN_NONE_YET), -1);
        y += 2 * u;
    }
    /* As many of the last signers as leave room for a note above the Back button. */
    int names_end = (portrait ? c->h / 2 : footer_y(c)) - (a->admin_note[0] ? 3 * u : 0);
    for (int i = 0; i < a->nlast && y + font_h(c, KD_FONT_BODY) * 13 / 10 <= names_end;
         i++, y += font_h(c, KD_FONT_BODY) * 13 / 10)
        kd_text(c->l, u, y, colw, font_h(c, KD_FONT_BODY) * 13 / 10,
                fit_font(c, KD_FONT_BODY, a->last_names[i], colw), KD_LEFT, C_TEXT,
                a->last_names[i], -1);
    y += u;
    if (a->admin_note[0])
        y += paragraph(c, u, y, colw, KD_FONT_SMALL, KD_LEFT, C_TEXT, a->admin_note, 4) + u / 2;
    /* The actions, in a column on the right (below, in portrait). */
    int bx = portrait ? u : c->w / 2 + u, bw = portrait ? c->w - 2 * u : c->w / 2 - 2 * u;
    int by = portrait ? c->h / 2 + 2 * u : 7 * u, bh = 3 * u, gap = u / 2;
    /*
     * Seven actions (reprinting, by number, NIP or the last, is one screen):
     * a little less tall where they would reach the Back button, never under 2.5 u.
     */
    enum { ACTIONS = 7 };
    int bottom = portrait ? footer_y(c) + u : c->h - u / 2;
    if (ACTIONS * bh + (ACTIONS - 1) * gap > bottom - by)
        gap = u / 3;
    if (ACTIONS * bh + (ACTIONS - 1) * gap > bottom - by)
        bh = (bottom - by - (ACTIONS - 1) * gap) / ACTIONS;
    if (bh < 2 * u + u / 2)
        bh = 2 * u + u / 2;
    if (by + ACTIONS * bh + (ACTIONS - 1) * gap > bottom)
        by = bottom - ACTIONS * bh - (ACTIONS - 1) * gap;
    if (a->verify_home)
        button(c, KB_ADMIN_SIGNING, bx, by, bw, bh, T(a, K_ADMIN_SIGNING), B_SECONDARY);
    else
        button(c, KB_ADMIN_VERIFY, bx, by, bw, bh, T(a, K_ADMIN_VERIFY), B_SECONDARY);
    by += bh + gap;
    button(c, KB_ADMIN_PROGRESS, bx, by, bw, bh, T(a, K_ADMIN_PROGRESS), B_PRIMARY);
    by += bh + gap;
    button(c, KB_ADMIN_REPRINT, bx, by, bw, bh, T(a, K_ADMIN_REPRINT), B_PRIMARY);
    by += bh + gap;
    button(c, KB_ADMIN_EXPORT, bx, by, bw, bh, T(a, K_ADMIN_EXPORT), B_SECONDARY);
    by += bh + gap;
    button(c, KB_ADMIN_USB, bx, by, bw, bh, T(a, K_ADMIN_USB), B_SECONDARY);
    by += bh + gap;
    button(c, KB_ADMIN_CLOSE, bx, by, bw, bh, T(a, K_ADMIN_CLOSE_EVENT), B_SECONDARY);
    by += bh + gap;
    button(c, KB_ADMIN_QUIT, bx, by, bw, bh, T(a, K_ADMIN_QUIT), B_SECONDARY);
    footer(c, T(a, K_BACK), KB_NONE, NULL, 0);
}

/*
 * "Atur jam": year, month, day, hour and minute, each with a button up and
 * one down, the date they make in words, and Save.  When the clock could
 * not be set, why, and the command staff can run as root, in Indonesian
 * and then English whatever the kiosk's language.
 */
static void draw_clock(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    title_line(c, 3 * u + u / 2, T(a, K_CLOCK_TITLE));
    char buf[300], names[120], *name[5] = {0};
    kfmt(a, buf, sizeof buf, K_CLOCK_HINT, ikr_zone_name(ikr_station_event(a->s)->zone_min));
    int hint_h =
        paragraph(c, u, 6 * u + u / 2, c->w - 2 * u, KD_FONT_SMALL, KD_LEFT, C_MUTED, buf, 2);
    snprintf(names, sizeof names, "%s", T(a, K_CLOCK_FIELDS));
    char *save = NULL, *tok = strtok_r(names, ",", &save);
    for (int i = 0; i < 5 && tok; i++, tok = strtok_r(NULL, ",", &save))
        name[i] = tok;
    int gap = u / 2, cw = (c->w - 2 * u - 4 * gap) / 5, top = 6 * u + u / 2 + hint_h + u / 4;
    int bh = 2 * u + u / 2;
    for (int i = 0; i < 5; i++) {
        int x = u + i * (cw + gap), y = top;
        kd_text(c->l, x, y, cw, 3 * u / 2, fit_font(c, KD_FONT_BODY, name[i] ? name[i] : "", cw),
                KD_CENTER, C_MUTED, name[i] ? name[i] : "", -1);
        y += 3 * u / 2 + u / 4;
        for (int up = 1; up >= 0; up--) {
            enum kbtn b = up ? KB_CLOCK_UP : KB_CLOCK_DOWN;
            int by = up ? y : y + bh + 3 * u + u / 2;
            outlined(c, x, by, cw, bh, u / 2, 2, held(c, b, '0' + i) ? C_DISABLED : C_PANEL,
                     C_LINE);
            kd_text(c->l, x, by, cw, bh, KD_FONT_TITLE, KD_CENTER, C_ACCENT,
                    up ? "+" : "\xe2\x88\x92", -1);
            kd_hit_add(c->l, b, '0' + i, x, by, cw, bh);
        }
        char v[8];
        snprintf(v, sizeof v, i == 0 ? "%04d" : "%02d", a->clock_f[i]);
        kd_text(c->l, x, y + bh + u / 4, cw, 3 * u, fit_font(c, KD_FONT_TITLE, "0000", cw),
                KD_CENTER, C_TEXT, v, -1);
    }
    int y = top + 3 * u / 2 + u / 4 + 2 * bh + 3 * u + u / 2 + u / 2;
    /* The date the fields make, as the staff menu will show it; a failure's words need the room. */
    if (!a->clock_fail[0]) {
        app_clock_text(a, app_clock_fields_time(a), buf, sizeof buf);
        kd_text(c->l, u, y, c->w - 2 * u, 2 * u, fit_font(c, KD_FONT_LARGE, buf, c->w - 2 * u),
                KD_CENTER, C_TEXT, buf, -1);
    }
    y += u / 2;
    if (a->clock_fail[0]) {
        for (int lang = IKR_LANG_ID; lang <= IKR_LANG_EN; lang++) {
            char msg[600];
            int n;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
            n = snprintf(msg, sizeof msg, kstr(K_CLOCK_FAILED, lang), a->clock_fail);
            if (n >= 0 && (size_t)n < sizeof msg - 1) {
                msg[n++] = ' ';
                snprintf(msg + n, sizeof msg - (size_t)n, kstr(K_CLOCK_HOWTO, lang), a->clock_cmd);
            }
#pragma GCC diagnostic pop
            y += paragraph(c, u, y, c->w - 2 * u, KD_FONT_SMALL, KD_LEFT,
                           lang == IKR_LANG_ID ? C_ERROR : C_TEXT, msg, 3) +
                 u / 4;
        }
    }
    footer(c, T(a, K_BACK), KB_CLOCK_SET, T(a, K_CLOCK_SET), 1);
}

/* The Verify screen's words while no receipt is in front of the camera. */
static void verify_waiting(ctx *c, int top, int bottom)
{
    app *a = c->a;
    int u = c->u, w = c->w - 4 * u;
    char buf[400];
    const char *big = a->cam_err.code ? T(a, K_VERIFY_NO_CAMERA) : T(a, K_VERIFY_SHOW);
    int font = KD_FONT_TITLE, lh = font_h(c, font) * 6 / 5; /* wrapped, never shrunk */
    int y = top + (bottom - top) / 4;
    if (a->cam_err.code) {
        /* No camera: the reason in the kiosk's language, and that it keeps looking. */
        y += paragraph(c, 2 * u, y, w, font, KD_CENTER, C_ERROR, big, 3) + u;
        ikr_err_format(&a->cam_err, a->lang, buf, sizeof buf);
        y += paragraph(c, 2 * u, y, w, KD_FONT_BODY, KD_CENTER, C_TEXT, buf, 4) + u / 2;
        paragraph(c, 2 * u, y, w, KD_FONT_BODY, KD_CENTER, C_MUTED, T(a, K_VERIFY_RETRY), 2);
        return;
    }
    /*
     * The camera's picture, so the inspector can aim, with a viewfinder's
     * corners in its middle: where the code goes.  Landscape: the picture on
     * the left, the words beside it; portrait: the picture above the words.
     * Until the first frame, a dark box of a camera's shape holds its place.
     */
    int pw_src = a->preview_w > 0 ? a->preview_w : 4, ph_src = a->preview_w > 0 ? a->preview_h : 3;
    int rw = c->w - 2 * u, rh = bottom - top, px = u, py = top, pw, ph;
    if (narrow(c)) {
        pw = rw;
        ph = pw * ph_src / pw_src;
        if (ph > rh * 11 / 20) {
            ph = rh * 11 / 20;
            pw = ph * pw_src / ph_src;
        }
        px = (c->w - pw) / 2;
    } else {
        pw = rw / 2;
        ph = pw * ph_src / pw_src;
        if (ph > rh) {
            ph = rh;
            pw = ph * pw_src / ph_src;
        }
        py = top + (rh - ph) / 2;
    }
    kd_rect(c->l, px, py, pw, ph, 0, C_TEXT);
    if (a->preview_w > 0)
        kd_grey(c->l, px, py, pw, ph, a->preview, a->preview_w, a->preview_h, a->preview_gen);
    /* The target: a square of two thirds of the picture's short side, its corners in the accent. */
    int side = (pw < ph ? pw : ph) * 2 / 3, arm = side / 5, t = u / 3 > 3 ? u / 3 : 3;
    int sx = px + (pw - side) / 2, sy = py + (ph - side) / 2;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            int cx = i ? sx + side - arm : sx, cy = j ? sy + side - t : sy;
            kd_rect(c->l, cx, cy, arm, t, 0, C_ACCENT);
            kd_rect(c->l, i ? sx + side - t : sx, j ? sy + side - arm : sy, t, arm, 0, C_ACCENT);
        }
    kd_border(c->l, px, py, pw, ph, 2, C_LINE);
    /* The words: beside the picture, or under it. */
    int tx, tw, ty, tb;
    if (narrow(c)) {
        tx = 2 * u;
        tw = c->w - 4 * u;
        ty = py + ph + u;
        tb = bottom;
    } else {
        tx = px + pw + u;
        tw = c->w - tx - u;
        ty = top;
        tb = bottom;
        font = KD_FONT_LARGE; /* beside the picture: the title's size would break every word */
        lh = font_h(c, font) * 6 / 5;
    }
    const char *sub = T(a, K_VERIFY_SHOW_SUB);
    int l1 = wrap(c, font, big, (int)strlen(big), tw, count_line, NULL),
        l2 = wrap(c, KD_FONT_BODY, sub, (int)strlen(sub), tw, count_line, NULL);
    int need = (l1 < 3 ? l1 : 3) * lh + u + (l2 < 2 ? l2 : 2) * font_h(c, KD_FONT_BODY) * 6 / 5;
    y = ty + (tb - ty - need) / 2;
    if (y < ty)
        y = ty;
    y += paragraph(c, tx, y, tw, font, KD_CENTER, C_TEXT, big, 3) + u;
    paragraph(c, tx, y, tw, KD_FONT_BODY, KD_CENTER, C_MUTED, sub, 2);
}

/*
 * The verdict: a green or red band with a mark and one big word, then the
 * signer's details as the receipt's signature vouches for them (never the
 * claims of a receipt that did not verify), and on red the reason.
 */
static void verify_verdict(ctx *c, int top, int bottom)
{
    app *a = c->a;
    int u = c->u, ok = a->verdict == VERDICT_VALID, tall = narrow(c);
    kd_color band = ok ? C_OK : C_ERROR;
    const char *word = T(a, ok ? K_VERIFY_VALID : K_VERIFY_INVALID);
    const char *sub = T(a, ok ? (a->verdict_other ? K_VERIFY_VALID_OTHER : K_VERIFY_VALID_SUB)
                              : K_VERIFY_INVALID_SUB);
    const char *mark = ok ? "\xe2\x9c\x93" : "\xe2\x9c\x97";
    int bx = u, bw = c->w - 2 * u, bh = tall ? 15 * u : 7 * u, y = top;
    if (bh > (bottom - top) / 2)
        bh = (bottom - top) / 2;
    kd_rect(c->l, bx, y, bw, bh, u, band);
    if (tall) {
        /* Portrait: the mark above the word, all centred. */
        int d = 6 * u;
        kd_rect(c->l, bx + (bw - d) / 2, y + u, d, d, d / 2, C_PANEL);
        kd_text(c->l, bx + (bw - d) / 2, y + u, d, d, KD_FONT_HUGE, KD_CENTER, band, mark, -1);
        kd_text(c->l, bx + u, y + 7 * u + u / 2, bw - 2 * u, 4 * u,
                fit_font(c, KD_FONT_HUGE, word, bw - 2 * u), KD_CENTER, C_ON_ACCENT, word, -1);
        kd_text(c->l, bx + u, y + 11 * u + u / 2, bw - 2 * u, 2 * u,
                fit_font(c, KD_FONT_LARGE, sub, bw - 2 * u), KD_CENTER, C_ON_ACCENT, sub, -1);
    } else {
        int d = bh - 2 * u, tx = bx + d + 2 * u, tw = bw - d - 3 * u;
        kd_rect(c->l, bx + u, y + u, d, d, d / 2, C_PANEL);
        kd_text(c->l, bx + u, y + u, d, d, KD_FONT_HUGE, KD_CENTER, band, mark, -1);
        kd_text(c->l, tx, y + u / 2, tw, bh / 2 + u / 2, fit_font(c, KD_FONT_HUGE, word, tw),
                KD_LEFT, C_ON_ACCENT, word, -1);
        kd_text(c->l, tx, y + bh / 2 + u / 2, tw, bh / 2 - u, fit_font(c, KD_FONT_LARGE, sub, tw),
                KD_LEFT, C_ON_ACCENT, sub, -1);
    }
    y += bh + u;
    if (!ok) {
        char why[400];
        ikr_err_format(&a->verdict_err, a->lang, why, sizeof why);
        int rx = narrow(c) ? u : 2 * u; /* in line with the details below */
        y += paragraph(c, rx, y, c->w - 2 * rx, KD_FONT_LARGE, KD_LEFT, C_ERROR, why, 3) + u / 2;
    }
    if (!a->verdict_signed)
        return;
    /* The details, in the order an inspector compares them with the person; rows that do not fit
     * go. */
    char masked[40], num[32], when[48];
    nip_grouped(masked, sizeof masked, a->vr.nip, 0);
    snprintf(num, sizeof num, "%llu", (unsigned long long)a->vr.seq);
    ikr_zone_format(when, sizeof when, (int64_t)a->vr.t, ikr_station_event(a->s)->zone_min, 0);
    /* Another kiosk's receipt names that kiosk where the event would be: the event is ours. */
    const char *label[5] = {T(a, K_VERIFY_NAME), "NIP", T(a, K_VERIFY_NUMBER), T(a, K_VERIFY_TIME),
                            T(a, a->verdict_other ? K_VERIFY_KIOSK : K_VERIFY_EVENT)};
    const char *value[5] = {a->vr.name, a->vr.nip[0] ? masked : T(a, K_NO_NIP), num, when,
                            a->verdict_other ? a->verdict_kiosk : a->vr.ev};
    int row = narrow(c) ? font_h(c, KD_FONT_SMALL) * 13 / 10 + font_h(c, KD_FONT_LARGE) * 13 / 10
                        : font_h(c, KD_FONT_LARGE) * 13 / 10;
    for (int i = 0; i < 5 && y + row <= bottom; i++)
        review_row(c, &y, label[i], value[i]);
}

static void draw_verify(ctx *c)
{
    app *a = c->a;
    int u = c->u;
    header(c, 0);
    /* Narrow, the footer's first row would be empty (no main action): the screen uses it. */
    int top = 3 * u + u / 2, bottom = narrow(c) ? c->h - 4 * u : footer_y(c);
    if (a->verdict == VERDICT_NONE) {
        title_line(c, top, T(a, K_VERIFY_TITLE));
        verify_waiting(c, top + 4 * u, bottom - u / 2);
    } else {
        verify_verdict(c, top, bottom);
    }
    /* Leaving: back to the staff menu, or on a verify station to the PIN first. */
    footer(c, a->verify_home ? T(a, K_ADMIN_TITLE) : T(a, K_BACK), KB_NONE, NULL, 0);
    char src[300];
    if (a->nframes)
        /* No count of frames read: the same verdict is not redrawn, so a count would go stale. */
        kfmt(a, src, sizeof src, K_VERIFY_FILES);
    else
        kfmt(a, src, sizeof src, K_VERIFY_CAMERA, a->camera);
    int sx = 10 * u, sy = narrow(c) ? c->h - 3 * u - u / 2 : footer_y(c) + u / 2;
    kd_text(c->l, sx, sy, c->w - sx - u, 3 * u, fit_font(c, KD_FONT_SMALL, src, c->w - sx - u),
            KD_RIGHT, C_MUTED, src, -1);
}

/* "12 / 40" and "30%": signed and expected, and the share rounded down (99.6% is not done). */
static void share_text(char *count, size_t cn, char *pct, size_t pn, uint64_t done, uint64_t of)
{
    snprintf(count, cn, "%llu / %llu", (unsigned long long)done, (unsigned long long)of);
    snprintf(pct, pn, "%llu%%", (unsigned long long)(of ? done * 100 / of : 0));
}

/*
 * One bar: the outline is what is expected, the fill what is signed (green
 * once all have).  Without a roster there is no outline, only the fill,
 * scaled to the largest count.
 */
static void bar(ctx *c, int x, int y, int w, int h, uint64_t done, uint64_t of, int outline)
{
    int t = c->u / 8 > 2 ? c->u / 8 : 2;
    uint64_t fw = of ? (uint64_t)w * (done < of ? done : of) / of : 0;
    if (done > 0 && fw < (uint64_t)t * 2)
        fw = (uint64_t)t * 2; /* one signer still shows */
    if (outline)
        kd_rect(c->l, x, y, w, h, c->u / 4, C_PANEL);
    if (fw > 0)
        kd_rect(c->l, x, y, (int)fw, h, c->u / 4, outline && done >= of ? C_OK : C_ACCENT);
    if (outline)
        kd_border(c->l, x, y, w, h, t, C_LINE);
}

/* The numbers' column: as wide as "N / N" and "100%" at the largest count in font. */
static void numbers_w(const ctx *c, int font, uint64_t most, int roster, int *numw, int *pctw)
{
    char count[64], pct[16];
    share_text(count, sizeof count, pct, sizeof pct, most, most);
    *pctw = text_w(c, font, "100%", -1) + c->u / 2;
    *numw = roster ? text_w(c, font, count, -1) + c->u + *pctw
                   : text_w(c, font, count, (int)strcspn(count, " ")) + c->u;
    if (*numw > (c->w - 2 * c->u) / 3)
        *numw = (c->w - 2 * c->u) / 3;
}

/*
 * A row of the chart: the name, the bar, the numbers.  Wide: all on one
 * line, the names in a column of 40% (a unit's name is what is read
 * first); narrow: the name above, the bar and the numbers under it.
 */
static void progress_row(ctx *c, int y, int rh, const char *name, uint64_t done, uint64_t of,
                         int roster, int font)
{
    int u = c->u, wide = !narrow(c), x = u, w = c->w - 2 * u;
    char cut[IKR_MAX_UNIT + 8], count[64], pct[16];
    int numw, pctw;
    numbers_w(c, font, c->a->totals.has_roster ? c->a->totals.expected : c->a->totals.records,
              roster, &numw, &pctw);
    int nw = wide ? w * 2 / 5 : w;
    int by = wide ? y : y + font_h(c, font) * 6 / 5, bh = wide ? rh : rh - (by - y);
    const char *shown = cut_to(c, font, name, nw - u / 2, cut, sizeof cut);
    kd_text(c->l, x, y, nw - u / 2, wide ? rh : by - y, font, KD_LEFT, C_TEXT, shown, -1);
    int bx = wide ? x + nw : x, bw = w - (wide ? nw : 0) - numw - u / 2;
    int barh = bh * 11 / 20 > u ? bh * 11 / 20 : u;
    if (barh > bh)
        barh = bh;
    bar(c, bx, by + (bh - barh) / 2, bw, barh, done, of, roster);
    int nx = bx + bw + u / 2;
    if (roster) {
        share_text(count, sizeof count, pct, sizeof pct, done, of);
        kd_text(c->l, nx, by, numw - pctw, bh, fit_font(c, font, count, numw - pctw), KD_RIGHT,
                C_MUTED, count, -1);
        kd_text(c->l, nx + numw - pctw, by, pctw, bh, fit_font(c, font, pct, pctw), KD_RIGHT,
                C_TEXT, pct, -1);
    } else {
        snprintf(count, sizeof count, "%llu", (unsigned long long)done);
        kd_text(c->l, nx, by, numw, bh, fit_font(c, font, count, numw), KD_RIGHT, C_TEXT, count,
                -1);
    }
}

/*
 * "Rekap per unit": the total on top, then a bar a unit.  With a roster,
 * signed of expected, the lowest share first (app.c), and apart from the
 * units the signers the roster does not know; without one, signed per unit
 * and a line saying how to import a roster.  The list scrolls by finger.
 */
static void draw_progress(ctx *c)
{
    app *a = c->a;
    const ikr_roster_totals *t = &a->totals;
    int u = c->u, y = 3 * u + u / 2, wide = !narrow(c);
    header(c, 0);
    char buf[200];
    int lh = font_h(c, KD_FONT_BODY) * 13 / 10, sh = font_h(c, KD_FONT_SMALL) * 13 / 10;
    if (a->hub) {
        /* With a hub: this kiosk's numbers or the whole event's, two buttons right of the title. */
        const char *here = T(a, K_PROGRESS_HERE), *whole = T(a, K_PROGRESS_WHOLE);
        int bh = 2 * u + u / 2, hw = text_w(c, KD_FONT_BODY, here, -1) + 2 * u,
            ww = text_w(c, KD_FONT_BODY, whole, -1) + 2 * u, bx = c->w - u - ww - u / 2 - hw;
        kd_text(c->l, u, y, bx - 2 * u, 3 * u,
                fit_font(c, KD_FONT_TITLE, T(a, K_ADMIN_PROGRESS), bx - 2 * u), KD_LEFT, C_TEXT,
                T(a, K_ADMIN_PROGRESS), -1);
        button(c, KB_PROGRESS_HERE, bx, y + u / 4, hw, bh, here,
               a->progress_whole ? B_SECONDARY : B_PRIMARY);
        button(c, KB_PROGRESS_WHOLE, bx + hw + u / 2, y + u / 4, ww, bh, whole,
               a->progress_whole ? B_PRIMARY : B_SECONDARY);
    } else {
        title_line(c, y, T(a, K_ADMIN_PROGRESS));
    }
    y += 3 * u + u / 2;
    if (a->hub && a->progress_whole) {
        /* Whose numbers these are: the hub's as of when it was asked, or still this kiosk's. */
        kd_color col = C_MUTED;
        if (a->progress_hub_state == HUB_PROGRESS_SHOWN) {
            char hm[32];
            time_t w = (time_t)((int64_t)a->progress_hub_at +
                                (int64_t)ikr_station_event(a->s)->zone_min * 60);
            struct tm tm;
            if (gmtime_r(&w, &tm))
                snprintf(hm, sizeof hm, "%02d.%02d", tm.tm_hour, tm.tm_min);
            else
                snprintf(hm, sizeof hm, "?");
            kfmt(a, buf, sizeof buf, K_PROGRESS_AS_OF, hm);
            col = C_OK;
        } else {
            snprintf(buf, sizeof buf, "%s",
                     T(a, a->progress_hub_state == HUB_PROGRESS_DOWN ? K_PROGRESS_HUB_DOWN
                                                                     : K_PROGRESS_LOADING));
            col = a->progress_hub_state == HUB_PROGRESS_DOWN ? C_WARN : C_MUTED;
        }
        kd_text(c->l, u, y - u / 2, c->w - 2 * u, lh, fit_font(c, KD_FONT_BODY, buf, c->w - 2 * u),
                KD_LEFT, col, buf, -1);
        y += lh;
    }
    const char *order = T(a, t->has_roster ? K_PROGRESS_ORDER : K_PROGRESS_ORDER_NAME);
    int ow = text_w(c, KD_FONT_SMALL, order, -1);
    if (a->progress_err.code) {
        message(c, u, y, c->w - 2 * u, &a->progress_err);
        y += 3 * lh;
    } else if (t->has_roster) {
        int th = wide ? 3 * u : font_h(c, KD_FONT_LARGE) * 6 / 5 + 2 * u + u / 2;
        progress_row(c, y, th, T(a, K_PROGRESS_TOTAL), t->signed_listed, t->expected, 1,
                     KD_FONT_LARGE);
        y += th + u / 2;
        /* Those who signed but are on no unit's list: a line of their own, not a bar. */
        kfmt(a, buf, sizeof buf, K_PROGRESS_UNLISTED, (int)t->unlisted);
        int bw = wide ? c->w - 3 * u - ow : c->w - 2 * u;
        kd_text(c->l, u, y, bw, lh, fit_font(c, KD_FONT_BODY, buf, bw), KD_LEFT, C_TEXT, buf, -1);
        y += wide ? 0 : lh;
    } else {
        kfmt(a, buf, sizeof buf, K_ADMIN_COUNT, (int)t->records);
        kd_text(c->l, u, y, c->w - 2 * u, 2 * u, fit_font(c, KD_FONT_LARGE, buf, c->w - 2 * u),
                KD_LEFT, C_TEXT, buf, -1);
        y += 2 * u + u / 4;
        y += paragraph(c, u, y, c->w - 2 * u, KD_FONT_BODY, KD_LEFT, C_WARN,
                       T(a, a->progress_whole && a->progress_hub_state == HUB_PROGRESS_SHOWN
                                ? K_PROGRESS_NO_ROSTER_HUB
                                : K_PROGRESS_NO_ROSTER),
                       2);
        y += wide ? u / 4 : 0;
    }
    /* The order, small, at the right end of the line above the list (its own line when narrow). */
    if (wide && t->has_roster && !a->progress_err.code)
        kd_text(c->l, c->w - u - ow, y, ow, lh, KD_FONT_SMALL, KD_RIGHT, C_MUTED, order, -1);
    else
        kd_text(c->l, u, y, c->w - 2 * u, sh, KD_FONT_SMALL, KD_LEFT, C_MUTED, order, -1);
    y += wide && t->has_roster ? lh : sh;
    kd_rect(c->l, u, y, c->w - 2 * u, 2, 0, C_LINE);
    y += u / 4;

    /* The units, clipped to the room above the footer; narrow, the footer's empty first row too. */
    int top = y, bottom = (wide ? footer_y(c) + u / 4 : c->h - 4 * u) - u / 4;
    int rh = wide ? 2 * u + u / 4 : font_h(c, KD_FONT_BODY) * 6 / 5 + 2 * u;
    int rows = (int)t->nunits + (t->units_total > t->nunits);
    if (rows == 0 && !a->progress_err.code)
        kd_text(c->l, u, top, c->w - 2 * u, 2 * u, KD_FONT_BODY, KD_LEFT, C_MUTED,
                T(a, K_ADMIN_NONE_YET), -1);
    int content = rows * rh + u / 4;
    a->progress_max = content > bottom - top ? content - (bottom - top) : 0;
    if (a->progress_scroll > a->progress_max)
        a->progress_scroll = a->progress_max;
    if (a->progress_scroll < 0)
        a->progress_scroll = 0;
    uint64_t most = 1;
    for (size_t i = 0; !t->has_roster && i < t->nunits; i++)
        if (a->units[i].signed_n > most)
            most = a->units[i].signed_n;
    kd_clip(c->l, 0, top, c->w, bottom - top);
    for (int i = a->progress_scroll / rh; i < rows; i++) {
        int ry = top + i * rh - a->progress_scroll;
        if (ry >= bottom)
            break;
        if ((size_t)i >= t->nunits) {
            kfmt(a, buf, sizeof buf, K_PROGRESS_MORE, (int)(t->units_total - t->nunits));
            kd_text(c->l, u, ry, c->w - 2 * u, rh, KD_FONT_BODY, KD_LEFT, C_MUTED, buf, -1);
            break;
        }
        const ikr_roster_unit *un = &a->units[i];
        const char *name = un->unit[0] ? un->unit : T(a, K_PROGRESS_NO_UNIT);
        progress_row(c, ry + u / 4, rh - u / 2, name, un->signed_n,
                     t->has_roster ? un->expected : most, t->has_roster, KD_FONT_BODY);
    }
    kd_clip(c->l, 0, 0, 0, 0);
    if (a->progress_max > 0) {
        /* Where in the list the reader is: a thumb at the right edge. */
        int span = bottom - top, th = span * span / content;
        int ty = top + (span - th) * a->progress_scroll / a->progress_max;
        kd_rect(c->l, c->w - u / 2 - 2, ty, u / 3 > 3 ? u / 3 : 3, th, u / 6, C_LINE);
    }
    kd_hit_add(c->l, KB_PROGRESS_LIST, 0, 0, top, c->w, bottom - top);
    /* With a roster, each unit's row opens who of it has not signed (the rows wholly on show). */
    for (int i = a->progress_scroll / rh;
         t->has_roster && !a->progress_whole && (size_t)i < t->nunits; i++) {
        int ry = top + i * rh - a->progress_scroll;
        if (ry >= bottom)
            break;
        if (ry >= top && ry + rh <= bottom + 1)
            kd_hit_add(c->l, KB_PROGRESS_UNIT, i, 0, ry, c->w - u, rh);
    }
    footer(c, T(a, K_BACK), KB_NONE, NULL, 0);
    if (t->has_roster && t->nunits && !a->progress_whole) {
        const char *tap = T(a, K_PROGRESS_TAP);
        int sx = 10 * u, sy = narrow(c) ? c->h - 3 * u - u / 2 : footer_y(c) + u / 2;
        int sw = c->w - sx - u, tl = font_h(c, KD_FONT_SMALL) * 6 / 5;
        if (text_w(c, KD_FONT_SMALL, tap, -1) <= sw) /* one line beside Back, or two */
            kd_text(c->l, sx, sy, sw, 3 * u, KD_FONT_SMALL, KD_RIGHT, C_MUTED, tap, -1);
        else
            paragraph(c, sx, sy + (3 * u - 2 * tl) / 2, sw, KD_FONT_SMALL, KD_RIGHT, C_MUTED, tap,
                      2);
    }
}

/* ------------------------------------------------------------ the staff's tools (issue 12) */

/* A button for what cannot be undone: red, white words. */
static void danger_button(ctx *c, enum kbtn id, int x, int y, int w, int h, const char *label)
{
    kd_rect(c->l, x, y, w, h, c->u / 2, held(c, id, 0) ? C_ACCENT_DOWN : C_ERROR);
    kd_text(c->l, x + c->u / 2, y, w - c->u, h, fit_font(c, KD_FONT_LARGE, label, w - c->u),
            KD_CENTER, C_ON_ACCENT, label, -1);
    kd_hit_add(c->l, id, 0, x, y, w, h);
}

/*
 * "Tutup acara ini?": after the PIN again, what closing does in words, and
 * the two answers apart: "Batal" where Back always is, "Ya, tutup acara"
 * red on the other side (its own row on a narrow screen).  Enter answers
 * neither.
 */
static void draw_close_confirm(ctx *c)
{
    app *a = c->a;
    int u = c->u, x = 2 * u, w = c->w - 4 * u;
    header(c, 0);
    kd_text(c->l, u, 3 * u + u / 2, c->w - 2 * u, 3 * u,
            fit_font(c, KD_FONT_TITLE, T(a, K_CLOSE_TITLE), c->w - 2 * u), KD_LEFT, C_ERROR,
            T(a, K_CLOSE_TITLE), -1);
    char body[600];
    int y = 8 * u;
    const ikr_event_info *ev = ikr_station_event(a->s);
    y += paragraph(c, x, y, w, KD_FONT_LARGE, KD_LEFT, C_TEXT, ev->title, 2) + u / 2;
    kfmt(a, body, sizeof body, K_CLOSE_BODY, (int)a->count);
    int room = footer_y(c) - u / 2 - y, lh = font_h(c, KD_FONT_BODY) * 6 / 5;
    paragraph(c, x, y, w, KD_FONT_BODY, KD_LEFT, C_TEXT, body, room / lh > 1 ? room / lh : 1);
    footer_second(c, KB_CLOSE_CANCEL, T(a, K_CANCEL), SECOND_LEFT);
    int by = footer_y(c) + u / 2, bw = text_w(c, KD_FONT_LARGE, T(a, K_CLOSE_YES), -1) + 3 * u;
    if (narrow(c)) {
        danger_button(c, KB_CLOSE_CONFIRM, u, by, c->w - 2 * u, 3 * u, T(a, K_CLOSE_YES));
        return;
    }
    if (bw < 9 * u)
        bw = 9 * u;
    if (bw > c->w - 11 * u)
        bw = c->w - 11 * u;
    danger_button(c, KB_CLOSE_CONFIRM, c->w - u - bw, by, bw, 3 * u, T(a, K_CLOSE_YES));
}

/* A label and its value on one line of the reprint screen. */
static int find_row(ctx *c, int x, int y, int w, const char *label, const char *value)
{
    int u = c->u, lw = 5 * u, lh = font_h(c, KD_FONT_BODY) * 13 / 10;
    char cut[IKR_MAX_NAME + 8];
    kd_text(c->l, x, y, lw - u / 4, lh, fit_font(c, KD_FONT_SMALL, label, lw - u / 4), KD_LEFT,
            C_MUTED, label, -1);
    int font = fit_font(c, KD_FONT_BODY, value, w - lw);
    kd_text(c->l, x + lw, y, w - lw, lh, font, KD_LEFT, C_TEXT,
            cut_to(c, font, value, w - lw, cut, sizeof cut), -1);
    return lh;
}

/*
 * "Cetak ulang struk": a keypad for a record's number or an 18-digit NIP,
 * whose record it is (the name, the NIP masked, the time), and printing it
 * again or showing its QR code full screen.  It opens on the last record.
 * Wide: the number and the record on the left, the keypad on the right;
 * narrow: the keypad under them.
 */
static void draw_find(ctx *c)
{
    app *a = c->a;
    int u = c->u, wide = c->w > c->h; /* landscape: the keypad beside, else under */
    header(c, 0);
    if (a->admin_qr_full && a->has_admin_qr) {
        draw_admin_qr(c);
        return;
    }
    title_line(c, 3 * u + u / 2, T(a, K_ADMIN_REPRINT));
    int x = u, w = wide ? c->w / 2 - 2 * u : c->w - 2 * u, y = 7 * u;
    /* What is typed, or what to type. */
    outlined(c, x, y, w, 4 * u, u / 2, 2, C_PANEL, a->find_note_bad ? C_ERROR : C_ACCENT);
    if (a->find[0])
        kd_text(c->l, x + u / 2, y, w - u, 4 * u, fit_font(c, KD_FONT_TITLE, a->find, w - u),
                KD_CENTER, C_TEXT, a->find, -1);
    else
        kd_text(c->l, x + u / 2, y, w - u, 4 * u,
                fit_font(c, KD_FONT_BODY, T(a, K_REPRINT_HINT), w - u), KD_CENTER, C_MUTED,
                T(a, K_REPRINT_HINT), -1);
    y += 4 * u + u / 2;
    int sh = font_h(c, KD_FONT_SMALL) * 6 / 5, lines = 1;
    if (a->find_note[0]) {
        lines =
            wrap(c, KD_FONT_SMALL, a->find_note, (int)strlen(a->find_note), w, count_line, NULL) > 1
                ? 2
                : 1;
        paragraph(c, x, y, w, KD_FONT_SMALL, KD_LEFT, a->find_note_bad ? C_ERROR : C_OK,
                  a->find_note, 2);
    } else if (a->find_is_last) {
        kd_text(c->l, x, y, w, sh, KD_FONT_SMALL, KD_LEFT, C_MUTED, T(a, K_FIND_LAST), -1);
    }
    y += lines * sh + u / 4;
    /* The record: its number, whose it is, when. */
    int ay = wide ? footer_y(c) - 3 * u : 0; /* the actions' row */
    if (a->find_seq) {
        char num[32], nip[40], when[80];
        snprintf(num, sizeof num, "%llu", (unsigned long long)a->find_seq);
        nip_grouped(nip, sizeof nip, a->find_nip, 0);
        app_clock_text(a, (int64_t)a->find_t, when, sizeof when);
        const char *label[4] = {T(a, K_VERIFY_NUMBER), T(a, K_VERIFY_NAME), "NIP",
                                T(a, K_VERIFY_TIME)};
        const char *value[4] = {num, a->find_name, a->find_nip[0] ? nip : T(a, K_NO_NIP), when};
        int lh = font_h(c, KD_FONT_BODY) * 13 / 10;
        for (int i = 0; i < 4 && (!wide || y + lh <= ay - u / 4); i++)
            y += find_row(c, x, y, w, label[i], value[i]);
    } else if (!wide) {
        y += 4 * (font_h(c, KD_FONT_BODY) * 13 / 10); /* the keypad stays where it was */
    }
    if (!wide)
        ay = y + u / 4;
    /* Print again (with a printer) and the QR code, side by side. */
    int bw = (w - u / 2) / 2, bh = 3 * u, has_printer = strcmp(a->printer, "none") != 0;
    if (a->find_seq) {
        button(c, KB_FIND_PRINT, x, ay, bw, bh,
               T(a, has_printer ? K_FIND_PRINT : K_ADMIN_NO_PRINTER),
               has_printer ? B_PRIMARY : B_DISABLED);
        button(c, KB_FIND_QR, x + bw + u / 2, ay, bw, bh, T(a, K_FIND_QR), B_SECONDARY);
    }
    static const char *const labels[12] = {"1", "2", "3", "4", "5", "6",
                                           "7", "8", "9", "C", "0", "\xe2\x8c\xab"};
    int bottom = footer_y(c) - u / 2;
    if (wide)
        keypad(c, KB_FIND_KEY, KB_FIND_CLEAR, KB_FIND_BACK, labels, c->w / 2 + u, 7 * u,
               c->w / 2 - 2 * u, bottom - 7 * u);
    else
        keypad(c, KB_FIND_KEY, KB_FIND_CLEAR, KB_FIND_BACK, labels, 3 * u, ay + bh + u,
               c->w - 6 * u, bottom - (ay + bh + u));
    footer(c, T(a, K_BACK), KB_FIND_GO, T(a, K_FIND_GO), a->find[0] != '\0');
}

/*
 * Who of one unit has not signed: the unit, how many of how many, then
 * their names and NIPs (masked), by name, scrolled by finger.  Wide: the
 * NIP on the name's line; narrow: under it.
 */
static void draw_missing(ctx *c)
{
    app *a = c->a;
    int u = c->u, wide = !narrow(c), x = u, w = c->w - 2 * u;
    header(c, 0);
    char buf[IKR_MAX_UNIT + 200], cut[IKR_MAX_UNIT + 200];
    const char *unit = a->missing_unit[0] ? a->missing_unit : T(a, K_PROGRESS_NO_UNIT);
    title_line(c, 3 * u + u / 2, T(a, K_MISSING_TITLE));
    /* The unit on a line of its own: a 128-byte name is cut, never shrunk out of reading. */
    kd_text(c->l, x, 6 * u + u / 2, w, 2 * u, KD_FONT_LARGE, KD_LEFT, C_ACCENT,
            cut_to(c, KD_FONT_LARGE, unit, w, cut, sizeof cut), -1);
    int y = 9 * u, lh = font_h(c, KD_FONT_BODY) * 13 / 10, sh = font_h(c, KD_FONT_SMALL) * 13 / 10;
    if (a->missing_err.code) {
        message(c, x, y, w, &a->missing_err);
        y += 3 * lh;
    } else {
        if (a->missing_total)
            kfmt(a, buf, sizeof buf, K_MISSING_COUNT, (int)a->missing_total,
                 (int)a->missing_expected);
        else
            snprintf(buf, sizeof buf, "%s", T(a, K_MISSING_NONE));
        kd_text(c->l, x, y, w, 2 * u, fit_font(c, KD_FONT_BODY, buf, w), KD_LEFT,
                a->missing_total ? C_TEXT : C_OK, buf, -1);
        y += 2 * u + u / 4;
    }
    kd_rect(c->l, x, y, w, 2, 0, C_LINE);
    y += u / 4;
    int top = y, bottom = (wide ? footer_y(c) + u / 4 : c->h - 4 * u) - u / 4;
    int rh = wide ? lh + u / 2 : lh + sh + u / 2;
    int rows = (int)a->nmissing + (a->missing_total > a->nmissing);
    int content = rows * rh + u / 4;
    a->missing_max = content > bottom - top ? content - (bottom - top) : 0;
    if (a->missing_scroll > a->missing_max)
        a->missing_scroll = a->missing_max;
    if (a->missing_scroll < 0)
        a->missing_scroll = 0;
    int nipw = text_w(c, KD_FONT_BODY, "******** ****** 0 000", -1);
    kd_clip(c->l, 0, top, c->w, bottom - top);
    for (int i = a->missing_scroll / rh; i < rows; i++) {
        int ry = top + i * rh - a->missing_scroll + u / 4;
        if (ry >= bottom)
            break;
        if ((size_t)i >= a->nmissing) {
            kfmt(a, buf, sizeof buf, K_MISSING_MORE, (int)(a->missing_total - a->nmissing));
            kd_text(c->l, x, ry, w, lh, KD_FONT_BODY, KD_LEFT, C_MUTED, buf, -1);
            break;
        }
        const missing_person *p = &a->missing[i];
        char nip[40];
        nip_grouped(nip, sizeof nip, p->nip, 0);
        const char *shown_nip = p->nip[0] ? nip : T(a, K_NO_NIP);
        int namew = wide ? w - nipw - u : w - u;
        kd_text(c->l, x, ry, namew, lh, KD_FONT_BODY, KD_LEFT, C_TEXT,
                cut_to(c, KD_FONT_BODY, p->name, namew, cut, sizeof cut), -1);
        if (wide)
            kd_text(c->l, x + w - nipw - u / 2, ry, nipw, lh, KD_FONT_BODY, KD_RIGHT, C_MUTED,
                    shown_nip, -1);
        else
            kd_text(c->l, x, ry + lh, w - u, sh, KD_FONT_SMALL, KD_LEFT, C_MUTED, shown_nip, -1);
    }
    kd_clip(c->l, 0, 0, 0, 0);
    if (a->missing_max > 0) {
        int span = bottom - top, th = span * span / content;
        int ty = top + (span - th) * a->missing_scroll / a->missing_max;
        kd_rect(c->l, c->w - u / 2 - 2, ty, u / 3 > 3 ? u / 3 : 3, th, u / 6, C_LINE);
    }
    kd_hit_add(c->l, KB_MISSING_LIST, 0, 0, top, c->w, bottom - top);
    footer(c, T(a, K_BACK), KB_NONE, NULL, 0);
}

/*
 * The unit picker: the roster's units as buttons, a page at a time, and
 * "Lainnya" to type a unit that is not there.
 */
static void draw_units(ctx *c)
{
    app *a = c->a;
    int u = c->u, portrait = c->h > c->w;
    header(c, 3);
    title_line(c, 3 * u + u / 2, T(a, K_UNITS_TITLE));
    int top = 7 * u, bottom = footer_y(c) - u / 2, bh = 3 * u, gap = u / 3;
    int cols = portrait || c->w < 40 * u ? 1 : 2;
    int pager = 3 * u; /* the page buttons' column */
    int cw = (c->w - 2 * u - pager - u / 2 - (cols - 1) * u / 2) / cols;
    int rows = (bottom - top - bh - gap) / (bh + gap);
    rows = rows < 1 ? 1 : rows;
    int per = rows * cols;
    per = per > 10 ? 10 : per; /* the buttons' index is one digit */
    a->unit_per_page = per;
    int n = (int)a->totals.nunits;
    if (a->unit_page >= n)
        a->unit_page = 0;
    for (int i = 0; i < per && a->unit_page + i < n; i++) {
        int x = u + (i % cols) * (cw + u / 2), y = top + (i / cols) * (bh + gap);
        const char *name = a->units[a->unit_page + i].unit;
        char cut[IKR_MAX_UNIT + 8];
        int pressed = held(c, KB_UNIT, '0' + i);
        int sel = strcmp(a->field[2], name) == 0;
        outlined(c, x, y, cw, bh, u / 2, sel ? 3 : 2, pressed ? C_DISABLED : C_PANEL,
                 sel ? C_ACCENT : C_KEY_LINE);
        kd_text(c->l, x + u / 2, y, cw - u, bh, KD_FONT_LARGE, KD_LEFT, C_TEXT,
                cut_to(c, KD_FONT_LARGE, name, cw - u, cut, sizeof cut), -1);
        kd_hit_add(c->l, KB_UNIT, '0' + i, x, y, cw, bh);
    }
    /* "Lainnya" under the list, and the page's place among the units. */
    int oy = top + ((per + cols - 1) / cols) * (bh + gap);
    int ow = text_w(c, KD_FONT_LARGE, T(a, K_UNIT_OTHER), -1) + 2 * u;
    ow = ow > c->w - 2 * u - pager ? c->w - 2 * u - pager : ow;
    button(c, KB_UNIT_OTHER, u, oy, ow, bh, T(a, K_UNIT_OTHER), B_SECONDARY);
    if (n > per) {
        char pos[64];
        int last = a->unit_page + per < n ? a->unit_page + per : n;
        kfmt(a, pos, sizeof pos, K_UNIT_PAGE, a->unit_page + 1, last, n);
        kd_text(c->l, u + ow + u / 2, oy, c->w - 3 * u - ow - pager, bh, KD_FONT_BODY, KD_RIGHT,
                C_MUTED, pos, -1);
        int px = c->w - u - pager, ph = (bottom - top - gap) / 2;
        button(c, KB_UNIT_UP, px, top, pager, ph, "\xe2\x96\xb2",
               a->unit_page > 0 ? B_SECONDARY : B_DISABLED);
        button(c, KB_UNIT_DOWN, px, top + ph + gap, pager, ph, "\xe2\x96\xbc",
               a->unit_page + per < n ? B_SECONDARY : B_DISABLED);
    }
    footer(c, T(a, K_BACK), KB_NONE, NULL, 0);
}

static void draw_idle(ctx *c, int64_t left)
{
    app *a = c->a;
    int u = c->u;
    /* Opaque: while nobody is there, nothing the signer entered shows. */
    kd_rect(c->l, 0, 0, c->w, c->h, 0, C_BG);
    int w = c->w * 3 / 4, h = 14 * u;
    if (w < 20 * u)
        w = c->w - 2 * u;
    int x = (c->w - w) / 2, y = (c->h - h) / 2;
    kd_rect(c->l, x, y, w, h, u, C_PANEL);
    kd_text(c->l, x + u, y + u, w - 2 * u, 3 * u, KD_FONT_TITLE, KD_CENTER, C_TEXT,
            T(a, K_IDLE_TITLE), -1);
    char body[160];
    kfmt(a, body, sizeof body, K_IDLE_BODY, (int)((left + 999) / 1000));
    paragraph(c, x + u, y + 4 * u + u / 2, w - 2 * u, KD_FONT_BODY, KD_CENTER, C_TEXT, body, 3);
    int bw = 10 * u;
    kd_rect(c->l, x + (w - bw) / 2, y + h - 4 * u, bw, 3 * u, u / 2, C_ACCENT);
    kd_text(c->l, x + (w - bw) / 2, y + h - 4 * u, bw, 3 * u, KD_FONT_LARGE, KD_CENTER, C_ON_ACCENT,
            T(a, K_IDLE_CONTINUE), -1);
    /* The whole screen dismisses the countdown: nothing under it may be tapped. */
    kd_hit_add(c->l, KB_IDLE_CONTINUE, 0, 0, 0, c->w, c->h);
}

void screens_draw(app *a, kd_list *l, const kd_measure *m, int width, int height, int unit)
{
    kd_begin(l, width, height, unit, C_BG);
    ctx c = {a, l, m, unit, width, height};
    int64_t left = app_idle_left(a);
    switch (left > 0 ? -1 : a->screen) {
    case S_WELCOME:
        draw_welcome(&c);
        break;
    case S_DECL:
        draw_decl(&c);
        break;
    case S_STATUS:
        draw_status(&c);
        break;
    case S_NIP:
        draw_nip(&c);
        break;
    case S_DETAILS:
        draw_details(&c);
        break;
    case S_SIGN:
        draw_sign(&c);
        break;
    case S_REVIEW:
        draw_review(&c);
        break;
    case S_DONE:
        draw_done(&c);
        break;
    case S_ERROR:
        draw_error(&c);
        break;
    case S_ADMIN_PIN:
        draw_admin_pin(&c);
        break;
    case S_ADMIN:
        draw_admin(&c);
        break;
    case S_VERIFY:
        draw_verify(&c);
        break;
    case S_USB:
        draw_usb(&c);
        break;
    case S_PROGRESS:
        draw_progress(&c);
        break;
    case S_CLOCK:
        draw_clock(&c);
        break;
    case S_UNITS:
        draw_units(&c);
        break;
    case S_CLOSE_CONFIRM:
        draw_close_confirm(&c);
        break;
    case S_FIND:
        draw_find(&c);
        break;
    case S_MISSING:
        draw_missing(&c);
        break;
    default:
        break;
    }
    if (left > 0)
        draw_idle(&c, left);
}
