-- Network data set for timing /v1/transfer/network/metrics: :n organisations of the projects
-- service (the first by id) joined by :m distinct declared ties, plus one transfer event and one
-- adoption per 100 ties, all dated 2030. Run as a role that reads projects.organisation and writes
-- the transfer schema:
--   psql -v n=1000 -v m=10000 -f services/transfer/bench/gen_network.sql
-- then GET /v1/transfer/network/metrics?from=2030-01-01&to=2030-12-31&kinds=tie,event,adoption
\set ON_ERROR_STOP on
SET search_path = transfer;
CREATE TEMP TABLE bench_org AS
SELECT row_number() OVER (ORDER BY id) AS k, id FROM projects.organisation ORDER BY id LIMIT :n;
-- Distinct unordered pairs drawn with a fixed seed, so every run measures the same graph.
SELECT setseed(0.42);
CREATE TEMP TABLE bench_pair AS
SELECT DISTINCT least(a, b) AS a, greatest(a, b) AS b
  FROM (SELECT 1 + floor(random() * :n)::int AS a, 1 + floor(random() * :n)::int AS b
          FROM generate_series(1, :m * 2)) g
 WHERE a <> b LIMIT :m;
INSERT INTO ties (owner_org, external_id, organisation_a_id, organisation_b_id, kind, since)
SELECT oa.id, 'bench-tie-' || p.a || '-' || p.b, oa.id, ob.id, 'informal_collaboration',
       '2030-01-01'
  FROM bench_pair p JOIN bench_org oa ON oa.k = p.a JOIN bench_org ob ON ob.k = p.b;
INSERT INTO practices (owner_org, external_id, title, summary, lead_organisation_id, phase)
SELECT id, 'bench-practice', 'Benchmark practice', 'For timing the network', id, 'consolidation'
  FROM bench_org WHERE k = 1;
INSERT INTO events (owner_org, external_id, kind, title, held_on, host_organisation_id)
SELECT o.id, 'bench-event-' || o.k, 'workshop', 'Benchmark workshop', '2030-06-01', o.id
  FROM bench_org o WHERE o.k <= :m / 100;
INSERT INTO event_attendees (event_id, organisation_id, people)
SELECT e.id, o.id, 2 FROM events e JOIN bench_org h ON h.id = e.host_organisation_id
  JOIN bench_org o ON o.k = 1 + (h.k * 7) % :n
 WHERE e.external_id LIKE 'bench-event-%' AND o.id <> e.host_organisation_id;
INSERT INTO adoptions (owner_org, external_id, practice_id, adopter_organisation_id,
                       mentor_organisation_id, status_since)
SELECT o.id, 'bench-adoption-' || o.k, p.id, o.id, p.lead_organisation_id, '2030-03-01'
  FROM bench_org o, practices p
 WHERE p.external_id = 'bench-practice' AND o.k BETWEEN 2 AND 1 + :m / 100;
ANALYZE ties;
SELECT count(*) AS ties FROM ties WHERE external_id LIKE 'bench-tie-%';
