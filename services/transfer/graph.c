/* Collaboration graph: construction, CSR layout and metrics. */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct graph {
    graph_node *nodes;
    size_t n, ncap;
    int *slots; /* open-addressing index of nodes by id, -1 when empty */
    size_t slot_cap;
    graph_edge *edges;
    size_t m, mcap;
    int built;
    int *offsets; /* n + 1 */
    int *adj;     /* 2m neighbour indices, ascending per node */
    int *adj_edge;
};

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

graph *graph_new(void)
{
    return calloc(1, sizeof(graph));
}

void graph_free(graph *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->n; i++) {
        free(g->nodes[i].id);
        free(g->nodes[i].name);
        free(g->nodes[i].type);
        free(g->nodes[i].municipality);
        free(g->nodes[i].comarca);
    }
    free(g->nodes);
    free(g->slots);
    free(g->edges);
    free(g->offsets);
    free(g->adj);
    free(g->adj_edge);
    free(g);
}

static size_t slot_of(const graph *g, const char *id)
{
    size_t mask = g->slot_cap - 1;
    size_t i = (size_t)hash_id(id) & mask;
    while (g->slots[i] >= 0 && strcmp(g->nodes[g->slots[i]].id, id) != 0)
        i = (i + 1) & mask;
    return i;
}

static int grow_slots(graph *g)
{
    size_t cap = g->slot_cap ? g->slot_cap * 2 : 64;
    int *slots = malloc(cap * sizeof(int));
    if (!slots) return -1;
    for (size_t i = 0; i < cap; i++)
        slots[i] = -1;
    free(g->slots);
    g->slots = slots;
    g->slot_cap = cap;
    for (size_t k = 0; k < g->n; k++)
        g->slots[slot_of(g, g->nodes[k].id)] = (int)k;
    return 0;
}

int graph_find_node(const graph *g, const char *id)
{
    if (!g || !id || g->slot_cap == 0) return -1;
    return g->slots[slot_of(g, id)];
}

static int fill_missing(char **field, const char *value)
{
    if (*field || !value) return 0;
    *field = strdup(value);
    return *field ? 0 : -1;
}

int graph_add_node(graph *g, const char *id, const char *name, const char *type,
                   const char *municipality, const char *comarca)
{
    if (!g || !id || g->built || g->n >= INT32_MAX - 1) return -1;
    int found = graph_find_node(g, id);
    if (found >= 0) {
        graph_node *nd = &g->nodes[found];
        if (fill_missing(&nd->name, name) || fill_missing(&nd->type, type) ||
            fill_missing(&nd->municipality, municipality) || fill_missing(&nd->comarca, comarca))
            return -1;
        if (type && nd->group == GROUP_OTHER) nd->group = org_group_of_type(nd->type);
        return found;
    }
    if ((g->n + 1) * 2 > g->slot_cap && grow_slots(g) != 0) return -1;
    if (g->n == g->ncap) {
        size_t cap = g->ncap ? g->ncap * 2 : 16;
        graph_node *nodes = realloc(g->nodes, cap * sizeof(graph_node));
        if (!nodes) return -1;
        g->nodes = nodes;
        g->ncap = cap;
    }
    graph_node nd = {0};
    nd.id = strdup(id);
    nd.name = dup_or_null(name);
    nd.type = dup_or_null(type);
    nd.municipality = dup_or_null(municipality);
    nd.comarca = dup_or_null(comarca);
    if (!nd.id || (name && !nd.name) || (type && !nd.type) || (municipality && !nd.municipality) ||
        (comarca && !nd.comarca)) {
        free(nd.id);
        free(nd.name);
        free(nd.type);
        free(nd.municipality);
        free(nd.comarca);
        return -1;
    }
    nd.group = org_group_of_type(type);
    int index = (int)g->n;
    g->nodes[g->n++] = nd;
    g->slots[slot_of(g, id)] = index;
    return index;
}

static int push_edge(graph *g, int u, int v, unsigned kinds, double weight, int fwd, int bwd)
{
    if (!g || g->built || u < 0 || v < 0 || (size_t)u >= g->n || (size_t)v >= g->n) return -1;
    if (u == v) return 0;
    if (g->m == g->mcap) {
        size_t cap = g->mcap ? g->mcap * 2 : 64;
        graph_edge *edges = realloc(g->edges, cap * sizeof(graph_edge));
        if (!edges) return -1;
        g->edges = edges;
        g->mcap = cap;
    }
    graph_edge e = {.kinds = kinds, .weight = weight};
    if (u < v) {
        e.source = u;
        e.target = v;
        e.flow_forward = fwd;
        e.flow_backward = bwd;
    } else {
        e.source = v;
        e.target = u;
        e.flow_forward = bwd;
        e.flow_backward = fwd;
    }
    g->edges[g->m++] = e;
    return 0;
}

int graph_add_edge(graph *g, int u, int v, unsigned kinds, double weight)
{
    return push_edge(g, u, v, kinds & EDGE_KIND_ALL, weight, 0, 0);
}

int graph_add_flow(graph *g, int origin, int adopter)
{
    if (origin == adopter) return 0;
    if (push_edge(g, origin, adopter, EDGE_ADOPTION, 1.0, 1, 0) != 0) return -1;
    g->nodes[origin].adoptions_given++;
    g->nodes[adopter].adoptions_taken++;
    return 0;
}

static int edge_cmp(const void *a, const void *b)
{
    const graph_edge *x = a, *y = b;
    if (x->source != y->source) return x->source < y->source ? -1 : 1;
    if (x->target != y->target) return x->target < y->target ? -1 : 1;
    return 0;
}

int graph_build(graph *g)
{
    if (!g || g->built) return -1;
    if (g->m > 0) qsort(g->edges, g->m, sizeof(graph_edge), edge_cmp);
    size_t m = 0;
    for (size_t i = 0; i < g->m; i++) {
        if (m > 0 && g->edges[m - 1].source == g->edges[i].source &&
            g->edges[m - 1].target == g->edges[i].target) {
            graph_edge *e = &g->edges[m - 1];
            e->kinds |= g->edges[i].kinds;
            e->weight += g->edges[i].weight;
            e->flow_forward += g->edges[i].flow_forward;
            e->flow_backward += g->edges[i].flow_backward;
        } else {
            g->edges[m++] = g->edges[i];
        }
    }
    g->m = m;
    g->offsets = calloc(g->n + 1, sizeof(int));
    g->adj = malloc((2 * m + 1) * sizeof(int));
    g->adj_edge = malloc((2 * m + 1) * sizeof(int));
    int *fill = calloc(g->n + 1, sizeof(int));
    if (!g->offsets || !g->adj || !g->adj_edge || !fill) {
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < m; i++) {
        g->offsets[g->edges[i].source + 1]++;
        g->offsets[g->edges[i].target + 1]++;
    }
    for (size_t i = 0; i < g->n; i++)
        g->offsets[i + 1] += g->offsets[i];
    /* Edges are sorted by (source, target), so each node receives first its
     * smaller neighbours (as target) and then its larger ones (as source), both
     * in ascending order: every adjacency row comes out sorted. */
    for (size_t i = 0; i < m; i++) {
        int s = g->edges[i].source, t = g->edges[i].target;
        int ps = g->offsets[s] + fill[s]++;
        int pt = g->offsets[t] + fill[t]++;
        g->adj[ps] = t;
        g->adj_edge[ps] = (int)i;
        g->adj[pt] = s;
        g->adj_edge[pt] = (int)i;
    }
    free(fill);
    g->built = 1;
    return 0;
}

size_t graph_node_count(const graph *g)
{
    return g ? g->n : 0;
}

size_t graph_edge_count(const graph *g)
{
    return g && g->built ? g->m : 0;
}

const graph_node *graph_node_at(const graph *g, size_t i)
{
    return g && i < g->n ? &g->nodes[i] : NULL;
}

const graph_edge *graph_edge_at(const graph *g, size_t i)
{
    return g && g->built && i < g->m ? &g->edges[i] : NULL;
}

const int *graph_neighbours(const graph *g, int u, size_t *count, const int **edge_ids)
{
    if (!g || !g->built || u < 0 || (size_t)u >= g->n) {
        *count = 0;
        if (edge_ids) *edge_ids = NULL;
        return NULL;
    }
    *count = (size_t)(g->offsets[u + 1] - g->offsets[u]);
    if (edge_ids) *edge_ids = g->adj_edge + g->offsets[u];
    return g->adj + g->offsets[u];
}

static const char *const kind_names[EDGE_KIND_COUNT] = {"project", "event", "adoption", "tie"};

const char *edge_kind_name(unsigned kind_bit)
{
    for (int i = 0; i < EDGE_KIND_COUNT; i++)
        if (kind_bit == 1u << i) return kind_names[i];
    return NULL;
}

unsigned edge_kind_parse(const char *name)
{
    for (int i = 0; name && i < EDGE_KIND_COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0) return 1u << i;
    return 0;
}

enum org_group org_group_of_type(const char *type)
{
    static const struct {
        const char *type;
        enum org_group group;
    } table[] = {
        {"municipality", GROUP_PUBLIC},           {"public_health", GROUP_PUBLIC},
        {"public_social_services", GROUP_PUBLIC}, {"provincial_government", GROUP_PUBLIC},
        {"regional_government", GROUP_PUBLIC},    {"company", GROUP_PRIVATE},
        {"third_sector", GROUP_THIRD_SECTOR},     {"university", GROUP_KNOWLEDGE},
        {"technology_centre", GROUP_KNOWLEDGE},
    };
    for (size_t i = 0; type && i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(type, table[i].type) == 0) return table[i].group;
    return GROUP_OTHER;
}

const char *org_group_name(enum org_group g)
{
    static const char *const names[GROUP_COUNT] = {"public", "private", "third_sector", "knowledge",
                                                   "other"};
    return (unsigned)g < GROUP_COUNT ? names[g] : "other";
}

const char *brokerage_role_name(enum brokerage_role r)
{
    static const char *const names[BROKER_ROLE_COUNT] = {"coordinator", "itinerant", "gatekeeper",
                                                         "liaison"};
    return (unsigned)r < BROKER_ROLE_COUNT ? names[r] : NULL;
}

/* ---- metrics ---- */

static int size_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

static int compute_components(const graph *g, graph_metrics *m, int *queue)
{
    size_t n = g->n;
    for (size_t i = 0; i < n; i++)
        m->component[i] = -1;
    size_t *sizes = malloc((n ? n : 1) * sizeof(size_t));
    if (!sizes) return -1;
    size_t count = 0;
    for (size_t s = 0; s < n; s++) {
        if (m->component[s] >= 0) continue;
        size_t head = 0, tail = 0;
        queue[tail++] = (int)s;
        m->component[s] = (int)count;
        while (head < tail) {
            int u = queue[head++];
            for (int k = g->offsets[u]; k < g->offsets[u + 1]; k++) {
                int w = g->adj[k];
                if (m->component[w] < 0) {
                    m->component[w] = (int)count;
                    queue[tail++] = w;
                }
            }
        }
        sizes[count++] = tail;
    }
    /* Renumber so that component 0 is the largest (ties: first discovered). */
    size_t *order = malloc((count ? count : 1) * sizeof(size_t));
    int *rank = malloc((count ? count : 1) * sizeof(int));
    if (!order || !rank) {
        free(order);
        free(rank);
        free(sizes);
        return -1;
    }
    for (size_t c = 0; c < count; c++)
        order[c] = c;
    /* stable selection by size, descending: counting is small, insertion sort */
    for (size_t i = 1; i < count; i++) {
        size_t x = order[i], j = i;
        while (j > 0 && sizes[order[j - 1]] < sizes[x]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (size_t r = 0; r < count; r++)
        rank[order[r]] = (int)r;
    for (size_t i = 0; i < n; i++)
        m->component[i] = rank[m->component[i]];
    qsort(sizes, count, sizeof(size_t), size_desc);
    free(order);
    free(rank);
    m->component_size = sizes;
    m->components = count;
    return 0;
}

/* Brandes' algorithm on unweighted shortest paths. For every source s a BFS
 * counts shortest paths (sigma) and records the arcs of the shortest-path DAG
 * in discovery order; walking those arcs backwards visits every node's
 * outgoing arcs before its incoming ones, so dependencies accumulate without
 * a second pass over the whole adjacency. The cross-group variant counts a
 * target w only when its group differs from the source's. */
static int compute_betweenness(const graph *g, graph_metrics *m)
{
    size_t n = g->n, arcs_cap = 2 * g->m + 1;
    int rc = -1;
    double *sigma = calloc(n, sizeof(double));
    double *inv_sigma = calloc(n, sizeof(double));
    double *delta = calloc(n, sizeof(double));
    double *delta_x = calloc(n, sizeof(double));
    int *dist = malloc(n * sizeof(int));
    int *order = malloc(n * sizeof(int));
    unsigned char *group = malloc(n);
    int *arc_from = malloc(arcs_cap * sizeof(int));
    int *arc_to = malloc(arcs_cap * sizeof(int));
    if (!sigma || !inv_sigma || !delta || !delta_x || !dist || !order || !group || !arc_from ||
        !arc_to)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        dist[i] = -1;
        group[i] = (unsigned char)g->nodes[i].group;
    }

    for (size_t s = 0; s < n; s++) {
        size_t head = 0, tail = 0, arcs = 0;
        order[tail++] = (int)s;
        dist[s] = 0;
        sigma[s] = 1.0;
        while (head < tail) {
            int u = order[head++];
            int next = dist[u] + 1;
            for (int k = g->offsets[u]; k < g->offsets[u + 1]; k++) {
                int w = g->adj[k];
                if (dist[w] < 0) {
                    dist[w] = next;
                    order[tail++] = w;
                }
                if (dist[w] == next) {
                    sigma[w] += sigma[u];
                    arc_from[arcs] = u;
                    arc_to[arcs++] = w;
                }
            }
        }
        for (size_t i = 0; i < tail; i++)
            inv_sigma[order[i]] = 1.0 / sigma[order[i]];
        unsigned char gs = group[s];
        while (arcs-- > 0) {
            int v = arc_from[arcs], w = arc_to[arcs];
            /* v takes sigma[v] / sigma[w] of everything w carries */
            double share = sigma[v] * inv_sigma[w];
            delta[v] += share * (1.0 + delta[w]);
            delta_x[v] += share * ((group[w] != gs ? 1.0 : 0.0) + delta_x[w]);
        }
        for (size_t i = 1; i < tail; i++) {
            int w = order[i];
            m->betweenness[w] += delta[w];
            m->cross_group_betweenness[w] += delta_x[w];
        }
        for (size_t i = 0; i < tail; i++) {
            int w = order[i];
            dist[w] = -1;
            sigma[w] = 0.0;
            delta[w] = 0.0;
            delta_x[w] = 0.0;
        }
    }
    /* Every unordered pair was counted from both ends: halve, then divide by
     * the (n - 1)(n - 2) / 2 pairs that exclude the node itself. */
    double scale = n > 2 ? 1.0 / ((double)(n - 1) * (double)(n - 2)) : 0.0;
    for (size_t i = 0; i < n; i++) {
        m->betweenness[i] *= scale;
        m->cross_group_betweenness[i] *= scale;
    }
    rc = 0;
cleanup:
    free(sigma);
    free(inv_sigma);
    free(delta);
    free(delta_x);
    free(dist);
    free(order);
    free(group);
    free(arc_from);
    free(arc_to);
    return rc;
}

static int adjacent(const graph *g, int a, int c)
{
    int lo = g->offsets[a], hi = g->offsets[a + 1];
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (g->adj[mid] == c) return 1;
        if (g->adj[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static enum brokerage_role role_of(enum org_group a, enum org_group b, enum org_group c)
{
    if (a == c) return b == a ? BROKER_COORDINATOR : BROKER_ITINERANT;
    return (b == a || b == c) ? BROKER_GATEKEEPER : BROKER_LIAISON;
}

static void compute_brokerage(const graph *g, graph_metrics *m)
{
    for (size_t b = 0; b < g->n; b++) {
        long *counts = m->brokerage + b * BROKER_ROLE_COUNT;
        enum org_group gb = g->nodes[b].group;
        for (int i = g->offsets[b]; i < g->offsets[b + 1]; i++) {
            int a = g->adj[i];
            for (int j = i + 1; j < g->offsets[b + 1]; j++) {
                int c = g->adj[j];
                if (adjacent(g, a, c)) continue;
                enum brokerage_role r = role_of(g->nodes[a].group, gb, g->nodes[c].group);
                counts[r]++;
                m->brokerage_total[r]++;
            }
        }
    }
}

static int is_sector(enum org_group x)
{
    return x == GROUP_PUBLIC || x == GROUP_PRIVATE || x == GROUP_THIRD_SECTOR;
}

/* Public-private, public-third sector or private-third sector. */
static int cross_sector(enum org_group a, enum org_group b)
{
    return is_sector(a) && is_sector(b) && a != b;
}

int graph_metrics_compute(const graph *g, graph_metrics *m)
{
    memset(m, 0, sizeof(*m));
    if (!g || !g->built) return -1;
    size_t n = g->n, alloc = n ? n : 1;
    m->nodes = n;
    m->edges = g->m;
    m->density = n > 1 ? 2.0 * (double)g->m / ((double)n * (double)(n - 1)) : 0.0;
    m->component = malloc(alloc * sizeof(int));
    m->degree = malloc(alloc * sizeof(int));
    m->weighted_degree = calloc(alloc, sizeof(double));
    m->betweenness = calloc(alloc, sizeof(double));
    m->cross_group_betweenness = calloc(alloc, sizeof(double));
    m->brokerage = calloc(alloc * BROKER_ROLE_COUNT, sizeof(long));
    int *queue = malloc(alloc * sizeof(int));
    if (!m->component || !m->degree || !m->weighted_degree || !m->betweenness ||
        !m->cross_group_betweenness || !m->brokerage || !queue)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        m->degree[i] = g->offsets[i + 1] - g->offsets[i];
        if (m->degree[i] == 0) m->isolates++;
    }
    for (size_t e = 0; e < g->m; e++) {
        m->weighted_degree[g->edges[e].source] += g->edges[e].weight;
        m->weighted_degree[g->edges[e].target] += g->edges[e].weight;
        if (cross_sector(g->nodes[g->edges[e].source].group, g->nodes[g->edges[e].target].group))
            m->cross_sector_edges++;
    }
    if (compute_components(g, m, queue) != 0) goto fail;
    if (compute_betweenness(g, m) != 0) goto fail;
    compute_brokerage(g, m);
    free(queue);
    return 0;
fail:
    free(queue);
    graph_metrics_free(m);
    return -1;
}

void graph_metrics_free(graph_metrics *m)
{
    if (!m) return;
    free(m->component_size);
    free(m->component);
    free(m->degree);
    free(m->weighted_degree);
    free(m->betweenness);
    free(m->cross_group_betweenness);
    free(m->brokerage);
    memset(m, 0, sizeof(*m));
}

long graph_metrics_cross_brokerage(const graph_metrics *m, size_t i)
{
    const long *c = m->brokerage + i * BROKER_ROLE_COUNT;
    return c[BROKER_ITINERANT] + c[BROKER_GATEKEEPER] + c[BROKER_LIAISON];
}

typedef struct {
    int index;
    double cross;
    double betweenness;
    long brokerage;
    const char *id;
} broker_key;

/* Doubles from Brandes carry rounding that depends on summation order; treat
 * values closer than this as equal so that ties fall to the next key. */
static int near(double a, double b)
{
    double d = a - b;
    return d < 1e-12 && d > -1e-12;
}

static int broker_cmp(const void *a, const void *b)
{
    const broker_key *x = a, *y = b;
    if (!near(x->cross, y->cross)) return x->cross > y->cross ? -1 : 1;
    if (!near(x->betweenness, y->betweenness)) return x->betweenness > y->betweenness ? -1 : 1;
    if (x->brokerage != y->brokerage) return x->brokerage > y->brokerage ? -1 : 1;
    return strcmp(x->id, y->id);
}

size_t graph_top_brokers(const graph *g, const graph_metrics *m, size_t k, int *out)
{
    if (!g || !m || k == 0 || g->n == 0) return 0;
    broker_key *keys = malloc(g->n * sizeof(broker_key));
    if (!keys) return 0;
    size_t count = 0;
    for (size_t i = 0; i < g->n; i++) {
        broker_key key = {(int)i, m->cross_group_betweenness[i], m->betweenness[i],
                          graph_metrics_cross_brokerage(m, i), g->nodes[i].id};
        if (key.cross > 1e-12 || key.betweenness > 1e-12 || key.brokerage > 0) keys[count++] = key;
    }
    qsort(keys, count, sizeof(broker_key), broker_cmp);
    if (count > k) count = k;
    for (size_t i = 0; i < count; i++)
        out[i] = keys[i].index;
    free(keys);
    return count;
}
