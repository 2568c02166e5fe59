#!/usr/bin/env bash
# Smoke run of `make bench` (bench/run.sh): the same code path on a tiny data set for one second
# per workload, on its own suite (sanitizer build, own cluster and ports). Proves that the harness
# works; asserts no timing. Exits non-zero when a workload gave no result or errors, or when a
# service logged a sanitizer report.
# Ports: BENCH_SMOKE_PORT_BASE when given; else the run's own base (PORT_BASE, as tests/run.sh
# exports it, or TEST_PORT_BASE) + 900, so that runs with their own bases never share ports (the
# bench suite takes that base up to +20; the test suite takes its base up to +100, a demo +500 and
# +600); 29080 when neither is set.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
export BENCH_VAR_DIR=${BENCH_SMOKE_VAR_DIR:-$ROOT/var/bench-smoke}
RUN_PORT_BASE=${PORT_BASE:-${TEST_PORT_BASE:-}}
export BENCH_PORT_BASE=${BENCH_SMOKE_PORT_BASE:-$([ -n "$RUN_PORT_BASE" ] && echo $((RUN_PORT_BASE + 900)) || echo 29080)}
export BENCH_FLAVOR=${BENCH_SMOKE_FLAVOR:-asan}
export BENCH_RESULTS=$BENCH_VAR_DIR/results.json
export BENCH_ORGS=50 BENCH_PROJECTS=200 BENCH_PERSONS=100 BENCH_EVENTS=1000 BENCH_BULK_ROWS=300
export BENCH_RESPONSES=200 BENCH_NET_NODES=50 BENCH_NET_EDGES=200 BENCH_HEAVY_DURATION=1
export BENCH_DURATION=1 BENCH_WARMUP=0 BENCH_CONNECTIONS=4 BENCH_WRK_THREADS=1 BENCH_PGBENCH_SCALE=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
rm -f "$BENCH_RESULTS"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! timeout 300 bash bench/run.sh > "$log" 2>&1; then
  tail -n 30 "$log"
  echo "bench smoke: bench/run.sh failed"
  exit 1
fi
fail=0
check() { # description, jq expression that must be true
  if ! jq -e "$2" "$BENCH_RESULTS" >/dev/null 2>&1; then
    echo "bench smoke: $1"
    fail=1
  fi
}
row() { echo "(.rows[] | select(.workload == \"$1\"))"; }
check "hello has no requests or has errors" "$(row hello) | .requests > 0 and .errors == 0"
check "pgbench -S gave no transactions" "$(row pgbench-S) | .rate > 0"
check "W2 has no requests or has errors" "[$(row 'W2 run 1'), $(row 'W2 run 2')] | length == 2 and all(.requests > 0 and .errors == 0)"
check "W1 has errors" "[$(row 'W1 run 1'), $(row 'W1 run 2')] | all(.requests > 0 and .errors == 0)"
check "W3 has no requests or has errors" "[.rows[] | select(.workload | startswith(\"W3\"))] | length == 2 and all(.requests > 0 and .errors == 0)"
check "W4 rows were refused or not written" "[.rows[] | select(.workload | startswith(\"W4\"))] | length == 2 and all(.errors == 0 and .rate > 0)"
check "memory was not read" ".memory | length > 0 and all(.rss_kb_end > 0)"
for f in "$BENCH_VAR_DIR"/log/*.log; do
  [ -f "$f" ] || continue
  if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f"; then
    echo "bench smoke: sanitizer report in $f"
    grep -A 20 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f" | head -n 40
    fail=1
  fi
done
[ "$fail" -eq 0 ] && echo "bench smoke: ok ($(jq -r '[.rows[] | "\(.workload) \(.rate)"] | join(", ")' "$BENCH_RESULTS"))"
exit "$fail"
