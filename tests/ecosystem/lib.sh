# Shared by the ecosystem checks (sourced): counters, and the suite they run against.
#   suite_up NAME PORT_BASE DEMO   a fresh suite under var/ecosystem-NAME unless DEMO_CHECK_SUITE=running
#                                  (then the suite of VAR_DIR/PORT_BASE, already started); exports
#                                  the services' URLs and INTERNAL_SECRET
passed=0
failed=0
ok() { echo "  ok: $1"; passed=$((passed + 1)); }
fail() { echo "  FAILED: $1"; failed=$((failed + 1)); }
finish() { # name
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first base from $1 (in steps of 10) whose five service ports and PostgreSQL port (+100) are
# free: other suites may run on this machine.
free_base() {
  local base=$1 p taken
  for _ in $(seq 1 50); do
    taken=
    for p in $base $((base + 1)) $((base + 2)) $((base + 3)) $((base + 4)) $((base + 100)); do
      port_taken "$p" && { taken=1; break; }
    done
    [ -z "$taken" ] && { echo "$base"; return; }
    base=$((base + 10))
  done
  echo "$1"
}

suite_up() {
  local name=$1 port_base=$2 demo=$3
  if [ "${DEMO_CHECK_SUITE:-fresh}" != running ]; then
    export VAR_DIR=$ROOT/var/ecosystem-$name
    bash deploy/local/run.sh stop >/dev/null 2>&1 || true
    export PORT_BASE
    PORT_BASE=$(free_base "$port_base")
    export FLAVOR=${FLAVOR:-release}
    mkdir -p "$VAR_DIR"
    rm -rf "$VAR_DIR/pg" "$VAR_DIR/log" "$VAR_DIR/run" "$VAR_DIR/secrets.env"
    trap 'bash deploy/local/run.sh stop >/dev/null 2>&1' EXIT
    if ! DEMO=$demo QUIET=1 bash deploy/local/run.sh start; then
      fail "the suite did not start"
      finish "$name"
      exit 1
    fi
  fi
  set -a
  # shellcheck disable=SC1090
  source <(bash deploy/local/run.sh env gateway)
  set +a
}

gateway_up() {
  [ -f services/gateway/main.c ] && curl -fsS -o /dev/null "$GATEWAY_URL/readyz" 2>/dev/null
}
