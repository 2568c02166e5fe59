/* Who may call which route, in one table per upstream service. A service adds its routes by adding
 * a file services/gateway/policy_<service>.c that declares its table with POLICY_TABLE; nothing
 * else needs to change. Object-level checks (organisation A never sees B's objects) stay in the
 * services. */
#ifndef GATEWAY_POLICY_H
#define GATEWAY_POLICY_H

#include "caller.h"

#include <stddef.h>

#define ROLE_ANY ((1u << ROLE_COUNT) - 1) /* any authenticated caller */

struct policy_rule {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* "/v1/projects/:id": literal segments and :parameters */
    unsigned roles;     /* any of these roles may call it */
};

struct policy_table {
    const char *service; /* upstream; its base URL comes from <SERVICE>_URL */
    const struct policy_rule *rules;
    size_t n_rules;
};

#define POLICY_MAX_TABLES 16

/* Registers a table at program start (from a constructor, see POLICY_TABLE). */
void policy_register(const struct policy_table *table);

#define POLICY_TABLE(svc, rule_array)                                                              \
    static const struct policy_table policy_table_##svc = {                                        \
        #svc, rule_array, sizeof(rule_array) / sizeof(rule_array)[0]};                             \
    __attribute__((constructor)) static void policy_register_##svc(void)                           \
    {                                                                                              \
        policy_register(&policy_table_##svc);                                                      \
    }

enum policy_match {
    POLICY_MATCHED,      /* *rule and *table set */
    POLICY_WRONG_METHOD, /* the path exists with other methods: 405, *allow lists them */
    POLICY_NO_ROUTE,     /* 404 */
};

/* Finds the rule for a request path (without query string). The most specific path wins (most
 * literal segments). Paths with empty, "." or ".." segments or encoded slashes and dots match
 * nothing, so that what the gateway authorises is what the service routes. `allow` (may be NULL)
 * receives "GET, POST" for POLICY_WRONG_METHOD. */
enum policy_match policy_find(const char *method, const char *path, const struct policy_rule **rule,
                              const struct policy_table **table, char *allow, size_t allow_len);

/* The registered tables, for documentation and start-up checks. */
size_t policy_tables(const struct policy_table *const **tables);

/* 1 when `path` is a well-formed rule path and `method` a known method. */
int policy_rule_valid(const struct policy_rule *rule);

#endif
