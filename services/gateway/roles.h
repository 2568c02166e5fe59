/* The roles of the suite (DESIGN.md) as a bitmask, so a route's policy is one AND. */
#ifndef GATEWAY_ROLES_H
#define GATEWAY_ROLES_H

#include <jansson.h>

enum role {
    ROLE_ADMIN = 1u << 0,
    ROLE_HUB_ANALYST = 1u << 1,
    ROLE_PROJECT_MANAGER = 1u << 2,
    ROLE_CASE_MANAGER = 1u << 3,
    ROLE_PROVIDER = 1u << 4,
    ROLE_RESEARCHER = 1u << 5,
    ROLE_RESPONDENT = 1u << 6,
    ROLE_PERSON = 1u << 7,
};
#define ROLE_COUNT 8
#define ROLE_ALL   ((1u << ROLE_COUNT) - 1)

/* The bit of a role name, or 0 when the name is not a role. Case-sensitive. */
unsigned role_from_name(const char *name);

/* Name of a single role bit, or NULL. */
const char *role_name(unsigned role);

/* Bitmask of the known role names in a JSON array of strings; unknown names are ignored.
 * Returns -1 when `roles` is not an array of strings. */
long roles_from_json(const json_t *roles);

/* Bitmask of a comma- or space-separated list ("admin,hub_analyst"). Returns -1 on an unknown
 * name, so that configuration mistakes are loud. */
long roles_from_list(const char *list);

/* New JSON array of the names of the bits set in `roles`. */
json_t *roles_to_json(unsigned roles);

#endif
