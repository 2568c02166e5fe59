#!/usr/bin/env bash
# Prints the Secrets of secrets.example.yaml with fresh random values (kubectl apply -f -). The
# database passwords must also be given to the roles (deploy/docker/bootstrap.sql, psql -v pw_...):
# SHOW_PASSWORDS=1 prints them as psql variables on stderr for that.
set -euo pipefail
random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
secret() { # name key value
  cat <<YAML
---
apiVersion: v1
kind: Secret
metadata:
  name: $1
  namespace: care-hub
  labels:
    app.kubernetes.io/part-of: care-hub
type: Opaque
stringData:
  $2: "$3"
YAML
}
secret care-hub-internal INTERNAL_SECRET "$(random_secret)"
secret care-hub-gateway TOKEN_SECRET "$(random_secret)"
for s in gateway projects itineraries evaluation transfer; do
  pw=$(random_secret)
  secret "care-hub-db-$s" password "$pw"
  [ "${SHOW_PASSWORDS:-0}" = 1 ] && echo "-v pw_$s=$pw" >&2
done
exit 0
