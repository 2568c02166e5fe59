#!/usr/bin/env bash
# W5: results of a campaign with many responses. Loads a campaign of the think-tank
# questionnaire with N responses x 13 items into the evaluation schema (load_campaign.sql),
# then times GET /v1/evaluation/campaigns/{id}/results and the HTML report.
#
#   results.sh DB_URL EVALUATION_URL TOKEN [N=100000] [REQUESTS=50]
#
# DB_URL: a role that can write the evaluation schema; TOKEN: an internal token for the
# evaluation audience with a role that reads results (e.g. benchtool token evaluation admin).
# Prints one line per route: "name p50_ms p99_ms max_ms requests", and exits 1 when the median
# of the results route is 200 ms or more.
set -euo pipefail
DB_URL=$1 URL=$2 TOKEN=$3 N=${4:-100000} REQUESTS=${5:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
campaign=$(PGOPTIONS="-c search_path=evaluation" psql "$DB_URL" -q -At -v n="$N" \
  -f "$HERE/load_campaign.sql" | tail -n1)
[[ $campaign =~ ^[0-9a-f-]{36}$ ]] || { echo "results.sh: loading failed" >&2; exit 1; }

measure() { # name path
  local name=$1 path=$2 i code
  local times=()
  for ((i = 0; i < REQUESTS; i++)); do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
      -H "Authorization: Bearer $TOKEN" "$URL$path")
    [ "$code" = 200 ] || { echo "results.sh: $path answered $code" >&2; exit 1; }
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '{a[NR] = $1 * 1000}
    END {i = int(NR * 0.5); if (i < 1) i = 1; j = int(NR * 0.99); if (j < 1) j = 1
         printf "%s %.1f %.1f %.1f %d\n", name, a[i], a[j], a[NR], NR}'
}

line=$(measure "W5-results" "/v1/evaluation/campaigns/$campaign/results")
echo "$line"
measure "W5-report-html" "/v1/evaluation/reports?campaign_id=$campaign&format=html"
p50=$(echo "$line" | awk '{print $2}')
awk -v p="$p50" 'BEGIN {exit !(p < 200)}' || { echo "results.sh: median $p50 ms >= 200 ms" >&2; exit 1; }
