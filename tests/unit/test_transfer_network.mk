UNIT_TESTS += test_transfer_network
test_transfer_network_SRCS := services/transfer/network.c services/transfer/graph.c
