#!/usr/bin/env bash
# bench.sh - how fast is tokstat against the sqlite3 shell doing the same work?
#
#   scripts/bench.sh [small|medium|large]      (default small)
#
# Generates deterministic synthetic OpenRouter rankings-daily data (the Data
# API's shape: each day N models in slug order plus one `other` row; vendors
# from data/vendors.csv plus two without a country) as CSV, Data API JSON and
# JSON Lines:
#
#   small    90 days x  50 models (+ other) =     4,590 rows   5 runs each
#   medium 1095 days x 500 models (+ other) =   548,595 rows   3 runs each
#   large  3650 days x 2000 models (+ other) = 7,303,650 rows  3 runs each
#
# then times, in one run, tokstat's imports and reports against the sqlite3
# shell doing the same: `.import --csv` into a table with the same key, and
# the same questions asked in SQL (scripts/bench/*.sql). Each measurement
# is a whole process, run several times: the table shows the median wall
# time, rows per second, the peak resident memory of the largest run
# (/usr/bin/time -v) and ratio = sqlite3 time / tokstat time (above 1:
# tokstat is faster). On the way it checks that both answer the same
# numbers, and exits 1 if they do not.
#
# The data is cached in ${TMPDIR:-/tmp}/tokstat-bench-SIZE (or $BENCH_DIR)
# and generated again only when missing or made by another generator. The
# tokstat binary is $TOKSTAT, else a Release build in build-bench/ (built
# here). $BENCH_RUNS overrides the number of runs. Needs bash, awk, sqlite3
# and GNU time (/usr/bin/time); never run in CI. Large wants ~2 GB of disk
# for the data and as much again for the databases, and takes a while.
set -euo pipefail
export LC_ALL=C
unset COLUMNS

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

size=${1:-small}
case $size in
small) days=90 models=50 runs=5 ;;
medium) days=1095 models=500 runs=3 ;;
large) days=3650 models=2000 runs=3 ;;
-h | --help)
    usage
    exit 0
    ;;
*)
    echo "usage: scripts/bench.sh [small|medium|large]" >&2
    exit 2
    ;;
esac
[[ $# -le 1 ]] || {
    echo "usage: scripts/bench.sh [small|medium|large]" >&2
    exit 2
}
runs=${BENCH_RUNS:-$runs}
[[ $runs =~ ^[1-9][0-9]*$ ]] || {
    echo "bench: BENCH_RUNS must be a positive number, not '$runs'" >&2
    exit 2
}
end_date=2026-05-24 # the last day of the data (a Sunday)

root=$(cd "$(dirname "$0")/.." && pwd)
here=$root/scripts/bench
work=${BENCH_DIR:-${TMPDIR:-/tmp}/tokstat-bench-$size}

die() {
    echo "bench: $*" >&2
    exit 1
}

# --- what it needs ----------------------------------------------------------
need_pkg() { # COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing $2 (for $1)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null ||
            die "could not install $2; run 'apt-get install $2' as root"
        command -v "$1" >/dev/null 2>&1 || die "$2 is installed but $1 is still missing"
    else
        die "$1 is missing: install it with 'apt-get install $2' (as root), then run this again"
    fi
}
need_pkg /usr/bin/time time
need_pkg sqlite3 sqlite3
need_pkg awk mawk
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later (for \$EPOCHREALTIME)"

if [[ -n ${TOKSTAT:-} ]]; then
    tokstat=$TOKSTAT
    build_note="\$TOKSTAT"
else
    need_pkg cmake cmake
    echo "building tokstat (Release, build-bench/) ..."
    cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null ||
        die "cmake failed: run 'cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release' to see why"
    cmake --build "$root/build-bench" -j"$(nproc)" --target tokstat >/dev/null ||
        die "the build failed: run 'cmake --build build-bench' to see why"
    tokstat=$root/build-bench/tokstat
    build_note="Release build in build-bench/"
fi
[[ -x $tokstat ]] || die "no tokstat program at '$tokstat'"

mkdir -p "$work/out" "$work/sql"
out=$work/out

# --- the data ---------------------------------------------------------------
csv=$work/rankings-daily.csv
jsonl=$work/rankings-daily.jsonl
json=$work/rankings-daily.json
stamp="$(cksum <"$here/gen.awk" | cut -d' ' -f1) days=$days models=$models end=$end_date"
if [[ -f $csv && -f $jsonl && -f $json && -f $work/stamp && $(head -n 1 "$work/stamp") == "$stamp" ]]; then
    read -r rows first_day last_day <"$work/info"
    gen_note="cached"
else
    echo "generating $size data in $work ..."
    rm -f "$work/stamp" "$work/info"
    t0=$EPOCHREALTIME
    awk -v phase=pool -v n="$models" -v days="$days" -v end="$end_date" -f "$here/gen.awk" |
        sort -t, -k2,2 >"$work/pool.csv"
    awk -v phase=data -v n="$models" -v days="$days" -v end="$end_date" \
        -v csv="$csv.tmp" -v jsonl="$jsonl.tmp" -v json="$json.tmp" \
        -f "$here/gen.awk" "$work/pool.csv" >"$work/info"
    t1=$EPOCHREALTIME
    mv "$csv.tmp" "$csv"
    mv "$jsonl.tmp" "$jsonl"
    mv "$json.tmp" "$json"
    echo "$stamp" >"$work/stamp"
    read -r rows first_day last_day <"$work/info"
    gen_note=$(awk -v us=$((${t1/./} - ${t0/./})) 'BEGIN { printf "generated in %.1f s", us / 1e6 }')
fi
[[ $rows -eq $((days * (models + 1))) ]] || die "the generator wrote $rows rows, not $((days * (models + 1)))"

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
# ISO weeks from the first to the last day (the days are consecutive)
weeks=$(awk -v a="$first_day" -v b="$last_day" '
    function monday(s,    y, m, d, n) { # days since 1970-01-01 of the Monday of s
        y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
        if (m <= 2) { y--; m += 12 }
        n = 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469
        return n - (n + 3) % 7
    }
    BEGIN { print (monday(b) - monday(a)) / 7 + 1 }')

# --- the machine and the programs ---------------------------------------------
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
ram=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
tver=$("$tokstat" --version)
if git -C "$root" rev-parse --short HEAD >/dev/null 2>&1; then
    rev=$(git -C "$root" rev-parse --short HEAD)
    [[ -z $(git -C "$root" status --porcelain -- src include CMakeLists.txt 2>/dev/null) ]] || rev="$rev+changes"
    tver="$tver (git $rev, $build_note)"
fi
sver=$(sqlite3 --version | cut -d' ' -f1-2)
libver=$(dpkg-query -W -f '${Version}' libsqlite3-0 2>/dev/null || echo "?")

echo
echo "tokstat benchmark, size $size, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) cores, ${cpu:-unknown CPU}, ${ram:-? GB} RAM, $(uname -sr)"
echo "tokstat:  $tver, $tokstat"
echo "sqlite3:  $sver (shell); libsqlite3-0 $libver (the library both use)"
echo "data:     $days days x $models models + other = $rows rows, $weeks ISO weeks, $first_day .. $last_day"
echo "files:    $work ($gen_note)"
echo "          CSV $(mb "$csv"), JSON Lines $(mb "$jsonl"), Data API JSON $(mb "$json")"
echo "runs:     $runs of each measurement; median wall time (bash \$EPOCHREALTIME around the"
echo "          process), peak RSS = the largest 'Maximum resident set size' of /usr/bin/time -v"
echo

# --- measuring ----------------------------------------------------------------
declare -A MED RSS
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; }

# measure KEY FRESH_DB STDIN COMMAND...: runs COMMAND $runs times with STDIN,
# deleting FRESH_DB (if not empty) before each run; keeps the last run's
# output in $out/KEY.out and .err, the median time and the largest RSS.
measure() {
    local key=$1 db=$2 in=$3 i t0 t1 us=() kb=()
    shift 3
    for ((i = 1; i <= runs; i++)); do
        [[ -z $db ]] || fresh "$db"
        t0=$EPOCHREALTIME
        if ! /usr/bin/time -v -o "$out/$key.time" "$@" <"$in" >"$out/$key.out" 2>"$out/$key.err"; then
            echo "bench: $key failed (run $i): $*" >&2
            tail -n 5 "$out/$key.err" | sed 's/^/  /' >&2
            exit 1
        fi
        t1=$EPOCHREALTIME
        us+=($((${t1/./} - ${t0/./})))
        kb+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/$key.time")")
    done
    MED[$key]=$(printf '%s\n' "${us[@]}" | sort -n | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
    RSS[$key]=$(printf '%s\n' "${kb[@]}" | sort -n | tail -n 1)
    awk -v k="$key" -v us="${MED[$key]}" -v kb="${RSS[$key]}" \
        'BEGIN { printf "  %-24s %9.3f s %9.1f MB\n", k, us / 1e6, kb / 1024 }'
}

failed=0
check() { # MESSAGE: prints and remembers a failed check
    echo "  DIFFERENT: $1"
    failed=1
}

# tokstat's summary line says ROWS rows and how many were inserted/unchanged
expect_summary() { # KEY WHAT
    grep -q ": $rows rows, $2" "$out/$1.out" ||
        check "$1: expected '$rows rows, $2', got: $(head -c 300 "$out/$1.out")"
}
# the rows and the sum of tokens in a database, to compare imports
db_sum() { # DB TABLE COLUMN
    sqlite3 -readonly "$1" "SELECT count(*) || ' rows, ' || sum($3) || ' tokens' FROM $2"
}

tdb=$work/tokstat.db     # tokstat's database from the CSV import: the reports read it
sdb=$work/sqlite3.db     # the sqlite3 shell's, from .import --csv
scratch=$work/scratch.db # the other imports, checked and deleted

sqlq() { printf "%s" "$1" | sed "s/'/''/g"; } # an SQL string literal's inside
schema="CREATE TABLE raw(date TEXT NOT NULL, model_permaslug TEXT NOT NULL, total_tokens INTEGER NOT NULL, PRIMARY KEY(date, model_permaslug)) WITHOUT ROWID;
CREATE TABLE vendors(vendor TEXT PRIMARY KEY, country TEXT NOT NULL, name TEXT NOT NULL) WITHOUT ROWID;
.mode csv
.import --csv --skip 1 \"$root/data/vendors.csv\" vendors"
cat >"$work/sql/import-csv.sql" <<EOF
$schema
BEGIN;
.import --csv --skip 1 "$csv" raw
COMMIT;
EOF
cat >"$work/sql/import-jsonl.sql" <<EOF
$schema
BEGIN;
CREATE TEMP TABLE lines(j TEXT);
.mode ascii
.separator "\\037" "\\n"
.import --schema temp "$jsonl" lines
INSERT INTO raw SELECT j->>'date', j->>'model_permaslug', j->>'total_tokens' FROM temp.lines;
COMMIT;
EOF
cat >"$work/sql/import-json.sql" <<EOF
$schema
INSERT INTO raw SELECT value->>'date', value->>'model_permaslug', value->>'total_tokens'
  FROM json_each(readfile('$(sqlq "$json")'), '\$.data');
EOF
cat >"$work/sql/reimport-csv.sql" <<EOF
.mode csv
BEGIN;
CREATE TEMP TABLE incoming(date TEXT NOT NULL, model_permaslug TEXT NOT NULL, total_tokens INTEGER NOT NULL);
.import --csv --skip 1 --schema temp "$csv" incoming
INSERT INTO raw SELECT * FROM temp.incoming WHERE true
  ON CONFLICT(date, model_permaslug) DO UPDATE SET total_tokens = excluded.total_tokens
  WHERE total_tokens IS NOT excluded.total_tokens;
SELECT changes();
COMMIT;
EOF

echo "measuring ($runs runs each):"
# Imports: each run into a fresh database.
measure tokstat-import-csv "$tdb" /dev/null "$tokstat" --db "$tdb" import "$csv"
expect_summary tokstat-import-csv "$rows inserted"
measure sqlite3-import-csv "$sdb" "$work/sql/import-csv.sql" sqlite3 -bail "$sdb"
want=$(db_sum "$sdb" raw total_tokens)
[[ $want == "$rows rows, "* ]] || check "sqlite3 .import --csv: $want, not $rows rows"
got=$(db_sum "$tdb" observations total)
[[ $got == "$want" ]] || check "tokstat import CSV: $got, sqlite3: $want"

measure tokstat-import-jsonl "$scratch" /dev/null "$tokstat" --db "$scratch" import "$jsonl"
expect_summary tokstat-import-jsonl "$rows inserted"
got=$(db_sum "$scratch" observations total)
[[ $got == "$want" ]] || check "tokstat import JSON Lines: $got, CSV: $want"
measure sqlite3-import-jsonl "$scratch" "$work/sql/import-jsonl.sql" sqlite3 -bail "$scratch"
got=$(db_sum "$scratch" raw total_tokens)
[[ $got == "$want" ]] || check "sqlite3 JSON Lines: $got, CSV: $want"

measure tokstat-import-json "$scratch" /dev/null "$tokstat" --db "$scratch" import "$json"
expect_summary tokstat-import-json "$rows inserted"
got=$(db_sum "$scratch" observations total)
[[ $got == "$want" ]] || check "tokstat import Data API JSON: $got, CSV: $want"
if [[ $(stat -c %s "$json") -lt 1000000000 ]]; then # SQLite's longest string
    measure sqlite3-import-json "$scratch" "$work/sql/import-json.sql" sqlite3 -bail "$scratch"
    got=$(db_sum "$scratch" raw total_tokens)
    [[ $got == "$want" ]] || check "sqlite3 Data API JSON: $got, CSV: $want"
else
    echo "  sqlite3-import-json      skipped: the file is longer than SQLite's longest string (1e9 bytes)"
fi
fresh "$scratch"

# Re-import of the same CSV into the filled databases: nothing changes.
measure tokstat-reimport-csv "" /dev/null "$tokstat" --db "$tdb" import "$csv"
expect_summary tokstat-reimport-csv "0 inserted, 0 updated, $rows unchanged"
measure sqlite3-reimport-csv "" "$work/sql/reimport-csv.sql" sqlite3 -bail "$sdb"
[[ $(tr -d '\r' <"$out/sqlite3-reimport-csv.out") == 0 ]] ||
    check "sqlite3 re-import changed $(cat "$out/sqlite3-reimport-csv.out") rows"

# Reports, on the databases of the CSV imports.
measure tokstat-report-latest "" /dev/null "$tokstat" --db "$tdb" report --by country
measure sqlite3-report-latest "" "$here/share-latest.sql" sqlite3 -bail "$sdb"
measure tokstat-growth "" /dev/null "$tokstat" --db "$tdb" growth --by country --last 8
measure sqlite3-growth "" "$here/growth.sql" sqlite3 -bail "$sdb"
measure tokstat-top "" /dev/null "$tokstat" --db "$tdb" top -n 5
measure sqlite3-top "" "$here/top.sql" sqlite3 -bail "$sdb"
measure tokstat-report-all "" /dev/null "$tokstat" --db "$tdb" report --by country \
    --from "$first_day" --to "$last_day" --format csv
measure sqlite3-report-all "" "$here/share-all.sql" sqlite3 -bail "$sdb"
measure tokstat-version "" /dev/null "$tokstat" --version
measure sqlite3-version "" /dev/null sqlite3 --version

# --- the same numbers? --------------------------------------------------------
echo
echo "checking that both answer the same numbers:"
compare() { # LABEL KEYS EXACT APPROX TOKSTAT_CSV SQLITE3_CSV
    local rc=0
    awk -F, -v label="$1" -v keys="$2" -v exact="$3" -v approx="$4" \
        -f "$here/compare.awk" "$5" "$6" >"$out/compare.txt" || rc=$?
    sed 's/^/  /' "$out/compare.txt"
    [[ $rc -eq 0 ]] || failed=1
}
"$tokstat" --db "$tdb" report --by country --format csv >"$out/tokstat-report-latest.csv" 2>/dev/null
compare "share by country, latest week" week,country days,rank,tokens share,share_change \
    "$out/tokstat-report-latest.csv" "$out/sqlite3-report-latest.out"
compare "share by country, all $weeks weeks" week,country days,rank,tokens share,share_change \
    "$out/tokstat-report-all.out" "$out/sqlite3-report-all.out"
"$tokstat" --db "$tdb" growth --by country --last 8 --format csv >"$out/tokstat-growth.csv" 2>/dev/null
compare "growth by country, last 8 weeks" week,country days,tokens,prev_tokens,status growth \
    "$out/tokstat-growth.csv" "$out/sqlite3-growth.out"
"$tokstat" --db "$tdb" top -n 5 --format csv >"$out/tokstat-top.csv" 2>/dev/null
compare "top-5 models, latest week" week,rank days,model,country,tokens,band \
    share,cumulative_share,cr,hhi_low=hhi,hhi_change "$out/tokstat-top.csv" "$out/sqlite3-top.out"

# --- the table ----------------------------------------------------------------
# row LABEL TOKSTAT_KEY SQLITE3_KEY ROWS: ROWS = rows per run, 0 for none
row() {
    awk -v label="$1" -v tu="${MED[$2]:-}" -v su="${MED[$3]:-}" -v tk="${RSS[$2]:-}" \
        -v sk="${RSS[$3]:-}" -v rows="$4" '
    function secs(us) { return us == "" ? "-" : sprintf("%.3f", us / 1e6) }
    function rate(us) { return us == "" || rows == 0 || us == 0 ? "-" : sprintf("%.0f", rows / (us / 1e6)) }
    function mb(kb) { return kb == "" ? "-" : sprintf("%.1f", kb / 1024) }
    BEGIN {
        ratio = (tu != "" && su != "" && tu > 0) ? sprintf("%.2f", su / tu) : "-"
        printf "%-30s %10s %10s %15s %15s %11s %11s %6s\n", label, secs(tu), secs(su),
            rate(tu), rate(su), mb(tk), mb(sk), ratio
    }'
}
echo
printf "%-30s %10s %10s %15s %15s %11s %11s %6s\n" work "tokstat s" "sqlite3 s" \
    "tokstat rows/s" "sqlite3 rows/s" "tokstat MB" "sqlite3 MB" ratio
row "import CSV" tokstat-import-csv sqlite3-import-csv "$rows"
row "import JSON Lines" tokstat-import-jsonl sqlite3-import-jsonl "$rows"
row "import Data API JSON" tokstat-import-json sqlite3-import-json "$rows"
row "re-import CSV (unchanged)" tokstat-reimport-csv sqlite3-reimport-csv "$rows"
row "report --by country (latest)" tokstat-report-latest sqlite3-report-latest "$rows"
row "growth --by country --last 8" tokstat-growth sqlite3-growth "$rows"
row "top -n 5 (latest week)" tokstat-top sqlite3-top "$rows"
row "report all weeks, CSV" tokstat-report-all sqlite3-report-all "$rows"
row "--version" tokstat-version sqlite3-version 0
echo
echo "ratio = sqlite3 s / tokstat s (above 1: tokstat is faster); rows/s = the file's rows"
echo "(imports) or the database's rows (reports) per second. The sqlite3 side of each line:"
echo "  import CSV            .import --csv --skip 1 into raw (PRIMARY KEY(date, model_permaslug),"
echo "                        WITHOUT ROWID) inside BEGIN/COMMIT, plus data/vendors.csv"
echo "  import JSON Lines     .import of the lines into a temp table, INSERT .. SELECT j->>'date', .."
echo "  import Data API JSON  INSERT .. SELECT .. FROM json_each(readfile(FILE), '\$.data')"
echo "  re-import CSV         .import into a temp table, INSERT .. ON CONFLICT DO UPDATE .. WHERE changed"
echo "  reports               scripts/bench/share-latest.sql, growth.sql, top.sql, share-all.sql"
echo "  --version             sqlite3 --version"
echo "databases: tokstat $(mb "$tdb") ($tdb), sqlite3 $(mb "$sdb") ($sdb)"
echo "outputs of the last runs: $out"
if [[ $failed -ne 0 ]]; then
    echo "bench: tokstat and sqlite3 do not agree (see above)" >&2
    exit 1
fi
