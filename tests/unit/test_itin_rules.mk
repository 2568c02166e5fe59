UNIT_TESTS += test_itin_rules
test_itin_rules_SRCS := services/itineraries/lifecycle.c services/itineraries/economics.c services/itineraries/risk.c services/itineraries/template_rules.c services/itineraries/instruments.c
