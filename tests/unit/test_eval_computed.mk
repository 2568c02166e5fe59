UNIT_TESTS += test_eval_computed
test_eval_computed_SRCS := services/evaluation/hubsummary.c services/evaluation/sources.c
