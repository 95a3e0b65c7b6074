/*
 * main.c: the `ikrar` command: picks the language and the command (cli.c
 * holds the helpers every command shares).
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ikrar/limits.h"
#include "ikrar/log.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/zone.h"

static const struct {
    const char *name;
    int (*fn)(cli *, int, char **);
    const char *id, *en;
} commands[] = {
    {"init", cmd_init, "menyiapkan folder data kiosk untuk satu acara",
     "set up a kiosk's data folder for one event"},
    {"sign", cmd_sign, "mencatat dan menandatangani satu penanda tangan, lalu mencetak struk",
     "record and sign one signer, then print the receipt"},
    {"verify", cmd_verify, "memeriksa struk (teks atau foto kode QR)",
     "check a receipt (the text or a photo of its QR code)"},
    {"checkpoint", cmd_checkpoint, "mencetak checkpoint log yang ditandatangani",
     "print a signed checkpoint of the log"},
    {"pubkey", cmd_pubkey, "mencetak kunci verifikasi kiosk", "print the kiosk's verifier key"},
    {"audit", cmd_audit, "memeriksa ulang seluruh log, atau bundel roster",
     "re-check the whole log, or a roster bundle"},
    {"kiosk", cmd_kiosk, "menjalankan kiosk layar sentuh untuk penanda tangan",
     "run the touchscreen kiosk for signers"},
    {"reprint", cmd_reprint, "mencetak ulang struk sebuah catatan",
     "print a record's receipt again"},
    {"export", cmd_export, "menulis bundel roster bertanda tangan untuk auditor",
     "write the signed roster bundle for auditors"},
    {"merge", cmd_merge, "menggabungkan bundel beberapa kiosk satu acara",
     "join the bundles of one event's kiosks"},
    {"roster", cmd_roster, "mengimpor roster: siapa yang diharapkan menandatangani",
     "import the roster: who is expected to sign"},
    {"stats", cmd_stats, "berapa yang sudah menandatangani, per unit kerja; siapa yang belum",
     "how many signed, per work unit; who has not yet"},
    {"purge-ink", cmd_purge_ink, "menghapus tinta tanda tangan setelah masa simpannya berakhir",
     "delete the signatures' ink once its retention ends"},
    {"backup", cmd_backup, "menyalin folder data ke folder baru (flashdisk) lalu memeriksanya",
     "copy the data folder to a new folder (a USB stick) and audit the copy"},
    {"event", cmd_event, "kunci acara dan daftar kepercayaan kiosk-kiosknya",
     "the event key and the trust list of its kiosks"},
    {"hub", cmd_hub, "pusat PostgreSQL: semua kiosk satu acara dalam satu basis data",
     "the PostgreSQL hub: all of an event's kiosks in one database"},
    {"push", cmd_push, "mengirim catatan kiosk yang belum ada ke pusat",
     "send the kiosk's records the hub lacks"},
    {"setup-kiosk", cmd_setup_kiosk, "membuat mesin ini langsung masuk ke kiosk saat menyala",
     "make this machine boot straight into the kiosk"},
    {"bench", cmd_bench, "mengukur kecepatan pada folder data ini",
     "measure speed on this data folder's disk"},
};

/* Indonesian first; English when asked for, or when the locale says so. */
static int pick_lang(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            v = argv[i + 1];
        else if (strncmp(argv[i], "--lang=", 7) == 0)
            v = argv[i] + 7;
        if (v)
            return strcmp(v, "en") == 0 ? IKR_LANG_EN : IKR_LANG_ID;
    }
    const char *env = getenv("IKRAR_LANG");
    if (!env || !*env)
        env = getenv("LC_ALL");
    if (!env || !*env)
        env = getenv("LC_MESSAGES");
    if (!env || !*env)
        env = getenv("LANG");
    return env && strncmp(env, "en", 2) == 0 ? IKR_LANG_EN : IKR_LANG_ID;
}

/*
 * `ikrar --version`: the program's version, then one line for each format it
 * writes (docs/formats.md), so an auditor knows what a kiosk's files hold.
 */
static void version(const cli *c)
{
    printf("ikrar %s\n", IKRAR_VERSION);
    printf("%s: COSE_Sign1 (Ed25519), v 1\n", L(c, "catatan", "record"));
    printf("%s: %s Base45(zlib(COSE_Sign1))\n", L(c, "struk", "receipt"), IKR_RECEIPT_PREFIX);
    printf("checkpoint: C2SP tlog-checkpoint\n");
    printf("%s: records.jsonl + checkpoint + verifier.key\n",
           L(c, "bundel roster", "roster bundle"));
    printf("%s: %d\n", L(c, "skema SQLite", "SQLite schema"), IKR_LOG_SCHEMA);
}

static void usage(const cli *c, FILE *f)
{
    fprintf(f, "%s: ikrar <%s> [--lang id|en] ...\n\n", L(c, "Pemakaian", "Usage"),
            L(c, "perintah", "command"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, L(c, commands[i].id, commands[i].en));
    fprintf(f, "  %-11s %s\n", "--version", L(c, "versi dan format", "version and formats"));
    fprintf(f, "\n%s\n",
            L(c, "Lihat 'ikrar <perintah> --help' untuk pilihan tiap perintah.",
              "See 'ikrar <command> --help' for each command's options."));
    fprintf(f, "%s %s.\n",
            L(c, "Tanpa --data: folder $IKRAR_DATA, atau",
              "Without --data: the folder $IKRAR_DATA, or"),
            IKRAR_DEFAULT_DATA);
}

int main(int argc, char **argv)
{
    cli c = {pick_lang(argc, argv), NULL};
    if (argc < 2) {
        usage(&c, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(&c, stdout);
        return EXIT_VALID;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        version(&c);
        return EXIT_VALID;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            c.cmd = commands[i].name;
            return commands[i].fn(&c, argc - 1, argv + 1);
        }
    fprintf(stderr, "ikrar: %s: %s\n", L(&c, "perintah tidak dikenal", "unknown command"), argv[1]);
    usage(&c, stderr);
    return EXIT_USAGE;
}
