UNIT_TESTS += test_jwt_jwks
test_jwt_jwks_SRCS := tests/unit/test_jwt_keys.c services/gateway/jwks.c \
    services/gateway/tokcache.c
