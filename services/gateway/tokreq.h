/* Reading an OAuth 2.0 client-credentials token request (RFC 6749 section 4.4): a form or JSON
 * body, client credentials in the body or in HTTP Basic. */
#ifndef GATEWAY_TOKREQ_H
#define GATEWAY_TOKREQ_H

#include <stddef.h>

struct token_request {
    char grant_type[32];
    char client_id[64];
    char client_secret[128];
    char scope[512];
};

enum tokreq_result {
    TOKREQ_OK,
    TOKREQ_BAD_MEDIA,         /* 415: neither form nor JSON */
    TOKREQ_INVALID_REQUEST,   /* 400 invalid_request: malformed, repeated or missing parameters */
    TOKREQ_UNSUPPORTED_GRANT, /* 400 unsupported_grant_type */
};

/* `authorization` is the Authorization header or NULL. */
enum tokreq_result tokreq_parse(const char *content_type, const char *body, size_t len,
                                const char *authorization, struct token_request *out);

/* Decodes application/x-www-form-urlencoded text ('+' as space, %XX). Returns 0, or -1 when the
 * encoding is broken or the result does not fit (or holds a NUL). */
int form_decode(const char *in, size_t len, char *out, size_t cap);

#endif
