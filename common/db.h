/* PostgreSQL access: one connection per worker thread (a fixed set, sized by the thread pool),
 * each statement prepared once per connection and then run with parameters; a broken connection is
 * dropped and reopened on next use. Results come back as text; most statements build their JSON in
 * SQL so that a handler forwards it without parsing. */
#ifndef COMMON_DB_H
#define COMMON_DB_H

#include <jansson.h>
#include <libpq-fe.h>

/* What a failed statement said: its SQLSTATE ("" when the connection went away), its message and
 * its hint (a rule in SQL names the field it broke there). The answer a request gets for it lives
 * with the request helpers (dbreq.h). */
struct db_error {
    char sqlstate[6];
    char message[1024];
    char hint[512];
};

/* Called once at start-up. url is a libpq URI or key=value string; schema goes first in
 * search_path. */
void db_configure(const char *url, const char *schema, const char *app_name,
                  long statement_timeout_ms);

/* Runs a SQL statement that lives as long as the process (a static string: its address names the
 * statement prepared on each connection). On success stores the result in *out and returns 0; on
 * failure fills *err (when not NULL) and returns -1 (no result to clear). dbreq.h's db_query
 * answers a request. */
int db_exec(PGresult **out, const char *sql, int nparams, const char *const *params,
            struct db_error *err);
/* The same for a statement known by name (one built at start-up, e.g. from a resource's
 * declaration): name and sql live as long as the process; statements with the same name are the
 * same statement. */
int db_exec_named(PGresult **out, const char *name, const char *sql, int nparams,
                  const char *const *params, struct db_error *err);
/* The last failure on this thread. */
const struct db_error *db_last_error(void);
/* Same as db_exec; sqlstate receives the SQLSTATE (6 bytes). */
int db_query_quiet(PGresult **out, const char *sql, int nparams, const char *const *params,
                   char sqlstate[6]);

/* Message and pointer of the last rule broken in SQL (SQLSTATE P0001) on this thread. */
const char *db_rule_message(void);
const char *db_rule_hint(void);
/* Transactions on the thread's connection; nested calls only count depth. 0 or -1 (a failed
 * transaction is rolled back by db_tx_commit). */
int db_tx_begin(void);
int db_tx_commit(void);
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

/* Pool figures for /metrics. */
long db_connections_open(void);
long db_connections_busy(void);
long db_errors_total(void);

/* The request-level helpers (db_query, db_problem, db_begin, db_commit) are declared here for the
 * handlers' convenience and defined in dbreq.c, outside the database layer. */
#include "dbreq.h"

#endif
