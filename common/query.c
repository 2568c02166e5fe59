#include <stdio.h>
#include <string.h>
#include "problem.h"
#include "query.h"

/* 1 when name is one of the words of list, words ending at any of stops. */
static int in_words(const char *list, const char *name, const char *starts, const char *stops)
{
    size_t n = strlen(name);
    for (const char *s = list; s && *s; s++) {
        if (s != list && !strchr(starts, s[-1])) continue;
        if (s == list && strcmp(starts, " ") != 0) continue;
        size_t len = strcspn(s, stops);
        if (len == n && strncmp(s, name, n) == 0) return 1;
    }
    return 0;
}

int query_accepts(const char *accepted, const char *path, const char *name)
{
    if (!name || !*name) return 0;
    return in_words(accepted, name, " ", " ") || in_words(path, name, ":@", "/");
}

size_t query_unknown(const char *accepted, const char *path, const char *const *names,
                     json_t *errors)
{
    char pointer[160], detail[600];
    size_t bad = 0;
    snprintf(detail, sizeof detail, "is not a query parameter of this route; it accepts: %s",
             accepted && *accepted ? accepted : "none");
    for (; names && *names; names++) {
        if (query_accepts(accepted, path, *names)) continue;
        snprintf(pointer, sizeof pointer, "/query/%s", *names);
        problem_add_error(errors, pointer, detail);
        bad++;
    }
    return bad;
}

int query_refuse_unknown(struct req *r, const char *accepted, const char *path)
{
    const char **names = u_map_enum_keys(r->in->map_url);
    if (!names || !names[0]) return 0;
    json_t *errors = json_array();
    query_unknown(accepted, path, names, errors);
    return problem_if_any(r, 400, "Unknown query parameter.", errors);
}

int query_check(struct req *r)
{
    return query_refuse_unknown(r, r->route->query, r->route->path);
}
