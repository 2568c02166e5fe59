-- Bulk pushes: the lines ([{"i": line, "d": object}]) with each member named in fields that names
-- a municipality in any form (place_municipality) replaced by the municipality's stored name, so
-- that the per-line statements store and check one form. A text that names none is left as it is
-- for the statement to refuse.
CREATE OR REPLACE FUNCTION place_lines(lines jsonb, fields text[]) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(jsonb_agg((SELECT jsonb_set(e, '{d}', e->'d' || coalesce(jsonb_object_agg(f,
                        place_municipality(e->'d'->>f)) FILTER (WHERE place_municipality(e->'d'->>f)
                        IS NOT NULL), '{}'))
                       FROM unnest(fields) f) ORDER BY o), '[]')
      FROM jsonb_array_elements(lines) WITH ORDINALITY AS l (e, o)
$$;

-- A municipality as every service answers it: the stored name and province as before, the comarca
-- still by its name (clients read it so) beside its slug, and the ids every service accepts.
CREATE OR REPLACE FUNCTION place_json(m municipality) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object('code', m.code, 'name', m.name, 'names', to_jsonb(array_prepend(m.name, m.forms)),
                              'slug', place_slug(m.name), 'province', m.province,
                              'comarca', m.comarca, 'comarca_slug', m.comarca_slug)
$$;

-- A text folded for a search inside names: lower case, accents dropped, surrounding spaces and the
-- spaces around a '/' gone ("Donostia / San Sebastián" and "donostia/san sebastian" fold alike).
CREATE OR REPLACE FUNCTION place_fold(name text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(lower(translate(btrim(name),
        'áàâäéèêëíìîïóòôöúùûüñçÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇ',
        'aaaaeeeeiiiioooouuuuncAAAAEEEEIIIIOOOOUUUUNC')), '\s*/\s*', '/', 'g')
$$;
