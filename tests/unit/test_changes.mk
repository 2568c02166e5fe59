UNIT_TESTS += test_changes
test_changes_SRCS := services/gateway/feed_cursor.c
