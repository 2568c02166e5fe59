UNIT_TESTS += test_transfer_routes
test_transfer_routes_SRCS := $(filter-out services/transfer/main.c,$(wildcard services/transfer/*.c))
