/* /v1/transfer/events: transfer seminars, workshops, study visits and webinars, with the practices
 * presented and the organisations attending. Readable by every caller the gateway lets in; changed
 * by their owner (or an admin). Lists of practices and attendees are replaced when sent. */
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
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

/* $1 kind, $2 from, $3 to, $4 practice, $5 organisation (host or attendee), $6 municipality,
 * $7 external_id, $8/$9 cursor, $10 limit. */
#define EVENT_FILTER                                                                               \
    " ($1::text IS NULL OR e.kind = $1) AND ($2::date IS NULL OR e.held_on >= $2::date)"           \
    " AND ($3::date IS NULL OR e.held_on <= $3::date)"                                             \
    " AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM event_practices x WHERE x.event_id = e.id"    \
    "      AND x.practice_id = $4::uuid))"                                                         \
    " AND ($5::uuid IS NULL OR e.host_organisation_id = $5::uuid OR EXISTS (SELECT 1"              \
    "      FROM event_attendees a WHERE a.event_id = e.id AND a.organisation_id = $5::uuid))"      \
    " AND ($6::text IS NULL OR e.municipality = $6) AND ($7::text IS NULL OR e.external_id = $7)"

static const char *const SQL_LIST_CREATED =
    "SELECT event_json(e)::text, ts(e.created_at), e.id FROM events e WHERE" EVENT_FILTER
    " AND (e.created_at, e.id) > ($8::timestamptz, $9::uuid) ORDER BY e.created_at, e.id"
    " LIMIT $10";
static const char *const SQL_LIST_HELD =
    "SELECT event_json(e)::text, e.held_on::text, e.id FROM events e WHERE" EVENT_FILTER
    " AND (e.held_on, e.id) > ($8::date, $9::uuid) ORDER BY e.held_on, e.id LIMIT $10";

static const char *const sorts[] = {"created_at", "held_on", NULL};

static const struct place_field event_places[] = {{"municipality", PLACE_MUNICIPALITY, 0},
                                                  {NULL, 0, 0}};

void events_list(struct req *r)
{
    struct page pg;
    const char *kind, *from, *to, *practice, *org, *muni, *ext;
    struct place mp;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "kind", kinds, &kind) < 0) return;
    if (req_date_param(r, "from", &from) < 0 || req_date_param(r, "to", &to) < 0) return;
    if (req_uuid_param(r, "practice", &practice) < 0) return;
    if (req_uuid_param(r, "organisation", &org) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_text_param(r, "external_id", 200, &ext) < 0) return;
    int by_held = !strcmp(pg.sort, "held_on");
    const char *key = pg.has_cursor ? pg.key : "-infinity";
    if (pg.has_cursor && by_held && !valid_date(pg.key)) {
        bad_query(r, "cursor", "is not a cursor issued for this list");
        return;
    }
    const char *id = pg.has_cursor ? pg.id : NIL_UUID;
    const char *p[] = {kind, from, to, practice, org, muni, ext, key, id, pg.limit_text};
    if (db_query(r, &res, by_held ? SQL_LIST_HELD : SQL_LIST_CREATED, 10, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_SAVE = "SELECT body, version, id FROM event_save($1::uuid, $2::uuid,"
                                    " $3::boolean, $4::int, $5::jsonb)";

void events_create(struct req *r)
{
    PGresult *res;
    if (req_validate(r, event_fields, V_CREATE) < 0 || dates_in_order(r) < 0 ||
        req_places(r, event_places) < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {NULL, req_org(r), "false", NULL, body};
    int rc = db_query(r, &res, SQL_SAVE, 5, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/transfer/events", 2);
    PQclear(res);
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

static const char *const SQL_GET = "SELECT event_json(e)::text, e.version FROM events e"
                                   " WHERE e.id = $1";

void events_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_GET, 1, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define EVENT_WRITABLE " e.id = $1 AND ($2::boolean OR e.owner_org = $3::uuid)"
static const char *const SQL_WRITABLE = "SELECT 1 FROM events e WHERE" EVENT_WRITABLE;

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
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, event_fields, V_PATCH) < 0 || patched_dates_in_order(r, id) < 0 ||
        req_places(r, event_places) < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, req_org(r), sql_bool(transfer_writes_all(r)), version, body};
    int rc = db_query(r, &res, SQL_SAVE, 5, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0) {
        const char *w[] = {id, sql_bool(transfer_writes_all(r)), req_org(r)};
        reply_missed_write(r, SQL_WRITABLE, 3, w);
    } else {
        reply_row(r, 200, res, 0, 1, NULL, 0);
    }
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM events e WHERE" EVENT_WRITABLE
    " AND ($4::int IS NULL OR e.version = $4::int) RETURNING e.id";

void events_delete(struct req *r)
{
    reply_delete(r, SQL_DELETE, SQL_WRITABLE, transfer_writes_all(r));
}
