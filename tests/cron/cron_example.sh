#!/usr/bin/env bash
# scripts/cron-example.sh end to end, without the network: tokstat fetch
# talks to the scripted stand-in for OpenRouter's API of tests/fetch
# (server.py, on 127.0.0.1), the database starts with the shipped sample,
# and the day of the run is fixed with TOKSTAT_CRON_DAY, so nothing depends
# on the clock. Checks the one incremental request, the dated CSV reports
# (tokstat's own), the dashboard page, the clean-up of old dated files (and only those), a
# quiet success, and a failed fetch: status 1, the API's message, no new
# files, the database as before.
# Usage: cron_example.sh TOKSTAT SOURCE_DIR
# (TOKSTAT_WRAPPER, e.g. "valgrind -q --error-exitcode=99", runs tokstat
# under a tool; anything the tool reports fails the test.)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
script=$src/scripts/cron-example.sh
export LC_ALL=C TZ=UTC
unset OPENROUTER_API_KEY TOKSTAT_KEY_FILE TOKSTAT_API_URL TOKSTAT_KEEP_DAYS TOKSTAT_CRON_DAY \
  TOKSTAT_DB http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

work=$(mktemp -d)
. "$src/tests/fetch/serve.sh"
trap 'stop; rm -rf "$work"' EXIT
cd "$work" || exit 1
if [ -n "${TOKSTAT_WRAPPER:-}" ]; then
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$TOKSTAT_WRAPPER" "$bin" >tokstat-wrapped
  chmod +x tokstat-wrapped
  bin=$work/tokstat-wrapped
fi

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# run NAME [VAR=VALUE...] -- ARGS...: the script with the test's database,
# key file and API; status in $rc, output in NAME.out and NAME.err.
run() {
  local name=$1 vars=()
  shift
  while [ "$1" != -- ]; do
    vars+=("$1")
    shift
  done
  shift
  env TOKSTAT="$bin" TOKSTAT_DB="$work/t.db" TOKSTAT_KEY_FILE="$work/key" TOKSTAT_API_URL="$api" \
    TOKSTAT_FETCH_MIN_INTERVAL_MS=0 TOKSTAT_FETCH_MAX_WAIT_MS=20 "${vars[@]}" \
    sh "$script" "$@" >"$name.out" 2>"$name.err"
  rc=$?
}
listing() { (cd "$out" && ls -A | sort); }

echo test-key-123 >key
"$bin" --db t.db import -q --as-of 2026-10-10 "$src/data/sample/rankings-daily-2025-01-01_2025-02-02.csv" ||
  fail "importing the sample"
for v in anthracite-org gryphe neversleep openchat sao10k thedrummer infermatic; do
  "$bin" --db t.db vendors set "$v" unknown >/dev/null || fail "vendors set $v"
done
out=$work/reports
mkdir "$out"
# Dated files of earlier runs: with 3 days kept, 2025-02-08 is the oldest
# day left on 2025-02-10.
for f in share-by-country-2025-02-01.csv share-by-vendor-2025-02-07.csv \
  growth-by-country-2024-12-31.csv top-models-2025-02-07.csv \
  share-by-country-2025-02-08.csv top-models-2025-02-09.csv \
  notes-2020-01-01.csv share-by-country-latest.csv; do
  echo old >"$out/$f"
done

# 1. A run: one request from a week before the newest stored day to the
# day before the run; quiet; the reports are tokstat's own; old files go.
serve '[{"rankings": "'"$src"'/tests/fetch/rankings-daily-2025-01-01_2025-02-02.json", "synthetic": true}]' ||
  exit 1
run ok TOKSTAT_KEEP_DAYS=3 TOKSTAT_CRON_DAY=2025-02-10 -- "$out"
[ "$rc" -eq 0 ] || fail "a good run exited $rc: $(cat ok.err)"
[ ! -s ok.out ] || fail "a good run printed on stdout: $(cat ok.out)"
[ ! -s ok.err ] || fail "a good run printed on stderr: $(cat ok.err)"
want_req="/api/v1/datasets/rankings-daily	start_date=2025-01-26&end_date=2025-02-09	Bearer test-key-123"
[ "$(cut -f2-4 log)" = "$want_req" ] || fail "requests: got [$(cut -f2-4 log)], expected [$want_req]"
for f in share-by-country share-by-vendor growth-by-country top-models; do
  [ -s "$out/$f-2025-02-10.csv" ] || fail "expected the file $f-2025-02-10.csv"
done
"$bin" --db t.db report --by country --format csv >want.csv
cmp -s want.csv "$out/share-by-country-2025-02-10.csv" || fail "share-by-country differs from tokstat report --by country"
"$bin" --db t.db top -n 10 --format csv >want.csv
cmp -s want.csv "$out/top-models-2025-02-10.csv" || fail "top-models differs from tokstat top -n 10"
[ -s "$out/index.html" ] || fail "expected the dashboard page index.html"
"$bin" --db t.db dashboard -o want.html
cmp -s want.html "$out/index.html" || fail "index.html differs from tokstat dashboard"
grep -q 'week of 2025-02-03' "$out/index.html" || fail "the dashboard does not show the week of 2025-02-03"
# The fetched days make the week of 2025-02-03 complete: it is the one reported.
grep -q '^2025-02-03,7,full,' "$out/share-by-country-2025-02-10.csv" ||
  fail "share-by-country is not of the week of 2025-02-03: $(head -3 "$out/share-by-country-2025-02-10.csv")"
for f in share-by-country-2025-02-01.csv share-by-vendor-2025-02-07.csv growth-by-country-2024-12-31.csv \
  top-models-2025-02-07.csv; do
  [ ! -e "$out/$f" ] || fail "expected $f to be deleted"
done
for f in share-by-country-2025-02-08.csv top-models-2025-02-09.csv notes-2020-01-01.csv \
  share-by-country-latest.csv; do
  [ -e "$out/$f" ] || fail "$f was deleted but should be kept"
done
leftover=$(find "$out" -name '.*')
[ -z "$leftover" ] || fail "temporary files left behind: $leftover"

# 2. A fetch that fails (a bad key): status 1, the API's message, no new
# files, the database as before.
before=$(listing)
dump_before=$(sqlite3 t.db .dump)
serve '[{"status": 401, "json": {"error": {"code": 401, "message": "No auth credentials found"}}}]' ||
  exit 1
run bad TOKSTAT_CRON_DAY=2025-02-11 -- "$out"
[ "$rc" -eq 1 ] || fail "a failed fetch exited $rc"
grep -q '401' bad.err && grep -q 'No auth credentials found' bad.err ||
  fail "the failure does not say the status and the API's message: $(cat bad.err)"
[ "$(listing)" = "$before" ] || fail "a failed fetch left files: $(listing)"
[ "$(sqlite3 t.db .dump)" = "$dump_before" ] || fail "a failed fetch changed the database"

# 3. Usage.
run usage -- 
[ "$rc" -eq 2 ] || fail "no OUTPUT_DIR exited $rc"
grep -q '^usage: cron-example.sh OUTPUT_DIR$' usage.err || fail "no usage line: $(cat usage.err)"

[ $failures -eq 0 ] || exit 1
echo "cron-example: all checks passed"
