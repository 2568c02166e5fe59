/* Webhooks: the target URL policy (no request forgery into internal networks) and the Standard
 * Webhooks signature of a delivery. */
#ifndef GATEWAY_WHPOLICY_H
#define GATEWAY_WHPOLICY_H

#include <stddef.h>
#include <sys/socket.h>

/* 1 when the address is loopback, private, link-local, carrier-grade NAT, multicast,
 * unspecified, documentation or otherwise not a public unicast address (IPv4, IPv6 and
 * IPv4-mapped IPv6). */
int wh_address_internal(const struct sockaddr *sa);

/* Checks a target URL: https only (http too when allow_loopback), no user or password, a host
 * name, every address it resolves to public (loopback addresses allowed when allow_loopback).
 * On success returns 0 and writes "host:port:address" (for CURLOPT_RESOLVE, so the delivery goes
 * to the address checked) into pin; otherwise -1 and a reason into why. */
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
