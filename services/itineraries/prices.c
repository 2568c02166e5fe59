/* /v1/services/{id}/prices: what one unit of a catalogue service costs (per hour, day, month or
 * one-off), over periods that do not overlap, with the source of the figure. Readable by every
 * authenticated caller like the catalogue; replaced as a whole by the service's organisation (or
 * an admin). Costs per case are computed from these in segment_economics.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "economics.h"
#include "itineraries.h"
#include "problem.h"
#include "resource.h"

static const char *const units[] = {"hour", "day", "month", "one_off", NULL};

static const struct field price_fields[] = {
    NUM("unit_cost", F_REQUIRED, 0, 1e7),
    DATE("valid_from", F_REQUIRED),
    DATE("valid_to", F_NULLABLE),
    FIELDS_END,
};

static const struct field price_list_fields[] = {
    ENUM("unit", F_REQUIRED, units),
    STR("source", F_NULLABLE, 1, 500),
    OBJS("prices", F_REQUIRED, 0, 100, price_fields),
    FIELDS_END,
};

static const char *const SQL_GET =
    "SELECT jsonb_build_object('service_id', s.id, 'service_code', s.code, 'currency', 'EUR',"
    "   'unit', (SELECT p.unit FROM service_prices p WHERE p.service_id = s.id LIMIT 1),"
    "   'source', (SELECT p.source FROM service_prices p WHERE p.service_id = s.id LIMIT 1),"
    "   'prices', coalesce((SELECT jsonb_agg(jsonb_build_object('unit_cost', p.unit_cost,"
    "                'valid_from', p.valid_from, 'valid_to', p.valid_to) ORDER BY p.valid_from)"
    "              FROM service_prices p WHERE p.service_id = s.id), '[]'))::text"
    "  FROM services s WHERE s.id = $1::uuid";

void prices_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_GET, 1, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

/* Periods must be in order and must not overlap: a day has at most one price. Answers 422. */
static int check_periods(struct req *r, const json_t *prices)
{
    char ptr[64], detail[160];
    size_t n = json_array_size(prices);
    econ_period *ps = calloc(n ? n : 1, sizeof *ps);
    size_t(*pairs)[2] = calloc(n ? n : 1, sizeof *pairs);
    json_t *errors = json_array();
    int rc = -1;
    if (!ps || !pairs) {
        problem(r, 500, "Out of memory.");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(prices, i);
        ps[i] = (econ_period){json_string_value(json_object_get(e, "valid_from")),
                              json_string_value(json_object_get(e, "valid_to")), i};
        if (ps[i].to && strcmp(ps[i].to, ps[i].from) < 0) {
            snprintf(ptr, sizeof ptr, "/prices/%zu/valid_to", i);
            problem_add_error(errors, ptr, "must not be before valid_from");
        }
    }
    size_t overlapping = econ_overlaps(ps, n, pairs);
    for (size_t k = 0; k < overlapping; k++) {
        snprintf(ptr, sizeof ptr, "/prices/%zu/valid_from", pairs[k][0]);
        snprintf(detail, sizeof detail,
                 "overlaps the period of /prices/%zu: a day has at most one price", pairs[k][1]);
        problem_add_error(errors, ptr, detail);
    }
    rc = problem_if_any(r, 422, "The request body is not valid.", errors);
    errors = NULL; /* taken by the answer */
cleanup:
    json_decref(errors);
    free(ps);
    free(pairs);
    return rc;
}

static const char *const SQL_LOCK =
    "SELECT 1 FROM services s WHERE s.id = $1::uuid AND ($2::boolean OR s.owner_org = $3::uuid)"
    " FOR UPDATE";
static const char *const SQL_CLEAR = "DELETE FROM service_prices WHERE service_id = $1::uuid";
static const char *const SQL_INSERT =
    "INSERT INTO service_prices (service_id, unit, unit_cost, valid_from, valid_to, source)"
    " SELECT $1::uuid, $2, (e->>'unit_cost')::numeric, (e->>'valid_from')::date,"
    "        (e->>'valid_to')::date, $3"
    "   FROM jsonb_array_elements($4::jsonb) e";

void prices_put(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, price_list_fields, V_CREATE) < 0) return;
    json_t *prices = json_object_get(r->body, "prices");
    if (check_periods(r, prices) < 0) return;
    if (db_begin(r) < 0) return;
    const char *lock[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (itin_query_found(r, &res, SQL_LOCK, 3, lock) < 0) return;
    PQclear(res);
    char *list = json_dumps(prices, JSON_COMPACT);
    const char *ins[] = {id, json_string_value(json_object_get(r->body, "unit")),
                         json_string_value(json_object_get(r->body, "source")), list};
    int rc = itin_query(r, &res, SQL_CLEAR, 1, ins);
    if (rc == 0) {
        PQclear(res);
        rc = itin_query(r, &res, SQL_INSERT, 4, ins);
    }
    free(list);
    if (rc < 0) return;
    PQclear(res);
    if (db_commit(r) < 0) return;
    prices_get(r);
}
