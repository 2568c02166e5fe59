-- Transactional outbox: every create, update and delete of a published resource is recorded here
-- by a trigger, in the same transaction as the change, so the change feed never shows a change
-- that did not happen and never misses one that did. Applied in every service's schema; a service
-- attaches outbox_record() to its tables in a migration of its own:
--
--   CREATE TRIGGER thing_outbox AFTER INSERT OR UPDATE OR DELETE ON thing
--       FOR EACH ROW EXECUTE FUNCTION outbox_record('thing', 'false');
--
-- Trigger arguments: resource name, 'true' when the resource is about a person (hidden from
-- researchers), and optionally a parent column and table for rows without an owner_org of their
-- own ('project_id', 'project'): the owner is then the parent's.
--
-- Readers serve rows in (txid, seq) order and only those whose transaction is older than every
-- transaction still running (txid < pg_snapshot_xmin(pg_current_snapshot())): a row of a
-- transaction that commits later always sorts after every row already served, so a reader that
-- keeps the last (txid, seq) it saw neither misses nor repeats a change. seq alone would not do:
-- sequence values are taken at insert time, not at commit.
CREATE TABLE IF NOT EXISTS outbox (
    seq          bigserial   PRIMARY KEY,
    txid         xid8        NOT NULL DEFAULT pg_current_xact_id(),
    resource     text        NOT NULL,
    id           uuid        NOT NULL,
    action       text        NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    etag         text,
    owner_org    uuid,
    person_level boolean     NOT NULL DEFAULT false,
    at           timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS outbox_order ON outbox (txid, seq);
CREATE INDEX IF NOT EXISTS outbox_at ON outbox (at);

CREATE OR REPLACE FUNCTION outbox_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rec jsonb;
    act text;
    owner uuid;
    parent_id uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        rec := to_jsonb(OLD);
        act := 'delete';
    ELSE
        rec := to_jsonb(NEW);
        act := CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE 'update' END;
    END IF;
    owner := (rec ->> 'owner_org')::uuid;
    IF owner IS NULL AND TG_NARGS >= 4 THEN
        parent_id := (rec ->> TG_ARGV[2])::uuid;
        EXECUTE format('SELECT owner_org FROM %I WHERE id = $1', TG_ARGV[3])
            INTO owner USING parent_id;
        IF owner IS NULL THEN
            -- The parent is gone in this same transaction (a cascading delete): its last record
            -- still names the owner.
            SELECT o.owner_org INTO owner FROM outbox o
             WHERE o.resource = TG_ARGV[3] AND o.id = parent_id
             ORDER BY o.seq DESC LIMIT 1;
        END IF;
    END IF;
    INSERT INTO outbox (resource, id, action, etag, owner_org, person_level)
    VALUES (TG_ARGV[0], (rec ->> 'id')::uuid, act,
            CASE WHEN act = 'delete' OR rec ->> 'version' IS NULL THEN NULL
                 ELSE '"v' || (rec ->> 'version') || '"' END,
            owner, coalesce(TG_NARGS >= 2 AND TG_ARGV[1]::boolean, false));
    RETURN NULL;
END $$;

-- One page of the change feed after the cursor (txid, seq), at most $3 rows scanned. Filters:
-- $4 sees every organisation, $5 the caller's organisation, $6 hides person-level rows, $7 the
-- resource types wanted (NULL for all). Answers the visible rows and the position of the last row
-- scanned, so that a caller who may see none of them still moves forward.
CREATE OR REPLACE FUNCTION outbox_page(after_txid xid8, after_seq bigint, scan int, sees_all boolean,
                                       org uuid, hide_person boolean, types text[])
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH scanned AS (
        SELECT * FROM outbox
         WHERE (txid, seq) > (after_txid, after_seq)
           AND txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY txid, seq
         LIMIT scan
    ), last AS (
        SELECT txid, seq FROM scanned ORDER BY txid DESC, seq DESC LIMIT 1
    )
    SELECT jsonb_build_object(
        'items', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'type', s.resource, 'id', s.id, 'action', s.action, 'etag', s.etag,
                       'at', s.at) ORDER BY s.txid, s.seq)
              FROM scanned s
             WHERE (sees_all OR s.owner_org = org)
               AND NOT (hide_person AND s.person_level)
               AND (types IS NULL OR s.resource = ANY (types))), '[]'::jsonb),
        'txid', coalesce((SELECT txid::text FROM last), after_txid::text),
        'seq', coalesce((SELECT seq FROM last), after_seq),
        'more', (SELECT count(*) FROM scanned) >= scan)
$$;
