-- One way to name a place, in every service: a municipality by its INE code or by any of its
-- official forms, a comarca by its slug or either of its names, matched without regard to case,
-- accents, surrounding spaces or how the parts of a bilingual name are joined ("Donostia/San
-- Sebastián", "donostia / san sebastian", "San Sebastián", "20069" name the same place): the text
-- is normalised by place_slug() and looked up in place_key (common/sql/004_place_codes.sql).

-- The place a text names: its kind and its stored name (a municipality's name, a comarca's name).
CREATE OR REPLACE FUNCTION place_find(q text) RETURNS TABLE (kind text, name text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.kind, k.name FROM place_key k WHERE k.key = place_slug(q)
$$;

-- The municipality a text names (its stored name), or NULL.
CREATE OR REPLACE FUNCTION place_municipality(q text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.name FROM place_key k WHERE k.key = place_slug(q) AND k.kind = 'municipality'
$$;

-- The comarca a text names (its stored name), or NULL.
CREATE OR REPLACE FUNCTION place_comarca(q text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.name FROM place_key k WHERE k.key = place_slug(q) AND k.kind = 'comarca'
$$;

-- Edit distance (insertions, deletions and substitutions of one character each).
CREATE OR REPLACE FUNCTION place_distance(a text, b text) RETURNS int
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    prev int[];
    cur int[];
    la int := length(a);
    lb int := length(b);
BEGIN
    IF la = 0 THEN RETURN lb; END IF;
    IF lb = 0 THEN RETURN la; END IF;
    prev := array(SELECT generate_series(0, lb));
    FOR i IN 1..la LOOP
        cur := ARRAY[i];
        FOR j IN 1..lb LOOP
            cur := cur || least(prev[j + 1] + 1, cur[j] + 1,
                                prev[j] + CASE WHEN substr(a, i, 1) = substr(b, j, 1) THEN 0 ELSE 1 END);
        END LOOP;
        prev := cur;
    END LOOP;
    RETURN prev[lb + 1];
END
$$;

-- The three places of the kinds asked ('municipality', 'comarca' or both) closest to a
-- text that names none: the smallest edit distance between the normalised text and any form of a
-- place, a form that starts with the text counting as close. For the 422 that refuses the text.
CREATE OR REPLACE FUNCTION place_suggest(q text, kinds text[]) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH s AS (SELECT left(place_slug(q), 60) AS q),
    d AS (SELECT k.name,
                 min(CASE WHEN s.q <> '' AND k.key LIKE s.q || '%' THEN 0
                          ELSE place_distance(s.q, k.key) END) AS dist
            FROM place_key k, s
           WHERE k.kind = ANY (kinds) AND k.key !~ '^[0-9]+$'
           GROUP BY k.name)
    SELECT coalesce(array_agg(name ORDER BY dist, name), '{}')
      FROM (SELECT name, dist FROM d ORDER BY dist, name LIMIT 3) x
$$;

-- A municipality as every service answers it.
CREATE OR REPLACE FUNCTION place_json(m municipality) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object('code', m.code, 'name', m.name, 'names', to_jsonb(array_prepend(m.name, m.forms)),
                              'slug', place_slug(m.name), 'province', m.province,
                              'comarca', jsonb_build_object('slug', m.comarca_slug, 'name', m.comarca))
$$;
