UNIT_TESTS += test_eval_scorecard
test_eval_scorecard_SRCS := services/evaluation/scorecard.c
