UNIT_TESTS += test_common
test_common_SRCS :=
