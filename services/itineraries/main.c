/* Itineraries service: wires the routes and starts the server. */
#include "itineraries.h"
#include "changes.h"
#include "housekeeping.h"
#include "server.h"

#define BODY   (ROUTE_JSON)
#define CREATE (ROUTE_JSON | ROUTE_IDEMPOTENT)
#define BULK   (ROUTE_NDJSON | ROUTE_IDEMPOTENT)
#define ACTION (ROUTE_IDEMPOTENT)
/* Person-level data: a professional caller states a purpose of use (common/caller.c). */
#define P ROUTE_PERSONAL

static const struct route routes[] = {
    {"GET", "/v1/instruments", instruments_list, 0},
    {"GET", "/v1/instruments/:code", instruments_get, 0},

    {"GET", "/v1/persons", persons_list, P},
    {"POST", "/v1/persons", persons_create, CREATE | P},
    {"POST", "/v1/persons/bulk", persons_bulk, BULK | P},
    {"GET", "/v1/persons/:id", persons_get, P},
    {"PATCH", "/v1/persons/:id", persons_update, BODY | P},
    {"POST", "/v1/persons/:id/consent-withdrawal", persons_withdraw_consent, ACTION | P},
    {"GET", "/v1/persons/:id/identifiers", identifiers_get, P},
    {"GET", "/v1/persons/:id/access-log/verify", access_log_verify_get, P},
    {"GET", "/v1/persons/:id/export", persons_export, P},
    {"POST", "/v1/persons/:id/erasure", persons_erase, BODY | P},
    {"PUT", "/v1/persons/:id/identifiers", identifiers_put, BODY | P},

    {"GET", "/v1/persons/:id/caregivers", caregivers_list, P},
    {"POST", "/v1/persons/:id/caregivers", caregivers_create, CREATE | P},
    {"GET", "/v1/caregivers/:id", caregivers_get, P},
    {"PATCH", "/v1/caregivers/:id", caregivers_update, BODY | P},

    {"GET", "/v1/persons/:id/assessments", assessments_list, P},
    {"GET", "/v1/persons/:id/assessments/latest", assessments_latest, P},
    {"POST", "/v1/persons/:id/assessments", assessments_create, CREATE | P},
    {"POST", "/v1/assessments/bulk", assessments_bulk, BULK | P},
    {"GET", "/v1/assessments/:id", assessments_get, P},

    {"POST", "/v1/persons/:id/itinerary-suggestions", suggestions_create, ACTION | P},

    {"GET", "/v1/services", services_list, 0},
    {"POST", "/v1/services", services_create, CREATE},
    {"GET", "/v1/services/:id", services_get, 0},
    {"PATCH", "/v1/services/:id", services_update, BODY},
    {"GET", "/v1/services/:id/prices", prices_get, 0},
    {"PUT", "/v1/services/:id/prices", prices_put, BODY},
    {"GET", "/v1/hsds/services", services_hsds_list, 0},
    {"GET", "/v1/hsds/services/:id", services_hsds_get, 0},

    {"GET", "/v1/templates", templates_list, 0},
    {"POST", "/v1/templates", templates_create, CREATE},
    {"GET", "/v1/templates/:id", templates_get, 0},
    {"PATCH", "/v1/templates/:id", templates_update, BODY},

    {"GET", "/v1/itineraries", itineraries_list, P},
    {"POST", "/v1/itineraries", itineraries_create, CREATE | P},
    {"GET", "/v1/itineraries/indicators", itinerary_indicators_get, 0},
    {"GET", "/v1/itineraries/:id", itineraries_get, P},
    {"PATCH", "/v1/itineraries/:id", itineraries_update, BODY | P},
    {"GET", "/v1/itineraries/:id/events", itineraries_events, P},
    {"GET", "/v1/itineraries/:id/fhir", itineraries_fhir, P},
    {"GET", "/v1/itineraries/:id/stages", stages_list, P},
    {"POST", "/v1/itineraries/:id/stages", stages_create, CREATE | P},
    {"POST", "/v1/itineraries/:id/stages/order", stages_reorder, BODY | P},

    {"GET", "/v1/stages", stages_assigned, P},
    {"GET", "/v1/stages/:id", stages_get, P},
    {"PATCH", "/v1/stages/:id", stages_update, BODY | P},
    {"DELETE", "/v1/stages/:id", stages_delete, P},
    {"GET", "/v1/stages/:id/units", stage_units_get, P},
    {"PUT", "/v1/stages/:id/units", stage_units_put, BODY | P},
    {"GET", "/v1/stages/:id/obstacles", obstacles_list, P},
    {"POST", "/v1/stages/:id/obstacles", obstacles_create, CREATE | P},
    {"PATCH", "/v1/obstacles/:id", obstacles_update, BODY | P},

    {"GET", "/v1/referrals", referrals_list, P},
    {"POST", "/v1/referrals", referrals_create, CREATE | P},
    {"GET", "/v1/referrals/:id", referrals_get, P},
    {"POST", "/v1/referrals/:id/accept", referrals_accept, ACTION | P},
    {"POST", "/v1/referrals/:id/decline", referrals_decline, CREATE | P},

    {"GET", "/v1/segments", segments_counts, 0},
    {"GET", "/v1/segments/proactive", segments_proactive, P},
    {"GET", "/v1/segments/:id/no-intervention", no_intervention_get, 0},
    {"PUT", "/v1/segments/:id/no-intervention", no_intervention_put, BODY},
    {"GET", "/v1/segments/:id/economics", segment_economics_get, 0},

    {"GET", "/v1/me/record", me_record, P},
    {"GET", "/v1/me/access-log", me_access_log, P},
    {"GET", "/v1/me/export", me_export, P},
    {"POST", "/v1/me/consent-withdrawal", me_withdraw_consent, ACTION | P},

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
