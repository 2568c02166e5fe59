#!/usr/bin/env bash
# Loads the demo hub data set (deploy/demo/) into the running local suite through the API: through
# the gateway with an admin token when the gateway answers, else straight to each service with an
# internal token. Idempotent: a second run writes nothing.
#
#   demo.sh            load (uses VAR_DIR and PORT_BASE like run.sh)
#   DEMO_ORG=<uuid>    owner of the demo records (default: the demo hub's fixed id)
set -euo pipefail
cd "$(dirname "$0")/../.."
DEMO_ORG=${DEMO_ORG:-8a2c4f7c-c1c6-542d-83bf-9233620ff6d7}

set -a
# shellcheck disable=SC1090
source <(bash deploy/local/run.sh env gateway)
set +a
API_URL=$GATEWAY_URL
if [ -f services/gateway/main.c ] && curl -fsS -o /dev/null "$GATEWAY_URL/readyz" 2>/dev/null; then
  DEMO_MODE=gateway
  DEMO_TOKEN=$(bash deploy/local/run.sh token admin "$DEMO_ORG")
else
  DEMO_MODE=direct
  DEMO_TOKEN=
fi
export API_URL DEMO_MODE DEMO_TOKEN DEMO_ORG
exec python3 -B deploy/demo/load.py
