#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

const char *req_uuid(struct req *r, const char *name)
{
    const char *v = req_param(r, name);
    if (valid_uuid(v)) return v;
    problem(r, 404, "No such resource.");
    return NULL;
}

int req_validate(struct req *r, const struct field *fields, enum validate_mode mode)
{
    json_t *errors = json_array();
    validate_object(r->body, fields, mode, "", errors);
    return problem_if_any(r, 422, "The request body has invalid fields.", errors);
}

int req_validate_rules(struct req *r, const struct field *fields, enum validate_mode mode,
                       int (*check)(const json_t *body, json_t *errors))
{
    json_t *errors = json_array();
    validate_object(r->body, fields, mode, "", errors);
    if (check && json_is_object(r->body)) check(r->body, errors);
    return problem_if_any(r, 422, "The request body has invalid fields.", errors);
}

int req_if_match(struct req *r, char *version, size_t len, const char **out)
{
    const char *h = req_header(r, "If-Match");
    *out = NULL;
    if (!h || strcmp(h, "*") == 0) return 0;
    if (strncmp(h, "W/", 2) == 0) h += 2;
    size_t n = strlen(h);
    int ok = n >= 4 && n - 3 < len && h[0] == '"' && h[1] == 'v' && h[n - 1] == '"';
    for (size_t i = 2; ok && i < n - 1; i++)
        ok = h[i] >= '0' && h[i] <= '9';
    if (!ok) {
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
        return -1;
    }
    memcpy(version, h + 2, n - 3);
    version[n - 3] = 0;
    *out = version;
    return 0;
}

const char *req_org(const struct req *r)
{
    return r->caller.org[0] ? r->caller.org : NIL_UUID;
}

const char *sql_bool(int v)
{
    return v ? "true" : "false";
}

static int bad_query(struct req *r, const char *name, const char *detail)
{
    char ptr[128];
    json_t *e = json_array();
    snprintf(ptr, sizeof ptr, "/query/%s", name);
    problem_add_error(e, ptr, detail);
    problem_invalid(r, 400, "Invalid query parameter.", e);
    return -1;
}

int req_int_param(struct req *r, const char *name, long min, long max, const char **out)
{
    char d[96];
    const char *v = req_param(r, name);
    *out = NULL;
    if (!v) return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < min || n > max) {
        snprintf(d, sizeof d, "must be an integer between %ld and %ld", min, max);
        return bad_query(r, name, d);
    }
    *out = v;
    return 0;
}

int req_enum_param(struct req *r, const char *name, const char *const *allowed, const char **out)
{
    const char *v = req_param(r, name);
    *out = NULL;
    if (!v) return 0;
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, v) == 0) {
            *out = v;
            return 0;
        }
    char d[512];
    size_t n = snprintf(d, sizeof d, "must be one of:");
    for (const char *const *a = allowed; *a && n < sizeof d; a++)
        n += snprintf(d + n, sizeof d - n, " %s", *a);
    return bad_query(r, name, d);
}

int req_uuid_param(struct req *r, const char *name, const char **out)
{
    const char *v = req_param(r, name);
    *out = NULL;
    if (!v) return 0;
    if (!valid_uuid(v)) return bad_query(r, name, "must be a UUID");
    *out = v;
    return 0;
}

int req_date_param(struct req *r, const char *name, const char **out)
{
    const char *v = req_param(r, name);
    *out = NULL;
    if (!v) return 0;
    if (!valid_date(v)) return bad_query(r, name, "must be a date (YYYY-MM-DD)");
    *out = v;
    return 0;
}

int req_text_param(struct req *r, const char *name, size_t max, const char **out)
{
    const char *v = req_param(r, name);
    *out = NULL;
    if (!v) return 0;
    long n = utf8_length(v, strlen(v));
    if (n < 1 || (size_t)n > max) return bad_query(r, name, "must be non-empty text, not too long");
    *out = v;
    return 0;
}

void reply_row(struct req *r, int status, PGresult *res, int json_col, int version_col,
               const char *location_prefix, int id_col)
{
    if (version_col >= 0) reply_etag(r, PQgetvalue(res, 0, version_col));
    if (status == 201 && location_prefix) {
        char loc[512];
        snprintf(loc, sizeof loc, "%s/%s", location_prefix, PQgetvalue(res, 0, id_col));
        reply_header(r, "Location", loc);
    }
    reply_text(r, status, "application/json", PQgetvalue(res, 0, json_col),
               (size_t)PQgetlength(res, 0, json_col));
}

void reply_missed_write(struct req *r, const char *exists_sql, int nparams,
                        const char *const *params)
{
    PGresult *res;
    if (db_query(r, &res, exists_sql, nparams, params) < 0) return;
    int exists = PQntuples(res) > 0;
    PQclear(res);
    if (exists)
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    else
        problem(r, 404, "No such resource.");
}

void reply_delete(struct req *r, const char *delete_sql, const char *exists_sql, int writes_all)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {id, sql_bool(writes_all), req_org(r), version};
    if (db_query(r, &res, delete_sql, 4, p) < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, exists_sql, 3, p);
    else
        reply_empty(r, 204);
    PQclear(res);
}

void reply_found(struct req *r, PGresult *res)
{
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else
        reply_row(r, 200, res, 0, PQnfields(res) > 1 ? 1 : -1, NULL, 0);
}

void reply_child_page(struct req *r, const struct page *pg, const char *parent_sql, int nparent,
                      const char *list_sql, int nparams, const char *const *params)
{
    PGresult *res;
    if (db_query(r, &res, parent_sql, nparent, params) < 0) return;
    int visible = PQntuples(res) > 0;
    PQclear(res);
    if (!visible) {
        problem(r, 404, "No such resource.");
        return;
    }
    if (db_query(r, &res, list_sql, nparams, params) < 0) return;
    page_reply(r, pg, res, 0, 1, 2);
    PQclear(res);
}
