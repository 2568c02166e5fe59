#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "db.h"
#include "log.h"

/* A statement prepared on a connection: known by its name when it has one (a statement built at
 * start-up), else by the address of its text (a static string); prepared on the server as s<i>. */
struct prepared {
    const char *name;
    const char *sql;
    size_t id; /* its server-side name is s<id> */
};

struct db_conn {
    PGconn *pg;
    struct prepared *prepared; /* open addressing; cap is a power of two, or 0 */
    size_t nprepared, cap;
    int tx_depth;
    int tx_failed;
};

static char *db_url;
static char db_options[256];
static char db_app[64];
static pthread_key_t conn_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static long n_open, n_busy, n_errors;
/* Message and hint of the last RAISE from our own SQL rules (SQLSTATE P0001): safe to show. */
static __thread char rule_message[1024], rule_hint[512];
/* The last failure of a statement on this thread. */
static __thread struct db_error last_error;

static void db_conn_free(void *p)
{
    struct db_conn *c = p;
    if (!c) return;
    if (c->pg) {
        PQfinish(c->pg);
        __atomic_sub_fetch(&n_open, 1, __ATOMIC_RELAXED);
    }
    free(c->prepared);
    free(c);
}

static void make_key(void)
{
    pthread_key_create(&conn_key, db_conn_free);
}

void db_configure(const char *url, const char *schema, const char *app_name, long timeout_ms)
{
    pthread_once(&key_once, make_key);
    free(db_url);
    db_url = strdup(url ? url : "");
    snprintf(db_options, sizeof db_options,
             "-c statement_timeout=%ld -c TimeZone=UTC -c search_path=%s -c lock_timeout=%ld",
             timeout_ms, schema ? schema : "public", timeout_ms);
    snprintf(db_app, sizeof db_app, "%s", app_name ? app_name : "care-hub");
}

static void db_conn_drop(struct db_conn *c)
{
    if (c->pg) {
        PQfinish(c->pg);
        c->pg = NULL;
        __atomic_sub_fetch(&n_open, 1, __ATOMIC_RELAXED);
    }
    if (c->prepared) memset(c->prepared, 0, c->cap * sizeof *c->prepared);
    c->nprepared = 0;
    c->tx_depth = 0;
    c->tx_failed = 0;
}

static struct db_conn *db_conn_get(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c) return NULL;
        pthread_setspecific(conn_key, c);
    }
    if (c->pg && PQstatus(c->pg) != CONNECTION_OK) db_conn_drop(c);
    if (!c->pg) {
        const char *keys[] = {"dbname", "options", "application_name", "connect_timeout", NULL};
        const char *vals[] = {db_url, db_options, db_app, "3", NULL};
        c->pg = PQconnectdbParams(keys, vals, 1);
        if (PQstatus(c->pg) != CONNECTION_OK) {
            log_msg("error", "database connection failed: %s", PQerrorMessage(c->pg));
            PQfinish(c->pg);
            c->pg = NULL;
            return c;
        }
        __atomic_add_fetch(&n_open, 1, __ATOMIC_RELAXED);
    }
    return c;
}

void db_thread_close(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (c) {
        db_conn_free(c);
        pthread_setspecific(conn_key, NULL);
    }
}

static size_t stmt_hash(const char *name, const char *sql)
{
    size_t h = 14695981039346656037u;
    if (!name) return ((size_t)(uintptr_t)sql >> 4) * 11400714819323198485u;
    for (const char *s = name; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int stmt_same(const struct prepared *p, const char *name, const char *sql)
{
    return name ? p->name && !strcmp(p->name, name) : !p->name && p->sql == sql;
}

/* The slot of (name, sql) in c's table: its entry, or the empty slot where it goes. */
static size_t stmt_slot(const struct db_conn *c, const char *name, const char *sql)
{
    size_t mask = c->cap - 1, i = stmt_hash(name, sql) & mask;
    while (c->prepared[i].sql && !stmt_same(&c->prepared[i], name, sql))
        i = (i + 1) & mask;
    return i;
}

/* Keeps the table at most half full, so that a probe stays short. */
static int stmt_grow(struct db_conn *c)
{
    if (c->cap && (c->nprepared + 1) * 2 <= c->cap) return 0;
    size_t cap = c->cap ? c->cap * 2 : 64;
    struct prepared *old = c->prepared, *p = calloc(cap, sizeof *p);
    if (!p) return -1;
    size_t oldcap = c->cap;
    c->prepared = p;
    c->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].sql) c->prepared[stmt_slot(c, old[i].name, old[i].sql)] = old[i];
    free(old);
    return 0;
}

/* Finds or prepares the statement on c; writes its server-side name into buf; 0 or -1. The
 * server-side names are numbered per connection, so a long name never meets NAMEDATALEN. */
static int db_prepare(struct db_conn *c, const char *name, const char *sql, int nparams, char *buf,
                      size_t len, char sqlstate[6])
{
    if (stmt_grow(c) < 0) return -1;
    size_t slot = stmt_slot(c, name, sql);
    struct prepared *p = &c->prepared[slot];
    if (p->sql) {
        snprintf(buf, len, "s%zu", p->id);
        return 0;
    }
    snprintf(buf, len, "s%zu", c->nprepared);
    PGresult *res = PQprepare(c->pg, buf, sql, nparams, NULL);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) {
        const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        snprintf(sqlstate, 6, "%s", st ? st : "");
        log_msg("error", "prepare failed: %s", PQresultErrorMessage(res));
    }
    PQclear(res);
    if (!ok) return -1;
    p->name = name;
    p->sql = sql;
    p->id = c->nprepared++;
    return 0;
}

static int is_read_only(const char *sql)
{
    while (*sql == ' ' || *sql == '\n')
        sql++;
    return strncasecmp(sql, "SELECT", 6) == 0;
}

static int db_run(PGresult **out, const char *sname, const char *sql, int nparams,
                  const char *const *params, char sqlstate[6], int *retryable)
{
    char name[32];
    *out = NULL;
    sqlstate[0] = 0;
    struct db_conn *c = db_conn_get();
    if (!c || !c->pg) return -1;
    if (c->tx_depth > 0 && c->tx_failed) {
        snprintf(sqlstate, 6, "25P02");
        return -1;
    }
    if (db_prepare(c, sname, sql, nparams, name, sizeof name, sqlstate) < 0) {
        if (PQstatus(c->pg) != CONNECTION_OK) {
            *retryable = c->tx_depth == 0;
            db_conn_drop(c);
            sqlstate[0] = 0;
        }
        return -1;
    }
    __atomic_add_fetch(&n_busy, 1, __ATOMIC_RELAXED);
    PGresult *res = PQexecPrepared(c->pg, name, nparams, params, NULL, NULL, 0);
    __atomic_sub_fetch(&n_busy, 1, __ATOMIC_RELAXED);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        *out = res;
        return 0;
    }
    const char *code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *pm = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    const char *ph = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
    snprintf(sqlstate, 6, "%s", code ? code : "");
    snprintf(last_error.message, sizeof last_error.message, "%s", pm ? pm : "");
    snprintf(last_error.hint, sizeof last_error.hint, "%s", ph ? ph : "");
    if (strcmp(sqlstate, "P0001") == 0) {
        const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        const char *h = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
        snprintf(rule_message, sizeof rule_message, "%s", m ? m : "is not acceptable");
        snprintf(rule_hint, sizeof rule_hint, "%s", h ? h : "");
    }
    PQclear(res);
    if (c->tx_depth > 0) c->tx_failed = 1;
    if (PQstatus(c->pg) != CONNECTION_OK) {
        *retryable = c->tx_depth == 0;
        db_conn_drop(c);
        sqlstate[0] = 0;
    }
    return -1;
}

static int db_run_retrying(PGresult **out, const char *name, const char *sql, int nparams,
                           const char *const *params, char sqlstate[6])
{
    int retryable = 0;
    int rc = db_run(out, name, sql, nparams, params, sqlstate, &retryable);
    /* A read on a connection that died since its last use (database restarted) is safe to retry
     * once on a fresh connection; a write is not, as it may have been applied. */
    if (rc < 0 && retryable && is_read_only(sql)) {
        retryable = 0;
        rc = db_run(out, name, sql, nparams, params, sqlstate, &retryable);
    }
    if (rc < 0) {
        __atomic_add_fetch(&n_errors, 1, __ATOMIC_RELAXED);
        snprintf(last_error.sqlstate, sizeof last_error.sqlstate, "%s", sqlstate);
        if (!sqlstate[0]) last_error.message[0] = last_error.hint[0] = 0;
    }
    return rc;
}

int db_query_quiet(PGresult **out, const char *sql, int nparams, const char *const *params,
                   char sqlstate[6])
{
    return db_run_retrying(out, NULL, sql, nparams, params, sqlstate);
}

int db_exec(PGresult **out, const char *sql, int nparams, const char *const *params,
            struct db_error *err)
{
    return db_exec_named(out, NULL, sql, nparams, params, err);
}

int db_exec_named(PGresult **out, const char *name, const char *sql, int nparams,
                  const char *const *params, struct db_error *err)
{
    char sqlstate[6];
    int rc = db_run_retrying(out, name, sql, nparams, params, sqlstate);
    if (rc < 0 && err) *err = last_error;
    return rc;
}

const struct db_error *db_last_error(void)
{
    return &last_error;
}

static int db_command(const char *cmd)
{
    struct db_conn *c = db_conn_get();
    if (!c || !c->pg) return -1;
    PGresult *res = PQexec(c->pg, cmd);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) log_msg("error", "%s failed: %s", cmd, PQresultErrorMessage(res));
    PQclear(res);
    if (!ok && PQstatus(c->pg) != CONNECTION_OK) db_conn_drop(c);
    return ok ? 0 : -1;
}

const char *db_rule_message(void)
{
    return rule_message;
}

const char *db_rule_hint(void)
{
    return rule_hint;
}

int db_tx_begin(void)
{
    struct db_conn *c = db_conn_get();
    if (c && c->pg && c->tx_depth > 0) {
        c->tx_depth++;
        return 0;
    }
    if (!c || !c->pg || db_command("BEGIN") < 0) return -1;
    c->tx_depth = 1;
    c->tx_failed = 0;
    return 0;
}

int db_tx_commit(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c || !c->pg || c->tx_depth == 0) goto fail;
    if (--c->tx_depth > 0) return 0;
    if (c->tx_failed) {
        db_command("ROLLBACK");
        c->tx_failed = 0;
        goto fail;
    }
    if (db_command("COMMIT") < 0) goto fail;
    return 0;
fail:
    return -1;
}

void db_rollback(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c || !c->pg || c->tx_depth == 0) return;
    c->tx_depth = 0;
    c->tx_failed = 0;
    db_command("ROLLBACK");
}

int db_savepoint(void)
{
    return db_command("SAVEPOINT handler");
}

int db_rollback_to_savepoint(void)
{
    return db_rollback_to_named("handler");
}

int db_savepoint_named(const char *name)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "SAVEPOINT %s", name);
    return db_command(cmd);
}

int db_rollback_to_named(const char *name)
{
    char cmd[112];
    struct db_conn *c = pthread_getspecific(conn_key);
    if (!c || !c->pg || c->tx_depth == 0) return -1;
    snprintf(cmd, sizeof cmd, "ROLLBACK TO SAVEPOINT %s", name);
    if (db_command(cmd) < 0) return -1;
    c->tx_failed = 0;
    return 0;
}

int db_release_named(const char *name)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "RELEASE SAVEPOINT %s", name);
    return db_command(cmd);
}

int db_in_transaction(void)
{
    pthread_once(&key_once, make_key);
    struct db_conn *c = pthread_getspecific(conn_key);
    return c && c->tx_depth > 0;
}

int db_exec_script(const char *sql)
{
    struct db_conn *c = db_conn_get();
    if (!c || !c->pg) return -1;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) log_msg("error", "script failed: %s", PQresultErrorMessage(res));
    PQclear(res);
    return ok ? 0 : -1;
}

int db_ping(void)
{
    static const char *const sql = "SELECT 1";
    PGresult *res;
    char st[6];
    if (db_query_quiet(&res, sql, 0, NULL, st) < 0) return -1;
    PQclear(res);
    return 0;
}

long db_connections_open(void)
{
    return __atomic_load_n(&n_open, __ATOMIC_RELAXED);
}
long db_connections_busy(void)
{
    return __atomic_load_n(&n_busy, __ATOMIC_RELAXED);
}
long db_errors_total(void)
{
    return __atomic_load_n(&n_errors, __ATOMIC_RELAXED);
}
