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

/* $1 practice, $2 status, $3 adopter, $4 municipality, $5 external_id, $6 caller org,
 * $7 sees all, $8/$9 cursor, $10 limit. */
static const char *const SQL_LIST =
    "SELECT adoption_json(a)::text, ts(a.created_at), a.id FROM adoptions a"
    " WHERE ($1::uuid IS NULL OR a.practice_id = $1::uuid) AND ($2::text IS NULL OR a.status = $2)"
    " AND ($3::uuid IS NULL OR a.adopter_organisation_id = $3::uuid)"
    " AND ($4::text IS NULL OR a.municipality = $4) AND ($5::text IS NULL OR a.external_id = $5)"
    " AND adoption_readable(a, $6::uuid, $7::boolean)"
    " AND (a.created_at, a.id) > ($8::timestamptz, $9::uuid) ORDER BY a.created_at, a.id LIMIT $10";

static const struct place_field adoption_places[] = {{"municipality", PLACE_MUNICIPALITY, 0},
                                                     {NULL, 0, 0}};

void adoptions_list(struct req *r)
{
    struct page pg;
    const char *practice, *status, *adopter, *muni, *ext;
    struct place mp;
    PGresult *res;
    if (page_read(r, &pg, NULL) < 0) return;
    if (req_uuid_param(r, "practice", &practice) < 0) return;
    if (req_enum_param(r, "status", statuses, &status) < 0) return;
    if (req_uuid_param(r, "adopter", &adopter) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_text_param(r, "external_id", 200, &ext) < 0) return;
    const char *p[] = {practice,
                       status,
                       adopter,
                       muni,
                       ext,
                       req_org(r),
                       sql_bool(transfer_sees_all(r)),
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 10, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_SAVE = "SELECT body, version, id FROM adoption_save($1::uuid,"
                                    " $2::uuid, $3::boolean, $4::int, $5::jsonb)";

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
    PGresult *res;
    char sqlstate[6];
    if (req_validate(r, create_fields, V_CREATE) < 0 || req_places(r, adoption_places) < 0) return;
    int cleared = adopter_cleared(r);
    if (cleared < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {NULL, req_org(r), sql_bool(cleared), NULL, body};
    int rc = db_query_quiet(&res, SQL_SAVE, 5, p, sqlstate);
    free(body);
    if (rc < 0) {
        if (!strcmp(sqlstate, "23505"))
            problem(r, 409,
                    "This organisation already has an adoption of this practice, or the "
                    "external_id is taken.");
        else
            db_problem(r, sqlstate);
        return;
    }
    reply_row(r, 201, res, 0, 1, "/v1/transfer/adoptions", 2);
    PQclear(res);
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

static const char *const SQL_GET =
    "SELECT adoption_json(a)::text, a.version FROM adoptions a WHERE a.id = $1"
    " AND adoption_readable(a, $2::uuid, $3::boolean)";

void adoptions_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id, req_org(r), sql_bool(transfer_sees_all(r))};
    if (db_query(r, &res, SQL_GET, 3, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define ADOPTION_WRITABLE                                                                          \
    " a.id = $1 AND ($2::boolean OR $3::uuid IN (a.owner_org, a.adopter_organisation_id))"
static const char *const SQL_WRITABLE = "SELECT 1 FROM adoptions a WHERE" ADOPTION_WRITABLE;

void adoptions_update(struct req *r)
{
    PGresult *res;
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
    "DELETE FROM adoptions a WHERE" ADOPTION_WRITABLE
    " AND ($4::int IS NULL OR a.version = $4::int) RETURNING a.id";

void adoptions_delete(struct req *r)
{
    reply_delete(r, SQL_DELETE, SQL_WRITABLE, transfer_writes_all(r));
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
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, NULL) < 0) return;
    if (pg.has_cursor && strspn(pg.key, "0123456789") != strlen(pg.key)) {
        bad_query(r, "cursor", "is not a cursor issued for this list");
        return;
    }
    const char *p[] = {id, req_org(r), sql_bool(transfer_sees_all(r)), pg.has_cursor ? pg.key : "0",
                       pg.limit_text};
    if (db_query(r, &res, SQL_READABLE, 3, p) < 0) return;
    int visible = PQntuples(res) > 0;
    PQclear(res);
    if (!visible) {
        problem(r, 404, "No such resource.");
        return;
    }
    if (db_query(r, &res, SQL_HISTORY, 5, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
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
