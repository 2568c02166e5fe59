#include "scope.h"

#include <stdio.h>
#include <string.h>

#include "problem.h"
#include "validate.h"

/* A place as a client may name it (place_lookup resolves it): non-empty, at most 80 bytes. */
static int place_text_valid(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 80;
}

int scope_parse(const char *text, struct agg_scope *out)
{
    out->id[0] = 0;
    if (!text || !strcmp(text, "hub")) {
        out->kind = SCOPE_HUB;
        return 0;
    }
    if (!strncmp(text, "comarca:", 8) && place_text_valid(text + 8)) {
        out->kind = SCOPE_COMARCA;
        snprintf(out->id, sizeof out->id, "%s", text + 8);
        return 0;
    }
    if (!strncmp(text, "project:", 8) && valid_uuid(text + 8)) {
        out->kind = SCOPE_PROJECT;
        snprintf(out->id, sizeof out->id, "%s", text + 8);
        return 0;
    }
    if (!strncmp(text, "municipality:", 13) && place_text_valid(text + 13)) {
        out->kind = SCOPE_MUNICIPALITY;
        snprintf(out->id, sizeof out->id, "%s", text + 13);
        return 0;
    }
    return -1;
}

int scope_read(const char *scope, const char *from, const char *to, struct agg_scope *out,
               json_t *errors)
{
    int bad = 0;
    memset(out, 0, sizeof *out);
    if (scope_parse(scope, out) < 0) {
        problem_add_error(errors, "/query/scope",
                          "must be hub, comarca:<slug or name> (e.g. comarca:tolosaldea), "
                          "municipality:<INE code or name> (e.g. municipality:20071) or "
                          "project:<uuid>");
        bad = 1;
    }
    if (!from || !valid_date(from)) {
        problem_add_error(errors, "/query/from", "is required, a date (YYYY-MM-DD)");
        bad = 1;
    }
    if (!to || !valid_date(to)) {
        problem_add_error(errors, "/query/to", "is required, a date (YYYY-MM-DD)");
        bad = 1;
    } else if (from && valid_date(from) && strcmp(from, to) > 0) {
        problem_add_error(errors, "/query/to", "must not be before from");
        bad = 1;
    }
    if (bad) return -1;
    snprintf(out->from, sizeof out->from, "%s", from);
    snprintf(out->to, sizeof out->to, "%s", to);
    return 0;
}

const char *scope_kind_name(enum scope_kind k)
{
    switch (k) {
    case SCOPE_COMARCA:
        return "comarca";
    case SCOPE_MUNICIPALITY:
        return "municipality";
    case SCOPE_PROJECT:
        return "project";
    default:
        return "hub";
    }
}
