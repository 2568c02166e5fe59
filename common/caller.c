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

static const char *const purposes[] = {
    "care_coordination", "assessment", "service_provision", "audit", "legal_obligation",
    "self_access",       NULL,
};

int purpose_known(const char *name)
{
    for (int i = 0; name && purposes[i]; i++)
        if (strcmp(name, purposes[i]) == 0) return 1;
    return 0;
}

const char *caller_purpose(const struct caller *c)
{
    if (c->roles == ROLE_PERSON) return "self_access";
    return c->purpose[0] ? c->purpose : NULL;
}

const char *purpose_refusal(const struct caller *c)
{
    if (c->roles == ROLE_PERSON) return NULL;
    if (!c->purpose[0])
        return "Person-level data is read for a stated purpose: send X-Purpose-Of-Use (or a token "
               "with a purpose claim) naming one of: " PURPOSE_LIST ".";
    if (strcmp(c->purpose, "self_access") == 0)
        return "self_access is the purpose of a person reading their own record; state the "
               "professional purpose of this request in X-Purpose-Of-Use.";
    return NULL;
}

int caller_org_valid(const char *org, unsigned roles)
{
    if (org && *org) return valid_uuid(org);
    return (roles & ROLES_OF_AN_ORGANISATION) == 0;
}
