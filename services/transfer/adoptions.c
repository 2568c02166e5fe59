/* /v1/transfer/adoptions: a practice taken up by an organisation (and municipality), with its
 * status lifecycle (adoption_status.c), the adaptations made, the events and guides that supported
 * it and the origin organisation as mentor. Readable by the organisations it names and the
 * aggregating roles; changed by its owner or its adopter (or an admin). A new adoption names the
 * caller's own organisation as adopter, unless the practice is the caller's (owner or lead) or the
 * caller's organisation takes part in the practice's origin project (asked of the projects
 * service). The status changes only through POST /v1/transfer/adoptions/{id}/transitions, and
 * every change is kept in its history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adoption_status.h"
#include "bulk.h"
#include "crud.h"
#include "db.h"
#include "page.h"
#include "participation.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

static const char *const statuses[] = {"interested", "planning",  "piloting", "adopted",
                                       "sustained",  "abandoned", NULL};
/* A new adoption may start at any status but abandoned (records of past adoptions). */
static const char *const start_statuses[] = {"interested", "planning",  "piloting",
                                             "adopted",    "sustained", NULL};

#define ADOPTION_COMMON_FIELDS                                                                     \
    STR("municipality", F_NULLABLE, 1, 100), UUID("mentor_organisation_id", F_NULLABLE),           \
        STR("adaptations", F_NULLABLE, 0, 8000), UUIDS("event_ids", 0, 0, 100),                    \
        UUIDS("guide_ids", 0, 0, 100), STR("external_id", F_NULLABLE, 1, 200), FIELDS_END

static const struct field create_fields[] = {
    UUID("practice_id", F_REQUIRED),   UUID("adopter_organisation_id", F_REQUIRED),
    ENUM("status", 0, start_statuses), DATE("status_since", F_OBSERVED),
    STR("note", F_NULLABLE, 0, 2000),  ADOPTION_COMMON_FIELDS,
};

static const struct field update_fields[] = {ADOPTION_COMMON_FIELDS};

/* A pushed line: the creation fields with a required external_id and any status (a push may carry
 * a move, checked against the lifecycle line by line). */
static const struct field bulk_fields[] = {
    UUID("practice_id", F_REQUIRED),
    UUID("adopter_organisation_id", F_REQUIRED),
    ENUM("status", 0, statuses),
    DATE("status_since", F_OBSERVED),
    STR("note", F_NULLABLE, 0, 2000),
    STR("municipality", F_NULLABLE, 1, 100),
    UUID("mentor_organisation_id", F_NULLABLE),
    STR("adaptations", F_NULLABLE, 0, 8000),
    UUIDS("event_ids", 0, 0, 100),
    UUIDS("guide_ids", 0, 0, 100),
    STR("external_id", F_REQUIRED, 1, 200),
    FIELDS_END,
};

static const struct field transition_fields[] = {
    ENUM("status", F_REQUIRED, statuses),
    DATE("date", F_OBSERVED),
    STR("note", F_NULLABLE, 0, 2000),
    FIELDS_END,
};

static const struct filter adoption_filters[] = {
    {"practice", FILTER_UUID, "a.practice_id = $::uuid"},
    {"status", FILTER_ENUM, "a.status = $", .values = statuses},
    {"adopter", FILTER_UUID, "a.adopter_organisation_id = $::uuid"},
    {"municipality", FILTER_PLACE, "a.municipality = $", .place_kinds = PLACE_MUNICIPALITY},
    {"external_id", FILTER_TEXT, "a.external_id = $", .max = 200},
    FILTERS_END};
static const struct sort adoption_sorts[] = {SORT_CREATED_AT("a"), SORTS_END};

/* Listed, read and removed by the generic handlers; written here (the adopter's clearance, the
 * lifecycle and the related lists go through adoption_save). */
struct resource transfer_adoptions = {
    .path = "/v1/transfer/adoptions",
    .table = "adoptions",
    .alias = "a",
    .json = "adoption_json(a)",
    .readable = "adoption_readable(a, $org::uuid, $all::boolean)",
    .sees_all = transfer_sees_all,
    .writable = "$all::boolean OR $org::uuid IN (a.owner_org, a.adopter_organisation_id)",
    .writes_all = transfer_writes_all,
    .filters = adoption_filters,
    .sorts = adoption_sorts,
};

static const struct place_field adoption_places[] = {{"municipality", PLACE_MUNICIPALITY, 0},
                                                     {NULL, 0, 0}};

static const char *const SQL_SAVE = "SELECT body, version, id FROM adoption_save($1::uuid,"
                                    " $2::uuid, $3::boolean, $4::int, $5::jsonb)";

#define ADOPTION_WRITABLE                                                                          \
    " a.id = $1 AND ($2::boolean OR $3::uuid IN (a.owner_org, a.adopter_organisation_id))"
static const char *const SQL_WRITABLE = "SELECT 1 FROM adoptions a WHERE" ADOPTION_WRITABLE;

static const struct transfer_save adoption_save = {
    SQL_SAVE, SQL_WRITABLE, "/v1/transfer/adoptions",
    "This organisation already has an adoption of this practice, or the external_id is taken."};

static const char *const SQL_PRACTICE =
    "SELECT $2::uuid IN (p.owner_org, p.lead_organisation_id), p.origin_project_id"
    "  FROM practices p WHERE p.id = $1::uuid";

/* Whether the caller may name the body's adopter: its own organisation, a practice of its own, or
 * (asked of the projects service) a practice born in a project it takes part in; admins name
 * anyone. 1 cleared beyond what adoption_save checks itself, 0 left to adoption_save (which
 * refuses an unknown practice), -1 after answering 403 or 503. */
static int adopter_cleared(struct req *r)
{
    PGresult *res;
    const char *adopter = json_string_value(json_object_get(r->body, "adopter_organisation_id"));
    if (transfer_writes_all(r)) return 1;
    if (!strcasecmp(adopter, req_org(r))) return 0;
    const char *p[] = {json_string_value(json_object_get(r->body, "practice_id")), req_org(r)};
    if (db_query(r, &res, SQL_PRACTICE, 2, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 0;
    }
    int own = PQgetvalue(res, 0, 0)[0] == 't';
    char origin[40] = "";
    if (!PQgetisnull(res, 0, 1)) snprintf(origin, sizeof origin, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    if (own) return 0;
    int part = *origin ? project_takes_part(r, origin) : 0;
    if (part != 0) return part;
    json_t *e = json_array();
    problem_add_error(e, "/adopter_organisation_id",
                      "may name only the caller's own organisation, unless the practice is the "
                      "caller's or born in a project the caller's organisation takes part in");
    problem_invalid(r, 403, "An adoption is written only for an adopter the writer may name.", e);
    return -1;
}

void adoptions_create(struct req *r)
{
    if (req_validate(r, create_fields, V_CREATE) < 0 || req_places(r, adoption_places) < 0) return;
    int cleared = adopter_cleared(r);
    if (cleared < 0) return;
    transfer_save(r, &adoption_save, NULL, NULL, cleared);
}

/* One chunk of an NDJSON push, line by line (004_adoption_bulk.sql). */
static const char *const SQL_BULK =
    "SELECT line, id, action, pointer, detail"
    "  FROM adoption_bulk($1::uuid, place_lines($2::jsonb, '{municipality}'))";

void adoptions_bulk(struct req *r)
{
    static const struct bulk_spec spec = {bulk_fields, SQL_BULK, 2, NULL};
    bulk_run(r, &spec);
}

void adoptions_update(struct req *r)
{
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (json_object_get(r->body, "status")) {
        json_t *e = json_array();
        problem_add_error(e, "/status",
                          "changes through POST /v1/transfer/adoptions/{id}/transitions");
        problem_invalid(r, 422, NULL, e);
        return;
    }
    if (req_validate(r, update_fields, V_PATCH) < 0 || req_places(r, adoption_places) < 0) return;
    transfer_save(r, &adoption_save, id, version, transfer_writes_all(r));
}

/* ---- status transitions ---- */

static const char *const SQL_HISTORY =
    "SELECT transition_json(t)::text, t.id::text, '00000000-0000-0000-0000-000000000000'::uuid"
    " FROM adoption_transitions t JOIN adoptions a ON a.id = t.adoption_id"
    " WHERE t.adoption_id = $1 AND adoption_readable(a, $2::uuid, $3::boolean)"
    " AND t.id > $4::bigint ORDER BY t.id LIMIT $5";
static const char *const SQL_READABLE =
    "SELECT 1 FROM adoptions a WHERE a.id = $1 AND adoption_readable(a, $2::uuid, $3::boolean)";

void adoption_transitions_list(struct req *r)
{
    struct page pg;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, NULL) < 0) return;
    if (pg.has_cursor && strspn(pg.key, "0123456789") != strlen(pg.key)) {
        bad_query(r, "cursor", "is not a cursor issued for this list");
        return;
    }
    const char *p[] = {id, req_org(r), sql_bool(transfer_sees_all(r)), pg.has_cursor ? pg.key : "0",
                       pg.limit_text};
    reply_child_page(r, &pg, SQL_READABLE, 3, SQL_HISTORY, 5, p);
}

static const char *const SQL_CURRENT =
    "SELECT a.status, a.version::text, a.status_since::text FROM adoptions a"
    " WHERE" ADOPTION_WRITABLE;

/* The move is checked here (409 with the allowed next statuses) and again by the database; the
 * update only applies while the status is still the one read, so concurrent moves cannot both
 * succeed. */
static const char *const SQL_MOVE =
    "UPDATE adoptions a SET status = $5, status_since = coalesce($6::date, current_date),"
    " status_note = $7 WHERE" ADOPTION_WRITABLE " AND a.status = $4"
    " AND ($8::int IS NULL OR a.version = $8::int) RETURNING adoption_json(a)::text, a.version";

void adoption_transitions_create(struct req *r)
{
    PGresult *res;
    char vbuf[16], detail[256], allowed[128];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, transition_fields, V_CREATE) < 0) return;
    const char *to = json_string_value(json_object_get(r->body, "status"));
    const char *date = json_string_value(json_object_get(r->body, "date"));
    const char *note = json_string_value(json_object_get(r->body, "note"));
    const char *w[] = {id, sql_bool(transfer_writes_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_CURRENT, 3, w) < 0) return;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No such resource.");
        return;
    }
    char from[32], current_version[16], since[16];
    snprintf(from, sizeof from, "%s", PQgetvalue(res, 0, 0));
    snprintf(current_version, sizeof current_version, "%s", PQgetvalue(res, 0, 1));
    snprintf(since, sizeof since, "%s", PQgetvalue(res, 0, 2));
    PQclear(res);
    if (version && strcmp(version, current_version) != 0) {
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
        return;
    }
    int f = adoption_status_parse(from), t = adoption_status_parse(to);
    if (!adoption_transition_allowed(f, t)) {
        snprintf(detail, sizeof detail,
                 "An adoption cannot move from %s to %s; allowed from %s: %s.", from, to, from,
                 adoption_next_statuses(f, allowed, sizeof allowed));
        problem(r, 409, detail);
        return;
    }
    if (date && strcmp(date, since) < 0) {
        json_t *e = json_array();
        problem_add_error(e, "/date", "must not be before the date of the current status");
        problem_invalid(r, 422, NULL, e);
        return;
    }
    const char *p[] = {id, w[1], w[2], from, to, date, note, version};
    if (db_query(r, &res, SQL_MOVE, 8, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 409, "The adoption changed meanwhile; read it again and retry.");
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}
