/* /v1/transfer/events: transfer seminars, workshops, study visits and webinars, with the practices
 * presented and the organisations attending. Readable by every caller the gateway lets in; changed
 * by their owner (or an admin). Lists of practices and attendees are replaced when sent. */
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "crud.h"
#include "db.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

static const char *const kinds[] = {"seminar", "workshop", "study_visit", "webinar", NULL};

static const struct field attendee_fields[] = {
    UUID("organisation_id", F_REQUIRED),
    INT("people", 0, 1, 100000),
    FIELDS_END,
};

#define EVENT_FIELDS(extid_flags)                                                                  \
    ENUM("kind", F_REQUIRED, kinds), STR("title", F_REQUIRED, 1, 300),                             \
        STR("summary", F_NULLABLE, 0, 4000), DATE("held_on", F_REQUIRED | F_OBSERVED),             \
        DATE("ends_on", F_NULLABLE | F_OBSERVED), UUID("host_organisation_id", F_REQUIRED),        \
        STR("municipality", F_NULLABLE, 1, 100), UUIDS("practice_ids", 0, 0, 100),                 \
        OBJS("attendees", 0, 0, 1000, attendee_fields), STR("external_id", extid_flags, 1, 200),   \
        FIELDS_END

static const struct field event_fields[] = {EVENT_FIELDS(F_NULLABLE)};
/* Pushed in bulk, an event is known by its external_id (upsert per owner organisation). */
static const struct field event_bulk_fields[] = {EVENT_FIELDS(F_REQUIRED)};

static int dates_in_order(struct req *r)
{
    const char *start = json_string_value(json_object_get(r->body, "held_on"));
    const char *end = json_string_value(json_object_get(r->body, "ends_on"));
    if (!start || !end || strcmp(start, end) <= 0) return 0;
    json_t *e = json_array();
    problem_add_error(e, "/ends_on", "must not be before held_on");
    problem_invalid(r, 422, NULL, e);
    return -1;
}

static const struct filter event_filters[] = {
    {"kind", FILTER_ENUM, "e.kind = $", .values = kinds},
    {"from", FILTER_DATE, "e.held_on >= $::date"},
    {"to", FILTER_DATE, "e.held_on <= $::date"},
    {"practice", FILTER_UUID,
     "EXISTS (SELECT 1 FROM event_practices x WHERE x.event_id = e.id AND x.practice_id = "
     "$::uuid)"},
    {"organisation", FILTER_UUID,
     "e.host_organisation_id = $::uuid OR EXISTS (SELECT 1 FROM event_attendees a"
     " WHERE a.event_id = e.id AND a.organisation_id = $::uuid)"},
    {"municipality", FILTER_PLACE, "e.municipality = $", .place_kinds = PLACE_MUNICIPALITY},
    {"external_id", FILTER_TEXT, "e.external_id = $", .max = 200},
    FILTERS_END};
static const struct sort event_sorts[] = {
    SORT_CREATED_AT("e"),
    {"held_on", "e.held_on", "date", "e.held_on::text", 0, "-infinity"},
    SORTS_END};

/* Listed, read and removed by the generic handlers; written here through event_save (the lists
 * of practices and attendees are rows of their own). */
struct resource transfer_events = {
    .path = "/v1/transfer/events",
    .table = "events",
    .alias = "e",
    .json = "event_json(e)",
    TRANSFER_OWNER_WRITES("e"),
    .filters = event_filters,
    .sorts = event_sorts,
};

static const struct place_field event_places[] = {{"municipality", PLACE_MUNICIPALITY, 0},
                                                  {NULL, 0, 0}};

static const char *const SQL_SAVE = "SELECT body, version, id FROM event_save($1::uuid, $2::uuid,"
                                    " $3::boolean, $4::int, $5::jsonb)";

static const char *const SQL_WRITABLE =
    "SELECT 1 FROM events e WHERE e.id = $1 AND ($2::boolean OR e.owner_org = $3::uuid)";

static const struct transfer_save event_save = {SQL_SAVE, SQL_WRITABLE, "/v1/transfer/events",
                                                NULL};

void events_create(struct req *r)
{
    if (req_validate(r, event_fields, V_CREATE) < 0 || dates_in_order(r) < 0 ||
        req_places(r, event_places) < 0)
        return;
    transfer_save(r, &event_save, NULL, NULL, 0);
}

/* One chunk of an NDJSON push, line by line through event_save (003_event_bulk.sql). */
static const char *const SQL_BULK =
    "SELECT line, id, action, pointer, detail"
    "  FROM event_bulk($1::uuid, place_lines($2::jsonb, '{municipality}'))";

void events_bulk(struct req *r)
{
    static const struct bulk_spec spec = {event_bulk_fields, SQL_BULK, 2, NULL};
    bulk_run(r, &spec);
}

/* A PATCH may move one date past the other: check the pair as it would be stored. */
static const char *const SQL_DATES = "SELECT e.held_on::text, e.ends_on::text FROM events e"
                                     " WHERE e.id = $1";

static int patched_dates_in_order(struct req *r, const char *id)
{
    if (!json_object_get(r->body, "held_on") && !json_object_get(r->body, "ends_on")) return 0;
    PGresult *res;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_DATES, 1, p) < 0) return -1;
    int rc = 0;
    if (PQntuples(res) > 0) {
        json_t *held = json_object_get(r->body, "held_on");
        json_t *ends = json_object_get(r->body, "ends_on");
        const char *start = held ? json_string_value(held) : PQgetvalue(res, 0, 0);
        const char *end = ends ? json_string_value(ends)
                               : (PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1));
        if (start && end && strcmp(start, end) > 0) {
            json_t *e = json_array();
            problem_add_error(e, ends ? "/ends_on" : "/held_on", "must not be before held_on");
            problem_invalid(r, 422, NULL, e);
            rc = -1;
        }
    }
    PQclear(res);
    return rc;
}

void events_update(struct req *r)
{
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, event_fields, V_PATCH) < 0 || patched_dates_in_order(r, id) < 0 ||
        req_places(r, event_places) < 0)
        return;
    transfer_save(r, &event_save, id, version, transfer_writes_all(r));
}
