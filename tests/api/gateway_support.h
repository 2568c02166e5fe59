/* Support for the gateway's API tests: a private gateway process started with its own settings,
 * a stub upstream service it forwards to, and test keys with hand-signed tokens. */
#ifndef TESTS_GATEWAY_SUPPORT_H
#define TESTS_GATEWAY_SUPPORT_H

#include <gnutls/abstract.h>
#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- stub upstream ---- */
enum stub_mode { STUB_ANSWER, STUB_SLOW };

/* Starts (or restarts on the same port) a stub HTTP service on loopback. It answers every request
 * 201 with ETag, Location, Link, Retry-After, Set-Cookie headers and a JSON body describing what
 * it received: {"method","target","authorization","request_id","if_match","idempotency_key",
 * "content_type","body","leaked"} ("leaked": the caller-identity headers it saw). */
int stub_start(int port);
void stub_stop(void);
void stub_set_mode(enum stub_mode mode);
int stub_requests(void);

/* ---- private gateway ---- */
struct gw_proc {
    pid_t pid;
    int port;
    char url[64];
    char token_secret[80];
    char internal_secret[80];
};

int free_port(void);
/* Starts build/<FLAVOR>/bin/gateway with the secrets of `g`, PROJECTS_URL at the stub and the
 * given NULL-terminated "NAME=value" settings; waits for /healthz. Returns 0 on success. */
int gw_start(struct gw_proc *g, const char *name, int stub_port, const char *const *settings);
void gw_stop(struct gw_proc *g);

/* ---- keys and tokens ---- */
struct test_key {
    gnutls_privkey_t priv;
    int is_ec;
    char *pub_pem;
};
int key_generate(struct test_key *key, int ec);
void key_free(struct test_key *key);
json_t *key_jwk(const struct test_key *key, const char *kid);
/* header.payload.signature, signed for alg "RS256"/"ES256" with key or "HS256" with secret; any
 * other alg gives an empty signature. malloc'd. */
char *sign_token(const char *header, const char *payload, const char *alg,
                 const struct test_key *key, const void *secret, size_t secret_len);

#endif
