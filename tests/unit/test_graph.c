/* Graph construction and metrics on small graphs with hand-checked values. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"

#define EPS 1e-9

#if defined(__SANITIZE_ADDRESS__)
#define GRAPH_TIME_BOUND_S 5.0
#else
#define GRAPH_TIME_BOUND_S 1.0
#endif

static int node(graph *g, const char *id, const char *type)
{
    int i = graph_add_node(g, id, id, type, NULL, NULL);
    ck_assert_int_ge(i, 0);
    return i;
}

static void edge(graph *g, const char *a, const char *b)
{
    ck_assert_int_eq(graph_add_edge(g, graph_find_node(g, a), graph_find_node(g, b), EDGE_TIE, 1.0),
                     0);
}

/* Builds a graph from "a-b c-d ..." with every node public unless typed. */
static graph *graph_of(const char *const *ids, size_t n, const char *edges)
{
    graph *g = graph_new();
    ck_assert_ptr_nonnull(g);
    for (size_t i = 0; i < n; i++)
        node(g, ids[i], "municipality");
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", edges);
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *dash = strchr(tok, '-');
        ck_assert_ptr_nonnull(dash);
        *dash = '\0';
        edge(g, tok, dash + 1);
    }
    ck_assert_int_eq(graph_build(g), 0);
    return g;
}

static double bc(const graph *g, const graph_metrics *m, const char *id)
{
    int i = graph_find_node(g, id);
    ck_assert_int_ge(i, 0);
    return m->betweenness[i];
}

/* Cross-sector edges: public-private, public-third sector and private-third sector count; edges
 * within a sector, or touching a university or an unknown organisation, do not. */
START_TEST(cross_sector_edges)
{
    graph *g = graph_new();
    ck_assert_ptr_nonnull(g);
    node(g, "mun", "municipality");
    node(g, "health", "public_health");
    node(g, "firm", "company");
    node(g, "ngo", "third_sector");
    node(g, "uni", "university");
    node(g, "who", NULL);
    edge(g, "mun", "health"); /* public - public */
    edge(g, "mun", "firm");   /* public - private: counts */
    edge(g, "health", "ngo"); /* public - third sector: counts */
    edge(g, "firm", "ngo");   /* private - third sector: counts */
    edge(g, "uni", "ngo");    /* knowledge - third sector */
    edge(g, "who", "mun");    /* other - public */
    ck_assert_int_eq(graph_build(g), 0);
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_uint_eq(m.edges, 6);
    ck_assert_uint_eq(m.cross_sector_edges, 3);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(path_graph)
{
    const char *ids[] = {"a", "b", "c", "d", "e"};
    graph *g = graph_of(ids, 5, "a-b b-c c-d d-e");
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_uint_eq(m.nodes, 5);
    ck_assert_uint_eq(m.edges, 4);
    /* 2 * 4 / (5 * 4) */
    ck_assert_double_eq_tol(m.density, 0.4, EPS);
    ck_assert_uint_eq(m.components, 1);
    ck_assert_uint_eq(m.component_size[0], 5);
    ck_assert_uint_eq(m.isolates, 0);
    int degrees[] = {1, 2, 2, 2, 1};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(m.degree[i], degrees[i]);
    /* b lies on a-c, a-d, a-e (3 of the 6 pairs without b); c on a-d, a-e, b-d, b-e. */
    ck_assert_double_eq_tol(bc(g, &m, "a"), 0.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "b"), 3.0 / 6.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "c"), 4.0 / 6.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "d"), 3.0 / 6.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "e"), 0.0, EPS);
    /* All public: no cross-group betweenness, only coordinator brokerage (b, c, d once each). */
    ck_assert_double_eq_tol(m.cross_group_betweenness[2], 0.0, EPS);
    ck_assert_int_eq(m.brokerage_total[BROKER_COORDINATOR], 3);
    ck_assert_int_eq(m.brokerage_total[BROKER_LIAISON], 0);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

/* Centre X (public) with leaves P1, P2 (public), T1, T2 (third sector), K1 (university). */
START_TEST(star_with_groups)
{
    graph *g = graph_new();
    node(g, "X", "regional_government");
    node(g, "P1", "municipality");
    node(g, "P2", "public_health");
    node(g, "T1", "third_sector");
    node(g, "T2", "third_sector");
    node(g, "K1", "university");
    const char *leaves[] = {"P1", "P2", "T1", "T2", "K1"};
    for (int i = 0; i < 5; i++)
        edge(g, "X", leaves[i]);
    ck_assert_int_eq(graph_build(g), 0);
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_double_eq_tol(m.density, 2.0 * 5 / (6.0 * 5), EPS);
    /* The centre is on every one of the C(5,2) = 10 leaf pairs. */
    ck_assert_double_eq_tol(bc(g, &m, "X"), 1.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "T1"), 0.0, EPS);
    /* 8 of those pairs join different groups (all but P1-P2 and T1-T2). */
    ck_assert_double_eq_tol(m.cross_group_betweenness[0], 0.8, EPS);
    /* P1-P2 coordinator; P*-T*, P*-K1 gatekeeper (6); T1-T2 itinerant; T*-K1 liaison (2). */
    const long *x = m.brokerage;
    ck_assert_int_eq(x[BROKER_COORDINATOR], 1);
    ck_assert_int_eq(x[BROKER_GATEKEEPER], 6);
    ck_assert_int_eq(x[BROKER_ITINERANT], 1);
    ck_assert_int_eq(x[BROKER_LIAISON], 2);
    ck_assert_int_eq(graph_metrics_cross_brokerage(&m, 0), 9);
    for (int i = 1; i < 6; i++) {
        ck_assert_int_eq(m.degree[i], 1);
        ck_assert_int_eq(graph_metrics_cross_brokerage(&m, i), 0);
    }
    ck_assert_int_eq(m.degree[0], 5);
    int top[6];
    ck_assert_uint_eq(graph_top_brokers(g, &m, 6, top), 1);
    ck_assert_int_eq(top[0], 0);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(two_components_and_isolate)
{
    const char *ids[] = {"a", "b", "c", "d", "e", "f"};
    graph *g = graph_of(ids, 6, "d-e a-b b-c c-a");
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_uint_eq(m.edges, 4);
    ck_assert_double_eq_tol(m.density, 8.0 / 30.0, EPS);
    ck_assert_uint_eq(m.components, 3);
    ck_assert_uint_eq(m.component_size[0], 3);
    ck_assert_uint_eq(m.component_size[1], 2);
    ck_assert_uint_eq(m.component_size[2], 1);
    /* Component 0 is the largest: the triangle. */
    ck_assert_int_eq(m.component[graph_find_node(g, "a")], 0);
    ck_assert_int_eq(m.component[graph_find_node(g, "c")], 0);
    ck_assert_int_eq(m.component[graph_find_node(g, "d")], 1);
    ck_assert_int_eq(m.component[graph_find_node(g, "f")], 2);
    ck_assert_uint_eq(m.isolates, 1);
    ck_assert_int_eq(m.degree[graph_find_node(g, "f")], 0);
    for (int i = 0; i < 6; i++)
        ck_assert_double_eq_tol(m.betweenness[i], 0.0, EPS);
    int top[6];
    ck_assert_uint_eq(graph_top_brokers(g, &m, 6, top), 0);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

/* Two triangles a-b-c and d-e-f joined through x: c - x - d. */
START_TEST(bridge_node)
{
    const char *ids[] = {"a", "b", "c", "x", "d", "e", "f"};
    graph *g = graph_of(ids, 7, "a-b b-c a-c c-x x-d d-e e-f d-f");
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    /* x is on all 3 * 3 pairs across the bridge, of (6 * 5) / 2 = 15 pairs. */
    ck_assert_double_eq_tol(bc(g, &m, "x"), 9.0 / 15.0, EPS);
    /* c is on every path from a or b to x, d, e, f: 2 * 4 = 8 pairs. */
    ck_assert_double_eq_tol(bc(g, &m, "c"), 8.0 / 15.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "d"), 8.0 / 15.0, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "a"), 0.0, EPS);
    ck_assert_double_eq_tol(m.density, 16.0 / 42.0, EPS);
    int top[2];
    ck_assert_uint_eq(graph_top_brokers(g, &m, 2, top), 2);
    ck_assert_str_eq(graph_node_at(g, top[0])->id, "x");
    ck_assert_str_eq(graph_node_at(g, top[1])->id, "c"); /* tie with d broken by id */
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

/* Krackhardt's kite: raw betweenness Heather 14, Fernando and Garth 8 1/3, Ike 8, Diane 3 2/3,
 * Andre and Beverly 5/6, normalised by (9 * 8) / 2 = 36 pairs. */
START_TEST(krackhardt_kite)
{
    const char *ids[] = {"andre",    "beverly", "carol",   "diane", "ed",
                         "fernando", "garth",   "heather", "ike",   "jane"};
    graph *g = graph_of(ids, 10,
                        "andre-beverly andre-carol andre-diane andre-fernando beverly-diane "
                        "beverly-ed beverly-garth carol-diane carol-fernando diane-ed "
                        "diane-fernando diane-garth ed-garth fernando-garth fernando-heather "
                        "garth-heather heather-ike ike-jane");
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_uint_eq(m.edges, 18);
    ck_assert_double_eq_tol(m.density, 0.4, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "heather"), 14.0 / 36, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "fernando"), (25.0 / 3) / 36, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "garth"), (25.0 / 3) / 36, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "ike"), 8.0 / 36, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "diane"), (11.0 / 3) / 36, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "andre"), (5.0 / 6) / 36, EPS);
    ck_assert_double_eq_tol(bc(g, &m, "jane"), 0.0, EPS);
    ck_assert_int_eq(m.degree[graph_find_node(g, "diane")], 6);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(merging_and_flows)
{
    graph *g = graph_new();
    int a = node(g, "a", "municipality");
    int b = node(g, "b", "third_sector");
    int c = graph_add_node(g, "c", NULL, NULL, NULL, NULL);
    /* Same id again: same index, missing attributes filled in, group recomputed. */
    ck_assert_int_eq(graph_add_node(g, "c", "C org", "university", "Tolosa", "Tolosaldea"), c);
    ck_assert_int_eq(graph_add_edge(g, a, b, EDGE_PROJECT, 1.0), 0);
    ck_assert_int_eq(graph_add_edge(g, b, a, EDGE_EVENT, 2.0), 0);
    ck_assert_int_eq(graph_add_flow(g, b, a), 0);
    ck_assert_int_eq(graph_add_flow(g, a, c), 0);
    ck_assert_int_eq(graph_add_edge(g, a, a, EDGE_TIE, 1.0), 0); /* self-loop ignored */
    ck_assert_int_eq(graph_add_edge(g, a, 7, EDGE_TIE, 1.0), -1);
    ck_assert_int_eq(graph_build(g), 0);
    ck_assert_int_eq(graph_add_node(g, "d", NULL, NULL, NULL, NULL), -1);

    ck_assert_uint_eq(graph_edge_count(g), 2);
    const graph_edge *ab = graph_edge_at(g, 0);
    ck_assert_int_eq(ab->source, a);
    ck_assert_int_eq(ab->target, b);
    ck_assert_uint_eq(ab->kinds, EDGE_PROJECT | EDGE_EVENT | EDGE_ADOPTION);
    ck_assert_double_eq_tol(ab->weight, 4.0, EPS);
    ck_assert_int_eq(ab->flow_forward, 0);
    ck_assert_int_eq(ab->flow_backward, 1);
    const graph_edge *ac = graph_edge_at(g, 1);
    ck_assert_int_eq(ac->target, c);
    ck_assert_int_eq(ac->flow_forward, 1);

    const graph_node *na = graph_node_at(g, a), *nc = graph_node_at(g, c);
    ck_assert_int_eq(na->adoptions_given, 1);
    ck_assert_int_eq(na->adoptions_taken, 1);
    ck_assert_str_eq(nc->name, "C org");
    ck_assert_str_eq(nc->comarca, "Tolosaldea");
    ck_assert_int_eq(nc->group, GROUP_KNOWLEDGE);

    size_t count;
    const int *edge_ids;
    const int *nb = graph_neighbours(g, a, &count, &edge_ids);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(nb[0], b);
    ck_assert_int_eq(nb[1], c);
    ck_assert_int_eq(edge_ids[1], 1);

    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_double_eq_tol(m.weighted_degree[a], 5.0, EPS);
    ck_assert_double_eq_tol(m.weighted_degree[b], 4.0, EPS);
    /* a brokers b (third sector) and c (knowledge) while public itself: liaison. */
    ck_assert_int_eq(m.brokerage[a * BROKER_ROLE_COUNT + BROKER_LIAISON], 1);
    ck_assert_double_eq_tol(m.betweenness[a], 1.0, EPS);
    ck_assert_double_eq_tol(m.cross_group_betweenness[a], 1.0, EPS);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(empty_and_tiny)
{
    graph *g = graph_new();
    ck_assert_int_eq(graph_build(g), 0);
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_uint_eq(m.nodes, 0);
    ck_assert_uint_eq(m.components, 0);
    ck_assert_double_eq_tol(m.density, 0.0, EPS);
    graph_metrics_free(&m);
    graph_free(g);

    const char *ids[] = {"a", "b"};
    g = graph_of(ids, 2, "a-b");
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    ck_assert_double_eq_tol(m.density, 1.0, EPS);
    ck_assert_double_eq_tol(m.betweenness[0], 0.0, EPS);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(names_and_groups)
{
    ck_assert_str_eq(edge_kind_name(EDGE_ADOPTION), "adoption");
    ck_assert_ptr_null(edge_kind_name(EDGE_PROJECT | EDGE_TIE));
    ck_assert_uint_eq(edge_kind_parse("tie"), EDGE_TIE);
    ck_assert_uint_eq(edge_kind_parse("ties"), 0);
    ck_assert_uint_eq(edge_kind_parse(NULL), 0);
    ck_assert_int_eq(org_group_of_type("public_social_services"), GROUP_PUBLIC);
    ck_assert_int_eq(org_group_of_type("company"), GROUP_PRIVATE);
    ck_assert_int_eq(org_group_of_type("technology_centre"), GROUP_KNOWLEDGE);
    ck_assert_int_eq(org_group_of_type("other"), GROUP_OTHER);
    ck_assert_int_eq(org_group_of_type(NULL), GROUP_OTHER);
    ck_assert_str_eq(org_group_name(GROUP_THIRD_SECTOR), "third_sector");
    ck_assert_str_eq(brokerage_role_name(BROKER_GATEKEEPER), "gatekeeper");
}
END_TEST

static uint32_t lcg(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* 1 000 organisations and 10 000 distinct edges: every metric well under a second (about 0.1 s in
 * the release build: make FLAVOR=release build/release/tests/test_graph). */
START_TEST(thousand_nodes_ten_thousand_edges)
{
    static const char *const types[] = {"municipality", "company", "third_sector", "university"};
    graph *g = graph_new();
    char id[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof(id), "org-%04d", i);
        ck_assert_int_eq(graph_add_node(g, id, id, types[i % 4], NULL, NULL), i);
    }
    uint32_t state = 42;
    unsigned char *seen = calloc(1000 * 1000, 1);
    int added = 0;
    while (added < 10000) {
        int u = (int)(lcg(&state) % 1000), v = (int)(lcg(&state) % 1000);
        if (u == v || seen[u * 1000 + v]) continue;
        seen[u * 1000 + v] = seen[v * 1000 + u] = 1;
        ck_assert_int_eq(graph_add_edge(g, u, v, EDGE_PROJECT, 1.0 + (u + v) % 3), 0);
        added++;
    }
    free(seen);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(graph_build(g), 0);
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    int top[10];
    ck_assert_uint_eq(graph_top_brokers(g, &m, 10, top), 10);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "graph metrics, 1000 nodes / 10000 edges: %.3f s\n", secs);
    ck_assert_uint_eq(m.edges, 10000);
    ck_assert_double_eq_tol(m.density, 20000.0 / (1000.0 * 999.0), EPS);
    long degree_sum = 0;
    for (int i = 0; i < 1000; i++)
        degree_sum += m.degree[i];
    ck_assert_int_eq(degree_sum, 20000);
    /* The sum of normalised betweenness times the pair count equals the sum over
     * connected pairs of (distance - 1); at least it must be positive and bounded. */
    for (int i = 0; i < 1000; i++) {
        ck_assert(m.betweenness[i] >= 0.0 && m.betweenness[i] <= 1.0);
        ck_assert(m.cross_group_betweenness[i] <= m.betweenness[i] + EPS);
    }
    /* The bound is for an optimised build; sanitizers slow this loop about threefold and the test
     * machine may be busy, so they get room that still catches a worse complexity. */
    ck_assert(secs < GRAPH_TIME_BOUND_S);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

static Suite *graph_suite(void)
{
    Suite *s = suite_create("graph");
    TCase *tc = tcase_create("metrics");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, path_graph);
    tcase_add_test(tc, cross_sector_edges);
    tcase_add_test(tc, star_with_groups);
    tcase_add_test(tc, two_components_and_isolate);
    tcase_add_test(tc, bridge_node);
    tcase_add_test(tc, krackhardt_kite);
    tcase_add_test(tc, merging_and_flows);
    tcase_add_test(tc, empty_and_tiny);
    tcase_add_test(tc, names_and_groups);
    tcase_add_test(tc, thousand_nodes_ten_thousand_edges);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(graph_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
