/* Private gateway processes, a stub upstream and hand-signed tokens for the gateway API tests. */
#include "gateway_support.h"
#include "page.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- stub upstream ---- */

static struct {
    int fd, port, running, stopping;
    enum stub_mode mode;
    int requests;
    int connections; /* live connection threads */
    pthread_t thread;
} stub = {.fd = -1};

static const char *header_value(const char *head, const char *name, char *out, size_t len)
{
    char pattern[80];
    snprintf(pattern, sizeof pattern, "\r\n%s:", name);
    const char *at = strcasestr(head, pattern);
    out[0] = '\0';
    if (!at) return NULL;
    at += strlen(pattern);
    while (*at == ' ')
        at++;
    size_t n = strcspn(at, "\r\n");
    if (n >= len) n = len - 1;
    memcpy(out, at, n);
    out[n] = '\0';
    return out;
}

static void stub_answer(int c, const char *req, size_t head_len, const char *body, size_t body_len)
{
    char line[512], value[4096];
    json_t *seen = json_object();
    size_t n = strcspn(req, "\r\n");
    snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), req);
    char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (sp1 && sp2) {
        *sp1 = *sp2 = '\0';
        json_object_set_new(seen, "method", json_string(line));
        json_object_set_new(seen, "target", json_string(sp1 + 1));
    }
    char *head = strndup(req, head_len);
    static const char *const names[][2] = {
        {"Authorization", "authorization"}, {"X-Request-Id", "request_id"},
        {"If-Match", "if_match"},           {"Idempotency-Key", "idempotency_key"},
        {"Content-Type", "content_type"},   {"Cookie", "cookie"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (header_value(head, names[i][0], value, sizeof value))
            json_object_set_new(seen, names[i][1], json_string(value));
    json_t *leaked = json_array();
    static const char *const identity[] = {"X-Caller-Sub", "X-Caller-Org", "X-Roles",
                                           "X-Internal-Token", "X-Forwarded-User"};
    for (size_t i = 0; i < sizeof identity / sizeof *identity; i++)
        if (header_value(head, identity[i], value, sizeof value))
            json_array_append_new(leaked, json_string(identity[i]));
    json_object_set_new(seen, "leaked", leaked);
    json_object_set_new(seen, "body", json_stringn(body, body_len));
    free(head);
    char *text = json_dumps(seen, JSON_COMPACT);
    json_decref(seen);
    char out[16384];
    int len = snprintf(out, sizeof out,
                       "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nETag: \"v7\"\r\n"
                       "Location: /v1/projects/0f0f\r\nLink: </v1/projects?cursor=abc>; "
                       "rel=\"next\"\r\nRetry-After: 3\r\nSet-Cookie: session=stub\r\n"
                       "X-Upstream-Secret: internal\r\nContent-Length: %zu\r\n\r\n%s",
                       strlen(text), text);
    free(text);
    if (len > 0 && send(c, out, (size_t)len, MSG_NOSIGNAL) < 0) perror("stub send");
}

/* One thread per connection: the gateway keeps one connection per worker thread open. */
static void *stub_connection(void *arg)
{
    int c = (int)(intptr_t)arg;
    struct timeval tv = {0, 100000};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char *buf = malloc(65536);
    size_t got = 0;
    while (buf) {
        ssize_t n = recv(c, buf + got, 65535 - got, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
            !__atomic_load_n(&stub.stopping, __ATOMIC_SEQ_CST))
            continue;
        if (n <= 0) break;
        got += (size_t)n;
        buf[got] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end) continue;
        size_t head_len = (size_t)(end + 4 - buf);
        char cl[32];
        size_t body_len =
            header_value(buf, "Content-Length", cl, sizeof cl) ? strtoul(cl, NULL, 10) : 0;
        if (got < head_len + body_len) continue;
        __atomic_add_fetch(&stub.requests, 1, __ATOMIC_SEQ_CST);
        if (stub.mode == STUB_SLOW) sleep_ms(2000);
        stub_answer(c, buf, head_len, buf + head_len, body_len);
        memmove(buf, buf + head_len + body_len, got - head_len - body_len);
        got -= head_len + body_len;
    }
    free(buf);
    close(c);
    __atomic_sub_fetch(&stub.connections, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *stub_serve(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept4(stub.fd, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) break;
        pthread_t t;
        __atomic_add_fetch(&stub.connections, 1, __ATOMIC_SEQ_CST);
        if (pthread_create(&t, NULL, stub_connection, (void *)(intptr_t)c) != 0) {
            close(c);
            __atomic_sub_fetch(&stub.connections, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

int stub_start(int port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int one = 1;
    stub.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    setsockopt(stub.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(stub.fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(stub.fd, 64) != 0) {
        close(stub.fd);
        stub.fd = -1;
        return -1;
    }
    getsockname(stub.fd, (struct sockaddr *)&addr, &len);
    stub.port = ntohs(addr.sin_port);
    stub.stopping = 0;
    stub.mode = STUB_ANSWER;
    stub.running = pthread_create(&stub.thread, NULL, stub_serve, NULL) == 0;
    return stub.running ? stub.port : -1;
}

void stub_stop(void)
{
    if (!stub.running) return;
    __atomic_store_n(&stub.stopping, 1, __ATOMIC_SEQ_CST);
    shutdown(stub.fd, SHUT_RDWR);
    close(stub.fd);
    pthread_join(stub.thread, NULL);
    /* Open connections notice `stopping` within 100 ms; the port then refuses connections. */
    for (int i = 0; i < 100 && __atomic_load_n(&stub.connections, __ATOMIC_SEQ_CST) > 0; i++)
        sleep_ms(20);
    stub.fd = -1;
    stub.running = 0;
}

void stub_set_mode(enum stub_mode mode)
{
    stub.mode = mode;
}

int stub_requests(void)
{
    return __atomic_load_n(&stub.requests, __ATOMIC_SEQ_CST);
}

/* ---- private gateway ---- */

int free_port(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    getsockname(fd, (struct sockaddr *)&addr, &len);
    close(fd);
    return ntohs(addr.sin_port);
}

static int healthy(const char *url)
{
    char probe[128];
    long status = 0;
    snprintf(probe, sizeof probe, "%s/healthz", url);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, probe);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 1000L);
    if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    return status == 200;
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char raw[64];
    gnutls_rnd(GNUTLS_RND_NONCE, raw, bytes);
    for (size_t i = 0; i < bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

int gw_start(struct gw_proc *g, const char *name, int stub_port, const char *const *settings)
{
    char bin[256], log[512];
    const char *flavor = getenv("FLAVOR") ? getenv("FLAVOR") : "asan";
    const char *var = getenv("VAR_DIR") ? getenv("VAR_DIR") : "var/test";
    snprintf(bin, sizeof bin, "build/%s/bin/gateway", flavor);
    snprintf(log, sizeof log, "%s/log/gateway-%s.log", var, name);
    if (!g->token_secret[0]) random_hex(g->token_secret, 32);
    if (!g->internal_secret[0]) random_hex(g->internal_secret, 32);
    g->port = free_port();
    snprintf(g->url, sizeof g->url, "http://127.0.0.1:%d", g->port);
    g->pid = fork();
    if (g->pid < 0) return -1;
    if (g->pid == 0) {
        char value[128];
        /* A clean environment: only what this gateway is meant to know. */
        const char *keep[] = {"PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", NULL};
        char *saved[8] = {0};
        for (int i = 0; keep[i]; i++)
            saved[i] = getenv(keep[i]) ? strdup(getenv(keep[i])) : NULL;
        clearenv();
        for (int i = 0; keep[i]; i++)
            if (saved[i]) setenv(keep[i], saved[i], 1);
        snprintf(value, sizeof value, "%d", g->port);
        setenv("PORT", value, 1);
        setenv("TOKEN_SECRET", g->token_secret, 1);
        setenv("INTERNAL_SECRET", g->internal_secret, 1);
        setenv("OPENAPI_BUNDLER", "/nonexistent", 1);
        snprintf(value, sizeof value, "http://127.0.0.1:%d", stub_port);
        setenv("PROJECTS_URL", value, 1);
        for (const char *const *s = settings; s && *s; s++)
            putenv(strdup(*s));
        FILE *out = freopen(log, "a", stdout);
        if (out) dup2(fileno(stdout), STDERR_FILENO);
        execl(bin, bin, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100; i++) {
        if (healthy(g->url)) return 0;
        int status;
        if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
            g->pid = 0;
            return -1;
        }
        sleep_ms(100);
    }
    gw_stop(g);
    return -1;
}

void gw_stop(struct gw_proc *g)
{
    if (g->pid <= 0) return;
    kill(g->pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        int status;
        if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
            g->pid = 0;
            return;
        }
        sleep_ms(50);
    }
    kill(g->pid, SIGKILL);
    waitpid(g->pid, NULL, 0);
    g->pid = 0;
}

/* ---- keys and tokens ---- */

int key_generate(struct test_key *key, int ec)
{
    gnutls_pubkey_t pub = NULL;
    gnutls_datum_t pem = {NULL, 0};
    memset(key, 0, sizeof *key);
    key->is_ec = ec;
    if (gnutls_privkey_init(&key->priv) < 0) return -1;
    if (gnutls_privkey_generate2(key->priv, ec ? GNUTLS_PK_ECDSA : GNUTLS_PK_RSA,
                                 ec ? GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1) : 2048, 0,
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

void key_free(struct test_key *key)
{
    gnutls_privkey_deinit(key->priv);
    free(key->pub_pem);
    memset(key, 0, sizeof *key);
}

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
    return b64url_encode(buf, width);
}

json_t *key_jwk(const struct test_key *key, const char *kid)
{
    gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
    char *ea, *eb;
    json_t *jwk;
    if (key->is_ec) {
        gnutls_ecc_curve_t curve;
        gnutls_privkey_export_ecc_raw2(key->priv, &curve, &a, &b, NULL, 0);
        ea = encode_uint(&a, 32), eb = encode_uint(&b, 32);
        jwk = json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256", "x", ea, "y", eb);
    } else {
        gnutls_privkey_export_rsa_raw2(key->priv, &a, &b, NULL, NULL, NULL, NULL, NULL, NULL, 0);
        ea = encode_uint(&a, 0), eb = encode_uint(&b, 0);
        jwk = json_pack("{s:s, s:s, s:s}", "kty", "RSA", "n", ea, "e", eb);
    }
    if (kid) json_object_set_new(jwk, "kid", json_string(kid));
    gnutls_free(a.data);
    gnutls_free(b.data);
    free(ea);
    free(eb);
    return jwk;
}

char *sign_token(const char *header, const char *payload, const char *alg,
                 const struct test_key *key, const void *secret, size_t secret_len)
{
    char *h = b64url_encode((const unsigned char *)header, strlen(header));
    char *p = b64url_encode((const unsigned char *)payload, strlen(payload));
    size_t input_len = strlen(h) + 1 + strlen(p);
    char *input = malloc(input_len + 1);
    char *sig = NULL;
    snprintf(input, input_len + 1, "%s.%s", h, p);
    gnutls_datum_t data = {(unsigned char *)input, (unsigned)input_len};
    gnutls_datum_t der = {NULL, 0}, r = {NULL, 0}, s = {NULL, 0};
    if (strcmp(alg, "HS256") == 0) {
        unsigned char mac[32];
        gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret, secret_len, input, input_len, mac);
        sig = b64url_encode(mac, sizeof mac);
    } else if (strcmp(alg, "RS256") == 0) {
        if (gnutls_privkey_sign_data(key->priv, GNUTLS_DIG_SHA256, 0, &data, &der) >= 0)
            sig = b64url_encode(der.data, der.size);
    } else if (strcmp(alg, "ES256") == 0) {
        if (gnutls_privkey_sign_data(key->priv, GNUTLS_DIG_SHA256, 0, &data, &der) >= 0 &&
            gnutls_decode_rs_value(&der, &r, &s) >= 0) {
            unsigned char raw[64] = {0};
            const unsigned char *rp = r.data, *sp = s.data;
            size_t rn = r.size, sn = s.size;
            while (rn > 32 && *rp == 0)
                rp++, rn--;
            while (sn > 32 && *sp == 0)
                sp++, sn--;
            memcpy(raw + 32 - rn, rp, rn);
            memcpy(raw + 64 - sn, sp, sn);
            sig = b64url_encode(raw, sizeof raw);
        }
    } else {
        sig = strdup("");
    }
    size_t len = input_len + 2 + (sig ? strlen(sig) : 0);
    char *token = malloc(len);
    snprintf(token, len, "%s.%s", input, sig ? sig : "");
    gnutls_free(der.data);
    gnutls_free(r.data);
    gnutls_free(s.data);
    free(sig);
    free(input);
    free(h);
    free(p);
    return token;
}
