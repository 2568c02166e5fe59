#!/usr/bin/env bash
# deploy/observability against the running suite: every metric and label that the Grafana dashboard
# and the alerting rules use is exposed by some process's /metrics; the scrape configurations follow
# the annotations of deploy/k8s and the ports of run.sh; every field of the JSON log lines is
# described in LOGS.md and every described field appears. promtool, when installed (Debian package
# prometheus), also checks the configurations and rules.
#
#   observability_check.sh                            own suite under var/ecosystem-observability
#   DEMO_CHECK_SUITE=running observability_check.sh   the suite of VAR_DIR/PORT_BASE
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
# shellcheck source=tests/ecosystem/lib.sh
source tests/ecosystem/lib.sh
export PYTHONDONTWRITEBYTECODE=1
suite_up observability 21580 1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; [ "${DEMO_CHECK_SUITE:-fresh}" = running ] || bash deploy/local/run.sh stop >/dev/null 2>&1' EXIT

# Some traffic on every process, authenticated (so sub/org appear in logs) and not, then /metrics.
TOKEN=
gateway_up && TOKEN=$(bash deploy/local/run.sh token hub_analyst 8a2c4f7c-c1c6-542d-83bf-9233620ff6d7 2>/dev/null)
for u in "$GATEWAY_URL" "$PROJECTS_URL" "$ITINERARIES_URL" "$EVALUATION_URL" "$TRANSFER_URL"; do
  curl -s -o /dev/null "$u/healthz"
  curl -s -o /dev/null "$u/v1/hub/summary"
done
[ -n "$TOKEN" ] && curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$GATEWAY_URL/v1/hub/summary"
n=0
for u in "$GATEWAY_URL" "$PROJECTS_URL" "$ITINERARIES_URL" "$EVALUATION_URL" "$TRANSFER_URL"; do
  curl -fsS "$u/metrics" >> "$TMP/metrics.txt" 2>/dev/null && n=$((n + 1))
done
[ "$n" -gt 0 ] && ok "/metrics read from $n processes" || fail "no /metrics answered"

if msg=$(python3 - "$TMP/metrics.txt" deploy/observability <<'EOF'
import json, re, sys, yaml
metrics_file, obs = sys.argv[1], sys.argv[2]
labels = {}  # sample name -> label names seen
for line in open(metrics_file):
    if line.startswith("#") or not line.strip():
        continue
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s", line)
    if m:
        names = set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)=\"", m.group(3) or ""))
        labels.setdefault(m.group(1), set()).update(names)

KEYWORDS = {"sum", "rate", "irate", "increase", "histogram_quantile", "topk", "bottomk", "count",
            "max", "min", "avg", "or", "and", "unless", "vector", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "by", "without", "label_values", "abs", "clamp_min"}

def refs(expr):
    """(metric names, label names) used by a PromQL expression."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    used_labels = set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)\s*\"", e))
    e = re.sub(r"\{[^}]*\}", " ", e)
    for grp in re.findall(r"\b(?:by|without|on|ignoring)\s*\(([^)]*)\)", e):
        used_labels.update(x.strip() for x in grp.split(",") if x.strip())
    e = re.sub(r"\b(?:by|without|on|ignoring)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    names = {t for t in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e) if t not in KEYWORDS}
    return names, used_labels

problems, exprs = [], []
dash = json.load(open(obs + "/grafana/care-hub-dashboard.json"))
ids = set()
for p in dash["panels"]:
    if p["id"] in ids:
        problems.append("panel id %s twice" % p["id"])
    ids.add(p["id"])
    if p["type"] == "row":
        continue
    if p.get("datasource", {}).get("uid") != "${datasource}":
        problems.append("panel %r: not on the $datasource variable" % p["title"])
    if not p.get("targets"):
        problems.append("panel %r: no query" % p["title"])
    for t in p.get("targets", []):
        exprs.append(("panel %r" % p["title"], t["expr"]))
for v in dash["templating"]["list"]:
    if v["type"] == "query":
        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        m = re.match(r"label_values\((\w+),\s*(\w+)\)", q)
        exprs.append(("variable %s" % v["name"], "%s{%s=\"\"}" % (m.group(1), m.group(2)) if m else q))
rules = yaml.safe_load(open(obs + "/care-hub-alerts.yml"))
nrules = 0
for g in rules["groups"]:
    for r in g["rules"]:
        nrules += 1
        exprs.append(("alert %s" % r["alert"], r["expr"]))
for where, expr in exprs:
    names, used = refs(expr)
    if not names:
        problems.append("%s: no metric in %r" % (where, expr))
    seen = set()
    for n in names:
        if n not in labels:
            problems.append("%s: %s is not exposed" % (where, n))
        else:
            seen |= labels[n]
    seen.add("le")
    for l in used - seen:
        problems.append("%s: label %s not on %s" % (where, l, ", ".join(sorted(names))))

k8s = yaml.safe_load(open(obs + "/prometheus-kubernetes.yml"))
job = k8s["scrape_configs"][0]
src = {tuple(r.get("source_labels", [])) for r in job["relabel_configs"]}
for ann in ("scrape", "path"):
    if ("__meta_kubernetes_pod_annotation_prometheus_io_" + ann,) not in src:
        problems.append("kubernetes scrape config ignores prometheus.io/%s" % ann)
if ("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port") not in src:
    problems.append("kubernetes scrape config ignores prometheus.io/port")
if job["kubernetes_sd_configs"][0]["namespaces"]["names"] != ["care-hub"]:
    problems.append("kubernetes scrape config not on namespace care-hub")
local = yaml.safe_load(open(obs + "/prometheus-local.yml"))
targets = local["scrape_configs"][0]["static_configs"][0]["targets"]
if targets != ["127.0.0.1:%d" % p for p in range(8080, 8085)]:
    problems.append("local scrape targets %s are not run.sh's ports 8080-8084" % targets)
print("; ".join(problems) if problems else
      "%d queries of %d panels and %d alerts use only exposed metrics and labels; scrape configs follow the annotations and ports"
      % (len(exprs), len(ids), nrules))
sys.exit(1 if problems else 0)
EOF
); then ok "$msg"; else fail "$msg"; fi

if command -v promtool >/dev/null; then
  # Debian's promtool is built without Kubernetes discovery: the Kubernetes configuration is
  # checked above; the local one, the rules and their behaviour here.
  if out=$(cd deploy/observability && promtool check config prometheus-local.yml 2>&1 &&
           promtool check rules care-hub-alerts.yml 2>&1); then
    ok "promtool accepts the local configuration and the rules"
  else
    fail "promtool check: $(echo "$out" | tail -n 3)"
  fi
  if out=$(promtool test rules tests/ecosystem/prometheus/alerts_test.yml 2>&1); then
    ok "alerting rules fire when they should (promtool test rules)"
  else
    fail "promtool test rules: $(echo "$out" | head -n 12)"
  fi
else
  echo "  SKIPPED: promtool not installed (Debian package prometheus)"
fi

# Log lines of this suite against LOGS.md.
if msg=$(python3 - deploy/observability/LOGS.md "$VAR_DIR"/log/*.log <<'EOF'
import json, re, sys
doc = open(sys.argv[1]).read()
def table(title):
    part = doc.split("## " + title, 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", part, re.M))
request_fields, message_fields = table("Request lines"), table("Message lines")
seen_req, seen_msg, bad, n = set(), set(), [], 0
for f in sys.argv[2:]:
    for line in open(f, errors="replace"):
        line = line.strip()
        if not line.startswith("{"):
            continue  # sanitizer or other non-log output
        try:
            d = json.loads(line)
        except ValueError:
            bad.append("not JSON: " + line[:80])
            continue
        n += 1
        if "msg" in d:
            kind, fields, seen = "message", message_fields, seen_msg
        else:
            kind, fields, seen = "request", request_fields, seen_req
        seen.update(d)
        for k in d:
            if k not in fields:
                bad.append("%s line field %r not in LOGS.md" % (kind, k))
bad = sorted(set(bad))
for k in sorted(request_fields - seen_req):
    bad.append("request field %r described but never logged" % k)
for k in sorted(message_fields - seen_msg):
    bad.append("message field %r described but never logged" % k)
print("; ".join(bad[:10]) if bad else "%d log lines: every field described, every described field seen (%d request, %d message fields)"
      % (n, len(request_fields), len(message_fields)))
sys.exit(1 if bad or n == 0 else 0)
EOF
); then ok "$msg"; else fail "$msg"; fi

finish observability_check
