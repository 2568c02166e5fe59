#!/usr/bin/env bash
# Ecosystem checks: the demo data set against a running suite, and the deployment files (compose,
# Kubernetes, observability). Each check script ends with "<name>: N passed, M failed"; this one
# adds them up and ends with "ecosystem: N passed, M failed".
#
#   DEMO_CHECK_SUITE=running run.sh   use the suite of VAR_DIR/PORT_BASE (as tests/run.sh does)
#   run.sh                            the demo check starts its own suite
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
for t in tests/ecosystem/*_check.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  echo "-- $name"
  out=$(bash "$t" 2>&1)
  rc=$?
  echo "$out"
  line=$(echo "$out" | grep -E "^$name: [0-9]+ passed, [0-9]+ failed" | tail -n1)
  p=$(echo "$line" | sed -nE 's/.*: ([0-9]+) passed.*/\1/p')
  f=$(echo "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
    echo "  FAILED: $name exited $rc"
    failed=$((failed + 1))
  fi
done
echo "ecosystem: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
