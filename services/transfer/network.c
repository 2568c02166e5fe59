/* The collaboration network: filters applied while records are added, then one graph. */
#include "network.h"

#include <stdlib.h>
#include <string.h>

struct network {
    network_filter filter;
    graph *g;
    int failed;
};

static int blank(const char *s)
{
    return !s || !*s;
}

int date_in_window(const char *date, const char *from, const char *to)
{
    if (blank(date)) return 1;
    if (!blank(from) && strcmp(date, from) < 0) return 0;
    if (!blank(to) && strcmp(date, to) > 0) return 0;
    return 1;
}

int span_overlaps_window(const char *start, const char *end, const char *from, const char *to)
{
    if (!blank(start) && !blank(to) && strcmp(start, to) > 0) return 0;
    if (!blank(end) && !blank(from) && strcmp(end, from) < 0) return 0;
    return 1;
}

network *network_new(const network_filter *filter)
{
    network *nw = calloc(1, sizeof(*nw));
    if (!nw) return NULL;
    if (filter) nw->filter = *filter;
    if (nw->filter.kinds == 0) nw->filter.kinds = EDGE_KIND_ALL;
    nw->g = graph_new();
    if (!nw->g) {
        free(nw);
        return NULL;
    }
    return nw;
}

void network_free(network *nw)
{
    if (!nw) return;
    graph_free(nw->g);
    free(nw);
}

static int type_kept(const network *nw, const char *type)
{
    if (nw->filter.ntypes == 0) return 1;
    if (!type) return 0;
    for (size_t i = 0; i < nw->filter.ntypes; i++)
        if (strcmp(nw->filter.types[i], type) == 0) return 1;
    return 0;
}

static int comarca_kept(const network *nw, const char *comarca)
{
    return !nw->filter.comarca || (comarca && strcmp(nw->filter.comarca, comarca) == 0);
}

int network_add_org(network *nw, const char *id, const char *name, const char *type,
                    const char *municipality, const char *comarca)
{
    if (!type_kept(nw, type) || !comarca_kept(nw, comarca)) return 0;
    if (graph_add_node(nw->g, id, name, type, municipality, comarca) < 0) {
        nw->failed = 1;
        return -1;
    }
    return 0;
}

/* Index of an organisation met in a record, or -1 when it is filtered out. An
 * organisation the list did not contain is added bare unless a filter needs its
 * type or comarca. */
static int node_of(network *nw, const char *id)
{
    if (blank(id)) return -1;
    int i = graph_find_node(nw->g, id);
    if (i >= 0) return i;
    if (nw->filter.ntypes > 0 || nw->filter.comarca) return -1;
    i = graph_add_node(nw->g, id, NULL, NULL, NULL, NULL);
    if (i < 0) nw->failed = 1;
    return i;
}

static int add_clique(network *nw, unsigned kind, const char *const *org_ids, size_t n)
{
    int *idx = malloc((n ? n : 1) * sizeof(int));
    if (!idx) {
        nw->failed = 1;
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int v = node_of(nw, org_ids[i]);
        if (v < 0) continue;
        int seen = 0; /* the same organisation listed twice counts once */
        for (size_t j = 0; j < k && !seen; j++)
            seen = idx[j] == v;
        if (!seen) idx[k++] = v;
    }
    int rc = 0;
    for (size_t i = 0; i < k && rc == 0; i++)
        for (size_t j = i + 1; j < k && rc == 0; j++)
            rc = graph_add_edge(nw->g, idx[i], idx[j], kind, 1.0);
    free(idx);
    if (rc != 0) nw->failed = 1;
    return rc;
}

int network_add_project(network *nw, const char *start, const char *end, const char *const *org_ids,
                        size_t n)
{
    if (!(nw->filter.kinds & EDGE_PROJECT)) return 0;
    if (!span_overlaps_window(start, end, nw->filter.from, nw->filter.to)) return 0;
    return add_clique(nw, EDGE_PROJECT, org_ids, n);
}

int network_add_event(network *nw, const char *held_on, const char *const *org_ids, size_t n)
{
    if (!(nw->filter.kinds & EDGE_EVENT)) return 0;
    if (!date_in_window(held_on, nw->filter.from, nw->filter.to)) return 0;
    return add_clique(nw, EDGE_EVENT, org_ids, n);
}

int network_add_adoption(network *nw, const char *started_on, const char *origin,
                         const char *adopter)
{
    if (!(nw->filter.kinds & EDGE_ADOPTION)) return 0;
    if (!date_in_window(started_on, nw->filter.from, nw->filter.to)) return 0;
    int a = node_of(nw, origin), b = node_of(nw, adopter);
    if (a < 0 || b < 0) return 0;
    if (graph_add_flow(nw->g, a, b) != 0) {
        nw->failed = 1;
        return -1;
    }
    return 0;
}

int network_add_tie(network *nw, const char *since, const char *until, const char *a, const char *b)
{
    if (!(nw->filter.kinds & EDGE_TIE)) return 0;
    if (!span_overlaps_window(since, until, nw->filter.from, nw->filter.to)) return 0;
    int u = node_of(nw, a), v = node_of(nw, b);
    if (u < 0 || v < 0) return 0;
    if (graph_add_edge(nw->g, u, v, EDGE_TIE, 1.0) != 0) {
        nw->failed = 1;
        return -1;
    }
    return 0;
}

graph *network_finish(network *nw)
{
    if (!nw) return NULL;
    graph *g = nw->g;
    int failed = nw->failed;
    free(nw);
    if (failed || graph_build(g) != 0) {
        graph_free(g);
        return NULL;
    }
    return g;
}
