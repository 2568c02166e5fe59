/* One declaration per resource and the generic handlers that serve it.
 *
 * A resource that is a table with a JSON projection is declared once:
 *
 *     static const char *const types[] = {"a", "b", NULL};
 *     static const struct field thing_fields[] = {STR("name", F_REQUIRED, 1, 200),
 *                                                 ENUM("type", F_REQUIRED, types),
 *                                                 STR("external_id", F_NULLABLE, 1, 100),
 * FIELDS_END}; static const struct filter thing_filters[] = {
 *         {"type", FILTER_ENUM, "t.type = $", .values = types},
 *         {"name", FILTER_TEXT, "strpos(lower(t.name), lower($)) > 0", .max = 200},
 *         FILTERS_END};
 *     static const struct sort thing_sorts[] = {
 *         {"created_at", "t.created_at", "timestamptz", "ts(t.created_at)", 0, "-infinity"},
 *         {"-created_at", "t.created_at", "timestamptz", "ts(t.created_at)", 1, "infinity"},
 *         SORTS_END};
 *     struct resource things = {
 *         .path = "/v1/things", .table = "thing", .alias = "t",
 *         .json = "thing_json(t)", .columns = "external_id, name, type",
 *         .fields = thing_fields, .filters = thing_filters, .sorts = thing_sorts,
 *         .writable = "t.owner_org = $org", .writes_all = things_writes_all};
 *
 * and its routes point at the generic handlers with the resource as ctx:
 *
 *     {"GET", "/v1/things", resource_list, 0, "limit cursor sort type name", &things},
 *     {"POST", "/v1/things", resource_create, ROUTE_JSON | ROUTE_IDEMPOTENT, NULL, &things},
 *     {"GET", "/v1/things/:id", resource_get, 0, NULL, &things},
 *     {"PATCH", "/v1/things/:id", resource_update, ROUTE_JSON, NULL, &things},
 *     {"DELETE", "/v1/things/:id", resource_delete, 0, NULL, &things},
 *
 * SQL of a declaration names its parameters, never their numbers: "$" in a filter is the filter's
 * value, "$org" the caller's organisation (uuid), "$all" the caller's "sees all" (in readable) or
 * "writes all" (in writable) flag (boolean). The statements are built once, at start-up, from the
 * declaration: per sort one with filters and one without (a list without filters keeps the index
 * order in the generic plan), each named after the resource's path ("/v1/things list name
 * filtered") and prepared by that name once per connection.
 *
 * Table conventions: columns id (uuid), owner_org (uuid), version (int), created_at, updated_at;
 * the alias names the table in every condition and in json. Workflows that do not fit stay
 * hand-written on the same helpers (resource.h, page.h, dbreq.h). */
#ifndef COMMON_CRUD_H
#define COMMON_CRUD_H

#include "place.h"
#include "server.h"
#include "validate.h"

enum filter_type { FILTER_UUID, FILTER_ENUM, FILTER_INT, FILTER_DATE, FILTER_TEXT, FILTER_PLACE };

struct filter {
    const char *name; /* query parameter */
    enum filter_type type;
    const char *sql;           /* condition; "$" is the value (compared as text unless cast) */
    const char *const *values; /* FILTER_ENUM: allowed values, NULL-terminated */
    long min, max;             /* FILTER_INT: range; FILTER_TEXT: max characters */
    unsigned place_kinds;      /* FILTER_PLACE: PLACE_MUNICIPALITY and/or PLACE_COMARCA */
};
#define FILTERS_END                                                                                \
    {                                                                                              \
        NULL, 0, NULL, NULL, 0, 0, 0                                                               \
    }

struct sort {
    const char *name;   /* ?sort= value; the first sort is the default */
    const char *column; /* the ordering expression over the alias */
    const char *type;   /* its SQL type, for the cursor's key */
    const char *key;    /* the key as text (what the cursor carries) */
    int desc;
    const char *start; /* the key before the first row ("-infinity", "" ...) */
};
/* The usual sorts by creation, oldest or newest first, over alias a (a string literal: "o"). */
#define SORT_CREATED_AT(a)                                                                         \
    {                                                                                              \
        "created_at", a ".created_at", "timestamptz", "ts(" a ".created_at)", 0, "-infinity"       \
    }
#define SORT_CREATED_AT_DESC(a)                                                                    \
    {                                                                                              \
        "-created_at", a ".created_at", "timestamptz", "ts(" a ".created_at)", 1, "infinity"       \
    }
#define SORTS_END                                                                                  \
    {                                                                                              \
        NULL, NULL, NULL, NULL, 0, NULL                                                            \
    }

struct resource_sql;

struct resource {
    const char *path;      /* collection path, for Location: "/v1/organisations" */
    const char *table;     /* "organisation" */
    const char *alias;     /* "o" */
    const char *json;      /* JSON projection of one row: "organisation_json(o)" */
    const char *list_json; /* projection in lists, over alias and join (NULL: json) */
    const char *join;      /* joined once per page in lists, after the page is chosen (or NULL) */
    const char *columns;   /* columns the body may set, comma-separated: "name, type, website" */
    /* What create stores in them, over x (the body as a row of the table); NULL: x.<column> each.
     * For defaults: "x.name, coalesce(x.phase, 'concept_design')". */
    const char *insert_values;
    /* What create stores in owner_org (NULL: $org). For rows that may belong to no
     * organisation: "nullif($org::uuid, '00000000-0000-0000-0000-000000000000')". */
    const char *owner;
    /* Condition a row must meet to be seen (NULL: every row). A caller who sees all reads any row
     * by id without it. */
    const char *readable;
    const char *writable; /* condition beyond the id to change or remove it (NULL: every row) */
    int (*sees_all)(const struct req *r);   /* value of $all in readable (NULL: false) */
    int (*writes_all)(const struct req *r); /* value of $all in writable (NULL: false) */
    const struct field *fields;             /* body of create (and, with V_PATCH, update) */
    int (*rules)(struct req *r);      /* after the fields are valid: rules across fields; -1 when it
                                         answered r (NULL: none) */
    const struct place_field *places; /* members naming places (place.h), or NULL */
    const struct filter *filters;
    const struct sort *sorts;
    const char *delete_conflict; /* 409 detail when a delete breaks a reference (NULL: 422) */
    struct resource_sql *built;  /* filled on first use */
};

/* Builds res's statements (once; the server does it for every route's resource at start-up, so
 * that a declaration's mistake stops the service before it listens). */
void resource_build(struct resource *res);

/* Generic handlers: r->route->ctx is the struct resource. */
void resource_list(struct req *r);
void resource_get(struct req *r);
void resource_create(struct req *r);
void resource_update(struct req *r);
void resource_delete(struct req *r);

#endif
