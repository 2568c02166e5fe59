#!/usr/bin/env python3
"""Regenerates common/sql/001_municipalities.sql from data/basque-municipalities.csv.

Every service gets its own copy of the reference list in its own schema (no service reads
another's tables), from this one file."""
import csv
import os
import sys

root = os.path.join(os.path.dirname(__file__), "..", "..")
rows = list(csv.DictReader(open(os.path.join(root, "data/basque-municipalities.csv"), encoding="utf-8")))


def q(s):
    return "'" + s.replace("'", "''") + "'"


out = ["-- Reference data: the municipalities of the Basque Country with province and official",
       "-- comarca (Eustat), generated from data/basque-municipalities.csv by deploy/local/gen-municipalities.py.",
       "-- Applied in every service's schema.",
       "CREATE TABLE IF NOT EXISTS municipality (",
       "    name     text PRIMARY KEY,",
       "    province text NOT NULL,",
       "    comarca  text NOT NULL",
       ");",
       "CREATE INDEX IF NOT EXISTS municipality_comarca ON municipality (comarca);",
       "CREATE INDEX IF NOT EXISTS municipality_province ON municipality (province);",
       "INSERT INTO municipality (name, province, comarca) VALUES"]
vals = [f"    ({q(r['municipality'])}, {q(r['province'])}, {q(r['comarca'])})" for r in rows]
out.append(",\n".join(vals) + "\nON CONFLICT (name) DO UPDATE SET province = EXCLUDED.province, comarca = EXCLUDED.comarca;")
target = os.path.join(root, "common/sql/001_municipalities.sql")
text = "\n".join(out) + "\n"
if "--check" in sys.argv:
    # Used by the tests: the migration says exactly what the CSV says.
    same = open(target, encoding="utf-8").read() == text
    print("reference_data: %d passed, %d failed" % (1 if same else 0, 0 if same else 1))
    sys.exit(0 if same else 1)
with open(target, "w", encoding="utf-8") as f:
    f.write(text)
