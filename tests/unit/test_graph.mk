UNIT_TESTS += test_graph
test_graph_SRCS := services/transfer/graph.c
