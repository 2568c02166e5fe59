#!/usr/bin/env bash
# Runs every test: C unit tests, then the API tests against a freshly started suite (its own
# PostgreSQL cluster and ports, sanitizer builds), then checks the services' logs for sanitizer
# reports. Ends with one summary line; exits non-zero on any failure.
# The whole script is one block: bash reads it entirely before running it, so editing this
# file while a run is going does not disturb that run.
{
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=build/asan
export VAR_DIR=${TEST_VAR_DIR:-$ROOT/var/test}
export PORT_BASE=${TEST_PORT_BASE:-18080}
export FLAVOR=asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
# One test run at a time per VAR_DIR: a second run waits for the first. flock -o keeps the lock in
# the flock process alone, so servers started by the run never inherit it.
if [ -z "${TEST_RUN_LOCKED:-}" ]; then
  mkdir -p "$(dirname "$VAR_DIR")"
  TEST_RUN_LOCKED=1 exec flock -o "$VAR_DIR.lock" bash tests/run.sh "$@"
fi
passed=0
failed=0
failures=()

record() { # name, exit code, log
  local name=$1 rc=$2 log=$3 p f
  p=$(grep -Eo '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n1)
  if [ -n "$p" ]; then
    local checks fails errs
    checks=$(echo "$p" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    fails=$(echo "$p" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    errs=$(echo "$p" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    f=$((fails + errs))
    passed=$((passed + checks - f))
    failed=$((failed + f))
  fi
  if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
    [ -z "$p" ] || [ "$f" -eq 0 ] && failed=$((failed + 1))
    failures+=("$name")
    echo "---- $name failed; its output:"
    grep -vE '^[0-9]+%: Checks' "$log" | grep -E 'F:|E:|ERROR|runtime error|Sanitizer|#[0-9]+ ' | head -n 60
  fi
}

mkdir -p "$VAR_DIR"
echo "== style (clang-format, cppcheck)"
if make -s lint > "$VAR_DIR/lint.log" 2>&1; then
  passed=$((passed + 1)); echo "  lint: clean"
else
  failed=$((failed + 1)); failures+=("lint"); head -n 30 "$VAR_DIR/lint.log"
fi

echo "== unit tests"
for t in "$OUT"/tests/test_*; do
  [ -x "$t" ] || continue
  log="$VAR_DIR/$(basename "$t").log"
  timeout 300 "$t" > "$log" 2>&1
  rc=$?
  grep -E '^[0-9]+%: Checks' "$log" | sed "s|^|  $(basename "$t"): |"
  record "$(basename "$t")" $rc "$log"
done

# Fuzz targets: a short bounded pass (FUZZ_CI_SECONDS per target, 0 skips it); see tests/fuzz/.
if [ "${FUZZ_CI_SECONDS:-2}" != 0 ] && [ -f tests/fuzz/run.sh ] && command -v clang >/dev/null; then
  echo "== fuzz (short pass)"
  FUZZ_SECONDS=${FUZZ_CI_SECONDS:-2} bash tests/fuzz/run.sh > "$VAR_DIR/fuzz.log" 2>&1 &&
    passed=$((passed + 1)) || { failed=$((failed + 1)); failures+=("fuzz"); tail -n 30 "$VAR_DIR/fuzz.log"; }
  tail -n 1 "$VAR_DIR/fuzz.log" | sed 's/^/  /'
fi

echo "== API tests"
bash deploy/local/run.sh stop >/dev/null 2>&1 || true
rm -rf "$VAR_DIR/pg" "$VAR_DIR/log" "$VAR_DIR/run" "$VAR_DIR/secrets.env"
# The API tests send far more than a client's normal rate; the limit itself is tested on a
# gateway of its own with tight settings. Housekeeping runs every second so that its test is quick.
printf 'RATE_LIMIT_PER_SECOND=5000\nRATE_LIMIT_BURST=20000\nHOUSEKEEPING_INTERVAL_S=1\n' > "$VAR_DIR/extra.env"
# Webhooks to the tests' local receiver, with retries in fractions of a second.
printf 'WEBHOOK_ALLOW_LOOPBACK=1\nWEBHOOK_POLL_MS=200\nWEBHOOK_RETRY_BASE_MS=100\nWEBHOOK_RETRY_WINDOW_S=3\n' >> "$VAR_DIR/extra.env"
if QUIET=1 bash deploy/local/run.sh start; then
  set -a
  source "$VAR_DIR/secrets.env"
  source <(bash deploy/local/run.sh env gateway)
  set +a
  # The gateway's own database URL is not the tests' business, and deploy/local/run.sh would take
  # it for an external server in the scripts the tests call.
  unset DATABASE_URL PORT
  export API_URL="http://127.0.0.1:$PORT_BASE"
  if [ -f services/gateway/main.c ]; then export GATEWAY_UP=1; else export GATEWAY_UP=0; fi
  # Ecosystem checks: the demo data that run.sh start loaded, and the deployment files.
  if [ -f tests/ecosystem/run.sh ]; then
    log="$VAR_DIR/ecosystem.log"
    DEMO_CHECK_SUITE=running timeout 900 bash tests/ecosystem/run.sh > "$log" 2>&1
    rc=$?
    eco=$(grep -E '^ecosystem: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
    echo "  ${eco:-ecosystem: no result}"
    p=$(echo "$eco" | sed -nE 's/.*: ([0-9]+) passed.*/\1/p')
    f=$(echo "$eco" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
      [ "${f:-0}" -gt 0 ] || failed=$((failed + 1))
      failures+=(ecosystem)
      echo "---- ecosystem failed; its output:"
      grep -E 'FAILED|SKIPPED' "$log" | head -n 40
    fi
  fi
  log="$VAR_DIR/api_tests.log"
  CK_FORK=no timeout 1200 "$OUT/tests/api_tests" > "$log" 2>&1
  rc=$?
  grep -E '^[0-9]+%: Checks' "$log" | sed 's|^|  api_tests: |'
  record api_tests $rc "$log"
  # Contract checks (scripts ending with a "name: N passed, M failed" line).
  for t in tests/contract/*.py; do
    [ -f "$t" ] || continue
    log="$VAR_DIR/$(basename "$t").log"
    python3 "$t" > "$log" 2>&1
    rc=$?
    line=$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
    echo "  $(basename "$t"): ${line:-no summary}"
    p=$(echo "$line" | sed -nE 's/.*: ([0-9]+) passed.*/\1/p'); f=$(echo "$line" | sed -nE 's/.*passed, ([0-9]+) failed.*/\1/p')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ]; then
      [ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
      failures+=("$(basename "$t")"); grep -E '^FAIL|Error|Traceback' "$log" | head -n 30
    fi
  done
  if [ "${LONG:-0}" = 1 ] && [ -d tests/long ]; then
    echo "== long fault tests"
    for t in tests/long/*.sh; do
      [ -f "$t" ] || continue
      log="$VAR_DIR/$(basename "$t").log"
      bash "$t" > "$log" 2>&1 && passed=$((passed + 1)) || { failed=$((failed + 1)); failures+=("$t"); tail -n 30 "$log"; }
      grep -h '^RESULT' "$log" | sed 's/^/  /'
    done
  fi
else
  failed=$((failed + 1))
  failures+=("suite start")
fi
bash deploy/local/run.sh stop >/dev/null 2>&1
# Services exit on SIGTERM: leak and UB reports land in their logs.
for f in "$VAR_DIR"/log/*.log; do
  [ -f "$f" ] || continue
  if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f"; then
    failed=$((failed + 1))
    failures+=("sanitizer: $(basename "$f")")
    echo "---- sanitizer report in $f"
    grep -A 30 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f" | head -n 60
  fi
done

# The bench harness on a tiny data set: proves it works end to end; asserts no timing.
if [ -f tests/bench_smoke.sh ] && [ "${BENCH_SMOKE:-1}" != 0 ]; then
  echo "== bench smoke"
  if bash tests/bench_smoke.sh > "$VAR_DIR/bench_smoke.log" 2>&1; then
    passed=$((passed + 1)); echo "  bench smoke: every workload answered"
  else
    failed=$((failed + 1)); failures+=("bench smoke"); tail -n 20 "$VAR_DIR/bench_smoke.log"
  fi
fi

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
exit
}
