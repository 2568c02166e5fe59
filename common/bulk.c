#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bulk.h"
#include "db.h"
#include "problem.h"
#include "resource.h"

#define CHUNK 1000
/* A failing part of at most LEAF lines is retried line by line rather than halved further. */
#define LEAF 4
/* Statements a request may spend on dry runs: lines whose dry run cannot run within it keep the
 * problems validation found. */
#define DRY_BUDGET 32

struct bulk {
    struct req *r;
    const struct bulk_spec *spec;
    json_t *results; /* line number (1-based) -> result object, as an array indexed line-1 */
    json_t *chunk;   /* pending [{"i", "d"}] */
    json_t *invalid; /* lines refused before the database, their bad fields removed: [{"i","d"}] */
    int dry_left;    /* dry-run statements left (DRY_BUDGET) */
};

static json_t *result_of(struct bulk *b, long line)
{
    return json_array_get(b->results, (size_t)(line - 1));
}

static void set_result(struct bulk *b, long line, json_t *res)
{
    json_t *old = result_of(b, line);
    json_t *ext = json_is_object(old) ? json_object_get(old, "external_id") : NULL;
    json_object_set_new(res, "line", json_integer(line));
    if (json_is_string(ext)) json_object_set(res, "external_id", ext);
    json_array_set_new(b->results, (size_t)(line - 1), res);
}

/* Adds an error to the line's result, which becomes (or stays) a refusal with that status. */
static void add_error(struct bulk *b, long line, int status, const char *pointer,
                      const char *detail)
{
    json_t *res = result_of(b, line);
    json_t *errors = json_object_get(res, "errors");
    if (!json_is_array(errors)) {
        errors = json_array();
        json_t *fresh = json_pack("{s:i, s:o}", "status", status, "errors", errors);
        set_result(b, line, fresh);
    }
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "pointer")), pointer)) return;
    }
    problem_add_error(errors, pointer, detail);
}

static void add_rule_errors(struct bulk *b, long line)
{
    json_t *errors = json_array();
    size_t i;
    json_t *e;
    db_rule_errors(errors);
    json_array_foreach(errors, i, e)
    {
        add_error(b, line, 422, json_string_value(json_object_get(e, "pointer")),
                  json_string_value(json_object_get(e, "detail")));
    }
    json_decref(errors);
}

/* Leaves the savepoint, undoing what was done under it when undo is set. */
static int end_savepoint(const char *name, int undo)
{
    if (undo && db_rollback_to_named(name) < 0) return -1;
    return db_release_named(name);
}

/* Runs the statement on items; with dry set, its writes are undone and only the errors it reports
 * are kept. Inside a caller's transaction (an Idempotency-Key) the statement runs under a
 * savepoint, so that a failed chunk leaves the transaction usable for its halves. Returns -1 when
 * the statement failed as a whole. */
static int run_items(struct bulk *b, json_t *items, int dry, char sqlstate[6])
{
    static const char *const savepoint = "bulk_statement";
    PGresult *res;
    char *text = json_dumps(items, JSON_COMPACT);
    if (!text) return -1;
    int own_tx = dry && !db_in_transaction();
    int guarded = !own_tx && db_in_transaction();
    if ((own_tx && db_begin(NULL) < 0) || (guarded && db_savepoint_named(savepoint) < 0)) {
        free(text);
        sqlstate[0] = 0;
        return -1;
    }
    const char *p[] = {req_org(b->r), text, sql_bool(caller_has(&b->r->caller, ROLE_ADMIN))};
    int rc = db_query_quiet(&res, b->spec->sql, b->spec->nparams, p, sqlstate);
    free(text);
    if (own_tx) db_rollback();
    if (guarded && end_savepoint(savepoint, rc < 0 || dry) < 0) {
        if (rc == 0) PQclear(res);
        sqlstate[0] = 0;
        return -1;
    }
    if (rc < 0) return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        long line = atol(PQgetvalue(res, i, 0));
        const char *action = PQgetvalue(res, i, 2);
        if (strcmp(action, "error") == 0) {
            add_error(b, line, 422, PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
        } else if (!dry) {
            set_result(b, line,
                       json_pack("{s:i, s:s}", "status", strcmp(action, "created") == 0 ? 201 : 200,
                                 "id", PQgetvalue(res, i, 1)));
        }
    }
    PQclear(res);
    return 0;
}

/* The result of a single line whose statement failed. */
static void line_failed(struct bulk *b, long line, const char *sqlstate)
{
    int status = db_status_for_sqlstate(sqlstate);
    if (!strcmp(sqlstate, "P0001"))
        add_rule_errors(b, line);
    else if (status == 409)
        add_error(b, line, 409, "", "conflicts with an existing resource");
    else if (status == 422)
        add_error(b, line, 422, "", "refers to a missing resource or has an unacceptable value");
    else
        set_result(b, line,
                   json_pack("{s:i, s:[{s:s, s:s}]}", "status", 503, "errors", "pointer", "",
                             "detail", "not written; retry this line"));
}

/* The result of one line whose own statement failed; a dry run only adds what the database
 * said, and a line it cannot even run keeps the problems found before. */
static void single_failed(struct bulk *b, const json_t *item, const char *sqlstate, int dry)
{
    long line = (long)json_integer_value(json_object_get(item, "i"));
    if (!dry)
        line_failed(b, line, sqlstate);
    else if (!strcmp(sqlstate, "P0001"))
        add_rule_errors(b, line);
}

/* Writes items[from, from + n). A statement is all or nothing, so when one line breaks it, the
 * halves are tried apart until a failing part is small (LEAF lines), whose lines are then tried
 * one by one: a bad line costs a few dozen statements instead of one per line of its chunk, and a
 * chunk of bad lines little more than one per line. */
static void run_split(struct bulk *b, json_t *items, size_t from, size_t n, int dry)
{
    char sqlstate[6];
    if (dry && b->dry_left-- <= 0) return;
    json_t *part = json_array();
    for (size_t i = from; i < from + n; i++)
        json_array_append(part, json_array_get(items, i));
    int rc = run_items(b, part, dry, sqlstate);
    json_decref(part);
    if (rc == 0) return;
    if (n == 1) {
        single_failed(b, json_array_get(items, from), sqlstate, dry);
    } else if (n <= LEAF) {
        for (size_t i = from; i < from + n; i++)
            run_split(b, items, i, 1, dry);
    } else {
        run_split(b, items, from, n / 2, dry);
        run_split(b, items, from + n / 2, n - n / 2, dry);
    }
}

static void flush_chunk(struct bulk *b)
{
    if (json_array_size(b->chunk) == 0) return;
    run_split(b, b->chunk, 0, json_array_size(b->chunk), 0);
    json_array_clear(b->chunk);
}

/* Lines refused by validation also hear what the database would have said of their other
 * fields (an unknown project, a period already reported...), so that one answer lists every
 * problem of a line: one statement per chunk when it runs, halves when a line breaks it, within
 * DRY_BUDGET statements (else 3 000 lines that all break it would cost a statement each). */
static void check_invalid(struct bulk *b)
{
    size_t n = json_array_size(b->invalid);
    if (n == 0) return;
    for (size_t i = 0; i < n; i += CHUNK)
        run_split(b, b->invalid, i, n - i < CHUNK ? n - i : CHUNK, 1);
}

/* The object without the fields an error points into, for the dry run. */
static json_t *without_bad_fields(const json_t *obj, const json_t *errors)
{
    json_t *copy = json_deep_copy(obj);
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *ptr = json_string_value(json_object_get(e, "pointer"));
        char key[256];
        if (!ptr || ptr[0] != '/') continue;
        snprintf(key, sizeof key, "%.*s", (int)strcspn(ptr + 1, "/"), ptr + 1);
        json_object_del(copy, key);
    }
    return copy;
}

static void take_line(struct bulk *b, long line, const char *text, size_t len)
{
    json_error_t err;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!obj) {
        char d[256];
        snprintf(d, sizeof d, "not valid JSON (column %d): %s", err.column, err.text);
        add_error(b, line, 400, "", d);
        return;
    }
    json_t *ext = json_is_object(obj) ? json_object_get(obj, "external_id") : NULL;
    json_t *errors = json_array();
    json_t *placeholder = json_object();
    if (json_is_string(ext)) json_object_set(placeholder, "external_id", ext);
    set_result(b, line, placeholder);
    int bad = validate_object(obj, b->spec->fields, V_CREATE, "", errors);
    if (b->spec->check && json_is_object(obj)) bad += b->spec->check(obj, errors);
    if (bad > 0) {
        set_result(b, line, json_pack("{s:i, s:O}", "status", 422, "errors", errors));
        if (json_is_object(obj))
            json_array_append_new(b->invalid, json_pack("{s:i, s:o}", "i", (json_int_t)line, "d",
                                                        without_bad_fields(obj, errors)));
        json_decref(errors);
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
        if (!json_object_get(res, "status") || !out) continue;
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
    struct bulk b = {.r = r,
                     .spec = spec,
                     .results = json_array(),
                     .chunk = json_array(),
                     .invalid = json_array(),
                     .dry_left = DRY_BUDGET};
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
    check_invalid(&b);
    if (taken == 0) {
        problem(r, 400, "The body holds no lines.");
    } else {
        reply_results(&b);
    }
    json_decref(b.results);
    json_decref(b.chunk);
    json_decref(b.invalid);
}
