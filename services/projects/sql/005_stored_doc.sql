-- A project's JSON document is kept in its row, written by a trigger whenever the row is: a read
-- returns the stored text instead of building it (to_jsonb of the row) every time, which was most
-- of the cost of GET /v1/projects/{id}. Rows written with triggers off (session_replication_role =
-- replica, as bulk loaders do) have no document; reads build it for them (see projects.c). A
-- migration that changes the columns of project must rewrite the documents too.
ALTER TABLE project ADD COLUMN IF NOT EXISTS doc text;

CREATE OR REPLACE FUNCTION project_json(p project) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(p) - 'doc'
$$;

-- Named to run after the other BEFORE triggers of the row (they fire in name order). Timestamps
-- are written in UTC, as the services' sessions read them, whoever writes the row.
CREATE OR REPLACE FUNCTION project_store_doc() RETURNS trigger LANGUAGE plpgsql
SET timezone = 'UTC' AS $$
BEGIN
    NEW.doc := (to_jsonb(NEW) - 'doc')::text;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS zz_project_doc ON project;
CREATE TRIGGER zz_project_doc BEFORE INSERT OR UPDATE ON project
    FOR EACH ROW EXECUTE FUNCTION project_store_doc();

-- Existing rows: the document only, not a change of the project (no change-feed entry).
ALTER TABLE project DISABLE TRIGGER project_outbox;
SET LOCAL timezone = 'UTC';
UPDATE project SET doc = (to_jsonb(project) - 'doc')::text;
ALTER TABLE project ENABLE TRIGGER project_outbox;
