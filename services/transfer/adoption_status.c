/* Adoption status lifecycle: the transition table. */
#include "adoption_status.h"

#include <stdio.h>
#include <string.h>

static const char *const names[ADOPTION_STATUS_COUNT] = {
    [ADOPTION_INTERESTED] = "interested", [ADOPTION_PLANNING] = "planning",
    [ADOPTION_PILOTING] = "piloting",     [ADOPTION_ADOPTED] = "adopted",
    [ADOPTION_SUSTAINED] = "sustained",   [ADOPTION_ABANDONED] = "abandoned",
};

int adoption_status_parse(const char *name)
{
    for (int i = 0; name && i < ADOPTION_STATUS_COUNT; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

const char *adoption_status_name(int status)
{
    return status >= 0 && status < ADOPTION_STATUS_COUNT ? names[status] : NULL;
}

int adoption_transition_allowed(int from, int to)
{
    if (from < 0 || from >= ADOPTION_STATUS_COUNT || to < 0 || to >= ADOPTION_STATUS_COUNT)
        return 0;
    if (from == ADOPTION_ABANDONED) return 0;
    if (to == ADOPTION_ABANDONED) return 1;
    return from != ADOPTION_SUSTAINED && to == from + 1;
}

const char *adoption_next_statuses(int from, char *buf, size_t size)
{
    size_t len = 0;
    if (size == 0) return buf;
    buf[0] = '\0';
    for (int to = 0; to < ADOPTION_STATUS_COUNT; to++) {
        if (!adoption_transition_allowed(from, to)) continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", names[to]);
        if (n < 0 || (size_t)n >= size - len) {
            buf[len] = '\0'; /* leave out the name that did not fit */
            break;
        }
        len += (size_t)n;
    }
    if (len == 0) snprintf(buf, size, "none");
    return buf;
}

int adoption_status_is_adopted(int status)
{
    return status == ADOPTION_ADOPTED || status == ADOPTION_SUSTAINED;
}
