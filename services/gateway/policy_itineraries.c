/* Routes of the itineraries service and the roles that may call them. Persons, assessments and
 * itineraries are for case managers (their own organisation's, decided by the service) and
 * admins; providers reach only the stages assigned to them and their obstacles; analysts and
 * researchers get segment counts, never persons; a person reads their own record. The
 * instruments, the service catalogue and the templates are open to every authenticated caller. */
#include "policy.h"

#define MANAGE   (ROLE_ADMIN | ROLE_CASE_MANAGER)
#define WORK     (MANAGE | ROLE_PROVIDER)
#define SEGMENTS (MANAGE | ROLE_HUB_ANALYST | ROLE_RESEARCHER)
#define ANALYSE  (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER)
#define SELF     (ROLE_PERSON)

static const struct policy_rule itineraries_rules[] = {
    {"GET", "/v1/instruments", ROLE_ANY},
    {"GET", "/v1/instruments/:code", ROLE_ANY},

    {"GET", "/v1/persons", MANAGE},
    {"POST", "/v1/persons", MANAGE},
    {"POST", "/v1/persons/bulk", MANAGE},
    {"GET", "/v1/persons/:id", MANAGE},
    {"PATCH", "/v1/persons/:id", MANAGE},
    {"POST", "/v1/persons/:id/consent-withdrawal", MANAGE},
    {"GET", "/v1/persons/:id/identifiers", MANAGE},
    {"PUT", "/v1/persons/:id/identifiers", MANAGE},
    {"GET", "/v1/persons/:id/access-log/verify", ROLE_ADMIN},
    {"GET", "/v1/persons/:id/export", MANAGE},
    {"POST", "/v1/persons/:id/erasure", ROLE_ADMIN},

    {"GET", "/v1/persons/:id/caregivers", MANAGE},
    {"POST", "/v1/persons/:id/caregivers", MANAGE},
    {"GET", "/v1/caregivers/:id", MANAGE},
    {"PATCH", "/v1/caregivers/:id", MANAGE},

    {"GET", "/v1/persons/:id/assessments", MANAGE},
    {"GET", "/v1/persons/:id/assessments/latest", MANAGE},
    {"POST", "/v1/persons/:id/assessments", MANAGE},
    {"POST", "/v1/assessments/bulk", MANAGE},
    {"GET", "/v1/assessments/:id", MANAGE},

    {"POST", "/v1/persons/:id/itinerary-suggestions", MANAGE},

    {"GET", "/v1/services", ROLE_ANY},
    {"POST", "/v1/services", MANAGE},
    {"GET", "/v1/services/:id", ROLE_ANY},
    {"PATCH", "/v1/services/:id", MANAGE},
    {"GET", "/v1/services/:id/prices", ROLE_ANY},
    {"PUT", "/v1/services/:id/prices", MANAGE},
    {"GET", "/v1/hsds/services", ROLE_ANY},
    {"GET", "/v1/hsds/services/:id", ROLE_ANY},

    {"GET", "/v1/templates", ROLE_ANY},
    {"POST", "/v1/templates", MANAGE},
    {"GET", "/v1/templates/:id", ROLE_ANY},
    {"PATCH", "/v1/templates/:id", MANAGE},

    {"GET", "/v1/itineraries", MANAGE},
    {"POST", "/v1/itineraries", MANAGE},
    {"GET", "/v1/itineraries/indicators", ANALYSE},
    {"GET", "/v1/itineraries/:id", MANAGE},
    {"PATCH", "/v1/itineraries/:id", MANAGE},
    {"GET", "/v1/itineraries/:id/events", MANAGE},
    {"GET", "/v1/itineraries/:id/fhir", MANAGE},
    {"GET", "/v1/itineraries/:id/stages", MANAGE},
    {"POST", "/v1/itineraries/:id/stages", MANAGE},
    {"POST", "/v1/itineraries/:id/stages/order", MANAGE},

    {"GET", "/v1/stages", WORK},
    {"GET", "/v1/stages/:id", WORK},
    {"PATCH", "/v1/stages/:id", WORK},
    {"DELETE", "/v1/stages/:id", MANAGE},
    {"GET", "/v1/stages/:id/units", WORK},
    {"PUT", "/v1/stages/:id/units", WORK},
    {"GET", "/v1/stages/:id/obstacles", WORK},
    {"POST", "/v1/stages/:id/obstacles", WORK},
    {"PATCH", "/v1/obstacles/:id", WORK},

    {"GET", "/v1/referrals", MANAGE},
    {"POST", "/v1/referrals", WORK},
    {"GET", "/v1/referrals/:id", MANAGE},
    {"POST", "/v1/referrals/:id/accept", MANAGE},
    {"POST", "/v1/referrals/:id/decline", MANAGE},

    {"GET", "/v1/segments", SEGMENTS},
    {"GET", "/v1/segments/proactive", MANAGE},
    {"GET", "/v1/segments/:id/no-intervention", ANALYSE},
    {"PUT", "/v1/segments/:id/no-intervention", ROLE_ADMIN | ROLE_HUB_ANALYST},
    {"GET", "/v1/segments/:id/economics", ANALYSE},

    {"GET", "/v1/me/record", SELF},
    {"GET", "/v1/me/access-log", SELF},
    {"GET", "/v1/me/export", SELF},
    {"POST", "/v1/me/consent-withdrawal", SELF},
};

POLICY_TABLE(itineraries, itineraries_rules)
