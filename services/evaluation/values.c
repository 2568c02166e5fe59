/* /v1/evaluation/indicator-values: one value per indicator, scope and period, with source and
 * evidence; every change keeps the previous value in the history. A value belongs to the
 * organisation that recorded it, and only that organisation (or an admin) changes or deletes it;
 * hub analysts read every organisation's values and change the hub's own. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "httpc.h"
#include "evaluation.h"
#include "page.h"
#include "participation.h"
#include "period.h"
#include "place.h"
#include "problem.h"
#include "resource.h"

#define WRITERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define READERS (WRITERS | ROLE_RESEARCHER)

static const char *const scope_types[] = {"hub", "project", "municipality", "comarca", NULL};

static const struct field value_create_fields[] = {
    UUID("indicator_id", F_REQUIRED),
    ENUM("scope_type", F_REQUIRED, scope_types),
    STR("scope_id", F_NULLABLE, 1, EVAL_SCOPE_ID_MAX - 1),
    STR("period", F_REQUIRED, 4, 7),
    NUM("value", F_REQUIRED, -1e12, 1e12),
    STR("value_text", F_NULLABLE, 1, 2000),
    STR("source", 0, 3, 130),
    STR("evidence", F_NULLABLE, 1, 4000),
    FIELDS_END,
};

static const struct field value_update_fields[] = {
    NUM("value", F_REQUIRED, -1e12, 1e12),
    STR("value_text", F_NULLABLE, 1, 2000),
    STR("source", 0, 3, 130),
    STR("evidence", F_NULLABLE, 1, 4000),
    FIELDS_END,
};

/* 'YYYY', 'YYYY-H1', 'YYYY-Q3', 'YYYY-MM': the suite's one period format (common/period.c; the
 * database's period_valid says the same). */
int eval_period_valid(const char *p)
{
    return period_bounds(p, NULL, NULL) == 0;
}

/* The range a unit allows before the indicator's own bounds: a percentage is 0-100, counts are
 * whole and durations and rates are never negative. */
static void unit_range(const char *unit, double *lo, double *hi, int *whole)
{
    static const char *const non_negative[] = {"count", "ratio", "rate_per_100", "months", "days",
                                               "hours", NULL};
    *lo = -1e12, *hi = 1e12, *whole = unit && !strcmp(unit, "count");
    if (unit && !strcmp(unit, "percent")) *lo = 0, *hi = 100;
    for (int i = 0; unit && non_negative[i]; i++)
        if (!strcmp(unit, non_negative[i])) *lo = 0;
}

int eval_value_in_range(const char *unit, const double *min_value, const double *max_value,
                        double value, json_t *errors)
{
    double lo, hi;
    int whole;
    char d[200];
    unit_range(unit, &lo, &hi, &whole);
    if (min_value && *min_value > lo) lo = *min_value;
    if (max_value && *max_value < hi) hi = *max_value;
    if (whole && value != (double)(long long)value) {
        snprintf(d, sizeof d, "must be a whole number (the indicator's unit is %s)", unit);
        problem_add_error(errors, "/value", d);
        return 1;
    }
    if (value < lo || value > hi) {
        snprintf(d, sizeof d, "must be between %g and %g (the indicator's unit is %s%s)", lo, hi,
                 unit ? unit : "unknown",
                 min_value || max_value ? ", with its declared minimum and maximum" : "");
        problem_add_error(errors, "/value", d);
        return 1;
    }
    return 0;
}

/* The hub has no id; a project is a uuid, a municipality a 5-digit INE code, a comarca a code or
 * a slug. */
int eval_scope_valid(const char *type, const char *id)
{
    if (!type) return 0;
    if (!strcmp(type, "hub")) return id == NULL;
    if (!id) return 0;
    if (!strcmp(type, "project")) return valid_uuid(id);
    size_t n = strlen(id);
    if (!strcmp(type, "municipality")) {
        if (n != 5) return 0;
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)id[i])) return 0;
        return 1;
    }
    if (!strcmp(type, "comarca")) {
        /* A code of up to 8 letters and digits, or a slug (tolosaldea, debabarrena-bajo-deba):
         * lower case letters, digits and inner hyphens, up to 40 characters. */
        int code = n >= 1 && n <= 8, slug = n >= 1 && n <= 40 && id[0] != '-' && id[n - 1] != '-';
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)id[i];
            if (!isalnum(ch)) code = 0;
            if (!(islower(ch) || isdigit(ch) || ch == '-')) slug = 0;
        }
        return code || slug;
    }
    return 0;
}

int eval_scope_place(struct req *r, const char *type, const char *id, const char *pointer,
                     json_t *errors, char *out, size_t len)
{
    unsigned kinds = 0;
    struct place pl;
    if (type && !strcmp(type, "municipality")) kinds = PLACE_MUNICIPALITY;
    if (type && !strcmp(type, "comarca")) kinds = PLACE_COMARCA;
    snprintf(out, len, "%s", id ? id : "");
    if (!kinds || !id) return 1;
    int found = place_lookup(r, id, kinds, pointer, errors, &pl);
    if (found == 1) snprintf(out, len, "%s", place_id(&pl));
    return found;
}

int eval_scope_body(struct req *r, json_t *errors)
{
    char id[EVAL_SCOPE_ID_MAX];
    const char *type = json_string_value(json_object_get(r->body, "scope_type"));
    const char *sid = json_string_value(json_object_get(r->body, "scope_id"));
    int placed = eval_scope_place(r, type, sid, "/scope_id", errors, id, sizeof id);
    if (placed == 1 && sid) json_object_set_new(r->body, "scope_id", json_string(id));
    return placed;
}

static int source_valid(const char *s)
{
    static const char *const kinds[] = {"manual", "computed", "survey", "import", NULL};
    if (!s) return 1;
    for (int i = 0; kinds[i]; i++) {
        size_t n = strlen(kinds[i]);
        if (strncmp(s, kinds[i], n)) continue;
        if (!s[n]) return 1;
        if (s[n] != ':' || !s[n + 1]) return 0;
        for (const char *c = s + n + 1; *c; c++)
            if (!isalnum((unsigned char)*c) && !strchr("_.:/-", *c)) return 0;
        return 1;
    }
    return 0;
}

/* Checks the parts of a value the field table cannot (skipping fields absent or mistyped). */
static int value_check(const json_t *body, int creating, json_t *e)
{
    int bad = 0;
    if (creating) {
        const char *type = json_string_value(json_object_get(body, "scope_type"));
        const char *sid = json_string_value(json_object_get(body, "scope_id"));
        const char *period = json_string_value(json_object_get(body, "period"));
        if (type && !eval_scope_valid(type, sid)) {
            problem_add_error(e, "/scope_id",
                              "must be absent for the hub, a project uuid, a municipality "
                              "(INE code or name) or a comarca (slug or name)");
            bad++;
        }
        if (period && !eval_period_valid(period)) {
            problem_add_error(e, "/period", "must be YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or YYYY-MM");
            bad++;
        }
    }
    if (!source_valid(json_string_value(json_object_get(body, "source")))) {
        problem_add_error(e, "/source",
                          "must be manual, computed, survey or import, optionally "
                          "followed by :detail");
        bad++;
    }
    return bad;
}

/* Keeps only the first error at pointer (the one that names the closest places). */
static void drop_repeated_pointer(json_t *errors, const char *pointer)
{
    int seen = 0;
    for (size_t i = 0; i < json_array_size(errors);) {
        const char *p = json_string_value(json_object_get(json_array_get(errors, i), "pointer"));
        if (p && !strcmp(p, pointer) && seen++) {
            json_array_remove(errors, i);
            continue;
        }
        i++;
    }
}

static const char *const SQL_INDICATOR_RANGE =
    "SELECT unit, min_value::float8, max_value::float8 FROM indicators WHERE id = $1";
static const char *const SQL_VALUE_RANGE =
    "SELECT i.unit, i.min_value::float8, i.max_value::float8 FROM indicator_values v"
    " JOIN indicators i ON i.id = v.indicator_id WHERE v.id = $1";

/* The value against its indicator's unit and range; sql finds the indicator from id. Returns -1
 * when the database did not answer (r answered). */
static int range_check(struct req *r, const char *sql, const char *id, json_t *e)
{
    PGresult *res;
    json_t *value = json_object_get(r->body, "value");
    if (!id || !valid_uuid(id) || !json_is_number(value)) return 0;
    const char *p[] = {id};
    if (db_query(r, &res, sql, 1, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        if (sql == SQL_INDICATOR_RANGE) problem_add_error(e, "/indicator_id", "names no indicator");
    } else {
        double lo = atof(PQgetvalue(res, 0, 1)), hi = atof(PQgetvalue(res, 0, 2));
        eval_value_in_range(PQgetvalue(res, 0, 0), PQgetisnull(res, 0, 1) ? NULL : &lo,
                            PQgetisnull(res, 0, 2) ? NULL : &hi, json_number_value(value), e);
    }
    PQclear(res);
    return 0;
}

/* A value for a project is accepted only when the projects service knows the project (asked as
 * the caller). Returns -1 with a 503 answered when that service cannot say. */
static int scope_exists(struct req *r, json_t *e)
{
    const char *type = json_string_value(json_object_get(r->body, "scope_type"));
    const char *sid = json_string_value(json_object_get(r->body, "scope_id"));
    if (!type || strcmp(type, "project") || !eval_scope_valid(type, sid)) return 0;
    char path[96];
    json_t *project = NULL;
    snprintf(path, sizeof path, "/v1/projects/%s", sid);
    long status = service_get_json(r, "projects", path, &project);
    json_decref(project);
    if (status >= 200 && status < 300) return 0;
    if (status == 404) {
        problem_add_error(e, "/scope_id", "names no project of the projects service");
        return 0;
    }
    reply_header(r, "Retry-After", "30");
    problem(r, 503,
            "The projects service (owner of projects) did not answer whether the project exists; "
            "the value was not recorded.");
    return -1;
}

#define VALUE_READABLE " ($1::boolean OR v.owner_org = $2::uuid OR v.owner_org = '" NIL_UUID "')"

static const char *const SQL_LIST =
    "SELECT indicator_value_json(v)::text, ts(v.created_at), v.id FROM indicator_values v"
    " WHERE" VALUE_READABLE " AND ($3::uuid IS NULL OR v.indicator_id = $3::uuid)"
    " AND ($4::text IS NULL OR v.scope_type = $4) AND ($5::text IS NULL OR v.scope_id = $5)"
    " AND ($6::text IS NULL OR v.period = $6)"
    " AND (v.created_at, v.id) > ($7::timestamptz, $8::uuid) ORDER BY v.created_at, v.id LIMIT $9";

void values_list(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    const char *indicator, *scope_type, *scope_id, *period;
    char id_buf[EVAL_SCOPE_ID_MAX];
    if (eval_require(r, READERS) < 0 || page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "scope_type", scope_types, &scope_type) < 0) return;
    if (req_text_param(r, "scope_id", EVAL_SCOPE_ID_MAX - 1, &scope_id) < 0) return;
    json_t *unknown = json_array();
    int placed = eval_scope_place(r, scope_type, scope_id, "/query/scope_id", unknown, id_buf,
                                  sizeof id_buf);
    if (placed < 0) {
        json_decref(unknown);
        return;
    }
    if (problem_if_any(r, 422, "A filter names no known place.", unknown) < 0) return;
    if (scope_id) scope_id = id_buf;
    if (req_text_param(r, "period", 7, &period) < 0) return;
    indicator = req_param(r, "indicator_id");
    if (indicator && !valid_uuid(indicator)) {
        json_t *e = json_array();
        problem_add_error(e, "/query/indicator_id", "must be a uuid");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return;
    }
    const char *p[] = {sql_bool(eval_sees_all(r)),
                       req_org(r),
                       indicator,
                       scope_type,
                       scope_id,
                       period,
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 9, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* Squatting: a value takes its indicator, scope and period for good (one per period), so it is
 * written only for a scope the writer owns or takes part in. The hub's scope is the hub's (hub
 * analysts); a project's is its organisations' (owner and participants, asked of the projects
 * service); admins write any. 0, or -1 after answering 403 (or 503 when the projects service
 * cannot say). */
static int scope_writable(struct req *r)
{
    const char *type = json_string_value(json_object_get(r->body, "scope_type"));
    const char *sid = json_string_value(json_object_get(r->body, "scope_id"));
    const char *pointer = NULL, *detail = NULL;
    if (eval_writes_all(r)) return 0;
    if (!strcmp(type, "hub") && !caller_has(&r->caller, ROLE_HUB_ANALYST)) {
        pointer = "/scope_type";
        detail = "the hub's values are recorded by hub analysts and admins";
    } else if (!strcmp(type, "project")) {
        int part = project_takes_part(r, sid);
        if (part < 0) return -1;
        pointer = part ? NULL : "/scope_id";
        detail = "is not a project the caller's organisation owns or takes part in";
    }
    if (!pointer) return 0;
    json_t *e = json_array();
    problem_add_error(e, pointer, detail);
    problem_invalid(r, 403, "A value is written only for a scope the writer owns or takes part in.",
                    e);
    return -1;
}

static const char *const SQL_CREATE =
    "INSERT INTO indicator_values (indicator_id, scope_type, scope_id, period, value, value_text,"
    "   source, evidence, owner_org, recorded_by)"
    " SELECT x.indicator_id, x.scope_type, x.scope_id, x.period, x.value, x.value_text,"
    "   coalesce(x.source, 'manual'), x.evidence, $1::uuid, $2"
    "   FROM jsonb_populate_record(NULL::indicator_values, $3::jsonb) x"
    " RETURNING indicator_value_json(indicator_values)::text, version, id";

void values_create(struct req *r)
{
    PGresult *res;
    if (eval_require(r, WRITERS) < 0) return;
    json_t *e = json_array();
    validate_object(r->body, value_create_fields, V_CREATE, "", e);
    /* A place scope named in any form becomes its stored id; one that names no place is named
     * once, with the closest places. */
    int placed = json_is_object(r->body) ? eval_scope_body(r, e) : 1;
    if (placed < 0) {
        json_decref(e);
        return;
    }
    if (json_is_object(r->body)) value_check(r->body, 1, e);
    if (!placed) drop_repeated_pointer(e, "/scope_id");
    /* Who may write the scope is settled before asking whether it exists, so that a scope the
     * caller takes no part in is a 403 whether or not it exists. */
    if (json_array_size(e) == 0 && scope_writable(r) < 0) {
        json_decref(e);
        return;
    }
    const char *indicator = json_string_value(json_object_get(r->body, "indicator_id"));
    /* Admins write any scope, so the project must be shown to exist; for everyone else taking
     * part in it (scope_writable) says it does, and an unknown project is no one's (403). */
    if (range_check(r, SQL_INDICATOR_RANGE, indicator, e) < 0 ||
        (eval_writes_all(r) && scope_exists(r, e) < 0)) {
        json_decref(e);
        return;
    }
    if (problem_if_any(r, 422, "The request body has invalid fields.", e) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), r->caller.sub, body};
    int rc = db_query(r, &res, SQL_CREATE, 3, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/evaluation/indicator-values", 2);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT indicator_value_json(v)::text, v.version FROM indicator_values v"
    " WHERE" VALUE_READABLE " AND v.id = $3";

void values_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, READERS) < 0) return;
    const char *p[] = {sql_bool(eval_sees_all(r)), req_org(r), id};
    if (db_query(r, &res, SQL_GET, 3, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define VALUE_WRITABLE " v.id = $1 AND ($2::boolean OR v.owner_org = $3::uuid)"

static const char *const SQL_UPDATE =
    "UPDATE indicator_values v SET (value, value_text, source, evidence) ="
    " (SELECT x.value, x.value_text, coalesce(x.source, v.source), x.evidence"
    "    FROM jsonb_populate_record(v, $5::jsonb) x), recorded_by = $6"
    " WHERE" VALUE_WRITABLE " AND ($4::int IS NULL OR v.version = $4::int)"
    " RETURNING indicator_value_json(v)::text, v.version";
static const char *const SQL_WRITABLE = "SELECT 1 FROM indicator_values v WHERE" VALUE_WRITABLE;
static const char *const SQL_EXISTS = "SELECT 1 FROM indicator_values WHERE id = $1";

void values_update(struct req *r)
{
    struct eval_write w;
    if (eval_write_begin(r, WRITERS, &w) < 0) return;
    const char *id = w.p[0];
    json_t *e = json_array();
    validate_object(r->body, value_update_fields, V_PATCH, "", e);
    if (json_is_object(r->body)) value_check(r->body, 0, e);
    if (range_check(r, SQL_VALUE_RANGE, id, e) < 0) {
        json_decref(e);
        return;
    }
    if (problem_if_any(r, 422, "The request body has invalid fields.", e) < 0) return;
    w.p[5] = r->caller.sub;
    eval_write_body(r, &w, SQL_UPDATE, 6, SQL_WRITABLE, SQL_EXISTS);
}

static const char *const SQL_DELETE =
    "DELETE FROM indicator_values v WHERE" VALUE_WRITABLE
    " AND ($4::int IS NULL OR v.version = $4::int) RETURNING v.id";

void values_delete(struct req *r)
{
    PGresult *res;
    struct eval_write w;
    if (eval_write_begin(r, WRITERS, &w) < 0) return;
    if (db_query(r, &res, SQL_DELETE, 4, w.p) < 0) return;
    eval_write_reply(r, res, 204, SQL_WRITABLE, SQL_EXISTS, w.p);
}

static const char *const SQL_HISTORY =
    "SELECT coalesce(jsonb_agg(jsonb_build_object('version', h.version, 'value', h.value,"
    "   'value_text', h.value_text, 'source', h.source, 'evidence', h.evidence,"
    "   'recorded_by', h.recorded_by, 'valid_from', ts(h.valid_from), 'valid_to', ts(h.valid_to),"
    "   'operation', h.operation) ORDER BY h.id), '[]')::text"
    "  FROM indicator_values v JOIN indicator_value_history h ON h.value_id = v.id"
    " WHERE" VALUE_READABLE " AND v.id = $3";
static const char *const SQL_READABLE =
    "SELECT 1 FROM indicator_values v WHERE" VALUE_READABLE " AND v.id = $3";

void values_history(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, READERS) < 0) return;
    const char *p[] = {sql_bool(eval_sees_all(r)), req_org(r), id};
    if (db_query(r, &res, SQL_READABLE, 3, p) < 0) return;
    int found = PQntuples(res) > 0;
    PQclear(res);
    if (!found) {
        problem(r, 404, "No such resource.");
        return;
    }
    if (db_query(r, &res, SQL_HISTORY, 3, p) < 0) return;
    json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    eval_reply_json(r, 200,
                    json_pack("{s:o, s:n}", "items", items ? items : json_array(), "next_cursor"));
}
