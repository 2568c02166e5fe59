/* One place identity for every service: a municipality named by its INE code or any official
 * form, a comarca by its slug or either name (common/sql/004_place_codes.sql, 005_place_match.sql).
 * Handlers resolve what a client sent to the stored form before they store or filter by it; a text
 * that names no place is a 422 naming the closest places. */
#ifndef COMMON_PLACE_H
#define COMMON_PLACE_H

#include <jansson.h>
#include "server.h"

enum place_kinds {
    PLACE_MUNICIPALITY = 1u << 0,
    PLACE_COMARCA = 1u << 1,
    PLACE_ANY = PLACE_MUNICIPALITY | PLACE_COMARCA,
};

struct place {
    unsigned kind;  /* PLACE_MUNICIPALITY or PLACE_COMARCA */
    char name[160]; /* the stored name: "Donostia/San Sebastián", "Tolosaldea" */
    char code[8];   /* a municipality's INE code ("20069"), empty for a comarca */
    char slug[160]; /* its slug: "tolosaldea", "donostia-san-sebastian" */
};

/* The stored id of a place in evaluation scopes and segment ids: a municipality's INE code, a
 * comarca's slug. */
const char *place_id(const struct place *p);

/* Looks up text among the kinds asked. 1 and *out filled when it names one; 0 when it names none,
 * after appending {pointer, detail, closest} to errors (detail and closest name the nearest
 * places); -1 when the database failed (r answered). */
int place_lookup(struct req *r, const char *text, unsigned kinds, const char *pointer,
                 json_t *errors, struct place *out);

/* A query parameter naming a place: 0 when absent (*out NULL) or known (*out = the place's stored
 * name, in p); -1 when r was answered (422 naming the parameter and the closest places, or 503). */
int req_place_param(struct req *r, const char *name, unsigned kinds, struct place *p,
                    const char **out);

struct agg_scope;

/* Names the place of a comarca or municipality scope (scope.h) by any form place_lookup takes and
 * stores its id (slug or INE code, place_id) in s->id; other scopes are left as they are. 0 when
 * done; -1 when r was answered (422 naming /query/scope and the closest places, or 503). */
int place_scope_resolve(struct req *r, struct agg_scope *s);

/* SQL of the detail of a bulk line whose text (an SQL expression) names no municipality: the
 * same words and closest places as place_lookup's. */
#define PLACE_UNKNOWN_MUNICIPALITY_SQL(text)                                                       \
    "'names no municipality of the reference list (by INE code or name); closest: ' ||"            \
    " array_to_string(place_suggest(" text ", '{municipality}'), ', ')"

/* Members of the JSON body naming places: a string or an array of strings. */
struct place_field {
    const char *name;
    unsigned kinds;
    int as_id; /* replace with place_id() rather than the stored name */
};

/* Replaces each listed member of r->body (when present and a string, or each string of an array)
 * by the stored form of the place it names; answers 422 naming every member that names no place
 * (or, in an array, the same place as an earlier item) and returns -1. Run after req_validate. */
int req_places(struct req *r, const struct place_field *fields);

#endif
