UNIT_TESTS += test_gateway_parts
test_gateway_parts_SRCS := services/gateway/ratelimit.c services/gateway/siphash.c services/gateway/scopes.c services/gateway/breaker.c \
    services/gateway/cors.c services/gateway/policy.c services/gateway/policy_projects.c \
    services/gateway/secret.c
