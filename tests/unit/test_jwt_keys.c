/* Key generation and hand-made JWS for the token tests. */
#include "test_jwt_keys.h"
#include "b64url.h"

#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int test_key_generate(struct test_key *key, int ec, unsigned bits)
{
    gnutls_pubkey_t pub = NULL;
    gnutls_datum_t pem = {NULL, 0};
    memset(key, 0, sizeof *key);
    key->is_ec = ec;
    if (gnutls_privkey_init(&key->priv) < 0) return -1;
    if (gnutls_privkey_generate2(key->priv, ec ? GNUTLS_PK_ECDSA : GNUTLS_PK_RSA,
                                 ec ? GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1) : bits, 0,
                                 NULL, 0) < 0)
        return -1;
    if (gnutls_pubkey_init(&pub) < 0) return -1;
    int rc = gnutls_pubkey_import_privkey(pub, key->priv, 0, 0) < 0 ||
                     gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_PEM, &pem) < 0
                 ? -1
                 : 0;
    if (rc == 0) key->pub_pem = strndup((const char *)pem.data, pem.size);
    gnutls_free(pem.data);
    gnutls_pubkey_deinit(pub);
    return rc;
}

void test_key_free(struct test_key *key)
{
    gnutls_privkey_deinit(key->priv);
    free(key->pub_pem);
    memset(key, 0, sizeof *key);
}

/* Big-endian unsigned value as exactly `width` bytes (0: minimal length). */
static char *encode_uint(const gnutls_datum_t *d, size_t width)
{
    const unsigned char *p = d->data;
    size_t n = d->size;
    unsigned char buf[1024] = {0};
    while (n > 1 && *p == 0)
        p++, n--;
    if (!width) width = n;
    if (n > width || width > sizeof buf) return NULL;
    memcpy(buf + width - n, p, n);
    return b64u_encode(buf, width);
}

json_t *test_key_jwk(const struct test_key *key, const char *kid, const char *alg)
{
    json_t *jwk = json_object();
    gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
    char *ea = NULL, *eb = NULL;
    if (key->is_ec) {
        gnutls_ecc_curve_t curve;
        gnutls_privkey_export_ecc_raw2(key->priv, &curve, &a, &b, NULL, 0);
        ea = encode_uint(&a, 32);
        eb = encode_uint(&b, 32);
        json_object_set_new(jwk, "kty", json_string("EC"));
        json_object_set_new(jwk, "crv", json_string("P-256"));
        json_object_set_new(jwk, "x", json_string(ea));
        json_object_set_new(jwk, "y", json_string(eb));
    } else {
        gnutls_privkey_export_rsa_raw2(key->priv, &a, &b, NULL, NULL, NULL, NULL, NULL, NULL, 0);
        ea = encode_uint(&a, 0);
        eb = encode_uint(&b, 0);
        json_object_set_new(jwk, "kty", json_string("RSA"));
        json_object_set_new(jwk, "n", json_string(ea));
        json_object_set_new(jwk, "e", json_string(eb));
    }
    if (kid) json_object_set_new(jwk, "kid", json_string(kid));
    if (alg) json_object_set_new(jwk, "alg", json_string(alg));
    gnutls_free(a.data);
    gnutls_free(b.data);
    free(ea);
    free(eb);
    return jwk;
}

static char *join3(const char *a, const char *b, const char *c)
{
    size_t len = strlen(a) + strlen(b) + strlen(c) + 3;
    char *out = malloc(len);
    snprintf(out, len, "%s.%s.%s", a, b, c);
    return out;
}

char *test_sign(const char *header_json, const char *payload_json, const char *alg,
                const struct test_key *key, const void *secret, size_t secret_len)
{
    char *h = b64u_encode((const unsigned char *)header_json, strlen(header_json));
    char *p = b64u_encode((const unsigned char *)payload_json, strlen(payload_json));
    size_t input_len = strlen(h) + 1 + strlen(p);
    char *input = malloc(input_len + 1);
    char *sig = NULL, *token = NULL;
    snprintf(input, input_len + 1, "%s.%s", h, p);
    gnutls_datum_t data = {(unsigned char *)input, (unsigned)input_len};
    gnutls_datum_t der = {NULL, 0}, r = {NULL, 0}, s = {NULL, 0};

    if (strcmp(alg, "HS256") == 0) {
        unsigned char mac[32];
        gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret, secret_len, input, input_len, mac);
        sig = b64u_encode(mac, sizeof mac);
    } else if (strcmp(alg, "RS256") == 0) {
        if (gnutls_privkey_sign_data(key->priv, GNUTLS_DIG_SHA256, 0, &data, &der) >= 0)
            sig = b64u_encode(der.data, der.size);
    } else if (strcmp(alg, "ES256") == 0) {
        /* JWS wants R || S, 32 bytes each, not the DER that GnuTLS produces. */
        if (gnutls_privkey_sign_data(key->priv, GNUTLS_DIG_SHA256, 0, &data, &der) >= 0 &&
            gnutls_decode_rs_value(&der, &r, &s) >= 0) {
            char *er = encode_uint(&r, 32), *es = encode_uint(&s, 32);
            size_t lr = 0, ls = 0;
            unsigned char *br = b64u_decode(er, strlen(er), &lr);
            unsigned char *bs = b64u_decode(es, strlen(es), &ls);
            unsigned char raw[64];
            memcpy(raw, br, 32);
            memcpy(raw + 32, bs, 32);
            sig = b64u_encode(raw, sizeof raw);
            free(er), free(es), free(br), free(bs);
        }
    } else {
        sig = strdup("");
    }
    if (sig) token = join3(h, p, sig);
    gnutls_free(der.data);
    gnutls_free(r.data);
    gnutls_free(s.data);
    free(sig);
    free(input);
    free(h);
    free(p);
    return token;
}

char *test_write_file(const char *dir, const char *name, const char *text)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}
