#!/usr/bin/env bash
# Local suite: a private PostgreSQL cluster under $VAR_DIR/pg (unless DATABASE_URL is given), one
# database role and schema per service, every service started in the background.
#
#   run.sh start | stop | status | token ROLE ORG [SUB [PURPOSE]] | backup FILE | restore FILE | env
#
# VAR_DIR (default ./var), PORT_BASE (default 8080: gateway, then one port per service) and FLAVOR
# (release or asan) let tests and benchmarks run their own suite beside the one of `make run`.
set -euo pipefail
# Descriptors a caller holds (a test runner's lock, say) must not live on in the servers started
# here: close them.
for fd in 3 4 5 6 7 8 9; do eval "exec $fd>&-"; done
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VAR_DIR=${VAR_DIR:-var}
mkdir -p "$VAR_DIR"
VAR_DIR=$(cd "$VAR_DIR" && pwd)
PORT_BASE=${PORT_BASE:-8080}
FLAVOR=${FLAVOR:-release}
BIN="$ROOT/build/$FLAVOR/bin"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
PGDATA="$VAR_DIR/pg/data"
PGSOCK="$VAR_DIR/pg/run"
SECRETS="$VAR_DIR/secrets.env"
DB_NAME=care_hub

# Service order matters for start-up: the gateway last, once its upstreams answer.
ALL_SERVICES=(projects itineraries evaluation transfer gateway)
SERVICES=()
for s in "${ALL_SERVICES[@]}"; do [ -f "services/$s/main.c" ] && SERVICES+=("$s"); done

port_of() {
  case "$1" in
    gateway) echo $((PORT_BASE)) ;; projects) echo $((PORT_BASE + 1)) ;;
    itineraries) echo $((PORT_BASE + 2)) ;; evaluation) echo $((PORT_BASE + 3)) ;;
    transfer) echo $((PORT_BASE + 4)) ;;
  esac
}

random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

ensure_secrets() {
  [ -f "$SECRETS" ] && return
  # Only this file is private: the umask must not leak into the folders made afterwards.
  (
    umask 077
    {
      echo "INTERNAL_SECRET=$(random_secret)"
      echo "TOKEN_SECRET=$(random_secret)"
      echo "PG_SUPERUSER_PASSWORD=$(random_secret)"
      for s in "${ALL_SERVICES[@]}"; do echo "DB_PASSWORD_${s}=$(random_secret)"; done
    } > "$SECRETS"
  )
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_port() { cat "$VAR_DIR/pg/port"; }

pg_start() {
  [ -n "${DATABASE_URL:-}" ] && return
  mkdir -p "$VAR_DIR/pg"
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$PGDATA" ] && ! runuser -u postgres -- test -x "$VAR_DIR/pg"; then
    # The postgres user cannot reach this folder (a parent is private, e.g. /root): keep the
    # cluster's files where it can and link them here.
    local outside
    outside="/var/tmp/care-hub-pg/$(echo "$VAR_DIR" | md5sum | cut -c1-12)"
    rm -rf "$outside"
    mkdir -p "$outside/data" "$outside/run"
    chmod 755 /var/tmp/care-hub-pg
    chown -R postgres: "$outside"
    chmod 700 "$outside/data"
    ln -sfn "$outside/data" "$PGDATA"
    ln -sfn "$outside/run" "$PGSOCK"
  fi
  mkdir -p "$PGSOCK"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres system user.
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$VAR_DIR/pg"
    local pwfile
    pwfile="$(dirname "$(readlink -f "$PGDATA")")/.pw"
    ( umask 077; grep '^PG_SUPERUSER_PASSWORD=' "$SECRETS" | cut -d= -f2 > "$pwfile" )
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
    as_pg_owner "$PGBIN/initdb" -D "$(readlink -f "$PGDATA")" -U postgres --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    cat >> "$PGDATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$(readlink -f "$PGSOCK")'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
EOF
  fi
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PGSOCK"
  if as_pg_owner "$PGBIN/pg_ctl" -D "$(readlink -f "$PGDATA")" status >/dev/null 2>&1; then return; fi
  local port
  port=$( [ -f "$VAR_DIR/pg/port" ] && cat "$VAR_DIR/pg/port" || echo $((PORT_BASE + 100)) )
  while ! port_free "$port"; do port=$((port + 1)); done
  echo "$port" > "$VAR_DIR/pg/port"
  as_pg_owner "$PGBIN/pg_ctl" -D "$(readlink -f "$PGDATA")" -o "-p $port" -l "$(dirname "$(readlink -f "$PGDATA")")/server.log" -w -t 60 start >/dev/null
}

pg_stop() {
  [ -n "${DATABASE_URL:-}" ] && return
  [ -f "$PGDATA/PG_VERSION" ] || return 0
  local data
  data=$(readlink -f "$PGDATA")
  if ! as_pg_owner "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 &&
    [ -f "$data/postmaster.pid" ]; then
    kill -INT "$(head -n1 "$data/postmaster.pid")" 2>/dev/null || true
  fi
}

superuser_url() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; return; fi
  echo "postgresql://postgres:$PG_SUPERUSER_PASSWORD@127.0.0.1:$(pg_port)/$1"
}

service_db_url() {
  local s=$1 pw_var="DB_PASSWORD_$1"
  if [ -n "${DATABASE_URL:-}" ]; then
    # Same server as the given URL, the service's own role.
    local rest=${DATABASE_URL#*://}; rest=${rest#*@}
    echo "postgresql://svc_$s:${!pw_var}@$rest"
  else
    echo "postgresql://svc_$s:${!pw_var}@127.0.0.1:$(pg_port)/$DB_NAME"
  fi
}

db_bootstrap() {
  local admin
  admin=$(superuser_url postgres)
  if [ -z "${DATABASE_URL:-}" ]; then
    psql -q "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1 ||
      psql -q "$admin" -c "CREATE DATABASE $DB_NAME" >/dev/null
    admin=$(superuser_url "$DB_NAME")
  fi
  # One role per service, owning one schema; no role can use another's schema or public.
  local sql="SET client_min_messages = warning; REVOKE ALL ON SCHEMA public FROM PUBLIC; REVOKE ALL ON DATABASE $DB_NAME FROM PUBLIC;"
  for s in "${ALL_SERVICES[@]}"; do
    local pw_var="DB_PASSWORD_$s"
    sql+="
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'svc_$s') THEN
    CREATE ROLE svc_$s LOGIN PASSWORD '${!pw_var}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
  ELSE
    ALTER ROLE svc_$s PASSWORD '${!pw_var}';
  END IF;
END \$\$;
CREATE SCHEMA IF NOT EXISTS $s AUTHORIZATION svc_$s;
GRANT CONNECT ON DATABASE $DB_NAME TO svc_$s;
ALTER ROLE svc_$s SET search_path = $s;"
  done
  psql -q -v ON_ERROR_STOP=1 "$admin" -c "$sql" >/dev/null
}

service_env() {
  local s=$1
  echo "PORT=$(port_of "$s")"
  # Browser front-ends in development (Vite's default port); CORS_ORIGINS=... make run for others.
  [ "$s" = gateway ] && echo "CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:5173,http://127.0.0.1:5173}"
  echo "DATABASE_URL=$(service_db_url "$s")"
  echo "INTERNAL_SECRET=$INTERNAL_SECRET"
  # Only the gateway signs tokens of the API: a service holding its key could mint any identity.
  [ "$s" = gateway ] && echo "TOKEN_SECRET=$TOKEN_SECRET"
  for u in "${ALL_SERVICES[@]}"; do
    echo "$(echo "$u" | tr a-z A-Z)_URL=http://127.0.0.1:$(port_of "$u")"
  done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_service() {
  local s=$1 pidf="$VAR_DIR/run/$1.pid"
  mkdir -p "$VAR_DIR/run" "$VAR_DIR/log"
  if pid_alive "$pidf"; then return; fi
  [ -x "$BIN/$s" ] || { echo "missing $BIN/$s: run make build" >&2; exit 1; }
  port_free "$(port_of "$s")" || { echo "port $(port_of "$s") for $s is taken by another process" >&2; exit 1; }
  (
    # Each process gets its own settings only (service_env): no other service's database
    # password, and no TOKEN_SECRET outside the gateway.
    local own
    own=$(service_env "$s")
    unset TOKEN_SECRET PG_SUPERUSER_PASSWORD
    for u in "${ALL_SERVICES[@]}"; do unset "DB_PASSWORD_$u"; done
    set -a
    # shellcheck disable=SC1090
    source <(echo "$own")
    [ -f "$VAR_DIR/extra.env" ] && source "$VAR_DIR/extra.env"
    set +a
    exec "$BIN/$s" >> "$VAR_DIR/log/$s.log" 2>&1
  ) &
  echo $! > "$pidf"
}

wait_ready() {
  local s=$1 url="http://127.0.0.1:$(port_of "$1")/readyz"
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    pid_alive "$VAR_DIR/run/$s.pid" || { echo "$s exited; see $VAR_DIR/log/$s.log" >&2; tail -n 20 "$VAR_DIR/log/$s.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$s not ready after 60 s; see $VAR_DIR/log/$s.log" >&2
  return 1
}

# Stops one service: SIGTERM, up to 10 s to finish, then SIGKILL.
stop_service() {
  local pidf="$VAR_DIR/run/$1.pid"
  if pid_alive "$pidf"; then
    local pid
    pid=$(cat "$pidf")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidf"
}

stop_services() {
  for s in "${ALL_SERVICES[@]}"; do stop_service "$s"; done
}

mint_token() {
  local role=${1:-admin} org=${2:-} sub=${3:-} purpose=${4:-}
  set -a; source <(service_env gateway); set +a
  "$BIN/gateway" --mint-token "$role" "$org" "$sub" "$purpose"
}

load_env() {
  ensure_secrets
  set -a
  # shellcheck disable=SC1090
  source "$SECRETS"
  set +a
}

cmd=${1:-start}
case "$cmd" in
  start)
    load_env
    pg_start
    db_bootstrap
    for s in "${SERVICES[@]}"; do start_service "$s"; done
    for s in "${SERVICES[@]}"; do wait_ready "$s"; done
    # Demo hub data, pushed through the API (deploy/demo/); DEMO=0 skips it.
    if [ "${DEMO:-1}" != 0 ]; then bash deploy/local/demo.sh || echo "demo data not loaded" >&2; fi
    if [ "${QUIET:-0}" != 1 ]; then
      echo
      for s in "${SERVICES[@]}"; do printf '  %-12s http://127.0.0.1:%s\n' "$s" "$(port_of "$s")"; done
      echo "  logs         $VAR_DIR/log/"
      if [ -x "$BIN/gateway" ]; then
        echo
        echo "Gateway: http://127.0.0.1:$(port_of gateway)   (API reference: http://127.0.0.1:$(port_of gateway)/docs)"
        echo "Demo admin token (make token ROLE=... ORG=... mints others):"
        echo "  export TOKEN=$(mint_token admin '')"
        echo "  curl -H \"Authorization: Bearer \$TOKEN\" http://127.0.0.1:$(port_of gateway)/v1/hub/summary"
      fi
    fi
    ;;
  stop) load_env; stop_services; pg_stop ;;
  stop-services) load_env; stop_services ;;
  start-service) load_env; start_service "$2"; wait_ready "$2" ;;
  stop-service) stop_service "$2" ;;
  status)
    load_env
    for s in "${SERVICES[@]}"; do
      if pid_alive "$VAR_DIR/run/$s.pid"; then echo "$s running (pid $(cat "$VAR_DIR/run/$s.pid"))"; else echo "$s stopped"; fi
    done ;;
  env) load_env; service_env "${2:-gateway}" ;;
  superuser-url) load_env; superuser_url "$DB_NAME" ;;
  pg-port) pg_port ;;
  token) load_env; mint_token "${2:-}" "${3:-}" "${4:-}" "${5:-}" ;;
  backup)
    load_env
    file=${2:-$VAR_DIR/backup-$(date -u +%Y%m%dT%H%M%SZ).dump}
    pg_dump -Fc -f "$file" "$(superuser_url "$DB_NAME")"
    echo "$file" ;;
  restore)
    load_env
    [ -f "${2:-}" ] || { echo "usage: make restore FILE=path" >&2; exit 2; }
    pg_restore --clean --if-exists -d "$(superuser_url "$DB_NAME")" "$2" ;;
  *) echo "usage: $0 start|stop|status|token ROLE ORG|backup FILE|restore FILE" >&2; exit 2 ;;
esac
