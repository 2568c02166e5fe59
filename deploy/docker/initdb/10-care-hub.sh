#!/bin/sh
# Run by the postgres image on its first start (docker-entrypoint-initdb.d): creates the service
# roles and schemas of deploy/docker/bootstrap.sql with the passwords given in the environment.
set -eu
for s in GATEWAY PROJECTS ITINERARIES EVALUATION TRANSFER; do
  eval "pw=\${DB_PASSWORD_$s:-}"
  [ "${#pw}" -ge 16 ] || { echo "DB_PASSWORD_$s must be set (16 characters or more)" >&2; exit 1; }
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw_gateway="$DB_PASSWORD_GATEWAY" -v pw_projects="$DB_PASSWORD_PROJECTS" \
  -v pw_itineraries="$DB_PASSWORD_ITINERARIES" -v pw_evaluation="$DB_PASSWORD_EVALUATION" \
  -v pw_transfer="$DB_PASSWORD_TRANSFER" -f /care-hub/bootstrap.sql
