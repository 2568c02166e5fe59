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
