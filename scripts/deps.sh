#!/bin/sh
# Installs the Debian packages tokstat needs to build and test (Debian 12).
# Usage: deps.sh [test]   ('test' adds what only the test suite uses: the
# JSON Schema validator its output checks run under python3, npm, with
# which the DuckDB recipe's test installs DuckDB for Node.js, and Chromium,
# in which tests/dashboard/browser.sh opens the dashboard's page)
# Run as root (or through sudo); does nothing when all are installed.
set -eu
PACKAGES="gcc make libc6-dev cmake pkg-config libsqlite3-dev libjansson-dev libcsv-dev libcurl4-openssl-dev libcmocka-dev sqlite3 valgrind libxml2-utils groff-base bash-completion dpkg-dev curl"
# Installed when they can be: a test that needs one is skipped without it.
OPTIONAL=""
if [ "${1:-}" = test ]; then
  PACKAGES="$PACKAGES python3 python3-jsonschema"
  # npm from Debian, unless one is installed already (Node.js's own packages
  # bring theirs).
  command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
  OPTIONAL="chromium"
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
missing="" optional=""
for p in $PACKAGES; do
  installed "$p" || missing="$missing $p"
done
for p in $OPTIONAL; do
  installed "$p" || optional="$optional $p"
done
[ -z "$missing$optional" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if [ -n "$missing" ]; then
    echo "tokstat: these Debian packages are missing:$missing" >&2
    echo "Install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing$optional" >&2
    exit 1
  fi
  echo "tokstat: not installed:$optional (the tests that need it are skipped;" \
    "sudo apt-get install$optional)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ -n "$missing" ]; then
  echo "Installing:$missing"
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
for p in $optional; do
  echo "Installing: $p"
  apt-get install -y -qq --no-install-recommends "$p" >/dev/null ||
    echo "tokstat: could not install $p: the tests that need it are skipped" >&2
done
