/* Object-level rules shared by the resources of the projects service. */
#include <libpq-fe.h>
#include "db.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

int projects_sees_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER);
}

int projects_writes_all(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN);
}

void project_child_delete(struct req *r, const char *project, const char *key,
                          const char *delete_sql, const char *exists_sql)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    if (req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {project, sql_bool(projects_writes_all(r)), req_org(r), key, version};
    if (db_query(r, &res, delete_sql, 5, p) < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, exists_sql, 4, p);
    else
        reply_empty(r, 204);
    PQclear(res);
}
