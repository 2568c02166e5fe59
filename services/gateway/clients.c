/* /v1/clients: registering API clients, their roles and scopes, and their secrets (shown once,
 * stored as hashes, rotated on demand). Admins only: the route table says so. */
#include "clients.h"
#include "db.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "scopes.h"
#include "secret.h"
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = {"admin",        "hub_analyst", "project_manager",
                                         "case_manager", "provider",    "researcher",
                                         "respondent",   "person",      NULL};

static const struct field client_fields[] = {
    STR("name", F_REQUIRED, 1, 200),
    UUID("organisation_id", F_NULLABLE),
    ENUMS("roles", F_REQUIRED, 1, 8, role_names),
    STRS("scopes", 0, 0, 32),
    BOOL("enabled", 0),
    FIELDS_END,
};

/* organisation_id is fixed at creation: a client is one organisation's system. */
static const struct field client_patch_fields[] = {
    STR("name", 0, 1, 200),
    ENUMS("roles", 0, 1, 8, role_names),
    STRS("scopes", 0, 0, 32),
    BOOL("enabled", 0),
    FIELDS_END,
};

/* Scopes name the parts of this API a client's tokens reach (scopes.h); other names are refused. */
static int scopes_valid(struct req *r)
{
    json_t *scopes = json_object_get(r->body, "scopes");
    size_t i;
    json_t *scope;
    json_t *errors = json_array();
    json_array_foreach(scopes, i, scope)
    {
        const char *s = json_string_value(scope);
        if (!scope_known(s)) {
            char pointer[32];
            snprintf(pointer, sizeof pointer, "/scopes/%zu", i);
            problem_add_error(errors, pointer,
                              "must be a scope of this API: projects, itineraries, evaluation, "
                              "transfer, changes, webhooks or clients, each alone (read and "
                              "write) or with :read");
        }
    }
    if (json_array_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    problem_invalid(r, 422, NULL, errors);
    return -1;
}

static const char *const SQL_LIST =
    "SELECT client_json(c)::text, ts(c.created_at), c.id FROM client c"
    " WHERE (c.created_at, c.id) > ($1::timestamptz, $2::uuid) ORDER BY c.created_at, c.id"
    " LIMIT $3";

void clients_list(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    const char *p[] = {pg.has_cursor ? pg.key : "-infinity", pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 3, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* Adds the one-time secret to a client row and answers. */
static void reply_with_secret(struct req *r, int status, PGresult *res, const char *secret)
{
    json_t *body = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    if (!body) {
        problem(r, 500, NULL);
        return;
    }
    json_object_set_new(body, "client_secret", json_string(secret));
    reply_etag(r, PQgetvalue(res, 0, 1));
    if (status == 201) {
        char location[96];
        snprintf(location, sizeof location, "/v1/clients/%s", PQgetvalue(res, 0, 2));
        reply_header(r, "Location", location);
    }
    reply_json(r, status, body);
}

/* 1 when the roles (a JSON array of names) hold a role of an organisation (caller.h). */
static int has_organisation_role(const json_t *roles)
{
    size_t i;
    json_t *role;
    json_array_foreach(roles, i, role)
    {
        if (role_from_name(json_string_value(role)) & ROLES_OF_AN_ORGANISATION) return 1;
    }
    return 0;
}

/* Tokens with such a role and no organisation are refused (jwt_verify.c): so is the client. */
static int organisation_given(struct req *r, int has_organisation, const char *pointer)
{
    if (has_organisation || !has_organisation_role(json_object_get(r->body, "roles"))) return 0;
    json_t *errors = json_array();
    problem_add_error(errors, pointer,
                      "project_manager, case_manager and provider act for one "
                      "organisation: the client needs an organisation_id");
    problem_invalid(r, 422, NULL, errors);
    return -1;
}

static const char *const SQL_CREATE =
    "INSERT INTO client (name, organisation_id, roles, scopes, enabled, secret_hash)"
    " SELECT b->>'name', (b->>'organisation_id')::uuid,"
    "  ARRAY(SELECT jsonb_array_elements_text(b->'roles')),"
    "  ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'scopes', '[]'))),"
    "  coalesce((b->>'enabled')::boolean, true), $2"
    " FROM (SELECT $1::jsonb AS b) input"
    " RETURNING client_json(client)::text, version, id";

void clients_create(struct req *r)
{
    char secret[64], hash[SECRET_HASH_MAX];
    PGresult *res;
    if (req_validate(r, client_fields, V_CREATE) < 0 || scopes_valid(r) < 0) return;
    if (organisation_given(r, json_is_string(json_object_get(r->body, "organisation_id")),
                           "/organisation_id") < 0)
        return;
    if (secret_generate(secret, sizeof secret) != 0 ||
        secret_hash(secret, SECRET_ITERATIONS, hash, sizeof hash) != 0) {
        problem(r, 500, NULL);
        return;
    }
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {body, hash};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    reply_with_secret(r, 201, res, secret);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT client_json(c)::text, c.version FROM client c WHERE c.id = $1";

void clients_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_GET, 1, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_EXISTS = "SELECT 1 FROM client WHERE id = $1";

static void answer_missed(struct req *r, const char *id)
{
    PGresult *res;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_EXISTS, 1, p) < 0) return;
    if (PQntuples(res) > 0)
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    else
        problem(r, 404, "No such resource.");
    PQclear(res);
}

static const char *const SQL_UPDATE =
    "UPDATE client c SET name = coalesce(b->>'name', c.name),"
    " roles = CASE WHEN b ? 'roles' THEN"
    "   ARRAY(SELECT jsonb_array_elements_text(b->'roles')) ELSE c.roles END,"
    " scopes = CASE WHEN b ? 'scopes' THEN"
    "   ARRAY(SELECT jsonb_array_elements_text(b->'scopes')) ELSE c.scopes END,"
    " enabled = coalesce((b->>'enabled')::boolean, c.enabled),"
    " version = c.version + 1, updated_at = now()"
    " FROM (SELECT $3::jsonb AS b) input"
    " WHERE c.id = $1::uuid AND ($2::int IS NULL OR c.version = $2::int)"
    " RETURNING client_json(c)::text, c.version";

static const char *const SQL_ORGANISATION = "SELECT organisation_id FROM client WHERE id = $1";

void clients_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, client_patch_fields, V_PATCH) < 0 || scopes_valid(r) < 0) return;
    if (has_organisation_role(json_object_get(r->body, "roles"))) {
        const char *g[] = {id};
        if (db_query(r, &res, SQL_ORGANISATION, 1, g) < 0) return;
        int has = PQntuples(res) == 0 || !PQgetisnull(res, 0, 0); /* missing: 404 below */
        PQclear(res);
        if (organisation_given(r, has, "/roles") < 0) return;
    }
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, version, body};
    int rc = db_query(r, &res, SQL_UPDATE, 3, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        answer_missed(r, id);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM client WHERE id = $1 AND ($2::int IS NULL OR version = $2::int) RETURNING id";

void clients_delete(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {id, version};
    if (db_query(r, &res, SQL_DELETE, 2, p) < 0) return;
    if (PQntuples(res) == 0)
        answer_missed(r, id);
    else
        reply_empty(r, 204);
    PQclear(res);
}

static const char *const SQL_ROTATE =
    "UPDATE client c SET secret_hash = $2, secret_rotated_at = now(), version = c.version + 1,"
    " updated_at = now() WHERE c.id = $1 RETURNING client_json(c)::text, c.version, c.id";

void clients_rotate_secret(struct req *r)
{
    char secret[64], hash[SECRET_HASH_MAX];
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    if (secret_generate(secret, sizeof secret) != 0 ||
        secret_hash(secret, SECRET_ITERATIONS, hash, sizeof hash) != 0) {
        problem(r, 500, NULL);
        return;
    }
    const char *p[] = {id, hash};
    if (db_query(r, &res, SQL_ROTATE, 2, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else
        reply_with_secret(r, 200, res, secret);
    PQclear(res);
}

static const char *const SQL_LOOKUP =
    "SELECT c.id, coalesce(c.organisation_id::text, ''), c.secret_hash,"
    " to_jsonb(c.roles)::text, array_to_string(c.scopes, ' '), c.enabled FROM client c"
    " WHERE c.id = $1";

int client_lookup(const char *id, struct client_record *out)
{
    PGresult *res;
    char sqlstate[6];
    const char *p[] = {id};
    memset(out, 0, sizeof *out);
    if (db_query_quiet(&res, SQL_LOOKUP, 1, p, sqlstate) < 0) return -1;
    int found = PQntuples(res) > 0;
    if (found) {
        snprintf(out->id, sizeof out->id, "%s", PQgetvalue(res, 0, 0));
        snprintf(out->organisation_id, sizeof out->organisation_id, "%s", PQgetvalue(res, 0, 1));
        snprintf(out->secret_hash, sizeof out->secret_hash, "%s", PQgetvalue(res, 0, 2));
        out->roles = roles_from_json_text(PQgetvalue(res, 0, 3));
        snprintf(out->scopes, sizeof out->scopes, "%s", PQgetvalue(res, 0, 4));
        out->enabled = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
    }
    PQclear(res);
    return found;
}
