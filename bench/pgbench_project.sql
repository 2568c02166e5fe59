-- The W2 request's statement (projects_get in services/projects/projects.c, for an admin) as
-- pgbench runs it: one project by primary key, its stored JSON document.
\set n random(1, :nprojects)
SELECT coalesce(p.doc, projects.project_json(p)::text), p.version FROM projects.project p
 WHERE p.id = ('10000000-0000-4000-8000-' || lpad(to_hex(:n::int), 12, '0'))::uuid;
