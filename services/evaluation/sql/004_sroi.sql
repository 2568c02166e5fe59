-- Social return on investment: one model per project of the projects service, kept as the
-- document the API reads and writes (in-kind inputs, outcomes for people with their financial
-- proxies, deadweight, attribution, drop-off and duration, the discount rate). Assumptions may
-- be left out while the model is drafted; GET .../sroi names every one still missing. The
-- project's funding is read from the projects service at computation time, never copied here.
CREATE TABLE sroi_models (
    project_id uuid PRIMARY KEY,
    owner_org  uuid NOT NULL,
    model      jsonb NOT NULL CHECK (jsonb_typeof(model) = 'object'),
    updated_by text,
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sroi_models_owner ON sroi_models (owner_org, project_id);
CREATE TRIGGER sroi_models_touch BEFORE UPDATE ON sroi_models FOR EACH ROW EXECUTE FUNCTION touch();

CREATE FUNCTION sroi_model_json(m sroi_models) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT m.model || jsonb_build_object('project_id', m.project_id, 'owner_org', m.owner_org,
        'version', m.version, 'created_at', ts(m.created_at), 'updated_at', ts(m.updated_at))
$$;
