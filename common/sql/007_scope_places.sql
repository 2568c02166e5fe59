-- The aggregate routes' place ids (?scope=municipality:<INE code>, 100_scope_codes.sql) cover every
-- municipality of the reference list: municipality_ine, which those statements read, is filled
-- from the list's own codes (004_place_codes.sql). The table is created here when this runs first
-- (a new database applies 007 before 100, whose CREATE TABLE IF NOT EXISTS and ON CONFLICT DO
-- NOTHING then leave it as it is).
CREATE TABLE IF NOT EXISTS municipality_ine (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
    name text NOT NULL UNIQUE REFERENCES municipality (name)
);
INSERT INTO municipality_ine (code, name) SELECT m.code, m.name FROM municipality m
ON CONFLICT DO NOTHING;
