-- municipality_ine agrees with the reference list's INE codes (004_place_codes.sql): a row that
-- gives a municipality another code (20061 is Orio's; Ordizia's is 20076) is replaced by the
-- reference's, so a scope municipality:<code> names the municipality INE gives that code.
DELETE FROM municipality_ine i USING municipality m
 WHERE (m.name = i.name AND m.code <> i.code) OR (m.code = i.code AND m.name <> i.name);
INSERT INTO municipality_ine (code, name) SELECT m.code, m.name FROM municipality m
ON CONFLICT DO NOTHING;
