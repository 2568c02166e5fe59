#!/usr/bin/env bash
# Installs the Debian packages the suite needs to build, run and test, when any is missing.
set -euo pipefail
PKGS=(build-essential pkg-config curl ca-certificates
      libulfius-dev libjansson-dev libpq-dev libcurl4-gnutls-dev libjwt-dev libgnutls28-dev
      libmicrohttpd-dev check libsubunit-dev
      postgresql postgresql-contrib
      wrk libxml2-utils clang clang-format cppcheck python3 python3-yaml
      chromium docker-compose jq)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (the offline Kubernetes schema check): any installation will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
