#include <stdio.h>
#include <string.h>
#include "db.h"
#include "place.h"
#include "scope.h"
#include "problem.h"

/* $1 the text, $2 the kinds asked. */
static const char *const SQL_FIND =
    "SELECT k.kind, k.name, coalesce(m.code, ''), place_slug(k.name)"
    " FROM place_find($1) k LEFT JOIN municipality m ON k.kind = 'municipality' AND m.name = k.name"
    " WHERE k.kind = ANY ($2::text[])";
static const char *const SQL_SUGGEST = "SELECT array_to_json(place_suggest($1, $2::text[]))::text";

static const char *kinds_literal(unsigned kinds)
{
    if (kinds == PLACE_MUNICIPALITY) return "{municipality}";
    if (kinds == PLACE_COMARCA) return "{comarca}";
    return "{municipality,comarca}";
}

static const char *kinds_words(unsigned kinds)
{
    if (kinds == PLACE_MUNICIPALITY)
        return "municipality of the reference list (by INE code or name)";
    if (kinds == PLACE_COMARCA) return "comarca of the reference list (by slug or name)";
    return "municipality or comarca of the reference list (by INE code, slug or name)";
}

const char *place_id(const struct place *p)
{
    return p->kind == PLACE_MUNICIPALITY ? p->code : p->slug;
}

static int add_unknown(struct req *r, const char *text, unsigned kinds, const char *pointer,
                       json_t *errors)
{
    PGresult *res;
    const char *p[] = {text, kinds_literal(kinds)};
    if (db_query(r, &res, SQL_SUGGEST, 2, p) < 0) return -1;
    json_t *closest = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    if (!closest) closest = json_array();
    char detail[600];
    size_t n = (size_t)snprintf(detail, sizeof detail, "names no %s", kinds_words(kinds));
    for (size_t i = 0; i < json_array_size(closest) && n < sizeof detail; i++)
        n += (size_t)snprintf(detail + n, sizeof detail - n, "%s%s", i ? ", " : "; closest: ",
                              json_string_value(json_array_get(closest, i)));
    json_array_append_new(errors, json_pack("{s:s, s:s, s:o}", "pointer", pointer, "detail", detail,
                                            "closest", closest));
    return 0;
}

int place_lookup(struct req *r, const char *text, unsigned kinds, const char *pointer,
                 json_t *errors, struct place *out)
{
    PGresult *res;
    const char *p[] = {text, kinds_literal(kinds)};
    memset(out, 0, sizeof *out);
    if (db_query(r, &res, SQL_FIND, 2, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return add_unknown(r, text, kinds, pointer, errors) < 0 ? -1 : 0;
    }
    out->kind = strcmp(PQgetvalue(res, 0, 0), "comarca") ? PLACE_MUNICIPALITY : PLACE_COMARCA;
    snprintf(out->name, sizeof out->name, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->code, sizeof out->code, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->slug, sizeof out->slug, "%s", PQgetvalue(res, 0, 3));
    PQclear(res);
    return 1;
}

int req_place_param(struct req *r, const char *name, unsigned kinds, struct place *p,
                    const char **out)
{
    char pointer[128];
    const char *v = req_param(r, name);
    *out = NULL;
    if (!v) return 0;
    snprintf(pointer, sizeof pointer, "/query/%s", name);
    json_t *errors = json_array();
    int found = strlen(v) > 200 ? 0 : place_lookup(r, v, kinds, pointer, errors, p);
    if (found < 0) {
        json_decref(errors);
        return -1;
    }
    if (found == 0 && json_array_size(errors) == 0)
        problem_add_error(errors, pointer, "is too long to name a place");
    if (problem_if_any(r, 422, "A filter names no known place.", errors) < 0) return -1;
    *out = p->name;
    return 0;
}

int place_scope_resolve(struct req *r, struct agg_scope *s)
{
    struct place pl;
    unsigned kind;
    if (s->kind == SCOPE_COMARCA)
        kind = PLACE_COMARCA;
    else if (s->kind == SCOPE_MUNICIPALITY)
        kind = PLACE_MUNICIPALITY;
    else
        return 0;
    json_t *errors = json_array();
    int found = place_lookup(r, s->id, kind, "/query/scope", errors, &pl);
    if (found < 0) {
        json_decref(errors);
        return -1;
    }
    if (problem_if_any(r, 422, "The scope names no known place.", errors) < 0) return -1;
    snprintf(s->id, sizeof s->id, "%s", place_id(&pl));
    return 0;
}

/* Resolves one string of the body; 0 done (replaced, or an error appended), -1 answered. */
static int resolve_member(struct req *r, json_t *holder, const char *key, size_t index,
                          const struct place_field *f, const char *pointer, json_t *errors)
{
    json_t *v = key ? json_object_get(holder, key) : json_array_get(holder, index);
    struct place pl;
    if (!json_is_string(v)) return 0; /* the field table refused other types */
    int found = place_lookup(r, json_string_value(v), f->kinds, pointer, errors, &pl);
    if (found <= 0) return found;
    json_t *canonical = json_string(f->as_id ? place_id(&pl) : pl.name);
    if (key) return json_object_set_new(holder, key, canonical) < 0 ? -1 : 0;
    return json_array_set_new(holder, index, canonical) < 0 ? -1 : 0;
}

/* An array that names one place twice (in two forms) is refused like any repeated item. */
static void add_repeats(json_t *array, const char *name, json_t *errors)
{
    char pointer[160];
    for (size_t i = 1; i < json_array_size(array); i++)
        for (size_t j = 0; j < i; j++) {
            const char *a = json_string_value(json_array_get(array, i));
            const char *b = json_string_value(json_array_get(array, j));
            if (!a || !b || strcmp(a, b) != 0) continue;
            snprintf(pointer, sizeof pointer, "/%s/%zu", name, i);
            problem_add_error(errors, pointer, "names the same place as an earlier item");
            break;
        }
}

int req_places(struct req *r, const struct place_field *fields)
{
    char pointer[160];
    json_t *errors = json_array();
    for (const struct place_field *f = fields; f->name; f++) {
        json_t *v = json_object_get(r->body, f->name);
        if (json_is_array(v)) {
            for (size_t i = 0; i < json_array_size(v); i++) {
                snprintf(pointer, sizeof pointer, "/%s/%zu", f->name, i);
                if (resolve_member(r, v, NULL, i, f, pointer, errors) < 0) goto failed;
            }
            add_repeats(v, f->name, errors);
        } else {
            snprintf(pointer, sizeof pointer, "/%s", f->name);
            if (resolve_member(r, r->body, f->name, 0, f, pointer, errors) < 0) goto failed;
        }
    }
    return problem_if_any(r, 422, "The request body names places that are not known.", errors);
failed:
    json_decref(errors);
    if (!r->status) problem(r, 500, "Out of memory.");
    return -1;
}
