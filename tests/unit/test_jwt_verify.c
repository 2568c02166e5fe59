/* The bearer-token verifier against the attack battery of RFC 8725 and the usual JWT mistakes,
 * with keys generated for the run. Every refused token must also leave a good one working. */
#include "b64url.h"
#include "../../services/gateway/jwks.h"
#include "../../services/gateway/jwt_verify.h"
#include "../../services/gateway/mint.h"
#include "test_jwt_keys.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ORG_A     "0a0a0a0a-0000-4000-8000-00000000000a"
#define NOW       1800000000L
#define ISS_IDP   "https://idp.example.test"
#define ISS_GW    "https://gateway.example.test"
#define AUD       "care-hub-api"
#define GW_KID    "gw-1"
#define GW_SECRET "gateway-test-secret-0123456789abcdef"

static struct test_key rsa, ec, attacker;
static char tmpdir[] = "/tmp/test_jwt_verify.XXXXXX";
static char *jwks_path;
static jwks_t *keys;
static verifier_t *verifier;

static char *jwks_document(void)
{
    json_t *doc = json_object(), *list = json_array();
    json_t *rsa_jwk = test_key_jwk(&rsa, "rsa-1", "RS256");
    json_object_set_new(rsa_jwk, "use", json_string("sig"));
    json_array_append_new(list, rsa_jwk);
    json_array_append_new(list, test_key_jwk(&ec, "ec-1", NULL));
    json_object_set_new(doc, "keys", list);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

static void keys_setup(void)
{
    ck_assert_int_eq(test_key_generate(&rsa, 0, 2048), 0);
    ck_assert_int_eq(test_key_generate(&ec, 1, 0), 0);
    ck_assert_int_eq(test_key_generate(&attacker, 0, 2048), 0);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char *doc = jwks_document();
    jwks_path = test_write_file(tmpdir, "jwks.json", doc);
    free(doc);
}

static void keys_teardown(void)
{
    unlink(jwks_path);
    free(jwks_path);
    rmdir(tmpdir);
    test_key_free(&rsa);
    test_key_free(&ec);
    test_key_free(&attacker);
}

static void verifier_setup(void)
{
    static const char *const audiences[] = {AUD, "care-hub-admin"};
    struct jwks_config kc = {
        .source = jwks_path,
        .issuer = ISS_IDP,
        .hs256_kid = GW_KID,
        .hs256_secret = (const unsigned char *)GW_SECRET,
        .hs256_secret_len = strlen(GW_SECRET),
        .hs256_issuer = ISS_GW,
        .refresh_min_interval = 30,
    };
    struct verify_config vc = {
        .audiences = audiences, .n_audiences = 2, .skew_seconds = 60, .cache_slots = 64};
    keys = jwks_new(&kc);
    ck_assert_ptr_nonnull(keys);
    ck_assert_uint_eq(jwks_count(keys), 3);
    verifier = verifier_new(keys, &vc);
    ck_assert_ptr_nonnull(verifier);
}

static void verifier_teardown(void)
{
    verifier_free(verifier);
    jwks_free(keys);
}

/* Claims of a good external token, with `extra` spliced in (or replacing nothing). */
static char *claims(const char *iss, const char *aud_json, long exp_offset, const char *extra)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"iss\":\"%s\",\"aud\":%s,\"sub\":\"user-42\",\"org\":\"" ORG_A "\","
             "\"roles\":[\"project_manager\",\"researcher\",\"unknown_role\"],"
             "\"iat\":%ld,\"exp\":%ld%s%s}",
             iss, aud_json, NOW, NOW + exp_offset, extra ? "," : "", extra ? extra : "");
    return buf;
}

static enum verify_status check(const char *token)
{
    struct identity who;
    ck_assert_ptr_nonnull(token);
    return verifier_check(verifier, token, NOW, &who);
}

static void expect(const char *token, enum verify_status want)
{
    enum verify_status got = check(token);
    ck_assert_msg(got == want, "token %s: got %s, want %s", token, verify_status_name(got),
                  verify_status_name(want));
}

static char *good_rs256(void)
{
    return test_sign("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"rsa-1\"}",
                     claims(ISS_IDP, "\"" AUD "\"", 300, NULL), "RS256", &rsa, NULL, 0);
}

/* The positive case is run after every attack to show that refusals change nothing. */
static void expect_good_still_works(void)
{
    char *token = good_rs256();
    expect(token, VERIFY_OK);
    free(token);
}

START_TEST(rs256_token_is_accepted_with_its_identity)
{
    char *token = good_rs256();
    struct identity who;
    ck_assert_int_eq(verifier_check(verifier, token, NOW, &who), VERIFY_OK);
    ck_assert_str_eq(who.caller.sub, "user-42");
    ck_assert_str_eq(who.caller.org, ORG_A);
    ck_assert_uint_eq(who.caller.roles, ROLE_PROJECT_MANAGER | ROLE_RESEARCHER);
    ck_assert_int_eq(who.exp, NOW + 300);
    free(token);
}
END_TEST

START_TEST(es256_token_is_accepted)
{
    char *token =
        test_sign("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}",
                  claims(ISS_IDP, "[\"other\",\"" AUD "\"]", 300, NULL), "ES256", &ec, NULL, 0);
    expect(token, VERIFY_OK);
    free(token);
}
END_TEST

START_TEST(hs256_token_of_the_gateway_is_accepted)
{
    char *token = test_sign("{\"alg\":\"HS256\",\"kid\":\"" GW_KID "\"}",
                            claims(ISS_GW, "\"" AUD "\"", 300, NULL), "HS256", NULL, GW_SECRET,
                            strlen(GW_SECRET));
    expect(token, VERIFY_OK);
    free(token);
}
END_TEST

START_TEST(minted_token_round_trips)
{
    struct mint_key mk = {GW_KID, (const unsigned char *)GW_SECRET, strlen(GW_SECRET), ISS_GW, AUD};
    struct identity in = {
        .caller = {.sub = "client-7", .org = ORG_A, .roles = ROLE_PROVIDER | ROLE_ADMIN}};
    struct identity out;
    char *token = mint_token(&mk, &in, "projects:write", NOW, 600);
    ck_assert_ptr_nonnull(token);
    ck_assert_int_eq(verifier_check(verifier, token, NOW + 10, &out), VERIFY_OK);
    ck_assert_str_eq(out.caller.sub, "client-7");
    ck_assert_str_eq(out.caller.org, ORG_A);
    ck_assert_uint_eq(out.caller.roles, ROLE_PROVIDER | ROLE_ADMIN);
    ck_assert_int_eq(out.exp, NOW + 600);
    /* Past its lifetime plus the skew it is refused, also when cached. */
    ck_assert_int_eq(verifier_check(verifier, token, NOW + 661, &out), VERIFY_EXPIRED);
    free(token);
}
END_TEST

START_TEST(token_without_kid_uses_the_only_key_of_its_alg)
{
    char *token = test_sign("{\"alg\":\"ES256\"}", claims(ISS_IDP, "\"" AUD "\"", 300, NULL),
                            "ES256", &ec, NULL, 0);
    expect(token, VERIFY_OK);
    free(token);
}
END_TEST

static const char *const none_spellings[] = {"none", "None", "NONE", "nOnE"};

START_TEST(alg_none_with_empty_signature_is_refused)
{
    char header[64];
    snprintf(header, sizeof header, "{\"alg\":\"%s\",\"kid\":\"rsa-1\"}", none_spellings[_i]);
    char *token =
        test_sign(header, claims(ISS_IDP, "\"" AUD "\"", 300, NULL), "none", NULL, NULL, 0);
    ck_assert_int_eq(token[strlen(token) - 1], '.');
    expect(token, VERIFY_MALFORMED);
    /* With some signature bytes attached, the algorithm itself is refused. */
    size_t len = strlen(token);
    char *with_sig = malloc(len + 8);
    snprintf(with_sig, len + 8, "%sAAAA", token);
    expect(with_sig, VERIFY_UNSUPPORTED_ALG);
    free(with_sig);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(signature_removed_is_refused)
{
    char *token = good_rs256();
    char *dot = strrchr(token, '.');
    dot[1] = '\0';
    expect(token, VERIFY_MALFORMED);
    dot[0] = '\0';
    expect(token, VERIFY_MALFORMED);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(signature_tampered_is_refused)
{
    char *token = good_rs256();
    size_t len = strlen(token);
    /* 256 signature bytes end in a character of which only 2 bits count: change a real bit, then
     * only the unused bits (a second spelling of the same signature). */
    char saved[3] = {token[len - 3], token[len - 2], token[len - 1]};
    token[len - 2] = token[len - 2] == 'A' ? 'B' : 'A';
    token[len - 3] = token[len - 3] == 'x' ? 'y' : 'x';
    expect(token, VERIFY_BAD_SIGNATURE);
    memcpy(token + len - 3, saved, 3);
    expect(token, VERIFY_OK);
    int last = token[len - 1];
    token[len - 1] = (char)(last == 'g' ? 'h' : last + 1);
    ck_assert_int_ne(check(token), VERIFY_OK);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(hs256_signed_with_the_rsa_public_key_is_refused)
{
    const char *body = claims(ISS_IDP, "\"" AUD "\"", 300, NULL);
    /* The classic key confusion: the verifier's own public PEM used as an HMAC secret. */
    char *named = test_sign("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", body, "HS256", NULL,
                            rsa.pub_pem, strlen(rsa.pub_pem));
    expect(named, VERIFY_ALG_MISMATCH);
    char *unnamed =
        test_sign("{\"alg\":\"HS256\"}", body, "HS256", NULL, rsa.pub_pem, strlen(rsa.pub_pem));
    expect(unnamed, VERIFY_BAD_SIGNATURE);
    /* The same with the PEM the verifier itself holds (converted from the JWK). */
    jwks_key_t *key = NULL;
    ck_assert_int_eq(jwks_find(keys, "rsa-1", JWT_ALG_RS256, NOW, &key), JWKS_FOUND);
    char *own = test_sign("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", body, "HS256", NULL,
                          key->material, key->material_len);
    expect(own, VERIFY_ALG_MISMATCH);
    jwks_key_release(key);
    free(own);
    free(named);
    free(unnamed);
    expect_good_still_works();
}
END_TEST

START_TEST(hs256_signed_with_an_empty_secret_is_refused)
{
    const char *body = claims(ISS_GW, "\"" AUD "\"", 300, NULL);
    char *token =
        test_sign("{\"alg\":\"HS256\",\"kid\":\"" GW_KID "\"}", body, "HS256", NULL, "", 0);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    token = test_sign("{\"alg\":\"HS256\"}", body, "HS256", NULL, "", 0);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(embedded_jwk_header_is_ignored)
{
    json_t *jwk = test_key_jwk(&attacker, "rsa-1", "RS256");
    char *jwk_text = json_dumps(jwk, JSON_COMPACT);
    char header[4096];
    const char *body = claims(ISS_IDP, "\"" AUD "\"", 300, NULL);
    snprintf(header, sizeof header, "{\"alg\":\"RS256\",\"jwk\":%s}", jwk_text);
    char *token = test_sign(header, body, "RS256", &attacker, NULL, 0);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    snprintf(header, sizeof header, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jwk\":%s}", jwk_text);
    token = test_sign(header, body, "RS256", &attacker, NULL, 0);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    free(jwk_text);
    json_decref(jwk);
    expect_good_still_works();
}
END_TEST

START_TEST(jku_and_x5u_headers_are_ignored)
{
    const char *body = claims(ISS_IDP, "\"" AUD "\"", 300, NULL);
    /* Pointing at the key file itself: if a header could choose a source, this would load it. */
    char header[512];
    snprintf(header, sizeof header, "{\"alg\":\"RS256\",\"kid\":\"evil\",\"jku\":\"file://%s\"}",
             jwks_path);
    char *token = test_sign(header, body, "RS256", &attacker, NULL, 0);
    expect(token, VERIFY_UNKNOWN_KEY);
    free(token);
    token = test_sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\","
                      "\"jku\":\"http://127.0.0.1:9/jwks.json\"}",
                      body, "RS256", &attacker, NULL, 0);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    token = test_sign("{\"alg\":\"RS256\",\"x5u\":\"http://127.0.0.1:9/cert.pem\"}", body, "RS256",
                      &attacker, NULL, 0);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    ck_assert_uint_eq(jwks_count(keys), 3);
    expect_good_still_works();
}
END_TEST

START_TEST(kid_with_path_traversal_or_sql_is_refused)
{
    static const char *const kids[] = {
        "../../../../../../dev/null",
        "/dev/null",
        "x' OR '1'='1",
        "rsa-1' UNION SELECT 'secret' --",
    };
    const char *body = claims(ISS_GW, "\"" AUD "\"", 300, NULL);
    for (size_t i = 0; i < sizeof kids / sizeof *kids; i++) {
        char header[256];
        snprintf(header, sizeof header, "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kids[i]);
        /* /dev/null and "secret" as HMAC keys: what a lookup by file or SQL would have given. */
        char *token = test_sign(header, body, "HS256", NULL, "", 0);
        expect(token, VERIFY_UNKNOWN_KEY);
        free(token);
        token = test_sign(header, body, "HS256", NULL, "secret", 6);
        expect(token, VERIFY_UNKNOWN_KEY);
        free(token);
    }
    expect_good_still_works();
}
END_TEST

START_TEST(es256_all_zero_signature_is_refused)
{
    unsigned char zeros[64] = {0};
    char *sig = b64u_encode(zeros, sizeof zeros);
    char *unsigned_token =
        test_sign("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", claims(ISS_IDP, "\"" AUD "\"", 300, NULL),
                  "none", NULL, NULL, 0);
    size_t len = strlen(unsigned_token) + strlen(sig) + 1;
    char *token = malloc(len);
    snprintf(token, len, "%s%s", unsigned_token, sig);
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    free(unsigned_token);
    free(sig);
    expect_good_still_works();
}
END_TEST

static char *rs256_with(const char *body)
{
    return test_sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", body, "RS256", &rsa, NULL, 0);
}

START_TEST(expired_token_is_refused_beyond_the_skew)
{
    char *token = rs256_with(claims(ISS_IDP, "\"" AUD "\"", -61, NULL));
    expect(token, VERIFY_EXPIRED);
    free(token);
    token = rs256_with(claims(ISS_IDP, "\"" AUD "\"", -30, NULL));
    expect(token, VERIFY_OK);
    free(token);
}
END_TEST

START_TEST(token_not_yet_valid_is_refused_beyond_the_skew)
{
    char extra[64];
    snprintf(extra, sizeof extra, "\"nbf\":%ld", NOW + 120);
    char *token = rs256_with(claims(ISS_IDP, "\"" AUD "\"", 300, extra));
    expect(token, VERIFY_NOT_YET_VALID);
    free(token);
    snprintf(extra, sizeof extra, "\"nbf\":%ld", NOW + 50);
    token = rs256_with(claims(ISS_IDP, "\"" AUD "\"", 300, extra));
    expect(token, VERIFY_OK);
    free(token);
    token = rs256_with(claims(ISS_IDP, "\"" AUD "\"", 300, "\"nbf\":\"soon\""));
    expect(token, VERIFY_BAD_CLAIMS);
    free(token);
}
END_TEST

START_TEST(wrong_audience_is_refused)
{
    static const char *const auds[] = {
        "\"projects\"", "[\"projects\",\"itineraries\"]", "[]", "42", "[42]", "\"care-hub-ap\""};
    for (size_t i = 0; i < sizeof auds / sizeof *auds; i++) {
        char *token = rs256_with(claims(ISS_IDP, auds[i], 300, NULL));
        expect(token, VERIFY_BAD_AUDIENCE);
        free(token);
    }
    expect_good_still_works();
}
END_TEST

START_TEST(wrong_issuer_is_refused)
{
    char *token = rs256_with(claims("https://evil.example.test", "\"" AUD "\"", 300, NULL));
    expect(token, VERIFY_BAD_ISSUER);
    free(token);
    /* Issuers are bound to keys: the identity provider's key cannot speak for the gateway. */
    token = rs256_with(claims(ISS_GW, "\"" AUD "\"", 300, NULL));
    expect(token, VERIFY_BAD_ISSUER);
    free(token);
    token = test_sign("{\"alg\":\"HS256\",\"kid\":\"" GW_KID "\"}",
                      claims(ISS_IDP, "\"" AUD "\"", 300, NULL), "HS256", NULL, GW_SECRET,
                      strlen(GW_SECRET));
    expect(token, VERIFY_BAD_ISSUER);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(missing_exp_or_sub_is_refused)
{
    char *token = rs256_with("{\"iss\":\"" ISS_IDP "\",\"aud\":\"" AUD "\",\"sub\":\"u\"}");
    expect(token, VERIFY_BAD_CLAIMS);
    free(token);
    char body[256];
    snprintf(body, sizeof body, "{\"iss\":\"" ISS_IDP "\",\"aud\":\"" AUD "\",\"exp\":%ld}",
             NOW + 300);
    token = rs256_with(body);
    expect(token, VERIFY_BAD_CLAIMS);
    free(token);
    snprintf(body, sizeof body,
             "{\"iss\":\"" ISS_IDP "\",\"aud\":\"" AUD "\",\"exp\":%ld,\"sub\":\"\"}", NOW + 300);
    token = rs256_with(body);
    expect(token, VERIFY_BAD_CLAIMS);
    free(token);
    snprintf(body, sizeof body,
             "{\"iss\":\"" ISS_IDP "\",\"aud\":\"" AUD "\",\"exp\":\"%ld\",\"sub\":\"u\"}",
             NOW + 300);
    token = rs256_with(body);
    expect(token, VERIFY_BAD_CLAIMS);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(internal_service_token_is_refused_from_outside)
{
    const char *internal_secret = "internal-secret-of-the-services-0123456789";
    char body[512];
    snprintf(body, sizeof body,
             "{\"iss\":\"" ISS_GW "\",\"aud\":\"projects\",\"sub\":\"user-42\",\"org\":\"" ORG_A
             "\","
             "\"roles\":[\"admin\"],\"exp\":%ld}",
             NOW + 60);
    char *token = test_sign("{\"alg\":\"HS256\"}", body, "HS256", NULL, internal_secret,
                            strlen(internal_secret));
    expect(token, VERIFY_BAD_SIGNATURE);
    free(token);
    /* Even with the gateway's own key, a service audience is not the public one. */
    token = test_sign("{\"alg\":\"HS256\",\"kid\":\"" GW_KID "\"}", body, "HS256", NULL, GW_SECRET,
                      strlen(GW_SECRET));
    expect(token, VERIFY_BAD_AUDIENCE);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(malformed_tokens_are_refused)
{
    static const char *const bad[] = {
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "..",
        "eyJhbGciOiJSUzI1NiJ9..c2ln",
        "e30.e30.c2ln",                                      /* {} header: no alg */
        "W10.e30.c2ln",                                      /* [] header */
        "eyJhbGciOiJSUzI1NiIsImFsZyI6Im5vbmUifQ.e30.c2ln",   /* duplicate alg */
        "eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiZXhwIl19.e30.c2ln", /* crit */
        "eyJhbGciOiJSUzI1NiJ9.e30.c2l+",                     /* not base64url */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect(bad[i], VERIFY_MALFORMED);
    char *huge = malloc(VERIFY_TOKEN_MAX + 2);
    memset(huge, 'a', VERIFY_TOKEN_MAX + 1);
    huge[VERIFY_TOKEN_MAX + 1] = '\0';
    expect(huge, VERIFY_MALFORMED);
    free(huge);
    struct identity who;
    ck_assert_int_eq(verifier_check(verifier, NULL, NOW, &who), VERIFY_MALFORMED);
    expect_good_still_works();
}
END_TEST

START_TEST(unknown_alg_names_are_refused)
{
    static const char *const algs[] = {"RS512", "PS256", "HS512", "rs256", "ES256K", ""};
    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++) {
        char header[64];
        snprintf(header, sizeof header, "{\"alg\":\"%s\",\"kid\":\"rsa-1\"}", algs[i]);
        char *token =
            test_sign(header, claims(ISS_IDP, "\"" AUD "\"", 300, NULL), "RS256", &rsa, NULL, 0);
        expect(token, VERIFY_UNSUPPORTED_ALG);
        free(token);
    }
}
END_TEST

START_TEST(rs256_token_under_the_ec_kid_is_refused)
{
    char *token = test_sign("{\"alg\":\"RS256\",\"kid\":\"ec-1\"}",
                            claims(ISS_IDP, "\"" AUD "\"", 300, NULL), "RS256", &rsa, NULL, 0);
    expect(token, VERIFY_ALG_MISMATCH);
    free(token);
}
END_TEST

START_TEST(claims_check_reads_roles_and_org)
{
    struct identity who;
    static const char *const audiences[] = {AUD};
    struct verify_config cfg = {.audiences = audiences, .n_audiences = 1, .skew_seconds = 60};
    json_t *c =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:[s,s,s]}", "iss", ISS_IDP, "aud", AUD, "sub", "s",
                  "org", ORG_A, "exp", (json_int_t)NOW + 1, "roles", "admin", "person", "admin");
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_OK);
    ck_assert_uint_eq(who.caller.roles, ROLE_ADMIN | ROLE_PERSON);
    ck_assert_str_eq(who.caller.org, ORG_A);
    json_object_set_new(c, "roles", json_string("admin"));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_BAD_CLAIMS);
    json_object_set_new(c, "roles", json_pack("[s,i]", "admin", 1));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_BAD_CLAIMS);
    json_object_del(c, "roles");
    json_object_set_new(c, "org", json_integer(5));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_BAD_CLAIMS);
    json_object_del(c, "org");
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_OK);
    ck_assert_str_eq(who.caller.org, "");
    ck_assert_uint_eq(who.caller.roles, 0);
    ck_assert_str_eq(who.caller.purpose, "");
    /* A purpose claim is one of the purposes of use, else the token is not valid. */
    json_object_set_new(c, "purpose", json_string("audit"));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_OK);
    ck_assert_str_eq(who.caller.purpose, "audit");
    json_object_set_new(c, "purpose", json_string("curiosity"));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_BAD_CLAIMS);
    json_object_set_new(c, "purpose", json_integer(1));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_BAD_CLAIMS);
    json_object_del(c, "purpose");
    /* Without a configured issuer nothing passes. */
    ck_assert_int_eq(claims_check(c, "", &cfg, NOW, &who), VERIFY_BAD_ISSUER);
    json_decref(c);
}
END_TEST

START_TEST(repeated_claim_or_header_names_are_refused)
{
    /* Two readers could take a repeated name differently (first or last): refused. */
    char body[1200];
    snprintf(body, sizeof body, "%.*s,\"sub\":\"someone-else\"}",
             (int)strlen(claims(ISS_IDP, "\"" AUD "\"", 300, NULL)) - 1,
             claims(ISS_IDP, "\"" AUD "\"", 300, NULL));
    char *token = test_sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", body, "RS256", &rsa, NULL, 0);
    ck_assert_int_ne(check(token), VERIFY_OK);
    free(token);
    snprintf(body, sizeof body, "%.*s,\"roles\":[\"admin\"]}",
             (int)strlen(claims(ISS_IDP, "\"" AUD "\"", 300, NULL)) - 1,
             claims(ISS_IDP, "\"" AUD "\"", 300, NULL));
    token = test_sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", body, "RS256", &rsa, NULL, 0);
    ck_assert_int_ne(check(token), VERIFY_OK);
    free(token);
    token = test_sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"kid\":\"ec-1\"}",
                      claims(ISS_IDP, "\"" AUD "\"", 300, NULL), "RS256", &rsa, NULL, 0);
    ck_assert_int_ne(check(token), VERIFY_OK);
    free(token);
    expect_good_still_works();
}
END_TEST

START_TEST(roles_of_an_organisation_need_a_uuid_organisation)
{
    struct identity who;
    static const char *const audiences[] = {AUD};
    struct verify_config cfg = {.audiences = audiences, .n_audiences = 1, .skew_seconds = 60};
    static const char *const org_roles[] = {"project_manager", "case_manager", "provider"};
    static const char *const bad_orgs[] = {"", "org-a", "00000000-0000-0000-0000-00000000000",
                                           "' OR 1=1 --", "0a0a0a0a-0000-4000-8000-00000000000a "};
    for (size_t i = 0; i < sizeof org_roles / sizeof *org_roles; i++) {
        json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:[s]}", "iss", ISS_IDP, "aud", AUD, "sub", "s",
                              "exp", (json_int_t)NOW + 60, "roles", org_roles[i]);
        ck_assert_msg(claims_check(c, ISS_IDP, &cfg, NOW, &who) == VERIFY_BAD_CLAIMS,
                      "%s without an organisation", org_roles[i]);
        for (size_t k = 0; k < sizeof bad_orgs / sizeof *bad_orgs; k++) {
            json_object_set_new(c, "org", json_string(bad_orgs[k]));
            ck_assert_msg(claims_check(c, ISS_IDP, &cfg, NOW, &who) == VERIFY_BAD_CLAIMS,
                          "%s with organisation \"%s\"", org_roles[i], bad_orgs[k]);
        }
        json_object_set_new(c, "org", json_string(ORG_A));
        ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_OK);
        json_decref(c);
    }
    /* Hub-wide roles, persons and respondents need none, but one they carry must be a UUID. */
    json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:[s,s,s,s]}", "iss", ISS_IDP, "aud", AUD, "sub",
                          "s", "exp", (json_int_t)NOW + 60, "roles", "admin", "researcher",
                          "person", "respondent");
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_OK);
    json_object_set_new(c, "org", json_string("not-a-uuid"));
    ck_assert_int_eq(claims_check(c, ISS_IDP, &cfg, NOW, &who), VERIFY_BAD_CLAIMS);
    json_decref(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("jwt_verify");
    TCase *tc = tcase_create("battery");
    tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
    tcase_add_checked_fixture(tc, verifier_setup, verifier_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rs256_token_is_accepted_with_its_identity);
    tcase_add_test(tc, es256_token_is_accepted);
    tcase_add_test(tc, hs256_token_of_the_gateway_is_accepted);
    tcase_add_test(tc, minted_token_round_trips);
    tcase_add_test(tc, token_without_kid_uses_the_only_key_of_its_alg);
    tcase_add_loop_test(tc, alg_none_with_empty_signature_is_refused, 0, 4);
    tcase_add_test(tc, signature_removed_is_refused);
    tcase_add_test(tc, signature_tampered_is_refused);
    tcase_add_test(tc, hs256_signed_with_the_rsa_public_key_is_refused);
    tcase_add_test(tc, hs256_signed_with_an_empty_secret_is_refused);
    tcase_add_test(tc, embedded_jwk_header_is_ignored);
    tcase_add_test(tc, jku_and_x5u_headers_are_ignored);
    tcase_add_test(tc, kid_with_path_traversal_or_sql_is_refused);
    tcase_add_test(tc, es256_all_zero_signature_is_refused);
    tcase_add_test(tc, expired_token_is_refused_beyond_the_skew);
    tcase_add_test(tc, token_not_yet_valid_is_refused_beyond_the_skew);
    tcase_add_test(tc, wrong_audience_is_refused);
    tcase_add_test(tc, wrong_issuer_is_refused);
    tcase_add_test(tc, missing_exp_or_sub_is_refused);
    tcase_add_test(tc, internal_service_token_is_refused_from_outside);
    tcase_add_test(tc, malformed_tokens_are_refused);
    tcase_add_test(tc, unknown_alg_names_are_refused);
    tcase_add_test(tc, rs256_token_under_the_ec_kid_is_refused);
    tcase_add_test(tc, claims_check_reads_roles_and_org);
    tcase_add_test(tc, repeated_claim_or_header_names_are_refused);
    tcase_add_test(tc, roles_of_an_organisation_need_a_uuid_organisation);
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
