/* Itineraries service: wires the routes and starts the server. */
#include "itineraries.h"
#include "changes.h"
#include "crud.h"
#include "housekeeping.h"
#include "server.h"

#define BODY   (ROUTE_JSON)
#define CREATE (ROUTE_JSON | ROUTE_IDEMPOTENT)
#define BULK   (ROUTE_NDJSON | ROUTE_IDEMPOTENT)
#define ACTION (ROUTE_IDEMPOTENT)
/* Person-level data: a professional caller states a purpose of use (common/caller.c). */
#define P ROUTE_PERSONAL

static const struct route routes[] = {
    {"GET", "/v1/instruments", instruments_list, 0, NULL},
    {"GET", "/v1/instruments/:code", instruments_get, 0, NULL},

    {"GET", "/v1/persons", persons_list, P,
     "limit cursor sort municipality comarca risk_band external_id"},
    {"POST", "/v1/persons", persons_create, CREATE | P, NULL},
    {"POST", "/v1/persons/bulk", persons_bulk, BULK | P, NULL},
    {"GET", "/v1/persons/:id", persons_get, P, NULL},
    {"PATCH", "/v1/persons/:id", persons_update, BODY | P, NULL},
    {"POST", "/v1/persons/:id/consent-withdrawal", persons_withdraw_consent, ACTION | P, NULL},
    {"GET", "/v1/persons/:id/identifiers", identifiers_get, P, NULL},
    {"GET", "/v1/persons/:id/access-log/verify", access_log_verify_get, P, NULL},
    {"GET", "/v1/persons/:id/export", persons_export, P, NULL},
    {"POST", "/v1/persons/:id/erasure", persons_erase, BODY | P, NULL},
    {"PUT", "/v1/persons/:id/identifiers", identifiers_put, BODY | P, NULL},

    {"GET", "/v1/persons/:id/caregivers", caregivers_list, P, "limit cursor"},
    {"POST", "/v1/persons/:id/caregivers", caregivers_create, CREATE | P, NULL},
    {"GET", "/v1/caregivers/:id", caregivers_get, P, NULL},
    {"PATCH", "/v1/caregivers/:id", caregivers_update, BODY | P, NULL},

    {"GET", "/v1/persons/:id/assessments", assessments_list, P,
     "limit cursor instrument caregiver_id"},
    {"GET", "/v1/persons/:id/assessments/latest", assessments_latest, P, NULL},
    {"POST", "/v1/persons/:id/assessments", assessments_create, CREATE | P, NULL},
    {"POST", "/v1/assessments/bulk", assessments_bulk, BULK | P, NULL},
    {"GET", "/v1/assessments/:id", assessments_get, P, NULL},

    {"POST", "/v1/persons/:id/itinerary-suggestions", suggestions_create, ACTION | P, NULL},

    {"GET", "/v1/services", resource_list, 0,
     "limit cursor category status municipality code provider_org", &itin_services},
    {"POST", "/v1/services", services_create, CREATE, NULL, &itin_services},
    {"GET", "/v1/services/:id", resource_get, 0, NULL, &itin_services},
    {"PATCH", "/v1/services/:id", services_update, BODY, NULL, &itin_services},
    {"GET", "/v1/services/:id/prices", prices_get, 0, NULL},
    {"PUT", "/v1/services/:id/prices", prices_put, BODY, NULL},
    {"GET", "/v1/hsds/services", resource_list, 0,
     "limit cursor category status municipality code provider_org", &itin_services_hsds},
    {"GET", "/v1/hsds/services/:id", resource_get, 0, NULL, &itin_services_hsds},

    {"GET", "/v1/templates", resource_list, 0, "limit cursor active", &itin_templates},
    {"POST", "/v1/templates", templates_create, CREATE, NULL, &itin_templates},
    {"GET", "/v1/templates/:id", resource_get, 0, NULL, &itin_templates},
    {"PATCH", "/v1/templates/:id", templates_update, BODY, NULL, &itin_templates},

    {"GET", "/v1/itineraries", itineraries_list, P,
     "limit cursor overdue sort person_id status case_manager"},
    {"POST", "/v1/itineraries", itineraries_create, CREATE | P, NULL},
    {"GET", "/v1/itineraries/indicators", itinerary_indicators_get, 0, "scope from to"},
    {"GET", "/v1/itineraries/:id", itineraries_get, P, NULL},
    {"PATCH", "/v1/itineraries/:id", itineraries_update, BODY | P, NULL},
    {"GET", "/v1/itineraries/:id/events", itineraries_events, P, "limit cursor entity"},
    {"GET", "/v1/itineraries/:id/fhir", itineraries_fhir, P, NULL},
    {"GET", "/v1/itineraries/:id/stages", stages_list, P, NULL},
    {"POST", "/v1/itineraries/:id/stages", stages_create, CREATE | P, NULL},
    {"POST", "/v1/itineraries/:id/stages/order", stages_reorder, BODY | P, NULL},

    {"GET", "/v1/stages", stages_assigned, P, "limit cursor status overdue responsible_org"},
    {"GET", "/v1/stages/:id", stages_get, P, NULL},
    {"PATCH", "/v1/stages/:id", stages_update, BODY | P, NULL},
    {"DELETE", "/v1/stages/:id", stages_delete, P, NULL},
    {"GET", "/v1/stages/:id/units", stage_units_get, P, NULL},
    {"PUT", "/v1/stages/:id/units", stage_units_put, BODY | P, NULL},
    {"GET", "/v1/stages/:id/obstacles", obstacles_list, P, "limit cursor"},
    {"POST", "/v1/stages/:id/obstacles", obstacles_create, CREATE | P, NULL},
    {"PATCH", "/v1/obstacles/:id", obstacles_update, BODY | P, NULL},

    {"GET", "/v1/referrals", referrals_list, P, "limit cursor status sort"},
    {"POST", "/v1/referrals", referrals_create, CREATE | P, NULL},
    {"GET", "/v1/referrals/:id", referrals_get, P, NULL},
    {"POST", "/v1/referrals/:id/accept", referrals_accept, ACTION | P, NULL},
    {"POST", "/v1/referrals/:id/decline", referrals_decline, CREATE | P, NULL},

    {"GET", "/v1/segments", segments_counts, 0, "by comarca risk_band"},
    {"GET", "/v1/segments/proactive", segments_proactive, P,
     "limit cursor min_band municipality comarca"},
    {"GET", "/v1/segments/:id/no-intervention", no_intervention_get, 0, NULL},
    {"PUT", "/v1/segments/:id/no-intervention", no_intervention_put, BODY, NULL},
    {"GET", "/v1/segments/:id/economics", segment_economics_get, 0, NULL},

    {"GET", "/v1/me/record", me_record, P, NULL},
    {"GET", "/v1/me/access-log", me_access_log, P, "limit cursor"},
    {"GET", "/v1/me/export", me_export, P, NULL},
    {"POST", "/v1/me/consent-withdrawal", me_withdraw_consent, ACTION | P, NULL},

    CHANGES_ROUTE,
};

/* Declined referrals: a person known only through them is erased after the retention. */
static const char *const SQL_DECLINED_RETENTION = "SELECT erase_declined_referrals($1::int)";

int main(int argc, char **argv)
{
    housekeeping_task("persons of declined referrals past their retention erased",
                      SQL_DECLINED_RETENTION, "DECLINED_REFERRAL_RETENTION_DAYS", 90);
    static const struct service svc = {
        .name = "itineraries",
        .schema = "itineraries",
        .routes = routes,
        .nroutes = sizeof routes / sizeof routes[0],
    };
    return server_main(&svc, argc, argv);
}
