-- Bench data for the projects schema, generated in SQL (psql variables :orgs and :projects).
-- Ids are deterministic so that workloads and pgbench can name a random row without a lookup:
--   organisation n  00000000-0000-4000-8000-<n as 12 hex digits>
--   project n       10000000-0000-4000-8000-<n as 12 hex digits>
\set ON_ERROR_STOP on
SET search_path = projects;
SET synchronous_commit = off;
-- Rows are valid by construction (municipalities from the reference list, existing owners): the
-- per-row checking triggers and foreign-key checks are skipped while loading.
SET session_replication_role = replica;
TRUNCATE report, participant, project, organisation CASCADE;

CREATE TEMP TABLE bench_muni AS
    SELECT row_number() OVER (ORDER BY name) - 1 AS i, name FROM municipality;
SELECT count(*) AS nmuni FROM bench_muni \gset

INSERT INTO organisation (id, owner_org, external_id, name, type, municipality, website, created_at,
                          updated_at)
SELECT id, id, 'org-' || n, 'Organisation ' || n || ' of the care ecosystem',
       (ARRAY['municipality', 'third_sector', 'company', 'university', 'technology_centre',
              'public_health', 'public_social_services', 'provincial_government',
              'regional_government', 'other'])[1 + n % 10],
       (SELECT name FROM bench_muni WHERE i = n % :nmuni), 'https://org' || n || '.example.org',
       ts, ts
  FROM generate_series(1, :orgs) n,
       LATERAL (SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid AS id,
                       timestamptz '2020-01-01 00:00:00+00' + n * interval '1 minute' AS ts) x;

INSERT INTO project (id, owner_org, external_id, code, title, summary, call_name, call_year,
                     start_date, end_date, phase, themes, epsr_principles, municipalities, funders,
                     created_at, updated_at)
SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + n % :orgs), 12, '0'))::uuid,
       'ext-' || n, 'P-' || lpad(n::text, 7, '0'),
       'Community care pilot number ' || n,
       'A pilot that coordinates home care, primary health care and third-sector support for '
           || 'older people living alone in the municipality, with monthly monitoring ' || n || '.',
       'Call ' || (2020 + n % 6), 2020 + n % 6,
       date '2021-01-01' + (n % 365), date '2023-01-01' + (n % 365),
       (ARRAY['concept_design', 'execution_monitoring', 'consolidation',
              'scaling_transformation'])[1 + n % 4],
       ARRAY[(ARRAY['ageing', 'long_term_care', 'carers', 'community_care',
                    'loneliness'])[1 + n % 5], 'integrated_care'],
       ARRAY[1 + n % 20, 18],
       ARRAY[(SELECT name FROM bench_muni WHERE i = n % :nmuni)],
       jsonb_build_array(jsonb_build_object('name', 'Funder ' || n % 50, 'amount', 1000 * (n % 97))),
       ts, ts
  FROM generate_series(1, :projects) n,
       LATERAL (SELECT timestamptz '2021-01-01 00:00:00+00' + n * interval '1 minute' AS ts) x;

-- One partner per project, from another organisation than the owner.
INSERT INTO participant (project_id, organisation_id, role, social_workers)
SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (n + 7) % :orgs), 12, '0'))::uuid,
       'partner', n % 5
  FROM generate_series(1, :projects) n;

-- The stored JSON documents the trigger would have written (triggers are off while loading).
SET timezone = 'UTC';
UPDATE project SET doc = (to_jsonb(project) - 'doc')::text;

SET session_replication_role = origin;
VACUUM ANALYZE organisation;
VACUUM ANALYZE project;
VACUUM ANALYZE participant;
