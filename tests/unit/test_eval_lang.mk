UNIT_TESTS += test_eval_lang
test_eval_lang_SRCS := services/evaluation/lang.c
