/*
 * test_trust: the event trust list (trust.h).  The worked example of
 * docs/formats.md ("The event trust list") is rebuilt from its seeds and
 * compared with tests/data/trust/ byte for byte, and the negative corpus
 * tests/data/negative/trust/ is rebuilt the same way and each file refused
 * by the check it is named after.  `test_trust --write DIR` writes both
 * (DIR/trust, DIR/negative/trust) for scripts/make-test-data.sh.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ikrar/file.h"
#include "ikrar/hash.h"
#include "ikrar/key.h"
#include "ikrar/note.h"
#include "ikrar/receipt.h"
#include "ikrar/trust.h"
#include "testdata.h"

/* RFC 8032 section 7.1: test 1 is the worked example's kiosk-1, test 2 the event key, test 3
 * kiosk-2.  The foreign key is no one's: 32 bytes of 0x42. */
static const char *SEED1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char *SEED2 = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
static const char *SEED3 = "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7";
static const char *SEED_FOREIGN =
    "4242424242424242424242424242424242424242424242424242424242424242";

#define REVOKED_FROM 1727690600u /* 2024-09-30 17:03:20 WIB */

static ikr_key *key_of(const char *hex)
{
    uint8_t seed[32];
    ikr_key *k = NULL;
    if (ikr_unhex(seed, 32, hex) != 0 || ikr_key_from_seed(&k, seed) != 0)
        abort();
    return k;
}

static ikr_vkey vkey_of(const ikr_key *k, const char *name)
{
    ikr_buf b;
    ikr_vkey v;
    ikr_buf_init(&b);
    if (ikr_vkey_format(&b, name, ikr_key_public(k)) ||
        ikr_vkey_parse(&v, (const char *)b.p, b.len))
        abort();
    ikr_buf_free(&b);
    return v;
}

/* One file of the example or the corpus: its path under tests/data and its bytes. */
typedef struct made {
    const char *rel;
    ikr_buf b;
} made;

static made files[32];
static size_t nfiles;

static ikr_buf *file(const char *rel)
{
    if (nfiles == sizeof files / sizeof files[0])
        abort();
    files[nfiles].rel = rel;
    ikr_buf_init(&files[nfiles].b);
    return &files[nfiles++].b;
}

/* b's bytes as a C string (a NUL kept after them, not counted). */
static const char *cstr(ikr_buf *b)
{
    ikr_buf_addc(b, 0);
    b->len--;
    return (const char *)b->p;
}

static void line(ikr_buf *b, const char *s)
{
    ikr_buf_adds(b, s);
    ikr_buf_addc(b, '\n');
}

/* A signed note of body under name by k (whatever the body says). */
static void note_of(ikr_buf *out, const char *body, const char *name, const ikr_key *k)
{
    if (ikr_note_sign(out, body, strlen(body), name, k))
        abort();
}

static void receipt_of(ikr_buf *out, const ikr_key *k, uint64_t seq, uint64_t t, const char *name)
{
    ikr_receipt r;
    memset(&r, 0, sizeof r);
    r.v = 1;
    strcpy(r.ev, "contoh");
    r.seq = seq;
    r.t = t;
    strcpy(r.name, name);
    ikr_sha256(r.leaf, name, strlen(name));
    ikr_sha256(r.root, &r.leaf, sizeof r.leaf);
    if (ikr_receipt_make(out, k, &r))
        abort();
    out->len--; /* ikr_receipt_make counts its NUL */
    ikr_buf_addc(out, '\n');
}

int main(int argc, char **argv)
{
    const char *write_dir = argc == 3 && strcmp(argv[1], "--write") == 0 ? argv[2] : NULL;
    ikr_key *k1 = key_of(SEED1), *ev = key_of(SEED2), *k2 = key_of(SEED3),
            *foreign = key_of(SEED_FOREIGN);
    ikr_vkey v1 = vkey_of(k1, "ikrar/contoh/kiosk-1"), v2 = vkey_of(k2, "ikrar/contoh/kiosk-2");
    ikr_vkey vf = vkey_of(foreign, "ikrar/contoh/kiosk-1");
    ikr_err e;
    ikr_err_clear(&e);

    /* ---- the worked example ---- */
    static ikr_trust t, back;
    check("new list", ikr_trust_new(&t, "contoh", ev, &e) == IKR_OK && t.serial == 1);
    check("add kiosk-2", ikr_trust_add(&t, &v2, &e) == IKR_OK);
    check("add kiosk-1", ikr_trust_add(&t, &v1, &e) == IKR_OK);
    check("kiosks in order", t.n == 2 && strcmp(t.k[0].key.name, "ikrar/contoh/kiosk-1") == 0);
    check("the same key again", ikr_trust_add(&t, &v1, &e) == IKR_E_TRUST_SAME);
    ikr_err_clear(&e);
    check("another key under a listed name", ikr_trust_add(&t, &vf, &e) == IKR_E_TRUST_KIOSK);
    ikr_err_clear(&e);
    ikr_vkey other_event = vkey_of(k2, "ikrar/lain/kiosk-2");
    check("a kiosk of another event", ikr_trust_add(&t, &other_event, &e) == IKR_E_TRUST_KIOSK);
    ikr_err_clear(&e);
    check("revoke kiosk-2", ikr_trust_revoke(&t, "kiosk-2", REVOKED_FROM, &e) == IKR_OK);
    check("revoke an unlisted kiosk", ikr_trust_revoke(&t, "kiosk-9", 1, &e) == IKR_E_TRUST_KIOSK);
    ikr_err_clear(&e);
    t.serial = 4; /* new list 1, kiosk-2 added 2, kiosk-1 added 3, kiosk-2 revoked 4 */

    ikr_buf *seedf = file("trust/event-seed.hex");
    line(seedf, SEED2);
    ikr_buf *evpub = file("trust/event.pub");
    ikr_vkey_format(evpub, "ikrar-event/contoh", ikr_key_public(ev));
    ikr_buf_addc(evpub, '\n');
    ikr_buf *k2seed = file("trust/kiosk-2-seed.hex");
    line(k2seed, SEED3);
    ikr_buf *k2pub = file("trust/kiosk-2.pub");
    ikr_vkey_format(k2pub, v2.name, v2.pub);
    ikr_buf_addc(k2pub, '\n');
    ikr_buf *body = file("trust/body.txt");
    check("body", ikr_trust_body(body, &t) == IKR_OK);
    ikr_buf *list = file("trust/trust.txt");
    check("signs", ikr_trust_sign(list, &t, ev, &e) == IKR_OK);
    check("wrong key refused", ikr_trust_sign(list, &t, k1, &e) == IKR_E_KEY_MISMATCH);
    ikr_err_clear(&e);
    /* The signature alone, for checking it by hand with openssl (docs/formats.md). */
    ikr_buf *sig = file("trust/signature.hex");
    {
        uint8_t s[IKR_SIG_LEN];
        char hex[2 * IKR_SIG_LEN + 1];
        ikr_key_sign(ev, s, body->p, body->len);
        ikr_hex(hex, s, sizeof s);
        line(sig, hex);
    }
    ikr_buf *good = file("trust/receipt-kiosk-2.txt");
    receipt_of(good, k2, 2, REVOKED_FROM - 100, "Budi Santoso");

    check("the list parses back",
          ikr_trust_parse(&back, (const char *)list->p, list->len, &e) == IKR_OK);
    check("to the same list", back.serial == 4 && back.n == 2 && back.k[1].revoked &&
                                  back.k[1].revoked_from == REVOKED_FROM &&
                                  strcmp(back.event, "contoh") == 0);
    check("kiosk-1 trusted", ikr_trust_check(&back, &v1, 1999999999, &e) == IKR_OK);
    check("kiosk-2 before its revocation",
          ikr_trust_check(&back, &v2, REVOKED_FROM - 1, &e) == IKR_OK);
    check("kiosk-2 at its revocation",
          ikr_trust_check(&back, &v2, REVOKED_FROM, &e) == IKR_E_TRUST_REVOKED &&
              e.when == REVOKED_FROM && strstr(e.detail, "kiosk-2"));
    ikr_err_clear(&e);
    check("a foreign key named kiosk-1", ikr_trust_check(&back, &vf, 1, &e) == IKR_E_TRUST_UNKNOWN);
    ikr_err_clear(&e);

    /* ---- the negative corpus: each file refused by the check it is named after ---- */
    const char *b = cstr(body);
    ikr_buf *n1 = file("negative/trust/list-not-signed-by-its-event-key.txt");
    note_of(n1, b, "ikrar-event/contoh", foreign);
    ikr_buf dup;
    ikr_buf_init(&dup);
    {
        /* kiosk-1's line twice */
        const char *k = strstr(b, "kiosk ikrar/contoh/kiosk-1");
        const char *nl = strchr(k, '\n');
        ikr_buf_add(&dup, b, (size_t)(nl + 1 - b));
        ikr_buf_add(&dup, k, (size_t)(nl + 1 - k));
        ikr_buf_adds(&dup, nl + 1);
        ikr_buf_addc(&dup, 0);
    }
    ikr_buf *n2 = file("negative/trust/list-duplicate-kiosk.txt");
    note_of(n2, (const char *)dup.p, "ikrar-event/contoh", ev);
    ikr_buf_free(&dup);

    static ikr_trust x;
    ikr_buf tmp;
    ikr_buf_init(&tmp);
    /* A kiosk of another event, signed by the event key: written by hand, as add refuses it. */
    ikr_trust_new(&x, "contoh", ev, &e);
    x.n = 1;
    x.k[0].key = other_event;
    ikr_trust_body(&tmp, &x);
    ikr_buf *n3 = file("negative/trust/list-kiosk-of-another-event.txt");
    note_of(n3, cstr(&tmp), "ikrar-event/contoh", ev);
    ikr_buf_reset(&tmp);
    /* Kiosks out of order. */
    x.n = 2;
    x.k[0].key = v2;
    x.k[1].key = v1;
    ikr_trust_body(&tmp, &x);
    ikr_buf *n4 = file("negative/trust/list-kiosks-out-of-order.txt");
    note_of(n4, cstr(&tmp), "ikrar-event/contoh", ev);
    ikr_buf_reset(&tmp);
    /* A revocation of a kiosk the list does not hold. */
    ikr_buf_adds(&tmp, b);
    ikr_buf_adds(&tmp, "revoked ikrar/contoh/kiosk-9 1727690000\n");
    ikr_buf *n5 = file("negative/trust/list-revokes-unlisted-kiosk.txt");
    note_of(n5, cstr(&tmp), "ikrar-event/contoh", ev);
    ikr_buf_reset(&tmp);
    /* serial 04: one list, one text. */
    {
        const char *s = strstr(b, "serial 4\n");
        ikr_buf_add(&tmp, b, (size_t)(s - b));
        ikr_buf_adds(&tmp, "serial 04\n");
        ikr_buf_adds(&tmp, s + strlen("serial 4\n"));
    }
    ikr_buf *n6 = file("negative/trust/list-serial-leading-zero.txt");
    note_of(n6, cstr(&tmp), "ikrar-event/contoh", ev);
    ikr_buf_reset(&tmp);
    /* A good list of the event under another event key: a kiosk that pinned ours refuses it. */
    ikr_trust_new(&x, "contoh", foreign, &e);
    ikr_trust_add(&x, &v1, &e);
    x.serial = 9;
    ikr_buf *n7 = file("negative/trust/install-another-event-key.txt");
    check("other event key's list signs", ikr_trust_sign(n7, &x, foreign, &e) == IKR_OK);
    /* A good list of ours with a lower serial than the example's. */
    ikr_trust_new(&x, "contoh", ev, &e);
    ikr_trust_add(&x, &v1, &e);
    x.serial = 2;
    ikr_buf *n8 = file("negative/trust/install-lower-serial.txt");
    check("lower serial list signs", ikr_trust_sign(n8, &x, ev, &e) == IKR_OK);
    ikr_buf *n9 = file("negative/trust/receipt-foreign-key.txt");
    receipt_of(n9, foreign, 1, 1727690000, "Siti Rahmawati, S.Pd.");
    ikr_buf *n10 = file("negative/trust/receipt-revoked-kiosk.txt");
    receipt_of(n10, k2, 3, REVOKED_FROM + 100, "Budi Santoso");
    ikr_buf_free(&tmp);

    static const char *const list_why[][2] = {
        {"negative/trust/list-not-signed-by-its-event-key.txt", "not signed by its event key"},
        {"negative/trust/list-duplicate-kiosk.txt", "one kiosk twice"},
        {"negative/trust/list-kiosk-of-another-event.txt", "not a kiosk of this event"},
        {"negative/trust/list-kiosks-out-of-order.txt", "out of order"},
        {"negative/trust/list-revokes-unlisted-kiosk.txt", "revokes a kiosk that is not listed"},
        {"negative/trust/list-serial-leading-zero.txt", "serial"},
    };
    for (size_t i = 0; i < nfiles; i++)
        for (size_t j = 0; j < sizeof list_why / sizeof list_why[0]; j++)
            if (strcmp(files[i].rel, list_why[j][0]) == 0) {
                ikr_err_clear(&e);
                int rc = ikr_trust_parse(&x, (const char *)files[i].b.p, files[i].b.len, &e);
                check(list_why[j][0], rc == IKR_E_TRUST_LIST && strstr(e.detail, list_why[j][1]));
            }

    /* Installing: the first list pins the event key; later ones need it and a higher serial. */
    char dir[] = "/tmp/test_trust_XXXXXX";
    check("temporary folder", mkdtemp(dir) != NULL);
    ikr_err_clear(&e);
    check("a list without this kiosk is not installed",
          ikr_trust_install(dir, (const char *)list->p, list->len, &vf, NULL, &e) ==
              IKR_E_TRUST_UNKNOWN);
    ikr_err_clear(&e);
    check("the example installs",
          ikr_trust_install(dir, (const char *)list->p, list->len, &v1, &x, &e) == IKR_OK &&
              x.serial == 4);
    check("the same list again is fine",
          ikr_trust_install(dir, (const char *)list->p, list->len, &v1, NULL, &e) == IKR_OK);
    check("another event key is refused",
          ikr_trust_install(dir, (const char *)n7->p, n7->len, &v1, NULL, &e) == IKR_E_TRUST_PIN &&
              strstr(e.detail, "another event key"));
    ikr_err_clear(&e);
    check("a lower serial is refused",
          ikr_trust_install(dir, (const char *)n8->p, n8->len, &v1, NULL, &e) == IKR_E_TRUST_PIN &&
              strstr(e.detail, "serial 2"));
    ikr_err_clear(&e);
    int present = 0;
    check("the installed list is the example",
          ikr_trust_load_dir(&x, dir, &present, &e) == IKR_OK && present && x.serial == 4);
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, IKR_TRUST_FILE);
    unlink(p);
    rmdir(dir);

    /* A key name with a NUL inside: ikr_vkey_parse takes it (the hash covers the name up to the
     * NUL), but it is not the line ikrar writes, so one key would have many texts (fuzz_trust). */
    {
        ikr_buf nul;
        size_t tl;
        ikr_buf_init(&nul);
        const char *k = strstr(b, "+47e5b3af");
        ikr_buf_add(&nul, b, (size_t)(k - b));
        ikr_buf_add(&nul, "\0\0", 2);
        ikr_buf_adds(&nul, k);
        ikr_err_clear(&e);
        check("a NUL in the key's name",
              ikr_trust_parse_text(&x, (const char *)nul.p, nul.len, &tl, &e) == IKR_E_TRUST_LIST &&
                  strstr(e.detail, "line 3"));
        ikr_buf_free(&nul);
    }

    /* Bounds: too long, truncated at every byte. */
    ikr_buf big;
    ikr_buf_init(&big);
    for (int i = 0; i < IKR_TRUST_MAX_NOTE + 1; i++)
        ikr_buf_addc(&big, 'x');
    check("too long", ikr_trust_parse(&x, (const char *)big.p, big.len, &e) == IKR_E_TRUST_LIST);
    ikr_buf_free(&big);
    int cut_ok = 1;
    for (size_t i = 0; i < list->len; i++) {
        ikr_err_clear(&e);
        if (ikr_trust_parse(&x, (const char *)list->p, i, &e) != IKR_E_TRUST_LIST)
            cut_ok = 0;
    }
    check("every truncation refused", cut_ok);

    /* ---- write the files, or compare them with tests/data ---- */
    for (size_t i = 0; i < nfiles; i++) {
        if (write_dir) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", write_dir, files[i].rel);
            ikr_err_clear(&e);
            check(files[i].rel,
                  ikr_file_write_atomic(path, files[i].b.p, files[i].b.len, 0644, &e) == IKR_OK);
            continue;
        }
        ikr_buf have;
        ikr_buf_init(&have);
        check(files[i].rel, td_read(files[i].rel, &have) == 0 && have.len == files[i].b.len &&
                                memcmp(have.p, files[i].b.p, have.len) == 0);
        ikr_buf_free(&have);
    }
    if (write_dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/trust/event.key", write_dir);
        unlink(path);
        ikr_err_clear(&e);
        check("event.key", ikr_key_save(ev, path, NULL, &e) == IKR_OK);
    } else {
        /* The example's event.key is the event key of the example. */
        char path[1024];
        ikr_key *loaded = NULL;
        check("event.key loads",
              td_path(path, sizeof path, "trust/event.key") == 0 &&
                  ikr_key_load(&loaded, path, NULL, &e) == IKR_OK &&
                  memcmp(ikr_key_public(loaded), ikr_key_public(ev), IKR_PUB_LEN) == 0);
        ikr_key_free(loaded);
    }

    for (size_t i = 0; i < nfiles; i++)
        ikr_buf_free(&files[i].b);
    ikr_key_free(k1);
    ikr_key_free(k2);
    ikr_key_free(ev);
    ikr_key_free(foreign);
    return check_report();
}
