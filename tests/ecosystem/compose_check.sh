#!/usr/bin/env bash
# docker-compose.yml and deploy/docker/: the compose file resolves with `docker-compose config` and
# has the shape the suite needs (five services and PostgreSQL, health checks, depends_on, only the
# gateway published, secrets required); the Dockerfile builds every service on Debian bookworm and
# runs it as a non-root user; the database bootstrap of the postgres image really lets each built
# service, run from the files its image holds, migrate and answer /readyz under its own role, and
# keeps roles out of others' schemas.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
FLAVOR=${FLAVOR:-release}
BIN=$ROOT/build/$FLAVOR/bin
SERVICES=(gateway projects itineraries evaluation transfer)
passed=0
failed=0
ok() { echo "  ok: $1"; passed=$((passed + 1)); }
fail() { echo "  FAILED: $1"; failed=$((failed + 1)); }
TMP=$(mktemp -d)
chmod 755 "$TMP"
PGPID=
cleanup() {
  [ -n "$PGPID" ] && as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# A free port below the ephemeral range (where client sockets would come and take it).
free_port() {
  python3 -c 'import random, socket
for _ in range(200):
    p = random.randint(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break'
}

bash deploy/docker/secrets.sh > "$TMP/secrets.env"

# --- compose file
if ! command -v docker-compose >/dev/null; then
  echo "  SKIPPED: docker-compose not installed (Debian package docker-compose)"
else
  if docker-compose --env-file "$TMP/secrets.env" config > "$TMP/compose.yml" 2> "$TMP/compose.err"; then
    ok "docker-compose config resolves the file"
  else
    fail "docker-compose config: $(head -c 400 "$TMP/compose.err")"
  fi
  if (env -i PATH="$PATH" HOME="$TMP" docker-compose --env-file /dev/null config >/dev/null 2>&1); then
    fail "docker-compose config accepts the file without secrets"
  else
    ok "secrets are required (no default passwords)"
  fi
  if msg=$(python3 - "$TMP/compose.yml" <<'EOF'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
svcs = c["services"]
bad = []
five = ["gateway", "projects", "itineraries", "evaluation", "transfer"]
if sorted(svcs) != sorted(five + ["postgres"]):
    bad.append("services are %s" % sorted(svcs))
pg = svcs.get("postgres", {})
if not pg.get("image", "").startswith("postgres:") or "healthcheck" not in pg:
    bad.append("postgres: image or healthcheck missing")
if not any(v.endswith("/docker-entrypoint-initdb.d:ro") for v in pg.get("volumes", [])
           if isinstance(v, str)) and not any(
           isinstance(v, dict) and v.get("target") == "/docker-entrypoint-initdb.d"
           for v in pg.get("volumes", [])):
    bad.append("postgres: no bootstrap in docker-entrypoint-initdb.d")
for s in five:
    d = svcs.get(s, {})
    hc = " ".join(d.get("healthcheck", {}).get("test", []))
    if "/readyz" not in hc:
        bad.append("%s: health check does not ask /readyz" % s)
    dep = d.get("depends_on", {})
    if dep.get("postgres", {}).get("condition") != "service_healthy":
        bad.append("%s: does not wait for a healthy postgres" % s)
    if d.get("build", {}).get("target") != s:
        bad.append("%s: build target is %r" % (s, d.get("build", {}).get("target")))
    env = d.get("environment", {})
    if ("svc_%s:" % s) not in env.get("DATABASE_URL", ""):
        bad.append("%s: does not connect as svc_%s" % (s, s))
    if len(env.get("INTERNAL_SECRET", "")) < 32:
        bad.append("%s: INTERNAL_SECRET missing" % s)
    if s != "gateway" and "TOKEN_SECRET" in env:
        bad.append("%s: is given the gateway's TOKEN_SECRET" % s)
    if s != "gateway" and d.get("ports"):
        bad.append("%s: publishes ports" % s)
    if s != "gateway" and list(d.get("networks", {})) != ["backend"]:
        bad.append("%s: networks %s" % (s, list(d.get("networks", {}))))
gw = svcs.get("gateway", {})
for s in five[1:]:
    if gw.get("depends_on", {}).get(s, {}).get("condition") != "service_healthy":
        bad.append("gateway: does not wait for a healthy %s" % s)
if not gw.get("ports"):
    bad.append("gateway: not published")
if not c.get("networks", {}).get("backend", {}).get("internal"):
    bad.append("backend network is not internal")
print("; ".join(bad) if bad else "5 services + postgres, /readyz health checks, depends_on healthy, only the gateway published, backend network internal")
sys.exit(1 if bad else 0)
EOF
  ); then ok "$msg"; else fail "$msg"; fi
fi

# --- Dockerfile
if msg=$(python3 - deploy/docker/Dockerfile "${SERVICES[@]}" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
services = sys.argv[2:]
bad = []
stages, current = {}, None
args = dict(re.findall(r"^ARG (\w+)=(\S+)", text, re.M))
for line in text.splitlines():
    m = re.match(r"FROM (\S+)(?: AS (\S+))?", line)
    if m:
        base = re.sub(r"\$\{(\w+)\}", lambda a: args.get(a.group(1), ""), m.group(1))
        current = m.group(2)
        stages[current] = {"base": base, "user": None}
    elif line.startswith("USER ") and current:
        stages[current]["user"] = line.split()[1]
def root(stage):
    while stages.get(stage, {}).get("base") in stages:
        stage = stages[stage]["base"]
    return stages.get(stage, {}).get("base", "")
for name, st in stages.items():
    if not root(name).startswith("debian:bookworm"):
        bad.append("stage %s is not based on Debian bookworm (%s)" % (name, root(name)))
for s in services:
    st = stages.get(s)
    if not st:
        bad.append("no stage %s" % s)
    elif not st["user"] or st["user"].split(":")[0] in ("0", "root"):
        bad.append("stage %s runs as %s" % (s, st["user"]))
if "build" not in stages or not any(s not in services and s != "build" for s in stages):
    bad.append("not multi-stage (build stage, runtime stages)")
print("; ".join(bad) if bad else "multi-stage, Debian bookworm, a non-root final stage per service")
sys.exit(1 if bad else 0)
EOF
); then ok "$msg"; else fail "$msg"; fi

# --- the Debian packages the Dockerfile installs exist in this Debian release (bookworm)
policy=$(apt-cache policy libc6 2>/dev/null)
if [[ $policy == *"Candidate: "[0-9]* ]]; then
  missing=()
  for p in $(sed -n '/apt-get install/,/rm -rf/p' deploy/docker/Dockerfile | tr ' \\' '\n\n' |
             grep -E '^[a-z0-9][a-z0-9.+-]+$' | grep -vE '^(apt-get|install|rm|y|no|DEBIAN_FRONTEND)$' | sort -u); do
    apt-cache show "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then ok "every package the Dockerfile installs exists in Debian"; else fail "unknown Debian packages: ${missing[*]}"; fi
else
  echo "  SKIPPED: no apt package lists to check the Dockerfile's package names (apt-get update)"
fi

# --- bootstrap of the postgres image, applied to a throwaway cluster, then every service on it
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [ -z "$PGBIN" ]; then
  fail "no PostgreSQL binaries for the bootstrap check"
else
  mkdir -p "$TMP/pg" "$TMP/sock"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$TMP/pg" "$TMP/sock"
  port=$(free_port)
  as_pg "$PGBIN/initdb" -D "$TMP/pg/data" -U postgres --auth=trust >/dev/null 2>&1
  if as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -o "-p $port -k $TMP/sock -c listen_addresses=''" \
       -l "$TMP/pg/log" -w start >/dev/null 2>&1; then
    PGPID=1
    export PGHOST=$TMP/sock PGPORT=$port
    psql -q -U postgres -c "CREATE DATABASE care_hub" postgres
    mkdir -p "$TMP/initdb"
    sed "s|/care-hub/bootstrap.sql|$ROOT/deploy/docker/bootstrap.sql|" \
      deploy/docker/initdb/10-care-hub.sh > "$TMP/initdb/10-care-hub.sh"
    set -a
    # shellcheck disable=SC1091
    source "$TMP/secrets.env"
    set +a
    if POSTGRES_USER=postgres POSTGRES_DB=care_hub sh "$TMP/initdb/10-care-hub.sh" >/dev/null 2>"$TMP/boot.err"; then
      ok "initdb script creates the roles and schemas"
    else
      fail "initdb script: $(head -c 300 "$TMP/boot.err")"
    fi
    if psql -q -U svc_projects -d care_hub -c "CREATE TABLE transfer.intruder (x int)" 2>/dev/null ||
       psql -q -U svc_projects -d care_hub -c "CREATE TABLE public.intruder (x int)" 2>/dev/null; then
      fail "svc_projects can create tables outside its schema"
    else
      ok "a service role cannot write into another schema or public"
    fi
    up=()
    for s in "${SERVICES[@]}"; do
      if [ ! -x "$BIN/$s" ]; then fail "$s: no binary in $BIN"; continue; fi
      # Run it from the files its image holds (deploy/docker/Dockerfile's COPY lines), from the
      # image's working directory: nothing else of the repository is at hand.
      if ! read -r wd entry < <(python3 tests/ecosystem/image_layout.py deploy/docker/Dockerfile \
             "$s" "$TMP/image-$s" "$BIN"); then
        fail "$s: image layout"
        continue
      fi
      sport=$(free_port)
      (cd "$wd" && PORT=$sport BIND=127.0.0.1 \
        DATABASE_URL="postgresql://svc_$s@/care_hub?host=$TMP/sock&port=$port" \
        exec "$entry" > "$TMP/$s.log" 2>&1) &
      spid=$!
      ready=
      for _ in $(seq 1 240); do
        curl -fsS -o /dev/null "http://127.0.0.1:$sport/readyz" 2>/dev/null && { ready=1; break; }
        kill -0 "$spid" 2>/dev/null || break
        sleep 0.25
      done
      if [ -n "$ready" ] && [ "$s" = gateway ]; then
        # The image carries the OpenAPI documents and their bundler: the gateway serves the bundle.
        if curl -fsS "http://127.0.0.1:$sport/openapi.json" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d.get("openapi", "").startswith("3.1") and len(d.get("paths", {})) > 50 else 1)'; then
          ok "the gateway image serves the bundled OpenAPI document"
        else
          fail "the gateway image does not serve /openapi.json"
        fi
      fi
      kill -TERM "$spid" 2>/dev/null
      wait "$spid" 2>/dev/null
      if [ -n "$ready" ]; then up+=("$s"); else fail "$s did not migrate and get ready under svc_$s: $(tail -n 3 "$TMP/$s.log")"; fi
    done
    [ ${#up[@]} -eq ${#SERVICES[@]} ] && ok "every service, run from its image's files, migrates and answers /readyz under its own role (${up[*]})"
  else
    fail "throwaway PostgreSQL did not start: $(tail -n 3 "$TMP/pg/log")"
  fi
fi

echo "compose_check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
