/*
 * test_hub.c: what of the hub works without a server: hub.conf as join
 * writes it and the kiosk reads it (bounded, strict, 0600), an address that
 * is empty or too long refused before libpq sees it, a hub that cannot be
 * reached named as such, and the synced state of a folder that never heard
 * from a hub.  the scripts in tests/hub/ run the rest against a private PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/hub.h"
#include "ikrar/key.h"
#include "ikrar/note.h"

static char dir[] = "/tmp/ikrar-test-hub-XXXXXX";

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    ikr_err e;
    ikr_hub_conf c, back;
    ikr_buf w;
    ikr_key *k = NULL;
    int present = -1;
    if (!mkdtemp(dir))
        return 1;
    ikr_buf_init(&w);
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(0x40 + i);
    check("a witness key", ikr_key_from_seed(&k, seed) == 0);
    check("its verifier key line",
          ikr_witness_vkey_format(&w, "ikrar-hub/hub", ikr_key_public(k)) == 0 &&
              ikr_buf_addc(&w, '\0') == 0);

    /* No hub.conf: not joined, and that is no error. */
    ikr_err_clear(&e);
    check("no hub.conf is no error", ikr_hub_conf_load(dir, &c, &present, &e) == IKR_OK);
    check("...and says not present", present == 0);

    /* As join writes it, read back the same, 0600. */
    memset(&c, 0, sizeof c);
    snprintf(c.url, sizeof c.url, "host='127.0.0.1' port='5432' user='ikrar_k_0a1b' password='x'");
    snprintf(c.witness, sizeof c.witness, "%s", (const char *)w.p);
    check("saved", ikr_hub_conf_save(dir, &c, &e) == IKR_OK);
    char path[256];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, IKR_HUB_CONF_FILE);
    check("0600: it holds the kiosk's password",
          stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    check("loaded", ikr_hub_conf_load(dir, &back, &present, &e) == IKR_OK && present == 1);
    check("the same url", strcmp(back.url, c.url) == 0);
    check("the same witness", strcmp(back.witness, c.witness) == 0);

    /* Damaged or foreign files are refused with the file named. */
    const char *bad[] = {
        "url host=x\n",                                 /* no witness */
        "witness ikrar-hub/hub+00000000+AAAA\nurl x\n", /* a witness key that does not parse */
        "url host=x\nwitness \nport 5\n",               /* an unknown line */
        "",                                             /* empty */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put(IKR_HUB_CONF_FILE, bad[i]);
        ikr_err_clear(&e);
        check("a damaged hub.conf is refused",
              ikr_hub_conf_load(dir, &back, &present, &e) == IKR_E_HUB_CONF && present == 0);
        check("...naming the file", strstr(e.detail, IKR_HUB_CONF_FILE) != NULL);
    }
    /* A url longer than any address is refused, not cut. */
    {
        size_t n = IKR_HUB_MAX_URL + 100;
        char *t = malloc(n + 200);
        memcpy(t, "url ", 4);
        memset(t + 4, 'h', n);
        snprintf(t + 4 + n, 200, "\nwitness %s\n", (const char *)w.p);
        put(IKR_HUB_CONF_FILE, t);
        ikr_err_clear(&e);
        check("an overlong url is refused", ikr_hub_conf_load(dir, &back, &present, &e) != IKR_OK);
        free(t);
    }

    /* Connecting: an empty or overlong address never reaches libpq; no server is named so. */
    ikr_hub *h = NULL;
    ikr_err_clear(&e);
    check("an empty address", ikr_hub_connect(&h, "", 2, &e) == IKR_E_HUB_CONNECT && !h);
    char *long_url = malloc(IKR_HUB_MAX_URL + 2);
    memset(long_url, 'a', IKR_HUB_MAX_URL + 1);
    long_url[IKR_HUB_MAX_URL + 1] = '\0';
    ikr_err_clear(&e);
    check("an overlong address", ikr_hub_connect(&h, long_url, 2, &e) == IKR_E_HUB_CONNECT && !h);
    free(long_url);
    char url[512];
    snprintf(url, sizeof url, "host=%s port=1 dbname=ikrar user=nobody connect_timeout=2", dir);
    ikr_err_clear(&e);
    check("no server there", ikr_hub_connect(&h, url, 2, &e) == IKR_E_HUB_CONNECT && !h);
    check("...with libpq's reason", e.detail[0] != '\0');
    char msg[400];
    check("...in words",
          strstr(ikr_err_format(&e, IKR_LANG_EN, msg, sizeof msg), "cannot be reached") != NULL);
    check("...in Indonesian first", strstr(ikr_err_format(&e, IKR_LANG_ID, msg, sizeof msg),
                                           "tidak dapat dihubungi") != NULL);

    /* A folder that never heard from a hub is synced up to nothing. */
    uint64_t size = 99, when = 99;
    ikr_vkey own;
    ikr_buf ok;
    ikr_buf_init(&ok);
    ikr_vkey_format(&ok, "ikrar/ev/k1", ikr_key_public(k));
    ikr_vkey_parse(&own, (const char *)ok.p, ok.len);
    snprintf(c.witness, sizeof c.witness, "%s", (const char *)w.p);
    check("never synced",
          ikr_hub_synced(dir, &own, &c, &size, &when, &e) == IKR_OK && size == 0 && when == 0);
    put(IKR_HUB_COSIGNED_FILE, "ikrar/ev/k1\n1\nAAAA\n\n— ikrar/ev/k1 AAAA\n");
    ikr_err_clear(&e);
    check("a cosigned file that is not one is refused",
          ikr_hub_synced(dir, &own, &c, &size, &when, &e) == IKR_E_HUB_COSIG);

    ikr_buf_free(&ok);
    ikr_buf_free(&w);
    ikr_key_free(k);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_report();
}
