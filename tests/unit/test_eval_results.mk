UNIT_TESTS += test_eval_results
test_eval_results_SRCS := services/evaluation/results.c services/evaluation/likert.c
