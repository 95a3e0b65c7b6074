/*
 * test_kiosk_hub: the kiosk with a hub.conf and no hub to answer (issue 13),
 * with no display and no database.  The staff's line about the hub, word
 * for word, from given states; a signer confirmed while the hub refuses the
 * connection, and while it never answers (a socket that listens and says
 * nothing): "Memeriksa di pusat..." shows, nothing else can be pressed, and
 * after IKR_HUB_CLAIM_MS the kiosk signs alone; the staff menu then says
 * since when the hub cannot be reached; the chart of the whole event says
 * so and keeps this kiosk's numbers.  A kiosk without hub.conf shows none
 * of it.  The hub answering is tests/hub/kiosk_hub.sh's.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "hubsync.h"
#include "ikrar/hub.h"
#include "ikrar/key.h"
#include "ikrar/note.h"
#include "kiosk_fixture.h"

static char root[] = "/tmp/ikrar-kiosk-hub-XXXXXX";

/* A TCP socket on 127.0.0.1: listening (it takes connections and never answers), or closed. */
static int tcp_port(int listening, int *fd_out)
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
    if (fd >= 0 && listening && listen(fd, 16) == 0) {
        *fd_out = fd;
        return port;
    }
    if (fd >= 0)
        close(fd);
    *fd_out = -1;
    return port;
}

/* Writes dir's hub.conf: a hub at 127.0.0.1:port and a witness key of its own. */
static int write_conf(const char *dir, int port)
{
    ikr_hub_conf c;
    ikr_key *w = NULL;
    ikr_buf line;
    ikr_err e;
    ikr_err_clear(&e);
    memset(&c, 0, sizeof c);
    ikr_buf_init(&line);
    snprintf(c.url, sizeof c.url,
             "postgresql://ikrar_k_test:secret@127.0.0.1:%d/ikrar?sslmode=disable", port);
    int rc = ikr_key_generate(&w, &e) ||
             ikr_witness_vkey_format(&line, "ikrar-hub/test", ikr_key_public(w));
    if (!rc) {
        snprintf(c.witness, sizeof c.witness, "%.*s", (int)line.len, (const char *)line.p);
        char *nl = strchr(c.witness, '\n');
        if (nl)
            *nl = '\0';
        rc = ikr_hub_conf_save(dir, &c, &e);
    }
    ikr_key_free(w);
    ikr_buf_free(&line);
    if (rc)
        fprintf(stderr, "hub.conf: %d %s\n", e.code, e.detail);
    return rc;
}

static void start(kiosk *k, ikr_station *s)
{
    app_opts o = {.lang = IKR_LANG_ID};
    kiosk_open(k, s, 1280, 800, &o);
}

/* Ticks (20 ms of the app's clock each) while real time passes, until text shows: 1, or 0. */
static int await_text(kiosk *k, const char *text, int ms)
{
    for (int i = 0; i < ms / 20 && !kd_shows(&k->l, text); i++) {
        usleep(20000);
        wait_ms(k, 20);
    }
    return shows(k, text);
}

static uint64_t size_of(ikr_station *s)
{
    uint64_t n = 0;
    ikr_station_size(s, &n, NULL);
    return n;
}

/* ---- the staff's line, from given states ---- */

static void words(void)
{
    char out[400];
    uint64_t now = 1764918300; /* 2025-12-05 07:05 UTC: 14.05 WIB */
    hubsync_status st;
    memset(&st, 0, sizeof st);
    check("before any push and with nothing kept: never synced",
          hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out) == HUBSYNC_LINE_OK &&
              strstr(out, "Belum pernah tersinkron") != NULL);
    hubsync_words(&st, IKR_LANG_EN, 420, now, out, sizeof out);
    check("and in English", strstr(out, "Never synced") != NULL);
    st.tried = st.online = 1;
    st.synced = 12;
    st.synced_at = now - 180;
    hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out);
    check("synced: up to which number, and how long ago",
          strcmp(out, "Tersinkron sampai nomor 12 \xc2\xb7 3 menit lalu") == 0);
    hubsync_words(&st, IKR_LANG_EN, 420, now, out, sizeof out);
    check("in English too", strcmp(out, "Synced up to number 12 \xc2\xb7 3 minutes ago") == 0);
    st.synced_at = now - 20;
    hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out);
    check("under a minute is just now", strstr(out, "nomor 12 \xc2\xb7 baru saja") != NULL);
    st.synced_at = now - 3 * 3600 - 60;
    hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out);
    check("hours are hours", strstr(out, "3 jam lalu") != NULL);
    st.online = 0;
    st.down_since = now - 600; /* 06:55 UTC: 13.55 WIB, 14.55 WITA */
    st.synced_at = now - 900;
    int how = hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out);
    check("unreachable: since when, in the event's zone, and the last good sync",
          how == HUBSYNC_LINE_WARN &&
              strcmp(out, "Pusat tidak terjangkau sejak 13.55\n"
                          "Tersinkron sampai nomor 12 \xc2\xb7 15 menit lalu") == 0);
    hubsync_words(&st, IKR_LANG_EN, 480, now, out, sizeof out);
    check("in English, in WITA", strstr(out, "Hub unreachable since 14.55") == out);
    st.synced = st.synced_at = 0;
    hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out);
    check("unreachable and never synced",
          strstr(out, "tidak terjangkau") && strstr(out, "Belum pernah tersinkron"));
    st.online = 1;
    st.down_since = 0;
    st.flagged = 1;
    snprintf(st.flag, sizeof st.flag, "log forked at 7");
    how = hubsync_words(&st, IKR_LANG_ID, 420, now, out, sizeof out);
    check("flagged: said above all, with why",
          how == HUBSYNC_LINE_FLAGGED && strcmp(out, "DITANDAI oleh pusat: log forked at 7") == 0);
    hubsync_words(&st, IKR_LANG_EN, 420, now, out, sizeof out);
    check("flagged in English", strcmp(out, "FLAGGED by the hub: log forked at 7") == 0);
}

/* ---- a hub that refuses the connection ---- */

static void refused(void)
{
    int fd;
    ikr_station *s = kiosk_event_station(root, "refused");
    char dir[600];
    snprintf(dir, sizeof dir, "%s/refused", root);
    check("a kiosk folder", s != NULL && write_conf(dir, tcp_port(0, &fd)) == 0);
    if (!s)
        return;
    kiosk k;
    start(&k, s);
    staff_menu(&k);
    check("the staff menu says since when the hub cannot be reached",
          on(&k, "admin") && await_text(&k, "Pusat tidak terjangkau sejak", 15000) &&
              shows(&k, "Belum pernah tersinkron"));
    check("the menu still fits at 1280x800", fits(&k));
    tap(&k, KB_ADMIN_PROGRESS);
    check("the chart offers this kiosk or the whole event",
          on(&k, "progress") && shows(&k, "Kiosk ini") && shows(&k, "Seluruh acara"));
    tap(&k, KB_PROGRESS_WHOLE);
    check(
        "the whole event: the hub cannot be reached, this kiosk's numbers stay",
        await_text(&k, "Pusat tidak terjangkau: angka di bawah ini hanya dari kiosk ini", 15000) &&
            shows(&k, "Sudah menandatangani: 0"));
    check("the chart fits at 1280x800", fits(&k));
    tap(&k, KB_PROGRESS_HERE);
    check("back to this kiosk", !shows(&k, "Pusat tidak terjangkau"));
    key(&k, APP_KEY_ESCAPE);
    key(&k, APP_KEY_ESCAPE);
    check("home", on(&k, "welcome"));

    to_review(&k, "198503302010012003", "Siti Rahmawati");
    check("review", on(&k, "review"));
    tap(&k, KB_CONFIRM);
    /* Refused at once or within the time allowed: either way the kiosk decides alone. */
    for (int i = 0; i < 100 && on(&k, "review"); i++) {
        usleep(20000);
        wait_ms(&k, 20);
    }
    check("the hub refusing the connection: signed here alone",
          on(&k, "done") && size_of(s) == 1 && app_receipt(k.a) != NULL);
    app_free(k.a);

    /* The small screen, in English: the same lines fit. */
    app_opts o = {.lang = IKR_LANG_EN};
    kiosk_open(&k, s, 800, 480, &o);
    staff_menu(&k);
    check("800x480: the staff menu says the hub is unreachable",
          await_text(&k, "Hub unreachable since", 15000) && fits(&k));
    tap(&k, KB_ADMIN_PROGRESS);
    tap(&k, KB_PROGRESS_WHOLE);
    check("800x480: the whole event's chart says the hub cannot be reached, and fits",
          await_text(&k, "The hub cannot be reached", 15000) && fits(&k));
    app_free(k.a);
    ikr_station_close(s);
}

/* ---- a hub that never answers ---- */

static void silent(void)
{
    int fd;
    ikr_station *s = kiosk_event_station(root, "silent");
    char dir[600];
    snprintf(dir, sizeof dir, "%s/silent", root);
    int port = tcp_port(1, &fd);
    check("a kiosk folder and a silent hub", s != NULL && fd >= 0 && write_conf(dir, port) == 0);
    if (!s)
        return;
    kiosk k;
    start(&k, s);
    to_review(&k, "198503302010012003", "Siti Rahmawati");
    tap(&k, KB_CONFIRM);
    check("Konfirmasi asks the hub first, and says so",
          on(&k, "review") && shows(&k, "Memeriksa di pusat") && size_of(s) == 0 && fits(&k));
    tap(&k, KB_CHANGE);
    key(&k, APP_KEY_ESCAPE);
    check("nothing else can be pressed meanwhile", on(&k, "review"));
    wait_ms(&k, IKR_HUB_CLAIM_MS - 200);
    check("still asking before IKR_HUB_CLAIM_MS", on(&k, "review") && size_of(s) == 0);
    wait_ms(&k, 300);
    check("no answer in time: signed here alone, the receipt shown",
          on(&k, "done") && size_of(s) == 1 && app_receipt(k.a) != NULL);
    tap(&k, KB_FINISH);
    /* The same NIP again: the local duplicate still refuses, the hub or not. */
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    type_nip(&k, "198503302010012003");
    check("the local duplicate is refused as before", shows(&k, "sudah menandatangani"));
    key(&k, APP_KEY_ESCAPE);
    key(&k, APP_KEY_ESCAPE);
    /* A signer without NIP is not asked about. */
    tap(&k, KB_START);
    read_declaration(&k);
    tap(&k, KB_AGREE);
    tap(&k, KB_NO_NIP);
    check("Non-ASN: the details", on(&k, "details") || on(&k, "status"));
    if (on(&k, "status"))
        tap(&k, KB_STATUS_NONASN);
    type(&k, "Budi Santoso");
    tap(&k, KB_NEXT);
    signature(&k);
    tap(&k, KB_NEXT);
    tap(&k, KB_CONFIRM);
    check("a signer without NIP signs at once, the hub not asked",
          on(&k, "done") && size_of(s) == 2);
    app_free(k.a); /* joins the threads, one of them still waiting on the silent hub */
    close(fd);
    ikr_station_close(s);
}

/* ---- no hub.conf: none of it ---- */

static void without(void)
{
    ikr_station *s = kiosk_event_station(root, "alone");
    check("a kiosk folder without hub.conf", s != NULL);
    if (!s)
        return;
    kiosk k;
    start(&k, s);
    staff_menu(&k);
    check("the staff menu says nothing of a hub",
          on(&k, "admin") && !shows(&k, "tersinkron") && !shows(&k, "Pusat"));
    tap(&k, KB_ADMIN_PROGRESS);
    check("the chart has no toggle",
          !shows(&k, "Seluruh acara") && !kd_hit_find(&k.l, KB_PROGRESS_WHOLE, 0));
    key(&k, APP_KEY_ESCAPE);
    key(&k, APP_KEY_ESCAPE);
    to_review(&k, "198503302010012003", "Siti Rahmawati");
    tap(&k, KB_CONFIRM);
    check("Konfirmasi signs at once", on(&k, "done") && size_of(s) == 1);
    app_free(k.a);
    ikr_station_close(s);
}

int main(void)
{
    if (!mkdtemp(root))
        return 1;
    words();
    without();
    refused();
    silent();
    ikr_file_remove_tree(root);
    return check_report();
}
