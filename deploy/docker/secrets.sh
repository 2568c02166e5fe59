#!/usr/bin/env bash
# Prints a fresh set of secrets for docker-compose (--env-file) in the variables it reads.
#   bash deploy/docker/secrets.sh > deploy/docker/secrets.env && chmod 600 deploy/docker/secrets.env
set -euo pipefail
random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
echo "INTERNAL_SECRET=$(random_secret)"
echo "TOKEN_SECRET=$(random_secret)"
echo "PG_SUPERUSER_PASSWORD=$(random_secret)"
for s in GATEWAY PROJECTS ITINERARIES EVALUATION TRANSFER; do
  echo "DB_PASSWORD_$s=$(random_secret)"
done
