#include <stdio.h>
#include <string.h>
#include "db.h"
#include "dbreq.h"
#include "log.h"
#include "problem.h"
#include "server.h"

int db_status_for_sqlstate(const char *s)
{
    if (!s || !*s) return 503;               /* no SQLSTATE: the connection went away */
    if (strcmp(s, "23505") == 0) return 409; /* unique_violation */
    if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0)
        return 409;                           /* serialization, deadlock */
    if (strcmp(s, "55P03") == 0) return 409;  /* lock_not_available */
    if (strncmp(s, "23", 2) == 0) return 422; /* fk, check, not null, exclusion */
    if (strncmp(s, "22", 2) == 0) return 422; /* data exception: bad value, out of range */
    if (strcmp(s, "P0001") == 0) return 422;  /* raise_exception from a rule in SQL */
    if (strcmp(s, "57014") == 0) return 503;  /* statement timeout */
    if (strncmp(s, "08", 2) == 0 || strncmp(s, "57P", 3) == 0 || strcmp(s, "53300") == 0)
        return 503; /* connection, shutdown, too many connections */
    return 500;
}

static const char *status_detail(int status, const char *sqlstate)
{
    if (status == 409 && sqlstate && strcmp(sqlstate, "23505") == 0)
        return "A resource with the same unique key already exists.";
    if (status == 409) return "The resource was changed concurrently; retry.";
    if (status == 422 && sqlstate && strcmp(sqlstate, "23503") == 0)
        return "The request refers to a resource that does not exist.";
    if (status == 422) return "A value in the request is not acceptable.";
    if (status == 503) return "The database is unavailable or too slow; retry later.";
    return "The request could not be completed.";
}

void db_rule_split(const char *hint, const char *message, json_t *errors)
{
    const char *h = hint, *m = message;
    do {
        size_t hn = strcspn(h, "\n"), mn = strcspn(m, "\n");
        char ptr[256], detail[512];
        snprintf(ptr, sizeof ptr, "%.*s", (int)hn, h);
        snprintf(detail, sizeof detail, "%.*s", (int)mn, m);
        problem_add_error(errors, ptr, *detail ? detail : "is not acceptable");
        h += hn + (h[hn] == '\n');
        m += mn + (m[mn] == '\n');
    } while (*h);
}

void db_rule_errors(json_t *errors)
{
    db_rule_split(db_rule_hint(), db_rule_message(), errors);
}

void db_problem(struct req *r, const char *sqlstate)
{
    if (strcmp(sqlstate, "P0001") == 0) {
        json_t *e = json_array();
        db_rule_errors(e);
        problem_invalid(r, 422, NULL, e);
        return;
    }
    int status = db_status_for_sqlstate(sqlstate);
    if (status == 500)
        log_msg("error", "query failed (%s): %s", sqlstate, db_last_error()->message);
    if (status == 503) reply_header(r, "Retry-After", "1");
    problem(r, status, status_detail(status, sqlstate));
}

int db_query(struct req *r, PGresult **out, const char *sql, int nparams, const char *const *params)
{
    return db_query_named(r, out, NULL, sql, nparams, params);
}

int db_query_named(struct req *r, PGresult **out, const char *name, const char *sql, int nparams,
                   const char *const *params)
{
    struct db_error err;
    if (db_exec_named(out, name, sql, nparams, params, &err) == 0) return 0;
    if (r) db_problem(r, err.sqlstate);
    return -1;
}

static int unavailable(struct req *r)
{
    if (r) {
        reply_header(r, "Retry-After", "1");
        problem(r, 503, status_detail(503, NULL));
    }
    return -1;
}

int db_begin(struct req *r)
{
    return db_tx_begin() == 0 ? 0 : unavailable(r);
}

int db_commit(struct req *r)
{
    return db_tx_commit() == 0 ? 0 : unavailable(r);
}
