/* Object-level rules and parameter helpers shared by the resources of the transfer service. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"
#include "validate.h"

int transfer_sees_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER);
}

int transfer_writes_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN);
}

void bad_query(struct req *r, const char *name, const char *detail)
{
    char pointer[96];
    snprintf(pointer, sizeof pointer, "/query/%s", name);
    json_t *e = json_array();
    problem_add_error(e, pointer, detail);
    problem_invalid(r, 400, "Invalid query parameter.", e);
}

void transfer_save(struct req *r, const struct transfer_save *s, const char *id,
                   const char *version, int writes_all)
{
    PGresult *res;
    char sqlstate[6];
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, req_org(r), sql_bool(writes_all), version, body};
    int rc = db_query_quiet(&res, s->save_sql, 5, p, sqlstate);
    free(body);
    if (rc < 0) {
        if (s->conflict && !strcmp(sqlstate, "23505"))
            problem(r, 409, s->conflict);
        else
            db_problem(r, sqlstate);
        return;
    }
    if (!id) {
        reply_row(r, 201, res, 0, 1, s->path, 2);
    } else if (PQntuples(res) == 0) {
        const char *w[] = {id, sql_bool(transfer_writes_all(r)), req_org(r)};
        reply_missed_write(r, s->writable_sql, 3, w);
    } else {
        reply_row(r, 200, res, 0, 1, NULL, 0);
    }
    PQclear(res);
}
