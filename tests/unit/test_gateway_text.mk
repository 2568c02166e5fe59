UNIT_TESTS += test_gateway_text
test_gateway_text_SRCS := services/gateway/tokreq.c services/gateway/openapi.c \
    services/gateway/docs.c services/gateway/policy.c services/gateway/policy_projects.c
