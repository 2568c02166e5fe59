#!/usr/bin/env python3
"""Segment ids ({risk_band}:{area slug}) name one area each: the slugs the database computes
(itineraries.area_slug) are unique across every comarca and municipality of the reference list,
and are made of lower-case ASCII letters, digits and single hyphens. Needs the running suite."""
import os, re, subprocess, sys

root = os.path.join(os.path.dirname(__file__), "..", "..")
url = subprocess.run(["bash", os.path.join(root, "deploy/local/run.sh"), "superuser-url"],
                     capture_output=True, text=True).stdout.strip()
sql = ("SELECT a.name, itineraries.area_slug(a.name) FROM (SELECT DISTINCT comarca AS name"
       " FROM itineraries.municipality UNION SELECT name FROM itineraries.municipality) a")
out = subprocess.run(["psql", "-XAtq", "-F", "\t", url, "-c", sql], capture_output=True, text=True)
rows = [line.split("\t") for line in out.stdout.splitlines() if "\t" in line]
checks = {
    "every area has a slug (272 names)": out.returncode == 0 and len(rows) == 272,
    "slugs are unique": len({s for _, s in rows}) == len(rows),
    "slugs are lower-case ASCII words joined by single hyphens":
        all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for _, s in rows),
    "accents are dropped, not lost": ("Urduña/Orduña", "urduna-orduna") in map(tuple, rows),
}
for name, ok in checks.items():
    if not ok:
        print("FAIL", name)
passed = sum(checks.values())
print("segment_ids: %d passed, %d failed" % (passed, len(checks) - passed))
sys.exit(0 if passed == len(checks) else 1)
