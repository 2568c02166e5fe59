#!/usr/bin/env bash
# Every shell block of the README's "Getting started" section runs without error against the
# running suite (VAR_DIR/PORT_BASE, as tests/run.sh starts it), with the gateway's address put in
# place of the default one.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/ecosystem/lib.sh
BASE="http://127.0.0.1:${PORT_BASE:-8080}"
if ! curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
  echo "  SKIPPED: no running gateway at $BASE"
  finish readme_check
  exit
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$TMP" <<'PY'
import re, sys
text = open("README.md", encoding="utf-8").read()
section = text.split("\n## Getting started", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
for i, b in enumerate(blocks, 1):
    open(f"{sys.argv[1]}/block{i}.sh", "w").write(b)
print(len(blocks))
PY
n=$(ls "$TMP"/block*.sh 2>/dev/null | wc -l)
[ "$n" -ge 3 ] && ok "README has $n getting-started blocks" || fail "README getting-started blocks: $n"
for f in "$TMP"/block*.sh; do
  sed -i "s|http://127.0.0.1:8080|$BASE|g" "$f"
  # From the repository root, as a reader would run them.
  if out=$(bash -euo pipefail "$f" 2>&1); then
    ok "$(basename "$f") ran: $(echo "$out" | tail -n 1 | cut -c1-100)"
  else
    fail "$(basename "$f"): $(echo "$out" | tail -n 5)"
  fi
done
finish readme_check
