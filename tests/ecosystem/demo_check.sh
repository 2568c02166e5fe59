#!/usr/bin/env bash
# The demo hub data set, checked end to end: a fresh suite started with the demo (run.sh start loads
# it), the hub summary read with curl must show exactly the published figures, a second load must
# write nothing, and every demo institution must sit in a Gipuzkoa municipality.
#
#   demo_check.sh                         own suite under var/ecosystem-check, ports from 21380
#   DEMO_CHECK_SUITE=running demo_check.sh   the suite of VAR_DIR/PORT_BASE, already started
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DEMO_ORG=${DEMO_ORG:-8a2c4f7c-c1c6-542d-83bf-9233620ff6d7}
export DEMO_ORG PYTHONDONTWRITEBYTECODE=1
# shellcheck source=tests/ecosystem/lib.sh
source tests/ecosystem/lib.sh
suite_up check 21380 1

# A reader of the summary: a hub analyst through the gateway, or an internal token for the service.
if [ -f services/gateway/main.c ] && curl -fsS -o /dev/null "$GATEWAY_URL/readyz" 2>/dev/null; then
  SUMMARY_URL="$GATEWAY_URL/v1/hub/summary"
  TOKEN=$(bash deploy/local/run.sh token hub_analyst "")
else
  SUMMARY_URL="$PROJECTS_URL/v1/hub/summary"
  TOKEN=$(python3 -c 'import os, sys; sys.path.insert(0, "deploy/demo")
from client import internal_token
print(internal_token(os.environ["INTERNAL_SECRET"], "projects", os.environ["DEMO_ORG"], ["hub_analyst"]))')
fi

check_summary() { # label
  local body
  body=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$SUMMARY_URL") || { fail "$1: summary not read"; return; }
  local msg
  if msg=$(printf '%s' "$body" | python3 -c '
import json, sys
s = json.load(sys.stdin)
want = {
    ("projects",): 18,
    ("institutions", "total"): 40,
    ("institutions", "by_type", "municipality"): 14,
    ("institutions", "by_type", "third_sector"): 15,
    ("institutions", "by_type", "company"): 7,
    ("institutions", "by_type", "university"): 2,
    ("institutions", "by_type", "technology_centre"): 2,
    ("people_involved", "social_workers"): 28,
    ("people_involved", "policy_makers"): 10,
    ("people_involved", "professionals_researchers"): 35,
    ("persons_reached", "fragile_or_dependent"): 630,
    ("persons_reached", "family_caregivers"): 241,
    ("persons_reached", "total"): 871,
    ("projects_with_reports",): 18,
}
bad = []
for path, value in want.items():
    got = s
    for k in path:
        got = got.get(k) if isinstance(got, dict) else None
    if got != value:
        bad.append("%s is %r, not %r" % ("/".join(path), got, value))
if len(s["institutions"]["by_type"]) != 5:
    bad.append("institutions of other types: %r" % s["institutions"]["by_type"])
print("; ".join(bad) if bad else "18 projects, 40 institutions (14/15/7/2/2), 28+10+35 people, 630+241=871 reached")
sys.exit(1 if bad else 0)
'); then ok "$1: $msg"; else fail "$1: $msg"; fi
}

# Versions and update times of every demo record: a load that writes nothing leaves them alone.
fingerprint() {
  python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import hashlib, os
from client import Client
mode = os.environ.get("CHECK_MODE")
c = Client(env=dict(os.environ, DEMO_MODE=mode, API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
rows = []
for o in c.list_all("projects", "/v1/organisations"):
    if o["owner_org"] == c.org:
        rows.append(("o", o["external_id"], o["version"], o["updated_at"]))
for p in c.list_all("projects", "/v1/projects"):
    if p["owner_org"] != c.org:
        continue
    rows.append(("p", p["external_id"], p["version"], p["updated_at"]))
    for x in c.list_all("projects", "/v1/projects/%s/participants" % p["id"]):
        rows.append(("x", x["id"], x["version"], x["updated_at"]))
    for r in c.list_all("projects", "/v1/projects/%s/reports" % p["id"]):
        rows.append(("r", r["id"], r["version"], r["updated_at"]))
if c.has("transfer"):
    for kind in ("practices", "guides", "events", "adoptions", "ties"):
        for x in c.list_all("transfer", "/v1/transfer/" + kind):
            if x.get("owner_org") == c.org:
                rows.append((kind, x["id"], x["version"], x["updated_at"]))
if c.has("itineraries"):
    for path in ("/v1/services", "/v1/persons", "/v1/itineraries"):
        for x in c.list_all("itineraries", path):
            if x.get("owner_org") == c.org:
                rows.append((path, x["id"], x["version"], x["updated_at"]))
                if path == "/v1/persons":
                    for a in c.list_all("itineraries", "/v1/persons/%s/assessments" % x["id"]):
                        rows.append(("a", a["id"], a["version"], a["updated_at"]))
                if path == "/v1/services":
                    _, pr = c.ok("itineraries", "GET", "/v1/services/%s/prices" % x["id"])
                    rows.append(("price", x["id"], repr(pr)))
                if path == "/v1/itineraries":
                    for st in c.ok("itineraries", "GET", "/v1/itineraries/%s/stages" % x["id"])[1]["items"]:
                        rows.append(("s", st["id"], st["version"], st["updated_at"]))
                        _, u = c.ok("itineraries", "GET", "/v1/stages/%s/units" % st["id"])
                        rows.append(("u", st["id"], u["updated_at"]))
    _, seg = c.ok("itineraries", "GET", "/v1/segments?by=comarca")
    for x in seg["items"]:
        _, t = c.ok("itineraries", "GET", "/v1/segments/%s/no-intervention" % x["segment"])
        rows.append(("n", x["segment"], repr(t)))
if c.has("evaluation"):
    for path in ("/v1/evaluation/indicator-values", "/v1/evaluation/campaigns"):
        for x in c.list_all("evaluation", path):
            rows.append((path, x["id"], x["version"], x["updated_at"]))
rows.sort()
print(len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())'
}

if [ -n "${TOKEN:-}" ] && [[ $SUMMARY_URL == "$GATEWAY_URL"* ]]; then
  CHECK_MODE=gateway ADMIN_TOKEN=$(bash deploy/local/run.sh token admin "$DEMO_ORG")
else
  CHECK_MODE=direct ADMIN_TOKEN=
fi
export CHECK_MODE ADMIN_TOKEN

check_summary "after start"
fp1=$(fingerprint) && ok "demo records listed ($(echo "$fp1" | cut -d' ' -f1) records)" || fail "demo records not listed"
if out=$(QUIET=0 bash deploy/local/demo.sh 2>&1); then ok "second load ran"; else fail "second load: $out"; fi
# Prices and no-intervention tables carry no version: the loader's own count must say it wrote none.
if curl -fsS -o /dev/null "$ITINERARIES_URL/readyz" 2>/dev/null; then
  for kind in "itineraries service prices" "itineraries stage units" "itineraries no-intervention tables"; do
    line=$(printf '%s\n' "$out" | grep "demo: $kind:")
    if [[ $line == *", 0 written"* ]]; then ok "second load: $kind, 0 written"; else fail "second load: ${line:-no line for $kind}"; fi
  done
fi
fp2=$(fingerprint)
if [ -n "$fp1" ] && [ "$fp1" = "$fp2" ]; then
  ok "second load wrote nothing (versions and update times unchanged)"
else
  fail "second load changed records: $fp1 -> $fp2"
fi
check_summary "after a second load"

# Every demo institution sits in a Gipuzkoa municipality of the reference list.
if msg=$(python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import csv, os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
gip = {r["municipality"] for r in csv.DictReader(open("data/basque-municipalities.csv"))
       if r["province"] == "Gipuzkoa"}
orgs = [o for o in c.list_all("projects", "/v1/organisations") if o["owner_org"] == c.org]
bad = [o["name"] for o in orgs if o["municipality"] not in gip]
print("%d institutions, outside Gipuzkoa: %s" % (len(orgs), bad or "none"))
sys.exit(1 if bad or len(orgs) < 40 else 0)'); then ok "$msg"; else fail "$msg"; fi

# Transfer (when deployed): the collaboration network of the demo and the diffusion of a practice.
if curl -fsS -o /dev/null "$TRANSFER_URL/readyz" 2>/dev/null; then
  if msg=$(python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
_, m = c.ok("transfer", "GET", "/v1/transfer/network/metrics")
p = [x for x in c.list_all("transfer", "/v1/transfer/practices", "external_id=prc-zaintzaileak-zaintzen")
     if x["owner_org"] == c.org][0]
_, d = c.ok("transfer", "GET", "/v1/transfer/practices/%s/diffusion" % p["id"])
got = (m["nodes"], m["components"], d["adoptions"], d["ever_adopted"], d["time_to_adoption"]["median_days"])
# 44 organisations, one component; the carers programme: Beasain, Azpeitia, Bergara interested on
# 2025-05-14, Beasain adopted on 2026-03-01 (291 days later).
want = (44, 1, 3, 1, 291)
print("network %d nodes in %d component(s); carers programme: %d adoptions, %d adopted, median %s days" % got)
sys.exit(0 if got == want else 1)'); then ok "transfer: $msg"; else fail "transfer: $msg"; fi
fi

# Itineraries (when deployed): the demo persons, an itinerary's FHIR export, the risk segments.
if curl -fsS -o /dev/null "$ITINERARIES_URL/readyz" 2>/dev/null; then
  if msg=$(python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
persons = [p for p in c.list_all("itineraries", "/v1/persons") if p["owner_org"] == c.org]
itins = {i["external_id"]: i for i in c.list_all("itineraries", "/v1/itineraries") if i["owner_org"] == c.org}
_, fhir = c.ok("itineraries", "GET", "/v1/itineraries/%s/fhir" % itins["iti-001"]["id"])
kinds = sorted(e["resource"]["resourceType"] for e in fhir["entry"])
_, seg = c.ok("itineraries", "GET", "/v1/segments")
in_segments = sum(x["persons"] for x in seg["items"])
# The templates the suggestions offer: per-008 (Barthel 10) gets the home-support one.
p8 = [p for p in persons if p["external_id"] == "per-008"][0]
_, sug = c.ok("itineraries", "POST", "/v1/persons/%s/itinerary-suggestions" % p8["id"], {})
offered = sorted(x["template"]["code"] for x in sug["items"] if x["template"]["code"].startswith("demo-"))
_, it8 = c.ok("itineraries", "GET", "/v1/itineraries/%s" % itins["iti-008"]["id"])
got = (len(persons), len(itins), itins["iti-004"]["status"], kinds.count("CarePlan"), kinds.count("Goal"), in_segments,
       offered, len(it8["based_on"]))
want = (10, 7, "completed", 1, 2, 10, ["demo-home-support-high-risk"], 2)
print("%d persons, %d itineraries (iti-004 %s), FHIR: %d CarePlan, %d Goals; %d persons in segments; "
      "suggested for per-008: %s; iti-008 on %d assessments (a joint diagnosis)" % got)
sys.exit(0 if got == want else 1)'); then ok "itineraries: $msg"; else fail "itineraries: $msg"; fi
fi

# Economics of a segment (when itineraries is deployed), read as a hub analyst. Every segment
# holding a demo itinerary has its assumptions (prices, units, a no-intervention table) and answers
# 200. Bands from the latest assessments: per-002 Barthel 35, per-004 Barthel 20, per-006 Barthel 40
# (CFS 7) high; per-001 Barthel 70 (CFS 6), per-003 Barthel 90, per-007 Barthel 65 moderate.
# high:tolosaldea by hand: one case, iti-004 of per-004 (Tolosa), completed, one stage of the
# carers group (35.00 an hour in 2025, 36.00 from 2026) planned 2025-02-15..2025-12-15 (304 days)
# at 1 hour a week, done 2025-02-19..2025-12-10 with 40 hours delivered, all within 2025:
#   planned per case   1 × 304 / 7 h × 35.00 = 304 × 5.00 = 1520.00; 1520.00 / 1 = 1520.00
#   actual per case    40 h × 35.00 = 1400.00; 1400.00 / 1 = 1400.00 (the case is completed)
#   goals reached      both goals of iti-004 achieved: 1 / 1 = 1.0
#   not intervening    0.25 × 26000 + 0.4 × 3200 + 0.1 × 9800 = 6500 + 1280 + 980 = 8760.00 per
#                      case (12 months, the table of the high band), × 1 case = 8760.00
if curl -fsS -o /dev/null "$ITINERARIES_URL/readyz" 2>/dev/null; then
  if [ "$CHECK_MODE" = gateway ]; then ANALYST_TOKEN=$TOKEN; else ANALYST_TOKEN=; fi
  if msg=$(ANALYST_TOKEN=$ANALYST_TOKEN python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
a = c.with_identity(c.org, ["hub_analyst"], token=os.environ["ANALYST_TOKEN"] or None)
want_segments = ["high:donostialdea", "high:goierri", "high:tolosaldea",
                 "moderate:debabarrena-bajo-deba", "moderate:donostialdea"]
bad = []
for seg in want_segments:
    status, _, body = a.call("itineraries", "GET", "/v1/segments/%s/economics" % seg)
    if status != 200:
        bad.append("%s answers %d: %s" % (seg, status, str(body)[:300]))
status, _, e = a.call("itineraries", "GET", "/v1/segments/high:tolosaldea/economics")
if status == 200:
    none = e["cost_of_not_intervening"]
    got = (e["cases"], e["planned_cost_per_case"]["value"], e["planned_cost_per_case"]["computation"],
           e["actual_cost_per_case"]["value"], e["actual_cost_per_case"]["cases"],
           e["goals_reached"]["value"], none["per_case"], none["segment_total"], none["kind"])
    want = (1, 1520.0, "1520.00 / 1 = 1520.00", 1400.0, 1, 1.0, 8760.0, 8760.0, "estimate")
    if got != want:
        bad.append("high:tolosaldea %r, not %r" % (got, want))
    illustrative = [p["source"] for p in e["assumptions"]["prices"]] + \
        [x["source"] for x in e["assumptions"]["no_intervention"]["events"]]
    if not all(s.startswith("Illustrative figure for the demo") for s in illustrative):
        bad.append("sources not marked illustrative: %r" % illustrative)
print("; ".join(bad) if bad else "%d demo segments answer their economics; high:tolosaldea: 1 case, planned "
      "1520.00, actual 1400.00 per case, goals reached 1.0, not intervening 8760.00" % len(want_segments))
sys.exit(1 if bad else 0)'); then ok "economics: $msg"; else fail "economics: $msg"; fi
fi

# Evaluation (when deployed): the closed campaign's results, indicators computed from the hub figures,
# and the latest period's scorecard complete.
if curl -fsS -o /dev/null "$EVALUATION_URL/readyz" 2>/dev/null; then
  if msg=$(python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
camp = [x for x in c.list_all("evaluation", "/v1/evaluation/campaigns") if x.get("code") == "HUB-2026-H1"][0]
_, res = c.ok("evaluation", "GET", "/v1/evaluation/campaigns/%s/results" % camp["id"])
_, comp = c.ok("evaluation", "GET", "/v1/evaluation/computed?period=2026")
fig = {i["code"]: i["value"] for i in comp["items"]}
got = (camp["status"], res["respondents"], len(res["items"]), fig.get("GOV-INS-01"), fig.get("CARE-QOL-04"))
# 2026: the 17 projects running in the year; their latest reports ending by 2026-12-31 reach 612.
# The think-tank questionnaire, revision 2: 13 statements and 2 open questions.
want = ("closed", 24, 15, 40.0, 612.0)
print("campaign %s, %d respondents, %d items; computed institutions %s, persons reached %s" % got)
sys.exit(0 if got == want else 1)'); then ok "evaluation: $msg"; else fail "evaluation: $msg"; fi
  # The hub's latest monitoring period (2026): every one of the 40 indicators has a value with its
  # provenance, at least 24 computed from the suite's own records, the others from the hub's
  # perception questionnaire (survey) or recorded by people (collected, with who and when).
  if msg=$(python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
_, card = c.ok("evaluation", "GET", "/v1/evaluation/scorecards?scope_type=hub&period=2026")
rows = [i for d in card["dimensions"] for i in d["indicators"]]
valued = [i for i in rows if i["value"] is not None]
kinds = {}
bad = []
for i in valued:
    p = i.get("provenance") or {}
    kinds[p.get("kind")] = kinds.get(p.get("kind"), 0) + 1
    need = {"computed": ("service", "route", "computation"), "survey": ("questionnaire", "item", "campaign_id", "n", "consensus"),
            "collected": ("recorded_by", "recorded_at")}.get(p.get("kind"), ("kind",))
    if any(p.get(k) in (None, "") for k in need):
        bad.append("%s: provenance %r" % (i["code"], p))
# Social return models of several projects, each giving its return.
returns = 0
for p in c.list_all("projects", "/v1/projects"):
    if p["owner_org"] == c.org and c.call("evaluation", "GET", "/v1/evaluation/projects/%s/sroi" % p["id"])[0] == 200:
        returns += 1
if returns < 3:
    bad.append("%d projects with a social return, not 3" % returns)
print("; ".join(bad) if bad else "2026: %d of %d indicators with a value, coverage %s; %d computed, %d survey, %d collected; %d projects with a social return" % (
    len(valued), len(rows), card["coverage"], kinds.get("computed", 0), kinds.get("survey", 0), kinds.get("collected", 0), returns))
sys.exit(0 if not bad and len(rows) == 40 and len(valued) == 40 and card["coverage"] == 1 and kinds.get("computed", 0) >= 24 else 1)'); then
    ok "evaluation scorecard: $msg"; else fail "evaluation scorecard: $msg"; fi
fi

# Evaluation: the two campaigns of the think-tank questionnaire (revision 2, the seed's own
# accelerators and spaces of transition), each closed with its respondents, the free-text items
# answered by some and left blank by others, and the think tank's reading of its Table 1.
if curl -fsS -o /dev/null "$EVALUATION_URL/readyz" 2>/dev/null; then
  if msg=$(python3 -c 'import sys; sys.path.insert(0, "deploy/demo")
import os
from client import Client
c = Client(env=dict(os.environ, DEMO_MODE=os.environ["CHECK_MODE"], API_URL=os.environ["GATEWAY_URL"],
                    DEMO_TOKEN=os.environ.get("ADMIN_TOKEN", "")))
camps = {x.get("code"): x for x in c.list_all("evaluation", "/v1/evaluation/campaigns")}
got = []
for code, n, texts in (("HUB-2025-H2", 20, (4, 3)), ("HUB-2026-H1", 24, (4, 4))):
    camp = camps.get(code)
    if camp is None:
        print("campaign %s missing" % code); sys.exit(1)
    _, res = c.ok("evaluation", "GET", "/v1/evaluation/campaigns/%s/results" % camp["id"])
    items = {i["code"]: i for i in res["items"]}
    reading = {k: items[k]["agreement"] for k in ("ACC-POL", "ACC-SOC", "ACC-EVI")}
    most = max((items[k]["consensus"], k) for k in items if k.startswith("ACC-") and "consensus" in items[k])[1]
    ok = (camp["status"] == "closed" and camp["questionnaire_revision"] == 2 and res["respondents"] == n
          and (items["ACC-OTHER"]["n"], items["TRS-OTHER"]["n"]) == texts and most == "ACC-POL"
          and reading == {"ACC-POL": "consensus", "ACC-SOC": "divergence", "ACC-EVI": "divergence"})
    got.append("%s %s: %d respondents, other-accelerators %s, most consensual %s, %s" % (
        code, "ok" if ok else "WRONG", res["respondents"], items["ACC-OTHER"]["n"], most, reading))
print("; ".join(got))
sys.exit(0 if all(" ok:" in g for g in got) else 1)'); then ok "think-tank campaigns: $msg"; else fail "think-tank campaigns: $msg"; fi
fi

finish demo_check
