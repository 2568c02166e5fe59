-- ts() wraps to_char(), which is STABLE: declared IMMUTABLE it could not be inlined, and every
-- call went through the SQL function executor.
CREATE OR REPLACE FUNCTION ts(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
