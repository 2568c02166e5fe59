-- Where every indicator's figures come from. An indicator is
--   computed   when its compute_key names a figure of the suite (compute_sources below: the
--              owning service, the route read and the computation),
--   survey     when its compute_key is survey.<QUESTIONNAIRE_CODE>.<ITEM_CODE>: the mean of that
--              item in the campaign of the scope and period, with its n and consensus,
--   collected  otherwise: recorded by people, with who and when.
-- Comarca scopes are named by slug (comarca:tolosaldea) as in the other services.

ALTER TABLE indicators DROP CONSTRAINT IF EXISTS indicators_compute_key_check;
ALTER TABLE indicators ADD CONSTRAINT indicators_compute_key_check
    CHECK (compute_key ~ '^[a-z_]+\.[A-Za-z0-9_.-]+$' AND length(compute_key) <= 80);

CREATE OR REPLACE FUNCTION scope_valid(kind text, id text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE kind
        WHEN 'hub' THEN id IS NULL
        WHEN 'project' THEN id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        WHEN 'municipality' THEN id ~ '^[0-9]{5}$'
        WHEN 'comarca' THEN id ~ '^[0-9A-Za-z]{1,8}$' OR id ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'
        ELSE false
    END
$$;

-- Last day of a period ('2026-H1' -> 2026-06-30).
CREATE OR REPLACE FUNCTION period_end(p text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN period_start(p) IS NULL THEN NULL
        WHEN p ~ '^[0-9]{4}$' THEN (period_start(p) + interval '1 year')::date - 1
        WHEN p ~ '^[0-9]{4}-H[12]$' THEN (period_start(p) + interval '6 months')::date - 1
        WHEN p ~ '^[0-9]{4}-Q[1-4]$' THEN (period_start(p) + interval '3 months')::date - 1
        ELSE (period_start(p) + interval '1 month')::date - 1
    END
$$;

-- The figures of the suite a compute_key may name: the service that owns it, the route read
-- (its query is the scope and the period's dates), the JSON path of the figure in the answer,
-- a scale (100 turns a share into a percent) and the computation in words.
CREATE TABLE compute_sources (
    key         text PRIMARY KEY CHECK (key ~ '^[a-z_]+\.[a-z0-9_]+$'),
    service     text NOT NULL CHECK (service IN ('projects', 'itineraries', 'transfer', 'evaluation')),
    route       text NOT NULL,
    path        text, -- NULL: derived by the service's reader (hub summary institution types)
    scale       numeric NOT NULL DEFAULT 1,
    computation text NOT NULL
);

INSERT INTO compute_sources (key, service, route, path, scale, computation) VALUES
    ('hub_summary.projects', 'projects', '/v1/hub/summary', 'projects', 1,
     'Projects of the hub running in the period.'),
    ('hub_summary.institutions_total', 'projects', '/v1/hub/summary', 'institutions.total', 1,
     'Distinct organisations participating in a project running in the period.'),
    ('hub_summary.institution_types', 'projects', '/v1/hub/summary', NULL, 1,
     'Organisation types with at least one participating organisation.'),
    ('hub_summary.institutions_third_sector', 'projects', '/v1/hub/summary', NULL, 1,
     'Participating organisations of type third_sector.'),
    ('hub_summary.persons_fragile_dependent', 'projects', '/v1/hub/summary',
     'persons_reached.fragile_or_dependent', 1,
     'Sum over projects of the frail or dependent persons reached in their latest monitoring report ending by the period''s end.'),
    ('hub_summary.family_caregivers', 'projects', '/v1/hub/summary',
     'persons_reached.family_caregivers', 1,
     'Sum over projects of the family caregivers reached in their latest monitoring report ending by the period''s end.'),
    ('hub_summary.persons_reached_total', 'projects', '/v1/hub/summary', 'persons_reached.total', 1,
     'Persons reached, frail or dependent plus family caregivers.'),
    ('hub_summary.professionals_total', 'projects', '/v1/hub/summary', 'people_involved.total', 1,
     'Social workers, policy makers, professionals and researchers declared by the participants of projects running in the period.'),
    ('hub_summary.projects_consolidating_share', 'projects', '/v1/hub/summary',
     'projects_consolidating_share', 100,
     '100 × projects in the consolidation or scaling phase / projects running in the period.'),
    ('itineraries.persons_with_itinerary', 'itineraries', '/v1/itineraries/indicators',
     'figures.persons_with_itinerary.value', 1,
     'Distinct persons with an itinerary running at some time in the period.'),
    ('itineraries.case_manager_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.case_manager', 100,
     '100 × persons whose itinerary names a case manager / persons with an itinerary in the period.'),
    ('itineraries.life_project_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.life_project', 100,
     '100 × itineraries whose life project states at least one goal in the person''s words / itineraries in the period.'),
    ('itineraries.joint_diagnosis_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.joint_diagnosis', 100,
     '100 × itineraries based on assessments by two professionals or more / itineraries in the period.'),
    ('itineraries.stages_on_time_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.stages_on_time', 100,
     '100 × stages started in the period no later than planned / stages started in the period with a planned start.'),
    ('itineraries.stages_overdue_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.stages_overdue', 100,
     '100 × open stages past their due date at the period''s end / open stages.'),
    ('itineraries.obstacles_removed_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.obstacles_removed', 100,
     '100 × obstacles resolved in the period / obstacles open at some time in the period.'),
    ('itineraries.median_days_to_removal', 'itineraries', '/v1/itineraries/indicators',
     'figures.median_days_to_removal', 1,
     'Median days from raising an obstacle to resolving it, for obstacles resolved in the period.'),
    ('itineraries.living_at_home_12_months_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.living_at_home_12_months', 100,
     '100 × persons not in residential care / persons whose first itinerary began twelve months before a day of the period.'),
    ('itineraries.caregiver_burden_fell_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.caregiver_burden_fell', 100,
     '100 × caregivers whose latest Zarit score is below their first / caregivers with two Zarit assessments or more, the latest in the period.'),
    ('itineraries.caregiver_burden_mean', 'itineraries', '/v1/itineraries/indicators',
     'figures.caregiver_burden_mean', 1,
     'Mean of each caregiver''s latest Zarit score by the period''s end, on the 0-88 convention (1-5 scores less 22).'),
    ('itineraries.chose_not_to_choose_share', 'itineraries', '/v1/itineraries/indicators',
     'figures.chose_not_to_choose', 100,
     '100 × itineraries whose person chose to delegate the choices / itineraries in the period.'),
    ('itineraries.median_days_to_first_service', 'itineraries', '/v1/itineraries/indicators',
     'figures.median_days_to_first_service', 1,
     'Median days from the referral (or the itinerary''s start) to the first stage started, for itineraries whose first service began in the period.'),
    ('itineraries.new_services', 'itineraries', '/v1/itineraries/indicators',
     'figures.new_services.value', 1,
     'Active services of the catalogue registered in the period covering the scope.'),
    ('transfer.practices_systematised', 'transfer', '/v1/transfer/indicators',
     'figures.practices_systematised', 1,
     'Practices with objectives, activities, results and evaluation approach written (the ESN template), registered by the period''s end.'),
    ('transfer.events_held', 'transfer', '/v1/transfer/indicators', 'figures.events_held', 1,
     'Seminars, workshops, study visits and webinars held in the period.'),
    ('transfer.seminars_held', 'transfer', '/v1/transfer/indicators', 'figures.seminars_held', 1,
     'Transfer seminars held in the period.'),
    ('transfer.attendees', 'transfer', '/v1/transfer/indicators', 'figures.attendees', 1,
     'People attending the transfer events held in the period.'),
    ('transfer.municipalities_adopting', 'transfer', '/v1/transfer/indicators',
     'figures.municipalities_adopting', 1,
     'Distinct municipalities with an adoption piloting, adopted or sustained at the period''s end.'),
    ('transfer.adoptions_sustained_share', 'transfer', '/v1/transfer/indicators',
     'figures.adoptions_sustained_after_year', 100,
     '100 × adoptions still adopted or sustained at the period''s end / adoptions adopted twelve months or more before it.'),
    ('transfer.median_months_to_adoption', 'transfer', '/v1/transfer/indicators',
     'figures.time_to_adoption.median_months', 1,
     'Median months (of 30.4375 days) from an adoption''s first contact to its adoption, for adoptions adopted in the period.'),
    ('transfer.agreements_in_force', 'transfer', '/v1/transfer/indicators',
     'figures.agreements_in_force', 1,
     'Ties of kind agreement between organisations in force at some time in the period (hub scope).'),
    ('transfer.network_density', 'transfer', '/v1/transfer/network/metrics', 'density', 1,
     '2 × ties / (organisations × (organisations − 1)) in the collaboration network of the period.'),
    ('transfer.cross_sector_ties', 'transfer', '/v1/transfer/network/metrics',
     'cross_sector_edges', 1,
     'Ties of the period''s network joining two sectors among public, private and third sector.'),
    ('evaluation.lived_experience_respondents', 'evaluation', '/v1/evaluation/campaigns', NULL, 1,
     'Distinct respondents with the role person_receiving_care or family_caregiver in the campaigns of the scope for the period (their period starting in it; without one, closing in it).');

-- The participatory indicators' questionnaire: one item per indicator, each on the 1-5 agreement
-- scale; the indicator is the item's mean in the campaign of the scope and period.
INSERT INTO questionnaires (code, title, description) VALUES (
    'HUB-PERCEPTION',
    jsonb_build_object('eu', 'Hub-aren pertzepzioa: lidergoa, pertsonalizazioa, koordinazioa eta ikaskuntza',
                       'es', 'Percepción del hub: liderazgo, personalización, coordinación y aprendizaje',
                       'en', 'Perception of the hub: leadership, personalisation, coordination and learning'),
    jsonb_build_object('eu', 'Adierazi zure ados-maila baieztapen bakoitzarekin, azken urteari buruz pentsatuta.',
                       'es', 'Indique su grado de acuerdo con cada afirmación pensando en el último año.',
                       'en', 'Rate how far you agree with each statement, thinking of the past year.'));

INSERT INTO questionnaire_sections (questionnaire_id, code, position, title)
SELECT q.id, 'PER', 1, jsonb_build_object('eu', 'Pertzepzioa', 'es', 'Percepción', 'en', 'Perception')
  FROM questionnaires q WHERE q.code = 'HUB-PERCEPTION';

INSERT INTO items (questionnaire_id, section_id, code, position, text, scale_min, scale_max,
                   scale_labels, indicator_id)
SELECT q.id, s.id, x.code, x.position, jsonb_build_object('eu', x.eu, 'es', x.es, 'en', x.en), 1, 5,
       jsonb_build_array(
               jsonb_build_object('eu', 'Guztiz desados', 'es', 'Totalmente en desacuerdo', 'en', 'Strongly disagree'),
               jsonb_build_object('eu', 'Desados', 'es', 'En desacuerdo', 'en', 'Disagree'),
               jsonb_build_object('eu', 'Ez ados ez desados', 'es', 'Ni de acuerdo ni en desacuerdo', 'en', 'Neither agree nor disagree'),
               jsonb_build_object('eu', 'Ados', 'es', 'De acuerdo', 'en', 'Agree'),
               jsonb_build_object('eu', 'Guztiz ados', 'es', 'Totalmente de acuerdo', 'en', 'Strongly agree')),
       i.id
  FROM questionnaires q
  JOIN questionnaire_sections s ON s.questionnaire_id = q.id AND s.code = 'PER'
  JOIN (VALUES
        ('SHARED-LEADERSHIP', 1, 'GOV-SOC-03',
         'Gure ekosisteman erabakiak erakundeen, profesionalen eta herritarren artean partekatzen dira.',
         'En nuestro ecosistema las decisiones se comparten entre instituciones, profesionales y ciudadanía.',
         'In our ecosystem decisions are shared among institutions, professionals and citizens.'),
        ('PERSONALISATION', 2, 'CARE-PER-04',
         'Jasotzen dudan (edo ematen dudan) laguntza pertsonaren lehentasunetara eta bizimodura egokitzen da.',
         'El apoyo que recibo (o que presto) se ajusta a las preferencias y la forma de vida de la persona.',
         'The support I receive (or give) fits the person''s preferences and way of life.'),
        ('COORDINATION', 3, 'CARE-QOC-04',
         'Osasun- eta gizarte-zerbitzuek bat balira bezala jarduten dute.',
         'Los servicios sanitarios y sociales funcionan como uno solo.',
         'Health and social services work as one.'),
        ('SHARED-LEARNING', 4, 'LEARN-10',
         'Beste proiektuek ikasitakoak nire jardunbidea aldatu du.',
         'Lo aprendido por otros proyectos ha cambiado mi propia práctica.',
         'What other projects learned has changed my own practice.')
       ) AS x (code, position, indicator, eu, es, en) ON true
  JOIN frameworks f ON f.code = 'HUB'
  JOIN indicators i ON i.framework_id = f.id AND i.code = x.indicator
 WHERE q.code = 'HUB-PERCEPTION';

-- The hub framework's indicators computed from the suite or from the questionnaire.
UPDATE indicators i SET compute_key = x.key
  FROM frameworks f, (VALUES
        ('GOV-INS-03', 'transfer.agreements_in_force'),
        ('GOV-SOC-02', 'evaluation.lived_experience_respondents'),
        ('GOV-SOC-03', 'survey.HUB-PERCEPTION.SHARED-LEADERSHIP'),
        ('CARE-PER-02', 'itineraries.life_project_share'),
        ('CARE-PER-03', 'itineraries.case_manager_share'),
        ('CARE-PER-04', 'survey.HUB-PERCEPTION.PERSONALISATION'),
        ('CARE-QOL-01', 'itineraries.living_at_home_12_months_share'),
        ('CARE-QOL-02', 'itineraries.caregiver_burden_mean'),
        ('CARE-QOC-02', 'itineraries.stages_on_time_share'),
        ('CARE-QOC-03', 'itineraries.median_days_to_first_service'),
        ('CARE-QOC-04', 'survey.HUB-PERCEPTION.COORDINATION'),
        ('INN-02', 'hub_summary.projects_consolidating_share'),
        ('INN-04', 'itineraries.new_services'),
        ('LEARN-01', 'transfer.practices_systematised'),
        ('LEARN-02', 'transfer.events_held'),
        ('LEARN-03', 'transfer.attendees'),
        ('LEARN-04', 'transfer.municipalities_adopting'),
        ('LEARN-05', 'transfer.adoptions_sustained_share'),
        ('LEARN-06', 'transfer.median_months_to_adoption'),
        ('LEARN-09', 'transfer.network_density'),
        ('LEARN-10', 'survey.HUB-PERCEPTION.SHARED-LEARNING')
       ) AS x (code, key)
 WHERE f.id = i.framework_id AND f.code = 'HUB' AND i.code = x.code;

-- How a value came to be: set by the snapshot of computed figures (computed, survey); values
-- recorded by people carry none and are shown as collected, with who and when.
ALTER TABLE indicator_values ADD COLUMN provenance jsonb
    CHECK (provenance IS NULL OR (jsonb_typeof(provenance) = 'object'
                                  AND provenance->>'kind' IN ('computed', 'collected', 'survey')));

-- The figures of a reporting period as a snapshot stored them, including those that could not be
-- had (status missing, with the reason): one row per framework, scope and period, replaced by
-- the next snapshot of the same period only when a figure changed.
CREATE TABLE computed_snapshots (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    framework_id uuid NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    scope_type   text NOT NULL CHECK (scope_type IN ('hub', 'project', 'municipality', 'comarca')),
    scope_id     text,
    period       text NOT NULL CHECK (period_valid(period)),
    period_start date NOT NULL,
    period_end   date NOT NULL,
    items        jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
    taken_by     text,
    taken_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (scope_valid(scope_type, scope_id))
);
CREATE UNIQUE INDEX computed_snapshots_one_per_period
    ON computed_snapshots (framework_id, scope_type, coalesce(scope_id, ''), period);

-- An indicator's provenance.
CREATE OR REPLACE FUNCTION indicator_provenance(i indicators) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN i.compute_key LIKE 'survey.%' THEN jsonb_build_object('kind', 'survey',
            'questionnaire', substring(i.compute_key FROM '^survey\.(.+)\.[^.]+$'),
            'item', substring(i.compute_key FROM '\.([^.]+)$'),
            'computation', 'Mean of the item''s answers in the campaign of the scope and period, with its n and Tastle & Wierman consensus.')
        WHEN cs.key IS NOT NULL THEN jsonb_build_object('kind', 'computed', 'service', cs.service,
            'route', cs.route, 'computation', cs.computation)
        ELSE jsonb_build_object('kind', 'collected',
            'computation', 'Recorded by people (POST /v1/evaluation/indicator-values), with who and when.')
    END
      FROM (SELECT 1) one LEFT JOIN compute_sources cs ON cs.key = i.compute_key
$$;

-- A value's provenance: what the snapshot stored, else a value recorded by people.
CREATE OR REPLACE FUNCTION value_provenance(v indicator_values) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(v.provenance, jsonb_build_object('kind', 'collected',
        'recorded_by', v.recorded_by, 'recorded_at', ts(v.updated_at), 'source', v.source,
        'evidence', v.evidence))
$$;

CREATE OR REPLACE FUNCTION indicator_json(i indicators, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', i.id, 'framework_id', i.framework_id, 'code', i.code,
        'dimension', (SELECT d.code FROM dimensions d WHERE d.id = i.dimension_id),
        'sub_dimension', (SELECT s.code FROM sub_dimensions s WHERE s.id = i.sub_dimension_id),
        'position', i.position, 'name', tr(i.name, lang), 'description', tr(i.description, lang),
        'kind', i.kind, 'unit', i.unit, 'direction', i.direction, 'min_value', i.min_value,
        'max_value', i.max_value, 'baseline', i.baseline, 'target', i.target,
        'threshold_low', i.threshold_low, 'threshold_high', i.threshold_high,
        'compute_key', i.compute_key, 'provenance', indicator_provenance(i),
        'version', i.version, 'created_at', ts(i.created_at), 'updated_at', ts(i.updated_at))
$$;

CREATE OR REPLACE FUNCTION indicator_value_json(v indicator_values) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', v.id, 'indicator_id', v.indicator_id,
        'indicator_code', (SELECT code FROM indicators WHERE id = v.indicator_id),
        'scope_type', v.scope_type, 'scope_id', v.scope_id, 'period', v.period,
        'period_start', v.period_start, 'value', v.value, 'value_text', v.value_text,
        'source', v.source, 'evidence', v.evidence, 'owner_org', v.owner_org,
        'recorded_by', v.recorded_by, 'provenance', value_provenance(v), 'version', v.version,
        'created_at', ts(v.created_at), 'updated_at', ts(v.updated_at))
$$;
