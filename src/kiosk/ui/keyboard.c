/*
 * keyboard.c: the details screen's keyboard (keyboard.h).
 *
 * Why two layers of four rows: on a 7-inch 800x480 panel the header, the
 * three fields and the roster's note leave about 230 px, room for four rows
 * of 9 mm keys and not five, so the digits (needed in few units: "SMP
 * Negeri 2") and the signs titles and units use now and then (/ & ( ))
 * are one tap away behind "?123", and the letters keep the signs names and
 * titles need at every turn (' - , .).  The same keyboard on every screen
 * size, so a signer meets the same keys on every kiosk of an event.
 */
#include <string.h>

#include "keyboard.h"
#include "textedit.h"

/* The Back and Next places at the bottom row's ends: not keys. */
enum { SLOT_BACK = 1, SLOT_NEXT = 2 };

typedef struct kdef {
    enum kbtn btn;
    int idx;  /* KB_CHAR: the character; KB_NONE: the slot */
    int span; /* in half columns; a row has 2 * KB_COLS */
} kdef;

#define C(ch)                                                                                      \
    {                                                                                              \
        KB_CHAR, ch, 2                                                                             \
    }
#define ROW_END                                                                                    \
    {                                                                                              \
        KB_NONE, 0, 0                                                                              \
    }

/* The rows of each layer, each ending in ROW_END. */
static const kdef letters[KB_ROWS][KB_COLS + 1] = {
    {C('Q'),
     C('W'),
     C('E'),
     C('R'),
     C('T'),
     C('Y'),
     C('U'),
     C('I'),
     C('O'),
     C('P'),
     {KB_KB_BS, 0, 2},
     ROW_END},
    {C('A'), C('S'), C('D'), C('F'), C('G'), C('H'), C('J'), C('K'), C('L'), C('\''), C('-'),
     ROW_END},
    {{KB_KB_SHIFT, 0, 2},
     C('Z'),
     C('X'),
     C('C'),
     C('V'),
     C('B'),
     C('N'),
     C('M'),
     C(','),
     C('.'),
     {KB_KB_CAPS, 0, 2},
     ROW_END},
    {{KB_NONE, SLOT_BACK, 4},
     {KB_KB_LAYER, 0, 3},
     {KB_KB_LEFT, 0, 2},
     {KB_KB_SPACE, 0, 6},
     {KB_KB_RIGHT, 0, 2},
     {KB_NONE, SLOT_NEXT, 5},
     ROW_END},
};

static const kdef symbols[KB_ROWS][KB_COLS + 1] = {
    {C('1'),
     C('2'),
     C('3'),
     C('4'),
     C('5'),
     C('6'),
     C('7'),
     C('8'),
     C('9'),
     C('0'),
     {KB_KB_BS, 0, 2},
     ROW_END},
    {C('-'), C('/'), C('&'), C('('), C(')'), C('\''), C('"'), C('.'), C(','), C(':'), C(';'),
     ROW_END},
    {C('#'), C('+'), C('='), C('_'), C('!'), C('?'), C('@'), C('%'), C('*'), C('<'), C('>'),
     ROW_END},
    {{KB_NONE, SLOT_BACK, 4},
     {KB_KB_LAYER, 0, 3},
     {KB_KB_LEFT, 0, 2},
     {KB_KB_SPACE, 0, 6},
     {KB_KB_RIGHT, 0, 2},
     {KB_NONE, SLOT_NEXT, 5},
     ROW_END},
};

int keyboard_gap(int unit)
{
    return unit / 5 > 2 ? unit / 5 : 2;
}

int keyboard_min_height(int unit)
{
    return KB_ROWS * KB_MIN_KEY_PX + (KB_ROWS - 1) * keyboard_gap(unit);
}

void keyboard_layout(kb_layout *k, int layer, int x, int bottom, int w, int avail, int unit)
{
    const kdef(*rows)[KB_COLS + 1] = layer == KB_LAYER_SYMBOLS ? symbols : letters;
    int gap = keyboard_gap(unit);
    int kh = (avail - (KB_ROWS - 1) * gap) / KB_ROWS;
    if (kh > 3 * unit)
        kh = 3 * unit; /* no taller than a finger needs: the rest stays with the fields */
    if (kh < KB_MIN_KEY_PX)
        kh = KB_MIN_KEY_PX;
    memset(k, 0, sizeof *k);
    k->gap = gap;
    k->x = x;
    k->w = w;
    k->h = KB_ROWS * kh + (KB_ROWS - 1) * gap;
    k->y = bottom - k->h;
    /* Columns by their left edges, so keys fill w exactly and every gap is the same. */
    long halves = 2 * KB_COLS;
    for (int r = 0; r < KB_ROWS; r++) {
        int at = 0, y = k->y + r * (kh + gap);
        for (const kdef *d = rows[r]; d->span; d++) {
            int x0 = x + (int)((long)at * (w + gap) / halves);
            int x1 = x + (int)((long)(at + d->span) * (w + gap) / halves) - gap;
            at += d->span;
            int box[4] = {x0, y, x1 - x0, kh};
            if (d->btn == KB_NONE) {
                memcpy(d->idx == SLOT_BACK ? k->back : k->next, box, sizeof box);
                continue;
            }
            kb_key *key = &k->key[k->n++];
            key->btn = d->btn;
            key->idx = d->btn == KB_CHAR ? d->idx : 0;
            key->x = box[0];
            key->y = box[1];
            key->w = box[2];
            key->h = box[3];
        }
    }
}

static int fit(const kd_measure *m, int font, const char *s, int width)
{
    while (font > KD_FONT_SMALL && m->width(m->ctx, font, s, (int)strlen(s)) > width)
        font--;
    return font;
}

void keyboard_draw(kd_list *l, const kd_measure *m, const kb_layout *k, const kb_view *v,
                   const kb_palette *p)
{
    int u = v->unit, line = u / 8 > 2 ? u / 8 : 2, radius = u / 4;
    int upper = v->shift != v->caps; /* caps lock and shift: small letters, as on a PC */
    for (int i = 0; i < k->n; i++) {
        const kb_key *key = &k->key[i];
        char label[2] = {(char)key->idx, '\0'};
        const char *text = label;
        int on = 0; /* a state key that is on: shift for one letter, caps lock */
        switch (key->btn) {
        case KB_CHAR:
            if (!upper && key->idx >= 'A' && key->idx <= 'Z')
                label[0] = (char)(key->idx - 'A' + 'a');
            break;
        case KB_KB_SHIFT:
            text = v->shift_label;
            on = v->shift;
            break;
        case KB_KB_CAPS:
            text = v->caps_label;
            on = v->caps;
            break;
        case KB_KB_LAYER:
            text = v->layer == KB_LAYER_SYMBOLS ? v->to_letters : v->to_symbols;
            break;
        case KB_KB_SPACE:
            text = v->space;
            break;
        case KB_KB_BS:
            text = "\xe2\x8c\xab"; /* ⌫ */
            break;
        case KB_KB_LEFT:
            text = "\xe2\x97\x80"; /* ◀ */
            break;
        case KB_KB_RIGHT:
            text = "\xe2\x96\xb6"; /* ▶ */
            break;
        default:
            text = "";
            break;
        }
        int held = v->held == key->btn && v->held_idx == key->idx;
        kd_color fill = on ? (held ? p->accent_down : p->accent) : held ? p->key_down : p->key;
        /* The outline is the whole box, the fill inset in it: what the finger aims at. */
        kd_rect(l, key->x, key->y, key->w, key->h, radius, on ? p->accent : p->line);
        kd_rect(l, key->x + line, key->y + line, key->w - 2 * line, key->h - 2 * line,
                radius > line ? radius - line : 0, fill);
        int font = fit(m, KD_FONT_LARGE, text, key->w - u / 2), n = (int)strlen(text);
        /* A label too wide even small ("⇪ ABC" on a narrow key) keeps its sign, its first word. */
        if (m->width(m->ctx, font, text, n) > key->w - u / 2 && strchr(text, ' ')) {
            n = (int)(strchr(text, ' ') - text);
            font = KD_FONT_LARGE;
        }
        kd_text(l, key->x, key->y, key->w, key->h, font, KD_CENTER, on ? p->on_accent : p->text,
                text, n);
        kd_hit_add(l, key->btn, key->idx, key->x, key->y, key->w, key->h);
    }
}

static int width_of(const kd_measure *m, int font, const char *s, size_t n)
{
    return m->width(m->ctx, font, s, (int)n);
}

void keyboard_field(kd_list *l, const kd_measure *m, int x, int y, int w, int h, int font,
                    kd_color text, kd_color caret_color, int caret_w, const char *s, size_t *caret,
                    size_t *scroll, int tap_x)
{
    size_t len = strlen(s), cur = te_clamp(s, *caret), sc = te_clamp(s, *scroll);
    if (tap_x >= 0) {
        /* The boundary nearest the tap, in the text as the last frame showed it. */
        int best = tap_x - x < 0 ? x - tap_x : tap_x - x;
        cur = sc;
        for (size_t p = sc; p < len;) {
            p = te_next(s, p);
            int px = x + width_of(m, font, s + sc, p - sc),
                d = px > tap_x ? px - tap_x : tap_x - px;
            if (d < best) {
                best = d;
                cur = p;
            }
            if (px > tap_x)
                break;
        }
    }
    int room = w - caret_w;
    if (cur < sc)
        sc = cur;
    while (sc < cur && width_of(m, font, s + sc, cur - sc) > room)
        sc = te_next(s, sc);
    /* Text scrolled off to the left comes back as soon as the rest fits again. */
    while (sc > 0 && width_of(m, font, s + te_prev(s, sc), len - te_prev(s, sc)) <= room)
        sc = te_prev(s, sc);
    /* Whole characters only, as many as fit: at least up to the caret. */
    size_t n = len - sc;
    if (width_of(m, font, s + sc, n) > w) {
        n = cur - sc;
        for (size_t p = te_next(s, cur); p > sc + n && width_of(m, font, s + sc, p - sc) <= w;
             p = te_next(s, p))
            n = p - sc;
    }
    if (n)
        kd_text(l, x, y, w, h, font, KD_LEFT, text, s + sc, (int)n);
    int fh = m->height(m->ctx, font);
    if (fh > h)
        fh = h;
    kd_rect(l, x + width_of(m, font, s + sc, cur - sc), y + (h - fh) / 2, caret_w, fh, 0,
            caret_color);
    *caret = cur;
    *scroll = sc;
}
