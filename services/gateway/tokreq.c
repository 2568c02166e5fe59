/* Token request parsing. */
#include "tokreq.h"

#include <gnutls/gnutls.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int form_decode(const char *in, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)in[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len) return -1;
            int hi = hex(in[i + 1]), lo = hi < 0 ? -1 : hex(in[i + 2]);
            if (hi < 0 || lo < 0) return -1;
            c = hi * 16 + lo;
            i += 2;
        }
        if (c == 0 || o + 1 >= cap) return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

static int media_is(const char *content_type, const char *type)
{
    size_t n = strlen(type);
    if (!content_type || strncasecmp(content_type, type, n) != 0) return 0;
    return content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ';
}

struct param {
    const char *name;
    char *dest;
    size_t cap;
    int seen;
};

static struct param *param_of(struct param *params, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(params[i].name) == len && strncmp(params[i].name, name, len) == 0)
            return &params[i];
    return NULL;
}

static enum tokreq_result parse_form(const char *body, size_t len, struct param *params, size_t n)
{
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (stop == p) {
            p = stop + 1;
            continue;
        }
        if (!eq) return TOKREQ_INVALID_REQUEST;
        char name[64];
        if (form_decode(p, (size_t)(eq - p), name, sizeof name) != 0) return TOKREQ_INVALID_REQUEST;
        struct param *param = param_of(params, n, name, strlen(name));
        if (param) {
            /* RFC 6749 section 3.2: a parameter must not be sent twice. */
            if (param->seen++) return TOKREQ_INVALID_REQUEST;
            if (form_decode(eq + 1, (size_t)(stop - eq - 1), param->dest, param->cap) != 0)
                return TOKREQ_INVALID_REQUEST;
        }
        p = stop + 1;
    }
    return TOKREQ_OK;
}

static enum tokreq_result parse_json(const char *body, size_t len, struct param *params, size_t n)
{
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    enum tokreq_result rc = TOKREQ_INVALID_REQUEST;
    const char *key;
    json_t *value;
    if (!json_is_object(doc)) goto cleanup;
    json_object_foreach(doc, key, value)
    {
        struct param *param = param_of(params, n, key, strlen(key));
        if (!param) continue;
        const char *text = json_string_value(value);
        if (!text || strlen(text) >= param->cap) goto cleanup;
        memcpy(param->dest, text, strlen(text) + 1);
        param->seen = 1;
    }
    rc = TOKREQ_OK;
cleanup:
    json_decref(doc);
    return rc;
}

/* HTTP Basic with form-encoded id and secret (RFC 6749 section 2.3.1). */
static int parse_basic(const char *authorization, struct token_request *out)
{
    const char *b64 = authorization + 6;
    int rc = -1;
    while (*b64 == ' ')
        b64++;
    gnutls_datum_t in = {(unsigned char *)b64, (unsigned)strlen(b64)}, raw = {NULL, 0};
    if (in.size == 0 || in.size > 1024 || gnutls_base64_decode2(&in, &raw) < 0) return -1;
    const char *colon = memchr(raw.data, ':', raw.size);
    if (colon && memchr(raw.data, '\0', raw.size) == NULL) {
        size_t id_len = (size_t)(colon - (const char *)raw.data);
        rc = form_decode((const char *)raw.data, id_len, out->client_id, sizeof out->client_id) ||
                     form_decode(colon + 1, raw.size - id_len - 1, out->client_secret,
                                 sizeof out->client_secret)
                 ? -1
                 : 0;
    }
    gnutls_free(raw.data);
    return rc;
}

enum tokreq_result tokreq_parse(const char *content_type, const char *body, size_t len,
                                const char *authorization, struct token_request *out)
{
    memset(out, 0, sizeof *out);
    struct param params[] = {
        {"grant_type", out->grant_type, sizeof out->grant_type, 0},
        {"client_id", out->client_id, sizeof out->client_id, 0},
        {"client_secret", out->client_secret, sizeof out->client_secret, 0},
        {"scope", out->scope, sizeof out->scope, 0},
    };
    size_t n = sizeof params / sizeof *params;
    enum tokreq_result rc;
    if (media_is(content_type, "application/x-www-form-urlencoded"))
        rc = parse_form(body ? body : "", body ? len : 0, params, n);
    else if (media_is(content_type, "application/json"))
        rc = parse_json(body ? body : "", body ? len : 0, params, n);
    else
        return TOKREQ_BAD_MEDIA;
    if (rc != TOKREQ_OK) return rc;
    if (authorization && strncasecmp(authorization, "Basic ", 6) == 0) {
        /* One way of authenticating per request (RFC 6749 section 2.3). */
        if (params[1].seen || params[2].seen) return TOKREQ_INVALID_REQUEST;
        if (parse_basic(authorization, out) != 0) return TOKREQ_INVALID_REQUEST;
    }
    if (!out->grant_type[0] || !out->client_id[0] || !out->client_secret[0])
        return TOKREQ_INVALID_REQUEST;
    if (strcmp(out->grant_type, "client_credentials") != 0) return TOKREQ_UNSUPPORTED_GRANT;
    return TOKREQ_OK;
}
