# Benchmark helpers, built by bench/run.sh (`make bench`):
#   hello      a trivial route on the common server bootstrap (the HTTP stack's ceiling)
#   benchtool  internal tokens (itoken_mint) and page cursors (page_cursor_encode) for the workloads
.PHONY: bench-tools
BENCH_TOOLS := $(OUT)/bench/hello $(OUT)/bench/benchtool
bench-tools: $(BENCH_TOOLS)

define bench_tool_template
$(OUT)/bench/$(1): $(OUT)/bench/$(1).o $(OUT)/libcommon.a
	@mkdir -p $$(@D)
	$$(CC) $(LDFLAGS_FLAVOR) -o $$@ $$^ $$(PKG_LIBS)
endef
$(foreach t,hello benchtool,$(eval $(call bench_tool_template,$(t))))
