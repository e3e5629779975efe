#!/usr/bin/env bash
# Installs, with apt, the Debian packages that building, testing and running the bus need.
# Installs only what is missing; needs root (or sudo) when something is missing.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libboost1.81-dev libboost-json1.81-dev
  librabbitmq-dev libsqlite3-dev libpq-dev libxml2-dev libxmlsec1-dev libxmlsec1-openssl libssl-dev libyaml-cpp-dev
  libqpdf-dev libzip-dev
  catch2 rabbitmq-server xmlsec1 openssl curl python3 ca-certificates
  poppler-utils libnss3-tools
  libjs-chart.js
)
if [ "$#" -gt 0 ]; then packages+=("$@"); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
echo "installing: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# rabbitmq-server's post-install starts a system-wide node; we never use it, and stop it below.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if printf '%s\n' "${missing[@]}" | grep -qx rabbitmq-server; then
  $SUDO systemctl stop rabbitmq-server 2>/dev/null || $SUDO service rabbitmq-server stop 2>/dev/null || true
fi
