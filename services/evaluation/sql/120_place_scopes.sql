-- Municipality and comarca scopes name a place of the shared reference list: a municipality by
-- its 5-digit INE code, a comarca by its slug (common/sql/004_place_codes.sql; the service turns any
-- name a client sends into these ids). The 1-8 character comarca codes of earlier values stay valid.
CREATE OR REPLACE FUNCTION scope_valid(kind text, id text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE kind
        WHEN 'hub' THEN id IS NULL
        WHEN 'project' THEN id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        WHEN 'municipality' THEN id ~ '^[0-9]{5}$'
        WHEN 'comarca' THEN id ~ '^[0-9A-Za-z]{1,8}$' OR (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND id ~ '[a-z]' AND length(id) <= 160)
        ELSE false
    END
$$;
