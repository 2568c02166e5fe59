/* Webhooks: the target URL policy (no request forgery into internal networks) and the Standard
 * Webhooks signature of a delivery. */
#ifndef GATEWAY_WHPOLICY_H
#define GATEWAY_WHPOLICY_H

#include <stddef.h>
#include <sys/socket.h>

/* 1 when the address is in the IANA IPv4 or IPv6 special-purpose address registries (loopback,
 * private, link-local, carrier-grade NAT, benchmarking, documentation, protocol assignments,
 * reserved), multicast, any IPv6 form that embeds an IPv4 address (mapped, NAT64, Teredo, 6to4),
 * or outside IPv6 global unicast (2000::/3). */
int wh_address_internal(const struct sockaddr *sa);

/* The ports a public target may use: 443 and 8443 (loopback targets in development: any). */
int wh_port_allowed(long port);

/* Checks a target URL: https only (http too when allow_loopback), port 443 or 8443 (any for
 * loopback when allow_loopback), no user or password, a host name, every address it resolves to
 * public (loopback addresses allowed when allow_loopback). On success returns 0 and writes
 * "host:port:address" (for CURLOPT_RESOLVE, so the delivery goes to the address checked) into pin;
 * otherwise -1 and a reason into why. */
int wh_url_check(const char *url, int allow_loopback, char *pin, size_t pin_len, char *why,
                 size_t why_len);

/* A new secret "whsec_" + base64 of 24 random bytes. Returns 0 on success. */
int wh_secret_generate(char *buf, size_t len);

/* "v1,<base64 HMAC-SHA256 of id.timestamp.body>" with the key of a whsec_ secret (its base64
 * part, decoded). Returns 0 on success. */
int wh_sign(const char *secret, const char *id, long long timestamp, const char *body,
            size_t body_len, char *out, size_t out_len);

/* Standard base64 (with padding), for the signature; returns the length written or -1. */
int wh_base64(const unsigned char *data, size_t len, char *out, size_t out_len);

#endif
