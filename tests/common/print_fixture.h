/*
 * print_fixture.h: what test_ticket and test_printer share: a throw-away
 * kiosk with one signer in a temporary folder, a PNG read back with
 * `zbarimg --raw`, and a folder removed afterwards.
 */
#ifndef IKRAR_PRINT_FIXTURE_H
#define IKRAR_PRINT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikrar/ink.h"
#include "ikrar/station.h"
#include "ikrar/ticket.h"

/* Makes a kiosk in a new temporary folder (dir gets its path) and signs name; 0 or -1. */
static int fixture_station(char dir[64], ikr_station **s, const char *name, uint64_t *seq)
{
    ikr_err e;
    ikr_buf vk;
    ikr_ink ink;
    ikr_signed out;
    static const char json[] = "{\"w\":600,\"h\":300,\"s\":[[100,150,0,140,120,20,180,160,40]]}";
    int rc = -1;
    snprintf(dir, 64, "/tmp/ikrar-print-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char sub[128];
    snprintf(sub, sizeof sub, "%s/data", dir);
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    ikr_ink_init(&ink);
    memset(&out, 0, sizeof out);
    ikr_buf_init(&out.receipt);
    ikr_station_cfg cfg = {.event_id = "pilkada-2024",
                           .title = "Deklarasi Netralitas ASN Pilkada Serentak 2024",
                           .kiosk = "aula-1",
                           .pin = "246810"};
    ikr_form f = {name, IKR_STATUS_PNS, "198503152010012003", "Analis Kebijakan Ahli Muda",
                  "Dinas Komunikasi dan Informatika"};
    if (ikr_ink_parse_json(&ink, json, sizeof json - 1) == 0 &&
        ikr_station_create(sub, &cfg, &vk, &e) == 0 &&
        ikr_station_open(s, sub, IKR_OPEN_SIGN, NULL, &e) == 0 &&
        ikr_station_sign(*s, &f, &ink, (uint64_t)time(NULL), &out, &e) == 0) {
        *seq = out.seq;
        rc = 0;
    }
    if (rc)
        fprintf(stderr, "fixture: error %d %s\n", e.code, e.detail);
    ikr_buf_free(&vk);
    ikr_ink_free(&ink);
    ikr_buf_free(&out.receipt);
    return rc;
}

/* The text zbarimg reads from a PNG (without its line end) into out; 0 or -1. */
static int fixture_zbar(const char *png, char *out, size_t n)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>/dev/null", png);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t got = fread(out, 1, n - 1, p);
    out[got] = 0;
    while (got > 0 && (out[got - 1] == '\n' || out[got - 1] == '\r'))
        out[--got] = 0;
    return pclose(p) == 0 && got > 0 ? 0 : -1;
}

/* Removes dir and lets go of the font caches (so LeakSanitizer sees none). */
static void fixture_rmdir(const char *dir)
{
    ikr_ticket_release_caches();
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

#endif
