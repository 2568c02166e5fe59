-- API clients of POST /auth/token (OAuth 2.0 client credentials). Secrets are kept only as
-- PBKDF2-SHA256 hashes; the secret itself is shown once, when it is made.
CREATE TABLE client (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    organisation_id   uuid,
    roles             text[]      NOT NULL CHECK (cardinality(roles) >= 1),
    scopes            text[]      NOT NULL DEFAULT '{}',
    enabled           boolean     NOT NULL DEFAULT true,
    secret_hash       text        NOT NULL CHECK (secret_hash LIKE 'pbkdf2-sha256$%'),
    secret_rotated_at timestamptz NOT NULL DEFAULT now(),
    version           int         NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_created ON client (created_at, id);

CREATE FUNCTION ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION client_json(c client) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', c.id, 'name', c.name, 'organisation_id', c.organisation_id,
        'roles', to_jsonb(c.roles), 'scopes', to_jsonb(c.scopes), 'enabled', c.enabled,
        'secret_rotated_at', ts(c.secret_rotated_at), 'version', c.version,
        'created_at', ts(c.created_at), 'updated_at', ts(c.updated_at))
$$;
