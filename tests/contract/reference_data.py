#!/usr/bin/env python3
"""The municipalities migration is exactly the shipped CSV (252 municipalities)."""
import csv, os, subprocess, sys
root = os.path.join(os.path.dirname(__file__), "..", "..")
rows = list(csv.DictReader(open(os.path.join(root, "data/basque-municipalities.csv"), encoding="utf-8")))
ok_count = len(rows) == 252 and len({r["municipality"] for r in rows}) == 252
rc = subprocess.run([sys.executable, os.path.join(root, "deploy/local/gen-municipalities.py"), "--check"],
                    capture_output=True, text=True).returncode
passed = int(ok_count) + int(rc == 0)
print("reference_data: %d passed, %d failed" % (passed, 2 - passed))
sys.exit(0 if passed == 2 else 1)
