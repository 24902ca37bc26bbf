#!/bin/sh
# cron-example.sh - a daily cron job: fetch what is new in OpenRouter's Data
# API (tokstat fetch rankings-daily: from a week before the newest stored
# day, so revised days come again, to yesterday), then write dated CSV
# reports of the latest complete week into OUTPUT_DIR, keeping the files of
# the last TOKSTAT_KEEP_DAYS days (default 30), and the dashboard page
# OUTPUT_DIR/index.html, replaced atomically: the page to publish (point a
# web server at OUTPUT_DIR, or copy the file where it serves from).
#
# Usage: cron-example.sh OUTPUT_DIR
#
# It prints nothing when all goes well; on a failure tokstat's message goes
# to standard error and the exit status is not 0, so cron mails it.
# Environment: OPENROUTER_API_KEY (or TOKSTAT_KEY_FILE, a file holding the
# key), TOKSTAT_DB (the database, tokstat's rules), TOKSTAT (the program,
# default tokstat on PATH), TOKSTAT_CRON_DAY (the day of the run, default
# today in UTC: it names the files, and the fetch ends the day before),
# TOKSTAT_API_URL (another API, for tests).
#
# Files, DAY being the day of the run: share-by-country-DAY.csv,
# share-by-vendor-DAY.csv, growth-by-country-DAY.csv (8 weeks) and
# top-models-DAY.csv (top 10); index.html, the dashboard of the latest
# complete week and the weeks before it. Only dated files of these names
# are deleted.
#
# A crontab line (06:30 UTC every day; the key in a file only you can read):
#   30 6 * * *  TOKSTAT_KEY_FILE=$HOME/.openrouter-key cron-example.sh $HOME/tokstat-reports
set -eu
[ $# -eq 1 ] || { echo "usage: ${0##*/} OUTPUT_DIR" >&2; exit 2; }
out=$1
tokstat=${TOKSTAT:-tokstat}
day=${TOKSTAT_CRON_DAY:-$(date -u +%F)}
keep=${TOKSTAT_KEEP_DAYS:-30}
yesterday=$(date -u -d "$day - 1 day" +%F) || exit 2
oldest=$(date -u -d "$day - $((keep - 1)) days" +%F) || exit 2

set -- fetch --quiet --to "$yesterday"
[ -z "${TOKSTAT_KEY_FILE:-}" ] || set -- "$@" --key-file "$TOKSTAT_KEY_FILE"
[ -z "${TOKSTAT_API_URL:-}" ] || set -- "$@" --api-url "$TOKSTAT_API_URL"
"$tokstat" "$@" rankings-daily

mkdir -p "$out"
for report in "share-by-country report --by country" "share-by-vendor report --by vendor" \
  "growth-by-country growth --by country" "top-models top -n 10"; do
  set -- $report
  name=$1
  shift
  "$tokstat" "$@" --format csv --output "$out/$name-$day.csv"
done
"$tokstat" dashboard --output "$out/index.html"

# The dated files of these names from before the oldest day kept (ISO dates
# compare as text).
for f in "$out"/share-by-country-*.csv "$out"/share-by-vendor-*.csv \
  "$out"/growth-by-country-*.csv "$out"/top-models-*.csv; do
  [ -e "$f" ] || continue
  fdate=${f%.csv}
  fdate=${fdate#"${fdate%??????????}"}
  case $fdate in
  [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) [ "$fdate" \> "$oldest" ] || [ "$fdate" = "$oldest" ] || rm -f "$f" ;;
  esac
done
