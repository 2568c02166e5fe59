# Care Ecosystems Hub API: build, run and test.
#   make run    install what is missing, start PostgreSQL under ./var, migrate, load demo, start services
#   make test   sanitizer build, unit tests, API tests against a fresh suite, closing summary
#   make stop   stop what make run started
SHELL := /bin/bash
.DEFAULT_GOAL := build

NPROC    := $(shell nproc 2>/dev/null || echo 2)
FLAVOR   ?= release
OUT      := build/$(FLAVOR)
SERVICES := $(sort $(notdir $(patsubst %/main.c,%,$(wildcard services/*/main.c))))
PKGS     := libulfius libmicrohttpd jansson libjwt libpq libcurl gnutls

CC       ?= cc
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
# Route rows may leave their trailing members (query, ctx) out: omitted members are NULL.
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Icommon
ifeq ($(FLAVOR),asan)
  CFLAGS_FLAVOR := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDFLAGS_FLAVOR := -fsanitize=address,undefined
else
  CFLAGS_FLAVOR := -O2 -g
  LDFLAGS_FLAVOR :=
endif
CFLAGS_ALL = $(CFLAGS_COMMON) $(CFLAGS_FLAVOR) $(PKG_CFLAGS) $(EXTRA_CFLAGS)

COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(OUT)/%.o)

.PHONY: build deps run stop test test-quick test-build test-long bench token fuzz lint format clean status backup restore

build: deps-check $(addprefix $(OUT)/bin/,$(SERVICES))

$(OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(OUT)/libcommon.a: $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# One binary per service: every .c in its folder, linked with the common library.
define service_template
$(OUT)/bin/$(1): $(patsubst %.c,$(OUT)/%.o,$(wildcard services/$(1)/*.c)) $(OUT)/libcommon.a
	@mkdir -p $$(@D)
	$$(CC) $(LDFLAGS_FLAVOR) -o $$@ $$^ $$(PKG_LIBS)
endef
$(foreach s,$(SERVICES),$(eval $(call service_template,$(s))))

# Unit tests: each tests/unit/*.mk adds a name to UNIT_TESTS and sets <name>_SRCS.
UNIT_TESTS :=
include $(wildcard tests/unit/*.mk)
# Benchmarks and fuzzers bring their own rules.
-include $(wildcard bench/*.mk tests/fuzz/*.mk)
define unit_template
$(OUT)/tests/$(1): $(OUT)/tests/unit/$(1).o $(patsubst %.c,$(OUT)/%.o,$($(1)_SRCS)) $(OUT)/libcommon.a
	@mkdir -p $$(@D)
	$$(CC) $(LDFLAGS_FLAVOR) -o $$@ $$^ $$(PKG_LIBS) $$(shell pkg-config --libs check)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_template,$(t))))

# API test runner: every tests/api/*.c, linked with its own small HTTP helper.
API_SRCS := $(wildcard tests/api/*.c)
$(OUT)/tests/api_tests: $(API_SRCS:%.c=$(OUT)/%.o) $(OUT)/libcommon.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_FLAVOR) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs check)

# Unit tests include the headers of the services they test.
$(OUT)/tests/unit/%.o: EXTRA_CFLAGS += $(addprefix -I,$(wildcard services/*)) -Itests/unit

-include $(shell find build -name '*.d' 2>/dev/null)

deps:
	@bash deploy/local/deps.sh

deps-check:
	@pkg-config --exists $(PKGS) check || bash deploy/local/deps.sh

run: deps
	@$(MAKE) --no-print-directory -j$(NPROC) build FLAVOR=release
	@bash deploy/local/run.sh start

stop:
	@bash deploy/local/run.sh stop

status:
	@bash deploy/local/run.sh status

token:
	@bash deploy/local/run.sh token "$(ROLE)" "$(ORG)" "$(SUB)" "$(PURPOSE)"

# Every test, the fault tests included (about 6 minutes of them); test-quick leaves those out.
test: deps test-build
	@LONG=1 bash tests/run.sh

test-quick: deps test-build
	@bash tests/run.sh

test-long: test

test-build:
	@$(MAKE) --no-print-directory -j$(NPROC) build FLAVOR=asan
	@$(MAKE) --no-print-directory -j$(NPROC) $(addprefix build/asan/tests/,$(UNIT_TESTS)) build/asan/tests/api_tests FLAVOR=asan

bench: deps
	@$(MAKE) --no-print-directory -j$(NPROC) build FLAVOR=release
	@bash bench/run.sh

fuzz: deps
	@bash tests/fuzz/run.sh

C_SOURCES = $(wildcard common/*.[ch] services/*/*.[ch] tests/*/*.[ch] bench/*.[ch])

lint:
	@clang-format --dry-run -Werror $(C_SOURCES)
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem -Icommon common services

format:
	@clang-format -i $(C_SOURCES)

backup:
	@bash deploy/local/run.sh backup "$(FILE)"

restore:
	@bash deploy/local/run.sh restore "$(FILE)"

clean:
	rm -rf build
