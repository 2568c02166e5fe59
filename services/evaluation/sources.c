#include "sources.h"

#include <stdio.h>
#include <string.h>

static const json_t *walk(const json_t *doc, const char *path)
{
    char key[64];
    const json_t *v = doc;
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n == 0 || n >= sizeof key) return NULL;
        memcpy(key, path, n);
        key[n] = 0;
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
        path += n;
        if (*path == '.') path++;
    }
    return v;
}

int figure_at(const json_t *doc, const char *path, double scale, double *value, const char **reason)
{
    if (!path || !json_is_object(doc)) {
        *reason = "the source's answer has not the expected shape";
        return -1;
    }
    const json_t *v = walk(doc, path);
    if (!v) {
        *reason = "the source's answer lacks this figure";
        return -1;
    }
    if (json_is_object(v)) {
        if (json_is_true(json_object_get(v, "suppressed"))) {
            *reason = "suppressed by the source: fewer than 5 cases (small-cell rule)";
            return -1;
        }
        v = json_object_get(v, "value");
        if (!v) {
            *reason = "the source's answer lacks this figure";
            return -1;
        }
    }
    if (json_is_null(v)) {
        *reason = "no cases in the scope and period (the share or median is undefined)";
        return -1;
    }
    if (!json_is_number(v)) {
        *reason = "the source's answer has not the expected shape";
        return -1;
    }
    *value = json_number_value(v) * scale;
    return 0;
}

int query_escape(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        int keep = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                   (*c >= '0' && *c <= '9') || strchr("-._~", *c);
        if (n + (keep ? 1 : 3) >= cap) return -1;
        if (keep) {
            out[n++] = (char)*c;
        } else {
            out[n++] = '%';
            out[n++] = hex[*c >> 4];
            out[n++] = hex[*c & 15];
        }
    }
    if (n >= cap) return -1;
    out[n] = 0;
    return 0;
}
