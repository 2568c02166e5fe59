/* PBKDF2-SHA256 hashing of client secrets with GnuTLS. */
#include "secret.h"
#include "b64url.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SALT_LEN 16
#define HASH_LEN 32
#define PREFIX   "pbkdf2-sha256$"

int secret_generate(char *buf, size_t len)
{
    unsigned char raw[32];
    if (gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof raw) < 0) return -1;
    char *text = b64u_encode(raw, sizeof raw);
    int rc = text && strlen(text) < len ? 0 : -1;
    if (rc == 0) memcpy(buf, text, strlen(text) + 1);
    free(text);
    return rc;
}

static int derive(const char *secret, const unsigned char *salt, size_t salt_len,
                  unsigned iterations, unsigned char *out)
{
    gnutls_datum_t key = {(unsigned char *)secret, (unsigned)strlen(secret)};
    gnutls_datum_t s = {(unsigned char *)salt, (unsigned)salt_len};
    return gnutls_pbkdf2(GNUTLS_MAC_SHA256, &key, &s, iterations, out, HASH_LEN) < 0 ? -1 : 0;
}

int secret_hash(const char *secret, unsigned iterations, char *buf, size_t len)
{
    unsigned char salt[SALT_LEN], hash[HASH_LEN];
    char *salt_text = NULL, *hash_text = NULL;
    int rc = -1;
    if (gnutls_rnd(GNUTLS_RND_NONCE, salt, sizeof salt) < 0) return -1;
    if (derive(secret, salt, sizeof salt, iterations, hash) != 0) return -1;
    salt_text = b64u_encode(salt, sizeof salt);
    hash_text = b64u_encode(hash, sizeof hash);
    if (salt_text && hash_text) {
        int n = snprintf(buf, len, PREFIX "%u$%s$%s", iterations, salt_text, hash_text);
        rc = n > 0 && (size_t)n < len ? 0 : -1;
    }
    free(salt_text);
    free(hash_text);
    return rc;
}

int secret_verify(const char *secret, const char *stored)
{
    unsigned char hash[HASH_LEN], diff = 0;
    unsigned char *salt = NULL, *want = NULL;
    size_t salt_len = 0, want_len = 0;
    unsigned iterations = 0;
    int ok = 0, consumed = 0;
    if (!secret || !stored || strncmp(stored, PREFIX, strlen(PREFIX)) != 0) return 0;
    const char *p = stored + strlen(PREFIX);
    if (sscanf(p, "%u$%n", &iterations, &consumed) != 1 || consumed == 0) return 0;
    if (iterations < 1000 || iterations > 10000000) return 0;
    p += consumed;
    const char *dollar = strchr(p, '$');
    if (!dollar) return 0;
    salt = b64u_decode(p, (size_t)(dollar - p), &salt_len);
    want = b64u_decode(dollar + 1, strlen(dollar + 1), &want_len);
    if (!salt || !want || want_len != HASH_LEN) goto cleanup;
    if (derive(secret, salt, salt_len, iterations, hash) != 0) goto cleanup;
    for (size_t i = 0; i < HASH_LEN; i++)
        diff |= (unsigned char)(hash[i] ^ want[i]);
    ok = diff == 0;
cleanup:
    free(salt);
    free(want);
    return ok;
}
