UNIT_TESTS += test_sroi
test_sroi_SRCS := services/evaluation/sroi.c services/evaluation/sroi_report.c
