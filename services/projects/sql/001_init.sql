-- Projects service: organisations, projects, participants, monitoring
-- reports. Every object has an owner organisation (owner_org) for object-level checks, a version
-- for ETags, created_at and updated_at. JSON shapes are built here, once, by *_json functions.

-- The reference table municipality comes from common/sql/001_municipalities.sql.

CREATE TABLE organisation (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_org    uuid NOT NULL,
    external_id  text,
    name         text NOT NULL,
    type         text NOT NULL CHECK (type IN ('municipality', 'third_sector', 'company', 'university',
                     'technology_centre', 'public_health', 'public_social_services',
                     'provincial_government', 'regional_government', 'other')),
    municipality text REFERENCES municipality (name),
    website      text,
    version      int NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_org, external_id)
);
CREATE INDEX organisation_list ON organisation (created_at, id);
CREATE INDEX organisation_name ON organisation (lower(name), id);
CREATE INDEX organisation_type ON organisation (type, created_at, id);
CREATE INDEX organisation_owner ON organisation (owner_org, created_at, id);

CREATE TABLE project (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_org       uuid NOT NULL,
    external_id     text,
    code            text NOT NULL UNIQUE,
    title           text NOT NULL,
    summary         text,
    call_name       text,
    call_year       int CHECK (call_year BETWEEN 2000 AND 2100),
    start_date      date,
    end_date        date,
    phase           text NOT NULL DEFAULT 'concept_design' CHECK (phase IN ('concept_design',
                        'execution_monitoring', 'consolidation', 'scaling_transformation')),
    themes          text[] NOT NULL DEFAULT '{}',
    epsr_principles int[] NOT NULL DEFAULT '{}',
    municipalities  text[] NOT NULL DEFAULT '{}',
    funders         jsonb NOT NULL DEFAULT '[]',
    version         int NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_org, external_id),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX project_list ON project (created_at, id);
CREATE INDEX project_code ON project (code, id);
CREATE INDEX project_title ON project (lower(title), id);
CREATE INDEX project_year ON project (call_year, id);
CREATE INDEX project_phase ON project (phase, created_at, id);
CREATE INDEX project_owner ON project (owner_org, created_at, id);
CREATE INDEX project_themes ON project USING gin (themes);
CREATE INDEX project_municipalities ON project USING gin (municipalities);

CREATE TABLE participant (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id               uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    organisation_id          uuid NOT NULL REFERENCES organisation (id),
    role                     text NOT NULL CHECK (role IN ('lead', 'partner', 'funder', 'evaluator',
                                 'technology_partner')),
    social_workers           int NOT NULL DEFAULT 0 CHECK (social_workers >= 0),
    policy_makers            int NOT NULL DEFAULT 0 CHECK (policy_makers >= 0),
    professionals_researchers int NOT NULL DEFAULT 0 CHECK (professionals_researchers >= 0),
    version                  int NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, organisation_id, role)
);
CREATE INDEX participant_project ON participant (project_id, created_at, id);
CREATE INDEX participant_organisation ON participant (organisation_id);

CREATE TABLE report (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id      uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    external_id     text,
    period          text NOT NULL,
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    status          text NOT NULL CHECK (status IN ('on_track', 'at_risk', 'off_track')),
    milestones      jsonb NOT NULL DEFAULT '[]',
    spend           numeric(14, 2) CHECK (spend >= 0),
    reach_fragile   int NOT NULL DEFAULT 0 CHECK (reach_fragile >= 0),
    reach_caregivers int NOT NULL DEFAULT 0 CHECK (reach_caregivers >= 0),
    risks           text[] NOT NULL DEFAULT '{}',
    narrative       text,
    version         int NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, period)
);
CREATE INDEX report_latest ON report (project_id, period_end DESC);

-- A period is a year (2025), a half (2025-H1), a quarter (2025-Q3) or a month (2025-07).
CREATE FUNCTION period_bounds(p text, OUT first date, OUT last date) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE y int;
BEGIN
    IF p !~ '^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$' THEN
        RAISE EXCEPTION 'must be a year (2025), half (2025-H1), quarter (2025-Q3) or month (2025-07)'
            USING ERRCODE = 'P0001', HINT = '/period';
    END IF;
    y := substr(p, 1, 4)::int;
    IF length(p) = 4 THEN
        first := make_date(y, 1, 1); last := make_date(y, 12, 31);
    ELSIF substr(p, 6, 1) = 'H' THEN
        first := make_date(y, (substr(p, 7, 1)::int - 1) * 6 + 1, 1);
        last := (first + interval '6 months' - interval '1 day')::date;
    ELSIF substr(p, 6, 1) = 'Q' THEN
        first := make_date(y, (substr(p, 7, 1)::int - 1) * 3 + 1, 1);
        last := (first + interval '3 months' - interval '1 day')::date;
    ELSE
        first := make_date(y, substr(p, 6, 2)::int, 1);
        last := (first + interval '1 month' - interval '1 day')::date;
    END IF;
END $$;

-- Municipalities named in a project must exist in the reference list.
CREATE FUNCTION project_check_municipalities() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE unknown text;
BEGIN
    SELECT m INTO unknown FROM unnest(NEW.municipalities) m
     WHERE NOT EXISTS (SELECT 1 FROM municipality WHERE name = m) LIMIT 1;
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'is not a municipality of the reference list: %', unknown
            USING ERRCODE = 'P0001', HINT = '/municipalities';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER project_municipalities_exist BEFORE INSERT OR UPDATE OF municipalities ON project
    FOR EACH ROW EXECUTE FUNCTION project_check_municipalities();

CREATE FUNCTION report_set_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT first, last INTO NEW.period_start, NEW.period_end FROM period_bounds(NEW.period);
    RETURN NEW;
END $$;
CREATE TRIGGER report_period BEFORE INSERT OR UPDATE OF period ON report
    FOR EACH ROW EXECUTE FUNCTION report_set_period();

CREATE FUNCTION ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION organisation_json(o organisation) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', o.id, 'name', o.name, 'type', o.type,
        'municipality', o.municipality, 'comarca', (SELECT comarca FROM municipality WHERE name = o.municipality),
        'website', o.website, 'external_id', o.external_id, 'owner_org', o.owner_org,
        'version', o.version, 'created_at', ts(o.created_at), 'updated_at', ts(o.updated_at))
$$;

CREATE FUNCTION project_json(p project) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', p.id, 'code', p.code, 'title', p.title, 'summary', p.summary,
        'call_name', p.call_name, 'call_year', p.call_year, 'start_date', p.start_date,
        'end_date', p.end_date, 'phase', p.phase, 'themes', to_jsonb(p.themes),
        'epsr_principles', to_jsonb(p.epsr_principles), 'municipalities', to_jsonb(p.municipalities),
        'funders', p.funders, 'external_id', p.external_id, 'owner_org', p.owner_org,
        'version', p.version, 'created_at', ts(p.created_at), 'updated_at', ts(p.updated_at))
$$;

CREATE FUNCTION participant_json(x participant) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', x.id, 'project_id', x.project_id,
        'organisation_id', x.organisation_id,
        'organisation', (SELECT jsonb_build_object('id', o.id, 'name', o.name, 'type', o.type)
                           FROM organisation o WHERE o.id = x.organisation_id),
        'role', x.role, 'social_workers', x.social_workers, 'policy_makers', x.policy_makers,
        'professionals_researchers', x.professionals_researchers, 'version', x.version,
        'created_at', ts(x.created_at), 'updated_at', ts(x.updated_at))
$$;

CREATE FUNCTION report_json(r report) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', r.id, 'project_id', r.project_id, 'period', r.period,
        'period_start', r.period_start, 'period_end', r.period_end, 'status', r.status,
        'milestones', r.milestones, 'spend', r.spend, 'reach_fragile', r.reach_fragile,
        'reach_caregivers', r.reach_caregivers, 'reach_total', r.reach_fragile + r.reach_caregivers,
        'risks', to_jsonb(r.risks), 'narrative', r.narrative, 'external_id', r.external_id,
        'version', r.version, 'created_at', ts(r.created_at), 'updated_at', ts(r.updated_at))
$$;

-- Who may read a project: roles that see everything, its owner, and its participants.
CREATE FUNCTION project_readable(p_id uuid, p_owner uuid, caller_org uuid, sees_all boolean)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT sees_all OR p_owner = caller_org
        OR EXISTS (SELECT 1 FROM participant WHERE project_id = p_id AND organisation_id = caller_org)
$$;

CREATE FUNCTION organisation_check_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.municipality IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM municipality WHERE name = NEW.municipality) THEN
        RAISE EXCEPTION 'is not a municipality of the reference list: %', NEW.municipality
            USING ERRCODE = 'P0001', HINT = '/municipality';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER organisation_municipality_exists BEFORE INSERT OR UPDATE OF municipality
    ON organisation FOR EACH ROW EXECUTE FUNCTION organisation_check_municipality();
