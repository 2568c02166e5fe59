-- The municipalities of an aggregate scope read the reference columns (004_place_codes.sql): a
-- comarca by municipality.comarca_slug, a municipality by municipality.code. The same answer as
-- 100_scope_codes.sql's (municipality_ine mirrors those codes, 007 and 008), from one source.
create or replace function scope_municipalities(kind text, id text) returns text[]
language sql stable as $$
    select coalesce(array_agg(m.name), '{}') from municipality m
     where (kind = 'comarca' and m.comarca_slug = id)
        or (kind = 'municipality' and m.code = id)
$$;
