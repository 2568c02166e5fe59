/* Who is calling: identity carried from the gateway in the internal token. */
#ifndef COMMON_CALLER_H
#define COMMON_CALLER_H

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

struct caller {
    char sub[128];
    char org[40]; /* organisation uuid, or empty */
    unsigned roles;
    char purpose[32]; /* purpose of use of this request (one of purpose_known), or empty */
};

/* Roles that act for one organisation: a token holding one of them must name that organisation
 * (a UUID); without it the caller would act as the hub-wide nil organisation. Admins, hub analysts
 * and researchers work across organisations; persons and respondents act for themselves (found
 * by subject). */
#define ROLES_OF_AN_ORGANISATION (ROLE_PROJECT_MANAGER | ROLE_CASE_MANAGER | ROLE_PROVIDER)

/* Role name <-> bit; 0 for an unknown name. */
unsigned role_from_name(const char *name);
const char *role_name(unsigned bit);
/* True when the caller holds any of the roles in mask. */
int caller_has(const struct caller *c, unsigned mask);
/* 1 when `org` (may be NULL or empty: none) is acceptable for `roles`: a UUID, or none when no
 * role of an organisation is held. */
int caller_org_valid(const char *org, unsigned roles);
/* Roles that see every organisation's objects (read side). */
int caller_sees_all(const struct caller *c);

/* Purposes of use a request for person-level data states (the token's `purpose` claim or the
 * X-Purpose-Of-Use header): care_coordination, assessment, service_provision, audit,
 * legal_obligation, self_access. */
#define PURPOSE_LIST                                                                               \
    "care_coordination, assessment, service_provision, audit, legal_obligation, self_access"
int purpose_known(const char *name);
/* The purpose a request of c is recorded with: self_access for a caller whose only role is
 * person (a person reads their own record), else the caller's own; NULL when there is none. */
const char *caller_purpose(const struct caller *c);
/* The rule for routes that carry person-level data: a professional caller states a purpose other
 * than self_access. Returns NULL when c may go on, else why not (for a 403). */
const char *purpose_refusal(const struct caller *c);

#endif
