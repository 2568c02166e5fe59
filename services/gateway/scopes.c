/* OAuth scopes (see scopes.h): two bits per part, read and write. */
#include "scopes.h"

#include <stdio.h>
#include <string.h>

const char *const scope_parts[] = {"projects", "itineraries", "evaluation", "transfer",
                                   "changes",  "webhooks",    "clients",    NULL};

#define READ(i)  (1u << (2 * (i)))
#define WRITE(i) (1u << (2 * (i) + 1))

static int part_index(const char *name, size_t len)
{
    for (int i = 0; scope_parts[i]; i++)
        if (strlen(scope_parts[i]) == len && strncmp(scope_parts[i], name, len) == 0) return i;
    return -1;
}

/* The bits one scope grants, 0 for a name of no part of this API. */
static unsigned scope_bits(const char *name, size_t len)
{
    const char *colon = memchr(name, ':', len);
    if (!colon) {
        int i = part_index(name, len);
        return i < 0 ? 0 : READ(i) | WRITE(i);
    }
    size_t rest = len - (size_t)(colon - name) - 1;
    if (rest != 4 || strncmp(colon + 1, "read", 4) != 0) return 0;
    int i = part_index(name, (size_t)(colon - name));
    return i < 0 ? 0 : READ(i);
}

unsigned scopes_parse(const char *list)
{
    unsigned granted = 0;
    for (const char *p = list; p && *p;) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        granted |= scope_bits(p, n);
        p += n;
    }
    return granted ? granted : SCOPES_UNRESTRICTED;
}

int scope_known(const char *name)
{
    return name && !strchr(name, ' ') && scope_bits(name, strlen(name)) != 0;
}

int scopes_allow(unsigned scopes, const char *part, int write)
{
    if (scopes == SCOPES_UNRESTRICTED) return 1;
    int i = part_index(part, strlen(part));
    if (i < 0) return 0;
    return (scopes & (write ? WRITE(i) : READ(i))) != 0;
}
