/*
 * test_kiosk_app: the kiosk's screens driven as a signer and an organiser
 * would, with no display: taps on what the frame shows, typed text, strokes
 * on the canvas, time passing.  Each step asserts what the screen says.
 * Text is measured by a fixed-width stand-in for the renderer, so layouts
 * are checked for fit at 800x480, 1280x800 and 1080x1920 too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "app.h"
#include "check.h"
#include "fault_vfs.h"
#include "ikrar/audit.h"
#include "ikrar/receipt.h"
#include "ikrar/ticket.h"
#include "kstr.h"

/* ---- a display stand-in ---- */

static const int font_tenths[KD_FONT_COUNT] = {9, 12, 16, 23, 34};
static int unit_now = 20;

static int m_width(void *ctx, int font, const char *s, int n)
{
    (void)ctx;
    (void)s;
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
    int flags;
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
    k->flags |= app_event_feed(k->a, &ev);
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
    k->flags |= app_event_feed(k->a, &ev);
    frame(k);
}

static void key(kiosk *k, int which)
{
    app_event ev = {APP_KEY, 0, 0, which, "", k->now};
    k->flags |= app_event_feed(k->a, &ev);
    frame(k);
}

/* Lets ms pass, ticking at every timer the app asks for. */
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

/* Draws a stroke through points given as fractions of the canvas. */
static void stroke(kiosk *k, const double *pts, int n)
{
    const kd_hit *c = kd_hit_find(&k->l, "canvas");
    if (!c)
        return;
    int cx = c->x, cy = c->y, cw = c->w, ch = c->h;
    for (int i = 0; i < n; i++) {
        int x = cx + (int)(pts[2 * i] * cw), y = cy + (int)(pts[2 * i + 1] * ch);
        k->now += 16;
        feed(k, i == 0 ? APP_DOWN : i == n - 1 ? APP_UP : APP_MOVE, x, y);
    }
}

static void signature(kiosk *k)
{
    static const double a[] = {0.1, 0.6, 0.2, 0.4, 0.3, 0.7, 0.4, 0.3, 0.5, 0.65, 0.6, 0.45, 0.7, 0.6};
    static const double b[] = {0.55, 0.5, 0.65, 0.55, 0.8, 0.45, 0.9, 0.5};
    stroke(k, a, 7);
    stroke(k, b, 4);
}

static int shows(const kiosk *k, const char *s)
{
    return kd_shows(&k->l, s);
}

static int on(const kiosk *k, const char *screen)
{
    return strcmp(app_screen_name(k->a), screen) == 0;
}

/* Scrolls the declaration to its end with a finger. */
static void read_declaration(kiosk *k)
{
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
}

static void type_nip(kiosk *k, const char *nip)
{
    for (const char *p = nip; *p; p++) {
        char id[8] = "key.";
        id[4] = *p;
        id[5] = '\0';
        tap(k, id);
    }
}

/* ---- the folder ---- */

static char root[] = "/tmp/ikrar-kiosk-app-XXXXXX";

static ikr_station *make_station(const char *name)
{
    char dir[600];
    ikr_buf vk;
    ikr_err e;
    ikr_station *s = NULL;
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
    ikr_station_cfg cfg = {"pilkada-2024", "Deklarasi Netralitas ASN Kabupaten Contoh", "aula-1",
                           NULL, 0, "246810", NULL, "Pemerintah Kabupaten Contoh",
                           "Aula Setda, Soreang", "30 September 2024", NULL};
    if (ikr_station_create(dir, &cfg, &vk, &e) == 0)
        ikr_station_open(&s, dir, IKR_OPEN_SIGN, NULL, &e);
    ikr_buf_free(&vk);
    return s;
}

static void start(kiosk *k, ikr_station *s, int fullscreen)
{
    memset(k, 0, sizeof *k);
    k->w = 1280;
    k->h = 800;
    k->now = 1000;
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = fullscreen};
    app_new(&k->a, s, &o, k->now, NULL);
    frame(k);
}

/* Walks a PNS signer to the Review screen. */
static void to_review(kiosk *k, const char *nip, const char *name)
{
    tap(k, "start");
    read_declaration(k);
    tap(k, "agree");
    tap(k, "status.pns");
    type_nip(k, nip);
    tap(k, "next");
    type(k, name);
    tap(k, "next");
    signature(k);
    tap(k, "next");
}

/* ---- the tests ---- */

static void full_signing(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    check("welcome shows the event", on(&k, "welcome") && shows(&k, "Deklarasi Netralitas ASN Kabupaten Contoh"));
    check("welcome counts the signers", shows(&k, "0 orang telah menandatangani"));
    check("welcome names organiser, place and date", shows(&k, "Pemerintah Kabupaten Contoh") &&
                                                         shows(&k, "Aula Setda, Soreang") &&
                                                         shows(&k, "30 September 2024"));
    check("welcome has one big start button", shows(&k, "Sentuh untuk mulai"));
    tap(&k, "start");
    check("the declaration is shown", on(&k, "declaration") && shows(&k, "Bacalah deklarasi ini"));
    check("it asks to read to the end", shows(&k, "Geser ke atas"));
    tap(&k, "agree");
    check("agreeing before reading to the end does nothing", on(&k, "declaration"));
    read_declaration(&k);
    check("read to the end, the hint goes", !shows(&k, "Geser ke atas"));
    tap(&k, "agree");
    check("status is asked", on(&k, "status") && shows(&k, "PNS") && shows(&k, "PPPK") && shows(&k, "Non-ASN"));
    tap(&k, "status.pns");
    check("the NIP keypad", on(&k, "nip") && shows(&k, "0 dari 18 angka"));
    type_nip(&k, "19850330");
    check("digits are counted", shows(&k, "8 dari 18 angka"));
    check("and grouped as printed", shows(&k, "19850330 ______ _ ___"));
    tap(&k, "next");
    check("Next with a short NIP stays and says why", on(&k, "nip") && shows(&k, "18 angka"));
    type_nip(&k, "2010012003");
    check("a good NIP is accepted", shows(&k, "NIP dapat diterima"));
    tap(&k, "next");
    check("details next", on(&k, "details") && shows(&k, "Nama lengkap dan gelar"));
    /* The on-screen keyboard: capital first, then small letters. */
    tap(&k, "kb.S");
    tap(&k, "kb.I");
    tap(&k, "kb.T");
    tap(&k, "kb.I");
    check("keyboard types with a capital first", shows(&k, "Siti|"));
    type(&k, " Rahmawati, S.Pd.");
    tap(&k, "field.pos");
    type(&k, "Guru Ahli Pertama");
    tap(&k, "field.unit");
    type(&k, "Dinas Pendidikan");
    tap(&k, "next");
    check("the signature canvas", on(&k, "signature") && shows(&k, "Tanda tangani di dalam kotak"));
    static const double dot[] = {0.5, 0.5, 0.5, 0.5};
    stroke(&k, dot, 2);
    tap(&k, "next");
    check("a dot is not a signature", on(&k, "signature") && shows(&k, "terlalu pendek"));
    tap(&k, "clear");
    signature(&k);
    tap(&k, "next");
    check("review shows the name", on(&k, "review") && shows(&k, "Siti Rahmawati, S.Pd."));
    check("review shows the NIP masked", shows(&k, "******** ****** 2 003"));
    check("review hides the full NIP", !shows(&k, "19850330"));
    check("review shows position and unit", shows(&k, "Guru Ahli Pertama") && shows(&k, "Dinas Pendidikan"));
    tap(&k, "confirm");
    check("done: thank you and the number", on(&k, "done") && shows(&k, "Terima kasih") &&
                                                  shows(&k, "nomor 1"));
    const char *r = app_receipt(k.a);
    ikr_receipt rc;
    ikr_buf cose, vk;
    ikr_err e;
    ikr_vkey key;
    ikr_buf_init(&cose);
    ikr_buf_init(&vk);
    ikr_err_clear(&e);
    ikr_station_vkey(s, &vk);
    ikr_vkey_parse(&key, (const char *)vk.p, vk.len);
    check("the receipt on screen verifies against the kiosk's key and log",
          r && ikr_receipt_parse(&rc, &cose, r, strlen(r), &e) == 0 &&
              ikr_receipt_check(&cose, &key, 1, NULL, &e) == 0 && ikr_station_check_receipt(s, &rc, &e) == 0 &&
              rc.seq == 1 && strcmp(rc.name, "Siti Rahmawati, S.Pd.") == 0);
    int has_qr = 0;
    for (int i = 0; i < k.l.ncmd; i++)
        has_qr |= k.l.cmd[i].type == KD_QR;
    check("the receipt's QR code is on screen", has_qr);
    ikr_buf_free(&cose);
    ikr_buf_free(&vk);
    wait_ms(&k, 20500);
    check("done returns to welcome by itself", on(&k, "welcome") && shows(&k, "1 orang telah menandatangani"));
    check("and shows nothing of the last signer", !shows(&k, "Siti") && app_receipt(k.a) == NULL);
    app_free(k.a);
}

static void refusals(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    tap(&k, "start");
    read_declaration(&k);
    tap(&k, "agree");
    tap(&k, "status.pns");
    type_nip(&k, "19850230");
    check("a birth date of 30 February is called out at once", shows(&k, "lahir"));
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    type(&k, "28201001");
    type(&k, "3");
    check("a gender digit of 3 is called out", shows(&k, "jenis kelamin"));
    for (int i = 0; i < 15; i++)
        tap(&k, "key.back");
    type(&k, "198503302010012003");
    check("a NIP that already signed is told so, with its number", shows(&k, "sudah menandatangani") &&
                                                                     shows(&k, "nomor 1"));
    tap(&k, "next");
    check("and cannot go on", on(&k, "nip"));
    tap(&k, "key.clear");
    type(&k, "197101011998031002");
    tap(&k, "next");
    char longname[201];
    memset(longname, 'a', 200);
    longname[200] = '\0';
    for (int i = 0; i < 200; i += 25) {
        char part[26];
        memcpy(part, longname + i, 25);
        part[25] = '\0';
        type(&k, part);
    }
    tap(&k, "next");
    check("a name over 128 bytes is refused with a reason", on(&k, "details") && shows(&k, "terlalu panjang"));
    key(&k, APP_KEY_ESCAPE);
    key(&k, APP_KEY_ESCAPE);
    tap(&k, "status.nonasn");
    check("non-ASN skips the NIP", on(&k, "details"));
    app_free(k.a);
}

static void idle_and_language(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    tap(&k, "lang.en");
    check("English on request", shows(&k, "Touch to start") && !shows(&k, "Sentuh untuk mulai"));
    tap(&k, "start");
    check("English throughout", shows(&k, "Please read this declaration"));
    tap(&k, "back");
    tap(&k, "lang.id");
    check("and back to Indonesian", shows(&k, "Sentuh untuk mulai"));
    tap(&k, "start");
    read_declaration(&k);
    tap(&k, "agree");
    tap(&k, "status.nonasn");
    type(&k, "Rahasia Pribadi");
    wait_ms(&k, 59000);
    check("no countdown before a minute", !shows(&k, "Masih di sana?"));
    wait_ms(&k, 2000);
    check("after a minute idle, a countdown", shows(&k, "Masih di sana?") && shows(&k, "dihapus dalam"));
    tap(&k, "idle.continue");
    check("a touch dismisses it and keeps the form", on(&k, "details") && shows(&k, "Rahasia Pribadi") &&
                                                         !shows(&k, "Masih di sana?"));
    wait_ms(&k, 71000);
    check("after the countdown, back to welcome", on(&k, "welcome"));
    tap(&k, "start");
    read_declaration(&k);
    tap(&k, "agree");
    tap(&k, "status.nonasn");
    check("and nothing of that signer is left", !shows(&k, "Rahasia Pribadi"));
    app_free(k.a);
}

static void admin(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    key(&k, APP_KEY_QUIT);
    check("in kiosk mode, Alt+F4 does not quit", !(k.flags & APP_QUIT));
    key(&k, APP_KEY_ESCAPE);
    check("nor Escape", !(k.flags & APP_QUIT) && on(&k, "welcome"));
    const kd_hit *logo = kd_hit_find(&k.l, "logo");
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(&k, 1500);
    feed(&k, APP_UP, logo->x + 5, logo->y + 5);
    check("a short press on the logo does nothing", on(&k, "welcome"));
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(&k, 3100);
    feed(&k, APP_UP, logo->x + 5, logo->y + 5);
    check("a 3 s press opens the PIN pad", on(&k, "admin-pin") && shows(&k, "PIN petugas"));
    for (int i = 0; i < 4; i++) {
        type(&k, "111111");
        tap(&k, "pin.ok");
    }
    check("wrong PINs are counted", on(&k, "admin-pin") && shows(&k, "Sisa percobaan: 1"));
    type(&k, "111111");
    tap(&k, "pin.ok");
    check("the fifth locks the pad", shows(&k, "Terlalu banyak"));
    type(&k, "246810");
    tap(&k, "pin.ok");
    check("while locked even the right PIN is refused", on(&k, "admin-pin"));
    {
        /* Switching the kiosk off and on does not lift the lock. */
        kiosk k2;
        start(&k2, s, 1);
        const kd_hit *l2 = kd_hit_find(&k2.l, "logo");
        feed(&k2, APP_DOWN, l2->x + 5, l2->y + 5);
        wait_ms(&k2, 3100);
        feed(&k2, APP_UP, l2->x + 5, l2->y + 5);
        check("a restarted kiosk keeps the PIN pad locked", shows(&k2, "Terlalu banyak"));
        app_free(k2.a);
    }
    wait_ms(&k, 61000);
    check("the lock ends", !shows(&k, "Terlalu banyak"));
    key(&k, APP_KEY_ESCAPE);
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(&k, 3100);
    feed(&k, APP_UP, logo->x + 5, logo->y + 5);
    type(&k, "246810");
    tap(&k, "pin.ok");
    check("the right PIN opens the staff menu", on(&k, "admin") && shows(&k, "Sudah menandatangani: 1"));
    check("it lists the last signer", shows(&k, "Siti Rahmawati, S.Pd."));
    tap(&k, "admin.reprint");
    int has_qr = 0;
    for (int i = 0; i < k.l.ncmd; i++)
        has_qr |= k.l.cmd[i].type == KD_QR && k.l.cmd[i].w >= k.h / 2;
    check("the last receipt is shown again, large", has_qr && shows(&k, "nomor 1"));
    tap(&k, "admin.qrback");
    /* The roster for the organiser: a bundle in the data folder's exports/, which audits. */
    tap(&k, "admin.export");
    check("the staff menu exports the roster", on(&k, "admin") && shows(&k, "Daftar 1 catatan diekspor ke"));
    {
        char exports[1100], bundle[1400] = "";
        snprintf(exports, sizeof exports, "%s/exports", ikr_station_dir(s));
        DIR *d = opendir(exports);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL)
            if (strncmp(de->d_name, "roster-", 7) == 0)
                snprintf(bundle, sizeof bundle, "%s/%s", exports, de->d_name);
        if (d)
            closedir(d);
        ikr_audit_report rep;
        ikr_err ae;
        ikr_err_clear(&ae);
        check("the exported bundle audits", bundle[0] && ikr_audit_bundle(bundle, 1, &rep, &ae) == IKR_OK &&
                                                rep.records == 1);
    }
    tap(&k, "admin.quit");
    check("leave kiosk mode quits", k.flags & APP_QUIT);
    app_free(k.a);

    /* Closing an event: a final checkpoint, and no more signings from anywhere. */
    ikr_station *c = make_station("closing");
    start(&k, c, 1);
    logo = kd_hit_find(&k.l, "logo");
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(&k, 3100);
    feed(&k, APP_UP, logo->x + 5, logo->y + 5);
    type(&k, "246810");
    tap(&k, "pin.ok");
    tap(&k, "admin.close");
    char path[1100];
    snprintf(path, sizeof path, "%s/checkpoint-final-0.txt", ikr_station_dir(c));
    check("closing the event saves a final checkpoint", access(path, R_OK) == 0 && shows(&k, "Checkpoint akhir: 0"));
    tap(&k, "admin.qrback");
    tap(&k, "back");
    check("Welcome then says the event is closed", on(&k, "welcome") && shows(&k, "Acara telah ditutup") &&
                                                      !shows(&k, "Sentuh untuk mulai") && !kd_hit_find(&k.l, "start"));
    key(&k, APP_KEY_ENTER);
    check("and Enter does not start a signing", on(&k, "welcome"));
    ikr_ink ink;
    ikr_ink_init(&ink);
    const char *j = "{\"w\":100,\"h\":50,\"s\":[[1,2,0,30,40,16]]}";
    ikr_ink_parse_json(&ink, j, strlen(j));
    ikr_form f = {"Terlambat", IKR_STATUS_NON_ASN, NULL, NULL, NULL};
    ikr_signed out;
    ikr_err e;
    ikr_station *other = NULL;
    ikr_err_clear(&e);
    ikr_station_open(&other, ikr_station_dir(c), IKR_OPEN_SIGN, NULL, &e);
    check("another process cannot sign into a closed event either",
          other && ikr_station_sign(other, &f, &ink, 1732000000, &out, &e) == IKR_E_EVENT_CLOSED);
    ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    ikr_station_close(other);
    app_free(k.a);
    ikr_station_close(c);

    start(&k, s, 0);
    key(&k, APP_KEY_QUIT);
    check("in a window, closing it quits", k.flags & APP_QUIT);
    app_free(k.a);
}

static void failing_database(ikr_station *s)
{
    kiosk k;
    uint64_t before = 0, after = 0;
    ikr_station_size(s, &before, NULL);
    start(&k, s, 1);
    to_review(&k, "198807142015042001", "Dewi Lestari");
    check("at review", on(&k, "review"));
    disk_full = 1;
    tap(&k, "confirm");
    disk_full = 0;
    check("a refused write says so", on(&k, "error") && shows(&k, "Data belum tersimpan") &&
                                         shows(&k, "Tidak ada data yang hilang"));
    check("and shows no receipt", app_receipt(k.a) == NULL && !shows(&k, "Terima kasih"));
    ikr_station_size(s, &after, NULL);
    check("nothing was written", after == before);
    tap(&k, "retry");
    check("once there is room, it is recorded", on(&k, "done") && app_receipt(k.a) != NULL);
    ikr_station_size(s, &after, NULL);
    check("exactly once", after == before + 1);
    app_free(k.a);
}

/* Edges found in review: held touches, queued taps, wandering long presses, resizes. */
static void edges(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    tap(&k, "lang.en");
    tap(&k, "start");
    read_declaration(&k);
    tap(&k, "agree");
    tap(&k, "status.nonasn");
    type(&k, "Telapak Tangan");
    const kd_hit *f = kd_hit_find(&k.l, "field.unit");
    feed(&k, APP_DOWN, f->x + 5, f->y + 5);
    wait_ms(&k, 71000);
    check("a touch held still does not keep a form up forever", on(&k, "welcome") &&
                                                                    !shows(&k, "Telapak Tangan"));
    feed(&k, APP_UP, f->x + 5, f->y + 5);
    check("the next signer starts in the kiosk's language", shows(&k, "Sentuh untuk mulai"));

    /* Two taps queued before the next frame: only the first acts. */
    tap(&k, "start");
    read_declaration(&k);
    tap(&k, "agree");
    const kd_hit *b = kd_hit_find(&k.l, "back");
    int bx = b->x + b->w / 2, by = b->y + b->h / 2;
    for (int i = 0; i < 2; i++) {
        app_event d = {APP_DOWN, bx, by, 0, "", k.now += 30}, u = {APP_UP, bx, by, 0, "", k.now += 30};
        app_event_feed(k.a, &d);
        app_event_feed(k.a, &u);
    }
    frame(&k);
    check("a double tap on Back steps back once", on(&k, "declaration"));
    key(&k, APP_KEY_ESCAPE);

    /* A press that starts on the logo and wanders off is no long press. */
    const kd_hit *logo = kd_hit_find(&k.l, "logo");
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    feed(&k, APP_MOVE, logo->x + 300, logo->y + 300);
    wait_ms(&k, 3500);
    feed(&k, APP_UP, logo->x + 300, logo->y + 300);
    check("a wandering long press opens nothing", on(&k, "welcome"));

    /* The window changes size under a signature. */
    tap(&k, "start");
    read_declaration(&k);
    tap(&k, "agree");
    tap(&k, "status.nonasn");
    type(&k, "Ukuran");
    tap(&k, "next");
    signature(&k);
    k.w = 800;
    k.h = 1200;
    frame(&k);
    check("a resized canvas asks for the signature again", on(&k, "signature") && shows(&k, "Ukuran layar berubah"));
    tap(&k, "next");
    check("and does not go on without it", on(&k, "signature"));
    k.w = 1280;
    k.h = 800;
    app_free(k.a);

    /* OK on an empty PIN pad is not a wrong try. */
    start(&k, s, 1);
    logo = kd_hit_find(&k.l, "logo");
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(&k, 3100);
    feed(&k, APP_UP, logo->x + 5, logo->y + 5);
    tap(&k, "pin.ok");
    check("OK on an empty PIN counts nothing", on(&k, "admin-pin") && !shows(&k, "PIN salah"));
    app_free(k.a);
}

/* A port on 127.0.0.1 that nobody listens on: bound, then closed. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 9;
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* The paper receipt: printed after the record is durable, or marked for a reprint. */
static void printing(void)
{
    ikr_station *s = make_station("printing");
    if (!s) {
        check("printing folder", 0);
        return;
    }
    char out[1200], uri[1300], file[1400];
    snprintf(out, sizeof out, "%s/paper", ikr_station_dir(s));
    mkdir(out, 0700);
    snprintf(uri, sizeof uri, "file:%s", out);
    kiosk k;
    memset(&k, 0, sizeof k);
    k.w = 1280;
    k.h = 800;
    k.now = 1000;
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = 1, .printer = uri};
    app_new(&k.a, s, &o, k.now, NULL);
    frame(&k);
    to_review(&k, "198503302010012003", "Siti Cetak");
    tap(&k, "confirm");
    snprintf(file, sizeof file, "%s/receipt-1.png", out);
    ikr_log_row row;
    ikr_log_row_init(&row);
    check("a printed receipt is said so on Done", on(&k, "done") && shows(&k, "sudah dicetak"));
    check("the receipt went to the printer and the record is marked printed",
          access(file, R_OK) == 0 && ikr_station_get(s, 1, &row, NULL) == 0 && row.printed == 1);
    ikr_log_row_free(&row);
    app_free(k.a);

    /* A printer that refuses: the signer is told, the record waits for a reprint. */
    snprintf(uri, sizeof uri, "escpos+tcp://127.0.0.1:%d", closed_port());
    app_opts o2 = {.lang = IKR_LANG_ID, .fullscreen = 1, .printer = uri};
    app_new(&k.a, s, &o2, k.now, NULL);
    frame(&k);
    to_review(&k, "197101011998031002", "Budi Tanpa Printer");
    tap(&k, "confirm");
    ikr_log_row_init(&row);
    check("a failed print still ends on Done, saying so", on(&k, "done") && shows(&k, "belum dapat dicetak") &&
                                                             app_receipt(k.a) != NULL);
    check("and the record is kept, marked for a reprint", ikr_station_get(s, 2, &row, NULL) == 0 && row.printed == 0);
    ikr_log_row_free(&row);
    app_free(k.a);

    /* The staff reprint the last receipt on paper. */
    snprintf(uri, sizeof uri, "file:%s", out);
    app_opts o3 = {.lang = IKR_LANG_ID, .fullscreen = 1, .printer = uri};
    app_new(&k.a, s, &o3, k.now, NULL);
    frame(&k);
    const kd_hit *logo = kd_hit_find(&k.l, "logo");
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    wait_ms(&k, 3100);
    feed(&k, APP_UP, logo->x + 5, logo->y + 5);
    type(&k, "246810");
    tap(&k, "pin.ok");
    tap(&k, "admin.printer");
    snprintf(file, sizeof file, "%s/receipt-2.png", out);
    ikr_log_row_init(&row);
    check("the staff menu reprints the last receipt", shows(&k, "dicetak ulang") && access(file, R_OK) == 0 &&
                                                         ikr_station_get(s, 2, &row, NULL) == 0 && row.printed == 1);
    ikr_log_row_free(&row);
    app_free(k.a);
    ikr_station_close(s);
}

/* A NIP taken by another signing while this one waited on the error screen. */
static void retry_refused(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    to_review(&k, "199202292019031001", "Rudi Hartono");
    disk_full = 1;
    tap(&k, "confirm");
    disk_full = 0;
    check("the write failed", on(&k, "error"));
    ikr_ink ink;
    ikr_ink_init(&ink);
    const char *j = "{\"w\":100,\"h\":50,\"s\":[[1,2,0,30,40,16]]}";
    ikr_ink_parse_json(&ink, j, strlen(j));
    ikr_form f = {"Rudi di kiosk lain", IKR_STATUS_PNS, "199202292019031001", NULL, NULL};
    ikr_signed out;
    ikr_err e;
    ikr_err_clear(&e);
    check("meanwhile the NIP signs elsewhere", ikr_station_sign(s, &f, &ink, 1732000000, &out, &e) == 0);
    ikr_buf_free(&out.receipt);
    ikr_ink_free(&ink);
    tap(&k, "retry");
    check("the retry is refused on Review, saying why", on(&k, "review") && shows(&k, "sudah menandatangani"));
    app_free(k.a);
}

/* Every screen at every size: nothing outside the window, pools not exhausted. */
static void layouts(ikr_station *s)
{
    static const int sizes[4][2] = {{800, 480}, {1280, 800}, {1080, 1920}, {480, 800}};
    for (int z = 0; z < 4; z++) {
        kiosk k;
        start(&k, s, 1);
        k.w = sizes[z][0];
        k.h = sizes[z][1];
        frame(&k);
        int ok = 1, screens = 0;
        const char *seen[12];
        for (int step = 0; step < 9; step++) {
            switch (step) {
            case 1: tap(&k, "start"); break;
            case 2: read_declaration(&k); tap(&k, "agree"); break;
            case 3: tap(&k, "status.pppk"); break;
            case 4: {
                /* a PPPK NIP of its own for each size */
                char nip[19];
                snprintf(nip, sizeof nip, "19900101202201100%d", z + 1);
                type(&k, nip);
                tap(&k, "next");
                break;
            }
            case 5: type(&k, "Agus Salim"); tap(&k, "next"); break;
            case 6: signature(&k); tap(&k, "next"); break;
            case 7: break;
            case 8: tap(&k, "confirm"); break;
            default: break;
            }
            seen[screens++] = app_screen_name(k.a);
            if (k.l.overflow)
                ok = 0;
            for (int i = 0; i < k.l.nhit; i++) {
                const kd_hit *h = &k.l.hit[i];
                if (h->x < 0 || h->y < 0 || h->x + h->w > k.w || h->y + h->h > k.h || h->w < k.l.unit ||
                    h->h < k.l.unit) {
                    fprintf(stderr, "%dx%d %s: '%s' at %d,%d %dx%d\n", k.w, k.h, app_screen_name(k.a), h->id,
                            h->x, h->y, h->w, h->h);
                    ok = 0;
                }
            }
        }
        char desc[120];
        snprintf(desc, sizeof desc, "every screen fits %dx%d (last screen: %s)", k.w, k.h, seen[screens - 1]);
        check(desc, ok && strcmp(seen[screens - 1], "done") == 0);
        app_free(k.a);
    }
}

static void strings(void)
{
    int ok = 1;
    for (int i = 0; i < K_COUNT; i++) {
        const char *a = kstr(i, IKR_LANG_ID), *b = kstr(i, IKR_LANG_EN);
        if (strcmp(a, "?") == 0 || strcmp(b, "?") == 0) {
            fprintf(stderr, "string %d missing\n", i);
            ok = 0;
        }
        /* Both languages of a format take the same conversions in the same order. */
        char ca[16] = "", cb[16] = "";
        size_t na = 0, nb = 0;
        for (const char *p = a; *p && na < 15; p++)
            if (p[0] == '%' && p[1])
                ca[na++] = *++p;
        for (const char *p = b; *p && nb < 15; p++)
            if (p[0] == '%' && p[1])
                cb[nb++] = *++p;
        if (strcmp(ca, cb) != 0) {
            fprintf(stderr, "string %d: conversions differ\n", i);
            ok = 0;
        }
    }
    check("every kiosk string in both languages, with matching formats", ok);
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
    install_vfs();
    if (!mkdtemp(root))
        return 1;
    strings();
    ikr_station *s = make_station("event");
    check("a kiosk folder", s != NULL);
    if (s) {
        full_signing(s);
        refusals(s);
        idle_and_language(s);
        admin(s);
        failing_database(s);
        edges(s);
        retry_refused(s);
        layouts(s);
        printing();
        ikr_err e;
        ikr_audit_report rep;
        ikr_err_clear(&e);
        check("after all that the log audits", ikr_audit_station(s, 1, &rep, &e) == 0 && rep.records == 7);
        ikr_station_close(s);
    }
    rm_rf(root);
    /* cairo and fontconfig keep caches for the process; give them back so leak checks see none. */
    ikr_ticket_release_caches();
    return check_report();
}
