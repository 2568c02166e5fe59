UNIT_TESTS += test_likert
test_likert_SRCS := services/evaluation/likert.c
