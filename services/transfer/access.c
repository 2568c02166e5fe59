/* Object-level rules and parameter helpers shared by the resources of the transfer service. */
#include <libpq-fe.h>
#include <stdio.h>

#include "db.h"
#include "problem.h"
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
