/* Export of an itinerary as an HL7 FHIR R4 Bundle (type "collection"): the Patient (pseudonymised:
 * id, gender, birth year, municipality), the CarePlan (status, intent "plan", subject, period,
 * activities), one Goal per goal of the life project, the CareTeam (case manager, lead and
 * responsible organisations) and one ServiceRequest per stage.
 *
 * Entries are addressed by "urn:uuid:" full URLs. Person, itinerary and stage ids are reused;
 * goals and the care team get name-based UUIDs (version 5) derived from the itinerary id, so the
 * same itinerary always exports the same ids. */
#ifndef ITINERARIES_FHIR_H
#define ITINERARIES_FHIR_H

#include <jansson.h>

/* person: {"id", "sex", "birth_year", "municipality", "comarca"}
 * itinerary: {"id", "status", "title", "case_manager", "owner_org", "life_project",
 *             "started_at", "ended_at", "created_at",
 *             "stages": [{"id", "position", "status", "title", "responsible_org",
 *                         "planned_start", "planned_end", "actual_start", "actual_end",
 *                         "service": {"id", "code", "name"}}]}
 * timestamp: RFC 3339 instant of the export.
 * Returns a new Bundle, or NULL when an id is not a UUID. */
json_t *fhir_itinerary_bundle(const json_t *person, const json_t *itinerary, const char *timestamp);

/* FHIR codes for the service's statuses (exposed for tests). */
const char *fhir_careplan_status(const char *itinerary_status);
const char *fhir_goal_lifecycle(const char *itinerary_status);
const char *fhir_careteam_status(const char *itinerary_status);
const char *fhir_request_status(const char *itinerary_status, const char *stage_status);

/* Name-based UUID (RFC 4122 version 5) of `name` in the namespace of UUID `ns`; out gets 37 bytes.
 * Returns 0, or -1 when ns is not a UUID. */
int fhir_uuid5(const char *ns, const char *name, char out[37]);

#endif
