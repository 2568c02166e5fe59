#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "log.h"
#include "migrate.h"

static const char *const SQL_LOCK = "SELECT pg_advisory_lock(hashtextextended($1, 11))";
static const char *const SQL_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended($1, 11))";
static const char *const SQL_TABLE =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, "
    "applied_at timestamptz NOT NULL DEFAULT now())";
static const char *const SQL_APPLIED = "SELECT 1 FROM schema_migrations WHERE version = $1";
static const char *const SQL_RECORD = "INSERT INTO schema_migrations (version) VALUES ($1)";

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = 0;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static int apply_one(const char *dir, const char *name)
{
    char path[1024], version[512];
    PGresult *res;
    char st[6];
    int rc = -1;
    /* Versions are file names; the shared tables' files are prefixed so they never clash. */
    if (strstr(dir, "common"))
        snprintf(version, sizeof version, "common/%s", name);
    else
        snprintf(version, sizeof version, "%s", name);
    const char *p[] = {version};
    if (db_query_quiet(&res, SQL_APPLIED, 1, p, st) < 0) return -1;
    int done = PQntuples(res) > 0;
    PQclear(res);
    if (done) return 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *sql = read_file(path);
    if (!sql) {
        log_msg("error", "cannot read migration %s", path);
        return -1;
    }
    if (db_begin(NULL) < 0) goto cleanup;
    if (db_exec_script(sql) < 0) {
        log_msg("error", "migration %s failed", path);
        db_rollback();
        goto cleanup;
    }
    if (db_query_quiet(&res, SQL_RECORD, 1, p, st) < 0) {
        db_rollback();
        goto cleanup;
    }
    PQclear(res);
    if (db_commit(NULL) < 0) goto cleanup;
    log_msg("info", "applied migration %s", version);
    rc = 0;
cleanup:
    free(sql);
    return rc;
}

static int apply_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0; /* a service may have no migrations of its own */
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (names) qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = apply_one(dir, names[i]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* Trigger functions find the schema's tables whatever the caller's search_path (an administrator
 * in psql, a restore): each is pinned to the schema it lives in. Query helpers (ts, *_json) are
 * left alone: a SET clause would keep the planner from inlining them. */
static const char *const SQL_PIN_TRIGGERS =
    "DO $$ DECLARE f regprocedure; BEGIN"
    " FOR f IN SELECT p.oid::regprocedure FROM pg_proc p"
    "           WHERE p.pronamespace = current_schema()::regnamespace"
    "             AND p.prorettype = 'trigger'::regtype"
    "             AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c"
    "                              WHERE c LIKE 'search\\_path=%')"
    " LOOP EXECUTE format('ALTER FUNCTION %s SET search_path = %I, public', f, current_schema());"
    " END LOOP; END $$";

int migrate_apply(const char *schema, const char *const *dirs)
{
    PGresult *res;
    char st[6];
    const char *p[] = {schema};
    if (db_query_quiet(&res, SQL_LOCK, 1, p, st) < 0) return -1;
    PQclear(res);
    int rc = 0;
    if (db_query_quiet(&res, SQL_TABLE, 0, NULL, st) < 0)
        rc = -1;
    else
        PQclear(res);
    for (; rc == 0 && *dirs; dirs++)
        rc = apply_dir(*dirs);
    if (rc == 0 && db_query_quiet(&res, SQL_PIN_TRIGGERS, 0, NULL, st) == 0)
        PQclear(res);
    else if (rc == 0)
        rc = -1;
    if (db_query_quiet(&res, SQL_UNLOCK, 1, p, st) == 0) PQclear(res);
    return rc;
}
