/* The server and database side of the fake request (see fake.h). The bulk statement is simulated:
 * it reads its $2 items like the SQL would and returns one "created" row per item. */
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "fake.h"
#include "server.h"

struct fake fake;

void fake_reset(struct req *r)
{
    free(fake.reply);
    memset(&fake, 0, sizeof fake);
    memset(r, 0, sizeof *r);
    snprintf(r->request_id, sizeof r->request_id, "fuzz");
    snprintf(r->caller.sub, sizeof r->caller.sub, "fuzzer");
    snprintf(r->caller.org, sizeof r->caller.org, "aaaaaaaa-0000-4000-8000-00000000000a");
    r->caller.roles = ROLE_PROVIDER;
}

const char *req_param(const struct req *r, const char *name)
{
    return fake.param_name && strcmp(name, fake.param_name) == 0 ? fake.param_value : NULL;
}

const char *req_header(const struct req *r, const char *name)
{
    return strcasecmp(name, "If-Match") == 0 ? fake.if_match : NULL;
}

const char *req_body(const struct req *r, size_t *len)
{
    *len = fake.body_len;
    return fake.body;
}

void reply_text(struct req *r, int status, const char *content_type, const char *text, size_t len)
{
    if (fake.status) abort(); /* a request is answered once */
    fake.status = status;
    r->status = status;
    snprintf(fake.content_type, sizeof fake.content_type, "%s", content_type);
    fake.reply = malloc(len + 1);
    memcpy(fake.reply, text, len);
    fake.reply[len] = 0;
    fake.reply_len = len;
}

void reply_json(struct req *r, int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    reply_text(r, status, "application/json", text ? text : "null", text ? strlen(text) : 4);
    free(text);
}

void reply_empty(struct req *r, int status)
{
    reply_text(r, status, "", "", 0);
}

void reply_header(struct req *r, const char *name, const char *value) {}
void reply_etag(struct req *r, const char *version) {}

int db_status_for_sqlstate(const char *s)
{
    if (!s || !*s) return 503;
    if (strcmp(s, "23505") == 0) return 409;
    if (strncmp(s, "23", 2) == 0 || strncmp(s, "22", 2) == 0 || strcmp(s, "P0001") == 0) return 422;
    return 503;
}

const char *db_rule_message(void)
{
    return "rule broken";
}

const char *db_rule_hint(void)
{
    return "/name";
}

void db_rule_errors(json_t *errors)
{
    json_array_append_new(
        errors, json_pack("{s:s, s:s}", "pointer", db_rule_hint(), "detail", db_rule_message()));
}

static PGresult *bulk_rows(const char *items_text)
{
    json_t *items = json_loads(items_text, 0, NULL);
    if (!json_is_array(items)) abort(); /* bulk.c always sends an array */
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc cols[5];
    static char *names[] = {"line", "id", "action", "pointer", "detail"};
    memset(cols, 0, sizeof cols);
    for (int i = 0; i < 5; i++) {
        cols[i].name = names[i];
        cols[i].format = 0;
        cols[i].typid = 25;
        cols[i].typlen = -1;
        cols[i].atttypmod = -1;
    }
    PQsetResultAttrs(res, 5, cols);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        char line[32];
        json_t *d = json_object_get(it, "d");
        if (!json_is_integer(json_object_get(it, "i")) || !json_is_object(d)) abort();
        snprintf(line, sizeof line, "%lld",
                 (long long)json_integer_value(json_object_get(it, "i")));
        PQsetvalue(res, (int)i, 0, line, (int)strlen(line));
        PQsetvalue(res, (int)i, 1, "bbbbbbbb-0000-4000-8000-00000000000b", 36);
        PQsetvalue(res, (int)i, 2, "created", 7);
        PQsetvalue(res, (int)i, 3, "", 0);
        PQsetvalue(res, (int)i, 4, "", 0);
    }
    json_decref(items);
    return res;
}

int db_query_quiet(PGresult **out, const char *sql, int nparams, const char *const *params,
                   char sqlstate[6])
{
    fake.statements++;
    if (fake.fail_every && fake.statements % fake.fail_every == 0) {
        snprintf(sqlstate, 6, "%s", fake.fail_state ? fake.fail_state : "");
        return -1;
    }
    *out = bulk_rows(params[1]);
    return 0;
}

int db_query(struct req *r, PGresult **out, const char *sql, int nparams, const char *const *params)
{
    char s[6];
    return db_query_quiet(out, sql, nparams, params, s);
}

int db_begin(struct req *r)
{
    return 0;
}
int db_commit(struct req *r)
{
    return 0;
}
void db_rollback(void) {}
int db_in_transaction(void)
{
    return 0;
}
int db_savepoint(void)
{
    return 0;
}
int db_savepoint_named(const char *name)
{
    return 0;
}
int db_rollback_to_named(const char *name)
{
    return 0;
}
int db_release_named(const char *name)
{
    return 0;
}
int db_rollback_to_savepoint(void)
{
    return 0;
}
