/* Economics of a population segment (risk band × comarca or municipality):
 *   /v1/segments/{id}/no-intervention  what typically follows without intervention (events with
 *                                      likelihood and cost, each with its source), per segment;
 *   /v1/segments/{id}/economics        average planned and actual cost per case, share of
 *                                      itineraries that reached their goals, and the expected
 *                                      cost of not intervening, with every assumption used.
 * Only aggregates leave: no figure names a person or an itinerary. Researchers get figures over
 * fewer than 5 cases suppressed. A missing assumption (no table, a service without a price on
 * days it is used) is a 422 naming each one: an estimate is never made from a guess. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "economics.h"
#include "itineraries.h"
#include "problem.h"
#include "resource.h"

#define READERS    (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER)
#define MIN_CELL   5
#define MAX_EVENTS 50

/* ---- the no-intervention table ---- */

static const struct field event_fields[] = {
    STR("event", F_REQUIRED, 1, 300),
    NUM("likelihood", F_REQUIRED, 0, 1),
    NUM("cost", F_REQUIRED, 0, 1e8),
    STR("source", F_REQUIRED, 1, 500),
    FIELDS_END,
};

static const struct field table_fields[] = {
    INT("horizon_months", F_REQUIRED, 1, 120),
    OBJS("events", F_REQUIRED, 1, MAX_EVENTS, event_fields),
    FIELDS_END,
};

static const char *const SQL_TABLE =
    "SELECT event, likelihood::float8, cost::float8, source, horizon_months FROM no_intervention"
    " WHERE risk_band = $1 AND area_kind = $2 AND area = $3 ORDER BY position";

static json_t *segment_json(const struct segment *s)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", s->id, "risk_band", s->band, "area", s->area,
                     "area_kind", s->kind);
}

/* The table as JSON ({horizon_months, events, expected_cost_per_case, formula, computation});
 * *expected receives Σ likelihood × cost, or -1 when the table is empty. */
static json_t *table_json(PGresult *res, double *expected)
{
    char comp[4096];
    size_t used = 0;
    int n = PQntuples(res);
    json_t *events = json_array();
    double sum = 0;
    comp[0] = 0;
    for (int i = 0; i < n; i++) {
        double likelihood = atof(PQgetvalue(res, i, 1)), cost = atof(PQgetvalue(res, i, 2));
        json_array_append_new(events, json_pack("{s:s, s:f, s:f, s:s}", "event",
                                                PQgetvalue(res, i, 0), "likelihood", likelihood,
                                                "cost", cost, "source", PQgetvalue(res, i, 3)));
        sum += likelihood * cost;
        if (used < sizeof comp)
            used += (size_t)snprintf(comp + used, sizeof comp - used, "%s%g × %.2f", i ? " + " : "",
                                     likelihood, cost);
    }
    *expected = n ? econ_round(sum, 100) : -1;
    if (n && used < sizeof comp) snprintf(comp + used, sizeof comp - used, " = %.2f", *expected);
    return json_pack("{s:o, s:o, s:o, s:s, s:o}", "horizon_months",
                     n ? json_integer(atol(PQgetvalue(res, 0, 4))) : json_null(), "events", events,
                     "expected_cost_per_case", n ? json_real(*expected) : json_null(), "formula",
                     "Σ likelihood × cost over the events (they need not exclude each other)",
                     "computation", n ? json_string(comp) : json_null());
}

void no_intervention_get(struct req *r)
{
    struct segment s;
    PGresult *res;
    double expected;
    if (itin_require(r, READERS) < 0 || segment_read(r, &s) < 0) return;
    const char *p[] = {s.band, s.kind, s.area};
    if (db_query(r, &res, SQL_TABLE, 3, p) < 0) return;
    json_t *o = table_json(res, &expected);
    PQclear(res);
    if (!o) {
        problem(r, 500, "Out of memory.");
        return;
    }
    json_object_set_new(o, "segment", segment_json(&s));
    reply_json(r, 200, o);
}

/* Two writers of one segment queue on a lock of its key rather than collide on the rows. */
static const char *const SQL_LOCK = "SELECT pg_advisory_xact_lock(hashtext('no_intervention:' ||"
                                    " $1 || ':' || $2 || ':' || $3))";
static const char *const SQL_CLEAR =
    "DELETE FROM no_intervention WHERE risk_band = $1 AND area_kind = $2 AND area = $3";
static const char *const SQL_INSERT =
    "INSERT INTO no_intervention (risk_band, area_kind, area, position, event, likelihood, cost,"
    "                             source, horizon_months)"
    " SELECT $1, $2, $3, e.n, e.v->>'event', (e.v->>'likelihood')::numeric,"
    "        (e.v->>'cost')::numeric, e.v->>'source', $5::int"
    "   FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS e (v, n)";

void no_intervention_put(struct req *r)
{
    struct segment s;
    PGresult *res;
    char horizon[16];
    if (itin_require(r, ROLE_ADMIN | ROLE_HUB_ANALYST) < 0 || segment_read(r, &s) < 0) return;
    if (req_validate(r, table_fields, V_CREATE) < 0) return;
    snprintf(horizon, sizeof horizon, "%lld",
             (long long)json_integer_value(json_object_get(r->body, "horizon_months")));
    char *events = json_dumps(json_object_get(r->body, "events"), JSON_COMPACT);
    const char *p[] = {s.band, s.kind, s.area, events, horizon};
    int rc = db_begin(r);
    if (rc == 0) rc = itin_query(r, &res, SQL_LOCK, 3, p);
    if (rc == 0) {
        PQclear(res);
        rc = itin_query(r, &res, SQL_CLEAR, 3, p);
    }
    if (rc == 0) {
        PQclear(res);
        rc = itin_query(r, &res, SQL_INSERT, 5, p);
    }
    free(events);
    if (rc < 0) return;
    PQclear(res);
    if (db_commit(r) < 0) return;
    no_intervention_get(r);
}

/* ---- cost per case ---- */

/* Cases: itineraries past their draft, of consenting persons whose current risk band and area
 * are the segment's ($1 band, $2 kind, $3 area). */
#define SEGMENT_FROM " itineraries i JOIN persons p ON p.id = i.person_id"
#define SEGMENT_WHERE                                                                              \
    " p.risk_band = $1 AND CASE WHEN $2 = 'comarca' THEN p.comarca ELSE p.municipality END = $3"   \
    " AND p.consent_withdrawn_at IS NULL AND i.status <> 'draft'"

#define GOALS                                                                                      \
    "coalesce(CASE WHEN jsonb_typeof(i.life_project->'goals') = 'array'"                           \
    " THEN i.life_project->'goals' END, '[]')"

/* One row per stage of each case (one with null stage columns for a case without stages). */
static const char *const SQL_STAGES =
    "SELECT i.id, i.status,"
    "       (SELECT count(*) FROM jsonb_array_elements(" GOALS ")),"
    "       (SELECT count(*) FROM jsonb_array_elements(" GOALS ") g"
    "         WHERE g->'achieved' = 'true'::jsonb),"
    "       s.service_id, s.planned_start::text, s.planned_end::text, s.actual_start::text,"
    "       s.actual_end::text, u.intensity::float8, u.period, u.delivered_units::float8"
    "  FROM" SEGMENT_FROM
    "  LEFT JOIN stages s ON s.itinerary_id = i.id LEFT JOIN stage_units u ON u.stage_id = s.id"
    " WHERE" SEGMENT_WHERE " ORDER BY i.id, s.position";

static const char *const SQL_PRICES =
    "SELECT v.id, v.code, sp.unit, sp.unit_cost::float8, sp.valid_from::text, sp.valid_to::text,"
    "       sp.source"
    "  FROM services v LEFT JOIN service_prices sp ON sp.service_id = v.id"
    " WHERE v.id IN (SELECT s.service_id FROM stages s WHERE s.itinerary_id IN"
    "                 (SELECT i.id FROM" SEGMENT_FROM " WHERE" SEGMENT_WHERE "))"
    " ORDER BY v.code, sp.valid_from";

/* Prices of one service, and the days its stages needed a price it does not have. */
struct priced_service {
    const char *id, *code;
    econ_price *prices;
    size_t n;
    long unpriced_days, first_unpriced, last_unpriced;
};

struct economics {
    struct priced_service *services;
    econ_price *price_rows; /* owns every service's prices */
    size_t nservices;
    long today;
    /* per segment */
    long cases, planned_cases, completed_cases, with_goals, goals_reached;
    double planned_total, actual_total;
    /* the case being read */
    int planned_ok, actual_ok;
    double planned, actual;
};

static int load_prices(struct economics *e, PGresult *res)
{
    int n = PQntuples(res);
    e->services = calloc((size_t)n + 1, sizeof *e->services);
    econ_price *prices = e->price_rows = calloc((size_t)n + 1, sizeof *prices);
    if (!e->services || !prices) return -1;
    for (int i = 0; i < n; i++) {
        const char *id = PQgetvalue(res, i, 0);
        if (!e->nservices || strcmp(e->services[e->nservices - 1].id, id) != 0)
            e->services[e->nservices++] = (struct priced_service){
                .id = id, .code = PQgetvalue(res, i, 1), .prices = prices + i};
        if (PQgetisnull(res, i, 3)) continue;
        struct priced_service *s = &e->services[e->nservices - 1];
        s->prices[s->n++] =
            (econ_price){atof(PQgetvalue(res, i, 3)), econ_day(PQgetvalue(res, i, 4)),
                         PQgetisnull(res, i, 5) ? -1 : econ_day(PQgetvalue(res, i, 5))};
    }
    return 0;
}

static void free_prices(struct economics *e)
{
    free(e->price_rows);
    free(e->services);
}

static struct priced_service *service_of(struct economics *e, const char *id)
{
    for (size_t i = 0; i < e->nservices; i++)
        if (!strcmp(e->services[i].id, id)) return &e->services[i];
    return NULL;
}

/* Cost of units over [first, last] at the service's prices; records days without a price. */
static double priced(struct priced_service *s, double units, int one_off, long first, long last)
{
    long unpriced;
    if (last < first) last = first;
    double cost = econ_cost(units, one_off, first, last, s->prices, s->n, &unpriced);
    if (unpriced) {
        if (!s->unpriced_days || first < s->first_unpriced) s->first_unpriced = first;
        if (!s->unpriced_days || last > s->last_unpriced) s->last_unpriced = last;
        s->unpriced_days += unpriced;
    }
    return cost;
}

static void case_close(struct economics *e)
{
    if (e->planned_ok) {
        e->planned_cases++;
        e->planned_total += e->planned;
    }
    if (e->actual_ok) {
        e->completed_cases++;
        e->actual_total += e->actual;
    }
}

static void case_open(struct economics *e, PGresult *res, int row)
{
    e->cases++;
    long goals = atol(PQgetvalue(res, row, 2)), achieved = atol(PQgetvalue(res, row, 3));
    if (goals > 0) {
        e->with_goals++;
        e->goals_reached += achieved == goals;
    }
    e->planned_ok = !PQgetisnull(res, row, 4); /* a case without stages has no plan */
    e->actual_ok = !strcmp(PQgetvalue(res, row, 1), "completed");
    e->planned = e->actual = 0;
}

/* One stage: planned cost from intensity over planned dates, actual from delivered units over
 * actual dates (completed itineraries only; a stage never started cost nothing). */
static void stage_add(struct economics *e, PGresult *res, int row)
{
    if (PQgetisnull(res, row, 4)) return;
    struct priced_service *s = service_of(e, PQgetvalue(res, row, 4));
    const char *period = PQgetisnull(res, row, 10) ? NULL : PQgetvalue(res, row, 10);
    int one_off = period && !strcmp(period, "one_off");
    long pstart = econ_day(PQgetvalue(res, row, 5)), pend = econ_day(PQgetvalue(res, row, 6));
    /* Priced even in a case already left out, so that every missing price is named. */
    if (!s || !period || pstart < 0 || (!one_off && pend < 0)) {
        e->planned_ok = 0;
    } else {
        double units = econ_units(atof(PQgetvalue(res, row, 9)), period, pstart, pend);
        e->planned += priced(s, units, one_off, pstart, one_off ? pstart : pend);
    }
    long astart = econ_day(PQgetvalue(res, row, 7));
    if (!e->actual_ok || astart < 0) return;
    if (!s || PQgetisnull(res, row, 11)) {
        e->actual_ok = 0; /* started, but the provider has not reported what it delivered */
        return;
    }
    long aend = econ_day(PQgetvalue(res, row, 8));
    if (aend < 0) aend = e->today;
    e->actual +=
        priced(s, atof(PQgetvalue(res, row, 11)), one_off, astart, one_off ? astart : aend);
}

static void compute(struct economics *e, PGresult *res)
{
    int n = PQntuples(res);
    for (int i = 0; i < n; i++) {
        if (i == 0 || strcmp(PQgetvalue(res, i, 0), PQgetvalue(res, i - 1, 0)) != 0) {
            if (i) case_close(e);
            case_open(e, res, i);
        }
        stage_add(e, res, i);
    }
    if (n) case_close(e);
}

static void day_text(long day, char out[11])
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* 422 naming each missing assumption; 0 when none is missing. */
static int check_assumptions(struct req *r, const struct segment *seg, struct economics *e,
                             int has_table)
{
    char ptr[128], detail[512], from[11], to[11];
    json_t *errors = json_array();
    if (!has_table) {
        snprintf(detail, sizeof detail,
                 "no table of what follows without intervention in this segment; set it with "
                 "PUT /v1/segments/%s/no-intervention",
                 seg->id);
        problem_add_error(errors, "/no_intervention", detail);
    }
    for (size_t i = 0; i < e->nservices; i++) {
        const struct priced_service *s = &e->services[i];
        if (!s->unpriced_days) continue;
        day_text(s->first_unpriced, from);
        day_text(s->last_unpriced, to);
        snprintf(ptr, sizeof ptr, "/prices/%s", s->code);
        snprintf(detail, sizeof detail,
                 "service %s has no unit price for %ld day(s) of its stages between %s and %s; "
                 "set one with PUT /v1/services/%s/prices",
                 s->code, s->unpriced_days, from, to, s->id);
        problem_add_error(errors, ptr, detail);
    }
    return problem_if_any(r, 422, "Assumptions the estimate needs are missing.", errors);
}

/* A figure: value over `cases` (null for none, suppressed under MIN_CELL for researchers). */
static json_t *figure(double total, long cases, double scale, int suppress, const char *kind,
                      const char *formula, const char *unit_fmt)
{
    char comp[160];
    int hidden = suppress && cases < MIN_CELL;
    json_t *o =
        json_pack("{s:s, s:s, s:b}", "kind", kind, "formula", formula, "suppressed", hidden);
    if (hidden || cases == 0) {
        json_object_set_new(o, "value", json_null());
        json_object_set_new(o, "cases", hidden ? json_null() : json_integer(cases));
        json_object_set_new(o, "computation", json_null());
        return o;
    }
    double value = econ_round(total / (double)cases, scale);
    snprintf(comp, sizeof comp, unit_fmt, total, cases, value);
    json_object_set_new(o, "value", json_real(value));
    json_object_set_new(o, "cases", json_integer(cases));
    json_object_set_new(o, "computation", json_string(comp));
    return o;
}

static json_t *prices_json(PGresult *res)
{
    json_t *list = json_array();
    int n = PQntuples(res);
    for (int i = 0; i < n; i++) {
        if (PQgetisnull(res, i, 3)) continue;
        json_array_append_new(
            list,
            json_pack(
                "{s:s, s:s, s:s, s:f, s:s, s:o, s:o}", "service_id", PQgetvalue(res, i, 0),
                "service_code", PQgetvalue(res, i, 1), "unit", PQgetvalue(res, i, 2), "unit_cost",
                atof(PQgetvalue(res, i, 3)), "valid_from", PQgetvalue(res, i, 4), "valid_to",
                PQgetisnull(res, i, 5) ? json_null() : json_string(PQgetvalue(res, i, 5)), "source",
                PQgetisnull(res, i, 6) ? json_null() : json_string(PQgetvalue(res, i, 6))));
    }
    return list;
}

static const char *const rules[] = {
    "Cases are the itineraries past their draft of consenting persons whose current risk band "
    "and area are the segment's.",
    "Planned units = intensity × planned days ÷ days of the period (day 1, week 7, month "
    "365.25 / 12); one-off units are the intensity itself.",
    "Units are spread evenly over a stage's days and each day is priced at the unit price valid "
    "that day; one-off units are priced on the stage's first day.",
    "Actual cost counts completed itineraries only: the units the provider reported as "
    "delivered, over each stage's actual dates; a stage never started cost nothing.",
    "A case whose plan lacks an intensity or dates is left out of the planned average; a "
    "completed case with a started stage without delivered units is left out of the actual one.",
    "An itinerary reached its goals when every goal of its life project is marked achieved.",
    "The cost of not intervening is an estimate from the segment's table, not a measurement.",
    NULL,
};

static json_t *rules_json(void)
{
    json_t *a = json_array();
    for (int i = 0; rules[i]; i++)
        json_array_append_new(a, json_string(rules[i]));
    return a;
}

static json_t *economics_json(const struct segment *seg, struct economics *e, PGresult *prices,
                              json_t *table, double expected, int suppress)
{
    int hide_cases = suppress && e->cases < MIN_CELL;
    json_t *avoided = json_pack(
        "{s:s, s:f, s:o, s:O, s:s}", "kind", "estimate", "per_case", expected, "segment_total",
        hide_cases ? json_null() : json_real(econ_round(expected * (double)e->cases, 100)),
        "horizon_months", json_object_get(table, "horizon_months"), "formula",
        "per_case = Σ likelihood × cost over the segment's table; segment_total = per_case × "
        "cases");
    json_object_set(avoided, "computation", json_object_get(table, "computation"));
    json_t *assumptions = json_pack("{s:o, s:o, s:o}", "prices", prices_json(prices),
                                    "no_intervention", table, "rules", rules_json());
    return json_pack(
        "{s:o, s:s, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "segment", segment_json(seg), "currency",
        "EUR", "cases", hide_cases ? json_null() : json_integer(e->cases), "suppressed", hide_cases,
        "planned_cost_per_case",
        figure(e->planned_total, e->planned_cases, 100, suppress, "plan",
               "Σ planned cost of the costed cases ÷ their number", "%.2f / %ld = %.2f"),
        "actual_cost_per_case",
        figure(e->actual_total, e->completed_cases, 100, suppress, "measurement",
               "Σ actual cost of the completed, fully reported cases ÷ their number",
               "%.2f / %ld = %.2f"),
        "goals_reached",
        figure((double)e->goals_reached, e->with_goals, 10000, suppress, "measurement",
               "itineraries with every goal achieved ÷ itineraries with at least one goal",
               "%.0f / %ld = %.4f"),
        "cost_of_not_intervening", avoided, "assumptions", assumptions);
}

void segment_economics_get(struct req *r)
{
    struct segment seg;
    struct economics e = {0};
    PGresult *table = NULL, *stages = NULL, *prices = NULL;
    double expected = -1;
    if (itin_require(r, READERS) < 0 || segment_read(r, &seg) < 0) return;
    const char *p[] = {seg.band, seg.kind, seg.area};
    if (db_query(r, &table, SQL_TABLE, 3, p) < 0 || db_query(r, &stages, SQL_STAGES, 3, p) < 0 ||
        db_query(r, &prices, SQL_PRICES, 3, p) < 0)
        goto cleanup;
    if (load_prices(&e, prices) < 0) {
        problem(r, 500, "Out of memory.");
        goto cleanup;
    }
    e.today = (long)(time(NULL) / 86400);
    compute(&e, stages);
    if (check_assumptions(r, &seg, &e, PQntuples(table) > 0) < 0) goto cleanup;
    json_t *t = table_json(table, &expected);
    int suppress = !caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST);
    json_t *o = t ? economics_json(&seg, &e, prices, t, expected, suppress) : NULL;
    if (o)
        reply_json(r, 200, o);
    else
        problem(r, 500, "Out of memory.");
cleanup:
    free_prices(&e);
    PQclear(table);
    PQclear(stages);
    PQclear(prices);
}
