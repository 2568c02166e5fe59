/* Webhook target policy and signatures (see whpolicy.h). */
#include "whpolicy.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int v4_internal(uint32_t a)
{
    return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
           (a & 0xffc00000u) == 0x64400000u || /* 100.64/10 */
           (a & 0xffff0000u) == 0xa9fe0000u || /* 169.254/16 */
           (a & 0xfff00000u) == 0xac100000u || /* 172.16/12 */
           (a & 0xffffff00u) == 0xc0000000u || /* 192.0.0/24 */
           (a & 0xffffff00u) == 0xc0000200u || /* 192.0.2/24 */
           (a & 0xffff0000u) == 0xc0a80000u || /* 192.168/16 */
           (a & 0xfffe0000u) == 0xc6120000u || /* 198.18/15 */
           (a & 0xffffff00u) == 0xc6336400u || /* 198.51.100/24 */
           (a & 0xffffff00u) == 0xcb007100u || /* 203.0.113/24 */
           (a >> 28) >= 0xe;                   /* multicast, reserved, broadcast */
}

static int loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
    return 0;
}

int wh_address_internal(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return v4_internal(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
    if (sa->sa_family != AF_INET6) return 1;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    const uint8_t *b = a->s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
        uint32_t v4 =
            ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) | ((uint32_t)b[14] << 8) | b[15];
        return v4_internal(v4);
    }
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return 1; /* NAT64 */
    return IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_LINKLOCAL(a) ||
           IN6_IS_ADDR_SITELOCAL(a) || IN6_IS_ADDR_MULTICAST(a) || (b[0] & 0xfe) == 0xfc ||
           (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || /* documentation */
           (b[0] == 0x20 && b[1] == 0x02);                                   /* 6to4 */
}

int wh_url_check(const char *url, int allow_loopback, char *pin, size_t pin_len, char *why,
                 size_t why_len)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *password = NULL;
    struct addrinfo *ai = NULL;
    int rc = -1;
    snprintf(why, why_len, "must be an absolute https URL");
    if (!u || !url || strlen(url) > 2048 || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto cleanup;
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
        goto cleanup;
    /* Plain http only towards loopback, and only in development (checked below). */
    int https = strcasecmp(scheme, "https") == 0;
    if (!https && !(allow_loopback && strcasecmp(scheme, "http") == 0)) goto cleanup;
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
        snprintf(why, why_len, "must not carry a user name or password");
        goto cleanup;
    }
    /* Brackets of an IPv6 literal are not part of the address. */
    char name[256];
    size_t hl = strlen(host);
    if (hl >= sizeof name || hl == 0) goto cleanup;
    if (host[0] == '[' && host[hl - 1] == ']') {
        memcpy(name, host + 1, hl - 2);
        name[hl - 2] = 0;
    } else {
        memcpy(name, host, hl + 1);
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    if (getaddrinfo(name, port, &hints, &ai) != 0 || !ai) {
        snprintf(why, why_len, "host does not resolve");
        goto cleanup;
    }
    char first[INET6_ADDRSTRLEN] = "";
    for (struct addrinfo *p = ai; p; p = p->ai_next) {
        int internal = wh_address_internal(p->ai_addr);
        if (internal && !(allow_loopback && loopback(p->ai_addr))) {
            snprintf(why, why_len, "resolves to a private, loopback or reserved address");
            goto cleanup;
        }
        if (!https && !loopback(p->ai_addr)) goto cleanup;
        if (!first[0]) {
            const void *addr =
                p->ai_family == AF_INET
                    ? (const void *)&((const struct sockaddr_in *)p->ai_addr)->sin_addr
                    : (const void *)&((const struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
            inet_ntop(p->ai_family, addr, first, sizeof first);
        }
    }
    /* A host name is pinned to the address checked (no second, different answer from DNS). */
    unsigned char tmp[sizeof(struct in6_addr)];
    int literal = inet_pton(AF_INET, name, tmp) == 1 || inet_pton(AF_INET6, name, tmp) == 1;
    int w = literal ? snprintf(pin, pin_len, "%s", "")
                    : snprintf(pin, pin_len, strchr(first, ':') ? "%s:%s:[%s]" : "%s:%s:%s", name,
                               port, first);
    if (w < 0 || (size_t)w >= pin_len) goto cleanup;
    rc = 0;
    why[0] = 0;
cleanup:
    if (ai) freeaddrinfo(ai);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    return rc;
}

int wh_base64(const unsigned char *data, size_t len, char *out, size_t out_len)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t need = (len + 2) / 3 * 4 + 1, o = 0;
    if (out_len < need) return -1;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len) v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len) v |= data[i + 2];
        out[o++] = abc[(v >> 18) & 63];
        out[o++] = abc[(v >> 12) & 63];
        out[o++] = i + 1 < len ? abc[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? abc[v & 63] : '=';
    }
    out[o] = 0;
    return (int)o;
}

static int unbase64(const char *in, unsigned char *out, size_t out_len)
{
    gnutls_datum_t src = {(unsigned char *)in, (unsigned)strlen(in)}, dst = {NULL, 0};
    if (gnutls_base64_decode2(&src, &dst) < 0) return -1;
    int n = -1;
    if (dst.size <= out_len) {
        memcpy(out, dst.data, dst.size);
        n = (int)dst.size;
    }
    gnutls_free(dst.data);
    return n;
}

int wh_secret_generate(char *buf, size_t len)
{
    unsigned char key[24];
    if (len < 6 + 33 || gnutls_rnd(GNUTLS_RND_KEY, key, sizeof key) < 0) return -1;
    memcpy(buf, "whsec_", 6);
    return wh_base64(key, sizeof key, buf + 6, len - 6) < 0 ? -1 : 0;
}

int wh_sign(const char *secret, const char *id, long long timestamp, const char *body,
            size_t body_len, char *out, size_t out_len)
{
    unsigned char key[64], mac[32];
    if (strncmp(secret, "whsec_", 6) != 0) return -1;
    int key_len = unbase64(secret + 6, key, sizeof key);
    if (key_len <= 0) return -1;
    gnutls_hmac_hd_t h;
    char head[160];
    int n = snprintf(head, sizeof head, "%s.%lld.", id, timestamp);
    if (n < 0 || (size_t)n >= sizeof head) return -1;
    if (gnutls_hmac_init(&h, GNUTLS_MAC_SHA256, key, (size_t)key_len) < 0) return -1;
    gnutls_hmac(h, head, (size_t)n);
    gnutls_hmac(h, body, body_len);
    gnutls_hmac_deinit(h, mac);
    if (out_len < 4) return -1;
    memcpy(out, "v1,", 3);
    return wh_base64(mac, sizeof mac, out + 3, out_len - 3) < 0 ? -1 : 0;
}
