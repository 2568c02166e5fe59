#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "metrics.h"

static const int codes[] = {200, 201, 204, 207, 304, 400, 401, 403, 404, 405, 409, 412,
                            413, 414, 415, 422, 428, 429, 431, 500, 502, 503, 504};
#define NCODES (sizeof codes / sizeof codes[0])
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define NBUCKETS (sizeof buckets / sizeof buckets[0])

struct route_stats {
    unsigned long count[NCODES + 1]; /* last: any other status */
    unsigned long bucket[NBUCKETS + 1];
    unsigned long sum_us;
};

static struct route_stats *stats;
static size_t nstats;

int metrics_init(size_t nroutes)
{
    nstats = nroutes + 1;
    stats = calloc(nstats, sizeof *stats);
    return stats ? 0 : -1;
}

void metrics_free(void)
{
    free(stats);
    stats = NULL;
}

void metrics_observe(size_t route, int status, double seconds)
{
    if (!stats || route >= nstats) return;
    struct route_stats *s = &stats[route];
    size_t c = 0;
    while (c < NCODES && codes[c] != status)
        c++;
    __atomic_add_fetch(&s->count[c], 1, __ATOMIC_RELAXED);
    size_t b = 0;
    while (b < NBUCKETS && seconds > buckets[b])
        b++;
    __atomic_add_fetch(&s->bucket[b], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&s->sum_us, (unsigned long)(seconds * 1e6), __ATOMIC_RELAXED);
}

struct text {
    char *buf;
    size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) return;
        if (t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap + (size_t)n) * 2;
        char *b = realloc(t->buf, cap);
        if (!b) return;
        t->buf = b;
        t->cap = cap;
    }
}

char *metrics_render(const char *svc, const char *const *methods, const char *const *paths)
{
    struct text t = {.buf = malloc(4096), .cap = 4096};
    if (!t.buf) return NULL;
    t.buf[0] = 0;
    put(&t, "# HELP http_requests_total Requests answered, by route and status.\n"
            "# TYPE http_requests_total counter\n");
    for (size_t r = 0; r < nstats; r++)
        for (size_t c = 0; c <= NCODES; c++) {
            unsigned long v = __atomic_load_n(&stats[r].count[c], __ATOMIC_RELAXED);
            if (!v) continue;
            char code[8];
            if (c < NCODES)
                snprintf(code, sizeof code, "%d", codes[c]);
            else
                snprintf(code, sizeof code, "other");
            put(&t,
                "http_requests_total{service=\"%s\",method=\"%s\",route=\"%s\",status=\"%s\"} "
                "%lu\n",
                svc, methods[r], paths[r], code, v);
        }
    put(&t, "# HELP http_request_duration_seconds Time to answer, by route.\n"
            "# TYPE http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < nstats; r++) {
        unsigned long total = 0;
        for (size_t b = 0; b <= NBUCKETS; b++)
            total += __atomic_load_n(&stats[r].bucket[b], __ATOMIC_RELAXED);
        if (!total) continue;
        unsigned long cum = 0;
        for (size_t b = 0; b <= NBUCKETS; b++) {
            cum += __atomic_load_n(&stats[r].bucket[b], __ATOMIC_RELAXED);
            char le[16];
            if (b < NBUCKETS)
                snprintf(le, sizeof le, "%g", buckets[b]);
            else
                snprintf(le, sizeof le, "+Inf");
            put(&t,
                "http_request_duration_seconds_bucket{service=\"%s\",method=\"%s\",route=\"%s\","
                "le=\"%s\"} %lu\n",
                svc, methods[r], paths[r], le, cum);
        }
        put(&t,
            "http_request_duration_seconds_sum{service=\"%s\",method=\"%s\",route=\"%s\"} %.6f\n",
            svc, methods[r], paths[r],
            (double)__atomic_load_n(&stats[r].sum_us, __ATOMIC_RELAXED) / 1e6);
        put(&t,
            "http_request_duration_seconds_count{service=\"%s\",method=\"%s\",route=\"%s\"} "
            "%lu\n",
            svc, methods[r], paths[r], total);
    }
    put(&t,
        "# HELP db_pool_connections Open database connections (one per worker thread).\n"
        "# TYPE db_pool_connections gauge\ndb_pool_connections{service=\"%s\"} %ld\n"
        "# HELP db_pool_busy Connections running a statement now.\n"
        "# TYPE db_pool_busy gauge\ndb_pool_busy{service=\"%s\"} %ld\n"
        "# HELP db_errors_total Statements that failed.\n"
        "# TYPE db_errors_total counter\ndb_errors_total{service=\"%s\"} %ld\n",
        svc, db_connections_open(), svc, db_connections_busy(), svc, db_errors_total());
    return t.buf;
}
