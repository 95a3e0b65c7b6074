/*
 * key.c: Ed25519 keys through OpenSSL 3's EVP interface.
 *
 * An ikr_key holds an EVP_PKEY and, derived once, the raw public key and
 * its kid.  Private bytes exist only inside OpenSSL and in the key file:
 * saving writes PKCS#8 PEM to a new file created 0600 (O_EXCL, so a key is
 * never overwritten) and synced; loading never prompts, a missing or wrong
 * passphrase is an error value.
 */
#include "ikrar/key.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ikrar/hash.h"
#include "ikrar/oplog.h"

struct ikr_key {
    EVP_PKEY *pk;
    int can_sign;
    uint8_t pub[IKR_PUB_LEN];
    uint8_t kid[IKR_KID_LEN];
};

void ikr_key_kid_of(uint8_t kid[IKR_KID_LEN], const uint8_t pub[IKR_PUB_LEN])
{
    uint8_t h[IKR_HASH_LEN];
    ikr_sha256(h, pub, IKR_PUB_LEN);
    memcpy(kid, h, IKR_KID_LEN);
}

/* Wraps pk (taking it) into a new ikr_key. */
static int wrap(ikr_key **out, EVP_PKEY *pk, int can_sign)
{
    *out = NULL;
    if (!pk)
        return IKR_E_CRYPTO;
    ikr_key *k = calloc(1, sizeof *k);
    size_t len = IKR_PUB_LEN;
    if (!k) {
        EVP_PKEY_free(pk);
        return IKR_E_NOMEM;
    }
    if (EVP_PKEY_get_raw_public_key(pk, k->pub, &len) != 1 || len != IKR_PUB_LEN) {
        EVP_PKEY_free(pk);
        free(k);
        return IKR_E_CRYPTO;
    }
    k->pk = pk;
    k->can_sign = can_sign;
    ikr_key_kid_of(k->kid, k->pub);
    *out = k;
    return IKR_OK;
}

int ikr_key_generate(ikr_key **out, ikr_err *e)
{
    EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    if (!pk)
        return ikr_err_set(e, IKR_E_CRYPTO, "Ed25519 keygen");
    int rc = wrap(out, pk, 1);
    return rc ? ikr_err_set(e, rc, "Ed25519 key") : IKR_OK;
}

int ikr_key_from_seed(ikr_key **out, const uint8_t seed[32])
{
    return wrap(out, EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32), 1);
}

int ikr_key_from_public(ikr_key **out, const uint8_t pub[IKR_PUB_LEN])
{
    return wrap(out, EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, IKR_PUB_LEN), 0);
}

int ikr_key_save(const ikr_key *k, const char *path, const char *pass, ikr_err *e)
{
    if (!k->can_sign)
        return ikr_err_set(e, IKR_E_INTERNAL, "no private key to save");
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ikr_err_set(e, errno == EEXIST ? IKR_E_EXISTS : IKR_E_IO, "%s: %s", path,
                           strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return ikr_err_set(e, IKR_E_IO, "%s: %s", path, strerror(errno));
    }
    int ok;
    if (pass)
        ok = PEM_write_PKCS8PrivateKey(f, k->pk, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)pass);
    else
        ok = PEM_write_PKCS8PrivateKey(f, k->pk, NULL, NULL, 0, NULL, NULL);
    if (ok == 1 && fflush(f) == 0 && fsync(fileno(f)) == 0) {
        if (fclose(f) == 0)
            return IKR_OK;
    } else {
        fclose(f);
    }
    int err = errno;
    unlink(path);
    return ikr_err_set(e, IKR_E_IO, "%s: %s", path, err ? strerror(err) : "PEM write failed");
}

/* Gives OpenSSL the passphrase we were handed, or nothing: never a prompt. */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
    (void)rwflag;
    if (!u)
        return -1;
    size_t n = strlen(u);
    if (n > (size_t)size)
        return -1;
    memcpy(buf, u, n);
    return (int)n;
}

/*
 * Opens the key file for reading: only a regular file, not through a symbolic
 * link (O_NOFOLLOW) and without waiting (O_NONBLOCK: a FIFO planted as the
 * key would make open() and read() wait forever).  A key others may write is
 * refused (whoever can replace it signs as the kiosk); one others may read
 * is used, with a warning in the operational log.
 */
static int open_key_file(const char *path, FILE **f, ikr_err *e)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return ikr_err_set(e, errno == ENOENT ? IKR_E_NOKIOSK : IKR_E_KEY_FILE, "%s: %s", path,
                           errno == ELOOP ? "a symbolic link, not the key itself"
                                          : strerror(errno));
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return ikr_err_set(e, IKR_E_KEY_FILE, "%s: %s", path, strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ikr_err_set(e, IKR_E_KEY_FILE, "%s: not a regular file", path);
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        close(fd);
        return ikr_err_set(e, IKR_E_KEY_PERMS, "%s", path);
    }
    if (st.st_mode & (S_IRGRP | S_IROTH)) {
        char w[256];
        ikr_oplog("warning", "key=%s mode=%03o readable-by-others fix=chmod_600",
                  ikr_oplog_word(path, w, sizeof w), (unsigned)(st.st_mode & 0777));
    }
    if (!(*f = fdopen(fd, "r"))) {
        int err = errno;
        close(fd);
        return ikr_err_set(e, IKR_E_KEY_FILE, "%s: %s", path, strerror(err));
    }
    return IKR_OK;
}

int ikr_key_load(ikr_key **out, const char *path, const char *pass, ikr_err *e)
{
    *out = NULL;
    FILE *f = NULL;
    int orc = open_key_file(path, &f, e);
    if (orc)
        return orc;
    char first[64] = "";
    if (!fgets(first, sizeof first, f)) {
        fclose(f);
        return ikr_err_set(e, IKR_E_KEY_FILE, "%s: empty", path);
    }
    int encrypted = strstr(first, "ENCRYPTED") != NULL;
    rewind(f);
    if (encrypted && !pass) {
        fclose(f);
        return ikr_err_set(e, IKR_E_KEY_PASSPHRASE, NULL);
    }
    EVP_PKEY *pk = PEM_read_PrivateKey(f, NULL, pass_cb, (void *)pass);
    fclose(f);
    if (!pk) {
        ERR_clear_error();
        if (encrypted)
            return ikr_err_set(e, IKR_E_KEY_PASSPHRASE, NULL);
        return ikr_err_set(e, IKR_E_KEY_FILE, "%s: not a PKCS#8 private key", path);
    }
    if (EVP_PKEY_get_id(pk) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pk);
        return ikr_err_set(e, IKR_E_KEY_FILE, "%s: not an Ed25519 key", path);
    }
    int rc = wrap(out, pk, 1);
    return rc ? ikr_err_set(e, rc, "%s", path) : IKR_OK;
}

int ikr_key_can_sign(const ikr_key *k)
{
    return k->can_sign;
}

int ikr_key_sign(const ikr_key *k, uint8_t sig[IKR_SIG_LEN], const uint8_t *msg, size_t n)
{
    if (!k->can_sign)
        return IKR_E_INTERNAL;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t len = IKR_SIG_LEN;
    int ok = c && EVP_DigestSignInit(c, NULL, NULL, NULL, k->pk) == 1 &&
             EVP_DigestSign(c, sig, &len, msg, n) == 1 && len == IKR_SIG_LEN;
    EVP_MD_CTX_free(c);
    if (!ok)
        ERR_clear_error();
    return ok ? IKR_OK : IKR_E_CRYPTO;
}

int ikr_key_verify(const ikr_key *k, const uint8_t sig[IKR_SIG_LEN], const uint8_t *msg, size_t n)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, k->pk) == 1 &&
             EVP_DigestVerify(c, sig, IKR_SIG_LEN, msg, n) == 1;
    EVP_MD_CTX_free(c);
    if (!ok)
        ERR_clear_error();
    return ok ? 0 : -1;
}

struct ikr_verifier {
    const ikr_key *k;
    EVP_MD_CTX *c;
};

int ikr_verifier_new(ikr_verifier **out, const ikr_key *k)
{
    ikr_verifier *v = calloc(1, sizeof *v);
    *out = NULL;
    if (!v)
        return IKR_E_NOMEM;
    v->k = k;
    v->c = EVP_MD_CTX_new();
    if (!v->c || EVP_DigestVerifyInit(v->c, NULL, NULL, NULL, k->pk) != 1) {
        ERR_clear_error();
        ikr_verifier_free(v);
        return IKR_E_CRYPTO;
    }
    *out = v;
    return IKR_OK;
}

int ikr_verifier_check(ikr_verifier *v, const uint8_t sig[IKR_SIG_LEN], const uint8_t *msg,
                       size_t n)
{
    int r = EVP_DigestVerify(v->c, sig, IKR_SIG_LEN, msg, n);
    if (r != 1) {
        /*
         * OpenSSL 3.0 lets a one-shot context be used again; 3.2 and later
         * refuse the second use (returning 0, as for a bad signature).  So a
         * refusal is only believed from a context set up afresh.
         */
        ERR_clear_error();
        if (EVP_DigestVerifyInit(v->c, NULL, NULL, NULL, v->k->pk) != 1) {
            ERR_clear_error();
            return ikr_key_verify(v->k, sig, msg, n);
        }
        r = EVP_DigestVerify(v->c, sig, IKR_SIG_LEN, msg, n);
        if (r != 1)
            ERR_clear_error();
    }
    return r == 1 ? 0 : -1;
}

void ikr_verifier_free(ikr_verifier *v)
{
    if (!v)
        return;
    EVP_MD_CTX_free(v->c);
    free(v);
}

const uint8_t *ikr_key_public(const ikr_key *k)
{
    return k->pub;
}

const uint8_t *ikr_key_kid(const ikr_key *k)
{
    return k->kid;
}

void ikr_key_free(ikr_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pk);
    OPENSSL_cleanse(k, sizeof *k);
    free(k);
}
