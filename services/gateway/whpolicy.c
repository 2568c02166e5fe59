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

/* The IANA IPv4 Special-Purpose Address Registry, whole, with multicast and the rest of
 * 240.0.0.0/4: none of these is an ordinary receiver on the internet (even the entries marked
 * globally reachable there, such as 192.0.0.9/32, lie inside 192.0.0.0/24 which is refused). */
static const char *const v4_special[] = {
    "0.0.0.0/8",       /* this network */
    "10.0.0.0/8",      /* private */
    "100.64.0.0/10",   /* shared address space (carrier-grade NAT) */
    "127.0.0.0/8",     /* loopback */
    "169.254.0.0/16",  /* link local (cloud metadata) */
    "172.16.0.0/12",   /* private */
    "192.0.0.0/24",    /* IETF protocol assignments */
    "192.0.2.0/24",    /* documentation TEST-NET-1 */
    "192.31.196.0/24", /* AS112-v4 */
    "192.52.193.0/24", /* AMT */
    "192.88.99.0/24",  /* deprecated 6to4 relay anycast */
    "192.168.0.0/16",  /* private */
    "192.175.48.0/24", /* direct delegation AS112 */
    "198.18.0.0/15",   /* benchmarking */
    "198.51.100.0/24", /* documentation TEST-NET-2 */
    "203.0.113.0/24",  /* documentation TEST-NET-3 */
    "224.0.0.0/4",     /* multicast */
    "240.0.0.0/4",     /* reserved, and 255.255.255.255 limited broadcast */
};

/* The IANA IPv6 Special-Purpose Address Registry. Prefixes that embed an IPv4 address (mapped,
 * translated, Teredo, 6to4) are refused whole: the receiver behind them is not the address
 * checked. Outside 2000::/3 nothing is global unicast, which also covers multicast and the
 * deprecated site-local and IPv4-compatible forms. */
static const char *const v6_special[] = {
    "::/128",            /* unspecified */
    "::1/128",           /* loopback */
    "::ffff:0:0/96",     /* IPv4-mapped */
    "64:ff9b::/96",      /* IPv4-IPv6 translation */
    "64:ff9b:1::/48",    /* local-use IPv4-IPv6 translation */
    "100::/64",          /* discard-only */
    "100:0:0:1::/64",    /* dummy prefix */
    "2001::/23",         /* IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID */
    "2001:db8::/32",     /* documentation */
    "2002::/16",         /* 6to4 */
    "2620:4f:8000::/48", /* direct delegation AS112 */
    "3fff::/20",         /* documentation */
    "5f00::/16",         /* segment routing (SRv6) SIDs */
    "fc00::/7",          /* unique local */
    "fe80::/10",         /* link local */
    "fec0::/10",         /* deprecated site local */
    "ff00::/8",          /* multicast */
};

/* 1 when the first `bits` bits of a and b are equal. */
static int prefix_equal(const unsigned char *a, const unsigned char *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, whole) != 0) return 0;
    if (!rest) return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

/* 1 when addr (4 or 16 bytes of family af) lies in one of the "address/bits" ranges. */
static int in_ranges(int af, const unsigned char *addr, const char *const *ranges, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char text[64];
        unsigned char net[16];
        const char *slash = strchr(ranges[i], '/');
        size_t len = (size_t)(slash - ranges[i]);
        memcpy(text, ranges[i], len);
        text[len] = '\0';
        if (inet_pton(af, text, net) == 1 && prefix_equal(addr, net, (unsigned)atoi(slash + 1)))
            return 1;
    }
    return 0;
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
    if (sa->sa_family == AF_INET) {
        const unsigned char *a =
            (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr.s_addr;
        return in_ranges(AF_INET, a, v4_special, sizeof v4_special / sizeof *v4_special);
    }
    if (sa->sa_family != AF_INET6) return 1;
    const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    if ((b[0] & 0xe0) != 0x20) return 1; /* outside 2000::/3 */
    return in_ranges(AF_INET6, b, v6_special, sizeof v6_special / sizeof *v6_special);
}

int wh_port_allowed(long port)
{
    return port == 443 || port == 8443;
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
        /* Receivers listen on the https ports; other ports are often administration or
         * database ports that our requests must not reach (any port on loopback in
         * development). */
        if (!wh_port_allowed(strtol(port, NULL, 10)) && !(allow_loopback && loopback(p->ai_addr))) {
            snprintf(why, why_len, "must use port 443 or 8443");
            goto cleanup;
        }
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
