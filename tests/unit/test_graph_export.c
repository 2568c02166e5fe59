/* Exports: Cytoscape JSON shape and values; GraphML and GEXF well-formed,
 * parsed back with xmllint and compared with the graph they came from. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "graph.h"

#define EPS 1e-9

static const char *const tricky_name = "Caritas & \"Friends\" <Gipuzkoa> 'eu'";

/* org-1 (third sector, Donostia) - org-2 (municipality) by a project and an event,
 * plus an adoption org-2 -> org-1; org-2 - org-3 (university, no name) by a tie;
 * org-4 isolated. */
static graph *sample(void)
{
    graph *g = graph_new();
    int a = graph_add_node(g, "org-1", tricky_name, "third_sector", "Donostia / San Sebastián",
                           "Donostialdea");
    int b = graph_add_node(g, "org-2", "Bad\x01name\xff\ttab", "municipality", "Tolosa", NULL);
    int c = graph_add_node(g, "org-3", NULL, "university", NULL, NULL);
    graph_add_node(g, "org-4", "Lonely", "company", NULL, NULL);
    ck_assert_int_eq(graph_add_edge(g, a, b, EDGE_PROJECT, 1.0), 0);
    ck_assert_int_eq(graph_add_edge(g, a, b, EDGE_EVENT, 1.5), 0);
    ck_assert_int_eq(graph_add_flow(g, b, a), 0);
    ck_assert_int_eq(graph_add_edge(g, b, c, EDGE_TIE, 1.0), 0);
    ck_assert_int_eq(graph_build(g), 0);
    return g;
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/test_graph_export_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t len = strlen(text);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

/* Output of `xmllint --xpath expr file`, trailing newline removed. */
static char *xpath(const char *file, const char *expr)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "xmllint --xpath \"%s\" %s 2>/dev/null", expr, file);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    static char out[4096];
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    pclose(p);
    while (n > 0 && out[n - 1] == '\n')
        out[--n] = '\0';
    return out;
}

static void assert_well_formed(const char *file)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "xmllint --noout %s", file);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(escaping)
{
    char *s = xml_escape("a&b<c>\"'\t\n\x01\xff é");
    ck_assert_str_eq(s, "a&amp;b&lt;c&gt;&quot;&apos;&#9;&#10;\xEF\xBF\xBD\xEF\xBF\xBD é");
    free(s);
    /* overlong '/', a UTF-16 surrogate, U+FFFF, and a 4-byte emoji that is fine */
    s = xml_escape("\xC0\xAF|\xED\xA0\x80|\xEF\xBF\xBF|\xF0\x9F\x98\x80");
    ck_assert_str_eq(s, "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
                        "\xEF\xBF\xBD|\xF0\x9F\x98\x80");
    free(s);
    s = xml_escape("");
    ck_assert_str_eq(s, "");
    free(s);
    char buf[64];
    ck_assert_str_eq(edge_kinds_text(EDGE_PROJECT | EDGE_ADOPTION | EDGE_TIE, buf, sizeof(buf)),
                     "project,adoption,tie");
    ck_assert_str_eq(edge_kinds_text(0, buf, sizeof(buf)), "");
    ck_assert_str_eq(edge_kinds_text(EDGE_PROJECT | EDGE_EVENT, buf, 10), "project");
}
END_TEST

START_TEST(cytoscape)
{
    graph *g = sample();
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    json_t *doc = export_cytoscape(g, &m);
    ck_assert_ptr_nonnull(doc);
    json_t *nodes = json_object_get(doc, "nodes"), *edges = json_object_get(doc, "edges");
    ck_assert_uint_eq(json_array_size(nodes), 4);
    ck_assert_uint_eq(json_array_size(edges), 2);
    json_t *n1 = json_object_get(json_array_get(nodes, 0), "data");
    ck_assert_str_eq(json_string_value(json_object_get(n1, "id")), "org-1");
    ck_assert_str_eq(json_string_value(json_object_get(n1, "label")), tricky_name);
    ck_assert_str_eq(json_string_value(json_object_get(n1, "org_type")), "third_sector");
    ck_assert_str_eq(json_string_value(json_object_get(n1, "group")), "third_sector");
    ck_assert_str_eq(json_string_value(json_object_get(n1, "comarca")), "Donostialdea");
    ck_assert_int_eq(json_integer_value(json_object_get(n1, "adoptions_taken")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(n1, "degree")), 1);
    ck_assert_double_eq_tol(json_real_value(json_object_get(n1, "weighted_degree")), 3.5, EPS);
    /* org-2 sits between org-1 and org-3: 1 of the 3 pairs without it */
    json_t *n2 = json_object_get(json_array_get(nodes, 1), "data");
    ck_assert_double_eq_tol(json_real_value(json_object_get(n2, "betweenness")), 1.0 / 3, EPS);
    ck_assert_int_eq(json_integer_value(json_object_get(n2, "brokerage_liaison")), 1);
    ck_assert(json_is_null(json_object_get(n2, "comarca")));
    json_t *n3 = json_object_get(json_array_get(nodes, 2), "data");
    ck_assert_str_eq(json_string_value(json_object_get(n3, "label")), "org-3");
    json_t *n4 = json_object_get(json_array_get(nodes, 3), "data");
    ck_assert_int_eq(json_integer_value(json_object_get(n4, "component")), 1);

    json_t *e0 = json_object_get(json_array_get(edges, 0), "data");
    ck_assert_str_eq(json_string_value(json_object_get(e0, "id")), "e0");
    ck_assert_str_eq(json_string_value(json_object_get(e0, "source")), "org-1");
    ck_assert_str_eq(json_string_value(json_object_get(e0, "target")), "org-2");
    ck_assert_double_eq_tol(json_real_value(json_object_get(e0, "weight")), 3.5, EPS);
    json_t *kinds = json_object_get(e0, "kinds");
    ck_assert_uint_eq(json_array_size(kinds), 3);
    ck_assert_str_eq(json_string_value(json_array_get(kinds, 0)), "project");
    ck_assert_str_eq(json_string_value(json_array_get(kinds, 2)), "adoption");
    ck_assert_int_eq(json_integer_value(json_object_get(e0, "adoptions_target_to_source")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(e0, "adoptions_source_to_target")), 0);
    json_decref(doc);

    /* Without metrics, no metric attributes. */
    doc = export_cytoscape(g, NULL);
    n1 = json_object_get(json_array_get(json_object_get(doc, "nodes"), 0), "data");
    ck_assert_ptr_null(json_object_get(n1, "betweenness"));
    ck_assert_ptr_nonnull(json_object_get(n1, "municipality"));
    json_decref(doc);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(graphml_round_trip)
{
    graph *g = sample();
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    char *doc = export_graphml(g, &m);
    ck_assert_ptr_nonnull(doc);
    char *file = write_temp(doc);
    assert_well_formed(file);
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='node'])"), "4");
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='edge'])"), "2");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='graph']/@edgedefault)"), "undirected");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-1']/"
                                 "*[@key='n_label'])"),
                     tricky_name);
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-1']/"
                                 "*[@key='n_municipality'])"),
                     "Donostia / San Sebastián");
    /* control character and broken byte replaced, tab kept */
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-2']/"
                                 "*[@key='n_label'])"),
                     "Bad\xEF\xBF\xBDname\xEF\xBF\xBD\ttab");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-2']/"
                                 "*[@key='n_degree'])"),
                     "2");
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='node'][@id='org-2']/"
                                 "*[@key='n_comarca'])"),
                     "0");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='edge'][@source='org-1']/"
                                 "*[@key='e_weight'])"),
                     "3.5");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='edge'][@source='org-1']/"
                                 "*[@key='e_kinds'])"),
                     "project,event,adoption");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='key'][@id='n_betweenness']/"
                                 "@attr.type)"),
                     "double");
    unlink(file);
    free(file);
    free(doc);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(gexf_round_trip)
{
    graph *g = sample();
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    char *doc = export_gexf(g, &m);
    ck_assert_ptr_nonnull(doc);
    char *file = write_temp(doc);
    assert_well_formed(file);
    ck_assert_str_eq(xpath(file, "string(/*/@version)"), "1.3");
    ck_assert_str_eq(xpath(file, "namespace-uri(/*)"), "http://gexf.net/1.3");
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='nodes']/*)"), "4");
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='edges']/*)"), "2");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-1']/@label)"),
                     tricky_name);
    /* a tab in an attribute value survives attribute-value normalisation */
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-2']/@label)"),
                     "Bad\xEF\xBF\xBDname\xEF\xBF\xBD\ttab");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-1']//"
                                 "*[@for='org_type']/@value)"),
                     "third_sector");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-1']//"
                                 "*[@for='municipality']/@value)"),
                     "Donostia / San Sebastián");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='node'][@id='org-2']//"
                                 "*[@for='brokerage_liaison']/@value)"),
                     "1");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='edge'][@id='e0']/@weight)"), "3.5");
    ck_assert_str_eq(xpath(file, "string(//*[local-name()='edge'][@id='e1']/@target)"), "org-3");
    /* every attvalue refers to a declared attribute */
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='attvalue'][not(@for = "
                                 "//*[local-name()='attribute']/@id)])"),
                     "0");
    unlink(file);
    free(file);
    free(doc);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

START_TEST(empty_graph_exports)
{
    graph *g = graph_new();
    ck_assert_int_eq(graph_build(g), 0);
    char *doc = export_gexf(g, NULL);
    char *file = write_temp(doc);
    assert_well_formed(file);
    unlink(file);
    free(file);
    free(doc);
    doc = export_graphml(g, NULL);
    file = write_temp(doc);
    assert_well_formed(file);
    ck_assert_str_eq(xpath(file, "count(//*[local-name()='key'][@for='node'])"), "7");
    unlink(file);
    free(file);
    free(doc);
    graph_free(g);
}
END_TEST

START_TEST(metrics_summary)
{
    graph *g = sample();
    graph_metrics m;
    ck_assert_int_eq(graph_metrics_compute(g, &m), 0);
    json_t *doc = export_metrics_json(g, &m, 5);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "nodes")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "edges")), 2);
    ck_assert_double_eq_tol(json_real_value(json_object_get(doc, "density")), 4.0 / 12, EPS);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "components")), 2);
    json_t *sizes = json_object_get(doc, "component_sizes");
    ck_assert_int_eq(json_integer_value(json_array_get(sizes, 0)), 3);
    ck_assert_int_eq(json_integer_value(json_array_get(sizes, 1)), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "isolate_count")), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(doc, "isolates"), 0)),
                     "org-4");
    json_t *totals = json_object_get(doc, "brokerage_totals");
    ck_assert_int_eq(json_integer_value(json_object_get(totals, "liaison")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(totals, "coordinator")), 0);
    json_t *top = json_object_get(doc, "top_brokers");
    ck_assert_uint_eq(json_array_size(top), 1);
    json_t *b = json_array_get(top, 0);
    ck_assert_str_eq(json_string_value(json_object_get(b, "id")), "org-2");
    ck_assert_str_eq(json_string_value(json_object_get(b, "group")), "public");
    ck_assert_double_eq_tol(json_real_value(json_object_get(b, "cross_group_betweenness")), 1.0 / 3,
                            EPS);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(b, "brokerage"), "liaison")), 1);
    json_decref(doc);
    graph_metrics_free(&m);
    graph_free(g);
}
END_TEST

static Suite *export_suite(void)
{
    Suite *s = suite_create("graph_export");
    TCase *tc = tcase_create("export");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, escaping);
    tcase_add_test(tc, cytoscape);
    tcase_add_test(tc, graphml_round_trip);
    tcase_add_test(tc, gexf_round_trip);
    tcase_add_test(tc, empty_graph_exports);
    tcase_add_test(tc, metrics_summary);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(export_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
