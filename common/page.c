#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "page.h"
#include "problem.h"
#include "validate.h"

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *b64url_encode(const unsigned char *d, size_t len)
{
    char *out = malloc(len / 3 * 4 + 5);
    if (!out) return NULL;
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = d[i] << 16 | d[i + 1] << 8 | d[i + 2];
        out[o++] = b64chars[v >> 18 & 63];
        out[o++] = b64chars[v >> 12 & 63];
        out[o++] = b64chars[v >> 6 & 63];
        out[o++] = b64chars[v & 63];
    }
    if (len - i == 1) {
        unsigned v = d[i] << 16;
        out[o++] = b64chars[v >> 18 & 63];
        out[o++] = b64chars[v >> 12 & 63];
    } else if (len - i == 2) {
        unsigned v = d[i] << 16 | d[i + 1] << 8;
        out[o++] = b64chars[v >> 18 & 63];
        out[o++] = b64chars[v >> 12 & 63];
        out[o++] = b64chars[v >> 6 & 63];
    }
    out[o] = 0;
    return out;
}

static int b64val(char c)
{
    const char *p = c ? strchr(b64chars, c) : NULL;
    return p ? (int)(p - b64chars) : -1;
}

unsigned char *b64url_decode(const char *t, size_t *len)
{
    size_t n = strlen(t);
    if (n % 4 == 1) return NULL;
    unsigned char *out = malloc(n / 4 * 3 + 3);
    if (!out) return NULL;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val(t[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits & 0xff);
        }
    }
    out[o] = 0;
    *len = o;
    return out;
}

char *page_cursor_encode(const char *sort, const char *key, const char *id)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s", sort, key, id);
    if (n < 0 || (size_t)n >= sizeof buf) return NULL;
    return b64url_encode((const unsigned char *)buf, (size_t)n);
}

int page_cursor_decode(const char *cursor, const char *sort, char *key, size_t keylen, char *id,
                       size_t idlen)
{
    size_t n;
    int rc = -1;
    if (!cursor || strlen(cursor) > 700) return -1;
    char *raw = (char *)b64url_decode(cursor, &n);
    if (!raw || strlen(raw) != n) goto cleanup;
    char *k = strchr(raw, '\x1f');
    if (!k) goto cleanup;
    *k++ = 0;
    char *i = strchr(k, '\x1f');
    if (!i) goto cleanup;
    *i++ = 0;
    if (strcmp(raw, sort) != 0 || !valid_uuid(i) || strlen(k) >= keylen || strlen(i) >= idlen)
        goto cleanup;
    if (utf8_length(k, strlen(k)) < 0) goto cleanup;
    strcpy(key, k);
    strcpy(id, i);
    rc = 0;
cleanup:
    free(raw);
    return rc;
}

int page_parse_limit(const char *text, int *limit)
{
    if (!text) {
        *limit = PAGE_DEFAULT;
        return 0;
    }
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < 1 || v > PAGE_MAX) return -1;
    *limit = (int)v;
    return 0;
}

int page_read(struct req *r, struct page *p, const char *const *sorts)
{
    memset(p, 0, sizeof *p);
    if (page_parse_limit(req_param(r, "limit"), &p->limit) < 0) {
        json_t *e = json_array();
        problem_add_error(e, "/query/limit", "must be an integer between 1 and 500");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return -1;
    }
    snprintf(p->limit_text, sizeof p->limit_text, "%d", p->limit + 1);
    const char *sort = req_param(r, "sort");
    p->sort = sorts ? sorts[0] : "";
    if (sort && sorts) {
        const char *const *s = sorts;
        while (*s && strcmp(*s, sort) != 0)
            s++;
        if (!*s) {
            json_t *e = json_array();
            char d[512];
            size_t n = snprintf(d, sizeof d, "must be one of:");
            for (s = sorts; *s && n < sizeof d; s++)
                n += snprintf(d + n, sizeof d - n, " %s", *s);
            problem_add_error(e, "/query/sort", d);
            problem_invalid(r, 400, "Invalid query parameter.", e);
            return -1;
        }
        p->sort = *s;
    }
    const char *cursor = req_param(r, "cursor");
    if (cursor) {
        if (page_cursor_decode(cursor, p->sort, p->key, sizeof p->key, p->id, sizeof p->id) < 0) {
            json_t *e = json_array();
            problem_add_error(e, "/query/cursor", "is not a cursor issued for this list and sort");
            problem_invalid(r, 400, "Invalid query parameter.", e);
            return -1;
        }
        p->has_cursor = 1;
    }
    return 0;
}

void page_reply(struct req *r, const struct page *p, PGresult *res, int json_col, int key_col,
                int id_col)
{
    int rows = PQntuples(res);
    int shown = rows > p->limit ? p->limit : rows;
    size_t cap = 64;
    for (int i = 0; i < shown; i++)
        cap += (size_t)PQgetlength(res, i, json_col) + 1;
    char *next = NULL;
    if (rows > p->limit && shown > 0)
        next = page_cursor_encode(p->sort, PQgetvalue(res, shown - 1, key_col),
                                  PQgetvalue(res, shown - 1, id_col));
    cap += next ? strlen(next) : 0;
    char *buf = malloc(cap);
    if (!buf) {
        free(next);
        problem(r, 500, NULL);
        return;
    }
    size_t o = 0;
    memcpy(buf, "{\"items\":[", 10);
    o = 10;
    for (int i = 0; i < shown; i++) {
        if (i) buf[o++] = ',';
        size_t n = (size_t)PQgetlength(res, i, json_col);
        memcpy(buf + o, PQgetvalue(res, i, json_col), n);
        o += n;
    }
    o += (size_t)snprintf(buf + o, cap - o, "],\"next_cursor\":%s%s%s}", next ? "\"" : "",
                          next ? next : "null", next ? "\"" : "");
    reply_text(r, 200, "application/json", buf, o);
    free(buf);
    free(next);
}

void page_start(struct page *p, const char *start, int desc)
{
    if (p->has_cursor) return;
    snprintf(p->key, sizeof p->key, "%s", start ? start : "");
    snprintf(p->id, sizeof p->id, "%s",
             desc ? "ffffffff-ffff-ffff-ffff-ffffffffffff"
                  : "00000000-0000-0000-0000-000000000000");
}
