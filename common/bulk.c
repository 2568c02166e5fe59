#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bulk.h"
#include "db.h"
#include "problem.h"
#include "resource.h"

#define CHUNK 1000

struct bulk {
    struct req *r;
    const struct bulk_spec *spec;
    json_t *results; /* line number (1-based) -> result object, as an array indexed line-1 */
    json_t *chunk;   /* pending [{"i", "d"}] */
};

static void set_result(struct bulk *b, long line, json_t *res)
{
    json_object_set_new(res, "line", json_integer(line));
    json_array_set_new(b->results, (size_t)(line - 1), res);
}

static json_t *error_result(int status, const char *pointer, const char *detail)
{
    json_t *errors = json_array();
    problem_add_error(errors, pointer, detail);
    return json_pack("{s:i, s:o}", "status", status, "errors", errors);
}

static int run_items(struct bulk *b, json_t *items, char sqlstate[6])
{
    PGresult *res;
    char *text = json_dumps(items, JSON_COMPACT);
    if (!text) return -1;
    const char *p[] = {req_org(b->r), text, sql_bool(caller_has(&b->r->caller, ROLE_ADMIN))};
    int rc = db_query_quiet(&res, b->spec->sql, b->spec->nparams, p, sqlstate);
    free(text);
    if (rc < 0) return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        long line = atol(PQgetvalue(res, i, 0));
        const char *action = PQgetvalue(res, i, 2);
        json_t *out;
        if (strcmp(action, "error") == 0) {
            out = error_result(422, PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
        } else {
            out = json_pack("{s:i, s:s}", "status", strcmp(action, "created") == 0 ? 201 : 200,
                            "id", PQgetvalue(res, i, 1));
        }
        set_result(b, line, out);
    }
    PQclear(res);
    return 0;
}

static void flush_chunk(struct bulk *b)
{
    char sqlstate[6];
    if (json_array_size(b->chunk) == 0) return;
    if (run_items(b, b->chunk, sqlstate) < 0) {
        /* One line broke the whole statement: find it by writing the lines one at a time. */
        size_t i;
        json_t *item;
        json_array_foreach(b->chunk, i, item)
        {
            json_t *one = json_pack("[O]", item);
            if (run_items(b, one, sqlstate) < 0) {
                long line = (long)json_integer_value(json_object_get(item, "i"));
                int status = db_status_for_sqlstate(sqlstate);
                if (!strcmp(sqlstate, "P0001"))
                    set_result(b, line, error_result(422, db_rule_hint(), db_rule_message()));
                else if (status == 409)
                    set_result(b, line,
                               error_result(409, "", "conflicts with an existing resource"));
                else if (status == 422)
                    set_result(b, line,
                               error_result(422, "",
                                            "refers to a missing resource or has "
                                            "an unacceptable value"));
                else
                    set_result(b, line, error_result(503, "", "not written; retry this line"));
            }
            json_decref(one);
        }
    }
    json_array_clear(b->chunk);
}

static void take_line(struct bulk *b, long line, const char *text, size_t len)
{
    json_error_t err;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!obj) {
        char d[256];
        snprintf(d, sizeof d, "not valid JSON (column %d): %s", err.column, err.text);
        set_result(b, line, error_result(400, "", d));
        return;
    }
    json_t *errors = json_array();
    if (validate_object(obj, b->spec->fields, V_CREATE, "", errors) > 0) {
        set_result(b, line, json_pack("{s:i, s:o}", "status", 422, "errors", errors));
        json_decref(obj);
        return;
    }
    json_decref(errors);
    json_array_append_new(b->chunk, json_pack("{s:i, s:o}", "i", (json_int_t)line, "d", obj));
    if (json_array_size(b->chunk) >= CHUNK) flush_chunk(b);
}

static void reply_results(struct bulk *b)
{
    size_t cap = 4096, len = 0, i;
    char *out = malloc(cap);
    json_t *res;
    json_array_foreach(b->results, i, res)
    {
        if (json_is_null(res) || !out) continue;
        char *line = json_dumps(res, JSON_COMPACT);
        size_t n = line ? strlen(line) : 0;
        if (len + n + 2 > cap) {
            cap = (len + n + 2) * 2;
            char *grown = realloc(out, cap);
            if (!grown) free(out);
            out = grown;
        }
        if (out && line) {
            memcpy(out + len, line, n);
            len += n;
            out[len++] = '\n';
        }
        free(line);
    }
    if (!out) {
        problem(b->r, 500, NULL);
        return;
    }
    reply_text(b->r, 200, "application/x-ndjson", out, len);
    free(out);
}

void bulk_run(struct req *r, const struct bulk_spec *spec)
{
    size_t len;
    const char *body = req_body(r, &len);
    struct bulk b = {.r = r, .spec = spec, .results = json_array(), .chunk = json_array()};
    long line = 0, taken = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && body[i] != '\n') continue;
        line++;
        size_t end = i;
        if (end > start && body[end - 1] == '\r') end--;
        json_array_append_new(b.results, json_null());
        size_t s = start;
        while (s < end && (body[s] == ' ' || body[s] == '\t'))
            s++;
        if (s < end) {
            take_line(&b, line, body + s, end - s);
            taken++;
        }
        start = i + 1;
    }
    flush_chunk(&b);
    if (taken == 0) {
        problem(r, 400, "The body holds no lines.");
    } else {
        reply_results(&b);
    }
    json_decref(b.results);
    json_decref(b.chunk);
}
