-- The W2 request's statement (projects_get in services/projects/projects.c) as pgbench runs it:
-- one project by primary key, its JSON built by project_json(), readable by an admin.
\set n random(1, :nprojects)
SELECT projects.project_json(p)::text, p.version FROM projects.project p
 WHERE p.id = ('10000000-0000-4000-8000-' || lpad(to_hex(:n::int), 12, '0'))::uuid
   AND projects.project_readable(p.id, p.owner_org, '00000000-0000-0000-0000-000000000000'::uuid, true);
