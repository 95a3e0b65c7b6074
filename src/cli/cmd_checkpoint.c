/*
 * cmd_checkpoint.c: `ikrar checkpoint` signs and prints a checkpoint of the
 * log as it is now (C2SP tlog-checkpoint as a signed note), and keeps it
 * in the database so a later audit checks it too.
 */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "ikrar/clock.h"
#include "ikrar/station.h"

static void help(const cli *c)
{
    printf("%s: ikrar checkpoint [--data DIR] [--passphrase-file FILE]\n",
           L(c, "Pemakaian", "Usage"));
}

int cmd_checkpoint(cli *c, int argc, char **argv)
{
    cli_opt o[] = {{"data", 1, NULL, 0}, {"passphrase-file", 1, NULL, 0}};
    size_t no = sizeof o / sizeof o[0];
    int rc;
    if ((rc = cli_parse(c, argc, argv, o, no, NULL, 0, NULL, help)) >= 0)
        return rc;
    const char *data = cli_data_dir(cli_opt_get(o, no, "data")),
               *pass_file = cli_opt_get(o, no, "passphrase-file");
    ikr_err e;
    ikr_buf pass, note;
    ikr_station *s = NULL;
    ikr_err_clear(&e);
    ikr_buf_init(&pass);
    ikr_buf_init(&note);
    int readonly;
    if (pass_file && cli_read_passphrase(pass_file, &pass, &e)) {
        rc = cli_fail(c, &e);
        goto out;
    }
    const char *pw = pass_file ? (const char *)pass.p : NULL;
    /* A copy on a stick or CD: the same checkpoint, signed, shown and not kept. */
    rc = cli_open_to_sign(&s, data, pw, &readonly, &e);
    if (rc || ikr_station_checkpoint(s, ikr_clock_now(), &note, &e)) {
        rc = cli_fail(c, &e);
    } else {
        cli_note_read_copy(c, s);
        if (readonly)
            fprintf(stderr, "%s\n",
                    L(c,
                      "Folder data ini hanya dapat dibaca: checkpoint ditandatangani dan "
                      "ditampilkan, tetapi tidak disimpan di sana.",
                      "This data folder is read-only: the checkpoint is signed and shown, but "
                      "not kept there."));
        fwrite(note.p, 1, note.len, stdout);
        rc = EXIT_VALID;
    }
out:
    ikr_station_close(s);
    ikr_buf_free(&pass);
    ikr_buf_free(&note);
    return rc;
}
