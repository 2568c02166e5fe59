/* The answer a request gets when a statement fails: the one mapping from database errors to
 * problem+json (409 unique or concurrent change, 422 bad reference or value and the pointers of a
 * rule broken in SQL, 503 database unavailable or too slow, 500 other), and short forms of the
 * database calls that answer it. */
#ifndef COMMON_DBREQ_H
#define COMMON_DBREQ_H

#include <jansson.h>
#include <libpq-fe.h>

struct req;
struct db_error;

/* db_exec; on failure answers r (when not NULL) with db_problem and returns -1. */
int db_query(struct req *r, PGresult **out, const char *sql, int nparams,
             const char *const *params);
/* db_exec_named, answering r the same way. */
int db_query_named(struct req *r, PGresult **out, const char *name, const char *sql, int nparams,
                   const char *const *params);
/* Answers r with the problem a failed statement's SQLSTATE deserves. */
void db_problem(struct req *r, const char *sqlstate);
/* Transactions; a failure answers r (when not NULL) 503. */
int db_begin(struct req *r);
int db_commit(struct req *r);
/* Appends the errors of the last broken rule to errors. A rule may report several problems at
 * once: one pointer per line of its HINT, the detail of each on the same line of its MESSAGE
 * (RAISE '%', E'must ...\nmust ...' USING HINT = E'/a\n/b'). */
void db_rule_errors(json_t *errors);
/* The same split of a hint and a message (pure). */
void db_rule_split(const char *hint, const char *message, json_t *errors);

/* Maps a SQLSTATE to the HTTP status it deserves. Pure. */
int db_status_for_sqlstate(const char *sqlstate);

#endif
