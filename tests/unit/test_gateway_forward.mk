UNIT_TESTS += test_gateway_forward
test_gateway_forward_SRCS := services/gateway/forward.c
