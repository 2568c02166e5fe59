/* req_if_match() on any If-Match header, through the fake request: absent or "*" gives no version;
 * a strong or weak "v<digits>" gives those digits; anything else gives a 412 problem and no
 * version. The version buffer is never overrun (it is given exactly 24 bytes, as handlers do). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fake.h"
#include "resource.h"

static int ref_parse(const char *h, char *out, size_t cap)
{
    if (strncmp(h, "W/", 2) == 0) h += 2;
    size_t n = strlen(h);
    if (n < 4 || h[0] != '"' || h[1] != 'v' || h[n - 1] != '"' || n - 3 >= cap) return -1;
    for (size_t i = 2; i < n - 1; i++)
        if (h[i] < '0' || h[i] > '9') return -1;
    memcpy(out, h + 2, n - 3);
    out[n - 3] = 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct req r;
    char *h = malloc(size + 1);
    memcpy(h, data, size);
    h[size] = 0;
    fake_reset(&r);
    fake.if_match = h;
    char *version = malloc(24); /* heap: ASan sees one byte past it */
    const char *out = (const char *)1;
    int rc = req_if_match(&r, version, 24, &out);
    char want[24];
    if (strcmp(h, "*") == 0) {
        if (rc != 0 || out != NULL || fake.status) abort();
    } else if (ref_parse(h, want, sizeof want) == 0) {
        if (rc != 0 || out != version || strcmp(version, want) || fake.status) abort();
    } else {
        if (rc != -1 || out != NULL || fake.status != 412) abort();
        json_t *p = json_loads(fake.reply, 0, NULL);
        if (!p || json_integer_value(json_object_get(p, "status")) != 412 ||
            strcmp(fake.content_type, "application/problem+json"))
            abort();
        json_decref(p);
    }
    free(version);
    free(h);
    fake_reset(&r);
    return 0;
}
