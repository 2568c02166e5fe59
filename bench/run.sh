#!/usr/bin/env bash
# make bench: starts its own suite (own PostgreSQL cluster and ports), generates the data set in
# SQL, measures each workload with wrk on loopback against the references measured in the same
# run, prints one table and writes it as bench/results.json, then stops everything it started.
#
# Sizes and durations (environment):
#   BENCH_ORGS=10000 BENCH_PROJECTS=50000       projects schema
#   BENCH_PERSONS=200000 BENCH_EVENTS=2000000   itineraries schema, only when it has tables; the
#                                               issue's sizes (1000000, 10000000) take about 5 min
#                                               to generate on 2 cores, over the run's budget
#   BENCH_BULK_ROWS=100000                      W4 rows (NDJSON and COPY)
#   BENCH_RESPONSES=100000                      W5 questionnaire responses (13 items each)
#   BENCH_NET_NODES=1000 BENCH_NET_EDGES=10000  W6 network
#   BENCH_DURATION=10 BENCH_WARMUP=2            seconds per measured run / warm-up run
#   BENCH_CONNECTIONS=32 BENCH_WRK_THREADS=2    wrk and pgbench concurrency
#   BENCH_HEAVY_CONNECTIONS=2 BENCH_HEAVY_DURATION=2*BENCH_DURATION   W5 and W6 (long requests)
#   BENCH_PGBENCH_SCALE=10                      pgbench -i scale of the pgbench -S reference
#   BENCH_VAR_DIR=var/bench BENCH_PORT_BASE=28080 BENCH_FLAVOR=release BENCH_RESULTS=bench/results.json
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export VAR_DIR=${BENCH_VAR_DIR:-$ROOT/var/bench}
export PORT_BASE=${BENCH_PORT_BASE:-28080}
export FLAVOR=${BENCH_FLAVOR:-release}
export QUIET=1
ORGS=${BENCH_ORGS:-10000}
PROJECTS=${BENCH_PROJECTS:-50000}
PERSONS=${BENCH_PERSONS:-200000}
EVENTS=${BENCH_EVENTS:-2000000}
BULK_ROWS=${BENCH_BULK_ROWS:-100000}
RESPONSES=${BENCH_RESPONSES:-100000}
NET_NODES=${BENCH_NET_NODES:-1000}
NET_EDGES=${BENCH_NET_EDGES:-10000}
DUR=${BENCH_DURATION:-10}
WARM=${BENCH_WARMUP:-2}
CONN=${BENCH_CONNECTIONS:-32}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
HEAVY_CONN=${BENCH_HEAVY_CONNECTIONS:-2}
HEAVY_DUR=${BENCH_HEAVY_DURATION:-$((DUR * 2))}
PGB_SCALE=${BENCH_PGBENCH_SCALE:-10}
RESULTS=${BENCH_RESULTS:-$ROOT/bench/results.json}
RUN="bash deploy/local/run.sh"
BIN="$ROOT/build/$FLAVOR"
HELLO_PORT=$((PORT_BASE + 9))
GW="http://127.0.0.1:$PORT_BASE"
PJ="http://127.0.0.1:$((PORT_BASE + 1))"
HELLO="http://127.0.0.1:$HELLO_PORT"
W="$VAR_DIR/work"
ROWS="$W/rows.tsv" # name, kind, rps, p50_ms, p99_ms, errors, requests, note, load average
NOTES="$W/notes.txt"
MEM="$W/memory.tsv" # service, pid, rss_kb

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# One bench at a time per VAR_DIR.
mkdir -p "$VAR_DIR"
exec 8>"$VAR_DIR.lock"
flock 8

hello_pid=
cleanup() {
  if [ -n "$hello_pid" ] && kill -0 "$hello_pid" 2>/dev/null; then
    kill -TERM "$hello_pid" 2>/dev/null || true
    wait "$hello_pid" 2>/dev/null || true
  fi
  $RUN stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# ---- build the helpers (the services are built by `make bench`) ----
make --no-print-directory -s FLAVOR="$FLAVOR" bench-tools >&2
[ -x "$BIN/bin/projects" ] || { echo "missing $BIN/bin/projects: run make build" >&2; exit 1; }

# ---- a fresh suite ----
$RUN stop >/dev/null 2>&1 || true
rm -rf "$VAR_DIR/pg" "$VAR_DIR/log" "$VAR_DIR/run" "$VAR_DIR/secrets.env" "$W"
mkdir -p "$VAR_DIR/pg" "$W"
: > "$ROWS"
: > "$NOTES"
# PostgreSQL's port: run.sh derives PORT_BASE + 39272 when none is recorded, above 65535 for
# PORT_BASE 28080. Record one beside the suite's ports, below the ephemeral range (32768 and up)
# where an outgoing connection can hold it (run.sh moves on if it is taken).
echo $((PORT_BASE + 20)) > "$VAR_DIR/pg/port"
# The gateway's per-caller rate limit would measure the limiter, not the path: lift it.
cat > "$VAR_DIR/extra.env" <<EOF
RATE_LIMIT_PER_SECOND=100000000
RATE_LIMIT_BURST=100000000
EOF
note() { echo "$*" >> "$NOTES"; log "$*"; }

log "starting the suite (VAR_DIR=$VAR_DIR PORT_BASE=$PORT_BASE FLAVOR=$FLAVOR)"
if ! $RUN start >&2; then
  # A service that is not built yet (work in progress) must not stop the rest from being measured.
  note "run.sh start failed; starting the services that are built one by one"
  for s in projects itineraries evaluation transfer gateway; do
    [ -f "services/$s/main.c" ] && [ -x "$BIN/bin/$s" ] && { $RUN start-service "$s" >&2 || true; }
  done
fi
set -a
# shellcheck disable=SC1091
source "$VAR_DIR/secrets.env"
set +a
SU_URL=$($RUN superuser-url)
running() { [ -f "$VAR_DIR/run/$1.pid" ] && kill -0 "$(cat "$VAR_DIR/run/$1.pid")" 2>/dev/null; }
running projects || { echo "the projects service is not running; see $VAR_DIR/log/" >&2; exit 1; }
psql_su() { psql -X -q -v ON_ERROR_STOP=1 "$SU_URL" "$@"; }

# ---- data ----
t0=$(date +%s.%N)
log "generating $ORGS organisations and $PROJECTS projects"
psql_su -v orgs="$ORGS" -v projects="$PROJECTS" -f bench/gen_projects.sql >/dev/null
t1=$(date +%s.%N)
note "data: $ORGS organisations, $PROJECTS projects (one participant each) in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
if [ "$(psql_su -tAc "SELECT to_regclass('itineraries.persons') IS NOT NULL AND to_regclass('itineraries.events') IS NOT NULL")" = t ]; then
  log "generating $PERSONS persons and $EVENTS timeline events"
  psql_su -v persons="$PERSONS" -v events="$EVENTS" -f bench/gen_itineraries.sql >/dev/null
  t2=$(date +%s.%N)
  note "data: $PERSONS persons, $EVENTS timeline events in $(printf '%.1f' "$(echo "$t2 - $t1" | bc)") s"
else
  note "data: itineraries schema has no tables (service not built): persons and timeline events skipped"
fi

# ---- the HTTP stack reference: hello on the same bootstrap ----
PORT=$HELLO_PORT THREADS=${THREADS:-2} "$BIN/bench/hello" >> "$VAR_DIR/log/hello.log" 2>&1 &
hello_pid=$!
for _ in $(seq 1 50); do curl -fsS -o /dev/null "$HELLO/healthz" 2>/dev/null && break; sleep 0.1; done

# ---- tokens and sanity checks ----
ORG1=00000000-0000-4000-8000-000000000001
ITOKEN=$("$BIN/bench/benchtool" token projects admin "" 3600)
BULK_TOKEN=$("$BIN/bench/benchtool" token projects admin "$ORG1" 3600)
ONE=/v1/projects/10000000-0000-4000-8000-$(printf '%012x' 1)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ITOKEN" "$PJ$ONE")
[ "$code" = 200 ] || { echo "W2 sanity check: GET $PJ$ONE answered $code" >&2; exit 1; }
JWT=
if running gateway; then
  JWT=$($RUN token admin 2>/dev/null | tail -n1 || true)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $JWT" "$GW$ONE")
  if [ "$code" != 200 ]; then
    note "W1: the gateway answered $code to GET $ONE with an admin token: W1 skipped"
    JWT=
  fi
else
  note "W1: the gateway is not running (not built yet): W1 skipped"
fi

# ---- measurement helpers ----
# Rows carry the load average at their end: other work on the machine shows in it.
add_row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" "$(cut -d' ' -f1 /proc/loadavg)" >> "$ROWS"; }

# run_wrk NAME URL_BASE MODE N TOKEN PATH [DURATION]: one wrk run, one row (NAME empty: warm-up).
run_wrk() {
  local name=$1 base=$2 mode=$3 n=$4 token=$5 path=$6 dur=${7:-$DUR} out
  [ "$dur" -gt 0 ] || return 0
  local conn=${RUN_CONN:-$CONN} wait=${RUN_TIMEOUT:-5}
  out=$(timeout $((dur + wait + 30)) wrk -t "$WRK_THREADS" -c "$conn" -d "${dur}s" --timeout "${wait}s" \
    -s bench/wrk.lua "$base" -- "$mode" "$n" "$token" "$path" 2>&1) || true
  [ -n "$name" ] || return 0
  local line
  line=$(grep '^RESULT ' <<<"$out" | tail -n1 || true)
  if [ -z "$line" ]; then
    note "$name: wrk gave no result: $(tail -n2 <<<"$out" | tr '\n' ' ')"
    add_row "$name" http 0 0 0 -1 0 "no result"
    return 0
  fi
  local req dus p50 p99 errs
  req=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  dus=$(sed -E 's/.*duration_us=([0-9]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.*p50_us=([0-9]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99_us=([0-9]+).*/\1/' <<<"$line")
  errs=$(awk '{s=0; for (i=2;i<=NF;i++) if ($i ~ /^(connect|read|write|timeout|status)=/) {split($i,a,"="); s+=a[2]} print s}' <<<"$line")
  add_row "$name" http "$(echo "scale=1; $req * 1000000 / $dus" | bc)" \
    "$(echo "scale=3; $p50 / 1000" | bc)" "$(echo "scale=3; $p99 / 1000" | bc)" "$errs" "$req" ""
}

# run_pgbench NAME URL SEARCH_PATH [pgbench options...]: tps, latency percentiles from the
# transaction log.
run_pgbench() {
  local name=$1 url=$2 path=$3
  shift 3
  local dir="$W/pgbench-$name" out
  rm -rf "$dir" && mkdir -p "$dir"
  out=$(cd "$dir" && PGOPTIONS="-c search_path=$path" timeout $((DUR + 60)) \
    pgbench -n -M prepared -c "$CONN" -j "$WRK_THREADS" -T "$DUR" -l --sampling-rate=0.2 \
    "$@" "$url" 2>&1) || true
  local tps failed p50 p99
  tps=$(grep -Eo 'tps = [0-9.]+' <<<"$out" | tail -n1 | awk '{print $3}' || true)
  failed=$(grep -Eo 'number of failed transactions: [0-9]+' <<<"$out" | awk '{print $5}' || true)
  if [ -z "$tps" ]; then
    note "$name: pgbench gave no result: $(tail -n3 <<<"$out" | tr '\n' ' ')"
    add_row "$name" pgbench 0 0 0 -1 0 "no result"
    return 0
  fi
  read -r p50 p99 < <(cat "$dir"/pgbench_log.* | awk '{print $3}' | sort -n |
    awk '{a[NR] = $1}
         END {if (!NR) {print "0 0"; exit}
              i = int(NR * 0.5); if (i < 1) i = 1; j = int(NR * 0.99); if (j < 1) j = 1
              printf "%.3f %.3f\n", a[i] / 1000, a[j] / 1000}')
  add_row "$name" pgbench "$tps" "$p50" "$p99" "${failed:-0}" "" ""
  rm -rf "$dir"
}

declare -A PIDS
for f in "$VAR_DIR"/run/*.pid; do [ -f "$f" ] && PIDS[$(basename "$f" .pid)]=$(cat "$f"); done
PIDS[hello]=$hello_pid
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# snapshot LABEL: RSS of every process into $W/rss-LABEL.
snapshot() {
  local s
  for s in "${!PIDS[@]}"; do echo "$s $(rss_kb "${PIDS[$s]}")"; done | sort > "$W/rss-$1"
}
rss_at() { [ -f "$W/rss-$1" ] && awk -v s="$2" '$1 == s {print $2}' "$W/rss-$1" || true; }

# ---- references ----
log "reference: hello (same server bootstrap)"
run_wrk "" "$HELLO" fixed 1 - /hello "$WARM"
run_wrk hello "$HELLO" fixed 1 - /hello

log "reference: pgbench -S -M prepared (scale $PGB_SCALE)"
PGB_URL=${SU_URL%/*}/bench_pgbench
psql_su -c "DROP DATABASE IF EXISTS bench_pgbench" -c "CREATE DATABASE bench_pgbench" >/dev/null
pgbench -i -q -s "$PGB_SCALE" "$PGB_URL" >/dev/null 2>&1
run_pgbench pgbench-S "$PGB_URL" public -S
log "reference: pgbench with the W2 statement"
run_pgbench pgbench-W2sql "$SU_URL" projects -D nprojects="$PROJECTS" -f "$ROOT/bench/pgbench_project.sql"

# ---- W2 and W1: one project by id; two identical runs each for the leak check ----
log "W2: GET /v1/projects/{id} straight to the projects service"
run_wrk "" "$PJ" project "$PROJECTS" "$ITOKEN" / "$WARM"
snapshot w2-0
run_wrk "W2 run 1" "$PJ" project "$PROJECTS" "$ITOKEN" /
snapshot w2-1
run_wrk "W2 run 2" "$PJ" project "$PROJECTS" "$ITOKEN" /
snapshot w2-2
if [ -n "$JWT" ]; then
  log "W1: GET /v1/projects/{id} through the gateway"
  run_wrk "" "$GW" project "$PROJECTS" "$JWT" / "$WARM"
  snapshot w1-0
  run_wrk "W1 run 1" "$GW" project "$PROJECTS" "$JWT" /
  snapshot w1-1
  run_wrk "W1 run 2" "$GW" project "$PROJECTS" "$JWT" /
  snapshot w1-2
fi

# ---- W3: a list page at the start and deep in the keyset ----
log "W3: GET /v1/projects?limit=50, page 1 and a deep cursor"
deep_at=$((PROJECTS > 100 ? PROJECTS - 100 : 1))
read -r key id < <(psql_su -tA -F ' ' -c "SELECT projects.ts(created_at), id FROM projects.project ORDER BY created_at, id OFFSET $((deep_at - 1)) LIMIT 1")
CURSOR=$("$BIN/bench/benchtool" cursor created_at "$key" "$id")
code=$(curl -s -o "$W/deep.json" -w '%{http_code}' -H "Authorization: Bearer $ITOKEN" "$PJ/v1/projects?limit=50&cursor=$CURSOR")
[ "$code" = 200 ] && [ "$(jq '.items | length' "$W/deep.json")" -ge 1 ] ||
  note "W3: the deep cursor answered $code"
run_wrk "" "$PJ" fixed 1 "$ITOKEN" "/v1/projects?limit=50" "$WARM"
run_wrk "W3 page 1" "$PJ" fixed 1 "$ITOKEN" "/v1/projects?limit=50"
run_wrk "W3 deep (row $deep_at)" "$PJ" fixed 1 "$ITOKEN" "/v1/projects?limit=50&cursor=$CURSOR"

# ---- W4: NDJSON bulk ingest vs COPY of the same rows ----
log "W4: $BULK_ROWS organisations by NDJSON bulk and by COPY"
awk -v n="$BULK_ROWS" 'BEGIN { split("Bilbao Getxo Vitoria-Gasteiz", m, " ");
  for (i = 1; i <= n; i++)
    printf "{\"external_id\":\"bulk-%d\",\"name\":\"Bulk organisation %d\",\"type\":\"third_sector\",\"municipality\":\"%s\",\"website\":\"https://bulk%d.example.org\"}\n", i, i, m[1 + i % 3], i }' > "$W/bulk.ndjson"
awk -v n="$BULK_ROWS" -v org="$ORG1" 'BEGIN { split("Bilbao Getxo Vitoria-Gasteiz", m, " ");
  for (i = 1; i <= n; i++)
    printf "%s,copy-%d,Copy organisation %d,third_sector,%s,https://copy%d.example.org\n", org, i, i, m[1 + i % 3], i }' > "$W/copy.csv"
bulk_time=$(curl -s -o "$W/bulk.out" -w '%{time_total}' --max-time 900 -X POST \
  -H "Authorization: Bearer $BULK_TOKEN" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$W/bulk.ndjson" "$PJ/v1/organisations/bulk" || echo 0)
bulk_ok=$(grep -c '"status":20[01]' "$W/bulk.out" || true)
bulk_lines=$(wc -l < "$W/bulk.out")
[ "$bulk_lines" -eq "$BULK_ROWS" ] || note "W4: the bulk answer has $bulk_lines result lines for $BULK_ROWS"
t0=$(date +%s.%N)
PGOPTIONS="-c search_path=projects" psql_su -c "\\copy projects.organisation (owner_org, external_id, name, type, municipality, website) FROM '$W/copy.csv' CSV" >/dev/null
t1=$(date +%s.%N)
copy_time=$(echo "$t1 - $t0" | bc)
copied=$(psql_su -tAc "SELECT count(*) FROM projects.organisation WHERE external_id LIKE 'copy-%'")
rate() { if [ "$(echo "$2 > 0" | bc)" = 1 ]; then echo "scale=1; $1 / $2" | bc; else echo 0; fi; }
add_row "W4 NDJSON bulk" rows "$(rate "$bulk_ok" "$bulk_time")" "" "" $((BULK_ROWS - bulk_ok)) "$BULK_ROWS" "$(printf '%.2f s' "$bulk_time")"
add_row "W4 COPY (reference)" rows "$(rate "$copied" "$copy_time")" "" "" $((BULK_ROWS - copied)) "$BULK_ROWS" "$(printf '%.2f s' "$copy_time")"

# ---- W5: questionnaire results; W6: network metrics (loaders kept by the services) ----
# measure_route NAME SERVICE PORT PATH: sanity check, warm-up, one measured run.
measure_route() {
  local name=$1 svc=$2 port=$3 path=$4 token code
  token=$("$BIN/bench/benchtool" token "$svc" admin "" 3600)
  code=$(curl -s -o "$W/$svc.json" -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port$path")
  if [ "$code" != 200 ]; then
    note "$name: GET $path answered $code: skipped ($(head -c 200 "$W/$svc.json"))"
    return 0
  fi
  # Requests of a second or more: fewer connections and a longer timeout than the reads.
  RUN_CONN=$HEAVY_CONN RUN_TIMEOUT=60 run_wrk "" "http://127.0.0.1:$port" fixed 1 "$token" "$path" "$WARM"
  RUN_CONN=$HEAVY_CONN RUN_TIMEOUT=60 run_wrk "$name" "http://127.0.0.1:$port" fixed 1 "$token" "$path" "$HEAVY_DUR"
}
if running evaluation && [ -f services/evaluation/bench/load_campaign.sql ]; then
  log "W5: questionnaire results over $RESPONSES responses"
  t0=$(date +%s.%N)
  campaign=$(PGOPTIONS="-c search_path=evaluation" psql_su -tA -v n="$RESPONSES" \
    -f services/evaluation/bench/load_campaign.sql 2>>"$W/w5.err" | tail -n1 || true)
  t1=$(date +%s.%N)
  if [ -n "$campaign" ]; then
    note "data: W5 campaign of $RESPONSES responses in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
    measure_route "W5 results ($RESPONSES responses)" evaluation $((PORT_BASE + 3)) \
      "/v1/evaluation/campaigns/$campaign/results"
  else
    note "W5: the campaign loader failed: $(tail -n2 "$W/w5.err" | tr '\n' ' ')"
  fi
else
  note "W5: questionnaire results skipped: the evaluation service or its loader is missing"
fi
if running transfer && [ -f services/transfer/bench/gen_network.sql ]; then
  log "W6: network metrics on $NET_NODES nodes, $NET_EDGES ties"
  if psql_su -v n="$NET_NODES" -v m="$NET_EDGES" -f services/transfer/bench/gen_network.sql \
    >/dev/null 2>>"$W/w6.err"; then
    measure_route "W6 network metrics ($NET_NODES/$NET_EDGES)" transfer $((PORT_BASE + 4)) \
      "/v1/transfer/network/metrics?from=2030-01-01&to=2030-12-31&kinds=tie,event,adoption"
  else
    note "W6: the network loader failed: $(tail -n2 "$W/w6.err" | tr '\n' ' ')"
  fi
else
  note "W6: network metrics skipped: the transfer service or its loader is missing"
fi

# ---- memory after the run ----
snapshot end
: > "$MEM"
for s in $(printf '%s\n' "${!PIDS[@]}" | sort); do
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "${PIDS[$s]}" "$(rss_at end "$s")" \
    "$(rss_at w2-1 "$s")" "$(rss_at w2-2 "$s")" \
    "$(rss_at w1-1 "$s")" "$(rss_at w1-2 "$s")" \
    "$(rss_at w2-0 "$s")" "$(rss_at w1-0 "$s")" >> "$MEM"
done

note "machine: $(nproc) cores; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the table and results.json ----
python3 bench/report.py "$ROWS" "$MEM" "$NOTES" "$RESULTS" \
  "connections=$CONN wrk_threads=$WRK_THREADS duration_s=$DUR orgs=$ORGS projects=$PROJECTS bulk_rows=$BULK_ROWS responses=$RESPONSES network=$NET_NODES/$NET_EDGES pgbench_scale=$PGB_SCALE flavor=$FLAVOR cores=$(nproc)"
