-- A subscription is its creator's: only they (or an admin) read, change or delete it and its
-- deliveries. When the creator is an API client (creator_client), every delivery round checks
-- that the client still exists, is enabled, belongs to the same organisation and still holds
-- every role the subscription reads with; otherwise the subscription is suspended (nothing more
-- is queued or sent) and says why. polled_at orders the subscriptions whose feed the worker
-- reads next, so that every one gets its turn however many there are.
ALTER TABLE webhook_subscription ADD COLUMN creator_client uuid;
ALTER TABLE webhook_subscription ADD COLUMN suspended_reason text;
ALTER TABLE webhook_subscription ADD COLUMN polled_at timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE webhook_subscription DROP CONSTRAINT webhook_subscription_status_check;
ALTER TABLE webhook_subscription ADD CONSTRAINT webhook_subscription_status_check
    CHECK (status IN ('active', 'failing', 'suspended'));
UPDATE webhook_subscription s SET creator_client = c.id FROM client c
 WHERE c.id::text = s.created_by;
CREATE INDEX webhook_subscription_creator ON webhook_subscription (owner_org, created_by);
CREATE INDEX webhook_subscription_turn ON webhook_subscription (polled_at, id)
    WHERE status = 'active';

-- NULL when the creator may still read as the subscription does, else why not.
CREATE FUNCTION webhook_creator_problem(s webhook_subscription) RETURNS text LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN s.creator_client IS NULL THEN NULL
        WHEN c.id IS NULL THEN 'the client that created it was deleted'
        WHEN NOT c.enabled THEN 'the client that created it is disabled'
        WHEN coalesce(c.organisation_id, '00000000-0000-0000-0000-000000000000') <> s.owner_org
            THEN 'the client that created it belongs to another organisation'
        WHEN NOT (s.roles <@ c.roles) THEN 'the client that created it no longer has its roles'
    END
      FROM (SELECT 1) one LEFT JOIN client c ON c.id = s.creator_client
$$;

CREATE OR REPLACE FUNCTION webhook_subscription_json(s webhook_subscription) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', s.id, 'organisation_id', s.owner_org, 'url', s.target_url,
        'types', to_jsonb(s.event_types), 'status', s.status,
        'suspended_reason', s.suspended_reason, 'version', s.version,
        'created_at', ts(s.created_at), 'updated_at', ts(s.updated_at))
$$;
