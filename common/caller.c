#include <string.h>
#include "caller.h"
#include "validate.h"

static const char *const role_names[ROLE_COUNT] = {
    "admin",    "hub_analyst", "project_manager", "case_manager",
    "provider", "researcher",  "respondent",      "person",
};

unsigned role_from_name(const char *name)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (name && strcmp(name, role_names[i]) == 0) return 1u << i;
    return 0;
}

const char *role_name(unsigned bit)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (bit == (1u << i)) return role_names[i];
    return NULL;
}

int caller_has(const struct caller *c, unsigned mask)
{
    return (c->roles & mask) != 0;
}

int caller_sees_all(const struct caller *c)
{
    return caller_has(c, ROLE_ADMIN | ROLE_HUB_ANALYST);
}

int caller_org_valid(const char *org, unsigned roles)
{
    if (org && *org) return valid_uuid(org);
    return (roles & ROLES_OF_AN_ORGANISATION) == 0;
}
