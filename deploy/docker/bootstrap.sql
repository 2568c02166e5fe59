-- Roles and schemas of the Care Ecosystems Hub database: one login role per service owning one
-- schema, nobody else allowed in public or in the database. Run once, as the superuser, on an empty
-- database, with the passwords as psql variables (see initdb/10-care-hub.sh):
--   psql -v ON_ERROR_STOP=1 -v pw_gateway=... -v pw_projects=... -v pw_itineraries=...
--        -v pw_evaluation=... -v pw_transfer=... -d care_hub -f bootstrap.sql
-- The services create their tables themselves (migrations at start-up).
\set ON_ERROR_STOP on

REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE care_hub FROM PUBLIC;

CREATE ROLE svc_gateway LOGIN PASSWORD :'pw_gateway' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE SCHEMA gateway AUTHORIZATION svc_gateway;
GRANT CONNECT ON DATABASE care_hub TO svc_gateway;
ALTER ROLE svc_gateway SET search_path = gateway;

CREATE ROLE svc_projects LOGIN PASSWORD :'pw_projects' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE SCHEMA projects AUTHORIZATION svc_projects;
GRANT CONNECT ON DATABASE care_hub TO svc_projects;
ALTER ROLE svc_projects SET search_path = projects;

CREATE ROLE svc_itineraries LOGIN PASSWORD :'pw_itineraries' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE SCHEMA itineraries AUTHORIZATION svc_itineraries;
GRANT CONNECT ON DATABASE care_hub TO svc_itineraries;
ALTER ROLE svc_itineraries SET search_path = itineraries;

CREATE ROLE svc_evaluation LOGIN PASSWORD :'pw_evaluation' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE SCHEMA evaluation AUTHORIZATION svc_evaluation;
GRANT CONNECT ON DATABASE care_hub TO svc_evaluation;
ALTER ROLE svc_evaluation SET search_path = evaluation;

CREATE ROLE svc_transfer LOGIN PASSWORD :'pw_transfer' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE SCHEMA transfer AUTHORIZATION svc_transfer;
GRANT CONNECT ON DATABASE care_hub TO svc_transfer;
ALTER ROLE svc_transfer SET search_path = transfer;
