/* Test key material generated at run time with GnuTLS, and tokens signed by hand, so that tests
 * can build any header an attacker could send. */
#ifndef TEST_JWT_KEYS_H
#define TEST_JWT_KEYS_H

#include <gnutls/abstract.h>
#include <jansson.h>
#include <stddef.h>

struct test_key {
    gnutls_privkey_t priv;
    int is_ec;
    char *pub_pem; /* SubjectPublicKeyInfo PEM, as an attacker could read from a JWKS */
};

/* RSA of `bits`, or EC P-256 when `ec` is set. Returns 0 on success. */
int test_key_generate(struct test_key *key, int ec, unsigned bits);
void test_key_free(struct test_key *key);

/* The public JWK of `key` (kid and alg added when not NULL). */
json_t *test_key_jwk(const struct test_key *key, const char *kid, const char *alg);

/* header.payload.signature where the signature is made for `alg` ("RS256", "ES256", "HS256")
 * with `key` or `secret`; any other alg gives an empty signature. Returns a malloc'd string. */
char *test_sign(const char *header_json, const char *payload_json, const char *alg,
                const struct test_key *key, const void *secret, size_t secret_len);

/* Writes `text` to `dir`/`name`; returns the malloc'd path. */
char *test_write_file(const char *dir, const char *name, const char *text);

#endif
