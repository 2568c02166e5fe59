UNIT_TESTS += test_gateway_policy
test_gateway_policy_SRCS := services/gateway/policy.c $(wildcard services/gateway/policy_*.c)
