-- Evaluation: indicator framework, indicator values, Likert questionnaires, campaigns and responses.
-- Tables are unqualified: the service's search_path starts with its own schema.
--
-- Conventions: every resource has id uuid, version (bumped on each update, the ETag),
-- created_at and updated_at (kept by the touch() trigger). Translatable texts are jsonb
-- objects with exactly the keys eu, es and en (see i18n_valid).

-- Helpers --------------------------------------------------------------------------------------

-- A translatable text: {"eu": "...", "es": "...", "en": "..."}, all three present and non-empty.
CREATE FUNCTION i18n_valid(t jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT jsonb_typeof(t) = 'object'
       AND (SELECT count(*) FROM jsonb_object_keys(t)) = 3
       AND jsonb_typeof(t->'eu') = 'string' AND length(btrim(t->>'eu')) > 0
       AND jsonb_typeof(t->'es') = 'string' AND length(btrim(t->>'es')) > 0
       AND jsonb_typeof(t->'en') = 'string' AND length(btrim(t->>'en')) > 0
$$;

-- Same, but the text may be absent (NULL). Self-contained: CHECK constraints must not depend
-- on search_path.
CREATE FUNCTION i18n_valid_or_null(t jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT t IS NULL
        OR (jsonb_typeof(t) = 'object'
            AND (SELECT count(*) FROM jsonb_object_keys(t)) = 3
            AND jsonb_typeof(t->'eu') = 'string' AND length(btrim(t->>'eu')) > 0
            AND jsonb_typeof(t->'es') = 'string' AND length(btrim(t->>'es')) > 0
            AND jsonb_typeof(t->'en') = 'string' AND length(btrim(t->>'en')) > 0)
$$;

-- Reporting periods: 'YYYY', 'YYYY-H1'..'YYYY-H2', 'YYYY-Q1'..'YYYY-Q4', 'YYYY-MM'.
CREATE FUNCTION period_valid(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p ~ '^(19|20|21)[0-9]{2}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$'
$$;

-- First day of a period (NULL for a malformed one, so that the CHECK reports it).
CREATE FUNCTION period_start(p text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p !~ '^(19|20|21)[0-9]{2}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$' THEN NULL
        WHEN p ~ '^[0-9]{4}$' THEN make_date(p::int, 1, 1)
        WHEN p ~ '^[0-9]{4}-H[12]$' THEN make_date(left(p, 4)::int, (right(p, 1)::int - 1) * 6 + 1, 1)
        WHEN p ~ '^[0-9]{4}-Q[1-4]$' THEN make_date(left(p, 4)::int, (right(p, 1)::int - 1) * 3 + 1, 1)
        WHEN p ~ '^[0-9]{4}-[0-9]{2}$' THEN make_date(left(p, 4)::int, right(p, 2)::int, 1)
    END
$$;

-- The period just before p, of the same length ('2025-Q1' -> '2024-Q4'); NULL if malformed.
CREATE FUNCTION period_previous(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN p !~ '^(19|20|21)[0-9]{2}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$' THEN NULL
        WHEN p ~ '^[0-9]{4}$' THEN (p::int - 1)::text
        WHEN p ~ '^[0-9]{4}-H[12]$' THEN
            CASE right(p, 1) WHEN '1' THEN (left(p, 4)::int - 1)::text || '-H2' ELSE left(p, 4) || '-H1' END
        WHEN p ~ '^[0-9]{4}-Q[1-4]$' THEN
            CASE right(p, 1) WHEN '1' THEN (left(p, 4)::int - 1)::text || '-Q4'
                 ELSE left(p, 6) || (right(p, 1)::int - 1)::text END
        WHEN p ~ '^[0-9]{4}-[0-9]{2}$' THEN to_char(make_date(left(p, 4)::int, right(p, 2)::int, 1) - 1, 'YYYY-MM')
    END
$$;

-- Scope of a value or campaign: the whole hub, a project (uuid), a municipality (5-digit INE
-- code) or a comarca (Eustat code). The hub has no id.
CREATE FUNCTION scope_valid(kind text, id text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE kind
        WHEN 'hub' THEN id IS NULL
        WHEN 'project' THEN id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        WHEN 'municipality' THEN id ~ '^[0-9]{5}$'
        WHEN 'comarca' THEN id ~ '^[0-9A-Za-z]{1,8}$'
        ELSE false
    END
$$;

-- Keeps updated_at and version current on every update.
CREATE FUNCTION touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    NEW.version := OLD.version + 1;
    NEW.created_at := OLD.created_at;
    RETURN NEW;
END
$$;

-- Framework ------------------------------------------------------------------------------------

CREATE TABLE frameworks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
    name        jsonb NOT NULL CHECK (i18n_valid(name)),
    description jsonb CHECK (i18n_valid_or_null(description)),
    owner_org   uuid, -- NULL: the hub's own framework, edited by admins only
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dimensions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    framework_id uuid NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    code         text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    position     integer NOT NULL DEFAULT 0 CHECK (position >= 0),
    name         jsonb NOT NULL CHECK (i18n_valid(name)),
    description  jsonb CHECK (i18n_valid_or_null(description)),
    weight       numeric NOT NULL DEFAULT 1 CHECK (weight >= 0),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (framework_id, code)
);

CREATE TABLE sub_dimensions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dimension_id uuid NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,
    code         text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    position     integer NOT NULL DEFAULT 0 CHECK (position >= 0),
    name         jsonb NOT NULL CHECK (i18n_valid(name)),
    description  jsonb CHECK (i18n_valid_or_null(description)),
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dimension_id, code)
);

-- An indicator is scored 0-100 against baseline (scores 0) and target (scores 100); the
-- thresholds split the scale into bands (below threshold_low: alert, at or beyond
-- threshold_high: good) read in the indicator's direction. compute_key names a figure taken
-- from another service (e.g. 'hub_summary.persons_reached') instead of a recorded value.
CREATE TABLE indicators (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    framework_id    uuid NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    dimension_id    uuid NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,
    sub_dimension_id uuid REFERENCES sub_dimensions(id) ON DELETE SET NULL,
    code            text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    position        integer NOT NULL DEFAULT 0 CHECK (position >= 0),
    name            jsonb NOT NULL CHECK (i18n_valid(name)),
    description     jsonb CHECK (i18n_valid_or_null(description)),
    kind            text NOT NULL CHECK (kind IN ('quantitative', 'qualitative', 'participatory')),
    unit            text NOT NULL CHECK (unit IN ('count', 'percent', 'ratio', 'rate_per_100',
                                                  'months', 'days', 'hours', 'euros', 'score',
                                                  'level', 'likert_mean')),
    direction       text NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
    min_value       numeric,
    max_value       numeric,
    baseline        numeric,
    target          numeric,
    threshold_low   numeric,
    threshold_high  numeric,
    compute_key     text CHECK (compute_key ~ '^[a-z_]+\.[a-z_.]+$'),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (framework_id, code),
    CHECK (min_value IS NULL OR max_value IS NULL OR min_value < max_value),
    CHECK (baseline IS NULL OR target IS NULL OR baseline <> target),
    CHECK (baseline IS NULL OR target IS NULL
           OR (direction = 'higher_is_better') = (target > baseline)),
    CHECK (threshold_low IS NULL OR threshold_high IS NULL
           OR (direction = 'higher_is_better' AND threshold_low <= threshold_high)
           OR (direction = 'lower_is_better' AND threshold_low >= threshold_high))
);
CREATE INDEX indicators_dimension ON indicators (dimension_id, position);
CREATE INDEX indicators_sub_dimension ON indicators (sub_dimension_id) WHERE sub_dimension_id IS NOT NULL;

-- Indicator values ------------------------------------------------------------------------------

-- One current value per indicator, scope and period; every change leaves the old row in
-- indicator_value_history.
CREATE TABLE indicator_values (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    indicator_id uuid NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    scope_type   text NOT NULL CHECK (scope_type IN ('hub', 'project', 'municipality', 'comarca')),
    scope_id     text,
    period       text NOT NULL CHECK (period_valid(period)),
    period_start date GENERATED ALWAYS AS (period_start(period)) STORED,
    value        numeric NOT NULL,
    value_text   text CHECK (length(value_text) <= 2000),
    source       text NOT NULL DEFAULT 'manual' CHECK (source ~ '^(manual|computed|survey|import)(:[A-Za-z0-9_.:/-]{1,120})?$'),
    evidence     text CHECK (length(evidence) <= 4000),
    owner_org    uuid,
    recorded_by  text,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (scope_valid(scope_type, scope_id))
);
CREATE UNIQUE INDEX indicator_values_one_per_period
    ON indicator_values (indicator_id, scope_type, coalesce(scope_id, ''), period);
CREATE INDEX indicator_values_scope_period ON indicator_values (scope_type, scope_id, period);
CREATE INDEX indicator_values_owner ON indicator_values (owner_org);

CREATE TABLE indicator_value_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    value_id     uuid NOT NULL,
    indicator_id uuid NOT NULL,
    scope_type   text NOT NULL,
    scope_id     text,
    period       text NOT NULL,
    value        numeric NOT NULL,
    value_text   text,
    source       text NOT NULL,
    evidence     text,
    recorded_by  text,
    version      integer NOT NULL,
    valid_from   timestamptz NOT NULL, -- when this value was recorded
    valid_to     timestamptz NOT NULL DEFAULT now(), -- when it was replaced or deleted
    operation    text NOT NULL CHECK (operation IN ('update', 'delete'))
);
CREATE INDEX indicator_value_history_value ON indicator_value_history (value_id, id);

CREATE FUNCTION keep_indicator_value_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO indicator_value_history (value_id, indicator_id, scope_type, scope_id, period,
                                         value, value_text, source, evidence, recorded_by,
                                         version, valid_from, operation)
    VALUES (OLD.id, OLD.indicator_id, OLD.scope_type, OLD.scope_id, OLD.period, OLD.value,
            OLD.value_text, OLD.source, OLD.evidence, OLD.recorded_by, OLD.version,
            OLD.updated_at, lower(TG_OP));
    RETURN NULL;
END
$$;
CREATE TRIGGER indicator_values_history AFTER UPDATE OR DELETE ON indicator_values
    FOR EACH ROW EXECUTE FUNCTION keep_indicator_value_history();

-- Questionnaires --------------------------------------------------------------------------------

CREATE TABLE questionnaires (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
    title       jsonb NOT NULL CHECK (i18n_valid(title)),
    description jsonb CHECK (i18n_valid_or_null(description)),
    owner_org   uuid, -- NULL: a hub questionnaire, usable by every organisation
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questionnaires_owner ON questionnaires (owner_org);

CREATE TABLE questionnaire_sections (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE CASCADE,
    code             text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    position         integer NOT NULL DEFAULT 0 CHECK (position >= 0),
    title            jsonb NOT NULL CHECK (i18n_valid(title)),
    description      jsonb CHECK (i18n_valid_or_null(description)),
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (questionnaire_id, code)
);

-- A Likert item. scale_labels holds one translatable label per point, from scale_min up.
-- indicator_id links an item to a participatory indicator that its mean feeds.
CREATE TABLE items (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE CASCADE,
    section_id       uuid REFERENCES questionnaire_sections(id) ON DELETE SET NULL,
    code             text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    position         integer NOT NULL DEFAULT 0 CHECK (position >= 0),
    text             jsonb NOT NULL CHECK (i18n_valid(text)),
    scale_min        smallint NOT NULL DEFAULT 1,
    scale_max        smallint NOT NULL DEFAULT 5,
    scale_labels     jsonb NOT NULL,
    allow_comment    boolean NOT NULL DEFAULT true,
    indicator_id     uuid REFERENCES indicators(id) ON DELETE SET NULL,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (questionnaire_id, code),
    CHECK (scale_min >= 0 AND scale_max > scale_min AND scale_max - scale_min <= 10),
    CHECK (jsonb_typeof(scale_labels) = 'array'
           AND jsonb_array_length(scale_labels) = scale_max - scale_min + 1)
);
CREATE INDEX items_questionnaire ON items (questionnaire_id, position);

-- Campaigns and responses -----------------------------------------------------------------------

-- A questionnaire put to a scope over a period, for some respondent roles. Results are shown
-- only for groups of at least min_group_size answers. closed_at set means closed early.
CREATE TABLE campaigns (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    questionnaire_id uuid NOT NULL REFERENCES questionnaires(id) ON DELETE RESTRICT,
    code             text CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
    title            text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    scope_type       text NOT NULL CHECK (scope_type IN ('hub', 'project', 'municipality', 'comarca')),
    scope_id         text,
    period           text CHECK (period IS NULL OR period_valid(period)),
    opens_at         timestamptz NOT NULL,
    closes_at        timestamptz NOT NULL,
    closed_at        timestamptz,
    roles            text[] NOT NULL DEFAULT ARRAY['policy_maker', 'professional', 'third_sector',
                                                   'person_receiving_care', 'family_caregiver',
                                                   'researcher'],
    min_group_size   integer NOT NULL DEFAULT 5 CHECK (min_group_size BETWEEN 1 AND 1000),
    consensus_at     numeric NOT NULL DEFAULT 0.70 CHECK (consensus_at BETWEEN 0 AND 1),
    divergence_below numeric NOT NULL DEFAULT 0.50 CHECK (divergence_below BETWEEN 0 AND 1),
    owner_org        uuid,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (scope_valid(scope_type, scope_id)),
    CHECK (closes_at > opens_at),
    CHECK (divergence_below <= consensus_at),
    CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['policy_maker', 'professional', 'third_sector',
                                                      'person_receiving_care', 'family_caregiver',
                                                      'researcher'])
);
CREATE UNIQUE INDEX campaigns_code ON campaigns (owner_org, code) WHERE code IS NOT NULL;
CREATE INDEX campaigns_questionnaire ON campaigns (questionnaire_id);
CREATE INDEX campaigns_owner ON campaigns (owner_org, created_at DESC, id);

-- Whether a campaign accepts answers at time t.
CREATE FUNCTION campaign_open(c campaigns, t timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT c.closed_at IS NULL AND t >= c.opens_at AND t < c.closes_at
$$;

-- A respondent of one campaign: the subject of the caller's token (never shown in results)
-- or a panel member registered by the campaign's organisation, with a role.
CREATE TABLE respondents (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    subject     text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    role        text NOT NULL CHECK (role IN ('policy_maker', 'professional', 'third_sector',
                                              'person_receiving_care', 'family_caregiver',
                                              'researcher')),
    owner_org   uuid,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, subject)
);

-- One response per respondent per campaign; a new submission while the campaign is open
-- replaces the answers. role is copied from the respondent so that results group quickly.
CREATE TABLE responses (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    campaign_id   uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    respondent_id uuid NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
    role          text NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    owner_org     uuid,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, respondent_id)
);
CREATE INDEX responses_campaign ON responses (campaign_id, created_at, id);

-- Answers carry campaign and role beside the value so that the counts below can be kept by
-- statement triggers without joins. All items of a questionnaire are answered, so a first
-- submission inserts every answer and a replacement updates them in place.
CREATE TABLE answers (
    response_id uuid NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    item_id     uuid NOT NULL REFERENCES items(id) ON DELETE RESTRICT,
    campaign_id uuid NOT NULL,
    role        text NOT NULL,
    value       smallint NOT NULL CHECK (value BETWEEN 0 AND 10),
    comment     text CHECK (length(comment) <= 2000),
    PRIMARY KEY (response_id, item_id)
);
CREATE INDEX answers_item ON answers (item_id);
CREATE INDEX answers_comments ON answers (campaign_id, item_id) WHERE comment IS NOT NULL;

-- Counts per campaign, item, role and scale point, kept current by the triggers on answers:
-- results read a few hundred rows instead of counting every answer (100 000 responses x 13
-- items would be 1.3 million rows). Each statement applies its net change in one upsert
-- ordered by key, so concurrent submissions lock counters in the same order.
CREATE TABLE answer_counts (
    campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    item_id     uuid NOT NULL,
    role        text NOT NULL,
    value       smallint NOT NULL,
    n           bigint NOT NULL, -- no CHECK (n >= 0): it would reject the proposed row of a
                                 -- decrementing upsert before the conflict turns it into an update
    PRIMARY KEY (campaign_id, item_id, role, value)
);

CREATE FUNCTION count_answers_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answer_counts AS c (campaign_id, item_id, role, value, n)
    SELECT campaign_id, item_id, role, value, count(*)
      FROM new_answers GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, item_id, role, value) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END
$$;

CREATE FUNCTION count_answers_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Only existing counters are lowered: when a campaign is deleted its counters may
    -- already be gone.
    UPDATE answer_counts c SET n = c.n - d.n
      FROM (SELECT campaign_id, item_id, role, value, count(*) AS n
              FROM old_answers GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) d
     WHERE (c.campaign_id, c.item_id, c.role, c.value) = (d.campaign_id, d.item_id, d.role, d.value);
    RETURN NULL;
END
$$;

CREATE FUNCTION count_answers_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answer_counts AS c (campaign_id, item_id, role, value, n)
    SELECT campaign_id, item_id, role, value, sum(delta)
      FROM (SELECT campaign_id, item_id, role, value, 1 AS delta FROM new_answers
            UNION ALL
            SELECT campaign_id, item_id, role, value, -1 FROM old_answers) d
     GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, item_id, role, value) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END
$$;

CREATE TRIGGER answers_count_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_answers FOR EACH STATEMENT EXECUTE FUNCTION count_answers_inserted();
CREATE TRIGGER answers_count_delete AFTER DELETE ON answers
    REFERENCING OLD TABLE AS old_answers FOR EACH STATEMENT EXECUTE FUNCTION count_answers_deleted();
CREATE TRIGGER answers_count_update AFTER UPDATE ON answers
    REFERENCING OLD TABLE AS old_answers NEW TABLE AS new_answers
    FOR EACH STATEMENT EXECUTE FUNCTION count_answers_updated();

CREATE TRIGGER frameworks_touch BEFORE UPDATE ON frameworks FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER dimensions_touch BEFORE UPDATE ON dimensions FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER sub_dimensions_touch BEFORE UPDATE ON sub_dimensions FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER indicators_touch BEFORE UPDATE ON indicators FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER indicator_values_touch BEFORE UPDATE ON indicator_values FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER questionnaires_touch BEFORE UPDATE ON questionnaires FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER questionnaire_sections_touch BEFORE UPDATE ON questionnaire_sections FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER campaigns_touch BEFORE UPDATE ON campaigns FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER respondents_touch BEFORE UPDATE ON respondents FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER responses_touch BEFORE UPDATE ON responses FOR EACH ROW EXECUTE FUNCTION touch();
