#!/usr/bin/env python3
"""The reference data: 252 municipalities, each with exactly one INE code (5 digits, the first two its
province's), no code or name twice, and the shared migrations are exactly what the CSV says."""
import csv, os, re, subprocess, sys
root = os.path.join(os.path.dirname(__file__), "..", "..")
rows = list(csv.DictReader(open(os.path.join(root, "data/basque-municipalities.csv"), encoding="utf-8")))
province_code = {"Araba/Álava": "01", "Gipuzkoa": "20", "Bizkaia": "48"}
known = {"Donostia/San Sebastián": "20069", "Tolosa": "20071", "Arrasate/Mondragón": "20055",
         "Bilbao": "48020", "Vitoria-Gasteiz": "01059"}
checks = {
    "252 municipalities": len(rows) == 252,
    "no name twice": len({r["municipality"] for r in rows}) == 252,
    "each has exactly one code (5 digits)": all(re.fullmatch(r"[0-9]{5}", r["ine_code"] or "") for r in rows),
    "no code twice": len({r["ine_code"] for r in rows}) == 252,
    "a code starts with its province's": all(r["ine_code"][:2] == province_code.get(r["province"]) for r in rows),
    "known codes": all(any(r["municipality"] == n and r["ine_code"] == c for r in rows) for n, c in known.items()),
    "a bilingual name has both forms": all(set(r["municipality"].split("/")) <= set(r["other_forms"].split("|"))
                                           for r in rows if "/" in r["municipality"]),
    "migrations equal the CSV": subprocess.run(
        [sys.executable, os.path.join(root, "deploy/local/gen-municipalities.py"), "--check"],
        capture_output=True, text=True).returncode == 0,
}
for name, ok in checks.items():
    if not ok:
        print("FAIL", name)
passed = sum(checks.values())
print("reference_data: %d passed, %d failed" % (passed, len(checks) - passed))
sys.exit(0 if passed == len(checks) else 1)
