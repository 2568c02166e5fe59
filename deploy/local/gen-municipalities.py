#!/usr/bin/env python3
"""Regenerates the reference-data migrations from data/basque-municipalities.csv.

common/sql/001_municipalities.sql: the municipalities with province and comarca (shipped first;
its text never changes). common/sql/004_place_codes.sql: each municipality's INE code and its
other official forms, the comarca's slug, and place_key, every form a place may be named by
(normalised) with the place it names. Every service gets its own copy in its own schema (no
service reads another's tables), from this one file. --check compares instead of writing."""
import csv
import os
import re
import sys
import unicodedata

root = os.path.join(os.path.dirname(__file__), "..", "..")
rows = list(csv.DictReader(open(os.path.join(root, "data/basque-municipalities.csv"), encoding="utf-8")))


def q(s):
    return "'" + s.replace("'", "''") + "'"


def slug(s):
    """The rule of place_slug() in SQL: lower case, accents dropped, runs of anything else one '-'."""
    s = "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def forms(r):
    return [f for f in r["other_forms"].split("|") if f]


def municipalities_sql():
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
    return "\n".join(out) + "\n"


def place_keys():
    """Every normalised form of every place; a form naming two places is an error of the data."""
    keys = {}

    def add(key, kind, name):
        if keys.setdefault(key, (kind, name)) != (kind, name):
            sys.exit("gen-municipalities: %r names both %r and %r" % (key, keys[key], (kind, name)))

    for r in rows:
        add(r["ine_code"], "municipality", r["municipality"])
        for f in [r["municipality"]] + forms(r):
            add(slug(f), "municipality", r["municipality"])
        add(slug(r["comarca"]), "comarca", r["comarca"])
        for part in r["comarca"].split(" / "):
            add(slug(part), "comarca", r["comarca"])
    return keys


def codes_sql():
    keys = place_keys()
    out = ["-- Reference data, part 2: each municipality's INE code (2-digit province + 3-digit municipality),",
           "-- its other official forms (the Basque and the Spanish name of a bilingual name) and its",
           "-- comarca's slug; and place_key, every form a place may be named by, normalised by",
           "-- place_slug(), with the place it names. Generated from data/basque-municipalities.csv by",
           "-- deploy/local/gen-municipalities.py (sources: data/README.md). Applied in every service's schema.",
           "CREATE OR REPLACE FUNCTION place_slug(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$",
           "    SELECT trim(both '-' FROM regexp_replace(lower(translate(name,",
           "        'áàâäéèêëíìîïóòôöúùûüñçÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇ',",
           "        'aaaaeeeeiiiioooouuuuncAAAAEEEEIIIIOOOOUUUUNC')), '[^a-z0-9]+', '-', 'g'))",
           "$$;",
           "ALTER TABLE municipality ADD COLUMN IF NOT EXISTS code text,",
           "    ADD COLUMN IF NOT EXISTS forms text[] NOT NULL DEFAULT '{}',",
           "    ADD COLUMN IF NOT EXISTS comarca_slug text;",
           "UPDATE municipality m SET code = v.code, forms = v.forms, comarca_slug = place_slug(m.comarca)",
           "  FROM (VALUES"]
    vals = []
    for r in rows:
        arr = "ARRAY[" + ", ".join(q(f) for f in forms(r)) + "]::text[]" if forms(r) else "'{}'::text[]"
        vals.append(f"    ({q(r['municipality'])}, {q(r['ine_code'])}, {arr})")
    out.append(",\n".join(vals))
    out += ["  ) AS v (name, code, forms) WHERE m.name = v.name;",
            "ALTER TABLE municipality ALTER COLUMN code SET NOT NULL, ALTER COLUMN comarca_slug SET NOT NULL,",
            "    ADD CONSTRAINT municipality_code_format CHECK (code ~ '^[0-9]{5}$');",
            "CREATE UNIQUE INDEX IF NOT EXISTS municipality_code ON municipality (code);",
            "CREATE INDEX IF NOT EXISTS municipality_comarca_slug ON municipality (comarca_slug);",
            "CREATE TABLE IF NOT EXISTS place_key (",
            "    key  text PRIMARY KEY,",
            "    kind text NOT NULL CHECK (kind IN ('municipality', 'comarca')),",
            "    name text NOT NULL",
            ");",
            "INSERT INTO place_key (key, kind, name) VALUES"]
    out.append(",\n".join(f"    ({q(k)}, {q(kind)}, {q(name)})" for k, (kind, name) in sorted(keys.items())))
    out.append("ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name;")
    return "\n".join(out) + "\n"


targets = {"common/sql/001_municipalities.sql": municipalities_sql(),
           "common/sql/004_place_codes.sql": codes_sql()}
if "--check" in sys.argv:
    # Used by the tests: the migrations say exactly what the CSV says.
    same = all(open(os.path.join(root, t), encoding="utf-8").read() == text for t, text in targets.items())
    print("reference_data: %d passed, %d failed" % (1 if same else 0, 0 if same else 1))
    sys.exit(0 if same else 1)
for t, text in targets.items():
    with open(os.path.join(root, t), "w", encoding="utf-8") as f:
        f.write(text)
