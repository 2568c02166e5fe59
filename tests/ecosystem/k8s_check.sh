#!/usr/bin/env bash
# deploy/k8s against the Kubernetes schemas, offline: kubernetes-models (the Kubernetes OpenAPI
# schemas compiled for validation) and TypeScript's checks on its interfaces, installed with npm
# from tests/ecosystem/k8s/package-lock.json into build/ecosystem/k8s/node_modules (once; later
# runs need no network). Also the Secrets that deploy/k8s/make-secrets.sh prints.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$ROOT/build/ecosystem/k8s
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "  FAILED: node and npm are needed (Debian packages nodejs, npm)"
  echo "k8s_check: 0 passed, 1 failed"
  exit 1
fi
mkdir -p "$WORK"
if ! cmp -s tests/ecosystem/k8s/package-lock.json "$WORK/package-lock.json" || [ ! -d "$WORK/node_modules/kubernetes-models" ]; then
  cp tests/ecosystem/k8s/package.json tests/ecosystem/k8s/package-lock.json "$WORK/"
  if ! (cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error > npm.log 2>&1); then
    echo "  FAILED: npm ci in $WORK: $(tail -n 5 "$WORK/npm.log")"
    rm -f "$WORK/package-lock.json"
    echo "k8s_check: 0 passed, 1 failed"
    exit 1
  fi
fi
cp tests/ecosystem/k8s/validate.mjs "$WORK/validate.mjs"
bash deploy/k8s/make-secrets.sh > "$WORK/generated-secrets.yaml"
out=$(node "$WORK/validate.mjs" "$ROOT/deploy/k8s" "$WORK/generated-secrets.yaml" 2>&1)
rc=$?
echo "$out" | grep -v '^k8s_validate:'
line=$(echo "$out" | grep -E '^k8s_validate: [0-9]+ passed, [0-9]+ failed' | tail -n1)
if [ -z "$line" ]; then
  echo "$out" | tail -n 20
  echo "k8s_check: 0 passed, 1 failed"
  exit 1
fi
echo "${line/k8s_validate/k8s_check}"
exit $rc
