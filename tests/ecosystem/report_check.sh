#!/usr/bin/env bash
# The HTML report as a person sees it, on the demo: the 2026-H1 think-tank campaign with the hub
# scorecard of 2026 (its latest monitoring period, 2025 before it), in Spanish and in Basque. The page is parsed (Python's html.parser) as served
# and, when Chromium is installed, as headless Chromium builds it; Chromium also takes a
# screenshot, kept at $VAR_DIR/report-check/report-<lang>.png. Checked: units in words of the
# report's language (never the API's codes such as percent or likert_mean), dates for people,
# a provenance for every indicator row, a trend for every dimension, the free-text questions in
# a table of their own.
#
#   report_check.sh                           own suite under var/ecosystem-report
#   DEMO_CHECK_SUITE=running report_check.sh  the suite of VAR_DIR/PORT_BASE, already started
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export PYTHONDONTWRITEBYTECODE=1
# shellcheck source=tests/ecosystem/lib.sh
source tests/ecosystem/lib.sh
suite_up report 21430 1

if ! gateway_up || ! curl -fsS -o /dev/null "$EVALUATION_URL/readyz" 2>/dev/null; then
  echo "  SKIPPED: no gateway and evaluation service running"
  finish report_check
  exit 0
fi
TOKEN=$(bash deploy/local/run.sh token hub_analyst "")
OUT="$VAR_DIR/report-check"
mkdir -p "$OUT"
campaign=$(curl -fsS -H "Authorization: Bearer $TOKEN" \
  "$GATEWAY_URL/v1/evaluation/campaigns?scope_type=hub&limit=100" |
  python3 -c 'import json, sys
print(next((c["id"] for c in json.load(sys.stdin)["items"] if c.get("code") == "HUB-2026-H1"), ""))')
if [ -z "$campaign" ]; then
  fail "demo campaign HUB-2026-H1 not found"
  finish report_check
  exit 1
fi

# Checks one page (file, language); prints a summary, exits non-zero on the first problem.
check_page() {
  python3 - "$1" "$2" <<'PYEOF'
import re, sys
from html.parser import HTMLParser

path, lang = sys.argv[1], sys.argv[2]

class Tables(HTMLParser):
    """Every table as (class, header cells, rows of cell texts), and the <dl class=meta>."""
    def __init__(self):
        super().__init__()
        self.tables, self.meta, self.stack, self.cell, self.in_meta = [], [], [], None, False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"class": a.get("class", ""), "head": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        elif tag == "dl" and "meta" in a.get("class", ""):
            self.in_meta = True
        elif tag in ("dt", "dd") and self.in_meta:
            self.cell = []
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.tables and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.tables:
            t = self.tables[-1]
            if t["head"]:
                t["rows"].append(self.row)
            else:
                t["head"] = self.row
        elif tag in ("dt", "dd") and self.in_meta and self.cell is not None:
            self.meta.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "dl":
            self.in_meta = False
    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

p = Tables()
p.feed(open(path, encoding="utf-8").read())
def table(cls):
    return next((t for t in p.tables if cls in t["class"].split()), None)
problems = []
codes = {"count", "percent", "ratio", "rate_per_100", "months", "days", "hours", "euros", "score",
         "level", "likert_mean"}
rows = 0
for cls in ("outcomes", "activity-counts"):
    t = table(cls)
    if t is None:
        problems.append("no %s table" % cls); continue
    for r in t["rows"]:
        rows += 1
        if r[4] in codes:
            problems.append("%s: unit shown as code %r" % (r[1], r[4]))
        if not r[-1] or (r[-1] == "–" and r[3] not in ("sin datos", "daturik ez", "no data")):
            problems.append("%s: no provenance" % r[1])
dims = table("dimensions")
# The demo hub has two monitoring periods (2025, 2026): every dimension shows its trend.
if dims is None or len(dims["rows"]) != 4 or any(not re.match("[↑↓→] ", r[-1]) for r in dims["rows"]):
    problems.append("dimensions: a trend against 2025 for each of the 4 dimensions expected, got %r" %
                    (dims and [r[-1] for r in dims["rows"]]))
open_q = table("open-questions")
if open_q is None or [r[0] for r in open_q["rows"]] != ["ACC-OTHER", "TRS-OTHER"]:
    problems.append("open questions: %r" % (open_q and open_q["rows"]))
meta = " | ".join(p.meta)
if re.search(r"\d{4}-\d\d-\d\dT", meta): problems.append("an ISO timestamp in the header: " + meta)
month = {"es": "de abril de 2026", "eu": "2026ko apirilaren 15a", "en": "15 April 2026"}[lang]
if month not in meta: problems.append("campaign dates not for people (%r): %s" % (month, meta))
if problems:
    print("; ".join(problems[:6])); sys.exit(1)
print("%d indicator rows with units in words and a provenance, trends %s, dates: %s"
      % (rows, " / ".join(r[-1] for r in dims["rows"]), month))
PYEOF
}

for lang in es eu; do
  page="$OUT/report-$lang.html"
  if ! curl -fsS -H "Authorization: Bearer $TOKEN" -H "Accept: text/html" \
      "$GATEWAY_URL/v1/evaluation/reports?campaign_id=$campaign&period=2026&lang=$lang" > "$page"; then
    fail "$lang: the HTML report was not served"
    continue
  fi
  if msg=$(check_page "$page" "$lang"); then ok "$lang report as served: $msg"; else fail "$lang report as served: $msg"; fi
  if ! command -v chromium >/dev/null 2>&1; then
    echo "  SKIPPED: chromium not installed (Debian package chromium): $lang report not rendered"
    continue
  fi
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
         --disable-background-networking --disable-component-update --disable-sync
         --user-data-dir="$OUT/profile-$lang" --enable-logging=stderr --v=0)
  timeout 90 chromium "${flags[@]}" --dump-dom "file://$page" > "$OUT/dom-$lang.html" 2> "$OUT/chromium-$lang.log"
  rc=$?
  if [ "$rc" -ne 0 ] || [ ! -s "$OUT/dom-$lang.html" ]; then
    fail "$lang: chromium could not render the report (exit $rc)"
    continue
  fi
  if grep -E 'CONSOLE|Uncaught|net::ERR_' "$OUT/chromium-$lang.log" | grep -v 'google' > "$OUT/errors-$lang"; then
    fail "$lang: the report logged errors in chromium: $(head -n 2 "$OUT/errors-$lang")"
  fi
  if msg=$(check_page "$OUT/dom-$lang.html" "$lang"); then ok "$lang report in headless Chromium: $msg"; else fail "$lang report in headless Chromium: $msg"; fi
  rm -f "$OUT/report-$lang.png"
  timeout 90 chromium "${flags[@]}" --hide-scrollbars --window-size=1280,6000 \
    --screenshot="$OUT/report-$lang.png" "file://$page" > /dev/null 2>> "$OUT/chromium-$lang.log"
  size=$(stat -c %s "$OUT/report-$lang.png" 2>/dev/null || echo 0)
  if [ "$size" -gt 20000 ]; then
    ok "$lang report screenshot: $OUT/report-$lang.png ($size bytes)"
  else
    fail "$lang report screenshot missing or empty ($size bytes)"
  fi
done
finish report_check
