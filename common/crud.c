#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crud.h"
#include "db.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"

#define MAX_FILTERS 16
#define MAX_SORTS   8
#define MAX_PARAMS  (MAX_FILTERS + 8)

/* Parameters a statement may take, named once here; each statement lists the ones it uses in
 * order of first use, and the handler fills them from the request. */
enum param {
    P_SEES_ALL, /* $all in readable and projections */
    P_ORG,
    P_ID,
    P_VERSION,
    P_BODY,
    P_KEY,
    P_AFTER_ID,
    P_LIMIT,
    P_WRITES_ALL, /* $all in writable */
    P_FILTER,     /* P_FILTER + i: the value of filter i */
};

struct stmt {
    char *name; /* "<path> <what>": the statement's name on every connection */
    char *sql;
    int n;
    unsigned char kinds[MAX_PARAMS]; /* enum param, P_FILTER + i for filter i */
};

struct resource_sql {
    const char *sort_names[MAX_SORTS + 1];
    struct stmt list[MAX_SORTS][2]; /* [sort][filtered] */
    struct stmt get, get_any, create, update, remove, writable;
};

struct sbuf {
    char *s;
    size_t n, cap;
};

static void put(struct sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) abort(); /* at start-up only */
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void puts_(struct sbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static int param_number(struct stmt *st, int kind)
{
    for (int i = 0; i < st->n; i++)
        if (st->kinds[i] == kind) return i + 1;
    if (st->n == MAX_PARAMS) abort();
    st->kinds[st->n++] = (unsigned char)kind;
    return st->n;
}

/* Appends sql with its named parameters numbered: $all, $org, $id, $version, $body, $key,
 * $after, $limit, and "$" alone for the value of filter `filter`. */
static void put_sql(struct sbuf *b, struct stmt *st, const char *sql, int all_kind, int filter)
{
    static const char *const names[] = {"all",  "org", "id",    "version",
                                        "body", "key", "after", "limit"};
    for (const char *s = sql; *s;) {
        const char *d = strchr(s, '$');
        if (!d) {
            puts_(b, s);
            break;
        }
        put(b, s, (size_t)(d - s));
        size_t len = strspn(d + 1, "abcdefghijklmnopqrstuvwxyz");
        int kind = -1;
        if (len == 0) kind = P_FILTER + filter;
        for (int i = 0; len && i < (int)(sizeof names / sizeof names[0]); i++)
            if (strlen(names[i]) == len && !strncmp(d + 1, names[i], len)) kind = i;
        if (kind == P_SEES_ALL) kind = all_kind;
        if (kind < 0) abort(); /* a declaration names an unknown parameter */
        char num[16];
        snprintf(num, sizeof num, "$%d", param_number(st, kind));
        puts_(b, num);
        s = d + 1 + len;
    }
}

/* put_sql of a formatted text (the declaration's names around the named parameters). */
static void putf(struct sbuf *b, struct stmt *st, int all_kind, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof text) abort(); /* a declaration too long: start-up only */
    put_sql(b, st, text, all_kind, 0);
}

/* Ends the statement being written in b and names it after the resource's path. */
static void finish(const struct resource *res, struct stmt *st, struct sbuf *b, const char *what)
{
    struct sbuf name = {0};
    puts_(&name, res->path);
    puts_(&name, " ");
    puts_(&name, what);
    st->name = name.s;
    st->sql = b->s;
    b->s = NULL;
    b->n = b->cap = 0;
}

static const char *or_true(const char *cond)
{
    return cond ? cond : "true";
}

static void build_list(const struct resource *res, struct stmt *st, const struct sort *so,
                       int filtered)
{
    struct sbuf b = {0};
    const char *a = res->alias, *dir = so->desc ? " DESC" : "";
    char order[512];
    snprintf(order, sizeof order, "%s%s, %s.id%s", so->column, dir, a, dir);
    putf(&b, st, P_SEES_ALL, "SELECT (%s)::text, %s, %s.id FROM (SELECT * FROM %s %s WHERE (%s)",
         res->list_json ? res->list_json : res->json, so->key, a, res->table, a,
         or_true(res->readable));
    for (int i = 0; filtered && res->filters && res->filters[i].name; i++) {
        char head[64];
        snprintf(head, sizeof head, " AND ($%d::text IS NULL OR (", param_number(st, P_FILTER + i));
        puts_(&b, head);
        put_sql(&b, st, res->filters[i].sql, P_SEES_ALL, i);
        puts_(&b, "))");
    }
    putf(&b, st, P_SEES_ALL,
         " AND (%s, %s.id) %s ($key::%s, $after::uuid) ORDER BY %s LIMIT $limit) %s %s ORDER BY %s",
         so->column, a, so->desc ? "<" : ">", so->type, order, a, res->join ? res->join : "",
         order);
    char what[96];
    snprintf(what, sizeof what, "list %s%s", so->name, filtered ? " filtered" : "");
    finish(res, st, &b, what);
}

/* "x.a, x.b" from "a, b". */
static void put_prefixed(struct sbuf *b, const char *columns)
{
    for (const char *s = columns; *s;) {
        s += strspn(s, ", ");
        size_t n = strcspn(s, ", ");
        if (!n) break;
        if (s != columns) puts_(b, ", ");
        puts_(b, "x.");
        put(b, s, n);
        s += n;
    }
}

static void build_writes(const struct resource *res, struct resource_sql *q)
{
    const char *a = res->alias, *t = res->table, *w = or_true(res->writable);
    struct sbuf b = {0};

    putf(&b, &q->get, P_SEES_ALL,
         "SELECT (%s)::text, %s.version FROM %s %s WHERE %s.id = $id AND (%s)", res->json, a, t, a,
         a, or_true(res->readable));
    finish(res, &q->get, &b, "get");
    putf(&b, &q->get_any, P_SEES_ALL, "SELECT (%s)::text, %s.version FROM %s %s WHERE %s.id = $id",
         res->json, a, t, a, a);
    finish(res, &q->get_any, &b, "get any");

    if (res->columns) {
        putf(&b, &q->create, P_SEES_ALL, "INSERT INTO %s AS %s (owner_org, %s) SELECT %s, ", t, a,
             res->columns, res->owner ? res->owner : "$org");
        if (res->insert_values)
            put_sql(&b, &q->create, res->insert_values, P_SEES_ALL, 0);
        else
            put_prefixed(&b, res->columns);
        putf(&b, &q->create, P_SEES_ALL,
             " FROM jsonb_populate_record(NULL::%s, $body::jsonb) x"
             " RETURNING (%s)::text, %s.version, %s.id",
             t, res->json, a, a);
        finish(res, &q->create, &b, "create");

        putf(&b, &q->update, P_WRITES_ALL, "UPDATE %s %s SET (%s) = (SELECT ", t, a, res->columns);
        put_prefixed(&b, res->columns);
        putf(&b, &q->update, P_WRITES_ALL,
             " FROM jsonb_populate_record(%s, $body::jsonb) x),"
             " version = %s.version + 1, updated_at = now() WHERE %s.id = $id AND (%s)"
             " AND ($version::int IS NULL OR %s.version = $version::int)"
             " RETURNING (%s)::text, %s.version",
             a, a, a, w, a, res->json, a);
        finish(res, &q->update, &b, "update");
    }

    putf(&b, &q->remove, P_WRITES_ALL,
         "DELETE FROM %s %s WHERE %s.id = $id AND (%s)"
         " AND ($version::int IS NULL OR %s.version = $version::int) RETURNING %s.id",
         t, a, a, w, a, a);
    finish(res, &q->remove, &b, "delete");

    putf(&b, &q->writable, P_WRITES_ALL, "SELECT 1 FROM %s %s WHERE %s.id = $id AND (%s)", t, a, a,
         w);
    finish(res, &q->writable, &b, "writable");
}

static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

void resource_build(struct resource *res)
{
    pthread_mutex_lock(&build_lock);
    if (!res->built) {
        struct resource_sql *q = calloc(1, sizeof *q);
        if (!q) abort();
        for (int i = 0; res->sorts && res->sorts[i].name && i < MAX_SORTS; i++) {
            q->sort_names[i] = res->sorts[i].name;
            build_list(res, &q->list[i][0], &res->sorts[i], 0);
            build_list(res, &q->list[i][1], &res->sorts[i], 1);
        }
        build_writes(res, q);
        __atomic_store_n(&res->built, q, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&build_lock);
}

/* The statements of the request's resource: built at start-up (server.c builds every route's
 * resource before listening), or here on first use by a route that was not declared with it. */
static const struct resource_sql *built(const struct req *r)
{
    struct resource *res = (struct resource *)r->route->ctx;
    struct resource_sql *q = __atomic_load_n(&res->built, __ATOMIC_ACQUIRE);
    if (q) return q;
    resource_build(res);
    return res->built;
}

/* The values a request gives the named parameters. */
struct args {
    const char *v[P_FILTER + MAX_FILTERS];
};

/* The statement's parameters, in its order, from the request's values. */
static void bind_args(const struct stmt *st, const struct args *a, const char **p)
{
    for (int i = 0; i < st->n; i++)
        p[i] = a->v[st->kinds[i]];
}

static int run(struct req *r, const struct stmt *st, const struct args *a, PGresult **res)
{
    const char *p[MAX_PARAMS];
    bind_args(st, a, p);
    return db_query_named(r, res, st->name, st->sql, st->n, p);
}

static void base_args(struct req *r, const struct resource *res, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->v[P_SEES_ALL] = sql_bool(res->sees_all && res->sees_all(r));
    a->v[P_WRITES_ALL] = sql_bool(res->writes_all && res->writes_all(r));
    a->v[P_ORG] = req_org(r);
}

/* Reads the declared filters; 0, or -1 when r was answered. */
static int read_filters(struct req *r, const struct filter *f, struct args *a, struct place *places,
                        int *any)
{
    *any = 0;
    for (int i = 0; f && f[i].name && i < MAX_FILTERS; i++) {
        const char **out = &a->v[P_FILTER + i];
        int rc = 0;
        switch (f[i].type) {
        case FILTER_UUID:
            rc = req_uuid_param(r, f[i].name, out);
            break;
        case FILTER_ENUM:
            rc = req_enum_param(r, f[i].name, f[i].values, out);
            break;
        case FILTER_INT:
            rc = req_int_param(r, f[i].name, f[i].min, f[i].max, out);
            break;
        case FILTER_DATE:
            rc = req_date_param(r, f[i].name, out);
            break;
        case FILTER_TEXT:
            rc = req_text_param(r, f[i].name, (size_t)f[i].max, out);
            break;
        case FILTER_PLACE:
            rc = req_place_param(r, f[i].name, f[i].place_kinds, &places[i], out);
            break;
        }
        if (rc < 0) return -1;
        if (*out) *any = 1;
    }
    return 0;
}

void resource_list(struct req *r)
{
    const struct resource *res = r->route->ctx;
    const struct resource_sql *q = built(r);
    struct page pg;
    struct args a;
    struct place places[MAX_FILTERS];
    PGresult *out;
    int filtered, s = 0;
    base_args(r, res, &a);
    if (page_read(r, &pg, q->sort_names) < 0) return;
    if (read_filters(r, res->filters, &a, places, &filtered) < 0) return;
    while (q->sort_names[s + 1] && strcmp(q->sort_names[s], pg.sort))
        s++;
    /* a date key the database cannot read is a cursor this list never issued (not a 422) */
    if (pg.has_cursor && !strcmp(res->sorts[s].type, "date") && !valid_date(pg.key)) {
        json_t *e = json_array();
        problem_add_error(e, "/query/cursor", "is not a cursor issued for this list");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return;
    }
    page_start(&pg, res->sorts[s].start, res->sorts[s].desc);
    a.v[P_KEY] = pg.key;
    a.v[P_AFTER_ID] = pg.id;
    a.v[P_LIMIT] = pg.limit_text;
    if (run(r, &q->list[s][filtered], &a, &out) < 0) return;
    page_reply(r, &pg, out, 0, 1, 2);
    PQclear(out);
}

void resource_get(struct req *r)
{
    const struct resource *res = r->route->ctx;
    struct args a;
    PGresult *out;
    base_args(r, res, &a);
    if (!(a.v[P_ID] = req_uuid(r, "id"))) return;
    int any = res->sees_all && res->sees_all(r);
    if (run(r, any ? &built(r)->get_any : &built(r)->get, &a, &out) < 0) return;
    reply_found(r, out);
    PQclear(out);
}

/* Validates the body (fields, rules across them, places) and runs st with it; 0, or -1 when r
 * was answered. */
static int run_body(struct req *r, const struct stmt *st, struct args *a, enum validate_mode mode,
                    PGresult **out)
{
    const struct resource *res = r->route->ctx;
    if (req_validate(r, res->fields, mode) < 0 || (res->rules && res->rules(r) < 0) ||
        (res->places && req_places(r, res->places) < 0))
        return -1;
    char *body = json_dumps(r->body, JSON_COMPACT);
    a->v[P_BODY] = body;
    int rc = run(r, st, a, out);
    free(body);
    a->v[P_BODY] = NULL;
    return rc;
}

void resource_create(struct req *r)
{
    const struct resource *res = r->route->ctx;
    struct args a;
    PGresult *out;
    base_args(r, res, &a);
    if (run_body(r, &built(r)->create, &a, V_CREATE, &out) < 0) return;
    reply_row(r, 201, out, 0, 1, res->path, 2);
    PQclear(out);
}

/* After a conditional write matched no row: 412 when the caller may change the object (its
 * If-Match is stale), else 404. */
static void missed(struct req *r, const struct args *a)
{
    const struct stmt *st = &built(r)->writable;
    const char *p[MAX_PARAMS];
    bind_args(st, a, p);
    reply_missed_write(r, st->sql, st->n, p);
}

/* Reads the id and If-Match of a write; 0, or -1 when r was answered. */
static int write_args(struct req *r, const struct resource *res, struct args *a, char *vbuf,
                      size_t len)
{
    base_args(r, res, a);
    if (!(a->v[P_ID] = req_uuid(r, "id"))) return -1;
    return req_if_match(r, vbuf, len, &a->v[P_VERSION]);
}

void resource_update(struct req *r)
{
    const struct resource *res = r->route->ctx;
    struct args a;
    char vbuf[16];
    PGresult *out;
    if (write_args(r, res, &a, vbuf, sizeof vbuf) < 0) return;
    if (run_body(r, &built(r)->update, &a, V_PATCH, &out) < 0) return;
    if (PQntuples(out) == 0)
        missed(r, &a);
    else
        reply_row(r, 200, out, 0, 1, NULL, 0);
    PQclear(out);
}

void resource_delete(struct req *r)
{
    const struct resource *res = r->route->ctx;
    const struct stmt *st = &built(r)->remove;
    struct args a;
    char vbuf[16];
    struct db_error err;
    PGresult *out;
    if (write_args(r, res, &a, vbuf, sizeof vbuf) < 0) return;
    const char *p[MAX_PARAMS];
    bind_args(st, &a, p);
    if (db_exec_named(&out, st->name, st->sql, st->n, p, &err) < 0) {
        if (res->delete_conflict && !strcmp(err.sqlstate, "23503"))
            problem(r, 409, res->delete_conflict);
        else
            db_problem(r, err.sqlstate);
        return;
    }
    if (PQntuples(out) == 0)
        missed(r, &a);
    else
        reply_empty(r, 204);
    PQclear(out);
}
