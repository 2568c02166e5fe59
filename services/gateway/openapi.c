/* Bundling the OpenAPI documents and writing the route policy into them. */
#include "openapi.h"
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

json_t *openapi_bundle(const char *bundler, const char *dir)
{
    char command[1024];
    if (strchr(bundler, '\'') || strchr(dir, '\'')) return NULL;
    snprintf(command, sizeof command, "python3 '%s' '%s'", bundler, dir);
    FILE *pipe = popen(command, "r");
    if (!pipe) return NULL;
    json_error_t error;
    json_t *doc = json_loadf(pipe, 0, &error);
    int status = pclose(pipe);
    if (!doc || status != 0 || !json_is_object(doc)) {
        fprintf(stderr, "openapi: bundling %s with %s failed: %s\n", dir, bundler,
                doc ? "bundler failed" : error.text);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* The shape of a path, parameters blanked: "/v1/projects/:id" and "/v1/projects/{id}" both
 * become "/v1/projects/{}". */
static void path_shape(const char *path, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = path; *p && o + 3 < len;) {
        if ((*p == ':' || *p == '{') && (p == path || p[-1] == '/')) {
            out[o++] = '{';
            out[o++] = '}';
            while (*p && *p != '/')
                p++;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

static const struct policy_rule *rule_for(const char *method, const char *shape)
{
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables);
    char rule_shape[512];
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < tables[t]->n_rules; i++) {
            const struct policy_rule *r = &tables[t]->rules[i];
            if (strcasecmp(r->method, method) != 0) continue;
            path_shape(r->path, rule_shape, sizeof rule_shape);
            if (strcmp(rule_shape, shape) == 0) return r;
        }
    return NULL;
}

static json_t *roles_array(unsigned roles)
{
    json_t *array = json_array();
    if (roles == ROLE_ANY) return array; /* any authenticated caller */
    for (unsigned i = 0; i < ROLE_COUNT; i++)
        if (roles & (1u << i)) json_array_append_new(array, json_string(role_name(1u << i)));
    return array;
}

static const char *const methods[] = {"get", "post", "put", "patch", "delete"};

json_t *openapi_apply_policy(json_t *doc)
{
    json_t *mismatches = json_array();
    json_t *paths = json_object_get(doc, "paths");
    const char *path;
    json_t *item;
    char shape[512], line[600];
    json_object_foreach(paths, path, item)
    {
        path_shape(path, shape, sizeof shape);
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
            json_t *op = json_object_get(item, methods[m]);
            if (!op) continue;
            const struct policy_rule *rule = rule_for(methods[m], shape);
            if (rule) {
                json_t *requirement = json_pack("{s:o}", "bearerAuth", roles_array(rule->roles));
                json_object_set_new(op, "security", json_pack("[o]", requirement));
            } else if (strncmp(path, "/v1/", 4) == 0 && strncmp(path, "/v1/clients", 11) != 0 &&
                       strcmp(path, "/v1/changes") != 0 &&
                       strncmp(path, "/v1/webhooks", 12) != 0) { /* the gateway's own routes */
                snprintf(line, sizeof line, "%s %s: no policy", methods[m], path);
                json_array_append_new(mismatches, json_string(line));
            }
        }
    }
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables);
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < tables[t]->n_rules; i++) {
            const struct policy_rule *r = &tables[t]->rules[i];
            char rule_shape[512], method[8];
            int documented = 0;
            snprintf(method, sizeof method, "%s", r->method);
            for (char *c = method; *c; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
            path_shape(r->path, rule_shape, sizeof rule_shape);
            json_object_foreach(paths, path, item)
            {
                path_shape(path, shape, sizeof shape);
                if (strcmp(shape, rule_shape) == 0 && json_object_get(item, method)) documented = 1;
            }
            if (!documented) {
                snprintf(line, sizeof line, "%s %s: not documented", r->method, r->path);
                json_array_append_new(mismatches, json_string(line));
            }
        }
    return mismatches;
}
