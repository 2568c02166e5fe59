/* Computed indicators: figures taken from the services that own them, for a scope (hub,
 * comarca, municipality, project) and a reporting period (its first and last day), live
 * (GET /v1/evaluation/computed) or stored as the scope's values for the period
 * (POST /v1/evaluation/computed/snapshot).
 *
 * Each indicator's compute_key names its figure: a row of compute_sources (the owning service,
 * the route read, the JSON path of the figure, a scale) or survey.<QUESTIONNAIRE>.<ITEM> (the
 * item's mean in the campaign of the scope and period, with n and consensus). Each route is read
 * once per request, as the caller. A figure that cannot be had (its service is down, the figure
 * is suppressed, undefined, or not given for the scope) has no value, status "missing" and the
 * reason: never a zero. When a source service could not be reached the live answer is 503 with
 * the partial figures in its body (Retry-After); a snapshot stores what it could have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "httpc.h"
#include "hubsummary.h"
#include "likert.h"
#include "problem.h"
#include "resource.h"
#include "sources.h"

#define READERS     (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)
#define MAX_SOURCES 8

/* The scope and period of one computation, with the place names the other services take. */
struct scope_ctx {
    const char *type, *id, *period;
    char from[11], to[11];
    char place[200]; /* comarca or municipality reference name, "" when none */
    char scope_text[200];
    char id_buf[EVAL_SCOPE_ID_MAX]; /* the stored id of a place scope named in any form */
};

struct source {
    char service[16], route[64];
    char path[512];
    long status; /* HTTP status, 0 when not reached, -1 when not asked (not applicable) */
    const char *reason;
    json_t *doc;
};

struct computation {
    struct scope_ctx s;
    struct source sources[MAX_SOURCES];
    int nsources;
    int available, missing, down;
};

static const char *const SQL_SCOPE =
    "SELECT period_start($1)::text, period_end($1)::text,"
    "  CASE $2 WHEN 'comarca' THEN (SELECT m.comarca FROM municipality m"
    "                                WHERE m.comarca_slug = $3 LIMIT 1)"
    "          WHEN 'municipality' THEN (SELECT m.name FROM municipality m WHERE m.code = $3)"
    "  END";

static const char *const SQL_COMPUTED =
    "SELECT i.id, i.code, i.compute_key, cs.service, cs.route, cs.path, cs.scale::float8,"
    "   indicator_provenance(i)::text"
    "  FROM indicators i JOIN frameworks f ON f.id = i.framework_id"
    "  LEFT JOIN compute_sources cs ON cs.key = i.compute_key"
    " WHERE i.compute_key IS NOT NULL AND (f.id::text = $1 OR f.code = $1) ORDER BY i.code";

/* Reads the period's dates and the place's name; answers and returns -1 on failure. */
static int scope_resolve(struct req *r, struct scope_ctx *s)
{
    PGresult *res;
    const char *p[] = {s->period, s->type, s->id};
    if (db_query(r, &res, SQL_SCOPE, 3, p) < 0) return -1;
    snprintf(s->from, sizeof s->from, "%s", PQgetvalue(res, 0, 0));
    snprintf(s->to, sizeof s->to, "%s", PQgetvalue(res, 0, 1));
    snprintf(s->place, sizeof s->place, "%s", PQgetvalue(res, 0, 2));
    PQclear(res);
    snprintf(s->scope_text, sizeof s->scope_text, "%s%s%s", s->type, s->id ? ":" : "",
             s->id ? s->id : "");
    return 0;
}

/* The query a route takes for the scope and period, or NULL with *reason when the route gives
 * nothing for this scope. */
static int route_query(const struct scope_ctx *s, const char *route, char *out, size_t cap,
                       const char **reason)
{
    char place[600] = "";
    int hub = !strcmp(s->type, "hub"), comarca = !strcmp(s->type, "comarca");
    if (!strcmp(s->type, "project")) {
        /* The projects and transfer figures of one project; itineraries and the network are
         * not kept per project. */
        if (!strcmp(route, "/v1/hub/summary"))
            snprintf(out, cap, "%s?from=%s&to=%s&project_id=%s", route, s->from, s->to, s->id);
        else if (!strcmp(route, "/v1/transfer/indicators"))
            snprintf(out, cap, "%s?scope=%s&from=%s&to=%s", route, s->scope_text, s->from, s->to);
        else {
            *reason = "not given for a project scope";
            return -1;
        }
        return 0;
    }
    if (!hub && !s->place[0] && strcmp(route, "/v1/itineraries/indicators") &&
        strcmp(route, "/v1/transfer/indicators")) {
        *reason = "the place is not in the reference list";
        return -1;
    }
    if (!hub && s->place[0] && query_escape(s->place, place, sizeof place) < 0) {
        *reason = "the place name is too long";
        return -1;
    }
    if (!strcmp(route, "/v1/hub/summary")) {
        snprintf(out, cap, "%s?from=%s&to=%s%s%s", route, s->from, s->to,
                 hub       ? ""
                 : comarca ? "&comarca="
                           : "&municipality=",
                 hub ? "" : place);
    } else if (!strcmp(route, "/v1/transfer/network/metrics")) {
        if (!hub && !comarca) {
            *reason = "the network is not computed per municipality";
            return -1;
        }
        snprintf(out, cap, "%s?from=%s&to=%s&complete=true%s%s", route, s->from, s->to,
                 comarca ? "&comarca=" : "", comarca ? place : "");
    } else {
        snprintf(out, cap, "%s?scope=%s&from=%s&to=%s", route, s->scope_text, s->from, s->to);
    }
    return 0;
}

/* The answer of (service, route), read once per computation. */
static struct source *source_get(struct req *r, struct computation *c, const char *service,
                                 const char *route)
{
    for (int i = 0; i < c->nsources; i++)
        if (!strcmp(c->sources[i].service, service) && !strcmp(c->sources[i].route, route))
            return &c->sources[i];
    if (c->nsources == MAX_SOURCES) return NULL;
    struct source *src = &c->sources[c->nsources++];
    memset(src, 0, sizeof *src);
    snprintf(src->service, sizeof src->service, "%s", service);
    snprintf(src->route, sizeof src->route, "%s", route);
    if (route_query(&c->s, route, src->path, sizeof src->path, &src->reason) < 0) {
        src->status = -1;
        snprintf(src->path, sizeof src->path, "%s", route);
        return src;
    }
    src->status = service_get_json(r, service, src->path, &src->doc);
    if (src->status == 0 || src->status >= 500) {
        src->reason = "the source service is not answering";
        c->down = 1;
    } else if (src->status == 401 || src->status == 403) {
        src->reason = "the caller may not read this source";
    } else if (src->status < 200 || src->status >= 300) {
        src->reason = "the source refused the request";
    } else if (!json_is_object(src->doc)) {
        src->reason = "the source's answer has not the expected shape";
    }
    return src;
}

/* A figure of another service: 0 with *value, or -1 with *reason. */
static int service_figure(struct req *r, struct computation *c, const PGresult *res, int row,
                          double *value, const char **reason, json_t *prov)
{
    const char *key = PQgetvalue(res, row, 2), *service = PQgetvalue(res, row, 3);
    const char *route = PQgetvalue(res, row, 4);
    struct source *src = source_get(r, c, service, route);
    if (!src) {
        *reason = "too many sources";
        return -1;
    }
    json_object_set_new(prov, "request", json_string(src->path));
    if (src->reason) {
        *reason = src->reason;
        return -1;
    }
    if (hubsummary_knows(key)) {
        if (hubsummary_value(src->doc, key, value) == 0) return 0;
        *reason = "the source's answer has not the expected shape";
        return -1;
    }
    const char *path = PQgetisnull(res, row, 5) ? NULL : PQgetvalue(res, row, 5);
    return figure_at(src->doc, path, atof(PQgetvalue(res, row, 6)), value, reason);
}

/* Respondents with lived experience in the campaigns of the scope for the period (their period
 * starting in it, or without one, closing in it). */
static const char *const SQL_LIVED =
    "SELECT count(DISTINCT x.respondent_id) FROM responses x JOIN campaigns c"
    "    ON c.id = x.campaign_id"
    " WHERE x.role IN ('person_receiving_care', 'family_caregiver') AND c.scope_type = $1"
    "   AND coalesce(c.scope_id, '') = coalesce($2, '')"
    "   AND (period_start(c.period) BETWEEN $3::date AND $4::date"
    "        OR (c.period IS NULL AND coalesce(c.closed_at, c.closes_at)::date"
    "            BETWEEN $3::date AND $4::date))"
    "   AND campaign_readable(c, $5::uuid, $6::boolean)";

static int own_figure(struct req *r, const struct scope_ctx *s, const char *key, double *value,
                      const char **reason)
{
    PGresult *res;
    if (strcmp(key, "evaluation.lived_experience_respondents")) {
        *reason = "unknown figure of the evaluation service";
        return -1;
    }
    const char *p[] = {s->type, s->id, s->from, s->to, req_org(r), sql_bool(eval_sees_all(r))};
    if (db_query(r, &res, SQL_LIVED, 6, p) < 0) return -2;
    *value = atof(PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* The campaign of the scope and period of a questionnaire (its own period first, then the
 * latest one closing in the period) and the counts per point of one item. */
static const char *const SQL_SURVEY =
    "WITH c AS (SELECT c.* FROM campaigns c JOIN questionnaires q ON q.id = c.questionnaire_id"
    "   WHERE q.code = $1 AND c.scope_type = $3 AND coalesce(c.scope_id, '') = coalesce($4, '')"
    "     AND (c.period = $5 OR period_start(c.period) BETWEEN $6::date AND $7::date"
    "          OR (c.period IS NULL AND coalesce(c.closed_at, c.closes_at)::date"
    "              BETWEEN $6::date AND $7::date))"
    "     AND campaign_readable(c, $8::uuid, $9::boolean)"
    "   ORDER BY c.period = $5 DESC, c.closes_at DESC LIMIT 1)"
    " SELECT c.id, c.min_group_size, c.consensus_at::float8, c.divergence_below::float8,"
    "   it.scale_min, it.scale_max,"
    "   (SELECT coalesce(string_agg(a.value || ':' || a.n, ',' ORDER BY a.value), '')"
    "      FROM (SELECT value, sum(n) AS n FROM answer_counts"
    "             WHERE campaign_id = c.id AND item_id = it.id GROUP BY value) a)"
    "  FROM c JOIN items it ON it.questionnaire_id = c.questionnaire_id AND it.code = $2";

/* survey.<QUESTIONNAIRE>.<ITEM>: 0 with *value and the campaign, n and consensus in prov; -1
 * with *reason; -2 after answering r. */
static int survey_figure(struct req *r, const struct scope_ctx *s, const char *key, double *value,
                         const char **reason, json_t *prov)
{
    char questionnaire[64], item[32];
    const char *last = strrchr(key, '.');
    size_t qlen = last ? (size_t)(last - key) - 7 : 0;
    if (!last || last < key + 8 || qlen >= sizeof questionnaire ||
        strlen(last + 1) >= sizeof item) {
        *reason = "the compute_key does not name a questionnaire item";
        return -1;
    }
    memcpy(questionnaire, key + 7, qlen);
    questionnaire[qlen] = 0;
    snprintf(item, sizeof item, "%s", last + 1);
    PGresult *res;
    const char *p[] = {questionnaire, item,       s->type,
                       s->id,         s->period,  s->from,
                       s->to,         req_org(r), sql_bool(eval_sees_all(r))};
    if (db_query(r, &res, SQL_SURVEY, 9, p) < 0) return -2;
    int rc = -1;
    if (PQntuples(res) == 0) {
        *reason = "no campaign of the questionnaire with this item for the scope and period";
        goto cleanup;
    }
    json_object_set_new(prov, "campaign_id", json_string(PQgetvalue(res, 0, 0)));
    likert_scale scale = {atoi(PQgetvalue(res, 0, 4)), atoi(PQgetvalue(res, 0, 5))};
    long counts[LIKERT_MAX_POINTS] = {0};
    int points = likert_points(&scale);
    for (const char *c = PQgetvalue(res, 0, 6); *c;) {
        int point = atoi(c);
        const char *colon = strchr(c, ':');
        if (!colon) break;
        long n = atol(colon + 1);
        if (points > 0 && point >= scale.min && point <= scale.max) counts[point - scale.min] = n;
        c = strchr(colon, ',');
        c = c ? c + 1 : colon + strlen(colon);
    }
    likert_summary sum;
    if (points == 0 || likert_summarise(&scale, counts, &sum) < 0 || sum.n == 0) {
        json_object_set_new(prov, "n", json_integer(0));
        *reason = "the campaign has no answers to this item";
        goto cleanup;
    }
    if (sum.n < atol(PQgetvalue(res, 0, 1))) {
        *reason = "fewer answers than the campaign's minimum group size";
        goto cleanup;
    }
    likert_thresholds t = {atof(PQgetvalue(res, 0, 2)), atof(PQgetvalue(res, 0, 3))};
    json_object_set_new(prov, "n", json_integer(sum.n));
    json_object_set_new(prov, "consensus", json_real(sum.consensus));
    json_object_set_new(
        prov, "agreement",
        json_string(likert_agreement_name(likert_classify(sum.consensus, sum.n, &t))));
    *value = sum.mean;
    rc = 0;
cleanup:
    PQclear(res);
    return rc;
}

/* One indicator's figure as an item {indicator_id, code, compute_key, value, status, reason?,
 * provenance}; NULL after answering r. */
static json_t *figure_item(struct req *r, struct computation *c, const PGresult *res, int row)
{
    const char *key = PQgetvalue(res, row, 2);
    json_t *prov = json_loads(PQgetvalue(res, row, 7), 0, NULL);
    if (!prov) prov = json_object();
    double value = 0;
    const char *reason = NULL;
    int rc;
    if (!strncmp(key, "survey.", 7))
        rc = survey_figure(r, &c->s, key, &value, &reason, prov);
    else if (PQgetisnull(res, row, 3))
        rc = -1, reason = "the compute_key names no figure of the suite";
    else if (!strcmp(PQgetvalue(res, row, 3), "evaluation"))
        rc = own_figure(r, &c->s, key, &value, &reason);
    else
        rc = service_figure(r, c, res, row, &value, &reason, prov);
    if (rc == -2) {
        json_decref(prov);
        return NULL;
    }
    json_t *item = json_pack("{s:s, s:s, s:s}", "indicator_id", PQgetvalue(res, row, 0), "code",
                             PQgetvalue(res, row, 1), "compute_key", key);
    if (rc == 0) {
        json_object_set_new(item, "value", json_real(value));
        json_object_set_new(item, "status", json_string("ok"));
        c->available++;
    } else {
        json_object_set_new(item, "value", json_null());
        json_object_set_new(item, "status", json_string("missing"));
        json_object_set_new(item, "reason", json_string(reason));
        c->missing++;
    }
    json_object_set_new(item, "provenance", prov);
    return item;
}

static json_t *sources_json(const struct computation *c)
{
    json_t *out = json_array();
    for (int i = 0; i < c->nsources; i++) {
        const struct source *s = &c->sources[i];
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:o}", "service", s->service, "path", s->path, "status",
                           s->status == -1 ? "not_applicable"
                           : s->reason     ? "unavailable"
                                           : "ok",
                           "http_status", s->status > 0 ? json_integer(s->status) : json_null()));
    }
    return out;
}

/* Every computed figure of the framework for c->s; NULL after answering r. */
static json_t *compute(struct req *r, const char *framework, struct computation *c)
{
    PGresult *res;
    const char *p[] = {framework};
    if (scope_resolve(r, &c->s) < 0) return NULL;
    if (db_query(r, &res, SQL_COMPUTED, 1, p) < 0) return NULL;
    json_t *items = json_array();
    for (int row = 0; row < PQntuples(res); row++) {
        json_t *item = figure_item(r, c, res, row);
        if (!item) {
            json_decref(items);
            items = NULL;
            break;
        }
        json_array_append_new(items, item);
    }
    PQclear(res);
    json_t *sources = sources_json(c);
    for (int i = 0; i < c->nsources; i++)
        json_decref(c->sources[i].doc);
    if (!items) {
        json_decref(sources);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s, s:b, s:i, s:i, s:o, s:o}", "framework",
                     framework, "scope_type", c->s.type, "scope_id", c->s.id, "period", c->s.period,
                     "period_start", c->s.from, "period_end", c->s.to, "partial", c->missing > 0,
                     "available", c->available, "missing", c->missing, "sources", sources, "items",
                     items);
}

/* scope_type, scope_id and period (or the older year) from the query or the body. A municipality
 * or comarca scope_id in any form a place goes by is replaced by its stored id; one that names no
 * place is a 422 naming scope_id and the closest places. */
static int read_scope(struct req *r, struct scope_ctx *s, const char *type, const char *id,
                      const char *period, const char *year, int in_body)
{
    static char year_period[8];
    json_t *e = json_array();
    const char *where = in_body ? "" : "/query";
    char ptr[32];
    memset(s, 0, sizeof *s);
    s->type = type ? type : "hub";
    s->id = id;
    if (!period && year) {
        snprintf(year_period, sizeof year_period, "%s", year);
        period = year_period;
    }
    s->period = period;
    snprintf(ptr, sizeof ptr, "%s/scope_id", where);
    int placed = eval_scope_place(r, s->type, s->id, ptr, e, s->id_buf, sizeof s->id_buf);
    if (placed < 0) {
        json_decref(e);
        return -1;
    }
    if (placed == 1 && s->id) s->id = s->id_buf;
    if (placed == 1 && !eval_scope_valid(s->type, s->id)) {
        snprintf(ptr, sizeof ptr, "%s/scope_id", where);
        problem_add_error(e, ptr,
                          "must be absent for the hub, a project uuid, a municipality (INE code "
                          "or name) or a comarca (slug or name)");
    }
    if (!period || !eval_period_valid(period)) {
        snprintf(ptr, sizeof ptr, "%s/period", where);
        problem_add_error(e, ptr, "is required: YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or YYYY-MM");
    }
    return problem_if_any(r, in_body || placed == 0 ? 422 : 400,
                          in_body       ? "The request body has invalid fields."
                          : placed == 0 ? "The scope names no known place."
                                        : "Invalid query parameter.",
                          e);
}

static const char *const scope_types[] = {"hub", "project", "municipality", "comarca", NULL};

void computed_get(struct req *r)
{
    const char *year, *framework, *type, *id;
    struct computation c;
    if (eval_require(r, READERS) < 0) return;
    if (req_int_param(r, "year", 2000, 2100, &year) < 0) return;
    if (req_text_param(r, "framework", 60, &framework) < 0) return;
    if (req_enum_param(r, "scope_type", scope_types, &type) < 0) return;
    if (req_text_param(r, "scope_id", 40, &id) < 0) return;
    memset(&c, 0, sizeof c);
    const char *period = req_param(r, "period");
    char this_year[8];
    if (!period && !year) {
        PGresult *res;
        if (db_query(r, &res, "SELECT to_char(now(), 'YYYY')", 0, NULL) < 0) return;
        snprintf(this_year, sizeof this_year, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        year = this_year;
    }
    if (read_scope(r, &c.s, type, id, period, year, 0) < 0) return;
    json_t *out = compute(r, framework ? framework : "HUB", &c);
    if (!out) return;
    if (c.down || (c.available == 0 && c.missing > 0)) {
        /* 503, partial: what could be had is in the body; the missing carry their reasons. */
        reply_header(r, "Retry-After", "30");
        eval_reply_json(r, 503, out);
        return;
    }
    eval_reply_json(r, 200, out);
}

static const struct field snapshot_fields[] = {
    STR("period", F_REQUIRED, 4, 7),
    STR("framework", 0, 1, 60),
    ENUM("scope_type", 0, scope_types),
    STR("scope_id", F_NULLABLE, 1, 40),
    FIELDS_END,
};

/* Stores the figures obtained as the scope's values for the period (history keeps the old; an
 * unchanged figure is left as it is), and every figure, missing ones with their reason, as the
 * period's snapshot. */
static const char *const SQL_STORE =
    "WITH x AS (SELECT (e->>'indicator_id')::uuid AS indicator_id, (e->>'value')::numeric AS value,"
    "     e->'provenance' || jsonb_build_object('taken_at', ts(now())) AS provenance,"
    "     CASE WHEN e->'provenance'->>'kind' = 'survey' THEN 'survey:' || (e->>'compute_key')"
    "          ELSE 'computed:' || (e->>'compute_key') END AS source"
    "   FROM jsonb_array_elements($5::jsonb) e WHERE e->>'status' = 'ok'),"
    " v AS (INSERT INTO indicator_values AS v (indicator_id, scope_type, scope_id, period, value,"
    "     source, evidence, owner_org, recorded_by, provenance)"
    "   SELECT x.indicator_id, $1, $2, $3, x.value, x.source,"
    "     'Computed for ' || $3 || ' (' || period_start($3) || ' to ' || period_end($3) || ')',"
    "     '" NIL_UUID "', $4, x.provenance FROM x"
    "   ON CONFLICT (indicator_id, scope_type, coalesce(scope_id, ''), period) DO UPDATE"
    "     SET value = excluded.value, source = excluded.source, evidence = excluded.evidence,"
    "         recorded_by = excluded.recorded_by, provenance = excluded.provenance"
    "     WHERE v.value IS DISTINCT FROM excluded.value OR v.source IS DISTINCT FROM "
    "excluded.source"
    "        OR (v.provenance - 'taken_at') IS DISTINCT FROM (excluded.provenance - 'taken_at')"
    "   RETURNING 1),"
    " s AS (INSERT INTO computed_snapshots AS s (framework_id, scope_type, scope_id, period,"
    "     period_start, period_end, items, taken_by)"
    "   SELECT f.id, $1, $2, $3, period_start($3), period_end($3), $5::jsonb, $4 FROM frameworks f"
    "    WHERE f.id::text = $6 OR f.code = $6"
    "   ON CONFLICT (framework_id, scope_type, coalesce(scope_id, ''), period) DO UPDATE"
    "     SET items = excluded.items, taken_by = excluded.taken_by, taken_at = now()"
    "     WHERE s.items IS DISTINCT FROM excluded.items"
    "   RETURNING 1)"
    " SELECT (SELECT count(*) FROM v), (SELECT count(*) FROM x), (SELECT count(*) FROM s)";

void computed_snapshot(struct req *r)
{
    PGresult *res;
    struct computation c;
    if (eval_require(r, ROLE_ADMIN | ROLE_HUB_ANALYST) < 0) return;
    if (req_validate(r, snapshot_fields, V_CREATE) < 0) return;
    const char *framework = json_string_value(json_object_get(r->body, "framework"));
    if (!framework) framework = "HUB";
    memset(&c, 0, sizeof c);
    if (read_scope(r, &c.s, json_string_value(json_object_get(r->body, "scope_type")),
                   json_string_value(json_object_get(r->body, "scope_id")),
                   json_string_value(json_object_get(r->body, "period")), NULL, 1) < 0)
        return;
    json_t *out = compute(r, framework, &c);
    if (!out) return;
    if (c.available == 0 && c.missing > 0) {
        json_decref(out);
        reply_header(r, "Retry-After", "30");
        problem(r, 503, "No computed figure could be obtained; nothing was stored.");
        return;
    }
    char *items = json_dumps(json_object_get(out, "items"), JSON_COMPACT | JSON_SORT_KEYS);
    if (!items) {
        json_decref(out);
        problem(r, 500, "Out of memory.");
        return;
    }
    const char *p[] = {c.s.type, c.s.id, c.s.period, r->caller.sub, items, framework};
    int rc = db_query(r, &res, SQL_STORE, 6, p);
    free(items);
    if (rc < 0) {
        json_decref(out);
        return;
    }
    json_object_set_new(out, "written", json_integer(atoi(PQgetvalue(res, 0, 0))));
    json_object_set_new(out, "stored", json_integer(atoi(PQgetvalue(res, 0, 1))));
    PQclear(res);
    eval_reply_json(r, 200, out);
}

/* The stored snapshots of a scope, latest period first; ?period= keeps one. */
static const char *const SQL_SNAPSHOTS =
    "SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'framework', f.code,"
    "   'scope_type', s.scope_type, 'scope_id', s.scope_id, 'period', s.period,"
    "   'period_start', s.period_start, 'period_end', s.period_end, 'taken_by', s.taken_by,"
    "   'taken_at', ts(s.taken_at), 'items', s.items) ORDER BY s.period_start DESC, s.period),"
    "   '[]')::text"
    "  FROM computed_snapshots s JOIN frameworks f ON f.id = s.framework_id"
    " WHERE (f.id::text = $1 OR f.code = $1) AND s.scope_type = $2"
    "   AND coalesce(s.scope_id, '') = coalesce($3, '') AND ($4::text IS NULL OR s.period = $4)";

void computed_snapshots_list(struct req *r)
{
    const char *framework, *type, *id, *period;
    PGresult *res;
    if (eval_require(r, READERS) < 0) return;
    if (req_text_param(r, "framework", 60, &framework) < 0) return;
    if (req_enum_param(r, "scope_type", scope_types, &type) < 0) return;
    if (req_text_param(r, "scope_id", 40, &id) < 0) return;
    if (req_text_param(r, "period", 7, &period) < 0) return;
    if (!type) type = "hub";
    json_t *e = json_array();
    if (!eval_scope_valid(type, id))
        problem_add_error(e, "/query/scope_id",
                          "must be absent for the hub, a project uuid, a 5-digit municipality "
                          "INE code or a comarca slug");
    if (period && !eval_period_valid(period))
        problem_add_error(e, "/query/period", "must be YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or YYYY-MM");
    if (problem_if_any(r, 400, "Invalid query parameter.", e) < 0) return;
    const char *p[] = {framework ? framework : "HUB", type, id, period};
    if (db_query(r, &res, SQL_SNAPSHOTS, 4, p) < 0) return;
    json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (!items) {
        problem(r, 500, "The snapshots could not be read.");
        return;
    }
    eval_reply_json(r, 200, json_pack("{s:o}", "items", items));
}
