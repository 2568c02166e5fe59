UNIT_TESTS += test_eval_report
test_eval_report_SRCS := services/evaluation/report_csv.c services/evaluation/report_html.c \
    services/evaluation/report_text.c services/evaluation/textbuf.c services/evaluation/results.c \
    services/evaluation/likert.c
