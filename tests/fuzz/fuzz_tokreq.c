/* The gateway's token request reader (tokreq_parse: form or JSON body, HTTP Basic credentials)
 * and form_decode. Selector byte (content type, whether an Authorization header comes), then the
 * body; with a header, the bytes after the first 0xFF are the header. Checks: an accepted request
 * holds NUL-terminated fields within their buffers and a client-credentials grant; form_decode
 * never writes past its buffer and refuses results holding a NUL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tokreq.h"

static const char *const types[] = {"application/x-www-form-urlencoded",
                                    "application/x-www-form-urlencoded; charset=UTF-8",
                                    "application/json", "text/plain", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned sel = data[0];
    const char *ctype = types[sel % 5];
    int with_auth = sel & 0x80;
    data++, size--;
    const uint8_t *ff = with_auth ? memchr(data, 0xFF, size) : NULL;
    size_t blen = ff ? (size_t)(ff - data) : size;
    char *body = malloc(blen + 1);
    memcpy(body, data, blen);
    body[blen] = 0;
    char *auth = NULL;
    if (ff) {
        size_t alen = size - blen - 1;
        auth = malloc(alen + 1);
        memcpy(auth, ff + 1, alen);
        auth[alen] = 0;
    }
    struct token_request req;
    memset(&req, 0xAB, sizeof req);
    if (tokreq_parse(ctype, body, blen, auth, &req) == TOKREQ_OK) {
        if (!memchr(req.grant_type, 0, sizeof req.grant_type) ||
            !memchr(req.client_id, 0, sizeof req.client_id) ||
            !memchr(req.client_secret, 0, sizeof req.client_secret) ||
            !memchr(req.scope, 0, sizeof req.scope))
            abort();
        if (strcmp(req.grant_type, "client_credentials") != 0) abort();
    }
    size_t cap = ((sel >> 3) % 64) + 1;
    char *out = malloc(cap);
    if (form_decode(body, blen, out, cap) == 0) {
        if (!memchr(out, 0, cap)) abort();
    }
    free(out);
    free(body);
    free(auth);
    return 0;
}
