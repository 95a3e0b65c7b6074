/*
 * cmd_pubkey.c: `ikrar pubkey` prints the kiosk's verifier key, the one
 * line auditors and receipt checkers need.  It needs no passphrase.
 */
#include <stdio.h>

#include "cli.h"
#include "ikrar/station.h"

static void help(const cli *c)
{
    printf("%s: ikrar pubkey [--data DIR]\n", L(c, "Pemakaian", "Usage"));
}

int cmd_pubkey(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data"));
    ikr_err e;
    ikr_buf vk;
    ikr_station *s = NULL;
    ikr_err_clear(&e);
    ikr_buf_init(&vk);
    if (ikr_station_open(&s, data, IKR_OPEN_VERIFY, NULL, &e)) {
        rc = cli_fail(c, &e);
    } else if (ikr_station_vkey(s, &vk)) {
        ikr_err_set(&e, IKR_E_NOMEM, NULL);
        rc = cli_fail(c, &e);
    } else {
        cli_note_read_copy(c, s);
        printf("%.*s\n", (int)vk.len, (const char *)vk.p);
        rc = EXIT_VALID;
    }
    ikr_station_close(s);
    ikr_buf_free(&vk);
    return rc;
}
