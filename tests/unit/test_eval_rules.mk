UNIT_TESTS += test_eval_rules
test_eval_rules_SRCS := services/evaluation/values.c services/evaluation/questionnaires.c \
    services/evaluation/access.c services/evaluation/lang.c
