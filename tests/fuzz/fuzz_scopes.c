/* The gateway's OAuth scope reader (scopes_parse, scope_known, scopes_allow). Checks against a
 * reference read of the same text: a part is reachable for reading exactly when some
 * space-separated word is the part's name or "<part>:read", for writing exactly when some word is
 * the part's name; a text naming no part of the API is unrestricted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scopes.h"

/* What the words of text grant for one part: bit 0 read, bit 1 write. */
static int reference(const char *text, const char *part, int *named_any)
{
    int granted = 0;
    size_t plen = strlen(part);
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n) break;
        for (int i = 0; scope_parts[i]; i++) {
            size_t m = strlen(scope_parts[i]);
            if (!strncmp(p, scope_parts[i], m) &&
                (n == m || (n == m + 5 && !strncmp(p + m, ":read", 5))))
                *named_any = 1;
        }
        if (n == plen && !strncmp(p, part, plen)) granted |= 3;
        if (n == plen + 5 && !strncmp(p, part, plen) && !strncmp(p + plen, ":read", 5))
            granted |= 1;
        p += n;
    }
    return granted;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    unsigned s = scopes_parse(text);
    int named_any = 0;
    int expect[16];
    for (int i = 0; scope_parts[i]; i++)
        expect[i] = reference(text, scope_parts[i], &named_any);
    for (int i = 0; scope_parts[i]; i++) {
        int r = scopes_allow(s, scope_parts[i], 0), w = scopes_allow(s, scope_parts[i], 1);
        if (!named_any ? !(r && w) : (r != (expect[i] & 1) || w != ((expect[i] & 2) != 0))) abort();
    }
    if (named_any == (s == SCOPES_UNRESTRICTED)) abort();
    /* A single known word is known; anything with a space is not one scope. */
    if (strchr(text, ' ') && scope_known(text)) abort();
    if (scope_known(text) && scopes_parse(text) == SCOPES_UNRESTRICTED) abort();
    free(text);
    return 0;
}
