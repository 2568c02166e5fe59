UNIT_TESTS += test_webhooks
test_webhooks_SRCS := services/gateway/whpolicy.c
