/* Origin allow-list and preflight checks. */
#include "cors.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cors {
    char **origins;
    size_t n;
};

void cors_free(cors_t *cors)
{
    if (!cors) return;
    for (size_t i = 0; i < cors->n; i++)
        free(cors->origins[i]);
    free(cors->origins);
    free(cors);
}

cors_t *cors_new(const char *allow_list)
{
    cors_t *cors = calloc(1, sizeof *cors);
    if (!cors) return NULL;
    const char *p = allow_list ? allow_list : "";
    while (*p) {
        size_t skip = strspn(p, ", \t"), len;
        p += skip;
        len = strcspn(p, ", \t");
        if (!len) break;
        if ((len == 1 && *p == '*') || len > 255) goto fail;
        char **grown = realloc(cors->origins, (cors->n + 1) * sizeof *grown);
        if (!grown) goto fail;
        cors->origins = grown;
        if (!(cors->origins[cors->n] = strndup(p, len))) goto fail;
        cors->n++;
        p += len;
    }
    return cors;
fail:
    cors_free(cors);
    return NULL;
}

int cors_origin_allowed(const cors_t *cors, const char *origin)
{
    if (!cors || !origin || !*origin) return 0;
    for (size_t i = 0; i < cors->n; i++)
        if (strcmp(cors->origins[i], origin) == 0) return 1;
    return 0;
}

int cors_method_allowed(const char *method)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; method && i < sizeof methods / sizeof *methods; i++)
        if (strcmp(methods[i], method) == 0) return 1;
    return 0;
}

int cors_headers_allowed(const char *request_headers)
{
    static const char *const allowed[] = {"authorization", "content-type",   "idempotency-key",
                                          "if-match",      "if-none-match",  "x-request-id",
                                          "accept",        "accept-language"};
    const char *p = request_headers ? request_headers : "";
    while (*p) {
        p += strspn(p, ", \t");
        size_t len = strcspn(p, ", \t");
        if (!len) break;
        int ok = 0;
        for (size_t i = 0; !ok && i < sizeof allowed / sizeof *allowed; i++)
            ok = strlen(allowed[i]) == len && strncasecmp(allowed[i], p, len) == 0;
        if (!ok) return 0;
        p += len;
    }
    return 1;
}
