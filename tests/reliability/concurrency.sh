#!/usr/bin/env bash
# Concurrency: imports and reports from several processes at once against one
# database, for a bounded time (SPEC §6: "Two tokstat processes on one
# database ... both succeed or one waits and then succeeds; nothing is lost").
#
#   concurrency.sh TOKSTAT [SECONDS]     (default 20; run longer by hand)
#
# 1. Generates deterministic inputs with awk: 14 files in three datasets and
#    seven formats (daily CSV in three dialects, JSON Lines, a JSON array,
#    Data API rankings-daily, a weekly CSV pair that differ only in their week
#    labels, a rankings chart, a weekly snapshot with prices, a model
#    catalogue) and a vendors CSV. Files overlap, and every key that is in
#    several files has the same values in all of them, so the final state does
#    not depend on the order of the imports.
# 2. Builds two references sequentially, one file after another into fresh
#    databases, once in file order and once in reverse (they must be equal:
#    otherwise the data, or tokstat, depends on the order of the imports).
# 3. Starts on a database that does not exist yet, for SECONDS:
#      3 importers cycling through the files in different orders (one file per
#        command; from standard input; several files per command),
#      3 readers running report, growth --last 4, top, status, cost and
#        report --format csv --output in turn on the three datasets (once
#        the database exists: before, a reader has nothing to open),
#      1 vendor writer: vendors import, vendors set/list/unset of a vendor the
#        data does not use.
#    Every command must exit 0 with no "locked"/"busy" on stderr (imports:
#    nothing at all on stderr). Once every importer has done a full cycle and
#    the vendor writer has imported the vendors, the data no longer changes,
#    and each reader's CSV output must equal the reference's byte for byte.
# 4. Compares the final database with the reference: observations, models,
#    prices, aliases, the week_model/week_days/week_vendor roll-ups, vendor
#    overrides, CSV reports over all weeks of each dataset; one imports row per
#    successful file import; integrity_check and foreign_key_check.
#
# Last line (what CI reads): "concurrency: N passed, M failed", N the commands
# that succeeded, M the commands that failed plus one per final check that
# differs. Exit status 1 on any failure. Needs bash, coreutils, awk, sqlite3.
# KEEP=1 keeps the work folder (it is always kept on failure).
set -u

usage() { echo "usage: $0 TOKSTAT [SECONDS]" >&2; exit 2; }
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
case "$1" in /*) TOKSTAT=$1 ;; *) TOKSTAT=$PWD/$1 ;; esac
DURATION=${2:-20}
case "$DURATION" in '' | *[!0-9]*) usage ;; esac
[ -x "$TOKSTAT" ] || { echo "concurrency: '$TOKSTAT' is not an executable" >&2; exit 2; }
for t in sqlite3 awk timeout cmp diff; do
  command -v "$t" >/dev/null || { echo "concurrency: '$t' is needed" >&2; exit 2; }
done

# A command that waits out the whole 60 s busy timeout has failed already;
# this only keeps a hung process from hanging the test.
CMD_TIMEOUT=${CMD_TIMEOUT:-150}
NIMPORTERS=3 NREADERS=3

work=$(mktemp -d "${TMPDIR:-/tmp}/tokstat-concurrency.XXXXXX") || exit 1
cd "$work" || exit 1
mkdir -p in ref logs fails marks home
export NO_COLOR=1 LC_ALL=C TZ=UTC HOME="$work/home"
unset TOKSTAT_DB XDG_DATA_HOME CI

worker_pids=()
cleanup_workers() {
  for p in "${worker_pids[@]}"; do kill "$p" 2>/dev/null; done
}
trap 'cleanup_workers; echo "concurrency: interrupted; work folder $work" >&2; exit 130' INT TERM

# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------
GEN_AWK='
function civil(z,   era, doe, yoe, y, doy, mp, d, m) {
  z += 719468; era = int(z / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
  m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
  return sprintf("%04d-%02d-%02d", y, m, d)
}
function num(x) { return sprintf("%.0f", x) }   # mawk %d stops at 2^31
function slug(j,   s) {
  if (j < 0) return "other"
  s = V[j % NV + 1] "/m" j
  if (j % 4 == 1) s = s "-20251201"
  if (j % 6 == 5) s = s ":free"
  return s
}
function issplit(j) { return j >= 0 && j % 3 == 0 }
function present(p, j) { return j < 0 || (p + j) % 11 != 0 }
function hasprice(j) { return j >= 0 && j % 4 == 0 }
function pprice(j) { return sprintf("%de-08", (j % 7 + 1) * 5) }
function cprice(j) { return sprintf("%de-08", (j % 5 + 1) * 20) }
# The one value of every field of (dataset, period, model): F[field].
function fields(ds, p, j,   t, c, k) {
  for (k in F) delete F[k]
  t = ((p * 37 + (j < 0 ? 997 : j) * 101 + ds * 7) % 9973 + 1) * 100000000 + (j + 1) * 1000 + p % 1000
  if (j < 0) t = t * 3
  F["total"] = num(t)
  if (issplit(j)) {
    c = int(t / 10)
    F["prompt"] = num(t - c); F["completion"] = num(c); F["requests"] = num(int(t / 1000000) + 1)
    if (j % 6 == 0) F["reasoning"] = num(int(c / 3))
    if (j % 9 == 0) F["cached"] = num(int((t - c) / 2))
  }
  if (hasprice(j)) { F["pprice"] = pprice(j); F["cprice"] = cprice(j) }
}
function wanted(p, j) { return present(p, j) && !(only == "nonsplit" && issplit(j)) }
function out(s) { printf "%s%s", s, eol }
function q(s) { return "\"" s "\"" }
function jnum(x) { return strnum ? q(x) : x }
# {"date":…,"model":…,"total_tokens":…} with the fields the key has.
function jrow(pkey, mkey, p, j,   s, k, n) {
  s = "{" q(pkey) ":" q(civil(p + lab)) "," q(mkey) ":" q(slug(j)) "," q("total_tokens") ":" jnum(F["total"])
  n = split("prompt:prompt_tokens completion:completion_tokens reasoning:reasoning_tokens cached:cached_tokens requests:" reqname, K, " ")
  for (k = 1; k <= n; k++) {
    split(K[k], kv, ":")
    if (kv[1] in F) s = s "," q(kv[2]) ":" jnum(F[kv[1]])
  }
  return s "}"
}
BEGIN {
  NV = split("deepseek qwen moonshotai openai anthropic google mistralai acme zeta", V, " ")
  eol = crlf ? "\r\n" : "\n"
  if (reqname == "") reqname = "requests"
  step = daily ? 1 : 7
  if (kind == "csv") {
    ncol = split(cols, C, ","); split(keys, KY, ",")
    if (bom) printf "\357\273\277"
    h = C[1]; for (c = 2; c <= ncol; c++) h = h sep C[c]; out(h)
    for (p = from; p <= to; p += step)
      for (j = -1; j < nm; j++) {
        if (!wanted(p, j)) continue
        fields(ds, p, j)
        line = ""
        for (c = 1; c <= ncol; c++) {
          k = KY[c]
          v = k == "period" ? civil(p + lab) : k == "model" ? slug(j) : (k in F) ? F[k] : ""
          line = line (c > 1 ? sep : "") v
        }
        out(line)
      }
  } else if (kind == "jsonl" || kind == "json") {
    first = 1
    if (kind == "json") print "["
    for (p = from; p <= to; p += step)
      for (j = -1; j < nm; j++) {
        if (!wanted(p, j)) continue
        fields(ds, p, j)
        if (kind == "json") printf "%s%s", (first ? "" : ",\n"), jrow("day", "slug", p, j)
        else print jrow("date", "model", p, j)
        first = 0
      }
    if (kind == "json") print "\n]"
  } else if (kind == "daily-api") {   # GET /api/v1/datasets/rankings-daily
    printf "{\"data\":["
    first = 1
    for (p = from; p <= to; p++)
      for (j = -1; j < nm; j++) {
        if (!wanted(p, j)) continue
        fields(ds, p, j)
        printf "%s\n{\"date\":\"%s\",\"model_permaslug\":\"%s\",\"total_tokens\":\"%s\"}", (first ? "" : ","), civil(p), slug(j), F["total"]
        first = 0
      }
    printf "],\n\"meta\":{\"as_of\":\"2026-04-15T06:00:00Z\",\"start_date\":\"%s\",\"end_date\":\"%s\",\"version\":\"v1\"}}\n", civil(from), civil(to)
  } else if (kind == "chart") {       # the rankings page chart: fractional tokens
    printf "{\"weeks\":["
    for (p = from; p <= to; p += 7) {
      printf "%s\n{\"week\":\"%s\",\"byModel\":{", (p > from ? "," : ""), civil(p)
      first = 1
      for (j = 0; j < nm; j++) {
        if (!wanted(p, j)) continue
        fields(ds, p, j)
        printf "%s\"%s\":%s.25", (first ? "" : ","), slug(j), F["total"]
        first = 0
      }
      fields(ds, p, -1)
      printf ",\"Others\":%s.375}}", F["total"]
    }
    print "]}"
  } else if (kind == "snapshot") {    # one week of the leaderboard, labelled by the Monday after
    p = from; sum = 0; first = 1; rank = 0
    printf "{\"date\":\"%s\",\"models\":[", civil(p + 7)
    for (j = 0; j < nm; j++) {
      if (!wanted(p, j)) continue
      fields(ds, p, j)
      sum += F["total"]
      s = "{\"rank\":" (++rank) ",\"slug\":\"" slug(j) "\",\"name\":\"Model " j "\",\"total_tokens\":" F["total"]
      if ("prompt" in F) s = s ",\"prompt_tokens\":" F["prompt"] ",\"completion_tokens\":" F["completion"] ",\"request_count\":" F["requests"]
      if ("reasoning" in F) s = s ",\"reasoning_tokens\":" F["reasoning"]
      if ("cached" in F) s = s ",\"cached_tokens\":" F["cached"]
      if ("pprice" in F) s = s ",\"prompt_price\":" F["pprice"] ",\"completion_price\":" F["cprice"]
      printf "%s\n%s}", (first ? "" : ","), s
      first = 0
    }
    fields(ds, p, -1)
    printf "],\n\"total_tokens\":%s}\n", num(sum + F["total"])
  } else if (kind == "catalogue") {   # GET /api/v1/models
    printf "{\"data\":["
    first = 1
    for (j = 1; j < nm; j += 4) {
      if (j % 6 == 5) continue
      id = V[j % NV + 1] "/m" j
      printf "%s\n{\"id\":\"%s\",\"canonical_slug\":\"%s\",\"name\":\"Model %d\",\"created\":1767225600,\"context_length\":131072,\"pricing\":{\"prompt\":\"0.000000%d\",\"completion\":\"0.00000%d\"}}", (first ? "" : ","), id, slug(j), j, j % 9 + 1, j % 7 + 1
      first = 0
    }
    printf ",\n{\"id\":\"~acme/m1-latest\",\"canonical_slug\":\"acme/m1-20251201\",\"name\":\"alias\",\"pricing\":{\"prompt\":\"0.000001\",\"completion\":\"0.000002\"}}"
    printf ",\n{\"id\":\"openai/m3-router\",\"canonical_slug\":\"openai/m3-router\",\"name\":\"router\",\"pricing\":{\"prompt\":\"-1\",\"completion\":\"-1\"}}"
    print "]}"
  }
}'

gen_fail=0
gen() { awk -v "$@" "$GEN_AWK" || gen_fail=1; } # gen VAR=VALUE [-v VAR=VALUE ...]
D0=20454 # 2026-01-01, a Thursday: the first week of dataset default is partial
W0=20458 # 2026-01-05, a Monday
COLS8="date,model,total_tokens,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,requests"
KEYS8="period,model,total,prompt,completion,reasoning,cached,requests"

# Dataset default: 64 models and the other bucket, daily, six windows of 21
# days that overlap by a week, in six formats. Data API dumps have no prompt/
# completion split, so the models that have one are left out of it.
dflt() { local i=$1; shift; gen kind="$1" -v ds=1 -v nm=64 -v daily=1 -v from=$((D0 + 14 * i)) -v to=$((D0 + 14 * i + 20)) "${@:2}"; }
dflt 0 csv -v cols="$COLS8" -v keys="$KEYS8" -v sep=, >in/d0.csv
dflt 1 csv -v cols="Day,Tokens,Model_Permaslug,Input_Tokens,Output_Tokens,Reasoning_Tokens,Cached_Tokens,Request_Count" \
  -v keys="period,total,model,prompt,completion,reasoning,cached,requests" -v sep=';' -v crlf=1 -v bom=1 >in/d1.csv
dflt 2 jsonl >in/d2.jsonl
dflt 3 csv -v cols="model_id,date,total_tokens,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,count" \
  -v keys="model,period,total,prompt,completion,reasoning,cached,requests" -v sep='\t' >in/d3.tsv
dflt 4 json -v strnum=1 -v reqname=request_count >in/d4.json
dflt 5 daily-api -v only=nonsplit >in/d5.json

# Dataset weekly: 32 models, weeks of 2026-01-05 .. 2026-03-23, with prices.
wk() { gen kind="$1" -v ds=2 -v nm=32 -v from=$((W0 + 7 * $2)) -v to=$((W0 + 7 * $3)) "${@:4}"; }
wk csv 0 5 -v cols="week,model,total_tokens,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,requests,prompt_price,completion_price" \
  -v keys="$KEYS8,pprice,cprice" -v sep=, >in/w0.csv
wk csv 4 9 -v cols="week_start,slug,tokens,input_tokens,output_tokens,reasoning_tokens,cached_tokens,count,prompt_price,completion_price" \
  -v keys="$KEYS8,pprice,cprice" -v sep=';' -v crlf=1 >in/w1.csv
wk chart 8 11 -v only=nonsplit >in/w2.json
wk snapshot 11 11 >in/w3.json

# Dataset mixed: weekly rows for 8 weeks, the same rows again labelled by
# their Sundays, and daily rows for 10 days in weeks 3 to 5: those weeks come
# from the daily rows (two of them partial), the others from the weekly ones.
mx() { gen kind=csv -v ds=3 -v nm=16 -v sep=, "$@"; }
mx -v from=$W0 -v to=$((W0 + 49)) -v cols="week,model,total_tokens,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,requests" -v keys="$KEYS8" >in/m0.csv
mx -v from=$((W0 + 21)) -v to=$((W0 + 49)) -v lab=6 -v cols="week,model,total_tokens,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,requests" -v keys="$KEYS8" >in/m1.csv
mx -v daily=1 -v from=$((W0 + 17)) -v to=$((W0 + 30)) -v cols="$COLS8" -v keys="$KEYS8" >in/m2.csv

# The model catalogue (prices and an alias), and vendor → country overrides.
gen kind=catalogue -v nm=64 >in/c0.json
printf 'vendor,country,name\nacme,DE,Acme Labs\nmistralai,EU,Mistral AI\n' >in/vendors.csv

# The files and the import options each needs.
FILES=(d0.csv d1.csv d2.jsonl d3.tsv d4.json d5.json w0.csv w1.csv w2.json w3.json m0.csv m1.csv m2.csv c0.json)
declare -A FARGS=(
  [d0.csv]="--dataset default" [d1.csv]="--dataset default" [d2.jsonl]="--dataset default"
  [d3.tsv]="--dataset default" [d4.json]="--dataset default" [d5.json]="--dataset default"
  [w0.csv]="--dataset weekly" [w1.csv]="--dataset weekly" [w2.json]="--dataset weekly"
  [w3.json]="--dataset weekly --week-label end"
  [m0.csv]="--dataset mixed" [m1.csv]="--dataset mixed --week-label end" [m2.csv]="--dataset mixed"
  [c0.json]="--dataset default --as-of 2026-01-01"
)
NFILES=${#FILES[@]}
for f in "${FILES[@]}" vendors.csv; do [ -s "in/$f" ] || gen_fail=1; done
if [ "$gen_fail" = 1 ]; then
  echo "generating the inputs failed (work folder $work)"; echo "concurrency: 0 passed, 1 failed"; exit 1
fi
DATASETS=(default weekly mixed)
PROBE=zz-probe # the vendor the vendor writer sets and unsets; no data uses it

ts() { timeout -k 5 "$CMD_TIMEOUT" "$TOKSTAT" "$@"; }

# ---------------------------------------------------------------------------
# Sequential references
# ---------------------------------------------------------------------------
setup_fail=0
build_ref() { # build_ref DB FILE...
  local db=$1 f
  shift
  ts --db "$db" vendors import in/vendors.csv >/dev/null 2>"$db.err" || {
    echo "reference: vendors import failed:"; cat "$db.err"; return 1; }
  for f in "$@"; do
    # shellcheck disable=SC2086 # the options are words
    if ! ts --db "$db" import ${FARGS[$f]} "in/$f" >>"$db.out" 2>"$db.err" || [ -s "$db.err" ]; then
      echo "reference: import of $f into $db failed:"; cat "$db.err"; return 1
    fi
  done
}

# The state a user can see, with ids that depend on the order of inserts
# replaced by names.
STATE_SQL="
SELECT 'obs', d.name, o.granularity, o.period, m.slug, o.total, o.prompt, o.completion, o.reasoning, o.cached, o.requests
  FROM observations o JOIN datasets d ON d.id = o.dataset_id JOIN models m ON m.id = o.model_id ORDER BY 2, 3, 4, 5;
SELECT 'week_model', d.name, w.week, m.slug, w.tokens, w.split_tokens, w.prompt, w.completion
  FROM week_model w JOIN datasets d ON d.id = w.dataset_id JOIN models m ON m.id = w.model_id ORDER BY 2, 3, 4;
SELECT 'week_days', d.name, w.week, w.days FROM week_days w JOIN datasets d ON d.id = w.dataset_id ORDER BY 2, 3;
SELECT 'week_vendor', d.name, w.week, w.vendor, w.tokens FROM week_vendor w JOIN datasets d ON d.id = w.dataset_id ORDER BY 2, 3, 4;
SELECT 'model', slug, vendor FROM models ORDER BY slug;
SELECT 'dataset', name FROM datasets ORDER BY name;
SELECT 'price', model, valid_from, source, prompt, completion FROM prices ORDER BY 2, 3, 4;
SELECT 'alias', alias, model FROM model_aliases ORDER BY 2;
SELECT 'vendor_user', vendor, country FROM vendors_user WHERE vendor <> '$PROBE' ORDER BY 2;
SELECT 'schema', (SELECT user_version FROM pragma_user_version);
"
# Reports over every week of every dataset: what scripts reading CSV see.
reports_of() { # reports_of DB > FILE
  local ds by
  for ds in "${DATASETS[@]}"; do
    for by in country vendor model family; do
      echo "== report $ds $by"
      ts --db "$1" report --dataset "$ds" --by "$by" --from 2025-12-29 --to 2026-04-30 --format csv 2>&1
      echo "== growth $ds $by"
      ts --db "$1" growth --dataset "$ds" --by "$by" --from 2025-12-29 --to 2026-04-30 --format csv 2>&1
    done
    echo "== top $ds"
    ts --db "$1" top --dataset "$ds" -n 8 --from 2025-12-29 --to 2026-04-30 --format csv 2>&1
    echo "== cost $ds"
    ts --db "$1" cost --dataset "$ds" --by model --from 2025-12-29 --to 2026-04-30 --format csv 2>&1
  done
}
snapshot_of() { # snapshot_of DB NAME: NAME.state, NAME.reports
  sqlite3 "$1" <<<"$STATE_SQL" >"$2.state" 2>&1
  reports_of "$1" >"$2.reports"
}

t_setup=$EPOCHREALTIME
rev=()
for ((i = NFILES - 1; i >= 0; i--)); do rev+=("${FILES[i]}"); done
if ! build_ref ref/fwd.db "${FILES[@]}" || ! build_ref ref/rev.db "${rev[@]}"; then
  setup_fail=1
fi
snapshot_of ref/fwd.db ref/fwd
snapshot_of ref/rev.db ref/rev
order_dependent=0
for part in state reports; do
  [ "$setup_fail" = 0 ] || break
  if ! cmp -s "ref/fwd.$part" "ref/rev.$part"; then
    order_dependent=1
    echo "FAIL: importing the files one after another in reverse order gives another $part:"
    diff -u --label "in file order" --label "in reverse order" "ref/fwd.$part" "ref/rev.$part" | head -40
  fi
done
rows=$(grep -c '^obs|' ref/fwd.state)
if [ "$setup_fail" = 0 ] && [ "$rows" -lt 1000 ]; then
  echo "FAIL: the reference has only $rows observations"; setup_fail=1
fi

# What each reader command prints once the data is complete.
READER_CMDS=(report growth top status cost report-csv-output)
reader_args() { # reader_args KIND DATASET: the command's arguments
  case $1 in
  report) echo "report --dataset $2 --by vendor" ;;
  growth) echo "growth --dataset $2 --last 4 --format csv" ;;
  top) echo "top --dataset $2 --format csv" ;;
  status) echo "status" ;;
  cost) echo "cost --dataset $2 --by country --format csv" ;;
  report-csv-output) echo "report --dataset $2 --format csv --output" ;;
  esac
}
for ds in "${DATASETS[@]}"; do
  for k in growth top cost; do
    # shellcheck disable=SC2046
    ts --db ref/fwd.db $(reader_args $k "$ds") >"ref/$k.$ds" 2>/dev/null || setup_fail=1
  done
  # shellcheck disable=SC2046
  ts --db ref/fwd.db $(reader_args report-csv-output "$ds") "ref/report-csv-output.$ds" 2>/dev/null || setup_fail=1
done
setup_ms=$(((${EPOCHREALTIME/./} - ${t_setup/./}) / 1000))

# ---------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------
DB=$work/t.db # does not exist yet: the first commands race to create it

# op WORKER KIND STDIN CHECK CMD...: runs one command, logs "KIND ok|fail MICROSECONDS LINES COMPARED".
# CHECK: "quiet" (stderr must be empty), "plain" (stderr must not say locked
# or busy), "ref:FILE" (plain, and once the data is complete, stdout must
# equal FILE), "refout:OUT:FILE" (the same for the file OUT).
op() {
  local w=$1 kind=$2 input=$3 check=$4 rc t0 t1 errtxt="" why="" cmpfile="" reffile=""
  shift 4
  local stable=0
  marks_complete && stable=1
  t0=$EPOCHREALTIME
  if [ -n "$input" ]; then
    "$@" <"$input" >"logs/$w.out" 2>"logs/$w.err"
  else
    "$@" </dev/null >"logs/$w.out" 2>"logs/$w.err"
  fi
  rc=$?
  t1=$EPOCHREALTIME
  IFS= read -r -d '' errtxt <"logs/$w.err"
  if [ "$rc" -ne 0 ]; then
    why="exit status $rc"
    [ "$rc" = 124 ] && why="$why (killed after ${CMD_TIMEOUT}s)"
  elif [[ ${errtxt,,} == *locked* || ${errtxt,,} == *busy* ]]; then
    why="stderr says locked/busy"
  elif [ "$check" = quiet ] && [ -n "$errtxt" ]; then
    why="unexpected stderr"
  fi
  case $check in
  ref:*) cmpfile=logs/$w.out reffile=${check#ref:} ;;
  refout:*) cmpfile=${check#refout:} reffile=${cmpfile#*:} cmpfile=${cmpfile%%:*} ;;
  esac
  local compared=0
  if [ -z "$why" ] && [ "$stable" = 1 ] && [ -n "$reffile" ]; then
    compared=1
    cmp -s "$cmpfile" "$reffile" ||
      why="output differs from the sequential reference although every import had finished"
  fi
  local lines=0
  # Each file imported prints one summary line, also when a later file of the
  # command fails.
  case $kind in import*) mapfile -t _l <"logs/$w.out"; lines=${#_l[@]} ;; esac
  if [ -z "$why" ]; then
    echo "$kind ok $(( ${t1/./} - ${t0/./} )) $lines $compared" >>"logs/$w.log"
    return 0
  fi
  echo "$kind fail $(( ${t1/./} - ${t0/./} )) $lines $compared" >>"logs/$w.log"
  local n
  n=$(($(wc -l <"logs/$w.log")))
  {
    echo "worker $w, operation $n, at +$(( (${t0/./} - START_US) / 1000 )) ms: $why"
    printf 'command: tokstat'; printf ' %q' "${@:2}"; [ -n "$input" ] && printf ' < %q' "$input"; echo
    echo "--- stderr"; cat "logs/$w.err"
    echo "--- stdout (first 20 lines)"; head -20 "logs/$w.out"
    if [ -n "$reffile" ] && [ -f "$cmpfile" ]; then
      echo "--- diff against the reference"; diff -u "$reffile" "$cmpfile" | head -30
    fi
  } >"fails/$w.$n"
  return 1
}

# The data is complete once every importer has done a full cycle without a
# failure and the vendor writer has imported the vendors.
marks_complete() {
  local i
  for ((i = 0; i < NIMPORTERS; i++)); do [ -e "marks/imp$i" ] || return 1; done
  [ -e marks/vendors ]
}
any_import_cycle() { compgen -G "marks/imp*" >/dev/null; }

importer() { # importer N
  local w=imp$1 cycle=0 order=() i f ok
  while [ "$EPOCHSECONDS" -lt "$END" ]; do
    order=()
    case $1 in
    0) for ((i = 0; i < NFILES; i++)); do order+=("${FILES[(i + cycle) % NFILES]}"); done ;;
    1) for ((i = NFILES - 1; i >= 0; i--)); do order+=("${FILES[i]}"); done ;;
    *) for ((i = 0; i < NFILES; i++)); do order+=("${FILES[(i * 5 + 3 + cycle) % NFILES]}"); done ;;
    esac
    ok=1
    if [ "$1" = 2 ]; then
      # Several files a command: those that take the same options together.
      local groups=() g found
      for f in "${order[@]}"; do
        found=0
        for g in "${!groups[@]}"; do
          local first=${groups[g]%% *}
          if [ "${FARGS[$first]}" = "${FARGS[$f]}" ]; then groups[g]="${groups[g]} $f"; found=1; break; fi
        done
        [ "$found" = 1 ] || groups+=("$f")
      done
      for g in "${groups[@]}"; do
        [ "$EPOCHSECONDS" -lt "$END" ] || { ok=0; break; }
        local paths=()
        for f in $g; do paths+=("in/$f"); done
        local first=${g%% *}
        # shellcheck disable=SC2086
        op "$w" import-multi "" quiet ts --db "$DB" import ${FARGS[$first]} "${paths[@]}" || ok=0
      done
    else
      for f in "${order[@]}"; do
        [ "$EPOCHSECONDS" -lt "$END" ] || { ok=0; break; }
        if [ "$1" = 1 ] && [ $((cycle % 2)) = 1 ]; then
          # shellcheck disable=SC2086
          op "$w" import-stdin "in/$f" quiet ts --db "$DB" import ${FARGS[$f]} - || ok=0
        else
          # shellcheck disable=SC2086
          op "$w" import "" quiet ts --db "$DB" import ${FARGS[$f]} "in/$f" || ok=0
        fi
      done
    fi
    [ "$ok" = 1 ] && [ ! -e "marks/$w" ] && echo "$EPOCHREALTIME" >"marks/$w"
    cycle=$((cycle + 1))
  done
}

reader() { # reader N
  local w=rd$1 n=0 kind ds args
  while [ "$EPOCHSECONDS" -lt "$END" ]; do
    if [ ! -e "$DB" ]; then
      # Before an import creates the database, status exits 1 ("no database").
      sleep 0.01
      continue
    fi
    if ! any_import_cycle; then
      # Before any dataset exists a report exits 1 ("no dataset"): only status.
      op "$w" status "" plain ts --db "$DB" status
      continue
    fi
    kind=${READER_CMDS[(n + $1) % ${#READER_CMDS[@]}]}
    ds=${DATASETS[(n / ${#READER_CMDS[@]} + $1) % ${#DATASETS[@]}]}
    args=$(reader_args "$kind" "$ds")
    case $kind in
    report | status)
      # shellcheck disable=SC2086
      op "$w" "$kind" "" plain ts --db "$DB" $args ;;
    report-csv-output)
      # shellcheck disable=SC2086
      op "$w" "$kind" "" "refout:out-$1.csv:ref/$kind.$ds" ts --db "$DB" $args "out-$1.csv" ;;
    *)
      # shellcheck disable=SC2086
      op "$w" "$kind" "" "ref:ref/$kind.$ds" ts --db "$DB" $args ;;
    esac
    n=$((n + 1))
  done
}

vendor_writer() { # stops only at the end of a cycle, with PROBE unset
  local w=vend
  while [ "$EPOCHSECONDS" -lt "$END" ]; do
    op "$w" vendors-import "" quiet ts --db "$DB" vendors import in/vendors.csv &&
      { [ -e marks/vendors ] || echo "$EPOCHREALTIME" >marks/vendors; }
    op "$w" vendors-set "" quiet ts --db "$DB" vendors set "$PROBE" NL
    op "$w" vendors-list "" plain ts --db "$DB" vendors list
    op "$w" vendors-unset "" quiet ts --db "$DB" vendors unset "$PROBE"
  done
}

START_US=${EPOCHREALTIME/./}
END=$((EPOCHSECONDS + DURATION))
max_wal=0
if [ "$setup_fail" = 0 ]; then
  for ((i = 0; i < NIMPORTERS; i++)); do importer "$i" & worker_pids+=($!); done
  for ((i = 0; i < NREADERS; i++)); do reader "$i" & worker_pids+=($!); done
  vendor_writer & worker_pids+=($!)
  # Meanwhile, the largest the WAL grows (a checkpoint starved by readers shows here).
  while :; do
    alive=0
    for p in "${worker_pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || break
    s=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
    [ "$s" -gt "$max_wal" ] && max_wal=$s
    sleep 1
  done
  for p in "${worker_pids[@]}"; do wait "$p"; done
fi
run_ms=$(((${EPOCHREALTIME/./} - START_US) / 1000))
worker_pids=()

# ---------------------------------------------------------------------------
# Final checks
# ---------------------------------------------------------------------------
final_fail=0
check() { # check NAME OK [DETAILS...]
  if [ "$2" = 1 ]; then
    echo "  ok    $1"
  else
    echo "  FAIL  $1"; shift 2; [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/        /'
    final_fail=$((final_fail + 1))
  fi
}

cat logs/*.log 2>/dev/null >logs/all
echo "tokstat concurrency test: $NIMPORTERS importers, $NREADERS readers, 1 vendor writer for ${DURATION}s on $(nproc) cores; $NFILES input files, $rows observations (work folder $work)"
echo "setup (inputs and two sequential references): $setup_ms ms; concurrent run: $run_ms ms"
echo
printf "%-18s %8s %7s %9s %9s\n" operation ok failed "mean ms" "max ms"
awk '
  { n[$1]++; if ($2 == "ok") ok[$1]++; else bad[$1]++; us[$1] += $3; if ($3 > mx[$1]) mx[$1] = $3; files[$1] += $4 }
  END {
    for (k in n) {
      printf "%-18s %8d %7d %9.1f %9.1f", k, ok[k], bad[k], us[k] / n[k] / 1000, mx[k] / 1000
      if (files[k] > 0) printf "   (%d files)", files[k]
      printf "\n"
    }
  }' logs/all | sort
passed=$(awk '$2 == "ok"' logs/all | wc -l)
failed=$(awk '$2 != "ok"' logs/all | wc -l)
imports_ok=$(awk '$1 ~ /^import/ { s += $4 } END { print s + 0 }' logs/all)
echo "total: $passed ok, $failed failed; $(( passed * 1000 / (run_ms > 0 ? run_ms : 1) )) operations/s"
echo "reader outputs compared byte for byte with the reference once every import had finished: $(awk '$5 == 1' logs/all | wc -l) ($(awk '$5 == 1 && $2 != "ok"' logs/all | wc -l) differed)"
if marks_complete; then
  echo "data complete (every importer through every file, vendors imported) after $(cat marks/* | awk -v s="$START_US" '{ gsub(/\./, ""); if ($0 + 0 > m) m = $0 + 0 } END { printf "%d", (m - s) / 1000 }') ms; after that the data no longer changes"
else
  echo "the data was never complete: no importer got through every file without a failure"
fi
if [ -e "$DB" ]; then
  db_size=$(stat -c %s "$DB") wal_size=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
  echo "database at the end: $((db_size / 1024)) KiB, WAL $((wal_size / 1024)) KiB; largest WAL seen during the run: $((max_wal / 1024)) KiB"
fi

if [ "$failed" -gt 0 ]; then
  echo
  echo "Failed operations by first line of stderr (all in $work/fails):"
  awk 'FNR == 1 { sub(/^[^:]*: /, ""); why = $0 } /^--- stderr/ { getline e; if (e ~ /^--- /) e = ""; print why (e == "" || why ~ /^output differs/ ? "" : ": " e) }' fails/* |
    sed "s|$work/||g" | sort | uniq -c | sort -rn | head -20
  echo
  echo "The first failure of each worker:"
  for w in $(printf '%s\n' fails/* | sed 's|^fails/||; s/\..*//' | sort -u); do
    f=$(printf '%s\n' "fails/$w".* | sort -t. -k2,2n | head -1)
    sed 's/^/  /' "$f"; echo
  done
fi

echo
echo "Final state:"
check "setup: the two sequential references were built" $((1 - setup_fail))
check "sequential imports in file order and in reverse order give the same state" $((1 - order_dependent))
if [ "$setup_fail" = 0 ]; then
  if [ -e "$DB" ]; then
    snapshot_of "$DB" final
    same=1; cmp -s ref/fwd.state final.state || same=0
    check "observations, models, prices, aliases, roll-ups, vendors equal the sequential import ($rows observations)" \
      $same "$(diff -u --label sequential --label concurrent ref/fwd.state final.state | head -30)"
    same=1; cmp -s ref/fwd.reports final.reports || same=0
    check "CSV reports over all weeks of each dataset are byte-identical" \
      $same "$(diff -u --label sequential --label concurrent ref/fwd.reports final.reports | head -30)"
    ic=$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)
    check "integrity_check" "$([ "$ic" = ok ] && echo 1 || echo 0)" "$ic"
    fk=$(sqlite3 "$DB" "PRAGMA foreign_key_check" 2>&1 | head -5)
    check "foreign_key_check" "$([ -z "$fk" ] && echo 1 || echo 0)" "$fk"
    probe=$(sqlite3 "$DB" "SELECT count(*) FROM vendors_user WHERE vendor = '$PROBE'" 2>&1)
    check "the vendor writer's last 'vendors unset $PROBE' holds" "$([ "$probe" = 0 ] && echo 1 || echo 0)" "$probe rows"
    nimports=$(sqlite3 "$DB" "SELECT count(*) FROM imports" 2>&1)
    check "one imports row per file imported ($imports_ok): nothing lost, nothing twice" \
      "$([ "$nimports" = "$imports_ok" ] && echo 1 || echo 0)" "the imports table has $nimports rows"
  else
    check "the database was created" 0
  fi
fi

total_failed=$((failed + final_fail + setup_fail + order_dependent))
if [ "$total_failed" -gt 0 ] || [ "${KEEP:-0}" = 1 ]; then
  echo "work folder kept: $work"
else
  cd / && rm -rf "$work"
fi
echo "concurrency: $passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
