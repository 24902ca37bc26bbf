#!/usr/bin/env bash
# readonly.sh - do the commands that only read work where nothing may be
# written, and change nothing there?
#
#   tests/reliability/readonly.sh TOKSTAT SOURCE_DIR
#
# SPEC.md section 6: "Reports open the database read-only: they work on a
# read-only file and never create a database or a folder." Every command
# that only reads (report, growth, top, prices, cost, chart, status, check,
# vendors list, families list; report --format json; report and top --by
# family, whose families are worked out without a write; and report,
# growth, top and chart --by app on a dataset of app rankings) runs
# against a database file of mode 444 in a folder of mode 555, as a user
# who may not write there: as root, which ignores file modes, the commands
# run as nobody (uid and gid 65534, through util-linux's setpriv); as anyone
# else, as that user, whom the modes already stop. Four states of the
# folder, each built afresh:
#
#   at-rest    the database in WAL mode with no -wal or -shm beside it (how
#              tokstat leaves it): SQLite cannot create the -shm a WAL
#              reader needs, so tokstat reads the file alone
#   leftovers  an empty -wal and a -shm, as an earlier reader leaves them
#   in-log     a -wal and -shm holding a committed import that was never
#              copied into the file (its writer's connection was shared
#              with a reader, then killed): the reports must show it
#   unreadable a -wal holding a committed import but no -shm, which such a
#              reader cannot use: every command exits 1 saying why, rather
#              than report without that import
#
# Each command's standard output and exit status must equal what it gives
# on a writable copy of the folder (read by root), and afterwards every
# file of the folder must have the same bytes, and the folder the same
# names. A command that writes (vendors set, families set) must fail there
# with exit 1 and change nothing either.
#
# Prints "readonly: N passed, M failed"; exit status 0, 1 on any failure,
# 2 on usage error, 77 (skipped) when run as root without setpriv. Needs
# bash, coreutils, sqlite3. Work files go in ${TMPDIR:-/tmp}.
set -u
export LC_ALL=C NO_COLOR=1 TZ=UTC

if [ $# -ne 2 ]; then
  echo "usage: $0 TOKSTAT SOURCE_DIR" >&2
  exit 2
fi
case "$1" in /*) bin=$1 ;; *) bin=$PWD/$1 ;; esac
src=$(cd "$2" && pwd) || exit 2
unset TOKSTAT_DB XDG_DATA_HOME

if [ "$(id -u)" = 0 ]; then
  if ! command -v setpriv >/dev/null; then
    echo "readonly: running as root needs setpriv (util-linux) to drop privileges: skipped"
    exit 77
  fi
  as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
  who="nobody (uid 65534, through setpriv)"
else
  as_reader() { "$@"; }
  who="$(id -un) (not root: the modes bite)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tokstat-readonly.XXXXXX") || exit 1
cleanup() {
  chmod -R u+w "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# The reader must reach the program and the folder: a copy of the program
# in a work folder anyone may enter (the build folder may be private).
chmod 755 "$work"
mkdir -p "$work/bin" "$work/home"
cp "$bin" "$work/bin/tokstat"
chmod 755 "$work/bin/tokstat"
T=$work/bin/tokstat
export HOME=$work/home
sample=$src/tests/data/constructed-feb-2026

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  echo "FAIL $*"
}

COMMANDS=("report" "report --format json" "growth" "top" "prices" "cost" "chart" "status" "check"
  "vendors list" "report --by family" "top --by family" "families list" "report --by app"
  "growth --by app" "top --by app" "chart --by app")

# build STATE DIR: the folder DIR holding t.db in that state (as root or the
# current user, with write access).
build() {
  local state=$1 dir=$2 holder
  mkdir -p "$dir"
  "$T" --db "$dir/t.db" import "$sample"/openrouter-models-2026-05-01.json \
    "$sample"/openrouter-weekly-2026-01-2*.json "$sample"/openrouter-weekly-2026-02-0*.json \
    >/dev/null || return 1
  # App rankings, in a dataset of their own (the reports --by app read it).
  "$T" --db "$dir/t.db" import "$src"/tests/data/real/app-rankings-2025-02-02.json \
    "$src"/tests/data/cli/apps-2025-02-09.json >/dev/null || return 1
  case $state in
  at-rest) ;;
  leftovers)
    # A command that only reads leaves them (SQLite's readers do).
    "$T" --db "$dir/t.db" status >/dev/null || return 1
    [ -e "$dir/t.db-shm" ] && [ -e "$dir/t.db-wal" ] && [ ! -s "$dir/t.db-wal" ] ||
      { echo "readonly: $state: no empty -wal and -shm after a read"; return 1; } ;;
  in-log | unreadable)
    # A reader keeps a snapshot open, so the import's commit stays in the
    # -wal; then the reader is killed before it could copy it over.
    rm -f "$dir/ctl"
    mkfifo "$dir/ctl"
    sqlite3 "$dir/t.db" <"$dir/ctl" >/dev/null 2>&1 &
    holder=$!
    exec 3>"$dir/ctl"
    printf 'BEGIN;\nSELECT count(*) FROM meta;\n.shell touch %s/opened\n' "$dir" >&3
    for _ in $(seq 1 500); do [ -e "$dir/opened" ] && break; sleep 0.01; done
    "$T" --db "$dir/t.db" import "$sample"/openrouter-weekly-2026-02-16.json >/dev/null || return 1
    kill -9 "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    exec 3>&-
    rm -f "$dir/ctl" "$dir/opened"
    [ -s "$dir/t.db-wal" ] || { echo "readonly: $state: the import did not stay in the -wal"; return 1; }
    [ "$state" = unreadable ] && rm -f "$dir/t.db-shm" ;;
  esac
  return 0
}

# fingerprint DIR: the names in DIR and the bytes of its files.
fingerprint() {
  (cd "$1" && ls -A && sha256sum -- *)
}

for state in at-rest leftovers in-log unreadable; do
  dir=$work/$state/d
  ref=$work/$state/ref
  if ! build "$state" "$dir"; then
    bad "$state: could not build the database"
    continue
  fi
  # What each command says on a writable copy, read by a user who may write.
  cp -a "$dir" "$ref"
  chmod 444 "$dir"/*
  chmod 555 "$dir" "$work/$state"
  before=$(fingerprint "$dir")
  for i in "${!COMMANDS[@]}"; do
    c=${COMMANDS[$i]}
    # shellcheck disable=SC2086
    (cd "$work" && as_reader "$T" --db "$dir/t.db" $c >"$work/$state.got.$i" 2>"$work/$state.err.$i")
    rc=$?
    if [ "$state" = unreadable ]; then
      if [ $rc -eq 1 ] && grep -q "its -wal or -journal file holds changes" "$work/$state.err.$i" &&
        [ ! -s "$work/$state.got.$i" ]; then
        ok
      else
        bad "$state: '$c' exit $rc (expected 1 and the reason):" "$(head -3 "$work/$state.err.$i")"
      fi
      continue
    fi
    # shellcheck disable=SC2086
    (cd "$work" && "$T" --db "$ref/t.db" $c >"$work/$state.want" 2>/dev/null)
    want_rc=$?
    # (status and check name the database)
    sed "s|$ref/|$dir/|" "$work/$state.want" >"$work/$state.want.$i"
    if [ $rc -ne 0 ] || [ $want_rc -ne 0 ]; then
      bad "$state: '$c' exit $rc (writable copy: $want_rc):" "$(head -3 "$work/$state.err.$i")"
    elif ! cmp -s "$work/$state.want.$i" "$work/$state.got.$i"; then
      bad "$state: '$c' printed something else than on a writable copy:"
      diff "$work/$state.want.$i" "$work/$state.got.$i" | head -10
    else
      ok
    fi
  done
  # The in-log state's reports must include the import kept in the log.
  if [ "$state" = in-log ]; then
    if grep -q "week of 2026-02-16" "$work/$state.got.0"; then ok; else bad "$state: the import in the -wal is not in the report"; fi
  fi
  as_reader "$T" --db "$dir/t.db" vendors set acme US >/dev/null 2>"$work/$state.werr"
  rc=$?
  if [ $rc -eq 1 ] && grep -q "^tokstat: " "$work/$state.werr"; then ok; else bad "$state: vendors set exit $rc"; fi
  as_reader "$T" --db "$dir/t.db" families set acme/x acme/x >/dev/null 2>"$work/$state.werr"
  rc=$?
  if [ $rc -eq 1 ] && grep -q "^tokstat: " "$work/$state.werr"; then ok; else bad "$state: families set exit $rc"; fi
  after=$(fingerprint "$dir")
  if [ "$before" = "$after" ]; then
    ok
  else
    bad "$state: the folder changed"
    diff <(echo "$before") <(echo "$after")
  fi
done

echo "readonly: as $who; 4 states x ${#COMMANDS[@]} commands"
echo "readonly: $pass passed, $fail failed"
[ $fail -eq 0 ]
