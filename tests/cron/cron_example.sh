#!/usr/bin/env bash
# scripts/cron-example.sh end to end, without the network: the download is
# a file:// URL of a Data API fixture (tests/data/json/daily-api.json) and
# the day of the run is fixed with TOKSTAT_CRON_DAY, so nothing depends on
# the clock. Checks the dated CSV reports and download it writes, the
# clean-up of old dated files (and only those), a quiet success, and a
# non-zero exit with a message when the download fails, is not JSON, or is
# not the Data API's shape.
# Usage: cron_example.sh TOKSTAT SOURCE_DIR
# (TOKSTAT_WRAPPER, e.g. "valgrind -q --error-exitcode=99", runs tokstat
# under a tool; anything the tool reports fails the test.)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
script=$src/scripts/cron-example.sh
export LC_ALL=C TZ=UTC
unset OPENROUTER_API_KEY TOKSTAT_DATA_URL TOKSTAT_KEEP_DAYS TOKSTAT_CRON_DAY TOKSTAT_DB

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
# expect_file PATH: it exists and is not empty.
expect_file() {
  [ -s "$1" ] || fail "expected the file ${1#"$work"/}"
}
expect_gone() {
  [ ! -e "$1" ] || fail "expected ${1#"$work"/} to be deleted"
}
# run NAME [VAR=VALUE...] -- ARGS...: runs the script with a clean
# environment for it; its status in $rc, its output in NAME.out / NAME.err.
run() {
  local name=$1
  shift
  local vars=()
  while [ "$1" != -- ]; do
    vars+=("$1")
    shift
  done
  shift
  env TOKSTAT="$bin" TOKSTAT_DB="$work/t.db" TOKSTAT_DATA_URL="file://$work/api.json" \
    TOKSTAT_CRON_DAY=2026-05-26 "${vars[@]}" sh "$script" "$@" >"$name.out" 2>"$name.err"
  rc=$?
}
listing() {
  find "$out" -mindepth 1 -printf '%f\n' | sort
}
imports() {
  "$bin" --db "$work/t.db" status --imports 0 | sed -n 's/^imports: \([0-9]*\).*/\1/p'
}

cp "$src/tests/data/json/daily-api.json" api.json
out=$work/reports
mkdir "$out"
# Dated files of earlier runs: with 3 days kept, 2026-05-24 is the oldest
# day left on 2026-05-26.
for f in share-by-country-2026-05-20.csv share-by-vendor-2026-05-23.csv \
  growth-by-country-2025-12-31.csv top-models-2026-05-23.csv openrouter-daily-2026-05-01.json \
  share-by-country-2026-05-24.csv top-models-2026-05-25.csv openrouter-daily-2026-05-24.json \
  notes-2020-01-01.csv share-by-country-latest.csv openrouter-daily-2026-05-01.txt; do
  echo old >"$out/$f"
done

# 1. A run: quiet, everything written, old files rotated away.
run ok TOKSTAT_KEEP_DAYS=3 -- "$out"
[ "$rc" -eq 0 ] || fail "a good run exited $rc: $(cat ok.err)"
[ ! -s ok.out ] || fail "a good run printed on stdout: $(cat ok.out)"
[ ! -s ok.err ] || fail "a good run printed on stderr: $(cat ok.err)"
for f in share-by-country share-by-vendor growth-by-country top-models; do
  expect_file "$out/$f-2026-05-26.csv"
done
expect_file "$out/openrouter-daily-2026-05-26.json"
cmp -s api.json "$out/openrouter-daily-2026-05-26.json" || fail "the kept download differs from what was served"
# The reports are tokstat's own CSV of the imported data.
"$bin" --db t.db report --by country --format csv >want.csv
cmp -s want.csv "$out/share-by-country-2026-05-26.csv" || fail "share-by-country differs from tokstat report --by country"
"$bin" --db t.db top -n 10 --format csv >want.csv
cmp -s want.csv "$out/top-models-2026-05-26.csv" || fail "top-models differs from tokstat top -n 10"
[ "$(head -1 "$out/share-by-vendor-2026-05-26.csv")" = \
  "week,days,coverage,rank,vendor,country,tokens,share,share_change,status,compared_days" ] ||
  fail "share-by-vendor has the wrong header"
# Both weeks have one day (a Sunday, then a Monday): no complete week, so
# the range ends on the partial one, marked, and with no weekday in common
# there is no growth (never the -45.7 % of a Monday against a Sunday).
grep -q '^2026-05-25,1,listed,CN,601234567890,,,partial,$' "$out/growth-by-country-2026-05-26.csv" ||
  fail "growth-by-country lacks CN's partial week of 2026-05-25, without growth"
[ "$(imports)" = 1 ] || fail "expected 1 import, the database has $(imports)"
for f in share-by-country-2026-05-20.csv share-by-vendor-2026-05-23.csv growth-by-country-2025-12-31.csv \
  top-models-2026-05-23.csv openrouter-daily-2026-05-01.json; do
  expect_gone "$out/$f"
done
for f in share-by-country-2026-05-24.csv top-models-2026-05-25.csv openrouter-daily-2026-05-24.json \
  notes-2020-01-01.csv share-by-country-latest.csv openrouter-daily-2026-05-01.txt; do
  [ -e "$out/$f" ] || fail "$f was deleted but should be kept"
done
leftover=$(find "$out" -name '.*' -newer api.json)
[ -z "$leftover" ] || fail "temporary files left behind: $leftover"

# 2. The same day again (a re-run): still fine, nothing new imported twice.
run again TOKSTAT_KEEP_DAYS=3 -- --db "$work/t.db" "$out"
[ "$rc" -eq 0 ] || fail "a re-run exited $rc: $(cat again.err)"
[ ! -s again.err ] || fail "a re-run printed on stderr: $(cat again.err)"

# 3. The default: 30 days kept.
run keep30 TOKSTAT_CRON_DAY=2026-06-23 -- "$out"
[ "$rc" -eq 0 ] || fail "a run with the default TOKSTAT_KEEP_DAYS exited $rc: $(cat keep30.err)"
expect_gone "$out/share-by-country-2026-05-24.csv"
expect_gone "$out/openrouter-daily-2026-05-24.json"
[ -e "$out/share-by-country-2026-05-26.csv" ] || fail "a file 28 days old was deleted with 30 days kept"

# 4. A download that fails: non-zero, a message naming the URL, no files.
before=$(listing)
imports_before=$(imports)
run missing TOKSTAT_DATA_URL="file://$work/nonexistent.json" TOKSTAT_CRON_DAY=2026-05-27 -- "$out"
[ "$rc" -ne 0 ] || fail "a failed download exited 0"
grep -q "cron-example.sh: download of file://$work/nonexistent.json failed" missing.err ||
  fail "no message for a failed download: $(cat missing.err)"
grep -q '^curl: ' missing.err || fail "curl's own reason is not shown: $(cat missing.err)"
[ "$(listing)" = "$before" ] || fail "a failed download left files: $(listing)"

# 5. A download that is not JSON (an error page): non-zero, tokstat's
# message, nothing imported or kept.
printf '<html><body>502 Bad Gateway</body></html>\n' >bad.json
run notjson TOKSTAT_DATA_URL="file://$work/bad.json" TOKSTAT_CRON_DAY=2026-05-27 -- "$out"
[ "$rc" -ne 0 ] || fail "a download that is not JSON exited 0"
grep -q '^tokstat: <stdin>:1:1: ' notjson.err || fail "no tokstat message for a download that is not JSON: $(cat notjson.err)"
grep -q 'cron-example.sh: import of the download from file://.*/bad.json failed' notjson.err ||
  fail "no message from the script for a bad download: $(cat notjson.err)"
[ "$(listing)" = "$before" ] || fail "a bad download left files: $(listing)"
[ "$(imports)" = "$imports_before" ] || fail "a bad download changed the imports: $(imports)"

# 6. JSON that is not the Data API's shape (an API error object).
printf '{"error":{"code":401,"message":"No auth credentials found"}}\n' >err.json
run errobj TOKSTAT_DATA_URL="file://$work/err.json" TOKSTAT_CRON_DAY=2026-05-27 -- "$out"
[ "$rc" -ne 0 ] || fail "an API error object exited 0"
grep -q '^tokstat: <stdin>' errobj.err || fail "no tokstat message for an API error object: $(cat errobj.err)"
[ "$(listing)" = "$before" ] || fail "an API error object left files: $(listing)"
[ "$(imports)" = "$imports_before" ] || fail "an API error object changed the imports: $(imports)"

# 7. An empty download.
: >empty.json
run empty TOKSTAT_DATA_URL="file://$work/empty.json" TOKSTAT_CRON_DAY=2026-05-27 -- "$out"
[ "$rc" -ne 0 ] || fail "an empty download exited 0"
grep -q 'cron-example.sh: download of .* is empty' empty.err || fail "no message for an empty download: $(cat empty.err)"

# 8. The real API without a key: refused before any connection.
run nokey TOKSTAT_DATA_URL=https://openrouter.invalid/api/v1/datasets/rankings-daily -- "$out"
[ "$rc" -ne 0 ] || fail "an https URL without OPENROUTER_API_KEY exited 0"
grep -q 'OPENROUTER_API_KEY is not set' nokey.err || fail "no message for a missing key: $(cat nokey.err)"

# 9. Bad settings and usage.
# expect_exit NAME STATUS PATTERN: the run NAME exited STATUS and its
# stderr (stdout for status 0) matches PATTERN.
expect_exit() {
  local f=$1.err
  [ "$2" -eq 0 ] && f=$1.out
  if [ "$rc" -ne "$2" ] || ! grep -q -- "$3" "$f"; then
    fail "$1: exit status $rc (expected $2), $(cat "$f")"
  fi
}
run badkeep TOKSTAT_KEEP_DAYS=0 -- "$out"
expect_exit badkeep 1 "TOKSTAT_KEEP_DAYS is '0' (expected a whole number of days, 1 or more)"
run badkeep2 TOKSTAT_KEEP_DAYS=7x -- "$out"
expect_exit badkeep2 1 "TOKSTAT_KEEP_DAYS is '7x'"
run badday TOKSTAT_CRON_DAY=2026-13-40 -- "$out"
expect_exit badday 1 "TOKSTAT_CRON_DAY is '2026-13-40' (expected a date, YYYY-MM-DD)"
run noprog TOKSTAT="$work/no-such-tokstat" -- "$out"
expect_exit noprog 1 "cannot run '$work/no-such-tokstat'"
run nodir --
expect_exit nodir 2 "usage: cron-example.sh \[--db PATH\] OUTPUT_DIR"
run nodb -- --db
expect_exit nodb 2 "option '--db' needs a value"
run help -- --help
expect_exit help 0 "^Usage: cron-example.sh \[--db PATH\] OUTPUT_DIR"

if [ "$failures" -eq 0 ]; then
  echo "cron-example: all checks passed"
  exit 0
fi
echo "cron-example: $failures checks failed"
exit 1
