/* /v1/stages/{id}/units: how much of its service a stage plans (an intensity in units per day,
 * week or month over the planned dates, or a number of one-off units) and how many units the
 * provider delivered. Each part belongs to one party: the plan to the lead organisation's case
 * managers, the delivered units to the responsible organisation's providers (admins write both).
 * A PUT keeps the fields it does not send and clears those sent as null. Costs are not shown
 * here: they leave the service only as segment aggregates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "economics.h"
#include "itineraries.h"
#include "lifecycle.h"
#include "problem.h"
#include "resource.h"

static const char *const periods[] = {"day", "week", "month", "one_off", NULL};

static const struct field unit_fields[] = {
    NUM("intensity", F_NULLABLE, 0.01, 10000),
    ENUM("period", F_NULLABLE, periods),
    NUM("delivered_units", F_NULLABLE, 0, 1e7),
    FIELDS_END,
};

/* Columns read by units_json: intensity, period, delivered_units, planned dates, service unit. */
#define UNITS_COLUMNS                                                                              \
    " s.id, s.service_id, u.intensity::float8, u.period, u.delivered_units::float8,"               \
    " s.planned_start::text, s.planned_end::text,"                                                 \
    " (SELECT p.unit FROM service_prices p WHERE p.service_id = s.service_id LIMIT 1),"            \
    " ts(u.updated_at)"

static json_t *number_or_null(PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? json_null() : json_real(atof(PQgetvalue(res, 0, col)));
}

static json_t *text_or_null(PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? json_null() : json_string(PQgetvalue(res, 0, col));
}

/* Planned units follow from the intensity over the planned dates; null while either is missing. */
static json_t *planned_units(PGresult *res, int col)
{
    if (PQgetisnull(res, 0, col) || PQgetisnull(res, 0, col + 1)) return json_null();
    double intensity = atof(PQgetvalue(res, 0, col));
    const char *period = PQgetvalue(res, 0, col + 1);
    if (!strcmp(period, "one_off")) return json_real(intensity);
    long first = econ_day(PQgetvalue(res, 0, col + 3));
    long last = econ_day(PQgetvalue(res, 0, col + 4));
    if (first < 0 || last < 0) return json_null();
    double units = econ_units(intensity, period, first, last);
    return json_real(econ_round(units, 100));
}

static void reply_units(struct req *r, PGresult *res, int col)
{
    json_t *o =
        json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "stage_id", PQgetvalue(res, 0, col),
                  "service_id", PQgetvalue(res, 0, col + 1), "unit", text_or_null(res, col + 7),
                  "intensity", number_or_null(res, col + 2), "period", text_or_null(res, col + 3),
                  "planned_units", planned_units(res, col + 2), "delivered_units",
                  number_or_null(res, col + 4), "updated_at", text_or_null(res, col + 8));
    if (!o) {
        problem(r, 500, "Out of memory.");
        return;
    }
    reply_json(r, 200, o);
}

// clang-format off
static const char *const SQL_GET = STAGE_READ_LOGGED("stage.units.read")
    " SELECT (SELECT count(*) FROM l)," UNITS_COLUMNS
    "   FROM stages s JOIN itineraries i ON i.id = s.itinerary_id"
    "   LEFT JOIN stage_units u ON u.stage_id = s.id"
    "  WHERE s.id = $1::uuid AND" STAGE_VISIBLE;
// clang-format on

void stage_units_get(struct req *r)
{
    PGresult *res;
    if (stage_read_logged(r, SQL_GET, &res) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else
        reply_units(r, res, 1);
    PQclear(res);
}

/* The stage, what the caller may write (plan: lead organisation; delivery: responsible
 * organisation), the itinerary's status and the current units. */
static const char *const SQL_LOCK =
    "SELECT $2::boolean OR ($4::boolean AND i.owner_org = $3::uuid),"
    "       $2::boolean OR ($5::boolean AND s.responsible_org = $3::uuid),"
    "       i.status, u.intensity::text, u.period, u.delivered_units::text," PERSON_WITHDRAWN
    "  FROM stages s JOIN itineraries i ON i.id = s.itinerary_id"
    "  LEFT JOIN stage_units u ON u.stage_id = s.id"
    " WHERE s.id = $1::uuid AND" STAGE_VISIBLE " FOR UPDATE OF s";

static const char *const SQL_UPSERT =
    "INSERT INTO stage_units (stage_id, intensity, period, delivered_units)"
    " VALUES ($1::uuid, $2::numeric, $3, $4::numeric)"
    " ON CONFLICT (stage_id) DO UPDATE SET intensity = excluded.intensity,"
    "   period = excluded.period, delivered_units = excluded.delivered_units, updated_at = now()";

static const char *const SQL_READ =
    "SELECT" UNITS_COLUMNS ", '{' || i.person_id || '}' FROM stages s"
    " JOIN itineraries i ON i.id = s.itinerary_id LEFT JOIN stage_units u ON u.stage_id = s.id"
    " WHERE s.id = $1::uuid";

/* The value to store for key: the body's (NULL for null) when it has the key, else current. */
static const char *merged(json_t *body, const char *key, const char *current, char *buf, size_t len)
{
    json_t *v = json_object_get(body, key);
    if (!v) return current;
    if (json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    snprintf(buf, len, "%.17g", json_number_value(v));
    return buf;
}

/* 403 naming the fields of the other party, or 409 when the itinerary does not take them now. */
static int check_parts(struct req *r, int plans, int delivers, const char *itin_status)
{
    json_t *errors = json_array();
    int has_plan = json_object_get(r->body, "intensity") || json_object_get(r->body, "period");
    int has_delivery = json_object_get(r->body, "delivered_units") != NULL;
    if (has_plan && !plans)
        problem_add_error(errors, json_object_get(r->body, "intensity") ? "/intensity" : "/period",
                          "the plan is set by the case managers of the lead organisation");
    if (has_delivery && !delivers)
        problem_add_error(errors, "/delivered_units",
                          "delivered units are reported by the responsible organisation");
    if (json_array_size(errors))
        return itin_refuse(r, 403, "This caller may not write these fields.", errors);
    if (has_plan && !itinerary_editable(itin_status))
        problem_add_error(errors, "/intensity", "the itinerary is closed; its plan cannot change");
    if (has_delivery && !strcmp(itin_status, "draft"))
        problem_add_error(errors, "/delivered_units",
                          "the itinerary is a draft; nothing has been delivered yet");
    if (json_array_size(errors)) return itin_refuse(r, 409, "The units cannot change now.", errors);
    json_decref(errors);
    return 0;
}

void stage_units_put(struct req *r)
{
    PGresult *res;
    char cur[3][48], buf[3][32], itin_status[16];
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER | ROLE_PROVIDER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, unit_fields, V_PATCH) < 0) return;
    if (db_begin(r) < 0) return;
    const char *p[5] = {id};
    stage_visibility(r, p);
    if (itin_query_found(r, &res, SQL_LOCK, 5, p) < 0) return;
    int plans = PQgetvalue(res, 0, 0)[0] == 't', delivers = PQgetvalue(res, 0, 1)[0] == 't';
    snprintf(itin_status, sizeof itin_status, "%s", PQgetvalue(res, 0, 2));
    const char *current[3];
    for (int i = 0; i < 3; i++) {
        snprintf(cur[i], sizeof cur[i], "%s", PQgetvalue(res, 0, 3 + i));
        current[i] = PQgetisnull(res, 0, 3 + i) ? NULL : cur[i];
    }
    int withdrawn = PQgetvalue(res, 0, 6)[0] == 't';
    PQclear(res);
    if (withdrawn) {
        itin_refuse(r, 409, WITHDRAWN_DETAIL, NULL);
        return;
    }
    if (check_parts(r, plans, delivers, itin_status) < 0) return;
    const char *up[] = {id, merged(r->body, "intensity", current[0], buf[0], sizeof buf[0]),
                        merged(r->body, "period", current[1], buf[1], sizeof buf[1]),
                        merged(r->body, "delivered_units", current[2], buf[2], sizeof buf[2])};
    if (!up[1] != !up[2]) {
        json_t *errors = json_array();
        problem_add_error(errors, up[1] ? "/period" : "/intensity",
                          "an intensity and its period go together");
        itin_refuse(r, 422, "The request body is not valid.", errors);
        return;
    }
    if (itin_query(r, &res, SQL_UPSERT, 4, up) < 0) return;
    PQclear(res);
    if (itin_query(r, &res, SQL_READ, 1, up) < 0) return;
    /* The answer is part of the person's record: logged like every answer with personal data. */
    if (access_log_many(r, PQgetvalue(res, 0, 9), "stage.units.write") < 0) {
        PQclear(res);
        if (db_in_transaction()) db_rollback();
        return;
    }
    if (db_commit(r) < 0) {
        PQclear(res);
        return;
    }
    reply_units(r, res, 0);
    PQclear(res);
}
