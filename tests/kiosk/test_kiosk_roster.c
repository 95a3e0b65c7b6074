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
#include "kiosk_fixture.h"
#include "kstr.h"

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
    app_opts o = {.lang = IKR_LANG_ID, .fullscreen = 1};
    kiosk_open(k, s, w, h, &o);
}

/* From Welcome to the NIP screen, where a signer finds themself. */
static void to_nip(kiosk *k)
{
    tap(k, KB_START);
    read_declaration(k);
    tap(k, KB_AGREE);
}

/* Letters of a name on the NIP screen's ABC keys. */
static void letters(kiosk *k, const char *s)
{
    for (; *s; s++)
        tap_key(k, KB_LETTER, *s == ' ' ? '_' : *s);
}

/* ---- the folder ---- */

static char root[] = "/tmp/ikrar-kiosk-roster-XXXXXX";

static ikr_station *make_station(const char *name)
{
    return kiosk_event_station(root, name);
}

static int import(ikr_station *s, const char *csv)
{
    ikr_roster_count n;
    ikr_err e;
    ikr_err_clear(&e);
    int rc = ikr_station_roster_import(s, (const uint8_t *)csv, strlen(csv), (uint64_t)time(NULL),
                                       0, NULL, NULL, &n, &e);
    if (rc)
        fprintf(stderr, "import: %s\n", e.detail);
    return rc;
}

/* Signs through the core, as another kiosk's signer would have. */
static int sign(ikr_station *s, const char *name, int status, const char *nip, const char *unit)
{
    ikr_err e;
    ikr_err_clear(&e);
    ikr_form f = {name, status, nip, NULL, unit};
    return core_sign(s, &f, (uint64_t)time(NULL), &e);
}

#define PROGRESS_UNITS_TEST 512 /* PROGRESS_UNITS in src/kiosk/app_state.h */

#define SITI "198503302010012003"
#define BUDI "198001012005011002"
#define AGUS "199001012022011001"
#define NOBODY "198503302010012099"
/* 128 bytes: the longest unit kerja there is */
#define LONG_UNIT                                                                                  \
    "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Kabupaten Contoh Bidang "             \
    "Perekonomian, Sumber "                                                                        \
    "Daya Alam dan Infrastruktu"

static const char roster_csv[] =
    "NIP;Nama;Jabatan;Unit Kerja;Status\n" SITI
    ";Siti Rahmawati, S.Pd.;Guru Ahli Pertama;Dinas Pendidikan;PNS\n" BUDI
    ";Budi Santoso, S.H.;Kepala Seksi;Dinas Pendidikan;PNS\n" AGUS
    ";Agus Salim;Penata Kelola;Dinas Kesehatan;PNS\n"
    ";Rina Marlina;Staf;Dinas Kesehatan;NON-ASN\n"
    "197101011998031002;Dewi Lestari;Kepala Bidang;" LONG_UNIT ";PNS\n"
    "198202022008011003;Hasan Basri;;Dinas Kesehatan;PNS\n";

/* ---- the details screen ---- */

static void no_roster(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1280, 800);
    to_nip(&k);
    check("without a roster the NIP screen only takes a NIP",
          on(&k, "nip") && shows(&k, "Ketik NIP Anda") && !kd_hit_find(&k.l, KB_FIND_MODE, 0));
    type(&k, SITI);
    tap(&k, KB_NEXT);
    check("without a roster a NIP asks the status", on(&k, "status"));
    tap(&k, KB_STATUS_PNS);
    check("and fills in nothing", on(&k, "details") && !shows(&k, "Siti") && shows(&k, "(wajib)"));
    check("and there is no note and no 'Bukan saya?'",
          !shows(&k, "Data diisi") && !kd_hit_find(&k.l, KB_ROSTER_NOTME, 0));
    tap(&k, KB_FIELD_UNIT);
    check("no roster: the unit is typed, not picked", on(&k, "details"));
    app_free(k.a);
}

static void details(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1280, 800);
    to_nip(&k);
    check("the NIP screen finds: digits and letters", on(&k, "nip") &&
                                                          shows(&k, "Ketik NIP atau nama Anda") &&
                                                          kd_hit_find(&k.l, KB_FIND_MODE, 0));
    type(&k, "198");
    check("three digits find nobody yet", !kd_hit_find(&k.l, KB_FOUND, '0'));
    type(&k, "5");
    check("the birth year finds Siti, with her NIP and unit",
          kd_hit_find(&k.l, KB_FOUND, '0') && shows(&k, "Siti Rahmawati, S.Pd.") &&
              shows(&k, "19850330 201001 2 003") && shows(&k, "Dinas Pendidikan"));
    check("that screen fits", fits(&k));
    tap_key(&k, KB_FOUND, '0');
    check("one touch on her entry: straight to the signature, showing who signs",
          on(&k, "signature") && shows(&k, "Siti Rahmawati, S.Pd.") &&
              shows(&k, "Guru Ahli Pertama") && shows(&k, "Bukan saya?"));
    tap(&k, KB_BACK);
    check("Back returns to finding", on(&k, "nip"));

    /* Not Siti: everything goes. */
    tap(&k, KB_KEY_CLEAR);
    type(&k, SITI);
    tap(&k, KB_NEXT);
    check("her whole NIP typed and Next: the signature too", on(&k, "signature"));
    tap(&k, KB_ROSTER_NOTME);
    check("'Bukan saya?' goes back to finding, the NIP cleared and why",
          on(&k, "nip") && shows(&k, "________ ______ _ ___") && shows(&k, "Data dihapus"));
    type(&k, SITI);
    tap(&k, KB_NEXT);
    check("the same NIP again is taken as typed: the status is asked", on(&k, "status"));
    tap(&k, KB_STATUS_PNS);
    check("and nothing is filled in",
          on(&k, "details") && !shows(&k, "Siti") && !shows(&k, "Data diisi"));
    key(&k, APP_KEY_ESCAPE);
    key(&k, APP_KEY_ESCAPE);

    /* By name: letters, any word of the name. */
    tap(&k, KB_FIND_MODE);
    check("the letters", kd_hit_find(&k.l, KB_LETTER, 'A') && shows(&k, "ABC"));
    letters(&k, "SA");
    check("'SA' finds Agus Salim by his second name", shows(&k, "Agus Salim"));
    key(&k, APP_KEY_BACKSPACE);
    key(&k, APP_KEY_BACKSPACE);
    letters(&k, "RI");
    check("a non-ASN entry is found by name", shows(&k, "Rina Marlina") && shows(&k, "Non-ASN"));
    tap_key(&k, KB_FOUND, '0');
    check("chosen, a non-ASN signs with no NIP",
          on(&k, "signature") && shows(&k, "Rina Marlina") && shows(&k, "Non-ASN"));
    tap(&k, KB_CANCEL);
    check("Batal: back to Welcome", on(&k, "welcome"));
    to_nip(&k);
    check("and nothing of that signer is left", !shows(&k, "Rina") && !shows(&k, "RI"));

    /* A roster entry without a position: the details screen asks for it. */
    tap(&k, KB_FIND_MODE);
    letters(&k, "HA");
    tap_key(&k, KB_FOUND, '0');
    check("a PNS entry without a position goes to the details, saying why",
          on(&k, "details") && shows(&k, "Hasan") && shows(&k, "Jabatan wajib diisi"));
    type(&k, "Staf");
    tap(&k, KB_NEXT);
    check("given, on to the signature", on(&k, "signature"));
    app_free(k.a);

    /* A NIP not on the roster: PNS, the unit picked from the roster's units. */
    start(&k, s, 1280, 800);
    to_nip(&k);
    type(&k, NOBODY);
    check("a NIP the roster does not know: found nobody, the NIP taken as typed",
          !kd_hit_find(&k.l, KB_FOUND, '0') && shows(&k, "NIP dapat diterima"));
    tap(&k, KB_NEXT);
    tap(&k, KB_STATUS_PNS);
    check("the unit offers the roster's", on(&k, "details") && shows(&k, "sentuh untuk memilih"));
    type(&k, "Tamu Baru");
    tap(&k, KB_FIELD_POS);
    type(&k, "Guru");
    tap(&k, KB_FIELD_UNIT);
    check("the unit picker lists the roster's units",
          on(&k, "units") && shows(&k, "Dinas Kesehatan") && shows(&k, "Dinas Pendidikan") &&
              shows(&k, "Lainnya"));
    check("the picker fits", fits(&k));
    tap_key(&k, KB_UNIT, '2');
    check("a unit picked fills the field", on(&k, "details") && shows(&k, "Dinas Pendidikan"));
    tap(&k, KB_FIELD_UNIT);
    tap(&k, KB_UNIT_OTHER);
    check("'Lainnya': typed instead", on(&k, "details") && !shows(&k, "Dinas Pendidikan"));
    type(&k, "Kecamatan Baru");
    tap(&k, KB_NEXT);
    check("and on to the signature", on(&k, "signature") && !shows(&k, "Bukan saya?"));
    app_free(k.a);

    /* A signing chosen from the roster records the roster's details. */
    start(&k, s, 1280, 800);
    to_nip(&k);
    type(&k, "1980");
    tap_key(&k, KB_FOUND, '0');
    signature(&k);
    tap(&k, KB_NEXT);
    check("review shows the roster's details and the whole NIP",
          on(&k, "review") && shows(&k, "Budi Santoso, S.H.") && shows(&k, "Kepala Seksi") &&
              shows(&k, "19800101 200501 1 002"));
    tap(&k, KB_CONFIRM);
    check("and they are signed", on(&k, "done"));
    wait_ms(&k, 21000);
    check("the next signer starts with nothing", on(&k, "welcome"));
    to_nip(&k);
    type(&k, "1980");
    check("Budi's entry says he signed", shows(&k, "sudah tanda tangan"));
    tap_key(&k, KB_FOUND, '0');
    check("and choosing it says when, and to ask the staff",
          on(&k, "nip") && shows(&k, "sudah menandatangani") && shows(&k, "hari ini pukul"));
    app_free(k.a);

    /* Every size: the entries found, and the signature with who signs. */
    static const int sizes[3][2] = {{800, 480}, {1280, 800}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        start(&k, s, sizes[z][0], sizes[z][1]);
        to_nip(&k);
        type(&k, "19");
        tap(&k, KB_FIND_MODE);
        letters(&k, "DE");
        char desc[120];
        snprintf(desc, sizeof desc, "the entries found fit %dx%d", k.w, k.h);
        const kd_hit *f = kd_hit_find(&k.l, KB_FOUND, '0');
        check(desc, f && shows(&k, "Dewi Lestari") && fits(&k) && f->h >= 3 * k.l.unit);
        tap_key(&k, KB_FOUND, '0');
        snprintf(desc, sizeof desc, "the signature with a 128-byte unit fits %dx%d", k.w, k.h);
        check(desc, on(&k, "signature") && shows(&k, "Dewi Lestari") && fits(&k));
        app_free(k.a);
    }
}

/* ---- the progress chart ---- */

static void progress_values(ikr_station *s)
{
    /* Who signed: Siti and Budi's unit by NIP, Rina by name and unit, a guest not on the roster. */
    check("Siti signs",
          sign(s, "Siti Rahmawati, S.Pd.", IKR_STATUS_PNS, SITI, "Dinas Pendidikan") == 0);
    check("Rina signs", sign(s, "Rina Marlina", IKR_STATUS_NON_ASN, NULL, "Dinas Kesehatan") == 0);
    check("a guest signs", sign(s, "Tamu", IKR_STATUS_NON_ASN, NULL, "Setda") == 0);
    ikr_roster_unit units[8];
    ikr_roster_totals t;
    ikr_err e;
    ikr_err_clear(&e);
    check("the core's numbers",
          ikr_station_roster_stats(s, units, 8, &t, &e) == 0 && t.has_roster && t.nunits == 3);

    kiosk k;
    start(&k, s, 1280, 800);
    staff_menu(&k);
    check("the staff menu offers the chart", on(&k, "admin") && shows(&k, "Rekap per unit"));
    tap(&k, KB_ADMIN_PROGRESS);
    check("the chart opens", on(&k, "progress") && shows(&k, "Rekap per unit"));
    char buf[160];
    snprintf(buf, sizeof buf, "%llu / %llu", (unsigned long long)t.signed_listed,
             (unsigned long long)t.expected);
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
            if (k.l.cmd[j].type == KD_TEXT && strcmp(k.l.cmd[j].text, count) == 0 &&
                k.l.cmd[j].y >= ny && (cy < 0 || k.l.cmd[j].y < cy))
                cy = k.l.cmd[j].y;
        if (ny < 0 || cy < 0 || cy - ny > 3 * k.l.unit) {
            fprintf(stderr, "unit '%s': name at %d, '%s' at %d\n", units[i].unit, ny, count, cy);
            all = 0;
        }
    }
    check("every unit's row shows the core's signed / expected", all);
    /* Lowest share first: Dewi's long-named unit (0 of 1), Dinas Kesehatan (1 of 2), Dinas
     * Pendidikan (1 of 2). */
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
    tap(&k, KB_BACK);
    check("Back returns to the staff menu", on(&k, "admin"));
    app_free(k.a);

    static const int sizes[3][2] = {{800, 480}, {1080, 1920}, {480, 800}};
    for (int z = 0; z < 3; z++) {
        start(&k, s, sizes[z][0], sizes[z][1]);
        staff_menu(&k);
        tap(&k, KB_ADMIN_PROGRESS);
        snprintf(buf, sizeof buf, "the chart fits %dx%d", k.w, k.h);
        check(buf, on(&k, "progress") && fits(&k) && shows(&k, "Total"));
        app_free(k.a);
    }
}

/*
 * Who has not signed, per unit: a unit's row in the chart opens its
 * unsigned people (name and NIP masked), not those who signed; Back returns
 * to the chart.  At three sizes.
 */
static void missing_people(ikr_station *s)
{
    static const int sizes[3][2] = {{1280, 800}, {800, 480}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        kiosk k;
        char desc[160];
        start(&k, s, sizes[z][0], sizes[z][1]);
        staff_menu(&k);
        tap(&k, KB_ADMIN_PROGRESS);
        check("the chart says its rows can be touched", shows(&k, "Sentuh unit"));
        /* Lowest share first: the long unit (0 of 1), Dinas Kesehatan (1 of 2), Dinas Pendidikan.
         */
        tap_key(&k, KB_PROGRESS_UNIT, 1);
        snprintf(desc, sizeof desc, "%dx%d: Dinas Kesehatan's unsigned: Agus, his NIP masked", k.w,
                 k.h);
        check(desc, on(&k, "missing") && shows(&k, "Belum menandatangani") &&
                        shows(&k, "Dinas Kesehatan") && shows(&k, "Agus Salim") &&
                        shows(&k, "******** ****** 1 001") && !shows(&k, AGUS) &&
                        shows(&k, "2 dari 3 orang belum menandatangani"));
        check("Rina, who signed, is not on it", !shows(&k, "Rina Marlina"));
        snprintf(desc, sizeof desc, "the list fits %dx%d", k.w, k.h);
        check(desc, fits(&k));
        tap(&k, KB_BACK);
        check("Back returns to the chart", on(&k, "progress"));
        tap_key(&k, KB_PROGRESS_UNIT, 0);
        snprintf(desc, sizeof desc, "%dx%d: the long unit, its name cut to fit", k.w, k.h);
        check(desc, on(&k, "missing") && shows(&k, "Dewi Lestari") && fits(&k));
        app_free(k.a);
    }
    /* Everyone of a unit signed: said so. */
    check("Agus signs", sign(s, "Agus Salim", IKR_STATUS_PNS, AGUS, "Dinas Kesehatan") == 0);
    check("Hasan signs",
          sign(s, "Hasan Basri", IKR_STATUS_PNS, "198202022008011003", "Dinas Kesehatan") == 0);
    kiosk k;
    start(&k, s, 1280, 800);
    staff_menu(&k);
    tap(&k, KB_ADMIN_PROGRESS);
    int done = -1;
    for (int i = 0; i < 3 && done < 0; i++) {
        tap_key(&k, KB_PROGRESS_UNIT, i);
        if (shows(&k, "Belum menandatangani") && shows(&k, "Dinas Kesehatan"))
            done = i;
        else
            tap(&k, KB_BACK);
    }
    check("a unit whose people all signed says so",
          done >= 0 && shows(&k, "Semua orang di unit ini sudah menandatangani") &&
              !shows(&k, "Agus Salim"));
    app_free(k.a);
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
    tap(&k, KB_ADMIN_PROGRESS);
    check("the chart starts at the top",
          on(&k, "progress") && shows(&k, "Unit 000") && !shows(&k, "Unit 500"));
    check("the total counts every unit", shows(&k, "1 / 600"));
    const kd_hit *list = kd_hit_find(&k.l, KB_PROGRESS_LIST, 0);
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
    check("a finger scrolls to the end, where the units not held are counted",
          moved > 1 && shows(&k, more));
    check("a drag that starts on a unit's row scrolls, and opens no unit", on(&k, "progress"));
    check("the end of the list fits", fits(&k));
    for (int i = 0; i < 5; i++)
        key(&k, APP_KEY_UP);
    check("Up scrolls back", !shows(&k, "unit lain"));
    app_free(k.a);
}

static void progress_without_roster(ikr_station *s)
{
    check("a signer with a unit",
          sign(s, "Tamu", IKR_STATUS_NON_ASN, NULL, "Sekretariat Daerah") == 0);
    check("and one without", sign(s, "Tamu Dua", IKR_STATUS_NON_ASN, NULL, NULL) == 0);
    static const int sizes[3][2] = {{1280, 800}, {800, 480}, {1080, 1920}};
    for (int z = 0; z < 3; z++) {
        kiosk k;
        start(&k, s, sizes[z][0], sizes[z][1]);
        staff_menu(&k);
        tap(&k, KB_ADMIN_PROGRESS);
        char desc[120];
        snprintf(desc, sizeof desc, "without a roster at %dx%d: the count and how to import one",
                 k.w, k.h);
        check(desc, on(&k, "progress") && shows(&k, "Sudah menandatangani: 2") &&
                        shows(&k, "Belum ada daftar pegawai") && shows(&k, "ikrar roster import"));
        check("signed per unit, no expected", shows(&k, "Sekretariat Daerah") &&
                                                  shows(&k, "(tanpa unit)") && !shows(&k, " / ") &&
                                                  !shows(&k, "%") && !shows(&k, "Di luar"));
        snprintf(desc, sizeof desc, "the chart without a roster fits %dx%d", k.w, k.h);
        check(desc, fits(&k));
        app_free(k.a);
    }
}

static void english(ikr_station *s)
{
    kiosk k;
    start(&k, s, 1280, 800);
    tap(&k, KB_LANG_EN);
    to_nip(&k);
    check("in English: finding", shows(&k, "Type your NIP or name"));
    type(&k, SITI);
    tap(&k, KB_NEXT);
    check("in English: who signs and 'Not me?'",
          on(&k, "signature") && shows(&k, "Signing as") && shows(&k, "Not me?"));
    app_free(k.a);
}

/*
 * A 128-byte name with diacritics (the longest there is) filled in from the
 * roster: it is there to be checked, so it is shown from its start, as it
 * is read, at every size; a key brings the typing position (its end) back.
 */
#define LONG_NAME                                                                                  \
    "Raden Ayu Siti Nurhaliza Widyaningsih Prameswari Kusumawardhani \xc3\x89sth\xc3\xa9r "        \
    "\xc3\x91\xc3\xba"                                                                             \
    "\xc3\xb1"                                                                                     \
    "ez M\xc3\xbcller-L\xc3\xbc"                                                                   \
    "denscheid \xc3\x87"                                                                           \
    "a\xc4\x9flar \xc3\x98yvind \xc3\x85sa \xc4\x90"                                               \
    "a"

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
        to_nip(&k);
        type(&k, SITI);
        tap(&k, KB_NEXT); /* no unit on the roster: a PNS gives one on the details screen */
        snprintf(desc, sizeof desc, "%dx%d: the filled long name shows its start, not its end", k.w,
                 k.h);
        check(desc, on(&k, "details") && shows(&k, "Raden Ayu Siti") &&
                        !shows_caret(&k, "\xc3\x85sa \xc4\x90"
                                         "a"));
        snprintf(desc, sizeof desc, "%dx%d: and fits", k.w, k.h);
        check(desc, fits(&k));
        key(&k, APP_KEY_BACKSPACE);
        snprintf(desc, sizeof desc, "%dx%d: a key brings the typing position, the end, back", k.w,
                 k.h);
        check(desc, shows_caret(&k, "\xc3\x85sa \xc4\x90") && !shows(&k, "Raden Ayu Siti"));
        app_free(k.a);
    }
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
        missing_people(s);
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
    ikr_file_remove_tree(root);
    return check_report();
}
