/*
 * test_kiosk_roster: the kiosk with a roster imported through the core.
 *
 * The details screen: a NIP on the roster arrives with name, position and
 * unit filled in, a note saying so and "Bukan saya?", which takes back the
 * details and the NIP; a NIP not on the roster, or no roster at all, fills
 * in nothing; filled details go when the NIP or the status changes, and
 * stay (with the signer's corrections) when the same NIP is checked again;
 * a status the roster disagrees with is said, not changed.
 *
 * The staff's "Rekap per unit": the numbers of ikr_roster_stats as text and
 * bars, lowest share first, the signers not on the roster, a long unit name
 * cut to its box, a long list that scrolls (and says how many units it
 * could not hold), and without a roster the count per unit and the hint to
 * import one; at 800x480, 1280x800 and 1080x1920.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check.h"
#include "ikrar/roster.h"
#include "ikrar/station.h"
#include "kstr.h"

/* ---- a display stand-in, as in test_kiosk_app ---- */

static const int font_tenths[KD_FONT_COUNT] = {9, 12, 16, 23, 34};
static int unit_now = 20;

static int m_width(void *ctx, int font, const char *s, int n)
{
    (void)ctx;
    int chars = 0;
    for (int i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    return chars * unit_now * font_tenths[font] * 55 / 1000;
}

static int m_height(void *ctx, int font)
{
    (void)ctx;
    return unit_now * font_tenths[font] * 12 / 100;
}

static const kd_measure measure = {NULL, m_width, m_height};

typedef struct kiosk {
    app *a;
    kd_list l;
    int w, h;
    uint64_t now;
} kiosk;

static void frame(kiosk *k)
{
    unit_now = (k->w < k->h ? k->w : k->h) / 28;
    if (unit_now < 10)
        unit_now = 10;
    app_frame(k->a, &k->l, k->w, k->h, &measure, k->now);
}

static void feed(kiosk *k, int type, int x, int y)
{
    app_event ev = {type, x, y, 0, "", k->now};
    app_event_feed(k->a, &ev);
    frame(k);
}

static int tap(kiosk *k, const char *id)
{
    const kd_hit *h = kd_hit_find(&k->l, id);
    if (!h) {
        fprintf(stderr, "no '%s' on screen %s\n", id, app_screen_name(k->a));
        return 0;
    }
    int x = h->x + h->w / 2, y = h->y + h->h / 2;
    k->now += 40;
    feed(k, APP_DOWN, x, y);
    k->now += 80;
    feed(k, APP_UP, x, y);
    return 1;
}

static void type(kiosk *k, const char *text)
{
    app_event ev = {APP_TEXT, 0, 0, 0, "", k->now};
    snprintf(ev.text, sizeof ev.text, "%s", text);
    app_event_feed(k->a, &ev);
    frame(k);
}

static void key(kiosk *k, int which)
{
    app_event ev = {APP_KEY, 0, 0, which, "", k->now};
    app_event_feed(k->a, &ev);
    frame(k);
}

static void wait_ms(kiosk *k, uint64_t ms)
{
    uint64_t end = k->now + ms;
    for (;;) {
        int64_t next = app_next_timer(k->a, k->now);
        if (next < 0 || k->now + (uint64_t)next > end)
            break;
        k->now += next ? (uint64_t)next : 1;
        feed(k, APP_TICK, 0, 0);
    }
    k->now = end;
    feed(k, APP_TICK, 0, 0);
}

static int shows(const kiosk *k, const char *s)
{
    int r = kd_shows(&k->l, s);
    if (!r && getenv("DUMP")) {
        fprintf(stderr, "-- '%s' not on %s:", s, app_screen_name(k->a));
        for (int i = 0; i < k->l.ncmd; i++)
            if (k->l.cmd[i].type == KD_TEXT)
                fprintf(stderr, " [%s]", k->l.cmd[i].text);
        fprintf(stderr, "\n");
    }
    return r;
}

static int on(const kiosk *k, const char *screen)
{
    return strcmp(app_screen_name(k->a), screen) == 0;
}

/* The y of the first text on screen containing s, or -1. */
static int text_y(const kiosk *k, const char *s)
{
    for (int i = 0; i < k->l.ncmd; i++)
        if (k->l.cmd[i].type == KD_TEXT && strstr(k->l.cmd[i].text, s))
            return k->l.cmd[i].y;
    return -1;
}

static void start(kiosk *k, ikr_station *s, int w, int h)
{
    memset(k, 0, sizeof *k);
    k->w = w;
    k->h = h;
    k->now = 1000;
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = 1};
    app_new(&k->a, s, &o, k->now, NULL);
    frame(k);
}

/* From Welcome to the NIP keypad as a signer of this status ("pns", "pppk"). */
static void to_nip(kiosk *k, const char *status)
{
    char id[32];
    tap(k, "start");
    const kd_hit *t = kd_hit_find(&k->l, "decl.text");
    for (int i = 0; t && i < 40; i++) {
        int x = t->x + t->w / 2;
        k->now += 20;
        feed(k, APP_DOWN, x, t->y + t->h - 10);
        for (int y = t->y + t->h - 10; y > t->y + 10; y -= 20) {
            k->now += 16;
            feed(k, APP_MOVE, x, y);
        }
        feed(k, APP_UP, x, t->y + 10);
        t = kd_hit_find(&k->l, "decl.text");
    }
    tap(k, "agree");
    snprintf(id, sizeof id, "status.%s", status);
    tap(k, id);
}

static void staff_menu(kiosk *k)
{
    const kd_hit *logo = kd_hit_find(&k->l, "logo");
    if (!logo)
        return;
    feed(k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(k, 3100);
    feed(k, APP_UP, logo->x + 5, logo->y + 5);
    type(k, "246810");
    tap(k, "pin.ok");
}

/* Every hit region on the window and of a finger's size, every text within its box. */
static int fits(const kiosk *k)
{
    int ok = !k->l.overflow;
    for (int i = 0; i < k->l.nhit; i++) {
        const kd_hit *h = &k->l.hit[i];
        if (h->x < 0 || h->y < 0 || h->x + h->w > k->w || h->y + h->h > k->h || h->w < k->l.unit ||
            h->h < k->l.unit) {
            fprintf(stderr, "%dx%d %s: '%s' at %d,%d %dx%d\n", k->w, k->h, app_screen_name(k->a), h->id, h->x,
                    h->y, h->w, h->h);
            ok = 0;
        }
    }
    for (int i = 0; i < k->l.ncmd; i++) {
        const kd_cmd *c = &k->l.cmd[i];
        if (c->type != KD_TEXT)
            continue;
        int w = m_width(NULL, c->font, c->text, (int)strlen(c->text));
        if (w > c->w + 1 || c->x < 0 || c->x + c->w > k->w) {
            fprintf(stderr, "%dx%d %s: '%s' is %d px in a box of %d at x %d\n", k->w, k->h,
                    app_screen_name(k->a), c->text, w, c->w, c->x);
            ok = 0;
        }
    }
    return ok;
}

/* ---- the folder ---- */

static char root[] = "/tmp/ikrar-kiosk-roster-XXXXXX";

static ikr_station *make_station(const char *name)
{
    char dir[600];
    ikr_buf vk;
    ikr_station *s = NULL;
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    ikr_buf_init(&vk);
    ikr_station_cfg cfg = {"pilkada-2024", "Deklarasi Netralitas ASN", "aula-1", NULL, 0, "246810", NULL,
                           NULL, NULL, NULL, NULL};
    if (ikr_station_create(dir, &cfg, &vk, NULL) == 0)
        ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, NULL);
    ikr_buf_free(&vk);
    return s;
}

static int import(ikr_station *s, const char *csv)
{
    ikr_roster_count n;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_station_roster_import(s, (const uint8_t *)csv, strlen(csv), (uint64_t)time(NULL), 0, NULL, NULL,
                               &n, &e);
    if (rc)
        fprintf(stderr, "import: %s\n", e.detail);
    return rc;
}

/* Signs through the core, as another kiosk's signer would have. */
static int sign(ikr_station *s, const char *name, int status, const char *nip, const char *unit)
{
    ikr_ink ink;
    ikr_signed out;
    ikr_err e;
    ikr_ink_init(&ink);
    ikr_err_clear(&e);
    const char *j = "{\"w\":100,\"h\":50,\"s\":[[1,2,0,30,40,16]]}";
    ikr_ink_parse_json(&ink, j, strlen(j));
    ikr_form f = {name, status, nip, NULL, unit};
    int rc = ikr_station_sign(s, &f, &ink, (uint64_t)time(NULL), &out, &e);
    ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    return rc;
}

#define PROGRESS_UNITS_TEST 512 /* PROGRESS_UNITS in src/kiosk/app_state.h */

#define SITI "198503302010012003"
#define BUDI "198001012005011002"
#define AGUS "199001012022011001"
#define NOBODY "198503302010012099"
/* 128 bytes: the longest unit kerja there is */
#define LONG_UNIT                                                                                          \
    "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Kabupaten Contoh Bidang Perekonomian, Sumber " \
    "Daya Alam dan Infrastruktu"

static const char roster_csv[] = "NIP;Nama;Jabatan;Unit Kerja;Status\n" SITI
                                 ";Siti Rahmawati, S.Pd.;Guru Ahli Pertama;Dinas Pendidikan;PNS\n" BUDI
                                 ";Budi Santoso, S.H.;Kepala Seksi;Dinas Pendidikan;PNS\n" AGUS
                                 ";Agus Salim;Penata Kelola;Dinas Kesehatan;PNS\n"
                                 ";Rina Marlina;Staf;Dinas Kesehatan;NON-ASN\n"
                                 "197101011998031002;Dewi Lestari;Kepala Bidang;" LONG_UNIT ";PNS\n";

/* ---- the details screen ---- */

static void no_roster(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1280, 800);
    to_nip(&k, "pns");
    type(&k, SITI);
    tap(&k, "next");
    check("without a roster a NIP fills in nothing", on(&k, "details") && !shows(&k, "Siti") &&
                                                         shows(&k, "(boleh dikosongkan)"));
    check("and there is no note and no 'Bukan saya?'",
          !shows(&k, "Data diisi") && !kd_hit_find(&k.l, "roster.notme"));
    app_free(k.a);
}

static void details(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1280, 800);
    to_nip(&k, "pns");
    check("the NIP keypad", on(&k, "nip"));
    type(&k, SITI);
    check("a NIP on the roster is accepted as any other", shows(&k, "NIP dapat diterima"));
    tap(&k, "next");
    check("a known NIP fills in the name", on(&k, "details") && shows(&k, "Siti Rahmawati, S.Pd."));
    check("the position and the unit", shows(&k, "Guru Ahli Pertama") && shows(&k, "Dinas Pendidikan"));
    check("with the note that they came from the roster", shows(&k, "Data diisi dari daftar pegawai"));
    check("and 'Bukan saya?'", shows(&k, "Bukan saya?") && kd_hit_find(&k.l, "roster.notme"));
    check("no status note when the roster agrees", !shows(&k, "Daftar pegawai mencatat"));
    check("the details screen fits with the note", fits(&k));

    /* Corrections stay: the same NIP checked again is not looked up again. */
    tap(&k, "field.pos");
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    type(&k, "Madya");
    check("filled details can be edited", shows(&k, "Guru Ahli Madya"));
    tap(&k, "back");
    check("back on the keypad with the NIP", on(&k, "nip") && shows(&k, "NIP dapat diterima"));
    tap(&k, "next");
    check("Next again keeps the correction", on(&k, "details") && shows(&k, "Guru Ahli Madya") &&
                                                 !shows(&k, "Guru Ahli Pertama"));
    tap(&k, "back");
    key(&k, APP_KEY_BACKSPACE);
    type(&k, "3");
    tap(&k, "next");
    check("a digit taken back and typed again keeps it too", shows(&k, "Guru Ahli Madya"));

    /* Not Siti: the details and the NIP go. */
    tap(&k, "roster.notme");
    check("'Bukan saya?' goes back to the keypad", on(&k, "nip"));
    check("with the NIP cleared and why", shows(&k, "________ ______ _ ___") && shows(&k, "Data dihapus"));
    check("and Next not possible", kd_hit_find(&k.l, "next") && !shows(&k, "NIP dapat diterima"));
    type(&k, SITI);
    check("typing clears the note", !shows(&k, "Data dihapus"));
    tap(&k, "next");
    check("the same NIP again is not filled in again",
          on(&k, "details") && !shows(&k, "Siti") && !shows(&k, "Guru") && !shows(&k, "Data diisi"));
    check("the fields are empty", shows(&k, "(boleh dikosongkan)"));

    /* Another NIP on the roster fills in its owner; a NIP not on it takes them back. */
    tap(&k, "back");
    tap(&k, "key.clear");
    type(&k, BUDI);
    tap(&k, "next");
    check("another known NIP fills in its owner", shows(&k, "Budi Santoso, S.H.") && shows(&k, "Kepala Seksi"));
    tap(&k, "back");
    tap(&k, "key.clear");
    type(&k, NOBODY);
    tap(&k, "next");
    check("a NIP not on the roster: nothing filled, the last owner's details gone",
          on(&k, "details") && !shows(&k, "Budi") && !shows(&k, "Kepala Seksi") && !shows(&k, "Data diisi") &&
              !kd_hit_find(&k.l, "roster.notme"));
    type(&k, "Tamu Baru");
    check("and the signer types as before", shows(&k, "Tamu Baru|"));

    /* A status changed takes filled details back. */
    tap(&k, "back");
    tap(&k, "key.clear");
    type(&k, BUDI);
    tap(&k, "next");
    check("filled again", shows(&k, "Budi Santoso, S.H."));
    tap(&k, "back");
    tap(&k, "back");
    tap(&k, "status.nonasn");
    check("a non-ASN signer does not inherit them", on(&k, "details") && !shows(&k, "Budi") &&
                                                        !shows(&k, "Data diisi"));
    app_free(k.a);

    /* The roster says PNS, the signer chose PPPK: said, and not changed. */
    start(&k, s, 1280, 800);
    to_nip(&k, "pppk");
    type(&k, AGUS);
    tap(&k, "next");
    check("a PPPK signer with a NIP the roster has as PNS is filled in", on(&k, "details") &&
                                                                         shows(&k, "Agus Salim"));
    check("and told the roster's status", shows(&k, "Daftar pegawai mencatat status PNS; Anda memilih PPPK."));
    check("that screen fits too", fits(&k));
    tap(&k, "next");
    check("nothing blocks signing", on(&k, "signature"));
    app_free(k.a);

    /* A signing with filled details records them. */
    start(&k, s, 1280, 800);
    to_nip(&k, "pns");
    type(&k, BUDI);
    tap(&k, "next");
    tap(&k, "next");
    const kd_hit *c = kd_hit_find(&k.l, "canvas");
    for (int i = 0; c && i < 12; i++) {
        k.now += 16;
        feed(&k, i == 0 ? APP_DOWN : i == 11 ? APP_UP : APP_MOVE, c->x + c->w * (i + 1) / 14,
             c->y + c->h / 2 + (i % 2 ? c->h / 5 : -c->h / 5));
    }
    tap(&k, "next");
    check("review shows the roster's details", on(&k, "review") && shows(&k, "Budi Santoso, S.H.") &&
                                                   shows(&k, "Kepala Seksi"));
    tap(&k, "confirm");
    check("and they are signed", on(&k, "done"));
    wait_ms(&k, 21000);
    check("the next signer starts with nothing", on(&k, "welcome"));
    to_nip(&k, "pns");
    type(&k, BUDI);
    check("and Budi cannot sign twice", !shows(&k, "NIP dapat diterima"));
    app_free(k.a);

    /* Every size: the details with the note, and the keys still a finger's size. */
    static const int sizes[3][2] = {{800, 480}, {1280, 800}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        start(&k, s, sizes[z][0], sizes[z][1]);
        to_nip(&k, "pppk");
        type(&k, AGUS);
        tap(&k, "next");
        char desc[120];
        snprintf(desc, sizeof desc, "the filled details fit %dx%d", k.w, k.h);
        const kd_hit *kq = kd_hit_find(&k.l, "kb.Q");
        check(desc, on(&k, "details") && shows(&k, "Bukan saya?") && fits(&k) && kq &&
                        kq->h * 10 >= k.l.unit * 24);
        app_free(k.a);
    }
}

/* ---- the progress chart ---- */

static void progress_values(ikr_station *s)
{
    /* Who signed: Siti and Budi's unit by NIP, Rina by name and unit, a guest not on the roster. */
    check("Siti signs", sign(s, "Siti Rahmawati, S.Pd.", IKR_STATUS_PNS, SITI, "Dinas Pendidikan") == 0);
    check("Rina signs", sign(s, "Rina Marlina", IKR_STATUS_NON_ASN, NULL, "Dinas Kesehatan") == 0);
    check("a guest signs", sign(s, "Tamu", IKR_STATUS_NON_ASN, NULL, "Setda") == 0);
    ikr_roster_unit units[8];
    ikr_roster_totals t;
    ikr_err e;
    ikr_err_clear(&e);
    check("the core's numbers", ikr_station_roster_stats(s, units, 8, &t, &e) == 0 && t.has_roster && t.nunits == 3);

    kiosk k;
    start(&k, s, 1280, 800);
    staff_menu(&k);
    check("the staff menu offers the chart", on(&k, "admin") && shows(&k, "Rekap per unit"));
    tap(&k, "admin.progress");
    check("the chart opens", on(&k, "progress") && shows(&k, "Rekap per unit"));
    char buf[160];
    snprintf(buf, sizeof buf, "%llu / %llu", (unsigned long long)t.signed_listed, (unsigned long long)t.expected);
    check("the total is the core's", shows(&k, "Total") && shows(&k, buf));
    snprintf(buf, sizeof buf, "%llu%%", (unsigned long long)(t.signed_listed * 100 / t.expected));
    check("with its share", shows(&k, buf));
    snprintf(buf, sizeof buf, "Di luar daftar pegawai: %llu orang", (unsigned long long)t.unlisted);
    check("signers not on the roster on a line of their own", t.unlisted == 1 && shows(&k, buf));
    check("no 'no roster' hint", !shows(&k, "Belum ada daftar pegawai"));
    int all = 1;
    for (size_t i = 0; i < t.nunits; i++) {
        char count[64], name[24];
        snprintf(count, sizeof count, "%llu / %llu", (unsigned long long)units[i].signed_n,
                 (unsigned long long)units[i].expected);
        snprintf(name, sizeof name, "%.20s", units[i].unit);
        int ny = text_y(&k, name), cy = -1;
        /* The unit's numbers on its own row: the first such text at or under its name. */
        for (int j = 0; j < k.l.ncmd; j++)
            if (k.l.cmd[j].type == KD_TEXT && strcmp(k.l.cmd[j].text, count) == 0 && k.l.cmd[j].y >= ny &&
                (cy < 0 || k.l.cmd[j].y < cy))
                cy = k.l.cmd[j].y;
        if (ny < 0 || cy < 0 || cy - ny > 3 * k.l.unit) {
            fprintf(stderr, "unit '%s': name at %d, '%s' at %d\n", units[i].unit, ny, count, cy);
            all = 0;
        }
    }
    check("every unit's row shows the core's signed / expected", all);
    /* Lowest share first: Dewi's long-named unit (0 of 1), Dinas Kesehatan (1 of 2), Dinas Pendidikan (1 of 2). */
    int yl = text_y(&k, "Badan Perencanaan"), yk = text_y(&k, "Dinas Kesehatan"),
        yp = text_y(&k, "Dinas Pendidikan");
    check("the lowest share on top, equal shares by name", yl > 0 && yl < yk && yk < yp);
    check("the 128-byte unit name is cut to fit, with an ellipsis",
          !shows(&k, LONG_UNIT) && shows(&k, "Badan Perencanaan") && shows(&k, "\xe2\x80\xa6"));
    int bars = 0;
    for (int j = 0; j < k.l.ncmd; j++)
        bars += k.l.cmd[j].type == KD_BORDER;
    check("a bar outline for the total and each unit", bars == 1 + (int)t.nunits);
    check("the chart fits 1280x800", fits(&k));
    tap(&k, "back");
    check("Back returns to the staff menu", on(&k, "admin"));
    app_free(k.a);

    static const int sizes[3][2] = {{800, 480}, {1080, 1920}, {480, 800}};
    for (int z = 0; z < 3; z++) {
        start(&k, s, sizes[z][0], sizes[z][1]);
        staff_menu(&k);
        tap(&k, "admin.progress");
        snprintf(buf, sizeof buf, "the chart fits %dx%d", k.w, k.h);
        check(buf, on(&k, "progress") && fits(&k) && shows(&k, "Total"));
        app_free(k.a);
    }
}

static void progress_long(ikr_station *s)
{
    /* More units than a screen holds, and more than the chart holds at all. */
    enum { N = 600 };
    size_t cap = 64 + (size_t)N * 48;
    char *csv = malloc(cap);
    size_t o = (size_t)snprintf(csv, cap, "Nama;NIP;Unit Kerja;Status\n");
    for (int i = 0; i < N; i++)
        o += (size_t)snprintf(csv + o, cap - o, "Pegawai %d;;Unit %03d;NON-ASN\n", i, i);
    check("a roster of 600 units", import(s, csv) == 0);
    free(csv);
    check("one of them signs", sign(s, "Pegawai 599", IKR_STATUS_NON_ASN, NULL, "Unit 599") == 0);

    kiosk k;
    start(&k, s, 1280, 800);
    staff_menu(&k);
    tap(&k, "admin.progress");
    check("the chart starts at the top", on(&k, "progress") && shows(&k, "Unit 000") && !shows(&k, "Unit 500"));
    check("the total counts every unit", shows(&k, "1 / 600"));
    const kd_hit *list = kd_hit_find(&k.l, "progress.list");
    int moved = 0;
    for (int i = 0; list && i < 400 && !shows(&k, "unit lain"); i++) {
        int x = list->x + list->w / 2;
        k.now += 20;
        feed(&k, APP_DOWN, x, list->y + list->h - 5);
        k.now += 16;
        feed(&k, APP_MOVE, x, list->y + list->h / 2);
        k.now += 16;
        feed(&k, APP_MOVE, x, list->y + 5);
        feed(&k, APP_UP, x, list->y + 5);
        moved++;
        /* An idle countdown would end it: a touch a minute is plenty. */
    }
    char more[80];
    snprintf(more, sizeof more, "dan %d unit lain", N - PROGRESS_UNITS_TEST);
    check("a finger scrolls to the end, where the units not held are counted", moved > 1 && shows(&k, more));
    check("the end of the list fits", fits(&k));
    for (int i = 0; i < 5; i++)
        key(&k, APP_KEY_UP);
    check("Up scrolls back", !shows(&k, "unit lain"));
    app_free(k.a);
}

static void progress_without_roster(ikr_station *s)
{
    check("a signer with a unit", sign(s, "Tamu", IKR_STATUS_NON_ASN, NULL, "Sekretariat Daerah") == 0);
    check("and one without", sign(s, "Tamu Dua", IKR_STATUS_NON_ASN, NULL, NULL) == 0);
    static const int sizes[3][2] = {{1280, 800}, {800, 480}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        kiosk k;
        start(&k, s, sizes[z][0], sizes[z][1]);
        staff_menu(&k);
        tap(&k, "admin.progress");
        char desc[120];
        snprintf(desc, sizeof desc, "without a roster at %dx%d: the count and how to import one", k.w, k.h);
        check(desc, on(&k, "progress") && shows(&k, "Sudah menandatangani: 2") && shows(&k, "Belum ada daftar pegawai") &&
                        shows(&k, "ikrar roster import"));
        check("signed per unit, no expected", shows(&k, "Sekretariat Daerah") && shows(&k, "(tanpa unit)") &&
                                                  !shows(&k, " / ") && !shows(&k, "%") && !shows(&k, "Di luar"));
        snprintf(desc, sizeof desc, "the chart without a roster fits %dx%d", k.w, k.h);
        check(desc, fits(&k));
        app_free(k.a);
    }
}

static void english(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1280, 800);
    tap(&k, "lang.en");
    to_nip(&k, "pns");
    type(&k, SITI);
    tap(&k, "next");
    check("in English: the note and 'Not me?'", on(&k, "details") && shows(&k, "Filled in from the staff list") &&
                                                    shows(&k, "Not me?"));
    app_free(k.a);
}

/*
 * A 128-byte name with diacritics (the longest there is) filled in from the
 * roster: it is there to be checked, so it is shown from its start, as it
 * is read, at every size; a key brings the typing position (its end) back.
 */
#define LONG_NAME                                                                                          \
    "Raden Ayu Siti Nurhaliza Widyaningsih Prameswari Kusumawardhani \xc3\x89sth\xc3\xa9r \xc3\x91\xc3\xba" \
    "\xc3\xb1" "ez M\xc3\xbcller-L\xc3\xbc" "denscheid \xc3\x87" "a\xc4\x9flar \xc3\x98yvind \xc3\x85sa \xc4\x90" "a"

static void long_name(ikr_station *s)
{
    static const int sizes[3][2] = {{1280, 800}, {800, 480}, {1080, 1920}};
    char desc[160];
    check("the long name is 128 bytes", strlen(LONG_NAME) == 128);
    check("a roster with a 128-byte name",
          import(s, "NIP;Nama;Jabatan;Unit Kerja;Status\n" SITI ";" LONG_NAME ";Guru;;PNS\n") == 0);
    for (int i = 0; i < 3; i++) {
        kiosk k;
        start(&k, s, sizes[i][0], sizes[i][1]);
        to_nip(&k, "pns");
        type(&k, SITI);
        tap(&k, "next");
        snprintf(desc, sizeof desc, "%dx%d: the filled long name shows its start, not its end", k.w, k.h);
        check(desc, on(&k, "details") && shows(&k, "Raden Ayu Siti") && !shows(&k, "\xc3\x85sa \xc4\x90" "a|"));
        snprintf(desc, sizeof desc, "%dx%d: and fits", k.w, k.h);
        check(desc, fits(&k));
        key(&k, APP_KEY_BACKSPACE);
        snprintf(desc, sizeof desc, "%dx%d: a key brings the typing position, the end, back", k.w, k.h);
        check(desc, shows(&k, "\xc3\x85sa \xc4\x90|") && !shows(&k, "Raden Ayu Siti"));
        app_free(k.a);
    }
}

static void rm_rf(const char *dir)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
}

int main(void)
{
    if (!mkdtemp(root))
        return 1;
    ikr_station *s = make_station("event");
    check("a kiosk folder", s != NULL);
    if (s) {
        no_roster(s);
        check("a roster imported through the core", import(s, roster_csv) == 0);
        details(s);
        english(s);
        progress_values(s);
        ikr_station_close(s);
    }
    ikr_station *p = make_station("plain");
    check("a folder with no roster", p != NULL);
    if (p) {
        progress_without_roster(p);
        ikr_station_close(p);
    }
    ikr_station *n = make_station("names");
    check("a folder for a long name", n != NULL);
    if (n) {
        long_name(n);
        ikr_station_close(n);
    }
    ikr_station *l = make_station("long");
    check("a folder for a long roster", l != NULL);
    if (l) {
        progress_long(l);
        ikr_station_close(l);
    }
    rm_rf(root);
    return check_report();
}
