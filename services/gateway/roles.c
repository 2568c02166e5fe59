/* Role names and their bits. */
#include "roles.h"

#include <string.h>

static const char *const names[ROLE_COUNT] = {
    "admin",    "hub_analyst", "project_manager", "case_manager",
    "provider", "researcher",  "respondent",      "person",
};

unsigned role_from_name(const char *name)
{
    for (unsigned i = 0; name && i < ROLE_COUNT; i++)
        if (strcmp(names[i], name) == 0) return 1u << i;
    return 0;
}

const char *role_name(unsigned role)
{
    for (unsigned i = 0; i < ROLE_COUNT; i++)
        if (role == 1u << i) return names[i];
    return NULL;
}

long roles_from_json(const json_t *roles)
{
    long mask = 0;
    size_t i;
    const json_t *item;
    if (!json_is_array(roles)) return -1;
    json_array_foreach(roles, i, item)
    {
        if (!json_is_string(item)) return -1;
        mask |= role_from_name(json_string_value(item));
    }
    return mask;
}

long roles_from_list(const char *list)
{
    long mask = 0;
    char name[32];
    size_t len = 0;
    for (const char *p = list;; p++) {
        if (*p && *p != ',' && *p != ' ') {
            if (len + 1 >= sizeof name) return -1;
            name[len++] = *p;
            continue;
        }
        if (len) {
            name[len] = '\0';
            unsigned bit = role_from_name(name);
            if (!bit) return -1;
            mask |= bit;
            len = 0;
        }
        if (!*p) break;
    }
    return mask;
}

json_t *roles_to_json(unsigned roles)
{
    json_t *array = json_array();
    for (unsigned i = 0; array && i < ROLE_COUNT; i++)
        if (roles & (1u << i)) json_array_append_new(array, json_string(names[i]));
    return array;
}
