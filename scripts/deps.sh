#!/bin/sh
# Installs the Debian packages tokstat needs to build and test (Debian 12).
# Usage: deps.sh [test]   ('test' adds what only the test suite uses: the
# JSON Schema validator its output checks run under python3, and npm, with
# which the DuckDB recipe's test installs DuckDB for Node.js)
# Run as root (or through sudo); does nothing when all are installed.
set -eu
PACKAGES="gcc make libc6-dev cmake pkg-config libsqlite3-dev libjansson-dev libcsv-dev libcurl4-openssl-dev libcmocka-dev sqlite3 valgrind libxml2-utils groff-base bash-completion dpkg-dev curl"
if [ "${1:-}" = test ]; then
  PACKAGES="$PACKAGES python3 python3-jsonschema"
  # npm from Debian, unless one is installed already (Node.js's own packages
  # bring theirs).
  command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "tokstat: these Debian packages are missing:$missing" >&2
  echo "Install them as root, then run this again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
