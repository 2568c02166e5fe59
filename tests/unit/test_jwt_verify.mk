UNIT_TESTS += test_jwt_verify
test_jwt_verify_SRCS := tests/unit/test_jwt_keys.c services/gateway/jwks.c \
    services/gateway/jwt_verify.c services/gateway/tokcache.c services/gateway/mint.c \
    services/gateway/scopes.c
