/* PostgreSQL access: one connection per worker thread (a fixed set, sized by the thread pool),
 * each statement prepared once per connection and then run with parameters; a broken connection is
 * dropped and reopened on next use. Results come back as text; most statements build their JSON in
 * SQL so that a handler forwards it without parsing. */
#ifndef COMMON_DB_H
#define COMMON_DB_H

#include <jansson.h>
#include <libpq-fe.h>
#include "server.h"

/* Called once at start-up. url is a libpq URI or key=value string; schema goes first in
 * search_path. */
void db_configure(const char *url, const char *schema, const char *app_name,
                  long statement_timeout_ms);

/* Runs a static SQL statement (sql must be a string with static storage: its address names the
 * prepared statement). On success stores the result in *out and returns 0. On failure answers r
 * with a problem (409 unique, 422 bad reference or value, 503 database unavailable or timeout, 500
 * other) when r is not NULL, and returns -1 (no result to clear). */
int db_query(struct req *r, PGresult **out, const char *sql, int nparams,
             const char *const *params);
/* Same, but the caller decides what a failure means; sqlstate receives the SQLSTATE (6 bytes). */
int db_query_quiet(PGresult **out, const char *sql, int nparams, const char *const *params,
                   char sqlstate[6]);

/* Message and pointer of the last rule broken in SQL (SQLSTATE P0001) on this thread. */
const char *db_rule_message(void);
const char *db_rule_hint(void);
/* Appends the errors of the last broken rule to errors. A rule may report several problems at
 * once: one pointer per line of its HINT, the detail of each on the same line of its MESSAGE
 * (RAISE '%', E'must ...\nmust ...' USING HINT = E'/a\n/b'). */
void db_rule_errors(json_t *errors);
/* The same split of a hint and a message (pure). */
void db_rule_split(const char *hint, const char *message, json_t *errors);

/* Answers r with the problem a failed statement's SQLSTATE deserves. */
void db_problem(struct req *r, const char *sqlstate);

/* Transactions on the thread's connection; nested calls only count depth. */
int db_begin(struct req *r);
int db_commit(struct req *r);
void db_rollback(void);
int db_in_transaction(void);
/* A savepoint inside the current transaction, and the way back to it: the statements after it are
 * undone and the transaction can go on (used to store a 4xx answer after a failed statement). */
int db_savepoint(void);
int db_rollback_to_savepoint(void);
/* Named savepoints (name: a constant SQL identifier), so that one statement may fail inside a
 * transaction and the transaction go on: a bulk chunk, a dry run that is always undone. */
int db_savepoint_named(const char *name);
int db_rollback_to_named(const char *name);
int db_release_named(const char *name);

/* Runs a whole SQL script (migrations); returns 0 or -1 and logs the error. */
int db_exec_script(const char *sql);
/* SELECT 1 on this thread's connection. */
int db_ping(void);
/* Closes this thread's connection (end of a worker thread or shutdown). */
void db_thread_close(void);

/* Maps a SQLSTATE to the HTTP status it deserves. Pure. */
int db_status_for_sqlstate(const char *sqlstate);

/* Pool figures for /metrics. */
long db_connections_open(void);
long db_connections_busy(void);
long db_errors_total(void);

#endif
