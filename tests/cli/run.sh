#!/usr/bin/env bash
# Golden CLI cases: each folder under cases/ holds
#   cmd           a bash script; $TOKSTAT is the program (perhaps under a
#                 tool, see TOKSTAT_WRAPPER; $TOKSTAT_BIN is it bare), $DATA tests/data,
#                 $ROOT the source tree; it runs in a new empty folder with
#                 TOKSTAT_DB=t.db, and its exit status is the case's
#   expected.out  exact standard output
#   expected.err  exact standard error
#   expected.rc   exit status
# Timestamps (YYYY-MM-DD HH:MM:SS) are replaced by <time> before comparing.
# Usage: run.sh TOKSTAT SOURCE_TESTS_DIR [CASE...]   (UPDATE=1 rewrites the
# expected files from what the program does: review the diff before committing)
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
realbin=$bin # $TOKSTAT_BIN in a case: the program itself, never wrapped
# TOKSTAT_WRAPPER (e.g. "valgrind -q --error-exitcode=99 ...") runs the
# program under a tool; the tool's reports go to a folder beside the case's
# and are shown when the case fails.
if [ -n "${TOKSTAT_WRAPPER:-}" ]; then
  wrapdir=$(mktemp -d)
  trap 'rm -rf "$wrapdir"' EXIT
  printf '#!/bin/sh\nexec %s --log-file="$TOOL_LOG_DIR/tool.%%p.log" "%s" "$@"\n' "$TOKSTAT_WRAPPER" "$bin" \
    >"$wrapdir/tokstat"
  chmod +x "$wrapdir/tokstat"
  bin=$wrapdir/tokstat
fi
tests=$(cd "$2" && pwd)
shift 2
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$tests"/cli/cases/*/; do cases+=("$(basename "$d")"); done
fi

# Functions the cases may call.
helpers=$(cat <<'SH'
# db_dump: every table of t.db, in a stable order, for before/after checks.
db_dump() {
  sqlite3 "${1:-t.db}" .dump
}
# same_db BEFORE: says whether t.db still equals a dump taken earlier.
same_db() {
  if [ "$(db_dump)" = "$1" ]; then echo "database unchanged"; else echo "DATABASE CHANGED"; fi
}
SH
)

normalize() {
  sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/<time>/g'
}

pass=0 fail=0
for c in "${cases[@]}"; do
  dir="$tests/cli/cases/$c"
  work=$(mktemp -d)
  logs=$(mktemp -d)
  (
    cd "$work" || exit 99
    export TOKSTAT="$bin" DATA="$tests/data" ROOT="$(dirname "$tests")" TOKSTAT_DB=t.db
    export TOOL_LOG_DIR="$logs" TOKSTAT_BIN="$realbin"
    export HOME="$work/home" XDG_DATA_HOME= NO_COLOR=1 LC_ALL=C TZ=UTC
    unset CI
    bash -c "$helpers"$'\n'"$(cat "$dir/cmd")" </dev/null >out 2>err
    echo $? >rc
  )
  normalize <"$work/out" >"$work/out.n"
  normalize <"$work/err" >"$work/err.n"
  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$work/out.n" "$dir/expected.out"
    cp "$work/err.n" "$dir/expected.err"
    cp "$work/rc" "$dir/expected.rc"
  fi
  ok=1
  for f in out err; do
    if ! diff -u --label "$c/expected.$f" --label "$c/actual.$f" "$dir/expected.$f" "$work/$f.n" >"$work/diff.$f"; then
      ok=0
    fi
  done
  if ! diff -q "$dir/expected.rc" "$work/rc" >/dev/null; then
    ok=0
    echo "$c: exit status $(cat "$work/rc"), expected $(cat "$dir/expected.rc")" >"$work/diff.rc"
  fi
  if [ $ok = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $c"
    cat "$work"/diff.* 2>/dev/null
    cat "$logs"/tool.*.log 2>/dev/null
  fi
  rm -rf "$work" "$logs"
done
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
