UNIT_TESTS += test_graph_export
test_graph_export_SRCS := services/transfer/export.c services/transfer/graph.c
