/* Key store for bearer-token verification. JWKs are converted to PEM with GnuTLS because libjwt
 * 1.10.2 only takes PEM public keys. The JWKS location comes from configuration only: headers of
 * a token (jku, x5u, jwk) never add or select a source. */
#include "jwks.h"
#include "b64url.h"

#include <curl/curl.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jwks {
    pthread_mutex_t lock;
    jwks_key_t **keys; /* from the JWKS source */
    size_t n_keys;
    jwks_key_t *own; /* HS256 key of tokens the gateway issues, or NULL */
    char *source;
    char *issuer;
    int refresh_min_interval;
    long fetch_timeout_ms;
    time_t last_refresh;
    int refreshing;
};

static void key_free(jwks_key_t *key)
{
    if (!key) return;
    free(key->issuer);
    if (key->material) {
        /* Secrets should not linger in freed memory. */
        explicit_bzero(key->material, key->material_len);
        free(key->material);
    }
    free(key);
}

void jwks_key_release(jwks_key_t *key)
{
    if (key && __atomic_sub_fetch(&key->refs, 1, __ATOMIC_ACQ_REL) == 0) key_free(key);
}

static jwks_key_t *key_new(const char *kid, jwt_alg_t alg, const char *issuer)
{
    jwks_key_t *key = calloc(1, sizeof *key);
    if (!key) return NULL;
    if (kid) snprintf(key->kid, sizeof key->kid, "%s", kid);
    key->alg = alg;
    key->issuer = strdup(issuer ? issuer : "");
    key->refs = 1;
    if (!key->issuer) {
        free(key);
        return NULL;
    }
    return key;
}

/* Decodes a base64url JWK member into a GnuTLS datum (caller frees data). */
static int member_bytes(const json_t *jwk, const char *name, gnutls_datum_t *out)
{
    const char *text = json_string_value(json_object_get(jwk, name));
    size_t len = 0;
    if (!text || !*text) return -1;
    unsigned char *bytes = b64u_decode(text, strlen(text), &len);
    if (!bytes || len == 0 || len > 1024) {
        free(bytes);
        return -1;
    }
    out->data = bytes;
    out->size = (unsigned)len;
    return 0;
}

static int pubkey_to_pem(gnutls_pubkey_t pub, jwks_key_t *key)
{
    gnutls_datum_t pem = {NULL, 0};
    if (gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_PEM, &pem) < 0) return -1;
    key->material = malloc(pem.size + 1);
    if (key->material) {
        memcpy(key->material, pem.data, pem.size);
        key->material[pem.size] = '\0';
        key->material_len = pem.size;
    }
    gnutls_free(pem.data);
    return key->material ? 0 : -1;
}

static int import_rsa(const json_t *jwk, gnutls_pubkey_t pub)
{
    gnutls_datum_t n = {NULL, 0}, e = {NULL, 0};
    unsigned bits = 0;
    int rc = -1;
    if (member_bytes(jwk, "n", &n) != 0 || member_bytes(jwk, "e", &e) != 0) goto cleanup;
    if (gnutls_pubkey_import_rsa_raw(pub, &n, &e) < 0) goto cleanup;
    if (gnutls_pubkey_get_pk_algorithm(pub, &bits) != GNUTLS_PK_RSA) goto cleanup;
    if (bits < JWKS_RSA_BITS_MIN) goto cleanup;
    rc = 0;
cleanup:
    free(n.data);
    free(e.data);
    return rc;
}

static int import_ec(const json_t *jwk, gnutls_pubkey_t pub)
{
    gnutls_datum_t x = {NULL, 0}, y = {NULL, 0};
    int rc = -1;
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    if (!crv || strcmp(crv, "P-256") != 0) goto cleanup;
    if (member_bytes(jwk, "x", &x) != 0 || member_bytes(jwk, "y", &y) != 0) goto cleanup;
    if (x.size != 32 || y.size != 32) goto cleanup;
    if (gnutls_pubkey_import_ecc_raw(pub, GNUTLS_ECC_CURVE_SECP256R1, &x, &y) < 0) goto cleanup;
    /* Refuses points off the curve (invalid-curve attacks). */
    if (gnutls_pubkey_verify_params(pub) < 0) goto cleanup;
    rc = 0;
cleanup:
    free(x.data);
    free(y.data);
    return rc;
}

jwks_key_t *jwks_key_from_jwk(const json_t *jwk, const char *issuer)
{
    gnutls_pubkey_t pub = NULL;
    jwks_key_t *key = NULL;
    if (!json_is_object(jwk)) return NULL;
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const json_t *alg_member = json_object_get(jwk, "alg");
    const json_t *use = json_object_get(jwk, "use");
    const json_t *kid_member = json_object_get(jwk, "kid");
    const char *alg_text = json_string_value(alg_member);
    const char *kid = json_string_value(kid_member);
    jwt_alg_t alg;

    if (!kty) return NULL;
    if (use && (!json_is_string(use) || strcmp(json_string_value(use), "sig") != 0)) return NULL;
    if (alg_member && !alg_text) return NULL;
    if (kid_member && (!kid || strlen(kid) > JWKS_KID_MAX)) return NULL;
    if (strcmp(kty, "RSA") == 0) {
        alg = JWT_ALG_RS256;
        if (alg_text && strcmp(alg_text, "RS256") != 0) return NULL;
    } else if (strcmp(kty, "EC") == 0) {
        alg = JWT_ALG_ES256;
        if (alg_text && strcmp(alg_text, "ES256") != 0) return NULL;
    } else {
        return NULL; /* symmetric ("oct") keys are never taken from a JWKS */
    }

    if (gnutls_pubkey_init(&pub) < 0) return NULL;
    if ((alg == JWT_ALG_RS256 ? import_rsa(jwk, pub) : import_ec(jwk, pub)) != 0) goto fail;
    key = key_new(kid, alg, issuer);
    if (!key || pubkey_to_pem(pub, key) != 0) goto fail;
    gnutls_pubkey_deinit(pub);
    return key;
fail:
    key_free(key);
    gnutls_pubkey_deinit(pub);
    return NULL;
}

static void release_all(jwks_key_t **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        jwks_key_release(keys[i]);
    free(keys);
}

static int kid_taken(jwks_key_t **keys, size_t n, const jwks_key_t *own, const char *kid)
{
    if (!*kid) return 0;
    if (own && strcmp(own->kid, kid) == 0) return 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i]->kid, kid) == 0) return 1;
    return 0;
}

int jwks_load_json(jwks_t *jwks, const char *json, size_t len)
{
    json_error_t error;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &error);
    jwks_key_t **keys = NULL, **old = NULL;
    size_t n = 0, n_old = 0;
    int rc = -1;
    const json_t *list = json_object_get(doc, "keys");
    if (!json_is_array(list)) goto cleanup;
    keys = calloc(json_array_size(list) + 1, sizeof *keys);
    if (!keys) goto cleanup;
    size_t i;
    const json_t *jwk;
    json_array_foreach(list, i, jwk)
    {
        jwks_key_t *key = jwks_key_from_jwk(jwk, jwks->issuer);
        if (!key) continue;
        /* A kid names one key: a duplicate (or the gateway's own kid) would make it ambiguous. */
        if (kid_taken(keys, n, jwks->own, key->kid)) {
            jwks_key_release(key);
            continue;
        }
        keys[n++] = key;
    }
    pthread_mutex_lock(&jwks->lock);
    old = jwks->keys;
    n_old = jwks->n_keys;
    jwks->keys = keys;
    jwks->n_keys = n;
    pthread_mutex_unlock(&jwks->lock);
    keys = NULL;
    release_all(old, n_old);
    rc = (int)n;
cleanup:
    free(keys);
    json_decref(doc);
    return rc;
}

struct buffer {
    char *data;
    size_t len;
};

static size_t buffer_append(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct buffer *buf = userdata;
    size_t add = size * nmemb;
    if (buf->len + add > JWKS_DOCUMENT_MAX) return 0; /* aborts the transfer */
    char *grown = realloc(buf->data, buf->len + add + 1);
    if (!grown) return 0;
    memcpy(grown + buf->len, ptr, add);
    buf->data = grown;
    buf->len += add;
    buf->data[buf->len] = '\0';
    return add;
}

static int fetch_url(const char *url, long timeout_ms, struct buffer *out)
{
    CURL *curl = curl_easy_init();
    long status = 0;
    int rc = -1;
    if (!curl) return -1;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 5000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, buffer_append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    if (curl_easy_perform(curl) == CURLE_OK &&
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200)
        rc = 0;
    curl_easy_cleanup(curl);
    return rc;
}

static int read_file(const char *path, struct buffer *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[4096];
    size_t got;
    int rc = 0;
    if (!f) return -1;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buffer_append(chunk, 1, got, out) != got) {
            rc = -1;
            break;
        }
    if (ferror(f)) rc = -1;
    fclose(f);
    return rc;
}

static int is_url(const char *source)
{
    return strncmp(source, "http://", 7) == 0 || strncmp(source, "https://", 8) == 0;
}

int jwks_refresh(jwks_t *jwks)
{
    struct buffer buf = {NULL, 0};
    int rc = -1;
    if (!jwks->source) return 0;
    int got = is_url(jwks->source) ? fetch_url(jwks->source, jwks->fetch_timeout_ms, &buf)
                                   : read_file(jwks->source, &buf);
    if (got == 0 && buf.data) rc = jwks_load_json(jwks, buf.data, buf.len);
    free(buf.data);
    if (rc < 0) fprintf(stderr, "jwks: could not load keys from %s\n", jwks->source);
    return rc;
}

jwks_t *jwks_new(const struct jwks_config *cfg)
{
    jwks_t *jwks = calloc(1, sizeof *jwks);
    if (!jwks) return NULL;
    pthread_mutex_init(&jwks->lock, NULL);
    jwks->refresh_min_interval = cfg->refresh_min_interval > 0 ? cfg->refresh_min_interval : 30;
    jwks->fetch_timeout_ms = cfg->fetch_timeout_ms;
    jwks->issuer = strdup(cfg->issuer ? cfg->issuer : "");
    if (!jwks->issuer) goto fail;
    if (cfg->source && *cfg->source && !(jwks->source = strdup(cfg->source))) goto fail;

    if (cfg->hs256_secret) {
        if (cfg->hs256_secret_len < JWKS_HS_SECRET_MIN || !cfg->hs256_kid ||
            strlen(cfg->hs256_kid) > JWKS_KID_MAX)
            goto fail;
        jwks->own = key_new(cfg->hs256_kid, JWT_ALG_HS256, cfg->hs256_issuer);
        if (!jwks->own || !(jwks->own->material = malloc(cfg->hs256_secret_len))) goto fail;
        memcpy(jwks->own->material, cfg->hs256_secret, cfg->hs256_secret_len);
        jwks->own->material_len = cfg->hs256_secret_len;
    }
    if (jwks->source) {
        jwks->last_refresh = time(NULL);
        /* An identity provider that is down at start-up is retried on the first unknown kid;
         * a key file that cannot be read is a configuration error. */
        if (jwks_refresh(jwks) < 0 && !is_url(jwks->source)) goto fail;
    }
    return jwks;
fail:
    jwks_free(jwks);
    return NULL;
}

void jwks_free(jwks_t *jwks)
{
    if (!jwks) return;
    release_all(jwks->keys, jwks->n_keys);
    jwks_key_release(jwks->own);
    free(jwks->source);
    free(jwks->issuer);
    pthread_mutex_destroy(&jwks->lock);
    free(jwks);
}

/* Caller holds the lock. */
static enum jwks_lookup find_locked(jwks_t *jwks, const char *kid, jwt_alg_t alg, jwks_key_t **out)
{
    jwks_key_t *match = NULL;
    size_t candidates = 0;
    if (kid) {
        if (!*kid) return JWKS_NO_KEY;
        if (jwks->own && strcmp(jwks->own->kid, kid) == 0) match = jwks->own;
        for (size_t i = 0; !match && i < jwks->n_keys; i++)
            if (strcmp(jwks->keys[i]->kid, kid) == 0) match = jwks->keys[i];
        if (!match) return JWKS_NO_KEY;
        if (match->alg != alg) return JWKS_WRONG_ALG;
    } else {
        if (jwks->own && jwks->own->alg == alg) {
            match = jwks->own;
            candidates++;
        }
        for (size_t i = 0; i < jwks->n_keys; i++)
            if (jwks->keys[i]->alg == alg) {
                match = jwks->keys[i];
                candidates++;
            }
        if (candidates != 1) return JWKS_NO_KEY;
    }
    __atomic_add_fetch(&match->refs, 1, __ATOMIC_ACQ_REL);
    *out = match;
    return JWKS_FOUND;
}

enum jwks_lookup jwks_find(jwks_t *jwks, const char *kid, jwt_alg_t alg, time_t now,
                           jwks_key_t **out)
{
    int refresh = 0;
    *out = NULL;
    pthread_mutex_lock(&jwks->lock);
    enum jwks_lookup found = find_locked(jwks, kid, alg, out);
    /* An unknown key may mean the provider rotated its keys: reload, but at most once per
     * interval so that tokens with invented kids cannot turn the gateway into a load source. */
    if (found == JWKS_NO_KEY && jwks->source && !jwks->refreshing &&
        now - jwks->last_refresh >= jwks->refresh_min_interval) {
        jwks->refreshing = 1;
        jwks->last_refresh = now;
        refresh = 1;
    }
    pthread_mutex_unlock(&jwks->lock);
    if (!refresh) return found;

    jwks_refresh(jwks);
    pthread_mutex_lock(&jwks->lock);
    jwks->refreshing = 0;
    found = find_locked(jwks, kid, alg, out);
    pthread_mutex_unlock(&jwks->lock);
    return found;
}

size_t jwks_count(jwks_t *jwks)
{
    pthread_mutex_lock(&jwks->lock);
    size_t n = jwks->n_keys + (jwks->own ? 1 : 0);
    pthread_mutex_unlock(&jwks->lock);
    return n;
}
