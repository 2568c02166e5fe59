#!/usr/bin/env python3
"""Regenerates services/projects/sql/002_municipalities.sql from data/basque-municipalities.csv."""
import csv
import os

root = os.path.join(os.path.dirname(__file__), "..", "..")
rows = list(csv.DictReader(open(os.path.join(root, "data/basque-municipalities.csv"), encoding="utf-8")))


def q(s):
    return "'" + s.replace("'", "''") + "'"


out = ["-- Reference data: the municipalities of the Basque Country with province and official",
       "-- comarca (Eustat), generated from data/basque-municipalities.csv by deploy/local/gen-municipalities.py.",
       "INSERT INTO municipality (name, province, comarca) VALUES"]
vals = [f"    ({q(r['municipality'])}, {q(r['province'])}, {q(r['comarca'])})" for r in rows]
out.append(",\n".join(vals) + "\nON CONFLICT (name) DO UPDATE SET province = EXCLUDED.province, comarca = EXCLUDED.comarca;")
with open(os.path.join(root, "services/projects/sql/002_municipalities.sql"), "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
