#!/usr/bin/env bash
# The README's DuckDB recipe against a real DuckDB: the shipped sample,
# imported as the quick start does, exported with 'tokstat export
# --split-by month' (CSV and JSON Lines), read by DuckDB as one table with
# the README's own query; recipe.js compares it with 'tokstat report --by
# country --format csv' week by week, and with what the README shows.
#
# DuckDB comes from npm (@duckdb/node-api, prebuilt for Linux x64 and
# arm64, Node.js 20 or later), installed once into NPM_DIR (default: a
# temporary folder, removed at the end). Exit 77 (skipped) when node or
# npm is missing or the package cannot be installed (no network).
# Usage: recipe.sh TOKSTAT SOURCE_ROOT [NPM_DIR]
set -u
DUCKDB_NODE_API=1.5.6-r.1 # pinned: a newer one may change what it prints
tokstat=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm_dir=${3:-$work/npm}

skip() {
  echo "recipe.sh: SKIP: $*"
  exit 77
}
fail() {
  echo "recipe.sh: FAIL: $*"
  exit 1
}

command -v node >/dev/null || skip "no node (Debian: apt-get install nodejs npm)"
command -v npm >/dev/null || skip "no npm (Debian: apt-get install npm)"
pkg=$npm_dir/node_modules/@duckdb/node-api/package.json
if ! grep -q "\"version\": \"$DUCKDB_NODE_API\"" "$pkg" 2>/dev/null; then
  mkdir -p "$npm_dir" || fail "cannot make $npm_dir"
  timeout 600 npm install --prefix "$npm_dir" --no-audit --no-fund --no-save --loglevel=error \
    "@duckdb/node-api@$DUCKDB_NODE_API" >"$work/npm.log" 2>&1 ||
    skip "npm install @duckdb/node-api@$DUCKDB_NODE_API failed: $(tail -3 "$work/npm.log")"
fi

# The README's query: the line "    $ duckdb -csv -c "SQL"", and the
# output lines under it up to a blank line or "...".
readme=$root/README.md
line=$(grep -m1 '^    \$ duckdb -csv -c "' "$readme") || fail "README.md has no '\$ duckdb -csv -c' example"
sql=${line#*-c \"}
sql=${sql%\"}
awk '
  index($0, "    $ duckdb -csv -c \"") == 1 { on = 1; next }
  on && ($0 == "" || $0 == "    ...") { exit }
  on { print substr($0, 5) }
' "$readme" >"$work/shown"

# The man page's EXAMPLES give the same query.
man_sql=$(sed -n 's/^duckdb \\-csv \\-c "\(.*\)"$/\1/p' "$root/data/man/tokstat.1" | sed 's/\\-/-/g')
[ "$man_sql" = "$sql" ] || fail "the man page's duckdb example is not the README's query: $man_sql"

export TOKSTAT_DB=$work/t.db LC_ALL=C TZ=UTC
sample=$(grep -m1 '^tokstat import ' "$root/scripts/quickstart.sh") || fail "the quick start imports nothing"
# shellcheck disable=SC2086 # the quick start's arguments, split as the shell would
(cd "$root" && "$tokstat" import -q ${sample#tokstat import }) || fail "could not import the sample: $sample"
cd "$work" || exit 1
dir=$(printf '%s\n' "$sql" | sed -n "s/.*read_csv('\([^/']*\)\/.*/\1/p")
[ -n "$dir" ] || fail "the README's query reads no folder with read_csv('DIR/...'): $sql"
"$tokstat" export --split-by month "$dir" || fail "tokstat export --split-by month $dir failed"
"$tokstat" export --format jsonl --split-by month jsonl || fail "tokstat export --format jsonl failed"
ls "$dir"/month=*/part.csv >/dev/null || fail "no $dir/month=*/part.csv"
# Every week of the sample, the partial first one too.
first=$("$tokstat" export | sed -n '2s/^[^,]*,[^,]*,[^,]*,\([^,]*\),.*/\1/p')
"$tokstat" report --by country --format csv --from "$first" --to 2100-01-01 >report.csv 2>report.err ||
  fail "tokstat report failed: $(cat report.err)"
NODE_PATH=$npm_dir/node_modules node "$root/tests/duckdb/recipe.js" "$sql" shown report.csv "$dir" jsonl
