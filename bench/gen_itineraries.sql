-- Bench data for the itineraries schema, generated in SQL (psql variables :persons and :events):
-- :persons persons, one itinerary for every second person, :events timeline events spread over
-- the itineraries. Loaded with triggers and foreign-key checks off (session_replication_role):
-- the timeline triggers would otherwise add events of their own, so the comarca that a trigger
-- keeps is filled here. Ids are deterministic:
--   person n     20000000-0000-4000-8000-<n as 12 hex digits>
--   itinerary n  30000000-0000-4000-8000-<n as 12 hex digits>
\set ON_ERROR_STOP on
SET search_path = itineraries;
SET synchronous_commit = off;
SET session_replication_role = replica;
TRUNCATE events, itineraries, persons CASCADE;

CREATE TEMP TABLE bench_muni AS
    SELECT row_number() OVER (ORDER BY name) - 1 AS i, name, comarca FROM municipality_ref;
SELECT count(*) AS nmuni FROM bench_muni \gset
SELECT greatest(:persons / 2, 1) AS nitin \gset

INSERT INTO persons (id, owner_org, external_id, subject, birth_year, sex, municipality, comarca,
                     living_situation, languages, consent_purpose, consent_given_at, risk_band,
                     created_at, updated_at)
SELECT ('20000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + n % 1000), 12, '0'))::uuid,
       'person-' || n, NULL, 1930 + n % 60,
       (ARRAY['female', 'male', 'other', 'unknown'])[1 + n % 4], m.name, m.comarca,
       (ARRAY['alone', 'with_partner', 'with_family', 'residential', 'other'])[1 + n % 5],
       ARRAY['eu', 'es'], 'care coordination', ts,
       (ARRAY['unassessed', 'low', 'moderate', 'high'])[1 + n % 4], ts, ts
  FROM generate_series(1, :persons) n
  JOIN bench_muni m ON m.i = n % :nmuni,
       LATERAL (SELECT timestamptz '2022-01-01 00:00:00+00' + n * interval '10 seconds' AS ts) x;

INSERT INTO itineraries (id, person_id, owner_org, external_id, case_manager, title, status,
                         started_at, due_date, created_at, updated_at)
SELECT ('30000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('20000000-0000-4000-8000-' || lpad(to_hex(2 * n), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (2 * n) % 1000), 12, '0'))::uuid,
       'itin-' || n, 'case manager ' || n % 300, 'Care itinerary ' || n, 'active', ts,
       (ts + interval '90 days')::date, ts, ts
  FROM generate_series(1, :nitin) n,
       LATERAL (SELECT timestamptz '2022-01-01 00:00:00+00' + n * interval '20 seconds' AS ts) x;

INSERT INTO events (itinerary_id, at, actor, action, entity, entity_id, after)
SELECT id, timestamptz '2022-01-01 00:00:00+00' + e * interval '1 second', 'bench',
       (ARRAY['itinerary.created', 'itinerary.updated', 'stage.updated'])[1 + e % 3],
       'itinerary', id, '{"status": "active"}'::jsonb
  FROM generate_series(1, :events) e,
       LATERAL (SELECT ('30000000-0000-4000-8000-' || lpad(to_hex(1 + e % :nitin), 12, '0'))::uuid AS id) x;

SET session_replication_role = origin;
VACUUM ANALYZE persons;
VACUUM ANALYZE itineraries;
VACUUM ANALYZE events;
