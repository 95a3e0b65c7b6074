/*
 * test_kiosk_access: the large-text and high-contrast modes and reading
 * aloud, with no display.  The palettes' contrast ratios by WCAG 2's
 * relative luminance; every colour the screens draw known to the
 * high-contrast table; the modes chosen on Welcome and dropped with the
 * signer; what "Bacakan" asks to be read and in which language, and the
 * sounds of Done and of a refusal, through the app's hooks; and every
 * signer screen fitting 800x480, 1280x800 and 1080x1920 in large text.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "check.h"
#include "ikrar/ticket.h"
#include "kiosk_fixture.h"
#include "palette.h"

static char root[] = "/tmp/ikrar-kiosk-access-XXXXXX";

/* ---- contrast ---- */

struct pair {
    int fg, bg;
};

/* Text as the screens draw it, on what it is drawn on. */
static const struct pair text_pairs[] = {
    {PAL_TEXT, PAL_BG},     {PAL_TEXT, PAL_PANEL},   {PAL_TEXT, PAL_NOTE},
    {PAL_MUTED, PAL_BG},    {PAL_MUTED, PAL_PANEL},  {PAL_ACCENT, PAL_PANEL},
    {PAL_ACCENT, PAL_BG},   {PAL_PANEL, PAL_ACCENT}, {PAL_PANEL, PAL_ACCENT_DOWN},
    {PAL_PANEL, PAL_OK},    {PAL_PANEL, PAL_ERROR},  {PAL_ERROR, PAL_BG},
    {PAL_ERROR, PAL_PANEL}, {PAL_OK, PAL_BG},        {PAL_OK, PAL_PANEL},
    {PAL_WARN, PAL_PANEL},  {PAL_WARN, PAL_NOTE},    {PAL_INK, PAL_PANEL},
};
/* Text on a key held down (its fill then is the disabled grey) and on a disabled button. */
static const struct pair pressed_pairs[] = {
    {PAL_TEXT, PAL_DISABLED},
    {PAL_ACCENT, PAL_DISABLED},
    {PAL_DISABLED_TEXT, PAL_DISABLED},
};
/* Outlines and lines against what is around them. */
static const struct pair line_pairs[] = {
    {PAL_LINE, PAL_BG},      {PAL_LINE, PAL_PANEL},  {PAL_ACCENT, PAL_BG},
    {PAL_ACCENT, PAL_PANEL}, {PAL_ERROR, PAL_PANEL},
};

#define N(a) (sizeof(a) / sizeof(a)[0])

static void contrast(void)
{
    double lo_n = 21, lo_hc = 21, lo_line = 21;
    int ok_n = 1, ok_hc = 1, ok_line = 1;
    kd_color white = {255, 255, 255, 255}, black = {0, 0, 0, 255};
    check("WCAG luminance: white 1, black 0, and 21:1 between them",
          pal_luminance(white) > 0.9999 && pal_luminance(black) < 0.0001 &&
              pal_contrast(white, black) > 20.99 && pal_contrast(black, white) < 21.01);
    kd_color grey = {118, 118, 118, 255}; /* the known grey of 4.5:1 on white */
    check("WCAG: #767676 on white is 4.5:1",
          pal_contrast(grey, white) > 4.50 && pal_contrast(grey, white) < 4.6);
    for (size_t i = 0; i < N(text_pairs); i++) {
        double n = pal_contrast(pal_normal(text_pairs[i].fg), pal_normal(text_pairs[i].bg));
        double hc = pal_contrast(pal_hc_text(text_pairs[i].fg), pal_hc_fill(text_pairs[i].bg));
        if (n < 4.5) {
            fprintf(stderr, "normal text %d on %d: %.2f:1\n", text_pairs[i].fg, text_pairs[i].bg,
                    n);
            ok_n = 0;
        }
        if (hc < 7) {
            fprintf(stderr, "high-contrast text %d on %d: %.2f:1\n", text_pairs[i].fg,
                    text_pairs[i].bg, hc);
            ok_hc = 0;
        }
        lo_n = n < lo_n ? n : lo_n;
        lo_hc = hc < lo_hc ? hc : lo_hc;
    }
    for (size_t i = 0; i < N(pressed_pairs); i++) {
        double hc =
            pal_contrast(pal_hc_text(pressed_pairs[i].fg), pal_hc_fill(pressed_pairs[i].bg));
        if (hc < 7) {
            fprintf(stderr, "high-contrast text %d on %d: %.2f:1\n", pressed_pairs[i].fg,
                    pressed_pairs[i].bg, hc);
            ok_hc = 0;
        }
        lo_hc = hc < lo_hc ? hc : lo_hc;
    }
    for (size_t i = 0; i < N(line_pairs); i++) {
        double hc = pal_contrast(pal_hc_fill(line_pairs[i].fg), pal_hc_fill(line_pairs[i].bg));
        if (hc < 3) {
            fprintf(stderr, "high-contrast line %d on %d: %.2f:1\n", line_pairs[i].fg,
                    line_pairs[i].bg, hc);
            ok_line = 0;
        }
        lo_line = hc < lo_line ? hc : lo_line;
    }
    printf("lowest contrast: normal text %.2f:1, high-contrast text %.2f:1, high-contrast "
           "outlines %.2f:1\n",
           lo_n, lo_hc, lo_line);
    check("the normal palette's text is at least 4.5:1 (WCAG AA)", ok_n);
    check("high contrast: every text at least 7:1 (WCAG AAA), pressed and disabled too", ok_hc);
    check("high contrast: outlines at least 3:1", ok_line);
    check("high contrast is black, white and yellow",
          pal_contrast(pal_hc_fill(PAL_BG), black) < 1.01 &&
              pal_contrast(pal_hc_text(PAL_TEXT), white) < 1.01 &&
              pal_hc_fill(PAL_ACCENT).r == 255 && pal_hc_fill(PAL_ACCENT).b == 0);
    check("a colour's role is found back", pal_role_of(pal_normal(PAL_WARN)) == PAL_WARN &&
                                               pal_role_of((kd_color){1, 2, 3, 255}) < 0);
}

/* ---- the app's hooks, recorded ---- */

typedef struct said {
    char line[80][200];
    int n;
} said;

static void fake_speak(void *ctx, int lang, const char *text)
{
    said *s = ctx;
    if (s->n < 80)
        snprintf(s->line[s->n++], sizeof s->line[0], "speak %s %s",
                 !text                 ? "stop"
                 : lang == IKR_LANG_EN ? "en"
                                       : "id",
                 text ? text : "");
}

static void fake_sound(void *ctx, int kind)
{
    said *s = ctx;
    if (s->n < 80)
        snprintf(s->line[s->n++], sizeof s->line[0], "sound %s",
                 kind == APP_SOUND_DONE    ? "done"
                 : kind == APP_SOUND_ERROR ? "error"
                                           : "call");
}

/* The last request, or "" when none came. */
static const char *last(const said *s)
{
    return s->n ? s->line[s->n - 1] : "";
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static ikr_station *make_station(const char *name)
{
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN",
                           "aula-1",
                           NULL,
                           0,
                           "246810",
                           NULL,
                           "",
                           "",
                           "",
                           NULL};
    return kiosk_station(root, name, &cfg);
}

static void open_kiosk(kiosk *k, ikr_station *s, said *sd, int w, int h)
{
    app_opts o = {.lang = IKR_LANG_ID,
                  .fullscreen = 1,
                  .speak = fake_speak,
                  .speak_ctx = sd,
                  .sound = fake_sound,
                  .sound_ctx = sd};
    memset(sd, 0, sizeof *sd);
    kiosk_open(k, s, w, h, &o);
}

/* Every command's colour belongs to the normal palette (QR codes, images and clips have none). */
static int colours_known(const kiosk *k)
{
    int ok = pal_role_of(k->l.clear) >= 0;
    for (int i = 0; i < k->l.ncmd; i++) {
        const kd_cmd *c = &k->l.cmd[i];
        if (c->type == KD_QR || c->type == KD_IMAGE || c->type == KD_CLIP)
            continue;
        if (pal_role_of(c->color) < 0) {
            fprintf(stderr, "%s: colour %d,%d,%d,%d is not in palette.c\n", app_screen_name(k->a),
                    c->color.r, c->color.g, c->color.b, c->color.a);
            ok = 0;
        }
    }
    return ok;
}

/* Every text and ink of the frame in one of high contrast's text colours, on black. */
static int high_contrast_frame(const kiosk *k)
{
    int ok = k->l.clear.r == 0 && k->l.clear.g == 0 && k->l.clear.b == 0;
    for (int i = 0; i < k->l.ncmd; i++) {
        const kd_cmd *c = &k->l.cmd[i];
        if (c->type != KD_TEXT && c->type != KD_INK)
            continue;
        int found = 0;
        for (int r = 0; r < PAL_COUNT; r++) {
            kd_color t = pal_hc_text(r);
            found |= t.r == c->color.r && t.g == c->color.g && t.b == c->color.b;
        }
        if (!found) {
            fprintf(stderr, "%s: '%s' in %d,%d,%d\n", app_screen_name(k->a),
                    c->text ? c->text : "(ink)", c->color.r, c->color.g, c->color.b);
            ok = 0;
        }
    }
    return ok;
}

/* ---- a signer in the modes ---- */

static void modes_and_reading(ikr_station *s)
{
    kiosk k;
    said sd;
    open_kiosk(&k, s, &sd, 1280, 800);
    int unit = k.l.unit;
    check("Welcome offers both modes, off",
          shows(&k, "Huruf besar") && shows(&k, "Kontras tinggi") && !shows(&k, "\xe2\x9c\x93"));
    check("every colour of Welcome is in the high-contrast table", colours_known(&k));
    tap(&k, KB_LARGE_TEXT);
    check("large text: ticked, and the layout a third larger",
          shows(&k, "\xe2\x9c\x93 Huruf besar") && k.l.unit == unit * 13 / 10);
    check("...and high contrast not yet",
          !shows(&k, "\xe2\x9c\x93 Kontras tinggi") && k.l.clear.r == pal_normal(PAL_BG).r);
    tap(&k, KB_HIGH_CONTRAST);
    check("high contrast: ticked, black background and light words",
          shows(&k, "\xe2\x9c\x93 Kontras tinggi") && high_contrast_frame(&k));
    tap(&k, KB_HIGH_CONTRAST);
    check("a second tap turns it off",
          !shows(&k, "\xe2\x9c\x93 Kontras tinggi") && k.l.clear.r == pal_normal(PAL_BG).r);
    tap(&k, KB_HIGH_CONTRAST);
    check("nothing was read or played on Welcome",
          sd.n == 0 && !kd_hit_find(&k.l, KB_READ_ALOUD, 0));

    tap(&k, KB_START);
    check("the declaration has Read aloud", on(&k, "declaration") && shows(&k, "Bacakan"));
    check("the modes stay with the signer", k.l.unit == unit * 13 / 10 && high_contrast_frame(&k));
    tap(&k, KB_READ_ALOUD);
    check("Bacakan reads the declaration in Indonesian",
          sd.n == 1 && starts(last(&sd), "speak id DEKLARASI NETRALITAS APARATUR SIPIL NEGARA"));
    check("and turns into Stop", shows(&k, "Berhenti") && !shows(&k, "Bacakan"));
    tap(&k, KB_READ_ALOUD);
    check("a second tap stops it",
          sd.n == 2 && strcmp(last(&sd), "speak stop ") == 0 && shows(&k, "Bacakan"));
    tap(&k, KB_READ_ALOUD);
    tap(&k, KB_BACK);
    check("leaving the screen stops the reading",
          on(&k, "welcome") && strcmp(last(&sd), "speak stop ") == 0);
    check("back on Welcome the same signer keeps the modes",
          shows(&k, "\xe2\x9c\x93 Huruf besar") && shows(&k, "\xe2\x9c\x93 Kontras tinggi"));

    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    sd.n = 0;
    tap(&k, KB_READ_ALOUD);
    check("on a step it reads the instruction and the way for those without a NIP",
          strcmp(last(&sd), "speak id Ketik NIP Anda (18 angka). Tanpa NIP (Non-ASN).") == 0);
    wait_ms(&k, 20000);
    check("when the reading is reckoned over the button says Bacakan again",
          shows(&k, "Bacakan") && !shows(&k, "Berhenti"));
    sd.n = 0;
    type_nip(&k, "198513302010012003"); /* month 13 */
    check("a refusal newly shown plays the error sound",
          sd.n == 1 && strcmp(last(&sd), "sound error") == 0);
    tap(&k, KB_READ_ALOUD);
    check("Bacakan on the NIP reads the instruction and the refusal",
          starts(last(&sd), "speak id Ketik NIP Anda (18 angka). ") && strstr(last(&sd), "lahir"));
    tap(&k, KB_READ_ALOUD);
    tap_key(&k, KB_KEY_CLEAR, 0);
    sd.n = 0;
    type_nip(&k, "198503302010012003");
    check("a good NIP plays nothing", sd.n == 0);
    tap(&k, KB_NEXT);
    tap(&k, KB_READ_ALOUD);
    check("the status, asked for a NIP not on a roster, reads its two choices",
          strcmp(last(&sd), "speak id NIP Anda tidak ada di daftar. Apa status Anda? PNS, "
                            "Pegawai Negeri Sipil. PPPK, Pegawai dengan perjanjian kerja.") == 0);
    tap(&k, KB_STATUS_PNS);
    type(&k, "Siti Rahmawati");
    tap(&k, KB_FIELD_POS);
    type(&k, "Guru");
    tap(&k, KB_FIELD_UNIT);
    type(&k, "Dinas Pendidikan");
    tap(&k, KB_READ_ALOUD);
    check("the details step reads its fields' names",
          strcmp(last(&sd), "speak id Isi data diri Anda. Nama lengkap dan gelar. Jabatan. "
                            "Unit kerja.") == 0);
    tap(&k, KB_NEXT);
    check("going on stops it", strcmp(last(&sd), "speak stop ") == 0);
    signature(&k);
    tap(&k, KB_READ_ALOUD);
    check("the signature step reads its hint", strstr(last(&sd), "Tanda tangani di dalam kotak"));
    tap(&k, KB_NEXT);
    tap(&k, KB_READ_ALOUD);
    check("the review reads its title",
          strcmp(last(&sd), "speak id Periksa kembali data Anda.") == 0);
    check("every colour of the review is in the high-contrast table", high_contrast_frame(&k));
    sd.n = 0;
    tap(&k, KB_CONFIRM);
    check("Done plays the done sound, once, after the reading stopped",
          on(&k, "done") && sd.n == 2 && strcmp(sd.line[0], "speak stop ") == 0 &&
              strcmp(sd.line[1], "sound done") == 0);
    check("Done has nothing to read", !kd_hit_find(&k.l, KB_READ_ALOUD, 0));
    tap(&k, KB_FINISH);
    check("the next signer starts in the normal modes",
          on(&k, "welcome") && !shows(&k, "\xe2\x9c\x93") && k.l.unit == unit &&
              k.l.clear.r == pal_normal(PAL_BG).r);
    app_free(k.a);
}

static void english_and_idle(ikr_station *s)
{
    kiosk k;
    said sd;
    open_kiosk(&k, s, &sd, 1280, 800);
    tap(&k, KB_LANG_EN);
    check("English names the modes", shows(&k, "Large text") && shows(&k, "High contrast"));
    tap(&k, KB_LARGE_TEXT);
    tap(&k, KB_START);
    check("and Read aloud", shows(&k, "Read aloud"));
    tap(&k, KB_READ_ALOUD);
    check("the declaration is read in Indonesian, as it is signed, also in English",
          starts(last(&sd), "speak id DEKLARASI NETRALITAS"));
    check("...and Stop", shows(&k, "Stop"));
    read_declaration(&k);
    tap(&k, KB_AGREE);
    tap(&k, KB_READ_ALOUD);
    check("an English step is read in English",
          starts(last(&sd), "speak en Type your NIP (18 digits)"));
    tap(&k, KB_BACK);
    tap(&k, KB_READ_ALOUD); /* the declaration takes minutes to read */
    wait_ms(&k, 75000);
    check("the idle wipe: Welcome, Indonesian, normal modes",
          on(&k, "welcome") && shows(&k, "Huruf besar") && !shows(&k, "\xe2\x9c\x93"));
    check("and the reading stopped", strcmp(last(&sd), "speak stop ") == 0);
    app_free(k.a);
}

/* Large text and high contrast at each size: every signer screen's buttons and words fit. */
static void large_layouts(ikr_station *s)
{
    static const int sizes[3][2] = {{800, 480}, {1280, 800}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        kiosk k;
        said sd;
        open_kiosk(&k, s, &sd, sizes[z][0], sizes[z][1]);
        tap(&k, KB_LARGE_TEXT);
        tap(&k, KB_HIGH_CONTRAST);
        int ok = fits(&k) && header_apart(&k), known = 1;
        tap(&k, KB_START);
        ok &= fits(&k) && header_apart(&k);
        read_declaration(&k);
        tap(&k, KB_AGREE);
        ok &= fits(&k) && header_apart(&k);
        char nip[19];
        snprintf(nip, sizeof nip, "19900101202201200%d", z + 1);
        type_nip(&k, nip);
        ok &= fits(&k) && header_apart(&k);
        tap(&k, KB_NEXT);
        ok &= fits(&k) && header_apart(&k);
        tap(&k, KB_STATUS_PPPK);
        type(&k, "Agus Salim");
        tap(&k, KB_FIELD_POS);
        type(&k, "Penata");
        tap(&k, KB_FIELD_UNIT);
        type(&k, "Setda");
        ok &= fits(&k) && header_apart(&k);
        tap(&k, KB_NEXT);
        signature(&k);
        ok &= fits(&k) && header_apart(&k);
        tap(&k, KB_NEXT);
        ok &= fits(&k) && header_apart(&k);
        tap(&k, KB_CONFIRM);
        ok &= fits(&k) && header_apart(&k);
        known &= high_contrast_frame(&k);
        char desc[120];
        snprintf(desc, sizeof desc, "large text fits every signer screen at %dx%d (ended on %s)",
                 k.w, k.h, app_screen_name(k.a));
        check(desc, ok && on(&k, "done"));
        check("high contrast to the end", known);
        app_free(k.a);
    }
}

int main(void)
{
    if (!mkdtemp(root))
        return 1;
    contrast();
    ikr_station *s = make_station("event");
    check("a kiosk folder", s != NULL);
    if (s) {
        modes_and_reading(s);
        english_and_idle(s);
        large_layouts(s);
        ikr_station_close(s);
    }
    ikr_file_remove_tree(root);
    ikr_ticket_release_caches();
    return check_report();
}
