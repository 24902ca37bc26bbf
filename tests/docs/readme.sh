#!/usr/bin/env bash
# Every example of the README runs as shown. An example is an indented
# block whose first line is "    $ tokstat ..." or "    $ sqlite3 ...": the
# command runs (in a shell, in a folder holding build/sample.db made as
# scripts/quickstart.sh makes it, and build/apps.db holding the real app
# rankings of tests/data/real as the README says, with TOKSTAT_DB pointing
# at the sample and tokstat on the PATH), and what it prints (standard
# output, then standard error) must be the rest of the block. A last line "    ..." means the
# rest is not shown: only the lines before it are compared. Times
# (YYYY-MM-DD HH:MM:SS) are compared as <time>.
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

# The sample database, as the quick start makes it.
mkdir -p "$work/build" "$work/bin"
ln -s "$tokstat" "$work/bin/tokstat"
(
  cd "$work" || exit 1
  PATH="$work/bin:$PATH"
  tokstat --db build/sample.db import "$root"/data/sample/openrouter-weekly-*.json >/dev/null &&
    tokstat --db build/sample.db import --as-of 2026-05-01 \
      "$root/data/sample/openrouter-models-2026-05-01.json" >/dev/null &&
    tokstat --db build/apps.db import --subcategory cli-agent \
      "$root/tests/data/real/app-rankings-2025-02-02.json" >/dev/null
) || fail "could not import the sample"

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
  (
    cd "$work" || exit 1
    export PATH="$work/bin:$PATH" TOKSTAT_DB=build/sample.db NO_COLOR=1 LC_ALL=C TZ=UTC
    unset COLUMNS
    bash -c "$cmd" >"$work/out.$i" 2>"$work/err.$i"
  )
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
