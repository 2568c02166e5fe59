#!/usr/bin/env bash
# The API documents and the reference page:
#   - every openapi/*.yaml passes Redocly's linter (no errors; @redocly/cli from npm, pinned);
#   - the gateway's /docs page renders in headless Chromium with no console or network error and
#     names every operation of the served /openapi.json, with no script or style fetched from
#     anywhere else.
# Runs against the suite of VAR_DIR/PORT_BASE when it answers (tests/run.sh), else checks only
# the documents.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/ecosystem/lib.sh

REDOCLY_VERSION=2.11.0
WORK=build/ecosystem/redocly
if command -v npm >/dev/null 2>&1; then
  mkdir -p "$WORK"
  if [ ! -x "$WORK/node_modules/.bin/redocly" ]; then
    (cd "$WORK" && npm install --no-audit --no-fund --loglevel=error --no-save \
      "@redocly/cli@$REDOCLY_VERSION" > npm.log 2>&1)
  fi
  if [ -x "$WORK/node_modules/.bin/redocly" ]; then
    for f in openapi/*.yaml; do
      if out=$("$WORK/node_modules/.bin/redocly" lint "$f" --format=summary 2>&1); then
        ok "$f passes redocly lint"
      else
        fail "$f: $(echo "$out" | grep -E '^(error|\[)' | head -n 5)"
      fi
    done
  else
    fail "could not install @redocly/cli@$REDOCLY_VERSION: $(tail -n 3 "$WORK/npm.log")"
  fi
else
  echo "  SKIPPED: npm not installed (Debian packages nodejs, npm)"
fi

BASE="http://127.0.0.1:${PORT_BASE:-8080}"
if ! curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
  echo "  SKIPPED: no running gateway at $BASE for the /docs page"
elif ! command -v chromium >/dev/null 2>&1; then
  echo "  SKIPPED: chromium not installed (Debian package chromium)"
else
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  curl -fsS "$BASE/openapi.json" > "$TMP/openapi.json" || fail "GET /openapi.json"
  curl -fsS "$BASE/docs" > "$TMP/docs.html" || fail "GET /docs"
  if grep -Eqi '<script[^>]+src=|<link[^>]+href="?https?:|@import|url\(https?:' "$TMP/docs.html"; then
    fail "/docs loads something from elsewhere"
  else
    ok "/docs is self-contained"
  fi
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$TMP/profile" --enable-logging=stderr --v=0 \
    --dump-dom "$BASE/docs" > "$TMP/dom.html" 2> "$TMP/chromium.log"
  rc=$?
  if [ "$rc" -ne 0 ] || [ ! -s "$TMP/dom.html" ]; then
    fail "chromium could not render /docs (exit $rc): $(tail -n 3 "$TMP/chromium.log")"
  else
    ok "/docs renders in headless Chromium"
    if grep -E 'CONSOLE|Uncaught|net::ERR_' "$TMP/chromium.log" | grep -v 'net::ERR_NAME_NOT_RESOLVED.*google' > "$TMP/errors"; then
      fail "/docs logged errors: $(head -n 3 "$TMP/errors")"
    else
      ok "/docs loads without console or network errors"
    fi
    missing=$(python3 - "$TMP/openapi.json" "$TMP/dom.html" <<'EOF'
import html, json, sys
doc = json.load(open(sys.argv[1]))
dom = html.unescape(open(sys.argv[2], encoding="utf-8").read())
ops = [(m.upper(), p) for p, item in doc.get("paths", {}).items() for m in item
       if m in ("get", "post", "put", "patch", "delete")]
missing = [f"{m} {p}" for m, p in ops if f"{m} {p}" not in dom]
print(len(ops), len(missing), "; ".join(missing[:5]))
EOF
)
    read -r total nmissing rest <<< "$missing"
    if [ "${nmissing:-1}" -eq 0 ] && [ "${total:-0}" -gt 0 ]; then
      ok "/docs lists all $total operations of /openapi.json"
    else
      fail "/docs misses $nmissing of $total operations: $rest"
    fi
  fi
fi
finish docs_check
