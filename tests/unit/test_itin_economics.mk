UNIT_TESTS += test_itin_economics
test_itin_economics_SRCS := services/itineraries/economics.c
