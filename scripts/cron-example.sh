#!/bin/sh
# cron-example.sh - a daily cron job: download OpenRouter's daily rankings
# (the Data API's rankings-daily), import them into tokstat, and write dated
# CSV reports into a folder, keeping the last N days of files.
#
# Usage: cron-example.sh [--db PATH] OUTPUT_DIR
#
# It prints nothing when all goes well. On any failure it says what failed
# on standard error and exits non-zero, so cron mails the message. Warnings
# of the reports (a vendor without a country) are mailed too: map the vendor
# once with 'tokstat vendors set VENDOR COUNTRY' and they stop.
#
# Environment:
#   OPENROUTER_API_KEY  the API key, sent as "Authorization: Bearer ..."
#                       (through standard input, never on a command line);
#                       required for http(s) URLs
#   TOKSTAT_DATA_URL    what to download (default the Data API's
#                       rankings-daily: the 30 days up to yesterday, so each
#                       run also picks up revised figures); a file:// URL
#                       reads a local file
#   TOKSTAT_DB          the database, unless --db is given (tokstat's rules)
#   TOKSTAT             the tokstat program (default: tokstat on PATH)
#   TOKSTAT_KEEP_DAYS   keep the dated files of this many days, today
#                       included (default 30); older ones are deleted
#   TOKSTAT_CRON_DAY    the day (YYYY-MM-DD) that names today's files and
#                       counts as today for the clean-up (default: today, UTC)
#
# Files written into OUTPUT_DIR, each atomically (a temporary file renamed
# into place), DAY being the day of the run:
#   openrouter-daily-DAY.json       the download, once it has been imported
#   share-by-country-DAY.csv        tokstat report --by country (latest complete week)
#   share-by-vendor-DAY.csv         tokstat report --by vendor (latest complete week)
#   growth-by-country-DAY.csv       tokstat growth --by country (8 weeks to the latest complete one)
#   top-models-DAY.csv              tokstat top -n 10 (latest complete week)
# Only files of these names are ever deleted.
#
# A crontab line (06:30 UTC every day; the key in a file only you can read):
#   30 6 * * *  OPENROUTER_API_KEY=$(cat $HOME/.openrouter-key) TOKSTAT_DB=$HOME/tokstat/tokstat.db $HOME/tokstat/scripts/cron-example.sh $HOME/tokstat/reports
set -eu

me=${0##*/}
die() {
  printf '%s: %s\n' "$me" "$*" >&2
  exit 1
}
usage() {
  printf '%s: %s\nusage: %s [--db PATH] OUTPUT_DIR\n' "$me" "$*" "$me" >&2
  exit 2
}

db=
while [ $# -gt 0 ]; do
  case $1 in
  --db)
    if [ $# -lt 2 ] || [ -z "$2" ]; then
      usage "option '--db' needs a value"
    fi
    db=$2
    shift 2
    ;;
  --db=*)
    db=${1#--db=}
    [ -n "$db" ] || usage "option '--db' needs a value"
    shift
    ;;
  -h | --help)
    sed -n '2,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p}' "$0"
    exit 0
    ;;
  --)
    shift
    break
    ;;
  -*) usage "unrecognized option '$1'" ;;
  *) break ;;
  esac
done
[ $# -eq 1 ] || usage "expected one OUTPUT_DIR"
out=$1

url=${TOKSTAT_DATA_URL:-https://openrouter.ai/api/v1/datasets/rankings-daily}
tokstat=${TOKSTAT:-tokstat}
keep=${TOKSTAT_KEEP_DAYS:-30}
day=${TOKSTAT_CRON_DAY:-$(date -u +%F)}
key=${OPENROUTER_API_KEY:-}

case $keep in
'' | *[!0-9]*) die "TOKSTAT_KEEP_DAYS is '$keep' (expected a whole number of days, 1 or more)" ;;
esac
[ "$keep" -ge 1 ] || die "TOKSTAT_KEEP_DAYS is '$keep' (expected a whole number of days, 1 or more)"
case $day in
[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
*) die "TOKSTAT_CRON_DAY is '$day' (expected a date, YYYY-MM-DD)" ;;
esac
# The first day whose files are kept (GNU date).
oldest=$(date -u -d "$day - $((keep - 1)) days" +%F 2>/dev/null) ||
  die "TOKSTAT_CRON_DAY is '$day' (expected a date, YYYY-MM-DD)"
case $url in
http://* | https://*)
  [ -n "$key" ] || die "OPENROUTER_API_KEY is not set (the Data API needs an API key)"
  ;;
esac
command -v "$tokstat" >/dev/null 2>&1 || die "cannot run '$tokstat' (set TOKSTAT to the tokstat program)"
command -v curl >/dev/null 2>&1 || die "curl is not installed"
mkdir -p "$out" || die "cannot create the folder '$out'"

# tokstat [--db PATH] ARGS...
ts() {
  if [ -n "$db" ]; then
    "$tokstat" --db "$db" "$@"
  else
    "$tokstat" "$@"
  fi
}

# The download goes to a temporary file beside its final name (so that the
# rename is atomic) and takes that name only once it has been imported.
tmp=$(mktemp "$out/.openrouter-daily-$day.XXXXXX") || die "cannot create a temporary file in '$out'"
trap 'rm -f "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# mktemp makes it private; the kept download is created like the reports,
# under the user's umask.
chmod "$(printf '%o' $((0666 & ~0$(umask))))" "$tmp" || die "cannot set the mode of '$tmp'"

# The key reaches curl through standard input, never its command line.
if [ -n "$key" ]; then
  printf 'Authorization: Bearer %s\n' "$key" |
    curl --fail --silent --show-error --location --max-time 300 --retry 2 \
      -H @- -o "$tmp" "$url" || die "download of $url failed"
else
  curl --fail --silent --show-error --location --max-time 300 --retry 2 \
    -o "$tmp" "$url" </dev/null || die "download of $url failed"
fi
[ -s "$tmp" ] || die "download of $url is empty"

# --format makes anything but the Data API's shape an error (an error page,
# a JSON error object), and tokstat says what is wrong with it.
ts import --quiet --format openrouter-daily - <"$tmp" ||
  die "import of the download from $url failed (nothing was imported)"
mv -f "$tmp" "$out/openrouter-daily-$day.json" || die "cannot rename the download into '$out'"

report() { # NAME TOKSTAT-ARGS...
  name=$1
  shift
  ts "$@" --format csv --output "$out/$name-$day.csv" || die "cannot write $out/$name-$day.csv"
}
report share-by-country report --by country
report share-by-vendor report --by vendor
report growth-by-country growth --by country
report top-models top -n 10

# Clean-up: the files of these names dated before the oldest day kept.
num() { # YYYY-MM-DD -> YYYYMMDD
  set -- "${1%%-*}" "${1#*-}"
  printf '%s%s%s' "$1" "${2%%-*}" "${2#*-}"
}
oldest_num=$(num "$oldest")
for f in "$out"/openrouter-daily-*.json "$out"/share-by-country-*.csv "$out"/share-by-vendor-*.csv \
  "$out"/growth-by-country-*.csv "$out"/top-models-*.csv; do
  [ -e "$f" ] || continue
  stem=${f##*/}
  stem=${stem%.*}
  fdate=${stem#"${stem%??????????}"} # its last 10 characters
  case $fdate in
  [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
  *) continue ;; # not a dated file of this script
  esac
  if [ "$(num "$fdate")" -lt "$oldest_num" ]; then
    rm -f "$f" || die "cannot delete the old file '$f'"
  fi
done
exit 0
