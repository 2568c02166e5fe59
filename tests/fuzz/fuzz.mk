# libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined), built apart from the gcc build:
#   make fuzz-build         every target under build/fuzz/bin
#   make fuzz               runs each for FUZZ_SECONDS, or FUZZ_RUNS executions (tests/fuzz/run.sh)
FUZZ_DIR     := build/fuzz
FUZZ_CC      ?= clang
FUZZ_SAN     := address,undefined
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -fno-sanitize-recover=undefined \
                -Icommon -Iservices/gateway -Iservices/projects -Itests/fuzz $(PKG_CFLAGS)
FUZZ_TARGETS := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_COMMON  := validate problem resource page b64url bulk idem token caller log
FUZZ_GATEWAY := $(if $(wildcard services/gateway/jwt_verify.c),jwt_verify jwks tokcache tokreq scopes)

.PHONY: fuzz-build
fuzz-build: $(addprefix $(FUZZ_DIR)/bin/,$(FUZZ_TARGETS))

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/libfuzzcommon.a: $(FUZZ_COMMON:%=$(FUZZ_DIR)/obj/common/%.o) $(FUZZ_DIR)/obj/tests/fuzz/fake.o
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(FUZZ_DIR)/libfuzzgw.a: $(FUZZ_GATEWAY:%=$(FUZZ_DIR)/obj/services/gateway/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# The projects service's field tables, which fuzz_validate and fuzz_bulk drive (projects_fields.h).
FUZZ_SERVICE := $(FUZZ_DIR)/obj/services/projects/fields.o

$(FUZZ_DIR)/bin/%: $(FUZZ_DIR)/obj/tests/fuzz/%.o $(FUZZ_SERVICE) $(FUZZ_DIR)/libfuzzgw.a $(FUZZ_DIR)/libfuzzcommon.a
	@mkdir -p $(@D)
	$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^ $(PKG_LIBS)

# Headers of the fuzz sources.
$(FUZZ_DIR)/obj/tests/fuzz/%.o: $(wildcard tests/fuzz/*.h common/*.h) services/projects/fields.h
