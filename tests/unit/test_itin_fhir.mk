UNIT_TESTS += test_itin_fhir
test_itin_fhir_SRCS := services/itineraries/fhir.c
