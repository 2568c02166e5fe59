/* Route policy: registered tables and path matching. */
#include "policy.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct policy_table *tables[POLICY_MAX_TABLES];
static size_t n_tables;

void policy_register(const struct policy_table *table)
{
    if (n_tables < POLICY_MAX_TABLES)
        tables[n_tables++] = table;
    else
        fprintf(stderr, "policy: too many tables, %s ignored\n", table->service);
}

size_t policy_tables(const struct policy_table *const **out)
{
    *out = tables;
    return n_tables;
}

/* A request segment we are willing to authorise: non-empty, not a dot segment, and no percent
 * escapes of '/', '.' or '\\' that a service might decode into one. */
static int segment_safe(const char *seg, size_t len)
{
    if (len == 0) return 0;
    if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.')) return 0;
    for (size_t i = 0; i < len; i++) {
        if (seg[i] == '\\') return 0;
        if (seg[i] != '%') continue;
        if (i + 2 >= len) return 0;
        char a = seg[i + 1], b = seg[i + 2];
        if (a == '2' && (b == 'f' || b == 'F' || b == 'e' || b == 'E')) return 0;
        if (a == '5' && (b == 'c' || b == 'C')) return 0;
    }
    return 1;
}

/* Returns the number of literal segments matched, or -1 when `path` does not fit `pattern`. */
static int path_score(const char *pattern, const char *path)
{
    int literal = 0;
    const char *p = pattern, *q = path;
    if (*p != '/' || *q != '/') return -1;
    while (*p == '/' && *q == '/') {
        p++, q++;
        size_t plen = strcspn(p, "/"), qlen = strcspn(q, "/");
        if (!segment_safe(q, qlen)) return -1;
        if (*p == ':') {
            /* any segment */
        } else if (plen == qlen && strncmp(p, q, plen) == 0) {
            literal++;
        } else {
            return -1;
        }
        p += plen, q += qlen;
    }
    return *p == '\0' && *q == '\0' ? literal : -1;
}

enum policy_match policy_find(const char *method, const char *path, const struct policy_rule **rule,
                              const struct policy_table **table, char *allow, size_t allow_len)
{
    int best = -1, best_any = -1;
    const struct policy_rule *found = NULL;
    const struct policy_table *found_table = NULL;
    if (allow && allow_len) allow[0] = '\0';
    if (!path || !method || strlen(path) > 2048) return POLICY_NO_ROUTE;
    /* HEAD is answered like GET. */
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    for (size_t t = 0; t < n_tables; t++) {
        for (size_t i = 0; i < tables[t]->n_rules; i++) {
            const struct policy_rule *r = &tables[t]->rules[i];
            int score = path_score(r->path, path);
            if (score < 0) continue;
            if (score > best_any) best_any = score;
            if (strcmp(r->method, want) == 0 && score > best) {
                best = score;
                found = r;
                found_table = tables[t];
            }
        }
    }
    if (found) {
        /* A more specific path with other methods wins over a generic one with this method. */
        if (best == best_any) {
            *rule = found;
            *table = found_table;
            return POLICY_MATCHED;
        }
    }
    if (best_any < 0) return POLICY_NO_ROUTE;
    for (size_t t = 0; allow && t < n_tables; t++) {
        for (size_t i = 0; i < tables[t]->n_rules; i++) {
            const struct policy_rule *r = &tables[t]->rules[i];
            if (path_score(r->path, path) != best_any || strstr(allow, r->method)) continue;
            size_t used = strlen(allow);
            snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", r->method);
        }
    }
    return POLICY_WRONG_METHOD;
}

int policy_rule_valid(const struct policy_rule *rule)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    int method_ok = 0;
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        method_ok |= rule->method && strcmp(rule->method, methods[i]) == 0;
    if (!method_ok || !rule->path || rule->path[0] != '/' || rule->roles == 0) return 0;
    for (const char *p = rule->path; *p; p++)
        if (*p == '/' && (p[1] == '/' || p[1] == '\0')) return 0;
    return 1;
}
