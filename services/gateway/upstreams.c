/* Upstream services: addresses, timeouts, circuit breakers, readiness. */
#include "upstreams.h"
#include "config.h"
#include "forward.h"
#include "gateway.h"
#include "log.h"
#include "policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct upstream upstreams[POLICY_MAX_TABLES];
static size_t n_upstreams;

struct upstream *upstream_find(const char *name)
{
    for (size_t i = 0; i < n_upstreams; i++)
        if (strcmp(upstreams[i].name, name) == 0) return &upstreams[i];
    return NULL;
}

static void env_name(char *buf, size_t len, const char *service, const char *suffix)
{
    size_t o = 0;
    for (const char *p = service; *p && o + 1 < len; p++)
        buf[o++] = (char)toupper((unsigned char)*p);
    buf[o] = '\0';
    snprintf(buf + o, len - o, "%s", suffix);
}

int upstreams_init(void)
{
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables);
    for (size_t t = 0; t < n; t++) {
        if (upstream_find(tables[t]->service)) continue;
        struct upstream *u = &upstreams[n_upstreams];
        char var[64];
        snprintf(u->name, sizeof u->name, "%s", tables[t]->service);
        env_name(var, sizeof var, u->name, "_URL");
        const char *url = cfg_str(var, NULL);
        if (url) {
            /* Paths are appended as they came: no trailing slash on the base. */
            u->base_url = strdup(url);
            if (!u->base_url) return -1;
            size_t len = strlen(u->base_url);
            while (len && u->base_url[len - 1] == '/')
                u->base_url[--len] = '\0';
        } else {
            log_msg("warning", "%s is not set: routes of %s answer 503", var, u->name);
        }
        env_name(var, sizeof var, u->name, "_TIMEOUT_MS");
        u->timeout_ms = cfg_long(var, gw.upstream_timeout_ms);
        u->breaker = breaker_new((int)cfg_long("BREAKER_THRESHOLD", 5),
                                 (double)cfg_long("BREAKER_OPEN_SECONDS", 10));
        if (!u->breaker) return -1;
        n_upstreams++;
    }
    return 0;
}

void upstreams_free(void)
{
    for (size_t i = 0; i < n_upstreams; i++) {
        free(upstreams[i].base_url);
        breaker_free(upstreams[i].breaker);
    }
    memset(upstreams, 0, sizeof upstreams);
    n_upstreams = 0;
}

int upstreams_ready(json_t **report)
{
    int all = 1;
    *report = json_object();
    for (size_t i = 0; i < n_upstreams; i++) {
        struct upstream *u = &upstreams[i];
        int ready = 0;
        if (u->base_url) {
            char url[512];
            snprintf(url, sizeof url, "%s/readyz", u->base_url);
            struct fwd_request req = {.method = "GET",
                                      .url = url,
                                      .connect_timeout_ms = 500,
                                      .timeout_ms = 2000,
                                      .max_response = 4096};
            struct fwd_response res;
            ready = forward_request(&req, &res) == FWD_ANSWERED && res.status == 200;
            fwd_response_free(&res);
        }
        if (ready) __atomic_store_n(&u->seen_ready, 1, __ATOMIC_RELAXED);
        int required = __atomic_load_n(&u->seen_ready, __ATOMIC_RELAXED);
        json_object_set_new(*report, u->name,
                            json_string(ready      ? "ready"
                                        : required ? "not_ready"
                                                   : "not_deployed"));
        all &= ready || !required;
    }
    return all;
}

char *upstreams_metrics(void)
{
    static const char head[] = "# HELP gateway_upstream_circuit Circuit breaker per upstream "
                               "(0 closed, 1 open, 2 half-open).\n"
                               "# TYPE gateway_upstream_circuit gauge\n";
    size_t cap = sizeof head + n_upstreams * 96;
    char *text = malloc(cap);
    if (!text) return NULL;
    size_t len = (size_t)snprintf(text, cap, "%s", head);
    double now = now_seconds();
    for (size_t i = 0; i < n_upstreams && len < cap; i++)
        len +=
            (size_t)snprintf(text + len, cap - len,
                             "gateway_upstream_circuit{service=\"gateway\",upstream=\"%s\"} %d\n",
                             upstreams[i].name, (int)breaker_state(upstreams[i].breaker, now));
    return text;
}
