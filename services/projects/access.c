/* Object-level rules shared by the resources of the projects service. */
#include <libpq-fe.h>
#include "db.h"
#include "problem.h"
#include "projects.h"

int projects_sees_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER);
}

int projects_writes_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN);
}

void answer_missed_write(struct req *r, const char *exists_sql, int nparams,
                         const char *const *params)
{
    PGresult *res;
    if (db_query(r, &res, exists_sql, nparams, params) < 0) return;
    int exists = PQntuples(res) > 0;
    PQclear(res);
    /* Objects the caller may not change are not confirmed to exist. */
    if (exists)
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    else
        problem(r, 404, "No such resource.");
}
