/* The key store: JWK conversion rules, reload on an unknown kid (rate-limited), JWKS over HTTP,
 * plus the base64url codec and the verified-token cache it relies on. */
#include "b64url.h"
#include "../../services/gateway/jwks.h"
#include "../../services/gateway/tokcache.h"
#include "test_jwt_keys.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ISS "https://idp.example.test"

static struct test_key rsa, rsa2, ec, small_rsa;
static char tmpdir[] = "/tmp/test_jwt_jwks.XXXXXX";

static void keys_setup(void)
{
    ck_assert_int_eq(test_key_generate(&rsa, 0, 2048), 0);
    ck_assert_int_eq(test_key_generate(&rsa2, 0, 3072), 0);
    ck_assert_int_eq(test_key_generate(&ec, 1, 0), 0);
    ck_assert_int_eq(test_key_generate(&small_rsa, 0, 1024), 0);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void keys_teardown(void)
{
    test_key_free(&rsa);
    test_key_free(&rsa2);
    test_key_free(&ec);
    test_key_free(&small_rsa);
    rmdir(tmpdir);
}

/* A JWKS document from JWKs given as arguments ending with END (references are stolen). */
#define END ((json_t *)0)
static char *document(json_t *first, ...)
{
    json_t *list = json_array();
    va_list ap;
    va_start(ap, first);
    for (json_t *jwk = first; jwk; jwk = va_arg(ap, json_t *))
        json_array_append_new(list, jwk);
    va_end(ap);
    json_t *doc = json_pack("{s:o}", "keys", list);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

static jwks_t *store_from(const char *source)
{
    struct jwks_config cfg = {.source = source, .issuer = ISS, .refresh_min_interval = 30};
    return jwks_new(&cfg);
}

static int load(jwks_t *store, const char *doc)
{
    return jwks_load_json(store, doc, strlen(doc));
}

START_TEST(rsa_and_ec_jwks_become_pem_keys_bound_to_one_alg)
{
    jwks_t *store = store_from(NULL);
    char *doc = document(test_key_jwk(&rsa, "r", "RS256"), test_key_jwk(&ec, "e", "ES256"), END);
    ck_assert_int_eq(load(store, doc), 2);
    jwks_key_t *key = NULL;
    ck_assert_int_eq(jwks_find(store, "r", JWT_ALG_RS256, 0, &key), JWKS_FOUND);
    /* The PEM made from n and e is the very key GnuTLS exports from the private key. */
    ck_assert_str_eq((const char *)key->material, rsa.pub_pem);
    ck_assert_str_eq(key->issuer, ISS);
    jwks_key_release(key);
    ck_assert_int_eq(jwks_find(store, "e", JWT_ALG_ES256, 0, &key), JWKS_FOUND);
    ck_assert_str_eq((const char *)key->material, ec.pub_pem);
    jwks_key_release(key);
    ck_assert_int_eq(jwks_find(store, "e", JWT_ALG_RS256, 0, &key), JWKS_WRONG_ALG);
    ck_assert_int_eq(jwks_find(store, "r", JWT_ALG_HS256, 0, &key), JWKS_WRONG_ALG);
    ck_assert_ptr_null(key);
    ck_assert_int_eq(jwks_find(store, "", JWT_ALG_RS256, 0, &key), JWKS_NO_KEY);
    free(doc);
    jwks_free(store);
}
END_TEST

START_TEST(unsupported_or_unsafe_jwks_are_skipped)
{
    jwks_t *store = store_from(NULL);
    json_t *enc = test_key_jwk(&rsa, "enc", NULL);
    json_object_set_new(enc, "use", json_string("enc"));
    json_t *bad_curve = test_key_jwk(&ec, "p384", NULL);
    json_object_set_new(bad_curve, "crv", json_string("P-384"));
    json_t *off_curve = test_key_jwk(&ec, "off", NULL);
    json_object_set_new(off_curve, "y", json_string("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"));
    json_t *long_kid = test_key_jwk(&rsa, NULL, NULL);
    char kid[JWKS_KID_MAX + 2];
    memset(kid, 'k', sizeof kid - 1);
    kid[sizeof kid - 1] = '\0';
    json_object_set_new(long_kid, "kid", json_string(kid));
    char *doc = document(
        test_key_jwk(&rsa, "rs512", "RS512"),       /* bound to an algorithm we refuse */
        test_key_jwk(&ec, "ec-as-rsa", "RS256"),    /* alg does not fit the key type */
        test_key_jwk(&small_rsa, "small", "RS256"), /* under 2048 bits */
        json_pack("{s:s,s:s,s:s}", "kty", "oct", "kid", "oct", "k", "c2VjcmV0"), enc, bad_curve,
        off_curve, long_kid, json_pack("{s:s,s:s}", "kty", "RSA", "kid", "no-n"),
        json_string("not an object"), test_key_jwk(&rsa, "ok", NULL), END);
    ck_assert_int_eq(load(store, doc), 1);
    jwks_key_t *key = NULL;
    ck_assert_int_eq(jwks_find(store, "ok", JWT_ALG_RS256, 0, &key), JWKS_FOUND);
    jwks_key_release(key);
    ck_assert_int_eq(jwks_find(store, "oct", JWT_ALG_HS256, 0, &key), JWKS_NO_KEY);
    free(doc);
    jwks_free(store);
}
END_TEST

START_TEST(duplicate_kids_keep_the_first_and_no_kid_needs_a_single_key)
{
    jwks_t *store = store_from(NULL);
    char *doc = document(test_key_jwk(&rsa, "same", NULL), test_key_jwk(&rsa2, "same", NULL),
                         test_key_jwk(&ec, NULL, NULL), END);
    ck_assert_int_eq(load(store, doc), 2);
    jwks_key_t *key = NULL;
    ck_assert_int_eq(jwks_find(store, "same", JWT_ALG_RS256, 0, &key), JWKS_FOUND);
    ck_assert_str_eq((const char *)key->material, rsa.pub_pem);
    jwks_key_release(key);
    ck_assert_int_eq(jwks_find(store, NULL, JWT_ALG_ES256, 0, &key), JWKS_FOUND);
    jwks_key_release(key);
    free(doc);
    doc = document(test_key_jwk(&rsa, "a", NULL), test_key_jwk(&rsa2, "b", NULL), END);
    ck_assert_int_eq(load(store, doc), 2);
    ck_assert_int_eq(jwks_find(store, NULL, JWT_ALG_RS256, 0, &key), JWKS_NO_KEY);
    free(doc);
    jwks_free(store);
}
END_TEST

START_TEST(invalid_document_keeps_the_previous_keys)
{
    jwks_t *store = store_from(NULL);
    char *doc = document(test_key_jwk(&rsa, "a", NULL), END);
    ck_assert_int_eq(load(store, doc), 1);
    ck_assert_int_eq(load(store, "{\"keys\":{}}"), -1);
    ck_assert_int_eq(load(store, "not json"), -1);
    ck_assert_int_eq(load(store, "{\"keys\":[],\"keys\":[]}"), -1);
    ck_assert_uint_eq(jwks_count(store), 1);
    free(doc);
    jwks_free(store);
}
END_TEST

START_TEST(held_key_survives_a_refresh)
{
    jwks_t *store = store_from(NULL);
    char *doc = document(test_key_jwk(&rsa, "a", NULL), END);
    load(store, doc);
    jwks_key_t *key = NULL;
    ck_assert_int_eq(jwks_find(store, "a", JWT_ALG_RS256, 0, &key), JWKS_FOUND);
    ck_assert_int_eq(load(store, "{\"keys\":[]}"), 0);
    ck_assert_str_eq((const char *)key->material, rsa.pub_pem); /* still readable (ASan) */
    jwks_key_release(key);
    free(doc);
    jwks_free(store);
}
END_TEST

START_TEST(unknown_kid_reloads_the_file_at_most_once_per_interval)
{
    char *doc = document(test_key_jwk(&rsa, "old", NULL), END);
    char *path = test_write_file(tmpdir, "rotating.json", doc);
    free(doc);
    jwks_t *store = store_from(path);
    ck_assert_ptr_nonnull(store);
    jwks_key_t *key = NULL;
    time_t t0 = time(NULL);
    /* The provider rotates: "new" appears. Within the interval the file is not read again. */
    doc = document(test_key_jwk(&rsa, "old", NULL), test_key_jwk(&rsa2, "new", NULL), END);
    free(test_write_file(tmpdir, "rotating.json", doc));
    free(doc);
    ck_assert_int_eq(jwks_find(store, "new", JWT_ALG_RS256, t0 + 5, &key), JWKS_NO_KEY);
    ck_assert_int_eq(jwks_find(store, "new", JWT_ALG_RS256, t0 + 31, &key), JWKS_FOUND);
    jwks_key_release(key);
    /* Once rotated out, the next unknown kid after the interval drops the old key too. */
    doc = document(test_key_jwk(&rsa2, "new", NULL), END);
    free(test_write_file(tmpdir, "rotating.json", doc));
    free(doc);
    ck_assert_int_eq(jwks_find(store, "old", JWT_ALG_RS256, t0 + 40, &key), JWKS_FOUND);
    jwks_key_release(key);
    ck_assert_int_eq(jwks_find(store, "other", JWT_ALG_RS256, t0 + 62, &key), JWKS_NO_KEY);
    ck_assert_int_eq(jwks_find(store, "old", JWT_ALG_RS256, t0 + 63, &key), JWKS_NO_KEY);
    jwks_free(store);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(bad_configuration_is_refused)
{
    struct jwks_config cfg = {.source = "/nonexistent/jwks.json", .issuer = ISS};
    ck_assert_ptr_null(jwks_new(&cfg));
    cfg.source = NULL;
    cfg.hs256_kid = "gw";
    cfg.hs256_secret = (const unsigned char *)"short";
    cfg.hs256_secret_len = 5;
    ck_assert_ptr_null(jwks_new(&cfg));
    cfg.hs256_secret = (const unsigned char *)"";
    cfg.hs256_secret_len = 0;
    ck_assert_ptr_null(jwks_new(&cfg));
    cfg.hs256_secret = (const unsigned char *)"0123456789abcdef0123456789abcdef";
    cfg.hs256_secret_len = 32;
    jwks_t *store = jwks_new(&cfg);
    ck_assert_ptr_nonnull(store);
    ck_assert_uint_eq(jwks_count(store), 1);
    jwks_free(store);
}
END_TEST

/* A one-shot HTTP server on a loopback port that answers every request with `body`. */
struct http_once {
    int fd;
    int port;
    const char *body;
    int status;
    int requests;
    pthread_t thread;
};

static void *serve(void *arg)
{
    struct http_once *h = arg;
    for (;;) {
        int c = accept(h->fd, NULL, NULL);
        if (c < 0) break;
        char req[4096];
        ssize_t got = recv(c, req, sizeof req, 0);
        if (got > 0) {
            char head[256];
            int n = snprintf(head, sizeof head,
                             "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                             h->status, strlen(h->body));
            __atomic_add_fetch(&h->requests, 1, __ATOMIC_SEQ_CST);
            if (send(c, head, (size_t)n, MSG_NOSIGNAL) < 0 ||
                send(c, h->body, strlen(h->body), MSG_NOSIGNAL) < 0)
                perror("send");
        }
        close(c);
    }
    return NULL;
}

static void http_start(struct http_once *h)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    h->fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(h->fd, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(listen(h->fd, 8), 0);
    getsockname(h->fd, (struct sockaddr *)&addr, &len);
    h->port = ntohs(addr.sin_port);
    pthread_create(&h->thread, NULL, serve, h);
}

static void http_stop(struct http_once *h)
{
    shutdown(h->fd, SHUT_RDWR);
    close(h->fd);
    pthread_join(h->thread, NULL);
}

START_TEST(jwks_is_fetched_from_a_configured_url)
{
    char *doc = document(test_key_jwk(&ec, "e", NULL), END);
    struct http_once h = {.body = doc, .status = 200};
    http_start(&h);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/jwks.json", h.port);
    struct jwks_config cfg = {.source = url, .issuer = ISS, .fetch_timeout_ms = 2000};
    jwks_t *store = jwks_new(&cfg);
    ck_assert_ptr_nonnull(store);
    ck_assert_uint_eq(jwks_count(store), 1);
    ck_assert_int_eq(h.requests, 1);
    /* An error answer keeps the keys. */
    h.status = 500;
    ck_assert_int_eq(jwks_refresh(store), -1);
    ck_assert_uint_eq(jwks_count(store), 1);
    jwks_free(store);
    http_stop(&h);
    free(doc);
}
END_TEST

START_TEST(unreachable_url_at_start_is_retried_later)
{
    char *doc = document(test_key_jwk(&ec, "e", NULL), END);
    struct http_once h = {.body = doc, .status = 503};
    http_start(&h);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/jwks.json", h.port);
    struct jwks_config cfg = {
        .source = url, .issuer = ISS, .fetch_timeout_ms = 2000, .refresh_min_interval = 10};
    jwks_t *store = jwks_new(&cfg);
    ck_assert_ptr_nonnull(store);
    ck_assert_uint_eq(jwks_count(store), 0);
    h.status = 200;
    jwks_key_t *key = NULL;
    ck_assert_int_eq(jwks_find(store, "e", JWT_ALG_ES256, time(NULL) + 11, &key), JWKS_FOUND);
    jwks_key_release(key);
    ck_assert_int_eq(h.requests, 2);
    jwks_free(store);
    http_stop(&h);
    free(doc);
}
END_TEST

START_TEST(base64url_is_strict)
{
    size_t len = 0;
    unsigned char *out = b64u_decode("SGk", 3, &len);
    ck_assert_uint_eq(len, 2);
    ck_assert_mem_eq(out, "Hi", 2);
    free(out);
    ck_assert_ptr_null(b64u_decode("SGl", 3, &len)); /* nonzero unused bits */
    ck_assert_ptr_null(b64u_decode("SGk=", 4, &len));
    ck_assert_ptr_null(b64u_decode("S", 1, &len));
    ck_assert_ptr_null(b64u_decode("S+8", 3, &len));
    ck_assert_int_eq(b64u_is_canonical("SGk", 3), 1);
    ck_assert_int_eq(b64u_is_canonical("SGl", 3), 0);
    ck_assert_int_eq(b64u_is_canonical("QQ", 2), 1);
    ck_assert_int_eq(b64u_is_canonical("QR", 2), 0);
    char *enc = b64u_encode((const unsigned char *)"\xfb\xff", 2);
    ck_assert_str_eq(enc, "-_8");
    free(enc);
    enc = b64u_encode((const unsigned char *)"abc", 3);
    ck_assert_str_eq(enc, "YWJj");
    free(enc);
}
END_TEST

START_TEST(token_cache_hits_until_expiry_and_is_bounded)
{
    tokcache_t *cache = tokcache_new(4);
    struct identity who = {.caller = {.sub = "a", .roles = 3}, .exp = 100}, out;
    tokcache_put(cache, "tok-a", 5, &who, 160);
    ck_assert_int_eq(tokcache_get(cache, "tok-a", 5, 159, &out), 1);
    ck_assert_str_eq(out.caller.sub, "a");
    ck_assert_int_eq(tokcache_get(cache, "tok-a", 5, 160, &out), 0);
    ck_assert_int_eq(tokcache_get(cache, "tok-b", 5, 10, &out), 0);
    /* Many more tokens than slots: still a fixed size, and never a wrong identity. */
    for (int i = 0; i < 100; i++) {
        char tok[16];
        struct identity w = {.exp = 1000};
        snprintf(w.caller.sub, sizeof w.caller.sub, "s%d", i);
        snprintf(tok, sizeof tok, "t%d", i);
        tokcache_put(cache, tok, strlen(tok), &w, 1000);
    }
    int hits = 0;
    for (int i = 0; i < 100; i++) {
        char tok[16], sub[16];
        snprintf(tok, sizeof tok, "t%d", i);
        snprintf(sub, sizeof sub, "s%d", i);
        if (tokcache_get(cache, tok, strlen(tok), 10, &out)) {
            hits++;
            ck_assert_str_eq(out.caller.sub, sub);
        }
    }
    ck_assert_int_le(hits, 4);
    ck_assert_int_ge(hits, 1);
    tokcache_free(cache);
    cache = tokcache_new(0);
    tokcache_put(cache, "x", 1, &who, 1000);
    ck_assert_int_eq(tokcache_get(cache, "x", 1, 0, &out), 0);
    tokcache_free(cache);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("jwt_jwks");
    TCase *tc = tcase_create("keys");
    tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rsa_and_ec_jwks_become_pem_keys_bound_to_one_alg);
    tcase_add_test(tc, unsupported_or_unsafe_jwks_are_skipped);
    tcase_add_test(tc, duplicate_kids_keep_the_first_and_no_kid_needs_a_single_key);
    tcase_add_test(tc, invalid_document_keeps_the_previous_keys);
    tcase_add_test(tc, held_key_survives_a_refresh);
    tcase_add_test(tc, unknown_kid_reloads_the_file_at_most_once_per_interval);
    tcase_add_test(tc, bad_configuration_is_refused);
    tcase_add_test(tc, jwks_is_fetched_from_a_configured_url);
    tcase_add_test(tc, unreachable_url_at_start_is_retried_later);
    tcase_add_test(tc, base64url_is_strict);
    tcase_add_test(tc, token_cache_hits_until_expiry_and_is_bounded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
