/* Building the collaboration network from records, with its filters. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "network.h"

static void orgs(network *nw)
{
    ck_assert_int_eq(network_add_org(nw, "town", "Tolosa", "municipality", "Tolosa", "Tolosaldea"),
                     0);
    ck_assert_int_eq(network_add_org(nw, "ngo", "Matia", "third_sector", "Donostia / San Sebastián",
                                     "Donostialdea"),
                     0);
    ck_assert_int_eq(network_add_org(nw, "uni", "UPV/EHU", "university", "Leioa", "Bilbo Handia"),
                     0);
    ck_assert_int_eq(network_add_org(nw, "firm", "Care tech", "company", "Tolosa", "Tolosaldea"),
                     0);
}

static void records(network *nw)
{
    const char *p1[] = {"town", "ngo", "uni"};
    const char *p2[] = {"town", "ngo", "ngo"}; /* listed twice: counts once */
    const char *e1[] = {"town", "firm"};
    ck_assert_int_eq(network_add_project(nw, "2024-01-01", "2024-12-31", p1, 3), 0);
    ck_assert_int_eq(network_add_project(nw, "2025-01-01", NULL, p2, 3), 0);
    ck_assert_int_eq(network_add_event(nw, "2025-05-10", e1, 2), 0);
    ck_assert_int_eq(network_add_adoption(nw, "2025-06-01", "ngo", "firm"), 0);
    ck_assert_int_eq(network_add_tie(nw, "2020-01-01", "2021-12-31", "uni", "firm"), 0);
    /* an organisation the list did not have */
    ck_assert_int_eq(network_add_tie(nw, NULL, NULL, "town", "stranger"), 0);
}

static const graph_edge *edge_between(const graph *g, const char *a, const char *b)
{
    int u = graph_find_node(g, a), v = graph_find_node(g, b);
    if (u < 0 || v < 0) return NULL;
    for (size_t e = 0; e < graph_edge_count(g); e++) {
        const graph_edge *ed = graph_edge_at(g, e);
        if ((ed->source == u && ed->target == v) || (ed->source == v && ed->target == u)) return ed;
    }
    return NULL;
}

START_TEST(everything)
{
    network *nw = network_new(NULL);
    orgs(nw);
    records(nw);
    graph *g = network_finish(nw);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(graph_node_count(g), 5);
    /* town-ngo twice by projects, town-uni, ngo-uni, town-firm, ngo-firm, uni-firm, town-stranger
     */
    ck_assert_uint_eq(graph_edge_count(g), 7);
    const graph_edge *tn = edge_between(g, "town", "ngo");
    ck_assert_uint_eq(tn->kinds, EDGE_PROJECT);
    ck_assert_double_eq(tn->weight, 2.0);
    const graph_edge *nf = edge_between(g, "ngo", "firm");
    ck_assert_uint_eq(nf->kinds, EDGE_ADOPTION);
    ck_assert_int_eq(graph_node_at(g, (size_t)graph_find_node(g, "ngo"))->adoptions_given, 1);
    ck_assert_int_eq(graph_node_at(g, (size_t)graph_find_node(g, "firm"))->adoptions_taken, 1);
    ck_assert_uint_eq(edge_between(g, "town", "firm")->kinds, EDGE_EVENT);
    const graph_node *stranger = graph_node_at(g, (size_t)graph_find_node(g, "stranger"));
    ck_assert_ptr_null(stranger->name);
    ck_assert_int_eq(stranger->group, GROUP_OTHER);
    graph_free(g);
}
END_TEST

START_TEST(window)
{
    network_filter f = {.from = "2025-01-01", .to = "2025-05-31"};
    network *nw = network_new(&f);
    orgs(nw);
    records(nw);
    graph *g = network_finish(nw);
    /* kept: project 2 (open end), the event of May, the tie without dates */
    ck_assert_ptr_nonnull(edge_between(g, "town", "ngo"));
    ck_assert_double_eq(edge_between(g, "town", "ngo")->weight, 1.0);
    ck_assert_ptr_null(edge_between(g, "town", "uni")); /* project 1 ended in 2024 */
    ck_assert_ptr_nonnull(edge_between(g, "town", "firm"));
    ck_assert_ptr_null(edge_between(g, "ngo", "firm")); /* adoption in June */
    ck_assert_ptr_null(edge_between(g, "uni", "firm")); /* tie ended in 2021 */
    ck_assert_ptr_nonnull(edge_between(g, "town", "stranger"));
    ck_assert_uint_eq(graph_edge_count(g), 3);
    ck_assert_uint_eq(graph_node_count(g), 5); /* organisations stay, maybe isolated */
    graph_free(g);
}
END_TEST

START_TEST(types_comarca_kinds)
{
    network_filter f = {.types = {"municipality", "company"}, .ntypes = 2};
    network *nw = network_new(&f);
    orgs(nw);
    records(nw);
    graph *g = network_finish(nw);
    ck_assert_uint_eq(graph_node_count(g), 2); /* town, firm; no stranger of unknown type */
    ck_assert_uint_eq(graph_edge_count(g), 1);
    ck_assert_ptr_nonnull(edge_between(g, "town", "firm"));
    graph_free(g);

    network_filter c = {.comarca = "Tolosaldea"};
    nw = network_new(&c);
    orgs(nw);
    records(nw);
    g = network_finish(nw);
    ck_assert_uint_eq(graph_node_count(g), 2);
    ck_assert_int_lt(graph_find_node(g, "ngo"), 0);
    graph_free(g);

    network_filter k = {.kinds = EDGE_TIE | EDGE_ADOPTION};
    nw = network_new(&k);
    orgs(nw);
    records(nw);
    g = network_finish(nw);
    ck_assert_uint_eq(graph_edge_count(g), 3); /* ngo->firm, uni-firm, town-stranger */
    ck_assert_ptr_null(edge_between(g, "town", "ngo"));
    graph_free(g);
}
END_TEST

START_TEST(window_helpers)
{
    ck_assert(date_in_window("2025-01-01", "2025-01-01", "2025-01-01"));
    ck_assert(!date_in_window("2024-12-31", "2025-01-01", ""));
    ck_assert(!date_in_window("2025-01-02", "", "2025-01-01"));
    ck_assert(date_in_window(NULL, "2025-01-01", "2025-02-01"));
    ck_assert(span_overlaps_window("2024-01-01", "2025-01-01", "2025-01-01", NULL));
    ck_assert(!span_overlaps_window("2024-01-01", "2024-12-31", "2025-01-01", NULL));
    ck_assert(!span_overlaps_window("2026-01-01", NULL, NULL, "2025-12-31"));
    ck_assert(span_overlaps_window(NULL, NULL, "2025-01-01", "2025-12-31"));
}
END_TEST

static Suite *network_suite(void)
{
    Suite *s = suite_create("transfer_network");
    TCase *tc = tcase_create("network");
    tcase_add_test(tc, everything);
    tcase_add_test(tc, window);
    tcase_add_test(tc, types_comarca_kinds);
    tcase_add_test(tc, window_helpers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(network_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
