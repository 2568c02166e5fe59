UNIT_TESTS += test_instruments
test_instruments_SRCS := services/itineraries/instruments.c
