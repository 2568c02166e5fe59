/* Rules shared by the resources of the itineraries service: who may act, the access log, the
 * actor of timeline rows, and the person checks every nested resource starts with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "risk.h"

int itin_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN);
}

int itin_manages(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN | ROLE_CASE_MANAGER);
}

int itin_require(struct req *r, unsigned roles)
{
    if (caller_has(&r->caller, roles)) return 0;
    problem(r, 403, "This route is not open to the caller's roles.");
    return -1;
}

void audit_fill(struct req *r, struct audit *a)
{
    size_t n = 0;
    a->roles[n++] = '{';
    for (unsigned i = 0; i < ROLE_COUNT; i++) {
        unsigned bit = 1u << i;
        if (!(r->caller.roles & bit)) continue;
        int w =
            snprintf(a->roles + n, sizeof a->roles - n, "%s%s", n > 1 ? "," : "", role_name(bit));
        if (w < 0 || (size_t)w >= sizeof a->roles - n) break;
        n += (size_t)w;
    }
    if (n + 2 <= sizeof a->roles) {
        a->roles[n++] = '}';
        a->roles[n] = '\0';
    } else {
        snprintf(a->roles, sizeof a->roles, "{}");
    }
    a->p[0] = r->caller.sub[0] ? r->caller.sub : "unknown";
    a->p[1] = r->caller.org[0] ? r->caller.org : NULL;
    a->p[2] = a->roles;
    a->p[3] = r->in->url_path ? r->in->url_path : "";
    a->p[4] = r->request_id;
    a->p[5] = caller_purpose(&r->caller);
}

static const char *const SQL_SET_ACTOR =
    "SELECT set_config('itin.actor', $1, true), set_config('itin.actor_org', coalesce($2, ''), "
    "true), set_config('itin.request_id', $3, true)";

int itin_set_actor(struct req *r)
{
    PGresult *res;
    struct audit a;
    audit_fill(r, &a);
    const char *p[] = {a.p[0], a.p[1], a.p[4]};
    if (db_query(r, &res, SQL_SET_ACTOR, 3, p) < 0) return -1;
    PQclear(res);
    return 0;
}

static const char *const SQL_LOG_MANY =
    "INSERT INTO access_log (" ACCESS_LOG_COLUMNS
    ") SELECT x, $1, $2::uuid, $3::text[], $4, $5, $6, $8"
    " FROM (SELECT DISTINCT unnest($7::uuid[]) AS x) u ORDER BY x";

int access_log_many(struct req *r, const char *ids, const char *action)
{
    PGresult *res;
    struct audit a;
    audit_fill(r, &a);
    const char *p[] = {a.p[0], a.p[1], a.p[2], a.p[3], a.p[4], action, ids, a.p[5]};
    if (db_query(r, &res, SQL_LOG_MANY, 8, p) < 0) return -1;
    PQclear(res);
    return 0;
}

int itin_log_person(struct req *r, const char *person, const char *action)
{
    char ids[48];
    snprintf(ids, sizeof ids, "{%s}", person);
    return access_log_many(r, ids, action);
}

int person_read(struct req *r, const char *id, const char *action)
{
    if (person_check(r, id, 0) < 0) return -1;
    return itin_log_person(r, id, action);
}

void itin_page_logged(struct req *r, const struct page *pg, PGresult *res, int person_col,
                      const char *action)
{
    char *ids = ids_literal(res, person_col, pg->limit);
    if (!ids)
        problem(r, 500, "Out of memory.");
    else if (access_log_many(r, ids, action) == 0)
        page_reply(r, pg, res, 0, 1, 2);
    free(ids);
    PQclear(res);
}

void itin_reply_logged(struct req *r, int status, PGresult *res, int person_col, const char *action,
                       const char *location, int id_col)
{
    char ids[48];
    snprintf(ids, sizeof ids, "{%s}", PQgetvalue(res, 0, person_col));
    if (access_log_many(r, ids, action) < 0) {
        if (db_in_transaction()) db_rollback();
        return;
    }
    if (db_in_transaction() && db_commit(r) < 0) return;
    reply_row(r, status, res, 0, 1, location, id_col);
}

char *ids_literal(PGresult *res, int col, int limit)
{
    int n = PQntuples(res);
    if (n > limit) n = limit;
    size_t size = 3 + (size_t)n * 38;
    char *out = malloc(size);
    if (!out) return NULL;
    size_t len = 0;
    out[len++] = '{';
    for (int i = 0; i < n; i++) {
        const char *v = PQgetvalue(res, i, col);
        int w = snprintf(out + len, size - len, "%s%s", i ? "," : "", v);
        if (w < 0 || (size_t)w >= size - len) break;
        len += (size_t)w;
    }
    out[len++] = '}';
    out[len] = '\0';
    return out;
}

void itin_read_logged(struct req *r, const char *sql)
{
    PGresult *res;
    struct audit a;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    audit_fill(r, &a);
    const char *p[] = {
        id, sql_bool(itin_all(r)), req_org(r), a.p[0], a.p[1], a.p[2], a.p[3], a.p[4], a.p[5]};
    if (db_query(r, &res, sql, 9, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_PERSON_CHECK =
    "SELECT consent_withdrawn_at IS NOT NULL FROM persons WHERE id = $1"
    " AND ($2::boolean OR owner_org = $3::uuid)";

int person_check(struct req *r, const char *id, int need_consent)
{
    PGresult *res;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_PERSON_CHECK, 3, p) < 0) return -1;
    int found = PQntuples(res) > 0;
    int withdrawn = found && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!found) {
        problem(r, 404, "No such resource.");
        return -1;
    }
    if (need_consent && withdrawn) {
        problem(r, 409, WITHDRAWN_DETAIL);
        return -1;
    }
    return 0;
}

void person_write(struct req *r, const struct person_write *w)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, w->fields, V_PATCH) < 0 || (w->check && w->check(r) < 0)) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r), version, body};
    int rc = db_query(r, &res, w->sql, 5, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) > 0) {
        int created = PQnfields(res) > 3 && PQgetvalue(res, 0, 3)[0] == 't';
        itin_reply_logged(r, created ? 201 : 200, res, 2, w->action, NULL, 0);
        PQclear(res);
        return;
    }
    PQclear(res);
    if (db_query(r, &res, w->state_sql, 3, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else if (PQgetvalue(res, 0, 0)[0] == 't')
        problem(r, 409, WITHDRAWN_DETAIL);
    else
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    PQclear(res);
}

static const char *const SQL_LATEST = "SELECT latest_assessments($1)::text";
static const char *const SQL_SET_RISK =
    "UPDATE persons SET risk_band = $2 WHERE id = $1 AND risk_band <> $2";

int person_refresh_risk(struct req *r, const char *person_id)
{
    PGresult *res;
    const char *p[] = {person_id, NULL};
    if (db_query(r, &res, SQL_LATEST, 1, p) < 0) return -1;
    json_t *latest = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    p[1] = risk_band(latest);
    json_decref(latest);
    if (db_query(r, &res, SQL_SET_RISK, 2, p) < 0) return -1;
    PQclear(res);
    return 0;
}

int itin_query(struct req *r, PGresult **res, const char *sql, int nparams,
               const char *const *params)
{
    if (db_query(r, res, sql, nparams, params) == 0) return 0;
    /* A failed statement spoils the transaction; end it so that the answer already given (4xx)
     * is what the client gets and what an Idempotency-Key replays. */
    if (db_in_transaction()) db_rollback();
    return -1;
}

int itin_query_found(struct req *r, PGresult **res, const char *sql, int nparams,
                     const char *const *params)
{
    if (itin_query(r, res, sql, nparams, params) < 0) return -1;
    if (PQntuples(*res) > 0) return 0;
    PQclear(*res);
    return itin_refuse(r, 404, "No such resource.", NULL);
}

int itin_actor_query(struct req *r, PGresult **res, const char *sql, int nparams,
                     const char *const *params)
{
    if (itin_set_actor(r) == 0) return itin_query(r, res, sql, nparams, params);
    if (db_in_transaction()) db_rollback();
    return -1;
}

int itin_refuse(struct req *r, int status, const char *detail, json_t *errors)
{
    if (db_in_transaction()) db_rollback();
    if (errors)
        problem_invalid(r, status, detail, errors);
    else
        problem(r, status, detail);
    return -1;
}
