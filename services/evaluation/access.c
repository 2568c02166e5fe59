/* Rules shared by the resources of the evaluation service. */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "lang.h"
#include "problem.h"
#include "resource.h"

const struct field eval_i18n_fields[] = {
    STR("eu", F_REQUIRED, 1, 4000),
    STR("es", F_REQUIRED, 1, 4000),
    STR("en", F_REQUIRED, 1, 4000),
    FIELDS_END,
};

const char *eval_lang(struct req *r)
{
    const char *q = req_param(r, "lang");
    if (q) {
        if (lang_valid(q)) return q;
        json_t *e = json_array();
        problem_add_error(e, "/query/lang", "must be one of: eu es en all");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return NULL;
    }
    return lang_from_accept(req_header(r, "Accept-Language"));
}

int eval_sees_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER);
}

int eval_writes_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN);
}

void eval_missed_write(struct req *r, const char *writable_sql, const char *exists_sql,
                       const char *const *params)
{
    PGresult *res;
    if (eval_sees_all(r) && !eval_writes_all(r)) {
        if (db_query(r, &res, exists_sql, 1, params) < 0) return;
        int exists = PQntuples(res) > 0;
        PQclear(res);
        if (exists) {
            if (db_query(r, &res, writable_sql, 3, params) < 0) return;
            int writable = PQntuples(res) > 0;
            PQclear(res);
            if (!writable) {
                problem(r, 403,
                        "Organisations manage their own evaluation data: only the owner "
                        "organisation (or an admin) changes it; this role reads it.");
                return;
            }
        }
    }
    reply_missed_write(r, writable_sql, 3, params);
}

int eval_require(struct req *r, unsigned mask)
{
    if (caller_has(&r->caller, mask)) return 0;
    problem(r, 403, "Your role does not allow this operation.");
    return -1;
}

int eval_write_begin(struct req *r, unsigned roles, struct eval_write *w)
{
    memset(w->p, 0, sizeof w->p);
    w->p[0] = req_uuid(r, "id");
    if (!w->p[0] || eval_require(r, roles) < 0) return -1;
    if (req_if_match(r, w->vbuf, sizeof w->vbuf, &w->p[3]) < 0) return -1;
    w->p[1] = sql_bool(eval_writes_all(r));
    w->p[2] = req_org(r);
    return 0;
}

void eval_write_reply(struct req *r, PGresult *res, int status, const char *writable_sql,
                      const char *exists_sql, const char *const *p)
{
    if (PQntuples(res) == 0) {
        if (exists_sql)
            eval_missed_write(r, writable_sql, exists_sql, p);
        else
            reply_missed_write(r, writable_sql, 3, p);
    } else if (status == 204) {
        reply_empty(r, 204);
    } else {
        reply_row(r, status, res, 0, 1, NULL, 0);
    }
    PQclear(res);
}

void eval_write_body(struct req *r, struct eval_write *w, const char *sql, int n,
                     const char *writable_sql, const char *exists_sql)
{
    PGresult *res;
    char *body = json_dumps(r->body, JSON_COMPACT);
    w->p[4] = body;
    int rc = db_query(r, &res, sql, n, w->p);
    free(body);
    w->p[4] = NULL;
    if (rc >= 0) eval_write_reply(r, res, 200, writable_sql, exists_sql, w->p);
}

void eval_reply_json(struct req *r, int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(body);
    if (!text) {
        problem(r, 500, "Could not encode the answer.");
        return;
    }
    reply_text(r, status, "application/json", text, strlen(text));
    free(text);
}
