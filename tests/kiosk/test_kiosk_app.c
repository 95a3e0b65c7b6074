/*
 * test_kiosk_app: the kiosk's screens driven as a signer and an organiser
 * would, with no display: taps on what the frame shows, typed text, strokes
 * on the canvas, time passing.  Each step asserts what the screen says.
 * Text is measured by a fixed-width stand-in for the renderer, so layouts
 * are checked for fit at 800x480, 1280x800 and 1080x1920 too.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "fault_vfs.h"
#include "ikrar/audit.h"
#include "ikrar/clock.h"
#include "ikrar/receipt.h"
#include "ikrar/ticket.h"
#include "kiosk_fixture.h"
#include "kstr.h"
#include "usb.h"

/* ---- the folder ---- */

static char root[] = "/tmp/ikrar-kiosk-app-XXXXXX";

static ikr_station *make_station(const char *name)
{
    ikr_station_cfg cfg = {"pilkada-2024",
                           "Deklarasi Netralitas ASN Kabupaten Contoh",
                           "aula-1",
                           NULL,
                           0,
                           "246810",
                           NULL,
                           "Pemerintah Kabupaten Contoh",
                           "Aula Setda, Soreang",
                           "30 September 2024",
                           NULL};
    return kiosk_station(root, name, &cfg);
}

static void start(kiosk *k, ikr_station *s, int fullscreen)
{
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = fullscreen};
    kiosk_open(k, s, 1280, 800, &o);
}

/* ---- the tests ---- */

static void full_signing(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    check("welcome shows the event",
          on(&k, "welcome") && shows(&k, "Deklarasi Netralitas ASN Kabupaten Contoh"));
    check("welcome counts the signers", shows(&k, "0 orang telah menandatangani"));
    check("welcome names organiser, place and date", shows(&k, "Pemerintah Kabupaten Contoh") &&
                                                         shows(&k, "Aula Setda, Soreang") &&
                                                         shows(&k, "30 September 2024"));
    check("welcome has one big start button", shows(&k, "Sentuh untuk mulai"));
    tap(&k, KB_START);
    check("the declaration is shown", on(&k, "declaration") && shows(&k, "Bacalah deklarasi ini"));
    check("it offers to read to the end a page a touch", shows(&k, "Baca sampai akhir"));
    tap(&k, KB_AGREE);
    check("agreeing before reading to the end stays, and says why",
          on(&k, "declaration") && shows(&k, "Tombol setuju aktif setelah"));
    read_declaration(&k);
    check("read to the end, the page button goes", !shows(&k, "Baca sampai akhir"));
    tap(&k, KB_AGREE);
    check("the NIP keypad, without a roster nothing to find by name",
          on(&k, "nip") && shows(&k, "0 dari 18 angka") && shows(&k, "Ketik NIP Anda") &&
              !kd_hit_find(&k.l, KB_FIND_MODE, 0));
    type_nip(&k, "19850330");
    check("digits are counted", shows(&k, "8 dari 18 angka"));
    check("and grouped as printed", shows(&k, "19850330 ______ _ ___"));
    tap(&k, KB_NEXT);
    check("Next with a short NIP stays and says why", on(&k, "nip") && shows(&k, "18 angka"));
    type_nip(&k, "2010012003");
    check("a good NIP is accepted", shows(&k, "NIP dapat diterima"));
    tap(&k, KB_NEXT);
    check("a NIP not on any roster: the status is asked, PNS or PPPK",
          on(&k, "status") && shows(&k, "PNS") && shows(&k, "PPPK") && !shows(&k, "Non-ASN"));
    tap(&k, KB_STATUS_PNS);
    check("details next", on(&k, "details") && shows(&k, "Nama lengkap dan gelar"));
    check("a PNS must give position and unit", shows(&k, "(wajib)"));
    /* The on-screen keyboard: capital first, then small letters. */
    tap_key(&k, KB_CHAR, 'S');
    tap_key(&k, KB_CHAR, 'I');
    tap_key(&k, KB_CHAR, 'T');
    tap_key(&k, KB_CHAR, 'I');
    check("keyboard types with a capital first", shows_caret(&k, "Siti"));
    type(&k, " Rahmawati, S.Pd.");
    tap(&k, KB_FIELD_POS);
    type(&k, "Guru Ahli Pertama");
    tap(&k, KB_FIELD_UNIT);
    type(&k, "Dinas Pendidikan");
    tap(&k, KB_NEXT);
    check("the signature canvas", on(&k, "signature") && shows(&k, "Tanda tangani di dalam kotak"));
    static const double dot[] = {0.5, 0.5, 0.5, 0.5};
    stroke(&k, dot, 2);
    tap(&k, KB_NEXT);
    check("a dot is not a signature", on(&k, "signature") && shows(&k, "terlalu pendek"));
    tap(&k, KB_CLEAR);
    signature(&k);
    tap(&k, KB_NEXT);
    check("review shows the name", on(&k, "review") && shows(&k, "Siti Rahmawati, S.Pd."));
    check("review shows the NIP whole to its owner", shows(&k, "19850330 201001 2 003"));
    check("review shows position and unit",
          shows(&k, "Guru Ahli Pertama") && shows(&k, "Dinas Pendidikan"));
    tap(&k, KB_CONFIRM);
    check("done: thank you and the number",
          on(&k, "done") && shows(&k, "Terima kasih") && shows(&k, "nomor 1"));
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
              ikr_receipt_check(&cose, &key, 1, NULL, &e) == 0 &&
              ikr_station_check_receipt(s, &rc, &e) == 0 && rc.seq == 1 &&
              strcmp(rc.name, "Siti Rahmawati, S.Pd.") == 0);
    int has_qr = 0;
    for (int i = 0; i < k.l.ncmd; i++)
        has_qr |= k.l.cmd[i].type == KD_QR;
    check("the receipt's QR code is on screen", has_qr);
    ikr_buf_free(&cose);
    ikr_buf_free(&vk);
    wait_ms(&k, 20500);
    check("done returns to welcome by itself",
          on(&k, "welcome") && shows(&k, "1 orang telah menandatangani"));
    check("and shows nothing of the last signer", !shows(&k, "Siti") && app_receipt(k.a) == NULL);
    app_free(k.a);
}

static void refusals(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    type_nip(&k, "19850230");
    check("a birth date of 30 February is called out at once", shows(&k, "lahir"));
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    type(&k, "28201001");
    type(&k, "3");
    check("a gender digit of 3 is called out", shows(&k, "jenis kelamin"));
    for (int i = 0; i < 15; i++)
        tap(&k, KB_KEY_BACK);
    type(&k, "198503302010012003");
    check("a NIP that already signed is told so, with its number, when, and what to do",
          shows(&k, "sudah menandatangani") && shows(&k, "hari ini pukul") && shows(&k, "(nomor") &&
              shows(&k, "hubungi"));
    tap(&k, KB_NEXT);
    check("and cannot go on", on(&k, "nip"));
    tap(&k, KB_KEY_CLEAR);
    type(&k, "197101011998031002");
    tap(&k, KB_NEXT);
    tap(&k, KB_STATUS_PNS);
    char longname[201];
    memset(longname, 'a', 200);
    longname[200] = '\0';
    for (int i = 0; i < 200; i += 25) {
        char part[26];
        memcpy(part, longname + i, 25);
        part[25] = '\0';
        type(&k, part);
    }
    tap(&k, KB_NEXT);
    check("a name over 128 bytes is refused with a reason",
          on(&k, "details") && shows(&k, "terlalu panjang"));
    for (int i = 0; i < 200; i++)
        key(&k, APP_KEY_BACKSPACE);
    type(&k, "Budi");
    tap(&k, KB_NEXT);
    check("a PNS without a position is refused, saying so",
          on(&k, "details") && shows(&k, "Jabatan wajib diisi untuk PNS dan PPPK"));
    type(&k, "Guru");
    tap(&k, KB_NEXT);
    check("...and without a unit", on(&k, "details") && shows(&k, "Unit kerja wajib diisi"));
    key(&k, APP_KEY_ESCAPE);
    key(&k, APP_KEY_ESCAPE);
    check("back to the NIP screen through the status", on(&k, "nip"));
    tap(&k, KB_NO_NIP);
    check("non-ASN: no NIP, straight to the details, what was typed kept",
          on(&k, "details") && shows(&k, "Budi") && shows(&k, "Guru"));
    tap(&k, KB_CANCEL);
    check("Batal leaves for Welcome", on(&k, "welcome"));
    app_free(k.a);
}

static void idle_and_language(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1);
    tap(&k, KB_LANG_EN);
    check("English on request", shows(&k, "Touch to start") && !shows(&k, "Sentuh untuk mulai"));
    tap(&k, KB_START);
    check("English throughout", shows(&k, "Please read this declaration"));
    tap(&k, KB_BACK);
    tap(&k, KB_LANG_ID);
    check("and back to Indonesian", shows(&k, "Sentuh untuk mulai"));
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    tap(&k, KB_NO_NIP);
    type(&k, "Rahasia Pribadi");
    wait_ms(&k, 59000);
    check("no countdown before a minute", !shows(&k, "Masih di sana?"));
    wait_ms(&k, 2000);
    check("after a minute idle, a countdown",
          shows(&k, "Masih di sana?") && shows(&k, "dihapus dalam"));
    tap(&k, KB_IDLE_CONTINUE);
    check("a touch dismisses it and keeps the form",
          on(&k, "details") && shows(&k, "Rahasia Pribadi") && !shows(&k, "Masih di sana?"));
    wait_ms(&k, 71000);
    check("after the countdown, back to welcome", on(&k, "welcome"));
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    tap(&k, KB_NO_NIP);
    check("and nothing of that signer is left", !shows(&k, "Rahasia Pribadi"));
    app_free(k.a);
}

/*
 * Starts a kiosk as if switched on at wall-clock time wall: a restarted kiosk
 * reads the stored PIN lock against the wall clock at its start, so it must
 * start at the wall time the tests' virtual minutes have reached, not the
 * real one (which they leave behind).
 */
static void start_at(kiosk *k, ikr_station *s, long long wall)
{
    char was[32] = "", v[32];
    if (getenv(IKR_CLOCK_ENV))
        snprintf(was, sizeof was, "%s", getenv(IKR_CLOCK_ENV));
    snprintf(v, sizeof v, "%lld", wall);
    setenv(IKR_CLOCK_ENV, v, 1);
    start(k, s, 1);
    if (was[0])
        setenv(IKR_CLOCK_ENV, was, 1);
    else
        unsetenv(IKR_CLOCK_ENV);
}

/*
 * The wall time kiosk k has reached, started at wall-clock w0 and app clock
 * m0: its virtual minutes, or the real clock when that ran further (PIN
 * checks are slow under the sanitizers and a loaded machine, and a lock is
 * stored by the real clock: a restart at a virtual time behind it would see
 * a lock of more than a minute, which the kiosk rightly takes for a bad one).
 */
static long long wall_of(const kiosk *k, long long w0, uint64_t m0)
{
    long long v = w0 + (long long)((k->now - m0) / 1000), r = (long long)ikr_clock_now();
    return v > r ? v : r;
}

static void admin(ikr_station *s)
{
    kiosk k;
    long long w0 = (long long)ikr_clock_now();
    start_at(&k, s, w0);
    uint64_t m0 = k.now;
    key(&k, APP_KEY_QUIT);
    check("in kiosk mode, Alt+F4 does not quit", !(k.flags & APP_QUIT));
    key(&k, APP_KEY_ESCAPE);
    check("nor Escape", !(k.flags & APP_QUIT) && on(&k, "welcome"));
    hold_logo(&k, 1500);
    check("a short press on the logo does nothing", on(&k, "welcome"));
    hold_logo(&k, 3100);
    check("a 3 s press opens the PIN pad", on(&k, "admin-pin") && shows(&k, "PIN petugas"));
    for (int i = 0; i < 4; i++) {
        type(&k, "111111");
        tap(&k, KB_PIN_OK);
    }
    check("wrong PINs are counted", on(&k, "admin-pin") && shows(&k, "Sisa percobaan: 1"));
    type(&k, "111111");
    tap(&k, KB_PIN_OK);
    check("the fifth locks the pad", shows(&k, "Terlalu banyak"));
    type(&k, "246810");
    tap(&k, KB_PIN_OK);
    check("while locked even the right PIN is refused", on(&k, "admin-pin"));
    {
        /* Switching the kiosk off and on does not lift the lock. */
        kiosk k2;
        start_at(&k2, s, wall_of(&k, w0, m0));
        hold_logo(&k2, 3100);
        check("a restarted kiosk keeps the PIN pad locked", shows(&k2, "Terlalu banyak"));
        app_free(k2.a);
    }
    wait_ms(&k, 61000);
    check("the lock ends", !shows(&k, "Terlalu banyak"));
    key(&k, APP_KEY_ESCAPE);
    staff_menu(&k);
    check("the right PIN opens the staff menu",
          on(&k, "admin") && shows(&k, "Sudah menandatangani: 1"));
    check("it lists the last signer", shows(&k, "Siti Rahmawati, S.Pd."));
    tap(&k, KB_ADMIN_REPRINT);
    check("reprinting opens on the last record",
          on(&k, "find") && shows(&k, "Catatan terakhir") && shows(&k, "Siti Rahmawati, S.Pd."));
    tap(&k, KB_FIND_QR);
    int has_qr = 0;
    for (int i = 0; i < k.l.ncmd; i++)
        has_qr |= k.l.cmd[i].type == KD_QR && k.l.cmd[i].w >= k.h / 2;
    check("the last receipt is shown again, large", has_qr && shows(&k, "nomor 1"));
    tap(&k, KB_ADMIN_QRBACK);
    tap(&k, KB_BACK);
    /* The roster for the organiser: a bundle in the data folder's exports/, which audits. */
    tap(&k, KB_ADMIN_EXPORT);
    check("the staff menu exports the roster",
          on(&k, "admin") && shows(&k, "Daftar 1 catatan diekspor ke"));
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
        check("the exported bundle audits",
              bundle[0] && ikr_audit_bundle(bundle, 1, &rep, &ae) == IKR_OK && rep.records == 1);
    }
    tap(&k, KB_ADMIN_QUIT);
    check("leave kiosk mode quits", k.flags & APP_QUIT);
    app_free(k.a);
    {
        /* Wrong PINs are counted across restarts too: four, a restart, one more locks. */
        kiosk k3;
        long long w3 = wall_of(&k, w0, m0);
        start_at(&k3, s, w3);
        uint64_t m3 = k3.now;
        hold_logo(&k3, 3100);
        for (int i = 0; i < 4; i++) {
            type(&k3, "111111");
            tap(&k3, KB_PIN_OK);
        }
        check("four wrong PINs", shows(&k3, "Sisa percobaan: 1"));
        long long w3b = wall_of(&k3, w3, m3);
        app_free(k3.a);
        start_at(&k3, s, w3b);
        hold_logo(&k3, 3100);
        type(&k3, "111111");
        tap(&k3, KB_PIN_OK);
        check("after a restart, the fifth still locks the pad", shows(&k3, "Terlalu banyak"));
        app_free(k3.a);
    }

    /* Closing an event: a final checkpoint, and no more signings from anywhere. */
    ikr_station *c = make_station("closing");
    start(&k, c, 1);
    staff_menu(&k);
    tap(&k, KB_ADMIN_CLOSE);
    char path[1100];
    snprintf(path, sizeof path, "%s/checkpoint-final-0.txt", ikr_station_dir(c));
    check("closing asks for the PIN again",
          on(&k, "admin-pin") && shows(&k, "PIN petugas sekali lagi untuk menutup acara"));
    type(&k, "111111");
    tap(&k, KB_PIN_OK);
    check("a wrong PIN closes nothing", on(&k, "admin-pin") && shows(&k, "PIN salah") &&
                                            !ikr_station_closed(c) && access(path, R_OK) != 0);
    key(&k, APP_KEY_ESCAPE);
    check("cancelling the PIN returns to the staff menu",
          on(&k, "admin") && !ikr_station_closed(c));
    tap(&k, KB_ADMIN_CLOSE);
    type(&k, "246810");
    tap(&k, KB_PIN_OK);
    check("the right PIN asks once more, naming the consequence",
          on(&k, "close-confirm") && shows(&k, "Tutup acara ini?") &&
              shows(&k, "tidak ada lagi yang dapat menandatangani") &&
              shows(&k, "Ya, tutup acara") && shows(&k, "Batal") && !ikr_station_closed(c));
    check("the question fits", fits(&k));
    key(&k, APP_KEY_ENTER);
    check("Enter does not answer it", on(&k, "close-confirm") && !ikr_station_closed(c));
    tap(&k, KB_CLOSE_CANCEL);
    check("Batal leaves the event open",
          on(&k, "admin") && !ikr_station_closed(c) && access(path, R_OK) != 0);
    tap(&k, KB_ADMIN_CLOSE);
    type(&k, "246810");
    tap(&k, KB_PIN_OK);
    tap(&k, KB_CLOSE_CONFIRM);
    check("closing the event saves a final checkpoint",
          access(path, R_OK) == 0 && shows(&k, "Checkpoint akhir: 0"));
    tap(&k, KB_ADMIN_QRBACK);
    tap(&k, KB_BACK);
    check("Welcome then says the event is closed",
          on(&k, "welcome") && shows(&k, "Acara telah ditutup") &&
              !shows(&k, "Sentuh untuk mulai") && !kd_hit_find(&k.l, KB_START, 0));
    key(&k, APP_KEY_ENTER);
    check("and Enter does not start a signing", on(&k, "welcome"));
    ikr_form f = {"Terlambat", IKR_STATUS_NON_ASN, NULL, NULL, NULL};
    ikr_err e;
    ikr_station *other = NULL;
    ikr_err_clear(&e);
    ikr_station_open(&other, ikr_station_dir(c), IKR_OPEN_SIGN, NULL, &e);
    check("another process cannot sign into a closed event either",
          other && core_sign(other, &f, ikr_clock_now(), &e) == IKR_E_EVENT_CLOSED);
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
    tap(&k, KB_CONFIRM);
    disk_full = 0;
    check("a refused write says so", on(&k, "error") && shows(&k, "Data belum tersimpan") &&
                                         shows(&k, "Tidak ada data yang hilang"));
    check("and shows no receipt", app_receipt(k.a) == NULL && !shows(&k, "Terima kasih"));
    ikr_station_size(s, &after, NULL);
    check("nothing was written", after == before);
    tap(&k, KB_RETRY);
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
    tap(&k, KB_LANG_EN);
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    tap(&k, KB_NO_NIP);
    type(&k, "Telapak Tangan");
    const kd_hit *f = kd_hit_find(&k.l, KB_FIELD_UNIT, 0);
    feed(&k, APP_DOWN, f->x + 5, f->y + 5);
    wait_ms(&k, 71000);
    check("a touch held still does not keep a form up forever",
          on(&k, "welcome") && !shows(&k, "Telapak Tangan"));
    feed(&k, APP_UP, f->x + 5, f->y + 5);
    check("the next signer starts in the kiosk's language", shows(&k, "Sentuh untuk mulai"));

    /* Two taps queued before the next frame: only the first acts. */
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    const kd_hit *b = kd_hit_find(&k.l, KB_BACK, 0);
    int bx = b->x + b->w / 2, by = b->y + b->h / 2;
    for (int i = 0; i < 2; i++) {
        app_event d = {APP_DOWN, bx, by, 0, "", k.now += 30},
                  u = {APP_UP, bx, by, 0, "", k.now += 30};
        app_event_feed(k.a, &d);
        app_event_feed(k.a, &u);
    }
    frame(&k);
    check("a double tap on Back steps back once", on(&k, "declaration"));
    key(&k, APP_KEY_ESCAPE);

    /* A press that starts on the logo and wanders off is no long press. */
    const kd_hit *logo = kd_hit_find(&k.l, KB_LOGO, 0);
    feed(&k, APP_DOWN, logo->x + 5, logo->y + 5);
    feed(&k, APP_MOVE, logo->x + 300, logo->y + 300);
    wait_ms(&k, 3500);
    feed(&k, APP_UP, logo->x + 300, logo->y + 300);
    check("a wandering long press opens nothing", on(&k, "welcome"));

    /* The window changes size under a signature. */
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    tap(&k, KB_NO_NIP);
    type(&k, "Ukuran");
    tap(&k, KB_NEXT);
    signature(&k);
    k.w = 800;
    k.h = 1200;
    frame(&k);
    check("a resized canvas asks for the signature again",
          on(&k, "signature") && shows(&k, "Ukuran layar berubah"));
    tap(&k, KB_NEXT);
    check("and does not go on without it", on(&k, "signature"));
    k.w = 1280;
    k.h = 800;
    app_free(k.a);

    /* OK on an empty PIN pad is not a wrong try. */
    start(&k, s, 1);
    hold_logo(&k, 3100);
    tap(&k, KB_PIN_OK);
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
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = 1, .printer = uri};
    kiosk_open(&k, s, 1280, 800, &o);
    to_review(&k, "198503302010012003", "Siti Cetak");
    tap(&k, KB_CONFIRM);
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
    tap(&k, KB_CONFIRM);
    ikr_log_row_init(&row);
    check("a failed print still ends on Done, saying so",
          on(&k, "done") && shows(&k, "belum dapat dicetak") && app_receipt(k.a) != NULL);
    check("and the record is kept, marked for a reprint",
          ikr_station_get(s, 2, &row, NULL) == 0 && row.printed == 0);
    ikr_log_row_free(&row);
    app_free(k.a);

    /* The staff reprint the last receipt on paper. */
    snprintf(uri, sizeof uri, "file:%s", out);
    app_opts o3 = {.lang = IKR_LANG_ID, .fullscreen = 1, .printer = uri};
    app_new(&k.a, s, &o3, k.now, NULL);
    frame(&k);
    staff_menu(&k);
    tap(&k, KB_ADMIN_REPRINT);
    tap(&k, KB_FIND_PRINT);
    snprintf(file, sizeof file, "%s/receipt-2.png", out);
    ikr_log_row_init(&row);
    check("the staff menu reprints the last receipt",
          shows(&k, "dicetak ulang") && access(file, R_OK) == 0 &&
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
    tap(&k, KB_CONFIRM);
    disk_full = 0;
    check("the write failed", on(&k, "error"));
    ikr_form f = {"Rudi di kiosk lain", IKR_STATUS_PNS, "199202292019031001", NULL, NULL};
    ikr_err e;
    ikr_err_clear(&e);
    check("meanwhile the NIP signs elsewhere", core_sign(s, &f, ikr_clock_now(), &e) == 0);
    tap(&k, KB_RETRY);
    check("the retry is refused on Review, saying why",
          on(&k, "review") && shows(&k, "sudah menandatangani"));
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
            case 1:
                tap(&k, KB_START);
                break;
            case 2:
                read_declaration(&k);
                tap(&k, KB_AGREE);
                break;
            case 3: {
                /* a PPPK NIP of its own for each size */
                char nip[19];
                snprintf(nip, sizeof nip, "19900101202201100%d", z + 1);
                type(&k, nip);
                tap(&k, KB_NEXT);
                break;
            }
            case 4:
                tap(&k, KB_STATUS_PPPK);
                break;
            case 5:
                type(&k, "Agus Salim");
                tap(&k, KB_FIELD_POS);
                type(&k, "Penata");
                tap(&k, KB_FIELD_UNIT);
                type(&k, "Setda");
                tap(&k, KB_NEXT);
                break;
            case 6:
                signature(&k);
                tap(&k, KB_NEXT);
                break;
            case 7:
                break;
            case 8:
                tap(&k, KB_CONFIRM);
                break;
            default:
                break;
            }
            seen[screens++] = app_screen_name(k.a);
            if (!hits_fit(&k))
                ok = 0;
        }
        char desc[120];
        snprintf(desc, sizeof desc, "every screen fits %dx%d (last screen: %s)", k.w, k.h,
                 seen[screens - 1]);
        check(desc, ok && strcmp(seen[screens - 1], "done") == 0);
        app_free(k.a);
    }
}

/* A key of button b's family (a digit, or the keyboard's apostrophe), or 0 outside one. */
static int sample_key(int b)
{
    return b == KB_CHAR                                     ? '\''
           : b == KB_LETTER                                 ? 'K'
           : b == KB_KEY || b == KB_PIN || b == KB_FIND_KEY ? '7'
           : b == KB_USB_DRIVE || b == KB_CLOCK_UP || b == KB_CLOCK_DOWN || b == KB_FOUND ||
                   b == KB_UNIT
               ? '3'
           : b == KB_PROGRESS_UNIT ? 311
                                   : 0;
}

/* Every button has one script name, and the name means that button again. */
static void buttons(void)
{
    int ok = 1;
    char name[KBTN_NAME_MAX], other[KBTN_NAME_MAX];
    for (int i = KB_NONE + 1; i < KB_COUNT; i++) {
        enum kbtn b = KB_NONE;
        int idx = -1;
        kbtn_name((enum kbtn)i, sample_key(i), name, sizeof name);
        if (kbtn_parse(name, &b, &idx) != 0 || (int)b != i || idx != sample_key(i)) {
            fprintf(stderr, "button %d: '%s' does not name it\n", i, name);
            ok = 0;
        }
        for (int j = KB_NONE + 1; j < i; j++)
            if (strcmp(name, kbtn_name((enum kbtn)j, sample_key(j), other, sizeof other)) == 0) {
                fprintf(stderr, "buttons %d and %d are both '%s'\n", j, i, name);
                ok = 0;
            }
    }
    enum kbtn b;
    int bi;
    check("every button's script name means it, and no two share one", ok);
    check("the scripts' names are the buttons of old",
          kbtn_parse("key.1", &b, &bi) == 0 && b == KB_KEY && bi == '1' &&
              kbtn_parse("kb.Q", &b, &bi) == 0 && b == KB_CHAR && bi == 'Q' &&
              kbtn_parse("kb.bs", &b, &bi) == 0 && b == KB_KB_BS &&
              kbtn_parse("key.clear", &b, &bi) == 0 && b == KB_KEY_CLEAR &&
              kbtn_parse("status.pns", &b, &bi) == 0 && b == KB_STATUS_PNS);
    check("a unit of the chart is named by its number",
          kbtn_parse("unit.311", &b, &bi) == 0 && b == KB_PROGRESS_UNIT && bi == 311 &&
              kbtn_parse("unit.0", &b, &bi) == 0 && bi == 0 && kbtn_parse("find.4", &b, &bi) == 0 &&
              b == KB_FIND_KEY && bi == '4' && kbtn_parse("find.clear", &b, &bi) == 0 &&
              b == KB_FIND_CLEAR);
    check("and not by anything else",
          kbtn_parse("unit.", &b, &bi) != 0 && kbtn_parse("unit.01", &b, &bi) != 0 &&
              kbtn_parse("unit.-1", &b, &bi) != 0 && kbtn_parse("unit.123456", &b, &bi) != 0);
    check("and nothing else names a button",
          kbtn_parse("key.x", &b, &bi) != 0 && kbtn_parse("key.", &b, &bi) != 0 &&
              kbtn_parse("kb.QQ", &b, &bi) != 0 && kbtn_parse("", &b, &bi) != 0 &&
              kbtn_parse("Start", &b, &bi) != 0);
}

/* ---- copy to USB ---- */

/* The copy's worker takes real time: ticks 20 ms at a time until text shows, at most a minute. */
static int await_text(kiosk *k, const char *text)
{
    for (int i = 0; i < 3000 && !kd_shows(&k->l, text); i++) {
        usleep(20000);
        wait_ms(k, 20);
    }
    return shows(k, text);
}

/* The one folder named ikrar-<event>-... in dir (into out), or 0 when there is not exactly one. */
static int one_copy(const char *dir, char *out, size_t n)
{
    int found = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (strncmp(de->d_name, "ikrar-pilkada-2024-", 19) == 0) {
            snprintf(out, n, "%s/%s", dir, de->d_name);
            found++;
        }
    if (d)
        closedir(d);
    return found == 1;
}

static void usb_copy(void)
{
    char stick[700], stick2[700], gone[700], both[1500], copy[1000], path[1200];
    ikr_station *s = make_station("usb");
    ikr_form f = {"Rina Wulandari", IKR_STATUS_PNS, "198503302010012003", NULL, NULL};
    ikr_err e;
    ikr_err_clear(&e);
    check("a signer before the copy", s && core_sign(s, &f, ikr_clock_now(), &e) == IKR_OK);
    if (!s)
        return;
    snprintf(stick, sizeof stick, "%s/FLASHDISK", root);
    snprintf(stick2, sizeof stick2, "%s/KINGSTON", root);
    snprintf(gone, sizeof gone, "%s/PULLED-OUT", root);
    mkdir(stick, 0700);
    mkdir(stick2, 0700);
    kiosk k;

    /* No stick: say so, and look again on request. */
    setenv("IKRAR_USB_ROOTS", "", 1);
    start(&k, s, 1);
    staff_menu(&k);
    tap(&k, KB_ADMIN_USB);
    check("with no stick it asks for one", on(&k, "usb") && shows(&k, "Colokkan flashdisk"));

    /* One stick: the copy starts at once, shows its bar, and says when the stick may go. */
    setenv("IKRAR_USB_ROOTS", stick, 1);
    tap(&k, KB_USB_RESCAN);
    check("with one stick the copy starts, with a bar",
          on(&k, "usb") && shows(&k, "Jangan cabut flashdisk") && shows(&k, "FLASHDISK"));
    check("while it copies a tap does nothing", tap(&k, KB_BACK) == 0 && on(&k, "usb"));
    check("then the stick may be pulled", await_text(&k, "Flashdisk aman dicabut"));
    check("and it says how many records", shows(&k, "1 catatan disalin dan diperiksa utuh"));
    check("one folder on the stick, named for the event", one_copy(stick, copy, sizeof copy));
    {
        ikr_station *b = NULL;
        ikr_audit_report rep;
        snprintf(path, sizeof path, "%s/backup", copy);
        check("the backup on the stick audits with its record",
              ikr_station_open(&b, path, IKR_OPEN_VERIFY, NULL, &e) == IKR_OK &&
                  ikr_audit_station(b, 1, &rep, &e) == IKR_OK && rep.records == 1);
        ikr_station_close(b);
        snprintf(path, sizeof path, "%s/bundle", copy);
        check("the signed roster bundle on the stick audits",
              ikr_audit_bundle(path, 1, &rep, &e) == IKR_OK && rep.records == 1);
        snprintf(path, sizeof path, "%s/backup/kiosk.key", copy);
        check("the private key stays on the kiosk", access(path, F_OK) != 0);
    }
    tap(&k, KB_BACK);
    check("back to the staff menu", on(&k, "admin"));

    /* Two sticks: staff choose; the other is not written. */
    snprintf(both, sizeof both, "%s:%s", stick, stick2);
    setenv("IKRAR_USB_ROOTS", both, 1);
    tap(&k, KB_ADMIN_USB);
    check("with two sticks staff choose",
          on(&k, "usb") && shows(&k, "Pilih tujuan") && shows(&k, "KINGSTON"));
    tap_key(&k, KB_USB_DRIVE, '1');
    check("the chosen one gets the copy",
          await_text(&k, "Flashdisk aman dicabut") && one_copy(stick2, copy, sizeof copy));
    tap(&k, KB_BACK);

    /* A stick pulled out before the copy: a clear failure, the kiosk's data as it was. */
    uint64_t before = 0, after = 0;
    ikr_station_size(s, &before, NULL);
    setenv("IKRAR_USB_ROOTS", gone, 1);
    tap(&k, KB_ADMIN_USB);
    check("a stick that is gone fails clearly",
          await_text(&k, "Penyalinan gagal") && shows(&k, "data kiosk tidak berubah"));
    check("and the kiosk still signs",
          core_sign(s, &(ikr_form){"Budi", IKR_STATUS_NON_ASN, NULL, NULL, NULL},
                    ikr_clock_now() + 1, &e) == IKR_OK &&
              ikr_station_size(s, &after, NULL) == IKR_OK && after == before + 1);
    app_free(k.a);
    unsetenv("IKRAR_USB_ROOTS");
    ikr_station_close(s);
}

/* Which mounts count as sticks: under /media/ikrar, and removable or on USB by sysfs. */
static void usb_mounts(void)
{
    char sys[700], p[900], disk[800];
    snprintf(sys, sizeof sys, "%s/sys", root);
    /* A USB stick's partition (8:17), an internal disk's partition (8:1), a card reader's (8:33).
     */
    const char *devs[][2] = {{"8:17", "devices/pci0/usb1/1-1/host6/block/sdb/sdb1"},
                             {"8:1", "devices/pci0/ata1/host0/block/sda/sda1"},
                             {"8:33", "devices/platform/mmc/block/sdc/sdc1"}};
    snprintf(p, sizeof p, "%s/dev/block", sys);
    mkdir(sys, 0700);
    snprintf(p, sizeof p, "%s/dev", sys);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/dev/block", sys);
    mkdir(p, 0700);
    for (size_t i = 0; i < 3; i++) {
        char cmd[2000];
        snprintf(disk, sizeof disk, "%s/%s", sys, devs[i][1]);
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", disk);
        check("a fake sysfs", system(cmd) == 0);
        snprintf(p, sizeof p, "%s/dev/block/%s", sys, devs[i][0]);
        check("a fake sysfs link", symlink(disk, p) == 0);
    }
    /* The card reader's disk says it is removable; the internal disk says not. */
    snprintf(p, sizeof p, "%s/devices/platform/mmc/block/sdc/removable", sys);
    FILE *fp = fopen(p, "w");
    if (fp) {
        fputs("1\n", fp);
        fclose(fp);
    }
    snprintf(p, sizeof p, "%s/devices/pci0/ata1/host0/block/sda/removable", sys);
    fp = fopen(p, "w");
    if (fp) {
        fputs("0\n", fp);
        fclose(fp);
    }
    const char *mi = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                     "40 22 8:17 / /media/ikrar/sdb1 rw,nosuid - vfat /dev/sdb1 rw\n"
                     "41 22 8:1 /srv /media/ikrar/fake rw - ext4 /dev/sda1 rw\n"
                     "42 22 8:33 / /media/ikrar/MY\\040STICK rw - exfat /dev/sdc1 rw\n"
                     "43 22 8:17 / /media/other/sdb1 rw - vfat /dev/sdb1 rw\n"
                     "44 22 8:17 / /media/ikrar rw - vfat /dev/sdb1 rw\n";
    usb_drive d[USB_MAX_DRIVES];
    size_t n = usb_find_in(mi, "/media/ikrar", sys, d, USB_MAX_DRIVES);
    check("the USB stick and the removable card count, the internal disk never", n == 2);
    check("named by their mount point, escapes undone",
          n == 2 && strcmp(d[0].path, "/media/ikrar/sdb1") == 0 &&
              strcmp(d[1].path, "/media/ikrar/MY STICK") == 0 &&
              strcmp(d[1].label, "MY STICK") == 0);
    check("IKRAR_USB_ROOTS set but empty: no stick", usb_find("", d, USB_MAX_DRIVES) == 0);
    check("IKRAR_USB_ROOTS lists sticks", usb_find("/a/b:/c", d, USB_MAX_DRIVES) == 2 &&
                                              strcmp(d[1].path, "/c") == 0 &&
                                              strcmp(d[0].label, "b") == 0);
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

/* The staff's "Atur jam" without running timedatectl: what it was asked, and what it answers. */
typedef struct fake_clock {
    char when[64];
    int calls;
    int fail;
} fake_clock;

/*
 * The text rule on the kiosk: a name typed with a zero-width space and a
 * right-to-left override (a pasted name, a hardware keyboard's IME) is shown
 * on Review as it will be signed, with a note saying why it changed; the
 * receipt holds the clean name.  A plain name gets no note.
 */
static void invisible_text(void)
{
    ikr_station *s = make_station("text");
    check("a kiosk folder for the text rule", s != NULL);
    if (!s)
        return;
    kiosk k;
    start(&k, s, 1);
    to_review(&k, "198503302010012003", "Budi\xE2\x80\x8B Santoso\xE2\x80\xAE");
    check("review shows the name as it will be signed",
          on(&k, "review") && shows(&k, "Budi Santoso") && !shows(&k, "\xE2\x80\x8B") &&
              !shows(&k, "\xE2\x80\xAE"));
    check("review says invisible characters were removed",
          shows(&k, "Karakter tak terlihat") && shows(&k, "dihapus dari isian Anda"));
    check("and everything still fits", fits(&k));
    {
        /* The note must not push the signature off Review: the signer checks both. */
        int ink = 0, over = 0;
        for (int i = 0; i < k.l.ncmd; i++)
            if (k.l.cmd[i].type == KD_INK)
                ink = 1;
        for (int i = 0; i < k.l.ncmd; i++) {
            const kd_cmd *t = &k.l.cmd[i];
            if (t->type != KD_TEXT || !strstr(t->text, "Karakter tak terlihat"))
                continue;
            for (int j = 0; j < k.l.nhit; j++) {
                const kd_hit *h = &k.l.hit[j];
                if (t->x < h->x + h->w && h->x < t->x + t->w && t->y < h->y + h->h &&
                    h->y < t->y + t->h)
                    over = 1;
            }
        }
        check("review still draws the signature beside the note", ink);
        check("the note covers no button", !over);
    }
    tap(&k, KB_CONFIRM);
    const char *r = app_receipt(k.a);
    ikr_receipt rc;
    ikr_buf cose;
    ikr_err e;
    ikr_buf_init(&cose);
    ikr_err_clear(&e);
    check("the receipt holds the clean name",
          on(&k, "done") && r && ikr_receipt_parse(&rc, &cose, r, strlen(r), &e) == 0 &&
              strcmp(rc.name, "Budi Santoso") == 0);
    ikr_buf_free(&cose);
    wait_ms(&k, 20500);
    to_review(&k, "198001012005011002", "Siti Rahmawati");
    check("a plain name: no note",
          on(&k, "review") && shows(&k, "Siti Rahmawati") && !shows(&k, "Karakter tak terlihat"));
    app_free(k.a);
    ikr_station_close(s);
}

static int fake_set_clock(void *ctx, const char *when, char *why, size_t n)
{
    fake_clock *f = ctx;
    snprintf(f->when, sizeof f->when, "%s", when);
    f->calls++;
    if (f->fail) {
        snprintf(why, n, "Interactive authentication required.");
        return -1;
    }
    return 0;
}

/*
 * A wrong clock: the NIP screen, the details screen and the confirm button
 * each name the clock (not the NIP) and nothing is written; the staff menu
 * shows the time large and sets it through the replaceable hook.
 */
static void clock_kiosk(void)
{
    const char *t0 = "1764900000"; /* 2025-12-05 09:00 WIB */
    setenv("TZ", "UTC", 1);
    tzset();
    setenv(IKR_CLOCK_ENV, t0, 1);
    ikr_station *s = make_station("clock");
    check("clock: a folder set up at T0", s != NULL);
    if (!s)
        return;
    fake_clock fc;
    memset(&fc, 0, sizeof fc);
    fc.fail = 1;
    app_opts o = {
        .lang = IKR_LANG_ID, .fullscreen = 1, .set_clock = fake_set_clock, .set_clock_ctx = &fc};
    kiosk k;
    kiosk_open(&k, s, 1280, 800, &o);

    setenv(IKR_CLOCK_ENV, "978310800", 1); /* 2001-01-01 08:00 WIB */
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    type_nip(&k, "198503152010012003");
    check("clock: at 2001 the NIP screen names the clock",
          shows(&k, "Jam kiosk tidak benar (Senin,") && shows(&k, "01-01-2001 08:00 WIB)") &&
              shows(&k, "panggil petugas."));
    check("clock: and not the NIP", !shows(&k, "NIP dapat diterima") && !shows(&k, "pengangkatan"));
    tap(&k, KB_NEXT);
    check("clock: Next stays on the NIP screen", on(&k, "nip"));

    setenv(IKR_CLOCK_ENV, "1764903600", 1); /* 10:00: right */
    type_nip(&k, "");                       /* the verdict again, now the clock is right */
    tap(&k, KB_KEY_BACK);
    type_nip(&k, "3");
    check("clock: with the clock right the NIP passes", shows(&k, "NIP dapat diterima"));
    tap(&k, KB_NEXT);
    tap(&k, KB_STATUS_PNS);
    type(&k, "Rina Marlina");
    tap(&k, KB_FIELD_POS);
    type(&k, "Guru");
    tap(&k, KB_FIELD_UNIT);
    type(&k, "Dinas Pendidikan");
    setenv(IKR_CLOCK_ENV, "1764896400", 1); /* 08:00: before the set-up */
    tap(&k, KB_NEXT);
    check("clock: the details screen names the clock", on(&k, "details") &&
                                                           shows(&k, "Jam kiosk tidak benar") &&
                                                           shows(&k, "05-12-2025 08:00 WIB"));
    setenv(IKR_CLOCK_ENV, "1764903600", 1);
    tap(&k, KB_NEXT);
    signature(&k);
    tap(&k, KB_NEXT);
    check("clock: on to Review", on(&k, "review"));
    setenv(IKR_CLOCK_ENV, "1765767600", 1); /* 10 days later */
    tap(&k, KB_CONFIRM);
    uint64_t n = 1;
    ikr_station_size(s, &n, NULL);
    check("clock: confirming 10 days after the set-up is refused, nothing written",
          !on(&k, "done") && n == 0);
    check("clock: the reason is on screen",
          shows(&k, "Jam kiosk menunjukkan 2025-12-15 10:00 WIB, lebih") && shows(&k, "dari 7d"));

    /* The staff menu: the time large, "Atur jam". */
    setenv(IKR_CLOCK_ENV, "1764903660", 1); /* Friday 10:01 WIB */
    tap(&k, KB_CANCEL);
    staff_menu(&k);
    check("clock: the staff menu shows the time and the date",
          on(&k, "admin") && shows(&k, "10:01 WIB") && shows(&k, "Jumat, 05-12-2025"));
    tap(&k, KB_ADMIN_CLOCK);
    check("clock: Atur jam opens the clock at the kiosk's time",
          on(&k, "clock") && shows(&k, "Jumat, 05-12-2025 10:01 WIB") && shows(&k, "2025"));
    tap_key(&k, KB_CLOCK_DOWN, '3');
    tap_key(&k, KB_CLOCK_DOWN, '3');
    tap_key(&k, KB_CLOCK_UP, '4');
    tap_key(&k, KB_CLOCK_UP, '2');
    check("clock: hour and minute set, the day moved on", shows(&k, "Sabtu, 06-12-2025 08:02 WIB"));
    for (int i = 0; i < 31; i++)
        tap_key(&k, KB_CLOCK_UP, '2');
    check("clock: days go round within the month", shows(&k, "Sabtu, 06-12-2025 08:02 WIB"));
    tap_key(&k, KB_CLOCK_UP, '2');
    check("clock: and on to the next", shows(&k, "Minggu, 07-12-2025 08:02 WIB"));
    tap(&k, KB_CLOCK_SET);
    check("clock: timedatectl is asked in the system's zone (UTC here)",
          fc.calls == 1 && strcmp(fc.when, "2025-12-07 01:02:00") == 0);
    check("clock: a refusal stays on the screen and says how, in both languages",
          on(&k, "clock") && shows(&k, "Jam tidak dapat diatur dari kiosk") &&
              shows(&k, "The clock could not be set from the kiosk") &&
              shows(&k, "timedatectl set-time") && shows(&k, "Sebagai root"));
    fc.fail = 0;
    tap(&k, KB_CLOCK_SET);
    check("clock: set, back on the staff menu, saying so",
          fc.calls == 2 && on(&k, "admin") && shows(&k, "Jam kiosk diatur ke"));
    app_free(k.a);
    ikr_station_close(s);
    unsetenv(IKR_CLOCK_ENV);
}

/* ---- the staff's tools (issue 12) ---- */

typedef struct fake_sound {
    int calls, last;
} fake_sound;

static void fake_play(void *ctx, int kind)
{
    fake_sound *f = ctx;
    f->calls++;
    f->last = kind;
}

/*
 * "Panggil petugas": on every signer screen, never on the staff's; a press
 * calls once (the sound hook, a flashing badge that stays), a press on the
 * badge opens the PIN pad, where the right PIN answers the call and the
 * signer may take it back; both return to the signer's screen as it was.
 */
static void call_staff(void)
{
    ikr_station *s = make_station("call");
    check("call: a folder", s != NULL);
    if (!s)
        return;
    fake_sound fs = {0, -1};
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = 1, .sound = fake_play, .sound_ctx = &fs};
    kiosk k;
    kiosk_open(&k, s, 1280, 800, &o);
    check("call: Welcome has 'Panggil petugas'",
          shows(&k, "Panggil petugas") && kd_hit_find(&k.l, KB_CALL_STAFF, 0));
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    type_nip(&k, "1985033020");
    check("call: and so has the NIP screen", on(&k, "nip") && kd_hit_find(&k.l, KB_CALL_STAFF, 0));
    tap(&k, KB_CALL_STAFF);
    check("call: a press shows 'Petugas dipanggil'",
          on(&k, "nip") && shows(&k, "Petugas dipanggil") && !shows(&k, "Panggil petugas"));
    check("call: and asks for its sound once", fs.calls == 1 && fs.last == APP_SOUND_CALL);
    check("call: the header still fits", fits(&k));
    int64_t next = app_next_timer(k.a, k.now);
    check("call: the badge flashes", next >= 0 && next <= 600);
    wait_ms(&k, 5000);
    check("call: it stays", shows(&k, "Petugas dipanggil"));
    tap(&k, KB_CALL_STAFF);
    check("call: the badge opens the PIN pad, which says why",
          on(&k, "admin-pin") && shows(&k, "Petugas dipanggil. PIN petugas untuk menjawab") &&
              kd_hit_find(&k.l, KB_CALL_CANCEL, 0) && fs.calls == 1);
    check("call: the PIN pad fits", fits(&k));
    tap(&k, KB_BACK);
    check("call: Back returns to the signer's screen as it was, still calling",
          on(&k, "nip") && shows(&k, "19850330 20") && shows(&k, "Petugas dipanggil"));
    tap(&k, KB_CALL_STAFF);
    type(&k, "246810");
    tap(&k, KB_PIN_OK);
    check("call: the right PIN answers it and returns to the signer",
          on(&k, "nip") && shows(&k, "19850330 20") && !shows(&k, "Petugas dipanggil") &&
              shows(&k, "Panggil petugas"));
    tap(&k, KB_CALL_STAFF);
    check("call: a second call sounds again", fs.calls == 2);
    tap(&k, KB_CALL_STAFF);
    tap(&k, KB_CALL_CANCEL);
    check("call: the signer can take it back, without a PIN",
          on(&k, "nip") && !shows(&k, "Petugas dipanggil") && fs.calls == 2);
    app_free(k.a);
    /* The sizes: the header keeps the step, the title and the button apart. */
    static const int sizes[3][2] = {{800, 480}, {1080, 1920}, {480, 800}};
    for (int z = 0; z < 3; z++) {
        kiosk_open(&k, s, sizes[z][0], sizes[z][1], &o);
        tap(&k, KB_START);
        tap(&k, KB_CALL_STAFF);
        char desc[100];
        snprintf(desc, sizeof desc, "call: the badge fits %dx%d", k.w, k.h);
        /* Narrow, the step gives way to the badge, Batal and Bacakan; nothing overlaps. */
        check(desc, shows(&k, "Petugas dipanggil") && kd_hit_find(&k.l, KB_CANCEL, 0) &&
                        kd_hit_find(&k.l, KB_READ_ALOUD, 0) && fits(&k) && header_apart(&k));
        app_free(k.a);
    }
    /* The staff's own screens have no such button. */
    kiosk_open(&k, s, 1280, 800, &o);
    staff_menu(&k);
    check("call: not on the staff menu", on(&k, "admin") && !kd_hit_find(&k.l, KB_CALL_STAFF, 0));
    app_free(k.a);
    ikr_station_close(s);
}

/*
 * "Cetak ulang struk": any record by its number or its signer's NIP: whose
 * it is (the NIP masked), a number or a NIP that is not there said so, and
 * the QR code of the record found; the staff menu fits with it.
 */
static void reprint_any(void)
{
    ikr_station *s = make_station("find");
    check("find: a folder", s != NULL);
    if (!s)
        return;
    ikr_err e;
    ikr_err_clear(&e);
    ikr_form f1 = {"Siti Rahmawati, S.Pd.", IKR_STATUS_PNS, "198503302010012003", NULL, NULL};
    ikr_form f2 = {"Budi Santoso", IKR_STATUS_PNS, "198001012005011002", NULL, "Dinas"};
    ikr_form f3 = {"Rina Marlina", IKR_STATUS_NON_ASN, NULL, NULL, NULL};
    check("find: three signed", core_sign(s, &f1, ikr_clock_now(), &e) == 0 &&
                                    core_sign(s, &f2, ikr_clock_now(), &e) == 0 &&
                                    core_sign(s, &f3, ikr_clock_now(), &e) == 0);
    kiosk k;
    start(&k, s, 1);
    staff_menu(&k);
    tap(&k, KB_ADMIN_REPRINT);
    check("find: opens on the last record",
          on(&k, "find") && shows(&k, "Catatan terakhir") && shows(&k, "Rina Marlina") &&
              shows(&k, "tanpa NIP") && shows(&k, "Tidak ada printer"));
    tap_key(&k, KB_FIND_KEY, '1');
    check("find: typing puts the last one away", shows(&k, "1") && !shows(&k, "Rina Marlina"));
    tap(&k, KB_FIND_GO);
    check("find: record 1 by its number, the NIP masked", shows(&k, "Siti Rahmawati, S.Pd.") &&
                                                              shows(&k, "******** ****** 2 003") &&
                                                              !shows(&k, "19850330"));
    tap(&k, KB_FIND_CLEAR);
    type(&k, "198001012005011002");
    key(&k, APP_KEY_ENTER);
    check("find: by NIP (typed, and Enter)", shows(&k, "Budi Santoso") && !shows(&k, "Siti"));
    check("find: fits", fits(&k));
    tap(&k, KB_FIND_QR);
    ikr_buf r2;
    ikr_buf_init(&r2);
    int has_qr = 0;
    for (int i = 0; i < k.l.ncmd; i++)
        has_qr |= k.l.cmd[i].type == KD_QR && k.l.cmd[i].w >= k.h / 2;
    check("find: its QR code full screen", has_qr && shows(&k, "nomor 2"));
    tap(&k, KB_ADMIN_QRBACK);
    check("find: and back", on(&k, "find") && shows(&k, "Budi Santoso"));
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    type(&k, "99");
    tap(&k, KB_FIND_GO);
    check("find: a NIP that did not sign is said so",
          shows(&k, "NIP ini belum menandatangani di kiosk ini.") && !shows(&k, "Budi"));
    tap(&k, KB_FIND_CLEAR);
    type(&k, "9");
    tap(&k, KB_FIND_GO);
    check("find: an unknown number is said so", shows(&k, "Tidak ada catatan nomor 9."));
    tap(&k, KB_FIND_CLEAR);
    type(&k, "0");
    tap(&k, KB_FIND_GO);
    check("find: and 0 too", shows(&k, "Tidak ada catatan nomor 0."));
    tap(&k, KB_BACK);
    check("find: Back returns to the staff menu", on(&k, "admin"));
    app_free(k.a);
    static const int sizes[4][2] = {{800, 480}, {1280, 800}, {1080, 1920}, {480, 800}};
    for (int z = 0; z < 4; z++) {
        start(&k, s, 1);
        k.w = sizes[z][0];
        k.h = sizes[z][1];
        frame(&k);
        staff_menu(&k);
        char desc[100];
        snprintf(desc, sizeof desc, "the staff menu's seven actions fit %dx%d", k.w, k.h);
        check(desc, on(&k, "admin") && hits_fit(&k) && kd_hit_find(&k.l, KB_ADMIN_USB, 0) &&
                        kd_hit_find(&k.l, KB_ADMIN_EXPORT, 0) &&
                        kd_hit_find(&k.l, KB_ADMIN_QUIT, 0));
        tap(&k, KB_ADMIN_REPRINT);
        tap(&k, KB_FIND_CLEAR);
        type(&k, "1");
        tap(&k, KB_FIND_GO);
        snprintf(desc, sizeof desc, "find: a record fits %dx%d", k.w, k.h);
        check(desc, shows(&k, "Siti Rahmawati") && kd_hit_find(&k.l, KB_FIND_QR, 0) && fits(&k));
        tap(&k, KB_BACK);
        tap(&k, KB_ADMIN_CLOSE);
        type(&k, "246810");
        tap(&k, KB_PIN_OK);
        snprintf(desc, sizeof desc, "closing's question fits %dx%d", k.w, k.h);
        check(desc, on(&k, "close-confirm") && fits(&k));
        app_free(k.a);
    }
    ikr_buf_free(&r2);
    ikr_station_close(s);
}

int main(void)
{
    install_vfs();
    if (!mkdtemp(root))
        return 1;
    strings();
    buttons();
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
        usb_copy();
        usb_mounts();
        clock_kiosk();
        invisible_text();
        call_staff();
        reprint_any();
        ikr_err e;
        ikr_audit_report rep;
        ikr_err_clear(&e);
        check("after all that the log audits",
              ikr_audit_station(s, 1, &rep, &e) == 0 && rep.records == 7);
        ikr_station_close(s);
    }
    ikr_file_remove_tree(root);
    /* cairo and fontconfig keep caches for the process; give them back so leak checks see none. */
    ikr_ticket_release_caches();
    return check_report();
}
