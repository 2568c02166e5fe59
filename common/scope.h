/* The scope and reporting period of an aggregate route: ?scope=hub | comarca:<slug or name> |
 * municipality:<INE code or any official name> | project:<uuid> and ?from=YYYY-MM-DD&to=YYYY-MM-DD
 * (both required, from <= to). The same vocabulary in every service that answers the evaluation
 * service's figures. */
#ifndef COMMON_SCOPE_H
#define COMMON_SCOPE_H

#include <jansson.h>

enum scope_kind { SCOPE_HUB, SCOPE_COMARCA, SCOPE_MUNICIPALITY, SCOPE_PROJECT };

struct agg_scope {
    enum scope_kind kind;
    char id[160];  /* comarca slug, INE code or project uuid ("" for the hub); as the client
                    * wrote the place until place_scope_resolve (place.h) stores its id */
    char from[11]; /* YYYY-MM-DD */
    char to[11];
};

/* Parses a scope text ("hub", "comarca:tolosaldea", "municipality:Tolosa", "project:<uuid>").
 * The place is taken as written (1 to 80 bytes); place_scope_resolve names it. Pure: 0 or -1. */
int scope_parse(const char *text, struct agg_scope *out);

/* Reads scope (default hub), from and to; appends one error per offending parameter to errors
 * (pointers "/query/scope", "/from", "/to"). Returns 0 when all are valid. Pure. */
int scope_read(const char *scope, const char *from, const char *to, struct agg_scope *out,
               json_t *errors);

/* The kind as text: "hub", "comarca", "municipality" or "project". */
const char *scope_kind_name(enum scope_kind k);

#endif
