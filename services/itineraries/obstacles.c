/* Obstacles raised on a stage (administrative, financial, availability, coordination, the
 * person's choice, other) and their resolution. Raising one blocks the stage; resolving the last
 * open one returns it to pending or in progress (lifecycle.c). Providers act on obstacles of the
 * stages assigned to them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "lifecycle.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const categories[] = {
    "administrative", "financial", "availability", "coordination", "persons_choice", "other", NULL};

static const struct field create_fields[] = {
    ENUM("category", F_REQUIRED, categories),
    STR("description", F_REQUIRED, 1, 4000),
    FIELDS_END,
};

static const struct field patch_fields[] = {
    ENUM("category", 0, categories),
    STR("description", 0, 1, 4000),
    STR("resolution", 0, 1, 4000),
    FIELDS_END,
};

#define STAGE_VISIBLE                                                                              \
    " ($2::boolean OR ($4::boolean AND i.owner_org = $3::uuid)"                                    \
    "  OR ($5::boolean AND s.responsible_org = $3::uuid))"

static void visibility(const struct req *r, const char *p[5])
{
    p[1] = sql_bool(itin_all(r));
    p[2] = req_org(r);
    p[3] = sql_bool(caller_has(&r->caller, ROLE_CASE_MANAGER));
    p[4] = sql_bool(caller_has(&r->caller, ROLE_PROVIDER));
}

#define ROLES (ROLE_ADMIN | ROLE_CASE_MANAGER | ROLE_PROVIDER)

static const char *const SQL_LIST =
    "SELECT obstacle_json(o)::text, ts(o.created_at), o.id FROM obstacles o"
    " WHERE o.stage_id = $1::uuid AND (o.created_at, o.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY o.created_at, o.id LIMIT $4";
static const char *const SQL_STAGE_VISIBLE =
    "SELECT i.person_id FROM stages s"
    "  JOIN itineraries i ON i.id = s.itinerary_id WHERE s.id = $1::uuid AND" STAGE_VISIBLE;

static const char *const sorts[] = {"created_at", NULL};

void obstacles_list(struct req *r)
{
    struct page pg;
    PGresult *res;
    if (itin_require(r, ROLES) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, sorts) < 0) return;
    const char *v[5] = {id};
    visibility(r, v);
    if (db_query(r, &res, SQL_STAGE_VISIBLE, 5, v) < 0) return;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No such resource.");
        return;
    }
    int rc = itin_log_person(r, PQgetvalue(res, 0, 0), "obstacles.read");
    PQclear(res);
    if (rc < 0) return;
    page_start(&pg, "-infinity", 0);
    const char *p[] = {id, pg.key, pg.id, pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 4, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_LOCK_STAGE =
    "SELECT s.status, i.status, s.actual_start IS NOT NULL, s.itinerary_id," PERSON_WITHDRAWN
    "  FROM stages s"
    "  JOIN itineraries i ON i.id = s.itinerary_id WHERE s.id = $1::uuid AND" STAGE_VISIBLE
    " FOR UPDATE OF s";
static const char *const SQL_CREATE =
    "INSERT INTO obstacles AS o (stage_id, itinerary_id, category, description, raised_by)"
    " VALUES ($1::uuid, $2::uuid, $3, $4, $5) RETURNING obstacle_json(o)::text, o.version, o.id,"
    " (SELECT i.person_id FROM itineraries i WHERE i.id = o.itinerary_id)";
static const char *const SQL_SET_STATUS =
    "UPDATE stages SET status = $2 WHERE id = $1::uuid AND status <> $2";

void obstacles_create(struct req *r)
{
    PGresult *res, *made;
    char status[16], itin[40];
    if (itin_require(r, ROLES) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, create_fields, V_CREATE) < 0) return;
    if (db_begin(r) < 0) return;
    const char *v[5] = {id};
    visibility(r, v);
    if (itin_query_found(r, &res, SQL_LOCK_STAGE, 5, v) < 0) return;
    snprintf(status, sizeof status, "%s", PQgetvalue(res, 0, 0));
    int editable = itinerary_editable(PQgetvalue(res, 0, 1));
    snprintf(itin, sizeof itin, "%s", PQgetvalue(res, 0, 3));
    int withdrawn = PQgetvalue(res, 0, 4)[0] == 't';
    PQclear(res);
    if (!editable || withdrawn) {
        itin_refuse(r, 409,
                    withdrawn ? WITHDRAWN_DETAIL
                              : "The itinerary is closed; its stages cannot change.",
                    NULL);
        return;
    }
    const char *p[] = {id, itin, json_string_value(json_object_get(r->body, "category")),
                       json_string_value(json_object_get(r->body, "description")),
                       r->caller.sub[0] ? r->caller.sub : "unknown"};
    if (itin_actor_query(r, &made, SQL_CREATE, 5, p) < 0) return;
    const char *sp[] = {id, stage_status_on_obstacle_raised(status)};
    if (itin_query(r, &res, SQL_SET_STATUS, 2, sp) < 0) {
        PQclear(made);
        return;
    }
    PQclear(res);
    itin_reply_logged(r, 201, made, 3, "obstacle.write", "/v1/obstacles", 2);
    PQclear(made);
}

static const char *const SQL_LOCK_OBSTACLE =
    "SELECT o.resolved_at IS NOT NULL, o.version, o.stage_id, s.status, i.status,"
    "       s.actual_start IS NOT NULL,"
    "       (SELECT count(*) FROM obstacles x WHERE x.stage_id = o.stage_id"
    "           AND x.resolved_at IS NULL AND x.id <> o.id)," PERSON_WITHDRAWN
    "  FROM obstacles o JOIN stages s ON s.id = o.stage_id"
    "  JOIN itineraries i ON i.id = s.itinerary_id"
    " WHERE o.id = $1::uuid AND" STAGE_VISIBLE " FOR UPDATE OF o, s";
static const char *const SQL_UPDATE =
    "UPDATE obstacles o SET"
    " category = coalesce(b->>'category', o.category),"
    " description = coalesce(b->>'description', o.description),"
    " resolution = coalesce(b->>'resolution', o.resolution),"
    " resolved_at = CASE WHEN b ? 'resolution' THEN now() ELSE o.resolved_at END,"
    " resolved_by = CASE WHEN b ? 'resolution' THEN $3 ELSE o.resolved_by END"
    " FROM (SELECT $2::jsonb AS b) x WHERE o.id = $1::uuid"
    " RETURNING obstacle_json(o)::text, o.version,"
    " (SELECT i.person_id FROM itineraries i WHERE i.id = o.itinerary_id)";

void obstacles_update(struct req *r)
{
    PGresult *res, *made;
    char vbuf[16], stage[40], stage_status[16];
    const char *version;
    if (itin_require(r, ROLES) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, patch_fields, V_PATCH) < 0) return;
    if (db_begin(r) < 0) return;
    const char *v[5] = {id};
    visibility(r, v);
    if (itin_query_found(r, &res, SQL_LOCK_OBSTACLE, 5, v) < 0) return;
    int resolved = PQgetvalue(res, 0, 0)[0] == 't';
    int stale = version && strcmp(version, PQgetvalue(res, 0, 1)) != 0;
    snprintf(stage, sizeof stage, "%s", PQgetvalue(res, 0, 2));
    snprintf(stage_status, sizeof stage_status, "%s", PQgetvalue(res, 0, 3));
    int editable = itinerary_editable(PQgetvalue(res, 0, 4));
    int started = PQgetvalue(res, 0, 5)[0] == 't';
    long others_open = atol(PQgetvalue(res, 0, 6));
    int withdrawn = PQgetvalue(res, 0, 7)[0] == 't';
    PQclear(res);
    if (stale) {
        itin_refuse(r, 412, "If-Match does not match the current ETag of the resource.", NULL);
        return;
    }
    if (withdrawn) {
        itin_refuse(r, 409, WITHDRAWN_DETAIL, NULL);
        return;
    }
    if (resolved || !editable) {
        itin_refuse(r, 409,
                    resolved ? "The obstacle is resolved; it can no longer change."
                             : "The itinerary is closed; its stages cannot change.",
                    NULL);
        return;
    }
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, body, r->caller.sub[0] ? r->caller.sub : "unknown"};
    int rc = itin_actor_query(r, &made, SQL_UPDATE, 3, p);
    free(body);
    if (rc < 0) return;
    if (json_object_get(r->body, "resolution") && others_open == 0) {
        const char *sp[] = {stage, stage_status_on_obstacles_cleared(stage_status, started)};
        if (itin_query(r, &res, SQL_SET_STATUS, 2, sp) < 0) {
            PQclear(made);
            return;
        }
        PQclear(res);
    }
    itin_reply_logged(r, 200, made, 2, "obstacle.write", NULL, 0);
    PQclear(made);
}
