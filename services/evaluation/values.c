/* /v1/evaluation/indicator-values: one value per indicator, scope and period, with source and
 * evidence; every change keeps the previous value in the history. Admins and hub analysts
 * record values for any scope; project managers and providers for their own organisation,
 * whose values only they (and admins and analysts) change. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

#define WRITERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define READERS (WRITERS | ROLE_RESEARCHER)

static const char *const scope_types[] = {"hub", "project", "municipality", "comarca", NULL};

static const struct field value_create_fields[] = {
    {"indicator_id", F_UUID, F_REQUIRED, 0, 0, NULL, NULL, 0, 0},
    {"scope_type", F_ENUM, F_REQUIRED, 0, 0, scope_types, NULL, 0, 0},
    {"scope_id", F_STRING, F_NULLABLE, 1, 40, NULL, NULL, 0, 0},
    {"period", F_STRING, F_REQUIRED, 4, 7, NULL, NULL, 0, 0},
    {"value", F_NUMBER, F_REQUIRED, -1e12, 1e12, NULL, NULL, 0, 0},
    {"value_text", F_STRING, F_NULLABLE, 1, 2000, NULL, NULL, 0, 0},
    {"source", F_STRING, 0, 3, 130, NULL, NULL, 0, 0},
    {"evidence", F_STRING, F_NULLABLE, 1, 4000, NULL, NULL, 0, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0, 0},
};

static const struct field value_update_fields[] = {
    {"value", F_NUMBER, F_REQUIRED, -1e12, 1e12, NULL, NULL, 0, 0},
    {"value_text", F_STRING, F_NULLABLE, 1, 2000, NULL, NULL, 0, 0},
    {"source", F_STRING, 0, 3, 130, NULL, NULL, 0, 0},
    {"evidence", F_STRING, F_NULLABLE, 1, 4000, NULL, NULL, 0, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0, 0},
};

/* 'YYYY', 'YYYY-H1', 'YYYY-Q3', 'YYYY-MM' (the same rule as the database's period_valid). */
int eval_period_valid(const char *p)
{
    if (!p || strlen(p) < 4) return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)p[i])) return 0;
    int year = atoi(p);
    if (year < 1900 || year > 2199) return 0;
    if (!p[4]) return 1;
    if (p[4] != '-' || strlen(p) != 7) return 0;
    if (p[5] == 'H') return p[6] == '1' || p[6] == '2';
    if (p[5] == 'Q') return p[6] >= '1' && p[6] <= '4';
    if (!isdigit((unsigned char)p[5]) || !isdigit((unsigned char)p[6])) return 0;
    int month = (p[5] - '0') * 10 + (p[6] - '0');
    return month >= 1 && month <= 12;
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

/* Checks the parts of a value the field table cannot; answers 422 and returns -1. */
static int value_check(struct req *r, int creating)
{
    json_t *e = json_array();
    if (creating) {
        const char *type = json_string_value(json_object_get(r->body, "scope_type"));
        const char *sid = json_string_value(json_object_get(r->body, "scope_id"));
        if (!eval_scope_valid(type, sid))
            problem_add_error(e, "/scope_id",
                              "must be absent for the hub, a project uuid, a 5-digit "
                              "municipality code or a comarca code");
        if (!eval_period_valid(json_string_value(json_object_get(r->body, "period"))))
            problem_add_error(e, "/period", "must be YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or YYYY-MM");
    }
    if (!source_valid(json_string_value(json_object_get(r->body, "source"))))
        problem_add_error(e, "/source",
                          "must be manual, computed, survey or import, optionally "
                          "followed by :detail");
    return problem_if_any(r, 422, "The request body has invalid fields.", e);
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
    if (eval_require(r, READERS) < 0 || page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "scope_type", scope_types, &scope_type) < 0) return;
    if (req_text_param(r, "scope_id", 40, &scope_id) < 0) return;
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
    if (req_validate(r, value_create_fields, V_CREATE) < 0 || value_check(r, 1) < 0) return;
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

static int writes_all_values(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST);
}

void values_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, WRITERS) < 0) return;
    if (req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, value_update_fields, V_PATCH) < 0 || value_check(r, 0) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id,           sql_bool(writes_all_values(r)), req_org(r), version, body,
                       r->caller.sub};
    int rc = db_query(r, &res, SQL_UPDATE, 6, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM indicator_values v WHERE" VALUE_WRITABLE
    " AND ($4::int IS NULL OR v.version = $4::int) RETURNING v.id";

void values_delete(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, WRITERS) < 0) return;
    if (req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {id, sql_bool(writes_all_values(r)), req_org(r), version};
    if (db_query(r, &res, SQL_DELETE, 4, p) < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_empty(r, 204);
    PQclear(res);
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
