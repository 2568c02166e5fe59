/* Collaboration graph of organisations and its metrics.
 *
 * Nodes are organisations (id, name, type, municipality, comarca). Edges are
 * undirected and carry a bitmask of the kinds of relation that produced them
 * and a weight (the number of relations of every kind between the two
 * organisations). Adoption flows are directed: each undirected edge also
 * counts the adoptions in each direction, and each node its adoptions given
 * (as origin / mentor) and taken (as adopter).
 *
 * Build with graph_add_node / graph_add_edge / graph_add_flow, then call
 * graph_build once: duplicate edges are merged and the adjacency is laid out
 * in compressed sparse rows (one offsets array, one neighbours array), which
 * is what every metric walks. */
#ifndef TRANSFER_GRAPH_H
#define TRANSFER_GRAPH_H

#include <stddef.h>

enum edge_kind {
    EDGE_PROJECT = 1u << 0,  /* co-participation in a project */
    EDGE_EVENT = 1u << 1,    /* shared attendance at a transfer event */
    EDGE_ADOPTION = 1u << 2, /* origin organisation -> adopter */
    EDGE_TIE = 1u << 3,      /* declared tie (agreement, contract, ...) */
};
#define EDGE_KIND_ALL   0xFu
#define EDGE_KIND_COUNT 4

/* Organisation groups used for brokerage. */
enum org_group {
    GROUP_PUBLIC,       /* municipality, public health and social services, governments */
    GROUP_PRIVATE,      /* company */
    GROUP_THIRD_SECTOR, /* third_sector */
    GROUP_KNOWLEDGE,    /* university, technology_centre */
    GROUP_OTHER,        /* other or unknown */
    GROUP_COUNT
};

typedef struct graph graph;

typedef struct {
    char *id;
    char *name;
    char *type; /* organisation type as in the projects service */
    char *municipality;
    char *comarca;
    enum org_group group;
    int adoptions_given; /* adoption flows leaving this node (as origin) */
    int adoptions_taken; /* adoption flows arriving at this node (as adopter) */
} graph_node;

typedef struct {
    int source; /* node index, source < target */
    int target;
    unsigned kinds;
    double weight;
    int flow_forward;  /* adoptions source -> target */
    int flow_backward; /* adoptions target -> source */
} graph_edge;

graph *graph_new(void);
void graph_free(graph *g);

/* Adds an organisation or returns the index of the existing one with the same
 * id (then fills in any attribute still missing). NULL strings are allowed
 * except id. Returns -1 on allocation failure or after graph_build. */
int graph_add_node(graph *g, const char *id, const char *name, const char *type,
                   const char *municipality, const char *comarca);
int graph_find_node(const graph *g, const char *id);

/* Adds weight to the undirected edge u-v and sets kinds on it. Self-loops are
 * ignored (returns 0). Returns -1 on bad index or allocation failure. */
int graph_add_edge(graph *g, int u, int v, unsigned kinds, double weight);

/* One adoption from origin to adopter: an EDGE_ADOPTION edge of weight 1 and
 * the directed flow counts. */
int graph_add_flow(graph *g, int origin, int adopter);

/* Merges duplicate edges and lays out the adjacency. Returns 0 or -1. */
int graph_build(graph *g);

size_t graph_node_count(const graph *g);
size_t graph_edge_count(const graph *g); /* after graph_build */
const graph_node *graph_node_at(const graph *g, size_t i);
const graph_edge *graph_edge_at(const graph *g, size_t i);

/* Neighbours of node u (after graph_build): *count entries, each a node index
 * (ascending) and the index of the edge that joins them. */
const int *graph_neighbours(const graph *g, int u, size_t *count, const int **edge_ids);

/* Kind name <-> bit ("project", "event", "adoption", "tie"). */
const char *edge_kind_name(unsigned kind_bit);
unsigned edge_kind_parse(const char *name); /* 0 if unknown */

enum org_group org_group_of_type(const char *type);
const char *org_group_name(enum org_group g);

/* Gould-Fernandez brokerage roles for undirected graphs. A node b brokers the
 * two-step path a - b - c when a and c are not adjacent; the role is set by
 * the groups of a, b and c:
 *   coordinator  all three in the same group
 *   itinerant    a and c in one group, b in another (consultant)
 *   gatekeeper   b shares its group with exactly one of a and c (the
 *                directed roles gatekeeper and representative coincide
 *                when ties have no direction)
 *   liaison      all three in different groups
 * Each unordered pair {a, c} counts once. */
enum brokerage_role {
    BROKER_COORDINATOR,
    BROKER_ITINERANT,
    BROKER_GATEKEEPER,
    BROKER_LIAISON,
    BROKER_ROLE_COUNT
};
const char *brokerage_role_name(enum brokerage_role r);

typedef struct {
    size_t nodes;
    size_t edges;
    double density; /* 2m / (n (n - 1)), 0 when n < 2 */
    /* Edges joining organisations of two different sectors among public, private and third
     * sector (knowledge and other organisations are not counted). */
    size_t cross_sector_edges;
    size_t isolates;        /* nodes of degree 0 */
    size_t components;      /* connected components */
    size_t *component_size; /* sizes, largest first */
    int *component;         /* component of each node (index into component_size) */
    int *degree;            /* distinct neighbours */
    double *weighted_degree;
    /* Betweenness on unweighted shortest paths (Brandes), normalised for an
     * undirected graph: divided by (n - 1)(n - 2) / 2, so a star's centre is 1. */
    double *betweenness;
    /* The part of betweenness that comes from pairs (s, t) whose organisations
     * belong to different groups, with the same normalisation. */
    double *cross_group_betweenness;
    /* Two-step brokerage counts per node and role (BROKER_ROLE_COUNT per node). */
    long *brokerage;
    long brokerage_total[BROKER_ROLE_COUNT];
} graph_metrics;

/* Computes every metric. Returns 0 or -1 (allocation failure); on failure m
 * holds nothing to free. */
int graph_metrics_compute(const graph *g, graph_metrics *m);
void graph_metrics_free(graph_metrics *m);

/* Cross-group brokerage of node i: the number of two-step brokerage pairs
 * in the itinerant, gatekeeper and liaison roles (all but coordinator). */
long graph_metrics_cross_brokerage(const graph_metrics *m, size_t i);

/* Node indices ranked as brokers: by cross-group betweenness, then
 * betweenness, then cross-group brokerage, then id. Writes at most k indices
 * to out and returns how many; nodes with no betweenness and no cross-group
 * brokerage are left out. */
size_t graph_top_brokers(const graph *g, const graph_metrics *m, size_t k, int *out);

#endif
