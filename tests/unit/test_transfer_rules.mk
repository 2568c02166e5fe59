UNIT_TESTS += test_transfer_rules
test_transfer_rules_SRCS := services/transfer/adoption_status.c services/transfer/diffusion.c
