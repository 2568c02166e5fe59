-- Webhook subscriptions of API clients, per organisation, and the log of their deliveries. A
-- subscription reads the change feed as its organisation with the roles of whoever made it
-- (feed_cursor: its position in the feed); every change it takes becomes one delivery row in the
-- same transaction that moves the cursor, so none is lost or doubled. The secret signs the
-- deliveries (Standard Webhooks), so it is kept as is; the API shows it only at creation.
CREATE TABLE webhook_subscription (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_org       uuid        NOT NULL,
    created_by      text        NOT NULL,
    roles           text[]      NOT NULL,
    target_url      text        NOT NULL CHECK (length(target_url) BETWEEN 8 AND 2048),
    event_types     text[]      NOT NULL DEFAULT '{}',
    secret          text        NOT NULL CHECK (secret LIKE 'whsec_%'),
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
    feed_cursor     text,
    version         int         NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscription_owner ON webhook_subscription (owner_org, created_at, id);

CREATE TABLE webhook_delivery (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id uuid        NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    first_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_status     int,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_log ON webhook_delivery (subscription_id, created_at, id);

CREATE FUNCTION webhook_subscription_json(s webhook_subscription) RETURNS jsonb LANGUAGE sql
STABLE AS $$
    SELECT jsonb_build_object('id', s.id, 'organisation_id', s.owner_org, 'url', s.target_url,
        'types', to_jsonb(s.event_types), 'status', s.status, 'version', s.version,
        'created_at', ts(s.created_at), 'updated_at', ts(s.updated_at))
$$;

CREATE FUNCTION webhook_delivery_json(d webhook_delivery) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', d.id, 'subscription_id', d.subscription_id,
        'type', d.event_type, 'payload', d.payload, 'status', d.status, 'attempts', d.attempts,
        'next_attempt_at', CASE WHEN d.status = 'pending' THEN ts(d.next_attempt_at) END,
        'last_attempt_at', ts(d.last_attempt_at), 'last_status', d.last_status,
        'last_error', d.last_error, 'delivered_at', ts(d.delivered_at),
        'created_at', ts(d.created_at))
$$;
