#!/usr/bin/env bash
# tokstat fetch against a scripted stand-in for OpenRouter's API
# (server.py, on 127.0.0.1 at a port the system picks): the requests it
# makes (windows, incremental starts, the key and where it goes; app
# rankings' weeks, pages and filters), how it
# waits and retries (429 with Retry-After, 5xx, timeouts, cut connections),
# what a bad answer does (an error naming the API's message or what is
# wrong with the body, status 1, the database as before), --save, the
# model catalogue, and real rows fetched giving the same reports as the
# same rows imported from CSV. Nothing reaches the internet.
#
# Usage: fetch.sh TOKSTAT SOURCE_ROOT [CASE...]   (every case when none; the
# cases are the case_* functions below). TOKSTAT_WRAPPER (e.g. "valgrind
# -q --error-exitcode=99") runs tokstat under a tool. Needs python3 and
# sqlite3.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
shift 2
here=$src/tests/fetch
fixture=$here/rankings-daily-2025-01-01_2025-02-02.json
export LC_ALL=C TZ=UTC
unset OPENROUTER_API_KEY TOKSTAT_DB TOKSTAT_FETCH_MIN_INTERVAL_MS TOKSTAT_FETCH_MAX_WAIT_MS \
  TOKSTAT_FETCH_TIMEOUT_MS TOKSTAT_FETCH_MAX_BYTES http_proxy https_proxy HTTP_PROXY \
  HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

top=$(mktemp -d)
. "$here/serve.sh"
trap 'stop; rm -rf "$top"' EXIT
if [ -n "${TOKSTAT_WRAPPER:-}" ]; then
  printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$TOKSTAT_WRAPPER" "$bin" >"$top/tokstat-wrapped"
  chmod +x "$top/tokstat-wrapped"
  bin=$top/tokstat-wrapped
fi

failures=0
case_name=""
fail() {
  echo "FAIL [$case_name]: $*"
  failures=$((failures + 1))
}


# run NAME [VAR=VALUE...] -- ARGS...: tokstat ARGS with the tests' key,
# database and short waits; status in $rc, output in NAME.out and NAME.err.
run() {
  local name=$1 vars=()
  shift
  while [ "$1" != -- ]; do
    vars+=("$1")
    shift
  done
  shift
  env OPENROUTER_API_KEY=test-key-123 TOKSTAT_DB=t.db TOKSTAT_FETCH_MIN_INTERVAL_MS=0 \
    TOKSTAT_FETCH_MAX_WAIT_MS=20 TOKSTAT_FETCH_TIMEOUT_MS=10000 "${vars[@]}" \
    "$bin" "$@" >"$name.out" 2>"$name.err"
  rc=$?
}

expect_rc() { # WANT NAME
  [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1; stderr: $(cat "$2.err")"
}
expect_in() { # FILE TEXT: FILE has a line containing TEXT
  grep -qF -- "$2" "$1" || fail "$1 does not say '$2'; it says: $(cat "$1")"
}
expect_eq() { # WHAT GOT WANT
  [ "$2" = "$3" ] || fail "$1: got [$2], expected [$3]"
}
# The requests the server got: "PATH?QUERY" a line; their number; the
# Authorization headers; the seconds between the first two.
requests() { awk -F'\t' '{ print $2 ($3 == "" ? "" : "?" $3) }' log; }
nrequests() { wc -l <log | tr -d ' '; }
auths() { cut -f4 log | sort -u; }
gap() { awk -F'\t' -v i="$1" 'NR == i { a = $1 } NR == i + 1 { printf "%.3f\n", $1 - a }' log; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
dump() { sqlite3 t.db .dump; }
# A database with some rows already, and its dump in before.
seed_db() {
  "$bin" --db t.db import -q "$src/tests/data/json/daily-api.json" || fail "seeding the database"
  before=$(dump)
}
expect_db_unchanged() {
  [ "$(dump)" = "$before" ] || fail "$1: the database changed"
}
daily() { # the rankings-daily request for FROM TO
  echo "/api/v1/datasets/rankings-daily?start_date=$1&end_date=$2"
}
rankings='[{"rankings": "'$fixture'", "synthetic": true}]'

# ---- windows and plans ----

case_windows() { # more than 366 days: several requests, consecutive
  # (rankings-daily has no pages: one request a window, no limit or offset)
  serve "$rankings" || return
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2026-03-01 rankings-daily
  expect_rc 0 f
  expect_eq requests "$(requests)" "$(daily 2025-01-01 2026-01-01)
$(daily 2026-01-02 2026-03-01)"
  expect_eq "summary lines" "$(wc -l <f.out)" 2
  expect_in f.out "rankings-daily 2025-01-01..2026-01-01: 2682 rows, 2682 inserted, 0 updated, 0 unchanged, dataset default, weeks 2024-12-30..2026-01-04"
  expect_in f.out "rankings-daily 2026-01-02..2026-03-01: 177 rows, 177 inserted"
  expect_eq key "$(auths)" "Bearer test-key-123"
  # Exactly 366 days is one request; 367 are two.
  run g -- fetch --api-url "$api" --from 2024-06-01 --to 2025-12-31 rankings-daily
  expect_rc 0 g
  run h -- fetch --api-url "$api" --from 2025-01-01 --to 2026-01-02 rankings-daily
  expect_rc 0 h
  expect_eq "366 and 367 days" "$(requests | tail -n 3)" "$(daily 2025-01-01 2025-12-31)
$(daily 2025-01-01 2026-01-01)
$(daily 2026-01-02 2026-01-02)"
}

case_spacing() { # requests start at least the minimum interval apart
  # The server logs a request when it has read it: on a loaded machine the
  # first may be logged late, which shortens the gap it sees. Unspaced
  # requests are a few ms apart, so 150 ms of slack still tells them apart.
  serve "$rankings" || return
  run f TOKSTAT_FETCH_MIN_INTERVAL_MS=1000 -- fetch -q --api-url "$api" --from 2025-01-01 \
    --to 2027-01-01 rankings-daily
  expect_rc 0 f
  [ -s f.out ] && fail "-q printed: $(cat f.out)"
  expect_eq requests "$(nrequests)" 2
  at_least "$(gap 1)" 0.85 || fail "requests $(gap 1) s apart, expected at least 1 s"
}

case_incremental() { # without --from: a week before the newest stored day
  serve "$rankings" || return
  run f -- fetch --api-url "$api" --to 2025-02-02 rankings-daily # empty: from the start
  expect_rc 0 f
  run g -- fetch --api-url "$api" --to 2025-02-20 rankings-daily
  expect_rc 0 g
  expect_eq requests "$(requests)" "$(daily 2025-01-01 2025-02-02)
$(daily 2025-01-26 2025-02-20)"
  # 8 days of 51 rows come again unchanged; 18 new days of 3 rows.
  expect_in g.out "rankings-daily 2025-01-26..2025-02-20: 462 rows, 54 inserted, 0 updated, 408 unchanged"
  # Another dataset starts from the beginning; --from wins over the plan.
  run h -- fetch --api-url "$api" --dataset other --to 2025-01-03 rankings-daily
  run i -- fetch --api-url "$api" --from 2025-02-01 --to 2025-02-03 rankings-daily
  expect_eq requests "$(requests | tail -n 2)" "$(daily 2025-01-01 2025-01-03)
$(daily 2025-02-01 2025-02-03)"
  # Before 2025-01-01 there is nothing: the start of the data.
  run j -- fetch --api-url "$api" --dataset early --from 2024-01-01 --to 2025-01-02 rankings-daily
  expect_eq "early --from" "$(requests | tail -n 1)" "$(daily 2025-01-01 2025-01-02)"
}

case_default_range() { # no --from, no --to, no data: 2025-01-01 to yesterday
  serve "$rankings" || return
  run f -- fetch -q --api-url "$api" rankings-daily
  expect_rc 0 f
  yesterday=$(date -u -d yesterday +%F)
  days=$((($(date -u -d "$yesterday" +%s) - $(date -u -d 2025-01-01 +%s)) / 86400 + 1))
  expect_eq "requests for $days days" "$(nrequests)" $(((days + 365) / 366))
  expect_eq "first" "$(requests | head -n 1)" "$(daily 2025-01-01 2026-01-01)"
  expect_eq "last day" "$(requests | tail -n 1 | sed 's/.*end_date=//')" "$yesterday"
  # Up to date: a week again, ending yesterday.
  run g -- fetch -q --api-url "$api" rankings-daily
  expect_eq "again" "$(requests | tail -n 1)" "$(daily "$(date -u -d "$yesterday - 7 days" +%F)" "$yesterday")"
  # --to later than yesterday ends yesterday.
  run h -- fetch -q --api-url "$api" --from "$yesterday" --to 2099-01-01 rankings-daily
  expect_eq "--to in the future" "$(requests | tail -n 1)" "$(daily "$yesterday" "$yesterday")"
  # Days that are not over yet: nothing to fetch, and no request.
  run i -- fetch --api-url "$api" --from 2099-01-01 rankings-daily
  expect_rc 0 i
  expect_in i.err "tokstat: note: nothing to fetch: from 2099-01-01 to $yesterday is no day"
  expect_eq "requests for the future" "$(nrequests)" $(((days + 365) / 366 + 2))
}

case_empty_window() { # a window the API has no rows for: said, not an error
  serve '[{"json": {"data": [], "meta": {"as_of": "2026-01-01T00:00:00Z"}}}]' || return
  seed_db
  run f -- fetch --api-url "$api" --from 2025-03-01 --to 2025-03-02 rankings-daily
  expect_rc 0 f
  expect_in f.out "rankings-daily 2025-03-01..2025-03-02: no rows, nothing imported"
  expect_db_unchanged "an empty answer"
}

# ---- errors ----

case_unauthorized() { # 401: the API's message, status 1, nothing changed, no retry
  serve '[{"status": 401, "json": {"error": {"code": 401, "message": "No auth credentials found"}}}]' ||
    return
  seed_db
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-31 rankings-daily
  expect_rc 1 f
  expect_in f.err "tokstat: GET $(daily 2025-01-01 2025-01-31 | sed "s|^/api/v1|$api|"): HTTP 401: No auth credentials found"
  expect_eq requests "$(nrequests)" 1
  expect_db_unchanged 401
  [ -s f.out ] && fail "a failure printed a summary: $(cat f.out)"
}

case_later_failure_keeps_earlier() { # the second window fails: the first stays
  serve '[{"rankings": "'$fixture'", "synthetic": true},
          {"status": 400, "json": {"error": {"code": 400, "message": "end_date: bad\u001b[31m"}}}]' ||
    return
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2026-01-05 rankings-daily
  expect_rc 1 f
  expect_in f.out "rankings-daily 2025-01-01..2026-01-01: 2682 rows"
  expect_in f.err "HTTP 400: end_date: bad\\x1b[31m" # escaped for the terminal
  expect_eq rows "$("$bin" --db t.db status | grep -c 'rankings-daily 2025-01-01..2026-01-01')" 1
}

case_rate_limited() { # 429 with Retry-After: waits that long, then goes on
  serve '[{"status": 429, "headers": {"Retry-After": "1"}, "json": {"error": {"code": 429, "message": "Rate limit exceeded"}}},
          {"rankings": "'$fixture'"}]' || return
  run f TOKSTAT_FETCH_MAX_WAIT_MS=5000 -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-02 rankings-daily
  expect_rc 0 f
  expect_eq requests "$(nrequests)" 2
  at_least "$(gap 1)" 0.95 || fail "retried after $(gap 1) s, expected Retry-After's 1 s"
  expect_in f.err "HTTP 429: Rate limit exceeded; trying again in 1.0 s (retry 1 of 3)"
  expect_in f.out "102 rows, 102 inserted"
  # A Retry-After longer than the longest wait is cut to it; -q keeps quiet.
  serve '[{"status": 429, "headers": {"Retry-After": "3600"}}, {"rankings": "'$fixture'"}]' || return
  run g TOKSTAT_FETCH_MAX_WAIT_MS=200 -- fetch -q --api-url "$api" --from 2025-01-01 --to 2025-01-02 rankings-daily
  expect_rc 0 g
  [ -s g.err ] && fail "-q printed notes: $(cat g.err)"
  at_least 2 "$(gap 1)" || fail "waited $(gap 1) s for a Retry-After cut to 0.2 s"
}

case_server_error_then_ok() { # 500, then an answer
  serve '[{"status": 500, "json": {"error": {"code": 500, "message": "Internal Server Error"}}},
          {"status": 503, "body": "<html><body>Service Unavailable</body></html>", "headers": {"Content-Type": "text/html"}},
          {"rankings": "'$fixture'"}]' || return
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 0 f
  expect_eq requests "$(nrequests)" 3
  expect_in f.err "HTTP 500: Internal Server Error; trying again in 0.0 s (retry 1 of 3)"
  expect_in f.err "HTTP 503: an HTML page instead of the API's JSON; trying again"
  expect_in f.out "51 rows, 51 inserted"
}

case_server_error_forever() { # bounded: 1 try and 3 retries, then status 1
  serve '[{"status": 502, "json": {"error": {"code": 502, "message": "Bad gateway"}}}]' || return
  seed_db
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 f
  expect_eq requests "$(nrequests)" 4
  expect_in f.err "HTTP 502: Bad gateway (after 4 tries)"
  expect_db_unchanged "502 forever"
}

case_timeout() { # no answer in time: tried again; for ever: status 1
  serve '[{"delay": 3, "rankings": "'$fixture'"}, {"rankings": "'$fixture'"}]' || return
  run f TOKSTAT_FETCH_TIMEOUT_MS=300 -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 0 f
  expect_in f.err "no complete response within 300 ms (timed out); trying again"
  expect_eq requests "$(nrequests)" 2
  serve '[{"delay": 3, "rankings": "'$fixture'"}]' || return
  seed_db
  run g TOKSTAT_FETCH_TIMEOUT_MS=200 -- fetch -q --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 g
  expect_in g.err "no complete response within 200 ms (timed out) (after 4 tries)"
  expect_db_unchanged timeout
}

case_cut_connection() { # the connection closes inside the body: tried again
  serve '[{"rankings": "'$fixture'", "cut": 500}, {"rankings": "'$fixture'"}]' || return
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 0 f
  expect_eq requests "$(nrequests)" 2
  expect_in f.err "trying again"
  serve '[{"rankings": "'$fixture'", "cut": 500}]' || return
  seed_db
  run g -- fetch -q --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 g
  expect_in g.err "(after 4 tries)"
  expect_db_unchanged "a cut connection"
}

case_truncated_json() { # a complete answer whose JSON is cut: the importer's place
  serve '[{"body": "{\"data\":[{\"date\":\"2025-01-01\",\"model_permaslug\":\"a/b\",\"total_tokens\":\"5\"},\n{\"date\":\"2025-01-0"}]' ||
    return
  seed_db
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 f
  expect_in f.err "tokstat: rankings-daily 2025-01-01..2025-01-01:2:"
  expect_eq requests "$(nrequests)" 1
  expect_db_unchanged "truncated JSON"
}

case_html() { # a 200 with an HTML page (a portal, a proxy): said, nothing changed
  serve '[{"body": "<!DOCTYPE html><html><title>Just a moment...</title></html>", "headers": {"Content-Type": "text/html; charset=utf-8"}}]' ||
    return
  seed_db
  run f -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 f
  expect_in f.err "the response is an HTML page, not JSON, Content-Type 'text/html; charset=utf-8'"
  expect_db_unchanged "HTML"
  # Not the Data API's shape: the importer says so.
  serve '[{"json": {"models": []}}]' || return
  run g -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 g
  expect_in g.err "tokstat: rankings-daily 2025-01-01..2025-01-01:"
  expect_db_unchanged "another shape"
}

case_too_big() { # a body over the limit: an error naming it, no retry
  serve "$rankings" || return
  seed_db
  run f TOKSTAT_FETCH_MAX_BYTES=1000 -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-31 rankings-daily
  expect_rc 1 f
  expect_in f.err "the response is larger than the limit of 1000 bytes"
  expect_in f.err "TOKSTAT_FETCH_MAX_BYTES"
  expect_eq requests "$(nrequests)" 1
  expect_db_unchanged "too big"
}

case_connection_refused() { # nothing listens: curl's message, no retry
  serve "$rankings" || return
  dead=$api
  stop
  run f -- fetch --api-url "$dead" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 f
  expect_in f.err "tokstat: GET $dead/datasets/rankings-daily?start_date=2025-01-01&end_date=2025-01-01: "
  grep -q "trying again" f.err && fail "a refused connection was tried again"
}

# ---- the key ----

case_key_plain_http() { # never over plain http to another host, nor by redirect
  serve "$rankings" || return
  port=$(cat port)
  # 127.1 is 127.0.0.1 to the resolver, but not one of the loopback names.
  run f -- fetch --api-url "http://127.1:$port/api/v1" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 2 f
  expect_in f.err "tokstat fetch: not sending the API key to 'http://127.1:$port/api/v1' over plain http"
  expect_eq "requests after a refusal" "$(nrequests)" 0
  [ -e t.db ] && fail "a refused fetch made the database"
  # localhost is loopback: the key goes.
  run g -- fetch --api-url "http://localhost:$port/api/v1/" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 0 g
  expect_eq "key to localhost" "$(auths)" "Bearer test-key-123"
  # The catalogue needs no key: none is sent, anywhere.
  serve '[{"file": "'"$src"'/tests/data/json/models-excerpt.json"}]' || return
  run h -- fetch --api-url "http://127.1:$(cat port)/api/v1" models
  expect_rc 0 h
  expect_eq "key for models" "$(auths)" "-"
  # A redirect is not followed (it could lead the key elsewhere).
  serve '[{"status": 302, "headers": {"Location": "http://127.1:9/x"}}]' || return
  run i -- fetch --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 i
  expect_in i.err "HTTP 302 (a redirect to 'http://127.1:9/x', not followed: is --api-url right?)"
  expect_eq "requests after a redirect" "$(nrequests)" 1
}

case_key_file() { # --key-file, over the environment's key; blanks trimmed
  serve "$rankings" || return
  printf '  file-key-456\n\n' >key
  run f -- fetch --key-file key --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 0 f
  expect_eq "key from the file" "$(auths)" "Bearer file-key-456"
  printf 'two words\n' >bad
  run g -- fetch --key-file bad --api-url "$api" --from 2025-01-01 --to 2025-01-01 rankings-daily
  expect_rc 1 g
  expect_in g.err "tokstat: key file 'bad' holds a blank, a control character or a non-ASCII byte"
  : >empty
  run h -- fetch --key-file empty --api-url "$api" rankings-daily
  expect_rc 1 h
  expect_in h.err "tokstat: key file 'empty' is empty"
  run i -- fetch --key-file missing --api-url "$api" rankings-daily
  expect_rc 1 i
  expect_in i.err "tokstat: cannot read the key file 'missing': No such file or directory"
  expect_eq "requests with bad keys" "$(nrequests)" 1
  grep -qF "file-key-456" ./*.out ./*.err && fail "the key was printed"
}

# ---- what is kept ----

case_save() { # each raw response, named by endpoint and window, written whole
  serve "$rankings" || return
  run f -- fetch --save saved --api-url "$api" --from 2025-01-01 --to 2026-01-03 rankings-daily
  expect_rc 0 f
  expect_eq "saved files" "$(ls -A saved | tr '\n' ' ')" \
    "rankings-daily-2025-01-01_2026-01-01.json rankings-daily-2026-01-02_2026-01-03.json "
  python3 -c 'import json, sys; [json.load(open(f)) for f in sys.argv[1:]]' saved/*.json ||
    fail "a saved response is not JSON"
  # The same bytes as were imported: import finds the same content.
  run g -- import --format openrouter-daily saved/rankings-daily-2026-01-02_2026-01-03.json
  expect_rc 0 g
  expect_in g.out "6 rows, 0 inserted, 0 updated, 6 unchanged, dataset default, weeks 2025-12-29..2026-01-04 (same content as the import of"
  # And the imports table names the endpoint and window.
  run h -- status
  expect_in h.out "rankings-daily 2026-01-02..2026-01-03"
  # A failed answer is not saved over the good one; a bad folder is an error.
  kept=$(cksum <saved/rankings-daily-2026-01-02_2026-01-03.json)
  serve '[{"status": 500}]' || return
  run i -- fetch -q --save saved --api-url "$api" --from 2026-01-02 --to 2026-01-03 rankings-daily
  expect_rc 1 i
  expect_eq "kept" "$(cksum <saved/rankings-daily-2026-01-02_2026-01-03.json)" "$kept"
  expect_eq "saved files after a failure" "$(ls -A saved | wc -l)" 2
  : >afile
  run j -- fetch --save afile/sub --api-url "$api" rankings-daily
  expect_rc 1 j
  expect_in j.err "tokstat: --save: cannot make the folder 'afile/sub': Not a directory"
}

case_models() { # the catalogue: no key, no dates, as of today
  serve '[{"file": "'"$src"'/tests/data/json/models-excerpt.json"}]' || return
  run f -- fetch --save saved --api-url "$api" models
  expect_rc 0 f
  today=$(date -u +%F)
  expect_eq request "$(requests)" "/api/v1/models"
  expect_eq key "$(auths)" "-"
  expect_in f.out "models $today: "
  expect_in f.out "from the model catalogue, valid from $today"
  [ -f "saved/models-$today.json" ] || fail "no saved/models-$today.json"
  expect_eq "as of" "$(sqlite3 t.db "SELECT format, as_of FROM imports")" "openrouter-models|$today"
}

case_real_data() { # real rows fetched = the same rows imported from CSV
  serve '[{"rankings": "'$fixture'"}]' || return
  run f -- fetch --dataset api --api-url "$api" --from 2025-01-01 --to 2025-02-02 rankings-daily
  expect_rc 0 f
  expect_eq request "$(requests)" "$(daily 2025-01-01 2025-02-02)"
  expect_in f.out "rankings-daily 2025-01-01..2025-02-02: 1683 rows, 1683 inserted, 0 updated, 0 unchanged, dataset api, weeks 2024-12-30..2025-02-02"
  run g -- import --dataset csv "$src/data/sample/rankings-daily-2025-01-01_2025-02-02.csv"
  expect_rc 0 g
  for report in "report --by country" "report --by vendor" "report --by model" \
    "growth --by country" "growth --by vendor --summary" "top -n 10" "top --by vendor"; do
    # shellcheck disable=SC2086
    TOKSTAT_DB=t.db "$bin" $report --from 2025-01-01 --to 2025-02-02 --format csv --dataset api \
      >api.csv 2>api.err
    # shellcheck disable=SC2086
    TOKSTAT_DB=t.db "$bin" $report --from 2025-01-01 --to 2025-02-02 --format csv --dataset csv \
      >csv.csv 2>csv.err
    [ "$(wc -l <api.csv)" -gt 5 ] || fail "$report: $(cat api.err)"
    cmp -s api.csv csv.csv || fail "$report: fetched and imported rows differ: $(diff api.csv csv.csv | head -5)"
  done
  # The source line cites the API's as-of time.
  TOKSTAT_DB=t.db "$bin" report --by country --week 2025-01-27 --dataset api >table.txt 2>/dev/null
  expect_in table.txt "Source: OpenRouter (openrouter.ai/rankings), as of 2026-10-10T00:00:00Z"
}

# ---- app-rankings ----

real_apps=$src/tests/data/real/app-rankings-2025-02-02.json
apps_fixtures='"'$real_apps'", "'$src'/tests/data/cli/apps-2025-02-09.json", "'$src'/tests/data/cli/apps-2025-02-16.json"'
apps='[{"apps": ['$apps_fixtures']}]'
appreq() { # the app-rankings request for MONDAY SUNDAY [LIMIT OFFSET [FILTERS]]
  echo "/api/v1/datasets/app-rankings?start_date=$1&end_date=$2&limit=${3:-100}&offset=${4:-0}${5:+&$5}"
}

case_apps_weeks() { # one complete ISO week a request; top --by app shows the weeks' apps
  serve "$apps" || return
  run f -- fetch --api-url "$api" --from 2025-01-29 --to 2025-02-16 app-rankings
  expect_rc 0 f
  expect_eq requests "$(requests)" "$(appreq 2025-01-27 2025-02-02)
$(appreq 2025-02-03 2025-02-09)
$(appreq 2025-02-10 2025-02-16)"
  expect_eq key "$(auths)" "Bearer test-key-123"
  expect_in f.out "app-rankings 2025-01-27..2025-02-02 ranks 1-100: 4 rows, 4 inserted, 0 updated, 0 unchanged, dataset apps, weeks 2025-01-27..2025-02-02"
  expect_in f.out "app-rankings 2025-02-10..2025-02-16 ranks 1-100: 4 rows, 4 inserted"
  # Each app a weekly observation of the app, in a dataset of apps.
  expect_eq "app_usage" "$(sqlite3 t.db "SELECT week, app_id, app, tokens, requests FROM app_usage WHERE week = '2025-01-27' ORDER BY tokens DESC")" \
    "2025-01-27|190604|Cline|162702717582|2283292
2025-01-27|143418|Aider|2090788410|151292
2025-01-27|189563|OpenHands|200797091|6733
2025-01-27|2222282|OpenAgents|170305|20"
  expect_eq "kind" "$(sqlite3 t.db "SELECT kind FROM datasets WHERE name = 'apps'")" apps
  expect_eq "no models" "$(sqlite3 t.db "SELECT COUNT(*) FROM models; SELECT COUNT(*) FROM usage")" "0
0"
  # top --by app reads the apps dataset: the last week's top apps, and why
  # no concentration is given (a listed-only week).
  TOKSTAT_DB=t.db "$bin" top --by app >top.txt 2>top.err
  expect_eq "top rc" "$?" 0
  expect_in top.txt "Top 5 apps by tokens, week of 2025-02-10 (dataset apps)"
  expect_in top.txt "Week of 2025-02-10 (listed apps only)"
  expect_in top.txt "   1  Cline  190604    180B  96.8 %      96.8 %"
  expect_in top.txt "CR-4 and HHI not given: app rankings list only the top public apps (no other bucket)"
  expect_in top.txt "Note: tokens as each model's provider counts them (its own tokenizer"
  expect_in top.txt "Source: OpenRouter (openrouter.ai/apps), as of 2026-09-29T17:00:00Z"
  TOKSTAT_DB=t.db "$bin" top --by app --week 2025-01-27 --format json >top.json 2>top.err
  expect_in top.json '{"week":"2025-01-27","days":7,"coverage":"listed","rank":1,"app":"Cline","app_id":190604,"tokens":162702717582,"share":0.986110,"cumulative_share":0.986110,"cr":null,"hhi_low":null,"hhi_high":null,"hhi_change":null,"band":null,"status":null,"compared_days":null}'
}

case_apps_incremental() { # without --from: the newest week again, or the last 8 weeks
  serve "$apps" || return
  run f -- fetch --api-url "$api" --to 2025-02-16 app-rankings # no weeks yet: 8 weeks back
  expect_rc 0 f
  expect_in f.err "tokstat: note: dataset 'apps' has no weeks yet: fetching the last 8 complete weeks, from the week of 2025-01-06"
  expect_eq "first plan" "$(requests | sed 's/.*start_date=\([0-9-]*\).*/\1/' | tr '\n' ' ')" \
    "2025-01-06 2025-01-13 2025-01-20 2025-01-27 2025-02-03 2025-02-10 "
  expect_in f.out "app-rankings 2025-01-06..2025-01-12 ranks 1-100: no rows, nothing imported"
  run g -- fetch --api-url "$api" --to 2025-02-23 app-rankings # from the newest week
  expect_rc 0 g
  expect_eq "again" "$(requests | tail -n 2)" "$(appreq 2025-02-10 2025-02-16)
$(appreq 2025-02-17 2025-02-23)"
  expect_in g.out "app-rankings 2025-02-10..2025-02-16 ranks 1-100: 4 rows, 0 inserted, 0 updated, 4 unchanged"
  # The default end is the last complete week: never this week's.
  last=$(date -u -d "$(date -u +%F) -$(( $(date -u +%u) + 6 )) days" +%F)
  run h -- fetch --api-url "$api" --dataset recent app-rankings
  expect_rc 0 h
  expect_eq "last week" "$(requests | tail -n 1 | sed 's/.*start_date=\([0-9-]*\).*/\1/')" "$last"
  expect_eq "8 weeks" "$(grep -c 'ranks 1-100' h.out)" 8
  # A week not over yet: nothing to fetch, no request.
  n=$(nrequests)
  run i -- fetch --api-url "$api" --from 2099-01-01 app-rankings
  expect_rc 0 i
  expect_in i.err "tokstat: note: nothing to fetch: the week of 2098-12-29 is not over yet"
  expect_eq "no request" "$(nrequests)" "$n"
}

case_apps_pages() { # --limit over 100: two pages; a short page is the last; ranks absolute
  serve '[{"apps": ['"$apps_fixtures"'], "synthetic_apps": 150}]' || return
  run f -- fetch --api-url "$api" --from 2025-03-03 --to 2025-03-03 --limit 150 app-rankings
  expect_rc 0 f
  expect_eq pages "$(requests)" "$(appreq 2025-03-03 2025-03-09 100 0)
$(appreq 2025-03-03 2025-03-09 50 100)"
  expect_in f.out "app-rankings 2025-03-03..2025-03-09 ranks 1-100: 100 rows, 100 inserted"
  expect_in f.out "app-rankings 2025-03-03..2025-03-09 ranks 101-150: 50 rows, 50 inserted"
  expect_eq apps "$(sqlite3 t.db "SELECT COUNT(*), MIN(tokens), MAX(tokens) FROM app_usage")" "150|351000313|500000313"
  # A week of 4 apps: the first page is short, so there is no second.
  run g -- fetch --api-url "$api" --from 2025-01-27 --to 2025-01-27 --limit 150 app-rankings
  expect_rc 0 g
  expect_eq "short page" "$(requests | tail -n 1)" "$(appreq 2025-01-27 2025-02-02 100 0)"
  expect_eq "ranks kept" "$(sqlite3 t.db "SELECT first_rank, last_rank FROM app_lists")" "1|150"
  # Another list length into the same dataset: refused before any request.
  before=$(dump)
  n=$(nrequests)
  run h -- fetch --api-url "$api" --from 2025-02-03 --to 2025-02-03 app-rankings
  expect_rc 1 h
  expect_in h.err "tokstat: dataset 'apps' was fetched for ranks 1-150, not 1-100"
  expect_eq "no request" "$(nrequests)" "$n"
  expect_db_unchanged "another list length"
  # --offset: ranks start after it, in one request when they fit.
  run i -- fetch --api-url "$api" --dataset offset --from 2025-03-03 --to 2025-03-03 --offset 50 --limit 100 app-rankings
  expect_rc 0 i
  expect_eq "offset" "$(requests | tail -n 1)" "$(appreq 2025-03-03 2025-03-09 100 50)"
  expect_in i.out "ranks 51-150: 100 rows"
  n=$(nrequests)
  # What the API cannot give is a usage error; so are the options elsewhere.
  for bad in "--limit 0" "--limit 201" "--offset 101" "--offset 50 --limit 151" "--limit x"; do
    # shellcheck disable=SC2086
    run j -- fetch --api-url "$api" $bad app-rankings
    expect_rc 2 j
  done
  expect_in j.err "tokstat fetch: invalid value 'x' for --limit (expected 1 to 200: over 100 in two requests)"
  run k -- fetch --api-url "$api" --offset 50 --limit 151 app-rankings
  expect_in k.err "tokstat fetch: --offset 50 and --limit 151 reach rank 201 (the API lists ranks 1 to 200)"
  run l -- fetch --api-url "$api" --limit 10 rankings-daily
  expect_rc 2 l
  expect_in l.err "--limit, --offset, --category, --subcategory and --sort apply to app-rankings only"
  expect_eq "no request for usage errors" "$(nrequests)" "$n"
}

case_apps_filters() { # --category, --subcategory, --sort passed through and kept
  serve "$apps" || return
  run f -- fetch --api-url "$api" --from 2025-01-27 --to 2025-01-27 --category coding \
    --subcategory cli-agent --sort trending app-rankings
  expect_rc 0 f
  expect_eq request "$(requests)" "$(appreq 2025-01-27 2025-02-02 100 0 category=coding\&subcategory=cli-agent\&sort=trending)"
  expect_eq kept "$(sqlite3 t.db "SELECT category, subcategory, sort FROM app_lists")" "coding|cli-agent|trending"
  run g -- status
  expect_in g.out "dataset apps: 4 observations, 4 apps (app rankings: category coding, subcategory cli-agent, sort trending, ranks 1-100)"
  # Another list into the same dataset: refused, before any request.
  before=$(dump)
  run h -- fetch --api-url "$api" --from 2025-02-03 --to 2025-02-03 --subcategory cli-agent app-rankings
  expect_rc 1 h
  expect_in h.err "tokstat: dataset 'apps' holds app rankings of category coding, subcategory cli-agent, sort trending, not of subcategory cli-agent, sort popular"
  expect_eq "no request" "$(nrequests)" 1
  expect_db_unchanged "another list"
  # Into a dataset of its own it goes; without --sort none is sent (popular).
  run i -- fetch --api-url "$api" --dataset cli --from 2025-02-03 --to 2025-02-03 --subcategory cli-agent app-rankings
  expect_rc 0 i
  expect_eq "no sort sent" "$(requests | tail -n 1)" "$(appreq 2025-02-03 2025-02-09 100 0 subcategory=cli-agent)"
  # Model usage never goes into a dataset of apps, nor apps into model usage.
  seed_db
  run j -- fetch --api-url "$api" --dataset default --from 2025-02-03 --to 2025-02-03 app-rankings
  expect_rc 1 j
  expect_in j.err "tokstat: dataset 'default' holds model usage: app rankings go to a dataset of their own"
  expect_db_unchanged "apps into model usage"
  # Bad values: usage errors.
  run k -- fetch --api-url "$api" --sort newest app-rankings
  expect_rc 2 k
  expect_in k.err "tokstat fetch: invalid value 'newest' for --sort (expected popular or trending)"
  run l -- fetch --api-url "$api" --category 'a b' app-rankings
  expect_rc 2 l
}

case_apps_rate_limited() { # 429 with Retry-After: waits that long, then goes on
  serve '[{"status": 429, "headers": {"Retry-After": "1"}, "json": {"error": {"code": 429, "message": "Rate limit exceeded: 30 requests/minute"}}},
          {"apps": ['"$apps_fixtures"']}]' || return
  run f TOKSTAT_FETCH_MAX_WAIT_MS=5000 -- fetch --api-url "$api" --from 2025-01-27 --to 2025-01-27 app-rankings
  expect_rc 0 f
  expect_eq requests "$(nrequests)" 2
  at_least "$(gap 1)" 0.95 || fail "retried after $(gap 1) s, expected Retry-After's 1 s"
  expect_in f.err "HTTP 429: Rate limit exceeded: 30 requests/minute; trying again in 1.0 s (retry 1 of 3)"
  expect_in f.out "4 rows, 4 inserted"
}

case_apps_failure() { # a failed response leaves the database as it was
  serve '[{"apps": ['"$apps_fixtures"']}, {"status": 500, "json": {"error": {"code": 500, "message": "Internal Server Error"}}}]' || return
  run f -- fetch --api-url "$api" --from 2025-01-27 --to 2025-02-09 app-rankings
  expect_rc 1 f
  expect_in f.out "app-rankings 2025-01-27..2025-02-02 ranks 1-100: 4 rows, 4 inserted"
  expect_in f.err "HTTP 500: Internal Server Error (after 4 tries)"
  expect_eq "first week kept" "$(sqlite3 t.db "SELECT COUNT(*), MIN(week), MAX(week) FROM app_usage")" "4|2025-01-27|2025-01-27"
  before=$(dump)
  run e -- fetch --api-url "$api" --from 2025-02-03 --to 2025-02-03 app-rankings
  expect_rc 1 e
  expect_db_unchanged "a 500"
  # A response over another window (not one ISO week): refused, nothing changed.
  serve '[{"json": {"data": [{"app_id": 1, "app_name": "A", "rank": 1, "total_tokens": "5"}], "meta": {"as_of": "2026-01-01T00:00:00Z", "start_date": "2025-01-04", "end_date": "2025-02-02"}}}]' || return
  before=$(dump)
  run g -- fetch --api-url "$api" --from 2025-02-03 --to 2025-02-03 app-rankings
  expect_rc 1 g
  expect_in g.err "tokstat: app-rankings 2025-02-03..2025-02-09 ranks 1-100: meta: the rankings cover 2025-01-04..2025-02-02, not one ISO week"
  expect_db_unchanged "a window that is not a week"
  # A cut body: tried again, then status 1 and nothing changed.
  serve '[{"apps": ['"$apps_fixtures"'], "cut": 40}]' || return
  run h -- fetch -q --api-url "$api" --from 2025-02-03 --to 2025-02-03 app-rankings
  expect_rc 1 h
  expect_db_unchanged "a cut body"
}

case_apps_save() { # each page saved, named by endpoint, week, ranks and filters
  serve '[{"apps": ['"$apps_fixtures"'], "synthetic_apps": 120}]' || return
  run f -- fetch --save saved --api-url "$api" --from 2025-01-27 --to 2025-02-03 --limit 110 --sort popular app-rankings
  expect_rc 0 f
  expect_eq "saved files" "$(ls -A saved | tr '\n' ' ')" \
    "app-rankings-2025-01-27_2025-02-02_ranks-1-100_sort-popular.json app-rankings-2025-02-03_2025-02-09_ranks-1-100_sort-popular.json "
  # The saved bytes import as they were: the same content, unchanged.
  run g -- import --format openrouter-apps saved/app-rankings-2025-01-27_2025-02-02_ranks-1-100_sort-popular.json
  expect_rc 0 g
  expect_in g.out "4 rows, 0 inserted, 0 updated, 4 unchanged, dataset apps, weeks 2025-01-27..2025-02-02 (same content as the import of"
}

case_apps_real_data() { # the real response fetched = the real file imported
  serve '[{"file": "'"$real_apps"'"}]' || return
  run f -- fetch --api-url "$api" --dataset api --subcategory cli-agent --from 2025-01-27 --to 2025-01-27 app-rankings
  expect_rc 0 f
  run g -- import --dataset file --subcategory cli-agent "$real_apps"
  expect_rc 0 g
  for report in "report --by app" "growth --by app" "top --by app -n 3"; do
    # shellcheck disable=SC2086
    TOKSTAT_DB=t.db "$bin" $report --week 2025-01-27 --format csv --dataset api >api.csv 2>api.err
    # shellcheck disable=SC2086
    TOKSTAT_DB=t.db "$bin" $report --week 2025-01-27 --format csv --dataset file >file.csv 2>file.err
    [ "$(wc -l <api.csv)" -ge 4 ] || fail "$report: $(cat api.err)"
    cmp -s api.csv file.csv || fail "$report: fetched and imported apps differ: $(diff api.csv file.csv | head -5)"
  done
  TOKSTAT_DB=t.db "$bin" report --dataset api --week 2025-01-27 >table.txt 2>/dev/null
  expect_in table.txt "Source: OpenRouter (openrouter.ai/apps), as of 2026-09-29T16:59:49.447Z"
}

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  mapfile -t cases < <(declare -F | sed -n 's/^declare -f case_//p')
fi
for c in "${cases[@]}"; do
  declare -F "case_$c" >/dev/null || { echo "fetch.sh: no case '$c'"; exit 2; }
  case_name=$c
  mkdir "$top/$c" && cd "$top/$c" || exit 1
  before_failures=$failures
  "case_$c"
  stop
  [ "$failures" = "$before_failures" ] && echo "ok $c"
done
[ "$failures" = 0 ] || { echo "fetch: $failures failures"; exit 1; }
echo "fetch: ${#cases[@]} cases passed"
