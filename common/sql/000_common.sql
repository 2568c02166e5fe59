-- Tables every service keeps in its own schema.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller       text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    status       int         NOT NULL,
    content_type text,
    etag         text,
    location     text,
    body         text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
