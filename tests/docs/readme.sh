#!/usr/bin/env bash
# Every example of the README runs as shown. An example is an indented
# block whose first line is "    $ tokstat ..." or "    $ sqlite3 ...": the
# command runs (in bash, in order, in a folder where data/ and tests/ are
# the source tree's, with tokstat on the PATH and HOME a fresh folder whose
# default database holds what scripts/quickstart.sh imports: its own
# 'tokstat import' lines are run), and what it prints (standard output,
# then standard error) must be the rest of the block. A last line
# "    ..." means the rest is not shown: only the lines before it are
# compared. Times (YYYY-MM-DD HH:MM:SS) are compared as <time>.
#
# Usage: readme.sh TOKSTAT SOURCE_ROOT
set -u
tokstat=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
readme=$root/README.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  printf 'readme.sh: FAIL: %s\n' "$*" >&2
  exit 1
}

# The sample in the default database, as the quick start leaves it.
mkdir -p "$work/bin" "$work/home" "$work/run"
ln -s "$tokstat" "$work/bin/tokstat"
ln -s "$root/data" "$work/run/data"
ln -s "$root/tests" "$work/run/tests"
unset TOKSTAT_DB XDG_DATA_HOME COLUMNS
export PATH="$work/bin:$PATH" HOME="$work/home" NO_COLOR=1 LC_ALL=C TZ=UTC
grep -q '^tokstat import ' "$root/scripts/quickstart.sh" || fail "scripts/quickstart.sh imports nothing"
(
  cd "$root" || exit 1
  grep '^tokstat import ' scripts/quickstart.sh | while read -r line; do
    bash -c "$line" >/dev/null || exit 1
  done
) || fail "could not import the sample as scripts/quickstart.sh does"

normalize() {
  sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/<time>/g'
}

# Split the README into its examples: example N's command in cmd.N, what
# it shows in want.N (without the four spaces), and "1" in cut.N when it
# ends in "...".
awk -v dir="$work" '
  function flush() {
    if (inblock) {
      while (nl > 0 && lines[nl] == "") nl--
      cut = (nl > 0 && lines[nl] == "...")
      if (cut) nl--
      f = dir "/want." n
      printf "" > f
      for (i = 1; i <= nl; i++) print lines[i] > f
      close(f)
      print cut > (dir "/cut." n); close(dir "/cut." n)
    }
    inblock = 0; nl = 0
  }
  /^    \$ (tokstat|sqlite3) / {
    flush(); n++; inblock = 1
    print substr($0, 7) > (dir "/cmd." n); close(dir "/cmd." n)
    next
  }
  inblock && /^    / { lines[++nl] = substr($0, 5); next }
  inblock && /^$/ { lines[++nl] = ""; next }
  inblock { flush() }
  END { flush(); print n > (dir "/count") }
' "$readme"

count=$(cat "$work/count")
[ "$count" -ge 5 ] || fail "found only $count examples in README.md: is the block format right?"
failed=0
for i in $(seq 1 "$count"); do
  cmd=$(cat "$work/cmd.$i")
  (cd "$work/run" && bash -c "$cmd" >"$work/out.$i" 2>"$work/err.$i")
  cat "$work/out.$i" "$work/err.$i" | normalize >"$work/got.$i"
  normalize <"$work/want.$i" >"$work/want.n.$i"
  if [ "$(cat "$work/cut.$i")" = 1 ]; then
    head -n "$(wc -l <"$work/want.n.$i")" "$work/got.$i" >"$work/got.cut.$i"
    mv "$work/got.cut.$i" "$work/got.$i"
  fi
  if ! diff -u --label "README: \$ $cmd" --label "what it prints" "$work/want.n.$i" "$work/got.$i"; then
    failed=$((failed + 1))
  fi
done
[ $failed = 0 ] || fail "$failed of $count README examples print something else"
echo "readme: $count examples print what the README shows"
