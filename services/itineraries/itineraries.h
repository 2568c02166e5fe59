/* Handlers of the itineraries service, one file per resource, and the rules they share. */
#ifndef ITINERARIES_H
#define ITINERARIES_H

#include <libpq-fe.h>
#include "server.h"

/* instruments_api.c */
void instruments_list(struct req *r);
void instruments_get(struct req *r);

/* persons.c */
void persons_list(struct req *r);
void persons_create(struct req *r);
void persons_bulk(struct req *r);
void persons_get(struct req *r);
void persons_update(struct req *r);
void persons_withdraw_consent(struct req *r);
void identifiers_get(struct req *r);
void identifiers_put(struct req *r);

/* caregivers.c */
void caregivers_list(struct req *r);
void caregivers_create(struct req *r);
void caregivers_get(struct req *r);
void caregivers_update(struct req *r);

/* assessments.c */
void assessments_list(struct req *r);
void assessments_latest(struct req *r);
void assessments_create(struct req *r);
void assessments_get(struct req *r);
void assessments_bulk(struct req *r);

/* services.c: the care portfolio, declared as resources (crud.h); create and update are the
 * generic handlers for the roles that maintain the portfolio. */
extern struct resource itin_services, itin_services_hsds;
void services_create(struct req *r);
void services_update(struct req *r);

/* templates.c: templates are a resource (crud.h) */
extern struct resource itin_templates;
void templates_create(struct req *r);
void templates_update(struct req *r);
void suggestions_create(struct req *r);

/* itinerary_routes.c */
void itineraries_list(struct req *r);
void itineraries_create(struct req *r);
void itineraries_get(struct req *r);
void itineraries_update(struct req *r);
void itineraries_events(struct req *r);
void itineraries_fhir(struct req *r);

/* stages.c */
void stages_list(struct req *r);
void stages_create(struct req *r);
void stages_reorder(struct req *r);
void stages_assigned(struct req *r);
void stages_get(struct req *r);
void stages_update(struct req *r);
void stages_delete(struct req *r);

/* obstacles.c */
void obstacles_list(struct req *r);
void obstacles_create(struct req *r);
void obstacles_update(struct req *r);

/* referrals.c: inbound FHIR referrals and their triage */
void referrals_list(struct req *r);
void referrals_create(struct req *r);
void referrals_get(struct req *r);
void referrals_accept(struct req *r);
void referrals_decline(struct req *r);

/* segments.c */
void segments_counts(struct req *r);
void segments_proactive(struct req *r);

/* A population segment: a risk band and an area (comarca or municipality). */
struct segment {
    char id[200]; /* "{risk_band}:{area slug}" */
    char band[16];
    char kind[16];  /* "comarca" or "municipality" */
    char area[160]; /* its name in the reference list */
};
/* Reads path parameter "id" as a segment; answers 404 and returns -1 when it names none. */
int segment_read(struct req *r, struct segment *s);

/* prices.c: unit prices of catalogue services */
void prices_get(struct req *r);
void prices_put(struct req *r);

/* stage_units.c: planned intensity and delivered units of a stage */
void stage_units_get(struct req *r);
void stage_units_put(struct req *r);

/* segment_economics.c: what follows without intervention, and cost per case */
void no_intervention_get(struct req *r);
void no_intervention_put(struct req *r);
void segment_economics_get(struct req *r);

/* indicators.c: aggregate figures of a scope and period for the evaluation */
void itinerary_indicators_get(struct req *r);

/* me.c: a person's own record. The identity is the token's subject, linked by persons.subject
 * (unique within an organisation): me_person finds the person within the organisation the token
 * names (me_claimed_org, NULL when none), or, without one, the only organisation linking the
 * subject. 0 and id, or -1 after answering 404 (no record; unless optional, when id is left
 * empty) or 409 (several organisations link it and the token names none). */
const char *me_claimed_org(const struct req *r);
int me_person(struct req *r, char id[40], int optional);
void me_record(struct req *r);
void me_access_log(struct req *r);
void me_withdraw_consent(struct req *r);

/* privacy.c: the access log's hash chain, subject access and erasure */
void access_log_verify_get(struct req *r);
void persons_export(struct req *r);
void me_export(struct req *r);
void persons_erase(struct req *r);

/* ---- shared rules (access.c) ---- */

/* Roles: admin acts on every organisation; case_manager on its own organisation's persons and
 * itineraries; provider only on stages assigned to its organisation. */
int itin_all(const struct req *r);     /* admin */
int itin_manages(const struct req *r); /* admin or case_manager */
/* Answers 403 and returns -1 unless the caller holds one of the roles in mask. */
int itin_require(struct req *r, unsigned roles);

/* Caller identity for the access log and the timeline: actor, actor org (NULL when none), roles
 * as a PostgreSQL text[] literal, resource path, request id, purpose of use (NULL when none). */
struct audit {
    const char *p[6];
    char roles[160];
};
void audit_fill(struct req *r, struct audit *a);

/* Sets the actor of the timeline rows written by triggers in the current transaction. */
int itin_set_actor(struct req *r);

/* Answers a read by id of personal data, for admins and case managers: sql takes $1 the id, $2
 * "sees every organisation", $3 the caller's organisation and $4..$9 the audit fields, logs the
 * read in the same statement and gives the JSON and version in columns 0 and 1. */
void itin_read_logged(struct req *r, const char *sql);

/* The one answer of a write whose row carries personal data (JSON in column 0, version in 1):
 * writes the access-log row of the person in column person_col, commits the current transaction
 * when there is one (so the change and its log row commit together), then answers status (for
 * 201, Location is location/<column id_col>). Every answer with personal data is logged, whatever
 * the method; a log that cannot be written answers the problem instead of the row. */
void itin_reply_logged(struct req *r, int status, PGresult *res, int person_col, const char *action,
                       const char *location, int id_col);

/* Writes one access-log row per person in ids (a PostgreSQL uuid[] literal). */
int access_log_many(struct req *r, const char *ids, const char *action);
/* Writes the access-log row of one person; 0, or -1 when r was answered. */
int itin_log_person(struct req *r, const char *person, const char *action);
/* Before reading data of person `id`: the caller manages them (person_check) and the read is
 * logged as `action`; 0, or -1 when r was answered. */
int person_read(struct req *r, const char *id, const char *action);
/* Answers a page of rows (json, key, id, ...) whose persons are in column person_col, after
 * logging the read of each as `action`; frees res. */
struct page;
void itin_page_logged(struct req *r, const struct page *pg, PGresult *res, int person_col,
                      const char *action);

/* The columns of an access-log row, and a read by id that logs itself: a CTE "l" writes the row
 * of `person` (an expression over `from`) with the audit fields $4..$9 (itin_read_logged), then
 * the same rows answer json and version, with the log's count last. */
#define ACCESS_LOG_COLUMNS                                                                         \
    "person_id, actor, actor_org, actor_roles, resource, request_id, action, purpose"
#define ITIN_READ_LOGGED(action, person, json, version, from)                                      \
    "WITH l AS (INSERT INTO access_log (" ACCESS_LOG_COLUMNS ") SELECT " person                    \
    ", $4, $5::uuid, $6::text[], $7, $8, '" action "', $9 " from " RETURNING 1)"                   \
    " SELECT (" json ")::text, " version ", (SELECT count(*) FROM l) " from

/* Who sees a stage: admins; case managers of the itinerary's organisation; providers of the
 * responsible organisation. Parameters $2..$5 as filled by stage_visibility (s: the stage, i: its
 * itinerary). */
#define STAGE_VISIBLE                                                                              \
    " ($2::boolean OR ($4::boolean AND i.owner_org = $3::uuid)"                                    \
    "  OR ($5::boolean AND s.responsible_org = $3::uuid))"
/* A CTE "l" logging the read of stage $1 (when visible) in the person's access log, the audit
 * fields being $6..$11: reads of a stage write their log row in the same statement. */
#define STAGE_READ_LOGGED(action)                                                                  \
    "WITH l AS (INSERT INTO access_log (" ACCESS_LOG_COLUMNS ")"                                   \
    "           SELECT i.person_id, $6, $7::uuid, $8::text[], $9, $10, '" action "', $11"          \
    "             FROM stages s JOIN itineraries i ON i.id = s.itinerary_id"                       \
    "            WHERE s.id = $1::uuid AND" STAGE_VISIBLE " RETURNING 1)"
/* Fills p[1..4]: admin, caller org, case manager, provider. */
void stage_visibility(const struct req *r, const char *p[5]);
/* Runs sql (a STAGE_READ_LOGGED statement) for stage "id" as the caller, checking the roles that
 * reach stages; answers the problem and returns -1 on failure. */
int stage_read_logged(struct req *r, const char *sql, PGresult **res);

/* A boolean SQL expression over itinerary i: its person has withdrawn consent. */
#define PERSON_WITHDRAWN                                                                           \
    " EXISTS (SELECT 1 FROM persons wp WHERE wp.id = i.person_id"                                  \
    "           AND wp.consent_withdrawn_at IS NOT NULL)"
#define WITHDRAWN_DETAIL "The person has withdrawn consent; no new processing is allowed."

/* Checks that person `id` is one the caller manages: answers 404 (unknown or other org) or 409
 * (consent withdrawn, when `need_consent`) and returns -1. */
int person_check(struct req *r, const char *id, int need_consent);

/* Collects column col of the first `limit` rows as a uuid[] literal (malloc'd). */
char *ids_literal(PGresult *res, int col, int limit);

/* db_query that also rolls back the current transaction when the statement fails. */
int itin_query(struct req *r, PGresult **res, const char *sql, int nparams,
               const char *const *params);
/* A write whose timeline rows name the caller: itin_set_actor, then itin_query (the transaction
 * rolled back when either fails). */
int itin_actor_query(struct req *r, PGresult **res, const char *sql, int nparams,
                     const char *const *params);
/* itin_query of a row that must exist: none is a 404 (itin_refuse). */
int itin_query_found(struct req *r, PGresult **res, const char *sql, int nparams,
                     const char *const *params);
/* Rolls back the current transaction and answers a problem (with errors when not NULL, taking
 * ownership of them). Returns -1. */
int itin_refuse(struct req *r, int status, const char *detail, json_t *errors);

/* A conditional write of personal data (persons, their identifiers, caregivers): reads "id" and
 * If-Match, validates the body with fields (and check, when not NULL), runs sql with $1 the id,
 * $2 "writes every organisation", $3 the caller's organisation, $4 the version, $5 the body,
 * which answers json, version, the person's id and optionally whether the row was created (201).
 * When no row is written, state_sql ($1..$3) tells 404 (no row), 409 (the person withdrew
 * consent: its one column true) or 412. The answer is logged as `action` (itin_reply_logged). */
struct person_write {
    const struct field *fields;
    int (*check)(struct req *r);
    const char *sql, *state_sql, *action;
};
void person_write(struct req *r, const struct person_write *w);

/* Recomputes the person's risk band from the latest assessments. */
int person_refresh_risk(struct req *r, const char *person_id);

#endif
