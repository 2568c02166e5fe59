#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) and runs each for FUZZ_SECONDS (default 30),
# or, with FUZZ_RUNS, for that many executions each (at most FUZZ_MAX_SECONDS, default 6 hours,
# per target; fewer executions than asked count as a failure),
# starting from its seed corpus (tests/fuzz/corpus/<target>/) after replaying every input of
# tests/fuzz/regressions/<target>/ (past crashes, kept as regression tests). The working corpus and
# any crash land in build/fuzz/. Ends with one line of figures; exits non-zero on any crash.
#   FUZZ_SECONDS=5 bash tests/fuzz/run.sh            all targets, 5 s each
#   FUZZ_TARGETS="fuzz_jwt fuzz_bulk" bash tests/fuzz/run.sh
#   FUZZ_RUNS=10000000 bash tests/fuzz/run.sh        10 million executions of every target
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-30}
RUNS=${FUZZ_RUNS:-}
if [ -n "$RUNS" ]; then
  limit=(-runs="$RUNS")
  wall=${FUZZ_MAX_SECONDS:-21600}
  budget="$RUNS executions"
else
  limit=(-max_total_time="$SECONDS_EACH")
  wall=$((SECONDS_EACH + 60))
  budget="${SECONDS_EACH}s"
fi
OUT=build/fuzz
command -v clang >/dev/null || { echo "fuzz: clang is not installed" >&2; exit 1; }
make -s --no-print-directory fuzz-build >"$OUT.build.log" 2>&1 || { cat "$OUT.build.log"; exit 1; }
targets=${FUZZ_TARGETS:-$(ls "$OUT"/bin)}
total_runs=0
crashes=0
failed=()
mkdir -p "$OUT/crashes"
# libFuzzer's own leak check stays on; sanitizers stop at the first report.
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in $targets; do
  bin="$OUT/bin/$t"
  [ -x "$bin" ] || continue
  log="$OUT/$t.log"
  if [ -d "tests/fuzz/regressions/$t" ] && ls "tests/fuzz/regressions/$t"/* >/dev/null 2>&1; then
    if ! "$bin" -runs=1 "tests/fuzz/regressions/$t"/* >"$OUT/$t.regressions.log" 2>&1; then
      crashes=$((crashes + 1))
      failed+=("$t (regression)")
      grep -aE 'ERROR|runtime error|Running:|deadly' "$OUT/$t.regressions.log" | head -n 20
    fi
  fi
  corpus="$OUT/corpus/$t"
  mkdir -p "$corpus"
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  timeout "$wall" "$bin" "${dict[@]}" "${limit[@]}" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 -artifact_prefix="$OUT/crashes/$t-" \
    "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(grep -aEo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n1)
  total_runs=$((total_runs + ${runs:-0}))
  # libFuzzer counts the corpus it loads too: at least the executions asked for.
  if [ $rc -eq 0 ] && [ -n "$RUNS" ] && [ "${runs:-0}" -lt "$RUNS" ]; then
    failed+=("$t (stopped at ${runs:-0} executions)")
  fi
  if [ $rc -ne 0 ]; then
    crashes=$((crashes + 1))
    failed+=("$t")
    echo "---- $t: crash (rc $rc); input in $OUT/crashes/"
    grep -aE 'ERROR|runtime error|SUMMARY|#[0-9]+ .* in ' "$log" | head -n 25
  fi
  printf '  %-16s %10s executions%s\n' "$t" "${runs:-0}" "$([ $rc -ne 0 ] && echo ', CRASH')"
done
echo "fuzz: $(echo $targets | wc -w) targets, $budget each, $total_runs executions, $crashes crashing"
[ ${#failed[@]} -eq 0 ] || { echo "fuzz failures: ${failed[*]}"; exit 1; }
