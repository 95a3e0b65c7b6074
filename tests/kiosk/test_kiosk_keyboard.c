/*
 * test_kiosk_keyboard: the details screen's keyboard (src/kiosk/ui/keyboard.c)
 * as a signer meets it.  Its keys at 800x480 (a 7-inch panel, 5.25 px per
 * mm) are at least 9 mm, 48 px, on both sides of the box drawn, at the three
 * sizes the kiosk is tried at, side by side without overlapping, inside
 * the window and under the fields; their outlines stand out 3:1 from the
 * background (WCAG), from the colours the frame really draws.  Then typing
 * by taps: a capital at each word, shift for one letter, caps lock until
 * pressed again, "?123" for digits and / & ( ), the caret moved by the
 * arrows and by a tap, and backspace at it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "keyboard.h"
#include "kiosk_fixture.h"

static char root[] = "/tmp/ikrar-kiosk-keyboard-XXXXXX";

static const int sizes[3][2] = {{800, 480}, {1280, 800}, {1080, 1920}};

static ikr_station *make_station(const char *name)
{
    return kiosk_event_station(root, name);
}

/* A non-ASN signer on the details screen, in a w x h window. */
static void to_details(kiosk *k, ikr_station *s, int w, int h)
{
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = 1};
    kiosk_open(k, s, w, h, &o);
    tap(k, KB_START);
    read_declaration(k);
    tap(k, KB_AGREE);
    tap(k, KB_NO_NIP);
}

/* Typed on a physical keyboard, in pieces of at most 24 bytes cut between characters. */
static void type_long(kiosk *k, const char *s)
{
    char piece[32];
    size_t len = strlen(s);
    while (len > 0) {
        size_t n = len < 24 ? len : 24;
        while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
        memcpy(piece, s, n);
        piece[n] = '\0';
        type(k, piece);
        s += n;
        len -= n;
    }
}

static int is_key(enum kbtn b)
{
    return b == KB_CHAR || b == KB_KB_SHIFT || b == KB_KB_CAPS || b == KB_KB_LAYER ||
           b == KB_KB_LEFT || b == KB_KB_RIGHT || b == KB_KB_SPACE || b == KB_KB_BS;
}

static int overlap(const kd_hit *a, const kd_hit *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* WCAG 2's relative luminance and contrast ratio. */
static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(kd_color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

static double contrast(kd_color a, kd_color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The first rectangle drawn exactly on a key's box: its outline (the fill is inset in it). */
static const kd_cmd *outline_of(const kd_list *l, const kd_hit *h, int *index)
{
    for (int i = 0; i < l->ncmd; i++) {
        const kd_cmd *c = &l->cmd[i];
        if (c->type == KD_RECT && c->x == h->x && c->y == h->y && c->w == h->w && c->h == h->h) {
            *index = i;
            return c;
        }
    }
    return NULL;
}

/* The label drawn on a key (a text in its box), or "". */
static const char *label_of(const kiosk *k, enum kbtn b, int idx)
{
    const kd_hit *h = kd_hit_find(&k->l, b, idx);
    for (int i = 0; h && i < k->l.ncmd; i++) {
        const kd_cmd *c = &k->l.cmd[i];
        if (c->type == KD_TEXT && c->x == h->x && c->y == h->y && c->w == h->w && c->h == h->h)
            return c->text;
    }
    return "";
}

/* Sizes, overlaps, the window, the fields above, and contrast, for the frame on show. */
static void check_frame(const kiosk *k, const char *what)
{
    const kd_list *l = &k->l;
    int keys = 0, small = 0, out = 0, overlapping = 0, low = 0, covered = 0, field_bottom = 0,
        top = k->h;
    int minw = 1 << 30, minh = 1 << 30;
    double worst = 100;
    for (int i = 0; i < l->nhit; i++) {
        const kd_hit *h = &l->hit[i];
        if (h->btn >= KB_FIELD_NAME && h->btn <= KB_FIELD_UNIT && h->y + h->h > field_bottom)
            field_bottom = h->y + h->h;
        if (!is_key(h->btn) && h->btn != KB_BACK && h->btn != KB_NEXT)
            continue;
        keys++;
        minw = h->w < minw ? h->w : minw;
        minh = h->h < minh ? h->h : minh;
        top = h->y < top ? h->y : top;
        small += h->w < KB_MIN_KEY_PX || h->h < KB_MIN_KEY_PX;
        out += h->x < 0 || h->y < 0 || h->x + h->w > k->w || h->y + h->h > k->h;
        for (int j = 0; j < i; j++)
            if ((is_key(l->hit[j].btn) || l->hit[j].btn == KB_BACK || l->hit[j].btn == KB_NEXT) &&
                overlap(h, &l->hit[j]))
                overlapping++;
        if (!is_key(h->btn))
            continue;
        /* Nothing is drawn under a key before it: the background around it is the clear colour. */
        int at = -1;
        const kd_cmd *o = outline_of(l, h, &at);
        for (int j = 0; o && j < at; j++) {
            const kd_cmd *c = &l->cmd[j];
            kd_hit box = {KB_NONE, 0, c->x, c->y, c->w, c->h};
            if (c->type == KD_RECT && overlap(&box, h))
                covered++;
        }
        double r = o ? contrast(o->color, l->clear) : 0;
        worst = r < worst ? r : worst;
        low += r < 3.0;
    }
    char desc[200];
    printf("%dx%d %s: %d keys, the smallest %dx%d px, outlines at least %.2f:1\n", k->w, k->h, what,
           keys, minw, minh, worst);
    snprintf(desc, sizeof desc, "%dx%d %s: a keyboard of 37 keys, Back and Next", k->w, k->h, what);
    check(desc, keys == 39);
    snprintf(desc, sizeof desc, "%dx%d %s: every key's box at least %d px on both sides", k->w,
             k->h, what, KB_MIN_KEY_PX);
    check(desc, small == 0);
    snprintf(desc, sizeof desc, "%dx%d %s: no key overlaps another, all inside the window", k->w,
             k->h, what);
    check(desc, overlapping == 0 && out == 0);
    snprintf(desc, sizeof desc, "%dx%d %s: the fields show above the keyboard", k->w, k->h, what);
    check(desc, field_bottom > 0 && field_bottom <= top);
    snprintf(desc, sizeof desc, "%dx%d %s: key outlines at least 3:1 against the background", k->w,
             k->h, what);
    check(desc, low == 0 && covered == 0);
}

static void sizes_and_contrast(ikr_station *s)
{
    for (int i = 0; i < 3; i++) {
        kiosk k;
        to_details(&k, s, sizes[i][0], sizes[i][1]);
        check_frame(&k, "letters");
        tap(&k, KB_KB_CAPS);
        check_frame(&k, "caps lock on");
        tap(&k, KB_KB_LAYER);
        check_frame(&k, "?123");
        /* A refusal under the fields (a position over 128 bytes) leaves the keys their size. */
        tap(&k, KB_KB_LAYER);
        type(&k, "Siti");
        tap(&k, KB_FIELD_POS);
        for (int n = 0; n < 3; n++)
            type_long(&k, "Kepala Sub Bagian Tata Usaha dan Umum pada Sekretariat");
        tap(&k, KB_NEXT);
        check("the refusal shows", shows(&k, "terlalu panjang"));
        check_frame(&k, "with a refusal");
        app_free(k.a);
    }
    /* The layout alone, in the least room it may have, for both layers. */
    for (int i = 0; i < 3; i++) {
        int w = sizes[i][0], h = sizes[i][1], u = (w < h ? w : h) / 28;
        for (int layer = 0; layer < KB_LAYERS; layer++) {
            kb_layout kb;
            keyboard_layout(&kb, layer, u, h - u / 2, w - 2 * u, 0, u);
            int ok = kb.n == 37 && kb.y >= 0 && kb.back[2] >= KB_MIN_KEY_PX &&
                     kb.next[2] >= KB_MIN_KEY_PX;
            for (int j = 0; j < kb.n; j++) {
                const kb_key *a = &kb.key[j];
                ok &= a->w >= KB_MIN_KEY_PX && a->h >= KB_MIN_KEY_PX && a->x >= u &&
                      a->x + a->w <= w - u && a->y >= kb.y && a->y + a->h <= h - u / 2;
                for (int m = 0; m < j; m++) {
                    kd_hit p = {KB_NONE, 0, a->x, a->y, a->w, a->h},
                           q = {KB_NONE, 0, kb.key[m].x, kb.key[m].y, kb.key[m].w, kb.key[m].h};
                    ok &= !overlap(&p, &q);
                }
            }
            char desc[120];
            snprintf(desc, sizeof desc, "%dx%d layer %d squeezed: keys still %d px, apart, inside",
                     w, h, layer, KB_MIN_KEY_PX);
            check(desc, ok);
        }
    }
}

/* The name field's text, as drawn (the active field's line). */
static const char *field_text(const kiosk *k, enum kbtn field)
{
    const kd_hit *h = kd_hit_find(&k->l, field, 0);
    for (int i = 0; h && i < k->l.ncmd; i++) {
        const kd_cmd *c = &k->l.cmd[i];
        if (c->type == KD_TEXT && c->y == h->y && c->x > h->x && c->x < h->x + h->w)
            return c->text;
    }
    return "";
}

/*
 * Types text with taps only, as a signer would: the layer with the key,
 * shift when the keys show the other case.  Returns the taps it took.
 */
static int tap_text(kiosk *k, const char *text)
{
    int taps = 0;
    for (const char *p = text; *p; p++) {
        char c = *p, key = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        if (c == ' ') {
            taps += tap(k, KB_KB_SPACE);
            continue;
        }
        if (!kd_hit_find(&k->l, KB_CHAR, key))
            taps += tap(k, KB_KB_LAYER);
        if (key >= 'A' && key <= 'Z' && label_of(k, KB_CHAR, key)[0] != c)
            taps += tap(k, KB_KB_SHIFT);
        taps += tap_key(k, KB_CHAR, key);
    }
    return taps;
}

static void typing(ikr_station *s)
{
    kiosk k;
    to_details(&k, s, 800, 480);
    check("a field starts with a capital: the keys show capitals",
          strcmp(label_of(&k, KB_CHAR, 'Q'), "Q") == 0);
    tap_key(&k, KB_CHAR, 'S');
    check("shift gives one capital, then small letters",
          strcmp(label_of(&k, KB_CHAR, 'Q'), "q") == 0 && shows_caret(&k, "S"));
    tap_key(&k, KB_CHAR, 'I');
    tap(&k, KB_KB_SPACE);
    check("after a space the next word starts with a capital",
          strcmp(label_of(&k, KB_CHAR, 'R'), "R") == 0);
    tap_key(&k, KB_CHAR, 'R');
    check("typed with taps: 'Si R'", strcmp(field_text(&k, KB_FIELD_NAME), "Si R") == 0);

    /* Caps lock: capitals until pressed again, shown on its key. */
    tap(&k, KB_FIELD_UNIT);
    tap(&k, KB_KB_CAPS);
    const kd_hit *caps = kd_hit_find(&k.l, KB_KB_CAPS, 0);
    int at;
    const kd_cmd *o = caps ? outline_of(&k.l, caps, &at) : NULL;
    const kd_cmd *fill = o ? &k.l.cmd[at + 1] : NULL;
    check("caps lock on is shown: its key filled in the accent",
          fill && fill->color.b > 150 && fill->color.r < 40);
    tap_key(&k, KB_CHAR, 'S');
    tap_key(&k, KB_CHAR, 'M');
    tap_key(&k, KB_CHAR, 'P');
    tap(&k, KB_KB_SPACE);
    tap_key(&k, KB_CHAR, 'N');
    check("caps lock stays on across letters and spaces",
          strcmp(field_text(&k, KB_FIELD_UNIT), "SMP N") == 0 &&
              strcmp(label_of(&k, KB_CHAR, 'Q'), "Q") == 0);
    tap(&k, KB_KB_SHIFT);
    tap_key(&k, KB_CHAR, 'E');
    check("shift in caps lock gives one small letter, as on a PC",
          strcmp(field_text(&k, KB_FIELD_UNIT), "SMP Ne") == 0);
    tap(&k, KB_KB_CAPS);
    o = (caps = kd_hit_find(&k.l, KB_KB_CAPS, 0)) ? outline_of(&k.l, caps, &at) : NULL;
    fill = o ? &k.l.cmd[at + 1] : NULL;
    tap_key(&k, KB_CHAR, 'G');
    check("pressed again, caps lock is off and shown off",
          strcmp(field_text(&k, KB_FIELD_UNIT), "SMP Neg") == 0 && fill && fill->color.r == 255 &&
              fill->color.g == 255);

    /* The characters units and titles need, all by taps. */
    for (int i = 0; i < 7; i++)
        tap(&k, KB_KB_BS);
    check("backspace empties the field", field_text(&k, KB_FIELD_UNIT)[0] == '\0');
    int taps = tap_text(&k, "Dinas P/K (Bidang 2)");
    check("'Dinas P/K (Bidang 2)' typed with taps, the ?123 layer for / ( ) and 2",
          strcmp(field_text(&k, KB_FIELD_UNIT), "Dinas P/K (Bidang 2)") == 0);
    printf("'Dinas P/K (Bidang 2)' took %d taps\n", taps);
    check("'?123' shows the digits and the layer key says ABC",
          kd_hit_find(&k.l, KB_CHAR, '2') && !kd_hit_find(&k.l, KB_CHAR, 'Q') &&
              strcmp(label_of(&k, KB_KB_LAYER, 0), "ABC") == 0);
    tap(&k, KB_FIELD_POS);
    taps = tap_text(&k, "Kasubag TU & Umum");
    check("'Kasubag TU & Umum'", strcmp(field_text(&k, KB_FIELD_POS), "Kasubag TU & Umum") == 0);
    tap(&k, KB_FIELD_NAME);
    for (int i = 0; i < 4; i++)
        tap(&k, KB_KB_BS);
    tap_text(&k, "Drs. Ma'ruf, S.Kom.");
    check("a name with an apostrophe and a title's dots",
          strcmp(field_text(&k, KB_FIELD_NAME), "Drs. Ma'ruf, S.Kom.") == 0);

    /* The caret: the arrows, typing and backspace at it. */
    for (int i = 0; i < 8; i++)
        tap(&k, KB_KB_LEFT);
    check("eight lefts: the caret after 'Ma'ruf'", shows_caret(&k, "Drs. Ma'ruf"));
    tap(&k, KB_KB_BS);
    tap_text(&k, "f");
    check("backspace and a letter at the caret mend the word there",
          strcmp(field_text(&k, KB_FIELD_NAME), "Drs. Ma'ruf, S.Kom.") == 0 &&
              shows_caret(&k, "Drs. Ma'ruf"));
    tap(&k, KB_KB_RIGHT);
    check("right moves it on", shows_caret(&k, "Drs. Ma'ruf,"));
    key(&k, APP_KEY_LEFT);
    check("and a physical keyboard's Left back",
          shows_caret(&k, "Drs. Ma'ruf") && !shows_caret(&k, "Drs. Ma'ruf,"));
    key(&k, APP_KEY_RIGHT);
    check("and its Right on again", shows_caret(&k, "Drs. Ma'ruf,"));

    /* A tap in the field puts the caret at the letter boundary nearest it. */
    const kd_hit *f = kd_hit_find(&k.l, KB_FIELD_NAME, 0);
    int x0 = -1;
    for (int i = 0; i < k.l.ncmd; i++)
        if (k.l.cmd[i].type == KD_TEXT && strcmp(k.l.cmd[i].text, "Drs. Ma'ruf, S.Kom.") == 0)
            x0 = k.l.cmd[i].x;
    check("the name is drawn", f && x0 >= 0);
    if (f && x0 >= 0) {
        int x = x0 + kiosk_text_w(&k, KD_FONT_LARGE, "Drs", 3) + 2, y = f->y + f->h / 2;
        k.now += 40;
        feed(&k, APP_DOWN, x, y);
        k.now += 80;
        feed(&k, APP_UP, x, y);
        check("a tap just after 'Drs' puts the caret there",
              shows_caret(&k, "Drs") && !shows_caret(&k, "Drs."));
    }
    tap(&k, KB_FIELD_POS);
    check("a tap on another field puts its caret at its end", shows_caret(&k, "TU & Umum"));
    app_free(k.a);

    /* A long entry scrolls to keep the caret in view, and back. */
    to_details(&k, s, 800, 480);
    type_long(
        &k, "Raden Ayu Siti Nurhaliza Widyaningsih Prameswari Kusumawardhani \xc3\x89sth\xc3\xa9r");
    check("at the end of a long name, its end and the caret show",
          shows_caret(&k, "\xc3\x89sth\xc3\xa9r") && !shows(&k, "Raden Ayu"));
    for (int i = 0; i < 80; i++)
        tap(&k, KB_KB_LEFT);
    check("at its start, its start and the caret show",
          shows(&k, "Raden Ayu") && strncmp(field_text(&k, KB_FIELD_NAME), "Raden", 5) == 0);
    check("the field shows no more than fits", !shows(&k, "\xc3\x89sth\xc3\xa9r"));
    app_free(k.a);
}

int main(void)
{
    if (!mkdtemp(root))
        return 1;
    ikr_station *s = make_station("event");
    check("a kiosk folder", s != NULL);
    if (s) {
        sizes_and_contrast(s);
        typing(s);
        ikr_station_close(s);
    }
    ikr_file_remove_tree(root);
    return check_report();
}
